"""Caching on the real code-intelligence dataflow: per-file re-parsing, Dagster no-change runs,
four concurrent materializations sharing one cache and one warehouse.

Real Hamilton, real Dagster, the real ``codeintel`` commands (in subprocesses where a test needs
separate processes). Outputs are compared byte for byte with an uncached ``codeintel build``.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from dagster import DagsterInstance, DynamicPartitionsDefinition, materialize

from hamilton_modules import DATAFLOW_MODULES, dataflow_config
from orchestration.assets import hamilton_assets
from orchestration.cache_command import cache_report
from orchestration.caching import cache_config
from orchestration.definitions import CACHE_DIRECTORY_INPUTS, TRANSLATOR, build_command
from orchestration.io_manager import HamiltonIOManager
from orchestration.registry import path_input_from_registry, register_partition
from orchestration.resources import HamiltonCacheResource
from tests.dataflow_support import write_repo
from tests.hardening_support import CODEINTEL

PYTHON_FILES = {
    f"pkg/module_{index}.py": (
        f"import os\n\n\nclass Thing{index}:\n    def run(self):\n        return helper_{index}()\n"
        f"\n\ndef helper_{index}():\n    return os.path.join('a', '{index}')\n"
    )
    for index in range(5)
}
RUST_FILES = {"src/main.rs": "fn main() {\n    helper();\n}\n\nfn helper() {}\n"}
CHANGED = "pkg/module_3.py"


def _repo(root: Path) -> Path:
    return write_repo(root, {**PYTHON_FILES, **RUST_FILES})


def _store_entries(cache_root: Path) -> int:
    from hamilton_modules.extraction_store import DirectoryExtractionStore

    return DirectoryExtractionStore(cache_root / "files").entry_count()


def _build(repo: Path, out: Path, *options: str) -> None:
    argv = [str(repo), "--out", str(out), "--workers", "1", "--languages", "python", "rust"]
    assert build_command([*argv, *options]) == 0


def _parquet_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.parquet"))}


def test_one_changed_file_reparses_one_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    cache_root = tmp_path / "cache"
    _build(repo, tmp_path / "out", "--cache-dir", str(cache_root))
    first_entries = _store_entries(cache_root)
    assert first_entries == len(PYTHON_FILES) + len(RUST_FILES)

    (repo / CHANGED).write_text(PYTHON_FILES[CHANGED] + "\n\ndef added():\n    return 1\n")
    _build(repo, tmp_path / "out", "--cache-dir", str(cache_root))
    # Exactly one new content was parsed and stored; every other file came from the store.
    assert _store_entries(cache_root) == first_entries + 1

    # The Hamilton cache: the python tables ran again, the rust ones came from the cache.
    manifest_cache = _manifest(tmp_path / "out")["cache"]
    outcomes: dict[str, str] = {}
    for report in cache_report(
        config=cache_config(root=cache_root), run=manifest_cache["build_id"]
    ):
        outcomes.update(report.nodes)
    assert outcomes["python.symbols"] == "miss"
    assert outcomes["rust.symbols"] == "hit"
    assert outcomes["rust.extraction"] == "recomputed"
    # The new function has no call and no import: those tables of python are not made again
    # (their rows' digests are unchanged), from the extracted rows to the checked table.
    assert outcomes["python.calls_rows"] == outcomes["python.symbols_rows"] == "recomputed"
    for node in ("python.calls_extracted", "python.calls.repo_enclosing", "python.calls_raw"):
        assert outcomes[node] == "hit", node
    assert outcomes["python.imports_raw"] == "hit"
    assert outcomes["python.symbols_raw"] == "miss"
    # Every file's parse error count is as it was: that table is not made again either.
    assert outcomes["python.error_counts"] == "recomputed"
    assert outcomes["python.parse_errors_raw"] == "hit"

    # Same bytes as a build without any cache.
    _build(repo, tmp_path / "uncached", "--no-cache")
    assert _parquet_bytes(tmp_path / "out") == _parquet_bytes(tmp_path / "uncached")
    changed_symbols = (tmp_path / "out" / "python" / "symbols.parquet").read_bytes()
    assert b"added" in changed_symbols

    # A call added to the same file: now its calls table is made again, and still right.
    (repo / CHANGED).write_text(PYTHON_FILES[CHANGED] + "\n\ndef added():\n    return len([])\n")
    _build(repo, tmp_path / "out", "--cache-dir", str(cache_root))
    build_id = _manifest(tmp_path / "out")["cache"]["build_id"]
    outcomes = {}
    for report in cache_report(config=cache_config(root=cache_root), run=build_id):
        outcomes.update(report.nodes)
    assert outcomes["python.calls_raw"] == "miss"
    assert outcomes["python.imports_raw"] == "hit"
    _build(repo, tmp_path / "uncached", "--no-cache")
    assert _parquet_bytes(tmp_path / "out") == _parquet_bytes(tmp_path / "uncached")

    # A syntax error: that file's parse error count changed, the table is made again.
    (repo / CHANGED).write_text(PYTHON_FILES[CHANGED] + "\n\ndef added(:\n")
    _build(repo, tmp_path / "out", "--cache-dir", str(cache_root))
    assert _outcomes(tmp_path / "out", cache_root)["python.parse_errors_raw"] == "miss"
    _build(repo, tmp_path / "uncached", "--no-cache")
    assert _parquet_bytes(tmp_path / "out") == _parquet_bytes(tmp_path / "uncached")


def _outcomes(out: Path, cache_root: Path) -> dict[str, str]:
    """The Hamilton cache's outcome per node of the build that wrote ``out``."""
    outcomes: dict[str, str] = {}
    build_id = _manifest(out)["cache"]["build_id"]
    for report in cache_report(config=cache_config(root=cache_root), run=build_id):
        outcomes.update(report.nodes)
    return outcomes


def test_the_manifest_tables_are_cache_hits_when_only_source_files_change(tmp_path: Path) -> None:
    """``rust_crates`` and ``go_modules`` take the Cargo.toml / go.mod rows of the inventory
    (``cargo_manifests``, ``go_manifests``), not the whole inventory: an edit of a source file
    leaves them cache hits; an edit of a manifest makes its table again."""
    repo = write_repo(
        tmp_path / "repo",
        {
            "Cargo.toml": '[package]\nname = "a"\n\n[dependencies]\nb = "1"\n',
            "src/lib.rs": "fn helper() {}\n",
            "go.mod": "module example.com/a\n",
            "main.go": "package main\n",
        },
    )
    cache_root, out = tmp_path / "cache", tmp_path / "out"
    argv = [str(repo), "--out", str(out), "--workers", "1", "--cache-dir", str(cache_root)]
    assert build_command([*argv, "--languages", "rust", "go"]) == 0
    (repo / "src" / "lib.rs").write_text("fn helper() {}\n\nfn added() {}\n")
    (repo / "main.go").write_text("package main\n\nfunc added() {}\n")
    assert build_command([*argv, "--languages", "rust", "go"]) == 0
    outcomes = _outcomes(out, cache_root)
    assert outcomes["rust.symbols_raw"] == "miss"  # (the edits were seen)
    assert outcomes["rust_crates_raw"] == outcomes["go_modules_raw"] == "hit"
    (repo / "Cargo.toml").write_text('[package]\nname = "a"\n\n[dependencies]\nc = "1"\n')
    assert build_command([*argv, "--languages", "rust", "go"]) == 0
    outcomes = _outcomes(out, cache_root)
    assert outcomes["rust_crates_raw"] == "miss"
    assert outcomes["go_modules_raw"] == "hit"
    crates = pl.read_parquet(out / "rust" / "crates.parquet")
    assert crates.filter(pl.col("kind") == "dependency")["package"].to_list() == ["c"]


def test_call_graph_scores_are_cache_hits_while_the_calls_between_methods_stay(
    tmp_path: Path,
) -> None:
    """``cpg_metrics`` is made again whenever the nodes or edges change; its betweenness and fan
    counts (``method_call_scores``) only when the calls between methods change."""
    repo = _repo(tmp_path / "repo")
    cache_root, out = tmp_path / "cache", tmp_path / "out"
    _build(repo, out, "--cache-dir", str(cache_root))
    # A function that calls nothing: a new METHOD node (fan-in and fan-out 0), the same calls.
    (repo / CHANGED).write_text(PYTHON_FILES[CHANGED] + "\n\ndef added():\n    return 1\n")
    _build(repo, out, "--cache-dir", str(cache_root))
    outcomes = _outcomes(out, cache_root)
    assert outcomes["cpg_metrics_raw"] == outcomes["method_calls"] == "miss"
    assert outcomes["method_call_scores"] == "hit"
    _build(repo, tmp_path / "uncached", "--no-cache")
    assert _parquet_bytes(out) == _parquet_bytes(tmp_path / "uncached")
    added = pl.read_parquet(out / "cpg" / "metrics.parquet").filter(
        pl.col("qualified_name").str.ends_with(".added")
    )
    assert added.select("fan_in", "fan_out", "betweenness").rows() == [(0, 0, 0.0)]
    # Now it calls a helper of another module: a new call between methods, the scores again.
    (repo / CHANGED).write_text(PYTHON_FILES[CHANGED] + "\n\ndef added():\n    return helper_3()\n")
    _build(repo, out, "--cache-dir", str(cache_root))
    assert _outcomes(out, cache_root)["method_call_scores"] == "miss"
    _build(repo, tmp_path / "uncached", "--no-cache")
    assert _parquet_bytes(out) == _parquet_bytes(tmp_path / "uncached")
    metrics = pl.read_parquet(out / "cpg" / "metrics.parquet")
    fan_out = dict(metrics.select("qualified_name", "fan_out").iter_rows())
    assert [fan_out[name] for name in fan_out if name.endswith(".added")] == [1]


def test_changed_extractor_version_reparses_everything(tmp_path: Path) -> None:
    """The per-file store is keyed by the extractor version: other code, other entries."""
    from hamilton_modules.extraction_store import DirectoryExtractionStore, ExtractionStoreWarning
    from hamilton_modules.parsing import ContentKey

    store_a = DirectoryExtractionStore(tmp_path, version="a" * 64)
    store_b = DirectoryExtractionStore(tmp_path, version="b" * 64)
    key = ContentKey("0" * 64, ".py")
    from hamilton_modules.parsing import FileColumns

    store_a.put_many({key: FileColumns.of_families({}, 0)})
    assert store_a.get_many([key]) == {key: FileColumns.of_families({}, 0)}
    assert store_b.get_many([key]) == {}
    other = ContentKey("1" * 64, ".py")
    assert store_a.held([key, other]) == {key} and store_b.held([key]) == set()
    # A truncated entry is a miss (with a warning), never an error; the next put replaces it.
    with sqlite3.connect(store_a.path) as connection:
        connection.execute("UPDATE entries SET value = substr(value, 1, 3)")
    store_a = DirectoryExtractionStore(tmp_path, version="a" * 64)
    with pytest.warns(ExtractionStoreWarning, match="1 unreadable per-file extraction"):
        assert store_a.get_many([key]) == {}
    store_a.put_many({key: FileColumns.of_families({}, 1)})
    assert DirectoryExtractionStore(tmp_path, version="a" * 64).get_many([key]) == {
        key: FileColumns.of_families({}, 1)
    }
    # A database SQLite cannot read is a miss too; it is moved aside (with a warning: the rule
    # is "recompute, and say so") and started afresh.
    store_a.path.write_bytes(b"not a database" * 100)
    store_a = DirectoryExtractionStore(tmp_path, version="a" * 64)  # (as another process)
    with pytest.warns(ExtractionStoreWarning, match="is damaged; moved aside"):
        assert store_a.get_many([key]) == {}
    store_a.put_many({key: FileColumns.of_families({}, 2)})
    assert store_a.get_many([key]) == {key: FileColumns.of_families({}, 2)}
    assert list(tmp_path.glob("*.corrupt-*"))


def _put_one_entry(directory: str) -> None:
    """A child process's body: one entry, then the child's ordinary exit (no explicit flush)."""
    from hamilton_modules.extraction_store import DirectoryExtractionStore
    from hamilton_modules.parsing import ContentKey, FileColumns

    store = DirectoryExtractionStore(directory, version="c" * 64)
    store.put_many({ContentKey("1" * 64, ".rs"): FileColumns.of_families({}, 0)})


@pytest.mark.parametrize("start_method", ["spawn", "fork"])
def test_background_store_writes_are_committed_before_the_process_exits(
    tmp_path: Path, start_method: str
) -> None:
    """``put_many`` returns before its entries are written; they are committed on the way out,
    both for a spawned child (interpreter exit) and a forked one (``os._exit`` after
    multiprocessing's exit hooks)."""
    import multiprocessing

    from hamilton_modules.extraction_store import DirectoryExtractionStore

    context = (
        multiprocessing.get_context("spawn")
        if start_method == "spawn"
        else multiprocessing.get_context("fork")
    )
    child = context.Process(target=_put_one_entry, args=(str(tmp_path),))
    child.start()
    child.join(timeout=120)
    assert child.exitcode == 0
    assert DirectoryExtractionStore(tmp_path, version="c" * 64).entry_count() == 1


def _manifest(out: Path) -> dict:
    import json

    return json.loads((out / "manifest.json").read_text())


def test_dataflow_second_materialization_misses_nothing(
    tmp_path: Path, instance: DagsterInstance
) -> None:
    repo = _repo(tmp_path / "repo")
    key = register_partition(instance=instance, partitions_name="repos", path=repo).key
    assets = hamilton_assets(
        modules=DATAFLOW_MODULES,
        config=dataflow_config(languages=["python", "rust"], workers=1),
        partitions_def=DynamicPartitionsDefinition(name="repos"),
        translator=TRANSLATOR,
        inputs=path_input_from_registry("repo_path"),
        cache_resource_key="hamilton_cache",
        cache_directory_inputs=CACHE_DIRECTORY_INPUTS,
    )
    cache_root = tmp_path / "cache"
    resources = {
        "io_manager": HamiltonIOManager(warehouse=str(tmp_path / "warehouse")),
        "hamilton_cache": HamiltonCacheResource(root=str(cache_root)),
    }
    runs = [
        materialize(assets, instance=instance, partition_key=key, resources=resources)
        for _ in range(2)
    ]
    assert all(run.success for run in runs)
    outcomes: dict[str, set[str]] = {}
    for report in cache_report(config=cache_config(root=cache_root), run=runs[1].run_id):
        for node, outcome in report.nodes.items():
            outcomes.setdefault(outcome, set()).add(node)
    assert "miss" not in outcomes and "failed" not in outcomes
    # Only the nodes that read the repository ran again (their policy), the views of each
    # family's rows and of the parse error counts that version them by content, and the
    # selections of the build manifests' rows; all else was a hit.
    assert outcomes["recomputed"] == {
        "cargo_manifests",
        "go_manifests",
        *(f"{language}.extraction" for language in ("python", "rust")),
        *(
            f"{language}.{view}"
            for language in ("python", "rust")
            for view in (
                "symbols_rows",
                "imports_rows",
                "calls_rows",
                "inherits_rows",
                "error_counts",
            )
        ),
        *(n for n in outcomes["recomputed"] if n.startswith("file_inventory")),
    }
    # Ops request the checked functions' raw values and validators (checks gate their assets).
    assert {"python.symbols_raw", "cpg_nodes_raw", "cpg_edges_raw", "files_raw"} <= outcomes["hit"]
    # The measured node seconds of the first run feed the plan.
    timings = (cache_root / "timings.json").read_text()
    assert '"python.symbols_raw"' in timings or '"python.symbols"' in timings


def test_four_concurrent_materializations_share_one_cache_and_warehouse(tmp_path: Path) -> None:
    """Four ``codeintel materialize`` processes at once, different partitions, one cache root
    and one warehouse (each with its own Dagster instance): all succeed with the right bytes."""
    repos = []
    for index in range(4):
        files = {**PYTHON_FILES, **RUST_FILES}
        # Shared files (same content: the same per-file entries, written concurrently) plus one
        # file of each repository's own.
        files[f"pkg/own_{index}.py"] = f"def own_{index}():\n    return {index}\n"
        repos.append(write_repo(tmp_path / f"repo{index}", files))
    warehouse = tmp_path / "warehouse"
    cache_root = tmp_path / "cache"
    processes = []
    for index, repo in enumerate(repos):
        env = {
            **os.environ,
            "DAGSTER_HOME": str(tmp_path / f"home{index}"),
            "CODEINTEL_WAREHOUSE": str(warehouse),
            "CODEINTEL_CACHE_DIR": str(cache_root),
        }
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "orchestration.cli", "materialize", str(repo)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    outputs = [process.communicate(timeout=600)[0] for process in processes]
    for process, output in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output
    for index, repo in enumerate(repos):
        uncached = tmp_path / f"uncached{index}"
        assert build_command([str(repo), "--out", str(uncached), "--no-cache"]) == 0
        built = _parquet_bytes(uncached)
        stored = _parquet_bytes(warehouse / f"repo{index}")
        for relative in ("repo/files.parquet", "python/symbols.parquet", "cpg/nodes.parquet"):
            assert stored[relative] == built[relative], (index, relative)


def test_the_cli_reports_a_damaged_cache_entry_once_on_one_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    argv = [str(CODEINTEL), "build", str(repo), "--out", str(tmp_path / "out")]
    argv += ["--cache-dir", str(tmp_path / "cache")]
    first = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=300)
    assert first.returncode == 0, first.stderr
    results = sorted((tmp_path / "cache" / "results").iterdir())
    for result in results:
        result.write_bytes(b"")  # every stored result truncated
    # --force: the output is up to date, so without it the damaged cache is never read.
    second = subprocess.run(
        [*argv, "--force"], capture_output=True, text=True, check=False, timeout=300
    )
    assert second.returncode == 0, second.stderr
    reports = [line for line in second.stderr.splitlines() if "is unreadable" in line]
    assert reports, second.stderr
    assert len(reports) == len(set(reports))  # each damaged entry reported once
    assert all(line.startswith("cache: result ") for line in reports), second.stderr
    assert "CacheWarning" not in second.stderr and "Traceback" not in second.stderr


def test_extractor_version_reads_the_installed_grammar_versions() -> None:
    """The grammar wheels' versions come from the names of their dist-info folders (no METADATA
    parsed); they are exactly what ``importlib.metadata`` reads, and a distribution that is not
    installed is left to it."""
    import importlib.metadata

    from hamilton_modules import extraction_store

    names = (*extraction_store._DISTRIBUTIONS, "no-such-distribution-codeintel")
    listed = extraction_store._listed_versions(names)
    assert listed == {
        name: importlib.metadata.version(name) for name in extraction_store._DISTRIBUTIONS
    }


def test_extractor_version_follows_the_import_path_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A grammar wheel installed earlier on ``sys.path`` (PYTHONPATH, a ``.pth`` folder) is the
    one imported, and the one whose version keys the per-file store, as ``importlib.metadata``
    says."""
    import importlib.metadata
    import sys

    from hamilton_modules import extraction_store

    name = extraction_store._DISTRIBUTIONS[0]
    shadow = tmp_path / f"{name.replace('-', '_')}-99.0.dist-info"
    shadow.mkdir()
    (shadow / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 99.0\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    assert importlib.metadata.version(name) == "99.0"
    assert extraction_store._listed_versions([name]) == {name: "99.0"}


def test_unstored_globs_name_the_dataflows_languages_only() -> None:
    """``UNSTORED_NODES`` matches each language's normalization nodes and nothing else (a
    ``cpg.calls.x`` stays stored); the code location's cache resource takes the same globs as
    ``codeintel build``, so a cache both use holds each value under one version."""
    import fnmatch

    from hamilton import driver

    from hamilton_modules import LANGUAGES
    from orchestration.caching import CachePolicy
    from orchestration.definitions import DATAFLOW_CONFIG, UNSTORED_NODES, build_definitions

    policy = CachePolicy(unstored=UNSTORED_NODES)
    nodes = driver.Builder().with_modules(*DATAFLOW_MODULES).with_config(DATAFLOW_CONFIG).build()
    unstored = [n.name for n in nodes.list_available_variables() if not policy.stores(n.name)]
    assert {name.split(".")[0] for name in unstored} == set(LANGUAGES)
    assert "rust.calls_extracted" in unstored and "python.symbols._append" in unstored
    for name in ("cpg.calls.x", "repo.symbols_extracted", "rust.calls", "rust.extraction"):
        assert policy.stores(name), name
    assert not any(fnmatch.fnmatchcase("cpg.calls.x", glob) for glob in UNSTORED_NODES)
    resources = build_definitions().resources
    assert resources is not None
    resource = resources["hamilton_cache"]
    assert resource.cache_config().policy.unstored == UNSTORED_NODES


def _dataflow_reach() -> dict[str, tuple[str, list[str]]]:
    """Each node function of the real dataflow: its reach digest and labels (a fresh Reach)."""
    from hamilton import driver

    import hamilton_modules
    from orchestration.code_versions import code_version_store
    from orchestration.reached_code import Reach

    dr = (
        driver.Builder()
        .with_modules(*hamilton_modules.DATAFLOW_MODULES)
        .with_config(hamilton_modules.dataflow_config())
        .build()
    )
    functions = {
        n.originating_functions[0] for n in dr.graph.nodes.values() if n.originating_functions
    }
    reach, store = Reach(), code_version_store()
    return {
        f"{f.__module__}.{f.__qualname__}": (
            reach.digest(f, store=store),
            reach.labels(f, store=store),
        )
        for f in functions
    }


def test_the_dataflows_code_versions_cover_its_helpers_and_not_what_ran(tmp_path: Path) -> None:
    """Review r12c A on the real dataflow: cpg_edges reaches the helpers whose change was a stale
    hit (normalize._python_module, cpg's _Lookups, the schema and validators of its check), a
    family table tables.with_ordinals; and
    a build in the same process (lazy imports, filled caches) changes no version."""
    before = _dataflow_reach()
    assert {
        "function hamilton_modules.normalize._python_module",
        "class hamilton_modules.cpg._Lookups",
        "constant hamilton_modules.schemas.CPG_EDGES",
        "function hamilton_modules.validators.table_checks",
    } <= set(before["hamilton_modules.cpg.cpg_edges"][1])
    calls = before["hamilton_modules.language_subdag.calls"][1]
    assert "function hamilton_modules.tables.with_ordinals" in calls
    assert not any(label.startswith("module ") for _, found in before.values() for label in found)
    _build(_repo(tmp_path / "repo"), tmp_path / "out", "--no-cache")
    assert _dataflow_reach() == before
