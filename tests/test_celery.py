"""Scale-out: ``codeintel_celery_job`` on two real Celery workers with a real Redis broker.

``redis-server --bind 127.0.0.1`` on a free port; two ``dagster-celery worker start`` processes (one
task at a time each) reading the worker file written by ``orchestration.celery``; the run launched
with the real ``dagster job launch`` on a temporary ``DAGSTER_HOME``. Both workers must have
executed steps: read from their own logs and from the process ids of the steps' events.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import yaml
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

from orchestration.celery import BACKEND_ENV, BROKER_ENV, worker_command, write_worker_config
from orchestration.registry import register_partition
from tests.instance_home import new_dagster_home
from tests.servers import (
    VENV_BIN,
    ServerProcess,
    dagster_env,
    redis_server,
    running,
    wait_until,
)

pytestmark = pytest.mark.e2e

RUN_TIMEOUT_SECONDS = 600
TERMINAL = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}
TASK_SUCCEEDED = re.compile(r"Task execute_plan\[[^\]]+\] succeeded")


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    yield new_dagster_home(tmp_path / "dagster_home")


def _write_repo(root: Path) -> Path:
    files = {
        "app/models.py": "class Model:\n    def save(self):\n        return persist(self)\n\n\n"
        "def persist(model):\n    return True\n",
        "web/index.ts": "export function render(): string {\n  return helper();\n}\n"
        "function helper(): string {\n  return 'x';\n}\n",
        "cmd/main.go": "package main\n\nfunc main() {\n\thelper()\n}\n\nfunc helper() {}\n",
        "src/lib.rs": "pub fn run() {\n    inner();\n}\n\nfn inner() {}\n",
    }
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _wait_ready(worker: ServerProcess) -> None:
    wait_until(
        lambda: " ready." in worker.log_tail(20_000),
        server=worker,
        timeout=180,
        what="ready (celery worker)",
    )


def test_celery_job_runs_on_two_workers(home: Path, tmp_path: Path) -> None:
    repo = _write_repo(tmp_path / "celery-demo")
    instance = DagsterInstance.from_config(str(home))
    with ExitStack() as stack:
        stack.callback(instance.dispose)
        redis = stack.enter_context(redis_server(tmp_path / "redis"))
        broker, backend = redis.url(0), redis.url(1)
        config_file = write_worker_config(
            tmp_path / "celery_worker.yaml", broker=broker, backend=backend
        )
        # Nested as dagster-celery reads it (a flat file would fall back to AMQP).
        written = yaml.safe_load(config_file.read_text())
        assert written == {"execution": {"config": {"broker": broker, "backend": backend}}}
        env = dagster_env(home, **{BROKER_ENV: broker, BACKEND_ENV: backend})

        workers = [
            stack.enter_context(
                running(
                    name,
                    worker_command(config_file=config_file, name=name, concurrency=1),
                    log_path=tmp_path / f"{name}.log",
                    env=env,
                )
            )
            for name in ("worker_a", "worker_b")
        ]
        for worker in workers:
            _wait_ready(worker)
        for worker in workers:
            # The workers found the Redis broker, not dagster-celery's AMQP default.
            log = worker.log_tail(20_000)
            assert f"Connected to redis://:**@127.0.0.1:{redis.port}/0" in log, log

        key = register_partition(instance=instance, partitions_name="repos", path=repo).key
        launcher = stack.enter_context(
            running(
                "dagster job launch",
                [
                    str(VENV_BIN / "dagster"),
                    "job",
                    "launch",
                    "-w",
                    "workspace.yaml",
                    "-j",
                    "codeintel_celery_job",
                    "--tags",
                    json.dumps({"dagster/partition": key}),
                ],
                log_path=tmp_path / "launch.log",
                env=env,
            )
        )
        assert launcher.process.wait(timeout=300) == 0, launcher.log_tail()

        deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
        run = None
        while time.monotonic() < deadline:
            runs = instance.get_runs(RunsFilter(tags={"dagster/partition": key}))
            if runs and runs[0].status in TERMINAL:
                run = runs[0]
                break
            time.sleep(2)
        logs = "\n".join(f"--- {w.name} ---\n{w.log_tail()}" for w in workers)
        assert run is not None, f"run did not finish in {RUN_TIMEOUT_SECONDS}s\n{logs}"
        assert run.job_name == "codeintel_celery_job"
        assert run.status == DagsterRunStatus.SUCCESS, logs

        step_starts = instance.get_records_for_run(
            run.run_id, of_type=DagsterEventType.STEP_START
        ).records
        step_pids = {
            record.event_log_entry.dagster_event.pid
            for record in step_starts
            if record.event_log_entry.dagster_event is not None
        }
        steps_per_worker = {
            worker.name: len(TASK_SUCCEEDED.findall(worker.log_path.read_text(errors="replace")))
            for worker in workers
        }
        assert len(step_starts) == sum(steps_per_worker.values()), steps_per_worker
        assert all(count >= 1 for count in steps_per_worker.values()), steps_per_worker
        # One process per worker (concurrency 1): the steps ran in exactly two processes.
        assert len(step_pids) == 2, step_pids
        materializations = instance.get_records_for_run(
            run.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION
        ).records
        assert len(materializations) >= 10
        assert (home / "warehouse" / key / "go" / "symbols.parquet").is_file()

    for worker in workers:
        assert not worker.group_alive()
