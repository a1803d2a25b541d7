"""TypeScript rule table (``.ts .mts .cts``; ``.tsx`` uses the grammar's TSX variant).

Everything JavaScript has (see ``javascript.py``: symbols incl. object-literal scopes
(``const api = {...}``, ``export default {...}``, ``this.x = {...}``, object-valued class fields,
nested to any depth, also through ``as const``, ``satisfies Api`` and ``<Api>{...}``),
function-valued class fields, CommonJS members and prototype methods, calls and the symbol whose
``this`` each sees, imports and the ``require`` conventions), plus: classes and abstract classes, interfaces, type aliases, enums,
namespaces and ``module`` declarations (module; ``declare module "m"`` is named ``m``), overload and ambient
function signatures (function), interface method signatures and abstract method signatures
(method), ``import q = require("m")`` (("m", "*", "q")), ``export = G`` of a name ((None, "G",
"export="), exported: the module object is G, as CommonJS ``module.exports = G``).

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
``typeof`` type, ``any``, ``unknown``, ``object``, ``never`` and ``void`` declare nothing. An
assignment in a nested function (``inner = null`` in a callback) declares nothing there: it
joins the bindings of the function that declares the variable, whose annotation holds over it
(base.py ``_Declarations.name_type``). ``const self = this`` in a class's method or field
initializer is an instance of that class. ``for (const x of xs)`` (also ``of this.xs``, a field
the file's class of ``this`` declares) and ``xs[i]`` over a name declared ``Foo[]``, ``readonly
Foo[]``, ``Array<Foo>``, ``ReadonlyArray<Foo>``, ``Set<Foo>``, ``ReadonlySet<Foo>``,
``Iterable<Foo>`` or ``IterableIterator<Foo>`` are a ``Foo`` (``element_type``, base.py
``@declare.element``); a ``Map``'s entries are pairs, no type. A receiver written as a type
assertion of a name or path, ``(queue as ReplaySubject<T>).subscribe()``, is what it asserts,
read as an annotation (``receiver_value``; ``as const`` and ``as any`` assert nothing).

Return types (symbols' ``returns``, see base.py ``@returns``): the ``: T`` of function
declarations, methods and signatures (not of arrow functions), read as annotations are; ``this``
is the own class; ``Promise<T>`` is reached by ``await`` (``.await T``). ``const s = f()`` /
``this.f()`` / ``ns.f()`` is ``f()``, ``const s = await f()`` is ``f().await``, and so is the
receiver of a member call on a call's value (``innerFrom(x).subscribe()``: ``innerFrom()``): the
CPG types them by the return type of the function the callee resolves to.

Callback parameters (symbols' ``callback_types``, calls' ``receiver_type``, see base.py
``contextual_type``): a function's, method's or signature's parameter k declared with a function
type (``init: (source: Observable<T>, subscriber: Subscriber<R>) => void``, also optional, in
parentheses or with ``| undefined``) gives ``k:j <type>`` for each parameter j of that type whose
annotation is one named type (no ``this`` parameter counts, a type parameter gives nothing, a
type alias of a function type is not followed); an untyped parameter j of an arrow function or
function expression passed as argument k of a call or ``new`` expression is ``<line>:<column>(<k>:
<j>)`` of that call, which the CPG types by the ``callback_types`` of what the call resolves to.
"""

from __future__ import annotations

import re

import tree_sitter_typescript
from tree_sitter import Node

from hamilton_modules.languages.base import (
    LanguageRules,
    Modifiers,
    argument_parameter,
    node_text,
)
from hamilton_modules.languages.javascript import (
    CALLED_NAMES,
    CONTAINER_KINDS,
    FUNCTION,
    NULLISH_TYPES,
    TYPE_ASSERTION,
    TYPESCRIPT_WRAPPERS,
    VALUE_CONSTRUCTORS,
    VALUE_NAMES,
    WRAPPERS,
    assigned_keyword,
    binds_definition,
    common_query,
    declaration_reach,
    is_object_literal,
    javascript_exports,
    javascript_imports,
    member_parent,
    object_value,
    receiver_this,
    this_binder,
    typescript_constructed_type,
    typescript_declared_type,
    typescript_element_type,
    typescript_returned_type,
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
; `const X: XCtor = createErrorClass(...)` (`= (() => ...)() as any`) / `declare const X: XCtor`
; at the top level: a value X an interface X merges with (the compiler's `new X()` of the
; interface, cpg's TYPESCRIPT_CONSTRUCTED_KINDS): no scope, no node
(program (_ (variable_declarator
  name: (identifier) @name type: (type_annotation) value: {CALLED}) @def.value))
(program (export_statement declaration: (_ (variable_declarator
  name: (identifier) @name type: (type_annotation) value: {CALLED}) @def.value)))
(program (ambient_declaration (_ (variable_declarator
  name: (identifier) @name type: (type_annotation) !value) @def.value)))
(program (export_statement declaration: (ambient_declaration (_ (variable_declarator
  name: (identifier) @name type: (type_annotation) !value) @def.value))))
(interface_body (method_signature name: (_) @name{RETURNS}) @def.method)
(class_body (method_signature name: (_) @name{RETURNS}) @def.method)
; `export = G` (a name): the module object is the file's G, what `import G = require("./g")`
; binds (javascript_imports: (None, "G", "export="), CommonJS `module.exports = G`).
(program (export_statement "=" . (identifier)) @import)
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

# What a function or method pattern captures after its name: its return type (``@returns``).
RETURNS = " return_type: (type_annotation)? @returns"
# Parameters of a function or of a function type, and the function values a call may be passed.
_PARAMETERS = frozenset({"required_parameter", "optional_parameter"})
_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "generator_function"})


def _passed_parameters(parameters: Node) -> list[Node]:
    """The parameters of a ``formal_parameters`` node that a caller passes, in order: no
    comments, no explicit ``this`` parameter; a rest parameter ends them (its position is no
    one argument)."""
    passed: list[Node] = []
    for parameter in parameters.named_children:
        if parameter.type not in _PARAMETERS:
            if parameter.type != "comment":
                break  # a bare identifier (JavaScript-style) or something unknown: stop
            continue
        pattern = parameter.child_by_field_name("pattern")
        if pattern is None or pattern.type == "rest_pattern":
            break
        if pattern.type != "this":
            passed.append(parameter)
    return passed


def _function_type(annotation: Node) -> Node | None:
    """The ``function_type`` a parameter's ``type_annotation`` declares: the type itself, in
    parentheses, or in a union with only ``undefined``/``null`` besides (an optional
    callback); None otherwise."""
    node: Node | None = annotation.named_children[0] if annotation.named_children else None
    for _ in range(4):  # a few wrappers at most
        if node is None:
            return None
        if node.type == "function_type":
            return node
        if node.type == "parenthesized_type":
            node = node.named_children[0] if node.named_children else None
        elif node.type == "union_type":
            others = [
                child
                for child in node.named_children
                if not (
                    child.type == "literal_type"
                    and child.named_children
                    # `... | undefined` / `| null` keeps a function type one (the literal
                    # types' node types are the type names)
                    and child.named_children[0].type in NULLISH_TYPES
                )
            ]
            node = others[0] if len(others) == 1 else None
        else:
            return None
    return None


def typescript_callback_types(definition: Node) -> list[tuple[int, int, str]]:
    """The table's ``callback_types`` (see base.py): for each parameter k of a function,
    method or signature (or of the function value ``const f = (...) => {}`` binds) declared with
    a function type, the types of that type's parameters j as ``typescript_declared_type`` reads
    them: ``operate(init: (source: Observable<T>, subscriber: Subscriber<R>) => void)`` ->
    (0, 0, ``Observable``), (0, 1, ``Subscriber``). A type alias of a function type is not
    followed."""
    parameters = definition.child_by_field_name("parameters")
    if parameters is None:
        value = definition.child_by_field_name("value") or definition.child_by_field_name("right")
        if value is None or value.type not in _FUNCTION_VALUES:
            return []
        parameters = value.child_by_field_name("parameters")
        if parameters is None:
            return []
    if b"=>" not in (parameters.text or b""):  # no function type anywhere: the common case
        return []
    found: list[tuple[int, int, str]] = []
    for argument, parameter in enumerate(_passed_parameters(parameters)):
        annotation = parameter.child_by_field_name("type")
        function = None if annotation is None else _function_type(annotation)
        inner = None if function is None else function.child_by_field_name("parameters")
        if inner is None:
            continue
        for position, typed in enumerate(_passed_parameters(inner)):
            written = typed.child_by_field_name("type")
            if written is None:
                continue
            declared = _named_type(written)
            if declared is not None and declared != "this":
                found.append((argument, position, declared))
    return found


def _named_type(annotation: Node) -> str | None:
    """``typescript_declared_type`` of a ``type_annotation`` node, without reading its text
    for the common ``Foo`` and ``Foo<T>`` (a ``type_identifier``, a ``generic_type`` of one)."""
    written = annotation.named_children
    node = written[0] if len(written) == 1 else None
    if node is not None and node.type == "generic_type":
        node = node.child_by_field_name("name")
    if node is not None and node.type == "type_identifier":
        return node_text(node)
    return typescript_declared_type(node_text(annotation))


def typescript_contextual_type(var: Node) -> str | None:
    """The table's ``contextual_type`` (see base.py): an untyped parameter ``x`` (``(a, x) =>
    ...``, ``x => ...``, ``function (a, x) {}``) of a function value that is argument k of a
    call or ``new`` expression (``operate((source, subscriber) => ...)``, ``new
    Observable((subscriber) => ...)``) -> ``argument_parameter`` of that call (its calls row's
    position: the callee's start for a call, the ``new`` for a ``new`` expression), k and its
    position among the function's parameters; None for any other binding."""
    holder = var.parent
    if holder is None:
        return None
    if holder.type in _FUNCTION_VALUES:  # `x => ...`
        function, position = holder, 0
    elif holder.type in _PARAMETERS:
        parameters = holder.parent
        function = None if parameters is None else parameters.parent
        if parameters is None or function is None or function.type not in _FUNCTION_VALUES:
            return None
        passed = _passed_parameters(parameters)
        position = next((i for i, p in enumerate(passed) if p == holder), -1)
        if position < 0:
            return None
    else:
        return None
    arguments = function.parent
    if arguments is None or arguments.type != "arguments":
        return None
    call = arguments.parent
    if call is None:
        return None
    if call.type == "call_expression":
        callee = call.child_by_field_name("function")
        if callee is None:
            return None
        at = callee.start_point
    elif call.type == "new_expression":
        at = call.start_point
    else:
        return None
    argument = 0
    for child in arguments.named_children:
        if child == function:
            return argument_parameter(at[0] + 1, at[1], argument, position)
        if child.type == "spread_element":
            return None  # `f(...xs, cb)`: no position of its own
        if child.type != "comment":
            argument += 1
    return None


# A call's value, also asserted (`f() as any`): a value no object, function or class pattern takes.
CALLED = "[(call_expression) (as_expression (call_expression))]"


def typescript_query(wrappers: tuple[str, ...]) -> str:
    """The whole query for a grammar whose object-literal wrappers are ``wrappers``."""
    objects = object_value(wrappers)
    return common_query(objects, returns=RETURNS) + TYPESCRIPT_ONLY.replace(
        "{OBJECT}", objects
    ).replace("{FUNCTION}", FUNCTION).replace("{RETURNS}", RETURNS).replace("{CALLED}", CALLED)


# A receiver written as a type assertion of a name or path, `(queue as ReplaySubject<T>)`.
_ASSERTED = re.compile(r"\(\s*[\w$]+(?:[?!]?\.[\w$]+)*!?\s+as\s+([^()]+?)\s*\)")


def typescript_receiver_value(text: str) -> str | None:
    """TypeScript's ``receiver_value``: the type a receiver written as a type assertion of a
    name or path states (``(queue as ReplaySubject<T>).subscribe()``: ``ReplaySubject``, read
    as an annotation is; ``as any``, ``as const``, a union: none)."""
    asserted = _ASSERTED.fullmatch(text)
    if asserted is None or asserted.group(1) == "const":  # `as const`: the value's own type
        return None
    return typescript_declared_type(asserted.group(1))


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
    receiver_this=receiver_this,
    this_binder=this_binder,
    declaration_reach=declaration_reach,
    binds_definition=binds_definition,
    called_names=CALLED_NAMES,
    clean_name=_unquote,
    instance_name="this",
    declared_type=typescript_declared_type,
    # `(x as Foo).f()`: a Foo
    receiver_value=typescript_receiver_value,
    # `new Foo()`: a Foo; `const s = createSubscriber()`: what the function returns (the
    # CPG reads its ``returns``); `await f()`: `f().await`
    value_constructors={
        **VALUE_CONSTRUCTORS,
        "call_expression": ("function", "()"),
        "await_expression": ("", ""),
    },
    constructed_type=typescript_constructed_type,
    returned_type=typescript_returned_type,
    callback_types=typescript_callback_types,
    contextual_type=typescript_contextual_type,
    value_names=VALUE_NAMES,
    # `for (const x of xs)` with `xs: Foo[]` / `Set<Foo>`: x is a Foo
    element_type=typescript_element_type,
    # a class's fields (``x: Foo``, ``constructor(private x: Foo)``, ``this.x = new Foo()``)
    # for the CPG's field hops from other files and subclasses (``this.destination.next()``)
    exports_fields=True,
    # `static m()` (called on the class, `Foo.m()`) vs an instance method (`x.m()`); `private`
    # in the `accessibility_modifier` node
    modifiers=Modifiers(
        keywords=frozenset({"private", "static"}),
        holders=frozenset({"accessibility_modifier"}),
        across_lines=frozenset({"static"}),
        lone_keyword_field="public_field_definition",
        assigned_keyword=assigned_keyword,
    ),
)
