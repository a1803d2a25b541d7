"""The incremental CALLS path of ``cpg_edges`` (``hamilton_modules.resolution_store``): exact or
not taken.

Two assumptions the splice rests on, checked on real code: a file's CALLS edges do not depend on
other files' call sites (``test_call_edges_of_a_file_do_not_depend_on_other_files_calls``), and
the gate lets through only changes that reach no other file's call site (the property test:
random edits of real repositories, each built with the store and compared with the full
resolution byte for byte, the incremental path counted where it must be taken).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import pickle
import random
import re
import shutil
import sqlite3
import threading
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton_modules import cpg, cpg_model, memos, resolution_store, schemas
from hamilton_modules.cpg_model import UNRESOLVED_PREFIX, call_node_ids, import_node_ids
from hamilton_modules.extraction_store import ExtractionStoreWarning
from hamilton_modules.resolution_store import (
    PATHS_TAKEN,
    STORED_FORMAT,
    DirectoryResolutionStore,
    ResolutionInputs,
    StoredResolution,
    TokenCounts,
    changed_paths,
    flush_resolution_writes,
    held_writes,
    incremental_paths,
    open_resolution_store,
    repository_key,
    token_counts,
)
from tests.dataflow_support import dataflow_driver, write_repo

FAMILIES = ("symbols", "imports", "calls", "inherits")


def _tables(driver: Any, repo: Path, language: str, store: Path) -> dict[str, Any]:
    """``cpg_edges`` of ``repo`` built with the store in ``store`` (the per-file extraction store
    and the resolution store), and the tables it was made from."""
    wanted = ["cpg_edges", "files", "go_modules", "rust_crates"]
    wanted += [f"{language}.{family}" for family in FAMILIES]
    result = driver.execute(
        wanted, inputs={"repo_path": str(repo), "extraction_cache_dir": str(store)}
    )
    return {
        "edges": result["cpg_edges"],
        "files": result["files"],
        "go_modules": result["go_modules"],
        "rust_crates": result["rust_crates"],
        **{f"{family}_tables": [result[f"{language}.{family}"]] for family in FAMILIES},
    }


def _full(tables: dict[str, Any]) -> pl.DataFrame:
    """The full resolution of the tables (no store), as a fresh process makes it: no memo of
    this process's earlier resolutions (``memos.forget_all``), which the store's path went
    through (a memo keyed on less than its value reads would pass a comparison with itself)."""
    inputs = {name: value for name, value in tables.items() if name != "edges"}
    memos.forget_all()
    return cpg.cpg_edges(**inputs, extraction_cache_dir="")


def _built_with(tables: dict[str, Any], store: DirectoryResolutionStore) -> pl.DataFrame:
    """``cpg_edges`` of the tables with ``store``."""
    parts, call_edges = cpg._calls_spliced(_inputs(tables), store)
    return cpg._finish_edges([*parts, call_edges])


def _inputs(tables: dict[str, Any]) -> ResolutionInputs:
    return ResolutionInputs(
        files=tables["files"],
        go_modules=tables["go_modules"],
        rust_crates=tables["rust_crates"],
        **{
            family: cpg._concat(tables[f"{family}_tables"], getattr(schemas, family.upper()))
            for family in FAMILIES
        },
    )


def _assert_independent(inputs: ResolutionInputs, rng: random.Random) -> None:
    """The CALLS edges of the call sites of a random half of the files, and of the other half,
    resolved with the whole symbol side, are together the CALLS edges of all (what the splice
    rests on: another file's call sites change no file's CALLS edges); the halves resolved with
    the symbol side the full resolution gave (base types, import targets: what the store keeps
    of it) give the same edges, the other parts too."""
    paths = sorted(set(inputs.calls["path"].to_list()))
    rng.shuffle(paths)
    half = len(paths) // 2
    full = cpg._resolved_edges(inputs)
    assert full.call_edges.height > 1000
    for side in (None, full.side):
        halves = [
            cpg._resolved_edges(inputs, resolved_paths=chosen, side=side)
            for chosen in (paths[:half], paths[half:])
        ]
        calls = cpg._finish_edges([pl.concat([part.call_edges for part in halves])])
        assert calls.equals(cpg._finish_edges([full.call_edges]))
        for part in halves:
            assert cpg._finish_edges(part.parts).equals(cpg._finish_edges(full.parts))


def _assert_counted(store: Path, tables: dict[str, Any]) -> None:
    """The stored resolution's token counts, when known, are those of its inputs."""
    opened = open_resolution_store(str(store))
    assert opened is not None
    resolution = opened.get(repository_key(tables["files"]))
    assert resolution is not None
    counts = resolution.tokens.counts
    if counts is not None:
        total = counts.total()
        assert {token: count for token, count in total.items() if count} == dict(
            token_counts(resolution.inputs)
        )


# ---- edits: each takes the file's text and what the tables say around it ----

Function = tuple[str, int, int]  # a top-level function of the file: name, start and end line


@dataclass(frozen=True)
class Around:
    functions: list[Function]  # the file's top-level functions
    called: set[str]  # the names of the file's functions other files' CALLS edges target
    unresolved: set[str]  # the names of unresolved CALLS edges
    imported: bool  # whether other files' IMPORTS edges target symbols of the file
    inherited: bool  # whether other files' INHERITS_FROM edges target types of the file


Edit = Callable[[str, Around, random.Random], str | None]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _called(around: Around) -> list[Function]:
    return [function for function in around.functions if function[0] in around.called]


def _append(snippet: str) -> Edit:
    return lambda text, around, rng: text + "\n" + snippet + "\n"


def _comment_line(comment: str) -> Edit:
    """A comment line above a function other files call (it moves, its id changes)."""

    def edit(text: str, around: Around, rng: random.Random) -> str | None:
        if not _called(around):
            return None
        lines = _lines(text)
        at = rng.choice(_called(around))[1] - 1
        return "\n".join([*lines[:at], comment, *lines[at:]])

    return edit


def _move_all_lines(comment: str, reached: str) -> Edit:
    """A comment line at the top of a file other files reach by ``reached`` (``Around``'s
    ``imported``, ``inherited``): every row of the file moves, its imports and inherits too, and
    every id of the file other files' IMPORTS and INHERITS_FROM edges target is another one (the
    stored symbol side is taken with the ids mapped)."""

    def edit(text: str, around: Around, rng: random.Random) -> str | None:
        return comment + "\n" + text if getattr(around, reached) else None

    return edit


def _define_again(text: str, around: Around, rng: random.Random) -> str | None:
    """A function other files call defined a second time at the end of its file (a later
    definition, a twin: other files' calls of the name may change targets, none of its ids
    goes away)."""
    if not _called(around):
        return None
    _, start, end = rng.choice(_called(around))
    return text + "\n" + "\n".join(_lines(text)[start - 1 : end]) + "\n"


def _method_named(template: str) -> Edit:
    """A new type with one method of a name other files' unresolved calls write (rule 5's
    unique name, a method set: reached without the type's name)."""

    def edit(text: str, around: Around, rng: random.Random) -> str | None:
        names = sorted(name for name in around.unresolved if name.isidentifier())
        return text + "\n" + template.format(rng.choice(names)) + "\n" if names else None

    return edit


def _delete_function(text: str, around: Around, rng: random.Random) -> str | None:
    if not _called(around):
        return None
    _, start, end = rng.choice(_called(around))
    lines = _lines(text)
    return "\n".join(lines[: start - 1] + lines[end:])


def _rename_function(text: str, around: Around, rng: random.Random) -> str | None:
    if not _called(around):
        return None
    name, start, _ = rng.choice(_called(around))
    lines = _lines(text)
    renamed = re.sub(rf"\b{re.escape(name)}\b", f"{name}_renamed", lines[start - 1], count=1)
    return "\n".join([*lines[: start - 1], renamed, *lines[start:]])


def _return_type(arrow: str, new: str, end: str) -> Edit:
    """A function whose first line declares a return type returns ``new`` instead."""

    def edit(text: str, around: Around, rng: random.Random) -> str | None:
        lines = _lines(text)
        functions = _called(around) or around.functions
        for _, start, _ in rng.sample(functions, len(functions)):
            line = lines[start - 1]
            changed = re.sub(rf"{re.escape(arrow)}[^{re.escape(end)}]*{re.escape(end)}", new, line)
            if changed != line:
                return "\n".join([*lines[: start - 1], changed, *lines[start:]])
        return None

    return edit


def _remove_import(pattern: str) -> Edit:
    def edit(text: str, around: Around, rng: random.Random) -> str | None:
        lines = _lines(text)
        found = [index for index, line in enumerate(lines) if re.match(pattern, line)]
        if not found:
            return None
        at = rng.choice(found)
        return "\n".join(lines[:at] + lines[at + 1 :])

    return edit


RUST_EDITS: dict[str, tuple[Edit, bool]] = {
    # name -> (edit, whether the incremental path must be taken)
    "append a function of a new name": (_append("pub fn h86_fresh() -> u32 { 1 }"), True),
    "append a function of a name used elsewhere": (_append("pub fn new() -> u32 { 1 }"), False),
    "define again a function others call": (_define_again, False),
    "edit a body (lines move)": (_comment_line("// moved"), True),
    "delete a function others call": (_delete_function, False),
    "rename a function others call": (_rename_function, False),
    "change a return type": (_return_type("->", "-> u64 {", "{"), False),
    "add a method to a type": (
        _method_named("pub struct H86;\nimpl H86 {{ pub fn {}(&self) -> u32 {{ 1 }} }}"),
        False,
    ),
    "add an import": (_append("use std::fmt::Write as _;"), False),
    "remove an import": (_remove_import(r"use [\w:]+;$"), False),
    "move the lines of a file others import from": (_move_all_lines("// moved", "imported"), True),
    "move the lines of a file others inherit from": (
        _move_all_lines("// moved", "inherited"),
        True,
    ),
}
PYTHON_EDITS: dict[str, tuple[Edit, bool]] = {
    "append a function of a new name": (_append("def h86_fresh() -> int:\n    return 1"), True),
    "append a function of a name used elsewhere": (_append("def get():\n    return 1"), False),
    "define again a function others call": (_define_again, False),
    "edit a body (lines move)": (_comment_line("# moved"), True),
    "delete a function others call": (_delete_function, False),
    "rename a function others call": (_rename_function, False),
    "change a return type": (_return_type("->", "-> int:", ":"), False),
    "add a method to a type": (
        _method_named("class H86:\n    def {}(self):\n        return 1"),
        False,
    ),
    "add an import": (_append("import os.path as h86_path"), False),
    "remove an import": (_remove_import(r"import \w+$"), False),
    "move the lines of a file others import from": (_move_all_lines("# moved", "imported"), True),
    "move the lines of a file others inherit from": (
        _move_all_lines("# moved", "inherited"),
        True,
    ),
}

GO_EDITS: dict[str, tuple[Edit, bool]] = {
    "append a function of a new name": (_append("func h86Fresh() int { return 1 }"), True),
    "append a function of a name used elsewhere": (
        _append('func String() string { return "" }'),
        False,
    ),
    "define again a function others call": (_define_again, False),
    "edit a body (lines move)": (_comment_line("// moved"), True),
    "delete a function others call": (_delete_function, False),
    "rename a function others call": (_rename_function, False),
    "change a return type": (_return_type(") ", ") int {", "{"), False),
    "add a method to a type": (
        _method_named("type H86 struct{{}}\n\nfunc (H86) {}() int {{ return 1 }}"),
        False,
    ),
    "add an import": (_append('import "fmt"'), False),
    "remove an import": (_remove_import(r'\s+"[\w/.]+"$'), False),
    # (a Go import names a package, no file's symbol)
    "move the lines of a file others inherit from": (
        _move_all_lines("// moved", "inherited"),
        True,
    ),
}


def _around(tables: dict[str, Any], path: str) -> Around:
    symbols = cpg._labelled_symbols(tables["symbols_tables"][0].filter(pl.col("path") == path))
    top = symbols.filter(pl.col("parent").is_null() & pl.col("kind").is_in(["function", "method"]))
    calls = tables["calls_tables"][0].filter(pl.col("path") != path)
    edges = tables["edges"].filter(pl.col("label") == "CALLS")
    unresolved = edges.filter(~pl.col("resolved"))
    # the functions of the file other files' calls resolve to, by their node ids
    targeted = edges.filter(pl.col("src").is_in(call_node_ids(calls).to_list()))["dst"]
    # the edges from other files' nodes to the file's symbols
    ids = symbols["id"].to_list()
    own = [*ids, *import_node_ids(tables["imports_tables"][0].filter(pl.col("path") == path))]
    reaching = tables["edges"].filter(pl.col("dst").is_in(ids) & ~pl.col("src").is_in(own))
    return Around(
        functions=list(top.select("name", "start_line", "end_line").iter_rows()),
        called=set(top.filter(pl.col("id").is_in(targeted.to_list()))["name"].to_list()),
        unresolved={dst.removeprefix(UNRESOLVED_PREFIX) for dst in unresolved["dst"].to_list()},
        imported=(reaching["label"] == "IMPORTS").any(),
        inherited=(reaching["label"] == "INHERITS_FROM").any(),
    )


def _check_edits(
    repo: Path, language: str, suffix: str, edits: dict[str, tuple[Edit, bool]], tmp: Path
) -> None:
    """Each edit of a random file of ``repo``, one after the other (each on the repository as
    the edits before left it): the store's result is the full resolution's, and the edits that
    must take the incremental path took it. Then a file deleted and a file added."""
    driver = dataflow_driver(languages=[language], workers=2)
    store = tmp / "store"
    rng = random.Random(86)
    files = sorted(path for path in repo.rglob(f"*{suffix}"))
    tables = _tables(driver, repo, language, store)  # cold: stores the resolution
    _assert_independent(_inputs(tables), rng)
    taken: dict[str, bool] = {}
    for name, (edit, incremental) in edits.items():
        # a file the edit applies to: a random one, else the first in order (a rare kind)
        for path in itertools.chain((rng.choice(files) for _ in range(100)), files):
            relative = path.relative_to(repo).as_posix()
            text = path.read_text()
            edited = edit(text, _around(tables, relative), rng)
            if edited is not None and edited != text:
                break
        else:
            pytest.fail(f"{name}: no file of {repo} to apply it to")
        path.write_text(edited)
        before = PATHS_TAKEN["incremental"]
        # every other build as ``--watch`` makes it (``held_writes``): its resolution's token
        # counts made after it, then those of the builds after it derived from them (the gate
        # reads them; the others' gates scan the rows)
        with held_writes() if len(taken) % 2 else contextlib.nullcontext():
            tables = _tables(driver, repo, language, store)
        flush_resolution_writes()
        taken[name] = PATHS_TAKEN["incremental"] > before
        assert tables["edges"].equals(_full(tables)), f"{name} in {relative}"
        _assert_counted(store, tables)
        if incremental:
            assert taken[name], f"{name} in {relative}: the full path was taken"
    # a file deleted, then one added: another file list, the full path
    deleted = rng.choice(files)
    deleted.unlink()
    added = deleted.with_name(f"h86_added{suffix}")
    present = [file for file in files if file.exists()]
    for change in (lambda: None, lambda: shutil.copy(rng.choice(present), added)):
        change()
        before = PATHS_TAKEN["incremental"]
        tables = _tables(driver, repo, language, store)
        assert PATHS_TAKEN["incremental"] == before
        assert tables["edges"].equals(_full(tables))
    print(taken)


@pytest.mark.slow
def test_incremental_calls_equal_the_full_resolution_rust(
    tokio_source: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    for crate in ("tokio-util-*", "tokio-stream-*"):
        (folder,) = tokio_source.glob(crate)
        shutil.copytree(folder, repo / folder.name)
    _check_edits(repo, "rust", ".rs", RUST_EDITS, tmp_path)


@pytest.mark.slow
def test_incremental_calls_equal_the_full_resolution_python(
    dagster_source: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    for package in ("_utils", "_config"):
        shutil.copytree(dagster_source / package, repo / "dagster" / package)
    _check_edits(repo, "python", ".py", PYTHON_EDITS, tmp_path)


@pytest.mark.slow
def test_incremental_calls_equal_the_full_resolution_go(
    golang_net_source: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(golang_net_source / "go.mod", repo / "go.mod")
    for package in ("html", "proxy", "internal/socks"):
        shutil.copytree(golang_net_source / package, repo / package)
    _check_edits(repo, "go", ".go", GO_EDITS, tmp_path)


# ---- small repositories: the id map, the store's damage and absence ----

A_PY = "def f():\n    return 1\n"
B_PY = "from a import f\n\n\ndef g():\n    return f()\n"


def _small_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    write_repo(repo, {"a.py": A_PY, "b.py": B_PY})
    return repo


def _target_of_g_call(tables: dict[str, Any]) -> str:
    edges = tables["edges"].filter(pl.col("label") == "CALLS")
    (target,) = edges["dst"].to_list()
    return target


def test_a_moved_definition_is_the_new_target_of_other_files_calls(tmp_path: Path) -> None:
    """A body edit above `f` in a.py moves it (its node id carries its line): b.py's stored
    edge to `f` is mapped to the new id, and b.py's call is not resolved again."""
    repo = _small_repo(tmp_path)
    driver = dataflow_driver(languages=["python"])
    store = tmp_path / "store"
    first = _tables(driver, repo, "python", store)
    (repo / "a.py").write_text("# moved\n" + A_PY)
    before = PATHS_TAKEN["incremental"]
    second = _tables(driver, repo, "python", store)
    assert PATHS_TAKEN["incremental"] == before + 1
    assert second["edges"].equals(_full(second))
    assert _target_of_g_call(second) != _target_of_g_call(first)
    inputs = _inputs(second)
    assert _target_of_g_call(second) in cpg._labelled_symbols(inputs.symbols)["id"].to_list()


def test_moved_lines_map_the_stored_imports_inherits_and_receivers(tmp_path: Path) -> None:
    """A line at the top of a.py moves every row of it: its imports, Base (which b.py imports,
    inherits from and returns from make_thing, which a.py's Local inherits from) and make
    (which b.py imports and calls). The incremental path takes the stored IMPORTS and
    INHERITS_FROM targets and b.py's return type (what `make_thing().f()` in a.py reads) with
    a.py's ids mapped to the new ones: the edges are the full resolution's."""
    repo = tmp_path / "repo"
    write_repo(
        repo,
        {
            "a.py": "import os\nfrom b import make_thing\n\n\nclass Base:\n"
            "    def f(self):\n        return os.sep\n\n\nclass Local(Base):\n    pass\n\n\n"
            "def make():\n    return Base()\n\n\ndef run():\n    return make_thing().f()\n",
            "b.py": "from a import Base, make\n\n\nclass Child(Base):\n    pass\n\n\n"
            "def g():\n    return make()\n\n\ndef make_thing() -> Base:\n    return Base()\n\n\n"
            "class Other:\n    def f(self):\n        return 2\n",
        },
    )
    driver = dataflow_driver(languages=["python"])
    store = tmp_path / "store"
    first = _tables(driver, repo, "python", store)
    (repo / "a.py").write_text("# moved\n" + (repo / "a.py").read_text())
    before = PATHS_TAKEN["incremental"]
    second = _tables(driver, repo, "python", store)
    assert PATHS_TAKEN["incremental"] == before + 1
    assert second["edges"].equals(_full(second))
    kept = ["IMPORTS", "INHERITS_FROM"]
    edges = [tables["edges"].filter(pl.col("label").is_in(kept)) for tables in (first, second)]
    assert edges[0].height == edges[1].height == 6  # 4 imports (os unresolved), 2 inherits
    assert edges[0].join(edges[1], on=["src", "dst"], how="semi").is_empty()
    # `make_thing().f()`: Base's f through make_thing's return type (Other's f: no unique name)
    symbols = cpg._labelled_symbols(_inputs(second).symbols)
    (method,) = symbols.filter(pl.col("qualified_name") == "a.Base.f")["id"].to_list()
    assert second["edges"].filter(pl.col("label") == "CALLS")["dst"].to_list().count(method) == 1


def test_the_store_keeps_no_class_a_call_is_made_through(tmp_path: Path) -> None:
    """What class `B` of `B.f()` names where the call is (``_class_head_queries``) is asked of
    the call's own file whenever its calls are resolved again, never of the store: the store
    keeps no such query; an edit of that file resolves it again (the incremental path) to the
    full resolution's edges."""
    repo = tmp_path / "repo"
    write_repo(
        repo,
        {
            "a.js": "export class A {\n  static f() {}\n}\nexport class B extends A {}\n",
            "use.js": 'import { B } from "./a";\nB.f();\n',
        },
    )
    driver = dataflow_driver(languages=["javascript"])
    store = tmp_path / "store"
    first = _tables(driver, repo, "javascript", store)
    flush_resolution_writes()
    stored = DirectoryResolutionStore(str(store)).get(repository_key(first["files"]))
    assert stored is not None
    assert stored.receivers.filter(pl.col("text") == "B").is_empty()
    (repo / "use.js").write_text('import { B } from "./a";\n\nB.f();\n')
    before = PATHS_TAKEN["incremental"]
    second = _tables(driver, repo, "javascript", store)
    assert PATHS_TAKEN["incremental"] == before + 1
    assert second["edges"].equals(_full(second))
    calls = second["edges"].filter(pl.col("label") == "CALLS")
    assert not calls["dst"].str.starts_with(UNRESOLVED_PREFIX).any()


def test_moved_ids_replace_the_ids_that_changed_and_refuse_a_gone_one() -> None:
    """``_with_moved_ids``: an old id that maps to a new one is replaced, one that maps to
    itself stays, nulls and other files' ids stay; an old id of the changed files that maps
    to nothing (gone) makes the frame unusable (None), and that frame alone."""
    moved = pl.DataFrame({"old": ["a1", "a2"], "new": ["a1", "b2"]})
    frame = pl.DataFrame({"dst": ["a1", "a2", None, "x"], "src": ["a2", "x", "x", "a1"]})

    def with_moved_ids(
        frame: pl.DataFrame, columns: list[str], moved: pl.DataFrame, old_ids: list[str]
    ) -> pl.DataFrame | None:
        (mapped,) = cpg._with_moved_ids([(frame.lazy(), columns)], moved, pl.Series(old_ids))
        return mapped

    mapped = with_moved_ids(frame, ["dst"], moved, ["a1", "a2"])
    assert mapped is not None
    assert mapped["dst"].to_list() == ["a1", "b2", None, "x"]
    assert mapped["src"].to_list() == ["a2", "x", "x", "a1"]
    unmoved = moved.with_columns(new=pl.col("old"))
    same = with_moved_ids(frame, ["dst", "src"], unmoved, ["a1", "a2"])
    assert same is not None and same.equals(frame)
    assert with_moved_ids(frame, ["dst"], moved, ["a1", "a2", "x"]) is None
    assert with_moved_ids(frame, ["src"], moved, ["a1", "a2", "x"]) is None
    assert with_moved_ids(frame.head(1), ["dst"], moved, ["a1", "x"]) is not None
    gone, kept = cpg._with_moved_ids(
        [(frame.lazy(), ["dst"]), (frame.head(1).lazy(), ["dst"])],
        moved,
        pl.Series(["a1", "a2", "x"]),
    )
    assert gone is None
    assert kept is not None and kept["dst"].to_list() == ["a1"]


def test_a_stored_resolution_of_another_format_is_a_quiet_miss(tmp_path: Path) -> None:
    """An entry written in another layout (``STORED_FORMAT``) is a miss, not a warning."""
    repo = _small_repo(tmp_path)
    driver = dataflow_driver(languages=["python"])
    store_dir = tmp_path / "store"
    tables = _tables(driver, repo, "python", store_dir)
    flush_resolution_writes()
    store = DirectoryResolutionStore(str(store_dir))
    with sqlite3.connect(store.path) as connection:
        (value,) = connection.execute("SELECT value FROM entries").fetchone()
        encoded = pickle.loads(value)
        encoded["format"] = STORED_FORMAT - 1
        connection.execute("UPDATE entries SET value = ?", (pickle.dumps(encoded),))
    assert store.get(repository_key(tables["files"])) is None
    before = PATHS_TAKEN["incremental"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = _built_with(tables, DirectoryResolutionStore(str(store_dir)))
    assert PATHS_TAKEN["incremental"] == before
    assert again.equals(tables["edges"])


def test_the_gate_names_what_another_file_writes(tmp_path: Path) -> None:
    """A new top-level function nobody names: only a.py is resolved again; one named `g`,
    which b.py defines (another file's token), or a method (a type's method set): the full
    path."""
    repo = _small_repo(tmp_path)
    driver = dataflow_driver(languages=["python"])
    old = _inputs(_tables(driver, repo, "python", tmp_path / "store"))
    for appended, expected in (
        ("def fresh():\n    return 2\n", ["a.py"]),
        ("def g():\n    return 2\n", None),
        ("class C:\n    def fresh(self):\n        return 2\n", None),
        ("import os\n", None),
    ):
        (repo / "a.py").write_text(A_PY + "\n\n" + appended)
        new = _inputs(_tables(driver, repo, "python", tmp_path / "other"))
        assert incremental_paths(old, new) == expected, appended


def test_a_damaged_stored_resolution_is_a_miss(tmp_path: Path) -> None:
    """An entry that does not load is a miss with a warning; the output is the same."""
    repo = _small_repo(tmp_path)
    driver = dataflow_driver(languages=["python"])
    store_dir = tmp_path / "store"
    tables = _tables(driver, repo, "python", store_dir)
    store = DirectoryResolutionStore(str(store_dir))
    flush_resolution_writes()
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("UPDATE entries SET value = ?", (b"damaged",)).rowcount == 1
    before = PATHS_TAKEN["incremental"]
    with pytest.warns(ExtractionStoreWarning, match="resolution"):
        # (a new store object, as another process: this one's keeps its last resolution)
        again = _built_with(tables, DirectoryResolutionStore(str(store_dir)))
    assert PATHS_TAKEN["incremental"] == before
    assert again.equals(tables["edges"])


def test_a_store_object_serves_its_last_resolution_from_memory(tmp_path: Path) -> None:
    """The object ``open_resolution_store`` gives for a directory (one per process) keeps the
    last resolution it wrote: the next build takes it without reading the database (its entry
    emptied here); another object reads the database. A database gone (the cache deleted)
    makes a new object: what the old one kept would never be stored again (review r14b)."""
    repo = _small_repo(tmp_path)
    store_dir = tmp_path / "store"
    tables = _tables(dataflow_driver(languages=["python"]), repo, "python", store_dir)
    flush_resolution_writes()
    store = open_resolution_store(str(store_dir))
    assert store is not None and store is open_resolution_store(str(store_dir))
    with sqlite3.connect(store.path) as connection:
        connection.execute("DELETE FROM entries")
    key = repository_key(tables["files"])
    assert DirectoryResolutionStore(str(store_dir)).get(key) is None
    held = store.get(key)
    assert held is not None and held.inputs.symbols.equals(_inputs(tables).symbols)
    before = PATHS_TAKEN["incremental"]
    assert _built_with(tables, store).equals(tables["edges"])
    assert PATHS_TAKEN["incremental"] == before + 1
    flush_resolution_writes()  # (the splice's own write would make the database again)
    shutil.rmtree(store_dir)
    renewed = open_resolution_store(str(store_dir))
    assert renewed is not None and renewed is not store and renewed.get(key) is None


def test_no_store_is_the_full_path(tmp_path: Path) -> None:
    assert open_resolution_store("") is None
    repo = _small_repo(tmp_path)
    tables = _tables(dataflow_driver(languages=["python"]), repo, "python", tmp_path / "store")
    before = dict(PATHS_TAKEN)
    assert _full(tables).equals(tables["edges"])
    assert PATHS_TAKEN["full"] == before.get("full", 0) + 1
    assert PATHS_TAKEN["incremental"] == before.get("incremental", 0)


def test_a_constructor_added_to_a_class_another_file_calls_is_the_full_path(
    tmp_path: Path,
) -> None:
    """b.py calls `C()` without writing `__init__`: the `__init__` a.py gives C becomes the
    call's target. A method is reached without its name (a constructor, a method set), so a
    changed row with a parent is the full path, whatever other files write."""
    repo = tmp_path / "repo"
    write_repo(
        repo,
        {"a.py": "class C:\n    pass\n", "b.py": "from a import C\n\n\ndef g():\n    return C()\n"},
    )
    driver = dataflow_driver(languages=["python"])
    store = tmp_path / "store"
    first = _tables(driver, repo, "python", store)
    (repo / "a.py").write_text("class C:\n    def __init__(self):\n        pass\n")
    before = PATHS_TAKEN["incremental"]
    second = _tables(driver, repo, "python", store)
    assert second["edges"].equals(_full(second))
    assert PATHS_TAKEN["incremental"] == before
    assert _target_of_g_call(second) != _target_of_g_call(first)


def test_rows_that_differ_in_a_file_of_the_same_content_are_a_change(tmp_path: Path) -> None:
    """The files whose sha256 changed are the candidates, but the other files' rows are
    compared too: a row of b.py that differs with b.py's content unchanged makes b.py a changed
    file (its names then reach the gate like any other)."""
    repo = _small_repo(tmp_path)
    old = _inputs(_tables(dataflow_driver(languages=["python"]), repo, "python", tmp_path / "s"))
    in_b = pl.col("path") == "b.py"
    new = replace(
        old,
        symbols=old.symbols.with_columns(
            returns=pl.when(in_b).then(pl.lit("Other")).otherwise(pl.col("returns"))
        ),
    )
    assert changed_paths(old, new) == {"b.py"}
    assert incremental_paths(old, new) == ["b.py"]  # (its g: a name no other file writes)


# Review r13b: a changed top-level row that another file reaches through another row of the
# changed file (a function's return type, a package variable's value), never by writing its name.
REACHED_THROUGH_THE_CHANGED_FILE = {
    "rust": (
        {
            "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n',
            "src/lib.rs": "pub mod a;\npub mod b;\npub mod c;\n",
            "src/c.rs": "pub struct Foo;\nimpl Foo { pub fn go(&self) {} }\n"
            "pub struct Bar;\nimpl Bar { pub fn go(&self) {} }\n",
            "src/a.rs": "use crate::b::make;\npub fn run() {\n    let v = make();\n    v.go();\n}\n",
            "src/b.rs": "use crate::c::{Foo, Bar};\npub type Thing = Foo;\n"
            "pub fn make() -> Thing { todo!() }\n",
        },
        ("src/b.rs", "= Foo;", "= Bar;"),
    ),
    "go": (
        {
            "go.mod": "module example.com/demo\n\ngo 1.21\n",
            "c.go": "package demo\n\ntype Foo struct{}\n\nfunc (f *Foo) Go() {}\n\n"
            "type Bar struct{}\n\nfunc (b *Bar) Go() {}\n",
            "a.go": "package demo\n\nfunc Run() {\n\tDefault.Go()\n}\n",
            "b.go": "package demo\n\nvar Default = NewThing()\n\nfunc NewThing() *Foo { return nil }\n",
        },
        ("b.go", "*Foo", "*Bar"),
    ),
    # two definitions of `f` swap places: their rows are equal but for their lines, yet the
    # later one is what `f` names
    "python": (
        {
            "c.py": "class Foo:\n    def go(self):\n        pass\n\n"
            "class Bar:\n    def go(self):\n        pass\n",
            "a.py": "from b import f\n\ndef run():\n    f()\n    v = f()\n    v.go()\n",
            "b.py": "from c import Foo, Bar\n\ndef f() -> Foo:\n    return Foo()\n\n"
            "def f() -> Bar:\n    return Bar()\n",
        },
        (
            "b.py",
            "-> Foo:\n    return Foo()\n\ndef f() -> Bar:\n    return Bar()",
            "-> Bar:\n    return Bar()\n\ndef f() -> Foo:\n    return Foo()",
        ),
    ),
}


@pytest.mark.parametrize("language", sorted(REACHED_THROUGH_THE_CHANGED_FILE))
def test_a_change_another_file_reaches_through_the_changed_file_is_the_full_path(
    tmp_path: Path, language: str
) -> None:
    files, (path, old, new) = REACHED_THROUGH_THE_CHANGED_FILE[language]
    repo = write_repo(tmp_path / "repo", files)
    driver = dataflow_driver(languages=[language])
    store = tmp_path / "store"
    _tables(driver, repo, language, store)
    text = (repo / path).read_text()
    assert old in text
    (repo / path).write_text(text.replace(old, new))
    second = _tables(driver, repo, language, store)
    assert second["edges"].equals(_full(second))


# Review r14a: Go build variants of one package define one qualified name in two files; which of
# them a lookup takes is decided by their lines, so a moved line of one can change what another
# file's call, base type or return type reaches.
BUILD_VARIANTS = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "p/a.go": "package p\n\nfunc Make() *Thing { return nil }\n\n"
    "type Wrapper struct {\n\tThing\n}\n\nfunc Use() {\n\tNew()\n}\n",
    "p/t_linux.go": "//go:build linux\n\npackage p\n\ntype Thing struct {\n\tconn *LConn\n}\n\n"
    "type LConn struct{}\n\nfunc (c *LConn) Close() {}\n\nfunc New() {}\n\n"
    "func Helper() {\n\tt := Make()\n\tt.conn.Close()\n}\n",
    "p/t_other.go": "//go:build !linux\n\npackage p\n\n\n\n\n\ntype Thing struct {\n"
    "\tconn *OConn\n}\n\ntype OConn struct{}\n\nfunc (c *OConn) Close() {}\n\nfunc New() {}\n",
}


def test_a_moved_definition_another_file_also_defines_is_the_full_path(tmp_path: Path) -> None:
    """Lines put above `Thing` and `New` of t_linux.go move them below those of t_other.go:
    a.go's `New()` call and Wrapper's base, and t_linux.go's `t.conn.Close()` through Make's
    return type, go to the other file's definitions (the full resolution), not the stored
    ones; a line moved in a file whose names no other file defines stays incremental."""
    repo = write_repo(tmp_path / "repo", BUILD_VARIANTS)
    driver = dataflow_driver(languages=["go"])
    store = tmp_path / "store"
    first = _tables(driver, repo, "go", store)
    text = (repo / "p/t_linux.go").read_text()
    (repo / "p/t_linux.go").write_text(text.replace("package p\n", "package p\n" + "// x\n" * 12))
    second = _tables(driver, repo, "go", store)
    assert second["edges"].equals(_full(second))
    assert not first["edges"].equals(second["edges"].select(first["edges"].columns))
    text = (repo / "p/a.go").read_text()
    (repo / "p/a.go").write_text("// moved\n" + text)
    before = PATHS_TAKEN["incremental"]
    third = _tables(driver, repo, "go", store)
    assert PATHS_TAKEN["incremental"] == before + 1
    assert third["edges"].equals(_full(third))


class _CountedStore(DirectoryResolutionStore):
    """A store that notes each resolution it writes to its database."""

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        self.written: list[StoredResolution] = []

    def _write_one(self, key: str, resolution: StoredResolution) -> None:
        self.written.append(resolution)
        super()._write_one(key, resolution)


def _two_resolutions(tmp_path: Path) -> tuple[StoredResolution, StoredResolution]:
    """A resolution without CALLS edges, and the small repository's resolution."""
    store_dir = tmp_path / "built"
    tables = _tables(
        dataflow_driver(languages=["python"]), _small_repo(tmp_path), "python", store_dir
    )
    flush_resolution_writes()
    resolution = DirectoryResolutionStore(str(store_dir)).get(repository_key(tables["files"]))
    assert resolution is not None and resolution.call_edges.height
    return replace(resolution, call_edges=resolution.call_edges.clear()), resolution


def test_held_writes_are_written_when_the_block_ends_the_last_of_a_key(tmp_path: Path) -> None:
    """Within ``held_writes`` a put writes nothing (the store object and any other of this
    process serve it from memory); at the end the last put of each key is written, once."""
    first, last = _two_resolutions(tmp_path)
    store = _CountedStore(str(tmp_path / "held"))
    with held_writes():
        store.put("k", first)
        store.put("k", last)
        store.put("other", first)
        flush_resolution_writes()
        assert store.written == [] and not store.path.exists()
        assert store.get("k") is last
        assert DirectoryResolutionStore(str(tmp_path / "held")).get("k") is last
    flush_resolution_writes()
    assert store.written == [last, first]
    # (a new store object reads the database, as the next process does)
    stored = DirectoryResolutionStore(str(tmp_path / "held")).get("k")
    assert stored is not None and stored.call_edges.equals(last.call_edges)


def test_a_block_that_begins_before_the_held_writes_ran_holds_them_on(tmp_path: Path) -> None:
    """The writer is busy when a block ends (another write) and the next block begins before it
    gets to the held puts: they wait for the end of that block, where its own put of the key
    replaces them (one write: the next build's)."""
    first, last = _two_resolutions(tmp_path)
    store = _CountedStore(str(tmp_path / "held"))
    busy = threading.Event()

    def another_write() -> None:
        busy.wait(60)

    resolution_store._WRITER.submit(another_write)
    with held_writes():
        store.put("k", first)
    with held_writes():
        busy.set()
        flush_resolution_writes()
        assert store.written == []
        store.put("k", last)
    flush_resolution_writes()
    assert store.written == [last]


def test_a_held_write_makes_no_folder_for_a_cache_deleted_after_the_put(tmp_path: Path) -> None:
    """A cache deleted after the build that held its put (at the end of a ``--watch`` build):
    the held write is dropped, not written into a new folder that holds only its database (no
    cache a repository walk would know to leave out); a store whose folder was not there yet at
    the put (the first write) makes it as before."""
    first, last = _two_resolutions(tmp_path)
    deleted = tmp_path / "deleted"
    deleted.mkdir()
    gone, new = _CountedStore(str(deleted)), _CountedStore(str(tmp_path / "new"))
    with held_writes():
        gone.put("k", first)
        new.put("k", last)
        shutil.rmtree(deleted)
    flush_resolution_writes()
    assert not deleted.exists()
    assert gone.written == [] and new.written == [last] and new.path.exists()


def test_one_held_write_that_fails_does_not_drop_the_others(tmp_path: Path) -> None:
    """Each held put is its own write: one that raises is warned about, the others land."""
    first, last = _two_resolutions(tmp_path)

    class _Failing(_CountedStore):
        def _write_one(self, key: str, resolution: StoredResolution) -> None:
            raise ValueError("cannot encode")

    failing, other = _Failing(str(tmp_path / "a")), _CountedStore(str(tmp_path / "b"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with held_writes():
            failing.put("k", first)
            other.put("k", last)
        flush_resolution_writes()
    assert other.written == [last]
    assert any("could not store a resolution" in str(w.message) for w in caught)


# ---- the token counts the gate reads in a resident process ----

# characters of every kind the two regex engines may read apart: `$`, a combining joiner (a
# word character to polars' regex only), a middle dot, a letter and a digit outside ASCII
_TEXT = st.text(alphabet=st.sampled_from(list("ab_$1 .:é\u200d·٣(")), max_size=8)
_PATHS = ["a.py", "b.py", "c.py"]


@given(
    rows=st.lists(
        st.tuples(st.sampled_from(FAMILIES), st.sampled_from(_PATHS), _TEXT, st.none() | _TEXT),
        max_size=30,
    ),
    written=st.lists(_TEXT, min_size=1, max_size=3),
    outside=st.sets(st.sampled_from(_PATHS)),
)
@settings(max_examples=300, deadline=None)
def test_token_counts_answer_what_the_gate_scans_the_rows_for(
    rows: list[tuple[str, str, str, str | None]], written: list[str], outside: set[str]
) -> None:
    """Whether a row of a file not ``outside`` holds a name as a token, read from the token
    counts of every row less those of the files ``outside`` (a name that is not one token to
    polars' regex: scanned for), is what ``_mentioned`` finds scanning every row."""
    schema = {"path": pl.String, "language": pl.String, "text": pl.String, "note": pl.String}
    frames = {
        family: pl.DataFrame(
            [(path, "python", text, note) for kind, path, text, note in rows if kind == family],
            schema=schema,
            orient="row",
        )
        for family in FAMILIES
    }
    none = pl.DataFrame()
    inputs = ResolutionInputs(files=none, go_modules=none, rust_crates=none, **frames)
    names = {token for text in written for token in resolution_store._TOKEN.findall(text)}
    if not names:
        return
    counted = resolution_store._mentioned_elsewhere(
        inputs,
        names,
        outside=outside,
        tokens=TokenCounts(token_counts(inputs)),
        counted_inside=token_counts(inputs, outside),
    )
    assert counted == resolution_store._mentioned(inputs, names, outside=outside)


def test_token_counts_add_up_their_deltas_beyond_the_chain_limit() -> None:
    """``TokenCounts.plus`` chains deltas, then adds them up into a base: every count is the
    sum either way."""
    rng = random.Random(5)
    counts = TokenCounts({"a": 2, "b": 1})
    expected = Counter({"a": 2, "b": 1})
    for _ in range(3 * resolution_store._MAX_DELTAS):
        delta = {rng.choice("abcd"): rng.randint(-1, 2) for _ in range(2)}
        counts = counts.plus(delta)
        expected.update(delta)
        assert all(counts.count(token) == expected[token] for token in "abcde")
    assert +counts.total() == +expected


def test_a_watch_build_counts_the_tokens_after_it_and_the_next_derives_them(
    tmp_path: Path,
) -> None:
    """A build as ``--watch`` makes it (``held_writes``) has its resolution's token counts made
    after it; the next build's gate reads them and gives its resolution the counts of its own
    inputs, derived from them, and the edges are the full resolution's."""
    repo = _small_repo(tmp_path)
    store_dir = tmp_path / "store"
    driver = dataflow_driver(languages=["python"])
    with held_writes():
        tables = _tables(driver, repo, "python", store_dir)
    flush_resolution_writes()
    store = open_resolution_store(str(store_dir))
    assert store is not None
    first = store.get(repository_key(tables["files"]))
    assert first is not None and first.tokens.counts is not None
    (repo / "a.py").write_text(A_PY + "\n\ndef unused_h86():\n    return 2\n")
    before = PATHS_TAKEN["incremental"]
    with held_writes():
        tables = _tables(driver, repo, "python", store_dir)
    assert PATHS_TAKEN["incremental"] == before + 1
    assert tables["edges"].equals(_full(tables))
    second = store.get(repository_key(tables["files"]))
    assert second is not None and second is not first
    derived = second.tokens.counts
    assert derived is not None and derived is not first.tokens.counts
    assert derived.count("unused_h86") > 0 == first.tokens.counts.count("unused_h86")
    _assert_counted(store_dir, tables)


def test_the_key_of_the_last_file_list_is_remembered_and_any_change_of_it_is_another_key() -> None:
    """``repository_key`` remembers the last file list it keyed (a rebuild's is the same): the
    same list again, in another frame, another row order or with other file contents, is the
    same key, as made anew; a status, a language or a file more or less is another."""
    files = pl.DataFrame(
        {
            "path": ["b.py", "a.py"],
            "language": ["python", None],
            "status": ["ok", "ok"],
            "sha256": ["1", "2"],
        }
    )
    key = repository_key(files)
    assert resolution_store._LAST_KEYED[0][1] == key
    variants = {
        "contents": (files.with_columns(sha256=pl.lit("3")), True),
        "order": (files.reverse(), True),
        "status": (files.with_columns(status=pl.lit("too_large")), False),
        "language": (files.with_columns(language=pl.lit("python")), False),
        "a file less": (files.head(1), False),
    }
    for name, (variant, same) in variants.items():
        remembered = repository_key(pl.concat([files.clear(), variant]))
        resolution_store._LAST_KEYED.clear()
        assert repository_key(variant) == remembered, name
        assert (remembered == key) == same, name
        repository_key(files)


_FIELD = st.none() | st.sampled_from(["x", "y"])


@given(
    listed=st.lists(st.tuples(_FIELD, _FIELD, _FIELD), min_size=1, max_size=6),
    edits=st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(["language", "status", "sha256"]), _FIELD)
    ),
    reordered=st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_changed_paths_of_the_same_file_list_compares_it_row_by_row_as_a_join_does(
    listed: list[tuple[str | None, str | None, str | None]],
    edits: list[tuple[int, str, str | None]],
    reordered: bool,
) -> None:
    """``changed_paths`` compares the files of one list in one order row by row (a rebuild's),
    another list by a join: the files whose language, status or sha256 changed either way."""
    schema = {"path": pl.String, "language": pl.String, "status": pl.String, "sha256": pl.String}
    rows = [(f"f{index}.py", *fields) for index, fields in enumerate(listed)]
    old_files = pl.DataFrame(rows, schema=schema, orient="row")
    edited = [list(row) for row in rows]
    for index, name, value in edits:
        edited[index % len(edited)][list(schema).index(name)] = value
    new_files = pl.DataFrame(edited, schema=schema, orient="row")
    if reordered:
        new_files = new_files.reverse()
    empty = pl.DataFrame(schema={"path": pl.String})

    def inputs(files: pl.DataFrame) -> ResolutionInputs:
        return ResolutionInputs(
            files=files, go_modules=empty, rust_crates=empty, **dict.fromkeys(FAMILIES, empty)
        )

    expected = {row[0] for row in set(rows) ^ {tuple(row) for row in edited}}
    assert changed_paths(inputs(old_files), inputs(new_files)) == expected


def test_moved_ids_take_the_previous_side_from_the_call_that_made_it_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``_moved_ids`` of a rebuild that changes the file the last one changed takes that
    file's previous rows and ids from the last call (its new side), made once; the answer is
    the one made anew."""
    repo = _small_repo(tmp_path)
    driver = dataflow_driver(languages=["python"])
    states = []
    for text in (A_PY, "\n" + A_PY, "\n\n# moved again\n" + A_PY):
        (repo / "a.py").write_text(text)
        states.append(_inputs(_tables(driver, repo, "python", tmp_path / "store")))
    labelled = cpg._labelled_symbols
    made: list[int] = []

    def counted(symbols: pl.DataFrame) -> pl.DataFrame:
        made.append(symbols.height)
        return labelled(symbols)

    monkeypatch.setattr(cpg, "_labelled_symbols", counted)
    memos.forget_all()
    first = cpg._moved_ids(states[0], states[1], ["a.py"])
    second = cpg._moved_ids(states[1], states[2], ["a.py"])
    assert len(made) == 3  # (the second state's side once)
    assert first[0].filter(pl.col("old") != pl.col("new")).height  # (its lines moved)
    memos.forget_all()
    moved, old_ids = cpg._moved_ids(states[1], states[2], ["a.py"])
    assert second[0].equals(moved) and second[1].equals(old_ids)


def _hashed_call_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the CALL node ids ``cpg_model`` hashes from now on (one per id)."""
    hashed = cpg_model._hashed
    paths: list[str] = []

    def recorded(texts: pl.Series) -> pl.Series:
        for text in texts.to_list():
            path, label, _ = text.split("\x1f", 2)
            if label == "CALL":
                paths.append(path)
        return hashed(texts)

    monkeypatch.setattr(cpg_model, "_hashed", recorded)
    return paths


def _enclosed_call_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the call sites whose owner ``cpg._enclosing`` finds from now on."""
    enclosing = cpg._enclosing
    paths: list[str] = []

    def recorded(rows: pl.DataFrame, symbols: pl.DataFrame, **names: str) -> pl.DataFrame:
        if "callee" in rows.columns and names["out"] == "owner":
            paths.extend(rows["path"].to_list())
        return enclosing(rows, symbols, **names)

    monkeypatch.setattr(cpg, "_enclosing", recorded)
    return paths


def test_the_other_files_call_ids_and_owners_are_taken_from_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh process (no recent ids: ``memos.forget_all``) that resolves a.py's call sites
    again after an edit of a.py hashes the CALL node ids and finds the owners of a.py's call
    sites alone: b.py's come from the stored ``call_ids`` and ``call_owners``
    (``cpg._kept_rows``). A stored piece that is not one row per stored call site is not
    taken: every call site's is made. The edges are the full resolution's either way."""
    repo = _small_repo(tmp_path)
    driver = dataflow_driver(languages=["python"])
    store_dir = tmp_path / "store"
    _tables(driver, repo, "python", store_dir)
    flush_resolution_writes()
    (repo / "a.py").write_text(A_PY + "\n\ndef fresh():\n    return len([])\n")
    tables = _tables(driver, repo, "python", tmp_path / "other")
    full = _full(tables)
    store = DirectoryResolutionStore(str(store_dir))
    with sqlite3.connect(store.path) as connection:
        (stored,) = connection.execute("SELECT value FROM entries").fetchone()
    ids_made, owners_made = dict(cpg.CALL_IDS_MADE), dict(cpg.CALL_OWNERS_MADE)
    taken = PATHS_TAKEN["incremental"]
    memos.forget_all()
    hashed, enclosed = _hashed_call_paths(monkeypatch), _enclosed_call_paths(monkeypatch)
    assert _built_with(tables, DirectoryResolutionStore(str(store_dir))).equals(full)
    assert PATHS_TAKEN["incremental"] == taken + 1
    assert cpg.CALL_IDS_MADE["stored"] == ids_made.get("stored", 0) + 1
    assert cpg.CALL_OWNERS_MADE["stored"] == owners_made.get("stored", 0) + 1
    assert hashed == enclosed == ["a.py"]
    # a stored piece of another number of rows: not taken (the first build's entry again, the
    # splice's own write done first)
    flush_resolution_writes()
    for piece, made, paths in (
        ("call_ids", cpg.CALL_IDS_MADE, hashed),
        ("call_owners", cpg.CALL_OWNERS_MADE, enclosed),
    ):
        encoded = pickle.loads(stored)
        rows = pl.read_parquet(encoded[piece])
        buffer = io.BytesIO()
        pl.concat([rows, rows.head(1)]).write_parquet(buffer)
        encoded[piece] = buffer.getvalue()
        with sqlite3.connect(store.path) as connection:
            connection.execute("UPDATE entries SET value = ?", (pickle.dumps(encoded),))
        memos.forget_all()
        hashed.clear()
        enclosed.clear()
        before = dict(made)
        assert _built_with(tables, DirectoryResolutionStore(str(store_dir))).equals(full)
        flush_resolution_writes()
        assert made["stored"] == before.get("stored", 0)
        assert sorted(paths) == ["a.py", "b.py"], piece


def test_kept_call_sites_are_the_other_files_rows_as_they_were() -> None:
    """``cpg._kept_calls``: the call sites of the files not changed, among the stored and the
    new calls, when they are the same rows in the same order; an unchanged file's call site
    that moved (its line) or is in another symbol keeps none (nothing stored is taken), nor do
    changed files that hold every call site (nothing to keep)."""
    schema: dict[str, Any] = {
        name: pl.Int64 if name in ("line", "column", "ordinal") else pl.String
        for name in cpg._CALL_SITE_COLUMNS
    }

    def calls(*rows: tuple[object, ...]) -> pl.DataFrame:
        return pl.DataFrame(
            [dict(zip(cpg._CALL_SITE_COLUMNS, row, strict=True)) for row in rows], schema=schema
        )

    b_call = ("b.py", "g", 2, 4, 0, "h", None)
    old = calls(("a.py", "f", 1, 0, 0, None, None), b_call)
    new = calls(("a.py", "f", 3, 0, 0, None, None), ("a.py", "k", 4, 0, 0, None, None), b_call)
    kept = cpg._kept_calls(old, new, ["a.py"])
    assert kept is not None
    assert kept.in_old.to_list() == [False, True]
    assert kept.in_changed.to_list() == [True, True, False]
    for other in (("b.py", "g", 3, 4, 0, "h", None), ("b.py", "g", 2, 4, 0, "other", None)):
        assert cpg._kept_calls(old, calls(*new.head(2).rows(), other), ["a.py"]) is None
    assert cpg._kept_calls(old, new, ["a.py", "b.py"]) is None
