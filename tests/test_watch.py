"""``codeintel build --watch`` (``orchestration.watch``, ``definitions._watch_builds``): one
process builds again after each change of the repository, and its output equals a fresh build's."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib
import json
import os
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Self

import polars as pl
import pytest

from hamilton_modules.extraction_store import flush_writes
from hamilton_modules.resolution_store import (
    STORE_PREFIX,
    StoredResolution,
    flush_resolution_writes,
)
from orchestration import freshness
from orchestration import watch as watch_module
from orchestration.build import PreparedDataflow
from orchestration.cache_command import cache_report
from orchestration.cachedir import METADATA_FILE
from orchestration.caching import CacheWarning, cache_config
from orchestration.definitions import (
    KeptDataflow,
    _build_once,
    _build_parser,
    _watch_builds,
    dataflow_config,
)
from orchestration.watch import RepositoryWatch
from tests.dataflow_support import write_repo
from tests.hardening_support import (
    CODEINTEL,
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
    # the fresh build's resolution is in its database once it has exited
    assert _stored_sha256s(tmp_path / "fresh-cache", "a.py") == [_sha256(repo / "a.py")]

    assert watcher.stop(signal.SIGTERM) == 0
    # the watch's last resolution (written after its build) is in the database for the next
    # process
    assert _stored_sha256s(cache, "a.py") == [_sha256(repo / "a.py")]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stored_sha256s(cache: Path, path: str) -> list[str]:
    """The ``sha256`` of ``path`` in each entry of the resolution store of ``cache`` (read as
    another process reads it: from the database)."""
    found: list[str] = []
    for database in sorted((cache / "files").glob(f"{STORE_PREFIX}*.sqlite")):
        with contextlib.closing(sqlite3.connect(database)) as connection:
            for (value,) in connection.execute("SELECT value FROM entries ORDER BY key"):
                stored = StoredResolution.from_bytes(value)
                assert stored is not None
                files = stored.inputs.files.filter(pl.col("path") == path)
                found.extend(files["sha256"].to_list())
    return found


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


def test_with_no_cache_a_change_that_leaves_the_stamp_as_it_is_builds_nothing(
    tmp_path: Path, watcher_factory: list[_Watcher]
) -> None:
    """Review r13c: `--no-cache` trusts no manifest, so each event used to build again; the
    watch compares with the stamp of its own last build instead."""
    repo = write_repo(tmp_path / "repo", {"a.py": SOURCE})
    watcher = _Watcher(
        [
            str(CODEINTEL),
            "build",
            str(repo),
            "--out",
            str(tmp_path / "out"),
            "--no-cache",
            "--watch",
        ]
    )
    watcher_factory.append(watcher)
    watcher.wait_for("codeintel build: watching")
    (repo / "a.py").touch()
    with pytest.raises(queue.Empty):
        watcher.next_line(timeout=QUIET_PERIOD)
    (repo / "a.py").write_text(SOURCE + "\n\ndef h():\n    f()\n")
    assert " files considered, " in watcher.wait_for("codeintel build: ")[-1]
    assert watcher.stop(signal.SIGTERM) == 0


def test_an_output_folder_around_the_repository_hides_no_change(
    tmp_path: Path, watcher_factory: list[_Watcher]
) -> None:
    """Review r13c: `--out .` for `src` ignored every change of `src` (a path under the
    ignored folder); the output being the repository itself is refused (each build would be
    a change of it)."""
    project = tmp_path / "project"
    repo = write_repo(project / "src", {"a.py": SOURCE})
    watcher = _start(watcher_factory, repo, project, tmp_path / "cache")
    (repo / "a.py").write_text(SOURCE + "\n\ndef h():\n    f()\n")
    assert " files considered, " in watcher.wait_for("codeintel build: ")[-1]
    assert watcher.stop(signal.SIGTERM) == 0

    refused = run_codeintel(build_argv(repo, repo, tmp_path / "cache", "--watch"))
    assert refused.returncode == 2
    assert "--watch needs --out" in refused.stderr


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
def test_when_the_system_refuses_more_watches_the_watch_polls(tmp_path: Path) -> None:
    """Review r13c: watchfiles swallowed "OS file watch limit reached" when it ignored
    permission errors, so the polling fallback never ran and changes in the folders it could
    not watch were missed. In a user namespace whose inotify limit is 0 (no other process is
    affected) the watch warns, polls, and still sees a change."""
    root = write_repo(tmp_path / "repo", {"deep/er/a.py": "x = 1\n"})
    probe = (
        "import sys, threading, time, warnings\n"
        "from pathlib import Path\n"
        "from orchestration.watch import RepositoryWatch\n"
        "root = Path(sys.argv[1])\n"
        "done = threading.Event()\n"
        "def write():\n"
        "    # (until seen: the poller's first scan of the tree may come after a write)\n"
        "    for i in range(200):\n"
        "        if done.wait(0.25):\n"
        "            return\n"
        "        (root / 'deep' / 'er' / 'a.py').write_text(f'x = {i}\\n')\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    with RepositoryWatch(root) as watch:\n"
        "        threading.Thread(target=write, daemon=True).start()\n"
        "        batch = next(watch.batches(stop=threading.Event()))\n"
        "        done.set()\n"
        "print('polling', watch.polling)\n"
        "print('warned', any('polling it' in str(w.message) for w in caught))\n"
        "print('seen', any(p.name == 'a.py' for p in batch))\n"
    )
    limit = "echo 0 > /proc/sys/user/max_inotify_watches"
    inner = f'{limit} && exec {sys.executable} -c "$0" {root}'
    result = subprocess.run(
        ["unshare", "-Ur", "sh", "-c", inner, probe],
        capture_output=True,
        text=True,
        timeout=EVENT_TIMEOUT,
        cwd=PROJECT,
        env=clean_env(),
    )
    if result.returncode != 0 and "polling" not in result.stdout:
        pytest.skip(f"no user namespace with its own inotify limit here: {result.stderr[-300:]}")
    assert result.stdout.split("\n")[:3] == ["polling True", "warned True", "seen True"], (
        result.stdout + result.stderr
    )


@pytest.mark.parametrize("polling", [False, True], ids=["notifications", "polling"])
def test_a_repository_folder_replaced_at_its_path_is_watched_in_its_place(
    tmp_path: Path, polling: bool
) -> None:
    """r13c #8: the operating system watches the folder, not the path; after
    ``mv repo repo.old && mv repo.new repo`` the watch used to follow the old folder and never
    see a change of the repository again."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.py").write_text("x = 1\n")
    replacement = tmp_path / "repo.new"
    replacement.mkdir()
    (replacement / "a.py").write_text("x = 2\n")
    stop = threading.Event()
    threading.Timer(EVENT_TIMEOUT, stop.set).start()  # a hung test ends
    try:
        with RepositoryWatch(root, polling=polling) as watch:
            batches = watch.batches(stop=stop)
            root.rename(tmp_path / "repo.old")
            replacement.rename(root)
            # the batch that says the folder changed names the root (its content may differ)
            assert next(batches) == {root.resolve()}
            # and the new folder is the one watched now
            (root / "b.py").write_text("y = 1\n")
            seen: set[Path] = set()
            while (root / "b.py").resolve() not in seen:
                seen |= next(batches)
            # the old folder is watched no more: no batch names a path of it (a polling watch
            # may report the root folder's own change, b.py's, on a poll after b.py's: a batch
            # of the root alone, seen once in CI after the watch's 20 ms step)
            (tmp_path / "repo.old" / "c.py").write_text("z = 1\n")
            threading.Timer(QUIET_PERIOD, stop.set).start()
            rest = list(batches)
            assert all(batch == {root.resolve()} for batch in rest), rest
    finally:
        stop.set()


def test_a_build_follows_the_repository_folder_replaced_at_its_path(
    tmp_path: Path, watcher_factory: list[_Watcher]
) -> None:
    """The replacing folder is built (its content differs), then watched."""
    repo = write_repo(tmp_path / "repo", {"a.py": SOURCE})
    out, cache = tmp_path / "out", tmp_path / "cache"
    watcher = _start(watcher_factory, repo, out, cache)
    write_repo(tmp_path / "repo.new", {"a.py": SOURCE, "b.py": "def k():\n    pass\n"})
    repo.rename(tmp_path / "repo.old")
    (tmp_path / "repo.new").rename(repo)
    assert " tables, 2 files considered" in watcher.wait_for("codeintel build: ")[-1]
    (repo / "c.py").write_text("def m():\n    pass\n")
    assert " tables, 3 files considered" in watcher.wait_for("codeintel build: ")[-1]
    assert watcher.stop(signal.SIGTERM) == 0


# --- in process: the watch's builds share one prepared dataflow (driver and plan) ---------------

# (``orchestration.build`` is also the name of a function the package exports)
build_module = importlib.import_module("orchestration.build")

EDITS = [
    SOURCE,
    SOURCE + "\n\ndef h():\n    f()\n",
    SOURCE + "\n\ndef h():\n    g()\n\n\ndef k():\n    h()\n",
]


class _FakeWatch:
    """What a ``RepositoryWatch`` is to ``_watch_builds`` but its ``batches`` (the subclass's)."""

    def __init__(self, root: Path, *, ignore: list[Path]) -> None:
        self.root = root

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _watch_args(repo: Path, out: Path, cache: Path) -> tuple[argparse.Namespace, dict]:
    args = _build_parser().parse_args(
        [str(repo), "--out", str(out), "--cache-dir", str(cache), "--workers", "1"]
    )
    config = dataflow_config(
        languages=None, max_file_bytes=args.max_file_bytes, workers=1, dask_scheduler=None
    )
    return args, config


def _recorded(out: Path, cache: Path) -> dict:
    """What a build recorded that must not depend on whether its dataflow was prepared for it:
    its outputs (bytes), the cache's hits and misses, the cache report of its build id, which
    nodes were timed, and the nodes of the timings file."""
    manifest = json.loads((out / "manifest.json").read_text())
    config = cache_config(root=cache)
    (report,) = cache_report(config=config, run=manifest["cache"]["build_id"])
    timings = json.loads(config.timings_path.read_text())
    return {
        "outputs": build_outputs(out),
        "cache": {
            key: value
            for key, value in manifest["cache"].items()
            if key not in ("build_id", "cache_run_ids", "log_path")
        },
        "report": (report.label, report.nodes, report.recovered),
        "timed_nodes": sorted(manifest["timings"]["nodes"]),
        "timings_file_nodes": sorted(timings),
    }


def _delete_cache(cache: Path) -> None:
    shutil.rmtree(cache)


def _damage_database(cache: Path) -> None:
    database = cache / METADATA_FILE
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.write_bytes(b"this is not a database" * 100)  # in place: the same file


def _rebuilds(
    folder: Path,
    *,
    kept: KeptDataflow | None,
    before_last: Callable[[Path], None] | None = None,
    recorded_only_last: bool = False,
) -> list[dict]:
    """A build after each edit of ``EDITS`` (as the watch makes them), with or without a kept
    dataflow; ``before_last`` is done to the cache folder before the last build; what each
    build recorded (the last one's only with ``recorded_only_last``)."""
    repo = write_repo(folder / "repo", {"a.py": EDITS[0]})
    out, cache = folder / "out", folder / "cache"
    args, config = _watch_args(repo, out, cache)
    recorded, built = [], None
    for number, source in enumerate(EDITS):
        (repo / "a.py").write_text(source)
        if before_last is not None and number == len(EDITS) - 1:
            # the last build's store write first (a watch's runs after the build): one that
            # runs during the harm makes a database again inside a folder being removed
            flush_resolution_writes()
            before_last(cache)
        status, built = _build_once(
            args, config=config, code=None, loaded=lambda: None, built_stamp=built, kept=kept
        )
        assert status == 0
        if number == len(EDITS) - 1 or not recorded_only_last:
            recorded.append(_recorded(out, cache))
    return recorded


@pytest.fixture
def prepared_dataflows(monkeypatch: pytest.MonkeyPatch) -> list[PreparedDataflow]:
    """Every dataflow prepared (driver built, plan made) from now on."""
    made: list[PreparedDataflow] = []
    prepare = build_module.prepare_dataflow

    def counted(**kwargs: Any) -> PreparedDataflow:
        made.append(prepare(**kwargs))
        return made[-1]

    monkeypatch.setattr(build_module, "prepare_dataflow", counted)
    return made


def test_rebuilds_through_the_kept_dataflow_record_what_fresh_builds_record(
    tmp_path: Path, prepared_dataflows: list[PreparedDataflow]
) -> None:
    """Same outputs byte for byte, same hits and misses per node, each build's own cache report
    and timings: the kept driver's adapters carry nothing from one build to the next."""
    kept = KeptDataflow()
    through_kept = _rebuilds(tmp_path / "kept", kept=kept)
    assert len(prepared_dataflows) == 1 and kept.prepared is prepared_dataflows[0]
    fresh = _rebuilds(tmp_path / "fresh", kept=None)
    assert len(prepared_dataflows) == 1 + len(EDITS)  # each fresh build prepares its own
    assert through_kept == fresh
    assert through_kept[1]["cache"]["misses"] and through_kept[1]["cache"]["hits"]


@pytest.mark.parametrize("harm", [_delete_cache, _damage_database], ids=["deleted", "damaged"])
def test_a_cache_deleted_or_damaged_during_the_watch_is_started_afresh(
    tmp_path: Path,
    prepared_dataflows: list[PreparedDataflow],
    harm: Callable[[Path], None],
) -> None:
    """The kept adapter's stores are not the cache's files any more: a new dataflow is
    prepared, and the build records what a new process would (everything a miss, stored
    again; a damaged database moved aside)."""
    kept = KeptDataflow()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CacheWarning)  # "damaged; moved aside"
        through_kept = _rebuilds(tmp_path / "kept", kept=kept, before_last=harm)
        assert len(prepared_dataflows) == 2 and kept.prepared is prepared_dataflows[1]
        assert through_kept == _rebuilds(tmp_path / "fresh", kept=None, before_last=harm)
    assert not through_kept[-1]["cache"]["hits"]


@pytest.mark.parametrize("harm", [_delete_cache, _damage_database], ids=["deleted", "damaged"])
def test_a_cache_harmed_during_a_build_is_started_afresh_at_the_next(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    prepared_dataflows: list[PreparedDataflow],
    harm: Callable[[Path], None],
) -> None:
    """Review r14b: the kept dataflow noted the cache's files after each build, so a harm done
    during one passed for its stores' own files, and the rest of the watch wrote to a deleted
    database (nothing stored, no warning; the next process started cold)."""
    real_build = build_module.build
    built_count: list[int] = []

    def harmed_at_the_end(**kwargs: Any) -> dict:
        """The build, the cache harmed at its end (the last but one build of ``EDITS``)."""
        manifest = real_build(**kwargs)
        built_count.append(1)
        if len(built_count) == len(EDITS) - 1:
            # the stores' background writes of this build first: one that runs during the harm
            # makes a database again inside a folder being removed ("Directory not empty"); a
            # watch's resolution write is held until the build has reported, so it comes after
            # the harm (dropped when the folder is gone: ``resolution_store._write_held``)
            flush_writes()
            flush_resolution_writes()
            harm(kwargs["cache"].root)
        return manifest

    monkeypatch.setattr(build_module, "build", harmed_at_the_end)
    kept = KeptDataflow()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CacheWarning)  # "damaged; moved aside"
        through_kept = _rebuilds(tmp_path / "kept", kept=kept, recorded_only_last=True)
        assert len(prepared_dataflows) == 2 and kept.prepared is prepared_dataflows[1]
        built_count.clear()
        fresh = _rebuilds(tmp_path / "fresh", kept=None, recorded_only_last=True)
    assert through_kept == fresh
    assert not through_kept[-1]["cache"]["hits"]  # everything stored again, as a new process


def test_a_watch_build_stores_its_resolution_after_it_has_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The resolution store's write of a watch's build (``kept``) waits until the build has
    printed its line (``resolution_store.held_writes``): at the end of the dataflow's run the
    database still holds the last build's resolution, after the report this one's. A fresh
    build (no ``kept``) writes beside its run, as before."""
    real_build = build_module.build
    at_the_end: list[list[str]] = []

    def build_then_look(**kwargs: Any) -> dict:
        manifest = real_build(**kwargs)
        flush_resolution_writes()  # every write this process did not hold
        at_the_end.append(_stored_sha256s(kwargs["cache"].root, "a.py"))
        return manifest

    monkeypatch.setattr(build_module, "build", build_then_look)
    for kept in (KeptDataflow(), None):
        folder = tmp_path / ("watch" if kept is not None else "fresh")
        repo = write_repo(folder / "repo", {"a.py": EDITS[0]})
        args, config = _watch_args(repo, folder / "out", folder / "cache")
        at_the_end.clear()
        after: list[list[str]] = []
        built = None
        for source in EDITS:
            (repo / "a.py").write_text(source)
            status, built = _build_once(
                args, config=config, code=None, loaded=lambda: None, built_stamp=built, kept=kept
            )
            assert status == 0 and capsys.readouterr().out.startswith("codeintel build: ")
            flush_resolution_writes()
            after.append(_stored_sha256s(folder / "cache", "a.py"))
        edits = [[hashlib.sha256(source.encode()).hexdigest()] for source in EDITS]
        assert after == edits
        assert at_the_end == ([[], *edits[:-1]] if kept is not None else edits)


def test_a_watch_builds_its_driver_and_plan_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    prepared_dataflows: list[PreparedDataflow],
) -> None:
    """The first build prepares the dataflow, the builds after each change use it."""
    repo = write_repo(tmp_path / "repo", {"a.py": EDITS[0]})
    out, cache = tmp_path / "out", tmp_path / "cache"
    manifests: list[dict] = []

    class ScriptedWatch(_FakeWatch):
        """A ``RepositoryWatch`` of a repository that changes as ``EDITS`` say, then stops."""

        def batches(self, *, stop: threading.Event | None = None) -> Iterator[frozenset[Path]]:
            for source in EDITS[1:]:
                (self.root / "a.py").write_text(source)
                yield frozenset({self.root / "a.py"})
                manifests.append(json.loads((out / "manifest.json").read_text()))

    monkeypatch.setattr(watch_module, "RepositoryWatch", ScriptedWatch)
    args, config = _watch_args(repo, out, cache)
    assert _watch_builds(args, config=config, loaded=lambda: None) == 0

    assert len(manifests) == len(EDITS) - 1  # a build after each change
    assert len(prepared_dataflows) == 1
    run_ids = [run for manifest in manifests for run in manifest["cache"]["cache_run_ids"]]
    assert len(set(run_ids)) == len(run_ids) == len(EDITS) - 1
    fresh = tmp_path / "fresh"
    result = run_codeintel(build_argv(repo, fresh, tmp_path / "fresh-cache"))
    assert result.returncode == 0, result.stderr
    assert build_outputs(out) == build_outputs(fresh)


def test_a_file_of_a_new_language_gets_its_dataflow_and_tables_as_a_fresh_build(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    prepared_dataflows: list[PreparedDataflow],
) -> None:
    """A build runs the languages the repository has (``languages_present``): a Go file added
    during the watch gets a dataflow with Go and Go's tables, its removal one without; each
    build writes what a fresh build of that repository writes."""
    repo = write_repo(tmp_path / "repo", {"a.py": EDITS[0]})
    out, cache = tmp_path / "out", tmp_path / "cache"
    go_file = repo / "cmd" / "main.go"
    states: list[tuple[tuple[dict[str, bytes], dict[str, object]], list[str]]] = []

    class ScriptedWatch(_FakeWatch):
        """A Go file comes, then goes; the output is recorded after each build."""

        def batches(self, *, stop: threading.Event | None = None) -> Iterator[frozenset[Path]]:
            for change in ("add", "remove"):
                if change == "add":
                    go_file.parent.mkdir()
                    go_file.write_text("package main\n\nfunc main() {\n\tmain()\n}\n")
                else:
                    shutil.rmtree(go_file.parent)
                yield frozenset({go_file})
                manifest = json.loads((out / "manifest.json").read_text())
                states.append((build_outputs(out), manifest["config"]["languages"]))
                fresh = tmp_path / f"fresh-{change}"
                result = run_codeintel(build_argv(repo, fresh, tmp_path / f"cache-{change}"))
                assert result.returncode == 0, result.stderr
                assert build_outputs(out) == build_outputs(fresh)

    monkeypatch.setattr(watch_module, "RepositoryWatch", ScriptedWatch)
    args, config = _watch_args(repo, out, cache)
    assert _watch_builds(args, config=config, loaded=lambda: None) == 0

    assert [languages for _outputs, languages in states] == [["python", "go"], ["python"]]
    added, removed = (sorted(outputs[0]) for outputs, _languages in states)
    assert {"go/symbols.parquet", "go/calls.parquet"} <= set(added) - set(removed)
    assert len(prepared_dataflows) == 3  # python; python and go; python again


class _InterruptedWatch(_FakeWatch):
    """A ``RepositoryWatch`` that gets Ctrl-C outside its wait for changes (as between two of
    the real watch's waits, in its own bookkeeping), then ends as the real one does once
    ``stop`` is set. ``change`` "after" yields one change and no Ctrl-C; "before" yields one
    change after the Ctrl-C (it came once the wait had returned the change)."""

    change: str | None = None

    def batches(self, *, stop: threading.Event | None = None) -> Iterator[frozenset[Path]]:
        assert stop is not None
        if self.change is not None:
            (self.root / "a.py").write_text(EDITS[1])
        if self.change == "after":
            yield frozenset({self.root / "a.py"})
            return
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(1000):  # the signal's handler runs between two bytecodes of this loop
            if stop.is_set():
                break
        else:
            raise AssertionError("Ctrl-C did not set stop")
        if self.change == "before":
            yield frozenset({self.root / "a.py"})


def _counted_builds(monkeypatch: pytest.MonkeyPatch, *, interrupted: int = 0) -> list[object]:
    """The builds run from now on, each by its output folder; the ``interrupted``-th (1-based;
    0 = none) gets Ctrl-C as it starts."""
    built = build_module.build
    builds: list[object] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        builds.append(kwargs["out_dir"])
        if len(builds) == interrupted:
            os.kill(os.getpid(), signal.SIGINT)
        return built(*args, **kwargs)

    monkeypatch.setattr(build_module, "build", counted)
    return builds


@pytest.mark.parametrize("change", [None, "before"], ids=["idle", "a change came before it"])
def test_ctrl_c_between_builds_ends_the_watch_with_status_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str | None
) -> None:
    """CI at 5a582d8: a Ctrl-C that came while the watch was outside its wait for changes (it
    looks whether the folder was replaced each second) raised there, and an idle watch ended
    with status 130. Review r15a: one that came after the wait had returned a change let the
    whole build of that change run before the watch ended."""
    repo = write_repo(tmp_path / "repo", {"a.py": EDITS[0]})
    monkeypatch.setattr(_InterruptedWatch, "change", change)
    monkeypatch.setattr(watch_module, "RepositoryWatch", _InterruptedWatch)
    builds = _counted_builds(monkeypatch)
    args, config = _watch_args(repo, tmp_path / "out", tmp_path / "cache")
    assert _watch_builds(args, config=config, loaded=lambda: None) == 0
    assert len(builds) == 1  # the first build only
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("interrupted", [1, 2], ids=["the first build", "a later build"])
def test_ctrl_c_during_a_build_stops_it_with_status_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interrupted: int
) -> None:
    repo = write_repo(tmp_path / "repo", {"a.py": EDITS[0]})
    monkeypatch.setattr(_InterruptedWatch, "change", "after")
    monkeypatch.setattr(watch_module, "RepositoryWatch", _InterruptedWatch)
    builds = _counted_builds(monkeypatch, interrupted=interrupted)
    args, config = _watch_args(repo, tmp_path / "out", tmp_path / "cache")
    assert _watch_builds(args, config=config, loaded=lambda: None) == 130
    assert len(builds) == interrupted
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_before_the_first_build_stops_the_watch_with_status_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review r15a: a Ctrl-C while the watch starts (before its first build) stops it; it used
    to only set ``stop``, and the first build ran whole."""
    repo = write_repo(tmp_path / "repo", {"a.py": EDITS[0]})
    monkeypatch.setattr(watch_module, "RepositoryWatch", _InterruptedWatch)
    code_parts = freshness.code_parts

    def interrupted_code_parts(**kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGINT)
        return code_parts(**kwargs)

    monkeypatch.setattr(freshness, "code_parts", interrupted_code_parts)
    builds = _counted_builds(monkeypatch)
    args, config = _watch_args(repo, tmp_path / "out", tmp_path / "cache")
    assert _watch_builds(args, config=config, loaded=lambda: None) == 130
    assert not builds
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def _children(pid: int) -> set[int]:
    """The live (not zombie) processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _pooled_repo(folder: Path) -> Path:
    """A repository of more than ``parsing.IN_PROCESS_BYTES`` of distinct files (the per-file
    store parses equal contents once): its first build starts the parse worker pool."""
    return write_repo(
        folder,
        {
            f"m{number}.py": "".join(
                f"def f{number}_{index}(x):\n    return g{index}(x) + {index}\n\n\n"
                for index in range(400)
            )
            for number in range(40)
        },
    )


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_parse_workers_end_when_the_watch_is_killed(
    tmp_path: Path, watcher_factory: list[_Watcher]
) -> None:
    """Review r13c: a watch killed outright (SIGKILL) never shuts its parse pool down, and its
    workers waited for work forever; they now end once their parent is gone."""
    repo = _pooled_repo(tmp_path / "repo")
    watcher = _Watcher(
        build_argv(repo, tmp_path / "out", tmp_path / "cache", "--watch", "--workers", "3")
    )
    watcher_factory.append(watcher)
    watcher.wait_for("codeintel build: watching")
    workers = {
        pid
        for pid in _children(watcher.process.pid)
        if "multiprocessing" in (Path("/proc") / str(pid) / "cmdline").read_text()
    }
    assert workers, "the build started no parse worker"
    watcher.process.kill()
    watcher.process.wait()
    deadline = time.monotonic() + EVENT_TIMEOUT
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def test_ctrl_c_to_the_process_group_ends_the_watch_without_the_workers_tracebacks(
    tmp_path: Path,
) -> None:
    """Review r13c: a terminal's Ctrl-C reaches every process of the group; each idle parse
    worker printed a KeyboardInterrupt traceback. The workers ignore it: the watch ends them."""
    repo = _pooled_repo(tmp_path / "repo")
    process = subprocess.Popen(
        [*build_argv(repo, tmp_path / "out", tmp_path / "cache"), "--watch", "--workers", "3"],
        cwd=PROJECT,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a process group of its own, as a terminal's command has
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("codeintel build: watching"):
                break
        os.killpg(process.pid, signal.SIGINT)
        rest = process.stdout.read()
        assert process.wait(timeout=EVENT_TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest, rest
