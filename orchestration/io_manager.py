"""The partition-aware IO manager: asset values as Parquet (tables) or JSON (anything else).

Layout: ``<warehouse>/<partition key>/<asset key path>.parquet|.json``; unpartitioned assets use
``<warehouse>/__unpartitioned__/``. The warehouse (at each run's start when it exists, else with
its first file) and every partition's folder (with its first file) get a cache directory tag
(``orchestration.cachedir``), as a build's ``--out`` does: a repository walk leaves them out. An
existing one only while it holds nothing but partitions' stored values: a user's folder given as
the warehouse, or named as a partition key, is never tagged. Reading and writing go through
``orchestration.storage`` (the layout and atomic writer shared with ``codeintel build``), so a
Dagster run and a plain build of the same input write the same bytes. A table the assets yield with a version token is recorded beside
its file (``storage.stored_if_current``): a later run with the same token leaves the file alone,
and ops read the recorded fingerprint instead of the file (``stored_fingerprint``). Partition keys
are validated and the final folder must stay inside the warehouse, so no key can write elsewhere.

Within a run, a table that a step wrote (or read) is handed to later steps from memory while its
file is unchanged (``storage.ValueHandOff``, up to ``handoff_megabytes``): the in-process executor
runs every step in one process, and decoding the Parquet file that was encoded a moment before is
pure cost. The hand-off lives from the run's resource setup to its teardown; outside a run (the
IO manager used directly) every load reads its file.

Within a run, an op may also start encoding a changed table as soon as the dataflow computed it
(``encode_ahead``, ``storage.WritesAhead``): the write of that table, when the op yields it,
takes the encoding instead of encoding the table again, and still renames the file into place
before ``handle_output`` returns (the materialization is recorded after its file). An encoding
no write takes (a blocking check failed, the step failed) is removed by ``discard_ahead`` or,
at the latest, when the run ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dagster import (
    ConfigurableIOManager,
    InitResourceContext,
    InputContext,
    MetadataValue,
    OutputContext,
    TableColumn,
    TableColumnConstraints,
    TableSchema,
)
from pydantic import Field, PrivateAttr

from orchestration.resources import resolve_warehouse

if TYPE_CHECKING:
    import polars as pl
    import pyarrow as pa

    from orchestration.storage import ValueHandOff, WritesAhead

# orchestration.storage (polars, pyarrow) and the registry are imported where values are stored or
# loaded: a code location that only defines assets (`dagster definitions validate`) does not pay
# for polars.

UNPARTITIONED_FOLDER = "__unpartitioned__"


# A partition's folder holds the values (``<key path>.parquet|.json``) and their records under
# ``orchestration.storage.STORED_RECORDS_FOLDER`` (not imported here: storage loads pyarrow).
_STORED_RECORDS = ".stored"
_VALUE_SUFFIXES = (".parquet", ".json")


def _stored_value_entry(relative: str, is_folder: bool) -> bool:
    """An entry of a partition's folder that the IO manager writes: a value or a folder of its
    key path (never hidden), a record of ``.stored/``."""
    if relative == _STORED_RECORDS or relative.startswith(_STORED_RECORDS + "/"):
        return is_folder or relative.endswith(".json")
    if relative.rpartition("/")[2].startswith("."):
        return False
    return is_folder or relative.endswith(_VALUE_SUFFIXES)


def _warehouse_entry(relative: str, is_folder: bool) -> bool:
    """An entry of the warehouse that the IO manager writes: a partition's folder (no key is
    hidden, ``registry.validate_partition_key``) and what it holds."""
    partition, _, inside = relative.partition("/")
    if partition.startswith("."):
        return False
    return _stored_value_entry(inside, is_folder) if inside else is_folder


def _holds_only_partitions(warehouse: Path) -> bool:
    """The warehouse is ours when it holds nothing but partitions' folders of stored values
    (``cachedir.tag_folder``): a folder of the user's projects given as the warehouse is not."""
    from orchestration.cachedir import holds_only

    return holds_only(warehouse, _warehouse_entry)


def _holds_only_values(root: Path) -> bool:
    """A partition's folder is ours when it holds nothing but stored values and their records
    (``cachedir.tag_folder``): a project folder whose name is the partition key is not."""
    from orchestration.cachedir import holds_only

    return holds_only(root, _stored_value_entry)


def partition_root(warehouse: Path, partition_key: str | None) -> Path:
    """``<warehouse>/<partition key>``, refusing keys that would leave the warehouse."""
    from orchestration.registry import RegistryError, validate_partition_key
    from orchestration.storage import StorageError

    if partition_key is None:
        return warehouse / UNPARTITIONED_FOLDER
    try:
        validate_partition_key(partition_key)
    except RegistryError as exc:
        raise StorageError(
            f"refusing to store under partition key {partition_key!r}: {exc}"
        ) from exc
    root = (warehouse / partition_key).resolve()
    if root.parent != warehouse.resolve():
        raise StorageError(f"partition key {partition_key!r} escapes the warehouse {warehouse}")
    return root


def column_schema(table_schema: pa.Schema) -> TableSchema:
    """Dagster's column schema of an Arrow schema: names, Arrow type names, nullability."""
    return TableSchema(
        columns=[
            TableColumn(
                name=field.name,
                type=str(field.type),
                constraints=TableColumnConstraints(nullable=field.nullable),
            )
            for field in table_schema
        ]
    )


def table_metadata(value: Any, *, table_schema: pa.Schema | None = None) -> dict[str, Any]:
    """Row count and column schema of a table value (polars or pyarrow); empty for other values.

    The assets hand the IO manager a table already cast to its declared schema
    (``storage.as_arrow``), or pass that schema here for a table they do not cast (its stored
    file is current), so the schema shown is the one written to Parquet.
    """
    import polars as pl
    import pyarrow as pa

    from orchestration.storage import as_arrow

    if not isinstance(value, pl.DataFrame | pa.Table):
        return {}
    schema = table_schema if table_schema is not None else as_arrow(value).schema
    return {
        "dagster/row_count": value.num_rows if isinstance(value, pa.Table) else value.height,
        "dagster/column_schema": column_schema(schema),
    }


# Output metadata the assets set for the IO manager (``hamilton_assets``):
# the version token of the value (``storage.value_token``), recorded when the file is written;
STORED_TOKEN_KEY = "codeintel/stored_token"
# True when the op found the stored file current for that token (``stored_if_current``): the
# value it yields is then not cast to its declared schema, and must not be written.
STORED_CURRENT_KEY = "codeintel/stored_current"


def _metadata_value(metadata: Any, key: str) -> Any:
    entry = metadata.get(key) if metadata else None
    return getattr(entry, "value", entry)


def loaded_fingerprint(frame: pl.DataFrame) -> str | None:
    """Hamilton's fingerprint (``orchestration.caching``) of ``frame``, the value ``load_value``
    returns for a Parquet file (``storage.loaded_frame`` of the table written)."""
    from hamilton.caching import fingerprinting

    from orchestration.caching import register_fingerprints

    register_fingerprints()
    fingerprint = fingerprinting.hash_value(frame)
    return None if fingerprint == fingerprinting.UNHASHABLE else str(fingerprint)


def _fingerprint_knowing(
    value: Any, fingerprint: str | None
) -> Callable[[pl.DataFrame], str | None]:
    """``loaded_fingerprint``, but ``fingerprint`` for ``value`` itself (that very object: the
    computed frame, when its file reads back as it is)."""
    if fingerprint is None:
        return loaded_fingerprint

    def fingerprint_of(frame: pl.DataFrame) -> str | None:
        return fingerprint if frame is value else loaded_fingerprint(frame)

    return fingerprint_of


def _single_partition_key(context: InputContext | OutputContext) -> str | None:
    if not context.has_asset_partitions:
        return None
    keys = list(context.asset_partition_keys)
    if len(keys) != 1:
        from orchestration.storage import StorageError

        raise StorageError(
            f"asset {context.asset_key.to_user_string()} spans {len(keys)} partitions in one step; "
            "this IO manager stores one partition per step (use a single-run backfill per key)"
        )
    return keys[0]


class HamiltonIOManager(ConfigurableIOManager):
    """Stores asset values under ``<warehouse>/<partition key>/`` (see module docstring).

    ``warehouse`` empty means ``$CODEINTEL_WAREHOUSE``, else ``$DAGSTER_HOME/warehouse``, resolved
    when the run starts.
    """

    warehouse: str | None = None
    handoff_megabytes: int = Field(
        default=512,
        ge=0,
        description="Tables a run wrote or read, kept in memory for its later steps while their "
        "files are unchanged (least recently used dropped beyond this size; 0: always read).",
    )
    _handoff: ValueHandOff[pl.DataFrame] | None = PrivateAttr(default=None)
    # Tables an op started encoding before it yields them (``encode_ahead``; None outside a run).
    _ahead: WritesAhead | None = PrivateAttr(default=None)
    # Partition key -> its folder, validated and resolved once per run (None outside a run).
    _roots: dict[str | None, Path] | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        # Dagster calls this on the run's own copy of the IO manager: the hand-off is per run.
        self._roots = {}
        # An existing warehouse is tagged before the run's first step walks a repository it may
        # lie in (``orchestration.cachedir``): codeintel's own folder, tagged as found. One that
        # does not exist is made (and tagged) by the first write: a run that fails before any
        # work writes nothing.
        warehouse = self.warehouse_path()
        if warehouse.is_dir():
            from orchestration.cachedir import tag_folder

            with contextlib.suppress(OSError):
                tag_folder(warehouse, ours=_holds_only_partitions)
        if self.handoff_megabytes > 0:
            from orchestration.storage import ValueHandOff

            self._handoff = ValueHandOff(max_bytes=self.handoff_megabytes << 20)
        from orchestration.build import WRITE_THREADS
        from orchestration.storage import WritesAhead

        self._ahead = WritesAhead(threads=WRITE_THREADS, handoff=self._handoff)

    @property
    def handoff(self) -> ValueHandOff[pl.DataFrame] | None:
        """The run's hand-off of tables between steps (None outside a run or when turned off)."""
        return self._handoff

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._ahead is not None:
            self._ahead.close()  # encodings no write took: their temporaries go
        self._ahead = None
        if self._handoff is not None:
            self._handoff.clear()  # the run is over: its tables go now, not when Dagster lets go
        self._handoff = None
        self._roots = None

    def warehouse_path(self) -> Path:
        return resolve_warehouse(self.warehouse)

    def root_for(self, partition_key: str | None) -> Path:
        roots = self._roots
        if roots is None:
            return partition_root(self.warehouse_path(), partition_key)
        root = roots.get(partition_key)
        if root is None:
            root = roots[partition_key] = partition_root(self.warehouse_path(), partition_key)
        return root

    def store_value(
        self,
        *,
        key_path: Sequence[str],
        partition_key: str | None,
        value: Any,
        token: str | None = None,
    ) -> Path:
        """Write a value; ``token`` (``storage.value_token``) is recorded with a table's file,
        with the Hamilton fingerprint of the value ``load_value`` returns for it."""
        from orchestration.storage import write_value

        return write_value(
            self._tagged_root(partition_key),
            key_path,
            value,
            token=token,
            fingerprint=loaded_fingerprint if token is not None else None,
            handoff=self._handoff,
            ahead=self._ahead,
        )

    def _tagged_root(self, partition_key: str | None) -> Path:
        """The partition's folder, where a value is about to be written: the warehouse and the
        folder, like ``codeintel build``'s ``--out`` (the same files), are tagged before their
        first file (a repository walk leaves them out)."""
        from orchestration.cachedir import tag_folder

        root = self.root_for(partition_key)
        with contextlib.suppress(OSError):  # a folder that cannot be made fails the write
            tag_folder(self.warehouse_path(), ours=_holds_only_partitions)
            tag_folder(root, ours=_holds_only_values)
        return root

    def encode_ahead(
        self,
        *,
        key_path: Sequence[str],
        partition_key: str | None,
        value: pl.DataFrame | pa.Table,
        table_schema: pa.Schema | None,
        token: str | None,
        value_fingerprint: str | None = None,
    ) -> None:
        """Start encoding the table ``value`` of ``key_path`` while the caller goes on (nothing
        outside a run): a ``store_value`` of ``written_value``'s table with the same ``token``
        then writes that encoding (``storage.WritesAhead``). ``value_fingerprint``: Hamilton's
        fingerprint of ``value`` (its data version), recorded when the file reads back as
        ``value`` itself instead of hashing its rows again (tokio's CPG tables: ~2-5 ms each,
        waited for by the op)."""
        if self._ahead is None:
            return
        self._ahead.start(
            self._tagged_root(partition_key),
            key_path,
            value,
            table_schema=table_schema,
            token=token,
            fingerprint=(
                _fingerprint_knowing(value, value_fingerprint) if token is not None else None
            ),
        )

    def written_value(
        self, *, key_path: Sequence[str], partition_key: str | None, value: Any
    ) -> pa.Table | None:
        """The table an ``encode_ahead`` of ``value`` writes (``value`` cast to its declared
        schema), None when none was started for it; raises ``storage.StorageError`` when it
        does not fit that schema."""
        if self._ahead is None:
            return None
        return self._ahead.written_value(self.root_for(partition_key), key_path, value)

    def discard_ahead(
        self, *, key_paths: Sequence[Sequence[str]], partition_key: str | None
    ) -> None:
        """Forget the encodings of ``key_paths`` that no write took (their temporaries go)."""
        from orchestration.storage import table_path

        if self._ahead is not None:
            root = self.root_for(partition_key)
            self._ahead.discard([table_path(root, key_path) for key_path in key_paths])

    def stored_fingerprint(
        self, *, key_path: Sequence[str], partition_key: str | None
    ) -> str | None:
        """The recorded fingerprint of the value ``load_value`` returns for ``key_path`` (see
        ``store_value``) when its file is unchanged since; else None."""
        from orchestration.storage import stored_record

        record = stored_record(self.root_for(partition_key), key_path)
        fingerprint = record.get("fingerprint") if record is not None else None
        return fingerprint if isinstance(fingerprint, str) else None

    def stored_if_current(
        self, *, key_path: Sequence[str], partition_key: str | None, token: str
    ) -> Path | None:
        """The stored file of ``key_path`` if it holds the value with version ``token``
        (``storage.stored_if_current``), else None."""
        from orchestration.storage import stored_if_current

        return stored_if_current(self.root_for(partition_key), key_path, token=token)

    def handed_off(self, *, key_path: Sequence[str], partition_key: str | None) -> Any | None:
        """The table of ``key_path`` that this run wrote or read, while its file is unchanged
        (the hand-off); None otherwise."""
        from orchestration.storage import table_path

        if self._handoff is None:
            return None
        return self._handoff.recall(table_path(self.root_for(partition_key), key_path))

    def load_value(
        self,
        *,
        key_path: Sequence[str],
        partition_key: str | None,
        table_schema: pa.Schema | None = None,
    ) -> Any:
        """Load a stored value; ops call this for upstream assets they need (see assets.py),
        with the table's declared schema, which a stored table must have (``read_value``)."""
        from orchestration.storage import read_value

        return read_value(
            self.root_for(partition_key),
            key_path,
            handoff=self._handoff,
            table_schema=table_schema,
        )

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        if obj is None:
            # Nothing to store (e.g. a Nothing-typed output); a None *value* is not an asset.
            return
        metadata = context.output_metadata
        token = _metadata_value(metadata, STORED_TOKEN_KEY)
        token = token if isinstance(token, str) else None
        key_path = context.asset_key.path
        partition_key = _single_partition_key(context)
        if token is not None and _metadata_value(metadata, STORED_CURRENT_KEY) is True:
            from orchestration.storage import value_path

            path = value_path(self.root_for(partition_key), key_path, obj)  # left as it is
        else:
            path = self.store_value(
                key_path=key_path, partition_key=partition_key, value=obj, token=token
            )
        context.add_output_metadata({"codeintel/path": MetadataValue.path(str(path))})

    def load_input(self, context: InputContext) -> Any:
        return self.load_value(
            key_path=context.asset_key.path, partition_key=_single_partition_key(context)
        )
