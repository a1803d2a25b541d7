"""Scale-out past one process: the ``dagster-celery`` executor on a Redis broker.

A run of a Celery job sends each step (one planned op) to a Celery queue; worker processes started
with ``dagster-celery worker start -A dagster_celery.app -y <worker file>`` execute them, on this or
other machines that share the instance (``DAGSTER_HOME`` / PostgreSQL) and the warehouse folder.

The executor and the workers must agree on the broker. Both come from the environment, read where
the definitions are loaded (code server, run worker) and where the worker file is written:

- ``CODEINTEL_CELERY_BROKER``: default ``redis://127.0.0.1:6379/0``
- ``CODEINTEL_CELERY_BACKEND``: default ``redis://127.0.0.1:6379/1``

The worker file must nest the settings as ``execution: config: {broker, backend}``: dagster-celery
reads only that path, and a flat file silently falls back to its AMQP default.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from dagster import ExecutorDefinition

from orchestration.storage import atomic_target

BROKER_ENV = "CODEINTEL_CELERY_BROKER"
BACKEND_ENV = "CODEINTEL_CELERY_BACKEND"
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
DEFAULT_BACKEND = "redis://127.0.0.1:6379/1"
CELERY_APP = "dagster_celery.app"
WORKER_FILE_HEADER = """\
# dagster-celery worker settings: `make worker`, or
#   DAGSTER_HOME=... dagster-celery worker start -A dagster_celery.app -y THIS_FILE
# Nested under execution/config: a flat file silently falls back to AMQP. Written by
# `python -m orchestration.celery PATH` from CODEINTEL_CELERY_BROKER / CODEINTEL_CELERY_BACKEND.
"""


def celery_settings() -> dict[str, str]:
    """The broker and result backend URLs from the environment, with the local Redis defaults."""
    broker = os.environ.get(BROKER_ENV, "").strip() or DEFAULT_BROKER
    backend = os.environ.get(BACKEND_ENV, "").strip() or DEFAULT_BACKEND
    return {"broker": broker, "backend": backend}


def codeintel_celery_executor() -> ExecutorDefinition:
    """``dagster_celery.celery_executor`` configured with ``celery_settings()``."""
    from dagster_celery import celery_executor

    return celery_executor.configured(celery_settings(), name="celery_redis")


def worker_config(*, broker: str, backend: str) -> dict[str, Any]:
    """The ``-y`` file content for ``dagster-celery worker start`` (nested: module docstring)."""
    return {"execution": {"config": {"broker": broker, "backend": backend}}}


def write_worker_config(
    path: Path, *, broker: str | None = None, backend: str | None = None
) -> Path:
    """Write the worker file (defaults: ``celery_settings()``) atomically; returns ``path``."""
    settings = celery_settings()
    content = worker_config(
        broker=broker or settings["broker"], backend=backend or settings["backend"]
    )
    with atomic_target(path) as tmp:
        tmp.write_text(WORKER_FILE_HEADER + yaml.safe_dump(content, sort_keys=True))
    return path


def worker_command(*, config_file: Path, name: str, concurrency: int = 1) -> list[str]:
    """The command line of one worker process (needs ``DAGSTER_HOME`` in its environment)."""
    return [
        "dagster-celery",
        "worker",
        "start",
        "-A",
        CELERY_APP,
        "-y",
        str(config_file),
        "-n",
        name,
        "--",
        f"--concurrency={concurrency}",
    ]


def main() -> int:
    """``python -m orchestration.celery PATH``: write the worker file for this environment."""
    import sys

    if len(sys.argv) != 2:
        print("usage: python -m orchestration.celery WORKER_CONFIG.yaml", file=sys.stderr)
        return 2
    path = write_worker_config(Path(sys.argv[1]))
    print(f"wrote {path}: {worker_config(**celery_settings())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
