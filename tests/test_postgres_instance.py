"""The production instance: ``dagster_home/postgres/dagster.yaml`` on a real PostgreSQL 15.

A throw-away cluster (``initdb`` + ``postgres`` on a free 127.0.0.1 port, see tests/servers.py);
the shipped config is copied unchanged into a temporary home and selected with ``DAGSTER_HOME``,
credentials from the ``DAGSTER_PG_*`` variables. ``codeintel materialize`` runs the real job for a
small repository on it; the events are then read back through Dagster and straight from the
database tables.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import psycopg2
import pytest
from dagster import AssetKey, DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter
from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage

from tests.instance_home import POSTGRES_INSTANCE, new_dagster_home
from tests.servers import PROJECT, VENV_BIN, Postgres, dagster_env, postgres_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    with postgres_server(database="dagster") as server:
        yield server


def _pg_env(postgres: Postgres) -> dict[str, str]:
    return {
        "DAGSTER_PG_HOST": postgres.host,
        "DAGSTER_PG_PORT": str(postgres.port),
        "DAGSTER_PG_DB": postgres.database,
        "DAGSTER_PG_USERNAME": postgres.user,
        "DAGSTER_PG_PASSWORD": "",  # the test cluster trusts local connections
    }


@pytest.fixture
def postgres_home(tmp_path: Path) -> Path:
    return new_dagster_home(tmp_path / "postgres_home", config=POSTGRES_INSTANCE)


def test_materialize_a_partition_on_postgres_and_read_the_events_back(
    postgres: Postgres,
    postgres_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo = tmp_path / "pg-demo"
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "util.py").write_text("def helper(x):\n    return x + 1\n")
    (repo / "main.py").write_text("from pkg.util import helper\n\n\ndef main():\n    helper(1)\n")

    env = dagster_env(postgres_home, **_pg_env(postgres))
    completed = subprocess.run(
        [str(VENV_BIN / "codeintel"), "materialize", str(repo)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "1/1 repositories ok" in completed.stdout

    for name, value in _pg_env(postgres).items():
        monkeypatch.setenv(name, value)
    instance = DagsterInstance.from_config(str(postgres_home))
    try:
        assert isinstance(instance.run_storage, PostgresRunStorage)
        assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
        assert instance.run_retries_enabled
        assert instance.get_dynamic_partitions("repos") == ["pg-demo"]
        runs = instance.get_runs(RunsFilter(tags={"dagster/partition": "pg-demo"}))
        assert [run.status for run in runs] == [DagsterRunStatus.SUCCESS]
        event = instance.get_latest_materialization_event(AssetKey(["python", "symbols"]))
        assert event is not None and event.asset_materialization is not None
        assert event.asset_materialization.partition == "pg-demo"
        metadata = event.asset_materialization.metadata
        symbols = pl.read_parquet(
            postgres_home / "warehouse" / "pg-demo" / "python" / "symbols.parquet"
        )
        assert {"helper", "main"} <= set(symbols["name"].to_list())
        assert metadata["dagster/row_count"].value == symbols.height
        records = instance.get_records_for_run(
            runs[0].run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
        ).records
        evaluations = [
            record.event_log_entry.dagster_event.asset_check_evaluation_data
            for record in records
            if record.event_log_entry.dagster_event is not None
        ]
        assert evaluations and all(evaluation.passed for evaluation in evaluations)
        assert AssetKey(["python", "symbols"]) in {e.asset_key for e in evaluations}
    finally:
        instance.dispose()

    # The same facts straight from PostgreSQL.
    connection = psycopg2.connect(
        host=postgres.host, port=postgres.port, user=postgres.user, dbname=postgres.database
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM event_logs WHERE dagster_event_type = "
                "'ASSET_MATERIALIZATION' AND partition = %s",
                ("pg-demo",),
            )
            row = cursor.fetchone()
            assert row is not None and row[0] >= 10
            cursor.execute("SELECT status FROM runs")
            assert cursor.fetchall() == [("SUCCESS",)]
    finally:
        connection.close()
    # No Dagster SQLite storage beside it (the Hamilton cache keeps its own SQLite metadata).
    assert not list(postgres_home.glob("history/**/*.db"))
    assert not list(postgres_home.glob("schedules/*.db"))
