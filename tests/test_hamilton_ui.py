"""Hamilton UI tracking end to end: a real Hamilton UI server on a free loopback port, a Dagster
materialization with the ``hamilton_tracking`` resource, the tracked runs read back through the
server's API (tags: environment, version = plan signature, dagster_run_id, op)."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

# `make setup` installs the `ui` extra; a missing package fails here instead of skipping, so the
# tracking acceptance test cannot silently stop running.
import hamilton_sdk  # noqa: F401  # pyright: ignore[reportUnusedImport]
import hamilton_ui  # noqa: F401  # pyright: ignore[reportUnusedImport]
import pytest
from dagster import DagsterInstance, materialize

from orchestration.assets import hamilton_assets, stop_tracking
from orchestration.io_manager import HamiltonIOManager
from orchestration.partition import build_plan
from orchestration.resources import HamiltonCacheResource
from orchestration.tracking import HamiltonTrackingResource, TrackingError, tracking_config
from tests.fixtures import sales_dataflow
from tests.servers import free_port, running, wait_until

USER = "tracker@example.com"


def _request(url: str, *, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers={"x-api-user": USER, "x-api-key": "", "Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _answers(url: str) -> bool:
    try:
        _request(url)
    except (urllib.error.URLError, OSError, ValueError):
        return False
    return True


@pytest.mark.e2e
def test_tracked_materialization_is_readable_from_the_hamilton_ui(tmp_path: Path) -> None:
    port = free_port()
    api = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "orchestration.tracking", "serve", "--port", str(port)]
    command += ["--base-dir", str(tmp_path / "ui")]
    with running("hamilton-ui", command, log_path=tmp_path / "ui.log") as server:
        wait_until(
            lambda: _answers(f"{api}/api/v1/projects"),
            server=server,
            timeout=180,
            what="answering /api/v1/projects",
        )
        project = _request(
            f"{api}/api/v1/projects",
            body={
                "name": "codeintel-test",
                "description": "tracked by tests/test_hamilton_ui.py",
                "tags": {},
                "visibility": {
                    "user_ids_visible": [],
                    "team_ids_visible": [],
                    "team_ids_writable": [],
                    "user_ids_writable": [USER],
                },
                "attributes": [],
            },
        )
        orders = tmp_path / "orders.csv"
        orders.write_text(
            "order_id,region,sku,quantity,unit_price\n1,eu,apple,2,3.0\n2,us,pear,4,2.5\n"
        )
        plan = build_plan(modules=[sales_dataflow])
        assets = hamilton_assets(
            modules=[sales_dataflow],
            inputs={"orders_path": str(orders), "fx_rate": 1.5},
            plan=plan,
            cache_resource_key="hamilton_cache",
            tracking_resource_key="hamilton_tracking",
        )
        with DagsterInstance.ephemeral() as instance:
            result = materialize(
                assets,
                instance=instance,
                resources={
                    "io_manager": HamiltonIOManager(warehouse=str(tmp_path / "warehouse")),
                    "hamilton_cache": HamiltonCacheResource(root=str(tmp_path / "cache")),
                    "hamilton_tracking": HamiltonTrackingResource(
                        api_url=api,
                        project_id=project["id"],
                        username=USER,
                        environment="test",
                    ),
                },
                raise_on_error=False,
            )
        stop_tracking()  # flush the task updates while the server is up
        runs = _request(f"{api}/api/v1/dag_runs/latest/?project_id={project['id']}")
    assert result.success
    tracked = [run for run in runs if run["tags"].get("dagster_run_id") == result.run_id]
    ops = {run["tags"]["op"] for run in tracked}
    assert ops == {op.name for op in plan.ops}
    for run in tracked:
        assert run["tags"]["environment"] == "test"
        assert run["tags"]["version"] == plan.signature
        assert run["run_status"] == "SUCCESS"


def test_tracking_configuration_from_env_and_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("API_URL", "UI_URL", "PROJECT", "USER"):
        monkeypatch.delenv(f"CODEINTEL_HAMILTON_{name}", raising=False)
    assert tracking_config() is None
    monkeypatch.setenv("CODEINTEL_HAMILTON_API_URL", "http://127.0.0.1:1/")
    with pytest.raises(TrackingError, match="needs a project id"):
        tracking_config()
    monkeypatch.setenv("CODEINTEL_HAMILTON_PROJECT", "seven")
    monkeypatch.setenv("CODEINTEL_HAMILTON_USER", USER)
    with pytest.raises(TrackingError, match="must be an integer"):
        tracking_config()
    config = tracking_config(project_id=7)
    assert config is not None
    assert (config.api_url, config.ui_url, config.project_id, config.username) == (
        "http://127.0.0.1:1",
        "http://127.0.0.1:1",
        7,
        USER,
    )
    assert config.environment == "dev"
