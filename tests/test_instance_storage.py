"""The pooled SQLite event log storage behind the shipped ``dagster.yaml`` (real Dagster instances).

It must be a drop-in for stock Dagster: the same files and schema (stock reads what it wrote and
the other way round), the UI's run-log watch still fires, and its open connections stay bounded.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from dagster import (
    AssetCheckResult,
    AssetCheckSpec,
    AssetKey,
    AssetRecordsFilter,
    AssetSpec,
    DagsterEventType,
    DagsterInstance,
    DataVersion,
    EventRecordsResult,
    ExecuteInProcessResult,
    MaterializeResult,
    StaticPartitionsDefinition,
    asset,
    asset_check,
    materialize,
    multi_asset,
)
from dagster._core.definitions.data_version import DATA_VERSION_TAG, INPUT_DATA_VERSION_TAG_PREFIX
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage

from orchestration.instance_storage import (
    DEFAULT_EVENT_BATCH_SIZE,
    EVENT_BATCH_SIZE_ENV,
    HOME_DATABASES,
    MAX_OPEN_RUN_SHARDS,
    SCHEMA_TEMPLATES_ENV,
    CodeintelInstance,
    PooledSqliteEventLogStorage,
    copy_new_database,
    schema_templates,
)
from orchestration.materialize_command import repos_main
from tests.instance_home import new_dagster_home


@asset
def numbers() -> list[int]:
    return [1, 2, 3]


@asset
def total(numbers: list[int]) -> int:
    return sum(numbers)


@asset_check(asset=numbers)
def numbers_are_positive(numbers: list[int]) -> AssetCheckResult:
    return AssetCheckResult(passed=all(n > 0 for n in numbers))


def _stock_home(shipped_home: Path, folder: Path) -> Path:
    """``folder`` as a home with the shipped config minus ``instance_class``: stock storage."""
    config = yaml.safe_load((shipped_home / "dagster.yaml").read_text())
    config.pop("instance_class")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dagster.yaml").write_text(yaml.safe_dump(config))
    return folder


@pytest.fixture
def instance(dagster_home: Path) -> Iterator[DagsterInstance]:
    opened = DagsterInstance.from_config(str(dagster_home))
    try:
        yield opened
    finally:
        opened.dispose()


def _event_storage(instance: DagsterInstance) -> PooledSqliteEventLogStorage:
    storage = instance.event_log_storage
    assert isinstance(storage, PooledSqliteEventLogStorage)
    return storage


def _run_summary(instance: DagsterInstance) -> dict[str, object]:
    """What a user sees of the runs: statuses, materializations, check results, event types."""
    runs = instance.get_runs()
    summary: dict[str, object] = {"statuses": sorted(run.status.value for run in runs)}
    for key in ("numbers", "total"):
        result = instance.fetch_materializations(AssetKey(key), limit=10)
        summary[key] = [record.run_id for record in result.records]
    checks = instance.event_log_storage.get_asset_check_execution_history(
        check_key=numbers_are_positive.check_key, limit=10
    )
    summary["checks"] = sorted((c.run_id, c.status.value) for c in checks)
    summary["events"] = {
        run.run_id: sorted(
            str(record.event_log_entry.dagster_event_type)
            for record in instance.get_records_for_run(run.run_id, limit=1000).records
        )
        for run in runs
    }
    return summary


def test_shipped_config_selects_pooled_storage_in_the_stock_places(
    instance: DagsterInstance, dagster_home: Path
) -> None:
    assert isinstance(instance, CodeintelInstance)
    storage = _event_storage(instance)
    assert storage.synchronous == "NORMAL"
    result = materialize([numbers, total, numbers_are_positive], instance=instance)
    assert result.success
    runs_folder = dagster_home / "history" / "runs"
    assert (runs_folder / "index.db").is_file()
    assert (runs_folder / f"{result.run_id}.db").is_file()
    assert (dagster_home / "history" / "runs.db").is_file()
    with storage.run_connection(result.run_id) as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    # A run worker gets the instance from its serialized reference: same class, same storage.
    ref = instance.get_ref()
    assert ref.custom_instance_class is CodeintelInstance
    assert ref.storage is not None
    assert isinstance(ref.storage.event_log_storage, PooledSqliteEventLogStorage)


def test_stock_dagster_and_pooled_storage_read_each_other(dagster_home: Path) -> None:
    pooled = DagsterInstance.from_config(str(dagster_home))
    try:
        assert materialize([numbers, total, numbers_are_positive], instance=pooled).success
    finally:
        pooled.dispose()
    stock_home = _stock_home(dagster_home, dagster_home.parent / "stock_view")
    for name in ("history", "schedules"):
        shutil.copytree(dagster_home / name, stock_home / name)
    stock = DagsterInstance.from_config(str(stock_home))
    try:
        assert type(stock.event_log_storage) is SqliteEventLogStorage
        assert materialize([numbers, total, numbers_are_positive], instance=stock).success
        seen_by_stock = _run_summary(stock)
    finally:
        stock.dispose()
    # Back in our storage: the stock run is there too, and both views agree.
    for name in ("history", "schedules"):
        shutil.rmtree(dagster_home / name)
        shutil.copytree(stock_home / name, dagster_home / name)
    pooled = DagsterInstance.from_config(str(dagster_home))
    try:
        seen_by_pooled = _run_summary(pooled)
    finally:
        pooled.dispose()
    assert seen_by_pooled == seen_by_stock
    assert seen_by_pooled["statuses"] == ["SUCCESS", "SUCCESS"]
    checks = seen_by_pooled["checks"]
    assert isinstance(checks, list) and len(checks) == 2


def _log_entry(run_id: str, message: str) -> EventLogEntry:
    return EventLogEntry(
        error_info=None,
        level="INFO",
        user_message=message,
        run_id=run_id,
        timestamp=0.0,
    )


def test_open_run_shard_connections_stay_bounded(instance: DagsterInstance) -> None:
    storage = _event_storage(instance)
    run_ids = [f"run-{index:02d}" for index in range(MAX_OPEN_RUN_SHARDS + 5)]
    for run_id in run_ids:
        storage.store_event(_log_entry(run_id, "hello"))
    open_shards = set(storage._engines)  # the bound is the point of the test
    assert len(open_shards - {"index"}) == MAX_OPEN_RUN_SHARDS
    assert open_shards - {"index"} == set(run_ids[-MAX_OPEN_RUN_SHARDS:])
    # An evicted shard reopens on demand with all its events.
    for run_id in run_ids:
        messages = [
            r.event_log_entry.user_message for r in storage.get_records_for_run(run_id).records
        ]
        assert messages == ["hello"]


def test_wipe_closes_connections_before_deleting_files(
    instance: DagsterInstance, dagster_home: Path
) -> None:
    storage = _event_storage(instance)
    storage.store_event(_log_entry("run-a", "before"))
    storage.wipe()
    assert not (dagster_home / "history" / "runs" / "run-a.db").exists()
    storage.store_event(_log_entry("run-a", "after"))
    messages = [
        r.event_log_entry.user_message for r in storage.get_records_for_run("run-a").records
    ]
    assert messages == ["after"]


def test_watch_sees_events_of_a_writer_that_keeps_its_connection_open(
    dagster_home: Path,
) -> None:
    """The UI follows a run with ``watch``; the writer (a run worker) never closes its shard."""
    writer = DagsterInstance.from_config(str(dagster_home))
    reader = DagsterInstance.from_config(str(dagster_home))
    try:
        writer_storage = _event_storage(writer)
        writer_storage.store_event(_log_entry("watched", "first"))
        seen: list[str] = []
        arrived = threading.Event()

        def on_event(entry: EventLogEntry, _cursor: str) -> None:
            seen.append(entry.user_message)
            if entry.user_message == "second":
                arrived.set()

        reader.watch_event_logs("watched", None, on_event)
        writer_storage.store_event(_log_entry("watched", "second"))
        assert arrived.wait(timeout=30), f"watch saw only {seen}"
        reader.end_watch_event_logs("watched", on_event)
        assert "watched" in writer_storage._engines  # still open: no checkpoint
    finally:
        writer.dispose()
        reader.dispose()


def _store_from_child(home: str, run_id: str) -> None:
    instance = DagsterInstance.from_config(home)
    _event_storage(instance).store_event(_log_entry(run_id, "from child"))
    instance.dispose()


def test_forked_child_opens_its_own_connections(
    instance: DagsterInstance, dagster_home: Path
) -> None:
    storage = _event_storage(instance)
    storage.store_event(_log_entry("shared", "from parent"))

    def child() -> None:
        # Same storage object, inherited through fork: it must not reuse the parent's handles.
        storage.store_event(_log_entry("shared", "from child"))

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(timeout=60)
    assert process.exitcode == 0
    messages = [
        r.event_log_entry.user_message for r in storage.get_records_for_run("shared").records
    ]
    assert messages == ["from parent", "from child"]


def test_concurrent_threads_share_one_storage(instance: DagsterInstance) -> None:
    storage = _event_storage(instance)
    errors: list[BaseException] = []

    def write(thread: int) -> None:
        try:
            for index in range(20):
                storage.store_event(_log_entry(f"thread-{thread % 2}", f"{thread}-{index}"))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for shard in ("thread-0", "thread-1"):
        assert len(storage.get_records_for_run(shard).records) == 40


def test_table_probe_caches_hits_only(instance: DagsterInstance, dagster_home: Path) -> None:
    storage = _event_storage(instance)
    assert storage.has_table("asset_check_executions")
    assert not storage.has_table("codeintel_probe")
    index = sqlite3.connect(dagster_home / "history" / "runs" / "index.db")
    index.execute("CREATE TABLE codeintel_probe (id INTEGER)")
    index.commit()
    index.close()
    assert storage.has_table("codeintel_probe")  # a miss was not remembered


def test_synchronous_mode_is_validated(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="synchronous must be one of FULL, NORMAL"):
        PooledSqliteEventLogStorage(str(tmp_path), synchronous="OFF")


def test_explicit_storage_in_dagster_yaml_still_wins(tmp_path: Path) -> None:
    home = new_dagster_home(tmp_path / "home")
    config = yaml.safe_load((home / "dagster.yaml").read_text())
    config["storage"] = {"sqlite": {"base_dir": str(tmp_path / "elsewhere")}}
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    instance = DagsterInstance.from_config(str(home))
    try:
        assert isinstance(instance, CodeintelInstance)
        assert type(instance.event_log_storage) is SqliteEventLogStorage
        assert instance._get_event_batch_size() == 0  # batches only for the pooled storage
    finally:
        instance.dispose()


def test_a_new_home_gets_the_shipped_config_an_existing_one_keeps_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = (new_dagster_home(tmp_path / "reference") / "dagster.yaml").read_text()
    new_home = tmp_path / "new" / "home"
    monkeypatch.setenv("DAGSTER_HOME", str(new_home))
    assert repos_main(["list"]) == 0
    assert (new_home / "dagster.yaml").read_text() == shipped
    instance = DagsterInstance.from_config(str(new_home))
    try:
        assert isinstance(instance, CodeintelInstance)
    finally:
        instance.dispose()
    # A home already in use without a config stays on Dagster's defaults: nothing is written.
    used_home = tmp_path / "used"
    (used_home / "history").mkdir(parents=True)
    monkeypatch.setenv("DAGSTER_HOME", str(used_home))
    assert repos_main(["list"]) == 0
    assert not (used_home / "dagster.yaml").exists()


def _schema(database: Path) -> dict[str, object]:
    """What Dagster relies on in a database: its objects' SQL, the Alembic stamp, the markers of
    the data migrations done (their timestamps are when the database was made)."""
    connection = sqlite3.connect(database)
    try:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
        return {
            "objects": sorted(connection.execute("SELECT type, name, sql FROM sqlite_master")),
            "alembic": connection.execute("SELECT version_num FROM alembic_version").fetchall(),
            "migrations": sorted(connection.execute("SELECT name FROM secondary_indexes"))
            if "secondary_indexes" in tables
            else [],
            "journal_mode": connection.execute("PRAGMA journal_mode").fetchone(),
        }
    finally:
        connection.close()


def test_new_homes_and_run_shards_are_copies_of_what_stock_dagster_creates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SCHEMA_TEMPLATES_ENV, str(tmp_path / "templates"))
    stock_base = tmp_path / "stock"
    stock = DagsterSqliteStorage(str(stock_base))
    stock_events = stock.event_log_storage
    assert isinstance(stock_events, SqliteEventLogStorage)
    with stock_events.run_connection("stock-run"):  # a run's first connection creates its shard
        pass
    stock.dispose()
    home = new_dagster_home(tmp_path / "home")
    instance = DagsterInstance.from_config(str(home))
    try:
        templates = schema_templates()
        assert templates is not None and Path(templates).is_relative_to(tmp_path / "templates")
        result = materialize([numbers, total, numbers_are_positive], instance=instance)
        assert result.success
    finally:
        instance.dispose()
    for name in HOME_DATABASES:
        assert _schema(home / name) == _schema(stock_base / name), name
    run_shard = home / "history" / "runs" / f"{result.run_id}.db"
    assert _schema(run_shard) == _schema(stock_base / "history" / "runs" / "stock-run.db")
    assert not list((home / "history" / "runs").glob("*.tmp"))
    # Stock Dagster reads the home made from the templates, runs included.
    stock_home = _stock_home(home, tmp_path / "stock_view")
    for name in ("history", "schedules"):
        shutil.copytree(home / name, stock_home / name)
    stock_instance = DagsterInstance.from_config(str(stock_home))
    try:
        assert type(stock_instance.event_log_storage) is SqliteEventLogStorage
        assert _run_summary(stock_instance)["statuses"] == ["SUCCESS"]
        assert materialize([numbers, total, numbers_are_positive], instance=stock_instance).success
    finally:
        stock_instance.dispose()


def test_an_index_beside_existing_runs_is_made_as_stock_dagster_makes_it(
    dagster_home: Path, tmp_path: Path
) -> None:
    instance = DagsterInstance.from_config(str(dagster_home))
    try:
        assert materialize([numbers, total], instance=instance).success
    finally:
        instance.dispose()
    stock_home = _stock_home(dagster_home, tmp_path / "stock_view")
    for name in ("history", "schedules"):
        shutil.copytree(dagster_home / name, stock_home / name)
    seen: list[tuple[int, list[object]]] = []
    for home in (dagster_home, stock_home):
        for suffix in ("", "-wal", "-shm"):
            (home / "history" / "runs" / f"index.db{suffix}").unlink(missing_ok=True)
        reopened = DagsterInstance.from_config(str(home))
        try:
            found = len(reopened.fetch_materializations(AssetKey("total"), limit=5).records)
        finally:
            reopened.dispose()
        index_schema = _schema(home / "history" / "runs" / "index.db")
        seen.append((found, [index_schema["objects"], index_schema["migrations"]]))
    assert seen[0] == seen[1]


def test_without_a_writable_template_folder_dagster_creates_the_databases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv(SCHEMA_TEMPLATES_ENV, str(blocker / "templates"))
    assert schema_templates() is None
    home = new_dagster_home(tmp_path / "home")
    instance = DagsterInstance.from_config(str(home))
    try:
        assert materialize([numbers, total, numbers_are_positive], instance=instance).success
    finally:
        instance.dispose()
    assert all((home / name).is_file() for name in HOME_DATABASES)


def test_a_run_writes_its_planned_events_as_one_batch(
    instance: DagsterInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = _event_storage(instance)
    batches: list[list[str]] = []
    store_batch = storage.store_event_batch

    def recording(events: list[EventLogEntry]) -> None:
        batches.append([str(event.dagster_event_type) for event in events])
        store_batch(events)

    monkeypatch.setattr(storage, "store_event_batch", recording)  # observe the instance's calls
    monkeypatch.delenv(EVENT_BATCH_SIZE_ENV, raising=False)
    assert instance._get_event_batch_size() == DEFAULT_EVENT_BATCH_SIZE
    result = materialize([numbers, total, numbers_are_positive], instance=instance)
    assert result.success
    assert len(batches) == 1
    assert sorted(batches[0]) == sorted(
        ["DagsterEventType.ASSET_MATERIALIZATION_PLANNED"] * 2
        + ["DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED"]
    )
    planned = instance.get_records_for_run(result.run_id, limit=1000).records
    assert sum("PLANNED" in str(r.event_log_entry.dagster_event_type) for r in planned) == 3
    checks = instance.event_log_storage.get_asset_check_execution_history(
        check_key=numbers_are_positive.check_key, limit=10
    )
    assert [c.status.value for c in checks] == ["SUCCEEDED"]
    # The environment variable still decides: 0 turns batching off as in stock Dagster.
    monkeypatch.setenv(EVENT_BATCH_SIZE_ENV, "0")
    batches.clear()
    assert materialize([numbers, total, numbers_are_positive], instance=instance).success
    assert batches == []


def test_a_failed_batch_commits_nothing(instance: DagsterInstance) -> None:
    storage = _event_storage(instance)
    storage.store_event(_log_entry("batched", "before"))
    not_an_event: Any = "not an event"
    with pytest.raises(Exception, match="event"):
        storage.store_event_batch([_log_entry("batched", "in batch"), not_an_event])
    messages = [
        r.event_log_entry.user_message for r in storage.get_records_for_run("batched").records
    ]
    assert messages == ["before"]
    storage.store_event_batch([_log_entry("batched", "one"), _log_entry("batched", "two")])
    messages = [
        r.event_log_entry.user_message for r in storage.get_records_for_run("batched").records
    ]
    assert messages == ["before", "one", "two"]


def test_a_database_copy_never_replaces_a_file_nor_leaves_a_partial_one(tmp_path: Path) -> None:
    template = tmp_path / "template.db"
    template.write_bytes(b"template")
    existing = tmp_path / "runs" / "existing.db"
    existing.parent.mkdir()
    existing.write_bytes(b"a run's events")
    assert not copy_new_database(template=str(template), destination=str(existing))
    assert existing.read_bytes() == b"a run's events"
    assert copy_new_database(template=str(template), destination=str(tmp_path / "runs" / "new.db"))
    assert (tmp_path / "runs" / "new.db").read_bytes() == b"template"
    with pytest.raises(FileNotFoundError):
        copy_new_database(
            template=str(tmp_path / "missing.db"), destination=str(tmp_path / "runs" / "x.db")
        )
    assert sorted(path.name for path in (tmp_path / "runs").iterdir()) == ["existing.db", "new.db"]


letters = StaticPartitionsDefinition(["a", "b"])
_versions = itertools.count()  # each materialization of ``letter`` has a new data version


@multi_asset(
    specs=[AssetSpec("letter", partitions_def=letters)],
    check_specs=[AssetCheckSpec("letter_is_lower", asset="letter")],
    partitions_def=letters,
)
def letter() -> Iterator[MaterializeResult | AssetCheckResult]:
    # As codeintel's ops do: the asset and its check results come out of one step.
    yield MaterializeResult(asset_key="letter", data_version=DataVersion(f"v{next(_versions)}"))
    yield AssetCheckResult(asset_key="letter", check_name="letter_is_lower", passed=True)


def _latest(instance: DagsterInstance, partition: str) -> EventRecordsResult:
    return instance.fetch_materializations(
        AssetRecordsFilter(asset_key=letter.key, asset_partitions=[partition]), limit=1
    )


def _answered_from_memory(instance: DagsterInstance, result: EventRecordsResult) -> bool:
    remembered = _event_storage(instance)._stored_materializations.values()
    return any(result.records[0] is record for record in remembered)


def _check_target(result: ExecuteInProcessResult) -> int | None:
    """The storage id of the materialization the run's check evaluation targeted."""
    (evaluation,) = result.get_asset_check_evaluations()
    target = evaluation.target_materialization_data
    return None if target is None else target.storage_id


def test_the_latest_materialization_of_a_partition_is_what_stock_dagster_reads(
    dagster_home: Path,
) -> None:
    """A run's own materializations answer its checks' target lookups without reading the event
    back, but only while nothing newer was committed by another process or wiped."""
    first = DagsterInstance.from_config(str(dagster_home))
    second = DagsterInstance.from_config(str(dagster_home))  # another process on the same home
    try:
        run_a = materialize([letter], instance=first, partition_key="a")
        assert run_a.success
        mine = _latest(first, "a")
        assert _answered_from_memory(first, mine)
        assert mine.records[0].run_id == run_a.run_id
        stock_view = _latest(second, "a")  # nothing remembered there: stock reads the index
        assert not _answered_from_memory(second, stock_view)
        assert mine == stock_view  # same storage id, cursor, has_more and the same event
        # The check evaluation of the run targeted that very materialization.
        assert _check_target(run_a) == mine.records[0].storage_id

        # A concurrent run of the same partition in another process: the remembered one is stale.
        run_b = materialize([letter], instance=second, partition_key="a")
        assert run_b.success
        seen_by_first = _latest(first, "a")
        assert not _answered_from_memory(first, seen_by_first)
        assert seen_by_first.records[0].run_id == run_b.run_id
        assert seen_by_first == _latest(second, "a")
        assert _check_target(run_b) == seen_by_first.records[0].storage_id
        # Another partition, and a partition never materialized, are unaffected.
        assert _latest(first, "b").records == []
        assert materialize([letter], instance=first, partition_key="b").success
        assert _answered_from_memory(first, _latest(first, "b"))

        # A wipe by the other process hides what was materialized before it, as in stock.
        assert materialize([letter], instance=first, partition_key="a").success
        assert _answered_from_memory(first, _latest(first, "a"))
        second.wipe_assets([letter.key])
        assert _latest(first, "a").records == []
        assert _latest(first, "a") == _latest(second, "a")
    finally:
        first.dispose()
        second.dispose()


def test_a_materialization_of_a_failed_batch_is_not_remembered(instance: DagsterInstance) -> None:
    storage = _event_storage(instance)
    run = materialize([letter], instance=instance, partition_key="a")
    stored = instance.get_records_for_run(run.run_id, limit=1000).records
    materialization = next(
        r.event_log_entry
        for r in stored
        if r.event_log_entry.dagster_event_type == DagsterEventType.ASSET_MATERIALIZATION
    )
    storage._stored_materializations.clear()
    not_an_event: Any = "not an event"
    with pytest.raises(Exception, match="event"):
        storage.store_event_batch([materialization, not_an_event])
    assert storage._stored_materializations == {}
    assert storage._uncommitted_materializations() == []
    assert _latest(instance, "a").records[0].storage_id == stored_id(instance, run.run_id)


def stored_id(instance: DagsterInstance, run_id: str) -> int:
    records = instance.fetch_materializations(letter.key, limit=10).records
    return next(record.storage_id for record in records if record.run_id == run_id)


@asset(partitions_def=letters, deps=[letter.key])
def word() -> MaterializeResult:
    return MaterializeResult()


def _letter_versions(instance: DagsterInstance, partitions: list[str]) -> dict[str, object]:
    return dict(
        instance.event_log_storage.get_latest_tags_by_partition(
            letter.key,
            DagsterEventType.ASSET_MATERIALIZATION,
            [DATA_VERSION_TAG],
            asset_partitions=partitions,
        )
    )


def test_upstream_data_versions_are_what_stock_dagster_reads(dagster_home: Path) -> None:
    """Each step reads its upstream partitions' data versions (provenance); a run's own
    materializations answer, while the index confirms they are still the latest."""
    first = DagsterInstance.from_config(str(dagster_home))
    second = DagsterInstance.from_config(str(dagster_home))
    try:
        assert materialize([letter], instance=second, partition_key="b").success
        run = materialize([letter, word], instance=first, partition_key="a")
        assert run.success
        (materialization,) = [
            m for m in run.asset_materializations_for_node("word") if m.asset_key == word.key
        ]
        letter_version = _letter_versions(first, ["a"])["a"]
        assert isinstance(letter_version, dict)
        # A partitioned input's data version: the hash of its partitions' versions (stock).
        expected = hashlib.sha256(letter_version[DATA_VERSION_TAG].encode()).hexdigest()
        assert materialization.tags is not None
        assert materialization.tags[f"{INPUT_DATA_VERSION_TAG_PREFIX}/letter"] == expected
        # Partly remembered ("b" was stored by the other process), partly not: same as stock.
        for partitions in (["a"], ["b"], ["a", "b"], ["b", "a", "a"]):
            assert _letter_versions(first, partitions) == _letter_versions(second, partitions)
        # A newer materialization of "a" by the other process is what both read.
        assert materialize([letter], instance=second, partition_key="a").success
        assert _letter_versions(first, ["a"]) != {"a": letter_version}
        assert _letter_versions(first, ["a", "b"]) == _letter_versions(second, ["a", "b"])
    finally:
        first.dispose()
        second.dispose()
