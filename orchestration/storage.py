"""Where and how asset values are written: one layout and one writer for Dagster and `codeintel build`.

Layout: ``<root>/<asset key path>.parquet`` for tables (polars DataFrame, pyarrow Table) and
``<root>/<asset key path>.json`` for any other JSON-serializable value. The Dagster IO manager uses
``<warehouse>/<partition key>`` as root, ``codeintel build`` uses ``--out DIR``; both call
``write_value``, so the same value gives the same bytes.

Writes are atomic: the bytes go to a temporary file in the target folder, are fsynced, then renamed
over the final name, so a reader never sees a torn file and a failed write leaves the previous file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

PARQUET_COMPRESSION = "zstd"
PARQUET_COMPRESSION_LEVEL = 3


class StorageError(RuntimeError):
    """A value could not be written or read; the message says which file and why."""


def value_path(root: Path, key_path: Sequence[str], value: Any) -> Path:
    suffix = ".parquet" if isinstance(value, pl.DataFrame | pa.Table) else ".json"
    return root.joinpath(*key_path).with_suffix(suffix)


def existing_value_path(root: Path, key_path: Sequence[str]) -> Path:
    """The stored file for ``key_path`` (Parquet or JSON); StorageError when there is none."""
    base = root.joinpath(*key_path)
    for suffix in (".parquet", ".json"):
        candidate = base.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    raise StorageError(f"no stored value for {'/'.join(key_path)} under {root}")


@contextlib.contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success fsync it and rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


# Declared Arrow schemas by their column names (see declare_table_schemas).
_DECLARED_SCHEMAS: dict[tuple[str, ...], pa.Schema] = {}


def declare_table_schemas(table_schemas: Iterable[pa.Schema]) -> None:
    """Write polars frames with these Arrow schemas (types and nullability) instead of polars' own.

    polars has one string type (Arrow ``large_string``) and no non-null columns, so a frame
    converts to nullable ``large_string`` columns whatever the dataflow declared. A polars frame
    whose column names are exactly a declared schema's names, in order, is cast to that schema
    before it is written (a null in a non-null column is a StorageError). ``pa.Table`` values are
    written as given. The code location declares its schemas when it is imported, so every writer
    in that process (``codeintel build`` and the Dagster IO manager) writes the same bytes.
    """
    for table_schema in table_schemas:
        names = tuple(table_schema.names)
        known = _DECLARED_SCHEMAS.get(names)
        if known is not None and not known.equals(table_schema):
            raise ValueError(f"two different Arrow schemas declared for the columns {list(names)}")
        _DECLARED_SCHEMAS[names] = table_schema


def as_arrow(value: pl.DataFrame | pa.Table) -> pa.Table:
    """The Arrow table ``write_value`` writes for a table value (see ``declare_table_schemas``)."""
    if isinstance(value, pa.Table):
        return value
    table = value.to_arrow()
    declared = _DECLARED_SCHEMAS.get(tuple(table.schema.names))
    return table if declared is None else table.cast(declared)


def write_value(root: Path, key_path: Sequence[str], value: Any) -> Path:
    """Write ``value`` atomically under ``root`` and return its final path."""
    path = value_path(root, key_path, value)
    table: pa.Table | None = None
    if isinstance(value, pl.DataFrame | pa.Table):
        try:
            table = as_arrow(value)
        except (pa.ArrowException, ValueError) as exc:  # a null in a declared non-null column
            raise StorageError(f"could not write {path}: {exc}") from exc
    try:
        with atomic_target(path) as tmp:
            if table is not None:
                pq.write_table(
                    table,
                    tmp,
                    compression=PARQUET_COMPRESSION,
                    compression_level=PARQUET_COMPRESSION_LEVEL,
                    # No creation timestamps or writer versions that vary between runs.
                    write_statistics=True,
                    store_schema=True,
                )
            else:
                tmp.write_text(json.dumps(value, sort_keys=True, indent=2, default=str) + "\n")
    except OSError as exc:
        raise StorageError(f"could not write {path}: {exc.strerror or exc}") from exc
    return path


def read_value(root: Path, key_path: Sequence[str]) -> Any:
    """Read a value written by ``write_value``: Parquet as a polars DataFrame, JSON as Python."""
    path = existing_value_path(root, key_path)
    try:
        if path.suffix == ".parquet":
            return pl.from_arrow(pq.read_table(path))
        return json.loads(path.read_text())
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise StorageError(f"could not read {path}: {exc}") from exc


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
