"""TypeScript rule table (``.ts .mts .cts``; ``.tsx`` uses the grammar's TSX variant).

Everything JavaScript has (see ``javascript.py``: symbols incl. object-literal scopes
(``const api = {...}``, ``export default {...}``, ``this.x = {...}``, object-valued class fields,
nested to any depth, also through ``as const``, ``satisfies Api`` and ``<Api>{...}``),
function-valued class fields, CommonJS members and prototype methods, calls and the symbol whose
``this`` each sees, imports and the ``require`` conventions), plus: classes and abstract classes, interfaces, type aliases, enums,
namespaces and ``module`` declarations (module; ``declare module "m"`` is named ``m``), overload and ambient
function signatures (function), interface method signatures and abstract method signatures
(method), ``import q = require("m")`` (("m", "*", "q")).

Inherits: ``class A extends B implements C, D`` -> A -> B ("extends"), A -> C and A -> D
("implements"); ``interface I extends J, K`` -> "extends". Parents are written as in the source:
type references keep their type arguments (``implements K<L>``, ``extends K<L>`` of interfaces),
while a class's ``extends`` is an expression whose type arguments are not part of it
(``extends B<T>`` -> "B").

Receiver types (calls' ``receiver_type``, see base.py ``@declare``): besides JavaScript's,
typed parameters (``x: Foo``, ``x?: Foo``, of functions, arrow functions and methods), the
explicit ``this`` parameter (``function (this: Foo<T>) { this.f() }``), ``let/const/var x:
Foo``, typed class fields (``private x?: Foo``, ``readonly x!: Foo``) and parameter properties
(``constructor(private x: Foo)``). A type annotation loses its type arguments and
``| undefined | null``; a union of two types, an array, function, object, literal or
``typeof`` type, ``any``, ``unknown``, ``object``, ``never`` and ``void`` declare nothing.

Return types (symbols' ``returns``, see base.py ``@returns``): the ``: T`` of function
declarations, methods and signatures (not of arrow functions), read as annotations are; ``this``
is the own class; ``Promise<T>`` is reached by ``await`` (``.await T``). ``const s = f()`` /
``this.f()`` / ``ns.f()`` is ``f()``, ``const s = await f()`` is ``f().await``: the CPG types them
by the return type of the function the callee resolves to.
"""

from __future__ import annotations

import tree_sitter_typescript

from hamilton_modules.languages.base import (
    AWAIT,
    SELF,
    LanguageRules,
    awaited_call,
    dotted_name,
    split_top_level,
    type_arguments,
)
from hamilton_modules.languages.javascript import (
    CONTAINER_KINDS,
    FUNCTION,
    TYPE_ASSERTION,
    TYPESCRIPT_WRAPPERS,
    VALUE_CONSTRUCTORS,
    VALUE_NAMES,
    WRAPPERS,
    common_query,
    declaration_reach,
    is_object_literal,
    javascript_exports,
    javascript_imports,
    member_parent,
    object_value,
    this_binder,
)

# The wrappers of an object literal in each grammar (see javascript.WRAPPERS).
TSX_WRAPPERS = (*WRAPPERS, *TYPESCRIPT_WRAPPERS)
TS_WRAPPERS = (*TSX_WRAPPERS, TYPE_ASSERTION)

TYPESCRIPT_ONLY = r"""
(function_signature name: (identifier) @name{RETURNS}) @def.function
(class_declaration name: (type_identifier) @name) @def.class
(abstract_class_declaration name: (type_identifier) @name) @def.class
(abstract_method_signature name: (_) @name{RETURNS}) @def.method
(public_field_definition name: (_) @name value: {FUNCTION}) @def.method
(public_field_definition name: (_) @name value: {OBJECT}) @def.property
(interface_declaration name: (type_identifier) @name) @def.interface
(interface_body (method_signature name: (_) @name{RETURNS}) @def.method)
(class_body (method_signature name: (_) @name{RETURNS}) @def.method)
(type_alias_declaration name: (type_identifier) @name) @def.type_alias
(enum_declaration name: (identifier) @name) @def.enum
(internal_module name: (_) @name) @def.module
(module name: (_) @name) @def.module
(class_declaration
  (class_heritage (extends_clause value: (_) @inherit.extends))) @owner
(class_declaration
  (class_heritage (implements_clause (_) @inherit.implements))) @owner
(abstract_class_declaration
  (class_heritage (extends_clause value: (_) @inherit.extends))) @owner
(abstract_class_declaration
  (class_heritage (implements_clause (_) @inherit.implements))) @owner
(variable_declarator
  value: (class (class_heritage (extends_clause value: (_) @inherit.extends)))) @owner
(variable_declarator
  value: (class (class_heritage (implements_clause (_) @inherit.implements)))) @owner
(interface_declaration (extends_type_clause type: (_) @inherit.extends)) @owner
(type_parameter name: (type_identifier) @var) @declare.type
(required_parameter pattern: [(identifier) (this)] @var type: (type_annotation) @var.type) @declare
(optional_parameter pattern: (identifier) @var type: (type_annotation) @var.type) @declare
(required_parameter pattern: (identifier) @var !type value: (_) @var.value) @declare
(required_parameter pattern: (identifier) @var !type !value) @declare
(optional_parameter pattern: (identifier) @var !type) @declare
(required_parameter (accessibility_modifier)
  pattern: (identifier) @var type: (type_annotation) @var.type) @declare.field
(optional_parameter (accessibility_modifier)
  pattern: (identifier) @var type: (type_annotation) @var.type) @declare.field
(variable_declarator name: (identifier) @var type: (type_annotation) @var.type) @declare
(variable_declarator name: (identifier) @var !type value: (_) @var.value) @declare
(variable_declarator name: (identifier) @var !type !value) @declare
(public_field_definition name: (property_identifier) @var type: (type_annotation) @var.type) @declare
(public_field_definition name: (property_identifier) @var !type value: (_) @var.value) @declare
(public_field_definition name: (property_identifier) @var !type !value) @declare
"""

# Types that declare nothing of an instance (`any`, `unknown`, `object`...); `Foo | undefined`
# and `Foo | null` declare a Foo.
_NO_TYPE = frozenset({"any", "unknown", "object", "never", "void"})
_NULLISH = frozenset({"undefined", "null"})


def typescript_declared_type(text: str) -> str | None:
    """The one named type a type annotation (``: Foo<T> | undefined``) declares, dotted as
    written without type arguments (``Foo``, ``ns.Foo``); None for a union of two types, an
    array, function, object, literal or ``typeof`` type, ``any`` and the like."""
    text = text.strip().removeprefix(":")
    alternatives = [part.strip() for part in split_top_level(text, "|")]
    named = [part for part in alternatives if part and part not in _NULLISH]
    if len(named) != 1:
        return None
    if named[0].endswith("]"):  # an array or tuple type, an indexed access
        return None
    head = type_arguments(named[0])[0].strip()
    if len(head.split()) != 1 or head in _NO_TYPE:
        return None
    return dotted_name(head)


# What a function or method pattern captures after its name: its return type (``@returns``).
RETURNS = " return_type: (type_annotation)? @returns"
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


def typescript_query(wrappers: tuple[str, ...]) -> str:
    """The whole query for a grammar whose object-literal wrappers are ``wrappers``."""
    objects = object_value(wrappers)
    return common_query(objects, returns=RETURNS) + TYPESCRIPT_ONLY.replace(
        "{OBJECT}", objects
    ).replace("{FUNCTION}", FUNCTION).replace("{RETURNS}", RETURNS)


def _unquote(name: str) -> str:
    """`declare module "foo"` is named foo; every other name is an identifier already."""
    return name[1:-1] if len(name) >= 2 and name[0] in "'\"" and name[-1] == name[0] else name


RULES = LanguageRules(
    name="typescript",
    grammar=tree_sitter_typescript.language_typescript,
    variants={".tsx": tree_sitter_typescript.language_tsx},
    query=typescript_query(TS_WRAPPERS),
    variant_queries={".tsx": typescript_query(TSX_WRAPPERS)},
    separator=".",
    scope_kinds=frozenset(
        {"class", "interface", "module", "function", "method", "constant", "variable", "property"}
    ),
    method_parents=frozenset({"class", "interface"}),
    container_kinds=CONTAINER_KINDS,
    accepts_value=is_object_literal,
    imports=javascript_imports,
    exports=javascript_exports,
    receiver_parent=member_parent,
    this_binder=this_binder,
    declaration_reach=declaration_reach,
    clean_name=_unquote,
    instance_name="this",
    declared_type=typescript_declared_type,
    # `new Foo()`: a Foo; `const s = createSubscriber()`: what the function returns (the
    # CPG reads its ``returns``); `await f()`: `f().await`
    value_constructors={
        **VALUE_CONSTRUCTORS,
        "call_expression": ("function", "()"),
        "await_expression": ("", ""),
    },
    constructed_type=typescript_constructed_type,
    returned_type=typescript_returned_type,
    value_names=VALUE_NAMES,
)
