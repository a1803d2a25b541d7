"""JavaScript extraction: exact rows (conventions in languages/javascript.py)."""

from __future__ import annotations

import pytest

from hamilton_modules.languages import FileExtraction, extract_file
from tests.dataflow_support import receiver_types

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
        (c["line"], c["column"], c["callee"], c["callee_name"], c["enclosing"], c["this_symbol"])
        for c in result.calls
    )
    assert rows == [
        (2, 11, "require", "require", None, None),
        (3, 31, "require", "require", None, None),
        (4, 0, "require", "require", None, None),
        (10, 28, "a.b.c", "c", "outer.inner", "outer.inner"),
        (11, 9, "inner", "inner", "outer", "outer"),
        (11, 9, "inner()", "inner", "outer", "outer"),  # inner()(): two calls
        (13, 24, "next", "next", "gen", "gen"),
        (14, 21, "mixin", "mixin", "Widget", None),  # the heritage is outside the class body
        (15, 18, "super", "super", "Widget.constructor", "Widget.constructor"),
        (16, 27, "Widget", "Widget", "Widget.create", "Widget.create"),  # new expression
        (18, 22, "compute", "compute", "Widget.size", "Widget.size"),
        (20, 61, "arrow", "arrow", "expr", "expr"),  # `function named`, bound to expr
        (22, 30, "dynamic", "dynamic", "obj.method", "obj.method"),  # tagged template
    ]


# What `this` is at each call (ECMAScript): every non-arrow function, method and class body has
# its own, an arrow function sees the one around it.
THIS = b"""class Foo {
  bar() {
    arr.forEach(function () { this.m(); });
    const cb = () => this.render();
    const g = () => () => this.deep();
    function nested() { this.n(); }
    arr.map(function named() { this.o(); });
  }
  handler = () => this.m();
  method = function () { this.p(); };
  static create() { return this.make(); }
  static { this.init(); }
  x = this.compute();
}
this.top();
const top = () => this.q();
function Shape() { this.a(); this.grow = function () { this.b(); }; }
Shape.prototype.d = function () { this.c(); };
const api = { get() { this.post(); }, put: function () { this.post(); }, del: () => this.r() };
const K = class { k() { this.kk(); } };
function connect(socket) { socket.onopen = function () { this.send(); }; }
exports.f = function g() { this.h(); };
function* gen() { yield this.next(); }
class Btn { click() { go(function () { this.a(); }.bind(this)); } }
"""


def test_this_symbol_is_the_innermost_non_arrow_function_method_or_class() -> None:
    result = extract_file("javascript", "this.js", THIS)
    assert result.error_count == 0
    calls = [(c["line"], c["callee"], c["enclosing"], c["this_symbol"]) for c in result.calls]
    assert calls == [
        (3, "arr.forEach", "Foo.bar", "Foo.bar"),
        (3, "this.m", "Foo.bar", None),  # an anonymous callback's own `this`
        (4, "this.render", "Foo.bar.cb", "Foo.bar"),  # an arrow: the method's `this`
        (5, "this.deep", "Foo.bar.g", "Foo.bar"),  # arrow in arrow
        (6, "this.n", "Foo.bar.nested", "Foo.bar.nested"),  # a nested named function's own
        (7, "arr.map", "Foo.bar", "Foo.bar"),
        (7, "this.o", "Foo.bar", None),  # a named function expression is no symbol
        (9, "this.m", "Foo.handler", "Foo"),  # a field initializer: the class
        (10, "this.p", "Foo.method", "Foo.method"),  # a function-valued field: its own
        (11, "this.make", "Foo.create", "Foo.create"),  # a static method
        (12, "this.init", "Foo", "Foo"),  # a static block: the class
        (13, "this.compute", "Foo", "Foo"),
        (15, "this.top", None, None),  # the top level
        (16, "this.q", "top", None),  # an arrow at the top level: the module's `this`
        (17, "this.a", "Shape", "Shape"),
        (17, "this.b", "Shape.grow", "Shape.grow"),
        (18, "this.c", "Shape.d", "Shape.d"),
        (19, "this.post", "api.get", "api.get"),
        (19, "this.post", "api.put", "api.put"),
        (19, "this.r", "api.del", None),  # an arrow in an object literal at the top level
        (20, "this.kk", "K.k", "K.k"),
        (21, "this.send", "connect", None),  # a handler stored on a value: no symbol
        (22, "this.h", "f", "f"),
        (23, "this.next", "gen", "gen"),
        (24, "go", "Btn.click", "Btn.click"),
        # a call that starts with a function is outside it: `.bind` is called in `click`
        (24, "function () { this.a(); }.bind", "Btn.click", "Btn.click"),
        (24, "this.a", "Btn.click", None),
    ]


def test_inherits_exact(result: FileExtraction) -> None:
    rows = [(i["child"], i["parent"], i["relation"], i["line"]) for i in result.inherits]
    assert rows == [
        ("Widget", "mixin(Base)", "extends", 14),
        ("Klass", "Widget", "extends", 21),
    ]
    assert result.error_count == 0


def test_parenthesized_base_is_the_name_inside() -> None:
    """``extends (Dep.Template)`` (webpack wraps long bases so): the base is the name inside
    the parentheses, past a comment; another expression in them is no base row."""
    source = (
        b"class A extends (\n  /** base */ Dep.Template\n) {}\n"
        b"const B = class extends (C) {};\n"
        b"X.T = class T extends (E.F) {};\n"
        b"class G extends (mixin(H)) {}\n"
    )
    result = extract_file("javascript", "a.js", source)
    rows = [(i["child"], i["parent"], i["line"]) for i in result.inherits]
    assert rows == [("A", "Dep.Template", 2), ("B", "C", 4), ("X.T", "E.F", 5)]


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


SCOPES = b"""\
const api = { get() { return fetch(); }, post: function () {}, put: () => {} };
module.exports = { f() { return api.get(); } };
exports.helpers = { h() {} };
module.exports.more = { m() {} };
api.extra = { e() {} };
class C {
  handlers = { onFocus() {} };
  constructor() { this.state = { reset() { this.clear(); } }; }
}
function Widget() { this.events = { fire() {} }; }
export default { mounted() { this.go(); }, go() {} };
exports.count = 1;
api.value = { n: 1 };
"""


def test_object_literal_scopes_bound_to_names_exact() -> None:
    result = extract_file("javascript", "lib/scopes.js", SCOPES)
    assert result.error_count == 0
    rows = [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"], s["start_column"])
        for s in result.symbols
    ]
    assert rows == [
        ("constant", "api", "api", None, 1, 6),
        ("method", "get", "api.get", "api", 1, 14),
        ("method", "post", "api.post", "api", 1, 41),
        ("method", "put", "api.put", "api", 1, 63),
        # `module.exports = {...}` is the module itself: no symbol, its methods are top-level
        ("method", "f", "f", None, 2, 19),
        ("property", "helpers", "helpers", None, 3, 0),  # CommonJS exports: top level
        ("method", "h", "helpers.h", "helpers", 3, 20),
        ("property", "more", "more", None, 4, 0),
        ("method", "m", "more.m", "more", 4, 24),
        ("property", "extra", "api.extra", "api", 5, 0),  # under the object as written
        ("method", "e", "api.extra.e", "api.extra", 5, 14),
        ("class", "C", "C", None, 6, 0),
        ("property", "handlers", "C.handlers", "C", 7, 2),  # an object-valued class field
        ("method", "onFocus", "C.handlers.onFocus", "C.handlers", 7, 15),
        ("method", "constructor", "C.constructor", "C", 8, 2),
        # `this` in a method is the instance: the property belongs to the class
        ("property", "state", "C.state", "C", 8, 18),
        ("method", "reset", "C.state.reset", "C.state", 8, 33),
        ("function", "Widget", "Widget", None, 10, 0),
        # `this` in a plain function (a constructor called with `new`) is the function's object
        ("property", "events", "Widget.events", "Widget", 10, 20),
        ("method", "fire", "Widget.events.fire", "Widget.events", 10, 36),
        # the anonymous default export is named `default` (what `import x from` binds)
        ("constant", "default", "default", None, 11, 0),
        ("method", "mounted", "default.mounted", "default", 11, 17),
        ("method", "go", "default.go", "default", 11, 43),
    ]
    calls = [(c["callee"], c["enclosing"], c["line"]) for c in result.calls]
    assert calls == [
        ("fetch", "api.get", 1),
        ("api.get", "f", 2),
        ("this.clear", "C.state.reset", 8),
        ("this.go", "default.mounted", 11),
    ]


MEMBERS = b"""\
let x = { a: { b() { return run(); } } };
const deep = { a: { b: { c() {} } }, n: 1 };
var data = { a: { b: { c: 1 } }, list: [1, 2] };
const list = { items: [{ each() {} }] };
const wrapped = ({ w() {} });
exports.f = function () { return helper(); };
module.exports.g = () => {};
exports.h = function named() { named(); };
module.exports = function () {};
function Foo(name) { this.name = name; this.reset = function () {}; }
Foo.prototype.bar = function () { return this.baz(); };
Foo.create = function () { return new Foo(); };
function Bar() {}
Bar.prototype = { baz() { this.bar(); }, qux: function () {}, n: 1 };
function connect(socket) {
  socket.onopen = () => { start(); };
  socket.handlers = { onerror() {} };
}
class View { constructor() { this.render = () => draw(); } }
"""


def test_nested_objects_commonjs_members_and_prototypes_exact() -> None:
    result = extract_file("javascript", "lib/members.js", MEMBERS)
    assert result.error_count == 0
    rows = [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"], s["start_column"])
        for s in result.symbols
    ]
    assert rows == [
        # Nested object literals are scopes when a method is inside them, at any depth.
        ("variable", "x", "x", None, 1, 4),
        ("property", "a", "x.a", "x", 1, 10),
        ("method", "b", "x.a.b", "x.a", 1, 15),
        ("constant", "deep", "deep", None, 2, 6),
        ("property", "a", "deep.a", "deep", 2, 15),
        ("property", "b", "deep.a.b", "deep.a", 2, 20),
        ("method", "c", "deep.a.b.c", "deep.a.b", 2, 25),
        # `data` holds no method anywhere: no symbol, nor are `data.a`, `data.a.b`.
        # A method anywhere in the value belongs to the bound object (an array's element too).
        ("constant", "list", "list", None, 4, 6),
        ("method", "each", "list.each", "list", 4, 25),
        ("constant", "wrapped", "wrapped", None, 5, 6),  # parentheses change nothing
        ("method", "w", "wrapped.w", "wrapped", 5, 19),
        # CommonJS members are functions of the module (top level); `named` is local to `h`.
        ("function", "f", "f", None, 6, 0),
        ("function", "g", "g", None, 7, 0),
        ("function", "h", "h", None, 8, 0),
        # `module.exports = function () {}`: the module itself, named after it.
        ("function", "members", "members", None, 9, 0),
        # An ES5 constructor stays a function; its prototype's and `this`' members are its.
        ("function", "Foo", "Foo", None, 10, 0),
        ("method", "reset", "Foo.reset", "Foo", 10, 39),
        ("method", "bar", "Foo.bar", "Foo", 11, 0),
        ("method", "create", "Foo.create", "Foo", 12, 0),  # a function in Foo's property
        ("function", "Bar", "Bar", None, 13, 0),
        # `Bar.prototype = {...}`: the prototype is no symbol, its methods are Bar's.
        ("method", "baz", "Bar.baz", "Bar", 14, 18),
        ("method", "qux", "Bar.qux", "Bar", 14, 41),
        # Inside a function, `socket` is a value it holds: no symbols for its members; the
        # object's method stays the function's, like `register({ cb() {} })`.
        ("function", "connect", "connect", None, 15, 0),
        ("method", "onerror", "connect.onerror", "connect", 17, 22),
        ("class", "View", "View", None, 19, 0),
        ("method", "constructor", "View.constructor", "View", 19, 13),
        ("method", "render", "View.render", "View", 19, 29),  # `this` in a method: the class
    ]
    calls = [(c["callee"], c["enclosing"], c["line"]) for c in result.calls]
    assert calls == [
        ("run", "x.a.b", 1),
        ("helper", "f", 6),
        ("named", "h", 8),
        ("this.baz", "Foo.bar", 11),
        ("Foo", "Foo.create", 12),  # new Foo()
        ("this.bar", "Bar.baz", 14),
        ("start", "connect", 16),  # the handler is part of `connect`
        ("draw", "View.render", 19),
    ]


# Found by the Universal Ctags oracle on webpack (tests/test_oracle_ctags.py): class expressions
# assigned to members and `module.exports`, and function values in a JSDoc cast's parentheses,
# had no symbol (their methods were top-level ones with no parent).
ASSIGNED_VALUES = b"""module.exports = class Factory extends Base {
  create() { this.make(); }
};
Dep.Template = class DepTemplate extends Dep.Base {
  apply() {}
};
exports.Plain = class { m() {} };
X.prototype.f = /** @type {F} */ (function () { this.g(); });
const h = /** @type {F} */ ((a) => a);
const o = { p: /** @type {F} */ (v => v) };
"""


def test_assigned_class_expressions_and_cast_functions_exact() -> None:
    result = extract_file("javascript", "lib/Factory.js", ASSIGNED_VALUES)
    assert result.error_count == 0
    rows = [
        (s["kind"], s["qualified_name"], s["parent"], s["start_line"], s["start_column"])
        for s in result.symbols
    ]
    assert rows == [
        # `module.exports = class Factory` is the module itself: the class by its own name
        ("class", "Factory", None, 1, 0),
        ("method", "Factory.create", "Factory", 2, 2),
        # assigned to a member: named after it, as `exports.f = function g() {}` is `f`
        ("class", "Dep.Template", "Dep", 4, 0),
        ("method", "Dep.Template.apply", "Dep.Template", 5, 2),
        ("class", "Plain", None, 7, 0),  # `exports.Plain`: the module's namespace
        ("method", "Plain.m", "Plain", 7, 24),
        # a function in a JSDoc cast's parentheses is the function
        ("method", "X.f", "X", 8, 0),
        ("function", "h", None, 9, 6),
        ("constant", "o", None, 10, 6),
        ("method", "o.p", "o", 10, 12),
    ]
    inherits = [(i["child"], i["parent"], i["line"]) for i in result.inherits]
    assert inherits == [("Factory", "Base", 1), ("Dep.Template", "Dep.Base", 4)]
    calls = [(c["callee"], c["enclosing"], c["this_symbol"], c["line"]) for c in result.calls]
    assert calls == [
        ("this.make", "Factory.create", "Factory.create", 2),
        ("this.g", "X.f", "X.f", 8),
    ]


def test_module_exports_named_function_is_a_function_anonymous_none() -> None:
    named = b"module.exports = function objectToMap(obj) { return helper(obj); };\n"
    result = extract_file("javascript", "objectToMap.js", named)
    assert [(s["kind"], s["qualified_name"], s["parent"]) for s in result.symbols] == [
        ("function", "objectToMap", None)
    ]
    assert [(c["callee"], c["enclosing"]) for c in result.calls] == [("helper", "objectToMap")]
    # an anonymous class, or a named value assigned to any other member than `module.exports`
    other = b"module.exports = class {};\nfoo.bar = class {};\n"
    rows = [
        (s["kind"], s["qualified_name"]) for s in extract_file("javascript", "a.js", other).symbols
    ]
    assert rows == [("class", "foo.bar")]


def test_module_exports_anonymous_function_is_named_after_the_module() -> None:
    """``module.exports = (a) => {}`` / ``= function () {}`` at the top level: the module object
    is that function, named by the module's own name (the file name up to its first dot), with
    an export= row of that name; none when the file defines that name elsewhere (it would
    shadow it), when it assigns ``module.exports`` more than once, or inside a function."""
    source = b"const x = require('./x');\nmodule.exports = (a, b) => { x(a); };\n"
    result = extract_file("javascript", "lib/util/makeThing.runtime.js", source)
    assert [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"], s["end_line"])
        for s in result.symbols
    ] == [("function", "makeThing", "makeThing", None, 2, 2)]
    assert [(c["callee"], c["enclosing"]) for c in result.calls] == [
        ("require", None),
        ("x", "makeThing"),
    ]
    assert [(i["module"], i["name"], i["alias"], i["exported"]) for i in result.imports] == [
        ("./x", "*", "x", False),
        (None, "makeThing", "export=", True),
    ]
    generator = extract_file("javascript", "gen.js", b"module.exports = function* () {};\n")
    assert [s["qualified_name"] for s in generator.symbols] == ["gen"]
    for path, text, others in (
        ("lib/f.js", b"function f() {}\nmodule.exports = function () { f(); };\n", ["f"]),
        ("lib/g.js", b"class A { g() {} }\nmodule.exports = () => {};\n", ["A", "A.g"]),
        ("lib/h.js", b"module.exports = () => 1;\nmodule.exports = () => 2;\n", []),
        ("lib/k.js", b"function run() { module.exports = () => {}; }\n", ["run"]),
    ):
        negative = extract_file("javascript", path, text)
        assert [s["qualified_name"] for s in negative.symbols] == others, path
        assert [i for i in negative.imports if i["alias"] == "export="] == [], path


def test_object_scopes_at_depth() -> None:
    """Which objects are scopes is decided by nesting, not by a query's fixed depth."""
    depth = 300
    with_method = b"let x = " + b"{a:" * depth + b"{ m() {} }" + b"}" * depth + b";"
    symbols = extract_file("javascript", "deep.js", with_method).symbols
    assert len(symbols) == depth + 2
    assert symbols[-1]["qualified_name"] == "x." + "a." * depth + "m"
    without = b"let x = " + b"{a:" * 10_000 + b"{ m: 1 }" + b"}" * 10_000 + b";"
    assert extract_file("javascript", "deep.js", without).symbols == []


def test_code_in_a_prototype_object_runs_where_it_is_written() -> None:
    """`Bar.prototype = {...}` names the parent of its methods, but is no symbol: the calls in
    it (outside its methods) are enclosed by the scope the assignment is written in."""
    source = b"""\
function outer() {
  Bar.prototype = { x: compute(), m() { run(); } };
}
Baz.prototype = { y: make(), n() {} };
"""
    result = extract_file("javascript", "proto.js", source)
    assert [(s["kind"], s["qualified_name"], s["parent"]) for s in result.symbols] == [
        ("function", "outer", None),
        ("method", "Bar.m", "Bar"),  # a prototype is placed wherever it is assigned
        ("method", "Baz.n", "Baz"),
    ]
    assert [(c["callee"], c["enclosing"]) for c in result.calls] == [
        ("compute", "outer"),
        ("run", "Bar.m"),
        ("make", None),
    ]


RECEIVER_TYPES_SOURCE = b"""\
const shared = new lib.Service();
class Widget {
  built = new Builder();
  count = 0;
  constructor(engine = new Engine()) {
    this.made = new Made();
    engine.m();
  }
  run(a, { b }) {
    a.m(); b.m(); shared.m(); this.built.m(); this.count.m(); this.made.m();
    let twice = new One();
    twice = new Two();
    twice.m();
    const copy = shared;
    copy.m();
  }
}
function plain(shared) { shared.m(); }
"""


def test_receiver_types_of_javascript_values() -> None:
    """``receiver_type`` in JavaScript: what `new` makes, in variables, default parameters and
    class fields (`this.x`), and copies of such a name; None for untyped bindings."""
    result = extract_file("javascript", "w.js", RECEIVER_TYPES_SOURCE)
    typed = receiver_types(result)
    assert typed == [
        (1, "lib.Service", None),
        (7, "engine.m", "Engine"),
        (10, "a.m", None),
        (10, "b.m", None),
        (10, "shared.m", "lib.Service"),
        (10, "this.built.m", "Builder"),
        (10, "this.count.m", None),
        (10, "this.made.m", "Made"),
        (13, "twice.m", None),
        (15, "copy.m", "lib.Service"),
        (18, "shared.m", None),  # the parameter shadows the module's
    ]


def test_receiver_types_follow_javascript_block_scopes() -> None:
    """JavaScript blocks: a block's ``const`` shadows the module's inside the block only."""
    source = b"""\
const item = new Foo();
function f(flag) {
  if (flag) {
    const item = new Bar();
    item.m();
  }
  item.m();
}
"""
    result = extract_file("javascript", "blocks.js", source)
    typed = receiver_types(result, ending=".m")
    assert typed == [(5, "item.m", "Bar"), (7, "item.m", "Foo")]


def test_using_declarations_are_block_scoped_declarations() -> None:
    """``using r = ...`` / ``await using r = ...`` declare r in their block, as ``const``: after
    the block the module's r (tsc: ``Q.m`` there)."""
    source = b"""\
const r = new Q();
async function g() {
  {
    await using r = new R();
    r.m();
  }
  r.m();
  using s = new R();
  s.m();
}
"""
    result = extract_file("javascript", "using.js", source)
    assert result.error_count == 0
    typed = receiver_types(result, ending=".m")
    assert typed == [(5, "r.m", "R"), (7, "r.m", "Q"), (9, "s.m", "R")]


def test_a_class_expression_binds_its_own_name_where_it_is_a_symbol() -> None:
    """A class expression's own name is an imports row (None, <the class symbol>, name) the
    class encloses, where the class is a symbol and its body writes the name; none for a class
    that is no symbol (an argument, a field's value, a member of a function's value), nor for
    one named as its symbol or whose body never names itself (a longer name, a string or a
    comment with its text are no names of it), nor for one that ends where
    another symbol ends (an arrow function's value). In the methods of a class that is no
    symbol its own name is a value (``receiver_local``), in a symbol's the class."""
    source = b"""\
const A = class Inner { m() { Inner.s(); } static s() {} };
D.T = class DT { m() { DT.s(); } };
exports.E = class EE { m() {} };
const S = class S { m() { S.m(); } };
foo(class Z { m() { Z.h(); } });
class O { static X = class Y { m() { Y.m(); } }; }
function f() { x.y = class W { m() { W.m(); } }; }
module.exports = class M { m() { M.m(); } };
const g = () => class Z { m() { Z.h(); } static h() {} };
const Q = class In { Inner() { return "In"; } /* In */ };
"""
    result = extract_file("javascript", "lib/a.js", source)
    rows = [(i["module"], i["name"], i["alias"], i["enclosing"]) for i in result.imports]
    assert [row for row in rows if row[2] != "export="] == [
        (None, "A", "Inner", "A"),
        (None, "D.T", "DT", "D.T"),
    ]
    assert [(call["line"], call["callee"], call["receiver_local"]) for call in result.calls] == [
        (1, "Inner.s", False),
        (2, "DT.s", False),
        (4, "S.m", False),
        (5, "foo", False),
        (5, "Z.h", True),
        (6, "Y.m", True),
        (7, "W.m", True),
        (8, "M.m", False),
        (9, "Z.h", True),
    ]


def test_local_functions_and_static_blocks_bind_values() -> None:
    """``receiver_local`` of names no ``let``/``const``/``var`` binds: a function declared in a
    function binds its name in the whole function (hoisted: before the declaration too), one
    declared in a block in the block only; a named function expression binds its own name in
    itself; a ``let`` in a class's ``static {}`` block is the block's (no field of the class).
    A module's own function is no local value."""
    source = b"""\
function h3() { B.f(); function B() {} }
function h3b() { B.f(); { function* B() {} } }
function h3c() { if (B) { B.f(); function B() {} } }
const h15 = function B() { B.f(); };
const h16 = function () { B.f(); };
class S1 { static { let B = 1; B.f(); } m() { B.f(); } }
function T() {}
T.f();
"""
    result = extract_file("javascript", "hoisted.js", source)
    assert [(call["line"], call["callee"], call["receiver_local"]) for call in result.calls] == [
        (1, "B.f", True),
        (2, "B.f", False),
        (3, "B.f", True),
        (4, "B.f", True),
        (5, "B.f", False),
        (6, "B.f", True),
        (6, "B.f", False),
        (8, "T.f", False),
    ]


def test_a_binding_of_a_definition_is_no_other_bindings_of_its_name() -> None:
    """``receiver_local`` reads the binding that holds at the call: a block's ``const B =
    class {}`` or ``const m = require()`` binds a definition or a module there only; another
    block's ``const B = 1``, the function's ``let m = 2`` in a block, bind values."""
    source = b"""\
function k() {
  if (A) { const B = class extends A {}; B.f(); }
  if (A) { const B = 1; B.s(); }
  const m = require("m");
  m.f();
  { let m = 2; m.g(); }
}
"""
    result = extract_file("javascript", "twoblocks.js", source)
    calls = [(call["line"], call["callee"], call["receiver_local"]) for call in result.calls]
    assert [call for call in calls if call[1] != "require"] == [
        (2, "B.f", False),
        (3, "B.s", True),
        (5, "m.f", False),
        (6, "m.g", True),
    ]


def test_receivers_that_start_with_a_local_value() -> None:
    """``receiver_local``: a member call whose receiver starts with a name a function or a
    block around binds to a value (a parameter, of an arrow function and a method too,
    destructured, a ``var`` or a block's ``let``/``const``, a loop or ``catch`` variable, at the
    top level too); not a module's own variable, a name a scope only assigns, a block's binding
    outside its block, ``const C = class {}`` (the class) nor a ``require`` (an import);
    ``(x).f()``, ``x?.f()`` and ``x[0].f()`` start with x; ``this.f()`` and bare calls are
    False."""
    source = b"""\
let top = make();
top.a();
function g(p, { q }, [r]) {
  p.a(); q.a(); r.a();
  var v = 1;
  v.a();
  top = 2;
  top.b();
  if (p) {
    const top = 3;
    top.c();
  }
  top.d();
  const C = class {};
  C.a();
  const m = require("./m");
  m.a();
  const { n } = require("./n");
  n.a();
  (p).b(); p?.c(); p[0].d(); p.x.y();
  this.a(); g();
}
const k = (a) => a.b();
class Q {
  m(s) { s.a(); this.b(); }
}
for (const e of []) e.a();
try {} catch (x) { x.a(); }
e.b(); x.b();
"""
    result = extract_file("javascript", "locals.js", source)
    assert [(call["line"], call["callee"], call["receiver_local"]) for call in result.calls] == [
        (1, "make", False),
        (2, "top.a", False),
        (4, "p.a", True),
        (4, "q.a", True),
        (4, "r.a", True),
        (6, "v.a", True),
        (8, "top.b", False),
        (11, "top.c", True),
        (13, "top.d", False),
        (15, "C.a", False),
        (16, "require", False),
        (17, "m.a", False),
        (18, "require", False),
        (19, "n.a", False),
        (20, "(p).b", True),
        (20, "p?.c", True),
        (20, "p[0].d", True),
        (20, "p.x.y", True),
        (21, "this.a", False),
        (21, "g", False),
        (23, "a.b", True),
        (25, "s.a", True),
        (25, "this.b", False),
        (27, "e.a", True),
        (28, "x.a", True),
        (29, "e.b", False),
        (29, "x.b", False),
    ]


def test_a_block_type_with_assignments_of_an_inner_function_is_not_memoized() -> None:
    """A block's ``let`` read from a function that assigns it (``a``) agrees with that
    assignment too, from one that does not (``b``) and from the block itself with its
    declaration only: an answer taken with ``a``'s assignment is not kept for the others,
    nor is ``a`` given the one kept (the block's memo holds answers of the declarations
    alone)."""
    source = b"""\
function outer() {
  {
    let x = new Foo();
    x.e();
    function a() { x = new Bar(); x.f(); }
    function b() { x.g(); }
    x.h();
  }
}
"""
    typed = receiver_types(extract_file("javascript", "memo.js", source))
    assert typed == [(4, "x.e", "Foo"), (5, "x.f", None), (6, "x.g", "Foo"), (7, "x.h", "Foo")]


def test_for_of_variables_are_elements_of_a_documented_container() -> None:
    """``for (const x of xs)`` binds x to an element of xs when its JSDoc type is a container of
    one named type: ``@param {Foo[]} xs``, ``@param {Iterable<Foo>} ys``, ``/** @type
    {Set<Foo>} */ const s``, a field ``/** @type {Set<Foo>} */ this.items``; an undocumented
    container, a ``Map`` and ``for ... in`` none."""
    source = b"""\
/**
 * @param {Node[]} xs nodes
 * @param {Iterable<Node>} ys more
 * @param {Map<string, Node>} ms by name
 */
function g(xs, ys, ms, other) {
  for (const x of xs) x.m();
  for (const y of ys) { y.m(); }
  for (const m of ms) m.m();
  for (const o of other) o.m();
  /** @type {Set<Node>} */
  const s = new Set();
  for (const v of s) v.m();
  for (const k in xs) k.m();
}
class Holder {
  constructor(given) {
    /** @type {Set<Node>} */
    this.items = given;
    this.plain = given;
  }
  walk() {
    for (const i of this.items) i.m();
    for (const p of this.plain) p.m();
  }
}
"""
    typed = receiver_types(extract_file("javascript", "loops.js", source), ending=".m")
    assert typed == [
        (7, "x.m", "Node"),
        (8, "y.m", "Node"),
        (9, "m.m", None),
        (10, "o.m", None),
        (13, "v.m", "Node"),
        (14, "k.m", None),
        (23, "i.m", "Node"),
        (24, "p.m", None),
    ]


def test_fields_column_lists_a_classes_fields_and_their_types() -> None:
    """The symbols' ``fields`` of a JavaScript class: class fields (``x = new Foo()``) and
    ``this.x`` assigned in its methods, typed by ``new`` or a JSDoc ``@type {Foo}``; a field of
    no one named type (``@type {Foo[]}``, a parameter's value) by its name only."""
    source = b"""\
class Holder {
  made = new Node();
  constructor(x) {
    /** @type {Node} */
    this.node = x;
    this.plain = x;
    /** @type {Node[]} */
    this.many = [];
  }
}
"""
    result = extract_file("javascript", "holder.js", source)
    assert [(row["qualified_name"], row["fields"]) for row in result.symbols] == [
        ("Holder", "made Node;many;node Node;plain"),
        ("Holder.constructor", None),
    ]


def test_module_exports_of_a_name_is_an_export_equals_row() -> None:
    """CommonJS ``module.exports = X`` at the top level (a name, a named class or function, an
    anonymous function by the module's name) is an exported row (None, X, "export="),
    TypeScript's ``export = X``; not inside a function, not for another member or an object
    literal."""
    source = (
        b"class A {}\n"
        b"module.exports = A;\n"
        b"module.exports = class B {};\n"
        b"module.exports = function c() {};\n"
        b"module.exports = function () {};\n"
        b"module.exports = { A };\n"
        b"foo.exports = A;\n"
        b"function f() { module.exports = A; }\n"
    )
    result = extract_file("javascript", "a.js", source)
    rows = [(i["module"], i["name"], i["alias"], i["line"], i["exported"]) for i in result.imports]
    assert rows == [
        (None, "A", "export=", 2, True),
        (None, "B", "export=", 3, True),
        (None, "c", "export=", 4, True),
        (None, "a", "export=", 5, True),  # the anonymous function, named after the module
    ]


def test_module_object_properties_are_exported_rows() -> None:
    """CommonJS ``exports.f = g`` / ``module.exports.f = g`` at the top level set the property
    f of the module object: an exported row (None, "g", "f"), ``export {g as f}`` (None, "f",
    None) when the names are one; a function or class value is the symbol f itself (None, "f",
    None). Not another value (no symbol names it), not a deeper member, not inside a
    function, not another object's property."""
    source = (
        b"function g() {}\n"
        b"exports.f = g;\n"
        b"module.exports.g = g;\n"
        b"exports.h = function () {};\n"
        b"module.exports.K = class {};\n"
        b"module.exports.arrow = () => 1;\n"
        b"exports.n = 1;\n"
        b"exports.made = make();\n"
        b"module.exports.deep.x = g;\n"
        b"api.f = g;\n"
        b"function inner() { exports.z = g; }\n"
    )
    result = extract_file("javascript", "a.js", source)
    rows = [(i["module"], i["name"], i["alias"], i["line"], i["exported"]) for i in result.imports]
    assert rows == [
        (None, "g", "f", 2, True),
        (None, "g", None, 3, True),
        (None, "h", None, 4, True),
        (None, "K", None, 5, True),
        (None, "arrow", None, 6, True),
    ]


def test_exports_properties_after_module_exports_is_reassigned_are_no_rows() -> None:
    """Once a file sets ``module.exports = X``, Node's ``exports`` is another object: its
    ``exports.f = g`` is no property of the module (no row, before or after the assignment);
    ``module.exports.f = g`` is X's f. ``module.exports = exports = X`` makes both one object:
    its ``exports.f`` stays a property."""
    reassigned = (
        b"function g() {}\n"
        b"class X {}\n"
        b"exports.early = g;\n"
        b"module.exports = X;\n"
        b"exports.f = g;\n"
        b"module.exports.h = g;\n"
    )
    result = extract_file("javascript", "a.js", reassigned)
    rows = [(i["module"], i["name"], i["alias"], i["line"], i["exported"]) for i in result.imports]
    assert rows == [(None, "X", "export=", 4, True), (None, "g", "h", 6, True)]
    joined = b"function g() {}\nclass X {}\nmodule.exports = exports = X;\nexports.f = g;\n"
    result = extract_file("javascript", "b.js", joined)
    rows = [(i["module"], i["name"], i["alias"], i["line"], i["exported"]) for i in result.imports]
    assert rows == [(None, "g", "f", 4, True)]


def test_jsdoc_typedef_imports_and_parameter_types() -> None:
    """``@typedef {import("m")} M`` / ``{import("m").X} M`` are imports of M, also generic ones
    (``{import("m")<T>} M<T>``, the type arguments aside); ``@param {T} x`` in a function's
    JSDoc comment types its parameter x as a TypeScript annotation would (one named type: ``T |
    null`` too, ``T[]``/``{a: T}`` not; an undocumented parameter none)."""
    source = b"""\
/** @typedef {import("./util/Hash")} Hash */
/** @typedef {import("../Compiler").Options} Options */
// @typedef {import("./ignored")} Ignored
/** @template T @typedef {import("./util/LazySet")<T>} LazySet<T> */
/** @typedef {import("./Queue").Queue<T, K>} Queue */
class A {
  /**
   * @param {Hash} hash the hash
   * @param {Options=} options options
   * @param {(a: {b: C}) => void} cb a callback
   * @param {Hash[]} hashes many
   */
  run(hash, options, cb, hashes, other) {
    hash.update(); options.check(); cb.call(); hashes.push(); other.go();
  }
}
/** @param {Foo | null} f a foo */
const g = f => f.bar();
/** @param {Baz} z a baz */
X.prototype.h = function (z) { z.q(); };
"""
    result = extract_file("javascript", "a.js", source)
    assert [(i["module"], i["name"], i["alias"], i["line"]) for i in result.imports] == [
        ("./util/Hash", "*", "Hash", 1),
        ("../Compiler", "Options", "Options", 2),
        ("./util/LazySet", "*", "LazySet", 4),
        ("./Queue", "Queue", "Queue", 5),
    ]
    assert [(c["callee"], c["receiver_type"]) for c in result.calls] == [
        ("hash.update", "Hash"),
        ("options.check", "Options"),
        ("cb.call", None),
        ("hashes.push", None),
        ("other.go", None),
        ("f.bar", "Foo"),
        ("z.q", "Baz"),
    ]


def test_jsdoc_returns_and_values_of_calls() -> None:
    """``@returns {T}`` (``@return``) in the JSDoc comment of a function, method or function
    value is its ``returns`` (TypeScript's reading: ``Promise<T>`` -> ``.await T``, ``this`` ->
    the own class; a union or an array none); a binding to a call's value is typed by the
    callee (``f()``, ``await f()`` -> ``f().await``), as a member call on a call's value is."""
    source = b"""\
/** @returns {Hash} the hash */
module.exports = algorithm => new Hash(algorithm);
class A {
  /** @returns {Promise<Foo>} a foo */
  async load() {}
  /** @return {this} itself */
  self() {}
  /** @returns {Foo[]} many */
  all() {}
  /** no tag */
  plain() {}
  async run() {
    const h = make(); const f = await this.load();
    h.update(); f.go(); this.self().plain();
  }
}
/** @returns {Bar | undefined} a bar */
A.prototype.bar = function () {};
/** @returns {Baz} */
const baz = () => 1;
"""
    result = extract_file("javascript", "lib/make.js", source)
    assert [(s["qualified_name"], s["returns"]) for s in result.symbols] == [
        ("make", "Hash"),
        ("A", None),
        ("A.load", ".await Foo"),
        ("A.self", "A"),
        ("A.all", None),
        ("A.plain", None),
        ("A.run", None),
        ("A.bar", "Bar"),
        ("baz", "Baz"),
    ]
    typed = [(c["callee"], c["receiver_type"]) for c in result.calls if "." in str(c["callee"])]
    assert typed == [
        ("this.load", None),
        ("h.update", "make()"),
        ("f.go", "this.load().await"),
        ("this.self().plain", "this.self()"),
        ("this.self", None),
    ]


def test_a_jsdoc_cast_types_a_parenthesized_receiver() -> None:
    """``/** @type {Foo} */ (x).f()`` (the comment right before the statement or the call) is a
    member call on a Foo (``NonNullable<Foo>`` too); not a longer path after the parentheses,
    no comment, a comment without ``@type`` or a type that is not one name."""
    source = b"""\
function f() {
  /** @type {LazySet<string>} */
  (deps).add(x);
  const y = /** @type {NonNullable<A>} */ (z).q();
  /** @type {B} */ (z).r.s();
  (w).t();
  /** no type */ (w).u();
  /** @type {NonNullable<A["b"]>} */ (w).v();
}
"""
    result = extract_file("javascript", "a.js", source)
    typed = [(c["callee"], c["receiver_type"]) for c in result.calls if "." in str(c["callee"])]
    assert typed == [
        ("(deps).add", "LazySet"),
        ("(z).q", "A"),
        ("(z).r.s", None),
        ("(w).t", None),
        ("(w).u", None),
        ("(w).v", None),
    ]


def test_a_member_call_on_a_new_value_is_the_class_instance() -> None:
    """``new a.B(x).f()`` is a member call on an instance of ``a.B``, as ``const v = new
    a.B(x); v.f()``; one level (``new B().f().g()``: ``g`` on an unknown value), a path only."""
    source = b'new A(1, ")").run();\nnew a.B(x).go().then();\nnew (f())().x();\n'
    result = extract_file("javascript", "a.js", source)
    typed = [(c["callee"], c["receiver_type"]) for c in result.calls if "." in str(c["callee"])]
    assert typed == [
        ('new A(1, ")").run', "A"),
        ("new a.B(x).go().then", None),
        ("new a.B(x).go", "a.B"),
        ("a.B", None),
        ("new (f())().x", None),
    ]


def test_jsdoc_type_tags_declare_bindings() -> None:
    """``/** @type {T} */`` right before ``this.x = ...`` / ``const x = ...`` / ``let x;`` or as
    a value's cast declares T (over the value's type, as an annotation); a comment with no
    ``@type`` leaves the value's type, a union or ``T[]`` declares none."""
    source = b"""\
function k() {
  // a note
  const f = new Foo();
  /** @type {Hash} */
  const h = make();
  const c = /** @type {Chunk} */ (x.y);
  /** @type {A | B} */
  let u = new A();
  /** @type {Q=} */
  let v;
  /** no type here */
  const g = new Bar();
  f.go(); h.update(); c.split(); u.z(); v.r(); g.q();
}
class C {
  constructor() {
    /** @type {Module | undefined} */
    this.module = undefined;
  }
  run() { this.module.build(); }
}
"""
    result = extract_file("javascript", "a.js", source)
    typed = [(c["callee"], c["receiver_type"]) for c in result.calls if "." in str(c["callee"])]
    assert typed == [
        ("f.go", "Foo"),
        ("h.update", "Hash"),
        ("c.split", "Chunk"),
        ("u.z", None),
        ("v.r", "Q"),
        ("g.q", "Bar"),
        ("this.module.build", "Module"),
    ]


def test_modifiers_static_methods() -> None:
    """A class's `static` methods say so (`Foo.m()` calls the static one, `x.m()` an
    instance one), and so does a function assigned to the class in its file (`Foo.g =
    function`, `Foo.h = () => 1`: properties of the class value, ``assigned_keyword``); every
    other definition has none (""): one assigned to its prototype or to `this` (its
    instances'), to an ES5 constructor function, an object or a class declared after it."""
    source = (
        b"class Foo {\n"
        b"  static make() {}\n"
        b"  make2() {}\n"
        b"  static count = 0;\n"
        b"  constructor() { this.t = function () {}; }\n"
        b"}\n"
        b"function helper() {}\n"
        b"Foo.g = function () {};\n"
        b"Foo.h = () => 1;\n"
        b"Foo.prototype.p = function () {};\n"
        b"function Bar() {}\n"
        b"Bar.q = function () {};\n"
        b"const api = { a() {} };\n"
        b"api.b = function () {};\n"
        b"Later.c = function () {};\n"
        b"class Later {}\n"
    )
    result = extract_file("javascript", "lib/foo.js", source)
    assert [(s["qualified_name"], s["modifiers"]) for s in result.symbols] == [
        ("Foo", ""),
        ("Foo.make", "static"),
        ("Foo.make2", ""),
        ("Foo.constructor", ""),
        ("Foo.t", ""),
        ("helper", ""),
        ("Foo.g", "static"),
        ("Foo.h", "static"),
        ("Foo.p", ""),
        ("Bar", ""),
        ("Bar.q", ""),
        ("api", ""),
        ("api.a", ""),
        ("api.b", ""),
        ("Later.c", ""),
        ("Later", ""),
    ]


@pytest.mark.parametrize(("language", "path"), [("javascript", "a.js"), ("typescript", "a.ts")])
def test_a_function_assigned_to_this_where_this_is_the_class_is_static(
    language: str, path: str
) -> None:
    """``this.g = function () {}`` where ``this`` is the class value, in a static method (its
    `static` alone on the line before too), a ``static {}`` block or a static field's
    initializer, is a static member, as tsc's binder declares it in a JavaScript file
    (``isStatic`` of the ``this`` container: the class's exports); in a constructor, an
    instance method or an instance field's initializer it is an instance member (review r19b
    F7: the static ones were taken for instance members). TypeScript follows the JavaScript
    reading: in a ``.ts`` file tsc declares no member and rejects the assignment (TS2339)."""
    source = (
        b"class A {\n"
        b"  static m() { this.g = function () {}; }\n"
        b"  static\n"
        b"  n() { this.h = function () {}; }\n"
        b"  static { this.i = function () {}; }\n"
        b"  static f = (() => { this.j = function () {}; })();\n"
        b"  k = (() => { this.l = function () {}; })();\n"
        b"  constructor() { this.o = function () {}; }\n"
        b"  p() { this.q = function () {}; }\n"
        b"}\n"
    )
    result = extract_file(language, path, source)
    assert [(s["qualified_name"], s["modifiers"]) for s in result.symbols] == [
        ("A", ""),
        ("A.m", "static"),
        ("A.g", "static"),
        ("A.n", "static"),
        ("A.h", "static"),
        ("A.i", "static"),
        ("A.j", "static"),
        ("A.l", ""),
        ("A.constructor", ""),
        ("A.o", ""),
        ("A.p", ""),
        ("A.q", ""),
    ]


@pytest.mark.parametrize(("language", "path"), [("javascript", "a.js"), ("typescript", "a.ts")])
def test_a_function_assigned_to_this_belongs_to_the_nearest_own_this(
    language: str, path: str
) -> None:
    """``this.f = function () {}`` is a member of what ``this`` is at the nearest node with a
    ``this`` of its own, as tsc's binder declares it (``getThisContainer``): an arrow function
    has none, so in a named arrow in a method the member is the method's class's (static in a
    static method); a plain function expression has its own, so in one the member is the
    function's (``A.u.nn``, ``A.make.y``, as a function declaration's ``A.v.w.ww``), except
    ``X.prototype.m = function () {}`` (an ``X``'s), and in an anonymous callback no symbol's
    (review r20a F1, F2: they were ``A.t.f.h`` and members of the class ``A``); in an object
    literal's method the method's own (``k.q``: tsc types the literal by its properties as
    written, h119's o1), but in a prototype's (``Bar.prototype = { m() {} }``) a ``Bar``'s."""
    source = (
        b"class A {\n"
        b"  p() { const f = () => { this.x = function () {}; }; }\n"
        b"  static t() { const f = () => { this.h = function () {}; }; }\n"
        b"  static u = function () { this.nn = function () {}; };\n"
        b"  static v() { function w() { this.ww = function () {}; } }\n"
        b"  static m() { [1].forEach(function () { this.g = function () {}; }); }\n"
        b"  static n() { [1].forEach(function* () { this.k = function () {}; }); }\n"
        b"}\n"
        b"A.make = function () { this.y = function () {}; };\n"
        b"function Foo() {}\n"
        b"Foo.prototype.bar = function () { this.z = function () {}; };\n"
        b"module.exports = { k() { this.q = function () {}; } };\n"
        b"function Bar() {}\n"
        b"Bar.prototype = { m() { this.r = function () {}; } };\n"
        b"class B { m() { function* g() { this.s = function () {}; } } }\n"
    )
    result = extract_file(language, path, source)
    assert [(s["qualified_name"], s["modifiers"]) for s in result.symbols] == [
        ("A", ""),
        ("A.p", ""),
        ("A.p.f", ""),
        ("A.x", ""),
        ("A.t", "static"),
        ("A.t.f", ""),
        ("A.h", "static"),
        ("A.u", "static"),
        ("A.u.nn", ""),
        ("A.v", "static"),
        ("A.v.w", ""),
        ("A.v.w.ww", ""),
        ("A.m", "static"),
        ("A.n", "static"),
        ("A.make", "static"),
        ("A.make.y", ""),
        ("Foo", ""),
        ("Foo.bar", ""),
        ("Foo.z", ""),
        ("k", ""),
        ("k.q", ""),  # an object literal's method's own: no member of the module (tsc)
        ("Bar", ""),
        ("Bar.m", ""),
        ("Bar.r", ""),
        ("B", ""),
        ("B.m", ""),
        ("B.m.g", ""),
        ("B.m.g.s", ""),  # a generator function's own `this` (review r20c F3: was `B.s`)
    ]


def test_a_parenthesized_prototype_function_stores_on_its_own_this() -> None:
    """``X.prototype.m = (function () { this.w = ... })``, with or without a JSDoc cast: tsc's
    binder reads the function's parent, the parentheses, no prototype assignment, so ``w`` is
    the function's own (``X.m.w``), no member of an ``X``: ``new X().w()`` names nothing in tsc
    (review r20c F2: it was ``X.w``); so in a method of ``Y.prototype = ({...})``."""
    source = (
        b"function X() {}\n"
        b"X.prototype.m = (function () { this.w = function () {}; });\n"
        b"X.prototype.n = /** @type {any} */ (function () { this.v = function () {}; });\n"
        b"X.prototype.o = function () { this.u = function () {}; };\n"
        b"function Y() {}\n"
        b"Y.prototype = ({ m() { this.t = function () {}; } });\n"
    )
    result = extract_file("javascript", "a.js", source)
    assert [s["qualified_name"] for s in result.symbols] == [
        "X",
        "X.m",
        "X.m.w",
        "X.n",
        "X.n.v",
        "X.o",
        "X.u",
        "Y",
        "Y.m",
        "Y.m.t",  # a literal in parentheses is no prototype's to tsc: the method's own
    ]


def test_a_copy_of_a_field_of_this_has_the_fields_type() -> None:
    """``const x = this.y`` and ``const { y } = this`` in a method: x / y have the type
    ``this.y`` has there (``this.graph = new Graph()`` in the file: ``Graph``; else the field
    hop ``Compiler .hooks`` the CPG types); a renamed property, another object's, a
    callback's own ``this``: no known type."""
    source = (
        b"class Compiler {\n"
        b"  constructor() { this.graph = new Graph(); }\n"
        b"  run() {\n"
        b"    const graph = this.graph;\n"
        b"    graph.add();\n"
        b"    const { hooks } = this;\n"
        b"    hooks.done();\n"
        b"    const { graph: renamed } = this;\n"
        b"    renamed.add();\n"
        b"    const { a } = that;\n"
        b"    a.f();\n"
        b"    [1].forEach(function () { const { graph } = this; graph.add(); });\n"
        b"  }\n"
        b"}\n"
    )
    result = extract_file("javascript", "lib/Compiler.js", source)
    assert receiver_types(result) == [
        (5, "graph.add", "Graph"),
        (7, "hooks.done", "Compiler .hooks"),
        (9, "renamed.add", None),
        (11, "a.f", None),
        (12, "[1].forEach", None),
        (12, "graph.add", None),
    ]


def test_a_copy_of_a_field_of_a_name_is_a_field_hop_from_its_type() -> None:
    """``const x = y.z`` and ``const { z } = y`` with ``y`` of a known type: x / z have the
    type ``y.z.f()``'s receiver has there (the field hop ``Compilation .moduleGraph``); a JSDoc
    comment without ``@type`` leaves that value's type (also for ``this.y``); a name of no
    known type, a renamed property, a deeper path: no known type."""
    source = (
        b"class Plugin {\n"
        b"  /** @param {Compilation} compilation the compilation */\n"
        b"  apply(compilation, other) {\n"
        b"    const moduleGraph = compilation.moduleGraph;\n"
        b"    moduleGraph.getModule();\n"
        b"    const { chunkGraph } = compilation;\n"
        b"    chunkGraph.go();\n"
        b"    /** the cache */\n"
        b"    const cache = compilation.cache;\n"
        b"    cache.get();\n"
        b"    /** the hooks */\n"
        b"    const hooks = this.hooks;\n"
        b"    hooks.run();\n"
        b"    const thing = other.thing;\n"
        b"    thing.f();\n"
        b"    const { chunkGraph: renamed } = compilation;\n"
        b"    renamed.f();\n"
        b"    const deep = compilation.a.b;\n"
        b"    deep.f();\n"
        b"  }\n"
        b"}\n"
    )
    result = extract_file("javascript", "lib/Plugin.js", source)
    assert receiver_types(result) == [
        (5, "moduleGraph.getModule", "Compilation .moduleGraph"),
        (7, "chunkGraph.go", "Compilation .chunkGraph"),
        (10, "cache.get", "Compilation .cache"),
        (13, "hooks.run", "Plugin .hooks"),
        (15, "thing.f", None),
        (17, "renamed.f", None),
        (19, "deep.f", None),
    ]


def test_a_field_bound_to_a_copy_of_a_field_has_no_exported_type() -> None:
    """A class field bound to another object's field (``this.context = m.context`` with ``m``
    a ``Module``, ``this.cache = this.other``) is typed where a receiver reads it (a field
    hop), not in the symbols' ``fields``: declared, of no known type there."""
    source = (
        b"class Holder {\n"
        b"  /** @param {Module} m the module */\n"
        b"  constructor(m) {\n"
        b"    this.context = m.context;\n"
        b"    this.cache = this.other;\n"
        b"    this.graph = new Graph();\n"
        b"  }\n"
        b"}\n"
    )
    result = extract_file("javascript", "lib/Holder.js", source)
    assert [(row["qualified_name"], row["fields"]) for row in result.symbols] == [
        ("Holder", "cache;context;graph Graph"),
        ("Holder.constructor", None),
    ]


def test_modifiers_static_alone_on_its_line_modifies_the_next_member() -> None:
    """`static` then a line break then a method is a static method (ECMAScript: no line
    terminator restriction after `static`; tree-sitter reads the lone `static` as a field of
    that name); `static;` is such a field and modifies nothing."""
    source = b"class Foo {\n  static\n  make() {}\n  static;\n  make2() {}\n}\n"
    result = extract_file("javascript", "lib/foo.js", source)
    assert [(s["qualified_name"], s["modifiers"]) for s in result.symbols] == [
        ("Foo", ""),
        ("Foo.make", "static"),
        ("Foo.make2", ""),
    ]
