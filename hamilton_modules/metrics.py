"""Call-graph analytics per METHOD: fan-in, fan-out and betweenness centrality (rustworkx).

Driver module. The call graph has one vertex per METHOD node and an edge caller -> callee for every
resolved CALLS edge whose call site lies inside a method (CONTAINS from the method to the CALL);
parallel call sites count once. ``fan_in``/``fan_out`` are distinct callers/callees, betweenness is
rustworkx's normalized directed betweenness. Only vertices with edges enter the betweenness
computation (the others score 0), and it runs single-threaded so float sums happen in one order
and the bytes do not change between runs.
"""

from __future__ import annotations

from typing import TypeVar

import polars as pl
import rustworkx as rx
from hamilton.function_modifiers import check_output_custom, schema, tag

from hamilton_modules import schemas
from hamilton_modules.cpg_model import collected
from hamilton_modules.tables import arrow_fields, finish_table
from hamilton_modules.validators import table_checks

# A table or a query of one (``_methods``)
_Frame = TypeVar("_Frame", pl.DataFrame, pl.LazyFrame)
# rustworkx parallelizes above this many vertices; never, for a deterministic summation order.
_SEQUENTIAL = 1 << 62


def _methods(cpg_nodes: _Frame) -> _Frame:
    return cpg_nodes.filter(pl.col("label") == "METHOD").select(
        "id", "qualified_name", "path", "language"
    )


def method_calls(cpg_nodes: pl.DataFrame, cpg_edges: pl.DataFrame) -> pl.DataFrame:
    """The call graph: distinct (caller, callee) METHOD pairs, sorted. (Two queries,
    ``collected``: each eager step was a query of its own over the whole edges table. The
    resolved calls of methods first, then only the CONTAINS edges of their call sites: tokio's
    7,612 of 42,536, whose method is looked up by hashing; ~6 against ~8 ms.)"""
    method_ids = _methods(cpg_nodes.lazy()).select("id")
    edges = cpg_edges.lazy()
    (calls,) = collected(
        edges.filter((pl.col("label") == "CALLS") & pl.col("resolved"))
        .join(method_ids, left_on="dst", right_on="id", how="semi")
        .select("src", "dst")
    )
    # CALL node -> the METHOD containing it; a call site lies in at most one method. (Of the
    # call sites above alone: a call's rows are kept or left all together, so its last is the
    # same.)
    method_of_call = (
        edges.filter(pl.col("label") == "CONTAINS")
        .join(calls.lazy().select("src"), left_on="dst", right_on="src", how="semi")
        .join(method_ids, left_on="src", right_on="id", how="semi")
        .select(call="dst", caller="src")
        .unique(subset="call", keep="last", maintain_order=True)
    )
    (pairs,) = collected(
        calls.lazy()
        .join(method_of_call, left_on="src", right_on="call", how="inner")
        .select("caller", callee="dst")
        .unique()
        .sort("caller", "callee")
    )
    return pairs


def method_call_scores(method_calls: pl.DataFrame) -> pl.DataFrame:
    """Per METHOD of the call graph (one with a caller or a callee): fan-in, fan-out, betweenness.

    A node of its own, a function of the call graph alone: a change of the graph's nodes or edges
    that leaves the calls between methods as they were (a function that calls nothing added, a
    line moved) finds the scores in Hamilton's cache instead of computing betweenness again.
    """
    pairs = list(method_calls.iter_rows())
    fan_out = method_calls.group_by("caller").len(name="fan_out").rename({"caller": "id"})
    fan_in = method_calls.group_by("callee").len(name="fan_in").rename({"callee": "id"})
    graph: rx.PyDiGraph = rx.PyDiGraph(multigraph=False)
    connected = sorted({vertex for pair in pairs for vertex in pair})
    index = {vertex: graph.add_node(vertex) for vertex in connected}
    graph.add_edges_from_no_data([(index[a], index[b]) for a, b in pairs])
    centrality = rx.digraph_betweenness_centrality(
        graph, normalized=True, parallel_threshold=_SEQUENTIAL
    )
    betweenness = pl.DataFrame(
        {
            "id": [connected[i] for i in centrality],
            "betweenness": [float(score) for score in centrality.values()],
        },
        schema={"id": pl.String, "betweenness": pl.Float64},
    )
    return (
        betweenness.join(fan_in, on="id", how="left", maintain_order="left")
        .join(fan_out, on="id", how="left", maintain_order="left")
        .select(
            "id",
            pl.col("fan_in").fill_null(0).cast(pl.Int64),
            pl.col("fan_out").fill_null(0).cast(pl.Int64),
            "betweenness",
        )
    )


@tag(asset="cpg/metrics", layer="cpg", kind="table", artifact="cpg_metrics", task_cost="10")
@check_output_custom(*table_checks(schema=schemas.CPG_METRICS, key=["id"]))
@schema.output(*arrow_fields(schemas.CPG_METRICS))
def cpg_metrics(cpg_nodes: pl.DataFrame, method_call_scores: pl.DataFrame) -> pl.DataFrame:
    """Per METHOD: distinct callers (fan-in), distinct callees (fan-out), betweenness (0 for a
    method outside the call graph)."""
    frame = (
        _methods(cpg_nodes)
        .join(method_call_scores, on="id", how="left", maintain_order="left")
        .with_columns(
            pl.col("fan_in").fill_null(0),
            pl.col("fan_out").fill_null(0),
            pl.col("betweenness").fill_null(0.0),
        )
    )
    return finish_table(frame, table_schema=schemas.CPG_METRICS, sort_key="cpg_metrics")
