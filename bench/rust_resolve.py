"""The Rust compiler as the oracle for our Rust CALLS resolution (``bench.oracles.rust_resolution``).

Standard library only: cargo runs this file as a script, the ``RUSTC_WRAPPER`` of the oracle's
scratch build (``python bench/rust_resolve.py RUSTC ARGS...``). For the library crates named in
``RUST_ORACLE_CRATE`` (comma-separated) it compiles as asked, then runs the same command twice more with
``RUSTC_BOOTSTRAP=1`` and ``-Zunpretty=thir-tree -Zverbose-internals`` / ``-Zunpretty=hir-tree``
(the compiler's typed THIR of every body: each ``Call`` with the ``FnDef`` the compiler
resolved and its span; the HIR of every item: its span and, for an ``impl``, its trait and
self type), writing them into ``RUST_ORACLE_DUMPS`` as ``CRATE.thir-tree.txt`` and
``CRATE.hir-tree.txt``. Every other crate is compiled as asked.

``parse_thir_tree`` and ``parse_hir_tree`` read the two dumps; ``resolve`` says where each call
lands (a function's definition, the impl method a trait method resolves to for a concrete local
``Self``, the trait's own method otherwise, a tuple struct constructor's struct), by the span
where the call's callee starts (a method call: its name, rustc's ``fn_span``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

CRATE_ENV = "RUST_ORACLE_CRATE"
DUMPS_ENV = "RUST_ORACLE_DUMPS"
THIR_DUMP = "thir-tree.txt"
HIR_DUMP = "hir-tree.txt"

# rustc's options that choose outputs, dropped from the dump runs (which write one file each)
_OUTPUT_OPTIONS_WITH_VALUE = frozenset({"--out-dir", "-o", "--emit"})
_OUTPUT_OPTION_PREFIXES = (
    "--out-dir=",
    "--emit=",
    "-Cextra-filename=",
    "--json=",
    "--error-format=",
)


def dump_argv(argv: list[str], *, unpretty: str, output: Path) -> list[str]:
    """``argv`` (rustc and its arguments) writing ``-Zunpretty=UNPRETTY`` into ``output``."""
    kept: list[str] = []
    skip_next = False
    for index, argument in enumerate(argv):
        if skip_next:
            skip_next = False
            continue
        if argument in _OUTPUT_OPTIONS_WITH_VALUE:
            skip_next = True
            continue
        if (
            argument == "-C"
            and argv[index + 1 : index + 2]
            and argv[index + 1].startswith("extra-filename=")
        ):
            skip_next = True
            continue
        if argument.startswith(_OUTPUT_OPTION_PREFIXES):
            continue
        kept.append(argument)
    return [*kept, f"-Zunpretty={unpretty}", "-Zverbose-internals", "-o", str(output)]


def wrap(argv: list[str]) -> int:
    """The RUSTC_WRAPPER: compile as asked; for the oracle's crate also write the two dumps."""
    completed = subprocess.run(argv, check=False)
    if completed.returncode != 0:
        return completed.returncode
    crates = [name for name in os.environ.get(CRATE_ENV, "").split(",") if name]
    dumps = os.environ.get(DUMPS_ENV)
    if not crates or not dumps or "--crate-name" not in argv:
        return 0
    crate = argv[argv.index("--crate-name") + 1]
    is_lib = "--crate-type" in argv and argv[argv.index("--crate-type") + 1] == "lib"
    if crate not in crates or not is_lib:
        return 0
    environment = {**os.environ, "RUSTC_BOOTSTRAP": "1"}
    for unpretty, name in (("thir-tree", THIR_DUMP), ("hir-tree", HIR_DUMP)):
        output = Path(dumps) / f"{crate}.{name}"
        if output.exists():  # one crate compiled twice (host and target): which dump is read?
            print(f"rust_resolve: {output} was already written", file=sys.stderr)
            return 1
        dump = subprocess.run(
            dump_argv(argv, unpretty=unpretty, output=output),
            env=environment,
            check=False,
        )
        if dump.returncode != 0:
            print(f"rust_resolve: -Zunpretty={unpretty} failed", file=sys.stderr)
            return dump.returncode
    return 0


# ---- reading the dumps ----
# `DefId(0:177 ~ tokio[ed0c]::io::async_read::AsyncRead::poll_read)`: crate 0 is the local one
_DEF_ID = re.compile(r"DefId\((\d+):\d+ ~ ([^)]*)\)")
# `/path/file.rs:54:19: 54:20 (#0)`: 1-based line, 1-based column in characters, then the
# syntax context (#0: written in the source; else from a macro expansion or a desugaring)
_SPAN = re.compile(r"^(.*):(\d+):(\d+): (\d+):(\d+)(?: \(#(\d+)\))?$")


@dataclass(frozen=True)
class Span:
    file: str
    line: int
    column: int  # 1-based, in characters
    context: int  # 0: written in the source


def parse_span(text: str) -> Span | None:
    matched = _SPAN.match(text.strip().rstrip(","))
    if matched is None:
        return None
    return Span(
        matched.group(1), int(matched.group(2)), int(matched.group(3)), int(matched.group(6) or 0)
    )


def _def_path(text: str) -> tuple[bool, str] | None:
    """(local?, path with the crate and its hash) of the first DefId in ``text``."""
    matched = _DEF_ID.search(text)
    return None if matched is None else (matched.group(1) == "0", matched.group(2))


def _crate_relative(path: str) -> str:
    """``tokio[ed0c]::io::AsyncRead`` -> ``io::AsyncRead`` (as local types print in THIR)."""
    return path.split("::", 1)[1] if "::" in path else ""


@dataclass
class HirIndex:
    """The items of the crate: where each is defined, and each impl's trait and self type."""

    spans: dict[str, Span] = field(default_factory=dict)  # def path -> item span
    kinds: dict[str, str] = field(default_factory=dict)  # def path -> Item/ImplItem/TraitItem...
    # impl def path -> (trait def path or None, self type's ADT def path or None)
    impls: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    # (trait def path, self ADT def path, method name) -> the impl methods' def paths
    trait_impl_methods: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    # crate-relative path of a local ADT (as THIR prints it) -> def path
    local_adts: dict[str, str] = field(default_factory=dict)


_OWNER = re.compile(r"^DefId\((\d+):\d+ ~ (.*)\) => OwnerNodes \{$")
_ITEM_FIELD_INDENT = 16  # `DefId(..) => OwnerNodes {` / node: ParentedNode / node: Item( / Item {
_IMPL_FIELD_INDENT = 24  # the fields of `kind: Impl(Impl { ... })`
_ADT_KINDS = frozenset({"Struct", "Enum", "Union"})


def parse_hir_tree(lines: Iterable[str]) -> HirIndex:
    index = HirIndex()
    owner: str | None = None
    node_kind = ""
    in_impl = False
    section = ""  # "of_trait" / "self_ty" while reading an impl's header
    trait: str | None = None
    self_adt: str | None = None
    self_is_path = False
    pending_res_kind: str | None = None
    expect_res_kind = False

    def finish() -> None:
        if owner is not None and in_impl:
            index.impls[owner] = (trait, self_adt)

    for raw in lines:
        line = raw.rstrip("\n")
        header = _OWNER.match(line)
        if header is not None:
            finish()
            owner = header.group(2)
            node_kind, in_impl, section = "", False, ""
            trait = self_adt = pending_res_kind = None
            self_is_path = expect_res_kind = False
            continue
        if owner is None:
            continue
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if indent == 8 and stripped.startswith("node: ") and not node_kind:
            node_kind = stripped[len("node: ") :].rstrip("({ ")
            index.kinds[owner] = node_kind
        elif indent == _ITEM_FIELD_INDENT:
            if stripped.startswith("span: ") and owner not in index.spans:
                span = parse_span(stripped[len("span: ") :])
                if span is not None:
                    index.spans[owner] = span
            elif stripped.startswith("kind: Impl("):
                in_impl = True
        if not in_impl:
            continue
        if indent == _IMPL_FIELD_INDENT:
            if stripped.startswith("of_trait: Some("):
                section = "of_trait"
            elif stripped.startswith("self_ty: "):
                section = "self_ty"
            elif stripped.endswith(":") or ": " in stripped:
                section = ""
            continue
        if section == "self_ty" and indent == _IMPL_FIELD_INDENT + 4:
            if stripped.startswith("kind: "):
                self_is_path = stripped.startswith("kind: Path(")
            continue
        if section in ("of_trait", "self_ty"):
            if stripped.startswith("res: Def("):
                expect_res_kind = True
                continue
            if expect_res_kind:
                pending_res_kind = stripped.rstrip(",")
                expect_res_kind = False
                continue
            if pending_res_kind is not None:
                found = _def_path(stripped)
                kind, pending_res_kind = pending_res_kind, None
                if found is None:
                    continue
                if section == "of_trait" and trait is None and kind == "Trait":
                    trait = found[1]
                elif (
                    section == "self_ty"
                    and self_adt is None
                    and self_is_path
                    and kind in _ADT_KINDS
                ):
                    self_adt = found[1]
    finish()
    for path in index.spans:
        if index.kinds.get(path) == "Item" and path not in index.impls:
            index.local_adts.setdefault(_crate_relative(path), path)
    for path, kind in index.kinds.items():
        if kind != "ImplItem":
            continue
        impl, _, name = path.rpartition("::")
        trait, self_adt = index.impls.get(impl, (None, None))
        if trait is not None and self_adt is not None:
            index.trait_impl_methods.setdefault((trait, self_adt, name), []).append(path)
    return index


@dataclass(frozen=True)
class ThirCall:
    """A call the compiler resolved: where its callee starts, and what it calls."""

    span: Span  # a method call: the method's name; a path call: the path; a constructor: it
    kind: str  # "call" (a FnDef), "constructor" (a tuple struct / variant), "value" (fn pointer)
    def_path: str  # FnDef's def path; a constructor's ADT (a variant: its enum)
    self_type: str  # a FnDef's first generic argument as THIR prints it ("" when none)
    name: str  # the called function's, struct's or variant's name


def _first_argument(text: str) -> str:
    """The first top-level element of a printed generic argument list ``[A<B, C>, D]``."""
    depth = 0
    for index, char in enumerate(text):
        if char in "<([{":
            depth += 1
        elif char in ">)]}":
            if depth == 0:
                return text[:index].strip()
            depth -= 1
        elif char == "," and depth == 0:
            return text[:index].strip()
    return text.strip()


_FN_DEF = re.compile(r"^FnDef\(DefId\((\d+):\d+ ~ ([^)]*)\), \[(.*)$")


# `VariantDef { def_id: DefId(..), ctor: Some((Fn, DefId(..))), name: "Idle", ...`: one per
# variant of a printed AdtDef, in order; `ctor: None` for a struct-like variant or struct
_VARIANT_DEF = re.compile(
    r"VariantDef \{ def_id: DefId\([^)]*\), "
    r'ctor: (None|Some\(\(\w+, DefId\([^)]*\)\)\)), name: "([^"]*)"'
)


def _variant(variants: str, index: int) -> tuple[str, bool]:
    """(name, has a constructor function) of the ``index``-th variant of a printed AdtDef."""
    found = _VARIANT_DEF.findall(variants)
    if index >= len(found):
        return "", False
    ctor, name = found[index]
    return name, ctor.startswith("Some((Fn")


def parse_thir_tree(lines: Iterable[str]) -> Iterator[ThirCall]:
    spans: dict[int, str] = {}  # indentation -> the last `span:` written there
    calls: dict[int, dict[str, str]] = {}  # a `Call {` / `Adt {` being read, by indentation
    for raw in lines:
        line = raw.rstrip("\n")
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if stripped.startswith("span: "):
            spans[indent] = stripped[len("span: ") :]
            continue
        if stripped in ("Call {", "Adt {"):
            calls[indent] = {"node": stripped[:-2], "span": spans.get(indent - 4, "")}
            continue
        record = calls.get(indent - 4)
        if record is not None and record["node"] == "Call":
            key, _, value = stripped.partition(": ")
            if key in ("ty", "from_hir_call"):
                record[key] = value
            elif key == "fn_span":  # the last of the three: the call is complete
                del calls[indent - 4]
                record[key] = value
                call = _thir_call(record)
                if call is not None:
                    yield call
            continue
        # an `Adt {`'s fields: `adt_def: AdtDef { did, variants }` (+12), `variant_index` (+8)
        record = calls.get(indent - 12)
        if record is not None and record["node"] == "Adt":
            key, _, value = stripped.partition(": ")
            if key in ("did", "variants"):
                record[key] = value
            continue
        record = calls.get(indent - 8)
        if (
            record is not None
            and record["node"] == "Adt"
            and stripped.startswith("variant_index: ")
        ):
            del calls[indent - 8]
            record["variant_index"] = stripped.partition(": ")[2]
            call = _thir_constructor(record)
            if call is not None:
                yield call


def _thir_call(record: dict[str, str]) -> ThirCall | None:
    if record.get("from_hir_call") != "true":  # an operator, `?`, `.await`: not written as a call
        return None
    span = parse_span(record["fn_span"])
    if span is None:
        return None
    matched = _FN_DEF.match(record.get("ty", ""))
    if matched is None:  # a fn pointer value
        return ThirCall(span, "value", "", "", "")
    path, arguments = matched.group(2), matched.group(3)
    return ThirCall(span, "call", path, _first_argument(arguments), path.rsplit("::", 1)[-1])


def _thir_constructor(record: dict[str, str]) -> ThirCall | None:
    span = parse_span(record["span"])
    found = _def_path(record.get("did", ""))
    if span is None or found is None:
        return None
    name, is_function = _variant(record.get("variants", ""), int(record["variant_index"]))
    if not is_function:  # a struct literal `Foo { .. }` or a unit variant: no call
        return None
    return ThirCall(span, "constructor", found[1], "", name)


# The compiler's own notes on calls with no definition inside the crate.
OUTSIDE = "outside the corpus"  # std/core/alloc or another crate (bench.oracles._OUTSIDE_NOTE)
FUNCTION_VALUE = "a value of a function type (a closure, a fn pointer, a generic F: Fn)"
MACRO_DEFINITION = "a definition a macro generates (a derive, a macro_rules! item)"
VARIANT = "an enum variant's constructor (no METHOD or TYPE_DECL of ours)"
_FN_TRAIT_CALLS = frozenset({"call", "call_mut", "call_once"})
_FN_TRAITS = ("::ops::function::Fn::", "::ops::function::FnMut::", "::ops::function::FnOnce::")


@dataclass(frozen=True)
class Resolved:
    """A call's definitions as the compiler resolved them (spans of items), and what kind."""

    definitions: tuple[Span, ...]
    kind: str  # "function", "impl method", "trait method", "constructor", or the note's
    note: str  # why no definition is inside the crate ("" when there is one)


def merge(indexes: Iterable[HirIndex]) -> HirIndex:
    """One index of the items of several crates compiled together (their def paths carry the
    crate's name and hash, so they do not collide); ``local_adts`` stays each crate's own."""
    merged = HirIndex()
    for index in indexes:
        merged.spans.update(index.spans)
        merged.kinds.update(index.kinds)
        merged.impls.update(index.impls)
        for key, methods in index.trait_impl_methods.items():
            merged.trait_impl_methods.setdefault(key, []).extend(methods)
    return merged


def _is_trait_method(path: str, *, hir: HirIndex) -> bool:
    kind = hir.kinds.get(path)
    if kind is not None:
        return kind == "TraitItem"
    parent = path.rsplit("::", 2)[-2] if path.count("::") >= 2 else ""
    return bool(parent) and parent[0].isupper()  # inherent items are under `{impl#N}`


def resolve(call: ThirCall, hir: HirIndex, *, adts: dict[str, str]) -> Resolved:
    """Where the call lands. ``hir``: the items of the crates compiled for the oracle (a
    definition elsewhere is outside); ``adts``: the calling crate's own types by the path THIR
    prints them with (``HirIndex.local_adts``). For a trait method of a concrete ``Self`` of
    the calling crate, the method of the impl of that trait for that type when it defines one
    (as codegen picks), else the trait's own (its default body or, for a generic ``Self`` or
    another crate's type, its declaration)."""
    if call.kind == "value" or (
        call.name in _FN_TRAIT_CALLS and any(marker in call.def_path for marker in _FN_TRAITS)
    ):
        return Resolved((), "value", FUNCTION_VALUE)
    span = hir.spans.get(call.def_path)
    if call.kind == "constructor":
        if span is not None and call.name != call.def_path.rsplit("::", 1)[-1]:
            return Resolved((), "variant", VARIANT)
        return Resolved((span,), "constructor", "") if span else Resolved((), "outside", OUTSIDE)
    if _is_trait_method(call.def_path, hir=hir):
        trait = call.def_path.rpartition("::")[0]
        # the trait's Self as THIR prints it: `&S` is an impl for `&S` (or a blanket one), not
        # S's (a `&self` method of S's impl prints `S`): no ADT, the trait's own method
        self_type = call.self_type.split("<", 1)[0]
        adt = adts.get(self_type)
        methods = hir.trait_impl_methods.get((trait, adt, call.name), []) if adt else []
        spans = tuple(hir.spans[path] for path in methods if path in hir.spans)
        if spans:
            return Resolved(spans, "impl method", "")
        if span is not None:
            kind = "trait method" if adt else "trait method of a generic or outside Self"
            return Resolved((span,), kind, "")
        return Resolved((), "outside", OUTSIDE)
    return Resolved((span,), "function", "") if span else Resolved((), "outside", OUTSIDE)


def read_dumps(
    dumps: Path, *, crates: Sequence[str], registry: str, folders: Collection[str]
) -> tuple[list[tuple[str, int]], list[list[object]]]:
    """The items and the calls of the dumps ``wrap`` wrote for ``crates`` (their names as
    rustc knows them), their files relative to ``registry`` (the cargo directory source, with
    a trailing ``/``); an item or a definition outside ``folders`` (the compiled crates'
    folders in it) is outside. Each call: file, line, column, syntax context, name, kind, its
    written definitions ``[file, line]``, and the note on why there is none inside. A dump
    with no call or no item is an error: rustc's ``-Zunpretty`` output is unstable, and a
    reader that no longer understands it must not yield empty answers."""

    def relative(span: Span) -> Span | None:
        if not span.file.startswith(registry):
            return None
        path = span.file[len(registry) :]
        return replace(span, file=path) if path.split("/", 1)[0] in folders else None

    indexes: dict[str, HirIndex] = {}
    for crate in crates:
        with (dumps / f"{crate}.{HIR_DUMP}").open(encoding="utf-8") as lines:
            indexes[crate] = parse_hir_tree(lines)
        if not indexes[crate].spans:
            raise ValueError(f"no item read from {crate}'s {HIR_DUMP}: has rustc's format changed?")
    hir = merge(indexes.values())
    items = sorted({(span.file, span.line) for span in map(relative, hir.spans.values()) if span})
    calls: list[list[object]] = []
    for crate in crates:
        read = 0
        with (dumps / f"{crate}.{THIR_DUMP}").open(encoding="utf-8") as lines:
            for call in parse_thir_tree(lines):
                read += 1
                site = relative(call.span)
                if site is None:
                    continue
                resolved = resolve(call, hir, adts=indexes[crate].local_adts)
                inside = [span for span in map(relative, resolved.definitions) if span]
                written = [span for span in inside if span.context == 0]
                note = resolved.note
                if resolved.definitions and not inside:
                    note = OUTSIDE
                elif inside and not written:
                    note = MACRO_DEFINITION
                calls.append(
                    [
                        site.file,
                        site.line,
                        site.column,
                        site.context,
                        call.name,
                        resolved.kind,
                        sorted([span.file, span.line] for span in written),
                        note,
                    ]
                )
        if not read:
            raise ValueError(
                f"no call read from {crate}'s {THIR_DUMP}: has rustc's format changed?"
            )
    calls.sort()
    return items, calls


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: rust_resolve.py RUSTC [ARGS...] (a RUSTC_WRAPPER)", file=sys.stderr)
        return 2
    return wrap(argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
