"""The generic layer on an unrelated dataflow: the sales fixture becomes assets with checks.

Same public call as the code location (``hamilton_assets``), real Hamilton, real Dagster
(``dagster.materialize`` on a temporary instance), values read back from the warehouse.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from dagster import (
    AssetKey,
    AssetsDefinition,
    DagsterInstance,
    ExecuteInProcessResult,
    FilesystemIOManager,
    StaticPartitionsDefinition,
    materialize,
)
from hamilton import base, driver

import tests.fixtures.sales_dataflow as sales
from orchestration import HamiltonIOManager, build_plan, hamilton_assets
from orchestration.plan import (
    AssetPlan,
    GraphAnalysis,
    PlannedAsset,
    PlannedCheck,
    PlannedOp,
    UpstreamInput,
)
from orchestration.translator import HamiltonDagsterTranslator

GOOD_ORDERS = """order_id,region,sku,quantity,unit_price
1,eu,apple,2,3.0
1,eu,pear,1,2.5
2,us,apple,4,3.0
3,us,plum,0,9.0
4,apac,kiwi,3,1.25
"""
# One line with a large negative price: the total revenue is negative, its `fail` check fails.
NEGATIVE_ORDERS = GOOD_ORDERS + "5,eu,refund,1,-100.0\n"
FX_RATE = 1.5


@pytest.fixture
def instance() -> Iterator[DagsterInstance]:
    with DagsterInstance.local_temp() as temp_instance:
        yield temp_instance


def _write_orders(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(text)
    return path


def _assets(orders: Path, **kwargs: Any) -> list[AssetsDefinition]:
    return hamilton_assets(
        modules=[sales],
        config={},
        inputs={"orders_path": str(orders), "fx_rate": FX_RATE},
        **kwargs,
    )


def _run(
    assets: Sequence[AssetsDefinition],
    warehouse: Path,
    instance: DagsterInstance,
    **kwargs: Any,
) -> ExecuteInProcessResult:
    return materialize(
        assets,
        instance=instance,
        resources={"io_manager": HamiltonIOManager(warehouse=str(warehouse))},
        raise_on_error=False,
        **kwargs,
    )


def _materialized(result: ExecuteInProcessResult) -> dict[str, dict[str, Any]]:
    """asset key string -> materialization metadata values."""
    found: dict[str, dict[str, Any]] = {}
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        found[materialization.asset_key.to_user_string()] = {
            key: value.value for key, value in materialization.metadata.items()
        }
    return found


def _checks(result: ExecuteInProcessResult) -> dict[str, bool]:
    return {
        f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}": evaluation.passed
        for evaluation in result.get_asset_check_evaluations()
    }


def _hamilton_reference(orders: Path) -> dict[str, Any]:
    dr = driver.Builder().with_modules(sales).with_adapters(base.DictResult()).build()
    return dr.execute(
        ["order_lines", "top_skus", "total_revenue", "average_order_value", "sales_report"],
        inputs={"orders_path": str(orders), "fx_rate": FX_RATE},
    )


def test_sales_plan_becomes_assets_with_checks(tmp_path: Path) -> None:
    orders = _write_orders(tmp_path, GOOD_ORDERS)
    plan = build_plan(modules=[sales], config={})
    assets = _assets(orders, plan=plan)
    specs = {key.to_user_string(): spec for a in assets for key, spec in a.specs_by_key.items()}
    assert set(specs) == {a.key[0] for a in plan.assets}
    checks = {
        (c.asset_key.to_user_string(), c.name, c.blocking) for a in assets for c in a.check_specs
    }
    assert ("total_revenue", "range_validator", True) in checks
    assert ("average_order_value", "range_validator", False) in checks
    # One multi_asset per planned op, subsettable, with the plan's priority as op tag.
    assert len(assets) == len(plan.ops)
    for assets_def, op in zip(assets, plan.ops, strict=True):
        assert assets_def.can_subset
        assert assets_def.op.tags["dagster/priority"] == str(op.priority)
    total = specs["total_revenue"]
    assert total.description and "negative total" in total.description
    assert total.code_version and len(total.code_version) == 64
    assert total.kinds == {"hamilton", "json"}
    assert specs["order_lines"].kinds == {"hamilton", "polars", "parquet"}
    own_tags = {k: v for k, v in total.tags.items() if not k.startswith("dagster/kind/")}
    assert own_tags == {"layer": "mart", "kind": "metric"}
    assert total.metadata["hamilton/plan_signature"] == plan.signature
    references = total.metadata["dagster/code_references"].code_references
    assert references[0].file_path == sales.__file__
    assert (
        "def total_revenue"
        in Path(sales.__file__)
        .read_text()
        .splitlines()[
            references[0].line_number - 1 + 2  # the two decorator lines come first
        ]
    )


def test_a_translators_priority_adjustment_is_applied_once(tmp_path: Path) -> None:
    """The plan's priority went through ``get_priority`` already; the op tag is that priority,
    not the translator's adjustment applied to its own output."""

    class Raised(HamiltonDagsterTranslator):
        def get_priority(self, op_name: str, computed_priority: int) -> int:
            return computed_priority + 1000

    orders = _write_orders(tmp_path, GOOD_ORDERS)
    computed = {op.name: op.priority for op in build_plan(modules=[sales], config={}).ops}
    plan = build_plan(modules=[sales], config={}, translator=Raised())
    assert {op.name: op.priority for op in plan.ops} == {n: p + 1000 for n, p in computed.items()}
    for translated in (_assets(orders, translator=Raised()), _assets(orders, plan=plan)):
        tags = {a.op.name: a.op.tags["dagster/priority"] for a in translated}
        assert tags == {name: str(p + 1000) for name, p in computed.items()}


def test_all_sales_assets_materialize_with_values_and_metadata(
    tmp_path: Path, instance: DagsterInstance
) -> None:
    orders = _write_orders(tmp_path, GOOD_ORDERS)
    warehouse = tmp_path / "warehouse"
    result = _run(_assets(orders), warehouse, instance)
    assert result.success
    reference = _hamilton_reference(orders)
    materialized = _materialized(result)
    plan = build_plan(modules=[sales], config={})
    assert set(materialized) == {a.key[0] for a in plan.assets}
    root = warehouse / "__unpartitioned__"
    stored_lines = pl.read_parquet(root / "order_lines.parquet")
    assert stored_lines.equals(reference["order_lines"])
    assert json.loads((root / "total_revenue.json").read_text()) == reference["total_revenue"]
    assert json.loads((root / "sales_report.json").read_text()) == reference["sales_report"]
    assert _checks(result) == {
        "total_revenue:range_validator": True,
        "average_order_value:range_validator": True,
    }
    lines_metadata = materialized["order_lines"]
    assert lines_metadata["dagster/row_count"] == reference["order_lines"].height
    schema = lines_metadata["dagster/column_schema"]
    assert [column.name for column in schema.columns] == reference["order_lines"].columns
    assert lines_metadata["hamilton/plan_signature"] == plan.signature
    assert set(lines_metadata["hamilton/timings"]) == {"orders", "order_lines"}
    assert lines_metadata["codeintel/path"] == str(root / "order_lines.parquet")


def test_failing_blocking_check_stops_only_its_downstream(
    tmp_path: Path, instance: DagsterInstance
) -> None:
    orders = _write_orders(tmp_path, NEGATIVE_ORDERS)
    result = _run(_assets(orders), tmp_path / "warehouse", instance)
    assert not result.success
    checks = _checks(result)
    assert checks["total_revenue:range_validator"] is False
    materialized = _materialized(result)
    # The checked asset itself is stored (the check judges it); what depends on it is not.
    assert "total_revenue" in materialized
    assert "sales_report" not in materialized
    assert {"order_lines", "average_order_value"} <= set(materialized)
    # Only the step holding the failed blocking check fails; its downstream step never starts.
    failed_steps = {event.step_key for event in result.all_events if event.is_step_failure}
    assert failed_steps == {"total_revenue"}
    started = {event.step_key for event in result.all_events if event.is_step_start}
    assert started == {"order_lines", "total_revenue", "average_order_value"}


def _gated_op_plan() -> AssetPlan:
    """A hand-made plan where top_skus and sales_report share the op of the blocking check."""

    def asset(node: str, checks: tuple[PlannedCheck, ...] = (), raw: bool = False) -> PlannedAsset:
        reasons: tuple[Any, ...] = ("check",) if checks else ("sink",)
        value_node = f"{node}_raw" if raw else node
        return PlannedAsset(
            key=(node,), node=node, reasons=reasons, checks=checks, value_node=value_node
        )

    fail = PlannedCheck(
        name="range_validator", node="total_revenue_range_validator", importance="fail"
    )
    warn = PlannedCheck(
        name="range_validator", node="average_order_value_range_validator", importance="warn"
    )
    marts = (
        "average_order_value",
        "average_order_value_range_validator",
        "average_order_value_raw",
        "revenue_by_region",
        "sales_report",
        "top_skus",
        "total_revenue",
        "total_revenue_range_validator",
        "total_revenue_raw",
    )
    ops = (
        PlannedOp(
            name="lines",
            nodes=("order_lines", "orders"),
            assets=(asset("order_lines"),),
            upstream=(),
            external_inputs=("fx_rate", "orders_path"),
            priority=2,
            cost=2.0,
        ),
        PlannedOp(
            name="marts",
            nodes=marts,
            assets=(
                asset("average_order_value", (warn,), raw=True),
                asset("sales_report"),
                asset("top_skus"),
                asset("total_revenue", (fail,), raw=True),
            ),
            upstream=(UpstreamInput(node="order_lines", asset_key=("order_lines",), op="lines"),),
            external_inputs=(),
            priority=1,
            cost=9.0,
        ),
    )
    analysis = GraphAnalysis({}, {}, {}, (), (), {}, (), 0.0, {})
    return AssetPlan(
        signature="hand-made",
        ops=ops,
        external_inputs=("fx_rate", "orders_path"),
        analysis=analysis,
    )


def test_blocking_check_inside_one_op_gates_only_dependent_assets(
    tmp_path: Path, instance: DagsterInstance
) -> None:
    orders = _write_orders(tmp_path, NEGATIVE_ORDERS)
    result = _run(_assets(orders, plan=_gated_op_plan()), tmp_path / "warehouse", instance)
    assert not result.success
    materialized = _materialized(result)
    assert {"order_lines", "top_skus", "total_revenue", "average_order_value"} == set(materialized)
    assert "sales_report" not in materialized
    # sales_report's node never ran: it was gated, not computed and dropped.
    timings = materialized["top_skus"]["hamilton/timings"]
    assert "sales_report" not in timings
    assert {"top_skus", "total_revenue_raw", "total_revenue_range_validator"} <= set(timings)


def test_gated_op_with_passing_check_computes_each_node_once(
    tmp_path: Path, instance: DagsterInstance
) -> None:
    orders = _write_orders(tmp_path, GOOD_ORDERS)
    warehouse = tmp_path / "warehouse"
    result = _run(_assets(orders, plan=_gated_op_plan()), warehouse, instance)
    assert result.success
    materialized = _materialized(result)
    assert set(materialized) == {
        "order_lines",
        "top_skus",
        "total_revenue",
        "average_order_value",
        "sales_report",
    }
    report = json.loads((warehouse / "__unpartitioned__" / "sales_report.json").read_text())
    assert report == _hamilton_reference(orders)["sales_report"]
    timings = materialized["sales_report"]["hamilton/timings"]
    # total_revenue is not recomputed after its check passed: its raw value is the override.
    assert "total_revenue" not in timings
    assert {"revenue_by_region", "total_revenue_raw", "sales_report"} <= set(timings)


def test_subset_runs_only_the_selected_sub_dag(tmp_path: Path, instance: DagsterInstance) -> None:
    orders = _write_orders(tmp_path, GOOD_ORDERS)
    warehouse = tmp_path / "warehouse"
    assets = _assets(orders)
    assert _run(assets, warehouse, instance).success
    # A second run of one asset loads its upstream from the warehouse and computes nothing else.
    (warehouse / "__unpartitioned__" / "total_revenue.json").unlink()
    result = _run(assets, warehouse, instance, selection=["average_order_value"])
    assert result.success
    materialized = _materialized(result)
    assert set(materialized) == {"average_order_value"}
    assert set(materialized["average_order_value"]["hamilton/timings"]) == {
        "average_order_value_raw",
        "average_order_value_range_validator",
    }
    assert not (warehouse / "__unpartitioned__" / "total_revenue.json").exists()
    assert _checks(result) == {"average_order_value:range_validator": True}


def test_subset_with_missing_upstream_fails_with_a_clear_message(
    tmp_path: Path, instance: DagsterInstance
) -> None:
    orders = _write_orders(tmp_path, GOOD_ORDERS)
    result = _run(_assets(orders), tmp_path / "empty", instance, selection=["sales_report"])
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    message = str(failure.step_failure_data.error)
    assert "could not be loaded" in message and "materialize it first" in message


def test_partitioned_sales_assets_store_one_folder_per_partition(
    tmp_path: Path, instance: DagsterInstance
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(GOOD_ORDERS)
    other = tmp_path / "other.csv"
    other.write_text(GOOD_ORDERS.replace("kiwi,3", "kiwi,30"))
    paths = {"good": good, "other": other}
    assets = hamilton_assets(
        modules=[sales],
        config={},
        partitions_def=StaticPartitionsDefinition(sorted(paths)),
        inputs=lambda context: {
            "orders_path": str(paths[context.partition_key]),
            "fx_rate": FX_RATE,
        },
    )
    warehouse = tmp_path / "warehouse"
    for key in paths:
        assert _run(assets, warehouse, instance, partition_key=key).success
    for key, orders in paths.items():
        stored = json.loads((warehouse / key / "total_revenue.json").read_text())
        assert stored == _hamilton_reference(orders)["total_revenue"]
    assert not (warehouse / "__unpartitioned__").exists()
    record = instance.get_latest_asset_check_evaluation_record(
        next(iter(next(a for a in assets if a.check_specs).check_keys))
    )
    assert record is not None and record.partition == "other"
    assert AssetKey("total_revenue") in {k for a in assets for k in a.keys}


@pytest.mark.parametrize(
    "selection",
    [
        ["sales_report"],
        ["top_skus", "total_revenue"],
        ["average_order_value", "sales_report"],
        ["order_lines", "top_skus"],
    ],
)
def test_subsets_of_a_gated_op_compute_only_what_they_need(
    tmp_path: Path, instance: DagsterInstance, selection: list[str]
) -> None:
    orders = _write_orders(tmp_path, GOOD_ORDERS)
    warehouse = tmp_path / "warehouse"
    assets = _assets(orders, plan=_gated_op_plan())
    assert _run(assets, warehouse, instance, selection=["order_lines"]).success
    result = _run(assets, warehouse, instance, selection=selection)
    assert result.success
    materialized = _materialized(result)
    assert set(materialized) == set(selection)
    reference = _hamilton_reference(orders)
    root = warehouse / "__unpartitioned__"
    for name in selection:
        path = next(root.glob(f"{name}.*"))
        stored = (
            pl.read_parquet(path) if path.suffix == ".parquet" else json.loads(path.read_text())
        )
        expected = reference[name]
        assert stored.equals(expected) if isinstance(stored, pl.DataFrame) else stored == expected
    # What Hamilton needs for the selection (a checked node's upstream has its raw value and its
    # validators); unless selected, order_lines comes from the warehouse: its upstream never runs.
    dr = driver.Builder().with_modules(sales).build()
    from_warehouse = {} if "order_lines" in selection else {"order_lines": None}
    upstream, _ = dr.graph.get_upstream_nodes(selection, {}, from_warehouse)
    needed = {node.name for node in upstream}
    for metadata in materialized.values():
        assert set(metadata["hamilton/timings"]) <= needed
    if "top_skus" not in selection and "sales_report" not in selection:
        assert all("top_skus" not in m["hamilton/timings"] for m in materialized.values())


def test_an_io_manager_of_another_kind_fails_with_a_clear_message(
    tmp_path: Path, instance: DagsterInstance
) -> None:
    orders = _write_orders(tmp_path, GOOD_ORDERS)
    result = materialize(
        _assets(orders),
        instance=instance,
        resources={"io_manager": FilesystemIOManager(base_dir=str(tmp_path / "fs"))},
        raise_on_error=False,
    )
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    assert failure.step_failure_data.user_failure_data is not None
    description = failure.step_failure_data.user_failure_data.description or ""
    assert "must be a HamiltonIOManager" in description and "FilesystemIOManager" in description
    assert not result.get_asset_materialization_events()
