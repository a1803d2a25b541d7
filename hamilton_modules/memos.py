"""The registry of the dataflow's per-process memos.

A per-process memo keeps what this process made last (``cpg._LastMade``, ``hash_ids``' recent
results, ``language_subdag``'s last family frames, ``resolution_store.repository_key``'s last
key, ``walk``'s records of the last walk of each repository) so that a rebuild of the same
repository takes it instead of making it again. Each one joins the registry when it is made
(``register``, with the function that empties it), and ``forget_all`` empties them all: what a
fresh process starts from, e.g. for a test's oracle that must not see a memo's answer (a memo
keyed on less than its value reads would pass a comparison with itself).

Not here:
- memos of a pure function of their whole arguments (``functools.lru_cache``): a fresh process
  gives their answers too;
- the last resolution a ``resolution_store.DirectoryResolutionStore`` object read or wrote: the
  store's content, not a memo; a fresh process reads it (or an older entry) from the database,
  and ``cpg_edges`` gives the full resolution's output from any entry or none.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

# The forget function of every per-process memo made so far (a module-level list, not a class
# attribute: ``orchestration.reached_code`` covers a class attribute filled at run time by its
# module's whole file).
_FORGETS: list[Callable[[], None]] = []
_FORGETS_LOCK = threading.Lock()


def register(forget: Callable[[], None]) -> None:
    """Make a memo one of the registry's: ``forget`` empties it."""
    with _FORGETS_LOCK:
        _FORGETS.append(forget)


def forget_all() -> None:
    """Empty every registered memo of this process."""
    with _FORGETS_LOCK:
        forgets = list(_FORGETS)
    for forget in forgets:
        forget()
