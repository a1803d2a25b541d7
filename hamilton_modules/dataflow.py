"""The per-language sub-DAGs: one ``@parameterized_subdag`` over ``language_subdag``.

Which languages exist is config (``languages``), resolved when the driver is built with
``@resolve`` (power-user mode), so a language that is not configured has no nodes at all. Each
instance ``<language>`` has the inner nodes ``<language>.extraction``, ``<language>.symbols``,
``<language>.imports``, ``<language>.calls``, ``<language>.inherits`` and
``<language>.parse_errors``; the final node, named after the language, is its parse-error table,
which ``inventory.files`` collects.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from hamilton.function_modifiers import ResolveAt, parameterized_subdag, resolve, tag, value

from hamilton_modules import language_subdag
from hamilton_modules.languages import LANGUAGES

# Nodes outside the sub-DAG that every language instance reads (not namespaced).
SUBDAG_EXTERNAL_INPUTS = [
    "file_inventory",
    "repo_path",
    "workers",
    "extraction_cache_dir",
    "dask_scheduler",
]


def _language_subdags(languages: Sequence[str] = LANGUAGES) -> parameterized_subdag:
    per_language: dict[str, Any] = {
        language: {"inputs": {"language": value(language)}} for language in languages
    }
    return parameterized_subdag(
        language_subdag, external_inputs=SUBDAG_EXTERNAL_INPUTS, **per_language
    )


@resolve(when=ResolveAt.CONFIG_AVAILABLE, decorate_with=_language_subdags)
@tag(layer="extract", kind="table", artifact="parse_errors")
def language_file_errors(parse_errors: pl.DataFrame) -> pl.DataFrame:
    """Parse errors per file of one language (the sub-DAG's final node, named after it)."""
    return parse_errors
