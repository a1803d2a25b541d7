"""The polars validators used with ``@check_output_custom``, and how Hamilton runs them."""

from __future__ import annotations

import itertools
from typing import Any

import polars as pl
import pyarrow as pa
import pytest
from hamilton import ad_hoc_utils, driver
from hamilton.data_quality.base import DataValidationError
from hamilton.function_modifiers import check_output_custom
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton_modules.validators import (
    ArrowSchemaValidator,
    NotNullValidator,
    RowCountValidator,
    UniqueKeyValidator,
    rows_strictly_ascending,
    table_checks,
)

SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("n", pa.int64()),
    ]
)


def frame(ids: list[str | None], ns: list[int | None]) -> pl.DataFrame:
    return pl.DataFrame({"id": ids, "n": ns}, schema={"id": pl.String, "n": pl.Int64})


def test_arrow_schema_validator() -> None:
    validator = ArrowSchemaValidator(schema=SCHEMA)
    assert validator.validate(frame(["a"], [1])).passes
    assert validator.validate(frame([], [])).passes  # an empty table keeps its types
    wrong_type = pl.DataFrame({"id": ["a"], "n": [1.5]})
    result = validator.validate(wrong_type)
    assert not result.passes
    assert result.diagnostics["mismatched_types"] == ["n: Float64 != Int64"]
    missing = validator.validate(pl.DataFrame({"id": ["a"]}))
    assert not missing.passes and missing.diagnostics["missing"] == ["n"]
    reordered = validator.validate(frame(["a"], [1]).select("n", "id"))
    assert not reordered.passes
    assert not validator.validate([1, 2]).passes
    datatypes: list[Any] = [pl.DataFrame, dict]
    assert [validator.applies_to(datatype) for datatype in datatypes] == [True, False]


def test_not_null_validator() -> None:
    validator = NotNullValidator(columns=["id"])
    assert validator.validate(frame(["a", "b"], [None, None])).passes
    result = validator.validate(frame(["a", None], [1, 2]))
    assert not result.passes and result.diagnostics["null_counts"] == {"id": 1}
    assert not NotNullValidator(columns=["nope"]).validate(frame(["a"], [1])).passes


def test_unique_key_validator() -> None:
    validator = UniqueKeyValidator(key=["id", "n"])
    assert validator.validate(frame(["a", "a"], [1, 2])).passes
    result = validator.validate(frame(["a", "a", "b"], [1, 1, 1]))
    assert not result.passes and result.diagnostics["duplicate_rows"] == 2


def test_rows_strictly_ascending_is_the_sorted_order_with_no_equal_rows() -> None:
    # the order of frame.sort(columns, nulls_last=False): a null before any value
    assert rows_strictly_ascending(frame([None, "a", "a", "b"], [1, None, 2, 0]))
    assert rows_strictly_ascending(frame([], []))
    assert rows_strictly_ascending(frame(["a"], [1]))
    assert not rows_strictly_ascending(frame(["a", "a"], [2, 1]))  # not sorted
    assert not rows_strictly_ascending(frame(["b", "a"], [0, 1]))
    assert not rows_strictly_ascending(frame(["a", None], [1, 1]))  # the null comes first
    assert not rows_strictly_ascending(frame(["a", "a"], [1, 1]))  # sorted, equal rows
    assert not rows_strictly_ascending(frame([None, None], [None, None]))
    # floats are left to hashing (NaN, the signed zeros): never taken as ascending
    assert not rows_strictly_ascending(pl.DataFrame({"x": [1.0, 2.0]}))


def test_rows_strictly_ascending_agrees_with_sorting_and_hashing() -> None:
    keys = [None, "", "a", "ab", "b"]
    numbers = [None, -1, 0, 7]
    rows = [(key, number) for key in keys for number in numbers]
    shuffled = frame([row[0] for row in rows[::-1]], [row[1] for row in rows[::-1]])
    ordered = shuffled.sort("id", "n", nulls_last=False)
    assert rows_strictly_ascending(ordered)
    assert not rows_strictly_ascending(shuffled)
    assert not rows_strictly_ascending(pl.concat([ordered.head(7), ordered.slice(6)]))


def _row_order(row: tuple[Any, ...]) -> tuple[tuple[Any, ...], ...]:
    """A row's place in the order of a sort by its columns, a null before any value."""
    return tuple((True, value) if value is not None else (False,) for value in row)


def _ascending_by_definition(rows: list[tuple[Any, ...]]) -> bool:
    """Each row greater than the one before, column by column."""
    return all(_row_order(before) < _row_order(after) for before, after in itertools.pairwise(rows))


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.one_of(st.none(), st.sampled_from(["", "x", "xy"])),
            st.integers(0, 2),
            st.one_of(st.none(), st.integers(-1, 1)),
        ),
        max_size=8,
    ),
    ordered=st.booleans(),
    split=st.integers(0, 8),
)
@settings(max_examples=200, deadline=None)
def test_rows_strictly_ascending_is_its_definition(
    rows: list[tuple[str, str | None, int, int | None]], ordered: bool, split: int
) -> None:
    """Columns with and without nulls, sorted or not, with equal rows or not, in one chunk or
    two: the verdict is the definition's."""
    if ordered:
        rows = sorted(rows, key=_row_order)
    schema = {"a": pl.String, "b": pl.String, "c": pl.Int64, "d": pl.Int64}
    table = pl.DataFrame(rows, schema=schema, orient="row")
    chunked = pl.concat([table.slice(0, split), table.slice(split)], rechunk=False)
    assert rows_strictly_ascending(chunked) == _ascending_by_definition(rows)


def test_unique_key_validator_on_a_frame_in_its_key_order() -> None:
    validator = UniqueKeyValidator(key=["id", "n"])
    ordered = frame(["a", "a", "b"], [1, 2, 1])
    assert validator.validate(ordered).passes
    assert validator.validate(ordered.reverse()).passes  # another order: hashed
    # sorted with a duplicate, or the duplicates apart: the same verdict and diagnostics
    sorted_duplicates = validator.validate(frame(["a", "a", "b"], [1, 1, 1]))
    apart = validator.validate(frame(["a", "b", "a"], [1, 1, 1]))
    for result in (sorted_duplicates, apart):
        assert not result.passes
        assert result.diagnostics["duplicate_rows"] == 2
        assert result.diagnostics["sample"] == [str({"id": "a", "n": 1})]


def test_row_count_validator() -> None:
    assert RowCountValidator(minimum=1, maximum=2).validate(frame(["a"], [1])).passes
    assert not RowCountValidator(minimum=1).validate(frame([], [])).passes
    assert not RowCountValidator(maximum=1).validate(frame(["a", "b"], [1, 2])).passes
    assert RowCountValidator().importance.value == "warn"


def test_table_checks_names_and_importance() -> None:
    checks = table_checks(schema=SCHEMA, key=["id"], key_importance="warn")
    assert [check.name() for check in checks] == [
        "arrow_schema",
        "not_null",
        "unique_key",
        "row_count",
    ]
    assert [check.importance.value for check in checks] == ["fail", "fail", "warn", "warn"]
    assert checks[1].description() == "no nulls in ['id']"


@check_output_custom(*table_checks(schema=SCHEMA, key=["id"]))
def checked_table(ids: list[str]) -> pl.DataFrame:
    return frame(list(ids), [1] * len(ids))


def test_hamilton_runs_them_and_fails_on_a_blocking_violation() -> None:
    module = ad_hoc_utils.create_temporary_module(checked_table)
    dr = driver.Builder().with_modules(module).build()
    ok = dr.execute(["checked_table", "checked_table_unique_key"], inputs={"ids": ["a", "b"]})
    assert ok["checked_table_unique_key"].passes
    with pytest.raises(DataValidationError):
        dr.execute(["checked_table"], inputs={"ids": ["a", "a"]})
    raw = dr.execute(["checked_table_raw", "checked_table_unique_key"], inputs={"ids": ["a", "a"]})
    assert not raw["checked_table_unique_key"].passes
