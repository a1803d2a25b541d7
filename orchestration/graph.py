"""A Hamilton function graph as a ``rustworkx.PyDiGraph`` with what the planner needs per node.

The rustworkx graph holds one payload per Hamilton node (``NodePayload``: name, type, tags, code
version, originating function, whether it is a user-defined input / config value or a generated
node, its cost, its persistability and its role in a ``@check_output`` group). Edges go from a
dependency to its consumer. Nodes and edges are inserted in sorted name order, so node indices, and
every rustworkx result that depends on them, are the same whatever the module or node insertion
order and whatever ``PYTHONHASHSEED``.

Code versions are Hamilton's own (``HamiltonNode.version``: a hash of the originating function's
source, decorators included, docstrings and comments ignored) combined with a digest of the
project code the function reaches (helpers, classes, constants: ``orchestration.reached_code``),
computed once per function object and cached for the life of the process: hashing costs 0.3-0.9 s
per 2,000 nodes and the nodes of a ``@parameterized_subdag`` or ``@check_output`` share one
function. Across processes, unchanged functions' versions come from
``orchestration.code_versions`` (a file under the cache dir).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import rustworkx as rx
from hamilton import graph as hamilton_graph
from hamilton import node as hamilton_node
from hamilton.data_quality import base as dq_base
from hamilton.function_modifiers.validation import (
    DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG,
    IS_DATA_VALIDATOR_TAG,
)
from hamilton.graph_types import HamiltonNode

from orchestration.code_versions import CodeVersionStore, SourceFiles, code_version_store
from orchestration.reached_code import reach
from orchestration.translator import HamiltonDagsterTranslator, explicit_boundary

COST_TAG = "task_cost"  # declared cost of a node, in seconds (or any consistent unit)
DEFAULT_COST = 1.0

# function object -> Hamilton code version; weak so reloaded modules do not pin old functions.
_VERSION_CACHE: weakref.WeakKeyDictionary[Callable[..., Any], str | None] = (
    weakref.WeakKeyDictionary()
)


class GraphError(ValueError):
    """The Hamilton graph cannot be planned (bad tags, bad timings, unsupported structure)."""


@dataclass(frozen=True)
class CheckInfo:
    """A ``@check_output`` validator node: the node it checks and how much a failure matters."""

    checked_node: str  # the final node `f` (what consumers depend on, and the asset)
    raw_node: str  # `f_raw`, the value the validator reads and the op requests
    check_name: str  # e.g. "range_validator"
    importance: str  # "warn" | "fail"


@dataclass(frozen=True)
class NodePayload:
    """What the planner knows about one Hamilton node."""

    name: str
    type_name: str
    tags: Mapping[str, Any]
    code_version: str | None
    function: str | None  # "module.qualname" of the originating function, None for inputs
    user_defined: bool  # an input supplied at run time or a config value (not computed)
    is_config: bool  # a user-defined node whose value the driver's config already holds
    cost: float  # task_cost tag, else measured timing, else DEFAULT_COST (0 for inputs)
    persistable: bool  # the translator says the value can cross an op boundary
    explicit_boundary: bool | None  # `asset=` tag: True forces, False forbids, None lets analysis
    check: CheckInfo | None = None  # set on `@check_output` validator nodes
    raw_of: str | None = None  # set on `f_raw`: the checked node `f`
    checked_by: tuple[str, ...] = ()  # set on the final node `f`: its validator nodes
    hamilton: HamiltonNode | None = field(default=None, compare=False, repr=False)

    @property
    def in_check_group(self) -> bool:
        """`f_raw` and the validators: internals of a checked node, never boundaries themselves."""
        return self.check is not None or self.raw_of is not None


@dataclass
class PlanGraph:
    """The rustworkx graph plus name <-> index maps. ``graph`` holds every Hamilton node."""

    graph: rx.PyDiGraph
    index: dict[str, int]
    payloads: dict[str, NodePayload]
    # (dependency, consumer) names, sorted; fixed at build time (the graph is never modified
    # afterwards) because the signature, the analysis and the partition each walk every edge.
    edge_names: tuple[tuple[str, str], ...]

    # The partition asks for every node's dependencies and consumers several times: the sorted
    # name lists are built once, from ``edge_names``, on first use.

    def payload(self, name: str) -> NodePayload:
        return self.payloads[name]

    def names(self) -> list[str]:
        return list(self._sorted_names)

    def computed_names(self) -> list[str]:
        return list(self._computed_names)

    def dependencies(self, name: str) -> list[str]:
        return list(self._dependencies[name])

    def consumers(self, name: str) -> list[str]:
        return list(self._consumers[name])

    @functools.cached_property
    def _sorted_names(self) -> tuple[str, ...]:
        return tuple(sorted(self.index))

    @functools.cached_property
    def _computed_names(self) -> tuple[str, ...]:
        return tuple(name for name in self._sorted_names if not self.payloads[name].user_defined)

    @functools.cached_property
    def _dependencies(self) -> dict[str, tuple[str, ...]]:
        return self._neighbours(edges=self.edge_names)

    @functools.cached_property
    def _consumers(self) -> dict[str, tuple[str, ...]]:
        return self._neighbours(
            edges=[(consumer, dependency) for dependency, consumer in self.edge_names]
        )

    def _neighbours(self, *, edges: Sequence[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
        """Each node's sorted sources along ``edges`` (source, target)."""
        found: dict[str, list[str]] = {name: [] for name in self.index}
        for source, target in edges:
            found[target].append(source)
        return {name: tuple(sorted(names)) for name, names in found.items()}

    def edges(self) -> list[tuple[str, str]]:
        return list(self.edge_names)


def code_version_of(
    hnode: HamiltonNode,
    *,
    store: CodeVersionStore | None = None,
    files: SourceFiles | None = None,
) -> str | None:
    """The node's code version, computed once per originating function object: Hamilton's
    ``HamiltonNode.version`` covering what the function reaches (``covering_version``).

    A fresh process reads unchanged functions' versions from the persistent store
    (``orchestration.code_versions``) instead of hashing their source again. ``files``: the
    source files already read in this pass (see ``CodeVersionStore.version_of``).
    """
    functions = hnode.originating_functions
    if hnode.is_external_input or not functions:
        return hnode.version
    function = functions[0]
    try:
        return _VERSION_CACHE[function]
    except (KeyError, TypeError):
        pass
    store = store or code_version_store()
    version = store.version_of(function, files=files)
    if version is not None:
        version = covering_version(version, reach().digest(function, store=store, files=files))
    with contextlib.suppress(TypeError):  # not weak-referenceable (a builtin): don't cache
        _VERSION_CACHE[function] = version
    return version


def covering_version(own: str, reached: str) -> str:
    """A node's code version from Hamilton's version of its function (its own source) and the
    digest of the project code the function reaches (``orchestration.reached_code``): a changed
    helper, class or constant misses for the nodes that reach it, as a changed body does."""
    return hashlib.sha256(f"{own}|{reached}".encode()).hexdigest()


def with_cached_version(
    hnode: HamiltonNode,
    *,
    store: CodeVersionStore | None = None,
    files: SourceFiles | None = None,
) -> HamiltonNode:
    """Pre-fill the ``version`` cached_property so translators reading ``node.version`` hit the
    per-function cache: hashing every function's source again costs ~1 s per 5k nodes."""
    if not hnode.is_external_input and hnode.originating_functions:
        hnode.__dict__["version"] = code_version_of(hnode, store=store, files=files)
    return hnode


def _function_name(hnode: HamiltonNode) -> str | None:
    if hnode.is_external_input or not hnode.originating_functions:
        return None
    function = hnode.originating_functions[0]
    module = getattr(function, "__module__", None) or "?"
    return f"{module}.{getattr(function, '__qualname__', repr(function))}"


def _type_name(node_type: Any) -> str:
    if isinstance(node_type, type):
        return f"{node_type.__module__}.{node_type.__qualname__}"
    return str(node_type)


def _declared_cost(name: str, tags: Mapping[str, Any]) -> float | None:
    value = tags.get(COST_TAG)
    if value is None:
        return None
    try:
        cost = float(value if isinstance(value, str | int | float) else str(value))
    except ValueError as error:
        raise GraphError(f"node {name!r}: tag {COST_TAG}={value!r} is not a number") from error
    if cost < 0 or cost != cost:
        raise GraphError(f"node {name!r}: tag {COST_TAG}={value!r} must be a number >= 0")
    return cost


def validator_of(node: hamilton_node.Node) -> dq_base.DataValidator | None:
    """The ``DataValidator`` behind a ``@check_output`` validator node, if it can be found.

    Hamilton binds it as the default of the ``validator_to_call`` parameter of the node's callable
    (see ``hamilton.function_modifiers.validation.BaseDataValidationDecorator.transform_node``).
    """
    for function in _callable_chain(node.callable):
        try:
            parameter = inspect.signature(function).parameters.get("validator_to_call")
        except (TypeError, ValueError):
            continue
        if parameter is not None and isinstance(parameter.default, dq_base.DataValidator):
            return parameter.default
    return None


def _callable_chain(function: Any, *, max_depth: int = 8) -> list[Any]:
    """The callable and the ones it wraps: a namespaced node (``@parameterized_subdag``) wraps
    the original callable as the ``_callabl`` default of a renaming function."""
    chain = [function]
    for _ in range(max_depth):
        try:
            wrapped = inspect.signature(chain[-1]).parameters.get("_callabl")
        except (TypeError, ValueError):
            break
        if wrapped is None or not callable(wrapped.default):
            break
        chain.append(wrapped.default)
    return chain


def _validator_from_final_node(
    final: hamilton_node.Node, validator_node: str
) -> dq_base.DataValidator | None:
    """Fallback: the final node's callable carries ``validator_name_map`` as a default."""
    for function in _callable_chain(final.callable):
        try:
            parameter = inspect.signature(function).parameters.get("validator_name_map")
        except (TypeError, ValueError):
            continue
        mapping = parameter.default if parameter is not None else None
        if isinstance(mapping, dict):
            found = mapping.get(validator_node)
            if isinstance(found, dq_base.DataValidator):
                return found
    return None


def _importance(validator: dq_base.DataValidator | None) -> str:
    if validator is None:
        return "warn"  # truly unknowable (a custom validator node shape): the non-blocking default
    level = getattr(validator, "importance", None)
    value = getattr(level, "value", level)
    return "fail" if str(value).lower() == "fail" else "warn"


def _check_infos(
    nodes: Mapping[str, hamilton_node.Node], consumers: Mapping[str, set[str]]
) -> dict[str, CheckInfo]:
    """Find every validator node and its (raw, final) pair from the graph structure.

    The raw node is the validator's only dependency; the final node is the consumer of both the
    validator and the raw node. The `source_node` tag names the final node unless a namespace
    (``@parameterized_subdag``) renamed it, so structure is trusted over the tag.
    """
    infos: dict[str, CheckInfo] = {}
    for name in sorted(nodes):
        node = nodes[name]
        if not node.tags.get(IS_DATA_VALIDATOR_TAG):
            continue
        dependencies = sorted(node.input_types)
        if len(dependencies) != 1 or dependencies[0] not in nodes:
            continue
        raw = dependencies[0]
        finals = sorted(consumers.get(name, set()) & consumers.get(raw, set()))
        source_tag = node.tags.get(DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG)
        if source_tag in finals:
            final = str(source_tag)
        elif len(finals) == 1:
            final = finals[0]
        else:
            continue
        validator = validator_of(node) or _validator_from_final_node(nodes[final], name)
        prefix = final + "_"
        if name.startswith(prefix):
            check_name = name[len(prefix) :]
        elif validator is not None:
            check_name = validator.name()
        else:
            check_name = name
        infos[name] = CheckInfo(
            checked_node=final,
            raw_node=raw,
            check_name=check_name,
            importance=_importance(validator),
        )
    return infos


def build_plan_graph(
    *,
    function_graph: hamilton_graph.FunctionGraph,
    config: Mapping[str, Any],
    translator: HamiltonDagsterTranslator,
    timings: Mapping[str, float] | None = None,
) -> PlanGraph:
    """Hamilton ``FunctionGraph`` -> ``PlanGraph`` (see module docstring).

    Cost of a computed node: its ``task_cost`` tag, else ``timings[name]`` (seconds measured in
    earlier runs), else 1. The validators and the pass-through final node of a ``@check_output``
    group inherit the function's tags, so they count only their measured timing (else 0): a checked
    function costs what the function costs. Inputs and config values cost 0.
    """
    nodes: dict[str, hamilton_node.Node] = dict(function_graph.nodes)
    timings = dict(timings or {})
    for name, seconds in sorted(timings.items()):
        if not isinstance(seconds, int | float) or seconds < 0 or seconds != seconds:
            raise GraphError(f"timings: node {name!r} has invalid seconds {seconds!r}")
    consumers: dict[str, set[str]] = {name: set() for name in nodes}
    for name, node in nodes.items():
        for dependency in node.input_types:
            if dependency in nodes:
                consumers[dependency].add(name)
    checks = _check_infos(nodes, consumers)
    raw_of = {info.raw_node: info.checked_node for info in checks.values()}
    checked_by: dict[str, list[str]] = {}
    for validator_name, info in sorted(checks.items()):
        checked_by.setdefault(info.checked_node, []).append(validator_name)

    versions = code_version_store()
    files: SourceFiles = {}  # each source file is read (and stat-ed) once for the whole graph
    graph: rx.PyDiGraph = rx.PyDiGraph(check_cycle=False, multigraph=False)
    index: dict[str, int] = {}
    payloads: dict[str, NodePayload] = {}
    for name in sorted(nodes):
        node = nodes[name]
        hnode = with_cached_version(HamiltonNode.from_node(node), store=versions, files=files)
        user_defined = bool(node.user_defined)
        tags = dict(node.tags)
        in_group = name in checks or name in checked_by
        if user_defined:
            cost = 0.0
            # Hamilton versions an input by the first function that declared it, which depends
            # on module order; an input's identity is its name.
            version: str | None = name
        else:
            declared = None if in_group else _declared_cost(name, tags)
            default = 0.0 if in_group else DEFAULT_COST
            measured = timings.get(name)
            cost = (
                declared
                if declared is not None
                else (measured if measured is not None else default)
            )
            cost = float(cost)
            version = translator.get_code_version(hnode)
        payload = NodePayload(
            name=name,
            type_name=_type_name(node.type),
            tags=tags,
            code_version=version,
            function=_function_name(hnode),
            user_defined=user_defined,
            is_config=user_defined and name in config,
            cost=cost,
            persistable=(not user_defined) and translator.is_persistable(hnode),
            explicit_boundary=None if user_defined else _explicit_boundary(translator, hnode),
            check=checks.get(name),
            raw_of=raw_of.get(name),
            checked_by=tuple(checked_by.get(name, ())),
            hamilton=hnode,
        )
        payloads[name] = payload
        index[name] = graph.add_node(payload)
    edges = sorted(
        (index[dependency], index[name])
        for name, node in nodes.items()
        for dependency in node.input_types
        if dependency in nodes
    )
    graph.add_edges_from_no_data(edges)
    versions.flush()  # the versions hashed above, for the next process
    # Indices follow the sorted names, so the sorted index pairs are the sorted name pairs.
    names = sorted(nodes)
    return PlanGraph(
        graph=graph,
        index=index,
        payloads=payloads,
        edge_names=tuple((names[u], names[v]) for u, v in edges),
    )


def _explicit_boundary(translator: HamiltonDagsterTranslator, hnode: HamiltonNode) -> bool | None:
    """A translator may define ``explicit_boundary(node)``; else the module-level default."""
    method = getattr(translator, "explicit_boundary", None)
    if callable(method):
        result = method(hnode)
        return None if result is None else bool(result)
    return explicit_boundary(hnode)
