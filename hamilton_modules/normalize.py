"""Column normalizations applied with ``hamilton.plugins.h_polars.with_columns``, and module paths.

Not a driver module: each family node passes the column transforms (``pl.Series -> pl.Series``)
whose input columns it has to ``@with_columns``; the module-path helpers are shared with the CPG. Extraction gives file-local qualified names (``A.f``); here they get the
module path derived from the file path, so qualified names are unique across the repository.

Module path rules (per language, from the POSIX path only; the code is never imported):

- python: ``pkg/mod.py`` -> ``pkg.mod``; ``pkg/__init__.py`` -> ``pkg``; a leading ``src/`` is
  dropped. Joined to local names with ``.``.
- rust: the crate is the directory before ``src/`` (``crate`` at the root); the module is the path
  after ``src/`` without ``lib.rs``/``main.rs``/``mod.rs``: ``tokio/src/net/tcp/mod.rs`` ->
  ``tokio::net::tcp``. Joined with ``::``.
- go: the package directory ``net/http`` (a file at the root has none). Joined with ``.``.
- java: the package directories after ``src/main/java``/``src/test/java``/``src`` (``.``-joined);
  the class is already part of the local name. Joined with ``.``.
- typescript/javascript: the path without extension (``/index`` dropped): ``src/util``. Joined
  with ``.``.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable

import polars as pl

_DROP_PYTHON = {"__init__"}
_DROP_RUST = {"lib", "main", "mod"}


def _parts(path: str) -> list[str]:
    return [part for part in path.split("/") if part and part != "."]


def _python_module(path: str) -> str:
    parts = _parts(posixpath.splitext(path)[0])
    if parts and parts[0] == "src":
        parts = parts[1:]
    if parts and parts[-1] in _DROP_PYTHON:
        parts = parts[:-1]
    return ".".join(parts)


def _rust_module(path: str) -> str:
    parts = _parts(posixpath.splitext(path)[0])
    if "src" in parts:
        index = len(parts) - 1 - parts[::-1].index("src")
        crate = parts[index - 1].replace("-", "_") if index > 0 else "crate"
        parts = [crate, *parts[index + 1 :]]
    if len(parts) > 1 and parts[-1] in _DROP_RUST:
        parts = parts[:-1]
    return "::".join(parts)


def _go_module(path: str) -> str:
    return posixpath.dirname(path)


def _java_module(path: str) -> str:
    parts = _parts(posixpath.dirname(path))
    for marker in (["src", "main", "java"], ["src", "test", "java"], ["src"]):
        for start in range(len(parts) - len(marker), -1, -1):
            if parts[start : start + len(marker)] == marker:
                return ".".join(parts[start + len(marker) :])
    return ".".join(parts)


def _script_module(path: str) -> str:
    stem = posixpath.splitext(path)[0]
    if posixpath.basename(stem) == "index" and "/" in stem:
        stem = posixpath.dirname(stem)
    return stem


# language -> (module path of a file, separator between module path and local name)
MODULE_RULES: dict[str, tuple[Callable[[str], str], str]] = {
    "python": (_python_module, "."),
    "rust": (_rust_module, "::"),
    "go": (_go_module, "."),
    "java": (_java_module, "."),
    "typescript": (_script_module, "."),
    "javascript": (_script_module, "."),
}


def module_path(language: str, path: str) -> str:
    """The module/package/crate path of a file (see the module docstring)."""
    rule = MODULE_RULES.get(language)
    return rule[0](path) if rule else ""


def module_separator(language: str) -> str:
    rule = MODULE_RULES.get(language)
    return rule[1] if rule else "."


def qualify(language: str, module: str, local: str) -> str:
    return f"{module}{module_separator(language)}{local}" if module else local


# Distinct (language, path) strings remembered by each per-file memo below: as many as a
# repository has files, mostly; both memos full, of 47-character paths, hold ~35 MB
# (tracemalloc), a repository of 65,536 files' worth.
REMEMBERED_PATHS = 1 << 16


@functools.lru_cache(maxsize=REMEMBERED_PATHS)
def _posix(path: str) -> str:
    # Backslashes stay: on POSIX they are part of a file name (`a\\b.py` is one file).
    normalized = posixpath.normpath(path) if path else path
    return normalized.removeprefix("./")


@functools.lru_cache(maxsize=REMEMBERED_PATHS)
def _prefix(language: str, path: str) -> str:
    """What ``qualify`` puts before a local name of the file ``path`` (a pure function of the two
    strings, remembered: a --watch rebuild prefixes the same files' names again, once for the
    symbols' qualified names and once for their parents)."""
    return qualify(language, module_path(language, path), "")


def _prefix_names(names: pl.Series, path: pl.Series, language: pl.Series) -> pl.Series:
    """Prefix each non-null local name with its file's module path (``qualify``).

    The module rules run in Python once per run of rows of one file (a family's rows come file
    by file), giving what ``qualify`` puts before any local name of that file (module and
    separator, or nothing); each row gets its run's by position (``gather``) and one string
    concatenation in polars. A Python loop over every row took ~15 ms for the tokio crates' 29k
    call sites, paid again on every re-run that changes any file; a join of the rows with their
    files' prefixes hashed every row's path (~1.1 against ~0.6 ms for tokio's 8,600 symbols);
    the loop over the files is remembered too (``_prefix``: ~1.3 ms for tokio's 540 files,
    twice per rebuild).
    """
    starts = path.ne_missing(path.shift(1)) | language.ne_missing(language.shift(1))
    if starts.len():
        starts[0] = True  # (the first row starts a run, even of null keys)
    prefixes = pl.Series(
        [
            _prefix(run_language, run_path)
            for run_path, run_language in zip(
                path.filter(starts).to_list(), language.filter(starts).to_list(), strict=True
            )
        ],
        dtype=pl.String,
    )
    run_of_row = starts.cast(pl.UInt32).cum_sum() - 1
    return (prefixes.gather(run_of_row) + names.cast(pl.String)).alias(names.name)


def normalized_path(path: pl.Series) -> pl.Series:
    """POSIX path relative to the repository root (no ``./``, ``//`` or ``/./``)."""
    mapping = {value: _posix(value) for value in path.unique().to_list() if value is not None}
    if all(normalized == value for value, normalized in mapping.items()):
        # (the extraction's paths are the inventory's, normalized already: replacing each row's
        # value by a look-up cost ~0.6 ms for tokio's 8,600 symbols, ~1.7 in a fresh process)
        return path.cast(pl.String)
    return path.replace_strict(mapping, return_dtype=pl.String, default=None)


def normalized_language(language: pl.Series) -> pl.Series:
    """Language names are lower case (``python``), as in ``languages.LANGUAGES``."""
    return language.str.to_lowercase()


def repo_qualified_name(
    qualified_name: pl.Series, normalized_path: pl.Series, normalized_language: pl.Series
) -> pl.Series:
    """Symbol qualified name prefixed with its module path: ``pkg.mod.A.f``."""
    return _prefix_names(qualified_name, normalized_path, normalized_language)


def repo_parent(
    parent: pl.Series, normalized_path: pl.Series, normalized_language: pl.Series
) -> pl.Series:
    """Enclosing symbol of a symbol, in repository-wide qualified form (null at top level)."""
    return _prefix_names(parent, normalized_path, normalized_language)


def repo_enclosing(
    enclosing: pl.Series, normalized_path: pl.Series, normalized_language: pl.Series
) -> pl.Series:
    """Enclosing symbol of a call/import, in repository-wide qualified form (null at top level)."""
    return _prefix_names(enclosing, normalized_path, normalized_language)


def repo_this_symbol(
    this_symbol: pl.Series, normalized_path: pl.Series, normalized_language: pl.Series
) -> pl.Series:
    """The symbol whose ``this`` a call sees, in repository-wide qualified form (null: none)."""
    if this_symbol.null_count() == this_symbol.len():  # languages without `this`: no Python loop
        return this_symbol.cast(pl.String)
    return _prefix_names(this_symbol, normalized_path, normalized_language)


def repo_child(
    child: pl.Series, normalized_path: pl.Series, normalized_language: pl.Series
) -> pl.Series:
    """The inheriting class/impl of an inherits row, in repository-wide qualified form."""
    return _prefix_names(child, normalized_path, normalized_language)
