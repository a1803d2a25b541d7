"""Our CALLS edges against independent resolvers on real code nobody here wrote.

Python: a stable sample of the dagster package's call sites against Jedi; TypeScript: every call
site of rxjs against the TypeScript compiler (``bench/ts_resolve.js``, needs node and npm). Of
the call sites both sides resolve inside the corpus, the share where our target is the oracle's
definition must stay at or above ``bench.oracles.MIN_RESOLUTION_AGREEMENT``, and the precision
(our edges the oracle sends outside the corpus counted wrong) at or above
``MIN_RESOLUTION_PRECISION``, and the recall (of the sites the oracle resolves inside the corpus,
the share we resolve to its definition) at or above ``MIN_RESOLUTION_RECALL`` (all just under
the figures in ``bench/RESULTS.md``, section "resolution"), so a regression in ``cpg.py`` fails.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.corpora import CorpusUnavailableError, typescript_compiler
from bench.oracles import (
    AGREE,
    DISAGREE,
    MIN_RESOLUTION_AGREEMENT,
    MIN_RESOLUTION_PRECISION,
    MIN_RESOLUTION_RECALL,
    NEITHER,
    ORACLE_ONLY,
    OURS_ONLY,
    AskedCall,
    OracleAnswer,
    OurCall,
    ResolutionReport,
    callee_name_position,
    compare_resolution,
    javascript_resolution,
    python_resolution,
    typescript_resolution,
)

# A test samples fewer Python call sites than the benchmark (Jedi takes ~20 ms a call site).
PYTHON_TEST_SAMPLE_EVERY = 100
MIN_BOTH_RESOLVED = {"python": 100, "typescript": 500, "javascript": 5000}


def _call(callee: str, name: str, *, line: int, column: int) -> OurCall:
    return OurCall(
        path="x.py",
        line=line,
        column=column,
        ordinal=0,
        callee=callee,
        callee_name=name,
        target=None,
        target_name=None,
    )


def test_callee_name_position_follows_the_source() -> None:
    """The oracle is asked at the callee's last name: squeezed whitespace, `new`, wide chars."""
    source = "x = é.run(1)\ny = (a .\n    b)(2)\nz = new Foo()\nw = f()(3)\n".encode()
    starts = [0]
    starts += [index + 1 for index, byte in enumerate(source) if byte == 0x0A]

    def where(call: OurCall, *, utf16: bool = False) -> tuple[int, int] | None:
        return callee_name_position(source=source, line_starts=starts, call=call, utf16=utf16)

    assert where(_call("é.run", "run", line=1, column=4)) == (1, 6)  # column in code points
    assert where(_call("a . b", "b", line=2, column=5)) == (3, 4)
    assert where(_call("Foo", "Foo", line=4, column=4), utf16=True) == (4, 8)  # after `new `
    assert where(_call("f()", "f", line=5, column=4)) is None  # does not end with its name


def _site(callee: str, *, line: int, target: tuple[str, int] | None) -> OurCall:
    """A call of ``callee`` at ``a.py:line`` whose CALLS edge points at ``target``."""
    return OurCall(
        path="a.py",
        line=line,
        column=0,
        ordinal=0,
        callee=callee,
        callee_name=callee.rsplit(".", 1)[-1],
        target=target,
        target_name=None if target is None else f"{target[0]}:{target[1]}",
    )


def test_compare_resolution_classifies_each_call_site() -> None:
    """Each combination of our target and the oracle's answer lands in its category; a site the
    oracle resolves outside the corpus is ours only and counts against precision, one it cannot
    resolve (no note of outside) does not; unlocated or unanswered sites are not judged."""
    ours_a = ("a.py", 3)
    sites = [
        (_site("x.f", line=10, target=ours_a), (1, 1), OracleAnswer(frozenset({ours_a}), "")),
        (
            _site("x.g", line=11, target=ours_a),
            (1, 1),
            OracleAnswer(frozenset({("b.py", 7), ("b.py", 9)}), ""),
        ),
        (
            _site("s.split", line=12, target=ours_a),
            (1, 1),
            OracleAnswer(frozenset(), "outside the corpus"),
        ),
        (_site("y.h", line=13, target=ours_a), (1, 1), OracleAnswer(frozenset(), "no result")),
        (_site("z.k", line=14, target=None), (1, 1), OracleAnswer(frozenset({("c.py", 2)}), "")),
        (_site("w.m", line=15, target=None), (1, 1), OracleAnswer(frozenset(), "no result")),
        (_site("f()", line=16, target=ours_a), None, OracleAnswer(frozenset({ours_a}), "")),
    ]
    unanswered = _site("v.n", line=17, target=ours_a)
    calls = [call for call, _, _ in sites] + [unanswered, _site("u.p", line=18, target=None)]
    report = compare_resolution(
        language="python",
        oracle="hand-made",
        calls=calls,
        sample=[AskedCall(call, position) for call, position, _ in sites]
        + [AskedCall(unanswered, (1, 1))],
        answers={call.key: answer for call, _, answer in sites},
    )
    assert (report.call_sites, report.sampled, report.not_located) == (9, 8, 2)
    assert dict(report.counts) == {
        AGREE: 1,
        DISAGREE: 1,
        OURS_ONLY: 2,
        ORACLE_ONLY: 1,
        NEITHER: 1,
    }
    assert report.both == 2
    assert report.ours_outside == 1
    assert report.agreement == 1 / 2
    assert report.precision == 1 / 3  # agree / (both + ours only where the oracle is outside)
    assert report.recall == 1 / 2  # agree / (agree + only the oracle resolves)
    assert sum(report.reasons[OURS_ONLY].values()) == 2
    assert (
        report.reasons[OURS_ONLY]["the oracle resolves outside the corpus (builtin/library type)"]
        == 1
    )
    assert set(report.reasons) == {DISAGREE, OURS_ONLY, ORACLE_ONLY}
    (example,) = [text for shown in report.examples[DISAGREE].values() for text in shown]
    assert example == "`a.py:11` `x.g` -> ours a.py:3; oracle b.py:7, b.py:9"
    assert "precision 33.33%; recall 50.00%" in report.summary()


def _assert_agreement(report: ResolutionReport) -> None:
    print(report.summary())
    assert report.both >= MIN_BOTH_RESOLVED[report.language], report.summary()
    assert report.counts[AGREE] + report.counts[DISAGREE] == report.both
    assert report.agreement >= MIN_RESOLUTION_AGREEMENT[report.language], report.summary()
    assert report.ours_outside <= report.counts[OURS_ONLY]
    assert report.precision >= MIN_RESOLUTION_PRECISION[report.language], report.summary()
    assert report.recall >= MIN_RESOLUTION_RECALL[report.language], report.summary()


@pytest.mark.slow
def test_python_calls_agree_with_jedi(dagster_source: Path, tmp_path: Path) -> None:
    report = python_resolution(
        root=dagster_source.parent, out=tmp_path / "out", every=PYTHON_TEST_SAMPLE_EVERY
    )
    _assert_agreement(report)


@pytest.mark.slow
def test_typescript_calls_agree_with_the_compiler(rxjs_source: Path, tmp_path: Path) -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm not installed: the TypeScript compiler oracle cannot run")
    try:
        compiler = typescript_compiler()
    except CorpusUnavailableError as error:
        pytest.skip(f"the TypeScript compiler cannot be fetched: {error}")
    report = typescript_resolution(
        root=rxjs_source,
        out=tmp_path / "out",
        compiler=compiler,
        tsconfig=rxjs_source / "tsconfig.base.json",
        every=1,
    )
    _assert_agreement(report)


@pytest.mark.slow
def test_javascript_calls_agree_with_the_compiler(webpack_source: Path, tmp_path: Path) -> None:
    """Every call site of webpack's `lib/` against the TypeScript compiler binding plain
    JavaScript (allowJs: CommonJS `require` / `module.exports`, ES classes, JSDoc types)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm not installed: the TypeScript compiler oracle cannot run")
    try:
        compiler = typescript_compiler()
    except CorpusUnavailableError as error:
        pytest.skip(f"the TypeScript compiler cannot be fetched: {error}")
    report = javascript_resolution(
        root=webpack_source, out=tmp_path / "out", compiler=compiler, every=1
    )
    _assert_agreement(report)
