"""Hamilton UI tracking: a ``HamiltonTracker`` on the op drivers when a tracking server is set.

Configured by the ``hamilton_tracking`` resource (``HamiltonTrackingResource``) or, for fields it
leaves empty, the environment:

- ``CODEINTEL_HAMILTON_API_URL`` (e.g. ``http://127.0.0.1:8241``): on when set;
- ``CODEINTEL_HAMILTON_UI_URL`` (default: the API URL), ``CODEINTEL_HAMILTON_PROJECT`` (project
  id, an integer), ``CODEINTEL_HAMILTON_USER`` (user name, an e-mail for the UI),
  ``CODEINTEL_ENVIRONMENT`` (tag ``environment``, default ``dev``).

Each tracked execution is tagged with ``environment``, ``version`` (the plan signature),
``dagster_run_id`` and ``op``. The tracker needs the optional extra ``ui``
(``pip install -e '.[ui]'``: apache-hamilton-sdk; apache-hamilton-ui for the server).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dagster import ConfigurableResource

API_URL_ENV = "CODEINTEL_HAMILTON_API_URL"
UI_URL_ENV = "CODEINTEL_HAMILTON_UI_URL"
PROJECT_ENV = "CODEINTEL_HAMILTON_PROJECT"
USER_ENV = "CODEINTEL_HAMILTON_USER"
ENVIRONMENT_ENV = "CODEINTEL_ENVIRONMENT"
DEFAULT_DAG_NAME = "codeintel"


class TrackingError(RuntimeError):
    """Tracking is configured but cannot work (bad project id, SDK missing)."""


@dataclass(frozen=True)
class TrackingConfig:
    api_url: str
    ui_url: str
    project_id: int
    username: str
    environment: str = "dev"
    dag_name: str = DEFAULT_DAG_NAME


def _pick(configured: str | None, env: str) -> str:
    return (configured or os.environ.get(env, "")).strip()


def tracking_config(
    *,
    api_url: str | None = None,
    ui_url: str | None = None,
    project_id: int | str | None = None,
    username: str | None = None,
    environment: str | None = None,
    dag_name: str | None = None,
) -> TrackingConfig | None:
    """The tracking settings (arguments first, then the environment); None when no API URL."""
    url = _pick(api_url, API_URL_ENV)
    if not url:
        return None
    project_text = _pick(str(project_id) if project_id is not None else None, PROJECT_ENV)
    user = _pick(username, USER_ENV)
    if not project_text or not user:
        raise TrackingError(
            f"Hamilton UI tracking at {url} needs a project id ({PROJECT_ENV}) and a user "
            f"({USER_ENV})"
        )
    try:
        project = int(project_text)
    except ValueError as exc:
        raise TrackingError(
            f"Hamilton UI project id must be an integer, got {project_text!r}"
        ) from exc
    return TrackingConfig(
        api_url=url.rstrip("/"),
        ui_url=(_pick(ui_url, UI_URL_ENV) or url).rstrip("/"),
        project_id=project,
        username=user,
        environment=_pick(environment, ENVIRONMENT_ENV) or "dev",
        dag_name=dag_name or DEFAULT_DAG_NAME,
    )


def run_tags(
    config: TrackingConfig, *, plan_signature: str, run_id: str, op: str
) -> dict[str, str]:
    """Tags of one tracked execution (the Hamilton UI filters runs by them)."""
    return {
        "environment": config.environment,
        "version": plan_signature,
        "dagster_run_id": run_id,
        "op": op,
    }


def make_tracker(config: TrackingConfig, *, tags: Mapping[str, str] | None = None) -> Any:
    """A ``hamilton_sdk.adapters.HamiltonTracker`` (checks the server and project at once)."""
    try:
        from hamilton_sdk.adapters import HamiltonTracker
    except ImportError as exc:
        raise TrackingError(
            "Hamilton UI tracking needs apache-hamilton-sdk: pip install -e '.[ui]'"
        ) from exc
    return HamiltonTracker(
        project_id=config.project_id,
        username=config.username,
        dag_name=config.dag_name,
        tags=dict(tags or {"environment": config.environment}),
        hamilton_api_url=config.api_url,
        hamilton_ui_url=config.ui_url,
    )


class HamiltonTrackingResource(ConfigurableResource):
    """Hamilton UI tracking of every op (see module docstring); empty fields come from the env."""

    api_url: str | None = None
    ui_url: str | None = None
    project_id: int | None = None
    username: str | None = None
    environment: str | None = None

    def tracking_config(self) -> TrackingConfig | None:
        return tracking_config(
            api_url=self.api_url,
            ui_url=self.ui_url,
            project_id=self.project_id,
            username=self.username,
            environment=self.environment,
        )


# --- a local Hamilton UI server (``make hamilton-ui``, tests) ------------------------------------


def serve_hamilton_ui(*, port: int, base_dir: str, host: str = "127.0.0.1") -> None:
    """Run the Hamilton UI (mini settings: SQLite + local blobs under ``base_dir``) on ``host``.

    ``hamilton ui`` binds 0.0.0.0; this runs the same Django commands on a loopback address.
    Blocks until the server stops.
    """
    import sys
    from pathlib import Path

    try:
        import hamilton_ui
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise TrackingError(
            "the Hamilton UI needs apache-hamilton-ui: pip install -e '.[ui]'"
        ) from exc
    base = Path(base_dir).absolute()
    for folder in ("blobs", "db"):
        (base / folder).mkdir(parents=True, exist_ok=True)
    os.environ["HAMILTON_BASE_DIR"] = str(base)
    sys.path.insert(0, hamilton_ui.__path__[0])
    settings = "--settings=server.settings_mini"
    execute_from_command_line(["manage.py", "migrate", settings, "--verbosity", "0"])
    execute_from_command_line(
        ["manage.py", "runserver", settings, f"{host}:{port}", "--insecure", "--noreload"]
    )


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m orchestration.tracking")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the Hamilton UI on a loopback address")
    serve.add_argument("--port", type=int, default=8241)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--base-dir", default=os.path.join("dagster_home", "hamilton_ui"))
    args = parser.parse_args(argv)
    serve_hamilton_ui(port=args.port, base_dir=args.base_dir, host=args.host)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
