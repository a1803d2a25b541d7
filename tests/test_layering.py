"""The one direction of imports (DESIGN.md): the dataflow never knows about Dagster or the
orchestration layer, and the generic layer knows the dataflow only in its code location."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CODE_LOCATION = ROOT / "orchestration" / "definitions.py"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            modules.add(node.args[0].value)
    return modules


def _top_level(modules: set[str]) -> set[str]:
    return {module.split(".")[0] for module in modules}


@pytest.mark.parametrize(
    "path", sorted((ROOT / "hamilton_modules").rglob("*.py")), ids=lambda p: p.name
)
def test_dataflow_never_imports_dagster_or_orchestration(path: Path) -> None:
    forbidden = _top_level(_imported_modules(path)) & {"dagster", "orchestration"}
    assert not forbidden, f"{path.relative_to(ROOT)} imports {sorted(forbidden)}"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "orchestration").rglob("*.py")), ids=lambda p: p.name
)
def test_orchestration_imports_the_dataflow_only_in_the_code_location(path: Path) -> None:
    imports_dataflow = "hamilton_modules" in _top_level(_imported_modules(path))
    assert not imports_dataflow or path == CODE_LOCATION, (
        f"{path.relative_to(ROOT)} imports hamilton_modules; only the code location may"
    )


def test_the_code_location_does_wire_the_dataflow() -> None:
    assert "hamilton_modules" in _top_level(_imported_modules(CODE_LOCATION))
