"""A persistent store of Hamilton code versions, so a fresh process skips re-hashing unchanged code.

Hamilton's ``HamiltonNode.version`` is ``hash_source_code(fn, strip=True)``: ``inspect.getsource``
(tokenizes the file around the function) then ``ast.parse`` + ``ast.unparse`` of the source to drop
docstrings and comments. That is ~1 s per 5,000 functions, paid by every fresh process that loads
the code location (``dagster definitions validate``, every run worker) although the code rarely
changes between two loads.

The store maps a key that fixes the function's raw source text to Hamilton's version of it:
``inspect.getsource`` of a plain function depends only on the lines of its file and the first line
of its code object (``inspect.findsource``), so the key is ``sha256(file bytes)`` plus
``co_firstlineno`` of the unwrapped function, salted with the Python and Hamilton versions (the
hash goes through ``ast.unparse``, whose output may change with Python). Computing it reads and
hashes each source file once, no tokenizing or parsing. Anything else (a builtin, a callable
object, a function without a file on disk) is not stored: the caller hashes it as Hamilton does.

The value stored is exactly what Hamilton returned, so plans, signatures and Dagster code versions
do not depend on whether the store was warm. The file is ``<cache dir>/code_versions.json`` (cache
dir from ``orchestration.locations.resolve_cache_dir``: ``$CODEINTEL_CACHE_DIR`` or
``$DAGSTER_HOME/hamilton_cache``), written atomically; an unreadable or corrupt file is an empty
store and an unwritable folder only costs the next process the hashing again.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
import sys
import threading
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hamilton import version as hamilton_version

from orchestration.locations import resolve_cache_dir

STORE_FILE = "code_versions.json"
FORMAT = 1
# Entries kept in the file: many graphs may share one cache dir, and old code leaves dead entries.
MAX_ENTRIES = 50_000


def _salt() -> str:
    hamilton = ".".join(str(part) for part in hamilton_version.VERSION)
    return f"py{sys.version_info.major}.{sys.version_info.minor}|hamilton{hamilton}"


class CodeVersionStore:
    """``key -> version`` loaded from one JSON file; new entries are written back by ``flush``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._salt = _salt()
        self._entries = self._load()
        self._new: dict[str, str] = {}
        self._file_digests: dict[tuple[str, int, int], str | None] = {}
        self._lock = threading.Lock()

    def _load(self) -> dict[str, str]:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if (
            not isinstance(document, dict)
            or document.get("format") != FORMAT
            or document.get("salt") != self._salt
            or not isinstance(document.get("versions"), dict)
        ):
            return {}
        return {
            key: value
            for key, value in document["versions"].items()
            if isinstance(key, str) and isinstance(value, str)
        }

    def _file_digest(self, filename: str) -> str | None:
        """sha256 of a source file's bytes (None: not a readable ``.py`` file).

        Remembered per (path, mtime, size): a file edited while the process lives gets a new
        digest, so a version is never stored under the key of the file's old text.
        """
        if not filename.endswith(".py"):
            return None
        try:
            status = os.stat(filename)
        except OSError:
            return None
        signature = (filename, status.st_mtime_ns, status.st_size)
        if signature not in self._file_digests:
            try:
                data = Path(filename).read_bytes()
            except OSError:
                return None
            self._file_digests[signature] = hashlib.sha256(data).hexdigest() if data else None
        return self._file_digests[signature]

    def key_of(self, function: Callable[..., Any]) -> str | None:
        """The key fixing ``inspect.getsource(function)``, None when it cannot be derived cheaply."""
        try:
            unwrapped = inspect.unwrap(function)
        except ValueError:  # a __wrapped__ cycle
            return None
        if not isinstance(unwrapped, types.FunctionType):
            return None
        code = unwrapped.__code__
        digest = self._file_digest(code.co_filename)
        if digest is None:
            return None
        text = f"{self._salt}|{digest}|{code.co_firstlineno}"
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._new.get(key) or self._entries.get(key)

    def put(self, key: str, version: str) -> None:
        with self._lock:
            if self._entries.get(key) != version:
                self._new[key] = version

    def flush(self) -> None:
        """Merge the new entries into the file (re-read first: another process may have written)."""
        with self._lock:
            if not self._new:
                return
            new, self._new = self._new, {}
            merged = {**self._load(), **self._entries}
            for key in new:
                merged.pop(key, None)
            # Newest last; the oldest are dropped first when the file is over its cap.
            merged.update(new)
            entries = dict(list(merged.items())[-MAX_ENTRIES:])
            self._entries = entries
        document = {"format": FORMAT, "salt": self._salt, "versions": entries}
        from orchestration.storage import atomic_target  # pyarrow: only when there is a write

        # A read-only cache dir only means the next process hashes again.
        with contextlib.suppress(OSError), atomic_target(self.path) as tmp:
            tmp.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")


_STORES: dict[Path, CodeVersionStore] = {}
_STORES_LOCK = threading.Lock()


def code_version_store() -> CodeVersionStore:
    """The process-wide store of the current cache dir (the environment may change in tests)."""
    path = resolve_cache_dir() / STORE_FILE
    with _STORES_LOCK:
        store = _STORES.get(path)
        if store is None:
            store = _STORES[path] = CodeVersionStore(path)
        return store
