"""Python rule table.

Symbols: every ``def``/``async def``/``class`` (nested and decorated ones too). The row spans the
``function_definition``/``class_definition`` node, so ``start_line`` is the ``def``/``class`` line,
like ``ast``'s ``lineno`` since Python 3.8; decorators lie outside the row and their calls are
enclosed by the surrounding scope (where Python evaluates them).

Calls: every ``call`` node, which is exactly what counting ``ast.Call`` gives: ``f(x)(y)`` is two
calls, ``@dec(1)`` is a call, a bare ``@dec`` and class bases are not.

Imports: ``import x.y as z`` -> (None, "x.y", "z"); ``from a import b, c as d`` -> ("a", "b"),
("a", "c", "d"); relative modules keep their dots (``"."``, ``"..pkg"``); ``*`` for a wildcard;
``from __future__ import x`` -> ("__future__", "x").

Inherits: positional class bases as written (``m.C``, ``Generic[T]``, ``*bases``), relation
"extends"; keyword arguments (``metaclass=M``) and ``**kw`` are not bases.

Receiver types (calls' ``receiver_type``, see base.py ``@declare``): annotated parameters
(``*, x: Foo = d`` too) and assignments (``x: Foo = ...``, ``x: Foo``), ``x = Foo(...)`` /
``x = mod.Foo(...)`` (``Foo()``: a Foo if Foo is a class), ``x = y`` (y's type); fields: ``x:
Foo`` in the class body, ``self.x: Foo = ...``, ``self.x = Foo()`` and ``self.x = x`` in its
methods; ``x = a.b`` / ``x = self.b.c`` (base.py ``member_values``): the type the receiver
``a.b`` would have (a field the file declares, else a field hop: ``"A .b"``); a loop or
comprehension variable over a name (or ``self.xs``) and ``x = xs[i]`` / ``xs[i].f()``: an
element of its container (``element_type``: ``list[Foo]``, ``Sequence[Foo]``, ``set[Foo]``,
``Iterable[Foo]``, ``tuple[Foo, ...]``; no mapping: a loop over it gives keys), and a
subscript ``x = d[k]`` / ``d[k].f()`` of a mapping (``index_type``: ``dict[str, Foo]``,
``Mapping[K, Foo]``) its value type; in the branch of ``if isinstance(x, Foo):`` (``elif``, an operand of ``and``) a
receiver ``x`` / ``x.y`` declared with no one type (untyped, a union) is a ``Foo`` (a field
hop ``"Foo .y"``; base.py ``narrowed_type``: not for a tuple of types, past a nested scope or
a comprehension, or once the branch rebinds ``x``). Annotations lose ``Optional[...]``, ``Union[..., None]``, ``... | None``, quotes,
``Final``/``ClassVar``/``Annotated`` and type arguments; ``Any``, ``object`` and ``type[...]``
declare nothing. Untyped parameters, loops over anything else, ``with`` and unpacking targets
and walrus names are bindings of no known type. A name a ``global``/``nonlocal`` statement of
the function declares is no binding of the function (``python_declaration_reach``: assigned,
the module's or the outer function's).

Bare calls of local values (calls' ``receiver_local``, base.py ``called_names``): a call
``cb()`` of a name the function (or one around it) binds to a value anywhere in it (a
parameter, ``*args``/``**kw``, a lambda's, an assignment, a ``for``, ``with`` or ``except``
target, a walrus; a comprehension's variable in the comprehension) is True: the CPG resolves it
to no function of the module nor import of the name (Jedi: the value). A local ``def cb()`` or
``class cb`` is a definition (rule 2), not a value.

Properties: a method decorated ``@property``, ``@functools.cached_property`` (or
``cached_property``, ``abc.abstractproperty``) with a return annotation is a field of its class
of that type (``self.child.resolve()`` with ``@property def child(self) -> Sel``: ``Sel``; one
field hop, as ``self.x: Sel`` is); its ``@child.setter`` / ``.deleter`` rebinds nothing. Its
``returns`` is ``<read> Sel`` (base.py ``READ``), so that a field hop from another file or a
subclass (``x.child.f()``, receiver type ``Foo .child``) reads it in the CPG.

Fields (symbols' ``fields`` of a class, base.py ``exports_fields``): what its body and methods
bind (``x: Foo`` in the body, dataclass and NamedTuple fields, ``self.x: Foo``, ``self.x = x``
with ``x: Foo``; not its methods and properties) with the type they agree on, or the name alone
(a call's value, an untyped parameter): a field hop from another file or a subclass
(``holder.node.f()``, ``self.child.f()`` with ``child`` a base's field) reads them in the CPG,
also along a chain of fields (``self._instance.run_storage.f()``: ``Own ._instance .run_storage``).

Return types (symbols' ``returns``, see base.py ``@returns``): a function's ``-> Foo``, normalized
as annotations are; ``Self`` (``typing.Self``) is the class; an ``async def``'s is reached by
``await`` (``.await Foo``). A member call on a call's value, ``f(...).m()``, has the receiver
type ``f()`` (``self.build().m()``: ``self.build()``). A binding ``x = f(...)`` /
``x = self.f(...)`` / ``x = m.f(...)`` is ``f()`` (what calling it returns), ``x = await f(...)``
is ``f().await``: the CPG types them by the return type of the function the callee resolves to
(or, for ``Foo()``, by the class Foo). A context manager of a type (``-> ContextManager[Foo]``,
a ``@contextmanager`` generator's ``-> Iterator[Foo]`` / ``Generator[Foo, ...]``) returns
``.enter Foo`` (base.py ``ENTER``), and ``with f(...) as x`` binds ``f().enter`` (what entering
it gives; ``with lock as x`` and ``except E as x``: no known type).
"""

from __future__ import annotations

import re

import tree_sitter_python
from tree_sitter import Node

from hamilton_modules.languages.base import (
    AWAIT,
    CALLED_NAME,
    ENTER,
    READS_RETURNED,
    REBINDS_SAME,
    SELF,
    ImportRow,
    LanguageRules,
    TextOf,
    awaited_call,
    dotted_name,
    field_hop,
    node_text,
    split_top_level,
    type_arguments,
)

QUERY = r"""
(function_definition "async"? @async name: (identifier) @name return_type: (type)? @returns)
  @def.function
(class_definition name: (identifier) @name) @def.class
(class_definition superclasses: (argument_list (_) @inherit.extends)) @owner
(call function: (_) @call)
; Grammar quirk: `type(x).attr = v` parses as a type alias statement whose "type" keyword is the
; callee of the call `type(x)`; ast sees a call there, so do we.
(type_alias_statement "type" @callee
  left: (type (attribute object: (parenthesized_expression)))) @call
(type_alias_statement "type" @callee
  left: (type (subscript value: (parenthesized_expression)))) @call
(import_statement) @import
(import_from_statement) @import
(future_import_statement) @import

; Declared receiver types (calls' receiver_type): scopes, then every binding of a plain name or
; of `self.x` (typed or not: an untyped one shadows outer declarations and disagrees).
; (functions are scopes as definitions: declaration_scope_kinds)
(lambda) @scope
; a comprehension's variables are its own (Python 3), not the function's
[(list_comprehension) (set_comprehension) (dictionary_comprehension) (generator_expression)] @scope
(class_definition) @scope.class
(parameters (identifier) @var) @declare
(lambda_parameters (identifier) @var) @declare
(typed_parameter . (identifier) @var type: (type) @var.type) @declare
(default_parameter name: (identifier) @var) @declare
(typed_default_parameter name: (identifier) @var type: (type) @var.type) @declare
(list_splat_pattern (identifier) @var) @declare
(dictionary_splat_pattern (identifier) @var) @declare
(assignment left: [(identifier) (attribute)] @var type: (type) @var.type) @declare
(assignment left: [(identifier) (attribute)] @var !type right: (_) @var.value) @declare
; a loop variable over a name: an element of its container (`xs: list[Foo]`: element_type)
(for_statement left: (identifier) @var right: (_) @var.value) @declare.element
(for_in_clause left: (identifier) @var right: (_) @var.value) @declare.element
(pattern_list (identifier) @var) @declare
(tuple_pattern (identifier) @var) @declare
(except_clause (as_pattern alias: (as_pattern_target (identifier) @var) @declare))
; `with f() as x`: what entering the call's value gives (`f().enter`: a `-> ContextManager[Foo]`
; or a `@contextmanager` generator's `-> Iterator[Foo]`); another value's: no known type
(with_item value: (as_pattern (_) @var.value alias: (as_pattern_target (identifier) @var)))
  @declare.enter
; `match`: capture patterns (`case x:`, `case [x, *y]:`), `case Foo() as x:`
(case_pattern . (dotted_name . (identifier) @var .) .) @declare
(as_pattern (case_pattern) (identifier) @var) @declare
(splat_pattern (identifier) @var) @declare
(named_expression name: (identifier) @var) @declare
"""

# Annotations that wrap the declared type (`Optional[Foo]`, `Final[Foo]`, `Annotated[Foo, x]`:
# the first argument); `Union[...]` is one type when all but one of its arguments are None.
_TYPE_WRAPPERS = frozenset(
    {"Optional", "Annotated", "Final", "ClassVar", "Required", "NotRequired", "ReadOnly"}
)
# Annotations that declare no type of an instance: anything, or a class itself (`type[Foo]`).
_NO_TYPE = frozenset({"Any", "object", "Type", "type"})
_MAX_WRAPPERS = 8


def _unquote(text: str) -> str:
    """A string annotation's content (`"Foo"` -> `Foo`); any other text as it is."""
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
        return text[1:-1]
    return text


def _unwrapped(text: str) -> tuple[str, list[str] | None] | None:
    """An annotation without its wrappers (``Optional[...]``, ``... | None``, ``Union[...,
    None]``, quotes, ``Final``/``Annotated``...): (its head as written, its type arguments);
    None for a union of two types."""
    text = "".join(text.split())
    for _ in range(_MAX_WRAPPERS):
        alternatives = [
            part for part in map(_unquote, split_top_level(_unquote(text), "|")) if part != "None"
        ]
        if len(alternatives) != 1:
            return None
        head, arguments = type_arguments(alternatives[0])
        last = head.rpartition(".")[2]
        if arguments is None or (last not in _TYPE_WRAPPERS and last != "Union"):
            return head, arguments
        if last == "Union":
            arguments = [part for part in map(_unquote, arguments) if part != "None"]
            if len(arguments) != 1:
                return None
        text = arguments[0]
    return None


def python_declared_type(text: str) -> str | None:
    """The one named type an annotation declares, dotted as written: ``Foo``, ``m.Foo[T]``,
    ``"Foo"``, ``Optional[Foo]``, ``Foo | None``, ``Union[Foo, None]`` -> ``Foo`` / ``m.Foo``;
    None for a union of two types, ``Any``, ``object``, ``type[Foo]``, a literal or a call."""
    unwrapped = _unwrapped(text)
    if unwrapped is None:
        return None
    head = unwrapped[0]
    name = dotted_name(head)
    return None if name is None or head.rpartition(".")[2] in _NO_TYPE else name


# Containers whose iteration and subscript (where it has one) both give an element of the one
# type argument (``list[Foo]``, ``Sequence[Foo]``, ``set[Foo]``, ``Iterable[Foo]``), by the last
# segment as written (``typing.List``, ``collections.abc.Sequence``). A mapping is none: a loop
# over it gives its keys, a subscript its values.
_ELEMENT_CONTAINERS = frozenset(
    {
        "list",
        "List",
        "Sequence",
        "MutableSequence",
        "set",
        "Set",
        "frozenset",
        "FrozenSet",
        "AbstractSet",
        "MutableSet",
        "Iterable",
        "Iterator",
        "Collection",
        "Reversible",
        "deque",
        "Deque",
    }
)
_TUPLES = frozenset({"tuple", "Tuple"})


# Mappings, by the last segment as written: a subscript gives a value of the second type
# argument (a loop gives keys: no element type).
_MAPPINGS = frozenset(
    {
        "dict",
        "Dict",
        "Mapping",
        "MutableMapping",
        "defaultdict",
        "DefaultDict",
        "OrderedDict",
    }
)


def python_index_type(text: str) -> str | None:
    """The table's ``index_type``: the one named type of a subscript's value ``d[k]`` of a
    container annotation: a mapping's values (``dict[str, Foo]``, ``Mapping[K, Optional[m.Foo]]``
    -> ``Foo`` / ``m.Foo``), else the element type ``python_element_type`` reads."""
    unwrapped = _unwrapped(text)
    if unwrapped is None:
        return None
    head, arguments = unwrapped
    if (
        arguments is not None
        and len(arguments) == 2
        and head.rpartition(".")[2] in _MAPPINGS
        and dotted_name(head) is not None
    ):
        return python_declared_type(arguments[1])
    return python_element_type(text)


def python_element_type(text: str) -> str | None:
    """The table's ``element_type``: the one named type of the elements of a container
    annotation (``list[Foo]``, ``Sequence[Foo]``, ``Optional[set[m.Foo]]``, ``tuple[Foo,
    ...]`` -> ``Foo`` / ``m.Foo``), as ``python_declared_type`` reads the element's; None for
    a mapping, a fixed-length tuple or any other annotation."""
    unwrapped = _unwrapped(text)
    if unwrapped is None:
        return None
    head, arguments = unwrapped
    last = head.rpartition(".")[2]
    if arguments is None or dotted_name(head) is None:
        return None
    if last in _TUPLES:
        return python_declared_type(arguments[0]) if arguments[1:] == ["..."] else None
    if last in _ELEMENT_CONTAINERS and len(arguments) == 1:
        return python_declared_type(arguments[0])
    return None


# The own type of a method (PEP 673), as written.
_SELF_NAMES = frozenset({"Self", "typing.Self", "typing_extensions.Self"})


# Return annotations of a context manager of their (first) type argument: what ``with f() as
# x`` binds (a ``@contextmanager`` generator is annotated with what it yields), by the last
# segment as written.
_CONTEXT_MANAGERS = frozenset({"ContextManager", "AbstractContextManager", "Iterator", "Generator"})


def python_returned_type(text: str, is_async: bool) -> str | None:
    """A function's ``returns`` column (see base.py ``returned_type``): its ``-> ...``
    annotation as ``python_declared_type`` reads it, ``Self`` for the own class, after
    ``.await`` for an ``async def``; a context manager of a type (``-> ContextManager[Foo]``,
    a ``@contextmanager`` generator's ``-> Iterator[Foo]`` / ``Generator[Foo, None, None]``)
    is ``.enter Foo`` (base.py ``ENTER``: what ``with f() as x`` binds; calling it gives no
    ``Foo``)."""
    head, arguments = _unwrapped(text) or ("", None)
    context_manager = head.rpartition(".")[2] in _CONTEXT_MANAGERS and dotted_name(head)
    if not is_async and arguments and context_manager:
        entered = python_declared_type(arguments[0])
        if entered in _SELF_NAMES:
            entered = SELF
        return None if entered is None else f"{ENTER} {entered}"
    declared = python_declared_type(text)
    if declared is None:
        return None
    if declared in _SELF_NAMES:
        declared = SELF
    return f"{AWAIT} {declared}" if is_async else declared


def python_constructed_type(text: str) -> str | None:
    """What a constructor value names: a call's callee (``Foo``, ``m.f``; the column gets
    ``()``), or ``await f(...)`` -> ``f().await``."""
    awaited = awaited_call(text) if text.startswith("await") else None
    return awaited if awaited is not None else dotted_name(text)


# Decorators making a method of a class read as the value it returns (``self.p`` is a ``T`` for
# ``@property def p(self) -> T``), as written.
_PROPERTY_DECORATORS = frozenset(
    {"property", "cached_property", "functools.cached_property", "abc.abstractproperty"}
)
# A property's other accessors (``@p.setter def p(self, v)``): the name stays the property.
_ACCESSOR_DECORATORS = frozenset({"setter", "deleter", "getter"})


def python_definition_binding(node: Node) -> str | None:
    """What a ``def`` in a class body binds its name to (base.py ``definition_binding``): a
    ``@property`` / ``@functools.cached_property`` reads as its return type
    (``READS_RETURNED``), a ``@p.setter`` / ``@p.deleter`` keeps the property (``REBINDS_SAME``);
    anything else, and a ``def`` outside a class body, is the definition (None)."""
    decorated = node.parent
    if decorated is None or decorated.type != "decorated_definition":
        return None
    body = decorated.parent
    if body is None or body.parent is None or body.parent.type != "class_definition":
        return None
    for child in decorated.children:
        if child.type != "decorator" or not child.named_children:
            continue
        written = _squash(node_text(child.named_children[0]))
        if written in _PROPERTY_DECORATORS:
            return READS_RETURNED
        head, _, last = written.rpartition(".")
        if head.isidentifier() and last in _ACCESSOR_DECORATORS and head == _name_of(node):
            return REBINDS_SAME
    return None


# The @declare nodes that bind a parameter, which no `global`/`nonlocal` may name (Python: a
# SyntaxError): their bindings hold in the whole function without a look for one.
_PARAMETER_DECLARATIONS = frozenset(
    {
        "parameters",
        "lambda_parameters",
        "typed_parameter",
        "default_parameter",
        "typed_default_parameter",
        "list_splat_pattern",
        "dictionary_splat_pattern",
    }
)
# The scopes a `global`/`nonlocal` statement belongs to, and the scopes it does not reach into.
_OUTER_DECLARING_SCOPES = frozenset({"function_definition"})
_NAME_SCOPES = frozenset({"function_definition", "class_definition", "lambda"})
# A function's text that may hold a `global`/`nonlocal` statement (not `global_config = ...`).
_OUTER_STATEMENT = re.compile(rb"\b(?:global|nonlocal)[ \t\\]")


def _declared_outer(function: Node) -> frozenset[str]:
    """The names a ``global`` or ``nonlocal`` statement of ``function`` (not of a function or
    class nested in it) declares: the module's or an outer function's, not the function's."""
    text = function.text or b""
    last_text, last_names = _last_declared_outer[0]
    if text == last_text:  # the declarations of one function come one after another
        return last_names
    names: set[str] = set()
    if _OUTER_STATEMENT.search(text) is not None:
        pending = list(function.children)
        while pending:
            node = pending.pop()
            if node.type in ("global_statement", "nonlocal_statement"):
                names.update(node_text(child) for child in node.named_children)
            elif node.type not in _NAME_SCOPES:
                pending.extend(node.children)
    found = frozenset(names)
    _last_declared_outer[0] = (text, found)
    return found


# The last function _declared_outer read: its text and what it found (a value of the text
# alone, so no file's answer is another's; one tuple, replaced whole).
_last_declared_outer: list[tuple[bytes, frozenset[str]]] = [(b"", frozenset())]


def python_may_declare_outer(source: bytes) -> bool:
    """Whether a file may hold a ``global`` or ``nonlocal`` statement (base.py
    ``declaration_reach_wanted``): where none does, every binding holds in its whole scope, as
    :func:`python_declaration_reach` would say of each (most files: no walk per binding)."""
    # (a substring test first: the pattern's search of a whole file costs several times more)
    return (b"global" in source or b"nonlocal" in source) and (
        _OUTER_STATEMENT.search(source) is not None
    )


def python_declaration_reach(declaration: Node) -> str:
    """Where a ``@declare`` node's binding holds (base.py ``declaration_reach``): the whole
    scope (``"scope"``: a function's name is local throughout it, even before the assignment),
    unless its function declares the name ``global`` or ``nonlocal`` (``global cb; cb = f``):
    then the binding assigns the module's or an outer function's variable (``"assigned"``),
    which no call of ``cb()`` in the function reads as a local value."""
    if declaration.type in _PARAMETER_DECLARATIONS:
        return "scope"
    function = declaration.parent
    while function is not None and function.type not in _NAME_SCOPES:
        function = function.parent
    if function is None or function.type not in _OUTER_DECLARING_SCOPES:
        return "scope"
    outer = _declared_outer(function)
    if not outer:
        return "scope"
    targets = [
        declaration.child_by_field_name(field) for field in ("left", "name")
    ] + declaration.children
    bound = {node_text(node) for node in targets if node is not None and node.type == "identifier"}
    return "assigned" if bound & outer else "scope"


# Where narrowing stops on the way up from a call: a nested scope (a function runs later, when
# the name may be bound to anything; Jedi does not narrow into a comprehension either).
_NARROWING_BOUNDARIES = frozenset(
    {
        "function_definition",
        "class_definition",
        "lambda",
        "module",
        "list_comprehension",
        "set_comprehension",
        "dictionary_comprehension",
        "generator_expression",
    }
)
# The branches a condition narrows in: the consequence of an `if` / `elif`.
_NARROWING_BRANCHES = frozenset({"if_statement", "elif_clause"})
# Nodes that bind their target's name (the fields naming it, None: every named child).
_REBINDING_FIELDS: dict[str, str | None] = {
    "assignment": "left",
    "augmented_assignment": "left",
    "for_statement": "left",
    "for_in_clause": "left",
    "named_expression": "name",
    "as_pattern_target": None,
    "delete_statement": None,
    "function_definition": "name",
    "class_definition": "name",
    # every name an import writes (`import a.b as c`: a, b and c; a module's too: the
    # narrowing ends where it might not, never the other way round)
    "import_statement": None,
    "import_from_statement": None,
}
# Loops whose body runs again after a call in it: a rebinding anywhere in one is seen by the
# next pass (`while node: node.f(); node = node.parent`), the iterable aside (evaluated once).
_LOOPS = {"for_statement": "right", "while_statement": None}


def python_narrowed_type(callee: Node) -> str | None:
    """The table's ``narrowed_type``: the receiver type of ``x.f()`` / ``x.y.f()`` in the
    branch of an ``if`` / ``elif`` whose condition is ``isinstance(x, Foo)`` (or has it as an
    operand of a top-level ``and``): ``Foo`` as ``python_declared_type`` reads it, a field hop
    ``"Foo .y"`` for ``x.y.f()``. None for a tuple of types, outside the branch, past a nested
    ``def``/``class``/``lambda``, and when the branch binds ``x`` before the call or anywhere
    in a loop around the call inside the branch."""
    if callee.type != "attribute":
        return None
    receiver = callee.child_by_field_name("object")
    if receiver is None or receiver.type not in ("identifier", "attribute"):
        return None
    written = _squash(node_text(receiver))
    if dotted_name(written) is None:
        return None
    node = callee
    parent = node.parent
    loops: list[Node] = []  # the loops around the call, innermost first
    while parent is not None and parent.type not in _NARROWING_BOUNDARIES:
        if parent.type in _LOOPS:
            once = _LOOPS[parent.type]
            if once is None or parent.child_by_field_name(once) != node:
                loops.append(parent)
        if parent.type == "block" and parent.parent is not None:
            branch = parent.parent
            if (
                branch.type in _NARROWING_BRANCHES
                and branch.child_by_field_name("consequence") == parent
            ):
                narrowed = _isinstance_type(branch.child_by_field_name("condition"), written)
                if narrowed is not None:
                    name, type_name = narrowed
                    if _rebinds(parent, name, before=callee.start_byte) or any(
                        _rebinds(loop, name, before=loop.end_byte) for loop in loops
                    ):
                        return None
                    rest = written[len(name) :].lstrip(".")
                    return field_hop(type_name, *rest.split(".")) if rest else type_name
        node = parent
        parent = node.parent
    return None


def _isinstance_type(condition: Node | None, receiver: str) -> tuple[str, str] | None:
    """(the narrowed name, its type) when ``condition`` is ``isinstance(name, Foo)`` (or a
    top-level ``and`` of it) for ``receiver`` or a name it starts with (``x`` of ``x.y``)."""
    if condition is None:
        return None
    if condition.type == "boolean_operator":
        operator = condition.child_by_field_name("operator")
        if operator is None or operator.type != "and":
            return None
        for side in ("left", "right"):
            found = _isinstance_type(condition.child_by_field_name(side), receiver)
            if found is not None:
                return found
        return None
    if condition.type == "parenthesized_expression" and condition.named_child_count == 1:
        return _isinstance_type(condition.named_children[0], receiver)
    if condition.type != "call":
        return None
    function = condition.child_by_field_name("function")
    arguments = condition.child_by_field_name("arguments")
    if function is None or arguments is None or node_text(function) != "isinstance":
        return None
    values = [child for child in arguments.named_children if child.type != "comment"]
    if len(values) != 2 or values[1].type not in ("identifier", "attribute"):
        return None
    name = _squash(node_text(values[0]))
    if not (receiver == name or receiver.startswith(f"{name}.")):
        return None
    type_name = python_declared_type(node_text(values[1]))
    return None if type_name is None else (name, type_name)


def _rebinds(block: Node, name: str, *, before: int) -> bool:
    """Whether ``block`` binds ``name`` (or a name it starts with) before byte ``before``."""
    head = name.partition(".")[0]
    pending = [block]
    while pending:
        node = pending.pop()
        if node.start_byte >= before:
            continue
        field_name = _REBINDING_FIELDS.get(node.type, "")
        if field_name != "":
            target = node if field_name is None else node.child_by_field_name(field_name)
            if target is not None and _binds_name(target, name, head):
                return True
        pending.extend(node.named_children)
    return False


def _binds_name(target: Node, name: str, head: str) -> bool:
    """Whether an assignment target binds ``name`` or its head (``x`` of ``x.y``)."""
    pending = [target]
    while pending:
        node = pending.pop()
        if node.type in ("identifier", "attribute"):
            text = _squash(node_text(node))
            if text in (name, head) or name.startswith(f"{text}."):
                return True
            continue
        pending.extend(node.named_children)
    return False


def _name_of(definition: Node) -> str | None:
    name = definition.child_by_field_name("name")
    return None if name is None else node_text(name)


def _squash(text: str) -> str:
    """Dotted names may be written with spaces or line continuations: `a . b`."""
    return "".join(text.split())


def _name_and_alias(node: Node, text: TextOf) -> tuple[str, str | None]:
    if node.type == "aliased_import":
        name_node = node.child_by_field_name("name")
        alias_node = node.child_by_field_name("alias")
        name = _squash(text(name_node)) if name_node is not None else ""
        return name, (text(alias_node) if alias_node is not None else None)
    return _squash(text(node)), None


def python_imports(node: Node, text: TextOf) -> list[ImportRow]:
    """One row per imported name of an import statement."""
    rows: list[ImportRow] = []
    if node.type == "import_statement":
        for child in node.children_by_field_name("name"):
            name, alias = _name_and_alias(child, text)
            rows.append((None, name, alias))
        return rows
    if node.type == "future_import_statement":
        module: str | None = "__future__"
    else:
        module_node = node.child_by_field_name("module_name")
        module = _squash(text(module_node)) if module_node is not None else None
    for child in node.children_by_field_name("name"):
        name, alias = _name_and_alias(child, text)
        rows.append((module, name, alias))
    if not rows:  # `from m import *` (a wildcard excludes names)
        rows.extend((module, "*", None) for c in node.named_children if c.type == "wildcard_import")
    return rows


RULES = LanguageRules(
    name="python",
    grammar=tree_sitter_python.language,
    query=QUERY,
    separator=".",
    scope_kinds=frozenset({"class", "function", "method"}),
    method_parents=frozenset({"class"}),
    imports=python_imports,
    inherit_skip=frozenset({"comment", "keyword_argument", "dictionary_splat"}),
    instance_name="self",
    declaration_scope_kinds=frozenset({"function", "method"}),
    definitions_bind=True,  # `def x():` / `class x:` rebind x in the scope around their own
    # `def f(cb): cb()`: the parameter (Jedi), no function cb of the module
    called_names=CALLED_NAME,
    declaration_reach=python_declaration_reach,
    declaration_reach_wanted=python_may_declare_outer,  # (a `global`/`nonlocal` in the file)
    declared_type=python_declared_type,
    # `x = Foo(...)`: a `Foo` if Foo is a class, else what the function Foo returns (the CPG
    # checks); `x = await f(...)`: `f().await`; `self.x = x`: x's type
    value_constructors={"call": ("function", "()"), "await": ("", "")},
    constructed_type=python_constructed_type,
    returned_type=python_returned_type,
    definition_binding=python_definition_binding,
    exports_fields=True,  # a class's fields, for field hops from other files and subclasses
    value_names=frozenset({"identifier"}),
    # `for x in xs`, `x = xs[i]`, `xs[i].f()` with `xs: list[Foo]`: a Foo
    element_type=python_element_type,
    # `xs[1:]`, `xs[::2]` (a `:=` is no slice)
    slice_index=re.compile(r":(?!=)"),
    element_values={"subscript": "value"},
    # `x = d[k]`, `d[k].f()` with `d: dict[str, Foo]`: a Foo (a loop over d: its keys)
    index_type=python_index_type,
    # `x = a.b`, `x = self.b.c`: typed as the receiver of `a.b.f()` is (a field hop)
    member_values=frozenset({"attribute"}),
    # `if isinstance(x, Foo): x.f()`: a Foo there
    narrowed_type=python_narrowed_type,
)
