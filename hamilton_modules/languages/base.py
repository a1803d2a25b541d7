"""The generic tree-sitter extraction engine: one engine, languages as data.

Each language is a :class:`LanguageRules` table (its query source, scoping rule and import rule);
this module turns one file's bytes into symbol, import, call and inheritance rows with a single
parse and a single pass over the matches of one combined query. There is no per-language walker:
adding a language means writing a table (see ``python.py`` for the smallest one).

Capture-name conventions every rule table's query follows:

``@def.<kind>``
    A definition node; ``<kind>`` is the canonical (SCIP-like) kind, see :data:`SYMBOL_KINDS`.
    The same pattern captures ``@name`` (the name node) and may capture ``@receiver`` (Go: the
    receiver type, which then prefixes the qualified name instead of the lexical scope; a table's
    ``receiver_parent`` may place it otherwise, see :class:`LanguageRules`).
    A ``function`` whose enclosing scope symbol has a kind in ``method_parents`` becomes ``method``,
    and so does a ``function`` that ``receiver_parent`` places under a named parent (a function
    stored in an object's property: JavaScript ``Foo.prototype.bar = function () {}``).
    Definitions of a kind in ``container_kinds`` are symbols only when they hold a method, see
    :class:`LanguageRules`. A ``@value`` capture is a value that the table's ``accepts_value``
    must accept, else the match is no definition (a check no pattern can express).
    A function's pattern may capture ``@returns``, its written return type, and ``@async``, a
    node whose text holds the word ``async`` when the function is one (Rust's
    ``function_modifiers``, the ``async`` keyword): the table's ``returned_type`` turns them into
    the symbol's ``returns`` column (see :class:`LanguageRules`), where ``Self`` (:data:`SELF`)
    stands for the type the function is a method of (its parent's qualified name when that is a
    class, struct, enum or impl; None in a trait or interface, whose implementor is unknown) and
    a type whose first segment is a type parameter where the function is (``fn get<T>() -> T``)
    is None. A method whose ``definition_binding`` is :data:`READS_RETURNED` (a property) has
    ``returns`` ``"<read> Foo"`` (:data:`READ`): read as a value, never called.
``@call`` / ``@call.macro``, alone or with ``@callee`` (and optionally ``@callee.prefix``)
    One call site. Alone, the capture is the callee node of a call that starts with its callee
    (``f(x)``, ``a.b(x)``, ``m!(x)``): one capture per call is what the query engine and the
    Python loop pay for. With ``@callee`` it is the call node, for calls that start elsewhere
    (``new X()``). ``call.macro`` appends ``!`` to the callee text (Rust macro invocations);
    ``callee.prefix`` is an object expression joined with ``.`` before the callee (Java, where
    ``a.b(...)`` has no single callee node). With the table's ``arity`` (:class:`Arity`), the
    call's ``arguments`` are counted in the call node (the ``@call`` capture with ``@callee``,
    else the node around the ``@call`` callee), and a ``function``/``method`` definition's
    ``parameters`` and ``variadic`` in its node; None in the tables without one. With the
    table's ``modifiers`` (:class:`Modifiers`), every definition's ``modifiers`` are read in
    its node (``private static``, "" for none); None in the tables without one.
``@import``
    An import statement node; the table's ``imports`` hook turns it into (module, name, alias) rows,
    its ``exports`` hook says whether they are also exports of the file (column ``exported``).
``@inherit.<relation>`` with ``@owner``
    A base type as written; ``@owner`` is the definition node of the child (the class/impl/...),
    so an anonymous class (no symbol) yields no inheritance row instead of a wrong one.
``@this``
    A node with a ``this`` of its own (JavaScript: a non-arrow function, a method, a class body;
    an arrow function has none, it sees the ``this`` around it). A call's ``this_symbol`` is the
    symbol of the innermost such node around the call: the definition whose ``this_binder``
    (see :class:`LanguageRules`) is that node, None when it is no definition's (an anonymous
    callback ``function () {}``), when there is none (the top level), and in languages whose
    table has no ``@this`` pattern.
``@scope`` / ``@scope.class`` / ``@scope.block``
    A node that opens a lexical scope for declared names (``@declare``): a function, method,
    lambda or arrow function (``@scope``; or a definition whose kind is in the table's
    ``declaration_scope_kinds``); a class body, whose plain declarations are the
    instance's fields and whose names the functions inside do not see (``@scope.class``). An
    anonymous function is a scope too, though no symbol. A ``@scope.class`` pattern may capture
    ``@type``, the name of the type whose instances the class scope is about (normalized by
    ``clean_name``): the class scopes of one type name in a file share their fields (Rust: a
    ``struct``'s field list and the bodies of its ``impl`` blocks; Go: a struct type).
    ``@scope.block``: a block of the scope it is in (JavaScript's ``{...}``, ``for``,
    ``catch``): a binding the table's ``declaration_reach`` says is ``"block"`` (``let``,
    ``const``) holds inside the innermost one only, where it shadows the scope's other
    declarations of the name (not its assignments); one it gives a range of its own (Rust's
    ``let``: from its end to its block's) holds there, and the latest such range around a call
    shadows the others. A ``@scope`` pattern capturing ``@until``
    ends where that node ends (Rust's ``if let``: the condition and the consequence, whose
    bindings the ``else`` does not see).
``@declare`` / ``@declare.field`` / ``@declare.type`` with ``@var``, ``@var.type``, ``@var.value``
    A name binding, for a call's ``receiver_type`` (below). ``@var`` is the bound name: a plain
    name (a local of the innermost ``@scope``, the module at the top level; a field of the class
    when the innermost scope is an ``@scope.class``), the table's ``instance_name`` (TypeScript's
    explicit ``this`` parameter, a local of its function) or ``<instance_name>.x`` (a field of
    the instance's class: ``self.x`` / ``this.x``); ``@declare.field`` declares the plain name
    ``@var`` as a field of the instance's class (TypeScript ``constructor(private x: Foo)``);
    ``@declare.position`` a positional field of the class scope it is in, named by the index of
    ``@var`` among its parent's children of its grammar field (Rust's ``struct S(A, B)``: ``B``
    is ``1``, read as ``self.1``); ``@declare.type`` declares ``@var`` a type parameter of the
    innermost scope (``fn f<T>``, ``impl<T>``, Go ``[T any]``, Java ``<T>``): a declared type
    whose first segment is one where the declaration is, is None, except a plain one (``T``)
    with bounds: ``@declare.bound`` captures ``@var``, a type parameter, and ``@var.type``, a
    list of its bounds (``T: A + Send``, ``where T: B``), in the innermost scope; a value of
    ``T``, and a path call on it (``T::f()``), has the one trait those lists name where it is
    (``_Declarations.bound_of``), where no ``let`` rebinding the name holds; a class's field
    of ``T`` has it only as ``self.x`` in an impl declaring a ``T`` (``impl<T: A> W<T>``, not
    ``impl W<Foo>``: ``_Declarations.instance_field_bound``). ``@declare.outer`` a definition's
    own name (``def x():``, whose node is its own ``@scope``), bound in the scope
    around it, never an instance of a declared type (the table's ``definitions_bind`` makes
    every ``@def`` one, as Python's ``def``/``class`` are, without a second match; its
    ``definition_binding`` may bind the name as a value of the function's ``@returns`` type
    instead, a Python ``@property``, or not at all, the property's ``@x.setter``).
    ``@declare.element`` binds ``@var`` to an element of its ``@var.value`` (a range variable
    over a plain name, Go's ``range``, JavaScript/TypeScript ``for (const x of xs)``; in
    tables with a ``this_binder`` also over ``this.xs``, the field of the class of ``this``
    there; see ``element_type`` and ``contextual_element``); ``@declare.<n>`` (a number) to
    result n of the call that is its ``@var.value`` (Go's ``v, err := f()``: ``f()[1]``, see
    :data:`RESULT_SEPARATOR`).
    ``@var.type`` is a written type annotation, turned into one named type by the table's
    ``declared_type`` (None: not one named type); ``@var.value`` a value: a constructor (node
    types in ``value_constructors``: ``new Foo()`` -> ``Foo``; Python's ``Foo()`` -> ``Foo()``,
    the type when ``Foo`` names a class, else what the function ``Foo`` returns (its
    ``returns``, see ``@returns``), which the CPG checks; ``f().await`` / Rust's ``f()?`` with
    the operators applied to the value), a plain name (node types in
    ``value_names``: the type declared for that name where the binding is), ``this`` in a
    table with a ``this_binder`` (``const self = this``: the class whose instance ``this`` is
    there, by its qualified name; none outside a class), a field of it there (``const x =
    this.y``, and a shorthand property of a pattern bound to ``this``, ``const { y } = this``:
    the type the receiver ``this.y`` has there, the field the file binds or a field hop), a
    field of a plain name in such a table (``const x = y.z``, ``const { z } = y``: the type
    the receiver ``y.z`` has, a field hop from y's type) or anything else (no type known). Both: the annotation, unless the table's ``declared_type`` says
    :data:`INFERRED` (Java's ``var x = new Foo()``), then the value. Neither: a binding of no
    known type (an untyped parameter, a loop variable), which still shadows the declarations of
    outer scopes and disagrees with the others; except what the table's ``contextual_type``
    types by its context (TypeScript: an untyped parameter j of a function value passed as
    argument k of a call, ``operate((source, subscriber) => ...)``, is
    :func:`argument_parameter` of that call, ``"<line>:<column>(<k>:<j>)"``, the position of
    the call's own calls row), read only when a receiver needs the name. The CPG types it by the
    symbols' ``callback_types`` of the function that call resolves to (the table's
    ``callback_types``: for a function whose parameter k is declared with a function type, the
    declared type of that type's parameter j, ``"<k>:<j> <type>"`` entries, a type whose first
    segment is a type parameter where the function is left out, as for ``@returns``).
    A call ``x.f(...)`` / ``x?.f(...)`` (or ``self.x.f(...)`` / ``this.x.f(...)``) gets as its
    ``receiver_type`` the one type ``x`` is declared with where the call is: the innermost
    enclosing scope that binds ``x`` (class scopes skipped), flow-insensitively: its annotated
    declarations when it has any and they agree (and no nested ``def``/``class`` rebinds the
    name; any other rebinding, a loop variable, ``x = Bar()``, is held to the declaration as a
    type checker holds it), else its other bindings when they all agree on one type; anything
    else is None. A call in a class body sees the class's own bindings of the name first (None
    when it has any). With the table's ``fields_in_scope`` (Java's implicit ``this``), class
    scopes are in the chain too: a plain name may be a field of a class around.
    One field hop, ``x.y.f(...)``: the field ``y`` of the named class scopes (``@type``) of the
    type ``x`` is declared with (Go ``s.conn.Close()`` with ``s *Server``). In a table with a
    ``definition_binding`` (whose methods may be read as values: properties), a field the file
    declares nowhere for that type (``x.y.f()`` with ``x`` declared a dotted name; ``self.y.f()``
    with no ``self.y`` binding in the own class; ``x`` bound to a call's value, ``x =
    repo.job()``: ``"repo.job() .y"``) is :func:`field_hop` (``"Foo .y"``, the own class by its
    qualified name): the CPG types it by the property ``y`` of ``Foo`` (of the class the call
    constructs or the type it returns) or of its nearest base, wherever they are written (the
    symbols' ``returns`` marked :data:`READ`) or by the field ``y`` its class declares (the
    symbols' ``fields``, tables with ``exports_fields``); a chain ``x.y.z.f(...)`` hops on,
    ``"Foo .y .z"`` (``self.y.z.f()`` with ``self.y`` bound in the file: from its type).
    A member call on the value of a call of a path, ``a.b(...).f(...)`` (tables with a
    ``returned_type``): ``a.b()``, as a name bound to that value is (no operator after the call;
    not ``super()``, a call of a call's value or a field of it); ``new a.B(...).f(...)`` (tables
    whose ``value_constructors`` has ``new_expression``): ``a.B``, the instance it makes.
    ``this.f(...)`` (tables with a ``this_binder``) looks in the
    innermost ``@this`` node only (an explicit ``this`` parameter); a field is looked up in the
    class whose instance the receiver is: ``self``'s innermost ``@scope.class`` (Python), the
    class body that is the innermost ``@this`` node or the class body around the method that is
    (JavaScript/TypeScript: a callback ``function () {}`` in between has another ``this``).
    Not followed: ``global``/``nonlocal`` (a name a function assigns is its local; Python's
    ``declaration_reach`` makes such a binding assigned); in Python, a walrus inside a
    comprehension binds in the comprehension's scope.
``@embed``
    A node whose text the grammar leaves unparsed (Rust macro token trees). The table's
    ``embedded`` hook says which byte range of it to parse again as code of the same language;
    see :func:`extract` for how those second parses are done and when their rows are kept.

Enclosing scopes (``parent`` of symbols, ``enclosing`` of calls/imports) come from one sweep over
the captured nodes sorted by start byte with a stack of open scopes, never from walking parents,
and nothing here recurses on tree depth: a 10,000-deep expression is only ever walked by C code.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, partial
from typing import cast

from tree_sitter import Language, Node, Parser, Query, QueryCursor, Range, Tree

Row = dict[str, object]
Point = tuple[int, int]  # (row, column in bytes), as tree-sitter reports positions
# A byte range to parse again (start_byte, end_byte, start_point, end_point), see ``embedded``.
EmbeddedRange = tuple[int, int, Point, Point]
ImportRow = tuple[str | None, str, str | None]  # (module, name, alias)
TextOf = Callable[[Node], str]

SYMBOL_KINDS: frozenset[str] = frozenset(
    {
        "class",
        "function",
        "method",
        "struct",
        "enum",
        "trait",
        "interface",
        "impl",
        "module",
        "type_alias",
        "macro",
        "constant",
        "variable",
        "property",
        # a top-level value no other kind covers, no scope and no node (TypeScript's
        # `const X: XCtor = f()`, which an interface X merges with: cpg's `new X()`)
        "value",
    }
)

# The last identifier of a callee expression; `$` is an identifier character in JS/TS.
_IDENT = re.compile(r"[^\W\d][\w$]*|\$[\w$]*")


@dataclass(frozen=True)
class FileExtraction:
    """Everything extracted from one file; rows carry exactly the columns of the schemas."""

    symbols: list[Row]
    imports: list[Row]
    calls: list[Row]
    inherits: list[Row]
    error_count: int  # number of ERROR and MISSING nodes in the tree


def _no_imports(node: Node, text: TextOf) -> list[ImportRow]:
    return []


def _no_exports(node: Node) -> bool:
    return False


@dataclass(frozen=True)
class Scope:
    """A ``receiver_parent`` placement that is no symbol itself but the scope of the definitions
    inside it, named ``qualified_name`` (JavaScript ``Foo.prototype = { bar() {} }``: ``Foo.bar``).
    """

    qualified_name: str


@dataclass(frozen=True, kw_only=True)
class Arity:
    """How a table's calls and functions are counted (the calls' ``arguments``, the symbols'
    ``parameters`` and ``variadic``): the field of a call node holding its argument list
    (``arguments``), of a function's node holding its parameter list (``parameters``); the
    named children of those lists are counted, except the node types in ``uncounted``
    (comments; Java's receiver parameter ``Foo this``). A parameter of a ``variadic`` type
    (Java ``T... xs``) takes any number of arguments; an argument of a ``spread`` type
    (``f(...xs)``) makes the call's count unknown (None)."""

    arguments: str
    parameters: str
    uncounted: frozenset[str]
    variadic: frozenset[str] = frozenset()
    spread: frozenset[str] = frozenset()
    # Argument and parameter types (the calls' ``argument_types``, the symbols'
    # ``parameter_types``; unset: None in every row), each a type as ``written_type`` reads a
    # written one (primitives and arrays kept: ``int``, ``Foo``, ``a.Foo``, ``Object[]``), ""
    # where it is not known, joined by :data:`TYPE_SEPARATOR`: a counted parameter's node ->
    # its written type (``parameter_type``; a type parameter where the function is written is
    # marked :data:`TYPE_VARIABLE`, ``?T``); an argument's node -> the type the argument
    # alone makes evident (``argument_type``: a literal, a cast, ``new Foo()``; None: not
    # evident), an argument of a ``value_names`` node type (a plain name) the type its
    # declarations in scope agree on, as a receiver's (``@declare``), read by
    # ``written_type``.
    parameter_type: Callable[[Node], str | None] | None = None
    # A parameter whose ``parameter_type`` is a type parameter where the function is written:
    # (the function's node, that type) -> whether the type parameter's own declaration bounds
    # it (Java's ``<T extends Foo>``), which makes the parameter's type not known ("", not
    # ``?T``). Needs ``@declare.type`` (the type parameters are known from declarations):
    # without declarations a bounded variable's type stays its name (``T``), as any's.
    bounded_type_variable: Callable[[Node, str], bool] | None = None
    argument_type: Callable[[Node], str | None] | None = None
    written_type: Callable[[str], str | None] | None = None
    # Argument node types that are the own instance (Java's ``this``): typed as the class of
    # the innermost named class scope around the call (its ``@type``; "" in an anonymous one).
    own_instance: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class Modifiers:
    """Which modifiers a table reads on its definitions (the symbols' ``modifiers``): the
    ``keywords`` among a definition node's children, or among the children of a child of a
    ``holders`` type (Java's ``modifiers`` node): only the few name resolution reads
    (``private``, ``static``)."""

    keywords: frozenset[str]
    holders: frozenset[str] = frozenset()
    # Keywords that still modify the next member when a line break follows them, and the node
    # type a grammar reads such a lone keyword as: ECMAScript and tsc take `static` then a line
    # break then `f() {}` as one static method (no line terminator restriction after `static`),
    # tree-sitter's JavaScript and TypeScript grammars as a field named `static`, then an
    # instance method `f`. (Not `private`: tsc wants it on the member's line.)
    across_lines: frozenset[str] = frozenset()
    lone_keyword_field: str = ""
    # The keyword a function assigned to a member of a class the file declares before it (a
    # definition with a @receiver that ``receiver_parent`` places in the class) has, by the
    # definition node, its receiver as written and these modifiers (what reads a member's
    # keywords), "" for none: JavaScript's and TypeScript's ``A.make = function () {}`` is
    # ``static`` (a property of the class value), and so is ``this.make = function () {}`` in a
    # static method (its ``this`` is the class), ``A.prototype.f = ...`` none (its
    # instances'). Unset: none.
    assigned_keyword: Callable[[Node, str, Modifiers], str] | None = None


@dataclass(frozen=True, kw_only=True, eq=False)  # identity hash: the compile cache key
class LanguageRules:
    """One language as data: grammar, query, scoping and import rules."""

    name: str
    grammar: Callable[[], object]  # returns the grammar capsule, e.g. tree_sitter_python.language
    query: str  # one combined query following the capture conventions above
    separator: str = "."  # joins enclosing scope names into qualified names
    scope_kinds: frozenset[str]  # symbol kinds that open a scope for qualified names
    method_parents: frozenset[str] = frozenset({"class", "interface", "trait", "impl"})
    imports: Callable[[Node, TextOf], list[ImportRow]] = _no_imports
    # Whether an import node's rows are also exports of the file (JavaScript/TypeScript
    # `export ... from "m"`, `export {x}`): the ``exported`` column.
    exports: Callable[[Node], bool] = _no_exports
    # Callee node types to unwrap before taking the text, e.g. Rust `f::<T>` -> field "function".
    callee_unwrap: Mapping[str, str] = field(default_factory=dict)
    # Normalizes a captured name (Rust `impl<T> Foo<T>` -> "Foo", Go receiver `*List[T]` -> "List").
    clean_name: Callable[[str], str] | None = None
    # Where a definition with a @receiver belongs, when not under the receiver itself (Go):
    # (receiver, name, enclosing scope's qualified name and kind) -> the parent's qualified
    # name ("" = the top level), a Scope (no symbol, the scope of what it holds), or None when
    # the definition is no symbol. JavaScript: `a.b = {}`, `Foo.prototype = {}`.
    receiver_parent: Callable[[str, str, str | None, str | None], str | Scope | None] | None = None
    # Where a definition on the own instance is written (JavaScript `this.f = function () {}`):
    # (its definition node, its receiver as written) -> the ``@this`` node whose definition
    # ``this`` belongs to and whether it is that definition's parent's (a method's class)
    # rather than the definition's own, (None, False) at the top level; None for another
    # receiver. ``receiver_parent`` then gets what ``this`` is as the enclosing scope (no
    # kind): that qualified name, "" at the top level; a ``@this`` node of no symbol (an
    # anonymous function) makes the definition none. Unset: the enclosing scope as for any.
    receiver_this: Callable[[Node, str], tuple[Node | None, bool] | None] | None = None
    # Whether the @value of a definition match makes it a definition (JavaScript: an object
    # literal inside any number of wrappers, `({...} as const)`); unset: every match is one.
    accepts_value: Callable[[Node], bool] | None = None
    # Kinds whose definitions are symbols only as the scope of a method: one is kept when a
    # method, or another kept definition of these kinds, is directly inside it (nothing but
    # non-scope kinds between them), else it is dropped with no trace (its contents belong to
    # the scope around it). JavaScript object literals bound to names: `x = { a: { b() {} } }`
    # keeps `x` and `x.a`, `x = { a: { n: 1 } }` has no symbol. Queries capture every candidate;
    # which are methods is a matter of nesting, to any depth, that no query pattern can express.
    container_kinds: frozenset[str] = frozenset()
    # Named nodes never reported as inheritance parents (comments, Python keyword arguments).
    inherit_skip: frozenset[str] = frozenset({"comment", "line_comment", "block_comment"})
    # Alternative grammars by file suffix (TypeScript: ".tsx" -> the tsx grammar).
    variants: Mapping[str, Callable[[], object]] = field(default_factory=dict)
    # The query of a variant whose grammar lacks node types of ``query`` (TSX: no type assertion).
    variant_queries: Mapping[str, str] = field(default_factory=dict)
    # Which part of an `@embed` node to parse again (None: not that one). The byte right after
    # the range is replaced by `embed_separator` and parsed with it, so that the range reads as
    # complete statements (Rust: the `;` that makes `(a, f(x))` an expression statement).
    embedded: Callable[[Node], EmbeddedRange | None] | None = None
    embed_separator: bytes = b";"
    # The node of a definition's match that is its ``@this`` node, when the definition has a
    # ``this`` of its own (JavaScript: a method itself, `const f = function () {}`'s value, a
    # class's body), else None (`const f = () => {}`, an object literal).
    this_binder: Callable[[Node], Node | None] | None = None
    # Declared receiver types (``@declare``, see the capture conventions): the name of the own
    # instance (``self``, ``this``), which a ``self.x`` binding or receiver starts with; a written
    # annotation's text -> one named type, dotted as written without type arguments or nullable
    # wrappers (None: not one named type); value node types that construct a type, with the field
    # holding its name and the suffix the column gets (``""``: the type itself; ``"()"``: what
    # calling the name returns, a type only if the name is a class); value node types that are a
    # plain name whose declared type the binding copies.
    instance_name: str | None = None
    declared_type: Callable[[str], str | None] | None = None
    value_constructors: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    value_names: frozenset[str] = frozenset()
    # Value node types that are a member of a plain name or of the own instance (Python's
    # ``attribute``: ``x = a.b``, ``x = self.b.c``): the binding has the type a call's receiver
    # written so would have (a field the file declares, else a :func:`field_hop` the CPG
    # follows). Unset: such a value is of no known type.
    member_values: frozenset[str] = frozenset()
    # The type a constructor value's node text names (a ``value_constructors`` field, or the
    # value node itself for field ``""``), None when it names none; unset: ``dotted_name``.
    constructed_type: Callable[[str], str | None] | None = None
    # Given a file's source, ``constructed_type`` for that file, where what the file defines
    # decides (Rust: a ``macro_rules! ready`` of its own is no std ``ready!``); unset:
    # ``constructed_type``.
    file_constructed_type: Callable[[bytes], Callable[[str], str | None]] | None = None
    # Kinds of definitions that are ``@scope`` nodes too (a function, an impl): one match instead
    # of two for each (the query matches a node once per pattern, and matches are what the
    # Python loop pays for).
    declaration_scope_kinds: frozenset[str] = frozenset()
    # Whether class scopes are scopes of plain names too: their fields are in the chain a
    # receiver's name is looked up in (Java's implicit ``this``: ``x.f()`` on a field ``x``).
    fields_in_scope: bool = False
    # Block scoping (``@scope.block``): where a @declare node's binding holds, ``"block"`` (the
    # innermost ``@scope.block`` around it inside its scope: JavaScript's ``let``/``const``),
    # ``"scope"`` (the whole scope: a parameter, a ``var``), ``"assigned"`` (an assignment: the
    # variable it assigns is declared elsewhere) or ``"none"`` (nowhere: TypeScript's parameter
    # of a signature without a body, ``(x: T) => void``, binds nothing around it), or the range
    # it holds in (start, end: Rust's ``let``, from its end to the end of its block, where a
    # later ``let`` of the name shadows it). Unset: every binding holds in its whole scope.
    declaration_reach: Callable[[Node], str | tuple[Point, Point]] | None = None
    # Whether a file's source may hold a binding that ``declaration_reach`` places elsewhere
    # than its whole scope (Python: only a `global`/`nonlocal` statement does); where it says
    # no, ``declaration_reach`` is not called (a hook per binding and its bookkeeping, for
    # nothing). Unset: it is called in every file.
    declaration_reach_wanted: Callable[[bytes], bool] | None = None
    # Whether a definition's (``@def``) name is also a binding of the scope around its own
    # (Python ``def x():``, ``class x:`` rebind ``x``), as a ``@declare.outer`` match would be.
    definitions_bind: bool = False
    # Whether a ``@declare``'s ``@var`` (the node) is bound to a definition or a module rather
    # than to a value (JavaScript's ``const C = class {}``: the class C; ``const m =
    # require("m")``, ``const { B } = require("m")``: an import). When set, the table marks the
    # calls' ``receiver_local``: a member call whose receiver starts with a name that a
    # function or a block around binds to a value (a parameter, a local variable, a loop or
    # ``catch`` variable, a destructured name), which no import or definition of that name
    # reaches there (and the bare calls, ``called_names``); unset: None in every member call's row.
    binds_definition: Callable[[Node], bool] | None = None
    # The callees that call a plain name (in group 1: ``f``, ``(f)``; JavaScript's ``f!``), which
    # a parameter or a local variable there may bind (``function f(cb) { cb(); }``, Go ``func
    # f(cb func()) { cb() }``): the calls' ``receiver_local`` says whether a function or a block
    # around binds it to a value (``_Declarations.binds_value``: not a definition's own name,
    # ``binds_functions``), which the CPG resolves to no outer definition of the name; unset:
    # the column as ``binds_definition`` says.
    called_names: re.Pattern[str] | None = None
    # A function's declared return type (the text of its ``@returns`` capture, whether it is
    # async) -> the symbols' ``returns`` column: ``"<type>"`` or ``"<ops> <type>"``, the type as
    # ``declared_type`` gives annotations (one named type, :data:`SELF` for the own type) and
    # ``ops`` the postfix operators a caller applies to the call's value to get it, as Rust
    # writes them: ``.await`` (an async function's output, a Promise's value) and ``?`` (the Ok
    # of a Result, the Some of an Option); None: no one named type. A binding ``x = f(...)``
    # whose receiver type is ``f()<ops>`` (``value_constructors`` with the suffix ``"()"``, or a
    # ``constructed_type`` giving that form) is typed by it in the CPG when the ops agree.
    returned_type: Callable[[str, bool], str | None] | None = None
    # A function's return type written outside the nodes a pattern captures (JavaScript's JSDoc
    # ``@returns {T}`` in the comment before it): its definition's node -> the type's text, read
    # by ``returned_type`` as a ``@returns`` capture's (not async: the text says ``Promise``);
    # None where it has none. Asked for definitions without a ``@returns`` capture.
    documented_returns: Callable[[Node], str | None] | None = None
    # A member call on a value in parentheses that a comment casts (JavaScript's ``/** @type
    # {Foo} */ (x).f()``): its callee's node -> the declared type (as ``declared_type`` reads
    # one), the call's receiver type; None for any other callee. Asked for callees starting
    # with ``(``.
    cast_type: Callable[[Node], str | None] | None = None
    # A member call whose receiver a condition around it narrows (Python's ``if isinstance(x,
    # Foo): x.f()``): its callee's node -> the receiver's type there (as ``declared_type``
    # reads one; a :func:`field_hop` from it for ``x.y.f()``), when the receiver is declared
    # with no one type (a union, an untyped name: narrowing picks among what it may be; a
    # declared type stays, as Jedi keeps it); None where nothing narrows it. Asked for member
    # callees.
    narrowed_type: Callable[[Node], str | None] | None = None
    # Contextual parameter types (TypeScript): a function definition's node -> (k, j, type) for
    # each parameter j of the function type that its parameter k is declared with (``init:
    # (source: Observable<T>, subscriber: Subscriber<R>) => void`` as parameter 0 -> (0, 0,
    # ``Observable``), (0, 1, ``Subscriber``)), the type as ``declared_type`` gives annotations
    # (None types left out); k and j count the parameters a caller passes (no ``this``). The
    # symbols' ``callback_types`` column, see :data:`CALLBACK_SEPARATOR`.
    callback_types: Callable[[Node], list[tuple[int, int, str]]] | None = None
    # An untyped parameter (the ``@var`` node of a ``@declare`` with neither ``@var.type`` nor
    # ``@var.value``) of a function value passed as argument k of a call -> its receiver type
    # :func:`argument_parameter` (``"<line>:<column>(<k>:<j>)"``, the parameter j of that
    # argument, the call found by the position of its calls row), None for any other binding.
    contextual_type: Callable[[Node], str | None] | None = None
    # The element type (as ``element_type`` reads a container type) of a parameter the table's
    # ``contextual_type`` types by its context (the ``@var`` node): JavaScript's ``@param
    # {Foo[]} xs``; None for any other binding.
    contextual_element: Callable[[Node], str | None] | None = None
    # What a definition's own name is bound to, with ``definitions_bind``, when it is not the
    # definition itself (Python's decorators): :data:`READS_RETURNED` (a method read as a value
    # of its declared return type, ``@property`` / ``@functools.cached_property``: a field of
    # the class typed by its ``@returns`` annotation), :data:`REBINDS_SAME` (a binding that
    # keeps what the name was, ``@x.setter``: no binding), None (the definition).
    definition_binding: Callable[[Node], str | None] | None = None
    # Go: a receiver of several field hops (``a.b.c.f()``) is followed hop by hop through the
    # fields of the file's named class scopes, and a hop the file declares no fields for (its
    # type declared elsewhere, or outside the repository) is a :func:`field_hop` of the type
    # reached, whatever hops follow (a field of a type from outside the repository is outside
    # too); a one-hop ``x.y.f()`` likewise. Unset: chains of field hops only where the table
    # has a ``definition_binding`` or ``exports_fields`` (hop by hop in the CPG).
    field_chains: bool = False
    # Rust: a member call's receiver written over lines (rustfmt's chains, ``self\n.state\n
    # .load()``, callee ``self .state .load``) is read without the whitespace around its dots,
    # as ``self.state.load`` (unset: such a receiver has no declared type).
    spaced_receivers: bool = False
    # The type of a receiver written as a value (Go: a type assertion ``x.(T).f()``, a
    # composite literal ``T{...}.f()``), as ``constructed_type`` names it; None: no such value.
    receiver_value: Callable[[str], str | None] | None = None
    # A member call on a wrapper of a place as a member call on the place, as its receiver is
    # typed (Rust: ``Pin::new(&mut self.inner).poll_write`` -> ``self.inner.poll_write``; the
    # own instance itself, ``self.as_mut().f`` -> ``self.f``, is of the class scope's type by
    # its name); when the place has no type, the receiver keeps the type it has as written
    # (``Pin::new()``, the wrapper's call value). Given the file's source (what the file
    # defines decides which wrappers are the language's), it gives the function of a callee.
    # A place marked POINTEE (``*p.f``, Rust's ``p.as_ref().f``) is the pointee's: a place
    # only when ``pointee_text`` makes its type another (a ``NonNull<Foo>``'s ``Foo``), or of
    # a call's value (its POINTED: ``let p = f(); p.as_ref().g()`` is ``f().pointee``).
    receiver_unwrap: Callable[[bytes], Callable[[str], str | None]] | None = None
    # Whether a class symbol's ``fields`` column lists the fields its class scope and methods
    # declare (``x: Foo``, ``self.x: Foo``, ``self.x = x``; see ``_export_fields``), for the
    # CPG's field hops (:func:`field_hop`) from other files and subclasses (Python, Go,
    # TypeScript, JavaScript: a class body's ``x: Foo`` and ``x = new Foo()``, a parameter
    # property, ``this.x = ...``), and whether a field the file does not declare is a field
    # hop (as with a ``definition_binding``).
    exports_fields: bool = False
    # The one named type of the elements of a written container type (Go: ``[]*T``, ``[4]T``,
    # ``map[K]T`` -> ``T``; TypeScript ``T[]``, ``Set<T>``...; None for anything else): the
    # type of a range variable over a name declared with it (``@declare.element``, whose ``@var.value`` is the ranged expression:
    # a plain name, else no type), of an index expression of such a name as a value (node
    # types in ``element_values``, with the field holding the indexed name: ``v, ok := m[k]``)
    # or as a receiver (``xs[i].f()``).
    element_type: Callable[[str], str | None] | None = None
    element_values: Mapping[str, str] = field(default_factory=dict)
    # What a pattern of a wrapper's content binds (``@declare.content``, Rust's ``if let
    # Some(x) = v``, ``while let Ok(x) = v``, a ``match v`` arm ``Some(x) =>``) and what an
    # unwrapping value or a guard is (``let x = self.a.take().unwrap()``, ``let x =
    # self.a.lock()``): ``content_place`` gives the place whose declared wrapper the value
    # takes the content of, and how (``self.a``, ``a``, ``a.b``; from the text of the value and
    # whether a pattern takes the content out; None: no place, ``v`` a call's value is its type
    # after one ``?``, as ``let x = v?``); ``content_type`` reads that content of the place's
    # written type (``Option<Foo>``, ``Mutex<Foo>`` -> ``Foo``; None: no such wrapper, the
    # value's own type then), given the file's imported names and the paths they name (where
    # the wrapper comes from: ``use std::sync::Mutex``, ``Mutex`` -> ``std::sync::Mutex``).
    content_place: Callable[[str, bool], tuple[str, str] | None] | None = None
    content_type: Callable[[str, str, Mapping[str, str]], str | None] | None = None
    # What a pattern of an enum variant binds (``@declare.variant``, the pattern's node, and the
    # ``@var`` node): (the variant's path, ``Enum::Variant`` or ``Self::Variant``, the field's
    # name, a position's ``"0"`` too), whose type is that field's in the named class scope
    # ``Enum::Variant`` (a ``@scope.class`` with ``@type`` and ``@type.variant``: the enum's and
    # the variant's names); None: no variant's field (an untyped binding).
    variant_field: Callable[[Node, Node], tuple[str, str] | None] | None = None
    # Given a file's source, whether a value (its text) is the own instance itself, typed as
    # ``self`` is (Rust: ``&mut *self``, Pin's ``self.get_mut()``: ``let me = &mut *self;
    # me.inner.f()`` is ``self.inner.f()``).
    own_value: Callable[[bytes], Callable[[str], bool]] | None = None
    # Whether a binding of a name that another declares with a type is a new variable of its
    # own (Rust's shadowing `let`), not a value held to the declaration (Python's ``x =
    # make()`` of an annotated ``x``): a copy is looked up where it is written (``let a = x``:
    # the ``let``s of x before it, ``declaration_reach``), and where no position is known the
    # name has a type only where the two agree.
    shadowing_lets: bool = False
    # The written type a pointer's place step reaches (``receiver_unwrap``'s places marked
    # POINTEE, Rust's ``p.as_ref().f()``): the text with each pointer replaced by what it
    # points to (``Option<NonNull<Foo>>`` -> ``Option<Foo>``); a place whose type differs so
    # is the pointee's, a POINTEE place of no such type (nor a call's value) no place at all.
    pointee_text: Callable[[str], str] | None = None
    # The one named type of a subscript's value (``x = d[k]``, ``d[k].f()``) of a written
    # container type where it is not its elements' (Python: a mapping's values, ``dict[str,
    # Foo]``, whose loop gives its keys); unset: ``element_type``'s.
    index_type: Callable[[str], str | None] | None = None
    # How a slice is written inside an index (Rust ``xs[1..]``, Python and Go ``xs[1:]``), read
    # outside parentheses and braces: a slice of the container is no element (its methods are
    # the container's or the slice's own), so ``xs[1:].f()`` takes no element type. Unset: every
    # index is one element (JavaScript, TypeScript and Java have no slice syntax, and their
    # ``xs[c ? 0 : 1]`` is one element).
    slice_index: re.Pattern[str] | None = None
    # Argument and parameter counts (see :class:`Arity`); unset: None in every row.
    arity: Arity | None = None
    # The modifiers of definitions (see :class:`Modifiers`); unset: None in every row.
    modifiers: Modifiers | None = None
    # The modifiers every definition of a file has, from its bytes (extraction is keyed by a
    # file's content, never by its path), where none is read in the definition's node (Go: its
    # ``//go:build`` line, ``go:build linux && amd64``; "" for none).
    file_modifiers: Callable[[bytes], str] | None = None
    # Value node types that stand for their operand (the field holding it) when that is a
    # ``value_names`` or ``member_values`` node: Go's ``p := &enc.p``, a pointer to the field,
    # has its type (Rust's ``let raw = &self.raw``, a reference to it).
    address_values: Mapping[str, str] = field(default_factory=dict)
    # Value node types that stand for their operand (the field holding it) when that is a
    # ``value_names`` node, as the same container: Go's slice ``xs[1:]`` (``range xs[1:]`` is
    # an element of xs, ``ys := xs[:n]`` a copy of its type).
    slice_values: Mapping[str, str] = field(default_factory=dict)
    # Go: names are also the package's (its files share one top level). A receiver whose first
    # name no scope of the file binds and no import of it names (``staticTable.len()``, a
    # ``var`` of another file of the package) is a field hop from :data:`PACKAGE`
    # (``"<package> .staticTable"``, ``"<package> .ctlOpts[]"`` for an element ``ctlOpts[i].f()``,
    # also for a name bound to one, ``so, ok := sockOpts[k]``, ``range sockOpts``; a field of
    # an import's name, ``a.Html.String()``, is one from that package: :func:`imported_package`),
    # and the file's ``variable`` and ``constant`` symbols (``@def.variable``: its top-level
    # ``var`` names; a typed ``const``) have
    # in ``returns`` the type their top-level bindings agree on, :data:`READ` (``"<read>
    # newStaticTable()"``, ``"<read> sync.Pool"``; an element's ``"<read>[] ctlOpt"``): the
    # CPG types such a receiver by the variable of that name in the call's package folder.
    package_variables: bool = False


# ``definition_binding`` results: the name reads as the function's declared return type (a
# property), or the definition leaves the name bound as it was (a property's setter).
READS_RETURNED, REBINDS_SAME = "returned", "same"


# What a table's ``declared_type`` returns for an annotation that declares no type of its own but
# takes its value's (Java ``var``): the binding is then typed by its ``@var.value``.
INFERRED = "<inferred>"
# What a table's ``returned_type`` gives for the own type of a method (Rust's and Python's
# ``Self``, TypeScript's ``this``): replaced by the type's qualified name (see ``@returns``).
SELF = "Self"
# The operators of a ``returns`` value or of a receiver type bound to a call's value: ``.await``
# then ``?``, in the order written (``TcpStream::connect(a).await?`` -> ``.await?``).
AWAIT, TRY = ".await", "?"
# The operator of what a ``with`` statement binds of a context manager (Python's ``with f() as
# x``: ``f().enter``, ``@declare.enter``), and of a ``returns`` value that is a context manager
# of a type (``-> ContextManager[Foo]``, a ``@contextmanager`` generator's ``Iterator[Foo]``:
# ``.enter Foo``).
ENTER = ".enter"
# The operator of what Rust's ``ready!(v)`` takes out of a ``Poll<T>`` value (its ``T``), and of a
# ``returns`` value that is a ``Poll`` (``-> Poll<Foo>``: ``.ready Foo``).
READY = ".ready"
# The operator of what a pointer's place step reaches (Rust's ``p.as_ref()`` of a
# ``NonNull<Foo>``: a ``Foo``, ``pointee_text``), and of a ``returns`` value that is such a
# pointer (``-> NonNull<Foo>``: ``.pointee Foo``; the call's value itself, no operator, is the
# pointer: a type from outside the repository).
POINTED = ".pointee"
# Marks a place ``receiver_unwrap`` gives that is the pointee of a pointer (``pointee_text``).
POINTEE = "*"
# A ``returns`` type of a function with several results (Go's ``func f() (*Conn, error)``):
# each result's type (empty where it is none) joined by this, trailing empty ones left out; and
# the operator of a receiver bound to result n > 0 of a call (``c, err := f()``: ``err`` is
# ``f()[1]``, ``@declare.1``), whose type is that result's.
RESULT_SEPARATOR = ";"


# The start of a field hop from the package of the file (``LanguageRules.package_variables``):
# ``"<package> .x"`` is the receiver ``x`` that the package's top level binds in another file.
PACKAGE = "<package>"
# The start of a field hop from the package an import of the file binds (``package_variables``):
# ``"<package:a> .Html"`` is the variable (or typed constant) ``Html`` of the package the file
# imports as ``a`` (``a.Html.String()``); the CPG names the package by the import's folder.
IMPORTED_PACKAGE_PREFIX = "<package:"


def imported_package(name: str) -> str:
    """The start of a field hop from the package the file imports as ``name`` (or that the CPG
    resolved it to, a folder): ``"<package:name>"``."""
    return f"{IMPORTED_PACKAGE_PREFIX}{name}>"


# The operator of an element of a call's value (``for _, c := range children`` with
# ``children, err := f.Readdir(-1)``: ``f.Readdir()[]``): typed by the CPG only as a value from
# outside the repository when the call's is.
ELEMENT_OPERATOR = "[]"


# The operator of result n > 0 of a call's value, a format of n (``[1]``).
RESULT_OPERATOR_FORMAT = "[{}]"


def result_operator(position: int) -> str:
    """The operator of result ``position`` of a call's value: ``[1]`` (none for the first)."""
    return RESULT_OPERATOR_FORMAT.format(position) if position else ""


# The calls' ``argument_types`` and the symbols' ``parameter_types`` (:class:`Arity`): one type
# per argument or parameter ("" where none is known) joined by this; a parameter declared with a
# type parameter of the scopes where it is written (``<T> void f(T x)``, ``class C<E> { void
# f(E e) }``) is marked by this prefix (``?T``): any reference type fits it.
TYPE_SEPARATOR = ";"
TYPE_VARIABLE = "?"


# The symbols' ``callback_types``: ``"<k>:<j> <type>"`` entries (see ``callback_types``) joined
# by this, in parameter order.
CALLBACK_SEPARATOR = ";"
# The symbols' ``fields``: ``"<name> <type>"`` / ``"<name>"`` entries (see ``exports_fields``)
# joined by this, sorted by name.
FIELD_SEPARATOR = ";"
# The operator of a ``returns`` value of a method read as a value of its return type, not called
# (``definition_binding`` :data:`READS_RETURNED`, a Python ``@property``): ``"<read> Foo"``. No
# call's operators are it (calling a property's value is no value of its return type); the CPG
# follows a field hop through it (:func:`field_hop`).
READ = "<read>"
# The imports table's alias of a row by which a file exports one of its own names as the module
# object itself (CommonJS ``module.exports = X``; TypeScript calls it ``export = X``): a
# namespace binding of the module stands for that name (the CPG's rule 3).
EXPORT_EQUALS = "export="
# An imports row's name that stands for the file's own module name (:func:`own_module_name`),
# the name of a ``@name.module`` definition: replaced by it where the file has that definition,
# the row dropped where it has none.
OWN_MODULE = "<own module>"
# An imports row's name that stands for the qualified name of the class symbol its node ends
# with: a JavaScript/TypeScript class expression's own name, which its body sees (``const A =
# class Inner {}``: Inner names A there; the row binds it in A's scope). The row is dropped
# where no class symbol ends there (the class expression is no symbol) or the class is named so.
ENCLOSING_CLASS = "<enclosing class>"
# Likewise the function symbol its node ends with: a named function expression's own name,
# which its body sees (``const h = function k() { k(); }``: k is h there, not a top-level k).
# Where no function symbol ends there, the name is a value bound in the function (the calls'
# ``receiver_local``: unresolved).
ENCLOSING_FUNCTION = "<enclosing function>"
# The kinds of the symbols each of those rows may name.
_ENCLOSING_KINDS = {
    ENCLOSING_CLASS: frozenset({"class"}),
    ENCLOSING_FUNCTION: frozenset({"function", "method"}),
}


def own_module_name(path: str) -> str:
    """The name of an anonymous definition that is the module itself (a ``@name.module``
    capture: CommonJS ``module.exports = () => {}``): the file's name up to its first dot
    (``util/makeSerializable.js`` -> ``makeSerializable``), the name its importers give it
    (``const makeSerializable = require("./util/makeSerializable")``)."""
    return path.rpartition("/")[2].partition(".")[0]


def _position_name(var: Node) -> str:
    """A ``@declare.position`` field's name: its index among the children of its parent in the
    same grammar field (Rust's ``struct S(A, #[cfg(x)] B)``: ``B`` is ``"1"``, ``self.1``).
    Fields are numbered as written, not per configuration: in ``struct S(#[cfg(unix)] A,
    #[cfg(windows)] B)`` ``B`` is ``"1"``, though in either compiled configuration the one
    field is ``self.0`` (read as ``A``, the field numbered ``"0"``)."""
    parent = var.parent
    before: list[str | None] = []
    if parent is not None:
        for position, child in enumerate(parent.children):
            field_name = parent.field_name_for_child(position)
            if child == var:
                return str(before.count(field_name))
            before.append(field_name)
    return "0"


def _destructured_from(var: Node) -> Node | None:
    """What ``var``, a shorthand property of an object pattern, is destructured from when that
    is ``this`` or a plain name (JavaScript/TypeScript ``const { y } = this``: y is
    ``this.y``; ``const { z } = x``: ``x.z``); else None."""
    pattern = var.parent
    if var.type != "shorthand_property_identifier_pattern" or pattern is None:
        return None
    declarator = pattern.parent
    if pattern.type != "object_pattern" or declarator is None:
        return None
    value = declarator.child_by_field_name("value")
    if (
        declarator.type != "variable_declarator"
        or value is None
        or value.type not in ("this", "identifier")
        or declarator.child_by_field_name("name") != pattern
    ):
        return None
    return value


def field_hop(type_name: str, *members: str) -> str:
    """The receiver type of ``x.y.f(...)`` (or ``self.y.f(...)``) whose field ``y`` is not
    declared in the file (a property or field of a class elsewhere, or of a base): the member
    ``y`` of the type ``x`` is declared with (``self``: the own class's qualified name), ``"Foo
    .y"``, typed in the CPG by the ``READ`` return type of the property ``y`` of ``Foo`` or of
    its nearest base that has one, or by the type of such a field (the symbols' ``fields``). A
    chain ``x.y.z.f(...)`` hops on: ``"Foo .y .z"`` (at most :data:`MAX_FIELD_HOPS`)."""
    return "".join((type_name, *(f"{FIELD_HOP_STEP}{member}" for member in members)))


# What precedes each field's name in a :func:`field_hop` (``"Foo .y .z"``).
FIELD_HOP_STEP = " ."
# A tuple element of no known type in a :func:`tuple_type`.
UNKNOWN_ELEMENT = "_"


def tuple_type(elements: Sequence[str | None]) -> str:
    """The declared type of a tuple (Rust's ``(Foo, u8)``) by its elements' types (None: of
    no known type, ``UNKNOWN_ELEMENT``): ``(Foo,u8)``, ``()``, a one-tuple ``(Foo,)``; no
    identifier, so that no type of the repository is one; its fields ``.0``, ``.1`` are its
    elements (:func:`tuple_element`)."""
    names = [UNKNOWN_ELEMENT if element is None else element for element in elements]
    return f"({','.join(names)}{',' if len(names) == 1 else ''})"


def tuple_elements(declared: str) -> list[str] | None:
    """The elements' types of a :func:`tuple_type` (:data:`UNKNOWN_ELEMENT` for one of no
    known type); None for any other type."""
    if not (declared.startswith("(") and declared.endswith(")")):
        return None
    return [part for part in split_top_level(declared[1:-1], ",") if part]


def tuple_element(declared: str, member: str) -> str | None:
    """The type of the field ``member`` (``0``, ``1``...) of a :func:`tuple_type`, its element
    (:data:`UNKNOWN_ELEMENT` for one of no known type, or no such element); None when
    ``declared`` is no tuple or ``member`` no index."""
    elements = tuple_elements(declared) if member.isdigit() else None
    if elements is None:
        return None
    index = int(member)
    return elements[index] if index < len(elements) else UNKNOWN_ELEMENT


# Fields a receiver's chain hops through at most (``x.a.b.c.f()``: three).
MAX_FIELD_HOPS = 3


# A declared type a field hop may start from: a dotted name, or the value of a call of one
# (``x = repo.job()``: ``repo.job()``; no operator after it but Go's result ``[n]``, ``_, cm,
# err := p.ReadFrom(b)``: ``p.ReadFrom()[1]``).
_HOP_START = re.compile(r"[^\W\d][\w$]*(?:\.[^\W\d][\w$]*)*(?:\(\)(?:\[\d+\])?)?")


def _hop_start(declared: str, hops: int = 1, *, chained: bool = False) -> bool:
    """Whether a field hop of ``hops`` more fields may start from ``declared``: a
    ``_HOP_START`` type, or (``chained``: tables with ``member_values``) a field hop itself (a
    name bound to a member: ``x = a.b`` is ``"A .b"``) that stays within
    :data:`MAX_FIELD_HOPS` fields."""
    if _HOP_START.fullmatch(declared) is not None:
        return True
    start, step, _ = declared.partition(FIELD_HOP_STEP)
    return (
        chained
        and bool(step)
        and _HOP_START.fullmatch(start) is not None
        and declared.count(FIELD_HOP_STEP) + hops <= MAX_FIELD_HOPS
    )


def tuple_hops(found: str, members: Sequence[str]) -> tuple[str | None, list[str]]:
    """``found`` with the tuple fields that lead ``members`` taken (``(Foo,u8)`` then ``0``,
    ``y``: ``Foo`` then ``y``; :func:`tuple_element`), and the members left; None for an
    element of no known type."""
    rest = list(members)
    while rest:
        element = tuple_element(found, rest[0])
        if element is None:
            break
        if element == UNKNOWN_ELEMENT:
            return None, []
        found, rest = element, rest[1:]
    return found, rest


def _members(dotted: str) -> list[str]:
    """The fields of a chain after its first one (``"a.b"`` -> a, b; ``""`` -> none)."""
    return dotted.split(".") if dotted else []


def argument_parameter(line: int, column: int, argument: int, parameter: int) -> str:
    """The receiver type of parameter ``parameter`` of the function value passed as argument
    ``argument`` of the call whose calls row is at (``line``, ``column``): the CPG types it by
    the ``callback_types`` of what that call resolves to (``12:4(0:1)``)."""
    return f"{line}:{column}({callback_key(argument, parameter)})"


def callback_key(argument: int, parameter: int) -> str:
    """The key of a symbols' ``callback_types`` entry, ``"<argument>:<parameter>"`` (the entry
    is ``"<key> <type>"``), which :func:`argument_parameter` ends with."""
    return f"{argument}:{parameter}"


# The parsers of the formats above, as the CPG reads them: regular expressions for polars'
# ``str.extract`` / ``str.contains`` (Rust's regex syntax, which these share with ``re``).
# A value of a call (a ``receiver_type`` ``Foo()``, ``f().await?``, Go's ``f()[1]`` of
# :func:`result_operator`, an element ``f()[]`` of :data:`ELEMENT_OPERATOR`): group 1 the
# callee, group 2 the operators applied to the value.
CALL_VALUE_PATTERN = rf"^(.+)\(\)((?:{re.escape(AWAIT)}|{re.escape(TRY)}|{re.escape(ENTER)}|{re.escape(READY)}|{re.escape(POINTED)}|\[\d*\])*)$"
# The result operator ``[n]`` of a call value's operators (group 1; no match for the first
# result), before an element's :data:`ELEMENT_OPERATOR`.
RESULT_OPERATOR_PATTERN = rf"(\[\d+\])(?:{re.escape(ELEMENT_OPERATOR)})?$"
# A symbols' ``returns`` value: group 1 the operators (:data:`AWAIT`, :data:`TRY`,
# :data:`READ`), if any, then a space; group 2 the type (several joined by
# :data:`RESULT_SEPARATOR`).
RETURNS_PATTERN = r"^(?:(\S+) )?(\S+)$"
# :func:`argument_parameter`: group 1 the line, group 2 the column, group 3 the
# :func:`callback_key`.
ARGUMENT_PARAMETER_PATTERN = r"^(\d+):(\d+)\((\d+:\d+)\)$"
# :func:`field_hop`: group 1 the type it starts from, group 2 the hops (``" .y .z"``: each a
# :data:`FIELD_HOP_STEP` and a name).
FIELD_HOP_PATTERN = r"^(\S+)((?: \.[^\s.]+)+)$"
# A field hop from :data:`PACKAGE` (a package's variable, ``package_variables``): group 1 the
# variable's name (``x`` or an element's ``x[]``), group 2 the hops after it.
PACKAGE_HOP_PATTERN = rf"^{re.escape(PACKAGE)} \.(\S+?)((?: \.\S+)*)$"
# A symbols' ``fields`` entry (see ``exports_fields``): group 1 the name, group 2 its type (None:
# of no known type).
FIELD_ENTRY_PATTERN = r"^(\S+)(?: (\S+))?$"
# A symbols' ``callback_types`` entry: group 1 its :func:`callback_key`, group 2 the type.
CALLBACK_ENTRY_PATTERN = r"^(\S+) (\S+)$"


# Roles of a query pattern, resolved once per compiled query. In sweep entries, 0 = definition
# and the event roles keep their values; _CALL and _DEF split by which captures the pattern has,
# so the per-match loop never asks a match for a capture its pattern cannot hold.
_DEF, _CALL, _IMPORT, _INHERIT, _EMBED = 0, 1, 2, 3, 4
_CALL_NODE = 5  # a call pattern with @callee (the primary capture is the call node)
_DEF_RECEIVER = 6  # a definition pattern with @receiver (Go methods)
_THIS = 7  # a node with a `this` of its own; sweep entries like definitions (with an end)
_SCOPE = 8  # a lexical scope of declared names (@scope, @scope.class): like _THIS
# A name binding (@declare, @declare.field, @declare.type): an event; with @var.type, with
# @var.value, with both (each pattern's role says which, so the loop asks for no capture it
# cannot hold). Sweep entries are all _DECLARE.
_DECLARE, _DECLARE_TYPED, _DECLARE_VALUE, _DECLARE_BOTH = 9, 10, 11, 12
# Sweep entries of @this nodes sort after every definition of the same range (they have
# order 0 and their seq is offset by this), so the definition owning one is named first.
_THIS_SEQ = 1 << 62
_NO_SYMBOL = ""  # the kind of a Scope placement on the stack of open scopes
_NO_END: Point = (0, 0)  # sweep entries of events (calls, imports, inherits) need no end
_FUNCTION_KINDS = frozenset({"function", "method"})  # the definitions ``Arity`` counts
_NOT_COUNTED: tuple[None, None] = (None, None)  # (parameters, variadic) a table does not count
_CAPTURE = re.compile(r"@([\w.]+)")


@dataclass(frozen=True)
class _Compiled:
    language: Language
    query: Query
    # Per pattern index: (role, argument, primary capture) where role is _DEF or _DEF_RECEIVER
    # (argument = kind), _CALL or _CALL_NODE ("!" for macros), _IMPORT, _INHERIT (argument =
    # relation), _EMBED or _THIS.
    patterns: list[tuple[int, str, str]]
    declares: bool  # whether a pattern is a @declare (calls then get a receiver_type)


def _role_of(capture: str) -> tuple[int, str] | None:
    head, _, tail = capture.partition(".")
    if head == "def":
        if tail not in SYMBOL_KINDS:
            raise ValueError(f"unknown symbol kind in capture @{capture}")
        return (_DEF, tail)
    if head == "call":
        return (_CALL, "!" if tail == "macro" else "")
    if head == "import":
        return (_IMPORT, "")
    if head == "inherit":
        return (_INHERIT, tail)
    if head == "embed":
        return (_EMBED, "")
    if head == "this":
        return (_THIS, "")
    if head == "declare":
        return (_DECLARE, tail)
    if head == "scope":
        return (_SCOPE, tail)
    return None


@cache
def _compile(rules: LanguageRules, variant: str) -> _Compiled:
    """Language and Query are built once per process per (language, grammar variant).

    Each pattern's role is resolved here from its capture names (read from the pattern's own
    source span), so the per-match loop does one list lookup instead of inspecting captures.
    """
    grammar = rules.variants.get(variant, rules.grammar)
    language = Language(grammar())
    query_source = rules.variant_queries.get(variant, rules.query)
    query = Query(language, query_source)
    source = query_source.encode()
    patterns: list[tuple[int, str, str]] = []
    for index in range(query.pattern_count):
        text = source[query.start_byte_for_pattern(index) : query.end_byte_for_pattern(index)]
        captures = _CAPTURE.findall(text.decode())
        primaries = [
            (role, capture) for capture in captures if (role := _role_of(capture)) is not None
        ]
        if len(primaries) != 1:
            raise ValueError(f"pattern {index} of {rules.name} needs exactly one role capture")
        (role, arg), capture = primaries[0]
        if role == _CALL and "callee" in captures:
            role = _CALL_NODE
        elif role == _DEF and "receiver" in captures:
            role = _DEF_RECEIVER
        elif role == _DECLARE:
            if "var" not in captures:
                raise ValueError(f"pattern {index} of {rules.name}: @declare without @var")
            if "var.type" in captures and "var.value" in captures:
                role = _DECLARE_BOTH
            elif "var.type" in captures:
                role = _DECLARE_TYPED
            elif "var.value" in captures:
                role = _DECLARE_VALUE
        patterns.append((role, arg, capture))
    declares = any(role >= _DECLARE for role, _, _ in patterns)
    return _Compiled(language, query, patterns, declares)


def compile_queries(rules: LanguageRules) -> None:
    """Compile a language's queries (every grammar variant) ahead of its first file."""
    for variant in ("", *rules.variants):
        _compile(rules, variant)


_local = threading.local()


def _parser(
    rules: LanguageRules, variant: str, compiled: _Compiled, *, embedded: bool = False
) -> Parser:
    """A Parser is stateful, so one per thread (and per process) per grammar, reused across files.

    Second parses of embedded ranges set ``included_ranges``, so they get their own parser and the
    whole-file parser never carries ranges over to the next file.
    """
    parsers: dict[tuple[str, str, bool], Parser] | None = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    key = (rules.name, variant, embedded)
    parser = parsers.get(key)
    if parser is None:
        parser = parsers[key] = Parser(compiled.language)
    return parser


# In-progress matches a query cursor keeps. A pattern that waits for some child among many
# (`(pair value: (object [(method_definition) ...]))`) keeps one state per enclosing match, which
# is quadratic on 10,000 nested objects; beyond the limit the earliest-started match is dropped.
# Real code stays far below it: the corpora (dagster, tokio, rxjs) never reach it.
MATCH_LIMIT = 256

# Nesting levels of embedded ranges parsed again: `assert_eq!(vec![format!("{}", f(x))], y)`
# needs three. Each level is one parse of at most the file's bytes, so this bounds the extra work.
MAX_EMBED_DEPTH = 6


def _error_nodes(root: Node) -> list[Node]:
    """ERROR and MISSING nodes, walking only subtrees that contain an error (iteratively)."""
    if not root.has_error:
        return []
    found: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            found.append(node)
        stack.extend(child for child in node.children if child.has_error)
    return found


def count_errors(root: Node) -> int:
    """ERROR and MISSING nodes of a tree."""
    return len(_error_nodes(root))


@dataclass(frozen=True)
class _EmbeddedParse:
    """One nesting level of embedded ranges, parsed together as one tree."""

    tree: Tree
    starts: list[int]  # start byte of each parsed range, ascending
    broken: frozenset[int]  # indexes of the ranges that contain an ERROR or MISSING node

    def keeps(self, start_byte: int) -> bool:
        """Whether a node starting at this byte lies in a range that parsed without error."""
        return bisect.bisect_right(self.starts, start_byte) - 1 not in self.broken


def _parse_embedded(
    parser: Parser, source: bytes, ranges: list[EmbeddedRange], separator: bytes
) -> _EmbeddedParse | None:
    """Parse the ranges of one nesting level in one go, each followed by the separator.

    A copy of the source gets the separator written right after each range, and the parser sees
    only the ranges (``included_ranges``), so every node keeps its position in the file and the
    ranges read as consecutive statements. A range with an error inside is dropped as a whole
    (its node text was not code, e.g. ``select! { a = f() => b }``): an error spanning ranges
    drops all of them.
    """
    width = len(separator)
    buffer = bytearray(source)
    buffer += separator  # room for the separator of a range that ends the file
    included: list[Range] = []
    starts: list[int] = []
    last_end = -1
    for start_byte, end_byte, start_point, (end_row, end_column) in sorted(ranges):
        if start_byte < last_end or end_byte <= start_byte:
            continue  # overlapping (cannot happen for disjoint token trees) or empty
        buffer[end_byte : end_byte + width] = separator
        last_end = end_byte + width
        included.append(Range(start_point, (end_row, end_column + width), start_byte, last_end))
        starts.append(start_byte)
    if not included:
        return None
    parser.included_ranges = included
    tree = parser.parse(bytes(buffer))
    broken: set[int] = set()
    for error in _error_nodes(tree.root_node):
        first = bisect.bisect_right(starts, error.start_byte) - 1
        last = bisect.bisect_right(starts, max(error.end_byte - 1, error.start_byte)) - 1
        broken.update(range(max(first, 0), last + 1))
    return _EmbeddedParse(tree=tree, starts=starts, broken=frozenset(broken))


def node_text(node: Node) -> str:
    """A node's source text ("" for a node without one), undecodable bytes replaced."""
    data = node.text
    return data.decode("utf-8", errors="replace") if data is not None else ""


# A call's argument types until the sweep types them (:func:`_walk_arguments`): a plain name's
# entry is the name after this mark (typed by its declarations once every one is known), the
# own instance's is the other mark (typed by the class around the call where the sweep is).
# Neither character starts a type or a name.
_NAME_ARGUMENT, _OWN_ARGUMENT = "\x00", "\x01"
# One walk of a call's argument list: the count; the types (None: the table reads none), as
# the calls' ``argument_types`` text when the arguments alone make them known, else each
# argument's type ("" for none) or mark; the plain names among them; whether one is the own
# instance. (One list per call that has a name or ``this``: its declarations' sweep keeps it.)
_ArgumentWalk = tuple[int | None, str | list[str] | None, Sequence[str], bool]
_NO_NAMES: Sequence[str] = ()
_NO_ARGUMENTS: _ArgumentWalk = (None, None, _NO_NAMES, False)


def _walk_arguments(call: Node, arity: Arity, names: frozenset[str]) -> _ArgumentWalk:
    """The arguments ``call`` passes, in one walk of its argument list (see :class:`Arity`):
    their count, None when its table says none (no argument list) or a spread argument makes it
    unknown; their types where the table reads them (``argument_type``; ``names``: the node
    types of plain names), the plain names among them and whether one is the own instance
    (``own_instance``), as :data:`_ArgumentWalk` holds them."""
    listed = call.child_by_field_name(arity.arguments)
    if listed is None:
        return _NO_ARGUMENTS
    spread, uncounted = arity.spread, arity.uncounted
    read = arity.argument_type
    if read is None:
        count = 0
        for child in listed.named_children:
            kind = child.type
            if kind in spread:
                return _NO_ARGUMENTS
            if kind not in uncounted:
                count += 1
        return count, None, _NO_NAMES, False
    own_instance = arity.own_instance
    types: list[str] = []
    named: list[str] | None = None  # (made for the first plain name)
    own = False
    for child in listed.named_children:
        kind = child.type
        if kind in spread:
            return _NO_ARGUMENTS
        if kind in uncounted:
            continue
        if kind in names:
            if named is None:
                named = []
            name = node_text(child)
            named.append(name)
            types.append(_NAME_ARGUMENT + name)
        elif kind in own_instance:
            own = True
            types.append(_OWN_ARGUMENT)
        else:
            types.append(read(child) or "")
    if named is not None or own:
        return len(types), types, _NO_NAMES if named is None else named, own
    return len(types), TYPE_SEPARATOR.join(types), _NO_NAMES, own


def _written_name_type(declared: str | None) -> str:
    """A plain name's declared type as an argument's (``Arity``): "" when none is known or it
    is a call's value (``f()``, typed where the call is) rather than a written type."""
    if declared is None or "(" in declared or " " in declared or declared == INFERRED:
        return ""
    return declared


def _walk_parameters(
    function: Node, arity: Arity
) -> tuple[tuple[int | None, bool | None], list[str] | None]:
    """The parameters of a function's node, in one walk of its parameter list (see
    :class:`Arity`): (parameters, variadic), its parameters, a variadic one included, and
    whether its last takes any number of arguments ((None, None) when its table says none: no
    parameter list, a Java compact constructor); and each one's written type ("" where
    ``parameter_type`` reads none; None when the table reads none or there is no list)."""
    listed = function.child_by_field_name(arity.parameters)
    if listed is None:
        return _NOT_COUNTED, None
    uncounted, variadic_kinds = arity.uncounted, arity.variadic
    read = arity.parameter_type
    written: list[str] = []
    count = 0
    variadic = False
    for child in listed.named_children:
        kind = child.type
        if kind in uncounted:
            continue
        count += 1
        variadic = kind in variadic_kinds
        if read is not None:
            written.append(read(child) or "")
    return (count, variadic), None if read is None else written


def read_modifiers(definition: Node, modifiers: Modifiers) -> str:
    """The ``modifiers`` keywords (see :class:`Modifiers`) written on ``definition``, sorted and
    joined by a space (``private static``; "" when none is)."""
    keywords = modifiers.keywords
    found: set[str] = set()
    for child in definition.children:
        kind = child.type
        if kind in keywords:
            found.add(kind)
        elif kind in modifiers.holders:
            found.update(word.type for word in child.children if word.type in keywords)
    if modifiers.across_lines:
        found.update(_keywords_before(definition, modifiers))
    return " ".join(sorted(found))


def _keywords_before(definition: Node, modifiers: Modifiers) -> list[str]:
    """The ``across_lines`` keyword written alone right before ``definition`` (comments between
    them allowed; a `;` ends the keyword's field: `static;` is a field named `static`)."""
    previous = definition.prev_sibling
    while previous is not None and previous.type == "comment":
        previous = previous.prev_sibling
    if (
        previous is None
        or previous.type != modifiers.lone_keyword_field
        or previous.child_count != 1
    ):
        return []
    word = (previous.children[0].text or b"").decode()
    return [word] if word in modifiers.across_lines else []


def squeeze(text: str) -> str:
    """Collapse every run of whitespace into one space (callee texts spanning lines)."""
    return " ".join(text.split())


# What a chain written over lines keeps of its line breaks once squeezed (`self .state .load`):
# replaced in this order, by ``_unspaced`` here and by the CPG's matching of call sites.
CHAIN_SPACES = ((" .", "."), (". ", "."))


def _unspaced(callee: str) -> str:
    """``self .state .load`` (a squeezed chain written over lines) -> ``self.state.load``."""
    for spaced, plain in CHAIN_SPACES:
        callee = callee.replace(spaced, plain)
    return callee


def last_identifier(text: str) -> str:
    """`a.b.c` -> "c", `f(x)` -> "x" (the text's last identifier), the text itself when none."""
    if text.isidentifier():
        return text
    tail = text.rpartition(".")[2]  # the common `a.b.c` without a regex
    if tail.isidentifier():
        return tail
    found = _IDENT.findall(text)
    return found[-1] if found else text


# A name (JavaScript's may hold `$`, which str.isidentifier() refuses).
_IDENTIFIER = re.compile(r"(?:[^\W\d]|\$)[\w$]*")


def _is_member(name: str) -> bool:
    """Whether ``name`` may be a field: a name, or a position (Rust's tuple fields, ``self.0``;
    no other language writes a member so)."""
    return name.isidentifier() or name.isdigit() or _IDENTIFIER.fullmatch(name) is not None


# A dotted name as written (`Foo`, `mod.Foo`, `$x`): what a declared type or a constructor names.
_DOTTED = re.compile(r"(?:[^\W\d]|\$)[\w$]*(?:\.(?:[^\W\d]|\$)[\w$]*)*")
_OPENING = "([{<"
_CLOSING_BRACKETS = ")]}>"
# Copies of a declared type followed at most (`a = b`, `b = c`, ...; a cycle stops here too).
_MAX_COPIES = 4


def dotted_name(text: str) -> str | None:
    """``text`` when it is a dotted name (``a.b.C``, whitespace ignored), else None."""
    name = "".join(text.split())
    return name if _DOTTED.fullmatch(name) else None


def called_name(text: str) -> str | None:
    """The callee of a call's text, as a dotted or ``::`` path: ``a.f(x, g(y))`` -> ``a.f``,
    ``Foo::open("(")`` -> ``Foo::open``; None when the text is no call of a path (``f(x)(y)``,
    ``a.b().c()``: the value of another call)."""
    callee = call_head(text)
    if callee is None:
        return None
    callee = "".join(callee.split())
    return callee if _PATH_CALLEE.fullmatch(callee) else None


def call_head(text: str) -> str | None:
    """What a call's text calls, as written: everything before the parenthesis that opens its
    last argument list (string literals skipped: ``f(")")``), None when the text does not end
    with one."""
    text = text.rstrip()
    if not text.endswith(")"):
        return None
    depth = 0
    index = len(text) - 1
    while index >= 0:
        char = text[index]
        if char in "\"'":  # a literal: skip back to its opening quote (not an escaped one)
            index = text.rfind(char, 0, index)
            while index > 0 and text[index - 1] == "\\":
                index = text.rfind(char, 0, index - 1)
            if index < 0:
                return None
        elif char in ")]}":
            depth += 1
        elif char in "([{":
            depth -= 1
            if depth == 0:
                return text[:index]
        index -= 1
    return None


# A callee that names what it calls: a dotted or ``::`` path, a Rust turbofish on the way
# (``Foo::<T>::new``, ``f::<T>``).
_PATH_CALLEE = re.compile(
    r"(?:::)?[^\W\d][\w$]*(?:::<[^()]*>)?(?:(?:\.|::)[^\W\d][\w$]*(?:::<[^()]*>)?)*"
)


def awaited_call(text: str) -> str | None:
    """``await f(x)`` -> ``f().await``: what awaiting the value of calling ``f`` gives (a
    receiver type of the ``returned_type`` convention), None for anything else."""
    if not text.startswith("await"):
        return None
    rest = text[len("await") :]
    if not rest[:1].isspace() and not rest.startswith("("):
        return None
    callee = called_name(rest)
    return None if callee is None else f"{callee}(){AWAIT}"


def split_top_level(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside brackets (``A[B, C] | D`` at ``|``: two parts);
    an arrow ``=>`` closes nothing."""
    parts: list[str] = []
    depth = start = 0
    for index, char in enumerate(text):
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING_BRACKETS and not (char == ">" and text[index - 1 : index] == "="):
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def type_arguments(text: str) -> tuple[str, list[str] | None]:
    """``Foo[A, B]`` / ``Foo<A>`` -> (``Foo``, [``A``, ``B``]); a text without type arguments
    -> (the text, None)."""
    for opening, closing in (("[", "]"), ("<", ">")):
        index = text.find(opening)
        if index > 0 and text.endswith(closing):
            return text[:index], split_top_level(text[index + 1 : -1], ",")
    return text, None


# Column names of each row family, in schema order (``schemas.extracted_schema`` of the tables).
FAMILY_COLUMNS: dict[str, tuple[str, ...]] = {
    "symbols": (
        "language",
        "path",
        "kind",
        "name",
        "qualified_name",
        "parent",
        "start_line",
        "start_column",
        "end_line",
        "end_column",
        "returns",
        "callback_types",
        "fields",
        "parameters",
        "variadic",
        "parameter_types",
        "modifiers",
    ),
    "imports": ("language", "path", "module", "name", "alias", "enclosing", "line", "exported"),
    "calls": (
        "language",
        "path",
        "callee",
        "callee_name",
        "enclosing",
        "this_symbol",
        "receiver_type",
        "receiver_local",
        "arguments",
        "argument_types",
        "line",
        "column",
    ),
    "inherits": ("language", "path", "child", "parent", "relation", "line"),
}

Columns = dict[str, list[object]]  # column name -> values, one per row


@dataclass(frozen=True)
class ColumnExtraction:
    """What :class:`FileExtraction` holds, by column: ``families[family][column]`` is a list with
    one value per row, columns in :data:`FAMILY_COLUMNS` order, every family present (possibly
    with no rows). Rows are in the same order as ``FileExtraction``'s."""

    families: dict[str, Columns]
    error_count: int  # number of ERROR and MISSING nodes in the tree

    def rows(self, family: str) -> list[Row]:
        """One dict per row, keys in column order."""
        return _ROW_BUILDERS[family](self.families[family])

    def to_rows(self) -> FileExtraction:
        return FileExtraction(
            symbols=self.rows("symbols"),
            imports=self.rows("imports"),
            calls=self.rows("calls"),
            inherits=self.rows("inherits"),
            error_count=self.error_count,
        )


# Row dicts from columns, one builder per family: a dict display with literal keys is about three
# times faster than dict(zip(names, values)), and the row API is what most callers use.
def _symbol_rows(c: Columns) -> list[Row]:
    return [
        {
            "language": language,
            "path": path,
            "kind": kind,
            "name": name,
            "qualified_name": qualified_name,
            "parent": parent,
            "start_line": start_line,
            "start_column": start_column,
            "end_line": end_line,
            "end_column": end_column,
            "returns": returns,
            "callback_types": callback_types,
            "fields": fields,
            "parameters": parameters,
            "variadic": variadic,
            "parameter_types": parameter_types,
            "modifiers": modifiers,
        }
        for (
            language,
            path,
            kind,
            name,
            qualified_name,
            parent,
            start_line,
            start_column,
            end_line,
            end_column,
            returns,
            callback_types,
            fields,
            parameters,
            variadic,
            parameter_types,
            modifiers,
        ) in zip(*c.values(), strict=True)
    ]


def _import_rows(c: Columns) -> list[Row]:
    return [
        {
            "language": language,
            "path": path,
            "module": module,
            "name": name,
            "alias": alias,
            "enclosing": enclosing,
            "line": line,
            "exported": exported,
        }
        for language, path, module, name, alias, enclosing, line, exported in zip(
            *c.values(), strict=True
        )
    ]


def _call_rows(c: Columns) -> list[Row]:
    return [
        {
            "language": language,
            "path": path,
            "callee": callee,
            "callee_name": callee_name,
            "enclosing": enclosing,
            "this_symbol": this_symbol,
            "receiver_type": receiver_type,
            "receiver_local": receiver_local,
            "arguments": arguments,
            "argument_types": argument_types,
            "line": line,
            "column": column,
        }
        for (
            language,
            path,
            callee,
            callee_name,
            enclosing,
            this_symbol,
            receiver_type,
            receiver_local,
            arguments,
            argument_types,
            line,
            column,
        ) in zip(*c.values(), strict=True)
    ]


def _inherit_rows(c: Columns) -> list[Row]:
    return [
        {
            "language": language,
            "path": path,
            "child": child,
            "parent": parent,
            "relation": relation,
            "line": line,
        }
        for language, path, child, parent, relation, line in zip(*c.values(), strict=True)
    ]


_ROW_BUILDERS: dict[str, Callable[[Columns], list[Row]]] = {
    "symbols": _symbol_rows,
    "imports": _import_rows,
    "calls": _call_rows,
    "inherits": _inherit_rows,
}


# A sweep entry: (start, order, -end, seq, tag, payload, extra), see extract_columns.
_Entry = tuple[Point, int, Point, int, int, object, object]
# A lexical scope of declared names: the range of its @scope node, None for the module.
_ScopeKey = tuple[Point, Point] | str | None  # a named class scope (@type) is keyed by its name
# What a binding says about its name's type, by the nodes of its @declare match: an annotation
# (the @var.type node and the binding of its @var.value or None, then (those, the scopes where
# the binding is, innermost first)), a constructor (the node naming the type, and the suffix the
# column gets), a copy of another name's type (the @var.value name node, then (that node, the
# scopes where the binding is)), or nothing known.
_ANNOTATED, _CONSTRUCTED, _COPIED, _UNKNOWN_TYPE = 0, 1, 2, 3
# A definition's own name (`def x():`, `class x:`, @declare.outer): no instance of a declared
# type, whatever an annotation of the same name says.
_DEFINED = 4
# An untyped parameter of a function value passed to a call (the table's ``contextual_type``
# reads its @var node only when a receiver needs it).
_CONTEXTUAL = 5
# An element of a name's container (``element_type``): a range variable over it
# (``@declare.element``), an index expression of it (``element_values``); the name node, then
# (that node, the scopes where the binding is).
_ELEMENT = 6
# A copy of the own instance (JavaScript/TypeScript ``const self = this``): the class whose
# instance ``this`` is where the binding is (the sweep names it: a _NAMED binding, its
# qualified name as the payload).
_OWN_INSTANCE, _NAMED = 7, 8
# An element of a field of the own instance (JavaScript/TypeScript ``for (const x of this.xs)``):
# the field's name node, then (its name, the class scope of ``this`` where the binding is).
_INSTANCE_ELEMENT = 9
# A copy of a field of the own instance (JavaScript/TypeScript ``const x = this.y``): the
# field's name node, then (its name, the class scope of ``this`` where the binding is, the
# field hop that types it when the file binds no ``this.y``, or None): what ``this.y.f()``'s
# receiver would be there.
_INSTANCE_COPY = 10
# A copy of a field of a plain name (JavaScript/TypeScript ``const x = y.z``, ``const { z } =
# y``): the name and field nodes, then ((their texts), the scopes where the binding is): what
# ``y.z.f()``'s receiver would be there (the file's field of y's type, else a field hop).
_MEMBER_COPY = 11
# A member of a name or of the own instance as a value (``member_values``: Python ``x = a.b``,
# ``x = self.b.c``): the value node, then the receiver it would be (how, name, member, where:
# the scopes, or the own class scope), typed as a call's receiver ``a.b`` is.
_MEMBER = 12
# A subscript of a name's container as a value (``x = d[k]``, tables with an ``index_type``): the
# name node, then (that node, the scopes where the binding is), as _ELEMENT.
_INDEXED = 13
# The content of a place's declared wrapper (``content_place``: ``Some(x) = self.a``, ``let x =
# a.take().unwrap()``, ``let x = a.lock()``): (the place's text, how its content is taken, the
# binding the value has as written, or _UNKNOWN), then (those, the scopes where the binding is,
# the class scope of the own instance for a ``self.a``, where the binding is written):
# ``content_type`` of the place's annotations, else the value as written.
_CONTENT = 14
# A field of an enum variant a pattern binds (``variant_field``: ``IoStack::Enabled(v)``):
# (the variant's path, the field's name), then (the named class scope ``Enum::Variant``, the
# field's name), ``Self::`` replaced by the type of the class scope around.
_VARIANT = 15
_Binding = tuple[int, object]
# Where a binding of a scope with blocks holds (_Declarations.blocks), besides a block's range:
# the whole scope (a parameter, a `var`), or wherever the name is declared (an assignment).
_WHOLE_SCOPE, _ASSIGNED = "scope", "assigned"
_BLOCK = "block"  # a binding held in its block (declaration_reach); an @scope.block's marker
_NOWHERE = "none"  # a @declare that binds nothing (declaration_reach)
_UNKNOWN: _Binding = (_UNKNOWN_TYPE, None)
_Chain = tuple[_ScopeKey, ...]


class _FieldScopes(tuple[_ScopeKey, ...]):
    """The scopes around a field's declaration (the chain of its ``_ANNOTATED`` binding): a type
    parameter of the struct there (``struct W<T: A> { inner: T }``) stands for the instance's
    type argument (``W<Concrete>``: Concrete's methods), so no bound of it types the field
    (``_Declarations.instance_field_bound``: ``self.inner`` in ``impl<T: A> W<T>``)."""

    __slots__ = ()


# A function's ``callback_types`` entries as the table gives them: (k, j, type).
_Callbacks = list[tuple[int, int, str]]


@dataclass
class _Declarations:
    """The bindings of one file: plain names by (scope, name), fields by (class scope, name),
    type parameters by (scope, name). Texts are read and types normalized only for the names
    some call's receiver needs."""

    declared_type: Callable[[str], str | None] | None
    constructed_type: Callable[[str], str | None]
    contextual_type: Callable[[Node], str | None] | None = None
    element_type: Callable[[str], str | None] | None = None
    contextual_element: Callable[[Node], str | None] | None = None
    index_type: Callable[[str], str | None] | None = None
    content_type: Callable[[str, str, Mapping[str, str]], str | None] | None = None
    # the names the file's imports bind -> the paths they name (``content_type``'s; set once
    # the imports are read, before the receivers are typed)
    imported_paths: Mapping[str, str] = field(default_factory=dict)
    shadowing_lets: bool = False  # ``LanguageRules.shadowing_lets``
    # an element of a name no scope binds (tables with ``package_variables``, set before the
    # receivers are typed): the package's variable's, ``"<package> .xs[]"``; None: no element
    package_element: Callable[[str], str | None] | None = None
    # the type of a ``_MEMBER`` binding's receiver (how, name, member, where) at a depth of
    # copies (set before the receivers are typed, ``member_values``)
    member_receiver_type: Callable[[tuple[int, str, str, object], int], str | None] | None = None
    names: dict[tuple[_ScopeKey, str], list[_Binding]] = field(default_factory=dict)
    fields: dict[tuple[_ScopeKey, str], list[_Binding]] = field(default_factory=dict)
    type_parameters: set[tuple[_ScopeKey, str]] = field(default_factory=set)
    type_parameter_names: set[str] = field(default_factory=set)  # (of any scope)
    # the written trait bounds of a scope's type parameter (``@declare.bound``)
    type_parameter_bounds: dict[tuple[_ScopeKey, str], list[Node]] = field(default_factory=dict)
    # agreed() of a binding list, by the list's id: receivers are resolved after every binding
    # is collected, and many calls share one name's bindings (`buf.a(); buf.b()`)
    _agreed: dict[int, str | None] = field(default_factory=dict)
    # name_type() of a block-scoped name's bindings (by the list's id) seen from inside a block
    # (the innermost around, or None: outside all of them), as _agreed
    _agreed_in_block: dict[tuple[int, object], str | None] = field(default_factory=dict)
    # where each binding of ``names`` holds (same order), for the names with a block-scoped
    # one (JavaScript/TypeScript ``let``/``const``): the block's range, _WHOLE_SCOPE or _ASSIGNED
    blocks: dict[tuple[_ScopeKey, str], list[object]] = field(default_factory=dict)
    block_scoped: set[tuple[_ScopeKey, str]] = field(default_factory=set)  # with a block's one
    # the bindings of a definition or a module (``LanguageRules.binds_definition``): the name in
    # its scope, where the binding holds (its block's range, _WHOLE_SCOPE; ``blocks``)
    binds_definitions: set[tuple[tuple[_ScopeKey, str], object]] = field(default_factory=set)
    # the bindings of a definition's own name (a function's, which rule 2 finds by its name;
    # a named function expression's in itself where the expression is a symbol), as
    # ``binds_definitions``: a value for a member call's receiver, not for a call of the name
    binds_functions: set[tuple[tuple[_ScopeKey, str], object]] = field(default_factory=set)

    def name_type(
        self, name: str, chain: _Chain, depth: int = 0, at: Point | None = None
    ) -> str | None:
        """The type ``name`` is declared with in the innermost scope of ``chain`` binding it
        (seen from ``at``: a block's declarations hold inside it only, and shadow the scope's
        others there; assignments count everywhere). A scope that only assigns the name (``x =
        null`` in a callback, JavaScript/TypeScript) declares nothing: its assignments join the
        bindings of the scope around that declares it (whose annotation holds over them). A
        field of a name, ``x.y`` (a copied value in tables whose ``value_names`` hold field
        selections, Go), is the field ``y`` of the named class scopes of ``x``'s type."""
        if "." in name:
            bindings = self._field_bindings(name, chain, depth)
            return None if bindings is None else self.agreed(bindings, depth + 1)
        assigned: list[_Binding] = []
        first_assigned: list[_Binding] | None = None
        names, blocks = self.names, self.blocks
        for scope in chain:
            key = (scope, name)  # (one key per scope: hashing it is most of a lookup)
            bindings = names.get(key)
            if bindings is None:
                continue
            held = blocks.get(key)
            if held is not None and held[0] == _ASSIGNED and all(b == _ASSIGNED for b in held):
                if first_assigned is None:
                    first_assigned = bindings
                assigned.extend(bindings)
                continue
            if at is None or held is None or key not in self.block_scoped:
                if assigned:  # a new list: not memoized by id like the scope's own
                    return self._agreed_uncached(bindings + assigned, depth)
                return self.agreed(bindings, depth)
            inner = _innermost_block(held, at)
            memo_key = (id(bindings), inner)
            if not assigned and depth == 0 and memo_key in self._agreed_in_block:
                return self._agreed_in_block[memo_key]
            seen = _held_in(bindings, held, inner)
            if seen:  # a new list each time: memoized by the scope's own list and the block
                found = self._agreed_uncached(seen + assigned, depth)
                if not assigned and depth == 0:
                    self._agreed_in_block[memo_key] = found
                return found
            # only blocks elsewhere declare it: the scope around's
        # declared nowhere around (an implicit global): the innermost assignments, as written
        return None if first_assigned is None else self.agreed(first_assigned, depth)

    def bindings_at(self, key: tuple[_ScopeKey, str], at: Point | None) -> list[_Binding] | None:
        """The bindings of a name in a scope (``key``) that hold at ``at`` (as :meth:`name_type`
        reads them: the innermost block's around it, else the scope's own; all of them where
        no block binds the name or no position is known); None where only blocks elsewhere
        bind it."""
        bindings = self.names.get(key)
        held = self.blocks.get(key)
        if bindings is None or at is None or held is None or key not in self.block_scoped:
            return bindings
        return _held_in(bindings, held, _innermost_block(held, at)) or None

    def binds(self, name: str, chain: _Chain, at: Point | None = None) -> bool:
        """Whether a scope of ``chain`` binds the plain name ``name`` (typed or not; where
        ``at`` is, as :meth:`bindings_at` reads it: Go's `x.f()` before `x := ...` is the
        package's variable's)."""
        return any(self.bindings_at((scope, name), at) is not None for scope in chain)

    def binds_value(self, name: str, chain: _Chain, at: Point, *, called: bool = False) -> bool:
        """Whether the innermost scope of ``chain`` binding the plain name ``name`` where
        ``at`` is (as :meth:`name_type` finds it: a block's declarations there, else the
        scope's own; a scope that only assigns it binds nothing) is a function around ``at``,
        or a block around it (at the top level too: ``for (const x of xs)``, ``catch (e)``),
        that binds it to a value (a parameter, a local variable, a loop or ``catch`` variable,
        a destructured name): no module's variable, nor a binding there of a definition or a
        module (``binds_definitions``: another block's of the name may be a value's); ``called``
        (a call of the name itself, ``f()``): nor of a function (``binds_functions``)."""
        names, blocks = self.names, self.blocks
        for scope in chain:
            key = (scope, name)
            if key not in names:
                continue
            held = blocks.get(key)
            inner = None
            if key in self.block_scoped and held is not None:
                inner = _innermost_block(held, at)
            here = inner if inner is not None else _WHOLE_SCOPE
            if held is not None and all(block != here for block in held):
                continue  # assigned only, or declared in other blocks: the scope around's
            value_bound = (key, here) not in self.binds_definitions and not (
                called and (key, here) in self.binds_functions
            )
            return (scope is not None or inner is not None) and value_bound
        return False

    def _field_bindings(self, name: str, chain: _Chain, depth: int) -> list[_Binding] | None:
        """The bindings of the field ``y`` of ``x.y`` in the named class scopes of the type
        ``x`` is declared with (one hop); None when there are none."""
        head, _, member = name.partition(".")
        if "." in member or depth >= _MAX_COPIES:
            return None
        declared = self.name_type(head, chain, depth + 1)
        return None if declared is None else self.fields.get((declared, member))

    def element_of(
        self,
        name: str,
        chain: _Chain,
        depth: int = 0,
        *,
        indexed: bool = False,
        at: Point | None = None,
    ) -> str | None:
        """The element type of the container ``name`` (or field ``x.y``) is declared with in the
        innermost scope of ``chain`` binding it (``element_type`` of its annotations when it has
        any, else of the composite literals or copies it is bound to, all agreeing; seen from
        ``at``, as :meth:`bindings_at` reads them); None otherwise."""
        if self.element_type is None:
            return None
        for scope in chain if "." not in name else (None,):
            bindings = (
                self.bindings_at((scope, name), at)
                if "." not in name
                else self._field_bindings(name, chain, depth)
            )
            if bindings is None:
                continue
            return self._element_of_bindings(bindings, depth, indexed=indexed)
        if self.package_element is not None and "." not in name:
            # `so, ok := sockOpts[k]`, `for _, so := range sockOpts` with `var sockOpts` in
            # another file of the package
            return self.package_element(name)
        return None

    def variant_fields(self, variant: str, member: str) -> list[_Binding] | None:
        """The bindings of the field ``member`` of an enum variant's named class scope
        ``variant`` (``IoStack::Enabled``); of ``*::Idle`` (a variant named alone that no glob
        import of an enum brings): the file's tuple struct ``Idle``, else its one enum variant
        ``Idle``."""
        any_enum, separator, name = variant.partition("::")
        if any_enum != "*" or not separator:
            return self.fields.get((variant, member))
        if (name, member) in self.fields:
            return self.fields[(name, member)]
        suffix = f"::{name}"
        found = [
            bindings
            for (scope, field_name), bindings in self.fields.items()
            if field_name == member and isinstance(scope, str) and scope.endswith(suffix)
        ]
        return found[0] if len(found) == 1 else None

    def content_of(
        self,
        place: str,
        how: str,
        chain: _Chain,
        owner: _ScopeKey | None,
        depth: int,
        at: Point | None = None,
    ) -> str | None:
        """The content type (``content_type``, taken ``how``) the place's annotations agree on:
        the field ``place`` of the own instance's class scope ``owner`` (``self.a``: ``a``), else
        a field ``x.y`` of a name's type, else a plain name in the innermost scope of
        ``chain`` binding it (its bindings seen from ``at``, :meth:`bindings_at`, where lets
        shadow); None when one is not annotated (``let v = v.map(..)`` rebinds a
        ``v: Option<Foo>``: ``_rebound``) or none with a wrapper (a content of a type
        parameter too)."""
        if self.content_type is None or depth >= _MAX_COPIES:
            return None
        if owner is not None:
            bindings = self.fields.get((owner, place))
        elif "." in place:
            bindings = self._field_bindings(place, chain, depth)
        else:
            seen = at if self.shadowing_lets else None  # (Rust: the `let`s before it)
            bindings = next(
                (
                    held
                    for scope in chain
                    if (scope, place) in self.names
                    and (held := self.bindings_at((scope, place), seen)) is not None
                ),
                None,
            )
        if bindings and all(binding[0] == _VARIANT for binding in bindings):
            # `Idle(ref mut buf_cell)`: the variant's field's declaration
            declared: list[_Binding] = []
            for _, payload in bindings:
                variant, member = cast(tuple[str, str], payload)
                declared.extend(self.variant_fields(variant, member) or [_UNKNOWN])
            bindings = declared
        if not bindings or _rebound(bindings):
            return None
        found: set[str | None] = set()
        for _, payload in bindings:
            (node, _), where = cast(tuple[tuple[Node, _Binding | None], _Chain], payload)
            content = self.content_type(node_text(node), how, self.imported_paths)
            if content and self.is_type_parameter(content, where):
                content = None
            found.add(content)
        return found.pop() if len(found) == 1 else None

    def member_type(self, head: str, member: str, chain: _Chain, depth: int) -> str | None:
        """The type of the field ``member`` of the name ``head`` in the innermost scope of
        ``chain`` binding it, as a receiver ``head.member.f()`` is typed: the field the file
        declares for ``head``'s type, else a field hop from that type (``"Foo .member"``)."""
        declared = self.name_type(head, chain, depth)
        if declared is None:
            return None
        bindings = self.fields.get((declared, member))
        if bindings is not None:
            return self.agreed(bindings, depth + 1)
        return field_hop(declared, member) if _hop_start(declared) else None

    def instance_element(
        self, member: str, owner: _ScopeKey, *, indexed: bool = False
    ) -> str | None:
        """The element type of the container the field ``member`` of the class scope ``owner``
        is declared with (its bindings in the file, as :meth:`element_of` reads a name's;
        ``indexed``: a subscript's value, ``index_type``'s where the table has one)."""
        bindings = self.fields.get((owner, member))
        return None if bindings is None else self._element_of_bindings(bindings, 0, indexed=indexed)

    def _element_of_bindings(
        self, bindings: list[_Binding], depth: int, *, indexed: bool = False
    ) -> str | None:
        """The one element type a name's (or field's) bindings agree on (``indexed``: the type
        of a subscript's value, ``index_type``'s where the table has one); None otherwise."""
        if self.element_type is None:
            return None
        element_type = (
            self.index_type if indexed and self.index_type is not None else self.element_type
        )
        if any(how == _ANNOTATED for how, _ in bindings):
            bindings = [binding for binding in bindings if binding[0] == _ANNOTATED]
        found: set[str | None] = set()
        for how, payload in bindings:
            if how == _ANNOTATED:
                (node, _), where = cast(tuple[tuple[Node, _Binding | None], _Chain], payload)
                element = element_type(node_text(node))
                if element and self.is_type_parameter(element, where):
                    element = None
                found.add(element)
            elif how == _CONSTRUCTED:
                made, suffix = cast(tuple[Node, str], payload)
                element = element_type(node_text(made)) if suffix == "" else None
                if element is None:  # a call's value: its element (`f()[]`), for the CPG
                    value = self.constructed_type(node_text(made))
                    if value is not None and value.endswith("()"):
                        element = value + suffix + ELEMENT_OPERATOR
                found.add(element)
            elif how == _COPIED and depth < _MAX_COPIES:
                copied, where = cast(tuple[Node, _Chain], payload)
                at = copied.start_point if self.shadowing_lets else None  # (as name_type's)
                found.add(
                    self.element_of(node_text(copied), where, depth + 1, indexed=indexed, at=at)
                )
            elif how == _CONTEXTUAL and self.contextual_element is not None:
                found.add(self.contextual_element(cast(Node, payload)))
            else:
                return None
            if None in found or len(found) > 1:
                return None
        return found.pop() if found else None

    def _annotation(self, node: Node, chain: _Chain, *, bounded: bool = True) -> str | None:
        """The type an annotation declares; when its first segment is a type parameter where it
        is written, the one trait bounding it (``bounded``, see ``bound_of``), else None."""
        if self.declared_type is None:
            return None
        declared = self.declared_type(node_text(node))
        if declared and self.is_type_parameter(declared, chain):
            if not bounded or isinstance(chain, _FieldScopes):
                return None
            return self.bound_of(declared, chain)
        return declared

    def bound_of(self, name: str, chain: _Chain) -> str | None:
        """The one trait bounding the type parameter ``name`` (a plain name) where ``chain`` is:
        its bounds (``@declare.bound``) in the scopes of ``chain`` up to the innermost one
        declaring it, that scope's generics and ``where`` clause and those of the scopes inside
        it (a method's ``where T: B`` on its impl's ``T``), each list split at ``+``, its bounds
        read by ``declared_type`` (a marker or a lifetime, ``Send``, ``?Sized``, ``'a``, reads as
        no type: left out). None when they name no trait or several (``T: A + B``, ``T: A``
        with ``where T: B``), or one of no named type (``F: Fn(u8)``), when no scope of
        ``chain`` declares ``name``, or for a path (``T::Item``)."""
        declared_type = self.declared_type
        if not self.type_parameter_bounds or declared_type is None or not name.isidentifier():
            return None
        traits: set[str] = set()
        for scope in chain:
            for bounds in self.type_parameter_bounds.get((scope, name), ()):
                for written in split_top_level(node_text(bounds).removeprefix(":"), "+"):
                    bound = written.strip()
                    trait = declared_type(bound)
                    if trait is not None:
                        traits.add(trait)
                    elif not (bound.startswith(("'", "?")) or _PATH_TEXT.fullmatch(bound)):
                        return None  # a trait of no one named type (`Fn(u8) -> u8`)
            if (scope, name) in self.type_parameters:
                return traits.pop() if len(traits) == 1 else None
        return None

    def instance_field_bound(self, bindings: list[_Binding], chain: _Chain) -> str | None:
        """The one trait bounding the type parameter a field is declared with (``inner: T`` in
        ``struct W<T: A>``: ``bindings``, the field's) where ``chain`` is, a method of an impl
        declaring a type parameter of that name (``impl<T: A> W<T>``, see ``bound_of``); None
        otherwise (``impl W<Concrete>``: no scope there declares ``T``)."""
        if len(bindings) != 1 or bindings[0][0] != _ANNOTATED or self.declared_type is None:
            return None
        (node, _), where = cast(tuple[tuple[Node, _Binding | None], _Chain], bindings[0][1])
        declared = self.declared_type(node_text(node))
        if declared is None or not self.is_type_parameter(declared, where):
            return None
        return self.bound_of(declared, chain)

    def is_type_parameter(
        self, type_name: str, where: _Chain, *, own: tuple[Point, Point] | None = None
    ) -> bool:
        """Whether the first segment of ``type_name`` is a type parameter (``@declare.type``)
        of one of the scopes ``where`` it is written (``T`` in ``fn get<T>() -> T``), or of the
        function spanning ``own`` around them (a parameter's type: no chain built for it):
        then it names no type of its own."""
        if not self.type_parameters:  # (most files of most languages: no regex match)
            return False
        head = _SEGMENT.match(type_name)
        if head is None:
            return False
        name = head.group()
        if name not in self.type_parameter_names:
            return False
        type_parameters = self.type_parameters
        return (own is not None and (own, name) in type_parameters) or any(
            (scope, name) in type_parameters for scope in where
        )

    def agreed(self, bindings: list[_Binding] | None, depth: int = 0) -> str | None:
        """The one type of a name's bindings in one scope: its annotations' when it has any and
        they agree, else its values' when all are known and agree; else None."""
        if not bindings:
            return None
        if depth == 0:
            key = id(bindings)
            if key in self._agreed:
                return self._agreed[key]
            found = self._agreed[key] = self._agreed_uncached(bindings, depth)
            return found
        return self._agreed_uncached(bindings, depth)

    def _agreed_uncached(self, bindings: list[_Binding], depth: int) -> str | None:
        values = bindings
        if any(how == _ANNOTATED for how, _ in bindings):
            annotations: set[str | None] = set()
            values = []
            rebound = _rebound(bindings)  # no trait bound of B's for a `buf: &mut B`
            for how, payload in bindings:
                if how != _ANNOTATED:
                    values.append((how, payload))
                    continue
                (node, value), chain = cast(tuple[tuple[Node, _Binding | None], _Chain], payload)
                declared = self._annotation(node, chain, bounded=not rebound)
                if declared == INFERRED:  # Java `var x = ...`: the value's type
                    values.append(value or _UNKNOWN)
                else:
                    annotations.add(declared)
            if annotations:
                if len(annotations) != 1:
                    return None
                annotated = annotations.pop()
                # a definition (`def x():`) rebinds the name to no instance at all; any other
                # value is held to the declaration, as a type checker holds it (`x = make()`,
                # `x = Sub()`; `tempfile.TemporaryFile()` for a `BinaryIO`)
                if any(how == _DEFINED for how, _ in values):
                    return None
                # (Rust: a `let` of the name is a new variable shadowing the annotated one, a
                # parameter, with its own type: one type only where the two agree)
                if (
                    values
                    and self.shadowing_lets
                    and depth < _MAX_COPIES
                    and self._agreed_uncached(values, depth + 1) != annotated
                ):
                    return None
                return annotated
        found: set[str | None] = set()
        for how, payload in values:
            if how == _CONSTRUCTED:
                made, suffix = cast(tuple[Node, str], payload)
                name = self.constructed_type(node_text(made))
                if suffix.startswith("[") and not (name or "").endswith("()"):
                    name = None  # another result of no call (`v, ok := m[k]`): a bool
                if suffix == TRY and not (name or "").endswith((")", TRY, AWAIT, READY)):
                    name = None  # a pattern's content of no call's value (`Some(x) = Foo {}`)
                found.add(None if name is None else name + suffix)
            elif how == _VARIANT:
                variant, member = cast(tuple[str, str], payload)
                found.add(self.agreed(self.variant_fields(variant, member), depth + 1))
            elif how == _CONTENT:
                place, how_taken, written, chain, owner, at = cast(
                    tuple[str, str, _Binding, _Chain, _ScopeKey | None, Point], payload
                )
                content = self.content_of(place, how_taken, chain, owner, depth + 1, at)
                if content is None and written != _UNKNOWN:
                    content = self._agreed_uncached([written], depth + 1)
                found.add(content)
            elif how == _COPIED and depth < _MAX_COPIES:
                copied, chain = cast(tuple[Node, _Chain], payload)
                # (Rust: the name as the `let`s before the copy bind it, `let a = x`)
                at = copied.start_point if self.shadowing_lets else None
                found.add(self.name_type(node_text(copied), chain, depth + 1, at=at))
            elif how == _CONTEXTUAL and self.contextual_type is not None:
                found.add(self.contextual_type(cast(Node, payload)))
            elif how in (_ELEMENT, _INDEXED) and depth < _MAX_COPIES:
                container, chain = cast(tuple[Node, _Chain], payload)
                indexed = how == _INDEXED
                at = container.start_point if self.shadowing_lets else None  # (as a copy's)
                found.add(
                    self.element_of(node_text(container), chain, depth + 1, indexed=indexed, at=at)
                )
            elif how == _INSTANCE_ELEMENT:
                member, owner = cast(tuple[str, _ScopeKey], payload)
                found.add(self.instance_element(member, owner))
            elif how == _MEMBER_COPY and depth < _MAX_COPIES:
                (head, member), chain = cast(tuple[tuple[str, str], _Chain], payload)
                found.add(self.member_type(head, member, chain, depth + 1))
            elif how == _INSTANCE_COPY and depth < _MAX_COPIES:
                member, owner, hop = cast(tuple[str, _ScopeKey, str | None], payload)
                copied = self.fields.get((owner, member))
                found.add(hop if copied is None else self.agreed(copied, depth + 1))
            elif how == _NAMED:
                found.add(cast(str, payload))
            elif how == _MEMBER and depth < _MAX_COPIES and self.member_receiver_type is not None:
                _, receiver = cast(tuple[Node, tuple[int, str, str, object]], payload)
                found.add(self.member_receiver_type(receiver, depth + 1))
            else:
                return None
            if None in found or len(found) > 1:
                return None
        return found.pop() if found else None


_CALL_VALUE = re.compile(CALL_VALUE_PATTERN)


def _innermost_block(held: list[object], at: Point) -> object:
    """The innermost of the blocks (ranges) of ``held`` around ``at`` (blocks nest: the latest
    start), None when none is."""
    around = [block for block in held if isinstance(block, tuple) and block[0] <= at < block[1]]
    return max(around) if around else None


def _held_in(bindings: list[_Binding], held: list[object], inner: object) -> list[_Binding]:
    """The bindings (``held``: where each holds) that hold in the block ``inner``, or in the
    whole scope when None, and the assignments."""
    return [
        binding
        for binding, block in zip(bindings, held, strict=True)
        if block == _ASSIGNED or (block == inner if inner is not None else block == _WHOLE_SCOPE)
    ]


def _pointee_view(declarations: _Declarations, pointee_text: Callable[[str], str]) -> _Declarations:
    """The file's declarations with each written type read as what its pointers point to
    (``pointee_text``: ``NonNull<Foo>`` a ``Foo``, also inside an ``Option``), for the places
    of a pointer's steps (``p.as_ref().f()``); no call's value is rewritten (its type is the
    same in both)."""
    declared_type, content_type = declarations.declared_type, declarations.content_type

    def pointee_declared(text: str) -> str | None:
        return cast(Callable[[str], str | None], declared_type)(pointee_text(text))

    def pointee_content(text: str, how: str, imported: Mapping[str, str]) -> str | None:
        content = cast(Callable[[str, str, Mapping[str, str]], str | None], content_type)
        return content(pointee_text(text), how, imported)

    return replace(
        declarations,
        declared_type=None if declared_type is None else pointee_declared,
        content_type=None if content_type is None else pointee_content,
        _agreed={},
        _agreed_in_block={},
    )


def _imported_paths(imports: Columns, separator: str) -> dict[str, str]:
    """The names a file's imports bind (an alias, else the name; no glob) -> the path each
    names (``use crate::loom::sync::{Arc, Mutex}``: ``Mutex`` -> ``crate::loom::sync::Mutex``);
    a name two imports bind to two paths (in two modules of the file) is left out."""
    paths: dict[str, str | None] = {}
    for module, name, alias in zip(
        imports["module"], imports["name"], imports["alias"], strict=True
    ):
        if name == "*" or not isinstance(name, str):
            continue
        path = name if not module else f"{module}{separator}{name}"
        bound = cast(str, alias or name)
        paths[bound] = path if paths.get(bound, path) == path else None
    return {bound: path for bound, path in paths.items() if path is not None}


def _rebound(bindings: list[_Binding]) -> bool:
    """Whether a name declared with a type is also bound without one in its scope: a parameter
    ``buf: &mut B`` or ``v: Option<Foo>`` rebound by a ``let buf = ..``, ``let v = v.map(..)``
    (Rust: a new variable, maybe in a block, which the scopes do not tell apart): what the
    annotation says beyond its type (a trait bound of ``B``, the content of the ``Option``)
    holds for neither."""
    return any(how != _ANNOTATED for how, _ in bindings)


def _package_element(name: str, *, imported: frozenset[str]) -> str | None:
    """An element of the package's variable ``name`` (``package_variables``): a field hop from
    :data:`PACKAGE` (``"<package> .xs[]"``); None for a name an import of the file binds."""
    return None if name in imported else field_hop(PACKAGE, f"{name}{ELEMENT_OPERATOR}")


def _export_fields(
    symbols: Columns,
    declarations: _Declarations,
    class_bodies: Mapping[tuple[Point, Point], tuple[Point, Point]],
) -> None:
    """The symbols' ``fields`` of each class (see ``LanguageRules.exports_fields``): its fields
    that the sweep saw bound (the class scope's plain declarations, ``self.x`` in its methods;
    a method's own name is no field), ``"<name> <type>"`` with the one type they agree on, as
    a receiver's is (a type name: no call's value, ``Foo()``, which is typed where the call
    is, nor a field hop, ``Foo .x``), else ``"<name>"`` (declared, of no known type: a hop
    through it stops there). A
    class's scope is its own range, or the range of its body (``class_bodies``: JS/TS, whose
    class body is the scope and the ``this`` of its fields)."""
    by_class: dict[tuple[Point, Point] | str, dict[str, list[_Binding]]] = {}
    for (owner, member), bindings in declarations.fields.items():
        # a class scope by its range, a named one (Go's struct fields) by its type's name
        if isinstance(owner, (tuple, str)) and _is_member(member):
            by_class.setdefault(owner, {})[member] = bindings
    if not by_class:
        return
    # a method's name (a property's too: the symbols' ``returns`` already type it)
    methods = {
        (parent, name)
        for kind, name, parent in zip(
            symbols["kind"], symbols["name"], symbols["parent"], strict=True
        )
        if kind == "method"
    }
    column = symbols["fields"]
    for index, (kind, qualified, line, start_column, end_line, end_column) in enumerate(
        zip(
            symbols["kind"],
            symbols["qualified_name"],
            symbols["start_line"],
            symbols["start_column"],
            symbols["end_line"],
            symbols["end_column"],
            strict=True,
        )
    ):
        if kind == "class":
            start = (cast(int, line) - 1, cast(int, start_column))
            end = (cast(int, end_line) - 1, cast(int, end_column))
            declared_fields = by_class.get(class_bodies.get((start, end), (start, end)), {})
        elif kind == "struct":  # a named class scope's (Go: the fields of `type T struct`)
            declared_fields = by_class.get(cast(str, qualified), {})
        else:
            continue
        entries = []
        for member, bindings in declared_fields.items():
            if (qualified, member) in methods or any(how == _DEFINED for how, _ in bindings):
                continue
            declared = declarations.agreed(bindings)
            # (a field hop, `this.x = m.x` with `m: Foo` -> "Foo .x", is typed where it is
            # written too: the field's declared type stays unknown; so is a call's value, `f()`,
            # never a tuple, `(Foo,u8)`)
            known = (
                declared is not None
                and ("(" not in declared or tuple_elements(declared) is not None)
                and FIELD_HOP_STEP not in declared
            )
            entries.append(f"{member} {declared}" if known else member)
        if entries:
            column[index] = FIELD_SEPARATOR.join(sorted(entries))


# The top-level symbols whose type ``_export_variables`` exports: variables, and constants
# (Go's typed ones, ``const Html Atom = 0x5604``; an untyped one agrees on no type).
_PACKAGE_VALUE_KINDS = frozenset({"variable", "constant"})


def _export_variables(symbols: Columns, declarations: _Declarations) -> None:
    """The ``returns`` of each top-level ``variable`` symbol (``package_variables``): the type
    its top-level bindings agree on (a type name or a call's value, ``f()``), else the element
    type of the container they agree on (``ELEMENT_OPERATOR``), marked ``READ``."""
    column = symbols["returns"]
    top: _Chain = (None,)
    for index, (kind, name, parent) in enumerate(
        zip(symbols["kind"], symbols["name"], symbols["parent"], strict=True)
    ):
        if kind not in _PACKAGE_VALUE_KINDS or parent is not None:
            continue
        bindings = declarations.names.get((None, cast(str, name)))
        declared = None if bindings is None else declarations.agreed(bindings)
        if declared is not None:
            column[index] = f"{READ} {declared}"
        elif bindings is not None and (
            (element := declarations.element_of(cast(str, name), top)) is not None
        ):
            column[index] = f"{READ}{ELEMENT_OPERATOR} {element}"


# What a call's receiver is (see _receiver_of): a plain name, a field of the own instance, or a
# field of a plain name (one hop through the name's declared type).
_NAME, _INSTANCE_FIELD, _NAME_FIELD = 0, 1, 2
# A member call on the value of a call of a path (``a.b(x).f``): its receiver type is ``a.b()``,
# what calling ``a.b`` returns, as for a name bound to that value (tables with ``returned_type``);
# also a receiver written as a value (``receiver_value``).
_CALLED = 3
# Fields of fields of a plain name (``a.b.c.f``, tables with ``field_chains``): the hops, dotted.
_NAME_CHAIN = 4
# A member of the own instance, by node type: the field naming the member (JavaScript's
# `this.xs`, Python's `self.xs`; the object is the table's ``instance_name``)
_OWN_MEMBER_FIELDS = {"member_expression": "property", "attribute": "attribute"}
# An element of a plain name's container (``xs[i].f``, tables with ``element_type``).
_NAME_ELEMENT = 5
_INDEXED_NAME = re.compile(r"([^\W\d]\w*)\[[^\[\]]*\]")
# An element of a field of a plain name (``m.Questions[i].f()``, tables with ``field_chains``).
_INDEXED_FIELD = re.compile(r"([^\W\d]\w*\.[^\W\d]\w*)\[[^\[\]]*\]")
# A path call on a type parameter (Rust's ``L::pointers(x)`` in ``impl<L: Link>``): its
# receiver type is the one trait bounding it (``_Declarations.bound_of``).
_TYPE_PARAMETER = 6
_TYPE_PARAMETER_PATH = re.compile(r"([^\W\d]\w*)::[^\W\d]\w*")
# The plain name a member callee's receiver starts with (``x`` of ``x.f``, ``x?.f``, ``x!.f``,
# ``(x).f``, ``x.y.f``, ``x[i].f``; tables with ``binds_definition``, whose calls' column
# ``receiver_local`` says whether a function or a block binds it to a value there).
_RECEIVER_HEAD = re.compile(r"\(*((?:[^\W\d]|\$)[\w$]*)\)*[!?]?[.\[]")
# A callee that is a plain name, or one in parentheses (``f``, ``(f)``: ``called_names``).
CALLED_NAME = re.compile(r"\(*([^\W\d]\w*)\)*")
# A bound written as a plain path (``Send``, ``a::Link``): one ``declared_type`` reads as no type
# is a marker (``_Declarations.bound_of``), not a trait of no named type (``Fn(u8)``).
_PATH_TEXT = re.compile(r"(?:::)?[^\W\d]\w*(?:::[^\W\d]\w*)*")


def _indexes_slice(subscript: str, slice_index: re.Pattern[str]) -> bool:
    """Whether the index of ``subscript`` (``xs[i]``, ``m.xs[i]``) holds a slice (the table's
    ``slice_index``) outside parentheses and braces (``xs[f(a..b)]`` is indexed by what ``f``
    returns)."""
    index = subscript[subscript.index("[") + 1 : -1]
    depth, outside = 0, []
    for char in index:
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
        else:
            outside.append(char if depth == 0 else " ")
    return slice_index.search("".join(outside)) is not None


# Callees whose value is no call's return value (Python's ``super().f``: rule 1's).
_NOT_RETURNING = frozenset({"super"})


def _called_receiver(callee: str, *, constructs: bool = False) -> str | None:
    """``a.b(x, y).f`` -> ``a.b()``: the receiver type of a member call on the value of a call
    of a path (see ``returned_type``); with ``constructs`` (tables whose ``new_expression`` is
    a value constructor: JavaScript, TypeScript), ``new a.B(x).f`` -> ``a.B``, an instance of
    the class, as ``x = new a.B(x)`` declares ``x``; None for anything else (``f(x)(y).g``,
    ``a.b().c.f``, an operator after the call: ``f()?.g``, ``f()!.g``, ``f().await.g``)."""
    dot = callee.rfind(".")
    if dot <= 0 or callee[dot - 1] != ")" or not _IDENTIFIER.fullmatch(callee[dot + 1 :]):
        return None
    head = call_head(callee[:dot])
    if constructs and head is not None and head.startswith("new "):
        made = head[4:].strip()
        return made if _PATH_CALLEE.fullmatch(made) and "::" not in made else None
    if head is None or not _PATH_CALLEE.fullmatch(head) or head in _NOT_RETURNING:
        return None  # `new Foo(x).f`: no path, however it is squeezed
    return f"{head}()"


# The first segment of a declared type (`a::B`, `a.B`): a type parameter's name, if it is one.
_SEGMENT = re.compile(r"[^\W\d]\w*")
# The kinds of parents whose methods' ``Self`` is the parent itself (a trait's or an interface's
# is whatever implements it).
_SELF_KINDS = frozenset({"class", "struct", "enum", "impl"})


# The kinds of symbols a named class scope's fields belong to (a Rust struct, union or enum).
_FIELD_TYPE_KINDS = frozenset({"struct", "enum", "class"})


def _receiver_of(
    callee: str, instance: str | None, chains: bool = False
) -> tuple[int, str, str] | None:
    """(kind, name, member) of a member call on a plain name (``x.f``, ``x?.f``: (_NAME, ``x``,
    "")), on a field of the own instance (``self.x.f``, ``this.x!.f``: (_INSTANCE_FIELD, ``x``,
    "")) or on a field of a plain name (``s.conn.f``: (_NAME_FIELD, ``s``, ``conn``)); with
    ``chains``, on fields of fields of a plain name (``a.b.c.f``: (_NAME_CHAIN, ``a``,
    ``b.c``)) or of the own instance (``self.x.y.f``: (_INSTANCE_FIELD, ``x``, ``y``)); else
    None."""
    dot = callee.find(".")
    if dot <= 0:
        return None
    if "?" in callee or "!" in callee:
        callee = callee.replace("?.", ".").replace("!.", ".")
        dot = callee.find(".")
    head = callee[:dot]
    second = callee.find(".", dot + 1)
    if not (head.isidentifier() or _IDENTIFIER.fullmatch(head)):
        return None
    if second < 0:
        return (_NAME, head, "")
    if callee.find(".", second + 1) >= 0:
        if not chains:
            return None
        hops = callee[dot + 1 : callee.rfind(".")]
        if not all(_is_member(hop) for hop in hops.split(".")):
            return None
        if head == instance:
            first, _, rest = hops.partition(".")
            return (_INSTANCE_FIELD, first, rest)
        return (_NAME_CHAIN, head, hops)
    member = callee[dot + 1 : second]
    if not _is_member(member):
        return None
    return (_INSTANCE_FIELD, member, "") if head == instance else (_NAME_FIELD, head, member)


def _needed_declarations(
    declares: list[_Entry], wanted: set[str], instance: str | None, *, fields: bool = False
) -> list[_Entry]:
    """The bindings (``_DECLARE`` entries) of the names some call's receiver may look up
    (``wanted``: the first two segments of member calls, ``x.f``, ``x.y.f``, ``self.x.f``), and
    of the names those bindings copy (``w = a``), transitively; type parameters always;
    ``fields`` (a table exporting its classes' fields, see ``exported_fields``): every
    ``self.x`` binding and every annotated one (a class body's ``x: Foo``) too. The others
    cannot change a ``receiver_type``: they are never swept."""
    prefix = f"{instance}." if instance else None
    kept: list[_Entry] = []
    pending = declares
    for _ in range(_MAX_COPIES + 1):
        rest: list[_Entry] = []
        grew = False
        for entry in pending:
            name = cast(str, entry[5])
            role_arg, binding, _, _ = cast(tuple[str, _Binding, object, object], entry[6])
            # an annotated binding, or a `new Foo()` one (JS/TS: a class field `x = new Foo()`)
            exported = (
                fields
                and role_arg != "outer"
                and (
                    binding[0] == _ANNOTATED
                    or (binding[0] == _CONSTRUCTED and cast(tuple[Node, str], binding[1])[1] == "")
                )
            )
            if prefix is not None and name.startswith(prefix):
                name = name[len(prefix) :]
                exported = fields
            if role_arg not in ("type", "bound") and name not in wanted and not exported:
                rest.append(entry)
                continue
            kept.append(entry)
            if binding[0] == _ANNOTATED:  # Java `var x = y`: the value may be a copy
                binding = cast(tuple[Node, _Binding | None], binding[1])[1] or _UNKNOWN
            if binding[0] in (_COPIED, _ELEMENT, _MEMBER, _INDEXED):
                copied = node_text(cast(Node, binding[1]))
                if copied not in wanted:
                    wanted.add(copied)
                    wanted.update(copied.split("."))  # a field's `x.y`: x and y
                    grew = True
            elif binding[0] == _MEMBER_COPY:  # `x = y.z`: y's bindings
                copied = node_text(cast(tuple[Node, Node], binding[1])[0])
                if copied not in wanted:
                    wanted.add(copied)
                    grew = True
            elif binding[0] == _CONTENT:  # `Some(x) = a.b`: a's bindings (a field: exported)
                head = cast(tuple[str, str, _Binding], binding[1])[0].split(".")[0]
                if head not in wanted:
                    wanted.add(head)
                    grew = True
        if not grew:
            break
        pending = rest
    return kept


def _dropped_containers(entries: list[_Entry], rules: LanguageRules) -> frozenset[int]:
    """The ``seq`` of every definition of a ``container_kinds`` kind that holds no method.

    One sweep over the sorted definitions with a stack of open scopes, as in the main sweep:
    a method marks the scope directly around it, then, innermost first (reverse start order),
    each kept container marks the container directly around it. Nesting is lexical here: a
    receiver placement (``Foo.prototype = {...}``) does not change what a definition holds.
    """
    containers = rules.container_kinds
    scope_kinds = rules.scope_kinds
    method_parents = rules.method_parents
    stack: list[tuple[Point, int, str]] = []  # (end, seq, kind) of open scopes
    found: list[tuple[int, int | None]] = []  # (container, the container directly around it)
    kept: set[int] = set()
    for start, order, neg_end, seq, tag, data, extra in entries:
        if order or tag != _DEF:
            continue  # events hold nothing, @this nodes are no definitions
        end = (-neg_end[0], -neg_end[1])
        while stack and (stack[-1][0] <= start or stack[-1][0] < end):
            stack.pop()
        kind = cast(tuple[str, str, object], data)[0]
        around = stack[-1] if stack and stack[-1][2] in containers else None
        if around is not None and (
            kind == "method"
            or (kind == "function" and extra is None and around[2] in method_parents)
        ):
            kept.add(around[1])
        if kind in containers:
            found.append((seq, None if around is None else around[1]))
        if kind in scope_kinds:
            stack.append((end, seq, kind))
    for seq, around in reversed(found):
        if around is not None and seq in kept:
            kept.add(around)
    return frozenset(seq for seq, _ in found if seq not in kept)


def extract(rules: LanguageRules, path: str, source: bytes, *, variant: str = "") -> FileExtraction:
    """Extract all rows of one file (see :func:`extract_columns`). Never raises on any bytes."""
    return extract_columns(rules, path, source, variant=variant).to_rows()


# A byte of an invalid UTF-8 sequence, as ``surrogateescape`` decodes it.
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _decodable(source: bytes) -> bytes:
    """``source`` with each byte of an invalid UTF-8 sequence replaced by ``?``: every position
    stays where it was (one byte for one)."""
    text = source.decode("utf-8", "surrogateescape")
    return _UNDECODABLE.sub("?", text).encode("utf-8")


def extract_columns(
    rules: LanguageRules, path: str, source: bytes, *, variant: str = ""
) -> ColumnExtraction:
    """Extract all rows of one file, by column (:func:`_extract_columns`). Never raises on any
    input bytes: text columns read an undecodable byte as U+FFFD; where tree-sitter itself
    raises on one (its query predicates, ``#eq?``, ``#any-of?``, ``#match?``, decode a captured
    node's text as strict UTF-8), the file is read again with such bytes as ``?``. The inventory
    skips files that are not UTF-8, so the dataflow never meets either case."""
    try:
        return _extract_columns(rules, path, source, variant=variant)
    except UnicodeDecodeError:
        return _extract_columns(rules, path, _decodable(source), variant=variant)


def _extract_columns(
    rules: LanguageRules, path: str, source: bytes, *, variant: str = ""
) -> ColumnExtraction:
    """Extract all rows of one file, by column.

    Pass 1 over the query matches collects what each row needs (enclosing names still unknown)
    as sweep entries ``(start, order, -end, seq, ...)``; sorting them puts every definition
    before the nodes it contains. Pass 2 sweeps with a stack of open scopes, fills in qualified
    names, parents and enclosing symbols (and a call's ``this_symbol``, from a second stack, of
    the open ``@this`` nodes), and appends the values to the columns. Positions are
    (row, column) points, which order exactly like byte offsets and are needed for the rows
    anyway: one C getter per node instead of two.

    Embedded code (``@embed`` captures, Rust macro token trees) is parsed again, one parse per
    nesting level (at most :data:`MAX_EMBED_DEPTH`), and its matches join pass 1 as if the file's
    own tree had them: positions are the file's, so the sweep scopes them by the enclosing
    definitions (the embedding node itself is no scope). Ranges that do not parse cleanly as code
    contribute nothing. ``error_count`` counts the file's own parse only.
    """
    compiled = _compile(rules, variant)
    tree = _parser(rules, variant, compiled).parse(source)
    root = tree.root_node
    patterns = compiled.patterns
    clean = rules.clean_name
    unwrap = rules.callee_unwrap
    skip = rules.inherit_skip
    embedded = rules.embedded
    accepts_value = rules.accepts_value
    this_binder = rules.this_binder
    declarations_wanted = compiled.declares
    binds_definition = rules.binds_definition
    called_names = rules.called_names
    constructors = rules.value_constructors
    element_values = rules.element_values
    address_values = rules.address_values
    slice_values = rules.slice_values
    value_names = rules.value_names
    member_values = rules.member_values
    declaration_reach = rules.declaration_reach
    if rules.declaration_reach_wanted is not None and not rules.declaration_reach_wanted(source):
        declaration_reach = None  # every binding holds in its whole scope
    definitions_bind = rules.definitions_bind and declarations_wanted
    returned_type = rules.returned_type
    documented_returns = rules.documented_returns
    new_constructs = "new_expression" in constructors  # `new Foo(x).f()`: a Foo's f
    cast_type = rules.cast_type
    cast_receivers: dict[int, str] = {}  # calls' seq -> the type their receiver is cast to
    narrowed_type = rules.narrowed_type
    narrowed_receivers: dict[int, str] = {}  # calls' seq -> the type a condition narrows to
    callback_types = rules.callback_types
    contextual_type = rules.contextual_type
    definition_binding = rules.definition_binding
    arity = rules.arity
    # argument counts of calls and (parameters, variadic) of definitions by seq (``arity``)
    arguments_of: dict[int, int | None] = {}
    parameters_of: dict[int, tuple[int | None, bool | None]] = {}
    # the argument types of calls by seq (a plain name's and the own instance's typed in the
    # sweep or after it, see _ArgumentWalk; whether one is a plain name, whether one is the own
    # instance), and the written parameter types of definitions by seq (``Arity``'s types)
    argument_types_of: dict[int, str | list[str]] = {}
    naming_calls: set[int] = set()  # (seq) with a plain name among their arguments
    own_instance_calls: set[int] = set()  # (seq) with the own instance among them
    parameter_types_of: dict[int, list[str]] = {}
    functions_of: dict[int, Node] = {}  # their nodes (a parameter's bound is read from it)
    modifiers = rules.modifiers
    assigned_keyword = None if modifiers is None else modifiers.assigned_keyword
    declared_classes: set[str] = set()  # the file's classes swept so far (``assigned_keyword``)
    # the keyword of each definition with a receiver by seq (``assigned_keyword``: read from
    # its node, which the sweep no longer has)
    assigned_of: dict[int, str] = {}
    # the @this node range (None: the top level) whose definition (True: its parent) a
    # definition on the own instance is written in, by seq (``receiver_this``)
    receiver_this = rules.receiver_this
    this_of: dict[int, tuple[tuple[Point, Point] | None, bool]] = {}
    # the modifiers of definitions by seq (``modifiers``)
    modifiers_of: dict[int, str] = {}
    file_modifiers = None if rules.file_modifiers is None else rules.file_modifiers(source)

    # (start, order, -end, seq, tag, payload, extra); events (order 1) have no end. Calls: callee,
    # callee_name; definitions: (kind, name, range of its @this node or None), receiver; @this
    # nodes: nothing (seq offset by _THIS_SEQ); imports: the node; inherits: the node (its text
    # is only needed once its owner is known to be a symbol), the owner's range.
    entries: list[_Entry] = []
    declares: list[_Entry] = []  # bindings: only those of names a receiver needs are swept
    # the names a @declare.content pattern binds, and the untyped bindings (index in
    # ``declares``) that another pattern gives the same name node (``Some(x)``'s ``x``)
    content_vars: set[tuple[Point, Point]] = set()
    untyped_vars: list[tuple[int, tuple[Point, Point]]] = []
    content_place = rules.content_place
    own_value = None if rules.own_value is None else rules.own_value(source)
    variant_field = rules.variant_field
    # the first two segments of member calls' callees (with ``field_chains``: all but the last)
    receiver_names: set[str] = set()
    chains = rules.field_chains
    spaced = rules.spaced_receivers
    receiver_unwrap = None if rules.receiver_unwrap is None else rules.receiver_unwrap(source)
    append_entry = entries.append
    seen_defs: set[tuple[Point, Point, str]] = set()
    # the name nodes of the definitions (``called_names``): a binding of one (`function
    # f() {}` in a block, `const f = () => {}`) is the definition's, which rule 2 finds
    defined_names: set[tuple[Point, Point]] = set()
    module_named: list[int] = []  # indexes in `entries` of @name.module definitions
    seq = 0
    level_root = root
    level: _EmbeddedParse | None = None  # None: the file's own tree
    trees: list[Tree] = []  # second-parse trees stay alive while `entries` holds their nodes
    for depth in range(MAX_EMBED_DEPTH + 1):
        embeds: list[Node] = []
        keeps = None if level is None else level.keeps
        cursor = QueryCursor(compiled.query, match_limit=MATCH_LIMIT)
        # Branches by how often each role matches (calls are most rows); each one only asks the
        # match for captures its pattern has (see _compile).
        for pattern, caps in cursor.matches(level_root):
            role, arg, primary = patterns[pattern]
            node = caps[primary][0]
            if keeps is not None and not keeps(node.start_byte):
                continue
            seq += 1
            if role in (_CALL, _CALL_NODE):
                if role == _CALL:  # the primary capture is the callee; the call starts with it
                    callee_nodes = None
                    callee_node = node
                else:
                    callee_nodes = caps.get("callee")
                    callee_node = node if callee_nodes is None else callee_nodes[0]
                if unwrap:
                    kind = callee_node.type
                    while kind in unwrap:
                        inner = callee_node.child_by_field_name(unwrap[kind])
                        if inner is None:
                            break
                        callee_node = inner
                        kind = inner.type
                callee = (callee_node.text or b"").decode("utf-8", "replace")
                if callee_nodes is not None:
                    prefix_nodes = caps.get("callee.prefix")
                    if prefix_nodes:  # Java `a.b().c(...)`: the object and the name are siblings
                        prefix = (prefix_nodes[0].text or b"").decode("utf-8", "replace")
                        callee = f"{prefix}.{callee}"
                if callee.isidentifier():  # most callees: nothing to squeeze or split
                    callee_name = callee
                else:
                    callee = squeeze(callee)
                    callee_name = last_identifier(callee)
                if arg:
                    callee, callee_name = callee + arg, callee_name + arg
                if arity is not None:  # the call node: with @callee captured, else around it
                    call_node = node if callee_nodes is not None else node.parent
                    if call_node is not None:
                        count, typed, named, own = _walk_arguments(call_node, arity, value_names)
                        arguments_of[seq] = count
                        if typed is not None:
                            argument_types_of[seq] = typed
                        if own:
                            own_instance_calls.add(seq)
                        if named:
                            naming_calls.add(seq)
                            if declarations_wanted:  # their declarations are needed
                                receiver_names.update(named)
                append_entry((node.start_point, 1, _NO_END, seq, _CALL, callee, callee_name))
                if cast_type is not None and callee.startswith("("):
                    casted = cast_type(callee_node)
                    if casted is not None:
                        cast_receivers[seq] = casted
                if narrowed_type is not None and "." in callee:
                    narrowed = narrowed_type(callee_node)
                    if narrowed is not None:
                        narrowed_receivers[seq] = narrowed
                if declarations_wanted and "." in callee:  # the names its receiver may need
                    if spaced and " " in callee:
                        callee = _unspaced(callee)
                    if receiver_unwrap is not None:  # the place's names too
                        held = receiver_unwrap(callee)
                        if held is not None:
                            receiver_names.update(held.removeprefix(POINTEE).split(".")[:-1])
                    if "?" in callee or "!" in callee:
                        callee = callee.replace("?.", ".").replace("!.", ".")
                    if chains:  # every hop, an indexed head's name (`xs[i].f`)
                        receiver_names.update(callee.split(".")[:-1])
                        receiver_names.add(callee.partition("[")[0])
                    else:
                        receiver_names.update(callee.split(".", 2)[:2])
                    if binds_definition is not None:  # (`(x).f`: x, ``receiver_local``)
                        written_head = _RECEIVER_HEAD.match(callee)
                        if written_head is not None:
                            receiver_names.add(written_head.group(1))
                elif declarations_wanted and called_names is not None:
                    # a bare name (`f()`, `(f)()`): its bindings (``receiver_local``)
                    written_name = called_names.fullmatch(callee)
                    if written_name is not None:
                        receiver_names.add(written_name.group(1))
            elif role >= _DECLARE:  # _DECLARE, _DECLARE_TYPED, _DECLARE_VALUE, _DECLARE_BOTH
                # nodes whose text is read only if a call's receiver needs them (_Declarations)
                binding: _Binding = _UNKNOWN
                if role in (_DECLARE_VALUE, _DECLARE_BOTH):
                    value = caps["var.value"][0]
                    constructor = constructors.get(value.type)
                    indexed = element_values.get(value.type)
                    if indexed is not None:  # `v, ok := m[k]`: an element of m
                        value = value.child_by_field_name(indexed) or value
                    sliced = slice_values.get(value.type)
                    if sliced is not None:  # `range m.Questions[1:]`: the container itself
                        operand = value.child_by_field_name(sliced)
                        if operand is not None and operand.type in value_names:
                            value, constructor = operand, None
                    addressed = address_values.get(value.type)
                    if addressed is not None:  # `p := &x.y`: x.y's type, if a name or member
                        operand = value.child_by_field_name(addressed)
                        if operand is not None and (
                            operand.type in value_names or operand.type in member_values
                        ):
                            value, constructor = operand, None
                    if arg == "element" or indexed is not None:
                        # a range variable over a name, an index expression of one
                        if value.type in value_names:
                            # a subscript's value where the table tells it apart (a mapping's)
                            subscript = indexed is not None and rules.index_type is not None
                            binding = (_INDEXED if subscript else _ELEMENT, value)
                        elif value.type in _OWN_MEMBER_FIELDS and rules.instance_name:
                            # `for (const x of this.xs)`, Python `for x in self.xs`: over a
                            # field of the own instance
                            held = value.child_by_field_name("object")
                            member_node = value.child_by_field_name(_OWN_MEMBER_FIELDS[value.type])
                            if (
                                held is not None
                                and member_node is not None
                                and held.text == rules.instance_name.encode()
                            ):
                                binding = (_INSTANCE_ELEMENT, member_node)
                    elif constructor is not None:
                        made = (
                            value.child_by_field_name(constructor[0]) if constructor[0] else value
                        )
                        if made is not None:
                            # `@declare.<n>`: result n of a call's value (`v, err := f()`);
                            # `@declare.enter`: what `with` binds of it (`with f() as x`)
                            result = (
                                ENTER
                                if arg == "enter"
                                else result_operator(int(arg))
                                if arg.isdigit()
                                else ""
                            )
                            binding = (_CONSTRUCTED, (made, constructor[1] + result))
                    elif arg == "enter":
                        pass  # `with lock as x`: what its __enter__ returns, not known here
                    elif value.type in value_names:
                        binding = (_COPIED, value)  # the scopes are known in pass 2
                    elif value.type in member_values:
                        binding = (_MEMBER, value)  # its receiver is known in pass 2
                    elif value.type == "this" and rules.this_binder is not None:
                        binding = (_OWN_INSTANCE, None)  # its class is known in pass 2
                    elif rules.this_binder is not None and value.type == "member_expression":
                        # `const x = this.y`: the field y of the class of `this` (pass 2)
                        # `const x = y.z`: the field z of y's type (both lazily)
                        held = value.child_by_field_name("object")
                        member_node = value.child_by_field_name("property")
                        if (
                            held is not None
                            and member_node is not None
                            and member_node.type == "property_identifier"
                        ):
                            if held.type == "this":
                                binding = (_INSTANCE_COPY, member_node)
                            elif held.type == "identifier":
                                binding = (_MEMBER_COPY, (held, member_node))
                    if own_value is not None and own_value(node_text(caps["var.value"][0])):
                        binding = (_OWN_INSTANCE, None)  # `let me = &mut *self`
                    elif content_place is not None and role == _DECLARE_VALUE:
                        # `Some(x) = v` (@declare.content), `let x = a.take().unwrap()`: the
                        # content of a place's declared wrapper, else a call's value after `?`
                        pattern = arg == "content"
                        held_in = content_place(node_text(caps["var.value"][0]), pattern)
                        if held_in is not None:
                            written = _UNKNOWN if pattern else binding
                            binding = (_CONTENT, (*held_in, written))
                        elif pattern and binding[0] == _CONSTRUCTED:
                            made, suffix = cast(tuple[Node, str], binding[1])
                            binding = (_CONSTRUCTED, (made, suffix + TRY))
                        elif pattern:
                            binding = _UNKNOWN
                if role in (_DECLARE_TYPED, _DECLARE_BOTH):
                    value_binding = binding if role == _DECLARE_BOTH else None
                    binding = (_ANNOTATED, (caps["var.type"][0], value_binding))
                var = caps["var"][0]
                if arg == "variant":  # `IoStack::Enabled(v)`: the variant's field
                    field_of = None if variant_field is None else variant_field(node, var)
                    binding = _UNKNOWN if field_of is None else (_VARIANT, field_of)
                destructured = (
                    _destructured_from(var)
                    if role == _DECLARE and not arg and rules.this_binder is not None
                    else None
                )
                if destructured is not None and destructured.type == "this":
                    binding = (_INSTANCE_COPY, var)  # `const { y } = this`: `this.y`
                elif destructured is not None:
                    binding = (_MEMBER_COPY, (destructured, var))  # `{ z } = y`: `y.z`
                elif role == _DECLARE and not arg and contextual_type is not None:
                    binding = (_CONTEXTUAL, var)
                if arg == "position":  # a positional field: its index (`struct S(A, B)`)
                    name = _position_name(var)
                else:
                    name = (var.text or b"").decode("utf-8", "replace")
                    if not name.isidentifier():
                        name = "".join(name.split())
                reach = _WHOLE_SCOPE if declaration_reach is None else declaration_reach(node)
                if reach == _NOWHERE:
                    continue
                if arg in ("content", "variant"):  # the pattern's plain binding is no other one
                    content_vars.add((var.start_point, var.end_point))
                elif role == _DECLARE and not arg and binding == _UNKNOWN:
                    untyped_vars.append((len(declares), (var.start_point, var.end_point)))
                declares.append(
                    (
                        node.start_point,
                        1,
                        _NO_END,
                        seq,
                        _DECLARE,
                        name,
                        (arg, binding, reach, var),
                    )
                )
            elif role in (_DEF, _DEF_RECEIVER):
                name_nodes = caps.get("name")
                if not name_nodes and "name.module" not in caps:
                    continue  # anonymous (e.g. `export default class {}`): no symbol
                if accepts_value is not None:
                    value_nodes = caps.get("value")
                    if value_nodes and not accepts_value(value_nodes[0]):
                        continue
                start, end = node.start_point, node.end_point
                if name_nodes:
                    name = (name_nodes[0].text or b"").decode("utf-8", "replace")
                    if called_names is not None:
                        defined_names.add((name_nodes[0].start_point, name_nodes[0].end_point))
                else:  # the module itself: named after it, unless the file defines that name
                    name = own_module_name(path)
                key = (start, end, name)
                if key in seen_defs:
                    continue  # two patterns matched the same definition
                seen_defs.add(key)
                receiver = None
                if role == _DEF_RECEIVER:
                    receiver_nodes = caps.get("receiver")
                    receiver = node_text(receiver_nodes[0]) if receiver_nodes else None
                if clean is not None:
                    name = clean(name)
                    receiver = clean(receiver) if receiver is not None else None
                binds = None if this_binder is None else this_binder(node)
                binder = None if binds is None else (binds.start_point, binds.end_point)
                returned = None
                returns_nodes = caps.get("returns")
                async_nodes = caps.get("async")
                is_async = bool(async_nodes) and b"async" in (async_nodes[0].text or b"")
                if returned_type is not None and returns_nodes:
                    returned = returned_type(node_text(returns_nodes[0]), is_async)
                elif returned_type is not None and documented_returns is not None:
                    documented = documented_returns(node)
                    if documented is not None:
                        returned = returned_type(documented, False)
                # what the definition binds its name to, for its `returns` and its binding
                # (asked only where one of them is read: it reads decorators, every `def`)
                wanted = returned is not None or definitions_bind
                bound = definition_binding(node) if definition_binding and wanted else None
                if (
                    returned is not None
                    and bound == READS_RETURNED
                    and not returned.startswith((AWAIT, ENTER))
                ):  # a property: read, not called (whether or not receivers are swept)
                    returned = f"{READ} {returned}"
                callbacks = None if callback_types is None else callback_types(node)
                if not name_nodes:
                    module_named.append(len(entries))
                if arity is not None and arg in _FUNCTION_KINDS:  # (a record's list: no)
                    parameters_of[seq], written_types = _walk_parameters(node, arity)
                    if written_types is not None:
                        parameter_types_of[seq] = written_types
                        functions_of[seq] = node
                if arg in _PACKAGE_VALUE_KINDS and rules.package_variables:
                    receiver_names.add(name)  # its type is exported (``package_variables``)
                if receiver_this is not None and receiver is not None:
                    owned = receiver_this(node, receiver)
                    if owned is not None:
                        this_node, its_parent = owned
                        this_range = (
                            None
                            if this_node is None
                            else (this_node.start_point, this_node.end_point)
                        )
                        this_of[seq] = (this_range, its_parent)
                if modifiers is not None:
                    modifiers_of[seq] = read_modifiers(node, modifiers)
                    if assigned_keyword is not None and receiver is not None:
                        assigned_of[seq] = assigned_keyword(node, receiver, modifiers)
                append_entry(
                    (
                        start,
                        0,
                        (-end[0], -end[1]),
                        seq,
                        _DEF,
                        (arg, name, binder, returned, callbacks),
                        receiver,
                    )
                )
                if definitions_bind:  # the definition's name, bound around it (not a match)
                    seq += 1
                    # a property's name is a field of its return type (an `async` one's is
                    # no value of it); its setter leaves the name bound as it was
                    read_type = returns_nodes[0] if returns_nodes and not is_async else None
                    binding = (_DEFINED, None if bound is None else (bound, read_type))
                    declares.append(
                        (
                            start,
                            1,
                            _NO_END,
                            seq,
                            _DECLARE,
                            name,
                            ("outer", binding, _WHOLE_SCOPE, None),
                        )
                    )
            elif role == _IMPORT:
                append_entry((node.start_point, 1, _NO_END, seq, _IMPORT, node, None))
            elif role == _INHERIT:
                owner_nodes = caps.get("owner")
                if not owner_nodes or node.type in skip:
                    continue
                owner = owner_nodes[0]
                append_entry(
                    (
                        node.start_point,
                        1,
                        _NO_END,
                        seq,
                        _INHERIT,
                        node,
                        (owner.start_point, owner.end_point, arg),
                    )
                )
            elif role in (_THIS, _SCOPE):
                until = caps.get("until")  # a scope ending before its node does
                end = until[0].end_point if until else node.end_point
                type_name: str | None = None  # a class scope's @type: its fields are the type's
                if arg == "class" and (type_nodes := caps.get("type")):
                    type_name = (type_nodes[0].text or b"").decode("utf-8", "replace")
                    if clean is not None:
                        type_name = clean(type_name)
                    if variant_nodes := caps.get("type.variant"):  # an enum variant's fields
                        variant = (variant_nodes[0].text or b"").decode("utf-8", "replace")
                        type_name = f"{type_name}{rules.separator}{variant}"
                append_entry(
                    (
                        node.start_point,
                        0,
                        (-end[0], -end[1]),
                        seq + _THIS_SEQ,
                        role,
                        arg == "class",
                        _BLOCK if arg == "block" else type_name,
                    )
                )
            else:  # _EMBED
                embeds.append(node)
        if embedded is None or not embeds or depth == MAX_EMBED_DEPTH:
            break
        ranges = [found for node in embeds if (found := embedded(node)) is not None]
        level = _parse_embedded(
            _parser(rules, variant, compiled, embedded=True),
            source,
            ranges,
            rules.embed_separator,
        )
        if level is None:
            break
        trees.append(level.tree)
        level_root = level.tree.root_node
    # A @name.module definition (the module itself) named like another definition of the file
    # would shadow or be taken for it: none then, and no OWN_MODULE import rows.
    module_name: str | None = None
    if module_named:
        own = own_module_name(path)
        if sum(1 for _, _, name in seen_defs if name == own) == len(module_named) == 1:
            module_name = own
        else:
            for index in reversed(module_named):
                del entries[index]
    if content_vars:
        shadowed = {index for index, var in untyped_vars if var in content_vars}
        declares = [entry for index, entry in enumerate(declares) if index not in shadowed]
    if declares:
        entries.extend(
            _needed_declarations(
                declares, receiver_names, rules.instance_name, fields=rules.exports_fields
            )
        )
    entries.sort()  # seq is unique, so the payload columns are never compared
    dropped = _dropped_containers(entries, rules) if rules.container_kinds else frozenset()

    # a field the file does not declare may be a property or field elsewhere (tables whose
    # ``definition_binding`` reads some methods as values): a field hop for the CPG, also
    # along a chain of fields (``x.a.b.f()``, at most MAX_FIELD_HOPS), which it hops whole
    # (Go's struct fields are exported, ``exports_fields``: its field hops read them)
    field_hops = rules.definition_binding is not None or rules.exports_fields
    families = {family: {name: [] for name in names} for family, names in FAMILY_COLUMNS.items()}
    symbols, imports, calls, inherits = (
        families["symbols"],
        families["imports"],
        families["calls"],
        families["inherits"],
    )
    symbol_kind, symbol_name = symbols["kind"].append, symbols["name"].append
    symbol_qualified, symbol_parent = symbols["qualified_name"].append, symbols["parent"].append
    symbol_start_line, symbol_start_column = (
        symbols["start_line"].append,
        symbols["start_column"].append,
    )
    symbol_end_line, symbol_end_column = symbols["end_line"].append, symbols["end_column"].append
    symbol_returns = symbols["returns"].append
    # functions with a return type: (symbol index, ops, type, the scopes where it is written),
    # checked against the type parameters once every one is known
    returning: list[tuple[int, str, str, _Chain]] = []
    symbol_callbacks = symbols["callback_types"].append
    symbol_fields = symbols["fields"].append
    # functions with function-typed parameters: (symbol index, (k, j, type) entries, the scopes
    # where they are written), checked against the type parameters as ``returning`` is
    calling_back: list[tuple[int, _Callbacks, _Chain]] = []
    symbol_parameters, symbol_variadic = symbols["parameters"].append, symbols["variadic"].append
    symbol_parameter_types = symbols["parameter_types"].append
    # functions with parameter types: the symbol index, the written types, its seq, its range and
    # the scopes around (None: not read; five items each, one flat list), whose type parameters
    # are marked once every one is known (as ``returning``)
    typing_parameters: list[int | list[str] | tuple[Point, Point] | _Chain | None] = []
    symbol_modifiers = symbols["modifiers"].append
    call_callee, call_name = calls["callee"].append, calls["callee_name"].append
    call_arguments = calls["arguments"].append
    call_argument_types = calls["argument_types"].append
    # calls with a plain name among their arguments: the call index, the arguments, the scopes
    # where the call is, where it is (four items each, one flat list), typed once every binding
    # is known (as ``receivers``)
    typing_arguments: list[int | list[str] | _Chain | Point] = []
    call_enclosing, call_this, call_line, call_column = (
        calls["enclosing"].append,
        calls["this_symbol"].append,
        calls["line"].append,
        calls["column"].append,
    )
    # Open scopes: (end, qualified_name, kind). Only scope kinds are pushed, and Scope
    # placements, with kind _NO_SYMBOL: definitions inside get their name as parent, while the
    # calls and imports inside are enclosed by the scope around (the name may be no symbol).
    stack: list[tuple[Point, str, str]] = []
    # Open @this nodes: (end, start, qualified name of the definition they belong to, or None);
    # and the names of the definitions by the range of their @this node.
    this_stack: list[tuple[Point, Point, str | None]] = []
    this_names: dict[tuple[Point, Point], str] = {}
    this_parents: dict[tuple[Point, Point], str] = {}  # (their parents', "" the top level)
    # a class's range -> its ``@this`` node's (JS/TS: the class body, whose scope holds its fields)
    class_bodies: dict[tuple[Point, Point], tuple[Point, Point]] = {}
    by_range: dict[tuple[Point, Point], str] = {}
    # Declared receiver types: open @scope nodes (end, key, is a class scope), the class scopes
    # and the @this nodes of methods (ranges), the bindings, and the member calls on a declared
    # name: (call index, is a field, name, the scopes to look in or the class scope).
    scopes: list[tuple[Point, _ScopeKey, bool]] = []
    class_scopes: set[_ScopeKey] = set()
    method_this: set[tuple[Point, Point]] = set()
    declarations = _Declarations(
        declared_type=rules.declared_type,
        constructed_type=(
            rules.file_constructed_type(source)
            if rules.file_constructed_type is not None
            else rules.constructed_type or dotted_name
        ),
        contextual_type=contextual_type,
        element_type=rules.element_type,
        contextual_element=rules.contextual_element,
        index_type=rules.index_type,
        content_type=rules.content_type,
        shadowing_lets=rules.shadowing_lets,
    )
    receivers: list[tuple[int, int, str, str, _Chain | _ScopeKey]] = []
    # the member calls' receiver heads (``_RECEIVER_HEAD``; ``binds_definition``): (call index,
    # the name, the scopes where the call is)
    value_heads: list[tuple[int, str, _Chain]] = []
    # the bare callees' names (``called_names``), as ``value_heads``
    bare_heads: list[tuple[int, str, _Chain]] = []
    # the heads of the classes ``new C().f()`` calls a member of, as ``value_heads``
    constructed_heads: list[tuple[int, str, _Chain]] = []
    # a definition's own name bound in itself (a named function expression's, a class
    # expression's in its methods: ``binds_value``), (the binding's name in its scope, where it
    # holds), the definition's range and whether it is bound outside the declaring node (a
    # class's name in a method: a definition there, not a function); and the ranges of the
    # definitions an ENCLOSING_FUNCTION / ENCLOSING_CLASS row binds so (of a symbol)
    own_names: list[tuple[tuple[tuple[_ScopeKey, str], object], tuple[Point, Point], bool]] = []
    own_named_symbols: set[tuple[Point, Point]] = set()
    # the qualified names of the symbols named after a member (`Dep.Template = class T {}`):
    # no bare name finds them (rule 2), their own name's row binds it
    member_named: set[str] = set()
    blocks: list[tuple[Point, Point]] = []  # open @scope.block nodes (start, end)
    call_at: list[Point] = []  # where each call is (receivers' index)
    narrowed_at: dict[int, str] = {}  # receivers' index -> the type a condition narrows to
    # receivers of the places ``receiver_unwrap`` finds (as ``receivers``), and their types
    place_receivers: list[tuple[int, int, str, str, object]] = []
    place_types: dict[int, str] = {}
    # the place receivers a pointer's step gives (``POINTEE``: of its pointee's type only)
    pointee_places: set[int] = set()
    in_class_body: dict[int, _ScopeKey] = {}  # calls in a class body: the class scope
    # `self.x.f()`: the scopes where the call is (x of a type parameter: its bound there)
    instance_field_chains: dict[int, _Chain] = {}
    element_owners: dict[int, _ScopeKey] = {}  # `self.xs[i].f()`: the class scope of `self`
    fields_in_scope = rules.fields_in_scope
    declaration_scope_kinds = rules.declaration_scope_kinds
    instance = rules.instance_name
    receiver_value = rules.receiver_value
    element_type = rules.element_type
    slice_index = rules.slice_index
    instance_dot = f"{instance}." if instance else None
    chain: tuple[_ScopeKey, ...] | None = None  # the open non-class scopes (cached), then None
    call_count = 0

    def scopes_chain() -> tuple[_ScopeKey, ...]:
        nonlocal chain
        if chain is None:
            chain = (
                *(key for _, key, is_class in reversed(scopes) if fields_in_scope or not is_class),
                None,
            )
        return chain

    def field_copy(binding: _Binding, start: Point) -> _Binding:
        """A copy of a field (JavaScript/TypeScript) placed where the sweep is: ``x = y.z``
        (_MEMBER_COPY) with y looked up in the scopes here, ``x = this.y`` (_INSTANCE_COPY)
        with the class of `this` here, and the field hop from it when the file binds no
        ``this.y``, as the receiver ``this.y.f()`` is typed."""
        if binding[0] == _MEMBER_COPY:
            held, member_node = cast(tuple[Node, Node], binding[1])
            return (_MEMBER_COPY, ((node_text(held), node_text(member_node)), scopes_chain()))
        own = instance_class(start)
        if own is None:
            return _UNKNOWN
        member_text = node_text(cast(Node, binding[1]))
        named = (by_range.get(own) or this_names.get(own)) if isinstance(own, tuple) else None
        hop = field_hop(named, member_text) if field_hops and named else None
        return (_INSTANCE_COPY, (member_text, own, hop))

    def instance_class(start: Point) -> _ScopeKey:
        """The class scope of the own instance (``self``, ``this``) at ``start``, where the sweep
        is (its open scopes are up to date, its @this nodes are closed here)."""
        if this_binder is None:  # `self`: the innermost class around
            return next((key for _, key, is_class in reversed(scopes) if is_class), None)
        while this_stack and this_stack[-1][0] <= start:
            this_stack.pop()
        if not this_stack:
            return None
        top = (this_stack[-1][1], this_stack[-1][0])
        if top in class_scopes:  # a class body: field initializers
            return top
        if top in method_this and len(this_stack) > 1:  # a method: the class body around it
            around = (this_stack[-2][1], this_stack[-2][0])
            return around if around in class_scopes else None
        return None

    sep = rules.separator
    scope_kinds = rules.scope_kinds
    method_parents = rules.method_parents
    imports_hook = rules.imports
    exports_hook = rules.exports
    place = rules.receiver_parent
    for start, order, neg_end, seq, tag, data, extra in entries:
        if dropped and seq in dropped:
            continue
        if tag == _THIS:  # nested in (or after) the open ones; its definition is named already
            end = (-neg_end[0], -neg_end[1])
            while this_stack and this_stack[-1][0] <= start:
                this_stack.pop()
            this_stack.append((end, start, this_names.get((start, end))))
            continue
        if tag == _SCOPE and extra == _BLOCK:  # a block of the innermost scope
            end = (-neg_end[0], -neg_end[1])
            while blocks and blocks[-1][1] <= start:
                blocks.pop()
            blocks.append((start, end))
            continue
        if tag == _SCOPE:  # data: whether it is a class scope
            end = (-neg_end[0], -neg_end[1])
            while scopes and scopes[-1][0] <= start:
                scopes.pop()
            scope_key: _ScopeKey = (start, end) if extra is None else cast(str, extra)
            scopes.append((end, scope_key, bool(data)))
            if data:
                class_scopes.add(scope_key)
            chain = None
            continue
        if tag == _DECLARE or (tag == _CALL and declarations_wanted):
            while scopes and scopes[-1][0] <= start:
                scopes.pop()
                chain = None
        if tag == _DECLARE:  # data: the bound name; extra: the role's argument, the binding
            name = cast(str, data)
            role_arg, binding, reach, bound_var = cast(
                tuple[str, _Binding, object, Node | None], extra
            )
            if binding[0] in (_COPIED, _ELEMENT, _INDEXED):
                binding = (binding[0], (binding[1], scopes_chain()))
            elif binding[0] == _VARIANT:  # `Self::Enabled(v)`: the type of the class around
                variant, member = cast(tuple[str, str], binding[1])
                own_type, separator, variant_name = variant.rpartition(sep)
                if own_type == "Self":
                    around = instance_class(start)
                    variant = (
                        f"{around}{separator}{variant_name}" if isinstance(around, str) else ""
                    )
                binding = (_VARIANT, (variant, member)) if variant else _UNKNOWN
            elif binding[0] == _CONTENT:  # `Some(x) = self.a`: the class of `self` here
                held_in, how_taken, written = cast(tuple[str, str, _Binding], binding[1])
                owner = None
                if instance_dot is not None and held_in.startswith(instance_dot):
                    held_in, owner = held_in[len(instance_dot) :], instance_class(start)
                    if owner is None:
                        held_in = ""  # no class around: not read
                binding = (_CONTENT, (held_in, how_taken, written, scopes_chain(), owner, start))
            elif binding[0] in (_MEMBER_COPY, _INSTANCE_COPY):
                binding = field_copy(binding, start)
            elif binding[0] == _MEMBER:  # `x = a.b`: typed as the receiver of `a.b.f()`
                member_value = cast(Node, binding[1])
                as_receiver = _receiver_of(f"{squeeze(node_text(member_value))}.f", instance, True)
                if as_receiver is None:
                    binding = _UNKNOWN
                else:
                    how, held, rest = as_receiver
                    where = instance_class(start) if how == _INSTANCE_FIELD else scopes_chain()
                    binding = (_MEMBER, (member_value, (how, held, rest, where)))
            elif binding[0] == _ANNOTATED:
                annotation, value = cast(tuple[Node, _Binding | None], binding[1])
                if value is not None and value[0] == _COPIED:
                    value = (_COPIED, (value[1], scopes_chain()))
                elif value is not None and value[0] in (_MEMBER_COPY, _INSTANCE_COPY):
                    # (JavaScript: a JSDoc comment without `@type` leaves the value's type)
                    value = field_copy(value, start)
                binding = (_ANNOTATED, ((annotation, value), scopes_chain()))
            elif binding[0] == _OWN_INSTANCE:  # `const self = this`: the class of `this` here
                own = instance_class(start)
                # (a named class scope, Rust's impl: its type's name)
                named = this_names.get(own) if isinstance(own, tuple) else own
                binding = _UNKNOWN if named is None else (_NAMED, named)
            elif binding[0] == _INSTANCE_ELEMENT:  # `this.xs`: a field of the class of `this`
                own = instance_class(start)
                member_text = node_text(cast(Node, binding[1]))
                binding = _UNKNOWN if own is None else (_INSTANCE_ELEMENT, (member_text, own))
            if role_arg == "bound":  # @declare.bound: a bound of a type parameter written here
                if binding[0] == _ANNOTATED:
                    bound = cast(tuple[tuple[Node, _Binding | None], _Chain], binding[1])[0][0]
                    key = (scopes[-1][1] if scopes else None, name)
                    declarations.type_parameter_bounds.setdefault(key, []).append(bound)
                continue
            if role_arg == "type":  # @declare.type: a type parameter of the innermost scope
                declarations.type_parameters.add((scopes[-1][1] if scopes else None, name))
                declarations.type_parameter_names.add(name)
                continue
            # the scope the name is bound in: the innermost open one, or (@declare.outer: a
            # definition's own name) the one around the definition's own scope
            top = len(scopes) - (2 if role_arg == "outer" else 1)
            if role_arg == "outer":
                defined = binding[1]
                binding = (_DEFINED, None)
                if defined is not None:  # what ``definition_binding`` said at the match
                    bound, read_type = cast(tuple[str, Node | None], defined)
                    if bound == REBINDS_SAME:
                        continue
                    if bound == READS_RETURNED and read_type is not None:
                        # a property: a field of its return type, written where the def is
                        binding = (_ANNOTATED, ((read_type, None), scopes_chain()))
            if role_arg == "field":  # @declare.field: a field of the instance's class
                owner, member = instance_class(start), name
            elif "." in name:  # `self.x`: a field of the instance's class
                if instance_dot is None or not name.startswith(instance_dot):
                    continue
                member = name[len(instance_dot) :]
                if not (member.isidentifier() or _IDENTIFIER.fullmatch(member)):
                    continue
                owner = instance_class(start)
            elif role_arg == "position":  # a positional field (`self.0`): of a class body only
                if top < 0 or not scopes[top][2]:
                    continue
                owner, member = scopes[top][1], name
            elif not (name.isidentifier() or _IDENTIFIER.fullmatch(name)):
                continue
            elif top >= 0 and scopes[top][2]:  # declared in a class body: a field of it
                owner, member = scopes[top][1], name
                if fields_in_scope:  # and a name its methods see (Java's implicit `this`)
                    declarations.names.setdefault((owner, name), []).append(binding)
            else:
                scope_key = scopes[top][1] if top >= 0 else None
                key = (scope_key, name)
                declarations.names.setdefault(key, []).append(binding)
                definition_bound = (
                    binds_definition is not None
                    and bound_var is not None
                    and binds_definition(bound_var)
                )
                # a definition's own name (`function f() {}` in a block, `const f = () => {}`,
                # @declare.outer: Python's `def f():` in a function), or a named function
                # expression's, in itself (kept below where an ENCLOSING_FUNCTION row binds it
                # to the symbol)
                function_bound = role_arg == "outer" or (
                    bound_var is not None
                    and (bound_var.start_point, bound_var.end_point) in defined_names
                )
                # a name bound outside the declaring node: a class expression's own name in
                # its methods (a definition's, where the class is a symbol named by it)
                outer_named = (
                    bound_var is not None
                    and bound_var.parent is not None
                    and bound_var.parent.start_point < start
                )
                if outer_named and function_bound:
                    function_bound, definition_bound = False, True
                own_named = (
                    None
                    if definition_bound or function_bound or bound_var is None
                    else bound_var.parent
                )
                if own_named is not None and own_named.start_point > start:
                    own_named = None
                if declaration_reach is None:
                    bound_reach: object = _WHOLE_SCOPE
                else:
                    if isinstance(reach, tuple):  # a range of its own (Rust's `let`)
                        declarations.block_scoped.add(key)
                    elif reach == _BLOCK:  # the innermost block around, inside the scope
                        while blocks and blocks[-1][1] <= start:
                            blocks.pop()
                        inside = not isinstance(scope_key, tuple) or (
                            bool(blocks) and blocks[-1][0] >= scope_key[0]
                        )
                        reach = blocks[-1] if inside and blocks else _WHOLE_SCOPE
                        if reach != _WHOLE_SCOPE:
                            declarations.block_scoped.add(key)
                    declarations.blocks.setdefault(key, []).append(reach)
                    bound_reach = reach
                if definition_bound:
                    declarations.binds_definitions.add((key, bound_reach))
                if function_bound:
                    declarations.binds_functions.add((key, bound_reach))
                elif own_named is not None:
                    own_names.append(
                        (
                            (key, bound_reach),
                            (own_named.start_point, own_named.end_point),
                            outer_named,
                        )
                    )
                continue
            if owner is not None:
                if binding[0] == _ANNOTATED:  # (a type parameter of the struct: no bound)
                    written, around = cast(tuple[tuple[Node, _Binding | None], _Chain], binding[1])
                    binding = (_ANNOTATED, (written, _FieldScopes(around)))
                declarations.fields.setdefault((owner, member), []).append(binding)
            continue
        if order:  # an event: only scopes ending at or before its start are closed
            while stack and stack[-1][0] <= start:
                stack.pop()
            end = start
        else:
            end = (-neg_end[0], -neg_end[1])
            while stack and (stack[-1][0] <= start or stack[-1][0] < end):
                stack.pop()
        if stack:
            scope = stack[-1]
            enclosing = scope[1]
            if order and not scope[2]:  # code in a Scope runs where the Scope is written
                enclosing = next((open_[1] for open_ in reversed(stack) if open_[2]), None)
        else:
            scope = enclosing = None
        if tag == _CALL:  # data, extra: callee, callee_name
            while this_stack and this_stack[-1][0] <= start:
                this_stack.pop()
            call_callee(data)
            call_name(extra)
            call_arguments(arguments_of.get(seq))
            typed = argument_types_of.get(seq)
            if typed is None or isinstance(typed, str):  # (known from the arguments alone)
                call_argument_types(typed)
            else:
                if seq in own_instance_calls:
                    # `this`: the innermost named class around (its scopes are up to date)
                    own = next((key for _, key, is_class in reversed(scopes) if is_class), None)
                    own_type = own if isinstance(own, str) else ""
                    typed = [own_type if entry == _OWN_ARGUMENT else entry for entry in typed]
                if seq in naming_calls and declarations_wanted:
                    # (the open scopes are up to date: closed above for every call); a flat
                    # list, no tuple per call: the collector has less to follow
                    typing_arguments.extend((call_count, typed, scopes_chain(), start))
                    call_argument_types(None)  # filled in after the sweep
                else:  # no plain name, or no declarations to type one: names not known
                    call_argument_types(
                        TYPE_SEPARATOR.join(
                            "" if entry.startswith(_NAME_ARGUMENT) else entry for entry in typed
                        )
                    )
            call_enclosing(enclosing)
            if not this_stack:
                call_this(None)
            elif this_stack[-1][1] != start:
                call_this(this_stack[-1][2])
            else:  # `function () {}.bind(x)`: a call starting with a function is outside it
                call_this(this_stack[-2][2] if len(this_stack) > 1 else None)
            call_line(start[0] + 1)
            call_column(start[1])
            if declarations_wanted:
                call_at.append(start)
                callee_text = cast(str, data)
                if spaced and " " in callee_text:
                    callee_text = _unspaced(callee_text)
                unwrapped = None if receiver_unwrap is None else receiver_unwrap(callee_text)
                if unwrapped is not None and unwrapped.startswith(POINTEE):
                    # a pointer's pointee (never the own instance's, no pointer)
                    unwrapped = None if rules.pointee_text is None else unwrapped[len(POINTEE) :]
                    if unwrapped is not None:
                        pointee_places.add(call_count)
                if (
                    unwrapped is not None
                    and call_count not in pointee_places
                    and instance_dot is not None
                    and (unwrapped.startswith(instance_dot) and unwrapped.count(".") == 1)
                ):
                    # `Pin::new(&mut *self).f`, `self.as_mut().f`: the own type's (by its name)
                    own = instance_class(start)
                    if isinstance(own, str):
                        place_types[call_count] = own
                elif unwrapped is not None:
                    # the place's type, when it has one (after the others, over them)
                    held = _receiver_of(unwrapped, instance, chains or field_hops)
                    if held is not None and held[0] == _INSTANCE_FIELD:
                        owner = instance_class(start)
                        if owner is not None:
                            place_receivers.append((call_count, *held, owner))
                            if not held[2] and declarations.type_parameters:
                                # `self.x` may be of a type parameter (its bound here)
                                instance_field_chains[call_count] = scopes_chain()
                    elif held is not None and held[0] != _CALLED:
                        place_receivers.append((call_count, *held, scopes_chain()))
                receiver = _receiver_of(callee_text, instance, chains or field_hops)
                if binds_definition is not None:
                    written_head = _RECEIVER_HEAD.match(callee_text)
                    if written_head is not None and written_head.group(1) != instance:
                        value_heads.append((call_count, written_head.group(1), scopes_chain()))
                if called_names is not None:
                    written_name = called_names.fullmatch(callee_text)
                    if written_name is not None:
                        bare_heads.append((call_count, written_name.group(1), scopes_chain()))
                if narrowed_receivers and seq in narrowed_receivers:
                    narrowed_at[call_count] = narrowed_receivers[seq]
                if receiver is None and element_type is not None:
                    # (unspaced: Rust's `self.levels[i]\n.f()`, ``spaced_receivers``)
                    indexed = _INDEXED_NAME.fullmatch(callee_text.rpartition(".")[0])
                    if indexed is None and chains:  # `m.Questions[i].f()`: of m's field
                        indexed = _INDEXED_FIELD.fullmatch(callee_text.rpartition(".")[0])
                    if (
                        indexed is not None
                        and slice_index is not None
                        and _indexes_slice(indexed.group(0), slice_index)
                    ):
                        indexed = None  # `xs[1..].len()`, `xs[1:].count(x)`: no element
                    if indexed is not None:  # `xs[i].f()`: an element of xs
                        receiver = (_NAME_ELEMENT, indexed.group(1), "")
                if receiver is None and receiver_value is not None:
                    # `x.(T).f()`, `T{}.f()`: the value's type, as a call's value is typed
                    written = receiver_value(cast(str, data).rpartition(".")[0])
                    if written is not None:
                        receiver = (_CALLED, written, "")
                if receiver is None and declarations.type_parameter_bounds:
                    # `L::pointers(x)`: the trait bounding the type parameter L, if it is one
                    path_head = _TYPE_PARAMETER_PATH.fullmatch(callee_text)
                    if (
                        path_head is not None
                        and path_head.group(1) in declarations.type_parameter_names
                    ):
                        receiver = (_TYPE_PARAMETER, path_head.group(1), "")
                if receiver is None and seq in cast_receivers:  # `/** @type {T} */ (x).f()`
                    receiver = (_CALLED, cast_receivers[seq], "")
                if receiver is None and returned_type is not None:
                    called = _called_receiver(callee_text, constructs=new_constructs)
                    if called is not None:
                        receivers.append((call_count, _CALLED, called, "", ()))
                        if binds_definition is not None and new_constructs and called[-1] != ")":
                            # `new C().f()`: no class where C is a value (a parameter, a class
                            # expression's own name where the class is no symbol)
                            constructed_heads.append(
                                (call_count, called.partition(".")[0], scopes_chain())
                            )
                elif receiver is not None and receiver[0] == _CALLED:
                    receivers.append((call_count, _CALLED, receiver[1], "", ()))
                elif receiver is not None:
                    how, name, member = receiver
                    if how == _INSTANCE_FIELD:
                        owner = instance_class(start)
                        if owner is not None:
                            receivers.append((call_count, how, name, member, owner))
                            if not member and declarations.type_parameters:
                                # `self.x.f()`: x may be of a type parameter (its bound here)
                                instance_field_chains[call_count] = scopes_chain()
                    elif name == instance and this_binder is not None:
                        # `this.f()`: an explicit `this` parameter of the innermost `this` node
                        if this_stack:
                            top = ((this_stack[-1][1], this_stack[-1][0]),)
                            receivers.append((call_count, how, name, member, top))
                    else:
                        receivers.append((call_count, how, name, member, scopes_chain()))
                        if (
                            how == _NAME_ELEMENT
                            and instance_dot is not None
                            and name.startswith(instance_dot)
                        ):
                            # `self.xs[i].f()`: else an element of the own class's field
                            # (an indexed field, ``field_chains``, of ``instance_name``: Rust)
                            element_owners[call_count] = instance_class(start)
                        if scopes and scopes[-1][2] and not fields_in_scope:
                            in_class_body[call_count] = scopes[-1][1]  # its names come first
            call_count += 1
        elif tag == _DEF:
            kind, name, binder, returned, callbacks = cast(
                tuple[str, str, tuple[Point, Point] | None, str | None, _Callbacks | None],
                data,
            )
            if extra is not None:  # Go: the receiver type is the scope, wherever it is declared
                if place is None:
                    parent = str(extra)
                else:
                    around, around_kind = enclosing, None if scope is None else scope[2]
                    owned = this_of.get(seq)
                    if owned is not None:  # `this.f = ...`: what `this` is (``receiver_this``)
                        this_range, its_parent = owned
                        around_kind = None
                        if this_range is None:
                            around = None
                        elif its_parent:
                            around = this_parents.get(this_range)
                        else:
                            around = this_names.get(this_range)
                        if this_range is not None and around is None:
                            continue  # an anonymous function's `this`: no symbol's member
                    placed = place(str(extra), name, around, around_kind)
                    if placed is None:
                        continue
                    if isinstance(placed, Scope):  # no symbol, but the scope of what it holds
                        stack.append((end, placed.qualified_name, _NO_SYMBOL))
                        continue
                    parent = placed or None
                    if kind == "function" and parent is not None:
                        kind = "method"  # a function stored in an object's property
                        if parent in declared_classes:
                            keyword = assigned_of.get(seq)
                            if keyword:  # (``Modifiers.assigned_keyword``)
                                written = modifiers_of.get(seq, "").split()
                                modifiers_of[seq] = " ".join(sorted({*written, keyword}))
            else:
                parent = enclosing
                if kind == "function" and scope is not None and scope[2] in method_parents:
                    kind = "method"
            qualified = name if parent is None else f"{parent}{sep}{name}"
            if extra is not None and place is not None and parent is not None:
                member_named.add(qualified)  # (named after a member: ``receiver``)
            symbol_kind(kind)
            symbol_name(name)
            symbol_qualified(qualified)
            symbol_parent(parent)
            symbol_start_line(start[0] + 1)
            symbol_start_column(start[1])
            symbol_end_line(end[0] + 1)
            symbol_end_column(end[1])
            symbol_returns(None)  # filled in after the sweep (``returning``)
            symbol_callbacks(None)  # and ``calling_back``
            symbol_fields(None)  # and ``exported_fields`` (a class's)
            counted = parameters_of.get(seq, _NOT_COUNTED)
            symbol_parameters(counted[0])
            symbol_variadic(counted[1])
            written = parameter_types_of.get(seq)
            symbol_parameter_types(None)  # filled in after the sweep (``typing_parameters``)
            span = (start, end)
            if written is not None:
                chain_here = scopes_chain() if declarations_wanted else None
                typing_parameters.extend((len(symbols["kind"]) - 1, written, seq, span, chain_here))
            symbol_modifiers(modifiers_of.get(seq, file_modifiers))
            by_range.setdefault(span, qualified)
            if kind == "class":
                declared_classes.add(qualified)
            if binder is not None:
                this_names.setdefault(binder, qualified)
                this_parents.setdefault(binder, parent or "")
                if kind == "class":  # JS/TS: its fields are its body's (``_export_fields``)
                    class_bodies.setdefault((start, end), binder)
                if kind == "method":
                    method_this.add(binder)
            if kind in scope_kinds:
                stack.append((end, qualified, kind))
            if kind in declaration_scope_kinds:  # as a @scope entry of its node would
                while scopes and scopes[-1][0] <= start:
                    scopes.pop()
                scopes.append((end, (start, end), False))
                chain = None
            if callbacks:  # where the signature is written: as for the return type below
                where = ((start, end), *scopes_chain()) if declarations_wanted else ()
                calling_back.append((len(symbols["kind"]) - 1, callbacks, where))
            if returned is not None:
                ops, _, type_name = returned.rpartition(" ")
                if type_name == SELF:  # the own type: the class/impl the method is in
                    owner_kind = None if extra is not None or scope is None else scope[2]
                    if owner_kind not in _SELF_KINDS or parent is None:
                        continue
                    type_name = parent
                # the function's own scope first (its type parameters), also where its
                # @scope match is swept after the definition
                where = ((start, end), *scopes_chain()) if declarations_wanted else ()
                returning.append((len(symbols["kind"]) - 1, ops, type_name, where))
        elif tag == _IMPORT:
            line = start[0] + 1
            exported = exports_hook(cast(Node, data))
            for module, name, alias in imports_hook(cast(Node, data), node_text):
                if name == OWN_MODULE:
                    if module_name is None:
                        continue
                    name = module_name
                elif name in (ENCLOSING_CLASS, ENCLOSING_FUNCTION):
                    if (
                        scope is None
                        or scope[2] not in _ENCLOSING_KINDS[name]
                        or scope[0] != cast(Node, data).end_point
                    ):
                        continue
                    own = cast(Node, data)  # its own name is the symbol there
                    own_named_symbols.add((own.start_point, own.end_point))
                    if alias == scope[1].rpartition(sep)[2] and scope[1] not in member_named:
                        continue  # (a variable or its own name names it so: rule 2 finds it)
                    name = scope[1]
                imports["module"].append(module)
                imports["name"].append(name)
                imports["alias"].append(alias)
                imports["enclosing"].append(enclosing)
                imports["line"].append(line)
                imports["exported"].append(exported)
        else:
            owner_start, owner_end, relation = cast(tuple[Point, Point, str], extra)
            child = by_range.get((owner_start, owner_end))
            if child is None:
                continue
            inherits["child"].append(child)
            inherits["parent"].append(" ".join(node_text(cast(Node, data)).split()))
            inherits["relation"].append(relation)
            inherits["line"].append(start[0] + 1)

    receiver_types: list[object] = [None] * call_count
    # (``binds_definition``: False but for the receivers found below to start with a local value)
    receiver_locals: list[object] = [None if binds_definition is None else False] * call_count
    hops = field_hops or chains  # a field the file does not declare: a field hop (above)
    # a name no scope of the file binds may be the package's (``package_variables``), unless an
    # import of the file names it
    imported_names = (
        {alias or name for name, alias in zip(imports["name"], imports["alias"], strict=True)}
        if rules.package_variables
        else set()
    )
    if rules.package_variables:
        declarations.package_element = partial(_package_element, imported=frozenset(imported_names))
    if rules.content_type is not None:
        declarations.imported_paths = _imported_paths(imports, sep)

    # a name bound to a member is typed as a field hop (``member_values``): hops go on from it
    chained_hops = bool(member_values)

    @cache
    def file_types() -> frozenset[object]:
        """The names of the types whose fields the file declares (its structs, enums)."""
        return frozenset(
            name
            for kind, name in zip(symbols["kind"], symbols["name"], strict=True)
            if kind in _FIELD_TYPE_KINDS
        )

    def typed_receiver(
        how: int,
        name: str,
        member: str,
        where: object,
        at: Point | None,
        depth: int,
        declarations: _Declarations = declarations,
    ) -> str | None:
        """The type of a receiver (``_receiver_of``'s how, name, member; the scopes it is
        looked up in, or the own class scope) seen from ``at``, ``depth`` copies deep, by
        ``declarations`` (the file's, or a view of them: ``_pointee_view``)."""
        if how == _CALLED:
            return name
        if how == _TYPE_PARAMETER:
            return declarations.bound_of(name, cast(_Chain, where))
        if how == _NAME_ELEMENT:  # `xs[i].f()`: a subscript's value
            return declarations.element_of(
                name,
                cast(_Chain, where),
                depth,
                indexed=rules.index_type is not None,
                at=at if declarations.shadowing_lets else None,  # (Rust's `let xs` before it)
            )
        if how == _NAME_CHAIN:  # hop by hop through the file's fields (``field_chains``)
            found = declarations.name_type(name, cast(_Chain, where), depth, at=at)
            fields = member.split(".")
            for position, hop in enumerate(fields):
                if found is None:
                    break
                element = tuple_element(found, hop)  # a tuple's `.0`: its element
                if element is not None:
                    found = None if element == UNKNOWN_ELEMENT else element
                    continue
                bindings = declarations.fields.get((found, hop))
                if bindings is None and field_hops:  # the rest of the chain, from `found`
                    rest = fields[position:]
                    typed = (
                        _hop_start(found, len(rest), chained=chained_hops)
                        and len(rest) <= MAX_FIELD_HOPS
                    )
                    found = field_hop(found, *rest) if typed else None
                    break
                if bindings is None:
                    found = None
                    break
                found = declarations.agreed(bindings, depth)
            return found
        if how == _INSTANCE_FIELD:
            bindings = declarations.fields.get((cast(_ScopeKey, where), name))
            found = declarations.agreed(bindings, depth)
            rest = _members(member)  # `self.x.y.f` (``chains``): the fields after `x`
            if len(rest) >= MAX_FIELD_HOPS:
                found = None
            elif bindings is None and hops and isinstance(where, tuple):
                # the class by its range, or (JS/TS) by its body's, the `this` node
                own = by_range.get(cast(tuple[Point, Point], where)) or this_names.get(
                    cast(tuple[Point, Point], where)
                )
                found = None if own is None else field_hop(own, name, *rest)
            elif bindings is None and hops and isinstance(where, str) and where not in file_types():
                # a named class scope (Rust's `impl Foo`) of a type another file declares:
                # its fields are that file's, read by the CPG
                found = field_hop(where, name, *rest)
            elif rest and found is not None:  # `self.x` typed here: its `.y` on
                found, rest = tuple_hops(found, rest)
                if found is not None and rest:
                    typed = _hop_start(found, len(rest), chained=chained_hops)
                    found = field_hop(found, *rest) if typed else None
            return found
        if how == _NAME:
            return declarations.name_type(name, cast(_Chain, where), depth, at=at)
        declared = declarations.name_type(name, cast(_Chain, where), depth, at=at)
        element = None if declared is None else tuple_element(declared, member)
        if element is not None:  # a tuple's `.0`: its element
            return None if element == UNKNOWN_ELEMENT else element
        bindings = None if declared is None else declarations.fields.get((declared, member))
        found = declarations.agreed(bindings, depth)
        if bindings is None and hops and declared and _hop_start(declared, chained=chained_hops):
            found = field_hop(declared, member)
        return found

    def typed_member(
        receiver: tuple[int, str, str, object],
        depth: int,
        declarations: _Declarations = declarations,
    ) -> str | None:
        how, name, member, where = receiver
        return typed_receiver(how, name, member, where, None, depth, declarations)

    declarations.member_receiver_type = typed_member
    try:
        if value_heads or bare_heads or constructed_heads:
            for binding_key, definition_range, outer_named in own_names:
                if definition_range not in own_named_symbols:
                    continue  # (no symbol: a value)
                name_key, reach = binding_key
                if declarations.blocks.get(name_key, []).count(reach) > 1:
                    # a parameter or `var` of the method's or the function's shadows it (`const
                    # h = function k(k) { k(); }`: tsc, the parameter): a value
                    continue
                if outer_named:  # a class's, in its methods
                    declarations.binds_definitions.add(binding_key)
                else:
                    declarations.binds_functions.add(binding_key)
        for index, head, chain_there in value_heads:
            if declarations.binds_value(head, chain_there, call_at[index]):
                receiver_locals[index] = True
        value_constructed: set[int] = set()  # (their receivers have no type)
        for index, head, chain_there in constructed_heads:
            if declarations.binds_value(head, chain_there, call_at[index]):
                receiver_locals[index] = True
                value_constructed.add(index)
        if bare_heads:
            for index, head, chain_there in bare_heads:
                at = call_at[index]
                receiver_locals[index] = declarations.binds_value(
                    head, chain_there, at, called=True
                )
        for index, how, name, member, where in receivers:
            if index in value_constructed:
                continue
            if (
                how in (_NAME, _NAME_FIELD)
                and index in in_class_body
                and (in_class_body[index], name) in declarations.fields
            ):
                found = None  # a name the class body binds (the scopes chain skips class bodies)
            else:
                found = typed_receiver(how, name, member, where, call_at[index], 0)
            if found is None and index in instance_field_chains:
                # `self.inner.f()` with `inner: T` in `impl<T: A> W<T>`: the trait bounding T there
                bindings = declarations.fields.get((cast(_ScopeKey, where), name))
                if bindings is not None:
                    found = declarations.instance_field_bound(
                        bindings, instance_field_chains[index]
                    )
            if found is None and index in element_owners:
                # the own class's field, a subscript's value as typed_receiver's `xs[i]` (tables
                # with ``field_chains`` and an ``instance_name``, where `self.xs[i]` is an
                # indexed field: Rust only, whose `self` has no declared type)
                found = declarations.instance_element(
                    name[len(cast(str, instance_dot)) :],
                    element_owners[index],
                    indexed=rules.index_type is not None,
                )
            if (
                found is None
                and rules.package_variables
                and how in (_NAME, _NAME_CHAIN, _NAME_FIELD, _NAME_ELEMENT)
                and "." not in name  # (`m.Questions[i]`: an element of a field of m)
                and name not in imported_names
                and not declarations.binds(name, cast(_Chain, where), call_at[index])
            ):
                # the package's variable of another file: a hop from the package, then its fields
                rest = [] if how in (_NAME, _NAME_ELEMENT) else _members(member)
                head = f"{name}{ELEMENT_OPERATOR}" if how == _NAME_ELEMENT else name
                if len(rest) < MAX_FIELD_HOPS:
                    found = field_hop(PACKAGE, head, *rest)
            elif (
                found is None
                and rules.package_variables
                and how in (_NAME_CHAIN, _NAME_FIELD)
                and name in imported_names
                and not declarations.binds(name, cast(_Chain, where), call_at[index])
            ):
                # `a.Html.String()`: a variable or constant of the package the import `a` names
                rest = _members(member)
                if len(rest) <= MAX_FIELD_HOPS:
                    found = field_hop(imported_package(name), *rest)
            receiver_types[index] = found
        for index, narrowed in narrowed_at.items():  # declared with no one type: the narrowed one
            if receiver_types[index] is None:
                receiver_types[index] = narrowed
        # a member call on a wrapper of a place (``receiver_unwrap``): the place's type when it
        # has one, over the wrapper's value (`Pin::new(&mut self.inner)`: `self.inner`'s)
        pointee_view = (
            None
            if rules.pointee_text is None or not place_receivers
            else _pointee_view(declarations, rules.pointee_text)
        )
        if pointee_view is not None:  # (`let block = self.free_head`: the field's pointee)
            pointee_view.member_receiver_type = partial(typed_member, declarations=pointee_view)
        for index, how, name, member, where in place_receivers:
            at = call_at[index]
            found = typed_receiver(how, name, member, where, at, 0)
            if found is None and index in instance_field_chains:  # as for the receivers above
                bindings = declarations.fields.get((cast(_ScopeKey, where), name))
                if bindings is not None:
                    found = declarations.instance_field_bound(
                        bindings, instance_field_chains[index]
                    )
            if pointee_view is not None:
                # a pointer's place (`p.as_mut().f()` of a `p: NonNull<Foo>`): its pointee's
                pointee = typed_receiver(how, name, member, where, at, 0, pointee_view)
                if index in pointee_places:  # a pointer's step: no place but a pointer's
                    if pointee != found:
                        found = pointee
                    elif found is not None and _CALL_VALUE.fullmatch(found) is not None:
                        found += POINTED  # a call's value: its pointee, if it returns a pointer
                    else:
                        found = None
                elif pointee is not None and pointee != found:
                    found = pointee
            if found is not None:
                place_types[index] = found
        for index, found in place_types.items():
            receiver_types[index] = found
        calls["receiver_type"] = receiver_types
        calls["receiver_local"] = receiver_locals
        returns_column = symbols["returns"]
        is_type_parameter = declarations.is_type_parameter
        for index, ops, type_name, where in returning:
            results = type_name.split(RESULT_SEPARATOR)  # Go: one type per result
            for position, result in enumerate(results):
                if is_type_parameter(result, where):
                    results[position] = ""  # `fn get<T>() -> T`: no type of its own
            type_name = RESULT_SEPARATOR.join(results).rstrip(RESULT_SEPARATOR)
            if type_name:
                returns_column[index] = f"{ops} {type_name}" if ops else type_name
        if typing_parameters:
            parameter_column = symbols["parameter_types"]
            bounded = cast(Arity, arity).bounded_type_variable
            each = iter(typing_parameters)
            for index, written, seq, span, around in zip(each, each, each, each, each, strict=True):
                written = cast(list[str], written)
                function = functions_of[cast(int, seq)]
                for position, type_name in enumerate(written):
                    if (
                        not type_name
                        or around is None
                        # the function's own type parameters, then those of the scopes around
                        or not is_type_parameter(
                            type_name, cast(_Chain, around), own=cast(tuple[Point, Point], span)
                        )
                    ):
                        continue
                    if bounded is not None and bounded(function, type_name):
                        written[position] = ""  # (a bounded type variable: not known)
                    else:
                        written[position] = f"{TYPE_VARIABLE}{type_name}"
                parameter_column[cast(int, index)] = TYPE_SEPARATOR.join(written)
        if typing_arguments:
            # a plain name's declared type as written (primitives and arrays too), read as a
            # receiver's by a view of the same bindings
            written_type = cast(Arity, rules.arity).written_type
            view = replace(
                declarations, declared_type=written_type, _agreed={}, _agreed_in_block={}
            )
            argument_column = calls["argument_types"]
            each = iter(typing_arguments)
            for index, typed, where, at in zip(each, each, each, each, strict=True):
                argument_column[cast(int, index)] = TYPE_SEPARATOR.join(
                    _written_name_type(
                        view.name_type(entry[1:], cast(_Chain, where), at=cast(Point, at))
                    )
                    if entry.startswith(_NAME_ARGUMENT)
                    else entry
                    for entry in cast(list[str], typed)
                )
        callbacks_column = symbols["callback_types"]
        for index, callback_parameters, where in calling_back:
            kept = [
                f"{callback_key(argument, parameter)} {type_name}"
                for argument, parameter, type_name in callback_parameters
                if not is_type_parameter(type_name, where)  # `(value: T) => void`: none of its own
            ]
            if kept:
                callbacks_column[index] = CALLBACK_SEPARATOR.join(kept)
        if rules.exports_fields and declarations.fields:
            _export_fields(symbols, declarations, class_bodies)
        if rules.package_variables:
            _export_variables(symbols, declarations)
    finally:
        # `typed_member` holds `declarations` (a closure's cell) and `declarations` holds it: left
        # so, the file's bindings would wait for the cycle collector, which would then follow them
        # all (java/util: 2-3x the collector's time); broken, they go as the function returns,
        # or as its exception is dropped
        declarations.member_receiver_type = None
    for columns in families.values():
        count = len(columns["line" if "line" in columns else "start_line"])
        columns["language"] = [rules.name] * count
        columns["path"] = [path] * count
    return ColumnExtraction(families=families, error_count=count_errors(root))
