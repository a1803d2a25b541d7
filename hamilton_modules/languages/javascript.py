"""JavaScript rule table (``.js .jsx .mjs .cjs``; the grammar parses JSX natively).

Symbols: function and generator declarations (function), classes, methods (incl. getters,
setters, object-literal methods), and a ``const/let/var`` name bound to an arrow function,
function or generator expression (function, named after the variable) or to a class expression
(class). Anonymous definitions (``export default class {}``) have no symbol.

Object literals: a property whose value is a function (``later: () => ...``) is a method like
``now() {}``. An object literal with at least one method is the scope of its methods when it is
bound to a name; only such values are symbols (the CPG makes them TYPE_DECL nodes):

- ``const api = { get() {} }`` -> ``api`` (kind ``constant``; ``let``/``var``: ``variable``, SCIP's
  Constant/Variable), methods ``api.get``; a property whose value is such an object literal is a
  scope too, kind ``property`` (``provider.nested.deep``), and so is a class field
  (``handlers = { onClick() {} }`` -> ``C.handlers``).
- ``export default { mounted() {} }`` -> ``default`` (constant; ECMAScript's name of the anonymous
  default export, what ``import comp from "./c"`` binds), methods ``default.mounted``.
- Member assignments ``a.b = { m() {} }`` -> property ``b`` under the object as written
  (``a.b.m``); ``this.handlers = {...}`` under what ``this`` is where it is written (the class or
  object literal of a method, a plain function itself): ``C.handlers.onClick``. CommonJS
  ``exports.api = {...}`` / ``module.exports.api = {...}`` -> ``api`` at the top level, since
  ``module.exports`` is the module's namespace; ``module.exports = { f() {} }`` is the module
  itself, no symbol, and its methods are top-level (``f``), what ``require("./m").f`` names.

Other variables and properties are not symbols, and methods of an object literal bound to
nothing (``register({ cb() {} })``) have the enclosing scope as parent. Class fields initialised
with a function (``handler = () => {}``) are methods of the class.

Calls: ``call_expression`` (incl. ``a?.b()``, tagged templates, dynamic ``import()``) and
``new_expression``. Callee text as written, callee_name its last identifier.

Imports (shared with TypeScript), one row per name, module = the string without quotes:
``import x from "m"`` -> ("m", "default", "x"); ``import {a as b, c} from "m"`` -> ("m", "a", "b"),
("m", "c"); ``import * as ns from "m"`` -> ("m", "*", "ns"); side-effect ``import "m"`` and bare
``require("m");`` -> ("m", "*", None). ``const x = require("m")`` binds the whole module object,
so it is ("m", "*", "x") like a namespace import; ``const {a, b: c} = require("m")`` ->
("m", "a"), ("m", "b", "c"). Re-exports count: ``export {a as b} from "m"`` -> ("m", "a", "b"),
``export * from "m"`` -> ("m", "*"), ``export * as ns from "m"`` -> ("m", "*", "ns").
TypeScript's ``import q = require("m")`` -> ("m", "*", "q").

Inherits: ``class A extends B`` -> A -> B ("extends").
"""

from __future__ import annotations

import tree_sitter_javascript
from tree_sitter import Node

from hamilton_modules.languages.base import ImportRow, LanguageRules, TextOf

# An object literal with at least one method (`{ f() {} }`, `{ g: () => {} }`): a scope.
OBJECT_WITH_METHODS = """(object [
    (method_definition)
    (pair value: [(arrow_function) (function_expression) (generator_function)])])"""

# Patterns shared by JavaScript and TypeScript (same node names in both grammars).
COMMON_QUERY = r"""
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(method_definition name: (_) @name) @def.method
(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)]) @def.function
(variable_declarator name: (identifier) @name value: (class)) @def.class
; Object literals with methods: the variable is a scope for them (`provider.now`), a constant
; for `const`, a variable for `let`/`var`. One match per method; the engine keeps the first.
(lexical_declaration kind: "const"
  (variable_declarator name: (identifier) @name value: {OBJECT}) @def.constant)
(lexical_declaration kind: "let"
  (variable_declarator name: (identifier) @name value: {OBJECT}) @def.variable)
(variable_declaration
  (variable_declarator name: (identifier) @name value: {OBJECT}) @def.variable)
; `export default { mounted() {} }`: the module's `default` binding (ECMAScript names the
; anonymous default export "default"), what `import comp from "./c"` binds.
(export_statement "default" @name value: {OBJECT}) @def.constant
(pair
  key: (property_identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)]) @def.method
(pair key: (property_identifier) @name value: {OBJECT}) @def.property
; `a.b = {...}`, `this.handlers = {...}`, `exports.api = {...}`: placed by member_parent()
(assignment_expression
  left: (member_expression object: (_) @receiver property: (property_identifier) @name)
  right: {OBJECT}) @def.property

(call_expression function: (_) @call)
(new_expression constructor: (_) @callee) @call
(import_statement) @import
(export_statement source: (_)) @import
; `require("m")` bindings and statements. The hook checks the name is `require`: a text
; predicate (#eq?) would decode node text strictly and raise on invalid UTF-8.
(variable_declarator
  value: (call_expression function: (identifier) arguments: (arguments . (string)))) @import
(expression_statement
  (call_expression function: (identifier) arguments: (arguments . (string)))) @import
""".replace("{OBJECT}", OBJECT_WITH_METHODS)

QUERY = (
    COMMON_QUERY
    + r"""
(class_declaration name: (identifier) @name) @def.class
(field_definition
  property: (_) @name
  value: [(arrow_function) (function_expression) (generator_function)]) @def.method
(field_definition property: (_) @name value: {OBJECT}) @def.property
(class_declaration (class_heritage (_) @inherit.extends)) @owner
(variable_declarator value: (class (class_heritage (_) @inherit.extends))) @owner
""".replace("{OBJECT}", OBJECT_WITH_METHODS)
)


# CommonJS: `module.exports` and `exports` are the module's namespace (what `require` returns).
_MODULE_OBJECTS = ("module.exports", "exports")


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


def _this_scope(enclosing: str | None, enclosing_kind: str | None) -> str:
    """What ``this`` is, by the definition it is written in: the class or object literal of a
    method, a function itself (called with ``new``), "" (the module) at the top level."""
    if enclosing is None:
        return ""
    if enclosing_kind == "method":
        return enclosing.rpartition(".")[0]
    return enclosing


def member_parent(
    receiver: str, name: str, enclosing: str | None, enclosing_kind: str | None
) -> str | None:
    """Where ``receiver.name = { m() {} }`` belongs (the engine's ``receiver_parent``): the
    parent's qualified name ("" = the top level), None for ``module.exports = {...}``, the
    module itself (no symbol; its methods are top-level)."""
    receiver = "".join(receiver.split())
    if receiver == "module" and name == "exports":
        return None
    if receiver in _MODULE_OBJECTS or receiver.startswith(("module.exports.", "exports.")):
        return receiver.removeprefix("module.").removeprefix("exports").lstrip(".")
    head, _, rest = receiver.partition(".")
    if head == "this":
        return ".".join(part for part in (_this_scope(enclosing, enclosing_kind), rest) if part)
    return receiver


def javascript_imports(node: Node, text: TextOf) -> list[ImportRow]:
    """Rows of an import/re-export statement or a `require` binding (see the module docstring)."""
    kind = node.type
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
        rows = _clause_rows(module, node, text)
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
    imports=javascript_imports,
    receiver_parent=member_parent,
)
