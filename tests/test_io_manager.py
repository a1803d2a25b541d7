"""The partition-aware IO manager: layout, round trips, guards, and its resource defaults."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pytest
from dagster import (
    AssetKey,
    AssetsDefinition,
    StaticPartitionsDefinition,
    asset,
    build_input_context,
    build_output_context,
    materialize,
)

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
from orchestration.storage import STORED_RECORDS_FOLDER, StorageError, as_arrow, write_value


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


# --- the run's hand-off of tables between steps (real Dagster runs, real files) ----------------


def _chain(seen: dict[str, Any]) -> list[AssetsDefinition]:
    """``table`` -> ``rewritten`` (replaces table's file on disk, as another writer would) ->
    ``consumer`` (loads ``table``); ``first_reader`` loads ``table`` before the rewrite."""

    @asset(required_resource_keys={"io_manager"})
    def table() -> pl.DataFrame:
        return pl.DataFrame({"a": [1, 2]})

    @asset(required_resource_keys={"io_manager"})
    def first_reader(context, table: pl.DataFrame) -> list[int]:
        manager = context.resources.io_manager
        seen["manager"] = manager
        seen["held"] = len(manager.handoff) if manager.handoff is not None else None
        return table["a"].to_list()

    @asset(deps=[first_reader], required_resource_keys={"io_manager"})
    def rewritten(context) -> int:  # no annotation: PEP 563 strings
        root = context.resources.io_manager.root_for(None)
        write_value(root, ("table",), pl.DataFrame({"a": [7, 8, 9]}))  # no hand-off: a stranger
        return 3

    @asset(deps=[rewritten])
    def consumer(table: pl.DataFrame) -> list[int]:
        return table["a"].to_list()

    return [table, first_reader, rewritten, consumer]


def test_a_run_serves_tables_from_memory_only_while_their_files_are_unchanged(
    tmp_path: Path,
) -> None:
    seen: dict[str, Any] = {}
    result = materialize(
        _chain(seen), resources={"io_manager": HamiltonIOManager(warehouse=str(tmp_path))}
    )
    assert result.success
    assert result.output_for_node("first_reader") == [1, 2]
    assert seen["held"] == 1  # the table written by the step before
    # The file was replaced between the steps: the consumer gets the file's value, not memory's.
    assert result.output_for_node("consumer") == [7, 8, 9]
    assert seen["manager"].handoff is None  # torn down with the run: nothing held any more


def test_a_zero_budget_turns_the_hand_off_off(tmp_path: Path) -> None:
    seen: dict[str, Any] = {}
    manager = HamiltonIOManager(warehouse=str(tmp_path), handoff_megabytes=0)
    result = materialize(_chain(seen), resources={"io_manager": manager})
    assert result.success
    assert seen["held"] is None
    assert result.output_for_node("consumer") == [7, 8, 9]


def test_outside_a_run_every_load_reads_its_file(tmp_path: Path) -> None:
    manager = HamiltonIOManager(warehouse=str(tmp_path))
    manager.store_value(key_path=("t",), partition_key="r", value=pl.DataFrame({"a": [1]}))
    assert manager.handoff is None
    write_value(tmp_path / "r", ("t",), pl.DataFrame({"a": [2]}))
    assert manager.load_value(key_path=("t",), partition_key="r")["a"].to_list() == [2]


def test_runs_of_several_partitions_in_threads_each_get_their_own_tables(tmp_path: Path) -> None:
    partitions = StaticPartitionsDefinition([f"p{i}" for i in range(4)])

    @asset(partitions_def=partitions)
    def table(context) -> pl.DataFrame:  # no annotation: PEP 563 strings
        return pl.DataFrame({"key": [context.partition_key] * 3, "n": [1, 2, 3]})

    @asset(partitions_def=partitions)
    def consumer(table: pl.DataFrame) -> list[str]:
        return table["key"].unique().to_list()

    manager = HamiltonIOManager(warehouse=str(tmp_path))

    def run(key: str) -> list[str]:
        result = materialize(
            [table, consumer], partition_key=key, resources={"io_manager": manager}
        )
        assert result.success
        return result.output_for_node("consumer")

    keys = [f"p{i}" for i in range(4)] * 2  # each partition twice: later runs rewrite the files
    with ThreadPoolExecutor(max_workers=4) as pool:
        seen = list(pool.map(run, keys))
    assert seen == [[key] for key in keys]
    assert manager.handoff is None  # the configured object is only a template for the runs


def test_a_run_tags_the_warehouse_before_its_first_step(tmp_path: Path) -> None:
    """``orchestration.cachedir``: a warehouse is tagged with its first file, and an existing one
    before a run's first step (the inventory runs before anything is written), also one written
    before tags existed: tagged as found."""
    from orchestration.cachedir import holds_tag

    seen: dict[str, bool] = {}
    warehouse = tmp_path / "repo" / "warehouse"

    @asset
    def first() -> int:
        seen["tagged"] = holds_tag(warehouse)
        return 1

    io_manager = HamiltonIOManager(warehouse=str(warehouse))
    assert materialize([first], resources={"io_manager": io_manager}).success
    assert not seen["tagged"]  # no warehouse yet: made by the write
    assert holds_tag(warehouse)
    assert holds_tag(warehouse / UNPARTITIONED_FOLDER)  # as a build's --out folder
    (warehouse / "CACHEDIR.TAG").unlink()
    assert (warehouse / UNPARTITIONED_FOLDER / "first.json").is_file()
    assert materialize([first], resources={"io_manager": io_manager}).success
    assert seen["tagged"]


def test_a_warehouse_or_partition_folder_holding_the_users_files_is_never_tagged(
    tmp_path: Path,
) -> None:
    """``warehouse='projects'`` (holding the user's notes.txt) and partition ``myrepo`` (their
    project's folder, holding a.py): both were tagged, hiding the user's files from the walk and
    from backups. A folder of the user's is never tagged; a partition's folder codeintel makes is,
    and a warehouse written before tags existed (partitions' values and records) is ours."""
    from orchestration import io_manager
    from orchestration.cachedir import holds_tag

    projects = tmp_path / "projects"
    (projects / "myrepo").mkdir(parents=True)
    (projects / "notes.txt").write_text("todo\n")
    (projects / "myrepo" / "a.py").write_text("x = 1\n")
    manager = HamiltonIOManager(warehouse=str(projects))
    table = pl.DataFrame({"a": [1]})
    manager.store_value(key_path=("repo", "files"), partition_key="myrepo", value=table)
    assert not holds_tag(projects) and not holds_tag(projects / "myrepo")
    manager.store_value(key_path=("repo", "files"), partition_key="other", value=table)
    assert holds_tag(projects / "other") and not holds_tag(projects)

    old = tmp_path / "old"
    write_value(old / "p", ("repo", "files"), table, token="t1")
    write_value(old / "p", ("manifest",), {"n": 1})
    assert (old / "p" / STORED_RECORDS_FOLDER / "repo" / "files.json").is_file()
    (old / "q").mkdir()  # a partition's folder made ahead
    assert io_manager._STORED_RECORDS == STORED_RECORDS_FOLDER
    manager = HamiltonIOManager(warehouse=str(old))
    manager.store_value(key_path=("cpg", "nodes"), partition_key="p", value=table)
    assert holds_tag(old) and holds_tag(old / "p")
