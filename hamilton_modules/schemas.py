"""Arrow schemas of every table the dataflow produces.

One place for column names and types: an empty table keeps its types (a null-typed column breaks
``pa.concat_tables``), and the same input gives byte-identical Parquet. Each schema's ``SORT_KEYS``
entry is the stable sort applied before a table leaves the dataflow.
"""

from __future__ import annotations

import pyarrow as pa

FILES = pa.schema(
    [
        pa.field("path", pa.string(), nullable=False),  # POSIX path relative to the repository root
        pa.field("language", pa.string()),  # None when unknown
        pa.field("size", pa.int64(), nullable=False),
        pa.field("lines", pa.int64()),  # None when the file was not read
        pa.field("sha256", pa.string()),  # None when the file was not read
        pa.field("status", pa.string(), nullable=False),  # "ok" | "skipped"
        pa.field("reason", pa.string()),  # skip reason, None when status == "ok"
        pa.field("parse_errors", pa.int64()),  # tree-sitter ERROR/MISSING nodes; None if not parsed
    ]
)

# Per-language table `<language>/parse_errors`: tree-sitter's error count per parsed file (the
# `parse_errors` column of FILES is filled from these).
PARSE_ERRORS = pa.schema(
    [
        pa.field("path", pa.string(), nullable=False),
        pa.field("parse_errors", pa.int64()),  # None when the file changed during the build
    ]
)

# Last column of every family table: 0 for the first row of its key (the sort key without
# `ordinal`), 1, 2... for repeats in source order (`import os, os` is two rows, ordinals 0 and 1;
# tree-sitter's error recovery can report one definition twice). No real row is ever dropped and
# the sort key stays a key. Numbered by the dataflow, not by extraction: see extracted_schema.
ORDINAL = pa.field("ordinal", pa.int64(), nullable=False)

SYMBOLS = pa.schema(
    [
        pa.field("language", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field(
            "kind", pa.string(), nullable=False
        ),  # canonical kind, see languages.base.SymbolKind
        pa.field("name", pa.string(), nullable=False),
        pa.field("qualified_name", pa.string(), nullable=False),
        pa.field(
            "parent", pa.string()
        ),  # qualified name of the enclosing symbol, None at top level
        pa.field("start_line", pa.int64(), nullable=False),  # 1-based
        pa.field("start_column", pa.int64(), nullable=False),  # 0-based, in bytes
        pa.field("end_line", pa.int64(), nullable=False),
        pa.field("end_column", pa.int64(), nullable=False),
        # a function's declared return type (languages.base ``@returns``): one named type as
        # annotations give it (`Foo`, `mod.Foo`, `a::Foo`; `Self`/`this` -> the qualified name
        # of the class/impl), after the operators a caller applies to the call's value to get
        # it, as Rust writes them (`.await? TcpStream` for `async fn f() -> io::Result<TcpStream>`;
        # `.await Foo` for Python's `async def f() -> Foo`, TypeScript's `Promise<Foo>`); None
        # when none is written, it is no one named type, or the language's table reads none;
        # a Go package-level variable's type, read (`<read> sync.Pool`, `<read> newTable()`,
        # an element's `<read>[] opt`: languages.base ``package_variables``)
        pa.field("returns", pa.string()),
        # the declared types of the parameters of a function's function-typed parameters
        # (languages.base ``callback_types``): `<k>:<j> <type>` entries joined by `;`, the type
        # of parameter j of the function type parameter k is declared with, one named type as
        # annotations give it (`operate(init: (s: Observable<T>, sub: Subscriber<R>) => void)`
        # -> `0:0 Observable;0:1 Subscriber`); None when there is none or the language's table
        # reads none (only TypeScript does)
        pa.field("callback_types", pa.string()),
        # a class's fields (languages.base ``FIELD_SEPARATOR``): `<name> <type>` entries (or
        # `<name>` alone, a field of no one known type) joined by `;`, sorted by name: what
        # the class body and its methods declare (`x: Foo`, `self.x: Foo = ...`, `self.x =
        # x` with `x: Foo`), the type as annotations give it; None when there is none or the
        # language's table exports none (Python, Go, TypeScript and JavaScript do: their
        # field hops read them)
        pa.field("fields", pa.string()),
        # a function's parameter count, a variadic parameter included (Java `f(int a, T... xs)`
        # -> 2), and whether its last parameter takes any number of arguments (then it takes
        # `parameters - 1` or more; languages.base ``Arity``); None when the language's table
        # counts none (only Java's does) or the definition has no parameter list
        pa.field("parameters", pa.int64()),
        pa.field("variadic", pa.bool_()),
        # each parameter's written type (languages.base ``Arity``) joined by `;`, in order:
        # primitives and arrays kept, type arguments dropped (`int;Object[];Map`), a type
        # parameter of the scopes where it is written marked `?` (`<T> f(T x, int... n)` ->
        # `?T;int[]`, a varargs parameter as the array it takes), "" where not known; None
        # when the language's table reads none (only Java's does) or there is no parameter list
        pa.field("parameter_types", pa.string()),
        # the modifiers written on a definition that name resolution reads (languages.base
        # ``Modifiers``: `private`, `static`), sorted and joined by a space (`private static`;
        # "" when none is); Go: the `//go:build` line of the definition's file (`go:build
        # linux && amd64`; languages.base ``file_modifiers``); None when the language's table
        # reads none (only Java's, JavaScript's/TypeScript's and Go's do)
        pa.field("modifiers", pa.string()),
        ORDINAL,
    ]
)

IMPORTS = pa.schema(
    [
        pa.field("language", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field(
            "module", pa.string()
        ),  # module/package/crate path as written; None for `import x`
        pa.field("name", pa.string(), nullable=False),  # imported name ("*" for a glob)
        pa.field("alias", pa.string()),
        # qualified name of the enclosing symbol, None at top. A JS/TS row with no module whose
        # name is its enclosing symbol binds a class or named function expression's own name in
        # its body (`const A = class Inner {}` -> (None, "A", "Inner") enclosed by A; languages.
        # base ENCLOSING_CLASS, ENCLOSING_FUNCTION): a name binding, no import (cpg.py: no
        # IMPORT node)
        pa.field("enclosing", pa.string()),
        pa.field("line", pa.int64(), nullable=False),
        # the statement also exports the names it binds from the file (JS/TS `export ... from`,
        # `export {x}`; Rust `pub use`, any `pub(...)`); False where the language has no such
        # statement (cpg.py, rule 3)
        pa.field("exported", pa.bool_(), nullable=False),
        ORDINAL,
    ]
)

CALLS = pa.schema(
    [
        pa.field("language", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field(
            "callee", pa.string(), nullable=False
        ),  # callee expression text (whitespace squeezed)
        pa.field("callee_name", pa.string(), nullable=False),  # last identifier of the callee
        pa.field("enclosing", pa.string()),  # qualified name of the enclosing symbol, None at top
        # JavaScript/TypeScript: qualified name of the symbol whose `this` the call sees (the
        # innermost non-arrow function, method or class around it), None when that is anonymous,
        # at the top level, and in the other languages
        pa.field("this_symbol", pa.string()),
        # a member call on a plain name or one field of the own instance (`x.f()`, `x?.f()`,
        # `self.x.f()`, `this.x.f()`; JS/TS `this.f()` with an explicit `this` parameter; Go
        # `s.conn.f()`: a field of the struct of the file that `s` is declared as): the
        # one named type that name is declared with where the call is, dotted as written without
        # type arguments or nullable wrappers (`Foo`, `mod.Foo`, `a::Foo`); `f()` when bound
        # to a call `f(...)` (a Foo if f is a class Foo, else what the function returns: the CPG
        # reads its symbols' `returns`), with the operators applied to the value after it
        # (`f().await`, Rust `f()?`, `.unwrap()` as `?`); `a.b()` for a member call on the
        # value of a call of a path (`a.b(x).f()`, Python/TypeScript/Rust); TypeScript:
        # `<line>:<column>(<k>:<j>)` for an untyped parameter j of a function value passed as argument k of the call whose
        # row is at that position (the CPG reads the `callback_types` of what it resolves to);
        # None when nothing declares it, it is no one named type, or its declarations disagree
        pa.field("receiver_type", pa.string()),
        # JavaScript/TypeScript: whether a member call's receiver starts with a name that a
        # function or a block around the call binds to a value (`x` of `x.f()`, `x.y.f()`: a
        # parameter, a local variable, a loop or `catch` variable, a destructured name, typed
        # or not; not a module's own variable, nor `const C = class {}` or `const m =
        # require("m")`, a class and an import), which no import or definition of that name
        # reaches there; for a bare callee (`f()`, `(f)()`), whether the name itself is such
        # a value (not a local function, `function f() {}` or `const f = () => {}`, nor a
        # named function expression's own name where the expression is a symbol); False for
        # every other call; None in the other languages (their tables read none), but for a
        # Go, Rust or Python bare callee, whether it names such a value (a parameter, a `:=` /
        # `let` / `var`, a loop variable, a closure's parameter; Python: a name the function
        # assigns anywhere, unless `global`/`nonlocal`). The CPG reads no class through such a
        # receiver, and no definition through such a name
        pa.field("receiver_local", pa.bool_()),
        # the number of arguments the call passes (languages.base ``Arity``: the CPG picks a
        # Java overload by it); None when the language's table counts none (only Java's does)
        # or a spread argument makes it unknown
        pa.field("arguments", pa.int64()),
        # each argument's type where the call site alone makes it evident (languages.base
        # ``Arity``), joined by `;` in order: a literal's (`int`, `long`, `double`, `float`,
        # `char`, `boolean`, `String`, `null`), a cast's, `new Foo<>()`'s (`Foo`), a plain
        # name's declared type (a local, parameter or field, as for ``receiver_type``, but
        # primitives and arrays kept), `this`'s class (its simple name; none in an anonymous
        # class), "" where not known (`f(x, 1)` -> `;int`); None when the
        # language's table reads none (only Java's does) or ``arguments`` is None. The CPG picks
        # a Java overload by them (``parameter_types``)
        pa.field("argument_types", pa.string()),
        pa.field("line", pa.int64(), nullable=False),
        pa.field("column", pa.int64(), nullable=False),
        ORDINAL,
    ]
)

INHERITS = pa.schema(
    [
        pa.field("language", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field("child", pa.string(), nullable=False),  # qualified name of the class/impl/struct
        pa.field("parent", pa.string(), nullable=False),  # base/trait/interface as written
        # "extends" | "implements" | "impl" | "blanket" (Rust `impl<T: Bound> Ext for T`: child
        # the impl, parent a bound of T, or T itself as the marker of a blanket impl; read by the
        # CPG's base walk only, never an INHERITS_FROM edge)
        pa.field("relation", pa.string(), nullable=False),
        pa.field("line", pa.int64(), nullable=False),
        ORDINAL,
    ]
)

CPG_NODES = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),  # stable hash, see cpg.node_id
        pa.field(
            "label", pa.string(), nullable=False
        ),  # FILE NAMESPACE TYPE_DECL METHOD CALL IMPORT
        pa.field("subkind", pa.string()),  # class/struct/trait/function/method/...
        pa.field("language", pa.string()),
        pa.field("name", pa.string(), nullable=False),
        pa.field("qualified_name", pa.string()),
        pa.field("path", pa.string(), nullable=False),
        pa.field("start_line", pa.int64()),
        pa.field("end_line", pa.int64()),
    ]
)

CPG_EDGES = pa.schema(
    [
        pa.field("src", pa.string(), nullable=False),
        pa.field("dst", pa.string(), nullable=False),  # a node id, or "unresolved:<name>"
        pa.field("label", pa.string(), nullable=False),  # CONTAINS CALLS IMPORTS INHERITS_FROM
        pa.field("resolved", pa.bool_(), nullable=False),
    ]
)

CPG_METRICS = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),  # METHOD node id
        pa.field("qualified_name", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field("language", pa.string(), nullable=False),
        pa.field("fan_in", pa.int64(), nullable=False),
        pa.field("fan_out", pa.int64(), nullable=False),
        pa.field("betweenness", pa.float64(), nullable=False),
    ]
)

# Table `go/modules`: the directives of every go.mod (`module`, `require`, `replace`) and go.work
# (`use`, `replace`) and their invalid lines (exact Go import resolution), one row per directive
# (block entries included), key (path, line).
GO_MODULES = pa.schema(
    [
        pa.field("path", pa.string(), nullable=False),  # the go.mod or go.work file
        pa.field("line", pa.int64(), nullable=False),  # the directive's line
        # module | require | replace | use | invalid
        pa.field("kind", pa.string(), nullable=False),
        # the declared (module), required (require) or replaced (replace) module path; use: the
        # module the used folder's go.mod declares; null: none (invalid, a use adding none)
        pa.field("module", pa.string(), nullable=True),
        # require: the version; replace: the replaced version (null: every version)
        pa.field("version", pa.string(), nullable=True),
        # module: the folder it roots ("" = repository); replace: the repository folder of a
        # local target (`=> ./x`), null for a module target or a folder outside the repository;
        # use: the used folder (null: outside the repository)
        pa.field("folder", pa.string(), nullable=True),
        # replace: the target as written; use: the folder as written
        pa.field("target", pa.string(), nullable=True),
        pa.field("target_version", pa.string(), nullable=True),  # replace: a module target's
        # why the directive is not followed here (a target or used folder outside the
        # repository, a use adding no module) or why the line is invalid; null: none
        pa.field("reason", pa.string(), nullable=True),
    ]
)

# Table `rust/crates`: what every Cargo.toml declares (the crate names Rust paths use, exact Rust
# import resolution): one row per package, workspace, workspace member and dependency, and one
# per invalid file; key (path, kind, section, name, package, target, folder).
RUST_CRATES = pa.schema(
    [
        pa.field("path", pa.string(), nullable=False),  # the Cargo.toml file
        # package | workspace | member | dependency | invalid
        pa.field("kind", pa.string(), nullable=False),
        # the table the row comes from: package, workspace, workspace.members, dependencies,
        # dev-dependencies, build-dependencies, target.<cfg>.<those>, workspace.dependencies;
        # null: invalid
        pa.field("section", pa.string(), nullable=True),
        # the crate name code uses: package: the lib name (`[lib] name`, else the package name,
        # `-` as `_`); dependency: a renamed one's key, else the lib name of the repository
        # crate it names, else its package (`-` as `_`); null: other kinds
        pa.field("name", pa.string(), nullable=True),
        # package: `[package] name`; dependency: the package it names (`package = ...` or the key)
        pa.field("package", pa.string(), nullable=True),
        # package, workspace: the file's folder ("" = the repository's root); member: a member
        # folder; dependency: the repository folder of a `path` dependency (null: not a path
        # dependency, or outside the repository); null: invalid
        pa.field("folder", pa.string(), nullable=True),
        # member: the `members` entry as written; dependency: its `path` as written
        pa.field("target", pa.string(), nullable=True),
        # why the row names no folder (a path outside the repository, no package there) or why
        # the file is invalid; null: none
        pa.field("reason", pa.string(), nullable=True),
    ]
)

# Every table schema above by the `artifact` tag of the nodes that produce it, for writers that
# must keep the declared types (orchestration.definitions).
TABLE_SCHEMAS: dict[str, pa.Schema] = {
    "file_inventory": FILES,
    "files": FILES,
    "parse_errors": PARSE_ERRORS,
    "symbols": SYMBOLS,
    "imports": IMPORTS,
    "calls": CALLS,
    "inherits": INHERITS,
    "cpg_nodes": CPG_NODES,
    "cpg_edges": CPG_EDGES,
    "cpg_metrics": CPG_METRICS,
    "go_modules": GO_MODULES,
    "rust_crates": RUST_CRATES,
}

SORT_KEYS: dict[str, list[str]] = {
    "files": ["path"],
    "parse_errors": ["path"],
    "symbols": ["path", "start_line", "start_column", "kind", "qualified_name", "ordinal"],
    "imports": ["path", "line", "module", "name", "alias", "ordinal"],
    "calls": ["path", "line", "column", "callee", "ordinal"],
    "inherits": ["path", "line", "child", "parent", "ordinal"],
    "cpg_nodes": ["id"],
    "cpg_edges": ["label", "src", "dst"],
    "cpg_metrics": ["id"],
    "go_modules": ["path", "line"],
    "rust_crates": ["path", "kind", "section", "name", "package", "target", "folder"],
}


def extracted_schema(table_schema: pa.Schema) -> pa.Schema:
    """What extraction rows carry for a family table: its schema without the dataflow's ``ordinal``."""
    return pa.schema([field for field in table_schema if field.name != ORDINAL.name])
