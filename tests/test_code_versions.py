"""The persistent code-version store: Hamilton's exact versions, keyed by source, across processes."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hamilton import driver
from hamilton.graph_types import HamiltonGraph, hash_source_code

from orchestration.code_versions import STORE_FILE, CodeVersionStore
from orchestration.graph import build_plan_graph, covering_version
from orchestration.reached_code import reach
from orchestration.translator import HamiltonDagsterTranslator
from tests.dataflow_support import import_source
from tests.fixtures import sales_dataflow

PROJECT = Path(__file__).resolve().parents[1]

PLAN_SIGNATURE = """\
import sys
from pathlib import Path

sys.path.insert(0, sys.argv[1])
import generated_graph

from orchestration.partition import build_plan

print(build_plan(modules=[generated_graph]).signature)
"""


def test_stored_versions_are_hamiltons(tmp_path: Path) -> None:
    path = tmp_path / STORE_FILE
    dr = driver.Builder().with_modules(sales_dataflow).build()
    store = CodeVersionStore(path)
    # build_plan_graph fills and flushes the process-wide store of CODEINTEL_CACHE_DIR; fill this
    # one the same way, then read it back as a fresh process would.
    plan_graph = build_plan_graph(
        function_graph=dr.graph, config={}, translator=HamiltonDagsterTranslator()
    )
    for node in HamiltonGraph.from_graph(dr.graph).nodes:
        if node.originating_functions and not node.is_external_input:
            function = node.originating_functions[0]
            assert store.version_of(function) == hash_source_code(function, strip=True)
    store.flush()
    fresh = CodeVersionStore(path)
    expected = {n.name: n.version for n in HamiltonGraph.from_graph(dr.graph).nodes}
    checked = 0
    for node in HamiltonGraph.from_graph(dr.graph).nodes:
        if node.is_external_input or not node.originating_functions:
            continue
        key, _ = fresh.key_and_source(node.originating_functions[0])
        own = expected[node.name]
        assert key is not None and own is not None
        assert fresh.get(key) == own
        reached = reach().digest(node.originating_functions[0], store=fresh)
        assert plan_graph.payload(node.name).code_version == covering_version(own, reached)
        checked += 1
    assert checked >= 10


def test_key_follows_the_source_text(tmp_path: Path) -> None:
    source = tmp_path / "versioned_module.py"
    source.write_text(
        "def a(x: int) -> int:\n    return x + 1\n\n\ndef b(a: int) -> int:\n    return a\n"
    )
    first = import_source(source, "versioned_module")
    store = CodeVersionStore(tmp_path / STORE_FILE)
    (key_a, _), (key_b, _) = store.key_and_source(first.a), store.key_and_source(first.b)
    assert key_a is not None and key_b is not None and key_a != key_b
    assert store.key_and_source(first.a)[0] == key_a  # stable within the process
    # Any edit of the file (even elsewhere) changes the keys: its text decides getsource.
    source.write_text(source.read_text() + "\n# edited\n")
    os.utime(source, ns=(1, 1))  # a different mtime even on a coarse clock
    edited = import_source(source, "versioned_module")
    assert store.key_and_source(edited.a)[0] not in (None, key_a)
    # Callables without a source file are not stored (the caller hashes them as Hamilton does).
    assert store.key_and_source(len) == (None, None)
    namespace: dict[str, object] = {}
    exec("def c():\n    return 1\n", namespace)  # a function without a source file
    assert store.key_and_source(namespace["c"]) == (None, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        json.dumps({"format": 1, "salt": "py0.0|hamilton0", "versions": {"k": "v"}}),
    ],
)
def test_bad_or_foreign_file_is_an_empty_store(tmp_path: Path, content: str) -> None:
    path = tmp_path / STORE_FILE
    path.write_text(content)
    store = CodeVersionStore(path)
    assert store.get("k") is None
    store.put("k", "version")
    store.flush()
    assert CodeVersionStore(path).get("k") == "version"


def test_unwritable_folder_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    store = CodeVersionStore(blocker / STORE_FILE)  # its parent is a file: nothing can be written
    store.put("k", "version")
    store.flush()
    assert store.get("k") == "version"


def test_fresh_processes_plan_the_same_with_a_warm_store(tmp_path: Path) -> None:
    from bench.bench_plan import pipeline_source

    (tmp_path / "generated_graph.py").write_text(pipeline_source(nodes=300))
    script = tmp_path / "signature.py"
    script.write_text(PLAN_SIGNATURE)
    cache_dir = tmp_path / "cache"
    env = dict(os.environ, CODEINTEL_CACHE_DIR=str(cache_dir), PYTHONPATH=str(PROJECT))

    def signature() -> str:
        completed = subprocess.run(
            [sys.executable, str(script), str(tmp_path)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        )
        return completed.stdout.strip()

    cold = signature()
    store_file = cache_dir / STORE_FILE
    written = store_file.stat().st_mtime_ns
    entries = json.loads(store_file.read_text())["versions"]
    assert len(entries) > 200  # one per function (a @check_output group shares one)
    warm = signature()
    assert warm == cold
    assert store_file.stat().st_mtime_ns == written  # nothing new to store: no rewrite
    # A tampered entry would be used as is: the store is trusted, so prove the warm run read it.
    tampered = {key: "tampered" for key in entries}
    store_file.write_text(json.dumps({**json.loads(store_file.read_text()), "versions": tampered}))
    assert signature() != cold


TRICKY_SOURCE = '''\
# -*- coding: utf-8 -*-
"""A module docstring."""
import functools

from hamilton.function_modifiers import check_output, tag


def plain(x: int) -> int:
    """Docstring, ignored by Hamilton's hash."""
    # a comment, ignored too
    return x + 1  # trailing comment


@tag(owner="ünïcode", note='single quotes')
@check_output(range=(0, 10), importance="warn")
def decorated(plain: int) -> int:
    def inner(value: int) -> int:
        """Nested docstrings go as well."""
        return value * 2

    return inner(plain)


@tag(
    spread="over",
    several="lines",
)

# a comment between the decorator and the def
def spread(decorated: int) -> str:
    return f"{decorated!r:>10} {{braces}}"


async def coroutine(x: int) -> int:
    """Async."""
    return x


def only_docstring(x: int) -> int:
    """Nothing else."""


def one_liner(x: int) -> int: return x * 3


def sharing_a_line(x: int) -> int: return x; y = 1


def _wrap(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)

    return wrapper


@_wrap
def wrapped(x: int) -> int:
    return x - 1


def factory():
    def made(x: int) -> int:
        return x

    return made


made = factory()
lambda_node = lambda x: x  # noqa: E731
'''


def _functions_of(module: ModuleType) -> list[object]:
    return [
        value
        for value in vars(module).values()
        if inspect.isfunction(value) and value.__module__ == module.__name__
    ]


def _assert_hamiltons_versions(functions: list[object], store: CodeVersionStore) -> int:
    """source_version == Hamilton's hash for every function; returns how many took the AST path."""
    from orchestration.code_versions import source_version

    by_ast = 0
    for function in functions:
        assert callable(function)
        _, source = store.key_and_source(function)
        expected = hash_source_code(function, strip=True)
        assert source_version(function, source=source) == expected, function
        unwrapped = getattr(function, "__wrapped__", function)
        code = getattr(unwrapped, "__code__", None)
        if source is not None and code is not None:
            by_ast += source.version(code.co_firstlineno, code.co_name) == expected
    return by_ast


def test_versions_from_one_parse_per_file_are_hamiltons(tmp_path: Path) -> None:
    path = tmp_path / "tricky_module.py"
    path.write_bytes(TRICKY_SOURCE.replace("\n", "\r\n").encode())  # CRLF: linecache reads it too
    module = import_source(path, "tricky_module")
    store = CodeVersionStore(tmp_path / STORE_FILE)
    functions = _functions_of(module)
    assert len(functions) >= 11
    # Everything but the nested `made` and the lambda (Hamilton hashes those itself).
    assert _assert_hamiltons_versions(functions, store) == len(functions) - 2
    # A decorated @check_output function: the graph's nodes carry Hamilton's exact versions
    # (covering what the functions reach).
    dr = driver.Builder().with_modules(module).build()
    graph = build_plan_graph(
        function_graph=dr.graph, config={}, translator=HamiltonDagsterTranslator()
    )
    for node in HamiltonGraph.from_graph(dr.graph).nodes:
        if node.is_external_input:
            assert graph.payload(node.name).code_version == node.name
            continue
        assert node.originating_functions is not None and node.version is not None
        reached = reach().digest(node.originating_functions[0], store=store)
        assert graph.payload(node.name).code_version == covering_version(node.version, reached)


def test_versions_of_the_real_and_generated_dataflows_are_hamiltons(tmp_path: Path) -> None:
    import importlib
    import pkgutil

    import hamilton_modules
    from bench.bench_plan import module_source, pipeline_source

    store = CodeVersionStore(tmp_path / STORE_FILE)
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(hamilton_modules.__path__, "hamilton_modules.")
    ]
    for name, source in [("pipeline_graph", pipeline_source), ("layered_graph", module_source)]:
        (tmp_path / f"{name}.py").write_text(source(nodes=400))
        modules.append(import_source(tmp_path / f"{name}.py", name))
    modules.append(sales_dataflow)
    functions = [function for module in modules for function in _functions_of(module)]
    by_ast = _assert_hamiltons_versions(functions, store)
    assert len(functions) > 800 and by_ast > 0.9 * len(functions)
