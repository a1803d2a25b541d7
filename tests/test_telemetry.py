"""Node telemetry: start/end/duration/errors from a real Hamilton run, the timings file, and the
plan using measured timings as costs."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from types import ModuleType

import pytest
from hamilton import driver

import tests.fixtures.sales_dataflow as sales_dataflow
from orchestration import storage
from orchestration.partition import build_plan
from orchestration.telemetry import (
    NodeTelemetry,
    collect_telemetry,
    defer_timings,
    flush_deferred_timings,
    read_timings_file,
    settle_costs,
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


def test_timings_file_stores_first_measurements_and_keeps_them_within_their_band(
    tmp_path: Path,
) -> None:
    path = tmp_path / "timings.json"
    assert read_timings_file(path) == {}
    # nothing measured (every node from the cache): nothing read or written
    assert update_timings_file(path, {"a": 2.0}, only=set()) == {}
    assert not path.exists() and not path.with_name("timings.json.lock").exists()
    update_timings_file(path, {"a": 2.0, "b": 1.0}, only={"a"})
    assert read_timings_file(path) == {"a": 2.0}
    # written as the outputs are (storage.atomic_target): a plain open()'s mode, not 0o600
    assert path.stat().st_mode & 0o777 == storage.FILE_MODE
    written = path.stat().st_mtime_ns
    # within a factor of COST_BAND_RATIO: the cost stays, the file is not written again
    assert update_timings_file(path, {"a": 3.9}) == {"a": 2.0}
    assert path.stat().st_mtime_ns == written
    assert not path.with_name("timings.json.pending").exists()
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
    defer_timings(path, {"a": 5.0})
    defer_timings(path, {"a": 6.0})  # confirms 5.0; nothing is left pending
    flush_deferred_timings()
    assert read_timings_file(path) == {"a": 5.0}
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
    batches = [
        ({"a": 2.0, "b": 1.0}, {"a"}),
        ({"a": 5.0, "c": 0.5}, None),
        ({"b": 9.0}, set()),
        ({"a": 6.0}, None),
    ]
    for measured, only in batches:
        defer_timings(deferred, measured, only=only)
        update_timings_file(updated, measured, only=only)
    assert not deferred.exists()  # nothing written before the flush
    flush_deferred_timings()
    assert read_timings_file(deferred) == read_timings_file(updated) == {"a": 5.0, "c": 0.5}
    flush_deferred_timings()  # nothing left: nothing written again
    assert read_timings_file(deferred) == {"a": 5.0, "c": 0.5}


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


def test_a_cost_moves_only_when_a_second_measurement_confirms_the_change() -> None:
    stored = {"big": 1.0, "small": 0.01, "other": 0.99}  # band: x2, or within 0.1 (5% of 2.0)
    # inside the band (a factor of 2, or near in seconds): nothing moves, nothing waits
    assert settle_costs(stored, {}, {"big": 1.9, "small": 0.1}) == (stored, {})
    # outside: the measurement waits; the next one inside drops it
    assert settle_costs(stored, {}, {"big": 2.5}) == (stored, {"big": 2.5})
    assert settle_costs(stored, {"big": 2.5}, {"big": 1.2}) == (stored, {})
    # outside on the other side: it replaces the waiting one
    assert settle_costs(stored, {"big": 2.5}, {"big": 0.3}) == (stored, {"big": 0.3})
    # outside on the same side: the cost becomes the nearer of the two
    assert settle_costs(stored, {"big": 9.0}, {"big": 3.0}) == ({**stored, "big": 3.0}, {})
    assert settle_costs(stored, {"big": 3.0}, {"big": 9.0}) == ({**stored, "big": 3.0}, {})
    assert settle_costs(stored, {"big": 0.2}, {"big": 0.3})[0]["big"] == 0.3
    # a node measured for the first time takes its measurement
    assert settle_costs(stored, {}, {"new": 0.25}) == ({**stored, "new": 0.25}, {})


def _priorities(path: Path) -> dict[str, int]:
    plan = build_plan(modules=[sales_dataflow], timings=read_timings_file(path))
    return {op.name: op.priority for op in plan.ops}


def test_measurements_that_wobble_keep_the_priorities_and_a_real_change_moves_them(
    tmp_path: Path,
) -> None:
    """The ops' ``dagster/priority`` tags (and so Dagster's job snapshot) stay while the
    measured seconds only wobble, a single outlier included, and follow a change that
    persists."""
    path = tmp_path / "timings.json"
    nodes = sorted(name for op in build_plan(modules=[sales_dataflow]).ops for name in op.nodes)
    base = {name: 0.05 * (1 + index % 5) for index, name in enumerate(nodes)}
    update_timings_file(path, base)
    first = _priorities(path)
    assert len(set(first.values())) > 1
    wobble = (1.3, 0.7, 1.8, 0.6, 1.1, 0.9, 1.5, 0.55)
    for run in range(12):
        measured = {
            name: seconds * wobble[(run * 3 + index) % len(wobble)]
            for index, (name, seconds) in enumerate(base.items())
        }
        if run == 5:  # a descheduled thread: one measurement forty times the usual
            measured["average_order_value_raw"] *= 40
        update_timings_file(path, measured)
        assert _priorities(path) == first, run
    slow = {**base, "average_order_value_raw": 30.0}
    update_timings_file(path, slow)
    assert _priorities(path) == first  # not confirmed yet
    update_timings_file(path, slow)
    moved = _priorities(path)
    assert read_timings_file(path)["average_order_value_raw"] == 30.0
    assert moved["average_order_value"] > first["average_order_value"]


def test_two_changed_materialize_runs_store_one_job_snapshot(tmp_path: Path) -> None:
    """``codeintel materialize`` in its own process (each one plans from the timings file), twice,
    a file changed before each: the second run's measurements are within their band of the
    first run's costs or wait for a confirmation, so both runs have the same op priorities and
    Dagster stores one job snapshot for them."""
    import subprocess
    import sys

    from dagster import DagsterInstance

    import hamilton_modules
    from orchestration.definitions import DATAFLOW_CONFIG, TRANSLATOR

    cache = tmp_path / "cache"
    plan = build_plan(
        modules=hamilton_modules.DATAFLOW_MODULES, config=DATAFLOW_CONFIG, translator=TRANSLATOR
    )
    nodes = sorted(name for op in plan.ops for name in op.nodes)
    # Costs of earlier runs for every node: a run measures nothing new, only wobble or outliers.
    update_timings_file(
        cache / "timings.json", {name: 0.001 * (1 + i % 7) for i, name in enumerate(nodes)}
    )
    repo = tmp_path / "tiny"
    repo.mkdir()
    home = tmp_path / "home"
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "CODEINTEL_CACHE_DIR": str(cache),
        "CODEINTEL_WAREHOUSE": str(tmp_path / "warehouse"),
    }
    for edit in range(2):
        (repo / "main.py").write_text(
            f"def main():\n    return helper()\n\n\ndef helper():\n    return {edit}\n"
        )
        done = subprocess.run(
            [sys.executable, "-m", "orchestration.cli", "materialize", str(repo)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    instance = DagsterInstance.from_config(str(home))
    try:
        runs = instance.get_runs()
        assert len(runs) == 2
        assert len({run.job_snapshot_id for run in runs}) == 1
    finally:
        instance.dispose()
