"""SIGKILL a real ``codeintel build`` while it writes its outputs, then re-run it.

The build writes its tables as one unit (``storage.write_values``): every table to a temporary
file first, then all renames, then ``manifest.json``. It runs in a subprocess at the lowest CPU
priority while this process watches the output folders with inotify (``tests.fs_watch``) and
kills the build at a chosen point: while its output folder's cache directory tag is being
written (``orchestration.cachedir``), while its cache is being set up, while the first temporary
file is being written, after a third of them, and before the last one. Every file that becomes
visible under its final name is read back as Parquet the moment it appears, and once more after
each kill: a torn file must never be visible. The kills go to the
same output and cache folders one after another (a crash loop); the final re-run must then
complete with tables and manifest entries byte-identical to a clean build's.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from orchestration.cachedir import TAG_NAME, TAG_TEXT
from tests.fs_watch import IN_CREATE, IN_MOVED_TO, FolderWatch
from tests.hardening_support import (
    PROJECT,
    assert_all_visible_parquet_readable,
    assert_parquet_readable,
    build_argv,
    build_outputs,
    clean_env,
    run_codeintel,
    visible_files,
    write_polyglot_repo,
)

FILES_PER_LANGUAGE = 120  # 720 files: a few milliseconds per output write, ~3 s per build
KILL_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class KillPoint:
    name: str
    staged: int = 0  # kill once this many temporary output files were created
    on_cache: bool = False  # kill when the cache root gets its first entry (besides its tag)
    on_tag: bool = False  # kill when the output folder's tag gets its temporary


def _start_build(argv: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        argv,
        cwd=PROJECT,
        env=clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # Lowest priority and its own process group: the watcher reacts first, and the parse
        # workers the build may have spawned are killed with it.
        preexec_fn=lambda: os.nice(19),
        start_new_session=True,
    )


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _build_until_killed(argv: list[str], out: Path, cache: Path, point: KillPoint) -> list[str]:
    """Run the build, SIGKILL it at ``point``; return the temporary files created before."""
    folders = [out, *sorted(p for p in out.rglob("*") if p.is_dir())]
    staged: list[str] = []
    with FolderWatch() as watch:
        for folder in folders:
            watch.add(folder, IN_CREATE | IN_MOVED_TO)
        watch.add(cache, IN_CREATE)
        process = _start_build(argv)
        killed = False
        try:
            deadline = time.monotonic() + KILL_TIMEOUT_SECONDS
            while not killed:
                assert time.monotonic() < deadline, f"{point.name}: no kill point reached"
                assert process.poll() is None, (
                    f"{point.name}: the build ended (exit {process.returncode}) before the kill "
                    f"point; temporary files so far: {staged}"
                )
                for event in watch.events(timeout=0.05):
                    hidden = event.name.startswith(".")
                    tag = TAG_NAME in event.name  # the tag or its temporary: no table
                    if event.folder == cache:
                        trigger = point.on_cache and not tag
                    elif tag:
                        trigger = point.on_tag and hidden
                    elif hidden and event.mask & IN_CREATE:
                        staged.append(event.path.relative_to(out).as_posix())
                        trigger = len(staged) >= point.staged > 0
                    else:
                        trigger = False
                    if trigger:
                        os.kill(process.pid, signal.SIGKILL)
                        killed = True
                        break
                    if event.path.suffix == ".parquet" and not hidden:
                        assert_parquet_readable(event.path)  # visible = complete, always
            process.wait(timeout=60)
        finally:
            _kill_group(process)
            process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, point.name
    return staged


@pytest.fixture(scope="module")
def polyglot_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kill") / "polyglot"
    return write_polyglot_repo(root, files_per_language=FILES_PER_LANGUAGE)


@pytest.mark.slow
def test_killed_builds_leave_only_complete_files_and_the_rerun_matches_a_clean_build(
    polyglot_repo: Path, tmp_path: Path
) -> None:
    reference_out, reference_cache = tmp_path / "reference", tmp_path / "reference-cache"
    clean = run_codeintel(build_argv(polyglot_repo, reference_out, reference_cache))
    assert clean.returncode == 0, clean.stderr
    reference = build_outputs(reference_out)
    tables = len(reference[0])
    assert tables >= 30  # 6 languages x 5 tables + repo + cpg

    out, cache = tmp_path / "out", tmp_path / "cache"
    out.mkdir()
    cache.mkdir()
    # The layout's folders exist up front so that every one of them is watched from the start.
    for relative in reference[0]:
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
    argv = build_argv(polyglot_repo, out, cache)
    points = [
        KillPoint("output folder being tagged", on_tag=True),  # first: a tag is written once
        KillPoint("cache being set up", on_cache=True),
        KillPoint("first table being written", staged=1),
        KillPoint("a third of the tables written", staged=tables // 3),
        # Not at the last temporary: from its creation the rest (its bytes, the renames, the
        # manifest) can finish before a loaded machine delivers the kill (CI saw it once).
        KillPoint("before the last table is written", staged=tables - 1),
    ]
    for point in points:
        staged = _build_until_killed(argv, out, cache, point)
        assert len(staged) >= point.staged, point.name
        assert "manifest.json" not in visible_files(out), (
            f"{point.name}: the build finished before the kill"
        )
        assert_all_visible_parquet_readable(out)
        # the cache directory tag (written before the walk) is whole or absent, never torn
        assert visible_files(out).get("CACHEDIR.TAG", TAG_TEXT) == TAG_TEXT, point.name

    rerun = run_codeintel(argv)
    assert rerun.returncode == 0, rerun.stderr
    tables_after, manifest_after = build_outputs(out)
    assert sorted(tables_after) == sorted(reference[0])
    for relative, data in reference[0].items():
        assert tables_after[relative] == data, f"{relative} differs from the clean build's"
    assert manifest_after == reference[1]
    # a temporary of the tag left by a kill went with the tag's next write
    assert not [path.name for path in out.iterdir() if path.name.startswith(f".{TAG_NAME}.")]
