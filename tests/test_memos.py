"""The registry of the dataflow's per-process memos (``hamilton_modules.memos``)."""

from __future__ import annotations

import collections
import importlib
import pkgutil
from collections.abc import Sized
from pathlib import Path

import hamilton_modules
from hamilton_modules import cpg, cpg_model, language_subdag, memos, resolution_store, walk
from tests.dataflow_support import run_dataflow, write_repo


def test_forget_all_empties_every_memo_a_build_filled(tmp_path: Path) -> None:
    """A build fills the process's memos: the last family frames, the repository's key, the
    CPG's ``_LastMade`` memos and ``hash_ids``' recent ids; ``memos.forget_all`` empties every
    one, so an oracle that forgets sees a fresh process's answer (review r19c F4: the last
    family frames and the repository's key were left as they were)."""
    repo = write_repo(tmp_path / "repo", {"a.py": "def f():\n    g()\n\n\ndef g():\n    pass\n"})
    tables = run_dataflow(repo, languages=["python"])
    resolution_store.repository_key(tables["files"])
    made = [
        value for value in vars(cpg).values() if isinstance(value, cpg._LastMade) and value._last
    ]
    assert made
    assert language_subdag._LAST_FAMILY_FRAMES._last
    assert resolution_store._LAST_KEYED
    assert cpg_model._RECENT_IDS
    assert walk._CLASSIFIED._walks
    containers = _module_level_containers()
    assert any(containers.values())

    memos.forget_all()

    assert [memo for memo in made if memo._last] == []
    assert language_subdag._LAST_FAMILY_FRAMES._last == {}
    assert resolution_store._LAST_KEYED == []
    assert not cpg_model._RECENT_IDS
    assert not cpg_model._RECENT_FRAME_IDS
    assert not walk._CLASSIFIED._walks
    # (and any memo kept in a plain container: review r20a F6, a list memo has no ``forget``
    # for the test below to find)
    assert [name for name, container in _module_level_containers().items() if container] == []


def _module_level_containers() -> dict[str, Sized]:
    """The module-level lists, dicts, deques and sets of ``hamilton_modules`` named as memos
    are (``_LAST...``, ``_RECENT...``), by module and name."""
    found: dict[str, Sized] = {}
    for info in pkgutil.walk_packages(hamilton_modules.__path__, f"{hamilton_modules.__name__}."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith(("_LAST", "_RECENT")) and isinstance(
                value, list | dict | set | collections.deque
            ):
                found[f"{info.name}.{name}"] = value
    return found


def test_every_module_level_memo_of_the_dataflow_is_registered() -> None:
    """Each object of a ``hamilton_modules`` module that can be emptied (it has a ``forget``
    method: ``_LastMade`` and its kind) joined the registry when it was made: a memo outside
    it would stay warm across ``memos.forget_all``."""
    found = []
    for info in pkgutil.walk_packages(hamilton_modules.__path__, f"{hamilton_modules.__name__}."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            forget = getattr(value, "forget", None)
            if callable(forget) and not isinstance(value, type):
                found.append(name)
                assert forget in memos._FORGETS, f"{info.name}.{name}"
    assert "_LAST_FAMILY_FRAMES" in found
    assert "_LAST_GRAPH" in found
