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
"""

from __future__ import annotations

import tree_sitter_java
from tree_sitter import Node

from hamilton_modules.languages.base import ImportRow, LanguageRules, TextOf

QUERY = r"""
(class_declaration name: (identifier) @name) @def.class
(record_declaration name: (identifier) @name) @def.class
(interface_declaration name: (identifier) @name) @def.interface
(annotation_type_declaration name: (identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(method_declaration name: (identifier) @name) @def.method
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
"""


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
)
