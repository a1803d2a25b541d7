"""The inventory: which files are considered, their facts, and why a file is skipped."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

import hamilton_modules.walk as walk_module
from hamilton_modules.languages import language_for_path
from hamilton_modules.walk import count_lines, walk_repository
from tests.dataflow_support import run_dataflow, write_repo

CANARY = "CANARY-6f1d2e-never-read"
BIG = 20 * 1024 * 1024


def walk(root: Path, max_file_bytes: int = 1 << 20) -> dict[str, tuple[str, str | None]]:
    records = walk_repository(
        root=root, max_file_bytes=max_file_bytes, language_for_path=language_for_path
    )
    return {record.path: (record.status, record.reason) for record in records}


@pytest.fixture(scope="module")
def bad_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    base = tmp_path_factory.mktemp("bad")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(f"def leak():\n    return '{CANARY}'\n")
    repo = write_repo(
        base / "repo",
        {
            "broken.py": "def f(:\n    return (\nclass C:\n    def g(self): pass\n",
            "binary.py": b"\x00\x01\x02def f(): pass\n",
            "latin1.py": "x = 'caf\xe9'\n".encode("latin-1"),
            "empty.py": b"",
            "huge.py": b"",  # replaced below by a 20 MB file
            "deep.py": "x = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n",
            "deep.rs": "fn f() { " + "{" * 10_000 + "}" * 10_000 + " }\n",
            "locked.py": "def locked(): pass\n",
            "my file.py": "def spaced(): pass\n",
            "naïve_模块.py": "def unicode_name(): pass\n",
            "new\nline.py": "def newline_name(): pass\n",
            "back\\slash.py": "def backslash_name(): pass\n",
            "README.md": "# not code\n",
            "ok.go": "package main\n\nfunc main() {}\n",
        },
    )
    with (repo / "huge.py").open("wb") as handle:
        handle.truncate(BIG)
    (repo / "loop.py").symlink_to("loop.py")  # a symlink loop
    (repo / "sub").mkdir()
    (repo / "sub" / "up").symlink_to("..")  # a directory loop back into the repository
    (repo / "leak.py").symlink_to(outside / "secret.py")  # a file outside the repository
    (repo / "outside_dir").symlink_to(outside)  # a folder outside the repository
    (repo / "dangling.py").symlink_to(base / "missing.py")
    os.mkfifo(repo / "pipe.py")
    (repo / os.fsdecode(b"bad\xffname.py")).write_text("def bad_name(): pass\n")
    (repo / "locked.py").chmod(0)
    yield base, repo
    (repo / "locked.py").chmod(0o644)


def test_every_bad_file_has_its_reason(bad_repo: tuple[Path, Path]) -> None:
    _, repo = bad_repo
    found = walk(repo)
    locked_readable = os.access(repo / "locked.py", os.R_OK)  # root reads through chmod 000
    assert found == {
        "README.md": ("skipped", "unknown_language"),
        "bad\\xffname.py": ("skipped", "invalid_filename"),
        "back\\slash.py": ("ok", None),
        "binary.py": ("skipped", "binary"),
        "broken.py": ("ok", None),
        "dangling.py": ("skipped", "symlink_broken"),
        "deep.py": ("ok", None),
        "deep.rs": ("ok", None),
        "empty.py": ("ok", None),
        "huge.py": ("skipped", "too_large"),
        "latin1.py": ("skipped", "invalid_utf8"),
        "leak.py": ("skipped", "symlink_outside"),
        "locked.py": ("ok", None) if locked_readable else ("skipped", "unreadable"),
        "loop.py": ("skipped", "symlink_loop"),
        "my file.py": ("ok", None),
        "naïve_模块.py": ("ok", None),
        "new\nline.py": ("ok", None),
        "ok.go": ("ok", None),
        "outside_dir": ("skipped", "symlink_outside"),
        "pipe.py": ("skipped", "not_regular"),
        "sub/up": ("skipped", "symlink"),
    }


def test_bad_repository_builds_and_reads_nothing_outside(bad_repo: tuple[Path, Path]) -> None:
    _, repo = bad_repo
    tables = run_dataflow(repo, languages=["python", "rust", "go"], workers=1)
    files = tables["files"]
    by_path = {row["path"]: row for row in files.iter_rows(named=True)}
    assert by_path["broken.py"]["parse_errors"] > 0
    assert by_path["empty.py"]["parse_errors"] == 0
    assert by_path["empty.py"]["lines"] == 0
    assert by_path["empty.py"]["sha256"] == hashlib.sha256(b"").hexdigest()
    assert by_path["huge.py"]["size"] == BIG
    assert by_path["huge.py"]["sha256"] is None  # too large: never read
    assert by_path["leak.py"]["sha256"] is None and by_path["leak.py"]["size"] == 0
    assert by_path["binary.py"]["parse_errors"] is None  # skipped files are not parsed
    # Syntax errors still yield what tree-sitter recovered.
    symbols = tables["python.symbols"]
    names = set(symbols["name"].to_list())
    assert {"C", "spaced", "unicode_name", "newline_name", "backslash_name"} <= names
    assert set(symbols["path"].to_list()) <= set(by_path)  # same paths in every table
    assert "bad_name" not in names and "leak" not in names
    # Nothing from outside the repository reached any table.
    for name, table in tables.items():
        for column, dtype in table.schema.items():
            if dtype == pl.String:
                values = table[column].drop_nulls().to_list()
                assert not any(CANARY in value or "secret" in value for value in values), (
                    name,
                    column,
                )
    assert not any(path.startswith("outside_dir/") for path in by_path)


def test_gitignore_is_honoured_in_a_git_repository(tmp_path: Path) -> None:
    files = {
        ".git/config": "[core]\n",
        ".git/info/exclude": "excluded.py\n",
        ".gitignore": "*.log\nbuild/\n!keep.log\n",
        "main.py": "x = 1\n",
        "debug.log": "noise\n",
        "keep.log": "kept\n",
        "excluded.py": "x = 1\n",
        "build/out.py": "x = 1\n",
        "pkg/.gitignore": "generated_*.py\n",
        "pkg/generated_a.py": "x = 1\n",
        "pkg/real.py": "x = 1\n",
        "other/generated_b.py": "x = 1\n",
    }
    repo = write_repo(tmp_path / "git", files)
    assert sorted(walk(repo)) == [
        ".gitignore",
        "keep.log",
        "main.py",
        "other/generated_b.py",  # the nested rule applies under pkg/ only
        "pkg/.gitignore",
        "pkg/real.py",
    ]
    # Without .git the same folder is not a git repository: nothing is ignored but .git itself.
    plain = write_repo(tmp_path / "plain", {k: v for k, v in files.items() if ".git/" not in k})
    assert "debug.log" in walk(plain) and "build/out.py" in walk(plain)


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {"a.py": "x = 1\n" * 100, "b.py": "y = 2\n"})
    assert walk(repo, max_file_bytes=100) == {
        "a.py": ("skipped", "too_large"),
        "b.py": ("ok", None),
    }
    tables = run_dataflow(repo, languages=["python"], max_file_bytes=100)
    assert tables["files"].filter(pl.col("status") == "ok")["path"].to_list() == ["b.py"]


def test_line_counts() -> None:
    assert count_lines(b"") == 0
    assert count_lines(b"a") == 1
    assert count_lines(b"a\n") == 1
    assert count_lines(b"a\nb") == 2
    assert count_lines(b"\n\n") == 2


def test_identical_files_are_parsed_once_and_attributed_to_both_paths(tmp_path: Path) -> None:
    source = "def same():\n    return 1\n"
    repo = write_repo(tmp_path, {"a/x.py": source, "b/x.py": source})
    tables = run_dataflow(repo, languages=["python"])
    assert tables["python.symbols"].select("path", "qualified_name").rows() == [
        ("a/x.py", "a.x.same"),
        ("b/x.py", "b.x.same"),
    ]


def test_files_of_languages_not_built_are_skipped_with_a_reason(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {"a.py": "x = 1\n", "b.go": "package b\n"})
    tables = run_dataflow(repo, languages=["python"])
    assert tables["files"].select("path", "status", "reason", "parse_errors").rows() == [
        ("a.py", "ok", None, 0),
        ("b.go", "skipped", "language_not_built", None),
    ]


def test_a_second_walk_reads_only_changed_or_recent_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A walk in the same process reuses the records of files whose status (inode, size, times)
    is unchanged; a rewrite with the same size and modification time is still read again (its
    change time moved), and so is a file modified too recently for its times to tell."""

    repo = write_repo(tmp_path / "repo", {"a.py": "x = 1\n", "b.py": "y = 2\n"})
    reads: list[str] = []
    real_read = walk_module._read_regular_file

    def counting_read(full_path: str) -> bytes:
        reads.append(Path(full_path).name)
        return real_read(full_path)

    monkeypatch.setattr(walk_module, "_read_regular_file", counting_read)

    def records() -> dict[str, str | None]:
        found = walk_repository(
            root=repo, max_file_bytes=1 << 20, language_for_path=language_for_path
        )
        return {record.path: record.sha256 for record in found}

    # Files written just now are racy: read by every walk.
    first = records()
    assert sorted(reads) == ["a.py", "b.py"]
    assert records() == first and sorted(reads) == ["a.py", "a.py", "b.py", "b.py"]

    # Settled files (here: any file older than the walk) are read once.
    monkeypatch.setattr(walk_module, "RACY_SECONDS", 0.0)
    reads.clear()
    assert records() == first and sorted(reads) == ["a.py", "b.py"]
    reads.clear()
    assert records() == first and reads == []

    # Same size, modification time set back: the change time tells.
    status = (repo / "a.py").stat()
    time.sleep(0.05)  # past one tick of the file system's clock (RACY_SECONDS is 0 here)
    (repo / "a.py").write_text("x = 3\n")
    os.utime(repo / "a.py", ns=(status.st_atime_ns, status.st_mtime_ns))
    changed = records()
    assert reads == ["a.py"]
    assert changed["a.py"] == hashlib.sha256(b"x = 3\n").hexdigest()
    assert changed["b.py"] == first["b.py"]


def test_a_walk_handed_over_is_taken_once_by_the_next_walk_of_that_repository(
    tmp_path: Path,
) -> None:
    """In a ``handed_walk`` block the first walk of the repository with the same rules returns
    the records handed over (a walk just made); a walk with other rules, the next one, and any
    walk after the block walk the folder."""
    repo = write_repo(tmp_path / "repo", {"a.py": "x = 1\n"})
    other = write_repo(tmp_path / "other", {"b.py": "y = 2\n"})

    def paths(root: Path, max_file_bytes: int = 1 << 20) -> list[str]:
        found = walk_repository(
            root=root, max_file_bytes=max_file_bytes, language_for_path=language_for_path
        )
        return [record.path for record in found]

    handed = walk_repository(root=repo, max_file_bytes=1 << 20, language_for_path=language_for_path)
    (repo / "new.py").write_text("z = 3\n")  # after the walk handed over
    with walk_module.handed_walk(
        root=repo, max_file_bytes=1 << 20, language_for_path=language_for_path, records=handed
    ):
        assert paths(other) == ["b.py"]
        assert paths(repo, max_file_bytes=10) == ["a.py", "new.py"]  # other rules: walked
        assert paths(repo) == ["a.py"]  # the walk handed over
        assert paths(repo) == ["a.py", "new.py"]  # taken once
    with walk_module.handed_walk(
        root=repo, max_file_bytes=1 << 20, language_for_path=language_for_path, records=handed
    ):
        pass
    assert paths(repo) == ["a.py", "new.py"]


TAG = b"Signature: 8a477f597d28d172789f06886806bc55\n# a cache\n"


def test_a_folder_with_a_cache_directory_tag_is_one_record_and_nothing_in_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A committed cargo ``target/`` (a foreign tag), codeintel's own output: skipped like
    ``.git/``, one record saying why its files are missing; nested tags are never reached."""
    repo = write_repo(
        tmp_path / "repo",
        {
            "main.py": "x = 1\n",
            "target/CACHEDIR.TAG": TAG,
            "target/debug/build.rs": "fn main() {}\n",
            "target/inner/CACHEDIR.TAG": TAG,
            "pkg/out/CACHEDIR.TAG": TAG,
            "pkg/out/cpg/nodes.parquet": b"PAR1\0",
            "pkg/real.py": "y = 2\n",
        },
    )
    reads: list[str] = []
    real_read = walk_module._read_regular_file
    monkeypatch.setattr(
        walk_module, "_read_regular_file", lambda path: reads.append(path) or real_read(path)
    )
    assert walk(repo) == {
        "main.py": ("ok", None),
        "pkg/out": ("skipped", "cache_directory"),
        "pkg/real.py": ("ok", None),
        "target": ("skipped", "cache_directory"),
    }
    assert sorted(Path(path).name for path in reads) == ["main.py", "real.py"]


def test_a_cache_directory_tag_must_be_a_regular_file_with_the_signature(tmp_path: Path) -> None:
    """No signature (or not at the start), a symlink to a valid tag (inside or outside the
    repository: never followed), a folder named CACHEDIR.TAG: no tag, the folder is walked."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "CACHEDIR.TAG").write_bytes(TAG)
    repo = write_repo(
        tmp_path / "repo",
        {
            "unsigned/CACHEDIR.TAG": "Signature: not the one\n",
            "unsigned/a.py": "x = 1\n",
            "late/CACHEDIR.TAG": b"\n" + TAG,
            "late/b.py": "x = 1\n",
            "linked/c.py": "x = 1\n",
            "linked_in/d.py": "x = 1\n",
            "tagged/CACHEDIR.TAG": TAG,
            "folder/CACHEDIR.TAG/e.py": "x = 1\n",
        },
    )
    (repo / "linked" / "CACHEDIR.TAG").symlink_to(outside / "CACHEDIR.TAG")
    (repo / "linked_in" / "CACHEDIR.TAG").symlink_to(repo / "tagged" / "CACHEDIR.TAG")
    found = walk(repo)
    assert found == {
        "folder/CACHEDIR.TAG/e.py": ("ok", None),
        "late/CACHEDIR.TAG": ("skipped", "unknown_language"),
        "late/b.py": ("ok", None),
        "linked/CACHEDIR.TAG": ("skipped", "symlink_outside"),
        "linked/c.py": ("ok", None),
        "linked_in/CACHEDIR.TAG": ("skipped", "symlink"),
        "linked_in/d.py": ("ok", None),
        "tagged": ("skipped", "cache_directory"),
        "unsigned/CACHEDIR.TAG": ("skipped", "unknown_language"),
        "unsigned/a.py": ("ok", None),
    }


def test_the_repository_itself_is_walked_when_tagged_and_ignored_tagged_folders_leave_no_record(
    tmp_path: Path,
) -> None:
    repo = write_repo(
        tmp_path / "repo",
        {
            "CACHEDIR.TAG": TAG,
            "a.py": "x = 1\n",
            ".git/HEAD": "ref: main\n",
            ".gitignore": "target/\n",
            "target/CACHEDIR.TAG": TAG,
            "target/b.py": "x = 1\n",
        },
    )
    assert walk(repo) == {
        ".gitignore": ("skipped", "unknown_language"),
        "CACHEDIR.TAG": ("skipped", "unknown_language"),
        "a.py": ("ok", None),
    }


def test_the_tag_codeintel_writes_is_the_tag_the_walk_honours(tmp_path: Path) -> None:
    from orchestration import cachedir

    assert cachedir.SIGNATURE == walk_module.CACHEDIR_SIGNATURE
    assert cachedir.TAG_NAME == walk_module.CACHEDIR_TAG
    repo = write_repo(tmp_path / "repo", {"a.py": "x = 1\n", "out/b.py": "x = 1\n"})
    assert cachedir.tag_folder(repo / "out", ours=lambda _folder: True)
    assert cachedir.tag_folder(repo / "new" / "cache")
    assert walk(repo) == {
        "a.py": ("ok", None),
        "new/cache": ("skipped", "cache_directory"),
        "out": ("skipped", "cache_directory"),
    }
