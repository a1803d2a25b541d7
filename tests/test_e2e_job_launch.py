"""End to end through the real Dagster CLI: validate the location, launch the job, read the results.

Everything runs against a temporary ``DAGSTER_HOME`` holding a copy of the project's dagster.yaml
(DefaultRunCoordinator: the run starts at once, no daemon). The repository is written by the test
and registered with the real ``codeintel repos add``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from dagster import (
    AssetCheckEvaluation,
    AssetCheckKey,
    AssetKey,
    DagsterInstance,
    DagsterRunStatus,
    RunsFilter,
)
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RUN_TIMEOUT_SECONDS = 600
TERMINAL = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DAGSTER_HOME"] = str(home)
    for name in ("CODEINTEL_WAREHOUSE", "CODEINTEL_CACHE_DIR"):
        env.pop(name, None)
    return env


def _run(command: list[str], home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=PROJECT,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def instance(dagster_home: Path) -> Iterator[DagsterInstance]:
    instance = DagsterInstance.from_config(str(dagster_home))
    try:
        yield instance
    finally:
        instance.dispose()


@pytest.mark.e2e
@pytest.mark.parametrize(
    "target",
    [["-w", "workspace.yaml"], ["-m", "orchestration.definitions"]],
    ids=["workspace", "module"],
)
def test_definitions_validate_passes(dagster_home: Path, target: list[str]) -> None:
    """The workspace, and the module alone: `defs` is built lazily but Dagster still finds it."""
    completed = _run([str(BIN / "dagster"), "definitions", "validate", *target], dagster_home)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "All code locations passed validation" in completed.stderr + completed.stdout


@pytest.mark.e2e
def test_job_launch_materializes_a_registered_repository(
    dagster_home: Path, instance: DagsterInstance, tmp_path: Path
) -> None:
    repo = tmp_path / "launched"
    (repo / "app").mkdir(parents=True)
    (repo / "app" / "models.py").write_text(
        "class Base:\n    pass\n\n\nclass User(Base):\n    def name(self):\n        return str(self)\n"
    )
    (repo / "lib.rs").write_text("pub fn run() { step(); }\nfn step() {}\n")

    added = _run([str(BIN / "codeintel"), "repos", "add", str(repo)], dagster_home)
    assert added.returncode == 0, added.stderr
    listed = _run([str(BIN / "codeintel"), "repos", "list", "--json"], dagster_home)
    assert json.loads(listed.stdout) == [{"key": "launched", "path": str(repo), "exists": True}]
    assert instance.get_dynamic_partitions("repos") == ["launched"]

    launched = _run(
        [
            str(BIN / "dagster"),
            "job",
            "launch",
            "-w",
            "workspace.yaml",
            "-j",
            "codeintel_job",
            "--tags",
            json.dumps({"dagster/partition": "launched"}),
        ],
        dagster_home,
        timeout=RUN_TIMEOUT_SECONDS,
    )
    assert launched.returncode == 0, launched.stderr[-3000:]

    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while True:
        runs = instance.get_runs(RunsFilter(job_name="codeintel_job"))
        if runs and runs[0].status in TERMINAL:
            break
        assert time.monotonic() < deadline, f"run not finished: {[r.status for r in runs]}"
        time.sleep(1.0)
    assert len(runs) == 1
    run = runs[0]
    assert run.status == DagsterRunStatus.SUCCESS
    assert run.tags["dagster/partition"] == "launched"

    warehouse = dagster_home / "warehouse" / "launched"
    symbols = pl.read_parquet(warehouse / "python" / "symbols.parquet")
    assert {"Base", "User", "name"} <= set(symbols["name"].to_list())
    inherits = pl.read_parquet(warehouse / "python" / "inherits.parquet")
    assert inherits.height >= 1
    files = pl.read_parquet(warehouse / "repo" / "files.parquet")
    assert {"app/models.py", "lib.rs"} <= set(files["path"].to_list())

    materialization = instance.get_latest_materialization_event(AssetKey(["python", "symbols"]))
    assert materialization is not None and materialization.run_id == run.run_id
    check_keys = [
        AssetCheckKey(AssetKey(["python", "symbols"]), name)
        for name in ("arrow_schema", "not_null", "row_count", "unique_key")
    ]
    for check_key in check_keys:
        record = instance.get_latest_asset_check_evaluation_record(check_key)
        assert record is not None, check_key
        assert record.run_id == run.run_id
        assert record.partition == "launched"
        assert record.status == AssetCheckExecutionRecordStatus.SUCCEEDED
        assert record.event is not None and record.event.dagster_event is not None
        evaluation = record.event.dagster_event.event_specific_data
        assert isinstance(evaluation, AssetCheckEvaluation) and evaluation.passed
