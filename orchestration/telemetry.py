"""Node telemetry: Hamilton lifecycle adapters for timings, errors and progress, and for values as
they are computed.

``FinishedValues`` hands each value the dataflow computes, as soon as it is computed, to the
caller of the execution (``finished_values``): ``codeintel build`` and the Dagster ops start
encoding a changed table while the dataflow computes the rest.

``NodeTelemetry`` records each node's start, end, duration and error. Records go to the collector
of the current context (``collect_telemetry()``, a ``ContextVar``: a process-wide driver serves
several threads) and to the adapter's own ``timings`` (for a one-shot driver such as
``codeintel build``). With ``show=True`` it draws a tqdm bar on stderr.

Measured seconds of nodes that really ran (cache misses: a cache hit's duration is a file read)
are merged into ``timings.json`` under the cache root (``update_timings_file``); the code
location passes ``read_timings_file()`` to the plan as measured costs for the critical path.

A stored cost moves only on a confirmed change (``settle_costs``): a measurement inside the
node's band (within a factor ``COST_BAND_RATIO`` of the stored cost, or closer to it than
``COST_BAND_SHARE`` of all stored costs' sum) leaves it as it is; one outside waits in
``timings.json.pending``, and the next measurement of the node, outside on the same side,
confirms it: the cost becomes the nearer of the two. The plan's ``dagster/priority`` tags are a
function of these costs, and Dagster stores a new job and execution-plan snapshot whenever a tag
changes: with a running estimate every run that computed something moved some cost, so every
changed run stored two new snapshots (~46 ms of CPU, ~15 KB of ``runs.db``). Measurements on a
busy machine wobble by a factor of 2-20 for one run (a descheduled thread, a collection): a band
absorbs the usual wobble, the confirmation a single outlier; a real change beyond the band (a
cold run's costs against a re-run's, slower code) is persistent and followed after two runs, one
within it never is (the price of a stable plan: such a change barely moves the critical path).
An unchanged file is not rewritten.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import math
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hamilton.lifecycle import base as lifecycle_base

# tqdm (a progress bar) and orchestration.storage (pyarrow) are imported where they are used: the
# adapter is part of every driver, including the one a code location builds only to plan.

if TYPE_CHECKING:
    from hamilton.graph import FunctionGraph
    from hamilton.node import Node

# A node's band around its stored cost (``settle_costs``): measurements within a factor of 2 of
# it, or closer to it than 5% of all stored costs' sum, are wobble. The factor covers most single
# measurements of tokio's re-runs on a busy 2-core machine; the share, the wobble of the many
# nodes of a few ms, whose cost weighs little on the critical path.
COST_BAND_RATIO = 2.0
COST_BAND_SHARE = 0.05
# Beside the timings file: measurements outside their band, waiting for a confirmation.
PENDING_SUFFIX = ".pending"


@dataclass(frozen=True)
class NodeRecord:
    name: str
    started_at: float  # epoch seconds
    seconds: float
    error: str | None = None


@dataclass
class TelemetrySink:
    """Everything recorded while a ``collect_telemetry()`` block was active."""

    records: list[NodeRecord] = field(default_factory=list)

    @property
    def timings(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for record in self.records:
            out[record.name] = out.get(record.name, 0.0) + record.seconds
        return out

    @property
    def errors(self) -> dict[str, str]:
        return {r.name: r.error for r in self.records if r.error is not None}

    def metadata(self) -> dict[str, Any]:
        """Plain JSON for Dagster metadata: seconds per node (sorted), errors when any."""
        out: dict[str, Any] = {
            "timings": {name: round(s, 6) for name, s in sorted(self.timings.items())}
        }
        if self.errors:
            out["errors"] = dict(sorted(self.errors.items()))
        return out


_SINK: ContextVar[TelemetrySink | None] = ContextVar("hamilton_telemetry", default=None)


@contextlib.contextmanager
def collect_telemetry() -> Iterator[TelemetrySink]:
    sink = TelemetrySink()
    token = _SINK.set(sink)
    try:
        yield sink
    finally:
        _SINK.reset(token)


# What the caller of an execution does with each value as it is computed: (run id, node, value).
OnValueComputed = Callable[[str, str, Any], None]
_FINISHED: ContextVar[OnValueComputed | None] = ContextVar("hamilton_finished", default=None)


class FinishedValues(lifecycle_base.BasePostNodeExecute):
    """Lifecycle adapter: hands each value the dataflow computes, as soon as it is computed, to
    the caller of the execution (``finished_values``); added after the cache's adapter, whose data
    version of the value is known by then."""

    def post_node_execute(
        self,
        *,
        run_id: str,
        node_: Node,
        kwargs: dict[str, Any],
        success: bool,
        error: Exception | None,
        result: Any | None,
        task_id: str | None = None,
    ) -> None:
        finished = _FINISHED.get()
        if finished is not None and success and task_id is None:
            finished(run_id, node_.name, result)


@contextlib.contextmanager
def finished_values(finished: OnValueComputed | None) -> Iterator[None]:
    """``finished`` gets each value that executions in this block compute (``FinishedValues``)."""
    token = _FINISHED.set(finished)
    try:
        yield
    finally:
        _FINISHED.reset(token)


class NodeTelemetry(
    lifecycle_base.BasePreGraphExecute,
    lifecycle_base.BasePostGraphExecute,
    lifecycle_base.BasePreNodeExecute,
    lifecycle_base.BasePostNodeExecute,
):
    """Lifecycle adapter: node start/end/duration/errors, and a progress bar when ``show``.

    Built on Hamilton's base hooks, not ``GraphExecutionHook``: that one converts the whole
    graph to a ``HamiltonGraph`` before and after every ``execute`` (~20 ms per call for this
    dataflow, paid by each Dagster op), and nothing here needs it.
    """

    def __init__(self, *, show: bool | None = False) -> None:
        self.show = sys.stderr.isatty() if show is None else show
        self.timings: dict[str, float] = {}
        self.errors: dict[str, str] = {}
        self._started: dict[tuple[str, str, str | None], tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._bar: Any = None

    def pre_graph_execute(
        self,
        *,
        run_id: str,
        graph: FunctionGraph,
        final_vars: list[str],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
    ) -> None:
        if self.show:
            every, given = graph.get_upstream_nodes(final_vars, inputs, overrides)
            total = len(set(every) - set(given))
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="node", desc="codeintel", leave=False)

    def pre_node_execute(
        self,
        *,
        run_id: str,
        node_: Node,
        kwargs: dict[str, Any],
        task_id: str | None = None,
    ) -> None:
        with self._lock:
            self._started[(run_id, node_.name, task_id)] = (time.time(), time.perf_counter())
        if self._bar is not None:
            self._bar.set_postfix_str(node_.name, refresh=False)

    def post_node_execute(
        self,
        *,
        run_id: str,
        node_: Node,
        kwargs: dict[str, Any],
        success: bool,
        error: Exception | None,
        result: Any | None,
        task_id: str | None = None,
    ) -> None:
        node_name = node_.name
        with self._lock:
            started = self._started.pop((run_id, node_name, task_id), None)
        if started is None:
            return
        wall, perf = started
        message = None if success else f"{type(error).__name__}: {error}"
        record = NodeRecord(
            name=node_name,
            started_at=wall,
            seconds=time.perf_counter() - perf,
            error=message,
        )
        with self._lock:
            self.timings[node_name] = record.seconds
            if message is not None:
                self.errors[node_name] = message
        sink = _SINK.get()
        if sink is not None:
            sink.records.append(record)
        if self._bar is not None:
            self._bar.update(1)

    def post_graph_execute(
        self,
        *,
        run_id: str,
        graph: FunctionGraph,
        success: bool,
        error: Exception | None,
        results: dict[str, Any] | None,
    ) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


# --- the timings file -------------------------------------------------------------------------


def read_timings_file(path: Path | str) -> dict[str, float]:
    """``{"node": seconds}`` from ``path``; {} when missing or unreadable (costs are a hint)."""
    try:
        loaded = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {
        str(name): float(seconds)
        for name, seconds in loaded.items()
        if isinstance(seconds, int | float) and math.isfinite(seconds) and seconds >= 0
    }


def update_timings_file(
    path: Path | str, measured: Mapping[str, float], *, only: Iterable[str] | None = None
) -> dict[str, float]:
    """Merge ``measured`` seconds (restricted to ``only`` when given) into the file, atomically;
    the merged timings, empty when nothing was measured (every node from the cache: the file is
    neither read nor written).

    A stored cost moves only on a confirmed change (``settle_costs``). Concurrent writers
    serialize on a lock file, so no update is lost.
    """
    fresh = _fresh_timings(measured, only)
    if not fresh:
        return {}
    return _merge_into(Path(path), [fresh])


def _fresh_timings(measured: Mapping[str, float], only: Iterable[str] | None) -> dict[str, float]:
    keep = None if only is None else set(only)
    return {
        name: seconds
        for name, seconds in measured.items()
        if (keep is None or name in keep) and math.isfinite(seconds) and seconds >= 0
    }


def settle_costs(
    stored: Mapping[str, float], pending: Mapping[str, float], measured: Mapping[str, float]
) -> tuple[dict[str, float], dict[str, float]]:
    """The stored costs and pending measurements after ``measured`` (rule in the module docstring).

    A node measured for the first time takes its measurement. Otherwise a measurement inside the
    node's band (``COST_BAND_RATIO``, ``COST_BAND_SHARE``) keeps the cost and drops a pending
    one; outside, it confirms a pending measurement on the same side of the cost (the cost becomes
    the nearer of the two: a single outlier cannot drag it further) or becomes the pending one.
    """
    costs, waiting = dict(stored), dict(pending)
    near = COST_BAND_SHARE * sum(stored.values())
    for name, seconds in sorted(measured.items()):
        old = costs.get(name)
        earlier = waiting.pop(name, None)
        if old is None:
            costs[name] = round(seconds, 6)
        elif (
            abs(seconds - old) <= near or old / COST_BAND_RATIO <= seconds <= old * COST_BAND_RATIO
        ):
            continue
        elif earlier is not None and (earlier > old) == (seconds > old):
            nearer = earlier if abs(earlier - old) <= abs(seconds - old) else seconds
            costs[name] = round(nearer, 6)
        else:
            waiting[name] = round(seconds, 6)
    return costs, waiting


def _merge_into(target: Path, batches: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Settle each batch of measured seconds into ``target`` (and its pending measurements) in
    turn, under its lock; a file is written only when it changed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    pending_file = target.with_name(target.name + PENDING_SUFFIX)
    with open(target.with_name(target.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stored = read_timings_file(target)
        pending = read_timings_file(pending_file)
        costs, waiting = stored, pending
        for fresh in batches:
            costs, waiting = settle_costs(costs, waiting, fresh)
        if costs != stored:
            _write_timings(target, costs)
        if waiting != pending:
            if waiting:
                _write_timings(pending_file, waiting)
            else:
                pending_file.unlink(missing_ok=True)
    return costs


def _write_timings(target: Path, timings: Mapping[str, float]) -> None:
    from orchestration.storage import atomic_target

    # No fsync: a hint, read as {} when a crash left it torn (``read_timings_file``); every
    # build and run merges into it, and the fsync of a busy disk took up to 0.1 s of a --watch
    # rebuild.
    with atomic_target(target, durable=False) as temporary:
        temporary.write_text(json.dumps(dict(sorted(timings.items())), indent=0))


# Measured seconds not merged into their file yet (``defer_timings``), per file, in the order they
# were measured.
_DEFERRED: dict[Path, list[dict[str, float]]] = {}
_DEFERRED_LOCK = threading.Lock()
_FLUSH_AT_EXIT: list[bool] = []  # [True] once ``flush_deferred_timings`` is an exit handler


def defer_timings(
    path: Path | str, measured: Mapping[str, float], *, only: Iterable[str] | None = None
) -> None:
    """``update_timings_file`` later: at ``flush_deferred_timings``, at the latest when the
    process exits.

    Each op of a Dagster run measures its nodes; merged one op at a time, the file was read,
    rewritten and fsynced once per op (13 per run of the code location). The cache resource
    flushes when the run's resources are torn down (``HamiltonCacheResource``), so a run writes
    the file at most once (not when no cost moved), with the same result: the batches are settled
    in the order they came.
    """
    fresh = _fresh_timings(measured, only)
    if not fresh:
        return
    with _DEFERRED_LOCK:
        _DEFERRED.setdefault(Path(path), []).append(fresh)
        if not _FLUSH_AT_EXIT:
            atexit.register(_flush_at_exit)
            _FLUSH_AT_EXIT.append(True)


def flush_deferred_timings() -> None:
    """Merge every deferred batch into its file (``defer_timings``). An error (OSError) is raised
    once every file was tried; the batches of a file that failed are dropped (costs are a hint)."""
    with _DEFERRED_LOCK:
        pending = dict(_DEFERRED)
        _DEFERRED.clear()
    failure: OSError | None = None
    for path, batches in pending.items():
        try:
            _merge_into(path, batches)
        except OSError as exc:
            failure = failure or exc
    if failure is not None:
        raise failure


def _flush_at_exit() -> None:
    with contextlib.suppress(OSError):
        flush_deferred_timings()
