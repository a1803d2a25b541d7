"""Hamilton validators (``@check_output``) as Dagster asset checks.

Declared at definition time from the plan's ``PlannedCheck``s (one ``AssetCheckSpec`` per validator
node, ``blocking`` when the importance is ``fail``) and reported at run time from the validator's
``ValidationResult`` (message as description, diagnostics as metadata). A failed ``fail`` check has
severity ERROR, which Dagster turns into a failed step: assets downstream of it do not run, the rest
of the run goes on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    PartitionsDefinition,
)
from hamilton.data_quality.base import ValidationResult

from orchestration.plan import PlannedAsset, PlannedCheck


def check_spec(
    *, asset: PlannedAsset, check: PlannedCheck, partitions_def: PartitionsDefinition | None = None
) -> AssetCheckSpec:
    """The definition-time spec; with ``partitions_def`` each partition gets its own result."""
    return AssetCheckSpec(
        name=check.name,
        asset=AssetKey(list(asset.key)),
        blocking=check.blocking,
        description=f"Hamilton validator `{check.node}` (importance: {check.importance})",
        metadata={"hamilton/validator_node": check.node, "hamilton/importance": check.importance},
        partitions_def=partitions_def,
    )


def _metadata_value(value: Any) -> Any:
    """Diagnostics are free-form: keep what Dagster shows natively, make the rest JSON."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return MetadataValue.json(json.loads(json.dumps(value, sort_keys=True, default=str)))


def diagnostics_metadata(diagnostics: Mapping[str, Any]) -> dict[str, Any]:
    return {f"hamilton/{key}": _metadata_value(value) for key, value in sorted(diagnostics.items())}


def check_result(*, asset: PlannedAsset, check: PlannedCheck, validation: Any) -> AssetCheckResult:
    """The Dagster result of one validator node's value (a Hamilton ``ValidationResult``)."""
    severity = AssetCheckSeverity.ERROR if check.blocking else AssetCheckSeverity.WARN
    if not isinstance(validation, ValidationResult):
        return AssetCheckResult(
            asset_key=AssetKey(list(asset.key)),
            check_name=check.name,
            passed=False,
            severity=severity,
            description=(
                f"validator node {check.node!r} returned {type(validation).__name__}, "
                "not a hamilton ValidationResult"
            ),
        )
    return AssetCheckResult(
        asset_key=AssetKey(list(asset.key)),
        check_name=check.name,
        passed=bool(validation.passes),
        severity=severity,
        description=validation.message or None,
        metadata=diagnostics_metadata(validation.diagnostics or {}),
    )
