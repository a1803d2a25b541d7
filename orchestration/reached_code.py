"""What a node's function reaches in the project's own code, as one digest for its code version.

Hamilton's ``HamiltonNode.version`` hashes the node's own function only: a change to a helper it
calls, a class it builds or a schema constant it names left every cache key (and Dagster code
version) as it was, so a cached build kept the old helper's output. ``Reach.digest`` covers the
code the function reaches, transitively:

- the names its code uses (``co_names`` of its code object and of the code objects nested in it:
  globals, attributes, methods), its annotations (a parameter's class is where its methods are)
  and the values in its defaults and closure, looked up in the function's own ``__globals__``
  (a function made by ``exec`` with other globals: a name is its value there); a name a module
  imports only under ``if TYPE_CHECKING:`` (an annotation's class) through that import;
- an imported project module (``schemas``) contributes the attributes of it those names hold
  (``schemas.CPG_EDGES``: ``CPG_EDGES`` is among the names), and its PEP 562 ``__getattr__`` when
  one of them is not a member; a project module the function imports in its body is imported
  then (``_run_import``), so it counts before the function ran;
- names as strings: a string constant that is an identifier is an attribute name too
  (``getattr(m, "f")``), a dotted one an import when the code names ``import_module`` or
  ``__import__``, a global name when it names ``globals``; code naming ``getattr``
  (``attrgetter``, ``vars``, ``__dict__``) may make a member's name at run time, so each project
  module it names is covered by its whole file (``globals()``: its own module's); a
  module whose name is made at run time is not covered (the dataflow's one, the language rules
  ``languages.rules_for`` imports, is in ``extractor_version``);
- a function contributes its bytecode (code object fields without line numbers, file name or
  docstring: moving it or editing a comment changes nothing) and what it reaches in turn; a
  project ``functools.wraps`` wrapper is a function like any (its closure holds the wrapped one;
  a wrapped node reaches its wrappers); a ``functools.singledispatch`` function its registry;
- a class its methods, properties, class attributes, project bases and metaclass; a dataclass
  its parameters and its fields in order (defaults, default factories), from which Python
  generates its ``__init__`` and ``__eq__``;
- a module-level constant the source of the statements that bind it in its module (the
  ``ast.unparse`` text of ``X = ...``, and ``X[k] = ...`` / ``X.update(...)`` at top level, and
  a decorator or top-level call that writes it: ``@register("a", 1)`` or ``_fill()`` whose
  function names it, ``@X.add(..)``; a script's ``if __name__ == "__main__":`` block is not read),
  the names they use, and the functions and classes its value holds (a registry dict; its other
  data is not fed: module-level containers are also caches and pools that running fills, and a
  version must not depend on what ran, so a registry written by a decorator in another module is
  not covered); a constant imported from another project module (``from m import X``, ``from m
  import *``) is that module's;
- a decorated function (Hamilton's decorators keep themselves on it) what its decorators' source
  names (``@check_output_custom(*table_checks(schema=schemas.CPG_EDGES))``: ``table_checks``, the
  validators it builds, ``CPG_EDGES``).

Project code is code whose file is in none of the interpreter's library folders (stdlib,
site-packages): ``hamilton_modules``, ``orchestration``, a test's generated modules (a dataflow
installed into site-packages, not editable, would count as third-party). Third-party code is never
read: the versions of Python and of the libraries whose behaviour decides values beyond what data
versions say (``VERSIONED_LIBRARIES``, ``library_versions``) are in every digest; the tree-sitter
wheels are in the extraction's own ``extractor_version``. What cannot be resolved to a definition
(a constant bound by a loop or ``globals()``, a default or class attribute of an unknown type) is
covered coarsely by its module's file digest: it misses on any change of that module, never a
stale hit.

Cost: functions and classes are read from the live objects (no source, no parsing). Constants need
their module's syntax tree: the constants of a source file (``FileConstants``) are a function of
its bytes, kept in the persistent code-version store under the file's digest, so a warm process
parses nothing and a cold one parses each project module that holds a reached constant once.
The digest therefore does not depend on whether the store was warm.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import dis
import enum
import functools
import hashlib
import importlib.metadata
import importlib.util
import inspect
import json
import os
import re
import site
import sys
import sysconfig
import threading
import types
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orchestration.code_versions import CodeVersionStore, SourceFiles

# Bumped when what a digest covers changes: every code version changes once.
REACH_FORMAT = "reach-3"
# Third-party libraries whose behaviour decides the dataflow's values beyond what data versions
# say (a polars frame's data version carries the polars version; a node reading files does not).
VERSIONED_LIBRARIES = ("sf-hamilton", "polars", "pyarrow", "rustworkx")

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HEAD_IDENTIFIER = re.compile(r"(?<![.\w])[A-Za-z_][A-Za-z0-9_]*")
_BUILTINS = frozenset(vars(builtins))
# Code naming one of these may reach a member by a name it makes at run time
# (`getattr(m, prefix + kind)`): a project module it names is covered by its whole file.
_DYNAMIC_ACCESS = frozenset({"getattr", "attrgetter", "methodcaller", "vars", "__dict__"})
# Code naming one of these may import a module its strings name (`import_module("m")`).
_DYNAMIC_IMPORT = frozenset({"import_module", "__import__"})
_NAMING_BUILTINS = frozenset({"__import__", "globals"})


@functools.cache
def library_versions() -> str:
    """``python3.11|sf-hamilton=1.x|polars=...``: read once per process."""
    parts = [f"python{sys.version_info.major}.{sys.version_info.minor}"]
    for distribution in VERSIONED_LIBRARIES:
        try:
            version = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        parts.append(f"{distribution}={version}")
    return "|".join(parts)


@functools.cache
def _library_roots() -> tuple[str, ...]:
    """Folders of the interpreter's libraries (a file under one is not project code)."""
    roots: set[str] = set()
    paths = sysconfig.get_paths()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        if paths.get(key):
            roots.add(paths[key])
    for getter in (site.getsitepackages, site.getusersitepackages):
        try:
            found = getter()
        except AttributeError:  # a virtualenv's old site.py
            continue
        roots.update([found] if isinstance(found, str) else found)
    return tuple(sorted({os.path.realpath(root) + os.sep for root in roots}))


@functools.cache
def is_project_file(filename: str) -> bool:
    """A ``.py`` file on disk outside the interpreter's library folders."""
    if not filename.endswith(".py") or not os.path.isfile(filename):
        return False
    real = os.path.realpath(filename)
    return not real.startswith(_library_roots())


def _module_file(module: types.ModuleType | None) -> str | None:
    filename = getattr(module, "__file__", None) if module is not None else None
    return filename if isinstance(filename, str) and is_project_file(filename) else None


# --- constants of a source file -----------------------------------------------------------------


@dataclass(frozen=True)
class FileConstants:
    """A source file's top-level bindings other than functions and classes, from its syntax tree.

    ``constants``: name -> (digest of the statements binding or mutating it, the names they use
    as globals, the names they use as attributes);
    ``imports``: name -> (relative level, module, imported attribute or None for ``import m``);
    ``decorators``: a decorated function's or class's name -> (the names its decorators use as
    globals, as attributes): ``@check_output_custom(*table_checks(schema=schemas.X))`` runs
    ``table_checks`` and names ``schemas.X``, none of which is in the function's code;
    ``stars``: the (relative level, module) of each ``from m import *``, in order.
    """

    constants: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]
    imports: dict[str, tuple[int, str, str | None]]
    decorators: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    stars: tuple[tuple[int, str], ...] = ()

    def to_json(self) -> str:
        document = {
            "constants": self.constants,
            "imports": self.imports,
            "decorators": self.decorators,
            "stars": self.stars,
        }
        return json.dumps(document, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> FileConstants | None:
        try:
            document = json.loads(text)
            constants = {
                str(name): (
                    str(digest),
                    tuple(str(n) for n in used),
                    tuple(str(n) for n in attributes),
                )
                for name, (digest, used, attributes) in document["constants"].items()
            }
            imports = {
                str(name): (int(level), str(module), None if attr is None else str(attr))
                for name, (level, module, attr) in document["imports"].items()
            }
            decorators = {
                str(name): (tuple(str(n) for n in used), tuple(str(n) for n in attributes))
                for name, (used, attributes) in document["decorators"].items()
            }
            stars = tuple((int(level), str(module)) for level, module in document["stars"])
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        return cls(constants=constants, imports=imports, decorators=decorators, stars=stars)


def file_constants(tree: ast.Module) -> FileConstants:
    """The constants and imports of a module's syntax tree (statements nested in top-level
    ``if``/``try`` blocks count: ``if TYPE_CHECKING:``, ``try: import x except ImportError:``)."""
    statements: dict[str, list[str]] = {}
    names: dict[str, tuple[set[str], set[str]]] = {}
    imports: dict[str, tuple[int, str, str | None]] = {}
    decorators: dict[str, tuple[set[str], set[str]]] = {}
    stars: list[tuple[int, str]] = []
    others: list[ast.stmt] = []
    definitions: dict[str, list[ast.stmt]] = {}
    decorated: list[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef] = []
    for statement in _top_level(tree.body):
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            definitions.setdefault(statement.name, []).append(statement)
            for decorator in statement.decorator_list:
                used, attributes = _used_names(decorator)
                known = decorators.setdefault(statement.name, (set(), set()))
                known[0].update(used)
                known[1].update(attributes)
            if statement.decorator_list:
                decorated.append(statement)
            continue
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname:
                    imports[alias.asname] = (0, alias.name, None)
                else:  # `import a.b` binds `a`
                    head = alias.name.split(".")[0]
                    imports[head] = (0, head, None)
            continue
        if isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                if alias.name == "*":
                    stars.append((statement.level, statement.module or ""))
                else:
                    imports[alias.asname or alias.name] = (
                        statement.level,
                        statement.module or "",
                        alias.name,
                    )
            continue
        bound = _bound_names(statement)
        if not bound:
            others.append(statement)
            continue
        _add_statement(statement, bound, statements, names)
    # A top-level call or loop (`REGISTRY.update(...)`, `for k in ..: TABLE[k] = ..`) changes the
    # constants it names.
    # So does a call of the module's function that writes one (`_fill()`: `TABLE[k] = ..`).
    for statement in others:
        used = _used_names(statement)[0] & statements.keys()
        used |= _written_by(statement, definitions, statements.keys())
        if used:
            _add_statement(statement, used, statements, names)
    # A decorator runs at import time too: `@register("a", 1)` writes what `register` names
    # (`REGISTRY[name] = value`), `@REGISTRY.add("a")` the registry it is a method of.
    for definition in decorated:
        for decorator in definition.decorator_list:
            written = _written_by(decorator, definitions, statements.keys())
            if written:
                text = f"@{ast.unparse(decorator)} {definition.name}"
                _add_statement(decorator, written, statements, names, text=text)
    constants = {
        name: (
            hashlib.sha256("\n".join(texts).encode()).hexdigest(),
            tuple(sorted(names[name][0])),
            tuple(sorted(names[name][1])),
        )
        for name, texts in statements.items()
    }
    return FileConstants(
        constants=constants,
        imports=imports,
        decorators={
            name: (tuple(sorted(used)), tuple(sorted(attributes)))
            for name, (used, attributes) in decorators.items()
        },
        stars=tuple(stars),
    )


_MAIN_GUARDS = frozenset({"__name__ == '__main__'", "'__main__' == __name__"})


def _top_level(body: Iterable[ast.stmt]) -> Iterable[ast.stmt]:
    for statement in body:
        if isinstance(statement, ast.If) and ast.unparse(statement.test) in _MAIN_GUARDS:
            yield from _top_level(statement.orelse)  # the body runs as a script, not on import
            continue
        if isinstance(statement, ast.If | ast.Try):
            yield from _top_level(statement.body)
            yield from _top_level(statement.orelse)
            if isinstance(statement, ast.Try):
                for handler in statement.handlers:
                    yield from _top_level(handler.body)
                yield from _top_level(statement.finalbody)
            continue
        if (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        ):
            continue  # a docstring
        yield statement


def _bound_names(statement: ast.stmt) -> set[str]:
    """Module-level names an assignment binds or changes (``X = ..``, ``X[k] = ..``, ``X.a = ..``,
    and a comprehension's ``(y := ..)``, which binds in the module)."""
    if isinstance(statement, ast.Assign):
        targets: list[ast.expr] = list(statement.targets)
    elif isinstance(statement, ast.AnnAssign | ast.AugAssign):
        targets = [statement.target]
    else:
        targets = []
    targets.extend(node.target for node in ast.walk(statement) if isinstance(node, ast.NamedExpr))
    bound: set[str] = set()
    while targets:
        target = targets.pop()
        if isinstance(target, ast.Name):
            bound.add(target.id)
        elif isinstance(target, ast.Tuple | ast.List):
            targets.extend(target.elts)
        elif isinstance(target, ast.Starred | ast.Subscript | ast.Attribute):
            targets.append(target.value)
    return bound


def _used_names(statement: ast.AST) -> tuple[set[str], set[str]]:
    """The names a statement (or expression) uses as globals and as attributes."""
    used: set[str] = set()
    attributes: set[str] = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            attributes.add(node.attr)
    return used, attributes


def _written_by(
    code: ast.AST, definitions: dict[str, list[ast.stmt]], constants: Iterable[str]
) -> set[str]:
    """The module's constants a decorator (or a top-level statement) may change when it runs:
    the receivers of its method calls (``@REGISTRY.add(..)``), the names passed to a function of
    the module, and the names used by the module's functions it calls, transitively
    (``register``'s ``REGISTRY[k] = v``). A function of another module that writes its own
    module's registry is not followed."""
    known = set(constants)
    written: set[str] = set()
    called: list[str] = []
    for node in ast.walk(code):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            written.add(node.value.id)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in definitions
        ):
            called.append(node.func.id)
            for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                written.update(_used_names(argument)[0])
    if isinstance(code, ast.Name) and code.id in definitions:  # `@register`
        called.append(code.id)
    seen: set[str] = set()
    while called:
        name = called.pop()
        if name in seen:
            continue
        seen.add(name)
        for definition in definitions[name]:
            used = _used_names(definition)[0]
            written.update(used)
            called.extend(used & definitions.keys())
    return written & known


def _add_statement(
    statement: ast.AST,
    bound: Iterable[str],
    statements: dict[str, list[str]],
    names: dict[str, tuple[set[str], set[str]]],
    *,
    text: str | None = None,
) -> None:
    text = ast.unparse(statement) if text is None else text
    used, attributes = _used_names(statement)
    for name in bound:
        statements.setdefault(name, []).append(text)
        known = names.setdefault(name, (set(), set()))
        known[0].update(used - {name})
        known[1].update(attributes)


# --- digests of live objects ---------------------------------------------------------------------


def _code_digest(code: types.CodeType, hasher: Any, *, docstring: str | None = None) -> None:
    """Feed a code object's meaning (no line numbers, file name or the function's docstring)."""
    for part in (
        code.co_qualname if hasattr(code, "co_qualname") else code.co_name,
        code.co_argcount,
        code.co_posonlyargcount,
        code.co_kwonlyargcount,
        code.co_flags,
        code.co_names,
        code.co_varnames,
        code.co_freevars,
        code.co_cellvars,
    ):
        hasher.update(repr(part).encode() + b"\0")
    hasher.update(code.co_code)
    hasher.update(getattr(code, "co_exceptiontable", b""))
    for index, constant in enumerate(code.co_consts):
        if index == 0 and docstring is not None and constant == docstring:
            hasher.update(b"<doc>\0")
        elif isinstance(constant, types.CodeType):
            hasher.update(b"<code>\0")
            _code_digest(constant, hasher)
        else:
            hasher.update(_constant_text(constant).encode() + b"\0")


def _constant_text(value: Any) -> str:
    """A code constant as text that does not depend on ``PYTHONHASHSEED`` (frozensets sorted)."""
    if isinstance(value, frozenset | set):
        return "{" + ",".join(sorted(_constant_text(item) for item in value)) + "}"
    if isinstance(value, tuple):
        return "(" + ",".join(_constant_text(item) for item in value) + ")"
    if isinstance(value, types.CodeType):
        hasher = hashlib.sha256()
        _code_digest(value, hasher)
        return hasher.hexdigest()
    return f"{type(value).__name__}:{value!r}"


def _feed_dataclass(cls: type, fields: dict[str, Any], feed: _ValueFeed) -> bool:
    """Feed what a dataclass's generated methods (``__init__``, ``__eq__``: ``<string>`` code, not
    the project's) are made from: its parameters, its fields in order with their options, and
    their default factories (a default is a class attribute, fed with the others; a factory is
    in none)."""
    parts = [repr(cls.__dict__.get("__dataclass_params__"))]
    for name, spec in fields.items():
        parts.append(
            f"{name}:{spec._field_type!r}:{spec.init}:{spec.repr}:{spec.hash}:{spec.compare}:"
            f"{spec.kw_only}"
        )
        if spec.default_factory is not dataclasses.MISSING:
            feed(spec.default_factory, f"factory {name}")
        if spec.metadata:
            feed(dict(spec.metadata), f"metadata {name}")
    feed("\n".join(parts), "dataclass")
    return True


def _generated(value: Any) -> bool:
    """A function compiled from generated source (a dataclass's ``__init__``; its ``__repr__`` is
    wrapped by ``reprlib.recursive_repr``)."""
    while isinstance(value, types.FunctionType):
        if value.__code__.co_filename == "<string>":
            return True
        value = getattr(value, "__wrapped__", None)
    return False


def _opcodes(*names: str) -> frozenset[int]:
    return frozenset(dis.opmap[name] for name in names if name in dis.opmap)


_GLOBAL_OPS = _opcodes("LOAD_GLOBAL", "LOAD_NAME", "STORE_GLOBAL", "DELETE_GLOBAL")
_ATTRIBUTE_OPS = _opcodes("LOAD_ATTR", "LOAD_METHOD", "IMPORT_FROM", "LOAD_SUPER_ATTR")
_IMPORT_OPS = _opcodes("IMPORT_NAME")
_EXTENDED_ARG = dis.EXTENDED_ARG
_IMPORT_FROM = dis.opmap["IMPORT_FROM"]
_IMPORT_NAME_BYTE = bytes([dis.opmap["IMPORT_NAME"]])
# Opcode -> b"\x01" for the instructions that name something (a bytes.translate table).
_NAME_OPCODES = bytes(
    int(opcode in _GLOBAL_OPS | _ATTRIBUTE_OPS | _IMPORT_OPS) for opcode in range(256)
)
_NAME_INSTRUCTION = re.compile(b"\x01")
# How many low bits of the argument are flags, not the index into co_names (dis does the same).
_NAME_SHIFTS = {dis.opmap["LOAD_GLOBAL"]: 1} if sys.version_info >= (3, 11) else {}
if sys.version_info >= (3, 12):
    _NAME_SHIFTS |= {dis.opmap["LOAD_ATTR"]: 1, dis.opmap["LOAD_SUPER_ATTR"]: 2}


@dataclass
class _CodeNames:
    """Names a code object and the code nested in it use: as globals (``f(..)``, an imported
    module ``schemas``), as attributes (``.CPG_EDGES``, ``.get_many``), as imports done in
    the function (``import hamilton_modules.x``) and as strings (``getattr(m, "f")``,
    ``import_module("m")``: its string constants that are identifiers or hold a dot)."""

    globals: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)
    imports: set[str] = field(default_factory=set)
    imported: set[str] = field(default_factory=set)  # `from m import x` in the function: x
    strings: set[str] = field(default_factory=set)


def _code_names(code: types.CodeType, found: _CodeNames | None = None) -> _CodeNames:
    """The bytecode's name instructions, found by a byte search (``dis.get_instructions`` costs
    ~50x more, a loop over every instruction ~10x: every function the dataflow reaches is read in
    every fresh process)."""
    found = found if found is not None else _CodeNames()
    names = code.co_names
    data = code.co_code
    opcodes, arguments = data[::2], data[1::2]
    for match in _NAME_INSTRUCTION.finditer(opcodes.translate(_NAME_OPCODES)):
        at = match.start()
        opcode, argument = opcodes[at], arguments[at]
        before, shift = at - 1, 8
        while before >= 0 and opcodes[before] == _EXTENDED_ARG:
            argument |= arguments[before] << shift
            before, shift = before - 1, shift + 8
        index = argument >> _NAME_SHIFTS.get(opcode, 0)
        if index >= len(names):
            continue
        if opcode in _GLOBAL_OPS:
            found.globals.add(names[index])
        elif opcode in _ATTRIBUTE_OPS:
            found.attributes.add(names[index])
            if opcode == _IMPORT_FROM:
                found.imported.add(names[index])
        else:
            found.imports.add(names[index])
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            _code_names(constant, found)
        elif type(constant) is str and (constant.isidentifier() or "." in constant):
            found.strings.add(constant)  # a dotted one is checked when it may be an import
    return found


def _is_dotted_name(text: str) -> bool:
    """``pkg.m``: a string that may name a module."""
    return all(part.isidentifier() for part in text.split("."))


def _may_name_anything(code: types.CodeType, globals_: dict[str, Any]) -> bool:
    """Whether the code can name something to resolve: one of its names is a global of its
    module, or it may import (an IMPORT_NAME byte anywhere: a cheap over-estimate), or it names
    a builtin that finds code by a string (``__import__``, ``globals``). Most of a generated
    dataflow's functions name nothing and skip the bytecode scan."""
    if (
        _IMPORT_NAME_BYTE in code.co_code
        or not globals_.keys().isdisjoint(code.co_names)
        or not _NAMING_BUILTINS.isdisjoint(code.co_names)
    ):
        return True
    return any(
        _may_name_anything(constant, globals_)
        for constant in code.co_consts
        if isinstance(constant, types.CodeType)
    )


def _annotation_names(annotations: Any) -> tuple[set[str], set[str]]:
    """Identifiers of annotations as globals and attributes. A string's (under ``from __future__
    import annotations``) globals are the heads of its dotted names (``pl`` of ``pl.DataFrame``:
    ``DataFrame`` names no global of the module, nor one a type checker imports)."""
    globals_: set[str] = set()
    attributes: set[str] = set()
    if not isinstance(annotations, dict):
        return globals_, attributes
    for value in annotations.values():
        if isinstance(value, str):
            heads, identifiers = _identifiers(value)
            globals_.update(heads)
            attributes.update(identifiers)
        elif isinstance(value, type):
            globals_.add(value.__name__)
            attributes.add(value.__name__)
        else:  # list[Foo], Optional[Foo]: every name in its repr (qualified: pkg.mod.Foo)
            identifiers = _identifiers(repr(value))[1]
            globals_.update(identifiers)
            attributes.update(identifiers)
    return globals_, attributes


@functools.lru_cache(maxsize=4096)
def _identifiers(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The identifiers of a text that follow no ``.``, and all of them."""
    return frozenset(_HEAD_IDENTIFIER.findall(text)), frozenset(_IDENTIFIER.findall(text))


@dataclass(eq=False)
class _Unit:
    """One reached definition: its own digest and the definitions it reaches directly."""

    label: str  # what it is ("function m.f", "constant m.X", "module m"): for tests and debugging
    reaches: list[_Unit] = field(default_factory=list)
    known_digest: str | None = None
    # A function's digest is made when first read: a node's own function is read only if
    # another function reaches it.
    code: types.CodeType | None = None
    docstring: str | None = None
    fed: str = ""  # the digest of its defaults and closure

    @property
    def digest(self) -> str:
        if self.known_digest is None:
            hasher = hashlib.sha256(b"function\0")
            if self.code is not None:
                _code_digest(self.code, hasher, docstring=self.docstring)
            hasher.update(self.fed.encode())
            self.known_digest = hasher.hexdigest()
        return self.known_digest


_ValueFeed = Callable[[Any, str], None]


class Reach:
    """Resolves what functions reach; one per process (``reach``), memoised per live object.

    Functions and classes are keyed by the object (weakly: a reloaded module's old objects go),
    constants by their module object and name.
    """

    def __init__(self) -> None:
        self._units: weakref.WeakKeyDictionary[Any, _Unit] = weakref.WeakKeyDictionary()
        self._constants: weakref.WeakKeyDictionary[types.ModuleType, dict[str, _Unit | None]] = (
            weakref.WeakKeyDictionary()
        )
        self._modules: weakref.WeakKeyDictionary[types.ModuleType, _Unit] = (
            weakref.WeakKeyDictionary()
        )
        self._file_constants: dict[str, FileConstants] = {}
        self._module_constants: weakref.WeakKeyDictionary[
            types.ModuleType, FileConstants | None
        ] = weakref.WeakKeyDictionary()
        # Plans are built and nodes versioned from several threads (ops, the cache adapter).
        self._lock = threading.RLock()

    def digest(
        self,
        function: Callable[..., Any],
        *,
        store: CodeVersionStore,
        files: SourceFiles | None = None,
    ) -> str:
        """sha256 over the digests of everything ``function`` reaches (itself excluded: its own
        version is Hamilton's) and the library versions."""
        with self._lock:
            self._store, self._files = store, files
            digests = sorted({unit.digest for unit in self._reached(function)})
        hasher = hashlib.sha256(f"{REACH_FORMAT}|{library_versions()}".encode())
        for digest in digests:
            hasher.update(digest.encode())
        return hasher.hexdigest()

    def labels(self, function: Callable[..., Any], *, store: CodeVersionStore) -> list[str]:
        """What ``function`` reaches, by label ("function m.f", "constant m.X"): for tests."""
        with self._lock:
            self._store, self._files = store, None
            return sorted(unit.label for unit in self._reached(function))

    def _reached(self, function: Callable[..., Any]) -> list[_Unit]:
        try:
            unwrapped = inspect.unwrap(function)
        except ValueError:
            unwrapped = function
        if not isinstance(unwrapped, types.FunctionType):
            return []  # a builtin or a callable object: Hamilton's version alone
        # A nested function or a lambda is covered like a top-level one: its closure's values
        # are fed like defaults (what made them is not what runs).
        pending = list(self._function_unit(unwrapped).reaches)
        if unwrapped is not function:
            # Wrapped (functools.wraps): what runs first is the project's wrappers (the node's
            # own version is the wrapped function's source), and the decorators that made them.
            wrapper: Any = function
            while wrapper is not unwrapped and isinstance(wrapper, types.FunctionType):
                if is_project_file(wrapper.__code__.co_filename):
                    pending.append(self._function_unit(wrapper))
                wrapper = getattr(wrapper, "__wrapped__", None)
            self._resolve_decorators(unwrapped, pending)
        reached: dict[int, _Unit] = {}
        while pending:
            unit = pending.pop()
            if id(unit) not in reached:
                reached[id(unit)] = unit
                pending.extend(unit.reaches)
        return list(reached.values())

    # -- functions and classes

    def _function_unit(self, function: types.FunctionType) -> _Unit:
        try:
            return self._units[function]
        except KeyError:
            pass
        unit = _Unit(
            label=f"function {function.__module__}.{function.__qualname__}",
            code=function.__code__,
            docstring=function.__doc__ if isinstance(function.__doc__, str) else None,
        )
        self._units[function] = unit  # before its reaches: recursion ends here
        hasher = hashlib.sha256()
        reaches: list[_Unit] = []
        names = (
            _code_names(function.__code__)
            if _may_name_anything(function.__code__, function.__globals__)
            else _CodeNames()
        )
        annotated, annotated_attributes = _annotation_names(
            getattr(function, "__annotations__", None)
        )
        names.globals |= annotated
        names.attributes |= annotated_attributes
        self._resolve_names(names, function.__globals__, reaches)
        module = sys.modules.get(function.__module__)
        if vars(function):
            # Decorated (Hamilton's decorators keep themselves on the function; functools.wraps
            # sets __wrapped__ on a wrapper, whose name and module are the wrapped function's).
            self._resolve_decorators(function, reaches)
        feed = self._value_feed(hasher, reaches, module)
        feed(function.__defaults__, "defaults")
        feed(function.__kwdefaults__, "kwdefaults")
        for cell in function.__closure__ or ():
            try:
                feed(cell.cell_contents, "cell")
            except ValueError:  # an empty cell
                hasher.update(b"<empty>\0")
        unit.fed = hasher.hexdigest()
        unit.reaches = reaches
        return unit

    def _resolve_decorators(self, function: types.FunctionType, reaches: list[_Unit]) -> None:
        """What the decorators of a module-level function name, read from its module's source."""
        module = sys.modules.get(function.__module__)
        if function.__qualname__ != function.__name__ or module is None:
            return
        constants = self._file_constants_of(module)
        used = constants.decorators.get(function.__name__) if constants is not None else None
        if used is not None:
            self._resolve_names(
                _CodeNames(set(used[0]), set(used[1])), function.__globals__, reaches
            )

    def _class_unit(self, cls: type) -> _Unit:
        try:
            return self._units[cls]
        except KeyError:
            pass
        hasher = hashlib.sha256(f"class\0{cls.__qualname__}\0".encode())
        unit = _Unit(label=f"class {cls.__module__}.{cls.__qualname__}")
        self._units[cls] = unit
        reaches: list[_Unit] = []
        module = sys.modules.get(cls.__module__)
        globals_ = vars(module) if module is not None else {}
        feed = self._value_feed(hasher, reaches, module)
        for base in cls.__bases__:
            feed(base, "base")
        if type(cls) is not type:  # a metaclass's __call__ / __new__ run when the class is used
            feed(type(cls), "metaclass")
        annotated, annotated_attributes = _annotation_names(inspect.get_annotations(cls))
        self._resolve_names(_CodeNames(annotated, annotated_attributes), globals_, reaches)
        fields = cls.__dict__.get("__dataclass_fields__")
        generated = isinstance(fields, dict) and _feed_dataclass(cls, fields, feed)
        for name in sorted(cls.__dict__):
            value = cls.__dict__[name]
            if generated and _generated(value):
                continue  # made from the fields and parameters fed above
            # Unwrapped before the dunder check: Python stores __new__ as a staticmethod and
            # __init_subclass__ / __class_getitem__ as classmethods, and they are code that runs.
            if isinstance(value, staticmethod | classmethod):
                value = value.__func__
            dunder = name.startswith("__") and name.endswith("__")
            if name == "_abc_impl" or (
                dunder
                and name not in ("__slots__", "__match_args__")
                and not isinstance(value, types.FunctionType)
            ):
                continue  # machinery (__dict__, __dataclass_fields__; annotations are above)
            if isinstance(value, property):
                value = (value.fget, value.fset, value.fdel)
            if isinstance(value, functools.cached_property):
                value = value.func
            feed(value, name)
        unit.known_digest = hasher.hexdigest()
        unit.reaches = reaches
        return unit

    def _value_feed(
        self, hasher: Any, reaches: list[_Unit], module: types.ModuleType | None
    ) -> _ValueFeed:
        """Feed a value (a default, a class attribute, a constant's value) into ``hasher``:
        project functions and classes it holds become units it reaches."""

        def feed(value: Any, label: str) -> None:
            hasher.update(f"{label}\0{fingerprint(value, 0)}\0".encode())

        def fingerprint(value: Any, depth: int) -> str:
            if value is None or isinstance(value, str | bytes | int | float | complex | bool):
                return repr(value)
            if isinstance(value, types.FunctionType | type | types.ModuleType | functools.partial):
                unit = self._object_unit(value)
                if unit is None:
                    return (
                        f"<{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}>"
                    )
                reaches.append(unit)
                # Its own digest is among the reached ones; its name says which value it is
                # (`{"a": f, "b": g}` is not `{"a": g, "b": f}`).
                return f"<ref {getattr(value, '__qualname__', '')}>"
            if isinstance(value, enum.Enum):
                return f"{type(value).__qualname__}.{value.name}"
            if isinstance(value, re.Pattern):
                return f"re:{value.pattern!r}:{value.flags}"
            if isinstance(value, tuple | list | set | frozenset | dict) and depth < 4:
                if isinstance(value, dict):
                    texts = [
                        f"{fingerprint(key, depth + 1)}:{fingerprint(item, depth + 1)}"
                        for key, item in list(value.items())[:10_000]
                    ]
                else:
                    texts = [fingerprint(item, depth + 1) for item in list(value)[:10_000]]
                if isinstance(value, set | frozenset | dict):
                    # A str's hash, so a set's order (and a dict's made from one), varies by
                    # process: sorted, the text does not.
                    texts.sort()
                text = ",".join(texts)
                return f"{type(value).__name__}({hashlib.sha256(text.encode()).hexdigest()})"
            # An object of another type: its class, and its module's file covers how it was made.
            kind = self._object_unit(type(value))
            if kind is not None:
                reaches.append(kind)
            coarse = self._module_unit(module)
            if coarse is not None:
                reaches.append(coarse)
            return f"<{type(value).__module__}.{type(value).__qualname__}>"

        return feed

    def _object_unit(self, value: Any) -> _Unit | None:
        """The unit of a project function, class or module (None: third-party or builtin)."""
        if isinstance(value, functools.partial):
            return self._object_unit(value.func)
        if isinstance(value, types.FunctionType):
            # A project wrapper (functools.wraps) is what runs: its closure holds the wrapped
            # function. A third-party one is not read: the project function it wraps is.
            if not is_project_file(value.__code__.co_filename):
                registry = getattr(value, "registry", None)
                if isinstance(registry, types.MappingProxyType) and hasattr(value, "dispatch"):
                    return self._dispatch_unit(value, registry)
                try:
                    value = inspect.unwrap(value)
                except ValueError:
                    return None
            if not isinstance(value, types.FunctionType) or not is_project_file(
                value.__code__.co_filename
            ):
                return None
            return self._function_unit(value)
        if isinstance(value, type):
            module = sys.modules.get(value.__module__)
            return self._class_unit(value) if _module_file(module) is not None else None
        return None

    def _dispatch_unit(
        self, function: types.FunctionType, registry: types.MappingProxyType[Any, Any]
    ) -> _Unit | None:
        """A ``functools.singledispatch`` function: a call runs the implementation registered
        for its argument's type (the generic one is ``registry[object]``)."""
        try:
            return self._units[function]
        except KeyError:
            pass
        unit = _Unit(label=f"singledispatch {function.__module__}.{function.__qualname__}")
        self._units[function] = unit
        hasher = hashlib.sha256(b"singledispatch\0")
        reaches: list[_Unit] = []
        module = sys.modules.get(function.__module__)
        self._value_feed(hasher, reaches, module)(dict(registry), "registry")
        unit.known_digest = hasher.hexdigest()
        unit.reaches = reaches
        return unit

    # -- names

    def _resolve_names(
        self, names: _CodeNames, globals_: dict[str, Any], reaches: list[_Unit]
    ) -> None:
        """Units of the names a piece of code uses, looked up in its globals (a function's own
        ``__globals__``: not its module's for one made by ``exec`` or ``types.FunctionType``);
        a project module among them (or imported by the code) contributes its members named as
        attributes."""
        module = sys.modules.get(str(globals_.get("__name__")))
        if module is not None and vars(module) is not globals_:
            module = None  # other globals: their values, not the module's source, say what runs
        # Names as strings: a string that is an identifier may be a member's name
        # (`getattr(m, "f")`), a dotted one a module's (`import_module("pkg.m")`).
        attributes = sorted(
            names.attributes | {text for text in names.strings if "." not in text}
            if names.strings
            else names.attributes
        )
        dynamic = not (
            _DYNAMIC_ACCESS.isdisjoint(names.globals)
            and _DYNAMIC_ACCESS.isdisjoint(names.attributes)
        )
        imports = names.imports
        if names.strings and not (
            _DYNAMIC_IMPORT.isdisjoint(names.globals)
            and _DYNAMIC_IMPORT.isdisjoint(names.attributes)
        ):
            imports = imports | {text for text in names.strings if _is_dotted_name(text)}
        global_names = names.globals
        if "globals" in names.globals:
            # `globals()["f"]`: the module's members by name and, for a name made at run time,
            # the module's whole file.
            global_names = names.globals | {text for text in names.strings if "." not in text}
            coarse = self._module_unit(module)
            if coarse is not None:
                reaches.append(coarse)
        unbound: list[str] = []
        for name in sorted(global_names):
            if name.startswith("__") and name.endswith("__"):
                continue  # __file__, __name__: where the module is, not code
            value = globals_.get(name)
            if isinstance(value, types.ModuleType):
                self._resolve_module_members(value, attributes, reaches, set())
                coarse = self._module_unit(value) if dynamic else None
                if coarse is not None:
                    reaches.append(coarse)
            elif name in globals_ and module is not None:
                unit = self._member_unit(module, name)
                if unit is not None:
                    reaches.append(unit)
            elif name in globals_:
                reaches.append(self._value_unit(name, value))
            elif name not in _BUILTINS:
                unbound.append(name)
        if unbound and module is not None:
            self._resolve_type_checking(module, unbound, attributes, reaches)
        package = str(globals_.get("__package__") or "")
        for imported in sorted(imports):
            target = _run_import(imported) or (
                _run_import(f"{package}.{imported}") if package else None
            )
            if target is None:
                continue
            # `from pkg import sub` in the function: sub may be a module nobody imported yet.
            for name in sorted(names.imported):
                submodule = _run_import(f"{target.__name__}.{name}")
                if submodule is not None:
                    self._resolve_module_members(submodule, attributes, reaches, set())
            self._resolve_module_members(target, attributes, reaches, set())

    def _value_unit(self, name: str, value: Any) -> _Unit:
        """A name in globals that are no module's: its value (no source binds it)."""
        hasher = hashlib.sha256(f"value\0{name}\0".encode())
        unit = _Unit(label=f"value {name}")
        wrapped = getattr(value, "__wrapped__", None)  # functools.cache and friends
        if callable(value) and isinstance(wrapped, types.FunctionType):
            value = wrapped
        self._value_feed(hasher, unit.reaches, None)(value, "value")
        unit.known_digest = hasher.hexdigest()
        return unit

    def _resolve_type_checking(
        self,
        module: types.ModuleType,
        names: list[str],
        attributes: list[str],
        reaches: list[_Unit],
    ) -> None:
        """Names the module imports only for a type checker (``if TYPE_CHECKING: from m import
        Box``), used by annotations (``box: Box``: ``box.area()`` runs ``Box``'s methods): the
        imports its syntax tree holds, imported now (nothing else may have)."""
        constants = self._file_constants_of(module)
        if constants is None:
            return
        for name in names:
            if name not in constants.imports:
                continue
            level, source, attribute = constants.imports[name]
            absolute = _absolute_name(module, level, source)
            target = _run_import(absolute) if absolute is not None else None
            if target is None:
                continue
            if attribute is not None:
                submodule = _run_import(f"{target.__name__}.{attribute}")
                if submodule is None:
                    unit = self._member_unit(target, attribute)
                    if unit is not None:
                        reaches.append(unit)
                    continue
                target = submodule
            self._resolve_module_members(target, attributes, reaches, set())

    def _resolve_module_members(
        self,
        module: types.ModuleType,
        names: list[str],
        reaches: list[_Unit],
        visited: set[str],
    ) -> None:
        """``module.X`` for each X among ``names`` (``pkg.sub.X``: through ``sub``)."""
        if module.__name__ in visited or _module_file(module) is None:
            return
        visited.add(module.__name__)
        members = vars(module)
        hook = members.get("__getattr__")  # PEP 562: makes the members the module does not hold
        for attribute in names:
            if attribute not in members:
                unit = self._object_unit(hook) if hook is not None else None
                if unit is not None:
                    reaches.append(unit)
                    hook = None
                continue
            value = members[attribute]
            if isinstance(value, types.ModuleType):
                self._resolve_module_members(value, names, reaches, visited)
                continue
            unit = self._member_unit(module, attribute)
            if unit is not None:
                reaches.append(unit)

    def _member_unit(self, module: types.ModuleType, name: str, depth: int = 0) -> _Unit | None:
        """The unit of ``module.name``: a function, class, submodule or constant."""
        value = vars(module).get(name)
        if isinstance(value, types.ModuleType):
            return None  # `from pkg import sub`: its members are resolved by _resolve_names
        if isinstance(value, types.FunctionType | type | functools.partial):
            return self._object_unit(value)
        if callable(value) and not isinstance(value, type):
            wrapped = getattr(value, "__wrapped__", None)  # functools.cache and friends
            if isinstance(wrapped, types.FunctionType):
                return self._object_unit(wrapped)
        if _module_file(module) is None or depth > 8:
            return None
        return self._constant_unit(module, name, depth)

    def _constant_unit(self, module: types.ModuleType, name: str, depth: int) -> _Unit | None:
        known = self._constants.setdefault(module, {})
        if name in known:
            return known[name]
        constants = self._file_constants_of(module)
        unit: _Unit | None
        if constants is not None and name in constants.constants:
            digest, used, attributes = constants.constants[name]
            hasher = hashlib.sha256(f"constant\0{name}\0{digest}\0".encode())
            unit = _Unit(label=f"constant {module.__name__}.{name}")
            known[name] = unit
            reaches: list[_Unit] = []
            self._resolve_names(_CodeNames(set(used), set(attributes)), vars(module), reaches)
            # The functions and classes its value holds (a registry filled by decorators).
            self._value_feed(hashlib.sha256(), reaches, None)(vars(module).get(name), "value")
            unit.known_digest = hasher.hexdigest()
            unit.reaches = reaches
            return unit
        if constants is not None and name in constants.imports:
            level, source, attribute = constants.imports[name]
            target = self._imported_module(module, level, source)
            if target is None or attribute is None:
                known[name] = None  # third-party
                return None
            unit = self._member_unit(target, attribute, depth + 1)
            known[name] = unit
            return unit
        if constants is not None:
            # `from m import *` (the last one binding it wins): m's member, if it is the object
            # the name holds (a later loop or globals() may have bound it again).
            value = vars(module).get(name)
            for level, source in reversed(constants.stars):
                target = self._imported_module(module, level, source)
                if target is not None and name in vars(target) and vars(target)[name] is value:
                    unit = self._member_unit(target, name, depth + 1)
                    known[name] = unit
                    return unit
        # Bound some other way (a loop, globals()): the whole file covers it.
        unit = self._module_unit(module)
        known[name] = unit
        return unit

    def _imported_module(
        self, module: types.ModuleType, level: int, source: str
    ) -> types.ModuleType | None:
        absolute = _absolute_name(module, level, source)
        target = sys.modules.get(absolute) if absolute is not None else None
        return target if _module_file(target) is not None else None

    # -- files

    def _module_unit(self, module: types.ModuleType | None) -> _Unit | None:
        """A project module's whole file (the coarse cover)."""
        filename = _module_file(module)
        if module is None or filename is None:
            return None
        if module in self._modules:
            return self._modules[module]
        source = self._store.source_file(filename, files=self._files)
        digest = source.digest if source is not None else f"unreadable:{filename}"
        unit = _Unit(label=f"module {module.__name__}", known_digest=digest)
        self._modules[module] = unit
        return unit

    def _file_constants_of(self, module: types.ModuleType) -> FileConstants | None:
        """The constants of the module's file, read once per live module (like its units)."""
        try:
            return self._module_constants[module]
        except KeyError:
            pass
        filename = _module_file(module)
        source = (
            self._store.source_file(filename, files=self._files) if filename is not None else None
        )
        found: FileConstants | None = None
        if source is not None:
            found = self._file_constants.get(source.digest)
            if found is None:
                found = self._store.file_constants(source)
                self._file_constants[source.digest] = found
        self._module_constants[module] = found
        return found


def _absolute_name(module: types.ModuleType, level: int, source: str) -> str | None:
    """The module ``from <level dots><source> import ..`` in ``module`` names."""
    if not level:
        return source
    try:
        return importlib.util.resolve_name("." * level + source, module.__package__ or "")
    except (ImportError, ValueError):
        return None


def _run_import(name: str) -> types.ModuleType | None:
    """The project module an import in a function's body names, imported now if it was not yet:
    a lazy import (``_extract_on_cluster``'s ``hamilton_modules.parse_cluster``) is in
    ``sys.modules`` only once the function ran, and a version must not depend on that."""
    module = sys.modules.get(name)
    if module is not None:
        return module if _module_file(module) is not None else None
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not isinstance(spec.origin, str) or not is_project_file(spec.origin):
        return None
    try:
        return importlib.import_module(name)
    except Exception:  # it fails when the function runs too: nothing to cover
        return None


_REACH = Reach()


def reach() -> Reach:
    return _REACH
