"""``bench/RESULTS.md``: one file, one section per benchmark, each rewritten by its own script.

A section is a ``## TITLE`` heading followed by ``<!-- section: NAME -->`` ... ``<!-- end section:
NAME -->``; a benchmark replaces only its own section (appending it when absent), so benchmarks
owned by different people never overwrite each other's figures. The heading comes first so that a
script which delimits sections by their ``## `` headings sees whole sections too. Writes are
atomic (temp file + rename).
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"

HEADER = """\
# Benchmark results

Written by `make bench` (every `bench/bench_*.py`); each section is rewritten by its own script
and says on which machine and when it was measured. Goals come from the issues.
"""


def _begin(section: str) -> str:
    return f"<!-- section: {section} -->"


def _end(section: str) -> str:
    return f"<!-- end section: {section} -->"


def update_section(*, section: str, title: str, body: str, path: Path = RESULTS_PATH) -> None:
    """Replace (or append) ``section`` of the results file with ``## title`` and ``body``."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    block = f"## {title}\n{_begin(section)}\n{body.strip()}\n{_end(section)}"
    pattern = re.compile(
        r"(^## [^\n]*\n)?" + re.escape(_begin(section)) + r".*?" + re.escape(_end(section)),
        re.DOTALL | re.MULTILINE,
    )
    if pattern.search(text):
        text = pattern.sub(lambda _match: block, text, count=1)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
        staged = Path(handle.name)
    os.replace(staged, path)


def _memory_total_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine_description() -> str:
    """Markdown lines naming the machine and the date, for the top of a section."""
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True, check=False).stdout
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            f"- Date: {now}",
            f"- Machine: `{uname.strip() or platform.platform()}`",
            f"- CPUs (`nproc`): {os.cpu_count()}, RAM: {_memory_total_gib()}, load average "
            f"before the run: {os.getloadavg()[0]:.1f} (other work on a shared machine skews "
            "timings; best-of-N figures are the least affected)",
            f"- Python {sys.version.split()[0]}",
        ]
    )


# What any Hamilton + polars + pyarrow dataflow must load before its first node runs (the
# issue fixes these libraries; `hamilton.driver` imports pandas and numpy itself). Autoloading of
# Hamilton's plugins is off, as in `orchestration.definitions`.
DATAFLOW_LIBRARIES: tuple[str, ...] = ("hamilton.driver", "polars", "pyarrow.parquet")
# The same plus Dagster, for a run through Dagster (`codeintel materialize`).
DAGSTER_LIBRARIES: tuple[str, ...] = (*DATAFLOW_LIBRARIES, "dagster")


def command_environment(**overrides: str) -> dict[str, str]:
    """The environment of a measured command: this process's, with Python's bytecode cache on.

    A pip-installed codeintel has its modules compiled at install time, and a checkout writes
    ``__pycache__`` on its first run. With ``PYTHONDONTWRITEBYTECODE`` set (as on this machine),
    every fresh process would compile the project's ~40 modules again (~0.2 s of CPU, cpg.py
    alone 7,000 lines): a cost no user pays, added to every wall figure.
    """
    environment = {**os.environ, **overrides}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def import_floor_seconds(*, modules: tuple[str, ...], runs: int) -> float:
    """Best wall time of a fresh interpreter that only imports ``modules``.

    The lower bound of any command that needs them: it is paid before the first line of work, so
    a speed goal whose budget is below it is out of reach for that stack, whatever the code does.
    """
    environment = command_environment(HAMILTON_AUTOLOAD_EXTENSIONS="0")
    program = "import " + ", ".join(modules)
    walls: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", program], env=environment, check=True)
        walls.append(time.perf_counter() - started)
    return min(walls)
