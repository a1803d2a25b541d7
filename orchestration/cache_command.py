"""``codeintel cache report RUN_ID`` and ``codeintel cache prune``.

``report`` shows which Hamilton nodes of a Dagster run (or a ``codeintel build``, id
``build-...``; or one Hamilton cache run id) came from the cache and which ran. The run index
(``cache_runs.jsonl``) maps the run to its Hamilton cache runs, one per op execution; the outcome of
each node is read from the JSONL cache log (``get_result`` = hit, ``execute_node`` = miss,
``failed_execution`` = failed). Rotated logs are read too; a run older than the rotation window is
reported as unknown.

``prune`` bounds the cache folder (results and per-file entries by age and size, old metadata rows).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from orchestration.caching import CacheConfig, cache_config, prune_cache, read_jsonl

# recomputed: ran because its policy says so (it reads the outside world), not a miss.
# rebuilt: not stored by the policy (``CachePolicy.unstored``), computed again from its inputs.
OUTCOMES = ("hit", "miss", "recomputed", "rebuilt", "failed")


@dataclass
class CacheRunReport:
    """One Hamilton cache run: the op (label) and each node's outcome."""

    cache_run_id: str
    label: str
    nodes: dict[str, str] = field(default_factory=dict)  # node -> one of OUTCOMES
    recovered: int = 0

    def counts(self) -> dict[str, int]:
        return {
            outcome: sum(1 for o in self.nodes.values() if o == outcome) for outcome in OUTCOMES
        }


def cache_report(*, config: CacheConfig, run: str) -> list[CacheRunReport]:
    """Reports of every Hamilton cache run of ``run`` (Dagster run id, build id or cache run id)."""
    keep = config.policy.log_keep
    labels: dict[str, str] = {}
    for record in read_jsonl(config.runs_path, keep=keep):
        if record.get("run") == run and isinstance(record.get("cache_run_id"), str):
            labels[record["cache_run_id"]] = str(record.get("label", ""))
    if not labels:
        labels = {run: ""}  # perhaps a Hamilton cache run id itself
    reports = {
        cache_run_id: CacheRunReport(cache_run_id, label) for cache_run_id, label in labels.items()
    }
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for event in read_jsonl(config.log_path, keep=keep):
        cache_run_id = event.get("run_id")
        if cache_run_id not in reports:
            continue
        kind = event.get("event_type")
        node = event.get("node_name")
        if kind == "recovered_result":
            reports[cache_run_id].recovered += 1
        elif isinstance(node, str) and kind in {"get_result", "execute_node", "failed_execution"}:
            seen[cache_run_id][node].add(kind)
            if event.get("behavior") == "recompute":
                seen[cache_run_id][node].add("recompute")
            if event.get("rebuilt"):
                seen[cache_run_id][node].add("rebuilt")
    found: list[CacheRunReport] = []
    for cache_run_id, report in reports.items():
        for node, kinds in sorted(seen[cache_run_id].items()):
            if "failed_execution" in kinds:
                report.nodes[node] = "failed"
            elif "get_result" in kinds:
                report.nodes[node] = "hit"
            elif "recompute" in kinds:
                report.nodes[node] = "recomputed"
            elif "rebuilt" in kinds:
                report.nodes[node] = "rebuilt"
            else:
                report.nodes[node] = "miss"
        if report.nodes or report.recovered or report.label:
            found.append(report)
    return sorted(found, key=lambda r: (r.label, r.cache_run_id))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codeintel cache", description="Hamilton cache reports and pruning."
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="cache root (default $CODEINTEL_CACHE_DIR or $DAGSTER_HOME/hamilton_cache)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="which nodes of a run hit or missed the cache")
    report.add_argument("run", metavar="RUN_ID", help="Dagster run id, build id or cache run id")
    report.add_argument("--json", action="store_true", help="machine-readable output")
    report.add_argument("--nodes", action="store_true", help="list every node, not only misses")
    prune = commands.add_parser("prune", help="drop old or excess cache entries")
    prune.add_argument("--max-bytes", type=int, help="per folder (default: the policy's 8 GiB)")
    prune.add_argument("--max-age-days", type=float, help="unused for longer (default 30)")
    return parser


def _print_report(reports: list[CacheRunReport], *, all_nodes: bool) -> None:
    totals = dict.fromkeys(OUTCOMES, 0)
    for report in reports:
        counts = report.counts()
        for outcome in OUTCOMES:
            totals[outcome] += counts[outcome]
        title = report.label or "hamilton run"
        line = (
            f"{title} ({report.cache_run_id}): {counts['hit']} hits, {counts['miss']} misses, "
            f"{counts['recomputed']} recomputed"
            + (f", {counts['rebuilt']} rebuilt" if counts["rebuilt"] else "")
            + (f", {counts['failed']} failed" if counts["failed"] else "")
            + (f", {report.recovered} recovered entries" if report.recovered else "")
        )
        print(line)
        for node, outcome in sorted(report.nodes.items()):
            if all_nodes or outcome in {"miss", "failed"}:
                print(f"    {outcome:<6} {node}")
    print(
        f"total: {totals['hit']} hits, {totals['miss']} misses, "
        f"{totals['recomputed']} recomputed, "
        + (
            f"{totals['rebuilt']} rebuilt (not stored by policy, recomputed from their inputs), "
            if totals["rebuilt"]
            else ""
        )
        + f"{totals['failed']} failed"
    )


def cache_main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    config = cache_config(root=args.cache_dir)
    if args.command == "prune":
        if not config.root.is_dir():
            print(f"codeintel cache: no cache at {config.root}", file=sys.stderr)
            return 2
        pruned = prune_cache(config, max_bytes=args.max_bytes, max_age_days=args.max_age_days)
        print(
            f"codeintel cache: removed {pruned.files_removed} files "
            f"({pruned.bytes_removed} bytes), {pruned.metadata_rows_removed} metadata rows"
        )
        return 0
    reports = cache_report(config=config, run=args.run)
    if not reports:
        print(
            f"codeintel cache: no cache records for run {args.run!r} under {config.root} "
            "(unknown id, caching off, or rotated out of the log)",
            file=sys.stderr,
        )
        return 1
    if args.json:
        payload: list[dict[str, Any]] = [
            {
                "cache_run_id": r.cache_run_id,
                "label": r.label,
                "counts": r.counts(),
                "recovered": r.recovered,
                "nodes": r.nodes,
            }
            for r in reports
        ]
        print(json.dumps({"run": args.run, "cache_runs": payload}, indent=2, sort_keys=True))
    else:
        _print_report(reports, all_nodes=args.nodes)
    return 0
