"""Benchmark: `dagster definitions validate` on a generated 5,000-node Hamilton graph (goal <= 3 s).

A temporary code location (``location.py``) turns a generated Hamilton module into Dagster assets
through the public call, ``hamilton_assets(modules=[graph], ...)``, exactly as
``orchestration/definitions.py`` does for the real dataflow. The graph is the "pipeline" shape of
``bench/bench_plan.py`` (an inventory, ~50 families of ~100 nodes sharing a non-persistable value,
fan-in nodes at the end, a ``@check_output`` every 25 nodes), so it has ops, multi-assets and
checks like the real one.

Timed, each as a fresh ``dagster definitions validate`` process (what a user or CI waits for):

- ``empty location``: ``Definitions()`` only, the fixed cost of the CLI and Dagster's imports;
- ``generated location``: the 5,000-node graph through ``hamilton_assets`` (the goal), three times
  per repeat: ``cold`` with no code-version store (``orchestration.code_versions``: every function's
  version is computed, one parse per source file) and the generated module compiled from source,
  as on the first load after a code change; ``warm``: the store written by the cold load
  (unchanged functions are not re-hashed) and the module's bytecode cached, as on every later
  load. Python writes that bytecode on the first import, unless ``PYTHONDONTWRITEBYTECODE`` is set
  (as in some sandboxes): the bench compiles it itself (``py_compile``) so the warm figure does not
  depend on that setting, and also times the warm load ``without bytecode`` (compiling the 14,000
  lines again, ~0.15 s: the figure earlier sessions recorded as warm). The project's own modules
  (``orchestration``, ~2,900 lines) are compiled on every load where that variable is set (~0.05
  s in each row), as the bench does not write their bytecode. Like
  ``orchestration/definitions.py``, the location pauses the garbage collector while it loads and
  builds its repository, then freezes what it built;
- ``autoloading``: the warm load again with ``HAMILTON_AUTOLOAD_EXTENSIONS=1``, i.e. without the
  location's opt-out: Hamilton then imports its plugin for every installed library (dask, pandas,
  ...) on first import;
- ``project location``: this repository's ``workspace.yaml`` (the real dataflow);

and, in this process (collector paused, as in the location), the phases of one cold load of the
generated module: Hamilton driver build, plan (code versions, analysis, partition), the
multi_assets and checks (mostly Dagster's ``multi_asset``/``AssetOut`` construction), and what
``validate`` itself does with the definitions (Dagster: repository and snapshot).

Usage: ``python -m bench.bench_definitions [--nodes N] [--repeat R] [--write]``; ``--write`` records
the figures in bench/RESULTS.md (only the "dagster_location" section is replaced).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import py_compile
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_plan import import_module, pipeline_source
from bench.results import command_environment, machine_description, update_section

PROJECT = Path(__file__).resolve().parents[1]
DAGSTER = Path(sys.executable).parent / "dagster"
GOAL_SECONDS = 3.0

GENERATED_LOCATION = """\
import os
import sys
from pathlib import Path

# As orchestration/definitions.py: Hamilton loads only the plugins this graph uses (none), not
# one per installed library (README, "Any Hamilton dataflow").
os.environ.setdefault("HAMILTON_AUTOLOAD_EXTENSIONS", "0")

sys.path.insert(0, str(Path(__file__).parent))

# As orchestration/definitions.py: what is loaded and built lives as long as the process; no
# collection while it loads, then frozen.
import gc

gc.disable()

import generated_graph
from dagster import Definitions

from orchestration import HamiltonIOManager, hamilton_assets

defs = Definitions(
    assets=hamilton_assets(modules=[generated_graph], config={}, inputs={"seed_value": 1}),
    resources={"io_manager": HamiltonIOManager()},
)
defs.get_repository_def()  # cached: the repository every loader builds, built while paused
gc.freeze()
gc.enable()
"""
EMPTY_LOCATION = "from dagster import Definitions\n\ndefs = Definitions()\n"


def _validate_seconds(
    arguments: list[str], *, home: Path, cwd: Path, extra_env: dict[str, str] | None = None
) -> float:
    env = command_environment(
        DAGSTER_HOME=str(home), CODEINTEL_CACHE_DIR=str(home / "hamilton_cache")
    )
    env.update(extra_env or {})
    start = time.perf_counter()
    completed = subprocess.run(
        [str(DAGSTER), "definitions", "validate", *arguments],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"validate {arguments} failed:\n{completed.stderr[-2000:]}")
    return elapsed


def _best(samples: list[float]) -> str:
    return f"best {min(samples):.2f} s, median {statistics.median(samples):.2f} s"


def run(*, nodes: int, repeat: int) -> dict[str, str]:
    previous_cache_dir = os.environ.get("CODEINTEL_CACHE_DIR")
    try:
        return _run(nodes=nodes, repeat=repeat)
    finally:
        if previous_cache_dir is None:
            os.environ.pop("CODEINTEL_CACHE_DIR", None)
        else:
            os.environ["CODEINTEL_CACHE_DIR"] = previous_cache_dir


def _run(*, nodes: int, repeat: int) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        home = folder / "dagster_home"
        home.mkdir()
        shutil.copy(PROJECT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
        (folder / "generated_graph.py").write_text(pipeline_source(nodes=nodes))
        (folder / "location.py").write_text(GENERATED_LOCATION)
        (folder / "empty.py").write_text(EMPTY_LOCATION)

        from dagster import Definitions
        from dagster._core.remote_representation.external_data import RepositorySnap

        from orchestration.assets import hamilton_assets, hamilton_driver
        from orchestration.code_versions import STORE_FILE
        from orchestration.collector import gc_paused
        from orchestration.io_manager import HamiltonIOManager
        from orchestration.partition import plan_from_driver

        # This process's code-version store lives in the temporary folder too (cold: empty).
        os.environ["CODEINTEL_CACHE_DIR"] = str(folder / "in_process_cache")
        store = home / "hamilton_cache" / STORE_FILE

        module = import_module(folder / "generated_graph.py")
        # The phases of one cold load, in this process: what the location pays on top of the CLI.
        with gc_paused():
            start = time.perf_counter()
            dr = hamilton_driver(modules=[module], config={})
            driver_seconds = time.perf_counter() - start
            start = time.perf_counter()
            plan = plan_from_driver(driver=dr, config={})
            plan_seconds = time.perf_counter() - start
            start = time.perf_counter()
            assets = hamilton_assets(
                modules=[module], config={}, inputs={"seed_value": 1}, plan=plan
            )
            definitions_seconds = time.perf_counter() - start
            start = time.perf_counter()
            repository = Definitions(
                assets=assets, resources={"io_manager": HamiltonIOManager()}
            ).get_repository_def()
            RepositorySnap.from_def(repository)
            snapshot_seconds = time.perf_counter() - start
        asset_count = sum(len(a.keys) for a in assets)
        check_count = sum(len(a.check_keys) for a in assets)

        graph_source = folder / "generated_graph.py"
        graph_bytecode = Path(importlib.util.cache_from_source(str(graph_source)))
        empty, cold, generated, uncompiled, autoload, project = [], [], [], [], [], []
        for _ in range(repeat):
            empty.append(_validate_seconds(["-f", "empty.py"], home=home, cwd=folder))
            store.unlink(missing_ok=True)
            graph_bytecode.unlink(missing_ok=True)
            cold.append(_validate_seconds(["-f", "location.py"], home=home, cwd=folder))
            graph_bytecode.unlink(missing_ok=True)  # written by the cold load, unless disabled
            uncompiled.append(_validate_seconds(["-f", "location.py"], home=home, cwd=folder))
            py_compile.compile(str(graph_source), cfile=str(graph_bytecode), doraise=True)
            generated.append(_validate_seconds(["-f", "location.py"], home=home, cwd=folder))
            autoload.append(
                _validate_seconds(
                    ["-f", "location.py"],
                    home=home,
                    cwd=folder,
                    extra_env={"HAMILTON_AUTOLOAD_EXTENSIONS": "1"},
                )
            )
            project.append(_validate_seconds(["-w", "workspace.yaml"], home=home, cwd=PROJECT))
        goal = "met" if min(generated) <= GOAL_SECONDS else "NOT met"
        cold_goal = "met" if min(cold) <= GOAL_SECONDS else "NOT met"
        return {
            "generated graph": (
                f"{nodes} functions, {len(assets)} multi-assets (ops), {asset_count} assets, "
                f"{check_count} checks"
            ),
            "empty location (CLI + Dagster imports)": _best(empty),
            "generated location, warm code-version store and bytecode": (
                f"{_best(generated)} (goal <= {GOAL_SECONDS:.0f} s: {goal})"
            ),
            "generated location, cold (no code-version store, module compiled from source)": (
                f"{_best(cold)} (goal <= {GOAL_SECONDS:.0f} s: {cold_goal})"
            ),
            "generated location, warm store, without bytecode (module compiled from source)": (
                _best(uncompiled)
            ),
            "generated location, warm store, Hamilton autoloading every installed plugin "
            "(HAMILTON_AUTOLOAD_EXTENSIONS=1)": _best(autoload),
            "project location (workspace.yaml), warm store": _best(project),
            "in process, cold: Hamilton driver build": f"{driver_seconds:.2f} s",
            "in process, cold: plan (code versions, one parse per file; cut points; partition; "
            "the other analyses deferred)": f"{plan_seconds:.2f} s",
            "in process: multi_assets + checks from the plan (mostly Dagster's multi_asset)": (
                f"{definitions_seconds:.2f} s"
            ),
            "in process: Dagster's repository + snapshot of the definitions (validate's own work)": (
                f"{snapshot_seconds:.2f} s"
            ),
        }


def write_results(*, figures: dict[str, str], repeat: int) -> None:
    body = "\n".join(
        [
            f"`python -m bench.bench_definitions --repeat {repeat} --write`: fresh "
            "`dagster definitions validate` processes, best and median of the repeats.",
            "",
            machine_description(),
            "",
            "| figure | value |",
            "|---|---|",
            *(f"| {name} | {value} |" for name, value in figures.items()),
        ]
    )
    update_section(section="dagster_location", title="Dagster location", body=body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark `dagster definitions validate`.")
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args(argv)
    figures = run(nodes=args.nodes, repeat=args.repeat)
    for name, value in figures.items():
        print(f"{name}: {value}")
    if args.write:
        write_results(figures=figures, repeat=args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
