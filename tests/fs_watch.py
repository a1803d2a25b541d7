"""Linux inotify through ctypes: see which files a process renames into place, opens or reads.

Used by the hardening tests: the kill tests react to each output file the moment it is renamed
into place (much faster than polling a folder), and the hostile-input tests prove that nothing
outside a repository is opened or read: inotify reports every open and read of a file in a
watched folder, whichever process does it, without tracing the process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import struct
from dataclasses import dataclass
from pathlib import Path

IN_ACCESS = 0x00000001
IN_OPEN = 0x00000020
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_ISDIR = 0x40000000
_IN_NONBLOCK = os.O_NONBLOCK
_IN_CLOEXEC = os.O_CLOEXEC
_EVENT_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


@dataclass(frozen=True)
class FileEvent:
    folder: Path
    name: str  # empty for an event on the watched folder itself
    mask: int

    @property
    def path(self) -> Path:
        return self.folder / self.name if self.name else self.folder


class FolderWatch:
    """inotify watches on some folders; ``events()`` returns what happened since the last call."""

    def __init__(self) -> None:
        fd = _libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.fd: int = fd
        self._folders: dict[int, Path] = {}

    def add(self, folder: Path, mask: int) -> None:
        wd = _libc.inotify_add_watch(self.fd, os.fsencode(folder), mask)
        if wd < 0:
            raise OSError(ctypes.get_errno(), f"inotify_add_watch {folder} failed")
        self._folders[wd] = folder

    def events(self, timeout: float = 0.0) -> list[FileEvent]:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return []
        try:
            data = os.read(self.fd, 1 << 16)
        except BlockingIOError:
            return []
        out: list[FileEvent] = []
        offset = 0
        while offset < len(data):
            wd, mask, _cookie, length = _EVENT_HEADER.unpack_from(data, offset)
            offset += _EVENT_HEADER.size
            name = data[offset : offset + length].rstrip(b"\0")
            offset += length
            folder = self._folders.get(wd)
            if folder is not None:
                out.append(FileEvent(folder=folder, name=os.fsdecode(name), mask=mask))
        return out

    def close(self) -> None:
        os.close(self.fd)

    def __enter__(self) -> FolderWatch:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
