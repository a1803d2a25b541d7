"""The full dataflow on a small Python repository: exact rows of every published table."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest
from hamilton import driver

import hamilton_modules
from hamilton_modules import dataflow_config, schemas
from hamilton_modules.cpg_model import node_id
from tests.dataflow_support import rows, run_dataflow, write_repo

MODELS = """\
class Base:
    def save(self):
        return self.validate()

    def validate(self):
        return True


class User(Base):
    def greet(self, other):
        return format_name(other)


def format_name(user):
    return str(user).title()
"""

SERVICE = """\
from app.models import User, format_name as fmt
from . import models
import os.path


def run(names):
    users = [User() for _ in names]
    for user in users:
        user.save()
    models.format_name(names[0])
    return fmt(os.path.join("a", "b"))


def outer():
    def inner():
        return 1

    return inner()
"""


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pl.DataFrame]:
    repo = write_repo(
        tmp_path_factory.mktemp("pyrepo"),
        {"app/__init__.py": "", "app/models.py": MODELS, "app/service.py": SERVICE},
    )
    return run_dataflow(repo, languages=["python"])


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def describe_nodes(nodes: pl.DataFrame) -> dict[str, str]:
    """Node id -> "LABEL:qualified name" (unique in these small repositories)."""
    labels = nodes["label"] + ":" + nodes["qualified_name"].fill_null("")
    return {str(key): str(value) for key, value in zip(nodes["id"], labels, strict=True)}


def described_edges(tables: dict[str, pl.DataFrame], label: str) -> list[tuple[str, str, bool]]:
    names = describe_nodes(tables["cpg_nodes"])
    edges = tables["cpg_edges"].filter(pl.col("label") == label)
    described = [
        (names[str(src)], names.get(str(dst), str(dst)), bool(resolved))
        for src, dst, _, resolved in edges.iter_rows()
    ]
    return sorted(described)


def test_files_table(tables: dict[str, pl.DataFrame]) -> None:
    assert rows(tables["files"]) == [
        ("app/__init__.py", "python", 0, 0, _sha(""), "ok", None, 0),
        ("app/models.py", "python", len(MODELS), 15, _sha(MODELS), "ok", None, 0),
        ("app/service.py", "python", len(SERVICE), 18, _sha(SERVICE), "ok", None, 0),
    ]


def test_symbols_are_module_qualified(tables: dict[str, pl.DataFrame]) -> None:
    assert rows(tables["python.symbols"]) == [
        ("python", "app/models.py", "class", "Base", "app.models.Base", None, 1, 0, 6, 19, None, None, None, None, None, None, None, 0),
        ("python", "app/models.py", "method", "save", "app.models.Base.save", "app.models.Base", 2, 4, 3, 30, None, None, None, None, None, None, None, 0),
        ("python", "app/models.py", "method", "validate", "app.models.Base.validate", "app.models.Base", 5, 4, 6, 19, None, None, None, None, None, None, None, 0),
        ("python", "app/models.py", "class", "User", "app.models.User", None, 9, 0, 11, 33, None, None, None, None, None, None, None, 0),
        ("python", "app/models.py", "method", "greet", "app.models.User.greet", "app.models.User", 10, 4, 11, 33, None, None, None, None, None, None, None, 0),
        ("python", "app/models.py", "function", "format_name", "app.models.format_name", None, 14, 0, 15, 28, None, None, None, None, None, None, None, 0),
        ("python", "app/service.py", "function", "run", "app.service.run", None, 6, 0, 11, 38, None, None, None, None, None, None, None, 0),
        ("python", "app/service.py", "function", "outer", "app.service.outer", None, 14, 0, 18, 18, None, None, None, None, None, None, None, 0),
        ("python", "app/service.py", "function", "inner", "app.service.outer.inner", "app.service.outer", 15, 4, 16, 16, None, None, None, None, None, None, None, 0),
    ]  # fmt: skip


def test_imports_calls_inherits(tables: dict[str, pl.DataFrame]) -> None:
    assert rows(tables["python.imports"]) == [
        ("python", "app/service.py", "app.models", "User", None, None, 1, False, 0),
        ("python", "app/service.py", "app.models", "format_name", "fmt", None, 1, False, 0),
        ("python", "app/service.py", ".", "models", None, None, 2, False, 0),
        ("python", "app/service.py", None, "os.path", None, None, 3, False, 0),
    ]
    assert rows(tables["python.calls"]) == [
        ("python", "app/models.py", "self.validate", "validate", "app.models.Base.save", None, None, None, None, None, 3, 15, 0),
        ("python", "app/models.py", "format_name", "format_name", "app.models.User.greet", None, None, False, None, None, 11, 15, 0),
        ("python", "app/models.py", "str", "str", "app.models.format_name", None, None, False, None, None, 15, 11, 0),
        ("python", "app/models.py", "str(user).title", "title", "app.models.format_name", None, "str()", None, None, None, 15, 11, 0),
        ("python", "app/service.py", "User", "User", "app.service.run", None, None, False, None, None, 7, 13, 0),
        ("python", "app/service.py", "user.save", "save", "app.service.run", None, None, None, None, None, 9, 8, 0),
        ("python", "app/service.py", "models.format_name", "format_name", "app.service.run", None, None, None, None, None, 10, 4, 0),
        ("python", "app/service.py", "fmt", "fmt", "app.service.run", None, None, False, None, None, 11, 11, 0),
        ("python", "app/service.py", "os.path.join", "join", "app.service.run", None, None, None, None, None, 11, 15, 0),
        ("python", "app/service.py", "inner", "inner", "app.service.outer", None, None, False, None, None, 18, 11, 0),
    ]  # fmt: skip
    assert rows(tables["python.inherits"]) == [
        ("python", "app/models.py", "app.models.User", "Base", "extends", 9, 0)
    ]


def test_cpg_nodes(tables: dict[str, pl.DataFrame]) -> None:
    nodes = tables["cpg_nodes"]
    described = sorted(
        rows(nodes, "label", "subkind", "name", "qualified_name", "path", "start_line", "end_line"),
        key=lambda row: (row[4], row[0], row[5] or 0, row[3]),
    )
    assert described == [
        ("FILE", None, "__init__.py", "app/__init__.py", "app/__init__.py", None, None),
        ("NAMESPACE", "file", "app", "app", "app/__init__.py", None, None),
        ("CALL", None, "validate", "self.validate", "app/models.py", 3, 3),
        ("CALL", None, "format_name", "format_name", "app/models.py", 11, 11),
        ("CALL", None, "str", "str", "app/models.py", 15, 15),
        ("CALL", None, "title", "str(user).title", "app/models.py", 15, 15),
        ("FILE", None, "models.py", "app/models.py", "app/models.py", 1, 15),
        ("METHOD", "method", "save", "app.models.Base.save", "app/models.py", 2, 3),
        ("METHOD", "method", "validate", "app.models.Base.validate", "app/models.py", 5, 6),
        ("METHOD", "method", "greet", "app.models.User.greet", "app/models.py", 10, 11),
        ("METHOD", "function", "format_name", "app.models.format_name", "app/models.py", 14, 15),
        ("NAMESPACE", "file", "app.models", "app.models", "app/models.py", 1, 15),
        ("TYPE_DECL", "class", "Base", "app.models.Base", "app/models.py", 1, 6),
        ("TYPE_DECL", "class", "User", "app.models.User", "app/models.py", 9, 11),
        ("CALL", None, "User", "User", "app/service.py", 7, 7),
        ("CALL", None, "save", "user.save", "app/service.py", 9, 9),
        ("CALL", None, "format_name", "models.format_name", "app/service.py", 10, 10),
        ("CALL", None, "fmt", "fmt", "app/service.py", 11, 11),
        ("CALL", None, "join", "os.path.join", "app/service.py", 11, 11),
        ("CALL", None, "inner", "inner", "app/service.py", 18, 18),
        ("FILE", None, "service.py", "app/service.py", "app/service.py", 1, 18),
        ("IMPORT", None, "User", "app.models.User", "app/service.py", 1, 1),
        ("IMPORT", None, "fmt", "app.models.format_name", "app/service.py", 1, 1),
        ("IMPORT", None, "models", "app.models", "app/service.py", 2, 2),
        ("IMPORT", None, "os.path", "os.path", "app/service.py", 3, 3),
        ("METHOD", "function", "run", "app.service.run", "app/service.py", 6, 11),
        ("METHOD", "function", "outer", "app.service.outer", "app/service.py", 14, 18),
        ("METHOD", "function", "inner", "app.service.outer.inner", "app/service.py", 15, 16),
        ("NAMESPACE", "file", "app.service", "app.service", "app/service.py", 1, 18),
    ]
    assert nodes["language"].unique().to_list() == ["python"]
    assert nodes["id"].to_list() == sorted(nodes["id"].to_list())


def test_node_ids_are_stable_hashes_of_position_and_name(tables: dict[str, pl.DataFrame]) -> None:
    methods = tables["cpg_nodes"].filter(pl.col("label") == "METHOD")
    for method_id, qualified_name, path, start_line in methods.select(
        "id", "qualified_name", "path", "start_line"
    ).iter_rows():
        symbol = (
            tables["python.symbols"]
            .filter((pl.col("qualified_name") == qualified_name) & (pl.col("path") == path))
            .row(0, named=True)
        )
        assert method_id == node_id(
            path=path,
            label="METHOD",
            qualified_name=qualified_name,
            start_line=start_line,
            start_column=symbol["start_column"],
        )
    # Pinned: ids must not change between versions for the same code (they are joined across runs).
    assert (
        node_id(path="a.py", label="METHOD", qualified_name="a.f", start_line=1, start_column=0)
        == hashlib.sha256(b"a.py\x1fMETHOD\x1fa.f\x1f1\x1f0").hexdigest()[:24]
    )


def test_calls_edges_resolve_by_scope_imports_and_names(tables: dict[str, pl.DataFrame]) -> None:
    assert described_edges(tables, "CALLS") == [
        ("CALL:User", "TYPE_DECL:app.models.User", True),  # a class without __init__
        ("CALL:fmt", "METHOD:app.models.format_name", True),  # imported under an alias
        ("CALL:format_name", "METHOD:app.models.format_name", True),  # same file, top level
        ("CALL:inner", "METHOD:app.service.outer.inner", True),  # nested scope
        ("CALL:models.format_name", "METHOD:app.models.format_name", True),  # relative import
        ("CALL:os.path.join", "unresolved:join", False),  # imported from outside
        ("CALL:self.validate", "METHOD:app.models.Base.validate", True),  # receiver
        ("CALL:str", "unresolved:str", False),  # builtin: bare names never go repo-wide
        ("CALL:str(user).title", "unresolved:title", False),
        ("CALL:user.save", "METHOD:app.models.Base.save", True),  # unique member name
    ]


def test_imports_inherits_and_contains_edges(tables: dict[str, pl.DataFrame]) -> None:
    assert described_edges(tables, "IMPORTS") == [
        ("IMPORT:app.models", "NAMESPACE:app.models", True),
        ("IMPORT:app.models.User", "TYPE_DECL:app.models.User", True),
        ("IMPORT:app.models.format_name", "METHOD:app.models.format_name", True),
        ("IMPORT:os.path", "unresolved:os.path", False),
    ]
    assert described_edges(tables, "INHERITS_FROM") == [
        ("TYPE_DECL:app.models.User", "TYPE_DECL:app.models.Base", True)
    ]
    contains = described_edges(tables, "CONTAINS")
    assert ("FILE:app/models.py", "NAMESPACE:app.models", True) in contains
    assert ("NAMESPACE:app.models", "TYPE_DECL:app.models.Base", True) in contains
    assert ("TYPE_DECL:app.models.Base", "METHOD:app.models.Base.save", True) in contains
    assert ("METHOD:app.service.outer", "METHOD:app.service.outer.inner", True) in contains
    assert ("METHOD:app.service.run", "CALL:user.save", True) in contains
    assert ("NAMESPACE:app.service", "IMPORT:os.path", True) in contains
    assert len(contains) == 26
    # Every CONTAINS edge points at a node; every node but FILE has exactly one container.
    node_ids = set(tables["cpg_nodes"]["id"].to_list())
    edges = tables["cpg_edges"].filter(pl.col("label") == "CONTAINS")
    assert set(edges["dst"].to_list()) <= node_ids
    assert edges["dst"].is_duplicated().sum() == 0
    non_files = tables["cpg_nodes"].filter(pl.col("label") != "FILE").height
    assert edges.height == non_files


def test_metrics_fan_in_fan_out_betweenness(tables: dict[str, pl.DataFrame]) -> None:
    metrics = sorted(rows(tables["cpg_metrics"], "qualified_name", "fan_in", "fan_out"))
    assert metrics == [
        ("app.models.Base.save", 1, 1),
        ("app.models.Base.validate", 1, 0),
        ("app.models.User.greet", 0, 1),
        ("app.models.format_name", 2, 0),
        ("app.service.outer", 0, 1),
        ("app.service.outer.inner", 1, 0),
        ("app.service.run", 0, 2),
    ]
    betweenness = dict(rows(tables["cpg_metrics"], "qualified_name", "betweenness"))
    # run -> save -> validate is the only path through a vertex: 1 pair / ((7-1)*(7-2)).
    assert betweenness["app.models.Base.save"] == pytest.approx(1 / 30)
    assert sum(betweenness.values()) == pytest.approx(1 / 30)


def test_every_table_has_its_arrow_schema(tables: dict[str, pl.DataFrame]) -> None:
    expected = {
        "files": schemas.FILES,
        "python.symbols": schemas.SYMBOLS,
        "python.imports": schemas.IMPORTS,
        "python.calls": schemas.CALLS,
        "python.inherits": schemas.INHERITS,
        "cpg_nodes": schemas.CPG_NODES,
        "cpg_edges": schemas.CPG_EDGES,
        "cpg_metrics": schemas.CPG_METRICS,
    }
    for name, arrow_schema in expected.items():
        assert tables[name].to_arrow().cast(arrow_schema).schema.names == arrow_schema.names


def test_empty_repository_keeps_types(tmp_path: Path) -> None:
    result = run_dataflow(tmp_path, languages=["python", "rust"])
    assert result["files"].height == 0
    assert result["rust.symbols"].height == 0
    assert result["cpg_nodes"].schema["start_line"] == pl.Int64
    assert result["rust.calls"].schema["line"] == pl.Int64
    for name in ("files", "rust.symbols", "cpg_edges", "cpg_metrics"):
        assert all(dtype != pl.Null for dtype in result[name].schema.values())


def test_languages_are_config_not_branches() -> None:
    dr = (
        driver.Builder()
        .with_modules(*hamilton_modules.DATAFLOW_MODULES)
        .with_config(dataflow_config(languages=["go"]))
        .build()
    )
    names = {variable.name for variable in dr.list_available_variables()}
    assert {"go.symbols", "go.imports", "go.calls", "go.inherits", "go.extraction", "go"} <= names
    assert not any(name.startswith(("python.", "rust.", "java.")) for name in names)
    every_language = (
        driver.Builder()
        .with_modules(*hamilton_modules.DATAFLOW_MODULES)
        .with_config(dataflow_config())
        .build()
    )
    all_names = {variable.name for variable in every_language.list_available_variables()}
    for language in hamilton_modules.LANGUAGES:
        assert f"{language}.symbols" in all_names


def test_nodes_carry_tags_and_table_outputs_are_validated() -> None:
    dr = (
        driver.Builder()
        .with_modules(*hamilton_modules.DATAFLOW_MODULES)
        .with_config(dataflow_config(languages=["python"]))
        .build()
    )
    variables = {variable.name: variable for variable in dr.list_available_variables()}
    for name in (
        "files",
        "python.symbols",
        "python.calls",
        "cpg_nodes",
        "cpg_edges",
        "cpg_metrics",
    ):
        tags = variables[name].tags
        assert {"layer", "kind", "artifact"} <= set(tags), name
        validators = {
            other
            for other, variable in variables.items()
            if variable.tags.get("hamilton.data_quality.contains_dq_results")
            and other.startswith(f"{name}_")
        }
        assert {
            f"{name}_{check}" for check in ("arrow_schema", "not_null", "unique_key", "row_count")
        } <= validators
    assert variables["python.extraction"].tags["persist"] == "false"
    assert float(variables["python.extraction"].tags["task_cost"]) > 1
    assert variables["files"].tags["asset"] == "repo/files"
    assert variables["cpg_nodes"].tags["asset"] == "cpg/nodes"


def test_dataflow_config_validates_its_options() -> None:
    config = dataflow_config(languages=["rust", "python", "rust"], workers=None)
    assert config["languages"] == ["python", "rust"]
    assert config["workers"] == 0
    assert config["hamilton.enable_power_user_mode"] is True
    with pytest.raises(ValueError, match="unknown languages"):
        dataflow_config(languages=["cobol"])
    with pytest.raises(ValueError, match="at least one"):
        dataflow_config(languages=[])
    with pytest.raises(ValueError, match="workers"):
        dataflow_config(workers=-1)


def test_repeated_rows_are_kept_with_their_ordinal(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path,
        {"m.py": "import os, os\nfrom a import b, b\n\ndef f():\n    os.sep; g(); g()\n"},
    )
    dr = (
        driver.Builder()
        .with_modules(*hamilton_modules.DATAFLOW_MODULES)
        .with_config(dataflow_config(languages=["python"], workers=1))
        .build()
    )
    result = dr.execute(
        ["python.imports", "python.imports_unique_key", "python.calls", "cpg_nodes", "cpg_edges"],
        inputs={"repo_path": str(repo)},
    )
    # One row per imported name: the repeat is numbered, not dropped.
    assert rows(result["python.imports"], "module", "name", "line", "ordinal") == [
        (None, "os", 1, 0),
        (None, "os", 1, 1),
        ("a", "b", 2, 0),
        ("a", "b", 2, 1),
    ]
    assert result["python.imports_unique_key"].passes
    assert rows(result["python.calls"], "callee", "column", "ordinal") == [
        ("g", 12, 0),
        ("g", 17, 0),
    ]
    # Each repeated import is its own CPG node, contained in the file's namespace.
    imports = result["cpg_nodes"].filter(pl.col("label") == "IMPORT")
    assert imports.height == 4
    assert imports["id"].n_unique() == 4
    contained = result["cpg_edges"].filter(
        (pl.col("label") == "CONTAINS") & pl.col("dst").is_in(imports["id"].to_list())
    )
    assert contained.height == 4


def test_constructor_calls_target_init_or_the_class(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path,
        {
            "shapes.py": (
                "class Point:\n    def __init__(self):\n        pass\n\n"
                "class Origin(Point):\n    pass\n"
            ),
            "main.py": "from shapes import Point, Origin\n\ndef make():\n    Point()\n    Origin()\n",
        },
    )
    tables = run_dataflow(repo, languages=["python"])
    assert described_edges(tables, "CALLS") == [
        ("CALL:Origin", "TYPE_DECL:shapes.Origin", True),  # inherits __init__: the class
        ("CALL:Point", "METHOD:shapes.Point.__init__", True),
    ]
    fan_in = dict(rows(tables["cpg_metrics"], "qualified_name", "fan_in"))
    assert fan_in["shapes.Point.__init__"] == 1
