"""JavaScript extraction: exact rows (conventions in languages/javascript.py)."""

from __future__ import annotations

import pytest

from hamilton_modules.languages import FileExtraction, extract_file

SOURCE = b"""\
"use strict";
const fs = require("fs");
const { join, resolve: res } = require("path");
require("./side-effect");
import def, * as all from "esm";
export { thing } from "./things";
export * as utils from "./utils";

function outer(a) {
  function inner() { return a.b.c(); }
  return inner()();
}
function* gen() { yield next(); }
class Widget extends mixin(Base) {
  constructor() { super(); this.x = 1; }
  static create() { return new Widget(); }
  #secret() {}
  get size() { return compute(this); }
}
const arrow = (x) => x * 2, expr = function named() { return arrow(1); };
let Klass = class extends Widget { go() {} };
var obj = { method() { return dynamic`tpl`; } };
module.exports = { outer };
"""


@pytest.fixture(scope="module")
def result() -> FileExtraction:
    return extract_file("javascript", "lib/index.js", SOURCE)


def test_symbols_exact(result: FileExtraction) -> None:
    rows = [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"], s["end_line"])
        for s in result.symbols
    ]
    assert rows == [
        ("function", "outer", "outer", None, 9, 12),
        ("function", "inner", "outer.inner", "outer", 10, 10),
        ("function", "gen", "gen", None, 13, 13),  # generator
        ("class", "Widget", "Widget", None, 14, 19),
        ("method", "constructor", "Widget.constructor", "Widget", 15, 15),
        ("method", "create", "Widget.create", "Widget", 16, 16),
        ("method", "#secret", "Widget.#secret", "Widget", 17, 17),
        ("method", "size", "Widget.size", "Widget", 18, 18),
        ("function", "arrow", "arrow", None, 20, 20),
        ("function", "expr", "expr", None, 20, 20),  # named after the variable, not `named`
        ("class", "Klass", "Klass", None, 21, 21),
        ("method", "go", "Klass.go", "Klass", 21, 21),
        ("variable", "obj", "obj", None, 22, 22),  # an object literal with methods: a scope
        ("method", "method", "obj.method", "obj", 22, 22),  # object-literal method
    ]


def test_imports_exact(result: FileExtraction) -> None:
    rows = [(i["module"], i["name"], i["alias"], i["line"]) for i in result.imports]
    assert rows == [
        ("fs", "*", "fs", 2),  # const x = require(m): the whole module object
        ("path", "join", None, 3),
        ("path", "resolve", "res", 3),
        ("./side-effect", "*", None, 4),
        ("esm", "default", "def", 5),
        ("esm", "*", "all", 5),
        ("./things", "thing", None, 6),
        ("./utils", "*", "utils", 7),
    ]


def test_calls_exact(result: FileExtraction) -> None:
    rows = sorted(
        (c["line"], c["column"], c["callee"], c["callee_name"], c["enclosing"])
        for c in result.calls
    )
    assert rows == [
        (2, 11, "require", "require", None),
        (3, 31, "require", "require", None),
        (4, 0, "require", "require", None),
        (10, 28, "a.b.c", "c", "outer.inner"),
        (11, 9, "inner", "inner", "outer"),
        (11, 9, "inner()", "inner", "outer"),  # inner()(): two calls
        (13, 24, "next", "next", "gen"),
        (14, 21, "mixin", "mixin", "Widget"),
        (15, 18, "super", "super", "Widget.constructor"),
        (16, 27, "Widget", "Widget", "Widget.create"),  # new expression
        (18, 22, "compute", "compute", "Widget.size"),
        (20, 61, "arrow", "arrow", "expr"),
        (22, 30, "dynamic", "dynamic", "obj.method"),  # tagged template
    ]


def test_inherits_exact(result: FileExtraction) -> None:
    rows = [(i["child"], i["parent"], i["relation"], i["line"]) for i in result.inherits]
    assert rows == [
        ("Widget", "mixin(Base)", "extends", 14),
        ("Klass", "Widget", "extends", 21),
    ]
    assert result.error_count == 0


def test_jsx_and_module_extensions() -> None:
    source = b"export default function App() { return <b onClick={() => hit()}>x</b>; }\n"
    for path in ("a.jsx", "a.mjs", "a.cjs", "a.js"):
        result = extract_file("javascript", path, source)
        assert result.error_count == 0
        assert [s["qualified_name"] for s in result.symbols] == ["App"]
        assert [(c["callee"], c["enclosing"]) for c in result.calls] == [("hit", "App")]


def test_require_inside_a_function_is_enclosed() -> None:
    source = b"function load() { const m = require(name); const { a } = require('x'); }\n"
    result = extract_file("javascript", "a.js", source)
    # require(name) has no string literal argument: it is a call, not an import.
    assert [(i["module"], i["name"], i["enclosing"]) for i in result.imports] == [
        ("x", "a", "load")
    ]
    assert len(result.calls) == 2
