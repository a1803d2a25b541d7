"""Extractor agreement with the independent oracles, recorded in ``bench/RESULTS.md``.

The same comparisons the oracle tests assert (``bench.oracles``): Python against ``ast`` on the
dagster package, Rust, TypeScript, Java, JavaScript and Go against Universal Ctags on the tokio
crates, rxjs, ``java/util`` of Debian's JDK 17 sources, webpack's ``lib/`` and golang.org/x/net.
This script only records the figures (section "oracles"); the tests enforce the thresholds.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from collections.abc import Sequence

from bench.corpora import (
    WEBPACK_VERSION,
    dagster_corpus,
    golang_net_corpus,
    openjdk_corpus,
    rxjs_corpus,
    tokio_corpus,
    webpack_corpus,
)
from bench.oracles import (
    GO_ORACLE,
    JAVA_ORACLE,
    JAVASCRIPT_ORACLE,
    MAX_CALLS_RELATIVE_DIFFERENCE,
    MIN_FOUND_BY_CTAGS,
    MIN_FOUND_BY_US,
    RUST_ORACLE,
    TYPESCRIPT_ORACLE,
    CtagsReport,
    PythonOracleReport,
    compare_python,
    compare_with_ctags,
)
from bench.results import machine_description, update_section


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def render_python(report: PythonOracleReport) -> list[str]:
    return [
        f"### Python vs `ast` (dagster package, {report.files} files, "
        f"{len(report.excluded)} excluded as unparsable by `ast`)",
        "",
        "| figure | ast | ours | files differing | goal |",
        "|---|---|---|---|---|",
        f"| definitions (name, line) | {report.definitions_oracle} | {report.definitions_ours} | "
        f"{len(report.definition_differences)} | equal "
        f"({_verdict(not report.definition_differences)}) |",
        f"| imported names (module, name, alias) | {report.imports_oracle} | "
        f"{report.imports_ours} | {len(report.import_differences)} | equal "
        f"({_verdict(not report.import_differences)}) |",
        f"| calls | {report.calls_oracle} | {report.calls_ours} | "
        f"{len(report.call_differences)} | within {MAX_CALLS_RELATIVE_DIFFERENCE:.1%}: "
        f"{report.calls_relative_difference:.3%} "
        f"({_verdict(report.calls_relative_difference <= MAX_CALLS_RELATIVE_DIFFERENCE)}) |",
    ]


def render_ctags(report: CtagsReport, corpus: str) -> list[str]:
    lines = [
        f"### {report.language} vs Universal Ctags ({corpus}, {report.files} files)",
        "",
        "| compared kind | ctags | ours | same (path, kind, name, line) |",
        "|---|---|---|---|",
    ]
    lines += [f"| {kind} | {c} | {o} | {m} |" for kind, (c, o, m) in sorted(report.by_kind.items())]
    lines += [
        f"| **all** | {report.ctags_total} | {report.ours_total} | {report.matched} |",
        "",
        f"- ctags' definitions found by us: **{report.recall:.2%}** (goal ≥ {MIN_FOUND_BY_US:.0%}, "
        f"{_verdict(report.recall >= MIN_FOUND_BY_US)})",
        f"- our definitions found by ctags: **{report.precision:.2%}** "
        f"(goal ≥ {MIN_FOUND_BY_CTAGS:.0%}, {_verdict(report.precision >= MIN_FOUND_BY_CTAGS)})",
        "- ctags kinds not compared (no counterpart in our schema): "
        + ", ".join(f"{kind} {count}" for kind, count in sorted(report.not_compared.items())),
    ]
    lines += [
        f"- excluded, {side} side, {count}: {reason}"
        for (side, reason), count in sorted(report.excluded.items())
    ]
    if report.end_lines_compared:
        lines.append(
            f"- end lines of the matched definitions: {report.end_lines_compared} compared, "
            f"{len(report.end_line_differences)} differ"
        )
    if report.lost_scopes:
        lines.append("- class bodies lost by ctags: " + ", ".join(report.lost_scopes))
    residue = [
        *(("ctags only", k) for k in report.only_ctags),
        *(("ours only", k) for k in report.only_ours),
    ]
    if residue:
        lines.append(
            "- remaining differences: "
            + "; ".join(
                f"{side} `{p}:{line}` {kind} {name}" for side, (p, kind, name, line) in residue[:20]
            )
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_oracle", description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print, do not touch RESULTS.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    python_report = compare_python(root=dagster_corpus())
    print(python_report.summary())
    rust_report = compare_with_ctags(root=tokio_corpus(), oracle=RUST_ORACLE)
    print(rust_report.summary())
    typescript_report = compare_with_ctags(root=rxjs_corpus(), oracle=TYPESCRIPT_ORACLE)
    print(typescript_report.summary())
    java_report = compare_with_ctags(root=openjdk_corpus(), oracle=JAVA_ORACLE)
    print(java_report.summary())
    # JavaScript and Go
    javascript_report = compare_with_ctags(root=webpack_corpus(), oracle=JAVASCRIPT_ORACLE)
    print(javascript_report.summary())
    go_report = compare_with_ctags(root=golang_net_corpus(), oracle=GO_ORACLE)
    print(go_report.summary())
    ctags_version = subprocess.run(
        ["ctags", "--version"], capture_output=True, text=True, check=False
    ).stdout.splitlines()[0]
    body = "\n".join(
        [
            "`python -m bench.bench_oracle`; the same comparisons are asserted by "
            "`tests/test_oracle_python.py` and `tests/test_oracle_ctags.py`.",
            "",
            machine_description(),
            f"- Oracles: Python `ast` (stdlib), {ctags_version}",
            f"- Wall time of the comparisons: {time.perf_counter() - started:.1f} s",
            "",
            *render_python(python_report),
            "",
            *render_ctags(rust_report, "Debian tokio crates"),
            "",
            *render_ctags(typescript_report, "rxjs npm package, `package/src`"),
            "",
            *render_ctags(java_report, "Debian openjdk-17-source, `java.base/java/util`"),
            "",
            *render_ctags(javascript_report, f"webpack {WEBPACK_VERSION} npm package, `lib/`"),
            "",
            *render_ctags(go_report, "golang.org/x/net, Debian golang-golang-x-net-dev"),
        ]
    )
    if args.no_write:
        print(body)
    else:
        update_section(
            section="oracles", title="Oracles (extractor correctness on real code)", body=body
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
