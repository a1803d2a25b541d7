"""Hostile input at every entry: clear errors, nothing written outside its root, nothing read outside.

Entries: ``codeintel repos add`` / ``materialize`` / ``build`` / ``plan`` (in process, through
``orchestration.cli.main``, so NUL bytes can be passed), ``dagster job launch`` with a hostile
partition tag (real CLI), the IO manager's partition folders, and Dagster run config of the wrong
type. The sensor's hostile folder names are covered by ``tests/test_sensors.py``.

"Nothing written outside": the whole temporary tree is snapshotted before and after, and only the
Dagster home (or the output and cache folders of a build) may change. "Nothing read outside":
inotify (``tests.fs_watch``) watches the folders outside the repository that symlinks inside it
point to, and reports any open or read there by any process; a FIFO outside the repository would
also block a reader forever.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from dagster import DagsterInstance, DagsterInvalidConfigError, DagsterRunStatus

from orchestration.cli import main as codeintel
from orchestration.io_manager import partition_root
from orchestration.storage import StorageError
from tests.fs_watch import IN_ACCESS, IN_OPEN, FolderWatch
from tests.hardening_support import (
    BIN,
    PROJECT,
    build_argv,
    clean_env,
    run_codeintel,
    tree_snapshot,
    write_polyglot_repo,
)
from tests.instance_home import new_dagster_home

HOSTILE_KEYS = [
    "../escape",
    "/etc",
    "a/../../b",
    "nul\0byte",
    "new\nline",
    "k" * 10_000,
    "..",
    ".",
    "",
    "a...b",
]


def _changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = new_dagster_home(tmp_path / "home")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    for name in ("CODEINTEL_WAREHOUSE", "CODEINTEL_CACHE_DIR", "CODEINTEL_REPOS_ROOT"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def small_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "small"
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "mod.py").write_text("def f():\n    return g()\n\n\ndef g():\n    return 1\n")
    return repo


@pytest.mark.parametrize("key", HOSTILE_KEYS, ids=lambda key: repr(key)[:20])
@pytest.mark.parametrize("command", ["repos add", "materialize"])
def test_hostile_partition_keys_are_refused_and_nothing_is_written(
    command: str,
    key: str,
    home: Path,
    small_repo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = tree_snapshot(tmp_path)
    code = codeintel([*command.split(), str(small_repo), "--key", key])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("codeintel "), err
    assert "partition key" in err and "Traceback" not in err
    assert len(err) < 400  # a 10,000-character key is abbreviated, not echoed
    assert _changed(before, tree_snapshot(tmp_path)) <= {
        path for path in tree_snapshot(tmp_path) if path.startswith("home")
    }
    registry = home / "codeintel" / "partitions.json"
    assert not registry.exists() or json.loads(registry.read_text())["partitions"] == {}


@pytest.mark.parametrize(
    ("name", "refusal"),
    [
        ("new\nline", None),
        ("..dots..", None),
        ("sp ace$&;|", None),
        ("é" * 100, "pass an explicit key"),  # nothing safe is left of the name
        ("n" * 250, "the limit is 100"),
    ],
    ids=["newline", "dots", "shell", "non-ascii", "long"],
)
def test_hostile_folder_names_get_safe_keys_or_a_clear_refusal(
    name: str, refusal: str | None, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "repos" / name
    folder.mkdir(parents=True)
    code = codeintel(["repos", "add", str(folder)])
    captured = capsys.readouterr()
    if refusal is not None:
        assert code == 2 and refusal in captured.err, captured.err
        return
    assert code == 0, captured.err
    key = captured.out.split()[1]
    assert key and all(char.isalnum() or char in "._-" for char in key) and key.isascii()
    assert not key.startswith(".")
    assert len(key) <= 100


@pytest.mark.parametrize("key", ["../escape", "/abs", "a\0b", "x\ny", "k" * 10_000, ".."])
def test_io_manager_refuses_partition_folders_outside_the_warehouse(
    key: str, tmp_path: Path
) -> None:
    with pytest.raises(StorageError, match="partition key"):
        partition_root(tmp_path / "warehouse", key)
    assert not (tmp_path / "warehouse").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--languages", "nonsense"], "unknown languages"),
        (["--languages", "python,"], None),  # a trailing comma is fine
        (["--workers", "-1"], "workers must be >= 0"),
        (["--workers", "two"], "invalid int value"),
        (["--max-file-bytes", "abc"], "invalid int value"),
        (["--max-file-bytes", "-5"], "max_file_bytes must be >= 0"),
    ],
)
def test_build_options_of_the_wrong_type_are_clear_errors(
    argv: list[str],
    message: str | None,
    small_repo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    code = codeintel(
        ["build", str(small_repo), "--out", str(out), "--cache-dir", str(cache), *argv]
    )
    err = capsys.readouterr().err
    if message is None:
        assert code == 0, err
        return
    assert code == 2, err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_plan_config_of_the_wrong_type_is_a_clear_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = codeintel(["plan", "--config", "languages=3"])
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err and err.strip(), err
    assert len(err.strip().splitlines()) <= 3, err


def test_repository_path_that_is_a_file(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "file.py"
    not_a_folder.write_text("x = 1\n")
    out = tmp_path / "out"
    assert codeintel(["build", str(not_a_folder), "--out", str(out)]) == 2
    assert "is not a directory" in capsys.readouterr().err
    assert not out.exists()
    assert codeintel(["repos", "add", str(not_a_folder)]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert codeintel(["materialize", str(not_a_folder)]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_wrong_run_config_type_is_refused_before_anything_runs(home: Path) -> None:
    from orchestration.definitions import defs

    job = defs.resolve_job_def("codeintel_job")
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions("repos", ["small"])
        with pytest.raises(DagsterInvalidConfigError, match="warehouse"):
            job.execute_in_process(
                run_config={"resources": {"io_manager": {"config": {"warehouse": 3}}}},
                instance=instance,
                partition_key="small",
            )
    assert not (home / "warehouse").exists()


@pytest.fixture
def outside(tmp_path: Path) -> Iterator[tuple[Path, FolderWatch]]:
    """A folder outside the repository with a canary file and a FIFO, watched for any read."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "canary.py").write_text("SECRET = 'must never be read'\n")
    os.mkfifo(folder / "pipe.py")
    with FolderWatch() as watch:
        watch.add(folder, IN_OPEN | IN_ACCESS)
        yield folder, watch


def _reads(watch: FolderWatch) -> list[str]:
    return [event.name or "<the folder itself>" for event in watch.events(timeout=0.2)]


def test_symlinks_out_of_the_repository_are_never_followed(
    outside: tuple[Path, FolderWatch], small_repo: Path, tmp_path: Path
) -> None:
    folder, watch = outside
    (small_repo / "leak.py").symlink_to(folder / "canary.py")
    (small_repo / "fifo.py").symlink_to(folder / "pipe.py")
    (small_repo / "outside_dir").symlink_to(folder)
    out = tmp_path / "out"
    built = run_codeintel(build_argv(small_repo, out, tmp_path / "cache"), timeout=120)
    assert built.returncode == 0, built.stderr  # a followed FIFO would have blocked: timeout
    assert _reads(watch) == []
    files = pl.read_parquet(out / "repo" / "files.parquet")
    reasons = dict(zip(files["path"].to_list(), files["reason"].to_list(), strict=True))
    assert reasons["leak.py"] == reasons["fifo.py"] == reasons["outside_dir"] == "symlink_outside"


@pytest.mark.slow
def test_repository_swapped_for_a_symlink_during_the_build_reads_nothing_outside(
    outside: tuple[Path, FolderWatch], tmp_path: Path
) -> None:
    folder, watch = outside
    repo = write_polyglot_repo(tmp_path / "swapped", files_per_language=120)
    # The outside folder mirrors the repository's names: whatever follows the swapped path lands
    # on a file there (and the inotify watch on each of its folders reports it).
    write_polyglot_repo(folder, files_per_language=120)
    for sub in sorted(p for p in folder.rglob("*") if p.is_dir()):
        watch.add(sub, IN_OPEN | IN_ACCESS)
    while watch.events(timeout=0.2):  # this test's own writes and listings
        pass
    out = tmp_path / "out"
    process = subprocess.Popen(
        build_argv(repo, out, tmp_path / "cache", "--workers", "1"),
        cwd=PROJECT,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    moved = tmp_path / "swapped.original"
    with FolderWatch() as repo_watch:
        repo_watch.add(repo / "python" / "d0", IN_OPEN)
        deadline = time.monotonic() + 120
        while not repo_watch.events(timeout=0.05):  # the inventory is reading the repository
            assert time.monotonic() < deadline and process.poll() is None
    os.rename(repo, moved)
    repo.symlink_to(folder)
    stdout, stderr = process.communicate(timeout=300)
    outside_reads = _reads(watch)
    assert outside_reads == [], f"read outside the repository: {outside_reads[:10]}"
    assert process.returncode in (0, 1, 2), stderr
    assert "Traceback" not in stderr, stdout + stderr


@pytest.mark.slow
@pytest.mark.e2e
def test_job_launch_with_a_hostile_partition_tag_fails_and_writes_nothing_outside(
    home: Path, tmp_path: Path
) -> None:
    warehouse = home / "warehouse"
    before = tree_snapshot(tmp_path)
    launched = subprocess.run(
        [
            *(str(BIN / "dagster"), "job", "launch", "-w", "workspace.yaml"),
            *("-j", "codeintel_job", "--tags", json.dumps({"dagster/partition": "../../escape"})),
        ],
        cwd=PROJECT,
        env=clean_env(DAGSTER_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    instance = DagsterInstance.from_config(str(home))
    try:
        runs = instance.get_runs()
        if runs:  # Dagster created the run: it must have failed, not written anything
            deadline = time.monotonic() + 120
            while runs[0].status not in {DagsterRunStatus.FAILURE, DagsterRunStatus.SUCCESS}:
                assert time.monotonic() < deadline, runs[0].status
                time.sleep(0.5)
                runs = instance.get_runs()
            assert runs[0].status == DagsterRunStatus.FAILURE
        else:
            assert launched.returncode != 0
    finally:
        instance.dispose()
    changed = _changed(before, tree_snapshot(tmp_path))
    assert all(path.startswith("home") for path in changed), sorted(changed)
    assert not any(warehouse.rglob("*.parquet")) if warehouse.exists() else True
    assert not (tmp_path / "escape").exists()
