"""The code property graph: nodes and edges over every configured language (Joern's labels).

Driver module. ``cpg_nodes`` and ``cpg_edges`` read every language's family tables through
``@resolve`` + ``@inject(group(source("<language>.symbols"), ...))``, so the languages are config.

Nodes (``label`` / ``subkind``):

- ``FILE`` per analysed file (status ok); ``NAMESPACE`` per analysed file (subkind ``file``, the
  module path of the file, see ``normalize``) and per module symbol (subkind ``module``);
- ``TYPE_DECL`` for class/struct/enum/trait/interface/impl/type_alias, ``METHOD`` for
  function/method/macro (constants stay in the symbols table only);
- ``CALL`` per call site, ``IMPORT`` per imported name.

Ids are :func:`node_id`: a sha256 prefix of repository-independent fields (path, label, qualified
name, start line and column), never row numbers, so the same code gives the same ids anywhere.

Edges: ``CONTAINS`` (FILE -> its NAMESPACE -> top-level symbols, calls and imports; symbol ->
nested symbols, calls and imports), ``CALLS`` (CALL -> METHOD), ``IMPORTS`` (IMPORT -> the
imported NAMESPACE/TYPE_DECL/METHOD), ``INHERITS_FROM`` (TYPE_DECL -> TYPE_DECL). A target that
does not resolve inside the repository is ``unresolved:<name>`` with ``resolved=False``.

Name resolution, as far as names allow (no types, no execution), in this order:

1. Receiver calls ``self.f`` / ``this.f`` / ``Self::f`` / ``self::f``: a method ``f`` of the
   enclosing type (same file first, then the same type name elsewhere, e.g. another Rust impl);
   if it has none, rule 5 (an inherited method).
2. Bare names ``f()``: a function/method ``f`` whose parent is the call's enclosing scope or one of
   its ancestors, innermost first, then the top level of the file (Go: of the package directory).
   Class/impl bodies are scopes only in Java (implicit ``this``), not in Python, Rust, Go, JS, TS.
3. Names bound by imports: ``f`` imported (``from m import f``, ``use m::f``, ``import {f}``) or
   the head of a dotted callee (``m.f``, ``Type::f``) bound by an import, found in the lexical
   scope, or in the file's own module. Python relative imports resolve against the file's
   package, Rust ``crate::``/``self::``/``super::`` against the file's module, JS/TS ``./x``
   against the file's folder, Go import paths to the repository folder they end with.
4. A dotted callee as written, as a repository qualified name (``pkg.mod.f``).
5. A unique repository-wide short name among the language's methods, for member calls whose
   receiver type is unknown (``user.save()``). Not for bare names outside Java (a bare name that
   is neither local nor imported is a builtin), not when the head is imported from outside the
   repository (``os.path.join``) or a runtime global (JS/TS ``console``, ``Math``...).

A call that names no method but a class or struct (``User()``, ``new Dog()``, Rust's tuple struct
``Meters(1.0)``) is a constructor call: resolved with the same steps against TYPE_DECL nodes, it
targets the type's constructor METHOD where the type declares one (Python ``__init__``, JS/TS
``constructor``, Java a method named after the class), else the TYPE_DECL itself (Rust
``Foo::new()`` is an ordinary method call and resolves to ``new``).
Base types (``INHERITS_FROM``) use the same steps with TYPE_DECL targets (generic arguments
stripped); imports resolve to a symbol (module + name), else a file's namespace.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import pyarrow as pa
from hamilton.function_modifiers import (
    ResolveAt,
    check_output_custom,
    group,
    inject,
    resolve,
    schema,
    source,
    tag,
)

from hamilton_modules import schemas
from hamilton_modules.cpg_model import (
    UNRESOLVED_PREFIX,
    call_node_id,
    file_node_id,
    import_node_id,
    label_of_kind,
    node_id,
)
from hamilton_modules.languages import LANGUAGES
from hamilton_modules.normalize import module_path, module_separator
from hamilton_modules.tables import arrow_fields, finish_table, rows_to_frame
from hamilton_modules.validators import table_checks

# Languages where a bare name inside a method also finds the enclosing type's members (Java's
# implicit `this`); in Python, Rust, Go, JS and TS a class/impl body is not a lexical scope.
TYPE_MEMBERS_IN_SCOPE = frozenset({"java"})
# Receivers that are runtime globals, never repository code: `console.log` is not a repo `log`.
_JS_GLOBALS = frozenset(
    {
        "console",
        "Math",
        "JSON",
        "Object",
        "Array",
        "Promise",
        "Reflect",
        "Number",
        "String",
        "Date",
        "Symbol",
        "window",
        "document",
        "process",
        "globalThis",
        "Error",
        "Map",
        "Set",
    }
)
KNOWN_GLOBAL_RECEIVERS: dict[str, frozenset[str]] = {
    "javascript": _JS_GLOBALS,
    "typescript": _JS_GLOBALS,
}
_RECEIVERS = ("self.", "this.", "Self::", "self::", "super.")
# Kinds a constructor call creates (a Rust `impl Foo` shares the struct's name but is not built).
CONSTRUCTIBLE_KINDS = frozenset({"class", "struct"})
# Constructor method names per language; Java's constructor is named after its class (None).
CONSTRUCTOR_NAMES: dict[str, tuple[str, ...] | None] = {
    "python": ("__init__",),
    "typescript": ("constructor",),
    "javascript": ("constructor",),
    "java": None,
}
_SEGMENT_SPLIT = re.compile(r"::|\.|->")
_GENERIC_START = re.compile(r"[\[<(]")


def _concat(tables: Sequence[pl.DataFrame], table_schema: pa.Schema) -> pl.DataFrame:
    if not tables:
        return rows_to_frame([], table_schema)
    return pl.concat(list(tables), how="vertical")


def _family_groups(family: str, languages: Sequence[str]) -> Any:
    return group(*[source(f"{language}.{family}") for language in languages])


def _inject_families(*families: str):
    def decorate(languages: Sequence[str] = LANGUAGES) -> inject:
        return inject(
            **{f"{family}_tables": _family_groups(family, languages) for family in families}
        )

    return decorate


# --------------------------------------------------------------------------------------------
# The symbol index shared by both nodes: ids, scopes, and name lookups.


@dataclass(frozen=True)
class _Symbol:
    id: str
    label: str
    kind: str
    language: str
    path: str
    name: str
    qualified_name: str
    parent: str | None
    start_line: int
    end_line: int


@dataclass
class _Index:
    symbols: list[_Symbol] = field(default_factory=list)
    by_path_qname: dict[tuple[str, str], list[_Symbol]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_qname: dict[tuple[str, str, str], list[_Symbol]] = field(
        default_factory=lambda: defaultdict(list)
    )  # (language, label, qualified_name)
    by_short: dict[tuple[str, str, str], list[_Symbol]] = field(
        default_factory=lambda: defaultdict(list)
    )  # (language, label, name)
    file_namespace: dict[str, str] = field(default_factory=dict)  # path -> NAMESPACE id
    namespace_by_module: dict[tuple[str, str], str] = field(default_factory=dict)
    file_module: dict[str, str] = field(default_factory=dict)  # path -> module path
    imports_by_path: dict[str, list[dict[str, object]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    bindings: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def go_package(self, import_path: str) -> str:
        """A Go import path as the repository package folder it most likely names.

        go.mod is not read, so the folder whose trailing path components match the most trailing
        components of the import path wins (``example.com/m/net/http`` -> ``src/net/http``;
        ties: the shorter folder, then the first by name); no match keeps the import path.
        """
        wanted = import_path.split("/")
        best: tuple[int, int, str] | None = None
        for language, module in self.namespace_by_module:
            if language != "go" or not module:
                continue
            parts = module.split("/")
            matched = 0
            while (
                matched < min(len(parts), len(wanted))
                and parts[-1 - matched] == wanted[-1 - matched]
            ):
                matched += 1
            if matched and (best is None or (-matched, len(parts), module) < best):
                best = (-matched, len(parts), module)
        return best[2] if best else import_path

    def enclosing(self, path: str, qname: str | None, line: int) -> _Symbol | None:
        """The symbol ``qname`` of ``path`` whose span holds ``line`` (nearest start wins)."""
        if qname is None:
            return None
        candidates = self.by_path_qname.get((path, qname), [])
        holding = [s for s in candidates if s.start_line <= line <= s.end_line]
        pool = holding or candidates
        return max(pool, key=lambda s: (s.start_line, s.id)) if pool else None

    def scope_chain(self, path: str, qname: str | None, line: int) -> list[_Symbol]:
        chain: list[_Symbol] = []
        current = self.enclosing(path, qname, line)
        while current is not None and len(chain) < 256:
            chain.append(current)
            current = self.enclosing(path, current.parent, current.start_line)
        return chain

    def exact(self, language: str, labels: Iterable[str], qname: str) -> _Symbol | None:
        for label in labels:
            found = self.by_qname.get((language, label, qname))
            if found:
                return min(found, key=lambda s: (s.path, s.start_line, s.id))
        return None


def _file_symbols(files: pl.DataFrame) -> list[dict[str, object]]:
    return files.filter((pl.col("status") == "ok") & pl.col("language").is_not_null()).to_dicts()


def _build_index(files: pl.DataFrame, symbols: pl.DataFrame, imports: pl.DataFrame) -> _Index:
    index = _Index()
    for row in _file_symbols(files):
        path, language = str(row["path"]), str(row["language"])
        module = module_path(language, path)
        ns_id = node_id(
            path=path, label="NAMESPACE", qualified_name=module, start_line=1, start_column=0
        )
        index.file_namespace[path] = ns_id
        index.file_module[path] = module
        index.namespace_by_module.setdefault((language, module), ns_id)
    for row in symbols.iter_rows(named=True):
        label = label_of_kind(row["kind"])
        if label is None:
            continue
        symbol = _Symbol(
            id=node_id(
                path=row["path"],
                label=label,
                qualified_name=row["qualified_name"],
                start_line=row["start_line"],
                start_column=row["start_column"],
                ordinal=row["ordinal"],
            ),
            label=label,
            kind=row["kind"],
            language=row["language"],
            path=row["path"],
            name=row["name"],
            qualified_name=row["qualified_name"],
            parent=row["parent"],
            start_line=row["start_line"],
            end_line=row["end_line"],
        )
        index.symbols.append(symbol)
        index.by_path_qname[(symbol.path, symbol.qualified_name)].append(symbol)
        index.by_qname[(symbol.language, label, symbol.qualified_name)].append(symbol)
        index.by_short[(symbol.language, label, symbol.name)].append(symbol)
        if label == "NAMESPACE":
            index.namespace_by_module.setdefault(
                (symbol.language, symbol.qualified_name), symbol.id
            )
    for row in imports.iter_rows(named=True):
        index.imports_by_path[row["path"]].append(row)
    return index


# --------------------------------------------------------------------------------------------
# Name resolution (rules in the module docstring).


def _segments(text: str) -> list[str]:
    return [part for part in _SEGMENT_SPLIT.split(text) if part]


def _resolve_module(language: str, path: str, module: str | None, index: _Index) -> str | None:
    """An import's module as a repository module path (relative forms resolved), or None."""
    if module is None:
        return None
    own = index.file_module.get(path, "")
    if language == "python" and module.startswith("."):
        dots = len(module) - len(module.lstrip("."))
        parts = own.split(".") if own else []
        if not path.endswith("__init__.py") and parts:
            parts = parts[:-1]  # the file's package
        parts = parts[: len(parts) - (dots - 1)] if dots > 1 else parts
        rest = module[dots:]
        return ".".join([*parts, *([rest] if rest else [])])
    if language in {"typescript", "javascript"} and module.startswith("."):
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), module))
        return module_path(language, joined + ".js") if joined != "." else ""
    if language == "go":
        return index.go_package(module)
    if language == "rust":
        parts = module.split("::")
        own_parts = own.split("::") if own else []
        if parts[0] == "crate" and own_parts:
            return "::".join([own_parts[0], *parts[1:]])
        if parts[0] == "self":
            return "::".join([*own_parts, *parts[1:]])
        if parts[0] == "super":
            return "::".join([*own_parts[:-1], *parts[1:]])
    return module


def _qualify(language: str, *parts: str) -> str:
    return module_separator(language).join(part for part in parts if part)


def _file_bindings(language: str, path: str, index: _Index) -> dict[str, list[str]]:
    """Name bound by each import of a file -> the qualified names it stands for.

    Key ``"*"`` holds the modules of glob imports. Computed once per file.
    """
    cached = index.bindings.get(path)
    if cached is not None:
        return cached
    bindings: dict[str, list[str]] = defaultdict(list)
    for row in index.imports_by_path.get(path, []):
        name = str(row["name"])
        alias = row["alias"]
        raw_module = row["module"]
        module = _resolve_module(
            language, path, raw_module if isinstance(raw_module, str) else None, index
        )
        if name == "*":
            if module:
                bindings["*"].append(module)
            continue
        if language == "python" and raw_module is None and alias is None:
            bound = name.split(".")[0]  # `import a.b` binds `a`
            bindings[bound].append(bound)
            continue
        bound = str(alias) if alias else _segments(name)[-1]
        bindings[bound].append(_imported_name(language, module, name))
    index.bindings[path] = bindings
    return bindings


def _imported_name(language: str, module: str | None, name: str) -> str:
    """What an import row names, repository-qualified: ``pkg.mod.f``; the module for a glob or a
    Go package (Go rows are (import path, package name))."""
    if name == "*" or (language == "go" and module):
        return module or name
    return _qualify(language, module, name) if module else name


def _import_targets(language: str, path: str, first: str, index: _Index) -> list[str]:
    """Qualified names the name ``first`` stands for through the file's imports."""
    bindings = _file_bindings(language, path, index)
    targets = list(bindings.get(first, []))
    targets.extend(_qualify(language, module, first) for module in bindings.get("*", []))
    return targets


def _member_of_enclosing_type(
    language: str,
    path: str,
    name: str,
    chain: list[_Symbol],
    labels: tuple[str, ...],
    index: _Index,
) -> _Symbol | None:
    owner = next((s for s in chain if s.label == "TYPE_DECL"), None)
    if owner is None:
        return None
    members = [
        s
        for label in labels
        for s in index.by_short.get((language, label, name), [])
        if s.parent == owner.qualified_name
    ]
    if not members:
        return None
    return min(members, key=lambda s: (s.path != path, s.path, s.start_line, s.id))


def _lexical(
    language: str,
    path: str,
    name: str,
    chain: list[_Symbol],
    labels: tuple[str, ...],
    index: _Index,
) -> _Symbol | None:
    """``name`` defined in the enclosing scopes of the same file, innermost first, then top level.

    Go: the top level is the package, i.e. every file of the same directory.
    """
    scopes: list[str | None] = [
        s.qualified_name
        for s in chain
        if s.label != "TYPE_DECL" or language in TYPE_MEMBERS_IN_SCOPE
    ]
    scopes.append(None)
    directory = posixpath.dirname(path)
    same_unit = [
        s
        for label in labels
        for s in index.by_short.get((language, label, name), [])
        if s.path == path or (language == "go" and posixpath.dirname(s.path) == directory)
    ]
    for scope in scopes:
        found = [s for s in same_unit if s.parent == scope]
        if found:
            return max(found, key=lambda s: (s.path == path, s.start_line, s.id))
    return None


def _head_prefixes(
    language: str, path: str, head: str, chain: list[_Symbol], index: _Index
) -> tuple[list[str], bool]:
    """Qualified names the first segment of a dotted callee may stand for, and whether an import
    binds it (an imported head that resolves nowhere points outside the repository)."""
    imported = _import_targets(language, path, head, index)
    prefixes = list(imported)
    local = _lexical(language, path, head, chain, ("TYPE_DECL", "NAMESPACE"), index)
    if local is not None:
        prefixes.append(local.qualified_name)
    own = index.file_module.get(path, "")
    if own:
        prefixes.append(_qualify(language, own, head))
    return prefixes, bool(imported)


def _resolve(
    *,
    language: str,
    path: str,
    text: str,
    name: str,
    enclosing: str | None,
    line: int,
    labels: tuple[str, ...],
    index: _Index,
) -> _Symbol | None:
    """The repository symbol a call/base-type text refers to (rules in the module docstring)."""
    chain = index.scope_chain(path, enclosing, line)
    segments = _segments(text)
    if not segments:
        return None
    # 1. receiver calls: a member of the enclosing type (else fall through to rule 5)
    if text.startswith(_RECEIVERS) and len(segments) == 2:
        found = _member_of_enclosing_type(language, path, name, chain, labels, index)
        if found is not None:
            return found
    elif len(segments) == 1:
        # 2. lexical scope, then 3. a name bound by an import
        found = _lexical(language, path, name, chain, labels, index)
        if found is not None:
            return found
        for target in _import_targets(language, path, name, index):
            found = index.exact(language, labels, target)
            if found is not None:
                return found
        # A bare name that is neither local nor imported is a builtin or comes from outside,
        # except where the language makes other members visible (Java: inherited methods).
        if language not in TYPE_MEMBERS_IN_SCOPE:
            return None
    else:
        # 3. the head segment through imports, the lexical scope and the file's own module
        head, rest = segments[0], segments[1:]
        prefixes, imported = _head_prefixes(language, path, head, chain, index)
        for prefix in prefixes:
            found = index.exact(language, labels, _qualify(language, prefix, *rest))
            if found is not None:
                return found
        # 4. the text itself as a repository qualified name
        found = index.exact(language, labels, _qualify(language, *segments))
        if found is not None:
            return found
        if imported or head in KNOWN_GLOBAL_RECEIVERS.get(language, frozenset()):
            return None  # a member of something from outside the repository
    # 5. a unique short name in the language (receiver type unknown)
    candidates = [s for label in labels for s in index.by_short.get((language, label, name), [])]
    return candidates[0] if len(candidates) == 1 else None


def _constructor_target(declared: _Symbol, index: _Index) -> _Symbol | None:
    """The node a constructor call of the type ``declared`` targets: its constructor METHOD when
    it has one, else the class/struct itself; None when no constructible type has that name."""
    language, qname = declared.language, declared.qualified_name
    if declared.kind not in CONSTRUCTIBLE_KINDS:
        same_name = [
            s
            for s in index.by_qname.get((language, "TYPE_DECL", qname), [])
            if s.kind in CONSTRUCTIBLE_KINDS
        ]
        if not same_name:
            return None
        declared = min(same_name, key=lambda s: (s.path, s.start_line, s.id))
    names = CONSTRUCTOR_NAMES.get(language, ())
    for name in (declared.name,) if names is None else names:
        constructor = index.exact(language, ("METHOD",), _qualify(language, qname, name))
        if constructor is not None:
            return constructor
    return declared


# --------------------------------------------------------------------------------------------
# Nodes.


def _node_row(
    *,
    id_: str,
    label: str,
    subkind: str | None,
    language: str | None,
    name: str,
    qualified_name: str | None,
    path: str,
    start_line: int | None,
    end_line: int | None,
) -> dict[str, object]:
    return {
        "id": id_,
        "label": label,
        "subkind": subkind,
        "language": language,
        "name": name,
        "qualified_name": qualified_name,
        "path": path,
        "start_line": start_line,
        "end_line": end_line,
    }


@resolve(
    when=ResolveAt.CONFIG_AVAILABLE,
    decorate_with=_inject_families("symbols", "imports", "calls"),
)
@tag(asset="cpg/nodes", layer="cpg", kind="table", artifact="cpg_nodes", task_cost="5")
@check_output_custom(*table_checks(schema=schemas.CPG_NODES, key=["id"]))
@schema.output(*arrow_fields(schemas.CPG_NODES))
def cpg_nodes(
    files: pl.DataFrame,
    symbols_tables: list[pl.DataFrame],
    imports_tables: list[pl.DataFrame],
    calls_tables: list[pl.DataFrame],
) -> pl.DataFrame:
    """CPG nodes: FILE, NAMESPACE, TYPE_DECL, METHOD, CALL, IMPORT of every configured language."""
    symbols = _concat(symbols_tables, schemas.SYMBOLS)
    imports = _concat(imports_tables, schemas.IMPORTS)
    calls = _concat(calls_tables, schemas.CALLS)
    index = _build_index(files, symbols, imports)
    rows: list[dict[str, object]] = []
    for row in _file_symbols(files):
        path, language = str(row["path"]), str(row["language"])
        name = path.rsplit("/", 1)[-1]
        lines = row["lines"] or None  # an empty file spans no line
        rows.append(
            _node_row(
                id_=file_node_id(path),
                label="FILE",
                subkind=None,
                language=language,
                name=name,
                qualified_name=path,
                path=path,
                start_line=1 if lines else None,
                end_line=lines,  # type: ignore[arg-type]
            )
        )
        module = index.file_module[path]
        rows.append(
            _node_row(
                id_=index.file_namespace[path],
                label="NAMESPACE",
                subkind="file",
                language=language,
                name=module or name,
                qualified_name=module,
                path=path,
                start_line=1 if lines else None,
                end_line=lines,  # type: ignore[arg-type]
            )
        )
    for symbol in index.symbols:
        rows.append(
            _node_row(
                id_=symbol.id,
                label=symbol.label,
                subkind=symbol.kind,
                language=symbol.language,
                name=symbol.name,
                qualified_name=symbol.qualified_name,
                path=symbol.path,
                start_line=symbol.start_line,
                end_line=symbol.end_line,
            )
        )
    for row in calls.iter_rows(named=True):
        rows.append(
            _node_row(
                id_=call_node_id(row),
                label="CALL",
                subkind=None,
                language=row["language"],
                name=row["callee_name"],
                qualified_name=row["callee"],
                path=row["path"],
                start_line=row["line"],
                end_line=row["line"],
            )
        )
    for row in imports.iter_rows(named=True):
        language, name = row["language"], row["name"]
        module = _resolve_module(language, row["path"], row["module"], index)
        rows.append(
            _node_row(
                id_=import_node_id(row),
                label="IMPORT",
                subkind=None,
                language=language,
                name=row["alias"] or name,
                qualified_name=_imported_name(language, module, name),
                path=row["path"],
                start_line=row["line"],
                end_line=row["line"],
            )
        )
    # Repeated family rows have their own ids (their ordinal), so nothing is collapsed here.
    return finish_table(
        rows_to_frame(rows, schemas.CPG_NODES), table_schema=schemas.CPG_NODES, sort_key="cpg_nodes"
    )


def _edge(src: str, dst: str | None, label: str, unresolved: str) -> dict[str, object]:
    if dst is None:
        return {
            "src": src,
            "dst": f"{UNRESOLVED_PREFIX}{unresolved}",
            "label": label,
            "resolved": False,
        }
    return {"src": src, "dst": dst, "label": label, "resolved": True}


def _container(index: _Index, path: str, enclosing: str | None, line: int) -> str | None:
    owner = index.enclosing(path, enclosing, line)
    if owner is not None:
        return owner.id
    return index.file_namespace.get(path)


def _base_type_text(parent: str) -> str:
    return _GENERIC_START.split(parent, maxsplit=1)[0].strip()


@resolve(
    when=ResolveAt.CONFIG_AVAILABLE,
    decorate_with=_inject_families("symbols", "imports", "calls", "inherits"),
)
@tag(asset="cpg/edges", layer="cpg", kind="table", artifact="cpg_edges", task_cost="10")
@check_output_custom(*table_checks(schema=schemas.CPG_EDGES, key=schemas.SORT_KEYS["cpg_edges"]))
@schema.output(*arrow_fields(schemas.CPG_EDGES))
def cpg_edges(
    files: pl.DataFrame,
    symbols_tables: list[pl.DataFrame],
    imports_tables: list[pl.DataFrame],
    calls_tables: list[pl.DataFrame],
    inherits_tables: list[pl.DataFrame],
) -> pl.DataFrame:
    """CPG edges: CONTAINS, CALLS (resolved or ``unresolved:<name>``), IMPORTS, INHERITS_FROM."""
    symbols = _concat(symbols_tables, schemas.SYMBOLS)
    imports = _concat(imports_tables, schemas.IMPORTS)
    calls = _concat(calls_tables, schemas.CALLS)
    inherits = _concat(inherits_tables, schemas.INHERITS)
    index = _build_index(files, symbols, imports)
    edges: list[dict[str, object]] = []
    for path, ns_id in index.file_namespace.items():
        edges.append(_edge(file_node_id(path), ns_id, "CONTAINS", ""))
    for symbol in index.symbols:
        owner = _container(index, symbol.path, symbol.parent, symbol.start_line)
        if owner is not None and owner != symbol.id:
            edges.append(_edge(owner, symbol.id, "CONTAINS", ""))
    method_labels = ("METHOD",)
    type_labels = ("TYPE_DECL",)
    for row in calls.iter_rows(named=True):
        call_id = call_node_id(row)
        owner = _container(index, row["path"], row["enclosing"], row["line"])
        if owner is not None:
            edges.append(_edge(owner, call_id, "CONTAINS", ""))
        call = {
            "language": row["language"],
            "path": row["path"],
            "text": row["callee"],
            "name": row["callee_name"],
            "enclosing": row["enclosing"],
            "line": row["line"],
        }
        target = _resolve(**call, labels=method_labels, index=index)
        if target is None:
            declared = _resolve(**call, labels=type_labels, index=index)
            target = None if declared is None else _constructor_target(declared, index)
        edges.append(_edge(call_id, target.id if target else None, "CALLS", row["callee_name"]))
    for row in imports.iter_rows(named=True):
        import_id = import_node_id(row)
        owner = _container(index, row["path"], row["enclosing"], row["line"])
        if owner is not None:
            edges.append(_edge(owner, import_id, "CONTAINS", ""))
        language, name = row["language"], row["name"]
        module = _resolve_module(language, row["path"], row["module"], index)
        full = _imported_name(language, module, name)
        target_id: str | None = None
        symbol = index.exact(language, ("TYPE_DECL", "METHOD", "NAMESPACE"), full)
        if symbol is not None:
            target_id = symbol.id
        else:
            target_id = index.namespace_by_module.get((language, full))
        edges.append(_edge(import_id, target_id, "IMPORTS", full))
    for row in inherits.iter_rows(named=True):
        child = index.enclosing(row["path"], row["child"], row["line"])
        if child is None:
            continue
        base = _base_type_text(row["parent"])
        segments = _segments(base)
        target = (
            _resolve(
                language=row["language"],
                path=row["path"],
                text=base,
                name=segments[-1],
                enclosing=child.parent,
                line=child.start_line,
                labels=type_labels,
                index=index,
            )
            if segments
            else None
        )
        if target is not None and target.id == child.id:
            target = None  # `impl Foo` does not inherit from itself
        edges.append(_edge(child.id, target.id if target else None, "INHERITS_FROM", base))
    frame = rows_to_frame(edges, schemas.CPG_EDGES).unique(maintain_order=True)
    return finish_table(frame, table_schema=schemas.CPG_EDGES, sort_key="cpg_edges")
