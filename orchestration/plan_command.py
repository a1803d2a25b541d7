"""``codeintel plan``: show how the Hamilton graph is cut into Dagster ops and assets, and why.

    codeintel plan [--json] [--config K=V ...] [--modules MOD ...] [--timings FILE]
                   [--dot FILE | --svg FILE]

By default the modules and config are the code location's (``orchestration.definitions``
``DATAFLOW_MODULES`` / ``DATAFLOW_CONFIG``, imported only when ``--modules`` is not given);
``--config`` values are parsed as JSON when they can be (``workers=2``, ``languages=["python"]``)
and as plain strings otherwise, and override the defaults. ``--timings`` reads measured node
timings of earlier runs (``{"node": seconds}``) that weigh the critical path and priorities.

Output: a readable table (ops by priority, their assets, node counts, reasons, checks) or, with
``--json``, the plan artifact. ``--dot`` writes the Hamilton graph as Graphviz DOT, one coloured
cluster per op, boundaries drawn bold with a double border, articulation points as diamonds,
bridges as thick red edges, inputs dashed. ``--svg`` renders the same through Graphviz's ``dot``
binary, which must be on PATH.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from hamilton import driver as hamilton_driver

from orchestration import storage
from orchestration.graph import GraphError
from orchestration.partition import plan_from_driver
from orchestration.plan import AssetPlan

# Colour-blind-safe qualitative palette (Okabe-Ito, lightened for fills), cycled over ops.
_PALETTE = (
    "#f5c26b",
    "#8ecae6",
    "#95d5b2",
    "#f4a6a6",
    "#c8b6ff",
    "#ffd6a5",
    "#bde0fe",
    "#d8e2dc",
    "#ffafcc",
    "#caffbf",
)


class PlanCommandError(Exception):
    """Bad arguments or input files: reported as one line, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codeintel plan",
        description="Show how the Hamilton graph is cut into Dagster assets, and why.",
    )
    parser.add_argument("--json", action="store_true", help="print the plan artifact (JSON)")
    parser.add_argument(
        "--config",
        nargs="*",
        default=[],
        metavar="K=V",
        help="config overrides; values parsed as JSON when possible",
    )
    parser.add_argument(
        "--modules",
        nargs="+",
        metavar="MOD",
        help="Hamilton modules to plan (default: orchestration.definitions.DATAFLOW_MODULES)",
    )
    parser.add_argument("--timings", type=Path, metavar="FILE", help='JSON {"node": seconds}')
    drawing = parser.add_mutually_exclusive_group()
    drawing.add_argument("--dot", type=Path, metavar="FILE", help="write Graphviz DOT")
    drawing.add_argument("--svg", type=Path, metavar="FILE", help="render SVG (needs `dot`)")
    return parser


def parse_config(pairs: Sequence[str]) -> dict[str, Any]:
    """``K=V`` pairs -> dict; V is JSON when it parses (numbers, booleans, lists), else a string."""
    config: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise PlanCommandError(f"--config expects KEY=VALUE, got {pair!r}")
        try:
            value: Any = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        config[key.strip()] = value
    return config


def read_timings(path: Path) -> dict[str, float]:
    try:
        data = json.loads(path.read_text())
    except OSError as error:
        raise PlanCommandError(f"cannot read timings file {path}: {error.strerror}") from error
    except json.JSONDecodeError as error:
        raise PlanCommandError(f"timings file {path} is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise PlanCommandError(f'timings file {path} must hold an object {{"node": seconds}}')
    timings: dict[str, float] = {}
    for node, seconds in data.items():
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise PlanCommandError(f"timings file {path}: {node!r} has invalid seconds {seconds!r}")
        timings[str(node)] = float(seconds)
    return timings


def _import_modules(names: Sequence[str]) -> list[ModuleType]:
    modules = []
    for name in names:
        try:
            modules.append(importlib.import_module(name))
        except ImportError as error:
            raise PlanCommandError(f"cannot import module {name!r}: {error}") from error
    return modules


def _default_dataflow() -> tuple[list[ModuleType], dict[str, Any]]:
    try:
        definitions = importlib.import_module("orchestration.definitions")
    except ImportError as error:
        raise PlanCommandError(f"cannot import orchestration.definitions: {error}") from error
    modules = getattr(definitions, "DATAFLOW_MODULES", None)
    if not modules:
        raise PlanCommandError("orchestration.definitions defines no DATAFLOW_MODULES")
    return list(modules), dict(getattr(definitions, "DATAFLOW_CONFIG", {}) or {})


def format_table(plan: AssetPlan) -> str:
    """Ops by priority (highest first), each with its assets, reasons and checks."""
    ops = sorted(plan.ops, key=lambda op: (-op.priority, op.name))
    name_width = max([len("op"), *(len(op.name) for op in ops)])
    lines = [
        f"{'op':<{name_width}}  {'priority':>8}  {'nodes':>5}  {'cost':>8}  assets (reasons) [checks]",
        f"{'-' * name_width}  {'-' * 8}  {'-' * 5}  {'-' * 8}  {'-' * 26}",
    ]
    for op in ops:
        described = [
            "/".join(asset.key)
            + f" ({', '.join(asset.reasons)})"
            + (
                " [" + ", ".join(f"{c.name}:{c.importance}" for c in asset.checks) + "]"
                if asset.checks
                else ""
            )
            for asset in op.assets
        ] or ["(no materialized asset)"]
        prefix = f"{op.name:<{name_width}}  {op.priority:>8}  {len(op.nodes):>5}  {op.cost:>8.3g}  "
        lines.append(prefix + described[0])
        lines += [" " * len(prefix) + more for more in described[1:]]
        if op.upstream:
            sources = sorted({item.op for item in op.upstream})
            lines.append(" " * len(prefix) + "<- " + ", ".join(sources))
    analysis = plan.analysis
    lines += [
        "",
        f"ops: {len(plan.ops)}  assets: {len(plan.assets)}  "
        f"nodes: {sum(len(op.nodes) for op in plan.ops)}  "
        f"inputs: {', '.join(plan.external_inputs) or '-'}",
        f"critical path (cost {analysis.critical_path_cost:g}): "
        + (" -> ".join(analysis.critical_path) or "-"),
        "articulation points (single points of failure): "
        + (", ".join(analysis.articulation_points) or "-"),
        f"bridges: {len(analysis.bridges)}",
        f"signature: {plan.signature}",
    ]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(plan: AssetPlan, *, edges: Sequence[tuple[str, str]]) -> str:
    """Graphviz DOT of the Hamilton graph: one coloured cluster per op (see module docstring)."""
    articulation = set(plan.analysis.articulation_points)
    bridges = set(plan.analysis.bridges)
    boundaries = {asset.node for asset in plan.assets}
    lines = [
        "digraph plan {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [color="#555555"];',
    ]
    for number, op in enumerate(sorted(plan.ops, key=lambda op: op.name)):
        colour = _PALETTE[number % len(_PALETTE)]
        lines += [
            f"  subgraph {_quote('cluster_' + op.name)} {{",
            f"    label={_quote(f'{op.name} (priority {op.priority})')};",
            f'    style="rounded,filled"; color="#999999"; fillcolor="{colour}40";',
        ]
        for name in op.nodes:
            attributes = [f'fillcolor="{colour}"']
            if name in boundaries:
                attributes += ["peripheries=2", "penwidth=2", 'fontname="Helvetica-Bold"']
            if name in articulation:
                attributes.append("shape=diamond")
            lines.append(f"    {_quote(name)} [{', '.join(attributes)}];")
        lines.append("  }")
    for name in plan.external_inputs:
        lines.append(f'  {_quote(name)} [shape=ellipse, style=dashed, fillcolor="#ffffff"];')
    for producer, consumer in sorted(edges):
        attributes = ' [color="#d62728", penwidth=3]' if (producer, consumer) in bridges else ""
        lines.append(f"  {_quote(producer)} -> {_quote(consumer)}{attributes};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _write_atomic(path: Path, data: bytes) -> None:
    with storage.atomic_target(path) as temporary:
        temporary.write_bytes(data)


def render_svg(dot_text: str) -> bytes:
    binary = shutil.which("dot")
    if binary is None:
        raise PlanCommandError(
            "--svg needs the Graphviz `dot` binary on PATH (e.g. `apt-get install graphviz`); "
            "or write DOT with --dot FILE and render it elsewhere"
        )
    result = subprocess.run(
        [binary, "-Tsvg"], input=dot_text.encode(), capture_output=True, check=False
    )
    if result.returncode != 0:
        raise PlanCommandError(f"dot failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def _plan_edges(dr: hamilton_driver.Driver) -> list[tuple[str, str]]:
    nodes = dr.graph.nodes
    return sorted(
        (dependency, name)
        for name, node in nodes.items()
        for dependency in node.input_types
        if dependency in nodes
    )


def run(
    *,
    modules: Sequence[ModuleType],
    config: Mapping[str, Any],
    timings: Mapping[str, float] | None,
) -> tuple[AssetPlan, list[tuple[str, str]]]:
    dr = hamilton_driver.Builder().with_modules(*modules).with_config(dict(config)).build()
    return plan_from_driver(driver=dr, config=config, timings=timings), _plan_edges(dr)


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    try:
        overrides = parse_config(args.config)
        if args.modules:
            modules, config = _import_modules(args.modules), {}
        else:
            modules, config = _default_dataflow()
        config.update(overrides)
        timings = read_timings(args.timings) if args.timings else None
        plan, edges = run(modules=modules, config=config, timings=timings)
        if args.dot or args.svg:
            dot_text = to_dot(plan, edges=edges)
            if args.dot:
                _write_atomic(args.dot, dot_text.encode())
            else:
                _write_atomic(args.svg, render_svg(dot_text))
    except (PlanCommandError, GraphError) as error:
        print(f"codeintel plan: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # Hamilton rejects the graph/config: say so, don't crash
        print(f"codeintel plan: cannot build the Hamilton graph: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(plan.to_json() if args.json else format_table(plan))
    return 0
