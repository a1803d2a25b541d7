"""Atomic writes: temporaries left by a killed writer are swept, live writers' are kept."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pyarrow as pa

from orchestration import storage


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_killed_writers_temporaries_are_swept_on_the_next_write(tmp_path: Path) -> None:
    table = pl.DataFrame({"a": [1, 2]})
    target = storage.write_value(tmp_path, ("repo", "files"), table)
    orphan = target.parent / f".{target.name}.{_dead_pid()}.abc123.tmp"
    orphan.write_bytes(b"torn")
    live = target.parent / f".{target.name}.{os.getpid()}.def456.tmp"
    live.write_bytes(b"in flight")
    unrelated = target.parent / ".files.parquet.notes"
    unrelated.write_text("kept")

    storage.write_value(tmp_path, ("repo", "files"), table)

    assert not orphan.exists()
    assert live.exists()  # a writer that is still running (here: this process) keeps its file
    assert unrelated.exists()
    assert storage.read_value(tmp_path, ("repo", "files")).equals(table)


def test_temporaries_carry_the_writers_pid(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    with storage.atomic_target(path) as tmp:
        assert tmp.name.startswith(f".x.json.{os.getpid()}.")
        assert tmp.name.endswith(".tmp")
        tmp.write_text("{}")
    assert path.read_text() == "{}"


def test_unchanged_bytes_leave_the_file_untouched(tmp_path: Path) -> None:
    table = pl.DataFrame({"a": [1, 2]})
    target = storage.write_value(tmp_path, ("repo", "files"), table)
    before = target.stat()
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns - 10**9))  # a second earlier
    aged = target.stat()
    assert storage.write_value(tmp_path, ("repo", "files"), table) == target
    again = target.stat()
    assert (again.st_ino, again.st_mtime_ns) == (aged.st_ino, aged.st_mtime_ns)
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left

    storage.write_value(tmp_path, ("repo", "files"), pl.DataFrame({"a": [1, 3]}))
    assert target.stat().st_ino != aged.st_ino  # other bytes: a new file renamed into place
    assert pl.read_parquet(target)["a"].to_list() == [1, 3]


def test_a_symlink_with_the_same_bytes_is_replaced_not_kept(tmp_path: Path) -> None:
    table = pl.DataFrame({"a": [1, 2]})
    elsewhere = storage.write_value(tmp_path / "elsewhere", ("files",), table)
    target = tmp_path / "out" / "repo" / "files.parquet"
    target.parent.mkdir(parents=True)
    target.symlink_to(elsewhere)
    with storage.staged_writes(tmp_path / "out") as staged:
        _, written = staged.write(("repo", "files"), table)
    assert written != target
    assert not target.is_symlink() and target.read_bytes() == elsewhere.read_bytes()


def test_value_tokens_follow_content_version_type_and_declared_schema() -> None:
    frame = pl.DataFrame({"a": [1, 2]})
    schema = pa.schema([pa.field("a", pa.int64(), nullable=False)])
    token = storage.value_token(content_version="v1", value=frame)
    assert token == storage.value_token(content_version="v1", value=frame)
    assert token != storage.value_token(content_version="v2", value=frame)
    assert token != storage.value_token(content_version="v1", value=frame.to_arrow())
    assert token != storage.value_token(content_version="v1", value=frame, table_schema=schema)
    assert storage.value_token(content_version="v1", value={"a": 1}) is None  # JSON: no token


def test_a_recorded_token_holds_until_the_file_or_the_token_changes(tmp_path: Path) -> None:
    frame = pl.DataFrame({"a": [1, 2]})
    token = storage.value_token(content_version="v1", value=frame)
    assert token is not None
    assert storage.stored_if_current(tmp_path, ("t",), token=token) is None  # nothing stored
    path = storage.write_value(tmp_path, ("t",), frame, token=token)
    assert storage.stored_if_current(tmp_path, ("t",), token=token) == path
    assert storage.stored_if_current(tmp_path, ("t",), token="other") is None
    # The same bytes written again in place (same size, modification time put back): the change
    # time still tells.
    info = path.stat()
    time.sleep(0.05)  # past the file system's timestamp granularity (coarse clocks: a few ms)
    path.write_bytes(path.read_bytes())
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert storage.stored_if_current(tmp_path, ("t",), token=token) is None
    # A write without a token drops the record; a damaged record is no record.
    storage.write_value(tmp_path, ("t",), frame, token=token)
    assert storage.stored_if_current(tmp_path, ("t",), token=token) == path
    record = tmp_path / ".stored" / "t.json"
    record.write_text("{torn")
    assert storage.stored_if_current(tmp_path, ("t",), token=token) is None
    storage.write_value(tmp_path, ("t",), frame)
    assert not record.exists()
    leftovers = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert leftovers == [".stored", "t.parquet"]  # no temporary left


def test_the_recorded_fingerprint_is_the_read_back_values(tmp_path: Path) -> None:
    """The IO manager records Hamilton's fingerprint of the value ``read_value`` returns, so a
    reader can use it in place of reading the file."""
    from hamilton.caching import fingerprinting

    from orchestration.io_manager import loaded_fingerprint

    frame = pl.DataFrame({"name": ["a", None, "c"], "n": [1, 2, 3]})
    schema = pa.schema([pa.field("name", pa.string()), pa.field("n", pa.int32(), False)])
    token = storage.value_token(content_version="v1", value=frame, table_schema=schema)
    assert token is not None
    storage.write_value(
        tmp_path, ("t",), frame, table_schema=schema, token=token, fingerprint=loaded_fingerprint
    )
    record = storage.stored_record(tmp_path, ("t",))
    assert record is not None and record["token"] == token
    assert record["fingerprint"] == fingerprinting.hash_value(storage.read_value(tmp_path, ("t",)))
    assert record["fingerprint"] != fingerprinting.hash_value(frame)  # int32 read back, not int64


def test_a_file_replaced_by_another_writer_gets_no_record(tmp_path: Path) -> None:
    frame = pl.DataFrame({"a": [1, 2]})
    token = storage.value_token(content_version="v1", value=frame)
    assert token is not None
    path = storage.write_value(tmp_path, ("t",), frame, token=token)
    with storage.staged_writes(tmp_path) as staged:
        staged.write(("t",), frame, token=token)  # the same bytes: the file stays in place
        other = tmp_path / "other.parquet"
        storage.write_value(tmp_path, ("other",), pl.DataFrame({"a": [3]}))
        os.replace(other, path)  # another writer's file lands before this one records
    assert storage.stored_if_current(tmp_path, ("t",), token=token) is None
