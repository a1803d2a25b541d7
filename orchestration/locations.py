"""Where things live, from the environment: no Dagster import (``codeintel build`` uses it).

``orchestration.resources`` wraps these as configurable Dagster resources; see its docstring.
"""

from __future__ import annotations

import os
from pathlib import Path

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
