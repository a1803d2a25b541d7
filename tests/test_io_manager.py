"""The partition-aware IO manager: layout, round trips, guards, and its resource defaults."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest
from dagster import AssetKey, build_input_context, build_output_context

from orchestration.io_manager import (
    UNPARTITIONED_FOLDER,
    HamiltonIOManager,
    partition_root,
    table_metadata,
)
from orchestration.resources import (
    HamiltonCacheResource,
    ReposRootResource,
    WarehouseResource,
    resolve_cache_dir,
    resolve_warehouse,
)
from orchestration.storage import StorageError, as_arrow, write_value


def test_tables_and_values_round_trip_under_the_partition_folder(tmp_path: Path) -> None:
    manager = HamiltonIOManager(warehouse=str(tmp_path))
    table = pl.DataFrame({"path": ["a.py", "b.py"], "lines": [3, 4]})
    output = build_output_context(asset_key=AssetKey(["python", "symbols"]), partition_key="repo1")
    manager.handle_output(output, table)
    stored = tmp_path / "repo1" / "python" / "symbols.parquet"
    assert stored.is_file()
    loaded = manager.load_input(
        build_input_context(asset_key=AssetKey(["python", "symbols"]), partition_key="repo1")
    )
    assert loaded.equals(table)
    manager.handle_output(build_output_context(asset_key=AssetKey(["manifest"])), {"n": 1})
    assert (tmp_path / UNPARTITIONED_FOLDER / "manifest.json").is_file()
    assert manager.load_value(key_path=("manifest",), partition_key=None) == {"n": 1}


def test_io_manager_writes_the_same_bytes_as_storage(tmp_path: Path) -> None:
    table = pa.table({"name": ["x", "y"], "count": pa.array([1, 2], type=pa.int64())})
    manager = HamiltonIOManager(warehouse=str(tmp_path / "warehouse"))
    written = manager.store_value(key_path=("cpg", "nodes"), partition_key="r", value=table)
    direct = write_value(tmp_path / "build", ("cpg", "nodes"), table)
    assert written.read_bytes() == direct.read_bytes()


@pytest.mark.parametrize("key", ["..", "../other", "a/b", "x\x00", ".", "line\nbreak"])
def test_partition_keys_that_would_escape_the_warehouse_are_refused(
    tmp_path: Path, key: str
) -> None:
    with pytest.raises(StorageError, match="refusing to store"):
        partition_root(tmp_path, key)
    assert not any(tmp_path.parent.glob("other"))


def test_missing_value_is_a_clear_error(tmp_path: Path) -> None:
    manager = HamiltonIOManager(warehouse=str(tmp_path))
    with pytest.raises(StorageError, match="no stored value for repo/files"):
        manager.load_value(key_path=("repo", "files"), partition_key="r")


def test_table_metadata_has_row_count_and_schema_even_when_empty() -> None:
    empty = pl.DataFrame(schema={"path": pl.String, "size": pl.Int64})
    metadata = table_metadata(empty)
    assert metadata["dagster/row_count"] == 0
    columns = metadata["dagster/column_schema"].columns
    assert [(c.name, c.type) for c in columns] == [("path", "large_string"), ("size", "int64")]
    assert table_metadata({"not": "a table"}) == {}


def test_table_metadata_reports_the_written_schema() -> None:
    declared = pa.schema([pa.field("label", pa.string(), nullable=False), ("weight", pa.int32())])
    frame = pl.DataFrame({"label": ["a", "b"], "weight": [1, 2]})
    columns = table_metadata(as_arrow(frame, table_schema=declared))[
        "dagster/column_schema"
    ].columns
    assert [(c.name, c.type, c.constraints.nullable) for c in columns] == [
        ("label", "string", False),
        ("weight", "int32", True),
    ]


def test_defaults_follow_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CODEINTEL_WAREHOUSE", raising=False)
    monkeypatch.delenv("CODEINTEL_CACHE_DIR", raising=False)
    assert resolve_warehouse() == tmp_path / "home" / "warehouse"
    assert resolve_cache_dir() == tmp_path / "home" / "hamilton_cache"
    assert HamiltonIOManager().warehouse_path() == tmp_path / "home" / "warehouse"
    monkeypatch.setenv("CODEINTEL_WAREHOUSE", str(tmp_path / "wh"))
    monkeypatch.setenv("CODEINTEL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CODEINTEL_REPOS_ROOT", str(tmp_path / "repos"))
    assert WarehouseResource().path() == tmp_path / "wh"
    assert HamiltonCacheResource().path() == tmp_path / "cache"
    assert ReposRootResource().path() == tmp_path / "repos"
    # Explicit configuration wins over the environment.
    assert WarehouseResource(root=str(tmp_path / "explicit")).path() == tmp_path / "explicit"
    monkeypatch.delenv("DAGSTER_HOME")
    monkeypatch.delenv("CODEINTEL_REPOS_ROOT")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CODEINTEL_CACHE_DIR")
    assert resolve_cache_dir() == tmp_path / "dagster_home" / "hamilton_cache"
    assert ReposRootResource().path() == tmp_path / "repos"
