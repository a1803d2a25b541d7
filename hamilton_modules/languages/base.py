"""The generic tree-sitter extraction engine: one engine, languages as data.

Each language is a :class:`LanguageRules` table (its query source, scoping rule and import rule);
this module turns one file's bytes into symbol, import, call and inheritance rows with a single
parse and a single pass over the matches of one combined query. There is no per-language walker:
adding a language means writing a table (see ``python.py`` for the smallest one).

Capture-name conventions every rule table's query follows:

``@def.<kind>``
    A definition node; ``<kind>`` is the canonical (SCIP-like) kind, see :data:`SYMBOL_KINDS`.
    The same pattern captures ``@name`` (the name node) and may capture ``@receiver`` (Go: the
    receiver type, which then prefixes the qualified name instead of the lexical scope).
    A ``function`` whose enclosing scope symbol has a kind in ``method_parents`` becomes ``method``.
``@call`` / ``@call.macro`` with ``@callee`` (and optionally ``@callee.prefix``)
    One call site. ``call.macro`` appends ``!`` to the callee text (Rust macro invocations);
    ``callee.prefix`` is an object expression joined with ``.`` before the callee (Java, where
    ``a.b(...)`` has no single callee node).
``@import``
    An import statement node; the table's ``imports`` hook turns it into (module, name, alias) rows.
``@inherit.<relation>`` with ``@owner``
    A base type as written; ``@owner`` is the definition node of the child (the class/impl/...),
    so an anonymous class (no symbol) yields no inheritance row instead of a wrong one.
``@embed``
    A node whose text the grammar leaves unparsed (Rust macro token trees). The table's
    ``embedded`` hook says which byte range of it to parse again as code of the same language;
    see :func:`extract` for how those second parses are done and when their rows are kept.

Enclosing scopes (``parent`` of symbols, ``enclosing`` of calls/imports) come from one sweep over
the captured nodes sorted by start byte with a stack of open scopes, never from walking parents,
and nothing here recurses on tree depth: a 10,000-deep expression is only ever walked by C code.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

from tree_sitter import Language, Node, Parser, Query, QueryCursor, Range, Tree

Row = dict[str, object]
Point = tuple[int, int]  # (row, column in bytes), as tree-sitter reports positions
# A byte range to parse again (start_byte, end_byte, start_point, end_point), see ``embedded``.
EmbeddedRange = tuple[int, int, Point, Point]
ImportRow = tuple[str | None, str, str | None]  # (module, name, alias)
TextOf = Callable[[Node], str]

SYMBOL_KINDS: frozenset[str] = frozenset(
    {
        "class",
        "function",
        "method",
        "struct",
        "enum",
        "trait",
        "interface",
        "impl",
        "module",
        "type_alias",
        "macro",
        "constant",
        "variable",
        "property",
    }
)

# The last identifier of a callee expression; `$` is an identifier character in JS/TS.
_IDENT = re.compile(r"[^\W\d][\w$]*|\$[\w$]*")


@dataclass(frozen=True)
class FileExtraction:
    """Everything extracted from one file; rows carry exactly the columns of the schemas."""

    symbols: list[Row]
    imports: list[Row]
    calls: list[Row]
    inherits: list[Row]
    error_count: int  # number of ERROR and MISSING nodes in the tree


def _no_imports(node: Node, text: TextOf) -> list[ImportRow]:
    return []


@dataclass(frozen=True, kw_only=True, eq=False)  # identity hash: the compile cache key
class LanguageRules:
    """One language as data: grammar, query, scoping and import rules."""

    name: str
    grammar: Callable[[], object]  # returns the grammar capsule, e.g. tree_sitter_python.language
    query: str  # one combined query following the capture conventions above
    separator: str = "."  # joins enclosing scope names into qualified names
    scope_kinds: frozenset[str]  # symbol kinds that open a scope for qualified names
    method_parents: frozenset[str] = frozenset({"class", "interface", "trait", "impl"})
    imports: Callable[[Node, TextOf], list[ImportRow]] = _no_imports
    # Callee node types to unwrap before taking the text, e.g. Rust `f::<T>` -> field "function".
    callee_unwrap: Mapping[str, str] = field(default_factory=dict)
    # Normalizes a captured name (Rust `impl<T> Foo<T>` -> "Foo", Go receiver `*List[T]` -> "List").
    clean_name: Callable[[str], str] | None = None
    # Named nodes never reported as inheritance parents (comments, Python keyword arguments).
    inherit_skip: frozenset[str] = frozenset({"comment", "line_comment", "block_comment"})
    # Alternative grammars by file suffix (TypeScript: ".tsx" -> the tsx grammar).
    variants: Mapping[str, Callable[[], object]] = field(default_factory=dict)
    # Which part of an `@embed` node to parse again (None: not that one). The byte right after
    # the range is replaced by `embed_separator` and parsed with it, so that the range reads as
    # complete statements (Rust: the `;` that makes `(a, f(x))` an expression statement).
    embedded: Callable[[Node], EmbeddedRange | None] | None = None
    embed_separator: bytes = b";"


_DEF, _CALL, _IMPORT, _INHERIT, _EMBED = 0, 1, 2, 3, 4  # roles; in sweep entries 0 = definition
_NO_END: Point = (0, 0)  # sweep entries of events (calls, imports, inherits) need no end
_CAPTURE = re.compile(r"@([\w.]+)")


@dataclass(frozen=True)
class _Compiled:
    language: Language
    query: Query
    # Per pattern index: (role, argument, primary capture) where role is _DEF (argument = kind),
    # _CALL ("!" for macros), _IMPORT, _INHERIT (argument = relation) or _EMBED.
    patterns: list[tuple[int, str, str]]


def _role_of(capture: str) -> tuple[int, str] | None:
    head, _, tail = capture.partition(".")
    if head == "def":
        if tail not in SYMBOL_KINDS:
            raise ValueError(f"unknown symbol kind in capture @{capture}")
        return (_DEF, tail)
    if head == "call":
        return (_CALL, "!" if tail == "macro" else "")
    if head == "import":
        return (_IMPORT, "")
    if head == "inherit":
        return (_INHERIT, tail)
    if head == "embed":
        return (_EMBED, "")
    return None


@cache
def _compile(rules: LanguageRules, variant: str) -> _Compiled:
    """Language and Query are built once per process per (language, grammar variant).

    Each pattern's role is resolved here from its capture names (read from the pattern's own
    source span), so the per-match loop does one list lookup instead of inspecting captures.
    """
    grammar = rules.variants.get(variant, rules.grammar)
    language = Language(grammar())
    query = Query(language, rules.query)
    source = rules.query.encode()
    patterns: list[tuple[int, str, str]] = []
    for index in range(query.pattern_count):
        text = source[query.start_byte_for_pattern(index) : query.end_byte_for_pattern(index)]
        primaries = [
            (role, capture)
            for capture in _CAPTURE.findall(text.decode())
            if (role := _role_of(capture)) is not None
        ]
        if len(primaries) != 1:
            raise ValueError(f"pattern {index} of {rules.name} needs exactly one role capture")
        (role, arg), capture = primaries[0]
        patterns.append((role, arg, capture))
    return _Compiled(language, query, patterns)


_local = threading.local()


def _parser(
    rules: LanguageRules, variant: str, compiled: _Compiled, *, embedded: bool = False
) -> Parser:
    """A Parser is stateful, so one per thread (and per process) per grammar, reused across files.

    Second parses of embedded ranges set ``included_ranges``, so they get their own parser and the
    whole-file parser never carries ranges over to the next file.
    """
    parsers: dict[tuple[str, str, bool], Parser] | None = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    key = (rules.name, variant, embedded)
    parser = parsers.get(key)
    if parser is None:
        parser = parsers[key] = Parser(compiled.language)
    return parser


# Nesting levels of embedded ranges parsed again: `assert_eq!(vec![format!("{}", f(x))], y)`
# needs three. Each level is one parse of at most the file's bytes, so this bounds the extra work.
MAX_EMBED_DEPTH = 6


def _error_nodes(root: Node) -> list[Node]:
    """ERROR and MISSING nodes, walking only subtrees that contain an error (iteratively)."""
    if not root.has_error:
        return []
    found: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            found.append(node)
        stack.extend(child for child in node.children if child.has_error)
    return found


def count_errors(root: Node) -> int:
    """ERROR and MISSING nodes of a tree."""
    return len(_error_nodes(root))


@dataclass(frozen=True)
class _EmbeddedParse:
    """One nesting level of embedded ranges, parsed together as one tree."""

    tree: Tree
    starts: list[int]  # start byte of each parsed range, ascending
    broken: frozenset[int]  # indexes of the ranges that contain an ERROR or MISSING node

    def keeps(self, start_byte: int) -> bool:
        """Whether a node starting at this byte lies in a range that parsed without error."""
        return bisect.bisect_right(self.starts, start_byte) - 1 not in self.broken


def _parse_embedded(
    parser: Parser, source: bytes, ranges: list[EmbeddedRange], separator: bytes
) -> _EmbeddedParse | None:
    """Parse the ranges of one nesting level in one go, each followed by the separator.

    A copy of the source gets the separator written right after each range, and the parser sees
    only the ranges (``included_ranges``), so every node keeps its position in the file and the
    ranges read as consecutive statements. A range with an error inside is dropped as a whole
    (its node text was not code, e.g. ``select! { a = f() => b }``): an error spanning ranges
    drops all of them.
    """
    width = len(separator)
    buffer = bytearray(source)
    buffer += separator  # room for the separator of a range that ends the file
    included: list[Range] = []
    starts: list[int] = []
    last_end = -1
    for start_byte, end_byte, start_point, (end_row, end_column) in sorted(ranges):
        if start_byte < last_end or end_byte <= start_byte:
            continue  # overlapping (cannot happen for disjoint token trees) or empty
        buffer[end_byte : end_byte + width] = separator
        last_end = end_byte + width
        included.append(Range(start_point, (end_row, end_column + width), start_byte, last_end))
        starts.append(start_byte)
    if not included:
        return None
    parser.included_ranges = included
    tree = parser.parse(bytes(buffer))
    broken: set[int] = set()
    for error in _error_nodes(tree.root_node):
        first = bisect.bisect_right(starts, error.start_byte) - 1
        last = bisect.bisect_right(starts, max(error.end_byte - 1, error.start_byte)) - 1
        broken.update(range(max(first, 0), last + 1))
    return _EmbeddedParse(tree=tree, starts=starts, broken=frozenset(broken))


def _text(node: Node) -> str:
    data = node.text
    return data.decode("utf-8", errors="replace") if data is not None else ""


def squeeze(text: str) -> str:
    """Collapse every run of whitespace into one space (callee texts spanning lines)."""
    return " ".join(text.split())


def last_identifier(text: str) -> str:
    """`a.b.c` -> "c", `f(x)` -> "x" (the text's last identifier), the text itself when none."""
    if text.isidentifier():
        return text
    tail = text.rpartition(".")[2]  # the common `a.b.c` without a regex
    if tail.isidentifier():
        return tail
    found = _IDENT.findall(text)
    return found[-1] if found else text


def extract(rules: LanguageRules, path: str, source: bytes, *, variant: str = "") -> FileExtraction:
    """Extract all rows of one file. Never raises on any input bytes.

    Pass 1 over the query matches builds the rows (enclosing names still unknown) and sweep
    entries ``(start, order, -end, seq, ...)``; sorting them puts every definition before the
    nodes it contains. Pass 2 sweeps with a stack of open scopes and fills in qualified names,
    parents and enclosing symbols. Positions are (row, column) points, which order exactly like
    byte offsets and are needed for the rows anyway: one C getter per node instead of two.

    Embedded code (``@embed`` captures, Rust macro token trees) is parsed again, one parse per
    nesting level (at most :data:`MAX_EMBED_DEPTH`), and its matches join pass 1 as if the file's
    own tree had them: positions are the file's, so the sweep scopes them by the enclosing
    definitions (the embedding node itself is no scope). Ranges that do not parse cleanly as code
    contribute nothing. ``error_count`` counts the file's own parse only.
    """
    compiled = _compile(rules, variant)
    tree = _parser(rules, variant, compiled).parse(source)
    root = tree.root_node
    patterns = compiled.patterns
    language = rules.name
    clean = rules.clean_name
    unwrap = rules.callee_unwrap
    skip = rules.inherit_skip
    embedded = rules.embedded

    # (start, order, -end, seq, tag, row or node, receiver / inherit owner); events have no end.
    entries: list[tuple[Point, int, Point, int, int, Row | Node, object]] = []
    seen_defs: set[tuple[Point, Point, str]] = set()
    seq = 0
    level_root = root
    level: _EmbeddedParse | None = None  # None: the file's own tree
    trees: list[Tree] = []  # second-parse trees stay alive while `entries` holds their nodes
    for depth in range(MAX_EMBED_DEPTH + 1):
        embeds: list[Node] = []
        for pattern, caps in QueryCursor(compiled.query).matches(level_root):
            role, arg, primary = patterns[pattern]
            node = caps[primary][0]
            if level is not None and not level.keeps(node.start_byte):
                continue
            seq += 1
            if role == _CALL:
                callee_nodes = caps.get("callee")
                if not callee_nodes:
                    continue
                callee_node = callee_nodes[0]
                while unwrap and callee_node.type in unwrap:
                    inner = callee_node.child_by_field_name(unwrap[callee_node.type])
                    if inner is None:
                        break
                    callee_node = inner
                callee = " ".join(_text(callee_node).split())
                prefix_nodes = caps.get("callee.prefix")
                if prefix_nodes:  # Java `a.b().c(...)`: the object and the name are siblings
                    callee = " ".join(_text(prefix_nodes[0]).split()) + "." + callee
                start = node.start_point
                row, col = start
                call: Row = {
                    "language": language,
                    "path": path,
                    "callee": callee + arg,
                    "callee_name": last_identifier(callee) + arg,
                    "enclosing": None,
                    "line": row + 1,
                    "column": col,
                }
                entries.append((start, 1, _NO_END, seq, _CALL, call, None))
            elif role == _DEF:
                name_nodes = caps.get("name")
                if not name_nodes:
                    continue  # anonymous (e.g. `export default class {}`): no symbol
                start, end = node.start_point, node.end_point
                name = _text(name_nodes[0])
                key = (start, end, name)
                if key in seen_defs:
                    continue  # two patterns matched the same definition
                seen_defs.add(key)
                receiver_nodes = caps.get("receiver")
                receiver = _text(receiver_nodes[0]) if receiver_nodes else None
                if clean is not None:
                    name = clean(name)
                    receiver = clean(receiver) if receiver is not None else None
                (start_row, start_col), (end_row, end_col) = start, end
                symbol: Row = {
                    "language": language,
                    "path": path,
                    "kind": arg,
                    "name": name,
                    "qualified_name": name,
                    "parent": None,
                    "start_line": start_row + 1,
                    "start_column": start_col,
                    "end_line": end_row + 1,
                    "end_column": end_col,
                }
                entries.append((start, 0, (-end_row, -end_col), seq, _DEF, symbol, receiver))
            elif role == _IMPORT:
                entries.append((node.start_point, 1, _NO_END, seq, _IMPORT, node, None))
            elif role == _INHERIT:
                owner_nodes = caps.get("owner")
                if not owner_nodes or node.type in skip:
                    continue
                owner = owner_nodes[0]
                entries.append(
                    (
                        node.start_point,
                        1,
                        _NO_END,
                        seq,
                        _INHERIT,
                        node,
                        (owner.start_point, owner.end_point, arg),
                    )
                )
            else:  # _EMBED
                embeds.append(node)
        if embedded is None or not embeds or depth == MAX_EMBED_DEPTH:
            break
        ranges = [found for node in embeds if (found := embedded(node)) is not None]
        level = _parse_embedded(
            _parser(rules, variant, compiled, embedded=True),
            source,
            ranges,
            rules.embed_separator,
        )
        if level is None:
            break
        trees.append(level.tree)
        level_root = level.tree.root_node
    entries.sort()  # seq is unique, so the payload columns are never compared

    symbols: list[Row] = []
    imports: list[Row] = []
    calls: list[Row] = []
    inherits: list[Row] = []
    # Open scopes: (end, qualified_name, kind). Only scope kinds are pushed.
    stack: list[tuple[Point, str, str]] = []
    by_range: dict[tuple[Point, Point], str] = {}
    sep = rules.separator
    scope_kinds = rules.scope_kinds
    method_parents = rules.method_parents
    imports_hook = rules.imports
    for start, order, neg_end, _seq, tag, data, extra in entries:
        end = (-neg_end[0], -neg_end[1]) if order == 0 else start
        while stack and (stack[-1][0] <= start or stack[-1][0] < end):
            stack.pop()
        scope = stack[-1] if stack else None
        enclosing = scope[1] if scope is not None else None
        if tag == _CALL:
            assert isinstance(data, dict)
            data["enclosing"] = enclosing
            calls.append(data)
        elif tag == _DEF:
            assert isinstance(data, dict)
            symbol = data
            name = symbol["name"]
            kind = str(symbol["kind"])
            if extra is not None:  # Go: the receiver type is the scope, wherever it is declared
                parent = str(extra)
            else:
                parent = enclosing
                if kind == "function" and scope is not None and scope[2] in method_parents:
                    kind = symbol["kind"] = "method"
            if parent is not None:
                qualified = f"{parent}{sep}{name}"
                symbol["parent"] = parent
                symbol["qualified_name"] = qualified
            else:
                qualified = str(name)
            symbols.append(symbol)
            by_range.setdefault((start, end), qualified)
            if kind in scope_kinds:
                stack.append((end, qualified, kind))
        elif tag == _IMPORT:
            assert isinstance(data, Node)
            line = data.start_point[0] + 1
            for module, name, alias in imports_hook(data, _text):
                imports.append(
                    {
                        "language": language,
                        "path": path,
                        "module": module,
                        "name": name,
                        "alias": alias,
                        "enclosing": enclosing,
                        "line": line,
                    }
                )
        else:
            assert isinstance(data, Node) and isinstance(extra, tuple)
            owner_start, owner_end, relation = extra
            child = by_range.get((owner_start, owner_end))
            if child is None:
                continue
            inherits.append(
                {
                    "language": language,
                    "path": path,
                    "child": child,
                    "parent": " ".join(_text(data).split()),
                    "relation": relation,
                    "line": data.start_point[0] + 1,
                }
            )

    return FileExtraction(
        symbols=symbols,
        imports=imports,
        calls=calls,
        inherits=inherits,
        error_count=count_errors(root),
    )
