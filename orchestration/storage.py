"""Where and how asset values are written: one layout, one writer for Dagster and `codeintel build`.

Layout: ``<root>/<asset key path>.parquet`` for tables (polars DataFrame, pyarrow Table) and
``<root>/<asset key path>.json`` for any other JSON-serializable value. The Dagster IO manager uses
``<warehouse>/<partition key>`` as root, ``codeintel build`` uses ``--out DIR``; both call
``write_value``, so the same value gives the same bytes.

Writes are atomic: the bytes go to a temporary file in the target folder, are fsynced, then renamed
over the final name, so a reader never sees a torn file and a failed write leaves the previous file.
``staged_writes`` writes several files as one unit: all temporaries first, then all renames in
order, so a write that fails part-way (disk full) leaves every previous file as it was. Files get
the mode a plain ``open()`` would give (0o666 minus the umask), not ``mkstemp``'s owner-only 0o600.

``ValueHandOff``: tables a process has just written (or read) are served from memory to a later
reader in the same process for as long as their file is unchanged, instead of decoding the file
that was encoded a moment before (the Dagster IO manager keeps one per run; the cache's result
store keeps one for the entries it decoded, ``orchestration.caching``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import stat
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.temporaries import sweep_orphaned_temporaries

if TYPE_CHECKING:
    import polars as pl

# A file's identity as ``file_identity`` gives it: device, inode, size, modification and change
# times.
FileIdentity = dict[str, int]

# polars is imported where a value may be a frame (writes, reads): the atomic writer alone
# (orchestration.code_versions, the registry) does not load it.

# The Parquet writer's settings, one place (every table written, and the version tokens). zstd
# at level 1 with a 256 KiB dictionary page: against level 3 with pyarrow's 1 MiB page, the six
# corpora's 67 tables encode in ~0.76 of the time (tokio's CPG edges ~17 -> ~10 ms, on the
# critical path of a materialization: its op waits for the file), read as fast, and are ~4%
# smaller (a column of ids, ~all distinct, stops building a dictionary sooner). No creation
# timestamps or writer versions that vary between runs.
PARQUET_WRITE_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 1,
    "dictionary_pagesize_limit": 256 << 10,
    "write_statistics": True,
    "store_schema": True,
}


class StorageError(RuntimeError):
    """A value could not be written or read; the message says which file and why."""


def value_path(root: Path, key_path: Sequence[str], value: Any) -> Path:
    import polars as pl

    suffix = ".parquet" if isinstance(value, pl.DataFrame | pa.Table) else ".json"
    return root.joinpath(*key_path).with_suffix(suffix)


def table_path(root: Path, key_path: Sequence[str]) -> Path:
    """The Parquet file of the table ``key_path`` under ``root``."""
    return root.joinpath(*key_path).with_suffix(".parquet")


def existing_value_path(root: Path, key_path: Sequence[str]) -> Path:
    """The stored file for ``key_path`` (Parquet or JSON); StorageError when there is none."""
    base = root.joinpath(*key_path)
    for suffix in (".parquet", ".json"):
        candidate = base.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    raise StorageError(f"no stored value for {'/'.join(key_path)} under {root}")


def _process_umask() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Outputs are for everyone who may read the folder, like any file the process creates.
FILE_MODE = 0o666 & ~_process_umask()


def _new_temporary(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_orphaned_temporaries(path)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    os.fchmod(fd, FILE_MODE)
    os.close(fd)
    return Path(tmp_name)


@contextlib.contextmanager
def atomic_target(path: Path, *, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success fsync it and rename it over ``path``.

    ``durable=False``: renamed without the fsync, for a file that is only a hint: a reader still
    sees the old or the new bytes whole, but after a crash the new file may be empty or torn.
    """
    tmp = _new_temporary(path)
    try:
        yield tmp
        if durable:
            with tmp.open("rb+") as handle:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def as_arrow(value: pl.DataFrame | pa.Table, *, table_schema: pa.Schema | None = None) -> pa.Table:
    """The Arrow table written for a table value: cast to ``table_schema`` when one is declared.

    polars has one string type (Arrow ``large_string``) and no non-null columns, so a frame
    converts to nullable ``large_string`` columns whatever the dataflow declared. The writers
    (``codeintel build`` and the Dagster assets) pass the asset's declared schema, from the
    translator's ``get_table_schema``; a null in a declared non-null column raises StorageError.
    Without a declared schema a ``pa.Table`` is written as given, a frame as polars converts it.
    """
    table = value if isinstance(value, pa.Table) else value.to_arrow()
    if table_schema is None or table.schema == table_schema:
        return table
    try:
        return table.cast(table_schema)
    except (pa.ArrowException, ValueError) as exc:  # a null in a non-null column, other columns
        raise StorageError(f"the value does not fit its declared schema: {exc}") from exc


def _arrow_or_none(
    path: Path, value: Any, table_schema: pa.Schema | None = None
) -> pa.Table | None:
    import polars as pl

    if not isinstance(value, pl.DataFrame | pa.Table):
        return None
    try:
        return as_arrow(value, table_schema=table_schema)
    except StorageError as exc:
        raise StorageError(f"could not write {path}: {exc}") from exc


def _write_file(tmp: Path, table: pa.Table | None, value: Any) -> None:
    if table is not None:
        # The writer checks its page and dictionary sizes after each batch of a chunk: one chunk
        # per column, so that the bytes do not depend on how the value was chunked (a rebuild
        # that splices a table and a cold build that makes it whole give the same file).
        if any(column.num_chunks > 1 for column in table.columns):
            table = table.combine_chunks()
        pq.write_table(table, tmp, **PARQUET_WRITE_OPTIONS)
    else:
        tmp.write_text(json.dumps(value, sort_keys=True, indent=2, default=str) + "\n")


def _same_regular_file(new: Path, existing: Path) -> os.stat_result | None:
    """``existing``'s status when it is a regular file (not a symlink) with exactly the bytes of
    ``new``; None otherwise. One ``stat`` of ``existing``: that of the file it compared."""
    try:
        fd = os.open(existing, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as old_file, new.open("rb") as new_file:
        info = os.fstat(old_file.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size != os.fstat(new_file.fileno()).st_size:
            return None
        while True:
            old_chunk, new_chunk = old_file.read(1 << 20), new_file.read(1 << 20)
            if old_chunk != new_chunk:
                return None
            if not old_chunk:
                return info


# --- stored versions: a table whose content is known not to have changed is not written again ---
#
# A table written with a *version token* (``value_token``: the value's content fingerprint, e.g.
# Hamilton's data version, plus everything else that decides the bytes: declared schema, Parquet
# settings, library versions) gets a record in the root's hidden ``.stored/`` folder
# (``.stored/<key path>.json``, out of the outputs' folders): the token and the file's identity
# (``FileIdentity``) once it is in place. A later write of a value with the same token finds the
# file current (``stored_if_current``) without encoding the table again. Any other change of the
# file (edited or replaced by hand, a rename lost in a crash) changes its identity, and the value
# is written again. The record is written after the file, without fsync: a record lost or torn in
# a crash only means one more write. It may also hold the fingerprint of the value as
# ``read_value`` returns it (``stored_record``), so that a reader that only needs the fingerprint
# (a Hamilton cache key) does not read the file.

STORED_FORMAT = "codeintel-stored/1"


def value_token(
    *, content_version: str, value: Any, table_schema: pa.Schema | None = None
) -> str | None:
    """The version token of a table value whose content fingerprint is ``content_version``; None
    for other values (JSON is cheap to write, and its fingerprints are not complete for deeply
    nested values)."""
    import polars as pl

    if not isinstance(value, pl.DataFrame | pa.Table):
        return None
    hasher = hashlib.sha256()
    for part in (
        STORED_FORMAT,
        content_version,
        f"{type(value).__module__}.{type(value).__qualname__}",
        str(pa.__version__),
        str(pl.__version__),
        json.dumps(PARQUET_WRITE_OPTIONS, sort_keys=True),
    ):
        hasher.update(part.encode())
        hasher.update(b"\0")
    hasher.update(table_schema.serialize().to_pybytes() if table_schema is not None else b"-")
    return hasher.hexdigest()


STORED_RECORDS_FOLDER = ".stored"


def _stored_record_path(root: Path, key_path: Sequence[str]) -> Path:
    *folders, name = key_path
    return root.joinpath(STORED_RECORDS_FOLDER, *folders, f"{name}.json")


def file_identity(path: Path) -> FileIdentity | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return {
        "device": info.st_dev,
        "inode": info.st_ino,
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "ctime_ns": info.st_ctime_ns,
    }


def stored_record(root: Path, key_path: Sequence[str]) -> dict[str, Any] | None:
    """The record of ``key_path``'s Parquet file (``token``, and ``fingerprint`` when one was
    given) if the file has not changed since it was written; None otherwise."""
    path = table_path(root, key_path)
    try:
        record = json.loads(_stored_record_path(root, key_path).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("token"), str):
        return None
    identity = file_identity(path)
    if identity is None or record.get("file") != identity:
        return None
    return record


def stored_if_current(root: Path, key_path: Sequence[str], *, token: str) -> Path | None:
    """The Parquet file of ``key_path`` when it was written from a value with version ``token``
    and has not changed since; None otherwise (the value must be written)."""
    record = stored_record(root, key_path)
    if record is None or record["token"] != token:
        return None
    return table_path(root, key_path)


def _record_stored(
    root: Path,
    key_path: Sequence[str],
    token: str | None,
    fingerprint: str | None,
    *,
    identity: FileIdentity | None,
) -> None:
    """Record ``token`` for the file of ``key_path`` now in place (or drop a record when there
    is none). ``identity``: that of the file this writer put (or found) in place, None when
    another writer renamed its file over it since (it gets no record)."""
    record_path = _stored_record_path(root, key_path)
    if token is None or identity is None:
        with contextlib.suppress(OSError):
            record_path.unlink()
        return
    record: dict[str, Any] = {"token": token, "file": identity}
    if fingerprint is not None:
        record["fingerprint"] = fingerprint
    tmp: Path | None = None
    try:
        tmp = _new_temporary(record_path)
        tmp.write_text(json.dumps(record, sort_keys=True))
        os.replace(tmp, record_path)
    except OSError:  # only a cost (e.g. a full disk): the next run writes the value again
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


# --- in-process hand-off: a table just written (or read) is not decoded from its file again ---


class HeldValue(Protocol):
    """What a ``ValueHandOff`` holds: a polars frame or series, or any value that says its size
    and gives a copy that later changes of the copy cannot reach."""

    def estimated_size(self) -> int | float: ...  # bytes

    def clone(self) -> Any: ...


Held = TypeVar("Held", bound=HeldValue)


@dataclass(frozen=True)
class _HandedOff(Generic[Held]):
    identity: FileIdentity  # of the file whose bytes ``frame`` is
    frame: Held
    size: int  # bytes, as the value estimates them


class ValueHandOff(Generic[Held]):
    """Tables that this process wrote or read, by file, returned by ``read_value`` instead of
    reading the file again (any ``HeldValue`` in general, e.g. the cache's decoded entries).

    A table is served only while its file has the identity (``file_identity``: device, inode,
    size, modification and change times) it had when the table was written or read: a file
    replaced, edited or removed since is read again. What is served is exactly what reading the
    file gives (``loaded_frame``; ``StagedWrites.write`` hands over only a table whose Parquet
    schema reads back as the same polars schema), as a clone, so a reader that changes its frame
    in place changes nothing here. At most ``max_bytes`` are held: beyond that the least
    recently used tables are dropped (they are read from their files again). Thread-safe.
    """

    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, _HandedOff[Held]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    @property
    def nbytes(self) -> int:
        """The bytes held (polars' estimate)."""
        with self._lock:
            return self._bytes

    def remember(self, path: Path, frame: Held, *, identity: FileIdentity) -> None:
        """Hold ``frame`` as the value of ``path`` while the file has ``identity``."""
        size = int(frame.estimated_size())
        with self._lock:
            self._drop(str(path))
            if size > self.max_bytes:
                return
            self._entries[str(path)] = _HandedOff(identity=identity, frame=frame.clone(), size=size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.size

    def recall(self, path: Path) -> Held | None:
        """The value of ``path`` if held and the file is unchanged since; else None."""
        key = str(path)
        with self._lock:
            entry = self._entries.get(key)
        if entry is None:
            return None
        if file_identity(path) != entry.identity:
            with self._lock:
                if self._entries.get(key) is entry:
                    self._drop(key)
            return None
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
        return entry.frame.clone()

    def forget(self, path: Path) -> None:
        with self._lock:
            self._drop(str(path))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= entry.size


@dataclass
class _WrittenTable:
    token: str | None  # version token to record (``value_token``)
    fingerprint: str | None  # of the value as read back, to record with the token
    inode: int  # of the file with these bytes
    frame: pl.DataFrame | None  # the value as read back, for the hand-off


@dataclass(frozen=True)
class _Encoded:
    path: Path  # the final path
    temporary: Path | None  # the file with the bytes; None: the final file has them already
    table: _WrittenTable | None  # to record once in place (a table)


def _encoded(
    root: Path,
    key_path: Sequence[str],
    value: Any,
    *,
    table_schema: pa.Schema | None = None,
    token: str | None = None,
    fingerprint: Callable[[pl.DataFrame], str | None] | None = None,
    handoff: ValueHandOff[pl.DataFrame] | None = None,
    table: pa.Table | None = None,
) -> _Encoded:
    """``value``'s bytes in a fsynced temporary under ``root`` (none when the final file has
    them), with what to record once it is in place (``StagedWrites.write``); changes no shared
    state (threads run it), removes its temporary when it fails. ``table``: ``value`` cast to
    its declared schema (``as_arrow``) when the caller has it already."""
    path = value_path(root, key_path, value)
    if table is None:
        table = _arrow_or_none(path, value, table_schema)
    read_back = _read_back_types(table.schema) if table is not None else None
    want_fingerprint = fingerprint is not None and token is not None
    frame: pl.DataFrame | None = None
    if table is not None and (want_fingerprint or handoff is not None):
        # The value read back from the file (what is fingerprinted and handed over): a frame
        # whose polars types are those of the file is that value already (a cast that leaves
        # every polars type as it was changes no value: string to large_string, nullability),
        # whose fingerprint the caller may know already (a Dagster op: Hamilton's data version
        # of the computed value, ``io_manager._fingerprint_knowing``).
        frame = value if _is_frame(value) and _has_types(value, read_back) else None
        frame = frame if frame is not None else loaded_frame(table)
    recorded = (
        fingerprint(frame) if want_fingerprint and fingerprint and frame is not None else None
    )
    # Handed over only as the file reads back (e.g. a date64 reads as polars' Date, not as the
    # Datetime converted from the table): readers would read otherwise.
    handed = (
        frame
        if handoff is not None and frame is not None and _has_types(frame, read_back)
        else None
    )
    tmp: Path | None = None
    try:
        tmp = _new_temporary(path)
        _write_file(tmp, table, value)
        same = _same_regular_file(tmp, path)
        if same is not None:
            tmp.unlink()
            tmp = None
            inode = same.st_ino
        else:
            with tmp.open("rb+") as handle:
                os.fsync(handle.fileno())
                inode = os.fstat(handle.fileno()).st_ino
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if isinstance(exc, OSError):
            raise StorageError(f"could not write {path}: {exc.strerror or exc}") from exc
        raise
    written = (
        _WrittenTable(token=token, fingerprint=recorded, inode=inode, frame=handed)
        if table is not None
        else None
    )
    return _Encoded(path=path, temporary=tmp, table=written)


def _is_frame(value: Any) -> bool:
    import polars as pl

    return isinstance(value, pl.DataFrame)


def _has_types(frame: pl.DataFrame, types: dict[str, pl.DataType] | None) -> bool:
    """``frame`` has exactly these columns, in this order, of these polars types."""
    return types is not None and list(frame.schema.items()) == list(types.items())


class StagedWrites:
    """Values written to fsynced temporary files now, renamed into place when the block ends."""

    def __init__(
        self,
        root: Path,
        *,
        handoff: ValueHandOff[pl.DataFrame] | None = None,
        ahead: WritesAhead | None = None,
    ) -> None:
        self.root = root
        self.handoff = handoff
        self._pending: list[tuple[Path, Path]] = []  # (temporary, final path), in write order
        self._tables: dict[tuple[str, ...], _WrittenTable] = {}  # to record once in place
        # The encodings a write takes: the caller's (a Dagster run's), else the block's own,
        # made by its first ``write_ahead`` or ``write_all`` and closed when the block ends.
        self._ahead = ahead
        self._own_ahead: WritesAhead | None = None

    def write(
        self,
        key_path: Sequence[str],
        value: Any,
        *,
        table_schema: pa.Schema | None = None,
        token: str | None = None,
        fingerprint: Callable[[pl.DataFrame], str | None] | None = None,
    ) -> tuple[Path, Path]:
        """Write ``value`` (see ``as_arrow``); return its final path and the file with its bytes.

        When the final file already holds exactly these bytes (a re-run that changed nothing),
        the temporary is dropped and the final file is left as it is, modification time included:
        no fsync, no rename, and the file with the bytes is the final file itself. ``token``
        (``value_token``) is recorded for the file once it is in place (see ``stored_if_current``),
        with ``fingerprint(frame)`` when given: the fingerprint of the value ``read_value`` returns
        for these bytes (``loaded_frame``). With a ``handoff``, that value is handed to it once
        the file is in place. An encoding of this value started ahead (``WritesAhead.take``) is
        staged instead of encoding the value again.
        """
        encoded = (
            self._ahead.take(self.root, key_path, value, table_schema=table_schema, token=token)
            if self._ahead is not None
            else None
        )
        if encoded is None:
            encoded = _encoded(
                self.root,
                key_path,
                value,
                table_schema=table_schema,
                token=token,
                fingerprint=fingerprint,
                handoff=self.handoff,
            )
        return self._stage(key_path, encoded)

    def write_ahead(
        self,
        key_path: Sequence[str],
        value: Any,
        *,
        table_schema: pa.Schema | None = None,
        threads: int,
    ) -> None:
        """Start encoding ``value`` in a thread (up to ``threads``) while the caller goes on, e.g.
        computing the values it writes next: a ``write`` (or ``write_all``) of the same key path,
        value (the same object) and declared schema then stages that encoding instead of encoding
        the value again (``WritesAhead``). An encoding no write takes is removed when the block
        ends, like any temporary not staged."""
        self._writes_ahead(threads).start(self.root, key_path, value, table_schema=table_schema)

    def write_all(
        self, values: Sequence[tuple[Sequence[str], Any, pa.Schema | None]], *, threads: int
    ) -> list[tuple[Path, Path]]:
        """``write`` each (key path, value, declared schema), up to ``threads`` encoded at once;
        what ``write`` returns for each, in the order given, and staged in that order.

        pyarrow encodes and compresses a Parquet file without the GIL: a --watch rebuild of
        tokio writes six changed tables, ~70 ms one after the other. The bytes are the same (each
        file is encoded as ``write`` does). When one fails, the others are staged (the block's
        end removes their temporaries) and the first failure in the given order is raised.
        A value given to ``write_ahead`` before is not encoded again.
        """
        if threads > 1 and len(values) > 1:
            ahead = self._writes_ahead(threads)
            for key_path, value, schema in values:
                ahead.start(self.root, key_path, value, table_schema=schema)  # (unless started)
        staged: list[tuple[Path, Path]] = []
        failure: BaseException | None = None
        for key_path, value, schema in values:
            try:
                staged.append(self.write(key_path, value, table_schema=schema))
            except Exception as exc:  # the others are staged first (a Ctrl-C stops at once)
                failure = failure or exc
        if failure is not None:
            raise failure
        return staged

    def _writes_ahead(self, threads: int) -> WritesAhead:
        """The encodings ahead that this block's writes take (its own, made by the first call,
        when the caller gave none)."""
        if self._ahead is None:
            self._ahead = self._own_ahead = WritesAhead(threads=threads, handoff=self.handoff)
        return self._ahead

    def _close(self) -> None:
        """Close the block's own encodings ahead: those no write took are removed (their
        temporaries, and the folders made for them alone), the threads joined."""
        if self._own_ahead is not None:
            self._own_ahead.close()

    def _stage(self, key_path: Sequence[str], encoded: _Encoded) -> tuple[Path, Path]:
        """Stage an encoded value: its temporary renamed at the end, its table recorded."""
        if encoded.temporary is not None:
            self._pending.append((encoded.temporary, encoded.path))
            if self._ahead is not None:
                self._ahead.settle(encoded.temporary)  # the block's to rename or remove now
        if encoded.table is not None:
            self._tables[tuple(key_path)] = encoded.table
        return encoded.path, encoded.temporary or encoded.path

    def _commit(self) -> None:
        for renamed, (tmp, path) in enumerate(self._pending):
            try:
                os.replace(tmp, path)
            except OSError as exc:
                del self._pending[:renamed]  # in place: ``_discard`` removes the others
                raise StorageError(f"could not write {path}: {exc.strerror or exc}") from exc
        # All in place: nothing is left for ``_discard``, which asked to remove each renamed
        # temporary again (7 failing unlinks a build, up to ~40 ms on a busy file system).
        self._pending.clear()
        for key_path, written in self._tables.items():
            path = table_path(self.root, key_path)
            identity = file_identity(path)
            if identity is None or identity["inode"] != written.inode:
                identity = None  # another writer's file is in place now
            _record_stored(
                self.root, key_path, written.token, written.fingerprint, identity=identity
            )
            if self.handoff is not None:
                if identity is not None and written.frame is not None:
                    self.handoff.remember(path, written.frame, identity=identity)
                else:
                    self.handoff.forget(path)

    def _discard(self) -> None:
        _remove_temporaries(self.root, [tmp for tmp, _ in self._pending])


def _remove_temporaries(root: Path, temporaries: Iterable[Path]) -> None:
    """Remove the ``temporaries`` under ``root`` that exist, and each folder under ``root`` that
    is empty without them: a folder made for temporaries alone goes with them (a table encoded
    ahead that no write takes: a build leaves out the tables of a language the repository does
    not have, which it learns after encoding a `Cargo.toml`'s crates)."""
    removed = list(temporaries)
    for tmp in removed:
        with contextlib.suppress(OSError):
            tmp.unlink()
    for folder in sorted({tmp.parent for tmp in removed}, key=lambda p: -len(p.parts)):
        while folder != root and root in folder.parents:
            try:
                folder.rmdir()  # only an empty one
            except OSError:
                break
            folder = folder.parent


@contextlib.contextmanager
def staged_writes(
    root: Path,
    *,
    handoff: ValueHandOff[pl.DataFrame] | None = None,
    ahead: WritesAhead | None = None,
) -> Iterator[StagedWrites]:
    """Write several values under ``root`` as one unit (see ``StagedWrites``); ``ahead``: the
    encodings started ahead that its writes may take (``WritesAhead``; the caller closes it).

    Nothing is renamed until the block ends without an error, then every file is renamed in the
    order it was written (write an index such as a manifest last). A write that fails (disk full,
    file size limit) raises StorageError with every previous file intact and no temporary left.
    """
    staged = StagedWrites(root, handoff=handoff, ahead=ahead)
    try:
        yield staged
        staged._close()
        staged._commit()
    finally:
        try:
            staged._close()  # (again, after a failure)
        finally:
            staged._discard()  # the temporaries not renamed (none after a commit)


class WritesAhead:
    """Values being encoded in threads while the caller goes on, each for a write of that value
    later (``StagedWrites.write``), the one way of encoding ahead: ``codeintel build`` encodes a
    table as soon as the dataflow computed it and its changed values at once at its end
    (``StagedWrites.write_ahead``, ``write_all``); a Dagster op starts encoding an asset's
    changed table as soon as the dataflow computed it, and its IO manager's write, moments
    later, takes that encoding (``HamiltonIOManager.encode_ahead``; tokio's CPG edges: ~20 ms
    of encoding during the op's checks, fingerprints and events, not after them).

    ``start`` casts a table to its declared schema (``as_arrow``), then encodes the value as
    ``StagedWrites.write`` does, into a temporary beside its final file; ``written_value`` is
    that cast table (what a Dagster op yields: the same object). A write takes an encoding
    (``take``) only when it would write those very bytes: the same file and version token, and
    the very value started with the same declared schema, or the very table it was cast to,
    written as it is. Nothing is renamed here: the write that takes an encoding stages it, and
    its temporary is this object's until then (``settle``): ``discard`` and ``close`` remove
    the others (encodings not taken, or taken by a write interrupted before it staged them),
    with the folders made for them alone.
    """

    def __init__(self, *, threads: int, handoff: ValueHandOff[pl.DataFrame] | None = None) -> None:
        self.threads = max(1, threads)
        self.handoff = handoff
        self._entries: dict[Path, _Ahead] = {}  # pending, by final path
        self._taken: dict[Path, _Ahead] = {}  # by temporary: taken, not staged yet
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def start(
        self,
        root: Path,
        key_path: Sequence[str],
        value: Any,
        *,
        table_schema: pa.Schema | None = None,
        token: str | None = None,
        fingerprint: Callable[[pl.DataFrame], str | None] | None = None,
    ) -> None:
        """Start encoding ``value`` for ``root``/``key_path`` (its arguments: those of
        ``StagedWrites.write``), unless an encoding of this very value with this declared schema
        and token is pending; another pending for the same file is discarded."""
        path = value_path(root, key_path, value)
        with self._lock:
            pending = self._entries.get(path)
        if pending is not None and pending.started_with(value, table_schema, token):
            return
        self.discard([path])
        written: Future[pa.Table | None] = Future()

        def encode() -> _Encoded:
            try:
                table = _arrow_or_none(path, value, table_schema)
            except BaseException as exc:
                written.set_exception(exc)
                raise
            written.set_result(table)
            return _encoded(
                root,
                key_path,
                value,
                table_schema=table_schema,
                table=table,
                token=token,
                fingerprint=fingerprint,
                handoff=self.handoff,
            )

        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=self.threads, thread_name_prefix="codeintel-ahead"
                )
            encoding = self._pool.submit(encode)
            # An encoding cancelled before it ran has no table either: a reader gets an error,
            # never a wait without end.
            encoding.add_done_callback(lambda done: done.cancelled() and written.cancel())
            self._entries[path] = _Ahead(
                root=root,
                path=path,
                value=value,
                table_schema=table_schema,
                token=token,
                written=written,
                encoding=encoding,
            )

    def written_value(self, root: Path, key_path: Sequence[str], value: Any) -> pa.Table | None:
        """The table written for the table ``value`` (``as_arrow`` of it) when its encoding was
        started, else None; raises StorageError when the value does not fit its schema."""
        with self._lock:
            entry = self._entries.get(table_path(root, key_path))
        if entry is None or entry.value is not value:
            return None
        return entry.written.result()

    def take(
        self,
        root: Path,
        key_path: Sequence[str],
        value: Any,
        *,
        table_schema: pa.Schema | None = None,
        token: str | None = None,
    ) -> _Encoded | None:
        """The encoding that a write of ``value`` with ``table_schema`` and ``token`` would make
        (see the class), waited for, now the caller's to stage (``settle`` once staged); None
        when there is none. Raises what the encoding raised (StorageError: a write that failed)."""
        path = value_path(root, key_path, value)
        with self._lock:
            entry = self._entries.get(path)
        if entry is None or not entry.serves(value, table_schema, token):
            return None
        done = entry.encoding.result()  # (pending meanwhile: a Ctrl-C here leaves it to close)
        with self._lock:
            if self._entries.get(path) is not entry:
                return None  # discarded meanwhile: its temporary is removed
            if done.temporary is not None:
                self._taken[done.temporary] = entry  # (first: never neither's)
            del self._entries[path]
        return done

    def settle(self, temporary: Path) -> None:
        """The temporary of an encoding taken is staged: the write's to rename or remove."""
        with self._lock:
            self._taken.pop(temporary, None)

    def discard(self, paths: Iterable[Path] | None = None) -> None:
        """Forget the encodings of the final files ``paths`` (every one when None) that no
        write staged: those not started are cancelled, the others' temporaries removed once
        they end."""
        with self._lock:
            wanted = None if paths is None else set(paths)
            dropped = [
                self._entries.pop(path)
                for path in sorted(self._entries)
                if wanted is None or path in wanted
            ]
            removed = [
                (entry.root, tmp)
                for tmp, entry in self._taken.items()
                if wanted is None or entry.path in wanted
            ]
            for _, tmp in removed:
                del self._taken[tmp]
        for entry in dropped:
            if entry.encoding.cancel():
                continue
            try:
                done = entry.encoding.result()
            except Exception:  # a failed encoding removed its temporary
                continue
            if done.temporary is not None:
                removed.append((entry.root, done.temporary))
        for root in sorted({root for root, _ in removed}):
            _remove_temporaries(root, [tmp for at, tmp in removed if at == root])

    def close(self) -> None:
        """``discard`` every encoding and join the threads."""
        self.discard()
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        self.discard()  # (an encoding started while closing)


@dataclass(frozen=True)
class _Ahead:
    root: Path
    path: Path  # the final file
    value: Any  # the value given to ``WritesAhead.start`` (its identity)
    table_schema: pa.Schema | None
    token: str | None
    written: Future[pa.Table | None]  # the value as written (``as_arrow``; None: not a table)
    encoding: Future[_Encoded]

    def started_with(self, value: Any, table_schema: pa.Schema | None, token: str | None) -> bool:
        """Started for this very value, with this declared schema (metadata included: it is
        written in the file) and token."""
        return (
            value is self.value
            and token == self.token
            and (
                table_schema.equals(self.table_schema, check_metadata=True)
                if table_schema is not None and self.table_schema is not None
                else table_schema is self.table_schema
            )
        )

    def serves(self, value: Any, table_schema: pa.Schema | None, token: str | None) -> bool:
        """A write of ``value`` with ``table_schema`` and ``token`` would make this encoding's
        bytes and record: it is the value started with this schema and token, or the table it
        was cast to (``written_value``), written as it is, with this token."""
        if self.started_with(value, table_schema, token):
            return True
        written = self.written
        return (
            token == self.token
            and written.done()
            and not written.cancelled()
            and written.exception() is None
            and value is not None
            and written.result() is value
            and (table_schema is None or value.schema.equals(table_schema, check_metadata=True))
        )


def write_value(
    root: Path,
    key_path: Sequence[str],
    value: Any,
    *,
    table_schema: pa.Schema | None = None,
    token: str | None = None,
    fingerprint: Callable[[pl.DataFrame], str | None] | None = None,
    handoff: ValueHandOff[pl.DataFrame] | None = None,
    ahead: WritesAhead | None = None,
) -> Path:
    """Write ``value`` atomically under ``root`` and return its final path (see ``as_arrow``;
    ``token``, ``fingerprint``, ``handoff``: see ``StagedWrites.write``). ``ahead``: its
    encoding of this very value with this token, when it has one, is staged instead of
    encoding the value again (``WritesAhead.take``)."""
    with staged_writes(root, handoff=handoff, ahead=ahead) as staged:
        path, _ = staged.write(
            key_path, value, table_schema=table_schema, token=token, fingerprint=fingerprint
        )
    return path


def loaded_frame(table: pa.Table) -> pl.DataFrame:
    """The value ``read_value`` returns for a Parquet file written from ``table`` (as
    ``as_arrow`` gives it): the same columns, dtypes and rows."""
    import polars as pl

    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)  # a Table converts to a frame, never a Series
    return frame


@functools.lru_cache(maxsize=64)
def _read_back_types(table_schema: pa.Schema) -> dict[str, pl.DataType]:
    """The column types of the frame ``read_value`` returns for a table written with
    ``table_schema`` (as Parquet gives them back: e.g. a date64 as polars' Date)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table_schema.empty_table(), sink, **PARQUET_WRITE_OPTIONS)
    read = pq.read_schema(pa.BufferReader(sink.getvalue()))
    return dict(loaded_frame(read.empty_table()).schema)


def check_declared_columns(
    value: Any, table_schema: pa.Schema, *, key_path: Sequence[str], where: str
) -> None:
    """Raise StorageError when a stored table (a polars DataFrame or an Arrow table; any other
    value passes) has other columns than its declared schema, or other types than the frame a
    table written with it reads back as: written by older code (a column added or retyped
    since), it would fail later in the node that reads the column. Types as the nodes get them
    (polars'): an Arrow string and large_string are one. ``where``: the stored copy read (a
    file, Hamilton's cache), for the message."""
    import polars as pl

    if isinstance(value, pl.DataFrame):
        found = dict(value.schema)
    elif isinstance(value, pa.Table):
        found = dict(loaded_frame(value.schema.empty_table()).schema)
    else:
        return
    table = f"the stored table {'/'.join(key_path)} ({where})"
    differing = [name for name in table_schema.names if name not in found]
    differing += [name for name in found if table_schema.get_field_index(name) < 0]
    if differing:
        raise StorageError(
            f"{table} does not have its declared columns ({', '.join(differing)}): it was "
            "written by an older codeintel; materialize it again"
        )
    expected = _read_back_types(table_schema)
    retyped = [
        f"{name}: {found[name]}, declared {expected[name]}"
        for name in table_schema.names
        if found[name] != expected[name]
    ]
    if retyped:
        raise StorageError(
            f"{table} does not have its declared column types ({'; '.join(retyped)}): it was "
            "written by an older codeintel; materialize it again"
        )


def read_value(
    root: Path,
    key_path: Sequence[str],
    *,
    handoff: ValueHandOff[pl.DataFrame] | None = None,
    table_schema: pa.Schema | None = None,
) -> Any:
    """Read a value written by ``write_value``: Parquet as a polars DataFrame, JSON as Python.

    ``handoff``: a table it holds for the file (unchanged since) is returned without reading the
    file; a table read from a file that did not change while it was read is handed to it.
    ``table_schema``: the table's declared schema; a stored table written with another one (by
    older code: a column added or retyped since) raises StorageError naming the table and its
    columns (``check_declared_columns``), rather than failing later in the node that reads it.
    """
    path = existing_value_path(root, key_path)
    if handoff is not None and path.suffix == ".parquet":
        kept = handoff.recall(path)
        if kept is not None:
            return kept
    try:
        if path.suffix == ".parquet":
            before = file_identity(path) if handoff is not None else None
            frame = loaded_frame(pq.read_table(path))
            if table_schema is not None:  # (the frame's types: those the nodes get)
                check_declared_columns(frame, table_schema, key_path=key_path, where=str(path))
            if before is not None and handoff is not None and file_identity(path) == before:
                handoff.remember(path, frame, identity=before)
            return frame
        return json.loads(path.read_text())
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise StorageError(f"could not read {path}: {exc}") from exc
