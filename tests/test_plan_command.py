"""`codeintel plan` on the sales fixture (``--modules`` keeps it independent of the dataflow)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from orchestration import cli
from orchestration.partition import build_plan
from orchestration.plan_command import main, parse_config
from tests.fixtures import sales_dataflow

SALES = ["--modules", "tests.fixtures.sales_dataflow"]


def test_table_lists_ops_by_priority(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["plan", *SALES, "--config", "fx_rate=1.5"]) == 0
    out = capsys.readouterr().out
    rows = [line.split()[0] for line in out.splitlines()[2:] if line[:1].isalpha()][:4]
    assert rows == ["order_lines", "total_revenue", "average_order_value", "sales_report"]
    assert "total_revenue (check) [range_validator:fail]" in out
    assert "inputs: orders_path" in out  # fx_rate is config, not an input
    assert "articulation points (single points of failure): order_lines" in out


def test_json_is_the_plan_artifact(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*SALES, "--json", "--config", "fx_rate=2", "label=eu"]) == 0
    out = capsys.readouterr().out
    expected = build_plan(modules=[sales_dataflow], config={"fx_rate": 2, "label": "eu"})
    assert out == expected.to_json()
    assert json.loads(out)["config"] == {"fx_rate": 2, "label": "eu"}


def test_parse_config_values() -> None:
    assert parse_config(["a=1", "b=true", 'c=["x"]', "d=plain text", "e="]) == {
        "a": 1,
        "b": True,
        "c": ["x"],
        "d": "plain text",
        "e": "",
    }


def test_timings_file_weighs_priorities(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    timings = tmp_path / "timings.json"
    timings.write_text(json.dumps({"average_order_value_raw": 30.0}))
    assert main([*SALES, "--json", "--timings", str(timings)]) == 0
    plan = json.loads(capsys.readouterr().out)
    priority = {op["name"]: op["priority"] for op in plan["ops"]}
    assert priority["average_order_value"] > priority["total_revenue"]


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not JSON"), ("[1, 2]", "must hold an object"), ('{"a": -1}', "invalid")],
)
def test_bad_timings_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    timings = tmp_path / "timings.json"
    timings.write_text(content)
    assert main([*SALES, "--timings", str(timings)]) == 2
    assert message in capsys.readouterr().err


def test_bad_arguments_are_clear_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--modules", "no_such_module_xyz"]) == 2
    assert "cannot import module 'no_such_module_xyz'" in capsys.readouterr().err
    assert main([*SALES, "--config", "novalue"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err


def test_dot_marks_ops_boundaries_bridges(tmp_path: Path) -> None:
    target = tmp_path / "out" / "plan.dot"
    assert main([*SALES, "--dot", str(target)]) == 0
    dot = target.read_text()
    assert dot.startswith("digraph plan {") and dot.rstrip().endswith("}")
    for op in ("order_lines", "total_revenue", "average_order_value", "sales_report"):
        assert f'subgraph "cluster_{op}"' in dot
    assert '"order_lines" [fillcolor=' in dot and "peripheries=2" in dot
    assert "shape=diamond" in dot  # order_lines is an articulation point
    assert '"orders" -> "order_lines" [color="#d62728", penwidth=3];' in dot  # the bridge
    assert '"orders_path" [shape=ellipse, style=dashed' in dot


def test_svg_needs_graphviz(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "plan.svg"
    code = main([*SALES, "--svg", str(target)])
    if shutil.which("dot") is None:
        assert code == 2 and not target.exists()
        assert "Graphviz `dot`" in capsys.readouterr().err
    else:
        assert code == 0 and "<svg" in target.read_text()
