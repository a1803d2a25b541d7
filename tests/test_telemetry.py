"""Node telemetry: start/end/duration/errors from a real Hamilton run, the timings file, and the
plan using measured timings as costs."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from types import ModuleType

import pytest
from hamilton import driver

from orchestration import storage
from orchestration.partition import build_plan
from orchestration.telemetry import (
    NodeTelemetry,
    collect_telemetry,
    defer_timings,
    flush_deferred_timings,
    read_timings_file,
    update_timings_file,
)


def _module() -> ModuleType:
    import sys

    module = ModuleType("telemetry_flow")
    sys.modules.setdefault("telemetry_flow", module)
    module = sys.modules["telemetry_flow"]
    source = """
import time


def slow(seed: int) -> int:
    time.sleep(0.05)
    return seed


def fast(slow: int) -> int:
    return slow + 1


def broken(fast: int) -> int:
    raise ValueError("boom")
"""
    exec(compile(source, "<telemetry_flow>", "exec"), module.__dict__)
    return module


def test_adapter_records_durations_and_errors() -> None:
    telemetry = NodeTelemetry(show=False)
    dr = driver.Builder().with_modules(_module()).with_adapters(telemetry).build()
    with collect_telemetry() as sink:
        assert dr.execute(["fast"], inputs={"seed": 1})["fast"] == 2
        with pytest.raises(ValueError, match="boom"):
            dr.execute(["broken"], inputs={"seed": 1})
    names = [record.name for record in sink.records]
    assert names.count("slow") == 2 and "fast" in names and "broken" in names
    slow = next(record for record in sink.records if record.name == "slow")
    assert slow.seconds >= 0.05 and slow.started_at > 0 and slow.error is None
    assert sink.errors == {"broken": "ValueError: boom"}
    assert telemetry.errors == {"broken": "ValueError: boom"}
    metadata = sink.metadata()
    assert set(metadata["timings"]) == {"slow", "fast", "broken"}
    assert metadata["errors"] == {"broken": "ValueError: boom"}
    # Outside a collect_telemetry() block nothing is collected, the adapter still keeps timings.
    dr.execute(["fast"], inputs={"seed": 2})
    assert len(sink.records) == len(names)
    assert set(telemetry.timings) == {"slow", "fast", "broken"}


def test_timings_file_merges_a_running_estimate(tmp_path: Path) -> None:
    path = tmp_path / "timings.json"
    assert read_timings_file(path) == {}
    # nothing measured (every node from the cache): nothing read or written
    assert update_timings_file(path, {"a": 2.0}, only=set()) == {}
    assert not path.exists() and not path.with_name("timings.json.lock").exists()
    update_timings_file(path, {"a": 2.0, "b": 1.0}, only={"a"})
    assert read_timings_file(path) == {"a": 2.0}
    # written as the outputs are (storage.atomic_target): a plain open()'s mode, not 0o600
    assert path.stat().st_mode & 0o777 == storage.FILE_MODE
    update_timings_file(path, {"a": 4.0})
    assert read_timings_file(path) == {"a": 3.0}
    path.write_text(json.dumps({"a": "slow", "b": -1, "c": 0.5}))
    assert read_timings_file(path) == {"c": 0.5}
    path.write_text("not json")
    assert read_timings_file(path) == {}


def test_the_timings_file_is_renamed_into_place_without_an_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hint (a torn file reads as {}): no fsync, which a busy disk made up to 0.1 s of a
    --watch rebuild. Still atomic: no temporary left beside it."""
    synced: list[int] = []
    monkeypatch.setattr(storage.os, "fsync", synced.append)
    path = tmp_path / "timings.json"
    update_timings_file(path, {"a": 2.0})
    defer_timings(path, {"a": 4.0})
    flush_deferred_timings()
    assert read_timings_file(path) == {"a": 3.0}
    assert synced == []
    assert sorted(entry.name for entry in tmp_path.iterdir()) == [
        "timings.json",
        "timings.json.lock",
    ]
    # the outputs' writer still fsyncs
    storage.write_value(tmp_path / "out", ("value",), {"a": 1})
    assert len(synced) == 1


def test_deferred_timings_merge_as_updates_in_turn_would_in_one_write(tmp_path: Path) -> None:
    deferred, updated = tmp_path / "deferred" / "timings.json", tmp_path / "timings.json"
    batches = [({"a": 2.0, "b": 1.0}, {"a"}), ({"a": 4.0, "c": 0.5}, None), ({"b": 9.0}, set())]
    for measured, only in batches:
        defer_timings(deferred, measured, only=only)
        update_timings_file(updated, measured, only=only)
    assert not deferred.exists()  # nothing written before the flush
    flush_deferred_timings()
    assert read_timings_file(deferred) == read_timings_file(updated) == {"a": 3.0, "c": 0.5}
    flush_deferred_timings()  # nothing left: nothing written again
    assert read_timings_file(deferred) == {"a": 3.0, "c": 0.5}


def test_concurrent_timing_updates_are_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "timings.json"
    threads = [
        threading.Thread(target=update_timings_file, args=(path, {f"node{i}": float(i)}))
        for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert read_timings_file(path) == {f"node{i}": float(i) for i in range(8)}


def test_plan_uses_measured_timings_as_costs(tmp_path: Path) -> None:
    module = _module()
    path = tmp_path / "timings.json"
    update_timings_file(path, {"slow": 7.5, "fast": 0.25})
    plan = build_plan(modules=[module], timings=read_timings_file(path))
    assert plan.analysis.costs["slow"] == 7.5
    assert plan.analysis.costs["fast"] == 0.25
    assert "slow" in plan.analysis.critical_path
