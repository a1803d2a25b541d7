"""`codeintel materialize` and `codeintel repos`: real registry, real instance, real runs."""

from __future__ import annotations

import gc
import json
import os
import re
from pathlib import Path

import polars as pl
import pytest
from dagster import DagsterInstance, materialize

import tests.fixtures.sales_dataflow as sales
from hamilton_modules import parsing
from orchestration.assets import hamilton_assets
from orchestration.definitions import build_command
from orchestration.io_manager import HamiltonIOManager
from orchestration.materialize_command import (
    RunSummary,
    materialize_main,
    repos_main,
    summarize,
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "dagster_home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.delenv("CODEINTEL_WAREHOUSE", raising=False)
    return home


def _instance(home: Path) -> DagsterInstance:
    return DagsterInstance.from_config(str(home))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "tiny"
    root.mkdir()
    (root / "main.py").write_text(
        "def main():\n    return helper()\n\n\ndef helper():\n    return 1\n"
    )
    return root


def test_materialize_registers_runs_and_summarizes(
    home: Path, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thresholds = gc.get_threshold()
    assert materialize_main([str(repo)]) == 0
    assert gc.get_threshold() == thresholds  # the command's collector settings are undone
    output = capsys.readouterr().out
    assert "[1/1] materializing tiny" in output
    # Without a terminal every finished step is one line, numbered as the run reports them.
    steps = re.findall(r"^    \[(\d+)/(\d+)\] (\S+): (\S+)$", output, flags=re.MULTILINE)
    total = int(steps[0][1])
    assert [int(number) for number, *_ in steps] == list(range(1, total + 1))
    assert {status for *_, status in steps} == {"ok"}
    assert len({step for _, _, step, _ in steps}) == total > 1
    assert "summary: 1/1 repositories ok" in output
    assert "0 failed" in output
    symbols = pl.read_parquet(home / "warehouse" / "tiny" / "python" / "symbols.parquet")
    assert {"main", "helper"} <= set(symbols["name"].to_list())
    instance = _instance(home)
    try:
        runs = instance.get_runs()
        assert len(runs) == 1 and runs[0].tags["dagster/partition"] == "tiny"
        assert instance.get_dynamic_partitions("repos") == ["tiny"]
    finally:
        instance.dispose()


def test_materialize_pauses_the_collector_for_the_imports_then_freezes_them(
    home: Path, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dagster and the code location load with the collector paused; the runs execute with it
    enabled (the run thresholds) and the loaded objects frozen; afterwards everything is as the
    command found it, nothing it froze left frozen."""
    import orchestration.materialize_command as command

    seen: dict[str, tuple[bool, tuple[int, int, int], bool]] = {}

    def state() -> tuple[bool, tuple[int, int, int], bool]:
        return gc.isenabled(), gc.get_threshold(), gc.get_freeze_count() > 0

    real_parse_ahead, real_summarize = command._parse_ahead, command.summarize

    def observed_parse_ahead(*args: object, **kwargs: object) -> None:
        seen["imports"] = state()
        real_parse_ahead(*args, **kwargs)  # type: ignore[arg-type]

    def observed_summarize(*args: object, **kwargs: object) -> RunSummary:
        seen["run"] = state()
        return real_summarize(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(command, "_parse_ahead", observed_parse_ahead)
    monkeypatch.setattr(command, "summarize", observed_summarize)
    gc.unfreeze()  # a code location an earlier test loaded froze its objects
    thresholds = gc.get_threshold()
    assert materialize_main([str(repo)]) == 0
    assert seen["imports"][0] is False
    assert seen["run"] == (True, command.RUN_GC_THRESHOLDS, True)
    assert gc.isenabled() and gc.get_threshold() == thresholds and gc.get_freeze_count() == 0
    gc.disable()
    try:
        assert materialize_main([str(repo)]) == 0
        assert seen["run"] == (False, command.RUN_GC_THRESHOLDS, True)
        assert not gc.isenabled() and gc.get_threshold() == thresholds
    finally:
        gc.enable()


def test_bad_repository_fails_before_any_run(
    home: Path, repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    assert materialize_main([str(repo), str(not_a_folder)]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert not (home / "codeintel" / "partitions.json").exists()  # nothing half-registered
    assert materialize_main([str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    instance = _instance(home)
    try:
        assert instance.get_runs() == []
        assert instance.get_dynamic_partitions("repos") == []
    finally:
        instance.dispose()


def test_repos_add_list_remove(home: Path, repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert repos_main(["list"]) == 0
    assert "no repositories registered" in capsys.readouterr().out
    assert repos_main(["add", str(repo), "--key", "tiny-1"]) == 0
    assert "registered tiny-1" in capsys.readouterr().out
    assert repos_main(["list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"key": "tiny-1", "path": str(repo.resolve()), "exists": True}
    ]
    assert repos_main(["add", str(repo), "--key", "../up"]) == 2
    assert "starts with '.'" in capsys.readouterr().err
    assert repos_main(["remove", "tiny-1"]) == 0
    assert "warehouse files kept" in capsys.readouterr().out
    assert repos_main(["remove", "tiny-1"]) == 2
    assert "not registered" in capsys.readouterr().err
    instance = _instance(home)
    try:
        assert instance.get_dynamic_partitions("repos") == []
    finally:
        instance.dispose()


def test_summary_of_a_failed_run_names_the_failed_check_and_step(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,region,sku,quantity,unit_price\n1,eu,x,1,-5.0\n")
    assets = hamilton_assets(
        modules=[sales], config={}, inputs={"orders_path": str(orders), "fx_rate": 1.0}
    )
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            assets,
            instance=instance,
            resources={"io_manager": HamiltonIOManager(warehouse=str(tmp_path / "wh"))},
            raise_on_error=False,
        )
    summary = summarize(result, RunSummary(key="sales", path=tmp_path))
    assert not summary.success
    assert "total_revenue:range_validator (ERROR)" in summary.checks_failed
    assert "average_order_value:range_validator (WARN)" in summary.checks_failed
    assert summary.failed_steps == ["total_revenue"]
    assert "sales_report" not in summary.assets and "order_lines" in summary.assets
    assert summary.rows >= 1
    assert "FAILED" in summary.line()


def test_key_option_needs_exactly_one_repo(
    home: Path, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        materialize_main([str(repo), str(repo), "--key", "x"])
    assert "--key needs exactly one REPO" in capsys.readouterr().err
    assert not home.exists()


def test_first_use_of_a_new_home_by_several_processes_at_once(tmp_path: Path) -> None:
    """Dagster stamps its SQLite schemas on first open; concurrent first opens must not race."""
    import subprocess
    import sys

    home = tmp_path / "new_home"
    script = (
        "from orchestration.materialize_command import _instance; "
        "_instance().get_runs_count(); print('ok')"
    )
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outcomes = [process.communicate(timeout=120) for process in processes]
    for process, (stdout, stderr) in zip(processes, outcomes, strict=True):
        assert process.returncode == 0, stderr
        assert stdout.strip() == "ok"
    # The new home got the shipped instance: its pooled event log storage created the index.
    assert (home / "history" / "runs" / "index.db").is_file()


@pytest.mark.skipif(parsing.usable_cores() < 2, reason="parsing ahead needs a second core")
def test_materialize_parses_the_repository_ahead_and_writes_what_build_writes(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command starts parsing before Dagster loads; the run's extraction takes it over."""
    repo = tmp_path / "large"
    repo.mkdir()
    body = "".join(f"def f{i}(x):\n    return g{i}(x) + {i}\n\n\n" for i in range(400))
    for index in range(60):  # ~0.8 MB of Python: more than is parsed in-process
        (repo / f"module_{index}.py").write_text(f"# module {index}\n{body}")
    taken: list[str] = []
    take = parsing._take_prestarted

    def spy(root: str, language: str) -> parsing._Submitted | None:
        submitted = take(root, language)
        if submitted is not None:
            taken.append(language)
        return submitted

    monkeypatch.setattr(parsing, "_take_prestarted", spy)
    assert materialize_main([str(repo)]) == 0
    assert taken == ["python"]
    out = tmp_path / "build"
    assert build_command([str(repo), "--out", str(out), "--no-cache"]) == 0
    for table in ("python/symbols", "python/calls", "cpg/nodes", "cpg/edges"):
        stored = home / "warehouse" / "large" / f"{table}.parquet"
        assert stored.read_bytes() == (out / f"{table}.parquet").read_bytes(), table
