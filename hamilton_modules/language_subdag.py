"""The per-language sub-DAG: parse once, then the four artifact families and the parse errors.

Not a driver module: ``dataflow.language_file_errors`` instantiates it once per configured
language with ``@parameterized_subdag`` (nodes ``python.extraction``, ``python.symbols``, ...;
inputs ``language`` as a value, ``file_inventory``/``repo_path``/``workers`` from outside).

``extraction`` is the hot path (tree-sitter in a process pool, see ``parsing``); it holds no
tree-sitter object but is large and only ever consumed inside the same op, hence
``persist="false"``. Each family's rows of it (``<family>_rows``) are versioned by their content,
so a family table whose rows a change left as they were is a cache hit without being made again.
Each family table is normalized with ``with_columns`` (POSIX path, lower-case language,
module-qualified names), cast to its Arrow schema, stably sorted and validated.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import threading
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import polars as pl
import pyarrow as pa
from hamilton.function_modifiers import cache, check_output_custom, schema, tag
from hamilton.plugins.h_polars import with_columns

from hamilton_modules import memos, normalize, schemas
from hamilton_modules.extraction_store import (
    FRAME_WRITER,
    extractor_version,
    flush_writes,
    open_store,
)
from hamilton_modules.parsing import (
    FamilyExtraction,
    LanguageExtraction,
    ParseErrorCounts,
    SourceFile,
    extract_language,
)
from hamilton_modules.tables import (
    arrow_fields,
    finish_numbered_table,
    polars_schema,
    rows_to_frame,
)
from hamilton_modules.validators import table_checks

EXTRACTION_COST = "60"
TABLE_COST = "1"


# Always runs (it reads the repository): unchanged files come from the per-file store in
# ``extraction_cache_dir`` ("" = none), and downstream nodes are keyed by its fingerprint.
@cache(behavior="recompute")
@tag(
    layer="extract", kind="parse", artifact="extraction", persist="false", task_cost=EXTRACTION_COST
)
def extraction(
    file_inventory: pl.DataFrame,
    language: str,
    repo_path: str,
    workers: int,
    extraction_cache_dir: str = "",
    dask_scheduler: str = "",
) -> LanguageExtraction:
    """Parse every accepted file of this language once and extract all four families."""
    accepted = file_inventory.filter(
        (pl.col("language") == language) & (pl.col("status") == "ok")
    ).select("path", "sha256", "size")
    files = [
        SourceFile(path=path, sha256=sha256, size=size)
        for path, sha256, size in accepted.iter_rows()
    ]
    extracted = extract_language(
        language=language,
        root=repo_path,
        files=files,
        workers=workers,
        store=open_store(extraction_cache_dir),
        dask_scheduler=dask_scheduler,
    )
    return replace(extracted, frames_directory=extraction_cache_dir)


# Each family's rows of the extraction, versioned by their content (``FamilyExtraction``): the
# nodes of a family table whose rows did not change are cache hits, so a changed file re-makes
# only the tables it changed (a new function: the symbols, not the 29k call sites of tokio).
# Always run (cheap: a view; the fingerprint reads the per-file digests), never stored.
@cache(behavior="recompute")
@tag(layer="extract", kind="parse", artifact="symbols_rows", persist="false", task_cost=TABLE_COST)
def symbols_rows(extraction: LanguageExtraction) -> FamilyExtraction:
    """The extraction's symbol rows, identified by their content."""
    return extraction.family("symbols")


@cache(behavior="recompute")
@tag(layer="extract", kind="parse", artifact="imports_rows", persist="false", task_cost=TABLE_COST)
def imports_rows(extraction: LanguageExtraction) -> FamilyExtraction:
    """The extraction's import rows, identified by their content."""
    return extraction.family("imports")


@cache(behavior="recompute")
@tag(layer="extract", kind="parse", artifact="calls_rows", persist="false", task_cost=TABLE_COST)
def calls_rows(extraction: LanguageExtraction) -> FamilyExtraction:
    """The extraction's call-site rows, identified by their content."""
    return extraction.family("calls")


@cache(behavior="recompute")
@tag(layer="extract", kind="parse", artifact="inherits_rows", persist="false", task_cost=TABLE_COST)
def inherits_rows(extraction: LanguageExtraction) -> FamilyExtraction:
    """The extraction's inheritance rows, identified by their content."""
    return extraction.family("inherits")


def _family_frame(rows: FamilyExtraction, table_schema: pa.Schema) -> pl.DataFrame:
    """The family's rows as extracted, one column each of ``table_schema``'s but ``ordinal``
    (the last frame of this language and family spliced where it holds: ``_LastFamilyFrames``)."""
    return _LAST_FAMILY_FRAMES.frame(rows, polars_schema(schemas.extracted_schema(table_schema)))


def _built_family_frame(
    extraction: LanguageExtraction,
    family: str,
    schema: pl.Schema,
    files: Sequence[SourceFile] | None = None,
) -> pl.DataFrame:
    """The rows of ``family`` of the ``files`` of ``extraction`` (None: of all), made from
    their values."""
    return pl.DataFrame(extraction.columns(family, schema.names(), files), schema=schema)


# A file's rows of a family: its path and the digest of its rows (``FileColumns.digest``; a
# file with none is left out).
_FileRows = tuple[str, str]


class _LastFamilyFrames:
    """The last frame of each (language, family) this process made (``_family_frame``), with
    the files it was made of and where each one's rows are: a file's rows are made of its path
    and its extracted values alone (their digest), so a rebuild after an edit of one file takes
    the other files' rows from the last frame (slices, one chunk again) and makes the edited
    file's from its values (the others' are not even unpickled): tokio's 8,600 symbols made
    from every file's values row by row, ~5 ms of a rebuild, are ~3 so (most of it a dict
    look-up per file by its content key). One entry per language and family (what a process
    builds again and again: one repository).

    Each frame with rows is also stored, with its files, in the extraction's
    ``frames_directory`` (``_store_family_frame``, by a writer thread of their own), and a
    process that has no last frame of its own takes the stored one (``_stored_family_frame``): a
    fresh process's one-file rebuild unpickled every file's rows and made tokio's symbols from
    them (~10 ms: unpickling ~6, the frame ~3), where it reads the last frame (~1 ms) and
    splices it. A stored frame is as exact as the last frame in memory: its files are keyed by
    their rows' digests, and it is of the same code (``_frames_version``). A process stores its
    first frame of a key at once, the later ones (a ``--watch`` process's rebuilds, which splice
    the frame in memory) when it exits (``store_unstored``): storing tokio's symbols at each
    rebuild, beside it on the other core, cost ~8-15 ms of its wall (min of 12 rebuilds, 4
    pairs)."""

    def __init__(self) -> None:
        # (language, family) -> (schema, each file's rows -> (start, height), frame)
        self._last: dict[tuple[str, str], _Made] = {}
        # (language, family) -> the last frame made, not stored yet: (its frames_directory,
        # its repository, its files, the frame)
        self._unstored: dict[
            tuple[str, str], tuple[str, str, dict[_FileRows, tuple[int, int]], pl.DataFrame]
        ] = {}
        self._lock = threading.Lock()
        # how each frame was made in this process ("built", "spliced", "spliced stored": from
        # the frame a process stored): what tests read
        self.made: Counter[str] = Counter()
        memos.register(self.forget)
        atexit.register(self.store_unstored)

    def forget(self) -> None:
        with self._lock:
            self._last.clear()
            self._unstored.clear()

    def store_unstored(self) -> None:
        """Store the last frames made and not stored yet (at exit)."""
        with self._lock:
            unstored = list(self._unstored.items())
            self._unstored.clear()
        for key, (directory, root, places, frame) in unstored:
            _store_family_frame(directory, root, key, places, frame)

    def frame(self, rows: FamilyExtraction, schema: pl.Schema) -> pl.DataFrame:
        extraction, family = rows.extraction, rows.family
        files: list[tuple[SourceFile, _FileRows]] = []
        for source in extraction.files:
            columns = extraction.by_content.get(source.key)
            digest = "-" if columns is None else columns.digest(family)
            if digest != "-":
                files.append((source, (source.path, digest)))
        key = (extraction.language, family)
        # (made outside the lock: two threads making one key's frame both make it, each
        # exact, the last one kept)
        with self._lock:
            last = kept = self._last.get(key)
        spliced = "spliced"
        directory = extraction.frames_directory
        if directory and files and (last is None or last[0] != schema):
            last = _stored_family_frame(directory, extraction.root, key, schema)
            spliced = "spliced stored"
        placed: dict[_FileRows, tuple[int, int]] = {}
        frame = None
        if last is not None and last[0] == schema:
            placed = last[1]
            frame = _spliced_family_frame(placed, last[2], extraction, family, schema, files)
        made = "built" if frame is None else spliced
        if frame is None:
            frame = _built_family_frame(extraction, family, schema)
        places: dict[_FileRows, tuple[int, int]] = {}
        start = 0
        for source, file_rows in files:
            place = placed.get(file_rows)
            height = place[1] if place is not None else _height(extraction, source, family)
            places[file_rows] = (start, height)
            start += height
        store = bool(directory) and frame.height > 0
        with self._lock:
            self.made[made] += 1
            self._last[key] = (schema, places, frame)
            self._unstored.pop(key, None)
            if store and kept is not None:
                self._unstored[key] = (directory, extraction.root, places, frame)
                store = False
        if store:
            _store_family_frame(directory, extraction.root, key, places, frame)
        return frame


# What ``_LastFamilyFrames`` keeps of a frame: its schema, where each file's rows are, the frame.
_Made = tuple[pl.Schema, dict[_FileRows, tuple[int, int]], pl.DataFrame]
# The schema metadata of a stored family frame: the code that made it, and its files in order
# (path, digest of its rows, how many rows), JSON.
_FRAMES_VERSION = b"codeintel.frames_version"
_FRAME_FILES = b"codeintel.frame_files"
# A stored frame's file: these 4 bytes, the CRC-32 of the rest (4, little-endian: 0.35 ms for
# tokio's symbols), then the frame as an Arrow IPC file.
_FRAME_MAGIC = b"CIF1"


def _checksum(data: bytes | memoryview) -> bytes:
    return zlib.crc32(data).to_bytes(4, "little")


@functools.cache
def _frames_version() -> str:
    """What a stored family frame must have been made by to be spliced: the extraction code
    (``extractor_version``: ``parsing``'s ``columns`` makes the rows), this module (the frame of
    them) and the libraries that make and store it."""
    hasher = hashlib.sha256(f"{extractor_version()}\0{pl.__version__}\0{pa.__version__}\0".encode())
    hasher.update(Path(__file__).read_bytes())
    return hasher.hexdigest()


def _family_frame_path(directory: str, root: str, key: tuple[str, str]) -> Path | None:
    """Where the last frame of ``key`` (language, family) of the repository ``root`` is stored
    in ``directory``; None for a language whose name is no plain word (it names the file). One
    file per repository: repositories built by turns with one cache (Dagster's) would replace
    each other's frame, and find none of their files in it."""
    language, family = key
    if not (language.isalnum() and family.isalnum()):
        return None
    repository = hashlib.sha256(root.encode(errors="surrogateescape")).hexdigest()[:16]
    return Path(directory) / f"frame-{repository}-{language}-{family}.arrow"


def _stored_family_frame(
    directory: str, root: str, key: tuple[str, str], schema: pl.Schema
) -> _Made | None:
    """The frame of ``key`` a process stored in ``directory`` (``_store_family_frame``), with
    where each file's rows are; None when there is none of this code and ``schema``, or it does
    not read back whole (damage is a frame made again, never an error)."""
    path = _family_frame_path(directory, root, key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
        if data[:4] != _FRAME_MAGIC or _checksum(memoryview(data)[8:]) != data[4:8]:
            return None  # (damaged: Arrow's IPC reader checks the layout, not the values)
        table = pa.ipc.open_file(pa.py_buffer(data).slice(8)).read_all()
        metadata = table.schema.metadata or {}
        if metadata.get(_FRAMES_VERSION) != _frames_version().encode():
            return None
        placed: dict[_FileRows, tuple[int, int]] = {}
        start = 0
        for path_of_rows, digest, height in json.loads(metadata[_FRAME_FILES]):
            if not (isinstance(height, int) and height > 0):
                return None
            placed[(str(path_of_rows), str(digest))] = (start, height)
            start += height
        frame = pl.from_arrow(table.replace_schema_metadata(None))
    except (OSError, KeyError, ValueError, TypeError, pa.ArrowException):
        return None
    if not isinstance(frame, pl.DataFrame) or frame.schema != schema or frame.height != start:
        return None
    return schema, placed, frame.rechunk()


def _store_family_frame(
    directory: str,
    root: str,
    key: tuple[str, str],
    places: dict[_FileRows, tuple[int, int]],
    frame: pl.DataFrame,
) -> None:
    """Store ``frame`` of ``key`` (language, family) in ``directory`` for the next process,
    with its files (``places``, in its order), on the store's writer thread: atomically (a
    temporary file renamed), replacing the last one; a failed write leaves it unstored (a
    ``directory`` gone meanwhile is not made again: the store's, which its own writes make)."""
    path = _family_frame_path(directory, root, key)
    if path is None:
        return
    files = [
        [path_of_rows, digest, height] for (path_of_rows, digest), (_, height) in places.items()
    ]

    def write() -> None:
        # (polars' own string columns, uncompressed: read back without a copy or decoding, ~1
        # ms for tokio's symbols against ~2-5 compressed with lz4 or in Arrow's large strings;
        # the size of the frame in memory, 2.5 MB)
        table = frame.to_arrow(compat_level=pl.CompatLevel.newest())
        table = table.replace_schema_metadata(
            {_FRAMES_VERSION: _frames_version().encode(), _FRAME_FILES: json.dumps(files).encode()}
        )
        sink = pa.BufferOutputStream()
        with pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        frame_file = sink.getvalue()  # (written as it is: no copy of its bytes)
        if not path.parent.is_dir():
            # A new store's folder is made by the store's first write, on its own writer
            # thread: waited for here (else a cold build's frames were lost at times, as the
            # frame writer came first); still none: the cache was deleted, not made again.
            flush_writes()
            if not path.parent.is_dir():
                return
        temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        try:
            with temporary.open("wb") as file:
                file.write(_FRAME_MAGIC + _checksum(memoryview(frame_file)))
                file.write(frame_file)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)

    FRAME_WRITER.submit(write)


def _height(extraction: LanguageExtraction, source: SourceFile, family: str) -> int:
    """How many rows of ``family`` the file ``source`` has (it has some)."""
    entry = extraction.by_content[source.key].entry(family)
    return 0 if entry is None else len(entry[1][0])


def _spliced_family_frame(
    placed: dict[_FileRows, tuple[int, int]],
    last: pl.DataFrame,
    extraction: LanguageExtraction,
    family: str,
    schema: pl.Schema,
    files: list[tuple[SourceFile, _FileRows]],
) -> pl.DataFrame | None:
    """The rows of ``files`` (each with its path and digest, in order) made from ``last``
    (``placed``: where each file's rows are in it, and how many) where the file's rows are
    there, else from its values, flagged as a frame made of their values is: not sorted (a
    concatenation of slices of one row, or of nulls, is); None when it keeps no file's rows
    or has fewer than two rows (a frame of one row made of its values is flagged sorted)."""
    if not any(file_rows in placed for _, file_rows in files):
        return None  # (before making any file's rows: another repository's frame, say)
    pieces: list[pl.DataFrame] = []
    made: list[SourceFile] = []  # (files whose rows are made from their values, in a row)
    run: list[int] = []  # (the start and end of a run of the last frame's rows)
    kept = 0
    for source, file_rows in files:
        place = placed.get(file_rows)
        if place is None:
            if run:
                pieces.append(last.slice(run[0], run[1] - run[0]))
                run = []
            made.append(source)
            continue
        if made:
            pieces.append(_built_family_frame(extraction, family, schema, made))
            made = []
        start, height = place
        kept += 1
        if run and run[1] == start:
            run[1] = start + height
        else:
            if run:
                pieces.append(last.slice(run[0], run[1] - run[0]))
            run = [start, start + height]
    if run:
        pieces.append(last.slice(run[0], run[1] - run[0]))
    if made:
        pieces.append(_built_family_frame(extraction, family, schema, made))
    if not kept:
        return None
    frame = pl.concat(pieces, how="vertical").rechunk() if len(pieces) > 1 else pieces[0]
    if frame.height < 2:
        return None
    # (a column through Arrow and back: its values and type, no flag)
    unflagged = [
        pl.Series(name, frame.get_column(name).to_arrow(), dtype=frame.schema[name])
        for name, flags in frame.flags.items()
        if any(flags.values())
    ]
    return frame.with_columns(unflagged) if unflagged else frame


_LAST_FAMILY_FRAMES = _LastFamilyFrames()


def symbols_extracted(symbols_rows: FamilyExtraction) -> pl.DataFrame:
    """Symbol rows as extracted (file-local qualified names)."""
    return _family_frame(symbols_rows, schemas.SYMBOLS)


def imports_extracted(imports_rows: FamilyExtraction) -> pl.DataFrame:
    """Import rows as extracted."""
    return _family_frame(imports_rows, schemas.IMPORTS)


def calls_extracted(calls_rows: FamilyExtraction) -> pl.DataFrame:
    """Call-site rows as extracted."""
    return _family_frame(calls_rows, schemas.CALLS)


def inherits_extracted(inherits_rows: FamilyExtraction) -> pl.DataFrame:
    """Inheritance rows as extracted."""
    return _family_frame(inherits_rows, schemas.INHERITS)


_BASE_COLUMNS = ["path", "language"]
_BASE_TRANSFORMS = (normalize.normalized_path, normalize.normalized_language)


@tag(asset="true", layer="normalize", kind="table", artifact="symbols", task_cost=TABLE_COST)
@check_output_custom(*table_checks(schema=schemas.SYMBOLS, key=schemas.SORT_KEYS["symbols"]))
@schema.output(*arrow_fields(schemas.SYMBOLS))
@with_columns(
    *_BASE_TRANSFORMS,
    normalize.repo_qualified_name,
    normalize.repo_parent,
    columns_to_pass=[*_BASE_COLUMNS, "qualified_name", "parent"],
    select=["normalized_path", "normalized_language", "repo_qualified_name", "repo_parent"],
)
def symbols(symbols_extracted: pl.DataFrame) -> pl.DataFrame:
    """Definitions: kind, name, module-qualified name, parent, path and span of every symbol."""
    normalized = symbols_extracted.with_columns(
        path=pl.col("normalized_path"),
        language=pl.col("normalized_language"),
        qualified_name=pl.col("repo_qualified_name"),
        parent=pl.col("repo_parent"),
    )
    return finish_numbered_table(normalized, table_schema=schemas.SYMBOLS, sort_key="symbols")


@tag(asset="true", layer="normalize", kind="table", artifact="imports", task_cost=TABLE_COST)
@check_output_custom(*table_checks(schema=schemas.IMPORTS, key=schemas.SORT_KEYS["imports"]))
@schema.output(*arrow_fields(schemas.IMPORTS))
@with_columns(
    *_BASE_TRANSFORMS,
    normalize.repo_enclosing,
    columns_to_pass=[*_BASE_COLUMNS, "enclosing"],
    select=["normalized_path", "normalized_language", "repo_enclosing"],
)
def imports(imports_extracted: pl.DataFrame) -> pl.DataFrame:
    """One row per imported name: module, name, alias, enclosing symbol, line."""
    normalized = imports_extracted.with_columns(
        path=pl.col("normalized_path"),
        language=pl.col("normalized_language"),
        enclosing=pl.col("repo_enclosing"),
    )
    return finish_numbered_table(normalized, table_schema=schemas.IMPORTS, sort_key="imports")


@tag(asset="true", layer="normalize", kind="table", artifact="calls", task_cost=TABLE_COST)
@check_output_custom(*table_checks(schema=schemas.CALLS, key=schemas.SORT_KEYS["calls"]))
@schema.output(*arrow_fields(schemas.CALLS))
@with_columns(
    *_BASE_TRANSFORMS,
    normalize.repo_enclosing,
    normalize.repo_this_symbol,
    columns_to_pass=[*_BASE_COLUMNS, "enclosing", "this_symbol"],
    select=["normalized_path", "normalized_language", "repo_enclosing", "repo_this_symbol"],
)
def calls(calls_extracted: pl.DataFrame) -> pl.DataFrame:
    """One row per call site: callee text, callee short name, enclosing symbol, the symbol whose
    ``this`` it sees (JavaScript/TypeScript), position."""
    normalized = calls_extracted.with_columns(
        path=pl.col("normalized_path"),
        language=pl.col("normalized_language"),
        enclosing=pl.col("repo_enclosing"),
        this_symbol=pl.col("repo_this_symbol"),
    )
    return finish_numbered_table(normalized, table_schema=schemas.CALLS, sort_key="calls")


@tag(asset="true", layer="normalize", kind="table", artifact="inherits", task_cost=TABLE_COST)
@check_output_custom(*table_checks(schema=schemas.INHERITS, key=schemas.SORT_KEYS["inherits"]))
@schema.output(*arrow_fields(schemas.INHERITS))
@with_columns(
    *_BASE_TRANSFORMS,
    normalize.repo_child,
    columns_to_pass=[*_BASE_COLUMNS, "child"],
    select=["normalized_path", "normalized_language", "repo_child"],
)
def inherits(inherits_extracted: pl.DataFrame) -> pl.DataFrame:
    """Class -> base, impl -> trait, class -> interface, with the relation."""
    normalized = inherits_extracted.with_columns(
        path=pl.col("normalized_path"),
        language=pl.col("normalized_language"),
        child=pl.col("repo_child"),
    )
    return finish_numbered_table(normalized, table_schema=schemas.INHERITS, sort_key="inherits")


# The counts of the extraction, versioned by their values (``ParseErrorCounts``): an edit that
# leaves every file's count as it was (most do) leaves ``parse_errors`` a cache hit.
@cache(behavior="recompute")
@tag(layer="extract", kind="parse", artifact="error_counts", persist="false", task_cost=TABLE_COST)
def error_counts(extraction: LanguageExtraction) -> ParseErrorCounts:
    """The extraction's parse error count per file, identified by the counts."""
    return ParseErrorCounts(extraction)


@tag(asset="true", layer="extract", kind="table", artifact="parse_errors", task_cost=TABLE_COST)
@check_output_custom(
    *table_checks(schema=schemas.PARSE_ERRORS, key=schemas.SORT_KEYS["parse_errors"])
)
@schema.output(*arrow_fields(schemas.PARSE_ERRORS))
def parse_errors(error_counts: ParseErrorCounts) -> pl.DataFrame:
    """tree-sitter ERROR/MISSING node count per parsed file (null if it changed mid-build)."""
    rows: list[dict[str, object]] = [
        {"path": path, "parse_errors": count}
        for path, count in sorted(error_counts.counts().items())
    ]
    return rows_to_frame(rows, schemas.PARSE_ERRORS)
