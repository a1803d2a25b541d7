"""Parsing many files: the process pool, content keys, and files that change mid-build."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import json
import os
import pickle
import shutil
import sqlite3
import threading
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pytest

from hamilton_modules import extraction_store, language_subdag, memos, parsing, schemas
from hamilton_modules.extraction_store import (
    DirectoryExtractionStore,
    ExtractionStoreWarning,
    flush_writes,
    open_store,
)
from hamilton_modules.languages import LANGUAGES, NAMED_BY_FILE, extract_file_columns, rules_for
from hamilton_modules.parsing import ContentKey, SourceFile, extract_language
from hamilton_modules.tables import polars_schema


def _source(root: Path, path: str, text: str) -> SourceFile:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    data = text.encode()
    (root / path).write_bytes(data)
    return SourceFile(path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def test_process_pool_gives_the_same_rows_as_in_process(tmp_path: Path) -> None:
    files = _big_python_repo(tmp_path)
    pooled = extract_language(language="python", root=str(tmp_path), files=files, workers=2)
    local = extract_language(language="python", root=str(tmp_path), files=files, workers=1)
    for family in parsing.FAMILIES:
        assert pooled.rows(family) == local.rows(family)
    assert len(pooled.rows("symbols")) == 12 * 1500
    assert pooled.error_counts() == dict.fromkeys(sorted(s.path for s in files), 0)


def test_results_are_keyed_by_content_and_suffix(tmp_path: Path) -> None:
    same = "export function f(): number { return 1; }\n"
    files = [
        _source(tmp_path, "a.ts", same),
        _source(tmp_path, "b.ts", same),
        _source(tmp_path, "c.tsx", same),  # same bytes, other grammar: its own entry
    ]
    result = extract_language(language="typescript", root=str(tmp_path), files=files, workers=1)
    digest = hashlib.sha256(same.encode()).hexdigest()
    assert sorted(result.by_content) == [ContentKey(digest, ".ts"), ContentKey(digest, ".tsx")]
    assert [row["path"] for row in result.rows("symbols")] == ["a.ts", "b.ts", "c.tsx"]


_MODULE_FUNCTION = "module.exports = function () { helper(); };\n"


def _module_function_names(result: parsing.LanguageExtraction) -> dict[str, str]:
    return {str(row["path"]): str(row["qualified_name"]) for row in result.rows("symbols")}


def test_javascript_copies_under_other_names_keep_their_own_module_names(tmp_path: Path) -> None:
    """A JavaScript file's extraction reads its name (``module.exports = function () {}`` is
    a function named after the file): copies under other names are no duplicates."""
    files = [
        _source(tmp_path, "lib/makeThing.js", _MODULE_FUNCTION),
        _source(tmp_path, "lib/other.js", _MODULE_FUNCTION),
        _source(tmp_path, "test/other.js", _MODULE_FUNCTION),  # same name: shared
    ]
    result = extract_language(language="javascript", root=str(tmp_path), files=files, workers=1)
    assert _module_function_names(result) == {
        "lib/makeThing.js": "makeThing",
        "lib/other.js": "other",
        "test/other.js": "other",
    }
    assert len(result.by_content) == 2
    calls = result.rows("calls")
    assert [(row["path"], row["enclosing"]) for row in calls] == [
        ("lib/makeThing.js", "makeThing"),
        ("lib/other.js", "other"),
        ("test/other.js", "other"),
    ]


def test_a_renamed_javascript_file_is_not_read_from_the_store_under_its_old_name(
    tmp_path: Path,
) -> None:
    store = DirectoryExtractionStore(tmp_path / "store")
    root = tmp_path / "repo"
    before = [_source(root, "makeThing.js", _MODULE_FUNCTION)]
    first = extract_language(
        language="javascript", root=str(root), files=before, workers=1, store=store
    )
    assert _module_function_names(first) == {"makeThing.js": "makeThing"}
    (root / "makeThing.js").rename(root / "other.js")
    after = [SourceFile(path="other.js", sha256=before[0].sha256, size=before[0].size)]
    second = extract_language(
        language="javascript", root=str(root), files=after, workers=1, store=store
    )
    assert _module_function_names(second) == {"other.js": "other"}
    # Other languages' extraction reads no name: a renamed Python file is a hit.
    assert ContentKey.of("a/x.py", "0" * 64) == ContentKey.of("b/y.py", "0" * 64)


def test_the_languages_named_by_file_are_those_with_module_named_definitions() -> None:
    for language in LANGUAGES:
        rules = rules_for(language)
        queries = [getattr(rules, field.name) for field in dataclasses.fields(rules)]
        assert ("@name.module" in str(queries)) == (language in NAMED_BY_FILE), language


def test_stored_entries_of_other_code_are_parsed_again(tmp_path: Path) -> None:
    """An entry that unpickles as something this code does not store (a ``FileColumns`` of an
    older version, another type, a text error count, a family of bytes that do not hash to its
    digest) is unreadable: the file is parsed again (with the store's warning) and its entry
    replaced, never an error of the build."""
    root = tmp_path / "repo"
    files = [_source(root, f"m{index}.py", f"def f{index}():\n    g()\n") for index in range(5)]
    store = DirectoryExtractionStore(tmp_path / "store")
    parsed = extract_language(language="python", root=str(root), files=files, workers=1)
    columns = [parsed.by_content[source.key] for source in files]
    error_count, digests, encoded = columns[3].stored()
    foreign: tuple[object, ...] = (
        columns[0],  # a pickled FileColumns object, as an older version stored it
        {"x": 1},
        (str(error_count), digests, encoded),
        (error_count, digests, {**encoded, "symbols": encoded["symbols"].replace(b"f3", b"f0")}),
        (error_count, {**digests, "other": "0"}, {**encoded, "other": b"0"}),
    )
    store.put_many(parsed.by_content)
    assert store.entry_count() == 5  # (written)
    with sqlite3.connect(store.path) as connection:
        connection.executemany(
            "UPDATE entries SET value = ? WHERE key = ?",
            [
                (pickle.dumps(value), f"{source.sha256}.py")
                for source, value in zip(files, foreign, strict=True)
            ],
        )
    # (another process: the store object that wrote the entries remembers them as they were)
    store = DirectoryExtractionStore(tmp_path / "store")
    with pytest.warns(ExtractionStoreWarning, match="5 unreadable per-file extraction"):
        again = extract_language(
            language="python", root=str(root), files=files, workers=1, store=store
        )
    for family in parsing.FAMILIES:
        assert again.rows(family) == parsed.rows(family)
    assert DirectoryExtractionStore(tmp_path / "store").get_many(
        source.key for source in files
    ) == {source.key: parsed.by_content[source.key] for source in files}


def test_a_store_object_serves_what_it_read_or_wrote_without_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``open_store`` gives one object per directory in a process, and that object serves the
    entries it read or wrote from memory (a ``--watch`` rebuild reads no entry of an unchanged
    file from the database)."""
    root = tmp_path / "repo"
    files = [_source(root, f"m{index}.py", f"def f{index}():\n    g()\n") for index in range(3)]
    directory = str(tmp_path / "store")
    store = open_store(directory)
    assert store is not None and open_store(directory) is store
    first = extract_language(language="python", root=str(root), files=files, workers=1, store=store)
    flush_writes()
    connected: list[Path] = []
    connect = sqlite3.connect

    def counted(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        connected.append(Path(database))
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", counted)
    again = extract_language(
        language="python", root=str(root), files=files, workers=1, store=open_store(directory)
    )
    assert again.by_content == first.by_content
    assert connected == []  # nothing read, nothing parsed and stored again


def test_a_store_object_whose_database_is_gone_is_replaced(tmp_path: Path) -> None:
    """Review r14b: the cache deleted (or its database moved aside) while a process keeps its
    store object: the object's memory would serve the entries the new database lacks, and they
    would never be written again. A new object reads, parses and stores them."""
    root = tmp_path / "repo"
    files = [_source(root, f"m{index}.py", f"def f{index}():\n    g()\n") for index in range(3)]
    directory = tmp_path / "store"
    store = open_store(str(directory))
    assert store is not None
    extract_language(language="python", root=str(root), files=files, workers=1, store=store)
    flush_writes()
    assert open_store(str(directory)) is store
    shutil.rmtree(directory)
    renewed = open_store(str(directory))
    assert renewed is not None and renewed is not store
    extract_language(language="python", root=str(root), files=files, workers=1, store=renewed)
    assert renewed.entry_count() == len(files)


def test_an_entry_served_from_memory_is_still_marked_used_once_a_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database's last-use day (what pruning by age reads) follows the entries a long-lived
    process serves from memory too."""
    root = tmp_path / "repo"
    files = [_source(root, "m.py", "def f():\n    g()\n")]
    monkeypatch.setattr(extraction_store, "current_day", lambda: 100)
    store = DirectoryExtractionStore(tmp_path / "store")
    extract_language(language="python", root=str(root), files=files, workers=1, store=store)
    flush_writes()

    def used() -> list[int]:
        with sqlite3.connect(store.path) as connection:
            return [day for (day,) in connection.execute("SELECT used FROM entries")]

    assert used() == [100]
    monkeypatch.setattr(extraction_store, "current_day", lambda: 101)
    assert store.get_many([files[0].key]).keys() == {files[0].key}
    assert used() == [101]


def test_remembered_entries_are_bounded_least_recently_used_first() -> None:
    columns = parsing.FileColumns.of_columns(
        extract_file_columns("python", "m.py", b"def f():\n    g()\n")
    )
    encoded = sum(len(data) for data in columns.encoded.values())
    size = extraction_store._ENTRY_OVERHEAD + extraction_store._DECODED_PER_ENCODED * encoded
    recent = extraction_store._RecentEntries(2 * size)
    recent.keep("a", columns, 1)
    recent.keep("b", columns, 1)
    assert recent.recall(["a"]) == {"a": (columns, 1)}  # now "b" is the least recently used
    recent.keep("c", columns, 1)
    assert recent.known(["a", "b", "c"]) == {"a", "c"}
    recent.mark_used(["a"], 2)
    assert recent.recall(["a", "b"]) == {"a": (columns, 2)}
    small = extraction_store._RecentEntries(size - 1)
    small.keep("a", columns, 1)  # larger than all it may hold: not kept
    assert small.known(["a"]) == set()


def test_a_store_object_gives_the_same_entries_again_with_the_families_unpickled_so_far(
    tmp_path: Path,
) -> None:
    """A --watch rebuild unpickles no family a build before it unpickled (the symbols of every
    file, each time a function is added)."""
    root = tmp_path / "repo"
    files = [_source(root, "m.py", "def f():\n    g()\n")]
    directory = tmp_path / "store"
    DirectoryExtractionStore(directory).put_many(
        extract_language(language="python", root=str(root), files=files, workers=1).by_content
    )
    flush_writes()
    store = DirectoryExtractionStore(directory)
    first = store.get_many([files[0].key])[files[0].key]
    assert first.decoded == {}  # (read from the database: nothing unpickled yet)
    symbols = first.entry("symbols")
    again = store.get_many([files[0].key])[files[0].key]
    assert again.decoded == {"symbols": symbols}


def test_a_stored_family_is_unpickled_only_when_its_rows_are_asked_for() -> None:
    """A one-file rebuild reads every file's entry but unpickles only the families whose tables
    it makes again: here the call sites are bytes no unpickling would accept, and the symbols
    are read all the same."""
    columns = parsing.FileColumns.of_columns(
        extract_file_columns("python", "m.py", b"import os\ndef f():\n    g()\n")
    )
    error_count, digests, encoded = columns.stored()
    junk = b"not a pickle"
    junk_digest = hashlib.blake2b(junk, digest_size=16).hexdigest()
    read = parsing.FileColumns.from_stored(
        (error_count, {**digests, "calls": junk_digest}, {**encoded, "calls": junk})
    )
    assert read is not None
    assert read.entry("symbols") == columns.entry("symbols") is not None
    assert read.digest("calls") == junk_digest
    with pytest.raises(pickle.UnpicklingError):
        read.entry("calls")
    assert parsing.FileColumns.from_stored(columns.stored()) == columns
    assert pickle.loads(pickle.dumps(columns)) == columns


def test_a_file_changed_since_the_inventory_is_not_mixed_in(tmp_path: Path) -> None:
    source = _source(tmp_path, "a.py", "def old(): pass\n")
    (tmp_path / "a.py").write_text("def new(): pass\n")
    gone = SourceFile(path="gone.py", sha256="0" * 64, size=1)
    result = extract_language(
        language="python", root=str(tmp_path), files=[source, gone], workers=1
    )
    assert result.rows("symbols") == []
    assert result.error_counts() == {"a.py": None, "gone.py": None}


def test_chunks_cover_every_file_once() -> None:
    files = [
        SourceFile(path=f"f{i}.py", sha256=f"{i:064x}", size=1000 * (i % 7 + 1)) for i in range(500)
    ]
    chunks = parsing._chunks(files, 2)
    flat = [path for chunk in chunks for path, _ in chunk]
    assert sorted(flat) == sorted(source.path for source in files)
    assert len(chunks) >= 2


def _big_python_repo(root: Path) -> list[SourceFile]:
    """Python files totalling more than IN_PROCESS_BYTES, so a pool pays off."""
    files = [
        _source(
            root,
            f"pkg/m{i}.py",
            "".join(f"def f{i}_{j}(x):\n    return g(x)\n\n" for j in range(1500)),
        )
        for i in range(12)
    ]
    assert sum(source.size for source in files) > parsing.IN_PROCESS_BYTES
    return files


def _prestarted(root: Path) -> dict[str, parsing._Submitted]:
    return parsing._PRESTARTED.get(os.path.realpath(root), {})


def test_prestarted_parsing_is_taken_over_and_gives_the_same_rows(tmp_path: Path) -> None:
    files = _big_python_repo(tmp_path)
    (tmp_path / "pkg" / "notes.txt").write_text("not a language\n")
    parsing.prestart(root=str(tmp_path), languages=["python"], workers=2, max_file_bytes=1 << 20)
    submitted = _prestarted(tmp_path)["python"]
    assert sorted(path for chunk in submitted.chunks for path, _ in chunk) == sorted(
        source.path for source in files
    )
    concurrent.futures.wait(submitted.futures)  # the worker has parsed every chunk ahead
    ahead = extract_language(language="python", root=str(tmp_path), files=files, workers=2)
    assert "python" not in _prestarted(tmp_path)  # taken, once
    local = extract_language(language="python", root=str(tmp_path), files=files, workers=1)
    for family in parsing.FAMILIES:
        assert ahead.rows(family) == local.rows(family)
    assert len(ahead.rows("symbols")) == 12 * 1500


def test_a_file_changed_after_prestart_is_parsed_as_the_inventory_saw_it(tmp_path: Path) -> None:
    files = _big_python_repo(tmp_path)
    parsing.prestart(root=str(tmp_path), languages=["python"], workers=2, max_file_bytes=1 << 20)
    concurrent.futures.wait(_prestarted(tmp_path)["python"].futures)
    changed = _source(tmp_path, "pkg/m0.py", "def changed(): pass\n")
    inventory = [changed if source.path == changed.path else source for source in files]
    result = extract_language(language="python", root=str(tmp_path), files=inventory, workers=2)
    names = {row["name"] for row in result.rows("symbols") if row["path"] == "pkg/m0.py"}
    assert names == {"changed"}
    assert len(result.rows("symbols")) == 11 * 1500 + 1


def test_prestart_starts_nothing_for_small_repositories_one_worker_or_a_warm_store(
    tmp_path: Path,
) -> None:
    small = tmp_path / "small"
    _source(small, "a.py", "def f(): pass\n")
    parsing.prestart(root=str(small), languages=["python"], workers=2, max_file_bytes=1 << 20)
    assert _prestarted(small) == {}

    big = tmp_path / "big"
    _big_python_repo(big)
    parsing.prestart(root=str(big), languages=["python"], workers=1, max_file_bytes=1 << 20)
    assert _prestarted(big) == {}
    parsing.prestart(root=str(big), languages=["rust"], workers=2, max_file_bytes=1 << 20)
    assert _prestarted(big) == {}  # no file of the languages asked for

    # A store holding every file but one small one: nothing worth parsing ahead.
    store_dir = tmp_path / "store"
    files = sorted(_big_python_repo(big), key=lambda source: source.path)
    stored = extract_language(
        language="python",
        root=str(big),
        files=files[1:],
        workers=1,
        store=DirectoryExtractionStore(store_dir),
    )
    assert DirectoryExtractionStore(store_dir).entry_count() == len(stored.by_content)
    parsing.prestart(
        root=str(big),
        languages=["python"],
        workers=2,
        max_file_bytes=1 << 20,
        extraction_cache_dir=str(store_dir),
    )
    assert _prestarted(big) == {}


def test_prestart_reads_the_stored_entries_and_compiles_the_queries_left_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files too few for the pool are parsed in-process later: prestart reads the entries the
    store holds into its memory and compiles the queries of the languages left to parse (not
    of those with nothing to parse) in a background thread; the extraction waits for it."""
    parsing._await_ahead()  # (what earlier tests started)
    warmed: list[str] = []
    monkeypatch.setattr(parsing, "warm_up", warmed.append)
    root = tmp_path / "repo"
    files = [_source(root, "a.py", "def f(): pass\n"), _source(root, "b.py", "def g(): pass\n")]
    _source(root, "c.rs", "fn h() {}\n")
    directory = str(tmp_path / "store")
    DirectoryExtractionStore(directory).put_many(
        extract_language(language="python", root=str(root), files=files[:1], workers=1).by_content
    )
    flush_writes()
    parsing.prestart(
        root=str(root),
        languages=["python"],
        workers=2,
        max_file_bytes=1 << 20,
        extraction_cache_dir=directory,
    )
    assert _prestarted(root) == {}
    parsing._await_ahead()
    assert warmed == ["python"]  # (b.py is left to parse; c.rs is of no language asked)
    store = open_store(directory)
    assert store is not None
    store.path.unlink()  # what prestart read is in the store object's memory
    parsed = extract_language(
        language="python", root=str(root), files=files, workers=2, store=store
    )
    assert [row["name"] for row in parsed.rows("symbols")] == ["f", "g"]


def test_prestart_parses_ahead_only_what_the_store_lacks(tmp_path: Path) -> None:
    files = sorted(_big_python_repo(tmp_path / "repo"), key=lambda source: source.path)
    more = [
        _source(tmp_path / "repo", f"more/n{i}.py", f"def h{i}(): pass\n" * 40000) for i in range(2)
    ]
    store_dir = tmp_path / "store"
    extract_language(
        language="python",
        root=str(tmp_path / "repo"),
        files=files,
        workers=1,
        store=DirectoryExtractionStore(store_dir),
    )
    assert DirectoryExtractionStore(store_dir).entry_count() == len(files)
    assert sum(source.size for source in more) > parsing.IN_PROCESS_BYTES
    parsing.prestart(
        root=str(tmp_path / "repo"),
        languages=["python"],
        workers=2,
        max_file_bytes=1 << 20,
        extraction_cache_dir=str(store_dir),
    )
    submitted = _prestarted(tmp_path / "repo")["python"]
    assert sorted(path for chunk in submitted.chunks for path, _ in chunk) == [
        source.path for source in more
    ]


def test_stored_file_columns_give_back_the_extracted_rows() -> None:
    """What the store keeps of a file (``FileColumns.of_columns``), read back the dataflow's way
    (``LanguageExtraction.rows``), is every row the extractor gave, in order; a family without
    rows is left out."""
    sources = {
        "python": ("m.py", b"import os\nclass A(B):\n    def f(self):\n        g(1)\n"),
        "rust": ("m.rs", b"use a::b;\nimpl T for S { fn f() { g(); } }\n"),
        "go": ("m.go", b""),  # every family empty
    }
    for language, (path, source) in sources.items():
        columns = extract_file_columns(language, path, source)
        stored = parsing.FileColumns.of_columns(columns)
        file = SourceFile(path=path, sha256=hashlib.sha256(source).hexdigest(), size=len(source))
        extraction = parsing.LanguageExtraction(
            language=language, by_content={file.key: stored}, files=(file,)
        )
        expected = columns.to_rows()
        for family in parsing.FAMILIES:
            rows = getattr(expected, family)
            assert extraction.rows(family) == rows
            assert (family in stored.families) == bool(rows)
            if language != "go":
                assert rows, family  # every family has rows to compare in these sources
        assert stored.error_count == expected.error_count


def test_family_frames_of_a_rebuild_take_the_rows_of_unchanged_files_from_the_last(
    tmp_path: Path,
) -> None:
    """``_family_frame`` takes the rows of each file whose path and rows are the last frame's
    from it (``_LastFamilyFrames``): run after run of edits (a file's content, a file renamed
    with its content, a copy, a file removed, contents swapped, a file with no call site), each
    frame is the one made from every file's values: the same rows, types, chunks and flags."""
    language_subdag._LAST_FAMILY_FRAMES.forget()
    texts = {
        f"src/m{n}.rs": f"pub fn f{n}() {{\n    g{n}();\n}}\n\npub struct S{n};\n" for n in range(6)
    }

    def renamed(old: str, new: str) -> None:
        texts[new] = texts.pop(old)

    edits = [
        lambda: None,
        lambda: texts.update({"src/m2.rs": texts["src/m2.rs"] + "pub fn more() -> u32 { 1 }\n"}),
        lambda: renamed("src/m3.rs", "src/m3b.rs"),
        lambda: texts.update({"src/m9.rs": texts["src/m4.rs"]}),
        lambda: texts.pop("src/m0.rs"),
        lambda: texts.update({"src/m1.rs": texts["src/m5.rs"], "src/m5.rs": texts["src/m1.rs"]}),
        lambda: texts.update({"src/m4.rs": "pub struct Quiet;\n"}),
    ]
    made = language_subdag._LAST_FAMILY_FRAMES.made
    before = made.copy()
    for edit in edits:
        edit()
        files = [_source(tmp_path, path, text) for path, text in sorted(texts.items())]
        extraction = extract_language(language="rust", root=str(tmp_path), files=files, workers=1)
        for family, table in (("symbols", schemas.SYMBOLS), ("calls", schemas.CALLS)):
            got = language_subdag._family_frame(extraction.family(family), table)
            expected = language_subdag._built_family_frame(
                extraction, family, polars_schema(schemas.extracted_schema(table))
            )
            assert got.equals(expected)
            assert got.schema == expected.schema
            assert (got.n_chunks(), got.flags) == (expected.n_chunks(), expected.flags)
    assert made["spliced"] - before["spliced"] == 2 * (len(edits) - 1)


def test_a_family_frame_asked_in_another_schema_is_made_in_it(tmp_path: Path) -> None:
    """``_LastFamilyFrames`` keys the last frame on its schema too: the same files' rows asked
    with columns of other types are those types (the last frame's slices keep the types it was
    made in; review r19c F2)."""
    language_subdag._LAST_FAMILY_FRAMES.forget()
    files = [
        _source(tmp_path, f"src/m{n}.rs", f"pub fn f{n}() {{\n    g{n}();\n}}\n") for n in range(3)
    ]
    extraction = extract_language(language="rust", root=str(tmp_path), files=files, workers=1)
    schema = polars_schema(schemas.extracted_schema(schemas.SYMBOLS))
    narrower = pl.Schema(
        {name: pl.Int32 if dtype == pl.Int64 else dtype for name, dtype in schema.items()}
    )
    assert narrower != schema
    language_subdag._family_frame(extraction.family("symbols"), schemas.SYMBOLS)
    got = language_subdag._LAST_FAMILY_FRAMES.frame(extraction.family("symbols"), narrower)
    assert got.schema == narrower
    assert got.equals(language_subdag._built_family_frame(extraction, "symbols", narrower))


def test_each_language_keeps_its_last_family_frame(tmp_path: Path) -> None:
    """``_LastFamilyFrames`` keys the last frame on its language too: a JavaScript rebuild
    after a TypeScript build (both of one repository) splices the last JavaScript frame, the
    TypeScript one did not replace it (review r19c F2)."""
    language_subdag._LAST_FAMILY_FRAMES.forget()
    texts = {f"src/m{n}.js": f"export function f{n}() {{\n  g{n}();\n}}\n" for n in range(3)}

    def frame_of(language: str, sources: dict[str, str]) -> None:
        files = [_source(tmp_path, path, text) for path, text in sorted(sources.items())]
        extraction = extract_language(language=language, root=str(tmp_path), files=files, workers=1)
        language_subdag._family_frame(extraction.family("symbols"), schemas.SYMBOLS)

    frame_of("javascript", texts)
    frame_of("typescript", {"src/t.ts": "export function t() {\n  u();\n}\n"})
    made = language_subdag._LAST_FAMILY_FRAMES.made
    before = made.copy()
    texts["src/m1.js"] += "export function more() {}\n"
    frame_of("javascript", texts)
    assert made - before == Counter({"spliced": 1})


def _frames_of(
    root: Path, texts: dict[str, str], frames: Path
) -> tuple[list[str], pl.DataFrame, pl.DataFrame, parsing.LanguageExtraction]:
    """Of the Rust extraction of ``texts`` whose family frames are kept in ``frames``: the
    files whose symbol rows the dataflow's symbols frame unpickled, that frame, the one made
    from every file's values, and the extraction."""
    files = [_source(root, path, text) for path, text in sorted(texts.items())]
    # (a new store object: what it read is not in its memory, as in a fresh process)
    store = DirectoryExtractionStore(frames)
    extraction = dataclasses.replace(
        extract_language(language="rust", root=str(root), files=files, workers=1, store=store),
        frames_directory=str(frames),
    )
    got = language_subdag._family_frame(extraction.family("symbols"), schemas.SYMBOLS)
    extraction_store.flush_frame_writes()  # (the frame is stored on a writer thread)
    decoded = [
        source.path
        for source in extraction.files
        if "symbols" in extraction.by_content[source.key].decoded
    ]
    schema = polars_schema(schemas.extracted_schema(schemas.SYMBOLS))
    return (
        decoded,
        got,
        language_subdag._built_family_frame(extraction, "symbols", schema),
        extraction,
    )


def _stored_frame(frames: Path) -> Path:
    """The one stored symbols frame in ``frames``."""
    (stored,) = frames.glob("frame-*-rust-symbols.arrow")
    return stored


def test_a_fresh_process_splices_the_family_frame_the_last_one_stored(tmp_path: Path) -> None:
    """A process with no last frame of its own (its memos forgotten: a fresh process) takes the
    one the last process stored in the extraction's ``frames_directory``: after an edit, a file
    added and one removed, the other files' rows come from it, unpickled from no file's entry,
    and the frame is the one made from every file's values (rows, types, chunks, flags)."""
    texts = {f"src/m{n}.rs": f"pub fn f{n}() {{\n    g{n}();\n}}\n" for n in range(5)}
    frames = tmp_path / "frames"
    memos.forget_all()
    _frames_of(tmp_path / "repo", texts, frames)
    assert _stored_frame(frames).exists()
    texts["src/m2.rs"] += "pub struct More;\n"
    texts["src/m9.rs"] = "pub fn nine() {}\n"
    del texts["src/m0.rs"]
    memos.forget_all()
    made = language_subdag._LAST_FAMILY_FRAMES.made
    before = made.copy()
    decoded, got, expected, _ = _frames_of(tmp_path / "repo", texts, frames)
    assert made - before == Counter({"spliced stored": 1})
    assert got.equals(expected)
    assert got.schema == expected.schema
    assert (got.n_chunks(), got.flags) == (expected.n_chunks(), expected.flags)
    assert decoded == ["src/m2.rs", "src/m9.rs"]  # (the others' rows came from the last frame)


def _flipped(data: bytes, where: float) -> bytes:
    """``data`` with the byte at the fraction ``where`` of its length changed."""
    at = int(len(data) * where)
    return data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[:100]),  # cut short
        lambda path: path.write_bytes(b"not a frame"),
        lambda path: path.write_bytes(_flipped(path.read_bytes(), 0.6)),  # a value's byte
        lambda path: path.unlink(),
    ],
)
def test_a_stored_family_frame_that_does_not_read_back_is_made_again(
    tmp_path: Path, damage: Any
) -> None:
    """A stored frame that is damaged or gone costs its splice, never the build: the frame is
    made from the files' values, and stored again."""
    texts = {f"src/m{n}.rs": f"pub fn f{n}() {{}}\n" for n in range(3)}
    frames = tmp_path / "frames"
    memos.forget_all()
    _frames_of(tmp_path / "repo", texts, frames)
    damage(_stored_frame(frames))
    memos.forget_all()
    made = language_subdag._LAST_FAMILY_FRAMES.made
    before = made.copy()
    _, got, expected, _ = _frames_of(tmp_path / "repo", texts, frames)
    assert made - before == Counter({"built": 1})
    assert got.equals(expected)
    memos.forget_all()
    _frames_of(tmp_path / "repo", texts, frames)
    assert made - before == Counter({"built": 1, "spliced stored": 1})


def _frame_rewritten(path: Path, table_of: Any) -> None:
    """Rewrite the stored frame at ``path`` as ``table_of`` makes its Arrow table (schema
    metadata and all) anew, with a right CRC: damage its checksum cannot see."""
    data = path.read_bytes()
    table = table_of(pa.ipc.open_file(pa.py_buffer(data).slice(8)).read_all())
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    frame_file = sink.getvalue().to_pybytes()
    path.write_bytes(data[:4] + zlib.crc32(frame_file).to_bytes(4, "little") + frame_file)


def _one_height_more(table: pa.Table) -> pa.Table:
    """``table`` whose first file's row count in its metadata is one more than it has."""
    metadata = dict(table.schema.metadata)
    files = json.loads(metadata[b"codeintel.frame_files"])
    files[0][2] += 1
    metadata[b"codeintel.frame_files"] = json.dumps(files).encode()
    return table.replace_schema_metadata(metadata)


@pytest.mark.parametrize(
    "rewrite",
    [
        lambda table: table.slice(0, table.num_rows - 1),  # its last row dropped
        _one_height_more,
    ],
)
def test_a_stored_family_frame_whose_height_is_not_its_files_rows_is_made_again(
    tmp_path: Path, rewrite: Any
) -> None:
    """A stored frame whose height is not the sum of its files' row counts (its CRC right: a
    writer's or a reader's fault, not the disk's) is not spliced: its slices would lose or shift
    rows. After an edit, the frame is made from the files' values, as a fresh build's."""
    texts = {f"src/m{n}.rs": f"pub fn f{n}() {{}}\npub struct S{n};\n" for n in range(3)}
    frames = tmp_path / "frames"
    memos.forget_all()
    _frames_of(tmp_path / "repo", texts, frames)
    _frame_rewritten(_stored_frame(frames), rewrite)
    texts["src/m1.rs"] += "pub struct More;\n"  # (the frame's slices: around the edited file)
    memos.forget_all()
    made = language_subdag._LAST_FAMILY_FRAMES.made
    before = made.copy()
    _, got, expected, _ = _frames_of(tmp_path / "repo", texts, frames)
    assert made - before == Counter({"built": 1})
    assert got.equals(expected)


def test_a_family_frame_stored_by_other_code_or_in_another_schema_is_not_spliced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored frame is spliced only by the code that made it (``_frames_version``: a change
    of how rows are made would splice rows made the old way) and in the schema asked for."""
    texts = {f"src/m{n}.rs": f"pub fn f{n}() {{}}\n" for n in range(3)}
    frames = tmp_path / "frames"
    memos.forget_all()
    _frames_of(tmp_path / "repo", texts, frames)
    monkeypatch.setattr(language_subdag, "_frames_version", lambda: "other code")
    memos.forget_all()
    made = language_subdag._LAST_FAMILY_FRAMES.made
    before = made.copy()
    _frames_of(tmp_path / "repo", texts, frames)
    assert made - before == Counter({"built": 1})
    monkeypatch.undo()
    memos.forget_all()
    extraction = _frames_of(tmp_path / "repo", texts, frames)[3]  # (stored by this code again)
    memos.forget_all()
    schema = polars_schema(schemas.extracted_schema(schemas.SYMBOLS))
    narrower = pl.Schema(
        {name: pl.Int32 if dtype == pl.Int64 else dtype for name, dtype in schema.items()}
    )
    got = language_subdag._LAST_FAMILY_FRAMES.frame(extraction.family("symbols"), narrower)
    assert got.schema == narrower
    assert got.equals(language_subdag._built_family_frame(extraction, "symbols", narrower))
    assert made - before == Counter({"built": 3})


def test_a_process_stores_its_later_family_frames_when_it_exits(tmp_path: Path) -> None:
    """A process stores its first frame of a family at once, the later ones (a ``--watch``
    process's rebuilds) when it exits (``store_unstored``, at exit): the next process splices
    the last one, no file's rows unpickled."""
    texts = {f"src/m{n}.rs": f"pub fn f{n}() {{}}\n" for n in range(3)}
    frames = tmp_path / "frames"
    memos.forget_all()
    _frames_of(tmp_path / "repo", texts, frames)
    stored = _stored_frame(frames)
    first = stored.read_bytes()
    texts["src/m1.rs"] += "pub struct More;\n"
    _frames_of(tmp_path / "repo", texts, frames)
    assert stored.read_bytes() == first
    language_subdag._LAST_FAMILY_FRAMES.store_unstored()
    extraction_store.flush_frame_writes()
    assert stored.read_bytes() != first
    memos.forget_all()
    made = language_subdag._LAST_FAMILY_FRAMES.made
    before = made.copy()
    decoded, got, expected, _ = _frames_of(tmp_path / "repo", texts, frames)
    assert made - before == Counter({"spliced stored": 1})
    assert decoded == []
    assert got.equals(expected)


def test_repositories_built_by_turns_keep_their_own_family_frames(tmp_path: Path) -> None:
    """Two repositories built by turns with one cache each splice their own last frame: one
    frame per repository (one per language and family, the other's replaced it and kept none
    of its files)."""
    texts = {f"src/m{n}.rs": f"pub fn f{n}() {{}}\n" for n in range(3)}
    other = {f"src/o{n}.rs": f"pub struct O{n};\n" for n in range(3)}
    frames = tmp_path / "frames"
    memos.forget_all()
    _frames_of(tmp_path / "repo", texts, frames)
    memos.forget_all()
    _frames_of(tmp_path / "other", other, frames)
    memos.forget_all()
    made = language_subdag._LAST_FAMILY_FRAMES.made
    before = made.copy()
    texts["src/m1.rs"] += "pub struct More;\n"
    decoded, got, expected, _ = _frames_of(tmp_path / "repo", texts, frames)
    assert made - before == Counter({"spliced stored": 1})
    assert decoded == ["src/m1.rs"]
    assert got.equals(expected)


def test_a_store_read_does_not_wait_for_the_family_frames_being_stored(tmp_path: Path) -> None:
    """The family frames are stored by a writer of their own: a read of the per-file store
    waits for the store's own pending writes, not for them (a --watch process's first rebuild
    waited for its first build's frames)."""
    texts = {f"src/m{n}.rs": f"pub fn f{n}() {{}}\n" for n in range(3)}
    frames = tmp_path / "frames"
    memos.forget_all()
    _frames_of(tmp_path / "repo", texts, frames)
    released = threading.Event()

    def held() -> None:
        released.wait(30)

    extraction_store.FRAME_WRITER.submit(held)
    try:
        files = [_source(tmp_path / "repo", path, text) for path, text in sorted(texts.items())]
        reader = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        read = reader.submit(DirectoryExtractionStore(frames).get_many, [f.key for f in files])
        assert len(read.result(timeout=10)) == len(files)
        reader.shutdown()
    finally:
        released.set()
        extraction_store.flush_frame_writes()


def test_a_family_frame_without_rows_is_not_stored(tmp_path: Path) -> None:
    """A family no file has rows of (a language the repository lacks: five of six for tokio)
    stores no frame, and reads none."""
    frames = tmp_path / "frames"
    memos.forget_all()
    _, got, _, _ = _frames_of(tmp_path / "repo", {"src/a.rs": "// nothing\n"}, frames)
    assert got.height == 0
    assert not list(frames.glob("frame-*"))
