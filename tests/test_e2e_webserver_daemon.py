"""End to end as a team runs it: ``dagster-webserver`` + ``dagster-daemon``, driven through GraphQL.

A temporary ``DAGSTER_HOME`` holds a copy of the shipped dagster.yaml; the watched folder
(``CODEINTEL_REPOS_ROOT``) is a temporary folder and the sensor ticks every few seconds
(``CODEINTEL_SENSOR_INTERVAL_SECONDS``). The test turns ``new_repos_sensor`` on with the
``startSensor`` mutation (the shipped default is off), drops a repository into the watched folder,
and sees through GraphQL the partition appear, the sensor's run succeed and the asset checks pass.
It then materializes one asset the way the UI's "Materialize" button does (``launchRun`` on the
implicit asset job, no ``assetCheckSelection`` so the asset's checks run too). Both servers, the
code servers and run workers they spawn, are stopped by process group, also on failure.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.instance_home import new_dagster_home
from tests.servers import DagsterServers, dagster_env, dagster_webserver_and_daemon

pytestmark = pytest.mark.e2e

T = TypeVar("T")
WAIT_SECONDS = 420
TERMINAL = {"SUCCESS", "FAILURE", "CANCELED"}
IMPLICIT_ASSET_JOB = "__ASSET_JOB"

WORKSPACE_QUERY = """
query {
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError {
          __typename
          ... on RepositoryLocation { repositories { name } }
          ... on PythonError { message }
        }
      }
    }
  }
}
"""
START_SENSOR = """
mutation Start($selector: SensorSelector!) {
  startSensor(sensorSelector: $selector) {
    __typename
    ... on Sensor { sensorState { status } }
    ... on PythonError { message }
    ... on UnauthorizedError { message }
  }
}
"""
PARTITIONS_QUERY = """
query Partitions($key: AssetKeyInput!) {
  assetNodeOrError(assetKey: $key) { ... on AssetNode { partitionKeys } }
}
"""
RUNS_QUERY = """
query Runs($filter: RunsFilter) {
  runsOrError(filter: $filter) {
    __typename
    ... on Runs { results { runId status jobName tags { key value } } }
  }
}
"""
RUN_EVENTS = """
query Events($runId: ID!) {
  logsForRun(runId: $runId, limit: 100000) {
    __typename
    ... on EventConnection {
      events {
        __typename
        ... on MaterializationEvent { assetKey { path } }
        ... on AssetCheckEvaluationEvent {
          evaluation { checkName success assetKey { path } }
        }
        ... on ExecutionStepFailureEvent { stepKey error { message } }
      }
    }
  }
}
"""
LAUNCH_RUN = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message stack }
    ... on InvalidSubsetError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}
"""


def _poll(fetch: Callable[[], T | None], *, servers: DagsterServers, what: str) -> T:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = fetch()
        if value is not None:
            return value
        for server in (servers.webserver, servers.daemon):
            if not server.alive():
                raise server.fail(f"exited while waiting for {what}")
        time.sleep(1)
    raise AssertionError(
        f"no {what} after {WAIT_SECONDS}s\n--- daemon ---\n{servers.daemon.log_tail()}"
        f"\n--- webserver ---\n{servers.webserver.log_tail()}"
    )


def _location(servers: DagsterServers) -> tuple[str, str] | None:
    workspace = servers.graphql(WORKSPACE_QUERY)["workspaceOrError"]
    for entry in workspace.get("locationEntries", []):
        loaded = entry["locationOrLoadError"]
        if entry["loadStatus"] == "LOADED" and loaded:
            if loaded["__typename"] == "PythonError":
                raise AssertionError(f"code location failed to load: {loaded['message']}")
            return entry["name"], loaded["repositories"][0]["name"]
    return None


def _runs(servers: DagsterServers, partition: str) -> list[dict[str, Any]]:
    variables = {"filter": {"tags": [{"key": "dagster/partition", "value": partition}]}}
    result = servers.graphql(RUNS_QUERY, variables)["runsOrError"]
    assert result["__typename"] == "Runs", result
    return result["results"]


def _first_run(servers: DagsterServers, partition: str) -> dict[str, Any] | None:
    runs = _runs(servers, partition)
    return runs[0] if runs else None


def _finished(servers: DagsterServers, run_id: str) -> dict[str, Any] | None:
    result = servers.graphql(RUNS_QUERY, {"filter": {"runIds": [run_id]}})["runsOrError"]
    run = result["results"][0]
    return run if run["status"] in TERMINAL else None


def _events(servers: DagsterServers, run_id: str) -> list[dict[str, Any]]:
    logs = servers.graphql(RUN_EVENTS, {"runId": run_id})["logsForRun"]
    assert logs["__typename"] == "EventConnection", logs
    return logs["events"]


def _assert_succeeded(servers: DagsterServers, run: dict[str, Any]) -> list[dict[str, Any]]:
    events = _events(servers, run["runId"])
    failures = [e for e in events if e["__typename"] == "ExecutionStepFailureEvent"]
    assert run["status"] == "SUCCESS", f"run {run['runId']} {run['status']}: {failures}"
    return events


def _write_repo(root: Path) -> None:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "shapes.py").write_text(
        "class Shape:\n    def area(self):\n        return 0\n\n\n"
        "class Square(Shape):\n    def area(self):\n        return side(self) ** 2\n\n\n"
        "def side(shape):\n    return 2\n"
    )
    (root / "main.rs").write_text("fn main() {\n    helper();\n}\n\nfn helper() {}\n")


def test_sensor_run_and_ui_materialize_through_graphql(tmp_path: Path) -> None:
    home = new_dagster_home(tmp_path / "dagster_home")
    watched = tmp_path / "repos"
    watched.mkdir()
    env = dagster_env(
        home, CODEINTEL_REPOS_ROOT=str(watched), CODEINTEL_SENSOR_INTERVAL_SECONDS="3"
    )

    with dagster_webserver_and_daemon(home=home, env=env) as servers:
        location, repository = _poll(
            lambda: _location(servers), servers=servers, what="loaded code location"
        )
        started = servers.graphql(
            START_SENSOR,
            {
                "selector": {
                    "repositoryLocationName": location,
                    "repositoryName": repository,
                    "sensorName": "new_repos_sensor",
                }
            },
        )["startSensor"]
        assert started["__typename"] == "Sensor", started
        assert started["sensorState"]["status"] == "RUNNING"

        _write_repo(watched / "shapes")
        files_key = {"key": {"path": ["repo", "files"]}}
        _poll(
            lambda: (
                "shapes"
                in (
                    servers.graphql(PARTITIONS_QUERY, files_key)["assetNodeOrError"][
                        "partitionKeys"
                    ]
                )
                or None
            ),
            servers=servers,
            what="partition 'shapes'",
        )
        sensor_run: dict[str, Any] = _poll(
            lambda: _first_run(servers, "shapes"), servers=servers, what="sensor run"
        )
        tags = {tag["key"]: tag["value"] for tag in sensor_run["tags"]}
        assert tags["dagster/sensor_name"] == "new_repos_sensor"
        assert tags["codeintel/trigger"] == "new"
        assert tags["dagster/max_retries"] == "2"
        assert sensor_run["jobName"] == "codeintel_job"
        finished = _poll(
            lambda: _finished(servers, sensor_run["runId"]), servers=servers, what="run end"
        )
        events = _assert_succeeded(servers, finished)
        materialized = {
            "/".join(e["assetKey"]["path"])
            for e in events
            if e["__typename"] == "MaterializationEvent"
        }
        assert {"repo/files", "python/symbols", "rust/symbols", "cpg/nodes"} <= materialized
        checks = [e["evaluation"] for e in events if e["__typename"] == "AssetCheckEvaluationEvent"]
        assert checks, "the sensor's run evaluated no asset check"
        assert all(check["success"] for check in checks), checks
        assert (home / "warehouse" / "shapes" / "python" / "symbols.parquet").is_file()

        # The UI's "Materialize" on one asset of one partition.
        launched = servers.graphql(
            LAUNCH_RUN,
            {
                "params": {
                    "selector": {
                        "repositoryLocationName": location,
                        "repositoryName": repository,
                        "jobName": IMPLICIT_ASSET_JOB,
                        "assetSelection": [{"path": ["python", "symbols"]}],
                    },
                    "mode": "default",
                    "runConfigData": {},
                    "executionMetadata": {
                        "tags": [{"key": "dagster/partition", "value": "shapes"}]
                    },
                }
            },
        )["launchRun"]
        assert launched["__typename"] == "LaunchRunSuccess", launched
        run_id = launched["run"]["runId"]
        ui_run = _poll(lambda: _finished(servers, run_id), servers=servers, what="UI run end")
        ui_events = _assert_succeeded(servers, ui_run)
        ui_materialized = [
            "/".join(e["assetKey"]["path"])
            for e in ui_events
            if e["__typename"] == "MaterializationEvent"
        ]
        assert ui_materialized == ["python/symbols"]
        ui_checks = [
            e["evaluation"] for e in ui_events if e["__typename"] == "AssetCheckEvaluationEvent"
        ]
        assert ui_checks and all(check["success"] for check in ui_checks), ui_checks
        assert {tuple(check["assetKey"]["path"]) for check in ui_checks} == {("python", "symbols")}

    # Every process of both servers is gone (code servers and run workers included).
    assert not servers.webserver.group_alive()
    assert not servers.daemon.group_alive()
