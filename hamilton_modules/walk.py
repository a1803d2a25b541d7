"""Walk a repository safely: which files exist, what they are, and why one is not analysed.

Plain Python (no Hamilton), used by the inventory node. Rules:

- The root is resolved once; every path below it is reached through real directories only. A
  symlink (to a file or a directory) is never followed: it is recorded with the reason
  ``symlink_outside`` (target outside the repository), ``symlink_loop``, ``symlink_broken`` or
  ``symlink`` (target inside the repository, which is inventoried at its real path anyway). So
  nothing outside the repository is ever opened and loops cannot recurse.
- ``.git/`` is skipped, and so is a folder below the root holding a cache directory tag
  (https://bford.info/cachedir/: a regular file ``CACHEDIR.TAG`` starting with
  ``CACHEDIR_SIGNATURE``): what codeintel writes (``codeintel build --out``, the Hamilton cache, the
  Dagster warehouse: ``orchestration.cachedir`` tags them) and other tools' caches (cargo's
  ``target/``). A skipped tagged folder is one record, the folder's path with the reason
  ``cache_directory`` (the files in it are not listed), so a reader sees why they are missing.
  The tag is read like any file (its first bytes, ``O_NOFOLLOW``): a symlink named
  ``CACHEDIR.TAG`` is no tag. The root itself is walked even when tagged (it was asked for).
- In a git repository (``.git`` at the root) the ``.gitignore`` files of every
  directory and ``.git/info/exclude`` are honoured with ``pathspec``'s git semantics; ignored
  files are not considered at all (like ``git ls-files --others --cached --exclude-standard``).
- Checks, in order: not a regular file (``not_regular``), a file name that is not UTF-8
  (``invalid_filename``), larger than ``max_file_bytes`` (``too_large``, not read), cannot be read
  (``unreadable``), NUL byte in the first 8 KiB (``binary``), not UTF-8 (``invalid_utf8``), no
  supported language for its extension (``unknown_language``). A directory that cannot be listed
  is recorded once with ``unreadable_directory``.
- The walk is iterative and sorted, so deep trees cannot overflow the stack and the order is stable.
- A file is read once per process while it stays the same (``_ClassifiedFiles``): a later walk
  of the repository (a --watch rebuild's) reads only the files whose status (inode, size,
  modification and change times) changed since, or that were modified too recently for their
  times to tell.
- ``codeintel build`` walks the repository for its up-to-date stamp, then its inventory node would
  walk it again a moment later: the build hands its walk to the inventory (``handed_walk``), so
  the inventory is exactly what the stamp describes and the parse workers were given.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hamilton_modules import memos

if TYPE_CHECKING:
    import pathspec

# The Cache Directory Tagging Specification's tag (``orchestration.cachedir`` writes it).
CACHEDIR_TAG = "CACHEDIR.TAG"
CACHEDIR_SIGNATURE = b"Signature: 8a477f597d28d172789f06886806bc55"
BINARY_SNIFF_BYTES = 8192
DEFAULT_MAX_FILE_BYTES = 1 << 20
# A file modified less than this long before it was read is read again by the next walk: a change
# within one tick of the file system's clock (up to 2 s on some) can leave its times as they were.
RACY_SECONDS = 2.0
# Files remembered per process (``_ClassifiedFiles``), over all repositories walked.
REMEMBERED_FILES = 200_000


@dataclass(frozen=True)
class FileRecord:
    """One considered file; field names are the columns of ``schemas.FILES``."""

    path: str
    language: str | None
    size: int
    lines: int | None
    sha256: str | None
    status: str
    reason: str | None

    def as_row(self) -> dict[str, object]:
        return {
            "path": self.path,
            "language": self.language,
            "size": self.size,
            "lines": self.lines,
            "sha256": self.sha256,
            "status": self.status,
            "reason": self.reason,
            "parse_errors": None,
        }


def count_lines(data: bytes) -> int:
    """Lines as an editor shows them: a last line without a newline still counts."""
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def _skipped(path: str, language: str | None, size: int, reason: str) -> FileRecord:
    return FileRecord(path, language, size, None, None, "skipped", reason)


def _posix_name(rel_parts: tuple[str, ...]) -> str | None:
    """The relative POSIX path, or None when a name is not valid UTF-8 (surrogate-escaped)."""
    path = "/".join(rel_parts)
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return path


def _printable_name(rel_parts: tuple[str, ...]) -> str:
    raw = b"/".join(os.fsencode(part) for part in rel_parts)
    return raw.decode("utf-8", "backslashreplace")


def _symlink_reason(root: Path, link: str) -> str:
    try:
        target = Path(os.path.realpath(link, strict=True))
    except OSError as exc:
        return "symlink_loop" if exc.errno == errno.ELOOP else "symlink_broken"
    if target != root and root not in target.parents:
        return "symlink_outside"
    return "symlink"


def _read_regular_file(full_path: str) -> bytes:
    # O_NOFOLLOW: if the entry was swapped for a symlink since it was listed, refuse to open it.
    fd = os.open(full_path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def _holds_cache_tag(entries: list[os.DirEntry[str]]) -> bool:
    """Whether a directory listing holds a valid cache directory tag (module docstring)."""
    for entry in entries:
        if entry.name != CACHEDIR_TAG:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                return False
            fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return False
        with os.fdopen(fd, "rb") as handle:
            try:
                return handle.read(len(CACHEDIR_SIGNATURE)) == CACHEDIR_SIGNATURE
            except OSError:
                return False
    return False


def classify_file(
    *,
    full_path: str,
    rel_path: str,
    size: int,
    max_file_bytes: int,
    language_for_path: Callable[[str], str | None],
) -> FileRecord:
    """Read one regular file (unless too large) and decide whether it is analysed."""
    language = language_for_path(rel_path)
    if size > max_file_bytes:
        return _skipped(rel_path, language, size, "too_large")
    try:
        data = _read_regular_file(full_path)
    except OSError:
        return _skipped(rel_path, language, size, "unreadable")
    size = len(data)
    if size > max_file_bytes:  # grew since it was listed
        return _skipped(rel_path, language, size, "too_large")
    digest = hashlib.sha256(data).hexdigest()
    lines = count_lines(data)
    reason: str | None = None
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
        reason = "binary"
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            reason = "invalid_utf8"
    if reason is None and language is None:
        reason = "unknown_language"
    status = "ok" if reason is None else "skipped"
    return FileRecord(rel_path, language, size, lines, digest, status, reason)


# What decides a file's record besides its bytes: (device, inode, size, mtime ns, ctime ns).
_Identity = tuple[int, int, int, int, int]


def _identity(info: os.stat_result) -> _Identity:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class _ClassifiedFiles:
    """The records of the last walk of each repository, by path, with the status each file had
    when it was read: a later walk of the same repository in this process takes a record over
    when the file's status is the same, instead of reading and hashing the file again.

    Like git's index: a file whose status is unchanged has unchanged bytes, unless it was
    changed within one tick of the file-system clock after it was read. Such "racy" files
    (modified less than ``RACY_SECONDS`` before they were read) are not remembered. Any change
    through the file system changes the change time (ctime), which no program can set back.
    At most ``REMEMBERED_FILES`` records are kept, the least recently walked repositories' first
    dropped. Thread-safe: a walk publishes its records when it ends.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # (root, max_file_bytes, language_for_path) -> rel path -> (identity, record)
        self._walks: OrderedDict[tuple[object, ...], dict[str, tuple[_Identity, FileRecord]]] = (
            OrderedDict()
        )
        memos.register(self.forget)

    def forget(self) -> None:
        with self._lock:
            self._walks.clear()

    def previous(self, walk: tuple[object, ...]) -> dict[str, tuple[_Identity, FileRecord]]:
        with self._lock:
            return self._walks.get(walk, {})

    def publish(
        self, walk: tuple[object, ...], records: dict[str, tuple[_Identity, FileRecord]]
    ) -> None:
        with self._lock:
            self._walks.pop(walk, None)
            if len(records) > REMEMBERED_FILES:
                return  # would evict itself at once
            self._walks[walk] = records
            while sum(len(kept) for kept in self._walks.values()) > REMEMBERED_FILES:
                self._walks.popitem(last=False)


_CLASSIFIED = _ClassifiedFiles()


class _IgnoreRules:
    """The .gitignore rules in force in one directory (own file plus the parents')."""

    def __init__(self, specs: tuple[tuple[tuple[str, ...], pathspec.PathSpec], ...] = ()) -> None:
        self.specs = specs

    def child(self, rel_dir: tuple[str, ...], gitignore: Path) -> _IgnoreRules:
        try:
            lines = gitignore.read_text("utf-8", errors="replace").splitlines()
        except OSError:
            return self
        import pathspec  # only git repositories have ignore rules: others never load it

        spec = pathspec.GitIgnoreSpec.from_lines(lines)
        return _IgnoreRules((*self.specs, (rel_dir, spec)))

    def ignored(self, rel_parts: tuple[str, ...], is_dir: bool) -> bool:
        # Later (deeper) files override earlier ones, so the last matching spec decides.
        verdict = False
        for base, spec in self.specs:
            relative = "/".join(rel_parts[len(base) :]) + ("/" if is_dir else "")
            result = spec.check_file(relative)
            if result.include is not None:
                verdict = result.include
        return verdict


# A walk handed to the next walk of the same repository in this context (``handed_walk``):
# (root, max_file_bytes, language_for_path), its records; taken once.
_HANDED: ContextVar[list[tuple[tuple[object, ...], list[FileRecord]]] | None] = ContextVar(
    "codeintel_handed_walk", default=None
)


@contextlib.contextmanager
def handed_walk(
    *,
    root: Path,
    max_file_bytes: int,
    language_for_path: Callable[[str], str | None],
    records: Sequence[FileRecord],
) -> Iterator[None]:
    """In the block, the first ``walk_repository`` of ``root`` with these rules (in this context:
    this thread, not another one's walk) returns ``records``, a walk of it just made, instead of
    walking again; the others walk. ``codeintel build`` hands its stamp's walk to the inventory
    node (~7 ms of a tokio rebuild: listing ~100 folders, a status per file)."""
    walk = (os.path.realpath(root), max_file_bytes, language_for_path)
    token = _HANDED.set([(walk, list(records))])
    try:
        yield
    finally:
        _HANDED.reset(token)


def _handed(walk: tuple[object, ...]) -> list[FileRecord] | None:
    handed = _HANDED.get()
    if not handed or handed[0][0] != walk:
        return None
    _, records = handed.pop()
    return records


def walk_repository(
    *,
    root: Path,
    max_file_bytes: int,
    language_for_path: Callable[[str], str | None],
) -> list[FileRecord]:
    """Every file considered under ``root``, sorted by path (see module docstring for the rules)."""
    root = Path(os.path.realpath(root))
    handed = _handed((str(root), max_file_bytes, language_for_path))
    if handed is not None:
        return handed
    # Pin the repository folder: every later path goes through this descriptor
    # (/proc/self/fd/N), so a repository renamed or replaced by a symlink while the walk runs
    # is never left for wherever the new name points.
    root_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        pinned = Path(f"/proc/self/fd/{root_fd}")
        return _walk_pinned(
            root=root,
            base=pinned if pinned.is_dir() else root,
            max_file_bytes=max_file_bytes,
            language_for_path=language_for_path,
        )
    finally:
        os.close(root_fd)


def _walk_pinned(
    *,
    root: Path,
    base: Path,
    max_file_bytes: int,
    language_for_path: Callable[[str], str | None],
) -> list[FileRecord]:
    """``walk_repository`` with every path opened below ``base`` (the pinned ``root``)."""
    walk = (str(root), max_file_bytes, language_for_path)
    previous = _CLASSIFIED.previous(walk)
    remembered: dict[str, tuple[_Identity, FileRecord]] = {}
    # A file whose times are older than this when it is read can be remembered (``RACY_SECONDS``).
    settled_ns = time.time_ns() - int(RACY_SECONDS * 1e9)
    is_git = os.path.lexists(base / ".git")
    rules = _IgnoreRules()
    if is_git:
        rules = rules.child((), base / ".git" / "info" / "exclude")
    records: list[FileRecord] = []
    stack: list[tuple[tuple[str, ...], _IgnoreRules]] = [((), rules)]
    while stack:
        rel_dir, dir_rules = stack.pop()
        full_dir = base.joinpath(*rel_dir)
        try:
            with os.scandir(full_dir) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            records.append(_skipped(_printable_name(rel_dir), None, 0, "unreadable_directory"))
            continue
        if rel_dir and _holds_cache_tag(entries):
            records.append(_skipped(_printable_name(rel_dir), None, 0, "cache_directory"))
            continue
        if is_git and os.path.isfile(full_dir / ".gitignore"):
            dir_rules = dir_rules.child(rel_dir, full_dir / ".gitignore")
        subdirs: list[tuple[str, ...]] = []
        for entry in entries:
            rel_parts = (*rel_dir, entry.name)
            if not rel_dir and entry.name == ".git":
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                records.append(_skipped(_printable_name(rel_parts), None, 0, "unreadable"))
                continue
            is_dir = stat.S_ISDIR(info.st_mode)
            if is_git and dir_rules.ignored(rel_parts, is_dir):
                continue
            if is_dir:
                subdirs.append(rel_parts)
                continue
            rel_path = _posix_name(rel_parts)
            if rel_path is None:
                name = _printable_name(rel_parts)
                records.append(_skipped(name, None, info.st_size, "invalid_filename"))
            elif stat.S_ISLNK(info.st_mode):
                reason = _symlink_reason(root, entry.path)
                records.append(_skipped(rel_path, language_for_path(rel_path), 0, reason))
            elif not stat.S_ISREG(info.st_mode):
                records.append(_skipped(rel_path, None, 0, "not_regular"))
            else:
                identity = _identity(info)
                known = previous.get(rel_path)
                if known is not None and known[0] == identity:
                    record = known[1]
                else:
                    record = classify_file(
                        full_path=entry.path,
                        rel_path=rel_path,
                        size=info.st_size,
                        max_file_bytes=max_file_bytes,
                        language_for_path=language_for_path,
                    )
                # an unreadable file (EMFILE, EIO: maybe passing) is read again next time
                settled = max(info.st_mtime_ns, info.st_ctime_ns) < settled_ns
                if settled and record.reason != "unreadable":
                    remembered[rel_path] = (identity, record)
                records.append(record)
        # Reverse so the stack pops directories in sorted order (the final sort is by path anyway).
        stack.extend((sub, dir_rules) for sub in reversed(subdirs))
    records.sort(key=lambda record: record.path)
    _CLASSIFIED.publish(walk, remembered)
    return records
