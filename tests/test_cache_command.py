"""``codeintel cache report`` / ``prune`` and the bounded JSONL logs, through the real CLI."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from hamilton_modules.extraction_store import flush_writes
from orchestration.caching import (
    LOG_FILE,
    PRUNE_MARKER,
    CachePolicy,
    append_jsonl,
    cache_config,
    maybe_prune,
    read_jsonl,
    rotated_paths,
)
from orchestration.cli import main
from tests.dataflow_support import write_repo

REPO_FILES = {
    "app.py": "import os\n\n\ndef main():\n    return helper()\n\n\ndef helper():\n    return 1\n",
    "lib.rs": "fn helper() {}\n",
}


def _build(
    repo: Path, out: Path, cache_root: Path, capsys: pytest.CaptureFixture[str], *options: str
) -> str:
    argv = ["build", str(repo), "--out", str(out), "--cache-dir", str(cache_root), "--workers", "1"]
    assert main([*argv, *options]) == 0
    return json.loads((out / "manifest.json").read_text())["cache"]["build_id"]


def test_report_of_a_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = write_repo(tmp_path / "repo", REPO_FILES)
    cache_root = tmp_path / "cache"
    first = _build(repo, tmp_path / "out", cache_root, capsys)
    # --force: the output is up to date, so without it the dataflow (and the cache) is skipped.
    second = _build(repo, tmp_path / "out", cache_root, capsys, "--force")
    capsys.readouterr()

    assert main(["cache", "--cache-dir", str(cache_root), "report", first, "--json"]) == 0
    cold = json.loads(capsys.readouterr().out)
    assert cold["run"] == first
    (run,) = cold["cache_runs"]
    assert run["label"] == "build"
    assert run["counts"]["hit"] == 0 and run["counts"]["miss"] > 0
    assert run["nodes"]["python.symbols"] == "miss"

    assert main(["cache", "--cache-dir", str(cache_root), "report", second, "--json"]) == 0
    warm = json.loads(capsys.readouterr().out)["cache_runs"][0]
    assert warm["counts"]["miss"] == 0 and warm["counts"]["failed"] == 0
    assert warm["nodes"]["python.symbols"] == "hit"
    assert warm["nodes"]["python.extraction"] == "recomputed"

    assert main(["cache", "--cache-dir", str(cache_root), "report", second, "--nodes"]) == 0
    text = capsys.readouterr().out
    assert "hit    python.symbols" in text and "total: " in text
    # A Hamilton cache run id works too.
    cache_run_id = warm["cache_run_id"]
    assert main(["cache", "--cache-dir", str(cache_root), "report", cache_run_id]) == 0


def test_report_of_an_unknown_run_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cache", "--cache-dir", str(tmp_path), "report", "no-such-run"]) == 1
    assert "no cache records for run 'no-such-run'" in capsys.readouterr().err
    assert main(["cache", "report"]) == 2  # argparse: RUN_ID is required


def test_logs_rotate_so_their_size_is_bounded(tmp_path: Path) -> None:
    policy = CachePolicy(log_max_bytes=2_000, log_keep=2)
    log = tmp_path / LOG_FILE
    for index in range(200):
        append_jsonl(log, [json.dumps({"run_id": f"r{index}", "pad": "x" * 50})], policy=policy)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["cache_logs.1.jsonl", "cache_logs.2.jsonl", "cache_logs.jsonl"]
    assert all(p.stat().st_size < 2_000 + 200 for p in rotated_paths(log, 2))
    records = list(read_jsonl(log, keep=2))
    # The newest events are kept, in order; the oldest were rotated out.
    assert records[-1]["run_id"] == "r199"
    assert [r["run_id"] for r in records] == sorted(
        (r["run_id"] for r in records), key=lambda run: int(run[1:])
    )
    assert records[0]["run_id"] != "r0"


def test_prune_drops_old_and_excess_entries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = write_repo(tmp_path / "repo", REPO_FILES)
    cache_root = tmp_path / "cache"
    _build(repo, tmp_path / "out", cache_root, capsys)
    config = cache_config(root=cache_root)
    results = [p for p in config.results_dir.iterdir() if p.is_file()]
    # The per-file store is written in the background (a ``codeintel`` process commits it
    # before it exits); in this process, wait for it.
    flush_writes()
    per_file = list((cache_root / "files").glob("*.sqlite"))  # one database per extractor
    assert results and per_file
    old = time.time() - 90 * 86400
    for path in results[:2] + per_file[:1]:
        os.utime(path, (old, old))
    assert main(["cache", "--cache-dir", str(cache_root), "prune"]) == 0
    assert "removed 3 files" in capsys.readouterr().out
    assert not results[0].exists() and results[2].exists() and not per_file[0].exists()
    # A size bound: everything goes when the bound is 0 bytes.
    assert main(["cache", "--cache-dir", str(cache_root), "prune", "--max-bytes", "0"]) == 0
    assert not [p for p in config.results_dir.iterdir() if p.is_file()]
    # The next build recomputes what was pruned, and works.
    _build(repo, tmp_path / "out", cache_root, capsys)
    assert main(["cache", "--cache-dir", str(tmp_path / "missing"), "prune"]) == 2


def test_automatic_pruning_runs_daily_from_the_cache_creation(tmp_path: Path) -> None:
    """A new cache starts the clock (nothing in it is old); a day later, old entries go."""
    config = cache_config(root=tmp_path / "cache")
    old_entry = config.results_dir / "old"
    old_entry.parent.mkdir(parents=True)
    old_entry.write_bytes(b"x")
    old = time.time() - 90 * 86400
    os.utime(old_entry, (old, old))
    maybe_prune(config)
    marker = config.root / PRUNE_MARKER
    assert marker.exists() and old_entry.exists()
    maybe_prune(config)  # pruned less than a day ago: nothing to do
    assert old_entry.exists()
    os.utime(marker, (old, old))
    maybe_prune(config)
    assert not old_entry.exists()
    assert time.time() - marker.stat().st_mtime < 3600
