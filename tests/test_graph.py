"""Hamilton graph -> rustworkx payloads: inputs, config, check groups, versions and costs."""

from __future__ import annotations

import pytest
from hamilton import driver
from hamilton.graph_types import HamiltonGraph

from orchestration.code_versions import code_version_store
from orchestration.graph import _VERSION_CACHE, GraphError, build_plan_graph, covering_version
from orchestration.reached_code import reach
from orchestration.translator import HamiltonDagsterTranslator
from tests.fixtures import sales_dataflow


def _plan_graph(config: dict | None = None, timings: dict | None = None):
    dr = driver.Builder().with_modules(sales_dataflow).with_config(config or {}).build()
    graph = build_plan_graph(
        function_graph=dr.graph,
        config=config or {},
        translator=HamiltonDagsterTranslator(),
        timings=timings,
    )
    return dr, graph


def test_payloads_of_the_sales_graph() -> None:
    dr, graph = _plan_graph(config={"fx_rate": 1.0})
    assert graph.names() == sorted(dr.graph.nodes)
    # node indices follow sorted names, whatever Hamilton's insertion order
    assert [graph.graph[i].name for i in graph.graph.node_indices()] == graph.names()
    fx_rate, orders_path = graph.payload("fx_rate"), graph.payload("orders_path")
    assert fx_rate.user_defined and fx_rate.is_config and fx_rate.cost == 0
    assert orders_path.user_defined and not orders_path.is_config
    assert orders_path.code_version == "orders_path"
    orders = graph.payload("orders")
    assert orders.function == "tests.fixtures.sales_dataflow.orders"
    assert orders.type_name == "polars.dataframe.frame.DataFrame"
    assert orders.persistable and orders.explicit_boundary is None and orders.cost == 1.0
    assert graph.dependencies("order_lines") == ["fx_rate", "orders"]
    assert graph.consumers("order_lines") == [
        "average_order_value_raw",
        "revenue_by_region",
        "top_skus",
    ]
    # The edges fixed at build time are the graph's own, by name, sorted.
    assert graph.edges() == sorted(
        (graph.graph[u].name, graph.graph[v].name) for u, v in graph.graph.edge_list()
    )
    assert graph.edges() == sorted(
        (dependency, name)
        for name, node in dr.graph.nodes.items()
        for dependency in node.input_types
        if dependency in dr.graph.nodes
    )


def test_check_groups_and_importance() -> None:
    _, graph = _plan_graph()
    validator = graph.payload("total_revenue_range_validator")
    assert validator.check is not None
    assert (validator.check.checked_node, validator.check.raw_node) == (
        "total_revenue",
        "total_revenue_raw",
    )
    assert (validator.check.check_name, validator.check.importance) == ("range_validator", "fail")
    warn = graph.payload("average_order_value_range_validator").check
    assert warn is not None and warn.importance == "warn"
    assert graph.payload("total_revenue_raw").raw_of == "total_revenue"
    assert graph.payload("total_revenue").checked_by == ("total_revenue_range_validator",)
    assert graph.payload("total_revenue_raw").in_check_group
    assert not graph.payload("total_revenue").in_check_group
    # the group costs what the function costs
    assert graph.payload("total_revenue_raw").cost == 1.0
    assert graph.payload("total_revenue").cost == graph.payload(validator.name).cost == 0.0


def test_code_versions_are_hamiltons_covering_what_they_reach_and_cached() -> None:
    dr, graph = _plan_graph()
    expected = {
        n.name: covering_version(
            n.version, reach().digest(n.originating_functions[0], store=code_version_store())
        )
        for n in HamiltonGraph.from_graph(dr.graph).nodes
        if n.originating_functions and n.version is not None
    }
    for name in graph.computed_names():
        assert graph.payload(name).code_version == expected[name]
    assert sales_dataflow.total_revenue in _VERSION_CACHE
    payload = graph.payload("orders")
    assert payload.hamilton is not None and payload.hamilton.version == payload.code_version


def test_costs_from_timings() -> None:
    _, graph = _plan_graph(timings={"orders": 2.5, "total_revenue": 7.0})
    assert graph.payload("orders").cost == 2.5
    assert graph.payload("total_revenue").cost == 7.0  # measured: counts even in a check group
    assert graph.payload("top_skus").cost == 1.0


def test_bad_timings_are_a_clear_error() -> None:
    with pytest.raises(GraphError, match="orders"):
        _plan_graph(timings={"orders": -1.0})


def test_gc_paused_nests_and_restores_the_collector() -> None:
    import gc

    from orchestration.collector import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause restores the outer (paused) state
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("the build failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a collector disabled by the caller stays disabled
    finally:
        gc.enable()
