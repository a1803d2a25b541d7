"""Atomic writes: temporaries left by a killed writer are swept, live writers' are kept."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pytest

from orchestration import storage
from orchestration.temporaries import is_temporary_name
from tests.storage_support import noted_encodings


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


def test_tables_written_at_once_have_the_bytes_of_one_at_a_time(tmp_path: Path) -> None:
    """``write_all`` (a build's changed tables, encoded in threads): each file the bytes that
    ``write`` gives it, staged in the given order and renamed when the block ends; when one
    fails, the previous files stay and no temporary is left."""
    values = [
        (
            ("cpg", "nodes"),
            pl.DataFrame({"id": [f"n{i}" for i in range(500)], "n": range(500)}),
            None,
        ),
        (("repo", "files"), pl.DataFrame({"path": ["a.rs", "b.rs"]}), None),
        (("cpg", "edges"), pa.table({"src": ["n1"], "dst": ["n2"]}), None),
    ]
    for key_path, value, schema in values:
        storage.write_value(tmp_path / "one", key_path, value, table_schema=schema)
    with storage.staged_writes(tmp_path / "all") as staged:
        written = staged.write_all(values, threads=2)
        assert [path for path, _ in written] == [
            storage.value_path(tmp_path / "all", key_path, value) for key_path, value, _ in values
        ]
        assert not any(path.exists() for path, _ in written)  # renamed at the block's end
    for key_path, value, _ in values:
        one = storage.value_path(tmp_path / "one", key_path, value)
        assert (
            storage.value_path(tmp_path / "all", key_path, value).read_bytes() == one.read_bytes()
        )

    before = {path: path.read_bytes() for path, _ in written}
    not_null = pa.schema([pa.field("path", pa.string(), nullable=False)])
    failing = [
        (("cpg", "nodes"), pl.DataFrame({"id": ["changed"], "n": [0]}), None),
        (("repo", "files"), pl.DataFrame({"path": [None]}, schema={"path": pl.String}), not_null),
    ]
    with (
        pytest.raises(storage.StorageError, match="files"),
        storage.staged_writes(tmp_path / "all") as staged,
    ):
        staged.write_all(failing, threads=2)
    assert {path: path.read_bytes() for path in before} == before
    assert not [p for p in (tmp_path / "all").rglob("*") if p.name.endswith(".tmp")]


def test_a_ctrl_c_while_tables_are_written_at_once_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C that reaches ``write_all`` once its threads have made their temporaries (here:
    while the first is staged; review r16d: also during a second Ctrl-C's wait, or while the
    jobs are submitted) leaves no temporary and no file in place: the block's end removes the
    threads' temporaries not staged yet."""
    stage = storage.StagedWrites._stage

    def interrupted(self: storage.StagedWrites, *args: Any, **kwargs: Any) -> Any:
        if not self._pending:
            raise KeyboardInterrupt
        return stage(self, *args, **kwargs)

    monkeypatch.setattr(storage.StagedWrites, "_stage", interrupted)
    values = [((name,), pl.DataFrame({"n": range(100)}), None) for name in ("a", "b", "c")]
    with pytest.raises(KeyboardInterrupt), storage.staged_writes(tmp_path) as staged:
        staged.write_all(values, threads=2)
    assert [path.name for path in tmp_path.rglob("*") if path.is_file()] == []


def test_a_table_written_ahead_is_encoded_once_and_one_not_taken_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``write_ahead`` starts a table's encoding while the caller goes on; ``write_all`` of the
    same value and schema stages that encoding (the bytes of ``write``, encoded once); another
    value of the same key path is encoded again, and an encoding never taken leaves no file."""
    encoded = noted_encodings(monkeypatch)
    nodes = pl.DataFrame({"id": [f"n{i}" for i in range(500)]})
    edges = pl.DataFrame({"src": ["n1"], "dst": ["n2"]})
    storage.write_value(tmp_path / "one", ("nodes",), nodes)
    storage.write_value(tmp_path / "one", ("edges",), edges)
    encoded.clear()
    with storage.staged_writes(tmp_path / "all") as staged:
        staged.write_ahead(("nodes",), nodes, threads=2)
        staged.write_ahead(("edges",), pl.DataFrame({"src": ["old"], "dst": ["n2"]}), threads=2)
        staged.write_ahead(("unused",), nodes, threads=2)
        staged.write_all([(("nodes",), nodes, None), (("edges",), edges, None)], threads=2)
    assert sorted(table for table, *_ in encoded) == ["edges", "edges", "nodes", "unused"]
    for name in ("nodes", "edges"):
        assert (tmp_path / "all" / f"{name}.parquet").read_bytes() == (
            tmp_path / "one" / f"{name}.parquet"
        ).read_bytes()
    assert sorted(path.name for path in (tmp_path / "all").rglob("*")) == [
        "edges.parquet",
        "nodes.parquet",
    ]

    # A block that fails after a table was written ahead leaves the previous files as they were.
    before = (tmp_path / "all" / "nodes.parquet").read_bytes()
    with pytest.raises(RuntimeError), storage.staged_writes(tmp_path / "all") as staged:
        staged.write_ahead(("nodes",), pl.DataFrame({"id": ["changed"]}), threads=2)
        raise RuntimeError("a blocking check failed")
    assert (tmp_path / "all" / "nodes.parquet").read_bytes() == before
    assert not [p for p in (tmp_path / "all").rglob("*") if is_temporary_name(p.name)]


def test_a_table_encoded_ahead_is_written_from_that_encoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``WritesAhead``: a table starts being encoded (cast to its declared schema) while the
    caller goes on; ``write_value`` of that cast table with the same token stages the encoding
    (encoded once, in the encoding's thread), with the bytes, record and hand-off of a plain
    write. Another table or token is encoded again; an encoding no write takes leaves no file."""
    from orchestration.io_manager import loaded_fingerprint

    encoded = noted_encodings(monkeypatch)
    frame, schema = _declared_table()
    token = storage.value_token(content_version="v1", value=frame, table_schema=schema)
    plain = tmp_path / "plain"
    storage.write_value(
        plain, ("t",), frame, table_schema=schema, token=token, fingerprint=loaded_fingerprint
    )
    encoded.clear()
    root = tmp_path / "ahead"
    handoff = storage.ValueHandOff(max_bytes=1 << 20)
    ahead = storage.WritesAhead(threads=2, handoff=handoff)
    ahead.start(
        root, ("t",), frame, table_schema=schema, token=token, fingerprint=loaded_fingerprint
    )
    ahead.start(root, ("unused",), frame, table_schema=schema, token=token)
    assert ahead.written_value(root, ("t",), frame.clone()) is None  # only for that very value
    written = ahead.written_value(root, ("t",), frame)
    assert written is not None and written.schema == schema
    path = storage.write_value(
        root, ("t",), written, token=token, fingerprint=loaded_fingerprint, handoff=handoff,
        ahead=ahead,
    )  # fmt: skip
    encoded_t = [thread for name, thread, _ in encoded if name == "t"]
    assert len(encoded_t) == 1 and encoded_t[0].startswith("codeintel-ahead")
    assert path.read_bytes() == (plain / "t.parquet").read_bytes()
    recorded = storage.stored_record(plain, ("t",))
    assert recorded is not None
    assert storage.stored_record(root, ("t",)) == {**recorded, "file": storage.file_identity(path)}
    served = handoff.recall(path)
    assert served is not None and served.equals(storage.read_value(plain, ("t",)))

    # Taken once: a second write of the table, or one with another token, encodes it again.
    storage.write_value(root, ("t",), written, token="other", ahead=ahead)
    assert encoded[-1][:2] == ("t", threading.current_thread().name)
    ahead.close()  # "unused" was never taken: its temporary goes
    assert sorted(name for name, *_ in encoded) == ["t", "t", "unused"]
    assert sorted(p.name for p in root.rglob("*") if p.is_file()) == ["t.json", "t.parquet"]

    # A table that does not fit its declared schema: the error as_arrow gives, and no file.
    failing = storage.WritesAhead(threads=1)
    nulls = pl.DataFrame({"name": ["a"], "n": [None], "kinds": [["x"]], "seen": [1]})
    failing.start(tmp_path / "failing", ("t",), nulls, table_schema=schema)
    with pytest.raises(storage.StorageError, match="does not fit its declared schema"):
        failing.written_value(tmp_path / "failing", ("t",), nulls)
    failing.close()
    assert not (tmp_path / "failing").exists()


@pytest.mark.parametrize("differs", ["table", "token"])
def test_an_encoding_ahead_serves_only_a_write_of_its_own_table_and_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, differs: str
) -> None:
    """While a table's encoding is pending, a write of another table for the same file (its
    bytes would be the other's), or of that table with another token (its record would carry
    the encoding's), takes nothing: it encodes its own value (review r19d: neither guard of
    ``WritesAhead.take`` was tested)."""
    encoded = noted_encodings(monkeypatch)
    frame, schema = _declared_table()
    token = storage.value_token(content_version="v1", value=frame, table_schema=schema)
    ahead = storage.WritesAhead(threads=1)
    ahead.start(tmp_path, ("t",), frame, table_schema=schema, token=token)
    written = ahead.written_value(tmp_path, ("t",), frame)
    assert written is not None
    other = written.slice(0, 1) if differs == "table" else written
    path = storage.write_value(
        tmp_path, ("t",), other, token=token if differs == "table" else "other", ahead=ahead
    )
    # encoded by the write itself (the pending encoding's thread may write its own after)
    assert threading.current_thread().name in [thread for _, thread, _ in encoded]
    assert storage.read_value(tmp_path, ("t",)).height == other.num_rows
    assert path.exists()
    ahead.close()
    assert not [p for p in tmp_path.rglob("*") if is_temporary_name(p.name)]


def test_a_committed_block_removes_no_temporary_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once every temporary is renamed into place, the block's end asks the file system to
    remove none of them (it removed each again, failing); a block that fails removes its own."""
    removed: list[Path] = []
    unlink = Path.unlink

    def counted(path: Path, missing_ok: bool = False) -> None:
        if is_temporary_name(path.name):
            removed.append(path)
        unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", counted)
    with storage.staged_writes(tmp_path) as staged:
        staged.write(("a",), pl.DataFrame({"a": [1]}))
        staged.write(("b",), {"b": 2})
    assert removed == []
    assert storage.read_value(tmp_path, ("b",)) == {"b": 2}
    written: list[Path] = []
    with pytest.raises(RuntimeError), storage.staged_writes(tmp_path) as staged:
        written.append(staged.write(("a",), pl.DataFrame({"a": [2]}))[1])
        raise RuntimeError("a failure before the end")
    assert removed == written and not written[0].exists()
    assert storage.read_value(tmp_path, ("a",))["a"].to_list() == [1]


def test_value_tokens_follow_content_version_type_and_declared_schema() -> None:
    frame = pl.DataFrame({"a": [1, 2]})
    schema = pa.schema([pa.field("a", pa.int64(), nullable=False)])
    token = storage.value_token(content_version="v1", value=frame)
    assert token == storage.value_token(content_version="v1", value=frame)
    assert token != storage.value_token(content_version="v2", value=frame)
    assert token != storage.value_token(content_version="v1", value=frame.to_arrow())
    assert token != storage.value_token(content_version="v1", value=frame, table_schema=schema)
    assert storage.value_token(content_version="v1", value={"a": 1}) is None  # JSON: no token


def test_other_parquet_writer_options_are_another_version_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A table stored with other writer options is not current (review r20a F5): after a change
    of the options, each stored table is written once more in the new encoding, so the
    warehouse's bytes are a fresh build's; were the options no part of the token, every table
    would keep its old bytes until its content changes."""
    frame = pl.DataFrame({"a": [1, 2]})
    before = storage.value_token(content_version="v1", value=frame)
    monkeypatch.setattr(
        storage,
        "PARQUET_WRITE_OPTIONS",
        {**storage.PARQUET_WRITE_OPTIONS, "compression_level": 3},
    )
    assert storage.value_token(content_version="v1", value=frame) != before


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


# --- in-process hand-off ------------------------------------------------------------------------


def _declared_table() -> tuple[pl.DataFrame, pa.Schema]:
    frame = pl.DataFrame(
        {
            "name": ["a", None, "c"],
            "n": [1, 2, 3],
            "kinds": [["x"], [], None],
            "seen": [1, None, 3],
        }
    )
    schema = pa.schema(
        [
            pa.field("name", pa.large_string()),
            pa.field("n", pa.int32(), nullable=False),
            pa.field("kinds", pa.large_list(pa.large_string())),
            pa.field("seen", pa.timestamp("ns", "UTC")),
        ]
    )
    return frame, schema


def test_a_written_table_is_handed_over_as_the_file_reads_back(tmp_path: Path) -> None:
    frame, schema = _declared_table()
    handoff = storage.ValueHandOff(max_bytes=1 << 20)
    path = storage.write_value(tmp_path, ("t",), frame, table_schema=schema, handoff=handoff)
    kept = handoff.recall(path)
    from_file = storage.read_value(tmp_path, ("t",))
    assert kept is not None
    assert kept.schema == from_file.schema and kept.equals(from_file)
    assert kept.schema != frame.schema  # int32 and UTC timestamps, as read back
    served = storage.read_value(tmp_path, ("t",), handoff=handoff)
    assert served.schema == from_file.schema and served.equals(from_file)


def test_a_table_that_reads_back_with_other_dtypes_is_not_handed_over(tmp_path: Path) -> None:
    # Parquet gives an Arrow date64 back as date32: polars Datetime written, Date read.
    import datetime

    table = pa.table({"day": pa.array([datetime.date(2026, 1, 1)], pa.date64())})
    handoff = storage.ValueHandOff(max_bytes=1 << 20)
    path = storage.write_value(tmp_path, ("t",), table, handoff=handoff)
    assert handoff.recall(path) is None
    assert storage.read_value(tmp_path, ("t",), handoff=handoff).schema == {"day": pl.Date}


def test_a_file_changed_since_is_read_not_served(tmp_path: Path) -> None:
    handoff = storage.ValueHandOff(max_bytes=1 << 20)
    path = storage.write_value(tmp_path, ("t",), pl.DataFrame({"a": [1, 2]}), handoff=handoff)
    # Another writer (no hand-off) replaces the file: a new inode.
    storage.write_value(tmp_path, ("t",), pl.DataFrame({"a": [7, 8, 9]}))
    assert storage.read_value(tmp_path, ("t",), handoff=handoff)["a"].to_list() == [7, 8, 9]
    # Edited in place (same inode and size, later modification time).
    identity = storage.file_identity(path)
    assert identity is not None
    handoff.remember(path, pl.DataFrame({"a": [0, 0, 0]}), identity=identity)
    time.sleep(0.05)  # past the file system's timestamp granularity
    path.write_bytes(path.read_bytes())
    assert storage.read_value(tmp_path, ("t",), handoff=handoff)["a"].to_list() == [7, 8, 9]
    # Removed: no stale value either.
    path.unlink()
    with pytest.raises(storage.StorageError, match="no stored value"):
        storage.read_value(tmp_path, ("t",), handoff=handoff)


def test_a_read_table_is_kept_and_readers_get_their_own_copy(tmp_path: Path) -> None:
    path = storage.write_value(tmp_path, ("t",), pl.DataFrame({"a": [1, 2]}))
    handoff = storage.ValueHandOff(max_bytes=1 << 20)
    first = storage.read_value(tmp_path, ("t",), handoff=handoff)
    assert len(handoff) == 1 and handoff.recall(path) is not None
    first.insert_column(1, pl.Series("b", [3, 4]))  # a reader changing its frame in place
    first.drop_in_place("a")
    again = storage.read_value(tmp_path, ("t",), handoff=handoff)
    assert again.columns == ["a"] and again["a"].to_list() == [1, 2]


def test_the_hand_off_holds_at_most_its_budget(tmp_path: Path) -> None:
    small = pl.DataFrame({"a": list(range(100))})  # 800 bytes
    large = pl.DataFrame({"a": list(range(1000))})
    handoff = storage.ValueHandOff(max_bytes=2000)
    paths = [storage.write_value(tmp_path, (f"t{i}",), small, handoff=handoff) for i in range(2)]
    assert handoff.nbytes == 1600
    storage.read_value(tmp_path, ("t0",), handoff=handoff)  # t0 is now the most recently used
    third = storage.write_value(tmp_path, ("t2",), small, handoff=handoff)
    assert handoff.recall(paths[1]) is None  # least recently used: dropped
    assert handoff.recall(paths[0]) is not None and handoff.recall(third) is not None
    assert handoff.nbytes == 1600
    too_large = storage.write_value(tmp_path, ("big",), large, handoff=handoff)
    assert handoff.recall(too_large) is None and handoff.nbytes == 1600
    # A rewrite with other content supersedes the held value.
    storage.write_value(tmp_path, ("t0",), pl.DataFrame({"a": [5]}), handoff=handoff)
    assert storage.read_value(tmp_path, ("t0",), handoff=handoff)["a"].to_list() == [5]
    handoff.clear()
    assert len(handoff) == 0 and handoff.nbytes == 0


def test_json_values_are_always_read(tmp_path: Path) -> None:
    handoff = storage.ValueHandOff(max_bytes=1 << 20)
    storage.write_value(tmp_path, ("v",), {"n": 1}, handoff=handoff)
    assert len(handoff) == 0
    assert storage.read_value(tmp_path, ("v",), handoff=handoff) == {"n": 1}
    assert len(handoff) == 0


def test_a_stored_table_without_its_declared_schema_is_a_clear_error(tmp_path: Path) -> None:
    """``read_value`` with the table's declared schema: a table stored by older code (a column
    declared since is missing, one is no longer declared) raises
    StorageError naming the table and its columns and saying to materialize it again; one
    stored with the declared schema reads as without it."""
    declared = pa.schema([("callee", pa.string()), ("line", pa.int64()), ("local", pa.bool_())])
    current = pl.DataFrame({"callee": ["f"], "line": [1], "local": [True]})
    storage.write_value(tmp_path, ("rust", "calls"), current, table_schema=declared)
    read = storage.read_value(tmp_path, ("rust", "calls"), table_schema=declared)
    assert read.equals(current)

    older = pl.DataFrame({"callee": ["f"], "line": ["1"], "gone": [0]})
    storage.write_value(tmp_path, ("go", "calls"), older)
    with pytest.raises(
        storage.StorageError,
        match=r"stored table go/calls .* columns \(local, gone\): .* materialize it again",
    ):
        storage.read_value(tmp_path, ("go", "calls"), table_schema=declared)
    assert storage.read_value(tmp_path, ("go", "calls")).equals(older)  # no schema: as stored


def test_a_stored_table_with_other_column_types_is_a_clear_error(tmp_path: Path) -> None:
    """Review r19d F4: a table older code stored with the declared names but another type (a
    column retyped since) raises StorageError naming the column and both types, from its file
    and as a frame (Hamilton's cached copy). Types compare as the nodes get them: a date64 that
    Parquet gives back as date32 (polars' Date either way), or a string stored as large_string
    (polars' String), is no error."""
    import datetime

    declared = pa.schema([("callee", pa.string()), ("line", pa.int64()), ("day", pa.date64())])
    current = pl.DataFrame({"callee": ["f"], "line": [1], "day": [datetime.datetime(2026, 1, 1)]})
    storage.write_value(tmp_path, ("rust", "calls"), current, table_schema=declared)
    read = storage.read_value(tmp_path, ("rust", "calls"), table_schema=declared)
    storage.check_declared_columns(read, declared, key_path=("rust", "calls"), where="cache")

    older = pl.DataFrame({"callee": ["f"], "line": ["1"], "day": [datetime.date(2026, 1, 1)]})
    storage.write_value(tmp_path, ("go", "calls"), older)
    message = r"stored table go/calls .* column types \(line: String, declared Int64\): .* again"
    with pytest.raises(storage.StorageError, match=message):
        storage.read_value(tmp_path, ("go", "calls"), table_schema=declared)
    with pytest.raises(storage.StorageError, match=message):
        storage.check_declared_columns(older, declared, key_path=("go", "calls"), where="cache")


def test_a_tables_bytes_do_not_depend_on_its_chunks(tmp_path: Path) -> None:
    """The Parquet writer checks its dictionary and page sizes after each batch of a chunk: a
    table in three chunks (a rebuild that splices it) is written as the same table in one (a
    cold build), past the dictionary page of ~all distinct ids. (Random ids in uneven chunks:
    review r20a F4 found that the 256 KiB dictionary page hides the chunks of evenly spaced
    ids, and that these show them: without ``_write_file``'s ``combine_chunks`` the bytes
    differ.)"""
    rnd = random.Random(0)
    whole = pa.table({"id": [f"{rnd.getrandbits(96):024x}" for _ in range(40_000)]})
    chunked = pa.concat_tables(
        [whole.slice(0, 7_000), whole.slice(7_000, 13_000), whole.slice(20_000)]
    )
    assert chunked.column(0).num_chunks == 3
    one = storage.write_value(tmp_path / "one", ("t",), whole)
    three = storage.write_value(tmp_path / "three", ("t",), chunked)
    assert one.read_bytes() == three.read_bytes()


def _written_ahead(
    root: Path,
    frame: pl.DataFrame,
    *,
    schema: pa.Schema,
    version: str,
    token: str | None,
    ahead: storage.WritesAhead,
    handoff: storage.ValueHandOff | None = None,
) -> tuple[Any, Path]:
    """``frame`` (table ``t``) written as the Dagster IO manager writes a computed value: encoded
    ahead with the fingerprint ``_fingerprint_knowing`` its data version ``version``, then the
    write that takes the encoding; (the value written, its file)."""
    from orchestration.io_manager import _fingerprint_knowing, loaded_fingerprint

    ahead.start(
        root,
        ("t",),
        frame,
        table_schema=schema,
        token=token,
        fingerprint=_fingerprint_knowing(frame, version),
    )
    written = ahead.written_value(root, ("t",), frame)
    path = storage.write_value(
        root, ("t",), written, token=token, fingerprint=loaded_fingerprint, handoff=handoff,
        ahead=ahead,
    )  # fmt: skip
    ahead.close()
    return written, path


def test_a_frame_encoded_ahead_that_reads_back_as_it_is_is_hashed_and_converted_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A computed frame whose polars types its file gives back is the value that file reads
    back as: its encoding ahead neither converts the cast table back to a frame nor hashes its
    rows again (it records the fingerprint Hamilton took when the frame was computed), and
    records and hands over what a plain write of the cast table does."""
    from orchestration.caching import fingerprint_polars_frame
    from orchestration.io_manager import loaded_fingerprint

    hashed: list[int] = []
    converted: list[int] = []
    hash_rows, real_loaded_frame = pl.DataFrame.hash_rows, storage.loaded_frame

    def counted_hash_rows(self: pl.DataFrame, *args: Any, **kwargs: Any) -> pl.Series:
        hashed.append(self.height)
        return hash_rows(self, *args, **kwargs)

    def counted_loaded_frame(table: pa.Table) -> pl.DataFrame:
        if table.num_rows:  # (not the empty tables of the read-back types)
            converted.append(table.num_rows)
        return real_loaded_frame(table)

    monkeypatch.setattr(pl.DataFrame, "hash_rows", counted_hash_rows)
    monkeypatch.setattr(storage, "loaded_frame", counted_loaded_frame)
    frame = pl.DataFrame({"name": ["a", None, "c"], "n": [1, 2, 3]})
    schema = pa.schema([pa.field("name", pa.string()), pa.field("n", pa.int64(), False)])
    version = fingerprint_polars_frame(frame)  # its data version, when Hamilton computed it
    token = storage.value_token(content_version=version, value=frame, table_schema=schema)
    handoff = storage.ValueHandOff(max_bytes=1 << 20)
    ahead = storage.WritesAhead(threads=1, handoff=handoff)
    root = tmp_path / "ahead"
    hashed.clear()  # (the data version's own hash)
    written, path = _written_ahead(
        root, frame, schema=schema, version=version, token=token, ahead=ahead, handoff=handoff
    )
    assert (hashed, converted) == ([], [])

    plain = tmp_path / "plain"
    storage.write_value(plain, ("t",), written, token=token, fingerprint=loaded_fingerprint)
    assert path.read_bytes() == (plain / "t.parquet").read_bytes()
    recorded, plainly = storage.stored_record(root, ("t",)), storage.stored_record(plain, ("t",))
    assert recorded is not None and plainly is not None and recorded["fingerprint"] == version
    assert recorded == {**plainly, "file": storage.file_identity(path)}
    served = handoff.recall(path)
    assert served is not None and served.equals(storage.read_value(plain, ("t",)))


def test_a_frame_encoded_ahead_that_its_schema_casts_records_what_it_reads_back_as(
    tmp_path: Path,
) -> None:
    """A computed frame whose declared schema casts a column (Int32 declared int64) reads back
    as another frame: its record is that frame's fingerprint, not the computed value's data
    version that ``_fingerprint_knowing`` is given (review r21a F4: a fingerprint taken for any
    frame passed every other test)."""
    from orchestration.caching import fingerprint_polars_frame
    from orchestration.io_manager import loaded_fingerprint

    frame = pl.DataFrame({"n": pl.Series([1, 2, 3], dtype=pl.Int32)})
    schema = pa.schema([pa.field("n", pa.int64())])
    version = fingerprint_polars_frame(frame)
    token = storage.value_token(content_version=version, value=frame, table_schema=schema)
    root = tmp_path / "ahead"
    ahead = storage.WritesAhead(threads=1, handoff=None)
    _written_ahead(root, frame, schema=schema, version=version, token=token, ahead=ahead)
    record = storage.stored_record(root, ("t",))
    read_back = pl.read_parquet(root / "t.parquet")
    assert version != loaded_fingerprint(read_back)  # (a case where the two differ)
    assert record is not None and record["fingerprint"] == loaded_fingerprint(read_back)


@pytest.mark.parametrize(
    ("written", "declared", "token", "taken"),
    [
        ("computed", "same", "same", True),  # a build's write_all of the value it wrote ahead
        ("computed", "same", "other", False),
        ("computed", "metadata", "same", False),
        ("computed", "other", "same", False),
        ("cast", "none", "same", True),  # a Dagster op's write of the table it yields
        ("cast", "same", "same", True),
        ("cast", "other", "same", False),
        ("cast", "none", "other", False),
    ],
)
def test_an_encoding_ahead_is_taken_by_a_write_of_its_bytes_only(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    written: str,
    declared: str,
    token: str,
    taken: bool,
) -> None:
    """One rule for both ways of encoding ahead (review r19d F5): a write takes the encoding
    when it would write those very bytes and record: the value started, with the same declared
    schema (its metadata too: written in the file) and token, or the table it was cast to,
    written as it is (no schema or its own) with that token; any other is encoded by the write
    itself, with its own bytes and record (review r20b F3: the started value's token and
    metadata guards)."""
    encoded = noted_encodings(monkeypatch)
    frame, schema = _declared_table()
    other = pa.schema([field.with_nullable(True) for field in schema])
    tokens = {"same": "token-started", "other": "token-other"}
    ahead = storage.WritesAhead(threads=1)
    ahead.start(tmp_path / "ahead", ("t",), frame, table_schema=schema, token=tokens["same"])
    cast = ahead.written_value(tmp_path / "ahead", ("t",), frame)
    assert cast is not None
    value = frame if written == "computed" else cast
    schemas = {
        "same": schema,
        "metadata": schema.with_metadata({b"note": b"another"}),
        "other": other,
        "none": None,
    }
    path = storage.write_value(
        tmp_path / "ahead",
        ("t",),
        value,
        table_schema=schemas[declared],
        token=tokens[token],
        ahead=ahead,
    )
    ahead.close()
    plain = storage.write_value(
        tmp_path / "plain", ("t",), value, table_schema=schemas[declared], token=tokens[token]
    )
    assert path.read_bytes() == plain.read_bytes()
    recorded = storage.stored_record(tmp_path / "ahead", ("t",))
    assert recorded is not None and recorded.get("token") == tokens[token]
    wrote_itself = threading.current_thread().name in [thread for _, thread, _ in encoded[:-1]]
    assert wrote_itself is not taken
    assert not [p for p in tmp_path.rglob("*") if is_temporary_name(p.name)]


def test_a_write_interrupted_after_it_took_an_encoding_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C that reaches a write between taking an encoding ahead and staging it: the
    temporary is still the encodings' to remove (``discard``), as one never taken is."""
    stage = storage.StagedWrites._stage

    def interrupted(self: storage.StagedWrites, *args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    frame, schema = _declared_table()
    ahead = storage.WritesAhead(threads=1)
    ahead.start(tmp_path, ("cpg", "t"), frame, table_schema=schema)
    cast = ahead.written_value(tmp_path, ("cpg", "t"), frame)
    monkeypatch.setattr(storage.StagedWrites, "_stage", interrupted)
    with pytest.raises(KeyboardInterrupt):
        storage.write_value(tmp_path, ("cpg", "t"), cast, ahead=ahead)
    monkeypatch.setattr(storage.StagedWrites, "_stage", stage)
    ahead.discard([storage.table_path(tmp_path, ("cpg", "t"))])
    assert [p for p in tmp_path.rglob("*")] == []  # (the folder made for it gone too)
    ahead.close()
