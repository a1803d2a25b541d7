"""Rust extraction: exact rows on a small crate file (conventions in languages/rust.py)."""

from __future__ import annotations

import dataclasses

import pytest

from hamilton_modules.languages import FileExtraction, extract_file, rules_for
from hamilton_modules.languages.base import MAX_EMBED_DEPTH, extract, type_arguments
from hamilton_modules.languages.rust import (
    CONTENT,
    GUARDED,
    LOCKED,
    impl_type_name,
    rust_constructed_type,
    rust_content_place,
    rust_content_type,
    rust_declared_type,
    rust_element_type,
    rust_file_constructed_type,
    rust_pointee_text,
    rust_receiver_unwrap,
    rust_returned_type,
    rust_unpinned_callee,
)
from tests.dataflow_support import receiver_types

SOURCE = b"""\
use std::collections::{HashMap, btree_map::Entry as E, hash_map::*};
use std::fmt;
extern crate alloc as a;

pub mod outer {
    pub struct Point<T> { x: T }
    union Bits { i: u32, f: f32 }
    pub enum Shape { Circle, Square }
    pub trait Draw: fmt::Debug + Clone {
        const SIDES: u32;
        type Output;
        fn draw(&self) -> Self::Output;
        fn name(&self) -> String { String::new() }
    }
    impl<T: Clone> fmt::Display for Point<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{}", 1)?;
            self.x.clone().len();
            Ok(())
        }
    }
    pub type Alias = Point<u8>;
    macro_rules! square { ($x:expr) => { $x * $x }; }
    static COUNT: u32 = 0;
    fn helper() {
        use std::io::Read;
        fn nested() -> Vec<u8> { Vec::<u8>::new() }
        nested();
    }
}
"""


@pytest.fixture(scope="module")
def result() -> FileExtraction:
    return extract_file("rust", "src/lib.rs", SOURCE)


def test_symbols_exact(result: FileExtraction) -> None:
    rows = [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"], s["end_line"])
        for s in result.symbols
    ]
    assert rows == [
        ("module", "outer", "outer", None, 5, 30),
        ("struct", "Point", "outer::Point", "outer", 6, 6),
        ("struct", "Bits", "outer::Bits", "outer", 7, 7),  # union
        ("enum", "Shape", "outer::Shape", "outer", 8, 8),
        ("trait", "Draw", "outer::Draw", "outer", 9, 14),
        ("constant", "SIDES", "outer::Draw::SIDES", "outer::Draw", 10, 10),
        ("type_alias", "Output", "outer::Draw::Output", "outer::Draw", 11, 11),
        ("method", "draw", "outer::Draw::draw", "outer::Draw", 12, 12),  # signature only
        ("method", "name", "outer::Draw::name", "outer::Draw", 13, 13),
        ("impl", "Point", "outer::Point", "outer", 15, 21),  # generics stripped
        ("method", "fmt", "outer::Point::fmt", "outer::Point", 16, 20),
        ("type_alias", "Alias", "outer::Alias", "outer", 22, 22),
        ("macro", "square", "outer::square", "outer", 23, 23),
        ("constant", "COUNT", "outer::COUNT", "outer", 24, 24),  # static
        ("function", "helper", "outer::helper", "outer", 25, 29),
        ("function", "nested", "outer::helper::nested", "outer::helper", 27, 27),
    ]
    assert (result.symbols[1]["start_column"], result.symbols[1]["end_column"]) == (4, 32)


def test_imports_exact(result: FileExtraction) -> None:
    rows = [(i["module"], i["name"], i["alias"], i["enclosing"], i["line"]) for i in result.imports]
    assert rows == [
        ("std::collections", "HashMap", None, None, 1),
        ("std::collections::btree_map", "Entry", "E", None, 1),
        ("std::collections::hash_map", "*", None, None, 1),
        ("std", "fmt", None, None, 2),
        (None, "alloc", "a", None, 3),
        ("std::io", "Read", None, "outer::helper", 26),
    ]


def test_calls_exact(result: FileExtraction) -> None:
    rows = sorted(
        (c["line"], c["column"], c["callee"], c["callee_name"], c["enclosing"])
        for c in result.calls
    )
    assert rows == [
        (13, 35, "String::new", "new", "outer::Draw::name"),
        (17, 12, "write!", "write!", "outer::Point::fmt"),  # macro invocation as a call
        (18, 12, "self.x.clone", "clone", "outer::Point::fmt"),
        (18, 12, "self.x.clone().len", "len", "outer::Point::fmt"),
        (19, 12, "Ok", "Ok", "outer::Point::fmt"),
        (27, 33, "Vec::<u8>::new", "new", "outer::helper::nested"),
        (28, 8, "nested", "nested", "outer::helper"),
    ]


def test_inherits_exact(result: FileExtraction) -> None:
    rows = [(i["child"], i["parent"], i["relation"], i["line"]) for i in result.inherits]
    assert rows == [
        ("outer::Draw", "fmt::Debug", "extends", 9),
        ("outer::Draw", "Clone", "extends", 9),
        ("outer::Point", "fmt::Display", "impl", 15),
    ]
    assert result.error_count == 0


def test_use_tree_forms() -> None:
    source = b"""\
use a::b::{self, c::{d, e as f}, g::*};
use ::std::fmt as format;
use single;
use crate::x::*;
use super::{y, z};
"""
    rows = [
        (i["module"], i["name"], i["alias"]) for i in extract_file("rust", "m.rs", source).imports
    ]
    assert rows == [
        ("a", "b", None),  # `self` imports the module itself
        ("a::b::c", "d", None),
        ("a::b::c", "e", "f"),
        ("a::b::g", "*", None),
        ("::std", "fmt", "format"),
        (None, "single", None),
        ("crate::x", "*", None),
        ("super", "y", None),
        ("super", "z", None),
    ]


def test_pub_use_rows_are_exported() -> None:
    """Every visibility but ``pub(self)`` re-exports; a plain ``use`` is private; a ``use``
    in a macro body is read the same way."""
    source = b"""\
pub use self::a::{F, G as H};
pub(crate) use crate::b::*;
pub(super) use super::c::D;
pub(in crate::x) use e::E;
pub(self) use f::P;
use g::Q;
pub extern crate k;
cfg_net! {
    pub use self::tcp::TcpStream;
    use self::tcp::Private;
}
"""
    rows = [
        (i["module"], i["name"], i["alias"], i["exported"])
        for i in extract_file("rust", "m.rs", source).imports
    ]
    assert rows == [
        ("self::a", "F", None, True),
        ("self::a", "G", "H", True),
        ("crate::b", "*", None, True),
        ("super::c", "D", None, True),
        ("e", "E", None, True),
        ("f", "P", None, False),
        ("g", "Q", None, False),
        (None, "k", None, True),
        ("self::tcp", "TcpStream", None, True),
        ("self::tcp", "Private", None, False),
    ]


def test_calls_turbofish_and_scoped_macros() -> None:
    source = b"fn f() { parse::<u8>(s); x.collect::<Vec<_>>(); std::println!(); }\n"
    rows = [(c["callee"], c["callee_name"]) for c in extract_file("rust", "m.rs", source).calls]
    assert sorted(rows) == [
        ("parse", "parse"),
        ("std::println!", "println!"),
        ("x.collect", "collect"),
    ]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Foo", "Foo"),
        ("Foo<T>", "Foo"),
        ("&'a mut foo::Bar<T, Vec<U>>", "Bar"),
        ("crate::foo::Foo<T>", "Foo"),
        ("[u8]", "u8"),
        ("(T, u8)", "u8"),
        ("Box<dyn Fn(u8) -> u8>", "Box"),
    ],
)
def test_impl_type_name_like_ctags(written: str, name: str) -> None:
    assert impl_type_name(written) == name


def test_impl_methods_are_qualified_by_the_implemented_type() -> None:
    source = b"impl<'a, T> Trait for &'a mut Wrapper<T> { fn go(&self) {} }\n"
    result = extract_file("rust", "m.rs", source)
    assert [(s["kind"], s["qualified_name"]) for s in result.symbols] == [
        ("impl", "Wrapper"),
        ("method", "Wrapper::go"),
    ]
    assert [(i["child"], i["parent"], i["relation"]) for i in result.inherits] == [
        ("Wrapper", "Trait", "impl")
    ]


def test_blanket_impls_record_their_bounds() -> None:
    """`impl<T: Bound> Ext for T` (the type is the impl's own parameter): a marker row naming the
    parameter, a row per bound in the generics or a `where T:` clause (`?Sized`, lifetimes and
    other parameters' bounds skipped); an impl for a concrete or wrapped type is no blanket."""
    source = b"""\
impl<W: AsyncWrite + ?Sized, X: Other> AsyncWriteExt for W {}
impl<T> Ext for T where T: io::Read + Send + 'static, X: Baz {}
impl<T: ?Sized> Any for T {}
impl<T: Bound> Ext for &T {}
impl Foo for Bar where Bar: Baz {}
"""
    result = extract_file("rust", "m.rs", source)
    assert sorted((i["line"], i["child"], i["parent"], i["relation"]) for i in result.inherits) == [
        (1, "W", "AsyncWrite", "blanket"),
        (1, "W", "AsyncWriteExt", "impl"),
        (1, "W", "W", "blanket"),
        (2, "T", "Ext", "impl"),
        (2, "T", "Send", "blanket"),
        (2, "T", "T", "blanket"),
        (2, "T", "io::Read", "blanket"),
        (3, "T", "Any", "impl"),
        (3, "T", "T", "blanket"),
        (4, "T", "Ext", "impl"),
        (5, "Bar", "Foo", "impl"),
    ]


# Items inside item-position macro invocations (tokio's `cfg_rt! { ... }`) and calls inside macro
# arguments: the token trees are parsed again (see `macro_code` in languages/rust.py).
MACRO_SOURCE = b"""\
mod rt {
    cfg_rt! {
        /// Spawns a task.
        pub fn spawn<F>(f: F) -> JoinHandle {
            spawn_inner(f, None)
        }
        pub(crate) struct Handle { inner: u8 }
        impl Handle {
            pub fn current() -> Self { context::current().expect("rt") }
            cfg_metrics! {
                pub fn metrics(&self) -> Metrics { Metrics::new(self) }
            }
        }
        use crate::task::JoinHandle;
    }
}
impl Drop for Guard {
    fn drop(&mut self) {
        println!("{} {}", self.name(), format!("{}", count(1)));
        assert!(matches!(state(), Some(_) | State::Idle), "idle");
    }
}
tokio::select! {
    v = rx.recv() => handle(v),
}
quote! { fn #name() {} }
thread_local! { static CURRENT: Cell<u8> = Cell::new(0); }
"""


@pytest.fixture(scope="module")
def macro_result() -> FileExtraction:
    return extract_file("rust", "src/rt.rs", MACRO_SOURCE)


def test_items_inside_macro_bodies_exact(macro_result: FileExtraction) -> None:
    rows = [
        (
            s["kind"],
            s["name"],
            s["qualified_name"],
            s["parent"],
            s["start_line"],
            s["start_column"],
            s["end_line"],
            s["end_column"],
        )
        for s in macro_result.symbols
    ]
    assert rows == [
        ("module", "rt", "rt", None, 1, 0, 16, 1),
        # The macro invocation is no scope: its items belong to the enclosing `mod`/`impl`.
        ("function", "spawn", "rt::spawn", "rt", 4, 8, 6, 9),
        ("struct", "Handle", "rt::Handle", "rt", 7, 8, 7, 46),
        ("impl", "Handle", "rt::Handle", "rt", 8, 8, 13, 9),
        ("method", "current", "rt::Handle::current", "rt::Handle", 9, 12, 9, 72),
        # Nested macro inside an impl inside a macro: still a method of the impl.
        ("method", "metrics", "rt::Handle::metrics", "rt::Handle", 11, 16, 11, 71),
        ("impl", "Guard", "Guard", None, 17, 0, 22, 1),
        ("method", "drop", "Guard::drop", "Guard", 18, 4, 21, 5),
        # `quote! { fn #name() {} }` is not Rust code: no symbol.
        ("constant", "CURRENT", "CURRENT", None, 27, 16, 27, 56),
    ]
    # The file's own parse is clean; second parses never add to the error count.
    assert macro_result.error_count == 0


def test_imports_inside_macro_bodies(macro_result: FileExtraction) -> None:
    rows = [
        (i["module"], i["name"], i["alias"], i["enclosing"], i["line"])
        for i in macro_result.imports
    ]
    assert rows == [("crate::task", "JoinHandle", None, "rt", 14)]


def test_calls_inside_macros_exact(macro_result: FileExtraction) -> None:
    rows = [
        (c["line"], c["column"], c["callee"], c["callee_name"], c["enclosing"])
        for c in macro_result.calls
    ]
    assert rows == [
        (2, 4, "cfg_rt!", "cfg_rt!", "rt"),
        (5, 12, "spawn_inner", "spawn_inner", "rt::spawn"),
        (9, 39, "context::current().expect", "expect", "rt::Handle::current"),
        (9, 39, "context::current", "current", "rt::Handle::current"),
        (10, 12, "cfg_metrics!", "cfg_metrics!", "rt::Handle"),
        (11, 51, "Metrics::new", "new", "rt::Handle::metrics"),
        (19, 8, "println!", "println!", "Guard::drop"),
        (19, 26, "self.name", "name", "Guard::drop"),  # a macro argument
        (19, 39, "format!", "format!", "Guard::drop"),
        (19, 53, "count", "count", "Guard::drop"),  # an argument of a macro in an argument
        (20, 8, "assert!", "assert!", "Guard::drop"),
        (20, 16, "matches!", "matches!", "Guard::drop"),
        (20, 25, "state", "state", "Guard::drop"),
        # `select!` arms are no Rust expression: the body is dropped, no `rx.recv`/`handle`.
        (23, 0, "tokio::select!", "select!", None),
        (26, 0, "quote!", "quote!", None),
        (27, 0, "thread_local!", "thread_local!", None),
        (27, 43, "Cell::new", "new", None),
    ]
    assert [(i["child"], i["parent"], i["line"]) for i in macro_result.inherits] == [
        ("Guard", "Drop", 17)
    ]


def test_macro_bodies_in_functions_and_brackets() -> None:
    source = b"""\
fn outer() {
    cfg_x! { fn inner() { a(); } }
    let v = vec![b(1), c![d()]];
    let w = vec![1, 2];
}
"""
    result = extract_file("rust", "m.rs", source)
    assert [(s["qualified_name"], s["start_line"]) for s in result.symbols] == [
        ("outer", 1),
        ("outer::inner", 2),
    ]
    assert [(c["callee"], c["enclosing"], c["line"], c["column"]) for c in result.calls] == [
        ("cfg_x!", "outer", 2, 4),
        ("a", "outer::inner", 2, 26),
        ("vec!", "outer", 3, 12),
        ("b", "outer", 3, 17),
        ("c!", "outer", 3, 23),
        ("d", "outer", 3, 26),
        ("vec!", "outer", 4, 12),
    ]


def test_broken_macro_body_drops_only_itself() -> None:
    """Bodies of one nesting level are parsed together; an error drops only its own body."""
    source = b"a!(f(1));\nb!(=> g(2) =>);\nc!(h(3));\nd! { fn e( }\nstruct After;\n"
    result = extract_file("rust", "m.rs", source)
    assert [c["callee"] for c in result.calls] == ["a!", "f", "b!", "c!", "h", "d!"]
    assert [s["name"] for s in result.symbols] == ["After"]


def test_deep_and_many_macros_stay_bounded() -> None:
    """Nesting is parsed again at most MAX_EMBED_DEPTH levels deep; nothing recurses in Python."""
    levels = MAX_EMBED_DEPTH + 1  # the file's own tree, then one parse per nesting level
    deep_calls = b"fn f() { " + b"m!(" * 5_000 + b"g()" + b")" * 5_000 + b"; }"
    result = extract_file("rust", "m.rs", deep_calls)
    assert [c["callee"] for c in result.calls] == ["m!"] * levels  # `g` is deeper: not seen
    deep_items = b"m! { " * 3_000 + b"fn deep() {}" + b" }" * 3_000
    result = extract_file("rust", "m.rs", deep_items)
    assert (len(result.calls), result.symbols) == (levels, [])
    many = b"fn f() {\n" + b"    a!(b(1), c![d()]);\n" * 2_000 + b"}\n"
    result = extract_file("rust", "m.rs", many)
    assert [c["callee"] for c in result.calls] == ["a!", "b", "c!", "d"] * 2_000
    broken = b"m!(" * 50 + b"\xff\xfe(" + b")" * 10  # unbalanced, invalid UTF-8
    result = extract_file("rust", "m.rs", broken)
    assert result.error_count > 0 and result.symbols == []


RECEIVER_TYPES_SOURCE = b"""\
struct Server<G> { conn: Conn, tx: Arc<Sender>, gen: G }
impl<T> Server<T> {
    fn run(&self, a: Foo, b: &mut a::Bar<'_>, c: Box<Baz>, d: &dyn Tr, e: impl Tr2 + Send, g: T, h: &Self) {
        a.f(); b.f(); c.f(); d.f(); e.f(); g.f(); h.f();
        self.conn.close(); self.tx.send(); self.gen.f(); self.f(); self.nope.f();
        let x = Qux { a: 1 };
        x.f();
        let y = path::Qux::new();
        y.f();
        let z: Zed = make();
        z.f();
        let w = a;
        w.f();
        if let Some(a) = next() { a.f(); }
        let k = |a: Kay| a.f();
        let m = |a| a.f();
        let two = One::new(); let two = Two::new(); two.f();
        let arc = Arc::new(Foo::new()); arc.f();
        let made = make(); made.f();
    }
}
fn free<U: Tr>(u: U, v: Vec<Foo>, o: Option<Foo>) { u.f(); v.f(); o.f(); }
fn two<P: Tr + Tr2, Q>(p: P, q: &Q) where Q: Tr2 + Send { p.f(); q.f(); Q::g(); P::g(); }
"""


def test_receiver_types_of_rust_declarations() -> None:
    """``receiver_type``: parameters (references, paths, smart pointers, ``dyn``/``impl``
    traits), ``let`` with a type, a struct literal or ``Foo::new()``, copies, ``self.x`` fields of
    the impl's struct, a type parameter's one trait bound (also of a path call on it, ``Q::g()``),
    the last ``let`` of a name before the call; None for unbounded type parameters, ``Self``,
    untyped bindings."""
    result = extract_file("rust", "src/r.rs", RECEIVER_TYPES_SOURCE)
    typed = receiver_types(result)
    assert typed == [
        (4, "a.f", "Foo"),  # the `if let Some(a)` below shadows in its own scope only
        (4, "b.f", "a::Bar"),  # a path as written, without the reference and lifetime
        (4, "c.f", "Baz"),  # Box auto-derefs: the content's method
        (4, "d.f", "Tr"),  # dyn Trait: the trait's method
        (4, "e.f", "Tr2"),  # impl Trait + Send: the one non-marker bound
        (4, "g.f", None),  # the impl's type parameter
        (4, "h.f", None),  # Self
        (5, "self.conn.close", "Conn"),  # a field of the impl's struct
        (5, "self.tx.send", "Sender"),
        (5, "self.gen.f", None),  # the struct's type parameter
        (5, "self.f", None),
        (5, "self.nope.f", None),
        (7, "x.f", "Qux"),  # a struct literal
        (9, "y.f", "path::Qux"),  # the constructor convention: Path::new() is a Path
        (11, "z.f", "Zed"),  # the annotation wins over the value
        (13, "w.f", "Foo"),  # a copy of a's type
        (14, "a.f", "next()?"),  # the pattern's: the content of next()'s value, not a's
        (15, "a.f", "Kay"),  # a typed closure parameter
        (16, "a.f", None),  # an untyped one shadows
        (17, "two.f", "Two"),  # the later `let` shadows the earlier one
        (18, "arc.f", None),  # Arc::new is no Arc constructor convention: what it holds
        (19, "made.f", "make()"),  # what calling `make` returns (the CPG reads its `returns`)
        (22, "u.f", "Tr"),  # a type parameter: its one trait bound
        (22, "v.f", "Vec"),  # type arguments stripped
        (22, "o.f", "Option"),  # Option does not deref
        (23, "p.f", None),  # two traits bound it
        (23, "q.f", "Tr2"),  # bounded in a `where` clause (a marker bound left out)
    ]
    # a path call on a type parameter: its one trait bound
    assert [
        (call["line"], call["callee"], call["receiver_type"])
        for call in result.calls
        if call["line"] == 23 and "::" in str(call["callee"])
    ] == [(23, "Q::g", "Tr2"), (23, "P::g", None)]


BOUNDS_SOURCE = b"""\
struct W<T: Tr> { inner: T }
struct P<T: Tr>(T);
struct V<T> { inner: T }
impl W<Foo> { fn s(&self) { self.inner.f(); } }
impl<T: Tr> W<T> { fn g(&self) { self.inner.f(); } }
impl P<Foo> { fn s(&self) { self.0.f(); } }
impl<T> V<T> where T: Tr2 { fn g(&self) { self.inner.f(); } }
fn by(w: W<Foo>, r: &W<Foo>) { w.inner.f(); r.inner.f(); }
fn split<T: Tr + Tr2>(t: T) where T: Tr3 { t.f(); }
fn one_then_two<T: Tr3>(t: T) where T: Tr + Tr2 { t.f(); }
fn marked<T: Send + Tr + 'static>(t: T) where T: ?Sized + Sync { t.f(); }
fn called<F: Fn(u8) + Tr>(c: F) { c.f(); }
struct S<T>(T);
impl<T: Tr> S<T> {
    fn m(&self, t: T) where T: Tr2 { t.f(); }
    fn n(&self, t: T) { t.f(); }
}
impl<T> S<T> {
    fn o(&self, t: T) where T: Tr2 { t.f(); T::g(); }
}
fn deref<T: std::ops::Deref<Target = Foo>>(t: T, d: &dyn DerefMut<Target = Foo>) { t.f(); d.f(); }
"""


def _bounds_receiver_types(lines: range) -> list[tuple[object, ...]]:
    """(line, callee, receiver_type) of BOUNDS_SOURCE's calls on ``lines`` (path calls too)."""
    return [
        (call["line"], call["callee"], call["receiver_type"])
        for call in extract_file("rust", "src/b.rs", BOUNDS_SOURCE).calls
        if call["line"] in lines
    ]


def test_rust_field_of_a_type_parameter_is_bounded_in_a_generic_impl_only() -> None:
    """A struct's field of a type parameter (``inner: T``, ``struct W<T: Tr>``) is typed by a
    bound only as ``self.x`` in an impl declaring a parameter of that name (``impl<T: Tr>
    W<T>``, ``impl<T> V<T> where T: Tr2``: the impl's bound); elsewhere (``impl W<Foo>``,
    ``w: W<Foo>``, a tuple struct's ``self.0``) it is the type argument, Foo, whose own methods
    rustc calls: not known."""
    assert _bounds_receiver_types(range(4, 9)) == [
        (4, "self.inner.f", None),  # `impl W<Foo>`: Foo's
        (5, "self.inner.f", "Tr"),  # `impl<T: Tr> W<T>`
        (6, "self.0.f", None),  # `impl P<Foo>`: Foo's
        (7, "self.inner.f", "Tr2"),  # the impl's `where`, not the struct's (no bound)
        (8, "w.inner.f", None),  # `W<Foo>`
        (8, "r.inner.f", None),
    ]


def test_rust_bound_lists_are_split_at_plus() -> None:
    """Each bound list of a type parameter is split at ``+``, markers and lifetimes left out:
    ``T: Tr + Tr2`` with ``where T: Tr3`` is three traits (no one), not Tr3 alone; a trait of
    no named type (``Fn(u8)``) counts."""
    assert _bounds_receiver_types(range(9, 13)) == [
        (9, "t.f", None),  # three traits
        (10, "t.f", None),  # the where clause's two
        (11, "t.f", "Tr"),  # markers and lifetimes left out
        (12, "c.f", None),  # Fn(u8) is a trait too
    ]


def test_rust_bounds_of_a_method_on_its_impls_parameter_count() -> None:
    """A method's ``where T: Tr2`` on its impl's ``T`` adds to the impl's bounds (``impl<T:
    Tr>``: two traits, no one), or is the one (``impl<T>``), for a value and a path call."""
    assert _bounds_receiver_types(range(15, 20)) == [
        (15, "t.f", None),  # the impl's Tr and the method's Tr2
        (16, "t.f", "Tr"),
        (19, "t.f", "Tr2"),  # the method's `where` on the impl's T
        (19, "T::g", "Tr2"),
    ]


def test_rust_deref_bound_is_its_target() -> None:
    """A value bounded by ``Deref<Target = Foo>`` (``DerefMut``, ``dyn``) derefs to Foo, whose
    methods rustc calls, as a smart pointer's content."""
    assert _bounds_receiver_types(range(21, 22)) == [(21, "t.f", "Foo"), (21, "d.f", "Foo")]


@pytest.mark.parametrize(
    ("written", "declared"),
    [
        ("Foo", "Foo"),
        ("&'a mut crate::a::Foo<T>", "crate::a::Foo"),
        ("std::sync::Arc<Foo>", "Foo"),
        ("Pin<&mut Foo>", "Foo"),
        ("NonNull<Foo>", "NonNull"),  # no deref: its own methods (`as_ref()` a place step)
        ("std::ptr::NonNull<Foo>", "std::ptr::NonNull"),
        ("Box<dyn Error + Send + Sync + 'static>", "Error"),
        ("&'static str", "str"),
        ("Self", None),
        # primitive types that are no path: the primitive's name, which no identifier is
        # (a repository `struct pointer`), never what they hold; a tuple its elements' types
        ("(A, B)", "(A,B)"),
        ("(&'a mut crate::Foo, [u8], Self)", "(crate::Foo,[slice],_)"),
        ("(u8, (Foo, Bar))", "(u8,(Foo,Bar))"),
        ("(Foo,)", "(Foo,)"),
        ("()", "()"),
        ("[u8]", "[slice]"),
        ("&'a mut [Foo]", "[slice]"),
        ("[Foo; 4]", "[array]"),
        ("*const T", "*pointer"),
        ("*mut Foo", "*pointer"),
        ("Box<*mut Foo>", "*pointer"),
        ("fn(u8) -> u8", "fn"),
        ('unsafe extern "C" fn(u8)', "fn"),
        ("!", "!"),
        ("(Foo)", None),  # parentheses around one type: no tuple
        ("dyn Fn(u8) -> u8", None),
        ("impl Read + Write", None),
        ("<T as Tr>::X", None),
    ],
)
def test_rust_declared_type(written: str, declared: str | None) -> None:
    assert rust_declared_type(written) == declared


@pytest.mark.parametrize(
    ("callee", "unpinned"),
    [
        ("Pin::new(&mut self.inner).poll_write", "self.inner.poll_write"),
        ("std::pin::Pin::new(rx).poll", "rx.poll"),
        ("Pin::new(&mut *me.reader).poll_read", "me.reader.poll_read"),
        ("Pin::new(&mut *self.read.lock()).poll_read", None),  # no place: a call's value
        ("Pin::new(self).consume", "self.consume"),
        ("self.as_mut().flush_buf", "self.flush_buf"),  # Pin's reborrow
        ("self.delay.as_mut().reset", "self.delay.reset"),
        ("self.get_mut().as_mut().poll", None),
        ("self.as_mut().project().inner.start_seek", "self.inner.start_seek"),  # pin-project
        ("self.project().poll", None),  # the projection's own method
        ("Pin::new(x).a.b", None),
        ("Pin::new(x)", None),
        ("Pin::new_unchecked(x).f", "x.f"),  # as Pin::new: the pointer it pins
        ("Pin::into_inner(self).f", "self.f"),  # the pinned pointer itself
        ("Box::new(x).f", None),
        # Pin's own methods: rustc looks at `Pin<&mut T>` before T (Pin's, not the place's)
        ("Pin::new(&mut self.inner).get_mut", None),
        ("Pin::new(&mut self.inner).set", None),
        ("self.as_mut().as_ref", None),
        ("self.fut.as_mut().get_mut", None),
        ("self.project().inner.set", None),
        # a NonNull's pointee (POINTEE): no place of any other type
        ("entry.as_ref().handle", "*entry.handle"),
        ("self.ptr.as_ref().go", "*self.ptr.go"),
    ],
)
def test_rust_unpinned_callee(callee: str, unpinned: str | None) -> None:
    assert rust_unpinned_callee(callee) == unpinned


@pytest.mark.parametrize(
    ("written", "pointee"),
    [
        ("NonNull<Foo>", "Foo"),
        ("Option<std::ptr::NonNull<a::Foo<T>>>", "Option<a::Foo<T>>"),
        ("ptr::NonNull<dyn Fn() -> u8>", "dyn Fn() -> u8"),
        ("&mut Box<Foo>", "&mut Box<Foo>"),
        ("MyNonNull<Foo>", "MyNonNull<Foo>"),
        ("NonNull<Foo", "NonNull<Foo"),  # unclosed: as it is
    ],
)
def test_rust_pointee_text(written: str, pointee: str) -> None:
    assert rust_pointee_text(written) == pointee


@pytest.mark.parametrize(
    ("source", "callee", "unpinned"),
    [
        (b"", "self.as_mut().send", "self.send"),
        # the file's own `as_mut` (inherent or AsMut's): its value, no Pin's reborrow
        (b"impl Handle { pub fn as_mut(&mut self) -> &mut Conn {} }", "h.as_mut().send", None),
        (
            b"impl AsMut<Conn> for Wrap { fn as_mut(&mut self) -> &mut Conn {} }",
            "w.as_mut().send",
            None,
        ),
        (b"", "self.project().inner.fire", None),  # no pin-project: a `project` of another's
        (
            b"pin_project! { struct S { #[pin] inner: T } }",
            "self.project().inner.fire",
            "self.inner.fire",
        ),
        (
            b"#[pin_project]\nstruct S { #[pin] inner: T }",
            "self.project().inner.fire",
            "self.inner.fire",
        ),
        # `as_ref()`: a NonNull's pointee, whatever `as_ref` the file defines
        (
            b"impl AsRef<Inner> for Wrapper { fn as_ref(&self) -> &Inner {} }",
            "p.as_ref().go",
            "*p.go",
        ),
        # a struct's own `fn project`: its value
        (
            b"#[pin_project]\nstruct S;\nimpl E { fn project(&mut self) -> P {} }",
            "self.project().inner.fire",
            None,
        ),
    ],
)
def test_rust_receiver_unwrap_by_what_the_file_defines(
    source: bytes, callee: str, unpinned: str | None
) -> None:
    assert rust_receiver_unwrap(source)(callee) == unpinned


def test_rust_pinned_places_take_the_places_receiver_type() -> None:
    """``Pin::new(&mut self.conn).close()``: the field's type; a place of no known type keeps
    the receiver Pin::new's value."""
    source = b"""\
struct S { conn: Conn }
impl S {
    fn f(&mut self, x: Mutex) { Pin::new(&mut self.conn).close(); Pin::new(&mut *y).close(); }
}
"""
    typed = receiver_types(extract_file("rust", "src/p.rs", source), ending="close")
    assert typed == [
        (3, "Pin::new(&mut self.conn).close", "Conn"),
        (3, "Pin::new(&mut *y).close", "Pin::new()"),
    ]


RETURNS_SOURCE = b"""\
impl TcpStream {
    pub async fn connect(addr: &str) -> io::Result<TcpStream> {}
    pub fn open() -> Self {}
    pub fn try_open() -> Result<Option<&Self>, Error> {}
    fn get<T>() -> T {}
    fn later() -> impl Future<Output = Conn> {}
    fn pair() -> (A, B) {}
}
impl<T> Wrap<T> { fn inner(&self) -> &T {} }
trait Make { fn make() -> Self; }
fn run() {
    let s = TcpStream::connect(addr).await?;
    s.m();
    let a = TcpStream::try_open().unwrap().expect("no )");
    a.m();
    let b = Foo::<u8>::new();
    b.m();
    let c = Foo::new(x)?;
    c.m();
    let d = self.make(x)?;
    d.m();
    let e = Meters(1.0);
    e.m();
    let f = x.y();
    f.m();
    let g = Arc::new(x);
    g.m();
}
"""


def test_rust_type_aliases_return_the_type_they_stand_for() -> None:
    """A type alias's ``returns`` is the one type it stands for, as a return type is read
    (type arguments and smart pointers left out; an ``Option``'s content after a ``?``, which
    the CPG does not follow; an associated type of an impl too; a tuple its elements'
    types); None for no one type."""
    source = b"""\
pub(crate) type EntryList = crate::util::LinkedList<Entry, Entry>;
type Lists<T> = Arc<Mutex<T>>;
type Handle = Option<crate::Handle>;
type Pair = (A, B);
impl Storage for Wheel { type Store = SlabStorage<u8>; }
"""
    result = extract_file("rust", "src/a.rs", source)
    assert [
        (row["qualified_name"], row["returns"])
        for row in result.symbols
        if row["kind"] == "type_alias"
    ] == [
        ("EntryList", "crate::util::LinkedList"),
        ("Lists", "Mutex"),
        ("Handle", "? crate::Handle"),
        ("Pair", "(A,B)"),  # a primitive type, whose methods are std's
        ("Wheel::Store", "SlabStorage"),
    ]


def test_rust_return_types_and_bindings_to_a_calls_value() -> None:
    """``returns``: the type ``-> T`` declares (``Self`` -> the impl's type) after the
    operators that reach it (``.await`` for an ``async fn`` or ``impl Future<Output = T>``, one
    ``?`` per ``Result``/``Option``); a tuple is its elements' types, ``(A,B)``; a type
    parameter and a trait's ``Self`` are None.
    A binding to a call of a path is ``f()`` with the ``.await``/``?`` applied (``.unwrap()`` and
    ``.expect(..)`` count as ``?``), and so is one to a method of a value, ``x.y()``;
    ``Foo::new()`` stays the constructor convention."""
    result = extract_file("rust", "src/r.rs", RETURNS_SOURCE)
    assert [(row["qualified_name"], row["returns"]) for row in result.symbols] == [
        ("TcpStream", None),
        ("TcpStream::connect", ".await? TcpStream"),
        ("TcpStream::open", "TcpStream"),
        ("TcpStream::try_open", "?? TcpStream"),
        ("TcpStream::get", None),  # a type parameter of the function
        ("TcpStream::later", ".await Conn"),
        ("TcpStream::pair", "(A,B)"),  # a primitive type, whose methods are std's
        ("Wrap", None),
        ("Wrap::inner", None),  # a type parameter of the impl
        ("Make", None),
        ("Make::make", None),  # a trait's `Self`: whatever implements it
        ("run", None),
    ]
    assert receiver_types(result, ending=".m") == [
        (13, "s.m", "TcpStream::connect().await?"),
        (15, "a.m", "TcpStream::try_open()??"),
        (17, "b.m", "Foo"),  # `new` returns `Self`
        (19, "c.m", "Foo::new()?"),  # ... unless it is tried: its return type says
        (21, "d.m", "self.make()?"),
        (23, "e.m", "Meters()"),  # a tuple struct, if Meters is one (the CPG checks)
        (25, "f.m", "x.y()"),  # a method of another value (the CPG names it by x's type)
        (27, "g.m", None),  # a smart pointer derefs to what it holds
    ]


def test_receivers_written_over_lines_are_typed() -> None:
    """rustfmt's chains (``self\\n.state\\n.load()``, callee ``self .state .load``) have the
    receiver type of the same chain on one line; a field of a parameter's struct too, and a
    call's value in the chain (``self.io\\n.registration()\\n.try_io()``)."""
    source = b"""\
struct Inner { state: AtomicUsize }
impl Inner {
    fn f(&self, other: &Inner) {
        self
            .state
            .load();
        other
            .state
            .load();
        self.state.load();
        self.io
            .registration()
            .try_io();
    }
}
"""
    typed = receiver_types(extract_file("rust", "src/r.rs", source))
    assert typed == [
        (4, "self .state .load", "AtomicUsize"),
        (7, "other .state .load", "AtomicUsize"),  # the field of other's struct
        (10, "self.state.load", "AtomicUsize"),
        (11, "self.io .registration() .try_io", "self.io.registration()"),
        (11, "self.io .registration", None),
    ]


def test_struct_fields_statics_and_field_chains() -> None:
    """A struct's ``fields`` (named ones, their declared types as receivers read them: smart
    pointers stripped; a tuple is its elements' types), for field hops from other files; a
    ``static``'s declared type types it as a receiver; a chain of fields follows the file's
    structs (``o.tail.next``), from ``self`` as a field hop the CPG types (``Tail .next``)."""
    source = b"""\
struct Inner<T> { state: AtomicUsize, tail: Box<Tail>, gen: T, pair: (u8, u8) }
struct Tail { next: Next }
static CONTEXT: Context = Context::new();
impl<T> Inner<T> {
    fn f(&self, o: &Inner<T>) {
        self.tail.next.load();
        o.tail.next.load();
        CONTEXT.with();
    }
}
"""
    result = extract_file("rust", "src/a.rs", source)
    assert [
        (s["qualified_name"], s["fields"]) for s in result.symbols if s["kind"] == "struct"
    ] == [
        ("Inner", "gen;pair (u8,u8);state AtomicUsize;tail Tail"),
        ("Tail", "next Next"),
    ]
    assert receiver_types(result) == [
        (6, "self.tail.next.load", "Tail .next"),
        (7, "o.tail.next.load", "Next"),
        (8, "CONTEXT.with", "Context"),
    ]


def test_tuple_struct_fields_are_named_by_position() -> None:
    """A tuple struct's fields are ``fields`` named by their position (an attribute counts no
    field: ``#[cfg(unix)] Other`` is ``0``), typed as named ones are; ``self.1`` and a chain
    through it (``self.1.state``) read them; an untyped tuple value's (``pair.1``) is of no
    type. In an
    impl of a type the file does not declare, ``self.x`` is a field hop from the impl's type
    (``Handle .shared``), which the CPG types by the struct of another file; in an impl of
    the file's own struct, a field it lacks is no hop (``self.missing``: None)."""
    source = b"""\
struct Pair(#[cfg(unix)] Other, pub(crate) Box<Inner>, std::fs::OpenOptions);
impl Pair {
    fn go(&self) {
        self.1.run();
        self.1.state.load();
        self.2.create_new();
        self.missing.load();
        let pair = (Inner::new(), Other);
        pair.1.run();
    }
}
impl Handle {
    fn wake(&self) {
        self.shared.notify();
        self.0.inner.push();
    }
}
"""
    result = extract_file("rust", "src/a.rs", source)
    assert [
        (s["qualified_name"], s["fields"]) for s in result.symbols if s["kind"] == "struct"
    ] == [("Pair", "0 Other;1 Inner;2 std::fs::OpenOptions")]
    assert receiver_types(result) == [
        (4, "self.1.run", "Inner"),
        (5, "self.1.state.load", "Inner .state"),
        (6, "self.2.create_new", "std::fs::OpenOptions"),
        (7, "self.missing.load", None),
        (9, "pair.1.run", None),
        (14, "self.shared.notify", "Handle .shared"),
        (15, "self.0.inner.push", "Handle .0 .inner"),
    ]


@pytest.mark.parametrize(
    ("written", "element"),
    [
        ("Vec<Level>", "Level"),
        ("[CachedPage<T>; NUM_PAGES]", "CachedPage"),
        ("Box<[Level; 6]>", "Level"),
        ("&'a mut [a::Foo]", "a::Foo"),
        ("std::collections::VecDeque<Box<Task>>", "Task"),
        ("Arc<Vec<Level>>", "Level"),
        ("std::rc::Rc<[Task]>", "Task"),
        ("&Arc<Box<[a::Foo]>>", "a::Foo"),
        ("Box<Foo>", None),
        ("Arc<Foo>", None),
        ("Rc<RefCell<Vec<Foo>>>", None),
        ("HashMap<K, V>", None),
        ("(Foo, Bar)", None),
    ],
)
def test_rust_element_type(written: str, element: str | None) -> None:
    assert rust_element_type(written) == element


def test_elements_of_own_fields_are_typed() -> None:
    """``self.xs[i].f()`` is of the element type of the own struct's field ``xs`` (an array,
    a ``Vec``); a plain name's ``v[i]`` of its declared container's; none in an impl of a type
    the file does not declare."""
    source = b"""\
struct Wheel { levels: Vec<Level>, cached: [Page<T>; 4] }
impl<T> Wheel<T> {
    fn go(&self, v: &[Task]) {
        self.levels[level].add_entry();
        self.cached[i + 1].get();
        v[0].run();
    }
}
impl Other {
    fn go(&self) {
        self.levels[0].add_entry();
    }
}
"""
    result = extract_file("rust", "src/a.rs", source)
    assert receiver_types(result) == [
        (4, "self.levels[level].add_entry", "Level"),
        (5, "self.cached[i + 1].get", "Page"),
        (6, "v[0].run", "Task"),
        (11, "self.levels[0].add_entry", None),
    ]


def test_range_indexes_are_no_elements() -> None:
    """A range index (``xs[1..]``, ``v[..2]``, ``v[a..=b]``, ``v[..]``) is a slice of the
    container, whose methods are the slice's own (``len``, ``first``): no element type; an index
    whose range is inside a call's arguments (``v[f(0..2)]``) is one element."""
    source = b"""\
struct Wheel { levels: Vec<Level> }
impl Wheel {
    fn go(&self, v: Vec<Level>, a: usize, b: usize) {
        self.levels[1..].len();
        v[..2].first();
        v[a..=b].iter();
        v[..].len();
        v[f(0..2)].add_entry();
        self.levels[a].add_entry();
    }
}
"""
    result = extract_file("rust", "src/a.rs", source)
    assert receiver_types(result) == [
        (4, "self.levels[1..].len", None),
        (5, "v[..2].first", None),
        (6, "v[a..=b].iter", None),
        (7, "v[..].len", None),
        (8, "v[f(0..2)].add_entry", "Level"),
        (9, "self.levels[a].add_entry", "Level"),
    ]


def _map_value_or_element(text: str) -> str | None:
    """An ``index_type`` for the test below: a ``HashMap<K, V>``'s subscript is a ``V``, any
    other container's its element."""
    head, arguments = type_arguments(text)
    if arguments is not None and len(arguments) == 2 and head.endswith("HashMap"):
        return rust_declared_type(arguments[1].strip())
    return rust_element_type(text)


def test_own_field_elements_follow_the_index_type() -> None:
    """The element of a field of ``self`` is a subscript's value as a plain name's is: with a
    table whose ``index_type`` types a map's subscript (the Rust table has none: this one
    adds it), ``self.m[&k]`` of ``m: HashMap<K, Level>`` is a ``Level``; a ``Vec``'s is its
    element still."""
    rules = dataclasses.replace(rules_for("rust"), index_type=_map_value_or_element)
    source = b"""\
struct M { m: HashMap<K, Level>, v: Vec<Page> }
impl M {
    fn go(&self, k: K) {
        self.m[&k].add();
        self.v[0].refresh();
    }
}
"""
    assert receiver_types(extract(rules, "src/a.rs", source)) == [
        (4, "self.m[&k].add", "Level"),
        (5, "self.v[0].refresh", "Page"),
    ]
    assert receiver_types(extract_file("rust", "src/a.rs", source)) == [
        (4, "self.m[&k].add", None),
        (5, "self.v[0].refresh", "Page"),
    ]


@pytest.mark.parametrize(
    ("value", "pattern", "place"),
    [
        ("self.delay", True, ("self.delay", CONTENT)),
        ("&mut self.delay", True, ("self.delay", CONTENT)),
        ("self.inner.as_ref()", True, ("self.inner", CONTENT)),
        ("slot", True, ("slot", CONTENT)),
        ("core.driver.take()", True, ("core.driver", CONTENT)),
        ("self.core.take_driver()", True, None),  # a call's value: its return type's
        ("self", True, None),
        ('self.park.take().expect("park missing")', False, ("self.park", CONTENT)),
        ("self\n    .inner\n    .take()\n    .unwrap()", False, ("self.inner", CONTENT)),
        ("slot?", False, ("slot", CONTENT)),
        ("self.delay", False, None),  # a copy, not unwrapped
        ("self.a.b.take().unwrap()", False, None),  # two fields of `self`: not read
        ("self.inner.lock()", False, ("self.inner", LOCKED)),  # a guard for some locks only
        ("self.inner.read()", False, ("self.inner", LOCKED)),
        ("self.inner.lock().await", False, ("self.inner", GUARDED)),
        ("c.defer.borrow_mut()", False, ("c.defer", GUARDED)),
        ("self.slot.write().unwrap()", False, ("self.slot", GUARDED)),
        ("self.inner.lock()", True, None),  # `Some(x) = m.lock()`: a call's value
    ],
)
def test_rust_content_place(value: str, pattern: bool, place: tuple[str, str] | None) -> None:
    assert rust_content_place(value, pattern) == place


@pytest.mark.parametrize(
    ("written", "content"),
    [
        ("Option<Driver>", "Driver"),
        ("Option<Pin<Box<Sleep>>>", "Sleep"),
        ("&Option<Arc<Inner>>", "Inner"),
        ("io::Result<TcpStream>", "TcpStream"),
        ("Option<(A, B)>", "(A,B)"),
        ("Arc<Option<Driver>>", "Driver"),
        ("Driver", None),
        ("Vec<Driver>", None),
        ("Mutex<Driver>", None),  # no Option: a guard's content is GUARDED's
    ],
)
def test_rust_content_type(written: str, content: str | None) -> None:
    assert rust_content_type(written) == content


@pytest.mark.parametrize(
    ("written", "content"),
    [
        ("Mutex<Inner>", "Inner"),
        ("Arc<Mutex<Inner>>", "Inner"),
        ("crate::loom::sync::RwLock<Slots<T>>", "Slots"),
        ("RefCell<Defer>", "Defer"),
        ("Option<Driver>", None),
        ("Mutex<Vec<u8>>", "Vec"),  # a std type: no method of the repository
    ],
)
def test_rust_guarded_content_type(written: str, content: str | None) -> None:
    assert rust_content_type(written, GUARDED) == content


@pytest.mark.parametrize(
    ("written", "imported", "content"),
    [
        ("Mutex<Inner>", {"Mutex": "crate::loom::sync::Mutex"}, "Inner"),  # the repository's
        ("Arc<Mutex<Inner>>", {"Mutex": "parking_lot::Mutex"}, "Inner"),
        ("parking_lot::RwLock<Inner>", {}, "Inner"),
        ("crate::lock::Mutex<Inner>", {}, "Inner"),
        ("sync::Mutex<Inner>", {"sync": "crate::loom::sync"}, "Inner"),
        ("Mutex<Inner>", {"Mutex": "std::sync::Mutex"}, None),  # a LockResult
        ("sync::Mutex<Inner>", {"sync": "std::sync"}, None),
        ("std::sync::RwLock<Inner>", {}, None),
        ("Mutex<Inner>", {"Mutex": "tokio::sync::Mutex"}, None),  # a future
        ("Mutex<Inner>", {}, None),  # from nowhere known
        ("RefCell<Inner>", {}, None),  # no lock()
    ],
)
def test_rust_locked_content_type(
    written: str, imported: dict[str, str], content: str | None
) -> None:
    """A lock's ``lock()`` value as it is: the guard of what it holds only where that lock's
    path, through the file's imports, leads to a lock whose ``lock()`` gives the guard."""
    assert rust_content_type(written, LOCKED, imported) == content


def test_rust_returned_non_null_is_its_pointee_after_pointed() -> None:
    """A function's ``-> NonNull<T>`` returns ``.pointee T`` (POINTED: what the value's
    ``as_ref()`` reaches; the value itself, no operator, is std's NonNull), after the ``?`` of
    an ``Option`` around it; a NonNull in a Box is the Box's content, the NonNull."""
    assert rust_returned_type("NonNull<Block<T>>", False) == ".pointee Block"
    assert rust_returned_type("Option<std::ptr::NonNull<Header>>", False) == "?.pointee Header"
    assert rust_returned_type("Box<NonNull<Foo>>", False) == "NonNull"


def test_rust_ready_of_a_poll() -> None:
    """``ready!(v)`` takes the Ready value out of a ``Poll<T>`` (READY): a function's ``->
    Poll<T>`` returns ``.ready T`` (``.ready?`` of a ``Poll<io::Result<T>>``), a binding to
    ``ready!(f(cx))`` is ``f().ready``; another macro's value (``vec![..]``) has no type."""
    assert rust_returned_type("Poll<RestoreOnPending>", False) == ".ready RestoreOnPending"
    assert rust_returned_type("Poll<io::Result<usize>>", False) == ".ready? usize"
    assert rust_constructed_type("ready!(crate::coop::poll_proceed(cx))") == (
        "crate::coop::poll_proceed().ready"
    )
    assert rust_constructed_type("std::task::ready!(me.f(cx))?") == "me.f().ready?"
    assert rust_constructed_type("vec![Foo::new()]") is None
    # the macro's argument ends where its parenthesis closes, not at the text's last one
    assert rust_constructed_type("ready!(self.poll_opt(cx)).unwrap()") == "self.poll_opt().ready?"


def test_rust_ready_of_the_files_own() -> None:
    """A file's own ``macro_rules! ready`` that gives its argument as it is takes no Ready
    value out (the Poll itself: no type known); one that matches ``Ready(t) => t``, as tokio's
    own does, is std's."""
    value = "ready!(poll_proceed(cx))"
    plain = b"macro_rules! ready {\n    ($e:expr) => {\n        $e\n    };\n}\n"
    assert rust_file_constructed_type(plain)(value) is None
    tokios = (
        b"macro_rules! ready {\n    ($e:expr $(,)?) => {\n        match $e {\n"
        b"            std::task::Poll::Ready(t) => t,\n"
        b"            std::task::Poll::Pending => return std::task::Poll::Pending,\n"
        b"        }\n    };\n}\n"
    )
    assert rust_file_constructed_type(tokios)(value) == "poll_proceed().ready"
    # another macro's arm matching a Ready is not the file's `ready!`
    later = plain + b"macro_rules! other { ($e:expr) => { match $e { Poll::Ready(t) => t } } }"
    assert rust_file_constructed_type(later)(value) is None
    assert rust_file_constructed_type(b"fn f() {}")(value) == "poll_proceed().ready"
