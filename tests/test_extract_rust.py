"""Rust extraction: exact rows on a small crate file (conventions in languages/rust.py)."""

from __future__ import annotations

import pytest

from hamilton_modules.languages import FileExtraction, extract_file
from hamilton_modules.languages.rust import impl_type_name

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
