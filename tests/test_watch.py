"""``codeintel build --watch`` (``orchestration.watch``, ``definitions._watch_builds``): one
process builds again after each change of the repository, and its output equals a fresh build's."""

from __future__ import annotations

import queue
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from orchestration.watch import RepositoryWatch
from tests.dataflow_support import write_repo
from tests.hardening_support import (
    PROJECT,
    build_argv,
    build_outputs,
    clean_env,
    run_codeintel,
)

# Waits for an event (a line of output, a batch of changes); never a measure of speed.
EVENT_TIMEOUT = 120.0
# How long "nothing happens" is waited for before it counts as nothing.
QUIET_PERIOD = 3.0

SOURCE = "def f():\n    g()\n\n\ndef g():\n    pass\n"


class _Watcher:
    """A running ``codeintel build --watch`` and the lines it prints, read by a thread."""

    def __init__(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(
            argv,
            cwd=PROJECT,
            env=clean_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def next_line(self, timeout: float = EVENT_TIMEOUT) -> str:
        return self.lines.get(timeout=timeout)

    def wait_for(self, prefix: str) -> list[str]:
        """The lines up to and including the first one starting with ``prefix``."""
        seen: list[str] = []
        while True:
            try:
                seen.append(self.next_line())
            except queue.Empty:
                pytest.fail(
                    f"no line starting with {prefix!r} (exit {self.process.poll()}): {seen}"
                )
            if seen[-1].startswith(prefix):
                return seen

    def stop(self, signum: int) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=EVENT_TIMEOUT)


@pytest.fixture
def watcher_factory() -> Iterator[list[_Watcher]]:
    started: list[_Watcher] = []
    yield started
    for watcher in started:
        if watcher.process.poll() is None:
            watcher.process.kill()
            watcher.process.wait()


def _start(started: list[_Watcher], repo: Path, out: Path, cache: Path) -> _Watcher:
    watcher = _Watcher(build_argv(repo, out, cache, "--watch"))
    started.append(watcher)
    lines = watcher.wait_for("codeintel build: watching")
    assert any(" files considered, " in line for line in lines), lines
    return watcher


def test_a_change_builds_again_in_the_same_process_as_a_fresh_build_would(
    tmp_path: Path, watcher_factory: list[_Watcher]
) -> None:
    repo = write_repo(tmp_path / "repo", {"a.py": SOURCE})
    out, cache = tmp_path / "out", tmp_path / "cache"
    watcher = _start(watcher_factory, repo, out, cache)

    (repo / "a.py").write_text(SOURCE + "\n\ndef h():\n    f()\n")
    rebuilt = watcher.wait_for("codeintel build: ")
    assert " tables, 1 files considered" in rebuilt[-1], rebuilt
    assert " hits / " in rebuilt[-1]  # Hamilton's cache of the first build served the rest

    fresh = tmp_path / "fresh"
    # (an empty cache: with none, the manifest records no content tokens)
    result = run_codeintel(build_argv(repo, fresh, tmp_path / "fresh-cache"))
    assert result.returncode == 0, result.stderr
    assert build_outputs(out) == build_outputs(fresh)

    assert watcher.stop(signal.SIGTERM) == 0


def test_changes_that_leave_the_output_as_it_is_build_nothing(
    tmp_path: Path, watcher_factory: list[_Watcher]
) -> None:
    """A touched file (same bytes) and a file the walk ignores wake the watch, but the
    repository's stamp is unchanged: no build, no line; Ctrl-C ends the watch with status 0."""
    repo = write_repo(
        tmp_path / "repo", {"a.py": SOURCE, ".git/HEAD": "ref: main\n", ".gitignore": "scratch/\n"}
    )
    out, cache = tmp_path / "out", tmp_path / "cache"
    watcher = _start(watcher_factory, repo, out, cache)
    manifest = (out / "manifest.json").read_bytes()

    (repo / "a.py").touch()
    write_repo(repo, {"scratch/notes.py": "x = 1\n"})
    with pytest.raises(queue.Empty):
        watcher.next_line(timeout=QUIET_PERIOD)
    assert (out / "manifest.json").read_bytes() == manifest

    assert watcher.stop(signal.SIGINT) == 0


def test_output_and_cache_inside_the_repository_build_once_per_real_change(
    tmp_path: Path, watcher_factory: list[_Watcher]
) -> None:
    """Both folders are tagged (``orchestration.cachedir``) before the first walk: no build
    inventories them, and a build's own writes change no stamp."""
    repo = write_repo(tmp_path / "repo", {"a.py": SOURCE})
    watcher = _start(watcher_factory, repo, repo / "out", repo / ".cache")

    for change in range(2):
        (repo / "a.py").write_text(SOURCE + f"\n\ndef h{change}():\n    f()\n")
        rebuilt = watcher.wait_for("codeintel build: ")
        # a.py and one cache_directory row per folder
        assert " tables, 3 files considered" in rebuilt[-1], rebuilt
        with pytest.raises(queue.Empty):
            watcher.next_line(timeout=QUIET_PERIOD)

    files = pl.read_parquet(repo / "out" / "repo" / "files.parquet")
    assert files["path"].to_list() == [".cache", "a.py", "out"]
    assert watcher.stop(signal.SIGTERM) == 0


def test_the_watch_ends_when_the_repository_disappears(
    tmp_path: Path, watcher_factory: list[_Watcher]
) -> None:
    """It says so and ends with status 2, as a build of a missing repository does."""
    repo = write_repo(tmp_path / "repo", {"a.py": SOURCE})
    out, cache = tmp_path / "out", tmp_path / "cache"
    watcher = _start(watcher_factory, repo, out, cache)
    (repo / "a.py").unlink()
    repo.rmdir()
    lines = watcher.wait_for("codeintel build: repository")
    assert "does not exist; stopped watching" in lines[-1], lines
    assert watcher.process.wait(timeout=EVENT_TIMEOUT) == 2


@pytest.mark.parametrize("polling", [False, True], ids=["notifications", "polling"])
def test_the_watch_sees_changes_made_before_its_first_step_and_leaves_out_ignored_folders(
    tmp_path: Path, polling: bool
) -> None:
    """Polling is the fallback when the operating system refuses more watches."""
    root = tmp_path / "repo"
    ignored = root / "out"
    ignored.mkdir(parents=True)
    stop = threading.Event()
    with RepositoryWatch(root, ignore=[ignored], polling=polling) as watch:
        # made while "a build runs", before anyone asks for changes
        (ignored / "manifest.json").write_text("{}")
        (root / "kept.py").write_text("x = 1\n")
        batches = watch.batches(stop=stop)
        seen = next(batches)
        assert seen == {(root / "kept.py").resolve()}
        # a batch of ignored paths only is no batch: the next one is the stop
        (ignored / "manifest.json").write_text('{"again": 1}')
        threading.Timer(QUIET_PERIOD, stop.set).start()
        assert list(batches) == []
