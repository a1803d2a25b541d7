"""Our CALLS edges against independent resolvers on real code nobody here wrote.

Python: a stable sample of the dagster package's call sites against Jedi; TypeScript: every call
site of rxjs against the TypeScript compiler (``bench/ts_resolve.js``, needs node and npm);
JavaScript: every call site of webpack's ``lib/`` against the same compiler (allowJs); Go: every
call site of golang.org/x/net against Go's type checker (``bench/go_resolve.go``, needs go);
Java: every call site of the JDK's java/util against javac (``bench/JavaResolve.java``, needs
JDK 17); Rust: every call site of the tokio crates' ``src`` that rustc compiles against the
compiler's own resolution (``bench/rust_resolve.py``, needs cargo and rustc).
Of the call sites both sides resolve inside the corpus, the share where our target is the oracle's
definition must stay at or above ``bench.oracles.MIN_RESOLUTION_AGREEMENT``, and the precision
(our edges the oracle sends outside the corpus counted wrong) at or above
``MIN_RESOLUTION_PRECISION``, and the recall (of the sites the oracle resolves inside the corpus,
the share we resolve to its definition) at or above ``MIN_RESOLUTION_RECALL`` (all just under
the figures in ``bench/RESULTS.md``, section "resolution"), so a regression in ``cpg.py`` fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bench import rust_resolve
from bench.corpora import CorpusUnavailableError, tokio_dependency_registry, typescript_compiler
from bench.oracles import (
    AGREE,
    DEBIAN_GOCODE,
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
    asked_calls,
    callee_name_position,
    compare_resolution,
    go_answers,
    go_oracle_missing,
    go_resolution,
    gopath_of,
    java_resolution,
    javascript_resolution,
    python_resolution,
    rust_oracle_missing,
    rust_resolution,
    typescript_resolution,
)

# A test samples fewer Python call sites than the benchmark (Jedi takes ~20 ms a call site).
PYTHON_TEST_SAMPLE_EVERY = 100
MIN_BOTH_RESOLVED = {
    "python": 100,
    "typescript": 500,
    "javascript": 5000,
    "go": 5000,
    "java": 10_000,  # every call site of java/util
    "rust": 2000,  # the call sites of the tokio crates' src that rustc compiles
}


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


def _typescript_compiler_or_skip() -> Path:
    """The TypeScript compiler package the TS and JS oracles run, or a skip saying why not."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm not installed: the TypeScript compiler oracle cannot run")
    try:
        return typescript_compiler()
    except CorpusUnavailableError as error:
        pytest.skip(f"the TypeScript compiler cannot be fetched: {error}")


@pytest.mark.slow
def test_typescript_calls_agree_with_the_compiler(rxjs_source: Path, tmp_path: Path) -> None:
    compiler = _typescript_compiler_or_skip()
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
    compiler = _typescript_compiler_or_skip()
    report = javascript_resolution(
        root=webpack_source, out=tmp_path / "out", compiler=compiler, every=1
    )
    _assert_agreement(report)


@pytest.mark.slow
def test_go_calls_agree_with_the_type_checker(golang_net_source: Path, tmp_path: Path) -> None:
    """Every call site of golang.org/x/net in the files one of ``bench.oracles.GO_ORACLE_BUILDS``
    builds, against Go's type checker (``bench/go_resolve.go``: go/types in GOPATH mode, the
    dependencies from Debian's gocode tree; nothing downloaded, nothing of the corpus built or
    run)."""
    gopath = [gopath_of(golang_net_source), DEBIAN_GOCODE]
    missing = go_oracle_missing(gopath=gopath)
    if missing is not None:
        pytest.skip(f"the Go type-checker oracle cannot run: {missing}")
    report = go_resolution(root=golang_net_source, out=tmp_path / "out", gopath=gopath, every=1)
    assert report.not_checked > 0  # other systems' files exist and are left out, not guessed
    _assert_agreement(report)


GO_ORACLE_PACKAGE = {
    "a.go": """\
package p

type Shape interface{ Area() int }

type Box[T any] struct{ v T }

func (b Box[T]) Get() T { return b.v }

func Use(s Shape, b Box[int], f func()) {
	s.Area()
	b.Get()
	f()
	helper()
	len("x")
}
""",
    "b_linux.go": "package p\n\nfunc helper() {}\n",
    "b_windows.go": "package p\n\nfunc helper() {}\n\nfunc only() { helper() }\n",
}


def test_go_oracle_answers_from_types_info_uses(tmp_path: Path) -> None:
    """bench/go_resolve.go on a hand-made GOPATH package: a call through an interface is the
    interface's method, a generic type's method its declaration, a function-valued parameter is
    a "var" (no definition), `len` a builtin (outside); a file build constraints exclude here
    (`_windows.go`) is not type-checked, and its definitions are not the oracle's."""
    gopath = tmp_path / "gopath"
    root = gopath / "src" / "example.com" / "p"
    root.mkdir(parents=True)
    for name, text in GO_ORACLE_PACKAGE.items():
        (root / name).write_text(text, encoding="utf-8")
    missing = go_oracle_missing(gopath=[gopath, DEBIAN_GOCODE])
    if missing is not None and "go is not installed" in missing:
        pytest.skip(f"the Go type-checker oracle cannot run: {missing}")

    def site(path: str, line: int, callee: str, target: tuple[str, int] | None) -> OurCall:
        text = (root / path).read_text(encoding="utf-8").splitlines()[line - 1]
        return OurCall(
            path=path,
            line=line,
            column=text.index(callee),
            ordinal=0,
            callee=callee,
            callee_name=callee.rsplit(".", 1)[-1],
            target=target,
            target_name=None,
        )

    calls = [
        site("a.go", 10, "s.Area", None),
        site("a.go", 11, "b.Get", None),
        site("a.go", 12, "f", None),
        site("a.go", 13, "helper", ("b_windows.go", 3)),
        site("a.go", 14, "len", None),
        site("b_windows.go", 5, "helper", None),
    ]
    answers, checked, version = go_answers(
        root=root, asked=asked_calls(root=root, calls=calls, utf16=False), gopath=[gopath]
    )
    assert version.startswith("go")
    assert checked == {"a.go", "b_linux.go"}
    found = [(answers[call.key].definitions, answers[call.key].note) for call in calls]
    assert found == [
        ({("a.go", 3)}, ""),
        ({("a.go", 7)}, ""),
        (set(), "a var"),
        ({("b_linux.go", 3)}, "ours in a file of another build"),
        (set(), "outside the corpus"),
        (set(), "no identifier at the position"),
    ]


# ---- Java against javac ----
@pytest.mark.slow
def test_java_calls_agree_with_javac(openjdk_source: Path, tmp_path: Path) -> None:
    """Every call site of the JDK's java/util against javac's attribution
    (``bench/JavaResolve.java``); overloads only javac resolves count against recall."""
    if shutil.which("java") is None:
        pytest.skip("java (JDK 17) not installed: the javac oracle cannot run")
    report = java_resolution(root=openjdk_source, out=tmp_path / "out", every=1)
    _assert_agreement(report)


# ---- Rust against rustc ----
@pytest.mark.slow
def test_rust_calls_agree_with_rustc(tokio_source: Path, tmp_path: Path) -> None:
    """Every call site of the tokio crates' `src` that rustc compiles (tokio, tokio-util,
    tokio-stream with `bench.oracles.RUST_ORACLE_CRATES`' features, this machine's target)
    against the compiler's resolution: the crates and their Debian dependency crates built
    offline in a scratch cargo project (`bench.oracles.rust_compiler_calls`, cached after the
    first run); code the compiler does not compile (tests, cfg'd out, macro invocations) is not
    compared, and is said so."""
    missing = rust_oracle_missing()
    if missing is not None:
        pytest.skip(f"the rustc oracle cannot run: {missing}")
    try:
        registry = tokio_dependency_registry()
    except CorpusUnavailableError as error:
        pytest.fail(f"corpus unavailable (run `python -m bench.corpora`): {error}")
    report = rust_resolution(root=tokio_source, out=tmp_path / "out", registry=registry, every=1)
    assert report.not_checked == sum(report.not_checked_reasons.values())
    assert report.not_checked > 0  # other crates' files and cfg'd-out code exist, not guessed
    _assert_agreement(report)


RUST_ORACLE_CRATE_SOURCE = """\
pub trait Shape {
    fn area(&self) -> u32;
    fn twice(&self) -> u32 {
        self.area() * 2
    }
}
pub struct Square(pub u32);
pub enum State {
    Idle(u32),
}
impl Square {
    pub fn new(side: u32) -> Square {
        Square(side)
    }
}
impl Shape for Square {
    fn area(&self) -> u32 {
        self.0 * self.0
    }
}
pub fn total<T: Shape>(shape: &T) -> u32 {
    shape.area()
}
pub fn use_all(f: impl Fn() -> u32) -> u32 {
    let square = Square::new(2);
    let _state = State::Idle(1);
    square.area() + square.twice() + total(&square) + f() + "ab".len() as u32
}
pub trait Named {
    fn name(self) -> u32;
}
impl Named for Square {
    fn name(self) -> u32 {
        1
    }
}
impl<'a> Named for &'a Square {
    fn name(self) -> u32 {
        2
    }
}
pub fn by_ref(square: &Square) -> u32 {
    square.name()
}
"""


def test_rust_oracle_reads_what_rustc_resolved(tmp_path: Path) -> None:
    """bench/rust_resolve.py on a hand-made crate compiled by rustc: a trait method on a
    concrete type is the impl's method, on a generic `T` (or `Self` in a default body) the
    trait's declaration (also for an impl on a reference, `impl Named for &Square`), a default
    method the trait's body; a tuple struct constructor is the
    struct, a variant's none of ours; a closure is a value, `str::len` outside."""
    if shutil.which("rustc") is None:
        pytest.skip("rustc is not installed: the rustc oracle cannot run")
    source = tmp_path / "lib.rs"
    source.write_text(RUST_ORACLE_CRATE_SOURCE, encoding="utf-8")
    compile_argv = ["rustc", "--crate-type", "lib", "--edition", "2021", str(source)]
    dumps = {}
    for unpretty in ("thir-tree", "hir-tree"):
        dumps[unpretty] = tmp_path / f"{unpretty}.txt"
        subprocess.run(
            rust_resolve.dump_argv(compile_argv, unpretty=unpretty, output=dumps[unpretty]),
            env={**os.environ, "RUSTC_BOOTSTRAP": "1"},
            check=True,
            capture_output=True,
        )
    with dumps["hir-tree"].open(encoding="utf-8") as lines:
        hir = rust_resolve.parse_hir_tree(lines)
    with dumps["thir-tree"].open(encoding="utf-8") as lines:
        calls = list(rust_resolve.parse_thir_tree(lines))
    found = {}
    for call in calls:
        resolved = rust_resolve.resolve(call, hir, adts=hir.local_adts)
        lines_of = sorted(span.line for span in resolved.definitions)
        found[(call.span.line, call.span.column, call.name)] = (resolved.kind, lines_of)
    assert found == {
        (4, 14, "area"): ("trait method of a generic or outside Self", [2]),
        (13, 9, "Square"): ("constructor", [7]),
        (22, 11, "area"): ("trait method of a generic or outside Self", [2]),
        (25, 18, "new"): ("function", [12]),
        (26, 18, "Idle"): ("variant", []),
        (27, 12, "area"): ("impl method", [17]),
        (27, 28, "twice"): ("trait method", [3]),
        (27, 38, "total"): ("function", [21]),
        (27, 55, "call"): ("value", []),
        (27, 66, "len"): ("outside", []),
        # `Self` is `&Square`: the impl for `&'a Square` (line 37), whose method the reader
        # does not pick; the trait's declaration, never Square's own impl (line 33)
        (43, 12, "name"): ("trait method of a generic or outside Self", [30]),
    }
