"""Polars validators for ``@check_output_custom``: Hamilton ships none that accept polars objects.

Each validator has its own ``name()`` because Hamilton names the validator node
``<node>_<name>``; a table carries at most one of each. :func:`table_checks` builds the standard
set for a table of ``schemas.py``: Arrow schema and unique key are ``fail`` (a wrong table must not
be written), non-null columns ``fail``, row-count bounds ``warn`` unless asked otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
import pyarrow as pa
from hamilton.data_quality.base import DataValidator, ValidationResult

from hamilton_modules.tables import ordered_totally, polars_schema

_SAMPLE = 5  # offending values reported in diagnostics


def _applies_to_polars(datatype: type) -> bool:
    return isinstance(datatype, type) and issubclass(datatype, pl.DataFrame)


class ArrowSchemaValidator(DataValidator):
    """The frame converts to exactly this Arrow schema (names, order, types)."""

    def __init__(self, *, schema: pa.Schema, importance: str = "fail") -> None:
        super().__init__(importance)
        self.schema = schema

    def applies_to(self, datatype: type[type]) -> bool:
        return _applies_to_polars(datatype)

    def description(self) -> str:
        return f"Arrow schema is {self.schema.names}"

    @classmethod
    def name(cls) -> str:
        return "arrow_schema"

    def validate(self, dataset: Any) -> ValidationResult:
        if not isinstance(dataset, pl.DataFrame):
            return ValidationResult(False, f"expected a polars DataFrame, got {type(dataset)}")
        # polars has one string type (Arrow large_string/string_view on export), so the frame is
        # compared with the polars schema that the Arrow schema maps to: names, order and types.
        expected = [(name, str(dtype)) for name, dtype in polars_schema(self.schema).items()]
        got = [(name, str(dtype)) for name, dtype in dataset.schema.items()]
        if got == expected:
            return ValidationResult(True, "schema matches", {"columns": len(expected)})
        expected_types, got_types = dict(expected), dict(got)
        missing = sorted(set(expected_types) - set(got_types))
        extra = sorted(set(got_types) - set(expected_types))
        mismatched = sorted(
            f"{name}: {got_types[name]} != {type_}"
            for name, type_ in expected
            if name in got_types and got_types[name] != type_
        )
        return ValidationResult(
            False,
            f"schema differs: missing {missing}, extra {extra}, types {mismatched}, "
            f"order {[name for name, _ in got]}",
            {"missing": missing, "extra": extra, "mismatched_types": mismatched},
        )


class NotNullValidator(DataValidator):
    """The listed columns hold no nulls."""

    def __init__(self, *, columns: Sequence[str], importance: str = "fail") -> None:
        super().__init__(importance)
        self.columns = tuple(columns)

    def applies_to(self, datatype: type[type]) -> bool:
        return _applies_to_polars(datatype)

    def description(self) -> str:
        return f"no nulls in {list(self.columns)}"

    @classmethod
    def name(cls) -> str:
        return "not_null"

    def validate(self, dataset: Any) -> ValidationResult:
        frame: pl.DataFrame = dataset
        missing = [column for column in self.columns if column not in frame.columns]
        if missing:
            return ValidationResult(False, f"columns missing: {missing}", {"missing": missing})
        counts = {column: frame[column].null_count() for column in self.columns}
        offending = {column: count for column, count in counts.items() if count}
        if offending:
            return ValidationResult(False, f"nulls in {offending}", {"null_counts": offending})
        return ValidationResult(True, "no nulls", {"checked_columns": list(self.columns)})


def rows_strictly_ascending(frame: pl.DataFrame) -> bool:
    """Whether every row of ``frame`` is greater than the row before it, column by column (the
    order of ``frame.sort(*frame.columns, nulls_last=False)``, a null before any value): then no
    two rows are equal. False as well when a column's type has no total order.

    A table leaves the dataflow sorted by its ``SORT_KEYS`` (``tables.finish_table``), which begin
    with its unique key: comparing each row with the next is one pass and no hashing. The order is
    checked here, not assumed: a frame in any other order, or with two equal rows, gives False.
    (Series operations on each column's rows and the rows after them, no query: a query's plan
    cost most of the check of a small table, ~1.2 against ~0.4 ms for tokio's 8,598 symbols; a
    column without nulls compares with no null handling.)
    """
    if frame.height < 2:
        return True
    if not all(ordered_totally(dtype) for dtype in frame.dtypes):
        return False
    greater: pl.Series | None = None
    for name in reversed(frame.columns):
        column = frame.get_column(name)
        value, before = column.slice(1), column.slice(0, frame.height - 1)
        nulls = column.null_count() > 0
        if nulls:
            above = (value > before).fill_null(False) | (before.is_null() & value.is_not_null())
        else:
            above = value > before
        if greater is None:  # (the last column: no column after it to break a tie)
            greater = above
            continue
        equal = value.eq_missing(before) if nulls else value == before
        greater = above | (equal & greater)
    assert greater is not None
    return bool(greater.all())


class UniqueKeyValidator(DataValidator):
    """No two rows share the same values in the key columns (one pass over a frame sorted by
    them, ``rows_strictly_ascending``; hashed otherwise)."""

    def __init__(self, *, key: Sequence[str], importance: str = "fail") -> None:
        super().__init__(importance)
        self.key = tuple(key)

    def applies_to(self, datatype: type[type]) -> bool:
        return _applies_to_polars(datatype)

    def description(self) -> str:
        return f"unique key {list(self.key)}"

    @classmethod
    def name(cls) -> str:
        return "unique_key"

    def validate(self, dataset: Any) -> ValidationResult:
        frame: pl.DataFrame = dataset
        missing = [column for column in self.key if column not in frame.columns]
        if missing:
            return ValidationResult(False, f"key columns missing: {missing}", {"missing": missing})
        keys = frame.select(self.key)
        if rows_strictly_ascending(keys):
            return ValidationResult(True, "key is unique", {"rows": frame.height})
        flags = keys.is_duplicated()
        if flags.any():
            duplicated = keys.filter(flags)
            sample = duplicated.unique(maintain_order=True).head(_SAMPLE).to_dicts()
            return ValidationResult(
                False,
                f"{duplicated.height} rows share a key {list(self.key)}",
                {"duplicate_rows": duplicated.height, "sample": [str(row) for row in sample]},
            )
        return ValidationResult(True, "key is unique", {"rows": frame.height})


class RowCountValidator(DataValidator):
    """``minimum <= rows <= maximum`` (``maximum`` None = unbounded)."""

    def __init__(
        self, *, minimum: int = 0, maximum: int | None = None, importance: str = "warn"
    ) -> None:
        super().__init__(importance)
        self.minimum = minimum
        self.maximum = maximum

    def applies_to(self, datatype: type[type]) -> bool:
        return _applies_to_polars(datatype)

    def description(self) -> str:
        return (
            f"row count in [{self.minimum}, {self.maximum if self.maximum is not None else 'inf'}]"
        )

    @classmethod
    def name(cls) -> str:
        return "row_count"

    def validate(self, dataset: Any) -> ValidationResult:
        rows = dataset.height
        ok = rows >= self.minimum and (self.maximum is None or rows <= self.maximum)
        message = f"{rows} rows, expected {self.description().removeprefix('row count ')}"
        return ValidationResult(ok, message, {"rows": rows})


def non_nullable_columns(schema: pa.Schema) -> list[str]:
    return [field.name for field in schema if not field.nullable]


def table_checks(
    *,
    schema: pa.Schema,
    key: Sequence[str],
    min_rows: int = 0,
    max_rows: int | None = None,
    key_importance: str = "fail",
) -> list[DataValidator]:
    """The standard validators of one table: schema, non-null, unique key, row-count bounds.

    ``key_importance`` may lower the unique-key check to ``warn`` for a table whose key is only
    expected to be unique.
    """
    return [
        ArrowSchemaValidator(schema=schema),
        NotNullValidator(columns=non_nullable_columns(schema)),
        UniqueKeyValidator(key=key, importance=key_importance),
        RowCountValidator(minimum=min_rows, maximum=max_rows),
    ]
