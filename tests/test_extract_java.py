"""Java extraction: exact rows (conventions in languages/java.py)."""

from __future__ import annotations

import gc
from types import FunctionType

import pytest

from hamilton_modules.languages import FileExtraction, base, extract_file
from tests.dataflow_support import receiver_types

SOURCE = b"""\
package com.example;

import java.util.List;
import java.util.*;
import static java.lang.Math.max;
import static org.junit.Assert.*;

public class Service<T> extends Base<T> implements Runnable, java.io.Closeable {
    private final List<T> items = new ArrayList<>();

    public Service() { super(1); }

    @Override
    public void run() {
        items.stream().map(this::convert).forEach(System.out::println);
        Runnable r = new Runnable() {
            public void run() { helper(max(1, 2)); }
        };
    }

    static class Inner implements Comparable<Inner> {
        public int compareTo(Inner o) { return 0; }
    }

    interface Callback extends Listener, java.util.EventListener {
        void call(String value);
    }

    enum Mode implements Labeled { ON, OFF; String label() { return name(); } }

    record Pair(int a, int b) implements Comparable<Pair> {}

    @interface Marker { String value(); }
}
"""


@pytest.fixture(scope="module")
def result() -> FileExtraction:
    return extract_file("java", "src/com/example/Service.java", SOURCE)


def test_symbols_exact(result: FileExtraction) -> None:
    rows = [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"], s["end_line"])
        for s in result.symbols
    ]
    assert rows == [
        ("class", "Service", "Service", None, 8, 34),
        ("method", "Service", "Service.Service", "Service", 11, 11),  # constructor
        # A declaration begins with its modifiers, annotations included (JLS), so line 13.
        ("method", "run", "Service.run", "Service", 13, 19),
        ("method", "run", "Service.run.run", "Service.run", 17, 17),  # anonymous class body
        ("class", "Inner", "Service.Inner", "Service", 21, 23),
        ("method", "compareTo", "Service.Inner.compareTo", "Service.Inner", 22, 22),
        ("interface", "Callback", "Service.Callback", "Service", 25, 27),
        ("method", "call", "Service.Callback.call", "Service.Callback", 26, 26),
        ("enum", "Mode", "Service.Mode", "Service", 29, 29),
        ("method", "label", "Service.Mode.label", "Service.Mode", 29, 29),
        ("class", "Pair", "Service.Pair", "Service", 31, 31),  # record
        ("interface", "Marker", "Service.Marker", "Service", 33, 33),  # annotation type
        ("method", "value", "Service.Marker.value", "Service.Marker", 33, 33),
    ]


def test_imports_exact(result: FileExtraction) -> None:
    rows = [(i["module"], i["name"], i["alias"], i["line"]) for i in result.imports]
    assert rows == [
        ("java.util", "List", None, 3),
        ("java.util", "*", None, 4),
        ("java.lang.Math", "max", None, 5),  # static import
        ("org.junit.Assert", "*", None, 6),
    ]


def test_calls_exact(result: FileExtraction) -> None:
    rows = sorted(
        (c["line"], c["column"], c["callee"], c["callee_name"], c["enclosing"])
        for c in result.calls
    )
    assert rows == [
        (9, 34, "ArrayList", "ArrayList", "Service"),  # `new ArrayList<>()` without type args
        (11, 23, "super", "super", "Service.Service"),
        (15, 8, "items.stream", "stream", "Service.run"),
        (15, 8, "items.stream().map", "map", "Service.run"),
        (15, 8, "items.stream().map(this::convert).forEach", "forEach", "Service.run"),
        (16, 21, "Runnable", "Runnable", "Service.run"),
        (17, 32, "helper", "helper", "Service.run.run"),
        (17, 39, "max", "max", "Service.run.run"),
        (29, 68, "name", "name", "Service.Mode.label"),
    ]


def test_inherits_exact(result: FileExtraction) -> None:
    rows = [(i["child"], i["parent"], i["relation"], i["line"]) for i in result.inherits]
    assert rows == [
        ("Service", "Base<T>", "extends", 8),
        ("Service", "Runnable", "implements", 8),
        ("Service", "java.io.Closeable", "implements", 8),
        ("Service.Inner", "Comparable<Inner>", "implements", 21),
        ("Service.Callback", "Listener", "extends", 25),
        ("Service.Callback", "java.util.EventListener", "extends", 25),
        ("Service.Mode", "Labeled", "implements", 29),
        ("Service.Pair", "Comparable<Pair>", "implements", 31),
    ]
    assert result.error_count == 0


def test_scoped_constructor_calls() -> None:
    source = (
        b"class A { void f() { new java.util.HashMap<String, Integer>(); new Outer.Inner(); } }\n"
    )
    rows = [(c["callee"], c["callee_name"]) for c in extract_file("java", "A.java", source).calls]
    assert rows == [("java.util.HashMap", "HashMap"), ("Outer.Inner", "Inner")]


RECEIVER_TYPES_SOURCE = b"""\
import java.util.List;
class A<T> extends B {
  private Foo x; List<Foo> ys; @Nullable Bar b; T gen; Foo p, q;
  <U> void m(Foo a, final T t, U u, Baz... zs) {
    a.f(); t.f(); u.f(); zs.f(); x.f(); this.x.f(); ys.f(); b.f(); gen.f(); q.f();
    var v = new Foo(); v.f();
    Foo w = make(); w.f();
    var made = make(); made.f();
    for (Qux e : es) { e.f(); }
    Runnable l = (x) -> x.f();
    if (o instanceof Zed z) { z.f(); }
    a.Sub.C c = null; c.f();
    Foo copy = a; copy.f();
    int n = 1; n.f();
  }
  void n(Other x) { x.f(); this.x.f(); }
  void k() { Map<String, Foo> x; x.f(); }
  class Inner { Local x; void k() { x.f(); this.x.f(); gen.f(); p.f(); } }
  void d(boolean c) { if (c) { Foo y = a; y.f(); } else { Bar y = b; y.f(); } }
  int z; void e() { for (Baz z = null; ; ) { z.f(); } z.f(); }
  void g(int k) { switch (k) { case 1: { Qux w = null; w.f(); } default: Foo w = a; w.f(); } }
}
"""


def test_receiver_types_of_java_declarations() -> None:
    """``receiver_type``: typed locals, ``var`` with ``new``, parameters, fields through the
    implicit ``this`` (innermost class first; a parameter or local shadows them) and ``this.x``;
    type arguments stripped; None for type parameters, arrays, primitives, untyped lambda
    parameters and ``var`` of a call's result; a local holds in its block, `for` statement or
    switch block only."""
    result = extract_file("java", "A.java", RECEIVER_TYPES_SOURCE)
    typed = receiver_types(result)
    assert typed == [
        (5, "a.f", "Foo"),
        (5, "t.f", None),  # the class's type parameter
        (5, "u.f", None),  # the method's type parameter
        (5, "zs.f", None),  # varargs: an array
        (5, "x.f", "Foo"),  # a field, through the implicit `this`
        (5, "this.x.f", "Foo"),
        (5, "ys.f", "List"),  # type arguments stripped
        (5, "b.f", "Bar"),  # the annotation is no part of the type
        (5, "gen.f", None),
        (5, "q.f", "Foo"),  # the second declarator of `Foo p, q`
        (6, "v.f", "Foo"),  # var: the value's type
        (7, "w.f", "Foo"),
        (8, "made.f", None),  # var of a call's result
        (9, "e.f", "Qux"),
        (10, "x.f", None),  # the lambda's parameter shadows the field
        (11, "z.f", "Zed"),  # a pattern variable
        (12, "c.f", "a.Sub.C"),
        (13, "copy.f", "Foo"),
        (14, "n.f", None),  # a primitive
        (16, "x.f", "Other"),  # the parameter shadows the field
        (16, "this.x.f", "Foo"),  # the field
        (17, "x.f", "Map"),
        (18, "x.f", "Local"),  # the inner class's field
        (18, "this.x.f", "Local"),
        (18, "gen.f", None),
        (18, "p.f", "Foo"),  # the outer class's field
        (19, "y.f", "Foo"),  # a local holds in its block only (JLS 6.3)
        (19, "y.f", "Bar"),
        (20, "z.f", "Baz"),  # a `for` statement's local
        (20, "z.f", None),  # after the loop: the field of no type
        (21, "w.f", "Qux"),  # a block's local
        (21, "w.f", "Foo"),  # the switch block's (its scope is the rest of that block)
    ]


COUNTED = b"""\
class Counted {
    Counted() { this(1, /* a comment */ 2); }
    Counted(int a, int b) {}
    static void log(String format, Object... args) { log("x", 1, 2); }
    void self(Counted this, int n) { new Counted(); Math.max(n, 0); }
    java.util.List<String> names() { return null; }
    Counted.Inner inner() { return null; }
    int size() { return 0; }
    String[] all() { return null; }
    <T> T pick() { return null; }
    record Pair(int a, int b) { Pair {} }
    @interface Marker { String value(); }
}
"""


def test_argument_and_parameter_counts() -> None:
    """Calls count their arguments (comments not); methods and constructors their parameters,
    a varargs one included and marked variadic, a receiver parameter `Counted this` not; a
    compact constructor, an annotation element and every type declaration count none."""
    result = extract_file("java", "src/Counted.java", COUNTED)
    assert [(s["qualified_name"], s["parameters"], s["variadic"]) for s in result.symbols] == [
        ("Counted", None, None),
        ("Counted.Counted", 0, False),
        ("Counted.Counted", 2, False),
        ("Counted.log", 2, True),
        ("Counted.self", 1, False),
        ("Counted.names", 0, False),
        ("Counted.inner", 0, False),
        ("Counted.size", 0, False),
        ("Counted.all", 0, False),
        ("Counted.pick", 0, False),
        ("Counted.Pair", None, None),
        ("Counted.Pair.Pair", None, None),
        ("Counted.Marker", None, None),
        ("Counted.Marker.value", None, None),
    ]
    assert [(c["callee"], c["arguments"]) for c in result.calls] == [
        ("this", 2),
        ("log", 3),
        ("Counted", 0),
        ("Math.max", 2),
    ]


def test_return_types() -> None:
    """A method's ``returns``: its written type as a declared one reads (type arguments
    dropped, a nested type dotted); None for a primitive, an array, a type parameter of the
    method, a constructor, an annotation element (no pattern reads it)."""
    result = extract_file("java", "src/Counted.java", COUNTED)
    returns = {s["name"]: s["returns"] for s in result.symbols if s["kind"] == "method"}
    assert returns == {
        "Counted": None,
        "log": None,
        "self": None,
        "names": "java.util.List",
        "inner": "Counted.Inner",
        "size": None,
        "all": None,
        "pick": None,
        "Pair": None,
        "value": None,
    }


MODIFIED = b"""\
public class Modified {
    private static class Node { }
    private void hidden() { }
    public static int count(int n) { return n; }
    protected final void shown() { }
    Modified() { }
    interface Visitor { void visit(); }
}
"""


def test_modifiers_private_and_static() -> None:
    """Definitions carry the modifiers name resolution reads (`private`, `static`), sorted and
    joined by a space; "" when none of those is written (`public`, `final` are not read)."""
    result = extract_file("java", "src/Modified.java", MODIFIED)
    assert [(s["qualified_name"], s["modifiers"]) for s in result.symbols] == [
        ("Modified", ""),
        ("Modified.Node", "private static"),
        ("Modified.hidden", "private"),
        ("Modified.count", "static"),
        ("Modified.shown", ""),
        ("Modified.Modified", ""),
        ("Modified.Visitor", ""),
        ("Modified.Visitor.visit", ""),
    ]


TYPED = b"""\
import java.util.List;
class Typed<E> {
    int count; String[] names; long old[];
    <T> void put(final int a, @Deprecated String[] b, E item, List<String> list, T... rest) { }
    void scan(int d[], Typed<E>.Inner inner, Typed self) {
        int x = 0; var made = new StringBuilder(); Object o = null; char cs[] = null;
        put(1, 2L, 1.0f, 'c', "s", null, true, -1, (int) x, new Typed<>(), 0x1F, 1e3, 3.0d);
        put(x, made, o, count, names, old, cs, d, inner, self, (x), this, List.of());
        put();
    }
    Typed(E e) { }
    record Pair(int a) { Pair { } }
}
"""


def test_parameter_types() -> None:
    """A method's or constructor's ``parameter_types``: each parameter's written type, `;`
    joined: type arguments dropped, primitives and arrays kept (C's `int d[]` too), a varargs
    `T... rest` as the array `T[]` it takes; a type parameter of the method or of the class
    marked `?`; "" for a nested type of a generic one; None for a compact constructor and a
    type declaration; "" for no parameters."""
    result = extract_file("java", "src/Typed.java", TYPED)
    assert [(s["qualified_name"], s["parameter_types"]) for s in result.symbols] == [
        ("Typed", None),
        ("Typed.put", "int;String[];?E;List;?T[]"),
        ("Typed.scan", "int[];;Typed"),
        ("Typed.Typed", "?E"),
        ("Typed.Pair", None),
        ("Typed.Pair.Pair", None),
    ]


def test_argument_types() -> None:
    """A call's ``argument_types``: literals (an `L` suffix long, an `f` float, a hexadecimal
    `F` a digit), `-1` as `1`, a cast, `new Typed<>()`, and plain names by their declarations
    where the call is (locals, parameters, fields: `var` by its `new` value, primitives and
    arrays kept), `this` as its class; "" for what is not evident there (a name declared `int
    x[]` or of a type parameter, a parenthesized name, a call's value); "" for no arguments."""
    result = extract_file("java", "src/Typed.java", TYPED)
    assert [(c["callee"], c["argument_types"]) for c in result.calls] == [
        ("StringBuilder", ""),
        ("put", "int;long;float;char;String;null;boolean;int;int;Typed;int;double;double"),
        ("Typed", ""),
        ("put", "int;StringBuilder;Object;int;String[];;;;;Typed;;Typed;"),
        ("List.of", ""),
        ("put", ""),
    ]


OWN_INSTANCES = b"""\
class Outer {
    void take(Object o) { }
    class Inner {
        void go() { take(this); Runnable r = () -> take(this); }
    }
    void run() {
        new Thread() { public void run() { take(this); } };
        take(this);
    }
}
"""


def test_this_arguments_are_their_class() -> None:
    """`this` as an argument is the innermost named class around the call (a lambda's is the
    class's), "" in an anonymous class (whose type has no name)."""
    result = extract_file("java", "src/Outer.java", OWN_INSTANCES)
    assert [(c["line"], c["callee"], c["argument_types"]) for c in result.calls] == [
        (4, "take", "Inner"),
        (4, "take", "Inner"),
        (7, "Thread", ""),
        (7, "take", ""),
        (8, "take", "Outer"),
    ]


BOUNDED = b"""\
class Bounded<E extends Number, F> {
    <T extends CharSequence, U> void f(T t, T[] ts, U u, E e, F f, String s, int... xs) { }
    <E> void g(E e) { }
    void h(E... es) { }
    class Inner<F extends Runnable> { void k(F f, E e) { } }
    <@A V extends Number, @A W> void a(V v, W w) { }
}
"""


def test_bounded_type_variables_have_no_parameter_type() -> None:
    """A parameter of a type variable with an `extends` bound (the method's or a class's
    around, its array, its varargs) has no known type (""), an unbounded one is marked `?`; the
    innermost declaration of the name decides (`<E> void g(E e)` under a bounded class `E`, a
    bounded `F` of an inner class over an unbounded outer one); an annotated one is one too."""
    result = extract_file("java", "src/Bounded.java", BOUNDED)
    assert [(s["qualified_name"], s["parameter_types"]) for s in result.symbols] == [
        ("Bounded", None),
        ("Bounded.f", ";;?U;;?F;String;int[]"),
        ("Bounded.g", "?E"),
        ("Bounded.h", ""),
        ("Bounded.Inner", None),
        ("Bounded.Inner.k", ";"),
        ("Bounded.a", ";?W"),
    ]


# One small source per language: the engine all six share makes a cycle for every file (its
# declarations and the closure that types a member receiver) and breaks it as it returns.
_SMALL_SOURCES = {
    "java": (
        "src/Small.java",
        b"class Small { Foo f; void m() { Foo x = new Foo(); x.g(); f.h(); } }\n",
    ),
    "python": ("small.py", b"class A:\n    def m(self):\n        x = Foo()\n        x.g()\n"),
    "javascript": ("small.js", b"function m() { const x = new Foo(); x.g(); }\n"),
    "typescript": ("small.ts", b"function m(y: Foo) { const x = new Foo(); x.g(); y.h(); }\n"),
    "go": ("small.go", b"package p\nfunc m() { x := Foo{}; x.G() }\n"),
    "rust": ("src/small.rs", b"fn m() { let x = Foo::new(); x.g(); }\n"),
}


@pytest.mark.parametrize("language", sorted(_SMALL_SOURCES))
def test_extraction_leaves_no_cyclic_garbage(language: str) -> None:
    """Extracting a file leaves none of the engine's objects (its declarations, its closures)
    for the cycle collector: garbage left in cycles made every later collection of a build
    follow each file's bindings. (Only base.py's objects are looked for: the process may hold
    other cyclic garbage.)"""
    path, source = _SMALL_SOURCES[language]
    sources = [SOURCE, TYPED, OWN_INSTANCES, BOUNDED] if language == "java" else [source]
    extract_file(language, path, source)  # (modules and queries loaded)
    collecting, debugging = gc.isenabled(), gc.get_debug()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    kept = len(gc.garbage)  # (the process's own, left as they are)
    try:
        for each in sources:
            extract_file(language, path, each)
        gc.collect()
        left = [
            found
            for found in gc.garbage[kept:]
            if isinstance(found, base._Declarations)
            or (isinstance(found, FunctionType) and found.__code__.co_filename == base.__file__)
        ]
    finally:
        gc.set_debug(debugging)
        del gc.garbage[kept:]
        if collecting:
            gc.enable()
    assert left == []


def test_a_failed_extraction_leaves_no_cyclic_garbage(monkeypatch: pytest.MonkeyPatch) -> None:
    """An extraction that fails after the engine made its cycle (here in the JS fields' export,
    made to raise) breaks it too: its declarations go with the exception."""

    def failing(*_: object) -> None:
        raise RuntimeError("export failed")

    source = b"class A { constructor() { this.x = new Foo(); } m() { this.x.g(); } }\n"
    extract_file("javascript", "a.js", source)  # (modules and queries loaded)
    monkeypatch.setattr(base, "_export_fields", failing)
    collecting, debugging = gc.isenabled(), gc.get_debug()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    kept = len(gc.garbage)
    try:
        with pytest.raises(RuntimeError, match="export failed"):
            extract_file("javascript", "a.js", source)
        gc.collect()
        left = [found for found in gc.garbage[kept:] if isinstance(found, base._Declarations)]
    finally:
        gc.set_debug(debugging)
        del gc.garbage[kept:]
        if collecting:
            gc.enable()
    assert left == []
