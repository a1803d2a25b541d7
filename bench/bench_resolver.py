"""Benchmark: the resolver's per-run cost, ``cpg_edges`` and ``cpg_nodes`` in one process.

Issue 5's change floor: any edit re-runs the CPG nodes, whose cost on a small input is the
resolver's fixed cost (each eager polars query ~0.1-0.2 ms of polars/Python overhead, whatever
the frame's size). Each input is built once (``codeintel build --no-cache``, a subprocess),
then ``cpg_edges`` and ``cpg_nodes`` run on its Parquet tables in this process, best of the runs
with the median beside it, and once more counting the polars queries of a run (every
``LazyFrame`` collect: the eager ``DataFrame`` operations go through one each). Inputs:

- ``one-file Rust``: a repository of one tokio file (``tokio-*/src/task/local.rs``, ~1,200
  lines): the change floor;
- ``tokio``: the tokio crates (Rust); ``dagster``: the dagster package (Python).

Usage: ``python -m bench.bench_resolver [--runs N] [--write]``; ``--write`` records the figures in
bench/RESULTS.md (only the "resolver" section is replaced).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.corpora import REPO_ROOT, dagster_corpus, tokio_corpus
from bench.results import machine_description, update_section

# The one file of the change floor's repository (a tokio file of average size)
ONE_FILE = "task/local.rs"


def cpg_inputs(out: Path) -> dict[str, Any]:
    """The keyword arguments of ``cpg_edges`` read from the Parquet tables a build wrote to
    ``out`` (an empty table of its schema for a family the build has none of)."""
    import polars as pl
    import pyarrow as pa

    from hamilton_modules import schemas
    from hamilton_modules.tables import polars_schema

    def table(path: Path, schema: pa.Schema) -> pl.DataFrame:
        return (
            pl.read_parquet(path) if path.exists() else pl.DataFrame(schema=polars_schema(schema))
        )

    languages = sorted(
        folder.name for folder in out.iterdir() if (folder / "symbols.parquet").exists()
    )
    families = {
        family: [table(out / language / f"{family}.parquet", schema) for language in languages]
        for family, schema in (
            ("symbols", schemas.SYMBOLS),
            ("imports", schemas.IMPORTS),
            ("calls", schemas.CALLS),
            ("inherits", schemas.INHERITS),
        )
    }
    return {
        "files": table(out / "repo" / "files.parquet", schemas.FILES),
        "go_modules": table(out / "go" / "modules.parquet", schemas.GO_MODULES),
        "rust_crates": table(out / "rust" / "crates.parquet", schemas.RUST_CRATES),
        "symbols_tables": families["symbols"],
        "imports_tables": families["imports"],
        "calls_tables": families["calls"],
        "inherits_tables": families["inherits"],
    }


@contextlib.contextmanager
def counted_queries() -> Iterator[collections.Counter[str]]:
    """Count the polars queries run inside the block (``counter["queries"]``): every
    ``LazyFrame`` collect, eager operations included (polars 1.x+: an eager ``DataFrame``
    operation is a lazy plan collected at once), and each ``pl.collect_all`` (one query for
    its frames: ``cpg_model.collected``)."""
    import polars as pl

    counter: collections.Counter[str] = collections.Counter()
    originals = {name: getattr(pl.LazyFrame, name) for name in ("_collect_eager", "collect")}
    collect_all = pl.collect_all

    def counting(original: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            counter["queries"] += 1
            return original(*args, **kwargs)

        return run

    for name, original in originals.items():
        setattr(pl.LazyFrame, name, counting(original))
    pl.collect_all = counting(collect_all)
    try:
        yield counter
    finally:
        for name, original in originals.items():
            setattr(pl.LazyFrame, name, original)
        pl.collect_all = collect_all


@dataclass(frozen=True)
class Timing:
    best: float
    median: float
    queries: int


def _timed(run: Callable[[], object], runs: int) -> Timing:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    with counted_queries() as counter:
        run()
    return Timing(min(seconds), statistics.median(seconds), counter["queries"])


def _build(repo: Path, out: Path) -> None:
    argv = [sys.executable, "-m", "orchestration.cli", "build", str(repo), "--out", str(out)]
    argv += ["--no-cache", "--workers", "2"]
    completed = subprocess.run(argv, capture_output=True, text=True, cwd=REPO_ROOT, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{completed.stderr[-2000:]}")


def measure(workspace: Path, *, runs: int) -> dict[str, tuple[int, Timing, Timing]]:
    """(files, cpg_edges, cpg_nodes) of each input, built under ``workspace``."""
    from hamilton_modules.cpg import cpg_edges, cpg_nodes

    tokio = tokio_corpus()
    one_file = workspace / "one-file"
    one_file.mkdir()
    shutil.copyfile(next(tokio.glob(f"tokio-*/src/{ONE_FILE}")), one_file / "lib.rs")
    inputs = {"one-file Rust": one_file, "tokio": tokio, "dagster": dagster_corpus()}
    figures: dict[str, tuple[int, Timing, Timing]] = {}
    for name, repo in inputs.items():
        out = workspace / f"out-{len(figures)}"
        _build(repo, out)
        edges = cpg_inputs(out)
        nodes = {key: value for key, value in edges.items() if key != "inherits_tables"}
        figures[name] = (
            edges["files"].height,
            _timed(lambda edges=edges: cpg_edges(**edges), runs),
            _timed(lambda nodes=nodes: cpg_nodes(**nodes), runs),
        )
    return figures


def render(figures: dict[str, tuple[int, Timing, Timing]], *, runs: int) -> str:
    lines = [
        machine_description(),
        f"- `cpg_edges` and `cpg_nodes` in one process on the tables of a `codeintel build`, "
        f"best of {runs} runs (median in brackets); polars queries: the collects of one run. "
        f"One-file Rust: a repository of tokio's `{ONE_FILE}` alone (the change floor).",
        "",
        "| input | files | cpg_edges s | queries | cpg_nodes s | queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, (files, edges, nodes) in figures.items():
        lines.append(
            f"| {name} | {files} | {edges.best:.3f} ({edges.median:.3f}) | {edges.queries} | "
            f"{nodes.best:.3f} ({nodes.median:.3f}) | {nodes.queries} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the resolver's fixed cost per run.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-resolver-") as workspace:
        body = render(measure(Path(workspace), runs=args.runs), runs=args.runs)
    print(body)
    if args.write:
        update_section(section="resolver", title="Resolver per run (issue 5)", body=body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
