"""Per-language extraction: one generic tree-sitter engine (``base``) and a rule table per language.

Public API used by the dataflow nodes::

    LANGUAGES                                  # the supported language names
    language_for_path(path) -> str | None      # by file extension
    file_name_read(path) -> str                # what of the path extraction reads (not the suffix)
    extract_file(language, path, source)       # -> FileExtraction (never raises on any bytes)
    extract_file_columns(language, path, source)  # the same by column -> ColumnExtraction
    warm_up(language)                          # compile its queries now, not at its first file

Nothing here imports Hamilton, Dagster or ``orchestration``.
"""

from __future__ import annotations

import importlib
import posixpath
from functools import cache

from hamilton_modules.languages.base import (
    FAMILY_COLUMNS,
    ColumnExtraction,
    FileExtraction,
    LanguageRules,
    compile_queries,
    extract,
    extract_columns,
    own_module_name,
)

__all__ = [
    "FAMILY_COLUMNS",
    "LANGUAGES",
    "ColumnExtraction",
    "FileExtraction",
    "extract_file",
    "extract_file_columns",
    "file_name_read",
    "language_for_path",
    "rules_for",
    "warm_up",
]

LANGUAGES: tuple[str, ...] = ("python", "rust", "typescript", "javascript", "go", "java")

_EXTENSIONS: dict[str, str] = {
    ".py": "python",
    ".pyi": "python",
    ".rs": "rust",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".go": "go",
    ".java": "java",
}


def _suffix(path: str) -> str:
    return posixpath.splitext(path.replace("\\", "/"))[1].lower()


def language_for_path(path: str) -> str | None:
    """The language of a file by its extension, None when it is not one of :data:`LANGUAGES`."""
    return _EXTENSIONS.get(_suffix(path))


# The languages whose extraction reads the file's name besides its bytes and suffix: a
# ``@name.module`` definition (JavaScript's ``module.exports = function () {}``) is named after
# its file (base ``own_module_name``). A test checks this against the rule tables.
NAMED_BY_FILE: frozenset[str] = frozenset({"javascript"})


def file_name_read(path: str) -> str:
    """What of ``path`` a file's extraction reads besides its suffix: its own module name
    (``util/makeThing.js`` -> ``makeThing``) in a language of :data:`NAMED_BY_FILE`, else "".
    The extraction of a file is a function of its bytes, its suffix and this, so results
    shared or stored under these three (``parsing.ContentKey``) are those of the file."""
    return own_module_name(path) if language_for_path(path) in NAMED_BY_FILE else ""


@cache
def rules_for(language: str) -> LanguageRules:
    """The rule table of a language (module ``hamilton_modules.languages.<language>``)."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
    module = importlib.import_module(f"hamilton_modules.languages.{language}")
    rules = module.RULES
    assert isinstance(rules, LanguageRules)
    return rules


def extract_file(language: str, path: str, source: bytes) -> FileExtraction:
    """Symbols, imports, calls and inheritance rows of one file.

    Never raises on any ``source`` bytes: tree-sitter recovers from syntax errors (the recovered
    definitions are still returned, ``error_count`` says how much was broken) and invalid UTF-8 is
    decoded with replacement characters in text columns. Raises ``ValueError`` only for a language
    not in :data:`LANGUAGES`. The path selects a grammar variant where a language has several
    (``.tsx`` uses the TSX grammar).
    """
    rules = rules_for(language)
    suffix = _suffix(path)
    variant = suffix if suffix in rules.variants else ""
    return extract(rules, path, source, variant=variant)


def extract_file_columns(language: str, path: str, source: bytes) -> ColumnExtraction:
    """:func:`extract_file` by column (``families[family][column]`` lists, in schema column order):
    the same values without building one dict per row, for consumers that build columnar tables."""
    rules = rules_for(language)
    suffix = _suffix(path)
    variant = suffix if suffix in rules.variants else ""
    return extract_columns(rules, path, source, variant=variant)


def warm_up(language: str) -> None:
    """Import a language's rule table and compile its queries (every grammar variant), so a
    process that is about to parse pays for it before its first file instead of during it."""
    compile_queries(rules_for(language))
