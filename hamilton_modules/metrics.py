"""Call-graph analytics per METHOD: fan-in, fan-out and betweenness centrality (rustworkx).

Driver module. The call graph has one vertex per METHOD node and an edge caller -> callee for every
resolved CALLS edge whose call site lies inside a method (CONTAINS from the method to the CALL);
parallel call sites count once. ``fan_in``/``fan_out`` are distinct callers/callees, betweenness is
rustworkx's normalized directed betweenness. Only vertices with edges enter the betweenness
computation (the others score 0), and it runs single-threaded so float sums happen in one order
and the bytes do not change between runs.
"""

from __future__ import annotations

import polars as pl
import rustworkx as rx
from hamilton.function_modifiers import check_output_custom, schema, tag

from hamilton_modules import schemas
from hamilton_modules.tables import arrow_fields, finish_table, rows_to_frame
from hamilton_modules.validators import table_checks

# rustworkx parallelizes above this many vertices; never, for a deterministic summation order.
_SEQUENTIAL = 1 << 62


@tag(asset="cpg/metrics", layer="cpg", kind="table", artifact="cpg_metrics", task_cost="10")
@check_output_custom(*table_checks(schema=schemas.CPG_METRICS, key=["id"]))
@schema.output(*arrow_fields(schemas.CPG_METRICS))
def cpg_metrics(cpg_nodes: pl.DataFrame, cpg_edges: pl.DataFrame) -> pl.DataFrame:
    """Per METHOD: distinct callers (fan-in), distinct callees (fan-out), betweenness."""
    methods = cpg_nodes.filter(pl.col("label") == "METHOD").select(
        "id", "qualified_name", "path", "language"
    )
    method_ids = set(methods["id"].to_list())
    method_of_call = {
        dst: src
        for src, dst in cpg_edges.filter(pl.col("label") == "CONTAINS")
        .select("src", "dst")
        .iter_rows()
        if src in method_ids
    }
    calls = cpg_edges.filter((pl.col("label") == "CALLS") & pl.col("resolved")).select("src", "dst")
    pairs = sorted(
        {
            (method_of_call[call], callee)
            for call, callee in calls.iter_rows()
            if call in method_of_call and callee in method_ids
        }
    )
    fan_out: dict[str, int] = {}
    fan_in: dict[str, int] = {}
    for caller, callee in pairs:
        fan_out[caller] = fan_out.get(caller, 0) + 1
        fan_in[callee] = fan_in.get(callee, 0) + 1
    graph: rx.PyDiGraph = rx.PyDiGraph(multigraph=False)
    connected = sorted({vertex for pair in pairs for vertex in pair})
    index = {vertex: graph.add_node(vertex) for vertex in connected}
    graph.add_edges_from_no_data([(index[a], index[b]) for a, b in pairs])
    centrality = rx.digraph_betweenness_centrality(
        graph, normalized=True, parallel_threshold=_SEQUENTIAL
    )
    betweenness = {connected[i]: float(score) for i, score in centrality.items()}
    rows = [
        {
            "id": row["id"],
            "qualified_name": row["qualified_name"],
            "path": row["path"],
            "language": row["language"],
            "fan_in": fan_in.get(row["id"], 0),
            "fan_out": fan_out.get(row["id"], 0),
            "betweenness": betweenness.get(row["id"], 0.0),
        }
        for row in methods.iter_rows(named=True)
    ]
    frame = rows_to_frame(rows, schemas.CPG_METRICS)
    return finish_table(frame, table_schema=schemas.CPG_METRICS, sort_key="cpg_metrics")
