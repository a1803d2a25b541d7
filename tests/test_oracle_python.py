"""The Python extractor against the stdlib ``ast`` module on the dagster package source.

Definitions and imported names must be equal per file; the number of calls within 0.5% overall.
Files ``ast`` cannot parse are excluded and counted (none in dagster 1.13).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.oracles import (
    MAX_CALLS_RELATIVE_DIFFERENCE,
    PythonOracleReport,
    ast_facts,
    compare_python,
    extracted_facts,
)
from hamilton_modules.languages import extract_file

SNIPPET = b"""\
import os.path as p, sys
from .. import x
from .sub import (y as z, w)
from __future__ import annotations


@decorator(1)
class C(Base, metaclass=M):
    async def run(self):
        from pkg.mod import *
        return f(g(1))(2)


def outer():
    def inner():
        pass
    return [print(i) for i in range(3)]
"""


def test_oracle_conventions_on_a_snippet() -> None:
    """The oracle's view of a small file, spelled out, so a change in its conventions shows."""
    facts = ast_facts(SNIPPET, filename="snippet.py")
    assert facts.definitions == Counter(
        {("C", 8): 1, ("run", 9): 1, ("outer", 14): 1, ("inner", 15): 1}
    )
    assert facts.imports == Counter(
        {
            (None, "os.path", "p"): 1,
            (None, "sys", None): 1,
            ("..", "x", None): 1,
            (".sub", "y", "z"): 1,
            (".sub", "w", None): 1,
            ("__future__", "annotations", None): 1,
            ("pkg.mod", "*", None): 1,
        }
    )
    # decorator(1), f(g(1)), g(1), the outer call of f(...)(2), print(i), range(3)
    assert facts.calls == 6
    assert extracted_facts(extract_file("python", "snippet.py", SNIPPET)) == facts


@pytest.fixture(scope="module")
def dagster_report(dagster_source: Path) -> PythonOracleReport:
    report = compare_python(root=dagster_source)
    print(report.summary())
    return report


@pytest.mark.slow
def test_corpus_is_substantial(dagster_report: PythonOracleReport) -> None:
    # Guards against a comparison that trivially passes on an empty or truncated corpus.
    assert dagster_report.files >= 500, dagster_report.summary()
    assert dagster_report.definitions_oracle >= 5_000, dagster_report.summary()
    assert len(dagster_report.excluded) <= dagster_report.files // 100, dagster_report.excluded


@pytest.mark.slow
def test_definitions_equal_ast(dagster_report: PythonOracleReport) -> None:
    assert not dagster_report.definition_differences, (
        f"{dagster_report.summary()}\nfiles whose (name, line) definitions differ from ast "
        f"(missing = ast only, extra = ours only):\n"
        f"{dagster_report.details(family='definitions')}"
    )


@pytest.mark.slow
def test_imported_names_equal_ast(dagster_report: PythonOracleReport) -> None:
    assert not dagster_report.import_differences, (
        f"{dagster_report.summary()}\nfiles whose (module, name, alias) imports differ from ast "
        f"(missing = ast only, extra = ours only):\n{dagster_report.details(family='imports')}"
    )


@pytest.mark.slow
def test_calls_within_half_a_percent_of_ast(dagster_report: PythonOracleReport) -> None:
    assert dagster_report.calls_relative_difference <= MAX_CALLS_RELATIVE_DIFFERENCE, (
        f"{dagster_report.summary()}\nfiles with the largest call-count differences:\n"
        f"{dagster_report.details(family='calls')}"
    )
