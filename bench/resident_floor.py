"""The resident floor of ``codeintel materialize`` after one changed file.

A fresh ``codeintel materialize`` process starts with none of what a process that ran the
dataflow before keeps: its imports, its per-process memos (``hamilton_modules.memos``), polars'
first-use costs. This module runs the code location's job several times in ONE process, as
``codeintel materialize`` runs each of its repositories (``orchestration.materialize_command``):
the repository cold, then in each round an edit of one file (a new function appended) and the
job again, and the repository re-run unchanged; then the one-file repository re-run unchanged,
this process's fixed Dagster cost (after the rounds: a run of another repository in between
would leave the process's memos of that one). One changed file beyond that fixed cost is what
any keeping of a process's state across processes could at best bring a fresh process to: the
work of the change itself (re-parsing the file, resolving its calls, the CPG tables, writing
them, their events).

``python -m bench.resident_floor REPO FILE SMALL --runs N`` (``DAGSTER_HOME``,
``CODEINTEL_WAREHOUSE`` and ``CODEINTEL_CACHE_DIR`` set by the caller, new and empty) prints
its figures as JSON on its last line; FILE (in REPO) is left as it was found.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPOSITORY_KEY = "resident"
SMALL_KEY = "resident-small"


def resident_runs(*, repo: Path, edited: Path, small: Path, runs: int) -> dict[str, object]:
    """Wall seconds of each run of the job in this process (see the module's docstring)."""
    from orchestration.collector import paused_while_loading
    from orchestration.materialize_command import (
        JOB_NAME,
        PARTITIONS_NAME,
        RUN_GC_THRESHOLDS,
        _instance,
    )
    from orchestration.registry import PartitionRegistry

    original = edited.read_text()
    figures: dict[str, list[float]] = {"one_file": [], "fixed": [], "warm": []}
    with paused_while_loading(run_thresholds=RUN_GC_THRESHOLDS) as loaded:
        instance = _instance()
        registry = PartitionRegistry.for_instance(instance)
        for folder, key in ((repo, REPOSITORY_KEY), (small, SMALL_KEY)):
            registry.add(folder, key=key)
            instance.add_dynamic_partitions(PARTITIONS_NAME, [key])
        from orchestration.definitions import defs

        job = defs.resolve_job_def(JOB_NAME)
        loaded()
        quiet_logs = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}

        def run(key: str) -> float:
            started = time.perf_counter()
            result = job.execute_in_process(
                run_config=quiet_logs, instance=instance, partition_key=key, raise_on_error=False
            )
            if not result.success:
                raise RuntimeError(f"the run of {key} failed")
            return time.perf_counter() - started

        cold = run(REPOSITORY_KEY)
        run(REPOSITORY_KEY)
        run(SMALL_KEY)
        run(SMALL_KEY)
        run(REPOSITORY_KEY)
        try:
            for index in range(1, runs + 1):
                edited.write_text(
                    original + f"\n\npub fn resident_floor_edit_{index}() -> u32 {{ 1 }}\n"
                )
                figures["one_file"].append(run(REPOSITORY_KEY))
                figures["warm"].append(run(REPOSITORY_KEY))
        finally:
            edited.write_text(original)
        figures["fixed"] = [run(SMALL_KEY) for _ in range(runs)]
    return {"cold": cold, **figures}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.resident_floor", description=__doc__)
    parser.add_argument("repo", type=Path)
    parser.add_argument("file", type=Path, help="the file of REPO to edit")
    parser.add_argument("small", type=Path, help="the one-file repository (the fixed cost)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    figures = resident_runs(repo=args.repo, edited=args.file, small=args.small, runs=args.runs)
    print(json.dumps(figures))
    return 0


# (the parse pool's workers are spawned: they import this module, and must not run it)
if __name__ == "__main__":
    sys.exit(main())
