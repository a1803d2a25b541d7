"""Generic Hamilton -> Dagster integration: plan a Hamilton graph with rustworkx, run it as assets.

What users import::

    from orchestration import hamilton_assets, HamiltonIOManager, HamiltonDagsterTranslator

    defs = Definitions(
        assets=hamilton_assets(modules=[my_dataflow], config={}, inputs={"path": "data.csv"}),
        resources={"io_manager": HamiltonIOManager()},
    )

Names are resolved on first use (PEP 562), so ``import orchestration.storage`` or ``codeintel
build`` does not import Dagster.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orchestration.assets import hamilton_assets
    from orchestration.build import build
    from orchestration.io_manager import HamiltonIOManager
    from orchestration.partition import build_plan
    from orchestration.plan import AssetPlan
    from orchestration.registry import PartitionRegistry, path_input_from_registry
    from orchestration.translator import HamiltonDagsterTranslator

_EXPORTS = {
    "hamilton_assets": "orchestration.assets",  # Hamilton modules -> Dagster assets with checks
    "HamiltonIOManager": "orchestration.io_manager",  # <warehouse>/<partition>/<key>.parquet|json
    "HamiltonDagsterTranslator": "orchestration.translator",  # keys, groups, tags, priorities
    "build_plan": "orchestration.partition",  # how the graph is cut into ops and assets
    "AssetPlan": "orchestration.plan",
    "build": "orchestration.build",  # the same dataflow with plain Hamilton, no Dagster
    "PartitionRegistry": "orchestration.registry",  # partition key -> folder, in DAGSTER_HOME
    "path_input_from_registry": "orchestration.registry",  # inputs= for path-per-partition flows
}

__all__ = [
    "AssetPlan",
    "HamiltonDagsterTranslator",
    "HamiltonIOManager",
    "PartitionRegistry",
    "build",
    "build_plan",
    "hamilton_assets",
    "path_input_from_registry",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
