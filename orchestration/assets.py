"""``hamilton_assets``: any Hamilton modules + config as Dagster assets, like ``@dbt_assets``.

The plan (``orchestration.partition``) cuts the Hamilton graph into ops; each op becomes one
``multi_asset`` (``can_subset=True``) whose assets are the op's boundary nodes and whose asset
checks are their ``@check_output`` validators. At run time an op body

1. resolves the run's external inputs (``inputs=``) before any work, so a bad partition fails early;
2. loads only the upstream assets its selected outputs need, through the IO manager, and passes them
   to Hamilton as overrides (with the cache: a ``StoredValue`` carrying the fingerprint the IO
   manager recorded, read only if a node that runs needs it; a table an earlier step of the same
   run wrote or read comes from memory, see ``storage.ValueHandOff``);
3. calls ``driver.execute(final_vars=<selected value nodes + selected validator nodes>)`` on a
   driver built once per process, so a subset run computes only the selected assets' sub-DAG;
4. yields one ``Output`` per selected asset (stored by the IO manager; a table whose stored file
   was written from the same Hamilton data version and is unchanged is neither cast nor written
   again, see ``orchestration.storage.stored_if_current``) and one ``AssetCheckResult`` per
   selected check. A table that is to be written starts being encoded as soon as Hamilton
   computed it (``HamiltonIOManager.encode_ahead``), while the op runs its checks and the rest;
   its write, when the op yields it, takes that encoding.

Blocking checks: when a ``fail`` validator fails, assets of the same op that depend on the checked
node are not computed (Dagster leaves that to the multi_asset), and Dagster then fails the step, so
assets of downstream ops do not run either. Independent assets are still materialized.
"""

from __future__ import annotations

import atexit
import functools
import inspect
import json
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import CodeType, ModuleType
from typing import TYPE_CHECKING, Any

from dagster import (
    AssetCheckKey,
    AssetDep,
    AssetExecutionContext,
    AssetKey,
    AssetOut,
    AssetsDefinition,
    CodeReferencesMetadataValue,
    Failure,
    LocalFileCodeReference,
    MetadataValue,
    Output,
    PartitionsDefinition,
    multi_asset,
)
from dagster._core.types.dagster_type import Any as _ANY
from hamilton import base, driver
from hamilton import node as hamilton_node
from hamilton.graph_types import HamiltonNode

from orchestration.checks import check_result, check_spec
from orchestration.collector import gc_paused
from orchestration.deferred import DeferredValue
from orchestration.graph import with_cached_version
from orchestration.io_manager import (
    STORED_CURRENT_KEY,
    STORED_TOKEN_KEY,
    HamiltonIOManager,
    column_schema,
    table_metadata,
)
from orchestration.plan import AssetPlan, PlannedAsset, PlannedCheck, PlannedOp
from orchestration.telemetry import (
    FinishedValues,
    NodeTelemetry,
    OnValueComputed,
    TelemetrySink,
    collect_telemetry,
    defer_timings,
    finished_values,
)
from orchestration.translator import HamiltonDagsterTranslator, default_tags

if TYPE_CHECKING:
    import pyarrow as pa
    from hamilton.caching.adapter import HamiltonCacheAdapter

    from orchestration.caching import CacheAudit, CacheConfig
    from orchestration.tracking import TrackingConfig

# polars, orchestration.storage, the cache integration (orchestration.caching) and the Hamilton UI
# tracking are imported when an op runs or a driver needs them: defining the assets does not (a
# code location loads on every `dagster definitions validate` and in every run worker).

# How external Hamilton inputs (e.g. a repository path) are obtained for a run: a fixed mapping,
# or a callable that receives the op's execution context (partition key, instance, resources).
ExternalInputs = Mapping[str, Any] | Callable[[AssetExecutionContext], Mapping[str, Any]]

TABLE_KINDS = frozenset({"hamilton", "polars", "parquet"})
VALUE_KINDS = frozenset({"hamilton", "json"})
_NON_WORD = re.compile(r"\W")
_STRICT_TAG_VALUE = re.compile(r"^[A-Za-z0-9_.-]{0,63}$")


# --- Hamilton drivers and graphs, built once per process --------------------------------------


def _project_key(modules: Sequence[ModuleType], config: Mapping[str, Any]) -> str:
    # id(): two module objects may share a name (generated or reloaded modules); this cache is
    # per process, so object identity is the right key.
    names = ",".join(f"{module.__name__}@{id(module)}" for module in modules)
    return f"{names}|{json.dumps(config, sort_keys=True, default=repr)}"


_DRIVERS: dict[str, driver.Driver] = {}
_TRACKERS: dict[str, Any] = {}
_BUILD_LOCK = threading.Lock()


def hamilton_driver(
    *,
    modules: Sequence[ModuleType],
    config: Mapping[str, Any],
    cache: CacheConfig | None = None,
    tracking: TrackingConfig | None = None,
) -> driver.Driver:
    """The process-wide driver for ``modules`` + ``config`` (built on first use).

    Every driver has the node telemetry adapter and, last, ``FinishedValues`` (each value to the
    op as it is computed); ``cache`` adds Hamilton's cache (``orchestration.caching``) and
    ``tracking`` a Hamilton UI tracker; both are part of the key.
    """
    key = _driver_key(modules, config, cache, tracking)
    with _BUILD_LOCK:
        built = _DRIVERS.get(key)
        if built is None:
            adapters: list[Any] = [base.DictResult(), NodeTelemetry()]
            if cache is not None:
                from orchestration.caching import cache_adapter

                cache_hook = cache_adapter(cache)
                if cache_hook is not None:
                    adapters.append(cache_hook)
            if tracking is not None:
                from orchestration.tracking import make_tracker

                tracker = make_tracker(tracking)
                _TRACKERS[key] = tracker
                adapters.append(tracker)
            # After the cache's adapter: a value's data version is known when it is handed on.
            adapters.append(FinishedValues())
            built = (
                driver.Builder()
                .with_modules(*modules)
                .with_config(dict(config))
                .with_adapters(*adapters)
                .build()
            )
            _DRIVERS[key] = built
    return built


def stop_tracking() -> None:
    """Send what the Hamilton UI trackers still hold and forget the tracked drivers (e.g. before
    the tracking server goes away; otherwise they flush at interpreter exit)."""
    with _BUILD_LOCK:
        for key, tracker in list(_TRACKERS.items()):
            tracker.stop()
            atexit.unregister(tracker.client.stop)  # stopped: a second stop would fail at exit
            _TRACKERS.pop(key, None)
            _DRIVERS.pop(key, None)


def _driver_key(
    modules: Sequence[ModuleType],
    config: Mapping[str, Any],
    cache: CacheConfig | None,
    tracking: TrackingConfig | None,
) -> str:
    key = _project_key(modules, config)
    if cache is not None and cache.enabled:
        key += f"|cache={cache!r}"
    if tracking is not None:
        key += f"|tracking={tracking!r}"
    return key


# --- definition time -------------------------------------------------------------------------


def _asset_key(asset: PlannedAsset) -> AssetKey:
    return AssetKey(list(asset.key))


def _output_name(asset: PlannedAsset) -> str:
    return _asset_key(asset).to_python_identifier()


def _value_node(asset: PlannedAsset) -> str:
    return asset.value_node or asset.node


def _dagster_name(name: str) -> str:
    cleaned = _NON_WORD.sub("_", name)
    return cleaned if cleaned and not cleaned[0].isdigit() else f"op_{cleaned}"


def _strict_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """Asset tags Dagster accepts (short, plain values); every tag is also kept in metadata."""
    return {key: value for key, value in tags.items() if _STRICT_TAG_VALUE.match(value)}


def _code_references(node: HamiltonNode) -> CodeReferencesMetadataValue | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # code references are a Dagster "beta" API
        return _code_references_of(node)


# (code file, module) -> inspect.getsourcefile of its functions: it checks suffixes and the disk on
# every call, the same answer for every function of a file.
_SOURCE_FILES: dict[tuple[str, str | None], str | None] = {}


def _source_file(fn: Callable[..., Any], code: CodeType) -> str | None:
    key = (code.co_filename, getattr(fn, "__module__", None))
    if key not in _SOURCE_FILES:
        try:
            _SOURCE_FILES[key] = inspect.getsourcefile(fn)
        except TypeError:
            _SOURCE_FILES[key] = None
    return _SOURCE_FILES[key]


def _code_references_of(node: HamiltonNode) -> CodeReferencesMetadataValue | None:
    references: list[LocalFileCodeReference | Any] = []
    for fn in node.originating_functions or ():
        code = getattr(fn, "__code__", None)
        if code is None:
            continue
        source_file = _source_file(fn, code)
        if source_file:
            # co_firstlineno is the first decorator's line, as inspect.getsourcelines reports it,
            # without tokenizing the source (thousands of nodes load in milliseconds).
            references.append(
                LocalFileCodeReference(
                    file_path=source_file,
                    line_number=code.co_firstlineno,
                    label=f"{fn.__module__}.{fn.__name__}",
                )
            )
    return CodeReferencesMetadataValue(code_references=references) if references else None


def _is_table(node: HamiltonNode) -> bool:
    node_type = getattr(node.type, "__origin__", node.type)
    return isinstance(node_type, type) and any(
        base.__module__.split(".")[0] in {"polars", "pyarrow"} for base in node_type.__mro__
    )


def _asset_out(
    *,
    asset: PlannedAsset,
    op: PlannedOp,
    node: HamiltonNode,
    plan: AssetPlan,
    translator: HamiltonDagsterTranslator,
    io_manager_key: str,
    table_schema: pa.Schema | None = None,
) -> AssetOut:
    tags = translator.get_tags(node)
    metadata: dict[str, Any] = {
        **translator.get_metadata(node),
        "hamilton/op": op.name,
        "hamilton/plan_signature": plan.signature,
        "hamilton/boundary_reasons": ", ".join(asset.reasons),
        "hamilton/tags": MetadataValue.json(default_tags(node)),
    }
    references = _code_references(node)
    if references is not None:
        metadata["dagster/code_references"] = references
    if table_schema is not None:  # shown before the first materialization
        metadata["dagster/column_schema"] = column_schema(table_schema)
    return AssetOut(
        key=_asset_key(asset),
        description=translator.get_description(node),
        code_version=translator.get_code_version(node),
        group_name=_dagster_name(translator.get_group_name(node)),
        metadata=metadata,
        tags=_strict_tags(tags),
        kinds=set(TABLE_KINDS if _is_table(node) else VALUE_KINDS),
        is_required=False,
        io_manager_key=io_manager_key,
        # What Dagster infers for an op returning Iterator[Any] anyway, given resolved: inferring it
        # costs ~30 us per out (~0.06 s for a 5,000-node graph's outs); the public dagster.Any is
        # typing.Any, which Dagster would resolve again.
        dagster_type=_ANY,
    )


def _optional_inputs(nodes: Mapping[str, hamilton_node.Node]) -> frozenset[str]:
    """External inputs every consumer declares with a default value (may be left out)."""
    required: set[str] = set()
    optional: set[str] = set()
    for node in nodes.values():
        for dependency, (_, kind) in node.input_types.items():
            (optional if kind == hamilton_node.DependencyType.OPTIONAL else required).add(
                dependency
            )
    inputs = {name for name, node in nodes.items() if node.user_defined}
    return frozenset((optional - required) & inputs)


def _ancestors_map(nodes: Mapping[str, hamilton_node.Node]) -> dict[str, frozenset[str]]:
    return {name: frozenset(node.input_types) for name, node in nodes.items()}


def _asset_nodes(
    nodes: Mapping[str, hamilton_node.Node], plan: AssetPlan
) -> dict[str, HamiltonNode]:
    """The translator's view of the plan's asset nodes, with the code versions the plan used."""
    return {
        asset.node: with_cached_version(HamiltonNode.from_node(nodes[asset.node]))
        for asset in plan.assets
    }


def hamilton_assets(
    *,
    modules: Sequence[ModuleType],
    config: Mapping[str, Any] | None = None,
    translator: HamiltonDagsterTranslator | None = None,
    partitions_def: PartitionsDefinition | None = None,
    inputs: ExternalInputs | None = None,
    plan: AssetPlan | None = None,
    io_manager_key: str = "io_manager",
    pool: Callable[[PlannedOp], str | None] | None = None,
    cache_resource_key: str | None = None,
    cache_directory_inputs: Mapping[str, str] | None = None,
    tracking_resource_key: str | None = None,
    timings: Mapping[str, float] | None = None,
) -> list[AssetsDefinition]:
    """Dagster assets (with asset checks) for the Hamilton dataflow in ``modules`` + ``config``.

    Args:
        modules: the Hamilton modules, as for ``driver.Builder().with_modules``.
        config: the Hamilton config, as for ``with_config``.
        translator: how nodes are presented (keys, groups, tags, descriptions, priorities).
        partitions_def: partitions shared by every asset and check (e.g. one per repository).
        inputs: the Hamilton inputs the dataflow needs at run time, as a mapping or as a callable
            of the op's context (e.g. the repository path of the run's partition key). Called
            before any node runs, only by ops whose selected outputs need an external input.
        plan: a precomputed plan; by default the ``orchestration.partition`` plan of the graph
            (what ``build_plan`` returns for the same modules, config and translator).
        io_manager_key: the resource key of a ``HamiltonIOManager`` (stores and loads values).
        pool: the Dagster concurrency pool of each planned op (None: no pool), so that e.g. the
            parsing ops share a limit set in ``dagster.yaml`` (``concurrency: pools:``).
        cache_resource_key: the resource key of a ``HamiltonCacheResource``: every op executes
            with Hamilton's cache (``orchestration.caching``) and reports hits/misses in metadata.
        cache_directory_inputs: Hamilton inputs that receive a folder under the cache root
            (input name -> sub-folder), e.g. a per-file store the dataflow keeps itself.
        tracking_resource_key: the resource key of a ``HamiltonTrackingResource`` (Hamilton UI).
        timings: measured node seconds (``orchestration.telemetry.read_timings_file``), the
            plan's costs for nodes without a ``task_cost`` tag.
    """
    # Every object built here lives as long as the definitions; full collections of the
    # process's heap in the middle of it (thousands of Hamilton nodes and Dagster specs) cost more
    # than the build itself on large graphs.
    with gc_paused():
        return _hamilton_assets(
            modules=tuple(modules),
            config=dict(config or {}),
            translator=translator or HamiltonDagsterTranslator(),
            partitions_def=partitions_def,
            inputs=inputs,
            plan=plan,
            io_manager_key=io_manager_key,
            pool=pool,
            cache_resource_key=cache_resource_key,
            cache_directory_inputs=cache_directory_inputs,
            tracking_resource_key=tracking_resource_key,
            timings=timings,
        )


def _hamilton_assets(
    *,
    modules: tuple[ModuleType, ...],
    config: dict[str, Any],
    translator: HamiltonDagsterTranslator,
    partitions_def: PartitionsDefinition | None,
    inputs: ExternalInputs | None,
    plan: AssetPlan | None,
    io_manager_key: str,
    pool: Callable[[PlannedOp], str | None] | None,
    cache_resource_key: str | None,
    cache_directory_inputs: Mapping[str, str] | None,
    tracking_resource_key: str | None,
    timings: Mapping[str, float] | None,
) -> list[AssetsDefinition]:
    dr = hamilton_driver(modules=modules, config=config)
    if plan is None:
        from orchestration.partition import plan_from_driver

        # Same plan as build_plan(), on the process-wide driver the ops execute with.
        plan = plan_from_driver(driver=dr, config=config, translator=translator, timings=timings)
    graph_nodes: dict[str, hamilton_node.Node] = dict(dr.graph.nodes)
    nodes = _asset_nodes(graph_nodes, plan)
    parents = _ancestors_map(graph_nodes)
    optional_inputs = _optional_inputs(graph_nodes)  # once: it walks every node of the graph
    definitions: list[AssetsDefinition] = []
    for op in plan.ops:
        runner = _OpRunner(
            op=op,
            plan=plan,
            table_schemas={  # (the upstream assets' too: what a stored one must have)
                asset.node: declared
                for asset in (*op.assets, *op.upstream)
                if (declared := translator.get_table_schema(nodes[asset.node])) is not None
            },
            modules=modules,
            config=config,
            parents=parents,
            inputs=inputs,
            io_manager_key=io_manager_key,
            cache_resource_key=cache_resource_key,
            cache_directory_inputs=dict(cache_directory_inputs or {}),
            tracking_resource_key=tracking_resource_key,
            optional_inputs=optional_inputs,
        )
        definitions.append(
            _op_assets_definition(
                op=op,
                plan=plan,
                nodes=nodes,
                translator=translator,
                partitions_def=partitions_def,
                io_manager_key=io_manager_key,
                runner=runner,
                pool=pool(op) if pool is not None else None,
            )
        )
    return definitions


def _op_assets_definition(
    *,
    op: PlannedOp,
    plan: AssetPlan,
    nodes: Mapping[str, HamiltonNode],
    translator: HamiltonDagsterTranslator,
    partitions_def: PartitionsDefinition | None,
    io_manager_key: str,
    runner: _OpRunner,
    pool: str | None = None,
) -> AssetsDefinition:
    outs = {
        _output_name(asset): _asset_out(
            asset=asset,
            op=op,
            node=nodes[asset.node],
            plan=plan,
            translator=translator,
            io_manager_key=io_manager_key,
            table_schema=runner.table_schemas.get(asset.node),
        )
        for asset in op.assets
    }
    upstream_keys = sorted({tuple(upstream.asset_key) for upstream in op.upstream})
    with warnings.catch_warnings():
        # Partitioned asset checks are a Dagster "preview" feature; they give per-partition results.
        warnings.simplefilter("ignore")
        specs = [
            check_spec(asset=asset, check=check, partitions_def=partitions_def)
            for asset in op.assets
            for check in asset.checks
        ]

    @multi_asset(
        name=_dagster_name(op.name),
        outs=outs,
        deps=[AssetDep(AssetKey(list(key))) for key in upstream_keys],
        check_specs=specs or None,
        partitions_def=partitions_def,
        can_subset=True,
        # The plan's priority already went through ``translator.get_priority`` (partition).
        op_tags={"dagster/priority": str(op.priority)},
        required_resource_keys=runner.resource_keys,
        pool=pool,
        description=f"Hamilton op {op.name}: {len(op.nodes)} nodes",
    )
    def _hamilton_op(context) -> Iterator[Any]:
        # No annotation: Dagster checks it at runtime and sees only a string under PEP 563.
        yield from runner.run(context)

    return _hamilton_op


# --- run time --------------------------------------------------------------------------------


class StoredValue(DeferredValue):
    """An upstream asset whose fingerprint the IO manager recorded: Hamilton's cache keys use the
    fingerprint; the value is loaded (once) only when a node that runs needs it.

    Loaded from the run's hand-off when this run wrote or read it, else from ``cached`` (the
    cache's result store, ``caching.stored_result``: the value with that fingerprint, as an Arrow
    IPC file that reads in a fraction of the Parquet file's time: tokio's rust calls ~7 ms
    against ~20-50 ms), else from its file.
    """

    def __init__(
        self,
        *,
        io_manager: HamiltonIOManager,
        key_path: tuple[str, ...],
        partition_key: str | None,
        fingerprint: str,
        cached: Callable[[str], Any] | None = None,
        table_schema: pa.Schema | None = None,
    ) -> None:
        self.io_manager = io_manager
        self.key_path = key_path
        self.partition_key = partition_key
        self.fingerprint = fingerprint
        self.cached = cached
        self.table_schema = table_schema  # declared: the stored file's must be it (read_value)
        self._value: Any = None
        self._loaded = False
        self._lock = threading.Lock()  # nodes of one execution may run in threads

    def cache_fingerprint(self) -> str:
        return self.fingerprint

    def load(self) -> Any:
        with self._lock:
            if not self._loaded:
                try:
                    self._value = self._found()
                except Exception as exc:
                    raise Failure(
                        description=f"upstream asset {'/'.join(self.key_path)} could not be "
                        f"loaded: {exc}; materialize it again"
                    ) from exc
                self._loaded = True
        return self._value

    def _found(self) -> Any:
        where = {"key_path": self.key_path, "partition_key": self.partition_key}
        value = self.io_manager.handed_off(**where)
        if value is None and self.cached is not None:
            value = self.cached(self.fingerprint)
            # Hamilton's copy of a table older code stored is that older table too (review
            # r19d): checked as its file would be (``read_value``)
            if self.table_schema is not None:
                from orchestration.storage import check_declared_columns

                check_declared_columns(
                    value, self.table_schema, key_path=self.key_path, where="Hamilton's cache"
                )
        if value is not None:
            return value
        return self.io_manager.load_value(**where, table_schema=self.table_schema)

    def __repr__(self) -> str:
        return f"<stored {'/'.join(self.key_path)}: {self.fingerprint}>"


@dataclass(frozen=True)
class _PreparedTable:
    """A selected asset's table as Hamilton computed it, and what ``_OpRunner.encode_ahead``
    found for it: its version token, whether its stored file holds it already."""

    value: Any
    token: str | None
    current: bool


def _has_rows(value: Any) -> bool:
    """A table (polars or pyarrow) with at least one row."""
    import polars as pl
    import pyarrow as pa

    if isinstance(value, pl.DataFrame):
        return value.height > 0
    return isinstance(value, pa.Table) and value.num_rows > 0


@dataclass(frozen=True)
class _Selection:
    assets: tuple[PlannedAsset, ...]
    checks: tuple[tuple[PlannedAsset, PlannedCheck], ...]

    @property
    def targets(self) -> set[str]:
        return {_value_node(a) for a in self.assets} | {check.node for _, check in self.checks}


def _run_partition_key(context: AssetExecutionContext) -> str | None:
    """The run's single partition key, None when unpartitioned; a key range is refused."""
    if context.has_partition_key:
        return context.partition_key
    if context.has_partition_key_range:
        raise Failure(
            description="this op runs one partition at a time; launch one run per partition "
            "(a backfill with a multi-run policy) instead of a partition range"
        )
    return None


class _OpRunner:
    """Runs one planned op's selected outputs with Hamilton (see module docstring)."""

    def __init__(
        self,
        *,
        op: PlannedOp,
        plan: AssetPlan,
        table_schemas: Mapping[str, pa.Schema],
        modules: tuple[ModuleType, ...],
        config: dict[str, Any],
        parents: Mapping[str, frozenset[str]],
        inputs: ExternalInputs | None,
        io_manager_key: str,
        cache_resource_key: str | None = None,
        cache_directory_inputs: Mapping[str, str] | None = None,
        tracking_resource_key: str | None = None,
        optional_inputs: frozenset[str] = frozenset(),
    ) -> None:
        self.op = op
        self.plan = plan
        # asset node -> declared Arrow schema (its own assets and its upstream ones)
        self.table_schemas = dict(table_schemas)
        self.modules = modules
        self.config = config
        self.parents = parents
        self.inputs = inputs
        self.io_manager_key = io_manager_key
        self.cache_resource_key = cache_resource_key
        self.cache_directory_inputs = dict(cache_directory_inputs or {})
        self.tracking_resource_key = tracking_resource_key
        self.optional_inputs = optional_inputs
        self.resource_keys = {io_manager_key} | {
            key for key in (cache_resource_key, tracking_resource_key) if key
        }
        self.upstream_by_node = {upstream.node: upstream for upstream in op.upstream}
        self.external = frozenset(op.external_inputs) | frozenset(plan.external_inputs)
        self._ancestor_cache: dict[str, frozenset[str]] = {}

    # graph helpers, within this op: upstream inputs and external inputs are where walks stop
    def ancestors(self, node: str) -> frozenset[str]:
        cached = self._ancestor_cache.get(node)
        if cached is not None:
            return cached
        seen: set[str] = set()
        stack = list(self.parents.get(node, ()))
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            if current in self.upstream_by_node or current in self.external:
                continue
            stack.extend(self.parents.get(current, ()))
        result = frozenset(seen)
        self._ancestor_cache[node] = result
        return result

    def closure(self, targets: Iterable[str]) -> set[str]:
        needed: set[str] = set()
        for target in targets:
            needed.add(target)
            needed |= self.ancestors(target)
        return needed

    def cache_for(self, context: AssetExecutionContext) -> CacheConfig | None:
        if not self.cache_resource_key:
            return None
        resource = getattr(context.resources, self.cache_resource_key)
        config: CacheConfig = resource.cache_config(directory_inputs=self.cache_directory_inputs)
        return config

    def tracking_for(self, context: AssetExecutionContext) -> TrackingConfig | None:
        if not self.tracking_resource_key:
            return None
        return getattr(context.resources, self.tracking_resource_key).tracking_config()

    def driver_for(
        self,
        context: AssetExecutionContext,
        *,
        cache: CacheConfig | None = None,
        tracking: TrackingConfig | None = None,
    ) -> driver.Driver:
        """The Hamilton driver this op executes with: one per process and options, shared by
        every op. Tracked executions are tagged with this run (tracker tags are per execution)."""
        dr = hamilton_driver(
            modules=self.modules, config=self.config, cache=cache, tracking=tracking
        )
        if tracking is not None:
            from orchestration.tracking import run_tags

            tracker = _TRACKERS[_driver_key(self.modules, self.config, cache, tracking)]
            tracker.base_tags = run_tags(
                tracking, plan_signature=self.plan.signature, run_id=context.run_id, op=self.op.name
            )
        return dr

    def select(self, context: AssetExecutionContext) -> _Selection:
        selected_keys = context.selected_asset_keys
        selected_checks = context.selected_asset_check_keys
        assets = tuple(a for a in self.op.assets if _asset_key(a) in selected_keys)
        checks = tuple(
            (asset, check)
            for asset in self.op.assets
            for check in asset.checks
            if AssetCheckKey(_asset_key(asset), check.name) in selected_checks
        )
        return _Selection(assets=assets, checks=checks)

    def external_inputs(self, context: AssetExecutionContext, needed: set[str]) -> dict[str, Any]:
        wanted = (needed & self.external) - set(self.cache_directory_inputs)
        if not wanted - self.optional_inputs:
            return {}
        if self.inputs is None:
            raise Failure(
                description=(
                    f"op {self.op.name} needs the external input(s) {sorted(wanted)}, "
                    "but hamilton_assets(inputs=...) was not given"
                )
            )
        try:
            provided = self.inputs(context) if callable(self.inputs) else self.inputs
        except Exception as exc:
            raise Failure(
                description=f"cannot resolve the inputs {sorted(wanted)} for this run: {exc}"
            ) from exc
        missing = wanted - set(provided) - self.optional_inputs
        if missing:
            raise Failure(
                description=f"op {self.op.name} needs the external input(s) {sorted(missing)}, "
                "which the inputs provider did not return"
            )
        return dict(provided)

    def io_manager_for(self, context: AssetExecutionContext) -> HamiltonIOManager:
        """The op's IO manager: it loads the upstream assets and stores the outputs."""
        io_manager = getattr(context.resources, self.io_manager_key)
        if not isinstance(io_manager, HamiltonIOManager):
            raise Failure(
                description=f"resource {self.io_manager_key!r} must be a HamiltonIOManager "
                f"to load and store the assets of {self.op.name}, got {type(io_manager).__name__}"
            )
        return io_manager

    def load_upstream(
        self,
        io_manager: HamiltonIOManager,
        needed: set[str],
        partition_key: str | None,
        *,
        deferred: bool = False,
        cache: CacheConfig | None = None,
    ) -> dict[str, Any]:
        """The upstream assets ``needed`` as Hamilton overrides. ``deferred`` (a driver with the
        cache adapter and nothing that reads every value): an asset whose fingerprint the IO
        manager recorded is a ``StoredValue``, read only if a node that runs needs it; in a warm
        run no node does, and the cache keys need only the fingerprint."""
        overrides: dict[str, Any] = {}
        cached = None
        if deferred and cache is not None:
            from orchestration.caching import stored_result

            cached = functools.partial(stored_result, cache)
        for node in sorted(needed & set(self.upstream_by_node)):
            upstream = self.upstream_by_node[node]
            try:
                fingerprint = (
                    io_manager.stored_fingerprint(
                        key_path=upstream.asset_key, partition_key=partition_key
                    )
                    if deferred
                    else None
                )
                overrides[node] = (
                    StoredValue(
                        io_manager=io_manager,
                        key_path=tuple(upstream.asset_key),
                        partition_key=partition_key,
                        fingerprint=fingerprint,
                        cached=cached,
                        table_schema=self.table_schemas.get(node),
                    )
                    if fingerprint is not None
                    else io_manager.load_value(
                        key_path=upstream.asset_key,
                        partition_key=partition_key,
                        table_schema=self.table_schemas.get(node),
                    )
                )
            except Exception as exc:
                raise Failure(
                    description=(
                        f"upstream asset {'/'.join(upstream.asset_key)} (op {upstream.op}) is "
                        f"needed by {self.op.name} but could not be loaded: {exc}; "
                        "materialize it first"
                    )
                ) from exc
        return overrides

    def run(self, context: AssetExecutionContext) -> Iterator[Any]:
        selection = self.select(context)
        partition_key = _run_partition_key(context)
        needed = self.closure(selection.targets)
        external = self.external_inputs(context, needed)
        cache = self.cache_for(context)
        tracking = self.tracking_for(context)
        io_manager = self.io_manager_for(context)
        overrides = self.load_upstream(
            io_manager,
            needed,
            partition_key,
            deferred=cache is not None and cache.enabled and tracking is None,
            cache=cache,
        )
        dr = self.driver_for(context, cache=cache, tracking=tracking)
        if cache is not None:
            external = {**cache.input_values(), **external}

        # Each table to be written starts being encoded as soon as Hamilton computed it.
        prepared: dict[str, _PreparedTable] = {}
        ahead = self.encode_ahead(
            io_manager=io_manager,
            partition_key=partition_key,
            selection=selection,
            # (Hamilton's own look-up of the driver's cache adapter: None without one)
            adapter=dr.cache if cache is not None and cache.enabled else None,
            prepared=prepared,
        )
        try:
            yield from self._outputs(
                context,
                dr=dr,
                selection=selection,
                external=external,
                overrides=overrides,
                cache=cache,
                io_manager=io_manager,
                partition_key=partition_key,
                ahead=ahead,
                prepared=prepared,
            )
        finally:  # an encoding no write took (a blocked asset, a failure): its temporary goes
            io_manager.discard_ahead(
                key_paths=[asset.key for asset in selection.assets], partition_key=partition_key
            )

    def _outputs(
        self,
        context: AssetExecutionContext,
        *,
        dr: driver.Driver,
        selection: _Selection,
        external: dict[str, Any],
        overrides: dict[str, Any],
        cache: CacheConfig | None,
        io_manager: HamiltonIOManager,
        partition_key: str | None,
        ahead: OnValueComputed,
        prepared: Mapping[str, _PreparedTable],
    ) -> Iterator[Any]:
        """Execute the selection; yield its outputs and check results (see ``run``)."""
        from orchestration.caching import collect_cache_audits

        with (
            collect_telemetry() as telemetry,
            collect_cache_audits() as audits,
            finished_values(ahead),
        ):
            try:
                values, validations, blocked = self._execute_in_waves(
                    dr=dr,
                    selection=selection,
                    external=external,
                    overrides=overrides,
                )
            finally:
                self._record(context, cache=cache, telemetry=telemetry, audits=audits)
        timing_metadata = MetadataValue.json(telemetry.metadata()["timings"])
        content_versions = {
            name: version for audit in audits for name, version in audit.data_versions.items()
        }
        for asset in selection.assets:
            if asset.node in blocked:
                context.log.warning(
                    f"not materializing {'/'.join(asset.key)}: blocking check failed on "
                    f"{blocked[asset.node]}"
                )
                continue
            value, stored_metadata = self.stored_value(
                asset,
                values[_value_node(asset)],
                content_version=content_versions.get(_value_node(asset)),
                io_manager=io_manager,
                partition_key=partition_key,
                prepared=prepared.get(_value_node(asset)),
            )
            yield Output(
                value,
                output_name=_output_name(asset),
                metadata={
                    **stored_metadata,
                    "hamilton/plan_signature": self.plan.signature,
                    "hamilton/op": self.op.name,
                    "hamilton/timings": timing_metadata,
                    **self._cache_metadata(asset, audits, cache),
                },
            )
        for asset, check in selection.checks:
            if check.node in validations:
                yield check_result(asset=asset, check=check, validation=validations[check.node])

    def encode_ahead(
        self,
        *,
        io_manager: HamiltonIOManager,
        partition_key: str | None,
        selection: _Selection,
        adapter: HamiltonCacheAdapter | None,
        prepared: dict[str, _PreparedTable],
    ) -> OnValueComputed:
        """What the op does with each value Hamilton computes (``telemetry.FinishedValues``): a
        selected asset's table that its stored file does not hold (its version token differs,
        or it has none: no cache) starts being encoded (``HamiltonIOManager.encode_ahead``)
        while the op goes on; its checks, its fingerprints, its other tables and the Dagster
        events of its outputs come before its write (tokio's CPG edges: ~25 ms). What was found
        is kept in ``prepared`` for ``stored_value``. An empty table is left to its write."""
        from hamilton.caching import fingerprinting

        from orchestration.storage import value_token

        by_node = {_value_node(asset): asset for asset in selection.assets}

        def finished(run_id: str, node: str, value: Any) -> None:
            asset = by_node.get(node)
            if asset is None or not _has_rows(value):
                return
            declared = self.table_schemas.get(asset.node)
            version = adapter.data_versions.get(run_id, {}).get(node) if adapter else None
            token = (
                value_token(content_version=version, value=value, table_schema=declared)
                if isinstance(version, str) and version != fingerprinting.UNHASHABLE
                else None
            )
            current = token is not None and (
                io_manager.stored_if_current(
                    key_path=asset.key, partition_key=partition_key, token=token
                )
                is not None
            )
            prepared[node] = _PreparedTable(value=value, token=token, current=current)
            if not current:
                io_manager.encode_ahead(
                    key_path=asset.key,
                    partition_key=partition_key,
                    value=value,
                    table_schema=declared,
                    token=token,
                    # (a value node is requested, so stored: its version is its fingerprint)
                    value_fingerprint=version if isinstance(version, str) and token else None,
                )

        return finished

    def stored_value(
        self,
        asset: PlannedAsset,
        value: Any,
        *,
        content_version: str | None,
        io_manager: HamiltonIOManager,
        partition_key: str | None,
        prepared: _PreparedTable | None = None,
    ) -> tuple[Any, dict[str, Any]]:
        """The value to yield for ``asset`` and its table metadata (and the IO manager's keys).

        A table whose content version (Hamilton's data version) is known gets a version token;
        when its stored file was written from the same token and is unchanged, the IO manager
        leaves it as it is, so the value is yielded as computed: casting it to its declared
        schema (what the IO manager writes) would be wasted. Otherwise the value is cast (by its
        encoding ahead, when one was started: ``declared_value``). ``prepared``: what
        ``encode_ahead`` found for the value, used when it is this value with this token.
        """
        from orchestration.storage import value_token

        declared = self.table_schemas.get(asset.node)
        token = (
            value_token(content_version=content_version, value=value, table_schema=declared)
            if content_version is not None
            else None
        )
        if token is None:
            cast = self.declared_value(
                asset, value, io_manager=io_manager, partition_key=partition_key
            )
            return cast, table_metadata(cast)
        if prepared is not None and prepared.value is value and prepared.token == token:
            current = prepared.current
        else:
            current = (
                io_manager.stored_if_current(
                    key_path=asset.key, partition_key=partition_key, token=token
                )
                is not None
            )
        if current:
            metadata = table_metadata(value, table_schema=declared)
            return value, {**metadata, STORED_TOKEN_KEY: token, STORED_CURRENT_KEY: True}
        cast = self.declared_value(asset, value, io_manager=io_manager, partition_key=partition_key)
        return cast, {**table_metadata(cast), STORED_TOKEN_KEY: token}

    def declared_value(
        self,
        asset: PlannedAsset,
        value: Any,
        *,
        io_manager: HamiltonIOManager,
        partition_key: str | None,
    ) -> Any:
        """A table as the IO manager writes it (cast to its declared schema), else the value:
        the table of ``io_manager``'s encoding ahead of this value when it has one."""
        import polars as pl
        import pyarrow as pa

        from orchestration.storage import StorageError, as_arrow

        if not isinstance(value, pl.DataFrame | pa.Table):
            return value
        declared = self.table_schemas.get(asset.node)
        try:
            written = io_manager.written_value(
                key_path=asset.key, partition_key=partition_key, value=value
            )
            if written is not None:
                return written
            return value if declared is None else as_arrow(value, table_schema=declared)
        except StorageError as exc:
            raise Failure(description=f"asset {'/'.join(asset.key)}: {exc}") from exc

    def _record(
        self,
        context: AssetExecutionContext,
        *,
        cache: CacheConfig | None,
        telemetry: TelemetrySink,
        audits: list[CacheAudit],
    ) -> None:
        """Index the op's cache runs under the Dagster run id; merge the measured node seconds."""
        if cache is None or not cache.enabled:
            return
        from orchestration.caching import record_run

        try:
            record_run(cache, run=context.run_id, label=self.op.name, audits=audits)
            executed = {name for audit in audits for name in audit.executed}
            # merged once per run, when the cache resource is torn down
            defer_timings(cache.timings_path, telemetry.timings, only=executed)
        except OSError as exc:  # bookkeeping must not fail the step
            context.log.warning(f"cache bookkeeping failed: {exc}")
        for audit in audits:
            if audit.recovered:
                context.log.warning(
                    f"cache: {len(audit.recovered)} unreadable result(s) recomputed "
                    f"(Hamilton run {audit.cache_run_id})"
                )

    def _cache_metadata(
        self, asset: PlannedAsset, audits: list[CacheAudit], cache: CacheConfig | None
    ) -> dict[str, Any]:
        if cache is None or not cache.enabled or not audits:
            return {}
        from orchestration.caching import audit_metadata

        mine = self.closure([_value_node(asset)])
        summary = audit_metadata(audits)
        hits = [name for name in summary["hits"] if name in mine]
        misses = [name for name in summary["misses"] if name in mine]
        recomputed = [name for name in summary["recomputed"] if name in mine]
        rebuilt = [name for name in summary["rebuilt"] if name in mine]
        return {
            "hamilton/cache_run_id": audits[-1].cache_run_id,
            "hamilton/cache_hits": len(hits),
            "hamilton/cache_misses": len(misses),
            "hamilton/cache_rebuilt": len(rebuilt),
            "hamilton/cache": MetadataValue.json(
                {
                    "cache_run_ids": summary["cache_run_ids"],
                    "hits": hits,
                    "misses": misses,
                    "recomputed": recomputed,
                    "rebuilt": rebuilt,
                    "recovered": summary["recovered"],
                }
            ),
            "hamilton/cache_log": MetadataValue.path(summary["log_path"]),
        }

    def _execute_in_waves(
        self,
        *,
        dr: driver.Driver,
        selection: _Selection,
        external: dict[str, Any],
        overrides: dict[str, Any],
    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
        """Execute the selection; a blocking check gates the op's assets that depend on it.

        Most ops have no gate and run in one ``execute``. With gates, each wave computes what does
        not depend on a pending gate (plus the intermediate values later waves need, so nothing is
        computed twice); a passed gate's value becomes an override of the checked node.
        """
        checks_by_asset: dict[str, list[PlannedCheck]] = {}
        for asset, check in selection.checks:
            checks_by_asset.setdefault(asset.node, []).append(check)
        gate_assets = {
            asset.node: asset
            for asset, check in selection.checks
            if check.blocking and asset in selection.assets
        }
        known = dict(overrides)
        values: dict[str, Any] = {}
        validations: dict[str, Any] = {}
        blocked: dict[str, str] = {}
        pending_assets = list(selection.assets)
        pending_checks = [check for _, check in selection.checks]
        while pending_assets or pending_checks:
            pending_gates = {a.node for a in pending_assets if a.node in gate_assets}
            ready_assets = [
                a for a in pending_assets if not (self.ancestors(a.node) & pending_gates)
            ]
            ready_checks = [
                c for c in pending_checks if not (self.ancestors(c.node) & pending_gates)
            ]
            later_assets = [a for a in pending_assets if a not in ready_assets]
            later_checks = [c for c in pending_checks if c not in ready_checks]
            final_vars = {_value_node(a) for a in ready_assets} | {c.node for c in ready_checks}
            if later_assets or later_checks:
                later_needs = self.closure(
                    [_value_node(a) for a in later_assets] + [c.node for c in later_checks]
                )
                gated = {
                    n for n in later_needs if self.ancestors(n) & pending_gates
                } | pending_gates
                final_vars |= {
                    n
                    for n in later_needs - gated
                    if n in self.op.nodes and n not in known and n not in self.external
                }
            results = self._execute(dr=dr, final_vars=final_vars, external=external, known=known)
            known.update(results)
            for asset in ready_assets:
                values[_value_node(asset)] = results[_value_node(asset)]
            for check in ready_checks:
                validations[check.node] = results[check.node]
            for gate in pending_gates & {a.node for a in ready_assets}:
                failed = [
                    check.name
                    for check in checks_by_asset.get(gate, [])
                    if check.blocking and not getattr(validations.get(check.node), "passes", True)
                ]
                if failed:
                    for asset in later_assets:
                        if gate in self.ancestors(asset.node):
                            blocked[asset.node] = (
                                f"{'/'.join(gate_assets[gate].key)} ({', '.join(failed)})"
                            )
                    later_assets = [a for a in later_assets if a.node not in blocked]
                    later_checks = [c for c in later_checks if gate not in self.ancestors(c.node)]
                else:
                    # The checked node's value is its raw value once its validators passed.
                    known[gate] = values[_value_node(gate_assets[gate])]
            pending_assets, pending_checks = later_assets, later_checks
            if not ready_assets and not ready_checks and (pending_assets or pending_checks):
                raise Failure(description=f"op {self.op.name}: cyclic gating between checks")
        return values, validations, blocked

    @staticmethod
    def _execute(
        *,
        dr: driver.Driver,
        final_vars: set[str],
        external: dict[str, Any],
        known: dict[str, Any],
    ) -> dict[str, Any]:
        if not final_vars:
            return {}
        requested: list[Any] = sorted(final_vars)  # execute() types its list invariantly
        return dr.execute(requested, overrides=known, inputs=external)
