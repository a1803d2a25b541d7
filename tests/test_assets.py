"""The code-intelligence dataflow as Dagster assets: all, a subset, bad partitions, same bytes as build.

Real Hamilton (``hamilton_modules``), real Dagster (``dagster.materialize`` on a temporary local
instance with the ``repos`` dynamic partitions and the registry), on a small repository written here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from dagster import (
    AssetKey,
    AssetsDefinition,
    AssetSelection,
    DagsterInstance,
    DynamicPartitionsDefinition,
    ExecuteInProcessResult,
    materialize,
)

from hamilton_modules import DATAFLOW_MODULES, dataflow_config
from orchestration.assets import hamilton_assets
from orchestration.definitions import TRANSLATOR, build_command
from orchestration.io_manager import HamiltonIOManager
from orchestration.registry import path_input_from_registry, register_partition

PYTHON_SOURCE = '''import os


class Greeter:
    """Says hello."""

    def greet(self, name):
        return helper(name)


def helper(name):
    return os.path.join("hello", name)
'''
RUST_SOURCE = "fn main() {\n    helper();\n}\n\nfn helper() {}\n"


@pytest.fixture(scope="module")
def code_assets() -> list[AssetsDefinition]:
    return hamilton_assets(
        modules=DATAFLOW_MODULES,
        config=dataflow_config(),
        partitions_def=DynamicPartitionsDefinition(name="repos"),
        translator=TRANSLATOR,
        inputs=path_input_from_registry("repo_path"),
    )


def _write_repo(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "greeter.py").write_text(PYTHON_SOURCE)
    (root / "main.rs").write_text(RUST_SOURCE)
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return _write_repo(tmp_path / "demo repo")


def _materialize(
    assets: list[AssetsDefinition],
    instance: DagsterInstance,
    warehouse: Path,
    key: str,
    selection: Any = None,
) -> ExecuteInProcessResult:
    return materialize(
        assets,
        instance=instance,
        partition_key=key,
        resources={"io_manager": HamiltonIOManager(warehouse=str(warehouse))},
        selection=selection,
        raise_on_error=False,
    )


def _materialized(result: ExecuteInProcessResult) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        found[materialization.asset_key.to_user_string()] = {
            key: value.value for key, value in materialization.metadata.items()
        }
    return found


@dataclass(frozen=True)
class FullRun:
    instance: DagsterInstance
    repo: Path
    key: str
    warehouse: Path
    result: ExecuteInProcessResult


@pytest.fixture(scope="module")
def full_run(
    code_assets: list[AssetsDefinition], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FullRun]:
    """One materialization of every asset, shared by the tests that only read its outputs."""
    base = tmp_path_factory.mktemp("full_run")
    repo = _write_repo(base / "demo repo")
    (base / "home").mkdir()
    with DagsterInstance.local_temp(str(base / "home")) as instance:
        key = register_partition(instance=instance, partitions_name="repos", path=repo).key
        warehouse = base / "warehouse"
        result = _materialize(code_assets, instance, warehouse, key)
        yield FullRun(instance=instance, repo=repo, key=key, warehouse=warehouse, result=result)


def _started_steps(result: ExecuteInProcessResult) -> set[str]:
    return {event.step_key for event in result.all_events if event.is_step_start and event.step_key}


def test_all_assets_of_a_repository(code_assets: list[AssetsDefinition], full_run: FullRun) -> None:
    assert full_run.key == "demo-repo"
    result, warehouse = full_run.result, full_run.warehouse
    assert result.success
    materialized = _materialized(result)
    all_keys = {key.to_user_string() for a in code_assets for key in a.keys}
    assert set(materialized) == all_keys
    checks = result.get_asset_check_evaluations()
    assert checks and all(evaluation.passed for evaluation in checks)
    root = warehouse / full_run.key
    symbols = pl.read_parquet(root / "python" / "symbols.parquet")
    assert {"Greeter", "greet", "helper"} <= set(symbols["name"].to_list())
    assert materialized["python/symbols"]["dagster/row_count"] == symbols.height
    files = pl.read_parquet(root / "repo" / "files.parquet")
    assert {"pkg/greeter.py", "main.rs"} <= set(files["path"].to_list())
    rust = pl.read_parquet(root / "rust" / "symbols.parquet")
    assert {"main", "helper"} <= set(rust["name"].to_list())
    # Definition metadata: group per language, Hamilton code version, code references.
    specs = {
        key.to_user_string(): spec for a in code_assets for key, spec in a.specs_by_key.items()
    }
    assert specs["python/symbols"].group_name == "python"
    assert specs["rust/calls"].group_name == "rust"
    assert specs["python/symbols"].code_version
    assert "dagster/code_references" in specs["python/symbols"].metadata
    # Check results are stored per partition in the instance.
    check_key = next(iter(next(a for a in code_assets if a.check_specs).check_keys))
    record = full_run.instance.get_latest_asset_check_evaluation_record(check_key)
    assert record is not None and record.partition == full_run.key


def test_subset_computes_only_the_selected_language_symbols(
    code_assets: list[AssetsDefinition], instance: DagsterInstance, repo: Path, tmp_path: Path
) -> None:
    key = register_partition(instance=instance, partitions_name="repos", path=repo).key
    warehouse = tmp_path / "warehouse"
    assert _materialize(code_assets, instance, warehouse, key, ["repo/inventory"]).success
    result = _materialize(code_assets, instance, warehouse, key, ["python/symbols"])
    assert result.success
    assert set(_materialized(result)) == {"python/symbols"}
    python_step = next(a.op.name for a in code_assets if AssetKey(["python", "symbols"]) in a.keys)
    assert _started_steps(result) == {python_step}
    timings = _materialized(result)["python/symbols"]["hamilton/timings"]
    # Only the python symbols sub-DAG ran: no other language, no calls/imports tables.
    assert timings and all(name.startswith("python.") for name in timings)
    assert "python.symbols_raw" in timings
    assert not any(name.startswith(("python.calls", "python.imports")) for name in timings)
    stored = sorted(p.relative_to(warehouse / key).as_posix() for p in warehouse.rglob("*.parquet"))
    assert stored == ["python/symbols.parquet", "repo/inventory.parquet"]


def test_subset_by_group_runs_one_language(
    code_assets: list[AssetsDefinition], instance: DagsterInstance, repo: Path, tmp_path: Path
) -> None:
    key = register_partition(instance=instance, partitions_name="repos", path=repo).key
    warehouse = tmp_path / "warehouse"
    selection = AssetSelection.groups("python") | AssetSelection.assets(["repo", "inventory"])
    result = _materialize(code_assets, instance, warehouse, key, selection)
    assert result.success
    assert {k.split("/")[0] for k in _materialized(result)} == {"python", "repo"}


def test_unknown_partition_key_fails_before_any_work(
    code_assets: list[AssetsDefinition], instance: DagsterInstance, tmp_path: Path
) -> None:
    # Known to Dagster, unknown to the registry: the first op fails with the registry's message.
    instance.add_dynamic_partitions("repos", ["ghost"])
    warehouse = tmp_path / "warehouse"
    result = _materialize(code_assets, instance, warehouse, "ghost")
    assert not result.success
    assert _materialized(result) == {}
    failures = [event for event in result.all_events if event.is_step_failure]
    assert failures
    message = str(failures[0].step_failure_data.error)
    assert "partition key 'ghost' is not registered" in message
    assert "codeintel repos add" in message
    assert not warehouse.exists()


def test_vanished_repository_fails_before_any_work(
    code_assets: list[AssetsDefinition], instance: DagsterInstance, tmp_path: Path
) -> None:
    repo = tmp_path / "shortlived"
    repo.mkdir()
    key = register_partition(instance=instance, partitions_name="repos", path=repo).key
    repo.rmdir()
    result = _materialize(code_assets, instance, tmp_path / "warehouse", key)
    assert not result.success
    assert _materialized(result) == {}
    message = str(next(e for e in result.all_events if e.is_step_failure).step_failure_data.error)
    assert "no longer exists" in message


def test_dagster_outputs_are_byte_identical_to_build(full_run: FullRun, tmp_path: Path) -> None:
    assert full_run.result.success
    repo, key, warehouse = full_run.repo, full_run.key, full_run.warehouse
    out = tmp_path / "build"
    assert build_command([str(repo), "--out", str(out)]) == 0  # `codeintel build REPO --out DIR`
    built = {p.relative_to(out).as_posix(): p for p in out.rglob("*.parquet")}
    assert {"repo/files.parquet", "python/symbols.parquet", "cpg/nodes.parquet"} <= set(built)
    for relative, path in sorted(built.items()):
        assert (warehouse / key / relative).read_bytes() == path.read_bytes(), relative
