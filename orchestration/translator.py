"""How Hamilton nodes are presented as assets: keys, groups, tags, descriptions, metadata.

Modelled on dagster-dbt's ``DagsterDbtTranslator``: subclass ``HamiltonDagsterTranslator`` and
override a ``get_*`` method to change one aspect; each method delegates to a module-level default so
the defaults stay callable on their own. The translator deals in plain Python values (key paths,
strings), not Dagster objects, so ``codeintel build`` uses the same keys without importing Dagster.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: `codeintel build`'s up-to-date check imports no library
    import pyarrow as pa
    from hamilton.graph_types import HamiltonNode

ASSET_TAG = "asset"  # explicit boundary: `@tag(asset="repo/files")` (a key path) or "true"/"false"
PERSIST_TAG = "persist"  # `@tag(persist="false")` marks a value that must never cross an op
GROUP_TAG = "group"
HAMILTON_TAG_PREFIX = "hamilton."
_TAG_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-/]")
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0", "none"}


_PLAIN_PERSISTABLE_TYPES: tuple[type, ...] = (str, int, float, bool, dict, list)
_TABLE_TYPES = (("polars", "DataFrame"), ("pyarrow", "Table"))


def persistable_types() -> tuple[type, ...]:
    """Values the IO manager knows how to persist: tables as Parquet, the rest as JSON.

    A table library counts once it is loaded: a node can only return a polars or pyarrow class if
    its module imported that library, so planning a dataflow without polars does not load it.
    """
    tables: list[type] = []
    for module_name, class_name in _TABLE_TYPES:
        table_type = getattr(sys.modules.get(module_name), class_name, None)
        if isinstance(table_type, type):
            tables.append(table_type)
    return (*tables, *_PLAIN_PERSISTABLE_TYPES)


def _tag_str(node: HamiltonNode, key: str) -> str | None:
    value = node.tags.get(key)
    return value if isinstance(value, str) else None


def explicit_boundary(node: HamiltonNode) -> bool | None:
    """True/False when the node's `asset` tag decides, None when the analysis should."""
    value = _tag_str(node, ASSET_TAG)
    if value is None:
        return None
    return value.strip().lower() not in _FALSE


def default_asset_key_path(node: HamiltonNode) -> tuple[str, ...]:
    """The `asset="a/b"` tag, else the name's namespaces: `python.symbols` -> python/symbols."""
    value = _tag_str(node, ASSET_TAG)
    if value is not None and value.strip().lower() not in _TRUE | _FALSE:
        return tuple(part for part in value.strip("/").split("/") if part)
    return tuple(node.name.split("."))


def default_group_name(node: HamiltonNode) -> str:
    """`group` tag, else the first namespace of the key (one group per language), else `default`."""
    value = _tag_str(node, GROUP_TAG)
    if value:
        return value
    path = default_asset_key_path(node)
    return path[0] if len(path) > 1 else "default"


def default_tags(node: HamiltonNode) -> dict[str, str]:
    """The node's own tags (not Hamilton's internal ones), with keys safe for Dagster."""
    tags: dict[str, str] = {}
    for key, value in sorted(node.tags.items()):
        if key.startswith(HAMILTON_TAG_PREFIX) or key == "module":
            continue
        text = value if isinstance(value, str) else ",".join(map(str, value))
        tags[_TAG_KEY_UNSAFE.sub("_", key)] = text
    return tags


def default_description(node: HamiltonNode) -> str | None:
    doc = (node.documentation or "").strip()
    return doc or None


def default_metadata(node: HamiltonNode) -> dict[str, Any]:
    """Namespaced `hamilton/*` metadata: where the node comes from and what it returns."""
    metadata: dict[str, Any] = {
        "hamilton/node": node.name,
        "hamilton/type": getattr(node.type, "__name__", str(node.type)),
    }
    module = _tag_str(node, "module")
    if module:
        metadata["hamilton/module"] = module
    if node.originating_functions:
        fn = node.originating_functions[0]
        metadata["hamilton/function"] = f"{fn.__module__}.{fn.__qualname__}"
    return metadata


def default_code_version(node: HamiltonNode) -> str | None:
    """``node.version``: for the plan's nodes, filled by ``orchestration.graph.with_cached_version``
    (Hamilton's source hash of the originating function, decorators included, docs ignored,
    covering the project code the function reaches); else Hamilton's own."""
    return node.version


def default_is_persistable(node: HamiltonNode) -> bool:
    """Can this node's value be written by the IO manager and loaded by another op?"""
    value = _tag_str(node, PERSIST_TAG)
    if value is not None:
        return value.strip().lower() not in _FALSE
    node_type = getattr(node.type, "__origin__", node.type)
    return isinstance(node_type, type) and issubclass(node_type, persistable_types())


def default_table_schema(node: HamiltonNode) -> pa.Schema | None:
    """No declared Arrow schema: a polars frame is written as polars converts it.

    Hamilton's ``@schema.output`` keeps only type names in an internal tag, not the nullability a
    Parquet schema needs; a dataflow with declared Arrow schemas maps its nodes to them in a
    subclass (``orchestration.definitions.CodeintelTranslator``).
    """
    del node
    return None


class HamiltonDagsterTranslator:
    """Overridable mapping from Hamilton nodes to asset presentation (see module docstring)."""

    def get_asset_key_path(self, node: HamiltonNode) -> tuple[str, ...]:
        return default_asset_key_path(node)

    def get_group_name(self, node: HamiltonNode) -> str:
        return default_group_name(node)

    def get_tags(self, node: HamiltonNode) -> dict[str, str]:
        return default_tags(node)

    def get_description(self, node: HamiltonNode) -> str | None:
        return default_description(node)

    def get_metadata(self, node: HamiltonNode) -> dict[str, Any]:
        return default_metadata(node)

    def get_code_version(self, node: HamiltonNode) -> str | None:
        return default_code_version(node)

    def is_persistable(self, node: HamiltonNode) -> bool:
        return default_is_persistable(node)

    def get_table_schema(self, node: HamiltonNode) -> pa.Schema | None:
        """The Arrow schema a table value is cast to when written (Parquet types, non-null)."""
        return default_table_schema(node)

    def get_priority(self, op_name: str, computed_priority: int) -> int:
        """The `dagster/priority` of an op; the plan computes it, a subclass may adjust it."""
        del op_name
        return computed_priority
