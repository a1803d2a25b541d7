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

import functools
import posixpath
import re
from collections import defaultdict
from collections.abc import Sequence
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
    METHOD_KINDS,
    NAMESPACE_KINDS,
    TYPE_DECL_KINDS,
    UNRESOLVED_PREFIX,
    call_node_ids,
    file_node_id,
    import_node_ids,
    label_of_kind,
    node_ids,
)
from hamilton_modules.languages import LANGUAGES
from hamilton_modules.normalize import module_path, module_separator
from hamilton_modules.tables import arrow_fields, finish_table, polars_schema, rows_to_frame
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
_METHOD = ("METHOD",)
_TYPE = ("TYPE_DECL",)
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
    by_unit: dict[tuple[str, str, str, str], list[_Symbol]] = field(
        default_factory=lambda: defaultdict(list)
    )  # (language, label, name, unit): unit = the file, Go: its package directory
    # (language, label) -> every name and last qualified-name segment of those symbols: a text
    # whose last segment (and short name) is in neither can resolve to no such symbol.
    tails: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    file_namespace: dict[str, str] = field(default_factory=dict)  # path -> NAMESPACE id
    namespace_by_module: dict[tuple[str, str], str] = field(default_factory=dict)
    file_module: dict[str, str] = field(default_factory=dict)  # path -> module path
    imports_by_path: dict[str, list[tuple[str | None, str, str | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # path -> (module, name, alias) of each import row
    bindings: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # Memos: every lookup below is a pure function of the index, and call sites repeat a lot.
    go_packages: dict[str, str] = field(default_factory=dict)
    resolved_modules: dict[tuple[str, str, str | None], str | None] = field(default_factory=dict)
    exact_found: dict[tuple[str, tuple[str, ...], str], _Symbol | None] = field(
        default_factory=dict
    )
    resolved: dict[tuple[Any, ...], _Symbol | None] = field(default_factory=dict)

    def go_package(self, import_path: str) -> str:
        """A Go import path as the repository package folder it most likely names.

        go.mod is not read, so the folder whose trailing path components match the most trailing
        components of the import path wins (``example.com/m/net/http`` -> ``src/net/http``;
        ties: the shorter folder, then the first by name); no match keeps the import path.
        """
        known = self.go_packages.get(import_path)
        if known is not None:
            return known
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
        package = best[2] if best else import_path
        self.go_packages[import_path] = package
        return package

    def enclosing(self, path: str, qname: str | None, line: int) -> _Symbol | None:
        """The symbol ``qname`` of ``path`` whose span holds ``line`` (nearest start wins)."""
        if qname is None:
            return None
        candidates = self.by_path_qname.get((path, qname))
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        holding = [s for s in candidates if s.start_line <= line <= s.end_line]
        pool = holding or candidates
        return max(pool, key=lambda s: (s.start_line, s.id))

    def chain_from(self, owner: _Symbol | None) -> list[_Symbol]:
        """``owner`` and its enclosing symbols, innermost first."""
        chain: list[_Symbol] = []
        current = owner
        while current is not None and len(chain) < 256:
            chain.append(current)
            current = self.enclosing(current.path, current.parent, current.start_line)
        return chain

    def exact(self, language: str, labels: tuple[str, ...], qname: str) -> _Symbol | None:
        key = (language, labels, qname)
        if key in self.exact_found:
            return self.exact_found[key]
        found_symbol: _Symbol | None = None
        for label in labels:
            found = self.by_qname.get((language, label, qname))
            if found:
                found_symbol = min(found, key=lambda s: (s.path, s.start_line, s.id))
                break
        self.exact_found[key] = found_symbol
        return found_symbol


KIND_LABELS: dict[str, str] = {
    kind: label
    for kind in (*TYPE_DECL_KINDS, *METHOD_KINDS, *NAMESPACE_KINDS)
    if (label := label_of_kind(kind)) is not None
}


def _unit(language: str, path: str) -> str:
    """Where top-level names are visible without an import: the file; Go: the package folder."""
    return posixpath.dirname(path) if language == "go" else path


def _analysed_files(files: pl.DataFrame) -> pl.DataFrame:
    """Files that were parsed (status ok, known language): one FILE and one NAMESPACE each."""
    return files.filter((pl.col("status") == "ok") & pl.col("language").is_not_null())


def _labelled_symbols(symbols: pl.DataFrame) -> pl.DataFrame:
    """Symbols that become CPG nodes, with their ``label`` and ``id`` columns."""
    labelled = symbols.with_columns(
        label=pl.col("kind").replace_strict(KIND_LABELS, default=None, return_dtype=pl.String)
    ).filter(pl.col("label").is_not_null())
    ids = node_ids(
        paths=labelled["path"].to_list(),
        labels=labelled["label"].to_list(),
        qualified_names=labelled["qualified_name"].to_list(),
        start_lines=labelled["start_line"].to_list(),
        start_columns=labelled["start_column"].to_list(),
        ordinals=labelled["ordinal"].to_list(),
    )
    return labelled.with_columns(id=pl.Series("id", ids, dtype=pl.String))


def _add_modules(index: _Index, files: pl.DataFrame, labelled: pl.DataFrame) -> None:
    """File modules and namespaces: what import resolution needs (files first, then modules)."""
    paths = files["path"].to_list()
    languages = files["language"].to_list()
    modules = [module_path(language, path) for path, language in zip(paths, languages, strict=True)]
    ns_ids = node_ids(
        paths=paths,
        labels=["NAMESPACE"] * len(paths),
        qualified_names=modules,
        start_lines=[1] * len(paths),
        start_columns=[0] * len(paths),
        ordinals=[0] * len(paths),
    )
    for path, language, module, ns_id in zip(paths, languages, modules, ns_ids, strict=True):
        index.file_namespace[path] = ns_id
        index.file_module[path] = module
        index.namespace_by_module.setdefault((language, module), ns_id)
    namespaces = labelled.filter(pl.col("label") == "NAMESPACE")
    for language, qname, symbol_id in namespaces.select(
        "language", "qualified_name", "id"
    ).iter_rows():
        index.namespace_by_module.setdefault((language, qname), symbol_id)


def _build_index(files: pl.DataFrame, symbols: pl.DataFrame, imports: pl.DataFrame) -> _Index:
    index = _Index()
    labelled = _labelled_symbols(symbols)
    _add_modules(index, _analysed_files(files), labelled)
    columns = (
        "id",
        "label",
        "kind",
        "language",
        "path",
        "name",
        "qualified_name",
        "parent",
        "start_line",
        "end_line",
    )
    for values in labelled.select(columns).iter_rows():
        symbol = _Symbol(*values)
        index.symbols.append(symbol)
        index.by_path_qname[(symbol.path, symbol.qualified_name)].append(symbol)
        index.by_qname[(symbol.language, symbol.label, symbol.qualified_name)].append(symbol)
        index.by_short[(symbol.language, symbol.label, symbol.name)].append(symbol)
        tails = index.tails[(symbol.language, symbol.label)]
        tails.add(symbol.name)
        tails.update(_segments(symbol.qualified_name)[-1:])
        unit = _unit(symbol.language, symbol.path)
        index.by_unit[(symbol.language, symbol.label, symbol.name, unit)].append(symbol)
    for path, module, name, alias in imports.select("path", "module", "name", "alias").iter_rows():
        index.imports_by_path[path].append((module, name, alias))
    return index


# --------------------------------------------------------------------------------------------
# Name resolution (rules in the module docstring).


@functools.lru_cache(maxsize=1 << 16)  # callee texts repeat a lot; bounded for long-lived workers
def _segments(text: str) -> tuple[str, ...]:
    return tuple(part for part in _SEGMENT_SPLIT.split(text) if part)


def _resolve_module(language: str, path: str, module: str | None, index: _Index) -> str | None:
    """An import's module as a repository module path (relative forms resolved), or None."""
    if module is None:
        return None
    key = (language, path, module)
    if key in index.resolved_modules:
        return index.resolved_modules[key]
    resolved = _resolve_module_uncached(language, path, module, index)
    index.resolved_modules[key] = resolved
    return resolved


def _resolve_module_uncached(language: str, path: str, module: str, index: _Index) -> str | None:
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


_SEPARATORS = {language: module_separator(language) for language in LANGUAGES}


def _qualify(language: str, *parts: str) -> str:
    separator = _SEPARATORS.get(language) or module_separator(language)
    return separator.join([part for part in parts if part])


def _file_bindings(language: str, path: str, index: _Index) -> dict[str, list[str]]:
    """Name bound by each import of a file -> the qualified names it stands for.

    Key ``"*"`` holds the modules of glob imports. Computed once per file.
    """
    cached = index.bindings.get(path)
    if cached is not None:
        return cached
    bindings: dict[str, list[str]] = defaultdict(list)
    for raw_module, name, alias in index.imports_by_path.get(path, []):
        module = _resolve_module(language, path, raw_module, index)
        if name == "*":
            if module:
                bindings["*"].append(module)
            continue
        if language == "python" and raw_module is None and alias is None:
            bound = name.split(".")[0]  # `import a.b` binds `a`
            bindings[bound].append(bound)
            continue
        bound = alias if alias else _segments(name)[-1]
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
    unit = _unit(language, path)
    same_unit = [
        s for label in labels for s in index.by_unit.get((language, label, name, unit), [])
    ]
    if not same_unit:
        return None
    scopes: list[str | None] = [
        s.qualified_name
        for s in chain
        if s.label != "TYPE_DECL" or language in TYPE_MEMBERS_IN_SCOPE
    ]
    scopes.append(None)
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
    owner: _Symbol | None,
    labels: tuple[str, ...],
    index: _Index,
) -> _Symbol | None:
    """The repository symbol a call/base-type text refers to (rules in the module docstring).

    ``owner`` is the innermost enclosing symbol (None at the top level): the lexical scope is
    ``owner`` and its ancestors, so the result depends on nothing else and is memoized.
    """
    segments = _segments(text)
    if not segments:
        return None
    # Every rule ends in an exact qualified name, a short name or an import binding: a text whose
    # last segment and short name no such symbol has (and no import binds) resolves to nothing.
    tail = segments[-1]
    for label in labels:
        known = index.tails.get((language, label))
        if known and (name in known or tail in known):
            break
    else:
        if len(segments) > 1 or name not in _file_bindings(language, path, index):
            return None
    key = (language, path, owner.id if owner else None, text, name, labels)
    if key in index.resolved:
        return index.resolved[key]
    chain = index.chain_from(owner)
    found = _resolve_uncached(language, path, text, segments, name, chain, labels, index)
    index.resolved[key] = found
    return found


def _resolve_uncached(
    language: str,
    path: str,
    text: str,
    segments: tuple[str, ...],
    name: str,
    chain: list[_Symbol],
    labels: tuple[str, ...],
    index: _Index,
) -> _Symbol | None:
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


def _call_target(
    *, language: str, path: str, text: str, name: str, owner: _Symbol | None, index: _Index
) -> _Symbol | None:
    """A call's METHOD, else, for a call naming a type, its constructor or the type itself."""
    target = _resolve(
        language=language, path=path, text=text, name=name, owner=owner, labels=_METHOD, index=index
    )
    if target is not None:
        return target
    declared = _resolve(
        language=language, path=path, text=text, name=name, owner=owner, labels=_TYPE, index=index
    )
    return None if declared is None else _constructor_target(declared, index)


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

_NODE_SCHEMA = polars_schema(schemas.CPG_NODES)
_EDGE_SCHEMA = polars_schema(schemas.CPG_EDGES)


def _node_frame(frame: pl.DataFrame, **columns: pl.Expr) -> pl.DataFrame:
    """``frame`` projected onto the CPG_NODES columns (each given as an expression)."""
    return frame.select(
        [columns[name].cast(dtype).alias(name) for name, dtype in _NODE_SCHEMA.items()]
    )


def _import_qualified_names(imports: pl.DataFrame, index: _Index) -> list[str]:
    """What each import row names, repository-qualified (see ``_imported_name``)."""
    return [
        _imported_name(language, _resolve_module(language, path, module, index), name)
        for language, path, module, name in imports.select(
            "language", "path", "module", "name"
        ).iter_rows()
    ]


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
    # Only module paths and namespaces are needed here (import names); no call resolution.
    index = _Index()
    analysed = _analysed_files(files)
    labelled = _labelled_symbols(symbols)
    _add_modules(index, analysed, labelled)
    paths = analysed["path"].to_list()
    module_of = [index.file_module[path] for path in paths]
    file_frame = analysed.with_columns(
        file_id=pl.Series([file_node_id(path) for path in paths], dtype=pl.String),  # FILE ids
        ns_id=pl.Series([index.file_namespace[path] for path in paths], dtype=pl.String),
        module=pl.Series(module_of, dtype=pl.String),
        base_name=pl.col("path").str.split("/").list.last(),
        # an empty file spans no line
        first_line=pl.when(pl.col("lines") > 0).then(pl.lit(1, pl.Int64)),
        last_line=pl.when(pl.col("lines") > 0).then(pl.col("lines")),
    )
    no_text = pl.lit(None, pl.String)
    parts = [
        _node_frame(
            file_frame,
            id=pl.col("file_id"),
            label=pl.lit("FILE"),
            subkind=no_text,
            language=pl.col("language"),
            name=pl.col("base_name"),
            qualified_name=pl.col("path"),
            path=pl.col("path"),
            start_line=pl.col("first_line"),
            end_line=pl.col("last_line"),
        ),
        _node_frame(
            file_frame,
            id=pl.col("ns_id"),
            label=pl.lit("NAMESPACE"),
            subkind=pl.lit("file"),
            language=pl.col("language"),
            name=pl.when(pl.col("module") != "")
            .then(pl.col("module"))
            .otherwise(pl.col("base_name")),
            qualified_name=pl.col("module"),
            path=pl.col("path"),
            start_line=pl.col("first_line"),
            end_line=pl.col("last_line"),
        ),
        _node_frame(
            labelled,
            id=pl.col("id"),
            label=pl.col("label"),
            subkind=pl.col("kind"),
            language=pl.col("language"),
            name=pl.col("name"),
            qualified_name=pl.col("qualified_name"),
            path=pl.col("path"),
            start_line=pl.col("start_line"),
            end_line=pl.col("end_line"),
        ),
        _node_frame(
            calls.with_columns(id=pl.Series(call_node_ids(calls), dtype=pl.String)),
            id=pl.col("id"),
            label=pl.lit("CALL"),
            subkind=no_text,
            language=pl.col("language"),
            name=pl.col("callee_name"),
            qualified_name=pl.col("callee"),
            path=pl.col("path"),
            start_line=pl.col("line"),
            end_line=pl.col("line"),
        ),
        _node_frame(
            imports.with_columns(
                id=pl.Series(import_node_ids(imports), dtype=pl.String),
                imported=pl.Series(_import_qualified_names(imports, index), dtype=pl.String),
            ),
            id=pl.col("id"),
            label=pl.lit("IMPORT"),
            subkind=no_text,
            language=pl.col("language"),
            name=pl.when(pl.col("alias") != "").then(pl.col("alias")).otherwise(pl.col("name")),
            qualified_name=pl.col("imported"),
            path=pl.col("path"),
            start_line=pl.col("line"),
            end_line=pl.col("line"),
        ),
    ]
    # Repeated family rows have their own ids (their ordinal), so nothing is collapsed here.
    frame = pl.concat(parts, how="vertical")
    return finish_table(frame, table_schema=schemas.CPG_NODES, sort_key="cpg_nodes")


def _base_type_text(parent: str) -> str:
    return _GENERIC_START.split(parent, maxsplit=1)[0].strip()


class _Edges:
    """Edge columns, appended row by row and turned into one frame at the end."""

    def __init__(self) -> None:
        self.src: list[str] = []
        self.dst: list[str] = []
        self.label: list[str] = []
        self.resolved: list[bool] = []

    def add(self, src: str, dst: str | None, label: str, unresolved: str = "") -> None:
        self.src.append(src)
        self.label.append(label)
        if dst is None:
            self.dst.append(f"{UNRESOLVED_PREFIX}{unresolved}")
            self.resolved.append(False)
        else:
            self.dst.append(dst)
            self.resolved.append(True)

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {"src": self.src, "dst": self.dst, "label": self.label, "resolved": self.resolved},
            schema=_EDGE_SCHEMA,
        )


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
    edges = _Edges()
    for path, ns_id in index.file_namespace.items():
        edges.add(file_node_id(path), ns_id, "CONTAINS")
    for symbol in index.symbols:
        owner = index.enclosing(symbol.path, symbol.parent, symbol.start_line)
        owner_id = owner.id if owner is not None else index.file_namespace.get(symbol.path)
        if owner_id is not None and owner_id != symbol.id:
            edges.add(owner_id, symbol.id, "CONTAINS")
    call_columns = calls.select("language", "path", "callee", "callee_name", "enclosing", "line")
    for call_id, (language, path, callee, callee_name, enclosing, line) in zip(
        call_node_ids(calls), call_columns.iter_rows(), strict=True
    ):
        owner = index.enclosing(path, enclosing, line)
        owner_id = owner.id if owner is not None else index.file_namespace.get(path)
        if owner_id is not None:
            edges.add(owner_id, call_id, "CONTAINS")
        target = _call_target(
            language=language, path=path, text=callee, name=callee_name, owner=owner, index=index
        )
        edges.add(call_id, target.id if target else None, "CALLS", callee_name)
    import_columns = imports.select("language", "path", "module", "name", "enclosing", "line")
    for import_id, (language, path, module, name, enclosing, line) in zip(
        import_node_ids(imports), import_columns.iter_rows(), strict=True
    ):
        owner = index.enclosing(path, enclosing, line)
        owner_id = owner.id if owner is not None else index.file_namespace.get(path)
        if owner_id is not None:
            edges.add(owner_id, import_id, "CONTAINS")
        full = _imported_name(language, _resolve_module(language, path, module, index), name)
        symbol = index.exact(language, ("TYPE_DECL", "METHOD", "NAMESPACE"), full)
        target_id = (
            symbol.id if symbol is not None else index.namespace_by_module.get((language, full))
        )
        edges.add(import_id, target_id, "IMPORTS", full)
    inherit_columns = inherits.select("language", "path", "child", "parent", "line")
    for language, path, child_name, parent, line in inherit_columns.iter_rows():
        child = index.enclosing(path, child_name, line)
        if child is None:
            continue
        base = _base_type_text(parent)
        segments = _segments(base)
        target = (
            _resolve(
                language=language,
                path=path,
                text=base,
                name=segments[-1],
                owner=index.enclosing(path, child.parent, child.start_line),
                labels=_TYPE,
                index=index,
            )
            if segments
            else None
        )
        if target is not None and target.id == child.id:
            target = None  # `impl Foo` does not inherit from itself
        edges.add(child.id, target.id if target else None, "INHERITS_FROM", base)
    frame = edges.frame().unique(maintain_order=True)
    return finish_table(frame, table_schema=schemas.CPG_EDGES, sort_key="cpg_edges")
