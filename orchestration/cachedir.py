"""Cache directory tags: every folder codeintel writes its outputs or caches into is marked.

The Cache Directory Tagging Specification (https://bford.info/cachedir/) marks a folder whose
content can be made again with a file ``CACHEDIR.TAG`` starting with ``SIGNATURE``; cargo's
``target/``, pip's cache and many backup tools honour it. codeintel writes one into the folders it
writes: ``codeintel build --out DIR``, the Hamilton cache root and the Dagster warehouse. The
repository walk (``hamilton_modules.walk``) leaves a tagged folder out, so a build whose output or
cache lies inside the repository it analyses never inventories its own files, whichever process
or command wrote them (a build, a watch, a Dagster run) and however the folder is named.

A tag is written once, when absent, atomically (a temporary beside it, fsynced, then linked to
the final name, which never replaces a file that appeared meanwhile), before anything else is
written into the folder, and before the walk that decides a build's stamp: so every walk sees the
folder tagged, or not at all. A folder that already exists is tagged only when it holds no file or
``ours`` says it holds nothing but what codeintel writes there (``holds_only``: a previous
build's tables and manifest, Hamilton's cache, the warehouse's stored values): a folder holding
anything else (``--out .`` in a repository, ``--out docs`` beside the user's files, a warehouse
in the user's projects folder) is never tagged, so neither the walk nor a backup tool loses the
user's files.

Stdlib only: ``codeintel build`` tags its folders before its up-to-date check, which must not load
pyarrow or polars.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path

from orchestration.temporaries import is_temporary_name, sweep_orphaned_temporaries

TAG_NAME = "CACHEDIR.TAG"
# Hamilton's metadata store in a cache root (``orchestration.caching``): a root without it is no
# cache's.
METADATA_FILE = "metadata_store.db"
# What a cache root holds (``orchestration.caching``'s layout): the metadata store with SQLite's
# files beside it and the copies a damaged one is moved aside to, the JSONL logs and their
# rotations, the measured timings with their lock and pending measurements,
# ``orchestration.code_versions``' store, the prune marker; and folders: Hamilton's results and
# the directory inputs (``orchestration.definitions.CACHE_DIRECTORY_INPUTS``). A test checks these
# names against the modules that write them.
_CACHE_ROOT_FILE = re.compile(
    r"metadata_store\.db(\.corrupt-[0-9]+)?(-wal|-shm|-journal)?"
    r"|(cache_logs|cache_runs)(\.[0-9]+)?\.jsonl"
    r"|timings\.json(\.lock|\.pending)?|code_versions\.json|\.last_prune"
)
CACHE_ROOT_FOLDERS = frozenset({"results", "files"})
# The specification's signature: a tag is valid when its file starts with these bytes.
SIGNATURE = b"Signature: 8a477f597d28d172789f06886806bc55"
TAG_TEXT = (
    SIGNATURE
    + b"\n# This file is a cache directory tag created by codeintel: this folder holds what it\n"
    b"# wrote (outputs or caches), which can be made again. codeintel's repository walk and\n"
    b"# backup tools leave it out. For information about cache directory tags, see:\n"
    b"#\thttps://bford.info/cachedir/\n"
)


def holds_tag(folder: Path) -> bool:
    """Whether ``folder`` holds a valid tag: a regular file (not a symlink) starting with
    ``SIGNATURE``."""
    try:
        fd = os.open(folder / TAG_NAME, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as handle:
        return handle.read(len(SIGNATURE)) == SIGNATURE


def _write_tag(folder: Path) -> None:
    tag = folder / TAG_NAME
    # named as ``orchestration.temporaries`` sweeps them when their writer died
    tmp = folder / f".{TAG_NAME}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
    # 0o666 minus the umask, as a plain open() gives: backup tools of other users read it too
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(TAG_TEXT)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, tag)  # never replaces a tag (or anything) that appeared meanwhile
        except OSError as exc:
            if exc.errno == errno.EEXIST:
                return
            if os.path.lexists(tag):
                return
            os.rename(tmp, tag)  # a file system without hard links
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _holds_no_file(folder: Path) -> bool:
    """Whether ``folder`` holds folders only, down to the bottom (a layout made ahead, a build
    killed before its first write): nothing of anyone's is marked. Stops at the first file."""
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as listing:
            for entry in listing:
                if not entry.is_dir(follow_symlinks=False):
                    return False
                pending.append(Path(entry.path))
    return True


def holds_only(folder: Path, ours: Callable[[str, bool], bool]) -> bool:
    """Whether ``folder`` holds nothing but codeintel's entries, down to the bottom: each entry is
    ``ours(relative path, is a folder)`` (the path relative to ``folder``, ``/``-separated; a
    folder it accepts is judged by its entries in turn), the temporary of an atomic write, a
    valid tag or a folder holding no file. A symlink is never ours. Stops at the first other
    entry; a folder that cannot be read holds someone's."""
    pending = [(folder, "")]
    try:
        while pending:
            current, prefix = pending.pop()
            with os.scandir(current) as listing:
                for entry in listing:
                    if entry.is_symlink():
                        return False
                    is_folder = entry.is_dir(follow_symlinks=False)
                    relative = prefix + entry.name
                    if is_folder:
                        if ours(relative, True):
                            pending.append((Path(entry.path), relative + "/"))
                        elif not _holds_no_file(Path(entry.path)):
                            return False
                    elif not (
                        is_temporary_name(entry.name)
                        or (entry.name == TAG_NAME and holds_tag(current))
                        or ours(relative, False)
                    ):
                        return False
    except OSError:
        return False
    return True


def tag_folder(folder: Path, *, ours: Callable[[Path], bool] | None = None) -> bool:
    """Make ``folder`` (with its parents) when absent and write a tag into it when it has none;
    whether it holds a valid tag now.

    An existing folder without a tag is tagged only when it holds no file (folders only) or
    ``ours(folder)``: it holds nothing but what codeintel writes there (``holds_only``), never
    when it holds anything of the user's beside codeintel's files. A folder holding a
    ``CACHEDIR.TAG`` that is no valid tag is left as it is. Raises OSError when the folder
    cannot be made; a tag that cannot be written (read-only folder, full disk) is only a cost:
    False.
    """
    try:
        info = os.lstat(folder / TAG_NAME)
    except FileNotFoundError:
        info = None
    except OSError:
        return False
    if info is not None:
        return holds_tag(folder)
    try:
        os.mkdir(folder)
        created = True
    except FileExistsError:
        created = False
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True)
        created = True
    try:
        if not created:  # a writer killed while it tagged the folder left its temporary
            sweep_orphaned_temporaries(folder / TAG_NAME)
        if created or _holds_no_file(folder) or (ours is not None and ours(folder)):
            _write_tag(folder)
    except OSError:
        return False
    return holds_tag(folder)


def holds_only_cache(root: Path) -> bool:
    """Whether ``root`` is a Hamilton cache root (``orchestration.caching``): it holds Hamilton's
    metadata store and nothing but what the cache writes there (``CACHE_ROOT_FOLDERS``' content
    is the cache's)."""
    return (root / METADATA_FILE).is_file() and holds_only(root, _cache_root_entry)


def _cache_root_entry(relative: str, is_folder: bool) -> bool:
    top, _, inside = relative.partition("/")
    if top in CACHE_ROOT_FOLDERS:
        return is_folder or bool(inside)
    return not is_folder and _CACHE_ROOT_FILE.fullmatch(relative) is not None


def tag_cache_root(root: Path) -> bool:
    """``tag_folder`` for a Hamilton cache root (``orchestration.caching``): one that holds
    nothing but the cache's files (``holds_only_cache``) is ours."""
    return tag_folder(root, ours=holds_only_cache)
