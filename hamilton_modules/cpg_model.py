"""CPG vocabulary shared by the CPG nodes, the metrics and tests: labels and stable node ids.

Not a driver module (its public functions are helpers, not Hamilton nodes).
"""

from __future__ import annotations

import hashlib

ID_HEX_CHARS = 24
UNRESOLVED_PREFIX = "unresolved:"
TYPE_DECL_KINDS = frozenset({"class", "struct", "enum", "trait", "interface", "impl", "type_alias"})
METHOD_KINDS = frozenset({"function", "method", "macro"})
NAMESPACE_KINDS = frozenset({"module"})


def node_id(
    *,
    path: str,
    label: str,
    qualified_name: str,
    start_line: int,
    start_column: int,
    ordinal: int = 0,
) -> str:
    """Stable node id: sha256 prefix of repository-independent fields.

    ``ordinal`` (a family row's repeat number, see ``schemas.ORDINAL``) enters the hash only when
    it is not 0, so a repeated row gets its own node and the ids of all other rows stay the same.
    """
    fields = (path, label, qualified_name, str(start_line), str(start_column))
    text = "\x1f".join((*fields, str(ordinal)) if ordinal else fields)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:ID_HEX_CHARS]


def label_of_kind(kind: str) -> str | None:
    if kind in TYPE_DECL_KINDS:
        return "TYPE_DECL"
    if kind in METHOD_KINDS:
        return "METHOD"
    if kind in NAMESPACE_KINDS:
        return "NAMESPACE"
    return None


def call_node_id(row: dict[str, object]) -> str:
    return node_id(
        path=str(row["path"]),
        label="CALL",
        qualified_name=str(row["callee"]),
        start_line=int(row["line"]),  # type: ignore[arg-type]
        start_column=int(row["column"]),  # type: ignore[arg-type]
        ordinal=int(row["ordinal"]),  # type: ignore[arg-type]
    )


def import_node_id(row: dict[str, object]) -> str:
    imported = f"{row['module'] or ''}|{row['name']}|{row['alias'] or ''}"
    return node_id(
        path=str(row["path"]),
        label="IMPORT",
        qualified_name=imported,
        start_line=int(row["line"]),  # type: ignore[arg-type]
        start_column=0,
        ordinal=int(row["ordinal"]),  # type: ignore[arg-type]
    )


def file_node_id(path: str) -> str:
    return node_id(path=path, label="FILE", qualified_name=path, start_line=0, start_column=0)
