"""Python extraction: exact rows on small snippets, and a self-check against ``ast`` on stdlib."""

from __future__ import annotations

import ast
import sysconfig
from collections import Counter
from pathlib import Path

import pytest

from hamilton_modules import schemas
from hamilton_modules.languages import FileExtraction, extract_file, language_for_path
from hamilton_modules.languages.python import (
    python_element_type,
    python_index_type,
    python_returned_type,
)
from tests.dataflow_support import receiver_types

SOURCE = b'''\
"""Module docstring."""
import os.path as osp, sys
from . import sibling
from ..pkg.mod import (alpha as a, beta)
from collections import *
from __future__ import annotations


@register
@route("/x", methods=["GET"])
class Outer(Base, m.Mixin, Generic[T], metaclass=Meta):
    class Inner:
        def method(self):
            return self

    async def run(self, x=default()):
        import json as j
        def helper():
            pass
        return f(x)(y).z(obj.attr.call(1))


def top(a):
    class Local(object):
        pass
    type(a).attr = sys.intern("v")
    return [g(i) for i in range(3)]
'''


def _symbols(result: FileExtraction) -> list[tuple[object, ...]]:
    return [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"], s["end_line"])
        for s in result.symbols
    ]


@pytest.fixture(scope="module")
def result() -> FileExtraction:
    return extract_file("python", "pkg/sample.py", SOURCE)


def test_symbols_exact(result: FileExtraction) -> None:
    assert _symbols(result) == [
        ("class", "Outer", "Outer", None, 11, 20),
        ("class", "Inner", "Outer.Inner", "Outer", 12, 14),
        ("method", "method", "Outer.Inner.method", "Outer.Inner", 13, 14),
        ("method", "run", "Outer.run", "Outer", 16, 20),
        ("function", "helper", "Outer.run.helper", "Outer.run", 18, 19),
        ("function", "top", "top", None, 23, 27),
        ("class", "Local", "top.Local", "top", 24, 25),
    ]
    outer = result.symbols[0]
    # The row spans the class node, not the decorators: columns are bytes, 0-based.
    assert (outer["start_column"], outer["end_column"]) == (0, 42)


def test_imports_exact(result: FileExtraction) -> None:
    rows = [(i["module"], i["name"], i["alias"], i["enclosing"], i["line"]) for i in result.imports]
    assert rows == [
        (None, "os.path", "osp", None, 2),
        (None, "sys", None, None, 2),
        (".", "sibling", None, None, 3),
        ("..pkg.mod", "alpha", "a", None, 4),
        ("..pkg.mod", "beta", None, None, 4),
        ("collections", "*", None, None, 5),
        ("__future__", "annotations", None, None, 6),
        (None, "json", "j", "Outer.run", 17),
    ]


def test_calls_exact(result: FileExtraction) -> None:
    rows = sorted(
        (c["line"], c["column"], c["callee"], c["callee_name"], c["enclosing"])
        for c in result.calls
    )
    assert rows == [
        (10, 1, "route", "route", None),  # a decorator with arguments is a call, `@register` not
        (16, 26, "default", "default", "Outer.run"),
        (20, 15, "f", "f", "Outer.run"),
        (20, 15, "f(x)", "x", "Outer.run"),  # f(x)(y): two calls; callee_name = last identifier
        (20, 15, "f(x)(y).z", "z", "Outer.run"),
        (20, 25, "obj.attr.call", "call", "Outer.run"),
        (26, 4, "type", "type", "top"),  # `type(a).attr = ...` (parsed as a type alias statement)
        (26, 19, "sys.intern", "intern", "top"),
        (27, 12, "g", "g", "top"),
        (27, 26, "range", "range", "top"),
    ]
    assert len(result.calls) == sum(isinstance(n, ast.Call) for n in ast.walk(ast.parse(SOURCE)))


def test_inherits_exact(result: FileExtraction) -> None:
    rows = [(i["child"], i["parent"], i["relation"], i["line"]) for i in result.inherits]
    assert rows == [
        ("Outer", "Base", "extends", 11),
        ("Outer", "m.Mixin", "extends", 11),
        ("Outer", "Generic[T]", "extends", 11),  # metaclass=Meta is not a base
        ("top.Local", "object", "extends", 24),
    ]


def test_rows_have_exactly_the_schema_columns(result: FileExtraction) -> None:
    for rows, schema in (
        (result.symbols, schemas.SYMBOLS),
        (result.imports, schemas.IMPORTS),
        (result.calls, schemas.CALLS),
        (result.inherits, schemas.INHERITS),
    ):
        assert rows
        for row in rows:
            assert list(row) == schemas.extracted_schema(schema).names
            assert row["language"] == "python"
            assert row["path"] == "pkg/sample.py"
    assert result.error_count == 0


def test_multiline_callee_is_squeezed() -> None:
    source = b"x = (a\n   .b\n   .c)(1)\n"
    [call] = extract_file("python", "m.py", source).calls
    assert (call["callee"], call["callee_name"], call["line"]) == ("(a .b .c)", "c", 1)


def test_language_for_path() -> None:
    cases = {
        "a/b.py": "python",
        "x.pyi": "python",
        "lib.rs": "rust",
        "a.ts": "typescript",
        "A.TSX": "typescript",
        "m.mts": "typescript",
        "m.cts": "typescript",
        "a.js": "javascript",
        "a.jsx": "javascript",
        "a.mjs": "javascript",
        "a.cjs": "javascript",
        "main.go": "go",
        "Main.java": "java",
        "README.md": None,
        "Makefile": None,
        ".py": None,
    }
    assert {path: language_for_path(path) for path in cases} == cases


def test_unknown_language_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        extract_file("cobol", "x.cbl", b"")


def _ast_facts(source: bytes) -> tuple[Counter[tuple[str, int]], Counter[tuple[object, ...]], int]:
    tree = ast.parse(source)
    definitions: Counter[tuple[str, int]] = Counter()
    imports: Counter[tuple[object, ...]] = Counter()
    calls = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            definitions[(node.name, node.lineno)] += 1
        elif isinstance(node, ast.Import):
            imports.update((None, alias.name, alias.asname) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            imports.update((module, alias.name, alias.asname) for alias in node.names)
        elif isinstance(node, ast.Call):
            calls += 1
    return definitions, imports, calls


@pytest.mark.parametrize(
    "relative", ["json/decoder.py", "argparse.py", "dataclasses.py", "asyncio/tasks.py"]
)
def test_self_check_against_ast_on_stdlib(relative: str) -> None:
    path = Path(sysconfig.get_paths()["stdlib"]) / relative
    source = path.read_bytes()
    result = extract_file("python", relative, source)
    definitions, imports, calls = _ast_facts(source)
    assert Counter((s["name"], s["start_line"]) for s in result.symbols) == definitions
    assert Counter((i["module"], i["name"], i["alias"]) for i in result.imports) == imports
    assert len(result.calls) == calls
    assert result.error_count == 0


RECEIVER_TYPES_SOURCE = b"""\
import mod
from typing import Optional, Union
shared = mod.Service()
config: "Config" = load()
def f(a, b: Foo, c: "Bar" = 1, *, d: Optional[X] = None, e: Union[A, None] = None,
      u: A | B = 1, t: type[Foo] = Foo, n: "mod.Node[T]" = None, **kw):
    a.m(); b.m(); c.m(); d.m(); e.m(); u.m(); t.m(); n.m(); kw.m()
    shared.m(); config.m()
    made = mod.make()
    made.m()
    twice = Foo()
    twice = Bar()
    twice.m()
    for b in range(3):
        pass
    b.m()
    def inner(config: Local):
        config.m()
        shared = 1
        shared.m()
    lambda shared: shared.m()
class Widget:
    part: Optional["Part"]
    size: int = 2
    def __init__(self, engine: Engine, other, plain):
        self.engine = engine
        self.other = other
        self.typed: Typed = plain
        self.built = mod.Builder()
        self.mixed = Foo()
        self.mixed = Bar()
    def run(self):
        self.part.m(); self.size.m(); self.engine.m(); self.other.m(); self.typed.m()
        self.built.m(); self.mixed.m(); self.unknown.m(); self.run()
        def later():
            self.engine.m()
"""


def test_receiver_types_of_python_declarations() -> None:
    """``receiver_type``: the one named type a receiver's name is declared with in the
    innermost scope binding it (annotations, ``Foo()`` for a call's result, ``self.x`` fields);
    None for untyped, disagreeing, union, ``type[...]`` and unknown names."""
    result = extract_file("python", "w.py", RECEIVER_TYPES_SOURCE)
    typed = receiver_types(result)
    assert typed == [
        (3, "mod.Service", None),
        (7, "a.m", None),  # an untyped parameter
        (7, "b.m", "Foo"),  # the annotation declares it; the loop below only assigns it
        (7, "c.m", "Bar"),  # a quoted annotation
        (7, "d.m", "X"),  # Optional[X]
        (7, "e.m", "A"),  # Union[A, None]
        (7, "u.m", None),  # a union of two types
        (7, "t.m", None),  # a class, no instance
        (7, "n.m", "mod.Node"),  # dotted as written, without type arguments
        (7, "kw.m", None),
        (8, "shared.m", "mod.Service()"),  # a module-level name: what calling mod.Service gives
        (8, "config.m", "Config"),  # the annotation wins over the value
        (9, "mod.make", None),
        (10, "made.m", "mod.make()"),  # a function's result: the CPG finds no class mod.make
        (13, "twice.m", None),  # two types
        (16, "b.m", "Foo"),
        (18, "config.m", "Local"),  # the innermost declaration wins
        (20, "shared.m", None),  # a local of inner shadows the module's
        (21, "shared.m", None),  # the lambda's parameter
        (29, "mod.Builder", None),
        (33, "self.part.m", "Part"),
        (33, "self.size.m", "int"),
        (33, "self.engine.m", "Engine"),  # `self.engine = engine`, an annotated parameter
        (33, "self.other.m", None),
        (33, "self.typed.m", "Typed"),
        (34, "self.built.m", "mod.Builder()"),
        (34, "self.mixed.m", None),
        (34, "self.unknown.m", "Widget .unknown"),  # declared nowhere here: a field hop
        (34, "self.run", None),
        (36, "self.engine.m", "Engine"),  # a nested function's `self` is the method's
    ]


SHADOWED_RECEIVERS_SOURCE = b"""\
g: Foo = Foo()
def comprehensions(x: Foo, bars):
    a = [x.m() for x in bars]
    b = {x.m(): 1 for x in bars}
    c = list(x.m() for x in bars)
    x.m()
def rebound(x: Foo, y: Foo, z: Foo):
    x = Bar()
    x.m()
    y = make()
    y.m()
    z = mod.Foo()
    z.m()
def defined(x: Foo, y: Foo):
    def x():
        pass
    x.m()
    class y:
        pass
    y.m()
def matched(x: Foo, v):
    match v:
        case Bar() as x:
            x.m()
        case [g, *z]:
            g.m()
class Body:
    g = Bar()
    g.m()
    def method(self):
        g.m()
"""


def test_receiver_types_shadowed_by_python_scopes() -> None:
    """Bindings that are not the declaration the call sees: a comprehension's variable (its own
    scope), a nested ``def``/``class`` of the same name, ``match`` captures, and a class body's
    own name (a call in the class body sees it, a method does not). An annotation still wins
    over any other rebinding (a loop, ``match``, ``x = Bar()``: a type checker holds the name to
    its declaration)."""
    result = extract_file("python", "s.py", SHADOWED_RECEIVERS_SOURCE)
    typed = receiver_types(result, ending=".m")
    assert typed == [
        (3, "x.m", None),  # the comprehension's x, not the parameter
        (4, "x.m", None),
        (5, "x.m", None),
        (6, "x.m", "Foo"),
        (9, "x.m", "Foo"),  # `x = Bar()`: held to the declaration, as a type checker does
        (11, "y.m", "Foo"),  # a function's result: the annotation holds
        (13, "z.m", "Foo"),
        (17, "x.m", None),  # a nested def of the same name
        (20, "y.m", None),  # a nested class of the same name
        (24, "x.m", "Foo"),  # the annotation holds (a type checker rejects a Bar here)
        (26, "g.m", None),  # a capture pattern shadows the module's g
        (29, "g.m", None),  # the class body's g, not the module's
        (31, "g.m", "Foo"),  # a method sees the module's g
    ]


RETURNS_SOURCE = b"""\
from typing import Self


class Repo:
    def clone(self) -> Self:
        return self

    async def fetch(self) -> "Optional[Repo]":
        return None

    def items(self) -> list[Repo]:
        return []

    def either(self) -> Repo | Other:
        return self


def make(name) -> mod.Repo:
    return mod.Repo()


def untyped():
    return Repo()


async def run():
    made = make()
    made.m()
    fetched = await Repo().fetch()
    fetched.m()
    loaded = await mod.load(1, ")")
    loaded.m()
    awaitable = awaitable_thing()
    awaitable.m()
    chained = make().clone()
    chained.m()
"""


def test_python_return_types_and_bindings_to_a_calls_value() -> None:
    """``returns``: a function's ``->`` annotation read as annotations are (``Self`` -> the
    class, an ``async def``'s after ``.await``, None for no one named type); a name bound to a
    call's value is ``f()`` (``await f()``: ``f().await``), the value of a call on another
    call's value is no type."""
    result = extract_file("python", "r.py", RETURNS_SOURCE)
    assert [(row["qualified_name"], row["returns"]) for row in result.symbols] == [
        ("Repo", None),
        ("Repo.clone", "Repo"),  # `Self`: the class the method is in
        ("Repo.fetch", ".await Repo"),  # an async def's value is awaited first
        ("Repo.items", "list"),  # the one named type (a builtin: the CPG leaves it unresolved)
        ("Repo.either", None),  # a union of two types
        ("make", "mod.Repo"),
        ("untyped", None),
        ("run", None),
    ]
    assert receiver_types(result, ending=".m") == [
        (28, "made.m", "make()"),
        (30, "fetched.m", None),  # `Repo().fetch`: the callee is another call's value
        (32, "loaded.m", "mod.load().await"),  # a string's ")" does not end the arguments
        (34, "awaitable.m", "awaitable_thing()"),  # a name starting with "await"
        (36, "chained.m", None),  # one level: no return of a return
    ]


PROPERTIES_SOURCE = b"""\
import functools


class Sel:
    @property
    def child(self) -> "Optional[Sel]":
        return self

    @functools.cached_property
    def cached(self) -> mod.Sel:
        return mod.Sel()

    @property
    def untyped(self):
        return self

    @property
    def kept(self) -> Sel:
        return self

    @kept.setter
    def kept(self, value: Sel) -> None:
        pass

    def plain(self) -> Sel:
        return self

    @property
    async def later(self) -> Sel:
        return self

    def use(self):
        self.child.m()
        self.cached.m()
        self.untyped.m()
        self.kept.m()
        self.plain.m()
        self.later.m()


@property
def top() -> Sel:
    pass


top.m()
"""


def test_python_properties_are_fields_of_their_return_type() -> None:
    """``@property`` / ``@functools.cached_property`` with a return annotation: a field of
    the class of that type (``self.child.m()``); its ``@x.setter`` keeps it; an unannotated
    property, a plain method, an ``async`` property and a ``def`` outside a class body are
    no typed field. A property's ``returns`` is marked read (``<read> Sel``)."""
    result = extract_file("python", "p.py", PROPERTIES_SOURCE)
    assert receiver_types(result, ending=".m") == [
        (33, "self.child.m", "Sel"),
        (34, "self.cached.m", "mod.Sel"),
        (35, "self.untyped.m", None),
        (36, "self.kept.m", "Sel"),
        (37, "self.plain.m", None),
        (38, "self.later.m", None),
        (46, "top.m", None),
    ]
    # a property is read, never called: its `returns` is marked (the CPG's field hops)
    assert [(row["qualified_name"], row["returns"]) for row in result.symbols][1:7] == [
        ("Sel.child", "<read> Sel"),
        ("Sel.cached", "<read> mod.Sel"),
        ("Sel.untyped", None),
        ("Sel.kept", "<read> Sel"),
        ("Sel.kept", None),  # the setter
        ("Sel.plain", "Sel"),
    ]


CALLED_RECEIVERS_SOURCE = b"""\
def run(repo):
    make(1, ")").m()
    self.build().m()
    mod.Foo(x).m()
    f(x)(y).m()
    make().a.m()
    super().m()
    (await load()).m()
"""


def test_python_member_calls_on_a_calls_value() -> None:
    """A member call on the value of a call of a path (``make(x).m()``) has the receiver type
    ``make()``, as a name bound to that value has; a call of a call's value, a field of it,
    ``super()`` and an awaited value are no such receiver."""
    result = extract_file("python", "c.py", CALLED_RECEIVERS_SOURCE)
    assert receiver_types(result, ending=".m") == [
        (2, 'make(1, ")").m', "make()"),
        (3, "self.build().m", "self.build()"),
        (4, "mod.Foo(x).m", "mod.Foo()"),
        (5, "f(x)(y).m", None),
        (6, "make().a.m", None),
        (7, "super().m", None),
        (8, "(await load()).m", None),
    ]


CLASS_FIELDS = b"""\
from typing import NamedTuple, Optional


class Base:
    child: Selection
    other: "Optional[Foo]"
    plain = None

    def __init__(self, instance: Instance, x):
        self._instance = instance
        self._made = Foo()
        self._x = x
        self._typed: Bar = make()

    @property
    def prop(self) -> Foo: ...

    def method(self):
        self.prop = 1


class Pair(NamedTuple):
    a: int
    b: Foo


def f():
    class Inner:
        z: Foo
"""


def test_python_classes_export_their_fields() -> None:
    """The symbols' ``fields`` of a class: every ``self.x`` binding in its methods and every
    annotated one in its body, ``name type`` with the one type they agree on (annotations as
    receivers read them, a copied parameter's), the name alone when no named type is known (a
    call's value, an untyped parameter); methods and properties are no fields; other symbols
    have none."""
    result = extract_file("python", "pkg/f.py", CLASS_FIELDS)
    assert [(row["qualified_name"], row["fields"]) for row in result.symbols] == [
        ("Base", "_instance Instance;_made;_typed Bar;_x;child Selection;other Foo"),
        ("Base.__init__", None),
        ("Base.prop", None),
        ("Base.method", None),
        ("Pair", "a int;b Foo"),
        ("f", None),
        ("f.Inner", "z Foo"),
    ]


FIELD_CHAINS = b"""\
class A:
    def __init__(self, b: B):
        self.b = b
        self.c: C = make()

    def f(self):
        self.b.x.go()
        self.c.y.z.go()
        self.d.e.go()
        self.a.b.c.d.go()


def g(a: A, m):
    a.b.x.go()
    a.b.x.y.go()
    m.a.b.go()
    os.path.join()
"""


def test_python_receivers_hop_along_chains_of_fields() -> None:
    """``x.a.b.f()`` / ``self.a.b.f()``: a field hop through each field (``"A .b .x"``, from
    the own class when the file binds no ``self.a``, else from ``self.a``'s type), at most three
    fields; an undeclared head (``m``, a module) types nothing."""
    result = extract_file("python", "pkg/h.py", FIELD_CHAINS)
    assert receiver_types(result, ending=".go") + receiver_types(result, ending=".join") == [
        (7, "self.b.x.go", "B .x"),
        (8, "self.c.y.z.go", "C .y .z"),
        (9, "self.d.e.go", "A .d .e"),
        (10, "self.a.b.c.d.go", None),  # four fields
        (14, "a.b.x.go", "A .b .x"),
        (15, "a.b.x.y.go", "A .b .x .y"),
        (16, "m.a.b.go", None),
        (17, "os.path.join", None),
    ]


def test_python_element_types_of_container_annotations() -> None:
    """``element_type``: the one element type of a sequence or set annotation (wrappers and
    quotes read as ``python_declared_type`` reads them); a mapping, a fixed-length tuple, a
    union of element types or an element of no named type declare none."""
    assert [
        python_element_type(text)
        for text in (
            "list[Foo]",
            "typing.Sequence[m.Foo]",
            "Optional[Iterable['Foo']]",
            "set[Foo] | None",
            "tuple[Foo, ...]",
            "frozenset[Optional[Foo]]",
            "dict[str, Foo]",
            "Mapping[str, Foo]",
            "tuple[Foo, Bar]",
            "list[Foo | Bar]",
            "list[Any]",
            "list",
            "Foo",
        )
    ] == ["Foo", "m.Foo", "Foo", "Foo", "Foo", "Foo", None, None, None, None, None, None, None]


MEMBER_BINDINGS = b"""\
class Own:
    def run(self, ctx: Ctx):
        inst = ctx.instance
        inst.go()
        layer = self.job_def.asset_layer
        layer.go()
        deep = ctx.a.b
        deep.c.go()
        deeper = deep.c.d
        deeper.go()
        loop = loop.parent
        loop.go()
        m = os.path
        m.join()
"""


def test_python_names_bound_to_members_are_typed_as_those_receivers() -> None:
    """``x = a.b`` / ``x = self.b.c``: the receiver type ``a.b`` would have (a field hop, and
    on along ``x.c.f()`` while the chain stays within three fields); a name bound to its own
    member, and a member of an undeclared head (a module), type nothing."""
    result = extract_file("python", "pkg/o.py", MEMBER_BINDINGS)
    assert receiver_types(result, ending=".go") + receiver_types(result, ending=".join") == [
        (4, "inst.go", "Ctx .instance"),
        (6, "layer.go", "Own .job_def .asset_layer"),
        (8, "deep.c.go", "Ctx .a .b .c"),
        (10, "deeper.go", None),  # four fields
        (12, "loop.go", None),
        (14, "m.join", None),
    ]


NARROWED = b"""\
class C:
    def f(self, x, y: Foo | Bar, z: Foo):
        if isinstance(x, m.Foo) and y:
            x.go()
            x.inner.go()
        elif isinstance(y, (Foo, Bar)):
            y.go()
        if isinstance(z, Bar):
            z.go()
        if isinstance(x, Foo):
            x = make()
            x.go()
        x.go()
"""


def test_python_isinstance_narrows_receivers_declared_with_no_one_type() -> None:
    """``if isinstance(x, Foo):`` in the branch: ``Foo`` (a field hop from it for ``x.y``)
    where ``x`` has no one declared type; a declared type stays; a tuple of types, a rebinding
    before the call, and code after the branch are not narrowed."""
    result = extract_file("python", "pkg/n.py", NARROWED)
    assert receiver_types(result, ending=".go") == [
        (4, "x.go", "m.Foo"),
        (5, "x.inner.go", "m.Foo .inner"),
        (7, "y.go", None),
        (9, "z.go", "Foo"),
        (12, "x.go", None),
        (13, "x.go", None),
    ]


NARROWED_IN_LOOPS = b"""\
def f(node, other, kept, made, imported, items):
    if isinstance(node, Foo):
        while node:
            node.go()
            node = node.parent
    if isinstance(other, Foo):
        for _ in items:
            other.go()
            other = other.parent
    if isinstance(kept, Foo):
        for _ in items:
            kept.go()
            value = kept
    if isinstance(made, Foo):
        def made():
            pass
        made.go()
    if isinstance(imported, Foo):
        from m import imported
        imported.go()
    if isinstance(kept, Foo):
        for item in kept.go():
            kept = item
"""


def test_python_isinstance_narrowing_ends_at_a_rebinding_in_a_loop_or_a_definition() -> None:
    """A rebinding anywhere in a ``while``/``for`` loop between the branch and the call (after
    the call too: the next pass sees it) ends the narrowing, as a ``def x():``, a ``class x:``
    and an import of x before the call do; a loop that rebinds nothing keeps it, and a loop's
    iterable, evaluated once before the body, too."""
    result = extract_file("python", "pkg/loop.py", NARROWED_IN_LOOPS)
    assert receiver_types(result, ending=".go") == [
        (4, "node.go", None),
        (8, "other.go", None),
        (12, "kept.go", "Foo"),
        (17, "made.go", None),
        (20, "imported.go", None),
        (22, "kept.go", "Foo"),
    ]


def test_python_returned_types_of_context_managers() -> None:
    """``returns``: a context manager of a type (``ContextManager[Foo]``, a ``@contextmanager``
    generator's ``Iterator[Foo]`` / ``Generator[Foo, None, None]``) is ``.enter Foo``, what
    ``with f() as x`` binds; an ``async def``'s stays its awaited type."""
    assert [
        python_returned_type(text, is_async)
        for text, is_async in (
            ("Iterator[Foo]", False),
            ("typing.Generator[m.Foo, None, None]", False),
            ("ContextManager['Foo']", False),
            ("Iterator[Self]", False),
            ("Iterator[Any]", False),
            ("Iterator", False),
            ("Foo", False),
            ("Foo", True),
        )
    ] == [
        ".enter Foo",
        ".enter m.Foo",
        ".enter Foo",
        ".enter Self",
        None,
        "Iterator",
        "Foo",
        ".await Foo",
    ]


def test_python_index_types_of_container_annotations() -> None:
    """``index_type``: a subscript's value, a mapping's values (``dict[str, Foo]``), else the
    element type (``list[Foo]``); a union of value types or a counter declare none."""
    assert [
        python_index_type(text)
        for text in (
            "dict[str, Foo]",
            "typing.Mapping[str, Optional[m.Foo]]",
            "defaultdict[str, 'Foo'] | None",
            "list[Foo]",
            "dict[str, Foo | Bar]",
            "Counter[Foo]",
            "dict",
        )
    ] == ["Foo", "m.Foo", "Foo", "Foo", None, None, None]


def test_python_slices_are_no_elements() -> None:
    """``xs[i].f()`` of ``xs: list[Foo]`` is a Foo's; a slice (``xs[1:]``, ``xs[::2]``,
    ``xs[a:b]``) is a list, whose methods are the list's own (``count``): no element type; a
    colon inside parentheses or braces (a lambda, a dict) or a ``:=`` is no slice."""
    source = b"""\
def go(xs: list[Foo], a: int, b: int):
    xs[0].count()
    xs[1:].count()
    xs[::2].count()
    xs[a:b].count()
    xs[key(lambda: 0)].count()
    xs[(n := 1)].count()
"""
    assert receiver_types(extract_file("python", "m.py", source)) == [
        (2, "xs[0].count", "Foo"),
        (3, "xs[1:].count", None),
        (4, "xs[::2].count", None),
        (5, "xs[a:b].count", None),
        (6, "xs[key(lambda: 0)].count", "Foo"),
        (7, "xs[(n := 1)].count", "Foo"),
    ]
