"""Helpers for the dataflow tests: write a small repository, run the real dataflow on it."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl
from hamilton import driver

import hamilton_modules
from hamilton_modules import dataflow_config
from hamilton_modules.languages import FileExtraction

FAMILIES = ("symbols", "imports", "calls", "inherits")


def import_source(path: Path, name: str, *, register: bool = False) -> ModuleType:
    """Import the Python file ``path`` as module ``name`` (a test's own Hamilton module).

    ``register``: also put it in ``sys.modules`` (Hamilton's code versions read the source
    through it); write each version to a new file, so no stale source cache answers.
    """
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    if register:
        sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def write_repo(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Create ``root`` with the given files (text as UTF-8, bytes as is)."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def dataflow_driver(
    *, languages: Sequence[str] | None = None, workers: int = 1, max_file_bytes: int | None = None
) -> driver.Driver:
    options: dict[str, Any] = {"languages": languages, "workers": workers}
    if max_file_bytes is not None:
        options["max_file_bytes"] = max_file_bytes
    return (
        driver.Builder()
        .with_modules(*hamilton_modules.DATAFLOW_MODULES)
        .with_config(dataflow_config(**options))
        .build()
    )


def run_dataflow(
    repo: Path,
    *,
    languages: Sequence[str],
    workers: int = 1,
    max_file_bytes: int | None = None,
    extra: Sequence[str] = (),
) -> dict[str, pl.DataFrame]:
    """Every published table of the dataflow for ``repo``: files, per-language families, cpg
    (and the ``extra`` nodes)."""
    dr = dataflow_driver(languages=languages, workers=workers, max_file_bytes=max_file_bytes)
    wanted: list[Any] = ["files", "cpg_nodes", "cpg_edges", "cpg_metrics", *extra]
    wanted += [f"{language}.{family}" for language in languages for family in FAMILIES]
    return dr.execute(wanted, inputs={"repo_path": str(repo)})


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    """Rows of ``frame`` as tuples of ``columns`` (all columns when none given), in table order."""
    selected = frame.select(columns) if columns else frame
    return [tuple(row) for row in selected.iter_rows()]


def receiver_types(extraction: FileExtraction, *, ending: str = "") -> list[tuple[Any, ...]]:
    """(line, callee, receiver_type) of an extraction's member calls (a callee with a ``.``),
    those whose callee ends with ``ending`` when given."""
    return [
        (call["line"], call["callee"], call["receiver_type"])
        for call in extraction.calls
        if "." in str(call["callee"]) and str(call["callee"]).endswith(ending)
    ]
