"""Build benchmark on the tokio crates: ``codeintel build`` against parse-only and ``ctags -R``.

Figures (written to the "build" section of ``bench/RESULTS.md``):

1. tree-sitter parse-only time of the corpus' ``.rs`` files (read + parse, nothing else), in this
   process sequentially and with a warm pool of ``--workers`` spawned processes (pool start-up not
   counted, so this is the floor a parallel build could reach);
   plus, to locate the overhead, parse + one pass of the combined query (the C part of
   extraction) and extract-only (``extract_file_columns``, what a parse worker runs per file:
   parse, queries, macro bodies parsed again, rows), both sequential;
2. cold ``codeintel build`` wall time (a subprocess, fresh output folder, ``--no-cache`` when the
   command has that option), best and median of ``--runs``; ratio build / parse-only. The build
   parses ahead in its worker pool while it loads its libraries (``parsing.prestart``), so the
   wall time holds start-up and parsing overlapped, not added;
3. ``ctags -R`` wall time on the same folder (single-threaded), ratio build / ctags;
4. the import floor: a fresh interpreter that only imports Hamilton's driver, polars and pyarrow
   (``bench.results.import_floor_seconds``), over parse-only and over ctags: the lowest ratios any
   build on this stack can reach, since it pays them before its first node runs;
5. peak memory of the build: the largest single process' max RSS (``getrusage(RUSAGE_CHILDREN)``
   of a probe process that only runs the build, so it covers the build and every worker it waited
   for, exactly) and the peak of the whole process tree's summed RSS (sampled every 20 ms from
   ``/proc``, Linux only).

Timed phases are best-of-``--runs`` (medians are reported too) because the machine is shared.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tree_sitter_rust
from tree_sitter import Language, Parser

from bench.corpora import REPO_ROOT, corpus_files, tokio_corpus
from bench.results import (
    DATAFLOW_LIBRARIES,
    command_environment,
    import_floor_seconds,
    machine_description,
    update_section,
)

CODEINTEL = Path(sys.executable).parent / "codeintel"

GOAL_BUILD_OVER_PARSE = 1.5
GOAL_BUILD_OVER_CTAGS = 3.0
GOAL_PEAK_RSS_MB = 400.0

# ---------------------------------------------------------------------------------------------
# parse-only
# ---------------------------------------------------------------------------------------------

_worker_parser: Parser | None = None


def _rust_parser() -> Parser:
    return Parser(Language(tree_sitter_rust.language()))


def _init_worker() -> None:
    global _worker_parser
    _worker_parser = _rust_parser()


def _parse_in_worker(path: str) -> int:
    """Read and parse one file in a pool worker; returns the number of bytes parsed."""
    assert _worker_parser is not None
    source = Path(path).read_bytes()
    _worker_parser.parse(source)
    return len(source)


def parse_sequential(files: Sequence[Path]) -> float:
    parser = _rust_parser()
    started = time.perf_counter()
    for file in files:
        parser.parse(file.read_bytes())
    return time.perf_counter() - started


def extract_sequential(files: Sequence[Path], root: Path) -> float:
    """What a parse worker does per file: ``extract_file_columns`` (parse, queries, rows)."""
    from hamilton_modules.languages import extract_file_columns, warm_up

    warm_up("rust")  # compiles the queries outside the timing
    started = time.perf_counter()
    for file in files:
        extract_file_columns("rust", file.relative_to(root).as_posix(), file.read_bytes())
    return time.perf_counter() - started


def parse_and_query_sequential(files: Sequence[Path]) -> float:
    """Parse + one pass of the Rust rule table's combined query over each file's own tree (the
    matches are built, nothing is read from them): the part of extraction done in C."""
    from tree_sitter import Query, QueryCursor

    from hamilton_modules.languages import rules_for

    parser = _rust_parser()
    query = Query(Language(tree_sitter_rust.language()), rules_for("rust").query)
    started = time.perf_counter()
    for file in files:
        QueryCursor(query).matches(parser.parse(file.read_bytes()).root_node)
    return time.perf_counter() - started


def parse_parallel(files: Sequence[Path], *, workers: int, runs: int) -> list[float]:
    """Wall times of parsing all files with a warm spawn pool (start-up excluded)."""
    paths = [str(file) for file in files]
    context = multiprocessing.get_context("spawn")
    timings: list[float] = []
    with context.Pool(workers, initializer=_init_worker) as pool:
        pool.map(_parse_in_worker, paths[:workers], chunksize=1)  # workers are up and warm
        for _ in range(runs):
            started = time.perf_counter()
            total = sum(pool.imap_unordered(_parse_in_worker, paths, chunksize=4))
            timings.append(time.perf_counter() - started)
            assert total > 0
    return timings


def best_of(runs: int, measure: Callable[[], float]) -> list[float]:
    return [measure() for _ in range(runs)]


# ---------------------------------------------------------------------------------------------
# a measured subprocess (wall time, max single-process RSS, sampled process-tree RSS)
# ---------------------------------------------------------------------------------------------

# Runs the command, then writes its own RUSAGE_CHILDREN (the command and every descendant it
# waited for) to the file named by argv[1]: a clean measure, unpolluted by this process' pools.
_PROBE = """
import json, resource, subprocess, sys
completed = subprocess.run(sys.argv[2:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump({"returncode": completed.returncode, "maxrss_kib": usage.ru_maxrss}, out)
"""


@dataclass(frozen=True)
class Measured:
    wall_seconds: float
    returncode: int
    max_process_rss_mb: float
    peak_tree_rss_mb: float
    output_tail: str


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # Fields after the parenthesised command name: state, ppid, ...
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_rss_kib(root_pid: int) -> int:
    """Summed RSS of every descendant of ``root_pid`` (the probe itself excluded)."""
    children = _children_by_parent()
    total, stack = 0, list(children.get(root_pid, []))
    while stack:
        pid = stack.pop()
        total += _rss_kib(pid)
        stack.extend(children.get(pid, []))
    return total


def measure_command(argv: Sequence[str], *, cwd: Path) -> Measured:
    with tempfile.TemporaryDirectory(prefix="codeintel-bench-probe-") as probe_dir:
        report = Path(probe_dir) / "rusage.json"
        log = Path(probe_dir) / "output.log"
        peak_tree = 0
        done = threading.Event()
        with log.open("wb") as log_handle:
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-c", _PROBE, str(report), *argv],
                cwd=cwd,
                env=command_environment(),
                stdout=log_handle,
                stderr=subprocess.STDOUT,
            )

            def sample() -> None:
                nonlocal peak_tree
                while not done.wait(0.02):
                    peak_tree = max(peak_tree, _tree_rss_kib(process.pid))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            process.wait()
            wall = time.perf_counter() - started
            done.set()
            sampler.join()
        usage = json.loads(report.read_text()) if report.exists() else {}
        tail = "\n".join(log.read_text(errors="replace").strip().splitlines()[-5:])
        return Measured(
            wall_seconds=wall,
            returncode=int(usage.get("returncode", process.returncode)),
            max_process_rss_mb=int(usage.get("maxrss_kib", 0)) * 1024 / 1e6,
            peak_tree_rss_mb=peak_tree * 1024 / 1e6,
            output_tail=tail,
        )


def _manifest_timings(path: Path) -> dict[str, float]:
    """The build's own timings (manifest.json ``timings``): total, compute, ``node:<name>``."""
    try:
        timings = json.loads(path.read_text(encoding="utf-8")).get("timings", {})
    except (OSError, ValueError):
        return {}
    found: dict[str, float] = {}
    for key in ("total_seconds", "compute_seconds"):
        if isinstance(timings.get(key), int | float):
            found[key] = float(timings[key])
    nodes = timings.get("nodes", {})
    for node, seconds in nodes.items():
        if isinstance(seconds, int | float):
            found[f"node:{node}"] = float(seconds)
    return found


def build_help() -> str:
    completed = subprocess.run(
        [str(CODEINTEL), "build", "--help"], capture_output=True, text=True, check=False
    )
    return completed.stdout + completed.stderr


def ctags_seconds(root: Path, *, out_dir: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        ["ctags", "-R", "-f", str(out_dir / "tags"), str(root)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------------


def _verdict(measured: float, goal: float) -> str:
    return "met" if measured <= goal else "**not met**"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_build", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each timed phase")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-write", action="store_true", help="print, do not touch RESULTS.md")
    args = parser.parse_args(argv)

    root = tokio_corpus()
    files = corpus_files(root=root, suffixes=[".rs"])
    corpus_bytes = sum(file.stat().st_size for file in files)
    corpus_lines = sum(file.read_bytes().count(b"\n") for file in files)
    print(f"tokio corpus: {root} ({len(files)} .rs files, {corpus_bytes / 1e6:.2f} MB)")

    parse_seq = best_of(args.runs, lambda: parse_sequential(files))
    parse_par = parse_parallel(files, workers=args.workers, runs=args.runs)
    print(
        f"parse-only: sequential {min(parse_seq):.3f} s, {args.workers} workers {min(parse_par):.3f} s"
    )
    extract_seq: list[float] | None = None
    query_seq: list[float] | None = None
    try:
        query_seq = best_of(args.runs, lambda: parse_and_query_sequential(files))
        extract_seq = best_of(args.runs, lambda: extract_sequential(files, root))
        print(
            f"parse + query sequential: {min(query_seq):.3f} s, "
            f"extract-only sequential: {min(extract_seq):.3f} s"
        )
    except Exception as error:  # the extractor may not support Rust yet: report, keep measuring
        print(f"extract-only: unavailable ({type(error).__name__}: {error})")

    with tempfile.TemporaryDirectory(prefix="codeintel-bench-ctags-") as ctags_dir:
        ctags_runs = best_of(args.runs, lambda: ctags_seconds(root, out_dir=Path(ctags_dir)))
    print(f"ctags -R: {min(ctags_runs):.3f} s")
    import_floor = import_floor_seconds(modules=DATAFLOW_LIBRARIES, runs=args.runs)
    print(f"import floor ({', '.join(DATAFLOW_LIBRARIES)}): {import_floor:.2f} s")

    help_text = build_help()
    build_runs: list[Measured] = []
    manifests: list[dict[str, float]] = []
    build_argv: list[str] = []
    if "--out" in help_text:
        with tempfile.TemporaryDirectory(prefix="codeintel-bench-build-") as out_root:
            for run in range(args.runs):
                out = Path(out_root) / f"run{run}"
                build_argv = [str(CODEINTEL), "build", str(root), "--out", str(out)]
                if "--no-cache" in help_text:
                    build_argv.append("--no-cache")
                if "--workers" in help_text:
                    build_argv += ["--workers", str(args.workers)]
                measured = measure_command(build_argv, cwd=REPO_ROOT)
                manifests.append(_manifest_timings(out / "manifest.json"))
                print(
                    f"build run {run}: exit {measured.returncode}, {measured.wall_seconds:.2f} s, "
                    f"max process RSS {measured.max_process_rss_mb:.0f} MB, "
                    f"peak tree RSS {measured.peak_tree_rss_mb:.0f} MB"
                )
                build_runs.append(measured)
                shutil.rmtree(out, ignore_errors=True)
                if measured.returncode != 0:
                    print(measured.output_tail, file=sys.stderr)
                    break
    else:
        print("codeintel build is not available yet: build figures skipped", file=sys.stderr)

    body = render(
        root=root,
        files=len(files),
        corpus_bytes=corpus_bytes,
        corpus_lines=corpus_lines,
        workers=args.workers,
        parse_seq=parse_seq,
        parse_par=parse_par,
        extract_seq=extract_seq,
        query_seq=query_seq,
        ctags_runs=ctags_runs,
        import_floor=import_floor,
        build_runs=build_runs,
        manifests=manifests,
        build_argv=build_argv,
    )
    print(body)
    if not args.no_write:
        update_section(section="build", title="Build (tokio crates)", body=body)
    return 0 if build_runs and all(run.returncode == 0 for run in build_runs) else 1


def render(
    *,
    root: Path,
    files: int,
    corpus_bytes: int,
    corpus_lines: int,
    workers: int,
    parse_seq: list[float],
    parse_par: list[float],
    extract_seq: list[float] | None,
    query_seq: list[float] | None,
    ctags_runs: list[float],
    import_floor: float,
    build_runs: list[Measured],
    manifests: list[dict[str, float]],
    build_argv: list[str],
) -> str:
    versions_file = root.parents[3] / "VERSIONS"
    versions = ", ".join(versions_file.read_text().split()) if versions_file.exists() else "unknown"
    lines = [
        "`python -m bench.bench_build` (see its docstring for what each figure measures).",
        "",
        machine_description(),
        f"- Corpus: Debian packages {versions}: {files} `.rs` files, "
        f"{corpus_bytes / 1e6:.2f} MB, {corpus_lines} lines",
        f"- Timed phases: best of {len(parse_seq)} (median in brackets)",
        "",
        "| figure | measured | goal |",
        "|---|---|---|",
        f"| tree-sitter parse-only, sequential | {min(parse_seq):.3f} s "
        f"({statistics.median(parse_seq):.3f}); {corpus_bytes / 1e6 / min(parse_seq):.1f} MB/s | |",
        f"| tree-sitter parse-only, {workers} workers (warm pool) | {min(parse_par):.3f} s "
        f"({statistics.median(parse_par):.3f}) | |",
    ]
    if query_seq is not None:
        lines.append(
            f"| parse + the combined query's matches (own tree), sequential | "
            f"{min(query_seq):.3f} s ({statistics.median(query_seq):.3f}); query "
            f"{min(query_seq) - min(parse_seq):+.3f} s | |"
        )
    if extract_seq is not None:
        lines.append(
            f"| `extract_file_columns` (parse + queries + macro bodies + rows), sequential | "
            f"{min(extract_seq):.3f} s ({statistics.median(extract_seq):.3f}); "
            f"{min(extract_seq) / min(parse_seq):.2f}x parse-only | |"
        )
    lines.append(
        f"| `ctags -R` (single-threaded) | {min(ctags_runs):.3f} s "
        f"({statistics.median(ctags_runs):.3f}) | |"
    )
    parse_floor = min(min(parse_seq), min(parse_par))
    lines += [
        f"| import floor: a fresh interpreter that only imports "
        f"{', '.join(f'`{module}`' for module in DATAFLOW_LIBRARIES)} (no work) | "
        f"{import_floor:.2f} s | |",
        f"| import floor / parse-only (the lowest build / parse-only ratio this stack can reach) | "
        f"{import_floor / parse_floor:.1f}x | |",
        f"| import floor / `ctags -R` (the lowest build / ctags ratio this stack can reach) | "
        f"{import_floor / min(ctags_runs):.1f}x | |",
    ]
    ok_runs = [run for run in build_runs if run.returncode == 0]
    if ok_runs and len(ok_runs) == len(build_runs):
        walls = [run.wall_seconds for run in ok_runs]
        build = min(walls)
        fastest = walls.index(build)
        max_rss = max(run.max_process_rss_mb for run in ok_runs)
        tree_rss = max(run.peak_tree_rss_mb for run in ok_runs)
        shown_arguments = " ".join(
            "<tokio>" if argument == str(root) else "<out>" if previous == "--out" else argument
            for previous, argument in itertools.pairwise(build_argv[1:])
        )
        lines += [
            f"| cold `codeintel build` wall time | {build:.2f} s ({statistics.median(walls):.2f}) | |",
            f"| build / parse-only (the faster of sequential and {workers} workers) | "
            f"{build / parse_floor:.1f}x | "
            f"≤ {GOAL_BUILD_OVER_PARSE}x ({_verdict(build / parse_floor, GOAL_BUILD_OVER_PARSE)}) |",
            f"| build / `ctags -R` | {build / min(ctags_runs):.1f}x | "
            f"≤ {GOAL_BUILD_OVER_CTAGS}x ({_verdict(build / min(ctags_runs), GOAL_BUILD_OVER_CTAGS)}) |",
        ]
        fastest_manifest = manifests[fastest] if len(manifests) > fastest else {}
        if "total_seconds" in fastest_manifest:
            inside = fastest_manifest["total_seconds"]
            lines.append(
                f"| build time inside the process, fastest run (manifest `total_seconds`; the rest of the wall "
                f"time is interpreter start-up, imports and driver set-up) | {inside:.2f} s "
                f"(start-up {build - inside:.2f} s) | |"
            )
            lines.append(f"| in-process build / parse-only | {inside / parse_floor:.1f}x | |")
        if fastest_manifest:
            slowest = sorted(
                (
                    (seconds, key[5:])
                    for key, seconds in fastest_manifest.items()
                    if key[:5] == "node:"
                ),
                reverse=True,
            )[:6]
            lines.append(
                "| slowest Hamilton nodes of the fastest run | "
                + ", ".join(f"`{node}` {seconds:.2f} s" for seconds, node in slowest)
                + " | |"
            )
        lines += [
            f"| peak RSS, largest single process | {max_rss:.0f} MB | "
            f"≤ {GOAL_PEAK_RSS_MB:.0f} MB ({_verdict(max_rss, GOAL_PEAK_RSS_MB)}) |",
            f"| peak RSS, whole process tree (sampled sum) | {tree_rss:.0f} MB | "
            f"({_verdict(tree_rss, GOAL_PEAK_RSS_MB)}) |",
            "",
            f"Build command: `codeintel build {shown_arguments}`",
        ]
    elif build_runs:
        failed = build_runs[-1]
        lines += [
            f"| cold `codeintel build` | **failed** (exit {failed.returncode}) | |",
            "",
            "```",
            failed.output_tail,
            "```",
        ]
    else:
        lines += ["| cold `codeintel build` | not available yet | |"]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
