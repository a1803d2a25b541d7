"""Fuzz the whole Hamilton dataflow (walk, inventory, every language sub-DAG, CPG, metrics).

``tests/test_extract_robustness.py`` fuzzes ``extract_file`` alone; here random and mutated
source text for every language goes through the real driver on a small repository, as
``codeintel build`` and the Dagster assets run it. Properties: no exception escapes, every file
gets exactly one row in ``repo/files`` with the status its bytes call for, and every extracted or
CPG row belongs to a parsed file. ``tests/fuzz_corpus/`` keeps the worst inputs found (deep and
unclosed nesting, 10,000-character names, NUL after the binary sniff window, lone surrogates,
bidi overrides, CR-only lines ...); ``test_fuzz_corpus_replays`` runs them on every test run.
"""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
from hamilton import driver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamilton_modules import LANGUAGES
from hamilton_modules.walk import BINARY_SNIFF_BYTES
from tests.dataflow_support import FAMILIES, dataflow_driver
from tests.hardening_support import SOURCE_TEMPLATES

CORPUS = Path(__file__).resolve().parent / "fuzz_corpus"
WANTED: list[Any] = ["files", "cpg_nodes", "cpg_edges", "cpg_metrics"] + [
    f"{language}.{family}" for language in LANGUAGES for family in FAMILIES
]
EXTENSIONS = {language: extension for language, (extension, _) in SOURCE_TEMPLATES.items()}
SEEDS = {language: template.format(i=7) for language, (_, template) in SOURCE_TEMPLATES.items()}
# Tokens that tend to open or close structure in one of the grammars.
TOKENS = ["(", ")", "{", "}", "[", "]", "<", ">", "'", '"', "`", "/*", "*/", "\\", "\n", "\t",
          "def ", "fn ", "class ", "impl ", "func ", "=>", "::", ".", ",", ";", "@", "#", "$",
          "\0", "\r", "\u2028", "\ud800", "é", "\U0001f600"]  # fmt: skip


@cache
def _driver() -> driver.Driver:
    return dataflow_driver(languages=list(LANGUAGES), workers=1)


def _expected_status(data: bytes) -> tuple[str, str | None]:
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
        return "skipped", "binary"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "skipped", "invalid_utf8"
    return "ok", None


def _run_and_check(repo: Path, written: dict[str, bytes]) -> dict[str, pl.DataFrame]:
    results = _driver().execute(WANTED, inputs={"repo_path": str(repo)})
    files = results["files"]
    assert sorted(files["path"].to_list()) == sorted(written)
    ok_paths: dict[str, str] = {}
    for row in files.iter_rows(named=True):
        status, reason = _expected_status(written[row["path"]])
        assert (row["status"], row["reason"]) == (status, reason), row
        if status == "ok":
            assert row["parse_errors"] is not None and row["parse_errors"] >= 0, row
            ok_paths[row["path"]] = row["language"]
    for language in LANGUAGES:
        for family in FAMILIES:
            paths = set(results[f"{language}.{family}"]["path"].to_list())
            assert all(ok_paths.get(path) == language for path in paths), (language, family)
    for table in ("cpg_nodes", "cpg_edges", "cpg_metrics"):
        assert isinstance(results[table], pl.DataFrame)
    return results


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # lone surrogates become invalid UTF-8


@st.composite
def _mutated_seed(draw: st.DrawFn, language: str) -> bytes:
    text = SEEDS[language]
    for _ in range(draw(st.integers(0, 8))):
        position = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["insert", "delete", "repeat"]))
        if operation == "insert":
            piece = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)))
            text = text[:position] + piece + text[position:]
        elif operation == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 12)) :]
        else:
            text = text[:position] + text[position : position + 4] * 50 + text[position:]
    return _encode(text)


def _content(language: str) -> st.SearchStrategy[bytes]:
    return st.one_of(
        _mutated_seed(language),
        st.text(max_size=300).map(_encode),
        st.binary(max_size=300),
        st.lists(st.sampled_from(TOKENS), max_size=120).map(lambda parts: _encode("".join(parts))),
    )


@st.composite
def _repository(draw: st.DrawFn) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for index in range(draw(st.integers(1, 6))):
        language = draw(st.sampled_from(sorted(LANGUAGES)))
        folder = draw(st.sampled_from(["", "src/", "a/b/"]))
        files[f"{folder}f{index}.{EXTENSIONS[language]}"] = draw(_content(language))
    return files


@given(repository=_repository())
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_random_and_mutated_sources_through_the_whole_dataflow(
    repository: dict[str, bytes],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder)
        for relative, data in repository.items():
            (repo / relative).parent.mkdir(parents=True, exist_ok=True)
            (repo / relative).write_bytes(data)
        _run_and_check(repo, repository)


def test_fuzz_corpus_replays(tmp_path: Path) -> None:
    repo = tmp_path / "corpus"
    shutil.copytree(CORPUS, repo)
    written = {path.name: path.read_bytes() for path in sorted(CORPUS.iterdir())}
    assert len(written) >= 30
    results = _run_and_check(repo, written)
    parsed = results["files"].filter(pl.col("status") == "ok")
    assert set(parsed["language"].to_list()) == set(LANGUAGES)
    # Deep nesting is extracted in full: 3,000 Rust functions, each nested in the previous one.
    symbols = results["rust.symbols"].filter(pl.col("path") == "deep_nesting_rust.rs")
    assert symbols.filter(pl.col("name") == "a").height == 3000
