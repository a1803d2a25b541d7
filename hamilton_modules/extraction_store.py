"""Per-file extraction results keyed by content: one changed file re-parses one file.

Hamilton's node cache keys ``<language>.extraction`` by the whole inventory, so any changed file
would re-parse every file of the language. This store keeps each file's ``FileColumns`` under its
content key (sha256 + suffix) and the extractor version (a hash of the extraction code and the
tree-sitter wheels), so an unchanged file is loaded, never parsed again, whichever path or
repository it is in.

Layout: ``<dir>/<extractor version>/<sha256[:2]>/<sha256><suffix>.pkl``; writes are atomic (temp
file + rename: concurrent processes may write the same entry, the last rename wins with identical
bytes); a hit refreshes the file's mtime, so pruning by mtime (``orchestration.caching``) drops the
least recently used entries first. An unreadable entry is a miss.

Plain Python: no Hamilton, no orchestration. The directory comes in as the Hamilton input
``extraction_cache_dir`` ("" = no store), which the runner fills from its cache root.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import os
import pickle
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from hamilton_modules.parsing import ContentKey, FileColumns

_PACKAGE = Path(__file__).resolve().parent
# Code whose change changes what a file extracts to.
_EXTRACTOR_SOURCES = ("languages", "parsing.py")
_DISTRIBUTIONS = (
    "tree-sitter",
    "tree-sitter-python",
    "tree-sitter-rust",
    "tree-sitter-typescript",
    "tree-sitter-javascript",
    "tree-sitter-go",
    "tree-sitter-java",
)


class ExtractionStore(Protocol):
    """Where ``extract_language`` looks up and keeps per-file results."""

    def get_many(self, keys: Iterable[ContentKey]) -> dict[ContentKey, FileColumns]: ...

    def put_many(self, results: Mapping[ContentKey, FileColumns]) -> None: ...


@functools.cache
def extractor_version() -> str:
    """sha256 over the extraction code (sources, queries) and the tree-sitter wheel versions."""
    hasher = hashlib.sha256()
    for name in _EXTRACTOR_SOURCES:
        base = _PACKAGE / name
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for path in files:
            if (
                path.is_file()
                and path.suffix in {".py", ".scm"}
                and "__pycache__" not in path.parts
            ):
                hasher.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
                hasher.update(path.read_bytes() + b"\0")
    for distribution in _DISTRIBUTIONS:
        try:
            version = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        hasher.update(f"{distribution}={version}\0".encode())
    return hasher.hexdigest()


class DirectoryExtractionStore:
    """The content-addressed store described in the module docstring."""

    def __init__(self, directory: str | os.PathLike[str], *, version: str | None = None) -> None:
        self.version = version or extractor_version()
        self.root = Path(directory) / self.version[:16]

    def _path(self, key: ContentKey) -> Path:
        return self.root / key.sha256[:2] / f"{key.sha256}{key.suffix}.pkl"

    def get_many(self, keys: Iterable[ContentKey]) -> dict[ContentKey, FileColumns]:
        found: dict[ContentKey, FileColumns] = {}
        for key in keys:
            path = self._path(key)
            try:
                value = pickle.loads(path.read_bytes())
            except Exception:  # absent, truncated or foreign file: a miss, rewritten below
                continue
            with contextlib.suppress(OSError):
                os.utime(path)
            found[key] = value
        return found

    def put_many(self, results: Mapping[ContentKey, FileColumns]) -> None:
        for key, value in results.items():
            path = self._path(key)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
                try:
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
                    os.replace(temp, path)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.unlink(temp)
                    raise
            except OSError:
                continue  # a full or read-only disk costs speed, never the build


def open_store(directory: str) -> DirectoryExtractionStore | None:
    """The store under ``directory``, None for "" (no per-file cache)."""
    return DirectoryExtractionStore(directory) if directory else None
