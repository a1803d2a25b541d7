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


def finish_table(
    frame: pl.DataFrame, *, table_schema: pa.Schema, sort_key: str, multithreaded: bool = True
) -> pl.DataFrame:
    """Exactly the schema's columns in its order and types, stably sorted by ``SORT_KEYS``
    (``multithreaded``: polars' sort on several threads; one thread is the same order, and
    cheaper for a sort by one string column: tokio's 43k CPG node ids, ~5 against ~13 ms of
    CPU)."""
    target = polars_schema(table_schema)
    frame = frame.select([pl.col(name).cast(dtype) for name, dtype in target.items()])
    return frame.sort(
        schemas.SORT_KEYS[sort_key],
        nulls_last=False,
        maintain_order=True,
        multithreaded=multithreaded,
    )


def with_ordinals(frame: pl.DataFrame, *, sort_key: str) -> pl.DataFrame:
    """Number the rows that share a key (``SORT_KEYS`` without ``ordinal``) in their current order.

    ``import os, os`` or tree-sitter's error recovery give rows with equal keys; each keeps its
    own ``ordinal`` (0, 1, ...) instead of being dropped, so the key with ``ordinal`` is unique.
    The frame must still be in extraction (source) order, i.e. not sorted yet.
    """
    key = _ordinal_key(sort_key)
    # A stable sort by the key puts the rows that share it next to each other, in their current
    # order: each one's ordinal is its distance from the first of its run. Then back to the
    # current order. The same numbers as a window (``int_range(len).over(key)``, null keys equal)
    # at a fraction of its cost: a window over string keys hashed ~29k groups for tokio's calls
    # (~25 ms) on every re-run that changes a file's calls.
    row = "__with_ordinals_row"
    return (
        frame.with_row_index(row)
        .sort(key, nulls_last=False, maintain_order=True)
        .with_columns(_run_ordinals(key))
        .sort(row)
        .drop(row)
    )


def finish_numbered_table(
    frame: pl.DataFrame, *, table_schema: pa.Schema, sort_key: str
) -> pl.DataFrame:
    """``finish_table(with_ordinals(frame))`` in one sort instead of three (tokio's calls: ~2
    against ~5 ms, on every re-run that changes a file's calls). The stable sort by the key
    that numbers the rows is already the table's order (``SORT_KEYS``: the key, then the
    ordinal): the rows of a key are numbered 0, 1, ... in that very order. So where the key's
    columns already have the table's types (a cast after the sort changes no order) and tell
    equal keys by exact equality (strings, integers, booleans: the sort's ties are the runs
    the ordinals count); otherwise the three sorts."""
    key = _ordinal_key(sort_key)
    target = polars_schema(table_schema)
    if (
        frame.height < 2
        or schemas.SORT_KEYS[sort_key] != [*key, schemas.ORDINAL.name]
        or not all(
            name in frame.schema
            and frame.schema[name] == target.get(name)
            and ordered_totally(frame.schema[name])
            for name in key
        )
    ):
        numbered = with_ordinals(frame, sort_key=sort_key)
        return finish_table(numbered, table_schema=table_schema, sort_key=sort_key)
    numbered = frame.sort(key, nulls_last=False, maintain_order=True).with_columns(
        _run_ordinals(key)
    )
    return numbered.select([pl.col(name).cast(dtype) for name, dtype in target.items()])


def ordered_totally(dtype: pl.DataType) -> bool:
    """Whether polars' ``>`` and ``eq_missing`` on the type order every two values one way, as
    hashing tells them apart. Other types are left to hashing, to be safe: floats (NaN and
    the signed zeros), categoricals (ordered by their categories), nested and other types."""
    return dtype == pl.String or dtype == pl.Boolean or dtype.is_integer()


def _ordinal_key(sort_key: str) -> list[str]:
    """The key whose rows ``with_ordinals`` numbers: ``SORT_KEYS`` without ``ordinal``."""
    return [name for name in schemas.SORT_KEYS[sort_key] if name != schemas.ORDINAL.name]


def _run_ordinals(key: list[str]) -> pl.Expr:
    """The ``ordinal`` of each row of a frame sorted by ``key``: its distance from the first row
    of its run of equal keys (null keys equal)."""
    position = pl.int_range(pl.len(), dtype=pl.Int64)
    starts_run = (position == 0) | pl.any_horizontal(
        [pl.col(name).ne_missing(pl.col(name).shift(1)) for name in key]
    )
    run_start = pl.when(starts_run).then(position).otherwise(None).forward_fill()
    return (position - run_start).alias(schemas.ORDINAL.name)
