"""Structural analyses of a Hamilton graph, all computed with rustworkx.

The analyses look at the computed nodes only. Inputs and config values are supplied to every op by
the driver and never carry data from one op to another, so counting them as vertices would hide
real cut points (one `repo_path` read by every node would make nothing an articulation point).

- Immediate dominators from a virtual source ``<source>`` wired to every node without a dependency:
  ``d`` dominates ``n`` when every path from the inputs to ``n`` goes through ``d``.
- Immediate post-dominators: dominators of the reversed graph from a virtual sink ``<sink>`` wired
  from every node nobody consumes: every path from ``n`` to an output goes through its ipdom.
- Dominance frontiers (from the same virtual source): where a node's dominance ends.
- Bridges and articulation points of the undirected view: edges and nodes whose loss disconnects
  the graph, i.e. single points of failure. Bridges are reported as (dependency, consumer).
- Betweenness centrality of the directed graph (normalized; serial for bit-identical results).
- The critical path: the longest path when every node weighs its cost (``task_cost`` tag, measured
  timings, else 1; see ``orchestration.graph``).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import rustworkx as rx

from orchestration.graph import PlanGraph
from orchestration.plan import GraphAnalysis

VIRTUAL_SOURCE = "<source>"
VIRTUAL_SINK = "<sink>"
# Rayon splits Brandes' accumulation across threads and float sums then differ in the last bits
# from run to run; the plan must be byte-identical, so betweenness runs single-threaded and rounds.
_SERIAL = 1 << 62
_BETWEENNESS_DIGITS = 12


def computed_view(
    *, plan_graph: PlanGraph
) -> tuple[list[str], list[tuple[str, str]], dict[str, float]]:
    """Names, edges and costs of the computed nodes (the graph every analysis looks at)."""
    names = plan_graph.computed_names()
    kept = set(names)
    edges = [(u, v) for u, v in plan_graph.edges() if u in kept and v in kept]
    costs = {name: plan_graph.payloads[name].cost for name in names}
    return names, edges, costs


def analyze(*, plan_graph: PlanGraph) -> GraphAnalysis:
    """Every analysis of the computed nodes of ``plan_graph``; the ones the partition does not
    read (dominators, frontiers, betweenness, critical path) run on first access (``LazyAnalysis``)."""
    names, edges, costs = computed_view(plan_graph=plan_graph)
    return LazyAnalysis(names=names, edges=edges, costs=costs)


def betweenness_centrality(
    *, names: Sequence[str], edges: Sequence[tuple[str, str]]
) -> dict[str, float]:
    """Normalized betweenness of the directed graph; single-threaded and rounded (see top)."""
    ordered = sorted(set(names))
    dag: rx.PyDiGraph = rx.PyDiGraph(check_cycle=False, multigraph=False)
    index = {name: dag.add_node(name) for name in ordered}
    dag.add_edges_from_no_data(sorted({(index[u], index[v]) for u, v in edges}))
    centrality = rx.digraph_betweenness_centrality(
        dag, normalized=True, endpoints=False, parallel_threshold=_SERIAL
    )
    return {
        ordered[i]: round(float(value), _BETWEENNESS_DIGITS)
        for i, value in sorted(centrality.items())
    }


def analyze_dag(
    *,
    names: Sequence[str],
    edges: Sequence[tuple[str, str]],
    costs: Mapping[str, float] | None = None,
) -> GraphAnalysis:
    """The analyses of a DAG given by node names and (dependency, consumer) edges, all computed.

    Independent of Hamilton so hand-made graphs can be checked against brute force. Nodes are
    inserted in sorted order, so the result does not depend on the order of ``names``/``edges``.
    Missing costs count 1.
    """
    dag = _Dag(names=names, edges=edges, costs=costs)
    bridges, articulation = dag.cut_points()
    deferred = dag.deferred()
    return GraphAnalysis(
        bridges=bridges, articulation_points=articulation, costs=dag.costs, **deferred
    )


class _Dag:
    """The computed nodes as a rustworkx DAG, inserted in sorted name order."""

    def __init__(
        self,
        *,
        names: Sequence[str],
        edges: Sequence[tuple[str, str]],
        costs: Mapping[str, float] | None,
    ) -> None:
        self.ordered = sorted(set(names))
        self.edges = edges
        self.cost_of = {name: float((costs or {}).get(name, 1.0)) for name in self.ordered}
        self.costs = dict(sorted(self.cost_of.items()))
        self.dag: rx.PyDiGraph = rx.PyDiGraph(check_cycle=False, multigraph=False)
        self.index = {name: self.dag.add_node(name) for name in self.ordered}
        self.edge_pairs = sorted({(self.index[u], self.index[v]) for u, v in edges})
        self.dag.add_edges_from_no_data(self.edge_pairs)
        if self.ordered and not rx.is_directed_acyclic_graph(self.dag):
            raise ValueError("the graph has a cycle; Hamilton graphs are DAGs")

    def cut_points(self) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
        """Bridges (as (dependency, consumer)) and articulation points of the undirected view."""
        ordered = self.ordered
        undirected = self.dag.to_undirected(multigraph=False)
        edge_set = set(self.edge_pairs)
        bridges: list[tuple[str, str]] = []
        for bridge in rx.bridges(undirected):
            u, v = (int(end) for end in bridge)  # the stubs type a bridge as tuple[int]
            bridges.append(
                (ordered[u], ordered[v]) if (u, v) in edge_set else (ordered[v], ordered[u])
            )
        bridges.sort()
        articulation = sorted(ordered[i] for i in rx.articulation_points(undirected))
        return tuple(bridges), tuple(articulation)

    def deferred(self) -> dict[str, Any]:
        """Dominators, post-dominators, dominance frontiers, betweenness and the critical path,
        keyed by their ``GraphAnalysis`` field names."""
        ordered = self.ordered
        if not ordered:
            return {
                "immediate_dominators": {},
                "immediate_post_dominators": {},
                "dominance_frontiers": {},
                "betweenness": {},
                "critical_path": (),
                "critical_path_cost": 0.0,
            }
        betweenness = betweenness_centrality(names=ordered, edges=self.edges)
        dag = self.dag.copy()  # the virtual source and sink are added to a copy
        index = self.index
        roots = [index[name] for name in ordered if dag.in_degree(index[name]) == 0]
        leaves = [index[name] for name in ordered if dag.out_degree(index[name]) == 0]
        source = dag.add_node(VIRTUAL_SOURCE)
        sink = dag.add_node(VIRTUAL_SINK)
        dag.add_edges_from_no_data([(source, root) for root in roots])
        dag.add_edges_from_no_data([(leaf, sink) for leaf in leaves])
        label = [*ordered, VIRTUAL_SOURCE, VIRTUAL_SINK]

        idom = rx.immediate_dominators(dag, source)
        immediate_dominators = {
            label[node]: label[dominator]
            for node, dominator in idom.items()
            if node not in (source, sink)
        }
        frontiers = rx.dominance_frontiers(dag, source)
        dominance_frontiers = {
            label[node]: tuple(sorted(label[f] for f in frontier if f not in (source, sink)))
            for node, frontier in frontiers.items()
            if node not in (source, sink)
        }
        reversed_dag = dag.copy()
        reversed_dag.reverse()
        ipdom = rx.immediate_dominators(reversed_dag, sink)
        immediate_post_dominators = {
            label[node]: label[dominator]
            for node, dominator in ipdom.items()
            if node not in (source, sink)
        }

        critical_path = _critical_path(dag, [index[name] for name in ordered], self.cost_of, label)
        return {
            "immediate_dominators": dict(sorted(immediate_dominators.items())),
            "immediate_post_dominators": dict(sorted(immediate_post_dominators.items())),
            "dominance_frontiers": dict(sorted(dominance_frontiers.items())),
            "betweenness": dict(sorted(betweenness.items())),
            "critical_path": critical_path,
            "critical_path_cost": float(sum(self.cost_of[name] for name in critical_path)),
        }


# The GraphAnalysis fields LazyAnalysis computes on first access: all but what the partition reads.
_DEFERRED_FIELDS = frozenset(
    {field.name for field in dataclasses.fields(GraphAnalysis)}
    - {"bridges", "articulation_points", "costs"}
)


class LazyAnalysis(GraphAnalysis):
    """A ``GraphAnalysis`` whose bridges and articulation points (what the partition reads) are
    computed at once and whose other fields on first access.

    A code location plans its graph on every load (``dagster definitions validate``, every run
    worker) and never reads dominators, frontiers, betweenness or the critical path: ~0.09 s per
    5,000 nodes. ``codeintel plan``, ``to_json`` and equality read them, and get the same values
    ``analyze_dag`` computes.
    """

    def __init__(
        self,
        *,
        names: Sequence[str],
        edges: Sequence[tuple[str, str]],
        costs: Mapping[str, float] | None = None,
    ) -> None:
        # Not the dataclass __init__: the deferred fields stay unset until __getattr__ fills them.
        dag = _Dag(names=names, edges=edges, costs=costs)
        bridges, articulation = dag.cut_points()
        object.__setattr__(self, "bridges", bridges)
        object.__setattr__(self, "articulation_points", articulation)
        object.__setattr__(self, "costs", dag.costs)
        object.__setattr__(self, "_dag", dag)
        object.__setattr__(self, "_lock", threading.Lock())

    def __getattr__(self, name: str) -> Any:
        # Called only for attributes not set yet: the deferred fields, before their first read.
        if name not in _DEFERRED_FIELDS:
            raise AttributeError(name)
        with self.__dict__["_lock"]:
            if name not in self.__dict__:
                for field_name, value in self.__dict__["_dag"].deferred().items():
                    object.__setattr__(self, field_name, value)
                del self.__dict__["_dag"]  # the rustworkx graph is not needed any more
        return self.__dict__[name]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GraphAnalysis):
            return NotImplemented
        return all(
            getattr(self, f.name) == getattr(other, f.name) for f in dataclasses.fields(self)
        )

    __hash__ = GraphAnalysis.__hash__

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (and copied) as the plain, fully computed analysis.
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return (_plain_analysis, (values,))


def _plain_analysis(values: dict[str, Any]) -> GraphAnalysis:
    return GraphAnalysis(**values)


def _critical_path(
    dag: rx.PyDiGraph, nodes: Sequence[int], cost_of: Mapping[str, float], label: Sequence[str]
) -> tuple[str, ...]:
    """Longest node-cost path; ties go to the lexicographically smallest names.

    ``rx.dag_weighted_longest_path`` breaks ties differently from run to run, and the plan must
    be the same bytes, so the dynamic programme runs here over rustworkx's lexicographical
    topological order.
    """
    kept = set(nodes)
    position = {name: i for i, name in enumerate(label)}
    best: dict[int, float] = {}
    previous: dict[int, int | None] = {}
    for name in rx.lexicographical_topological_sort(dag, key=lambda name: name):
        node = position[name]
        if node not in kept:
            continue
        choice: int | None = None
        for dependency in sorted(dag.predecessor_indices(node), key=lambda i: label[i]):
            if dependency in kept and (choice is None or best[dependency] > best[choice]):
                choice = dependency
        best[node] = cost_of[name] + (best[choice] if choice is not None else 0.0)
        previous[node] = choice
    if not best:
        return ()
    end = min(best, key=lambda i: (-best[i], label[i]))
    path: list[str] = []
    cursor: int | None = end
    while cursor is not None:
        path.append(label[cursor])
        cursor = previous[cursor]
    return tuple(reversed(path))
