"""Configurable resources for where things live: warehouse, Hamilton cache, watched repositories.

Each resource takes an optional explicit path; left empty, it is resolved at run time (not at
definition load time) from the environment, so one code location serves any ``DAGSTER_HOME``:

- ``DAGSTER_HOME``: default ``./dagster_home``
- ``CODEINTEL_WAREHOUSE``: default ``$DAGSTER_HOME/warehouse``
- ``CODEINTEL_CACHE_DIR``: default ``$DAGSTER_HOME/hamilton_cache``
- ``CODEINTEL_REPOS_ROOT``: default ``./repos``

The ``resolve_*`` functions (``orchestration.locations``, Dagster-free) are the single place these
defaults are computed; the IO manager, the CLI and the resources all call them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dagster import ConfigurableResource, InitResourceContext
from pydantic import Field

from orchestration.locations import (
    CACHE_DIR_ENV,
    DAGSTER_HOME_ENV,
    DEFAULT_DAGSTER_HOME,
    DEFAULT_REPOS_ROOT,
    REPOS_ROOT_ENV,
    WAREHOUSE_ENV,
    resolve_cache_dir,
    resolve_dagster_home,
    resolve_repos_root,
    resolve_warehouse,
)

if TYPE_CHECKING:
    from orchestration.caching import CacheConfig

__all__ = [
    "CACHE_DIR_ENV",
    "DAGSTER_HOME_ENV",
    "DEFAULT_DAGSTER_HOME",
    "DEFAULT_REPOS_ROOT",
    "REPOS_ROOT_ENV",
    "WAREHOUSE_ENV",
    "HamiltonCacheResource",
    "ReposRootResource",
    "WarehouseResource",
    "resolve_cache_dir",
    "resolve_dagster_home",
    "resolve_repos_root",
    "resolve_warehouse",
]


class WarehouseResource(ConfigurableResource):
    """Root folder of the materialized values: ``<root>/<partition key>/<asset key path>``."""

    root: str | None = None

    def path(self) -> Path:
        return resolve_warehouse(self.root)


class HamiltonCacheResource(ConfigurableResource):
    """The Hamilton cache shared by every op and run (``orchestration.caching``): its root and
    policy. ``recompute`` / ``disable`` / ``ignore`` / ``default`` take node-name globs (e.g.
    ``["*.extraction"]``); node tags ``cache="..."`` apply to the nodes no glob matches."""

    root: str | None = None
    enabled: bool = True
    default_behavior: str = "default"
    recompute: list[str] = Field(default_factory=list)
    disable: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    default: list[str] = Field(default_factory=list)
    # Versioned but never stored (``CachePolicy.unstored``; the code location passes
    # ``definitions.UNSTORED_NODES``, as ``codeintel build`` does).
    unstored: list[str] = Field(default_factory=list)

    def path(self) -> Path:
        return resolve_cache_dir(self.root)

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        """The run's measured node seconds go to the timings file now, in one write
        (``telemetry.defer_timings``: each op defers its own)."""
        from orchestration.telemetry import flush_deferred_timings

        try:
            flush_deferred_timings()
        except OSError as exc:  # bookkeeping must not fail the run
            if context.log is not None:
                context.log.warning(f"cache bookkeeping failed: {exc}")

    def cache_config(self, *, directory_inputs: dict[str, str] | None = None) -> CacheConfig:
        from orchestration.caching import cache_config, policy_from_mapping

        policy = policy_from_mapping(
            {
                "enabled": self.enabled,
                "default_behavior": self.default_behavior,
                "recompute": self.recompute,
                "disable": self.disable,
                "ignore": self.ignore,
                "default": self.default,
                "unstored": self.unstored,
            }
        )
        return cache_config(root=self.path(), policy=policy, directory_inputs=directory_inputs)


class ReposRootResource(ConfigurableResource):
    """The watched folder: each sub-folder is a repository."""

    root: str | None = None

    def path(self) -> Path:
        return resolve_repos_root(self.root)
