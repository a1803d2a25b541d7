"""`codeintel materialize REPO...` and `codeintel repos add|list|remove`.

``materialize`` registers each repository (sanitized partition key -> path, plus Dagster's dynamic
partition) in the instance at ``$DAGSTER_HOME`` (default ``./dagster_home``) and runs the code
location's job for each partition in this process, on that instance, so the runs, materializations
and check results are what ``dagster dev`` shows. Every repository is validated before the first run
starts; the exit code is non-zero when any registration, run, step or check with ERROR severity
failed.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

# Not orchestration.resources (Dagster) nor the registry (pyarrow): the command imports them with
# the collector paused (materialize_main).
from orchestration.collector import paused_while_loading
from orchestration.locations import DAGSTER_HOME_ENV, resolve_dagster_home

if TYPE_CHECKING:
    from dagster import DagsterInstance, ExecuteInProcessResult
    from dagster._core.events.log import EventLogEntry
    from dagster_shared.error import SerializableErrorInfo

    from orchestration.registry import Registration

PARTITIONS_NAME = "repos"  # the code location's DynamicPartitionsDefinition
JOB_NAME = "codeintel_job"
# The embedded-instance configuration shipped with the project (absent from a wheel install).
SHIPPED_INSTANCE_CONFIG = Path(__file__).resolve().parents[1] / "dagster_home" / "dagster.yaml"
INSTANCE_LOCK_NAME = ".instance.lock"
# Collector thresholds while the runs execute. A run allocates millions of short-lived Dagster
# objects (events, serialized records, SQL statements): with the default 700 the collector ran
# ~570 times (3 full passes) in a one-file run, ~0.2-0.35 s; with these a handful of times.
RUN_GC_THRESHOLDS = (50_000, 20, 20)


def _prepare_dagster_home() -> Path:
    """Pin ``DAGSTER_HOME`` (absolute) so the instance, registry and resources agree.

    A new (missing or empty) home gets a copy of the project's ``dagster_home/dagster.yaml``:
    without one Dagster falls back to its stock defaults (a queued run coordinator that needs a
    daemon, no concurrency pools, the stock SQLite storage at about twice the fixed cost of a
    run). An existing home keeps its configuration, or its lack of one.
    """
    home = resolve_dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if SHIPPED_INSTANCE_CONFIG.is_file() and not any(
        entry.name != INSTANCE_LOCK_NAME for entry in home.iterdir()
    ):
        from orchestration.storage import atomic_target  # polars/pyarrow: only when needed

        with atomic_target(config) as staged:
            shutil.copyfile(SHIPPED_INSTANCE_CONFIG, staged)
    os.environ[DAGSTER_HOME_ENV] = str(home)
    return home


def _instance() -> DagsterInstance:
    """The instance in ``DAGSTER_HOME``, its storage opened under a file lock.

    Dagster creates and stamps its SQLite schemas when the instance is first opened; two processes
    doing that at once on a new home race ("table alembic_version already exists"). Only opening
    the storage needs the lock: reading ``dagster.yaml`` and importing the configured classes
    (about 0.4 s, most of ``DagsterInstance.get()``) happen before it, so runs started together
    do not queue behind each other's imports.
    """
    from dagster import DagsterInstance
    from dagster._core.instance import InstanceRef

    home = _prepare_dagster_home()
    ref = InstanceRef.from_dir(str(home))
    with (home / INSTANCE_LOCK_NAME).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return DagsterInstance.from_ref(ref)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass
class RunSummary:
    key: str
    path: Path
    success: bool = False
    seconds: float = 0.0
    run_id: str = ""
    assets: list[str] = field(default_factory=list)
    rows: int = 0
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    error: str = ""

    def line(self) -> str:
        status = "ok" if self.success else "FAILED"
        text = (
            f"{self.key}: {status} in {self.seconds:.1f}s: {len(self.assets)} assets, "
            f"{self.rows} rows, checks {self.checks_passed} passed / "
            f"{len(self.checks_failed)} failed (run {self.run_id or '-'})"
        )
        if self.checks_failed:
            text += "\n    failed checks: " + ", ".join(self.checks_failed)
        if self.failed_steps:
            text += "\n    failed steps: " + ", ".join(self.failed_steps)
        if self.error:
            text += f"\n    error: {self.error}"
        return text


class StepProgress:
    """Shows each finished step of a run while it executes.

    On a terminal (stderr) a progress bar counts the steps and failed steps are printed above it;
    otherwise (a log, CI) every finished step is one line. ``execute_in_process`` returns only at
    the end, so the steps are followed as the instance stores their events: a listener on this
    process's instance sees each one as it is written, with no second instance, thread or query.
    """

    def __init__(
        self,
        *,
        instance: DagsterInstance,
        run_id: str,
        total_steps: int,
        label: str = "",
        bar: bool | None = None,
    ) -> None:
        self.instance = instance
        self.run_id = run_id
        self.total_steps = total_steps
        self.label = label
        self.bar = sys.stderr.isatty() if bar is None else bar
        self.finished = 0
        self._progress_bar: tqdm[Any] | None = None
        self._open = False

    def __enter__(self) -> StepProgress:
        if self.bar:
            self._progress_bar = tqdm(
                total=self.total_steps, unit="step", desc=self.label, leave=False
            )
        self._open = True
        # Dagster keeps listeners per run id for the instance's lifetime; a closed one ignores
        # whatever that run id still reports.
        self.instance.add_event_listener(self.run_id, self._on_event)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._open = False
        if self._progress_bar is not None:
            self._progress_bar.close()
            self._progress_bar = None

    def _on_event(self, entry: EventLogEntry) -> None:
        event = entry.dagster_event
        if not self._open or event is None or not (event.is_step_success or event.is_step_failure):
            return
        try:
            self.finished += 1
            status = "ok" if event.is_step_success else "FAILED"
            line = f"    [{self.finished}/{self.total_steps}] {event.step_key}: {status}"
            bar = self._progress_bar
            if bar is None:
                print(line, flush=True)
                return
            if not event.is_step_success:
                bar.write(line, file=sys.stderr)
            bar.set_postfix_str(event.step_key or "", refresh=False)
            bar.update(1)
        except Exception as exc:  # progress is best effort; the run's result is what counts
            self._open = False
            print(f"    (progress unavailable: {exc})", flush=True)


def summarize(result: ExecuteInProcessResult, summary: RunSummary) -> RunSummary:
    summary.run_id = result.run_id
    summary.success = result.success
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        summary.assets.append(materialization.asset_key.to_user_string())
        row_count = materialization.metadata.get("dagster/row_count")
        if row_count is not None and isinstance(row_count.value, int):
            summary.rows += row_count.value
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            summary.checks_passed += 1
        else:
            summary.checks_failed.append(
                f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
                f" ({evaluation.severity.value})"
            )
    for event in result.all_events:
        if event.is_step_failure and event.step_key:
            summary.failed_steps.append(event.step_key)
            error = event.step_failure_data.error
            if error is not None and not summary.error:
                summary.error = _failure_reason(error)
    return summary


def _failure_reason(error: SerializableErrorInfo) -> str:
    """The first line of what went wrong, under Dagster's "Error occurred while ..." wrappers."""
    while error.cause is not None and (error.cls_name or "").startswith("DagsterExecution"):
        error = error.cause
    lines = error.message.strip().splitlines()
    return lines[0] if lines else error.cls_name or "unknown error"


def materialize_main(argv: Sequence[str]) -> int:
    """``codeintel materialize``, with Python's cycle collector paused while Dagster, the code
    location and the dataflow's libraries load, then frozen, and run with ``RUN_GC_THRESHOLDS``
    for the runs themselves (``collector.paused_while_loading``)."""
    with paused_while_loading(run_thresholds=RUN_GC_THRESHOLDS) as loaded:
        return _materialize(argv, loaded=loaded)


def _parse_ahead(repo: Path, *, key: str | None) -> None:
    """Parse the first repository in the worker pool while Dagster and the code location load.

    Those imports take ~1.5 s of one core; the run's extraction nodes, in this process, take the
    results over (``definitions.parse_ahead``). A folder that is not a valid repository is left
    to the registration below, which reports it.
    """
    from orchestration.registry import PartitionRegistry, RegistryError

    try:
        folder = PartitionRegistry.candidate(repo, key=key).path
    except RegistryError:
        return
    from orchestration.definitions import DATAFLOW_CONFIG, parse_ahead
    from orchestration.locations import resolve_cache_dir

    # The code location's cache resource, unconfigured, uses this root (its per-file store).
    parse_ahead(repo_path=str(folder), config=DATAFLOW_CONFIG, cache_dir=resolve_cache_dir())


def _materialize(argv: Sequence[str], *, loaded: Callable[[], None]) -> int:
    parser = argparse.ArgumentParser(
        prog="codeintel materialize",
        description="Register repositories and materialize all their assets through Dagster.",
    )
    parser.add_argument("repos", nargs="+", type=Path, metavar="REPO", help="repository folder")
    parser.add_argument("--key", help="partition key (only with one REPO; default: folder name)")
    args = parser.parse_args(list(argv))
    if args.key and len(args.repos) != 1:
        parser.error("--key needs exactly one REPO")

    from orchestration.registry import PartitionRegistry, RegistryError

    _parse_ahead(args.repos[0], key=args.key)
    instance = _instance()
    home = resolve_dagster_home()  # absolute: pinned by _instance()
    registry = PartitionRegistry.for_instance(instance)
    # Validate every repository, then register them all, before the first run: a bad path fails
    # fast and leaves nothing half-registered.
    try:
        for repo in args.repos:
            PartitionRegistry.candidate(repo, key=args.key)
        registrations: list[Registration] = [
            registry.add(repo, key=args.key) for repo in args.repos
        ]
    except RegistryError as exc:
        print(f"codeintel materialize: {exc}", file=sys.stderr)
        return 2
    for registration in registrations:
        if not instance.has_dynamic_partition(PARTITIONS_NAME, registration.key):
            instance.add_dynamic_partitions(PARTITIONS_NAME, [registration.key])

    print(f"DAGSTER_HOME={home}; loading the code location...", flush=True)
    from dagster._core.utils import make_new_run_id

    from orchestration.definitions import defs

    job = defs.resolve_job_def(JOB_NAME)
    loaded()
    quiet_logs = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    summaries: list[RunSummary] = []
    for index, registration in enumerate(registrations, start=1):
        print(
            f"[{index}/{len(registrations)}] materializing {registration.key} "
            f"({registration.path})...",
            flush=True,
        )
        summary = RunSummary(key=registration.key, path=registration.path)
        started = time.perf_counter()
        try:
            registry.resolve(registration.key)  # the folder may vanish while earlier repos run
            run_id = make_new_run_id()
            with StepProgress(
                instance=instance,
                run_id=run_id,
                total_steps=len(job.nodes_in_topological_order),
                label=registration.key,
            ):
                result = job.execute_in_process(
                    run_config=quiet_logs,
                    instance=instance,
                    partition_key=registration.key,
                    raise_on_error=False,
                    run_id=run_id,
                )
            summarize(result, summary)
        except RegistryError as exc:
            summary.error = str(exc)
        summary.seconds = time.perf_counter() - started
        summaries.append(summary)
        print("  " + summary.line(), flush=True)

    failed = [s for s in summaries if not s.success]
    total_assets = sum(len(s.assets) for s in summaries)
    total_rows = sum(s.rows for s in summaries)
    print(
        f"summary: {len(summaries) - len(failed)}/{len(summaries)} repositories ok, "
        f"{total_assets} assets, {total_rows} rows, "
        f"{sum(s.checks_passed for s in summaries)} checks passed, "
        f"{sum(len(s.checks_failed) for s in summaries)} failed"
    )
    return 1 if failed else 0


def repos_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="codeintel repos", description="Partition key -> repository path registrations."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="register repository folders")
    add.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add.add_argument("--key", help="partition key (only with one PATH; default: folder name)")
    listing = commands.add_parser("list", help="show the registrations")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    remove = commands.add_parser(
        "remove", help="forget partition keys (stored assets and run history are kept)"
    )
    remove.add_argument("keys", nargs="+", metavar="KEY")
    args = parser.parse_args(list(argv))

    from orchestration.registry import RegistryError

    _prepare_dagster_home()
    try:
        if args.command == "list":
            return _list(as_json=args.json)
        if args.command == "add":
            if args.key and len(args.paths) != 1:
                parser.error("--key needs exactly one PATH")
            return _add(args.paths, key=args.key)
        return _remove(args.keys)
    except RegistryError as exc:
        print(f"codeintel repos: {exc}", file=sys.stderr)
        return 2


def _registry_path() -> Path:
    # Same file as PartitionRegistry.for_instance(instance), without starting Dagster to list.
    from orchestration.registry import REGISTRY_RELATIVE_PATH

    return resolve_dagster_home() / REGISTRY_RELATIVE_PATH


def _list(*, as_json: bool) -> int:
    from orchestration.registry import PartitionRegistry

    registrations = PartitionRegistry(_registry_path()).list()
    if as_json:
        rows: list[dict[str, Any]] = [
            {"key": r.key, "path": str(r.path), "exists": r.path.is_dir()} for r in registrations
        ]
        print(json.dumps(rows, indent=2))
        return 0
    if not registrations:
        print("no repositories registered (add one with `codeintel repos add PATH`)")
    for registration in registrations:
        missing = "" if registration.path.is_dir() else "  (missing)"
        print(f"{registration.key}\t{registration.path}{missing}")
    return 0


def _add(paths: Sequence[Path], *, key: str | None) -> int:
    from orchestration.registry import PartitionRegistry

    for path in paths:
        PartitionRegistry.candidate(path, key=key)  # all valid before anything is written
    instance = _instance()
    registry = PartitionRegistry.for_instance(instance)
    registrations = [registry.add(path, key=key) for path in paths]
    for registration in registrations:
        if not instance.has_dynamic_partition(PARTITIONS_NAME, registration.key):
            instance.add_dynamic_partitions(PARTITIONS_NAME, [registration.key])
        print(f"registered {registration.key}\t{registration.path}")
    return 0


def _remove(keys: Sequence[str]) -> int:
    from orchestration.registry import PartitionRegistry

    instance = _instance()
    registry = PartitionRegistry.for_instance(instance)
    for key in keys:
        registration = registry.remove(key)
        if instance.has_dynamic_partition(PARTITIONS_NAME, key):
            instance.delete_dynamic_partition(PARTITIONS_NAME, key)
        print(f"removed {registration.key}\t{registration.path} (warehouse files kept)")
    return 0
