"""The per-language sub-DAG: parse once, then the four artifact families and the parse errors.

Not a driver module: ``dataflow.language_file_errors`` instantiates it once per configured
language with ``@parameterized_subdag`` (nodes ``python.extraction``, ``python.symbols``, ...;
inputs ``language`` as a value, ``file_inventory``/``repo_path``/``workers`` from outside).

``extraction`` is the hot path (tree-sitter in a process pool, see ``parsing``); it holds no
tree-sitter object but is large and only ever consumed inside the same op, hence
``persist="false"``. Each family's rows of it (``<family>_rows``) are versioned by their content,
so a family table whose rows a change left as they were is a cache hit without being made again.
Each family table is normalized with ``with_columns`` (POSIX path, lower-case language,
module-qualified names), cast to its Arrow schema, stably sorted and validated.
"""

from __future__ import annotations

import polars as pl
import pyarrow as pa
from hamilton.function_modifiers import cache, check_output_custom, schema, tag
from hamilton.plugins.h_polars import with_columns

from hamilton_modules import normalize, schemas
from hamilton_modules.extraction_store import open_store
from hamilton_modules.parsing import (
    FamilyExtraction,
    LanguageExtraction,
    ParseErrorCounts,
    SourceFile,
    extract_language,
)
from hamilton_modules.tables import (
    arrow_fields,
    finish_numbered_table,
    polars_schema,
    rows_to_frame,
)
from hamilton_modules.validators import table_checks

EXTRACTION_COST = "60"
TABLE_COST = "1"


# Always runs (it reads the repository): unchanged files come from the per-file store in
# ``extraction_cache_dir`` ("" = none), and downstream nodes are keyed by its fingerprint.
@cache(behavior="recompute")
@tag(
    layer="extract", kind="parse", artifact="extraction", persist="false", task_cost=EXTRACTION_COST
)
def extraction(
    file_inventory: pl.DataFrame,
    language: str,
    repo_path: str,
    workers: int,
    extraction_cache_dir: str = "",
    dask_scheduler: str = "",
) -> LanguageExtraction:
    """Parse every accepted file of this language once and extract all four families."""
    accepted = file_inventory.filter(
        (pl.col("language") == language) & (pl.col("status") == "ok")
    ).select("path", "sha256", "size")
    files = [
        SourceFile(path=path, sha256=sha256, size=size)
        for path, sha256, size in accepted.iter_rows()
    ]
    return extract_language(
        language=language,
        root=repo_path,
        files=files,
        workers=workers,
        store=open_store(extraction_cache_dir),
        dask_scheduler=dask_scheduler,
    )


# Each family's rows of the extraction, versioned by their content (``FamilyExtraction``): the
# nodes of a family table whose rows did not change are cache hits, so a changed file re-makes
# only the tables it changed (a new function: the symbols, not the 29k call sites of tokio).
# Always run (cheap: a view; the fingerprint reads the per-file digests), never stored.
@cache(behavior="recompute")
@tag(layer="extract", kind="parse", artifact="symbols_rows", persist="false", task_cost=TABLE_COST)
def symbols_rows(extraction: LanguageExtraction) -> FamilyExtraction:
    """The extraction's symbol rows, identified by their content."""
    return extraction.family("symbols")


@cache(behavior="recompute")
@tag(layer="extract", kind="parse", artifact="imports_rows", persist="false", task_cost=TABLE_COST)
def imports_rows(extraction: LanguageExtraction) -> FamilyExtraction:
    """The extraction's import rows, identified by their content."""
    return extraction.family("imports")


@cache(behavior="recompute")
@tag(layer="extract", kind="parse", artifact="calls_rows", persist="false", task_cost=TABLE_COST)
def calls_rows(extraction: LanguageExtraction) -> FamilyExtraction:
    """The extraction's call-site rows, identified by their content."""
    return extraction.family("calls")


@cache(behavior="recompute")
@tag(layer="extract", kind="parse", artifact="inherits_rows", persist="false", task_cost=TABLE_COST)
def inherits_rows(extraction: LanguageExtraction) -> FamilyExtraction:
    """The extraction's inheritance rows, identified by their content."""
    return extraction.family("inherits")


def _family_frame(rows: FamilyExtraction, table_schema: pa.Schema) -> pl.DataFrame:
    extracted = schemas.extracted_schema(table_schema)
    return pl.DataFrame(rows.columns(extracted.names), schema=polars_schema(extracted))


def symbols_extracted(symbols_rows: FamilyExtraction) -> pl.DataFrame:
    """Symbol rows as extracted (file-local qualified names)."""
    return _family_frame(symbols_rows, schemas.SYMBOLS)


def imports_extracted(imports_rows: FamilyExtraction) -> pl.DataFrame:
    """Import rows as extracted."""
    return _family_frame(imports_rows, schemas.IMPORTS)


def calls_extracted(calls_rows: FamilyExtraction) -> pl.DataFrame:
    """Call-site rows as extracted."""
    return _family_frame(calls_rows, schemas.CALLS)


def inherits_extracted(inherits_rows: FamilyExtraction) -> pl.DataFrame:
    """Inheritance rows as extracted."""
    return _family_frame(inherits_rows, schemas.INHERITS)


_BASE_COLUMNS = ["path", "language"]
_BASE_TRANSFORMS = (normalize.normalized_path, normalize.normalized_language)


@tag(asset="true", layer="normalize", kind="table", artifact="symbols", task_cost=TABLE_COST)
@check_output_custom(*table_checks(schema=schemas.SYMBOLS, key=schemas.SORT_KEYS["symbols"]))
@schema.output(*arrow_fields(schemas.SYMBOLS))
@with_columns(
    *_BASE_TRANSFORMS,
    normalize.repo_qualified_name,
    normalize.repo_parent,
    columns_to_pass=[*_BASE_COLUMNS, "qualified_name", "parent"],
    select=["normalized_path", "normalized_language", "repo_qualified_name", "repo_parent"],
)
def symbols(symbols_extracted: pl.DataFrame) -> pl.DataFrame:
    """Definitions: kind, name, module-qualified name, parent, path and span of every symbol."""
    normalized = symbols_extracted.with_columns(
        path=pl.col("normalized_path"),
        language=pl.col("normalized_language"),
        qualified_name=pl.col("repo_qualified_name"),
        parent=pl.col("repo_parent"),
    )
    return finish_numbered_table(normalized, table_schema=schemas.SYMBOLS, sort_key="symbols")


@tag(asset="true", layer="normalize", kind="table", artifact="imports", task_cost=TABLE_COST)
@check_output_custom(*table_checks(schema=schemas.IMPORTS, key=schemas.SORT_KEYS["imports"]))
@schema.output(*arrow_fields(schemas.IMPORTS))
@with_columns(
    *_BASE_TRANSFORMS,
    normalize.repo_enclosing,
    columns_to_pass=[*_BASE_COLUMNS, "enclosing"],
    select=["normalized_path", "normalized_language", "repo_enclosing"],
)
def imports(imports_extracted: pl.DataFrame) -> pl.DataFrame:
    """One row per imported name: module, name, alias, enclosing symbol, line."""
    normalized = imports_extracted.with_columns(
        path=pl.col("normalized_path"),
        language=pl.col("normalized_language"),
        enclosing=pl.col("repo_enclosing"),
    )
    return finish_numbered_table(normalized, table_schema=schemas.IMPORTS, sort_key="imports")


@tag(asset="true", layer="normalize", kind="table", artifact="calls", task_cost=TABLE_COST)
@check_output_custom(*table_checks(schema=schemas.CALLS, key=schemas.SORT_KEYS["calls"]))
@schema.output(*arrow_fields(schemas.CALLS))
@with_columns(
    *_BASE_TRANSFORMS,
    normalize.repo_enclosing,
    normalize.repo_this_symbol,
    columns_to_pass=[*_BASE_COLUMNS, "enclosing", "this_symbol"],
    select=["normalized_path", "normalized_language", "repo_enclosing", "repo_this_symbol"],
)
def calls(calls_extracted: pl.DataFrame) -> pl.DataFrame:
    """One row per call site: callee text, callee short name, enclosing symbol, the symbol whose
    ``this`` it sees (JavaScript/TypeScript), position."""
    normalized = calls_extracted.with_columns(
        path=pl.col("normalized_path"),
        language=pl.col("normalized_language"),
        enclosing=pl.col("repo_enclosing"),
        this_symbol=pl.col("repo_this_symbol"),
    )
    return finish_numbered_table(normalized, table_schema=schemas.CALLS, sort_key="calls")


@tag(asset="true", layer="normalize", kind="table", artifact="inherits", task_cost=TABLE_COST)
@check_output_custom(*table_checks(schema=schemas.INHERITS, key=schemas.SORT_KEYS["inherits"]))
@schema.output(*arrow_fields(schemas.INHERITS))
@with_columns(
    *_BASE_TRANSFORMS,
    normalize.repo_child,
    columns_to_pass=[*_BASE_COLUMNS, "child"],
    select=["normalized_path", "normalized_language", "repo_child"],
)
def inherits(inherits_extracted: pl.DataFrame) -> pl.DataFrame:
    """Class -> base, impl -> trait, class -> interface, with the relation."""
    normalized = inherits_extracted.with_columns(
        path=pl.col("normalized_path"),
        language=pl.col("normalized_language"),
        child=pl.col("repo_child"),
    )
    return finish_numbered_table(normalized, table_schema=schemas.INHERITS, sort_key="inherits")


# The counts of the extraction, versioned by their values (``ParseErrorCounts``): an edit that
# leaves every file's count as it was (most do) leaves ``parse_errors`` a cache hit.
@cache(behavior="recompute")
@tag(layer="extract", kind="parse", artifact="error_counts", persist="false", task_cost=TABLE_COST)
def error_counts(extraction: LanguageExtraction) -> ParseErrorCounts:
    """The extraction's parse error count per file, identified by the counts."""
    return ParseErrorCounts(extraction)


@tag(asset="true", layer="extract", kind="table", artifact="parse_errors", task_cost=TABLE_COST)
@check_output_custom(
    *table_checks(schema=schemas.PARSE_ERRORS, key=schemas.SORT_KEYS["parse_errors"])
)
@schema.output(*arrow_fields(schemas.PARSE_ERRORS))
def parse_errors(error_counts: ParseErrorCounts) -> pl.DataFrame:
    """tree-sitter ERROR/MISSING node count per parsed file (null if it changed mid-build)."""
    rows: list[dict[str, object]] = [
        {"path": path, "parse_errors": count}
        for path, count in sorted(error_counts.counts().items())
    ]
    return rows_to_frame(rows, schemas.PARSE_ERRORS)
