"""Cut a Hamilton graph into Dagster ops and assets: the asset plan.

``build_plan`` / ``plan_from_driver`` are the public calls; they work for any Hamilton modules and
config. The rules (DESIGN.md "Graph intelligence", refined here):

Nodes. Every computed Hamilton node lands in exactly one op. User-defined nodes are not computed:
config values (Hamilton adds one user-defined node per config key; the driver feeds them to every
``execute``) are neither op nor plan inputs, the other user-defined nodes are ``external_inputs``
supplied at run time.

Boundaries (materialized assets), with their reasons:
  - ``tag``: ``asset=`` tag (translator ``explicit_boundary``); ``asset="false"`` forbids a boundary
    and wins over every other reason.
  - ``sink``: nothing consumes the node, or only nodes that are never materialized (values that
    cannot be persisted and are consumed by nothing, e.g. a handle nobody reads).
  - ``check``: the node has ``@check_output`` validators (Dagster asset checks need an asset); its
    consumers therefore run in other ops, after the checks.
  - ``articulation_point`` / ``bridge``: a cut vertex or bridge endpoint of the undirected view with
    at least two consumers, i.e. a checkpoint that separates work. A cut point with a single
    consumer is a link of a chain: that consumer post-dominates it, so it lives inside the
    consumer's op (otherwise every node of a chain would become its own asset).
  - ``fan_out``: a node whose consumers ended up in more than one op is computed once and loaded by
    the others rather than recomputed.
  Only persistable values (translator ``is_persistable``) become boundaries; the internals of a
  ``@check_output`` group (``f_raw``, validators) never do: the asset is ``f``.

Assignment, in reverse topological order: a boundary starts an op; any other node joins the op of
its consumers. A node whose consumers sit in several ops becomes a ``fan_out`` boundary if it is
persistable, otherwise (non-persistable values such as parse trees and handles, or
``asset="false"``) the consumers' ops are merged so it is computed once and never crosses an op.
That is how all artifact families of a language that share one parse tree end up in one op with
several assets. A non-boundary node nobody consumes (a non-persistable sink) joins the op of its
first dependency. Merging can close a cycle among ops; every strongly connected component of the op
graph is then merged, which leaves a DAG (its condensation). ``_verify`` re-checks every invariant.

``@check_output``: Hamilton turns ``f`` into ``f_raw``, validator nodes and a pass-through ``f``.
The asset is ``f`` (``node="f"``, ``value_node="f_raw"``): the op requests ``f_raw`` and the
validators, never ``f`` (which raises on a failed ``fail`` check). The validators become
``PlannedCheck``s with the importance read from the validator object Hamilton binds to the
validator node's callable.

Priorities (``dagster/priority``, higher runs first) on the op DAG, with ``cost(op)`` the sum of its
node costs:
  ``blevel(op)``     = cost(op) + max(blevel(s) for s in successors(op)), the longest cost path from
                       the op's start to the end of the graph (list scheduling's "bottom level");
  ``dominated(op)``  = cost of the ops it dominates in the op DAG (every path to them runs through
                       it: the work it alone unblocks);
  ``priority``       = round(1000 * blevel / max blevel) + round(100 * dominated / total cost).
The first op of the critical path gets the highest blevel; among ready ops the one on the longest
remaining path runs first, ties broken towards the one that unblocks more work. The same costs give
the same priorities; the code location's measured costs (``timings.json``) move only on a confirmed
change (``orchestration.telemetry.settle_costs``), so the op tags, and with them Dagster's job
snapshot, stay while measurements wobble. The priority is the translator's ``get_priority`` of the
computed one, applied here once: the op tag is ``PlannedOp.priority`` as it is.

Op names: the common prefix of the op's asset key paths joined by ``_`` (``python`` for all
``python/*`` families, ``repo_files`` for a lone ``repo/files``), made Dagster-safe; collisions get
``_2``, ``_3``... in the order of the ops' first node names.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

import rustworkx as rx
from hamilton import driver as hamilton_driver

from orchestration.analysis import analyze
from orchestration.collector import gc_paused
from orchestration.graph import GraphError, PlanGraph, build_plan_graph
from orchestration.plan import (
    AssetPlan,
    BoundaryReason,
    GraphAnalysis,
    PlannedAsset,
    PlannedCheck,
    PlannedOp,
    UpstreamInput,
)
from orchestration.translator import HamiltonDagsterTranslator

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_]")


class PlanError(GraphError):
    """The plan cannot be built (asset key collision, contradictory tags) or broke an invariant."""


def build_plan(
    *,
    modules: Sequence[ModuleType],
    config: Mapping[str, Any] | None = None,
    translator: HamiltonDagsterTranslator | None = None,
    timings: Mapping[str, float] | None = None,
) -> AssetPlan:
    """Build a Hamilton driver over ``modules`` + ``config`` and plan it (see module docstring)."""
    if not modules:
        raise PlanError("build_plan needs at least one Hamilton module")
    config_dict = dict(config or {})
    dr = hamilton_driver.Builder().with_modules(*modules).with_config(config_dict).build()
    return plan_from_driver(driver=dr, config=config_dict, translator=translator, timings=timings)


def plan_from_driver(
    *,
    driver: hamilton_driver.Driver,
    config: Mapping[str, Any] | None = None,
    translator: HamiltonDagsterTranslator | None = None,
    timings: Mapping[str, float] | None = None,
) -> AssetPlan:
    """Plan an existing driver's graph. ``config`` defaults to the driver's own config."""
    driver_config = dict(getattr(driver.graph, "config", {}) or {})
    config_dict = dict(driver_config if config is None else config)
    translator = translator or HamiltonDagsterTranslator()
    with gc_paused():
        plan_graph = build_plan_graph(
            function_graph=driver.graph,
            config={**driver_config, **config_dict},
            translator=translator,
            timings=timings,
        )
        analysis = analyze(plan_graph=plan_graph)
        return partition(
            plan_graph=plan_graph, analysis=analysis, config=config_dict, translator=translator
        )


def plan_signature(*, plan_graph: PlanGraph, config: Mapping[str, Any]) -> str:
    """sha256 over sorted node names + code versions, sorted edges and the config (sorted JSON)."""
    document = {
        "nodes": [[name, plan_graph.payloads[name].code_version] for name in plan_graph.names()],
        "edges": [list(edge) for edge in plan_graph.edges()],
        "config": dict(config),
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class _UnionFind:
    def __init__(self) -> None:
        self.parent: list[int] = []

    def new(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, items: Sequence[int]) -> int:
        roots = sorted({self.find(item) for item in items})
        for other in roots[1:]:
            self.parent[other] = roots[0]
        return roots[0]


def _initial_reasons(
    plan_graph: PlanGraph, analysis: GraphAnalysis, names: Sequence[str]
) -> tuple[dict[str, set[BoundaryReason]], set[str]]:
    """Boundary reasons known before assignment, and the nodes allowed to be boundaries at all."""
    articulation = set(analysis.articulation_points)
    bridge_ends = {end for edge in analysis.bridges for end in edge}
    reasons: dict[str, set[BoundaryReason]] = {}
    eligible: set[str] = set()
    for name in names:
        payload = plan_graph.payloads[name]
        contradictory = payload.explicit_boundary is True and not payload.persistable
        if contradictory and not payload.in_check_group:
            raise PlanError(
                f"node {name!r} is tagged as an asset but its value cannot be persisted "
                f"(type {payload.type_name}); drop the `asset` tag or make it persistable"
            )
        if not payload.persistable or payload.in_check_group or payload.explicit_boundary is False:
            continue
        eligible.add(name)
        found: set[BoundaryReason] = set()
        consumers = plan_graph.consumers(name)
        if payload.explicit_boundary is True:
            found.add("tag")
        if not consumers:
            found.add("sink")
        if payload.checked_by:
            found.add("check")
        if len(consumers) >= 2:
            if name in articulation:
                found.add("articulation_point")
            if name in bridge_ends:
                found.add("bridge")
        if found:
            reasons[name] = found
    return reasons, eligible


def _assign(
    plan_graph: PlanGraph, analysis: GraphAnalysis
) -> tuple[dict[str, int], _UnionFind, dict[str, set[BoundaryReason]]]:
    """Assign every computed node to an op id (union-find); returns boundaries with reasons."""
    computed = set(plan_graph.computed_names())
    topo = [
        payload.name
        for payload in rx.lexicographical_topological_sort(
            plan_graph.graph, key=lambda payload: payload.name
        )
        if payload.name in computed
    ]
    reasons, eligible = _initial_reasons(plan_graph, analysis, topo)
    ops = _UnionFind()
    op_of: dict[str, int] = {}
    floating: set[str] = set()
    for name in reversed(topo):
        if name in reasons:
            op_of[name] = ops.new()
            continue
        consumer_ops = sorted(
            {ops.find(op_of[c]) for c in plan_graph.consumers(name) if c not in floating}
        )
        if not consumer_ops and name in eligible:
            # only non-materializable values consume it: it is the last thing worth keeping
            reasons[name] = {"sink"}
            op_of[name] = ops.new()
        elif not consumer_ops:
            floating.add(name)
        elif len(consumer_ops) == 1:
            op_of[name] = consumer_ops[0]
        elif name in eligible:
            reasons[name] = {"fan_out"}
            op_of[name] = ops.new()
        else:
            op_of[name] = ops.union(consumer_ops)
    for name in topo:  # floating nodes, dependencies first
        if name not in floating:
            continue
        dependencies = [d for d in plan_graph.dependencies(name) if d in computed]
        if not dependencies:
            op_of[name] = ops.new()
            continue
        inside = [op_of[dependencies[0]]]
        inside += [op_of[d] for d in dependencies[1:] if d not in reasons]
        op_of[name] = ops.union(inside)
    while True:  # merges can make a fan-out stale, and settling a fan-out can close a cycle
        _merge_cycles(plan_graph, op_of, ops)
        if not _settle_fan_outs(plan_graph, op_of, ops, reasons):
            return op_of, ops, reasons


def _settle_fan_outs(
    plan_graph: PlanGraph,
    op_of: dict[str, int],
    ops: _UnionFind,
    reasons: dict[str, set[BoundaryReason]],
) -> bool:
    """Drop ``fan_out`` where merges left the node feeding a single op; True if anything changed.

    A node that now feeds one op only is no longer a fan-out: if that op is its own, it is an
    internal node; otherwise its op joins the consumers' op (the post-dominator rule). Nodes with
    other reasons stay boundaries and just lose the stale reason.
    """
    changed = False
    for name in sorted(reasons):
        if "fan_out" not in reasons[name]:
            continue
        consumer_ops = {ops.find(op_of[c]) for c in plan_graph.consumers(name) if c in op_of}
        own = ops.find(op_of[name])
        if len(consumer_ops) >= 2:
            continue
        reasons[name].discard("fan_out")
        changed = True
        if not reasons[name]:
            del reasons[name]
            ops.union([own, *consumer_ops])
    return changed


def _merge_cycles(plan_graph: PlanGraph, op_of: dict[str, int], ops: _UnionFind) -> None:
    """Merge every strongly connected component of the op graph until it is a DAG."""
    while True:
        roots = sorted({ops.find(op) for op in op_of.values()})
        position = {root: i for i, root in enumerate(roots)}
        op_graph: rx.PyDiGraph = rx.PyDiGraph(multigraph=False)
        op_graph.add_nodes_from(roots)
        op_graph.add_edges_from_no_data(
            sorted(
                {
                    (position[ops.find(op_of[u])], position[ops.find(op_of[v])])
                    for u, v in plan_graph.edges()
                    if u in op_of and v in op_of and ops.find(op_of[u]) != ops.find(op_of[v])
                }
            )
        )
        cycles = [c for c in rx.strongly_connected_components(op_graph) if len(c) > 1]
        if not cycles:
            return
        for component in cycles:
            ops.union([roots[i] for i in component])


def _safe_name(text: str) -> str:
    name = _UNSAFE_NAME.sub("_", text).strip("_")
    return name or "op"


def _op_base_name(asset_keys: Sequence[tuple[str, ...]], nodes: Sequence[str]) -> str:
    if not asset_keys:
        return _safe_name(nodes[0]) + "_op"
    prefix = list(asset_keys[0])
    for key in asset_keys[1:]:
        common = 0
        while common < min(len(prefix), len(key)) and prefix[common] == key[common]:
            common += 1
        prefix = prefix[:common]
    if not prefix:
        prefix = list(asset_keys[0])
    return _safe_name("_".join(prefix))


def partition(
    *,
    plan_graph: PlanGraph,
    analysis: GraphAnalysis,
    config: Mapping[str, Any],
    translator: HamiltonDagsterTranslator,
) -> AssetPlan:
    """The asset plan of ``plan_graph`` (rules in the module docstring)."""
    op_of, ops, reasons = _assign(plan_graph, analysis)
    groups: dict[int, list[str]] = {}
    for name in sorted(op_of):
        groups.setdefault(ops.find(op_of[name]), []).append(name)

    # Assets and keys.
    asset_by_node: dict[str, PlannedAsset] = {}
    node_by_key: dict[tuple[str, ...], str] = {}
    for name in sorted(reasons):
        payload = plan_graph.payloads[name]
        assert payload.hamilton is not None
        key = tuple(translator.get_asset_key_path(payload.hamilton))
        if not key or not all(isinstance(part, str) and part for part in key):
            raise PlanError(f"node {name!r}: the translator gave an invalid asset key {key!r}")
        if key in node_by_key:
            raise PlanError(
                f"asset key {'/'.join(key)!r} is produced by both {node_by_key[key]!r} and "
                f'{name!r}; give one of them an `asset="..."` tag or override the translator'
            )
        node_by_key[key] = name
        checks = []
        for validator in payload.checked_by:
            check = plan_graph.payloads[validator].check
            assert check is not None
            checks.append(
                PlannedCheck(
                    name=_safe_name(check.check_name),
                    node=validator,
                    importance="fail" if check.importance == "fail" else "warn",
                )
            )
        raw = next(
            (d for d in plan_graph.dependencies(name) if plan_graph.payloads[d].raw_of == name),
            name,
        )
        asset_by_node[name] = PlannedAsset(
            key=key,
            node=name,
            reasons=tuple(sorted(reasons[name])),
            checks=tuple(sorted(checks, key=lambda c: (c.name, c.node))),
            value_node=raw,
        )

    # Op names: deterministic, readable, unique.
    group_order = sorted(groups, key=lambda root: groups[root][0])
    base_names = {
        root: _op_base_name(
            sorted(asset_by_node[n].key for n in groups[root] if n in asset_by_node), groups[root]
        )
        for root in group_order
    }
    op_name: dict[int, str] = {}
    used: set[str] = set()
    for root in sorted(group_order, key=lambda r: (base_names[r], groups[r][0])):
        candidate, suffix = base_names[root], 1
        while candidate in used:
            suffix += 1
            candidate = f"{base_names[root]}_{suffix}"
        used.add(candidate)
        op_name[root] = candidate

    # Upstream inputs and the op DAG.
    config_names = {n for n, p in plan_graph.payloads.items() if p.user_defined and p.is_config}
    upstream: dict[int, set[UpstreamInput]] = {root: set() for root in groups}
    inputs: dict[int, set[str]] = {root: set() for root in groups}
    op_edges: set[tuple[int, int]] = set()
    for root, members in groups.items():
        for name in members:
            for dependency in plan_graph.dependencies(name):
                payload = plan_graph.payloads[dependency]
                if payload.user_defined:
                    if dependency not in config_names:
                        inputs[root].add(dependency)
                    continue
                producer = ops.find(op_of[dependency])
                if producer == root:
                    continue
                asset = asset_by_node.get(dependency)
                if asset is None:
                    raise PlanError(f"internal: {dependency!r} crosses ops but is not an asset")
                upstream[root].add(
                    UpstreamInput(node=dependency, asset_key=asset.key, op=op_name[producer])
                )
                op_edges.add((producer, root))

    cost = {root: float(sum(plan_graph.payloads[n].cost for n in groups[root])) for root in groups}
    priorities = _priorities(group_order, op_edges, cost)
    planned_ops = [
        PlannedOp(
            name=op_name[root],
            nodes=tuple(groups[root]),
            assets=tuple(
                sorted(
                    (asset_by_node[n] for n in groups[root] if n in asset_by_node),
                    key=lambda a: a.key,
                )
            ),
            upstream=tuple(sorted(upstream[root], key=lambda u: (u.op, u.node, u.asset_key))),
            external_inputs=tuple(sorted(inputs[root])),
            priority=int(translator.get_priority(op_name[root], priorities[root])),
            cost=cost[root],
        )
        for root in group_order
    ]
    plan = AssetPlan(
        signature=plan_signature(plan_graph=plan_graph, config=config),
        ops=tuple(sorted(planned_ops, key=lambda op: op.name)),
        external_inputs=tuple(
            sorted(n for n, p in plan_graph.payloads.items() if p.user_defined and not p.is_config)
        ),
        analysis=analysis,
        config=dict(sorted(config.items())),
    )
    _verify(plan, plan_graph)
    return plan


def _priorities(
    roots: Sequence[int], edges: set[tuple[int, int]], cost: Mapping[int, float]
) -> dict[int, int]:
    """``dagster/priority`` per op (formula in the module docstring)."""
    if not roots:
        return {}
    position = {root: i for i, root in enumerate(roots)}
    op_graph: rx.PyDiGraph = rx.PyDiGraph(multigraph=False)
    op_graph.add_nodes_from(list(roots))
    op_graph.add_edges_from_no_data(sorted((position[u], position[v]) for u, v in edges))
    order = list(rx.topological_sort(op_graph))
    blevel: dict[int, float] = {}
    for index in reversed(order):
        successors = op_graph.successor_indices(index)
        blevel[index] = cost[roots[index]] + max((blevel[s] for s in successors), default=0.0)
    # Work an op unblocks: the cost of the ops it dominates (every path to them runs through it),
    # summed bottom-up over the dominator tree of the op DAG rooted at a virtual start.
    start = op_graph.add_node(-1)
    op_graph.add_edges_from_no_data(
        [(start, i) for i in range(len(roots)) if op_graph.in_degree(i) == 0]
    )
    idom = rx.immediate_dominators(op_graph, start)
    dominated = [0.0] * len(roots)
    for index in reversed(order):  # children before parents in any topological order
        parent = idom.get(index, start)
        if parent != start:
            dominated[parent] += dominated[index] + cost[roots[index]]
    total = sum(cost.values()) or 1.0
    top = max(blevel.values()) or 1.0
    return {
        root: round(1000 * blevel[index] / top) + round(100 * dominated[index] / total)
        for index, root in enumerate(roots)
    }


def _verify(plan: AssetPlan, plan_graph: PlanGraph) -> None:
    """Re-check the invariants; a failure here is a bug in the partition, not bad input."""
    seen: dict[str, str] = {}
    for op in plan.ops:
        if not re.fullmatch(r"[A-Za-z0-9_]+", op.name):
            raise PlanError(f"internal: op name {op.name!r} is not a valid Dagster name")
        for name in op.nodes:
            if name in seen:
                raise PlanError(f"internal: node {name!r} is in ops {seen[name]!r} and {op.name!r}")
            seen[name] = op.name
    computed = set(plan_graph.computed_names())
    if set(seen) != computed:
        raise PlanError(f"internal: unassigned nodes {sorted(computed - set(seen))[:5]}")
    for producer, consumer in plan_graph.edges():
        if producer not in computed or seen[producer] == seen[consumer]:
            continue
        if not plan_graph.payloads[producer].persistable:
            raise PlanError(f"internal: non-persistable {producer!r} crosses ops")
    names = [op.name for op in plan.ops]
    op_graph: rx.PyDiGraph = rx.PyDiGraph()
    index = {name: op_graph.add_node(name) for name in names}
    for op in plan.ops:
        for item in op.upstream:
            op_graph.add_edge(index[item.op], index[op.name], None)
    if not rx.is_directed_acyclic_graph(op_graph):
        raise PlanError("internal: the op graph has a cycle")
