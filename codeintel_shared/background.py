"""Writes that run in one background thread per process, in the order they were submitted.

The per-file extraction store (``hamilton_modules.extraction_store``) and Hamilton's result
store (``orchestration.caching``) hand their writes to one each, so encoding and writing files
(which release the GIL) overlap the dataflow's next nodes.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait


class BackgroundWriter:
    """One thread per process that runs the submitted writes in order.

    A ``ThreadPoolExecutor`` with one worker: the interpreter at exit, and multiprocessing's
    child bootstrap (also before a forked child's ``os._exit``), join its thread after the writes
    queued so far, so no exit hook is needed for them. A forked child inherits the executor but
    not its thread: it starts its own. A write that raises is a value not stored (its error stays
    in its future), never a failed caller.
    """

    def __init__(self, name: str, *, initializer: Callable[[], None] | None = None) -> None:
        self._name, self._initializer = name, initializer
        self._lock = threading.Lock()
        self._pid = 0
        self._executor: ThreadPoolExecutor | None = None
        self._last: Future[None] | None = None

    def submit(self, write: Callable[[], None]) -> None:
        with self._lock:
            if self._executor is None or self._pid != os.getpid():
                self._executor = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix=self._name, initializer=self._initializer
                )
                self._pid = os.getpid()
            try:
                self._last = self._executor.submit(write)
                return
            except RuntimeError:  # the interpreter is shutting down: no new threads
                pass
        with contextlib.suppress(Exception):  # here as in the thread: an error = not stored
            write()

    def wait(self) -> None:
        """Wait until every write submitted in this process has run."""
        with self._lock:
            last = self._last if self._pid == os.getpid() else None
        if last is not None:
            wait([last])  # one thread, in order: the last done, all done
