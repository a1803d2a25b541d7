"""Dagster's own cost of one run of ``codeintel_job``'s shape, with nothing computed.

The code location's job is mirrored with empty bodies: the same multi-assets (one per planned op),
asset keys, dependencies, check specs and dynamic partitions, each op only reporting its assets as
materialized and its checks as passed, with no IO manager, no Hamilton and no metadata. A fresh
process imports what a run of the real job must import (Dagster and the dataflow's libraries),
opens the instance in ``$DAGSTER_HOME`` (the shipped ``dagster.yaml`` when the home is new, as
``codeintel materialize`` does) and runs the mirror in process. Its wall time is a floor for
``codeintel materialize`` of any repository: start-up, run creation, steps, events and check
evaluations, before the first line of the dataflow's work.

``python -m bench.dagster_floor shape FILE`` writes the job's shape (it loads the code location);
``python -m bench.dagster_floor run FILE`` runs the mirror once and prints its figures as JSON.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dagster import AssetsDefinition, Definitions

PARTITION_KEY = "floor"
JOB_NAME = "floor_job"


def job_shape() -> list[dict[str, Any]]:
    """Each op of the code location's job: its name, assets (key, deps, group) and checks."""
    from dagster import AssetsDefinition

    from orchestration.definitions import defs

    shape: list[dict[str, Any]] = []
    for assets_def in defs.assets or ():
        if not isinstance(assets_def, AssetsDefinition):
            continue
        shape.append(
            {
                "op": assets_def.node_def.name,
                "assets": [
                    {
                        "key": list(spec.key.path),
                        "deps": [list(dep.asset_key.path) for dep in spec.deps],
                        "group": spec.group_name,
                    }
                    for spec in assets_def.specs
                ],
                "checks": [
                    {"asset": list(check.asset_key.path), "name": check.name}
                    for check in assets_def.check_specs
                ],
            }
        )
    return sorted(shape, key=lambda op: op["op"])


def _mirror_op(op: dict[str, Any], partitions: Any) -> AssetsDefinition:
    from dagster import (
        AssetCheckResult,
        AssetCheckSpec,
        AssetKey,
        AssetSpec,
        MaterializeResult,
        multi_asset,
    )

    specs = [
        AssetSpec(
            AssetKey(asset["key"]),
            deps=[AssetKey(dep) for dep in asset["deps"]],
            group_name=asset["group"],
        )
        for asset in op["assets"]
    ]
    checks = [
        AssetCheckSpec(check["name"], asset=AssetKey(check["asset"])) for check in op["checks"]
    ]

    @multi_asset(name=op["op"], specs=specs, check_specs=checks, partitions_def=partitions)
    def _empty_op() -> Any:
        for spec in specs:
            yield MaterializeResult(asset_key=spec.key)
        for check in checks:
            yield AssetCheckResult(asset_key=check.asset_key, check_name=check.name, passed=True)

    return _empty_op


def mirror_definitions(shape: Sequence[dict[str, Any]], *, partitions_name: str) -> Definitions:
    from dagster import (
        AssetSelection,
        Definitions,
        DynamicPartitionsDefinition,
        define_asset_job,
        in_process_executor,
    )

    partitions = DynamicPartitionsDefinition(name=partitions_name)
    job = define_asset_job(
        JOB_NAME, selection=AssetSelection.all(), executor_def=in_process_executor
    )
    return Definitions(assets=[_mirror_op(op, partitions) for op in shape], jobs=[job])


def run_mirror(shape_file: Path) -> dict[str, Any]:
    """One run of the mirror, set up as ``codeintel materialize`` sets up its runs: Hamilton's
    plugin autoloading off (``orchestration.definitions``) and the cycle collector paused while
    the libraries load, then frozen, at the run thresholds (``collector.paused_while_loading``)."""
    started = time.perf_counter()
    os.environ.setdefault("HAMILTON_AUTOLOAD_EXTENSIONS", "0")
    from orchestration.collector import paused_while_loading
    from orchestration.materialize_command import PARTITIONS_NAME, RUN_GC_THRESHOLDS, _instance

    with paused_while_loading(run_thresholds=RUN_GC_THRESHOLDS) as loaded:
        import dagster  # noqa: F401  (what every run imports)
        import hamilton.driver  # noqa: F401  (the dataflow's libraries: a real run imports them)
        import polars  # noqa: F401
        import pyarrow.parquet  # noqa: F401

        imported = time.perf_counter()
        shape = json.loads(shape_file.read_text(encoding="utf-8"))
        instance = _instance()
        if not instance.has_dynamic_partition(PARTITIONS_NAME, PARTITION_KEY):
            instance.add_dynamic_partitions(PARTITIONS_NAME, [PARTITION_KEY])
        job = mirror_definitions(shape, partitions_name=PARTITIONS_NAME).resolve_job_def(JOB_NAME)
        loaded()
        ready = time.perf_counter()
        result = job.execute_in_process(
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
            instance=instance,
            partition_key=PARTITION_KEY,
            raise_on_error=False,
        )
    finished = time.perf_counter()
    return {
        "success": result.success,
        "ops": len(shape),
        "assets": sum(len(op["assets"]) for op in shape),
        "checks": sum(len(op["checks"]) for op in shape),
        "import_seconds": imported - started,
        "instance_and_job_seconds": ready - imported,
        "run_seconds": finished - ready,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dagster_floor", description=__doc__)
    parser.add_argument("command", choices=["shape", "run"])
    parser.add_argument("file", type=Path, help="the job's shape (JSON)")
    args = parser.parse_args(argv)
    if args.command == "shape":
        args.file.write_text(json.dumps(job_shape(), indent=1), encoding="utf-8")
        return 0
    figures = run_mirror(args.file)
    print(json.dumps(figures))
    gc.freeze()  # as the codeintel program ends (orchestration.cli.console_main)
    return 0 if figures["success"] else 1


if __name__ == "__main__":
    sys.exit(main())
