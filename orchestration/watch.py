"""``codeintel build --watch``: build again in the same process whenever the repository changes.

A fresh ``codeintel build`` pays ~0.6-0.9 s of imports (Hamilton, pandas through
``hamilton.driver``, polars, pyarrow) and starts its parse processes before it does any work;
a watching process pays them once, and every later build runs with the libraries loaded, the
worker pool started and the code versions computed. What a build recomputes is decided as for
any build: the output's stamp (``orchestration.freshness``), then Hamilton's cache.

Changes come from the operating system (``watchfiles``: inotify on Linux, a polling fallback
elsewhere) instead of re-walking the repository on a timer: an idle watch costs nothing, and a
change is seen ~50 ms after the last write of a burst. Every batch of changes is only a reason
to look: the caller compares the repository's stamp with the last build's, so a change that
makes no difference to the output (a file the walk skips, an editor's swap file) builds
nothing. Changes under the output and cache folders are never reasons (the build's own writes
would wake the watch after every build when those folders are inside the repository).

Plain Python: no Hamilton, no Dagster; ``orchestration.definitions`` runs the builds.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType

from watchfiles._rust_notify import RustNotify, WatchfilesRustInternalError

# A burst of writes (a checkout, an editor's save: write, rename, chmod) is one batch when its
# changes are less than STEP_MS apart, up to DEBOUNCE_MS after the first. An editor's save is
# over within a millisecond or two, and each batch's wait of STEP_MS after its last change is
# latency every rebuild pays: 20 ms (webpack's watch `aggregateTimeout`), not watchfiles' 50. A
# burst with a longer pause is two batches, and the second's build starts from the stamp of the
# first (what did not change since is not built again).
STEP_MS = 20
DEBOUNCE_MS = 1600
# How often a polling watch (when the operating system's notifications are refused) looks.
POLL_MS = 300
# How often an idle watch returns to Python to look at the stop event besides every step, and
# at whether the repository's folder is still the one watched.
_TIMEOUT_MS = 1000


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _identity(folder: Path) -> tuple[int, int] | None:
    """(device, inode) of ``folder``, None when nothing is there."""
    try:
        status = os.stat(folder)
    except OSError:
        return None
    return status.st_dev, status.st_ino


class RepositoryWatch:
    """The operating system's watch on a folder, from ``__enter__`` on: changes made while the
    caller works (a build) are kept and come with the next ``batches`` step, none is missed
    between two batches.

    watchfiles' ``RustNotify`` (its documented Rust backend, which ``watchfiles.watch`` wraps)
    is used directly because ``watch`` starts watching only at the generator's first step: a
    change made between the start of the process and that step would be lost.

    The operating system watches folders, not paths: when the repository's folder is replaced
    at its path (``mv repo repo.old && mv repo.new repo``, a tool that checks out into a new
    folder and renames it into place), the watch follows it at once, and the batch names the
    root (whatever the new folder holds may differ from the last build).
    """

    def __init__(self, root: Path, *, ignore: Iterable[Path] = (), polling: bool = False) -> None:
        self.root = root.resolve()
        self.polling = polling  # files' times every POLL_MS instead of notifications
        self._ignored = [folder.resolve() for folder in ignore]
        self._notify: RustNotify | None = None
        self._watched: tuple[int, int] | None = None  # the folder watched: ``_identity``

    def __enter__(self) -> RepositoryWatch:
        self._watched = _identity(self.root)
        self._notify = self._start()
        return self

    def _start(self) -> RustNotify:
        try:
            # (paths, debug, force_polling, poll_delay_ms, recursive, ignore_permission_denied:
            # not with notifications, or watchfiles also swallows "OS file watch limit reached"
            # and the watch would miss the folders it could not add, silently)
            return RustNotify([str(self.root)], False, self.polling, POLL_MS, True, self.polling)
        except (OSError, WatchfilesRustInternalError) as exc:
            if self.polling:
                raise
            # the operating system refuses more watches (inotify's max_user_watches on a tree of
            # many folders) or a folder cannot be read: look at the files' times instead, every
            # POLL_MS (an unreadable folder is the build's to report)
            warnings.warn(
                f"cannot watch {self.root} for changes ({exc}); polling it every {POLL_MS} ms",
                stacklevel=2,
            )
            self.polling = True
            return RustNotify([str(self.root)], False, True, POLL_MS, True, True)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        notify, self._notify = self._notify, None
        if notify is not None:
            notify.close()

    def batches(self, *, stop: threading.Event | None = None) -> Iterator[frozenset[Path]]:
        """Each batch of paths that changed (created, modified or deleted) outside the ignored
        folders, until ``stop`` is set or the process gets SIGINT (then it ends, it does not
        raise); a batch of ignored paths only is not yielded. A batch that is only the root
        says the repository's folder was replaced or removed (``_replaced``)."""
        while True:
            notify = self._notify  # (a new one after ``_replaced``)
            if notify is None:
                raise RuntimeError("RepositoryWatch.batches outside its `with` block")
            raw = notify.watch(DEBOUNCE_MS, STEP_MS, _TIMEOUT_MS, stop)
            if raw in ("signal", "stop"):
                return
            if self._replaced():
                yield frozenset({self.root})
                continue
            if raw == "timeout":
                continue
            assert isinstance(raw, set)
            changed = (Path(text) for _change, text in raw)
            paths = frozenset(
                path
                for path in changed
                if not any(_inside(path, folder) for folder in self._ignored)
            )
            if paths:
                yield paths

    def _replaced(self) -> bool:
        """Whether the folder at the root's path is no longer the one watched; a new folder
        there is watched from now on (the old watch, on a folder elsewhere or gone, is closed).
        Nothing there: True once, the caller's to report (the watch stays on the old folder
        until one comes)."""
        now = _identity(self.root)
        if now == self._watched:
            return False
        self._watched = now
        if now is not None:
            old, self._notify = self._notify, self._start()
            if old is not None:
                old.close()
        return True
