"""The temporaries of atomic writes (``.<name>.<writer pid>.<random>.tmp`` beside ``<name>``) and
the sweep of those whose writer died.

Stdlib only: ``orchestration.storage`` (the outputs) and ``orchestration.cachedir`` (the cache
directory tags, written before ``codeintel build``'s up-to-date check, which loads no pyarrow)
name and sweep their temporaries alike.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

# ``.<name>.<writer pid>.<random>.tmp``: the random part has no dot (``tempfile``'s letters,
# digits and ``_``; ``secrets.token_hex``)
_TEMPORARY_NAME = re.compile(r"\..+\.[0-9]+\.[^.]+\.tmp")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def is_temporary_name(name: str) -> bool:
    """Whether ``name`` is named as the temporary of an atomic write (of a live writer or not)."""
    return _TEMPORARY_NAME.fullmatch(name) is not None


def sweep_orphaned_temporaries(path: Path) -> list[Path]:
    """Remove temporaries of ``path`` left by writers that died (SIGKILL, power loss).

    A temporary is named ``.<name>.<writer pid>.<random>.tmp``; it is an orphan when its writer
    process no longer exists on this machine. Live writers' temporaries (a concurrent build) are
    kept. Outputs are written from one machine, so the pid is meaningful.
    """
    removed: list[Path] = []
    prefix = f".{path.name}."
    try:
        candidates = [entry for entry in path.parent.iterdir() if entry.name.startswith(prefix)]
    except OSError:
        return removed
    for entry in candidates:
        pid_text, _, rest = entry.name[len(prefix) :].partition(".")
        if not pid_text.isdigit() or not rest.endswith(".tmp") or pid_alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed.append(entry)
    return removed
