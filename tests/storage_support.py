"""Shared pieces of the tests of the write path: which table files were encoded, by which
thread (``orchestration.storage``'s writes, written ahead or not)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa
import pytest

from orchestration import storage


class NotedEncoding(NamedTuple):
    table: str  # the file's name without its suffix (``nodes`` of ``nodes.parquet``)
    thread: str  # the thread that encoded it
    folder: str  # the name of the folder it is written in


def noted_encodings(monkeypatch: pytest.MonkeyPatch) -> list[NotedEncoding]:
    """Each value file encoded from now on (``storage._write_file``, whichever write or
    encoding ahead called it), in the order they were."""
    encoded: list[NotedEncoding] = []
    real_write_file = storage._write_file

    def noted(tmp: Path, table: pa.Table | None, value: object) -> None:
        # (a temporary is named ``.<name>.<suffix>.<pid>.<random>.tmp`` beside its file)
        name = tmp.name.split(".")[1]
        encoded.append(NotedEncoding(name, threading.current_thread().name, tmp.parent.name))
        real_write_file(tmp, table, value)

    monkeypatch.setattr(storage, "_write_file", noted)
    return encoded
