"""The code-property-graph dataflow: plain Hamilton functions, no Dagster.

Curated API::

    DATAFLOW_MODULES           # the Hamilton driver modules, in a fixed order
    dataflow_config(...)       # the driver config (languages, file size limit, workers, cluster)
    repository_files(...)      # the files the inventory will consider (its walk, no Hamilton)
    repository_fingerprint(..) # a digest of them: what the dataflow will read from a repository

``DATAFLOW_MODULES`` is loaded on first access: the spawned parse workers import
``hamilton_modules.languages`` only, and must not pay for Hamilton and polars on start-up.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from hamilton_modules.languages import LANGUAGES, language_for_path
from hamilton_modules.walk import DEFAULT_MAX_FILE_BYTES, FileRecord, walk_repository

__all__ = [
    "DATAFLOW_MODULES",
    "DEFAULT_MAX_FILE_BYTES",
    "LANGUAGES",
    "dataflow_config",
    "repository_files",
    "repository_fingerprint",
]

if TYPE_CHECKING:
    DATAFLOW_MODULES: list[ModuleType]


def __getattr__(name: str) -> Any:
    if name == "DATAFLOW_MODULES":
        from hamilton_modules import cpg, dataflow, go_modules, inventory, metrics, rust_crates

        modules: list[ModuleType] = [inventory, go_modules, rust_crates, dataflow, cpg, metrics]
        globals()["DATAFLOW_MODULES"] = modules
        return modules
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def dataflow_config(
    *,
    languages: Sequence[str] | None = None,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    workers: int | None = None,
    dask_scheduler: str | None = None,
) -> dict[str, Any]:
    """The Hamilton config of the dataflow.

    ``languages``: which per-language sub-DAGs exist (default all, in ``LANGUAGES`` order);
    ``max_file_bytes``: larger files are skipped as ``too_large``; ``workers``: parse processes,
    None or 0 = all usable cores (kept as 0 so the config, and the plan signature, do not depend
    on the machine), 1 = in-process; ``dask_scheduler``: the address of a Dask scheduler whose
    workers take the parse stage (``hamilton_modules.parse_cluster``), None = the local pool.
    """
    chosen = list(LANGUAGES) if languages is None else list(languages)
    unknown = sorted(set(chosen) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unknown languages {unknown}; expected some of {list(LANGUAGES)}")
    if not chosen:
        raise ValueError("at least one language is needed")
    if max_file_bytes < 0:
        raise ValueError(f"max_file_bytes must be >= 0, got {max_file_bytes}")
    if workers is not None and workers < 0:
        raise ValueError(f"workers must be >= 0, got {workers}")
    config: dict[str, Any] = {
        "hamilton.enable_power_user_mode": True,
        "languages": [language for language in LANGUAGES if language in chosen],
        "max_file_bytes": int(max_file_bytes),
        "workers": int(workers or 0),
    }
    if dask_scheduler:  # absent otherwise: the extraction node's default (no cluster) applies
        config["dask_scheduler"] = dask_scheduler
    return config


def repository_files(*, repo_path: str, max_file_bytes: int) -> list[FileRecord]:
    """Every file the inventory node will consider in ``repo_path``: the same walk, same rules.

    No Hamilton, no polars: a caller can look at the repository (is anything new? what is there
    to parse?) before loading them.
    """
    return walk_repository(
        root=Path(os.path.realpath(repo_path)),
        max_file_bytes=max_file_bytes,
        language_for_path=language_for_path,
    )


def repository_fingerprint(files: Sequence[FileRecord]) -> str:
    """A digest of everything the dataflow reads from a repository, given its ``repository_files``.

    The inventory node is the only reader of the folder (later nodes read only files it listed,
    and check their sha256), so its records (path, size, sha256, status, reason of every file
    considered, ``.gitignore`` rules applied) decide every output. Any added, removed, edited or
    newly ignored file changes the digest.
    """
    digest = hashlib.sha256()
    for record in files:
        digest.update(json.dumps(record.as_row(), sort_keys=True).encode() + b"\n")
    return digest.hexdigest()
