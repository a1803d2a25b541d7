"""Independent oracles for the extractor (``hamilton_modules.languages.extract_file``).

Python is checked against the stdlib ``ast`` module, Rust, TypeScript, Java, JavaScript and Go
against Universal Ctags. The comparisons live here, not in the tests, so that
``tests/test_oracle_*.py`` (which assert the agreement) and ``bench/bench_oracle.py`` (which
records the figures in ``bench/RESULTS.md``) measure exactly the same thing.
"""

from __future__ import annotations

import ast
import bisect
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_rust
from tree_sitter import Language, Parser, Query, QueryCursor

from bench import rust_resolve
from bench.corpora import (
    OPENJDK_SUBTREE,
    CorpusUnavailableError,
    corpora_root,
    corpus_files,
    install_atomically,
)
from hamilton_modules.cpg import CONSTRUCTOR_NAMES
from hamilton_modules.cpg_model import call_node_ids
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
# Rust, TypeScript, Java, JavaScript and Go vs Universal Ctags
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
    end_line: int = 0  # the definition's last line (ctags' `end` field; 0 when it has none)
    scope_kind: str | None = None  # the kind of the enclosing symbol (ctags: its scopeKind field)
    in_unparsed_span: bool = False  # ours only: inside a span ctags does not parse, see below
    # ctags only: the source line of the tag named by ``scope`` in the same file (what the
    # enclosing definition is: ctags 5.9's JavaScript "class" may be an object literal)
    scope_text: str | None = None
    # ours only: some enclosing symbol (parent, its parent...) is a function or method, i.e. the
    # definition is local to a body (Go's function-local `const` and `type` declarations)
    in_function_body: bool = False


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
    # Where ctags locates a definition when it is not where ours starts (Java: at the name, while
    # our declaration starts at its first modifier or annotation): the start point of each
    # definition node -> the row of its name; our tags are then compared at that row.
    name_rows: Callable[[bytes], dict[Point, int]] | None = None
    # Whether a matched definition must also end on the same line: where the language's ctags
    # parser reports an `end` at the same place as ours (Java's closing brace; ctags 5.9's Rust
    # and TypeScript parsers report no `end`).
    compare_end_lines: bool = False
    # The compared kind of a ctags tag whose kind is not in ``ctags_kinds`` but whose line shows
    # what it is (JavaScript: a `constant` bound to an arrow function is a callable); None: the
    # tag is not compared.
    ctags_kind_by_text: Callable[[Tag], str | None] | None = None


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
        "--fields=+nKzSe",
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
                end_line=int(record.get("end", 0)),
                scope_kind=record.get("scopeKind"),
            )
        )
    # Each tag's enclosing definition's line, by qualified name (scope + name) within its file.
    text_of: dict[tuple[str, str], str] = {}
    for tag in tags:
        qualified = f"{tag.scope}.{tag.name}" if tag.scope else tag.name
        text_of.setdefault((tag.path, qualified), tag.text)
    return [
        replace(tag, scope_text=text_of.get((tag.path, tag.scope))) if tag.scope else tag
        for tag in tags
    ]


def our_tags(*, root: Path, oracle: CtagsOracle) -> list[Tag]:
    """Every symbol our extractor reports for the oracle's language under ``root``."""
    tags: list[Tag] = []
    for file in corpus_files(root=root, suffixes=oracle.suffixes):
        relative = file.relative_to(root).as_posix()
        source = file.read_bytes()
        lines = source.decode("utf-8", errors="replace").split("\n")
        symbols = extract_file(oracle.language, relative, source).symbols
        kind_of = {str(row["qualified_name"]): str(row["kind"]) for row in symbols}
        parent_of = {str(row["qualified_name"]): _optional_str(row["parent"]) for row in symbols}
        spans = oracle.unparsed_spans(source) if oracle.unparsed_spans is not None else []
        name_rows = oracle.name_rows(source) if oracle.name_rows is not None else {}
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
                    line=name_rows.get(start, line - 1) + 1,
                    scope=_optional_str(row["parent"]),
                    # start_column counts bytes; the lines are decoded, so only exact for ASCII
                    # prefixes, which is what the exclusion rules look at.
                    text=text[column:] if text[:column].isascii() else text.lstrip(),
                    end_line=int(str(row["end_line"])),
                    scope_kind=kind_of.get(str(row["parent"])),
                    in_unparsed_span=any(low <= start < high for low, high in spans),
                    in_function_body=_inside_function(
                        _optional_str(row["parent"]), kind_of=kind_of, parent_of=parent_of
                    ),
                )
            )
    return tags


def _inside_function(
    parent: str | None, *, kind_of: Mapping[str, str], parent_of: Mapping[str, str | None]
) -> bool:
    """Whether ``parent`` or one of its enclosing symbols is a function or method."""
    seen: set[str] = set()
    while parent is not None and parent not in seen:
        if kind_of.get(parent) in _FUNCTION_KINDS:
            return True
        seen.add(parent)
        parent = parent_of.get(parent)
    return False


_FUNCTION_KINDS = frozenset({"function", "method"})

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
    # With CtagsOracle.compare_end_lines: matched definitions compared by end line, and those
    # whose end lines differ as (key, ctags' end lines, ours).
    end_lines_compared: int = 0
    end_line_differences: list[tuple[Key, tuple[int, ...], tuple[int, ...]]] = field(
        default_factory=list
    )

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
        if self.end_lines_compared:
            lines.append(
                f"  end lines: {self.end_lines_compared} matched definitions compared, "
                f"{len(self.end_line_differences)} differ: {self.end_line_differences[:10]}"
            )
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

    # Each key's end lines, kept only where they are compared (CtagsOracle.compare_end_lines).
    ctags_ends: dict[Key, list[int]] = {}
    ours_ends: dict[Key, list[int]] = {}
    ctags_keyed: list[tuple[Key, str | None]] = []
    for tag in theirs:
        kind = oracle.ctags_kinds.get(tag.kind)
        if kind is None and oracle.ctags_kind_by_text is not None:
            kind = oracle.ctags_kind_by_text(tag)
        if kind is None:
            report.not_compared[tag.kind] += 1
        elif keep(tag, CTAGS) and not inside_lost_scope(tag, CTAGS):
            key = (tag.path, kind, tag.name, tag.line)
            ctags_keyed.append((key, tag.scope))
            if oracle.compare_end_lines:
                ctags_ends.setdefault(key, []).append(tag.end_line)
    ours_keyed: list[tuple[Key, str | None]] = []
    for tag in ours:
        kind = oracle.our_kinds.get(tag.kind)
        if kind is None:
            report.excluded[(OURS, f"kind {tag.kind!r} has no ctags counterpart")] += 1
        elif keep(tag, OURS) and not inside_lost_scope(tag, OURS):
            key = (tag.path, kind, tag.name, tag.line)
            ours_keyed.append((key, tag.scope))
            if oracle.compare_end_lines:
                ours_ends.setdefault(key, []).append(tag.end_line)

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
    if oracle.compare_end_lines:
        for key in sorted(common):
            theirs_end, ours_end = sorted(ctags_ends[key]), sorted(ours_ends[key])
            report.end_lines_compared += len(ours_end)
            if theirs_end != ours_end:
                report.end_line_differences.append((key, tuple(theirs_end), tuple(ours_end)))
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


# Java's type declarations (their bodies: ``java_inner_bodies``).
_JAVA_TYPE_DECLARATIONS = (
    "class_declaration",
    "record_declaration",
    "interface_declaration",
    "annotation_type_declaration",
    "enum_declaration",
)
# Java: the definitions whose start is not their name's line (modifiers, annotations, type
# parameters or a return type on the lines before); every declaration our Java table reports.
_JAVA_DECLARATIONS = (
    *_JAVA_TYPE_DECLARATIONS,
    "method_declaration",
    "constructor_declaration",
    "compact_constructor_declaration",
    "annotation_type_element_declaration",
)


@cache
def _java_name_query() -> tuple[Parser, Query]:
    language = Language(tree_sitter_java.language())
    patterns = "\n".join(
        f"({kind} name: (identifier) @name) @definition" for kind in _JAVA_DECLARATIONS
    )
    return Parser(language), Query(language, patterns)


def java_name_rows(source: bytes) -> dict[Point, int]:
    """Each Java declaration's start point -> the row of its name, by tree-sitter.

    ctags locates a Java definition at its name; our symbol starts at its first modifier,
    annotations included (JLS), so ``@Override`` on the line before moves it one line up.
    """
    parser, query = _java_name_query()
    rows: dict[Point, int] = {}
    for _, captures in QueryCursor(query).matches(parser.parse(source).root_node):
        (definition,) = captures["definition"]
        (name,) = captures["name"]
        rows[definition.start_point] = name.start_point[0]
    return rows


# Where a member type declaration sits; any other parent (a block, a switch group) makes it local.
_JAVA_TYPE_MEMBER_PARENTS = frozenset(
    {"program", "class_body", "interface_body", "enum_body_declarations", "annotation_type_body"}
)


@cache
def _java_body_query() -> tuple[Parser, Query]:
    language = Language(tree_sitter_java.language())
    patterns = [
        "(object_creation_expression (class_body) @body)",
        "(enum_constant (class_body) @body)",
        *(f"({kind}) @type" for kind in _JAVA_TYPE_DECLARATIONS),
    ]
    return Parser(language), Query(language, "\n".join(patterns))


def java_inner_bodies(source: bytes) -> list[tuple[Point, Point]]:
    """Class bodies not directly inside a type, by tree-sitter: anonymous classes' bodies
    (``new Runnable() { ... }``), enum constants' bodies (``A { ... }``) and local type
    declarations (a class declared in a method body), whose nested members all count.

    ctags 5.9's Java parser reports no definition inside them (universal-ctags issue 1739,
    "Java: Local classes are ignored", open since 2018); we report their methods and classes.
    """
    parser, query = _java_body_query()
    captures = QueryCursor(query).captures(parser.parse(source).root_node)
    spans: list[tuple[Point, Point]] = [
        (node.start_point, node.end_point) for node in captures.get("body", [])
    ]
    spans += [
        (node.start_point, node.end_point)
        for node in captures.get("type", [])
        if node.parent is not None and node.parent.type not in _JAVA_TYPE_MEMBER_PARENTS
    ]
    return spans


JAVA_ORACLE = CtagsOracle(
    language="java",
    ctags_language="Java",
    suffixes=(".java",),
    ctags_kinds={
        "class": "class",
        "interface": "interface",
        "annotation": "interface",
        "enum": "enum",
        "method": "callable",
    },
    our_kinds={
        "class": "class",
        "interface": "interface",
        "enum": "enum",
        "method": "callable",
    },
    not_compared_reason={
        "field": "fields are not symbols in our schema",
        "enumConstant": "enum constants are not symbols in our schema",
        "package": "package declarations are not symbols in our schema",
    },
    exclusions=(
        Exclusion(
            OURS,
            "definitions in anonymous class bodies (`new Runnable() { public void run() {} }`), "
            "enum constant bodies (`A { void f() {} }`) and local classes (declared in a method "
            "body): ctags 5.9's Java parser reports none (universal-ctags issue 1739)",
            lambda tag: tag.in_unparsed_span,
        ),
    ),
    unparsed_spans=java_inner_bodies,
    name_rows=java_name_rows,
    compare_end_lines=True,
)

# ---- JavaScript vs Universal Ctags ---------------------------------------------------------------


@cache
def _javascript_methods_query() -> tuple[Parser, Query]:
    language = Language(tree_sitter_javascript.language())
    query = Query(language, "(method_definition name: (property_identifier) @name) @method")
    return Parser(language), query


_ACCESSOR_WORDS = frozenset({b"get", b"set"})


def javascript_get_set_methods(source: bytes) -> list[tuple[Point, Point]]:
    """From each plain method named ``get`` or ``set`` (``get(key) {}``, not an accessor ``get
    x() {}``) to the end of its class body or object literal, by tree-sitter.

    ctags 5.9's JavaScript parser takes the name for the accessor keyword: it reads the
    parameters as fields and reports no method after it in the same body.
    """
    parser, query = _javascript_methods_query()
    spans: list[tuple[Point, Point]] = []
    for _, captures in QueryCursor(query).matches(parser.parse(source).root_node):
        method, name = captures["method"][0], captures["name"][0]
        body = method.parent
        if name.text in _ACCESSOR_WORDS and body is not None:
            spans.append((method.start_point, body.end_point))
    return spans


# `name = (a, b) =>`, `name = async x =>`, `name: (a) =>`: an arrow function bound to a name, as
# far as one line shows it (ctags' pattern is the definition's first line).
_ARROW_BOUND = r"\s*[=:]\s*(?:/\*.*?\*/\s*)?\(?\s*(?:async\s*)?(?:\([^()]*\)|[\w$]+)\s*=>"


def _ctags_arrow_function(tag: Tag) -> str | None:
    """A ctags ``constant``/``variable`` bound to an arrow function: a callable (ctags 5.9
    reports `const f = () => {}` as a constant, `const f = function () {}` as a function)."""
    if tag.kind not in {"constant", "variable"}:
        return None
    arrow = re.search(rf"\b{re.escape(tag.name)}{_ARROW_BOUND}", tag.text)
    # `const f = (` / `= ({` ending the line: parameters on the next lines (webpack's style)
    split = re.search(rf"\b{re.escape(tag.name)}\s*=\s*(?:async\s*)?\(\s*\{{?\s*$", tag.text)
    return "callable" if arrow is not None or split is not None else None


_FUNCTION_VALUE = re.compile(r"=\s*(?:async\s+)?function\b")


def _assigned_arrow_function(tag: Tag) -> bool:
    """A function or method assigned to a member or a class field as an arrow function or a
    wrapped one (`exports.f = (a) => a`, `this.f = () => {}`, a class field `f = () => {}`),
    which ctags 5.9 reports as a field or not at all (`X.prototype.f = ...` it reports as a
    method whatever the value; `exports.f = function () {}` as a function)."""
    if tag.kind not in {"function", "method"} or ".prototype." in tag.text:
        return False
    match = re.match(rf"((?:[\w$]+\s*\.\s*)*){re.escape(tag.name)}\s*=(?!=)", tag.text)
    if match is None or _FUNCTION_VALUE.match(tag.text, match.end() - 1) is not None:
        return False
    return bool(match.group(1)) or tag.kind == "method"


# What a ctags 5.9 JavaScript "class" is, by its line: an ES class, an ES5 constructor function
# (`function Foo() { this.x = ... }`) or a prototype assignment; any other is an object literal.
_JS_CLASS_LIKE = re.compile(r"\bclass\b|\bfunction\b|\.prototype\b")
_JS_MEMBER_ASSIGNMENT = re.compile(r"[\w$]+(?:\s*\.\s*[\w$]+)+\s*=")


_CTAGS_JS_FUNCTION_KINDS = frozenset({"function", "generator", "method", "getter", "setter"})


def _ctags_object_literal_class(tag: Tag) -> bool:
    return tag.kind == "class" and _JS_CLASS_LIKE.search(tag.text) is None


def _ctags_object_literal_member(tag: Tag) -> bool:
    return (
        tag.kind in _CTAGS_JS_FUNCTION_KINDS
        and tag.scope_kind == "class"
        and tag.scope_text is not None
        and _JS_CLASS_LIKE.search(tag.scope_text) is None
    )


def _our_object_literal_method(tag: Tag) -> bool:
    """A method written in an object literal (`{ f() {} }`, `{ f: function () {} }`), not one
    assigned to a member (`Foo.prototype.f = function () {}`)."""
    return (
        tag.kind == "method"
        and tag.scope_kind != "class"
        and _JS_MEMBER_ASSIGNMENT.match(tag.text) is None
    )


_NAMED_VALUE_OF_MEMBER = re.compile(r"\.\s*[\w$]+\s*=\s*(?:class|function\*?)\s+([\w$]+)")


def _ctags_named_class_expression(tag: Tag) -> bool:
    """`Dep.Template = class DepTemplate {}`: ctags' second tag, the class's own name (which
    its search pattern may cut: ctags limits a pattern to 96 characters)."""
    match = _NAMED_VALUE_OF_MEMBER.search(tag.text)
    return (
        tag.kind in {"class", "function"}
        and match is not None
        and tag.name.startswith(match.group(1))
        and "module.exports" not in tag.text
    )


def _ctags_member_of_a_local(tag: Tag) -> bool:
    """`function f() { fn.e = function () {} }`: a function stored in a local value."""
    if tag.kind != "function" or tag.scope_kind != "function" or tag.scope is None:
        return False
    holder = re.escape(tag.scope.rpartition(".")[2])
    return re.match(rf"\s*{holder}\s*\.\s*{re.escape(tag.name)}\s*=", tag.text) is not None


JAVASCRIPT_ORACLE = CtagsOracle(
    language="javascript",
    ctags_language="JavaScript",
    suffixes=(".js",),
    ctags_kinds={
        "function": "callable",
        "generator": "callable",
        "method": "callable",
        "getter": "callable",
        "setter": "callable",
        "class": "class",
    },
    our_kinds={"function": "callable", "method": "callable", "class": "class"},
    not_compared_reason={
        "constant": "values (`const x = ...`); ctags does not tell function-valued ones apart",
        "variable": "values (`let x = ...`); ctags does not tell function-valued ones apart",
        "property": "object-literal properties are not symbols in our schema (only as the "
        "scope of a method)",
        "field": "class fields and `this.x = ...` are not symbols in our schema",
    },
    exclusions=(
        Exclusion(
            OURS,
            "definitions local to a function or method body (`function f() { const g = () => "
            "{}; }`): ctags 5.9's JavaScript parser reports only some of them (most locals "
            "bound to arrow functions are missing)",
            lambda tag: tag.in_function_body,
        ),
        Exclusion(
            CTAGS,
            "definitions local to a function or method body (see our side)",
            lambda tag: tag.scope_kind in _CTAGS_JS_FUNCTION_KINDS,
        ),
        Exclusion(
            CTAGS,
            "definitions local to an arrow function's body: ctags 5.9 gives them no scope (an "
            "arrow function is a constant to it); they are the indented ones without a scope",
            lambda tag: tag.scope is None and tag.text[:1] in {" ", "\t"},
        ),
        Exclusion(
            OURS,
            "arrow functions assigned to a member or a class field (`exports.f = (a) => a`, "
            "`this.f = () => {}`, `f = () => {}` in a class): ctags 5.9 reports them as fields "
            "or not at all",
            _assigned_arrow_function,
        ),
        Exclusion(
            OURS,
            "methods of object literals (`{ f() {} }`, `{ f: () => {} }`): ctags 5.9 reports "
            "few members of object literals (none of one passed as an argument, arrow-valued "
            "ones as constants)",
            _our_object_literal_method,
        ),
        Exclusion(
            CTAGS,
            "the few members of object literals ctags reports (see our side)",
            _ctags_object_literal_member,
        ),
        Exclusion(
            CTAGS,
            "object literals (`const o = { a: 1 }`): ctags 5.9 reports them as classes; an "
            "object literal is a symbol for us only as the scope of a method (not compared)",
            _ctags_object_literal_class,
        ),
        Exclusion(
            CTAGS,
            "`X.prototype.f = ...`: ctags 5.9 adds a class tag `X` at each prototype assignment",
            lambda tag: (
                tag.kind == "class"
                and re.match(rf"\s*{re.escape(tag.name)}\s*\.\s*prototype\b", tag.text) is not None
            ),
        ),
        Exclusion(
            CTAGS,
            "`module.exports = ...`: ctags names the value `exports`; we name a named class or "
            "function by its own name, an anonymous function by its module's (an anonymous "
            "class is no symbol)",
            lambda tag: tag.name == "exports" and tag.scope == "module",
        ),
        Exclusion(
            CTAGS,
            "`Dep.Template = class DepTemplate {}`: ctags reports it under both names; we name it "
            "after the member as `exports.f = function g() {}` is `f` (ECMAScript binds `g` "
            "inside its own body only)",
            _ctags_named_class_expression,
        ),
        Exclusion(
            CTAGS,
            "a function stored in a member of a value inside a function (`fn.e = function () "
            "{}`, `socket.onopen = ...`): a value the function holds, no symbol for us",
            _ctags_member_of_a_local,
        ),
        Exclusion(
            CTAGS,
            "anonymous functions, which ctags 5.9 names `AnonymousFunction<hash>`; they are no "
            "symbols for us",
            lambda tag: tag.name.startswith("AnonymousFunction"),
        ),
        Exclusion(
            OURS,
            "after a method named `get` or `set` (`get(key) {}`): ctags 5.9 reads the name as "
            "the accessor keyword and reports nothing more of the class body",
            lambda tag: tag.in_unparsed_span,
        ),
    ),
    lost_scope_kinds=frozenset({"class"}),
    lost_scope_reason="inside a class body that ctags 5.9's JavaScript parser loses",
    unparsed_spans=javascript_get_set_methods,
    ctags_kind_by_text=_ctags_arrow_function,
)


# ---- Go vs Universal Ctags -----------------------------------------------------------------------


GO_ORACLE = CtagsOracle(
    language="go",
    ctags_language="Go",
    suffixes=(".go",),
    ctags_kinds={
        "func": "callable",
        "methodSpec": "callable",
        "struct": "struct",
        "interface": "interface",
        "type": "type_alias",
        "talias": "type_alias",
        "const": "constant",
    },
    our_kinds={
        "function": "callable",
        "method": "callable",
        "struct": "struct",
        "interface": "interface",
        "type_alias": "type_alias",
        "constant": "constant",
    },
    not_compared_reason={
        "member": "struct fields are not symbols in our schema",
        "anonMember": "embedded struct fields are inheritance rows in our schema, not symbols",
        "var": "package-level `var` declarations are not symbols in our schema",
        "package": "the `package` clause: a file's package is no symbol in our schema",
        "packageName": "import names are import rows in our schema, not symbols",
    },
    exclusions=(
        Exclusion(
            OURS,
            "declarations inside a function body (local `const` and `type`, the methods of a "
            "local interface type): ctags 5.9's Go parser reports package-level ones only",
            lambda tag: tag.in_function_body,
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# CALLS resolution vs independent resolvers: Jedi (Python), the TypeScript compiler
# ---------------------------------------------------------------------------------------------
#
# For each call site of a `codeintel build` (the calls table, whose CALL node ids are
# `cpg_model.call_node_ids`), our answer is where its CALLS edge points when resolved, as the
# (path, line) of the target's definition; the oracle's answer is the definitions it finds inside
# the corpus for the callee's last name. Rule for classes: a constructor call `User()` /
# `new User()` resolves here to the class's constructor METHOD (`__init__`, `constructor`) when
# it declares one, else to the class's TYPE_DECL (hamilton_modules/cpg.py), while both oracles
# point at the class: a constructor target counts as its class's definition.

PYTHON_RESOLUTION_SAMPLE_EVERY = 25  # Jedi is slow (~10 ms a call): every 25th call, by hash
TYPESCRIPT_RESOLUTION_SAMPLE_EVERY = 1  # one compiler run answers every call site at once
# Agreement = share of the call sites both sides resolve inside the corpus where our target is one
# of the oracle's definitions. The tests assert just under the measured figure (bench/RESULTS.md,
# section "resolution"), so a regression in cpg.py fails them.
# Measured: Python 100% (527 of 527 in the bench sample, 116 of 116 in the tests' smaller one;
# 99.0% / 98.3% before literal receivers, local functions and repeated definitions, issue 2);
# TypeScript 100% (896 of 896 with `super(...)` judged at the keyword, 871 before; 97.6% before
# `super.f` stopped resolving to the override itself). With declared receiver types (rule 4a):
# still 100%, Python 613 of 613 (138 of 138 in the tests'), TypeScript 1027 of 1027.
MIN_RESOLUTION_AGREEMENT: dict[str, float] = {"python": 0.99, "typescript": 0.99}
# Precision = agree / (both resolve inside + ours where the oracle resolves outside the corpus):
# a call site we send to a repository method while the oracle finds a builtin or library
# definition (`user_string.split` -> a repository `split`) is a wrong edge, not a bonus.
# Measured: Python 100% (640 / 640 in the bench sample, 151 / 151 in the test's) and TypeScript
# 99.8% (1274 / 1277) once a call's value types a member call on it; Python 100% (631 / 631,
# 146 / 146) once a `@property`'s return annotation types `self.p` (its one wrong edge,
# `self.server_process.wait` on a property returning `subprocess.Popen`, is now unresolved);
# 99.8% (613 / 614 in the bench sample; 99.3%, 138 / 139, in the test's) before,
# TypeScript 99.7% (1027 / 1030) once declared receiver types (rule 4a) replaced rule-5 guesses
# on library and builtin types; 98.2% (532 / 542) and 99.3% (896 / 902) before; 96.2% (527 /
# 548) and 96.8% (871 / 900) before builtin types' method names stopped rule 5 and `super`
# calls resolved to base types (issue 2). Python's floor leaves room for the tests' smaller
# sample, where one wrong edge is ~0.8%.
MIN_RESOLUTION_PRECISION: dict[str, float] = {"python": 0.99, "typescript": 0.995}
# Recall = agree / (agree + only the oracle resolves): of the call sites the oracle resolves
# inside the corpus, the share we resolve to its definition. Measured: TypeScript 96.1% (1321 /
# 1374; precision 99.85%, agreement 100%) once a type assertion of a name types the receiver
# (`(queue as ReplaySubject<T>).subscribe()`, +2); 96.0% (1319 / 1374) once `new EmptyError()` of an interface merged with
# a const of a construct signature (rxjs's error classes) is the interface (+16; and a callee
# that is no name, `concatAll()(x)`, no longer names `concatAll`: 5 wrong edges tsc does not
# judge), 94.8% (1303 / 1374) once a copy of a field of `this` is typed as the
# field (`const observer = this._output`, `const { _timestampProvider } = this`: +11, all
# tsc's); Python 96.5% (653 / 677 in the bench sample; 98.1%, 154 / 157, in the test's;
# every 5th call site: 95.4% -> 96.3%, 3164 / 3286, agreement 99.97% and precision 99.84%
# unchanged) once a loop or comprehension variable over a name declared ``list[Foo]`` /
# ``Sequence[Foo]`` / ``tuple[Foo, ...]`` (also ``in self.xs``) and ``xs[i]`` are a Foo, a
# name bound to a member (``instance = context.instance``) is typed as that receiver, an
# untyped or union-typed receiver is a Foo in the branch of ``if isinstance(x, Foo):``,
# ``with f() as x`` of a ``@contextmanager`` generator's ``-> Iterator[Foo]`` is a Foo, and
# so is ``d[k]`` of a ``dict[str, Foo]``;
# 96.0% (650 / 677 in the bench sample) once a field hop also reads a class's plain fields (``child: Foo``, a
# dataclass field, ``self.x = x`` with ``x: Foo``; the symbols' ``fields``) and hops along a
# chain of up to three fields (``self._instance.run_storage.f()``), TypeScript 94.0% (1292 /
# 1374; precision 99.85%, 1292 / 1294) once a TypeScript class's fields type field hops
# (``subject.scheduler.schedule()``), 94.0% (1291 / 1374) once a copy of ``this`` (``const self = this``) is an instance of its class, 93.7%
# (1287 / 1374) once an assignment in a callback (``inner = null``) keeps the type the variable
# is declared with around it; Python 95.6% (647 / 677
# in the bench sample; 96.8%, 152 / 157, in the test's) once a field hop reads a property
# written in another file or in a base (`evaluator.asset_graph.get()`, `self.subset_value.f()`);
# 94.8% (642 / 677; 96.8%) once a walk past `ABC` / `Generic` / `Protocol` finds a base's `get`
# (a name only builtin types had stopped); 94.5% (640 / 677; 96.2%, 151 / 157) before, TypeScript 92.7% (1274 / 1374) once a
# member call on a call's value (`make().f()`, `innerFrom(x).subscribe()`) is typed as a name
# bound to it is; Python 93.2% (631 / 677; 93.0%, 146 / 157) once a `@property` /
# `@functools.cached_property` with a return annotation is a field of that type (`self.p.f()`);
# 91.9% (622 / 677; 91.7%, 144 / 157) before; TypeScript 90.4% (1242 / 1374) once an
# untyped callback parameter is typed by the signature it is passed to (`new Observable((s) =>
# ...)`, `operate((source, subscriber) => ...)`: 199 of the 200 such call sites tsc alone
# resolved; rule 4a, issue 2); 75.9% (1043 / 1374) once a receiver bound to a call's value is
# typed by the function's declared return type; Python 90.8% (615 / 677; 87.9% in the
# test's) and TypeScript 74.8% (1028 / 1374) before that; with declared receiver types (rule
# 4a), re-exports followed (rule 3) and mixins walked past `ABC`/`Protocol` bases; 78.6% (532 / 677) and 65.2% (896 / 1374) before all three. What
# remains is mostly inference (a field or property of a base class or of another type, a
# module-level value's type, destructuring, generic instantiation, chains of returns).
MIN_RESOLUTION_RECALL: dict[str, float] = {"python": 0.96, "typescript": 0.955}
# JavaScript: every call site of webpack's `lib/` against the TypeScript compiler with
# allowJs (CommonJS `require`, `module.exports`, prototype and expando assignments, JSDoc types).
# Measured: agreement 99.76% (10318 / 10343), precision 99.74%, recall 94.94% (10318 / 10868)
# once a generic JSDoc typedef import binds its name (`@template T @typedef
# {import("./util/LazySet")<T>} LazySet<T>`: +5); 99.76% (10313 / 10338), 99.74% and 94.89%
# once a copy of a field of a typed name is typed as that field (`const moduleGraph =
# compilation.moduleGraph`, `const { moduleGraph } = compilation`: +13); 99.76% (10300 /
# 10325), 99.74% and 94.77% once a copy of a field of `this` (`const x = this.y`, `const { y } = this`) is typed as the
# field (+5); 99.76% (10295 / 10320), 99.74% and 94.73% (10295 / 10868) once a module's CommonJS properties (`module.exports.Logger = WebpackLogger`, `exports.f =
# g`) are exported rows (+7: `const { Logger } = require("./logging/Logger")`), the `X.f` of a
# `module.exports = X` module reaching the module's own f only when it sets that property (the
# 78 sites it served before all still agree; a private helper is no member of X); 99.76%
# (10288 / 10313), 99.74% and 94.66% (10288 / 10868) once a `static` method (the symbols' `modifiers`) is no member of a value of its class (+11:
# `obj.deserialize(context)` on a `new X()` in X's `static deserialize` is the base Module's or
# Dependency's instance method); 99.65% (10277 / 10313), 99.63% and 94.66% (10277 / 10857)
# once `for (const x of xs)` over a documented `@param {Foo[]} xs` / `/** @type {Set<Foo>} */`
# (also a field, `of this.xs`) is a Foo (+28 sites, all tsc's); 99.65% (10249 / 10285), 99.63%
# and 94.40% once a class's fields (`this.x = new Foo()`, JSDoc `@type`) type field hops from other files
# and subclasses (`cgm.chunks.delete()`); 99.65% (10211 / 10247), 99.63% and 94.05% once a JSDoc cast types a parenthesized receiver (`/** @type {Foo} */ (x).f()`); 99.65%
# (10201 / 10237), 99.63% and 93.96% once `const { f } = require("./x")` of a `module.exports = X` is X's f; 99.65% (10186 /
# 10222), 99.63% and 93.82% once `new Foo(x).apply()` is a member call on a Foo; 99.64% (10008 / 10044), 99.62% and
# 92.18% once a JSDoc `@returns {T}` types the values of calls (`const hash = createHash()`), with
# parenthesized bases (`extends (Dep.Template)`) read; 99.63% (9819 / 9855), 99.61% and 90.44%
# once an anonymous `module.exports = (a) => ...` is a function named after its module; 99.63%
# (9639 / 9675), 99.61% and 88.78% (9639 / 10857) once JSDoc `@type {T}` declares `this.x` / `const x` (also a value's cast);
# 99.63% (9594 / 9630), 99.61% and 88.37% (9594 / 10857) once JSDoc `@param {T} x` types a
# parameter (T bound by a `@typedef {import("./m")} T`); 99.62% (9342 / 9378), 99.59% and 86.05% (9342 / 10857) once a `require`
# of a module setting `module.exports = X` stands for X; 99.49% (7089 / 7125), 99.47% and
# 65.29% (7089 / 10857) before.
MIN_RESOLUTION_AGREEMENT["javascript"] = 0.997
MIN_RESOLUTION_PRECISION["javascript"] = 0.997
MIN_RESOLUTION_RECALL["javascript"] = 0.949
JAVASCRIPT_RESOLUTION_SAMPLE_EVERY = 1  # one compiler run answers every call site at once
# Go: every call site of golang.org/x/net (Debian's golang-golang-x-net-dev) against Go's
# type checker (bench/go_resolve.go), in the files one of GO_ORACLE_BUILDS checks (linux/amd64,
# darwin/arm64, freebsd/amd64: 21591 of 23394 call sites; 20889 with linux/amd64 alone).
# Measured: agreement 99.48% (8019 / 8061; the 42 others: 38 one definition per build, ours
# another GOOS's or Go version's file, deliberate; 4 a local variable named as its package or a
# field named as an interface type), precision 99.43% (8019 / 8065: 4 rule-5 guesses on values of
# standard-library types: `ctx.Done()` of x/net/context's alias of the standard Context, a range
# over a `Readdir` of mixed receivers), recall 99.34% (8019 / 8072); 7 more edges where the
# checker stops at a var (a local function value `patch()`) once a conversion `(*T)(p)` is a T
# (`h := (*cmsghdr)(unsafe.Pointer(&m[0]))`) and a type's member with one definition per build
# is one of a build of the call's file (`//go:build` and the file name: `sa.setSockaddr()` in a
# darwin-only file is sys_darwin.go's, no longer sys_aix.go's; of several builds, the first of
# theirs: `pi.setIfindex()` in control_rfc3542_unix.go is sys_aix.go's, which no checked build
# has). 99.48% / 99.43% / 99.26% (8012 / 8072) once a field of an import's name
# is the imported package's variable or typed constant (`a.Html.String()` with `Html Atom =
# 0x5604` in html/atom, `idna.Lookup.ToASCII()`). 99.48% / 99.43% / 98.98% (7990 / 8072) once
# an index of a typed name's
# field (`m.Questions[i].pack()`) and a range over a slice (`range m.Questions[1:]`) are the
# container's elements. 99.48% / 99.43% / 98.75% (7971 / 8072) once a name bound to an element of
# the package's variable of another file is that variable's element (`so, ok := sockOpts[k]`;
# `w, ok := wireFormats[typ]; w.parse()` is a field holding a function, no longer a guess).
# 99.47% / 99.42% / 98.44% (7946 / 8072) once a Go type's methods are those of its qualified name in any file of the package
# (`genericOpt.SetTOS` in genericopt.go for a `Conn` embedding `genericOpt` of endpoint.go)
# and embedded fields are walked by depth (`p.JoinGroup()` on an `ipv4.PacketConn`, whose
# `payloadHandler` embeds `net.PacketConn` one level deeper): 99.47% / 99.42% / 97.05% with the
# methods of any file alone. Before: 99.46% / 99.39% / 96.13% (7760 / 8072; 6 rule-5 guesses,
# `cm.Dst.Equal()` of a method's second result whose method has one definition per build too).
# Before fields hopped from a method's later result in rule 4a's second pass: 99.46% / 99.38% /
# 96.04%. Before a type switch's case of one type typed its name (`case *url.Error: e.H()`):
# 99.46% / 99.37% / 95.26%. Before the package's variables of other files typed receivers
# (`staticTable.len()`, `var bufPool sync.Pool`, `ctlOpts[i].parse()`): 99.45% / 99.31% / 94.20%
# (11 wrong edges, 16 where the checker stops at a var). Before receivers were typed beyond one
# name (fields hop by hop and across files, embedded fields, written type assertions and
# composite literals, a call's other results, range variables and indexes, values of methods rule
# 4a leaves outside): 99.46% / 98.59% / 92.10% (66 wrong
# edges). With linux/amd64 alone: 99.40% / 98.51% / 92.99% once a call naming any Go
# type is a conversion to it (`Register(x)` of `type Register uint16`: 255 call sites) and such
# named non-struct types type receivers; 99.36% / 98.43% / 87.76% once `x, err := f()` is
# typed by f's first result; 99.29% / 97.92% / 78.22% with call values typed only from outside
# (`ln, err := net.Listen(...)`) and type assertions; 97.42% / 94.30% / 77.73% on the first run
# (`p.Question()` guessed as `type Question`, the standard library's `context` taken for x/net's
# folder).
MIN_RESOLUTION_AGREEMENT["go"] = 0.994
MIN_RESOLUTION_PRECISION["go"] = 0.9935
MIN_RESOLUTION_RECALL["go"] = 0.991
GO_RESOLUTION_SAMPLE_EVERY = 1  # one type-checker run answers every call site at once

Place = tuple[str, int]  # (path relative to the corpus root, 1-based line of the definition)
# (path, line, byte column, ordinal, callee) of a calls row: `f().g()` has two calls at one column
SiteKey = tuple[str, int, int, int, str]


@dataclass(frozen=True)
class OurCall:
    """One call site of our build and where our CALLS edge points (``target`` None: unresolved)."""

    path: str
    line: int
    column: int  # byte column where the callee starts (calls table)
    ordinal: int
    callee: str
    callee_name: str
    target: Place | None
    target_name: str | None  # qualified name of the target node, for the reports

    @property
    def key(self) -> SiteKey:
        return (self.path, self.line, self.column, self.ordinal, self.callee)


@dataclass(frozen=True)
class OracleAnswer:
    """The oracle's definitions inside the corpus for one call site, and what else it said."""

    definitions: frozenset[Place]
    note: str  # why there is no definition inside the corpus ("" when there is one)


def build_for_resolution(*, root: Path, out: Path, language: str) -> Path:
    """``codeintel build ROOT --out OUT --languages LANGUAGE --no-cache`` (a subprocess)."""
    argv = [
        sys.executable,
        "-m",
        "orchestration.cli",
        "build",
        str(root),
        "--out",
        str(out),
        "--languages",
        language,
        "--no-cache",
    ]
    completed = subprocess.run(argv, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {completed.returncode}: {completed.stderr}")
    return out


def our_calls(*, out: Path, language: str) -> list[OurCall]:
    """Every call site of a build's ``LANGUAGE/calls.parquet`` with its CALLS edge's target."""
    calls = pl.read_parquet(out / language / "calls.parquet")
    calls = calls.with_columns(call_id=call_node_ids(calls))
    edges = pl.read_parquet(out / "cpg" / "edges.parquet").filter(
        pl.col("label") == "CALLS", pl.col("resolved")
    )
    nodes = pl.read_parquet(out / "cpg" / "nodes.parquet")
    targets = nodes.filter(pl.col("label").is_in(["METHOD", "TYPE_DECL"])).select(
        "id", "label", "name", "qualified_name", pl.col("path").alias("target_path"), "start_line"
    )
    classes = nodes.filter(pl.col("label") == "TYPE_DECL").select(
        pl.col("qualified_name").alias("class_name"),
        pl.col("path").alias("target_path"),
        pl.col("start_line").alias("class_line"),
    )
    constructor_names = list(CONSTRUCTOR_NAMES.get(language) or ())
    joined = (
        calls.join(edges.select("src", "dst"), left_on="call_id", right_on="src", how="left")
        .join(targets, left_on="dst", right_on="id", how="left")
        .with_columns(
            constructor=pl.col("label").eq("METHOD")
            & pl.col("name").is_in(constructor_names)
            & pl.col("callee_name").ne(pl.col("name")),
            class_name=pl.col("qualified_name").str.replace(r"\.[^.]*$", ""),
        )
        .join(classes, on=["class_name", "target_path"], how="left")
        .with_columns(
            target_line=pl.when(pl.col("constructor") & pl.col("class_line").is_not_null())
            .then(pl.col("class_line"))
            .otherwise(pl.col("start_line"))
        )
        .sort("path", "line", "column", "ordinal")
    )
    return [
        OurCall(
            path=row["path"],
            line=row["line"],
            column=row["column"],
            ordinal=row["ordinal"],
            callee=row["callee"],
            callee_name=row["callee_name"],
            target=None if row["dst"] is None else (row["target_path"], row["target_line"]),
            target_name=row["qualified_name"],
        )
        for row in joined.iter_rows(named=True)
    ]


def sampled(calls: list[OurCall], *, every: int) -> list[OurCall]:
    """Every ``every``-th call site by a stable hash of its key: the same sample on every run."""
    if every <= 1:
        return list(calls)

    def bucket(call: OurCall) -> int:
        text = "\0".join(map(str, call.key)).encode()
        return int.from_bytes(hashlib.sha256(text).digest()[:8], "big") % every

    return [call for call in calls if bucket(call) == 0]


def _line_starts(source: bytes) -> list[int]:
    starts = [0]
    starts.extend(index + 1 for index, byte in enumerate(source) if byte == 0x0A)
    return starts


_WHITESPACE = frozenset(b" \t\r\n\f\v")


def _match_callee(source: bytes, start: int, callee: bytes) -> int | None:
    """End offset of ``callee`` (whitespace squeezed to single spaces) written from ``start``."""
    index = start
    for byte in callee:
        if byte == 0x20:
            if index >= len(source) or source[index] not in _WHITESPACE:
                return None
            while index < len(source) and source[index] in _WHITESPACE:
                index += 1
        elif index < len(source) and source[index] == byte:
            index += 1
        else:
            return None
    return index


# How far past the call's start the callee may begin (`new Foo()`: the call starts at `new`).
_CALLEE_SEARCH_BYTES = 64


def callee_name_position(
    *, source: bytes, line_starts: list[int], call: OurCall, utf16: bool
) -> tuple[int, int] | None:
    """(1-based line, column) of the callee's last name, the position an oracle is asked about.

    The column counts code points (Jedi, Go's byte column in ``AskedCall.byte_column``) or UTF-16
    units (TypeScript). None when the callee text is not found at the call or does not end with
    its name (``f()()``, ``handlers[0]()``).
    """
    return _locate_callee(source=source, line_starts=line_starts, call=call, utf16=utf16).position


def _locate_callee(
    *, source: bytes, line_starts: list[int], call: OurCall, utf16: bool
) -> AskedCall:
    """``call`` with its callee name's position (``callee_name_position``) and byte column."""
    if call.line > len(line_starts):
        return AskedCall(call, None)
    offset = line_starts[call.line - 1] + call.column
    callee = call.callee.encode()
    name = call.callee_name.encode()
    end = None
    for start in range(offset, min(offset + _CALLEE_SEARCH_BYTES, len(source))):
        end = _match_callee(source, start, callee)
        if end is not None:
            break
    if end is None or not name or source[end - len(name) : end] != name:
        return AskedCall(call, None)
    name_start = end - len(name)
    row = bisect.bisect_right(line_starts, name_start) - 1
    prefix = source[line_starts[row] : name_start].decode("utf-8", errors="replace")
    column = len(prefix.encode("utf-16-le")) // 2 if utf16 else len(prefix)
    # where the call itself starts, in code points (Rust: rustc's span of a path call)
    call_start = source[line_starts[call.line - 1] : offset].decode("utf-8", errors="replace")
    return AskedCall(call, (row + 1, column), name_start - line_starts[row], len(call_start))


@dataclass(frozen=True)
class AskedCall:
    """A sampled call site with the position the oracle is asked about (None: not located)."""

    call: OurCall
    position: tuple[int, int] | None
    byte_column: int | None = None  # the position's column in bytes (Go); None: not located
    # the call's own start column in code points (Rust); None: not located
    call_column: int | None = None


def asked_calls(*, root: Path, calls: list[OurCall], utf16: bool) -> list[AskedCall]:
    """Locate each call's callee name in its source file."""
    asked: list[AskedCall] = []
    by_path: dict[str, list[OurCall]] = {}
    for call in calls:
        by_path.setdefault(call.path, []).append(call)
    for path, group in sorted(by_path.items()):
        source = (root / path).read_bytes()
        starts = _line_starts(source)
        asked.extend(
            _locate_callee(source=source, line_starts=starts, call=call, utf16=utf16)
            for call in group
        )
    return asked


def _inside(root: Path, file: Path | str | None) -> str | None:
    """``file`` relative to ``root`` (posix), None when it is outside it (or unknown)."""
    if file is None:
        return None
    try:
        return Path(file).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


# Jedi name types that are definitions a call can land on (a method is a "function").
_JEDI_DEFINITION_TYPES = frozenset({"function", "class"})


def jedi_answers(*, root: Path, asked: list[AskedCall]) -> dict[SiteKey, OracleAnswer]:
    """Jedi's ``goto(follow_imports=True)`` at each located callee name.

    The project's sys.path is the corpus root and nothing else: the default would add the venv's
    site-packages, where ``import dagster`` finds the installed package instead of the corpus copy.
    Jedi parses the files; it imports nothing from them (the corpus has no compiled extension).
    """
    import jedi

    project = jedi.Project(root, sys_path=[str(root)], added_sys_path=[], smart_sys_path=False)
    answers: dict[SiteKey, OracleAnswer] = {}
    by_path: dict[str, list[AskedCall]] = {}
    for item in asked:
        if item.position is not None:
            by_path.setdefault(item.call.path, []).append(item)
    for path, group in sorted(by_path.items()):
        code = (root / path).read_bytes().decode("utf-8", errors="replace")
        script = jedi.Script(code, path=root / path, project=project)
        for item in group:
            assert item.position is not None
            line, column = item.position
            try:
                names = script.goto(line, column, follow_imports=True)
            except Exception as error:  # an oracle failure is recorded, never fatal
                answers[item.call.key] = OracleAnswer(frozenset(), f"jedi error: {error!r}")
                continue
            definitions: set[Place] = set()
            notes: list[str] = []
            for name in names:
                relative = _inside(root, name.module_path)
                if relative is None:
                    notes.append(_OUTSIDE_NOTE)
                elif name.type not in _JEDI_DEFINITION_TYPES:
                    notes.append(f"a {name.type}")
                elif name.line is not None:
                    definitions.add((relative, name.line))
            note = "" if definitions else (", ".join(sorted(set(notes))) or "no result")
            answers[item.call.key] = OracleAnswer(frozenset(definitions), note)
    return answers


TS_RESOLVE_SCRIPT = Path(__file__).resolve().parent / "ts_resolve.js"
# TypeScript declarations that are definitions a call can land on (overload signatures of a
# function or method count: our METHOD of an overloaded callable is at one of them).
_TS_DEFINITION_KINDS = frozenset(
    {
        "FunctionDeclaration",
        "MethodDeclaration",
        "MethodSignature",
        "ClassDeclaration",
        "Constructor",
        "InterfaceDeclaration",
        "FunctionValued",  # `const f = () => {}` (bench/ts_resolve.js)
    }
)
# JavaScript (allowJs) adds classes as values: `module.exports = class X {}` (the checker's
# declaration is the class expression), `Dep.Template = class T {}` (an assignment of one).
_JS_DEFINITION_KINDS = _TS_DEFINITION_KINDS | {"ClassExpression", "ClassValued"}


def typescript_answers(
    *,
    root: Path,
    asked: list[AskedCall],
    compiler: Path,
    tsconfig: Path | None,
    javascript: bool = False,
) -> tuple[dict[SiteKey, OracleAnswer], str]:
    """The TypeScript compiler's declarations (aliases followed) at each located callee name.

    One ``node bench/ts_resolve.js`` run over the whole program; returns the answers and the
    compiler's version. ``javascript``: the program is every ``.js`` file under ``root``
    (``allowJs``, CommonJS module resolution; ``tsconfig`` is ignored).
    """
    if shutil.which("node") is None:
        raise RuntimeError("node is not installed (the TypeScript oracle runs on node)")
    located = [item for item in asked if item.position is not None]
    request = {
        "root": str(root.resolve()),
        "tsconfig": None if tsconfig is None else str(tsconfig.resolve()),
        "javascript": javascript,
        "sites": [
            {"path": item.call.path, "line": item.position[0], "character": item.position[1]}
            for item in located
            if item.position is not None
        ],
    }
    completed = subprocess.run(
        ["node", str(TS_RESOLVE_SCRIPT), str(compiler)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench/ts_resolve.js exited {completed.returncode}: {completed.stderr}")
    reply = json.loads(completed.stdout)
    answers: dict[SiteKey, OracleAnswer] = {}
    for item, site in zip(located, reply["sites"], strict=True):
        definitions: set[Place] = set()
        notes: list[str] = []
        if site["found"] is None:
            notes.append("no identifier at the position")
        for declaration in site["declarations"]:
            relative = _inside(root, declaration["path"])
            if relative is None:
                notes.append(_OUTSIDE_NOTE)
            elif declaration["kind"] not in (
                _JS_DEFINITION_KINDS if javascript else _TS_DEFINITION_KINDS
            ):
                notes.append(f"a {declaration['kind']}")
            else:
                definitions.add((relative, int(declaration["line"])))
        note = "" if definitions else (", ".join(sorted(set(notes))) or "no result")
        answers[item.call.key] = OracleAnswer(frozenset(definitions), note)
    return answers, str(reply["version"])


GO_RESOLVE_PROGRAM = Path(__file__).resolve().parent / "go_resolve.go"
# Debian's GOPATH tree of Go sources (golang-golang-x-*-dev): the corpus' dependencies
# (golang.org/x/sys, golang.org/x/text) are type-checked from there.
DEBIAN_GOCODE = Path("/usr/share/gocode")
# What the Go type checker's object at a callee is, when it is a definition a call lands on
# (bench/go_resolve.go): a function, a method (of a concrete type), an interface's method (a call
# through an interface value: our METHOD of the method's signature in the interface type) and a
# type (a conversion `T(x)`, resolved like a constructor call to its TYPE_DECL). A "var" (a
# function-valued variable, field or parameter) is no definition.
_GO_DEFINITION_KINDS = frozenset({"func", "method", "interface method", "type"})


# The build contexts (GOOS, GOARCH) the oracle type-checks the corpus for, one run each: a file
# is compared when one of them builds it, and a call's definitions are those of every build
# that checks its file (`setsockopt` in a shared file: sys_unix.go's and sys_darwin.go's).
# Windows is left out: Debian's golang.org/x/sys has no `windows` package.
GO_ORACLE_BUILDS: tuple[tuple[str, str], ...] = (
    ("linux", "amd64"),
    ("darwin", "arm64"),
    ("freebsd", "amd64"),
)
# An answer's note when our target lies in a file that no build checking the call's file checks
# (build constraints for another system or Go version) while the oracle has a definition: Go
# packages define one name once per build (`sys_linux.go` / `sys_windows.go`); the graph keeps
# every build's.
_OTHER_BUILD_NOTE = "ours in a file of another build"


# The GOPATH packages golang.org/x/net imports (Debian: golang-golang-x-sys-dev,
# golang-golang-x-text-dev); without them the type checker leaves their callers' packages
# partly untyped.
GO_DEPENDENCIES = ("golang.org/x/sys", "golang.org/x/text")


def go_oracle_missing(*, gopath: Sequence[Path]) -> str | None:
    """Why the Go oracle cannot run here (None: it can): no ``go``, or a dependency missing."""
    if shutil.which("go") is None:
        return "go is not installed (apt-get install golang-go)"
    for dependency in GO_DEPENDENCIES:
        if not any((folder / "src" / dependency).is_dir() for folder in gopath):
            return (
                f"{dependency} is not in the GOPATH {[str(folder) for folder in gopath]} "
                f"(apt-get install golang-golang-x-sys-dev golang-golang-x-text-dev)"
            )
    return None


def gopath_of(root: Path) -> Path:
    """The GOPATH folder holding ``root``: the parent of its innermost ``src`` ancestor."""
    for folder in root.resolve().parents:
        if folder.name == "src":
            return folder.parent
    raise ValueError(f"{root} is not inside a GOPATH (no `src` folder above it)")


def go_environment(*, gopath: Sequence[Path], scratch: Path) -> dict[str, str]:
    """The environment of the Go oracle: GOPATH mode, local toolchain, no network, own cache."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("GO", "CGO_"))
    }
    environment.update(
        GO111MODULE="off",
        GOPATH=os.pathsep.join(str(folder) for folder in gopath),
        GOTOOLCHAIN="local",
        GOPROXY="off",
        GOFLAGS="",
        GOENV="off",
        GOWORK="off",
        GOCACHE=str(scratch / "gocache"),
        CGO_ENABLED="0",  # the build context the oracle checks: no cgo files (x/net has none)
    )
    return environment


def go_answers(
    *,
    root: Path,
    asked: list[AskedCall],
    gopath: Sequence[Path],
    builds: Sequence[tuple[str, str]] = GO_ORACLE_BUILDS,
) -> tuple[dict[SiteKey, OracleAnswer], frozenset[str], str]:
    """The Go type checker's object (``types.Info.Uses``) at each located callee name.

    ``bench/go_resolve.go`` (built with the machine's ``go`` into a temporary folder) type-checks
    every package under ``root`` once per build context of ``builds``; a site's definitions are
    those of every build that checks its file. Returns the answers, the files some build
    type-checked (build constraints exclude the others) and the Go version.
    """
    if shutil.which("go") is None:
        raise RuntimeError("go is not installed (the Go oracle is Go's type checker)")
    located = [item for item in asked if item.position is not None]
    sites = [
        {"path": item.call.path, "line": item.position[0], "column": item.byte_column}
        for item in located
        if item.position is not None
    ]
    replies: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="codeintel-go-oracle-") as scratch:
        environment = go_environment(gopath=gopath, scratch=Path(scratch))
        program = Path(scratch) / "go_resolve"
        built = subprocess.run(
            ["go", "build", "-o", str(program), str(GO_RESOLVE_PROGRAM)],
            cwd=scratch,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if built.returncode != 0:
            raise RuntimeError(f"go build bench/go_resolve.go failed: {built.stderr}")
        for goos, goarch in builds:
            request = {"root": str(root.resolve()), "goos": goos, "goarch": goarch}
            completed = subprocess.run(
                [str(program)],
                cwd=scratch,
                env=environment,
                input=json.dumps({**request, "sites": sites}),
                capture_output=True,
                text=True,
                check=False,
            )
            if completed.returncode != 0:
                raise RuntimeError(
                    f"bench/go_resolve.go ({goos}/{goarch}) exited {completed.returncode}: "
                    f"{completed.stderr}"
                )
            replies.append(json.loads(completed.stdout))
    files_of_builds = [frozenset(reply["files"]) for reply in replies]
    checked = frozenset().union(*files_of_builds)
    answers: dict[SiteKey, OracleAnswer] = {}
    for index, item in enumerate(located):
        definitions: set[Place] = set()
        notes: list[str] = []
        for reply in replies:  # the first build's note wins where no build has a definition
            site = reply["sites"][index]
            relative = _inside(root, site["path"] or None)  # "": no position (a builtin)
            if not site["found"]:
                notes.append("no identifier at the position")
            elif relative is None:
                notes.append(_OUTSIDE_NOTE)  # the standard library, a dependency, a builtin
            elif site["kind"] not in _GO_DEFINITION_KINDS:
                notes.append(f"a {site['kind']}")
            else:
                definitions.add((relative, int(site["line"])))
        note = (
            ""
            if definitions
            else next(
                (note for note in notes if note != "no identifier at the position"),
                notes[0] if notes else "no result",
            )
        )
        target = item.call.target
        if definitions and target is not None:
            # the files of the builds that check the call's own file
            built_with = [files for files in files_of_builds if item.call.path in files]
            if not any(target[0] in files for files in built_with):
                note = _OTHER_BUILD_NOTE
        answers[item.call.key] = OracleAnswer(frozenset(definitions), note)
    return answers, checked, str(replies[0]["version"])


# ---- Java resolution oracle (javac) ----
JAVA_RESOLVE_PROGRAM = Path(__file__).resolve().parent / "JavaResolve.java"
JAVA_RESOLUTION_SAMPLE_EVERY = 1  # one compiler run answers every call site at once
# Statuses of bench/JavaResolve.java's answers without a declaration in the corpus, as notes.
# An answer's note when javac's method is one of several of its name in its type: an overload,
# which the argument types pick; ours only by the argument count (several that can take it:
# unresolved by design).
_JAVA_OVERLOAD_NOTE = "an overload"
# ("outside": `_OUTSIDE_NOTE`, defined with the comparison below)
_JAVA_NOTES = {
    "implicit": "an implicit member (an enum's values(), a record's accessor)",
    "unresolved": "javac attributes no symbol",
    "none": "no identifier at the position",
}


def java_answers(
    *, root: Path, asked: list[AskedCall], module: str, module_root: Path
) -> tuple[dict[SiteKey, OracleAnswer], str]:
    """javac's attribution (``Trees.getElement``) at each located callee name.

    One ``java bench/JavaResolve.java`` run (JDK 17's source launcher): every ``.java`` file
    under ``root`` compiled as the module ``module`` patched with ``module_root`` (the JDK's
    own sources see their module's internals as when the JDK is built), parsed and attributed,
    nothing written or run. Declarations are (path, line where the declaration starts,
    annotations included), which is where our METHOD and TYPE_DECL nodes start. Returns the
    answers and the JDK's version.
    """
    if shutil.which("java") is None:
        raise RuntimeError("java is not installed (the Java oracle is javac, JDK 17)")
    located = [item for item in asked if item.position is not None]
    files = sorted(path.resolve() for path in root.rglob("*.java") if path.is_file())
    with tempfile.TemporaryDirectory(prefix="codeintel-javac-") as scratch:
        listing = Path(scratch) / "files.txt"
        listing.write_text("".join(f"{path}\n" for path in files), encoding="utf-8")
        request = "".join(
            f"{(root / item.call.path).resolve()}\t{item.position[0]}\t{item.position[1]}\n"
            for item in located
            if item.position is not None
        )
        completed = subprocess.run(
            [
                "java",
                "-Xss8m",
                str(JAVA_RESOLVE_PROGRAM),
                module,
                str(module_root.resolve()),
                str(listing),
            ],
            input=request,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    if completed.returncode != 0:
        raise RuntimeError(
            f"bench/JavaResolve.java exited {completed.returncode}: {completed.stderr[-4000:]}"
        )
    header, *replies = completed.stdout.splitlines()
    answers: dict[SiteKey, OracleAnswer] = {}
    for item, reply in zip(located, replies, strict=True):
        status, *declaration = reply.split("\t")
        relative = _inside(root, declaration[1]) if status == "ok" else None
        if relative is not None:
            # a constructor is also its class (the rule for classes above): ours is the class
            # when it declares several constructors, which only the argument types pick
            lines = [int(text) for text in (declaration[2], declaration[3]) if text]
            answers[item.call.key] = OracleAnswer(
                frozenset((relative, line) for line in lines),
                _JAVA_OVERLOAD_NOTE if declaration[4:5] == ["overloaded"] else "",
            )
        else:
            answers[item.call.key] = OracleAnswer(
                frozenset(), _JAVA_NOTES.get(status, _OUTSIDE_NOTE)
            )
    return answers, header.split("\t", 1)[1]


def java_resolution(*, root: Path, out: Path, every: int) -> ResolutionReport:
    """Build ``root`` (Java: the ``java/util`` folder of ``bench.corpora.openjdk_corpus``) into
    ``out`` and compare its CALLS with javac's attribution, compiled as the module ``java.base``
    patched with the corpus (its sources' root is two folders up: ``java.base/java/util``)."""
    module, _, package_path = OPENJDK_SUBTREE.strip("/").partition("/")
    module_root = root.parents[package_path.count("/")]
    build_for_resolution(root=root, out=out, language="java")
    calls = our_calls(out=out, language="java")
    sample = asked_calls(root=root, calls=sampled(calls, every=every), utf16=True)
    answers, version = java_answers(root=root, asked=sample, module=module, module_root=module_root)
    return compare_resolution(
        language="java", oracle=f"javac {version}", calls=calls, sample=sample, answers=answers
    )


# Java (the JDK's java/util against javac, every call site). Measured: agreement 99.77%
# (17555 / 17596), precision 99.73% (17555 / 17602), recall 90.98% (17555 / 19296) once a
# `this` argument is of its class (+6); 99.77% / 99.73% / 90.95% (17549 agree) once a
# class argument fits the repository types its bases reach and Object's methods are
# candidates too (+73: `getBundleImpl(callerModule, ...)`, `decorateTask(command, ...)`,
# `Arrays.toString(long[])`; most of the rest name java.util.function or java.util types by
# an import the corpus, rooted at java/util, does not resolve); 99.77% / 99.73% / 90.57% (17476 agree) once the
# argument types pick among the overloads of the call's arity (the calls' `argument_types`,
# the symbols' `parameter_types`: javac's first phase, +252, no new disagreement; about 750 of
# the 1747 call sites only javac resolves are still such overloads, mostly with an argument
# whose type the call site does not make evident, `this(c.size())`) and a private method is shared
# by the classes of its top-level class, not of its file (no change here). Before: agreement
# 99.76% (17224 / 17265), precision 99.73% (17224 / 17271), recall 89.26% (17224 / 19296) once rule 4a
# on a declared type none of whose own overloads can take the call walks to the base's that can
# (+5: `c.addAll(x)`, `m.remove(k)`, `completionQueue.poll()`; 17219 agree, 89.24% before) and
# the value
# of a call rule 4a leaves unresolved on a type from outside is from outside (2 fewer rule-5
# guesses: `gcal.getCalendarDate().getYear()`, `provider.getClass().getModule()`; precision
# 99.72% before) and a base's
# `private` method (the symbols' `modifiers`) is no inherited candidate from another file's type
# (+4: `eq()` in Collections' nested maps is Collections', not AbstractMap's private `eq`); a
# single-type import shadowing the package's type of its name changes nothing here. Before:
# agreement 99.74% (17215 / 17260), precision 99.69% (17215 / 17268), recall 89.23% (17215 / 19292; about 1080
# of the 2077 call sites only javac resolves are overloads several of which take the call's
# number of arguments, unresolved by design) once an overload set is the one method that can
# take the call's argument count (an override of another arity no candidate: a base's overload
# that can is; 17015 agree, 99.74% / 99.45% / 88.20%), `Outer.this.f` is `this.f` of Outer
# (+65), a call's value of overloads all returning one type is of that type
# (`normalize().getYear()`: 5 fewer rule-5 guesses onto a type from outside), a bare type name
# sees its package's top-level types (+100: `new ArrayList<>()` in Collections.java), `new
# Iterator<E>() {...}` names the interface (+26) and a local variable holds in its block only
# (36 fewer guesses: `CalendarDate d` and `BaseCalendar.Date d` in two blocks), and the base
# walk passes a type none of whose methods of the name can take the call (+2: `super.addAll(c)`
# past EnumSet's `addAll()`); 13 of the 45 (41 now)
# disagreements are an own method of the call's arity where javac's argument types pick a
# base's (`accept(int)` over `accept(Object)`). Before: agreement 99.58% (15002 / 15065),
# precision 99.23% (15002 / 15118), recall 77.85% (15002 / 19271; 3045 overloads)
# once `this(...)` is a constructor call of the enclosing class (77.03%, 14845 agree, before)
# and a bare name is `this.f` (the enclosing class's inherited members, before an outer
# class's: JLS 15.12.1; 74.61% before). The 63 disagreements then: 30 overloads inherited from a
# base type (deliberate, `_reason`), 20 an abstract method both a superclass and an interface
# declare (`size()` in AbstractList: ours AbstractCollection's, javac List's; one method at run
# time), 4 a base's private method (not inherited: `eq` in Collections' nested maps is
# Collections', ours AbstractMap's), 4 a nested type inherited from an interface (`Entry` in a
# TreeMap nested class is Map.Entry, ours TreeMap.Entry), 5 in local classes. Before: 14389
# agree, 99.67% / 99.30%; 14373, 99.67% / 99.25% / 74.53% until a member call on a call's
# value was typed by the method's return type (`normalize().getMonth()`); precision 93.8% until
# java.lang's types and Object/String/StringBuilder/Throwable method names stopped rule 5
# (`sb.append` -> the repository's one `append`); agreement 98.7% until a type's own overloads
# stopped the base walk (`root.add(e)` on an AbstractList -> AbstractCollection.add) and a
# constructor was no rule-5 candidate (`new Values()` -> another file's `Values`).
MIN_RESOLUTION_AGREEMENT["java"] = 0.997
MIN_RESOLUTION_PRECISION["java"] = 0.997
MIN_RESOLUTION_RECALL["java"] = 0.905


# ---- Rust resolution oracle (rustc) ----
# The tokio crates of Debian's librust-tokio-dev, -util-dev and -stream-dev compiled by the
# machine's rustc in a scratch cargo project (offline: their dependencies are Debian's crates,
# `bench.corpora.tokio_dependency_registry`), with `bench/rust_resolve.py` as the RUSTC_WRAPPER
# dumping the compiler's THIR (each call's resolved FnDef) and HIR (each item's span, each
# impl's trait and self type). `RUSTC_BOOTSTRAP=1` unlocks `-Zunpretty` on a stable rustc: for
# the oracle only. tokio-macros, a proc-macro crate, is not compiled for the oracle.
RUST_RESOLUTION_SAMPLE_EVERY = 1  # one compiler run answers every call site at once
# (cargo package, its features the oracle compiles): all of tokio-util's and tokio-stream's
RUST_ORACLE_CRATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tokio", ("full",)),
    ("tokio-util", ("full",)),
    ("tokio-stream", ("fs", "io-util", "net", "signal", "sync", "time")),
)
RUST_RESOLVE_SCRIPT = Path(rust_resolve.__file__).resolve()
_RUST_ORACLE_FILE = "rustc-calls.json"
# Notes of the Rust oracle's answers (with definitions: what kind of definition it is).
_RUST_IMPL_METHOD_NOTE = "the impl's method for the receiver's type (rustc)"
_RUST_TRAIT_METHOD_NOTE = "a trait's own method (its default body, or its declaration)"
_RUST_NOT_COMPILED = "no call compiled at the position (a macro, cfg'd-out code, a test module)"
_RUST_NOT_IN_CRATE = "a file no compiled crate includes (tests, benches, examples, tokio-macros)"
_RUST_MACRO_ONLY = "a call the compiler sees only in a macro expansion"
# An answer's note when our target is no item the compiler compiled (a `#[cfg(test)]` mock, a
# `cfg(loom)` or `cfg(tokio_unstable)` twin) while the compiler has a definition: the graph
# keeps every configuration's, as Go's every build's.
_RUST_OTHER_CFG_NOTE = "ours an item the compiled configuration leaves out (cfg)"


def rust_oracle_missing() -> str | None:
    """Why the Rust oracle cannot run here (None: it can): no ``cargo`` or ``rustc``."""
    for tool in ("cargo", "rustc"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (the Rust oracle is rustc, built with cargo)"
    return None


def _rustc_version() -> str:
    completed = subprocess.run(["rustc", "--version"], capture_output=True, text=True, check=True)
    return completed.stdout.strip()


def _run_cargo(argv: list[str], *, cwd: Path, environment: dict[str, str]) -> None:
    completed = subprocess.run(
        argv, cwd=cwd, env=environment, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        tail = "\n".join((completed.stderr or completed.stdout).strip().splitlines()[-15:])
        raise CorpusUnavailableError(f"`{' '.join(argv)}` exited {completed.returncode}: {tail}")


def rust_compiler_calls(*, registry: Path) -> Path:
    """The compiler's answers for the RUST_ORACLE_CRATES of ``registry`` (a cargo directory
    source holding them and their dependencies), computed once and cached beside the corpora
    (keyed by the rustc version, the crates and their features, and the dump reader): a JSON
    file of every call rustc resolved in them, the files and the items it compiled.

    A scratch cargo project depends on each crate (``= VERSION``, its features), crates.io
    replaced by ``registry``; ``cargo check --offline`` compiles it with
    ``bench/rust_resolve.py`` as RUSTC_WRAPPER, whose dumps are read into the JSON and deleted.
    A definition in no crate of RUST_ORACLE_CRATES (std, another dependency) is outside.
    """
    folders: dict[str, str] = {}  # package -> its folder in the registry (`tokio-1.24.2`)
    for package, _ in RUST_ORACLE_CRATES:
        found = sorted(
            (tuple(int(part) for part in version.split(".")), path.name)
            for path in registry.glob(f"{package}-[0-9]*")
            if (version := path.name[len(package) + 1 :]).replace(".", "").isdigit()
        )
        if not found:
            raise CorpusUnavailableError(f"no {package} crate in {registry}")
        folders[package] = found[-1][1]  # the newest version
    version = _rustc_version()
    key = hashlib.sha256(
        f"{version}\0{sorted(folders.values())}\0{RUST_ORACLE_CRATES}\0".encode()
        + RUST_RESOLVE_SCRIPT.read_bytes()
    ).hexdigest()[:12]
    registry_prefix = f"{registry.resolve()}/"

    def populate(staging: Path) -> None:
        project = staging / "project"
        (project / "src").mkdir(parents=True)
        (project / ".cargo").mkdir()
        (project / "src" / "lib.rs").write_text("", encoding="utf-8")
        dependencies = "".join(
            f'{package} = {{ version = "={folders[package][len(package) + 1 :]}", '
            f"features = [{', '.join(json.dumps(feature) for feature in features)}] }}\n"
            for package, features in RUST_ORACLE_CRATES
        )
        (project / "Cargo.toml").write_text(
            "[package]\n"
            'name = "codeintel-rust-oracle"\n'
            'version = "0.0.0"\n'
            'edition = "2021"\n'
            "publish = false\n\n"
            f"[dependencies]\n{dependencies}\n"
            "[workspace]\n",
            encoding="utf-8",
        )
        (project / ".cargo" / "config.toml").write_text(
            '[source.crates-io]\nreplace-with = "debian"\n\n'
            f"[source.debian]\ndirectory = {json.dumps(str(registry.resolve()))}\n",
            encoding="utf-8",
        )
        wrapper = staging / "rustc-wrapper"
        wrapper.write_text(
            f'#!/bin/sh\nexec "{sys.executable}" "{RUST_RESOLVE_SCRIPT}" "$@"\n', encoding="utf-8"
        )
        wrapper.chmod(0o755)
        dumps = staging / "dumps"
        dumps.mkdir()
        crate_names = [package.replace("-", "_") for package, _ in RUST_ORACLE_CRATES]
        # the machine's flags and wrappers would change what is compiled, or how
        overridden = ("RUSTFLAGS", "RUSTC_WORKSPACE_WRAPPER", "RUSTC_BOOTSTRAP")
        environment = {
            **{
                key: value
                for key, value in os.environ.items()
                if key not in overridden and not key.startswith(("CARGO_BUILD_", "CARGO_ENCODED_"))
            },
            "RUSTC_WRAPPER": str(wrapper),
            rust_resolve.CRATE_ENV: ",".join(crate_names),
            rust_resolve.DUMPS_ENV: str(dumps),
            "CARGO_TARGET_DIR": str(staging / "target"),
            "CARGO_NET_OFFLINE": "true",
        }
        _run_cargo(
            ["cargo", "generate-lockfile", "--offline"], cwd=project, environment=environment
        )
        _run_cargo(["cargo", "check", "--offline", "-j", "2"], cwd=project, environment=environment)
        try:
            items, calls = rust_resolve.read_dumps(
                dumps, crates=crate_names, registry=registry_prefix, folders=folders.values()
            )
        except ValueError as unread:
            raise CorpusUnavailableError(f"the rustc oracle's dumps: {unread}") from unread
        record = {
            "rustc": version,
            "crates": sorted(folders.values()),
            "files": sorted({path for path, _ in items}),
            "items": items,
            "calls": calls,
        }
        (staging / _RUST_ORACLE_FILE).write_text(json.dumps(record), encoding="utf-8")
        # the dumps (~700 MB) and the build are not kept: the answers are
        shutil.rmtree(dumps)
        shutil.rmtree(staging / "target", ignore_errors=True)

    folder = corpora_root() / f"rustc-oracle-{folders['tokio']}-{key}"
    return install_atomically(final=folder, populate=populate) / _RUST_ORACLE_FILE


def rust_answers(
    *, root: Path, asked: list[AskedCall], oracle: Path
) -> tuple[dict[SiteKey, OracleAnswer], Counter[str], str]:
    """The compiler's resolution at each located call site of ``root`` (a folder holding the
    compiled crates' folders, ``tokio-1.24.2/``..., as the registry does): the calls it resolved
    whose callee starts where ours (a path call, a constructor) or its name (a method call:
    rustc's ``fn_span``) does, with the same name. Returns the answers, why the other sites
    are not compared (a file not compiled, no call compiled at the position) and the rustc
    version."""
    record = json.loads(oracle.read_text(encoding="utf-8"))
    for crate in record["crates"]:
        if not (root / crate).is_dir():
            raise RuntimeError(f"the Rust oracle compiled {crate}, which {root} does not hold")
    compiled = frozenset(record["files"])
    items = frozenset((path, int(line)) for path, line in record["items"])
    at: dict[tuple[str, int, int], list[list[Any]]] = {}
    for call in record["calls"]:
        at.setdefault((call[0], call[1], call[2]), []).append(call)
    answers: dict[SiteKey, OracleAnswer] = {}
    unchecked: Counter[str] = Counter()
    for item in asked:
        call = item.call
        if item.position is None or item.call_column is None:  # not located
            continue
        if call.path not in compiled:
            unchecked[_RUST_NOT_IN_CRATE] += 1
            continue
        start = (call.path, call.line, item.call_column + 1)
        name = (call.path, item.position[0], item.position[1] + 1)
        candidates = at.get(start, []) + (at.get(name, []) if name != start else [])
        written = [entry for entry in candidates if entry[3] == 0]
        matching = [
            entry
            for entry in written
            if entry[4] == call.callee_name
            or (call.callee_name == "Self" and entry[5] == "constructor")
        ]
        if matching:
            definitions = frozenset(
                (path, int(line)) for entry in matching for path, line in entry[6]
            )
            kinds = {entry[5] for entry in matching}
            if definitions:
                note = _RUST_IMPL_METHOD_NOTE if "impl method" in kinds else ""
                if kinds & {"trait method", "trait method of a generic or outside Self"}:
                    note = _RUST_TRAIT_METHOD_NOTE
            else:
                note = str(matching[0][7]) or _OUTSIDE_NOTE
            if definitions and call.target is not None and call.target not in items:
                note = _RUST_OTHER_CFG_NOTE
            answers[call.key] = OracleAnswer(definitions, note)
        elif any(entry[5] == "value" for entry in written):
            answers[call.key] = OracleAnswer(frozenset(), rust_resolve.FUNCTION_VALUE)
        elif candidates:
            unchecked[_RUST_MACRO_ONLY] += 1
        else:
            unchecked[_RUST_NOT_COMPILED] += 1
    return answers, unchecked, str(record["rustc"])


def rust_resolution(*, root: Path, out: Path, registry: Path, every: int) -> ResolutionReport:
    """Build ``root`` (Rust: the tokio corpus' registry folder) into ``out`` and compare its
    CALLS in the crates rustc compiles (RUST_ORACLE_CRATES' ``src``, with their features, for
    this machine's target) with the compiler's. ``registry``: the cargo directory source holding
    those crates and their dependencies (``bench.corpora.tokio_dependency_registry``). The call
    sites in code the compiler does not compile (tests, benches, cfg'd out, a macro's own
    tokens) or sees only through a macro are not compared (``not_checked``, by reason in
    ``not_checked_reasons``)."""
    oracle = rust_compiler_calls(registry=registry)
    build_for_resolution(root=root, out=out, language="rust")
    calls = our_calls(out=out, language="rust")
    sample = asked_calls(root=root, calls=sampled(calls, every=every), utf16=False)
    answers, unchecked, version = rust_answers(root=root, asked=sample, oracle=oracle)
    compared = [item for item in sample if item.position is None or item.call.key in answers]
    report = compare_resolution(
        language="rust", oracle=f"rustc ({version})", calls=calls, sample=compared, answers=answers
    )
    report.not_checked = len(sample) - len(compared)
    report.not_checked_reasons = unchecked
    return report


# Rust (the `src` of tokio 1.24.2, tokio-util 0.7.3 and tokio-stream 0.1.9 as rustc compiles
# them for linux/amd64 with RUST_ORACLE_CRATES' features: 8761 call sites compared; 20134 are
# not, 17263 in files no compiled crate includes (tests, benches, examples, tokio-macros), 2685
# where no call is compiled (macro invocations, `#[cfg(test)]` modules, cfg'd-out code), 186
# the compiler sees only through a macro). Measured: agreement 98.28% (2234 / 2273; 34 of the
# 39 others one definition per cfg, ours a `#[cfg(test)]` mock or a `cfg(loom)` twin,
# deliberate; 3 `raw.poll()` on a local `raw: RawTask` taken for the module `raw`'s function),
# precision 93.55% (2234 / 2388: 114 rule-5 guesses on values of std types, `self.0.append()`
# of a std `OpenOptions`, `state.compare_exchange()` of a std atomic), recall 61.11% (2234 /
# 3656: receivers typed by inference, trait methods resolved by the receiver's type, fields of
# other types). tokio alone: 98.06% (1976 / 2015), 93.69%, 61.50%. Then, with receivers of
# primitive and prelude types (`n: usize`, `Vec::with_capacity(n)`) and of std types a `use`
# re-exports (`AtomicBool`), values of calls on outside types from outside
# (OUTSIDE_VALUE_LANGUAGES), no rule 5 for `self.f` an impl's type lacks, chains written over
# lines (`self\n.state\n.load()`), chains of struct fields and `static X: T` typed, plain
# `use`s followed and a head before a `.` a value (the 3 `raw.poll()` now unresolved):
# agreement 98.49% (2343 / 2379: the 36 others one definition per cfg), precision 95.99%
# (2343 / 2441: 62 rule-5 guesses left on std values of inferred types, `n.checked_add()`,
# `buf.iter()`, and tuple fields, `self.0.append()`), recall 64.03% (2343 / 3659). Then, with
# no rule-5 guess of a name a std type's or trait's method has (cpg.RUST_BUILTIN_METHOD_NAMES,
# from the std docs): agreement 98.48% (2331 / 2367: the same 36 others, 12 right guesses fewer:
# tokio's intrusive `LinkedList::push_front`/`pop_back`/`last` on receivers of inferred type,
# 9, `Ready::intersection`, 2, `Local::push_back`, 1), precision 97.78% (2331 / 2384: 45 wrong
# edges fewer, `n.checked_add()`, `buf.iter()`, `chunk.truncate()`, `.store()` of a std atomic;
# 17 left, tuple fields of std types, `self.0.create_new()`), recall 63.71% (2331 / 3659).
# Then, with a method of the impl in the module declaring the struct or enum the type's (no
# rival of another module's type of that last segment, `sync::Mutex::lock`), and a `use` path
# whose re-exports lead to two definitions (cfg twins: `crate::loom::sync::Mutex`, the
# metrics `MetricsBatch`) naming neither: agreement 99.60% (2466 / 2476: 26 cfg-twin
# disagreements fewer, 8 left), precision 98.88% (2466 / 2494), recall 66.92% (2466 / 3685;
# +140 agreeing, 5 lucky twin picks fewer). Then, with `let x = y.f()` typed by what the
# method returns: agreement 99.60% (2473 / 2483), precision 98.92% (2473 / 2500: a rule-5
# guess fewer), recall 67.11% (2473 / 3685). Then, with a method's value in a chain written
# over lines typed (`self.io\n.registration()\n.try_io()`, base.py reads the unspaced callee):
# agreement 99.60% (2503 / 2513), precision 98.93% (2503 / 2530), recall 67.92% (2503 / 3685).
# Then, with called paths from `crate::` / `self::` / `super::` resolved from the file's module
# (they had only rule 5, none beside a glob `use`): agreement 99.61% (2536 / 2546), precision
# 98.95% (2536 / 2563), recall 68.82% (2536 / 3685). Then, with `Self(..)` the impl's tuple
# struct: agreement 99.61% (2549 / 2559), precision 98.95% (2549 / 2576), recall 69.17% (2549 /
# 3685). Then, with no rule-5 guess on a tuple field (`self.0.create_new()`: its type is not
# extracted): precision 99.07% (2549 / 2573; 14 wrong edges left), the others unchanged. Then,
# with a tuple struct's fields named by position (`self.0.create_new()` typed by `struct
# OpenOptions(std::fs::OpenOptions)`): agreement 99.62% (2593 / 2603), precision 99.08% (2593 /
# 2617), recall 70.37% (2593 / 3685). Then, with a field hop from `self` in an impl whose struct
# a file of the same folder declares (`impl Handle` in `multi_thread/worker.rs`): agreement
# 99.62% (2605 / 2615), precision 99.09% (2605 / 2629), recall 70.69% (2605 / 3685); with
# `crate::` paths no as-written candidate: 2609 agreeing, recall 70.80%. Then, with an element
# of a field of `self` typed (`self.levels[i].add_entry()`, `levels: Vec<Level>`; `[T; N]`):
# agreement 99.62% (2626 / 2636), precision 99.09% (2626 / 2650), recall 71.26% (2626 / 3685).
# Then, with `self` of `impl Trait for Arc<Handle>` Handle's (its fields, not a hop from `Arc`)
# and an element written over lines (`self.levels[i]\n.f()`): agreement 99.62% (2632 / 2642),
# precision 99.10% (2632 / 2656), recall 71.42% (2632 / 3685). Then, with a value of a type
# parameter bounded by one trait (`io: Pin<&mut T>`, `T: AsyncRead`; a struct's field `inner: T`)
# and a path call on one (`L::pointers()` in `impl<L: Link>`) the trait's methods, its
# supertraits' too (`U::initialize()`, `U: FromStream`): agreement 99.63% (2674 / 2684), precision
# 99.15% (2674 / 2697: a rule-5 guess fewer, `buf.has_remaining()` of a `B: Buf`), recall 72.56%
# (2674 / 3685). Then, with a method of a pinned place the place's (`Pin::new(&mut
# self.std).poll_write()`: `self.std`'s type's): agreement 99.63% (2683 / 2693), precision 99.11%
# (2683 / 2707: one wrong edge more, `Pin::new(&mut self.delay).poll()` with `delay:
# Pin<Box<Sleep>>` is std's `Pin<P>` Future impl to rustc, Sleep::poll to us), recall 72.81%
# (2683 / 3685). Then, with a receiver of a type alias the aliased type's (`pending: EntryList`,
# `type EntryList = LinkedList<..>`; an associated type, `Self::Store`): agreement 99.63% (2699 /
# 2709), precision 99.12% (2699 / 2723), recall 73.24% (2699 / 3685). Then, with Pin's reborrow
# `x.as_mut().f()` typed as `x.f()`, and `self.as_mut().f()`, `Pin::new(&mut *self).f()` of the
# impl's type: agreement 99.64% (2736 / 2746), precision 99.13% (2736 / 2760), recall 74.25%
# (2736 / 3685). Then, with a call of a name that is a module and the function its parent
# re-exports by that name (`mod poll_fn; pub use poll_fn::poll_fn;`: two namespaces) the
# function's: agreement 99.64% (2750 / 2760), precision 99.13% (2750 / 2774), recall 74.63%
# (2750 / 3685). Then, with a type parameter's bounds where they hold (a struct's field `inner: T`
# bound only in a generic impl, also `impl<W> AsyncWrite for X<W> where W: AsyncWrite`; `T: A +
# B` two traits; a method's `where` on its impl's parameter counted): agreement 99.64% (2762 /
# 2772), precision 99.14% (2762 / 2786), recall 74.95% (2762 / 3685). Then, with pin-project's
# `self.project().inner.f()` typed as `self.inner.f()` (a field of a type parameter there by its
# bound, as `self.inner`): agreement 99.64% (2785 / 2795), precision 99.18% (2785 / 2808: a wrong
# edge fewer, Compat's `poll_seek` for futures-io's), recall 75.58% (2785 / 3685). Then, with a
# Rust path as written (`crate::runtime::spawn_blocking()`, `tokio::io::AsyncRead::poll_read()`)
# followed through re-exports as an import is: agreement 99.65% (2820 / 2830), precision 99.19%
# (2820 / 2843), recall 76.53% (2820 / 3685). Then, with a turbofish no segment of a path
# (`Harness::<T, S>::from_raw()`): agreement 99.65% (2827 / 2837), precision 99.19% (2827 /
# 2850), recall 76.72% (2827 / 3685). Then, with receivers of primitive types no guess of an
# inherent method (`p: *mut Foo`) and paths through a prelude trait the std trait's
# (`Clone::clone(&rc)`): the same figures (none such among the compared sites). Then, with the
# content an Option or a Result pattern takes out typed (`if let Some(x) = self.delay`, `match
# self.take_core() { Some(x) => }`, `let x = self.park.take().expect(..)`) and a trait impl's
# `self.f()` in `f` no call of itself (`self.id()` in `impl Wait for StdChild`, 3 wrong edges
# fewer): agreement 99.65% (2852 / 2862), precision 99.23% (2852 / 2874: 2 wrong edges more,
# `sender.clone()` on tokio's `Sender` from tokio-util, which the oracle names std's
# `Clone::clone` for another crate's type, and `Pin::new(&mut *delay).poll()` of a
# `Pin<Box<Sleep>>`, std's `Pin<P>` Future impl), recall 77.39% (2852 / 3685). Then, with a
# guard of a place's lock or cell typed by what it holds (`let lock = self.inner.lock()` of a
# `Mutex<Inner>`) and a copy of a field (`let raw = self.raw`): agreement 99.65% (2868 / 2878),
# precision 99.24% (2868 / 2890), recall 77.83% (2868 / 3685). Then, with a field of an enum
# variant a pattern binds typed (`IoStack::Enabled(v) =>`, +16) and a Rust name bound twice
# where it is looked up (cfg twins: two `use`s of one scope, a module's own definition of a
# name it imports) naming neither (disagreements 12 -> 2: `spawn_blocking` of `fs::mocks`,
# `crate::blocking`'s `JoinHandle`; 4 lucky picks fewer, `IoDriverMetrics`, `os_impl::ctrl_c`;
# the 2 left are a trait path's method on a concrete type): agreement 99.93% (2880 /
# 2882), precision 99.52% (2880 / 2894), recall 77.99% (2880 / 3693). Then, with a variant
# named alone (`Idle(ref mut buf_cell)` after `use self::State::*`) and a tuple struct's pattern
# typed, the content of an Option field through such a binding (`buf_cell.take().unwrap()`),
# and a cfg twin reached through a re-export (`sys::Blocking` of `crate::blocking::JoinHandle`)
# naming neither: agreement 99.93% (2899 / 2901), precision 99.52% (2899 / 2913), recall
# 78.50% (2899 / 3693). Then, with a name bound to the own instance (`let me = &mut *self`,
# Pin's `self.get_mut()`) of the impl's type: agreement 99.93% (2903 / 2905), precision 99.52%
# (2903 / 2917), recall 78.61% (2903 / 3693). (pin-project's `let me = self.project()` typed
# so too gives 24 more agreeing sites and 3 the oracle sends outside, `me.deadline.poll()` of
# tokio's Sleep from tokio-stream: a trait method on another crate's type, for which the oracle
# names the trait's declaration, std's Future::poll; not done.) Then, with `self.f()` in the
# method `f` of a trait impl the type's inherent `f` when the repository has one (signal's
# `InternalStream for Signal`, tokio-util's `Listener for tokio::net::TcpListener` x2), else the
# method itself for a repository type, unresolved for a type from outside (std's `Child`) and
# in a macro's arguments (`delegate_call!(self.poll_read(cx, buf))`): agreement 99.93% (2906 /
# 2908), precision 99.52% (2906 / 2920), recall 78.69% (2906 / 3693). Then, with `ready!(f(cx))`
# the Ready value of f's `-> Poll<T>` (`let coop = ready!(poll_proceed(cx))`): agreement 99.93%
# (2916 / 2918), precision 99.52% (2916 / 2930), recall 78.96% (2916 / 3693). Then, with
# `Pin::into_inner(self).f()`, `Pin::get_mut(self).f()`, `Pin::new_unchecked(p).f()` as
# `Pin::new(..)`'s, a method of the place: agreement 99.93% (2923 / 2925), precision 99.52%
# (2923 / 2937), recall 79.15% (2923 / 3693). Then, with a `NonNull<T>`'s `as_ref()` /
# `as_mut()` its pointee (`entry.as_ref().handle()`) and a Rust `let` shadowing an annotated
# name (`let entry = entry.as_ref().handle()` in `fn f(entry: NonNull<E>)`) no value held to
# the annotation (one type only where the two agree; 3 right typings lost, `let rt =
# rt.clone()`): agreement 99.93% (2938 / 2940), precision 99.53% (2938 / 2952), recall 79.56%
# (2938 / 3693). Then (review r13a), with a `NonNull<Foo>` std's NonNull (only its `as_ref()` /
# `as_mut()` Foo: its own `as_ptr()` was Foo's), `x.as_ref()` of no NonNull no place step, and
# a `let`'s names held from its end to its block's end (the name before it, in its value, after
# its block the one it shadows): agreement 99.93% (2948 / 2950), precision 99.56% (2948 /
# 2961), recall 79.83% (2948 / 3693). Then, with a function's `-> NonNull<Foo>` value's
# `as_ref()` its pointee (`.pointee Foo`; `let block = self.find_block()`, `= self.free_head`):
# agreement 99.93% (2952 / 2954), precision 99.56% (2952 / 2965), recall 79.94% (2952 / 3693).
MIN_RESOLUTION_AGREEMENT["rust"] = 0.999
MIN_RESOLUTION_PRECISION["rust"] = 0.995
MIN_RESOLUTION_RECALL["rust"] = 0.799

AGREE, DISAGREE, OURS_ONLY, ORACLE_ONLY, NEITHER = (
    "agree",
    "disagree",
    "ours only",
    "oracle only",
    "neither",
)
_OUTSIDE_NOTE = "outside the corpus"  # an answer's note when a declaration lies outside
_LITERAL_RECEIVER = re.compile(r"""^\(?\s*(?:[rRbBuUfF]{0,2}["'`]|[\[{0-9])""")


def _reason(category: str, call: OurCall, answer: OracleAnswer) -> str:
    """Why the two sides differ on one call site: the categories read off the examples.

    JavaScript against the TypeScript compiler (allowJs), what counts as the same definition
    (bench/ts_resolve.js): a prototype method ``Foo.prototype.f = function () {}``, a CommonJS
    ``exports.f = () => {}`` and an expando ``Foo.Template = class T {}`` are where the checker
    declares the member (the assignment's line, our METHOD/TYPE_DECL's); ``exports.f = f`` is
    followed to ``f``; ``new Foo()`` of a class counts as the class (our constructor METHOD
    too), of an ES5 function ``Foo`` the function itself; an anonymous ``module.exports =
    function () {}`` / ``(a) => ...`` is declared on the assignment's line, where our function
    named after the module is (webpack's ``makeSerializable``). Deliberate differences: local
    functions of two anonymous callbacks in one method share one qualified name, and ours is the last
    (``several definitions of the name in one file``); the checker stops at a getter
    (``get register()``, ours the getter METHOD), a JSDoc ``@property`` or a parameter,
    where ours may be a guess by a unique name (not counted against precision)."""
    callee = call.callee
    head = _SEGMENT_SPLIT_TEXT.split(callee, maxsplit=1)[0]
    if category == DISAGREE:
        if answer.note == _OTHER_BUILD_NOTE:
            return (
                "one definition per build (Go build constraints: GOOS, GOARCH, Go version): "
                "ours another build's, the oracle those of the builds it checks (deliberate: "
                "the graph has all)"
            )
        if answer.note == _RUST_OTHER_CFG_NOTE:
            return (
                "one definition per cfg (a `#[cfg(test)]` mock, a `cfg(loom)` or metrics twin): "
                "ours one the compiled configuration leaves out (deliberate: the graph has all)"
            )
        if answer.note == _RUST_IMPL_METHOD_NOTE:
            return "a trait method on a concrete type: ours the trait's, rustc the type's impl's"
        if answer.note == _RUST_TRAIT_METHOD_NOTE:
            return (
                "a trait method of a generic or outside `Self` (a type alias of a std type): "
                "rustc names the trait's, ours an impl's"
            )
        if answer.note == _JAVA_OVERLOAD_NOTE:
            # deliberate: where the argument types are not evident at the call, ours is the one
            # method of the name in the nearest type that can take the call's number of
            # arguments, javac the overload the argument types pick (`accept(int)` over a
            # base's `accept(Object)`)
            return (
                "a Java overload inherited from a base type: ours the nearest type's method "
                "of the call's arity"
            )
        if callee.startswith("super."):
            return "`super.f()`: ours is the overriding method itself, the oracle the base's"
        rust_module_function = f"::{head}::{call.callee_name}"
        if head and "." in callee and (call.target_name or "").endswith(rust_module_function):
            # Rust: `raw.poll()` on a local `raw: RawTask` beside a module `raw` with a `fn poll`
            return (
                "a receiver named as a module: ours the module's function, the oracle the "
                "receiver's method"
            )
        if any(
            path == (call.target or ("", 0))[0] and line != (call.target or ("", 0))[1]
            for path, line in answer.definitions
        ):
            return "several definitions of the name in one file (overloads, redefinitions)"
        if head in {"self", "this", "cls"}:
            return "a member of the own type: the oracle finds it in another (base) class"
        return "another method of the same name (the oracle knows the receiver's type)"
    if category == OURS_ONLY:
        if _LITERAL_RECEIVER.match(callee):
            return "a literal receiver (`'...'.format`): ours a repository method of that name"
        if _OUTSIDE_NOTE in answer.note:
            return "the oracle resolves outside the corpus (builtin/library type)"
        if answer.note == rust_resolve.MACRO_DEFINITION:
            return "the compiler's definition is a macro's expansion (a derive, macro_rules!)"
        if answer.note.startswith("an "):
            return f"the oracle stops at {answer.note}"
        if answer.note.startswith("a "):
            return f"the oracle stops at {answer.note} (a declared type or a value)"
        return "the oracle cannot infer the receiver; ours a repository-wide unique name"
    if category == ORACLE_ONLY:
        if answer.note == _JAVA_OVERLOAD_NOTE:
            return (
                "an overloaded Java method that several of its type's overloads could take "
                "by the argument count, with an argument type (or a fit) the call site does "
                "not make evident: unresolved by design"
            )
        if answer.note in (_RUST_IMPL_METHOD_NOTE, _RUST_TRAIT_METHOD_NOTE):
            return (
                "a trait method rustc resolves by the receiver's type (an impl's, or the "
                "trait's in generic code): ours unresolved"
            )
        if head == "super":
            return "`super` calls: not resolved by us"
        if head in {"self", "this", "cls"}:
            return "a member of the own type we do not find (inherited, or via a property)"
        if "." in callee or "?." in callee:
            return "a receiver whose type the oracle infers; ours: the short name is not unique"
        return "a bare name we do not bind (re-exported, lazily imported, or a local value)"
    return category


_SEGMENT_SPLIT_TEXT = re.compile(r"\??\.|\(|\[")


@dataclass
class ResolutionReport:
    """Our CALLS targets against an oracle's on (a sample of) one corpus' call sites."""

    language: str
    oracle: str
    call_sites: int = 0  # in the build
    sampled: int = 0
    not_located: int = 0  # the callee does not end with its name: the oracle is not asked
    # sampled call sites in files the oracle does not analyse (Go: build constraints for another
    # system), not compared and not in ``sampled``
    not_checked: int = 0
    # why (Rust: a file the compiler does not compile, no call compiled at the position)
    not_checked_reasons: Counter[str] = field(default_factory=Counter)
    # of OURS_ONLY, the call sites the oracle resolves outside the corpus (a builtin or library
    # definition): wrong edges of ours, whatever their reason
    ours_outside: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    reasons: dict[str, Counter[str]] = field(default_factory=dict)
    examples: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def both(self) -> int:
        return self.counts[AGREE] + self.counts[DISAGREE]

    @property
    def agreement(self) -> float:
        """Of the call sites both sides resolve inside the corpus, the share with our target
        among the oracle's definitions."""
        return self.counts[AGREE] / max(self.both, 1)

    @property
    def precision(self) -> float:
        """Of our edges the oracle can judge (it resolves the site, inside the corpus or
        outside), the share that are its definition: agree / (both + ours_outside)."""
        return self.counts[AGREE] / max(self.both + self.ours_outside, 1)

    @property
    def recall(self) -> float:
        """Of the call sites the oracle resolves inside the corpus, the share we resolve to its
        definition: agree / (agree + only the oracle resolves)."""
        return self.counts[AGREE] / max(self.counts[AGREE] + self.counts[ORACLE_ONLY], 1)

    def summary(self) -> str:
        lines = [
            f"{self.language} CALLS vs {self.oracle}: {self.call_sites} call sites, "
            f"{self.sampled} sampled, {self.not_located} not located"
            + (
                f", {self.not_checked} in files the oracle does not check"
                if self.not_checked
                else ""
            )
            + f"; both resolve "
            f"{self.both}, agree {self.counts[AGREE]} ({self.agreement:.2%}); precision "
            f"{self.precision:.2%}; recall {self.recall:.2%}; ours only {self.counts[OURS_ONLY]} ("
            f"{self.ours_outside} where the oracle resolves outside the corpus), oracle only "
            f"{self.counts[ORACLE_ONLY]}, neither {self.counts[NEITHER]}"
        ]
        for category in (DISAGREE, OURS_ONLY, ORACLE_ONLY):
            for reason, count in self.reasons.get(category, Counter()).most_common(5):
                example = self.examples[category][reason][0]
                lines.append(f"  {category}: {count} {reason}; e.g. {example}")
        for reason, count in self.not_checked_reasons.most_common():
            lines.append(f"  not compared: {count} {reason}")
        return "\n".join(lines)


def compare_resolution(
    *,
    language: str,
    oracle: str,
    calls: list[OurCall],
    sample: list[AskedCall],
    answers: Mapping[SiteKey, OracleAnswer],
) -> ResolutionReport:
    """Classify every sampled call site: agree, disagree, ours only, oracle only, neither."""
    report = ResolutionReport(language=language, oracle=oracle)
    report.call_sites = len(calls)
    report.sampled = len(sample)
    for item in sample:
        answer = answers.get(item.call.key)
        if item.position is None or answer is None:
            report.not_located += 1
            continue
        ours = item.call.target
        if ours is not None and answer.definitions:
            category = AGREE if ours in answer.definitions else DISAGREE
        elif ours is not None:
            category = OURS_ONLY
        elif answer.definitions:
            category = ORACLE_ONLY
        else:
            category = NEITHER
        report.counts[category] += 1
        if category == OURS_ONLY and _OUTSIDE_NOTE in answer.note:
            report.ours_outside += 1
        if category in (AGREE, NEITHER):
            continue
        reason = _reason(category, item.call, answer)
        report.reasons.setdefault(category, Counter())[reason] += 1
        shown = report.examples.setdefault(category, {}).setdefault(reason, [])
        if len(shown) < 3:
            theirs = ", ".join(f"{p}:{n}" for p, n in sorted(answer.definitions)) or answer.note
            ours_text = "unresolved" if ours is None else f"{item.call.target_name}"
            shown.append(
                f"`{item.call.path}:{item.call.line}` `{item.call.callee}` -> ours {ours_text}; "
                f"oracle {theirs}"
            )
    return report


def python_resolution(*, root: Path, out: Path, every: int) -> ResolutionReport:
    """Build ``root`` (Python) into ``out`` and compare a sample of its CALLS with Jedi's."""
    import jedi

    build_for_resolution(root=root, out=out, language="python")
    calls = our_calls(out=out, language="python")
    sample = asked_calls(root=root, calls=sampled(calls, every=every), utf16=False)
    answers = jedi_answers(root=root, asked=sample)
    return compare_resolution(
        language="python",
        oracle=f"Jedi {jedi.__version__}",
        calls=calls,
        sample=sample,
        answers=answers,
    )


def typescript_resolution(
    *, root: Path, out: Path, compiler: Path, tsconfig: Path | None, every: int
) -> ResolutionReport:
    """Build ``root`` (TypeScript) into ``out`` and compare its CALLS with the compiler's."""
    build_for_resolution(root=root, out=out, language="typescript")
    calls = our_calls(out=out, language="typescript")
    sample = asked_calls(root=root, calls=sampled(calls, every=every), utf16=True)
    answers, version = typescript_answers(
        root=root, asked=sample, compiler=compiler, tsconfig=tsconfig
    )
    return compare_resolution(
        language="typescript",
        oracle=f"TypeScript {version}",
        calls=calls,
        sample=sample,
        answers=answers,
    )


# ---- JavaScript CALLS vs the TypeScript compiler (allowJs) ----
def javascript_resolution(*, root: Path, out: Path, compiler: Path, every: int) -> ResolutionReport:
    """Build ``root`` (JavaScript) into ``out`` and compare its CALLS with the TypeScript
    compiler's, which binds plain JavaScript (``allowJs``, see ``bench/ts_resolve.js``)."""
    build_for_resolution(root=root, out=out, language="javascript")
    calls = our_calls(out=out, language="javascript")
    sample = asked_calls(root=root, calls=sampled(calls, every=every), utf16=True)
    answers, version = typescript_answers(
        root=root, asked=sample, compiler=compiler, tsconfig=None, javascript=True
    )
    return compare_resolution(
        language="javascript",
        oracle=f"TypeScript {version} (allowJs)",
        calls=calls,
        sample=sample,
        answers=answers,
    )


def go_resolution(*, root: Path, out: Path, gopath: Sequence[Path], every: int) -> ResolutionReport:
    """Build ``root`` (Go) into ``out`` and compare its CALLS with Go's type checker's.

    ``gopath``: the GOPATH folders the oracle imports from, the one holding ``root`` first (its
    own copy of the corpus wins), then the dependencies'. Call sites in files none of the
    ``GO_ORACLE_BUILDS`` checks (build constraints for other systems) are not compared
    (``not_checked``).
    """
    build_for_resolution(root=root, out=out, language="go")
    calls = our_calls(out=out, language="go")
    sample = asked_calls(root=root, calls=sampled(calls, every=every), utf16=False)
    answers, checked, version = go_answers(root=root, asked=sample, gopath=gopath)
    compared = [item for item in sample if item.call.path in checked]
    report = compare_resolution(
        language="go",
        oracle=f"go/types ({version})",
        calls=calls,
        sample=compared,
        answers=answers,
    )
    report.not_checked = len(sample) - len(compared)
    return report
