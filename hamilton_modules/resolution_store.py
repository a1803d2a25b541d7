"""The last name resolution of a repository, and the gate that says when it can be reused.

``cpg_edges`` resolves every call site of the repository again on any change: on the tokio crates
(29k call sites) that is more than half of a one-file re-run, although a body edit or a new
function nobody calls changes no other file's CALLS edge. This module keeps, per repository, the
resolver's inputs and the CALLS edges they gave (``StoredResolution``), and decides from the old
and new inputs whether the other files' CALLS edges are still exact (``incremental_paths``); then
``cpg_edges`` resolves the changed files' call sites only and keeps the rest from the store
(``cpg._calls_spliced``). The output is the full resolution's in every case: a gate that cannot
show it, a missing, stale or damaged store, or ``extraction_cache_dir`` "" is the full path.

What the splice rests on (tests/test_resolution_store.py checks both on the corpora):

- the CALLS edges of one file's call sites depend on the symbol side of the whole repository
  (symbols, imports, inherits, the file list, go.mod and Cargo.toml rows) and on the file's own
  call sites, never on another file's call sites (the passes that read call sites read those of
  the call's own function: ``_returned_by_call_sites``, ``_outside_call_values``...);
- a change of the symbol side whose names no row mentions, but the changed rows themselves and
  the changed files' call sites, cannot change another file's CALLS edge (see
  ``incremental_paths`` for why each condition is enough; review r13b found the two holes the
  first version had: a name reached through another row of the changed file, and two
  definitions of one name swapping places).

Storage as the per-file extraction store (``extraction_store``, same directory): one SQLite
database per resolver version (``resolution-<version[:16]>.sqlite``: the code of every module of
this package, the extractor's version, polars'), one entry per repository, keyed by its file list;
written off the critical path by a background writer as there, or, in a resident process that
builds again and again (``--watch``), after the build (``held_writes``); an entry that does not
load is a miss with a warning, never an error.

In a resident process the gate reads the names a change writes from token counts of the stored
inputs (``TokenCounts``: made after a ``held_writes`` block by the writer, then derived run
after run from the changed files' rows) instead of scanning every row for them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import operator
import os
import pickle
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import polars as pl

from hamilton_modules import memos
from hamilton_modules.cpg_model import collected
from hamilton_modules.extraction_store import (
    MAX_AGE_DAYS,
    DirectoryExtractionStore,
    StoreObjects,
    WriterThread,
    current_day,
    extractor_version,
    warn_store,
)
from hamilton_modules.languages.base import FIELD_SEPARATOR

_PACKAGE = Path(__file__).resolve().parent
STORE_PREFIX = "resolution-"
# Its own writer: a read waits for this process's resolution writes only, not for the per-file
# extractions a cold build is still writing.
_WRITER = WriterThread("resolution-store-writer")
# The puts held back while a ``held_writes`` block runs: the last one of each (database, key);
# how many blocks run, by process (nested or in several threads: the writes wait for the last
# to end; a forked child, which inherits the count, holds nothing).
# (store path, key) -> the store, its held resolution, whether the store's folder was there
# when it was put (``held_writes``)
_HELD: dict[tuple[Path, str], tuple[DirectoryResolutionStore, StoredResolution, bool]] = {}
_HOLDS: Counter[int] = Counter()
_HELD_LOCK = threading.Lock()
# How often each path was taken in this process ("incremental", "full"): what tests read to
# show that the incremental path was taken where it should be.
PATHS_TAKEN: Counter[str] = Counter()

# The columns that hold positions (line, column): a body edit moves them and nothing else.
POSITION_COLUMNS = {
    "symbols": ("start_line", "start_column", "end_line", "end_column"),
    "imports": ("line",),
    "inherits": ("line",),
    "calls": ("line", "column"),
}
# The symbol side: every family but the call sites.
SYMBOL_FAMILIES = ("symbols", "imports", "inherits")
FAMILIES = (*SYMBOL_FAMILIES, "calls")
# What an identifier token is, in every language of the dataflow (`$` is JavaScript's).
# More changed names than this (a generated file rewritten) is the full path: one regex of
# their alternation must stay within the regex engine's size limit.
_MAX_NAMES = 1000
_TOKEN = re.compile(r"[\w$]+")


@dataclass(frozen=True)
class ResolutionInputs:
    """What ``cpg_edges`` resolves: the file list, go.mod and Cargo.toml rows, and the four
    families of every language (each concatenated)."""

    files: pl.DataFrame
    go_modules: pl.DataFrame
    rust_crates: pl.DataFrame
    symbols: pl.DataFrame
    imports: pl.DataFrame
    calls: pl.DataFrame
    inherits: pl.DataFrame

    def family(self, name: str) -> pl.DataFrame:
        frame = getattr(self, name)
        assert isinstance(frame, pl.DataFrame)
        return frame


# An identifier token as ``_mentioned``'s pattern reads it (polars' regex engine, its ``\w``).
_TOKEN_PATTERN = r"[\w$]+"
# The deltas a ``TokenCounts`` chains before it adds them up into a base of its own.
_MAX_DELTAS = 32


class TokenCounts:
    """How often each identifier token occurs in the string values (but ``language``) of the
    rows of every family of some inputs: what ``_mentioned`` scans every row for (~5 ms of
    regex over tokio's rows a gate) read for a few names. A base count and the deltas of the
    changed files' rows run after run (``token_delta``; cheaper than a copy of the base, ~30k
    tokens for tokio), added up every ``_MAX_DELTAS`` runs."""

    def __init__(self, base: Mapping[str, int], deltas: tuple[Mapping[str, int], ...] = ()):
        self._base = base
        self._deltas = deltas

    def count(self, token: str) -> int:
        return self._base.get(token, 0) + sum(delta.get(token, 0) for delta in self._deltas)

    def plus(self, delta: Mapping[str, int]) -> TokenCounts:
        """The counts with ``delta`` added (this object unchanged)."""
        if not delta:
            return self
        if len(self._deltas) < _MAX_DELTAS:
            return TokenCounts(self._base, (*self._deltas, delta))
        return TokenCounts(TokenCounts(self.total(), (delta,)).total())

    def total(self) -> Counter[str]:
        """Every token's count (those whose deltas add up to 0 too)."""
        total = Counter(self._base)
        for delta in self._deltas:
            total.update(delta)
        return total


class TokenSlot:
    """Where a resolution's ``TokenCounts`` are put once known (by the gate of the run that
    made it, or by the writer thread after a ``held_writes`` block: ``count_tokens``); None
    until then, and in an entry read from the database."""

    def __init__(self, counts: TokenCounts | None = None) -> None:
        self.counts = counts


def token_counts(inputs: ResolutionInputs, paths: Collection[str] | None = None) -> Counter[str]:
    """How often each identifier token occurs in the string values (but ``language``) of the
    rows of every family of ``inputs`` (of the files ``paths``, None: of all)."""
    (counted,) = collected(_counted_tokens(inputs, paths))
    return _as_counter(counted)


def _counted_tokens(inputs: ResolutionInputs, paths: Collection[str] | None) -> pl.LazyFrame:
    """(token, len): ``token_counts``' query (a part of one: ``cpg_model.collected``)."""
    queries = []
    for family in FAMILIES:
        strings = _string_columns(inputs.family(family))
        frame = inputs.family(family).lazy()
        if paths is not None:
            frame = frame.filter(pl.col("path").is_in(list(paths)))
        # (every string value in one column: one pass of the regex)
        values = frame.select(strings).unpivot(value_name="value")
        queries.append(
            values.select(token=pl.col("value").str.extract_all(_TOKEN_PATTERN)).explode("token")
        )
    return pl.concat(queries).drop_nulls().group_by("token").len()


def _as_counter(counted: pl.DataFrame) -> Counter[str]:
    return Counter(dict(counted.iter_rows()))


def _string_columns(frame: pl.DataFrame) -> list[str]:
    """The columns ``_mentioned`` scans: the string ones but ``language``."""
    return [
        name for name, dtype in frame.schema.items() if dtype == pl.String and name != "language"
    ]


@dataclass(frozen=True)
class StoredResolution:
    """A resolution as the store keeps it: its inputs, its CALLS edges (the unfinished part,
    with the ``path`` of each edge's call site) and the symbol side's resolved rows the gate
    shows unchanged but for the changed files' ids: ``bases`` (child_id, target: each
    inheriting child's base type, in ``cpg._inheriting_children``'s order), ``imported``
    (import_id, found: what each import names, in the imports' order) and ``receivers`` (the
    type each receiver-type query names, by ``cpg.RECEIVER_KEYS``); and, one row per row of the
    inputs' calls, ``call_ids`` (id: its CALL node id, ``cpg_model.call_node_ids``) and
    ``call_owners`` (owner, this_owner: ``cpg._call_owners``), which the other files' call
    sites take instead of being hashed and enclosed again (``cpg._kept_rows``)."""

    inputs: ResolutionInputs
    call_edges: pl.DataFrame
    bases: pl.DataFrame
    imported: pl.DataFrame
    receivers: pl.DataFrame
    call_ids: pl.DataFrame
    call_owners: pl.DataFrame
    # the inputs' token counts, once known (kept in memory only)
    tokens: TokenSlot = field(default_factory=TokenSlot, compare=False, repr=False)

    def count_tokens(self) -> None:
        """Count the inputs' tokens (``TokenCounts``) unless they are known."""
        if self.tokens.counts is None:
            self.tokens.counts = TokenCounts(token_counts(self.inputs))

    def to_bytes(self) -> bytes:
        """Each frame as Parquet (no statistics, no compression: its dictionary and run-length
        encodings make tokio's entry ~4 MB, lz4 IPC made ~3.7 MB of the same frames), which a
        fresh process decodes in ~5 ms, lz4 IPC in 14-22 ms, lz4 Parquet in ~7 ms; the write,
        in the background, ~16 ms of CPU against ~21 ms of lz4 Parquet and ~18 ms of lz4 IPC
        (it runs beside the rest of a one-file re-run, which waits for cores on a loaded
        machine). The round trip keeps every type."""
        frames = {field.name: self.inputs.family(field.name) for field in fields(ResolutionInputs)}
        frames |= {name: getattr(self, name) for name in _RESOLVED_FRAMES}
        encoded: dict[str, bytes | int] = {_FORMAT_KEY: STORED_FORMAT}
        for name, frame in frames.items():
            buffer = io.BytesIO()
            frame.write_parquet(buffer, compression="uncompressed", statistics=False)
            encoded[name] = buffer.getvalue()
        return pickle.dumps(encoded, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, value: bytes) -> StoredResolution | None:
        """The resolution ``to_bytes`` wrote, None when it is of another format (a miss)."""
        encoded = pickle.loads(value)
        if encoded.pop(_FORMAT_KEY, None) != STORED_FORMAT:
            return None
        frames = {name: pl.read_parquet(io.BytesIO(data)) for name, data in encoded.items()}
        resolved = {name: frames.pop(name) for name in _RESOLVED_FRAMES}
        return cls(
            ResolutionInputs(**frames),
            call_edges=resolved["call_edges"],
            bases=resolved["bases"],
            imported=resolved["imported"],
            receivers=resolved["receivers"],
            call_ids=resolved["call_ids"],
            call_owners=resolved["call_owners"],
        )


# The version of what an entry holds: an entry of another one is a miss (the resolver's version,
# the database's name, changes with the code too; this keeps an entry written by a code of the
# same version but another layout, a test's or a hand-made one, from loading as this one).
# 6: Parquet uncompressed; 5: with call_owners; 4: with call_ids; 3: frames as lz4 Parquet (2:
# lz4 IPC)
STORED_FORMAT = 6
_FORMAT_KEY = "format"
_RESOLVED_FRAMES = ("call_edges", "bases", "imported", "receivers", "call_ids", "call_owners")


@functools.cache
def resolver_version() -> str:
    """sha256 over the code of this package (the resolver, the rules it reads), the extractor's
    version (what the rows mean) and polars' version (how frames are stored and compared)."""
    hasher = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        if "__pycache__" not in path.parts:
            hasher.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            hasher.update(path.read_bytes() + b"\0")
    hasher.update(f"{extractor_version()}\0polars={pl.__version__}".encode())
    return hasher.hexdigest()


# The columns of the file list a repository's key is made of, and the last list keyed (a rebuild's
# is the last one's: its key again, without a query and a loop over the files).
_KEY_COLUMNS = ("path", "language", "status")
_LAST_KEYED: list[tuple[tuple[pl.Series, ...], str]] = []
memos.register(_LAST_KEYED.clear)


def repository_key(files: pl.DataFrame) -> str:
    """The store's key of a repository: its file list (a file added, removed or renamed is
    another key, so the full path; two repositories of one file list share an entry, which the
    gate compares like any other)."""
    columns = tuple(files.get_column(name) for name in _KEY_COLUMNS)
    for last, key in list(_LAST_KEYED):
        if _equal_columns(last, columns):
            return key
    listed = files.select(_KEY_COLUMNS).sort("path")
    hasher = hashlib.sha256()
    for path, language, status in listed.iter_rows():
        hasher.update(f"{path}\0{language}\0{status}\n".encode())
    key = hasher.hexdigest()
    _LAST_KEYED[:] = [(columns, key)]
    return key


def _equal_columns(before: Sequence[pl.Series], after: Sequence[pl.Series]) -> bool:
    """Whether the columns are pairwise equal, types too (Series comparisons: no query)."""
    return len(before) == len(after) and all(
        old.dtype == new.dtype and old.equals(new) for old, new in zip(before, after, strict=True)
    )


def _columns(frame: pl.DataFrame, names: Sequence[str]) -> list[pl.Series]:
    return [frame.get_column(name) for name in names]


class DirectoryResolutionStore(DirectoryExtractionStore):
    """One ``StoredResolution`` per repository key, in the extraction store's directory (its
    connection, damage handling and background writer; another database file). The object
    keeps the last resolution it read or wrote in memory, which ``get`` serves without reading
    the database (a ``--watch`` rebuild: ~0.025 s of tokio's entry; any resolution the object
    saw is exact for its own inputs, which the gate compares, whatever the database holds
    meanwhile)."""

    what = "resolution store"
    consequence = "every call site is resolved again"

    def __init__(self, directory: str, *, version: str | None = None) -> None:
        super().__init__(directory, version=version or resolver_version())
        self.path = self.directory / f"{STORE_PREFIX}{self.version[:16]}.sqlite"
        self._last: tuple[str, StoredResolution] | None = None

    def get(self, key: str) -> StoredResolution | None:
        last = self._last
        if last is not None and last[0] == key:
            return last[1]
        resolution = self._read(key)
        if resolution is not None:
            self._last = (key, resolution)
        return resolution

    def _read(self, key: str) -> StoredResolution | None:
        with _HELD_LOCK:
            held = _HELD.get((self.path, key))
        if held is not None:  # this process's own last resolution, not written yet
            return held[1]
        _WRITER.wait()  # this process's own last resolution first
        if not self.path.exists():
            return None
        try:
            with self._connect() as connection:
                row = connection.execute(
                    "SELECT value FROM entries WHERE key = ?", (key,)
                ).fetchone()
        except (sqlite3.DatabaseError, OSError) as exc:
            warn_store(f"cache: cannot read {self.path} ({exc}); every call site is resolved")
            return None
        if row is None:
            return None
        try:
            return StoredResolution.from_bytes(row[0])
        except Exception:  # truncated or foreign bytes: a miss, replaced by this run's
            warn_store(f"cache: unreadable resolution in {self.path}; every call site is resolved")
            return None

    def put(self, key: str, resolution: StoredResolution) -> None:
        """Store ``resolution`` in the background (serialized there too); within a
        ``held_writes`` block, once the block ends (in place of a held put of the same key)."""
        self._last = (key, resolution)
        # (submitted under the lock: a block's end submits its held puts under it too, so a
        # put of another thread is queued before or after them, never between the count and
        # the submit, and an older resolution of a key never lands after a newer one)
        with _HELD_LOCK:
            if _HOLDS[os.getpid()]:
                _HELD[self.path, key] = (self, resolution, self.directory.is_dir())
                return
            _WRITER.submit(lambda: self._write_one(key, resolution))

    def _write_one(self, key: str, resolution: StoredResolution) -> None:
        value = resolution.to_bytes()
        today = current_day()
        with (
            contextlib.suppress(sqlite3.DatabaseError, OSError),
            self._connect() as connection,
            connection,
        ):
            connection.execute(
                "INSERT OR REPLACE INTO entries (key, value, used) VALUES (?, ?, ?)",
                (key, value, today),
            )
            connection.execute("DELETE FROM entries WHERE used < ?", (today - MAX_AGE_DAYS,))


def flush_resolution_writes() -> None:
    """Wait until every ``put`` of this process is committed (or failed quietly), but those a
    ``held_writes`` block that still runs holds."""
    _WRITER.wait()


@contextlib.contextmanager
def held_writes() -> Iterator[None]:
    """Hold this process's ``put`` writes until the block ends: for a process that builds
    again and again (``codeintel build --watch``), whose store object serves its last
    resolution from memory (``DirectoryResolutionStore.get``), so the database's copy only
    matters to a later process. A tokio rebuild's write (~35 ms of CPU to serialize ~3 MB,
    60-110 ms of SQLite) ran beside the rest of the build, on 2 cores competing with it.

    A held put replaces the held put of its key (only the last resolution of a key matters).
    At the end of the block the writer is given the held puts; it writes them unless another
    block began meanwhile (the next build came first): then the end of that one does, with the
    newest of each key. A process killed before leaves the database as it was (an older entry,
    never a torn one: each write is one SQLite transaction); the interpreter's exit waits for
    the writer (``WriterThread``)."""
    pid = os.getpid()
    with _HELD_LOCK:
        _HOLDS[pid] += 1
    try:
        yield
    finally:
        with _HELD_LOCK:
            _HOLDS[pid] -= 1
            _WRITER.submit(_write_held)
            # the token counts of a resolution its run could not derive (``incremental_paths``),
            # off the critical path: its next gate reads them (~0.1 s of CPU for tokio's rows)
            if not _HOLDS[pid]:
                for _store, resolution, _was_there in _HELD.values():
                    if resolution.tokens.counts is None:
                        _WRITER.submit(resolution.count_tokens)


def _write_held() -> None:
    """Write the held puts (``held_writes``), none while a block runs. A store whose folder was
    there at the put and is gone now is not written: the cache was deleted after the build that
    held the put (a new folder holding only this database would not be known as a cache, and a
    repository walk would take it in); the next build starts afresh. One write that fails does
    not stop the others."""
    with _HELD_LOCK:
        if _HOLDS[os.getpid()]:
            return
        held = [(key, *value) for (_path, key), value in _HELD.items()]
        _HELD.clear()
    for key, store, resolution, was_there in held:
        if was_there and not store.directory.is_dir():
            continue
        try:
            store._write_one(key, resolution)
        except Exception as exc:  # a cache write: warned, never the build's error
            warn_store(f"cache: could not store a resolution in {store.path} ({exc})")


def warn_unusable(reason: str) -> None:
    """Say that a stored resolution could not be used (every call site is resolved)."""
    warn_store(f"cache: unusable stored resolution ({reason}); every call site is resolved")


_STORES = StoreObjects(DirectoryResolutionStore)


def open_resolution_store(directory: str) -> DirectoryResolutionStore | None:
    """The store under ``directory``, None for "" (``--no-cache``: always the full path): one
    object per directory in a process (``extraction_store.StoreObjects``), whose last resolution
    stays in memory for the next build."""
    return _STORES.open(directory)


def _gone_and_came(
    old: pl.LazyFrame, new: pl.LazyFrame, *, on: list[str]
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The rows of ``old`` that ``new`` lacks and those of ``new`` that ``old`` lacks, equal by
    ``on`` (nulls equal too)."""
    return (
        old.join(new, on=on, how="anti", nulls_equal=True),
        new.join(old, on=on, how="anti", nulls_equal=True),
    )


def _differing_paths(old: pl.DataFrame, new: pl.DataFrame) -> set[str]:
    """Paths with a row in one frame and not in the other (rows are distinct: ``ordinal``)."""
    gone, came = collected(*_gone_and_came(old.lazy(), new.lazy(), on=new.columns))
    return set(gone["path"].to_list()) | set(came["path"].to_list())


def changed_paths(old: ResolutionInputs, new: ResolutionInputs) -> set[str]:
    """The files with a row of some family that is not in the other inputs. A file's rows are
    made from its content, path and language alone (the per-file extraction store rests on
    that too), so the files whose ``sha256`` changed are the candidates; the other files' rows
    are compared whole (``equals``, a cheap column-wise comparison, not a join), and where they
    are not the same after all, every row of every file is (``_differing_paths``)."""
    keys = ["path", "language", "status", "sha256"]
    if _equal_columns(_columns(old.files, keys[:1]), _columns(new.files, keys[:1])):
        # (the same files in the same order, a rebuild's: compared row by row, not joined)
        differ = functools.reduce(
            operator.or_,
            (
                before.ne_missing(after)
                for before, after in zip(
                    _columns(old.files, keys[1:]), _columns(new.files, keys[1:]), strict=True
                )
            ),
        )
        changed = set(new.files.get_column("path").filter(differ).to_list())
    else:
        changed = _differing_paths(old.files.select(keys), new.files.select(keys))
    unchanged = ~pl.col("path").is_in(sorted(changed))
    # (a family whose rows are all as they were, the most of a one-file edit's, is not
    # filtered and compared again)
    differing = [family for family in FAMILIES if not old.family(family).equals(new.family(family))]
    kept = collected(
        *(
            inputs.family(family).lazy().filter(unchanged)
            for family in differing
            for inputs in (old, new)
        )
    )
    if all(before.equals(after) for before, after in zip(kept[::2], kept[1::2], strict=True)):
        return changed
    found: set[str] = set()
    for family in FAMILIES:
        found |= _differing_paths(old.family(family), new.family(family))
    return found


def line_free(frame: pl.LazyFrame, family: str) -> pl.LazyFrame:
    """``frame`` without its position columns, each row numbered among the rows equal to it in
    ``_repeat`` (in frame order): the k-th of equal rows before and after an edit are one row.
    (A part of a query: ``cpg_model.collected``.)"""
    names = frame.collect_schema().names()
    kept = [name for name in names if name not in POSITION_COLUMNS[family]]
    return frame.select(kept).with_columns(_repeat=pl.int_range(pl.len()).over(kept))


def _in_paths(frame: pl.DataFrame, paths: Collection[str]) -> pl.LazyFrame:
    return frame.lazy().filter(pl.col("path").is_in(list(paths)))


def _mentioned(inputs: ResolutionInputs, names: set[str], *, outside: Collection[str]) -> bool:
    """Whether a string column of a row of a file not in ``outside`` holds one of ``names`` as
    an identifier token (a whole run of word characters)."""
    alternatives = "|".join(re.escape(name) for name in sorted(names))
    pattern = rf"(?:^|[^\w$])(?:{alternatives})(?:[^\w$]|$)"
    # (the rows of ``outside`` masked, not filtered out first: a copy of every other row of the
    # family less; every family's in one query, ``collected``)
    inside = ~pl.col("path").is_in(list(outside))
    frames = [inputs.family(family) for family in FAMILIES]
    found = collected(
        *(
            frame.lazy().select(
                (
                    inside & pl.any_horizontal(pl.col(_string_columns(frame)).str.contains(pattern))
                ).any()
            )
            for frame in frames
            if frame.height and _string_columns(frame)
        )
    )
    return any(frame.item() for frame in found)


def incremental_paths(
    old: ResolutionInputs,
    new: ResolutionInputs,
    *,
    tokens: TokenCounts | None = None,
    counted: TokenSlot | None = None,
) -> list[str] | None:
    """The files whose call sites must be resolved again when the other files' CALLS edges of
    the resolution of ``old`` are exact for ``new``; None when that cannot be shown (the full
    path). Conservative: each condition is one the splice needs, or one that keeps a change
    from reaching a lookup that is not keyed by the name another file writes.

    ``tokens``: the token counts of ``old`` (``TokenCounts``), read instead of every row for
    the names the change writes; then the counts of ``new`` are put in ``counted`` (once the
    changed files are known: the other files' rows are the same, so the counts differ by those
    of the changed files' rows)."""
    # The file list (the store's key already), the module of each file (its path) and what
    # go.mod and Cargo.toml say (crate names, module paths): module-level facts every file's
    # resolution reads; any change is the full path.
    if any(
        old.family(field.name).schema != new.family(field.name).schema
        for field in fields(ResolutionInputs)
    ):
        return None  # another schema: rows of other code
    if not (
        _equal_columns(_columns(old.files, _KEY_COLUMNS), _columns(new.files, _KEY_COLUMNS))
        and old.go_modules.equals(new.go_modules)
        and old.rust_crates.equals(new.rust_crates)
    ):
        return None
    changed = changed_paths(old, new)
    if not changed:
        if counted is not None:
            counted.counts = tokens
        return []
    # Imports and inherits (a `use`, a re-export, a glob, an `impl Trait for T`, a base class)
    # reach other files through lookups no name of theirs keys (a glob's names, a type's method
    # set, an impl's owner type): any change but a moved line is the full path.
    # (with the symbols' rows below: one query, ``collected``)
    (
        imports_before,
        imports_after,
        inherits_before,
        inherits_after,
        before,
        after,
        shared_before,
        shared_after,
        *tokens_counted,
    ) = collected(
        line_free(_in_paths(old.imports, changed), "imports"),
        line_free(_in_paths(new.imports, changed), "imports"),
        line_free(_in_paths(old.inherits, changed), "inherits"),
        line_free(_in_paths(new.inherits, changed), "inherits"),
        _named_order(line_free(_in_paths(old.symbols, changed), "symbols")),
        _named_order(line_free(_in_paths(new.symbols, changed), "symbols")),
        _defined_in_several_files(old.symbols, changed),
        _defined_in_several_files(new.symbols, changed),
        *(() if tokens is None else (_counted_tokens(old, changed), _counted_tokens(new, changed))),
    )
    # the counts of ``new``: those of ``old`` but for the changed files' rows
    counted_before = Counter[str]()
    if tokens is not None:
        counted_before, counted_after = (_as_counter(frame) for frame in tokens_counted)
        if counted is not None:
            counted.counts = tokens.plus(token_delta(counted_before, counted_after))
    if not (imports_before.equals(imports_after) and inherits_before.equals(inherits_after)):
        return None
    # Symbols: the rows that differ but for their positions. A row with a parent (a method, a
    # nested definition) changes its type's method set, constructor, overload set or "only"
    # method, or a Go type's interface satisfaction, which other files reach without writing
    # the row's name: the full path. What is left are top-level definitions; a call can reach
    # one (as its target, or through its return type, fields or a package variable's type)
    # only through a row that writes its name, or a field's name: a call of another file
    # directly, or through a row of another file or of a changed file that another file's call
    # reaches by that row's own name (`fn make() -> Thing` beside a changed `type Thing`;
    # `var Default = NewThing()`). So when none of those names is a token of any row but the
    # differing rows themselves and the changed files' call sites (resolved again), no other
    # file's CALLS edge can change (rule 5's unique-name counts and glob imports are keyed by
    # those names too).
    # Rows of one qualified name are numbered in source order (``_named``): two definitions of
    # `f` that swap places are rows equal but for their lines, yet the later one is what `f`
    # names (review r13b).
    # A qualified name defined in several files (Go's build variants `x_linux.go` and
    # `x_other.go` of one package) names the definition a lookup takes by its line, whichever
    # file it is in (review r14a): a row of a changed file with such a name counts as differing
    # even when only its line moved.
    shared = set(shared_before["qualified_name"].to_list()) | set(
        shared_after["qualified_name"].to_list()
    )
    # (``_row``: where a differing row of ``new`` stands among the changed files' symbols)
    numbered = after.lazy().with_row_index("_row")
    gone, after_only = _gone_and_came(before.lazy(), numbered, on=before.columns)
    in_shared = pl.col("qualified_name").is_in(sorted(shared))
    gone, after_only = collected(
        pl.concat([gone, before.lazy().filter(in_shared)]).unique(maintain_order=True),
        pl.concat([after_only, numbered.filter(in_shared)]).unique(maintain_order=True),
    )
    differing = pl.concat([gone, after_only.drop("_row")])
    if differing.is_empty():
        return sorted(changed)  # only lines moved: ids are mapped (``cpg._moved_ids``)
    if differing["parent"].null_count() != differing.height:
        return None
    names: set[str] = set()
    for name, qualified, declared in differing.select(
        "name", "qualified_name", "fields"
    ).iter_rows():
        names.update(_TOKEN.findall(name))
        names.update(_TOKEN.findall(re.split(r"[.:/#]", qualified)[-1]))
        for entry in (declared or "").split(FIELD_SEPARATOR):
            names.update(_TOKEN.findall(entry.split(" ", 1)[0]))
    if not names or len(names) > _MAX_NAMES:
        return None
    # the changed files' own symbol-side rows, but for the differing ones (in ``new``'s order:
    # ``_in_paths`` and ``line_free`` keep it)
    changed_symbols, changed_imports, changed_inherits = collected(
        _in_paths(new.symbols, changed).filter(
            ~pl.int_range(pl.len()).is_in(after_only["_row"].implode())
        ),
        _in_paths(new.imports, changed),
        _in_paths(new.inherits, changed),
    )
    changed_rows = ResolutionInputs(
        files=new.files,
        go_modules=new.go_modules,
        rust_crates=new.rust_crates,
        symbols=changed_symbols,
        imports=changed_imports,
        inherits=changed_inherits,
        calls=new.calls.clear(),
    )
    if _mentioned_elsewhere(
        new, names, outside=changed, tokens=tokens, counted_inside=counted_before
    ) or _mentioned(changed_rows, names, outside=()):
        return None
    return sorted(changed)


def token_delta(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    """What the token counts gain from ``before`` to ``after`` (negative: lose), tokens whose
    count changed only."""
    delta = Counter(after)
    delta.subtract(before)
    return {token: count for token, count in delta.items() if count}


def _mentioned_elsewhere(
    inputs: ResolutionInputs,
    names: set[str],
    *,
    outside: Collection[str],
    tokens: TokenCounts | None,
    counted_inside: Counter[str],
) -> bool:
    """``_mentioned(inputs, names, outside=outside)``, from ``tokens`` (the counts of rows the
    same as ``inputs``' but in the files ``outside``, whose rows' counts are
    ``counted_inside``) when every name is one token as polars' regex reads it (a name with a
    character only Python's ``\\w`` takes is searched for)."""
    if (
        tokens is None
        or not pl.Series(sorted(names), dtype=pl.String).str.contains(rf"^{_TOKEN_PATTERN}$").all()
    ):
        return _mentioned(inputs, names, outside=outside)
    return any(tokens.count(name) > counted_inside[name] for name in names)


def _defined_in_several_files(symbols: pl.DataFrame, changed: Collection[str]) -> pl.LazyFrame:
    """(qualified_name, files): the qualified names of the ``changed`` files' symbols that more
    than one file defines, and how many files. (A part of a query: ``cpg_model.collected``.)"""
    names = _in_paths(symbols, changed).select(pl.col("qualified_name").unique())
    return (
        symbols.lazy()
        .join(names, on="qualified_name", how="semi")
        .group_by("qualified_name")
        .agg(files=pl.col("path").n_unique())
        .filter(pl.col("files") > 1)
    )


def _named_order(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Line-free symbol rows with ``_named``: each row's place among the rows of its file and
    qualified name, in source order (the frame's)."""
    return frame.with_columns(_named=pl.int_range(pl.len()).over("path", "qualified_name"))
