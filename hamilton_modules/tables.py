"""Helpers every table node uses: frames that keep their Arrow types, exact columns, stable sort."""

from __future__ import annotations

import polars as pl
import pyarrow as pa

from hamilton_modules import schemas


def arrow_fields(table_schema: pa.Schema) -> tuple[tuple[str, str], ...]:
    """``@schema.output`` fields of an Arrow schema: (name, type) pairs."""
    return tuple((field.name, str(field.type)) for field in table_schema)


def polars_schema(table_schema: pa.Schema) -> pl.Schema:
    """The polars schema a table of ``table_schema`` has (strings become polars ``String``)."""
    frame = pl.from_arrow(pa.Table.from_batches([], schema=table_schema))
    assert isinstance(frame, pl.DataFrame)
    return frame.schema


def rows_to_frame(rows: list[dict[str, object]], table_schema: pa.Schema) -> pl.DataFrame:
    """Rows (dicts with the schema's columns) as a frame that keeps its types when empty."""
    frame = pl.from_arrow(pa.Table.from_pylist(rows, schema=table_schema))
    assert isinstance(frame, pl.DataFrame)
    return frame


def finish_table(frame: pl.DataFrame, *, table_schema: pa.Schema, sort_key: str) -> pl.DataFrame:
    """Exactly the schema's columns in its order and types, stably sorted by ``SORT_KEYS``."""
    target = polars_schema(table_schema)
    frame = frame.select([pl.col(name).cast(dtype) for name, dtype in target.items()])
    return frame.sort(schemas.SORT_KEYS[sort_key], nulls_last=False, maintain_order=True)


def with_ordinals(frame: pl.DataFrame, *, sort_key: str) -> pl.DataFrame:
    """Number the rows that share a key (``SORT_KEYS`` without ``ordinal``) in their current order.

    ``import os, os`` or tree-sitter's error recovery give rows with equal keys; each keeps its
    own ``ordinal`` (0, 1, ...) instead of being dropped, so the key with ``ordinal`` is unique.
    The frame must still be in extraction (source) order, i.e. not sorted yet.
    """
    key = [name for name in schemas.SORT_KEYS[sort_key] if name != schemas.ORDINAL.name]
    return frame.with_columns(
        pl.int_range(pl.len(), dtype=pl.Int64).over(key).alias(schemas.ORDINAL.name)
    )
