"""Per-file extraction results keyed by content: one changed file re-parses one file.

Hamilton's node cache keys ``<language>.extraction`` by the whole inventory, so any changed file
would re-parse every file of the language. This store keeps each file's ``FileColumns`` under its
content key (``parsing.ContentKey``: sha256 + suffix, and a JavaScript file's name, which its
extraction reads too) and the extractor version (a hash of the extraction code and the
tree-sitter wheels), so an unchanged file is loaded, never parsed again, whichever folder or
repository it is in.

Layout: one SQLite database per extractor version, ``<dir>/<extractor version[:16]>.sqlite``, table
``entries(key, value, used)``: ``value`` is the pickled ``FileColumns.stored`` (error count,
digests, each family's own pickle: a read unpickles only the families a build asks for), ``used``
the day (days since the epoch) of the last hit. One database and one transaction per ``put_many`` instead of a
file per entry: a cold tokio build stores 540 entries, and creating 540 files (temporary file +
rename each) cost more than the rest of the cache together. Readers never see a half-written
entry (transactions); concurrent processes wait for each other's short write transactions (rollback
journal, busy timeout), and writing an entry another process wrote meanwhile is harmless (same key,
same bytes). Entries unused for ``MAX_AGE_DAYS`` are deleted by the next ``put_many``; the file's
modification time follows its last write (at least daily while it is used), so the cache root's
pruning by age and size (``orchestration.caching``) drops the databases of old extractor versions.

Writes are off the critical path: ``put_many`` hands its batch (pickling included) to one
background thread per process (``WriterThread``) and returns; the dataflow goes on with the values
it already has. Every batch is committed before the process exits (the interpreter joins the
thread, as multiprocessing does in a child process), and before any read of the store in this
process (``get_many``, ``held``, ``entry_count``), so a second build in the same process sees the
first one's entries; ``flush_writes()`` waits explicitly. A process killed mid-write loses only entries
(the rollback journal undoes the half-written transaction): the next build parses those files.

Damage is never an error: an entry that does not unpickle, or unpickles as anything but a
stored ``FileColumns`` of this code with intact families (``FileColumns.from_stored``: each
family's bytes hash to its digest), is a miss (re-extracted and replaced); a database SQLite
cannot read is moved aside (``*.corrupt-<ns>``) and started afresh; a full or read-only disk
costs speed, never the build.

A store object keeps the entries it read and wrote in memory (checked, the ``FileColumns``
themselves with the families unpickled so far, up to ``RECENT_MAX_BYTES``, the least recently
used dropped first), and ``open_store`` gives one object per directory per process: a ``codeintel
build --watch`` finds every unchanged file there, without reading or checking the language's
entries from the database again (~0.03 s for tokio) or unpickling their symbols again. An entry
is a function of its key, so what a store object remembers stays right whatever happens to the
database meanwhile; but a database no longer at its path (the cache deleted, the file moved
aside) gets a new object, or the entries it lacks would never be written again
(``StoreObjects``). Another process reads the database.

The directory also keeps the last frame of each language's families (symbols, calls...), made
of these entries' rows, for the next process to splice
(``frame-<repository>-<language>-<family>.arrow``, ``language_subdag._LastFamilyFrames``),
written by a writer thread of their own.

Plain Python: no Hamilton, no orchestration. The directory comes in as the Hamilton input
``extraction_cache_dir`` ("" = no store), which the runner fills from its cache root.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import os
import re
import sqlite3
import sys
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from hamilton_modules.parsing import ContentKey, FileColumns

_PACKAGE = Path(__file__).resolve().parent
# Code whose change changes what a file extracts to.
_EXTRACTOR_SOURCES = ("languages", "parsing.py")
_DISTRIBUTIONS = (
    "tree-sitter",
    "tree-sitter-python",
    "tree-sitter-rust",
    "tree-sitter-typescript",
    "tree-sitter-javascript",
    "tree-sitter-go",
    "tree-sitter-java",
)
DATABASE_SUFFIX = ".sqlite"
_DIST_INFO = ".dist-info"
MAX_AGE_DAYS = 30
# Well below SQLite's limit on bound parameters (32,766).
_QUERY_BATCH = 900
_BUSY_TIMEOUT_SECONDS = 60.0
# What a store object keeps in memory of the entries it read and wrote (``_RecentEntries``), in
# bytes, counted as if every family were unpickled: tokio's 540 files, 2.7 MB encoded, ~15 MB.
RECENT_MAX_BYTES = 64 << 20
_ENTRY_OVERHEAD = 512  # (the dicts, digests and name of an entry, roughly)
_DECODED_PER_ENCODED = 6  # (unpickled families take ~5.5 times their pickles' bytes: tokio)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries "
    "(key TEXT PRIMARY KEY, value BLOB NOT NULL, used INTEGER NOT NULL)"
)


class ExtractionStore(Protocol):
    """Where ``extract_language`` looks up and keeps per-file results."""

    def get_many(self, keys: Iterable[ContentKey]) -> dict[ContentKey, FileColumns]: ...

    def held(self, keys: Iterable[ContentKey]) -> set[ContentKey]: ...

    def put_many(
        self,
        results: Mapping[ContentKey, FileColumns],
        *,
        pickled: Mapping[ContentKey, bytes] | None = None,
    ) -> None: ...


@functools.cache
def extractor_version() -> str:
    """sha256 over the extraction code (sources, queries) and the tree-sitter wheel versions."""
    hasher = hashlib.sha256()
    for name in _EXTRACTOR_SOURCES:
        base = _PACKAGE / name
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for path in files:
            if (
                path.is_file()
                and path.suffix in {".py", ".scm"}
                and "__pycache__" not in path.parts
            ):
                hasher.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
                hasher.update(path.read_bytes() + b"\0")
    listed = _listed_versions(_DISTRIBUTIONS)
    for distribution in _DISTRIBUTIONS:
        version = listed.get(distribution)
        if version is None:
            try:
                version = importlib.metadata.version(distribution)
            except importlib.metadata.PackageNotFoundError:
                version = "-"
        hasher.update(f"{distribution}={version}\0".encode())
    return hasher.hexdigest()


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _listed_versions(distributions: Iterable[str]) -> dict[str, str]:
    """Versions of ``distributions`` read from the names of ``*.dist-info`` folders
    (``name-version.dist-info``) in ``sys.path`` order, the first folder that has one deciding,
    as for ``importlib.metadata`` and the import itself: it parses each distribution's METADATA
    file, ~20 ms for the grammar wheels, in every process. A distribution found twice in its
    first folder, or not at all, is left out (the caller asks ``importlib.metadata``)."""
    wanted = {_normalized(name): name for name in distributions}
    found: dict[str, list[str]] = {}
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        here: dict[str, list[str]] = {}
        for entry in entries:
            if not entry.endswith(_DIST_INFO):
                continue
            name, _, version = entry[: -len(_DIST_INFO)].partition("-")
            distribution = wanted.get(_normalized(name))
            if distribution is not None and version and distribution not in found:
                here.setdefault(distribution, []).append(version)
        found.update(here)
    return {name: versions[0] for name, versions in found.items() if len(versions) == 1}


class WriterThread:
    """One thread per process that runs the submitted writes in order. A ``ThreadPoolExecutor``:
    the interpreter at exit, and multiprocessing's child bootstrap (also before a forked child's
    ``os._exit``), join its thread after the writes queued so far. A forked child inherits the
    executor but not its thread: it starts its own. The same class is in
    ``orchestration.caching`` (the layers share no code)."""

    def __init__(self, name: str, *, initializer: Callable[[], None] | None = None) -> None:
        self._name, self._initializer = name, initializer
        self._lock = threading.Lock()
        self._pid = 0
        self._executor: ThreadPoolExecutor | None = None
        self._last: Future[None] | None = None

    def submit(self, write: Callable[[], None]) -> None:
        with self._lock:
            if self._executor is None or self._pid != os.getpid():
                self._executor = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix=self._name, initializer=self._initializer
                )
                self._pid = os.getpid()
            try:
                self._last = self._executor.submit(write)
                return
            except RuntimeError:  # the interpreter is shutting down: no new threads
                pass
        with contextlib.suppress(Exception):  # here as in the thread: an error = not stored
            write()

    def wait(self) -> None:
        """Wait until every write submitted in this process has run (a write's error stays in
        its future: a value not stored)."""
        with self._lock:
            last = self._last if self._pid == os.getpid() else None
        if last is not None:
            wait([last])  # one thread, in order: the last done, all done


_WRITER = WriterThread("extraction-store-writer")


def flush_writes() -> None:
    """Wait until every ``put_many`` of this process is committed (or failed quietly)."""
    _WRITER.wait()


# How much nicer than the dataflow a writer thread that must not compete with it runs
# (``lower_this_threads_priority``).
WRITER_NICENESS = 10


def lower_this_threads_priority() -> None:
    """Nice this thread (Linux: per thread) so that it takes the cores the dataflow leaves idle
    rather than competing with it (``orchestration.caching`` nices its writer so too)."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WRITER_NICENESS)


# The thread that stores the family frames (``language_subdag``): its own, niced (a store's
# read waits for the store's writes, never for these: the first rebuild of a --watch process
# waited ~60-80 ms for its first build's frames), in order. Here, not in language_subdag: a
# driver module's public function is a node of the dataflow.
FRAME_WRITER = WriterThread("family-frame-writer", initializer=lower_this_threads_priority)


def flush_frame_writes() -> None:
    """Wait until every family frame this process handed to be stored is (or failed quietly)."""
    FRAME_WRITER.wait()


def current_day() -> int:
    """Days since the epoch (UTC): what a store records as an entry's day of last use."""
    return int(time.time() // 86400)


class ExtractionStoreWarning(UserWarning):
    """Per-file extractions could not be read (a damaged store or entry); those files are
    parsed again (the run goes on)."""


def warn_store(message: str) -> None:
    """Warn that a store could not be read or written (an ``ExtractionStoreWarning``, attributed
    to the caller of the store's method); the run goes on, recomputing what it could not use."""
    # As the Hamilton cache warns (``orchestration.caching``): recompute, and say so.
    warnings.warn(message, ExtractionStoreWarning, stacklevel=3)


def _entries_in(connection: sqlite3.Connection, columns: str, names: list[str]) -> Iterator[Any]:
    """``columns`` of the entries whose key is in ``names``, in batches SQLite accepts."""
    for start in range(0, len(names), _QUERY_BATCH):
        batch = names[start : start + _QUERY_BATCH]
        yield from connection.execute(
            f"SELECT {columns} FROM entries WHERE key IN ({','.join('?' * len(batch))})", batch
        )


class _RecentEntries:
    """The entries one store object read or wrote (checked), by entry name, with the day each
    was last marked used in the database; the least recently used go first once they hold more
    than ``max_bytes`` (each counted as if all its families were unpickled)."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[FileColumns, int, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def recall(self, names: Iterable[str]) -> dict[str, tuple[FileColumns, int]]:
        """(entry, day last marked used) of the ``names`` kept here."""
        recalled: dict[str, tuple[FileColumns, int]] = {}
        with self._lock:
            for name in names:
                kept = self._entries.get(name)
                if kept is not None:
                    self._entries.move_to_end(name)
                    recalled[name] = (kept[0], kept[2])
        return recalled

    def known(self, names: Iterable[str]) -> set[str]:
        with self._lock:
            return {name for name in names if name in self._entries}

    def keep(self, name: str, columns: FileColumns, used: int) -> None:
        encoded = sum(len(data) for data in columns.encoded.values())
        size = _ENTRY_OVERHEAD + _DECODED_PER_ENCODED * encoded
        if size > self._max_bytes:
            return
        with self._lock:
            old = self._entries.pop(name, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[name] = (columns, size, used)
            self._bytes += size
            while self._bytes > self._max_bytes:
                _, (_, dropped, _) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def mark_used(self, names: Iterable[str], day: int) -> None:
        with self._lock:
            for name in names:
                kept = self._entries.get(name)
                if kept is not None:
                    self._entries[name] = (kept[0], kept[1], day)


def _entry_key(key: ContentKey) -> str:
    # (a suffix never holds "/", a file's name never does)
    return f"{key.sha256}{key.suffix}/{key.name}" if key.name else f"{key.sha256}{key.suffix}"


class DirectoryExtractionStore:
    """The content-addressed store described in the module docstring."""

    # (what the damage warning names: ``resolution_store`` keeps another store this way)
    what = "per-file extraction store"
    consequence = "its files are parsed again"

    def __init__(self, directory: str | os.PathLike[str], *, version: str | None = None) -> None:
        self.version = version or extractor_version()
        self.directory = Path(directory)
        self.path = self.directory / f"{self.version[:16]}{DATABASE_SUFFIX}"
        self._recent = _RecentEntries(RECENT_MAX_BYTES)
        self._database: tuple[int, int] | None = None  # ``_file_identity`` of the one connected to

    def uses_its_database(self) -> bool:
        """Whether the database this object connected to (if it did) is still at its path:
        not when the cache was deleted or the file moved aside by another process meanwhile."""
        return self._database is None or _file_identity(self.path) == self._database

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection with the table in place; a database SQLite cannot read is moved aside
        and replaced by an empty one."""
        self.directory.mkdir(parents=True, exist_ok=True)
        for attempt in range(2):
            connection = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_SECONDS)
            try:
                connection.execute(_SCHEMA)
            except sqlite3.DatabaseError:
                connection.close()
                if attempt or not self._is_damaged():
                    raise  # locked for longer than the timeout, or damaged again: give up
                self._move_aside()
                continue
            self._database = _file_identity(self.path)
            try:
                yield connection
            finally:
                connection.close()
            return

    def _is_damaged(self) -> bool:
        try:
            with contextlib.closing(sqlite3.connect(self.path, timeout=1.0)) as connection:
                status = connection.execute("PRAGMA quick_check").fetchone()
            return not status or status[0] != "ok"
        except sqlite3.OperationalError as exc:
            return "locked" not in str(exc) and "busy" not in str(exc)
        except sqlite3.DatabaseError:
            return True

    def _move_aside(self) -> None:
        aside = f"{self.path}.corrupt-{time.time_ns()}"
        for suffix in ("", "-journal"):
            with contextlib.suppress(OSError):
                os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
        warn_store(
            f"cache: {self.what} {self.path} is damaged; moved aside to {aside} "
            f"and started afresh: {self.consequence}"
        )

    def get_many(self, keys: Iterable[ContentKey]) -> dict[ContentKey, FileColumns]:
        found, unreadable = self._load(keys)
        if unreadable:
            warn_store(
                f"cache: {unreadable} unreadable per-file extraction(s) in {self.path}; "
                "those files are parsed again"
            )
        return found

    def preload(self, keys: Iterable[ContentKey]) -> None:
        """Read the entries of ``keys`` into memory (``parsing.prestart``, in a background thread
        while the process imports), so that ``get_many`` finds them there. Quiet: an unreadable
        entry is left to ``get_many``, which says so."""
        self._load(keys)

    def _load(self, keys: Iterable[ContentKey]) -> tuple[dict[ContentKey, FileColumns], int]:
        """The entries of ``keys`` found (in memory, else in the database) and how many of them
        the database holds unreadable."""
        from hamilton_modules.parsing import unpickle_stored  # (parsing imports us)

        by_entry = {_entry_key(key): key for key in keys}
        if not by_entry:
            return {}, 0
        today = current_day()
        found: dict[ContentKey, FileColumns] = {}
        stale: list[str] = []  # hits whose last-use day is older than today
        recalled = self._recent.recall(by_entry)
        for name, (columns, used) in recalled.items():
            found[by_entry[name]] = columns
            if used < today:
                stale.append(name)
        names = [name for name in by_entry if name not in recalled]
        if not names and not stale:
            return found, 0  # (no database read: nothing of it is needed)
        flush_writes()  # this process's own pending entries first
        if not self.path.exists():
            return found, 0
        unreadable = 0
        # (a failure part-way: what was read is good; the rest are misses)
        with contextlib.suppress(sqlite3.DatabaseError, OSError), self._connect() as connection:
            for name, value, used in _entries_in(connection, "key, value, used", names):
                columns = unpickle_stored(value)
                if columns is None:  # truncated, foreign or damaged: a miss, replaced later
                    unreadable += 1
                    continue
                found[by_entry[name]] = columns
                self._recent.keep(name, columns, today)
                if used < today:
                    stale.append(name)
            if stale:  # at most one small write a day per entry (keeps pruning by age right)
                with connection:
                    connection.executemany(
                        "UPDATE entries SET used = ? WHERE key = ?",
                        [(today, name) for name in stale],
                    )
                self._recent.mark_used(stale, today)
        return found, unreadable

    def held(self, keys: Iterable[ContentKey]) -> set[ContentKey]:
        """Which of ``keys`` the store holds, without loading them (what not to parse ahead)."""
        by_entry = {_entry_key(key): key for key in keys}
        recalled = self._recent.known(by_entry)
        held = {by_entry[name] for name in recalled}
        names = [name for name in by_entry if name not in recalled]
        if not names:
            return held
        flush_writes()
        if not self.path.exists():
            return held
        try:
            with self._connect() as connection:
                held.update(by_entry[name] for (name,) in _entries_in(connection, "key", names))
        except (sqlite3.DatabaseError, OSError):
            return held
        return held

    def put_many(
        self,
        results: Mapping[ContentKey, FileColumns],
        *,
        pickled: Mapping[ContentKey, bytes] | None = None,
    ) -> None:
        """Store ``results`` in the background (module docstring); ``pickled`` has the bytes of
        some of them already (``parsing.pickle_stored``, made by the parse workers, which pickle
        their results anyway to send them). The values are immutable: pickled later, they give
        the same bytes."""
        if not results:
            return
        today = current_day()
        for key, columns in results.items():
            self._recent.keep(_entry_key(key), columns, today)
        batch, known = dict(results), dict(pickled or {})
        _WRITER.submit(lambda: self._write(batch, known))

    def _write(
        self, results: Mapping[ContentKey, FileColumns], pickled: Mapping[ContentKey, bytes]
    ) -> None:
        from hamilton_modules.parsing import pickle_stored

        today = current_day()
        rows = [
            (_entry_key(key), pickled.get(key) or pickle_stored(value), today)
            for key, value in results.items()
        ]
        # A full, read-only or locked disk costs speed, never the build.
        with (
            contextlib.suppress(sqlite3.DatabaseError, OSError),
            self._connect() as connection,
            connection,
        ):
            connection.executemany(
                "INSERT OR REPLACE INTO entries (key, value, used) VALUES (?, ?, ?)", rows
            )
            connection.execute("DELETE FROM entries WHERE used < ?", (today - MAX_AGE_DAYS,))

    def entry_count(self) -> int:
        """How many entries the store holds (0 when it has no database yet)."""
        flush_writes()
        if not self.path.exists():
            return 0
        with self._connect() as connection:
            return int(connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0])


def _file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of ``path``, None when nothing is there."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


Store = TypeVar("Store", bound=DirectoryExtractionStore)


class StoreObjects(Generic[Store]):
    """One store object per directory in a process, so that what it read and wrote stays in
    memory for the next build (a ``--watch`` rebuild), of the last directory only (what it keeps
    is bounded once per process). A new object when the database the last one used is no longer
    at its path (review r14b: its memory served the entries the new database lacks, which were
    then never written again: the next process parsed those files again)."""

    def __init__(self, make: Callable[[str], Store]) -> None:
        self._make = make
        self._opened: dict[str, Store] = {}
        self._lock = threading.Lock()

    def open(self, directory: str) -> Store | None:
        """The object for ``directory``, None for "" (no store)."""
        if not directory:
            return None
        with self._lock:
            store = self._opened.get(directory)
            if store is None or not store.uses_its_database():
                self._opened.clear()
                store = self._opened[directory] = self._make(directory)
            return store


_STORES = StoreObjects(DirectoryExtractionStore)


def open_store(directory: str) -> DirectoryExtractionStore | None:
    """The per-file store under ``directory``, None for "" (no per-file cache): one object per
    directory in a process (``StoreObjects``)."""
    return _STORES.open(directory)
