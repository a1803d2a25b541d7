"""Go rule table.

Symbols: ``func`` (function), methods (qualified ``Receiver.Method``, the receiver type without
``*`` and type parameters, parent = the receiver type, wherever it is declared), type specs by
their type: ``struct`` (struct), ``interface`` (interface), anything else incl. ``type A = B``
(type_alias); interface method elements (method, qualified ``Iface.Method``); each ``const`` name
(constant; a package-level typed one has its type in ``returns`` as a variable has); each
package-level ``var`` name (variable, no CPG node), whose ``returns`` is the type its declaration
gives it, marked read (``"<read> sync.Pool"``, ``"<read> newStaticTable()"``, an
element's ``"<read>[] ctlOpt"``; see base ``package_variables``). Other ``var`` declarations are
not symbols.

Every definition's ``modifiers`` is its file's ``//go:build`` expression (``go:build linux &&
amd64``, "" for none; ``go_file_modifiers``), which with the GOOS / GOARCH the file's name ends
with is its build constraint (``go_build_constraint``, ``go_builds_overlap``: the CPG's one
definition per build).

Calls: every ``call_expression`` (conversions like ``int(x)`` are calls syntactically too; ``go``
and ``defer`` statements contain one).

Imports: one row per import spec: module = the path without quotes, name = its last segment,
alias = the explicit package name when given (``f``, ``_``, ``.``).

Inherits: embedded struct fields and embedded interfaces -> "extends" (Go has no inheritance;
embedding is the nearest relation: the embedding type gets the embedded type's methods). Union
and approximation constraints (``~int | string``) are not embedding.

Declared receiver types (``receiver_type`` of ``x.f()`` / ``s.conn.f()``, see ``base``): the
method receiver (``func (s *Server)``: ``s`` is a ``Server``), typed parameters, ``var x T``,
``x := Foo{...}`` / ``&Foo{...}`` / ``new(Foo)``, ``x := y``, ``x := y.(T)``, a call's value
``x := pkg.F(a)`` as ``pkg.F()`` (the CPG's rule 4a; a conversion ``(*T)(p)`` as ``T()``) and the first of several names bound to one
value (``ln, err := net.Listen(...)``, ``e, ok := err.(net.Error)``), typed by the function's first
result (symbols' ``returns`` list every result's type: ``func Dial() (*Conn, error)`` ->
``Conn;error``), the second and third names its other results (``f()[1]``, ``f()[2]``); fields
hop by hop through the structs of the same file (``s.conn.Close()`` with ``type Server struct {
conn *Conn }``; ``field_chains``: a hop the file cannot type is a field hop ``Foo .y`` for the
CPG); a receiver written as a type assertion or a composite literal (``w.(http.Flusher).Flush()``,
``receiver_value``); an element of a name (or a field ``s.items``) declared ``[]T``, ``[N]T``
or ``map[K]T`` (``element_type``): the second range variable over it, an index expression of it
(``v, ok := m[k]``, ``xs[i].f()``, of a field of a typed name ``m.Questions[i].f()``), of a
call's value ``f()[]``; a slice of a name or field is that container (``range m.Questions[1:]``,
``qs := xs[:n]``, ``slice_values``); ``x := s.conn`` and ``p :=
&s.conn`` the field's type. A struct's fields are exported (symbols' ``fields``, an embedded
``*bufio.Reader`` as the field ``Reader``) for the CPG's field hops from other files. The type
as written without ``*`` and type arguments (``pkg.Foo`` stays qualified); a type parameter ->
None. A receiver whose first name the file binds nowhere and no import names
(``staticTable.len()``) is the package's variable of another file: ``"<package> .staticTable"``
(``package_variables``), typed by the CPG; an element of such a name too (``so, ok :=
sockOpts[k]``, ``for _, so := range sockOpts``: ``"<package> .sockOpts[]"``). A field of an
import's name (``a.Html.String()``) is a field hop from the imported package (``"<package:a>
.Html"``); a typed ``const`` (``Html Atom = 0x5604``) exports its type as a ``var`` does. Other bindings (the fourth of several names, a comma-ok
form's second, the first range variable, a type switch's name outside a case of one type)
shadow and disagree; in a type switch's case of one type (``switch e := err.(type) { case
net.Error: e.Timeout() }``, a case is a scope) its name is of that type.

Go modules (plain text, no tree-sitter): the directives of go.mod and go.work files
(``go_mod_directives``, ``go_work_directives``), Go's semantic-version order
(``go_version_key``, as golang.org/x/mod/semver) and minimal version selection
(``minimal_version_selection``), which ``hamilton_modules.go_modules`` and the CPG's Go import
resolution use.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeAlias, cast

import tree_sitter_go
from tree_sitter import Node, Point

from hamilton_modules.languages.base import (
    CALLED_NAME,
    RESULT_SEPARATOR,
    ImportRow,
    LanguageRules,
    TextOf,
)

QUERY = r"""
(function_declaration name: (identifier) @name result: (_)? @returns) @def.function
(method_declaration
  receiver: (parameter_list (parameter_declaration type: (_) @receiver))
  name: (field_identifier) @name result: (_)? @returns) @def.method
(type_spec name: (type_identifier) @name type: (struct_type)) @def.struct
(type_spec name: (type_identifier) @name type: (interface_type)) @def.interface
; Every other type (no text predicates: they decode node text strictly and fail on bad UTF-8).
(type_spec name: (type_identifier) @name
  type: [(type_identifier) (qualified_type) (generic_type) (pointer_type) (array_type)
         (slice_type) (map_type) (channel_type) (function_type) (parenthesized_type)
         (negated_type)]) @def.type_alias
(type_alias name: (type_identifier) @name) @def.type_alias
(method_elem name: (field_identifier) @name result: (_)? @returns) @def.method
; `const a, b = 1, 2`: one match per name (a `name:` field pattern matches only the first)
(const_spec (identifier) @name) @def.constant
; a package-level `var` name (no node: its type is exported, see package_variables)
(source_file (var_declaration (var_spec (identifier) @name) @def.variable))
(source_file (var_declaration (var_spec_list (var_spec (identifier) @name) @def.variable)))
(type_spec
  type: (struct_type (field_declaration_list
    (field_declaration !name type: (_) @inherit.extends)))) @owner
(type_spec
  type: (interface_type
    (type_elem . [(type_identifier) (qualified_type) (generic_type)] @inherit.extends .))) @owner
(call_expression function: (_) @call)
(import_spec) @import

; Declared receiver types (calls' receiver_type): scopes (and the statements whose header binds:
; `if x := ...`, `for k, v := range`, `switch v := x.(type)`; not a block, whose `:=` count for the
; function around: disagreeing ones give None), a struct's fields (named after the type, for
; `s.conn.Close()`), type parameters (a function's, a generic type's, a method receiver's
; `List[T]`), then every binding of a name (typed or not: an untyped one shadows and disagrees).
; (functions, methods and type specs are scopes as definitions: declaration_scope_kinds)
[(func_literal) (if_statement) (for_statement) (expression_switch_statement)
 (type_switch_statement)] @scope
(type_spec name: (type_identifier) @type type: (struct_type (field_declaration_list) @scope.class))
(field_declaration (field_identifier) @var type: (_) @var.type) @declare
; an embedded field is named by its type's name (`*bufio.Reader`: the field `Reader`)
(field_declaration !name type: (type_identifier) @var @var.type) @declare
(field_declaration !name type: (qualified_type name: (type_identifier) @var) @var.type) @declare
(field_declaration !name type: (pointer_type [(type_identifier) @var
                                             (qualified_type name: (type_identifier) @var)]) @var.type) @declare
(type_parameter_declaration (identifier) @var) @declare.type
(method_declaration receiver: (parameter_list (parameter_declaration
  type: (generic_type type_arguments: (type_arguments (type_elem . (type_identifier) @var .) @declare.type)))))
(method_declaration receiver: (parameter_list (parameter_declaration
  type: (pointer_type (generic_type
    type_arguments: (type_arguments (type_elem . (type_identifier) @var .) @declare.type))))))
(parameter_declaration (identifier) @var type: (_) @var.type) @declare
(variadic_parameter_declaration (identifier) @var) @declare
(var_spec (identifier) @var type: (_) @var.type) @declare
(var_spec !type . (identifier) @var . value: (expression_list . (_) @var.value .)) @declare
(var_spec !type (identifier) @var (identifier)) @declare
(var_spec !type (identifier) (identifier) @var) @declare
(short_var_declaration
  left: (expression_list . (identifier) @var .) right: (expression_list . (_) @var.value .)) @declare
(short_var_declaration
  left: (expression_list . (identifier) @var . (identifier))
  right: (expression_list . (_) @var.value .)) @declare
(short_var_declaration
  left: (expression_list (identifier) @var (identifier)) right: (expression_list (_) (_))) @declare
; the other names of several bound to one call's value: its second and third results (`v, err :=
; f()`: `f()[1]`, see base.RESULT_SEPARATOR); past them, and for several values or a comma-ok
; form (`v, ok := m[k]`, `x.(T)`, `<-ch`), untyped
(short_var_declaration
  left: (expression_list . (identifier) . (identifier) @var)
  right: (expression_list . (call_expression) @var.value .)) @declare.1
(short_var_declaration
  left: (expression_list . (identifier) . (identifier) . (identifier) @var)
  right: (expression_list . (call_expression) @var.value .)) @declare.2
(short_var_declaration
  left: (expression_list . (_) . (_) . (_) (identifier) @var)
  right: (expression_list . (call_expression) .)) @declare
(short_var_declaration
  left: (expression_list (identifier) (identifier) @var) right: (expression_list (_) (_))) @declare
(short_var_declaration
  left: (expression_list (identifier) (identifier) @var)
  right: (expression_list . [(type_assertion_expression) (index_expression) (unary_expression)
                             (parenthesized_expression) (identifier) (selector_expression)] .)) @declare
(range_clause left: (expression_list . (identifier) @var)) @declare
; `for _, v := range xs`: an element of xs (its declared `[]T`, `[N]T`, `map[K]T`)
(range_clause left: (expression_list . (_) . (identifier) @var) right: (_) @var.value) @declare.element
(type_switch_statement alias: (expression_list (identifier) @var)) @declare
; `case msg := <-ch:` in a select binds msg (untyped: a package variable msg is not it)
(receive_statement left: (expression_list (identifier) @var) ":=") @declare
; a constant's name binds (untyped): a local `const afo = Foreignobject` is no package variable;
; a typed one (`Html Atom = 0x5604`) is of its type (a package-level one's is exported, as a
; variable's: `a.Html.String()` in another package)
(const_spec (identifier) @var) @declare
(const_spec (identifier) @var type: (_) @var.type) @declare
; `switch e := err.(type) { case net.Error: e.Timeout() }`: in a case of one type, e is one (a
; case is a scope; a case of several types and `default` see the switch's own untyped e)
(type_case) @scope
(type_switch_statement alias: (expression_list (identifier) @var)
  (type_case . type: (_) @var.type . (statement_list)) @declare)
"""

_GO_CHANNEL = re.compile(r"\s*(?:<-\s*)?chan\b")
# Types that a written one stands for, one named type each: `*T`, `(T)`, `T[A]`, `pkg.T`.
_GO_NAMED = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)?")


@functools.lru_cache(maxsize=4096)
def go_declared_type(text: str) -> str | None:
    """The one named type a written Go type declares, as written without pointers and type
    arguments: ``*Server``, ``pkg.Conn``, ``List[T]`` -> ``Server`` / ``pkg.Conn`` / ``List``;
    None for slices, maps, channels, functions and literal struct or interface types."""
    if _GO_CHANNEL.match(text):
        return None  # `chan T`, `<-chan T`: not a type named `chanT`
    text = "".join(text.split()).lstrip("*(").rstrip(")")
    head = text.partition("[")[0] if text.endswith("]") else text
    # `case nil:` of a type switch: no type
    return head if _GO_NAMED.fullmatch(head) and head != "nil" else None


# Go's predeclared functions (the spec's "Built-in functions"): their values are no call value
# of a repository function (``new(T)`` is a ``T``, see go_constructed_type).
GO_BUILTIN_FUNCTIONS = frozenset(
    {
        "append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make",
        "max", "min", "new", "panic", "print", "println", "real", "recover",
    }
)  # fmt: skip
# A call of a named function: ``f(``, ``pkg.F(``, ``x.M(`` (the callee up to the parenthesis).
_GO_CALLED = re.compile(r"([^\W\d]\w*(?:\s*\.\s*[^\W\d]\w*)*)\s*\(")


def _closes_at_end(text: str, opening: int) -> bool:
    """Whether the parenthesis at ``opening`` closes at the end of ``text`` (``f(a)``, not
    ``f(a)(b)`` or ``f(a).g()``); strings are not parsed (a parenthesis in one: no type)."""
    depth = 0
    for index in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index == len(text) - 1
    return False


def go_constructed_type(text: str) -> str | None:
    """The type a value constructs: ``Foo{...}``, ``&pkg.Foo{...}``, ``new(Foo)``, ``Foo[T]{}``
    -> ``Foo`` / ``pkg.Foo``; a type assertion ``x.(*T)`` -> ``T``; a call of a named
    function, ``net.Listen(a)`` / ``T(x)``, its call value ``net.Listen()`` / ``T()`` (the CPG
    types it: a conversion is a ``T``, a function from outside the repository gives an outside
    value; with ``a, err := f()`` the first result); None for any other value (a predeclared function's, a slice or map literal)."""
    text = text.strip()
    if text.startswith("new(") and text.endswith(")"):
        return go_declared_type(text[4:-1])
    if text.startswith("(") and not _closes_at_end(text, 0):
        # a conversion to a parenthesized type, `(*cmsghdr)(unsafe.Pointer(p))`: a call of the
        # type, as `T(x)` is (the CPG types it T when T is a type)
        converted = _converted_type(text)
        if converted is not None:
            return f"{converted}()"
    called = _GO_CALLED.match(text)
    if called is not None and _closes_at_end(text, called.end() - 1):
        callee = "".join(called.group(1).split())
        return None if callee in GO_BUILTIN_FUNCTIONS else f"{callee}()"
    value, assertion, asserted = text.rpartition(".(")
    if assertion and value and asserted.endswith(")"):  # `x.(T)`, `x.(*pkg.T)`: a T
        return go_declared_type(asserted[:-1])
    address = text.startswith("&")
    text = text.removeprefix("&").lstrip()
    if text.endswith("}"):
        text = text.partition("{")[0]
    elif address:
        return None  # `&x.y`: the address of a variable or field, no type named
    return go_declared_type(text) if not text.startswith("*") else None


def _converted_type(text: str) -> str | None:
    """The type of a conversion ``(T)(x)`` / ``(*pkg.T)(x)`` (a parenthesized type, then one
    parenthesized argument list to the end): ``T`` / ``pkg.T``; None for anything else."""
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            rest = text[index + 1 :].lstrip()
            if not rest.startswith("(") or not _closes_at_end(rest, 0):
                return None
            inner = text[1:index].strip()
            return go_declared_type(inner) if inner.lstrip("*").strip() else None
    return None


def go_element_type(text: str) -> str | None:
    """The one named type of the elements of a written container type (``element_type``):
    ``[]*T``, ``[4]pkg.T``, ``map[string]*T`` -> ``T`` / ``pkg.T`` / ``T``; None for anything
    else (a named type, a channel, elements of no one named type)."""
    text = "".join(text.split())
    start = 3 if text.startswith("map[") else 0 if text.startswith("[") else -1
    if start < 0:
        return None
    depth = 0
    for index in range(start, len(text)):
        depth += {"[": 1, "]": -1}.get(text[index], 0)
        if depth == 0:
            return go_declared_type(text[index + 1 :]) if index + 1 < len(text) else None
    return None


def go_receiver_value(text: str) -> str | None:
    """The type of a receiver written as a value (``receiver_value``): a type assertion
    ``x.(T)`` / ``x.(*pkg.T)``, a composite literal ``T{...}`` / ``(&T{...})``, ``new(T)`` ->
    ``T`` / ``pkg.T``; None for anything else (a name, a field, a call's value: typed as such
    elsewhere; a slice or map literal)."""
    text = text.strip()
    while text.startswith("(") and _closes_at_end(text, 0):
        text = text[1:-1].strip()
    called = _GO_CALLED.match(text)
    if (
        called is not None
        and _closes_at_end(text, called.end() - 1)
        and not text.startswith("new(")
    ):
        return None  # a call's value (``_called_receiver``), or a conversion
    literal = text.removeprefix("&").lstrip()
    if literal.endswith("}") and literal.partition("{")[0].strip() in _GO_TYPE_WORDS:
        return None  # `struct{...}{}`, `map[K]V{}`: no named type
    if text.startswith("new(") or literal.endswith("}") or (text.endswith(")") and ".(" in text):
        return go_constructed_type(text)
    return None


# Words that start a Go type written with a space (`chan T`, `func(...)`, `map[K]V`): an item
# "w T" of a result list starting with one is an unnamed type, not a named result.
_GO_TYPE_WORDS = frozenset({"chan", "func", "map", "struct", "interface"})


def _top_level_items(text: str) -> list[str]:
    """The comma-separated items of a Go parameter list's inside, brackets kept whole."""
    items: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(text[start:index].strip())
            start = index + 1
    items.append(text[start:].strip())
    return [item for item in items if item]


def go_returned_type(text: str, is_async: bool) -> str | None:
    """A function's ``returns`` column (see base.py ``returned_type``): the type of each
    result, as ``go_declared_type`` reads it, joined by ``RESULT_SEPARATOR`` (empty where a
    result has no named type; trailing empty ones left out): ``*Server`` / ``(s *Server, err
    error)`` / ``(a, b *Server)`` -> ``Server`` / ``Server;error`` / ``Server;Server``,
    ``([]byte, error)`` -> ``;error``; None when no result has one (a slice, a map, a function).
    ``x := f()`` and ``x, err := f()`` bind the first result (``go_constructed_type``), ``err``
    the second (``f()[1]``). Go has no ``async``: no operators."""
    del is_async
    text = text.strip()
    if not text.startswith("("):
        return go_declared_type(text)
    items = _top_level_items(text[1:-1] if text.endswith(")") else text[1:])
    named = any(
        len(words) == 2 and words[0].isidentifier() and words[0] not in _GO_TYPE_WORDS
        for words in (item.split(None, 1) for item in items)
    )
    results: list[str] = []
    pending = 0  # named results waiting for their group's type: `a, b *Server`
    for item in items:
        words = item.split(None, 1)
        if named and len(words) == 1 and item.isidentifier():
            pending += 1
            continue
        type_text = words[1] if named and len(words) == 2 else item
        results.extend([go_declared_type(type_text) or ""] * (pending + 1))
        pending = 0
    joined = RESULT_SEPARATOR.join(results).rstrip(RESULT_SEPARATOR)
    return joined or None


# Build constraints (the go command's "Build constraints"): the known GOOS and GOARCH values a
# file name ends with (go/build's knownOS, knownArch), the systems the `unix` tag holds for, and
# the GOOS values that also satisfy another system's tag.
GO_OSES = frozenset(
    {
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
        "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
    }
)  # fmt: skip
GO_ARCHES = frozenset(
    {
        "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
        "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le",
        "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
    }
)  # fmt: skip
_UNIX_OSES = frozenset(
    {
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "linux",
        "netbsd", "openbsd", "solaris",
    }
)  # fmt: skip
_ALSO_SATISFIES = {"android": "linux", "illumos": "solaris", "ios": "darwin"}
# What prefixes a Go definition's ``modifiers``: the build constraint of its file.
GO_BUILD_PREFIX = "go:build "
_BUILD_LINE = re.compile(rb"//go:build[ \t]+([^\r\n]*)")
_BUILD_TOKEN = re.compile(r"\s*(\(|\)|!|&&|\|\||[\w.]+)")
_GO_VERSION_TAG = re.compile(r"go1\.(\d+)")
# The Go minor version of a build when no constraint of a pair names one (go1.1 ... go1.40 hold).
_GO_MINORS = 40


def go_file_modifiers(source: bytes) -> str:
    """The ``modifiers`` of every definition of a Go file: the ``//go:build`` expression of its
    header (before the package clause) after :data:`GO_BUILD_PREFIX` (``go:build aix ||
    darwin``); "" when it has none. (What the file's name adds is its path's:
    :func:`go_build_constraint`; extraction reads the bytes only.) The header is go/build's
    (``parseFileHeader``): blank lines, ``//`` and ``/* */`` comments up to the first other
    text; a ``//go:build`` line counts there but inside a ``/* */`` comment, also in the doc
    comment adjoining the package clause (unlike a ``// +build`` line, which must be
    followed by a blank line: vet's buildtag check says so too)."""
    in_block = False  # inside a /* */ comment
    for line in source.split(b"\n", 200)[:200]:
        rest = line.strip()
        if not in_block:
            found = _BUILD_LINE.match(rest)
            if found is not None:
                expression = found.group(1).decode("utf-8", "replace").strip()
                return f"{GO_BUILD_PREFIX}{expression}" if expression else ""
        while rest:  # past this line's comments: other text ends the header
            if in_block:
                closing = rest.find(b"*/")
                if closing < 0:
                    break
                in_block, rest = False, rest[closing + 2 :].strip()
            elif rest.startswith(b"//"):
                break
            elif rest.startswith(b"/*"):
                in_block, rest = True, rest[2:].strip()
            else:
                return ""  # the package clause: no constraint past it
    return ""


@functools.lru_cache(maxsize=16384)
def go_build_constraint(path: str, modifiers: str | None) -> str:
    """A Go file's build constraint: its ``//go:build`` expression (the ``modifiers`` of its
    definitions, :func:`go_file_modifiers`) and the GOOS / GOARCH its name ends with
    (``sys_linux.go``, ``zsys_linux_amd64.go``, ``x_arm64_test.go``; go/build's
    goodOSArchFile), joined by ``&&`` (``(aix || darwin) && amd64``); "" when it has none."""
    terms: list[str] = []
    expression = (modifiers or "").removeprefix(GO_BUILD_PREFIX).strip()
    if expression:
        terms.append(f"({expression})")
    name = path.rsplit("/", 1)[-1].partition(".")[0]
    if "_" in name:
        parts = name[name.index("_") :].split("_")
        if parts[-1] == "test":
            parts = parts[:-1]
        if len(parts) >= 2 and parts[-2] in GO_OSES and parts[-1] in GO_ARCHES:
            terms.extend(parts[-2:])
        elif parts and (parts[-1] in GO_OSES or parts[-1] in GO_ARCHES):
            terms.append(parts[-1])
    return " && ".join(terms)


_Expression = tuple[object, ...] | str


def _parse_build(text: str) -> _Expression | None:
    """A build expression's tree (``("or", a, b)``, ``("and", a, b)``, ``("not", a)``, a tag);
    None when it is no valid one."""
    tokens: list[str] = []
    position = 0
    while position < len(text):
        token = _BUILD_TOKEN.match(text, position)
        if token is None:
            if text[position:].strip():
                return None
            break
        tokens.append(token.group(1))
        position = token.end()
    index = 0

    def parse(level: int) -> _Expression | None:
        nonlocal index
        if level == 0 or level == 1:  # || then &&
            left = parse(level + 1)
            operator = "||" if level == 0 else "&&"
            while left is not None and index < len(tokens) and tokens[index] == operator:
                index += 1
                right = parse(level + 1)
                left = None if right is None else ("or" if level == 0 else "and", left, right)
            return left
        if index >= len(tokens):
            return None
        token = tokens[index]
        index += 1
        if token == "!":
            inner = parse(2)
            return None if inner is None else ("not", inner)
        if token == "(":
            inner = parse(0)
            if inner is None or index >= len(tokens) or tokens[index] != ")":
                return None
            index += 1
            return inner
        return None if token in (")", "&&", "||") else token

    tree = parse(0)
    return tree if tree is not None and index == len(tokens) else None


def _holds(tree: _Expression, tags: Callable[[str], bool]) -> bool:
    if isinstance(tree, str):
        return tags(tree)
    if tree[0] == "not":
        return not _holds(cast(_Expression, tree[1]), tags)
    left, right = cast(_Expression, tree[1]), cast(_Expression, tree[2])
    if tree[0] == "and":
        return _holds(left, tags) and _holds(right, tags)
    return _holds(left, tags) or _holds(right, tags)


def _tags_of(tree: _Expression) -> set[str]:
    if isinstance(tree, str):
        return {tree}
    return set().union(*(_tags_of(cast(_Expression, part)) for part in tree[1:]))


def _tag_holds(tag: str, *, goos: str, goarch: str, minor: int, chosen: frozenset[str]) -> bool:
    """Whether a build tag holds in the build (GOOS, GOARCH, Go 1.minor, the other tags set)."""
    version = _GO_VERSION_TAG.fullmatch(tag)
    if version is not None:
        return int(version.group(1)) <= minor
    return (
        tag in (goos, goarch, _ALSO_SATISFIES.get(goos))
        or (tag == "unix" and goos in _UNIX_OSES)
        or tag in chosen
    )


def _free_tags(named: Iterable[str]) -> list[str]:
    """The tags among ``named`` that name no system, architecture, ``unix`` or Go version:
    custom build tags, each true or false in some build."""
    return sorted(
        tag
        for tag in named
        if tag not in GO_OSES
        and tag not in GO_ARCHES
        and tag != "unix"
        and not _GO_VERSION_TAG.fullmatch(tag)
    )


@functools.lru_cache(maxsize=16384)
def go_builds_overlap(first: str, second: str) -> bool:
    """Whether one build (GOOS, GOARCH, Go version, other tags) includes files of both build
    constraints (:func:`go_build_constraint`; "" holds in every build); True when either cannot
    be read."""
    if not first or not second:
        return True
    trees = [_parse_build(text) for text in (first, second)]
    if trees[0] is None or trees[1] is None:
        return True
    both: _Expression = ("and", trees[0], trees[1])
    named = _tags_of(both)
    # the builds that tell the tags apart: each Go version named (and one before them all),
    # each system named or satisfying a named one (and one unix, one other system named by
    # none), each architecture named (and one other)
    versions = {int(m.group(1)) for tag in named if (m := _GO_VERSION_TAG.fullmatch(tag))}
    minors = sorted(versions | {min(versions) - 1}) if versions else [_GO_MINORS]
    oses = {goos for goos in GO_OSES if goos in named or _ALSO_SATISFIES.get(goos) in named}
    unnamed = sorted(GO_OSES - oses)
    if unnamed:
        oses.update(
            next((goos for goos in unnamed if (goos in _UNIX_OSES) is unix), unnamed[0])
            for unix in (True, False)
        )
    # one architecture named by neither (none when they name all)
    other_arch = next((arch for arch in sorted(GO_ARCHES) if arch not in named), None)
    arches = [*sorted(named & GO_ARCHES), *([other_arch] if other_arch is not None else [])]
    free = _free_tags(named)
    if len(free) > 8:
        return True
    for goos in sorted(oses):
        for goarch in arches:
            for minor in minors:
                for mask in range(1 << len(free)):
                    chosen = frozenset(tag for bit, tag in enumerate(free) if mask >> bit & 1)
                    holds = functools.partial(
                        _tag_holds, goos=goos, goarch=goarch, minor=minor, chosen=chosen
                    )
                    if _holds(both, holds):
                        return True
    return False


_TYPE_ARGS = re.compile(r"\[.*", re.DOTALL)


# The nodes a field's struct type may be written in, up to the one that says whose field it is:
# a named type's (a class scope), or a function's anonymous struct (`tests := []struct{ msgs
# []Message }{...}`), whose field names bind nothing in the function: read through a value
# (`tests[i].msgs`), they never shadow its names (`msgs(x)` converts to the package's type).
_FIELD_OWNERS = frozenset(
    {"type_spec", "function_declaration", "method_declaration", "func_literal"}
)


# A local `var`/`const` spec's declaration, and the statements that declare from their end
# (Go spec, Declarations and scope: "begins at the end of the ConstSpec or VarSpec
# (ShortVarDecl for short variable declarations) and ends at the end of the innermost
# containing block"); a `select` case's `v := <-ch` holds in its case.
_SPEC_DECLARATIONS = frozenset({"var_spec_list", "var_declaration", "const_declaration"})
_FROM_END = frozenset({"var_spec", "const_spec", "short_var_declaration", "receive_statement"})


def go_declaration_reach(declaration: Node) -> str | tuple[Point, Point]:
    """Where a ``@declare`` node's binding holds: a local variable or constant (a ``:=``, a
    ``var`` or ``const`` spec in a block or a case, a ``select`` case's receive) from its end
    to the end of the block or case clause it stands in (``cb()`` before ``cb := ...``, or
    after the block, is the package's ``cb``); a field of an anonymous struct type written
    in a function (no named type around it there) nowhere (``"none"``); every other binding
    (a parameter, a header's ``if x :=``/``for k, v := range``, a package's variable) in the
    whole scope (``"scope"``)."""
    if declaration.type in _FROM_END:
        statement = declaration.parent
        while statement is not None and statement.type in _SPEC_DECLARATIONS:
            statement = statement.parent
        if declaration.type == "receive_statement":
            if statement is not None and statement.type == "communication_case":
                return (declaration.end_point, statement.end_point)
        elif statement is not None and statement.type == "statement_list":
            around = statement.parent  # the block or the case clause
            return (declaration.end_point, (around or statement).end_point)
        return "scope"
    if declaration.type != "field_declaration":
        return "scope"
    node = declaration.parent
    while node is not None and node.type not in _FIELD_OWNERS:
        node = node.parent
    return "scope" if node is None or node.type == "type_spec" else "none"


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
    # `func f(cb func()) { cb() }`: the parameter (go/types), no function cb of the package
    called_names=CALLED_NAME,
    declaration_reach=go_declaration_reach,
    imports=go_imports,
    clean_name=receiver_type_name,
    declaration_scope_kinds=frozenset({"function", "method", "struct", "interface", "type_alias"}),
    declared_type=go_declared_type,
    # `Foo{}` (its type), `&Foo{}` and `new(Foo)` (the whole value, see go_constructed_type);
    # `x := y` has the type declared for y
    value_constructors={
        "composite_literal": ("type", ""),
        "unary_expression": ("", ""),
        "call_expression": ("", ""),
        # `v := x.(T)`, `v, ok := x.(T)`: a T (the whole value, see go_constructed_type)
        "type_assertion_expression": ("", ""),
    },
    constructed_type=go_constructed_type,
    receiver_value=go_receiver_value,
    field_chains=True,
    exports_fields=True,  # a struct's fields, for field hops from other files
    element_type=go_element_type,
    # `xs[1:]`, `xs[a:b:c]`
    slice_index=re.compile(":"),
    # `v, ok := m[k]`, `v := xs[i]`: an element of the indexed name
    element_values={"index_expression": "operand"},
    address_values={"unary_expression": "operand"},  # `p := &s.conn`: s.conn's type
    # `for _, q := range m.Questions[1:]`: m.Questions's elements; `ys := xs[:n]`: xs's type
    slice_values={"slice_expression": "operand"},
    # `x := y`, `x := s.conn` (a field of s's struct, one hop): the type declared for it
    value_names=frozenset({"identifier", "selector_expression"}),
    returned_type=go_returned_type,
    # `staticTable.len()` with `var staticTable = newStaticTable()` in another file of the package
    package_variables=True,
    # every definition's `modifiers`: its file's build constraint (`go:build linux && amd64`)
    file_modifiers=go_file_modifiers,
)


# go.mod / go.work tokens (the Go modules reference, "go.mod files: lexical elements"): a `//`
# comment to the end of the line, an interpreted or raw string, `=>`, a parenthesis, or an
# identifier.
_GO_MOD_TOKEN = re.compile(r"""//.*|"(?:[^"\\\n]|\\.)*"|`[^`]*`|=>|[()]|(?:(?!=>|//)[^\s"`()])+""")
# Right-hand sides that are file paths, not module paths (modfile.IsDirectoryPath: the Unix and
# the Windows forms, since go.mod files move between systems).
_DIRECTORY_PREFIXES = ("./", "../", "/", ".\\", "..\\", "\\")
_DRIVE = re.compile(r"[A-Za-z]:")
# The verbs each file kind may hold (the Go modules reference, "go.mod files" and "go.work
# files"): the first set is read, the second is valid and ignored; any other verb is an error.
_GO_MOD_VERBS = (
    frozenset({"module", "require", "replace"}),
    frozenset({"go", "toolchain", "godebug", "exclude", "retract", "tool", "ignore"}),
)
_GO_WORK_VERBS = (frozenset({"use", "replace"}), frozenset({"go", "toolchain", "godebug"}))


@dataclass(frozen=True)
class GoModDirective:
    """One directive of a go.mod or go.work file (block entries included), or a line that is not
    a valid one.

    ``kind`` is ``module``, ``require``, ``replace`` (go.mod), ``use``, ``replace`` (go.work) or
    ``invalid``. ``module`` is the declared, required or replaced module path and ``version``
    its version (``replace old v1.2.3 => ...``; None when the replacement is for every
    version). A replacement also has its ``target`` as written (a module path, or a file path
    starting with ``./``, ``../`` or ``/``) and the ``target_version`` of a module target; a
    ``use`` has its folder as written in ``target``. An ``invalid`` line has its ``reason``.
    """

    line: int
    kind: str
    module: str | None = None
    version: str | None = None
    target: str | None = None
    target_version: str | None = None
    reason: str | None = None


def _go_mod_token(token: str) -> str:
    """A token's value: strings without their quotes (module paths never hold escapes)."""
    return token[1:-1] if len(token) >= 2 and token[0] in '"`' else token


def _invalid(line: int, reason: str) -> GoModDirective:
    return GoModDirective(line=line, kind="invalid", reason=reason)


def _directive(line: int, verb: str, args: list[str]) -> GoModDirective:
    """The directive of a (read) verb and its arguments, or why the line is not one."""
    if verb == "module" and len(args) == 1:
        return GoModDirective(line=line, kind="module", module=args[0])
    if verb == "require" and len(args) == 2:
        return GoModDirective(line=line, kind="require", module=args[0], version=args[1])
    if verb == "use" and len(args) == 1:
        return GoModDirective(line=line, kind="use", target=args[0])
    if verb == "replace" and "=>" in args:
        arrow = args.index("=>")
        old, new = args[:arrow], args[arrow + 1 :]
        if 1 <= len(old) <= 2 and 1 <= len(new) <= 2 and "=>" not in new:
            # modfile.parseReplace: a directory without a version (with "\\" only on Windows),
            # a module with one
            directory = is_directory_target(new[0])
            if directory and len(new) == 2:
                return _invalid(line, "replacement directory with a version")
            if directory and "\\" in new[0]:
                return _invalid(line, "replacement directory is a Windows path")
            if not directory and len(new) == 1:
                return _invalid(line, "replacement module without a version")
            return GoModDirective(
                line=line,
                kind="replace",
                module=old[0],
                version=old[1] if len(old) == 2 else None,
                target=new[0],
                target_version=new[1] if len(new) == 2 else None,
            )
    return _invalid(line, f"malformed {verb} directive")


def _directives(text: str, verbs: tuple[frozenset[str], frozenset[str]]) -> list[GoModDirective]:
    """The read directives of a go.mod or go.work text and its invalid lines, in file order, in
    both the one-line form (``replace old => ./x``) and the block form (``replace ( ... )``)."""
    read, ignored = verbs
    directives: list[GoModDirective] = []
    block: tuple[int, str] | None = None  # the line and verb of the open `verb (` block
    # Only "\n" ends a line in Go's lexer (a "\r" is a space); str.splitlines would also split
    # at "\r", "\x85" or "\u2028", even inside a comment, and shift every later line number.
    for number, line in enumerate(text.split("\n"), start=1):
        tokens = [
            _go_mod_token(token)
            for token in _GO_MOD_TOKEN.findall(line)
            if not token.startswith("//")
        ]
        if not tokens:
            continue
        if block is not None:
            verb, args = block[1], tokens
            if tokens == [")"]:
                block = None
                continue
        elif tokens == [")"]:
            directives.append(_invalid(number, "unexpected )"))
            continue
        else:
            verb, args = tokens[0], tokens[1:]
            if verb not in read and verb not in ignored:
                directives.append(_invalid(number, f"unknown directive {verb!r}"))
                continue
            if args == ["("]:
                block = (number, verb)
                continue
        if "(" in args or ")" in args:
            directives.append(_invalid(number, f"malformed {verb} directive"))
        elif verb in read:
            directives.append(_directive(number, verb, args))
    if block is not None:
        directives.append(_invalid(block[0], f"unclosed {block[1]} block"))
        directives.sort(key=lambda directive: directive.line)
    return directives


def go_mod_directives(text: str) -> list[GoModDirective]:
    """The ``module``, ``require`` and ``replace`` directives of a go.mod and its invalid lines,
    in file order. Comments and the ignored verbs (``go``, ``exclude``...) contribute nothing;
    a second ``module`` directive is invalid (Go rejects it; the first one stands)."""
    directives = _directives(text, _GO_MOD_VERBS)
    modules = [d for d in directives if d.kind == "module"]
    return [
        _invalid(d.line, "a second module directive")
        if d.kind == "module" and d is not modules[0]
        else d
        for d in directives
    ]


def go_work_directives(text: str) -> list[GoModDirective]:
    """The ``use`` and ``replace`` directives of a go.work and its invalid lines, in file
    order; ``go``, ``toolchain`` and ``godebug`` lines contribute nothing."""
    return _directives(text, _GO_WORK_VERBS)


def is_directory_target(target: str) -> bool:
    """Whether a replacement's target is a file path (a local module root), not a module path."""
    return (
        target in (".", "..")
        or target.startswith(_DIRECTORY_PREFIXES)
        or _DRIVE.match(target) is not None
    )


# Go's semantic versions (golang.org/x/mod/semver): `v` + MAJOR[.MINOR[.PATCH[-PRE][+BUILD]]],
# numbers without leading zeros; `v1` and `v1.2` are shorthands for v1.0.0 and v1.2.0.
_NUMBER = r"(0|[1-9][0-9]*)"
_PRE_IDENTIFIER = r"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_GO_SEMVER = re.compile(
    rf"v{_NUMBER}(?:\.{_NUMBER}(?:\.{_NUMBER}"
    rf"(?:-({_PRE_IDENTIFIER}(?:\.{_PRE_IDENTIFIER})*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?"
)
_Identifier: TypeAlias = tuple[int, int, str]
GoVersionKey: TypeAlias = tuple[int, int, int, int, tuple[int, tuple[_Identifier, ...]]]


def go_version_key(version: str) -> GoVersionKey:
    """A sort key ordering Go module versions by semver.org precedence, as ``semver.Compare``:
    build metadata (``+incompatible``) is ignored, a pre-release (``v1.0.0-rc.1``, and so every
    pseudo-version ``v0.0.0-2019...-abc``) precedes its release, pre-release identifiers compare
    numerically when numeric, else in ASCII order, numeric before alphanumeric, a shorter list
    first when it is a prefix; an invalid version precedes every valid one (all invalid are equal).
    """
    match = _GO_SEMVER.fullmatch(version)
    if match is None:
        return (0, 0, 0, 0, (0, ()))
    major, minor, patch, pre = match.groups()
    if pre is None:
        release: tuple[int, tuple[_Identifier, ...]] = (1, ())
    else:
        release = (
            0,
            tuple(
                (0, int(part), "") if part.isdigit() else (1, 0, part) for part in pre.split(".")
            ),
        )
    return (1, int(major), int(minor or 0), int(patch or 0), release)


def minimal_version_selection(
    *,
    requirements_of: Callable[[tuple[str, str]], Sequence[tuple[str, str]]],
    roots: Sequence[tuple[str, str]],
    main_modules: Collection[str],
) -> dict[str, str]:
    """Go's minimal version selection: the version the build selects for every module reachable
    from ``roots`` (the main modules' requirements), the highest one reached (Go semver order;
    equal precedence, e.g. ``+incompatible``: the greatest string).

    ``requirements_of`` gives what the go.mod of a (module, version) requires, nothing for the
    versions whose go.mod is not known (leaves); main modules are the build itself and are
    never selected.
    """
    selected: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    pending = [required for required in roots if required[0] not in main_modules]
    while pending:
        required = pending.pop()
        if required in seen:
            continue
        seen.add(required)
        module, version = required
        best = selected.get(module)
        if best is None or (go_version_key(best), best) < (go_version_key(version), version):
            selected[module] = version
        pending.extend(
            dependency
            for dependency in requirements_of(required)
            if dependency[0] not in main_modules and dependency not in seen
        )
    return dict(sorted(selected.items()))
