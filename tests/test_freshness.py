"""``orchestration.freshness``: `codeintel build` skips an up-to-date output, and only then."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration import freshness
from orchestration.definitions import build_command
from tests.dataflow_support import write_repo
from tests.hardening_support import CODEINTEL

REPO_FILES = {
    "app.py": "import os\n\n\ndef main():\n    return helper()\n\n\ndef helper():\n    return 1\n",
    "lib.rs": "fn helper() {}\n",
}
UP_TO_DATE = "up to date, nothing to do"


def _build(repo: Path, out: Path, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    """Run `codeintel build` in this process; return what it printed."""
    capsys.readouterr()
    argv = [str(repo), "--out", str(out), "--workers", "1", "--languages", "python", "rust"]
    if "--no-cache" not in options:
        argv += ["--cache-dir", str(out.parent / "cache")]
    assert build_command([*argv, *options]) == 0
    return capsys.readouterr().out


def _manifest(out: Path) -> dict[str, object]:
    return json.loads((out / "manifest.json").read_text())


def _row_counts(out: Path) -> dict[str, int]:
    return json.loads((out / "manifest.json").read_text())["row_counts"]


def test_an_unchanged_repository_is_not_built_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = write_repo(tmp_path / "repo", REPO_FILES)
    out = tmp_path / "out"
    assert UP_TO_DATE not in _build(repo, out, capsys)
    manifest = (out / "manifest.json").read_bytes()
    assert isinstance(_manifest(out)["stamp"], str)
    written = {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()}

    second = _build(repo, out, capsys)
    assert UP_TO_DATE in second
    assert (out / "manifest.json").read_bytes() == manifest  # not even the timings rewritten
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()} == written

    # --force and --no-cache run the dataflow; the first through Hamilton's cache (all hits).
    forced = _build(repo, out, capsys, "--force")
    assert UP_TO_DATE not in forced and "0 misses" in forced
    assert UP_TO_DATE not in _build(repo, out, capsys, "--no-cache")


def test_any_change_that_reaches_the_output_builds_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = write_repo(tmp_path / "repo", REPO_FILES)
    out = tmp_path / "out"
    _build(repo, out, capsys)
    assert _row_counts(out)["python/symbols"] == 2

    (repo / "app.py").write_text(REPO_FILES["app.py"] + "\n\ndef added():\n    return 2\n")
    assert UP_TO_DATE not in _build(repo, out, capsys)
    assert _row_counts(out)["python/symbols"] == 3  # main, helper, added
    assert UP_TO_DATE in _build(repo, out, capsys)

    (repo / "new.rs").write_text("fn other() {}\n")  # a new file
    assert UP_TO_DATE not in _build(repo, out, capsys)
    (repo / "new.rs").unlink()  # a removed file
    assert UP_TO_DATE not in _build(repo, out, capsys)
    assert UP_TO_DATE not in _build(repo, out, capsys, "--languages", "python")  # the config
    assert UP_TO_DATE in _build(repo, out, capsys, "--languages", "python")
    assert UP_TO_DATE not in _build(repo, out, capsys, "--max-file-bytes", "10")
    assert UP_TO_DATE not in _build(repo, out, capsys)  # back to the default limit


def test_a_damaged_or_missing_output_builds_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = write_repo(tmp_path / "repo", REPO_FILES)
    out = tmp_path / "out"
    _build(repo, out, capsys)
    edges = out / "cpg" / "edges.parquet"
    original = edges.read_bytes()

    edges.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))  # same size, other bytes
    assert UP_TO_DATE not in _build(repo, out, capsys)
    assert edges.read_bytes() == original
    edges.unlink()
    assert UP_TO_DATE not in _build(repo, out, capsys)
    assert edges.read_bytes() == original
    (out / "manifest.json").write_text("{not json")
    assert UP_TO_DATE not in _build(repo, out, capsys)
    assert UP_TO_DATE in _build(repo, out, capsys)


def test_an_ignored_file_does_not_make_a_git_repository_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = write_repo(tmp_path / "repo", {**REPO_FILES, ".gitignore": "build/\n"})
    (repo / ".git").mkdir()
    out = tmp_path / "out"
    _build(repo, out, capsys)
    write_repo(repo, {"build/generated.py": "def generated():\n    pass\n"})
    assert UP_TO_DATE in _build(repo, out, capsys)  # the walk never considers it
    (repo / ".gitignore").write_text("")  # now it is part of the repository
    assert UP_TO_DATE not in _build(repo, out, capsys)
    assert _row_counts(out)["python/symbols"] == 3


def test_the_code_fingerprint_follows_sources_and_installed_distributions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = write_repo(
        tmp_path / "site" / "stamped_pkg", {"__init__.py": "", "nodes.py": "A = 1\n"}
    )
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    site = [str(tmp_path / "site")]
    before = freshness.code_digest(freshness.code_parts(packages=["stamped_pkg"], site_paths=site))
    assert (
        freshness.code_digest(freshness.code_parts(packages=["stamped_pkg"], site_paths=site))
        == before
    )

    (package / "nodes.py").write_text("A = 2\n")
    edited = freshness.code_digest(freshness.code_parts(packages=["stamped_pkg"], site_paths=site))
    assert edited != before
    (tmp_path / "site" / "somelib-1.0.dist-info").mkdir()  # a package installed
    installed = freshness.code_digest(
        freshness.code_parts(packages=["stamped_pkg"], site_paths=site)
    )
    assert installed != edited
    (tmp_path / "site" / "somelib-1.0.dist-info").rename(
        tmp_path / "site" / "somelib-1.1.dist-info"
    )
    upgraded = freshness.code_digest(
        freshness.code_parts(packages=["stamped_pkg"], site_paths=site)
    )
    assert upgraded != installed

    with pytest.raises(ValueError, match="not an importable package"):
        freshness.code_parts(packages=["no_such_package_here"])


def test_fresh_manifest_never_trusts_what_it_cannot_check(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert freshness.fresh_manifest(out_dir=out, stamp="s") is None  # no manifest
    outside = tmp_path / "outside.parquet"
    outside.write_bytes(b"data")
    listed = {
        "file": "../outside.parquet",
        "bytes": 4,
        "sha256": freshness.file_sha256(outside),
    }
    for manifest in (
        [],
        {"stamp": "s"},
        {"stamp": "s", "assets": {"a": {"file": "a.parquet"}}},
        {"stamp": "s", "assets": {"a": listed}},  # a listed file outside the output folder
    ):
        (out / "manifest.json").write_text(json.dumps(manifest))
        assert freshness.fresh_manifest(out_dir=out, stamp="s") is None, manifest
    inside = {**listed, "file": "a.parquet"}
    (out / "a.parquet").write_bytes(b"data")
    (out / "manifest.json").write_text(json.dumps({"stamp": "s", "assets": {"a": inside}}))
    assert freshness.fresh_manifest(out_dir=out, stamp="s") is not None
    assert freshness.fresh_manifest(out_dir=out, stamp="other") is None


def _moved(before: object, after: object, where: str = "") -> list[str]:
    """The parts of two builds' ``stamp_parts`` that differ, by dotted name."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            moved
            for key in sorted(set(before) | set(after), key=str)
            for moved in _moved(before.get(key), after.get(key), f"{where}.{key}".lstrip("."))
        ]
    if isinstance(before, list) and isinstance(after, list) and before != after:
        changes = sorted({f"-{x}" for x in before} - {f"-{x}" for x in after})
        changes += sorted({f"+{x}" for x in after} - {f"+{x}" for x in before})
        return [f"{where}: {' '.join(changes) or 'reordered'}"]
    return [] if before == after else [f"{where}: {before!r} -> {after!r}"]


def test_moved_names_what_differs_between_two_stamps() -> None:
    before = {"code": {"sources": {"a.py": "1", "b.py": "2"}, "distributions": ["x-1", "y-1"]}}
    after = {"code": {"sources": {"a.py": "1", "b.py": "3"}, "distributions": ["x-1", "y-2"]}}
    assert _moved(before, before) == []
    assert _moved(before, after) == [
        "code.distributions: -y-1 +y-2",
        "code.sources.b.py: '2' -> '3'",
    ]


def test_the_up_to_date_check_loads_no_dataflow_library(tmp_path: Path) -> None:
    """The point of the check: a process that finds its output fresh never imports them."""
    repo = write_repo(tmp_path / "repo", REPO_FILES)
    out = tmp_path / "out"
    argv = [str(CODEINTEL), "build", str(repo), "--out", str(out), "--workers", "1"]
    argv += ["--cache-dir", str(tmp_path / "cache")]
    # Both builds run this checkout's code (tests/conftest.py puts it on PYTHONPATH): a venv's
    # ``codeintel`` otherwise runs whatever checkout its editable install points at, whose
    # stamp differs whenever that tree has moved.
    subprocess.run(argv, check=True, capture_output=True, timeout=300)
    first = _manifest(out)
    probe = (
        "import sys\n"
        "from orchestration.cli import main\n"
        f"code = main({argv[1:]!r})\n"
        "heavy = sorted({'polars', 'pyarrow', 'hamilton', 'pandas', 'dagster'} & set(sys.modules))\n"
        "print('loaded:', heavy)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    if UP_TO_DATE not in result.stdout:  # it built again: name what moved between the two
        second = _manifest(out)
        moved = _moved(first.get("stamp_parts"), second.get("stamp_parts"))
        cache = second.get("cache")
        pytest.fail(
            f"the second build was not up to date: {result.stdout.strip()}\n"
            f"stamp parts that moved: {moved or 'none (an output file was not intact)'}\n"
            f"cache misses: {cache.get('misses') if isinstance(cache, dict) else None}"
        )
    assert "loaded: []" in result.stdout
