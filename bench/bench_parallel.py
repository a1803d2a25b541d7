"""Two repositories materialized in parallel vs one after the other, and one sensor tick at scale.

Figures (written to the "parallel" section of ``bench/RESULTS.md``):

1. Materialization of two real repositories (the tokio crates, Rust; the rxjs sources, TypeScript)
   through Dagster with ``codeintel materialize``, every measurement cold (a fresh ``DAGSTER_HOME``
   with a copy of the shipped dagster.yaml, so a fresh warehouse and Hamilton cache):
   - serial, one process: ``codeintel materialize TOKIO RXJS``;
   - serial, two processes: ``codeintel materialize TOKIO`` then ``codeintel materialize RXJS``;
   - parallel: both single-repository commands started at once on the same instance.
   Goal: parallel ≤ 0.6 of serial (two processes, the like-for-like comparison) on this 2-core
   machine. The CPU time (user + sys of the commands and the parse workers they waited for) and
   the load average say how much of the machine was free: a run uses about one core on average,
   so two runs only overlap when the other core is idle.
2. The fixed cost of a run: a warm ``codeintel materialize`` of a two-file repository (the second
   run on a new home), with the shipped instance (``orchestration.instance_storage``: one SQLite
   engine per event-log shard) and with Dagster's stock SQLite storage (the shipped dagster.yaml
   without ``instance_class``).
3. ``new_repos_sensor``: wall time of one tick over 1,000 repositories (half with a ``.git`` HEAD,
   half plain folders): the first tick (registers all of them) and a second tick (nothing changed
   on disk; with the shipped cap it requests the next deferred runs), with the shipped cap of runs
   per tick and without it (1,000 run requests in one tick), and the cursor size.
   Dagster's sensor evaluation timeout is 60 s.

Timed phases are best-of-``--runs`` (medians beside them) because the machine is shared. One
untimed materialization of a two-file repository comes first, so that the variant measured first
does not alone pay for the per-user warm-up (the persistent code-version store, bytecode, file
cache).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.corpora import REPO_ROOT, rxjs_corpus, tokio_corpus
from bench.results import machine_description, update_section

CODEINTEL = Path(sys.executable).parent / "codeintel"
GOAL_PARALLEL_OVER_SERIAL = 0.6
SENSOR_TIMEOUT_SECONDS = 60
SENSOR_REPOSITORIES = 1000


def _fresh_home(base: Path, *, stock_storage: bool = False) -> dict[str, str]:
    """A new home with the shipped dagster.yaml (``stock_storage``: without its
    ``instance_class``, i.e. Dagster's own SQLite storage)."""
    import yaml
    from dagster import DagsterInstance

    from tests.servers import dagster_env

    home = Path(tempfile.mkdtemp(prefix="home-", dir=base))
    shutil.copy(REPO_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    if stock_storage:
        config = yaml.safe_load((home / "dagster.yaml").read_text())
        config.pop("instance_class", None)
        (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    # Create the SQLite storage before two processes open the instance at once: Dagster's schema
    # creation races ("table alembic_version already exists") on a brand-new home.
    DagsterInstance.from_config(str(home)).dispose()
    return dagster_env(home)


def _start(repos: Sequence[Path], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as handle:
        return subprocess.Popen(
            [str(CODEINTEL), "materialize", *map(str, repos)],
            cwd=REPO_ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )


def _finish(process: subprocess.Popen[bytes], log: Path) -> None:
    if process.wait() != 0:
        raise SystemExit(f"codeintel materialize failed:\n{log.read_text()[-3000:]}")


def serial_one_process(repos: Sequence[Path], base: Path) -> float:
    env, log = _fresh_home(base), base / "serial1.log"
    started = time.perf_counter()
    _finish(_start(repos, env, log), log)
    return time.perf_counter() - started


def serial_processes(repos: Sequence[Path], base: Path) -> float:
    env, log = _fresh_home(base), base / "serial2.log"
    started = time.perf_counter()
    for repo in repos:
        _finish(_start([repo], env, log), log)
    return time.perf_counter() - started


def parallel_processes(repos: Sequence[Path], base: Path) -> float:
    env, log = _fresh_home(base), base / "parallel.log"
    started = time.perf_counter()
    processes = [_start([repo], env, log) for repo in repos]
    for process in processes:
        _finish(process, log)
    return time.perf_counter() - started


def tiny_repository(base: Path) -> Path:
    """A two-file repository (Rust + TypeScript): what every run costs besides its own work."""
    repo = base / "tiny"
    repo.mkdir()
    (repo / "main.rs").write_text("fn main() { helper(); }\nfn helper() {}\n")
    (repo / "index.ts").write_text("export function main(): number { return 1; }\n")
    return repo


def fixed_cost(tiny: Path, base: Path, *, stock_storage: bool) -> float:
    """Wall time of a warm ``codeintel materialize`` of ``tiny`` (the second run on a new home)."""
    env = _fresh_home(base, stock_storage=stock_storage)
    log = base / ("fixed-stock.log" if stock_storage else "fixed.log")
    _finish(_start([tiny], env, log), log)
    started = time.perf_counter()
    _finish(_start([tiny], env, log), log)
    return time.perf_counter() - started


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _best(samples: list[float]) -> str:
    return f"{min(samples):.2f} s ({statistics.median(samples):.2f})"


def sensor_tick_figures(base: Path) -> dict[str, str]:
    """Time ticks of the real sensor over 1,000 generated repositories."""
    from dagster import DagsterInstance, build_sensor_context

    from orchestration.definitions import JOB_NAME, REPOS_PARTITIONS_NAME, defs
    from orchestration.resources import ReposRootResource
    from orchestration.sensors import DEFAULT_MAX_RUNS_PER_TICK, build_new_repos_sensor

    root = base / "repos"
    for index in range(SENSOR_REPOSITORIES):
        repo = root / f"repo-{index:04d}"
        if index % 2:
            (repo / ".git" / "refs" / "heads").mkdir(parents=True)
            (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
            (repo / ".git" / "refs" / "heads" / "main").write_text(f"{index:040x}\n")
        else:
            (repo / "src").mkdir(parents=True)
            for name in ("a.py", "b.py", "c.rs"):
                (repo / "src" / name).write_text(f"# {index}\n")
    figures: dict[str, str] = {}
    shipped = defs.resolve_sensor_def("new_repos_sensor")
    uncapped = build_new_repos_sensor(
        job_name=JOB_NAME, partitions_name=REPOS_PARTITIONS_NAME, max_runs_per_tick=None
    )
    for variant, sensor in (
        (f"shipped cap of {DEFAULT_MAX_RUNS_PER_TICK} runs per tick", shipped),
        ("no cap", uncapped),
    ):
        home = Path(tempfile.mkdtemp(prefix="sensor-home-", dir=base))
        with DagsterInstance.local_temp(str(home)) as instance:
            cursor: str | None = None
            for label in ("first tick (registers 1,000)", "second tick (nothing changed)"):
                context = build_sensor_context(
                    instance=instance,
                    instance_ref=instance.get_ref(),
                    cursor=cursor,
                    sensor_name=sensor.name,
                    definitions=defs,
                    resources={"repos_root": ReposRootResource(root=str(root))},
                )
                started = time.perf_counter()
                data = sensor.evaluate_tick(context)
                elapsed = time.perf_counter() - started
                for request in data.dynamic_partitions_requests or []:
                    instance.add_dynamic_partitions(
                        request.partitions_def_name,
                        list(getattr(request, "partition_keys", [])),
                    )
                cursor = data.cursor
                figures[f"{label}, {variant}"] = (
                    f"{elapsed:.2f} s, {len(data.run_requests or [])} run requests"
                )
            figures[f"cursor size after the ticks, {variant}"] = (
                f"{len((cursor or '').encode())} bytes"
            )
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Two repositories in parallel vs serial.")
    parser.add_argument("--runs", type=int, default=3, help="repeats of each timed phase")
    parser.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md")
    args = parser.parse_args(argv)

    repos = [tokio_corpus(), rxjs_corpus()]
    serial1: list[float] = []
    serial2: list[float] = []
    parallel: list[float] = []
    fixed: list[float] = []
    fixed_stock: list[float] = []
    cpu: dict[str, list[float]] = {"serial1": [], "serial2": [], "parallel": []}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-parallel-") as scratch:
        base = Path(scratch)
        tiny = tiny_repository(base)
        _finish(_start([tiny], _fresh_home(base), base / "warm-up.log"), base / "warm-up.log")
        for run in range(args.runs):
            # Interleaved, so a burst of load from other work hits every variant alike.
            for name, measure, samples in (
                ("parallel", parallel_processes, parallel),
                ("serial2", serial_processes, serial2),
                ("serial1", serial_one_process, serial1),
            ):
                cpu_before = _children_cpu_seconds()
                samples.append(measure(repos, base))
                cpu[name].append(_children_cpu_seconds() - cpu_before)
            fixed.append(fixed_cost(tiny, base, stock_storage=False))
            fixed_stock.append(fixed_cost(tiny, base, stock_storage=True))
            print(
                f"run {run + 1}: parallel {parallel[-1]:.2f} s, serial (2 processes) "
                f"{serial2[-1]:.2f} s, serial (1 process) {serial1[-1]:.2f} s, fixed cost "
                f"{fixed[-1]:.2f} s (stock storage {fixed_stock[-1]:.2f} s)",
                flush=True,
            )
        load_after = os.getloadavg()[0]
        sensor = sensor_tick_figures(base)

    ratio = min(parallel) / min(serial2)
    ratio_one = min(parallel) / min(serial1)
    verdict = "met" if ratio <= GOAL_PARALLEL_OVER_SERIAL else "**not met**"
    rows = [
        "| figure | measured | goal |",
        "|---|---|---|",
        f"| serial, one process (`codeintel materialize TOKIO RXJS`) | {_best(serial1)} | |",
        f"| serial, two processes one after the other | {_best(serial2)} | |",
        f"| parallel, two processes at once (same instance) | {_best(parallel)} | |",
        f"| parallel / serial (two processes) | {ratio:.2f} | ≤ {GOAL_PARALLEL_OVER_SERIAL} "
        f"({verdict}) |",
        f"| parallel / serial (one process) | {ratio_one:.2f} | |",
        "| CPU time (user + sys) serial one process / two processes / parallel, median | "
        + " / ".join(
            f"{statistics.median(cpu[k]):.1f} s" for k in ("serial1", "serial2", "parallel")
        )
        + " | |",
        f"| 1-minute load average before / after the materializations | {load_before:.1f} / "
        f"{load_after:.1f} | |",
        "| fixed cost of a run: warm `codeintel materialize` of a two-file repository, shipped "
        f"instance (`CodeintelInstance`, pooled event log) | {_best(fixed)} | |",
        "| the same on Dagster's stock SQLite storage (shipped dagster.yaml without "
        f"`instance_class`) | {_best(fixed_stock)} | |",
        f"| fixed cost, shipped / stock storage | {min(fixed) / min(fixed_stock):.2f} | |",
    ]
    rows += [
        f"| `new_repos_sensor`, {label} | {value} | < {SENSOR_TIMEOUT_SECONDS} s timeout |"
        if "tick (" in label
        else f"| `new_repos_sensor`, {label} | {value} | |"
        for label, value in sensor.items()
    ]
    body = "\n".join(
        [
            "`python -m bench.bench_parallel` (see its docstring for what each figure measures).",
            "",
            machine_description(),
            f"- Repositories: tokio crates ({repos[0]}), rxjs sources ({repos[1]}); every "
            f"materialization cold (fresh DAGSTER_HOME); best of {args.runs} (median in brackets)",
            "",
            *rows,
        ]
    )
    print(body)
    if not args.no_write:
        update_section(section="parallel", title="Parallel repositories and sensor", body=body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
