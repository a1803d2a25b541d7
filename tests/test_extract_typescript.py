"""TypeScript extraction: exact rows on small snippets (conventions in languages/typescript.py)."""

from __future__ import annotations

import pytest

from hamilton_modules.languages import FileExtraction, extract_file
from tests.dataflow_support import receiver_types

SOURCE = b"""\
import Default, { a as b, c } from "./mod";
import * as ns from "lib";
import type { T } from "types";
import "polyfill";
import legacy = require("legacy");
export { x as y } from "re";
export * from "all";

export namespace Outer {
  export function inner(): void { helper(); }
}
export abstract class Base<T> extends Parent<T> implements IFoo, ns.IBar {
  constructor(private v: T) { super(v); }
  abstract run(): void;
  get value(): T { return this.v; }
  process(items: T[]) {
    const mapper = (item: T) => transform(item);
    return items.map(mapper).filter(Boolean);
  }
}
interface IFoo extends IBase, Generic<string> {
  method(x: number): string;
  prop: number;
}
type Alias = string | number;
enum Color { Red, Green }
function overloaded(x: string): void;
function overloaded(x: any) { new Base<number>(x); }
const handler = async () => { await fetch("/api"); };
"""


@pytest.fixture(scope="module")
def result() -> FileExtraction:
    return extract_file("typescript", "src/sample.ts", SOURCE)


def test_symbols_exact(result: FileExtraction) -> None:
    rows = [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"], s["end_line"])
        for s in result.symbols
    ]
    assert rows == [
        ("module", "Outer", "Outer", None, 9, 11),
        ("function", "inner", "Outer.inner", "Outer", 10, 10),
        ("class", "Base", "Base", None, 12, 20),
        ("method", "constructor", "Base.constructor", "Base", 13, 13),
        ("method", "run", "Base.run", "Base", 14, 14),  # abstract
        ("method", "value", "Base.value", "Base", 15, 15),  # getter
        ("method", "process", "Base.process", "Base", 16, 19),
        ("function", "mapper", "Base.process.mapper", "Base.process", 17, 17),  # arrow in const
        ("interface", "IFoo", "IFoo", None, 21, 24),
        ("method", "method", "IFoo.method", "IFoo", 22, 22),
        ("type_alias", "Alias", "Alias", None, 25, 25),
        ("enum", "Color", "Color", None, 26, 26),
        ("function", "overloaded", "overloaded", None, 27, 27),  # overload signature
        ("function", "overloaded", "overloaded", None, 28, 28),
        ("function", "handler", "handler", None, 29, 29),
    ]
    # `export class` rows span the declaration, not the `export` keyword.
    assert result.symbols[2]["start_column"] == 7


def test_imports_exact(result: FileExtraction) -> None:
    rows = [(i["module"], i["name"], i["alias"], i["line"]) for i in result.imports]
    assert rows == [
        ("./mod", "default", "Default", 1),
        ("./mod", "a", "b", 1),
        ("./mod", "c", None, 1),
        ("lib", "*", "ns", 2),
        ("types", "T", None, 3),
        ("polyfill", "*", None, 4),  # side-effect import
        ("legacy", "*", "legacy", 5),  # import = require(...)
        ("re", "x", "y", 6),  # re-export
        ("all", "*", None, 7),
    ]


def test_calls_exact(result: FileExtraction) -> None:
    rows = sorted(
        (c["line"], c["column"], c["callee"], c["callee_name"], c["enclosing"], c["this_symbol"])
        for c in result.calls
    )
    assert rows == [
        (10, 34, "helper", "helper", "Outer.inner", "Outer.inner"),
        (13, 30, "super", "super", "Base.constructor", "Base.constructor"),
        (17, 32, "transform", "transform", "Base.process.mapper", "Base.process"),  # an arrow
        (18, 11, "items.map", "map", "Base.process", "Base.process"),
        (18, 11, "items.map(mapper).filter", "filter", "Base.process", "Base.process"),
        (28, 30, "Base", "Base", "overloaded", "overloaded"),  # new expression
        (29, 36, "fetch", "fetch", "handler", None),  # an async arrow at the top level
    ]


# What `this` is at each call in TypeScript's class forms (see test_extract_javascript.THIS).
THIS = b"""abstract class Foo<T> implements Api {
  private handler = (e: Event): void => this.m(e);
  public static create(): Foo<number> { return this.make(); }
  static { this.init(); }
  bar(items: T[]): void {
    items.forEach(function (this: Foo<T>) { this.m(); });
    const cb = () => () => this.render();
    function nested(this: unknown) { this.n(); }
  }
  abstract m(e?: Event): void;
}
namespace NS { export function f() { this.g(); } const h = () => this.i(); }
const api = { get(): void { this.post(); } } as const;
"""


def test_this_symbol_in_typescript_classes_and_namespaces() -> None:
    result = extract_file("typescript", "this.ts", THIS)
    assert result.error_count == 0
    calls = [(c["line"], c["callee"], c["enclosing"], c["this_symbol"]) for c in result.calls]
    assert calls == [
        (2, "this.m", "Foo.handler", "Foo"),  # a field's arrow: the class
        (3, "this.make", "Foo.create", "Foo.create"),  # a static method
        (4, "this.init", "Foo", "Foo"),  # a static block: the class
        (6, "items.forEach", "Foo.bar", "Foo.bar"),
        (6, "this.m", "Foo.bar", None),  # a callback with a `this` parameter: its own, anonymous
        (7, "this.render", "Foo.bar.cb", "Foo.bar"),  # arrow in arrow
        (8, "this.n", "Foo.bar.nested", "Foo.bar.nested"),
        (12, "this.g", "NS.f", "NS.f"),
        (12, "this.i", "NS.h", None),  # a namespace has no `this` of its own
        (13, "this.post", "api.get", "api.get"),
    ]


def test_inherits_exact(result: FileExtraction) -> None:
    rows = [(i["child"], i["parent"], i["relation"], i["line"]) for i in result.inherits]
    assert rows == [
        ("Base", "Parent", "extends", 12),
        ("Base", "IFoo", "implements", 12),
        ("Base", "ns.IBar", "implements", 12),
        ("IFoo", "IBase", "extends", 21),
        ("IFoo", "Generic<string>", "extends", 21),
    ]
    assert result.error_count == 0


TSX = b"""\
import React from "react";
export const App = () => <div onClick={() => go(1)}>{render()}</div>;
class View extends React.Component { render() { return <span/>; } }
"""


def test_tsx_uses_the_tsx_grammar() -> None:
    result = extract_file("typescript", "ui/App.tsx", TSX)
    assert result.error_count == 0
    assert [(s["kind"], s["qualified_name"]) for s in result.symbols] == [
        ("function", "App"),
        ("class", "View"),
        ("method", "View.render"),
    ]
    assert sorted((c["callee"], c["enclosing"]) for c in result.calls) == [
        ("go", "App"),
        ("render", "App"),
    ]
    assert [(i["child"], i["parent"]) for i in result.inherits] == [("View", "React.Component")]
    # The same text is not valid plain TypeScript: the grammar really is chosen by extension.
    assert extract_file("typescript", "ui/App.ts", TSX).error_count > 0


def test_declarations_and_anonymous_classes() -> None:
    source = b"""\
declare module "ext" { function z(): void; }
namespace A.B { class C {} }
export default class extends Base {}
const K = class extends Mixin implements I {};
"""
    result = extract_file("typescript", "d.ts", source)
    assert [(s["kind"], s["qualified_name"]) for s in result.symbols] == [
        ("module", "ext"),
        ("function", "ext.z"),
        ("module", "A.B"),
        ("class", "A.B.C"),
        ("class", "K"),
    ]
    # The anonymous default class has no symbol, so it has no inheritance row either.
    assert [(i["child"], i["parent"], i["relation"]) for i in result.inherits] == [
        ("K", "Mixin", "extends"),
        ("K", "I", "implements"),
    ]


OBJECTS = b"""\
export const provider = {
  now(): number { return clock(); },
  later: async (ms: number) => sleep(ms),
  nested: { deep() { return inner(); } },
  value: 1,
};
let state = { reset: function () {} }, plain = { x: 1 };
var legacy = { get size() { return 0; } };
class Timer {
  handler = () => { this.tick(); };
  private readonly onDone?: () => void = () => finish();
  #hidden = function () {};
  count = 0;
  tick() {}
}
register({ callback() { fire(); } });
"""


def test_object_literal_methods_and_function_fields_exact() -> None:
    result = extract_file("typescript", "src/objects.ts", OBJECTS)
    assert result.error_count == 0
    rows = [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"], s["end_line"])
        for s in result.symbols
    ]
    assert rows == [
        # A variable bound to an object literal with methods is their scope: `const` -> constant.
        ("constant", "provider", "provider", None, 1, 6),
        ("method", "now", "provider.now", "provider", 2, 2),
        ("method", "later", "provider.later", "provider", 3, 3),  # function-valued property
        ("property", "nested", "provider.nested", "provider", 4, 4),  # nested object with methods
        ("method", "deep", "provider.nested.deep", "provider.nested", 4, 4),
        ("variable", "state", "state", None, 7, 7),  # `let` / `var` -> variable
        ("method", "reset", "state.reset", "state", 7, 7),
        ("variable", "legacy", "legacy", None, 8, 8),
        ("method", "size", "legacy.size", "legacy", 8, 8),
        ("class", "Timer", "Timer", None, 9, 15),
        ("method", "handler", "Timer.handler", "Timer", 10, 10),  # field = arrow function
        ("method", "onDone", "Timer.onDone", "Timer", 11, 11),
        ("method", "#hidden", "Timer.#hidden", "Timer", 12, 12),
        ("method", "tick", "Timer.tick", "Timer", 14, 14),
        # An object literal bound to no variable has no scope: its method stays unqualified.
        ("method", "callback", "callback", None, 16, 16),
    ]
    calls = [(c["callee"], c["enclosing"], c["line"]) for c in result.calls]
    assert calls == [
        ("clock", "provider.now", 2),
        ("sleep", "provider.later", 3),
        ("inner", "provider.nested.deep", 4),
        ("this.tick", "Timer.handler", 10),
        ("finish", "Timer.onDone", 11),
        ("register", None, 16),
        ("fire", "callback", 16),
    ]
    # The JavaScript grammar names the class field node differently; the rows are the same.
    javascript = OBJECTS.replace(b"(): number", b"()").replace(b"(ms: number)", b"(ms)")
    javascript = javascript.replace(b"private readonly onDone?: () => void", b"onDone")
    js_rows = [
        (s["kind"], s["qualified_name"], s["start_line"])
        for s in extract_file("javascript", "src/objects.js", javascript).symbols
    ]
    assert js_rows == [(kind, qualified, start) for kind, _, qualified, _, start, _ in rows]


SCOPES = b"""\
export class Panel {
  private readonly handlers: Handlers = { onClick(e: Event): void { this.close(); } };
  constructor(private name: string) { this.timers = { start(): void {} }; }
}
export default { mounted(): void {} };
exports.api = { get: (id: string) => load(id) };
"""


def test_object_literal_scopes_bound_to_names_exact() -> None:
    result = extract_file("typescript", "src/panel.ts", SCOPES)
    assert result.error_count == 0
    rows = [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"])
        for s in result.symbols
    ]
    assert rows == [
        ("class", "Panel", "Panel", None, 1),
        ("property", "handlers", "Panel.handlers", "Panel", 2),  # object-valued class field
        ("method", "onClick", "Panel.handlers.onClick", "Panel.handlers", 2),
        ("method", "constructor", "Panel.constructor", "Panel", 3),
        ("property", "timers", "Panel.timers", "Panel", 3),  # `this.timers` in a method
        ("method", "start", "Panel.timers.start", "Panel.timers", 3),
        ("constant", "default", "default", None, 5),  # the anonymous default export
        ("method", "mounted", "default.mounted", "default", 5),
        ("property", "api", "api", None, 6),  # CommonJS exports: the module's top level
        ("method", "get", "api.get", "api", 6),
    ]
    calls = [(c["callee"], c["enclosing"]) for c in result.calls]
    assert calls == [("this.close", "Panel.handlers.onClick"), ("load", "api.get")]


WRAPPED = b"""\
export const routes = { home() {} } as const;
const api = { get(id: string) { return load(id); } } satisfies Api;
const legacy = (<Api>{ post() {} });
const paren = ({ put() {} });
const both = ({ del() {} } as const satisfies Api);
const nested = { a: { b() {} } } as const;
const plain = { a: { b: 1 } } as const;
const handler = register({ cb() {} }) as Handler;
export default { mounted(): void {} } satisfies Component;
const many = (((/* any depth */ { up() {} })) as Api)!;
const call = (register({ later() {} }));
"""


def test_wrapped_object_literals_are_the_same_scopes_exact() -> None:
    result = extract_file("typescript", "src/wrapped.ts", WRAPPED)
    assert result.error_count == 0
    rows = [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"])
        for s in result.symbols
    ]
    assert rows == [
        ("constant", "routes", "routes", None, 1),  # `as const`
        ("method", "home", "routes.home", "routes", 1),
        ("constant", "api", "api", None, 2),  # `satisfies Api`
        ("method", "get", "api.get", "api", 2),
        ("constant", "legacy", "legacy", None, 3),  # `(<Api>{...})`, a type assertion
        ("method", "post", "legacy.post", "legacy", 3),
        ("constant", "paren", "paren", None, 4),
        ("method", "put", "paren.put", "paren", 4),
        ("constant", "both", "both", None, 5),  # wrappers nested
        ("method", "del", "both.del", "both", 5),
        ("constant", "nested", "nested", None, 6),
        ("property", "a", "nested.a", "nested", 6),
        ("method", "b", "nested.a.b", "nested.a", 6),
        # `plain` holds no method: no symbol. `handler` is bound to a call's result, not to
        # the object literal, which is bound to nothing: its method has no scope.
        ("method", "cb", "cb", None, 8),
        ("constant", "default", "default", None, 9),
        ("method", "mounted", "default.mounted", "default", 9),
        ("constant", "many", "many", None, 10),  # wrappers to any depth, comments between
        ("method", "up", "many.up", "many", 10),
        ("method", "later", "later", None, 11),  # a wrapped call is no object literal
    ]
    assert [(c["callee"], c["enclosing"]) for c in result.calls] == [
        ("load", "api.get"),
        ("register", None),
        ("register", None),
    ]
    # TSX has no type assertions (`<Api>` opens JSX there); every other wrapper is the same.
    tsx = extract_file("typescript", "src/wrapped.tsx", WRAPPED.replace(b"<Api>", b""))
    assert tsx.error_count == 0
    assert [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"])
        for s in tsx.symbols
    ] == rows


RECEIVER_TYPES_SOURCE = b"""\
import * as ns from "./ns";
const shared = new ns.Service();
let maybe: Bar<X> | undefined | null;
let either: A | B;
let list: Foo[];
let anything: any;
class Widget<T> extends Base {
  private part: Part<T> | undefined;
  readonly ready!: Ready;
  built = new Builder();
  count = 0;
  constructor(private readonly engine: Engine, public spare?: Spare, plain = new Plain()) {
    super();
    this.made = new Made();
  }
  run(this: Sub<T>, a: ns.Thing, b, ...rest: C[]) {
    a.m(); b.m(); rest.m(); shared.m(); maybe?.m(); either.m(); list.m(); anything.m();
    this.part?.m(); this.ready.m(); this.built.m(); this.count.m(); this.engine.m();
    this.spare!.m(); this.made.m(); this.m();
    const callback = function () { this.part.m(); };
    const arrow = (shared: Local) => this.part.m() + shared.m();
    let twice = new One();
    twice = new Two();
    twice.m();
  }
}
const operate = function (this: OperatorSubscriber<T>, value) { this.unsubscribe(); value.m(); };
"""


def test_receiver_types_of_typescript_declarations() -> None:
    """``receiver_type`` in TypeScript: typed parameters (optional, `this`), variables, `new`,
    class fields and parameter properties, without type arguments and `| undefined | null`;
    None for unions, arrays, `any`, an untyped parameter and a name with two types. `this.x`
    in a callback `function () {}` is not the class's."""
    result = extract_file("typescript", "w.ts", RECEIVER_TYPES_SOURCE)
    typed = receiver_types(result)
    assert typed == [
        (2, "ns.Service", None),
        (17, "a.m", "ns.Thing"),
        (17, "b.m", None),
        (17, "rest.m", None),
        (17, "shared.m", "ns.Service"),
        (17, "maybe?.m", "Bar"),
        (17, "either.m", None),
        (17, "list.m", None),
        (17, "anything.m", None),
        (18, "this.part?.m", "Part"),
        (18, "this.ready.m", "Ready"),
        (18, "this.built.m", "Builder"),
        (18, "this.count.m", None),
        (18, "this.engine.m", "Engine"),
        (19, "this.spare!.m", "Spare"),
        (19, "this.made.m", "Made"),
        (19, "this.m", "Sub"),  # the explicit `this` parameter
        (20, "this.part.m", None),  # a callback's own `this`
        (21, "this.part.m", "Part"),  # an arrow function sees the method's `this`
        (21, "shared.m", "Local"),  # the arrow function's parameter shadows the module's
        (24, "twice.m", None),
        (27, "this.unsubscribe", "OperatorSubscriber"),
        (27, "value.m", None),
    ]


BLOCK_SCOPES = b"""\
const top: Foo = make();
function blocks(flag: boolean, x: Foo, e: Foo) {
  if (flag) {
    const top: Bar = make();
    top.m();
  }
  top.m();
  for (const x of bars) {
    x.m();
  }
  x.m();
  try {
  } catch (e) {
    e.m();
  }
  e.m();
  if (flag) {
    var hoisted = new Foo();
  }
  hoisted.m();
  let moved = new Foo();
  {
    moved = new Bar();
  }
  moved.m();
  for (let i = new Foo(); flag; ) {
    i.m();
  }
}
"""


def test_receiver_types_follow_typescript_block_scopes() -> None:
    """``let``/``const``/``catch``/``for (const ...)`` hold inside their block only, where they
    shadow the function's and the module's declarations; ``var`` holds in the whole function;
    an assignment in a block counts wherever the variable is declared."""
    result = extract_file("typescript", "blocks.ts", BLOCK_SCOPES)
    typed = receiver_types(result, ending=".m")
    assert typed == [
        (5, "top.m", "Bar"),  # the block's own const
        (7, "top.m", "Foo"),  # the module's: the block's const is not seen here
        (9, "x.m", None),  # the loop's const, not the parameter
        (11, "x.m", "Foo"),
        (14, "e.m", None),  # the catch clause's e
        (16, "e.m", "Foo"),
        (20, "hoisted.m", "Foo"),  # a var holds in the whole function
        (25, "moved.m", None),  # assigned a Bar in a block
        (27, "i.m", "Foo"),  # the for statement's let
    ]


USING_SOURCE = b"""\
let r = new Q();
function f() {
  using r = new R();
  r.m();
}
async function g() {
  {
    await using r = new R();
    r.m();
  }
  r.m();
}
"""


def test_using_declarations_are_block_scoped_declarations() -> None:
    """``using r = ...`` / ``await using r = ...`` (which the grammar parses as an assignment)
    declare r in their block, as ``const``, a local value there, not an assignment of the
    module's r (tsc: ``R.m`` inside, ``Q.m`` after the block)."""
    result = extract_file("typescript", "using.ts", USING_SOURCE)
    assert result.error_count == 0
    assert receiver_types(result, ending=".m") == [
        (4, "r.m", "R"),
        (9, "r.m", "R"),
        (11, "r.m", "Q"),
    ]
    local = sorted((c["line"], c["receiver_local"]) for c in result.calls if c["callee"] == "r.m")
    assert local == [(4, True), (9, True), (11, False)]


FOR_OF_SOURCE = b"""\
function g<T>(xs: Node[], ys: ReadonlyArray<Node>, zs: Set<ns.Node> | undefined, ws: string[],
              ms: Map<string, Node>, us: (Node | Other)[], ts: T[], nested: Node[][]) {
  for (const x of xs) x.m();
  for (const y of ys) { y.m(); }
  for (const z of zs!) z.m();
  for (const w of ws) w.m();
  for (const m of ms) m.m();
  for (const u of us) u.m();
  for (const t of ts) t.m();
  for (const n of nested) n.m();
  for (const k in xs) k.m();
  xs[0].m();
}
class Holder {
  items: Node[] = [];
  other = new Set();
  walk() {
    for (const i of this.items) i.m();
    for (const o of this.other) o.m();
    const later = function () { for (const j of this.items) j.m(); };
  }
}
"""


def test_typescript_receivers_that_start_with_a_local_value() -> None:
    """``receiver_local`` in TypeScript: a parameter typed or not, optional, a constructor's
    parameter property (a parameter there), a loop variable and a local ``const`` are values
    where they are bound; a module's ``const`` of a declared type, ``import x = require()`` and
    a local ``const C = class {}`` are not; ``p!.f()`` starts with p."""
    source = b"""\
import legacy = require("legacy");
const top: Foo = make();
top.a(); legacy.a();
function g(A: typeof Base, b?: Foo, ...rest: Foo[]) {
  A.f(); b.f(); rest.f();
  A!.g();
  const C = class extends Base {};
  C.f();
  for (const y of rest) y.f();
}
class K {
  constructor(private h: Foo) { h.f(); }
}
"""
    result = extract_file("typescript", "locals.ts", source)
    assert [(call["line"], call["callee"], call["receiver_local"]) for call in result.calls] == [
        (2, "make", False),
        (3, "top.a", False),
        (3, "legacy.a", False),
        (5, "A.f", True),
        (5, "b.f", True),
        (5, "rest.f", True),
        (6, "A!.g", True),
        (8, "C.f", False),
        (9, "y.f", True),
        (12, "h.f", True),
    ]


def test_parameters_of_signatures_without_a_body_bind_no_value() -> None:
    """A parameter of a signature without a body (a function or constructor type, an
    interface's or a type literal's method, call or construct signature, an overload, an
    abstract method) names a type's parameter: it binds nothing in the scope around, so ``B``
    there is no local value (``receiver_local`` False: the class's static side); the body's
    own parameter still is one."""
    source = b"""\
function u1() { let cb: (B: number) => void; B.s(); return cb; }
function u2() { interface I { m(B: number): void } B.s(); }
function u3() { type T = { m(B: number): void; (B: number): void; new (B: number): T }; B.s(); }
function u4() { let k: new (B: number) => object; B.s(); return k; }
function u5(cb: (B: number) => void) { B.s(); return cb; }
function u6(B: number): void;
function u6(B: number) { B.s(); }
abstract class U7 { abstract m(B: number): void; n() { B.s(); } }
"""
    result = extract_file("typescript", "signatures.ts", source)
    assert [(call["line"], call["callee"], call["receiver_local"]) for call in result.calls] == [
        (1, "B.s", False),
        (2, "B.s", False),
        (3, "B.s", False),
        (4, "B.s", False),
        (5, "B.s", False),
        (7, "B.s", True),
        (8, "B.s", False),
    ]


def test_for_of_variables_are_elements_of_the_declared_container() -> None:
    """``for (const x of xs)`` binds x to an element of xs: ``Foo[]``, ``ReadonlyArray<Foo>``,
    ``Set<Foo>`` declare a Foo element (as ``xs[i]`` is one); a ``Map`` (pairs), a union
    element, a type parameter, an array of arrays, a non-name container (``zs!``) and a
    ``for ... in`` key declare none; ``string[]`` a builtin ``string``. ``this.items``: the
    field of the class of ``this`` there (none in a callback ``function () {}``)."""
    typed = receiver_types(extract_file("typescript", "loops.ts", FOR_OF_SOURCE), ending=".m")
    assert typed == [
        (3, "x.m", "Node"),
        (4, "y.m", "Node"),
        (5, "z.m", None),
        (6, "w.m", "string"),
        (7, "m.m", None),
        (8, "u.m", None),
        (9, "t.m", None),
        (10, "n.m", None),
        (11, "k.m", None),
        (12, "xs[0].m", "Node"),
        (18, "i.m", "Node"),
        (19, "o.m", None),
        (20, "j.m", None),
    ]


FIELDS_SOURCE = b"""\
class Holder {
  node: Node;
  maybe?: Node | undefined;
  made = new Node();
  many: Node[] = [];
  constructor(private param: Node, plain) { this.assigned = new Node(); }
}
"""


def test_fields_column_lists_a_classes_fields_and_their_types() -> None:
    """The symbols' ``fields`` of a TypeScript class: its declared fields, parameter properties
    and ``this.x = new Foo()`` with their one named type, a field of no one named type
    (``Node[]``) by its name only; no ``fields`` for a method."""
    result = extract_file("typescript", "holder.ts", FIELDS_SOURCE)
    assert [(row["qualified_name"], row["fields"]) for row in result.symbols] == [
        ("Holder", "assigned Node;made Node;many;maybe Node;node Node;param Node"),
        ("Holder.constructor", None),
    ]


NESTED_ASSIGNMENTS = b"""\
export function outer(source: Observable) {
  let inner: Subscription | null = null;
  let handled: Observable;
  let made = new Foo();
  const onError = () => {
    inner.unsubscribe();
    inner = null;
    handled = innerFrom(source);
    handled.subscribe();
    made = new Bar();
    made.m();
  };
  const unknown = () => {
    global = new Foo();
    global.m();
  };
}
"""


def test_typescript_assignments_in_a_nested_function_join_the_declaration() -> None:
    """An assignment in a callback (``inner = null``) declares nothing there: it joins the
    bindings of the function declaring the variable, whose annotation holds over it (as tsc
    holds it); an unannotated variable assigned two types has none; a variable declared
    nowhere keeps its assignments' type."""
    result = extract_file("typescript", "nested.ts", NESTED_ASSIGNMENTS)
    assert receiver_types(result, ending="") == [
        (6, "inner.unsubscribe", "Subscription"),
        (9, "handled.subscribe", "Observable"),  # not innerFrom(): the annotation holds
        (11, "made.m", None),  # a Foo and a Bar
        (15, "global.m", "Foo"),
    ]


OWN_INSTANCE_COPIES = b"""\
export class Socket<T> extends Subject<T> {
  multiplex() {
    const self = this;
    return new Observable((observer) => {
      self.next(1);
      const subscription = self.subscribe(observer);
    });
  }
}
function Es5() {
  const that = this;
  that.go();
}
const top = this;
top.go();
"""


def test_typescript_a_copy_of_this_is_an_instance_of_its_class() -> None:
    """``const self = this`` in a method: ``self`` is an instance of the class whose ``this``
    it copies (the class's name, as the receiver of ``this.x.f()`` is looked up); a copy of an
    ES5 function's ``this`` or of the top level's is of no known type."""
    result = extract_file("typescript", "socket.ts", OWN_INSTANCE_COPIES)
    assert receiver_types(result) == [
        (5, "self.next", "Socket"),
        (6, "self.subscribe", "Socket"),
        (12, "that.go", None),
        (15, "top.go", None),
    ]


RETURNS_SOURCE = b"""\
export class Sub {
  next(): this { return this; }
  async opened(): Promise<Sub | undefined> { return this; }
  static create(): ns.Sub { return new Sub(); }
  all(): Sub[] { return []; }
}
interface Api { get(): Sub; self(): this; }
export function createSubscriber(): Subscriber { return new Subscriber(); }
function generic<T>(x: T): T { return x; }
const arrow = (): Sub => new Sub();
export async function main() {
  const s = createSubscriber();
  s.m();
  const t = await load(1, ")");
  t.m();
  const u = this.make();
  u.m();
  const v = new Sub();
  v.m();
  const w = s.next().next();
  w.m();
}
"""


def test_typescript_return_types_and_bindings_to_a_calls_value() -> None:
    """``returns``: a function's or method's ``: T`` read as annotations are (``this`` -> the
    class, ``Promise<T>`` after ``.await``; an interface's ``this``, a type parameter, an
    array: None; arrow functions are not read); ``const x = f()`` is ``f()``, ``await f()``
    ``f().await``, ``new Foo()`` still ``Foo``."""
    result = extract_file("typescript", "src/r.ts", RETURNS_SOURCE)
    assert [(row["qualified_name"], row["returns"]) for row in result.symbols] == [
        ("Sub", None),
        ("Sub.next", "Sub"),
        ("Sub.opened", ".await Sub"),
        ("Sub.create", "ns.Sub"),
        ("Sub.all", None),
        ("Api", None),
        ("Api.get", "Sub"),
        ("Api.self", None),  # whatever implements the interface
        ("createSubscriber", "Subscriber"),
        ("generic", None),  # a type parameter
        ("arrow", None),
        ("main", None),
    ]
    assert receiver_types(result, ending=".m") == [
        (13, "s.m", "createSubscriber()"),
        (15, "t.m", "load().await"),
        (17, "u.m", "this.make()"),
        (19, "v.m", "Sub"),
        (21, "w.m", None),  # one level: no return of a return
    ]


CALLBACKS_SOURCE = b"""\
export class Observable<T> {
  constructor(subscribe?: (this: Observable<T>, subscriber: Subscriber<T>) => void) {}
  lift(op: (/* c */ source: ns.Source, n: number, ...rest: Foo[]) => void, plain: Foo): void {}
}
export function operate<T>(init: (source: Observable<T>, value: T) => void, each?: ((x: Foo | undefined) => void) | null): void {}
const later = (a: number, cb: (x: Bar) => void) => a;
type Init = (x: Foo) => void;
function aliased(init: Init, either: ((x: Foo) => void) | ((y: Bar) => void)) {}
new Observable((subscriber) => { subscriber.add(); });
operate((source, value) => { source.pipe(); value.m(); }, x => x.m());
operate(function (this: Foo, source, /* c */ value) { source.pipe(); this.m(); });
obj.lift((s: Typed) => { s.m(); });
f(...xs, (y) => y.m());
const g = (z) => z.m();
(w) => w.m();
"""


def test_typescript_callback_parameters_and_the_untyped_parameters_of_arguments() -> None:
    """``callback_types``: per function-typed parameter k (no ``this``; optional, in
    parentheses or with ``undefined``/``null``), the declared type of its parameter j (no
    ``this``, no type parameter, a rest parameter ends them); a type alias, a union of two
    function types: none. An untyped parameter of a function value passed to a call or ``new``
    is ``<line>:<column>(<k>:<j>)`` of that call's row; a typed one keeps its annotation; a
    spread before it, a value not passed to a call: no type."""
    result = extract_file("typescript", "src/c.ts", CALLBACKS_SOURCE)
    assert [(row["qualified_name"], row["callback_types"]) for row in result.symbols] == [
        ("Observable", None),
        ("Observable.constructor", "0:0 Subscriber"),
        ("Observable.lift", "0:0 ns.Source;0:1 number"),  # a builtin type, as annotations
        ("operate", "0:0 Observable;1:0 Foo"),
        ("later", "1:0 Bar"),
        ("Init", None),
        ("aliased", None),
        ("g", None),
    ]
    assert receiver_types(result) == [
        (9, "subscriber.add", "9:0(0:0)"),
        (10, "source.pipe", "10:0(0:0)"),
        (10, "value.m", "10:0(0:1)"),
        (10, "x.m", "10:0(1:0)"),
        (11, "source.pipe", "11:0(0:0)"),
        (11, "this.m", "Foo"),
        (12, "obj.lift", None),
        (12, "s.m", "Typed"),
        (13, "y.m", None),
        (14, "z.m", None),
        (15, "w.m", None),
    ]


CALLED_RECEIVERS_SOURCE = b"""\
export function run(notifier) {
  innerFrom(notifier).m();
  this.getSubject().m();
  ns.create<number>(1).m();
  f(x)(y).m();
  make().a.m();
  make()?.m();
  make()!.m();
  new Sub().m();
}
"""


def test_typescript_member_calls_on_a_calls_value() -> None:
    """A member call on the value of a call of a path (``innerFrom(x).subscribe()``) has the
    receiver type ``innerFrom()``, as a name bound to that value has; a call of a call's value,
    a field of it and an operator after the call (``?.``, ``!``) are no such receiver;
    ``new Sub().m`` is a member call on a ``Sub``."""
    result = extract_file("typescript", "src/c.ts", CALLED_RECEIVERS_SOURCE)
    assert receiver_types(result, ending=".m") == [
        (2, "innerFrom(notifier).m", "innerFrom()"),
        (3, "this.getSubject().m", "this.getSubject()"),
        (4, "ns.create<number>(1).m", None),
        (5, "f(x)(y).m", None),
        (6, "make().a.m", None),
        (7, "make()?.m", None),
        (8, "make()!.m", None),
        (9, "new Sub().m", "Sub"),
    ]


def test_modifiers_static_and_private_members() -> None:
    """A TypeScript class's `static` methods and `static` properties holding a function say so
    (``modifiers``: called on the class, no member of a value), `private` too (sorted, one
    space); instance methods, instance function fields and plain functions have none ("")."""
    source = (
        b"class Foo {\n"
        b"  static create(): Foo { return new Foo(); }\n"
        b"  static make = () => new Foo();\n"
        b"  private static hidden(): void {}\n"
        b"  run(): void {}\n"
        b"  go = () => 1;\n"
        b"  static count = 0;\n"
        b"}\n"
        b"function helper(): void {}\n"
    )
    result = extract_file("typescript", "src/foo.ts", source)
    assert [(s["qualified_name"], s["modifiers"]) for s in result.symbols] == [
        ("Foo", ""),
        ("Foo.create", "static"),
        ("Foo.make", "static"),
        ("Foo.hidden", "private static"),
        ("Foo.run", ""),
        ("Foo.go", ""),
        ("helper", ""),
    ]


FIELD_COPIES = b"""\
class Socket<T> {
  private _output: Subject<T>;
  private _clock: Clock = defaultClock;
  run(): void {
    const observer = this._output;
    observer.error(1);
    const { _clock, _later } = this;
    _clock.now();
    _later.go();
    const { _output: renamed } = this;
    renamed.next();
    const { a } = that;
    a.f();
    [1].forEach(function () { const q = this._output; q.next(); });
  }
}
const top = this._output;
top.go();
"""


def test_typescript_a_copy_of_a_field_of_this_has_the_fields_type() -> None:
    """``const x = this.y`` and ``const { y } = this`` in a method: x / y have the type
    ``this.y`` has there (the field declared in the file, ``Subject``; else the field hop
    ``Socket ._later`` the CPG types); a renamed property, another object's, a callback's own
    ``this`` and the top level's: no known type."""
    result = extract_file("typescript", "socket.ts", FIELD_COPIES)
    assert receiver_types(result) == [
        (6, "observer.error", "Subject"),
        (8, "_clock.now", "Clock"),
        (9, "_later.go", "Socket ._later"),
        (11, "renamed.next", None),
        (13, "a.f", None),
        (14, "[1].forEach", None),
        (14, "q.next", None),
        (18, "top.go", None),
    ]


def test_typescript_a_type_assertion_of_a_name_types_the_receiver() -> None:
    """``(queue as ReplaySubject<T>).subscribe()``: the receiver is what the assertion states,
    read as an annotation (``ReplaySubject``); ``as any``, ``as const``, a union, an array and
    an asserted call's value state no named type."""
    source = (
        b"function f(queue: unknown, x: any): void {\n"
        b"  (queue as ReplaySubject<T>).subscribe();\n"
        b"  (this.source! as ns.Connectable).connect();\n"
        b"  (x as any).go();\n"
        b"  (x as const).go();\n"
        b"  (x as A | B).go();\n"
        b"  (x as Foo[]).go();\n"
        b"  (make() as Foo).go();\n"
        b"}\n"
    )
    result = extract_file("typescript", "src/f.ts", source)
    assert receiver_types(result) == [
        (2, "(queue as ReplaySubject<T>).subscribe", "ReplaySubject"),
        (3, "(this.source! as ns.Connectable).connect", "ns.Connectable"),
        (4, "(x as any).go", None),
        (5, "(x as const).go", None),
        (6, "(x as A | B).go", None),
        (7, "(x as Foo[]).go", None),
        (8, "(make() as Foo).go", None),
    ]


def test_modifiers_static_alone_on_its_line_modifies_the_next_member() -> None:
    """`static` then a line break then a member is one static member, as tsc parses it (no line
    terminator restriction after `static`); tree-sitter reads the lone `static` as a field of
    that name. `static;` is such a field (the `;` ends it), and `private` must be on the
    member's line (tsc), so neither carries over."""
    source = (
        b"class Foo {\n"
        b"  static\n"
        b"  create(): Foo { return new Foo(); }\n"
        b"  static // the factory\n"
        b"  make = () => new Foo();\n"
        b"  static;\n"
        b"  run(): void {}\n"
        b"  private\n"
        b"  go(): void {}\n"
        b"}\n"
    )
    result = extract_file("typescript", "src/foo.ts", source)
    assert [(s["qualified_name"], s["modifiers"]) for s in result.symbols] == [
        ("Foo", ""),
        ("Foo.create", "static"),
        ("Foo.make", "static"),
        ("Foo.run", ""),
        ("Foo.go", ""),
    ]
