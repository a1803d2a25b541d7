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
from dataclasses import dataclass

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


# go.mod tokens (the Go modules reference, "go.mod files: lexical elements"): a `//` comment to
# the end of the line, an interpreted or raw string, `=>`, a parenthesis, or an identifier.
_GO_MOD_TOKEN = re.compile(r"""//.*|"(?:[^"\\\n]|\\.)*"|`[^`]*`|=>|[()]|(?:(?!=>|//)[^\s"`()])+""")
# Right-hand sides that are file paths, not module paths (modfile.IsDirectoryPath).
_DIRECTORY_PREFIXES = ("./", "../", "/")


@dataclass(frozen=True)
class GoModDirective:
    """One ``module``, ``require`` or ``replace`` directive of a go.mod (block entries included).

    ``module`` is the declared, required or replaced module path and ``version`` its version
    (``replace old v1.2.3 => ...``; None when the replacement is for every version). A
    replacement also has its ``target`` as written (a module path, or a file path starting with
    ``./``, ``../`` or ``/``) and the ``target_version`` of a module target.
    """

    line: int
    kind: str  # module | require | replace
    module: str
    version: str | None = None
    target: str | None = None
    target_version: str | None = None


def _go_mod_token(token: str) -> str:
    """A token's value: strings without their quotes (module paths never hold escapes)."""
    return token[1:-1] if len(token) >= 2 and token[0] in '"`' else token


def _go_mod_directive(line: int, verb: str, args: list[str]) -> GoModDirective | None:
    """The directive of a verb and its arguments; None for other verbs and malformed lines."""
    if verb == "module" and args:
        return GoModDirective(line=line, kind="module", module=args[0])
    if verb == "require" and len(args) >= 2:
        return GoModDirective(line=line, kind="require", module=args[0], version=args[1])
    if verb == "replace" and "=>" in args:
        arrow = args.index("=>")
        old, new = args[:arrow], args[arrow + 1 :]
        if 1 <= len(old) <= 2 and 1 <= len(new) <= 2:
            return GoModDirective(
                line=line,
                kind="replace",
                module=old[0],
                version=old[1] if len(old) == 2 else None,
                target=new[0],
                target_version=new[1] if len(new) == 2 else None,
            )
    return None


def go_mod_directives(text: str) -> list[GoModDirective]:
    """The ``module``, ``require`` and ``replace`` directives of a go.mod, in file order, in
    both the one-line form (``replace old => ./x``) and the block form (``replace ( ... )``).
    Comments, other verbs (``go``, ``exclude``...) and malformed lines contribute nothing."""
    directives: list[GoModDirective] = []
    block: str | None = None  # the verb of the open `verb (` block
    for number, line in enumerate(text.splitlines(), start=1):
        tokens = [
            _go_mod_token(token)
            for token in _GO_MOD_TOKEN.findall(line)
            if not token.startswith("//")
        ]
        if not tokens:
            continue
        if block is not None:
            if tokens[0] == ")":
                block = None
            elif (found := _go_mod_directive(number, block, tokens)) is not None:
                directives.append(found)
            continue
        verb, args = tokens[0], tokens[1:]
        if args == ["("]:
            block = verb
        elif (found := _go_mod_directive(number, verb, args)) is not None:
            directives.append(found)
    return directives


def module_directive(text: str) -> str | None:
    """The module path a go.mod declares (its first ``module`` directive), None when it has none."""
    return next((d.module for d in go_mod_directives(text) if d.kind == "module"), None)


def is_directory_target(target: str) -> bool:
    """Whether a replacement's target is a file path (a local module root), not a module path."""
    return target in (".", "..") or target.startswith(_DIRECTORY_PREFIXES)
