"""Java rule table.

Symbols: classes and records (class), interfaces and annotation types (interface), enums (enum),
methods, constructors and annotation elements (method), at any depth (nested, local and anonymous
class bodies: an anonymous class's methods are parented by the enclosing method).

Calls: ``method_invocation`` (callee = object + "." + name as written, ``x.y().z`` -> callee_name
"z"), ``object_creation_expression`` (callee = the type without type arguments, ``new G<>()`` ->
"G"), and explicit constructor invocations ``super(...)``/``this(...)``.

Imports: ``import a.b.C;`` -> ("a.b", "C"); ``import a.b.*;`` -> ("a.b", "*"); static imports
the same way (``import static a.b.C.m;`` -> ("a.b.C", "m")).

Inherits: ``extends`` (class superclass, interface super-interfaces) and ``implements`` (classes,
enums, records).

Counts (base.py ``Arity``): a call's ``arguments`` (comments not counted); a method's or
constructor's ``parameters`` (a varargs ``T... xs`` counted and ``variadic``, a receiver
parameter ``Foo this`` not; a compact constructor and an annotation element: None), which pick a
Java overload in the CPG, and their types where several overloads share the count: a parameter's
written type (``java_parameter_type``: primitives and arrays kept, a varargs ``T...`` as ``T[]``,
a type parameter marked ``?T``, one with an ``extends`` bound not known:
``java_bounded_type_variable``), an argument's where the call site makes it evident
(``java_argument_type``: a literal, a cast, ``new Foo<>()``; ``this`` as its class; a plain
name by its declaration, ``java_written_type``).

Return types (symbols' ``returns``, see base.py ``@returns``): a method's written type as a
declared one reads (``BaseCalendar.Date normalize()`` -> ``BaseCalendar.Date``; ``void``, a
primitive, an array -> None), which types a member call on the call's value
(``normalize().getMonth()``, rule 4a).

Declared receiver types (``receiver_type`` of ``x.f()`` / ``this.x.f()``, see ``base``): typed
locals (each in its block, ``for`` statement or switch block only, JLS 6.3), parameters, fields (``x.f()`` on a field through the implicit ``this``, innermost class
first; a local or parameter of the method shadows it), ``for (Foo x : xs)``, resources, catch
parameters, ``o instanceof Foo f``, ``var x = new Foo()`` and ``Foo x = y``. The type as written
without type arguments (``List<Foo>`` -> ``List``, which an import binds from outside the
repository: unresolved); a type parameter, a primitive, an array -> None.
"""

from __future__ import annotations

import functools
import re

import tree_sitter_java
from tree_sitter import Node

from hamilton_modules.languages.base import (
    INFERRED,
    Arity,
    ImportRow,
    LanguageRules,
    Modifiers,
    TextOf,
    dotted_name,
    node_text,
    type_arguments,
)

QUERY = r"""
(class_declaration name: (identifier) @name) @def.class
(record_declaration name: (identifier) @name) @def.class
(interface_declaration name: (identifier) @name) @def.interface
(annotation_type_declaration name: (identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(method_declaration type: (_) @returns name: (identifier) @name) @def.method
(constructor_declaration name: (identifier) @name) @def.method
(compact_constructor_declaration name: (identifier) @name) @def.method
(annotation_type_element_declaration name: (identifier) @name) @def.method
(class_declaration superclass: (superclass (_) @inherit.extends)) @owner
(class_declaration interfaces: (super_interfaces (type_list (_) @inherit.implements))) @owner
(enum_declaration interfaces: (super_interfaces (type_list (_) @inherit.implements))) @owner
(record_declaration interfaces: (super_interfaces (type_list (_) @inherit.implements))) @owner
(interface_declaration (extends_interfaces (type_list (_) @inherit.extends))) @owner
(method_invocation object: (_) @callee.prefix name: (identifier) @callee) @call
(method_invocation !object name: (identifier) @call)
(object_creation_expression type: [(type_identifier) (scoped_type_identifier)] @callee) @call
(object_creation_expression type: (generic_type . (_) @callee)) @call
(explicit_constructor_invocation constructor: (_) @callee) @call
(import_declaration) @import

; Declared receiver types (calls' receiver_type): scopes (a class's type parameters and record
; components are its declaration's), blocks (a local variable holds in its block only, JLS 6.3:
; `CalendarDate d` in one block and `BaseCalendar.Date d` in another are two), class bodies
; named after their class (fields: `x.f()` through the implicit `this`, `this.x.f()`), type
; parameters, then every binding of a name.
; (methods, constructors and types are scopes as definitions: declaration_scope_kinds)
(lambda_expression) @scope
[(block) (for_statement) (switch_block)] @scope.block
(class_declaration name: (identifier) @type body: (class_body) @scope.class)
(record_declaration name: (identifier) @type body: (class_body) @scope.class)
(enum_declaration name: (identifier) @type body: (enum_body) @scope.class)
(interface_declaration name: (identifier) @type body: (interface_body) @scope.class)
(object_creation_expression (class_body) @scope.class)
; (its name: the one type_identifier child, after any annotation, `<@A T extends B>`)
(type_parameter (type_identifier) @var) @declare.type
; (`int x[]`, C's array syntax: the name is an array, of no named type)
(field_declaration type: (_) @var.type
  (variable_declarator name: (identifier) @var !dimensions)) @declare
(local_variable_declaration type: (_) @var.type
  (variable_declarator name: (identifier) @var !dimensions value: (_) @var.value)) @declare
(local_variable_declaration type: (_) @var.type
  (variable_declarator name: (identifier) @var !dimensions !value)) @declare
(formal_parameter type: (_) @var.type name: (identifier) @var !dimensions) @declare
(field_declaration (variable_declarator name: (identifier) @var dimensions: (_))) @declare
(local_variable_declaration (variable_declarator name: (identifier) @var dimensions: (_))) @declare
(formal_parameter name: (identifier) @var dimensions: (_)) @declare
(spread_parameter (variable_declarator name: (identifier) @var)) @declare
(enhanced_for_statement type: (_) @var.type name: (identifier) @var) @declare
(resource type: (_) @var.type name: (identifier) @var) @declare
(catch_formal_parameter (catch_type) @var.type name: (identifier) @var) @declare
(instanceof_expression right: (_) @var.type name: (identifier) @var) @declare
(inferred_parameters (identifier) @var) @declare
(lambda_expression parameters: (identifier) @var) @declare
"""

_PRIMITIVES = frozenset(
    {"boolean", "byte", "char", "short", "int", "long", "float", "double", "void"}
)
_ANNOTATION = re.compile(r"@[\w.]+(?:\([^()]*\))?\s*")


@functools.lru_cache(maxsize=4096)
def java_declared_type(text: str) -> str | None:
    """The one named type a written Java type declares, dotted as written without type
    arguments and annotations: ``Foo``, ``a.b.Foo<T>``, ``@Nullable Foo`` -> ``Foo`` /
    ``a.b.Foo``; ``var`` -> :data:`INFERRED` (the value's type); None for primitives, arrays,
    a union of catch types and wildcards."""
    text = _ANNOTATION.sub("", text).strip()
    if text == "var":
        return INFERRED
    if text.endswith("]"):  # `String[]`, `Foo @A []`: an array
        return None
    head, arguments = type_arguments("".join(text.split()))
    if arguments is None and "<" in head:  # `a.Foo<T>.Bar`: a nested type of a generic one
        return None
    if head in _PRIMITIVES:
        return None
    return dotted_name(head)


@functools.lru_cache(maxsize=4096)
def java_written_type(text: str) -> str | None:
    """A written Java type as a parameter's or an argument's type (``Arity``): as
    ``java_declared_type`` reads it, but a primitive and an array are kept (``int``,
    ``Object[]``, ``a.Foo[][]``); None for ``void``, a wildcard, a union of catch types and a
    nested type of a generic one; ``var`` -> :data:`INFERRED`."""
    text = _ANNOTATION.sub("", text).strip()
    if text == "var":
        return INFERRED
    squeezed = "".join(text.split())
    element = squeezed.rstrip("[]")
    dimensions = squeezed[len(element) :]
    if dimensions != "[]" * (len(dimensions) // 2):
        return None
    head, arguments = type_arguments(element)
    if arguments is None and "<" in head:  # `a.Foo<T>.Bar`: a nested type of a generic one
        return None
    if head in _PRIMITIVES:
        return None if head == "void" else head + dimensions
    name = dotted_name(head)
    return None if name is None else name + dimensions


def java_parameter_type(parameter: Node) -> str | None:
    """A formal parameter's written type (``java_written_type``): ``int a`` -> ``int``, C's
    ``int a[]`` -> ``int[]``, a varargs ``T... xs`` -> ``T[]`` (the array it takes in a call of
    its own arity); a type variable's name as any type's (base.py marks it ``?T``, or asks
    ``java_bounded_type_variable`` whether its type is known at all)."""
    if parameter.type == "spread_parameter":
        written = next(
            (
                child
                for child in parameter.named_children
                if child.type not in ("modifiers", "annotation", "marker_annotation")
            ),
            None,
        )
        declared = None if written is None else java_written_type(node_text(written))
        if declared is None or declared == INFERRED:
            return None
        return declared + "[]"
    written = parameter.child_by_field_name("type")
    if written is None:
        return None
    declared = java_written_type(node_text(written))
    dimensions = parameter.child_by_field_name("dimensions")
    if declared is None or declared == INFERRED:
        return None
    return declared if dimensions is None else declared + "[]" * node_text(dimensions).count("[")


def java_bounded_type_variable(function: Node, declared: str) -> bool:
    """Whether ``declared`` (a written type of a parameter of ``function``, naming a type
    variable where it is written, ``T`` or ``T[]``) names one with an ``extends`` bound of the
    method or a class around it (the innermost that declares the name): it takes the subtypes
    of its bound only, which overload picking does not follow, so its type is not known there
    (an unbounded one is marked ``?T`` and takes any reference type). Asked by base.py only
    for such parameters: the walk up the tree is not for every parameter."""
    name = declared.rstrip("[]")
    if "." in name or name in _PRIMITIVES:
        return False
    scope: Node | None = function
    while scope is not None:
        declared_here = scope.child_by_field_name("type_parameters")
        if declared_here is not None:
            for variable in declared_here.named_children:
                if variable.type != "type_parameter":
                    continue
                head = next(
                    (child for child in variable.named_children if child.type == "type_identifier"),
                    None,
                )
                if head is not None and node_text(head) == name:
                    return any(child.type == "type_bound" for child in variable.named_children)
        scope = scope.parent
    return False


# The types of literals (JLS 3.10): an integer one is `long` with an `L` suffix, a floating one
# `float` with an `F` suffix (a hexadecimal integer's `F` is a digit).
_LITERAL_TYPES = {
    "character_literal": "char",
    "string_literal": "String",
    "true": "boolean",
    "false": "boolean",
    "null_literal": "null",
}
_INTEGER_LITERALS = frozenset(
    {
        "decimal_integer_literal",
        "hex_integer_literal",
        "octal_integer_literal",
        "binary_integer_literal",
    }
)
_FLOATING_LITERALS = frozenset({"decimal_floating_point_literal", "hex_floating_point_literal"})


def java_argument_type(argument: Node) -> str | None:
    """The type an argument alone makes evident (``Arity``): a literal's (``1`` -> ``int``,
    ``2L`` -> ``long``, ``1.0f`` -> ``float``, ``'c'`` -> ``char``, ``"s"`` -> ``String``,
    ``null``; ``-1`` as ``1``), a cast's (``(int) x`` -> ``int``), a ``new Foo<>(...)``'s
    (``Foo``, an anonymous class's too: a subclass of it); None for anything else."""
    kind = argument.type
    if kind in _LITERAL_TYPES:
        return _LITERAL_TYPES[kind]
    if kind in _INTEGER_LITERALS:
        return "long" if node_text(argument)[-1:] in ("l", "L") else "int"
    if kind in _FLOATING_LITERALS:
        return "float" if node_text(argument)[-1:] in ("f", "F") else "double"
    if kind == "unary_expression":  # `-1`, `+1.0`: the literal's type
        operand = argument.child_by_field_name("operand")
        operator = argument.child_by_field_name("operator")
        if operand is None or operator is None or operator.type not in ("-", "+"):
            return None
        if operand.type in _INTEGER_LITERALS or operand.type in _FLOATING_LITERALS:
            return java_argument_type(operand)
        return None
    if kind in ("cast_expression", "object_creation_expression"):
        written = argument.children_by_field_name("type")
        if len(written) != 1:  # `(A & B) x`: an intersection
            return None
        declared = java_written_type(node_text(written[0]))
        return None if declared == INFERRED else declared
    return None


def java_returned_type(text: str, is_async: bool) -> str | None:
    """A method's ``returns`` column (see base.py ``returned_type``): its written return type
    as ``java_declared_type`` reads a declared one (``BaseCalendar.Date`` -> that dotted name,
    ``List<E>`` -> ``List``); None for ``void``, a primitive, an array. Java has no ``async``:
    no operators. The CPG types a member call on the call's value by it (``normalize().f()``)."""
    del is_async
    declared = java_declared_type(text)
    return None if declared == INFERRED else declared


def java_declaration_reach(declaration: Node) -> str:
    """Where a ``@declare`` node's binding holds: a local variable (also one a ``for``
    statement's init declares) in its block (``"block"``), a parameter, field, resource or
    pattern variable in the whole scope (``"scope"``)."""
    return "block" if declaration.type == "local_variable_declaration" else "scope"


def java_imports(node: Node, text: TextOf) -> list[ImportRow]:
    target: Node | None = None
    wildcard = False
    for child in node.named_children:
        if child.type in ("scoped_identifier", "identifier"):
            target = child
        elif child.type == "asterisk":
            wildcard = True
    if target is None:
        return []
    full = "".join(text(target).split())
    if wildcard:
        return [(full, "*", None)]
    module, _, name = full.rpartition(".")
    return [(module or None, name, None)]


RULES = LanguageRules(
    name="java",
    grammar=tree_sitter_java.language,
    query=QUERY,
    separator=".",
    scope_kinds=frozenset({"class", "interface", "enum", "method"}),
    method_parents=frozenset({"class", "interface", "enum"}),
    imports=java_imports,
    instance_name="this",
    declaration_scope_kinds=frozenset({"class", "interface", "enum", "method"}),
    declared_type=java_declared_type,
    # `new Foo<>(...)` is a Foo; `Foo x = y` has the type declared for y
    value_constructors={"object_creation_expression": ("type", "")},
    constructed_type=java_declared_type,
    returned_type=java_returned_type,
    value_names=frozenset({"identifier"}),
    fields_in_scope=True,
    declaration_reach=java_declaration_reach,
    # every call node (`method_invocation`, `object_creation_expression`,
    # `explicit_constructor_invocation`) has `arguments`, every method and constructor
    # `parameters` (a compact constructor has none: its record's components, not counted)
    arity=Arity(
        arguments="arguments",
        parameters="parameters",
        uncounted=frozenset({"line_comment", "block_comment", "receiver_parameter"}),
        variadic=frozenset({"spread_parameter"}),
        # the types that pick an overload among those of the call's arity (JLS 15.12.2.2)
        parameter_type=java_parameter_type,
        bounded_type_variable=java_bounded_type_variable,
        argument_type=java_argument_type,
        written_type=java_written_type,
        own_instance=frozenset({"this"}),
    ),
    # `private` (no candidate from another class's base walk), `static`: in the `modifiers`
    # node of a method, constructor, class or interface
    modifiers=Modifiers(
        keywords=frozenset({"private", "static"}), holders=frozenset({"modifiers"})
    ),
)
