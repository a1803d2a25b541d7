"""CPG vocabulary shared by the CPG nodes, the metrics and tests: labels and stable node ids.

Not a driver module (its public functions are helpers, not Hamilton nodes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import polars as pl

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


def node_ids(
    *,
    paths: Iterable[str],
    labels: Iterable[str],
    qualified_names: Iterable[str],
    start_lines: Iterable[int],
    start_columns: Iterable[int],
    ordinals: Iterable[int],
) -> list[str]:
    """:func:`node_id` of many rows at once (the same bytes, without per-row call overhead)."""
    sha256 = hashlib.sha256
    out: list[str] = []
    append = out.append
    for path, label, qname, line, column, ordinal in zip(
        paths, labels, qualified_names, start_lines, start_columns, ordinals, strict=True
    ):
        text = f"{path}\x1f{label}\x1f{qname}\x1f{line}\x1f{column}"
        if ordinal:
            text = f"{text}\x1f{ordinal}"
        append(sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:ID_HEX_CHARS])
    return out


def call_node_ids(calls: pl.DataFrame) -> list[str]:
    """CALL node ids of a calls table, row by row: path, callee, line, column, ordinal."""
    return node_ids(
        paths=calls["path"].to_list(),
        labels=["CALL"] * calls.height,
        qualified_names=calls["callee"].to_list(),
        start_lines=calls["line"].to_list(),
        start_columns=calls["column"].to_list(),
        ordinals=calls["ordinal"].to_list(),
    )


def import_qualified_keys(imports: pl.DataFrame) -> list[str]:
    """``module|name|alias`` of each import row: what an IMPORT id hashes as its name."""
    return [
        f"{module or ''}|{name}|{alias or ''}"
        for module, name, alias in zip(
            imports["module"].to_list(),
            imports["name"].to_list(),
            imports["alias"].to_list(),
            strict=True,
        )
    ]


def import_node_ids(imports: pl.DataFrame) -> list[str]:
    """IMPORT node ids of an imports table, row by row: path, ``module|name|alias``, line."""
    return node_ids(
        paths=imports["path"].to_list(),
        labels=["IMPORT"] * imports.height,
        qualified_names=import_qualified_keys(imports),
        start_lines=imports["line"].to_list(),
        start_columns=[0] * imports.height,
        ordinals=imports["ordinal"].to_list(),
    )


def label_of_kind(kind: str) -> str | None:
    if kind in TYPE_DECL_KINDS:
        return "TYPE_DECL"
    if kind in METHOD_KINDS:
        return "METHOD"
    if kind in NAMESPACE_KINDS:
        return "NAMESPACE"
    return None


def file_node_id(path: str) -> str:
    return node_id(path=path, label="FILE", qualified_name=path, start_line=0, start_column=0)
