"""Go rule table.

Symbols: ``func`` (function), methods (qualified ``Receiver.Method``, the receiver type without
``*`` and type parameters, parent = the receiver type, wherever it is declared), type specs by
their type: ``struct`` (struct), ``interface`` (interface), anything else incl. ``type A = B``
(type_alias); interface method elements (method, qualified ``Iface.Method``); each ``const`` name
(constant). ``var`` declarations are not symbols.

Calls: every ``call_expression`` (conversions like ``int(x)`` are calls syntactically too; ``go``
and ``defer`` statements contain one).

Imports: one row per import spec: module = the path without quotes, name = its last segment,
alias = the explicit package name when given (``f``, ``_``, ``.``).

Inherits: embedded struct fields and embedded interfaces -> "extends" (Go has no inheritance;
embedding is the nearest relation: the embedding type gets the embedded type's methods). Union
and approximation constraints (``~int | string``) are not embedding.
"""

from __future__ import annotations

import re

import tree_sitter_go
from tree_sitter import Node

from hamilton_modules.languages.base import ImportRow, LanguageRules, TextOf

QUERY = r"""
(function_declaration name: (identifier) @name) @def.function
(method_declaration
  receiver: (parameter_list (parameter_declaration type: (_) @receiver))
  name: (field_identifier) @name) @def.method
(type_spec name: (type_identifier) @name type: (struct_type)) @def.struct
(type_spec name: (type_identifier) @name type: (interface_type)) @def.interface
; Every other type (no text predicates: they decode node text strictly and fail on bad UTF-8).
(type_spec name: (type_identifier) @name
  type: [(type_identifier) (qualified_type) (generic_type) (pointer_type) (array_type)
         (slice_type) (map_type) (channel_type) (function_type) (parenthesized_type)
         (negated_type)]) @def.type_alias
(type_alias name: (type_identifier) @name) @def.type_alias
(method_elem name: (field_identifier) @name) @def.method
; `const a, b = 1, 2`: one match per name (a `name:` field pattern matches only the first)
(const_spec (identifier) @name) @def.constant
(type_spec
  type: (struct_type (field_declaration_list
    (field_declaration !name type: (_) @inherit.extends)))) @owner
(type_spec
  type: (interface_type
    (type_elem . [(type_identifier) (qualified_type) (generic_type)] @inherit.extends .))) @owner
(call_expression function: (_) @call)
(import_spec) @import
"""

_TYPE_ARGS = re.compile(r"\[.*", re.DOTALL)


def receiver_type_name(text: str) -> str:
    """`*List[T]` -> "List": the receiver's type name, which methods are qualified by."""
    if text.isidentifier():
        return text
    return _TYPE_ARGS.sub("", text).strip("*() \t\n")


def go_imports(node: Node, text: TextOf) -> list[ImportRow]:
    path = node.child_by_field_name("path")
    if path is None:
        return []
    module = text(path)
    if len(module) >= 2 and module[0] in '"`':
        module = module[1:-1]
    alias = node.child_by_field_name("name")
    return [(module, module.rsplit("/", 1)[-1], text(alias) if alias is not None else None)]


RULES = LanguageRules(
    name="go",
    grammar=tree_sitter_go.language,
    query=QUERY,
    separator=".",
    scope_kinds=frozenset({"function", "method", "struct", "interface"}),
    method_parents=frozenset({"interface"}),
    imports=go_imports,
    clean_name=receiver_type_name,
)


# `module example.com/app`, `module "example.com/app"` or with back quotes; a trailing comment.
_MODULE_DIRECTIVE = re.compile(
    r"""^\s*module\s+(?:"([^"]+)"|`([^`]+)`|([^\s"`/]\S*))\s*(?://.*)?$""", re.MULTILINE
)


def module_directive(text: str) -> str | None:
    """The module path a go.mod declares (its first ``module`` directive), None when it has none."""
    found = _MODULE_DIRECTIVE.search(text)
    if found is None:
        return None
    module = next(group for group in found.groups() if group)
    return module.strip() or None
