"""``make bench``: fetch the corpora, run every ``bench/bench_*.py``, then summarize the goals.

Each benchmark runs in its own process (``python -m bench.<name>``) so that one's memory and
worker pools never skew another's figures; each rewrites its own section of ``bench/RESULTS.md``.
Then the summary table at the top of RESULTS.md is regenerated from those sections: every goal
of issues 2-6, its measured figure, met / not met / not measured, and the section it comes from.
The exit code is non-zero when the corpora or any benchmark failed; the others still run.

``python -m bench.run_all --summary-only`` rewrites the summary from RESULTS.md as it stands.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import corpora
from bench.results import RESULTS_PATH

BENCH_DIR = Path(__file__).resolve().parent
# Scripts that only record their figures in RESULTS.md when asked to.
EXTRA_ARGUMENTS: dict[str, list[str]] = {
    "bench_plan": ["--write"],
    "bench_definitions": ["--write"],
    "bench_resolver": ["--write"],
}
SUMMARY_BEGIN = "<!-- summary: written by bench/run_all.py -->"
SUMMARY_END = "<!-- end summary -->"


@dataclass(frozen=True)
class Goal:
    issue: int
    text: str  # the goal as the issue states it
    section: str  # RESULTS.md section holding the figure
    pattern: str  # regex whose first group is the figure (every match counts: worst is shown)
    unit: str
    limit: float
    at_least: bool = False  # the figure must be >= limit (default <=)
    # regex of the lowest figure the stack can reach (nothing computed), where one is measured
    floor_pattern: str | None = None


GOALS: tuple[Goal, ...] = (
    Goal(2, "cold `codeintel build` / tree-sitter parse-only (tokio) ≤ 1.5x", "build",
         r"\| build / parse-only[^|]*\| ([\d.]+)x", "x", 1.5,
         floor_pattern=r"\| import floor / parse-only[^|]*\| ([\d.]+)x"),
    Goal(2, "cold `codeintel build` / `ctags -R` (tokio) ≤ 3x", "build",
         r"\| build / `ctags -R` \| ([\d.]+)x", "x", 3.0,
         floor_pattern=r"\| import floor / `ctags -R`[^|]*\| ([\d.]+)x"),
    Goal(2, "peak RSS of the build ≤ 400 MB", "build",
         r"\| peak RSS, largest single process \| ([\d.]+) MB", " MB", 400),
    Goal(2, "Python definitions and imports equal to `ast`", "oracles",
         r"\| (?:definitions|imported names)[^|]*\| \d+ \| \d+ \| (\d+) \|", " files differing", 0),
    Goal(2, "ctags' definitions found by us ≥ 99% (Rust, TS, Java, JS, Go)", "oracles",
         r"ctags' definitions found by us: \*\*([\d.]+)%", "%", 99, at_least=True),
    Goal(2, "our definitions found by ctags ≥ 98% (Rust, TS, Java, JS, Go)", "oracles",
         r"our definitions found by ctags: \*\*([\d.]+)%", "%", 98, at_least=True),
    Goal(2, "CALLS agreeing with Jedi, tsc (TS/JS), go/types, javac, rustc ≥ 97%", "resolution",
         r"resolution agreement: \*\*([\d.]+)%", "%", 97, at_least=True),
    Goal(2, "CALLS precision (our edges the oracle resolves outside the corpus count wrong) ≥ 97%",
         "resolution", r"resolution precision[^*]*\*\*([\d.]+)%", "%", 97, at_least=True),
    Goal(3, "analysis + partition of a 5,000-node graph ≤ 1 s", "plan",
         r"layered: plan \(warm: analysis \+ partition\), wall: best ([\d.]+) s", " s", 1.0),
    Goal(4, "`dagster definitions validate`, 5,000-node graph ≤ 3 s", "dagster_location",
         # the location as shipped (warm or cold store); not the row with Hamilton's autoloading
         r"\| generated location, (?:warm code-version store and bytecode|"
         r"cold \(no code-version store[^)]*\)) \| best ([\d.]+) s", " s", 3.0),
    Goal(4, "`codeintel materialize` / `codeintel build`, cold (tokio) ≤ 1.2x", "cache",
         r"\| materialize / build[^|]*\| ([\d.]+)", "x", 1.2,
         floor_pattern=r"\| Dagster floor: [^|]*\| ([\d.]+)"),
    Goal(5, "build: warm no-change re-run / cold ≤ 0.10", "cache",
         r"\| warm / cold \(goal <= 0\.10\) \| ([\d.]+)", "", 0.10),
    Goal(5, "build: one changed file / cold ≤ 0.15", "cache",
         r"\| one changed file / cold \(goal <= 0\.15\) \| ([\d.]+)", "", 0.15,
         floor_pattern=r"change floor / cold: ([\d.]+)"),
    Goal(5, "build `--watch`: one changed file / cold ≤ 0.15", "cache",
         r"\| `--watch`: one changed file / cold \(goal <= 0\.15\) \| ([\d.]+)", "", 0.15,
         floor_pattern=r"watch floor / cold: ([\d.]+)"),
    Goal(5, "build: cache on / cache off, cold ≤ 1.10", "cache",
         r"\| cache on / cache off, cold \(goal <= 1\.10\) \| ([\d.]+)", "", 1.10),
    Goal(5, "materialize: warm no-change re-run / cold, beyond the fixed Dagster cost ≤ 0.10",
         "cache", r"- warm / cold, whole command: [\d.]+; beyond the fixed cost: (-?[\d.]+)", "",
         0.10),
    Goal(5, "materialize: one changed file / cold, beyond the fixed Dagster cost ≤ 0.15",
         "cache",
         r"- one changed file / cold, whole command: [\d.]+; beyond the fixed cost: (-?[\d.]+)",
         "", 0.15,
         # (the resident floor: the least a fresh process could reach, whatever it takes over)
         floor_pattern=r"- The resident floor: [^\n]*? beyond its own fixed cost, (-?[\d.]+) of"),
    Goal(6, "two repositories in parallel / serial ≤ 0.6", "parallel",
         r"\| parallel / serial \(two processes\) \| ([\d.]+)", "", 0.6),
)  # fmt: skip


def _section_bodies(text: str) -> dict[str, tuple[str, str]]:
    """section name -> (its ``## `` title, its body), from the markers of ``bench.results``."""
    found = re.finditer(
        r"^## ([^\n]*)\n<!-- section: (\w+) -->\n(.*?)<!-- end section: \2 -->",
        text,
        re.DOTALL | re.MULTILINE,
    )
    return {match.group(2): (match.group(1), match.group(3)) for match in found}


def _measured_on(body: str) -> str:
    match = re.search(r"- Date: ([^\n]+)", body) or re.search(r"(\d{4}-\d{2}-\d{2})", body)
    return match.group(1) if match else "date not stated"


def summary_table(text: str) -> str:
    sections = _section_bodies(text)
    lines = [
        "## Summary: every goal next to its figure",
        SUMMARY_BEGIN,
        f"Generated by `python -m bench.run_all` on "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC from the sections below "
        f"(each names its own machine and date; machine: `{os.uname().nodename}`, "
        f"{os.cpu_count()} CPUs). The worst figure is shown when a section has several.",
        "",
        "The floor is the lowest figure this stack can reach, where one is measured: what a fresh "
        "interpreter pays to import the libraries the issues prescribe (Hamilton, polars, "
        "pyarrow) before any work on the corpus; for materialize, a run of the code location's "
        "job shape through Dagster with empty bodies (`bench.dagster_floor`: Dagster's imports, "
        "instance, steps, events and check evaluations); for a changed file, the change floor: "
        "the same edit made to a one-file repository (what any change costs this dataflow, "
        "whatever the repository's size); for a changed file through Dagster, the resident "
        "floor: the same change materialized by a process that materialized the repository "
        "before (`bench.resident_floor`: every import and memo warm, nothing left for a fresh "
        "process to take over). A goal whose budget is below it is out of reach for this stack.",
        "",
        "| issue | goal | figure | verdict | floor | source section (measured) |",
        "|---|---|---|---|---|---|",
    ]
    for goal in GOALS:
        title, body = sections.get(goal.section, ("", ""))
        figures = [float(value) for value in re.findall(goal.pattern, body)]
        source = f"{title} (`{goal.section}`, {_measured_on(body)})" if title else "—"
        floors = (
            [float(value) for value in re.findall(goal.floor_pattern, body)]
            if goal.floor_pattern
            else []
        )
        floor = f"{min(floors):g}{goal.unit}" if floors else "—"
        if floors and not goal.at_least and min(floors) > goal.limit:
            floor += " (out of reach)"
        if not figures:
            lines.append(f"| {goal.issue} | {goal.text} | not measured | — | {floor} | {source} |")
            continue
        worst = min(figures) if goal.at_least else max(figures)
        met = worst >= goal.limit if goal.at_least else worst <= goal.limit
        verdict = "met" if met else "**not met**"
        lines.append(
            f"| {goal.issue} | {goal.text} | {worst:g}{goal.unit} | {verdict} | {floor} "
            f"| {source} |"
        )
    lines.append(SUMMARY_END)
    return "\n".join(lines)


def write_summary(path: Path = RESULTS_PATH) -> None:
    """Replace (or insert, right below the file's header) the summary table."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r"## Summary: every goal next to its figure\n"
        + re.escape(SUMMARY_BEGIN) + r".*?" + re.escape(SUMMARY_END) + r"\n*",
        "",
        text,
        flags=re.DOTALL,
    )  # fmt: skip
    first_section = text.find("\n## ")
    cut = len(text) if first_section < 0 else first_section + 1
    text = f"{text[:cut].rstrip()}\n\n{summary_table(text)}\n\n{text[cut:].lstrip()}"
    staged = path.with_name(f".{path.name}.summary.tmp")
    staged.write_text(text, encoding="utf-8")
    os.replace(staged, path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run_all", description=__doc__)
    parser.add_argument(
        "--summary-only", action="store_true", help="only rewrite the summary of RESULTS.md"
    )
    args = parser.parse_args(argv)
    if args.summary_only:
        write_summary()
        return 0
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
    write_summary()
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
