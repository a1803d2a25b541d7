"""The code property graph: nodes and edges over every configured language (Joern's labels).

Driver module. ``cpg_nodes`` and ``cpg_edges`` read every language's family tables through
``@resolve`` + ``@inject(group(source("<language>.symbols"), ...))``, so the languages are config.

Nodes (``label`` / ``subkind``):

- ``FILE`` per analysed file (status ok); ``NAMESPACE`` per analysed file (subkind ``file``, the
  module path of the file, see ``normalize``) and per module symbol (subkind ``module``);
- ``TYPE_DECL`` for class/struct/enum/trait/interface/impl/type_alias and, in JavaScript and
  TypeScript, for the object literals with methods that scope them (kinds constant, variable,
  property: ``const api = { get() {} }``), ``METHOD`` for function/method/macro (other constants
  stay in the symbols table only);
- ``CALL`` per call site, ``IMPORT`` per imported name (and per name a JS/TS ``export {x}``
  exports from its own file, a CommonJS ``exports.f = g`` too: an imports row, see rule 3).

Ids are :func:`node_id`: a sha256 prefix of repository-independent fields (path, label, qualified
name, start line and column), never row numbers, so the same code gives the same ids anywhere.

Edges: ``CONTAINS`` (FILE -> its NAMESPACE -> top-level symbols, calls and imports; symbol ->
nested symbols, calls and imports), ``CALLS`` (CALL -> METHOD), ``IMPORTS`` (IMPORT -> the
imported NAMESPACE/TYPE_DECL/METHOD), ``INHERITS_FROM`` (TYPE_DECL -> TYPE_DECL). A target that
does not resolve inside the repository is ``unresolved:<name>`` with ``resolved=False``.

Name resolution, as far as names allow (no types, no execution), in this order:

1. Receiver calls ``self.f`` / ``this.f`` / ``Self::f`` / ``self::f`` (and Python's ``cls.f`` in
   a classmethod, as ``self.f``): a method ``f`` of the enclosing type (same file first, then
   the same type name elsewhere, e.g. another Rust impl); if it has none, rule 5 (an inherited
   method; not Rust's ``self.f`` in an impl's method, whose type is known: a method none of its
   impls or traits defines, ``self.get_unchecked_mut()`` on a ``self: Pin<&mut Self>``, is a
   std type's or trait's, unresolved; except in an impl for a smart pointer, ``impl Schedule
   for Arc<Handle>``, whose ``self`` derefs to a repository type; ``self.f()`` in the method
   ``f`` of a trait impl is what rustc picks first, an inherent ``f`` of the type (``impl
   Child { fn id }``; not in an impl for a smart pointer, whose ``&self`` the trait's method
   takes first), else the method itself for a repository type (``self.count(n - 1)``),
   and in a trait impl for a type from outside, ``impl Wait for StdChild``, whose inherent
   ``id`` is std's, a method of the impl is unresolved; so is a recursion written in a macro's
   arguments, ``delegate_call!(self.poll_read(cx, buf))``: ``_rust_self_delegations``).
   JavaScript/TypeScript ``this.f`` looks in what
   ``this`` is where the call is, from the calls table's ``this_symbol`` (the innermost non-arrow
   function, method or class around the call: an arrow function sees the ``this`` around it,
   a callback ``function () {}`` has its own), never from the enclosing chain: in a class or
   object literal (a TYPE_DECL: field initializers, static blocks) a member ``f`` of that
   type, as above; in a method of one, a member of its side (ES2015 classes, the symbols'
   ``modifiers``, ``STATIC_LANGUAGES``): in a ``static`` method ``this`` is the class, a
   static ``f``, in an instance method an instance, an instance method ``f``; the base walk
   (``this.f``, ``super.f``) likewise sees that side only, and ``f`` of the other side alone
   (the class's or a base's: an instance method's ``this.create()`` with only a ``static
   create``) is unresolved, never rule 5; in an ES5 class, inside a function ``Foo``
   (the constructor ``new Foo()`` runs) and inside a method stored on it
   (``Foo.prototype.bar = function () {}``, ``Foo.prototype = { bar() {} }``,
   ``this.bar = function () {}`` in ``Foo``), ``Foo.f`` stored on it (a function declared
   inside ``Foo`` is a local, no member); a named function nested in another is its own ES5
   ``this``. Without a ``this_symbol`` (an anonymous callback's ``this``, the top level) or a
   member there, rule 5 (``this`` of an unknown type). Java's qualified ``Outer.this.f`` is
   ``this.f`` in the enclosing class ``Outer`` (JLS 15.8.4; the nearest one of the qualifier's
   last segment; none: the text as written). A ``self.f`` / ``this.f`` the type does
   not define (or only rule 5 finds) is looked up in its base types as ``super.f`` is.
   ``super().f`` / ``super(C, self).f`` (Python), ``super.f`` (JS/TS, Java) name the ``f`` of
   the nearest base type defining one (resolved ``INHERITS_FROM`` targets: Python's MRO for
   single inheritance; Java's superclass, whose own interfaces' default methods come after its
   class chain; JS/TS ``extends`` only, an implemented interface is no prototype), never the
   enclosing type's own (the override itself) and never rule 5: unresolved when no base in the
   repository defines it, when several bases lead to different definitions (the inherits
   table keeps the bases of one line by their text, not in the written order the MRO follows),
   or when the walk passes a type with a base outside the repository, which may define it
   (except Python's ``object``, ``ABC``, ``Generic`` and ``Protocol`` for a name they do not
   define: ``NAMELESS_BASES``, ``NAMELESS_BASE_NAMES``; ``self.get()`` past ``Generic[T]`` is
   a base's ``get``, which no dict lends them).
   ``super(...)`` (JS/TS, Java) is a constructor call of the superclass (``extends``), Java's
   ``this(...)`` one of the enclosing class.
2. Bare names ``f()``: a function/method ``f`` whose parent is the call's enclosing scope or one of
   its ancestors, innermost first, then the top level of the file (Go: of the package directory;
   Java: the top-level types of its package folder, JLS 6.4.1, after a single-type import of
   the name, ``import a.Foo;``, which shadows them, and before a type-import-on-demand,
   ``import a.*;``, which they shadow). A JS/TS callee that is no name names nothing by its
   last identifier (``concatAll()(x)`` calls a call's value, ``(() => x as Foo)()`` an
   expression); a name in parentheses or asserted non-null (``(fn)()``, ``remove!()``) is it.
   A JS/TS, Go, Rust or Python bare name that a function or a block around the call binds to a
   value (the calls table's ``receiver_local``: ``function f(cb) { cb(); }``, a destructured,
   default or rest parameter, a loop, ``catch`` or local variable, an outer function's
   parameter; Go ``func f(cb func()) { cb() }``, a ``cb := ...`` from its end to the end of its
   block or case clause; Rust ``fn f(cb: impl Fn()) { cb() }``, a ``let`` from its end, a
   closure's parameter; Python ``def f(cb): cb()``, a name the function assigns anywhere and
   declares neither ``global`` nor ``nonlocal``) names no outer definition nor import of the
   name: unresolved, never rule 5 (tsc, go/types, rustc and Jedi bind it to the value;
   ``_local_values_called``). A local function (``const cb = () => {}``, a block's
   ``function cb() {}``) is found by this rule; a named function expression's own name inside it
   (``const h = function k() { k(); }``) is the symbol the expression is the value of (an
   imports row, languages.base ``ENCLOSING_FUNCTION``, rule 3), else a value.
   Class/impl bodies are scopes only in Java (implicit ``this``), not in Python, Rust, Go, JS, TS.
   A Java bare name is ``this.f`` of the first enclosing class (JLS 15.12.1): not found there
   (or by rule 5 only), the base walk of ``this.f``; found in an outer class, a base of the
   first enclosing class that defines ``f`` wins (``hasQueuedThreads()`` in a nested ``Sync
   extends AbstractQueuedSynchronizer``). A base's ``private`` method (the symbols'
   ``modifiers``) is not inherited (JLS 8.2): no candidate of any base walk (``this.f``,
   ``super.f``, rule 4a's nearest base) from another top-level class, while the nested,
   local and anonymous classes of one top-level class share it (JLS 6.6.1; two top-level
   classes of one file do not).
3. Names bound by imports: ``f`` imported (``from m import f``, ``use m::f``, ``import {f}``) or
   the head of a dotted callee (``m.f``, ``Type::f``) bound by an import, found in the lexical
   scope, or in the file's own module. An import binds its names in the scope of its statement
   (the imports table's ``enclosing``): a Python import in a function, a JS/TS ``const m =
   require(...)`` in a function, a Rust ``use`` in a fn body (or a ``mod``) are seen there and
   in the functions nested in it only (a Rust block's ``use`` in its whole fn); one in a class
   body only by the code directly in it (a JS/TS ``static {}`` block's ``require`` too), but
   for the binding of a JS/TS class expression's own name, which its methods see too
   (ECMAScript's class scope): ``const A = class Inner { m() { Inner.s(); } }``: the row (None,
   "A", "Inner") the class encloses (languages.base ``ENCLOSING_CLASS``; a named function
   expression's, ``ENCLOSING_FUNCTION``, in itself). Such a row is a name binding, no import:
   no IMPORT node nor edge (``_own_name_rows``). A class expression that is no symbol (an
   argument, ``register(class Inner {...})``) binds its own name in its methods to a value
   (rule 2's ``receiver_local``: unresolved), shadowing an outer one of the name. Rules 2 and 3
   together: the innermost scope that binds the name wins (a function's import shadows the
   module's ``def``, a nested ``def`` a module-level import), even when it binds something
   outside the repository (then unresolved); in one scope a definition before an import for a
   bare name, an import before a definition for a dotted head, as listed here. A glob import
   binds only what its module has. Python relative imports resolve against the file's
   package, Rust ``crate::``/``self::``/``super::`` against the module of the ``use`` (the
   file's, or the ``mod m { }`` block's it is in: ``mod tests { use super::*; }``; a called
   path, ``crate::runtime::coop::poll_proceed()``, ``super::f()``, against the innermost
   module around the call, never as written: ``_rust_relative_path``), JS/TS ``./x``
   against the file's folder, Go import paths to the package folder of a main module of the
   file's build (its module, or every module its go.work uses), of a replacement that applies
   (by minimal version selection), else of a module declared anywhere (``go/modules``; without
   any go.mod, to the repository folder they end with). The first segment of a Rust path
   (``use tokio::sync``, ``tokio::spawn()``, ``::tokio::x``, a declared type) that names a
   crate by its Cargo.toml name (``rust/crates``): for a file of a package, its own lib name
   (its tests, benches and examples use it) and its dependencies (a ``path`` one: the package
   in that folder; another: the repository's one package of that name), for a file in no
   package every lib name one crate has; a crate of the repository stands for its
   folder-derived module root (``tokio`` -> ``tokio_1.24.2``: qualified names stay
   path-derived), a dependency that is none is from outside the repository (no rule 5, as for
   an import from outside). Without any Cargo.toml a Rust crate is only its folder's name.
   Re-exports: a module's name that the module binds by its own import stands for what that
   import names, followed inside the repository only. Python: every module-level import
   (``from .m import f`` in ``pkg/__init__.py``: ``pkg.f`` is ``pkg.m.f``; ``import a.b`` binds
   ``a``; an import inside a function is no attribute of the module) and glob (``from .m
   import *``: m's public names, ``__all__`` is not read). JavaScript/TypeScript: what an
   ``export`` statement names (the imports table's ``exported`` rows): ``export {x as y} from
   "./m"``, ``export * from "./m"`` (not its ``default``), ``export * as ns from "./m"``,
   ``export {x as y}`` of the file's own binding (an import's target, else its own ``x``); a
   plain ``import {x}`` makes nothing importable from the file, and an ``export ... from``
   binds nothing in the file itself (ECMAScript); CommonJS ``module.exports = X`` (the
   exported row (None, X, ``export=``), TypeScript's ``export = X``) makes the module object X,
   so a namespace binding of the module (``const X = require("./x")``) stands for that X
   (``<module>.export=``, followed as ``export {X}``; an anonymous ``module.exports = (a) =>
   ...`` is a function named after the module, ``makeSerializable``, see languages.base
   ``own_module_name``), and ``X.f`` that X's ``f``, else a property ``f`` the module sets
   on its module object (``module.exports.f = g`` / ``exports.f = ...``: an exported row,
   ``export {g as f}``; a function value is the module's top-level ``f`` in our symbols),
   never a top-level ``f`` the module keeps private (no member of X), as does a named
   binding of it (``const { f } = require("./x")``: a static method of a class X). A module's own definition of the name wins
   over its import. A name is followed the way Python evaluates ``pkg.C.m``: its longest module
   prefix (``pkg``) and the next segment (``C``), hop by hop, at most ``_MAX_REEXPORT_HOPS``,
   each name once per origin (a cycle stays unresolved, as does a name re-exported from
   outside the repository); wherever an import binding is looked up: bare and dotted callees,
   constructor calls, base types and IMPORTS edges (``_Lookups.follow_reexports``). Rust:
   what a ``pub use`` names (any ``pub(...)``, the imports table's ``exported`` rows; also in a
   macro body, ``cfg_net! { pub use ... }``) of a file's module or of a ``mod m { }`` block in
   it, which the module binds as a plain ``use`` does; a plain ``use`` too, for a path that
   names it, whoever writes the path (an item private to the module: code that compiles
   names it so from the module or a descendant only, ``use crate::task::RawTask`` in
   ``task::abort`` with ``use self::raw::RawTask`` in ``task``), never for a glob: a glob
   (``use m::*``, ``pub use m::*``) carries m's items (every one: no privacy by name) and
   its ``pub use`` names, none that a plain ``use`` of m binds, nor a plain glob ``use
   n::*`` of m (not even to a descendant of m, whose ``use super::*`` would: not told
   apart here; ``_CARRIED``), nor a name the module's own ``use`` binds (``pub use
   crate::b::X`` beside ``pub use crate::a::*``: b's X). A Rust ``use`` path
   whose first segment is a child module of the file's module (``mod tcp; pub use
   tcp::TcpStream;``, Rust 2018) starts from that module. A Rust name bound twice where it is
   looked up, which rustc accepts only under opposite cfgs (E0252, E0255), names neither
   definition (``_Lookups._without_rust_twins``): two ``use``s of one scope (``#[cfg(test)]
   use super::mocks::spawn_blocking;`` beside the real one), a module's own definition of a
   name it also imports (``cfg_not_rt! { struct JoinHandle }`` beside ``cfg_rt! { pub use
   crate::task::JoinHandle; }``, also reached through a re-export of it, ``sys::Blocking``;
   an ``impl Handle`` defines no name), a path whose re-exports lead to two definitions.
4. A dotted callee as written, as a repository qualified name (``pkg.mod.f``); in Go not when
   an import of the file binds the head (``context.Background()`` after ``import "context"``
   calls the imported package, whatever folder of the repository is named ``context``).
   A JavaScript/TypeScript call through a class's name (``B.f()``, also an import of a class's
   member) reads the class value (ES2015): the class's ``static f`` (a static and an instance
   method of one name share the qualified name), else the static ``f`` its bases lead to (the
   walk of ``this.f`` in a static method), never an instance method of the class (its body's,
   or one assigned in its file: ``A.prototype.f = function () {}``, while ``A.make = function
   () {}`` there, an expando property of the class value, is a static), which alone leaves the
   call unresolved, never rule 5 (``_class_static_side``). So is a call whose receiver,
   written as a name, names a class where the call is (resolved as a declared receiver type
   is, ``_class_head_queries``) and that rules 3-4 leave unresolved or to rule 5 (``B.f()``
   where B has no ``f`` of its own, an imported ``B``, ``m.B.f()``): the class's static side,
   else unresolved, never rule 5; likewise through an object literal's name (``const o = {
   k() {} }``, ``o.w()``): its own member, else unresolved (tsc types a literal by its
   properties as written). ``B?.f()``, ``(B).f()`` and ``B!.f()`` are ``B.f()``. A
   receiver that starts with a name a function or a block around binds to a value (the calls
   table's ``receiver_local``: a parameter, a local variable, a loop or ``catch`` variable, a
   destructured name: ``function g(B) { B.f(); }``) names no class: neither the class head
   nor a member of a class that rules 3-4 reach through the name as written (unresolved), nor
   an import (what they reach in another file: ``function a(util) { util.f(); }`` after
   ``import * as util``, unresolved). Not
   read as a class value (left to the other rules): a class of a global script (no module: a
   ``B`` another script declares).
4a. A member call whose receiver has a declared type (the calls table's ``receiver_type``:
   ``def f(x: Foo)``, ``x: Foo = ...``, ``x = Foo()``, ``self.x: Foo``, a Python
   ``@property`` / ``@functools.cached_property`` ``def p(self) -> Foo`` read as a field of
   its class (``self.p.f()``; in the same file its annotation resolved where the call is),
   TypeScript
   ``(x: Foo<T>)``, ``private x?: Foo``, ``this: Foo``, ``(x as Foo).f()``; JS/TS
   ``const x = this.y`` and ``const { y } = this`` as the receiver ``this.y`` (the field's
   type, or a field hop), ``const x = y.z`` / ``const { z } = y`` as ``y.z``; JavaScript's
   ``new Foo()`` / ``const x = new Foo()`` of an ES5 class ``function Foo() {}`` (one with
   members stored on its objects: ``Foo.prototype.m = ...``, ``this.m = ...`` in it, as tsc
   reads a JavaScript file; its members those, no function local to it:
   ``_Scope.es5_classes``); JavaScript's JSDoc ``@param {Foo} x``,
   ``/** @type {Foo} */ this.x = ...``, a cast ``/** @type {Foo} */ (x).f()`` (``Foo`` bound
   by a ``@typedef {import("./m")} Foo`` or an import); a JS/TS ``for (const x of xs)`` and
   ``xs[i].f()`` over a name (or ``of this.xs``, a field of the file's class) declared
   ``Foo[]``, ``Array<Foo>``, ``Set<Foo>``,
   ``Iterable<Foo>`` (also by JSDoc: ``@param {Foo[]} xs``, ``/** @type {Set<Foo>} */``; the
   languages' ``element_type``, as Go's below; a ``Map``'s pairs none); a Python ``for x in
   xs``, ``[x.f() for x in xs]``, ``x = xs[i]``, ``xs[i].f()`` over a name (or ``in self.xs``)
   declared ``list[Foo]``, ``Sequence[Foo]``, ``set[Foo]``, ``Iterable[Foo]``, ``tuple[Foo,
   ...]``, and a subscript of a mapping declared ``dict[str, Foo]`` / ``Mapping[K, Foo]``
   (``index_type``; its loop gives keys: none); a Python receiver
   declared with no one type (untyped, a union) in the branch of ``if isinstance(x, Foo):``
   (languages.base ``narrowed_type``); Rust ``x: &Foo``, ``static X: Foo``,
   ``self.conn``, chains of fields as Go's below (``self.a.b``: its structs' ``fields``), the
   content of an Option or a Result a pattern or an unwrapping takes out (``if let Some(x) =
   self.delay``, ``while let Some(x) = slot``, a ``match`` arm ``Some(x) =>``, ``let x =
   self.park.take().expect(..)``: the place's declared ``Option<Foo>``'s ``Foo``; ``Some(x) =
   self.take_core()``: the call's value after one ``?``, as ``let x = self.take_core()?``), a
   guard of a place's lock or cell (``let lock = self.inner.lock()`` of a ``Mutex<Inner>``: an
   ``Inner``), a copy of a field (``let raw = &self.raw``) and a field of an enum variant of
   the file a pattern binds (``IoStack::Enabled(v) =>``, ``Self::Disabled(_, w)``,
   ``TimeDriver::Enabled { driver, .. }``, ``Idle(ref mut b)`` after ``use self::State::*``:
   as the enum declares it; ``let Pair(a, _) = pair``: the tuple struct's field), a name bound
   to the own instance (``let me = &mut *self``, Pin's ``self.get_mut()``: the impl's type); a
   Rust head before a ``.`` is a value, never a module (``raw.poll()`` on a local ``raw:
   RawTask`` beside ``mod raw``: no rule 2-4 candidate through ``raw``); Go's
   method receiver, ``s.conn``; Java fields through the implicit ``this``: see the languages'
   tables), when rules 1-4 find nothing: the
   type text resolves to a TYPE_DECL as a base type does (rules 2-5 from the call's file and
   scope, label TYPE_DECL). A type of the repository (no type alias: it may stand for a
   union; in Go every named type, ``type nodeStack []*Node`` too): its member ``f`` (as rule 1
   finds a type's members; an interface's method signature counts), else the ``f`` of the nearest
   base defining one (the ``super.f`` walk; Go, ``EMBEDDING_LANGUAGES``: a type's methods are
   those of its qualified name in any file of its package, and the walk goes by embedding
   depth as the spec's selectors do, the shallowest depth with an ``f`` wins, one there; an
   embedded type from outside the repository is ambiguous when no repository type at its
   depth or above defines ``f``, ``q.JoinGroup()`` on ``struct { dgramOpt; payloadHandler }``
   with ``payloadHandler`` embedding ``net.PacketConn`` is ``dgramOpt``'s),
   else unresolved, never rule 5 (``f`` comes from a base outside the repository, or is a
   field holding a function). Rust (``_RustTraits``): a type is every ``impl`` of its name (its
   own methods, checked first: an inherent method wins); its trait methods are those of the
   traits its impls implement, their supertraits and the extension traits of the blanket impls
   that apply (``impl<W: AsyncWrite + ?Sized> AsyncWriteExt for W {}``: every type implementing
   all the bounds, to a fixpoint; a blanket impl's own method overrides the trait's default; an
   unbounded ``impl<T> Ext for T`` only when nothing else has the name), all at one level (two
   traits defining the name: ambiguous, as to rustc), a trait from outside the repository
   ignored (not "may define anything"); kept only when the trait is in scope at the call as
   rustc requires (defined in the call's file, an import there whose IMPORTS edge names it, or
   a glob import there). A type an import binds from outside the repository (``ev:
   threading.Event``, ``Observable`` from ``rxjs``), a path under a standard root
   (``OUTSIDE_ROOTS``: Rust ``std::process::Command``) or a runtime type (``BUILTIN_TYPES``:
   ``str``, ``Promise``, ``XMLHttpRequest``...; Rust's primitive and prelude types, ``n:
   usize``, ``v: Vec<u8>``, its prelude traits, ``it: impl Iterator<Item = Foo>``, unless
   the call's crate declares a struct, an enum or a trait of the name, and the primitive
   types that are no path, by their shape, ``p: *mut Foo`` a ``*pointer``, which no auto-deref
   makes a ``Foo``, ``b: &[Foo]`` a ``[slice]``, an array, a function pointer, ``pair: (A,
   B)`` a tuple ``(A,B)``, whose ``pair.0`` is an ``A``: ``rust_declared_type``; what a std
   method returns on one of those or of a prelude trait, ``items.first()``, is no value from
   outside: ``method_generic``), or a Rust type a ``use`` of the file
   binds that names no definition of the repository (a re-export of a std type,
   ``AtomicBool`` through ``use crate::loom::sync::atomic::AtomicBool``; also as a field's or
   a return type, in the file where it is written): unresolved, never rule 5. An unknown type
   name (a TypeVar, an alias) leaves the call to rule 5.
   A receiver bound to a call's value (``receiver_type`` ``f()`` plus the operators applied
   to it: ``x = make_foo()``, ``x = self.build()``, ``x = await mod.load()``, Rust ``let s =
   TcpStream::connect(a).await?``, ``.unwrap()``/``.expect(..)`` as ``?``, ``let coop =
   ready!(poll_proceed(cx))``, what a ``-> Poll<T>``'s ``.ready`` gives; TypeScript ``const
   s = createSubscriber()``; JavaScript ``const hash = createHash()`` with the JSDoc ``@returns
   {Hash}`` of the function; Go ``c, err := pkg.Dial()``, the function's first result; a
   member call on a call's value, ``make_foo().f()``, ``innerFrom(x).subscribe()``, as
   ``make_foo()``; JS/TS ``new Foo(x).f()`` is a declared ``Foo``): a ``Foo`` when the callee
   names a
   repository class ``Foo`` (not
   by rule 5, no operator after it); else the callee resolved as a call at the call site is
   (rules 1-4: a rule-5 guess types nothing), and when it names a function with a declared
   return type (the symbols' ``returns``: one named type after the ``.await``/``?`` a caller
   needs; Python's ``with f() as x``, ``f().enter``, what a ``-> ContextManager[Foo]`` or a
   ``@contextmanager`` generator's ``-> Iterator[Foo]`` enters: ``.enter Foo``) whose
   operators are the ones applied, that type, resolved in the function's own
   file and the scope around it (where the annotation is written; ``Self``/``this`` is its
   class or impl; never by rule 5), then as a declared type above (member, nearest base;
   outside or builtin: unresolved). Fewer operators than the return type needs (``x = f()``
   of an ``async def``, a Rust ``Result`` not yet unwrapped, a ``Promise`` not awaited): a type
   from outside the repository, unresolved. A callee that only rule 4a or the base walk names
   (``x = self.repo.load()``, an inherited ``self.get()``) is named in a second pass as the
   call sites of that callee text in the file are once those resolved (one METHOD they all
   name; a site settled outside the repository disagrees; Rust: the sites in the binding's
   own scope only). One level: the value of a call whose receiver is itself such a value stays
   unknown; an unannotated function's value leaves the call as it was (rule 5).
   A field hop the file cannot type (``receiver_type`` ``Foo .y``, languages.base
   ``field_hop``: ``x.y.f()`` with ``x: Foo`` and no field ``y`` of ``Foo`` declared in the
   file, ``self.y.f()`` with no ``self.y`` binding in the own class; tables with a
   ``definition_binding`` or ``exports_fields``: Python, TypeScript, JavaScript): ``Foo`` resolved where the call is (no rule-5 guess, no
   alias; ``x = make()`` / ``x = Foo()``: the class the call constructs, else the return type
   of the function it names, as above, one level), then its own ``y``, else the nearest
   base's (the ``super.f`` walk; a method or a field, whichever the nearest class declaring
   ``y`` has), when that is a property (the symbols' ``returns`` marked ``<read>``): its
   return type, resolved where the property is written (another file, a base class); when
   that is a field of a known type (the symbols' ``fields`` of its class: ``y: Foo`` in the
   class body, a dataclass or NamedTuple field, ``self.y: Foo``, ``self.y = y`` with ``y:
   Foo``; TypeScript/JavaScript ``y: Foo``, ``constructor(private y: Foo)``, ``y = new
   Foo()``, ``this.y = new Foo()``, ``/** @type {Foo} */ this.y = ...``): that type, resolved in the class's file and scope; either followed as a declared
   type above (``evaluator.asset_graph.get()``, ``self.subset_value.f()`` with
   ``subset_value`` a property of a base, ``self.child.resolve()`` with ``child:
   AssetSelection`` a field of a base). ``Foo`` or the field's type from outside the
   repository (or builtin): unresolved, never rule 5; a field of no known type, a method or
   a name nothing declares: as rules 1-5 leave it. A Python name bound to a member (``x =
   ctx.instance``, ``x = self.job_def.asset_layer``; languages.base ``member_values``) has the
   receiver type that member would have as a receiver (``IWorkspaceProcessContext .instance``,
   ``Own .job_def .asset_layer``), typed the same way. A chain of fields (``a.b.c.f()``,
   ``self.b.c.f()``; receiver type ``Foo .b .c``, at most ``MAX_FIELD_HOPS`` fields) hops
   field by field the same way, each field's type resolved where the field is written; a
   type from outside the repository along it: unresolved, its fields are outside too.
   A receiver that is an untyped parameter j of a function value passed as argument k of a
   call (TypeScript ``operate((source, subscriber) => { source.subscribe() })``, ``new
   Observable((subscriber) => { subscriber.add() })``; ``receiver_type``
   ``<line>:<column>(<k>:<j>)``, the position of that call's row): the call resolved as every
   call is (rules 1-4, 4a, the base walk; never a rule-5 guess; a ``new`` or constructor call
   to its class's constructor), when that function declares its parameter k with a function
   type (the symbols' ``callback_types``), the type of its parameter j, resolved where the
   signature is written (the function's file and the scope around it, as a return type) and
   followed as a declared type (member, nearest base; outside or builtin: unresolved). Typed
   in the second pass, with the values of calls rule 4a names; one level (a call only such a
   type resolves types no parameter of its own arguments). No generic instantiation: a
   parameter typed ``T`` gives nothing (rule 5 as before); an annotated parameter keeps its
   annotation.
   Go receivers beyond one name (languages.base ``field_chains``, ``receiver_value``): fields
   followed hop by hop through the file's structs (``t.inner.peer.Ping()``), the first hop the
   file cannot type a field hop (``Tester .ts .Listener`` for ``t.ts.Listener.Addr()``), typed
   by the fields the struct declares wherever it is (the symbols' ``fields``, Go's
   ``exports_fields``; an embedded ``*bufio.Reader`` is the field ``Reader``): a field of a
   type from outside the repository is outside too; a call's value whose callee has no
   return type of the repository (``ts := httptest.NewServer()``): that callee where the call
   is, outside or left as is; ``x := s.conn`` and ``p := &s.conn`` have the field's type; a
   type assertion or a composite
   literal written as the receiver (``w.(http.Flusher).Flush()``, ``T{}.f()``): that type; an
   element of a name declared with a container type (``element_type``: ``for _, p := range
   peers`` with ``peers []*Peer``, ``p, ok := byName[k]``, ``pools[i].Put()``, ``range
   s.items``, ``m.Questions[i].pack()``, ``range m.Questions[1:]``): its element type; an
   element of a call's value (``f.Readdir()[]``,
   languages.base ELEMENT_OPERATOR): from outside the repository when the call's value is,
   else as rules 1-5 leave it.
   A receiver the file binds nowhere (languages.base ``package_variables``: ``"<package>
   .staticTable"``) is the package's variable of that name in the call's folder (the symbols'
   ``variable`` rows and typed ``constant`` ones, ``const Html Atom = 0x5604``, their ``READ``
   type; a name declared with different types in the folder: none): declared with a type (``var bufPool sync.Pool``, ``var nativeEndian
   binaryByteOrder``) a field hop from the package, that type resolved where the variable is
   written (outside the repository: unresolved, never rule 5), then its fields; an element of
   a container variable (``ctlOpts[i].parse()`` with ``var ctlOpts = [...]ctlOpt{}``; a name
   bound to one, ``so, ok := sockOpts[k]``, ``range sockOpts``) its element type; bound to a
   call's value (``var staticTable = newStaticTable()``) that value where the call is, when
   its callee means the same there (a name of the package, or a head the call's file imports
   as the variable's does), else as rules 1-5 leave it; no variable of the name: as rules 1-5
   leave it. A field of an import's name (languages.base ``imported_package``:
   ``a.Html.String()``, ``"<package:a> .Html"``) is the variable (or typed constant) of the
   package folder the file's import resolves to, typed alike (declared with a type only; an
   import from outside the repository, or no variable of a known type: as rules 1-5 leave a
   callee whose head is an import).
   The other names of several bound to one call's value are its other results (``c, err :=
   f()``: ``err`` is ``f()[1]``, typed by result 1 of the symbols' ``returns``, which lists each
   result's type, ``Conn;error``; a callee from outside: unresolved), and a field hop starts
   from such a result as from a first one (``cm.Dst.Equal()`` with ``_, cm, err :=
   p.ReadFrom(b)``: ``p.ReadFrom()[1] .Dst``). A field hop from a call's value whose callee
   only rule 4a or the base walk names (``p.ReadFrom`` of a typed ``p``) is typed in the second
   pass, with that callee's return type (``_later_field_hops``). A call's value whose
   callee's call sites in the file rule 4a all leaves unresolved on a declared type (``fi, err
   := f.Stat()`` with ``f`` an ``http.File``: a method from outside the repository, or a field
   holding a function; Java ``gcal.getCalendarDate().getYear()`` with ``gcal`` a
   ``sun.util.calendar.BaseCalendar``; Rust ``poll.registry().try_clone()`` with ``poll`` a
   ``mio::Poll``, ``OUTSIDE_VALUE_LANGUAGES``) is a value from outside:
   its members unresolved, never rule 5; found again after each pass, at most
   ``_MAX_OUTSIDE_VALUE_PASSES`` more (``typ := val.Type()``, then ``typ.Elem().Name()``).
5. A unique repository-wide short name among the language's methods, for member calls whose
   receiver type is unknown (``user.save()``; in Rust a receiver of no declared type, an
   untyped binding such as a closure's parameter or a pattern's name, a type parameter with no
   or several trait bounds, a qualified path ``<T as Tr>::X``, or a type name that nothing of
   the repository defines and no ``use`` binds, a macro's or a glob's: never a declared type
   that rule 4a finds outside the repository, a primitive, prelude or std type's value, ``p:
   *mut Foo``, ``v: Vec<T>``, ``s: &str``). Not for bare names outside Java (a bare name that
   is neither local nor imported is a builtin), not when the head is imported from outside the
   repository (``os.path.join``), a runtime global (JS/TS ``console``, ``Math``...) or a
   standard root (``OUTSIDE_ROOTS``: Rust ``std::fs::remove_file``, a prelude type's
   ``Vec::with_capacity``, ``u32::try_from``, a prelude trait's ``Clone::clone(&rc)``, which
   names the trait's method for the argument's type, never an inherent ``clone`` of the
   repository, Java ``java.util.x``), not on a
   literal receiver (``'...'.format``, ``[1].map``, ``/x/.test``, a method chain of one: a
   builtin type; not Rust, where a repository trait may be implemented for ``str``), not for a
   name that a method of the language's builtin types has (``x.split()``, ``fn.call()``,
   ``arr.push()``: Python ``dir()`` of str/bytes/list/dict/set/tuple/int/float/object,
   ECMAScript's built-in prototypes, the stable methods the toolchain's std docs give Rust's
   std types and traits a receiver of inferred type most often is, ``n.checked_add()`` of a
   usize, ``buf.iter()`` of a slice, ``queue.push_back()`` of a VecDeque (member calls only:
   a path ``crate::net::connect()`` names no value's method); ``BUILTIN_METHOD_NAMES``).
   ``x.f()`` on a value has only methods as candidates: a top-level function is reached through
   a module or namespace an import binds (Python ``import a.b as x``, JS/TS ``import * as ns``,
   ``const ns = require(...)``, a Go package: rule 3), never on a value (a Python function is no
   attribute of an instance, Go ``v.F()`` and Rust ``x.f()`` are method calls); a Rust path
   ``a::f()`` may name a function. Nor a Go type: ``pkg.T(x)`` converts through the package
   (rule 3), a value's ``v.T()`` is its method, never the one repository type named ``T``.

Which definitions a name can reach, for every rule: a function local to another (a nested
``def``, a ``const f = () => ...`` in a function) by its bare name inside that function only
(rule 2), never through an attribute, an import or a qualified name; a name defined more than
once in one scope (a redefinition, ``@overload`` stubs then the implementation, ``if
TYPE_CHECKING:`` / ``else:`` definitions, TypeScript overload signatures) its last definition
by line, the one Python binds and the TypeScript implementation with the body; except where
such definitions all live (``OVERLOADING_LANGUAGES``: Java overloads; Rust methods of one type
in several ``impl`` blocks): none of them, unresolved; a Java overload set (``ARITY_LANGUAGES``)
stands for the one of its methods that can take the call's number of arguments (the calls'
``arguments``, the symbols' ``parameters``: JLS 15.12.2 picks by types, but a unique arity is
already unique; a varargs ``f(T...)`` takes ``parameters - 1`` or more); where several can, the
one the argument types pick (the calls' ``argument_types``, the symbols' ``parameter_types``;
``_OverloadTypes``) in javac's first phase only (JLS 15.12.2.2: a strict invocation, identity,
primitive widening, ``null`` or any class to ``Object``, any reference to a type variable, a
class to the types its bases reach, class names compared as the TYPE_DECLs they resolve to where
they are written, a ``String`` to its supertypes; no boxing, no varargs: a varargs ``f(T...)``
only with as many arguments, its last one ``T[]``), the most specific of those (JLS 15.12.2.5),
its candidates the type's methods of the name, those of its bases that no nearer method
overrides with the same parameter types (so a base's overload may win over the type's one
method of the arity, ``put(1)`` on a type with only ``put(double)`` of its own) and
``Object``'s (``equals(o)``: no target); any argument type not evident at the call, any fit not
known here (a class whose bases leave the repository, a type from outside but java.lang's, a
base's type variable with a reference), a base from outside the repository (but
``Serializable``, ``Cloneable``): unresolved, as several applicable with none most specific
are; no target when none can take the count: a type's method of the name that
cannot take the call is no candidate, a base's overload that can is (``listIterator()`` in a
class overriding ``listIterator(int)`` only: the walk of ``this.f``, and rule 4a's from a
declared type, ``other.iterator()`` on a ``Sub`` overriding only ``iterator(int)``), while one that several can take stops the walk (javac's candidates are the type's
and its bases' methods together), and the walk passes a base none of whose methods of the name
can take the call (``super.addAll(c)`` past an ``addAll()``). Constructors alike (the type's own
only, none inherited; several or none: the class). A call's
value (``x = f(...)``, rule 4a) is typed through a set of one method only. A Rust ``impl Foo`` is no definition of the type ``Foo``: where a
``struct``/``enum Foo`` is in the same scope, the name stands for it (an impl only where none is).
Go's one definition per build (a type's method written in sys_linux.go and sys_darwin.go,
``BUILD_LANGUAGES``): a type's member (rules 1, 4a) is, of those, first one of a build that
includes the call's file (languages.go ``go_build_constraint``: the ``//go:build`` line, the
symbols' ``modifiers``, and the GOOS / GOARCH the file's name ends with; ``setIfindex()`` in a
``//go:build darwin`` file is sys_darwin.go's), then the first by path as for every name (the
graph keeps every build; what one build sees is the oracle's).

A call that names no method but a class or struct (``User()``, ``new Dog()``, Rust's tuple struct
``Meters(1.0)``) is a constructor call: resolved with the same steps against TYPE_DECL nodes, it
targets the type's constructor METHOD where the type declares one (Python ``__init__``, JS/TS
``constructor``, Java a method named after the class), else the TYPE_DECL itself (Rust
``Foo::new()`` is an ordinary method call and resolves to ``new``). In Go a call naming any
type is a conversion to it (``Register(x)`` of ``type Register uint16``): that TYPE_DECL; in
Java ``new Iterator<E>() { ... }`` (an anonymous class implementing an interface) the interface;
in TypeScript ``new EmptyError()`` of an interface merged with a const of a construct
signature (``const EmptyError: EmptyErrorCtor = createErrorClass(...)``) the interface, unless
a class has its name.
Base types (``INHERITS_FROM``) use the same steps with TYPE_DECL targets (generic arguments
stripped); imports resolve to a symbol (module + name), else a file's namespace.

How: column-wise. Every distinct query (language, file, enclosing symbol, the symbol of its
``this``, text, short name, wanted label) is one row; each rule is a join of the queries against lookup frames (exact
qualified names, short names, the enclosing chains, import bindings) giving candidates with a
rank, and the first rule with a candidate wins (rules 2 and 3: ranked by the depth of the
binding scope in the enclosing chain first). Python runs once per distinct file, import module
or base-type text (module paths, relative imports, Go packages), and per id (sha256).
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import dataclasses
import functools
import operator
import posixpath
import re
import threading
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import polars as pl
import pyarrow as pa
from hamilton.function_modifiers import (
    ResolveAt,
    check_output_custom,
    group,
    inject,
    resolve,
    schema,
    source,
    tag,
)

from hamilton_modules import memos, schemas
from hamilton_modules.cpg_model import (
    METHOD_KINDS,
    NAMESPACE_KINDS,
    TYPE_DECL_KINDS,
    TYPE_DECL_KINDS_BY_LANGUAGE,
    UNRESOLVED_PREFIX,
    call_node_ids,
    collected,
    frame_node_ids,
    import_node_ids,
    label_of_kind,
    remember_call_node_ids,
)
from hamilton_modules.languages import LANGUAGES
from hamilton_modules.languages.base import (
    ARGUMENT_PARAMETER_PATTERN,
    AWAIT,
    CALL_VALUE_PATTERN,
    CALLBACK_ENTRY_PATTERN,
    CALLBACK_SEPARATOR,
    CHAIN_SPACES,
    EXPORT_EQUALS,
    FIELD_ENTRY_PATTERN,
    FIELD_HOP_PATTERN,
    FIELD_HOP_STEP,
    FIELD_SEPARATOR,
    IMPORTED_PACKAGE_PREFIX,
    MAX_FIELD_HOPS,
    PACKAGE,
    PACKAGE_HOP_PATTERN,
    READ,
    RESULT_OPERATOR_FORMAT,
    RESULT_OPERATOR_PATTERN,
    RESULT_SEPARATOR,
    RETURNS_PATTERN,
    TYPE_SEPARATOR,
    TYPE_VARIABLE,
    UNKNOWN_ELEMENT,
    tuple_elements,
    tuple_hops,
)
from hamilton_modules.languages.go import (
    go_build_constraint,
    go_builds_overlap,
    minimal_version_selection,
)
from hamilton_modules.languages.rust import MARKER_BOUNDS
from hamilton_modules.languages.rust import PRIMITIVE_SHAPES as RUST_PRIMITIVE_SHAPES
from hamilton_modules.languages.rust import SMART_POINTERS as RUST_SMART_POINTERS
from hamilton_modules.normalize import module_path, module_separator
from hamilton_modules.resolution_store import (
    PATHS_TAKEN,
    DirectoryResolutionStore,
    ResolutionInputs,
    StoredResolution,
    TokenSlot,
    incremental_paths,
    line_free,
    open_resolution_store,
    repository_key,
    warn_unusable,
)
from hamilton_modules.tables import arrow_fields, finish_table, polars_schema, rows_to_frame
from hamilton_modules.validators import table_checks

# The module path of a Go import outside every module of the repository that is spelled as one
# of its package folders (``go_package``): a space, which no import path has, so that it names
# nothing here (its IMPORTS edge is ``unresolved:context (outside the repository)``).
GO_OUTSIDE_SUFFIX = " (outside the repository)"
# Languages where a bare name inside a method also finds the enclosing type's members (Java's
# implicit `this`); in Python, Rust, Go, JS and TS a class/impl body is not a lexical scope.
TYPE_MEMBERS_IN_SCOPE = frozenset({"java"})
# Receivers that are runtime globals, never repository code: `console.log` is not a repo `log`.
_JS_GLOBALS = frozenset(
    {
        "console",
        "Math",
        "JSON",
        "Object",
        "Array",
        "Promise",
        "Reflect",
        "Number",
        "String",
        "Date",
        "Symbol",
        "window",
        "document",
        "process",
        "globalThis",
        "Error",
        "Map",
        "Set",
    }
)
# Java: the public types of ``java.lang`` (java.base, JDK 17), which every compilation unit
# imports implicitly: ``Character.isUpperCase(c)``, ``System.err.println(s)`` are static calls
# into the platform, and a receiver declared ``String s`` / ``StringBuilder sb`` (rule 4a,
# ``BUILTIN_TYPES``) calls a platform method, whatever a unique repository-wide short name says.
# A repository type of the same name wins (it is found by rules 1-4 first).
JAVA_LANG_TYPES = frozenset(
    {
        "AbstractMethodError", "Appendable", "ArithmeticException",
        "ArrayIndexOutOfBoundsException", "ArrayStoreException", "AssertionError",
        "AutoCloseable", "Boolean", "BootstrapMethodError", "Byte", "CharSequence", "Character",
        "Class", "ClassCastException", "ClassCircularityError", "ClassFormatError",
        "ClassLoader", "ClassNotFoundException", "ClassValue", "CloneNotSupportedException",
        "Cloneable", "Comparable", "Compiler", "Deprecated", "Double", "Enum",
        "EnumConstantNotPresentException", "Error", "Exception", "ExceptionInInitializerError",
        "Float", "FunctionalInterface", "IllegalAccessError", "IllegalAccessException",
        "IllegalArgumentException", "IllegalCallerException", "IllegalMonitorStateException",
        "IllegalStateException", "IllegalThreadStateException",
        "IncompatibleClassChangeError", "IndexOutOfBoundsException", "InheritableThreadLocal",
        "InstantiationError", "InstantiationException", "Integer", "InternalError",
        "InterruptedException", "Iterable", "LayerInstantiationException", "LinkageError",
        "Long", "Math", "Module", "ModuleLayer", "NegativeArraySizeException",
        "NoClassDefFoundError", "NoSuchFieldError", "NoSuchFieldException", "NoSuchMethodError",
        "NoSuchMethodException", "NullPointerException", "Number", "NumberFormatException",
        "Object", "OutOfMemoryError", "Override", "Package", "Process", "ProcessBuilder",
        "ProcessHandle", "Readable", "Record", "ReflectiveOperationException", "Runnable",
        "Runtime", "RuntimeException", "RuntimePermission", "SafeVarargs", "SecurityException",
        "SecurityManager", "Short", "StackOverflowError", "StackTraceElement", "StackWalker",
        "StrictMath", "String", "StringBuffer", "StringBuilder",
        "StringIndexOutOfBoundsException", "SuppressWarnings", "System", "Thread",
        "ThreadDeath", "ThreadGroup", "ThreadLocal", "Throwable", "TypeNotPresentException",
        "UnknownError", "UnsatisfiedLinkError", "UnsupportedClassVersionError",
        "UnsupportedOperationException", "VerifyError", "VirtualMachineError", "Void",
    }
)  # fmt: skip
KNOWN_GLOBAL_RECEIVERS: dict[str, frozenset[str]] = {
    "javascript": _JS_GLOBALS,
    "typescript": _JS_GLOBALS,
    "java": JAVA_LANG_TYPES,
}
# Method names of Python's builtin types: a receiver of unknown type calling one of these
# (`s.split()`, `d.items()`, `x.__eq__`) is no evidence for the one repository method of that
# name (rule 5). Written out, not `dir()` of the interpreter running this, so the same input gives
# the same edges on every Python (3.12 added `__buffer__`): dir() of str, bytes, list, dict, set,
# tuple, int, float and object on CPython 3.11-3.13 (tests/test_cpg.py checks the running one).
PYTHON_BUILTIN_METHOD_NAMES = frozenset(
    {
        "__abs__", "__add__", "__and__", "__bool__", "__buffer__", "__bytes__", "__ceil__",
        "__class__", "__class_getitem__", "__contains__", "__delattr__", "__delitem__", "__dir__",
        "__divmod__", "__doc__", "__eq__", "__float__", "__floor__", "__floordiv__", "__format__",
        "__ge__", "__getattribute__", "__getformat__", "__getitem__", "__getnewargs__",
        "__getstate__", "__gt__", "__hash__", "__iadd__", "__iand__", "__imul__", "__index__",
        "__init__", "__init_subclass__", "__int__", "__invert__", "__ior__", "__isub__", "__iter__",
        "__ixor__", "__le__", "__len__", "__lshift__", "__lt__", "__mod__", "__mul__", "__ne__",
        "__neg__", "__new__", "__or__", "__pos__", "__pow__", "__radd__", "__rand__", "__rdivmod__",
        "__reduce__", "__reduce_ex__", "__repr__", "__reversed__", "__rfloordiv__", "__rlshift__",
        "__rmod__", "__rmul__", "__ror__", "__round__", "__rpow__", "__rrshift__", "__rshift__",
        "__rsub__", "__rtruediv__", "__rxor__", "__setattr__", "__setitem__", "__sizeof__",
        "__str__", "__sub__", "__subclasshook__", "__truediv__", "__trunc__", "__xor__", "add",
        "append", "as_integer_ratio", "bit_count", "bit_length", "capitalize", "casefold", "center",
        "clear", "conjugate", "copy", "count", "decode", "denominator", "difference",
        "difference_update", "discard", "encode", "endswith", "expandtabs", "extend", "find",
        "format", "format_map", "from_bytes", "fromhex", "fromkeys", "get", "hex", "imag", "index",
        "insert", "intersection", "intersection_update", "is_integer", "isalnum", "isalpha",
        "isascii", "isdecimal", "isdigit", "isdisjoint", "isidentifier", "islower", "isnumeric",
        "isprintable", "isspace", "issubset", "issuperset", "istitle", "isupper", "items", "join",
        "keys", "ljust", "lower", "lstrip", "maketrans", "numerator", "partition", "pop", "popitem",
        "real", "remove", "removeprefix", "removesuffix", "replace", "reverse", "rfind", "rindex",
        "rjust", "rpartition", "rsplit", "rstrip", "setdefault", "sort", "split", "splitlines",
        "startswith", "strip", "swapcase", "symmetric_difference", "symmetric_difference_update",
        "title", "to_bytes", "translate", "union", "update", "upper", "values", "zfill"
    }
)  # fmt: skip
# The same for JavaScript/TypeScript: the methods (and accessors) of the built-in prototypes of
# ECMA-262 (15th edition, 2024; sections 20.1.3 Object, 20.2.3 Function, 20.5.3 Error, 21.1.3
# Number, 21.4.4 Date, 22.1.3 String, 22.2.6 RegExp, 23.1.3 Array, 24.1.3 Map, 24.2.3 Set (with
# the 2025 set methods), 27.2.5 Promise; Annex B's legacy String/Date/RegExp/Object methods).
ECMASCRIPT_BUILTIN_METHOD_NAMES = frozenset(
    {
        # Object.prototype (and Annex B)
        "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable",
        "toLocaleString", "toString", "valueOf", "__defineGetter__", "__defineSetter__",
        "__lookupGetter__", "__lookupSetter__", "__proto__",
        # Function.prototype
        "apply", "bind", "call",
        # Array.prototype
        "at", "concat", "copyWithin", "entries", "every", "fill", "filter", "find", "findIndex",
        "findLast", "findLastIndex", "flat", "flatMap", "forEach", "includes", "indexOf", "join",
        "keys", "lastIndexOf", "map", "pop", "push", "reduce", "reduceRight", "reverse", "shift",
        "slice", "some", "sort", "splice", "toReversed", "toSorted", "toSpliced", "unshift",
        "values", "with",
        # String.prototype (and Annex B)
        "charAt", "charCodeAt", "codePointAt", "endsWith", "isWellFormed", "localeCompare",
        "match", "matchAll", "normalize", "padEnd", "padStart", "repeat", "replace", "replaceAll",
        "search", "split", "startsWith", "substring", "toLocaleLowerCase", "toLocaleUpperCase",
        "toLowerCase", "toUpperCase", "toWellFormed", "trim", "trimEnd", "trimStart", "substr",
        "anchor", "big", "blink", "bold", "fixed", "fontcolor", "fontsize", "italics", "link",
        "small", "strike", "sub", "sup", "trimLeft", "trimRight",
        # Number.prototype
        "toExponential", "toFixed", "toPrecision",
        # Promise.prototype
        "catch", "finally", "then",
        # Map.prototype, Set.prototype
        "clear", "delete", "get", "has", "set", "size", "add", "union", "intersection",
        "difference", "symmetricDifference", "isSubsetOf", "isSupersetOf", "isDisjointFrom",
        # RegExp.prototype (and Annex B)
        "exec", "test", "compile",
        # Date.prototype (and Annex B)
        "getDate", "getDay", "getFullYear", "getHours", "getMilliseconds", "getMinutes",
        "getMonth", "getSeconds", "getTime", "getTimezoneOffset", "getUTCDate", "getUTCDay",
        "getUTCFullYear", "getUTCHours", "getUTCMilliseconds", "getUTCMinutes", "getUTCMonth",
        "getUTCSeconds", "setDate", "setFullYear", "setHours", "setMilliseconds", "setMinutes",
        "setMonth", "setSeconds", "setTime", "setUTCDate", "setUTCFullYear", "setUTCHours",
        "setUTCMilliseconds", "setUTCMinutes", "setUTCMonth", "setUTCSeconds", "toDateString",
        "toISOString", "toJSON", "toLocaleDateString", "toLocaleTimeString", "toTimeString",
        "toUTCString", "getYear", "setYear", "toGMTString",
    }
)  # fmt: skip
# And for Java: the public methods of java.lang's Object (every value has them: `a.getClass()`
# on an array), String, CharSequence, StringBuilder and Throwable (JDK 17's
# `Class.getMethods()`), and Object's protected `clone` and `finalize`.
JAVA_BUILTIN_METHOD_NAMES = frozenset(
    {
        "addSuppressed", "append", "appendCodePoint", "capacity", "charAt", "chars", "clone",
        "codePointAt", "codePointBefore", "codePointCount", "codePoints", "compare", "compareTo",
        "compareToIgnoreCase", "concat", "contains", "contentEquals", "copyValueOf", "delete",
        "deleteCharAt", "describeConstable", "endsWith", "ensureCapacity", "equals",
        "equalsIgnoreCase", "fillInStackTrace", "finalize", "format", "formatted", "getBytes",
        "getCause", "getChars", "getClass", "getLocalizedMessage", "getMessage",
        "getStackTrace", "getSuppressed", "hashCode", "indent", "indexOf", "initCause",
        "insert", "intern", "isBlank", "isEmpty", "join", "lastIndexOf", "length", "lines",
        "matches", "notify", "notifyAll", "offsetByCodePoints", "printStackTrace",
        "regionMatches", "repeat", "replace", "replaceAll", "replaceFirst",
        "resolveConstantDesc", "reverse", "setCharAt", "setLength", "setStackTrace", "split",
        "startsWith", "strip", "stripIndent", "stripLeading", "stripTrailing", "subSequence",
        "substring", "toCharArray", "toLowerCase", "toString", "toUpperCase", "transform",
        "translateEscapes", "trim", "trimToSize", "valueOf", "wait",
    }
)  # fmt: skip
# And for Rust: the stable methods (and associated functions) of the std types and traits a
# receiver whose type only inference knows most often is (`n.checked_add()` on a usize, `buf.iter()`
# on a slice, `queue.push_back()` on a VecDeque), from the toolchain's std docs (rust-docs 1.95):
# the inherent impls of the primitive integers and floats, str, [T], String, Vec, VecDeque, Option,
# Result, Box, Rc, Arc, Cell, RefCell, Mutex, RwLock and their guards, HashMap, HashSet, BTreeMap,
# the atomics, Pin, NonNull and Duration, and the required and provided methods of Iterator,
# IntoIterator, DoubleEndedIterator, Clone, ToString, Into, AsRef, AsMut, Borrow, Deref, PartialEq,
# PartialOrd, Ord, Hash, Default, Debug and Display (tests/test_cpg.py reads those pages).
RUST_BUILTIN_METHOD_NAMES = frozenset(
    {
        "abs", "abs_diff", "abs_sub", "acos", "acosh", "add", "addr", "align_offset", "align_to",
        "align_to_mut", "all", "and", "and_then", "any", "append", "array_windows", "as_array",
        "as_array_of_cells", "as_bytes", "as_bytes_mut", "as_chunks", "as_chunks_mut",
        "as_chunks_unchecked", "as_chunks_unchecked_mut", "as_deref", "as_deref_mut",
        "as_flattened", "as_flattened_mut", "as_micros", "as_millis", "as_mut", "as_mut_array",
        "as_mut_ptr", "as_mut_ptr_range", "as_mut_slice", "as_mut_slices", "as_mut_str",
        "as_mut_vec", "as_nanos", "as_pin_mut", "as_pin_ref", "as_ptr", "as_ptr_range",
        "as_rchunks", "as_rchunks_mut", "as_ref", "as_secs", "as_secs_f32", "as_secs_f64",
        "as_slice", "as_slice_of_cells", "as_slices", "as_str", "asin", "asinh", "assume_init",
        "assume_init_drop", "assume_init_mut", "assume_init_ref", "atan", "atan2", "atanh", "back",
        "back_mut", "binary_search", "binary_search_by", "binary_search_by_key", "borrow",
        "borrow_mut", "borrowing_sub", "by_ref", "byte_add", "byte_offset", "byte_offset_from",
        "byte_offset_from_unsigned", "byte_sub", "bytes", "capacity", "carrying_add",
        "carrying_mul", "carrying_mul_add", "cast", "cast_signed", "cast_unsigned", "cbrt", "ceil",
        "ceil_char_boundary", "chain", "char_indices", "chars", "checked_abs", "checked_add",
        "checked_add_signed", "checked_add_unsigned", "checked_div", "checked_div_euclid",
        "checked_ilog", "checked_ilog10", "checked_ilog2", "checked_isqrt", "checked_mul",
        "checked_neg", "checked_next_multiple_of", "checked_next_power_of_two", "checked_pow",
        "checked_rem", "checked_rem_euclid", "checked_shl", "checked_shr", "checked_signed_diff",
        "checked_sub", "checked_sub_signed", "checked_sub_unsigned", "chunk_by", "chunk_by_mut",
        "chunks", "chunks_exact", "chunks_exact_mut", "chunks_mut", "clamp", "classify", "clear",
        "clear_poison", "clone", "clone_from", "clone_from_slice", "cloned", "cmp", "collect",
        "compare_and_swap", "compare_exchange", "compare_exchange_weak", "concat", "connect",
        "contains", "contains_key", "copied", "copy_from", "copy_from_nonoverlapping",
        "copy_from_slice", "copy_to", "copy_to_nonoverlapping", "copy_within", "copysign", "cos",
        "cosh", "count", "count_ones", "count_zeros", "cycle", "dangling",
        "decrement_strong_count", "dedup", "dedup_by", "dedup_by_key", "default", "deref",
        "difference", "div_ceil", "div_duration_f32", "div_duration_f64", "div_euclid", "div_f32",
        "div_f64", "downcast", "downgrade", "drain", "drop_in_place", "element_offset",
        "encode_utf16", "ends_with", "entry", "enumerate", "eq", "eq_ignore_ascii_case", "err",
        "escape_ascii", "escape_debug", "escape_default", "escape_unicode", "exp", "exp2",
        "exp_m1", "expect", "expect_err", "expose_provenance", "extend_from_slice",
        "extend_from_within", "extract_if", "fetch_add", "fetch_and", "fetch_byte_add",
        "fetch_byte_sub", "fetch_max", "fetch_min", "fetch_nand", "fetch_not", "fetch_or",
        "fetch_ptr_add", "fetch_ptr_sub", "fetch_sub", "fetch_update", "fetch_xor", "fill",
        "fill_with", "filter", "filter_map", "find", "find_map", "first", "first_chunk",
        "first_chunk_mut", "first_entry", "first_key_value", "first_mut", "flat_map", "flatten",
        "floor", "floor_char_boundary", "fmt", "fold", "for_each", "fract", "from_be",
        "from_be_bytes", "from_bits", "from_hours", "from_le", "from_le_bytes", "from_micros",
        "from_millis", "from_mins", "from_mut", "from_nanos", "from_nanos_u128", "from_ne_bytes",
        "from_ptr", "from_raw", "from_raw_parts", "from_ref", "from_secs", "from_secs_f32",
        "from_secs_f64", "from_str_radix", "from_utf16", "from_utf16_lossy", "from_utf8",
        "from_utf8_lossy", "from_utf8_mut", "from_utf8_unchecked", "from_utf8_unchecked_mut",
        "front", "front_mut", "fuse", "ge", "get", "get_disjoint_mut",
        "get_disjoint_unchecked_mut", "get_key_value", "get_mut", "get_or_insert",
        "get_or_insert_default", "get_or_insert_with", "get_ref", "get_unchecked",
        "get_unchecked_mut", "gt", "hash", "hash_slice", "hasher", "hypot", "ilog", "ilog10",
        "ilog2", "increment_strong_count", "insert", "insert_mut", "insert_str", "inspect",
        "inspect_err", "intersection", "into", "into_boxed_bytes", "into_boxed_slice",
        "into_boxed_str", "into_bytes", "into_flattened", "into_inner", "into_inner_unchecked",
        "into_iter", "into_keys", "into_pin", "into_raw", "into_raw_parts", "into_ref",
        "into_string", "into_values", "into_vec", "is_aligned", "is_ascii", "is_ascii_alphabetic",
        "is_ascii_alphanumeric", "is_ascii_control", "is_ascii_digit", "is_ascii_graphic",
        "is_ascii_hexdigit", "is_ascii_lowercase", "is_ascii_punctuation", "is_ascii_uppercase",
        "is_ascii_whitespace", "is_char_boundary", "is_disjoint", "is_empty", "is_err",
        "is_err_and", "is_finite", "is_infinite", "is_multiple_of", "is_nan", "is_negative",
        "is_none", "is_none_or", "is_normal", "is_ok", "is_ok_and", "is_poisoned", "is_positive",
        "is_power_of_two", "is_sign_negative", "is_sign_positive", "is_some", "is_some_and",
        "is_sorted", "is_sorted_by", "is_sorted_by_key", "is_subnormal", "is_subset",
        "is_superset", "is_zero", "isqrt", "iter", "iter_mut", "join", "keys", "last",
        "last_chunk", "last_chunk_mut", "last_entry", "last_key_value", "last_mut", "le",
        "leading_ones", "leading_zeros", "leak", "len", "lines", "lines_any", "ln", "ln_1p",
        "load", "lock", "log", "log10", "log2", "lt", "make_ascii_lowercase",
        "make_ascii_uppercase", "make_contiguous", "make_mut", "map", "map_addr", "map_err",
        "map_or", "map_or_else", "map_unchecked", "map_unchecked_mut", "map_while",
        "match_indices", "matches", "max", "max_by", "max_by_key", "max_value", "midpoint", "min",
        "min_by", "min_by_key", "min_value", "mul_add", "mul_f32", "mul_f64", "ne", "new",
        "new_cyclic", "new_unchecked", "new_uninit", "new_uninit_slice", "new_zeroed",
        "new_zeroed_slice", "next", "next_back", "next_down", "next_multiple_of",
        "next_power_of_two", "next_up", "nth", "nth_back", "offset", "offset_from",
        "offset_from_unsigned", "ok", "ok_or", "ok_or_else", "or", "or_else", "overflowing_abs",
        "overflowing_add", "overflowing_add_signed", "overflowing_add_unsigned", "overflowing_div",
        "overflowing_div_euclid", "overflowing_mul", "overflowing_neg", "overflowing_pow",
        "overflowing_rem", "overflowing_rem_euclid", "overflowing_shl", "overflowing_shr",
        "overflowing_sub", "overflowing_sub_signed", "overflowing_sub_unsigned", "parse",
        "partial_cmp", "partition", "partition_point", "peekable", "pin", "pop", "pop_back",
        "pop_back_if", "pop_first", "pop_front", "pop_front_if", "pop_if", "pop_last", "position",
        "pow", "powf", "powi", "product", "ptr_eq", "push", "push_back", "push_back_mut",
        "push_front", "push_front_mut", "push_mut", "push_str", "range", "range_mut", "rchunks",
        "rchunks_exact", "rchunks_exact_mut", "rchunks_mut", "read", "read_unaligned",
        "read_volatile", "recip", "reduce", "rem_euclid", "remove", "remove_entry", "repeat",
        "replace", "replace_range", "replace_with", "replacen", "reserve", "reserve_exact",
        "resize", "resize_with", "retain", "retain_mut", "rev", "reverse", "reverse_bits", "rfind",
        "rfold", "rmatch_indices", "rmatches", "rotate_left", "rotate_right", "round",
        "round_ties_even", "rposition", "rsplit", "rsplit_mut", "rsplit_once", "rsplit_terminator",
        "rsplitn", "rsplitn_mut", "saturating_abs", "saturating_add", "saturating_add_signed",
        "saturating_add_unsigned", "saturating_div", "saturating_mul", "saturating_neg",
        "saturating_pow", "saturating_sub", "saturating_sub_signed", "saturating_sub_unsigned",
        "scan", "select_nth_unstable", "select_nth_unstable_by", "select_nth_unstable_by_key",
        "set", "set_len", "shrink_to", "shrink_to_fit", "signum", "sin", "sin_cos", "sinh",
        "size_hint", "skip", "skip_while", "slice_from_raw_parts", "slice_mut_unchecked",
        "slice_unchecked", "sort", "sort_by", "sort_by_cached_key", "sort_by_key", "sort_unstable",
        "sort_unstable_by", "sort_unstable_by_key", "spare_capacity_mut", "splice", "split",
        "split_ascii_whitespace", "split_at", "split_at_checked", "split_at_mut",
        "split_at_mut_checked", "split_at_mut_unchecked", "split_at_unchecked", "split_first",
        "split_first_chunk", "split_first_chunk_mut", "split_first_mut", "split_inclusive",
        "split_inclusive_mut", "split_last", "split_last_chunk", "split_last_chunk_mut",
        "split_last_mut", "split_mut", "split_off", "split_off_first", "split_off_first_mut",
        "split_off_last", "split_off_last_mut", "split_off_mut", "split_once", "split_terminator",
        "split_whitespace", "splitn", "splitn_mut", "sqrt", "starts_with", "static_mut",
        "static_ref", "step_by", "store", "strict_abs", "strict_add", "strict_add_signed",
        "strict_add_unsigned", "strict_div", "strict_div_euclid", "strict_mul", "strict_neg",
        "strict_pow", "strict_rem", "strict_rem_euclid", "strict_shl", "strict_shr", "strict_sub",
        "strict_sub_signed", "strict_sub_unsigned", "strip_prefix", "strip_suffix", "strong_count",
        "sub", "subsec_micros", "subsec_millis", "subsec_nanos", "sum", "swap", "swap_bytes",
        "swap_remove", "swap_remove_back", "swap_remove_front", "swap_with_slice",
        "symmetric_difference", "take", "take_if", "take_while", "tan", "tanh",
        "to_ascii_lowercase", "to_ascii_uppercase", "to_be", "to_be_bytes", "to_bits",
        "to_degrees", "to_int_unchecked", "to_le", "to_le_bytes", "to_lowercase", "to_ne_bytes",
        "to_radians", "to_string", "to_uppercase", "to_vec", "total_cmp", "trailing_ones",
        "trailing_zeros", "transpose", "trim", "trim_ascii", "trim_ascii_end", "trim_ascii_start",
        "trim_end", "trim_end_matches", "trim_left", "trim_left_matches", "trim_matches",
        "trim_right", "trim_right_matches", "trim_start", "trim_start_matches", "trunc",
        "truncate", "try_borrow", "try_borrow_mut", "try_borrow_unguarded", "try_fold",
        "try_for_each", "try_from_secs_f32", "try_from_secs_f64", "try_lock", "try_read",
        "try_reserve", "try_reserve_exact", "try_rfold", "try_unwrap", "try_update", "try_write",
        "unbounded_shl", "unbounded_shr", "unchecked_add", "unchecked_mul", "unchecked_neg",
        "unchecked_shl", "unchecked_shr", "unchecked_sub", "union", "unsigned_abs", "unwrap",
        "unwrap_err", "unwrap_err_unchecked", "unwrap_or", "unwrap_or_clone", "unwrap_or_default",
        "unwrap_or_else", "unwrap_unchecked", "unzip", "update", "utf8_chunks", "values",
        "values_mut", "weak_count", "windows", "with_addr", "with_capacity",
        "with_capacity_and_hasher", "with_exposed_provenance", "with_hasher", "without_provenance",
        "wrapping_abs", "wrapping_add", "wrapping_add_signed", "wrapping_add_unsigned",
        "wrapping_div", "wrapping_div_euclid", "wrapping_mul", "wrapping_neg", "wrapping_pow",
        "wrapping_rem", "wrapping_rem_euclid", "wrapping_shl", "wrapping_shr", "wrapping_sub",
        "wrapping_sub_signed", "wrapping_sub_unsigned", "write", "write_bytes",
        "write_clone_of_slice", "write_copy_of_slice", "write_unaligned", "write_volatile", "xor",
        "zip",
    }
)  # fmt: skip
BUILTIN_METHOD_NAMES: dict[str, frozenset[str]] = {
    "java": JAVA_BUILTIN_METHOD_NAMES,
    "rust": RUST_BUILTIN_METHOD_NAMES,
    "python": PYTHON_BUILTIN_METHOD_NAMES,
    "javascript": ECMASCRIPT_BUILTIN_METHOD_NAMES,
    "typescript": ECMASCRIPT_BUILTIN_METHOD_NAMES,
}
# Types of the languages' runtimes: a receiver declared with one (``x: str``, ``xhr:
# XMLHttpRequest``) calls no repository method, whatever a repository-wide short name says. Python:
# the classes among the builtins (CPython 3.11-3.13, written out like the method names above);
# JavaScript/TypeScript: TypeScript's predefined types, ECMAScript's global constructors and
# TypeScript's lib utility types, and the DOM types of the browser APIs most code calls.
PYTHON_BUILTIN_TYPES = frozenset(
    {
        "ArithmeticError", "AssertionError", "AttributeError", "BaseException",
        "BaseExceptionGroup", "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning",
        "ChildProcessError", "ConnectionAbortedError", "ConnectionError",
        "ConnectionRefusedError", "ConnectionResetError", "DeprecationWarning", "EOFError",
        "EncodingWarning", "EnvironmentError", "Exception", "ExceptionGroup", "FileExistsError",
        "FileNotFoundError", "FloatingPointError", "FutureWarning", "GeneratorExit", "IOError",
        "ImportError", "ImportWarning", "IndentationError", "IndexError", "InterruptedError",
        "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
        "ModuleNotFoundError", "NameError", "NotADirectoryError", "NotImplementedError",
        "OSError", "OverflowError", "PendingDeprecationWarning", "PermissionError",
        "ProcessLookupError", "RecursionError", "ReferenceError", "ResourceWarning",
        "RuntimeError", "RuntimeWarning", "StopAsyncIteration", "StopIteration", "SyntaxError",
        "SyntaxWarning", "SystemError", "SystemExit", "TabError", "TimeoutError", "TypeError",
        "UnboundLocalError", "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError",
        "UnicodeTranslateError", "UnicodeWarning", "UserWarning", "ValueError", "Warning",
        "ZeroDivisionError", "bool", "bytearray", "bytes", "classmethod", "complex", "dict",
        "enumerate", "filter", "float", "frozenset", "int", "list", "map", "memoryview", "object",
        "property", "range", "reversed", "set", "slice", "staticmethod", "str", "super", "tuple",
        "type", "zip",
    }
)  # fmt: skip
ECMASCRIPT_GLOBAL_TYPES = frozenset(
    {
        # TypeScript's predefined types
        "string", "number", "boolean", "bigint", "symbol",
        # ECMAScript global constructors and namespaces
        "Object", "Function", "Array", "ReadonlyArray", "String", "Number", "Boolean", "BigInt",
        "Symbol", "Date", "RegExp", "Error", "EvalError", "RangeError", "ReferenceError",
        "SyntaxError", "TypeError", "URIError", "AggregateError", "Map", "ReadonlyMap", "Set",
        "ReadonlySet", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry", "Promise",
        "PromiseLike", "ArrayBuffer", "SharedArrayBuffer", "DataView", "Int8Array", "Uint8Array",
        "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
        "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "JSON", "Math",
        "Reflect", "Proxy", "Atomics", "Intl", "Iterator", "Iterable", "IterableIterator",
        "AsyncIterator", "AsyncIterable", "AsyncIterableIterator", "Generator",
        "AsyncGenerator", "ArrayLike", "TemplateStringsArray", "PropertyDescriptor",
        # TypeScript's lib utility types
        "Partial", "Required", "Readonly", "Record", "Pick", "Omit", "Exclude", "Extract",
        "NonNullable", "Parameters", "ReturnType", "InstanceType", "Awaited", "ThisType",
        # browser and runtime APIs
        "globalThis", "console", "Console", "Window", "Document", "Node", "Element",
        "HTMLElement", "HTMLInputElement", "HTMLCanvasElement", "SVGElement", "Event",
        "EventTarget", "EventListener", "EventListenerObject", "CustomEvent", "MouseEvent",
        "KeyboardEvent", "ProgressEvent", "MessageEvent", "MessagePort", "XMLHttpRequest",
        "XMLHttpRequestUpload", "WebSocket", "Worker", "AbortController", "AbortSignal",
        "Request", "Response", "Headers", "FormData", "Blob", "File", "FileReader", "URL",
        "URLSearchParams", "ReadableStream", "WritableStream", "TransformStream",
        "TextEncoder", "TextDecoder", "Storage", "Location", "History", "Navigator",
        "MutationObserver", "IntersectionObserver", "ResizeObserver", "Performance",
    }
)  # fmt: skip
# Rust: the primitive types and the standard prelude's types (edition 2021), which every module
# names without a `use`: a receiver declared `n: usize`, `v: Vec<u8>`, `s: String` calls a
# method of the standard library (or of a trait implemented for it), never a repository
# method of the same short name. A type of the name that the call's crate declares wins (rules
# 1-4 first: ``_rust_own_prelude_types``).
RUST_PRELUDE_TYPES = frozenset(
    {
        "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32",
        "i64", "i128", "isize", "f32", "f64", "Box", "String", "Vec", "Option", "Result",
    }
)  # fmt: skip
# Rust: the standard prelude's traits (edition 2021), which every module names without a `use`:
# a path through one (`Clone::clone(&rc)`, `Default::default()`) calls the trait's method for
# the argument's type (`Rc`'s `clone`, a derive's), never a repository type's inherent method of
# the name; a value declared with one (`it: impl Iterator<Item = Foo>`) has the std trait's
# methods. A trait or type of the name that the call's crate declares wins (rules 1-4 first:
# ``_rust_own_prelude_types``).
RUST_PRELUDE_TRAITS = frozenset(
    {
        "AsMut", "AsRef", "Clone", "Copy", "Default", "DoubleEndedIterator", "Drop", "Eq",
        "ExactSizeIterator", "Extend", "Fn", "FnMut", "FnOnce", "From", "FromIterator", "Into",
        "IntoIterator", "Iterator", "Ord", "PartialEq", "PartialOrd", "Send", "Sized", "Sync",
        "ToOwned", "ToString", "TryFrom", "TryInto", "Unpin",
    }
)  # fmt: skip
BUILTIN_TYPES: dict[str, frozenset[str]] = {
    "java": JAVA_LANG_TYPES,
    # (and the primitive types that are no path: ``_rust_primitive``)
    "rust": RUST_PRELUDE_TYPES | RUST_PRELUDE_TRAITS,
    "python": PYTHON_BUILTIN_TYPES,
    "javascript": ECMASCRIPT_GLOBAL_TYPES,
    "typescript": ECMASCRIPT_GLOBAL_TYPES,
}
# The roots of paths that name something outside the repository without an import binding them:
# Rust's standard crates (``x: &std::process::Command``) and prelude types (``Vec::new()``,
# ``u32::try_from(x)``), Java's platform packages (``java.util.List`` written out). A declared
# type or a callee under one is no repository definition, whatever its last segment's unique
# short name says (no rule 5; a repository definition rules 1-4 find wins).
_RUST_PRELUDE_NAMES = RUST_PRELUDE_TYPES | RUST_PRELUDE_TRAITS


def _rust_primitive(text: pl.Expr) -> pl.Expr:
    """Whether a Rust type text (``rust_declared_type``'s) is a primitive type that is no path,
    a builtin type: a raw pointer, a slice... (``RUST_PRIMITIVE_SHAPES``), or a tuple by its
    elements (``(Foo,u8)``, languages.base ``tuple_type``)."""
    return (pl.col("language") == "rust") & (
        text.is_in(sorted(RUST_PRIMITIVE_SHAPES))
        | (text.str.starts_with("(") & text.str.ends_with(")"))
    )


OUTSIDE_ROOTS: dict[str, frozenset[str]] = {
    "rust": frozenset({"std", "core", "alloc"}) | _RUST_PRELUDE_NAMES,
    "java": frozenset({"java", "javax"}),
}
# Bases from outside the repository known to define no method but ``NAMELESS_BASE_NAMES``
# (``object``'s ``__init__``, ``__eq__``...; the ``_BaseWalk`` otherwise takes any outside base
# for one that may define the name): Python's ``object``, ``abc.ABC``, ``typing.Generic`` and
# ``typing.Protocol``.
NAMELESS_BASES: dict[str, frozenset[str]] = {
    "python": frozenset({"object", "ABC", "Generic", "Protocol"}),
}
# The names those bases put on a class (``object``'s ``__init__``, ``__eq__``..., ``Generic``'s
# ``__class_getitem__``, ``ABC``'s ``_abc_impl``): ``dir()`` of ``object``, ``abc.ABC``,
# ``typing.Generic``, ``typing.Protocol`` and of a class deriving from each on CPython 3.11-3.13
# (written out, as ``PYTHON_BUILTIN_METHOD_NAMES`` is; tests/test_cpg.py checks the running
# one). A walk past them finds any other name (``get``, ``copy``: a dict's, not theirs;
# ``__exit__``, ``__iter__``) in the repository's bases only.
NAMELESS_BASE_NAMES = frozenset(
    {
        "__abstractmethods__", "__class__", "__class_getitem__", "__delattr__", "__dict__",
        "__dir__", "__doc__", "__eq__", "__firstlineno__", "__format__", "__ge__",
        "__getattribute__", "__getstate__", "__gt__", "__hash__", "__init__", "__init_subclass__",
        "__le__", "__lt__", "__module__", "__ne__", "__new__", "__non_callable_proto_members__",
        "__orig_bases__", "__parameters__", "__protocol_attrs__", "__reduce__", "__reduce_ex__",
        "__repr__", "__setattr__", "__sizeof__", "__slots__", "__static_attributes__", "__str__",
        "__subclasshook__", "__type_params__", "__weakref__", "_abc_impl", "_is_protocol",
        "_is_runtime_protocol",
    }
)  # fmt: skip


# A receiver_type typed through a ``returned`` row by its whole text, with no operators: an
# argument's parameter (``_contextual_types``) or a field hop (``_field_hop_types``). The
# formats of receiver types, ``returns``, ``fields`` and ``callback_types`` and their patterns
# are languages.base's (``CALL_VALUE_PATTERN``, ...), next to what builds them. A receiver
# bound to a call's value (``x = Foo()``, ``make()``, ``TcpStream::connect(a).await?``) is a
# Foo if the callee names a class Foo and no operator follows, else the return type of the
# function it names when its operators agree.
_WHOLE_TEXT_RECEIVER = f"{ARGUMENT_PARAMETER_PATTERN}|{FIELD_HOP_PATTERN}"
_THIS = "this."
_SUPER = "super."
# `super().f` / `super(C, self).f` (Python); `super.f` (JS/TS, Java) is the receiver `super.`.
_PYTHON_SUPER = r"^super\s*\([^()]*\)\s*\.\s*[A-Za-z_]\w*$"
# A Java bare method name `f()` (the implicit `this`; not `super(...)` / `this(...)`).
# A Java qualified `this` (JLS 15.8.4): `Outer.this.f` -> the class name, then `f`.
_JAVA_QUALIFIED_THIS = r"^(?:[A-Za-z_$][\w$]*\.)*([A-Za-z_$][\w$]*)\.this\.([A-Za-z_$][\w$]*)$"
_JAVA_BARE_NAME = r"^[A-Za-z_$][\w$]*$"
SUPER_LANGUAGES = frozenset({"python", "javascript", "typescript", "java"})
# Languages where definitions of one name in one scope all live, no redefinition: Java overloads
# (picked by the argument types at the call; by the argument count here, ``ARITY_LANGUAGES``),
# Rust methods of one type in several `impl` blocks (inherent and trait impls). A name alone
# does not single one out: unresolved. Elsewhere the last definition by line wins (Python rebinds, a JS `function f`
# redeclared, TypeScript overload signatures then the implementation).
OVERLOADING_LANGUAGES = frozenset({"java", "rust"})
# Of those, the languages whose overloads the call's argument count picks (the calls'
# ``arguments``, the symbols' ``parameters`` and ``variadic``): a name that reaches an overload
# set stands for the set (one of its methods as the set's representative) until
# ``_overloads_by_arity`` takes the one method that can take the call's arguments.
ARITY_LANGUAGES = frozenset({"java"})
# Languages whose `private` methods (the symbols' ``modifiers``) are not inherited (JLS 8.2): no
# candidate of the base walk from another top-level class (``_BaseWalk.visible``)
PRIVATE_LANGUAGES = frozenset({"java"})
# Languages whose `static` methods (the symbols' ``modifiers``; TypeScript's `static`
# properties holding a function too) belong to the class, not to its instances: no member of a
# declared type's value (rule 4a: `obj.deserialize()` on a `new Foo()` is an instance method,
# Foo's or a base's, never `static deserialize`), nor of an instance method's `this` (rule 1,
# the base walk: ``_BaseWalk.instance_methods``), while a static method's `this` has the
# static ones only (``_BaseWalk.static_methods``)
STATIC_LANGUAGES = frozenset({"javascript", "typescript"})
# Languages whose methods belong to a type by its qualified name wherever in the package they
# are written (Go: ``func (c *genericOpt) SetTOS()`` in genericopt.go is a method of the
# ``genericOpt`` of endpoint.go; ``up`` is the enclosing symbol in the same file only), and
# whose base types are embedded fields: a selector is the shallowest one (the Go spec,
# "Selectors": the depth of a method of an embedded field is its depth there plus one), so the
# walk (``_BaseWalk``) goes by depth, not by base.
EMBEDDING_LANGUAGES = frozenset({"go"})
# Languages whose files have build constraints (the symbols' ``modifiers`` of every definition:
# languages.go ``go_file_modifiers``): of one definition per build, a member lookup prefers one
# of a build that includes the call's file (``_with_other_builds``).
BUILD_LANGUAGES = frozenset({"go"})


def _is_static() -> pl.Expr:
    """Whether a symbol (with ``modifiers``) is a ``STATIC_LANGUAGES`` static member."""
    return pl.col("language").is_in(sorted(STATIC_LANGUAGES)) & pl.col("modifiers").fill_null(
        ""
    ).str.contains(r"\bstatic\b")


_RECEIVERS = ("self.", _THIS, "Self::", "self::", _SUPER)
# What wraps a JS/TS callee name without changing what it names: parentheses, a non-null `!`.
_WRAPPED_NAME = r"^\(+|\)+$|!$"
# Python's own-class receiver in a classmethod (`cls.f()`): like `self.`, a member of the
# enclosing class or of its bases; only Python names it so by convention (PEP 8).
_PYTHON_CLS = "cls."
# Languages whose `this.f` resolves by the calls table's `this_symbol`, and where a plain
# function's `this` is the object `new` makes of it (ES5 classes): its own members and the
# methods stored on it (`Foo.prototype.bar = function () {}`).
THIS_FUNCTION_LANGUAGES = frozenset({"javascript", "typescript"})
# What such a `this` holds: the functions and objects stored on it (`this.f = function () {}`,
# `Foo.prototype.f = ...`, kinds method and property). A function or class declared inside the
# constructor (`function Foo() { function init() {} }`) is a local of it, no member of `this`.
THIS_MEMBER_KINDS = frozenset({"method", "property"})
_METHOD = ("METHOD",)
# Languages whose modules expose the names their imports bind (rule 3's re-exports): Python
# binds every module-level import in the module's namespace; JavaScript/TypeScript export only
# what an `export` statement names (the imports table's ``exported`` rows), which binds nothing
# in the file itself; Rust what a module-level `use` names (a `pub use`, ``exported`` rows, and
# a plain one for a path naming it, never for a glob: ``_CARRIED``), which the module binds too.
NAMESPACE_IMPORT_LANGUAGES = frozenset({"python"})
EXPORT_LANGUAGES = frozenset({"javascript", "typescript"})
PUB_USE_LANGUAGES = frozenset({"rust"})
# Names a glob re-export (`from m import *`, `export * from "m"`) does not carry: Python's
# private names (no ``__all__`` is read), the ECMAScript default export.
_GLOB_HIDDEN_PREFIX = {"python": "_"}
_GLOB_HIDDEN_NAME = {"javascript": "default", "typescript": "default"}
_MAX_REEXPORT_HOPS = 8  # re-exports followed from one name at most (a cycle stops earlier)
# Kinds a constructor call creates (a Rust `impl Foo` shares the struct's name but is not built).
CONSTRUCTIBLE_KINDS = frozenset({"class", "struct"})
# Java: `new Iterator<E>() { ... }` creates an anonymous class implementing the interface (and
# a `new` of an interface has a class body, else it does not compile): the interface itself.
JAVA_ANONYMOUS_KINDS = frozenset({"interface"})
# Kinds of the symbols that are values: an interface of the name and path merges with one.
VALUE_KINDS = frozenset({"constant", "variable", "value"})
# TypeScript: `new EmptyError()` of an interface merged with a const of a construct signature
# (`export const EmptyError: EmptyErrorCtor = createErrorClass(...)`, rxjs's error classes):
# the interface, the merged symbol's type declaration (a class of its name comes first), only
# where such a value (``VALUE_KINDS``) of its qualified name and path exists.
TYPESCRIPT_CONSTRUCTED_KINDS = frozenset({"interface"})
# Constructor method names per language; Java's constructor is named after its class (None).
CONSTRUCTOR_NAMES: dict[str, tuple[str, ...] | None] = {
    "python": ("__init__",),
    "typescript": ("constructor",),
    "javascript": ("constructor",),
    "java": None,
}
_SEGMENT_SPLIT = re.compile(r"::|\.|->")
_GENERIC_START = re.compile(r"[\[<(]")
# Languages where a literal receiver ('...'.format, [1].map, `t`.trim) has a builtin type whose
# methods are never repository code. Not Rust: a trait of the repository may be implemented
# for str, slices or integers ("a".to_snake_case()).
LITERAL_RECEIVER_LANGUAGES = frozenset({"python", "javascript", "typescript", "java", "go"})
# A callee text that may start with a literal: quotes, a string prefix (Python r"", f"", b""),
# a list/dict/set/array/object display, a regex (JS/TS), a number; after any "(".
_LITERAL_START = re.compile(r"""^[(\s]*(?:[rRbBuUfF]{1,2}["']|["'`\[{/0-9])""")
_NUMBER = re.compile(r"\d\w*(?:\.\d\w*)?")
_MEMBER_STEP = re.compile(r"\s*\??\.\s*[A-Za-z_$][\w$]*")
_CLOSING = {"(": ")", "[": "]", "{": "}"}
_STRING_PREFIX = re.compile(r"[rRbBuUfF]{1,2}(?=[\"'])")
_PYTHON_STRING_START = re.compile(r"[rRbBuUfF]{0,2}[\"']")


def _concat(tables: Sequence[pl.DataFrame], table_schema: pa.Schema) -> pl.DataFrame:
    if not tables:
        return rows_to_frame([], table_schema)
    return pl.concat(list(tables), how="vertical")


def _family_groups(family: str, languages: Sequence[str]) -> Any:
    return group(*[source(f"{language}.{family}") for language in languages])


def _inject_families(*families: str):
    def decorate(languages: Sequence[str] = LANGUAGES) -> inject:
        return inject(
            **{f"{family}_tables": _family_groups(family, languages) for family in families}
        )

    return decorate


# --------------------------------------------------------------------------------------------
# Frames shared by both nodes: labelled symbols with ids, files with modules and namespaces.
#
# Everything below is column-wise (polars joins and expressions); Python only runs once per
# distinct file, distinct (file, import module) pair or distinct base-type text, never per row.

KIND_LABELS: dict[str, str] = {
    kind: label
    for kind in (*TYPE_DECL_KINDS, *METHOD_KINDS, *NAMESPACE_KINDS)
    if (label := label_of_kind(kind)) is not None
}
_SEPARATORS = {language: module_separator(language) for language in LANGUAGES}
_TOP = ""  # owner key of a row outside every symbol (node ids are never empty)
# Order offsets of the candidates of one lookup: import bindings < glob imports < the lexical
# scope < the file's own module < the text itself (rule order in the module docstring).
_GLOB_ORDER = 1 << 40
_LEXICAL_ORDER = 2 << 40
_OWN_MODULE_ORDER = 3 << 40
_AS_WRITTEN_ORDER = 4 << 40
_TOP_LEVEL_DEPTH = 1 << 20
_MAX_CHAIN = 256  # enclosing symbols followed at most (a cycle of equal names stops here too)


def _truthy(column: pl.Expr) -> pl.Expr:
    return column.is_not_null() & (column != "")


def _own_name_rows() -> pl.Expr:
    """The imports rows (``_Graph.imports``) that bind a JS/TS class or function expression's
    own name in its body to the symbol enclosing the row (languages.base ``ENCLOSING_CLASS``,
    ``ENCLOSING_FUNCTION``): a name binding of rule 3, no import (no IMPORT node)."""
    return (
        pl.col("language").is_in(sorted(EXPORT_LANGUAGES))
        & pl.col("module").is_null()
        & (pl.col("imported") == pl.col("enclosing")).fill_null(False)
    )


def _separator() -> pl.Expr:
    """The module separator of each row's ``language``."""
    return pl.col("language").replace_strict(_SEPARATORS, default=".", return_dtype=pl.String)


def _qualify(left: pl.Expr, right: pl.Expr) -> pl.Expr:
    """``left`` and ``right`` joined by the language's separator, empty or null parts left out."""
    return (
        pl.when(_truthy(left) & _truthy(right))
        .then(pl.concat_str([left, _separator(), right]))
        .when(_truthy(left))
        .then(left)
        .when(_truthy(right))
        .then(right)
        .otherwise(pl.lit(""))
    )


# Type arguments without others inside (`<T, S>`), as a Rust turbofish writes them
_TYPE_ARGUMENTS = r"<[^<>]*>"


def _segments(text: pl.Expr) -> pl.Expr:
    """The non-empty parts of a text split at ``::``, ``.`` and ``->``, as a list column; a Rust
    turbofish is no part (``Harness::<T, S>::from_raw`` is ``Harness``, ``from_raw``)."""
    # (the type arguments of a turbofish, innermost first, one level of nesting: `::<Vec<T>>`)
    unfished = text.str.replace_all(_TYPE_ARGUMENTS, "").str.replace_all(_TYPE_ARGUMENTS, "")
    return (
        pl.when(text.str.contains("::<", literal=True))
        .then(unfished)
        .otherwise(text)
        .str.replace_all(r"::|->", ".")
        .str.split(".")
        .list.eval(pl.element().filter(pl.element() != ""))
    )


def _join_segments(segments: pl.Expr) -> pl.Expr:
    """A list of segments joined by the row's language separator."""
    return segments.list.join(_separator())


def _unit() -> pl.Expr:
    """Where top-level names are visible without an import: the file; Go, Java: the package
    folder (Java's top-level types of one package, JLS 6.4.1)."""
    return (
        pl.when(pl.col("language").is_in(["go", "java"])).then(_folder()).otherwise(pl.col("path"))
    )


def _string_end(text: str, start: int) -> int | None:
    """The index after the string literal opening at ``start`` (triple quotes too), else None."""
    quote = text[start]
    if quote in "\"'" and text.startswith(quote * 3, start):
        close, position = quote * 3, start + 3
    else:
        close, position = quote, start + 1
    while position < len(text):
        if text[position] == "\\":
            position += 2
        elif text.startswith(close, position):
            return position + len(close)
        else:
            position += 1
    return None


def _regex_end(text: str, start: int) -> int | None:
    """The index after the JavaScript regex literal ``/.../flags`` opening at ``start``."""
    position, in_class = start + 1, False
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == "/" and not in_class:
            position += 1
            while position < len(text) and text[position].isalpha():
                position += 1
            return position
        in_class = (in_class or char == "[") and char != "]"
        position += 1
    return None


def _bracket_end(text: str, start: int) -> int | None:
    """The index after the bracket opening at ``start`` and its match (strings skipped)."""
    expected: list[str] = []
    position = start
    while position < len(text):
        char = text[position]
        if char in "\"'`":
            end = _string_end(text, position)
            if end is None:
                return None
            position = end
            continue
        if char in _CLOSING:
            expected.append(_CLOSING[char])
        elif char in ")]}":
            if not expected or expected.pop() != char:
                return None
            if not expected:
                return position + 1
        position += 1
    return None


def _literal_end(text: str, start: int, *, language: str) -> int | None:
    """The index after the literal that starts ``text`` at ``start``, else None."""
    if start >= len(text):
        return None
    char = text[start]
    if char.isdigit():
        number = _NUMBER.match(text, start)
        return number.end() if number else None
    if language == "python" and (prefix := _STRING_PREFIX.match(text, start)):
        return _string_end(text, prefix.end())
    if char in "\"'`":
        return _string_end(text, start)
    if char in "[{":
        return _bracket_end(text, start)
    if char == "/" and language in THIS_FUNCTION_LANGUAGES:
        return _regex_end(text, start)
    return None


def _literal_receiver(text: str, *, language: str) -> bool:
    """Whether the callee ``text`` calls a method of a literal (or of a chain of method calls
    on one): ``'{}'.format``, ``"a b".split(" ").map``, ``[1].map``, ``(1).bit_length``,
    ``/x/.test``. A subscript or an operator after the literal (``[a][0].f``, ``("a" + b).f``)
    is no literal receiver: its value's type is unknown.
    """
    stripped = text.lstrip("( \t\r\n")
    opened = text.count("(", 0, len(text) - len(stripped))
    position = _literal_end(text, len(text) - len(stripped), language=language)
    # Python joins adjacent string literals ('a' "b", the lines of a long message)
    while position is not None and language == "python" and text[position - 1] in "\"'":
        following = len(text) - len(text[position:].lstrip())
        if not _PYTHON_STRING_START.match(text, following):
            break
        position = _literal_end(text, following, language=language)
        if position is None or text[position - 1] not in "\"'":
            return False
    if position is None:
        return False
    for _ in range(opened):
        position = len(text) - len(text[position:].lstrip())
        if not text.startswith(")", position):
            return False
        position += 1
    steps = 0
    while position < len(text):
        step = _MEMBER_STEP.match(text, position)
        if step is None:
            return False
        position, steps = step.end(), steps + 1
        while text.startswith("(", position):
            end = _bracket_end(text, position)
            if end is None:
                return False
            position = end
    return steps > 0


def _literal_receiver_texts(texts: pl.DataFrame) -> pl.DataFrame:
    """(language, text) of the distinct ``texts`` that call a method of a literal, in the
    languages where that is a builtin (``LITERAL_RECEIVER_LANGUAGES``)."""
    candidates = (
        texts.select("language", "text")
        .filter(
            pl.col("language").is_in(sorted(LITERAL_RECEIVER_LANGUAGES))
            & pl.col("text").str.contains(_LITERAL_START.pattern)
        )
        .unique()
    )
    literal = [
        _literal_receiver(text, language=language) for language, text in candidates.iter_rows()
    ]
    return candidates.filter(pl.Series(literal, dtype=pl.Boolean))


_Made = TypeVar("_Made")


class _LastMade(Generic[_Made]):
    """The value last made from frames equal to the given ones, schemas too (``equals`` alone
    takes an Int32 column for an Int64 one; a comparison of columns, well under a millisecond
    for tokio's), else one made anew that replaces it: a per-process memo of one entry keyed by
    content, for the whole-repository parts that a run (``cpg_nodes`` and ``cpg_edges`` of one
    build; a ``--watch`` rebuild after an edit that leaves their inputs as they were) would
    make again. Made under the lock: two nodes of one build running side by side make it once.
    (An object filled at run time, not a global rebound: ``orchestration.reached_code`` covers
    a name bound in a function by its module's whole file.) Each holds its last value until
    its own maker runs again: after tokio's edges, a one-file repository's nodes leave the
    lookups, children and base walk of tokio's scope alive (~11 MB) until edges run again."""

    def __init__(self) -> None:
        self._last: list[tuple[tuple[pl.DataFrame, ...], tuple[object, ...], _Made]] = []
        self._lock = threading.Lock()
        memos.register(self.forget)

    def forget(self) -> None:
        with self._lock:
            self._last.clear()

    def get(
        self,
        frames: tuple[pl.DataFrame, ...],
        make: Callable[[], _Made],
        *,
        same: tuple[object, ...] = (),
    ) -> _Made:
        """The value of ``frames`` (and of the objects ``same``, compared by identity)."""
        with self._lock:
            for last, objects, value in self._last:
                if all(old is new for old, new in zip(objects, same, strict=True)) and all(
                    old.schema == new.schema and old.equals(new)
                    for old, new in zip(last, frames, strict=True)
                ):
                    return value
            value = make()
            self._last[:] = [(frames, same, value)]
            return value


class _LastRowWise(_LastMade[pl.Series]):
    """The last value of each named row-wise expression (each value made of its row's alone:
    ``_segments(...).list.last()``, not a window, a filter or a sort) of this process, with the
    columns it read: a rebuild whose rows differ from the last ones in a few (those between the
    rows both begin and end with: ``_middle_bounds``; one edited file's symbols) takes the last
    values of the others and computes the expression on those rows alone (the last segments of
    tokio's 8,600 qualified names: ~2.5 ms). A value of two rows or more is never flagged as
    sorted, however it was made (a concatenation of slices, or a column of nulls, may come out
    flagged; a value made in one piece not). (A ``_LastMade`` for ``memos.forget_all``; its entries
    are by name, one each.)"""

    def __init__(self) -> None:
        super().__init__()
        # name -> (the expression, serialized; the columns it read; its value)
        self._values: dict[str, tuple[bytes, pl.DataFrame, pl.Series]] = {}
        # how each value was made in this process ("same", "spliced", "made"): what tests
        # read to show that a splice was taken
        self.made: Counter[str] = Counter()

    def forget(self) -> None:
        with self._lock:
            self._values.clear()

    def column(self, name: str, read: pl.DataFrame, expression: pl.Expr) -> pl.Series:
        """``expression`` (row-wise) of the rows of ``read`` (the columns it reads), as the
        column ``name``; the last value of ``name`` is taken only for the same expression."""

        def of(rows: pl.DataFrame) -> pl.Series:
            (made,) = collected(rows.lazy().select(expression.alias(name)))
            return made.to_series()

        serialized = expression.meta.serialize()
        with self._lock:
            last = self._values.get(name)
        value, made = None, "made"
        if last is not None and last[0] == serialized and last[1].schema == read.schema:
            _, last_read, last_value = last
            if last_read.equals(read):
                value, made = last_value, "same"
            else:
                made = "spliced"
                prefix, suffix = _middle_bounds(last_read, read)
                value = pl.concat(
                    [
                        last_value.slice(0, prefix),
                        of(read.slice(prefix, read.height - prefix - suffix)),
                        last_value.slice(last_value.len() - suffix, suffix),
                    ],
                    rechunk=True,
                )
        if value is None:
            value = of(read)
        if any(value.flags.values()):  # (through Arrow and back: no flag, however made)
            value = pl.Series(name, value.to_arrow(), dtype=value.dtype)
        with self._lock:
            self.made[made] += 1
            self._values[name] = (serialized, read, value)
        return value


_LAST_ROW_WISE = _LastRowWise()


# What a file's FILE and NAMESPACE nodes are made from, and what they add (``_analysed_files``):
# an edit of a file's content leaves every file's path and language as they were.
_FILE_KEYS = ("path", "language")
_LAST_FILE_NODES: _LastMade[pl.DataFrame] = _LastMade()


def _analysed_files(files: pl.DataFrame) -> pl.DataFrame:
    """Files that were parsed (status ok, known language): one FILE and one NAMESPACE each,
    with columns ``module`` (module path), ``file_id`` and ``ns_id``."""
    analysed = files.filter((pl.col("status") == "ok") & pl.col("language").is_not_null())
    keys = analysed.select(_FILE_KEYS)
    # (the last run's columns again when every analysed file's path and language are)
    return analysed.with_columns(
        _LAST_FILE_NODES.get((keys,), lambda: _file_nodes(keys)).get_columns()
    )


def _file_nodes(keys: pl.DataFrame) -> pl.DataFrame:
    """``module``, ``file_id`` and ``ns_id`` of the analysed files ``keys`` (``_FILE_KEYS``),
    row by row."""
    modules = [module_path(language, path) for path, language in keys.iter_rows()]
    with_modules = keys.with_columns(module=pl.Series(modules, dtype=pl.String))
    zero = pl.lit(0, pl.Int64)
    return with_modules.select(
        "module",
        file_id=frame_node_ids(
            with_modules,
            path=pl.col("path"),
            label=pl.lit("FILE"),
            qualified_name=pl.col("path"),
            start_line=zero,
            start_column=zero,
            ordinal=zero,
        ),
        ns_id=frame_node_ids(
            with_modules,
            path=pl.col("path"),
            label=pl.lit("NAMESPACE"),
            qualified_name=pl.col("module"),
            start_line=pl.lit(1, pl.Int64),
            start_column=zero,
            ordinal=zero,
        ),
    )


def _labelled_symbols(symbols: pl.DataFrame) -> pl.DataFrame:
    """Symbols that become CPG nodes, with their ``label`` and ``id`` columns."""
    label = pl.col("kind").replace_strict(KIND_LABELS, default=None, return_dtype=pl.String)
    for language, kinds in sorted(TYPE_DECL_KINDS_BY_LANGUAGE.items()):
        label = (
            pl.when((pl.col("language") == language) & pl.col("kind").is_in(sorted(kinds)))
            .then(pl.lit("TYPE_DECL"))
            .otherwise(label)
        )
    labelled = symbols.with_columns(label=label).filter(pl.col("label").is_not_null())
    ids = frame_node_ids(
        # (the columns the fields read: what the recent results are compared with)
        labelled.select("path", "label", "qualified_name", "start_line", "start_column", "ordinal"),
        path=pl.col("path"),
        label=pl.col("label"),
        qualified_name=pl.col("qualified_name"),
        start_line=pl.col("start_line"),
        start_column=pl.col("start_column"),
        ordinal=pl.col("ordinal"),
    )
    return labelled.with_columns(id=ids)


def _namespaces_by_module(analysed: pl.DataFrame, labelled: pl.DataFrame) -> pl.DataFrame:
    """(language, module) -> the NAMESPACE id it names: a file's first, else a module symbol's."""
    files = analysed.lazy().select("language", "module", pl.col("ns_id").alias("namespace"))
    modules = (
        labelled.lazy()
        .filter(pl.col("label") == "NAMESPACE")
        .select(
            "language", pl.col("qualified_name").alias("module"), pl.col("id").alias("namespace")
        )
    )
    (namespaces,) = collected(
        pl.concat([files, modules]).unique(
            subset=["language", "module"], keep="first", maintain_order=True
        )
    )
    return namespaces


def _encloses(folder: str, inner: str) -> bool:
    """Whether the repository folder ``inner`` is ``folder`` or lies below it ("" = the root)."""
    return not folder or inner == folder or inner.startswith(f"{folder}/")


def _go_builds(go_modules: pl.DataFrame) -> dict[str, list[tuple[str, str | None]]]:
    """go.mod path -> the (module path, local folder or None) pairs its imports resolve through
    first, longest module path first, the build's main modules before replacements (Go looks a
    main module up before any replacement).

    The build of a module (the Go modules reference): the module alone, or, when a go.work
    ``use``s its folder, that workspace (the innermost go.work whose folder holds the module,
    else the first by path): every used module is a main module, and the replacements are the
    go.work's plus those of every used module's go.mod, except that a go.work replacement of a
    module version (or of every version) overrides the go.mod replacements of that version
    (conflicting go.mod ones: the first go.mod by path wins, where Go refuses to build). A
    versioned replacement (``old v1.2.0 => ./x``) applies when minimal version selection over
    the build selects that version: the main modules' requirements, followed through the go.mod
    of every required version replaced by a repository folder (any other required version is a
    leaf: nothing is fetched). An unversioned one applies to whatever version is selected, if
    any.
    """
    modules: dict[str, tuple[str, str]] = {}  # go.mod path -> (module, folder)
    requires: dict[str | None, list[tuple[str, str]]] = defaultdict(list)
    replaces: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    uses: dict[str, list[str]] = defaultdict(list)  # go.work path -> used module folders
    # table order (path, line): the first of equal directives stays first
    for path, kind, module, version, folder, reason in go_modules.select(
        "path", "kind", "module", "version", "folder", "reason"
    ).iter_rows():
        if kind == "module":
            modules[path] = (module, folder)
        elif kind == "require":
            requires[path].append((module, version))
        elif kind == "replace":
            replaces[path].append((module, version, folder))
        elif kind == "use" and reason is None:
            uses[path].append(folder)
    go_mod_at = {folder: path for path, (_, folder) in modules.items()}
    workspace: dict[str, tuple[bool, int, str]] = {}  # go.mod path -> rank of its go.work
    for work, folders in uses.items():
        work_folder = posixpath.dirname(work)
        for folder in folders:
            encloses = _encloses(work_folder, folder)
            rank = (False, -len(work_folder), work) if encloses else (True, 0, work)
            go_mod = go_mod_at.get(folder)
            if go_mod is None:
                continue  # the go_modules node records a use without a module with a reason
            workspace[go_mod] = min(workspace.get(go_mod, rank), rank)

    def build(mains: list[str], work: str | None) -> list[tuple[str, str | None]]:
        # (module, version or None = every version) -> folder: the go.work's, then the main
        # go.mod files' (the first by path)
        work_replaces: dict[tuple[str, str | None], str | None] = {}
        for module, version, folder in replaces[work] if work else ():
            work_replaces.setdefault((module, version), folder)
        go_mod_replaces: dict[tuple[str, str | None], str | None] = {}
        for go_mod in sorted(mains):
            for module, version, folder in replaces[go_mod]:
                go_mod_replaces.setdefault((module, version), folder)

        def replaced(module: str, version: str | None) -> tuple[bool, str | None]:
            """Whether the build replaces this version of ``module``, and by which folder. As
            Go's modload.Replacement: the go.work's replacement of this version or of every
            version wins; only when it has neither do the go.mod files' count (so a go.work's
            ``old v1.0.0 => ...`` leaves a go.mod's ``old => ...`` for the other versions)."""
            for table in (work_replaces, go_mod_replaces):
                for key in ((module, version), (module, None)):
                    if key in table:
                        return True, table[key]
            return False, None

        def requirements_of(required: tuple[str, str]) -> list[tuple[str, str]]:
            _, folder = replaced(*required)
            return requires[go_mod_at.get(folder)] if folder is not None else []

        main_modules = [modules[go_mod] for go_mod in mains]
        main_paths = {module for module, _ in main_modules}
        selected = minimal_version_selection(
            roots=[required for go_mod in mains for required in requires[go_mod]],
            requirements_of=requirements_of,
            main_modules=main_paths,
        )
        applying: list[tuple[str, int, str | None]] = [(m, 0, f) for m, f in main_modules]
        for module in {module for module, _ in (*work_replaces, *go_mod_replaces)} - main_paths:
            found, folder = replaced(module, selected.get(module))
            if found:
                applying.append((module, 1, folder))
        applying.sort(key=lambda row: (-len(row[0]), row[0], row[1], row[2] or ""))
        return [(module, folder) for module, _, folder in applying]

    builds: dict[str, list[tuple[str, str | None]]] = {}
    for work in sorted(uses):
        members = [go_mod for go_mod, rank in workspace.items() if rank[2] == work]
        if members:
            used = [go_mod_at[folder] for folder in uses[work] if folder in go_mod_at]
            builds.update(dict.fromkeys(members, build(used, work)))
    for go_mod in modules:
        if go_mod not in builds:
            builds[go_mod] = build([go_mod], None)
    return builds


# The ``_package`` of a Rust file in no package folder of a Cargo.toml: the crates of the
# repository by their unique lib names.
_NO_PACKAGE = "\x00"
_RUST_PATH_ROOTS = frozenset({"crate", "self", "super"})


def _rust_relative_path(rust_path: str, *, own: str) -> str | None:
    """A Rust path from the crate root or a module (``crate::``, ``self::``, ``super::``) as a
    repository module path, written in the module ``own`` (the file's, or a ``mod m { }``
    block's: ``super::`` inside it is the file's module); None for any other path, and for
    ``crate::`` outside any module."""
    parts = rust_path.split("::")
    own_parts = own.split("::") if own else []
    if parts[0] == "crate" and own_parts:
        return "::".join([own_parts[0], *parts[1:]])
    if parts[0] == "self":
        return "::".join([*own_parts, *parts[1:]])
    if parts[0] == "super":
        return "::".join([*own_parts[:-1], *parts[1:]])
    return None


def _rust_crates(
    analysed: pl.DataFrame, rust_crates: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The crate names Rust paths start with, from the Cargo.toml files (``rust/crates``).

    Returns (path, _package): every Rust file and the folder of the innermost package holding it
    (``_NO_PACKAGE`` outside every package), and (_package, head, root): the names code of that
    package uses for crates, each with the module root of the repository crate it names (the
    crate folder's, as ``normalize`` derives it: ``tokio`` -> ``tokio_1.24.2``) or null for a
    crate from outside the repository. A package sees its own lib name (its tests, benches and
    examples are crates depending on it) and its dependencies: a ``path`` dependency names the
    package in that folder (outside the repository or no package there: outside), another the
    repository's one package of that name (none: outside; several: not named here). A file in
    no package sees every lib name one crate of the repository has. Empty without Cargo.toml.
    """
    files_schema = {"path": pl.String, "_package": pl.String}
    heads_schema = {"_package": pl.String, "head": pl.String, "root": pl.String}
    packages = rust_crates.filter(pl.col("kind") == "package").select(
        "path", "name", "package", "folder"
    )
    if packages.is_empty():
        return pl.DataFrame(schema=files_schema), pl.DataFrame(schema=heads_schema)
    roots: dict[str, str] = {}
    lib_names: dict[str, str] = {}  # package folder -> lib name
    folders_of_lib: dict[str, list[str]] = defaultdict(list)
    folders_of_package: dict[str, list[str]] = defaultdict(list)
    for _, name, package, folder in packages.iter_rows():
        roots[folder] = module_path("rust", posixpath.join(folder, "src/lib.rs"))
        lib_names[folder] = name
        folders_of_lib[name].append(folder)
        folders_of_package[package].append(folder)
    heads: dict[str, dict[str, str | None]] = defaultdict(dict)
    package_of_cargo = dict(packages.select("path", "folder").iter_rows())
    dependencies = rust_crates.filter(
        (pl.col("kind") == "dependency") & (pl.col("section") != "workspace.dependencies")
    )
    # table order (path, section, name): the first of a name's entries, an inside one first
    for cargo, name, package, folder, reason in dependencies.select(
        "path", "name", "package", "folder", "reason"
    ).iter_rows():
        owner = package_of_cargo.get(cargo)
        if owner is None or name is None:
            continue
        if folder is not None:
            root = roots.get(folder)
        elif reason is not None:
            root = None  # a path outside the repository
        else:
            named = folders_of_package.get(package, [])
            if len(named) > 1:
                continue  # several crates of the repository have that package name
            root = roots[named[0]] if named else None
        if heads[owner].get(name) is None:
            heads[owner][name] = root
    for folder, name in lib_names.items():
        heads[folder][name] = roots[folder]
    heads[_NO_PACKAGE] = {
        name: roots[folders[0]] for name, folders in folders_of_lib.items() if len(folders) == 1
    }
    package_folders = set(roots)
    file_packages: list[tuple[str, str]] = []
    for path in analysed.filter(pl.col("language") == "rust")["path"].to_list():
        folder = posixpath.dirname(path)
        while folder not in package_folders and folder:
            folder = posixpath.dirname(folder)
        file_packages.append((path, folder if folder in package_folders else _NO_PACKAGE))
    return (
        pl.DataFrame(file_packages, schema=files_schema, orient="row"),
        pl.DataFrame(
            [
                (package, head, root)
                for package, names in sorted(heads.items())
                for head, root in sorted(names.items())
            ],
            schema=heads_schema,
            orient="row",
        ),
    )


class _ModuleResolver:
    """An import's module as a repository module path (relative forms resolved), once per
    distinct (language, file, module)."""

    def __init__(
        self,
        analysed: pl.DataFrame,
        namespaces: pl.DataFrame,
        go_modules: pl.DataFrame,
        rust_crates: pl.DataFrame,
    ) -> None:
        self.file_module: dict[str, str] = dict(analysed.select("path", "module").iter_rows())
        self.crate_files, self.crate_heads = _rust_crates(analysed, rust_crates)
        self.package_of_file: dict[str, str] = dict(self.crate_files.iter_rows())
        self.crate_roots: dict[tuple[str, str], str | None] = {
            (package, head): root for package, head, root in self.crate_heads.iter_rows()
        }
        declared = go_modules.filter(pl.col("kind") == "module")
        # Declared Go modules, longest module path first: the innermost module of a path wins.
        self.go_declared = sorted(
            declared.select("module", "folder").iter_rows(), key=lambda row: (-len(row[0]), row)
        )
        # Module roots, innermost (longest folder) first: the go.mod a Go file belongs to.
        self.go_roots = sorted(
            declared.select("folder", "path").iter_rows(), key=lambda row: (-len(row[0]), row)
        )
        self.go_builds = _go_builds(go_modules)
        go_folders = namespaces.filter(pl.col("language") == "go")["module"].to_list()
        # Go package folders ("" = the repository's root folder holds Go files).
        self.go_folders = frozenset(folder for folder in go_folders if folder is not None)
        self.go_packages: dict[tuple[str | None, str], str] = {}
        # Rust modules (files' and `mod` items'): a `use` path relative to the current module
        self.rust_modules = frozenset(
            namespaces.filter(pl.col("language") == "rust")["module"].drop_nulls().to_list()
        )
        # the last ``imports_with_names``' answers by import key (``_module_of``)
        self._known_modules: dict[tuple[Any, ...], str | None] = {}

    def go_package(self, import_path: str, *, importer: str) -> str:
        """A Go import path, imported by the file ``importer``, as the repository package folder
        it names.

        With go.mod files (``go/modules``): first the build of the importer's module
        (``_go_builds``: its main modules, the module itself or every module its go.work uses,
        and the replacements that apply to the versions it selects): a module path of it that
        prefixes the import path names its folder plus the rest (``replace example.com/old =>
        ./x``: ``example.com/old/pkg`` -> ``x/pkg``), or, for a replacement whose target is not
        a repository folder, nothing here. Else the folder of the
        innermost declared module whose path prefixes the import path, plus the rest
        (``example.com/app/internal/util`` -> ``internal/util``); an import outside every
        declared module (another module, the standard library) keeps its import path and
        resolves to nothing here (where the import path is also a package folder of the
        repository, it gets ``GO_OUTSIDE_SUFFIX``: import "context" is the standard library's
        even beside a folder ``context`` of the module, whose import path is the module's
        ``golang.org/x/net/context``). Without any go.mod: the folder whose trailing path
        components match the most trailing components of the import path
        (``example.com/m/net/http`` -> ``src/net/http``; ties: the shorter folder, then the
        first by name); no match keeps the import path.
        """
        go_mod = self._go_mod_of(importer)
        known = self.go_packages.get((go_mod, import_path))
        if known is not None:
            return known
        if not self.go_declared:
            package = self._trailing_go_package(import_path)
        else:
            package = self._built_go_package(import_path, go_mod)
            if package is None:
                package = self._declared_go_package(import_path)
            if package is None:
                # outside every module; spelled as a package folder of the repository (the
                # standard library's `context` beside x/net's own `context` folder), it must
                # still name nothing here
                package = (
                    f"{import_path}{GO_OUTSIDE_SUFFIX}"
                    if import_path in self.go_folders
                    else import_path
                )
        self.go_packages[(go_mod, import_path)] = package
        return package

    def _go_mod_of(self, path: str) -> str | None:
        """The go.mod of the innermost declared module holding the file ``path``."""
        folder = posixpath.dirname(path)
        for root, go_mod in self.go_roots:
            if not root or folder == root or folder.startswith(f"{root}/"):
                return go_mod
        return None

    def _in_module(self, import_path: str, module: str, folder: str | None) -> str | None:
        """The package folder ``import_path`` names in ``module`` rooted at ``folder`` (the
        import path itself when the folder holds no Go files or is outside the repository),
        None when the import path is not in ``module``."""
        if import_path != module and not import_path.startswith(f"{module}/"):
            return None
        if folder is None:
            return import_path
        package = posixpath.join(folder, import_path[len(module) :].lstrip("/")).rstrip("/")
        # "" is the root package; a folder without Go files names nothing here.
        return package if package in self.go_folders else import_path

    def _built_go_package(self, import_path: str, go_mod: str | None) -> str | None:
        for module, folder in self.go_builds.get(go_mod, ()) if go_mod else ():
            package = self._in_module(import_path, module, folder)
            if package is not None:
                return package
        return None

    def _declared_go_package(self, import_path: str) -> str | None:
        for module, folder in self.go_declared:
            package = self._in_module(import_path, module, folder)
            if package is not None:
                return package
        return None

    def _trailing_go_package(self, import_path: str) -> str:
        wanted = import_path.split("/")
        best: tuple[int, int, str] | None = None
        for module in self.go_folders:
            if not module:
                continue  # the root folder ends with no component
            parts = module.split("/")
            matched = 0
            while (
                matched < min(len(parts), len(wanted))
                and parts[-1 - matched] == wanted[-1 - matched]
            ):
                matched += 1
            if matched and (best is None or (-matched, len(parts), module) < best):
                best = (-matched, len(parts), module)
        return best[2] if best else import_path

    def resolve(self, language: str, path: str, module: str, *, home: str | None = None) -> str:
        """``module`` as written in the file ``path``, as a repository module path; ``home``:
        the Rust module a ``use`` belongs to when it is not the file's (a ``mod m { }`` block:
        ``self::``, ``super::`` and child modules start from m)."""
        own = home or self.file_module.get(path, "")
        if language == "python" and module.startswith("."):
            dots = len(module) - len(module.lstrip("."))
            parts = own.split(".") if own else []
            if not path.endswith("__init__.py") and parts:
                parts = parts[:-1]  # the file's package
            parts = parts[: len(parts) - (dots - 1)] if dots > 1 else parts
            rest = module[dots:]
            return ".".join([*parts, *([rest] if rest else [])])
        if language in {"typescript", "javascript"} and module.startswith("."):
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), module))
            return module_path(language, joined + ".js") if joined != "." else ""
        if language == "go":
            return self.go_package(module, importer=path)
        if language == "rust":
            crate_path = self.rust_crate_path(path, module)
            if crate_path is not None:
                return crate_path
            relative = _rust_relative_path(module, own=own)
            if relative is not None:
                return relative
            parts = module.split("::")
            own_parts = own.split("::") if own else []
            # Rust 2018: a path may start with a name of the current module, here a child
            # module (`mod tcp; pub use tcp::stream::TcpStream;`)
            if own_parts and "::".join([*own_parts, parts[0]]) in self.rust_modules:
                return "::".join([*own_parts, module])
        return module

    def _module_of(
        self, language: str, path: str, module: str | None, home: str | None
    ) -> str | None:
        """What an import row's (language, path, module, _home) resolves to
        (``imports_with_names``): a JS/TS row without a module exports a name of the file
        itself (`export {x}`)."""
        if module is None:
            return self.file_module.get(path) if language in EXPORT_LANGUAGES else None
        return self.resolve(language, path, module, home=home)

    def rust_crate_path(self, path: str, rust_path: str) -> str | None:
        """A Rust path of the file ``path`` whose first segment names a crate of the repository
        (``_rust_crates``), from that crate's module root: ``tokio::sync`` ->
        ``tokio_1.24.2::sync``; None for any other path."""
        package = self.package_of_file.get(path)
        if package is None:
            return None
        parts = rust_path.removeprefix("::").split("::")  # `::tokio`: an extern crate (2018)
        if parts[0] in _RUST_PATH_ROOTS:
            return None
        root = self.crate_roots.get((package, parts[0]))
        return None if root is None else "::".join([root, *parts[1:]])

    def imports_with_names(
        self, imports: pl.DataFrame, inline_modules: pl.DataFrame
    ) -> pl.DataFrame:
        """``imports`` with ``_home``, ``resolved_module`` and ``imported`` (what the row names,
        repository-qualified: ``pkg.mod.f``; the module for a glob or a Go package, whose rows
        are (import path, package name)). ``_home``: the module of a Rust ``use`` in a ``mod m
        { }`` block (m's qualified name; null: the file's module), from ``inline_modules``
        (``_inline_modules``)."""
        # (the imports with their homes in one query, with their modules in one: ``collected``)
        (imports,) = collected(
            imports.lazy().join(
                inline_modules.lazy().unique(),
                on=["language", "path", "enclosing"],
                how="left",
                maintain_order="left",
            )
        )
        key = ["language", "path", "module", "_home"]
        keys = imports.select(key).unique(maintain_order=True)
        # (the keys the last call answered are not resolved again: this resolver is the last
        # run's when what it reads is as it was, ``_module_resolver``; only this call's are kept)
        rows = keys.rows()
        known = self._known_modules
        resolved = [known[row] if row in known else self._module_of(*row) for row in rows]
        self._known_modules = dict(zip(rows, resolved, strict=True))
        keyed = keys.lazy().with_columns(resolved_module=pl.Series(resolved, dtype=pl.String))
        with_modules = imports.lazy().join(keyed, on=key, how="left", nulls_equal=True)
        module = pl.col("resolved_module")
        name = pl.col("name")
        (named,) = collected(
            with_modules.with_columns(
                # A Go row names its package folder ("" for a root package), never a member.
                imported=pl.when((pl.col("language") == "go") & module.is_not_null())
                .then(module)
                .when(name == "*")
                .then(pl.when(_truthy(module)).then(module).otherwise(name))
                .when(_truthy(module))
                .then(_qualify(module, name))
                .otherwise(name)
            )
        )
        named = _commonjs_export_equals(named)
        if self.crate_heads.is_empty():
            return named
        # `use tokio;` (no module): the crate's module root, as a module's first segment is
        crates = [
            (path, text, self.rust_crate_path(path, text))
            for path, text in named.filter(
                (pl.col("language") == "rust") & pl.col("module").is_null()
            )
            .select("path", "name")
            .unique(maintain_order=True)
            .iter_rows()
        ]
        rewritten = pl.DataFrame(
            crates,
            schema={"path": pl.String, "name": pl.String, "_crate_path": pl.String},
            orient="row",
        ).with_columns(_rust=pl.lit(True), _no_module=pl.lit(True))
        return (
            named.with_columns(
                _rust=pl.col("language") == "rust", _no_module=pl.col("module").is_null()
            )
            .join(rewritten, on=["path", "name", "_rust", "_no_module"], how="left")
            .with_columns(imported=pl.coalesce("_crate_path", "imported"))
            .drop("_rust", "_no_module", "_crate_path")
        )


# Languages whose module object may be one of its values (`module.exports = Y`, `export = Y`).
_EXPORT_EQUALS_LANGUAGES = ("javascript", "typescript")


def _commonjs_export_equals(named: pl.DataFrame) -> pl.DataFrame:
    """A JavaScript namespace binding (``const X = require("./x")``, ``import * as X``) of a
    module that sets ``module.exports = Y`` stands for that module's ``Y`` (the module object
    *is* Y): its ``imported`` becomes ``<module>.export=``, which the module's own exported
    row re-exports as ``Y`` (rule 3's ``export {Y as "export="}``, followed hop by hop). The
    same in TypeScript, of ``export = Y`` (``import X = require("./x")``)."""
    language = pl.col("language").is_in(_EXPORT_EQUALS_LANGUAGES)
    # (one query to find them, one to replace them: ``collected``)
    (replaced,) = collected(
        named.lazy()
        .filter(
            language
            & pl.col("exported")
            & pl.col("module").is_null()
            & (pl.col("alias") == EXPORT_EQUALS)
        )
        .select(_replaced_module=pl.col("resolved_module"))
        .unique()
    )
    if replaced.is_empty():
        return named
    namespace = language & (pl.col("name") == "*") & _truthy(pl.col("alias"))
    # `const { f } = require("./x")` / `import { f }`: the property f of that Y (a static
    # method of a class Y; else the module's own f, see _ReexportFollower._rewrites)
    member = language & pl.col("module").is_not_null() & ~pl.col("name").is_in(["*", "default"])
    export_equals = _qualify(pl.col("resolved_module"), pl.lit(EXPORT_EQUALS))
    replaced_here = pl.col("_replaced").fill_null(False)
    (found,) = collected(
        named.lazy()
        .join(
            replaced.lazy().with_columns(_replaced=pl.lit(True)),
            left_on="resolved_module",
            right_on="_replaced_module",
            how="left",
        )
        .with_columns(
            imported=pl.when(namespace & replaced_here)
            .then(export_equals)
            .when(member & replaced_here)
            .then(_qualify(export_equals, pl.col("name")))
            .otherwise("imported")
        )
        .drop("_replaced")
    )
    return found


# --------------------------------------------------------------------------------------------
# Name resolution (rules in the module docstring), as joins over lookup frames.


@dataclass(frozen=True)
class _Scope:
    """Everything name resolution looks things up in, as frames."""

    symbols: pl.DataFrame  # labelled symbols + unit
    values: pl.DataFrame  # ``_Graph.values``: the symbols that are values (no node)
    files: pl.DataFrame  # path -> module (analysed files)
    # path, bound, target, order, scope, _own_name: names bound by imports in the scope of the
    # symbol id ``scope`` (``_TOP``: the file's top level); ``_own_name``: a JS/TS class or
    # function expression's own name, which the symbol's methods see too (``_Lookups``)
    bindings: pl.DataFrame
    globs: pl.DataFrame  # path, module, order, scope: modules of glob imports
    bound_names: pl.DataFrame  # path, name: every key of a file's bindings ("*" for globs)
    up: pl.DataFrame  # id -> the symbol enclosing it (its parent's node)
    modules: pl.DataFrame  # language, module: every module (file or module symbol) by name
    # language, alias, name, target, order: a module's name ``alias`` (module + ``name``) bound
    # by its own import to the qualified name ``target`` (rule 3's re-exports)
    reexports: pl.DataFrame
    reexport_globs: pl.DataFrame  # language, module, glob, order: `from glob import *` in it
    # language, name, target: the qualified names (module + name) a JavaScript module exports
    # from its own bindings (`export {f}`, CommonJS `exports.f = ...`; not `module.exports = X`
    # itself) and the binding each holds (module + g of `exports.f = g`, `export {g as f}`)
    own_exports: pl.DataFrame
    imported: pl.DataFrame  # language, target: the qualified name every import row names
    crate_files: pl.DataFrame  # path, _package: Rust files and their package (``_rust_crates``)
    crate_heads: (
        pl.DataFrame
    )  # _package, head, root: the crates a package names (root null: outside)

    @functools.cached_property
    def declared_types(self) -> pl.DataFrame:
        """(_type, _type_name): the TYPE_DECLs a declared receiver type names (rule 4a,
        ``_declared_targets``): no type alias, which may stand for a union, but Go's (mostly a
        defined type, `type nodeStack []*Node` with methods of its own; Go has no union)."""
        return pl.concat(
            [
                self.symbols.filter(
                    (pl.col("label") == "TYPE_DECL")
                    & ((pl.col("kind") != "type_alias") | (pl.col("language") == "go"))
                ).select(pl.col("id").alias("_type"), pl.col("qualified_name").alias("_type_name")),
                self.es5_classes,
            ]
        )

    @functools.cached_property
    def es5_classes(self) -> pl.DataFrame:
        """(_type, _type_name): the JavaScript functions that are ES5 classes, those with
        something stored on the object ``new`` makes of them (a member of a kind
        ``THIS_MEMBER_KINDS``: ``Foo.prototype.m = function () {}``, ``this.m = ...`` in
        ``Foo``), as tsc reads a JavaScript file: ``new Foo()`` is a ``Foo`` whose members
        are those (rule 4a's declared type). Not TypeScript, where ``new`` of a function is
        an ``any``."""
        functions = self.symbols.filter(
            (pl.col("language") == "javascript") & (pl.col("kind") == "function")
        )
        if functions.is_empty():
            return pl.DataFrame(schema={"_type": pl.String, "_type_name": pl.String})
        stored = self.symbols.filter(
            (pl.col("language") == "javascript")
            & pl.col("kind").is_in(sorted(THIS_MEMBER_KINDS))
            & pl.col("parent").is_not_null()
        ).select(qualified_name="parent")
        return functions.join(stored.unique(), on="qualified_name", how="semi").select(
            pl.col("id").alias("_type"), pl.col("qualified_name").alias("_type_name")
        )

    # What the edges read of the symbols alone, made once per scope (a rebuild whose symbol
    # side is as it was keeps its scope: ``_Graph.scope``)
    @functools.cached_property
    def returned_functions(self) -> pl.DataFrame:
        return _returned_functions(self.symbols)

    @functools.cached_property
    def member_types(self) -> pl.DataFrame:
        return _member_types(self.symbols)

    @functools.cached_property
    def callback_functions(self) -> pl.DataFrame:
        return _callback_functions(self.symbols)

    @functools.cached_property
    def walked_symbols(self) -> _WalkedSymbols:
        return _walked_symbols(self.symbols)

    @functools.cached_property
    def rust_aliases(self) -> pl.DataFrame:
        return _rust_aliases(self.symbols)

    @functools.cached_property
    def overload_sets(self) -> pl.DataFrame:
        return _overload_sets(self.symbols)

    def of_labels(self, labels: Sequence[str]) -> pl.LazyFrame:
        """The symbols of ``labels``, as part of a query (``collected``)."""
        return self.symbols.lazy().filter(pl.col("label").is_in(list(labels)))

    def with_crates(self, rows: pl.DataFrame) -> pl.DataFrame:
        """``rows`` (path, head, ...) with ``_crate_root`` and ``_crate_outside``: the module
        root of the repository crate a Rust path's first segment ``head`` names in the row's
        file, or whether it names a crate from outside the repository (``_rust_crates``)."""
        (crates,) = collected(self.crates_of(rows.lazy()))
        return crates

    def crates_of(self, rows: pl.LazyFrame) -> pl.LazyFrame:
        """``with_crates`` as part of a query (``collected``)."""
        if self.crate_heads.is_empty():
            return rows.with_columns(
                _crate_root=pl.lit(None, pl.String), _crate_outside=pl.lit(False)
            )
        heads = self.crate_heads.lazy().select(
            "_package", "head", _crate_root="root", _crate_outside=pl.col("root").is_null()
        )
        return (
            rows.join(self.crate_files.lazy(), on="path", how="left")
            .join(heads, on=["_package", "head"], how="left")
            .with_columns(pl.col("_crate_outside").fill_null(False))
            .drop("_package")
        )

    @functools.cached_property
    def own_prelude_types(self) -> pl.DataFrame | None:
        """(_type, _type_package, _own_prelude): the Rust structs, enums and traits named like
        a prelude type or trait and the package of each (``_rust_own_prelude_types``); None
        when there is none."""
        own = self.symbols.filter(
            (pl.col("language") == "rust")
            & pl.col("kind").is_in(["struct", "enum", "trait"])
            & pl.col("name").is_in(sorted(_RUST_PRELUDE_NAMES))
        ).select(_type="id", path="path")
        if own.is_empty():
            return None
        return (
            own.join(self.crate_files, on="path", how="left")
            .select("_type", _type_package=pl.col("_package").fill_null(""))
            .with_columns(_own_prelude=pl.lit(True))
        )


def _enclosing(
    rows: pl.DataFrame, symbols: pl.DataFrame, *, qname: str, line: str, out: str
) -> pl.DataFrame:
    """``rows`` with column ``out``: the symbol named ``qname`` in the row's path whose span holds
    ``line`` (nearest start wins; when none holds it, the nearest start of all), else null."""
    if rows.get_column(qname).null_count() == rows.height:
        # no row names one (``this_symbol`` outside JavaScript/TypeScript): skip the joins
        return rows.with_columns(pl.lit(None, symbols.schema["id"]).alias(out))
    # (one query but the last: ``collected``)
    keyed = rows.lazy().select("path", qname, line).with_row_index("_row")
    candidates = keyed.join(
        symbols.lazy().select(
            "path",
            pl.col("qualified_name").alias(qname),
            pl.col("start_line").alias("_start"),
            pl.col("end_line").alias("_end"),
            pl.col("id").alias(out),
        ),
        on=["path", qname],
        how="inner",
    )
    holds = (pl.col("_start") <= pl.col(line)) & (pl.col(line) <= pl.col("_end"))
    best = candidates.group_by("_row").agg(pl.col(out).sort_by(holds, "_start", out).last())
    # each row's symbol by its row number (joined to the numbers alone: a join of ``rows``
    # itself would gather every one of its columns)
    (found,) = collected(
        keyed.select("_row").join(best, on="_row", how="left", maintain_order="left")
    )
    return rows.with_columns(found.get_column(out))


def _ancestors(owners: pl.Series, up: pl.DataFrame) -> pl.DataFrame:
    """(owner, ancestor, depth): each owner (depth 0) and its enclosing symbols, innermost
    first, as far as ``_MAX_CHAIN`` (each ancestor at the depth it first appears)."""
    frontier = pl.DataFrame(
        {
            "owner": owners,
            "ancestor": owners,
            "depth": pl.Series([0] * owners.len(), dtype=pl.Int64),
        }
    )
    # (``seen``: the rows so far, every (owner, ancestor) pair at its first depth)
    seen = frontier
    for depth in range(1, _MAX_CHAIN):
        (frontier,) = collected(
            frontier.lazy()
            .join(up.lazy(), left_on="ancestor", right_on="id", how="inner")
            .select("owner", pl.col("up").alias("ancestor"), depth=pl.lit(depth, pl.Int64))
            .join(seen.lazy(), on=["owner", "ancestor"], how="anti")
        )
        if frontier.height == 0:
            break
        seen = pl.concat([seen, frontier])
    return seen


def _first(frame: pl.DataFrame, *, by: Sequence[str], descending: Sequence[bool]) -> pl.DataFrame:
    """One row per ``qid``: the first by ``by`` (each column ascending unless ``descending``)."""
    if frame.height <= 1:  # (already one row per qid: no query)
        return frame
    return frame.sort(["qid", *by], descending=[False, *descending]).unique(
        subset="qid", keep="first"
    )


def _first_unambiguous(
    candidates: pl.DataFrame,
    *,
    by: Sequence[str],
    descending: Sequence[bool],
    tie: Sequence[str],
    columns: Sequence[str],
    label: str = "label",
) -> pl.DataFrame:
    """``_first`` of ``candidates`` (with qid, language and the candidates' ``label``, one
    language per qid), without the queries of ``OVERLOADING_LANGUAGES`` where another
    candidate ties with the first on ``tie`` (a definition of the same name in the same scope:
    a Java overload, a Rust method of another impl of the type; no ``tie`` columns: any other
    candidate), except for the METHODs of ``ARITY_LANGUAGES``: the first stands for its overload
    set (``_overloads_by_arity``); its ``columns``."""
    if candidates.height <= 1:  # (no other candidate to tie with)
        return candidates.select(columns)
    # how many candidates share each one's tie values: counted in the same pass as the sort
    counted = candidates.with_columns(_ties=pl.len().over(["qid", *tie]))
    best = _first(counted, by=by, descending=descending)
    # a null tie value matches no other candidate
    known = pl.all_horizontal([pl.col(column).is_not_null() for column in tie]) if tie else True
    by_arity = pl.col("language").is_in(sorted(ARITY_LANGUAGES)) & (pl.col(label) == "METHOD")
    ambiguous = (
        pl.col("language").is_in(sorted(OVERLOADING_LANGUAGES))
        & ~by_arity
        & (pl.col("_ties") > 1)
        & known
    )
    return best.filter(~ambiguous).select(columns)


def _with_parent_labels(symbols: pl.LazyFrame) -> pl.LazyFrame:
    """``symbols`` with ``_up_label``: the label of each one's parent symbol (null at the top)."""
    parents = symbols.select(pl.col("id").alias("up"), pl.col("label").alias("_up_label"))
    return symbols.join(parents, on="up", how="left", maintain_order="left")


def _reachable_symbols(with_parent: pl.LazyFrame) -> pl.LazyFrame:
    """The symbols a qualified name, an import or an attribute can reach, one per (language,
    label, qualified name), with ``_member``: whether it is a member of a type (a method, a
    type nested in a type).

    A function local to another (a nested ``def``, a ``const f = () => ...`` in a function, a
    Rust ``fn`` in a ``fn``) is reachable by its bare name inside that function only (rule 2),
    never through an attribute, an import or a qualified name: left out. A name defined more
    than once in one scope (a redefinition, ``@overload`` stubs then the implementation,
    ``if TYPE_CHECKING: def f`` / ``else: def f``, TypeScript overload signatures then the
    implementation) stands for its last definition, the one Python binds and the one with the
    body: the last by line of the first path; in ``OVERLOADING_LANGUAGES`` (Java overloads, Rust
    methods of several impls) for none: ``_ambiguous`` (it still makes a short name not unique).
    A Rust ``impl`` block is no second definition of the name it is named after (``struct Foo``
    and ``impl Foo`` are one type): the name stands for the struct (an impl only when no other
    definition has the name), unambiguously; for the short names of rule 5 the impl still
    counts (``_short_ambiguous``): rule 5 takes ``State::Idle(x)``, an enum variant, for a
    ``struct Idle`` elsewhere, which such an impl has kept out so far.
    ``with_parent``: the symbols with ``_up_label`` (``_with_parent_labels``).
    """
    local = (pl.col("kind") == "function") & (pl.col("_up_label") == "METHOD").fill_null(False)
    impl = pl.col("kind") == "impl"
    member = (pl.col("kind") == "method") | (
        (pl.col("label") == "TYPE_DECL") & (pl.col("_up_label") == "TYPE_DECL").fill_null(False)
    )
    key = ["language", "label", "qualified_name"]
    # several definitions of one name in one scope that all live (OVERLOADING_LANGUAGES)
    overloading = pl.col("language").is_in(sorted(OVERLOADING_LANGUAGES))
    ambiguous = overloading & (pl.col("_definitions") > 1)
    # (each name's first row in that order and what its rows add up to, in one group_by: its
    # groups come in the order of their first rows, as ``unique(keep="first")`` keeps them)
    return (
        with_parent.filter(~local)
        .with_columns(_impl=impl)
        .sort(["_impl", "path", "start_line", "id"], descending=[False, False, True, True])
        .group_by(key, maintain_order=True)
        .agg(
            pl.col("name", "id", "kind", "_up_label").first(),
            _definitions=(~pl.col("_impl")).sum(),
            _ups=pl.col("up").n_unique(),
            _rows=pl.len(),
        )
        .select(
            "language",
            "label",
            "name",
            "qualified_name",
            "id",
            _ambiguous=ambiguous,
            _short_ambiguous=overloading & (pl.col("_rows") > 1),
            _member=member,
            # an overload set is one type's methods: the same qualified name in two files
            # (one class in two Maven modules) is two classes, which no argument count picks
            _set=ambiguous
            & pl.col("language").is_in(sorted(ARITY_LANGUAGES))
            & (pl.col("label") == "METHOD")
            & (pl.col("_ups") == 1),
        )
    )


def _unique_short_names(reachable: pl.LazyFrame) -> pl.LazyFrame:
    """(language, label, name, _short): the id of each short name exactly one of ``reachable``
    has (one per qualified name already)."""
    return (
        reachable.group_by("language", "label", "name")
        .agg(pl.col("id").first(), pl.col("_short_ambiguous").first(), pl.len().alias("_count"))
        .filter((pl.col("_count") == 1) & ~pl.col("_short_ambiguous"))
        .select("language", "label", "name", pl.col("id").alias("_short"))
    )


# Re-export tables up to this many rows are read into a dict whole; a larger one (every
# module-level Python import is a re-export) is joined with the keys a hop needs that were not
# read before (``_KeyedRows``): a row read costs about a microsecond, a join about half a
# millisecond.
_REEXPORT_DICT_ROWS = 2000

# A name a Rust glob import carries (`use crate::m::*`: `crate::m::Foo`) is followed as
# ``_CARRIED`` + the name (``_Lookups.follow_reexports``): a glob carries m's public items and
# `pub use`s only, never what a plain `use` of m binds (an item private to m).
_CARRIED = "\x01"
# (language, _origin, target, _hop, _via): what ``_Lookups._reexported`` returns
_REEXPORTED_SCHEMA = {
    "language": pl.String,
    "_origin": pl.String,
    "target": pl.String,
    "_hop": pl.Int32,
    "_via": pl.Int64,
}
# (_hop, _via): the columns ``_Lookups.follow_reexports`` adds to a candidate's
_HOP_SCHEMA = {name: _REEXPORTED_SCHEMA[name] for name in ("_hop", "_via")}


class _KeyedRows:
    """(language, key) -> [(to, order)]: the rows of a re-export table (language, ``key``,
    ``to``, order) by key, read whole when the table is small (``_REEXPORT_DICT_ROWS``), else
    the keys a hop asks for, each read (one join for those of a hop) the first time it is asked
    and kept: the index is the last run's again for the same tables (``_LAST_REEXPORT_INDEX``),
    and a rebuild follows the names it followed before."""

    def __init__(self, frame: pl.DataFrame, *, key: str, to: str) -> None:
        self._frame, self._key, self._to = frame, key, to
        self._whole = frame.height <= _REEXPORT_DICT_ROWS
        self._read = dict(_rows_by_key(frame, None, key=key, to=to)) if self._whole else {}
        self._lock = threading.Lock()

    def of(self, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], list[tuple[str, int]]]:
        """The rows of the keys ``wanted`` (and of others read before)."""
        if not self._whole:
            with self._lock:
                missing = wanted - self._read.keys()
                if missing:
                    found = _rows_by_key(self._frame, missing, key=self._key, to=self._to)
                    self._read.update((key, found.get(key, [])) for key in missing)
        return self._read


@dataclass(frozen=True)
class _ReexportIndex:
    """What the re-export hops test names against (``_Lookups._rewrites``,
    ``_Lookups._unfinished_keys``): the (language, module) pairs of the repository's modules
    and the (language, head) pairs that start a re-exported name; the named re-exports
    ((language, alias) -> [(target, order)]) and the glob ones ((language, module) ->
    [(glob, order)]) by key (``_KeyedRows``)."""

    modules: set[tuple[str, str]]
    heads: set[tuple[str, str]]
    # ``_Scope.own_exports``: (language, exported name) -> the bindings it holds
    own_exports: dict[tuple[str, str], list[str]]
    named: _KeyedRows
    named_public: _KeyedRows  # what a glob carries
    globs: _KeyedRows


# The last ``_ReexportIndex`` of this process, by the frames it is made of: the modules, the
# files' own exports, the re-exported heads and the re-exports of a rebuild whose imports and
# module names are as they were (a symbol edit that defines no name an import re-exports) are
# the last ones, and so are the keys its hops read (~3 ms of a tokio rebuild, a join of its
# 4,000 re-export rows each hop).
_LAST_REEXPORT_INDEX: _LastMade[_ReexportIndex] = _LastMade()


class _LastReexported(_LastMade[pl.DataFrame]):
    """The last results of ``_Lookups._reexported`` of this process (8 at most, the least
    recently made first out), each with what it read: the names followed, the re-export index
    (the object: the last one again for the same frames, ``_LAST_REEXPORT_INDEX``), the Rust
    module values and the answer of each test of a name for being defined that it made. A
    rebuild follows the names it followed before (its edited file's call sites) through
    re-exports as they were; a new definition (the edited file's symbols) changes a result
    only where a name tested is defined now, or no longer: every test is made again (a set
    look-up each), not the hops (tokio: three results of ~1-2 ms each a rebuild). (A
    ``_LastMade`` for ``memos.forget_all``.)"""

    def __init__(self) -> None:
        super().__init__()
        self._kept: deque[
            tuple[pl.DataFrame, _ReexportIndex, pl.DataFrame, dict[str, bool], pl.DataFrame]
        ] = deque(maxlen=8)
        # how each result was made in this process ("same", "followed"): what tests read
        self.made: Counter[str] = Counter()

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()

    def found(
        self,
        names: pl.DataFrame,
        index: _ReexportIndex,
        module_values: pl.DataFrame,
        defined: frozenset[str],
    ) -> pl.DataFrame | None:
        """The kept result of these names, index and Rust module values (sorted, as ``keep``
        has them: the result reads which names and values there are, not their order, which
        the ``unique`` they come from does not keep) whose tests of names for being defined
        answer as they did against ``defined``, None when none is kept."""
        with self._lock:
            for last_names, last_index, last_values, tested, result in self._kept:
                if (
                    last_index is index
                    and last_names.schema == names.schema
                    and last_names.equals(names)
                    and last_values.schema == module_values.schema
                    and last_values.equals(module_values)
                    and all((key in defined) == answer for key, answer in tested.items())
                ):
                    self.made["same"] += 1
                    return result
            return None

    def keep(
        self,
        names: pl.DataFrame,
        index: _ReexportIndex,
        module_values: pl.DataFrame,
        tested: dict[str, bool],
        result: pl.DataFrame,
    ) -> None:
        """Keep ``result`` with what it read (the names and module values sorted). The results
        of another index go: ``found`` matches the index by identity and
        ``_LAST_REEXPORT_INDEX`` keeps one, so they could never be found again (review r19c)."""
        with self._lock:
            self.made["followed"] += 1
            current = [kept for kept in self._kept if kept[1] is index]
            self._kept.clear()
            self._kept.extend(current)
            self._kept.append((names, index, module_values, tested, result))


_LAST_REEXPORTED = _LastReexported()


def _reexport_index(
    modules: pl.DataFrame,
    own_exports: pl.DataFrame,
    heads: pl.DataFrame,
    reexports: pl.DataFrame,
    reexport_globs: pl.DataFrame,
) -> _ReexportIndex:
    """The ``_ReexportIndex`` of the (language, module) pairs ``modules``, the (language,
    name, target) rows ``own_exports``, the (language, _head) pairs ``heads``, the named
    ``reexports`` (``_Lookups.reexports``) and ``reexport_globs``."""
    own: dict[tuple[str, str], list[str]] = defaultdict(list)
    for language, name, target in own_exports.iter_rows():
        own[(language, name)].append(target)
    return _ReexportIndex(
        modules={
            (language, module) for language, module in modules.iter_rows() if module is not None
        },
        heads=set(heads.iter_rows()),
        own_exports=own,
        named=_KeyedRows(reexports, key="alias", to="target"),
        named_public=_KeyedRows(reexports.filter("_public"), key="alias", to="target"),
        globs=_KeyedRows(reexport_globs, key="module", to="glob"),
    )


def _rows_by_key(
    frame: pl.DataFrame, wanted: set[tuple[str, str]] | None, *, key: str, to: str
) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """(language, ``key``) -> [(``to``, order)] of the rows of ``frame`` (language, ``key``,
    ``to``, order) whose (language, ``key``) is ``wanted`` (None: every row)."""
    if wanted is not None:
        keys = pl.DataFrame(
            sorted(wanted), schema={"language": pl.String, key: pl.String}, orient="row"
        )
        frame = frame.join(keys, on=["language", key], how="semi")
    found: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for language, name, target, order in frame.select("language", key, to, "order").iter_rows():
        found[(language, name)].append((target, order))
    return found


class _Lookups:
    """Lookup tables shared by every query of one node run, each built once.

    Queries carry the ``label`` (METHOD or TYPE_DECL) they look for, so one pass over one frame
    resolves call targets, constructor types and base types together.
    """

    def __init__(
        self,
        scope: _Scope,
        owners: pl.Series,
        this_owners: pl.Series,
        *,
        resolves_imports: bool = True,
    ) -> None:
        """``owners``: every symbol id a query may be enclosed by; ``this_owners``: every
        symbol id whose ``this`` a query may see (JavaScript/TypeScript); ``resolves_imports``:
        whether the imports' targets are looked up too (``_import_targets``; not when they
        come from the store), whose names the first queries' re-exports are followed with."""
        owners = owners.unique().drop_nulls()
        this_owners = this_owners.unique().drop_nulls()
        # (the tables of the last lookups again when they were made for this scope and these
        # owners: ``_LAST_LOOKUPS``)
        tables = _LAST_LOOKUPS.get(
            (owners.sort().to_frame("owner"), this_owners.sort().to_frame("owner")),
            lambda: self._tables(scope, owners, this_owners),
            same=(scope,),
        )
        self.__dict__.update(tables)
        self.resolves_imports = resolves_imports
        # what the queries of this run ask, remembered (none of the tables' builds: a copy)
        self._exact: dict[tuple[tuple[str, ...], bool], pl.DataFrame] = {}
        # names ``follow_reexports`` followed so far, and where they lead (``_reexported``)
        self._asked: pl.DataFrame | None = None
        self._reached: pl.DataFrame | None = None
        self._index: _ReexportIndex | None = None
        # the answers of the tests of names for being defined that ``_reexported`` made (while
        # it runs: what its result read of the defined names, ``_LAST_REEXPORTED``)
        self._tested: dict[str, bool] | None = None

    def _tables(self, scope: _Scope, owners: pl.Series, this_owners: pl.Series) -> dict[str, Any]:
        """The lookup tables of ``scope`` for queries enclosed by ``owners`` (distinct ids)
        and seeing the ``this`` of ``this_owners``, set on this object and returned by name."""
        self.scope = scope
        symbols = scope.symbols
        lazy_symbols = symbols.lazy()
        rust = pl.col("language") == "rust"
        # the tables in four queries (``collected``), each of the frames the one before built
        chains, self.with_parent, rust_types = collected(
            _ancestors(owners.filter(owners != _TOP), scope.up)
            .lazy()
            .join(
                lazy_symbols.select(pl.col("id").alias("ancestor"), "label", "qualified_name"),
                on="ancestor",
                how="inner",
            ),
            _with_parent_labels(lazy_symbols),
            # the qualified names of Rust structs and enums (an impl may be named so)
            lazy_symbols.filter(rust & pl.col("kind").is_in(["struct", "enum"])).select(
                pl.col("qualified_name").unique()
            ),
        )
        self.chains = chains
        self.rust_types = rust_types.to_series()
        script_classes = symbols.filter(
            pl.col("language").is_in(sorted(EXPORT_LANGUAGES)) & (pl.col("kind") == "class")
        ).get_column("id")
        lazy_chains = chains.lazy()
        # (row by row, the last rebuild's values but for the rows that changed)
        member_types = _LAST_ROW_WISE.column(
            "_type", symbols.select("language", "parent"), _member_type(pl.col("parent"))
        )
        last_segments = _LAST_ROW_WISE.column(
            "token",
            symbols.select("qualified_name"),
            _segments(pl.col("qualified_name")).list.last(),
        )
        (
            first_types,
            self.import_scopes,
            self.own_name_scopes,
            self.rust_module_homes,
            self.member_symbols,
            reachable,
            tokens_of_names,
        ) = collected(
            # (owner, type_id, qualified_name): the first TYPE_DECL of each owner's chain (one
            # ancestor per depth: the order is total)
            lazy_chains.filter(pl.col("label") == "TYPE_DECL")
            .sort("owner", "depth")
            .unique(subset="owner", keep="first")
            .select("owner", pl.col("ancestor").alias("type_id"), "qualified_name"),
            # (owner, scope, depth): the symbols whose imports a query enclosed by ``owner``
            # sees (rule 3), at their depth in its chain: its functions and modules, and a
            # class body only for the code directly in it (a class body is no scope of its
            # methods: a JS/TS `static {}` block's `require` neither)
            lazy_chains.filter((pl.col("label") != "TYPE_DECL") | (pl.col("depth") == 0)).select(
                "owner", scope="ancestor", depth="depth"
            ),
            # the same, and a JavaScript/TypeScript class for its methods too: the scopes of a
            # class expression's own name (``const A = class Inner {}``: ECMAScript's class
            # scope holds its methods; the bindings' ``_own_name``)
            lazy_chains.filter(
                (pl.col("label") != "TYPE_DECL")
                | (pl.col("depth") == 0)
                | pl.col("ancestor").is_in(script_classes)
            ).select("owner", scope="ancestor", depth="depth"),
            # (owner, _home): the innermost Rust module symbol (a `mod m { }` block) of each
            # owner's chain, where its `self::` and `super::` paths start
            lazy_chains.join(
                lazy_symbols.filter(rust & (pl.col("kind") == "module")).select(ancestor="id"),
                on="ancestor",
                how="semi",
            )
            .sort("owner", "depth")
            .unique(subset="owner", keep="first")
            .select("owner", _home="qualified_name"),
            # the symbols as ``_members_of`` matches them: by language, label, name and the type
            # their parent is (``_member_type``), computed once
            lazy_symbols.select(
                "kind",
                "language",
                "label",
                "name",
                "start_line",
                "id",
                pl.col("path").alias("_path"),
                pl.col("parent").alias("_parent"),
                member_types,
                _static=_is_static(),
                # the build constraint of the symbol's file (``_with_other_builds``)
                _build=pl.when(pl.col("language").is_in(sorted(BUILD_LANGUAGES))).then("modifiers"),
                # Rust: a member of an impl named as a struct or enum is (the type its module
                # declares; an impl alone may be for a type of another crate, `impl Listener
                # for tokio::net::TcpListener`): see ``_members_of``
                _declared_parent=rust & pl.col("parent").is_in(self.rust_types.to_list()),
            ),
            _reachable_symbols(self.with_parent.lazy()),
            # (language, label, token): every name and last qualified-name segment of the
            # symbols
            lazy_symbols.select("language", "label", last_segments).drop_nulls(),
        )
        self.function_this = _function_this(self.with_parent, this_owners)
        self.this_types = _this_types(self.with_parent, this_owners)
        lazy_reachable = reachable.lazy()
        # names defined in the repository: a symbol a qualified name reaches, or a module
        defined = [
            lazy_reachable.select("language", alias=pl.col("qualified_name")),
            scope.modules.lazy().select("language", alias=pl.col("module")),
        ]
        # rule 3's re-exports: a module's own definition of a name wins over its import;
        # except a Rust module's, which is of another namespace than the function or value a
        # `use` of its name re-exports (`mod poll_fn; pub use poll_fn::poll_fn;`): a call of
        # that name is the function's (``follow_reexports``)
        rust_modules = pl.concat(
            [
                lazy_reachable.filter(rust & (pl.col("label") == "NAMESPACE")).select(
                    "language", alias=pl.col("qualified_name")
                ),
                defined[1].filter(rust),
            ]
        )
        reexports = scope.reexports.lazy()
        for names in defined:
            reexports = reexports.join(names, on=["language", "alias"], how="anti")
        # (language, label, name, _members_only) -> id where exactly one reachable symbol has
        # that short name: among all of them (False), among the members of a type (True)
        # (a constructor named after its class, as Java's, is no candidate: `new Values()`
        # names a class, which rules 1-4 find as a TYPE_DECL, never another file's `Values`
        # constructor by its short name)
        named_after_class = sorted(
            language for language, names in CONSTRUCTOR_NAMES.items() if names is None
        )
        class_named_constructor = (
            pl.col("language").is_in(named_after_class)
            & (pl.col("label") == "METHOD")
            & (
                pl.col("qualified_name").str.split(".").list.get(-2, null_on_oob=True)
                == pl.col("name")
            )
        ).fill_null(False)
        callable_by_name = lazy_reachable.filter(~class_named_constructor)
        (
            self.owner_type_ids,
            self.owner_types,
            # (language, label, qualified_name) -> the symbol the name binds (see
            # _reachable_symbols) (a Java overload set by its representative,
            # ``ARITY_LANGUAGES``; ``_set``: one)
            self.exact_by_label,
            rust_module_named,
            self.reexports,
            self.unique_short,
        ) = collected(
            first_types.lazy().select("owner", "type_id"),
            first_types.lazy().select("owner", pl.col("qualified_name").alias("parent")),
            lazy_reachable.filter(~pl.col("_ambiguous") | pl.col("_set")).select(
                "language", "label", "qualified_name", "id", "_set"
            ),
            scope.reexports.lazy()
            .filter(rust)
            .join(
                lazy_reachable.filter(pl.col("label") != "NAMESPACE").select(
                    "language", alias=pl.col("qualified_name")
                ),
                on=["language", "alias"],
                how="anti",
            )
            .join(rust_modules, on=["language", "alias"], how="semi"),
            reexports,
            pl.concat(
                [
                    _unique_short_names(callable_by_name).with_columns(_members_only=pl.lit(False)),
                    _unique_short_names(callable_by_name.filter("_member")).with_columns(
                        _members_only=pl.lit(True)
                    ),
                ]
            ),
        )
        if not rust_module_named.is_empty():
            self.reexports = pl.concat([self.reexports, rust_module_named])
        self.reexport_globs = scope.reexport_globs
        self.any_reexports = not (self.reexports.is_empty() and self.reexport_globs.is_empty())
        reexported = self.reexports.lazy().select("language", token=pl.col("name"))
        token_columns = tokens_of_names.columns
        tokens = pl.concat(
            [
                lazy_symbols.select("language", "label", token=pl.col("name")),
                tokens_of_names.lazy(),
                # a re-exported name may stand for a symbol of either label
                reexported.with_columns(label=pl.lit("METHOD")).select(token_columns),
                reexported.with_columns(label=pl.lit("TYPE_DECL")).select(token_columns),
            ]
        ).unique()
        (
            # (language, target): the names of such modules
            self.rust_module_values,
            # (language, _head): the first segment of every name a re-export rewrites
            self.reexport_heads,
            # (language, token) -> _METHOD, _TYPE_DECL: whether symbols of that label have it
            # as their name or the last segment of their qualified name
            self.known_tokens,
            # "language\0name" of every defined name (``_defined``), when needed
            defined_keys,
        ) = collected(
            rust_module_named.lazy().select("language", target="alias").unique(),
            pl.concat(
                [
                    self.reexports.lazy().select(
                        "language", _head=pl.col("alias").str.split(_separator()).list.first()
                    ),
                    self.reexport_globs.lazy().select(
                        "language", _head=pl.col("module").str.split(_separator()).list.first()
                    ),
                ]
            ).unique(),
            tokens.group_by("language", "token").agg(
                _METHOD=(pl.col("label") == "METHOD").any(),
                _TYPE_DECL=(pl.col("label") == "TYPE_DECL").any(),
            ),
            pl.concat(defined).select(_key=pl.concat_str("language", pl.lit("\x00"), "alias"))
            if self.any_reexports
            else pl.LazyFrame(schema={"_key": pl.String}),
        )
        self._defined_keys = frozenset(defined_keys.to_series().to_list())
        return dict(vars(self))

    @functools.cached_property
    def instance_members(self) -> pl.DataFrame:
        """``member_symbols`` a value of a type has: its instance methods (a JavaScript
        `static` one is the class's)."""
        return self.member_symbols.filter(~pl.col("_static"))

    @functools.cached_property
    def _exact_targets(self) -> pl.DataFrame:
        """``exact_by_label`` as ``first_exact`` joins it: (language, label, target, id)."""
        return self.exact_by_label.select(
            "language", "label", pl.col("qualified_name").alias("target"), "id"
        )

    @functools.cached_property
    def _scopes(self) -> pl.DataFrame:
        """(owner, depth, _scope_label, parent): the chains as ``lexical`` joins them."""
        return self.chains.select(
            "owner",
            "depth",
            pl.col("label").alias("_scope_label"),
            pl.col("qualified_name").alias("parent"),
        )

    def exact(self, labels: tuple[str, ...], *, overloads: bool = False) -> pl.DataFrame:
        """(language, qualified_name) -> id: the first label that has the name, then the first
        symbol by (path, start line, id); ``overloads``: a Java overload set's representative
        too (a call's target, which ``_overloads_by_arity`` picks in; not an import's)."""
        if (labels, overloads) not in self._exact:
            priority = {label: rank for rank, label in enumerate(labels)}
            # exact_by_label already holds each label's first symbol of every name
            self._exact[(labels, overloads)] = (
                self.exact_by_label.filter(
                    pl.col("label").is_in(list(labels)) & (overloads | ~pl.col("_set"))
                )
                .with_columns(_rank=pl.col("label").replace_strict(priority, return_dtype=pl.Int64))
                .sort("_rank")
                .unique(subset=["language", "qualified_name"], keep="first")
                .select("language", "qualified_name", "id")
            )
        return self._exact[(labels, overloads)]

    def lexical(
        self, queries: pl.DataFrame, *, word: str, labels: Sequence[str] | None = None
    ) -> pl.DataFrame:
        """(qid, id, qualified_name, depth, _same): ``word`` defined in the query's enclosing
        scopes of the same unit, innermost first, then at the top level (``depth``: of the
        defining scope in the query's chain, ``_TOP_LEVEL_DEPTH`` at the top level; ``_same``:
        defined in the query's file, not another of its unit; ``queries``: qid, language,
        path, unit, owner, label and the ``word`` column). ``labels``: the symbols' labels, else
        the query's."""
        # (one query: ``collected``)
        symbols = self.scope.symbols.lazy() if labels is None else self.scope.of_labels(labels)
        keys = (
            ["language", word, "unit"]
            if labels is not None
            else ["language", "label", word, "unit"]
        )
        symbols = symbols.select(
            "language",
            pl.col("label").alias("_label") if labels is not None else pl.col("label"),
            pl.col("name").alias(word),
            "unit",
            "parent",
            pl.col("path").alias("_path"),
            "start_line",
            "id",
            "qualified_name",
            _impl=pl.col("kind") == "impl",
            _symbol_label=pl.col("label"),
        )
        keyed = queries.lazy().select("qid", "language", "label", "path", "unit", "owner", word)
        # what a definition found in a scope (its ``depth``) or at the top level carries
        found_columns = (
            "qid",
            "language",
            "path",
            "_path",
            "start_line",
            "id",
            "qualified_name",
            "_impl",
            "_symbol_label",
        )
        scopes = self._scopes.lazy()
        # the definitions of the word in the query's unit first (few), then those whose
        # parent is a scope of the query's chain (joining every query with its whole chain
        # first would carry each query once per enclosing scope)
        in_scope = (
            keyed.join(symbols.filter(pl.col("parent").is_not_null()), on=keys, how="inner")
            .join(scopes, on=["owner", "parent"], how="inner")
            .filter(
                (pl.col("_scope_label") != "TYPE_DECL")
                | pl.col("language").is_in(list(TYPE_MEMBERS_IN_SCOPE))
            )
            .select(*found_columns, "depth")
        )
        top = keyed.join(symbols.filter(pl.col("parent").is_null()), on=keys, how="inner").select(
            *found_columns, depth=pl.lit(_TOP_LEVEL_DEPTH, pl.Int64)
        )
        # a Rust `impl Foo` is no second definition of the `struct Foo` of its scope (as in
        # ``_reachable_symbols``): the name stands for the type, an impl only where none is
        # two files of a Java package folder defining one top-level name are two packages'
        # types (javac fixtures), which no file of the folder tells apart: one tie; Go's are
        # one package's build variants (constraints), of which the first stands for all
        same = pl.col("_path") == pl.col("path")
        top_of_folder = (pl.col("language") == "java") & (pl.col("depth") == _TOP_LEVEL_DEPTH)
        (found,) = collected(
            pl.concat([in_scope, top])
            .filter(~pl.col("_impl") | pl.col("_impl").all().over(["qid", "depth", "_path"]))
            .with_columns(
                _same=same,
                _tie_path=pl.when(top_of_folder & ~same)
                .then(pl.lit(""))
                .otherwise(pl.col("_path")),
            )
        )
        return _first_unambiguous(
            found,
            by=["depth", "_same", "start_line", "id"],
            descending=[False, True, True, True],
            tie=["depth", "_same", "_tie_path"],
            columns=["qid", "id", "qualified_name", "depth", "_same"],
            label="_symbol_label",
        )

    def import_targets(self, queries: pl.DataFrame, *, word: str) -> pl.DataFrame:
        """(qid, language, label, target, order, depth): the qualified names ``word`` stands for
        through the imports whose scope the query is in (the file's top level, or a symbol of
        its chain: ``import_scopes``), in binding order; ``depth``: of the import's scope in
        the query's chain (``_TOP_LEVEL_DEPTH``: the top level). ``queries``: qid, language,
        label, path, owner, ``word``."""
        # (one query: ``collected``)
        keyed = queries.lazy().select("qid", "language", "label", "path", "owner", word)
        top_bindings, nested, top_globs, nested_globs = self._import_tables
        at_top = pl.lit(_TOP_LEVEL_DEPTH, pl.Int64)
        # (frame, its depth): the top level's, then an import inside a symbol: only the
        # queries under it, the few whose name it binds
        bound = [
            (
                keyed.join(top_bindings.lazy(), left_on=["path", word], right_on=["path", "bound"]),
                at_top,
            )
        ]
        globbed = [(keyed.join(top_globs.lazy(), on="path", how="inner"), at_top)]
        depth = pl.col("depth")
        if not nested.is_empty():
            # (a class or function expression's own name: ``own_name_scopes``)
            in_nested = keyed.join(
                nested.lazy(), left_on=["path", word], right_on=["path", "bound"]
            )
            bound.extend(
                (
                    (
                        in_nested.filter(~pl.col("_own_name")).join(
                            self.import_scopes.lazy(), on=["owner", "scope"], how="inner"
                        ),
                        depth,
                    ),
                    (
                        in_nested.filter("_own_name").join(
                            self.own_name_scopes.lazy(), on=["owner", "scope"], how="inner"
                        ),
                        depth,
                    ),
                )
            )
        if not nested_globs.is_empty():
            globbed.append(
                (
                    keyed.join(nested_globs.lazy(), on="path", how="inner").join(
                        self.import_scopes.lazy(), on=["owner", "scope"], how="inner"
                    ),
                    depth,
                )
            )
        (targets,) = collected(
            pl.concat(
                [
                    *(
                        frame.select("qid", "language", "label", "target", "order", depth=at)
                        for frame, at in bound
                    ),
                    *(
                        frame.select(
                            "qid",
                            "language",
                            "label",
                            target=_qualify(pl.col("module"), pl.col(word)),
                            order=pl.col("order") + _GLOB_ORDER,
                            depth=at,
                        )
                        for frame, at in globbed
                    ),
                ]
            )
        )
        return targets

    @functools.cached_property
    def _import_tables(self) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
        """The bindings and globs of the top level and of the symbols (``import_targets``)."""
        top = pl.col("scope") == _TOP
        bindings, globs = self.scope.bindings.lazy(), self.scope.globs.lazy()
        top_bindings, nested, top_globs, nested_globs = collected(
            bindings.filter(top), bindings.filter(~top), globs.filter(top), globs.filter(~top)
        )
        return top_bindings, nested, top_globs, nested_globs

    def first_exact(
        self,
        candidates: pl.DataFrame,
        *,
        labels: tuple[str, ...] | None = None,
        follow: bool = True,
        orders: bool = False,
    ) -> pl.DataFrame:
        """(qid, id[, depth][, order]): the first candidate (by ``depth`` when the candidates
        have one, then ``order``) whose ``target`` names a symbol of ``labels``, else of the
        candidate's ``label``; ``follow``: a candidate of an import (order below
        ``_LEXICAL_ORDER``) that names no symbol also by the re-exports it leads to
        (``follow_reexports``), after itself; ``orders``: with the candidate's ``order``. Rust:
        none where the first candidate's re-exports lead to several definitions (cfg twins)."""
        if labels is None:
            table = self._exact_targets
            keys = ["language", "label", "target"]
        else:
            table = self.exact(labels, overloads=True).rename({"qualified_name": "target"})
            keys = ["language", "target"]
        found = candidates.join(table, on=keys, how="inner")
        depth = ["depth"] if "depth" in candidates.columns else []
        kept = ["qid", "id", *depth, *(["order"] if orders else [])]
        followed = self.follow_reexports(candidates) if follow else None
        if followed is None or followed.is_empty():
            by = [*depth, "order"]
            first = _first(found, by=by, descending=[False] * len(by))
            return self._without_rust_twins(found, first, depth=depth).select(kept)
        (found,) = collected(
            pl.concat(
                [
                    found.lazy().with_columns(
                        pl.lit(0, dtype).alias(name) for name, dtype in _HOP_SCHEMA.items()
                    ),
                    followed.lazy()
                    .join(table.lazy(), on=keys, how="inner")
                    .select(*found.columns, "_hop", "_via"),
                ]
            )
        )
        by = [*depth, "order", "_hop", "_via"]
        first = _first(found, by=by, descending=[False] * len(by))
        if "language" in found.columns:
            # Rust: one `use` path that its re-exports lead to two definitions by (globs of
            # `mod std` and `mod mocked`, two `pub use`s of one name under opposite cfgs)
            # names whichever the configuration compiles: not one of them
            level = [*depth, "order"]
            twins = (
                found.lazy()
                .filter(pl.col("language") == "rust")
                .join(first.lazy().select("qid", *level), on=["qid", *level], how="semi")
                .group_by("qid")
                .agg(pl.col("id").n_unique().alias("_ids"))
                .filter(pl.col("_ids") > 1)
            )
            (first,) = collected(first.lazy().join(twins, on="qid", how="anti"))
        return self._without_rust_twins(found, first, depth=depth).select(kept)

    def _without_rust_twins(
        self, found: pl.DataFrame, first: pl.DataFrame, *, depth: list[str]
    ) -> pl.DataFrame:
        """``first`` without the Rust queries whose name is bound twice where it is found, as
        rustc accepts only under opposite cfgs (E0252, E0255): two ``use``s of one scope naming
        different definitions (``#[cfg(test)] use super::mocks::JoinHandle;`` beside
        ``#[cfg(not(test))] use crate::blocking::JoinHandle;``), or a module's own definition of
        a name it also imports (``cfg_not_rt! { struct JoinHandle }`` beside ``cfg_rt! { pub
        use crate::task::JoinHandle; }`` in ``blocking``): whichever the configuration
        compiles, not one of them."""
        if "language" not in found.columns:
            return first
        rust = found.filter(pl.col("language") == "rust")
        if rust.is_empty():
            return first
        # (the twins in one query: ``collected``)
        # two named imports of the first's scope (globs and definitions come after them)
        imports = (
            rust.lazy()
            .filter(pl.col("order") < _GLOB_ORDER)
            .join(first.lazy().select("qid", *depth), on=["qid", *depth], how="semi")
            .group_by("qid")
            .agg(pl.col("id").n_unique().alias("_ids"))
            .filter(pl.col("_ids") > 1)
            .select("qid")
        )
        # a definition whose module also imports its name (a re-export's alias is the
        # definition's qualified name), found as written or through re-exports (`sys::Blocking`,
        # `pub(crate) use crate::blocking::JoinHandle as Blocking`); an `impl Handle` beside
        # `pub use self::handle::Handle` defines no name
        aliases = (
            self.scope.reexports.lazy()
            .filter(pl.col("language") == "rust")
            .select(qualified_name="alias")
            .unique()
        )
        definitions = (
            self.scope.symbols.lazy()
            .filter(pl.col("kind") != "impl")
            .select("id", "qualified_name")
        )
        defined_and_imported = (
            first.lazy()
            .filter(pl.col("language") == "rust")
            .select("qid", "id")
            .join(definitions, on="id", how="inner")
            .join(aliases, on="qualified_name", how="semi")
            .select("qid")
        )
        (twins,) = collected(pl.concat([imports, defined_and_imported]))
        return first if twins.is_empty() else first.join(twins, on="qid", how="anti")

    def follow_reexports(self, candidates: pl.DataFrame) -> pl.DataFrame:
        """For each import candidate (qid, language, target, order, ...; order below
        ``_LEXICAL_ORDER``) that names nothing defined, the names its re-exports lead to
        (``_reexported``): the candidate's columns with that ``target``, ``_hop`` and
        ``_via``."""
        columns = [*candidates.columns, "_hop", "_via"]
        # (a Rust path as written, from the crate root, a module or a crate, too: `crate::io::
        # AsyncRead::poll_read` through `pub use` of AsyncRead in `io`)
        imported = candidates.filter(
            (pl.col("order") < _LEXICAL_ORDER)
            | ((pl.col("language") == "rust") & (pl.col("order") == _AS_WRITTEN_ORDER))
        )
        if not self.any_reexports or imported.is_empty():
            return pl.DataFrame(schema={**imported.schema, **_HOP_SCHEMA})
        # a name a Rust glob import carries (``import_targets``: its order past _GLOB_ORDER)
        imported = imported.with_columns(
            _origin=pl.when(
                pl.col("language").is_in(sorted(PUB_USE_LANGUAGES))
                & (pl.col("order") >= _GLOB_ORDER)
            )
            .then(pl.concat_str(pl.lit(_CARRIED), "target"))
            .otherwise("target")
        )
        reached = self._reached_from(imported.select("language", target="_origin"))
        followed = imported.drop("target").join(reached, on=["language", "_origin"], how="inner")
        if not self.rust_module_values.is_empty():
            # a Rust module's name followed to the function its module re-exports by that
            # name: for a call only (the `use` itself, a path through it: the module)
            called = pl.col("label") == "METHOD" if "label" in followed.columns else pl.lit(False)
            followed = followed.join(
                self.rust_module_values.select(
                    "language", _origin="target", _module_value=pl.lit(True)
                ),
                on=["language", "_origin"],
                how="left",
            ).filter(~pl.col("_module_value").fill_null(False) | called)
        return followed.select(columns)

    def prefetch_reexports(self, names: pl.DataFrame) -> None:
        """Follow ``names`` (language, target) now, with one pass for them all: each hop costs
        about the same for many names as for a few (``_reexported``)."""
        if self.any_reexports:
            self._reached_from(names)

    def _reached_from(self, names: pl.DataFrame) -> pl.DataFrame:
        """``_reexported`` of ``names`` (language, target) and of every name asked before: each
        name is followed once per node run, whichever lookup asks for it first."""
        names = names.unique()
        if self._asked is not None:
            names = names.join(self._asked, on=["language", "target"], how="anti")
        if not names.is_empty() or self._reached is None:
            found = self._reexported(names)
            self._asked = names if self._asked is None else pl.concat([self._asked, names])
            self._reached = found if self._reached is None else pl.concat([self._reached, found])
        return self._reached

    def _reexported(self, names: pl.DataFrame) -> pl.DataFrame:
        """``_followed`` of ``names``: the last result of these names again when what it read
        is as it was (``_LAST_REEXPORTED``)."""
        index = self._reexport_index()
        # (sorted: what the result reads of them is which there are, ``_LAST_REEXPORTED``)
        asked, module_values = (
            frame.sort(frame.columns) for frame in (names, self.rust_module_values)
        )
        found = _LAST_REEXPORTED.found(asked, index, module_values, self._defined_keys)
        if found is not None:
            return found
        self._tested = {}
        try:
            result = self._followed(names)
            tested = self._tested
        finally:
            self._tested = None
        _LAST_REEXPORTED.keep(asked, index, module_values, tested, result)
        return result

    def _followed(self, names: pl.DataFrame) -> pl.DataFrame:
        """(language, _origin, target, _hop, _via): the names each of ``names`` (language,
        target) that names nothing defined leads to through re-exports (rule 3), hop by hop.

        A name is looked up the way Python evaluates ``pkg.C.m``: its longest prefix that is a
        module (``pkg``) and the next segment (``C``); when that module
        binds the segment by its own import (``from .m import C`` in ``pkg/__init__.py``), the
        name stands for that import's target plus the rest (``pkg.m.C.m``); when it re-exports a
        glob (``from .m import *``, ``export * from "./m"``), for the glob module's name
        (Python: not a private ``_name``; JS/TS: not ``default``). ``_hop``: the hops taken,
        ``_via``: the order of the last re-export row. As far as ``_MAX_REEXPORT_HOPS``; a name
        already reached from the same origin is not followed again (a cycle stops)."""
        # (language, origin, target, carried): the names still to follow, each from its
        # origin, and whether a glob carries it (``_CARRIED``: not the module's plain `use`s)
        frontier: list[tuple[str, str, str, bool]] = [
            (language, origin, target, origin != target)
            for language, origin, target in self._unfinished(
                names.select(
                    "language",
                    _origin="target",
                    target=pl.col("target").str.strip_prefix(_CARRIED),
                )
            )
            .select("language", "_origin", "target")
            .iter_rows()
        ]
        rows: list[tuple[str, str, str, int, int]] = []
        # every name reached so far from its origin, the origins themselves too
        seen = set(frontier)
        emitted = {(language, origin, target) for language, origin, target, _ in frontier}
        for hop in range(1, _MAX_REEXPORT_HOPS + 1):
            if not frontier:
                break
            # (language, origin, target, carried) -> the least order of the re-export rows
            # leading there
            via: dict[tuple[str, str, str, bool], int] = {}
            for language, origin, reached, carried, order in self._rewrites(frontier):
                key = (language, origin, reached, carried)
                if key not in seen and (key not in via or order < via[key]):
                    via[key] = order
            rewritten = sorted(via.items())
            for (language, origin, reached, _), order in rewritten:
                if (language, origin, reached) not in emitted:  # once, at its first hop
                    emitted.add((language, origin, reached))
                    rows.append((language, origin, reached, hop, order))
            seen.update(via)
            frontier = self._unfinished_keys([key for key, _ in rewritten])
        return pl.DataFrame(rows, schema=_REEXPORTED_SCHEMA, orient="row")

    def _rewrites(
        self, frontier: list[tuple[str, str, str, bool]]
    ) -> list[tuple[str, str, str, bool, int]]:
        """One hop of ``_reexported``: (language, origin, name, carried, order) for each
        re-export row (``order``) the longest module prefix of a frontier name (language,
        origin, target, carried) rewrites it by: a re-export of the prefix's next segment (the
        name stands for its target plus the rest; a name a glob carries: a public one only,
        ``_public``), a glob re-export of the prefix (the glob module's name plus the next
        segment and the rest, which the glob carries; not a hidden name: Python ``_name``,
        JavaScript/TypeScript ``default``). Plain Python over the few thousand names of a hop
        at most; only the re-export rows they need are read (every module-level Python import
        is one)."""
        index = self._reexport_index()
        # (language, origin, carried, separator, re-export key, glob prefix or None, next, rest)
        split: list[tuple[str, str, bool, str, str, str | None, str, str]] = []
        for language, origin, target, carried in frontier:
            # names are joined by each language's separator (Rust `::`, a crate root may
            # hold a "." as `tokio_1.24.2` does)
            sep = _SEPARATORS.get(language, ".")
            segments = target.split(sep)
            # the longest module prefix (0 segments: none) of the name, the segment after it
            # and the rest
            at = next(
                (
                    k
                    for k in range(len(segments) - 1, 0, -1)
                    if (language, sep.join(segments[:k])) in index.modules
                ),
                0,
            )
            following = segments[at]
            hidden_prefix = _GLOB_HIDDEN_PREFIX.get(language)
            hidden = following == _GLOB_HIDDEN_NAME.get(language) or (
                hidden_prefix is not None and following.startswith(hidden_prefix)
            )
            split.append(
                (
                    language,
                    origin,
                    carried,
                    sep,
                    sep.join(segments[: at + 1]),
                    None if hidden else sep.join(segments[:at]),
                    following,
                    sep.join(segments[at + 1 :]),
                )
            )
        wanted = {(row[0], row[4]) for row in split}
        named, named_public = index.named.of(wanted), index.named_public.of(wanted)
        globs = index.globs.of({(row[0], row[5]) for row in split if row[5] is not None})
        found: list[tuple[str, str, str, bool, int]] = []
        for language, origin, carried, sep, key, prefix, following, rest in split:
            routes = (named_public if carried else named).get((language, key), ())
            for to, order in routes:
                found.append(
                    (language, origin, to if rest == "" else f"{to}{sep}{rest}", False, order)
                )
                if following == EXPORT_EQUALS and rest and prefix:
                    # `module.exports = X; module.exports.f = g`: f is a property of the
                    # module object X, the module's own g (a top-level symbol of the module,
                    # extraction) that it exports so (an exported row); never a top-level f
                    # it keeps private (no member of X)
                    held, _, deeper = rest.partition(sep)
                    found.extend(
                        (
                            language,
                            origin,
                            value if not deeper else f"{value}{sep}{deeper}",
                            False,
                            order,
                        )
                        for value in index.own_exports.get((language, f"{prefix}{sep}{held}"), ())
                    )
            # Rust: a name the module's own `use` binds shadows its globs' (`pub use
            # crate::b::X` beside `pub use crate::a::*`: b's X), no cfg twin of them
            if prefix is not None and not (routes and language == "rust"):
                tail = following if rest == "" else f"{following}{sep}{rest}"
                found.extend(
                    (language, origin, to if tail == "" else f"{to}{sep}{tail}", True, order)
                    for to, order in globs.get((language, prefix), ())
                )
        return found

    def _unfinished_keys(
        self, keys: list[tuple[str, str, str, bool]]
    ) -> list[tuple[str, str, str, bool]]:
        """``_unfinished`` of the (language, origin, target, carried) ``keys`` a hop reaches:
        the head test and the defined names in Python (sets)."""
        heads = self._reexport_index().heads
        maybe = [
            key for key in keys if (key[0], key[2].split(_SEPARATORS.get(key[0], "."))[0]) in heads
        ]
        if not maybe:
            return maybe
        return [key for key in maybe if not self._is_defined(f"{key[0]}\x00{key[2]}")]

    def _reexport_index(self) -> _ReexportIndex:
        """The modules and re-exported heads as sets, for ``_rewrites`` and
        ``_unfinished_keys``; made once, when needed (the last one again for the same frames:
        ``_LAST_REEXPORT_INDEX``)."""
        if self._index is None:
            # (the heads sorted: ``_tables`` makes them unique in no order)
            frames = (
                self.scope.modules.select("language", "module"),
                self.scope.own_exports,
                self.reexport_heads.select("language", "_head").sort("language", "_head"),
                self.reexports,
                self.reexport_globs,
            )
            self._index = _LAST_REEXPORT_INDEX.get(frames, lambda: _reexport_index(*frames))
        return self._index

    def _unfinished(self, names: pl.DataFrame) -> pl.DataFrame:
        """The ``names`` (language, target, ...) that name nothing defined but may be
        re-exported (the first segment starts a re-exported name)."""
        # (one query, the keys a column of the same rows: two plans of one semi join would
        # rely on its row order being the same twice, which polars does not promise)
        (keyed,) = collected(
            names.lazy()
            .with_columns(_head=pl.col("target").str.split(_separator()).list.first())
            .join(self.reexport_heads.lazy(), on=["language", "_head"], how="semi")
            .drop("_head")
            .with_columns(_key=pl.concat_str("language", pl.lit("\x00"), "target"))
        )
        keys = keyed.drop_in_place("_key")  # (in place: no query)
        maybe = keyed
        unfinished = ~self._defined(keys)
        if not self.rust_module_values.is_empty():
            # a Rust module's name a `use` of its module re-exports a function by
            # (``rust_module_values``): followed from the start (a hop on is not)
            unfinished = unfinished | maybe.join(
                self.rust_module_values.with_columns(_value=pl.lit(True)),
                on=["language", "target"],
                how="left",
                maintain_order="left",
            )["_value"].fill_null(False)
        return maybe.filter(unfinished)

    def _defined(self, keys: pl.Series) -> pl.Series:
        """Whether each ``language\\x00name`` key names something defined (null for a null
        key): membership in the set of the keys of every defined name (much cheaper than a join
        that hashes all of them again, or a query, for the few names of a hop)."""
        return pl.Series(
            keys.name,
            [None if key is None else self._is_defined(key) for key in keys.to_list()],
            dtype=pl.Boolean,
        )

    def _is_defined(self, key: str) -> bool:
        """Whether the ``language\\x00name`` key names something defined (and the answer
        recorded while ``_reexported`` runs)."""
        defined = key in self._defined_keys
        if self._tested is not None:
            self._tested[key] = defined
        return defined


def _names_by_language(names_of: dict[str, frozenset[str]], *, column: str) -> pl.DataFrame:
    """One (language, ``column``) row per name of a per-language name list, sorted."""
    return pl.DataFrame(
        [
            (language, name)
            for language, names in sorted(names_of.items())
            for name in sorted(names)
        ],
        schema={"language": pl.String, column: pl.String},
        orient="row",
    )


_GLOBAL_RECEIVERS = _names_by_language(KNOWN_GLOBAL_RECEIVERS, column="head")
_OUTSIDE_ROOT_HEADS = _names_by_language(OUTSIDE_ROOTS, column="head")
# (rule 4a's lookups, ``_declared_targets``: built once, not per pass)
_OUTSIDE_ROOTS_FLAGGED = _OUTSIDE_ROOT_HEADS.with_columns(_outside_root=pl.lit(True))
_BUILTIN_TYPE_TEXTS = _names_by_language(BUILTIN_TYPES, column="text").with_columns(
    _builtin=pl.lit(True)
)
# For member calls (`x.f()`, ``_members_only``) and, outside Rust, other calls too: a Rust path
# `crate::net::connect()` names a module's function or a type's associated function, no value
# of a std type (`connect` is a slice method's name too).
_BUILTIN_METHODS = (
    _names_by_language(BUILTIN_METHOD_NAMES, column="name")
    .join(pl.DataFrame({"_members_only": [True, False]}), how="cross")
    .filter(pl.col("_members_only") | (pl.col("language") != "rust"))
    .select("language", "name", "_members_only", label=pl.lit("METHOD"))
)


def _super_call() -> pl.Expr:
    """Whether a query (language, text, ``_count``) calls a base type's method through
    ``super``: ``super().f`` / ``super(C, self).f`` in Python, ``super.f`` in JS/TS and Java."""
    return (
        pl.col("language").is_in(["javascript", "typescript", "java"])
        & pl.col("text").str.starts_with(_SUPER)
        & (pl.col("_count") == 2)
    ) | ((pl.col("language") == "python") & pl.col("text").str.contains(_PYTHON_SUPER))


def _with_segments(rows: pl.DataFrame) -> pl.DataFrame:
    """``rows`` (language, text, ...) with what the text's segments give: ``_count``, ``head``,
    ``_tail``, ``_rest`` and ``_whole`` (joined by the language's separator); computed once per
    distinct text. The row order is not kept."""
    segments = pl.col("_segments")
    texts = (
        rows.lazy()
        .select("language", "text")
        .unique()
        .with_columns(_segments=_segments(pl.col("text")))
        .select(
            "language",
            "text",
            _count=segments.list.len(),
            head=segments.list.first(),
            _tail=segments.list.last(),
            _rest=_join_segments(segments.list.slice(1)),
            _whole=_join_segments(segments),
        )
    )
    (joined,) = collected(rows.lazy().join(texts, on=["language", "text"], how="left"))
    return joined


def _live_queries(
    keys: pl.DataFrame, *, calls: int, lookups: _Lookups, methods_from: int | None = None
) -> pl.LazyFrame:
    """One row per key and label its text may name a symbol of, numbered ``_row``.

    ``keys``: ``_with_segments`` rows with ``_key`` (call rows first, then base types, which
    only look for TYPE_DECL, then from ``methods_from`` on the keys that look for METHOD only).
    ``_row``: METHOD queries of calls are ``_key``, the others' ``_key`` + ``calls``, as are
    TYPE_DECL ones. Every rule ends in an exact qualified name, a short name or an import
    binding: a text whose last segment and short name no such symbol has (and no import binds)
    is nothing. (A part of a query: ``collected``.)
    """
    known = lookups.known_tokens.lazy()
    (frame,) = collected(
        keys.lazy()
        .filter(pl.col("_count") > 0)
        .join(known, left_on=["language", "name"], right_on=["language", "token"], how="left")
        .join(
            known.rename({"_METHOD": "_tail_METHOD", "_TYPE_DECL": "_tail_TYPE_DECL"}),
            left_on=["language", "_tail"],
            right_on=["language", "token"],
            how="left",
        )
        .join(
            lookups.scope.bound_names.lazy().with_columns(_bound=pl.lit(True)),
            on=["path", "name"],
            how="left",
        )
    )
    bound = (pl.col("_count") == 1) & pl.col("_bound").fill_null(False)
    method_only = pl.lit(False) if methods_from is None else pl.col("_key") >= methods_from
    parts = []
    for label in ("METHOD", "TYPE_DECL"):
        wanted = (
            pl.col(f"_{label}").fill_null(False) | pl.col(f"_tail_{label}").fill_null(False) | bound
        )
        if label == "METHOD":
            wanted = wanted & ((pl.col("_key") < calls) | method_only)
            row = pl.when(pl.col("_key") < calls).then("_key").otherwise(pl.col("_key") + calls)
        else:
            wanted = wanted & ~method_only
            row = pl.col("_key") + calls
        parts.append(
            frame.lazy()
            .filter(wanted)
            .select(
                pl.exclude(
                    "_METHOD", "_TYPE_DECL", "_tail_METHOD", "_tail_TYPE_DECL", "_bound", "_key"
                ),
                label=pl.lit(label),
                _row=row,
            )
        )
    return pl.concat(parts)


def _this_symbols(with_parent: pl.DataFrame, owners: pl.Series) -> pl.DataFrame:
    """The JavaScript/TypeScript symbols among ``owners``, from ``with_parent`` (the symbols
    with the label of their parent, ``_with_parent_labels``); ``owners`` not empty."""
    return with_parent.filter(pl.col("language").is_in(sorted(THIS_FUNCTION_LANGUAGES))).join(
        pl.DataFrame({"id": owners}, schema={"id": pl.String}), on="id", how="semi"
    )


# The columns of ``_function_this`` and of ``_this_types`` (with ``_static``)
_FUNCTION_THIS_SCHEMA = {"owner": pl.String, "parent": pl.String}
_THIS_TYPES_SCHEMA = {**_FUNCTION_THIS_SCHEMA, "_static": pl.Boolean}


def _function_this(with_parent: pl.DataFrame, owners: pl.Series) -> pl.DataFrame:
    """(owner, parent): for each JavaScript/TypeScript function or method among ``owners`` (the
    symbols whose ``this`` calls see, ``this_symbol``) whose ``this`` is an ES5 object, the
    qualified name whose members ``this.f`` names.

    ``function Foo() { this.init(); }``: ``new Foo()`` runs it, so ``this`` is a ``Foo`` and its
    members are ``Foo.f`` (the function itself); a method stored on a function
    (``Foo.prototype.bar = function () {}``, ``Foo.prototype = { bar() {} }``,
    ``this.bar = function () {}`` inside ``Foo``) runs on a ``Foo``: ``Foo``. A plain function
    nested in another is its own ``this`` (a function, so the same first case): never the outer
    one's. A class, an object literal and their methods (a TYPE_DECL's) are ``_this_types``.
    """
    if owners.is_empty():  # no JavaScript/TypeScript call sees a `this`
        return pl.DataFrame(schema=_FUNCTION_THIS_SCHEMA)
    kind = pl.col("kind")
    return (
        _this_symbols(with_parent, owners)
        .filter(pl.col("label") == "METHOD")
        .select(
            pl.col("id").alias("owner"),
            parent=pl.when(kind == "function")
            .then(pl.col("qualified_name"))
            .when((kind == "method") & (pl.col("_up_label") == "METHOD"))
            .then(pl.col("parent")),
        )
        .filter(pl.col("parent").is_not_null())
    )


def _this_types(with_parent: pl.DataFrame, owners: pl.Series) -> pl.DataFrame:
    """(owner, parent, _static): for each JavaScript/TypeScript symbol among ``owners`` whose
    ``this`` is a TYPE_DECL's, that type's qualified name: a class or object literal itself
    (its field initializers and static blocks: ``_static`` null, either side) and the methods
    of one, ``_static`` whether the method is (``_is_static``: its ``this`` is the class, whose
    static members it calls; an instance method's ``this`` an instance, whose instance
    members it calls)."""
    if owners.is_empty():  # no JavaScript/TypeScript call sees a `this`
        return pl.DataFrame(schema=_THIS_TYPES_SCHEMA)
    is_type = pl.col("label") == "TYPE_DECL"
    return (
        _this_symbols(with_parent, owners)
        .filter(is_type | ((pl.col("kind") == "method") & (pl.col("_up_label") == "TYPE_DECL")))
        .select(
            pl.col("id").alias("owner"),
            parent=pl.when(is_type).then(pl.col("qualified_name")).otherwise(pl.col("parent")),
            _static=pl.when(~is_type).then(_is_static()),
        )
    )


def _members_of(
    members: pl.DataFrame, owner_types: pl.DataFrame, *, symbols: pl.DataFrame
) -> pl.DataFrame:
    """(qid, id): receiver queries resolved to one of ``symbols`` of the query's label and name
    whose parent is the query owner's type in ``owner_types`` (owner, parent): the same file
    first, then the same type elsewhere, then by path; in one path the last by line (a
    redefinition, the implementation after its overloads). In ``OVERLOADING_LANGUAGES`` every
    such definition lives, wherever it is: none when there are several (Java overloads; Rust
    methods of one type in several ``impl`` blocks, also in other files: an ``impl`` is named
    after its file's module, ``crate::a::S``, so a Rust type is its name's last segment; but
    when an impl in the module declaring the struct or enum has the name, that one only).
    ``symbols``: ``_Lookups.member_symbols``, or some of them."""
    if members.is_empty():  # `this.f` outside JavaScript/TypeScript: skip the joins
        return _no_members(members)
    candidates = (
        members.select(
            "qid",
            "language",
            "label",
            "path",
            "name",
            "owner",
            # the call's file, for its build (``_with_other_builds``; else the query's path)
            _caller=pl.col("_caller") if "_caller" in members.columns else pl.col("path"),
        )
        .join(owner_types, on="owner", how="inner")
        .with_columns(_type=_member_type(pl.col("parent")))
        .join(
            symbols.drop("kind"),
            on=["language", "label", "name", "_type"],
            how="inner",
        )
        .with_columns(
            _other=pl.col("_path") != pl.col("path"),
            _elsewhere=pl.col("_parent") != pl.col("parent"),
        )
        # Rust: a method of an impl named as the type is, whose module declares that struct
        # or enum, is the type's; then another module's type of that last segment is no rival
        # (tokio's `sync::Mutex::lock` and `loom::std::parking_lot::Mutex::lock`)
        .with_columns(_exact=pl.col("_declared_parent") & ~pl.col("_elsewhere"))
        .filter(pl.col("_exact") | ~pl.col("_exact").any().over("qid"))
        .pipe(_with_other_builds, symbols=symbols)
    )
    return _first_unambiguous(
        candidates,
        by=["_other", "_elsewhere", "_other_build", "_path", "start_line", "id"],
        descending=[False, False, False, False, True, True],
        tie=[],
        columns=["qid", "id"],
    )


def _no_members(members: pl.DataFrame) -> pl.DataFrame:
    """``_members_of`` of no query: its columns (qid, id), no row."""
    return pl.DataFrame(schema={"qid": members.schema["qid"], "id": pl.String})


def _with_other_builds(candidates: pl.DataFrame, *, symbols: pl.DataFrame) -> pl.DataFrame:
    """``candidates`` (a query's ``_caller`` file, a candidate's ``_path`` and ``_build``)
    with ``_other_build``: whether no build includes both the caller's file and the candidate's
    (``BUILD_LANGUAGES``: Go's build constraints, languages.go ``go_build_constraint``: the
    ``//go:build`` line, its symbols' ``modifiers``, and the GOOS / GOARCH its name ends
    with): one definition per build, of which the caller's file sees another
    (``ipv6.inet6Pktinfo.setIfindex`` of sys_aix.go and of sys_darwin.go, called in a file
    built for darwin only). False elsewhere and where either build is unknown."""
    built = candidates.filter(pl.col("_build").is_not_null())
    if built.is_empty() or built.select(pl.col("_path").n_unique().over("qid").max()).item() < 2:
        return candidates.with_columns(_other_build=pl.lit(False))
    files = (
        symbols.filter(pl.col("_build").is_not_null())
        .select(_caller="_path", _file_build="_build")
        .unique(subset=["_caller"], keep="first", maintain_order=True)
    )
    candidates = candidates.join(files, on="_caller", how="left")
    # the constraint of each file: its `//go:build` line (its symbols' ``modifiers``) and the
    # GOOS / GOARCH its name ends with
    go = candidates.filter(pl.col("language").is_in(sorted(BUILD_LANGUAGES)))
    files_built = pl.concat(
        [
            go.select(path="_caller", modifiers="_file_build"),
            go.select(path="_path", modifiers="_build"),
        ]
    ).unique(maintain_order=True)
    constraints = files_built.with_columns(
        _constraint=pl.Series(
            [go_build_constraint(path, modifiers) for path, modifiers in files_built.iter_rows()],
            dtype=pl.String,
        )
    )
    candidates = candidates.join(
        constraints.rename({"path": "_caller", "modifiers": "_file_build", "_constraint": "_here"}),
        on=["_caller", "_file_build"],
        how="left",
        nulls_equal=True,
    ).join(
        constraints.rename({"path": "_path", "modifiers": "_build", "_constraint": "_there"}),
        on=["_path", "_build"],
        how="left",
        nulls_equal=True,
    )
    pairs = candidates.select("_here", "_there").drop_nulls().unique()
    # (one language reads builds, Go: its test decides)
    other = [not go_builds_overlap(here, there) for here, there in pairs.iter_rows()]
    overlaps = pairs.with_columns(_other_build=pl.Series(other, dtype=pl.Boolean))
    return (
        candidates.join(overlaps, on=["_here", "_there"], how="left", nulls_equal=True)
        .with_columns(pl.col("_other_build").fill_null(False))
        .drop("_file_build", "_here", "_there")
    )


def _member_type(parent: pl.Expr) -> pl.Expr:
    """The type whose members ``_members_of`` matches: the parent's qualified name; in Rust its
    last segment (``impl S`` in ``a.rs`` is ``crate::a::S``, in ``b.rs`` ``crate::b::S``)."""
    return (
        pl.when(pl.col("language") == "rust").then(_segments(parent).list.last()).otherwise(parent)
    )


def _named_bindings(imports: pl.DataFrame) -> pl.DataFrame:
    """The rows of ``import_targets`` that a named import gives (a glob binds only the names
    its module has, which are not known before they resolve)."""
    if imports.is_empty():
        return imports
    return imports.filter(pl.col("order") < _GLOB_ORDER)


def _innermost_binding(candidates: pl.DataFrame, *, bound: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """The ``candidates`` (qid, depth, ...) no deeper in the query's chain than the innermost
    scope binding its name (``bound``: frames of qid and depth, e.g. a definition, a named
    import): Python, Rust and JavaScript look a name up in the innermost scope that binds it,
    whether or not what it binds is in the repository."""
    if candidates.is_empty() or all(frame.is_empty() for frame in bound):
        return candidates  # (nothing to drop: no query)
    innermost = (
        pl.concat([frame.select("qid", "depth") for frame in bound])
        .group_by("qid")
        .agg(_bound=pl.col("depth").min())
    )
    return (
        candidates.join(innermost, on="qid", how="left")
        .filter(pl.col("_bound").is_null() | (pl.col("depth") <= pl.col("_bound")))
        .drop("_bound")
    )


# A Rust callee whose head is a lowercase name followed by a `.`: a value's method call.
_RUST_VALUE_HEAD = r"^[a-z_][a-z0-9_]*\s*\."
# A Rust callee on a tuple field of a value (`self.0.f`, `pair.1.f`).
_RUST_TUPLE_FIELD = r"^[a-z_][a-z0-9_]*\s*\.\s*[0-9]+\s*\."


def _rust_relative_targets(dotted: pl.DataFrame, *, lookups: _Lookups) -> pl.DataFrame:
    """(qid, language, label, target): a Rust path of ``dotted`` from the crate root or a
    module (``crate::runtime::coop::poll_proceed()``, ``self::m::f()``, ``super::f()``), as a
    ``use`` of it resolves (``_rust_relative_path``) from the innermost module of the query's
    chain: a ``mod tests { }`` block's, else the file's (``module``; not the module's own
    name nor a glob's: a keyword)."""
    # (the rows' keys in one query, their targets in one: ``collected``)
    rows = dotted.lazy().filter(
        (pl.col("language") == "rust")
        & (pl.col("module") != "")
        & pl.col("head").is_in(sorted(_RUST_PATH_ROOTS))
        & pl.col("text").str.starts_with(pl.concat_str("head", pl.lit("::")))
    )
    homes = lookups.rust_module_homes
    if homes.height:
        rows = rows.join(homes.lazy(), on="owner", how="left").with_columns(
            _home=pl.coalesce("_home", "module")
        )
    else:
        rows = rows.with_columns(_home=pl.col("module"))
    (keys,) = collected(rows.select("_home", "head", "_rest").unique())
    targets = [
        _rust_relative_path(f"{head}::{rest}", own=home) for home, head, rest in keys.iter_rows()
    ]
    (found,) = collected(
        rows.join(
            keys.lazy().with_columns(target=pl.Series(targets, dtype=pl.String)),
            on=["_home", "head", "_rest"],
            how="inner",
        ).select("qid", "language", "label", "target")
    )
    return found


def _resolve_queries(queries: pl.LazyFrame, *, lookups: _Lookups) -> pl.DataFrame:
    """(qid, target, guess): the symbol of the query's ``label`` its text refers to, null when
    none; ``guess``: found by rule 5 (a unique short name), which a base type's member found by
    ``_inherited_targets`` overrides.

    ``queries``: live queries (``_live_queries``) with qid, language, path, text, name, owner
    (the innermost enclosing symbol's id, or ``_TOP``), this_owner (the id of the symbol whose
    ``this`` the call sees, JavaScript/TypeScript; else null), label. The rules of the module
    docstring, each as a join, then taken in rule order (the frames between the lookups'
    queries computed together, ``collected``).
    """
    scope = lookups.scope
    receiver = pl.col("text").str.starts_with(_RECEIVERS[0])
    for prefix in _RECEIVERS[1:]:
        receiver = receiver | pl.col("text").str.starts_with(prefix)
    receiver = receiver | (
        (pl.col("language") == "python") & pl.col("text").str.starts_with(_PYTHON_CLS)
    )
    (live,) = collected(
        queries.with_columns(unit=_unit(), _receiver=receiver & (pl.col("_count") == 2))
        .join(scope.files.lazy().select("path", "module"), on="path", how="left")
        .with_columns(pl.col("module").fill_null(""))
    )
    if live.is_empty():
        # nothing to resolve (a changed file without call sites, ``_calls_spliced``): none of
        # the rules' ~35 queries, each mostly its fixed cost on no rows; the imports' names
        # are followed as below, where they would be the only names
        if lookups.resolves_imports:
            lookups.prefetch_reexports(scope.imported)
        return pl.DataFrame(
            schema={"qid": live.schema["qid"], "target": pl.String, "guess": pl.Boolean}
        )
    live_rows = live.lazy()
    is_receiver = pl.col("_receiver")
    is_dotted = ~pl.col("_receiver") & (pl.col("_count") > 1)
    # a JS/TS callee of one segment that is no name names nothing by its last identifier: a
    # call of a call's value (`concatAll()(x)`), of an expression (`(() => x as Foo)()`,
    # `handlers[0]()`); a name in parentheses or asserted non-null (`(fn)()`, `remove!()`) is
    # that name
    unnamed = pl.col("language").is_in(sorted(THIS_FUNCTION_LANGUAGES)) & (
        pl.col("text").str.replace_all(_WRAPPED_NAME, "") != pl.col("name")
    )
    # 1. receiver calls: JS/TS `this.f` by the symbol whose `this` the call sees: the members
    # stored on an ES5 object (a constructor or a method stored on one), or of a class or
    # object literal; the others a member of the first type in the enclosing chain
    js_this = pl.col("text").str.starts_with(_THIS) & pl.col("language").is_in(
        sorted(THIS_FUNCTION_LANGUAGES)
    )
    at_top = pl.lit(_TOP_LEVEL_DEPTH, pl.Int64)
    # (the frames the rules start from, one query: ``collected``)
    (
        members,
        bare,
        dotted,
        this_members,
        member_queries,
        rust_self,
        rust_paths,
        rust_values,
    ) = collected(
        live_rows.filter(is_receiver),
        live_rows.filter(~pl.col("_receiver") & (pl.col("_count") == 1) & ~unnamed),
        live_rows.filter(is_dotted),
        live_rows.filter(is_receiver & js_this).with_columns(owner=pl.col("this_owner")),
        # `super.f` names a base type's f, never the enclosing type's own (the override
        # itself): ``_inherited_targets``
        live_rows.filter(is_receiver & ~js_this & ~_super_call()),
        live_rows.filter(
            is_receiver & (pl.col("language") == "rust") & pl.col("text").str.starts_with("self.")
        ).select("qid", "owner"),
        live_rows.filter(is_dotted & (pl.col("language") == "rust")).select(
            "qid", "language", "label", "path", "head", "_rest"
        ),
        # a Rust head before a `.` is a value (a local, a parameter: `raw.poll()` on a `raw:
        # RawTask` beside a `mod raw`), never a module or a crate, which only `::` paths name;
        # a value's member is rule 4a's or rule 5's (a unit struct's or a static's, `S.f()`,
        # `CONTEXT.with()`, capitalized, may still name its type's); collected here, as rules 3
        # and 4 read it twice in one query
        live_rows.filter(
            is_dotted
            & (pl.col("language") == "rust")
            & pl.col("text").str.contains(_RUST_VALUE_HEAD)
        ).select("qid"),
    )

    this_found = (
        # (no `this.f` call: no member table to filter)
        _no_members(this_members)
        if this_members.is_empty()
        else pl.concat(
            [
                _members_of(
                    this_members,
                    lookups.function_this,
                    symbols=lookups.member_symbols.filter(
                        pl.col("kind").is_in(sorted(THIS_MEMBER_KINDS))
                    ),
                ),
                # a class body's `this` (either side): every member; a method's: its side's
                _members_of(
                    this_members,
                    lookups.this_types.filter(pl.col("_static").is_null()).drop("_static"),
                    symbols=lookups.member_symbols,
                ),
                *(
                    _members_of(
                        this_members,
                        lookups.this_types.filter(pl.col("_static") == side).drop("_static"),
                        symbols=lookups.member_symbols.filter(pl.col("_static") == side),
                    )
                    for side in (False, True)
                ),
            ]
        )
    )
    member_found = _members_of(member_queries, lookups.owner_types, symbols=lookups.member_symbols)

    # 2. lexical scope and 3. a name bound by an import (bare names): the innermost scope
    # that binds the name, a definition before an import in one scope
    bare_lexical = lookups.lexical(bare, word="name")
    bare_imports = lookups.import_targets(bare, word="name")
    bare_candidates = _innermost_binding(
        bare_imports, bound=[bare_lexical, _named_bindings(bare_imports)]
    )

    # 3. the head through imports, the lexical scope, the file's module; 4. the text as written
    # (the innermost scope that binds the head, then in this order)
    head_imports = lookups.import_targets(dotted, word="head")
    head_lexical = lookups.lexical(dotted, word="head", labels=("TYPE_DECL", "NAMESPACE"))
    crate_paths = scope.with_crates(rust_paths)
    # a Rust path from the crate root or the file's module (`crate::runtime::coop::
    # poll_proceed()`, `self::m::f()`, `super::f()`), as a `use` of it resolves (not the
    # module's own name nor a glob's: a keyword)
    rust_relative = (
        _rust_relative_targets(dotted, lookups=lookups)
        .lazy()
        .select(
            "qid",
            "language",
            "label",
            "target",
            order=pl.lit(_AS_WRITTEN_ORDER, pl.Int64),
            depth=at_top,
        )
    )
    dotted_rows = dotted.lazy()
    own = dotted_rows.filter(pl.col("module") != "").select(
        "qid",
        target=_qualify(pl.col("module"), pl.col("head")),
        order=pl.lit(_OWN_MODULE_ORDER, pl.Int64),
        depth=at_top,
    )
    go_imported_heads = (
        dotted_rows.filter(pl.col("language") == "go")
        .join(
            scope.bound_names.lazy(),
            left_on=["path", "head"],
            right_on=["path", "name"],
            how="semi",
        )
        .select("qid")
    )
    prefixes = (
        pl.concat(
            [
                head_imports.lazy().select("qid", "target", "order", "depth"),
                head_lexical.lazy().select(
                    "qid",
                    target=pl.col("qualified_name"),
                    order=pl.lit(_LEXICAL_ORDER, pl.Int64),
                    depth="depth",
                ),
                own,
            ]
        )
        .join(dotted_rows.select("qid", "language", "label", "_rest"), on="qid", how="inner")
        .join(rust_values.lazy(), on="qid", how="anti")
    )
    (candidates,) = collected(
        pl.concat(
            [
                prefixes.select(
                    "qid",
                    "language",
                    "label",
                    target=_qualify(pl.col("target"), pl.col("_rest")),
                    order="order",
                    depth="depth",
                ),
                # (not a Go head an import binds: `context.Background` after import "context"
                # is the imported package's, whatever folder the repository has by that name;
                # nor a Rust path from the crate root or a module, ``rust_relative``'s:
                # `crate::x::f` as written would name the root crate's `x::f` from a member
                # crate too)
                dotted_rows.join(go_imported_heads, on="qid", how="anti")
                .join(rust_values.lazy(), on="qid", how="anti")
                .join(rust_relative.select("qid"), on="qid", how="anti")
                .select(
                    "qid",
                    "language",
                    "label",
                    target="_whole",
                    order=pl.lit(_AS_WRITTEN_ORDER, pl.Int64),
                    depth=at_top,
                ),
                # a Rust path from a crate of the repository by its Cargo.toml name
                # (`tokio::spawn`)
                crate_paths.lazy()
                .filter(pl.col("_crate_root").is_not_null())
                .select(
                    "qid",
                    "language",
                    "label",
                    target=_qualify(pl.col("_crate_root"), pl.col("_rest")),
                    order=pl.lit(_AS_WRITTEN_ORDER, pl.Int64),
                    depth=at_top,
                ),
                rust_relative,
            ]
        )
    )
    candidates = _innermost_binding(candidates, bound=[head_lexical, _named_bindings(head_imports)])
    # the names every import lookup may follow (these, and the IMPORTS edges'), at once
    (followed,) = collected(
        pl.concat(
            [
                frame.lazy().filter(pl.col("order") < _LEXICAL_ORDER).select("language", "target")
                for frame in (bare_candidates, candidates)
            ]
            + ([scope.imported.lazy()] if lookups.resolves_imports else [])
        )
    )
    lookups.prefetch_reexports(followed)
    bare_imported = lookups.first_exact(bare_candidates, orders=True)
    # at one depth a definition (rule 2) before an import (rule 3); Java (JLS 6.4.1): a
    # single-type import shadows the top-level types of the package's other files, which
    # shadow a type-import-on-demand (`import a.*`)
    java_top = (pl.col("language") == "java") & (pl.col("depth") == _TOP_LEVEL_DEPTH)
    bare_languages = bare.lazy().select("qid", "language")
    (bare_bound,) = collected(
        pl.concat(
            [
                _innermost_binding(bare_lexical, bound=[_named_bindings(bare_imports)])
                .lazy()
                .join(bare_languages, on="qid", how="left")
                .select(
                    "qid",
                    "id",
                    "depth",
                    _rule=pl.when(java_top & ~pl.col("_same"))
                    .then(pl.lit(4, pl.Int8))
                    .otherwise(pl.lit(2, pl.Int8)),
                ),
                bare_imported.lazy()
                .join(bare_languages, on="qid", how="left")
                .select(
                    "qid",
                    "id",
                    "depth",
                    _rule=pl.when(java_top & (pl.col("order") >= _GLOB_ORDER))
                    .then(pl.lit(5, pl.Int8))
                    .otherwise(pl.lit(3, pl.Int8)),
                ),
            ]
        )
    )
    bare_found = _first(bare_bound, by=["depth", "_rule"], descending=[False, False])
    dotted_found = lookups.first_exact(candidates)
    literal_texts = _literal_receiver_texts(dotted)
    # an import anywhere in the file (any scope) that binds the head, or a glob that may: no
    # rule-5 guess (as before import scopes: a guess on a head that an import binds, in the
    # file, is likelier wrong than right)
    file_bound = scope.bound_names.lazy().select("path", "name")
    outside = pl.concat(
        [
            dotted_rows.join(
                file_bound, left_on=["path", "head"], right_on=["path", "name"]
            ).select("qid"),
            dotted_rows.join(file_bound.filter(pl.col("name") == "*"), on="path").select("qid"),
            dotted_rows.join(_GLOBAL_RECEIVERS.lazy(), on=["language", "head"], how="semi").select(
                "qid"
            ),
            # a path under a standard root (`std::fs::remove_dir`, `java.util.Collections.sort`;
            # in Rust a path, not a value named so: `core.pop_task()` on a local `core`)
            dotted_rows.with_columns(_path=pl.col("text").str.strip_prefix("::"))
            .filter(
                (pl.col("language") != "rust") | pl.col("_path").str.contains("::", literal=True)
            )
            .select(
                "qid",
                "language",
                _root=pl.when(pl.col("language") == "rust")
                .then(pl.col("_path").str.split("::").list.first())
                .otherwise(pl.col("head")),
            )
            .join(
                _OUTSIDE_ROOT_HEADS.lazy(),
                left_on=["language", "_root"],
                right_on=["language", "head"],
            )
            .select("qid"),
            # a Rust path from a crate the package depends on that is no crate of the repository
            crate_paths.lazy().filter("_crate_outside").select("qid"),
            # a member of a Rust tuple field of no known type (`self.0.create_new()` where the
            # file declares no such tuple struct, `pair.0.f()` on a tuple value): mostly
            # another crate's type a newtype wraps (`struct OpenOptions(std::fs::OpenOptions)`)
            dotted_rows.filter(
                (pl.col("language") == "rust") & pl.col("text").str.contains(_RUST_TUPLE_FIELD)
            ).select("qid"),
        ]
    )

    # 5. a unique short name in the language (receiver type unknown)
    found = pl.concat(
        [
            this_found.lazy(),
            member_found.lazy(),
            bare_found.lazy().select("qid", "id"),
            dotted_found.lazy().select("qid", "id"),
        ]
    ).unique(subset="qid", keep="first", maintain_order=True)
    # ... never on a literal receiver ('...'.format: a builtin type)
    literal = dotted_rows.join(literal_texts.lazy(), on=["language", "text"], how="semi").select(
        "qid"
    )
    # (not Rust's `self.f` in a method of an impl: the impl's type is known, and a method no
    # impl of it or trait it implements defines, `self.get_unchecked_mut()` on a `self:
    # Pin<&mut Self>`, is a method of a std type or trait, never the repository's one method
    # of the name; except in an impl for a smart pointer, `impl Schedule for Arc<Handle>`,
    # named `Arc`, whose `self` derefs to a repository type)
    rust_self_in_impls = rust_self.lazy()
    if rust_self.height:
        impls = (
            scope.symbols.lazy()
            .filter((pl.col("kind") == "impl") & ~pl.col("name").is_in(sorted(RUST_SMART_POINTERS)))
            .select(pl.col("id").alias("_impl"))
        )
        rust_self_in_impls = (
            rust_self_in_impls.join(scope.up.lazy(), left_on="owner", right_on="id", how="inner")
            .join(impls, left_on="up", right_on="_impl", how="semi")
            .select("qid")
        )
    short_allowed = pl.concat(
        [
            members.lazy()
            .join(rust_self_in_impls.select("qid"), on="qid", how="anti")
            .select("qid"),
            bare.lazy().filter(pl.col("language").is_in(list(TYPE_MEMBERS_IN_SCOPE))).select("qid"),
            dotted_rows.join(outside, on="qid", how="anti").select("qid"),
        ]
    ).join(literal, on="qid", how="anti")
    # ... and `x.f()` on a value (not a module or namespace an import binds: rules 3 and 4)
    # calls a method of its type, never a top-level function; a Rust path `a::f()` may name one
    members_only = (pl.col("label") == "METHOD") & pl.col("text").str.ends_with(
        pl.concat_str([pl.lit("."), pl.col("name")])
    )
    # ... nor a type for a Go `x.T(...)`: a conversion to a type names its package (rules 3,
    # 4), a value's `v.T()` is a method call (`p.Question()` is Parser's, not `type Question`)
    go_value_type = (
        (pl.col("language") == "go") & (pl.col("label") == "TYPE_DECL") & (pl.col("_count") > 1)
    )
    # ... nor a name the language's builtin types have (`x.split()`, `fn.call()`: a receiver of
    # unknown type is as likely a str or a function as the one repository class with `split`);
    # nor a `super` call, whose base types ``_inherited_targets`` follows (unresolved otherwise)
    short = (
        live_rows.filter(~_super_call() & ~go_value_type)
        .select("qid", "language", "label", "name", _members_only=members_only)
        .join(short_allowed, on="qid", how="semi")
        .join(
            _BUILTIN_METHODS.lazy(), on=["language", "label", "name", "_members_only"], how="anti"
        )
        .join(
            lookups.unique_short.lazy(),
            on=["language", "label", "name", "_members_only"],
            how="inner",
        )
        .select("qid", pl.col("_short").alias("id"))
    )
    (result,) = collected(
        pl.concat([found.with_columns(guess=pl.lit(False)), short.with_columns(guess=pl.lit(True))])
        .unique(subset="qid", keep="first", maintain_order=True)
        .select("qid", pl.col("id").alias("target"), "guess")
    )
    return result


@dataclass(frozen=True)
class _Graph:
    """The frames both nodes start from."""

    analysed: pl.DataFrame  # analysed files with module, file_id, ns_id
    labelled: pl.DataFrame  # symbols that are nodes, with label, id, unit, up
    namespaces: pl.DataFrame  # language, module -> namespace
    imports: pl.DataFrame  # imports with resolved_module and imported
    import_ids: pl.Series  # the IMPORT node id of each ``imports`` row (hashed once per node)
    crate_files: pl.DataFrame  # path, _package: Rust files and their package (``_rust_crates``)
    crate_heads: (
        pl.DataFrame
    )  # _package, head, root: the crates a package names (root null: outside)
    values: pl.DataFrame  # language, path, qualified_name: the symbols that are values

    @functools.cached_property
    def import_owners(self) -> pl.Series:
        """The symbol id enclosing each ``imports`` row (null: the file's top level, also where
        the enclosing symbol is no node), found as a call's enclosing symbol is: the symbol
        whose scope the import binds its names in (the edges only ask, once)."""
        return _enclosing(self.imports, self.labelled, qname="enclosing", line="line", out="scope")[
            "scope"
        ]

    @functools.cached_property
    def outside(self) -> pl.DataFrame:
        """The import bindings of modules outside the repository (``_outside_bindings``), with
        ``_outside`` (true)."""
        # (the last ones again for equal imports and module names: ``_LAST_OUTSIDE``)
        modules = self.namespaces.select("language", "module")
        return _LAST_OUTSIDE.get(
            (self.imports, modules),
            lambda: _outside_bindings(self.imports, _inside_modules(modules)).with_columns(
                _outside=pl.lit(True)
            ),
        )

    @functools.cached_property
    def import_rows(self) -> pl.DataFrame:
        return _import_rows(self)

    @functools.cached_property
    def scope(self) -> _Scope:
        """The lookup frames of name resolution (``_scope``), made once per graph: the graph of
        a rebuild whose symbol side is as it was is the last one (``_graph``), its scope too."""
        return _scope(self)


# The last ``_Graph.outside`` of this process, by the named imports and the module names it is
# made from: a symbol edit that adds no module (a new top-level function) leaves both as they
# were (~4 ms of a tokio rebuild, most of it the modules' prefixes in Python).
_LAST_OUTSIDE: _LastMade[pl.DataFrame] = _LastMade()


# The last ``_graph`` of this process: ``cpg_nodes`` and ``cpg_edges`` of one build start from
# the same graph (~0.02 s of tokio's, half of it the imports' module resolution), made once
# when both run in one process; and an edit within lines of a function body (a call's
# arguments, a renamed callee) leaves every frame it is made from as it was: the file list's
# columns it reads (``_GRAPH_FILE_COLUMNS``; not a file's size or sha256), the symbols and
# imports.
_LAST_GRAPH: _LastMade[_Graph] = _LastMade()
# The columns of ``files`` the graph reads: the analysed files (status, language), their paths
# and their line counts (the FILE and NAMESPACE nodes' spans).
_GRAPH_FILE_COLUMNS = ("path", "language", "lines", "status")


def _graph(
    files: pl.DataFrame,
    symbols: pl.DataFrame,
    imports: pl.DataFrame,
    go_modules: pl.DataFrame,
    rust_crates: pl.DataFrame,
) -> _Graph:
    """The frames both node tables start from; the last one again when the frames are equal
    to its own (``_LastMade``), of ``files`` the columns it reads."""
    frames = (files.select(_GRAPH_FILE_COLUMNS), symbols, imports, go_modules, rust_crates)
    return _LAST_GRAPH.get(frames, lambda: _built_graph(*frames))


# The last ``_ModuleResolver`` of this process: an edit of a file's content leaves what it reads
# as it was (the files' modules, the module names, go.mod and Cargo.toml rows), and it keeps its
# answers (``imports_with_names``: ~12 ms of a tokio rebuild in Python, per import key). Those
# answers are filled after ``get`` has returned it, safely only because its one caller,
# ``_built_graph``, runs under ``_LAST_GRAPH``'s lock (one thread at a time).
_LAST_RESOLVER: _LastMade[_ModuleResolver] = _LastMade()


def _module_resolver(
    analysed: pl.DataFrame,
    namespaces: pl.DataFrame,
    go_modules: pl.DataFrame,
    rust_crates: pl.DataFrame,
) -> _ModuleResolver:
    """The ``_ModuleResolver`` of these frames (made from the columns it reads alone, so equal
    columns make an equal resolver): the last one again when they are equal to its own."""
    read = (
        analysed.select("path", "language", "module"),
        namespaces.select("language", "module"),
        go_modules,
        rust_crates,
    )
    return _LAST_RESOLVER.get(read, lambda: _ModuleResolver(*read))


def _inline_modules(labelled: pl.LazyFrame) -> pl.LazyFrame:
    """(language, path, enclosing, _home): the Rust ``mod m { }`` blocks of the ``labelled``
    symbols (``enclosing`` and ``_home``: m's qualified name), where an import may be written
    (``_ModuleResolver.imports_with_names``)."""
    return labelled.filter(
        pl.col("language").is_in(sorted(PUB_USE_LANGUAGES)) & (pl.col("kind") == "module")
    ).select("language", "path", enclosing="qualified_name", _home="qualified_name")


# The last named imports of this process and their IMPORT node ids (``_built_graph``), by the
# resolver (the object: the last one again when what it reads is, ``_module_resolver``), the
# imports and the inline modules they are read with: a symbol edit that adds or renames no `mod
# m { }` block (a new top-level function) names the imports as they were (~8 ms of a tokio
# rebuild, polars and the crate paths in Python). Runs under ``_LAST_GRAPH``'s lock.
_LAST_NAMED_IMPORTS: _LastMade[tuple[pl.DataFrame, pl.Series]] = _LastMade()


def _built_graph(
    files: pl.DataFrame,
    symbols: pl.DataFrame,
    imports: pl.DataFrame,
    go_modules: pl.DataFrame,
    rust_crates: pl.DataFrame,
) -> _Graph:
    analysed = _analysed_files(files)
    labelled = _labelled_symbols(symbols)
    namespaces = _namespaces_by_module(analysed, labelled)
    resolver = _module_resolver(analysed, namespaces, go_modules, rust_crates)
    # (the inline modules and the values in one query: ``collected``)
    inline_modules, values = collected(
        _inline_modules(labelled.lazy()),
        symbols.lazy()
        .filter(pl.col("kind").is_in(sorted(VALUE_KINDS)))
        .select("language", "path", "qualified_name")
        .unique()
        .sort("language", "path", "qualified_name"),
    )

    def named() -> tuple[pl.DataFrame, pl.Series]:
        with_names = resolver.imports_with_names(imports, inline_modules)
        return with_names, import_node_ids(with_names)

    named_imports, import_ids = _LAST_NAMED_IMPORTS.get(
        (imports, inline_modules), named, same=(resolver,)
    )
    return _Graph(
        analysed=analysed,
        labelled=labelled,
        namespaces=namespaces,
        imports=named_imports,
        import_ids=import_ids,
        crate_files=resolver.crate_files,
        crate_heads=resolver.crate_heads,
        values=values,
    )


# The tables of the last ``_Lookups`` of this process, by its scope (the object: a rebuild's scope
# is the last one's when its symbol side is as it was, ``_Graph.scope``) and its owners: an edit
# within lines of a function body that adds no function leaves both as they were (~30 ms of a
# tokio rebuild, the whole repository's symbols).
_LAST_LOOKUPS: _LastMade[dict[str, Any]] = _LastMade()


def _scope(graph: _Graph) -> _Scope:
    """The lookup frames of name resolution: symbols with units and enclosing symbols, files'
    modules, and what each file's imports bind."""
    symbols = _enclosing(
        graph.labelled.with_columns(unit=_unit()),
        graph.labelled,
        qname="parent",
        line="start_line",
        out="up",
    )
    # (the files' modules, the module names and the symbols' parents in one query:
    # ``collected``)
    files, modules, up = collected(
        graph.analysed.lazy().select("path", "module"),
        graph.namespaces.lazy().select("language", "module"),
        symbols.lazy().filter(pl.col("up").is_not_null()).select("id", "up"),
    )
    owners = graph.import_owners.to_frame()
    imports = _LAST_IMPORT_SCOPE.get(
        (graph.imports, owners, files),
        lambda: _import_scope(graph.imports, owners.to_series(), files=files),
    )
    return _Scope(
        symbols=symbols,
        values=graph.values,
        files=files,
        bindings=imports.bindings,
        globs=imports.globs,
        bound_names=imports.bound_names,
        up=up,
        modules=modules,
        reexports=imports.reexports,
        reexport_globs=imports.reexport_globs,
        own_exports=imports.own_exports,
        imported=imports.imported,
        crate_files=graph.crate_files,
        crate_heads=graph.crate_heads,
    )


@dataclass(frozen=True)
class _ImportScope:
    """The frames of a ``_Scope`` made of the imports alone (``_import_scope``; each described
    at the ``_Scope`` field of its name)."""

    bindings: pl.DataFrame
    globs: pl.DataFrame
    bound_names: pl.DataFrame
    reexports: pl.DataFrame
    reexport_globs: pl.DataFrame
    own_exports: pl.DataFrame
    imported: pl.DataFrame


# The import side of the last ``_scope`` of this process, by the frames it is made from (the named
# imports, the symbol enclosing each, the files' modules): a symbol edit that adds
# no symbol around an import (a new top-level function) leaves them as they were (~7 ms of a
# tokio rebuild, a dozen polars queries over every import).
_LAST_IMPORT_SCOPE: _LastMade[_ImportScope] = _LastMade()


def _import_scope(imports: pl.DataFrame, owners: pl.Series, *, files: pl.DataFrame) -> _ImportScope:
    """What the ``imports`` (``_Graph.imports``) bind and re-export, each enclosed by its
    ``owners`` row (``_Graph.import_owners``), in the ``files`` (path, module) of the
    repository."""
    language = pl.col("language")
    # (the frames in three queries: ``collected``)
    scoped = imports.lazy().with_columns(scope=owners.fill_null(_TOP))
    (rows,) = collected(
        scoped.with_row_index("order").with_columns(
            pl.col("order").cast(pl.Int64),
            # what the module exposes to importers (rule 3's re-exports, see ``_reexports``)
            _exposed=(
                language.is_in(sorted(NAMESPACE_IMPORT_LANGUAGES)) & pl.col("enclosing").is_null()
            )
            | (
                language.is_in(sorted(EXPORT_LANGUAGES))
                & pl.col("exported")
                & pl.col("module").is_not_null()
            )
            # a `use` of a module (the file's, a `mod m { }` block's), not of a function body: a
            # `pub use` for every importer and every glob, a plain one for a path naming it only
            # (a `use` is an item, visible where the module's private items are: code that
            # compiles names a private one through a path from a descendant only, `use
            # crate::task::RawTask` in `task::abort` with `use self::raw::RawTask` in `task`;
            # a glob carries none, ``_reexports``' ``_public``)
            | (
                language.is_in(sorted(PUB_USE_LANGUAGES))
                & (pl.col("enclosing").is_null() | pl.col("_home").is_not_null())
            ),
            # an `export` statement binds nothing in the file itself (ECMAScript); a `pub use` does
            _binds=~(pl.col("exported") & language.is_in(sorted(EXPORT_LANGUAGES))),
            # a class expression's own name: its methods see it (``_Lookups``)
            _own_name=_own_name_rows(),
        )
    )
    all_globs, all_bindings = _import_bindings(rows)
    lazy_bindings = all_bindings.lazy().filter("_binds")
    globs, bindings, exposed_bindings, exposed_globs, local, exported = collected(
        all_globs.lazy().filter("_binds"),
        lazy_bindings,
        all_bindings.lazy().filter("_exposed"),
        all_globs.lazy().filter("_exposed"),
        # `export {x}` names the file's top-level x
        lazy_bindings.filter(pl.col("scope") == _TOP),
        rows.lazy().filter(
            (language == "javascript")
            & pl.col("exported")
            & pl.col("module").is_null()
            & pl.col("alias").ne_missing(EXPORT_EQUALS)
        ),
    )
    reexports, reexport_globs = _reexports(
        rows, exposed_bindings, exposed_globs, local=local, files=files
    )
    lazy_exported = exported.lazy()
    own_exports = (
        # (no such export: the columns alone, no join)
        lazy_exported.select("language", name="name", target="name")
        if exported.is_empty()
        else lazy_exported.join(
            files.lazy().select("path", _file_module="module"), on="path", how="inner"
        )
        .select(
            "language",
            name=pl.concat_str([pl.col("_file_module"), pl.lit("."), pl.coalesce("alias", "name")]),
            target=pl.concat_str([pl.col("_file_module"), pl.lit("."), pl.col("name")]),
        )
        .unique()
        .sort("language", "name", "target")
    )
    (
        bound_names,
        own_export_rows,
        binding_rows,
        glob_rows,
        imported,
    ) = collected(
        pl.concat(
            [
                bindings.lazy().select("path", name=pl.col("bound")),
                globs.lazy().select("path", name=pl.lit("*")),
            ]
        ).unique(),
        own_exports,
        bindings.lazy().select("path", "bound", "target", "order", "scope", "_own_name"),
        globs.lazy().select("path", "module", "order", "scope"),
        imports.lazy().select("language", target=pl.col("imported")).unique(),
    )
    return _ImportScope(
        bindings=binding_rows,
        globs=glob_rows,
        bound_names=bound_names,
        reexports=reexports,
        reexport_globs=reexport_globs,
        own_exports=own_export_rows,
        imported=imported,
    )


def _import_bindings(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """What import ``rows`` (imports with ``order``, ``scope``, ``_exposed`` and ``_binds``)
    bind: globs (language, path, module, order, scope, exported, _exposed, _binds): the modules
    whose names they bring into scope, and bindings (language, path, bound, target, order,
    scope, exported, _exposed, _binds): each bound name and the qualified name it stands for."""
    module = pl.col("resolved_module")
    # A glob brings a module's names into scope (`from m import *`, `use m::*`); a named one
    # (`import * as ns from "m"`, `const ns = require("m")`) binds its alias to the module.
    star = pl.col("name") == "*"
    named_star = star & _truthy(pl.col("alias"))
    # (both in one query: ``collected``)
    lazy_rows = rows.lazy()
    globs = lazy_rows.filter(star & ~named_star & _truthy(module)).select(
        "language",
        "path",
        module.alias("module"),
        "order",
        "scope",
        "exported",
        "_exposed",
        "_binds",
        "_home",
    )
    # `import a.b` (Python, no alias) binds `a` to `a`; otherwise the alias or the last segment
    # is bound to what the row imports.
    plain = (
        (pl.col("language") == "python") & pl.col("module").is_null() & pl.col("alias").is_null()
    )
    bindings = (
        lazy_rows.filter(~star | named_star)
        .with_columns(
            bound=pl.when(plain)
            .then(pl.col("name").str.split(".").list.first())
            .when(_truthy(pl.col("alias")))
            .then(pl.col("alias"))
            .otherwise(_segments(pl.col("name")).list.last())
        )
        .with_columns(target=pl.when(plain).then(pl.col("bound")).otherwise(pl.col("imported")))
        .filter(pl.col("bound").is_not_null())
        .select(
            "language",
            "path",
            "bound",
            "target",
            "order",
            "scope",
            "exported",
            "_exposed",
            "_binds",
            "_home",
            "_own_name",
        )
    )
    found_globs, found_bindings = collected(globs, bindings)
    return found_globs, found_bindings


def _reexports(
    rows: pl.DataFrame,
    bindings: pl.DataFrame,
    globs: pl.DataFrame,
    *,
    local: pl.DataFrame,
    files: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The names modules expose through their own imports (rule 3's re-exports): (language,
    alias, name, target, order), the module's ``alias`` (its module + ``name``) standing for
    the qualified name ``target``, and (language, module, glob, order), a glob re-export of the
    module ``glob``. Python: every module-level import (``from .m import f`` in
    ``pkg/__init__.py``: ``pkg.f`` -> ``pkg.m.f``); JavaScript/TypeScript: ``export ... from``
    rows, and ``export {x as y}`` of the file's own binding ``x`` (an import: its target; else
    the file's own ``x``). ``rows``: imports with ``order``; ``bindings``, ``globs``: what the
    exposed rows bind (``_import_bindings``); ``local``: the bindings of the files' own scopes.
    Rust: the ``use`` rows of a file's module or of a ``mod m { }`` block in it (``_home``, the
    module m): a ``pub use`` (any ``pub(...)``: ``exported``) a ``_public`` one, which a glob
    carries too, a plain one for a path naming it only (``_Lookups._rewrites``); a glob re-export
    of a ``pub use`` only. Names are joined by each language's separator."""
    sep = _separator()
    # (the rest in one query: ``collected``)
    lazy_files = files.lazy()
    # `export {x as y}`: y stands for what x is in the file (its first import binding of x)
    (exports,) = collected(
        rows.lazy().filter(
            pl.col("language").is_in(sorted(EXPORT_LANGUAGES))
            & pl.col("exported")
            & pl.col("module").is_null()
        )
    )
    own = (
        # (none: the columns alone, no join)
        exports.lazy().select(
            "language",
            "path",
            bound="name",
            target="name",
            order="order",
            _home=pl.lit(None, pl.String),
            exported=pl.lit(True),
        )
        if exports.is_empty()
        else exports.lazy()
        .select(
            "language",
            "path",
            "name",
            bound=pl.coalesce(pl.col("alias"), pl.col("name")),
            order="order",
        )
        .join(
            local.lazy()
            .sort("order")
            .unique(subset=["path", "bound"], keep="first")
            .select("path", name=pl.col("bound"), _bound_to=pl.col("target")),
            on=["path", "name"],
            how="left",
        )
        .join(lazy_files, on="path", how="left")
        .select(
            "language",
            "path",
            "bound",
            target=pl.coalesce(
                pl.col("_bound_to"), pl.concat_str([pl.col("module"), sep, pl.col("name")])
            ),
            order="order",
            _home=pl.lit(None, pl.String),
            exported=pl.lit(True),
        )
    )
    # the module whose names they are: a Rust `mod m { }` block's, else the file's
    module = pl.coalesce("_home", "module")
    # a Rust plain `use` binds an item private to its module: followed for a path naming it
    # (code that compiles does so from the module or a descendant), never carried by a glob
    public = (pl.col("language") != "rust") | pl.col("exported").fill_null(False)
    named = (
        pl.concat([bindings.lazy().select(own.collect_schema().names()), own])
        .join(lazy_files, on="path", how="inner")
        .filter(_truthy(module))
        .select(
            "language",
            alias=pl.concat_str([module, sep, pl.col("bound")]),
            name="bound",
            target="target",
            order="order",
            _public=public,
        )
        .filter(pl.col("alias") != pl.col("target"))
    )
    glob_modules = (
        globs.lazy()
        .filter(public)
        .select("language", "path", "order", "_home", glob="module")
        .join(lazy_files, on="path", how="inner")
        .filter(_truthy(module) & (module != pl.col("glob")))
        .select("language", module.alias("module"), "glob", "order")
    )
    found_named, found_globs = collected(named, glob_modules)
    return found_named, found_globs


# The columns of ``_constructor_targets``
_CONSTRUCTOR_TARGETS_SCHEMA = {"declared": pl.String, "target": pl.String}


def _constructor_targets(
    declared: pl.Series, symbols: pl.DataFrame, lookups: _Lookups
) -> pl.DataFrame:
    """(declared, target): what a constructor call of each TYPE_DECL id targets: the type's
    constructor METHOD when it declares one, else the class/struct itself; a type that is no
    class/struct stands for the first class/struct of its qualified name (none: no row; a
    TypeScript interface a value of its name and path merges with: itself,
    ``TYPESCRIPT_CONSTRUCTED_KINDS``; an interface alone constructs nothing)."""
    types = symbols.filter(pl.col("label") == "TYPE_DECL").select(
        "id", "language", "kind", "qualified_name", "name", "path", "start_line"
    )
    wanted = types.join(
        pl.DataFrame({"id": declared.unique().drop_nulls()}, schema={"id": pl.String}),
        on="id",
        how="semi",
    )
    if wanted.is_empty():  # no call names a type: none of the queries below
        return pl.DataFrame(schema=_CONSTRUCTOR_TARGETS_SCHEMA)
    # Go: a call naming a type is a conversion to it, whatever the type (`Register(x)` of
    # `type Register uint16`, `Shape(x)` of an interface): the type itself
    constructible = (
        pl.col("kind").is_in(sorted(CONSTRUCTIBLE_KINDS))
        | (pl.col("language") == "go")
        | (pl.col("language") == "java") & pl.col("kind").is_in(sorted(JAVA_ANONYMOUS_KINDS))
    )
    as_built = ("id", "language", "qualified_name")
    built_as_itself = {"built": "id", "built_name": "name"}
    itself = wanted.filter(constructible).select(*as_built, **built_as_itself)
    # (none of a kind below: its columns alone, no join)
    unconstructible = wanted.filter(~constructible)
    others = (
        unconstructible.select(*as_built, **built_as_itself)
        if unconstructible.is_empty()
        else _first(
            unconstructible.select("id", "language", "qualified_name")
            .rename({"id": "qid"})
            .join(
                types.filter(constructible).select(
                    "language",
                    "qualified_name",
                    "path",
                    "start_line",
                    built="id",
                    built_name="name",
                ),
                on=["language", "qualified_name"],
                how="inner",
            ),
            by=["path", "start_line", "built"],
            descending=[False, False, False],
        ).select(pl.col("qid").alias("id"), "language", "qualified_name", "built", "built_name")
    )
    interfaces = wanted.filter(
        (pl.col("language") == "typescript")
        & pl.col("kind").is_in(sorted(TYPESCRIPT_CONSTRUCTED_KINDS))
    )
    merged = (
        interfaces
        if interfaces.is_empty()
        else interfaces.join(others, on="id", how="anti").join(
            lookups.scope.values, on=["language", "path", "qualified_name"], how="semi"
        )
    ).select(*as_built, **built_as_itself)
    built = pl.concat([itself, others, merged])
    named = pl.DataFrame(
        [
            (language, name)
            for language, names in sorted(CONSTRUCTOR_NAMES.items())
            if names is not None
            for name in names
        ],
        schema={"language": pl.String, "constructor": pl.String},
        orient="row",
    )
    own_named = sorted(language for language, names in CONSTRUCTOR_NAMES.items() if names is None)
    candidates = pl.concat(
        [
            built.join(named, on="language", how="inner").select(
                "id", "language", "qualified_name", "constructor"
            ),
            built.filter(pl.col("language").is_in(own_named)).select(
                "id", "language", "qualified_name", constructor=pl.col("built_name")
            ),
        ]
    ).with_row_index("order")
    constructors = lookups.first_exact(
        candidates.select(
            pl.col("id").alias("qid"),
            "language",
            target=_qualify(pl.col("qualified_name"), pl.col("constructor")),
            order=pl.col("order").cast(pl.Int64),
        ),
        labels=_METHOD,
        follow=False,
    )
    return built.join(
        constructors.rename({"qid": "id", "id": "constructor"}), on="id", how="left"
    ).select(
        pl.col("id").alias("declared"),
        pl.coalesce("constructor", "built").alias("target"),
    )


# --------------------------------------------------------------------------------------------
# Nodes.

_NODE_SCHEMA = polars_schema(schemas.CPG_NODES)
_EDGE_SCHEMA = polars_schema(schemas.CPG_EDGES)


def _node_frame(frame: pl.DataFrame, **columns: pl.Expr) -> pl.DataFrame:
    """``frame`` projected onto the CPG_NODES columns (each given as an expression)."""
    return frame.select(
        [columns[name].cast(dtype).alias(name) for name, dtype in _NODE_SCHEMA.items()]
    )


@resolve(
    when=ResolveAt.CONFIG_AVAILABLE,
    decorate_with=_inject_families("symbols", "imports", "calls"),
)
@tag(asset="cpg/nodes", layer="cpg", kind="table", artifact="cpg_nodes", task_cost="5")
@check_output_custom(*table_checks(schema=schemas.CPG_NODES, key=["id"]))
@schema.output(*arrow_fields(schemas.CPG_NODES))
def cpg_nodes(
    files: pl.DataFrame,
    go_modules: pl.DataFrame,
    rust_crates: pl.DataFrame,
    symbols_tables: list[pl.DataFrame],
    imports_tables: list[pl.DataFrame],
    calls_tables: list[pl.DataFrame],
) -> pl.DataFrame:
    """CPG nodes: FILE, NAMESPACE, TYPE_DECL, METHOD, CALL, IMPORT of every configured language."""
    symbols = _concat(symbols_tables, schemas.SYMBOLS)
    imports = _concat(imports_tables, schemas.IMPORTS)
    calls = _concat(calls_tables, schemas.CALLS)
    graph = _graph(files, symbols, imports, go_modules, rust_crates)
    file_frame = graph.analysed.with_columns(
        base_name=pl.col("path").str.split("/").list.last(),
        # an empty file spans no line
        first_line=pl.when(pl.col("lines") > 0).then(pl.lit(1, pl.Int64)),
        last_line=pl.when(pl.col("lines") > 0).then(pl.col("lines")),
    )
    no_text = pl.lit(None, pl.String)
    parts = [
        _node_frame(
            file_frame,
            id=pl.col("file_id"),
            label=pl.lit("FILE"),
            subkind=no_text,
            language=pl.col("language"),
            name=pl.col("base_name"),
            qualified_name=pl.col("path"),
            path=pl.col("path"),
            start_line=pl.col("first_line"),
            end_line=pl.col("last_line"),
        ),
        _node_frame(
            file_frame,
            id=pl.col("ns_id"),
            label=pl.lit("NAMESPACE"),
            subkind=pl.lit("file"),
            language=pl.col("language"),
            name=pl.when(pl.col("module") != "")
            .then(pl.col("module"))
            .otherwise(pl.col("base_name")),
            qualified_name=pl.col("module"),
            path=pl.col("path"),
            start_line=pl.col("first_line"),
            end_line=pl.col("last_line"),
        ),
        _node_frame(
            graph.labelled,
            id=pl.col("id"),
            label=pl.col("label"),
            subkind=pl.col("kind"),
            language=pl.col("language"),
            name=pl.col("name"),
            qualified_name=pl.col("qualified_name"),
            path=pl.col("path"),
            start_line=pl.col("start_line"),
            end_line=pl.col("end_line"),
        ),
        _node_frame(
            calls.with_columns(id=call_node_ids(calls)),
            id=pl.col("id"),
            label=pl.lit("CALL"),
            subkind=no_text,
            language=pl.col("language"),
            name=pl.col("callee_name"),
            qualified_name=pl.col("callee"),
            path=pl.col("path"),
            start_line=pl.col("line"),
            end_line=pl.col("line"),
        ),
        _node_frame(
            graph.imports.with_columns(id=graph.import_ids).filter(~_own_name_rows()),
            id=pl.col("id"),
            label=pl.lit("IMPORT"),
            subkind=no_text,
            language=pl.col("language"),
            name=pl.when(pl.col("alias") != "").then(pl.col("alias")).otherwise(pl.col("name")),
            qualified_name=pl.col("imported"),
            path=pl.col("path"),
            start_line=pl.col("line"),
            end_line=pl.col("line"),
        ),
    ]
    # Repeated family rows have their own ids (their ordinal), so nothing is collapsed here.
    return _LAST_NODES.finished(parts)


class _LastNodes(_LastMade[pl.DataFrame]):
    """The last run's CPG nodes and the parts they were made of (``cpg_nodes``): a per-process
    memo keyed by content, one entry. A one-file rebuild gives the parts of the last run again
    with a few rows changed (tokio's 43,000 nodes: the edited file's FILE, NAMESPACE and symbol
    rows, its CALL rows when calls moved): the last nodes with those rows taken out and put in
    at their places (``_spliced_nodes``) instead of a sort of every row (~5 ms). (A
    ``_LastMade`` for ``memos.forget_all``.)"""

    def __init__(self) -> None:
        super().__init__()
        # the last parts, their nodes, and whether those nodes' ids are known to ascend
        # strictly (a splice's are; a sort's are checked when a splice needs it)
        self._nodes: tuple[list[pl.DataFrame], pl.DataFrame, bool | None] | None = None
        # how the nodes were made in this process ("same", "spliced", "sorted"): what tests
        # read to show that a splice was taken
        self.made: Counter[str] = Counter()

    def forget(self) -> None:
        with self._lock:
            self._nodes = None

    def finished(self, parts: Sequence[pl.DataFrame]) -> pl.DataFrame:
        """The rows of ``parts`` as ``finish_table`` makes them of their concatenation: sorted
        by id, stably, on one thread (its ``multithreaded``)."""
        frame = pl.concat(parts, how="vertical")
        with self._lock:
            nodes, last, ascending = None, None, None
            # (a column flagged as sorted: polars returns a frame sorted by it as it is, its
            # chunks too, and a sort keeps other columns' flags: sorted, as before)
            if self._nodes is not None and not any(
                any(flags.values()) for flags in frame.flags.values()
            ):
                last_parts, last, ascending = self._nodes
                if ascending is None:
                    ids = last.get_column("id")
                    ascending = not ids.null_count() and bool(
                        (ids.slice(1) > ids.slice(0, max(last.height - 1, 0))).all()
                    )
                if ascending:
                    nodes = _spliced_nodes(last_parts, last, parts)
            if nodes is None:
                nodes = finish_table(
                    frame,
                    table_schema=schemas.CPG_NODES,
                    sort_key="cpg_nodes",
                    multithreaded=False,
                )
                ascending = None
                self.made["sorted"] += 1
            else:
                self.made["same" if nodes is last else "spliced"] += 1
            self._nodes = (list(parts), nodes, ascending)
            return nodes


def _spliced_nodes(
    last_parts: Sequence[pl.DataFrame], last: pl.DataFrame, parts: Sequence[pl.DataFrame]
) -> pl.DataFrame | None:
    """The CPG nodes of ``parts`` made from ``last`` (whose ids ascend strictly), those of
    ``last_parts``: ``last`` itself when the parts are the last ones, else ``last`` with the
    rows of the parts that differ taken out (the rows between those both begin and end with:
    ``_differing_middles``) and put in at their places by id. None when that is not cheaper
    than a sort (other schemas, another number of parts, many rows changed) or cannot be shown
    exact: the rows are the parts' and sorted by id, so where the ids are distinct (checked
    beside each row put in: the last rows ascend strictly) they are the one order a sort
    gives."""
    middles = _changed_middles(last_parts, last, parts)
    if middles is None:
        return None
    if not middles:
        return last
    gone = Counter(row for old, _ in middles for row in old.iter_rows())
    came = Counter(row for _, new in middles for row in new.iter_rows())
    gone, came = gone - came, came - gone  # (a row both lose and gain stays where it is)
    ids = last.get_column("id")
    key = last.columns.index("id")
    removed: set[int] = set()
    if gone:
        taken = list(gone.elements())
        wanted = pl.Series([row[key] for row in taken], dtype=pl.String)
        for row, position in zip(taken, ids.search_sorted(wanted, side="left"), strict=True):
            if position >= last.height or last.row(position) != row or position in removed:
                return None  # (not in the last nodes, or twice: not those of the last parts)
            removed.add(position)
    added = sorted(came.elements(), key=lambda row: row[key])
    inserted: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    if added:
        wanted = pl.Series([row[key] for row in added], dtype=pl.String)
        for row, position in zip(added, ids.search_sorted(wanted, side="left"), strict=True):
            inserted[position].append(row)
    pieces, start, height = [], 0, 0
    put_in: list[int] = []  # (the rows put in: where they are in the nodes)
    for position in sorted(removed | set(inserted)):
        pieces.append(last.slice(start, position - start))
        height += position - start
        if position in inserted:
            rows = inserted[position]
            pieces.append(pl.DataFrame(rows, schema=last.schema, orient="row"))
            put_in.extend(range(height, height + len(rows)))
            height += len(rows)
        start = position + 1 if position in removed else position
    pieces.append(last.slice(start))
    # One chunk, as a sort returns it: the Parquet bytes depend on the chunk layout.
    nodes = pl.concat(pieces).rechunk()
    spliced = nodes.get_column("id")
    # (rows of ``last`` next to each other now ascend strictly as they did there)
    pairs = sorted(
        {(row - 1, row) for row in put_in if row > 0}
        | {(row, row + 1) for row in put_in if row + 1 < nodes.height}
    )
    if pairs and (
        spliced.null_count()
        or not (
            spliced.gather([before for before, _ in pairs])
            < spliced.gather([after for _, after in pairs])
        ).all()
    ):
        return None  # (ids not distinct: a sort keeps the parts' order of a repeated id)
    if any(any(flags.values()) for name, flags in nodes.flags.items() if name != "id"):
        # (a one-row slice is flagged as sorted, a column of a sort's rows is not, when the
        # parts' were not: the flags as a sort gives them)
        return None
    return nodes.with_columns(spliced.set_sorted())


_LAST_NODES = _LastNodes()


# --------------------------------------------------------------------------------------------
# Edges.


@functools.lru_cache(maxsize=1 << 16)
def _base_type_text(parent: str) -> str:
    return _GENERIC_START.split(parent, maxsplit=1)[0].strip()


def _edge_frame(
    frame: pl.DataFrame, *, src: str, dst: str, label: str, unresolved: str | None = None
) -> pl.DataFrame:
    """Edges ``src`` -> ``dst`` of ``label``; a null ``dst`` is ``unresolved:<unresolved>``
    (or no edge when ``unresolved`` is None)."""
    # (a filter only where a column has nulls: ``null_count`` reads no row)
    if unresolved is None:
        if frame.get_column(dst).null_count():
            frame = frame.filter(pl.col(dst).is_not_null())
        target = pl.col(dst)
    else:
        target = pl.coalesce(pl.col(dst), pl.lit(UNRESOLVED_PREFIX) + pl.col(unresolved))
    if frame.get_column(src).null_count():
        frame = frame.filter(pl.col(src).is_not_null())
    return frame.select(
        pl.col(src).alias("src"),
        target.alias("dst"),
        pl.lit(label).alias("label"),
        pl.col(dst).is_not_null().alias("resolved"),
    )


def _resolve_targets(
    call_rows: pl.DataFrame,
    children: pl.DataFrame,
    receiver_types: pl.DataFrame,
    returned_calls: pl.DataFrame,
    *,
    lookups: _Lookups,
    base_targets: pl.Series | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Call, base-type, receiver-type and returned-call targets, resolved in one pass over the
    distinct queries. ``base_targets``: the children's targets when they are known (the
    store's, ``_calls_spliced``): their base types are not resolved again.

    Returns ``call_rows`` with ``method`` (the METHOD the callee names), ``method_guess``
    (found by rule 5 only) and ``declared`` (the TYPE_DECL it names, for constructor calls),
    ``children`` with ``target`` (the TYPE_DECL its base names), ``receiver_types``
    (``_receiver_type_queries``) with ``target`` (the TYPE_DECL its text names, found as a base
    type is) and ``guess`` (by rule 5), and ``returned_calls`` (``_returned_call_queries``)
    with ``target`` and ``guess`` (the METHOD its callee names, found as a call's is). The
    frames must have ``owner`` filled with ``_TOP`` at the top level; ``call_rows`` and
    ``returned_calls`` also have ``this_owner`` (see ``_resolve_queries``).
    """
    keys = ["language", "path", "owner", "this_owner", "text", "name", "label"]
    queried = children if base_targets is None else children.clear()
    methods_from = call_rows.height + queried.height + receiver_types.height
    # Rust: `Self(..)` in an inherent impl named as a struct its module declares constructs
    # that tuple struct, the name its module binds (elsewhere: unresolved, as `Self` is). Not
    # in a trait impl: its type may be written as a path to another module's struct of that
    # name (`impl From<u8> for crate::b::Id`), which the impl's name no longer tells
    # (the frames in four queries: ``collected``)
    trait_impls = (
        children.lazy()
        .filter((pl.col("language") == "rust") & (pl.col("relation") == "impl"))
        .select(type_id="child_id")
    )
    self_types = (
        lookups.owner_type_ids.lazy()
        .join(trait_impls, on="type_id", how="anti")
        .join(lookups.owner_types.lazy(), on="owner")
        .filter(pl.col("parent").is_in(lookups.rust_types.to_list()))
        .select("owner", _self_type="parent")
    )
    is_rust_self = (pl.col("language") == "rust") & (pl.col("callee") == "Self")
    own_type = (
        pl.when(is_rust_self)
        .then(pl.coalesce(_segments(pl.col("_self_type")).list.last(), pl.col("callee")))
        .otherwise("callee")
    )
    calls_texts = (
        call_rows.lazy()
        .select("language", "path", "owner", "this_owner", "callee", "callee_name")
        .join(self_types, on="owner", how="left", maintain_order="left")
        .select(
            "language",
            "path",
            "owner",
            "this_owner",
            text=own_type,
            name=pl.when(is_rust_self).then(own_type).otherwise("callee_name"),
        )
    )
    (text_rows,) = collected(
        pl.concat(
            [
                calls_texts.with_row_index("_key"),
                queried.lazy()
                .select(
                    "language",
                    "path",
                    "owner",
                    this_owner=pl.lit(None, pl.String),
                    text=pl.col("base"),
                    name=pl.col("base_name"),
                )
                .with_row_index("_key", offset=call_rows.height),
                receiver_types.lazy()
                .select(
                    "language",
                    "path",
                    "owner",
                    this_owner=pl.lit(None, pl.String),
                    text="text",
                    name="name",
                )
                .with_row_index("_key", offset=call_rows.height + queried.height),
                returned_calls.lazy()
                .select("language", "path", "owner", "this_owner", "text", "name")
                .with_row_index("_key", offset=methods_from),
            ]
        )
    )
    texts = _with_segments(text_rows)
    # Repeated queries (the same callee text in the same scope) are resolved once.
    (live,) = collected(
        _live_queries(
            texts, calls=call_rows.height, lookups=lookups, methods_from=methods_from
        ).with_columns(qid=pl.col("_row").min().over(keys).cast(pl.Int64))
    )
    resolved = _resolve_queries(
        live.lazy().filter(pl.col("_row") == pl.col("qid")), lookups=lookups
    )
    (answers,) = collected(
        pl.DataFrame(
            {
                "_row": pl.int_range(
                    call_rows.height + methods_from + returned_calls.height, eager=True
                )
            }
        )
        .lazy()
        .with_columns(pl.col("_row").cast(live.schema["_row"]))
        .join(
            live.lazy()
            .select("_row", "qid")
            .join(resolved.lazy(), on="qid", how="inner")
            .select("_row", "target", "guess"),
            on="_row",
            how="left",
            maintain_order="left",
        )
        .with_columns(pl.col("guess").fill_null(False))
    )
    targets = answers["target"]
    guesses = answers["guess"]
    calls = call_rows.height
    receivers_at = 2 * calls + queried.height
    returned_at = calls + methods_from
    found_calls, found_children, found_receivers, found_returned = collected(
        call_rows.lazy().with_columns(
            method=targets.slice(0, calls),
            method_guess=guesses.slice(0, calls),
            declared=targets.slice(calls, calls),
            # set by rule 4a: a member of a declared type left unresolved (``_declared_targets``)
            method_outside=pl.lit(False),
            # ... of a Rust value of a primitive type or a prelude trait (``_declared_targets``)
            method_generic=pl.lit(False),
        ),
        children.lazy().with_columns(
            target=targets.slice(2 * calls, children.height)
            if base_targets is None
            else base_targets
        ),
        receiver_types.lazy().with_columns(
            target=targets.slice(receivers_at, receiver_types.height),
            guess=guesses.slice(receivers_at, receiver_types.height),
        ),
        returned_calls.lazy().with_columns(
            target=targets.slice(returned_at), guess=guesses.slice(returned_at)
        ),
    )
    return found_calls, found_children, found_receivers, found_returned


_MAX_BASES = 64  # bases followed from one type, and types deep, at most (a cycle stops earlier)


def _top_level_types(symbols: pl.DataFrame) -> dict[str, str]:
    """Each TYPE_DECL of ``symbols`` (with ``up``, the node enclosing each symbol) -> the
    outermost TYPE_DECL around it, itself at the top (a nested, local or anonymous class's
    top-level class, through the methods between them)."""
    up: dict[str, str | None] = dict(symbols.select("id", "up").iter_rows())
    types = set(symbols.filter(pl.col("label") == "TYPE_DECL")["id"].to_list())
    top: dict[str, str] = {}
    for start in sorted(types):
        outermost = node = start
        seen = 0
        while node is not None and seen <= len(up):
            if node in top:
                outermost = top[node]
                break
            if node in types:
                outermost = node
            node = up.get(node)
            seen += 1
        top[start] = outermost
    return top


def _outer_types(symbols: pl.DataFrame) -> dict[str, str]:
    """Each TYPE_DECL of ``symbols`` (with ``up``) inside another -> the nearest TYPE_DECL
    around it (through the methods between them: a local or anonymous class's)."""
    up: dict[str, str | None] = dict(symbols.select("id", "up").iter_rows())
    types = set(symbols.filter(pl.col("label") == "TYPE_DECL")["id"].to_list())
    outer: dict[str, str] = {}
    for start in types:
        node = up.get(start)
        for _ in range(_MAX_CHAIN):
            if node is None or node in types:
                break
            node = up.get(node)
        if node is not None and node in types:
            outer[start] = node
    return outer


# The columns of ``_package_methods``
_PACKAGE_METHODS_SCHEMA = {
    **dict.fromkeys(["language", "up", "name", "id"], pl.String),
    "_static": pl.Boolean,
}


def _package_methods(symbols: pl.DataFrame) -> pl.DataFrame:
    """``_BaseWalk``'s (language, up, name, id, _static) rows of the ``EMBEDDING_LANGUAGES``
    methods: each method under every type of its parent's qualified name (a Go method may be
    written in any file of its type's package; a type with one definition per build, ``type
    icmpFilter struct`` in each zsys_linux_<arch>.go, has them all). Several methods of one
    name for one type are one definition per build (Go allows one per type): ordered so that
    the walk, which keeps the last row, keeps the first by path and in it the last by line.
    That is ``_members_of``'s order only where its keys that need a caller tie (the caller's
    own file first, then a definition of a build that includes the caller's file): a walk
    from a type has no caller, so it does not rank by file or build."""
    embedding = pl.col("language").is_in(sorted(EMBEDDING_LANGUAGES))
    types = symbols.filter(embedding & (pl.col("label") == "TYPE_DECL")).select(
        "language", pl.col("qualified_name").alias("parent"), pl.col("id").alias("up")
    )
    if types.is_empty():  # (no Go type: none of the queries below)
        return pl.DataFrame(schema=_PACKAGE_METHODS_SCHEMA)
    return (
        symbols.filter(embedding & (pl.col("label") == "METHOD") & pl.col("parent").is_not_null())
        .select("language", "parent", "name", "id", "path", "start_line")
        .join(types, on=["language", "parent"], how="inner")
        .sort(
            "up", "name", "path", "start_line", "id", descending=[False, False, True, False, False]
        )
        .select("language", "up", "name", "id", _static=pl.lit(False))
    )


@dataclass(frozen=True)
class _WalkedSymbols:
    """What ``_BaseWalk`` reads of the symbols (``_walked_symbols``), each frame only the rows
    and columns it reads: a symbol edit that changes none of them (a new top-level function,
    a renamed one) makes an equal walk."""

    # language, up, name, id, _static: every member method, by (up, name, start_line, id)
    methods: pl.DataFrame
    arity_methods: pl.DataFrame  # up, name, parameters, variadic (``ARITY_LANGUAGES``)
    # id, up, label, kind, name, modifiers: every symbol of the ``PRIVATE_LANGUAGES`` (Java),
    # whose private methods, interfaces' static methods and top-level types the walk indexes
    java_symbols: pl.DataFrame
    package_methods: pl.DataFrame  # ``_package_methods``
    rust_types: pl.DataFrame  # id, name, kind: the Rust TYPE_DECLs (``_RustTraits``)


def _walked_symbols(symbols: pl.DataFrame) -> _WalkedSymbols:
    """The rows of ``symbols`` that ``_BaseWalk`` reads. (One query, ``collected``, and
    ``_package_methods``' own.)"""
    lazy_symbols = symbols.lazy()
    methods = (pl.col("label") == "METHOD") & pl.col("up").is_not_null()
    defined, arity_methods, java_symbols, rust_types = collected(
        # (type id, name) -> the method of that name the type itself defines (None:
        # ambiguous); ``instance_methods``: those a value of the type has,
        # ``static_methods`` those the class itself has (a JavaScript/TypeScript `static`
        # method is the class's: `this.f()` and `super.f()` in a static method reach it, a
        # value and an instance method's `this` do not; ES2015 class semantics): made by
        # ``_BaseWalk``
        lazy_symbols.filter(methods)
        .sort("up", "name", "start_line", "id")
        .select("language", "up", "name", "id", _static=_is_static()),
        lazy_symbols.filter(methods & pl.col("language").is_in(sorted(ARITY_LANGUAGES))).select(
            "up", "name", "parameters", "variadic"
        ),
        lazy_symbols.filter(pl.col("language").is_in(sorted(PRIVATE_LANGUAGES))).select(
            "id", "up", "label", "kind", "name", "modifiers"
        ),
        lazy_symbols.filter(
            (pl.col("language") == "rust") & (pl.col("label") == "TYPE_DECL")
        ).select("id", "name", "kind"),
    )
    return _WalkedSymbols(
        methods=defined,
        arity_methods=arity_methods,
        java_symbols=java_symbols,
        package_methods=_package_methods(symbols),
        rust_types=rust_types,
    )


class _BaseWalk:
    """The definitions of method names that a type's base types lead to: resolved
    ``INHERITS_FROM`` targets (``children`` with ``target``), the superclasses first, then the
    interfaces (Java's "class wins" over an interface's default method); JS/TS ``implements``
    is no base here (an interface puts nothing on the prototype chain). Once per node run,
    shared by the passes that walk (``_inherited_targets``, both passes of
    ``_declared_targets``): ``children`` and the symbols do not change between them, and an
    answer for a (type, name) depends on the definitions of that name only, so every method
    name is indexed once (the walks are Python, per distinct (type, name), and remembered)."""

    def __init__(self, children: pl.DataFrame, read: _WalkedSymbols, members: pl.DataFrame) -> None:
        """``children``: ``_inheriting_children``' rows with their resolved ``target``;
        ``read``: the rows of the symbols the walk reads; ``members``: ``_member_types``'
        rows."""
        # child -> its resolved bases, the superclass (`extends`) first; the inherits table
        # keeps the bases of one line by their text, not as written, so no order among them is
        # relied on
        self.superclasses: dict[str, set[str]] = defaultdict(set)
        self.interfaces: dict[str, set[str]] = defaultdict(set)
        # types with a superclass / an interface outside the repository, which may define the
        # name (where the MRO puts it is unknown too)
        self.unknown_superclass: set[str] = set()
        self.unknown_interface: set[str] = set()
        # types with a superclass outside the repository that defines only
        # ``NAMELESS_BASE_NAMES`` (``NAMELESS_BASES``): ambiguous for those names alone
        self.builtin_superclass: set[str] = set()
        # (the frames read below in one query: ``collected``)
        lazy_children = children.lazy()
        rust_rows, embedding, based = collected(
            lazy_children.filter(pl.col("language") == "rust"),
            lazy_children.filter(pl.col("language").is_in(sorted(EMBEDDING_LANGUAGES))).select(
                "child_id"
            ),
            lazy_children.filter(
                pl.col("target").ne_missing(pl.col("child_id")) & (pl.col("language") != "rust")
            ).select("language", "child_id", "target", "relation", "base"),
        )
        java = read.java_symbols
        # the types whose bases are embedded fields, walked by depth (``_shallowest``)
        self.embedding: frozenset[str] = frozenset(embedding.get_column("child_id").to_list())
        for language, child, base, relation, text in based.iter_rows():
            if relation == "implements" and language in THIS_FUNCTION_LANGUAGES:
                continue  # a TypeScript interface puts nothing on the prototype chain
            if base is None and _SEGMENT_SPLIT.split(text or "")[-1] in NAMELESS_BASES.get(
                language, ()
            ):
                # `class C(ABC)`, `Protocol`, `Generic[T]`: only object's names and a few more
                self.builtin_superclass.add(child)
                continue
            if base is None:
                unknown = (
                    self.unknown_interface if relation == "implements" else self.unknown_superclass
                )
                unknown.add(child)
            else:
                relatives = self.interfaces if relation == "implements" else self.superclasses
                relatives[child].add(base)
        # (type id, name) -> (parameters, variadic) of each method of an ``ARITY_LANGUAGES``
        # overload set: whether the type has a method of the name that can take a call
        self.counts: dict[tuple[str, str], list[tuple[int | None, bool | None]]] = defaultdict(list)
        for owner, name, parameters, variadic in read.arity_methods.iter_rows():
            self.counts[(owner, name)].append((parameters, variadic))
        # (type id, name) of the Java types whose methods of the name are all `private` (the
        # symbols' ``modifiers``): not inherited (JLS 8.2), no candidate of a walk from
        # another top-level class (``visible``); the top-level class of each Java type
        self.private: set[tuple[str, str]] = set(
            ()
            if java.is_empty()
            else java.filter((pl.col("label") == "METHOD") & pl.col("up").is_not_null())
            .group_by("up", "name")
            .agg(_private=pl.col("modifiers").fill_null("").str.contains(r"\bprivate\b").all())
            .filter("_private")
            .select("up", "name")
            .iter_rows()
        )
        # (type id, name) of the Java interfaces whose methods of the name are all `static`:
        # no member of a type below (JLS 8.4.8, 9.4.1: a class or interface inherits no
        # static method of its superinterfaces), only of the interface itself (``I.f()``)
        self.interface_statics: set[tuple[str, str]] = set(
            ()
            if java.is_empty()
            else java.filter((pl.col("label") == "METHOD") & pl.col("up").is_not_null())
            .join(java.filter(pl.col("kind") == "interface").select(up="id"), on="up", how="semi")
            .group_by("up", "name")
            .agg(_static=pl.col("modifiers").fill_null("").str.contains(r"\bstatic\b").all())
            .filter("_static")
            .select("up", "name")
            .iter_rows()
        )
        self.top_level: dict[str, str] = _top_level_types(java) if java.height else {}
        # each nested, local or anonymous Java type -> the nearest type around it
        self.outer_type: dict[str, str] = _outer_types(java) if java.height else {}
        # (an ``EMBEDDING_LANGUAGES`` method is its type's by qualified name, in any file)
        defined = pl.concat(
            [
                read.methods.filter(~pl.col("language").is_in(sorted(EMBEDDING_LANGUAGES))),
                read.package_methods,
            ]
        )
        # (type, name) -> its method; a key of one row is that row's (made at once, in row
        # order: a dict keeps each key where it came first), a key of several rows is settled
        # row by row below
        keys = list(zip(defined["up"].to_list(), defined["name"].to_list(), strict=True))
        self.methods: dict[tuple[str, str], str | None] = dict(
            zip(keys, defined["id"].to_list(), strict=True)
        )
        if len(self.methods) < len(keys):
            rows = Counter(keys)
            settled: dict[tuple[str, str], str | None] = {}
            for language, key, method in zip(
                defined["language"].to_list(), keys, defined["id"].to_list(), strict=True
            ):
                if rows[key] == 1:
                    continue
                # the last definition by line is the one Python binds and the TypeScript
                # implementation after its overload signatures; Java overloads are different
                # methods: ambiguous
                # (an overload set of ``ARITY_LANGUAGES``: its first method stands for it,
                # which ``_overloads_by_arity`` picks in)
                if key in settled and language in ARITY_LANGUAGES:
                    continue
                ambiguous = language in OVERLOADING_LANGUAGES and key in settled
                settled[key] = None if ambiguous else method
            self.methods.update(settled)
        static_rows, rust_defined = collected(
            defined.lazy().filter("_static"), defined.lazy().filter(pl.col("language") == "rust")
        )
        static = set(zip(static_rows["up"].to_list(), static_rows["name"].to_list(), strict=True))
        self.instance_methods = (
            {key: method for key, method in self.methods.items() if key not in static}
            if static
            else self.methods
        )
        # (a class may define a static and an instance method of one name: each side its own,
        # the last by line as above; no STATIC_LANGUAGES overloads)
        # (no static method, no such class: no row to go through)
        for _, owner, name, method, is_static in defined.iter_rows() if static else ():
            if not is_static and (owner, name) in static:
                self.instance_methods[(owner, name)] = method
        self.static_methods: dict[tuple[str, str], str | None] = {
            (owner, name): method for _, owner, name, method, _ in static_rows.iter_rows()
        }
        self._found_in: dict[
            tuple[str, str, int | None, str | None, bool, bool], frozenset[str | None]
        ] = {}
        self.rust = _RustTraits(rust_rows, read.rust_types, rust_defined)
        # what a field hop reads (``member``): ``_member_types`` rows (a property, a field),
        # indexed with the methods when a hop first asks
        self._member_rows = members
        self._members: dict[tuple[str, str], str | None] | None = None
        self._fields: frozenset[tuple[str, str]] | None = None
        self._member_found_in: dict[
            tuple[str, str, int | None, str | None, bool, bool], frozenset[str | None]
        ] = {}

    def asked_afresh(self) -> _BaseWalk:
        """This walk's indexes with none of the answers it has remembered (``_base_walk``)."""
        return _with_fresh_answers(
            self,
            _found_in={},
            _member_found_in={},
            _members=None,
            _fields=None,
            rust=self.rust.asked_afresh(),
        )

    def _unknown_superclass(self, name: str) -> set[str]:
        """The types with a superclass outside the repository that may define ``name``."""
        if name in NAMELESS_BASE_NAMES:
            return self.unknown_superclass | self.builtin_superclass
        return self.unknown_superclass

    def visible(self, owner: str, name: str, home: str | None) -> bool:
        """Whether the methods ``name`` of the base ``owner`` are candidates of a walk from a
        type of the top-level class ``home``: not when they are all `private` (Java) and
        ``owner`` is another top-level class's (a private member is not inherited, JLS 8.2;
        it is accessible in the whole body of the top-level class around its declaration, its
        nested, local and anonymous classes included, JLS 6.6.1: two top-level classes of
        one file do not share theirs)."""
        return (owner, name) not in self.private or self.top_level.get(owner) == home

    def takes(self, owner: str, name: str, arguments: int | None) -> bool:
        """Whether the type ``owner`` has a method ``name`` that can take ``arguments`` (an
        ``ARITY_LANGUAGES`` overload set; any other definition, or an unknown count: yes). The
        rule is ``_overloads_by_arity``'s ``fits``, here per (type, name) of the walk."""
        if arguments is None or (owner, name) not in self.counts:
            return True
        count = arguments
        return any(
            parameters is None
            or parameters == count
            or (bool(variadic) and count >= parameters - 1)
            for parameters, variadic in self.counts[(owner, name)]
        )

    def defined_above(
        self,
        start: str,
        name: str,
        *,
        through: set[str],
        members: bool = False,
        arguments: int | None = None,
        home: str | None = None,
        instance: bool = False,
        static: bool = False,
    ) -> frozenset[str | None]:
        """The definitions of ``name`` the bases of ``start`` lead to: the superclasses' first
        (Java's "class wins" over an interface's default method), each base's own ``name`` or
        else its bases'. Several distinct definitions, or a Java overload (None): ambiguous.
        ``members``: a field counts as a definition too (``member``). ``arguments``: the
        call's count, a Java type none of whose methods of the name can take it is passed
        (``takes``: `super.addAll(c)` past EnumSet's `addAll()`). ``home``: the top-level class
        of the walk's first type (``visible``; None: that of ``start``). ``instance``: what a value of
        ``start`` has (``instance_methods``; a field hop's ``members`` are an instance's too);
        ``static``: what the class ``start`` itself has (``static_methods``: the ``this`` of a
        static method); neither: every method (a class body's ``this``, either)."""
        if members:
            definitions = self._member_index()
        else:
            definitions = self._methods_of(instance=instance, static=static)
        found_in = self._member_found_in if members else self._found_in
        if home is None:
            home = self.top_level.get(start)
        key = (start, name, arguments, home, instance, static)
        if key in found_in:
            return found_in[key]
        if start in self.embedding:
            found_in[key] = self._shallowest(start, name, definitions, methods_only=not members)
            return found_in[key]
        result: frozenset[str | None] = frozenset()
        through.add(start)
        for relatives, unknown in (
            (self.superclasses.get(start, set()), self._unknown_superclass(name)),
            (self.interfaces.get(start, set()), self.unknown_interface),
        ):
            # a base outside the repository may define it: ambiguous (None)
            reached: set[str | None] = {None} if start in unknown else set()
            for base in sorted(relatives - through)[:_MAX_BASES]:
                if (
                    (base, name) in definitions
                    and self.takes(base, name, arguments)
                    and self.visible(base, name, home)
                    and (base, name) not in self.interface_statics
                ):
                    reached.add(definitions[(base, name)])
                elif len(through) < _MAX_BASES:
                    reached |= self.defined_above(
                        base,
                        name,
                        through=through,
                        members=members,
                        arguments=arguments,
                        home=home,
                        instance=instance,
                        static=static,
                    )
            if reached:
                result = frozenset(reached)
                break
        through.discard(start)
        found_in[key] = result
        return result

    def _methods_of(self, *, instance: bool, static: bool) -> dict[tuple[str, str], str | None]:
        """The methods a walk sees: an instance's, the class's own statics', or every one."""
        if instance:
            return self.instance_methods
        return self.static_methods if static else self.methods

    def other_side(self, start: str, name: str, *, static: bool) -> bool:
        """Whether the class ``start`` or one of its bases defines ``name`` on the side other
        than ``static`` (the class's own statics, or what an instance has)."""
        other = self._methods_of(instance=static, static=not static)
        return (start, name) in other or (
            self.walk(start, name, superclass_only=False, instance=static, static=not static)
            is not None
        )

    def class_static(self, start: str, name: str) -> str | None:
        """What ``start.name`` reads on the ``STATIC_LANGUAGES`` class value ``start``
        (ES2015): its own static ``name``, else the one its bases' static sides lead to (the
        walk of ``this.name`` in a static method)."""
        return self.static_methods.get((start, name)) or self.walk(
            start, name, superclass_only=False, static=True
        )

    def _shallowest(
        self,
        start: str,
        name: str,
        definitions: dict[tuple[str, str], str | None],
        *,
        methods_only: bool,
    ) -> frozenset[str | None]:
        """``defined_above`` of an ``EMBEDDING_LANGUAGES`` type: the definitions of ``name``
        at the shallowest depth of its embedded types (Go: the selector ``x.f`` is the field or
        method of the shallowest depth, exactly one there, or the program does not compile).
        An embedded type from outside the repository may define ``name`` at its own depth:
        ambiguous (None) when nothing of the repository does at that depth or above; at the
        depth of one that does, it does not (two there: no program). One type reached on two
        paths is one definition. ``methods_only`` (``definitions`` has no fields): a field of
        the name on ``start`` or at a depth before any method is what ``x.f`` selects, no
        method below it (None: ``s.parse()`` calls the field ``parse func()`` of an embedded
        ``A``, not a deeper type's method ``parse``)."""
        fields = self._field_names() if methods_only else frozenset[tuple[str, str]]()
        if (start, name) in fields:
            return frozenset({None})
        level = {start}
        seen = {start}
        for _ in range(_MAX_BASES):
            outside = not level.isdisjoint(self.unknown_superclass)
            level = {base for child in level for base in self.superclasses.get(child, ())} - seen
            seen |= level
            if any((base, name) in fields for base in level):
                return frozenset({None})
            found = {definitions[(base, name)] for base in level if (base, name) in definitions}
            if found:
                return frozenset(found)
            if outside:
                return frozenset({None})
            if not level:
                break
        return frozenset()

    def _field_names(self) -> frozenset[tuple[str, str]]:
        """(type id, name) of each field a type declares (``_member_types``' rows whose
        target is no method: a property reads a method)."""
        if self._fields is None:
            self._fields = frozenset(
                self._member_rows.filter(
                    pl.col("target").str.contains(FIELD_HOP_STEP, literal=True)
                )
                .select("_towner", "name")
                .iter_rows()
            )
        return self._fields

    def _member_index(self) -> dict[tuple[str, str], str | None]:
        """(type id, name) -> the method or field (``_member_types``' target) of that name
        the type itself declares; a method wins over a field of its name."""
        if self._members is None:
            self._members = dict(self.instance_methods)
            for owner, name, target in self._member_rows.select(
                "_towner", "name", "target"
            ).iter_rows():
                self._members.setdefault((owner, name), target)
        return self._members

    def member(self, start: str, name: str) -> str | None:
        """What a field hop ``Foo .name`` reads on a ``start`` (not a Rust type): the type's
        own method or field of that name, else the one the nearest base declaring one has (as
        ``walk`` finds methods); None when none or several."""
        members = self._member_index()
        if (start, name) in members:
            return members[(start, name)]
        reached = self.defined_above(start, name, through=set(), members=True)
        return next(iter(reached)) if len(reached) == 1 else None

    def walk(
        self,
        start: str,
        name: str,
        *,
        superclass_only: bool,
        arguments: int | None = None,
        instance: bool = False,
        static: bool = False,
    ) -> str | None:
        """The one definition of ``name`` the bases of ``start`` (not itself) lead to, else
        None; ``superclass_only``: Java's ``super.f()`` searches the superclass, never the
        class's own interfaces; ``arguments``, ``instance``, ``static``: see
        ``defined_above``. A Rust type: ``_RustTraits.walk``."""
        if start in self.rust.types:
            return self.rust.walk(start, name, methods=self.methods)
        methods = self._methods_of(instance=instance, static=static)
        if not superclass_only and (start, name) in methods and not methods[(start, name)]:
            # the type itself declares several methods of the name (Java overloads): the
            # argument types pick among them and its bases' ones, never the bases' alone
            # (`root.add(e)` on an AbstractList is its own add(E), not AbstractCollection's)
            return None
        if superclass_only:
            unknown = self._unknown_superclass(name)
            reached: set[str | None] = {None} if start in unknown else set()
            home = self.top_level.get(start)
            for base in sorted(self.superclasses.get(start, set())):
                if (
                    (base, name) in methods
                    and self.takes(base, name, arguments)
                    and self.visible(base, name, home)
                ):
                    reached.add(methods[(base, name)])
                else:
                    reached |= self.defined_above(
                        base,
                        name,
                        through={start},
                        arguments=arguments,
                        home=home,
                        instance=instance,
                        static=static,
                    )
        else:
            reached = set(
                self.defined_above(
                    start,
                    name,
                    through=set(),
                    arguments=arguments,
                    instance=instance,
                    static=static,
                )
            )
        return next(iter(reached)) if len(reached) == 1 else None


_Indexed = TypeVar("_Indexed")


def _with_fresh_answers(kept: _Indexed, **answers: object) -> _Indexed:
    """A shallow copy of ``kept`` (its indexes, made once and only read) whose remembered
    answers are ``answers`` instead: what a memo hands a new run, which must not see the last
    run's answers (``_BaseWalk``, ``_RustTraits``)."""
    fresh = copy.copy(kept)
    vars(fresh).update(answers)
    return fresh


# The last ``_BaseWalk`` of this process, by the rows it reads (``_WalkedSymbols``) and the member
# types: a rebuild whose inherits rows and member methods, types and fields are as they were (an
# edit within lines of a function body; a new or renamed top-level function, which none of them
# holds) indexes the same methods again (~10 ms of tokio's, in Python).
_LAST_BASE_WALK: _LastMade[_BaseWalk] = _LastMade()


def _base_walk(children: pl.DataFrame, scope: _Scope) -> _BaseWalk:
    """The ``_BaseWalk`` of ``children`` (with their resolved ``target``) and the scope's
    symbols and member types, asking afresh: the last one's indexes when it was made from
    equal rows (made from what it reads alone, so equal rows make an equal walk)."""
    read = scope.walked_symbols
    members = scope.member_types
    walk = _LAST_BASE_WALK.get(
        (children, *(getattr(read, field.name) for field in dataclasses.fields(read)), members),
        lambda: _BaseWalk(children, read, members),
    )
    return walk.asked_afresh()


class _RustTraits:
    """The trait methods a Rust type has, for rule 4a: the traits its ``impl Trait for Type``
    blocks implement (every ``impl`` of the type's name, wherever it is: a Rust type is its
    name's last segment, as for its own members, ``_members_of``), their supertraits
    (``trait A: B``), and the extension traits of the blanket impls that apply
    (``impl<W: AsyncWrite + ?Sized> AsyncWriteExt for W`` applies to every type implementing
    ``AsyncWrite``: relation ``blanket``), to a fixpoint. Rust has no "nearest" trait: a
    method name two of them define (a default method and a supertrait's) is ambiguous, as
    it is to rustc with both traits in scope. A blanket impl's own method overrides its
    extension trait's default for the types it applies to.

    Choices: a blanket impl applies when the type implements every bound (marker bounds
    ``Send``, ``Sync``, ``Unpin``, ``Copy``, ``Sized``, ``?Sized`` and lifetimes are taken as
    met), never on the first bound alone; a bound from outside the repository
    (``impl<T: std::io::Read> ReadExt for T``) is never known to be met (the type's outside
    traits are not resolved): such an impl applies to nothing. An unbounded
    ``impl<T> Ext for T`` (every type) is used only when nothing else defines the name. A trait
    from outside the repository (``impl fmt::Display for Foo``) is no "unknown base" as in
    ``_BaseWalk``: a call reaches its methods only with that trait imported, and rustc rejects
    a name two traits in scope define, so it is ignored, not taken as possibly defining every
    name (which would leave every type with a ``Debug`` impl unresolved).
    """

    def __init__(self, rows: pl.DataFrame, types: pl.DataFrame, defined: pl.DataFrame) -> None:
        """``rows``: the Rust children (``_inheriting_children``' with ``target``); ``types``:
        the Rust TYPE_DECLs (id, name, kind); ``defined``: the Rust rows of the base walk's
        methods."""
        names = dict(zip(types["id"].to_list(), types["name"].to_list(), strict=True))
        traits = set(types.filter(pl.col("kind") == "trait")["id"].to_list())
        self.types: frozenset[str] = frozenset(names)
        self.traits = frozenset(traits)
        blanket_rows = rows.filter(pl.col("relation") == "blanket")
        blankets = set(blanket_rows["child_id"].to_list())
        # every type (not a trait, not a blanket impl) is keyed by its name's last segment
        self.key_of: dict[str, str] = {
            type_id: f"rust-type:{name}"
            for type_id, name in names.items()
            if type_id not in traits and type_id not in blankets
        }
        # type key or trait -> the traits it implements / extends (inside the repository)
        self.bases: dict[str, set[str]] = defaultdict(set)
        self.extension: dict[str, str | None] = {}  # blanket impl -> its trait
        self.bounds: dict[str, set[str]] = defaultdict(set)  # blanket impl -> bounds to meet
        for child, target, relation, text in rows.select(
            "child_id", "target", "relation", "base"
        ).iter_rows():
            if relation == "blanket":
                name = _SEGMENT_SPLIT.split(text or "")[-1]
                if text == names.get(child) or name in MARKER_BOUNDS:
                    continue  # the marker row (the parameter itself), or a marker bound
                # a bound outside the repository: never known to be met
                self.bounds[child].add(target if target is not None else f"outside:{text}")
            elif child in blankets:
                self.extension[child] = target
            elif target is not None and target != child:
                self.bases[self.key_of.get(child) or child].add(target)
        self.bounded = sorted(blanket for blanket in blankets if self.bounds.get(blanket))
        self.unbounded = sorted(blanket for blanket in blankets if not self.bounds.get(blanket))
        # (type key or trait, name): the type's own methods (every impl of it), checked first
        self.own: set[tuple[str, str]] = set(
            zip(
                [self.key_of.get(owner) or owner for owner in defined["up"].to_list()],
                defined["name"].to_list(),
                strict=True,
            )
        )
        self._traits: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}

    def asked_afresh(self) -> _RustTraits:
        """These traits with none of the answers they have remembered."""
        return _with_fresh_answers(self, _traits={})

    def _implemented(self, key: str) -> tuple[frozenset[str], tuple[str, ...]]:
        """The traits ``key`` implements (itself, for a trait) and the blanket impls that
        apply to it, to a fixpoint (at most ``_MAX_BASES`` rounds)."""
        if key in self._traits:
            return self._traits[key]
        implemented = {key} if key in self.traits else set()
        implemented |= self.bases.get(key, set())
        applied: list[str] = []
        for _ in range(_MAX_BASES):
            grown = set(implemented)
            for trait in implemented:
                grown |= self.bases.get(trait, set())
            for blanket in self.bounded:
                extension = self.extension.get(blanket)
                if blanket not in applied and self.bounds[blanket] <= grown:
                    applied.append(blanket)
                    if extension is not None:
                        grown.add(extension)
            if grown == implemented:
                break
            implemented = grown
        result = (frozenset(implemented), tuple(applied))
        self._traits[key] = result
        return result

    def supertraits(self, trait: str) -> frozenset[str]:
        """The traits ``trait`` extends (``trait A: B``), transitively (not blanket impls)."""
        found: set[str] = set()
        pending = [trait]
        while pending and len(found) < _MAX_BASES:
            for base in self.bases.get(pending.pop(), ()):
                if base not in found:
                    found.add(base)
                    pending.append(base)
        return frozenset(found)

    def _definitions(
        self,
        traits: frozenset[str],
        blankets: Sequence[str],
        name: str,
        *,
        methods: dict[tuple[str, str], str | None],
    ) -> set[str | None]:
        overridden = {
            self.extension.get(blanket) for blanket in blankets if (blanket, name) in methods
        }
        found = {methods[(blanket, name)] for blanket in blankets if (blanket, name) in methods}
        found |= {
            methods[(trait, name)] for trait in traits - overridden if (trait, name) in methods
        }
        return found

    def walk(
        self, start: str, name: str, *, methods: dict[tuple[str, str], str | None]
    ) -> str | None:
        """The one trait method ``name`` of the type ``start`` that no own method of the type
        (any impl of its name, or the trait itself) hides, else None."""
        key = self.key_of.get(start, start)
        if (key, name) in self.own:
            return None  # an inherent / impl'd method of the type wins (found or ambiguous)
        traits, blankets = self._implemented(key)
        found = self._definitions(traits - {key}, blankets, name, methods=methods)
        if not found:  # `impl<T> Ext for T`: every type, when nothing else has the name
            found = self._definitions(frozenset(), self.unbounded, name, methods=methods) | {
                methods[(extension, name)]
                for blanket in self.unbounded
                if (blanket, name) not in methods
                and (extension := self.extension.get(blanket)) is not None
                and (extension, name) in methods
            }
        return next(iter(found)) if len(found) == 1 else None


def _class_static_side(
    call_rows: pl.DataFrame,
    class_heads: pl.DataFrame,
    *,
    bases: _BaseWalk,
    symbols: pl.DataFrame,
) -> pl.DataFrame:
    """``call_rows`` with the ``STATIC_LANGUAGES`` calls through a class's name (``B.f()``; not
    ``this.f`` nor ``super.f``) moved to the class's static side. ES2015: ``B.f`` reads the
    class value, whose properties are its statics and, through its prototype chain, its base
    classes' statics (TypeScript binds ``B.f()`` to an inherited static ``A.f`` over B's own
    instance ``f``); a static and an instance method of one name share a qualified name, of
    which the lookup keeps the last by line, as does a rule-5 guess by the name.

    - Found by rules 3-4 as written (also an import of a class's member), an instance method
      of a class written in the class's file (its body, ``B.prototype.bar = function () {}``;
      ``B.create = function () {}`` there is a static, languages.javascript
      ``assigned_keyword``): the class's own static ``f``, else the one its bases' static
      sides lead to (``_BaseWalk.class_static``), else unresolved. A method assigned to the
      class in another file is none of these (no member of the class: a symbol's parent is
      one of its own file's): left as it was.
    - Left to rule 5 or unresolved, with a receiver that names a class where the call is
      (``class_heads``, ``_resolved_class_heads``: ``B`` of ``B.f()`` where B has no ``f`` of
      its own, an imported ``B``, ``m.B`` of ``m.B.f()``, ``B?.f()``): that class's static
      side alike (an expando property of a base, ``A.make = function () {}``, is one), else
      unresolved; never the guess. A receiver that names an object literal (``_literal``):
      its own member, else unresolved (tsc types the literal by its properties as written).
    - A receiver that starts with a local value (``receiver_local``: ``function g(B) {
      B.s(); }``) names no class: no class head, and a member of a class that rules 3-4 found
      through the name as written (the imported ``B``'s ``s``) is unresolved; so is anything
      they found in another file (an import's: ``function a(util) { util.f(); }``)."""
    callee = pl.col("callee")
    written = (
        pl.col("language").is_in(sorted(STATIC_LANGUAGES))
        & ~callee.str.starts_with(_THIS)
        & ~callee.str.starts_with(_SUPER)
    )
    through_class = written & pl.col("method").is_not_null() & ~pl.col("method_guess")
    # (a receiver that starts with a local value names no class: `function g(B) { B.s(); }`)
    local = pl.col("receiver_local").fill_null(False)
    left_open = (
        written
        & (pl.col("method").is_null() | pl.col("method_guess"))
        & pl.col("receiver_type").is_null()
        & ~local
        & callee.str.contains(".", literal=True)
    )
    # (the class of each call left to rule 5 or unresolved whose receiver names one, by row)
    reached, reached_locally, headed = collected(
        call_rows.lazy().filter(through_class).select("method").unique(),
        call_rows.lazy().filter(through_class & local).select("method", "path").unique(),
        call_rows.lazy()
        .with_row_index("_row")
        .filter(left_open)
        .select("_row", "language", "path", "owner", "callee_name", _receiver=_written_receiver())
        .join(class_heads.lazy(), on=["language", "path", "owner", "_receiver"], how="inner")
        .select("_row", "_class", "_literal", name="callee_name"),
    )
    if reached.is_empty() and headed.is_empty():
        return call_rows
    pairs = headed.select("_class", "_literal", "name").unique(maintain_order=True)
    answered = pairs.select(
        "_class",
        "name",
        _answer=pl.Series(
            [
                bases.methods.get((owner, name)) if literal else bases.class_static(owner, name)
                for owner, literal, name in pairs.iter_rows()
            ],
            dtype=pl.String,
        ),
    )
    # the members of classes among the methods reached (`B.constructor()` too: it reads
    # Function's, outside the repository; `new B()` has no method before rule 4a), all
    # written in their class's file (a member's parent is of its own file: its side known)
    class_members = (
        symbols.join(reached, left_on="id", right_on="method", how="semi")
        .join(symbols.filter(pl.col("kind") == "class").select(up="id"), on="up", how="inner")
        .select("id", "up", "name", _instance=~_is_static())
    )
    # the members of a class that rules 3-4 reached through a name a local value shadows:
    # not the class's (unresolved)
    shadowed = class_members.join(
        reached_locally, left_on="id", right_on="method", how="semi"
    ).select(method="id", _shadowed=pl.lit(True))
    instance = class_members.filter(pl.col("_instance"))
    moved = instance.select(
        method="id",
        _static=pl.Series(
            [
                bases.class_static(owner, name)
                for owner, name in instance.select("up", "name").iter_rows()
            ],
            dtype=pl.String,
        ),
        _moved=pl.lit(True),
    )
    this_members = _function_this_members(symbols, reached)
    by_head = headed.join(answered, on=["_class", "name"], how="inner").select(
        "_row", "_answer", _by_head=pl.lit(True)
    )
    # what rules 3-4 reached in another file through a name a local value shadows (an import's:
    # `import * as util from "./util"; function a(util) { util.f(); }`): not the import's
    imported = (
        reached_locally.join(symbols.select(method="id", _defined_in="path"), on="method")
        .filter(pl.col("_defined_in") != pl.col("path"))
        .select("method", "path", _imported=pl.lit(True))
    )
    if (
        by_head.is_empty()
        and moved.is_empty()
        and shadowed.is_empty()
        and imported.is_empty()
        and this_members.is_empty()
    ):
        return call_rows
    (moved_rows,) = collected(
        call_rows.lazy()
        .with_row_index("_row")
        .join(by_head.lazy(), on="_row", how="left", maintain_order="left")
        .join(moved.lazy(), on="method", how="left", maintain_order="left")
        .join(shadowed.lazy(), on="method", how="left", maintain_order="left")
        .join(imported.lazy(), on=["method", "path"], how="left", maintain_order="left")
        .join(this_members.lazy(), on="method", how="left", maintain_order="left")
        .with_columns(pl.col("_by_head").fill_null(False))
        .with_columns(
            method=pl.when("_by_head")
            .then("_answer")
            .when(
                through_class & local & (pl.col("_shadowed") | pl.col("_imported")).fill_null(False)
            )
            .then(None)
            .when(through_class & pl.col("_moved").fill_null(False))
            .then("_static")
            # (through the function's name: a bare name in the function is a local of it)
            .when(
                through_class
                & callee.str.contains(".", literal=True)
                & pl.col("_this_member").fill_null(False)
            )
            .then(None)
            .otherwise("method"),
            method_guess=pl.col("method_guess") & ~pl.col("_by_head"),
        )
        .drop(
            "_row",
            "_static",
            "_moved",
            "_shadowed",
            "_imported",
            "_this_member",
            "_by_head",
            "_answer",
        )
    )
    return moved_rows


def _function_this_members(symbols: pl.DataFrame, reached: pl.DataFrame) -> pl.DataFrame:
    """(method, _this_member): the ``reached`` methods (``method``) that a JavaScript or
    TypeScript function or method stores on its own ``this`` (``function F() { this.m = ...
    }``: ``F.m``; ``o = { k: function () { this.m = ... } }``: ``o.k.m``; languages.javascript
    ``receiver_this``), a member of it written inside it: what ``new`` makes of the function
    holds them, not the function value, so a call through the function's name (``F.m()``,
    ``o.k.m()``) names nothing in tsc (review r20c F1). (Also the properties of an unnamed
    object literal in it, ``f({ fn() {} })``: no property of the function either.)"""
    functions = symbols.filter(
        pl.col("language").is_in(sorted(THIS_FUNCTION_LANGUAGES)) & (pl.col("label") == "METHOD")
    ).select(
        up="id",
        _from_line="start_line",
        _from_column="start_column",
        _to_line="end_line",
        _to_column="end_column",
    )
    line, column = pl.col("start_line"), pl.col("start_column")
    inside = (
        (line > pl.col("_from_line"))
        | ((line == pl.col("_from_line")) & (column > pl.col("_from_column")))
    ) & (
        (line < pl.col("_to_line"))
        | ((line == pl.col("_to_line")) & (column < pl.col("_to_column")))
    )
    return (
        symbols.join(reached, left_on="id", right_on="method", how="semi")
        .filter(pl.col("kind") == "method")
        .join(functions, on="up", how="inner")
        .filter(inside)
        .select(method="id", _this_member=pl.lit(True))
    )


def _inherited_targets(
    call_rows: pl.DataFrame, *, bases: _BaseWalk, scope: _Scope, lookups: _Lookups
) -> pl.DataFrame:
    """``call_rows`` with ``method`` (and ``declared``) of the calls a base type answers.

    ``super().f`` / ``super(C, self).f`` (Python), ``super.f`` (JS/TS, Java): the ``f`` of the
    nearest base type of the enclosing type that defines one, inside the repository (Python's
    MRO for single inheritance; superclasses before a Java class's interfaces; JS/TS
    ``extends`` only); unresolved when none does or several bases lead to different
    definitions, whose order the inherits table does not keep (never rule 5). Python
    ``super(C, self)`` with a ``C`` other than the enclosing class is left unresolved.
    ``super(...)`` (the JS/TS, Java constructor call) is a constructor call of the superclass,
    Java's ``this(...)`` one of the enclosing class. ``self.f`` / ``this.f`` that rule 1 does
    not find in the type itself, or finds only by rule 5: the same walk over its base types;
    a Java bare name ``f()`` as ``this.f`` of the first enclosing class (JLS 15.12.1), whose
    bases win over an outer class's own ``f``.
    """
    rows = call_rows.with_row_index("_call")
    # every call walked starts with `super`, `self.` or `this.`, or is a Java bare name (the
    # implicit `this`): segments of those only
    callee = pl.col("callee")
    java_bare = (
        (pl.col("language") == "java")
        & callee.str.contains(_JAVA_BARE_NAME)
        & ~callee.is_in(["super", "this"])
    )
    # (the language first: the callee tests, a regex among them, on those calls only)
    maybe = (
        rows.filter(pl.col("language").is_in(sorted(SUPER_LANGUAGES)))
        .filter(
            callee.str.starts_with("super")
            | callee.str.starts_with("self.")
            | callee.str.starts_with(_PYTHON_CLS)
            | callee.str.starts_with(_THIS)
            | java_bare
            | ((pl.col("language") == "java") & (callee == "this"))
        )
        .with_columns(text=callee, _count=_segments(callee).list.len(), _bare=java_bare)
    )
    if maybe.height == 0:  # (the walks' tables below are for these calls only)
        return call_rows
    # the type whose bases are walked: what `this` is (JS/TS), else the first enclosing type
    first_type = lookups.owner_type_ids.rename({"type_id": "_type"})
    this_type = (
        lookups.with_parent.filter(pl.col("language").is_in(sorted(THIS_FUNCTION_LANGUAGES)))
        .select(
            pl.col("id").alias("this_owner"),
            _this_type=pl.when(pl.col("label") == "TYPE_DECL")
            .then(pl.col("id"))
            .when((pl.col("kind") == "method") & (pl.col("_up_label") == "TYPE_DECL"))
            .then(pl.col("up")),
            # a method's `this` is the class (static) or an instance: the walk sees that
            # side's methods only (``_BaseWalk.static_methods``, ``instance_methods``); a class
            # body's (field initializers, static blocks: null) every one
            _this_static=pl.when(pl.col("label") != "TYPE_DECL").then(_is_static()),
        )
        .filter(pl.col("_this_type").is_not_null())
    )

    def typed(frame: pl.DataFrame) -> pl.DataFrame:
        return (
            frame.join(first_type, on="owner", how="left")
            .join(this_type, on="this_owner", how="left")
            .with_columns(
                _type=pl.when(pl.col("language").is_in(sorted(THIS_FUNCTION_LANGUAGES)))
                .then(pl.col("_this_type"))
                .otherwise(pl.col("_type"))
            )
        )

    via_super = _super_call()
    python_named = pl.col("callee").str.extract(r"^super\s*\(\s*([A-Za-z_]\w*)\s*,", 1)
    own_receiver = (pl.col("_count") == 2) & (
        (
            (pl.col("language") == "python")
            & (
                pl.col("callee").str.starts_with("self.")
                | pl.col("callee").str.starts_with(_PYTHON_CLS)
            )
        )
        | (pl.col("language") != "python") & pl.col("callee").str.starts_with(_THIS)
    )
    # a Java bare name `f()` that rule 2 finds in an outer class (its METHOD's parent is not
    # the first enclosing type): the first enclosing type's inherited members come first
    # (JLS 15.12.1: the innermost class with a member of that name), walked below
    # (a method of a local or anonymous class, parented by a METHOD, is no outer class's)
    method_type = lookups.with_parent.filter(pl.col("_up_label") == "TYPE_DECL").select(
        pl.col("id").alias("method"), _method_up="up"
    )
    found_outside = (
        pl.col("_bare")
        & pl.col("method").is_not_null()
        & ~pl.col("method_guess")
        & pl.col("_method_up").is_not_null()
        & (pl.col("_method_up") != pl.col("_type"))
    ).fill_null(False)
    maybe = typed(maybe).join(method_type, on="method", how="left")
    wanted = maybe.filter(
        via_super
        | ((own_receiver | pl.col("_bare")) & (pl.col("method").is_null() | pl.col("method_guess")))
        | found_outside
    ).with_columns(_super=via_super, _named=python_named, _outer=found_outside)
    constructor = maybe.filter(
        pl.col("language").is_in(["javascript", "typescript", "java"])
        & (pl.col("callee") == "super")
        | (pl.col("language") == "java") & (pl.col("callee") == "this")
    )
    if wanted.height == 0 and constructor.height == 0:
        return call_rows
    superclasses = bases.superclasses
    # the names of the types a Python `super(C, self)` call starts from (to compare with C)
    type_names = dict(
        scope.symbols.filter(pl.col("label") == "TYPE_DECL")
        .join(
            wanted.filter(pl.col("_named").is_not_null()).select(pl.col("_type").alias("id")),
            on="id",
            how="semi",
        )
        .select("id", "name")
        .iter_rows()
    )

    # one walk per distinct query (type, name, super or not, Python's named class, a Java bare
    # name found in an outer class)
    # (and a Java call's argument count: a base none of whose methods of the name can take
    # it is passed)
    # (and, JavaScript/TypeScript, whether `this` is the class or an instance: `_this_static`)
    # (and whether it is a Java bare name: one no type's bases define may be an outer one's)
    query = [
        "_type",
        "callee_name",
        "_super",
        "_named",
        "_outer",
        "arguments",
        "_this_static",
        "_bare",
    ]
    answered: list[
        tuple[str, str, bool, str | None, bool, int | None, bool | None, bool, str | None]
    ] = []
    for start, name, is_super, named, outer, arguments, this_static, bare in (
        wanted.filter(pl.col("_type").is_not_null()).select(query).unique().iter_rows()
    ):
        key = (start, name, is_super, named, outer, arguments, this_static, bare)
        if is_super and named is not None and named != type_names.get(start):
            answered.append((*key, None))
            continue
        if outer:
            # the outer class's f stands unless a base of the inner type in the repository
            # defines f (one definition: it; several: unresolved); a base from outside alone
            # ({None}) is taken to have none, as before
            reached = bases.defined_above(start, name, through=set(), arguments=arguments)
            found = {method for method in reached if method is not None}
            if found:
                only = next(iter(found)) if len(reached) == 1 else None
                answered.append((*key, only))
            continue
        inherited = bases.walk(
            start,
            name,
            superclass_only=is_super,
            arguments=arguments,
            instance=this_static is False,
            static=this_static is True,
        )
        if (
            inherited is None
            and this_static is not None
            and bases.other_side(start, name, static=this_static)
        ):
            # `this.f()` of a side the class and its bases lack while the other side has f
            # (an instance method's `this.create()` with only a static `create`): no member
            # of that `this` (a TypeError at run time), never rule 5's guess of that f
            answered.append((*key, None))
        elif is_super or inherited is not None:
            # a super call is the base's or nothing; `self.f` keeps what rules 1-5 found when
            # no base defines f
            answered.append((*key, inherited))
        elif bare:
            outer_member = _outer_class_member(bases, start, name, arguments)
            if outer_member is not None:
                answered.append((*key, outer_member or None))
    updates = wanted.select("_call", *query).join(
        pl.DataFrame(
            answered,
            schema={
                "_type": pl.String,
                "callee_name": pl.String,
                "_super": pl.Boolean,
                "_named": pl.String,
                "_outer": pl.Boolean,
                "arguments": pl.Int64,
                "_this_static": pl.Boolean,
                "_bare": pl.Boolean,
                "_method": pl.String,
            },
            orient="row",
        ),
        on=query,
        how="inner",
        nulls_equal=True,
    )
    # `super(...)`: the constructor of the superclass, when exactly one is in the repository;
    # Java's `this(...)`: one of the class's own constructors, a constructor call of the class
    first_base: dict[int, str | None] = {}
    for index, start, written in constructor.select("_call", "_type", "callee").iter_rows():
        if start is not None and written == "this":
            first_base[index] = start
        elif start is not None and len(superclasses.get(start, ())) == 1:
            first_base[index] = next(iter(superclasses[start]))
    constructors = pl.DataFrame(
        {"_call": list(first_base), "_declared": list(first_base.values())},
        schema={"_call": pl.UInt32, "_declared": pl.String},
    )
    return (
        rows.join(updates.select("_call", "_method", _set=pl.lit(True)), on="_call", how="left")
        .join(constructors, on="_call", how="left")
        .with_columns(
            method=pl.when(pl.col("_set").fill_null(False))
            .then(pl.col("_method"))
            .otherwise(pl.col("method")),
            method_guess=pl.col("method_guess") & ~pl.col("_set").fill_null(False),
            declared=pl.coalesce("_declared", "declared"),
        )
        .select(call_rows.columns)
    )


def _outer_class_member(
    bases: _BaseWalk, start: str, name: str, arguments: int | None
) -> str | None:
    """A Java bare name ``f()`` in the type ``start`` that neither it nor its bases in the
    repository define (a base from outside alone is taken to have none, as for an outer
    class's own ``f``): the ``f`` of the innermost enclosing class with a member method ``f``
    (JLS 15.12.1), its own or inherited, of the call's argument count (``_BaseWalk.walk``:
    `containsKey(o)` in a set nested in LinkedHashMap is HashMap's, `f()` past an outer
    class's own `f(int)` its base's `f()`). "" where that class's methods lead to none or
    several (unresolved), None where no enclosing class has one, or ``start`` or its bases
    do (as the walk left it)."""
    if (start, name) in bases.methods or bases.defined_above(
        start, name, through=set(), arguments=arguments
    ) - {None}:
        return None
    node = bases.outer_type.get(start)
    for _ in range(_MAX_CHAIN):
        if node is None:
            return None
        if (node, name) in bases.methods and bases.takes(node, name, arguments):
            return None  # its own method, which rules 2 and the arity pick answer
        if (node, name) in bases.methods:
            found = bases.walk(node, name, superclass_only=False, arguments=arguments)
            return found or ""
        reached = bases.defined_above(node, name, through=set(), arguments=arguments)
        if reached - {None}:
            return next(iter(reached)) or "" if len(reached) == 1 else ""
        node = bases.outer_type.get(node)
    return None


def _class_named_inherited(
    call_rows: pl.DataFrame, sets: pl.DataFrame, *, bases: _BaseWalk, symbols: pl.DataFrame
) -> pl.DataFrame:
    """``call_rows`` with ``method`` of the ``ARITY_LANGUAGES`` calls through a class's name
    (``B.f()``, ``app.B.f()``; not ``this.f`` nor ``super.f``) that rules 3-4 found among the
    class's own methods where none of those can take the call's argument count: the method of
    the name its bases lead to that can (``_BaseWalk.walk``), else as it was (the arity pick
    leaves it no target). javac's candidates are the class's member methods, the inherited
    ones too (JLS 15.12.2.1): ``B.f()`` is an inherited static ``A.f()`` past B's own
    ``f(int)``, as ``b.f()`` on a declared B is (``_declared_targets``) and ``this.f()`` or
    ``f()`` in B (``_inherited_targets``)."""
    if sets.is_empty():  # (no ``ARITY_LANGUAGES`` method)
        return call_rows
    callee = pl.col("callee")
    segments = _segments(callee)
    rows = call_rows.with_row_index("_call")
    # (the language first: the callee tests on those calls only)
    wanted = (
        rows.filter(pl.col("language").is_in(sorted(ARITY_LANGUAGES)))
        .filter(
            pl.col("method").is_not_null()
            & ~pl.col("method_guess")
            & callee.str.contains(".", literal=True)
            & ~callee.str.starts_with(_THIS)
            & ~callee.str.starts_with(_SUPER)
            # a receiver declared with a type is a field, local, parameter or loop variable,
            # which obscures a class of its name (JLS 6.4.2): `C B; B.f()` is C's f, no class
            # B's (review r21a F1)
            & pl.col("receiver_type").is_null()
        )
        .select("_call", "method", "arguments", "callee_name", _class_name=segments.list.get(-2))
    )
    if wanted.height == 0:
        return call_rows
    # none of the class's own methods of the name takes the count (the arity pick's null)
    wanted = wanted.filter(
        _overloads_by_arity(wanted, sets, target="method", several="set").is_null()
    )
    if wanted.height == 0:
        return call_rows
    # the class the receiver names: the method's, written as the receiver's last segment
    classes = symbols.filter(pl.col("label") == "TYPE_DECL").select(_up="id", _class_name="name")
    wanted = wanted.join(symbols.select(method="id", _up="up"), on="method", how="inner").join(
        classes, on=["_up", "_class_name"], how="inner"
    )
    queries = wanted.select("_up", "callee_name", "arguments").unique()
    answered = queries.with_columns(
        _method=pl.Series(
            [
                bases.walk(start, name, superclass_only=False, arguments=arguments)
                for start, name, arguments in queries.iter_rows()
            ],
            dtype=pl.String,
        )
    ).filter(pl.col("_method").is_not_null())
    if answered.height == 0:
        return call_rows
    updates = wanted.join(answered, on=["_up", "callee_name", "arguments"], how="inner")
    return (
        rows.join(updates.select("_call", "_method"), on="_call", how="left", maintain_order="left")
        .with_columns(method=pl.coalesce("_method", "method"))
        .select(call_rows.columns)
    )


def _inside_modules(namespaces: pl.DataFrame) -> pl.DataFrame:
    """(language, module): every repository module and every package above one (``a.b.c`` ->
    ``a``, ``a.b``, ``a.b.c``; ``src/util`` -> ``src``, ``src/util``; ``crate::io`` ->
    ``crate``, ``crate::io``): an import of one of these is from inside the repository,
    whatever it names. ``namespaces``: (language, module) of every module (``_Graph``'s)."""
    modules = namespaces.select("language", "module").filter(_truthy(pl.col("module")))
    # each prefix ends where a separator starts (`::` is two characters: sliced in Python)
    prefixes = {
        (language, module[: separator.start()])
        for language, module in modules.unique().iter_rows()
        for separator in _MODULE_SEPARATOR.finditer(module)
    }
    return pl.concat(
        [
            modules,
            pl.DataFrame(
                sorted(prefixes), schema={"language": pl.String, "module": pl.String}, orient="row"
            ),
        ]
    ).unique()


_MODULE_SEPARATOR = re.compile(r"::|/|\.")


def _outside_bindings(imports: pl.DataFrame, inside: pl.DataFrame) -> pl.DataFrame:
    """(path, head): the names a file's ``imports`` (``_Graph.imports``) bind to something from
    outside the repository (``from threading import Event``, ``import {Observable} from
    "rxjs"``, ``import os``), ``inside`` the modules of the repository (``_inside_modules``).
    (One query: ``collected``.)"""
    rows = imports.lazy().filter(pl.col("name") != "*")
    plain = (
        (pl.col("language") == "python") & pl.col("module").is_null() & pl.col("alias").is_null()
    )
    bound = (
        pl.when(plain)
        .then(pl.col("name").str.split(".").list.first())
        .when(_truthy(pl.col("alias")))
        .then(pl.col("alias"))
        .otherwise(_segments(pl.col("name")).list.last())
    )
    # `imported` is the name for a row without module, a Rust crate's module root for `use tokio;`
    module = pl.coalesce(pl.col("resolved_module"), pl.col("imported"))
    # a Rust path into a crate of the repository is inside it, even where no file or `mod` of
    # that name exists (`crate::loom::sync::Condvar` through a glob re-export)
    rust_crates = (
        inside.lazy()
        .filter((pl.col("language") == "rust") & ~pl.col("module").str.contains("::", literal=True))
        .select("language", _crate="module")
    )
    (bindings,) = collected(
        rows.select("language", "path", head=bound, module=module)
        .join(inside.lazy(), on=["language", "module"], how="anti")
        .with_columns(_crate=pl.col("module").str.split("::").list.first())
        .join(rust_crates, on=["language", "_crate"], how="anti")
        .select("path", "head")
        .unique()
    )
    return bindings


def _with_type_segments(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (with ``text``) with the ``name``, ``head`` and ``_count`` of its segments."""
    segments = _segments(pl.col("text"))
    return frame.with_columns(
        name=segments.list.last(), head=segments.list.first(), _count=segments.list.len()
    )


def _receiver_type_queries(call_rows: pl.DataFrame) -> pl.DataFrame:
    """(language, path, owner, text, name, head, _count): each distinct declared receiver type
    (``receiver_type``; ``Foo()`` as ``Foo``: the class it may name; a field hop ``Foo .y`` as
    ``Foo``) in the scope of its calls, to resolve as a base type is."""
    receiver = pl.col("receiver_type")
    return _with_type_segments(
        call_rows.filter(
            receiver.is_not_null()
            & ~receiver.str.contains(ARGUMENT_PARAMETER_PATTERN)
            & ~receiver.str.starts_with(PACKAGE)
            & ~receiver.str.starts_with(IMPORTED_PACKAGE_PREFIX)
        )  # an argument's parameter is typed by what its call resolves to (``_contextual_types``),
        # a package's variable (the own or an imported) by where it is written
        # (``_field_hop_types``)
        .select(
            "language",
            "path",
            "owner",
            text=pl.coalesce(
                _receiver_start().str.extract(CALL_VALUE_PATTERN, 1), _receiver_start()
            ),
        )
        .unique(maintain_order=True)
    )


# A class name among the argument and parameter types of ``ARITY_LANGUAGES`` (not a primitive,
# ``null`` or a type variable ``?T``), its array brackets dropped.
_CLASS_TYPE = r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$"


def _overload_type_queries(call_rows: pl.DataFrame, symbols: pl.DataFrame) -> pl.DataFrame:
    """(language, path, owner, text, name, head, _count): each class name among the calls'
    ``argument_types`` (in the scope of the call) and the methods' ``parameter_types`` (in
    the scope around the method, where its signature is written), to resolve as a declared
    receiver type is (``_OverloadTypes`` compares the TYPE_DECLs)."""
    arity = pl.col("language").is_in(sorted(ARITY_LANGUAGES))
    # only where the types may pick: a name that several methods of one count share anywhere
    # (overloads, overrides; one of Object's names), a call of such a name and count whose
    # argument types are known
    methods = symbols.filter(arity & pl.col("parameter_types").is_not_null())
    shared = (
        methods.group_by("name", "parameters")
        .len()
        .filter((pl.col("len") > 1) | pl.col("name").is_in(sorted(_JAVA_OBJECT_SIGNATURES)))
        .select("name", "parameters")
    )
    known = ~pl.col("argument_types").str.split(TYPE_SEPARATOR).list.contains("")
    typed_calls = call_rows.filter(
        arity & pl.col("argument_types").is_not_null() & (pl.col("arguments") > 0) & known
    )
    written = pl.concat(
        [
            pl.concat(
                [
                    typed_calls.join(
                        shared,
                        left_on=["callee_name", "arguments"],
                        right_on=["name", "parameters"],
                        how="semi",
                    ),
                    # `this(...)`, `super(...)`: a constructor of the class, named after it
                    typed_calls.filter(pl.col("callee_name").is_in(["this", "super"])),
                ]
            ).select("language", "path", "owner", text=pl.col("argument_types")),
            methods.join(shared, on=["name", "parameters"], how="semi").select(
                "language", "path", owner=pl.col("up").fill_null(_TOP), text="parameter_types"
            ),
        ]
    )
    names = (
        written.with_columns(pl.col("text").str.split(TYPE_SEPARATOR))
        .explode("text")
        .with_columns(pl.col("text").str.replace(r"(?:\[\])+$", ""))
        .filter(
            pl.col("text").str.contains(_CLASS_TYPE)
            & ~pl.col("text").is_in(sorted({*_JAVA_WIDENING, "null"}))
        )
        .unique(maintain_order=True)
    )
    return _with_type_segments(names)


def _resolved_overload_types(receiver_types: pl.DataFrame) -> dict[tuple[str, str, str], str]:
    """(path, owner, text) -> the TYPE_DECL a class name of ``_overload_type_queries`` (resolved
    with the receiver types) names there; never by rule 5 (a guess)."""
    return {
        (path, owner, text): target
        for path, owner, text, target in receiver_types.filter(
            pl.col("language").is_in(sorted(ARITY_LANGUAGES))
            & pl.col("target").is_not_null()
            & ~pl.col("guess").fill_null(False)
        )
        .select("path", "owner", "text", "target")
        .iter_rows()
    }


def _written_receiver() -> pl.Expr:
    """A ``STATIC_LANGUAGES`` call's receiver as written when it is a name or a dotted name
    (``B`` of ``B.f``, ``m.B`` of ``m.B.f``; not ``this``/``super`` nor an expression), which
    may name a class (``_class_head_queries``); else null. Optional chaining and what wraps a
    name without changing what it names are the name's (``B?.f``, ``(B).f``, ``B!.f``: ``B``,
    as the TypeScript compiler binds them)."""
    callee = pl.col("callee").str.replace_all("?.", ".", literal=True)
    member = callee.str.strip_suffix(pl.lit(".") + pl.col("callee_name"))
    receiver = member.str.replace_all(_WRAPPED_NAME, "")
    return (
        pl.when(
            pl.col("language").is_in(sorted(STATIC_LANGUAGES))
            & (member != callee)
            & receiver.str.contains(_CLASS_TYPE)
            & ~receiver.str.contains(r"^(?:this|super)(?:\.|$)")
        )
        .then(receiver)
        .otherwise(None)
    )


def _local_values_called(call_rows: pl.DataFrame) -> pl.DataFrame:
    """``call_rows`` with a bare callee that names a local value where the call is (the calls
    table's ``receiver_local`` of a callee without a ``.``: a parameter, a local variable, a
    loop or ``catch`` variable, a destructured name, a named function expression's own name
    where the expression is no symbol: ``function f(cb) { cb(); }``, Go
    ``func f(cb func()) { cb() }``) unresolved, whatever rules 2, 3 and 5 found for the name as
    written (a top-level or imported ``cb``: tsc, go/types, rustc and Jedi bind the call to the
    parameter). Its queries are shared by the owner's other calls of the name, which a block's
    binding may not reach: decided by row, not by query."""
    local_bare = pl.col("receiver_local").fill_null(False) & ~pl.col("callee").str.contains(
        ".", literal=True
    )
    if not call_rows.select(local_bare.any()).item():
        return call_rows
    return call_rows.with_columns(
        method=pl.when(local_bare).then(None).otherwise("method"),
        method_guess=pl.col("method_guess") & ~local_bare,
        declared=pl.when(local_bare).then(None).otherwise("declared"),
    )


def _class_head_queries(call_rows: pl.DataFrame) -> pl.DataFrame:
    """(language, path, owner, text, name, head, _count): each receiver written as a name of
    the ``STATIC_LANGUAGES`` member calls whose receiver has no declared type (``B`` of
    ``B.f()``, ``m.B`` of ``m.B.f()``) nor starts with a local value (the calls table's
    ``receiver_local``: ``function g(B) { B.f(); }``), in the scope of its calls, to resolve
    as a declared receiver type is: a class whose value the call reads
    (``_class_static_side``)."""
    callee = pl.col("callee")
    (receivers,) = collected(
        call_rows.lazy()
        .filter(
            pl.col("language").is_in(sorted(STATIC_LANGUAGES))
            & pl.col("receiver_type").is_null()
            # (prunes queries only: `_class_static_side` heads no local receiver either)
            & ~pl.col("receiver_local")
            & callee.str.contains(".", literal=True)
        )
        .select("language", "path", "owner", text=_written_receiver())
        .filter(pl.col("text").is_not_null())
        .unique(maintain_order=True)
    )
    return _with_type_segments(receivers)


def _resolved_class_heads(receiver_types: pl.DataFrame, symbols: pl.DataFrame) -> pl.DataFrame:
    """(language, path, owner, _receiver, _class, _literal): the class a receiver of
    ``_class_head_queries`` (resolved with the receiver types, one row per query) names there,
    or the object literal (``_literal``: ``const o = { f() {} }``, a TYPE_DECL of a value
    kind, ``TYPE_DECL_KINDS_BY_LANGUAGE``); never by rule 5."""
    literal = pl.col("kind").is_in(
        sorted({kind for kinds in TYPE_DECL_KINDS_BY_LANGUAGE.values() for kind in kinds})
    )
    classes = symbols.filter(
        pl.col("language").is_in(sorted(STATIC_LANGUAGES))
        & (pl.col("label") == "TYPE_DECL")
        & ((pl.col("kind") == "class") | literal)
    ).select(target="id", _literal=literal)
    return (
        receiver_types.filter(
            pl.col("language").is_in(sorted(STATIC_LANGUAGES))
            & pl.col("target").is_not_null()
            & ~pl.col("guess").fill_null(False)
        )
        .join(classes, on="target", how="inner")
        .select("language", "path", "owner", "_literal", _receiver="text", _class="target")
    )


def _receiver_start() -> pl.Expr:
    """The declared type a ``receiver_type`` starts from: a field hop's (``Foo`` of ``Foo .y``,
    ``f()`` of ``f() .y``), else the whole text."""
    receiver = pl.col("receiver_type")
    return pl.coalesce(receiver.str.extract(FIELD_HOP_PATTERN, 1), receiver)


def _returned_call_queries(call_rows: pl.DataFrame) -> pl.DataFrame:
    """(language, path, owner, this_owner, text, name): each distinct callee of a receiver
    bound to a call's value (``f()`` of ``x = f(...)``, also where a field hop starts, ``f()
    .y``) in the scope of its calls, to resolve as a call there is (as if at the binding,
    which is in the chain of scopes of the call)."""
    return (
        call_rows.select(
            "language",
            "path",
            "owner",
            "this_owner",
            text=_receiver_start().str.extract(CALL_VALUE_PATTERN, 1),
        )
        .filter(pl.col("text").is_not_null())
        .unique(maintain_order=True)
        .with_columns(name=_segments(pl.col("text")).list.last())
    )


# A function (``target``) and where the types of its signature are written (``_tpath``,
# ``_towner``: its file and the scope around it, ``_TOP`` for none), for
# ``_returned_functions`` and ``_callback_functions``
_SIGNATURE_SCOPE = {
    "target": pl.col("id"),
    "_tpath": pl.col("path"),
    "_towner": pl.col("up").fill_null(_TOP),
}
# The columns of ``_returned_functions`` and of ``_callback_functions``
_RETURNED_FUNCTIONS_SCHEMA = dict.fromkeys(
    ["language", "name", *_SIGNATURE_SCOPE, "_rops", "_ttext"], pl.String
)
_CALLBACK_FUNCTIONS_SCHEMA = dict.fromkeys(
    ["language", *_SIGNATURE_SCOPE, "_key", "_ttext"], pl.String
)


def _returned_functions(symbols: pl.DataFrame, *, read: bool = False) -> pl.DataFrame:
    """(language, name, target, _tpath, _towner, _rops, _ttext): each function with a declared
    return type (the symbols' ``returns``): where the type is written (the function's file and
    the scope around the function: the class, module or impl whose names an annotation sees;
    ``Self`` is that type already), the operators it needs and its text. ``read``: the
    properties instead (methods read as a value of their return type, ``returns`` marked
    ``READ``; ``_rops`` is that mark)."""
    returns = pl.col("returns")
    marked = returns.str.starts_with(f"{READ} ")
    # one row per result with a type (Go: ``Conn;error``, languages.base RESULT_SEPARATOR),
    # result n > 0 with its operator ``[n]`` after the others
    typed = symbols.filter(
        returns.is_not_null()
        & (marked if read else ~marked)
        & (pl.col("kind") != "type_alias")  # (what it stands for: ``_rust_aliased``)
    )
    if typed.is_empty():  # (none: no explode)
        return pl.DataFrame(schema=_RETURNED_FUNCTIONS_SCHEMA)
    (functions,) = collected(
        typed.lazy()
        .select(
            "language",
            "name",
            **_SIGNATURE_SCOPE,
            _rops=returns.str.extract(RETURNS_PATTERN, 1).fill_null(""),
            _ttext=returns.str.extract(RETURNS_PATTERN, 2).str.split(RESULT_SEPARATOR),
        )
        .with_columns(_result=pl.int_ranges(pl.col("_ttext").list.len()))
        .explode("_ttext", "_result")
        .filter(pl.col("_ttext") != "")
        .with_columns(
            _rops=pl.when(pl.col("_result") > 0)
            .then(pl.format(f"{{}}{RESULT_OPERATOR_FORMAT}", "_rops", "_result"))
            .otherwise("_rops")
        )
        .drop("_result")
    )
    return functions


def _member_types(symbols: pl.DataFrame) -> pl.DataFrame:
    """(language, name, target, _tpath, _towner, _ttext): what a field hop reads on a type:
    its properties (``_returned_functions`` ``read``; target the METHOD) and the fields its
    class declares (the symbols' ``fields``; target ``"<class id> .<name>"``, ``_ttext`` None
    for a field of no known type), each typed where it is written: the file, and the class
    (``_towner``: a property's parent, a field's class, whose scope an annotation is
    resolved in)."""
    properties = _returned_functions(symbols, read=True).drop("_rops")
    entry = pl.col("_entry")
    name = entry.str.extract(FIELD_ENTRY_PATTERN, 1)
    fields = (
        symbols.lazy()
        .filter(pl.col("fields").is_not_null())
        .select(
            "language",
            _towner="id",
            _tpath="path",
            _entry=pl.col("fields").str.split(FIELD_SEPARATOR),
        )
        .explode("_entry")
        .select(
            "language",
            name=name,
            target=pl.concat_str(pl.col("_towner"), pl.lit(FIELD_HOP_STEP), name),
            _tpath="_tpath",
            _towner="_towner",
            _ttext=entry.str.extract(FIELD_ENTRY_PATTERN, 2),
        )
    )
    (members,) = collected(pl.concat([properties.lazy(), fields]))
    return members


def _folder() -> pl.Expr:
    """The folder of a row's ``path`` (a Go package's)."""
    return pl.col("path").str.replace(r"/?[^/]*$", "")


# The columns of ``_package_variables``
_PACKAGE_VARIABLES_SCHEMA = {
    **dict.fromkeys(["language", "_folder", "name", "_tpath", "_towner", "_ttext"], pl.String),
    "_value": pl.Boolean,
}


def _package_variables(symbols: pl.DataFrame) -> pl.DataFrame:
    """(language, _folder, name, _tpath, _towner, _ttext, _value): the package-level variables
    (languages.base ``package_variables``, Go: the ``variable`` symbols with a ``READ`` type)
    by package folder and name, where each is written (its file, the top level) and its type
    (``_value``: a call's value, ``newStaticTable()``, to type where the call is). An element
    of a container variable is named ``<name>[]`` (``ctlOpts[]``). A name the package's files
    declare with different types (build constraints) is left out; of equal ones, the first file."""
    returns = pl.col("returns")
    ops = returns.str.extract(RETURNS_PATTERN, 1)
    declared = symbols.filter(
        pl.col("kind").is_in(["variable", "constant"])
        & pl.col("parent").is_null()
        & returns.str.starts_with(READ)
    )
    if declared.is_empty():  # (no typed package variable: none of the queries below)
        return pl.DataFrame(schema=_PACKAGE_VARIABLES_SCHEMA)
    variables = (
        declared.select(
            "language",
            _folder=_folder(),
            name=pl.concat_str(pl.col("name"), ops.str.strip_prefix(READ)),
            _tpath="path",
            _towner=pl.lit(_TOP),
            _ttext=returns.str.extract(RETURNS_PATTERN, 2),
        )
        .with_columns(_value=pl.col("_ttext").str.contains(CALL_VALUE_PATTERN))
        .sort("language", "_folder", "name", "_tpath")
        .unique(subset=["language", "_folder", "name", "_ttext"], keep="first", maintain_order=True)
    )
    return variables.unique(
        subset=["language", "_folder", "name"], keep="none", maintain_order=True
    )


def _package_variable_receivers(
    call_rows: pl.DataFrame, variables: pl.DataFrame, scope: _Scope
) -> pl.DataFrame:
    """``call_rows`` with the receiver types of the package's variables (languages.base
    ``PACKAGE``) that name one of the call's package folder (``_package_variables``): a call's
    value as the variable's binding gives it (``newStaticTable()``, then the fields after it),
    typed where the call is, when its callee means the same there (a name of the package, or
    a head the call's file imports as the variable's file does); a type as it is (a field hop
    from the package, ``_field_hop_types``). Any other: None (rules 1-5 as before)."""
    receiver = pl.col("receiver_type")
    if not call_rows["receiver_type"].str.starts_with(PACKAGE).any():
        return call_rows
    top = scope.bindings.filter(pl.col("scope") == _TOP).select("path", "bound", "target")
    top = top.unique(subset=["path", "bound"], keep="none")
    rows = (
        call_rows.with_row_index("_row")
        .filter(receiver.str.starts_with(PACKAGE))
        .select(
            "_row",
            "language",
            "path",
            _folder=_folder(),
            name=receiver.str.extract(PACKAGE_HOP_PATTERN, 1),
            _rest=receiver.str.extract(PACKAGE_HOP_PATTERN, 2),
        )
        .join(variables, on=["language", "_folder", "name"], how="left")
        .with_columns(
            _head=pl.col("_ttext").str.extract(CALL_VALUE_PATTERN, 1).str.extract(r"^([^.]+)\.", 1)
        )
        .join(top.rename({"bound": "_head", "target": "_here"}), on=["path", "_head"], how="left")
        .join(
            top.rename({"path": "_tpath", "bound": "_head", "target": "_there"}),
            on=["_tpath", "_head"],
            how="left",
        )
        .with_columns(
            # a call's value: its callee a name of the package, or imported alike in both files
            _typed=pl.when(
                pl.col("_value")
                & (pl.col("_head").is_null() | (pl.col("_here") == pl.col("_there")))
            ).then(pl.concat_str(pl.col("_ttext"), pl.col("_rest"))),
            _keep=pl.col("_ttext").is_not_null() & ~pl.col("_value").fill_null(False),
        )
    )
    return (
        call_rows.with_row_index("_row")
        .join(rows.select("_row", "_typed", "_keep"), on="_row", how="left")
        .with_columns(
            receiver_type=pl.when(pl.col("_keep").is_null() | pl.col("_keep"))
            .then(receiver)
            .otherwise("_typed")
        )
        .drop("_row", "_typed", "_keep")
    )


def _imported_package_receivers(call_rows: pl.DataFrame, scope: _Scope) -> pl.DataFrame:
    """``call_rows`` with the field hops from an imported package (languages.base
    ``imported_package``: ``"<package:a> .Html"``) starting from the package folder the file's
    import of that name resolves to (``"<package:html/atom> .Html"``, typed by that folder's
    variables as ``"<package> .Html"`` is by the call's own, ``_field_hop_types``); an import
    from outside the repository (or none): None, as rules 1-5 leave ``a.Html.String()``."""
    receiver = pl.col("receiver_type")
    if not call_rows["receiver_type"].str.starts_with(IMPORTED_PACKAGE_PREFIX).any():
        return call_rows
    top = scope.bindings.filter(pl.col("scope") == _TOP).select("path", "bound", "target")
    top = top.unique(subset=["path", "bound"], keep="none").filter(
        ~pl.col("target").str.ends_with(GO_OUTSIDE_SUFFIX)
    )
    imported = receiver.str.starts_with(IMPORTED_PACKAGE_PREFIX)
    alias = receiver.str.extract(_IMPORTED_HOP, 1)
    return (
        call_rows.with_columns(_bound=pl.when(imported).then(alias))
        .join(
            top.rename({"bound": "_bound", "target": "_folder_bound"}),
            on=["path", "_bound"],
            how="left",
        )
        .with_columns(
            receiver_type=pl.when(~imported.fill_null(False))
            .then(receiver)
            .when(pl.col("_folder_bound").is_not_null())
            .then(
                pl.concat_str(
                    pl.lit(IMPORTED_PACKAGE_PREFIX),
                    "_folder_bound",
                    receiver.str.extract(_IMPORTED_HOP, 2),
                )
            )
        )
        .select(call_rows.columns)
    )


# An imported package's field hop: group 1 the import's name (or folder), group 2 the rest from
# its closing ``>`` (``"> .Html"``).
_IMPORTED_HOP = rf"^{re.escape(IMPORTED_PACKAGE_PREFIX)}([^>]*)(>.*)$"


def _package_members(variables: pl.DataFrame) -> pl.DataFrame:
    """The package's variables of a type (``_package_variables``) as ``_member_types`` rows,
    the member ``name`` of the package folder's key (``"<package> <folder>"``)."""
    return variables.filter(~pl.col("_value")).select(
        "language",
        "name",
        target=pl.concat_str(pl.lit(f"{PACKAGE} "), "_folder", pl.lit(FIELD_HOP_STEP), "name"),
        _tpath="_tpath",
        _towner="_towner",
        _ttext="_ttext",
    )


def _hop_names(receiver: pl.Expr) -> pl.Expr:
    """The fields a field hop's receiver type reads, in order (``Foo .y .z`` -> y, z)."""
    return (
        receiver.str.extract(FIELD_HOP_PATTERN, 2)
        .str.strip_prefix(FIELD_HOP_STEP)
        .str.split(FIELD_HOP_STEP)
    )


def _field_hop_queries(call_rows: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """(language, path, owner, text, name, head, _count): the types, where they are written, of
    the properties and fields (``_member_types``) a field hop may read (its field's name is
    theirs), to resolve with the
    declared receiver types in one pass."""
    # (the written types in one query, their tuples' elements in one a hop: ``collected``)
    named = (
        call_rows.lazy()
        .select("language", name=_hop_names(pl.col("receiver_type")))
        .drop_nulls()
        .explode("name")
    )
    (written,) = collected(
        members.lazy()
        .join(named.unique(), on=["language", "name"], how="semi")
        .filter(pl.col("_ttext").is_not_null())
        .select("language", path="_tpath", owner="_towner", text="_ttext")
        .unique(maintain_order=True)
    )
    # a Rust tuple's elements too, which its fields `.0`, `.1` are (``_tuple_field_hops``)
    tuples = written.filter(_rust_primitive(pl.col("text")) & pl.col("text").str.contains(","))
    elements = [written.lazy()]
    for _ in range(MAX_FIELD_HOPS):
        if tuples.is_empty():  # (no tuple: no element)
            break
        (tuples,) = collected(
            tuples.lazy()
            .with_columns(
                text=pl.Series(
                    [tuple_elements(text) for text in tuples["text"]],
                    dtype=pl.List(pl.String),
                )
            )
            .explode("text")
            .filter(pl.col("text") != UNKNOWN_ELEMENT)
        )
        elements.append(tuples.lazy())
        tuples = tuples.filter(_rust_primitive(pl.col("text")))
    (found,) = collected(pl.concat(elements).unique(maintain_order=True))
    return _with_type_segments(found)


# The columns of ``_field_hop_types`` and ``_contextual_types``: ``_returned_types`` rows of
# a receiver (its language, path, owner, this_owner and text) and the type's text where it is
# written, with ``_rops`` (no operator: "")
_TYPED_RECEIVER_COLUMNS = (
    "language",
    "path",
    "owner",
    "this_owner",
    "text",
    "_tpath",
    "_towner",
    "_ttext",
)
_TYPED_RECEIVER_SCHEMA = dict.fromkeys([*_TYPED_RECEIVER_COLUMNS, "_rops"], pl.String)


def _field_hop_types(
    call_rows: pl.DataFrame,
    receiver_types: pl.DataFrame,
    returned: pl.DataFrame,
    members: pl.DataFrame,
    *,
    scope: _Scope,
    bases: _BaseWalk,
    impl_structs: pl.DataFrame,
) -> pl.DataFrame:
    """``_returned_types`` rows (no operators) for the field hops (receiver type ``Foo .y``,
    languages.base ``field_hop``): ``Foo`` resolved where the call is (a declared receiver
    type, no rule-5 guess, no type alias; ``f()``, a call's value: the class ``f`` names, else
    the return type, resolved where it is written, of the function ``f`` names: ``returned``,
    ``_returned_types`` of the first pass, no operator); its own method or field ``y``, else
    the nearest base's (``_BaseWalk.member``), when that is a property or a field of a known
    type (``members``, ``_member_types``): that type, resolved where it is written. A ``Foo``
    (or the return type of ``f``) that is no type of the repository: that type where it is
    written, so that a type from outside the repository (or a builtin one) leaves the call
    unresolved, its fields being outside too. Anything else (a field of no known type, a
    method, an ambiguous name) gives no row: the call stays as rules 1-5 leave it."""
    receiver = pl.col("receiver_type")
    columns = _TYPED_RECEIVER_COLUMNS
    hops = (
        call_rows.filter(receiver.str.contains(FIELD_HOP_PATTERN))
        .select(
            "language",
            "path",
            "owner",
            "this_owner",
            text=receiver,
            _declared=receiver.str.extract(FIELD_HOP_PATTERN, 1),
            _names=_hop_names(receiver),
        )
        .unique(maintain_order=True)
    )
    if hops.is_empty():  # (no field hop)
        return pl.DataFrame(schema=_TYPED_RECEIVER_SCHEMA)
    type_decls = scope.symbols.filter(
        (pl.col("label") == "TYPE_DECL") & (pl.col("kind") != "type_alias")
    ).select(_type="id", _repository=pl.lit(True))
    resolved = receiver_types.filter(pl.col("target").is_not_null() & ~pl.col("guess")).select(
        "language", "path", "owner", "text", _type="target"
    )
    keys = ["language", "path", "owner"]
    # a call's value: the class its callee names, else the type the function returns (Go: the
    # result ``[n]`` a hop starts from, ``f()[1] .y``)
    values = returned.filter(pl.col("_rops").str.contains(r"^(?:\[\d+\])?$")).select(
        *keys,
        _this=pl.col("this_owner").fill_null(""),
        _callee="text",
        _ops="_rops",
        path_=pl.col("_tpath"),
        owner_=pl.col("_towner"),
        text_=pl.col("_ttext"),
    )
    values = values.join(
        resolved.select(
            "language", path_="path", owner_="owner", text_="text", _returned_type="_type"
        ),
        on=["language", "path_", "owner_", "text_"],
        how="left",
    ).unique(subset=[*keys, "_this", "_callee", "_ops"], keep="none")
    # a class constructs its instance, no result of several (``T(x)[1]``)
    is_class = pl.col("_is_class") & (pl.col("_ops") == "")
    typed = (
        hops.with_columns(
            _callee=pl.col("_declared").str.extract(CALL_VALUE_PATTERN, 1),
            _ops=pl.col("_declared").str.extract(CALL_VALUE_PATTERN, 2),
            _this=pl.col("this_owner").fill_null(""),
        )
        .join(
            resolved.rename({"text": "_declared"}), on=[*keys, "_declared"], how="left"
        )  # a plain type
        .join(
            resolved.rename({"text": "_callee", "_type": "_class"}),
            on=[*keys, "_callee"],
            how="left",
        )  # the class a call constructs
        .join(values, on=[*keys, "_this", "_callee", "_ops"], how="left")
        .join(
            type_decls.rename({"_type": "_class", "_repository": "_is_class"}),
            on="_class",
            how="left",
        )
        .with_columns(
            _is_class=is_class,
            _type=pl.when(pl.col("_callee").is_null())
            .then("_type")
            .when(is_class.fill_null(False))
            .then("_class")
            .otherwise("_returned_type"),
        )
        .join(impl_structs, on="_type", how="left")
        .with_columns(_type=pl.coalesce("_struct", "_type"))  # (``_struct`` not read again)
        .join(type_decls, on="_type", how="left")
        .with_columns(  # a package's variable: a member of its package folder's key
            _type=pl.when(pl.col("_declared") == PACKAGE)
            .then(pl.concat_str(pl.lit(f"{PACKAGE} "), _folder()))
            # an imported package's (``_imported_package_receivers``: its folder)
            .when(pl.col("_declared").str.starts_with(IMPORTED_PACKAGE_PREFIX))
            .then(
                pl.concat_str(
                    pl.lit(f"{PACKAGE} "), pl.col("_declared").str.extract(_IMPORTED_HOP, 1)
                )
            )
            .otherwise("_type"),
            _repository=pl.when(
                (pl.col("_declared") == PACKAGE)
                | pl.col("_declared").str.starts_with(IMPORTED_PACKAGE_PREFIX)
            )
            .then(pl.lit(True))
            .otherwise("_repository"),
        )
    )
    # outside the repository (or unknown: then ``_declared_targets`` leaves it as it is): the
    # declared type where the call is, or the return type where its function is
    returns_type = pl.col("_callee").is_not_null() & ~pl.col("_is_class").fill_null(False)
    # Go (``field_chains``): the value of a call with no return type of the repository, as the
    # callee where the call is, so that a function from outside the repository
    # (``httptest.NewServer()``) leaves the call unresolved (a repository one leaves it as is)
    callee_value = returns_type & pl.col("text_").is_null() & (pl.col("language") == "go")
    foreign = typed.filter(
        pl.col("_repository").is_null()
        & (
            pl.col("_callee").is_null()
            | (returns_type & pl.col("text_").is_not_null())
            | callee_value
        )
    ).select(
        *columns[:5],
        _tpath=pl.when(returns_type & ~callee_value).then("path_").otherwise("path"),
        _towner=pl.when(returns_type & ~callee_value).then("owner_").otherwise("owner"),
        _ttext=pl.when(callee_value)
        .then("_callee")
        .when(returns_type)
        .then("text_")
        .otherwise("_declared"),
    )
    # a type of the repository: hop by hop, the member of the type the previous hop gave
    found: list[pl.DataFrame] = []
    foreigns = [foreign]
    inside = typed.filter(pl.col("_repository").is_not_null()).select(
        *columns[:5], "_names", "_type"
    )
    member_types = members.drop("language", "name")
    written = resolved.rename({"path": "_tpath", "owner": "_towner", "text": "_ttext"})
    for hop in range(MAX_FIELD_HOPS):
        names = inside["_names"].list.get(hop)
        read = [
            f"{start}{FIELD_HOP_STEP}{name}"
            if start.startswith(PACKAGE)
            else bases.member(start, name)
            for start, name in zip(inside["_type"], names, strict=True)
        ]
        typed_member = (
            inside.with_columns(target=pl.Series(read, dtype=pl.String))
            .join(member_types, on="target", how="inner")
            .filter(pl.col("_ttext").is_not_null())  # a field of no known type
            .pipe(_tuple_field_hops, hop=hop)
        )
        last = pl.col("_names").list.len() == hop + 1
        found.append(typed_member.filter(last).select(columns))
        # a chain goes on from that member's type, resolved where it is written
        further = (
            typed_member.filter(~last)
            .drop("_type")
            .join(written, on=["language", "_tpath", "_towner", "_ttext"], how="left")
            .join(type_decls, on="_type", how="left")
        )
        # outside the repository (or unknown): its fields are outside too
        foreigns.append(further.filter(pl.col("_repository").is_null()).select(columns))
        inside = further.filter(pl.col("_repository").is_not_null()).select(
            *columns[:5], "_names", "_type"
        )
        if inside.is_empty():
            break
    return pl.concat([*found, *foreigns]).with_columns(_rops=pl.lit(""))


def _tuple_field_hops(rows: pl.DataFrame, *, hop: int) -> pl.DataFrame:
    """``rows`` (the members a field hop reads at ``hop``, ``_ttext`` their types) with the
    fields of a Rust tuple that follow taken (languages.base ``tuple_hops``): ``Holder .pair
    .0`` with ``pair: (Foo, u8)`` reads a ``Foo``, its chain going on after ``.0``; no row for
    an element of no known type (the call stays as rules 1-5 leave it)."""
    tuples = _rust_primitive(pl.col("_ttext")) & (pl.col("_names").list.len() > hop + 1)
    if not rows.select(tuples.any()).item():
        return rows
    texts: list[str | None] = []
    names: list[list[str]] = []
    for text, hop_names in zip(rows["_ttext"], rows["_names"], strict=True):
        found, rest = tuple_hops(text, hop_names[hop + 1 :])
        texts.append(found)
        names.append([*hop_names[: hop + 1], *rest])
    return rows.with_columns(
        _ttext=pl.Series(texts, dtype=pl.String), _names=pl.Series(names, dtype=pl.List(pl.String))
    ).filter(pl.col("_ttext").is_not_null())


# The columns of ``_rust_impl_structs``
_IMPL_STRUCTS_SCHEMA = {"_type": pl.String, "_struct": pl.String}


# A Rust path through a prelude trait, `Clone::clone` (group 1 the trait, group 2 the method).
_RUST_PRELUDE_TRAIT_PATH = rf"^(?:::)?({'|'.join(sorted(RUST_PRELUDE_TRAITS))})::(\w+)$"


def _rust_prelude_trait_impls(
    call_rows: pl.DataFrame, children: pl.DataFrame, *, scope: _Scope, lookups: _Lookups
) -> pl.DataFrame:
    """``call_rows`` with a Rust path through a prelude trait that rules 1-4 leave unresolved
    (``Clone::clone(m)``, ``Default::default()``, no repository trait of the name: a path under
    a standard root, no rule 5) named by rule 5's guess after all when the repository's one
    method of the name is in an impl of that very trait (``impl Clone for Man``: the call is
    ``Man::clone`` when ``m`` is a ``Man``, as rustc names it), never an inherent method of the
    name (``Rc``'s ``clone`` is no repository method)."""
    paths = call_rows.filter(
        (pl.col("language") == "rust")
        & pl.col("method").is_null()
        & pl.col("callee").str.contains(_RUST_PRELUDE_TRAIT_PATH)
    ).select(
        "call_id",
        _trait=pl.col("callee").str.extract(_RUST_PRELUDE_TRAIT_PATH, 1),
        name=pl.col("callee").str.extract(_RUST_PRELUDE_TRAIT_PATH, 2),
    )
    if paths.is_empty():
        return call_rows
    unique = lookups.unique_short.filter(
        (pl.col("language") == "rust") & (pl.col("label") == "METHOD") & ~pl.col("_members_only")
    ).select("name", _guess="_short")
    trait_impls = children.filter(pl.col("relation") == "impl").select(
        up="child_id", _trait="base_name"
    )
    guessed = (
        paths.join(unique, on="name", how="inner")
        .join(scope.up, left_on="_guess", right_on="id", how="inner")
        .join(trait_impls.unique(), on=["up", "_trait"], how="semi")
        .select("call_id", "_guess")
    )
    if guessed.is_empty():
        return call_rows
    at_row = call_rows.select("call_id").join(
        guessed, on="call_id", how="left", maintain_order="left"
    )
    guess = at_row.get_column("_guess")
    found = guess.is_not_null()
    return call_rows.with_columns(
        method=pl.when(found).then(guess).otherwise("method"),
        method_guess=pl.when(found).then(True).otherwise("method_guess"),
        method_outside=pl.when(found).then(False).otherwise("method_outside"),
    )


def _rust_self_delegations(
    call_rows: pl.DataFrame,
    children: pl.DataFrame,
    *,
    lookups: _Lookups,
    impl_structs: pl.DataFrame,
) -> pl.DataFrame:
    """``call_rows`` with a Rust ``self.f()`` in the method ``f`` of a trait impl (``impl Wait
    for Child { fn id(&self) -> u32 { self.id() } }``) named as rustc names it: an inherent
    ``f`` of the type first, the repository's (``impl Child { fn id }``, rule 1's lookup among
    the methods of no trait impl); else, for a type of the repository (a struct or enum of the
    impl's module, or the one ``_rust_impl_structs`` finds), the impl's own method, a recursion
    (``self.count(n - 1)``, ``self.poll(cx)`` on a ``self: Pin<&mut Self>``), as rule 1 has it;
    for a type from outside (``impl Wait for StdChild``, std's ``Child``), whose inherent ``f``
    rustc would pick when it has one (std's ``Child::id``), any ``self.f()`` rule 1 names a
    trait impl's method by: unresolved, from outside. In an impl for a smart pointer (``impl
    Schedule for Arc<Handle>``, named ``Arc``), whose ``&self`` is the receiver the trait's
    method takes before any deref reaches Handle's inherent ``schedule``, the impl's own
    method, as rule 1 has it. Also unresolved: such a recursion written
    in a macro's arguments (a macro call starting before it on its line of the same method,
    ``delegate_call!(self.poll_read(cx, buf))``), which the macro's expansion makes a call of
    something else."""
    rust = call_rows.filter(
        (pl.col("language") == "rust") & pl.col("callee").str.contains(r"^self\.[A-Za-z_]\w*$")
    )
    if rust.is_empty():
        return call_rows
    scope = lookups.scope
    trait_impls = children.filter((pl.col("language") == "rust") & (pl.col("relation") == "impl"))
    impl_methods = scope.up.join(
        trait_impls.select(up="child_id").unique(), on="up", how="semi"
    ).select("id", _impl="up")
    methods = impl_methods.join(scope.symbols.select("id", "name", "parent"), on="id").join(
        scope.symbols.select(
            _impl="id", _pointer=pl.col("name").is_in(sorted(RUST_SMART_POINTERS))
        ),
        on="_impl",
    )
    # a trait impl's method whose impl is of a type of the repository (or of a smart pointer:
    # its own methods come first)
    own_type = (
        pl.col("_pointer")
        | pl.col("parent").is_in(lookups.rust_types.implode())
        | pl.col("_impl").is_in(impl_structs["_type"].implode())
    )
    in_impl = rust.join(
        methods.select(
            owner="id", _name="name", _impl="_impl", _pointer="_pointer", _own_type=own_type
        ),
        on="owner",
        how="inner",
    )
    # `self.f()` in `f`: an inherent `f` of the type, rule 1's lookup without trait impls
    recursing = in_impl.filter(pl.col("callee_name") == pl.col("_name"))
    inherent = _members_of(
        recursing.filter(~pl.col("_pointer")).select(
            "language", "path", "owner", qid="call_id", label=pl.lit("METHOD"), name="callee_name"
        ),
        lookups.owner_types,
        symbols=lookups.member_symbols.join(impl_methods, on="id", how="anti"),
    ).select(call_id="qid", _inherent="id")
    # a macro call of the same method starting before the call on its line: its arguments
    macros = call_rows.filter(
        (pl.col("language") == "rust") & pl.col("callee").str.ends_with("!")
    ).select("path", "owner", "line", _macro="column")
    in_macro = (
        recursing.join(macros, on=["path", "owner", "line"], how="inner")
        .filter(pl.col("_macro") < pl.col("column"))
        .select("call_id")
        .unique()
    )
    # of a type from outside: a method of the impl, whatever rule 1 named, may be the type's
    unset = pl.concat(
        [
            in_impl.filter(
                ~pl.col("_own_type") & pl.col("method").is_in(impl_methods["id"].implode())
            ).select("call_id"),
            in_macro,
        ]
    ).join(inherent, on="call_id", how="anti")
    if unset.is_empty() and inherent.is_empty():
        return call_rows
    unsetting = pl.col("call_id").is_in(unset["call_id"].implode())
    return (
        call_rows.join(inherent, on="call_id", how="left")
        .with_columns(
            method=pl.when(unsetting).then(None).otherwise(pl.coalesce("_inherent", "method")),
            method_outside=pl.when(unsetting)
            .then(True)
            .when(pl.col("_inherent").is_not_null())
            .then(False)
            .otherwise("method_outside"),
            method_guess=pl.col("method_guess") & pl.col("_inherent").is_null(),
        )
        .drop("_inherent")
    )


def _rust_impl_structs(symbols: pl.DataFrame, bindings: pl.DataFrame) -> pl.DataFrame:
    """(_type, _struct): a Rust ``impl Foo`` whose file declares no type ``Foo`` (an impl binds
    no name: ``Foo`` is what a ``use`` of the file binds, or a glob brings) and the struct,
    union or enum it is of, whose fields a field hop from ``self`` in the impl reads
    (languages.base: ``Foo .x``). Where a ``use`` in the impl's module binds ``Foo``
    (``bindings``, ``_rust_import_bindings``): the type its IMPORTS edge reaches, re-exports
    followed (tokio's ``impl Handle`` in ``multi_thread/worker.rs``, ``use
    crate::runtime::scheduler::multi_thread::Handle``, is of the ``struct Handle`` of
    ``multi_thread/handle.rs``); none when that is no struct or enum of the repository (a crate
    outside, a type alias) or the ``use``'s cfg twins reach two. With no such ``use`` (a glob's
    name), a guess: the one ``Foo`` of a file of its folder (a sibling module or the folder's
    ``mod.rs``)."""
    # (the types in one query, the impls' structs in one: ``collected``)
    (rust,) = collected(
        symbols.lazy()
        .filter((pl.col("language") == "rust") & (pl.col("label") == "TYPE_DECL"))
        .select("id", "kind", "name", "path", "parent", _folder=_folder())
    )
    if rust.is_empty():
        return pl.DataFrame(schema=_IMPL_STRUCTS_SCHEMA)
    lazy_types = rust.lazy().filter(pl.col("kind").is_in(["struct", "enum"]))
    types, impls = collected(
        lazy_types,
        rust.lazy()
        .filter(pl.col("kind") == "impl")
        .join(lazy_types, on=["path", "name"], how="anti"),
    )
    if impls.is_empty():
        return pl.DataFrame(schema=_IMPL_STRUCTS_SCHEMA)
    imported = impls.lazy().join(
        bindings.lazy(), on=["path", "name", "parent"], how="inner", nulls_equal=True
    )
    found = (
        imported.select(_type="id", _struct="_found")
        .unique()
        # one type a use reaches (cfg twins of the use reaching two: none)
        .filter((pl.len().over("_type") == 1) & pl.col("_struct").is_in(types["id"].implode()))
    )
    guessed = (
        impls.lazy()
        .join(imported, on="id", how="anti")
        .join(types.lazy().drop("parent"), on=["_folder", "name"], how="inner", suffix="_struct")
        .filter(pl.len().over("id") == 1)
        .select(_type="id", _struct="id_struct")
    )
    (structs,) = collected(pl.concat([found, guessed]))
    return structs


def _rust_import_bindings(graph: _Graph, import_edges: pl.DataFrame) -> pl.DataFrame:
    """(path, name, parent, _found): the name each Rust import of a file binds (its alias,
    else its name; no glob), the qualified name of the module item it is in (``parent``, null:
    the file's top level) and what its IMPORTS edge reaches (null: nothing resolved), for
    ``_rust_impl_structs``. (One query: ``collected``.)"""
    (bindings,) = collected(
        graph.imports.lazy()
        .with_columns(src=graph.import_ids)
        .filter((pl.col("language") == "rust") & (pl.col("name") != "*"))
        .join(
            import_edges.lazy().filter("resolved").select("src", _found="dst"),
            on="src",
            how="left",
        )
        .select(
            "path",
            name=pl.coalesce("alias", "name"),
            parent="enclosing",
            _found="_found",
        )
        .unique()
    )
    return bindings


def _later_field_hops(call_rows: pl.DataFrame, returned: pl.DataFrame) -> pl.DataFrame:
    """The ``call_rows`` with a field hop from a call's value (``f() .y``, ``f()[1] .y``) whose
    callee ``returned`` types in rule 4a's second pass (``_returned_by_call_sites``: named once
    rule 4a resolved its call sites), for ``_field_hop_types`` with that ``returned``."""
    receiver = pl.col("receiver_type")
    hops = call_rows.filter(receiver.str.contains(FIELD_HOP_PATTERN))
    if hops.is_empty():
        return hops
    return (
        hops.with_columns(_callee=_receiver_start().str.extract(CALL_VALUE_PATTERN, 1))
        .join(
            returned.select("language", "path", "owner", _callee="text").unique(),
            on=["language", "path", "owner", "_callee"],
            how="semi",
        )
        .drop("_callee")
    )


# `x.as_mut().f` (a place of names and fields): what languages.rust.rust_receiver_unwrap reads
# as Pin's reborrow, `x.f`; group 1 the receiver as written, `x.as_mut()`
_RUST_AS_MUT_CALL = r"^((?:self|[A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)*\.as_mut\(\))\.[A-Za-z_]\w*$"


def _rust_own_as_mut_receivers(call_rows: pl.DataFrame, symbols: pl.DataFrame) -> pl.DataFrame:
    """``call_rows`` with the receiver of a Rust ``x.as_mut().f()`` the value of ``x.as_mut()``
    again (as written: its method's return type) when the type it was given (Pin's reborrow,
    ``x``'s type, ``languages.rust.rust_receiver_unwrap``, which sees only its own file's
    ``as_mut``) has an ``as_mut`` method in the repository, by its name (inherent or an ``impl
    AsMut<Conn> for Wrap``'s: ``&mut Conn``, not a Pin of ``Wrap``)."""
    # (the types' names in one query: ``collected``; none: the rows as they are)
    (owners,) = collected(
        symbols.lazy()
        .filter(
            (pl.col("language") == "rust")
            & (pl.col("kind") == "method")
            & (pl.col("name") == "as_mut")
        )
        .select(pl.col("parent").drop_nulls().str.split("::").list.last().unique())
    )
    if owners.is_empty():
        return call_rows
    names = owners["parent"].to_list()
    receiver = pl.col("receiver_type")
    written = _unspaced(pl.col("callee")).str.extract(_RUST_AS_MUT_CALL, 1)
    own = (
        (pl.col("language") == "rust")
        & written.is_not_null()
        & (receiver != written)
        & receiver.str.split("::").list.last().is_in(names)
    )
    return call_rows.with_columns(receiver_type=pl.when(own).then(written).otherwise(receiver))


def _rust_aliases(symbols: pl.DataFrame) -> pl.DataFrame:
    """(language, alias, path, owner, text, name, head, _count): each Rust type alias with the
    one type it stands for (its ``returns``: ``type EntryList = LinkedList<T, T>`` ->
    ``LinkedList``; none with operators, an ``Option``'s or a ``Result``'s content), where that
    is written (the alias's file and the scope around it), to resolve with the receiver
    types."""
    returns = pl.col("returns")
    (aliases,) = collected(
        symbols.lazy()
        .filter(
            (pl.col("language") == "rust")
            & (pl.col("kind") == "type_alias")
            & returns.is_not_null()
            & ~returns.str.contains(" ", literal=True)
        )
        .select(
            "language",
            alias="id",
            path="path",
            owner=pl.col("up").fill_null(_TOP),
            text=returns,
        )
    )
    return _with_type_segments(aliases)


def _rust_aliased(receiver_types: pl.DataFrame, aliases: pl.DataFrame) -> pl.DataFrame:
    """``receiver_types`` (resolved) with a target that is a Rust type alias replaced by the
    type the alias stands for (``_rust_aliases``, resolved among them, never a rule-5 guess;
    an alias of an alias followed, up to ``_MAX_BASES``): ``self.pending.remove()`` with
    ``pending: EntryList`` is LinkedList's ``remove``. An alias of a type from outside, or of no
    one type, stays the alias (whose members are none)."""
    if aliases.is_empty():
        return receiver_types
    keys = ["language", "path", "owner", "text"]
    (aliased,) = collected(
        aliases.lazy()
        .join(
            receiver_types.lazy()
            .filter(pl.col("target").is_not_null() & ~pl.col("guess"))
            .select(*keys, "target"),
            on=keys,
            how="inner",
        )
        .select("alias", "target")
        .unique(subset="alias", keep="none")
    )
    stands_for = dict(aliased.iter_rows())
    for _ in range(_MAX_BASES):
        followed = {alias: stands_for.get(target, target) for alias, target in stands_for.items()}
        if followed == stands_for:
            break
        stands_for = followed
    if not stands_for:
        return receiver_types
    return receiver_types.with_columns(
        target=pl.col("target").replace(
            pl.Series(list(stands_for), dtype=pl.String),
            pl.Series(list(stands_for.values()), dtype=pl.String),
        )
    )


def _return_type_queries(functions: pl.DataFrame, returned_calls: pl.DataFrame) -> pl.DataFrame:
    """(language, path, owner, text, name, head, _count): the return types, where they are
    written, of the functions (``_returned_functions``) a receiver's callee may name (its last
    segment is theirs), to resolve with the declared receiver types in one pass."""
    named = returned_calls.lazy().select("language", "name").unique()
    (written,) = collected(
        functions.lazy()
        .join(named, on=["language", "name"], how="semi")
        .select("language", path="_tpath", owner="_towner", text="_ttext")
        .unique(maintain_order=True)
    )
    return _with_type_segments(written)


def _returned_types(returned_calls: pl.DataFrame, functions: pl.DataFrame) -> pl.DataFrame:
    """``returned_calls`` (resolved by ``_resolve_targets``) whose callee names a function with
    a declared return type, with its ``_rops``, ``_tpath``, ``_towner`` and ``_ttext``
    (``_returned_functions``); the type's text is resolved with the receiver types
    (``_return_type_queries``), as a declared type is (label TYPE_DECL), never taken from a rule-5
    guess (a type parameter or alias whose name is unique elsewhere is no guess to make). A
    callee that only rule 5 names is no such function either: that would be a guess on a guess
    (the callee's short name, then its type's member)."""
    targets = returned_calls.filter(pl.col("target").is_not_null() & ~pl.col("guess"))
    return targets.join(functions.drop("language", "name"), on="target", how="inner").drop(
        "target", "guess"
    )


# The target ``_returned_by_call_sites`` gives a call site settled outside the repository: an
# answer of its own, which no function of the repository has.
_OUTSIDE_SITE = "<outside>"


def _unspaced(callee: pl.Expr) -> pl.Expr:
    """languages.base ``_unspaced`` as an expression: ``self .state .load`` (a squeezed chain
    written over lines) -> ``self.state.load``."""
    for spaced, plain in CHAIN_SPACES:
        callee = callee.str.replace_all(spaced, plain, literal=True)
    return callee


# The sites of a callee text that type a call's value in rule 4a's second pass, for a function
# of the repository (``_returned_by_call_sites``) and for a value from outside
# (``_outside_call_values``) alike, so that the two never both answer for one receiver: Rust,
# the sites in the receiver's own scope (its binding is there; ``variants`` in another function
# is another variable); the other languages, the file's.
_VALUE_SITE_OWNER = pl.when(pl.col("language") == "rust").then(pl.col("owner"))
_VALUE_SITE_KEYS = ["language", "path", "_site_owner", "text"]


def _value_sites() -> list[pl.Expr]:
    """``_VALUE_SITE_KEYS`` of the call rows: a Rust chain written over lines
    (``self.io\\n.registration()``, callee ``self.io .registration``) is the receiver's text
    without that whitespace."""
    is_rust = pl.col("language") == "rust"
    return [
        pl.col("language"),
        pl.col("path"),
        _VALUE_SITE_OWNER.alias("_site_owner"),
        pl.when(is_rust).then(_unspaced(pl.col("callee"))).otherwise("callee").alias("text"),
    ]


def _returned_by_call_sites(
    call_rows: pl.DataFrame, returned_calls: pl.DataFrame, functions: pl.DataFrame
) -> pl.DataFrame:
    """``_returned_types`` for the callees of receivers bound to a call's value that rules 1-4
    do not name (``returned_calls`` without a target, or with a rule-5 guess): a member of a
    declared type (``x = self.repo.load()``), an inherited method (``x = self.get()``), named
    as the call sites of that callee text in the file are once rule 4a and the base walk have
    resolved them (``call_rows`` with ``method``; the binding's own call is one of them): the
    one METHOD they name, none where they disagree. A site rule 4a settles outside the
    repository (``method_outside``: ``self.inner.lock()`` on a ``std::sync::Mutex``) is an
    answer too, one no function of the repository has (``_OUTSIDE_SITE``), so it disagrees
    with a site of the same text on a repository type rather than dropping out. Rust: only
    the sites in the receiver's own scope (``owner``; its binding is there): ``self.inner``
    names another field in another impl. One level still: the return type then types the
    receiver as any other."""
    pending = returned_calls.filter(pl.col("target").is_null() | pl.col("guess"))
    if pending.is_empty():
        return pending.drop("target", "guess").join(
            functions.drop("language", "name", "target").clear(), how="cross"
        )
    keys = _VALUE_SITE_KEYS
    answered = (pl.col("method").is_not_null() & ~pl.col("method_guess")) | pl.col("method_outside")
    pending = pending.with_columns(_site_owner=_VALUE_SITE_OWNER)
    sites = (
        call_rows.filter(answered)
        .select(
            *_value_sites(),
            target=pl.when(pl.col("method_outside"))
            .then(pl.lit(_OUTSIDE_SITE))
            .otherwise("method"),
        )
        .unique()
        .join(pending.select(keys).unique(), on=keys, nulls_equal=True)
        .filter(pl.len().over(keys) == 1)
    )
    return (
        pending.drop("target", "guess")
        .join(sites, on=keys, how="inner", nulls_equal=True)
        .drop("_site_owner")
        # a site settled outside the repository names none of its functions
        .join(functions.drop("language", "name"), on="target", how="inner")
        .drop("target")
    )


def _callback_functions(symbols: pl.DataFrame) -> pl.DataFrame:
    """(language, target, _key, _tpath, _towner, _ttext): one row per entry of each function's
    ``callback_types`` (the type of parameter j of the function type its parameter k is
    declared with, ``_key`` ``k:j``), where the type is written as for ``_returned_functions``
    (the function's file, the scope around it)."""
    entry = pl.col("_entry")
    typed = symbols.filter(pl.col("callback_types").is_not_null())
    if typed.is_empty():  # (no function-typed parameter: no explode, no regex)
        return pl.DataFrame(schema=_CALLBACK_FUNCTIONS_SCHEMA)
    return (
        typed.select(
            "language",
            **_SIGNATURE_SCOPE,
            _entry=pl.col("callback_types").str.split(CALLBACK_SEPARATOR),
        )
        .explode("_entry")
        .with_columns(
            _key=entry.str.extract(CALLBACK_ENTRY_PATTERN, 1),
            _ttext=entry.str.extract(CALLBACK_ENTRY_PATTERN, 2),
        )
        .drop("_entry")
    )


def _callback_type_queries(callbacks: pl.DataFrame) -> pl.DataFrame:
    """(language, path, owner, text, name, head, _count): the callback parameters' types
    (``_callback_functions``) where they are written, to resolve with the declared receiver
    types in one pass (label TYPE_DECL)."""
    return _with_type_segments(
        callbacks.select("language", path="_tpath", owner="_towner", text="_ttext").unique(
            maintain_order=True
        )
    )


def _contextual_types(
    call_rows: pl.DataFrame, callbacks: pl.DataFrame, constructors: pl.DataFrame
) -> pl.DataFrame:
    """``_returned_types`` rows (no operators) for the receivers that are an untyped parameter
    j of a function value passed as argument k of a call (``operate((source, subscriber) =>
    ...)``, ``new Observable((subscriber) => ...)``; receiver type ``ARGUMENT_PARAMETER_PATTERN``):
    the call at that position (its one calls row) resolved to a METHOD by rules 1-4, 4a or the
    base walk (``call_rows`` with ``method``, never a rule-5 guess), or constructs a type whose
    constructor it then calls (``constructors``: ``_constructor_targets`` of the calls'
    ``declared``); that function's ``callback_types``
    entry ``k:j`` is the parameter's type, resolved where the signature is written. One level:
    a call that only such a parameter's type resolves types no parameter of its own
    arguments."""
    receiver = pl.col("receiver_type")
    wanted = (
        call_rows.filter(receiver.str.contains(ARGUMENT_PARAMETER_PATTERN))
        .select(
            "language",
            "path",
            "owner",
            "this_owner",
            text=receiver,
            line=receiver.str.extract(ARGUMENT_PARAMETER_PATTERN, 1).cast(call_rows.schema["line"]),
            column=receiver.str.extract(ARGUMENT_PARAMETER_PATTERN, 2).cast(
                call_rows.schema["column"]
            ),
            _key=receiver.str.extract(ARGUMENT_PARAMETER_PATTERN, 3),
        )
        .unique(maintain_order=True)
    )
    columns = _TYPED_RECEIVER_COLUMNS
    if wanted.is_empty() or callbacks.is_empty():
        return pl.DataFrame(schema=_TYPED_RECEIVER_SCHEMA)
    position = ["path", "line", "column"]
    method = pl.col("method")
    sites = (
        call_rows.join(wanted.select(position).unique(), on=position, how="semi")
        .filter(pl.len().over(position) == 1)  # `f(a)(cb)`: two calls at one position
        .select(*position, "method", "method_guess", "declared")
    )
    sites = sites.join(constructors.rename({"target": "_built"}), on="declared", how="left").select(
        *position,
        target=pl.when(method.is_not_null())
        .then(pl.when(~pl.col("method_guess")).then(method))
        .otherwise(pl.col("_built")),
    )
    return (
        wanted.join(sites, on=position, how="inner")
        .join(callbacks, on=["language", "target", "_key"], how="inner")
        .select(*columns, _rops=pl.lit(""))
    )


def _declared_targets(
    call_rows: pl.DataFrame,
    receiver_types: pl.DataFrame,
    returned: pl.DataFrame,
    *,
    scope: _Scope,
    lookups: _Lookups,
    bases: _BaseWalk,
    trait_imports: _RustTraitImports,
    outside: pl.DataFrame,
    returned_only: bool = False,
) -> pl.DataFrame:
    """``call_rows`` with ``method`` (and ``method_guess``) of the member calls whose receiver
    has a declared type (``receiver_type``) and that rules 1-4 leave to rule 5 or unresolved.

    The type text resolves as a base type does (``_resolve_queries``, label TYPE_DECL, from the
    call's file and enclosing scope; a Rust type alias is the type it stands for,
    ``_rust_aliased``). A type of the repository (not a type alias, which may stand for a
    union): its member ``f`` (``_members_of``, as rule 1 finds a type's members),
    else the nearest base's (``_BaseWalk``), else unresolved, never a rule-5 guess (the member
    comes from a base outside the repository, or is a field holding a function). A type not in
    the repository that an import binds from outside it, or a builtin/runtime type
    (``BUILTIN_TYPES``): unresolved. ``Foo()`` (a name bound to what calling ``Foo`` returns)
    is a ``Foo`` when ``Foo`` is a type of the repository (not by rule 5, no operator after
    it); else, when the callee names a function with a declared return type (``returned``,
    see ``_returned_types``) whose operators are the ones applied (``.await``, ``?``), that
    type, resolved, checked for being outside or builtin and followed as above in the
    function's file and scope; anything else is left as it is (a callee from outside
    the repository: unresolved, as its head is). ``returned_only``: only the calls whose
    receiver ``returned`` types (a second pass, see ``_returned_by_call_sites``); ``outside``:
    ``_outside_bindings`` of the graph (with ``_outside`` true), ``bases`` the node run's ``_BaseWalk`` and
    ``trait_imports`` its ``_RustTraitImports`` (each built once for both passes).
    """
    receiver = pl.col("receiver_type")
    # the columns the rule reads (each filter and join below gathers every column it carries)
    read = ["_call", "language", "path", "owner", "this_owner", "receiver_type", "callee_name"]
    wanted = (
        call_rows.with_row_index("_call")
        .select(*read, "arguments", "method", "method_guess", "declared")
        .filter(
            receiver.is_not_null()
            & (pl.col("method").is_null() | pl.col("method_guess"))
            & pl.col("declared").is_null()
        )
        .select(*read, "arguments", _guess=pl.when("method_guess").then("method"))
    )
    if returned_only:
        # the second pass: the calls in the scopes ``returned`` speaks of (exactly which
        # receivers, below), before the receiver texts are read
        wanted = wanted.join(
            returned.select("language", "path", "owner").unique(),
            on=["language", "path", "owner"],
            how="semi",
            maintain_order="left",
        )
    if wanted.height == 0:
        return call_rows
    receiver_types = _with_es5_classes(receiver_types, wanted, scope=scope, lookups=lookups)
    # an argument's parameter (``_contextual_types``) and a field hop (``_field_hop_types``)
    # join ``returned`` by their whole text, with no operators
    whole = receiver.str.contains(_WHOLE_TEXT_RECEIVER)
    # (the typed rows in one query, the decided ones in another: ``collected``)
    # the result a call's value is (Go `c, err := f()`: ``[1]``; else the first, "")
    wanted_rows = (
        wanted.lazy()
        .with_columns(
            _callee=pl.when(whole)
            .then(receiver)
            .otherwise(receiver.str.extract(CALL_VALUE_PATTERN, 1)),
            _ops=pl.when(whole)
            .then(pl.lit(""))
            .otherwise(receiver.str.extract(CALL_VALUE_PATTERN, 2)),
        )
        .with_columns(
            text=pl.coalesce("_callee", receiver),
            _this=pl.col("this_owner").fill_null(""),
            _result=pl.col("_ops").str.extract(RESULT_OPERATOR_PATTERN, 1).fill_null(""),
        )
    )
    keys = ["language", "path", "owner", "text"]
    # a call's value: the class its callee names (no rule-5 guess, no operators after it),
    # else the return type of the function it names, written in that function's file
    classes = (
        receiver_types.lazy()
        .filter(pl.col("target").is_not_null() & ~pl.col("guess"))
        .select(*keys, _class=pl.lit(True))
    )
    callee_keys = ["language", "path", "owner", "_this", "_callee", "_result"]
    returning = returned.lazy().with_columns(
        _this=pl.col("this_owner").fill_null(""),
        _callee="text",
        _result=pl.col("_rops").str.extract(RESULT_OPERATOR_PATTERN, 1).fill_null(""),
        # a value from outside the repository (``_outside_call_values``)
        _outside_value=pl.col("_outside_value").fill_null(False)
        if "_outside_value" in returned.columns
        else pl.lit(False),
    )
    if returned_only:  # the second pass: only the receivers ``returned`` speaks of
        wanted_rows = wanted_rows.join(returning.select(callee_keys), on=callee_keys, how="semi")
    wanted_rows = (
        wanted_rows.join(classes, on=keys, how="left")
        .join(
            returning.select(
                "language",
                "path",
                "owner",
                "_rops",
                "_tpath",
                "_towner",
                "_ttext",
                "_this",
                "_callee",
                "_result",
                "_outside_value",
            ),
            on=callee_keys,
            how="left",
        )
        .with_columns(
            _returned=pl.col("_callee").is_not_null()
            & pl.col("_class").is_null()
            & (pl.col("_rops") == pl.col("_ops")).fill_null(False)
            & ~pl.col("_outside_value").fill_null(False),
            # fewer operators than the return type needs: the value is still a Future, a
            # Promise, a coroutine, a Result or an Option, a type from outside the repository
            _wrapped=pl.col("_callee").is_not_null()
            & pl.col("_class").is_null()
            & (
                (
                    pl.col("_rops").str.starts_with(pl.col("_ops"))
                    & (pl.col("_rops") != pl.col("_ops"))
                )
                | pl.col("_outside_value")
            ).fill_null(False),
        )
        .with_columns(
            # the type's query: where the call is, or where the return type is written
            _call_path=pl.col("path"),
            path=pl.when("_returned").then("_tpath").otherwise("path"),
            _query_owner=pl.when("_returned").then("_towner").otherwise("owner"),
            text=pl.when("_returned").then("_ttext").otherwise("text"),
        )
    )
    if returned_only:
        (wanted,) = collected(wanted_rows.filter(pl.col("_returned") | pl.col("_wrapped")))
        if wanted.height == 0:
            return call_rows
        wanted_rows = wanted.lazy()
    # a path from a dependency that is no crate of the repository (`bytes::BytesMut`); a
    # prelude name (`Extend`, `String`) only when rules 1-4 find no type of it that the call's
    # crate declares (``_rust_own_prelude_types``)
    outside_root = (
        pl.when("_crate_outside")
        .then(True)
        .when(pl.col("_own_prelude").fill_null(False) & ~pl.col("guess").fill_null(True))
        .then(None)
        .otherwise("_outside_root")
    )
    typed_rows = (
        wanted_rows.join(
            receiver_types.lazy()
            .select(*keys, "head", "_count", "guess", pl.col("target").alias("_type"))
            .rename({"owner": "_query_owner"}),
            on=["language", "path", "_query_owner", "text"],
            how="left",
        )
        .with_columns(
            # a Rust type a `use` of the file names that names no definition of the repository
            # (a re-export of a std type, `use crate::loom::sync::atomic::AtomicBool` with
            # `pub(crate) use std::sync::atomic::AtomicBool` there): from outside; declared, or
            # a field's or return type where it is written
            _nowhere=(pl.col("language") == "rust")
            & (pl.col("_callee").is_null() | pl.col("_returned"))
            & pl.col("_type").is_null()
            & (pl.col("_count") == 1),
            # a call's value with no class and no return type: no type (its head may still be
            # bound from outside the repository)
            _type=pl.when(
                pl.col("_callee").is_null()
                | (pl.col("_returned") & ~pl.col("guess").fill_null(False))
                | (pl.col("_class").fill_null(False) & (pl.col("_ops") == ""))
            ).then("_type"),
        )
        .join(
            scope.bound_names.lazy()
            .filter(pl.col("name") != "*")
            .select("path", head="name", _use_bound=pl.lit(True)),
            on=["path", "head"],
            how="left",
            maintain_order="left",
        )
        .join(scope.declared_types.lazy(), on="_type", how="left")
        .join(_OUTSIDE_ROOTS_FLAGGED.lazy(), on=["language", "head"], how="left")
        .pipe(scope.crates_of)
        .pipe(_rust_own_prelude_types, scope=scope)
        .with_columns(
            _outside_root=outside_root,
            _type=pl.when(pl.col("_type_name").is_not_null() & outside_root.is_null()).then(
                pl.col("_type")
            ),
            # a type of the repository: its member, else a base's
            # the call's file where its build decides among one definition per build
            # (``_with_other_builds``), else null: one query per (type, name, arguments)
            _caller=pl.when(pl.col("language").is_in(sorted(BUILD_LANGUAGES))).then("_call_path"),
        )
    )
    (typed,) = collected(typed_rows)
    members = _declared_members(
        typed.filter(pl.col("_type").is_not_null()), scope=scope, lookups=lookups, bases=bases
    )
    # not a type of the repository: bound by an import from outside it (``outside``), or a
    # runtime type
    (decided,) = collected(
        typed.lazy()
        .join(
            members.lazy().rename({"name": "callee_name"}),
            on=["_type", "callee_name", "arguments", "_caller"],
            how="left",
            nulls_equal=True,
        )
        .join(outside.lazy(), on=["path", "head"], how="left")
        .join(_BUILTIN_TYPE_TEXTS.lazy(), on=["language", "text"], how="left")
        .filter(
            pl.col("_type").is_not_null()
            | pl.col("_wrapped")
            | pl.col("_outside").fill_null(False)
            | ((pl.col("_count") > 1) & pl.col("_outside_root").fill_null(False))
            | ((pl.col("_count") == 1) & pl.col("_builtin").fill_null(False))
            | _rust_primitive(pl.col("text"))
            | (pl.col("_nowhere") & pl.col("_use_bound").fill_null(False))
        )
    )
    decided = (
        _rust_primitive_trait_guesses(decided, scope=scope, bases=bases)
        .with_columns(path="_call_path")  # a trait must be in scope where the call is
        .pipe(_rust_traits_in_scope, scope=scope, bases=bases, trait_imports=trait_imports)
        .select(
            "_call",
            "_method",
            # a std method of a Rust value of a primitive type or a prelude trait
            # (`items.first()` of a `&[Foo]`, `it.next()` of an `impl Iterator<Item = Foo>`)
            # may return a repository type, the element, and so may a repository trait's
            # (`rd.lines()` of a `&[u8]`): no value from outside (``_outside_call_values``)
            _generic=_rust_primitive(pl.col("text"))
            | (
                (pl.col("language") == "rust")
                & pl.col("text").is_in(sorted(RUST_PRELUDE_TRAITS))
                & pl.col("_type").is_null()
            ),
        )
    )
    # each call row's decision (by its row number; only the three columns it sets are
    # gathered, not every column of the call rows)
    at_row = pl.DataFrame(
        {"_call": pl.int_range(call_rows.height, eager=True, dtype=pl.UInt32)}
    ).join(decided.with_columns(_set=pl.lit(True)), on="_call", how="left", maintain_order="left")
    is_set = at_row.get_column("_set").fill_null(False)
    method = at_row.get_column("_method")
    return call_rows.with_columns(
        method=pl.when(is_set).then(method).otherwise(pl.col("method")),
        method_guess=pl.col("method_guess") & ~is_set,
        method_outside=pl.when(is_set).then(method.is_null()).otherwise(pl.col("method_outside")),
        method_generic=pl.when(is_set)
        .then(method.is_null() & at_row.get_column("_generic"))
        .otherwise(pl.col("method_generic")),
    )


def _with_es5_classes(
    receiver_types: pl.DataFrame, wanted: pl.DataFrame, *, scope: _Scope, lookups: _Lookups
) -> pl.DataFrame:
    """``receiver_types`` (resolved as base types are, label TYPE_DECL) with the JavaScript
    ones of the scopes of ``wanted`` (``_declared_targets``' calls) that no TYPE_DECL answers
    but a rule-5 guess or nothing, and that name an ES5 class where the call is (resolved as a
    call is, rules 1-4: ``function Foo() {}`` with ``Foo.prototype.m = ...``,
    ``_Scope.es5_classes``) typed that function: ``new Foo().m()`` calls Foo's ``m``, not a
    unique short name, as tsc reads it."""
    classes = scope.es5_classes
    if classes.is_empty():
        return receiver_types
    numbered = receiver_types.with_row_index("_receiver")
    (asked,) = collected(
        numbered.lazy()
        .filter(
            (pl.col("language") == "javascript")
            & (pl.col("target").is_null() | pl.col("guess"))
            & pl.col("name").is_in(
                classes.select(_segments(pl.col("_type_name")).list.last().unique())
                .to_series()
                .implode()
            )
        )
        .join(
            wanted.lazy().select("language", "path", "owner").unique(),
            on=["language", "path", "owner"],
            how="semi",
        )
    )
    if asked.height == 0:
        return receiver_types
    keys = asked.select(
        "language",
        "path",
        "owner",
        this_owner=pl.lit(None, pl.String),
        text="text",
        name="name",
        _receiver="_receiver",
    ).with_row_index("_key")
    live = _live_queries(_with_segments(keys), calls=0, lookups=lookups, methods_from=0)
    resolved = _resolve_queries(
        live.with_columns(qid=pl.col("_row").cast(pl.Int64)), lookups=lookups
    )
    (found,) = collected(
        keys.lazy()
        .select(qid=pl.col("_key").cast(pl.Int64), _receiver="_receiver")
        .join(resolved.lazy().filter(~pl.col("guess")), on="qid", how="inner")
        .join(classes.lazy().select(target="_type"), on="target", how="semi")
        .select("_receiver", _class="target")
    )
    if found.height == 0:
        return receiver_types
    (typed,) = collected(
        numbered.lazy()
        .join(found.lazy(), on="_receiver", how="left", maintain_order="left")
        .with_columns(
            target=pl.coalesce("_class", "target"),
            guess=pl.col("guess") & pl.col("_class").is_null(),
        )
        .select(receiver_types.columns)
    )
    return typed


def _rust_own_prelude_types(typed: pl.LazyFrame, *, scope: _Scope) -> pl.LazyFrame:
    """``typed`` (``_declared_targets``' rows, ``_type`` the receiver's type that rules 1-4 or
    a guess found, ``_call_path``) with ``_own_prelude``: the type is a struct, an enum or a
    trait named like a Rust prelude type or trait (``trait Extend``, ``struct String``) that
    the crate of the call declares, which the name is there rather than std's. Not an impl
    (``impl Arbitrary for Vec<A>`` is named ``Vec``), nor another crate's type: a ``use`` of a
    std path that the repository's crates shadow (``use alloc::vec::Vec`` in a corpus with a
    crate of an ``alloc`` module) names std's. (A part of a query: ``collected``.)"""
    own = scope.own_prelude_types
    if own is None:
        return typed.with_columns(_own_prelude=pl.lit(False))
    return (
        typed.join(own.lazy(), on="_type", how="left")
        .join(
            scope.crate_files.lazy().select(_call_path="path", _call_package="_package"),
            on="_call_path",
            how="left",
        )
        .with_columns(
            _own_prelude=pl.col("_own_prelude").fill_null(False)
            & (pl.col("_call_package").fill_null("") == pl.col("_type_package"))
        )
        .drop("_type_package", "_call_package")
    )


def _rust_primitive_trait_guesses(
    decided: pl.DataFrame, *, scope: _Scope, bases: _BaseWalk
) -> pl.DataFrame:
    """``decided`` with the rule-5 guess (``_guess``) of a Rust receiver of a primitive type
    that is no path (``p: *mut Foo``, ``b: &[u8]``, a tuple: ``_rust_primitive``) kept when it
    is a repository trait's method (declared in a trait or in a blanket impl, ``_via_trait``:
    the trait must be in scope, ``_rust_traits_in_scope``): a primitive type has no inherent
    method but std's, while a repository trait may be implemented for it (``impl AsyncBufRead
    for &[u8]``: ``rd.read_until()`` is AsyncBufReadExt's). Whether the trait is implemented
    for that primitive type is not checked (the impl's type as written is not kept: ``impl
    Account for Foo`` leaves ``b.grand_total()`` of a ``&[u8]`` Account's). Any other guess, an
    inherent method of a repository type (``Thing::is_null`` for ``p.is_null()``), is none of
    the value's."""
    # (a Rust async fn's value not awaited, `f().first_poll()`: a Future, whatever its output)
    unawaited = (
        (pl.col("language") == "rust")
        & pl.col("_wrapped")
        & pl.col("_rops").str.starts_with(AWAIT).fill_null(False)
        & ~pl.col("_ops").str.starts_with(AWAIT).fill_null(False)
    )
    primitive = (
        (_rust_primitive(pl.col("text")) | unawaited)
        & pl.col("_type").is_null()
        & pl.col("_guess").is_not_null()
    )
    guesses = decided.filter(primitive)["_guess"].unique().to_list()
    if not guesses:
        return decided
    trait_owners = sorted(bases.rust.traits | set(bases.rust.extension))
    trait_methods = scope.symbols.filter(
        pl.col("id").is_in(guesses) & pl.col("up").is_in(trait_owners)
    )["id"]
    kept = primitive & pl.col("_guess").is_in(trait_methods.to_list())
    return decided.with_columns(
        _method=pl.when(kept).then("_guess").otherwise("_method"),
        # (a Future's: rule 5's guess as it was before such a value had a type, the trait
        # not looked for in scope: `use futures::FutureExt` of a crate outside the
        # repository may bring futures-util's)
        _via_trait=pl.when(kept).then(~unawaited).otherwise("_via_trait"),
    )


def _declared_members(
    typed: pl.DataFrame, *, scope: _Scope, lookups: _Lookups, bases: _BaseWalk
) -> pl.DataFrame:
    """(_type, name, arguments, _caller, _method, _via_trait): for the calls of ``typed``
    (``_declared_targets``' rows of a type of the repository), the method a value of the type
    has: its own (``_members_of``), else its bases' (``_BaseWalk.walk``, ``_via_trait``); one
    query per (type, name, arguments, caller's build)."""
    if typed.is_empty():  # (no call on a type of the repository: the columns alone)
        return typed.select(
            "_type",
            pl.col("callee_name").alias("name"),
            "arguments",
            "_caller",
            _method=pl.lit(None, pl.String),
            _via_trait=pl.lit(None, pl.Boolean),
        )
    (members,) = collected(
        typed.lazy()
        .select(
            "language", "_type", "_type_name", "arguments", "_caller", name=pl.col("callee_name")
        )
        .unique()
        .join(
            scope.symbols.lazy().select(pl.col("id").alias("_type"), "path"),
            on="_type",
            how="left",
        )
        .with_row_index("qid")
        .with_columns(pl.col("qid").cast(pl.Int64), label=pl.lit("METHOD"))
    )
    candidates = lookups.instance_members
    es5_classes = scope.es5_classes
    if es5_classes.height:
        # an ES5 class holds what is stored on its objects (``THIS_MEMBER_KINDS``, as its own
        # ``this.f`` sees them), not a function local to it
        candidates = candidates.filter(
            ~(
                (pl.col("language") == "javascript")
                & ~pl.col("kind").is_in(sorted(THIS_MEMBER_KINDS))
                & pl.col("_type").is_in(es5_classes.get_column("_type_name").implode())
            )
        )
    own = _members_of(
        members.rename({"_type": "owner"}),
        members.select(
            pl.col("_type").alias("owner"), pl.col("_type_name").alias("parent")
        ).unique(),
        symbols=candidates,
    )
    members = members.join(own.rename({"id": "_own"}), on="qid", how="left")
    # (an ``ARITY_LANGUAGES`` type none of whose own methods of the name can take the call's
    # argument count: the nearest base's that can, `other.iterator()` on a Sub overriding
    # only `iterator(int)`)
    # (``_via_trait``: not the type's own, found by the base walk)
    methods: list[str | None] = []
    via_trait: list[bool] = []
    for start, name, found_own, arguments in members.select(
        "_type", "name", "_own", "arguments"
    ).iter_rows():
        if found_own is not None and bases.takes(start, name, arguments):
            methods.append(found_own)
            via_trait.append(False)
        else:
            # a value of the type: its bases' instance methods
            methods.append(
                bases.walk(start, name, superclass_only=False, arguments=arguments, instance=True)
            )
            via_trait.append(True)
    return members.select(
        "_type",
        "name",
        "arguments",
        "_caller",
        _method=pl.Series(methods, dtype=pl.String),
        _via_trait=pl.Series(via_trait, dtype=pl.Boolean),
    )


# Passes of rule 4a after the second for values from outside the repository found by the
# passes before (``OUTSIDE_VALUE_LANGUAGES``: Go, Java, Rust) (``_outside_call_values``): a value of a method of such a value, and so on.
_MAX_OUTSIDE_VALUE_PASSES = 3
# Languages whose values of calls from outside the repository are found so
# (``_outside_call_values``): Go, Java (`gcal.getCalendarDate().getYear()` with `gcal` a
# `sun.util.calendar.BaseCalendar`: no rule-5 guess onto the repository's one `getYear`) and
# Rust (`poll.registry().try_clone()` with `poll` a `mio::Poll`: not the repository's one
# `try_clone`)
OUTSIDE_VALUE_LANGUAGES = frozenset({"go", "java", "rust"})


def _outside_call_values(call_rows: pl.DataFrame, returned_calls: pl.DataFrame) -> pl.DataFrame:
    """Go, Java, Rust: ``_returned_types``-like rows (``_ttext`` null, ``_outside_value``) for the callees
    of receivers bound to a call's value that rules 1-4 do not name and whose call sites in the
    file rule 4a leaves unresolved on a declared receiver type, all of them (``fi, err :=
    f.Stat()`` with ``f`` an ``http.File``, ``d, ok := ctx.Deadline()`` with ``ctx`` a
    ``context.Context``: a method from outside the repository, or a field holding a function):
    a value from outside the repository, its members unresolved, never a rule-5 guess."""
    pending = returned_calls.filter(
        pl.col("language").is_in(sorted(OUTSIDE_VALUE_LANGUAGES))
        & (pl.col("target").is_null() | pl.col("guess"))
    )
    value = {
        "_tpath": pl.lit(None, pl.String),
        "_towner": pl.lit(None, pl.String),
        "_ttext": pl.lit(None, pl.String),
        "_rops": pl.lit(""),
        "_outside_value": pl.lit(True),
    }
    if pending.height == 0:
        return pending.drop("target", "guess", "name").with_columns(**value)
    keys = _VALUE_SITE_KEYS
    # (one query: ``collected``)
    pending = pending.lazy().with_columns(_site_owner=_VALUE_SITE_OWNER)
    sites = (
        call_rows.lazy()
        .filter(pl.col("language").is_in(sorted(OUTSIDE_VALUE_LANGUAGES)))
        .select(
            *_value_sites(),
            # (not a std method of a Rust value of a primitive type or a prelude trait: its
            # value may be the repository's, ``method_generic``)
            outside=pl.col("method_outside") & ~pl.col("method_generic"),
        )
        .join(pending.select(keys).unique(), on=keys, nulls_equal=True)
        .group_by(keys)
        .agg(pl.col("outside").all())
        .filter("outside")
        .drop("outside")
    )
    (values,) = collected(
        pending.drop("target", "guess", "name")
        .join(sites, on=keys, how="inner", nulls_equal=True)
        .drop("_site_owner")
        .with_columns(**value)
    )
    return values


class _RustTraitImports:
    """What brings a Rust trait into scope in a file, for ``_rust_traits_in_scope``: the
    (path, ``_trait``) an import of the file names (its resolved IMPORTS edge) and the files
    with a glob import. The same for both passes of rule 4a: built once per node run, when a
    call first needs them."""

    def __init__(self, graph: _Graph, import_edges: pl.DataFrame) -> None:
        self._graph = graph
        self._import_edges = import_edges

    @functools.cached_property
    def _rust_imports(self) -> pl.DataFrame:
        return self._graph.imports.with_columns(_import_id=self._graph.import_ids).filter(
            pl.col("language") == "rust"
        )

    @functools.cached_property
    def imported(self) -> pl.DataFrame:
        """(path, _trait, _imported): a trait an import of the file names."""
        return (
            self._rust_imports.select("path", src="_import_id")
            .join(self._import_edges.filter("resolved").select("src", "dst"), on="src", how="inner")
            .select("path", _trait="dst")
            .unique()
            .with_columns(_imported=pl.lit(True))
        )

    @functools.cached_property
    def globbed(self) -> pl.DataFrame:
        """(path, _glob): a file with a glob import, which may bring any trait."""
        return (
            self._rust_imports.filter(pl.col("name") == "*")
            .select("path")
            .unique()
            .with_columns(_glob=pl.lit(True))
        )


def _rust_traits_in_scope(
    decided: pl.DataFrame,
    *,
    scope: _Scope,
    bases: _BaseWalk,
    trait_imports: _RustTraitImports,
) -> pl.DataFrame:
    """``decided`` with a Rust trait method found by the base walk (``_via_trait``) kept only
    where its trait is in scope, as rustc requires of a method call: the trait (a blanket
    impl's method: the impl's extension trait) is defined in the call's file, or an import of
    the file names it (its IMPORTS edge, re-exports followed: ``use tokio::io::AsyncWriteExt``,
    also ``as _``; not ``futures::StreamExt`` for tokio-stream's ``StreamExt``), or the file
    has a glob import (``use tokio::prelude::*``), which may bring it, or the receiver is a
    trait (a bound `D: Derived`, `dyn Derived`) the method's trait is a supertrait of (as a
    bound brings them); else unresolved (an outside trait of the type, ``std::io::Read``, may
    be the one in scope)."""
    rust = pl.col("language") == "rust"
    walked = decided.filter(rust & pl.col("_via_trait").fill_null(False))
    if walked.is_empty():
        return decided
    rust_traits = bases.rust
    supertraits = pl.DataFrame(
        [
            (trait, supertrait)
            for trait in sorted(set(walked["_type"].drop_nulls()) & rust_traits.traits)
            for supertrait in sorted(rust_traits.supertraits(trait))
        ],
        schema={"_type": pl.String, "_trait": pl.String},
        orient="row",
    ).with_columns(_supertrait=pl.lit(True))
    methods = walked["_method"].drop_nulls().unique().to_list()
    owners = dict(scope.symbols.filter(pl.col("id").is_in(methods)).select("id", "up").iter_rows())
    traits = {method: bases.rust.extension.get(up, up) for method, up in owners.items()}
    trait_paths = dict(
        scope.symbols.filter(
            pl.col("id").is_in([trait for trait in traits.values() if trait is not None])
        )
        .select("id", "path")
        .iter_rows()
    )
    trait_of = pl.DataFrame(
        [
            (method, trait, trait_paths.get(trait))
            for method, trait in sorted(traits.items())
            if trait is not None
        ],
        schema={"_method": pl.String, "_trait": pl.String, "_trait_path": pl.String},
        orient="row",
    )
    checked = (
        decided.join(trait_of, on="_method", how="left")
        .join(trait_imports.imported, on=["path", "_trait"], how="left")
        .join(trait_imports.globbed, on="path", how="left")
        .join(supertraits, on=["_type", "_trait"], how="left")
        .with_columns(
            _in_scope=(pl.col("_trait_path") == pl.col("path")).fill_null(False)
            | pl.col("_imported").fill_null(False)
            | pl.col("_glob").fill_null(False)
            | pl.col("_supertrait").fill_null(False)
        )
    )
    return checked.with_columns(
        _method=pl.when(rust & pl.col("_via_trait").fill_null(False) & ~pl.col("_in_scope"))
        .then(None)
        .otherwise(pl.col("_method"))
    )


def _contains_edges(*, graph: _Graph, scope: _Scope, call_rows: pl.DataFrame) -> list[pl.DataFrame]:
    """CONTAINS: FILE -> NAMESPACE, and the enclosing symbol (else the file's namespace) ->
    each symbol and call site (imports: see ``_import_edges``)."""
    # (the symbols' and the call sites' owners in one query: ``collected``)
    namespace_of = graph.analysed.lazy().select("path", "ns_id")
    symbol_owners, call_owners = collected(
        scope.symbols.lazy()
        .join(namespace_of, on="path", how="left")
        .with_columns(owner=pl.coalesce("up", "ns_id"))
        .filter(pl.col("owner") != pl.col("id")),
        call_rows.lazy().with_columns(src=pl.coalesce("owner", "ns_id")),
    )
    return [
        _edge_frame(graph.analysed, src="file_id", dst="ns_id", label="CONTAINS"),
        _edge_frame(symbol_owners, src="owner", dst="id", label="CONTAINS"),
        _edge_frame(call_owners, src="src", dst="call_id", label="CONTAINS"),
    ]


def _overload_sets(symbols: pl.DataFrame) -> pl.DataFrame:
    """(_target, _member, _up, _name, parameters, variadic, parameter_types, returns): every
    method of ``ARITY_LANGUAGES`` (``_target``) with each method of its overload set (its
    type's methods of its name, itself included) and that one's counts, parameter types and
    return type; ``_up``: the type, ``_name``: the name."""
    methods = symbols.filter(
        pl.col("language").is_in(sorted(ARITY_LANGUAGES))
        & (pl.col("label") == "METHOD")
        & pl.col("up").is_not_null()
    ).select("id", "up", "name", "parameters", "variadic", "parameter_types", "returns")
    if methods.is_empty():  # (no Java method: no join)
        return methods.select(
            pl.col("id").alias("_target"),
            pl.col("id").alias("_member"),
            pl.col("up").alias("_up"),
            pl.col("name").alias("_name"),
            "parameters",
            "variadic",
            "parameter_types",
            "returns",
        )
    return (
        methods.select(pl.col("id").alias("_target"), "up", "name")
        .join(
            methods.select(
                pl.col("id").alias("_member"),
                "up",
                "name",
                "parameters",
                "variadic",
                "parameter_types",
                "returns",
            ),
            on=["up", "name"],
            how="inner",
        )
        .select(
            "_target",
            "_member",
            pl.col("up").alias("_up"),
            pl.col("name").alias("_name"),
            "parameters",
            "variadic",
            "parameter_types",
            "returns",
        )
    )


# Java's primitive types each one widens to (JLS 5.1.2; itself included): an argument of the
# first fits a parameter of each in a strict invocation (JLS 15.12.2.2), no boxing.
_JAVA_WIDENING: dict[str, frozenset[str]] = {
    "byte": frozenset({"byte", "short", "int", "long", "float", "double"}),
    "short": frozenset({"short", "int", "long", "float", "double"}),
    "char": frozenset({"char", "int", "long", "float", "double"}),
    "int": frozenset({"int", "long", "float", "double"}),
    "long": frozenset({"long", "float", "double"}),
    "float": frozenset({"float", "double"}),
    "double": frozenset({"double"}),
    "boolean": frozenset({"boolean"}),
}
_JAVA_OBJECT = frozenset({"Object", "java.lang.Object"})
# java.lang's final classes (no subtype but themselves), and what a String is besides itself
# (JDK 17): a String argument fits those parameter types only.
_JAVA_FINAL_TYPES = frozenset(
    {
        "String", "Integer", "Long", "Short", "Byte", "Character", "Boolean", "Float", "Double",
        "StringBuilder", "StringBuffer", "Class", "Void",
    }
)  # fmt: skip
_JAVA_STRING_SUPERTYPES = frozenset(
    {
        "CharSequence", "Comparable", "Serializable", "java.io.Serializable", "Constable",
        "ConstantDesc", "java.lang.CharSequence", "java.lang.Comparable", "java.lang.String",
    }
) | _JAVA_OBJECT  # fmt: skip
# What every array is besides its own type (JLS 4.10.3).
_JAVA_ARRAY_SUPERTYPES = (
    frozenset({"Cloneable", "java.lang.Cloneable", "Serializable", "java.io.Serializable"})
    | _JAVA_OBJECT
)
# java.lang.Object's methods by name, their parameter types: a type's candidates of such a
# name include Object's (a class's implicit superclass, an interface's implicit members)
_JAVA_OBJECT_SIGNATURES: dict[str, tuple[tuple[str, ...], ...]] = {
    "equals": (("Object",),), "hashCode": ((),), "toString": ((),), "getClass": ((),),
    "notify": ((),), "notifyAll": ((),), "wait": ((), ("long",), ("long", "int")),
    "clone": ((),), "finalize": ((),),
}  # fmt: skip
# A base's type variable as its subclass's candidates see it (``_unsubstituted``): whatever
# reference type the subclass gives it (``class OfInt extends FindSink<Integer>``).
_SUBSTITUTED = "~"
# Interfaces from outside the repository that declare no method (java.io.Serializable,
# java.lang.Cloneable): a base of them may not declare more, and a class implementing one
# fits a parameter of its name.
JAVA_MARKER_INTERFACES = frozenset({"Serializable", "Cloneable"})
# java.lang's types, which a simple name means where nothing of the repository does (no
# subtype of a repository type: java.lang depends on no repository)
JAVA_LANG_TYPES = frozenset(
    {
        "Object", "String", "CharSequence", "Comparable", "Iterable", "Runnable", "AutoCloseable",
        "Appendable", "Readable", "Cloneable", "Number", "Integer", "Long", "Short", "Byte",
        "Character", "Boolean", "Float", "Double", "Void", "Class", "ClassLoader", "Module",
        "Thread", "Throwable", "Exception", "RuntimeException", "Error", "StringBuilder",
        "StringBuffer", "Enum", "Record", "Process", "ProcessBuilder", "StackTraceElement",
    }
)  # fmt: skip


@functools.lru_cache(maxsize=65536)
def _java_fits(argument: str, parameter: str) -> bool | None:
    """Whether a value of the Java type ``argument`` (an ``argument_types`` entry, or a
    parameter type when comparing two methods) fits a parameter of the type ``parameter`` in
    a strict invocation (JLS 15.12.2.2: identity, primitive widening, reference widening; no
    boxing, no varargs); None when that is not known here (two different class names: their
    subtyping is not followed). ``null`` fits any reference type, and any reference type fits
    a type variable (``?T``: an unbounded one; a bounded one's parameter type is not known,
    ``java_parameter_type``) and ``Object``."""
    if not argument or not parameter:
        return None
    if argument == parameter:
        return True
    if argument in _JAVA_WIDENING:
        return parameter in _JAVA_WIDENING[argument]
    if parameter in _JAVA_WIDENING:  # a reference (or null) to a primitive: unboxing, no
        return False
    if argument == "null":
        return True
    if parameter in _JAVA_OBJECT:
        return True
    array = argument.endswith("[]")
    if parameter.startswith(TYPE_VARIABLE):
        if parameter.endswith("[]"):  # `T[]`: an array of references
            element = argument[:-2]
            return array and element not in _JAVA_WIDENING if element else None
        return True
    if argument.startswith(TYPE_VARIABLE):  # a type variable (unbounded): Object's subtypes only
        return False
    if array:
        if parameter in _JAVA_ARRAY_SUPERTYPES:
            return True
        if not parameter.endswith("[]"):
            return False
        element, wanted = argument[:-2], parameter[:-2]
        if element in _JAVA_WIDENING or wanted in _JAVA_WIDENING:
            return False  # `int[]` is only itself (identity, above)
        return _java_fits(element, wanted)
    if parameter.endswith("[]") or parameter in _JAVA_FINAL_TYPES:
        return False
    if argument == "String":
        return parameter in _JAVA_STRING_SUPERTYPES
    return None


_Overload = tuple[str, int | None, tuple[str, ...] | None]  # (method id, parameters, types)


class _OverloadTypes:
    """The Java overload that the argument types pick among those of the call's arity
    (``_overloads_by_arity``), javac's first phase only (JLS 15.12.2.2: strict invocation, no
    boxing, no varargs; the second and third phases are left unresolved): the methods that can
    take a call of the arity as a fixed-arity one (a varargs ``f(T...)`` with as many
    parameters: its last one ``T[]``) and whose every parameter fits its argument
    (``fits``), then the one most specific of those (JLS 15.12.2.5: each of its parameters
    fits the other's). Every argument type must be known, and every fit: anything unknown picks
    nothing, and no target where the type's own methods of the arity are out for sure
    (``_undecided``: javac's pick is a base's). The candidates are the type's methods of the
    name and (a method call, not a constructor's) those its bases declare that no nearer one
    overrides with the same parameter types (JLS 8.4.8), ``Object``'s too (a pick of one of
    those: no target), every base of the repository: a base from outside it that may declare the
    name (all but ``JAVA_MARKER_INTERFACES``) picks nothing; a base's type variable may stand
    for any reference type its subclass gives it (``extends FindSink<Integer>``: ``accept(T)``
    is ``accept(Integer)``), which a primitive argument does not fit, nothing else known.

    Class names are compared as the TYPE_DECLs they resolve to (``resolved``: (path, owner,
    text) -> id, the argument's where the call is, the parameter's in the scope around its
    method, as declared receiver types resolve): a class fits the types its bases reach
    (``INHERITS_FROM``), a type whose bases leave the repository may fit more (unknown, but
    for ``JAVA_MARKER_INTERFACES`` by name); a repository type is no subtype of a type from
    outside it that none of its bases names, and a ``JAVA_LANG_TYPES`` name no subtype of a
    repository type."""

    def __init__(
        self,
        sets: pl.DataFrame,
        bases: _BaseWalk,
        *,
        children: pl.DataFrame,
        symbols: pl.DataFrame,
        resolved: dict[tuple[str, str, str], str],
    ) -> None:
        self.bases = bases
        self.resolved = resolved
        # the last segments of the unresolved bases of each Java type (from outside)
        self.outside_bases: dict[str, set[str]] = defaultdict(set)
        for child, text in (
            children.filter(
                pl.col("language").is_in(sorted(ARITY_LANGUAGES)) & pl.col("target").is_null()
            )
            .select("child_id", "base_name")
            .iter_rows()
        ):
            self.outside_bases[child].add(text or "")
        # (type, name) -> its methods of the name; each set's (type, name) by its members
        self.methods: dict[tuple[str, str], list[_Overload]] = defaultdict(list)
        self.set_of: dict[str, tuple[str, str]] = {}
        self._picked: dict[tuple[str, tuple[str, ...], bool], str | None] = {}
        self._closures: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._found: dict[tuple[tuple[str, str], bool], list[_Overload] | None] = {}
        self._fits: dict[tuple[str, str], bool | None] = {}
        if sets.is_empty():  # no ARITY_LANGUAGES method: no set to index
            return
        where = dict(
            (member, (path, owner))
            for member, path, owner in symbols.filter(
                pl.col("language").is_in(sorted(ARITY_LANGUAGES)) & (pl.col("label") == "METHOD")
            )
            .select("id", "path", pl.col("up").fill_null(_TOP))
            .iter_rows()
        )
        for member, up, name, parameters, types in (
            sets.unique(subset="_member")
            .sort("_member")
            .select("_member", "_up", "_name", "parameters", "parameter_types")
            .iter_rows()
        ):
            written = None if types is None else tuple(types.split(TYPE_SEPARATOR))
            if written is not None and parameters == 0:
                written = ()
            if written is not None and member in where:
                path, owner = where[member]
                written = tuple(self._canonical(text, path, owner) for text in written)
            self.methods[(up, name)].append((member, parameters, written))
            self.set_of[member] = (up, name)

    def _canonical(self, text: str, path: str, owner: str) -> str:
        """An argument's or parameter's type with its class name as ``#<TYPE_DECL id>`` where
        it resolves (``resolved``), as written otherwise."""
        element = text.rstrip("[]")
        if not element or element in _JAVA_WIDENING or element == "null":
            return text
        if element.startswith(TYPE_VARIABLE):
            return text
        found = self.resolved.get((path, owner, element))
        return text if found is None else f"#{found}{text[len(element) :]}"

    def pick(
        self,
        target: str,
        arguments: int,
        argument_types: str,
        *,
        path: str,
        owner: str,
        inherited: bool,
    ) -> str | None:
        """The method the argument types pick for a call of ``target``'s set with
        ``arguments`` arguments in the scope ``owner`` of the file ``path`` (``inherited``:
        with its bases' methods of the name), "" when they pick one of ``Object``'s (outside
        the repository) or rule the type's own methods of the arity out for a base's they do
        not tell (``_undecided``), None when they pick none for sure."""
        key = self.set_of.get(target)
        if key is None:
            return None
        # one argument of no known type and none are both "": the count tells them apart
        texts = argument_types.split(TYPE_SEPARATOR) if arguments else []
        types = tuple(self._canonical(text, path, owner) for text in texts)
        memo = (target, types, inherited)
        if memo not in self._picked:
            self._picked[memo] = self._pick(key, types, inherited=inherited)
        return self._picked[memo]

    def rivalled(self, target: str, arguments: int) -> bool:
        """Whether a call of ``target``'s set with ``arguments`` arguments has several
        candidates of that count, its bases' and ``Object``'s included (else the types pick
        none the count does not: where the count picks one method, it stands)."""
        key = self.set_of.get(target)
        if key is None:
            return False
        candidates = self._candidates(key, inherited=True)
        return candidates is not None and sum(m[1] == arguments for m in candidates) > 1

    def _closure(self, start: str) -> tuple[frozenset[str], frozenset[str]]:
        """The repository types ``start`` reaches through its bases (itself included) and the
        last segments of the bases from outside the repository on the way."""
        if start not in self._closures:
            bases = self.bases
            seen = {start}
            outside: set[str] = set()
            frontier = [start]
            while frontier and len(seen) <= _MAX_BASES:
                following: list[str] = []
                for node in frontier:
                    outside |= self.outside_bases.get(node, set())
                    for base in bases.superclasses.get(node, set()) | bases.interfaces.get(
                        node, set()
                    ):
                        if base not in seen:
                            seen.add(base)
                            following.append(base)
                frontier = following
            if frontier:  # too many to follow: anything may be on the way
                outside.add("")
            self._closures[start] = (frozenset(seen), frozenset(outside))
        return self._closures[start]

    def fits(self, argument: str, parameter: str) -> bool | None:
        """``_java_fits`` with the repository's class types (``#<id>``, ``_canonical``) and a
        base's type variables (``~T``, ``_unsubstituted``)."""
        key = (argument, parameter)
        if key not in self._fits:
            self._fits[key] = self._fits_uncached(argument, parameter)
        return self._fits[key]

    def _fits_uncached(self, argument: str, parameter: str) -> bool | None:
        if not argument or not parameter:
            return None
        if argument == parameter:
            return True
        if parameter.startswith(_SUBSTITUTED):  # any reference type its subclass names
            if parameter.endswith("[]"):
                return True if argument == "null" else None
            if argument in _JAVA_WIDENING:
                return False
            return True if argument == "null" or parameter == argument else None
        if argument.startswith(_SUBSTITUTED):  # comparing two methods: unknown
            return True if parameter in _JAVA_OBJECT else None
        if argument.endswith("[]") and parameter.endswith("[]"):
            element, wanted = argument[:-2], parameter[:-2]
            if element in _JAVA_WIDENING or wanted in _JAVA_WIDENING:
                return False
            return self.fits(element, wanted)
        if argument.startswith("#") and not argument.endswith("[]"):
            if parameter.endswith("[]") or parameter in _JAVA_WIDENING:
                return False
            if parameter in _JAVA_OBJECT or parameter.startswith(TYPE_VARIABLE):
                return True
            reached, outside = self._closure(argument[1:])
            if parameter.startswith("#"):
                if parameter[1:] in reached:
                    return True
                return False if outside <= JAVA_MARKER_INTERFACES else None
            if _SEGMENT_SPLIT.split(parameter)[-1] in outside:
                return True  # `Serializable` by name
            if parameter in _JAVA_FINAL_TYPES:
                return False
            known = parameter in JAVA_LANG_TYPES or parameter in JAVA_MARKER_INTERFACES
            return False if known and outside <= JAVA_MARKER_INTERFACES else None
        if parameter.startswith("#") and not parameter.endswith("[]"):
            if argument == "null":
                return True
            if argument in _JAVA_WIDENING or argument.endswith("[]"):
                return False
            if argument.startswith(TYPE_VARIABLE):  # unbounded (``?T``), as ``_java_fits``
                return False
            return False if argument in JAVA_LANG_TYPES else None
        return _java_fits(argument, parameter)

    def _candidates(self, key: tuple[str, str], *, inherited: bool) -> list[_Overload] | None:
        """The type's methods of the name and (``inherited``) its bases' and ``Object``'s
        that none nearer overrides, or None when a base may hold more (outside the
        repository); once per (type, name)."""
        if (key, inherited) not in self._found:
            self._found[(key, inherited)] = self._candidates_of(key, inherited=inherited)
        return self._found[(key, inherited)]

    def _candidates_of(self, key: tuple[str, str], *, inherited: bool) -> list[_Overload] | None:
        up, name = key
        found = list(self.methods[key])
        if not inherited:
            return found
        bases = self.bases
        seen = {up}
        frontier = [up]
        home = bases.top_level.get(up)
        while frontier:
            following: list[str] = []
            for start in frontier:
                if not self.outside_bases.get(start, set()) <= JAVA_MARKER_INTERFACES:
                    return None
                if start in bases.builtin_superclass and name in NAMELESS_BASE_NAMES:
                    return None
                for base in sorted(
                    bases.superclasses.get(start, set()) | bases.interfaces.get(start, set())
                ):
                    if base not in seen:
                        seen.add(base)
                        following.append(base)
            if len(seen) > _MAX_BASES:
                return None
            # this level's methods, less those a nearer method overrides
            signatures = {_erased(types) for _, _, types in found}
            level = [
                method
                for base in following
                for method in self.methods.get((base, name), ())
                if bases.visible(base, name, home) and (base, name) not in bases.interface_statics
            ]
            found.extend(
                (method, parameters, _unsubstituted(types))
                for method, parameters, types in level
                if _erased(types) not in signatures
            )
            frontier = following
        signatures = {_erased(types) for _, _, types in found}
        found.extend(
            ("", len(types), types)
            for types in _JAVA_OBJECT_SIGNATURES.get(name, ())
            if types not in signatures
        )
        return found

    def _pick(
        self, key: tuple[str, str], arguments: tuple[str, ...], *, inherited: bool
    ) -> str | None:
        if not all(arguments):
            return None
        candidates = self._candidates(key, inherited=inherited)
        if candidates is None:
            return None
        applicable: list[_Overload] = []
        unknown = False
        for method in candidates:
            _, parameters, types = method
            if parameters is None:
                return None
            if parameters != len(arguments):
                continue  # another arity, or varargs only (javac's third phase)
            if types is None or len(types) != len(arguments):
                return None
            fits = [
                self.fits(argument, wanted)
                for argument, wanted in zip(arguments, types, strict=True)
            ]
            if None in fits:
                unknown = True
            elif all(fits):
                applicable.append(method)
        if unknown:
            return self._undecided(key, arguments, inherited=inherited, applicable=applicable)
        most_specific: list[str] = []
        for method in applicable:
            specific = [
                self._more_specific(method[2], other[2])
                for other in applicable
                if other is not method
            ]
            if None in specific:
                return self._undecided(key, arguments, inherited=inherited, applicable=applicable)
            if all(specific):
                most_specific.append(method[0])
        if not applicable:  # javac's later phases (boxing, varargs): the count's pick stands
            return None
        if len(most_specific) != 1:
            return self._undecided(key, arguments, inherited=inherited, applicable=applicable)
        # one of Object's methods: "", no target in the repository
        return most_specific[0]

    def _undecided(
        self,
        key: tuple[str, str],
        arguments: tuple[str, ...],
        *,
        inherited: bool,
        applicable: list[_Overload],
    ) -> str | None:
        """What a pick the types leave open stands for: "" (no target) where the type's own
        methods of the arity do not take the arguments in javac's first phase (a parameter
        they do not fit for sure: `accept(int)` for an `Integer`) and a base's method may,
        or does (the call is javac's pick among those, which the types here do not tell:
        `accept(T)` of `extends Sink<Integer>`), else None (the count's pick stands)."""
        if not inherited:
            return None
        own = [
            types
            for _, parameters, types in self.methods[key]
            if parameters == len(arguments) and types is not None and len(types) == parameters
        ]
        if not own or any(method[2] in own for method in applicable):
            return None
        inapplicable = all(
            any(
                self.fits(argument, wanted) is False
                for argument, wanted in zip(arguments, types, strict=True)
            )
            for types in own
        )
        return "" if inapplicable else None

    def _more_specific(
        self, types: tuple[str, ...] | None, other: tuple[str, ...] | None
    ) -> bool | None:
        """Whether a method of parameter ``types`` is more specific than one of ``other``
        (JLS 15.12.2.5: each of its parameter types fits the other's); None when not known."""
        if types is None or other is None or len(types) != len(other):
            return None
        fits = [self.fits(mine, theirs) for mine, theirs in zip(types, other, strict=True)]
        return None if None in fits else all(fits)


def _unsubstituted(types: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """A base's parameter types, its type variables marked ``~`` (``_SUBSTITUTED``: the type
    its subclass gives it is not read)."""
    if types is None:
        return None
    return tuple(
        _SUBSTITUTED + t[len(TYPE_VARIABLE) :] if t.startswith(TYPE_VARIABLE) else t for t in types
    )


def _erased(types: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """Parameter types as override-equivalence compares them here: every type variable one."""
    if types is None:
        return None
    return tuple(
        TYPE_VARIABLE if t.startswith((TYPE_VARIABLE, _SUBSTITUTED)) and not t.endswith("[]") else t
        for t in types
    )


def _overloads_by_arity(
    rows: pl.DataFrame,
    sets: pl.DataFrame,
    *,
    target: str,
    several: str = "none",
    typed: _OverloadTypes | None = None,
    inherited: bool = True,
) -> pl.Series:
    """``rows[target]`` (METHOD ids; ``rows`` with ``arguments``), each method of
    ``ARITY_LANGUAGES`` replaced by the one method of its overload set (``_overload_sets``)
    that can take the call's number of arguments (JLS 15.12.2: a unique arity is already
    unique; a variadic ``f(T...)`` takes ``parameters - 1`` or more; an unknown count fits
    all), null when none can. Where several can (the argument types pick among those):
    ``several`` ``"none"``, null; ``"set"``, the target itself, standing for the set;
    ``"type"``, the set's type, also where none can (a constructor call: the class itself);
    ``"returns"``, the target where they all declare one return type (a call's value, of that
    type whichever the arguments pick), else null; with ``typed`` (``rows`` with
    ``argument_types``), the one the argument types pick first (``_OverloadTypes``; a
    method's own set with its bases' methods, ``inherited``, a constructor's alone). Other
    targets unchanged."""
    if sets.is_empty():  # no overload set (no ``ARITY_LANGUAGES`` method): nothing to pick
        return rows.get_column(target)
    arguments = pl.col("arguments")
    parameters = pl.col("parameters")
    fits = (
        parameters.is_null()
        | arguments.is_null()
        | (parameters == arguments)
        | (pl.col("variadic").fill_null(False) & (arguments >= parameters - 1))
    )
    rows = rows.select(
        pl.col(target).alias("_target"),
        "arguments",
        *(["argument_types", "path", "owner"] if typed is not None else []),
    ).with_row_index("_row")
    picked = (
        rows.join(sets, on="_target", how="inner")
        .group_by("_row")
        .agg(
            _fitting=fits.sum(),
            _picked=pl.col("_member").filter(fits).first(),
            _up=pl.col("_up").first(),
            _one_type=pl.col("returns").filter(fits).n_unique() == 1,
        )
    )
    if picked.height == 0:
        return rows["_target"].alias(target)
    when_several = {
        "none": pl.lit(None, pl.String),
        "set": pl.col("_target"),
        "type": pl.col("_up"),
        "returns": pl.when("_one_type").then(pl.col("_target")),
    }
    rows = rows.join(picked, on="_row", how="left", maintain_order="left")
    if typed is not None:
        # several take the call's count: the one its argument types pick, if they do; one
        # does, of a method's set: the argument types may pick a base's overload instead
        # (javac's candidates are the type's and its bases' methods together, JLS 15.12.2.1)
        asked = (
            rows.filter(
                (pl.col("_fitting") >= (1 if inherited else 2))
                & pl.col("arguments").is_not_null()
                & pl.col("argument_types").is_not_null()
                # an argument of no known type picks nothing (none is "" too: by the count)
                & (
                    (pl.col("arguments") == 0)
                    | ~pl.col("argument_types").str.split(TYPE_SEPARATOR).list.contains("")
                )
            )
            .select("_target", "arguments", "argument_types", "path", "owner", "_fitting")
            .unique()
        )
        # where the count picks one, only a set with another candidate of the count (a base's)
        alone = asked.filter(pl.col("_fitting") == 1).select("_target", "arguments").unique()
        rivalled = alone.filter(
            pl.Series(
                [typed.rivalled(method, count) for method, count in alone.iter_rows()],
                dtype=pl.Boolean,
            )
        )
        asked = pl.concat(
            [
                asked.filter(pl.col("_fitting") > 1),
                asked.join(rivalled, on=["_target", "arguments"], how="semi"),
            ]
        )
        found = asked.drop("_fitting").with_columns(
            _typed=pl.Series(
                [
                    typed.pick(method, count, types, path=path, owner=owner, inherited=inherited)
                    for method, count, types, path, owner, _ in asked.iter_rows()
                ],
                dtype=pl.String,
            )
        )
        rows = rows.join(
            found,
            on=["_target", "arguments", "argument_types", "path", "owner"],
            how="left",
            maintain_order="left",
        )
        # "": one of Object's methods, outside the repository, or a base's the types do not
        # tell (no target)
        outside = (pl.col("_typed") == "").fill_null(False)
        when_several = {
            name: pl.when(~outside).then(pl.coalesce("_typed", several_target))
            for name, several_target in when_several.items()
        }
    one = (
        pl.col("_picked")
        if typed is None
        else pl.when((pl.col("_typed") != "").fill_null(True)).then(
            pl.coalesce("_typed", "_picked")
        )
    )
    return rows.select(
        pl.when(pl.col("_fitting").is_null())
        .then(pl.col("_target"))
        .when(pl.col("_fitting") == 1)
        .then(one)
        .when((pl.col("_fitting") > 1) | (several == "type"))
        .then(when_several[several])
        .alias(target)
    ).to_series()


def _arity_picked(
    call_rows: pl.DataFrame,
    sets: pl.DataFrame,
    *,
    final: bool,
    typed: _OverloadTypes | None = None,
) -> pl.DataFrame:
    """``call_rows`` with ``method`` picked in by the argument count (``_overloads_by_arity``;
    a method no longer found is no rule-5 guess either). Not ``final``: a set where several
    methods can take the call keeps its representative, so that no later rule looks past the
    type (its bases' methods are candidates only with its own: JLS 15.12.1); one where none
    can is no target (a base's method of the name may be, ``_inherited_targets``).
    ``typed``: where several can, the one the argument types pick (``_OverloadTypes``)."""
    picked = _overloads_by_arity(
        call_rows, sets, target="method", several="none" if final else "set", typed=typed
    )
    return call_rows.with_columns(picked).with_columns(
        method_guess=pl.col("method_guess") & pl.col("method").is_not_null()
    )


def _qualified_this(call_rows: pl.DataFrame, scope: _Scope) -> pl.DataFrame:
    """``call_rows`` with Java's ``Outer.this.f()`` (JLS 15.8.4: the instance of the class
    ``Outer`` around the call) as ``this.f()`` in that class: its callee ``this.f`` and its
    owner the nearest enclosing TYPE_DECL named as the qualifier's last segment (none: as
    written). ``owner``: filled with ``_TOP`` at the top level."""
    callee = pl.col("callee")
    rows = call_rows.with_row_index("_row")
    # (the language first: the regex on Java calls only)
    wanted = (
        rows.filter(pl.col("language") == "java")
        .filter(callee.str.contains(_JAVA_QUALIFIED_THIS))
        .select(
            "_row",
            "owner",
            _outer=callee.str.extract(_JAVA_QUALIFIED_THIS, 1),
            _member=callee.str.extract(_JAVA_QUALIFIED_THIS, 2),
        )
    )
    if wanted.height == 0:
        return call_rows
    types = scope.symbols.filter(pl.col("label") == "TYPE_DECL").select(
        pl.col("id").alias("ancestor"), pl.col("name").alias("_outer")
    )
    outer = _first(
        wanted.join(_ancestors(wanted["owner"].unique(), scope.up), on="owner", how="inner")
        .join(types, on=["ancestor", "_outer"], how="inner")
        .rename({"_row": "qid"}),
        by=["depth"],
        descending=[False],
    ).select(
        pl.col("qid").alias("_row"), _owner="ancestor", _this=pl.lit(_THIS) + pl.col("_member")
    )
    return (
        rows.join(outer, on="_row", how="left")
        .with_columns(owner=pl.coalesce("_owner", "owner"), callee=pl.coalesce("_this", "callee"))
        .select(call_rows.columns)
    )


def _call_edges(
    call_rows: pl.DataFrame,
    constructors: pl.DataFrame,
    sets: pl.DataFrame,
    typed: _OverloadTypes,
) -> pl.DataFrame:
    """CALLS: a call site -> its METHOD, else the constructor of the type it names
    (``constructors``: ``_constructor_targets`` of the calls' ``declared``; one of a Java
    class's constructors by the argument count, else the one its argument types pick, else
    the class: ``_overloads_by_arity``; a constructor is not inherited)."""
    call_targets = call_rows.join(
        constructors.rename({"target": "built"}), on="declared", how="left"
    )
    call_targets = call_targets.with_columns(
        _overloads_by_arity(
            call_targets, sets, target="built", several="type", typed=typed, inherited=False
        )
    )
    return _edge_frame(
        call_targets.with_columns(pl.coalesce("method", "built").alias("target")),
        src="call_id",
        dst="target",
        label="CALLS",
        unresolved="callee_name",
    )


def _import_rows(graph: _Graph) -> pl.DataFrame:
    """The imports with their node id, enclosing symbol (``owner``) and file's namespace; not
    the bindings of an own name (``_own_name_rows``: no IMPORT node, no edge)."""
    return (
        graph.imports.with_columns(import_id=graph.import_ids, owner=graph.import_owners)
        .filter(~_own_name_rows())
        .join(graph.analysed.select("path", "ns_id"), on="path", how="left", maintain_order="left")
    )


def _import_targets(import_rows: pl.DataFrame, *, graph: _Graph, lookups: _Lookups) -> pl.DataFrame:
    """(import_id, found) per ``import_rows`` row (``_import_rows``), in its order: the symbol
    it names, else the namespace; a name neither is, the definition its re-exports lead to
    (rule 3)."""
    exact = lookups.exact(("TYPE_DECL", "METHOD", "NAMESPACE"))
    import_rows = (
        import_rows.join(
            exact.select("language", imported="qualified_name", symbol="id"),
            on=["language", "imported"],
            how="left",
        )
        .join(
            graph.namespaces.select("language", imported="module", namespace="namespace"),
            on=["language", "imported"],
            how="left",
        )
        .with_columns(found=pl.coalesce("symbol", "namespace"))
    )
    reached = lookups.follow_reexports(
        import_rows.with_row_index("qid")
        .filter(pl.col("found").is_null())
        .select("qid", "language", target="imported", order=pl.lit(0, pl.Int64))
    )
    if not reached.is_empty():
        keys = ["language", "target"]
        symbols = exact.select("language", target="qualified_name", id="id")
        namespaces = graph.namespaces.select("language", target="module", id="namespace")
        # each name before those it leads to, a symbol before a namespace of the same name
        named = pl.concat(
            [
                reached.join(symbols, on=keys, how="inner").with_columns(_rank=pl.lit(0)),
                reached.join(namespaces, on=keys, how="inner").with_columns(_rank=pl.lit(1)),
            ]
        )
        followed = _first(named, by=["_hop", "_rank", "_via"], descending=[False] * 3)
        import_rows = (
            import_rows.with_row_index("qid")
            .join(followed.select("qid", _followed="id"), on="qid", how="left")
            .with_columns(found=pl.coalesce("found", "_followed"))
        )
    return import_rows.select("import_id", "found")


def _import_edges(
    import_rows: pl.DataFrame, targets: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """CONTAINS from the enclosing symbol (else the file's namespace) to each import of
    ``import_rows`` (``_import_rows``), IMPORTS to what it names (``targets``:
    ``_import_targets`` of those rows)."""
    import_rows = import_rows.with_columns(found=targets["found"])
    return (
        _edge_frame(
            import_rows.with_columns(src=pl.coalesce("owner", "ns_id")),
            src="src",
            dst="import_id",
            label="CONTAINS",
        ),
        _edge_frame(
            import_rows,
            src="import_id",
            dst="found",
            label="IMPORTS",
            unresolved="imported",
        ),
    )


def _inheriting_children(inherits: pl.DataFrame, *, graph: _Graph, scope: _Scope) -> pl.DataFrame:
    """Inherits rows whose child is a node, with ``child_id``, the ``base`` type text (generic
    arguments stripped), its last segment ``base_name`` and the child's ``owner``."""
    # (the children and their bases in one query, the rest in one: ``collected``)
    children = (
        _enclosing(inherits, graph.labelled, qname="child", line="line", out="child_id")
        .lazy()
        .filter(pl.col("child_id").is_not_null())
    )
    (bases,) = collected(children.select("parent").unique())
    (found,) = collected(
        children.join(
            bases.lazy().with_columns(
                base=pl.Series(
                    [_base_type_text(text) for text in bases["parent"].to_list()],
                    dtype=pl.String,
                )
            ),
            on="parent",
            how="left",
        )
        .join(scope.up.lazy().rename({"id": "child_id", "up": "owner"}), on="child_id", how="left")
        .with_columns(
            pl.col("owner").fill_null(_TOP), base_name=_segments(pl.col("base")).list.last()
        )
    )
    return found


# The last ``_inheriting_children`` of this process, by its scope (the object) and inherits rows.
_LAST_CHILDREN: _LastMade[pl.DataFrame] = _LastMade()


def _inherit_edges(children: pl.DataFrame) -> pl.DataFrame:
    """INHERITS_FROM: the child type -> its base type (never itself: `impl Foo`)."""
    # a Rust blanket impl's bounds (`impl<T: Bound> Ext for T`) are no base types: only the
    # base walk reads them (`_RustTraits`)
    inherited = children.filter(pl.col("relation") != "blanket").with_columns(
        target=pl.when(pl.col("target") != pl.col("child_id")).then(pl.col("target"))
    )
    return _edge_frame(
        inherited, src="child_id", dst="target", label="INHERITS_FROM", unresolved="base"
    )


def _finish_edges(parts: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """The edge parts as one table: distinct rows sorted by ``SORT_KEYS["cpg_edges"]``.

    The same rows, order, types and Parquet bytes as ``finish_table`` on their concatenation
    (asserted by tests/test_cpg.py), but each label's edges are deduplicated and sorted on their own by
    (src, dst), which is several times cheaper than a stable three-column sort of the whole
    table; distinct rows have distinct keys (``resolved`` follows from ``dst``), so the order
    is total and stability does not matter. A label whose parts are the last run's, or differ
    from them in a few rows, is the last run's edges, spliced (``_LastFinished``).
    """
    by_label: dict[str, list[pl.DataFrame]] = defaultdict(list)
    for part in parts:
        label = part.get_column("label")
        if part.is_empty():
            continue
        if label.null_count() == 0 and (label == label[0]).all():
            # one label (an ``_edge_frame``): no partition query (Series ops are none)
            by_label[str(label[0])].append(part)
            continue
        for (name,), frame in part.partition_by("label", as_dict=True).items():
            by_label[str(name)].append(frame)
    return _LAST_FINISHED.finished(by_label)


# Sorted rows are distinct when they differ from the previous one in (src, dst).
_NEW_EDGE = pl.col("src").ne_missing(pl.col("src").shift()) | pl.col("dst").ne_missing(
    pl.col("dst").shift()
)
# The rows of the parts that differ from the last ones a splice of the last nodes or of a
# label's last edges takes at most (``_changed_middles``): its Python work grows with them, a
# sort's does not; review r18b measured the break-even with a sort of tokio's at ~50-100 rows
# (nodes: 100 rows 12.9 against 6.6 ms; edges: 100 rows 16 against 11-12 ms).
_MAX_SPLICED_ROWS = 64
# The rows of differing middles that a splice matches up at most (one query), to take out and
# put in only those one middle has more often than the other: a part whose rows came in another
# order (the changed file's CALLS edges of a resolution: its order is not the last run's) is
# the same rows again.
_MAX_MATCHED_ROWS = 4096
# The last rows of the changed edges' sources a splice of edges reads at most (one query; a
# file's FILE and NAMESPACE nodes are the source of a CONTAINS edge of each of its symbols).
_MAX_AROUND_ROWS = 4096
# The rows a splice takes out and puts in one by one, at most (a slice of the last edges
# between each two: a frame each); more are merged with the last edges by their places.
_FEW_SPLICED_ROWS = 32


class _LastFinished(_LastMade[pl.DataFrame]):
    """The last run's finished edges of each label and the parts they were made of
    (``_finish_edges``): a per-process memo keyed by content, one entry per label. A one-file
    rebuild gives the parts of the last run again, or with a few rows changed (tokio's 29k CALLS
    and 42k CONTAINS edges, 15 ms of sorts a rebuild): a label whose parts equal the last ones
    is the last edges, one whose parts differ in a few rows the last edges with those rows taken
    out and put in at their places (``_spliced_edges``), any other sorted anew. (A ``_LastMade``
    for ``memos.forget_all``; its entries are by label.)"""

    def __init__(self) -> None:
        super().__init__()
        self._labels: dict[str, tuple[list[pl.DataFrame], pl.DataFrame]] = {}
        # how each label's edges were made in this process ("same", "spliced", "sorted"): what
        # tests read to show that a splice was taken
        self.made: Counter[str] = Counter()

    def forget(self) -> None:
        with self._lock:
            self._labels.clear()

    def finished(self, by_label: dict[str, list[pl.DataFrame]]) -> pl.DataFrame:
        """The edges of the parts of each label, as ``_finish_edges`` gives them."""
        with self._lock:
            made: dict[str, pl.DataFrame] = {}
            for label, label_parts in by_label.items():
                last = self._labels.get(label)
                if last is None:
                    continue
                spliced = _spliced_edges(*last, label_parts)
                if spliced is not None:
                    self.made["same" if spliced is last[1] else "spliced"] += 1
                    made[label] = spliced
            unmade = sorted(set(by_label) - set(made))
            self.made["sorted"] += len(unmade)
            # (every label's in one query, side by side: ``collected``)
            sorted_parts = collected(
                *(
                    pl.concat(by_label[label]).lazy().sort("src", "dst").filter(_NEW_EDGE)
                    for label in unmade
                )
            )
            made.update(zip(unmade, sorted_parts, strict=True))
            labels = sorted(made)
            if not labels:
                self._labels.clear()
                return pl.DataFrame(schema=_EDGE_SCHEMA)
            # One chunk, as a sort returns it: the Parquet bytes depend on the chunk layout.
            # (``concat`` of one frame returns it as it is: a splice's chunks)
            edges = (
                pl.concat([made[label] for label in labels])
                .rechunk()
                .select([pl.col(name).cast(dtype) for name, dtype in _EDGE_SCHEMA.items()])
            )
            # (each label's edges kept as a slice of the table: one chunk, no copy)
            self._labels.clear()
            start = 0
            for label in labels:
                height = made[label].height
                self._labels[label] = (by_label[label], edges.slice(start, height))
                start += height
            return edges


def _spliced_edges(
    last_parts: Sequence[pl.DataFrame], last: pl.DataFrame, parts: Sequence[pl.DataFrame]
) -> pl.DataFrame | None:
    """One label's edges (distinct, sorted by src and dst) made of ``parts`` from ``last``, those
    of ``last_parts``: ``last`` itself when the parts are the last ones, else ``last`` with the
    rows of the parts that differ taken out (those no part holds any more) and put in (those it
    lacks) at their places; None when that is not cheaper than a sort (other schemas, another
    number of parts, many rows changed) or cannot be shown exact (a null key; a new row of the
    key of a row that stays: distinct rows have distinct keys, a sort keeps one of them)."""
    middles = _changed_middles(last_parts, last, parts)
    if middles is None:
        return None
    if not middles:
        return last
    columns = last.columns
    gone = pl.concat([old for old, _ in middles]).unique()
    came = pl.concat([new for _, new in middles]).unique()
    if any(
        frame.get_column(name).null_count() for frame in (gone, came) for name in ("src", "dst")
    ):
        return None
    sources = pl.concat([gone.get_column("src"), came.get_column("src")]).unique().implode()
    # the last rows of those sources (where a row goes, which row goes) and the parts' rows
    # of them (whether a row gone from one part is still in another)
    around, present = collected(
        last.lazy()
        .with_row_index("_at")
        .filter(pl.col("src").is_in(sources))
        .select("_at", *columns),
        pl.concat([part.lazy() for part in parts]).filter(pl.col("src").is_in(sources)).unique(),
    )
    if around.height > _MAX_AROUND_ROWS:
        return None
    at = {row[1:]: row[0] for row in around.iter_rows()}
    kept = set(present.select(columns).iter_rows())
    removed = set()
    for row in gone.iter_rows():
        if row not in kept:
            if row not in at:
                return None  # (not in the last edges: they are not those of the last parts)
            removed.add(at[row])
    source, target = columns.index("src"), columns.index("dst")
    # the key of each last row that stays (a new row of one of them: not a splice)
    staying = {(row[source], row[target]) for row, index in at.items() if index not in removed}
    added = sorted(
        (row for row in came.iter_rows() if row not in at),
        key=lambda row: (row[source], row[target]),
    )
    keys = [(row[source], row[target]) for row in added]
    if len(set(keys)) != len(keys) or staying.intersection(keys):
        return None
    # where each added row goes: after the last rows of smaller sources, and of its source
    # with a smaller target
    firsts = (
        last.get_column("src")
        .search_sorted(pl.Series([key[0] for key in keys], dtype=pl.String), side="left")
        .to_list()
        if keys
        else []
    )
    targets_of: dict[str, list[str]] = defaultdict(list)
    for row in sorted(at, key=lambda row: at[row]):
        targets_of[row[source]].append(row[target])
    places = [
        first + bisect.bisect_left(targets_of[src], dst)
        for (src, dst), first in zip(keys, firsts, strict=True)
    ]
    if len(removed) + len(added) <= _FEW_SPLICED_ROWS:
        # the last rows' runs between the places, the added rows in between
        inserted: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for row, at_place in zip(added, places, strict=True):
            inserted[at_place].append(row)
        pieces, start = [], 0
        for position in sorted(removed | set(inserted)):
            pieces.append(last.slice(start, position - start))
            if position in inserted:
                pieces.append(pl.DataFrame(inserted[position], schema=last.schema, orient="row"))
            start = position + 1 if position in removed else position
        pieces.append(last.slice(start))
        return pl.concat(pieces)
    # The rows that stay and the added ones merged by their places: last row i at 2i + 1, a
    # row put in before last row p at 2p (in their order: they are sorted, as their places).
    place = "_place"
    staying_rows = (
        last.with_columns(pl.int_range(1, 2 * last.height + 1, 2, dtype=pl.Int64).alias(place))
        .lazy()
        .filter(~pl.int_range(pl.len()).is_in(pl.Series(sorted(removed), dtype=pl.Int64).implode()))
    )
    added_rows = pl.DataFrame(added, schema=last.schema, orient="row").with_columns(
        pl.Series(place, [2 * at_place for at_place in places], dtype=pl.Int64)
    )
    (spliced,) = collected(staying_rows.merge_sorted(added_rows.lazy(), key=place).drop(place))
    return spliced


def _changed_middles(
    last_parts: Sequence[pl.DataFrame], last: pl.DataFrame, parts: Sequence[pl.DataFrame]
) -> list[tuple[pl.DataFrame, pl.DataFrame]] | None:
    """What a splice of ``last`` (made of ``last_parts``) takes out and puts in for ``parts``
    (``_spliced_nodes``, ``_spliced_edges``): the middles of each part that differs from its
    last one (``_differing_middles``: a part's rows that a change left keep their order), []
    when none does; None when no splice can be cheaper than a sort or exact (another number
    of parts, another schema than ``last``'s, more than ``_MAX_SPLICED_ROWS`` rows that one
    middle has more often than the other: counted before they are made distinct, as a first
    edit of a file moves its CALLS edges from their place to the end, past every row between).
    Middles of more rows than that are matched up first (``_unmatched_rows``), up to
    ``_MAX_MATCHED_ROWS`` rows: a part's rows in another order are no change."""
    if len(last_parts) != len(parts) or any(
        old.schema != last.schema or new.schema != last.schema
        for old, new in zip(last_parts, parts, strict=True)
    ):
        return None
    middles = [
        _differing_middles(old, new)
        for old, new in zip(last_parts, parts, strict=True)
        if not old.equals(new)
    ]
    rows = sum(old.height + new.height for old, new in middles)
    if rows > _MAX_SPLICED_ROWS:
        if rows > _MAX_MATCHED_ROWS:
            return None
        middles = [(old, new) for old, new in _unmatched_rows(middles) if old.height or new.height]
        if sum(old.height + new.height for old, new in middles) > _MAX_SPLICED_ROWS:
            return None
    return middles


def _unmatched_rows(
    middles: Sequence[tuple[pl.DataFrame, pl.DataFrame]],
) -> list[tuple[pl.DataFrame, pl.DataFrame]]:
    """Each pair of middles (old, new) as the rows of ``old`` that ``new`` lacks and those of
    ``new`` that ``old`` lacks, a row as often as it is more in one than in the other (the k-th
    of equal rows in one is matched with the k-th in the other; the splices read rows, not
    their order). (In one query: ``collected``.)"""
    repeat = "_repeat"
    queries = []
    for old, new in middles:
        key = [*old.columns, repeat]
        numbered = [
            frame.lazy().with_columns(pl.int_range(pl.len()).over(frame.columns).alias(repeat))
            for frame in (old, new)
        ]
        queries += [
            numbered[0].join(numbered[1], on=key, how="anti", nulls_equal=True).drop(repeat),
            numbered[1].join(numbered[0], on=key, how="anti", nulls_equal=True).drop(repeat),
        ]
    unmatched = collected(*queries)
    return list(zip(unmatched[::2], unmatched[1::2], strict=True))


def _differing_middles(old: pl.DataFrame, new: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rows of ``old`` and of ``new`` between the rows both begin with and those both end
    with (slices, no copy)."""
    prefix, suffix = _middle_bounds(old, new)
    return (
        old.slice(prefix, old.height - prefix - suffix),
        new.slice(prefix, new.height - prefix - suffix),
    )


def _middle_bounds(old: pl.DataFrame, new: pl.DataFrame) -> tuple[int, int]:
    """(prefix, suffix): how many rows ``old`` and ``new`` both begin with, and how many of
    the rows after those they both end with."""

    def mismatches(before: pl.DataFrame, after: pl.DataFrame) -> pl.Series:
        differ = [
            before.get_column(name).ne_missing(after.get_column(name)) for name in before.columns
        ]
        return functools.reduce(operator.or_, differ).arg_true()

    shorter = min(old.height, new.height)
    head = mismatches(old.head(shorter), new.head(shorter))
    prefix = int(head[0]) if head.len() else shorter
    rest = shorter - prefix
    tail = mismatches(old.tail(rest), new.tail(rest)) if rest else pl.Series(dtype=pl.UInt32)
    suffix = rest - 1 - int(tail[-1]) if tail.len() else rest
    return prefix, suffix


_LAST_FINISHED = _LastFinished()


@dataclass(frozen=True)
class _SymbolSide:
    """The symbol side's resolved rows: each inheriting child's base type (child_id, target;
    ``_inheriting_children``' rows), what each import names (import_id, found;
    ``_import_rows``') and the type each receiver-type query names (``RECEIVER_KEYS``, target,
    guess: the declared types, return types, callback parameter types and aliases the call
    sites read, each written in a file; ``_resolve_targets``): what ``StoredResolution`` keeps
    of them."""

    bases: pl.DataFrame
    imported: pl.DataFrame
    receivers: pl.DataFrame


# What a receiver-type query is (``_resolve_targets``' ``receiver_types``): its answer depends
# on these alone (the scope it is written in and its text).
RECEIVER_KEYS = ["language", "path", "owner", "text"]


@dataclass(frozen=True)
class _Resolution:
    """What ``_resolved_edges`` gives: the edge parts but CALLS, the CALLS part (unfinished,
    with each call site's ``path``) and the resolved symbol side."""

    parts: list[pl.DataFrame]
    call_edges: pl.DataFrame
    side: _SymbolSide
    # (owner, this_owner) of each call site, in the calls' order (``_enclosing``)
    call_owners: pl.DataFrame


class _StaleSide(Exception):
    """A stored symbol side whose rows are not the inputs' (``_resolved_edges``)."""


def _resolved_edges(
    inputs: ResolutionInputs,
    *,
    resolved_paths: Sequence[str] | None = None,
    side: _SymbolSide | None = None,
    owners: _KeptRows | None = None,
) -> _Resolution:
    """The edge parts of ``cpg_edges`` but CALLS, and the CALLS part (unfinished) of the call
    sites of ``resolved_paths`` (None: of every file). The CONTAINS edges of every call site
    are among the first: only their resolution is restricted (``resolution_store``: the CALLS
    edges of a file's call sites do not depend on other files' call sites). ``side``: the base
    types and import targets of a resolution of the same symbol side but for the changed
    files' lines (its ids mapped to the inputs'), taken instead of resolved again; raises
    ``_StaleSide`` when its rows are not the inputs' children and imports. ``owners``: the
    owner and this_owner of the call sites of the files not ``resolved_paths`` (a stored
    resolution's: ``_kept_rows``), taken instead of found again."""
    files, go_modules, rust_crates = inputs.files, inputs.go_modules, inputs.rust_crates
    symbols, imports, calls, inherits = (
        inputs.symbols,
        inputs.imports,
        inputs.calls,
        inputs.inherits,
    )
    graph = _graph(files, symbols, imports, go_modules, rust_crates)
    scope = graph.scope
    with_ids = calls.with_columns(call_id=call_node_ids(calls))
    if owners is None:
        enclosed = _call_owners(with_ids, graph.labelled)
    else:
        found = _call_owners(with_ids.filter(owners.in_changed), graph.labelled)
        enclosed = with_ids.with_columns(
            _spliced_column(owners.kept[name], found[name], owners.in_changed)
            for name in _CALL_OWNERS
        )
    (call_rows,) = collected(
        # (in the calls' order, which the stored owners are spliced by: review r20b F4)
        enclosed.lazy().join(
            graph.analysed.lazy().select("path", "ns_id"),
            on="path",
            how="left",
            maintain_order="left",
        )
    )
    call_owners = call_rows.select(_CALL_OWNERS)
    # (the last children again for this scope and these inherits rows: ``_LAST_CHILDREN``)
    children = _LAST_CHILDREN.get(
        (inherits,), lambda: _inheriting_children(inherits, graph=graph, scope=scope), same=(scope,)
    )
    import_rows = graph.import_rows
    if side is not None and not (
        side.bases["child_id"].equals(children["child_id"])
        and side.imported["import_id"].equals(import_rows["import_id"])
    ):
        raise _StaleSide
    contains = _contains_edges(graph=graph, scope=scope, call_rows=call_rows)
    resolved_rows = call_rows.lazy()
    if resolved_paths is not None:
        resolved_rows = resolved_rows.filter(pl.col("path").is_in(list(resolved_paths)))
    resolved_rows, returning = collected(
        resolved_rows.with_columns(pl.col("owner").fill_null(_TOP)),
        # return types are resolved in the scope around their function (``_returned_types``)
        # (and the types of callback parameters, ``_contextual_types``)
        scope.symbols.lazy()
        .filter(
            pl.col("returns").is_not_null()
            | pl.col("callback_types").is_not_null()
            | pl.col("parameter_types").is_not_null()
        )
        .select(pl.col("up").fill_null(_TOP)),
    )
    call_rows = _qualified_this(resolved_rows, scope)
    returning_owners = returning["up"]
    lookups = _Lookups(
        scope,
        pl.concat([call_rows["owner"], children["owner"], returning_owners]),
        call_rows["this_owner"],
        resolves_imports=side is None,
    )
    # the package's variables of other files (Go): typed as their declarations give them
    variables = _package_variables(symbols)
    call_rows = _package_variable_receivers(call_rows, variables, scope)
    call_rows = _imported_package_receivers(call_rows, scope)
    call_rows = _rust_own_as_mut_receivers(call_rows, symbols)
    returned_calls = _returned_call_queries(call_rows)
    functions = scope.returned_functions
    members = scope.member_types
    hop_members = pl.concat([members, _package_members(variables).select(members.columns)])
    callbacks = scope.callback_functions
    aliases = scope.rust_aliases
    receiver_types = pl.concat(
        [
            _receiver_type_queries(call_rows),
            _return_type_queries(functions, returned_calls),
            _field_hop_queries(call_rows, hop_members),
            *([_callback_type_queries(callbacks)] if callbacks.height else []),
            *([aliases.drop("alias")] if aliases.height else []),
        ]
    ).unique(subset=["language", "path", "owner", "text"], keep="first", maintain_order=True)
    # the class names of Java argument and parameter types, resolved in the same pass, then
    # read by ``_OverloadTypes`` alone (not receivers: rule 4a never joins them)
    receivers = receiver_types.height
    # (the languages of the input: a pass of languages it lacks is skipped, its ~0.1 ms a
    # polars query each is the resolver's fixed cost on a small repository)
    languages = frozenset(symbols["language"].unique()) | frozenset(calls["language"].unique())
    if languages & ARITY_LANGUAGES:
        receiver_types = pl.concat(
            [receiver_types, _overload_type_queries(call_rows, scope.symbols)]
        ).unique(subset=["language", "path", "owner", "text"], keep="first", maintain_order=True)
    # the classes JavaScript/TypeScript calls are made through (`B.f()`), likewise read by
    # ``_class_static_side`` alone; not stored (the queries of the changed files' calls, never
    # of the files a later resolution takes from the store)
    stored_receivers = receiver_types.height
    if languages & STATIC_LANGUAGES:
        receiver_types = pl.concat([receiver_types, _class_head_queries(call_rows)]).unique(
            subset=["language", "path", "owner", "text"], keep="first", maintain_order=True
        )
    # the receiver types the store answers (of the files not changed) are not queried again
    known_receivers = None
    if side is not None:
        numbered = receiver_types.lazy().with_row_index("_receiver")
        stored = side.receivers.lazy()
        known_receivers, receiver_types = collected(
            numbered.join(stored, on=RECEIVER_KEYS, how="inner", nulls_equal=True),
            numbered.join(stored, on=RECEIVER_KEYS, how="anti", nulls_equal=True),
        )
    call_rows, children, receiver_types, returned_calls = _resolve_targets(
        call_rows,
        children,
        receiver_types,
        returned_calls,
        lookups=lookups,
        base_targets=None if side is None else side.bases["target"],
    )
    call_rows = _local_values_called(call_rows)
    if known_receivers is not None:
        (receiver_types,) = collected(
            pl.concat(
                [receiver_types.lazy(), known_receivers.lazy().select(receiver_types.columns)]
            )
            .sort("_receiver")
            .drop("_receiver")
        )
    resolved = (
        receiver_types.lazy().head(stored_receivers).select(*RECEIVER_KEYS, "target", "guess")
    )
    if side is not None:
        # (and those this run did not ask, for the next one)
        resolved = pl.concat([resolved, side.receivers.lazy()]).unique(
            subset=RECEIVER_KEYS, keep="first", maintain_order=True
        )
    (resolved_receivers,) = collected(resolved)
    call_rows = _rust_prelude_trait_impls(call_rows, children, scope=scope, lookups=lookups)
    overload_types = _resolved_overload_types(receiver_types) if languages & ARITY_LANGUAGES else {}
    class_heads = (
        _resolved_class_heads(receiver_types, scope.symbols)
        if languages & STATIC_LANGUAGES
        else None
    )
    receiver_types = _rust_aliased(receiver_types.slice(0, receivers), aliases)
    # a name that reaches a Java overload set: the method the argument count picks (a call's
    # value, `x = f(...)`, whose count the receiver does not record: a set whose methods all
    # return one type)
    sets = scope.overload_sets
    bases = _base_walk(children, scope)
    call_rows = _arity_picked(
        _class_named_inherited(call_rows, sets, bases=bases, symbols=scope.symbols),
        sets,
        final=False,
    )
    returned_calls = returned_calls.with_columns(
        _overloads_by_arity(
            returned_calls.with_columns(arguments=pl.lit(None, pl.Int64)),
            sets,
            target="target",
            several="returns",
        )
    )
    returned = _returned_types(returned_calls, functions)
    import_targets = (
        _import_targets(import_rows, graph=graph, lookups=lookups)
        if side is None
        else side.imported
    )
    import_contains, import_edges = _import_edges(import_rows, import_targets)
    outside = graph.outside
    typed = _OverloadTypes(
        sets,
        bases,
        children=children,
        symbols=scope.symbols,
        resolved=overload_types,
    )
    trait_imports = _RustTraitImports(graph, import_edges)

    def declared_targets(
        rows: pl.DataFrame, typed: pl.DataFrame, *, returned_only: bool = False
    ) -> pl.DataFrame:
        return _declared_targets(
            rows,
            receiver_types,
            typed,
            scope=scope,
            lookups=lookups,
            bases=bases,
            trait_imports=trait_imports,
            returned_only=returned_only,
            outside=outside,
        )

    impl_structs = _rust_impl_structs(scope.symbols, _rust_import_bindings(graph, import_edges))
    call_rows = _rust_self_delegations(
        call_rows, children, lookups=lookups, impl_structs=impl_structs
    )

    def field_hop_types(rows: pl.DataFrame, returned: pl.DataFrame) -> pl.DataFrame:
        return _field_hop_types(
            rows,
            receiver_types,
            returned,
            hop_members,
            scope=scope,
            bases=bases,
            impl_structs=impl_structs,
        )

    hops = field_hop_types(call_rows, returned)
    if hops.height:
        returned = pl.concat([returned, hops], how="diagonal_relaxed")
    if class_heads is not None:
        call_rows = _class_static_side(call_rows, class_heads, bases=bases, symbols=scope.symbols)
    call_rows = declared_targets(call_rows, returned)
    call_rows = _arity_picked(
        _inherited_targets(call_rows, bases=bases, scope=scope, lookups=lookups),
        sets,
        final=True,
        typed=typed,
    )
    # rule 4a's second pass, for what the first one and the base walk make known:
    # - a call's value whose callee only they name (`x = self.repo.load()`), typed once they
    #   have resolved the calls of that callee;
    returned = _returned_by_call_sites(call_rows, returned_calls, functions)
    #   and the field hops from such a value (Go's `cm.Dst.Equal()` with `_, cm, err :=
    #   p.ReadFrom(b)`)
    later_hops = _later_field_hops(call_rows, returned)
    if later_hops.height:
        hops = field_hop_types(later_hops, returned)
        returned = pl.concat([returned, hops], how="diagonal_relaxed")
    outside_values = _outside_call_values(call_rows, returned_calls)
    if outside_values.height:
        returned = pl.concat([returned, outside_values], how="diagonal_relaxed")
    # - an untyped parameter of a function value passed to a call, typed by the signature of
    #   what the call resolved to (constructor calls: their class's constructor; rule 4a's
    #   passes change no call's ``declared``, so these targets also serve the CALLS edges)
    constructors = _constructor_targets(call_rows["declared"], scope.symbols, lookups)
    contextual = _contextual_types(call_rows, callbacks, constructors)
    if contextual.height:
        returned = pl.concat([returned, contextual], how="diagonal_relaxed")
    if returned.height:
        call_rows = _arity_picked(
            declared_targets(call_rows, returned, returned_only=True),
            sets,
            final=True,
            typed=typed,
        )
    # - Go, Java: a call's value whose callee only the passes before leave unresolved on a
    #   declared type (`fi, err := f.Stat()` with `f, err := fs.OpenFile()`), a few levels deep
    for _ in range(_MAX_OUTSIDE_VALUE_PASSES):
        # (``this_owner`` is null outside JavaScript/TypeScript: a null key is a value found
        # before too, else every pass would redo the first one's values)
        more = _outside_call_values(call_rows, returned_calls).join(
            outside_values,
            on=["language", "path", "owner", "this_owner", "text"],
            how="anti",
            nulls_equal=True,
        )
        if more.is_empty():
            break
        outside_values = pl.concat([outside_values, more])
        call_rows = declared_targets(call_rows, more, returned_only=True)
    parts = [*contains, import_contains, import_edges, _inherit_edges(children)]
    # (each edge with its call site's path: what the store keeps of it)
    sites = call_rows.lazy().select(src="call_id", path="path").unique(subset="src")
    call_edges, base_targets = collected(
        _call_edges(call_rows, constructors, sets, typed).lazy().join(sites, on="src"),
        children.lazy().select("child_id", "target"),
    )
    return _Resolution(
        parts,
        call_edges,
        _SymbolSide(base_targets, import_targets, resolved_receivers),
        call_owners,
    )


# The columns ``_call_owners`` gives a call site: the symbol enclosing it, and the one whose
# ``this`` it sees.
_CALL_OWNERS = ["owner", "this_owner"]


def _call_owners(calls: pl.DataFrame, labelled: pl.DataFrame) -> pl.DataFrame:
    """``calls`` with ``owner`` and ``this_owner`` (``_enclosing``): symbols of the call's own
    file (the enclosing qualified name is looked up in its path), so a file whose rows are as
    they were has its call sites' owners as they were."""
    return _enclosing(
        _enclosing(calls, labelled, qname="enclosing", line="line", out="owner"),
        labelled,
        qname="this_symbol",
        line="line",
        out="this_owner",
    )


# The line-free rows and ids of the changed files' symbols and imports that ``_moved_ids`` made
# last: the new side of a rebuild's is the previous side of the next one's, when it changes
# the same files.
_LAST_MOVED_ROWS: _LastMade[list[pl.DataFrame]] = _LastMade()


def _moved_ids(
    previous: ResolutionInputs, inputs: ResolutionInputs, changed: Sequence[str]
) -> tuple[pl.DataFrame, pl.Series]:
    """(old, new) node ids of the symbols and imports of the ``changed`` files that are the same
    row but for their positions (the k-th of equal rows before and after: ``line_free``), and
    every old node id of those files (an id that is none of the first is gone)."""

    def ids(frames: ResolutionInputs) -> list[pl.DataFrame]:
        in_changed = pl.col("path").is_in(changed)
        rows = (frames.symbols.filter(in_changed), frames.imports.filter(in_changed))

        def made() -> list[pl.DataFrame]:
            symbols, imports = _labelled_symbols(rows[0]), rows[1]
            return collected(
                line_free(symbols.lazy().drop("id"), "symbols").with_columns(id=symbols["id"]),
                line_free(imports.lazy(), "imports").with_columns(id=import_node_ids(imports)),
            )

        # (the last side made: a rebuild's previous rows of the file the last one changed)
        return _LAST_MOVED_ROWS.get(rows, made)

    # (each side's rows in one query, or the last made, then the pairs in one: ``collected``)
    rows = [*ids(previous), *ids(inputs)]
    pairs, old_ids = [], []
    for before, after in zip(rows[:2], rows[2:], strict=True):
        keys = [name for name in before.columns if name != "id"]
        pairs.append(
            before.lazy()
            .join(after.lazy(), on=keys, how="inner", nulls_equal=True)
            .select(old="id", new="id_right")
        )
        old_ids.append(before["id"])
    (moved,) = collected(pl.concat(pairs))
    return moved, pl.concat(old_ids)


def _with_moved_ids(
    frames: Sequence[tuple[pl.LazyFrame, Sequence[str]]], moved: pl.DataFrame, old_ids: pl.Series
) -> list[pl.DataFrame | None]:
    """Each frame with the ids of its columns that are old ids of the changed files replaced by
    their new ids (``_moved_ids``); None for a frame where one of them is gone (the gate lets
    no such row through; this keeps the splice exact if it ever did). (In two queries:
    ``collected``.)"""
    # (most edits move no id, or a few: only the ids that changed are replaced, and the frames
    # are searched for gone ids only when there are some)
    gone, renamed = collected(
        old_ids.to_frame().lazy().filter(~pl.col(old_ids.name).is_in(moved["old"].implode())),
        moved.lazy().filter(pl.col("old") != pl.col("new")),
    )
    mapped = [
        frame.with_columns(
            pl.col(column).replace(renamed["old"], renamed["new"]) for column in columns
        )
        if renamed.height
        else frame
        for frame, columns in frames
    ]
    gone_ids = gone.to_series().implode()
    with_gone = (
        [
            frame.select(
                pl.any_horizontal(pl.col(column).is_in(gone_ids).any() for column in columns)
            )
            for frame, columns in frames
        ]
        if gone.height
        else []
    )
    found = collected(*mapped, *with_gone)
    return [
        None if with_gone and found[len(frames) + index].item() else found[index]
        for index in range(len(frames))
    ]


def _calls_spliced(
    inputs: ResolutionInputs, store: DirectoryResolutionStore | None
) -> tuple[list[pl.DataFrame], pl.DataFrame]:
    """``_resolved_edges`` of ``inputs``: the other files' CALLS edges from the store's last
    resolution of the repository when ``incremental_paths`` shows they are exact (their
    targets in the changed files mapped to those files' new ids), with its base types and
    import targets (the gate shows them unchanged but for those ids: ``_SymbolSide``), else
    everything resolved."""
    if store is None:
        PATHS_TAKEN["full"] += 1
        resolution = _resolved_edges(inputs)
        return resolution.parts, resolution.call_edges.drop("path")
    key = repository_key(inputs.files)
    stored = store.get(key)
    changed = kept = side = owners = None
    tokens = TokenSlot()  # (the inputs' token counts, when the gate derives them)
    try:
        changed = (
            None
            if stored is None
            else incremental_paths(
                stored.inputs, inputs, tokens=stored.tokens.counts, counted=tokens
            )
        )
        if stored is not None and changed is not None:
            moved, old_ids = _moved_ids(stored.inputs, inputs, changed)
            elsewhere = ~pl.col("path").is_in(changed)
            kept, bases, imported, receivers = _with_moved_ids(
                [
                    # the stored CALLS edges of the other files' call sites
                    (stored.call_edges.lazy().filter(elsewhere), ["dst"]),
                    (stored.bases.lazy(), ["child_id", "target"]),
                    (stored.imported.lazy(), ["import_id", "found"]),
                    (stored.receivers.lazy().filter(elsewhere), ["target"]),
                ],
                moved,
                old_ids,
            )
            if bases is not None and imported is not None and receivers is not None:
                side = _SymbolSide(bases, imported, receivers)
                kept_calls = _kept_calls(stored.inputs.calls, inputs.calls, changed)
                call_ids = _stored_call_ids(stored, inputs.calls, kept_calls)
                if call_ids is not None:
                    remember_call_node_ids(inputs.calls, call_ids)
                owners = _kept_rows(stored.call_owners, kept_calls)
                CALL_OWNERS_MADE["found" if owners is None else "stored"] += 1
    except Exception as error:  # a stored entry of other code that loads: a miss, not an error
        warn_unusable(f"{type(error).__name__}: {error}")
        changed = None
    resolution = None
    if changed is not None and kept is not None and side is not None:
        with contextlib.suppress(_StaleSide):
            fresh = _resolved_edges(inputs, resolved_paths=changed, side=side, owners=owners)
            resolution = dataclasses.replace(fresh, call_edges=pl.concat([kept, fresh.call_edges]))
    PATHS_TAKEN["full" if resolution is None else "incremental"] += 1
    if resolution is None:
        resolution = _resolved_edges(inputs)
    side = resolution.side
    store.put(
        key,
        StoredResolution(
            inputs,
            resolution.call_edges,
            side.bases,
            side.imported,
            side.receivers,
            # (the ids ``_resolved_edges`` made: ``frame_node_ids``' memo)
            call_node_ids(inputs.calls).to_frame("id"),
            resolution.call_owners,
            tokens,
        ),
    )
    return resolution.parts, resolution.call_edges.drop("path")


# How the CALL node ids and the owners of an incremental resolution's calls were made in this
# process ("stored": the other files' from the store, ``_stored_call_ids``, ``_kept_rows``;
# "hashed", "found": every one's, the stored ones not one per stored row): what tests read.
CALL_IDS_MADE: Counter[str] = Counter()
CALL_OWNERS_MADE: Counter[str] = Counter()


@dataclass(frozen=True)
class _KeptCalls:
    """The call sites of the files a change left as they were: ``in_old`` (whether each stored
    call site is one), ``in_changed`` (whether each new call site is not)."""

    in_old: pl.Series
    in_changed: pl.Series


# The columns of a call site that what the store keeps of it alone is made from: its CALL id
# (``call_node_ids``) and its owners (``_call_owners``, with its own file's symbols).
_CALL_SITE_COLUMNS = ("path", "callee", "line", "column", "ordinal", "enclosing", "this_symbol")


def _kept_calls(
    old_calls: pl.DataFrame, calls: pl.DataFrame, changed: Sequence[str]
) -> _KeptCalls | None:
    """The call sites of ``calls`` of the files not ``changed`` and those of ``old_calls``, when
    they are the same rows in the same order (``incremental_paths`` has compared them,
    ``changed_paths``; checked here in ``_CALL_SITE_COLUMNS``, ~1 ms of tokio's, so that what
    is kept of each does not rest on how the gate compares); None when they are not, or when
    the changed files hold every call site (a one-file repository's: the splices would be the
    fixed cost of a few queries for nothing)."""
    in_changed = calls.get_column("path").is_in(changed)
    if in_changed.all():
        return None
    in_old = ~old_calls.get_column("path").is_in(changed)
    before, after = collected(
        old_calls.lazy().select(_CALL_SITE_COLUMNS).filter(in_old),
        calls.lazy().select(_CALL_SITE_COLUMNS).filter(~in_changed),
    )
    return _KeptCalls(in_old, in_changed) if before.equals(after) else None


@dataclass(frozen=True)
class _KeptRows:
    """Rows of a stored frame made of each call site alone (of its row and its own file's
    symbols: ``StoredResolution.call_ids``, ``call_owners``), for the call sites of the files
    a change left as they were: ``kept``, in the order of those call sites in the new calls;
    ``in_changed``: whether each new call site is of a changed file."""

    kept: pl.DataFrame
    in_changed: pl.Series


def _kept_rows(stored: pl.DataFrame, calls: _KeptCalls | None) -> _KeptRows | None:
    """The rows of ``stored`` (one per stored call site) of the ``calls`` kept; None when there
    are none (``_kept_calls``) or ``stored`` is not one row per stored call site."""
    if calls is None or stored.height != calls.in_old.len():
        return None
    return _KeptRows(stored.filter(calls.in_old), calls.in_changed)


def _spliced_column(kept: pl.Series, made: pl.Series, in_changed: pl.Series) -> pl.Series:
    """One value per call site: ``made`` at those ``in_changed``, ``kept`` at the others (each
    in their order)."""
    column = pl.Series(kept.name, dtype=kept.dtype).extend_constant(None, in_changed.len())
    column.scatter((~in_changed).arg_true(), kept)
    if made.len():
        column.scatter(in_changed.arg_true(), made)
    return column


def _stored_call_ids(
    stored: StoredResolution, calls: pl.DataFrame, kept: _KeptCalls | None
) -> pl.Series | None:
    """The CALL node id of each row of ``calls``: the stored ids of the ``kept`` call sites
    (``_kept_rows``: an id is made of its row alone), those of the changed files' hashed
    (tokio's 28,920 ids hashed: ~17 ms of a fresh process, which has no recent ids to take them
    from, ``cpg_model._recent_ids``). None (every id hashed) when no stored id is kept."""
    rows = _kept_rows(stored.call_ids, kept)
    CALL_IDS_MADE["hashed" if rows is None else "stored"] += 1
    if rows is None:
        return None
    made = call_node_ids(calls.filter(rows.in_changed)) if rows.in_changed.any() else None
    return _spliced_column(
        rows.kept.get_column("id"),
        pl.Series("id", dtype=pl.String) if made is None else made,
        rows.in_changed,
    )


@resolve(
    when=ResolveAt.CONFIG_AVAILABLE,
    decorate_with=_inject_families("symbols", "imports", "calls", "inherits"),
)
@tag(asset="cpg/edges", layer="cpg", kind="table", artifact="cpg_edges", task_cost="10")
@check_output_custom(*table_checks(schema=schemas.CPG_EDGES, key=schemas.SORT_KEYS["cpg_edges"]))
@schema.output(*arrow_fields(schemas.CPG_EDGES))
def cpg_edges(
    files: pl.DataFrame,
    go_modules: pl.DataFrame,
    rust_crates: pl.DataFrame,
    symbols_tables: list[pl.DataFrame],
    imports_tables: list[pl.DataFrame],
    calls_tables: list[pl.DataFrame],
    inherits_tables: list[pl.DataFrame],
    extraction_cache_dir: str = "",
) -> pl.DataFrame:
    """CPG edges: CONTAINS, CALLS (resolved or ``unresolved:<name>``), IMPORTS, INHERITS_FROM.

    ``extraction_cache_dir`` ("" = none) keeps the last resolution of the repository
    (``resolution_store``): when the gate there shows that a change can reach no other file's
    call sites, only the changed files' call sites are resolved again and the other files' CALLS
    edges come from the store; the output is the full resolution's either way."""
    inputs = ResolutionInputs(
        files=files,
        go_modules=go_modules,
        rust_crates=rust_crates,
        symbols=_concat(symbols_tables, schemas.SYMBOLS),
        imports=_concat(imports_tables, schemas.IMPORTS),
        calls=_concat(calls_tables, schemas.CALLS),
        inherits=_concat(inherits_tables, schemas.INHERITS),
    )
    parts, call_edges = _calls_spliced(inputs, open_resolution_store(extraction_cache_dir))
    return _finish_edges([*parts, call_edges])
