"""``orchestration.build`` (generic plain-Hamilton runner) and ``codeintel build`` end to end."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hamilton.graph_types import HamiltonNode

from hamilton_modules import schemas
from orchestration import storage
from orchestration.build import BuildError, build, prepare_dataflow
from orchestration.cache_command import cache_report
from orchestration.caching import CacheConfig, cache_config
from orchestration.freshness import file_sha256
from orchestration.partition import build_plan
from orchestration.telemetry import read_timings_file
from tests.dataflow_support import write_repo
from tests.fixtures import sales_dataflow
from tests.hardening_support import build_outputs
from tests.storage_support import noted_encodings

CODEINTEL = Path(sys.executable).parent / "codeintel"

ORDERS = """order_id,region,sku,quantity,unit_price
1,north,a,2,10.0
2,south,b,1,5.0
3,north,b,3,5.0
4,south,c,0,99.0
"""


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())


def _assert_manifest_matches_files(out: Path, manifest: dict) -> None:
    for key, entry in manifest["assets"].items():
        path = out / entry["file"]
        assert entry["sha256"] == file_sha256(path), key
        assert entry["bytes"] == path.stat().st_size
        if path.suffix == ".parquet":
            assert pl.read_parquet(path).height == entry["rows"] == manifest["row_counts"][key]


def test_build_is_generic_sales_dataflow(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS)
    out = tmp_path / "out"
    manifest = build(
        modules=[sales_dataflow],
        config={},
        inputs={"orders_path": str(orders), "fx_rate": 2.0},
        out_dir=out,
        show_progress=False,
    )
    plan = build_plan(modules=[sales_dataflow], config={})
    assert set(manifest["assets"]) == {"/".join(asset.key) for asset in plan.assets}
    assert manifest["plan_signature"] == plan.signature
    assert (out / "total_revenue.json").is_file()
    assert json.loads((out / "total_revenue.json").read_text()) == 2 * (20.0 + 5.0 + 15.0)
    report = storage.read_value(out, ("sales_report",))
    assert report["top_skus"] == ["a", "b"]  # tie at 40.0, then by sku; c sold nothing
    checks = manifest["assets"]["total_revenue"]["checks"]
    assert checks == {
        "total_revenue_range_validator": {
            "passes": True,
            "message": checks["total_revenue_range_validator"]["message"],
        }
    }
    assert manifest["inputs"] == {"orders_path": str(orders), "fx_rate": 2.0}
    assert set(manifest["timings"]["nodes"]) >= {"orders", "order_lines"}
    _assert_manifest_matches_files(out, manifest)
    assert _manifest(out) == json.loads(json.dumps(manifest))


def test_blocking_check_fails_the_build_and_writes_nothing(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS)
    out = tmp_path / "out"
    with pytest.raises(BuildError, match="blocking check failed"):
        build(
            modules=[sales_dataflow],
            config={},
            inputs={"orders_path": str(orders), "fx_rate": -1.0},  # negative revenue
            out_dir=out,
            show_progress=False,
        )
    assert not out.exists()


def test_final_vars_narrow_the_build(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS)
    manifest = build(
        modules=[sales_dataflow],
        config={},
        inputs={"orders_path": str(orders), "fx_rate": 1.0},
        out_dir=tmp_path / "out",
        final_vars=["revenue_by_region"],
        show_progress=False,
    )
    assert list(manifest["assets"]) == ["revenue_by_region"]
    with pytest.raises(BuildError, match="unknown node"):
        build(
            modules=[sales_dataflow],
            config={},
            inputs={"orders_path": str(orders), "fx_rate": 1.0},
            out_dir=tmp_path / "out2",
            final_vars=["no_such_node"],
            show_progress=False,
        )


def _sales_builds(
    folder: Path, rates: list[float], *, prepared: bool
) -> tuple[list[dict | None], CacheConfig]:
    """One build of the sales dataflow per fx rate, into one output folder and one cache, each
    through one prepared dataflow or each preparing its own; a build whose check fails is None.
    Also the timings file's nodes after each build."""
    orders = folder / "orders.csv"
    folder.mkdir()
    orders.write_text(ORDERS)
    cache = cache_config(root=folder / "cache")
    dataflow = (
        prepare_dataflow(modules=[sales_dataflow], config={}, cache=cache, show_progress=False)
        if prepared
        else None
    )
    manifests: list[dict | None] = []
    for rate in rates:
        try:
            manifest = build(
                modules=[sales_dataflow],
                config={},
                inputs={"orders_path": str(orders), "fx_rate": rate},
                out_dir=folder / "out",
                cache=cache,
                show_progress=None if prepared else False,
                prepared=dataflow,
            )
        except BuildError:
            manifest = None
        if manifest is not None:
            manifest["timings_file_nodes"] = sorted(read_timings_file(cache.timings_path))
        manifests.append(manifest)
    return manifests, cache


def _as_recorded(manifest: dict | None, cache: CacheConfig) -> dict | None:
    """What a build recorded that must not depend on how its dataflow was prepared: its
    outputs, the cache's hits and misses, the cache report of its build id, which nodes were
    timed (not how long they took)."""
    if manifest is None:
        return None
    (report,) = cache_report(config=cache, run=manifest["cache"]["build_id"])
    return {
        "assets": manifest["assets"],
        "plan_signature": manifest["plan_signature"],
        "cache": {
            key: value
            for key, value in manifest["cache"].items()
            if key not in ("build_id", "cache_run_ids", "log_path")
        },
        "cache_runs": len(manifest["cache"]["cache_run_ids"]),
        "report": (report.label, report.nodes, report.recovered),
        "timed_nodes": sorted(manifest["timings"]["nodes"]),
        "timings_file_nodes": manifest["timings_file_nodes"],
    }


def test_builds_through_one_prepared_dataflow_record_what_fresh_builds_record(
    tmp_path: Path,
) -> None:
    """A caller that keeps the driver and plan (``codeintel build --watch``) gets, build after
    build, the outputs, cache hits and misses, cache reports and timings of builds that each
    prepare their own, also after a build that failed (a blocking check)."""
    rates = [1.0, 2.0, -1.0, 2.0, 3.0]
    kept, kept_cache = _sales_builds(tmp_path / "kept", rates, prepared=True)
    fresh, fresh_cache = _sales_builds(tmp_path / "fresh", rates, prepared=False)

    assert [m is None for m in kept] == [False, False, True, False, False]
    assert [_as_recorded(m, kept_cache) for m in kept] == [
        _as_recorded(m, fresh_cache) for m in fresh
    ]
    built = [m for m in kept if m is not None]
    assert built[0]["cache"]["misses"] and not built[0]["cache"]["hits"]
    assert "order_lines" in built[1]["cache"]["misses"] and "orders" in built[1]["cache"]["hits"]
    assert not built[2]["cache"]["misses"]  # the rate of the second build again: all hits
    # each build is its own Hamilton execution, recorded under its own ids
    run_ids = [run for m in built for run in m["cache"]["cache_run_ids"]]
    assert len(set(run_ids)) == len(run_ids) == len(built)
    assert len({m["cache"]["build_id"] for m in built}) == len(built)


def test_changed_tables_are_encoded_while_the_dataflow_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build into its own (tagged) output folder starts encoding each table that is not the
    previous build's as soon as the dataflow has computed it, before the rest is computed; each
    is encoded once, with the bytes of a build that writes everything at the end; a build whose
    blocking check fails after tables were encoded leaves the previous files and no temporary."""
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS)
    out, cache = tmp_path / "out", cache_config(root=tmp_path / "cache")

    def sales(rate: float, folder: Path = out) -> dict:
        return build(
            modules=[sales_dataflow],
            config={},
            inputs={"orders_path": str(orders), "fx_rate": rate},
            out_dir=folder,
            cache=cache,
            show_progress=False,
        )

    sales(1.0)
    events: list[str] = []
    write_ahead, write_all = storage.StagedWrites.write_ahead, storage.StagedWrites.write_all
    real_write_file = storage._write_file

    def noted_ahead(
        self: storage.StagedWrites, key_path: tuple[str, ...], *a: Any, **k: Any
    ) -> None:
        events.append("ahead " + "/".join(key_path))
        write_ahead(self, key_path, *a, **k)

    def noted_all(self: storage.StagedWrites, *a: Any, **k: Any) -> Any:
        events.append("all")
        return write_all(self, *a, **k)

    def noted_write_file(tmp: Path, table: pa.Table | None, value: object) -> None:
        events.append("encoded " + tmp.name.split(".")[1])
        real_write_file(tmp, table, value)

    report = sales_dataflow.sales_report

    @functools.wraps(report)
    def noted_report(*args: Any, **kwargs: Any) -> dict:
        events.append("computed sales_report")
        return report(*args, **kwargs)

    monkeypatch.setattr(storage.StagedWrites, "write_ahead", noted_ahead)
    monkeypatch.setattr(storage.StagedWrites, "write_all", noted_all)
    monkeypatch.setattr(storage, "_write_file", noted_write_file)
    monkeypatch.setattr(sales_dataflow, "sales_report", noted_report)
    sales(2.0)
    # the plan's one table (the others are JSON values, written at the end), before the last
    # node is computed
    assert [e for e in events if e.startswith(("ahead", "computed"))] == [
        "ahead order_lines",
        "computed sales_report",
    ]
    assert events.index("computed sales_report") < events.index("all")
    assert events.count("encoded order_lines") == 1
    monkeypatch.undo()
    sales(2.0, tmp_path / "at_the_end")  # a new folder: nothing is written ahead
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.name != "manifest.json"} == {
        p.name: p.read_bytes()
        for p in (tmp_path / "at_the_end").iterdir()
        if p.name != "manifest.json"
    }

    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    monkeypatch.setattr(storage.StagedWrites, "write_ahead", noted_ahead)
    events.clear()
    with pytest.raises(BuildError, match="blocking check failed"):
        sales(-1.0)  # order_lines is computed (and written ahead) before total_revenue fails
    assert "ahead order_lines" in events
    assert {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()} == before
    assert not [path for path in out.rglob("*") if path.name.endswith(".tmp")]


def test_a_build_requests_the_assets_with_fewer_upstream_nodes_first() -> None:
    """Hamilton computes the requested nodes in the order given: the assets that need less
    first (their tables are encoded while the others are computed), then the validators."""
    from orchestration.build import requested_order

    prepared = prepare_dataflow(modules=[sales_dataflow], config={}, show_progress=False)
    assert requested_order(prepared.driver, prepared.assets, upstream=prepared.upstream) == [
        "order_lines",  # orders (and its inputs)
        "average_order_value",  # order_lines, its own raw node and check
        "total_revenue",  # revenue_by_region besides
        "sales_report",  # all of them and top_skus
        "average_order_value_range_validator",
        "total_revenue_range_validator",
    ]
    assert prepared.upstream == {
        asset.node: count
        for asset, count in zip(
            prepared.assets,
            [len(prepared.driver.what_is_upstream_of(a.node)) - 1 for a in prepared.assets],
            strict=True,
        )
    }
    # the same order without the prepared sizes (they are counted)
    assert requested_order(prepared.driver, prepared.assets, upstream={}) == requested_order(
        prepared.driver, prepared.assets, upstream=prepared.upstream
    )


@pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity") or (os.cpu_count() or 1) < 2,
    reason="needs CPU affinity and two CPUs to tell them from the machine's",
)
def test_tables_are_encoded_by_as_many_threads_as_the_process_may_use_cpus() -> None:
    """The CPUs of the process's affinity (a container, ``taskset``), not the machine's: a
    process pinned to one CPU encodes its tables in one thread."""
    pinned = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
            "from orchestration.build import WRITE_THREADS; print(WRITE_THREADS)",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert pinned.stdout.split() == ["1"]


def test_a_prepared_dataflow_is_refused_for_another_config_or_cache(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS)
    cache = cache_config(root=tmp_path / "cache")
    dataflow = prepare_dataflow(modules=[sales_dataflow], config={}, cache=cache)
    inputs = {"orders_path": str(orders), "fx_rate": 1.0}
    for config, other_cache in (({"region": "north"}, cache), ({}, None)):
        with pytest.raises(ValueError, match="prepared for other"):
            build(
                modules=[sales_dataflow],
                config=config,
                inputs=inputs,
                out_dir=tmp_path / "out",
                cache=other_cache,
                prepared=dataflow,
            )
    assert not (tmp_path / "out").exists()


POLYGLOT = {
    "pkg/__init__.py": "",
    "pkg/core.py": "class A:\n    def f(self):\n        return helper()\n\n\ndef helper():\n    return 1\n",
    "cmd/main.go": "package main\n\nfunc main() {\n\tmain()\n}\n",
    "notes.txt": "hello\n",
}


def _run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CODEINTEL), "build", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
        check=False,
    )


def test_codeintel_build_end_to_end(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "repo", POLYGLOT)
    out = tmp_path / "out"
    result = _run_cli(str(repo), "--out", str(out), "--workers", "1")
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    families = ["calls", "imports", "inherits", "parse_errors", "symbols"]
    assert written == sorted(
        [
            "CACHEDIR.TAG",  # the output folder is a cache (orchestration.cachedir)
            "cpg/edges.parquet",
            "cpg/metrics.parquet",
            "cpg/nodes.parquet",
            "go/modules.parquet",  # a language's extra table: written when it is present
            "manifest.json",
            "repo/files.parquet",
            "repo/inventory.parquet",
            *[
                f"{language}/{family}.parquet"
                for language in ("go", "python")
                for family in families
            ],
        ]
    )
    manifest = _manifest(out)
    _assert_manifest_matches_files(out, manifest)
    # the dataflow of the languages the repository has; the others' tables are skipped
    assert manifest["config"]["languages"] == ["python", "go"]
    assert manifest["config"]["workers"] == 1
    assert manifest["inputs"] == {"repo_path": str(repo.resolve())}
    assert "rust/symbols" in manifest["skipped_assets"]
    assert manifest["row_counts"]["repo/files"] == 4
    assert manifest["row_counts"]["python/symbols"] == 3
    files = pl.read_parquet(out / "repo" / "files.parquet")
    assert files.filter(pl.col("path") == "notes.txt")["reason"].to_list() == ["unknown_language"]
    edges = pl.read_parquet(out / "cpg" / "edges.parquet")
    assert edges.filter(pl.col("label") == "CALLS")["resolved"].to_list() == [True, True]
    assert all(
        check["passes"]
        for entry in manifest["assets"].values()
        for check in entry["checks"].values()
    )
    # Every Parquet file carries its declared Arrow schema (string, non-null), not polars' types.
    declared = {
        "repo/files.parquet": schemas.FILES,
        "repo/inventory.parquet": schemas.FILES,
        "cpg/nodes.parquet": schemas.CPG_NODES,
        "cpg/edges.parquet": schemas.CPG_EDGES,
        "cpg/metrics.parquet": schemas.CPG_METRICS,
        "go/modules.parquet": schemas.GO_MODULES,
        **{
            f"{language}/{family}.parquet": getattr(schemas, family.upper())
            for language in ("go", "python")
            for family in families
        },
    }
    for relative, table_schema in declared.items():
        assert pq.read_schema(out / relative).remove_metadata() == table_schema, relative

    # A second build with fewer languages removes the tables the first one wrote and it did not.
    again = _run_cli(str(repo), "--out", str(out), "--languages", "python", "--workers", "1")
    assert again.returncode == 0, again.stderr
    assert not (out / "go").exists() or not any((out / "go").iterdir())
    assert (out / "python" / "symbols.parquet").is_file()


def test_a_build_never_inventories_its_own_output_or_cache_inside_the_repository(
    tmp_path: Path,
) -> None:
    """``codeintel build r2 --out r2/out --cache-dir r2/.cache`` three times: 2 files, then 64,
    then 67 considered, never up to date (its own writes changed the stamp). Tagged before the
    first walk, both folders are one ``cache_directory`` row each from the first build on."""
    repo = write_repo(tmp_path / "r2", {"a.py": "def f():\n    pass\n"})
    argv = [str(repo), "--out", str(repo / "out"), "--cache-dir", str(repo / ".cache")]
    printed: list[str] = []
    files: list[bytes] = []
    for _ in range(3):
        result = _run_cli(*argv, "--workers", "1")
        assert result.returncode == 0, result.stderr
        printed.append(result.stdout)
        files.append((repo / "out" / "repo" / "files.parquet").read_bytes())
    assert files[0] == files[1] == files[2]
    assert "3 files considered" in printed[0]
    assert all("up to date, nothing to do" in line for line in printed[1:]), printed
    rows = pl.read_parquet(repo / "out" / "repo" / "files.parquet").select("path", "reason")
    assert rows.rows() == [
        (".cache", "cache_directory"),
        ("a.py", None),
        ("out", "cache_directory"),
    ]

    # The default cache root ($DAGSTER_HOME/hamilton_cache), inside the repository too.
    home = repo / "dagster_home"
    env = {"DAGSTER_HOME": str(home), "CODEINTEL_CACHE_DIR": ""}
    for expected in ("files considered", "up to date, nothing to do"):
        result = _run_cli(str(repo), "--out", str(repo / "out2"), "--workers", "1", env=env)
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout, result.stdout
    rows = pl.read_parquet(repo / "out2" / "repo" / "files.parquet").select("path", "reason")
    assert rows.filter(pl.col("reason") == "cache_directory")["path"].to_list() == [
        ".cache",
        "dagster_home/hamilton_cache",
        "out",
        "out2",
    ]


def test_an_output_folder_holding_the_users_files_is_never_tagged(tmp_path: Path) -> None:
    """``--out repo/docs`` beside the user's conf.py and index.md, ``--out .`` in a git
    checkout, each built twice: the second run found a build's manifest there, and tagged the
    folder (the user's docs vanished from the graph, the checkout got ``?? CACHEDIR.TAG``). A
    folder holding anything but a build's files is the user's: never tagged."""
    repo = write_repo(
        tmp_path / "t1" / "repo",
        {"a.py": "def f():\n    pass\n", "docs/conf.py": "x = 1\n", "docs/index.md": "# hi\n"},
    )
    for _ in range(2):
        result = _run_cli(str(repo), "--out", str(repo / "docs"), "--no-cache", "--workers", "1")
        assert result.returncode == 0, result.stderr
    assert not (repo / "docs" / "CACHEDIR.TAG").exists()
    rows = pl.read_parquet(repo / "docs" / "repo" / "files.parquet").select("path", "reason")
    paths = rows["path"].to_list()
    # the build's own files are inventoried too, as in any folder of the repository's
    assert {"a.py", "docs/conf.py", "docs/index.md", "docs/manifest.json"} <= set(paths)
    assert "cache_directory" not in rows["reason"].to_list()

    checkout = write_repo(tmp_path / "checkout", {"a.py": "def f():\n    pass\n"})
    subprocess.run(["git", "init", "-q", str(checkout)], check=True)
    for _ in range(2):
        result = _run_cli(str(checkout), "--out", str(checkout), "--no-cache", "--workers", "1")
        assert result.returncode == 0, result.stderr
    assert (checkout / "manifest.json").is_file()
    assert not (checkout / "CACHEDIR.TAG").exists()
    status = subprocess.run(
        ["git", "-C", str(checkout), "status", "--porcelain"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "CACHEDIR.TAG" not in status.stdout


def test_codeintel_build_rejects_bad_repositories(tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    missing = _run_cli(str(tmp_path / "nope"), "--out", out)
    assert missing.returncode == 2
    assert (
        missing.stderr.strip() == f"codeintel build: repository {tmp_path / 'nope'} does not exist"
    )
    a_file = tmp_path / "file.py"
    a_file.write_text("x = 1\n")
    not_dir = _run_cli(str(a_file), "--out", out)
    assert not_dir.returncode == 2 and "is not a directory" in not_dir.stderr
    assert len(not_dir.stderr.strip().splitlines()) == 1
    bad_language = _run_cli(str(tmp_path), "--out", out, "--languages", "cobol")
    assert bad_language.returncode == 2 and "unknown languages" in bad_language.stderr
    no_out = _run_cli(str(tmp_path))
    assert no_out.returncode == 2
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        result = _run_cli(str(locked), "--out", out)
        if os.access(locked, os.R_OK | os.X_OK):  # root reads through chmod 000
            assert result.returncode == 0, result.stderr
        else:
            assert result.returncode == 2 and "cannot be read" in result.stderr
    finally:
        locked.chmod(0o755)
    assert not Path(out, "manifest.json").exists() or os.access(locked, os.R_OK)


@pytest.mark.slow
def test_builds_are_byte_identical_across_hash_seeds_and_workers(tmp_path: Path) -> None:
    # Enough code (> the in-process threshold) that --workers 2 really uses the process pool.
    # Declared receiver types too (calls.receiver_type, CALLS through them): `x: Base`,
    # `self.part = Base()`.
    module = "".join(
        f"class C{i}(Base):\n    def m{i}(self, x: Base):\n        self.part = Base()\n"
        f"        return helper(x) + self.m{i}(x) + x.go() + self.part.go()\n\n"
        for i in range(4000)
    )
    repo = write_repo(
        tmp_path / "repo",
        {
            "pkg/a.py": module,
            "pkg/b.py": module.replace("class C", "class D"),
            "pkg/base.py": "class Base:\n    def go(self):\n        pass\n\n\ndef helper(x):\n    return x\n",
            "src/lib.rs": "pub fn a() { b(); }\nfn b() {}\n",
            "Cargo.toml": '[package]\nname = "lib-a"\n\n[dependencies]\nbytes = "1"\n',
        },
    )
    outputs = []
    for seed, workers in (("1", "2"), ("2", "2"), ("3", "1")):
        out = tmp_path / f"out-{seed}"
        result = _run_cli(
            str(repo), "--out", str(out), "--workers", workers, env={"PYTHONHASHSEED": seed}
        )
        assert result.returncode == 0, result.stderr
        outputs.append(out)
    first = {p.relative_to(outputs[0]): p.read_bytes() for p in outputs[0].rglob("*.parquet")}
    assert len(first) == 16  # rust/crates with the Cargo.toml's rows among them
    for other in outputs[1:]:
        again = {p.relative_to(other): p.read_bytes() for p in other.rglob("*.parquet")}
        assert again == first
    assert pl.read_parquet(outputs[0] / "python" / "symbols.parquet").height == 2 * 4000 * 2 + 3
    calls = pl.read_parquet(outputs[0] / "python" / "calls.parquet")
    assert calls["receiver_type"].value_counts().sort("receiver_type").rows() == [
        (None, 2 * 4000 * 3),  # helper, self.m, Base
        ("Base", 2 * 4000),  # x.go
        ("Base()", 2 * 4000),  # self.part.go
    ]
    nodes = pl.read_parquet(outputs[0] / "cpg" / "nodes.parquet")
    (go,) = nodes.filter(pl.col("qualified_name") == "pkg.base.Base.go")["id"].to_list()
    edges = pl.read_parquet(outputs[0] / "cpg" / "edges.parquet")
    assert edges.filter((pl.col("label") == "CALLS") & (pl.col("dst") == go)).height == 2 * 4000 * 2


def test_build_of_this_repository(tmp_path: Path) -> None:
    """What `make run` does: build the project itself (its .gitignore keeps .venv out)."""
    project = Path(__file__).resolve().parents[1]
    out = tmp_path / "self"
    result = _run_cli(str(project), "--out", str(out), "--languages", "python")
    assert result.returncode == 0, result.stderr
    files = pl.read_parquet(out / "repo" / "files.parquet")
    assert "orchestration/build.py" in files["path"].to_list()
    assert not any(path.startswith((".venv/", ".git/")) for path in files["path"].to_list())
    symbols = pl.read_parquet(out / "python" / "symbols.parquet")
    assert "orchestration.build.build" in symbols["qualified_name"].to_list()


def test_declared_schemas_are_written_and_enforced(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {"path": ["a.py"], "parse_errors": [None]},
        schema={"path": pl.String, "parse_errors": pl.Int64},
    )
    written = storage.write_value(
        tmp_path, ("python", "parse_errors"), frame, table_schema=schemas.PARSE_ERRORS
    )
    assert pq.read_schema(written).remove_metadata() == schemas.PARSE_ERRORS
    # Without a declared schema the same columns are written as polars converts them.
    undeclared = storage.write_value(tmp_path, ("other",), frame)
    assert pq.read_schema(undeclared).field("path").type == pa.large_string()
    with pytest.raises(storage.StorageError, match="non-nullable"):
        storage.write_value(
            tmp_path,
            ("bad",),
            frame.with_columns(path=pl.lit(None, pl.String)),
            table_schema=schemas.PARSE_ERRORS,
        )
    assert not (tmp_path / "bad.parquet").exists()


def test_every_table_asset_has_its_declared_schema() -> None:
    """Each table the code location writes is mapped to its schema by the `artifact` tag."""
    from orchestration.assets import hamilton_driver
    from orchestration.definitions import DATAFLOW_CONFIG, DATAFLOW_MODULES, TRANSLATOR
    from orchestration.partition import plan_from_driver

    dr = hamilton_driver(modules=DATAFLOW_MODULES, config=DATAFLOW_CONFIG)
    plan = plan_from_driver(driver=dr, config=DATAFLOW_CONFIG, translator=TRANSLATOR)
    declared = {
        "/".join(asset.key): TRANSLATOR.get_table_schema(
            HamiltonNode.from_node(dr.graph.nodes[asset.node])
        )
        for asset in plan.assets
    }
    assert declared["repo/files"] == schemas.FILES
    assert declared["cpg/edges"] == schemas.CPG_EDGES
    assert declared["rust/calls"] == schemas.CALLS
    assert [key for key, schema in declared.items() if schema is None] == []


def test_unchanged_tables_are_not_encoded_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached re-run leaves a table whose content fingerprint and file are those of the last
    build as it is (not encoded again); a file changed by hand is written again; the outputs
    stay byte-identical to a build without a cache."""
    from orchestration.definitions import build_command

    repo = write_repo(tmp_path / "repo", POLYGLOT)
    out, cache_root = tmp_path / "out", tmp_path / "cache"
    argv = [str(repo), "--out", str(out), "--workers", "1", "--cache-dir", str(cache_root)]
    assert build_command(argv) == 0
    noted = noted_encodings(monkeypatch)

    def encoded() -> list[str]:
        return [f"{encoding.folder}/{encoding.table}" for encoding in noted]

    (repo / "pkg" / "core.py").write_text(POLYGLOT["pkg/core.py"] + "\n\ndef added():\n    pass\n")
    assert build_command(argv) == 0
    # The python tables, the inventory and the CPG changed; go's did not.
    assert {"python/symbols", "repo/files", "cpg/nodes"} <= set(encoded())
    assert not [name for name in encoded() if name.startswith("go/")]
    _assert_manifest_matches_files(out, _manifest(out))

    # A table edited by hand is written again, though its content fingerprint is the same.
    calls = out / "go" / "calls.parquet"
    original = calls.read_bytes()
    calls.write_bytes(original[:-7])
    noted.clear()
    assert build_command([*argv, "--force"]) == 0
    assert encoded().count("go/calls") == 1
    assert calls.read_bytes() == original
    _assert_manifest_matches_files(out, _manifest(out))

    monkeypatch.undo()
    uncached = tmp_path / "uncached"
    assert build_command([str(repo), "--out", str(uncached), "--workers", "1", "--no-cache"]) == 0
    assert {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.parquet"))
    } == {
        p.relative_to(uncached).as_posix(): p.read_bytes()
        for p in sorted(uncached.rglob("*.parquet"))
    }


def test_codeintel_build_walks_the_repository_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inventory node takes the walk the command made for its up-to-date stamp (the files
    the parse workers were given) instead of walking the repository again; the outputs are
    those of a build that walked twice."""
    import hamilton_modules.walk as walk_module
    from orchestration.definitions import build_command

    repo = write_repo(tmp_path / "repo", POLYGLOT)
    walks: list[Path] = []
    real_walk = walk_module._walk_pinned

    def counted_walk(**kwargs: Any) -> list[walk_module.FileRecord]:
        walks.append(kwargs["root"])
        return real_walk(**kwargs)

    argv = ["--workers", "1", "--no-cache"]
    monkeypatch.setattr(walk_module, "_walk_pinned", counted_walk)
    assert build_command([str(repo), "--out", str(tmp_path / "once"), *argv]) == 0
    assert walks == [repo.resolve()]
    monkeypatch.undo()
    monkeypatch.setattr(
        "orchestration.definitions.handed_walk", lambda **_: contextlib.nullcontext()
    )
    assert build_command([str(repo), "--out", str(tmp_path / "twice"), *argv]) == 0
    assert {
        p.relative_to(tmp_path / "once").as_posix(): p.read_bytes()
        for p in sorted((tmp_path / "once").rglob("*.parquet"))
    } == {
        p.relative_to(tmp_path / "twice").as_posix(): p.read_bytes()
        for p in sorted((tmp_path / "twice").rglob("*.parquet"))
    }


def test_codeintel_build_freezes_the_imports_and_restores_the_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The objects the imports create are frozen (left out of every collection) and the cycle
    collector runs for the build's own cycles; afterwards the collector is as the command found
    it, enabled or not, and nothing it froze stays frozen (unless something was frozen before)."""
    import gc

    import orchestration.build as build_module
    from orchestration.definitions import build_command

    seen: list[tuple[bool, bool]] = []
    real_build = build_module.build

    def observed_build(**kwargs: object) -> dict:
        seen.append((gc.isenabled(), gc.get_freeze_count() > 0))
        return real_build(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "build", observed_build)
    repo = write_repo(tmp_path / "repo", {"a.py": "def f():\n    return 1\n"})
    gc.unfreeze()  # a code location an earlier test loaded froze its objects
    assert gc.isenabled()
    assert build_command([str(repo), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    assert seen == [(True, True)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert build_command([str(tmp_path / "missing"), "--out", str(tmp_path / "out2")]) == 2
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        assert build_command([str(repo), "--out", str(tmp_path / "out3"), "--workers", "1"]) == 0
        assert seen[-1] == (False, True)
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()  # frozen before the command: stays frozen
    try:
        frozen = gc.get_freeze_count()
        assert build_command([str(repo), "--out", str(tmp_path / "out4"), "--workers", "1"]) == 0
        assert gc.get_freeze_count() >= frozen and gc.isenabled()
    finally:
        gc.unfreeze()


def test_a_language_the_repository_does_not_have_gets_no_folder(tmp_path: Path) -> None:
    """A `Cargo.toml` and a `go.mod` give non-empty crates and modules tables, encoded while
    the dataflow runs; with no `.rs` or `.go` file the build then leaves Rust's and Go's tables
    out, and the folders made for their temporaries go with them."""
    repo = write_repo(
        tmp_path / "repo",
        {
            "Cargo.toml": '[package]\nname = "x"\nversion = "0.1.0"\n',
            "go.mod": "module example.com/x\n\ngo 1.21\n",
            "sub/a.py": "def f():\n    return 1\n",
        },
    )
    out = tmp_path / "out"
    for _ in range(2):  # the second into the folder the first tagged
        result = _run_cli(str(repo), "--out", str(out), "--workers", "1", "--force")
        assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["cpg", "python", "repo"]


def test_a_build_runs_the_languages_the_repository_has_and_writes_what_the_whole_dataflow_does(
    tmp_path: Path,
) -> None:
    """``codeintel build`` leaves the languages without a file out of its dataflow
    (``languages_present``): the same tables, bytes and manifest entries, the same skipped
    tables, as the dataflow of every language writes."""
    import hamilton_modules
    from hamilton_modules import dataflow_config
    from orchestration.definitions import TRANSLATOR, present_languages_only

    repo = write_repo(tmp_path / "repo", POLYGLOT)
    narrowed = tmp_path / "narrowed"
    result = _run_cli(str(repo), "--out", str(narrowed), "--workers", "1", "--no-cache")
    assert result.returncode == 0, result.stderr
    whole = tmp_path / "whole"
    build(
        modules=hamilton_modules.DATAFLOW_MODULES,
        config=dataflow_config(workers=1),
        inputs={"repo_path": str(repo.resolve())},
        out_dir=whole,
        translator=TRANSLATOR,
        keep=present_languages_only(),
        show_progress=False,
    )
    assert build_outputs(narrowed) == build_outputs(whole)
    narrowed_manifest, whole_manifest = _manifest(narrowed), _manifest(whole)
    assert narrowed_manifest["skipped_assets"] == whole_manifest["skipped_assets"]
    assert "typescript/symbols" in narrowed_manifest["skipped_assets"]
    assert narrowed_manifest["config"]["languages"] == ["python", "go"]
    assert len(whole_manifest["timings"]["nodes"]) > len(narrowed_manifest["timings"]["nodes"])


def test_the_left_out_languages_tables_are_those_of_their_own_sub_dags() -> None:
    """``left_out_tables`` from a plan of one language: the keys a plan of every language has
    for the others' sub-DAGs."""
    import hamilton_modules
    from hamilton_modules import LANGUAGES, dataflow_config
    from orchestration.definitions import TRANSLATOR, left_out_tables

    modules = hamilton_modules.DATAFLOW_MODULES
    whole = prepare_dataflow(modules=modules, config=dataflow_config(), translator=TRANSLATOR)
    rust = prepare_dataflow(
        modules=modules, config=dataflow_config(languages=["rust"]), translator=TRANSLATOR
    )
    others = [language for language in LANGUAGES if language != "rust"]
    expected = sorted(
        asset.key
        for asset in whole.assets
        if any(asset.node.startswith(f"{language}.") for language in others)
    )
    assert len(expected) == 5 * len(others)  # symbols, imports, calls, inherits, parse_errors
    assert sorted(left_out_tables(rust.assets, built=["rust"], left_out=others)) == expected
    assert left_out_tables(rust.assets, built=[], left_out=others) == []


def test_languages_present_keeps_the_configured_languages_that_have_a_file() -> None:
    from hamilton_modules import dataflow_config
    from hamilton_modules.walk import FileRecord
    from orchestration.definitions import languages_present

    def record(path: str, language: str | None, status: str = "ok") -> FileRecord:
        return FileRecord(path, language, 1, 1, "0" * 64, status, None)

    config = dataflow_config(workers=1)
    files = [record("a.go", "go"), record("b.py", "python", "skipped"), record("c.txt", None)]
    assert languages_present(config, files) == {**config, "languages": ["python", "go"]}
    assert languages_present(dataflow_config(languages=["rust", "go"]), files)["languages"] == [
        "go"
    ]
    # none of them has a file: the config as it is (a dataflow needs a language)
    assert languages_present(config, [record("c.txt", None)]) == config
    assert languages_present(dataflow_config(languages=["java"]), files)["languages"] == ["java"]
