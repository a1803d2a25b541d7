"""rustworkx analyses checked against known answers and against brute force in plain Python."""

from __future__ import annotations

import pickle
from collections.abc import Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from orchestration.analysis import VIRTUAL_SINK, VIRTUAL_SOURCE, LazyAnalysis, analyze_dag
from orchestration.plan import GraphAnalysis

Edge = tuple[str, str]


# --- brute force helpers -----------------------------------------------------------------------


def _components(nodes: Iterable[str], edges: Iterable[Edge]) -> int:
    """Connected components of the undirected view (plain union-find)."""
    parent = {n: n for n in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for u, v in edges:
        if u in parent and v in parent:
            parent[find(u)] = find(v)
    return len({find(n) for n in parent})


def _brute_articulation_points(nodes: list[str], edges: list[Edge]) -> set[str]:
    base = _components(nodes, edges)
    return {
        n
        for n in nodes
        if _components([m for m in nodes if m != n], [e for e in edges if n not in e]) > base
    }


def _brute_bridges(nodes: list[str], edges: list[Edge]) -> set[Edge]:
    base = _components(nodes, edges)
    return {e for e in edges if _components(nodes, [f for f in edges if f != e]) > base}


def _reachable(start: str, edges: list[Edge], removed: str | None = None) -> set[str]:
    seen, stack = {start}, [start]
    while stack:
        node = stack.pop()
        for u, v in edges:
            if u == node and v != removed and v not in seen:
                seen.add(v)
                stack.append(v)
    return seen


def _with_virtual(nodes: list[str], edges: list[Edge]) -> list[Edge]:
    roots = [n for n in nodes if not any(v == n for _, v in edges)]
    leaves = [n for n in nodes if not any(u == n for u, _ in edges)]
    return (
        list(edges)
        + [(VIRTUAL_SOURCE, r) for r in roots]
        + [(leaf, VIRTUAL_SINK) for leaf in leaves]
    )


def _brute_idom(nodes: list[str], edges: list[Edge], start: str) -> dict[str, str]:
    """d dominates n iff n is unreachable from start once d is removed; idom = closest one."""
    everything = [*nodes, VIRTUAL_SOURCE, VIRTUAL_SINK]
    dominators = {
        n: {d for d in everything if d not in (n, start) and n not in _reachable(start, edges, d)}
        | {start}
        for n in nodes
    }
    idom = {}
    for n, strict in dominators.items():
        # the strict dominator that every other strict dominator also dominates
        (closest,) = [
            d for d in strict if all(o == d or o in dominators.get(d, set()) for o in strict)
        ]
        idom[n] = closest
    return idom


def _brute_frontiers(nodes: list[str], edges: list[Edge]) -> dict[str, set[str]]:
    full = _with_virtual(nodes, edges)
    everything = [*nodes, VIRTUAL_SOURCE]

    def dominates(d: str, n: str) -> bool:
        return d in (n, VIRTUAL_SOURCE) or n not in _reachable(VIRTUAL_SOURCE, full, d)

    frontiers: dict[str, set[str]] = {n: set() for n in nodes}
    for d in nodes:
        for n in everything:
            predecessors = [u for u, v in full if v == n]
            if any(dominates(d, p) for p in predecessors) and not (d != n and dominates(d, n)):
                frontiers[d].add(n)
    return frontiers


def _brute_longest(nodes: list[str], edges: list[Edge], costs: dict[str, float]) -> float:
    best: dict[str, float] = {}

    def longest_from(n: str) -> float:
        if n not in best:
            best[n] = costs[n] + max((longest_from(v) for u, v in edges if u == n), default=0.0)
        return best[n]

    return max((longest_from(n) for n in nodes), default=0.0)


def _check_against_brute_force(
    nodes: list[str], edges: list[Edge], costs: dict[str, float]
) -> GraphAnalysis:
    analysis = analyze_dag(names=nodes, edges=edges, costs=costs)
    assert set(analysis.articulation_points) == _brute_articulation_points(nodes, edges)
    assert set(analysis.bridges) == _brute_bridges(nodes, edges)
    full = _with_virtual(nodes, edges)
    assert analysis.immediate_dominators == _brute_idom(nodes, full, VIRTUAL_SOURCE)
    reversed_full = [(v, u) for u, v in full]
    assert analysis.immediate_post_dominators == _brute_idom(nodes, reversed_full, VIRTUAL_SINK)
    frontiers = {n: set(f) for n, f in analysis.dominance_frontiers.items()}
    assert frontiers == {n: f for n, f in _brute_frontiers(nodes, edges).items()}
    assert analysis.critical_path_cost == _brute_longest(nodes, edges, costs)
    path = analysis.critical_path
    assert all((path[i], path[i + 1]) in set(edges) for i in range(len(path) - 1))
    assert sum(costs[n] for n in path) == analysis.critical_path_cost
    return analysis


# --- hand-made graphs with known answers -------------------------------------------------------


def test_diamond_with_tail_known_answers() -> None:
    #   a -> b -> d -> e ; a -> c -> d        (d joins the diamond, e hangs off it)
    nodes = ["a", "b", "c", "d", "e"]
    edges = [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")]
    analysis = _check_against_brute_force(nodes, edges, dict.fromkeys(nodes, 1.0))
    assert analysis.immediate_dominators == {
        "a": VIRTUAL_SOURCE,
        "b": "a",
        "c": "a",
        "d": "a",
        "e": "d",
    }
    assert analysis.immediate_post_dominators == {
        "a": "d",
        "b": "d",
        "c": "d",
        "d": "e",
        "e": VIRTUAL_SINK,
    }
    assert analysis.dominance_frontiers["b"] == ("d",)
    assert analysis.articulation_points == ("d",)
    assert analysis.bridges == (("d", "e"),)
    assert analysis.critical_path_cost == 4.0
    # every s->t shortest path through b or c: a->d has two, one through each
    assert analysis.betweenness["d"] > analysis.betweenness["b"] > 0
    assert analysis.betweenness["a"] == analysis.betweenness["e"] == 0


def test_two_components_and_chain() -> None:
    # x -> y -> z is a chain (y cuts it, both edges are bridges); p -> q is a separate component
    nodes = ["p", "q", "x", "y", "z"]
    edges = [("x", "y"), ("y", "z"), ("p", "q")]
    analysis = _check_against_brute_force(nodes, edges, {"p": 5, "q": 5, "x": 1, "y": 2, "z": 3})
    assert analysis.articulation_points == ("y",)
    assert analysis.bridges == (("p", "q"), ("x", "y"), ("y", "z"))
    assert analysis.critical_path == ("p", "q")
    assert analysis.critical_path_cost == 10.0
    assert analysis.immediate_post_dominators["x"] == "y"


def test_weighted_critical_path_prefers_expensive_branch() -> None:
    nodes = ["a", "cheap", "dear", "z"]
    edges = [("a", "cheap"), ("a", "dear"), ("cheap", "z"), ("dear", "z")]
    analysis = _check_against_brute_force(nodes, edges, {"a": 1, "cheap": 1, "dear": 9, "z": 1})
    assert analysis.critical_path == ("a", "dear", "z")
    assert analysis.articulation_points == ()


def test_empty_graph() -> None:
    analysis = analyze_dag(names=[], edges=[])
    assert analysis.critical_path == () and analysis.articulation_points == ()


def test_result_independent_of_input_order() -> None:
    nodes = ["a", "b", "c", "d", "e"]
    edges = [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")]
    one = analyze_dag(names=nodes, edges=edges)
    two = analyze_dag(names=list(reversed(nodes)), edges=list(reversed(edges)))
    assert one == two


# --- random DAGs against brute force -----------------------------------------------------------


@st.composite
def random_dags(draw: st.DrawFn) -> tuple[list[str], list[Edge], dict[str, float]]:
    size = draw(st.integers(min_value=1, max_value=9))
    nodes = [f"n{i}" for i in range(size)]
    edges = [
        (nodes[i], nodes[j])
        for i in range(size)
        for j in range(i + 1, size)
        if draw(st.floats(min_value=0, max_value=1)) < 0.3
    ]
    costs = {n: float(draw(st.integers(min_value=0, max_value=5))) for n in nodes}
    return nodes, edges, costs


@settings(max_examples=60, deadline=None)
@given(random_dags())
def test_random_dags_match_brute_force(dag: tuple[list[str], list[Edge], dict[str, float]]) -> None:
    nodes, edges, costs = dag
    _check_against_brute_force(nodes, edges, costs)


@settings(max_examples=40, deadline=None)
@given(random_dags())
def test_lazy_analysis_equals_the_full_analysis(
    dag: tuple[list[str], list[Edge], dict[str, float]],
) -> None:
    """What the planner gets (cut points now, the rest on first read) is what analyze_dag gives."""
    nodes, edges, costs = dag
    full = analyze_dag(names=nodes, edges=edges, costs=costs)
    lazy = LazyAnalysis(names=nodes, edges=edges, costs=costs)
    assert lazy.bridges == full.bridges
    assert lazy.articulation_points == full.articulation_points
    assert lazy.costs == full.costs
    assert "betweenness" not in vars(lazy)  # not computed until read
    assert lazy.critical_path == full.critical_path
    assert lazy == full and full == lazy
    plain = pickle.loads(pickle.dumps(lazy))
    assert type(plain) is GraphAnalysis and plain == full


def test_lazy_analysis_defers_the_analyses_the_partition_does_not_read() -> None:
    nodes = ["a", "b", "c", "d"]
    edges = [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]
    lazy = LazyAnalysis(names=nodes, edges=edges)
    deferred = {"immediate_dominators", "immediate_post_dominators", "dominance_frontiers"}
    deferred |= {"betweenness", "critical_path", "critical_path_cost"}
    assert not deferred & set(vars(lazy))
    assert lazy.immediate_dominators["d"] == "a"
    assert deferred <= set(vars(lazy))  # the first read computed them all, once
