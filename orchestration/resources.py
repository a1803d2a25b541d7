"""Configurable resources for where things live: warehouse, Hamilton cache, watched repositories.

Each resource takes an optional explicit path; left empty, it is resolved at run time (not at
definition load time) from the environment, so one code location serves any ``DAGSTER_HOME``:

- ``DAGSTER_HOME``: default ``./dagster_home``
- ``CODEINTEL_WAREHOUSE``: default ``$DAGSTER_HOME/warehouse``
- ``CODEINTEL_CACHE_DIR``: default ``$DAGSTER_HOME/hamilton_cache``
- ``CODEINTEL_REPOS_ROOT``: default ``./repos``

The ``resolve_*`` functions are the single place these defaults are computed; the IO manager, the
CLI and the resources all call them.
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster import ConfigurableResource

DAGSTER_HOME_ENV = "DAGSTER_HOME"
WAREHOUSE_ENV = "CODEINTEL_WAREHOUSE"
CACHE_DIR_ENV = "CODEINTEL_CACHE_DIR"
REPOS_ROOT_ENV = "CODEINTEL_REPOS_ROOT"
DEFAULT_DAGSTER_HOME = Path("dagster_home")
DEFAULT_REPOS_ROOT = Path("repos")


def _from_env(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def resolve_dagster_home() -> Path:
    return (_from_env(DAGSTER_HOME_ENV) or DEFAULT_DAGSTER_HOME).absolute()


def resolve_warehouse(configured: str | None = None) -> Path:
    if configured:
        return Path(configured).expanduser().absolute()
    return (_from_env(WAREHOUSE_ENV) or resolve_dagster_home() / "warehouse").absolute()


def resolve_cache_dir(configured: str | None = None) -> Path:
    if configured:
        return Path(configured).expanduser().absolute()
    return (_from_env(CACHE_DIR_ENV) or resolve_dagster_home() / "hamilton_cache").absolute()


def resolve_repos_root(configured: str | None = None) -> Path:
    if configured:
        return Path(configured).expanduser().absolute()
    return (_from_env(REPOS_ROOT_ENV) or DEFAULT_REPOS_ROOT).absolute()


class WarehouseResource(ConfigurableResource):
    """Root folder of the materialized values: ``<root>/<partition key>/<asset key path>``."""

    root: str | None = None

    def path(self) -> Path:
        return resolve_warehouse(self.root)


class HamiltonCacheResource(ConfigurableResource):
    """Root of the Hamilton cache shared by every op and run (metadata store + result store)."""

    root: str | None = None
    enabled: bool = True

    def path(self) -> Path:
        return resolve_cache_dir(self.root)


class ReposRootResource(ConfigurableResource):
    """The watched folder: each sub-folder is a repository."""

    root: str | None = None

    def path(self) -> Path:
        return resolve_repos_root(self.root)
