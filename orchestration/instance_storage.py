"""SQLite event log storage that keeps one engine per shard instead of one per statement.

Dagster's ``SqliteEventLogStorage`` creates a new SQLAlchemy engine (``NullPool``), connection and
transaction for every access to a shard, and a Dagster event touches up to four of them (run
shard, index mirror, asset-check tables, "does this table exist?" probes). Closing the last
connection of a WAL database checkpoints it and fsyncs, and a fresh engine has an empty
compiled-statement cache, so a small run's ~600 events cost seconds of pure storage overhead.

``PooledSqliteEventLogStorage`` is the same storage, the same files (``<base_dir>/<run_id>.db``
and ``index.db``) and the same schema: it only keeps an engine per shard (a one-connection pool
that grows when a caller nests connections), caches table probes that succeeded, and can set
``PRAGMA synchronous`` on its connections. The webserver, the daemon, ``dagster job launch``,
sensors and concurrency pools use it unchanged because they all build the storage from the same
``dagster.yaml``. ``CodeintelInstance`` is the stock ``DagsterInstance`` whose default storage
(no ``storage:`` key in ``dagster.yaml``) is this one under the instance's own folder.

Two more costs of a small run are cut the same way, without changing what is stored: a new run's
shard and a new instance folder's databases are copies of empty databases that stock Dagster made
once for this Dagster version (``schema_templates``), instead of ``create_all`` plus an Alembic
stamp each time; and a run's ~180 planned events (Dagster sends them as a batch when batching is
on, which ``CodeintelInstance`` turns on) are written in one transaction per database.

Two questions Dagster asks the storage many times per partitioned run are about what the same run
has just written: the latest materialization of an asset partition (the target of each asset check
result) and its data-version tags (each step's upstream provenance). The storage remembers the
materializations it committed, with their storage ids, and answers those two from memory when one
indexed row read confirms that the remembered one is still the latest of its partition and the
asset was never wiped; otherwise (another process materialized the partition since, a wipe,
anything it did not store itself) stock answers.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import sqlite3
import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import sqlalchemy
import yaml
from dagster import Field, StringSource
from dagster import __version__ as dagster_version
from dagster._config import Enum, EnumValue
from dagster._core.event_api import (
    AssetRecordsFilter,
    EventLogCursor,
    EventLogRecord,
    EventRecordsResult,
)
from dagster._core.events import DagsterEventType
from dagster._core.instance import DagsterInstance, InstanceRef
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SqliteEventLogStorage,
    SqliteEventLogStorageWatchdog,
)
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage
from dagster._serdes import ConfigurableClassData
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import QueuePool
from watchdog.events import FileSystemEvent, PatternMatchingEventHandler

if TYPE_CHECKING:
    from dagster._config.config_schema import UserConfigSchema
    from dagster._core.definitions.asset_key import AssetKey
    from dagster._core.event_api import EventHandlerFn
    from dagster._core.events.log import EventLogEntry
    from sqlalchemy.engine import Connection, Engine

SYNCHRONOUS_MODES = ("FULL", "NORMAL")
DEFAULT_SYNCHRONOUS = "FULL"  # SQLite's own default: the same durability as stock Dagster
# Run shards are written by one run and read by the UI while it runs; an engine per shard stays
# open for the most recent ones only, so a long-lived webserver does not hold every run's file.
MAX_OPEN_RUN_SHARDS = 8
# Where the empty databases made by stock Dagster are kept (see ``schema_templates``); the default
# is the user's cache folder, one sub-folder per Dagster/SQLAlchemy/SQLite version.
SCHEMA_TEMPLATES_ENV = "CODEINTEL_DAGSTER_SCHEMA_CACHE"
# The databases of a new instance folder, relative to it (stock ``DagsterSqliteStorage`` layout).
HOME_DATABASES = (
    os.path.join("history", "runs.db"),
    os.path.join("history", "runs", f"{INDEX_SHARD_NAME}.db"),
    os.path.join("schedules", "schedules.db"),
)
_RUN_SHARD_TEMPLATE_NAME = "run_shard_template"
RUN_SHARD_TEMPLATE = os.path.join("history", "runs", f"{_RUN_SHARD_TEMPLATE_NAME}.db")
# Events sent with batch metadata (the ~4 "planned" events per asset of a new run) are held until
# the batch ends and then written in one transaction per database; stock Dagster only batches when
# this environment variable is set (its default is 0: off).
EVENT_BATCH_SIZE_ENV = "DAGSTER_EVENT_BATCH_SIZE"
DEFAULT_EVENT_BATCH_SIZE = 1000
# How many (asset key, partition) pairs the storage remembers its latest stored materialization
# of (see ``PooledSqliteEventLogStorage.fetch_materializations``): a run has one per asset.
MAX_REMEMBERED_MATERIALIZATIONS = 4096
# The one index row that decides whether a remembered materialization is still the latest one of
# its asset partition: the newest materialization there (by storage id, as stock orders them),
# and the asset's wipe details (stock filters out what a wipe hid). Covered by the stock index
# ``idx_events_by_asset_partition``; plain SQL, so SQLAlchemy compiles nothing.
_LATEST_MATERIALIZATION_SQL = (
    "SELECT id, run_id, (SELECT asset_details FROM asset_keys WHERE asset_key = ?) "
    "FROM event_logs WHERE asset_key = ? AND dagster_event_type = ? AND partition = ? "
    "ORDER BY id DESC LIMIT 1"
)


def schema_templates() -> str | None:
    """A folder of empty databases at Dagster's current schema, made once by stock Dagster.

    Creating a database costs SQLAlchemy's ``create_all`` (a commit per table) plus an Alembic
    stamp that loads every migration script: ~0.1-0.2 s for each run's event shard and ~1 s for
    a new instance folder (four databases and their data-migration markers). Copying a file made
    by the same Dagster, SQLAlchemy and SQLite versions gives byte-for-byte what they would create
    (only the markers' timestamps are those of the template). ``None`` when the cache folder
    cannot be written: callers then let Dagster create the databases itself.
    """
    root = os.environ.get(SCHEMA_TEMPLATES_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "codeintel",
        "dagster-sqlite-schema",
    )
    folder = os.path.join(
        root,
        f"dagster-{dagster_version}-sqlalchemy-{sqlalchemy.__version__}-sqlite-"
        f"{sqlite3.sqlite_version}",
    )
    if os.path.isfile(os.path.join(folder, RUN_SHARD_TEMPLATE)):
        return folder
    try:
        os.makedirs(root, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=".staging-", dir=root)
        try:
            _create_stock_databases(staging)
            try:
                os.rename(staging, folder)  # atomic; a concurrent builder's equal copy may win
            except OSError:
                if not os.path.isfile(os.path.join(folder, RUN_SHARD_TEMPLATE)):
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except (OSError, sqlite3.Error, SQLAlchemyError):
        # No template (read-only or full cache folder, a database error while making it): the
        # instance is still usable, Dagster creates its databases itself.
        return None
    return folder


def _create_stock_databases(base_dir: str) -> None:
    storage = DagsterSqliteStorage(base_dir)  # creates the home databases, as for a new home
    try:
        events = storage.event_log_storage
        assert isinstance(events, SqliteEventLogStorage)
        with events.run_connection(_RUN_SHARD_TEMPLATE_NAME):
            pass  # a run's first connection creates its shard
    finally:
        storage.dispose()  # closing the last connections checkpoints the write-ahead logs
    for relative in (*HOME_DATABASES, RUN_SHARD_TEMPLATE):
        if os.path.exists(os.path.join(base_dir, f"{relative}-wal")):
            raise OSError(f"{relative} was left with a write-ahead log; not a usable template")


def copy_new_database(*, template: str, destination: str) -> bool:
    """Copy ``template`` to ``destination`` unless it exists; False when it already did.

    The copy is staged beside the destination and hard-linked into place, so a concurrent opener
    sees either no file or the whole one, and never has its own file replaced.
    """
    if os.path.exists(destination):
        return False
    os.makedirs(os.path.dirname(destination), exist_ok=True)
    staged = f"{destination}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        shutil.copyfile(template, staged)  # a full disk leaves no partial copy behind
        try:
            os.link(staged, destination)
        except FileExistsError:
            return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(staged)
    return True


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` with one engine per shard (see the module docstring).

    ``synchronous`` is SQLite's ``PRAGMA synchronous`` for every connection: ``FULL`` (default,
    as stock) syncs the write-ahead log on every commit; ``NORMAL`` only at checkpoints, which
    in WAL mode cannot corrupt the database but may lose the last events on a power loss.
    """

    def __init__(
        self,
        base_dir: str,
        inst_data: ConfigurableClassData | None = None,
        *,
        synchronous: str = DEFAULT_SYNCHRONOUS,
    ) -> None:
        if synchronous not in SYNCHRONOUS_MODES:
            raise ValueError(
                f"synchronous must be one of {', '.join(SYNCHRONOUS_MODES)}, not {synchronous!r}"
            )
        self._synchronous = synchronous
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_pid = os.getpid()
        self._existing_tables: set[str] = set()
        self._existing_tables_lock = threading.Lock()
        # The connections of the batch a thread is writing (``store_event_batch``), by shard,
        # and the materializations it stored that are not committed yet.
        self._batch_state = threading.local()
        # The latest materialization this storage committed, per (asset key, partition).
        self._stored_materializations: OrderedDict[tuple[str, str], EventLogRecord] = OrderedDict()
        self._stored_materializations_lock = threading.Lock()
        # Close the connections when the storage goes away or the process exits: closing the last
        # connection checkpoints the write-ahead log into the ``.db`` file, as stock leaves it.
        weakref.finalize(self, _dispose_engines_of_process, self._engines, os.getpid())
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def config_type(cls) -> UserConfigSchema:
        return {
            "base_dir": StringSource,
            "synchronous": Field(
                Enum("SqliteSynchronous", [EnumValue(mode) for mode in SYNCHRONOUS_MODES]),
                is_required=False,
                default_value=DEFAULT_SYNCHRONOUS,
            ),
        }

    @classmethod
    def from_config_value(  # pyright: ignore[reportIncompatibleMethodOverride]
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledSqliteEventLogStorage:
        return cls(
            base_dir=config_value["base_dir"],
            inst_data=inst_data,
            synchronous=config_value.get("synchronous", DEFAULT_SYNCHRONOUS),
        )

    @property
    def synchronous(self) -> str:
        return self._synchronous

    def _engine_for_shard(self, shard: str) -> Engine:
        """The shard's engine, created on first use; callers hold ``self._db_lock``."""
        if self._engines_pid != os.getpid():
            # A forked child must not use the parent's sqlite handles; forget them unclosed.
            for engine in self._engines.values():
                engine.dispose(close=False)
            self._engines.clear()
            self._engines_pid = os.getpid()
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        engine = create_engine(
            self.conn_string_for_shard(shard),
            poolclass=QueuePool,
            # One connection serves the storage (``_db_lock`` serializes its users); callers that
            # open a second one while holding the first get a temporary extra connection.
            pool_size=1,
            max_overflow=-1,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
        )
        synchronous = self._synchronous

        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA synchronous={synchronous}")
            cursor.close()

        event.listen(engine, "connect", _on_connect)
        self._engines[shard] = engine
        run_shards = [name for name in self._engines if name != INDEX_SHARD_NAME]
        for name in run_shards[: max(0, len(run_shards) - MAX_OPEN_RUN_SHARDS)]:
            self._engines.pop(name).dispose()
        return engine

    def _dispose_engines(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()

    @functools.cached_property
    def _schema_templates(self) -> str | None:
        # Found (or made) when this storage creates its first run shard: a process that only
        # reads the instance (the webserver listing runs) never needs them.
        return schema_templates()

    def _initialized_engine(self, shard: str) -> Engine:
        """The shard's engine, its database created if needed; callers hold ``self._db_lock``."""
        engine = self._engine_for_shard(shard)
        if shard not in self._initialized_dbs:
            templates = self._schema_templates
            # A new run's shard is a copy of the template: stock Dagster's own empty database,
            # already at the head revision, so there is nothing for ``_initdb`` to check.
            if (
                shard == INDEX_SHARD_NAME
                or templates is None
                or not copy_new_database(
                    template=os.path.join(templates, RUN_SHARD_TEMPLATE),
                    destination=self.path_for_shard(shard),
                )
            ):
                self._initdb(engine)
            self._initialized_dbs.add(shard)
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        batch: dict[str, Connection] | None = getattr(self._batch_state, "connections", None)
        if batch is not None:
            # Inside ``store_event_batch`` on this thread, which holds ``_db_lock`` throughout:
            # every statement of the batch joins its shard's one open transaction.
            conn = batch.get(shard)
            if conn is None:
                conn = self._initialized_engine(shard).connect()
                conn.begin()
                batch[shard] = conn
            yield conn
            return
        with self._db_lock:
            engine = self._initialized_engine(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        """Stock ``store_event`` for each event, in one transaction per database touched.

        Dagster sends a batch only when batching is on (``CodeintelInstance`` turns it on): a new
        run's planned events, ~4 per asset, which are otherwise a commit each on the run's shard
        and up to three on the index. Nothing of a failed batch is committed; Dagster then stores
        its events one by one.
        """
        connections: dict[str, Connection] = {}
        with self._db_lock:
            self._batch_state.connections = connections
            try:
                for event in events:
                    self.store_event(event)
                for conn in connections.values():
                    conn.commit()
                self._remember_committed_materializations()
            finally:
                self._batch_state.connections = None
                self._uncommitted_materializations().clear()
                for conn in connections.values():
                    conn.close()  # rolls back what was not committed

    def store_event(self, event: EventLogEntry) -> None:
        """Stock ``store_event``; a materialization it committed is remembered (see below)."""
        in_batch = getattr(self._batch_state, "connections", None) is not None
        try:
            super().store_event(event)
        except BaseException:
            if not in_batch:
                self._uncommitted_materializations().clear()
            raise
        if not in_batch:  # stock committed the index transaction before returning
            self._remember_committed_materializations()

    def _store_asset_event(self, conn: Connection, event: EventLogEntry, event_id: int) -> None:
        # Called by stock ``store_event`` inside the index transaction, with the storage id.
        super()._store_asset_event(conn, event, event_id)
        dagster_event = event.dagster_event
        if (
            dagster_event is not None
            and dagster_event.event_type_value == DagsterEventType.ASSET_MATERIALIZATION.value
            and dagster_event.asset_key is not None
            and dagster_event.partition is not None
        ):
            self._uncommitted_materializations().append(
                (
                    (dagster_event.asset_key.to_string(), dagster_event.partition),
                    EventLogRecord(storage_id=event_id, event_log_entry=event),
                )
            )

    def _uncommitted_materializations(self) -> list[tuple[tuple[str, str], EventLogRecord]]:
        pending = getattr(self._batch_state, "materializations", None)
        if pending is None:
            pending = self._batch_state.materializations = []
        return pending

    def _remember_committed_materializations(self) -> None:
        pending = self._uncommitted_materializations()
        if not pending:
            return
        with self._stored_materializations_lock:
            remembered = self._stored_materializations
            for key, record in pending:
                remembered[key] = record
                remembered.move_to_end(key)
            while len(remembered) > MAX_REMEMBERED_MATERIALIZATIONS:
                remembered.popitem(last=False)
        pending.clear()

    def fetch_materializations(
        self,
        records_filter: AssetKey | AssetRecordsFilter,
        limit: int,
        cursor: str | None = None,
        ascending: bool = False,
    ) -> EventRecordsResult:
        """Stock, except that the latest materialization of one asset partition, when this
        storage stored it and the index confirms it is still the latest, is answered without
        reading and deserializing the stored event.

        Dagster asks exactly this for every asset check result of a partitioned run (the check's
        target materialization, ``AssetCheckResult.to_asset_check_evaluation``): 148 queries of
        two statements and a deserialized event each in a codeintel run.
        """
        remembered = None
        if (
            isinstance(records_filter, AssetRecordsFilter)
            and limit == 1
            and cursor is None
            and not ascending
            and records_filter.asset_partitions is not None
            and len(records_filter.asset_partitions) == 1
            and records_filter.after_timestamp is None
            and records_filter.before_timestamp is None
            and records_filter.after_storage_id is None
            and records_filter.before_storage_id is None
            and records_filter.storage_ids is None
        ):
            remembered = self._confirmed_latest_materialization(
                records_filter.asset_key, records_filter.asset_partitions[0]
            )
        if remembered is None:
            return super().fetch_materializations(
                records_filter, limit=limit, cursor=cursor, ascending=ascending
            )
        return EventRecordsResult(
            records=[remembered],
            cursor=EventLogCursor.from_storage_id(remembered.storage_id).to_string(),
            has_more=True,  # stock: as many records as the limit (1)
        )

    def get_latest_tags_by_partition(
        self,
        asset_key: AssetKey,
        event_type: DagsterEventType,
        tag_keys: Sequence[str],
        asset_partitions: Sequence[str] | None = None,
        before_cursor: int | None = None,
        after_cursor: int | None = None,
    ) -> Mapping[str, Mapping[str, str]]:
        """Stock, except that the tags of materializations this storage stored and the index
        confirms as the latest of their partitions are taken from the stored events.

        Each step of a partitioned run asks this for the data version of every upstream asset
        partition (``DataVersionCache``): 65 queries of two statements in a codeintel run. The
        answer is what stock reads from the tags table: the indexed tags of each partition's
        latest materialization, restricted to ``tag_keys``.
        """
        if (
            event_type == DagsterEventType.ASSET_MATERIALIZATION
            and asset_partitions
            and before_cursor is None
            and after_cursor is None
            and tag_keys
            and len(self.get_asset_tags_to_index(set(tag_keys))) == len(tag_keys)
        ):
            tags_by_partition: dict[str, Mapping[str, str]] = {}
            for partition in dict.fromkeys(asset_partitions):
                record = self._confirmed_latest_materialization(asset_key, partition)
                if record is None:
                    break
                tags = {
                    key: value
                    for key, value in self._tags_for_asset_event(record.event_log_entry).items()
                    if key in tag_keys
                }
                if tags:  # stock: a partition appears only with at least one matching tag
                    tags_by_partition[partition] = tags
            else:
                return tags_by_partition
        return super().get_latest_tags_by_partition(
            asset_key,
            event_type,
            tag_keys,
            asset_partitions=asset_partitions,
            before_cursor=before_cursor,
            after_cursor=after_cursor,
        )

    def _confirmed_latest_materialization(
        self, asset_key: AssetKey, partition: str
    ) -> EventLogRecord | None:
        """The materialization of ``asset_key`` in ``partition`` that this storage committed,
        if it is still the latest one stock would return; else None (ask stock).

        The confirmation is one indexed row read in its own transaction, as stock reads: a newer
        materialization committed by another process (a concurrent run of the same partition)
        or any wipe of the asset makes it None.
        """
        key = asset_key.to_string()
        with self._stored_materializations_lock:
            record = self._stored_materializations.get((key, partition))
        if record is None:
            return None
        with self.index_connection() as conn:
            latest = conn.exec_driver_sql(
                _LATEST_MATERIALIZATION_SQL,
                (key, key, DagsterEventType.ASSET_MATERIALIZATION.value, partition),
            ).fetchone()
        if latest is None:
            return None
        storage_id, run_id, asset_details = latest
        if storage_id != record.storage_id or run_id != record.run_id or asset_details:
            return None
        return record

    def has_table(self, table_name: str) -> bool:
        # Probed before most index writes (asset checks, partitions, tags); a table that exists
        # keeps existing, so only a miss asks SQLite again (a migration may add it).
        with self._existing_tables_lock:
            if table_name in self._existing_tables:
                return True
        exists = super().has_table(table_name)
        if exists:
            with self._existing_tables_lock:
                self._existing_tables.add(table_name)
        return exists

    def watch(self, run_id: str, cursor: str | None, callback: EventHandlerFn) -> None:
        # Stock watches ``<run>.db`` only, which a writer with an open connection changes at
        # checkpoints; committed events land in ``<run>.db-wal`` first.
        if not self._obs:
            from watchdog.observers import Observer

            self._obs = Observer()
            self._obs.start()
        watchdog = _RunShardWatchdog(self, run_id, callback, cursor)
        self._watchers[run_id][callback] = (
            watchdog,
            self._obs.schedule(watchdog, self._base_dir, recursive=True),
        )

    def wipe(self) -> None:
        self._dispose_engines()  # stock deletes the shard files; no handle may outlive them
        super().wipe()

    def upgrade(self) -> None:
        self._dispose_engines()
        with self._existing_tables_lock:
            self._existing_tables.clear()
        super().upgrade()

    def dispose(self) -> None:
        self._dispose_engines()
        super().dispose()


def _dispose_engines_of_process(engines: Mapping[str, Engine], owner_pid: int) -> None:
    if os.getpid() == owner_pid:  # a forked child leaves its parent's handles alone
        for engine in list(engines.values()):
            engine.dispose()


class _RunShardWatchdog(SqliteEventLogStorageWatchdog):
    """Stock watchdog that also reacts to writes to the run shard's write-ahead log."""

    def __init__(
        self,
        event_log_storage: SqliteEventLogStorage,
        run_id: str,
        callback: EventHandlerFn,
        cursor: str | None,
    ) -> None:
        super().__init__(event_log_storage, run_id, callback, cursor)
        log_path = event_log_storage.path_for_shard(run_id)
        self._watched_paths = frozenset({log_path, f"{log_path}-wal"})
        # The stock constructor fixes its patterns to the ``.db`` file; widen them.
        PatternMatchingEventHandler.__init__(self, patterns=sorted(self._watched_paths))

    def on_modified(self, event: FileSystemEvent) -> None:
        if os.fsdecode(event.src_path) in self._watched_paths:
            self._process_log()


def _event_logs_directory(base_dir: str) -> str:
    # The stock layout (dagster._core.storage.sqlite_storage): run shards and index.db here.
    return os.path.join(base_dir, "history", "runs", "")


def _copy_databases_into_new_home(base_dir: str) -> None:
    """A new instance folder gets copies of the template databases (see ``schema_templates``).

    Only when none of its databases and no run shard exist: an index created beside existing
    runs must be built by Dagster, which re-indexes their events into it.
    """
    runs_folder = _event_logs_directory(base_dir)
    if any(os.path.exists(os.path.join(base_dir, name)) for name in HOME_DATABASES) or (
        os.path.isdir(runs_folder) and any(name.endswith(".db") for name in os.listdir(runs_folder))
    ):
        return
    templates = schema_templates()
    if templates is None:
        return
    for name in HOME_DATABASES:
        copy_new_database(
            template=os.path.join(templates, name), destination=os.path.join(base_dir, name)
        )


class PooledSqliteStorage(DagsterSqliteStorage):
    """Stock ``DagsterSqliteStorage`` (runs, schedules) with the pooled event log storage."""

    def __init__(
        self,
        base_dir: str,
        inst_data: ConfigurableClassData | None = None,
        *,
        synchronous: str = DEFAULT_SYNCHRONOUS,
    ) -> None:
        _copy_databases_into_new_home(base_dir)
        super().__init__(base_dir, inst_data=inst_data)
        stock = self._event_log_storage
        stock.dispose()
        self._event_log_storage = PooledSqliteEventLogStorage(
            _event_logs_directory(base_dir), synchronous=synchronous
        )

    @classmethod
    def config_type(cls) -> UserConfigSchema:
        return PooledSqliteEventLogStorage.config_type()

    @classmethod
    def from_config_value(  # pyright: ignore[reportIncompatibleMethodOverride]
        cls, inst_data: ConfigurableClassData, config_value: Mapping[str, Any]
    ) -> PooledSqliteStorage:
        os.makedirs(config_value["base_dir"], exist_ok=True)
        return cls(
            config_value["base_dir"],
            inst_data=inst_data,
            synchronous=config_value.get("synchronous", DEFAULT_SYNCHRONOUS),
        )

    @property
    def event_storage_data(self) -> ConfigurableClassData | None:
        return ConfigurableClassData(
            __name__,
            PooledSqliteEventLogStorage.__name__,
            yaml.dump(
                {"base_dir": _event_logs_directory(self.base_dir), "synchronous": self.synchronous},
                default_flow_style=False,
            ),
        )

    @property
    def synchronous(self) -> str:
        storage = self._event_log_storage
        assert isinstance(storage, PooledSqliteEventLogStorage)
        return storage.synchronous


# Commits sync the write-ahead log only at checkpoints (see PooledSqliteEventLogStorage); measured
# on this project's runs, the per-commit fsync was a third of the remaining storage time.
SHIPPED_SYNCHRONOUS = "NORMAL"


class CodeintelInstance(DagsterInstance):
    """The stock ``DagsterInstance`` whose default storage is ``PooledSqliteStorage``.

    Selected in ``dagster.yaml`` with ``instance_class: {module: orchestration.instance_storage,
    class: CodeintelInstance}``; an explicit ``storage:`` (PostgreSQL, stock ``sqlite``) in the same
    file still wins. Dagster passes every way of opening an instance (``DagsterInstance.get()``,
    ``from_config``, ``local_temp``, run workers from an ``InstanceRef``) through
    ``config_defaults`` with the instance's own folder, so the storage always lands in the stock
    places under it.
    """

    @classmethod
    def config_schema(cls) -> dict[str, Any]:
        return {}  # no settings of its own; Dagster merges this into the instance schema

    def _get_event_batch_size(self) -> int:
        # Stock reads only the environment variable (default 0: no batches). On, a new run's
        # ~180 planned events are one write (PooledSqliteEventLogStorage.store_event_batch)
        # instead of ~500 commits; the variable still wins, 0 turns batching off.
        # Only for the pooled storage: another one (an explicit ``storage:``) may accept fewer
        # kinds of events in a batch (PostgreSQL: materializations), and Dagster would log each
        # refused batch before storing its events one by one.
        configured = os.environ.get(EVENT_BATCH_SIZE_ENV, "").strip()
        if configured:
            return int(configured)
        pooled = isinstance(self.event_log_storage, PooledSqliteEventLogStorage)
        return DEFAULT_EVENT_BATCH_SIZE if pooled else 0

    @staticmethod
    def config_defaults(base_dir: str) -> Mapping[str, ConfigurableClassData | None]:
        defaults = dict(InstanceRef.config_defaults(base_dir))
        defaults["storage"] = ConfigurableClassData(
            __name__,
            PooledSqliteStorage.__name__,
            yaml.dump(
                {"base_dir": base_dir, "synchronous": SHIPPED_SYNCHRONOUS},
                default_flow_style=False,
            ),
        )
        # Used when dagster.yaml names only some of the legacy per-kind storages.
        defaults["event_log_storage"] = ConfigurableClassData(
            __name__,
            PooledSqliteEventLogStorage.__name__,
            yaml.dump(
                {
                    "base_dir": _event_logs_directory(base_dir),
                    "synchronous": SHIPPED_SYNCHRONOUS,
                },
                default_flow_style=False,
            ),
        )
        return defaults
