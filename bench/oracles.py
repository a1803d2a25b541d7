"""Independent oracles for the extractor (``hamilton_modules.languages.extract_file``).

Python is checked against the stdlib ``ast`` module, Rust and TypeScript against Universal Ctags.
The comparisons live here, not in the tests, so that ``tests/test_oracle_*.py`` (which assert the
agreement) and ``bench/bench_oracle.py`` (which records the figures in ``bench/RESULTS.md``)
measure exactly the same thing.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import tree_sitter_rust
from tree_sitter import Language, Parser, Query, QueryCursor

from bench.corpora import corpus_files
from hamilton_modules.languages import FileExtraction, extract_file

# ---------------------------------------------------------------------------------------------
# Python vs ast
# ---------------------------------------------------------------------------------------------

PYTHON_DEFINITION_KINDS = frozenset({"class", "function", "method"})
# Acceptance (issue 2): definitions and imported names equal, calls within 0.5% of ast.
MAX_CALLS_RELATIVE_DIFFERENCE = 0.005

Definition = tuple[str, int]  # (name, line)
Point = tuple[int, int]  # (row, column in bytes), as tree-sitter reports positions
ImportedName = tuple[str | None, str, str | None]  # (module, name, alias)


@dataclass(frozen=True)
class PythonFacts:
    """What both sides report for one file: definitions, imported names, number of calls."""

    definitions: Counter[Definition]
    imports: Counter[ImportedName]
    calls: int


def ast_facts(source: bytes, *, filename: str) -> PythonFacts:
    """The oracle's view of one file. Raises SyntaxError/ValueError when ``ast`` cannot parse."""
    tree = ast.parse(source, filename=filename)
    definitions: Counter[Definition] = Counter()
    imports: Counter[ImportedName] = Counter()
    calls = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            definitions[(node.name, node.lineno)] += 1
        elif isinstance(node, ast.Import):
            for alias in node.names:
                imports[(None, alias.name, alias.asname)] += 1
        elif isinstance(node, ast.ImportFrom):
            # Relative levels are written as leading dots, the way the source spells them.
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                imports[(module, alias.name, alias.asname)] += 1
        elif isinstance(node, ast.Call):
            calls += 1
    return PythonFacts(definitions=definitions, imports=imports, calls=calls)


def extracted_facts(extraction: FileExtraction) -> PythonFacts:
    """The extractor's view of one file, in the oracle's terms."""
    definitions: Counter[Definition] = Counter(
        (str(row["name"]), int(str(row["start_line"])))
        for row in extraction.symbols
        if row["kind"] in PYTHON_DEFINITION_KINDS
    )
    imports: Counter[ImportedName] = Counter(
        (_optional_str(row["module"]), str(row["name"]), _optional_str(row["alias"]))
        for row in extraction.imports
    )
    return PythonFacts(definitions=definitions, imports=imports, calls=len(extraction.calls))


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class FileDifference:
    """Items one side reports and the other does not, for one file."""

    path: str
    only_oracle: list[str]
    only_ours: list[str]

    def describe(self, *, limit: int = 6) -> str:
        parts = [f"  {self.path}:"]
        if self.only_oracle:
            parts.append(f"    missing ({len(self.only_oracle)}): {self.only_oracle[:limit]}")
        if self.only_ours:
            parts.append(f"    extra   ({len(self.only_ours)}): {self.only_ours[:limit]}")
        return "\n".join(parts)


def _counter_difference(path: str, oracle: Counter[tuple], ours: Counter[tuple]) -> FileDifference:
    only_oracle = sorted(map(repr, (oracle - ours).elements()))
    only_ours = sorted(map(repr, (ours - oracle).elements()))
    return FileDifference(path=path, only_oracle=only_oracle, only_ours=only_ours)


@dataclass
class PythonOracleReport:
    """The comparison over a whole corpus; ``summary()`` is what the tests print."""

    files: int = 0
    excluded: list[tuple[str, str]] = field(default_factory=list)  # (path, why ast failed)
    definitions_oracle: int = 0
    definitions_ours: int = 0
    imports_oracle: int = 0
    imports_ours: int = 0
    calls_oracle: int = 0
    calls_ours: int = 0
    definition_differences: list[FileDifference] = field(default_factory=list)
    import_differences: list[FileDifference] = field(default_factory=list)
    call_differences: list[tuple[str, int, int]] = field(default_factory=list)  # path, ast, ours

    @property
    def calls_relative_difference(self) -> float:
        return abs(self.calls_ours - self.calls_oracle) / max(self.calls_oracle, 1)

    def summary(self) -> str:
        return "\n".join(
            [
                f"python vs ast: {self.files} files compared, {len(self.excluded)} excluded "
                f"(ast cannot parse: {[path for path, _ in self.excluded][:5]})",
                f"  definitions: ast {self.definitions_oracle}, ours {self.definitions_ours}, "
                f"{len(self.definition_differences)} files differ",
                f"  imported names: ast {self.imports_oracle}, ours {self.imports_ours}, "
                f"{len(self.import_differences)} files differ",
                f"  calls: ast {self.calls_oracle}, ours {self.calls_ours}, "
                f"difference {self.calls_relative_difference:.4%} "
                f"({len(self.call_differences)} files differ)",
            ]
        )

    def details(self, *, family: str, limit: int = 8) -> str:
        if family == "calls":
            worst = sorted(self.call_differences, key=lambda d: -abs(d[2] - d[1]))[:limit]
            return "\n".join(f"  {path}: ast {a}, ours {o}" for path, a, o in worst)
        differences = (
            self.definition_differences if family == "definitions" else self.import_differences
        )
        return "\n".join(difference.describe() for difference in differences[:limit])


def compare_python(*, root: Path) -> PythonOracleReport:
    """Every ``.py`` file under ``root``: our extraction against ``ast``."""
    report = PythonOracleReport()
    for file in corpus_files(root=root, suffixes=[".py"]):
        relative = file.relative_to(root).as_posix()
        source = file.read_bytes()
        try:
            oracle = ast_facts(source, filename=relative)
        except (SyntaxError, ValueError) as error:  # ValueError: NUL bytes
            report.excluded.append((relative, f"{type(error).__name__}: {error}"))
            continue
        ours = extracted_facts(extract_file("python", relative, source))
        report.files += 1
        report.definitions_oracle += oracle.definitions.total()
        report.definitions_ours += ours.definitions.total()
        report.imports_oracle += oracle.imports.total()
        report.imports_ours += ours.imports.total()
        report.calls_oracle += oracle.calls
        report.calls_ours += ours.calls
        if oracle.definitions != ours.definitions:
            report.definition_differences.append(
                _counter_difference(relative, oracle.definitions, ours.definitions)
            )
        if oracle.imports != ours.imports:
            report.import_differences.append(
                _counter_difference(relative, oracle.imports, ours.imports)
            )
        if oracle.calls != ours.calls:
            report.call_differences.append((relative, oracle.calls, ours.calls))
    return report


# ---------------------------------------------------------------------------------------------
# Rust and TypeScript vs Universal Ctags
# ---------------------------------------------------------------------------------------------

OURS, CTAGS = "ours", "ctags"

# Share of ctags' compared definitions we must report at the same kind, name and line, and share
# of ours that ctags must report; what remains is listed by the tests' failure messages.
MIN_FOUND_BY_US = 0.99
MIN_FOUND_BY_CTAGS = 0.98
# The exclusions must stay categories at the margin, not swallow the comparison. 30%: rxjs has
# ~27% since object-literal methods and their scope variables are symbols (ctags 5.9 reports no
# members of object literals), most of the rest is a class body ctags loses.
MAX_EXCLUDED_SHARE_OF_OURS = 0.30


@dataclass(frozen=True)
class Tag:
    """One definition as one side reports it.

    ``text`` is the source line from the definition's start column (ours) or ctags' search
    pattern (the whole line); exclusion rules look at it. ``scope`` is the enclosing definition
    (our qualified parent, ctags' ``scope`` field).
    """

    path: str
    kind: str  # the side's own kind name
    name: str
    line: int
    scope: str | None
    text: str
    end_line: int = 0  # ours only (ctags' end field is not requested)
    scope_kind: str | None = None  # ours only: the kind of the enclosing symbol
    in_unparsed_span: bool = False  # ours only: inside a span ctags does not parse, see below


@dataclass(frozen=True)
class Exclusion:
    """A category of definitions left out of the comparison, and why."""

    side: str  # OURS or CTAGS
    reason: str
    applies: Callable[[Tag], bool]


@dataclass(frozen=True)
class CtagsOracle:
    """How one language is compared with ctags: kind mapping and documented exclusions."""

    language: str  # our language name
    ctags_language: str
    suffixes: tuple[str, ...]
    ctags_kinds: Mapping[str, str]  # ctags kind -> compared kind; other kinds are not compared
    our_kinds: Mapping[str, str]  # our kind -> compared kind
    not_compared_reason: Mapping[str, str]  # ctags kind -> why it has no counterpart
    exclusions: tuple[Exclusion, ...]
    # An overloaded callable (TypeScript signatures + implementation) is one definition located
    # at its first declaration, which is how ctags reports it.
    collapse_overloads: bool = False
    # Our symbols of these kinds whose body ctags demonstrably lost (it reports a tag strictly
    # inside the body with no enclosing scope, which a correct parse never does): every compared
    # definition inside such a body is left out on both sides, and the bodies are listed.
    lost_scope_kinds: frozenset[str] = frozenset()
    lost_scope_reason: str = ""
    # Spans of a file that ctags does not parse but we do (Rust macro invocation bodies), as
    # ((row, column), (row, column)) points; our tags starting inside one are marked.
    unparsed_spans: Callable[[bytes], list[tuple[Point, Point]]] | None = None


def _pattern_text(pattern: str) -> str:
    """ctags' `/^  fn foo() {$/` search pattern -> the source line."""
    if pattern.startswith("/^"):
        pattern = pattern[2:]
    if pattern.endswith("$/"):
        pattern = pattern[:-2]
    elif pattern.endswith("/"):
        pattern = pattern[:-1]
    return pattern.replace("\\/", "/").replace("\\\\", "\\")


def ctags_tags(*, root: Path, oracle: CtagsOracle) -> list[Tag]:
    """Every definition Universal Ctags reports for the oracle's language under ``root``."""
    if shutil.which("ctags") is None:
        raise RuntimeError("Universal Ctags is not installed (`apt-get install universal-ctags`)")
    argv = [
        "ctags",
        "--output-format=json",
        "--fields=+nKzS",
        f"--languages={oracle.ctags_language}",
        "--links=no",
        "--sort=no",
        "-R",
        "-f",
        "-",
        ".",
    ]
    completed = subprocess.run(argv, cwd=root, capture_output=True, text=True, check=True)
    tags: list[Tag] = []
    for line in completed.stdout.splitlines():
        record = json.loads(line)
        if record.get("_type") != "tag":
            continue
        tags.append(
            Tag(
                path=record["path"],
                kind=record["kind"],
                name=record["name"],
                line=int(record["line"]),
                scope=record.get("scope"),
                text=_pattern_text(record.get("pattern", "")),
            )
        )
    return tags


def our_tags(*, root: Path, oracle: CtagsOracle) -> list[Tag]:
    """Every symbol our extractor reports for the oracle's language under ``root``."""
    tags: list[Tag] = []
    for file in corpus_files(root=root, suffixes=oracle.suffixes):
        relative = file.relative_to(root).as_posix()
        source = file.read_bytes()
        lines = source.decode("utf-8", errors="replace").split("\n")
        symbols = extract_file(oracle.language, relative, source).symbols
        kind_of = {str(row["qualified_name"]): str(row["kind"]) for row in symbols}
        spans = oracle.unparsed_spans(source) if oracle.unparsed_spans is not None else []
        for row in symbols:
            line = int(str(row["start_line"]))
            column = int(str(row["start_column"]))
            start = (line - 1, column)
            text = lines[line - 1] if line <= len(lines) else ""
            tags.append(
                Tag(
                    path=relative,
                    kind=str(row["kind"]),
                    name=str(row["name"]),
                    line=line,
                    scope=_optional_str(row["parent"]),
                    # start_column counts bytes; the lines are decoded, so only exact for ASCII
                    # prefixes, which is what the exclusion rules look at.
                    text=text[column:] if text[:column].isascii() else text.lstrip(),
                    end_line=int(str(row["end_line"])),
                    scope_kind=kind_of.get(str(row["parent"])),
                    in_unparsed_span=any(low <= start < high for low, high in spans),
                )
            )
    return tags


Key = tuple[str, str, str, int]  # (path, compared kind, name, line)


@dataclass
class CtagsReport:
    """Agreement of our definitions with ctags' over one corpus."""

    language: str
    files: int = 0
    ctags_total: int = 0
    ours_total: int = 0
    matched: int = 0
    by_kind: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # ctags, ours, matched
    not_compared: Counter[str] = field(default_factory=Counter)  # ctags kinds without counterpart
    excluded: Counter[tuple[str, str]] = field(default_factory=Counter)  # (side, reason)
    only_ctags: list[Key] = field(default_factory=list)
    only_ours: list[Key] = field(default_factory=list)
    lost_scopes: list[str] = field(default_factory=list)  # "path:start-end name"

    @property
    def recall(self) -> float:
        """Share of ctags' compared definitions we report with the same kind, name and line."""
        return self.matched / max(self.ctags_total, 1)

    @property
    def precision(self) -> float:
        """Share of our compared definitions that ctags reports with the same kind/name/line."""
        return self.matched / max(self.ours_total, 1)

    def summary(self) -> str:
        lines = [
            f"{self.language} vs ctags: {self.files} files; compared definitions: ctags "
            f"{self.ctags_total}, ours {self.ours_total}, matched {self.matched}; "
            f"found by us {self.recall:.2%} of ctags', found by ctags {self.precision:.2%} of ours",
            "  per kind (ctags / ours / matched): "
            + ", ".join(f"{kind} {c}/{o}/{m}" for kind, (c, o, m) in sorted(self.by_kind.items())),
            "  ctags kinds not compared: "
            + ", ".join(f"{kind} {count}" for kind, count in sorted(self.not_compared.items())),
        ]
        lines += [
            f"  excluded ({side}) {count}: {reason}"
            for (side, reason), count in sorted(self.excluded.items())
        ]
        if self.lost_scopes:
            lines.append(f"  scopes lost by ctags ({len(self.lost_scopes)}): {self.lost_scopes}")
        return "\n".join(lines)

    def details(self, *, limit: int = 15) -> str:
        def show(keys: list[Key]) -> str:
            return "\n".join(
                f"    {p}:{line} {kind} {name}" for p, kind, name, line in keys[:limit]
            )

        return (
            f"  ctags only ({len(self.only_ctags)}):\n{show(self.only_ctags)}\n"
            f"  ours only ({len(self.only_ours)}):\n{show(self.only_ours)}"
        )


def _collapse_overloads(keyed: list[tuple[Key, str | None]]) -> list[Key]:
    """One key per (path, kind, scope, name) callable set, at its first line."""
    first: dict[tuple[str, str, str | None, str], int] = {}
    others: list[Key] = []
    for (path, kind, name, line), scope in keyed:
        if kind != "callable":
            others.append((path, kind, name, line))
            continue
        group = (path, kind, scope, name)
        first[group] = min(line, first.get(group, line))
    return others + [(path, kind, name, line) for (path, kind, _, name), line in first.items()]


def _lost_scopes(*, theirs: list[Tag], ours: list[Tag], kinds: frozenset[str]) -> list[Tag]:
    """Our scope symbols with a scope-less ctags tag strictly inside their body."""
    if not kinds:
        return []
    unscoped: dict[str, list[int]] = {}
    for tag in theirs:
        if tag.scope is None:
            unscoped.setdefault(tag.path, []).append(tag.line)
    return [
        tag
        for tag in ours
        if tag.kind in kinds
        and any(tag.line < line <= tag.end_line for line in unscoped.get(tag.path, ()))
    ]


def compare_with_ctags(*, root: Path, oracle: CtagsOracle) -> CtagsReport:
    """Our definitions against ctags' under ``root``, per (path, compared kind, name, line)."""
    report = CtagsReport(language=oracle.language)
    report.files = len(corpus_files(root=root, suffixes=oracle.suffixes))

    def keep(tag: Tag, side: str) -> bool:
        for exclusion in oracle.exclusions:
            if exclusion.side == side and exclusion.applies(tag):
                report.excluded[(side, exclusion.reason)] += 1
                return False
        return True

    theirs = ctags_tags(root=root, oracle=oracle)
    ours = our_tags(root=root, oracle=oracle)
    lost = _lost_scopes(theirs=theirs, ours=ours, kinds=oracle.lost_scope_kinds)
    report.lost_scopes = [f"{tag.path}:{tag.line}-{tag.end_line} {tag.name}" for tag in lost]
    lost_by_path: dict[str, list[Tag]] = {}
    for tag in lost:
        lost_by_path.setdefault(tag.path, []).append(tag)

    def inside_lost_scope(tag: Tag, side: str) -> bool:
        for scope in lost_by_path.get(tag.path, ()):
            if scope.line < tag.line <= scope.end_line:
                report.excluded[(side, oracle.lost_scope_reason)] += 1
                return True
        return False

    ctags_keyed: list[tuple[Key, str | None]] = []
    for tag in theirs:
        kind = oracle.ctags_kinds.get(tag.kind)
        if kind is None:
            report.not_compared[tag.kind] += 1
        elif keep(tag, CTAGS) and not inside_lost_scope(tag, CTAGS):
            ctags_keyed.append(((tag.path, kind, tag.name, tag.line), tag.scope))
    ours_keyed: list[tuple[Key, str | None]] = []
    for tag in ours:
        kind = oracle.our_kinds.get(tag.kind)
        if kind is None:
            report.excluded[(OURS, f"kind {tag.kind!r} has no ctags counterpart")] += 1
        elif keep(tag, OURS) and not inside_lost_scope(tag, OURS):
            ours_keyed.append(((tag.path, kind, tag.name, tag.line), tag.scope))

    if oracle.collapse_overloads:
        ctags_keys = Counter(_collapse_overloads(ctags_keyed))
        ours_keys = Counter(_collapse_overloads(ours_keyed))
    else:
        ctags_keys = Counter(key for key, _ in ctags_keyed)
        ours_keys = Counter(key for key, _ in ours_keyed)
    common = ctags_keys & ours_keys
    report.ctags_total = ctags_keys.total()
    report.ours_total = ours_keys.total()
    report.matched = common.total()
    for kind in sorted({key[1] for key in ctags_keys} | {key[1] for key in ours_keys}):
        report.by_kind[kind] = (
            sum(n for key, n in ctags_keys.items() if key[1] == kind),
            sum(n for key, n in ours_keys.items() if key[1] == kind),
            sum(n for key, n in common.items() if key[1] == kind),
        )
    report.only_ctags = sorted((ctags_keys - ours_keys).elements())
    report.only_ours = sorted((ours_keys - ctags_keys).elements())
    return report


_RUST_STATIC_ITEM = re.compile(r"^(pub(\([^)]*\))?\s+)?static\b")


def _rust_const_item(tag: Tag) -> bool:
    return tag.kind == "constant" and not _RUST_STATIC_ITEM.match(tag.text)


def _ctags_misread_static(tag: Tag) -> bool:
    pattern = rf"\bstatic\s+(mut\s+)?{re.escape(tag.name)}\s*:"
    return tag.kind == "variable" and re.search(pattern, tag.text) is None


@cache
def _rust_macro_body_query() -> tuple[Parser, Query]:
    language = Language(tree_sitter_rust.language())
    return Parser(language), Query(language, "(macro_invocation (token_tree) @body)")


def rust_macro_bodies(source: bytes) -> list[tuple[Point, Point]]:
    """The token trees of a file's macro invocations (``cfg_rt! { ... }``), by tree-sitter.

    ctags 5.9 does not look inside them; we parse them again and report the items in them.
    """
    parser, query = _rust_macro_body_query()
    bodies = QueryCursor(query).captures(parser.parse(source).root_node)
    return [(node.start_point, node.end_point) for node in bodies.get("body", [])]


def _ctags_impl_for_unit(tag: Tag) -> bool:
    return tag.kind == "implementation" and re.search(r"\bfor\s*\(\s*\)", tag.text) is not None


RUST_ORACLE = CtagsOracle(
    language="rust",
    ctags_language="Rust",
    suffixes=(".rs",),
    ctags_kinds={
        "function": "callable",
        "method": "callable",
        "struct": "struct",
        "enum": "enum",
        "interface": "trait",
        "implementation": "impl",
        "module": "module",
        "typedef": "type_alias",
        "macro": "macro",
        "variable": "static",
    },
    our_kinds={
        "function": "callable",
        "method": "callable",
        "struct": "struct",
        "enum": "enum",
        "trait": "trait",
        "impl": "impl",
        "module": "module",
        "type_alias": "type_alias",
        "macro": "macro",
        "constant": "static",
    },
    not_compared_reason={
        "field": "struct fields are not symbols in our schema",
        "enumerator": "enum variants are not symbols in our schema",
    },
    exclusions=(
        Exclusion(
            OURS,
            "`const` items: ctags 5.9's Rust parser emits no tag for them (only `static`)",
            _rust_const_item,
        ),
        Exclusion(
            CTAGS,
            "ctags bug: reads the lifetime in `&'static str` as a static item named `str`",
            _ctags_misread_static,
        ),
        Exclusion(
            CTAGS,
            "`impl Trait for ()`: ctags names it after the trait, we after the type `()`",
            _ctags_impl_for_unit,
        ),
        Exclusion(
            OURS,
            "`impl Trait for ()`: ctags names it after the trait, we after the type `()`",
            lambda tag: tag.kind == "impl" and tag.name == "()",
        ),
        Exclusion(
            OURS,
            "items inside macro invocations (`cfg_rt! { pub fn spawn() {} }`, `pin_project! "
            "{ struct S }`): ctags 5.9 does not parse macro bodies, we parse them again",
            lambda tag: tag.in_unparsed_span,
        ),
    ),
    unparsed_spans=rust_macro_bodies,
)


def _variable_bound_function(tag: Tag) -> bool:
    """`const f = () => ...` / `let g = function () {}`: our row starts at the variable's name."""
    return tag.kind == "function" and tag.text.startswith(tag.name)


TYPESCRIPT_ORACLE = CtagsOracle(
    language="typescript",
    ctags_language="TypeScript",
    suffixes=(".ts",),
    ctags_kinds={
        "function": "callable",
        "generator": "callable",
        "method": "callable",
        "class": "class",
        "interface": "interface",
        "enum": "enum",
        "alias": "type_alias",
        "namespace": "module",
    },
    our_kinds={
        "function": "callable",
        "method": "callable",
        "class": "class",
        "interface": "interface",
        "enum": "enum",
        "type_alias": "type_alias",
        "module": "module",
    },
    not_compared_reason={
        "constant": "values (`const x = ...`); ctags does not tell function-valued ones apart",
        "variable": "values (`let x = ...`); ctags does not tell function-valued ones apart",
        "property": "class/interface properties are not symbols in our schema",
        "enumerator": "enum members are not symbols in our schema",
    },
    exclusions=(
        Exclusion(
            CTAGS,
            "construct signatures `new (...): T` in interfaces: ctags names them `new`; in "
            "TypeScript they have no name and are not symbols for us",
            lambda tag: tag.kind == "method" and re.match(r"\s*new\s*[<(]", tag.text) is not None,
        ),
        Exclusion(
            OURS,
            "methods of object literals (`const p = { f() {} }`): ctags 5.9 reports no members "
            "of object literals",
            lambda tag: tag.kind == "method" and tag.scope_kind not in {"class", "interface"},
        ),
        Exclusion(
            OURS,
            "functions bound to a variable (`const f = () => {}`): ctags reports them as "
            "constant/variable like any value, which are not compared",
            _variable_bound_function,
        ),
    ),
    collapse_overloads=True,
    lost_scope_kinds=frozenset({"class"}),
    lost_scope_reason=(
        "inside a class body that ctags 5.9's TypeScript parser loses after a property "
        "initialised with an arrow function, an IIFE or an `as` cast (it then reports the "
        "methods' locals as top-level constants and no methods)"
    ),
)
