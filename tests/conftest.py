"""Shared pytest fixtures. Keep this file small: fixtures used by one test module live there."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dagster import DagsterInstance

from bench.corpora import (
    CorpusUnavailableError,
    dagster_corpus,
    golang_net_corpus,
    openjdk_corpus,
    rxjs_corpus,
    tokio_corpus,
    webpack_corpus,
)
from tests.instance_home import new_dagster_home

# The processes the tests start (`codeintel`, `dagster`, the webserver and daemon) run this
# checkout's code: a venv's editable install points at one checkout, and a worktree or clone that
# shares the venv would otherwise test that other checkout's code in every subprocess.
_PROJECT = str(Path(__file__).resolve().parents[1])
os.environ["PYTHONPATH"] = os.pathsep.join(
    [
        _PROJECT,
        *(p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != _PROJECT),
    ]
)


def _corpus_or_fail(fetch: Callable[[], Path]) -> Path:
    # A missing corpus is a failure, not a skip: CI has network access to the registries, and a
    # skipped oracle would silently stop checking the extractor.
    try:
        return fetch()
    except CorpusUnavailableError as error:
        pytest.fail(f"corpus unavailable (run `python -m bench.corpora`): {error}")


@pytest.fixture(scope="session")
def dagster_source() -> Path:
    """A private copy of the installed dagster package source (Python corpus)."""
    return _corpus_or_fail(dagster_corpus)


@pytest.fixture(scope="session")
def tokio_source() -> Path:
    """The cargo registry folder of Debian's tokio crates (Rust corpus)."""
    return _corpus_or_fail(tokio_corpus)


@pytest.fixture(scope="session")
def rxjs_source() -> Path:
    """The TypeScript sources of the rxjs npm package."""
    return _corpus_or_fail(rxjs_corpus)


@pytest.fixture(scope="session")
def openjdk_source() -> Path:
    """The ``java/util`` sources of Debian's JDK 17 source package (Java corpus)."""
    return _corpus_or_fail(openjdk_corpus)


# ---- JavaScript and Go corpora ----
@pytest.fixture(scope="session")
def webpack_source() -> Path:
    """The JavaScript sources (``lib/``) of the webpack npm package."""
    return _corpus_or_fail(webpack_corpus)


@pytest.fixture(scope="session")
def golang_net_source() -> Path:
    """The golang.org/x/net module of Debian's golang-golang-x-net-dev (Go corpus)."""
    return _corpus_or_fail(golang_net_corpus)


@pytest.fixture(scope="session", autouse=True)
def _hermetic_hamilton_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests share one Hamilton cache in a temp folder, never ``dagster_home/hamilton_cache``
    (subprocesses inherit it). Tests about caching pass their own ``--cache-dir`` / root."""
    import os

    os.environ.setdefault("CODEINTEL_CACHE_DIR", str(tmp_path_factory.mktemp("hamilton_cache")))


@pytest.fixture
def dagster_home(tmp_path: Path) -> Path:
    """A temporary ``DAGSTER_HOME`` with the shipped embedded-instance ``dagster.yaml``."""
    return new_dagster_home(tmp_path / "dagster_home")


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[DagsterInstance]:
    """A stock Dagster instance of the test's own (SQLite in ``tmp_path/home``)."""
    (tmp_path / "home").mkdir()
    with DagsterInstance.local_temp(str(tmp_path / "home")) as temp_instance:
        yield temp_instance
