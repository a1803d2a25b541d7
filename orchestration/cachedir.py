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
``ours`` says codeintel wrote it (a previous build's manifest, Hamilton's metadata store):
``--out .`` never marks the user's repository as a cache for their backup tool.

Stdlib only: ``codeintel build`` tags its folders before its up-to-date check, which must not load
pyarrow or polars.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from orchestration.temporaries import sweep_orphaned_temporaries

TAG_NAME = "CACHEDIR.TAG"
# Hamilton's metadata store in a cache root (``orchestration.caching``): a root holding it is ours.
METADATA_FILE = "metadata_store.db"
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


def tag_folder(folder: Path, *, ours: Callable[[Path], bool] | None = None) -> bool:
    """Make ``folder`` (with its parents) when absent and write a tag into it when it has none;
    whether it holds a valid tag now.

    An existing folder without a tag is tagged only when it holds no file (folders only) or
    ``ours(folder)`` (it holds what codeintel writes there); a folder holding a ``CACHEDIR.TAG`` that is no valid
    tag is left as it is. Raises OSError when the folder cannot be made; a tag that cannot be
    written (read-only folder, full disk) is only a cost: False.
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


def tag_cache_root(root: Path) -> bool:
    """``tag_folder`` for a Hamilton cache root (``orchestration.caching``): one holding
    Hamilton's metadata store is ours."""
    return tag_folder(root, ours=lambda folder: (folder / METADATA_FILE).is_file())
