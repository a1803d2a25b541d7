"""JavaScript rule table (``.js .jsx .mjs .cjs``; the grammar parses JSX natively).

Symbols: function and generator declarations (function), classes, methods (incl. getters,
setters, object-literal methods), and a ``const/let/var`` name bound to an arrow function,
function or generator expression (function, named after the variable) or to a class expression
(class). Anonymous definitions (``export default class {}``) have no symbol.

Object literals: a property whose value is a function (``later: () => ...``) is a method like
``now() {}``. An object literal bound to a name is the scope of its methods when it holds a
method, directly or through object-valued properties to any depth; only such values are
symbols (the CPG makes them TYPE_DECL nodes), an object with no method anywhere inside is none:

- ``const api = { get() {} }`` -> ``api`` (kind ``constant``; ``let``/``var``: ``variable``, SCIP's
  Constant/Variable), methods ``api.get``; a property whose value is such an object literal is a
  scope too, kind ``property``: ``let x = { a: { b() {} } }`` -> ``x``, ``x.a``, method
  ``x.a.b`` (``x`` holds a method through ``a``), and so is a class field
  (``handlers = { onClick() {} }`` -> ``C.handlers``). What ``x`` holds counts wherever it is in
  the value: ``x = { list: [{ b() {} }] }`` -> ``x.b``.
- The object may be wrapped, any number of times: ``({ ... })``, and in TypeScript
  ``{...} as const``, ``{...} satisfies Api``, ``<Api>{...}`` (not in TSX),
  ``({...} as const satisfies Api)``: the same scope as without the wrappers.
- ``export default { mounted() {} }`` -> ``default`` (constant; ECMAScript's name of the anonymous
  default export, what ``import comp from "./c"`` binds), methods ``default.mounted``.
- Member assignments ``a.b = { m() {} }`` -> property ``b`` under the object as written
  (``a.b.m``); ``this.handlers = {...}`` under what ``this`` is where it is written (the class of
  a method, an object literal's method itself, a plain function itself):
  ``C.handlers.onClick``. CommonJS
  ``exports.api = {...}`` / ``module.exports.api = {...}`` -> ``api`` at the top level, since
  ``module.exports`` is the module's namespace; ``module.exports = { f() {} }`` is the module
  itself, no symbol, and its methods are top-level (``f``), what ``require("./m").f`` names.
  Inside a function or method, an object other than ``this`` is a value the function holds
  (``socket.onopen = () => {}``, a local or a parameter, not a name of the module): no symbol.

Functions assigned to members, by the same placement (what ctags reports too):

- CommonJS: ``exports.f = function () {}``, ``module.exports.f = () => {}`` and
  ``exports.f = function g() {}`` -> function ``f`` of the module (top level; ``g`` is only
  visible inside its own body, no symbol).
- Prototypes: ``Foo.prototype.bar = function () {}`` -> method ``bar`` of ``Foo`` (``Foo.bar``,
  parent ``Foo``: every ``new Foo()`` has it); ``Foo.prototype = { baz() {} }`` -> method
  ``Foo.baz`` (the prototype object is no symbol). An ES5 constructor ``function Foo() {}``
  stays a function (ctags calls it a class): it is the constructor that ``new Foo()`` runs, and
  its prototype's methods are its members. ``this.bar = function () {}`` in it -> ``Foo.bar``.
- Any other object, written outside functions: ``Foo.create = function () {}`` -> method
  ``Foo.create`` (a function stored in an object's property is a method of it); ``static``
  among its modifiers when ``Foo`` is a class the file declares before it (a property of the
  class value, as a ``static`` method of its body: ``assigned_keyword``).
- ``this.f = function () {}`` in a class: a method ``f`` of the class, of its instances in a
  constructor or an instance method, ``static`` where ``this`` is the class value (a static
  method, a static field's initializer, a ``static {}`` block: tsc's binder declares it there).
  ``this`` is the nearest one of its own (``receiver_this``): an arrow function, named or not,
  has none (the method's); a plain function expression has, so ``this.f`` in one is that
  function's (``A.make = function () { this.f = ... }`` -> ``A.make.f``; in an anonymous
  callback no symbol), except in ``X.prototype.m = function () {}`` (an ``X``'s: ``X.f``; in
  parentheses, ``(function () {})``, the function's own, as tsc's binder reads it). In an
  object literal's method the method's own (``o.k.f``: tsc types a literal by its properties
  as written, never what its methods store on ``this``), except in a prototype's
  (``X.prototype = { m() {} }``: an ``X``'s, ``X.f``).
- Class expressions the same way (its methods are the class's): ``Dep.Template = class
  DepTemplate {}`` -> class ``Dep.Template``, ``exports.A = class {}`` -> class ``A``.
- ``module.exports = class X {}`` / ``module.exports = function x() {}``: the module itself, so
  the value is named by its own name, at the top level (class ``X``, function ``x``). An
  anonymous function or arrow function there (at the top level) is named by the module's own
  name (base.py ``own_module_name``: ``util/makeSerializable.js`` -> function
  ``makeSerializable``, what ``const makeSerializable = require("./util/makeSerializable")``
  calls, defined on the assignment's line as TypeScript's checker declares it); none when the
  file defines that name otherwise or assigns ``module.exports`` more than once. An anonymous
  class has no symbol.
- A function value in parentheses is the function (a JSDoc type cast, ``X.prototype.f = /**
  @type {F} */ (function () {})``, ``const f = /** @type {F} */ ((a) => a)``).

Calls: ``call_expression`` (incl. ``a?.b()``, tagged templates, dynamic ``import()``) and
``new_expression``. Callee text as written, callee_name its last identifier. ``this_symbol``: the
symbol whose ``this`` the call sees (ECMAScript's: every non-arrow function, method and class body
has its own, an arrow function uses the one around it), the innermost of these around the call:
a method or function itself (``function f`` / ``const f = function () {}`` / ``Foo.prototype.f =
function () {}`` -> ``f``, ``Foo.f``), a class for its field initializers and static blocks
(``handler = () => this.m()`` -> the class); None when it is anonymous (``arr.forEach(function ()
{ this.m(); })``, ``socket.onopen = function () {}`` inside a function) and at the top level.

Imports (shared with TypeScript), one row per name, module = the string without quotes:
``import x from "m"`` -> ("m", "default", "x"); ``import {a as b, c} from "m"`` -> ("m", "a", "b"),
("m", "c"); ``import * as ns from "m"`` -> ("m", "*", "ns"); side-effect ``import "m"`` and bare
``require("m");`` -> ("m", "*", None). ``const x = require("m")`` binds the whole module object,
so it is ("m", "*", "x") like a namespace import; ``const {a, b: c} = require("m")`` ->
("m", "a"), ("m", "b", "c"). Re-exports count: ``export {a as b} from "m"`` -> ("m", "a", "b"),
``export * from "m"`` -> ("m", "*"), ``export * as ns from "m"`` -> ("m", "*", "ns"), and so
does exporting a name of the file itself (an imported one or a declaration): ``export {a as b}``
-> (None, "a", "b"), and ``export default class B {}`` / ``export default function f() {}`` /
``export default B;`` -> (None, "B", "default") (an anonymous one or another value: none). The
rows of an ``export`` statement are ``exported`` (``exports`` hook): the file exports what they
name, and binds nothing by them itself (ECMAScript); an ``import`` binds names in the file and
exports none (the CPG's rule 3 follows exported names only).
TypeScript's ``import q = require("m")`` -> ("m", "*", "q"). CommonJS ``module.exports = X`` at
the top level (a name, ``class X {}``, ``function X() {}``, an anonymous function: the module's
own name) -> (None, "X", "export="), exported:
the module object is X (TypeScript's ``export = X``), what ``require("./m")`` returns; a
property of the module object at the top level, ``exports.f = g`` / ``module.exports.f = g``
-> (None, "g", "f"), exported (``export {g as f}``; (None, "f") for ``= f`` and for a function
or class value, the symbol ``f``; another value, ``exports.n = 1``, none). JSDoc
``/** @typedef {import("./m")} M */`` -> ("./m", "*", "M") and ``@typedef {import("./m").X} M``
-> ("./m", "X", "M"): type-only imports, the names ``@param`` types use (a generic one too,
``@template T @typedef {import("./util/LazySet")<T>} LazySet<T>``: the type arguments aside).
A class expression's own name, which its body sees: ``const A = class Inner { m() { Inner.s();
} }`` -> (None, "A", "Inner") enclosed by A (``Dep.Template = class T {...}`` -> (None,
"Dep.Template", "T")), where the class is a symbol and its body writes the name.

Inherits: ``class A extends B`` -> A -> B ("extends"), also of a class expression that is a symbol;
a parenthesized base is the name inside (``extends (Dep.Template)`` -> ``Dep.Template``).

Receiver types (calls' ``receiver_type``, see base.py ``@declare``): what ``new`` makes, in
``const/let/var x = new Foo()``, a default parameter ``x = new Foo()``, an assignment, a class
field ``x = new Foo()`` and ``this.x = new Foo()``; ``const x = y`` has y's type, ``const x =
this.y`` and ``const { y } = this`` the type of ``this.y`` there (a field hop when the file
binds no ``this.y``: ``Compiler .hooks``), ``const x = y.z`` / ``const { z } = y`` that of
``y.z`` (``Compilation .moduleGraph`` with y a ``Compilation``); a parameter
documented ``@param {Foo} x`` in the JSDoc comment right before its function, method or the
statement or property holding the function value (``contextual_type``), read as a TypeScript
annotation is (``Foo | null`` is a Foo; ``Foo[]``, unions, function types none); a JSDoc
``/** @type {Foo} */`` right before ``this.x = ...`` / ``const x = ...`` / ``let x;``, or as the
cast of the value (``const x = /** @type {Foo} */ (v)``), an annotation (``declared_type``: it
holds over the value; a comment without ``@type`` leaves the value's type); a call's value
(``const hash = createHash()``, ``await f()``: ``createHash()``, ``f().await``), typed in the CPG
by the function's ``returns``: the ``@returns {T}`` (``@return``) of its JSDoc comment, read as
TypeScript's return annotation (``Promise<T>``: ``.await T``; ``this``: the own class); a
member call on a call's value as that value (``createHash().update()``; ``new Foo(x).apply()``:
a ``Foo``); a receiver in parentheses cast by the JSDoc comment right before it (``/** @type
{Foo} */ (x).f()``, ``NonNullable<Foo>`` too: ``cast_type``) a ``Foo``; ``for (const x of
xs)`` over a name documented ``@param {Foo[]} xs`` (``contextual_element``), ``/** @type
{Set<Foo>} */ const xs`` or ``of this.xs`` with ``/** @type {Set<Foo>} */ this.xs = ...`` in
the file's class (``element_type``: the container types TypeScript's reads) an element, a
``Foo``. Other parameters, destructured names, ``for ... in`` and other loop variables and
``catch`` variables are bindings of no known type.

Calls' ``receiver_local`` (base.py ``binds_definition``): a member call whose receiver starts
with a name a function or a block around binds to a value (``x`` of ``x.f()``, ``(x).f()``,
``x?.f()``, ``x.y.f()``: a parameter, a ``var``/``let``/``const``, a ``using`` / ``await using``
(block-scoped as ``const``; TypeScript's grammar parses it as an assignment), a loop or
``catch`` variable, a destructured name; a block's binding in its block only, at the top level
too), not to a class (``const C = class {}``) nor to a module (``const m = require("m")``,
``const { B } = require("m")``: imports); a module's own variables are not local. Likewise a
bare call (``cb()``, ``(cb)()``, ``cb!()``, ``new Cb()``) of such a value, but for a binding of
a function we have a symbol for (``function cb() {}`` in a block, ``const cb = () => {}``, a
named function expression's own name where the expression is a symbol's value, which an
imports row binds to that symbol, ``_function_own_name_rows``): ``function f(cb) { cb(); }``
calls the parameter, as tsc binds it, not a top-level or imported ``cb``. False for every other
call.
"""

from __future__ import annotations

import re

import tree_sitter_javascript
from tree_sitter import Node

from hamilton_modules.languages.base import (
    AWAIT,
    ENCLOSING_CLASS,
    ENCLOSING_FUNCTION,
    EXPORT_EQUALS,
    INFERRED,
    OWN_MODULE,
    SELF,
    ImportRow,
    LanguageRules,
    Modifiers,
    Scope,
    TextOf,
    awaited_call,
    dotted_name,
    node_text,
    read_modifiers,
    split_top_level,
    type_arguments,
)

# A function value: what makes a property (`f: () => {}`) or a binding (`const f = ...`) a function.
FUNCTION = "[(arrow_function) (function_expression) (generator_function)]"
# Expressions that are the value they wrap: `({ f() {} })`, and TypeScript's `{...} as const`,
# `{...} satisfies Api`, `{...}!`, `<Api>{...}` (a type assertion; TSX has none: JSX there).
WRAPPERS = ("parenthesized_expression",)
TYPESCRIPT_WRAPPERS = ("as_expression", "satisfies_expression", "non_null_expression")
TYPE_ASSERTION = "type_assertion"
_ALL_WRAPPERS = frozenset({*WRAPPERS, *TYPESCRIPT_WRAPPERS, TYPE_ASSERTION})
# Children of a wrapper that are not the wrapped value (`<Api>{...}`: its type arguments).
_NOT_WRAPPED = frozenset({"comment", "type_arguments"})


def object_value(wrappers: tuple[str, ...]) -> str:
    """A query alternation for an object literal or a wrapper (one of ``wrappers``), captured as
    ``@value`` for :func:`is_object_literal`, which looks through any number of wrappers."""
    return "[(object) " + " ".join(f"({wrapper})" for wrapper in wrappers) + "] @value"


def is_object_literal(value: Node) -> bool:
    """Whether a value is an object literal inside zero or more wrappers (the engine's
    ``accepts_value``): ``(({ f() {} }) as const)`` is one, ``(register({ f() {} }))`` is not.
    Wrappers nest without bound (a query pattern would need one alternative per depth), so
    they are unwrapped here, iteratively; a wrapper holds its value as the first named child
    that is neither a comment nor (type assertions) the type."""
    node: Node | None = value
    while node is not None and node.type in _ALL_WRAPPERS:
        node = next((c for c in node.named_children if c.type not in _NOT_WRAPPED), None)
    return node is not None and node.type == "object"


def common_query(objects: str, *, returns: str = "") -> str:
    """Patterns shared by JavaScript and TypeScript (same node names in both grammars);
    ``objects`` is the grammar's :func:`object_value`; ``returns``: what a function declaration
    or method captures after its name (TypeScript: its return type, ``@returns``), ``async``
    (``@async``) then too."""
    is_async = '"async"? @async ' if returns else ""
    return (
        r"""
(function_declaration {ASYNC}name: (identifier) @name{RETURNS}) @def.function
(generator_function_declaration name: (identifier) @name{RETURNS}) @def.function
(method_definition {ASYNC}name: (_) @name{RETURNS}) @def.method
(variable_declarator name: (identifier) @name value: {FUNCTION}) @def.function
(variable_declarator name: (identifier) @name value: (class)) @def.class
; Object literals bound to names, containers of their methods (kept only when they hold one,
; see LanguageRules.container_kinds): a constant for `const`, a variable for `let`/`var`.
(lexical_declaration kind: "const"
  (variable_declarator name: (identifier) @name value: {OBJECT}) @def.constant)
(lexical_declaration kind: "let"
  (variable_declarator name: (identifier) @name value: {OBJECT}) @def.variable)
(variable_declaration
  (variable_declarator name: (identifier) @name value: {OBJECT}) @def.variable)
; `export default { mounted() {} }`: the module's `default` binding (ECMAScript names the
; anonymous default export "default"), what `import comp from "./c"` binds.
(export_statement "default" @name value: {OBJECT}) @def.constant
(pair key: (property_identifier) @name value: {FUNCTION}) @def.method
(pair key: (property_identifier) @name value: {OBJECT}) @def.property
; `a.b = {...}`, `this.handlers = {...}`, `exports.api = {...}`, `Foo.prototype = {...}` and
; `exports.f = function () {}`, `Foo.prototype.bar = function () {}`: placed by member_parent()
(assignment_expression
  left: (member_expression object: (_) @receiver property: (property_identifier) @name)
  right: {OBJECT}) @def.property
(assignment_expression
  left: (member_expression
    object: [(identifier) (this) (member_expression)] @receiver
    property: (property_identifier) @name)
  right: {FUNCTION}) @def.function

; Nodes with a `this` of their own (an arrow function has none); see this_binder().
[(function_declaration) (generator_function_declaration) (function_expression)
 (generator_function) (method_definition) (class_body)] @this

(call_expression function: (_) @call)
(new_expression constructor: (_) @callee) @call
(import_statement) @import
(export_statement source: (_)) @import
(export_statement !source (export_clause)) @import
; `export default class B {}` / `function f() {}` / `B;`: the file's own B is its `default`
; (`export {B as default}`), see javascript_imports(); an anonymous one has no symbol to name.
; Top-level only: one inside TypeScript's `declare module "m" {}` is m's default, not the file's.
(program (export_statement "default" declaration: (_ name: (_))) @import)
(program (export_statement "default" value: (identifier)) @import)
; A class expression's own name, which its body sees (`const A = class Inner {}`: Inner is A
; there), see javascript_imports(); the engine keeps the row where the class is a symbol.
(class name: (_)) @import
; A named function expression's own name, which its body sees (`const h = function k() { k();
; }`: k is h there), see javascript_imports(); the engine keeps the row where it is a symbol.
[(function_expression name: (_)) (generator_function name: (_))] @import
; `require("m")` bindings and statements. The hook checks the name is `require`: a text
; predicate (#eq?) would decode node text strictly and raise on invalid UTF-8.
(variable_declarator
  value: (call_expression function: (identifier) arguments: (arguments . (string)))) @import
(expression_statement
  (call_expression function: (identifier) arguments: (arguments . (string)))) @import

; Declared receiver types (calls' receiver_type): scopes (an arrow function too), then every
; binding of a plain name or of `this.x` (typed or not: an untyped one shadows and disagrees).
; A class's `static {}` block is a scope of its own, as a static method's body (its `let`, `var`
; are its own, no fields of the class).
[(function_declaration) (generator_function_declaration) (function_expression)
 (generator_function) (method_definition) (arrow_function) (class_static_block)] @scope
(class_body) @scope.class
; blocks: a `let`/`const`/`class`, a `for (const x ...)` or `catch (e)` holds inside its block only
[(statement_block) (for_statement) (for_in_statement) (catch_clause) (switch_statement)] @scope.block
; A function declared in a function or a block binds its name there, in the whole block (hoisted):
; a value; a named function expression binds its own name in itself.
(statement_block [(function_declaration name: (identifier) @var)
                  (generator_function_declaration name: (identifier) @var)] @declare.outer)
[(function_expression name: (identifier) @var) (generator_function name: (identifier) @var)] @declare
; a class expression's own name in its methods and `static {}` blocks (ECMAScript's class
; scope; a field's arrow function aside): a value where the class is no symbol, see
; languages.base ENCLOSING_CLASS
(class name: (_) @var body: (class_body [(method_definition) (class_static_block)] @declare))
(rest_pattern (identifier) @var) @declare
(arrow_function parameter: (identifier) @var) @declare
(shorthand_property_identifier_pattern) @var @declare
(pair_pattern value: (identifier) @var) @declare
(array_pattern (identifier) @var) @declare
(assignment_pattern left: (identifier) @var right: (_) @var.value) @declare
(for_in_statement left: (identifier) @var operator: "in") @declare
; `for (const x of xs)`: an element of xs (declared `Foo[]`, `Set<Foo>`...: element_type)
(for_in_statement left: (identifier) @var operator: "of" right: (_) @var.value) @declare.element
(catch_clause parameter: (identifier) @var) @declare
(assignment_expression
  left: [(identifier) (member_expression object: (this) property: (property_identifier))] @var
  right: (_) @var.value) @declare
""".replace("{OBJECT}", objects)
        .replace("{FUNCTION}", FUNCTION)
        .replace("{RETURNS}", returns)
        .replace("{ASYNC}", is_async)
    )


OBJECT = object_value(WRAPPERS)
QUERY = (
    common_query(OBJECT)
    + r"""
(class_declaration name: (identifier) @name) @def.class
(field_definition property: (_) @name value: {FUNCTION}) @def.method
(field_definition property: (_) @name value: {OBJECT}) @def.property
; A class expression assigned to a member is named after it, as a function is (`Dep.Template =
; class DepTemplate {}` -> `Dep.Template`; `exports.A = class {}` -> `A`), placed by member_parent().
(assignment_expression
  left: (member_expression
    object: [(identifier) (this) (member_expression)] @receiver
    property: (property_identifier) @name)
  right: (class)) @def.class
; `module.exports = class X {}` / `= function x() {}`: the module itself (member_parent() gives
; no symbol for it), so a named value is named by its own name, at the top level; the @value
; (the left side) must be `module.exports`, see accepts_value(). Anonymous ones have no symbol.
(assignment_expression left: (member_expression) @value right: (class name: (identifier) @name))
  @def.class
(assignment_expression
  left: (member_expression) @value
  right: [(function_expression name: (identifier) @name)
          (generator_function name: (identifier) @name)]) @def.function
; A function value in parentheses is the function (`X.prototype.f = /** @type {T} */ (function
; () {})`, a JSDoc type cast): the same definition as without them.
(variable_declarator name: (identifier) @name value: (parenthesized_expression {FUNCTION})) @def.function
(pair key: (property_identifier) @name value: (parenthesized_expression {FUNCTION})) @def.method
(assignment_expression
  left: (member_expression
    object: [(identifier) (this) (member_expression)] @receiver
    property: (property_identifier) @name)
  right: (parenthesized_expression {FUNCTION})) @def.function
; `module.exports = (a) => {}` / `= function () {}` at the top level: the module itself is that
; anonymous function, named by the module's own name (@name.module: `makeSerializable` in
; util/makeSerializable.js, what its importers call it; none when the file defines that name).
(program (expression_statement (assignment_expression
  left: (member_expression) @value @name.module
  right: [(arrow_function) (function_expression !name) (generator_function !name)]) @def.function))
; CommonJS `module.exports = X` (a name, a named class or function, an anonymous function: the
; module's own name) at the top level: the module object is X, TypeScript's `export = X`, an
; exported row (None, "X", "export="); `exports.f = g` / `module.exports.f = g` (or a function
; or class named f there) a property f of the module object, an exported row (None, "g", "f");
; see javascript_imports().
(program (expression_statement (assignment_expression
  left: (member_expression object: [(identifier) (member_expression)] property: (property_identifier))
  right: [(identifier) (class) (function_expression) (arrow_function) (generator_function)])
  @import))
; JSDoc `/** @typedef {import("./m")} M */`: a type-only import, see javascript_imports().
(comment) @import
; JSDoc `/** @type {T} */` right before `this.x = ...` / `const x = ...`, or as the cast of a
; value (`const x = /** @type {T} */ (v)`): x's declared type (javascript_declared_type reads it).
((comment) @var.type . (expression_statement (assignment_expression
  left: (member_expression object: (this) property: (property_identifier)) @var
  right: (_) @var.value) @declare))
((comment) @var.type .
  (lexical_declaration (variable_declarator name: (identifier) @var value: (_) @var.value) @declare))
((comment) @var.type .
  (variable_declaration (variable_declarator name: (identifier) @var value: (_) @var.value) @declare))
((comment) @var.type . (lexical_declaration (variable_declarator name: (identifier) @var !value) @declare))
((comment) @var.type . (variable_declaration (variable_declarator name: (identifier) @var !value) @declare))
(variable_declarator name: (identifier) @var (comment) @var.type .
  value: (parenthesized_expression) @var.value) @declare
(class_declaration (class_heritage (_) @inherit.extends)) @owner
(variable_declarator value: (class (class_heritage (_) @inherit.extends))) @owner
(assignment_expression right: (class (class_heritage (_) @inherit.extends))) @owner
; `extends (Dep.Template)`: the name in the parentheses (the parenthesized node is skipped,
; inherit_skip)
(class_declaration (class_heritage (parenthesized_expression {BASE} @inherit.extends))) @owner
(variable_declarator
  value: (class (class_heritage (parenthesized_expression {BASE} @inherit.extends)))) @owner
(assignment_expression
  right: (class (class_heritage (parenthesized_expression {BASE} @inherit.extends)))) @owner
(formal_parameters (identifier) @var) @declare
(variable_declarator name: (identifier) @var value: (_) @var.value) @declare
(variable_declarator name: (identifier) @var !value) @declare
(field_definition property: (property_identifier) @var value: (_) @var.value) @declare
(field_definition property: (property_identifier) @var !value) @declare
""".replace("{OBJECT}", OBJECT)
    .replace("{FUNCTION}", FUNCTION)
    .replace("{BASE}", "[(identifier) (member_expression)]")
)


# Declared receiver types: `new Foo()` is a Foo; `const x = y` has the type declared for y.
VALUE_CONSTRUCTORS = {"new_expression": ("constructor", "")}
# JavaScript's, also: `const hash = createHash()` is what the function's JSDoc `@returns`
# says (the CPG reads its ``returns``), `await f()` `f().await` (TypeScript's).
JAVASCRIPT_VALUE_CONSTRUCTORS = {
    **VALUE_CONSTRUCTORS,
    "call_expression": ("function", "()"),
    "await_expression": ("", ""),
}
VALUE_NAMES = frozenset({"identifier"})

# CommonJS: `module.exports` and `exports` are the module's namespace (what `require` returns).
_MODULE_OBJECTS = ("module.exports", "exports")
# Definitions whose body is code that runs: `this` and local values live there.
_FUNCTION_KINDS = frozenset({"function", "method"})
# Kinds of the object literals bound to names: symbols only as the scope of a method.
CONTAINER_KINDS = frozenset({"constant", "variable", "property"})
# `Foo.prototype.bar = ...`: what every `new Foo()` inherits, so a member of `Foo`.
_PROTOTYPE = ".prototype"


def _string(node: Node | None, text: TextOf) -> str | None:
    """A string literal's content without its quotes."""
    if node is None:
        return None
    value = text(node)
    return value[1:-1] if len(value) >= 2 and value[0] in "'\"`" else value


def _require_source(call: Node, text: TextOf) -> str | None:
    """The module of a `require("m")` call, None when the call is not `require`."""
    function = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    if function is None or arguments is None or text(function) != "require":
        return None
    strings = [child for child in arguments.named_children if child.type == "string"]
    return _string(strings[0], text) if strings else None


def _clause_rows(module: str | None, clause: Node, text: TextOf) -> list[ImportRow]:
    rows: list[ImportRow] = []
    for child in clause.named_children:
        kind = child.type
        if kind == "identifier":  # default import
            rows.append((module, "default", text(child)))
        elif kind in ("namespace_import", "namespace_export"):
            names = child.named_children
            rows.append((module, "*", text(names[0]) if names else None))
        elif kind in ("named_imports", "export_clause"):
            for spec in child.named_children:
                if spec.type not in ("import_specifier", "export_specifier"):
                    continue
                name = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias")
                if name is not None:
                    rows.append(
                        (
                            module,
                            _string(name, text) or "",
                            text(alias) if alias is not None else None,
                        )
                    )
    return rows


def _pattern_rows(module: str | None, pattern: Node, text: TextOf) -> list[ImportRow]:
    if pattern.type == "identifier":
        return [(module, "*", text(pattern))]
    if pattern.type != "object_pattern":
        return [(module, "*", None)]
    rows: list[ImportRow] = []
    for prop in pattern.named_children:
        if prop.type == "shorthand_property_identifier_pattern":
            rows.append((module, text(prop), None))
        elif prop.type == "pair_pattern":
            key = prop.child_by_field_name("key")
            value = prop.child_by_field_name("value")
            if key is not None:
                alias = text(value) if value is not None and value.type == "identifier" else None
                rows.append((module, _string(key, text) or "", alias))
    return rows


# Definition nodes that are their own `this` node, and those whose `body` is (a class's body).
_OWN_THIS = frozenset(
    {"function_declaration", "generator_function_declaration", "method_definition"}
)
_CLASS_DECLARATIONS = frozenset({"class_declaration", "abstract_class_declaration"})
# Values with a `this` of their own: non-arrow function expressions (and classes, by their body).
_FUNCTION_VALUES = frozenset({"function_expression", "generator_function"})


# Where a binding holds (LanguageRules.declaration_reach), by its nearest declaring ancestor.
_REACH = {
    "lexical_declaration": "block",  # let, const
    "using_declaration": "block",  # using, await using (JavaScript's grammar)
    "catch_clause": "block",
    "variable_declaration": "scope",  # var
    "formal_parameters": "scope",
    "arrow_function": "scope",  # `x => ...`
    "assignment_expression": "assigned",
}
# TypeScript's signatures without a body (`(B: T) => void`, `new (B: T) => X`, an interface's
# `m(B: T): void`, `{ (B: T): void }`, `new (B: T): X`, an overload, `declare function`, an
# abstract method): their parameters are names of a type, no value any scope binds.
_BODILESS = frozenset(
    {
        "function_type",
        "constructor_type",
        "method_signature",
        "call_signature",
        "construct_signature",
        "function_signature",
        "abstract_method_signature",
    }
)
# The function declarations whose name a block binds (the query's `@declare.outer`).
_DECLARED_FUNCTIONS = frozenset({"function_declaration", "generator_function_declaration"})
# the members of a class body that bind a class expression's own name in themselves
_CLASS_SCOPE_MEMBERS = frozenset({"method_definition", "class_static_block"})
_MAX_REACH_DEPTH = 12  # destructuring patterns nested deeper are taken for the whole scope


def declaration_reach(declaration: Node) -> str:
    """Where a ``@declare`` node's binding holds: ``"block"`` (``let``/``const``, ``using``,
    ``await using``, ``catch``, ``for (const x of ...)``), ``"scope"`` (a parameter, ``var``),
    ``"assigned"`` (``x = ...``, ``for (x of ...)``: the variable is declared elsewhere) or
    ``"none"`` (a parameter of a signature without a body, ``_BODILESS``). Looks up the few
    ancestors of a destructuring pattern, never the whole tree."""
    if declaration.type in _DECLARED_FUNCTIONS:  # its name, in the block around (hoisted)
        return "block"
    if declaration.type in _FUNCTION_VALUES:  # a function expression's own name, in itself
        return "scope"
    if declaration.type in _CLASS_SCOPE_MEMBERS:  # a class expression's own name, in a method
        return "scope"
    node: Node | None = declaration
    for _ in range(_MAX_REACH_DEPTH):
        if node is None:
            break
        if node.type == "for_in_statement":
            kind = node.child_by_field_name("kind")
            if kind is None:
                return "assigned"
            return "scope" if kind.type == "var" else "block"
        if node.type == "assignment_expression" and any(
            child.type == "using" for child in node.children
        ):  # TypeScript's grammar parses `using r = ...` (`await using`) as an assignment
            return "block"
        reach = _REACH.get(node.type)
        if reach is not None:
            if node.type == "formal_parameters":
                around = node.parent
                if around is not None and around.type in _BODILESS:
                    return "none"
            return reach
        node = node.parent
    return "scope"


# The patterns a destructured name is in, up to its declarator (`const { a: [b = 1] } = v`).
_PATTERNS = frozenset(
    {"object_pattern", "pair_pattern", "array_pattern", "assignment_pattern", "rest_pattern"}
)


# A callee that calls a plain name (``cb``, ``$cb``, ``(cb)``; TypeScript's non-null ``cb!``):
# the engine's ``called_names``, as the CPG's rule 2 reads it.
CALLED_NAMES = re.compile(r"\(*((?:[^\W\d]|\$)[\w$]*)\)*!?")


def binds_definition(var: Node) -> bool:
    """Whether a ``@declare``'s name (its ``@var`` node) is bound to a class or a module, not to
    a value (the engine's ``binds_definition``): ``const C = class {}`` (the class ``C``, a
    symbol), ``const m = require("m")``, ``const { B } = require("m")`` (imports, the rows of
    ``javascript_imports``). Looks up the few ancestors of a destructuring pattern."""
    node = var
    for _ in range(_MAX_REACH_DEPTH):
        parent = node.parent
        if parent is None:
            return False
        if parent.type == "variable_declarator":
            value = parent.child_by_field_name("value")
            return (
                value is not None
                and parent.child_by_field_name("name") == node
                and (value.type == "class" or _require_source(value, node_text) is not None)
            )
        if parent.type not in _PATTERNS:
            return False
        node = parent
    return False


def assigned_keyword(definition: Node, receiver: str, modifiers: Modifiers) -> str:
    """The modifier of a function assigned to a member of a class (the engine's
    ``Modifiers.assigned_keyword``): ``static`` for the class value's own (``A.make = function
    () {}``; ``this.make = function () {}`` where ``this`` is the class: in a static method, a
    static field's initializer or a ``static {}`` block, whose members tsc's binder declares
    static), none for its instances' (``A.prototype.f = ...``, ``this.f = ...`` elsewhere)."""
    receiver = "".join(receiver.split())
    if receiver.endswith(_PROTOTYPE):
        return ""
    if receiver.split(".", 1)[0] == "this":
        return "static" if _this_is_the_class(definition, modifiers) else ""
    return "static"


# The nodes with a `this` of their own (an arrow function has none): non-arrow functions and a
# class's members (a method, a field's initializer, a static block).
_THIS_CONTAINERS = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "function_expression",
        "generator_function",
        "method_definition",
        "field_definition",  # (JavaScript's)
        "public_field_definition",  # (TypeScript's)
        "class_static_block",
    }
)


def _this_container(node: Node) -> Node | None:
    """The nearest node around ``node`` with a ``this`` of its own (tsc's ``getThisContainer``:
    arrow functions passed by), None at the top level."""
    container = node.parent
    while container is not None and container.type not in _THIS_CONTAINERS:
        container = container.parent
    return container


def _this_is_the_class(node: Node, modifiers: Modifiers) -> bool:
    """Whether ``this`` at ``node`` is the class value itself (its nearest ``this`` of its own
    is a static member's or a ``static {}`` block's, as tsc's ``getThisContainer`` and
    ``isStatic`` read it), not an instance or a function's own."""
    container = _this_container(node)
    if container is None:
        return False
    if container.type == "class_static_block":
        return True
    if container.type in ("method_definition", "field_definition", "public_field_definition"):
        return "static" in read_modifiers(container, modifiers).split()
    return False


def receiver_this(definition: Node, receiver: str) -> tuple[Node | None, bool] | None:
    """Whose ``this`` a definition on ``this`` (``this.f = function () {}``) is written in (the
    engine's ``receiver_this``), as tsc's binder declares it (``bindThisPropertyAssignment``),
    by the nearest node with a ``this`` of its own (an arrow function has none: a named one's
    ``this`` is its method's):

    - a method's (its node, True): an instance or the class value, of the method's class (or
      object literal); a field's initializer or a ``static {}`` block: the class (its body);
    - a function's, declared or a value (its node, False): the function's own, what ``new``
      makes of it (``function Foo() { this.f = ... }``: ``Foo.f``; ``A.make = function () {
      this.f = ... }``: ``A.make.f``; in an anonymous callback, no symbol's); except the value
      of ``X.prototype.m = function () {}`` (its node, True): an instance of ``X``;
    - none at the top level: (None, False).

    None for another receiver."""
    if "".join(receiver.split()).split(".", 1)[0] != "this":
        return None
    container = _this_container(definition)
    if container is None:
        return (None, False)
    if container.type in ("field_definition", "public_field_definition", "class_static_block"):
        return (container.parent, False)
    if container.type == "method_definition":
        # an object literal's method: the method's own, as tsc's checker reads it (the
        # literal's type is its properties as written, never what its methods store on
        # `this`), no member of the literal; but a prototype's (`X.prototype = { m() {} }`)
        # runs on an `X`
        held = container.parent
        return (container, held is None or held.type != "object" or _prototype_object(held))
    # the value of the assignment itself: tsc's binder looks at the function's parent, so in
    # parentheses (`X.prototype.m = (function () {})`, a JSDoc cast) the function is its own
    assigned = container.parent
    on_prototype = (
        assigned is not None
        and assigned.type == "assignment_expression"
        and assigned.child_by_field_name("right") == container
        and _prototype_member(assigned.child_by_field_name("left"))
    )
    return (container, on_prototype)


def _prototype_object(value: Node) -> bool:
    """Whether the object literal ``value`` is assigned to a prototype, ``X.prototype = {...}``
    (not in parentheses, ``X.prototype = ({...})``, a JSDoc cast or not: tsc's binder reads the
    literal's parent, and its methods run on no ``X`` there)."""
    assigned = value.parent
    if assigned is None or assigned.type != "assignment_expression":
        return False
    left = assigned.child_by_field_name("left")
    return (
        assigned.child_by_field_name("right") == value
        and left is not None
        and "".join(node_text(left).split()).endswith(_PROTOTYPE)
    )


def _prototype_member(node: Node | None) -> bool:
    """Whether ``node`` is a member of a prototype, ``X.prototype.m`` (tsc's
    ``isPrototypeAccess`` of its object)."""
    if node is None or node.type != "member_expression":
        return False
    held = node.child_by_field_name("object")
    return held is not None and "".join(node_text(held).split()).endswith(_PROTOTYPE)


def this_binder(definition: Node) -> Node | None:
    """The ``@this`` node of a definition (the engine's ``this_binder``): a function declaration
    or method itself, a class's body, the value of ``const f = function () {}`` /
    ``f: function () {}`` / ``a.f = function* () {}`` (``value`` or ``right``), the body of
    ``const A = class {}``; None for an arrow function's binding (no ``this`` of its own: its
    calls see the one around) and for objects and type declarations (no code of their own)."""
    kind = definition.type
    if kind in _OWN_THIS:
        return definition
    if kind in _CLASS_DECLARATIONS:
        return definition.child_by_field_name("body")
    value = definition.child_by_field_name("value") or definition.child_by_field_name("right")
    while value is not None and value.type == "parenthesized_expression":  # `(function () {})`
        value = next((c for c in value.named_children if c.type != "comment"), None)
    if value is None:
        return None
    if value.type in _FUNCTION_VALUES:
        return value
    if value.type == "class":
        return value.child_by_field_name("body")
    return None


def member_parent(
    receiver: str, name: str, enclosing: str | None, enclosing_kind: str | None
) -> str | Scope | None:
    """Where ``receiver.name = ...`` belongs (the engine's ``receiver_parent``): the parent's
    qualified name ("" = the top level), a Scope, or None (no symbol), by the receiver:

    - ``module.exports = ...``: None, the module itself (an object's methods are top-level);
      ``exports.f``, ``module.exports.a.f``: the module's namespace, "" and ``a``;
    - ``Foo.prototype = { bar() {} }``: a Scope ``Foo`` (the prototype is no symbol, its
      methods are ``Foo``'s); ``Foo.prototype.bar``: ``Foo`` (what every ``new Foo()`` has);
    - ``this.x``: what ``this`` is where it is written, which the engine passes as
      ``enclosing`` (see ``receiver_this``; None or "" at the top level);
    - any other object, as written (``api.extra``), except inside a function or method, where
      it is a value the function holds (``socket.onopen = () => {}``, usually a local or a
      parameter): None, what it holds stays the function's.
    """
    receiver = "".join(receiver.split())
    if receiver == "module" and name == "exports":
        return None
    prototype = receiver.endswith(_PROTOTYPE) or name == "prototype"
    receiver = receiver.removesuffix(_PROTOTYPE)
    head, _, rest = receiver.partition(".")
    if receiver in _MODULE_OBJECTS or receiver.startswith(("module.exports.", "exports.")):
        owner = receiver.removeprefix("module.").removeprefix("exports").lstrip(".")
    elif head == "this":
        owner = ".".join(part for part in (enclosing, rest) if part)
    elif prototype or enclosing_kind not in _FUNCTION_KINDS:
        owner = receiver
    else:
        return None
    if name == "prototype":
        return Scope(owner) if owner else None
    return owner


def javascript_accepts_value(value: Node) -> bool:
    """The engine's ``accepts_value`` for JavaScript: an object literal (:func:`is_object_literal`),
    or, for ``module.exports = class X {}``, the assigned member being ``module.exports``
    (compared as bytes: a text predicate would decode strictly and fail on invalid UTF-8)."""
    if value.type == "member_expression":
        return b"".join((value.text or b"").split()) == b"module.exports"
    return is_object_literal(value)


# TypeScript's type syntax, which JSDoc types (``@type {Foo}``, ``@param``, ``@returns``) are
# written in too: typescript.py builds on this module, so its readers of a type are here.
# Types that declare nothing of an instance (`any`, `unknown`, `object`...); `Foo | undefined`
# and `Foo | null` declare a Foo.
_NO_TYPE = frozenset({"any", "unknown", "object", "never", "void"})
NULLISH_TYPES = frozenset({"undefined", "null"})


def _one_written_type(text: str) -> str | None:
    """The one type an annotation (``: Foo<T> | undefined``) writes besides ``null`` and
    ``undefined``, as written; None for a union of two types or none."""
    text = text.strip().removeprefix(":")
    alternatives = [part.strip() for part in split_top_level(text, "|")]
    named = [part for part in alternatives if part and part not in NULLISH_TYPES]
    return named[0] if len(named) == 1 else None


def typescript_declared_type(text: str) -> str | None:
    """The one named type a type annotation (``: Foo<T> | undefined``) declares, dotted as
    written without type arguments (``Foo``, ``ns.Foo``); None for a union of two types, an
    array, function, object, literal or ``typeof`` type, ``any`` and the like."""
    written = _one_written_type(text)
    if written is None or written.endswith("]"):  # an array or tuple type, an indexed access
        return None
    head = type_arguments(written)[0].strip()
    if len(head.split()) != 1 or head in _NO_TYPE:
        return None
    return dotted_name(head)


# Container types whose one type argument is what `for (const x of xs)` iterates (a `Map`'s
# elements are key-value pairs: none).
_ITERATED = frozenset(
    {"Array", "ReadonlyArray", "Set", "ReadonlySet", "Iterable", "IterableIterator"}
)


def typescript_element_type(text: str) -> str | None:
    """TypeScript's ``element_type``: the one named type of the elements of a written container
    type (``: Foo[]``, ``readonly Foo[]``, ``Array<Foo>``, ``ReadonlyArray<Foo>``,
    ``Set<Foo>``, ``ReadonlySet<Foo>``, ``Iterable<Foo>``, ``IterableIterator<Foo>``; ``|
    undefined`` / ``| null`` aside) as ``typescript_declared_type`` reads ``Foo``; None for
    anything else (a ``Map``, a tuple, a union of containers, elements of no one named type)."""
    written = _one_written_type(text)
    if written is None:
        return None
    written = written.removeprefix("readonly ").strip()
    if written.endswith("[]"):
        return typescript_declared_type(written[:-2])
    head, arguments = type_arguments(written)
    if arguments is None or len(arguments) != 1 or head.strip() not in _ITERATED:
        return None
    return typescript_declared_type(arguments[0])


# Types whose value `await` takes out: `Promise<Foo>` -> `.await Foo`.
_AWAITED = frozenset({"Promise", "PromiseLike"})


def typescript_returned_type(text: str, is_async: bool) -> str | None:
    """A function's ``returns`` column (see base.py ``returned_type``): its ``: T`` as
    ``typescript_declared_type`` reads it, ``Self`` for ``this`` (the own class); a
    ``Promise<T>`` (an async function's, or any) is ``.await T``."""
    text = text.strip().removeprefix(":").strip()
    head, arguments = type_arguments(text)
    ops = ""
    if arguments is not None and len(arguments) == 1 and head.strip() in _AWAITED:
        ops, text = AWAIT, arguments[0]
    declared = typescript_declared_type(text)
    if declared is None:
        return None
    if declared == "this":
        declared = SELF
    return f"{ops} {declared}" if ops else declared


def typescript_constructed_type(text: str) -> str | None:
    """What a constructor value names: ``new Foo()``'s ``Foo``, a call's callee (``f``,
    ``this.make``; the column gets ``()``), ``await f(...)`` -> ``f().await``."""
    awaited = awaited_call(text) if text.startswith("await") else None
    return awaited if awaited is not None else dotted_name(text)


# JSDoc parameter types: `/** @param {Module} module ... */` before a function types its
# parameter `module` as TypeScript's checker reads it in a JavaScript file (webpack is typed so).
_JSDOC_PARAM = re.compile(r"@param\s*\{")
_JSDOC_NAME = re.compile(r"\s*\[?\s*([A-Za-z_$][\w$]*)")
# Nodes a function value sits in up to the statement its JSDoc comment precedes.
_JSDOC_HOLDERS = frozenset(
    {
        "parenthesized_expression",
        "variable_declarator",
        "lexical_declaration",
        "variable_declaration",
        "assignment_expression",
        "expression_statement",
        "export_statement",
        "pair",
        "field_definition",
    }
)
_DOCUMENTED_FUNCTIONS = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "function_expression",
        "generator_function",
        "arrow_function",
        "method_definition",
    }
)


def _jsdoc_of(function: Node) -> str | None:
    """The ``/** ... */`` comment right before the statement, property or method that defines
    ``function`` (``/** */ const f = (a) => ...``, ``/** */ X.prototype.f = function (a)``)."""
    node = function
    while node.parent is not None and node.parent.type in _JSDOC_HOLDERS:
        node = node.parent
    comment = node.prev_named_sibling
    if comment is None or comment.type != "comment":
        return None
    text = node_text(comment)
    return text if text.startswith("/**") else None


def _jsdoc_braced(comment: str, start: int) -> tuple[str, int] | None:
    """The type written in the braces that open just before ``start`` (nested braces: ``{(a:
    {b: C}) => void}``), without JSDoc's ``=`` (optional), ``?`` and ``!`` markers, and the
    index after the closing brace; None when they never close."""
    depth, index = 1, start
    while index < len(comment) and depth:
        depth += {"{": 1, "}": -1}.get(comment[index], 0)
        index += 1
    if depth:
        return None
    return comment[start : index - 1].strip().rstrip("=").lstrip("?!").strip(), index


def jsdoc_parameter_type(comment: str, name: str) -> str | None:
    """The type text of ``@param {T} name`` in a JSDoc comment (``[name]``/``[name=x]``
    optional; see :func:`_jsdoc_braced`); None when the comment has no such tag."""
    for tag in _JSDOC_PARAM.finditer(comment):
        braced = _jsdoc_braced(comment, tag.end())
        if braced is None:
            return None
        written, index = braced
        named = _JSDOC_NAME.match(comment, index)
        if named is not None and named.group(1) == name:
            return written
    return None


_JSDOC_TYPE = re.compile(r"@type\s*\{")


def _jsdoc_tag_type(comment: str, tag: re.Pattern[str]) -> str | None:
    """The type written in the braces of a JSDoc comment's (``/** ... */``) first ``tag``
    (``@type {T}``, ``@returns {T}``; see :func:`_jsdoc_braced`); None for another comment or
    one without the tag."""
    found = tag.search(comment) if comment.startswith("/**") else None
    braced = None if found is None else _jsdoc_braced(comment, found.end())
    return None if braced is None else braced[0]


def javascript_declared_type(comment: str) -> str | None:
    """The table's ``declared_type``: a comment before or in a binding (see the query) -> the
    one named type of its JSDoc ``@type {T}``, read as a TypeScript annotation; ``INFERRED``
    (the value's type) when the comment has no ``@type`` tag."""
    written = _jsdoc_tag_type(comment, _JSDOC_TYPE)
    return INFERRED if written is None else typescript_declared_type(written)


def _documented_parameter(var: Node) -> str | None:
    """The type text of the JSDoc ``@param {T} x`` of the parameter ``x`` (the ``@var`` node)
    of a function, method or function value; None for any other binding."""
    holder = var.parent
    if holder is None:
        return None
    function = holder if holder.type == "arrow_function" else holder.parent
    if holder.type not in ("formal_parameters", "arrow_function") or function is None:
        return None
    if function.type not in _DOCUMENTED_FUNCTIONS:
        return None
    comment = _jsdoc_of(function)
    name = node_text(var)
    return None if comment is None else jsdoc_parameter_type(comment, name)


def javascript_contextual_type(var: Node) -> str | None:
    """The table's ``contextual_type`` (see base.py): a parameter ``x`` of a function, method or
    function value whose JSDoc comment says ``@param {Foo} x`` -> ``Foo`` (one named type, as a
    TypeScript annotation is read: ``Foo | null`` too, not ``Foo[]`` or a union); None for any
    other binding (an untyped parameter stays of unknown type)."""
    written = _documented_parameter(var)
    if written is None:
        return None
    return typescript_declared_type(written)


def javascript_contextual_element(var: Node) -> str | None:
    """The table's ``contextual_element``: a parameter documented ``@param {Foo[]} xs`` (or
    ``Set<Foo>``, ``Iterable<Foo>``... as TypeScript's ``element_type`` reads the type) ->
    ``Foo``, what ``for (const x of xs)`` binds x to; None otherwise."""
    written = _documented_parameter(var)
    return None if written is None else typescript_element_type(written)


def javascript_element_type(comment: str) -> str | None:
    """The table's ``element_type``: a comment before a binding (see the query) -> the element
    type of its JSDoc ``@type {Foo[]}`` (``Set<Foo>``..., read as TypeScript's
    ``element_type`` reads an annotation); None without a ``@type`` tag."""
    written = _jsdoc_tag_type(comment, _JSDOC_TYPE)
    return None if written is None else typescript_element_type(written)


_JSDOC_RETURNS = re.compile(r"@returns?\s*\{")


def _function_value(definition: Node) -> Node | None:
    """The function a definition's node defines (itself, or the function value a binding,
    property or assignment holds, in parentheses too); None for other definitions."""
    if definition.type in _DOCUMENTED_FUNCTIONS:
        return definition
    value = definition.child_by_field_name("value") or definition.child_by_field_name("right")
    while value is not None and value.type == "parenthesized_expression":  # a JSDoc cast
        value = next((c for c in value.named_children if c.type != "comment"), None)
    return value if value is not None and value.type in _DOCUMENTED_FUNCTIONS else None


def javascript_documented_returns(definition: Node) -> str | None:
    """The table's ``documented_returns``: the type text of the ``@returns {T}`` (``@return``)
    tag in the JSDoc comment of a function or method (see :func:`_jsdoc_of`), what TypeScript's
    checker reads as its return type; None without one."""
    function = _function_value(definition)
    comment = None if function is None else _jsdoc_of(function)
    return None if comment is None else _jsdoc_tag_type(comment, _JSDOC_RETURNS)


def javascript_cast_type(callee: Node) -> str | None:
    """The table's ``cast_type``: ``/** @type {Foo} */ (x).f()`` -> ``Foo``, the type the JSDoc
    comment right before the parenthesized receiver casts it to (read as ``@type`` is: one
    named type); None for a receiver in no parentheses, a longer path after them (``(x).y.f``)
    or no such comment."""
    receiver = callee.child_by_field_name("object") if callee.type == "member_expression" else None
    if receiver is None or receiver.type != "parenthesized_expression":
        return None
    node = callee  # up to the node the comment precedes: the call, or what it starts
    while (previous := node.prev_sibling) is None and node.parent is not None:
        node = node.parent
    if previous is None or previous.type != "comment":
        return None
    comment = node_text(previous)
    written = _jsdoc_tag_type(comment, _JSDOC_TYPE)
    if written is None:
        return None
    # `NonNullable<T>` (webpack's usual cast of an optional field): T without null, T's type
    while written.startswith(_NON_NULLABLE) and written.endswith(">"):
        written = written[len(_NON_NULLABLE) : -1].strip()
    return typescript_declared_type(written)


_NON_NULLABLE = "NonNullable<"


# `@typedef {import("./m")} M` / `@typedef {import("./m").X} M` (one member), also generic:
# `@template T @typedef {import("./util/LazySet")<T>} LazySet<T>` (the type arguments aside).
_JSDOC_TYPEDEF_IMPORT = re.compile(
    r"""@typedef\s*\{\s*import\(\s*(["'])([^"'\s]+)\1\s*\)"""
    r"""(?:\.([A-Za-z_$][\w$]*))?\s*(?:<[^{}]*>)?\s*\}\s*([A-Za-z_$][\w$]*)"""
)


def _jsdoc_typedef_rows(comment: Node) -> list[ImportRow]:
    """A JSDoc comment's ``@typedef {import("m")} M`` -> ("m", "*", "M") (the module object:
    its ``module.exports``), ``@typedef {import("m").X} M`` -> ("m", "X", "M"): the names
    TypeScript's checker reads the file's ``@param {M}`` types with."""
    raw = comment.text or b""
    if not raw.startswith(b"/**") or b"@typedef" not in raw:  # most comments: no decoding
        return []
    text = raw.decode("utf-8", errors="replace")
    return [
        (found.group(2), found.group(3) or "*", found.group(4))
        for found in _JSDOC_TYPEDEF_IMPORT.finditer(text)
    ]


def javascript_exports(node: Node) -> bool:
    """Whether an import node's rows are exports of the file: an ``export`` statement, or
    CommonJS ``module.exports = X``."""
    return node.type in ("export_statement", "assignment_expression")


def _module_exports_rows(assignment: Node, text: TextOf) -> list[ImportRow]:
    """``module.exports = X`` (a name, ``class X {}``, ``function X() {}``) -> (None, "X",
    "export="): the file exports its own X as the module object itself; an anonymous function
    ``module.exports = (a) => {}`` -> (None, OWN_MODULE, "export="), the symbol the engine names
    after the module (``@name.module``). A property of the module object, ``exports.f = g`` /
    ``module.exports.f = g`` -> (None, "g", "f") (``export {g as f}``; ``= f``: (None, "f",
    None)), ``= function () {}`` / ``= class {}`` -> (None, "f", None), the symbol ``f`` the
    assignment defines; any other value (``exports.n = 1``) none: no symbol names it."""
    left = assignment.child_by_field_name("left")
    right = assignment.child_by_field_name("right")
    if left is None or right is None:
        return []
    target = b"".join((left.text or b"").split())
    if target != b"module.exports":
        return _module_property_rows(left, right, text)
    named = right if right.type == "identifier" else right.child_by_field_name("name")
    if named is not None:
        return [(None, text(named), EXPORT_EQUALS)]
    if right.type in _FUNCTION_VALUES or right.type == "arrow_function":  # the module's own name
        return [(None, OWN_MODULE, EXPORT_EQUALS)]
    return []


def _module_property_rows(left: Node, right: Node, text: TextOf) -> list[ImportRow]:
    """``exports.f = ...`` / ``module.exports.f = ...`` (``left``, ``right``): the property f
    of the module object (see ``_module_exports_rows``); another member (``a.b = x``): none."""
    receiver = left.child_by_field_name("object")
    member = left.child_by_field_name("property")
    if (
        receiver is None
        or member is None
        or (held := b"".join((receiver.text or b"").split())) not in _MODULE_OBJECT_BYTES
    ):
        return []
    if held == b"exports" and _reassigns_module_exports(left, text):
        return []
    name = text(member)
    if right.type == "identifier":
        value = text(right)
        return [(None, value, None if value == name else name)]
    return [(None, name, None)]


_MODULE_OBJECT_BYTES = frozenset(name.encode() for name in _MODULE_OBJECTS)


def _reassigns_module_exports(left: Node, text: TextOf) -> bool:
    """Whether the file of a top-level ``exports.f = ...`` (``left``) has a ``module.exports =
    X`` row (``_module_exports_rows``): Node then exports X, and ``exports`` is an object
    nobody sees (``module.exports = exports = X`` is no such row: there both are X). Answered
    once per file (the last program asked)."""
    statement = left.parent.parent if left.parent is not None else None
    program = statement.parent if statement is not None else None
    if program is None:
        return False
    global _REASSIGNED
    if _REASSIGNED is not None and _REASSIGNED[0] == program:
        return _REASSIGNED[1]
    found = False
    for child in program.named_children:
        assignment = child.named_children[0] if child.type == "expression_statement" else None
        if assignment is None or assignment.type != "assignment_expression":
            continue
        assigned = assignment.child_by_field_name("left")
        value = assignment.child_by_field_name("right")
        if (
            assigned is not None
            and value is not None
            and value.type in _EXPORTED_VALUES
            and b"".join((assigned.text or b"").split()) == b"module.exports"
            and any(row[2] == EXPORT_EQUALS for row in _module_exports_rows(assignment, text))
        ):
            found = True
            break
    _REASSIGNED = (program, found)
    return found


# The values of a top-level `module.exports = ...` the query reads (its @import pattern).
_EXPORTED_VALUES = frozenset(
    {"identifier", "class", "function_expression", "arrow_function", "generator_function"}
)
# The last program `_reassigns_module_exports` answered for, and its answer.
_REASSIGNED: tuple[Node, bool] | None = None


# Declarations whose name `export default` makes the module's `default` (TypeScript's
# interfaces are types, no value a call names).
_DEFAULT_DECLARATIONS = frozenset(
    {*_CLASS_DECLARATIONS, "function_declaration", "generator_function_declaration"}
)


def _default_export_name(statement: Node) -> Node | None:
    """The name an ``export default`` statement exports as ``default``: of the declaration
    (``export default class B {}``, ``function f() {}``) or the exported name (``export default
    B;``, what tsc takes as an alias of the file's B); None for any other statement or
    declaration (an interface: a type). The query captures only a named declaration or an
    identifier value (an anonymous class or function, an expression: no symbol names it)."""
    if not any(child.type == "default" for child in statement.children):
        return None
    declaration = statement.child_by_field_name("declaration")
    if declaration is not None:
        if declaration.type not in _DEFAULT_DECLARATIONS:
            return None
        return declaration.child_by_field_name("name")
    return statement.child_by_field_name("value")


def _export_assignment_name(statement: Node) -> Node | None:
    """The name of TypeScript's ``export = G``, None for any other statement. The query
    captures only a name after ``=`` (``export = {}``, another value: no symbol names it)."""
    children = statement.children
    for at, child in enumerate(children[:-1]):
        if child.type == "=":
            return children[at + 1]
    return None


# The nodes whose value a symbol is named after (`const h = ...`, `{ m: ... }`, `X.f = ...`, a
# class field `m = ...`): a named function expression there is that symbol.
_NAMING_VALUES = frozenset(
    {
        "variable_declarator",
        "pair",
        "assignment_expression",
        "field_definition",
        "public_field_definition",
    }
)


# The nodes by which a body names something (a value or a TypeScript type), not a property's,
# a string's or a comment's text.
_NAMING_NODES = frozenset({"identifier", "type_identifier", "shorthand_property_identifier"})


def _names_itself(body: Node, name: Node) -> bool:
    """Whether ``body`` writes ``name`` as a name: the nodes at the name's text in it (found by
    the bytes, a few at most; no walk over the body)."""
    written = name.text or b""
    source = body.text or b""
    at = source.find(written)
    while at >= 0:
        start = body.start_byte + at
        found = body.descendant_for_byte_range(start, start + len(written))
        if found is not None and found.type in _NAMING_NODES and found.text == written:
            return True
        at = source.find(written, at + 1)
    return False


def _class_own_name_rows(class_value: Node, text: TextOf) -> list[ImportRow]:
    """A class expression's own name, which its body sees (``const A = class Inner {}``:
    Inner is A there): (None, ENCLOSING_CLASS, "Inner"), kept by the engine where the class
    is a symbol (A); none where its body never writes the name (nothing to bind: no IMPORT
    node for each of webpack's ``X.Template = class XTemplate {}``, whose bodies rarely name
    themselves)."""
    name = class_value.child_by_field_name("name")
    body = class_value.child_by_field_name("body")
    if name is None or body is None or not _names_itself(body, name):
        return []
    return [(None, ENCLOSING_CLASS, text(name))]


def _function_own_name_rows(function_value: Node, text: TextOf) -> list[ImportRow]:
    """A named function expression's own name, which its body sees (``const h = function k()
    { k(); }``: k is h there): (None, ENCLOSING_FUNCTION, "k"), kept by the engine where the
    function is a symbol (h); none where its body never writes the name, nor where the function
    is no value a symbol is named after (``const f = () => function k() {}``: the arrow
    function f ends with it): there k is a value (the calls' ``receiver_local``)."""
    name = function_value.child_by_field_name("name")
    body = function_value.child_by_field_name("body")
    around = function_value.parent
    if (
        name is None
        or body is None
        or around is None
        or around.type not in _NAMING_VALUES
        or not _names_itself(body, name)
    ):
        return []
    return [(None, ENCLOSING_FUNCTION, text(name))]


def javascript_imports(node: Node, text: TextOf) -> list[ImportRow]:
    """Rows of an import/re-export statement or a `require` binding (see the module docstring)."""
    kind = node.type
    if kind == "class":  # a class expression's own name, in its body: the class symbol
        return _class_own_name_rows(node, text)
    if kind in _FUNCTION_VALUES:  # a function expression's own name, in its body: its symbol
        return _function_own_name_rows(node, text)
    if kind == "assignment_expression":
        return _module_exports_rows(node, text)
    if kind == "comment":
        return _jsdoc_typedef_rows(node)
    if kind == "variable_declarator":
        value = node.child_by_field_name("value")
        pattern = node.child_by_field_name("name")
        if value is None or pattern is None:
            return []
        module = _require_source(value, text)
        return _pattern_rows(module, pattern, text) if module is not None else []
    if kind == "expression_statement":
        calls = node.named_children
        module = _require_source(calls[0], text) if calls else None
        return [(module, "*", None)] if module is not None else []
    module = _string(node.child_by_field_name("source"), text)
    if kind == "export_statement":  # re-export: clauses are direct children
        if module is None and (default := _default_export_name(node)) is not None:
            return [(None, text(default), "default")]
        if module is None and (assigned := _export_assignment_name(node)) is not None:
            return [(None, text(assigned), EXPORT_EQUALS)]
        rows = _clause_rows(module, node, text)
        if module is None:  # `export {a as b}`: names of the file itself
            return rows
        return rows or [(module, "*", None)]  # `export * from "m"`
    rows: list[ImportRow] = []
    for child in node.named_children:
        if child.type == "import_clause":
            rows.extend(_clause_rows(module, child, text))
        elif child.type == "import_require_clause":  # TypeScript `import q = require("m")`
            names = [c for c in child.named_children if c.type == "identifier"]
            source = _string(child.child_by_field_name("source"), text)
            rows.append((source, "*", text(names[0]) if names else None))
    return rows or [(module, "*", None)]  # side-effect `import "m"`


RULES = LanguageRules(
    name="javascript",
    grammar=tree_sitter_javascript.language,
    query=QUERY,
    separator=".",
    scope_kinds=frozenset({"class", "function", "method", "constant", "variable", "property"}),
    method_parents=frozenset({"class"}),
    container_kinds=CONTAINER_KINDS,
    accepts_value=javascript_accepts_value,
    imports=javascript_imports,
    exports=javascript_exports,
    receiver_parent=member_parent,
    receiver_this=receiver_this,
    this_binder=this_binder,
    declaration_reach=declaration_reach,
    binds_definition=binds_definition,
    called_names=CALLED_NAMES,
    # a parenthesized base (`extends (Dep.Template)`): its name is captured inside (the query)
    inherit_skip=frozenset({"comment", "parenthesized_expression"}),
    instance_name="this",
    value_constructors=JAVASCRIPT_VALUE_CONSTRUCTORS,
    value_names=VALUE_NAMES,
    contextual_type=javascript_contextual_type,
    declared_type=javascript_declared_type,
    # TypeScript's: a JSDoc ``@returns`` type is read as its annotation (``Promise<T>``: ``.await
    # T``, ``this``: the own class); ``new Foo()``'s ``Foo``, a call's callee (``const hash =
    # createHash()``: what it returns), ``await f()`` -> ``f().await``
    constructed_type=typescript_constructed_type,
    returned_type=typescript_returned_type,
    # `for (const x of xs)` with `/** @type {Foo[]} */ xs` or `@param {Set<Foo>} xs`: a Foo
    element_type=javascript_element_type,
    contextual_element=javascript_contextual_element,
    documented_returns=javascript_documented_returns,
    cast_type=javascript_cast_type,
    # a class's fields (``/** @type {Foo} */ this.x = ...``, ``this.x = new Foo()``, ``x = new
    # Foo()``) for the CPG's field hops from other files and subclasses (``cgm.chunks.delete()``)
    exports_fields=True,
    # `static m()` (called on the class, `Foo.m()`) vs an instance method (`x.m()`)
    modifiers=Modifiers(
        keywords=frozenset({"static"}),
        across_lines=frozenset({"static"}),
        lone_keyword_field="field_definition",
        assigned_keyword=assigned_keyword,
    ),
)
