"""SIGKILL a Dagster run's process while it writes assets, then launch the job again.

``dagster job launch`` (DefaultRunCoordinator, no daemon) asks a code server it starts to launch
the run; the code server runs it in a child process (the run worker) and stays up until that
child is gone. The run worker's pid is in the run's event log ("Started process for run (pid:
N)"). The test kills that process at two points of the write phase (after the first asset file
was renamed into place, and half-way), each time on a new run of the same partition.

Which component marks the killed run failed: the code server that launched it. Its cleanup
thread sees the dead child within a second and reports the run as FAILURE ("terminated by signal
9 (SIGKILL)"), so no daemon is needed. Daemon run monitoring would not help here: the default
run launcher has no run-worker health check, so monitoring can only fail runs that exceed
``max_runtime_seconds`` (``run_monitoring`` in dagster.yaml plus the daemon); that is the only
remedy for a run whose code server died with it (a machine crash). A re-launch is not needed to
clear the status, only to produce the assets.

The final launch must succeed with every asset file byte-identical to a clean ``codeintel build``
of the same repository (the IO manager and the build share one writer), and no torn Parquet file
may ever be visible under its final name.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus
from dagster._core.storage.dagster_run import DagsterRun

from tests.fs_watch import IN_MOVED_TO, FolderWatch
from tests.hardening_support import (
    BIN,
    CODEINTEL,
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

FILES_PER_LANGUAGE = 60
PARTITION = "polyglot"
TIMEOUT_SECONDS = 180
FINISHED = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}


@pytest.fixture
def instance(dagster_home: Path) -> Iterator[DagsterInstance]:
    instance = DagsterInstance.from_config(str(dagster_home))
    try:
        yield instance
    finally:
        instance.dispose()


def _launch(home: Path) -> subprocess.Popen[bytes]:
    tags = json.dumps({"dagster/partition": PARTITION})
    argv = [str(BIN / "dagster"), "job", "launch", "-w", "workspace.yaml", "-j", "codeintel_job"]
    with (home / "launch.log").open("ab") as log:  # a pipe nobody reads would block the CLI
        return subprocess.Popen(
            [*argv, "--tags", tags],
            cwd=PROJECT,
            env=clean_env(DAGSTER_HOME=str(home)),
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _new_run(instance: DagsterInstance, known: set[str]) -> DagsterRun:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while True:
        runs = [run for run in instance.get_runs() if run.run_id not in known]
        if runs:
            return runs[0]
        assert time.monotonic() < deadline, "no run was created"
        time.sleep(0.1)


def _run_worker_pid(instance: DagsterInstance, run_id: str) -> int:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while True:
        for record in instance.all_logs(run_id, of_type=DagsterEventType.ENGINE_EVENT):
            event = record.dagster_event
            pid = None if event is None else event.engine_event_data.metadata.get("pid")
            if pid is not None and record.message.startswith("Started process for run"):
                return int(str(pid.value))
        assert time.monotonic() < deadline, "the run worker never started"
        time.sleep(0.05)


def _wait_finished(instance: DagsterInstance, run_id: str) -> DagsterRun:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while True:
        run = instance.get_run_by_id(run_id)
        assert run is not None
        if run.status in FINISHED:
            return run
        assert time.monotonic() < deadline, f"run {run_id} still {run.status}"
        time.sleep(0.2)


def _kill_run_after(
    instance: DagsterInstance, home: Path, partition_root: Path, outputs: int
) -> DagsterRun:
    """Launch a run, SIGKILL its run worker once ``outputs`` asset files were renamed in."""
    known = {run.run_id for run in instance.get_runs()}
    folders = [partition_root, *sorted(p for p in partition_root.rglob("*") if p.is_dir())]
    with FolderWatch() as watch:
        for folder in folders:
            watch.add(folder, IN_MOVED_TO)
        launcher = _launch(home)
        try:
            run = _new_run(instance, known)
            pid = _run_worker_pid(instance, run.run_id)
            os.setpriority(os.PRIO_PROCESS, pid, 19)  # the watcher reacts first
            renamed: list[Path] = []
            deadline = time.monotonic() + TIMEOUT_SECONDS
            while len(renamed) < outputs:
                assert time.monotonic() < deadline, f"only {len(renamed)} outputs appeared"
                for event in watch.events(timeout=0.05):
                    if not event.name.startswith("."):
                        renamed.append(event.path)
                if len(renamed) < outputs:
                    for path in renamed:
                        if path.suffix == ".parquet":
                            assert_parquet_readable(path)
            os.kill(pid, signal.SIGKILL)
            finished = _wait_finished(instance, run.run_id)
        finally:
            launcher.wait(timeout=TIMEOUT_SECONDS)
    return finished


@pytest.mark.slow
@pytest.mark.e2e
def test_killed_run_is_marked_failed_and_the_relaunch_matches_a_clean_build(
    dagster_home: Path, instance: DagsterInstance, tmp_path: Path
) -> None:
    repo = write_polyglot_repo(tmp_path / PARTITION, files_per_language=FILES_PER_LANGUAGE)
    reference_out = tmp_path / "reference"
    clean = run_codeintel(build_argv(repo, reference_out, tmp_path / "reference-cache"))
    assert clean.returncode == 0, clean.stderr
    reference_tables, _ = build_outputs(reference_out)

    env = clean_env(DAGSTER_HOME=str(dagster_home))
    added = run_codeintel([str(CODEINTEL), "repos", "add", str(repo)], env=env)
    assert added.returncode == 0, added.stderr
    partition_root = dagster_home / "warehouse" / PARTITION
    for relative in reference_tables:
        (partition_root / relative).parent.mkdir(parents=True, exist_ok=True)

    for outputs in (1, len(reference_tables) // 2):
        killed = _kill_run_after(instance, dagster_home, partition_root, outputs)
        assert killed.status == DagsterRunStatus.FAILURE, outputs
        messages = [record.message for record in instance.all_logs(killed.run_id)]
        assert any("SIGKILL" in message for message in messages), messages[-5:]
        assert "manifest.json" not in visible_files(partition_root)
        assert_all_visible_parquet_readable(partition_root)

    known = {run.run_id for run in instance.get_runs()}
    launcher = _launch(dagster_home)
    final = _wait_finished(instance, _new_run(instance, known).run_id)
    launcher.wait(timeout=TIMEOUT_SECONDS)
    assert final.status == DagsterRunStatus.SUCCESS
    stored = visible_files(partition_root)
    assert sorted(stored) == sorted(reference_tables)
    for relative, data in reference_tables.items():
        assert stored[relative] == data, f"{relative} differs from the clean build's"
