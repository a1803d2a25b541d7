"""The column normalizations of ``hamilton_modules.normalize`` (module-qualified names)."""

from __future__ import annotations

import polars as pl
import pytest

from hamilton_modules import normalize


def _row_by_row(
    names: list[str | None], paths: list[str], languages: list[str]
) -> list[str | None]:
    """The rule, one row at a time: a local name gets its file's module path."""
    return [
        None
        if name is None
        else normalize.qualify(language, normalize.module_path(language, path), name)
        for name, path, language in zip(names, paths, languages, strict=True)
    ]


def test_repo_qualified_name_prefixes_each_row_with_its_files_module() -> None:
    # files of several languages interleaved, a python file at the root of a package (module
    # "pkg") and one with no module path at all (a root-level `__init__.py`), nulls, an empty
    # local name, and one path under two languages
    paths = [
        "tokio/src/net/tcp/mod.rs",
        "pkg/__init__.py",
        "__init__.py",
        "tokio/src/net/tcp/mod.rs",
        "src/util/index.ts",
        "main.go",
        "net/http/server.go",
        "pkg/__init__.py",
        "shared.js",
        "shared.js",
    ]
    languages = [
        "rust",
        "python",
        "python",
        "rust",
        "typescript",
        "go",
        "go",
        "python",
        "javascript",
        "typescript",
    ]
    names = ["TcpStream::new", "f", "g", None, "A.b", "main", "Serve", "", "h", "h"]

    result = normalize.repo_qualified_name(
        pl.Series("qualified_name", names, dtype=pl.String),
        pl.Series("normalized_path", paths),
        pl.Series("normalized_language", languages),
    )

    assert result.name == "qualified_name"
    assert result.dtype == pl.String
    assert result.to_list() == _row_by_row(names, paths, languages)
    assert result.to_list()[:4] == ["tokio::net::tcp::TcpStream::new", "pkg.f", "g", None]


@pytest.mark.parametrize(
    "names",
    [
        pl.Series("enclosing", [None, None], dtype=pl.Null),  # a family with no enclosing at all
        pl.Series("enclosing", [None, None], dtype=pl.String),
    ],
)
def test_repo_enclosing_keeps_nulls_as_string_nulls(names: pl.Series) -> None:
    paths = pl.Series("normalized_path", ["a/b.py", "c.rs"])
    languages = pl.Series("normalized_language", ["python", "rust"])

    result = normalize.repo_enclosing(names, paths, languages)

    assert result.dtype == pl.String
    assert result.to_list() == [None, None]


def test_repo_parent_of_no_rows_is_an_empty_string_column() -> None:
    empty = pl.Series("parent", [], dtype=pl.String)

    result = normalize.repo_parent(
        empty,
        pl.Series("normalized_path", [], dtype=pl.String),
        pl.Series("normalized_language", [], dtype=pl.String),
    )

    assert result.name == "parent"
    assert result.dtype == pl.String
    assert result.len() == 0


def test_a_files_prefix_is_made_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The module rules run once per (language, path) and process: a --watch rebuild prefixes
    the same files' names again (the symbols' qualified names, then their parents)."""
    normalize._prefix.cache_clear()
    ruled: list[str] = []
    module_path = normalize.module_path

    def counted(language: str, path: str) -> str:
        ruled.append(path)
        return module_path(language, path)

    monkeypatch.setattr(normalize, "module_path", counted)
    path = pl.Series(["tokio/src/net/tcp/mod.rs", "src/lib.rs", "tokio/src/net/tcp/mod.rs"])
    language = pl.Series(["rust"] * 3)
    names = pl.Series("qualified_name", ["TcpStream", "f", None])
    first = normalize.repo_qualified_name(names, path, language)
    assert first.to_list() == ["tokio::net::tcp::TcpStream", "crate::f", None]
    assert sorted(ruled) == ["src/lib.rs", "tokio/src/net/tcp/mod.rs"]
    assert normalize.repo_parent(names, path, language).equals(first)
    assert len(ruled) == 2
