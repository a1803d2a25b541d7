"""The parse stage on a real Dask cluster (``dask scheduler`` + two ``dask worker`` processes).

A build and a Dagster op configured with the scheduler's address send every parse chunk to the
workers (counted by the workers themselves), write the same bytes as a local build, and a cluster
that cannot be reached, or whose workers run other extraction code, fails the build with one
clear line.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance, DynamicPartitionsDefinition, materialize
from distributed import Client

from hamilton_modules import DATAFLOW_MODULES, dataflow_config
from hamilton_modules.extraction_store import DirectoryExtractionStore, extractor_version
from hamilton_modules.parse_cluster import ParseClusterError, close_clients
from hamilton_modules.parsing import SourceFile, extract_language
from orchestration.assets import hamilton_assets
from orchestration.definitions import TRANSLATOR
from orchestration.io_manager import HamiltonIOManager
from orchestration.registry import path_input_from_registry, register_partition
from tests.hardening_support import build_argv, clean_env, run_codeintel, write_polyglot_repo
from tests.servers import PROJECT, DaskCluster, dask_cluster, free_port


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskCluster]:
    with dask_cluster(tmp_path_factory.mktemp("dask"), workers=2) as started:
        with Client(started.address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        try:
            yield started
        finally:
            close_clients()  # the Dagster test's op connected from this process


def _executed_per_worker(address: str) -> dict[str, int]:
    with Client(address, timeout=30) as client:
        counts = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert isinstance(counts, dict)
    return {str(worker): int(count) for worker, count in counts.items()}


def _asset_hashes(out: Path) -> dict[str, str]:
    manifest = json.loads((out / "manifest.json").read_text())
    return {key: entry["sha256"] for key, entry in manifest["assets"].items()}


def test_build_parses_on_the_cluster_with_identical_outputs(
    cluster: DaskCluster, tmp_path: Path
) -> None:
    repo = write_polyglot_repo(tmp_path / "repo", files_per_language=30)
    # Fresh cache folders: every file is parsed by both builds.
    local = run_codeintel(build_argv(repo, tmp_path / "local", tmp_path / "c1"))
    assert local.returncode == 0, local.stderr
    before = _executed_per_worker(cluster.address)

    on_cluster = run_codeintel(
        build_argv(
            repo,
            tmp_path / "cluster",
            tmp_path / "c2",
            "--dask-scheduler",
            cluster.address,
        )
    )
    assert on_cluster.returncode == 0, on_cluster.stderr
    after = _executed_per_worker(cluster.address)
    ran = sum(after.values()) - sum(before.values())
    manifest = json.loads((tmp_path / "cluster" / "manifest.json").read_text())
    assert manifest["config"]["dask_scheduler"] == cluster.address
    # One chunk at least per language present (six), each a task on a worker.
    assert ran >= 6, (before, after)
    assert _asset_hashes(tmp_path / "cluster") == _asset_hashes(tmp_path / "local")


def test_dagster_op_parses_on_the_cluster(
    cluster: DaskCluster, tmp_path: Path, instance: DagsterInstance
) -> None:
    repo = write_polyglot_repo(tmp_path / "repo", files_per_language=10)
    warehouse = tmp_path / "warehouse"
    partitions = DynamicPartitionsDefinition(name="repos")
    assets = hamilton_assets(
        modules=DATAFLOW_MODULES,
        config=dataflow_config(languages=["python", "rust"], dask_scheduler=cluster.address),
        partitions_def=partitions,
        translator=TRANSLATOR,
        inputs=path_input_from_registry("repo_path"),
    )
    before = _executed_per_worker(cluster.address)
    register_partition(instance=instance, partitions_name="repos", path=repo, key="repo")
    result = materialize(
        assets,
        instance=instance,
        partition_key="repo",
        selection=[AssetKey(["repo", "inventory"]), AssetKey(["rust", "symbols"])],
        resources={"io_manager": HamiltonIOManager(warehouse=str(warehouse))},
    )
    assert result.success
    after = _executed_per_worker(cluster.address)
    # The inventory and the rust op ran (a subset): the rust parse stage went to the cluster.
    assert sum(after.values()) - sum(before.values()) >= 1, (before, after)
    assert (warehouse / "repo" / "rust" / "symbols.parquet").is_file()
    assert not (warehouse / "repo" / "python" / "symbols.parquet").exists()


def test_unreachable_scheduler_fails_the_build_clearly(tmp_path: Path) -> None:
    repo = write_polyglot_repo(tmp_path / "repo", files_per_language=2)
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    completed = run_codeintel(
        build_argv(repo, tmp_path / "out", tmp_path / "cache", "--dask-scheduler", address),
        env=clean_env(),
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    last = completed.stderr.strip().splitlines()[-1]
    assert last.startswith("codeintel build: "), completed.stderr
    assert f"cannot reach the Dask scheduler at {address}" in last, last
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_workers_on_other_extraction_code_are_refused_before_anything_is_stored(
    tmp_path: Path,
) -> None:
    """A worker installed from other code (here: this package with one more line in
    parsing.py, another extractor version) would send other rows, which the store would keep
    under this process's version: the parse stage fails naming both versions, nothing stored."""
    other_code = tmp_path / "other_code"
    shutil.copytree(
        PROJECT / "hamilton_modules",
        other_code / "hamilton_modules",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    with (other_code / "hamilton_modules" / "parsing.py").open("a") as parsing_source:
        parsing_source.write("# another version\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    data = b"def f():\n    g()\n"
    (repo / "a.py").write_bytes(data)
    files = [SourceFile(path="a.py", sha256=hashlib.sha256(data).hexdigest(), size=len(data))]
    store = DirectoryExtractionStore(tmp_path / "store")
    worker_env = {**os.environ, "PYTHONPATH": str(other_code)}
    with dask_cluster(tmp_path / "dask", workers=1, worker_env=worker_env) as started:
        try:
            with pytest.raises(ParseClusterError) as raised:
                extract_language(
                    language="python",
                    root=str(repo),
                    files=files,
                    workers=1,
                    store=store,
                    dask_scheduler=started.address,
                )
        finally:
            close_clients()
    message = str(raised.value)
    versions = re.search(r"extractor version (\w{16}) on the workers, (\w{16}) here", message)
    assert versions is not None, message
    assert versions.group(2) == extractor_version()[:16] != versions.group(1), message
    assert store.entry_count() == 0
