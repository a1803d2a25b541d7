"""Temporary ``DAGSTER_HOME`` folders holding a copy of a shipped instance configuration."""

from __future__ import annotations

import shutil
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_INSTANCE = "dagster_home/dagster.yaml"  # embedded SQLite instance
POSTGRES_INSTANCE = "dagster_home/postgres/dagster.yaml"


def new_dagster_home(folder: Path, *, config: str = DEFAULT_INSTANCE) -> Path:
    """Create ``folder`` (if needed) with the project's ``config`` as its ``dagster.yaml``."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / config, folder / "dagster.yaml")
    return folder
