"""``hamilton_modules.tables``: the helpers every table node uses."""

from __future__ import annotations

import random

import polars as pl
import pytest

from hamilton_modules import schemas, tables
from hamilton_modules.tables import (
    finish_numbered_table,
    finish_table,
    polars_schema,
    with_ordinals,
)


def _by_window(frame: pl.DataFrame, sort_key: str) -> pl.DataFrame:
    """The definition: rows sharing a key are numbered 0, 1, ... in their current order."""
    key = [name for name in schemas.SORT_KEYS[sort_key] if name != schemas.ORDINAL.name]
    return frame.with_columns(
        pl.int_range(pl.len(), dtype=pl.Int64).over(key).alias(schemas.ORDINAL.name)
    )


def _calls(rows: list[tuple[str | None, int, int, str | None, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "path": pl.String,
            "line": pl.Int64,
            "column": pl.Int64,
            "callee": pl.String,
            "note": pl.String,  # not part of the key: tells equal-key rows apart
        },
        orient="row",
    )


def test_rows_sharing_a_key_are_numbered_in_their_current_order() -> None:
    frame = _calls(
        [
            ("b.rs", 3, 1, "f", "first"),
            ("a.rs", 1, 1, "g", "only"),
            ("b.rs", 3, 1, "f", "second"),
            ("b.rs", 3, 1, None, "null callee"),
            ("b.rs", 3, 1, "f", "third"),
            ("b.rs", 3, 1, None, "null callee again"),
            (None, 1, 1, None, "no path"),
            (None, 1, 1, None, "no path again"),
        ]
    )

    numbered = with_ordinals(frame, sort_key="calls")

    assert numbered.columns == [*frame.columns, "ordinal"]
    assert numbered["note"].to_list() == frame["note"].to_list()  # the order is kept
    assert numbered["ordinal"].to_list() == [0, 0, 1, 0, 2, 1, 0, 1]
    assert numbered.equals(_by_window(frame, "calls"))


@pytest.mark.parametrize("seed", range(5))
def test_ordinals_equal_the_window_definition_on_shuffled_rows(seed: int) -> None:
    generator = random.Random(seed)
    rows = [
        (
            generator.choice(["a.rs", "b.rs", "c/d.rs", None]),
            generator.randint(1, 4),
            generator.randint(0, 2),
            generator.choice(["f", "g", "h::i", None]),
            str(index),
        )
        for index in range(300)
    ]
    frame = _calls(rows)

    assert with_ordinals(frame, sort_key="calls").equals(_by_window(frame, "calls"))


def test_an_empty_table_gets_an_empty_ordinal_column() -> None:
    frame = _calls([])

    numbered = with_ordinals(frame, sort_key="calls")

    assert numbered.height == 0
    assert numbered.schema["ordinal"] == pl.Int64


def _extracted_calls(generator: random.Random, *, line_type: pl.DataType) -> pl.DataFrame:
    """Rows of the calls table as a family node numbers them (no ordinal; an extra column),
    with few distinct keys and null keys: many rows share a key."""
    rows = 200
    keys = {
        "path": [generator.choice(["a.rs", "b.rs", None]) for _ in range(rows)],
        "line": [generator.randint(1, 3) for _ in range(rows)],
        "column": [generator.choice([0, 1, None]) for _ in range(rows)],
        "callee": [generator.choice(["f", "g", None]) for _ in range(rows)],
    }
    target = polars_schema(schemas.CALLS)
    return pl.DataFrame(
        {
            **{name: [f"{name}{n}" for n in range(rows)] for name in target if name != "ordinal"},
            "arguments": list(range(rows)),
            "receiver_local": [n % 2 == 0 for n in range(rows)],
            **keys,
            "normalized_path": keys["path"],  # (a column the table does not keep)
        }
    ).with_columns(pl.col("line").cast(line_type))


@pytest.mark.parametrize("seed", range(5))
def test_a_numbered_table_in_one_sort_is_the_table_of_its_ordinals(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """finish_numbered_table: the rows numbered and sorted in one stable sort by the key are
    the table finish_table makes of with_ordinals' rows (the same values, order, chunks and
    sorted flags); with_ordinals is not asked. A key column of another type than the table's
    (a cast might change the order) takes the three sorts, with the same table."""
    generator = random.Random(seed)
    numbering: list[int] = []
    numbered = tables.with_ordinals

    def counted(frame: pl.DataFrame, *, sort_key: str) -> pl.DataFrame:
        numbering.append(frame.height)
        return numbered(frame, sort_key=sort_key)

    for line_type, asked in ((pl.Int64(), []), (pl.Int32(), [200])):
        frame = _extracted_calls(generator, line_type=line_type)
        expected = finish_table(
            numbered(frame, sort_key="calls"), table_schema=schemas.CALLS, sort_key="calls"
        )
        monkeypatch.setattr(tables, "with_ordinals", counted)
        made = finish_numbered_table(frame, table_schema=schemas.CALLS, sort_key="calls")
        monkeypatch.undo()
        assert numbering == asked
        assert made.equals(expected)
        assert made.schema == expected.schema
        assert (made.n_chunks(), made.flags) == (expected.n_chunks(), expected.flags)
        numbering.clear()
