"""Inventory: every file considered in the repository, with its language and skip reason.

Driver module. ``file_inventory`` walks the repository (rules in ``walk``); ``files`` is the
published ``repo/files`` table: the inventory plus each parsed file's tree-sitter error count,
collected from every configured language's sub-DAG (``@resolve`` + ``@inject(group(...))``, so
the set of languages is config, not an ``if`` in a node body).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import polars as pl
from hamilton.function_modifiers import (
    ResolveAt,
    cache,
    check_output_custom,
    group,
    inject,
    resolve,
    schema,
    source,
    tag,
)

from hamilton_modules import repository_files, schemas
from hamilton_modules.languages import LANGUAGES
from hamilton_modules.tables import arrow_fields, finish_table, rows_to_frame
from hamilton_modules.validators import table_checks


@cache(behavior="recompute")  # reads the disk: always runs; downstream is keyed by its rows
@tag(
    asset="repo/inventory",
    layer="inventory",
    kind="table",
    artifact="file_inventory",
    task_cost="5",
)
@check_output_custom(*table_checks(schema=schemas.FILES, key=schemas.SORT_KEYS["files"]))
@schema.output(*arrow_fields(schemas.FILES))
def file_inventory(repo_path: str, max_file_bytes: int, languages: list[str]) -> pl.DataFrame:
    """Every file considered: path, language, size, lines, sha256, status and skip reason.

    A readable source file of a language that is not built (config ``languages``) is skipped
    with ``language_not_built``, so ``ok`` always means "parsed".
    """
    root = Path(repo_path)
    if not root.is_dir():
        raise NotADirectoryError(f"repository path is not a readable directory: {repo_path}")
    if os.path.realpath(root) != os.path.abspath(root):
        # The parse workers open files below this exact path: through a symlink, a repository
        # swapped while the run goes on would send them outside it. Callers resolve it first.
        raise ValueError(
            f"repository path {repo_path} goes through a symbolic link; pass its resolved path "
            f"{os.path.realpath(root)}"
        )
    records = repository_files(repo_path=repo_path, max_file_bytes=max_file_bytes)
    built = set(languages)
    records = [
        replace(record, status="skipped", reason="language_not_built")
        if record.status == "ok" and record.language not in built
        else record
        for record in records
    ]
    frame = rows_to_frame([record.as_row() for record in records], schemas.FILES)
    return finish_table(frame, table_schema=schemas.FILES, sort_key="files")


@resolve(
    when=ResolveAt.CONFIG_AVAILABLE,
    decorate_with=lambda languages=LANGUAGES: inject(
        language_errors=group(*[source(language) for language in languages])
    ),
)
@tag(asset="repo/files", layer="inventory", kind="table", artifact="files", task_cost="1")
@check_output_custom(*table_checks(schema=schemas.FILES, key=schemas.SORT_KEYS["files"]))
@schema.output(*arrow_fields(schemas.FILES))
def files(file_inventory: pl.DataFrame, language_errors: list[pl.DataFrame]) -> pl.DataFrame:
    """The inventory with the parse error count of every parsed file (``repo/files``)."""
    errors = pl.concat(language_errors, how="vertical") if language_errors else None
    if errors is None or errors.height == 0:
        return file_inventory
    joined = file_inventory.drop("parse_errors").join(errors, on="path", how="left")
    return finish_table(joined, table_schema=schemas.FILES, sort_key="files")
