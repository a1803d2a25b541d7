"""CALLS resolution against independent resolvers, recorded in ``bench/RESULTS.md``.

Python: a stable sample of the dagster package's call sites against Jedi's ``goto``;
TypeScript: every call site of rxjs against the TypeScript compiler's ``getSymbolAtLocation``
(``bench/ts_resolve.js``); JavaScript: every call site of webpack's ``lib/`` against the same
compiler binding plain JavaScript (``allowJs``); Go: every call site of golang.org/x/net
(Debian's ``golang-golang-x-net-dev``) against Go's type checker (``bench/go_resolve.go``); Java:
every call site of the JDK's ``java/util`` against javac's attribution (``bench/JavaResolve.java``);
Rust: every call site of the tokio crates' ``src`` (tokio, tokio-util, tokio-stream) that rustc
compiles against the compiler's resolution (``bench/rust_resolve.py``: THIR and HIR dumps of a
scratch offline cargo build).
The comparison is ``bench.oracles.compare_resolution``, the same that
``tests/test_oracle_resolution.py`` asserts; this script only records the figures (section
"resolution").
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bench.corpora import (
    dagster_corpus,
    golang_net_corpus,
    openjdk_corpus,
    rxjs_corpus,
    tokio_corpus,
    tokio_dependency_registry,
    typescript_compiler,
    webpack_corpus,
)
from bench.oracles import (
    AGREE,
    DEBIAN_GOCODE,
    DISAGREE,
    GO_RESOLUTION_SAMPLE_EVERY,
    JAVA_RESOLUTION_SAMPLE_EVERY,
    JAVASCRIPT_RESOLUTION_SAMPLE_EVERY,
    MIN_RESOLUTION_AGREEMENT,
    MIN_RESOLUTION_PRECISION,
    MIN_RESOLUTION_RECALL,
    NEITHER,
    ORACLE_ONLY,
    OURS_ONLY,
    PYTHON_RESOLUTION_SAMPLE_EVERY,
    RUST_RESOLUTION_SAMPLE_EVERY,
    TYPESCRIPT_RESOLUTION_SAMPLE_EVERY,
    ResolutionReport,
    go_resolution,
    gopath_of,
    java_resolution,
    javascript_resolution,
    python_resolution,
    rust_resolution,
    typescript_resolution,
)
from bench.results import machine_description, update_section


def render(report: ResolutionReport, *, corpus: str, seconds: float) -> list[str]:
    threshold = MIN_RESOLUTION_AGREEMENT[report.language]
    lines = [
        f"### {report.language} vs {report.oracle} ({corpus}; {seconds:.0f} s)",
        "",
        f"{report.call_sites} call sites in the build, {report.sampled} compared "
        f"({report.not_located} not asked: the callee does not end with its name"
        + (
            f"; {report.not_checked} more in files the oracle does not check, not compared"
            if report.not_checked
            else ""
        )
        + ").",
        *(
            f"- not compared, {count}: {reason}"
            for reason, count in report.not_checked_reasons.most_common()
        ),
        "",
        "| call sites | count |",
        "|---|---|",
        f"| both resolve inside the corpus | {report.both} |",
        f"| ... to the same definition (agree) | {report.counts[AGREE]} |",
        f"| ... to different definitions | {report.counts[DISAGREE]} |",
        f"| only ours resolves | {report.counts[OURS_ONLY]} |",
        f"| ... where the oracle resolves outside the corpus (a wrong edge) | "
        f"{report.ours_outside} |",
        f"| only the oracle resolves | {report.counts[ORACLE_ONLY]} |",
        f"| neither (builtins, libraries, unknown) | {report.counts[NEITHER]} |",
        "",
        f"- resolution agreement: **{report.agreement:.2%}** (the test asserts ≥ {threshold:.1%})",
        f"- resolution precision, agree / (both + ours where the oracle resolves outside the "
        f"corpus): **{report.precision:.2%}** (the test asserts ≥ "
        f"{MIN_RESOLUTION_PRECISION[report.language]:.1%})",
        f"- resolution recall, agree / (agree + only the oracle resolves): "
        f"**{report.recall:.2%}** (the test asserts ≥ "
        f"{MIN_RESOLUTION_RECALL[report.language]:.1%})",
    ]
    for category in (DISAGREE, OURS_ONLY, ORACLE_ONLY):
        for reason, count in report.reasons.get(category, Counter()).most_common(5):
            example = report.examples[category][reason][0]
            lines.append(f"- {category}, {count}: {reason}; e.g. {example}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_resolution", description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print, do not touch RESULTS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="codeintel-bench-resolution-") as scratch:
        started = time.perf_counter()
        rxjs = rxjs_corpus()
        typescript = typescript_resolution(
            root=rxjs,
            out=Path(scratch) / "typescript",
            compiler=typescript_compiler(),
            tsconfig=rxjs / "tsconfig.base.json",
            every=TYPESCRIPT_RESOLUTION_SAMPLE_EVERY,
        )
        typescript_seconds = time.perf_counter() - started
        print(typescript.summary())
        started = time.perf_counter()
        python = python_resolution(
            root=dagster_corpus().parent,
            out=Path(scratch) / "python",
            every=PYTHON_RESOLUTION_SAMPLE_EVERY,
        )
        python_seconds = time.perf_counter() - started
        print(python.summary())
        started = time.perf_counter()
        javascript = javascript_resolution(
            root=webpack_corpus(),
            out=Path(scratch) / "javascript",
            compiler=typescript_compiler(),
            every=JAVASCRIPT_RESOLUTION_SAMPLE_EVERY,
        )
        javascript_seconds = time.perf_counter() - started
        print(javascript.summary())
        started = time.perf_counter()
        golang_net = golang_net_corpus()
        go = go_resolution(
            root=golang_net,
            out=Path(scratch) / "go",
            gopath=[gopath_of(golang_net), DEBIAN_GOCODE],
            every=GO_RESOLUTION_SAMPLE_EVERY,
        )
        go_seconds = time.perf_counter() - started
        print(go.summary())
        # Java (java/util of the JDK) against javac
        started = time.perf_counter()
        java = java_resolution(
            root=openjdk_corpus(), out=Path(scratch) / "java", every=JAVA_RESOLUTION_SAMPLE_EVERY
        )
        java_seconds = time.perf_counter() - started
        print(java.summary())
        # Rust (tokio's src) against rustc
        started = time.perf_counter()
        rust = rust_resolution(
            root=tokio_corpus(),
            out=Path(scratch) / "rust",
            registry=tokio_dependency_registry(),
            every=RUST_RESOLUTION_SAMPLE_EVERY,
        )
        rust_seconds = time.perf_counter() - started
        print(rust.summary())
    body = "\n".join(
        [
            "`python -m bench.bench_resolution`; asserted by `tests/test_oracle_resolution.py`. "
            "For each call site of a `codeintel build`, our CALLS target (path, line of its "
            "definition) against the definitions an independent resolver finds inside the "
            "corpus for the callee's last name. A constructor target (`__init__`, "
            "`constructor`) counts as its class, which is where both oracles point. Python: "
            f"every {PYTHON_RESOLUTION_SAMPLE_EVERY}th call site by a stable hash; Jedi's "
            "sys.path is the corpus alone. Reasons are classified by rules read off the "
            "examples (`bench.oracles._reason`).",
            "",
            machine_description(),
            "",
            *render(python, corpus="dagster package", seconds=python_seconds),
            "",
            *render(typescript, corpus="rxjs `package/src`", seconds=typescript_seconds),
            "",
            *render(javascript, corpus="webpack `lib/`", seconds=javascript_seconds),
            "",
            *render(go, corpus="golang.org/x/net, Debian", seconds=go_seconds),
            "",
            *render(java, corpus="JDK 17 `java.base/java/util`", seconds=java_seconds),
            "",
            *render(
                rust,
                corpus="tokio 1.24.2, tokio-util 0.7.3, tokio-stream 0.1.9 `src`, Debian",
                seconds=rust_seconds,
            ),
        ]
    )
    if args.no_write:
        print(body)
    else:
        update_section(
            section="resolution",
            title=(
                "CALLS resolution vs Jedi, the TypeScript compiler, Go's type checker, javac "
                "and rustc"
            ),
            body=body,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
