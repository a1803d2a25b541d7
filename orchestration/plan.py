"""The asset plan: how one Hamilton graph is cut into Dagster ops and assets.

This module holds the plan's data model and its JSON artifact. ``orchestration.partition`` computes
it from the rustworkx analyses (``orchestration.analysis``); ``orchestration.assets`` turns it into
Dagster definitions. All collections are tuples sorted by name, so the same graph gives the same
plan and the same bytes whatever the node insertion order or hash seed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

BoundaryReason = Literal[
    "tag",  # explicit `asset=` tag on the node
    "sink",  # nothing downstream consumes it
    "articulation_point",  # single point of failure in the undirected view
    "bridge",  # endpoint of a bridge edge
    "fan_out",  # feeds more than one op: computed once, loaded by the others
    "check",  # has `@check_output` validators: Dagster asset checks need an asset
]


@dataclass(frozen=True)
class PlannedCheck:
    """A Hamilton validator node (``@check_output``) that becomes a Dagster asset check."""

    name: str  # check name as shown in Dagster, e.g. "range_validator"
    node: str  # the Hamilton validator node, e.g. "total_revenue_range_validator"
    importance: Literal["warn", "fail"]

    @property
    def blocking(self) -> bool:
        return self.importance == "fail"


@dataclass(frozen=True)
class PlannedAsset:
    """One materialized output: a Hamilton node whose value is persisted by the IO manager."""

    key: tuple[str, ...]  # Dagster asset key path, from the translator
    node: str  # Hamilton node that produces the value
    reasons: tuple[BoundaryReason, ...]  # why this node is a boundary (sorted, at least one)
    checks: tuple[PlannedCheck, ...] = ()
    # The node this asset's value is read from. With `@check_output`, Hamilton renames `f` to
    # `f_raw`; requesting `f` would raise on a failed `fail` check, so ops request `f_raw`.
    value_node: str = ""


@dataclass(frozen=True)
class UpstreamInput:
    """A value computed by another op, loaded by the IO manager and passed as an override."""

    node: str
    asset_key: tuple[str, ...]
    op: str


@dataclass(frozen=True)
class PlannedOp:
    """One Dagster op (a ``multi_asset``): the Hamilton nodes it computes, the assets it emits."""

    name: str
    nodes: tuple[str, ...]  # every Hamilton node computed inside this op
    assets: tuple[PlannedAsset, ...]
    upstream: tuple[UpstreamInput, ...]
    external_inputs: tuple[str, ...]  # Hamilton inputs supplied at run time (e.g. repo_path)
    priority: int  # ready for the `dagster/priority` tag; higher runs first
    cost: float  # sum of the node costs inside the op


@dataclass(frozen=True)
class GraphAnalysis:
    """What rustworkx found in the Hamilton graph; node names only, sorted."""

    immediate_dominators: dict[str, str]  # node -> idom ("<source>" for the virtual source)
    immediate_post_dominators: dict[str, str]  # node -> ipdom ("<sink>" for the virtual sink)
    dominance_frontiers: dict[str, tuple[str, ...]]
    bridges: tuple[tuple[str, str], ...]
    articulation_points: tuple[str, ...]  # single points of failure
    betweenness: dict[str, float]
    critical_path: tuple[str, ...]
    critical_path_cost: float
    costs: dict[str, float]


@dataclass(frozen=True)
class AssetPlan:
    signature: str  # sha256 over node names, edges, code versions and config
    ops: tuple[PlannedOp, ...]
    external_inputs: tuple[str, ...]
    analysis: GraphAnalysis
    config: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, indent=2, default=_jsonable) + "\n"

    def op_for_node(self, node: str) -> PlannedOp:
        for op in self.ops:
            if node in op.nodes:
                return op
        raise KeyError(f"node {node!r} is not computed by any op of the plan")

    @property
    def assets(self) -> tuple[PlannedAsset, ...]:
        return tuple(asset for op in self.ops for asset in op.assets)


def _jsonable(value: object) -> object:
    if isinstance(value, tuple | set | frozenset):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return repr(value)
