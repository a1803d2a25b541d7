"""``make bench``: fetch the corpora, then run every ``bench/bench_*.py`` one after another.

Each benchmark runs in its own process (``python -m bench.<name>``) so that one's memory and
worker pools never skew another's figures; each rewrites its own section of ``bench/RESULTS.md``.
The exit code is non-zero when the corpora or any benchmark failed; the others still run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench import corpora

BENCH_DIR = Path(__file__).resolve().parent
# Scripts that only record their figures in RESULTS.md when asked to.
EXTRA_ARGUMENTS: dict[str, list[str]] = {"bench_plan": ["--write"]}


def main() -> int:
    failed: list[str] = []
    if corpora.main([]) != 0:
        failed.append("corpora")
    for script in sorted(BENCH_DIR.glob("bench_*.py")):
        module = f"bench.{script.stem}"
        print(f"== {module}", flush=True)
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-m", module, *EXTRA_ARGUMENTS.get(script.stem, [])],
            cwd=BENCH_DIR.parent,
            check=False,
        )
        elapsed = time.perf_counter() - started
        print(f"== {module}: exit {completed.returncode} in {elapsed:.1f} s", flush=True)
        if completed.returncode != 0:
            failed.append(module)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
