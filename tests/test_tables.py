"""``hamilton_modules.tables``: the helpers every table node uses."""

from __future__ import annotations

import random

import polars as pl
import pytest

from hamilton_modules import schemas
from hamilton_modules.tables import with_ordinals


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
