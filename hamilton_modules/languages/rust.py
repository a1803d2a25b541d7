"""Rust rule table.

Symbols: ``fn`` (function; method when directly inside an ``impl`` or ``trait``, including trait
signatures without a body), ``struct`` and ``union`` (struct), ``enum``, ``trait``, ``impl``,
``mod`` (module), ``type`` aliases and associated types (type_alias; ``returns``: the one type
an alias stands for, read as a return type, which the CPG takes for the alias in receivers),
``macro_rules!`` (macro),
``const``/``static`` (constant). An ``impl`` is named after the implemented type with generics,
references and paths removed, like Universal Ctags: ``impl<T> fmt::Display for &'a foo::Foo<T>``
is ``Foo``, and its methods are ``Foo::fmt``. Qualified names join with ``::`` and include the
enclosing ``mod`` blocks of the file (not the file's own module path).

Calls: ``call_expression`` (``x.foo()`` -> callee "x.foo", callee_name "foo"; turbofish
``f::<T>()`` -> callee "f") and macro invocations as calls whose callee ends in ``!``
(``println!``, ``std::println!`` -> callee_name "println!").

Macro invocations: tree-sitter leaves their bodies as token trees, so they are parsed again as
Rust (:func:`macro_code`): items and statements of ``name! { ... }`` bodies (tokio's
``cfg_rt! { pub fn spawn() {} }``, ``pin_project! { struct S }``, ``thread_local! { static X }``)
and the arguments of ``name!(...)`` / ``name![...]`` as an expression (``println!("{}", f(x))``
has the call ``f``). Their rows are scoped by the enclosing definitions (the invocation is no
scope), at their real positions. A body that is no valid Rust (``select!`` arms, ``quote!``
interpolation) contributes nothing. ``matches!``-style macros take an expression and a pattern:
only the expression is parsed (``matches!(f(x), Some(_) if g())`` has the call ``f``; the pattern
``Some(_)`` is no call, and the guard is not read). ``macro_rules!`` bodies are patterns, not
code: never parsed.

Imports: ``use a::b::{c, d as e, f::*}`` -> ("a::b", "c"), ("a::b", "d", "e"), ("a::b::f", "*");
``use a::b;`` -> ("a", "b"); ``use a;`` -> (None, "a"); ``use a::b::{self}`` -> ("a", "b");
``extern crate x as y`` -> (None, "x", "y"). The rows of a ``pub use`` (``pub(crate)``,
``pub(super)``, ``pub(in path)`` too; not ``pub(self)``, which is private) and ``pub extern crate``
are ``exported`` (``exports`` hook): the names become members of the module for whoever may see
it, re-exports the CPG's rule 3 follows; a plain ``use`` is private to its module. A ``use``
inside a macro body (``cfg_net! { pub use ...; }``) is read the same way.

Inherits: ``impl Trait for Type`` -> Type -> Trait ("impl"); ``trait A: B + C`` -> "extends".
Blanket impls, whose type is one of the impl's own type parameters (``impl<W: AsyncWrite +
?Sized> AsyncWriteExt for W``, ``impl<T> Ext for T where T: A + B``): besides the "impl" row, a
"blanket" row naming the parameter itself (``W`` -> ``W``: the marker, also of an unbounded
``impl<T> Ext for T``) and one per bound of it, in the generics or a ``where T:`` clause
(``W`` -> ``AsyncWrite``; ``?Sized`` and lifetimes skipped, marker traits kept as written).

Declared receiver types (``receiver_type`` of ``x.f()`` / ``self.x.f()``, see ``base``): typed
parameters, ``let x: T`` and ``static X: T`` (one in ``thread_local!`` is a ``LocalKey<T>``,
whose ``with`` T lacks: unresolved, as any method the type lacks), fields of the ``struct`` an
``impl`` is for (same file; of ``impl Trait for Arc<Foo>``, ``Rc``, ``Box``: Foo's, which
``self`` derefs to) for ``self.x``, a tuple struct's by position (``struct S(A, B)``:
``self.1`` is a ``B``; a tuple's, ``pair.1`` of a ``pair: (A, B)``, its element, also through
fields, ``self.pair.1``), a field hop from the impl's
type where the file declares no such struct (``impl Handle`` in ``worker.rs``: ``self.shared``
is ``Handle .shared``, which the CPG reads from the struct ``Handle`` of a file of the same
folder), an element of a container (``v[i].f()``, ``self.levels[i].f()`` of the own struct's
field: ``Vec<T>``, ``VecDeque<T>``, ``[T; N]``, ``[T]``, ``Box<[T]>`` -> ``T``,
``rust_element_type``), ``let x = Foo { .. }``, ``let x = Foo::new(..)`` (the constructor
convention: ``new`` returns ``Self``), ``let x = f(..)`` / ``y.f(..)`` / ``self.a.f(..)`` (what
the function or the method returns, see ``rust_constructed_type``) and ``let x = y``; chains of
fields hop through the file's structs (``field_chains``: ``o.tail.next.f()``; a hop the file
cannot type, ``self.tail.next`` with ``Tail`` elsewhere, is a field hop the CPG types by the
symbols' ``fields``, which lists each struct's named fields, ``exports_fields``), also when
written over lines (``self\n.state\n.load()``, ``spaced_receivers``); the type as written
without references, type arguments and smart pointers (``&mut a::Foo<T>``, ``Box<Foo>``,
``Arc<Foo>`` -> ``a::Foo`` / ``Foo``: auto-deref calls the content's methods; ``NonNull<Foo>``,
which does not deref, -> ``NonNull``: its own methods, ``p.as_ptr()``; a raw pointer, a
slice, an array, a function pointer -> the primitive's name, ``*pointer``, ``[slice]``...,
``PRIMITIVE_SHAPES``: std's methods, no auto-deref to a ``*mut Foo``'s Foo; a tuple -> its
elements' types, ``(Foo,u8)``), ``dyn Trait`` /
``impl Trait`` -> the trait (``Deref<Target = Foo>``, a bound too, -> ``Foo``: it derefs to its
target); a type parameter of the function, impl, trait or struct -> the one trait bounding it
(``T: Link``, ``where T: Link``, a method's ``where`` on its impl's parameter counted with the
impl's, marker bounds and lifetimes left out: ``Link``, whose methods rustc names in generic
code; also the receiver type of a path call on it, ``L::pointers()``), else None (unbounded,
several traits, ``T: A + B``); a struct's field of a type parameter (``inner: T``) only as
``self.inner`` in a generic impl (``impl<T: Link> W<T>``), else None (``W<Concrete>``: Concrete's methods). A
method of a pinned place is the place's (``Pin::new(&mut self.inner).poll_write()`` is typed as
``self.inner.poll_write()``, ``x.as_mut().f()`` as ``x.f()`` in a file that defines no
``as_mut``, pin-project's ``self.project().inner.f()`` as ``self.inner.f()`` in a file that
uses pin-project and defines no ``project``, ``rust_receiver_unwrap``; Pin's own methods,
``get_mut``, ``set``, ``as_ref``.., are Pin's: no method of the place);
``Pin::new(&mut *self).f()`` and ``self.as_mut().f()`` are of the impl's type; a place of no
known type keeps the receiver type it had). A ``NonNull<Foo>``'s ``as_ref()`` / ``as_mut()``
is its pointee (``entry.as_ref().handle()`` is Foo's ``handle``: the place typed as
``rust_pointee_text`` reads its declarations); ``x.as_ref()`` of any other type is the call's
value, never the place (another file's ``impl AsRef<Inner> for Wrapper``: Inner's methods).
A pattern taking the content out of an Option or a Result (``if let Some(x) = v``, ``while
let Ok(ref mut x) = v``, a ``match v`` arm ``Some(x) =>``; ``@declare.content``) binds the
content of v's declared wrapper when v is a place (``self.delay``, ``&mut self.delay``,
``self.inner.as_ref()``, ``slot``: ``Option<Box<Sleep>>`` -> ``Sleep``, ``rust_content_place``,
``rust_content_type``), else v's value after one ``?`` (``self.take_core()?``, what the
method returns); an unwrapping ``let`` (``let x = self.park.take().expect("..")``) the place's
content likewise, else the call's value as before; so is a guard of a place's lock or cell
(``let lock = self.inner.lock().unwrap()``, ``.lock().await``, ``.borrow_mut()``, ``.write()?``:
``Arc<Mutex<Inner>>`` -> ``Inner``, what the guard derefs to; a bare ``self.inner.lock()`` only
for a lock whose ``lock()`` is its guard, by where the field's type comes from through the
file's imports: the repository's own, parking_lot's, not std's ``LockResult``). The bindings of
an ``if let``'s pattern hold in its condition and consequence, never in its ``else`` (the
``@until`` of its scope). A copy or a reference of a field
(``let raw = self.raw``, ``let handle = &ctx.handle``: ``member_values``, ``address_values``) has
the type the receiver ``self.raw`` has. A pattern of an enum variant the file declares
(``IoStack::Enabled(v)``, ``Self::Disabled(_, ref mut w)``, ``TimeDriver::Enabled { driver, ..
}``; ``@declare.variant``, ``rust_variant_field``) binds that variant's field, declared in the
named class scope ``Enum::Variant`` (``@type.variant``); a name alone (``Idle(ref mut b)``)
is what the scopes around bring, innermost first (``_named_alone``): a tuple struct (``let
Pair(a, _) = pair``), a variant a ``use`` names, the one variant of the name among the enums
the file declares that a glob imports (``use self::State::*``, ``use m::State::*``, a
``crate::`` path ending with the ``mod`` blocks of the file the enum is in; ``use super::*``
brings the module around's), none for another file's enum or std's; with no glob of an enum,
the file's one enum variant of the name (``NAMED_ALONE``); an Option field's content through
it (``b.take().unwrap()``) is that field's. A name bound to the own instance (``let
me = &mut *self``, Pin's ``self.get_mut()``: ``rust_own_value``) is of the impl's type.
A ``let``'s names hold from its end to the end of its block (``rust_declaration_reach``): a
call before it, in its value or its ``else`` block, or after its block sees the names as they
were (``let x = x.bar()``: the parameter's ``bar``), a call after it the ``let``'s, which
shadows them; a copy is typed where it is written (``let a = x``). Where no position is known
(a copy of a field, a place's content), a ``let`` shadowing an annotated name gives it a type
only where the two agree (``shadowing_lets``). Other untyped bindings (closure parameters,
patterns of ``match``, ``for``, ``Err(x)``) shadow and disagree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping

import tree_sitter_rust
from tree_sitter import Node, Point

from hamilton_modules.languages.base import (
    AWAIT,
    CALLED_NAME,
    POINTED,
    POINTEE,
    READY,
    TRY,
    EmbeddedRange,
    ImportRow,
    LanguageRules,
    TextOf,
    call_head,
    called_name,
    last_identifier,
    node_text,
    split_top_level,
    tuple_type,
    type_arguments,
)

# A name a pattern binds, as it is or `mut`, `ref`, `ref mut` (the patterns of a variant's
# fields, of a wrapper's content).
_BOUND_NAME = """[(identifier) @var
   (mut_pattern (identifier) @var)
   (ref_pattern (identifier) @var)
   (ref_pattern (mut_pattern (identifier) @var))]"""

QUERY = rf"""
(function_item (function_modifiers)? @async name: (identifier) @name return_type: (_)? @returns)
  @def.function
(function_signature_item (function_modifiers)? @async name: (identifier) @name
  return_type: (_)? @returns) @def.function
(struct_item name: (type_identifier) @name) @def.struct
(union_item name: (type_identifier) @name) @def.struct
(enum_item name: (type_identifier) @name) @def.enum
(trait_item name: (type_identifier) @name) @def.trait
(impl_item type: (_) @name) @def.impl
(mod_item name: (identifier) @name) @def.module
(type_item name: (type_identifier) @name type: (_) @returns) @def.type_alias
(associated_type name: (type_identifier) @name) @def.type_alias
(macro_definition name: (identifier) @name) @def.macro
(const_item name: (identifier) @name) @def.constant
(static_item name: (identifier) @name) @def.constant
(impl_item trait: (_) @inherit.impl) @owner
(trait_item bounds: (trait_bounds (_) @inherit.extends)) @owner
; Blanket impls `impl<T: Bound> Ext for T` (the implemented type is one of the impl's own type
; parameters): a marker row naming the parameter itself, then one row per bound of it, in the
; generics or in a `where T: Bound` clause (`?Sized` and lifetimes skipped: inherit_skip).
(impl_item
  type_parameters: (type_parameters (type_parameter name: (type_identifier) @_param))
  trait: (_)
  type: (type_identifier) @inherit.blanket @_type
  (#eq? @_param @_type)) @owner
(impl_item
  type_parameters: (type_parameters
    (type_parameter name: (type_identifier) @_param bounds: (trait_bounds (_) @inherit.blanket)))
  trait: (_)
  type: (type_identifier) @_type
  (#eq? @_param @_type)) @owner
(impl_item
  type_parameters: (type_parameters (type_parameter name: (type_identifier) @_param))
  trait: (_)
  type: (type_identifier) @_type
  (where_clause
    (where_predicate left: (type_identifier) @_left bounds: (trait_bounds (_) @inherit.blanket)))
  (#eq? @_param @_type)
  (#eq? @_left @_type)) @owner
(call_expression function: (_) @call)
(macro_invocation macro: (_) @call.macro)
(use_declaration) @import
(extern_crate_declaration) @import
(macro_invocation (token_tree) @embed)

; Declared receiver types (calls' receiver_type): scopes (and what binds a pattern for its body:
; `if let`, `while let`, `for`, a match arm; not a block, whose `let`s count for the function
; around: disagreeing ones give None, and blocks cost a tenth of the extraction), the named class
; scopes whose fields `self.x` reads (a struct's fields, its impls' bodies), type parameters,
; then every binding of a name (typed or not: an untyped one shadows and disagrees).
; (functions, impls, structs, enums and traits are scopes as definitions: declaration_scope_kinds)
[(closure_expression) (if_expression) (while_expression) (for_expression) (match_arm)] @scope
; an `if let`'s bindings hold in its condition and consequence, never in its `else` (nor an
; `else if`): a scope inside the if's own that ends with the consequence
(if_expression condition: [(let_condition) (let_chain)] consequence: (_) @until) @scope
(struct_item name: (type_identifier) @type body: (field_declaration_list) @scope.class)
(struct_item name: (type_identifier) @type body: (ordered_field_declaration_list) @scope.class)
(impl_item type: (_) @type body: (declaration_list) @scope.class
  (#not-match? @type "^(Arc|Rc|Box)\\s*<"))
; an enum variant's fields, the named class scope `Enum::Variant`: what its patterns bind
(enum_item name: (type_identifier) @type
  body: (enum_variant_list
    (enum_variant name: (identifier) @type.variant body: (_) @scope.class)))
; an impl for a smart pointer to a type (`impl Schedule for Arc<Handle>`): `self` derefs to the
; type's fields (`self.shared` is Handle's)
(impl_item
  type: (generic_type
    type: (type_identifier) @_pointer
    type_arguments: (type_arguments . (_) @type .))
  body: (declaration_list) @scope.class
  (#any-of? @_pointer "Arc" "Rc" "Box"))
(type_parameter name: (type_identifier) @var) @declare.type
; a type parameter's trait bounds, in the generics or a `where T:` clause (`fn f<T: Link>`,
; `impl<T> Wheel<T> where T: Stack`): a value of T (and `T::f()`) has the one trait's methods
(type_parameter name: (type_identifier) @var bounds: (trait_bounds) @var.type) @declare.bound
(where_predicate left: (type_identifier) @var bounds: (trait_bounds) @var.type) @declare.bound
(field_declaration name: (field_identifier) @var type: (_) @var.type) @declare
; a tuple struct's field, named by its position (`struct S(A, B)`: `self.0`, `self.1`)
(ordered_field_declaration_list type: (_) @var @var.type) @declare.position
(parameter pattern: (identifier) @var type: (_) @var.type) @declare
(let_declaration pattern: (identifier) @var type: (_) @var.type) @declare
(static_item name: (identifier) @var type: (_) @var.type) @declare
(let_declaration pattern: (identifier) @var !type value: (_) @var.value) @declare
(let_declaration pattern: (identifier) @var !type !value) @declare
(closure_parameters (identifier) @var) @declare
(tuple_pattern (identifier) @var) @declare
(tuple_struct_pattern "(" (identifier) @var) @declare
(slice_pattern (identifier) @var) @declare
(field_pattern pattern: (identifier) @var) @declare
(field_pattern name: (shorthand_field_identifier) @var) @declare
(ref_pattern (identifier) @var) @declare
(mut_pattern (identifier) @var) @declare
(captured_pattern . (identifier) @var) @declare
(reference_pattern (identifier) @var) @declare
(or_pattern (identifier) @var) @declare
(match_pattern . (identifier) @var) @declare
(for_expression pattern: (identifier) @var) @declare
(let_condition pattern: (identifier) @var) @declare
; a `fn` item in a block names that function in the whole block (rustc: over a `let` of the name
; outside it: `let cb = || ();` then a block with `fn cb()` and `cb();`; rust_declaration_reach)
(block (function_item name: (identifier) @var)) @declare
; the content a pattern takes out of an Option or a Result (`if let Some(x) = v`, `while let
; Ok(mut x) = v`, a `match v` arm `Some(ref x) =>`): that of v's declared wrapper, or of a call's
; value after one `?` (content_place; the plain binding above of the same name is dropped)
(let_condition
  pattern: (tuple_struct_pattern
    type: (identifier) @_variant
    .
    {_BOUND_NAME}
    .)
  value: (_) @var.value
  (#any-of? @_variant "Some" "Ok")) @declare.content
; a pattern of an enum variant (`IoStack::Enabled(ref mut v)`, `Self::Disabled(_, w)`,
; `TimeDriver::Enabled {{ driver, .. }}`): that variant's field (rust_variant_field)
(tuple_struct_pattern
  type: (scoped_identifier)
  {_BOUND_NAME}) @declare.variant
; a variant a `use` brings (`use self::State::*; .. Idle(ref mut buf_cell) =>`), or a tuple
; struct (`Pair(a, b)`): the one of the file by that name
(tuple_struct_pattern
  type: (identifier) @_variant
  {_BOUND_NAME}
  (#not-match? @_variant "^(Some|Ok|Err)$")) @declare.variant
(struct_pattern
  type: (scoped_type_identifier)
  (field_pattern name: (shorthand_field_identifier) @var)) @declare.variant
(struct_pattern
  type: (scoped_type_identifier)
  (field_pattern pattern: (identifier) @var)) @declare.variant
(match_expression
  value: (_) @var.value
  body: (match_block
    (match_arm
      pattern: (match_pattern
        (tuple_struct_pattern
          type: (identifier) @_variant
          .
          {_BOUND_NAME}
          .)) @declare.content))
  (#any-of? @_variant "Some" "Ok"))
"""

_GENERICS = re.compile(r"<[^<>]*>")


def impl_type_name(text: str) -> str:
    """`&'a mut foo::Bar<T>` -> "Bar": generics removed, then the last identifier (as ctags)."""
    if text.isidentifier():
        return text
    text = text.replace("->", " ")
    while True:
        stripped = _GENERICS.sub("", text)
        if stripped == text:
            break
        text = stripped
    return last_identifier(text)


# Pointers that dereference to what they hold: a method call on one is its content's method.
SMART_POINTERS = frozenset({"Box", "Rc", "Arc", "Pin"})
# A pointer that does not dereference: a `p: NonNull<Foo>` is std's NonNull (`p.as_ptr()`,
# `p.cast()`, `p.read()` are its own methods, never Foo's of the name); only its `as_ref()` /
# `as_mut()` reach the pointee (`entry.as_ref().handle()` is Foo's `handle`: a place step of
# ``rust_receiver_unwrap``, typed as ``rust_pointee_text`` reads the declarations).
_NON_NULL = re.compile(r"\b(?:(?:(?:std|core)\s*::\s*)?ptr\s*::\s*)?NonNull\s*<")
# Traits of a value that dereferences to their `Target` (`T: Deref<Target = Foo>`, `impl
# DerefMut<Target = Foo>`): a method call on one is the target's method, as a smart pointer's.
_DEREF_TRAITS = frozenset({"Deref", "DerefMut"})
# Bounds that add no methods a call would name: auto and marker traits, `?Sized`.
MARKER_BOUNDS = frozenset({"Send", "Sync", "Unpin", "Sized", "?Sized", "Copy", "'static"})
_PATH = re.compile(r"(?:::)?[^\W\d]\w*(?:::[^\W\d]\w*)*")
# Rust's primitive types whose written form is no path, each named by a form of its syntax
# that no identifier can be (a repository `struct pointer` is none of them; ``fn`` is a
# keyword): what ``rust_declared_type`` gives a receiver declared ``p: *mut Foo``
# (``*pointer``), ``b: &[u8]`` (``[slice]``), ``a: [u8; 4]`` (``[array]``), ``f: fn(u8)``
# (``fn``), ``-> !``: a value of the standard library's type (its methods, ``p.is_null()``; or
# a trait's implemented for it), never of the type it points to or holds. A tuple, ``pair: (A,
# B)``, is named by its elements' types (languages.base ``tuple_type``), which its fields
# ``.0``, ``.1`` are.
PRIMITIVE_SHAPES = frozenset({"*pointer", "[slice]", "[array]", "fn", "!"})
_FUNCTION_POINTER = re.compile(r'(?:unsafe )?(?:extern (?:"[^"]*" )?)?fn ?\(')
# A method of a value: a plain name's or its fields' (``handle.time``, ``self.inner.lock``).
_MEMBER_CALLEE = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)+")
_MAX_WRAPPERS = 8


@functools.lru_cache(maxsize=4096)
def rust_declared_type(text: str) -> str | None:
    """The one named type a written Rust type declares (see ``_declared_path``); None for
    ``Self``."""
    head = _declared_path(text)
    return None if head == "Self" else head


def _dereferenced(text: str) -> str:
    """``text`` (a written type, one-spaced) without the references around it: ``&'a mut
    &Foo`` -> ``Foo``."""
    while text.startswith("&"):  # a reference, with a lifetime and `mut`
        text = text[1:].lstrip()
        if text.startswith("'"):
            text = text.partition(" ")[2]
        if text.startswith("mut "):
            text = text[4:]
    return text


def _primitive_shape(text: str) -> str | None:
    """The primitive type a written Rust type that is no path is (``PRIMITIVE_SHAPES``), by
    its shape: ``*const T`` / ``*mut T`` -> ``*pointer``, ``[T]`` -> ``[slice]``, ``[T; N]``
    -> ``[array]``, ``fn(A) -> B`` (``unsafe``, ``extern "C"``) -> ``fn``, ``!``; a tuple
    ``(A, B)`` / ``()`` / ``(A,)`` -> its elements' types as ``rust_declared_type`` reads
    them, ``_`` for none (``(a::Foo,_)``, ``()``, ``(A,)``: languages.base ``tuple_type``);
    None for anything else (``(T)`` is ``T`` in parentheses)."""
    if text.startswith(("*const ", "*mut ")):
        return "*pointer"
    if text.startswith("[") and text.endswith("]"):
        return "[array]" if len(split_top_level(text[1:-1], ";")) > 1 else "[slice]"
    if text.startswith("(") and text.endswith(")"):
        elements = [part.strip() for part in split_top_level(text[1:-1], ",")]
        if len(elements) == 1 and elements[0]:
            return None
        return tuple_type([rust_declared_type(element) for element in elements if element])
    if _FUNCTION_POINTER.match(text) is not None:
        return "fn"
    return "!" if text == "!" else None


def _declared_path(text: str) -> str | None:
    """The one named type a written Rust type declares, as a path without type arguments:
    ``Foo``, ``&'a mut a::Foo<T>``, ``Box<Foo>`` / ``Rc<Foo>`` / ``Arc<Foo>`` / ``Pin<&mut
    Foo>`` (auto-deref: the content's methods) -> ``Foo`` / ``a::Foo``; ``dyn Trait``, ``impl
    Trait + Send`` -> the trait, ``Deref<Target = Foo>`` (a bound, ``impl DerefMut<Target =
    Foo>``) -> ``Foo``, as a smart pointer; a raw pointer, a slice, an array, a tuple, a
    function pointer, ``!`` -> the primitive type's name (``_primitive_shape``: ``*mut Foo``
    is a ``*pointer``, which no auto-deref makes a ``Foo``; a tuple its elements' types).
    None: ``Self``, several non-marker bounds, a qualified path ``<T as Trait>::X``."""
    text = " ".join(text.split())
    for _ in range(_MAX_WRAPPERS):
        text = _dereferenced(text)
        primitive = _primitive_shape(text)
        if primitive is not None:
            return primitive
        for keyword in ("dyn ", "impl "):
            text = text.removeprefix(keyword)
        bounds = [
            bound
            for bound in (part.strip() for part in split_top_level(text, "+"))
            if bound not in MARKER_BOUNDS and not bound.startswith("'")
        ]
        if len(bounds) != 1:
            return None
        head, arguments = type_arguments(bounds[0])
        head = "".join(head.split())
        if arguments is not None and head.rpartition("::")[2] in _DEREF_TRAITS:
            targets = [
                target.strip()
                for name, _, target in (argument.partition("=") for argument in arguments)
                if name.strip() == "Target"
            ]
            if len(targets) != 1:
                return None
            text = targets[0]
            continue
        if arguments is None or head.rpartition("::")[2] not in SMART_POINTERS:
            break
        if len(arguments) != 1:
            return None
        text = arguments[0].strip()
    else:
        return None
    return head if _PATH.fullmatch(head) is not None else None


@functools.lru_cache(maxsize=4096)
def rust_pointee_text(text: str) -> str:
    """A written type with each ``NonNull<T>`` replaced by its ``T`` (``pointee_text``: what
    ``p.as_ref()`` / ``p.as_mut()`` of a ``p: NonNull<Foo>`` reaches; ``Option<NonNull<Foo>>``
    -> ``Option<Foo>``, ``std::ptr::NonNull<Foo>`` -> ``Foo``); any other text as it is."""
    for _ in range(_MAX_WRAPPERS):
        found = _NON_NULL.search(text)
        if found is None:
            break
        depth, close = 1, None
        for at in range(found.end(), len(text)):
            if text[at] == ">" and text[at - 1] == "-":
                continue  # a function pointer's `->`
            depth += {"<": 1, ">": -1}.get(text[at], 0)
            if depth == 0:
                close = at
                break
        if close is None:
            break
        text = text[: found.start()] + text[found.end() : close].strip() + text[close + 1 :]
    return text


# Containers whose index expression (`xs[i]`) is one of their elements, by their last segment
# (a smart pointer around one indexes its content: `Arc<Vec<T>>`, `Rc<[T]>`).
_INDEXED_CONTAINERS = frozenset({"Vec", "VecDeque"})


@functools.lru_cache(maxsize=4096)
def rust_element_type(text: str) -> str | None:
    """The one named type of the elements of a written container type (``element_type``):
    ``[T; N]``, ``[T]``, ``&[T]``, ``Vec<T>``, ``VecDeque<T>``, each also in a smart pointer
    (``Box<[T]>``, ``Arc<Vec<T>>``, ``Rc<[T]>``: ``SMART_POINTERS``) -> ``T`` as
    ``rust_declared_type`` reads it (``[Box<Foo>; 4]`` -> ``Foo``); None for anything else
    (a map's index is its value, not written here)."""
    text = " ".join(text.split())
    for _ in range(_MAX_WRAPPERS):
        text = _dereferenced(text)
        if text.startswith("[") and text.endswith("]"):
            element = split_top_level(text[1:-1], ";")[0].strip()
            return rust_declared_type(element) if element else None
        head, arguments = type_arguments(text)
        if arguments is None or len(arguments) != 1:
            return None
        container = "".join(head.split()).rpartition("::")[2]
        if container not in _INDEXED_CONTAINERS and container not in SMART_POINTERS:
            return None
        text = arguments[0].strip()
        if container in _INDEXED_CONTAINERS:
            return rust_declared_type(text)
    return None


# Wrappers whose content `?` takes out (the Ok of a Result, the Some of an Option), by their last
# segment: `Result<T, E>`, `io::Result<T>`, a crate's own `Result<T>` alias.
_TRY_WRAPPERS = frozenset({"Result", "Option"})
# `impl Future<Output = T>`: what `.await` gives.
_FUTURE = re.compile(r"impl\s*(?:(?:std|core)::future::)?Future\s*<\s*Output\s*=(.*)>")


@functools.lru_cache(maxsize=4096)
def rust_returned_type(text: str, is_async: bool) -> str | None:
    """A function's ``returns`` column (see base.py ``returned_type``): the type ``-> T``
    declares as ``rust_declared_type`` reads it (``Self`` kept: the impl's type), after the
    operators that reach it from the call's value: ``.await`` for an ``async fn`` (or ``-> impl
    Future<Output = T>``), then one ``?`` per ``Result``/``Option`` around it and one
    ``.ready`` (READY, what ``ready!(v)`` takes out) per ``Poll``, and ``.pointee`` (POINTED,
    what its ``as_ref()`` reaches) for a ``NonNull`` (``async fn connect() ->
    io::Result<TcpStream>`` -> ``.await? TcpStream``; ``-> Poll<io::Result<usize>>`` ->
    ``.ready? usize``; ``-> Option<NonNull<Block<T>>>`` -> ``?.pointee Block``)."""
    text = " ".join(text.split())
    ops = AWAIT if is_async else ""
    future = _FUTURE.fullmatch(text)
    if future is not None and not is_async:
        ops, text = AWAIT, future.group(1).strip()
    for _ in range(_MAX_WRAPPERS):
        head, arguments = type_arguments(text)
        wrapper = _path_of(head).rpartition("::")[2]
        if not arguments or (wrapper not in _TRY_WRAPPERS and wrapper != _POLL):
            break
        ops += READY if wrapper == _POLL else TRY  # `ready!(f(cx))`: a Poll's `Ready` value
        text = arguments[0].strip()
    if _NON_NULL.match(text) is not None and (pointee := rust_pointee_text(text)) != text:
        ops, text = ops + POINTED, pointee  # `f().as_ref()`: the pointee (no deref: no NonNull)
    declared = _declared_path(text)
    if declared is None:
        return None
    return f"{ops} {declared}" if ops else declared


# A `Poll<T>`, whose `Ready` value `ready!(v)` takes out (READY).
_POLL = "Poll"
# `ready!(v)` / `std::task::ready!(v)` (group 1: v).
_READY_MACRO = re.compile(r"(?:[\w:]*::)?ready!\s*\((.*)\)", re.S)
# Methods that take the content out of a Result/Option as `?` does (for the receiver type).
_UNWRAPS = (".unwrap", ".expect")
# A place a wrapper's content is taken from: a name, ``self.a`` or ``a.b``, borrowed or not,
# with one of Option's methods that keep the content (``as_ref()``, ``take()``...) after it.
_PLACE = r"(?:&\s*(?:mut\s+)?)?((?:self|[a-z_]\w*)(?:\s*\.\s*[a-z_]\w*)?)"
_CONTENT_PLACE = re.compile(
    _PLACE + r"(?:\s*\.\s*(?:as_ref|as_mut|as_deref|as_deref_mut|take|clone)\(\s*\))?"
)
# An unwrapped value: ``v?``, ``v.unwrap()``, ``v.expect("..")`` (group 1: v).
_UNWRAPPED = re.compile(r"(.+?)\s*(?:\?|\.\s*unwrap\(\s*\)|\.\s*expect\([^()]*\))", re.S)
# A guard of a place's lock or cell (``self.inner.lock()``, ``.lock().await``, ``.borrow_mut()``,
# ``.write().unwrap()``), which derefs to what the lock holds (group 2: the method; group 3:
# what takes the guard out of the method's value, if anything).
_GUARD_PLACE = re.compile(
    _PLACE + r"\s*\.\s*(lock|read|write|borrow|borrow_mut)\(\s*\)"
    r"((?:\s*\.\s*await)?(?:\s*\?|\s*\.\s*unwrap\(\s*\)|\s*\.\s*expect\([^()]*\))?)",
    re.S,
)
# How a value takes a content: out of an Option or a Result (CONTENT), through a lock's or a
# cell's guard (GUARDED: ``.lock().unwrap()``, ``.lock().await``, ``.borrow()``), or through a
# lock's ``lock()`` value as it is (LOCKED: a guard for some locks only, ``rust_content_type``).
CONTENT, GUARDED, LOCKED = "content", "guarded", "locked"
# The enum of a variant a pattern names alone (``Idle(x)``) where no glob import of an enum
# brings one (``*::Idle``): the file's tuple struct of the name, else its one enum with a
# variant of the name (``variant_fields``); a glob's is the enum's own (``_named_alone``).
NAMED_ALONE = "*"
# Types whose guard (``lock()``, ``borrow_mut()``...) derefs to the one type they hold.
_GUARDING = frozenset({"Mutex", "RwLock", "RefCell"})
# The cells, whose ``borrow()`` / ``borrow_mut()`` is the guard itself.
_CELL_GUARDS = frozenset({"borrow", "borrow_mut"})
# Where a lock whose ``lock()`` / ``read()`` / ``write()`` is its guard comes from (a path's
# first segments, through the file's imports): parking_lot's, lock_api's, spin's, and the
# repository's own (tokio's ``crate::loom::sync::Mutex``, which unwraps std's poisoning);
# never std's, whose value is a ``LockResult``, nor tokio's public ``tokio::sync`` locks,
# whose ``lock()`` is a future (their guard comes with ``.unwrap()`` / ``.await``: GUARDED).
_GUARD_LOCKS = ("parking_lot::", "lock_api::", "spin::", "crate::", "self::", "super::")


def rust_content_place(text: str, pattern: bool) -> tuple[str, str] | None:
    """The place whose declared Option/Result a value takes the content of (``content_place``),
    and how: a pattern's value (``Some(x) = &mut self.delay``, ``= self.inner.as_ref()``, ``=
    slot``) or an unwrapped one (``self.park.take().expect("..")``, ``slot?``) -> (``self.delay``
    / ``self.inner`` / ``slot`` / ``self.park``, CONTENT); a guard of a lock or a cell
    (``self.inner.lock().unwrap()``, ``.lock().await``, ``c.defer.borrow_mut()``) -> (the
    place, GUARDED); a lock's value as it is (``self.inner.lock()``) -> (the place, LOCKED);
    None for anything else (a call's value)."""
    text = text.strip()
    if not pattern:
        guard = _GUARD_PLACE.fullmatch(text)
        if guard is not None:
            place = "".join(guard.group(1).split())
            taken = guard.group(3).strip() or guard.group(2) in _CELL_GUARDS
            return None if place == "self" else (place, GUARDED if taken else LOCKED)
        unwrapped = _UNWRAPPED.fullmatch(text)
        if unwrapped is None:
            return None
        text = unwrapped.group(1)
    found = _CONTENT_PLACE.fullmatch(text)
    if found is None:
        return None
    place = "".join(found.group(1).split())
    return None if place == "self" else (place, CONTENT)


def _named_alone(pattern: Node, name: str) -> str | None:
    """What a pattern's type named alone (``Idle(x)``) is, by what is in scope where the pattern
    is, from the innermost block out to its module's items (a module sees no item of the
    module around it, but through ``use super::*``, the items of the module around): a tuple
    struct the scope declares, or the variant a ``use`` names (``use crate::Phase::Ready``:
    ``Phase::Ready``, when the file declares that enum with the variant, ``_path_enum``; ``use
    crate::m::Ready``, a struct: ``Ready``), either shadowing a glob import; else the variant of
    the one enum the scope's ``use``s glob-import with a variant of the name (``use
    self::State::*``: ``State::Idle``; a glob of an enum the file declares without it, ``use
    self::Other::*``, brings nothing: the scopes around go on). ``*::Idle`` (NAMED_ALONE) with
    no glob of an enum anywhere (the file's tuple struct of the name, else its one enum variant).
    None for a glob or a ``use`` of an enum the file does not declare (another file's,
    ``use std::task::Poll::{self, Ready}``, ``use std::task::Poll::*``) where no glob beside
    it brings one of the file's with the variant, and for two of the file's with it."""
    scope = _item_scope(pattern)
    while scope is not None:
        known: set[str] = set()  # the globbed enums of the file with a variant of the name
        unknown = up = False
        for item in scope.named_children:
            if item.type == "struct_item" and (found := item.child_by_field_name("name")):
                body = item.child_by_field_name("body")
                if node_text(found) == name and body is not None and body.type == _TUPLE_FIELDS:
                    return name
            if item.type != "use_declaration":
                continue
            for module, imported, alias in rust_imports(item, node_text):
                path = [] if module is None else module.split("::")
                if imported == "*" and path == [_SUPER]:
                    up = True  # the module around's items
                elif imported == "*" and path and path[-1][:1].isupper():  # an enum's variants
                    enum = _path_enum(scope, path)
                    if enum is None:
                        unknown = True  # (it may have the variant)
                    elif name in _variants(enum):
                        known.add(path[-1])
                elif (alias or imported) == name and path and path[-1][:1].isupper():
                    enum = _path_enum(scope, path)
                    if enum is not None and imported in _variants(enum):
                        return f"{path[-1]}::{imported}"
                    return None
                elif (alias or imported) == name:  # a tuple struct (`use crate::m::Ready`)
                    return None if path and path[0] in _STD_ROOTS else imported
        if known or unknown:  # (two globs bringing the name: rustc's error, E0659)
            return f"{known.pop()}::{name}" if len(known) == 1 else None
        if scope.type == "source_file" or (scope.parent and scope.parent.type == "mod_item"):
            # the module's items: the last scope a name is looked up in, but for `use super::*`
            scope = _parent_module(scope) if up else None
        else:
            scope = _item_scope(scope)
    return f"{NAMED_ALONE}::{name}"


def _item_scope(node: Node) -> Node | None:
    """The innermost scope of items around a node (a block, a module's items, the file)."""
    scope = node.parent
    while scope is not None and scope.type not in _ITEM_SCOPES:
        scope = scope.parent
    return scope


def _module_items(scope: Node) -> Node:
    """The items (a ``mod`` block's body, the file) of the module a scope is in."""
    node = scope
    while node.parent is not None and not (
        node.type == "declaration_list" and node.parent.type == "mod_item"
    ):
        node = node.parent
    return node


def _parent_module(items: Node) -> Node | None:
    """The items of the module around a module's items; None for the file's own module (the
    module around is another file's)."""
    module = items.parent
    if items.type != "declaration_list" or module is None or module.parent is None:
        return None
    return _module_items(module.parent)


def _item_named(items: Node, kind: str, name: str) -> Node | None:
    for item in items.named_children:
        found = item.child_by_field_name("name") if item.type == kind else None
        if found is not None and node_text(found) == name:
            return item
    return None


def _enum_in(items: Node | None, segments: list[str]) -> Node | None:
    """The enum ``segments`` name from the items of a module (``m::n::State``: mod m, its mod
    n, its enum State), all of them in the file; None otherwise."""
    for segment in segments[:-1]:
        module = None if items is None else _item_named(items, "mod_item", segment)
        items = None if module is None else module.child_by_field_name("body")
    return None if items is None else _item_named(items, "enum_item", segments[-1])


def _path_enum(scope: Node, path: list[str]) -> Node | None:
    """The enum of the file a ``use`` path (of the scope's items) names: ``self::..`` from
    its module, ``super::..`` from the module around (in the file), a path from a module or
    an enum its scope or its module declares (2018's relative ``m::Phase``); any other
    (``crate::..``, 2015's crate-relative ``other::m::Phase``, another crate's), the file's
    enum of the name whose ``mod`` blocks in the file end the path (``crate::x::State`` is a
    ``State`` of its ``mod x`` or, with none, of the file's own items; never of its ``mod
    mine``: another module's). None: none in the file (another file's, std's)."""
    module = _module_items(scope)
    if path[0] == "self":
        return _enum_in(module, path[1:])
    if path[0] == _SUPER:
        items: Node | None = module
        while path and path[0] == _SUPER:
            items, path = (None if items is None else _parent_module(items)), path[1:]
        return _enum_in(items, path) if path else None
    if path[0] in _STD_ROOTS:
        return None
    for items in (scope, module):  # (2018) relative to what the scope sees
        if (found := _enum_in(items, path)) is not None:
            return found
    root = scope
    while root.parent is not None:
        root = root.parent
    for start in range(len(path)):  # the most modules of the path the file has, at least none
        if path[start] not in _LOCAL_ROOTS and (found := _enum_in(root, path[start:])):
            return found
    return None


def _variants(enum: Node) -> frozenset[str]:
    """The names of an enum's variants."""
    body = enum.child_by_field_name("body")
    return frozenset(
        node_text(found)
        for variant in (body.named_children if body is not None else ())
        if variant.type == "enum_variant" and (found := variant.child_by_field_name("name"))
    )


# A tuple pattern's children that are no field's pattern.
_NO_FIELD_PATTERN = frozenset({"(", ")", ",", "line_comment", "block_comment"})
# Where items and `use`s stand (a block's, a module's, a file's), and the first segments of a
# `use` path inside the crate, and of one of std's.
_ITEM_SCOPES = frozenset({"block", "declaration_list", "source_file"})
_SUPER = "super"
_LOCAL_ROOTS = frozenset({"crate", "self", _SUPER})
_STD_ROOTS = frozenset({"std", "core", "alloc"})
_TUPLE_FIELDS = "ordered_field_declaration_list"


def rust_variant_field(pattern: Node, var: Node) -> tuple[str, str] | None:
    """The enum variant's field a name of its pattern binds (``variant_field``):
    ``IoStack::Enabled(ref mut v)`` -> (``IoStack::Enabled``, ``0``), ``Self::Disabled(_, w)``
    -> (``Self::Disabled``, ``1``), ``a::TimeDriver::Enabled { driver, .. }`` and ``{ driver:
    d }`` -> (``TimeDriver::Enabled``, ``driver``), ``Idle(ref mut b)`` -> (``*::Idle``, ``0``:
    NAMED_ALONE's, a variant a ``use`` brings, or the tuple struct ``Idle``); None after a ``..``
    (no position known)."""
    written = pattern.child_by_field_name("type")
    if written is None:
        return None
    segments = "".join(node_text(written).split()).split("::")
    if len(segments) > 1:
        variant = "::".join(segments[-2:])
    elif (in_scope := _named_alone(pattern, segments[0])) is not None:
        variant = in_scope
    else:
        return None  # a variant from outside the repository (`use std::task::Poll::Ready`)
    if pattern.type == "struct_pattern":
        field = var if var.type == "shorthand_field_identifier" else var.parent
        if field is not None and field.type == "field_pattern":
            field = field.child_by_field_name("name")
        return None if field is None else (variant, node_text(field))
    position = 0
    for child in pattern.children:  # the fields' patterns, `_` too, after the type
        if child == written or child.type in _NO_FIELD_PATTERN:
            continue  # (a comment may stand anywhere: `Two::A /* c */ (f, b)`)
        if child.type == "remaining_field_pattern":
            return None
        if child.start_byte <= var.start_byte and var.end_byte <= child.end_byte:
            return (variant, str(position))
        position += 1
    return None


def rust_content_type(
    text: str, how: str = CONTENT, imported: Mapping[str, str] | None = None
) -> str | None:
    """The content of a written type (``content_type``), as ``rust_declared_type`` reads it,
    smart pointers around it left out: CONTENT, of an Option or a Result
    (``Option<Pin<Box<Sleep>>>`` -> ``Sleep``, ``&Option<Arc<Inner>>`` -> ``Inner``,
    ``io::Result<TcpStream>`` -> ``TcpStream``); GUARDED, of a Mutex, an RwLock or a RefCell
    (``Arc<Mutex<Inner>>`` -> ``Inner``); LOCKED, of a Mutex or an RwLock whose ``lock()`` is
    its guard, by where its path leads through the file's imports (``imported``: a name ->
    the path it names; ``use crate::loom::sync::Mutex``, ``parking_lot::Mutex<Inner>`` ->
    ``Inner``; std's, ``use std::sync::Mutex``, whose ``lock()`` is a ``LockResult``, or a
    lock from nowhere known: None); None for any other type."""
    held = _held_type(" ".join(text.split()), CONTENT if how == CONTENT else GUARDED)
    if held is None:
        return None
    content, holder = held
    if how != LOCKED:
        return content
    head, separator, rest = holder.partition("::")
    path = (imported or {}).get(head, head) + separator + rest
    return content if path.startswith(_GUARD_LOCKS) else None


@functools.lru_cache(maxsize=4096)
def _held_type(text: str, how: str) -> tuple[str | None, str] | None:
    """``rust_content_type``'s content of CONTENT or GUARDED wrappers, and the wrapper's path
    as written (``Arc<std::sync::Mutex<Inner>>`` -> (``Inner``, ``std::sync::Mutex``)); None
    when the type is no such wrapper."""
    wrappers = _TRY_WRAPPERS if how == CONTENT else _GUARDING
    for _ in range(_MAX_WRAPPERS):
        head, arguments = type_arguments(_dereferenced(text))
        path = _path_of(head)
        name = path.rpartition("::")[2]
        if not arguments or (name not in wrappers and name not in SMART_POINTERS):
            return None
        if name in wrappers:
            return rust_declared_type(arguments[0].strip()), path
        if len(arguments) != 1:
            return None
        text = arguments[0].strip()
    return None


def _path_of(head: str) -> str:
    """A written type's head without its spaces (``io :: Result`` -> ``io::Result``): the path
    whose last segment names the type."""
    return "".join(head.split())


def _called_with_ops(text: str, ready_macro: bool = True) -> tuple[str, str] | None:
    """``Foo::open(a).await?`` -> (``Foo::open``, ``.await?``): a call of a path (or of
    ``self.f``), then ``.await`` / ``?`` / ``.unwrap()`` / ``.expect(..)`` (as ``?``), inside
    ``ready!(..)`` when that is std's (``ready_macro``; ``.ready``: ``ready!(f(cx))?`` ->
    (``f``, ``.ready?``))."""
    ops = ""
    body = text.strip()
    for _ in range(_MAX_WRAPPERS):
        if body.endswith(TRY):
            ops, body = TRY + ops, body[:-1].rstrip()
            continue
        ready = _READY_MACRO.fullmatch(body) if ready_macro else None
        if ready is not None and _enclosed(ready.group(1)):  # `ready!(f(cx))`: f's Ready value
            ops, body = READY + ops, ready.group(1).strip()
            continue
        if body.endswith(AWAIT) and body[: -len(AWAIT)].rstrip().endswith(")"):
            ops, body = AWAIT + ops, body[: -len(AWAIT)].rstrip()
            continue
        head = call_head(body)
        if head is None:
            return None
        head = head.rstrip()
        unwrap = next((name for name in _UNWRAPS if head.endswith(name)), None)
        if unwrap is None:
            callee = called_name(body)
            return None if callee is None else (callee, ops)
        body = head[: -len(unwrap)].rstrip()  # before `.unwrap(` / `.expect(`
        ops = TRY + ops
    return None


def _enclosed(text: str) -> bool:
    """Whether no parenthesis of ``text`` closes one opened before it: the argument of a
    ``ready!(..)`` that ends the text (``self.f(cx)``), not of one a method call follows
    (``ready!(self.f(cx)).unwrap()``, whose greedy match is ``self.f(cx)).unwrap(``)."""
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if depth < 0:
            return False
    return True


def rust_constructed_type(text: str, ready_macro: bool = True) -> str | None:
    """The type a value constructs: a struct literal's name (``a::Foo``, ``Foo::<T>``), or by
    the constructor convention, ``Foo::new(...)``'s ``Foo`` (``new`` returns ``Self``, which
    clippy's ``new_ret_no_self`` lint holds code to); not a smart pointer's (``Arc::new(x)``
    derefs to what it holds). Any other call of a path (or ``self.f``), with ``.await``, ``?``,
    ``.unwrap()``, ``.expect(..)`` after it: ``f()<ops>``, what the function returns (the CPG
    reads its ``returns``; ``Foo(x)`` is a tuple struct's ``Foo`` if Foo is one); also of a
    method of a value, ``y.f()`` / ``self.a.f()`` (the CPG names the method by the file's call
    sites of that text); ``ready!(f(cx))``, ``f().ready``, only where ``ready_macro`` says
    ``ready!`` is std's (``rust_file_constructed_type``). A macro's value (``vec![..]``,
    ``format!(..)``) names no callee: no type."""
    if text.endswith((")", TRY, AWAIT)):  # a call, awaited or tried
        called = _called_with_ops(text, ready_macro)
        if called is None:
            return None
        callee, ops = called
        callee = _turbofish_free(callee)
        if callee is None:
            return None
        if not callee.endswith("::new") or ops:
            head = callee.removeprefix("self.")
            if _PATH.fullmatch(head) or _MEMBER_CALLEE.fullmatch(callee):
                return f"{callee}(){ops}"
            return None
        text = callee[: -len("::new")]
    path = "".join(text.split()).replace("::<", "<")
    head = type_arguments(path)[0]
    if head == "Self" or head.rpartition("::")[2] in SMART_POINTERS:
        return None
    return head if _PATH.fullmatch(head) else None


# A `ready!` the file defines, and the arm of one that takes a Poll's Ready value out as std's
# does (tokio's own: `std::task::Poll::Ready(t) => t`).
_OWN_READY = re.compile(rb"\bmacro_rules!\s*ready\s*[{(\[]")
_READY_ARM = re.compile(rb"Ready\s*\(\s*(\w+)\s*\)\s*=>\s*\1\b")


def rust_file_constructed_type(source: bytes) -> Callable[[str], str | None]:
    """``rust_constructed_type`` for a file (``file_constructed_type``): ``ready!(v)`` takes
    v's Ready value out (READY) unless the file defines a ``macro_rules! ready`` of its own
    that does not (``($e:expr) => { $e }``: v itself, no type known). (A ``ready!`` another
    file of the repository defines is not looked at: tokio's, the one it has, is std's.)"""
    own = _OWN_READY.search(source) if b"macro_rules" in source else None
    if own is None:
        return rust_constructed_type
    depth, end = 0, len(source)
    for at in range(own.end() - 1, len(source)):  # the definition's body, to its closing brace
        depth += {ord("{"): 1, ord("("): 1, ord("["): 1}.get(source[at], 0)
        depth -= {ord("}"): 1, ord(")"): 1, ord("]"): 1}.get(source[at], 0)
        if depth == 0:
            end = at
            break
    if _READY_ARM.search(source, own.end(), end) is not None:
        return rust_constructed_type
    return functools.partial(rust_constructed_type, ready_macro=False)


def _turbofish_free(callee: str) -> str | None:
    """``Foo::<T>::new`` -> ``Foo::new``, ``f::<T>`` -> ``f`` (None: brackets left over)."""
    while "::<" in callee:
        start = callee.find("::<")
        depth, end = 0, start + 2
        for end in range(start + 2, len(callee)):
            depth += {"<": 1, ">": -1}.get(callee[end], 0)
            if depth == 0:
                break
        if depth != 0:
            return None
        callee = callee[:start] + callee[end + 1 :]
    return callee


# Pin's functions of a pinned place whose value derefs to the place (``Pin::new(&mut x)``,
# ``Pin::new_unchecked(p)``) or is a reference to it (``Pin::into_inner(self)``,
# ``Pin::get_mut(self)`` of a ``self: Pin<&mut Self>``: ``&mut Self``)
_PIN_NEW = re.compile(
    r"(?:(?:std|core)::pin::)?Pin::(?:new|new_unchecked|into_inner|get_mut|get_unchecked_mut)\("
)
_PINNED_PLACE = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)*")
_PLACE_PREFIXES = ("&mut ", "&", "*")
# Calls on a pinned place that give the place itself, for its fields and methods: Pin's
# reborrow, and pin-project's projection (its fields are the struct's, pinned or referenced)
_AS_MUT = "as_mut()"
_AS_REF = "as_ref()"  # NonNull's `&T` of its pointee (a POINTEE place: no Pin's, no AsRef's)
_PROJECT = "project()"
_PLACE_STEPS = frozenset({_AS_MUT, _AS_REF, _PROJECT})
# Pin's own methods (std::pin::Pin's): rustc looks at `Pin<&mut T>` before T, so these are
# Pin's, not the place's of the same name
_PIN_METHODS = frozenset(
    {
        "as_deref_mut",
        "as_mut",
        "as_ref",
        "get_mut",
        "get_ref",
        "get_unchecked_mut",
        "into_inner",
        "into_inner_unchecked",
        "into_ref",
        "map_unchecked",
        "map_unchecked_mut",
        "set",
    }
)
# a method `as_mut` (inherent or AsMut's) or `project` the file defines: its own value, no
# reborrow of a Pin or pin-project's projection
_OWN_AS_MUT = re.compile(rb"\bfn\s+as_mut\b")
_OWN_PROJECT = re.compile(rb"\bfn\s+project\b")
_PIN_PROJECT = re.compile(rb"\bpin_project\b")


def _has(source: bytes, word: bytes, pattern: re.Pattern[bytes]) -> bool:
    """Whether ``pattern`` (which matches ``word`` in it) is in the file: the plain byte
    search first, a fraction of the regex's time on a file without the word (most files)."""
    return word in source and pattern.search(source) is not None


def rust_receiver_unwrap(source: bytes) -> Callable[[str], str | None]:
    """``rust_unpinned_callee`` for a file (``receiver_unwrap``): ``x.as_mut()`` is Pin's
    reborrow unless the file defines an ``as_mut`` of its own (``Handle::as_mut(&mut self) ->
    &mut Conn``, ``impl AsMut<Conn> for Wrap``: the method's value), ``self.project()``
    pin-project's projection only in a file that uses pin-project (``#[pin_project]``,
    ``pin_project! { .. }``) and defines no ``project`` (a struct's own: its value);
    ``x.as_ref()`` a NonNull's pointee (POINTEE) whatever ``as_ref`` the file defines (a place
    of no NonNull is no place of it)."""
    steps = {
        step
        for step, applies in (
            (_AS_MUT, not _has(source, b"as_mut", _OWN_AS_MUT)),
            (_AS_REF, True),
            (
                _PROJECT,
                _has(source, b"pin_project", _PIN_PROJECT)
                and not _has(source, b"project", _OWN_PROJECT),
            ),
        )
        if applies
    }
    return functools.partial(rust_unpinned_callee, steps=frozenset(steps))


_OWN_GET_MUT = re.compile(rb"\bfn\s+get_mut\b")
_OWN_PLACE = re.compile(r"(?:&(?:mut)?)?\*?self")  # (whitespace removed)


def rust_own_value(source: bytes) -> Callable[[str], bool]:
    """``own_value`` for a file: a value that is ``self`` itself (``&mut *self``), or
    ``self.get_mut()`` in a file that defines no ``get_mut`` (Pin's, the ``&mut Self`` of a
    ``self: Pin<&mut Self>``). (Not pin-project's ``let me = self.project()``: typed so, 3 of
    its 27 calls on tokio are trait methods of another crate's type, which the rustc oracle
    names the std trait's declaration, outside, as it does for any type of another crate.)"""
    own_get_mut = _has(source, b"get_mut", _OWN_GET_MUT)

    def own(text: str) -> bool:
        text = "".join(text.split())
        if _OWN_PLACE.fullmatch(text) is not None:
            return True
        return text == "self.get_mut()" and not own_get_mut

    return own


def rust_unpinned_callee(callee: str, *, steps: frozenset[str] = _PLACE_STEPS) -> str | None:
    """A method call on a pinned place as a call on the place (``receiver_unwrap``): ``Pin::new(
    &mut self.inner).poll_write`` -> ``self.inner.poll_write`` (``Pin::new_unchecked``, and
    ``Pin::into_inner(self)`` / ``Pin::get_mut(self)``, the place's reference, alike),
    ``Pin::new(rx).poll`` -> ``rx.poll``, ``self.as_mut().flush_buf`` -> ``self.flush_buf``
    (``Pin<&mut T>`` derefs to T:
    its methods, its traits'; ``as_mut`` reborrows it, and a ``Box``'s or a reference's is the
    same T), ``self.project().inner.poll_read`` -> ``self.inner.poll_read`` (pin-project's
    projection has the struct's fields, pinned or referenced), references and dereferences of
    the place left out; None for anything else (a place that is no plain name or field chain,
    ``Pin::new(&mut *x.lock())``, a method of the projection itself, one of Pin's own methods,
    ``Pin::new(&mut x).get_mut``, ``self.as_mut().set``; ``steps``: the calls that give the
    place, of ``as_mut()``, ``as_ref()`` and ``project()``). ``x.as_ref().f`` -> ``*x.f``
    (POINTEE: a ``NonNull``'s pointee, no place of any other type)."""
    start = _PIN_NEW.match(callee)
    if start is None:
        parts = callee.split(".")
        if parts[-1] in _PIN_METHODS:
            return None
        kept = [part for part in parts[:-1] if part not in steps]
        if len(kept) == len(parts) - 1 or not kept:
            return None
        if _PROJECT in parts and parts[-2] == _PROJECT:
            return None  # a method of the projection itself
        place = ".".join(kept)
        if not _PINNED_PLACE.fullmatch(place) or not parts[-1].isidentifier():
            return None
        # `p.as_ref()`: a NonNull's pointee, no place of any other type (an `AsRef` of
        # another file's, `Box`'s, Pin's `Pin<&T>`: the call's value as written)
        pointee = POINTEE if _AS_REF in steps and _AS_REF in parts[:-1] else ""
        return f"{pointee}{place}.{parts[-1]}"
    depth, close = 1, None
    for position in range(start.end(), len(callee)):
        depth += {"(": 1, ")": -1}.get(callee[position], 0)
        if depth == 0:
            close = position
            break
    if close is None or not callee.startswith(".", close + 1):
        return None
    method = callee[close + 2 :]
    place = callee[start.end() : close].strip()
    for _ in range(_MAX_WRAPPERS):
        prefix = next((prefix for prefix in _PLACE_PREFIXES if place.startswith(prefix)), None)
        if prefix is None:
            break
        place = place[len(prefix) :].lstrip()
    if not _PINNED_PLACE.fullmatch(place) or not method.isidentifier() or method in _PIN_METHODS:
        return None
    return f"{place}.{method}"


# The patterns a `let` binds its names in, nested (`let (a, Some(ref mut b)) = ..`).
_LET_PATTERNS = frozenset(
    {
        "captured_pattern",
        "field_pattern",
        "mut_pattern",
        "or_pattern",
        "ref_pattern",
        "reference_pattern",
        "slice_pattern",
        "struct_pattern",
        "tuple_pattern",
        "tuple_struct_pattern",
    }
)


def rust_declaration_reach(declaration: Node) -> str | tuple[Point, Point]:
    """Where a ``@declare`` node's binding holds (``declaration_reach``): a ``let``'s names
    from the end of the ``let`` (its value and its ``else`` block still see the names as
    they were) to the end of the block it stands in, where a later ``let`` of the name
    shadows it (``let x = x.bar();``: the call is the parameter's, a call after it the new
    ``x``'s; one in a block before it, or after the block, the parameter's); anything else,
    a parameter, a pattern of an ``if let``, a ``match`` arm, a ``for``, a closure's
    parameter, in its whole scope (``"scope"``)."""
    if declaration.type == "block":  # its `fn` items', from its start
        return (declaration.start_point, declaration.end_point)
    node = declaration
    while node.type in _LET_PATTERNS and node.parent is not None:
        node = node.parent
    if node.type != "let_declaration" or node.parent is None:
        return "scope"
    return (node.end_point, node.parent.end_point)


def _join(prefix: str | None, path: str) -> str:
    return path if prefix is None else f"{prefix}::{path}" if path else prefix


def _split(full: str) -> tuple[str | None, str]:
    module, sep, name = full.rpartition("::")
    if not sep:
        return None, full
    if name == "self":  # `use a::b::{self}` imports `a::b` itself
        return _split(module)
    return module, name


def rust_imports(node: Node, text: TextOf) -> list[ImportRow]:
    """Expand a ``use`` tree into one row per imported name (iteratively: lists may nest)."""

    def squash(n: Node) -> str:
        return "".join(text(n).split())

    if node.type == "extern_crate_declaration":
        name = node.child_by_field_name("name")
        alias = node.child_by_field_name("alias")
        if name is None:
            return []
        return [(None, squash(name), squash(alias) if alias is not None else None)]
    argument = node.child_by_field_name("argument")
    if argument is None:
        return []
    rows: list[ImportRow] = []
    stack: list[tuple[str | None, Node]] = [(None, argument)]
    while stack:
        prefix, current = stack.pop()
        kind = current.type
        if kind == "scoped_use_list":
            path = current.child_by_field_name("path")
            items = current.child_by_field_name("list")
            inner_prefix = _join(prefix, squash(path)) if path is not None else prefix
            if items is not None:
                stack.extend((inner_prefix, child) for child in reversed(items.named_children))
        elif kind == "use_list":
            stack.extend((prefix, child) for child in reversed(current.named_children))
        elif kind == "use_as_clause":
            path = current.child_by_field_name("path")
            alias = current.child_by_field_name("alias")
            if path is not None:
                module, name = _split(_join(prefix, squash(path)))
                rows.append((module, name, squash(alias) if alias is not None else None))
        elif kind == "use_wildcard":
            inner = current.named_children
            module = _join(prefix, squash(inner[0])) if inner else prefix
            rows.append((module, "*", None))
        elif kind not in ("line_comment", "block_comment"):
            module, name = _split(_join(prefix, squash(current)))
            rows.append((module, name, None))
    return rows


def rust_exports(node: Node) -> bool:
    """Whether a ``use`` / ``extern crate`` declaration re-exports what it names: a visibility
    other than ``pub(self)`` (which is the default privacy)."""
    visibility = next(
        (child for child in node.children if child.type == "visibility_modifier"), None
    )
    if visibility is None:
        return False
    return (
        "".join((visibility.text or b"").decode("utf-8", errors="replace").split()) != "pub(self)"
    )


# Macros whose arguments are `expression, pattern [if guard]`: only the expression is code.
PATTERN_MACROS = frozenset({"matches", "assert_matches", "debug_assert_matches"})


def _macro_name(token_tree: Node) -> str:
    invocation = token_tree.parent
    macro = invocation.child_by_field_name("macro") if invocation is not None else None
    text = (macro.text or b"") if macro is not None else b""
    return text.decode("utf-8", errors="replace").rpartition("::")[2]


def _scrutinee(token_tree: Node) -> EmbeddedRange | None:
    """The expression before the first top-level comma of ``matches!(expression, pattern)``."""
    opening = token_tree.child(0)
    comma = next((child for child in token_tree.children if child.type == ","), None)
    if opening is None or comma is None or comma.start_byte <= opening.end_byte:
        return None
    return (opening.end_byte, comma.start_byte, opening.end_point, comma.start_point)


def macro_code(token_tree: Node) -> EmbeddedRange | None:
    """The part of a macro invocation's token tree that is parsed again as Rust code.

    ``name! { ... }``: the text between the braces, as items and statements (``cfg_rt! { pub fn
    spawn() {} }``). ``name!(...)`` and ``name![...]``: the whole token tree, delimiters
    included, as one expression (a tuple, a parenthesized or an array expression), so that
    ``println!("{}", f(x))`` has the call ``f``. The engine appends a ``;`` and drops the range
    when it does not parse cleanly (``select! { v = f() => ... }``, ``quote! { #name }``).
    Arguments without any ``(`` or ``!`` cannot hold a call and are not parsed at all.
    """
    count = token_tree.child_count
    if count < 2:
        return None
    opening, closing = token_tree.child(0), token_tree.child(count - 1)
    if opening is None or closing is None or closing.is_missing:
        return None
    if opening.type == "{":
        if closing.type != "}":
            return None
        return (opening.end_byte, closing.start_byte, opening.end_point, closing.start_point)
    if opening.type in ("(", "["):
        text = token_tree.text or b""
        if b"(" not in text[1:] and b"!" not in text:
            return None  # no call and no macro inside: nothing to extract, skip the parse
        if _macro_name(token_tree) in PATTERN_MACROS:
            return _scrutinee(token_tree)
        return (
            token_tree.start_byte,
            token_tree.end_byte,
            token_tree.start_point,
            token_tree.end_point,
        )
    return None


RULES = LanguageRules(
    name="rust",
    grammar=tree_sitter_rust.language,
    query=QUERY,
    separator="::",
    scope_kinds=frozenset({"function", "method", "struct", "enum", "trait", "impl", "module"}),
    method_parents=frozenset({"impl", "trait"}),
    # `fn f(cb: impl Fn()) { cb() }`: the parameter (rustc), no fn cb of the module
    called_names=CALLED_NAME,
    imports=rust_imports,
    exports=rust_exports,
    callee_unwrap={"generic_function": "function"},
    clean_name=impl_type_name,
    inherit_skip=frozenset({"line_comment", "block_comment", "lifetime", "removed_trait_bound"}),
    embedded=macro_code,
    instance_name="self",
    declaration_scope_kinds=frozenset({"function", "method", "impl", "struct", "enum", "trait"}),
    declared_type=rust_declared_type,
    # `Foo { .. }` (a struct literal's name), `Foo::new(..)`, `f(..)`, `Foo::open(..).await?`
    # (the whole value, see rust_constructed_type); `let x = y` has the type declared for y
    value_constructors={
        "struct_expression": ("name", ""),
        "call_expression": ("", ""),
        "try_expression": ("", ""),
        "await_expression": ("", ""),
        "macro_invocation": ("", ""),  # `ready!(f(cx))`: f's Poll's Ready value
    },
    constructed_type=rust_constructed_type,
    file_constructed_type=rust_file_constructed_type,  # a `ready!` of the file's own
    returned_type=rust_returned_type,
    value_names=frozenset({"identifier"}),
    member_values=frozenset({"field_expression"}),  # `let raw = self.raw`: self.raw's type
    address_values={"reference_expression": "value"},  # `let raw = &self.raw`, `&mut x`: alike
    spaced_receivers=True,  # rustfmt writes long chains one call a line
    receiver_unwrap=rust_receiver_unwrap,  # `Pin::new(&mut self.inner).poll_write()`
    field_chains=True,
    exports_fields=True,
    element_type=rust_element_type,
    content_place=rust_content_place,  # `if let Some(x) = self.a`, `let x = a.take().unwrap()`
    content_type=rust_content_type,
    variant_field=rust_variant_field,  # `IoStack::Enabled(v)`: the variant's field 0
    own_value=rust_own_value,  # `let me = &mut *self`: `me.inner` is `self.inner`
    shadowing_lets=True,  # `fn f(entry: NonNull<E>) { let entry = entry.as_ref().handle(); }`
    declaration_reach=rust_declaration_reach,  # a `let`'s names from its end to its block's
    pointee_text=rust_pointee_text,  # `p.as_ref().f()` of a `p: NonNull<Foo>`: Foo's
    # `xs[1..]`, `xs[..n]`, `xs[a..=b]`, `xs[..]` (a `...` is no range)
    slice_index=re.compile(r"(?<!\.)\.\.(?!\.)"),
)
