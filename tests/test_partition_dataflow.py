"""The real code location's dataflow, planned through the same public call as any other graph."""

from __future__ import annotations

from orchestration.partition import build_plan

FAMILIES = {"symbols", "imports", "calls", "inherits"}


def test_dataflow_plan_per_language_ops_inventory_and_cpg() -> None:
    from orchestration.definitions import DATAFLOW_CONFIG, DATAFLOW_MODULES

    plan = build_plan(modules=DATAFLOW_MODULES, config=DATAFLOW_CONFIG)
    ops = {op.name: op for op in plan.ops}
    # every op materializes something: a public helper of a driver module is a node, and one
    # without parameters an op of its own (1581b50's ``flush_frame_writes``: an empty op per
    # language in the Dagster job)
    assert [op.name for op in plan.ops if not op.assets] == []
    languages = list(DATAFLOW_CONFIG["languages"])
    assert languages
    for language in languages:
        op = ops[language]  # one op per language, named after it
        keys = {asset.key for asset in op.assets}
        assert {(language, family) for family in FAMILIES} <= keys
        assert all(key[0] == language for key in keys)
        # the non-persistable parse state never leaves the language op
        assert all(node.startswith(f"{language}.") or node == language for node in op.nodes), (
            op.nodes
        )

    # the inventory is its own asset, a single point of failure everything depends on
    (inventory_op,) = [
        op for op in plan.ops if any(a.key == ("repo", "inventory") for a in op.assets)
    ]
    (inventory,) = [a for a in inventory_op.assets if a.key == ("repo", "inventory")]
    assert "articulation_point" in inventory.reasons
    assert inventory.node in plan.analysis.articulation_points
    assert inventory_op.external_inputs == ("repo_path",)
    for language in languages:
        assert inventory_op.name in {u.op for u in ops[language].upstream}

    # CPG assets are downstream of every language op
    cpg_ops = [op for op in plan.ops if any(a.key[0] == "cpg" for a in op.assets)]
    cpg_keys = {a.key for op in cpg_ops for a in op.assets}
    assert {("cpg", "nodes"), ("cpg", "edges")} <= cpg_keys
    upstream_of_cpg = {u.op for op in cpg_ops for u in op.upstream}
    assert set(languages) <= upstream_of_cpg
    # the inventory runs first, the last CPG step last
    assert inventory_op.priority == max(op.priority for op in plan.ops)
    assert min(op.priority for op in cpg_ops) == min(op.priority for op in plan.ops)


def test_dataflow_plan_same_bytes_under_other_hash_seeds() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    script = (
        "from orchestration.definitions import DATAFLOW_CONFIG, DATAFLOW_MODULES\n"
        "from orchestration.partition import build_plan\n"
        "print(build_plan(modules=DATAFLOW_MODULES, config=DATAFLOW_CONFIG).to_json())\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)},
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "977")
    }
    assert len(outputs) == 1


def test_dataflow_checks_keep_their_importance_inside_parameterized_subdags() -> None:
    """Validators of namespaced nodes are wrapped by Hamilton; their importance must survive."""
    from orchestration.definitions import DATAFLOW_CONFIG, DATAFLOW_MODULES

    plan = build_plan(modules=DATAFLOW_MODULES, config=DATAFLOW_CONFIG)
    by_key = {asset.key: asset for asset in plan.assets}
    for language in DATAFLOW_CONFIG["languages"]:
        importance = {
            check.name: check.importance for check in by_key[(language, "symbols")].checks
        }
        assert importance["arrow_schema"] == "fail"
        assert importance["unique_key"] == "fail"
        assert importance["row_count"] == "warn"
