"""Parse and extract many files of one language, in a process pool when it pays off.

Plain Python (no Hamilton, no polars): spawned workers import only this module and
``hamilton_modules.languages`` (the package ``__init__`` is lazy), so a worker starts in
milliseconds instead of paying for polars and Hamilton.

- Each file is read and parsed exactly once; tree-sitter objects never leave ``extract_file``.
- Results are keyed by :class:`ContentKey` (content sha256 + the suffix that picks the grammar
  variant + what else of the path extraction reads: a JavaScript file's name), so identical
  files are parsed once and a later per-file cache can look results up by content. Rows of a
  duplicate get their own ``path``.
- ``workers``: 0 = all usable cores, 1 = in-process; with N > 1 the calling process parses too,
  next to N - 1 spawned workers. Small inputs are parsed in-process whatever
  ``workers`` says, because starting spawned workers costs more than it saves.
- The pool uses the ``spawn`` start method: forked children of a process that loaded polars hang.
  It is created once per process and reused by every language node, and shut down at exit.
- Chunks hold about ``total / (4 * workers)`` bytes (at least 256 KiB), biggest files first, so the
  pickling overhead stays small while the cores stay balanced.
- ``prestart`` (called by ``codeintel build`` before Hamilton and polars load) submits every
  language's chunks ahead, so the worker parses while the calling process is still starting up;
  ``extract_language`` takes them over (see the comment above ``prestart``).
"""

from __future__ import annotations

import atexit
import concurrent.futures
import concurrent.futures.process
import contextlib
import functools
import hashlib
import multiprocessing
import os
import pickle
import posixpath
import signal
import stat
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from hamilton_modules.walk import FileRecord

from hamilton_modules.extraction_store import (
    DirectoryExtractionStore,
    ExtractionStore,
    extractor_version,
    open_store,
)
from hamilton_modules.languages import (
    ColumnExtraction,
    extract_file_columns,
    file_name_read,
    warm_up,
)

# Below this many bytes in total, parsing in-process beats starting workers.
IN_PROCESS_BYTES = 512 * 1024
MIN_CHUNK_BYTES = 256 * 1024
FAMILIES: tuple[str, ...] = ("symbols", "imports", "calls", "inherits")


@dataclass(frozen=True, order=True)
class ContentKey:
    """All a file's extraction reads: its bytes (their sha256), its suffix, and the part of its
    path some languages read (``languages.file_name_read``)."""

    sha256: str
    suffix: str  # lower-case extension: picks the grammar variant (.ts vs .tsx)
    # a JavaScript file's own module name: `module.exports = function () {}` in makeThing.js is
    # a function makeThing, in a copy other.js one named other ("" in other languages)
    name: str = ""

    @classmethod
    def of(cls, path: str, sha256: str) -> ContentKey:
        return cls(sha256, posixpath.splitext(path)[1].lower(), file_name_read(path))


@dataclass(frozen=True)
class SourceFile:
    """A file the inventory accepted: where to read it and what it must hash to."""

    path: str  # POSIX, relative to the repository root
    sha256: str
    size: int

    @functools.cached_property
    def key(self) -> ContentKey:  # asked once per file and family by each table: made once
        return ContentKey.of(self.path, self.sha256)


# family -> (column names, one tuple of values per column); a family without rows is absent.
FamilyColumns = dict[str, tuple[tuple[str, ...], tuple[tuple[object, ...], ...]]]
# family -> the pickle of its entry (``encode_family``); a family without rows is absent.
EncodedFamilies = dict[str, bytes]
# What the per-file store keeps of a file and a parse worker sends (``FileColumns.stored``).
StoredColumns = tuple[int, dict[str, str], EncodedFamilies]


def encode_family(entry: tuple[tuple[str, ...], tuple[tuple[object, ...], ...]]) -> bytes:
    """One file's rows of one family (column names and values) as bytes: what the store keeps
    and what ``family_digest`` hashes."""
    return pickle.dumps(entry, protocol=5)


def _digest_of(encoded: bytes) -> str:
    return hashlib.blake2b(encoded, digest_size=16).hexdigest()


def family_digest(entry: tuple[tuple[str, ...], tuple[tuple[object, ...], ...]]) -> str:
    """A digest of one file's rows of one family (column names and values): equal digests,
    equal rows. Pickled, then hashed: equal rows pickled with other object sharing may give
    other bytes, which costs a cache miss, never a wrong hit."""
    return _digest_of(encode_family(entry))


@dataclass(frozen=True, eq=False)
class FileColumns:
    """One file's extraction stored by column: a fraction of the memory (and of the pickles the
    workers send back) that one dict per row takes.

    Each family is kept as its pickle (``encoded``, ``encode_family``) and unpickled the first
    time a table asks for its rows (``entry``): a one-file rebuild reads every file's entry from
    the per-file store but unpickles only the families whose tables it makes again (a new
    function: the symbols, not the call sites, two thirds of the bytes). ``digests``:
    ``family_digest`` of each family (the hash of those bytes), made where the file is extracted
    and kept with it, so that a run tells which family tables changed without hashing every
    file's rows again, and a stored entry is checked against them when it is read
    (``from_stored``). Immutable (``decoded`` is a cache); pickled, it is its ``stored``
    form."""

    encoded: EncodedFamilies
    error_count: int
    digests: dict[str, str]
    decoded: FamilyColumns = field(default_factory=dict, repr=False)

    @classmethod
    def of_families(cls, families: FamilyColumns, error_count: int) -> FileColumns:
        """The columns of ``families`` (each with rows), encoded and digested."""
        encoded = {family: encode_family(entry) for family, entry in families.items()}
        return cls(
            encoded=encoded,
            error_count=error_count,
            digests={family: _digest_of(data) for family, data in encoded.items()},
            decoded=dict(families),
        )

    @classmethod
    def of_columns(cls, extraction: ColumnExtraction) -> FileColumns:
        """``extraction``'s families with rows (column names, one tuple of values per column)."""
        families: FamilyColumns = {}
        for family in FAMILIES:
            columns = extraction.families[family]
            values = tuple(tuple(column) for column in columns.values())
            if values and values[0]:
                families[family] = (tuple(columns), values)
        return cls.of_families(families, extraction.error_count)

    def stored(self) -> StoredColumns:
        """What the per-file store keeps (pickled): plain values, no class of this code."""
        return (self.error_count, self.digests, self.encoded)

    @classmethod
    def of_stored(cls, value: StoredColumns) -> FileColumns:
        """The ``FileColumns`` of a ``stored`` value this process made or checked."""
        error_count, digests, encoded = value
        return cls(encoded=encoded, error_count=error_count, digests=digests)

    @classmethod
    def from_stored(cls, value: object) -> FileColumns | None:
        """The ``FileColumns`` of a ``stored`` value read back (unpickled), None when ``value``
        is none as this code makes it: another shape or type (another code's pickle loads too),
        a family not of :data:`FAMILIES`, bytes that do not hash to their digest (damaged)."""
        return cls.of_stored(value) if _is_stored(value) else None

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (_file_columns_of_stored, (self.stored(),))

    def entry(self, family: str) -> tuple[tuple[str, ...], tuple[tuple[object, ...], ...]] | None:
        """This file's rows of ``family`` (column names, one tuple of values per column), None
        when it has none; unpickled once."""
        entry = self.decoded.get(family)
        if entry is None:
            data = self.encoded.get(family)
            if data is None:
                return None
            # (two threads may both decode it: the same value, either one kept)
            entry = self.decoded[family] = pickle.loads(data)
        return entry

    @property
    def families(self) -> FamilyColumns:
        """Every family with rows, decoded."""
        return {family: entry for family in self.encoded if (entry := self.entry(family))}

    def digest(self, family: str) -> str:
        """``family_digest`` of this file's rows of ``family``; "-" when it has none."""
        return self.digests.get(family, "-")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FileColumns):
            return NotImplemented
        return self.error_count == other.error_count and self.families == other.families


def _file_columns_of_stored(value: StoredColumns) -> FileColumns:
    columns = FileColumns.from_stored(value)
    if columns is None:
        raise ValueError("not the stored form of a FileColumns")
    return columns


def _is_stored(value: object) -> TypeGuard[StoredColumns]:
    """Whether ``value`` is a ``FileColumns.stored`` value of this code, intact (see
    ``FileColumns.from_stored``)."""
    if type(value) is not tuple or len(value) != 3:
        return False
    error_count, digests, encoded = value
    if type(error_count) is not int or type(digests) is not dict or type(encoded) is not dict:
        return False
    if digests.keys() != encoded.keys() or not encoded.keys() <= _FAMILY_SET:
        return False
    return all(
        type(data) is bytes and _digest_of(data) == digests[family]
        for family, data in encoded.items()
    )


_FAMILY_SET = frozenset(FAMILIES)


@dataclass(frozen=True)
class LanguageExtraction:
    """One language's extraction: results by content, and which path has which content."""

    language: str
    by_content: dict[ContentKey, FileColumns]
    files: tuple[SourceFile, ...]  # sorted by path
    # the repository folder the files are in ("" = not said)
    root: str = field(default="", compare=False)
    # where the family frames made of it are kept for the next process (``language_subdag``'s
    # ``_LastFamilyFrames``): the per-file store's directory, "" = nowhere
    frames_directory: str = field(default="", compare=False)

    def columns(
        self, family: str, names: Sequence[str], files: Sequence[SourceFile] | None = None
    ) -> dict[str, list[object]]:
        """The columns ``names`` of one family, rows in path order, each duplicate file's rows
        with its own path; of the ``files`` (some of this extraction's, in its order) alone
        when given."""
        out: dict[str, list[object]] = {name: [] for name in names}
        by_content = self.by_content
        # Files of one family share their column order: look the positions up once per order.
        positions: dict[tuple[str, ...], list[tuple[list[object], int]]] = {}
        paths = out.get("path")
        for source in self.files if files is None else files:
            extraction = by_content.get(source.key)
            entry = None if extraction is None else extraction.entry(family)
            if entry is None:
                continue
            file_names, values = entry
            if len(file_names) != len(values):
                raise ValueError(
                    f"{source.path}: {family} has {len(values)} columns for {file_names}"
                )
            targets = positions.get(file_names)
            if targets is None:
                index = {name: position for position, name in enumerate(file_names)}
                targets = [(out[name], index[name]) for name in names if name != "path"]
                positions[file_names] = targets
            for column, position in targets:
                column.extend(values[position])
            if paths is not None:
                paths.extend([source.path] * len(values[0]))
        return out

    def rows(self, family: str) -> list[dict[str, object]]:
        """All rows of one family in path order, as dicts (see ``columns``)."""
        names = next(
            (entry[0] for c in self.by_content.values() if (entry := c.entry(family))),
            (),
        )
        columns = self.columns(family, names)
        return [
            dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)
        ]

    def cache_fingerprint(self) -> str:
        """Identity for Hamilton's cache: extractor version + which content each path has (and
        whether it was extracted); the rows follow from these, so they need not be hashed."""
        hasher = hashlib.sha256(f"{extractor_version()}\0{self.language}\0".encode())
        for source in self.files:
            extracted = "1" if source.key in self.by_content else "0"
            hasher.update(f"{source.path}\0{source.sha256}\0{extracted}\n".encode())
        return hasher.hexdigest()

    def family_fingerprint(self, family: str) -> str:
        """Identity of the rows of one family (``columns``): extractor version, and each path
        with its rows' digest; a change that leaves this family's rows as they were (a new
        function adds symbols, no calls) leaves it equal."""
        hasher = hashlib.sha256(f"{extractor_version()}\0{self.language}\0{family}\0".encode())
        for source in self.files:
            extraction = self.by_content.get(source.key)
            digest = "?" if extraction is None else extraction.digest(family)
            hasher.update(f"{source.path}\0{digest}\n".encode())
        return hasher.hexdigest()

    def family(self, family: str) -> FamilyExtraction:
        return FamilyExtraction(extraction=self, family=family)

    def error_counts(self) -> dict[str, int | None]:
        """Parse errors per path; None for a file that changed since the inventory read it."""
        counts: dict[str, int | None] = {}
        for source in self.files:
            extraction = self.by_content.get(source.key)
            counts[source.path] = None if extraction is None else extraction.error_count
        return counts


@dataclass(frozen=True, eq=False)
class FamilyExtraction:
    """The rows of one family of a language's extraction, identified for Hamilton's cache by
    their content (``LanguageExtraction.family_fingerprint``) rather than by the whole
    extraction's: the nodes that make that family's table from them stay cache hits while its
    rows are unchanged, whichever file changed."""

    extraction: LanguageExtraction
    family: str

    def columns(self, names: Sequence[str]) -> dict[str, list[object]]:
        return self.extraction.columns(self.family, names)

    def cache_fingerprint(self) -> str:
        return self.extraction.family_fingerprint(self.family)


@dataclass(frozen=True, eq=False)
class ParseErrorCounts:
    """The parse error count of each file of a language's extraction, identified for Hamilton's
    cache by the counts rather than by the whole extraction's identity: the ``parse_errors``
    table stays a cache hit while no file's count changed, whichever file changed."""

    extraction: LanguageExtraction

    def counts(self) -> dict[str, int | None]:
        return self.extraction.error_counts()

    def cache_fingerprint(self) -> str:
        language = self.extraction.language
        hasher = hashlib.sha256(f"{extractor_version()}\0{language}\0parse_errors\0".encode())
        for path, count in self.counts().items():
            hasher.update(f"{path}\0{count}\n".encode())
        return hasher.hexdigest()


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def effective_workers(workers: int) -> int:
    return usable_cores() if workers <= 0 else workers


def _extract_chunk(
    language: str, root: str, chunk: Sequence[tuple[str, str]]
) -> list[tuple[ContentKey, FileColumns | None]]:
    """Worker body: read, verify and extract each (path, sha256) of a chunk."""
    out: list[tuple[ContentKey, FileColumns | None]] = []
    # Files are opened relative to the pinned root (and never a FIFO or device).
    root_fd = open_root(root)
    try:
        for path, sha256 in chunk:
            out.append(_extract_one(language, root_fd, path, sha256))
    finally:
        if root_fd is not None:
            os.close(root_fd)
    return out


def _extract_chunk_pickled(
    language: str, root: str, chunk: Sequence[tuple[str, str]]
) -> list[tuple[ContentKey, bytes | None]]:
    """Pool worker body: ``_extract_chunk`` with each result pickled here, in the worker, in
    its stored form (``FileColumns.stored``), so the parent keeps these bytes in the per-file
    store as they are instead of pickling again."""
    return [
        (key, None if columns is None else pickle_stored(columns))
        for key, columns in _extract_chunk(language, root, chunk)
    ]


def pickle_stored(columns: FileColumns) -> bytes:
    """The bytes the per-file store keeps of ``columns``."""
    return pickle.dumps(columns.stored(), protocol=pickle.HIGHEST_PROTOCOL)


def unpickle_stored(data: bytes) -> FileColumns | None:
    """``FileColumns`` of ``pickle_stored`` bytes; None when they are no intact entry of this
    code (``FileColumns.from_stored``)."""
    try:
        value = pickle.loads(data)
    except Exception:  # truncated or foreign bytes
        return None
    return FileColumns.from_stored(value)


def _extract_chunk_versioned(
    language: str, root: str, chunk: Sequence[tuple[str, str]]
) -> tuple[str, list[tuple[ContentKey, bytes | None]]]:
    """Dask worker body: ``_extract_chunk_pickled`` and the worker's own ``extractor_version``,
    which the client compares with its own before it uses or stores a row (a worker installed
    from other code extracts other rows, which the store would keep under the client's
    version)."""
    return extractor_version(), _extract_chunk_pickled(language, root, chunk)


# (content key, result or None, its pickled bytes when a worker sent them)
Extracted = tuple[ContentKey, FileColumns | None, bytes | None]


def open_root(root: str) -> int | None:
    """A descriptor of the repository folder itself (never a symlink that replaced it since the
    inventory), for ``read_verified``; None when it cannot be opened. The caller closes it."""
    try:
        return os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None


def read_verified(root_fd: int, path: str, sha256: str) -> bytes | None:
    """The bytes of the inventory's ``path`` under the pinned root, or None when it is no longer a
    regular file, cannot be read, or changed since the inventory hashed it (never mix versions)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=root_fd)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            source = handle.read()
    except OSError:
        return None
    return source if hashlib.sha256(source).hexdigest() == sha256 else None


def read_verified_files(root: str, files: Iterable[tuple[str, str]]) -> list[tuple[str, bytes]]:
    """(path, bytes) of the inventory's (path, sha256) ``files``, in their order, read under the
    pinned ``root`` with ``read_verified``: a file that changed since the inventory or cannot
    be read is left out (build manifests: go.mod, go.work, Cargo.toml)."""
    files = list(files)
    if not files:
        return []
    root_fd = open_root(root)
    if root_fd is None:
        return []
    try:
        read = ((path, read_verified(root_fd, path, sha256)) for path, sha256 in files)
        return [(path, data) for path, data in read if data is not None]
    finally:
        os.close(root_fd)


def folder_in_repository(base_folder: str, target: str) -> str | None:
    """The repository folder a relative path names from ``base_folder`` ("" = the root), None
    for an absolute path or one that leaves the repository (never followed outside it)."""
    if target.startswith("/"):
        return None
    folder = posixpath.normpath(posixpath.join(base_folder, target))
    if folder == ".":
        return ""
    return None if folder == ".." or folder.startswith("../") else folder


def _extract_one(
    language: str, root_fd: int | None, path: str, sha256: str
) -> tuple[ContentKey, FileColumns | None]:
    key = ContentKey.of(path, sha256)
    source = None if root_fd is None else read_verified(root_fd, path, sha256)
    if source is None:
        return key, None
    return key, FileColumns.of_columns(extract_file_columns(language, path, source))


_POOLS: dict[int, concurrent.futures.ProcessPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()  # executors may run several extraction nodes in threads


# How often a parse worker looks whether the process that started it is still there.
_PARENT_POLL_SECONDS = 1.0


def _worker_started(parent: int) -> None:
    """A parse worker's start (the pool's initializer). Ctrl-C is the parent's to handle: sent
    to the whole process group (a terminal's Ctrl-C) it printed each worker's KeyboardInterrupt
    traceback; the parent's shutdown of the pool ends the workers. And a worker ends once its
    parent is gone: a parent killed outright (SIGKILL, the OOM killer) never shuts its pool down,
    and its workers waited for work forever (review r13c: they outlived a killed `--watch`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(
        target=_end_when_orphaned, args=(parent,), name="codeintel-parent-watch", daemon=True
    ).start()


def _end_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(1)


def _pool(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    with _POOLS_LOCK:
        pool = _POOLS.get(workers)
        if pool is None:
            pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_started,
                initargs=(os.getpid(),),
            )
            _POOLS[workers] = pool
        return pool


def _drop_pool(workers: int) -> None:
    with _POOLS_LOCK:
        _POOLS.pop(workers, None)


@atexit.register
def _shutdown_pools() -> None:
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)


def _chunks(
    files: Sequence[SourceFile],
    workers: int,
    *,
    per_worker: int = 4,
    min_bytes: int = MIN_CHUNK_BYTES,
) -> list[list[tuple[str, str]]]:
    total = sum(source.size for source in files)
    target = max(min_bytes, total // (per_worker * workers))
    chunks: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    current_bytes = 0
    for source in sorted(files, key=lambda item: (-item.size, item.path)):
        current.append((source.path, source.sha256))
        current_bytes += source.size
        if current_bytes >= target:
            chunks.append(current)
            current, current_bytes = [], 0
    if current:
        chunks.append(current)
    return chunks


@dataclass(frozen=True)
class _Submitted:
    """Chunks of one language handed to the pool of ``pool_workers`` processes."""

    chunks: list[list[tuple[str, str]]]
    futures: list[concurrent.futures.Future[list[tuple[ContentKey, bytes | None]]]]
    pool_workers: int


def _submit(
    language: str, root: str, chunks: list[list[tuple[str, str]]], pool_workers: int
) -> _Submitted:
    pool = _pool(pool_workers)
    futures = [pool.submit(_extract_chunk_pickled, language, root, chunk) for chunk in chunks]
    return _Submitted(chunks=chunks, futures=futures, pool_workers=pool_workers)


def _extract_with_pool(language: str, root: str, submitted: _Submitted) -> list[Extracted]:
    """The pool's workers take chunks from the front, this process from the back.

    The calling process works too (it would only wait otherwise) and covers the workers'
    start-up time: a chunk whose future can still be cancelled has not started in a worker.
    """
    chunks, futures = submitted.chunks, submitted.futures
    local: dict[int, list[tuple[ContentKey, FileColumns | None]]] = {}
    for position in range(len(chunks) - 1, -1, -1):
        if not futures[position].cancel():
            break
        local[position] = _extract_chunk(language, root, chunks[position])
    results: list[Extracted] = []
    for position, future in enumerate(futures):
        if position in local:
            results.extend((key, columns, None) for key, columns in local[position])
            continue
        try:
            pickled = future.result()
        except (concurrent.futures.process.BrokenProcessPool, concurrent.futures.CancelledError):
            # A worker died (killed, out of memory, or a main module without the
            # `if __name__ == "__main__"` guard that spawn needs): finish here, drop the pool.
            # (Cancelled: the pool was shut down at exit while a prestarted chunk waited.)
            _drop_pool(submitted.pool_workers)
            redone = _extract_chunk(language, root, chunks[position])
            results.extend((key, columns, None) for key, columns in redone)
            continue
        results.extend(
            (key, None if data is None else unpickle_stored(data), data) for key, data in pickled
        )
    return results


# --- prestart: parsing ahead of the dataflow ------------------------------------------------------
# A cold `codeintel build` spends its first ~0.7 s importing polars and Hamilton and building the
# driver, on one core. `prestart` uses that time: it lists the repository with the inventory's
# own walk (`repository_files`: the same files, .gitignore and limits), starts the worker
# pool and submits the chunks of every language, largest language first, then returns. When the
# dataflow's `extraction` node of a language runs, it takes that language's submitted chunks
# as if it had submitted them itself (`_extract_with_pool`: chunks not started yet are done by
# the calling process, the others collected). Results are keyed by content (ContentKey: sha256,
# suffix, a JavaScript file's name) and extraction is a function of the key alone, so using them
# cannot change any output: a file the inventory sees with other content, or not at all, simply
# does not find its key and is parsed as usual; results nobody asks for are dropped.
# The walk runs in the calling thread (~20 ms for tokio's 3.7 MB): in a background thread it
# took ~0.4 s, waiting for the GIL after every file read while the main thread imports.

_PRESTARTED: dict[str, dict[str, _Submitted]] = {}  # repository real path -> language -> chunks
_PRESTART_LOCK = threading.Lock()


def prestart(
    *,
    root: str,
    languages: Sequence[str],
    workers: int,
    max_file_bytes: int,
    extraction_cache_dir: str = "",
    files: Sequence[FileRecord] | None = None,
) -> None:
    """Start parsing ``root`` in the worker pool now, ahead of the dataflow (see above).

    ``files``: the repository's walk when the caller has it already (``repository_files``).

    Returns once the chunks are submitted (a walk of the repository). Nothing is started for
    one worker, or when the files of ``languages`` that the extraction store in
    ``extraction_cache_dir`` ("" = none) does not hold total less than :data:`IN_PROCESS_BYTES`
    (parsed in-process anyway): a warm re-run with one changed file spawns no process.
    """
    n_workers = effective_workers(workers)
    if n_workers == 1:
        return
    real_root = os.path.realpath(root)
    with _PRESTART_LOCK:
        previous = _PRESTARTED.pop(real_root, {})
    for submitted in previous.values():
        for future in submitted.futures:
            future.cancel()
    by_language = _submit_ahead(
        root=real_root,
        languages=tuple(languages),
        n_workers=n_workers,
        max_file_bytes=max_file_bytes,
        extraction_cache_dir=extraction_cache_dir,
        files=files,
    )
    if by_language:
        with _PRESTART_LOCK:
            _PRESTARTED[real_root] = by_language


def _submit_ahead(
    *,
    root: str,
    languages: tuple[str, ...],
    n_workers: int,
    max_file_bytes: int,
    extraction_cache_dir: str,
    files: Sequence[FileRecord] | None,
) -> dict[str, _Submitted]:
    from hamilton_modules import repository_files

    try:
        records = (
            files
            if files is not None
            else repository_files(repo_path=root, max_file_bytes=max_file_bytes)
        )
    except Exception:  # whatever it is, the inventory meets it too and reports it
        return {}
    found: dict[str, dict[ContentKey, SourceFile]] = {}
    for record in records:
        if record.status == "ok" and record.language in languages and record.sha256:
            source = SourceFile(path=record.path, sha256=record.sha256, size=record.size)
            found.setdefault(record.language, {}).setdefault(source.key, source)
    store = open_store(extraction_cache_dir)
    held: set[ContentKey] = set()
    if store is not None:  # what the store has is not parsed again, ahead or later
        held = store.held(key for unique in found.values() for key in unique)
        for unique in found.values():
            for key in held & unique.keys():
                del unique[key]
    sizes = {
        language: sum(source.size for source in unique.values())
        for language, unique in found.items()
        if unique
    }
    in_process = sum(sizes.values()) < IN_PROCESS_BYTES
    _ahead(
        store=store if held else None,
        held=held,
        languages=sorted(sizes) if in_process else [],  # parsed in this process, later
    )
    if in_process:
        return {}
    by_language: dict[str, _Submitted] = {}
    for language in sorted(sizes, key=lambda name: (-sizes[name], name)):
        # Smaller chunks than usual: the calling process takes over the ones not started when
        # it gets to the language, and waits for at most two (running + queued) of the worker.
        chunks = _chunks(
            list(found[language].values()),
            n_workers,
            per_worker=8,
            min_bytes=MIN_CHUNK_BYTES // 2,
        )
        by_language[language] = _submit(language, root, chunks, n_workers - 1)
    return by_language


# The rest of what a build's extraction needs, made in a background thread while the process
# imports: the stored entries of the files the store holds, read into its memory (SQLite reads,
# and hashes them to check them, without holding the GIL; ~0.015 s for tokio), and when the
# files left to parse are few (a one-file rebuild, parsed in this process) their languages'
# compiled queries (tree-sitter compiles them without the GIL; ~0.02 s for Rust), rather than
# the extraction node doing both in turn. The extraction waits for the thread (``_await_ahead``)
# instead of doing the same work next to it.
_AHEAD: list[threading.Thread] = []
_AHEAD_LOCK = threading.Lock()


def _ahead(
    *, store: DirectoryExtractionStore | None, held: Iterable[ContentKey], languages: Sequence[str]
) -> None:
    if store is None and not languages:
        return
    keys = list(held)

    def run() -> None:
        with contextlib.suppress(Exception):  # the extraction meets the same error, says so
            if store is not None:
                store.preload(keys)
            for language in languages:
                warm_up(language)

    thread = threading.Thread(target=run, name="codeintel-extraction-ahead", daemon=True)
    with _AHEAD_LOCK:
        _AHEAD[:] = [running for running in _AHEAD if running.is_alive()]
        _AHEAD.append(thread)
    thread.start()


def _await_ahead() -> None:
    """Wait for what ``prestart`` started in this process's background (see above)."""
    with _AHEAD_LOCK:
        threads = list(_AHEAD)
    for thread in threads:
        thread.join()


def _take_prestarted(root: str, language: str) -> _Submitted | None:
    """The chunks ``prestart`` submitted for this language, once."""
    with _PRESTART_LOCK:
        return _PRESTARTED.get(os.path.realpath(root), {}).pop(language, None)


def _extract_on_cluster(
    language: str, root: str, pending: Sequence[SourceFile], address: str
) -> list[Extracted]:
    """Every pending file on the Dask cluster at ``address``, chunked for its worker threads;
    ``ParseClusterError`` when a worker runs other extraction code than this process."""
    from hamilton_modules.parse_cluster import (
        ParseClusterError,
        cluster_threads,
        map_on_cluster,
        on_each_worker,
    )

    chunks = _chunks(pending, cluster_threads(address))
    ours = extractor_version()

    def refuse(theirs: Iterable[str]) -> None:
        other = sorted(set(theirs) - {ours})
        if other:
            raise ParseClusterError(
                f"the Dask workers at {address} run other extraction code than this process: "
                f"extractor version {', '.join(version[:16] for version in other)} on the "
                f"workers, {ours[:16]} here (install the same codeintel on both); nothing they "
                "sent was used or stored"
            )

    # Asked first with a function every version has: a worker older than
    # _extract_chunk_versioned given it would not fail the task but leave it waiting.
    versions = on_each_worker(address, extractor_version)
    refuse(versions.values())
    versioned = map_on_cluster(
        address,
        _extract_chunk_versioned,
        [language] * len(chunks),
        [root] * len(chunks),
        chunks,
        workers=sorted(versions),
    )
    refuse(version for version, _ in versioned)  # (a worker restarted on other code)
    return [
        (key, None if data is None else unpickle_stored(data), data)
        for _, chunk in versioned
        for key, data in chunk
    ]


def extract_language(
    *,
    language: str,
    root: str,
    files: Sequence[SourceFile],
    workers: int,
    store: ExtractionStore | None = None,
    dask_scheduler: str = "",
) -> LanguageExtraction:
    """Extract every file of ``language`` once per distinct content (see module docstring).

    ``store``: per-file results by content key; only contents it lacks are parsed, then added.
    ``dask_scheduler``: parse on that Dask cluster's workers instead (``parse_cluster``).
    """
    ordered = tuple(sorted(files, key=lambda item: item.path))
    unique: dict[ContentKey, SourceFile] = {}
    for source in ordered:
        unique.setdefault(source.key, source)
    by_content: dict[ContentKey, FileColumns] = {}
    _await_ahead()
    if store is not None:
        by_content.update(store.get_many(unique))
    pending = [source for key, source in unique.items() if key not in by_content]
    results: list[Extracted] = []
    prestarted = None if dask_scheduler else _take_prestarted(root, language)
    if prestarted is not None:
        wanted = {source.key for source in pending}
        if wanted:
            results = [
                result
                for result in _extract_with_pool(language, root, prestarted)
                if result[1] is not None and result[0] in wanted
            ]
            done = {key for key, _, _ in results}
            pending = [source for source in pending if source.key not in done]
        else:
            for future in prestarted.futures:
                future.cancel()
    n_workers = effective_workers(workers)
    total = sum(source.size for source in pending)
    if dask_scheduler and pending:
        results += _extract_on_cluster(language, root, pending, dask_scheduler)
    elif n_workers == 1 or total < IN_PROCESS_BYTES or len(pending) < 2:
        chunk = [(s.path, s.sha256) for s in pending]
        results += [(key, columns, None) for key, columns in _extract_chunk(language, root, chunk)]
    else:
        submitted = _submit(language, root, _chunks(pending, n_workers), n_workers - 1)
        results += _extract_with_pool(language, root, submitted)
    extracted = {key: columns for key, columns, _ in results if columns is not None}
    by_content.update(extracted)
    if store is not None:
        store.put_many(
            extracted, pickled={key: data for key, _, data in results if data is not None}
        )
    return LanguageExtraction(language=language, by_content=by_content, files=ordered, root=root)
