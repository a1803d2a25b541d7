"""Shared pieces of the hardening tests (kills, out of space, hostile input, concurrency).

A generated repository with files of every language, the real ``codeintel`` command in a
subprocess, and snapshots of output folders: every visible file's bytes (hidden temporary files
of an interrupted atomic write are listed apart), so two builds compare byte for byte.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyarrow.parquet as pq

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CODEINTEL = BIN / "codeintel"
# Environment variables that would point a subprocess at the developer's own folders.
LOCATION_VARIABLES = (
    "DAGSTER_HOME",
    "CODEINTEL_WAREHOUSE",
    "CODEINTEL_CACHE_DIR",
    "CODEINTEL_REPOS_ROOT",
)

SOURCE_TEMPLATES: dict[str, tuple[str, str]] = {
    "python": (
        "py",
        "import os\nclass C{i}(object):\n    def m{i}(self, x):\n"
        "        return f{i}(x) + os.getpid()\n\n\ndef f{i}(x):\n    return C{i}().m{i}(x)\n",
    ),
    "rust": (
        "rs",
        "use std::fmt;\npub struct S{i} {{ v: u32 }}\n"
        "impl S{i} {{ pub fn m{i}(&self) -> u32 {{ f{i}(self.v) }} }}\n"
        "pub fn f{i}(x: u32) -> u32 {{ x + 1 }}\n",
    ),
    "typescript": (
        "ts",
        "import {{ a }} from './a';\n"
        "export class K{i} extends Base {{ m{i}(): number {{ return f{i}(1); }} }}\n"
        "export function f{i}(x: number): number {{ return a(x); }}\n",
    ),
    "javascript": (
        "js",
        "const b = require('b');\nclass J{i} extends B {{ m{i}() {{ return f{i}(2); }} }}\n"
        "function f{i}(x) {{ return b.g(x); }}\nmodule.exports = {{ J{i}, f{i} }};\n",
    ),
    "go": (
        "go",
        'package p{i}\nimport "fmt"\ntype T{i} struct{{}}\n'
        "func (t T{i}) M{i}() {{ fmt.Println(F{i}()) }}\nfunc F{i}() int {{ return {i} }}\n",
    ),
    "java": (
        "java",
        "package p;\nimport java.util.List;\npublic class J{i} extends Base {{ "
        "int m{i}() {{ return f{i}(); }} static int f{i}() {{ return {i}; }} }}\n",
    ),
}


def write_polyglot_repo(root: Path, *, files_per_language: int) -> Path:
    """A repository with ``files_per_language`` small files of every language, in ten folders."""
    for language, (extension, template) in SOURCE_TEMPLATES.items():
        for index in range(files_per_language):
            name = f"J{index}.java" if extension == "java" else f"m{index}.{extension}"
            path = root / language / f"d{index % 10}" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(template.format(i=index), encoding="utf-8")
    return root


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LOCATION_VARIABLES}
    env.update(extra)
    return env


def build_argv(repo: Path, out: Path, cache: Path, *extra: str) -> list[str]:
    return [
        str(CODEINTEL),
        "build",
        str(repo),
        "--out",
        str(out),
        "--cache-dir",
        str(cache),
        *extra,
    ]


def run_codeintel(
    argv: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(argv),
        cwd=PROJECT,
        env=dict(env) if env is not None else clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def is_temporary(path: Path) -> bool:
    """A hidden file: the temporary of an atomic write (``.<name>.<random>.tmp``) or a lock."""
    return path.name.startswith(".")


def visible_files(root: Path) -> dict[str, bytes]:
    """Every visible file under ``root`` (relative POSIX path -> bytes)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
    }


def temporary_files(root: Path) -> list[str]:
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and is_temporary(path)
    )


def assert_parquet_readable(path: Path) -> None:
    """A visible Parquet file must always be complete: footer, schema and every row group."""
    table = pq.read_table(path)
    assert table.num_rows == pq.ParquetFile(path).metadata.num_rows, path


def assert_all_visible_parquet_readable(root: Path) -> None:
    for relative in visible_files(root):
        if relative.endswith(".parquet"):
            assert_parquet_readable(root / relative)


def build_outputs(out: Path) -> tuple[dict[str, bytes], dict[str, object]]:
    """A build's tables (bytes by path) and its manifest's per-asset entries.

    The manifest's other entries (timings, cache hits, the input paths) differ between two
    builds of the same repository by design; the assets entries (file, rows, bytes, sha256,
    checks) must not.
    """
    files = visible_files(out)
    manifest = json.loads(files.pop("manifest.json"))
    return files, manifest["assets"]


def tree_snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every path under ``root`` (files, folders, links) with its size and mtime in ns."""
    snapshot: dict[str, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            info = path.lstat()
            snapshot[path.relative_to(root).as_posix()] = (info.st_size, info.st_mtime_ns)
    return snapshot
