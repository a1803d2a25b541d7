"""The partition through the public call: the sales fixture and properties over random graphs.

Random graphs are real Hamilton modules written as source text in a temp dir and imported, with
random `asset=` tags, non-persistable values (a `Handle` type and `persist="false"` tags) and
`@check_output` validators, spread over several modules so the module order changes Hamilton's
node insertion order.
"""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orchestration.partition import PlanError, build_plan
from orchestration.plan import AssetPlan
from tests.fixtures import sales_dataflow

REPO_ROOT = Path(__file__).resolve().parents[1]
_COUNTER = itertools.count()


# --- generated Hamilton modules ----------------------------------------------------------------


@dataclass(frozen=True)
class GenNode:
    name: str
    deps: tuple[int, ...]
    handle: bool  # returns a non-persistable Handle
    persist_false: bool  # int value tagged persist="false"
    asset_tag: str | None  # "true" / "false" / None
    checked: str | None  # "warn" / "fail" / None
    module: int
    bump: int = 0  # constant in the body; changing it changes the code version


@dataclass(frozen=True)
class GenGraph:
    nodes: tuple[GenNode, ...]
    modules: int

    def bumped(self, index: int) -> GenGraph:
        nodes = list(self.nodes)
        node = nodes[index]
        nodes[index] = dataclasses.replace(node, bump=node.bump + 1)
        return GenGraph(nodes=tuple(nodes), modules=self.modules)


def _module_text(graph: GenGraph, module: int, common: str) -> str:
    lines = [
        "from hamilton.function_modifiers import check_output, tag",
        f"from {common} import Handle",
        "",
    ]
    for node in graph.nodes:
        if node.module != module:
            continue
        params, ints = [], []
        for dep in node.deps:
            producer = graph.nodes[dep]
            params.append(f"{producer.name}: {'Handle' if producer.handle else 'int'}")
            if not producer.handle:
                ints.append(producer.name)
        if not node.deps:
            params.append("seed_value: int")
            ints.append("seed_value")
        tags = {}
        if node.asset_tag is not None:
            tags["asset"] = node.asset_tag
        if node.persist_false:
            tags["persist"] = "false"
        if tags:
            lines.append("@tag(" + ", ".join(f'{k}="{v}"' for k, v in sorted(tags.items())) + ")")
        if node.checked and not node.handle:
            lines.append(f'@check_output(range=(0, 10**12), importance="{node.checked}")')
        returns = "Handle" if node.handle else "int"
        body = f"Handle({' + '.join(ints) or 0} + {node.bump})" if node.handle else None
        body = body or f"{' + '.join(ints) or 0} + {node.bump}"
        lines += [f"def {node.name}({', '.join(params)}) -> {returns}:", f"    return {body}", ""]
    return "\n".join(lines)


@contextmanager
def imported(graph: GenGraph) -> Iterator[list[ModuleType]]:
    """Write and import the graph's modules under fresh names; clean sys.modules afterwards."""
    prefix = f"plangen_{os.getpid()}_{next(_COUNTER)}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        common = f"{prefix}_common"
        (folder / f"{common}.py").write_text(
            "class Handle:\n    def __init__(self, value=0):\n        self.value = value\n"
        )
        names = [f"{prefix}_m{i}" for i in range(graph.modules)]
        for i, name in enumerate(names):
            (folder / f"{name}.py").write_text(_module_text(graph, i, common))
        sys.path.insert(0, tmp)
        try:
            yield [importlib.import_module(name) for name in names]
        finally:
            sys.path.remove(tmp)
            for name in [*names, common]:
                sys.modules.pop(name, None)


@st.composite
def gen_graphs(draw: st.DrawFn) -> GenGraph:
    size = draw(st.integers(min_value=1, max_value=12))
    modules = draw(st.integers(min_value=1, max_value=3))
    nodes = []
    for i in range(size):
        deps = tuple(
            sorted(
                draw(st.sets(st.integers(min_value=0, max_value=i - 1), max_size=min(3, i)))
                if i
                else set()
            )
        )
        handle = draw(st.floats(min_value=0, max_value=1)) < 0.2
        nodes.append(
            GenNode(
                name=f"node_{i}",
                deps=deps,
                handle=handle,
                persist_false=not handle and draw(st.floats(min_value=0, max_value=1)) < 0.1,
                asset_tag=draw(st.sampled_from([None, None, None, None, "true", "false"])),
                checked=draw(st.sampled_from([None, None, None, "warn", "fail"])),
                module=draw(st.integers(min_value=0, max_value=modules - 1)),
            )
        )
    # An explicit asset on a value that cannot be persisted is a contradiction (tested separately).
    nodes = [
        dataclasses.replace(n, asset_tag=None)
        if (n.handle or n.persist_false) and n.asset_tag == "true"
        else n
        for n in nodes
    ]
    return GenGraph(nodes=tuple(nodes), modules=modules)


# --- invariants --------------------------------------------------------------------------------


def assert_plan_invariants(plan: AssetPlan, modules: list[ModuleType], graph: GenGraph) -> None:
    from hamilton import driver

    dr = driver.Builder().with_modules(*modules).with_config(plan.config).build()
    computed = {n for n, node in dr.graph.nodes.items() if not node.user_defined}
    inputs = {n for n, node in dr.graph.nodes.items() if node.user_defined}
    op_of: dict[str, str] = {}
    for op in plan.ops:
        assert op.name.replace("_", "").isalnum() and op.name.isascii()
        for name in op.nodes:
            assert name not in op_of, f"{name} in two ops"
            op_of[name] = op.name
    assert set(op_of) == computed  # every computed node exactly once
    assert set(plan.external_inputs) | set(plan.config) >= inputs
    assert not set(op_of) & inputs

    asset_nodes = {a.node: (op.name, a) for op in plan.ops for a in op.assets}
    keys = [a.key for a in plan.assets]
    assert len(keys) == len(set(keys))
    # no value crosses ops unless it is an asset of its producer op, listed as upstream
    op_edges = set()
    for consumer, node in dr.graph.nodes.items():
        for dep in node.input_types:
            if dep in inputs or op_of[dep] == op_of[consumer]:
                continue
            assert dep in asset_nodes and asset_nodes[dep][0] == op_of[dep]
            consumer_op = next(op for op in plan.ops if op.name == op_of[consumer])
            assert any(u.node == dep and u.op == op_of[dep] for u in consumer_op.upstream)
            op_edges.add((op_of[dep], op_of[consumer]))
    # a fan-out really feeds several ops
    for name, (_, asset) in asset_nodes.items():
        if "fan_out" in asset.reasons:
            consumers = {c for c, node in dr.graph.nodes.items() if name in node.input_types}
            assert len({op_of[c] for c in consumers}) >= 2, name
    # non-persistable values never cross ops
    by_name = {n.name: n for n in graph.nodes}
    for consumer, node in dr.graph.nodes.items():
        for dep in node.input_types:
            gen = by_name.get(dep)
            if gen is not None and (gen.handle or gen.persist_false):
                assert op_of[dep] == op_of[consumer], f"{dep} crosses ops"
    # op graph acyclic (plain DFS)
    successors: dict[str, set[str]] = {op.name: set() for op in plan.ops}
    for u, v in op_edges:
        successors[u].add(v)
    state: dict[str, int] = {}

    def visit(op: str) -> None:
        state[op] = 1
        for nxt in successors[op]:
            assert state.get(nxt) != 1, "cycle among ops"
            if nxt not in state:
                visit(nxt)
        state[op] = 2

    for op in successors:
        if op not in state:
            visit(op)
    # explicit tags respected; check groups are never assets themselves
    for gen in graph.nodes:
        if gen.asset_tag == "true":
            assert gen.name in asset_nodes and "tag" in asset_nodes[gen.name][1].reasons
        if gen.asset_tag == "false":
            assert gen.name not in asset_nodes
        if gen.checked and not gen.handle and gen.name in asset_nodes:
            asset = asset_nodes[gen.name][1]
            assert asset.value_node == f"{gen.name}_raw"
            assert [c.importance for c in asset.checks] == [gen.checked]
    for name in asset_nodes:
        assert not name.endswith("_raw") or name.removesuffix("_raw") not in asset_nodes
    # every op emits at least one asset unless it only holds values nobody can load
    for op in plan.ops:
        if not op.assets:
            assert all(
                by_name[n].handle or by_name[n].persist_false or by_name[n].asset_tag == "false"
                for n in op.nodes
                if n in by_name
            )


@settings(max_examples=40, deadline=None)
@given(gen_graphs())
def test_random_graphs_partition_invariants_and_order_independence(graph: GenGraph) -> None:
    with imported(graph) as modules:
        plan = build_plan(modules=modules, config={"seed_value": 3})
        assert_plan_invariants(plan, modules, graph)
        shuffled = list(reversed(modules))
        again = build_plan(modules=shuffled, config={"seed_value": 3})
        assert again.to_json() == plan.to_json()
        assert again.signature == plan.signature
    bump_at = len(graph.nodes) // 2
    with imported(graph.bumped(bump_at)) as modules:
        changed = build_plan(modules=modules, config={"seed_value": 3})
        assert changed.signature != plan.signature
        assert [op.nodes for op in changed.ops] == [op.nodes for op in plan.ops]
    with imported(graph) as modules:
        assert build_plan(modules=modules, config={"seed_value": 4}).signature != plan.signature


# --- the sales fixture -------------------------------------------------------------------------


def test_sales_fixture_is_partitioned_sensibly() -> None:
    plan = build_plan(modules=[sales_dataflow], config={"fx_rate": 1.1})
    ops = {op.name: op for op in plan.ops}
    assert set(ops) == {"order_lines", "total_revenue", "average_order_value", "sales_report"}
    # the raw read is a link of the chain into order_lines, which fans out (3 consumers, a cut)
    assert ops["order_lines"].nodes == ("order_lines", "orders")
    (order_lines,) = ops["order_lines"].assets
    assert order_lines.key == ("order_lines",)
    assert set(order_lines.reasons) == {"articulation_point", "bridge"}
    assert ops["order_lines"].external_inputs == ("orders_path",)  # fx_rate comes from config
    assert plan.external_inputs == ("orders_path",)
    # revenue_by_region feeds only total_revenue: it lives inside that op
    assert ops["total_revenue"].nodes == (
        "revenue_by_region",
        "total_revenue",
        "total_revenue_range_validator",
        "total_revenue_raw",
    )
    (total,) = ops["total_revenue"].assets
    assert (total.node, total.value_node, total.reasons) == (
        "total_revenue",
        "total_revenue_raw",
        ("check",),
    )
    assert [(c.name, c.node, c.importance, c.blocking) for c in total.checks] == [
        ("range_validator", "total_revenue_range_validator", "fail", True)
    ]
    (aov,) = ops["average_order_value"].assets
    assert [(c.name, c.importance) for c in aov.checks] == [("range_validator", "warn")]
    assert aov.value_node == "average_order_value_raw"
    assert ops["sales_report"].nodes == ("sales_report", "top_skus")
    assert [a.key for a in ops["sales_report"].assets] == [("sales_report",)]
    assert {(u.node, u.op) for u in ops["sales_report"].upstream} == {
        ("total_revenue", "total_revenue"),
        ("average_order_value", "average_order_value"),
        ("order_lines", "order_lines"),
    }
    # the root of the critical path runs first; the last op runs last
    assert ops["order_lines"].priority == max(op.priority for op in plan.ops)
    assert ops["sales_report"].priority == min(op.priority for op in plan.ops)
    assert plan.analysis.articulation_points == ("order_lines",)
    assert plan.config == {"fx_rate": 1.1}
    json.loads(plan.to_json())


def test_sales_timings_and_cost_tags_change_priorities() -> None:
    base = build_plan(modules=[sales_dataflow])
    slow = build_plan(modules=[sales_dataflow], timings={"average_order_value_raw": 50.0})
    assert base.signature == slow.signature  # timings are not part of what is computed
    ops = {op.name: op for op in slow.ops}
    assert ops["average_order_value"].cost == 50.0
    assert ops["average_order_value"].priority > ops["total_revenue"].priority
    assert slow.analysis.critical_path[-2:] == ("average_order_value", "sales_report")


def test_same_bytes_under_other_hash_seeds() -> None:
    graph = GenGraph(
        nodes=(
            GenNode("alpha", (), False, False, None, None, 0),
            GenNode("parse", (0,), True, False, None, None, 1),
            GenNode("symbols", (1,), False, False, None, "fail", 0),
            GenNode("imports", (1, 0), False, False, None, None, 1),
            GenNode("calls", (1, 2), False, False, "true", None, 0),
            GenNode("summary", (2, 3, 4), False, False, None, None, 1),
        ),
        modules=2,
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "seedgen_common.py").write_text("class Handle:\n    pass\n")
        for i in range(2):
            (folder / f"seedgen_m{i}.py").write_text(_module_text(graph, i, "seedgen_common"))
        script = (
            "import seedgen_m0, seedgen_m1\n"
            "from tests.fixtures import sales_dataflow\n"
            "from orchestration.partition import build_plan\n"
            "print(build_plan(modules=[seedgen_m1, seedgen_m0], config={'seed_value': 1}).to_json())\n"
            "print(build_plan(modules=[sales_dataflow], config={'fx_rate': 2.0}).to_json())\n"
        )
        outputs = set()
        for seed in ("0", "1", "4242"):
            env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": f"{tmp}:{REPO_ROOT}"}
            result = subprocess.run(
                [sys.executable, "-c", script],
                env=env,
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            outputs.add(result.stdout)
        assert len(outputs) == 1
        plan = json.loads(next(iter(outputs)).split("\n}\n")[0] + "\n}")
        # parse (a Handle) pulled symbols, imports and calls into one op: computed once
        (language_op,) = [op for op in plan["ops"] if "parse" in op["nodes"]]
        assert {"symbols", "imports", "calls", "parse"} <= set(language_op["nodes"])


def test_asset_tag_on_unpersistable_value_is_a_clear_error() -> None:
    graph = GenGraph(
        nodes=(
            GenNode("source_node", (), False, False, None, None, 0),
            GenNode("handle_node", (0,), True, False, "true", None, 0),
            GenNode("sink_node", (0, 1), False, False, None, None, 0),
        ),
        modules=1,
    )
    with imported(graph) as modules, pytest.raises(PlanError, match="handle_node"):
        build_plan(modules=modules)


def test_asset_key_collision_is_a_clear_error() -> None:
    graph = GenGraph(
        nodes=(
            GenNode("a_node", (), False, False, None, None, 0),
            GenNode("b_node", (0,), False, False, None, None, 0),
            GenNode("c_node", (0,), False, False, None, None, 0),
        ),
        modules=1,
    )
    with imported(graph) as modules:
        source = Path(modules[0].__file__ or "")
        text = source.read_text().replace("def b_node", '@tag(asset="same/key")\ndef b_node')
        text = text.replace("def c_node", '@tag(asset="same/key")\ndef c_node')
        source.write_text(text)
        module = importlib.reload(modules[0])
        with pytest.raises(PlanError, match="same/key"):
            build_plan(modules=[module])


def test_merging_for_a_shared_handle_that_closes_a_cycle_merges_the_cycle() -> None:
    # h (a Handle) feeds p and r; p -> q -> r are tagged assets. Keeping h in one op merges the
    # ops of p and r, which q sits between: the cycle p/r -> q -> p/r becomes one op.
    graph = GenGraph(
        nodes=(
            GenNode("h_node", (), True, False, None, None, 0),
            GenNode("p_node", (0,), False, False, "true", None, 0),
            GenNode("q_node", (1,), False, False, "true", None, 0),
            GenNode("r_node", (2, 0), False, False, "true", None, 0),
        ),
        modules=1,
    )
    with imported(graph) as modules:
        plan = build_plan(modules=modules, config={"seed_value": 1})
        assert_plan_invariants(plan, modules, graph)
    (op,) = plan.ops
    assert op.nodes == ("h_node", "p_node", "q_node", "r_node")
    assert [a.node for a in op.assets] == ["p_node", "q_node", "r_node"]
    assert op.name == "p_node"  # no common key prefix: named after its first asset


def test_translator_hooks_change_keys_persistability_and_priority() -> None:
    from hamilton.graph_types import HamiltonNode

    from orchestration.translator import HamiltonDagsterTranslator, default_is_persistable

    class SalesTranslator(HamiltonDagsterTranslator):
        def get_asset_key_path(self, node: HamiltonNode) -> tuple[str, ...]:
            return ("sales", *super().get_asset_key_path(node))

        def is_persistable(self, node: HamiltonNode) -> bool:
            return node.name != "order_lines" and default_is_persistable(node)

        def get_priority(self, op_name: str, computed_priority: int) -> int:
            return computed_priority + (10_000 if op_name == "sales" else 0)

    plan = build_plan(modules=[sales_dataflow], translator=SalesTranslator())
    assert all(a.key[0] == "sales" for a in plan.assets)
    # order_lines cannot cross ops any more: everything it feeds is pulled into one op
    holder = plan.op_for_node("order_lines")
    for consumer in ("revenue_by_region", "top_skus", "average_order_value_raw"):
        assert plan.op_for_node(consumer) is holder
    assert not any(a.node == "order_lines" for a in plan.assets)
    ops = {op.name: op for op in plan.ops}
    assert ops["sales"].nodes == holder.nodes  # common key prefix of its assets
    assert ops["sales"].priority >= 10_000
    assert {a.key for a in holder.assets} >= {("sales", "total_revenue"), ("sales", "sales_report")}


def test_graph_of_inputs_only_and_no_modules() -> None:
    import types

    empty = types.ModuleType("plan_empty_module")
    plan = build_plan(modules=[empty], config={"only_config": 1})
    assert plan.ops == () and plan.external_inputs == ()
    with pytest.raises(PlanError, match="at least one"):
        build_plan(modules=[])
