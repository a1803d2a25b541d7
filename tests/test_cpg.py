"""Unit tests of the column-wise CPG building blocks (hamilton_modules/cpg.py, cpg_model.py).

The end-to-end rows of every resolution rule are asserted by tests/test_dataflow*.py; these pin
the pieces that replaced per-row Python to the per-row definitions they must equal, plus the
JavaScript object-literal scopes end to end (TYPE_DECL nodes of their own) and what `this` is
in ES5 constructors and prototype methods.
"""

from __future__ import annotations

import abc
import collections
import copy
import dataclasses
import io
import operator
import re
import shutil
import subprocess
import typing
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton_modules import cpg, cpg_model, memos, schemas
from hamilton_modules.cpg_model import (
    call_node_ids,
    forget_recent_ids,
    frame_node_ids,
    hash_ids,
    node_id,
)
from hamilton_modules.tables import finish_table, rows_to_frame
from tests.dataflow_support import rows, run_dataflow, write_repo
from tests.test_dataflow import described_edges

_SEGMENT_SPLIT = re.compile(r"::|\.|->")
# Texts made of separator characters and a few letters hit every split corner case.
_TEXTS = st.text(alphabet=st.sampled_from(list(":.->ab_é")), max_size=12)


@given(
    rows=st.lists(
        st.tuples(
            st.text(min_size=1, max_size=8),
            st.sampled_from(["METHOD", "TYPE_DECL", "CALL"]),
            st.text(max_size=8),
            st.integers(min_value=0, max_value=10**6),
            st.integers(min_value=0, max_value=500),
            st.integers(min_value=0, max_value=3),
        ),
        max_size=20,
    )
)
@settings(max_examples=60, deadline=None)
def test_frame_node_ids_equal_node_id_row_by_row(
    rows: list[tuple[str, str, str, int, int, int]],
) -> None:
    frame = pl.DataFrame(
        rows,
        schema={
            "path": pl.String,
            "label": pl.String,
            "qname": pl.String,
            "line": pl.Int64,
            "column": pl.Int64,
            "ordinal": pl.Int64,
        },
        orient="row",
    )
    ids = frame_node_ids(
        frame,
        path=pl.col("path"),
        label=pl.col("label"),
        qualified_name=pl.col("qname"),
        start_line=pl.col("line"),
        start_column=pl.col("column"),
        ordinal=pl.col("ordinal"),
    )
    expected = [
        node_id(
            path=path,
            label=label,
            qualified_name=qname,
            start_line=line,
            start_column=column,
            ordinal=ordinal,
        )
        for path, label, qname, line, column, ordinal in rows
    ]
    assert ids.to_list() == expected


def test_hash_ids_again_gives_the_same_ids_under_the_new_name() -> None:
    """cpg_nodes and cpg_edges hash the same texts; the second call is answered from the first."""
    texts = ["a.py\x1fFILE\x1fa.py\x1f0\x1f0", "b.py\x1fCALL\x1ff\x1f3\x1f4\x1f1"]
    expected = [
        node_id(path="a.py", label="FILE", qualified_name="a.py", start_line=0, start_column=0),
        node_id(
            path="b.py", label="CALL", qualified_name="f", start_line=3, start_column=4, ordinal=1
        ),
    ]
    first = hash_ids(pl.Series("first", texts))
    again = hash_ids(pl.Series("again", texts))
    assert first.to_list() == again.to_list() == expected
    assert (first.name, again.name) == ("first", "again")
    assert again.dtype == pl.String


def test_hash_ids_of_texts_changed_in_place_are_those_of_the_new_texts() -> None:
    """A Series changed in place after a call is not answered with the ids of its old texts."""
    texts = pl.Series("id", ["p.rs\x1fMETHOD\x1fold\x1f1\x1f0", "p.rs\x1fMETHOD\x1fg\x1f2\x1f0"])
    hash_ids(texts)
    texts.scatter(0, "p.rs\x1fMETHOD\x1fnew\x1f1\x1f0")
    assert hash_ids(texts).to_list() == [
        node_id(path="p.rs", label="METHOD", qualified_name=name, start_line=line, start_column=0)
        for name, line in (("new", 1), ("g", 2))
    ]


def test_hash_ids_keeps_its_recent_results_within_the_byte_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [
        pl.Series("id", [f"p.rs\x1fMETHOD\x1ff{i}_{n}\x1f1\x1f0" for n in range(500)])
        for i in range(3)
    ]
    one = texts[0].estimated_size() + hash_ids(texts[0]).estimated_size()
    monkeypatch.setattr(cpg_model, "RECENT_IDS_MAX_BYTES", 2 * one)
    for text in texts:
        hash_ids(text)
    kept = [known.to_list() for known, _ in cpg_model._RECENT_IDS]
    assert kept == [texts[1].to_list(), texts[2].to_list()]  # the oldest went
    monkeypatch.setattr(cpg_model, "RECENT_IDS_MAX_BYTES", one - 1)
    larger = pl.Series("id", [f"q.rs\x1fCALL\x1fg{n}\x1f2\x1f0" for n in range(600)])
    assert hash_ids(larger).to_list() == [
        node_id(path="q.rs", label="CALL", qualified_name=f"g{n}", start_line=2, start_column=0)
        for n in range(600)
    ]
    assert not cpg_model._RECENT_IDS  # a result over the bound is not kept, nor are older ones


def test_hash_ids_of_an_edit_hash_only_the_texts_no_recent_result_of_nearest_length_has(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An edit moves the lines of one file's rows: a column no recent result equals takes the
    ids of the texts the recent result of the nearest length shares with it and hashes the
    others; a result with a text twice is no source (a join would repeat its rows)."""
    monkeypatch.setattr(cpg_model, "_RECENT_IDS", collections.deque(maxlen=4))
    monkeypatch.setattr(cpg_model, "NEAREST_IDS_MIN_TEXTS", 3)
    hashed: list[str] = []
    hashing = cpg_model._hashed

    def counted(texts: pl.Series) -> pl.Series:
        hashed.extend(texts.to_list())
        return hashing(texts)

    monkeypatch.setattr(cpg_model, "_hashed", counted)

    def calls(lines: list[int]) -> pl.Series:
        return pl.Series(
            "id", [f"p.rs\x1fCALL\x1ff{n}\x1f{line}\x1f0" for n, line in enumerate(lines)]
        )

    def expected(lines: list[int]) -> list[str]:
        return [
            node_id(
                path="p.rs", label="CALL", qualified_name=f"f{n}", start_line=line, start_column=0
            )
            for n, line in enumerate(lines)
        ]

    hash_ids(pl.Series("id", ["a\x1fFILE\x1fa\x1f0\x1f0"]))  # (a result of another length)
    hashed.clear()
    hash_ids(calls([1, 2, 3, 4, 5, 6]))  # (no recent result within a quarter of its length)
    assert len(hashed) == 6
    hashed.clear()
    edited = [1, 2, 3, 5, 6, 7, 8]  # a line added after line 3 (and a call at its end)
    assert hash_ids(calls(edited)).to_list() == expected(edited)
    assert hashed == calls([0, 0, 0, 5, 6, 7, 8]).to_list()[3:]  # (the first three were known)
    twice = pl.Series("id", calls([1, 2, 3, 4]).to_list() * 2)
    monkeypatch.setattr(cpg_model, "_RECENT_IDS", collections.deque(maxlen=4))
    hash_ids(twice)
    hashed.clear()
    other = [1, 2, 3, 4, 5, 6, 7, 9]
    assert hash_ids(calls(other)).to_list() == expected(other)
    assert len(hashed) == len(other)


def test_hash_ids_takes_no_recent_result_of_another_label_as_nearest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A recent result of another label (the texts' second field) shares no text with a column
    of about its length (dagster's IMPORT ids and METHOD ids): no join is tried with it; one of
    the same label is taken."""
    monkeypatch.setattr(cpg_model, "_RECENT_IDS", collections.deque(maxlen=4))
    monkeypatch.setattr(cpg_model, "NEAREST_IDS_MIN_TEXTS", 3)
    sources: list[list[str]] = []
    nearest = cpg_model._ids_from_nearest

    def noted(texts: pl.Series, known: tuple[pl.Series, pl.Series]) -> pl.Series | None:
        sources.append(known[0].to_list())
        return nearest(texts, known)

    monkeypatch.setattr(cpg_model, "_ids_from_nearest", noted)

    def texts(label: str, lines: list[int]) -> pl.Series:
        return pl.Series(
            "id", [f"p.rs\x1f{label}\x1ff{n}\x1f{line}\x1f0" for n, line in enumerate(lines)]
        )

    methods = texts("METHOD", [1, 2, 3, 4, 5, 6])
    hash_ids(methods)
    imports = texts("IMPORT", [1, 2, 3, 4, 5, 7])
    assert hash_ids(imports).to_list() == [
        node_id(
            path="p.rs", label="IMPORT", qualified_name=f"f{n}", start_line=line, start_column=0
        )
        for n, line in enumerate([1, 2, 3, 4, 5, 7])
    ]
    assert sources == []
    hash_ids(texts("METHOD", [1, 2, 3, 4, 5, 8]))
    assert sources == [methods.to_list()]


def test_hash_ids_keeps_a_result_used_again_before_newer_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The least recently used result goes first, not the oldest: a watch's rebuild hashed small
    columns before the large ones it used again, and those went."""
    monkeypatch.setattr(cpg_model, "_RECENT_IDS", collections.deque(maxlen=2))
    first, second, third = (
        pl.Series("id", [f"p.rs\x1fMETHOD\x1ff{i}\x1f1\x1f0"]) for i in range(3)
    )
    for texts in (first, second, first, third):
        hash_ids(texts)
    kept = [known.to_list() for known, _ in cpg_model._RECENT_IDS]
    assert kept == [first.to_list(), third.to_list()]


def _id_texts_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of id texts ``frame_node_ids`` builds and looks up, call by call."""
    built: list[int] = []
    recent_ids = cpg_model._recent_ids

    def counted(texts: pl.Series) -> tuple[pl.Series, pl.Series]:
        built.append(texts.len())
        return recent_ids(texts)

    monkeypatch.setattr(cpg_model, "_recent_ids", counted)
    monkeypatch.setattr(cpg_model, "_RECENT_FRAME_IDS", collections.deque(maxlen=4))
    return built


def _calls_frame(lines: list[int], *, line_type: pl.DataType | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "path": ["p.rs"] * len(lines),
            "callee": [f"f{n}" for n in range(len(lines))],
            "line": pl.Series(lines, dtype=line_type or pl.Int64()),
            "column": [0] * len(lines),
            "ordinal": [0] * len(lines),
        }
    )


def _expected_call_ids(lines: list[int]) -> list[str]:
    return [
        node_id(path="p.rs", label="CALL", qualified_name=f"f{n}", start_line=line, start_column=0)
        for n, line in enumerate(lines)
    ]


def test_frame_node_ids_of_an_equal_frame_come_from_the_recent_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """cpg_nodes and cpg_edges ask for the ids of the same calls, and a --watch rebuild after an
    edit that moves no call asks again: an equal frame (another object) with the same fields
    gets the recent ids without its id texts being built; a frame of other rows, other column
    types or other fields gets its own."""
    built = _id_texts_counted(monkeypatch)
    first = call_node_ids(_calls_frame([1, 2, 3]))
    assert first.to_list() == _expected_call_ids([1, 2, 3])
    assert built == [3]
    again = call_node_ids(_calls_frame([1, 2, 3]).with_columns(callee_name=pl.lit("x")))
    assert (again.name, again.to_list()) == ("id", first.to_list())
    assert built == [3]  # (only the columns the ids read are compared)
    assert call_node_ids(_calls_frame([1, 2, 4])).to_list() == _expected_call_ids([1, 2, 4])
    assert built == [3, 3]
    assert call_node_ids(_calls_frame([1, 2, 3], line_type=pl.Int32())).to_list() == first.to_list()
    assert built == [3, 3, 3]  # (an Int32 line equals an Int64 one; the types differ)
    methods = frame_node_ids(
        _calls_frame([1, 2, 3]),
        path=pl.col("path"),
        label=pl.lit("METHOD"),
        qualified_name=pl.col("callee"),
        start_line=pl.col("line"),
        start_column=pl.col("column"),
        ordinal=pl.col("ordinal"),
    )
    assert methods.to_list() == [
        node_id(
            path="p.rs", label="METHOD", qualified_name=f"f{n}", start_line=line, start_column=0
        )
        for n, line in enumerate([1, 2, 3])
    ]
    assert built == [3, 3, 3, 3]


def test_frame_node_ids_of_a_frame_with_a_float_column_are_made_anew(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``equals`` takes 0.0 for -0.0, whose texts differ: such a frame is never answered from a
    recent result."""
    built = _id_texts_counted(monkeypatch)
    fields = {
        "path": pl.col("path"),
        "label": pl.lit("CALL"),
        "qualified_name": pl.col("weight").cast(pl.String),
        "start_line": pl.lit(1),
        "start_column": pl.lit(0),
        "ordinal": pl.lit(0),
    }
    positive = frame_node_ids(pl.DataFrame({"path": ["p.rs"], "weight": [0.0]}), **fields)
    negative = frame_node_ids(pl.DataFrame({"path": ["p.rs"], "weight": [-0.0]}), **fields)
    assert positive.to_list() != negative.to_list()
    assert built == [1, 1]


def test_frame_node_ids_of_fields_with_another_float_literal_are_made_anew() -> None:
    """``meta.eq`` takes ``lit(0.0)`` for ``lit(-0.0)``, whose texts differ: fields are compared
    as they serialize (review r18b)."""
    frame = pl.DataFrame({"path": ["p.rs"]})

    def ids(weight: float) -> list[str]:
        fields = {
            "path": pl.col("path"),
            "label": pl.lit("CALL"),
            "qualified_name": pl.lit(weight).cast(pl.String),
            "start_line": pl.lit(1),
            "start_column": pl.lit(0),
            "ordinal": pl.lit(0),
        }
        return frame_node_ids(frame, **fields).to_list()

    positive, negative = ids(0.0), ids(-0.0)
    assert positive != negative
    forget_recent_ids()
    assert ids(-0.0) == negative


def test_frame_node_ids_keeps_its_recent_results_within_the_byte_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built = _id_texts_counted(monkeypatch)
    frames = [_calls_frame(list(range(start, start + 300))) for start in (100, 400, 700)]
    call_node_ids(frames[0])
    (entry,) = cpg_model._RECENT_FRAME_IDS
    one = cpg_model._frame_ids_size(entry)
    monkeypatch.setattr(cpg_model, "RECENT_IDS_MAX_BYTES", 2 * one)
    for frame in frames[1:]:
        call_node_ids(frame)
    kept = [
        known.equals(frame)
        for (known, *_), frame in zip(cpg_model._RECENT_FRAME_IDS, frames[1:], strict=True)
    ]
    assert kept == [True, True]  # the oldest went
    built.clear()
    call_node_ids(frames[0])
    assert built == [300]


def test_frame_node_ids_from_a_recent_result_keep_its_texts_recently_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A frame answered from a recent result does not reach ``hash_ids``: the ids of its texts
    are made the most recently used there too, the nearest ones when an edit changes that
    frame."""
    _id_texts_counted(monkeypatch)
    monkeypatch.setattr(cpg_model, "_RECENT_IDS", collections.deque(maxlen=2))
    call_node_ids(_calls_frame([1, 2, 3]))
    hash_ids(pl.Series("id", ["a\x1fFILE\x1fa\x1f0\x1f0"]))
    call_node_ids(_calls_frame([1, 2, 3]))
    hash_ids(pl.Series("id", ["b\x1fFILE\x1fb\x1f0\x1f0"]))
    assert [known.len() for known, _ in cpg_model._RECENT_IDS] == [3, 1]


def test_call_node_ids_of_an_empty_table_are_an_empty_string_column() -> None:
    ids = call_node_ids(rows_to_frame([], schemas.CALLS))
    assert ids.dtype == pl.String
    assert ids.len() == 0


@given(texts=st.lists(_TEXTS, max_size=30))
@settings(max_examples=80, deadline=None)
def test_segments_equal_the_regex_split(texts: list[str]) -> None:
    """``::``, ``.`` and ``->`` split a text; empty parts are dropped (``a::::b`` = a, b)."""
    frame = pl.DataFrame(
        {"language": ["rust"] * len(texts), "text": texts},
        schema_overrides={"language": pl.String, "text": pl.String},
    )
    got = cpg._with_segments(frame)
    assert got.height == len(texts)
    for text, count, head, tail, rest, whole in got.select(
        "text", "_count", "head", "_tail", "_rest", "_whole"
    ).iter_rows():
        expected = [part for part in _SEGMENT_SPLIT.split(text) if part]
        assert count == len(expected), text
        assert head == (expected[0] if expected else None)
        assert tail == (expected[-1] if expected else None)
        assert whole == "::".join(expected)
        assert rest == "::".join(expected[1:])


def test_segments_are_joined_with_each_languages_separator() -> None:
    frame = pl.DataFrame({"language": ["rust", "python", "go"], "text": ["a.b::c"] * 3})
    got = cpg._with_segments(frame).sort("language")
    assert got["_whole"].to_list() == ["a.b.c", "a.b.c", "a::b::c"]


_EDGE_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["s1", "s2", "s3"]),
        st.sampled_from(["d1", "d2", "unresolved:f", "unresolved:g"]),
        st.sampled_from(["CONTAINS", "CALLS", "IMPORTS", "INHERITS_FROM"]),
    ),
    max_size=40,
)


def test_collected_frames_are_their_eager_chains_row_for_row() -> None:
    """``cpg_model.collected`` runs a plan as its eager operations would (the in-memory engine,
    no plan rewrite): the same rows in the same order, where ``collect``'s default engine (the
    streaming one) orders a join's rows otherwise; several frames at once, each its own."""
    left = pl.DataFrame({"k": [i % 5000 for i in range(200_000)], "v": range(200_000)})
    right = pl.DataFrame({"k": range(5000), "w": [str(i) for i in range(5000)]})
    eager = [
        left.join(right, on="k", how="inner"),
        left.join(right.filter(pl.col("k") % 2 == 0), on="k", how="left").filter(
            pl.col("v") % 3 == 0
        ),
        right.join(left, on="k", how="anti"),
    ]
    planned = [
        left.lazy().join(right.lazy(), on="k", how="inner"),
        left.lazy()
        .join(right.lazy().filter(pl.col("k") % 2 == 0), on="k", how="left")
        .filter(pl.col("v") % 3 == 0),
        right.lazy().join(left.lazy(), on="k", how="anti"),
    ]
    for frame, expected in zip(cpg_model.collected(*planned), eager, strict=True):
        assert frame.equals(expected)
    assert cpg_model.collected() == []


@given(parts=st.lists(_EDGE_ROWS, max_size=5))
@settings(max_examples=80, deadline=None)
def test_finish_edges_equals_finish_table_of_the_distinct_rows(
    parts: list[list[tuple[str, str, str]]],
) -> None:
    frames = [
        rows_to_frame(
            [
                {"src": src, "dst": dst, "label": label, "resolved": not dst.startswith("u")}
                for src, dst, label in rows
            ],
            schemas.CPG_EDGES,
        )
        for rows in parts
    ]
    expected = finish_table(
        pl.concat([*frames, rows_to_frame([], schemas.CPG_EDGES)]).unique(maintain_order=True),
        table_schema=schemas.CPG_EDGES,
        sort_key="cpg_edges",
    )
    got = cpg._finish_edges(frames)
    assert got.equals(expected)
    assert got.schema == expected.schema
    assert _parquet_bytes(got) == _parquet_bytes(expected)  # chunk layout included


def _edge_rows_frame(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    return rows_to_frame(
        [
            {"src": src, "dst": dst, "label": label, "resolved": not dst.startswith("u")}
            for src, dst, label in rows
        ],
        schemas.CPG_EDGES,
    )


def _finished_table(frames: list[pl.DataFrame]) -> pl.DataFrame:
    return finish_table(
        pl.concat([*frames, rows_to_frame([], schemas.CPG_EDGES)]).unique(maintain_order=True),
        table_schema=schemas.CPG_EDGES,
        sort_key="cpg_edges",
    )


# an edit of one part: (which part, where, how many rows taken out, the rows put in)
_PART_EDITS = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 40), st.integers(0, 3), _EDGE_ROWS),
    max_size=4,
)


@given(parts=st.lists(_EDGE_ROWS, min_size=1, max_size=5), runs=st.lists(_PART_EDITS, max_size=4))
@settings(max_examples=80, deadline=None)
def test_finish_edges_of_parts_edited_run_after_run_equals_finish_table(
    parts: list[list[tuple[str, str, str]]],
    runs: list[list[tuple[int, int, int, list[tuple[str, str, str]]]]],
) -> None:
    """``_finish_edges`` keeps each label's last edges and splices them when its parts changed
    in a few rows (``_LastFinished``): run after run of parts edited in place (rows taken out
    and put in, rows several parts share, parts of several labels), each result is
    ``finish_table`` of the distinct rows, its Parquet bytes too."""
    memos.forget_all()
    current = [list(rows) for rows in parts]
    for edits in [[], *runs]:
        _edit_parts(current, edits)
        frames = [_edge_rows_frame(rows) for rows in current]
        expected = _finished_table(frames)
        got = cpg._finish_edges(frames)
        assert got.equals(expected)
        assert got.schema == expected.schema
        assert _parquet_bytes(got) == _parquet_bytes(expected)


def test_finish_edges_splices_the_last_edges_of_parts_that_changed_in_a_few_rows() -> None:
    """A label whose parts are the last run's is its last edges; one whose part lost a row and
    gained one, or lost twenty and gained thirty, is the last edges spliced, not sorted again;
    one whose parts changed in more rows than a splice pays for (``_MAX_SPLICED_ROWS``) is
    sorted again; each ``finish_table``'s rows."""
    memos.forget_all()
    parts = [
        [(f"s{i % 97:03}", f"d{i:05}", label) for i in range(2000)]
        for label in ("CALLS", "CONTAINS", "CONTAINS")
    ]
    frames = [_edge_rows_frame(rows) for rows in parts]
    made = cpg._LAST_FINISHED.made
    before = made.copy()
    assert cpg._finish_edges(frames).equals(_finished_table(frames))
    assert made["sorted"] == before["sorted"] + 2
    assert cpg._finish_edges(frames).equals(_finished_table(frames))
    assert made["same"] == before["same"] + 2
    parts[2][1000] = ("s000", "d99999", "CONTAINS")  # (a source whose edges it moves past)
    edited = [_edge_rows_frame(rows) for rows in parts]
    got = cpg._finish_edges(edited)
    assert got.equals(_finished_table(edited))
    assert got.n_chunks() == 1
    assert (made["same"], made["spliced"]) == (before["same"] + 3, before["spliced"] + 1)
    # many rows changed (merged with the last edges by their places, not one by one)
    parts[1][600:620] = [(f"s{i % 89:03}", f"e{i:05}", "CONTAINS") for i in range(30)]
    edited = [_edge_rows_frame(rows) for rows in parts]
    got = cpg._finish_edges(edited)
    assert got.equals(_finished_table(edited))
    assert got.n_chunks() == 1
    assert made["spliced"] == before["spliced"] + 2
    # more rows than a splice pays for (review r18b: slower than a sort above ~100)
    parts[1][700:800] = [(f"s{i % 83:03}", f"f{i:05}", "CONTAINS") for i in range(150)]
    edited = [_edge_rows_frame(rows) for rows in parts]
    sorted_before = made["sorted"]
    got = cpg._finish_edges(edited)
    assert got.equals(_finished_table(edited))
    assert (made["spliced"], made["sorted"]) == (before["spliced"] + 2, sorted_before + 1)


@given(old=_EDGE_ROWS, new=_EDGE_ROWS)
@settings(max_examples=80, deadline=None)
def test_unmatched_rows_are_those_one_middle_has_more_often_than_the_other(
    old: list[tuple[str, str, str]], new: list[tuple[str, str, str]]
) -> None:
    """``_unmatched_rows`` against its definition in plain Python (rows that repeat included)."""
    ((gone, came),) = cpg._unmatched_rows([(_edge_rows_frame(old), _edge_rows_frame(new))])
    counted = [collections.Counter(_edge_rows_frame(rows).iter_rows()) for rows in (old, new)]
    assert collections.Counter(gone.iter_rows()) == counted[0] - counted[1]
    assert collections.Counter(came.iter_rows()) == counted[1] - counted[0]
    assert gone.schema == came.schema == _edge_rows_frame([]).schema


def test_a_part_whose_rows_came_in_another_order_is_spliced_not_sorted() -> None:
    """A part whose rows differ from the last ones in their order (the changed file's CALLS
    edges of a resolution come in another order run after run), more rows than a splice takes,
    is the last edges (``same``) when nothing else changed, and the last edges spliced when a
    row of it changed too; nodes likewise; each ``finish_table``'s rows."""
    memos.forget_all()
    rows = [(f"s{i % 97:03}", f"d{i:05}", "CALLS") for i in range(2000)]
    cpg._finish_edges([_edge_rows_frame(rows)])
    made = cpg._LAST_FINISHED.made
    before = made.copy()
    rows[1800:] = reversed(rows[1800:])  # (200 rows, more than _MAX_SPLICED_ROWS)
    got = cpg._finish_edges([_edge_rows_frame(rows)])
    assert got.equals(_finished_table([_edge_rows_frame(rows)]))
    assert (made["same"], made["sorted"]) == (before["same"] + 1, before["sorted"])
    rows[1800:] = reversed(rows[1800:])
    rows[1900] = ("s000", "d99999", "CALLS")
    got = cpg._finish_edges([_edge_rows_frame(rows)])
    assert got.equals(_finished_table([_edge_rows_frame(rows)]))
    assert got.n_chunks() == 1
    assert (made["spliced"], made["sorted"]) == (before["spliced"] + 1, before["sorted"])
    nodes = [(f"{(n * 7919) % 100_000:024x}", 1) for n in range(3000)]
    cpg._LAST_NODES.finished([_node_rows_frame(nodes)])
    nodes[2800:] = reversed(nodes[2800:])
    nodes[2900] = (nodes[2900][0], 2)  # (a new end line, the same id)
    node_made = cpg._LAST_NODES.made
    node_before = node_made.copy()
    got = cpg._LAST_NODES.finished([_node_rows_frame(nodes)])
    assert got.equals(_sorted_nodes_table([_node_rows_frame(nodes)]))
    assert (node_made["spliced"], node_made["sorted"]) == (
        node_before["spliced"] + 1,
        node_before["sorted"],
    )


def test_a_spliced_label_alone_is_one_chunk_as_a_sort_gives_it() -> None:
    """Edges of one label (``concat`` of one frame returns it as it is): a splice's pieces are
    made one chunk (review r18b)."""
    memos.forget_all()
    rows = [(f"s{i % 97:03}", f"d{i:05}", "CONTAINS") for i in range(2000)]
    cpg._finish_edges([_edge_rows_frame(rows)])
    rows[1000] = ("s000", "d99999", "CONTAINS")
    made = cpg._LAST_FINISHED.made
    spliced = made["spliced"]
    got = cpg._finish_edges([_edge_rows_frame(rows)])
    assert made["spliced"] == spliced + 1
    assert got.equals(_finished_table([_edge_rows_frame(rows)]))
    assert got.n_chunks() == 1


# Symbols with their parent's label (``_with_parent_labels``): (language, label, qualified
# name, kind, parent's label, up, path, start line); ids are their places.
_PARENTED_SYMBOLS = st.lists(
    st.tuples(
        st.sampled_from(["rust", "java", "python"]),
        st.sampled_from(["METHOD", "TYPE_DECL"]),
        st.sampled_from(["m.a", "m.b"]),
        st.sampled_from(["function", "method", "impl", "struct"]),
        st.sampled_from([None, "METHOD", "TYPE_DECL"]),
        st.sampled_from([None, "u1", "u2"]),
        st.sampled_from(["p.rs", "q.rs"]),
        st.integers(1, 3),
    ),
    max_size=14,
)


@given(symbols=_PARENTED_SYMBOLS)
@settings(max_examples=200, deadline=None)
def test_reachable_symbols_are_their_definition(symbols: list[tuple[typing.Any, ...]]) -> None:
    """``_reachable_symbols`` against its definition in plain Python: of the rows but a
    function local to a function, each (language, label, qualified name)'s first by (impl,
    path, line descending, id descending), in that order, with what its rows add up to."""
    names = ["language", "label", "qualified_name", "kind", "_up_label", "up", "path", "start_line"]
    rows: list[dict[str, typing.Any]] = [
        {**dict(zip(names, symbol, strict=True)), "name": symbol[2][2:], "id": f"{at:03}"}
        for at, symbol in enumerate(symbols)
    ]
    frame = pl.DataFrame(
        rows,
        schema={
            **dict.fromkeys(names, pl.String),
            "start_line": pl.Int64,
            "name": pl.String,
            "id": pl.String,
        },
    )
    (got,) = cpg_model.collected(cpg._reachable_symbols(frame.lazy()))
    kept = [row for row in rows if not (row["kind"] == "function" and row["_up_label"] == "METHOD")]
    kept.sort(key=lambda row: row["id"], reverse=True)
    kept.sort(key=lambda row: (row["kind"] == "impl", row["path"], -row["start_line"]))
    groups: dict[tuple[str, str, str], list[dict[str, typing.Any]]] = {}
    for row in kept:
        groups.setdefault((row["language"], row["label"], row["qualified_name"]), []).append(row)
    expected = []
    for (language, label, qualified_name), group in groups.items():
        first = group[0]
        overloading = language in cpg.OVERLOADING_LANGUAGES
        ambiguous = overloading and sum(row["kind"] != "impl" for row in group) > 1
        expected.append(
            (
                language,
                label,
                first["name"],
                qualified_name,
                first["id"],
                ambiguous,
                overloading and len(group) > 1,
                first["kind"] == "method"
                or (label == "TYPE_DECL" and first["_up_label"] == "TYPE_DECL"),
                ambiguous
                and language in cpg.ARITY_LANGUAGES
                and label == "METHOD"
                and len({row["up"] for row in group}) == 1,
            )
        )
    assert got.rows() == expected


# Rows of (language, parent) whose Rust parents' last segments differ from the parents
# themselves: ``_member_type`` reads both columns.
_TYPED_ROW = st.tuples(
    st.sampled_from(["rust", "python"]), st.sampled_from([None, "a::S", "b.T", "S", "a::b::T"])
)


@given(
    rows=st.lists(_TYPED_ROW, max_size=20),
    runs=st.lists(
        st.lists(
            st.one_of(
                st.tuples(
                    st.just("rows"),
                    st.integers(0, 20),
                    st.integers(0, 3),
                    st.lists(_TYPED_ROW, max_size=3),
                ),
                st.tuples(st.just("field"), st.integers(0, 20), st.integers(0, 1), _TYPED_ROW),
            ),
            max_size=3,
        ),
        max_size=5,
    ),
)
@settings(max_examples=150, deadline=None)
def test_a_row_wise_column_of_rows_edited_run_after_run_is_the_expression_of_them(
    rows: list[tuple[str, str | None]], runs: list[list[tuple[str, int, int, typing.Any]]]
) -> None:
    """``_LastRowWise`` takes the last values of the rows that did not change: run after run of
    rows edited in place (rows taken out and put in, one field of a row changed), each column
    is the expression of the rows, flagged as sorted never."""
    memos.forget_all()
    current: list[typing.Any] = list(rows)
    for edits in [[], *runs]:
        for kind, position, count, added in edits:
            if kind == "field":
                if current:
                    at = position % len(current)
                    current[at] = tuple(
                        added[index] if index == count else value
                        for index, value in enumerate(current[at])
                    )
            else:
                _edit_parts([current], [(0, position, count, added)])
        read = pl.DataFrame(
            current, schema={"language": pl.String, "parent": pl.String}, orient="row"
        )
        expression = cpg._member_type(pl.col("parent"))
        got = cpg._LAST_ROW_WISE.column("_type", read, expression)
        expected = read.select(expression.alias("_type")).to_series()
        assert got.equals(expected)
        assert got.dtype == expected.dtype
        # another expression of the same name: its own value, not the last one's
        other = pl.col("parent").str.to_uppercase()
        assert cpg._LAST_ROW_WISE.column("_type", read, other).equals(
            read.select(other.alias("_type")).to_series()
        )
        cpg._LAST_ROW_WISE.column("_type", read, expression)
        # (however it was made; polars flags any column of fewer than two values)
        assert got.len() < 2 or not any(got.flags.values())


_Row = typing.TypeVar("_Row")


def _edit_parts(current: list[list[_Row]], edits: list[tuple[int, int, int, list[_Row]]]) -> None:
    """Each edit (part index, position, rows removed, rows added) made to the parts' rows
    (in place: the property tests of the splices)."""
    for index, position, removed, added in edits:
        rows = current[index % len(current)]
        rows[min(position, len(rows)) : min(position, len(rows)) + removed] = added


# Node rows (id, end_line): few ids, so that parts share them (a repeated id: no splice), and
# an end line that changes while the id stays (an edited file's FILE row).
_NODE_ROWS = st.lists(
    st.tuples(st.sampled_from([f"{n:024x}" for n in range(12)]), st.integers(1, 3)),
    max_size=30,
)
# an edit of one part: (which part, where, how many rows taken out, the rows put in)
_NODE_EDITS = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 30), st.integers(0, 3), _NODE_ROWS),
    max_size=3,
)


def _node_rows_frame(rows: list[tuple[str, int]]) -> pl.DataFrame:
    return rows_to_frame(
        [
            {
                "id": node,
                "label": "METHOD",
                "subkind": "function",
                "language": "rust",
                "name": node[-2:],
                "qualified_name": node,
                "path": "a.rs",
                "start_line": 1,
                "end_line": end_line,
            }
            for node, end_line in rows
        ],
        schemas.CPG_NODES,
    )


def _sorted_nodes_table(frames: list[pl.DataFrame]) -> pl.DataFrame:
    return finish_table(
        pl.concat(frames), table_schema=schemas.CPG_NODES, sort_key="cpg_nodes", multithreaded=False
    )


@given(
    parts=st.lists(_NODE_ROWS, min_size=1, max_size=5),
    runs=st.lists(_NODE_EDITS, max_size=4),
    distinct=st.booleans(),
)
@settings(max_examples=100, deadline=None)
def test_nodes_of_parts_edited_run_after_run_equal_finish_table(
    parts: list[list[tuple[str, int]]],
    runs: list[list[tuple[int, int, int, list[tuple[str, int]]]]],
    distinct: bool,
) -> None:
    """``cpg_nodes`` keeps its last nodes and splices them when its parts changed in a few rows
    (``_LastNodes``): run after run of parts edited in place (rows taken out and put in, an end
    line changed under the same id, ids that repeat), each result is ``finish_table`` of the
    parts' rows: the same rows, order, chunks, sorted flags and Parquet bytes."""
    memos.forget_all()
    current = [list(rows) for rows in parts]
    for edits in [[], *runs]:
        _edit_parts(current, edits)
        if distinct:  # (the ids of a repository's nodes: each once)
            seen: set[str] = set()
            current = [
                [row for row in rows if row[0] not in seen and not seen.add(row[0])]
                for rows in current
            ]
        frames = [_node_rows_frame(rows) for rows in current]
        expected = _sorted_nodes_table(frames)
        got = cpg._LAST_NODES.finished(frames)
        assert got.equals(expected)
        assert got.schema == expected.schema
        assert (got.n_chunks(), got.flags) == (expected.n_chunks(), expected.flags)
        assert _parquet_bytes(got) == _parquet_bytes(expected)


def test_nodes_splice_the_last_nodes_of_parts_that_changed_in_a_few_rows() -> None:
    """Parts that are the last run's give its nodes; parts that lost, gained and changed a few
    rows the last nodes spliced, not sorted again; both ``finish_table``'s rows, in one chunk."""
    memos.forget_all()
    parts = [[(f"{(n * 7919 + part) % 100_000:024x}", 1) for n in range(3000)] for part in (0, 1)]
    frames = [_node_rows_frame(rows) for rows in parts]
    made = cpg._LAST_NODES.made
    before = made.copy()
    assert cpg._LAST_NODES.finished(frames).equals(_sorted_nodes_table(frames))
    assert cpg._LAST_NODES.finished([frame.clone() for frame in frames]).equals(
        _sorted_nodes_table(frames)
    )
    assert (made["sorted"], made["same"]) == (before["sorted"] + 1, before["same"] + 1)
    parts[0][1500] = (f"{99_999_999:024x}", 1)  # (a new id past every other)
    parts[1][10] = (parts[1][10][0], 2)  # (a new end line, the same id)
    del parts[1][20]
    edited = [_node_rows_frame(rows) for rows in parts]
    got = cpg._LAST_NODES.finished(edited)
    assert got.equals(_sorted_nodes_table(edited))
    assert got.n_chunks() == 1
    assert made["spliced"] == before["spliced"] + 1


def _parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(frame.to_arrow(), buffer, compression="zstd")
    return buffer.getvalue()


def test_ancestor_chains_stop_at_a_cycle_and_at_the_chain_limit() -> None:
    # a -> b -> a: each ancestor once, at the depth it first appears
    cycle = cpg._ancestors(
        pl.Series(["a"], dtype=pl.String),
        pl.DataFrame({"id": ["a", "b"], "up": ["b", "a"]}),
    )
    assert sorted(cycle.rows()) == [("a", "a", 0), ("a", "b", 1)]
    # a chain longer than the limit is followed for _MAX_CHAIN symbols (the owner included)
    names = [f"s{depth}" for depth in range(cpg._MAX_CHAIN + 50)]
    deep = cpg._ancestors(
        pl.Series([names[0]], dtype=pl.String),
        pl.DataFrame({"id": names[:-1], "up": names[1:]}),
    )
    assert deep["depth"].to_list() == list(range(cpg._MAX_CHAIN))
    assert deep["ancestor"].to_list() == names[: cpg._MAX_CHAIN]


def test_finish_edges_writes_the_same_parquet_bytes_as_one_sorted_table() -> None:
    """Past the 1 MB dictionary page (90,000 distinct 24-character targets) the Parquet bytes
    depend on how the table is chunked: the per-label parts must come back as one chunk."""
    rows = 30_000
    frames = [
        pl.DataFrame(
            {
                "src": [f"{i:024x}" for i in range(rows)],
                "dst": [f"{(i * 7919) % rows + part * rows:024x}" for i in range(rows)],
                "label": label,
                "resolved": True,
            }
        )
        for part, label in enumerate(("CALLS", "CONTAINS", "IMPORTS"))
    ]
    expected = finish_table(
        pl.concat(frames).unique(maintain_order=True),
        table_schema=schemas.CPG_EDGES,
        sort_key="cpg_edges",
    )
    got = cpg._finish_edges(frames)
    assert got.n_chunks() == 1
    assert _parquet_bytes(got) == _parquet_bytes(expected)


OBJECT_SCOPES = {
    # CommonJS: `module.exports` is the module itself, `exports.helpers` a top-level object.
    "lib/a.js": "module.exports = { f() { return 1; } };\nexports.helpers = { h() {} };\n",
    "lib/b.js": ("const a = require('./a');\nfunction g() { a.f(); a.helpers.h(); }\n"),
    "lib/c.js": (
        "export default { mounted() { this.go(); }, go() {} };\n"
        "export const api = { get() { this.post(); }, post() {} };\n"
        "class C {\n"
        "  constructor() { this.handlers = { onClick() {} }; }\n"
        "  render() { this.handlers.onClick(); }\n"
        "}\n"
    ),
    "lib/d.js": "import comp, { api } from './c';\ncomp.mounted();\napi.get();\n",
}


def test_object_literal_scopes_are_type_decls_that_contain_their_methods(tmp_path: Path) -> None:
    tables = run_dataflow(write_repo(tmp_path / "repo", OBJECT_SCOPES), languages=["javascript"])
    nodes = tables["cpg_nodes"].filter(pl.col("label") == "TYPE_DECL").sort("qualified_name")
    assert rows(nodes, "qualified_name", "subkind") == [
        ("lib/a.helpers", "property"),
        ("lib/c.C", "class"),
        ("lib/c.C.handlers", "property"),
        ("lib/c.api", "constant"),
        ("lib/c.default", "constant"),
    ]
    contains = [
        edge
        for edge in described_edges(tables, "CONTAINS")
        if edge[0].startswith("TYPE_DECL:") or edge[1].startswith(("TYPE_DECL:", "METHOD:"))
    ]
    assert contains == [
        ("NAMESPACE:lib/a", "METHOD:lib/a.f", True),  # module.exports' methods: the module's
        ("NAMESPACE:lib/a", "TYPE_DECL:lib/a.helpers", True),
        ("NAMESPACE:lib/b", "METHOD:lib/b.g", True),
        ("NAMESPACE:lib/c", "TYPE_DECL:lib/c.C", True),
        ("NAMESPACE:lib/c", "TYPE_DECL:lib/c.api", True),
        ("NAMESPACE:lib/c", "TYPE_DECL:lib/c.default", True),
        ("TYPE_DECL:lib/a.helpers", "METHOD:lib/a.helpers.h", True),
        ("TYPE_DECL:lib/c.C", "METHOD:lib/c.C.constructor", True),
        ("TYPE_DECL:lib/c.C", "METHOD:lib/c.C.render", True),
        ("TYPE_DECL:lib/c.C", "TYPE_DECL:lib/c.C.handlers", True),
        ("TYPE_DECL:lib/c.C.handlers", "METHOD:lib/c.C.handlers.onClick", True),
        ("TYPE_DECL:lib/c.api", "METHOD:lib/c.api.get", True),
        ("TYPE_DECL:lib/c.api", "METHOD:lib/c.api.post", True),
        ("TYPE_DECL:lib/c.default", "METHOD:lib/c.default.go", True),
        ("TYPE_DECL:lib/c.default", "METHOD:lib/c.default.mounted", True),
    ]
    assert described_edges(tables, "CALLS") == [
        ("CALL:a.f", "METHOD:lib/a.f", True),  # `require` binds the module object
        ("CALL:a.helpers.h", "METHOD:lib/a.helpers.h", True),
        ("CALL:api.get", "METHOD:lib/c.api.get", True),
        ("CALL:comp.mounted", "METHOD:lib/c.default.mounted", True),  # the default export
        ("CALL:require", "unresolved:require", False),
        ("CALL:this.go", "METHOD:lib/c.default.go", True),  # `this`: the object literal
        ("CALL:this.handlers.onClick", "METHOD:lib/c.C.handlers.onClick", True),
        ("CALL:this.post", "METHOD:lib/c.api.post", True),
    ]
    assert described_edges(tables, "IMPORTS") == [
        ("IMPORT:lib/a", "NAMESPACE:lib/a", True),
        ("IMPORT:lib/c.api", "TYPE_DECL:lib/c.api", True),
        ("IMPORT:lib/c.default", "TYPE_DECL:lib/c.default", True),
    ]


ES5_MEMBERS = {
    "lib/shapes.js": (
        "function Shape(name) { this.name = name; this.grow = function () { this.area(); }; }\n"
        "Shape.prototype.area = function () { return 0; };\n"
        "Shape.prototype.describe = function () { return this.area(); };\n"
        "Shape.create = function (name) { return new Shape(name); };\n"
        "function Square() {}\n"
        "Square.prototype = { side() { return 1; }, perimeter() { return 4 * this.side(); } };\n"
        "exports.make = function (name) { return Shape.create(name); };\n"
        "module.exports.config = { defaults: { reset() {} } };\n"
    ),
    "lib/use.js": (
        "const shapes = require('./shapes');\n"
        "const s = shapes.make('x');\n"
        "s.describe();\n"
        "shapes.config.defaults.reset();\n"
    ),
}


def test_prototype_members_commonjs_functions_and_nested_objects(tmp_path: Path) -> None:
    """ES5 constructors keep their kind (METHOD, the function `new` runs) and contain their
    prototype's methods; CommonJS members are the module's; nested object scopes nest."""
    tables = run_dataflow(write_repo(tmp_path / "repo", ES5_MEMBERS), languages=["javascript"])
    nodes = tables["cpg_nodes"].filter(pl.col("label").is_in(["TYPE_DECL", "METHOD"]))
    assert rows(nodes.sort("qualified_name"), "label", "qualified_name", "subkind") == [
        ("METHOD", "lib/shapes.Shape", "function"),
        ("METHOD", "lib/shapes.Shape.area", "method"),
        ("METHOD", "lib/shapes.Shape.create", "method"),
        ("METHOD", "lib/shapes.Shape.describe", "method"),
        ("METHOD", "lib/shapes.Shape.grow", "method"),
        ("METHOD", "lib/shapes.Square", "function"),
        ("METHOD", "lib/shapes.Square.perimeter", "method"),
        ("METHOD", "lib/shapes.Square.side", "method"),
        ("TYPE_DECL", "lib/shapes.config", "property"),
        ("TYPE_DECL", "lib/shapes.config.defaults", "property"),
        ("METHOD", "lib/shapes.config.defaults.reset", "method"),
        ("METHOD", "lib/shapes.make", "function"),
    ]
    contains = [
        edge
        for edge in described_edges(tables, "CONTAINS")
        if edge[1].startswith(("TYPE_DECL:", "METHOD:"))
    ]
    assert contains == [
        ("METHOD:lib/shapes.Shape", "METHOD:lib/shapes.Shape.area", True),
        ("METHOD:lib/shapes.Shape", "METHOD:lib/shapes.Shape.create", True),
        ("METHOD:lib/shapes.Shape", "METHOD:lib/shapes.Shape.describe", True),
        ("METHOD:lib/shapes.Shape", "METHOD:lib/shapes.Shape.grow", True),
        ("METHOD:lib/shapes.Square", "METHOD:lib/shapes.Square.perimeter", True),
        ("METHOD:lib/shapes.Square", "METHOD:lib/shapes.Square.side", True),
        ("NAMESPACE:lib/shapes", "METHOD:lib/shapes.Shape", True),
        ("NAMESPACE:lib/shapes", "METHOD:lib/shapes.Square", True),
        ("NAMESPACE:lib/shapes", "METHOD:lib/shapes.make", True),  # `exports.make`
        ("NAMESPACE:lib/shapes", "TYPE_DECL:lib/shapes.config", True),
        ("TYPE_DECL:lib/shapes.config", "TYPE_DECL:lib/shapes.config.defaults", True),
        ("TYPE_DECL:lib/shapes.config.defaults", "METHOD:lib/shapes.config.defaults.reset", True),
    ]
    assert described_edges(tables, "CALLS") == [
        ("CALL:Shape", "METHOD:lib/shapes.Shape", True),  # `new Shape()`: the constructor
        ("CALL:Shape.create", "METHOD:lib/shapes.Shape.create", True),
        ("CALL:require", "unresolved:require", False),
        ("CALL:s.describe", "METHOD:lib/shapes.Shape.describe", True),  # a unique short name
        ("CALL:shapes.config.defaults.reset", "METHOD:lib/shapes.config.defaults.reset", True),
        ("CALL:shapes.make", "METHOD:lib/shapes.make", True),  # through `require`
        # `this` in a method stored on a function: that function's members (rule 1)
        ("CALL:this.area", "METHOD:lib/shapes.Shape.area", True),
        ("CALL:this.area", "METHOD:lib/shapes.Shape.area", True),
        ("CALL:this.side", "METHOD:lib/shapes.Square.side", True),
    ]


# ES5 classes next to a class and an object literal, with methods of the same names in several of
# them, so only the scope of `this` can pick the target (rule 5 finds no unique short name).
ES5_THIS = (
    "function Widget(el) {\n"
    "  this.render();\n"  # 2: the constructor: Widget's members
    "  this.onClick = function () { this.render(); };\n"  # 3: a method stored on Widget
    "  function helper() { this.render(); }\n"  # 4: a nested function has its own `this`
    "  helper();\n"
    "}\n"
    "Widget.prototype.render = function () { this.paint(); };\n"  # 7
    "Widget.prototype.paint = function () {\n"
    "  setTimeout(() => this.render());\n"  # 9: an arrow function: the method's `this`
    "  this.reset();\n"  # 10: a method of the prototype object literal
    "};\n"
    "Widget.prototype = { reset() { this.render(); this.onClick(); } };\n"  # 12
    "function Panel() { this.render(); }\n"  # 13: Panel's render, not Widget's
    "Panel.prototype.render = function () { this.missing(); };\n"  # 14: no such member
    "function make() { return { open() { this.close(); }, close() {} }; }\n"  # 15
    "const api = { a() { this.b(); }, b() {}, render() {}, load() {} };\n"  # 16: the object literal
    "class View { render() { this.paint(); } paint() {} close() {} load() {} }\n"  # 17: the class
    "function Store() {\n"
    "  function load() {}\n"
    "  this.load();\n"  # 20: a function declared in the constructor is no member of `this`
    "  load();\n"  # 21: but the local it is
    "}\n"
)


def _edges_by_path(tables: dict[str, pl.DataFrame]) -> list[tuple[str, int, str, str]]:
    """(path, line, callee, target qualified name or ``unresolved:<name>``) of every CALLS edge."""
    nodes = tables["cpg_nodes"]
    names = dict(zip(nodes["id"].to_list(), nodes["qualified_name"].to_list(), strict=True))
    calls = nodes.filter(pl.col("label") == "CALL").select(
        "id", "path", "start_line", "qualified_name"
    )
    return sorted(
        (path, line, callee, names.get(target, target))
        for path, line, callee, target in tables["cpg_edges"]
        .filter(pl.col("label") == "CALLS")
        .join(calls, left_on="src", right_on="id", how="inner")
        .select("path", "start_line", "qualified_name", "dst")
        .iter_rows()
    )


def _calls_by_line(tables: dict[str, pl.DataFrame]) -> list[tuple[int, str, str]]:
    """(line, callee, target qualified name or ``unresolved:<name>``) of every CALLS edge."""
    return sorted((line, callee, target) for _, line, callee, target in _edges_by_path(tables))


def _resolved_by_path(tables: dict[str, pl.DataFrame]) -> dict[tuple[str, int, str], str]:
    """(path, line, callee) -> target qualified name or ``unresolved:<name>``, of every CALLS
    edge."""
    return {(path, line, callee): target for path, line, callee, target in _edges_by_path(tables)}


def _resolved_by_line(tables: dict[str, pl.DataFrame]) -> dict[tuple[int, str], str]:
    """(line, callee) -> target qualified name or ``unresolved:<name>``, of every CALLS edge."""
    return {(line, callee): target for line, callee, target in _calls_by_line(tables)}


@pytest.mark.parametrize(("language", "suffix"), [("javascript", "js"), ("typescript", "ts")])
def test_this_in_es5_constructors_and_prototype_methods(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """`this.m()` inside an ES5 constructor `Foo` and inside the methods stored on it resolves
    to `Foo.m` stored on it, not a function declared inside `Foo`; a nested named function has
    its own `this`; classes and object literals keep their own scopes."""
    repo = write_repo(tmp_path / "repo", {f"lib/ui.{suffix}": ES5_THIS})
    tables = run_dataflow(repo, languages=[language])
    assert _calls_by_line(tables) == [
        (2, "this.render", "lib/ui.Widget.render"),
        (3, "this.render", "lib/ui.Widget.render"),
        (4, "this.render", "unresolved:render"),  # not Widget's: helper's own `this`
        (5, "helper", "lib/ui.Widget.helper"),
        (7, "this.paint", "lib/ui.Widget.paint"),  # not View.paint
        (9, "setTimeout", "unresolved:setTimeout"),
        (9, "this.render", "lib/ui.Widget.render"),
        (10, "this.reset", "lib/ui.Widget.reset"),
        (12, "this.onClick", "lib/ui.Widget.onClick"),
        (12, "this.render", "lib/ui.Widget.render"),
        (13, "this.render", "lib/ui.Panel.render"),  # not Widget.render
        (14, "this.missing", "unresolved:missing"),
        # an object literal returned by a function: its methods are the function's members
        (15, "this.close", "lib/ui.make.close"),  # not View.close
        (16, "this.b", "lib/ui.api.b"),
        (17, "this.paint", "lib/ui.View.paint"),  # not Widget.paint
        (20, "this.load", "unresolved:load"),  # not the local Store.load, nor View.load
        (21, "load", "lib/ui.Store.load"),
    ]


# What `this` is at each call, by ECMAScript: every non-arrow function, method and class body has
# its own, an arrow function sees the one around it. Every method name is in several classes, so
# only the right `this` resolves a call (rule 5 finds no unique short name).
EXACT_THIS = (
    "class Foo {\n"
    "  bar(arr) {\n"
    "    arr.forEach(function () { this.m(); });\n"  # 3: the callback's own `this`
    "    const cb = () => this.render();\n"  # 4: an arrow: bar's `this`, a Foo
    "    const g = () => () => this.paint();\n"  # 5: arrow in arrow
    "    function nested() { this.m(); }\n"  # 6: a nested named function's own `this`
    "    cb(); nested();\n"
    "  }\n"
    "  handler = () => this.m();\n"  # 9: a field initializer: the class
    "  static create() { return this.make(); }\n"  # 10: a static method: the class
    "  m() {} render() {} paint() {} static make() {}\n"
    "}\n"
    "class Bar { m() {} render() {} paint() {} make() {} }\n"
    "function Widget() {}\n"
    "Widget.prototype.show = function () {\n"
    "  const cb = () => this.render();\n"  # 16: an arrow in an ES5 method: Widget's `this`
    "  [1].map(function () { this.paint(); });\n"  # 17: a callback: not Widget's
    "  cb();\n"
    "};\n"
    "Widget.prototype.render = function () {};\n"
    "Widget.prototype.paint = function () {};\n"
    "const top = () => this.render();\n"  # 22: the module's `this`
)


@pytest.mark.parametrize(("language", "suffix"), [("javascript", "js"), ("typescript", "ts")])
def test_this_is_the_innermost_non_arrow_function_method_or_class(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """`this.m()` resolves by the calls table's `this_symbol`, not by the enclosing symbol: an
    arrow function (named or not, nested or not, a class field's) uses the `this` around it, a
    callback `function () {}` and a nested named function have their own."""
    repo = write_repo(tmp_path / "repo", {f"lib/ui.{suffix}": EXACT_THIS})
    tables = run_dataflow(repo, languages=[language])
    this_symbols = [
        (line, callee, this_symbol)
        for callee, line, this_symbol in rows(
            tables[f"{language}.calls"].filter(pl.col("callee").str.starts_with("this.")),
            "callee",
            "line",
            "this_symbol",
        )
    ]
    assert this_symbols == [
        (3, "this.m", None),
        (4, "this.render", "lib/ui.Foo.bar"),
        (5, "this.paint", "lib/ui.Foo.bar"),
        (6, "this.m", "lib/ui.Foo.bar.nested"),
        (9, "this.m", "lib/ui.Foo"),
        (10, "this.make", "lib/ui.Foo.create"),
        (16, "this.render", "lib/ui.Widget.show"),
        (17, "this.paint", None),
        (22, "this.render", None),
    ]
    assert [edge for edge in _calls_by_line(tables) if edge[1].startswith("this.")] == [
        (3, "this.m", "unresolved:m"),  # was Foo.m: the enclosing method's
        (4, "this.render", "lib/ui.Foo.render"),
        (5, "this.paint", "lib/ui.Foo.paint"),
        (6, "this.m", "unresolved:m"),  # was Foo.m: the class around the nested function
        (9, "this.m", "lib/ui.Foo.m"),
        (10, "this.make", "lib/ui.Foo.make"),  # not Bar.make
        (16, "this.render", "lib/ui.Widget.render"),  # was unresolved: cb's own `this`
        (17, "this.paint", "unresolved:paint"),  # was Widget.paint
        (22, "this.render", "unresolved:render"),
    ]


SUPER_CALLS = (
    "class Base {\n"
    "  next() {}\n"
    "  only() {}\n"
    "}\n"
    "class Child extends Base {\n"
    "  next() { super.next(); }\n"  # 6: not Child.next, the override itself
    "  only() { super.only(); }\n"  # 7: likewise; Base.only and Child.only: no unique name
    "  done() { super.flush(); this.next(); }\n"  # 8: no base defines flush: unresolved
    "}\n"
    "class Outside extends External {\n"
    "  flush() { super.flush(); }\n"  # 11: its base is not in the repository
    "}\n"
    "class Lone extends Base {\n"
    "  run() { super.stop(); }\n"  # 14: a unique name elsewhere: never rule 5 for super
    "}\n"
    "class Stopper { stop() {} }\n"
    "class Grand extends Child {\n"
    "  constructor() { super(); super.only(); }\n"  # 18: the nearest base defining it
    "  run() { super.done(); this.only(); this.go(); }\n"  # 19: this.f inherited too
    "}\n"
)


@pytest.mark.parametrize(("language", "suffix"), [("javascript", "js"), ("typescript", "ts")])
def test_super_calls_resolve_to_the_nearest_base_definition(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """`super.f()` names the `f` of the nearest base type defining one (never the override that
    makes the call: the TypeScript compiler oracle found 21 such edges in rxjs), unresolved when
    no base inside the repository defines it (never a unique name elsewhere); `super()` is a
    constructor call of the first base; `this.f` not in the class itself is found in its bases."""
    repo = write_repo(tmp_path / "repo", {f"lib/s.{suffix}": SUPER_CALLS})
    tables = run_dataflow(repo, languages=[language])
    assert _calls_by_line(tables) == [
        (6, "super.next", "lib/s.Base.next"),
        (7, "super.only", "lib/s.Base.only"),
        (8, "super.flush", "unresolved:flush"),
        (8, "this.next", "lib/s.Child.next"),
        (11, "super.flush", "unresolved:flush"),
        (14, "super.stop", "unresolved:stop"),
        (18, "super", "lib/s.Child"),
        (18, "super.only", "lib/s.Child.only"),
        (19, "super.done", "lib/s.Child.done"),
        (19, "this.go", "unresolved:go"),
        (19, "this.only", "lib/s.Child.only"),
    ]


def _targets_by_line(tables: dict[str, pl.DataFrame]) -> list[tuple[int, str, str, int | None]]:
    """(line, callee, target qualified name or ``unresolved:<name>``, the target's start line)
    of every CALLS edge: the line tells repeated definitions of one name apart."""
    nodes = tables["cpg_nodes"]
    targets = {
        node: (name, line)
        for node, name, line in nodes.select("id", "qualified_name", "start_line").iter_rows()
    }
    return [
        (line, callee, *targets.get(target, (target, None)))
        for line, callee, target in _call_edges_by_line(tables)
    ]


def _call_edges_by_line(tables: dict[str, pl.DataFrame]) -> list[tuple[int, str, str]]:
    """(line, callee, target node id or ``unresolved:<name>``) of every CALLS edge."""
    nodes = tables["cpg_nodes"]
    call_nodes = nodes.filter(pl.col("label") == "CALL").select(
        "id", "qualified_name", "start_line"
    )
    edges = (
        tables["cpg_edges"]
        .filter(pl.col("label") == "CALLS")
        .join(call_nodes, left_on="src", right_on="id", how="inner")
    )
    return sorted(edges.select("start_line", "qualified_name", "dst").iter_rows())


LITERAL_RECEIVERS_PY = (
    "class Formatter:\n"
    "    def format(self, record): ...\n"
    "    def split(self): ...\n"
    "    def index(self): ...\n"
    "    def get(self): ...\n"
    "    def strip(self): ...\n"
    "    def bit_length(self): ...\n"
    "    def render(self): ...\n"
    "def run(fmt, items, name):\n"
    "    'Value {} must be {}.'.format(1, 2)\n"  # 9
    '    f"{name}".format()\n'  # 10
    '    "a b".split()\n'  # 11
    "    [1, 2].index(1)\n"  # 12
    "    {'a': 1}.get('a')\n"  # 13
    "    ', '.join(items).strip()\n"  # 14: a method chain on a literal
    "    (1).bit_length()\n"  # 15
    "    fmt.format(1)\n"  # 17: a value of unknown type, a name str has: not guessed
    "    [fmt][0].split()\n"  # 18
    "    (name + 'x').strip()\n"  # 19
    "    (\n"
    "        'a long message '\n"
    '        "on two lines"\n'
    "    ).format()\n"  # 23: adjacent strings are one literal
    "    'x'.render()\n"  # 24: a literal: never a repository method, builtin name or not
    "    fmt.render()\n"  # 25: a value of unknown type, a name no builtin type has: rule 5
    "    [fmt][0].render()\n"  # 26: a subscript of a list display: unknown
    "    (name + 'x').render()\n"  # 27: an operator: unknown
)
LITERAL_RECEIVERS_JS = (
    "class Strs { split() {} map() {} trim() {} test() {} valueOf() {} render() {} }\n"
    "function run(xs) {\n"
    "  'a,b'.split(',');\n"  # 3
    "  [1, 2].map((v) => v);\n"  # 4
    "  `t${xs}`.trim();\n"  # 5
    "  /re/.test('x');\n"  # 6
    "  ({ a: 1 }).valueOf();\n"  # 7
    "  xs.split(',');\n"  # 8: a value of unknown type, a name String has: not guessed
    "  [xs][0].map();\n"  # 9: likewise (Array)
    "  'a'.render();\n"  # 10: a literal: never a repository method
    "  xs.render();\n"  # 11: a value of unknown type, a name no builtin has: rule 5
    "  [xs][0].render();\n"  # 12: an element of an array literal: unknown
    "}\n"
)


@pytest.mark.parametrize(
    ("language", "path", "source", "expected"),
    [
        (
            "python",
            "pkg/fmt.py",
            LITERAL_RECEIVERS_PY,
            [
                (10, "'Value {} must be {}.'.format", "unresolved:format"),
                (11, 'f"{name}".format', "unresolved:format"),
                (12, '"a b".split', "unresolved:split"),
                (13, "[1, 2].index", "unresolved:index"),
                (14, "{'a': 1}.get", "unresolved:get"),
                (15, "', '.join", "unresolved:join"),
                (15, "', '.join(items).strip", "unresolved:strip"),
                (16, "(1).bit_length", "unresolved:bit_length"),
                (17, "fmt.format", "unresolved:format"),
                (18, "[fmt][0].split", "unresolved:split"),
                (19, "(name + 'x').strip", "unresolved:strip"),
                (20, "( 'a long message ' \"on two lines\" ).format", "unresolved:format"),
                (24, "'x'.render", "unresolved:render"),
                (25, "fmt.render", "pkg.fmt.Formatter.render"),
                (26, "[fmt][0].render", "pkg.fmt.Formatter.render"),
                (27, "(name + 'x').render", "pkg.fmt.Formatter.render"),
            ],
        ),
        *[
            (
                language,
                f"lib/s.{suffix}",
                LITERAL_RECEIVERS_JS,
                [
                    (3, "'a,b'.split", "unresolved:split"),
                    (4, "[1, 2].map", "unresolved:map"),
                    (5, "`t${xs}`.trim", "unresolved:trim"),
                    (6, "/re/.test", "unresolved:test"),
                    (7, "({ a: 1 }).valueOf", "unresolved:valueOf"),
                    (8, "xs.split", "unresolved:split"),
                    (9, "[xs][0].map", "unresolved:map"),
                    (10, "'a'.render", "unresolved:render"),
                    (11, "xs.render", "lib/s.Strs.render"),
                    (12, "[xs][0].render", "lib/s.Strs.render"),
                ],
            )
            for language, suffix in (("javascript", "js"), ("typescript", "ts"))
        ],
    ],
)
def test_a_literal_receiver_never_calls_a_repository_method(
    tmp_path: Path, language: str, path: str, source: str, expected: list[tuple[int, str, str]]
) -> None:
    """A method called on a literal (string, f-string, template, number, list/dict display,
    array/object literal, regex) or on a method chain of one is a builtin's: rule 5 never picks
    a repository method of that name (the Jedi oracle found `'...'.format` -> a logging
    `Formatter.format`). A value, a subscript or an operator result keeps rule 5 for a name no
    builtin type has; a builtin type's method name is never guessed on a receiver of unknown
    type (`x.split()`)."""
    repo = write_repo(tmp_path / "repo", {path: source})
    tables = run_dataflow(repo, languages=[language])
    assert _calls_by_line(tables) == expected


def test_literal_receiver_texts() -> None:
    """The scanner behind the rule: where each literal ends, and what may follow it."""
    literal = {
        ("python", "'x'.format"): True,
        ("python", '"""a"b""".strip'): True,
        ("python", 'rb"\\x00".decode'): True,
        ("python", '"a.b".split(".").pop'): True,
        ("python", "1.0.hex"): True,
        ("python", "(1).bit_length"): True,
        ("python", "( 'a {x}'\n  \"b\" ).format"): True,
        ("python", "'a' 'b'.f"): True,
        ("python", "[a][0].f"): False,
        ("python", '("a" + b).f'): False,
        ("python", "x.format"): False,
        ("python", "r.f"): False,
        ("python", '"a"'): False,
        ("python", "'open.f"): False,
        ("javascript", "'x'?.f"): True,
        ("typescript", "/a[/]b/gi.test"): True,
        ("typescript", "[1].map((v) => v).filter"): True,
        ("typescript", '"a".split(",")[0].trim'): False,
        ("rust", '"a".to_snake_case'): True,
    }
    assert {key: cpg._literal_receiver(key[1], language=key[0]) for key in literal} == literal
    texts = pl.DataFrame(
        [("rust", '"a".to_snake_case'), ("python", "'x'.format"), ("python", "x.format")],
        schema={"language": pl.String, "text": pl.String},
        orient="row",
    )
    # Rust: a trait of the repository may be implemented for str, so never a builtin for sure
    assert rows(cpg._literal_receiver_texts(texts)) == [("python", "'x'.format")]


LOCAL_FUNCTIONS_PY = (
    "def create_adjacency_lists(nodes):\n"
    "    def visit(node):\n"
    "        return node\n"
    "    for node in nodes:\n"
    "        visit(node)\n"  # 5: the local, by its bare name
    "    def inner():\n"
    "        visit(1)\n"  # 7: and from a nested scope
    "    return inner\n"
    "class Walker:\n"
    "    def run(self, tree):\n"
    "        self.visit(tree)\n"  # 11: never the local of another function
    "        visit(tree)\n"  # 12: outside its function: a builtin or nothing
    "        create_adjacency_lists.visit(tree)\n"  # 13: no attribute of the function
    "        tree.inner()\n"  # 14: likewise
    "class Tree:\n"
    "    def inner(self): ...\n"  # the one `inner` an attribute can reach
)
LOCAL_FUNCTIONS_TS = (
    "export function throttle(xs: any) {\n"
    "  const send = () => 1;\n"
    "  function flush() {}\n"
    "  send(); flush();\n"  # 4
    "}\n"
    "export function request(xhr: any) {\n"
    "  xhr.send();\n"  # 7: never throttle's local
    "  xhr.flush();\n"  # 8: the one member `flush`
    "  send();\n"  # 9: outside throttle: nothing
    "}\n"
    "export class Buffer { flush() {} }\n"
)


@pytest.mark.parametrize(
    ("language", "path", "source", "expected"),
    [
        (
            "python",
            "pkg/graph.py",
            LOCAL_FUNCTIONS_PY,
            [
                (5, "visit", "pkg.graph.create_adjacency_lists.visit"),
                (7, "visit", "pkg.graph.create_adjacency_lists.visit"),
                (11, "self.visit", "unresolved:visit"),
                (12, "visit", "unresolved:visit"),
                (13, "create_adjacency_lists.visit", "unresolved:visit"),
                (14, "tree.inner", "pkg.graph.Tree.inner"),
            ],
        ),
        (
            "typescript",
            "lib/t.ts",
            LOCAL_FUNCTIONS_TS,
            [
                (4, "flush", "lib/t.throttle.flush"),
                (4, "send", "lib/t.throttle.send"),
                (7, "xhr.send", "unresolved:send"),
                (8, "xhr.flush", "lib/t.Buffer.flush"),
                (9, "send", "unresolved:send"),
            ],
        ),
    ],
)
def test_a_local_function_is_reachable_by_its_bare_name_inside_its_function_only(
    tmp_path: Path, language: str, path: str, source: str, expected: list[tuple[int, str, str]]
) -> None:
    """A function defined inside another is a local variable of it: never a candidate for
    `x.f()` (rule 5 found `self.visit` -> a local `visit`, rxjs `xhr.send` -> throttle's
    `send`) nor for a qualified name, and it no longer makes a member's name ambiguous."""
    repo = write_repo(tmp_path / "repo", {path: source})
    tables = run_dataflow(repo, languages=[language])
    assert _calls_by_line(tables) == expected


MEMBER_CALLS = {
    "python": (
        {
            "pkg/__init__.py": "",
            "pkg/helpers.py": "def tool(): ...\n",
            "pkg/main.py": (
                "import pkg.helpers as hx\n"
                "class Job:\n"
                "    def start(self): ...\n"
                "def top_only(): ...\n"
                "def run(job):\n"
                "    job.start()\n"  # 6: a method: rule 5
                "    job.top_only()\n"  # 7: a function is no attribute of a value
                "    job.tool()\n"  # 8: likewise
                "    hx.tool()\n"  # 9: through the module alias
                "    top_only()\n"  # 10
            ),
        },
        [
            (6, "job.start", "pkg.main.Job.start"),
            (7, "job.top_only", "unresolved:top_only"),
            (8, "job.tool", "unresolved:tool"),
            (9, "hx.tool", "pkg.helpers.tool"),
            (10, "top_only", "pkg.main.top_only"),
        ],
    ),
    "go": (
        {
            "go.mod": "module example.com/app\n\ngo 1.21\n",
            "app/a.go": (
                "package app\n"
                "\n"
                "type Srv struct{}\n"
                "\n"
                "func (s *Srv) Serve() {}\n"
                "\n"
                "func Helper() {}\n"
                "\n"
                "func Run(v *Srv) {\n"
                "\tv.Serve()\n"  # 10: a method
                "\tv.Helper()\n"  # 11: a function is no method of a value
                "\tHelper()\n"  # 12
                "}\n"
            ),
        },
        [
            (10, "v.Serve", "app.Srv.Serve"),
            (11, "v.Helper", "unresolved:Helper"),
            (12, "Helper", "app.Helper"),
        ],
    ),
    "rust": (
        {
            "src/lib.rs": (
                "pub struct S;\n"
                "impl S {\n"
                "    pub fn go_on(&self) {}\n"
                "}\n"
                "pub fn free() {}\n"
                "pub fn run(s: S) {\n"
                "    s.go_on();\n"  # 7: a method call
                "    s.free();\n"  # 8: a free function is no method
                "    crate::free();\n"  # 9: a path
                "}\n"
            ),
        },
        [
            (7, "s.go_on", "crate::S::go_on"),
            (8, "s.free", "unresolved:free"),
            (9, "crate::free", "crate::free"),
        ],
    ),
    **{
        language: (
            {
                f"lib/m.{suffix}": (
                    "export function helper() {}\n"
                    "export class Job { start() {} }\n"
                    "exports.shared = function () {};\n"
                ),
                f"lib/use.{suffix}": (
                    'import * as ns from "./m";\n'
                    'const m = require("./m");\n'
                    "function run(obj, job) {\n"
                    "  ns.helper();\n"  # 4: through an import namespace
                    "  m.shared();\n"  # 5: through `require`
                    "  obj.helper();\n"  # 6: a value: its type's methods only
                    "  job.start();\n"  # 7
                    "}\n"
                ),
            },
            [
                (2, "require", "unresolved:require"),
                (4, "ns.helper", "lib/m.helper"),
                (5, "m.shared", "lib/m.shared"),
                (6, "obj.helper", "unresolved:helper"),
                (7, "job.start", "lib/m.Job.start"),
            ],
        )
        for language, suffix in (("javascript", "js"), ("typescript", "ts"))
    },
}


@pytest.mark.parametrize("language", sorted(MEMBER_CALLS))
def test_an_attribute_call_on_a_value_names_a_method_where_the_language_says_so(
    tmp_path: Path, language: str
) -> None:
    """`x.f()` reaches a top-level function only when `x` is a module or namespace an import
    binds (Python `import a.b as x`, JS/TS `import * as ns`, `require`: rule 3); on a value only
    methods are candidates (the TypeScript oracle: `arr.map(...)` is no call of the `map`
    operator). Go `v.F()` on a value and Rust `x.f()` are method calls; Rust `a::f()` is a
    path."""
    files, expected = MEMBER_CALLS[language]
    repo = write_repo(tmp_path / "repo", files)
    tables = run_dataflow(repo, languages=[language])
    assert _calls_by_line(tables) == expected


REPEATED_PY = {
    "pkg/__init__.py": "",
    "pkg/defs.py": (
        "from typing import TYPE_CHECKING, overload\n"
        "def dup():\n"
        "    return 1\n"
        "def dup():\n"  # 4: binds `dup`
        "    return 2\n"
        "@overload\n"
        "def over(x: int) -> int: ...\n"
        "@overload\n"
        "def over(x: str) -> str: ...\n"
        "def over(x):\n"  # 10: the implementation
        "    return x\n"
        "if TYPE_CHECKING:\n"
        "    def tc(): ...\n"
        "else:\n"
        "    def tc(): ...\n"  # 15
        "class Box:\n"
        "    @overload\n"
        "    def put(self, x: int) -> None: ...\n"
        "    @overload\n"
        "    def put(self, x: str) -> None: ...\n"
        "    def put(self, x): ...\n"  # 21
        "    def fill(self):\n"
        "        self.put(1)\n"  # 23
        "dup(); over(1); tc()\n"  # 24
    ),
    "pkg/use.py": (
        "from pkg.defs import dup, over\n"
        "import pkg.defs\n"
        "def run(box):\n"
        "    dup(); over(2)\n"  # 4: through an import
        "    pkg.defs.tc()\n"  # 5: a qualified name
        "    box.put(3)\n"  # 6: rule 5: one qualified name, its last definition
    ),
}
REPEATED_TS = (
    "export function over(x: number): number;\n"
    "export function over(x: string): string;\n"
    "export function over(x: any): any {\n"  # 3: the implementation
    "  return x;\n"
    "}\n"
    "export class Box {\n"
    "  put(x: number): void;\n"
    "  put(x: string): void;\n"
    "  put(x: any): void {}\n"  # 9
    "  fill(box: Box) { this.put(1); box.put(2); over(3); }\n"  # 10
    "}\n"
)


def test_repeated_definitions_of_a_name_resolve_to_the_last(tmp_path: Path) -> None:
    """A name defined more than once in one scope (a redefinition, `@overload` stubs then the
    implementation, `if TYPE_CHECKING` / `else` branches, TypeScript overload signatures)
    stands for the definition Python binds last and the TypeScript implementation with a body,
    whichever rule finds it (the Jedi oracle found an import bound to the first)."""
    repo = write_repo(tmp_path / "repo", {**REPEATED_PY, "lib/a.ts": REPEATED_TS})
    tables = run_dataflow(repo, languages=["python", "typescript"])
    assert _targets_by_line(tables) == [
        (4, "dup", "pkg.defs.dup", 4),
        (4, "over", "pkg.defs.over", 10),
        (5, "pkg.defs.tc", "pkg.defs.tc", 15),
        (6, "box.put", "pkg.defs.Box.put", 21),
        (10, "box.put", "lib/a.Box.put", 9),
        (10, "over", "lib/a.over", 3),
        (10, "this.put", "lib/a.Box.put", 9),
        (23, "self.put", "pkg.defs.Box.put", 21),
        (24, "dup", "pkg.defs.dup", 4),
        (24, "over", "pkg.defs.over", 10),
        (24, "tc", "pkg.defs.tc", 15),
    ]


PYTHON_SUPER_CALLS = (
    "class Base:\n"
    "    def f(self): ...\n"
    "    def g(self): ...\n"
    "    def f(self): ...\n"  # 4: a redefinition: the one Python binds
    "class Mid(Base):\n"
    "    def h(self): ...\n"
    "class Other:\n"
    "    def k(self): ...\n"
    "class C(Mid, Other):\n"
    "    def f(self):\n"
    "        super().f()\n"  # 11: through Mid to Base
    "        super(C, self).h()\n"  # 12: the nearest base
    "        super(Mid, self).f()\n"  # 13: another class than the enclosing one: unresolved
    "        super().k()\n"  # 14: the second base, after the first one's chain
    "        super().nowhere()\n"  # 15: no base defines it
    "        self.g()\n"  # 16: not in C: inherited
    "        self.split()\n"  # 17: a builtin type's method name: never guessed
    "        x.k()\n"  # 18: unknown receiver, a name no builtin has: rule 5
)


def test_python_super_calls_and_inherited_self_members(tmp_path: Path) -> None:
    """`super().f()` / `super(C, self).f()`: the nearest base defining `f` (the MRO for single
    inheritance; of several bases, the one definition they lead to); `self.f` the class does not
    define: the same walk; a name a builtin type has is never guessed for an unknown receiver."""
    repo = write_repo(tmp_path / "repo", {"pkg/m.py": PYTHON_SUPER_CALLS})
    tables = run_dataflow(repo, languages=["python"])
    assert _targets_by_line(tables) == [
        (11, "super", "unresolved:super", None),
        (11, "super().f", "pkg.m.Base.f", 4),
        (12, "super", "unresolved:super", None),
        (12, "super(C, self).h", "pkg.m.Mid.h", 6),
        (13, "super", "unresolved:super", None),
        (13, "super(Mid, self).f", "unresolved:f", None),
        (14, "super", "unresolved:super", None),
        (14, "super().k", "pkg.m.Other.k", 8),
        (15, "super", "unresolved:super", None),
        (15, "super().nowhere", "unresolved:nowhere", None),
        (16, "self.g", "pkg.m.Base.g", 3),
        (17, "self.split", "unresolved:split", None),
        (18, "x.k", "pkg.m.Other.k", 8),
    ]


PYTHON_CLS_CALLS = (
    "class Base:\n"
    "    @classmethod\n"
    "    def make(cls): ...\n"  # 3
    "class Other:\n"
    "    def build(self): ...\n"  # 5
    "    def check(self): ...\n"  # 6
    "class C(Base):\n"
    "    def build(self): ...\n"  # 8
    "    @classmethod\n"
    "    def create(cls):\n"
    "        cls.build()\n"  # 11: the enclosing class's own, not Other's
    "        cls.make()\n"  # 12: inherited from Base
    "        cls.split()\n"  # 13: a builtin type's method name: never guessed
    "def free(cls):\n"
    "    cls.check()\n"  # 15: no enclosing class: a value of unknown type, rule 5
)


def test_python_cls_calls_are_members_of_the_enclosing_class(tmp_path: Path) -> None:
    """`cls.f()` in a classmethod names the enclosing class's `f`, else a base's, as `self.f`
    does; outside a class `cls` is just a name."""
    repo = write_repo(tmp_path / "repo", {"pkg/m.py": PYTHON_CLS_CALLS})
    tables = run_dataflow(repo, languages=["python"])
    assert _targets_by_line(tables) == [
        (11, "cls.build", "pkg.m.C.build", 8),
        (12, "cls.make", "pkg.m.Base.make", 3),
        (13, "cls.split", "unresolved:split", None),
        (15, "cls.check", "pkg.m.Other.check", 6),
    ]


def test_builtin_method_names_come_from_the_language() -> None:
    """Python's list holds `dir()` of its builtin types on the running interpreter (a newer
    Python's new names fail this until the written-out list has them); the ECMAScript one names
    the prototypes' methods, and neither holds a name no builtin has."""
    running = {
        name
        for builtin in (str, bytes, list, dict, set, tuple, int, float, object)
        for name in dir(builtin)
    }
    assert running <= cpg.PYTHON_BUILTIN_METHOD_NAMES, sorted(
        running - cpg.PYTHON_BUILTIN_METHOD_NAMES
    )
    assert {"split", "format", "items", "append", "__init__", "bit_length"} <= (
        cpg.PYTHON_BUILTIN_METHOD_NAMES
    )
    assert {"call", "apply", "bind", "push", "then", "split", "has", "test", "toISOString"} <= (
        cpg.ECMASCRIPT_BUILTIN_METHOD_NAMES
    )
    for names in (cpg.PYTHON_BUILTIN_METHOD_NAMES, cpg.ECMASCRIPT_BUILTIN_METHOD_NAMES):
        assert not {"run", "subscribe", "render", "load_target"} & names


# The std pages `RUST_BUILTIN_METHOD_NAMES` is read from (under the toolchain's
# share/doc/rust/html/std): types' inherent impls, traits' own methods.
RUST_BUILTIN_TYPE_PAGES = (
    *(
        f"primitive.{name}.html"
        for name in (
            "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128",
            "usize", "f32", "f64", "str", "slice",
        )
    ),
    "string/struct.String.html", "vec/struct.Vec.html",
    "collections/vec_deque/struct.VecDeque.html", "option/enum.Option.html",
    "result/enum.Result.html", "boxed/struct.Box.html", "rc/struct.Rc.html",
    "sync/struct.Arc.html", "cell/struct.Cell.html", "cell/struct.RefCell.html",
    "sync/struct.Mutex.html", "sync/struct.RwLock.html", "sync/struct.MutexGuard.html",
    "sync/struct.RwLockReadGuard.html", "sync/struct.RwLockWriteGuard.html",
    "collections/hash_map/struct.HashMap.html", "collections/hash_set/struct.HashSet.html",
    "collections/btree_map/struct.BTreeMap.html",
    *(
        f"sync/atomic/struct.Atomic{name}.html"
        for name in (
            "Bool", "I8", "I16", "I32", "I64", "Isize", "U8", "U16", "U32", "U64", "Usize", "Ptr",
        )
    ),
    "pin/struct.Pin.html", "ptr/struct.NonNull.html", "time/struct.Duration.html",
)  # fmt: skip
RUST_BUILTIN_TRAIT_PAGES = (
    "iter/trait.Iterator.html", "iter/trait.IntoIterator.html",
    "iter/trait.DoubleEndedIterator.html", "clone/trait.Clone.html",
    "string/trait.ToString.html", "convert/trait.Into.html", "convert/trait.AsRef.html",
    "convert/trait.AsMut.html", "borrow/trait.Borrow.html", "ops/trait.Deref.html",
    "cmp/trait.PartialEq.html", "cmp/trait.PartialOrd.html", "cmp/trait.Ord.html",
    "hash/trait.Hash.html", "default/trait.Default.html", "fmt/trait.Debug.html",
    "fmt/trait.Display.html",
)  # fmt: skip
# A method's header in rustdoc's HTML (`tymethod.` a trait's required one; `-1` a repeated
# anchor), and the marker right after it of one only nightly has.
_RUSTDOC_METHOD = re.compile(
    r'<section id="(?:ty)?method\.(\w+)(?:-\d+)?" class="method">.*?</section>'
    r'(<span class="item-info"><div class="stab unstable">)?',
    re.DOTALL,
)


def _rust_std_docs() -> Path | None:
    """The std HTML docs of the rustc on PATH (the rust-docs component), None if absent."""
    if shutil.which("rustc") is None:
        return None
    completed = subprocess.run(
        ["rustc", "--print", "sysroot"], capture_output=True, text=True, check=False
    )
    docs = Path(completed.stdout.strip()) / "share" / "doc" / "rust" / "html" / "std"
    return docs if completed.returncode == 0 and (docs / "index.html").is_file() else None


def _stable_rustdoc_methods(html: str) -> set[str]:
    return {match[1] for match in _RUSTDOC_METHOD.finditer(html) if match[2] is None}


def test_rust_builtin_method_names_are_the_std_docs_methods() -> None:
    """``RUST_BUILTIN_METHOD_NAMES`` is exactly the stable methods the installed toolchain's
    std docs give the chosen types (their inherent impls, the section before the trait
    implementations: a String's or Vec's methods from Deref too) and traits (required and
    provided, the part before the implementors): read from the docs, not picked by hand (a
    newer toolchain's new names fail this until the written-out list has them)."""
    docs = _rust_std_docs()
    if docs is None:
        pytest.skip("no Rust std HTML docs (rustup component add rust-docs) to read the names from")
    documented: set[str] = set()
    for page in RUST_BUILTIN_TYPE_PAGES:
        html = (docs / page).read_text(encoding="utf-8")
        inherent = html[html.index('<h2 id="implementations"') :]
        documented |= _stable_rustdoc_methods(inherent.split('<h2 id="trait-implementations"')[0])
    for page in RUST_BUILTIN_TRAIT_PAGES:
        html = (docs / page).read_text(encoding="utf-8")
        documented |= _stable_rustdoc_methods(html[: html.index('<h2 id="implementors"')])
    assert {"checked_add", "iter", "truncate", "push_back", "lock", "next", "clone"} <= documented
    assert documented == cpg.RUST_BUILTIN_METHOD_NAMES, (
        sorted(documented - cpg.RUST_BUILTIN_METHOD_NAMES),
        sorted(cpg.RUST_BUILTIN_METHOD_NAMES - documented),
    )
    assert cpg.BUILTIN_METHOD_NAMES["rust"] is cpg.RUST_BUILTIN_METHOD_NAMES


def test_nameless_base_names_hold_what_object_abc_generic_and_protocol_define() -> None:
    """``NAMELESS_BASE_NAMES`` is written out: it must hold every name ``object``, ``ABC``,
    ``Generic``, ``Protocol`` and a class deriving from each have on the running Python, and no
    method that only a builtin container has (``get``) or a context manager (``__exit__``)."""
    type_var = typing.TypeVar("type_var")

    class Abstract(abc.ABC):  # noqa: B024 (what ABC alone puts on a class)
        pass

    class Parametrized(typing.Generic[type_var]):
        pass

    class Structural(typing.Protocol):
        pass

    running = {
        name for base in (object, abc.ABC, typing.Generic, typing.Protocol) for name in dir(base)
    } | {name for cls in (Abstract, Parametrized, Structural) for name in dir(cls)}
    assert running <= cpg.NAMELESS_BASE_NAMES, sorted(running - cpg.NAMELESS_BASE_NAMES)
    assert not {"get", "copy", "items", "__exit__", "__enter__", "__iter__"} & (
        cpg.NAMELESS_BASE_NAMES
    )


JAVA_OVERLOADS = (
    "class P {\n"
    "  void m() {}\n"
    "  void o(int a) {}\n"
    "  void o(String s) {}\n"
    "}\n"
    "class Q extends P {\n"
    "  Q() { super(); }\n"  # 7: the base's constructor call: its class (no constructor)
    "  void m() { super.m(); this.o(1); }\n"  # 8: super.m; o(int), not the last by line
    "  void r(int a) {}\n"
    "  void r(String s) {}\n"
    "  void s() { r(this); t(); }\n"  # 11: overloads, no argument type known: none; t: one
    "  void t() {}\n"
    "}\n"
)


def test_java_overloads_are_not_redefinitions(tmp_path: Path) -> None:
    """Java overloads all live and the argument types pick one (`this.o(1)`: `o(int)`): a
    name alone resolves to none of them (the last by line would be a guess); a single method
    still resolves, `super.f()` to the base's."""
    repo = write_repo(tmp_path / "repo", {"src/Q.java": JAVA_OVERLOADS})
    tables = run_dataflow(repo, languages=["java"])
    assert _targets_by_line(tables) == [
        (7, "super", "P", 1),
        (8, "super.m", "P.m", 2),
        (8, "this.o", "P.o", 3),
        (11, "r", "unresolved:r", None),
        (11, "t", "Q.t", 12),
    ]


PYTHON_SEVERAL_BASES = (
    "class Top:\n"
    "    def f(self): ...\n"
    "class Zed(Top):\n"
    "    def g(self): ...\n"
    "class Alpha(Top):\n"
    "    def g(self): ...\n"
    "class C(Zed, Alpha):\n"
    "    def run(self):\n"
    "        super().f()\n"  # 9: both bases lead to Top.f: one definition
    "        super().g()\n"  # 10: Zed.g by the MRO; the order of bases is not recorded
    "        self.g()\n"  # 11: likewise
)


def test_python_several_bases_resolve_only_to_a_definition_every_order_gives(
    tmp_path: Path,
) -> None:
    """The inherits table keeps bases of one line by their text, not as written
    (``class C(Zed, Alpha)``: MRO C, Zed, Alpha, Top): where several bases give different
    definitions the call is unresolved (Alpha.g would be a wrong edge), one all of them give
    resolves."""
    repo = write_repo(tmp_path / "repo", {"pkg/m.py": PYTHON_SEVERAL_BASES})
    tables = run_dataflow(repo, languages=["python"])
    resolved = _resolved_by_line(tables)
    assert resolved[(9, "super().f")] == "pkg.m.Top.f"
    assert resolved[(10, "super().g")] == "unresolved:g"
    assert resolved[(11, "self.g")] == "unresolved:g"


JAVA_EXTENDS_AND_IMPLEMENTS = (
    "interface Alpha { default void m() {} void n(); }\n"
    "class Zed { Zed() {} void m() {} }\n"
    "class Q extends Zed implements Alpha {\n"
    "  Q() { super(); }\n"  # 4: the superclass's constructor, never the interface
    "  void n() { super.m(); this.m(); }\n"  # 5: the superclass's m (class wins)
    "}\n"
    "class R implements Alpha {\n"
    "  R() { super(); }\n"  # 8: Object's constructor: no base in the repository
    "  void n() { this.m(); }\n"  # 9: the interface's default method
    "}\n"
)


def test_java_super_names_the_superclass_never_an_interface(tmp_path: Path) -> None:
    """`super(...)` and `super.f()` reach the superclass (`extends`), whatever the bases' text
    order; `this.f` finds a superclass method before an interface's default method."""
    repo = write_repo(tmp_path / "repo", {"src/Q.java": JAVA_EXTENDS_AND_IMPLEMENTS})
    tables = run_dataflow(repo, languages=["java"])
    resolved = _resolved_by_line(tables)
    assert resolved[(4, "super")] == "Zed.Zed"
    assert resolved[(5, "super.m")] == "Zed.m"
    assert resolved[(5, "this.m")] == "Zed.m"
    assert resolved[(8, "super")] == "unresolved:super"
    assert resolved[(9, "this.m")] == "Alpha.m"


TYPESCRIPT_EXTENDS_AND_IMPLEMENTS = (
    "interface Alpha { m(): void; }\n"
    "class Zed { constructor() {} m() {} }\n"
    "class Q extends Zed implements Alpha {\n"
    "  constructor() { super(); }\n"  # 4: Zed's constructor, never the interface
    "  n() { super.m(); this.m(); }\n"  # 5: Zed.m (an interface is no prototype)
    "}\n"
    "class R extends External implements Alpha {\n"
    "  n() { super.m(); }\n"  # 8: External is outside the repository: unresolved
    "}\n"
)


def test_typescript_super_never_walks_implemented_interfaces(tmp_path: Path) -> None:
    """`implements` puts nothing on the prototype chain: `super(...)`, `super.f()` and an
    inherited `this.f` follow `extends` only, whatever the bases' text order."""
    repo = write_repo(tmp_path / "repo", {"lib/q.ts": TYPESCRIPT_EXTENDS_AND_IMPLEMENTS})
    tables = run_dataflow(repo, languages=["typescript"])
    resolved = _resolved_by_line(tables)
    assert resolved[(4, "super")] == "lib/q.Zed.constructor"
    assert resolved[(5, "super.m")] == "lib/q.Zed.m"
    assert resolved[(5, "this.m")] == "lib/q.Zed.m"
    assert resolved[(8, "super.m")] == "unresolved:m"


RUST_IMPLS = (
    "struct Foo;\n"
    "impl Foo { fn f(&self) {} fn g(&self) {} }\n"
    "trait T { fn f(&self); }\n"
    "impl T for Foo { fn f(&self) {} }\n"
    "impl Foo { fn h(&self) { self.f(); self.g(); } }\n"  # 5
    "fn main() { let x = Foo; x.f(); x.g(); }\n"  # 6
)


def test_rust_methods_of_several_impls_are_not_redefinitions(tmp_path: Path) -> None:
    """An inherent `f` and a trait impl's `f` of one type both live: `self.f()` / `x.f()` name
    neither for sure (unresolved), a method of one impl only still resolves."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_IMPLS})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(5, "self.f")] == "unresolved:f"
    assert resolved[(6, "x.f")] == "unresolved:f"
    assert resolved[(5, "self.g")] == "crate::Foo::g"
    assert resolved[(6, "x.g")] == "crate::Foo::g"


RUST_STRUCT_WITH_IMPL_IN_A_FUNCTION = (
    "fn run() {\n"
    "    struct Meters(u32);\n"
    "    impl Meters {\n"
    "        fn double(&self) -> u32 { self.0 * 2 }\n"
    "    }\n"
    "    let m = Meters(1);\n"  # 6: the tuple struct's constructor, not the impl
    "    m.double();\n"  # 7: through the declared type Meters
    "}\n"
)


def test_a_rust_impl_is_no_second_definition_of_its_struct_in_a_scope(tmp_path: Path) -> None:
    """`struct Meters` and `impl Meters` in one function scope: the name `Meters` stands for the
    struct (an impl is no definition of the type it names), so the constructor call and the
    member call through the declared type resolve instead of counting as two definitions."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_STRUCT_WITH_IMPL_IN_A_FUNCTION})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(6, "Meters")] == "crate::run::Meters"
    assert resolved[(7, "m.double")] == "crate::run::Meters::double"


RUST_STANDARD_PATHS = (
    "pub struct Core;\n"
    "impl Core {\n"
    "    pub fn pop_task(&self) {}\n"
    "}\n"
    "pub fn remove_file(path: &str) {\n"
    "    std::fs::remove_file(path);\n"  # 6: the standard library's, not this function
    "    ::std::iter::once(1);\n"  # 7
    "}\n"
    "pub fn once() {}\n"
    "fn run(core: Box<Core>, other: Thing) {\n"
    "    core.pop_task();\n"  # 11: a value named `core`, typed Core
    "    other.pop_task();\n"  # 12: unknown type: rule 5 as before
    "}\n"
)


def test_rust_paths_under_std_are_from_outside(tmp_path: Path) -> None:
    """`std::fs::remove_file(p)` inside a repository `fn remove_file` names the standard
    library's function: never the repository's same-named one by a unique-name guess; a value
    that happens to be named `core` is no path."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_STANDARD_PATHS})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(6, "std::fs::remove_file")] == "unresolved:remove_file"
    assert resolved[(7, "::std::iter::once")] == "unresolved:once"
    assert resolved[(11, "core.pop_task")] == "crate::Core::pop_task"
    assert resolved[(12, "other.pop_task")] == "crate::Core::pop_task"


JAVA_PLATFORM_PATHS = (
    "package app;\n"
    "class Sorter {\n"
    "    void sort(java.util.List<String> xs) {\n"
    "        java.util.Collections.sort(xs);\n"  # 4: the platform's, not Sorter.sort
    "        helper.sort(xs);\n"  # 5: unknown receiver: rule 5 as before
    "    }\n"
    "}\n"
)


def test_java_paths_under_the_platform_packages_are_from_outside(tmp_path: Path) -> None:
    """`java.util.Collections.sort(xs)` written out names the platform's method, never the
    repository's only `sort` by a unique-name guess."""
    repo = write_repo(tmp_path / "repo", {"src/app/Sorter.java": JAVA_PLATFORM_PATHS})
    tables = run_dataflow(repo, languages=["java"])
    resolved = _resolved_by_line(tables)
    assert resolved[(4, "java.util.Collections.sort")] == "unresolved:sort"
    assert resolved[(5, "helper.sort")] == "app.Sorter.sort"


RUST_IMPLS_IN_FILES = {
    "src/lib.rs": "mod a;\nmod b;\nmod c;\npub struct S;\nfn main() { let s = S; s.f(); s.g(); }\n",
    "src/a.rs": "use crate::S;\nimpl S {\n    fn f(&self) {}\n    fn g(&self) { self.f(); }\n}\n",
    "src/b.rs": "use crate::{S, T};\nimpl T for S {\n    fn f(&self) { self.g(); }\n}\n",
    "src/c.rs": "use crate::S;\nimpl S {\n    fn h(&self) { self.f(); self.g(); }\n}\n",
}


def test_rust_methods_of_one_type_in_impls_of_several_files_all_live(tmp_path: Path) -> None:
    """`impl S` in a.rs and `impl T for S` in b.rs both define `f` (each impl is named after its
    file's module, crate::a::S / crate::b::S): no call of `f` on an S names one of them for
    sure, not even from a.rs itself; `g`, defined once, resolves from every file."""
    repo = write_repo(tmp_path / "repo", RUST_IMPLS_IN_FILES)
    tables = run_dataflow(repo, languages=["rust"])
    nodes = tables["cpg_nodes"]
    names = dict(zip(nodes["id"].to_list(), nodes["qualified_name"].to_list(), strict=True))
    calls = nodes.filter(pl.col("label") == "CALL").select(
        "id", "path", "start_line", "qualified_name"
    )
    edges = {
        (path, line, callee): names.get(target, target)
        for path, line, callee, target in tables["cpg_edges"]
        .filter(pl.col("label") == "CALLS")
        .join(calls, left_on="src", right_on="id", how="inner")
        .select("path", "start_line", "qualified_name", "dst")
        .iter_rows()
    }
    assert edges == {
        ("src/lib.rs", 5, "s.f"): "unresolved:f",
        ("src/lib.rs", 5, "s.g"): "crate::a::S::g",
        ("src/a.rs", 4, "self.f"): "unresolved:f",
        ("src/b.rs", 3, "self.g"): "crate::a::S::g",
        ("src/c.rs", 3, "self.f"): "unresolved:f",
        ("src/c.rs", 3, "self.g"): "crate::a::S::g",
    }


DECLARED_PY_MODELS = """\
from threading import Event


class Base:
    def inherited(self):
        pass


class Handle(Base):
    def origin(self):
        pass


class Other:
    def origin(self):
        pass

    def only_here(self):
        pass

    def is_set(self):
        pass

    def guessed(self):
        pass


def make():
    return Handle()
"""
DECLARED_PY_USE = """\
from threading import Event

from pkg.models import Handle, make


def run(handle: Handle, ev: Event, name: str, anything, maybe: "Optional[Handle]"):
    handle.origin()
    handle.inherited()
    handle.only_here()
    ev.is_set()
    name.guessed()
    anything.only_here()
    maybe.origin()
    built = Handle()
    built.origin()
    made = make()
    made.only_here()


class Service:
    def __init__(self, handle: Handle):
        self.handle = handle

    def go(self):
        self.handle.inherited()
"""


def test_python_member_calls_resolve_through_the_declared_type(tmp_path: Path) -> None:
    """A receiver with a declared type (``receiver_type``) calls that type's member, else the
    nearest base's; a member neither has is unresolved (no rule-5 guess), and so is a call on
    a type from outside the repository or a builtin; an unknown receiver, or a name bound to a
    function's result, keeps rule 5."""
    repo = write_repo(
        tmp_path / "repo", {"pkg/models.py": DECLARED_PY_MODELS, "pkg/use.py": DECLARED_PY_USE}
    )
    tables = run_dataflow(repo, languages=["python"])
    targets = [row for row in _targets_by_line(tables) if row[1] not in ("Handle", "make")]
    assert [row for row in targets if row[0] > 5] == [
        (7, "handle.origin", "pkg.models.Handle.origin", 10),  # the type's own member
        (8, "handle.inherited", "pkg.models.Base.inherited", 5),  # a base's
        (9, "handle.only_here", "unresolved:only_here", None),  # not rule 5's Other.only_here
        (10, "ev.is_set", "unresolved:is_set", None),  # a type from outside: no guess
        (11, "name.guessed", "unresolved:guessed", None),  # a builtin type
        (12, "anything.only_here", "pkg.models.Other.only_here", 18),  # unknown: rule 5
        (13, "maybe.origin", "pkg.models.Handle.origin", 10),
        (15, "built.origin", "pkg.models.Handle.origin", 10),  # `Handle()` is a Handle
        (17, "made.only_here", "pkg.models.Other.only_here", 18),  # a function's result: rule 5
        (25, "self.handle.inherited", "pkg.models.Base.inherited", 5),  # a field
    ]


DECLARED_TS = """\
import { Observable } from "rxjs";

export interface Observer<T> {
  next(value: T): void;
}

export class Subscriber<T> implements Observer<T> {
  next(value: T): void {}
  error(err: unknown): void {}
}

export class OperatorSubscriber<T> extends Subscriber<T> {
  unsubscribe(): void {}
}

export class Elsewhere {
  error(): void {}
  pipe(): void {}
  complete(): void {}
}

export function subscribe<T>(subscriber: Subscriber<T>, observer: Observer<T>, source: Observable<T>, xhr: XMLHttpRequest, later) {
  subscriber.error(1);
  observer.next(1);
  source.pipe();
  xhr.complete();
  later.complete();
  const callback = function (this: OperatorSubscriber<T>) { this.unsubscribe(); this.error(2); };
}

class Holder {
  private inner?: OperatorSubscriber<number>;
  run() {
    this.inner?.error(3);
  }
}
"""


def test_typescript_member_calls_resolve_through_the_declared_type(tmp_path: Path) -> None:
    """TypeScript: typed parameters, an interface's method signature, the explicit `this`
    parameter, a typed field; an imported library type and a DOM type are unresolved."""
    repo = write_repo(tmp_path / "repo", {"src/sub.ts": DECLARED_TS})
    tables = run_dataflow(repo, languages=["typescript"])
    assert _targets_by_line(tables) == [
        (23, "subscriber.error", "src/sub.Subscriber.error", 9),
        (24, "observer.next", "src/sub.Observer.next", 4),
        (25, "source.pipe", "unresolved:pipe", None),
        (26, "xhr.complete", "unresolved:complete", None),
        (27, "later.complete", "src/sub.Elsewhere.complete", 19),
        (28, "this.error", "src/sub.Subscriber.error", 9),  # a base's
        (28, "this.unsubscribe", "src/sub.OperatorSubscriber.unsubscribe", 13),
        (34, "this.inner?.error", "src/sub.Subscriber.error", 9),
    ]


FOR_OF = {
    "src/node.ts": """\
export class Node {
  origin(): void {}
}
export class Other {
  origin(): void {}
  stray(): void {}
}
""",
    "src/loops.ts": """\
import { Node } from "./node";
export function walk(xs: Node[], ys: Set<Node>, ms: Map<string, Node>, ss: string[], later) {
  for (const x of xs) x.origin();
  for (const y of ys) { y.stray(); }
  for (const m of ms) m.stray();
  for (const s of ss) s.stray();
  for (const l of later) l.stray();
}
""",
    "lib/loops.js": """\
const Node = require("./node");
/**
 * @param {Node[]} xs nodes
 * @param {Iterable<Node>} ys more nodes
 */
function walk(xs, ys, other) {
  for (const x of xs) x.origin();
  for (const y of ys) y.stray();
  for (const o of other) o.stray();
}
module.exports = walk;
""",
    "lib/node.js": """\
class Node {
  origin() {}
}
class Other {
  stray() {}
}
module.exports = Node;
""",
}


def test_for_of_variables_resolve_through_the_containers_element_type(tmp_path: Path) -> None:
    """``for (const x of xs)`` over ``xs: Node[]`` / ``Set<Node>`` (TypeScript) or ``@param
    {Node[]} xs`` / ``{Iterable<Node>}`` (JavaScript): x is a Node, its member calls rule 4a's
    (``y.stray()``: a Node has none, never the rule-5 guess ``Other.stray``); a ``Map``'s
    entries, a ``string[]``'s strings and an undocumented container: as before (rule 5 or
    unresolved)."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", FOR_OF), languages=["typescript", "javascript"]
    )
    assert _targets_by_line(tables) == [
        (1, "require", "unresolved:require", None),
        (3, "x.origin", "src/node.Node.origin", 2),
        (4, "y.stray", "unresolved:stray", None),
        (5, "m.stray", "src/node.Other.stray", 6),  # a Map's pairs: no element type
        (6, "s.stray", "unresolved:stray", None),  # a builtin string
        (7, "l.stray", "src/node.Other.stray", 6),  # no declared type: rule 5
        (7, "x.origin", "lib/node.Node.origin", 2),
        (8, "y.stray", "unresolved:stray", None),
        (9, "o.stray", "lib/node.Other.stray", 5),  # undocumented: rule 5
    ]


# Rule 3's re-exports: a module's name bound by its own import stands for that import's target.
REEXPORTS_PY = {
    "pkg/__init__.py": (
        "from .mid import f, Base\n"  # a chain: pkg.f -> pkg.mid.f -> pkg.m.f
        "from .m import f2 as g\n"  # an alias
        "from .star import *\n"  # a glob: public names only
        "from os.path import join\n"  # a name from outside the repository
        "from .cyc_a import loop\n"  # a cycle: pkg.cyc_a <-> pkg.cyc_b
        "from .m import f2 as own\n"
        "def own(): ...\n"  # the module's own definition wins over its import
    ),
    "pkg/mid.py": "from pkg.m import f\nfrom pkg.m import Base\n",
    "pkg/m.py": (
        "def f(): ...\n"
        "def f2(): ...\n"
        "class Base:\n"
        "    def __init__(self): ...\n"
        "    @staticmethod\n"
        "    def make(): ...\n"
    ),
    "pkg/star.py": "def s(): ...\ndef _hidden(): ...\n",
    "pkg/cyc_a.py": "from pkg.cyc_b import loop\n",
    "pkg/cyc_b.py": "from pkg.cyc_a import loop\n",
    "pkg/lazy.py": "def load():\n    from pkg.m import f\n    f()\n",  # not a module attribute
    "pkg/tools.py": "class Path:\n    def join(self): ...\n",  # the one repository `join`
    "app.py": (
        "from pkg import f, g, s, _hidden, join, loop, Base, own\n"
        "from pkg.lazy import f as lazy_f\n"
        "import pkg\n"
        "def run():\n"
        "    f()\n"  # 5
        "    g()\n"  # 6
        "    s()\n"  # 7
        "    _hidden()\n"  # 8
        "    join()\n"  # 9
        "    loop()\n"  # 10
        "    pkg.f()\n"  # 11
        "    pkg.g()\n"  # 12
        "    Base()\n"  # 13
        "    Base.make()\n"  # 14
        "    pkg.Base.make()\n"  # 15
        "    pkg.join()\n"  # 16
        "    own()\n"  # 17
        "    lazy_f()\n"  # 18
        "class Sub(pkg.Base): ...\n"
        "class Sub2(Base): ...\n"
    ),
}


def test_python_imports_follow_reexports_inside_the_repository(tmp_path: Path) -> None:
    """A name a module binds by a module-level import is that import's target, followed through
    chains, aliases, `__init__` re-exports reached by `import pkg; pkg.f()` and globs (public
    names only), for calls, constructors, base types and IMPORTS edges; a cycle and a name from
    outside the repository stay unresolved (no rule-5 guess for `pkg.join`), a module's own
    definition wins over its import, and a function's import is no attribute of its module."""
    repo = write_repo(tmp_path / "repo", REEXPORTS_PY)
    tables = run_dataflow(repo, languages=["python"])
    assert _targets_by_line(tables) == [
        (3, "f", "pkg.m.f", 1),  # pkg/lazy.py: its function's own import
        (5, "f", "pkg.m.f", 1),
        (6, "g", "pkg.m.f2", 2),
        (7, "s", "pkg.star.s", 1),
        (8, "_hidden", "unresolved:_hidden", None),
        (9, "join", "unresolved:join", None),
        (10, "loop", "unresolved:loop", None),
        (11, "pkg.f", "pkg.m.f", 1),
        (12, "pkg.g", "pkg.m.f2", 2),
        (13, "Base", "pkg.m.Base.__init__", 4),
        (14, "Base.make", "pkg.m.Base.make", 6),
        (15, "pkg.Base.make", "pkg.m.Base.make", 6),
        (16, "pkg.join", "unresolved:join", None),
        (17, "own", "pkg.own", 7),
        (18, "lazy_f", "unresolved:lazy_f", None),
    ]
    assert described_edges(tables, "INHERITS_FROM") == [
        ("TYPE_DECL:app.Sub", "TYPE_DECL:pkg.m.Base", True),
        ("TYPE_DECL:app.Sub2", "TYPE_DECL:pkg.m.Base", True),
    ]
    imports = {(src, dst) for src, dst, _ in described_edges(tables, "IMPORTS")}
    assert {
        ("IMPORT:pkg.f", "METHOD:pkg.m.f"),
        ("IMPORT:pkg.mid.f", "METHOD:pkg.m.f"),
        ("IMPORT:pkg.g", "METHOD:pkg.m.f2"),
        ("IMPORT:pkg.s", "METHOD:pkg.star.s"),
        ("IMPORT:pkg.Base", "TYPE_DECL:pkg.m.Base"),
        ("IMPORT:pkg.own", "METHOD:pkg.own"),
        ("IMPORT:pkg._hidden", "unresolved:pkg._hidden"),
        ("IMPORT:pkg.join", "unresolved:pkg.join"),
        ("IMPORT:pkg.loop", "unresolved:pkg.loop"),
        ("IMPORT:pkg.cyc_a.loop", "unresolved:pkg.cyc_a.loop"),
        ("IMPORT:pkg.lazy.f", "unresolved:pkg.lazy.f"),
    } <= imports


REEXPORTS_TS = {
    "src/index.ts": (
        "export { X } from './x';\n"
        "export * from './star';\n"
        "export { Y as Z } from './y';\n"
        "import { P } from './p';\n"  # imported, never exported: not importable from here
        "export { Base } from './base';\n"
        "import { Q } from './q';\n"
        "export { Q };\n"  # an imported name exported by a clause
        "export { local as L };\n"  # the file's own function under another name
        "function local() {}\n"
        "X();\n"  # 10: `export ... from` binds nothing in the file itself
    ),
    "src/x.ts": "export function X() {}\n",
    "src/star.ts": "export function S() {}\nexport default function D() {}\n",
    "src/y.ts": "export function Y() {}\n",
    "src/p.ts": "export function P() {}\n",
    "src/q.ts": "export function Q() {}\n",
    "src/base.ts": "export class Base { constructor() {} static make() {} }\n",
    "src/app.ts": (
        "import { X, S, Z, P, Base, Q, L } from './index';\n"
        "import * as lib from './index'; import Dflt from './index';\n"
        "function run() {\n"
        "  X();\n"  # 4
        "  S();\n"  # 5
        "  Z();\n"  # 6
        "  P();\n"  # 7
        "  new Base();\n"  # 8
        "  Base.make();\n"  # 9
        "  lib.X();\n"  # 10
        "  lib.Base.make();\n"  # 11
        "  Q();\n"  # 12
        "  L();\n"  # 13
        "  Dflt();\n"  # 14: `export *` carries no default export
        "}\n"
        "class Sub extends Base {}\n"
        "class Sub2 extends lib.Base {}\n"
    ),
}


@pytest.mark.parametrize(("language", "suffix"), [("typescript", "ts"), ("javascript", "js")])
def test_script_imports_follow_exports_inside_the_repository(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """`export {X} from`, `export *` (no default), `export {Y as Z} from`, `export {Q}` of an
    imported name and `export {local as L}` make the names importable from the module, for
    calls, `new`, static members, namespace imports, base types and IMPORTS edges; a plain
    `import {P}` does not, and an `export ... from` binds nothing in its own file."""
    files = {path.removesuffix(".ts") + f".{suffix}": text for path, text in REEXPORTS_TS.items()}
    repo = write_repo(tmp_path / "repo", files)
    tables = run_dataflow(repo, languages=[language])
    exported = tables[f"{language}.imports"].filter(pl.col("path") == f"src/index.{suffix}")
    assert sorted(exported.select("line", "module", "name", "alias", "exported").iter_rows()) == [
        (1, "./x", "X", None, True),
        (2, "./star", "*", None, True),
        (3, "./y", "Y", "Z", True),
        (4, "./p", "P", None, False),
        (5, "./base", "Base", None, True),
        (6, "./q", "Q", None, False),
        (7, None, "Q", None, True),
        (8, None, "local", "L", True),
    ]
    assert _targets_by_line(tables) == [
        (4, "X", "src/x.X", 1),
        (5, "S", "src/star.S", 1),
        (6, "Z", "src/y.Y", 1),
        (7, "P", "unresolved:P", None),
        (8, "Base", "src/base.Base.constructor", 1),
        (9, "Base.make", "src/base.Base.make", 1),
        (10, "X", "unresolved:X", None),  # src/index.ts
        (10, "lib.X", "src/x.X", 1),
        (11, "lib.Base.make", "src/base.Base.make", 1),
        (12, "Q", "src/q.Q", 1),
        (13, "L", "src.local", 9),
        (14, "Dflt", "unresolved:Dflt", None),
    ]
    assert described_edges(tables, "INHERITS_FROM") == [
        ("TYPE_DECL:src/app.Sub", "TYPE_DECL:src/base.Base", True),
        ("TYPE_DECL:src/app.Sub2", "TYPE_DECL:src/base.Base", True),
    ]
    imports = {(src, dst) for src, dst, _ in described_edges(tables, "IMPORTS")}
    assert {
        ("IMPORT:src.X", "METHOD:src/x.X"),
        ("IMPORT:src.S", "METHOD:src/star.S"),
        ("IMPORT:src.Z", "METHOD:src/y.Y"),
        ("IMPORT:src.P", "unresolved:src.P"),
        ("IMPORT:src.Base", "TYPE_DECL:src/base.Base"),
        ("IMPORT:src.Q", "METHOD:src/q.Q"),
        ("IMPORT:src.L", "METHOD:src.local"),
        ("IMPORT:src.local", "METHOD:src.local"),  # `export {local as L}` itself
        ("IMPORT:src.default", "unresolved:src.default"),
    } <= imports


DEFAULT_EXPORTS_TS = {
    "src/b.ts": "export default class B { static s() {} m() {} }\nexport function c() {}\n",
    "src/f.ts": "export default function f() {}\n",
    "src/g.ts": "class G { static s() {} m() {} }\nexport default G;\n",
    "src/anon.ts": "export default class { static s() {} }\nexport function a() {}\n",
    "src/value.ts": "function v() {}\nexport default v();\n",
    "src/re.ts": "export { default } from './b';\nexport { default as F } from './f';\n",
    "src/use.ts": (
        "import B, { c } from './b';\n"
        "import f from './f';\n"
        "import G from './g';\n"
        "import A from './anon';\n"
        "import V from './value';\n"
        "import R, { F } from './re';\n"
        "B.s();\n"  # 7
        "new B().m();\n"  # 8
        "c();\n"  # 9
        "f();\n"  # 10
        "G.s();\n"  # 11
        "new G().m();\n"  # 12
        "A.s();\n"  # 13: an anonymous class, no symbol
        "V();\n"  # 14: a value, no symbol names it
        "R.s();\n"  # 15
        "F();\n"  # 16
    ),
}


@pytest.mark.parametrize(("language", "suffix"), [("typescript", "ts"), ("javascript", "js")])
def test_a_default_import_binds_the_declaration_export_default_names(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """`export default class B {}`, `export default function f() {}` and `export default G;`
    make the file's own B, f, G its `default` (`export {G as default}`), what `import B from`
    binds, also through `export {default} from` / `export {default as F} from` (tsc resolves
    them all there); an anonymous class or another value stays unresolved."""
    files = {
        path.removesuffix(".ts") + f".{suffix}": text for path, text in DEFAULT_EXPORTS_TS.items()
    }
    tables = run_dataflow(write_repo(tmp_path / "repo", files), languages=[language])
    exported = tables[f"{language}.imports"].filter(pl.col("exported") & pl.col("module").is_null())
    assert sorted(exported.select("path", "name", "alias").iter_rows()) == [
        (f"src/b.{suffix}", "B", "default"),
        (f"src/f.{suffix}", "f", "default"),
        (f"src/g.{suffix}", "G", "default"),
    ]
    assert [row for row in _targets_by_line(tables) if row[0] >= 7] == [
        (7, "B.s", "src/b.B.s", 1),
        (8, "B", "src/b.B", 1),
        (8, "new B().m", "src/b.B.m", 1),
        (9, "c", "src/b.c", 2),
        (10, "f", "src/f.f", 1),
        (11, "G.s", "src/g.G.s", 1),
        (12, "G", "src/g.G", 1),
        (12, "new G().m", "src/g.G.m", 1),
        (13, "A.s", "unresolved:s", None),
        (14, "V", "unresolved:V", None),
        (15, "R.s", "src/b.B.s", 1),
        (16, "F", "src/f.f", 1),
    ]


AMBIENT_MODULE_DEFAULTS_TS = {
    "src/lib.ts": (
        "class X { static s(): void {} }\n"
        "class Y { static s(): void {} }\n"
        'declare module "m" {\n'
        "  export default class X { static s(): void; }\n"
        "}\n"
        'declare module "n" {\n'
        "  class Y { static s(): void; }\n"
        "  export default Y;\n"
        "}\n"
    ),
    "src/use.ts": "import D from './lib';\nD.s();\nnew D();\n",
}


def test_an_ambient_modules_default_export_is_not_the_files(tmp_path: Path) -> None:
    """`export default class X {}` / `export default Y;` inside `declare module "m" {}` are
    m's default, not the file's: the file has no default export, `import D from` it names
    nothing (tsc: no result; was the file's own X, a wrong edge)."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", AMBIENT_MODULE_DEFAULTS_TS), languages=["typescript"]
    )
    assert tables["typescript.imports"].filter(pl.col("exported")).height == 0
    assert _targets_by_line(tables) == [
        (2, "D.s", "unresolved:s", None),
        (3, "D", "unresolved:D", None),
    ]


DEFAULT_GENERATOR_TS = {
    "src/gen.ts": "export default function* g() {}\n",
    "src/use.ts": "import g from './gen';\ng();\n",
}


@pytest.mark.parametrize(("language", "suffix"), [("typescript", "ts"), ("javascript", "js")])
def test_a_default_generator_function_is_the_default_import(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """`export default function* g() {}` makes g the file's default, as a function (tsc: g()
    is gen's g)."""
    files = {
        path.removesuffix(".ts") + f".{suffix}": text for path, text in DEFAULT_GENERATOR_TS.items()
    }
    tables = run_dataflow(write_repo(tmp_path / "repo", files), languages=[language])
    assert _targets_by_line(tables) == [(2, "g", "src/gen.g", 1)]


CLASS_EXPRESSION_NAMES_TS = {
    "src/a.ts": (
        "class Outer { static s() {} }\n"
        "const A = class Inner {\n"
        "  m() {\n"
        "    Inner.s();\n"  # 4
        "    new Inner().n();\n"  # 5
        "    Inner.n();\n"  # 6: an instance method through the class value
        "    Outer.s();\n"  # 7
        "  }\n"
        "  n() {}\n"
        "  static s() {}\n"
        "};\n"
        "const B = class Outer { m() { Outer.s(); } static s() {} };\n"  # 12
        "function wrap() {\n"
        "  const D = class DD { static u() {} v() { DD.u(); } };\n"  # 14
        "}\n"
        "const E = class Unnamed { static w() {} };\n"
        "Inner.s();\n"  # 17: outside the class body
    ),
}


@pytest.mark.parametrize(("language", "suffix"), [("typescript", "ts"), ("javascript", "js")])
def test_a_class_expression_names_its_class_inside_its_body(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """A class expression's own name is the class inside its body, its methods' too (tsc:
    `Inner.s()` is A's static s, `new Inner().n()` A's n, `Outer.s()` in `B = class Outer` B's
    s, not the top-level Outer's), read as the class value (an instance method through it is
    unresolved); outside the body it names nothing. The binding is an imports row of the file's
    own class in its scope, only where the body writes the name."""
    files = {
        path.removesuffix(".ts") + f".{suffix}": text
        for path, text in CLASS_EXPRESSION_NAMES_TS.items()
    }
    tables = run_dataflow(write_repo(tmp_path / "repo", files), languages=[language])
    rows = tables[f"{language}.imports"].select("name", "alias", "enclosing", "exported")
    assert sorted(rows.iter_rows()) == [
        ("A", "Inner", "src/a.A", False),
        ("B", "Outer", "src/a.B", False),
        ("wrap.D", "DD", "src/a.wrap.D", False),
    ]
    assert _targets_by_line(tables) == [
        (4, "Inner.s", "src/a.A.s", 10),
        (5, "Inner", "src/a.A", 2),
        (5, "new Inner().n", "src/a.A.n", 9),
        (6, "Inner.n", "unresolved:n", None),
        (7, "Outer.s", "src/a.Outer.s", 1),
        (12, "Outer.s", "src/a.B.s", 12),
        (14, "DD.u", "src/a.wrap.D.u", 14),
        (17, "Inner.s", "unresolved:s", None),
    ]


def test_a_class_expression_own_name_is_no_import_node(tmp_path: Path) -> None:
    """The binding of a class or named function expression's own name is a name binding, no
    import: no IMPORT node, nor a CONTAINS edge to one or an IMPORTS edge from it (a class
    importing itself)."""
    source = (
        "const A = class Inner { m() { Inner.s(); } static s() {} };\n"
        "const h = function k() { k(); };\n"
    )
    tables = run_dataflow(write_repo(tmp_path / "repo", {"a.js": source}), languages=["javascript"])
    rows = tables["javascript.imports"].select("name", "alias")
    assert sorted(rows.iter_rows()) == [("A", "Inner"), ("h", "k")]
    assert tables["cpg_nodes"].filter(pl.col("label") == "IMPORT").height == 0
    assert tables["cpg_edges"].filter(pl.col("label") == "IMPORTS").height == 0
    assert _targets_by_line(tables) == [(1, "Inner.s", "a.A.s", 1), (2, "k", "a.h", 2)]


STATIC_BLOCK_REQUIRE = {
    "util.js": "exports.f = function () {};\nexports.g = function () {};\n",
    "a.js": (
        "class A {\n"
        "  static {\n"
        "    const w = require('./util');\n"
        "    w.f();\n"  # 4: util.f (tsc too)
        "  }\n"
        "  m() { w.g(); }\n"  # 6: tsc: nothing (w is the static block's)
        "  static k = () => w.g();\n"  # 7: tsc: nothing
        "}\n"
        "const B = class BB {\n"
        "  static { const w = require('./util'); }\n"
        "  m() { w.g(); BB.s(); }\n"  # 11: w.g nothing; BB.s B's s
        "  static s() {}\n"
        "};\n"
    ),
}


def test_a_class_is_no_scope_of_its_methods_for_other_imports(tmp_path: Path) -> None:
    """A JS/TS class's methods see its own name's binding (a class expression's), not the
    other imports the class encloses: a `require` in a `static {}` block is the block's (tsc:
    `w.g()` in a method names nothing)."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", STATIC_BLOCK_REQUIRE), languages=["javascript"]
    )
    assert [row for row in _targets_by_line(tables) if row[1] != "require"] == [
        (4, "w.f", "util.f", 1),
        (6, "w.g", "unresolved:g", None),
        (7, "w.g", "unresolved:g", None),
        (11, "BB.s", "a.B.s", 12),
        (11, "w.g", "unresolved:g", None),
    ]


SAME_NAMED_CLASS_EXPRESSIONS_TS = {
    "a.ts": (
        "function register(c: unknown) { return c; }\n"
        "const A = class Inner {\n"
        "  m() { register(class Inner { t() { Inner.s(); } static s() {} }); }\n"  # 3
        "  static s() {}\n"
        "};\n"
        "const B = class Outer {\n"
        "  m() { return [class Outer { t() { Outer.s(); new Outer().k(); } k() {} }]; }\n"  # 7
        "  k() {}\n"
        "  static s() {}\n"
        "};\n"
        "const C = class CC {\n"
        "  static D = class CC { t() { CC.s(); } static s() {} };\n"  # 12
        "  static s() {}\n"
        "};\n"
        "class Top { static s() {} m() {} }\n"
        "function make(Top: any) { new Top().m(); }\n"  # 16: the parameter
        "const X: any = {};\n"
        "X.T = class Top { m() { Top.s(); } static s() {} };\n"  # 18
    ),
}


@pytest.mark.parametrize(("language", "suffix"), [("typescript", "ts"), ("javascript", "js")])
def test_a_class_expression_that_is_no_symbol_binds_its_own_name(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """A class expression that is no symbol (an argument, an array element, a static field's
    value; TypeScript's `X.T = class Top {}`) binds its own name in its methods to a value, as
    a parameter does: an outer class expression of the same name, or a top-level class, is not
    what it names there (tsc: the inner class; ours unresolved). So does `new C().f()` of a
    parameter C. A JavaScript `X.T = class Top {}` is the symbol X.T: Top is X.T in it."""
    files = {
        path.removesuffix(".ts") + f".{suffix}": text.replace(": unknown", "").replace(": any", "")
        if language == "javascript"
        else text
        for path, text in SAME_NAMED_CLASS_EXPRESSIONS_TS.items()
    }
    tables = run_dataflow(write_repo(tmp_path / "repo", files), languages=[language])
    assert [row for row in _targets_by_line(tables) if row[1] != "register"] == [
        (3, "Inner.s", "unresolved:s", None),
        (7, "Outer", "unresolved:Outer", None),
        (7, "Outer.s", "unresolved:s", None),
        (7, "new Outer().k", "unresolved:k", None),
        (12, "CC.s", "unresolved:s", None),
        (16, "Top", "unresolved:Top", None),
        (16, "new Top().m", "unresolved:m", None),
        (18, "Top.s", *(("unresolved:s", None) if language == "typescript" else ("a.X.T.s", 18))),
    ]


def test_a_method_parameter_shadows_a_class_expression_own_name(tmp_path: Path) -> None:
    """A method's parameter or `var` of the class expression's own name is a value there
    (tsc: the parameter's type; ours unresolved), not the class; other methods see the class."""
    source = (
        "class Other { static s() {} }\n"
        "const A = class Inner {\n"
        "  p(Inner) { Inner.s(); }\n"  # 3
        "  q() { var Inner = Other; Inner.s(); }\n"  # 4
        "  r() { Inner.s(); }\n"  # 5
        "  static s() {}\n"
        "};\n"
    )
    tables = run_dataflow(write_repo(tmp_path / "repo", {"a.js": source}), languages=["javascript"])
    assert _targets_by_line(tables) == [
        (3, "Inner.s", "unresolved:s", None),
        (4, "Inner.s", "unresolved:s", None),
        (5, "Inner.s", "a.A.s", 6),
    ]


def test_a_class_expression_named_as_a_member_binds_its_own_name(tmp_path: Path) -> None:
    """`Dep.Template = class Template {}`: the symbol is the member Dep.Template, which no bare
    name finds, so its own name's binding stays (tsc: `Template.s()` is its s); one named by a
    variable or by itself (`const L = class L`, `exports.E = class E`) is found by its name."""
    source = (
        "class Dep {}\n"
        "Dep.Template = class Template {\n"
        "  m() { Template.s(); }\n"  # 3
        "  static s() {}\n"
        "};\n"
        "function f() {\n"
        "  const L = class L { m() { L.s(); } static s() {} };\n"  # 7
        "}\n"
        "exports.E = class E { m() { E.s(); } static s() {} };\n"  # 9
    )
    tables = run_dataflow(write_repo(tmp_path / "repo", {"a.js": source}), languages=["javascript"])
    rows = tables["javascript.imports"].select("module", "name", "alias")
    # (and `exports.E`'s export row)
    assert rows.rows() == [(None, "Dep.Template", "Template"), (None, "E", None)]
    assert _targets_by_line(tables) == [
        (3, "Template.s", "a.Dep.Template.s", 4),
        (7, "L.s", "a.f.L.s", 7),
        (9, "E.s", "a.E.s", 9),
    ]


def test_a_base_outside_the_repository_may_define_what_super_names(tmp_path: Path) -> None:
    """A walk over base types that passes a type with a base outside the repository stops
    there (unresolved): where the MRO puts that base and what it defines are unknown. A type
    whose own bases are all known is answered before."""
    source = (
        "from ext import External\n"
        "class Base:\n"
        "    def __init__(self): ...\n"
        "    def f(self): ...\n"
        "class Mixed(External, Base):\n"
        "    def f(self):\n"
        "        super().f()\n"  # 7: External may define f
        "class Child(Base):\n"
        "    def f(self):\n"
        "        super().f()\n"  # 10
        "class Deep(Mixed):\n"
        "    def f(self):\n"
        "        super().f()\n"  # 13: Mixed defines it
        "        super().__init__()\n"  # 14: above Mixed, External may define it
    )
    repo = write_repo(tmp_path / "repo", {"pkg/m.py": source})
    tables = run_dataflow(repo, languages=["python"])
    assert [row for row in _targets_by_line(tables) if row[1] != "super"] == [
        (7, "super().f", "unresolved:f", None),
        (10, "super().f", "pkg.m.Base.f", 4),
        (13, "super().f", "pkg.m.Mixed.f", 6),
        (14, "super().__init__", "unresolved:__init__", None),
    ]


NAMELESS_BASES_PY = """\
from abc import ABC
from typing import Generic, Protocol, TypeVar

from lib import Unknown

T = TypeVar("T")


class Events:
    def report(self):
        pass


class Store(Protocol):
    def other(self):
        pass


class Keyed(ABC, Generic[T]):
    def __init__(self):
        super().__init__()

    def get(self):
        pass


class Instance(Events, Store, Keyed[int]):
    pass


class Opaque(Events, Unknown):
    pass


def use(instance: Instance, opaque: Opaque):
    instance.report()
    opaque.report()


class Graph(ABC, Generic[T]):
    def get(self):
        pass

    def __exit__(self):
        pass


class Remote(Graph[int], ABC, Generic[T]):
    def lookup(self):
        self.get()
        self.copy()
        self.__eq__(self)
        super().__exit__()


class Loose(Unknown, ABC):
    def lookup(self):
        self.get()
"""


def test_bases_that_define_only_builtin_names_do_not_hide_a_mixin_method(tmp_path: Path) -> None:
    """``ABC``, ``Generic``, ``Protocol`` (from outside the repository) define no method of
    ours but object's: a walk past them finds the mixin's ``report``; past any other outside
    base (``Unknown``, which may define it) nothing, and ``super().__init__`` past ``ABC``
    is object's, outside the repository."""
    repo = write_repo(tmp_path / "repo", {"pkg/m.py": NAMELESS_BASES_PY})
    tables = run_dataflow(repo, languages=["python"])
    assert [row for row in _targets_by_line(tables) if row[0] >= 21] == [
        (21, "super", "unresolved:super", None),
        (21, "super().__init__", "unresolved:__init__", None),
        (36, "instance.report", "pkg.m.Events.report", 10),
        (37, "opaque.report", "unresolved:report", None),
        # a name that a builtin type has (dict's `get`, `copy`) but no nameless base: the
        # repository base's; a dunder is object's; past another outside base nothing
        (50, "self.get", "pkg.m.Graph.get", 41),
        (51, "self.copy", "unresolved:copy", None),
        (52, "self.__eq__", "unresolved:__eq__", None),
        (53, "super", "unresolved:super", None),
        (53, "super().__exit__", "pkg.m.Graph.__exit__", 44),  # no nameless base defines it
        (58, "self.get", "unresolved:get", None),
    ]


DECLARED_RUST = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod conn;\npub mod io;\npub mod loom;\npub mod server;\n",
    "src/conn.rs": """\
pub struct Conn;
impl Conn {
    pub fn close(&self) {}
}
pub trait Handler {
    fn handle(&self);
    fn hook(&self) {}
}
pub struct Other;
impl Other {
    pub fn close(&self) {}
    pub fn handle(&self) {}
    pub fn only(&self) {}
    pub fn waker(&self) {}
}
pub struct Command;
impl Command {
    pub fn spawn(&self) {}
}
""",
    "src/io/mod.rs": "mod read_buf;\npub use self::read_buf::ReadBuf;\nmod poll;\n",
    "src/io/read_buf.rs": "pub struct ReadBuf;\nimpl ReadBuf {\n    pub fn put(&mut self) {}\n}\n",
    "src/io/poll.rs": "use super::ReadBuf;\nfn fill(buf: &mut ReadBuf) {\n    buf.put();\n}\n",
    "src/loom/mod.rs": "mod imp;\npub use self::imp::*;\n",
    "src/loom/imp.rs": "pub struct Condvar;\nimpl Condvar {\n    pub fn notify(&self) {}\n}\n",
    "src/server.rs": """\
use std::task::Context;
use crate::conn::{Conn, Handler};
use crate::loom::Condvar;

pub struct Server {
    conn: Conn,
}

impl Server {
    fn serve<T: Handler>(&self, c: &Conn, h: &dyn Handler, b: Box<Conn>, t: T, cx: &Context<'_>, cv: Condvar, cmd: &mut std::process::Command) {
        c.close();
        self.conn.close();
        h.handle();
        h.hook();
        b.close();
        t.handle();
        c.only();
        cx.waker();
        cv.notify();
        cmd.spawn();
    }
}
""",
}


def test_rust_member_calls_resolve_through_the_declared_type(tmp_path: Path) -> None:
    """Rust: a parameter's type (through a reference, a Box, a trait object), a field of the
    impl's struct; a struct and its impl in one file are one type (no ambiguity), a `super::`
    import is from inside the crate. A method the type lacks is unresolved (no rule-5 guess
    of Other::only), and so is a call on a type from outside (std's Context: not
    Other::waker; std::process::Command: not the repository's Command); a type behind a glob
    `pub use` is the glob module's; a type parameter bounded by one trait (`T: Handler`) is
    that trait (rustc names the trait's method in generic code), not rule 5's pick."""
    repo = write_repo(tmp_path / "repo", DECLARED_RUST)
    tables = run_dataflow(repo, languages=["rust"])
    assert _targets_by_line(tables) == [
        (3, "buf.put", "crate::io::read_buf::ReadBuf::put", 3),
        (11, "c.close", "crate::conn::Conn::close", 3),
        (12, "self.conn.close", "crate::conn::Conn::close", 3),
        (13, "h.handle", "crate::conn::Handler::handle", 6),
        (14, "h.hook", "crate::conn::Handler::hook", 7),
        (15, "b.close", "crate::conn::Conn::close", 3),
        (16, "t.handle", "crate::conn::Handler::handle", 6),  # `T: Handler`
        (17, "c.only", "unresolved:only", None),
        (18, "cx.waker", "unresolved:waker", None),
        (19, "cv.notify", "crate::loom::imp::Condvar::notify", 3),  # the glob `pub use`
        (20, "cmd.spawn", "unresolved:spawn", None),  # std's, not the repository's Command
    ]


RUST_OUTSIDE_VALUES = """\
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
pub struct Instant;
impl Instant {
    pub fn checked_add(&self) {}
    pub fn deadline(&self) {}
}
pub struct Cell;
impl Cell {
    pub fn get_unchecked_mut(&self) {}
    pub fn store(&self) {}
    pub fn swap(&self) {}
    pub fn notify(&self) {}
}
pub struct Inner {
    locked: AtomicBool,
    cell: Cell,
}
impl Inner {
    fn run(&self, n: usize, v: Vec<u8>, x: Thing) {
        n.checked_add();
        v.len();
        Vec::with_capacity(1).swap();
        u32::checked_add();
        self
            .locked
            .store();
        self
            .cell
            .store();
        self.get_unchecked_mut();
        x.checked_add();
        x.deadline();
    }
}
pub trait Schedule {
    fn schedule(&self);
}
impl Schedule for Arc<Inner> {
    fn schedule(&self) {
        self.swap();
        self.notify();
    }
}
"""


def test_rust_values_of_std_types_take_no_unique_name_guess(tmp_path: Path) -> None:
    """Rust receivers of a std type are no repository type's: a primitive or prelude type
    (`n: usize`, `v: Vec<u8>`), a path under a prelude type (`Vec::with_capacity(1)`'s value,
    `u32::checked_add`), a field of a std type written over lines (`self\\n.locked\\n.store()`,
    rustfmt's chains; the repository's `self.cell.store()` alike is Cell's), a method the
    impl's type lacks on `self` (`self.get_unchecked_mut()`, Pin's): unresolved, never the
    repository's one method of the name. A receiver of unknown type (`x: Thing`) keeps rule 5,
    and so does `self` in an impl for a smart pointer (`impl Schedule for Arc<Inner>`: its
    `self` derefs to a repository type), except for a name a std type's or trait's method has
    (`x.checked_add()`, `self.swap()`: ``RUST_BUILTIN_METHOD_NAMES``)."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_OUTSIDE_VALUES})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(21, "n.checked_add")] == "unresolved:checked_add"
    assert resolved[(22, "v.len")] == "unresolved:len"
    assert resolved[(23, "Vec::with_capacity")] == "unresolved:with_capacity"
    assert resolved[(23, "Vec::with_capacity(1).swap")] == "unresolved:swap"
    assert resolved[(24, "u32::checked_add")] == "unresolved:checked_add"
    assert resolved[(25, "self .locked .store")] == "unresolved:store"
    assert resolved[(28, "self .cell .store")] == "crate::Cell::store"
    assert resolved[(31, "self.get_unchecked_mut")] == "unresolved:get_unchecked_mut"
    assert resolved[(32, "x.checked_add")] == "unresolved:checked_add"
    assert resolved[(33, "x.deadline")] == "crate::Instant::deadline"
    assert resolved[(41, "self.swap")] == "unresolved:swap"
    assert resolved[(42, "self.notify")] == "crate::Cell::notify"


# (rustc 1.95 names each unresolved call here a std definition, `Clone::clone(t)` the derive's
# impl; `rc.touch()` and `t.clone()` Thing's methods; `Shape::area(t)` Thing's impl of it, where
# ours is the trait's declaration, as for every trait path on a concrete type)
RUST_PRIMITIVE_VALUES = """\
use std::rc::Rc;
#[derive(Clone)]
pub struct Thing;
impl Thing {
    pub fn is_null(&self) -> bool { false }
    pub fn clone(&self) -> Thing { Thing }
    pub fn to_owned(&self) {}
    pub fn each_ref(&self) {}
    pub fn touch(&self) {}
    pub fn default() -> Thing { Thing }
}
pub trait Shape {
    fn area(&self) -> u32;
}
impl Shape for Thing {
    fn area(&self) -> u32 { 1 }
}
pub struct Node {
    next: *mut Thing,
    pair: (Thing, u8),
}
fn raw() -> *const Thing {
    std::ptr::null()
}
impl Node {
    fn run(&self, p: *mut Thing, rc: Rc<Thing>, t: &Thing, all: [Thing; 2], some: &[Thing], f: fn(u8)) {
        p.is_null();
        self.next.is_null();
        let q = raw();
        q.is_null();
        all.each_ref();
        some.to_owned();
        self.pair.to_owned();
        f.to_owned();
        rc.touch();
        Clone::clone(&rc);
        Clone::clone(t);
        t.clone();
        Shape::area(t);
        Default::default()
    }
}
pub trait Fill {
    fn fill_up(&mut self);
}
impl Fill for &[u8] {
    fn fill_up(&mut self) {}
}
pub trait FillExt: Fill {
    fn fill_twice(&mut self) {}
}
impl<F: Fill + ?Sized> FillExt for F {}
fn fill(mut rd: &[u8]) {
    rd.fill_twice();
}
"""


def test_rust_values_of_primitive_types_and_prelude_trait_paths_take_no_guess(
    tmp_path: Path,
) -> None:
    """Rust receivers declared with a primitive type that is no path are of that primitive
    type, never of what it points to or holds: a raw pointer (`p: *mut Thing`, a field
    `next: *mut Thing`, a function's `-> *const Thing`; no auto-deref: `p.is_null()` is the
    pointer's), an array, a slice, a tuple, a function pointer: their (std) methods are
    unresolved, no unique-name guess of Thing's. A path through a prelude trait
    (`Clone::clone(&rc)`, `Default::default()`) is the trait's method for the argument's
    type, never an inherent method of the name (`Rc<Thing>` is no Thing); a repository
    trait's path (`Shape::area(t)`) is still the trait's method, and a method call through a
    smart pointer (`rc.touch()`) the content's. A repository trait implemented for a primitive
    type (`impl Fill for &[u8]`, the blanket `FillExt`) is the value's, as rule 4a walks a
    type's traits: the unique-name guess of its method, in scope, is kept."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_PRIMITIVE_VALUES})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(27, "p.is_null")] == "unresolved:is_null"
    assert resolved[(28, "self.next.is_null")] == "unresolved:is_null"
    assert resolved[(30, "q.is_null")] == "unresolved:is_null"
    assert resolved[(31, "all.each_ref")] == "unresolved:each_ref"
    assert resolved[(32, "some.to_owned")] == "unresolved:to_owned"
    assert resolved[(33, "self.pair.to_owned")] == "unresolved:to_owned"
    assert resolved[(34, "f.to_owned")] == "unresolved:to_owned"
    assert resolved[(35, "rc.touch")] == "crate::Thing::touch"
    assert resolved[(36, "Clone::clone")] == "unresolved:clone"
    assert resolved[(37, "Clone::clone")] == "unresolved:clone"
    assert resolved[(38, "t.clone")] == "crate::Thing::clone"
    assert resolved[(39, "Shape::area")] == "crate::Shape::area"
    assert resolved[(40, "Default::default")] == "unresolved:default"
    # a repository trait implemented for the primitive type, in scope: its method
    assert resolved[(54, "rd.fill_twice")] == "crate::FillExt::fill_twice"


# (rustc 1.95 names each call here as the test asserts; `Err(other)`'s `reset` is Sleep's too)
RUST_PATTERN_RECEIVERS = """\
use std::sync::Arc;
pub struct Sleep;
impl Sleep {
    pub fn reset(&mut self) {}
}
pub struct Driver;
impl Driver {
    pub fn park(&mut self) {}
}
pub struct Core {
    driver: Option<Driver>,
}
impl Core {
    fn take_driver(&mut self) -> Option<Driver> {
        self.driver.take()
    }
    fn peek(&self) {}
}
pub struct Other;
impl Other {
    pub fn reset(&mut self) {}
    pub fn park(&mut self) {}
    pub fn peek(&self) {}
}
pub struct Queue {
    delay: Option<Box<Sleep>>,
    inner: Option<Arc<Core>>,
    core: Core,
}
impl Queue {
    fn run(&mut self, mut slot: Option<Driver>, mut core: Box<Core>, mut other: Other) {
        if let Some(ref mut delay) = self.delay {
            delay.reset();
        }
        if let Some(delay) = &mut self.delay {
            delay.reset();
        }
        if let Some(mut driver) = self.core.take_driver() {
            driver.park();
        }
        while let Some(ref mut driver) = slot {
            driver.park();
        }
        match self.core.take_driver() {
            Some(mut driver) => driver.park(),
            None => {}
        }
        let mut driver = core.driver.take().expect("driver missing");
        driver.park();
        let mut delay = self.delay.take().unwrap();
        delay.reset();
        if let Some(inner) = self.inner.as_ref() {
            inner.peek();
        }
        if let Some(mut other) = make_sleep() {
            other.reset();
        }
        if let Err(mut other) = try_sleep() {
            other.reset();
        }
        other.park();
    }
}
fn make_sleep() -> Option<Sleep> {
    Some(Sleep)
}
fn try_sleep() -> Result<(), Sleep> {
    Ok(())
}
"""


def test_rust_patterns_of_an_option_bind_its_content(tmp_path: Path) -> None:
    """Rust: a pattern taking the content out of an Option or a Result (`if let Some(ref mut
    x) = self.delay`, `= &mut self.delay`, `= self.inner.as_ref()`, `while let Some(ref mut
    x) = slot`, a `match` arm `Some(x) =>`) binds the content of the place's declared
    wrapper (`delay: Option<Box<Sleep>>`: a Sleep; a parameter's `Option<Driver>`), or of a
    call's value after one `?` (`Some(x) = self.core.take_driver()`, `make_sleep()`: what
    the method returns); so does an unwrapping `let` (`core.driver.take().expect(..)`,
    `self.delay.take().unwrap()`). Their methods are the content type's, never another
    type's of the name (Other's `park`, `reset`, `peek`); a pattern of no such content
    (`Err(other)`) still shadows the outer `other: Other` untyped."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_PATTERN_RECEIVERS})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(33, "delay.reset")] == "crate::Sleep::reset"
    assert resolved[(36, "delay.reset")] == "crate::Sleep::reset"
    assert resolved[(39, "driver.park")] == "crate::Driver::park"
    assert resolved[(42, "driver.park")] == "crate::Driver::park"
    assert resolved[(45, "driver.park")] == "crate::Driver::park"
    assert resolved[(49, "driver.park")] == "crate::Driver::park"
    assert resolved[(51, "delay.reset")] == "crate::Sleep::reset"
    assert resolved[(53, "inner.peek")] == "crate::Core::peek"
    assert resolved[(56, "other.reset")] == "crate::Sleep::reset"
    assert resolved[(59, "other.reset")] == "unresolved:reset"  # not Other's
    assert resolved[(61, "other.park")] == "crate::Other::park"


# (rustc 1.95: both `self.id()` in the impl for std's Child are Child's inherent `id`, std's;
# `self.depth()` in an inherent impl and `self.count(n - 1)`, `self.poll(cx)` in a trait impl
# for a type of the crate are the method itself; `self.id()` in `impl Wait for Child` is the
# inherent `Child::id`; the macro's `self.count(n)` is Tree's `count`, through its expansion;
# `self.schedule(n - 1)` in the impl for `Arc<Handle>` the trait's method, whose impl it is)
RUST_SELF_DELEGATIONS = """\
#![allow(unconditional_recursion)]
use std::process::Child as StdChild;
pub trait Wait {
    fn id(&self) -> u32;
    fn wait_all(&self) -> u32;
}
impl Wait for StdChild {
    fn id(&self) -> u32 {
        self.id()
    }
    fn wait_all(&self) -> u32 {
        self.id()
    }
}
pub struct Tree;
impl Tree {
    fn depth(&self) -> u32 {
        self.depth()
    }
}
pub trait Count {
    fn count(&self, n: u32) -> u32;
}
impl Count for Tree {
    fn count(&self, n: u32) -> u32 {
        if n == 0 { 0 } else { self.count(n - 1) + 1 }
    }
}
pub struct Child;
impl Wait for Child {
    fn id(&self) -> u32 {
        self.id()
    }
    fn wait_all(&self) -> u32 {
        0
    }
}
impl Child {
    pub fn id(&self) -> u32 {
        7
    }
}
macro_rules! delegate {
    ($self:ident.$method:ident($($arg:ident),*)) => { $self.0.$method($($arg),*) };
}
pub struct Wrapper(pub Tree);
impl Count for Wrapper {
    fn count(&self, n: u32) -> u32 {
        delegate!(self.count(n))
    }
}
pub struct Tester {
    pub again: bool,
}
impl std::future::Future for Tester {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.again {
            self.again = false;
            return self.poll(cx);
        }
        std::task::Poll::Ready(())
    }
}
pub struct Handle;
impl Handle {
    pub fn schedule(&self, n: u32) -> u32 {
        n
    }
}
pub trait Schedule {
    fn schedule(&self, n: u32) -> u32;
}
impl Schedule for std::sync::Arc<Handle> {
    fn schedule(&self, n: u32) -> u32 {
        if n == 0 { 0 } else { self.schedule(n - 1) }
    }
}
"""


def test_rust_a_trait_impls_method_calling_its_name_on_self(tmp_path: Path) -> None:
    """Rust: `self.f()` in the method `f` of a trait impl is what rustc picks first: an
    inherent `f` of the type (`impl Child { fn id }`), else the method itself for a type of
    the repository (`self.count(n - 1)`, `self.poll(cx)` on a `self: Pin<&mut Self>`); for
    std's `Child` (`impl Wait for StdChild`) the inherent `id` is std's, so any `self.id()` of
    the impl is unresolved, never the impl's own `id`. A method of an inherent impl calling
    itself (`self.depth()`) is the recursion it is; a recursion written in a macro's arguments
    (`delegate!(self.count(n))`) is the macro's: unresolved. In an impl for a smart pointer
    (`impl Schedule for Arc<Handle>`) the impl's own method comes before Handle's inherent one
    (the receiver `&Arc<Handle>` matches it before any deref)."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_SELF_DELEGATIONS})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(9, "self.id")] == "unresolved:id"
    assert resolved[(12, "self.id")] == "unresolved:id"
    assert resolved[(18, "self.depth")] == "crate::Tree::depth"
    assert resolved[(26, "self.count")] == "crate::Tree::count"
    assert resolved[(32, "self.id")] == "crate::Child::id"
    assert resolved[(49, "self.count")] == "unresolved:count"
    assert resolved[(63, "self.poll")] == "crate::Tester::poll"
    assert resolved[(79, "self.schedule")] == "crate::Arc::schedule"


# (rustc 1.95 names each call here as the test asserts: the `else` branch's `x` is the
# parameter, a rebound `v` holds `Bar`s, which we leave unresolved)
RUST_CONTENT_PATTERN_REACH = """\
pub struct Foo;
impl Foo {
    pub fn common(&self) -> u8 { 1 }
}
pub struct Bar;
impl Bar {
    pub fn common(&self) -> u8 { 2 }
}
pub fn else_branch(other: Option<Foo>, x: Bar) {
    if let Some(x) = other {
        x.common();
    } else {
        x.common();
    }
}
pub fn else_if(other: Option<Foo>, x: Bar) {
    if let Some(x) = other {
        x.common();
    } else if x.common() > 1 {
        x.common();
    }
}
pub fn rebound(v: Option<Foo>) {
    let v = v.map(|_| Bar);
    if let Some(x) = &v {
        x.common();
    }
    let y = v.unwrap();
    y.common();
}
pub fn rebound_in_block(v: Option<Foo>, w: Option<Bar>) {
    {
        let v = w;
        if let Some(x) = v {
            x.common();
        }
    }
}
pub fn kept(v: Option<Foo>) {
    if let Some(x) = &v {
        x.common();
    }
    let y = v.unwrap();
    y.common();
}
"""


def test_rust_a_content_patterns_binding_holds_in_its_branch_until_rebound(
    tmp_path: Path,
) -> None:
    """Rust: the binding of `if let Some(x) = other` holds in its consequence only: the `else`
    branch, an `else if`'s condition and body see the parameter `x: Bar`; a place rebound
    without an annotation (`let v = v.map(..)`, `let v = w` in a block, which the scopes do not
    tell apart) has no content of its annotation (`v: Option<Foo>`): unresolved, not Foo's."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_CONTENT_PATTERN_REACH})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(11, "x.common")] == "crate::Foo::common"
    assert resolved[(13, "x.common")] == "crate::Bar::common"
    assert resolved[(18, "x.common")] == "crate::Foo::common"
    assert resolved[(19, "x.common")] == "crate::Bar::common"
    assert resolved[(20, "x.common")] == "crate::Bar::common"
    assert resolved[(26, "x.common")] == "unresolved:common"
    assert resolved[(29, "y.common")] == "unresolved:common"
    assert resolved[(35, "x.common")] == "unresolved:common"
    assert resolved[(41, "x.common")] == "crate::Foo::common"
    assert resolved[(44, "y.common")] == "crate::Foo::common"


# (rustc 1.95 names each call here as the test asserts)
RUST_GUARDS_AND_FIELD_COPIES = """\
use std::cell::RefCell;
use std::sync::{Arc, Mutex};
pub struct Wheel;
impl Wheel {
    pub fn poll(&mut self) {}
}
pub struct Inner {
    wheel: Wheel,
}
pub struct Other;
impl Other {
    pub fn poll(&mut self) {}
    pub fn wake(&self) {}
    pub fn shutdown(&self) {}
}
pub struct Defer;
impl Defer {
    pub fn wake(&self) {}
}
#[derive(Clone, Copy)]
pub struct RawTask;
impl RawTask {
    pub fn shutdown(&self) {}
}
pub struct Driver {
    inner: Arc<Mutex<Inner>>,
    defer: RefCell<Defer>,
    raw: RawTask,
}
impl Driver {
    fn run(&self) {
        let mut lock = self.inner.lock().unwrap();
        lock.wheel.poll();
        let defer = self.defer.borrow_mut();
        defer.wake();
        let raw = &self.raw;
        raw.shutdown();
    }
}
fn drive(driver: &Driver) {
    let raw = driver.raw;
    raw.shutdown();
}
"""


def test_rust_guards_and_copies_of_fields_have_their_types(tmp_path: Path) -> None:
    """Rust: a guard of a place's lock or cell (`let lock = self.inner.lock().unwrap()` with
    `inner: Arc<Mutex<Inner>>`, `self.defer.borrow_mut()` of a `RefCell<Defer>`) derefs to
    what it holds: its fields and methods (`lock.wheel.poll()`, `defer.wake()`); a copy or a
    reference of a field (`let raw = driver.raw`, `let raw = &self.raw`) has the field's
    type. Never another type's method of the name (Other's `poll`, `wake`, `shutdown`)."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_GUARDS_AND_FIELD_COPIES})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(33, "lock.wheel.poll")] == "crate::Wheel::poll"
    assert resolved[(35, "defer.wake")] == "crate::Defer::wake"
    assert resolved[(37, "raw.shutdown")] == "crate::RawTask::shutdown"
    assert resolved[(42, "raw.shutdown")] == "crate::RawTask::shutdown"


# (rustc 1.95 names each call here as the test asserts: std's `lock()` and `read()` are
# `LockResult`s, whose `is_ok` is std's; the crate's own `Mutex::lock` gives the guard itself)
RUST_LOCK_VALUES = {
    "src/lib.rs": """\
pub mod lock;
pub mod own;
pub mod std_held;
pub struct Foo;
impl Foo {
    pub fn is_ok(&self) -> bool { true }
    pub fn common(&self) -> u8 { 1 }
}
""",
    "src/lock.rs": """\
pub struct Mutex<T>(pub T);
impl<T> Mutex<T> {
    pub fn lock(&self) -> &T {
        &self.0
    }
}
""",
    "src/own.rs": """\
use crate::lock::Mutex;
use crate::Foo;
pub struct Held {
    m: Mutex<Foo>,
}
impl Held {
    pub fn run(&self) {
        let g = self.m.lock();
        g.common();
    }
}
""",
    "src/std_held.rs": """\
use crate::Foo;
use std::sync::Mutex;
pub struct Held {
    m: Mutex<Foo>,
    w: std::sync::RwLock<Foo>,
}
impl Held {
    pub fn run(&self) {
        let g = self.m.lock();
        g.is_ok();
        let h = self.m.lock().unwrap();
        h.common();
        let r = self.w.read();
        r.is_ok();
    }
}
""",
}


def test_rust_a_locks_value_is_its_guard_only_for_a_lock_that_gives_one(tmp_path: Path) -> None:
    """Rust: `let g = self.m.lock()` without `.unwrap()`, `?` or `.await` is a guard of what
    the lock holds only for a lock whose `lock()` returns one, by where the field's type comes
    from (the crate's own `Mutex`, `use crate::lock::Mutex`); std's (`use std::sync::Mutex`,
    `std::sync::RwLock` written) gives a `LockResult`: `g.is_ok()` is no method of Foo."""
    repo = write_repo(tmp_path / "repo", RUST_LOCK_VALUES)
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _rust_calls(tables)
    assert resolved[("src/own.rs", 9, "g.common")] == "crate::Foo::common"
    assert resolved[("src/std_held.rs", 10, "g.is_ok")] == "unresolved:is_ok"
    assert resolved[("src/std_held.rs", 12, "h.common")] == "crate::Foo::common"
    assert resolved[("src/std_held.rs", 14, "r.is_ok")] == "unresolved:is_ok"


# (rustc 1.95 names each call here as the test asserts: the variant's field's type's `park`)
RUST_VARIANT_PATTERNS = """\
pub struct ProcessDriver;
impl ProcessDriver {
    pub fn park(&mut self) {}
}
pub struct ParkThread;
impl ParkThread {
    pub fn park(&mut self) {}
    pub fn unpark(&self) {}
}
pub struct TimeInner;
impl TimeInner {
    pub fn park(&mut self) {}
}
pub enum IoStack {
    Enabled(ProcessDriver),
    Disabled(u8, ParkThread),
}
pub enum TimeDriver {
    Enabled { driver: TimeInner, id: u8 },
    Disabled(IoStack),
}
impl IoStack {
    fn park(&mut self) {
        match self {
            IoStack::Enabled(v) => v.park(),
            Self::Disabled(_, ref mut w) => w.park(),
        }
    }
}
fn park_time(time: &mut TimeDriver) {
    match time {
        TimeDriver::Enabled { driver, .. } => driver.park(),
        TimeDriver::Disabled(v) => v.park(),
    }
    if let TimeDriver::Enabled { driver: inner, .. } = time {
        inner.park();
    }
}
"""


RUST_VARIANTS_NAMED_ALONE = """\
use self::State::*;
pub struct Buf;
impl Buf {
    pub fn discard_read(&mut self) {}
}
pub struct Other;
impl Other {
    pub fn discard_read(&mut self) {}
}
pub struct Pair(Buf, u8);
enum State {
    Idle(Option<Buf>),
    Busy(u8),
}
fn run(state: &mut State, pair: Pair) {
    match state {
        Idle(ref mut buf_cell) => {
            let mut buf = buf_cell.take().unwrap();
            buf.discard_read();
        }
        Busy(_) => {}
    }
    let Pair(mut first, _) = pair;
    first.discard_read();
}
"""


def test_rust_patterns_of_an_enum_variant_bind_its_fields(tmp_path: Path) -> None:
    """Rust: a pattern of an enum variant of the file (`IoStack::Enabled(v)`, `Self::Disabled(_,
    ref mut w)`, a struct variant's `TimeDriver::Enabled { driver, .. }` and `{ driver: inner,
    .. }`) binds the variant's field of that position or name, typed as the enum declares it:
    its type's method, never another type's `park` (four types have one). A variant named
    alone (`Idle(ref mut buf_cell)` after `use self::State::*`) is the file's one variant of
    the name, a tuple struct's pattern (`let Pair(mut first, _) = pair`) the struct's field;
    an Option field's content through it (`buf_cell.take().unwrap()`) is typed too, not
    Other's `discard_read`."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_VARIANT_PATTERNS})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(25, "v.park")] == "crate::ProcessDriver::park"
    assert resolved[(26, "w.park")] == "crate::ParkThread::park"
    assert resolved[(32, "driver.park")] == "crate::TimeInner::park"
    assert resolved[(33, "v.park")] == "crate::IoStack::park"
    assert resolved[(36, "inner.park")] == "crate::TimeInner::park"
    # a variant a `use` brings, named alone, and a tuple struct's pattern
    repo = write_repo(tmp_path / "alone", {"src/lib.rs": RUST_VARIANTS_NAMED_ALONE})
    resolved = _resolved_by_line(run_dataflow(repo, languages=["rust"]))
    assert resolved[(19, "buf.discard_read")] == "crate::Buf::discard_read"
    assert resolved[(24, "first.discard_read")] == "crate::Buf::discard_read"


# (cargo-checked: rustc names Bar::go at lib.rs 16 and 28 and p.rs 5, Foo::go at lib.rs 22 and
# 39, Foo::go and Bar::go at lib.rs 33 and 34)
RUST_VARIANTS_IN_SCOPE = {
    "src/x.rs": """\
use crate::Bar;
pub enum State { Idle(Bar), Busy(Bar) }
""",
    "src/p.rs": """\
use std::task::Poll::{self, Pending, Ready};
use crate::{Foo, Bar};
pub enum Phase { Ready(Foo), Done }
pub fn std_ready(p: Poll<Bar>) {
    if let Ready(v) = p { v.go(); }
}
""",
    "src/lib.rs": """\
pub mod x;
pub mod p;
pub struct Foo;
impl Foo { pub fn go(&self) -> u8 { 1 } }
pub struct Bar;
impl Bar { pub fn go(&self) -> u8 { 2 } }
pub enum Local { Idle(Foo), Stop(Foo) }
pub enum Phase { Ready(Foo), Done }
pub enum P1 { Idle(Foo) }
pub enum P2 { Idle(Bar), Other }
pub enum Two { A(Foo, Bar) }
mod m { pub struct Ready(pub crate::Bar); }
mod g {
    use crate::x::State::*;
    pub fn glob_other(s: crate::x::State) {
        match s { Idle(v) => { v.go(); } Busy(_) => {} }
    }
}
mod h {
    use crate::Phase::*;
    pub fn variant_vs_struct(p: crate::Phase) {
        if let Ready(v) = p { v.go(); }
    }
}
mod two {
    use crate::P2::*;
    pub fn which(p: crate::P2) {
        if let Idle(v) = p { v.go(); }
    }
}
pub fn commented(e: Two) {
    let Two::A /* the pair */ (f, b) = e;
    f.go();
    b.go();
}
mod local {
    use crate::Local::Stop;
    pub fn named(l: crate::Local) {
        if let Stop(v) = l { v.go(); }
    }
}
""",
}


def test_rust_a_variant_named_alone_is_the_one_in_scope(tmp_path: Path) -> None:
    """Rust: a variant named alone in a pattern is the one the `use`s where it stands bring:
    a glob import of another file's enum (`use crate::x::State::*`) never takes the file's own
    `Local::Idle` (unresolved: the other file's field is not looked up), a variant imported
    from outside (`use std::task::Poll::{self, Ready}`) never the file's `Phase::Ready`, a
    glob-imported variant (`use crate::Phase::*`) wins over a tuple struct of the name in
    another module (`mod m { struct Ready }`), and picks among the file's enums with a variant
    of the name (`P1::Idle`, `P2::Idle`: P2's); a variant imported by name (`use
    crate::Local::Stop`) is that enum's. A comment between a variant's path and its `(` moves
    no field's position."""
    repo = write_repo(tmp_path / "repo", RUST_VARIANTS_IN_SCOPE)
    resolved = _resolved_by_line(run_dataflow(repo, languages=["rust"]))
    assert resolved[(16, "v.go")] == "unresolved:go"  # was Local::Idle's Foo
    assert resolved[(5, "v.go")] == "unresolved:go"  # p.rs: was Phase::Ready's Foo
    assert resolved[(22, "v.go")] == "crate::Foo::go"  # was m::Ready's Bar
    assert resolved[(28, "v.go")] == "crate::Bar::go"  # was unresolved (two Idle)
    assert resolved[(33, "f.go")] == "crate::Foo::go"  # was Bar's: the comment a position
    assert resolved[(34, "b.go")] == "crate::Bar::go"
    assert resolved[(39, "v.go")] == "crate::Foo::go"


# (cargo-check clean, edition 2021; each call site names the marker type rustc finds: Bar's
# `go` at lib.rs 16 and 48 and sup.rs 7, Foo's at lib.rs 25 and 36)
RUST_GLOBS_OF_THE_FILES_ENUMS = {
    "src/other.rs": """\
use crate::Bar;
pub enum State { Idle(Bar), Busy }
""",
    "src/sup.rs": """\
use crate::Foo;
pub enum Local { Idle(Foo), Stop }
use crate::other::State::*;
pub mod child {
    use super::*;
    pub fn f(s: crate::other::State) {
        if let Idle(v) = s { let _: crate::BarMark = v.go(); }
    }
}
""",
    "src/lib.rs": """\
pub mod other;
pub mod sup;
pub struct FooMark;
pub struct BarMark;
pub struct Foo;
impl Foo { pub fn go(&self) -> FooMark { FooMark } }
pub struct Bar;
impl Bar { pub fn go(&self) -> BarMark { BarMark } }
pub mod mine {
    pub enum State { Idle(crate::Foo), Busy }
    pub enum Grip { Hold(crate::Foo) }
}
pub mod g {
    use crate::other::State::*;
    pub fn same_named_enum(s: crate::other::State) {
        if let Idle(v) = s { let _: crate::BarMark = v.go(); }
    }
}
pub mod rel {
    pub mod m {
        pub enum Phase { Ready(crate::Foo), Done }
    }
    use m::Phase::*;
    pub fn relative(p: m::Phase) {
        if let Ready(v) = p { let _: crate::FooMark = v.go(); }
    }
}
pub mod inner_first {
    pub enum Q { Wait(crate::Foo), Gone }
    pub enum Other { Nope }
    use self::Q::*;
    pub fn f(q: Q) {
        use self::Other::*;
        let _ = Nope;
        match q {
            Wait(v) => { let _: crate::FooMark = v.go(); }
            Gone => {}
        }
    }
}
pub mod parent {
    pub enum Kind { Hold(crate::Bar) }
    use self::Kind::*;
    pub mod kid {
        use super::*;
        pub fn f(k: super::Kind) {
            let Hold(v) = k;
            let _: crate::BarMark = v.go();
        }
    }
}
""",
}


def test_rust_a_glob_brings_the_variants_of_the_enum_its_path_names(tmp_path: Path) -> None:
    """Rust (review r13a: L2, L4 and two gaps of 55f3944): a variant named alone is the one
    the glob of its enum's path brings: a relative `use m::Phase::*` names the enum of the
    module's `mod m` (was taken for another crate's: unresolved); a glob in a function's body
    of an enum without the variant (`use self::Other::*`) hides nothing of the module's `use
    self::Q::*` (was unresolved); a glob of `crate::other::State` never takes the file's `mod
    mine`'s `State` (was Foo's); `use super::*` brings the module around's globs: another
    file's `State::Idle` in sup.rs is not the file's only `Idle`, `Local::Idle` (unresolved,
    was Foo's), and the parent's `use self::Kind::*` names `Kind::Hold`, not one of the file's
    two `Hold`s (was unresolved)."""
    repo = write_repo(tmp_path / "repo", RUST_GLOBS_OF_THE_FILES_ENUMS)
    resolved = {
        (path, line): target
        for path, line, callee, target in _edges_by_path(run_dataflow(repo, languages=["rust"]))
        if callee == "v.go"
    }
    assert resolved[("src/lib.rs", 16)] == "unresolved:go"  # another file's State: not Foo
    assert resolved[("src/lib.rs", 25)] == "crate::Foo::go"
    assert resolved[("src/lib.rs", 36)] == "crate::Foo::go"
    assert resolved[("src/lib.rs", 48)] == "crate::Bar::go"
    assert resolved[("src/sup.rs", 7)] == "unresolved:go"  # another file's State: not Foo


# (cargo-check clean as edition 2015, whose `use` paths start at the crate root: rustc names
# Baz's `go` at other.rs 10)
RUST_EDITION_2015_GLOB = {
    "Cargo.toml": '[package]\nname = "e15"\nversion = "0.1.0"\nedition = "2015"\n',
    "src/lib.rs": "pub mod other;\n",
    "src/other.rs": """\
pub struct Baz;
pub struct BazMark;
impl Baz { pub fn go(&self) -> BazMark { BazMark } }
pub mod m {
    use super::Baz;
    pub enum Phase { Ready(Baz), Done }
}
use other::m::Phase::*;
pub fn f(p: m::Phase) {
    if let Ready(v) = p { let _: BazMark = v.go(); }
}
""",
}


def test_rust_a_crate_relative_glob_of_the_files_enum(tmp_path: Path) -> None:
    """Rust (review r13a, L3): an edition-2015 glob of the file's own enum by its path from the
    crate root (`use other::m::Phase::*` in other.rs) is that enum's, the file's `mod m`'s
    (was taken for another crate's: unresolved)."""
    repo = write_repo(tmp_path / "repo", RUST_EDITION_2015_GLOB)
    resolved = _resolved_by_line(run_dataflow(repo, languages=["rust"]))
    assert resolved[(10, "v.go")] == "crate::other::Baz::go"


# (compiled without `test`, rustc names task's `spawn_blocking` and `JoinHandle::join`)
RUST_CFG_TWINS = {
    "Cargo.toml": """\
[package]
name = "t"
version = "0.1.0"
edition = "2021"
""",
    "src/lib.rs": """\
pub mod blocking;
pub mod fs;
pub mod mocks;
pub mod task;
pub mod time;
pub mod timer;
""",
    "src/task.rs": """\
pub fn spawn_blocking() {}
pub struct JoinHandle;
impl JoinHandle {
    pub fn join(&self) {}
}
""",
    "src/mocks.rs": """\
pub fn spawn_blocking() {}
""",
    "src/blocking.rs": """\
#[cfg(not(test))]
pub use crate::task::JoinHandle;
#[cfg(test)]
pub struct JoinHandle;
#[cfg(test)]
impl JoinHandle {
    pub fn join(&self) {}
}
""",
    "src/fs.rs": """\
#[cfg(test)]
use crate::mocks::spawn_blocking;
#[cfg(not(test))]
use crate::task::spawn_blocking;
use crate::blocking::JoinHandle;
pub fn run(h: JoinHandle) {
    spawn_blocking();
    h.join();
}
""",
    "src/time/mod.rs": """\
mod handle;
pub use self::handle::Handle;
impl Handle {
    pub fn process(&self) {}
}
""",
    "src/time/handle.rs": """\
pub struct Handle;
impl Handle {
    pub fn is_shutdown(&self) {}
}
""",
    "src/timer.rs": """\
use crate::time::Handle;
pub fn tick(h: &Handle) {
    h.is_shutdown();
    h.process();
}
mod sys {
    pub use crate::blocking::JoinHandle as Blocking;
}
pub fn wait(b: sys::Blocking) {
    b.join();
}
""",
}


def test_rust_cfg_twins_of_one_name_name_neither(tmp_path: Path) -> None:
    """Rust: a name bound twice where it is looked up, which rustc accepts only under opposite
    cfgs, names neither definition: two `use`s of `spawn_blocking` in one file (the mock's
    under `cfg(test)`), a module defining `JoinHandle` and re-exporting another (`blocking`).
    An `impl Handle` beside `pub use self::handle::Handle` defines no name: the re-export's
    type, and the impl's methods are that type's. A re-export leading to the twin
    (`sys::Blocking`) names neither too."""
    repo = write_repo(tmp_path / "repo", RUST_CFG_TWINS)
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(7, "spawn_blocking")] == "unresolved:spawn_blocking"
    assert resolved[(8, "h.join")] == "unresolved:join"
    assert resolved[(3, "h.is_shutdown")] == "crate::time::handle::Handle::is_shutdown"
    assert resolved[(4, "h.process")] == "crate::time::Handle::process"
    # through a re-export of the twin (`sys::Blocking`): neither either
    assert resolved[(10, "b.join")] == "unresolved:join"


# (cargo-check clean; rustc 1.95 names every resolved call below as we do, and `s.fire()`, a
# `&Send` the extraction reads as a marker bound, Send::fire; it names `p.tagged()`,
# `t.tagged()`, `s.tagged()` Chunky's, which no unique name gives us: unresolved)
RUST_PRELUDE_NAMES_AND_TUPLES = {
    "src/lib.rs": """\
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]
pub mod names;
pub mod other;
pub mod prel;
pub mod shapes;
pub struct Foo;
impl Foo {
    pub fn poke(&self) -> u8 { 0 }
}
pub struct Bar;
impl Bar {
    pub fn poke(&self) -> u8 { 1 }
}
pub struct Holder {
    pub pair: (Foo, Bar),
    pub nested: (u8, (Bar, Foo)),
}
fn tuples(pair: (Foo, Bar), h: &Holder) {
    pair.0.poke();
    pair.1.poke();
    h.pair.1.poke();
    h.nested.1.1.poke();
}
""",
    "src/other.rs": """\
use crate::Holder;
impl Holder {
    fn go(&self) {
        self.pair.0.poke();
        self.pair.1.poke();
    }
}
fn hops(h: &Holder) {
    h.pair.1.poke();
    h.nested.1.0.poke();
}
fn std_string(st: &String) -> usize {
    st.len()
}
fn std_to_string() -> String {
    ToString::to_string(&5u8)
}
""",
    "src/names.rs": """\
pub trait Extend {
    fn extend_two(&self);
}
pub struct Send {
    n: u8,
}
impl Send {
    pub fn new(n: u8) -> Send { Send { n } }
    pub fn fire(&self) {}
}
pub struct String;
impl String {
    pub fn shout(&self) {}
    pub fn len(&self) -> usize { 0 }
    pub fn to_string(&self) {}
}
pub struct Twin;
impl Twin {
    pub fn extend_two(&self) {}
    pub fn fire(&self) {}
    pub fn shout(&self) {}
}
fn uses<T: Extend>(x: &dyn Extend, s: &Send, st: &String, t: T) {
    x.extend_two();
    t.extend_two();
    s.fire();
    st.shout();
    let made = Send::new(1);
    made.fire();
}
""",
    "src/prel.rs": """\
pub struct Man;
impl Clone for Man {
    fn clone(&self) -> Man { Man }
}
impl Default for Man {
    fn default() -> Man { Man }
}
pub struct It(u8);
impl Iterator for It {
    type Item = u8;
    fn next(&mut self) -> Option<u8> { None }
}
impl From<u8> for Man {
    fn from(_: u8) -> Man { Man }
}
fn use_them(m: &Man, it: &mut It) -> Man {
    Clone::clone(m);
    let d: Man = Default::default();
    Iterator::next(it);
    From::from(3u8)
}
""",
    "src/shapes.rs": """\
pub mod util {
    pub struct pointer;
    impl pointer {
        pub fn tagged(&self) {}
    }
    pub struct tuple;
    impl tuple {
        pub fn tagged(&self) {}
    }
    pub struct slice;
    impl slice {
        pub fn tagged(&self) {}
    }
}
use self::util::{pointer, slice, tuple};
pub trait Chunky {
    fn tagged(&self);
}
impl Chunky for *const u8 {
    fn tagged(&self) {}
}
impl Chunky for (u8, u8) {
    fn tagged(&self) {}
}
impl Chunky for [u8] {
    fn tagged(&self) {}
}
fn shapes(p: *const u8, t: (u8, u8), s: &[u8], q: &pointer) {
    p.tagged();
    t.tagged();
    s.tagged();
    q.tagged();
}
""",
}


def test_rust_repository_prelude_names_trait_impl_paths_and_tuple_elements(
    tmp_path: Path,
) -> None:
    """A repository trait or type named like a prelude one (`trait Extend`, `struct Send`,
    `struct String`) is the receiver's type when rules 1-4 find it (`x: &dyn Extend`, `T:
    Extend`, `let made = Send::new(1)`), where the name is std's elsewhere (`st: &String` in
    other.rs: `st.len()` no repository `String::len`). A path through a prelude trait is
    the one repository method of the name when an impl of that very trait declares it
    (`Clone::clone(m)` -> `impl Clone for Man`'s), never an inherent one (`ToString::to_string`
    is no `String::to_string`). A tuple's field `.N` is its N-th element (`pair.1`, and
    through fields, `h.nested.1.0` with `nested: (u8, (Bar, Foo))`, in the file or another),
    though `poke` names two methods. A primitive receiver that is no path (`p: *const u8`, a
    tuple, a slice) is no repository type named like its shape (`struct pointer`)."""
    repo = write_repo(tmp_path / "repo", RUST_PRELUDE_NAMES_AND_TUPLES)
    resolved = _resolved_by_path(run_dataflow(repo, languages=["rust"]))
    assert [(key, resolved[key]) for key in sorted(resolved) if key[2].endswith("poke")] == [
        (("src/lib.rs", 19, "pair.0.poke"), "crate::Foo::poke"),
        (("src/lib.rs", 20, "pair.1.poke"), "crate::Bar::poke"),
        (("src/lib.rs", 21, "h.pair.1.poke"), "crate::Bar::poke"),
        (("src/lib.rs", 22, "h.nested.1.1.poke"), "crate::Foo::poke"),
        (("src/other.rs", 4, "self.pair.0.poke"), "crate::Foo::poke"),
        (("src/other.rs", 5, "self.pair.1.poke"), "crate::Bar::poke"),
        (("src/other.rs", 9, "h.pair.1.poke"), "crate::Bar::poke"),
        (("src/other.rs", 10, "h.nested.1.0.poke"), "crate::Bar::poke"),
    ]
    assert resolved[("src/names.rs", 24, "x.extend_two")] == "crate::names::Extend::extend_two"
    assert resolved[("src/names.rs", 25, "t.extend_two")] == "crate::names::Extend::extend_two"
    assert resolved[("src/names.rs", 27, "st.shout")] == "crate::names::String::shout"
    assert resolved[("src/names.rs", 29, "made.fire")] == "crate::names::Send::fire"
    assert resolved[("src/other.rs", 13, "st.len")] == "unresolved:len"
    assert resolved[("src/other.rs", 16, "ToString::to_string")] == "unresolved:to_string"
    assert resolved[("src/prel.rs", 17, "Clone::clone")] == "crate::prel::Man::clone"
    assert resolved[("src/prel.rs", 18, "Default::default")] == "crate::prel::Man::default"
    assert resolved[("src/prel.rs", 19, "Iterator::next")] == "crate::prel::It::next"
    assert resolved[("src/prel.rs", 20, "From::from")] == "crate::prel::Man::from"
    assert resolved[("src/shapes.rs", 29, "p.tagged")] == "unresolved:tagged"
    assert resolved[("src/shapes.rs", 30, "t.tagged")] == "unresolved:tagged"
    assert resolved[("src/shapes.rs", 31, "s.tagged")] == "unresolved:tagged"
    assert resolved[("src/shapes.rs", 32, "q.tagged")] == "crate::shapes::util::pointer::tagged"


# (rustc 1.95: both `me.entry.reset()` are Entry's)
RUST_OWN_INSTANCE_VALUES = """\
use std::pin::Pin;
pub struct Entry;
impl Entry {
    pub fn reset(&mut self) {}
}
pub struct Other;
impl Other {
    pub fn reset(&mut self) {}
}
pub struct Sleep {
    entry: Entry,
}
impl Sleep {
    fn reset(self: Pin<&mut Self>) {
        let me = self.get_mut();
        me.entry.reset();
    }
    fn again(&mut self) {
        let me = &mut *self;
        me.entry.reset();
    }
}
"""


def test_rust_a_name_bound_to_self_itself_is_of_the_impls_type(tmp_path: Path) -> None:
    """Rust: a name bound to the own instance (`let me = &mut *self`, Pin's `self.get_mut()` of
    a `self: Pin<&mut Self>` in a file defining no `get_mut`) is of the impl's type: its fields
    (`me.entry.reset()`) are the struct's, never another type's `reset`."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_OWN_INSTANCE_VALUES})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(16, "me.entry.reset")] == "crate::Entry::reset"
    assert resolved[(20, "me.entry.reset")] == "crate::Entry::reset"


# (rustc 1.95: both `made_progress` calls are RestoreOnPending's)
RUST_READY_VALUES = """\
use std::task::{ready, Context, Poll};
pub struct RestoreOnPending;
impl RestoreOnPending {
    pub fn made_progress(&self) {}
}
pub struct Other;
impl Other {
    pub fn made_progress(&self) {}
}
pub fn poll_proceed(_cx: &mut Context<'_>) -> Poll<RestoreOnPending> {
    Poll::Ready(RestoreOnPending)
}
pub fn poll_read(_cx: &mut Context<'_>) -> Poll<std::io::Result<RestoreOnPending>> {
    Poll::Ready(Ok(RestoreOnPending))
}
pub fn run(cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
    let coop = ready!(poll_proceed(cx));
    coop.made_progress();
    let read = std::task::ready!(poll_read(cx))?;
    read.made_progress();
    Poll::Ready(Ok(()))
}
"""


def test_rust_ready_takes_a_polls_value_out(tmp_path: Path) -> None:
    """Rust: `let coop = ready!(poll_proceed(cx))` binds the Ready value of the function's
    `Poll<RestoreOnPending>` (returns `.ready RestoreOnPending`), `std::task::ready!(..)?` that
    of a `Poll<io::Result<T>>` after `?`: RestoreOnPending's `made_progress`, not Other's."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_READY_VALUES})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(18, "coop.made_progress")] == "crate::RestoreOnPending::made_progress"
    assert resolved[(20, "read.made_progress")] == "crate::RestoreOnPending::made_progress"


# (cargo-checked: rustc names RestoreOnPending's `made_progress` in lib.rs, std's
# `Poll::is_ready` in own.rs, whose `ready!` is v itself)
RUST_READY_FORMS = {
    "src/lib.rs": """\
pub mod own;
use std::task::{ready, Context, Poll};
pub struct RestoreOnPending;
impl RestoreOnPending {
    pub fn made_progress(&self) {}
    pub fn is_ready(&self) {}
}
pub struct Other;
impl Other {
    pub fn made_progress(&self) {}
    pub fn is_ready(&self) {}
}
pub fn poll_opt(_cx: &mut Context<'_>) -> Poll<Option<RestoreOnPending>> {
    Poll::Ready(None)
}
pub fn run(cx: &mut Context<'_>) -> Poll<()> {
    let u = ready!(poll_opt(cx)).unwrap();
    u.made_progress();
    if let Some(x) = ready!(poll_opt(cx)) {
        x.made_progress();
    }
    Poll::Ready(())
}
""",
    "src/own.rs": """\
use std::task::{Context, Poll};
use crate::RestoreOnPending;
macro_rules! ready {
    ($e:expr) => {
        $e
    };
}
pub fn poll_proceed(_cx: &mut Context<'_>) -> Poll<RestoreOnPending> {
    Poll::Ready(RestoreOnPending)
}
pub fn run(cx: &mut Context<'_>) {
    let p = ready!(poll_proceed(cx));
    p.is_ready();
}
""",
}


def test_rust_ready_forms_and_a_ready_of_the_files_own(tmp_path: Path) -> None:
    """Rust: `ready!(poll_opt(cx)).unwrap()` unwraps the Ready value of a `Poll<Option<T>>`
    (the macro's argument is `poll_opt(cx)`, not the greedy `poll_opt(cx)).unwrap(`), `if let
    Some(x) = ready!(..)` takes it out too; a file defining a `macro_rules! ready` of its own
    that gives its argument as it is (`$e`) binds the Poll itself: `p.is_ready()` is std's
    Poll's, never RestoreOnPending's."""
    repo = write_repo(tmp_path / "repo", RUST_READY_FORMS)
    calls = _calls_by_line(run_dataflow(repo, languages=["rust"]))
    resolved = {(line, callee): target for line, callee, target in calls}
    assert resolved[(18, "u.made_progress")] == "crate::RestoreOnPending::made_progress"
    assert resolved[(20, "x.made_progress")] == "crate::RestoreOnPending::made_progress"
    assert resolved[(13, "p.is_ready")] == "unresolved:is_ready"


# (rustc 1.95: Sender's `poll_reserve` and `close`)
RUST_PIN_INTO_INNER = """\
use std::pin::Pin;
pub struct Sender;
impl Sender {
    fn poll_reserve(&mut self) {}
    fn close(&mut self) {}
    fn run(self: Pin<&mut Self>) {
        Pin::into_inner(self).poll_reserve();
    }
    fn stop(self: Pin<&mut Self>) {
        Pin::get_mut(self).close();
    }
}
pub struct Other;
impl Other {
    fn poll_reserve(&mut self) {}
    fn close(&mut self) {}
}
"""


def test_rust_pins_functions_of_self_give_the_impls_type(tmp_path: Path) -> None:
    """Rust: `Pin::into_inner(self).f()` and `Pin::get_mut(self).f()` of a `self: Pin<&mut
    Self>` call the impl's type's method (the place, as `Pin::new(&mut x).f()` does), never
    another type's of the name."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_PIN_INTO_INNER})
    resolved = _resolved_by_line(run_dataflow(repo, languages=["rust"]))
    assert resolved[(7, "Pin::into_inner(self).poll_reserve")] == "crate::Sender::poll_reserve"
    assert resolved[(10, "Pin::get_mut(self).close")] == "crate::Sender::close"


# (rustc 1.95: TimerShared's `might_be_registered` and `handle`, TimerHandle's `set_expiration`)
RUST_NON_NULL_AND_SHADOWING = """\
use std::ptr::NonNull;
pub struct TimerShared;
impl TimerShared {
    pub fn handle(&self) -> TimerHandle {
        TimerHandle
    }
    pub fn might_be_registered(&self) -> bool {
        false
    }
    pub fn set_expiration(&self) {}
}
pub struct TimerHandle;
impl TimerHandle {
    pub fn set_expiration(&self) {}
}
pub struct Other;
impl Other {
    pub fn might_be_registered(&self) -> bool {
        true
    }
}
/// # Safety
/// `entry` points to a live TimerShared.
pub unsafe fn check(entry: NonNull<TimerShared>) -> bool {
    entry.as_ref().might_be_registered()
}
/// # Safety
/// `entry` points to a live TimerShared.
pub unsafe fn clear(entry: NonNull<TimerShared>) {
    let entry = entry.as_ref().handle();
    entry.set_expiration();
}
"""


def test_rust_non_null_pointees_and_shadowing_lets(tmp_path: Path) -> None:
    """Rust: a `NonNull<TimerShared>`'s `as_ref()` is its pointee (`entry.as_ref()
    .might_be_registered()`: TimerShared's, not Other's); a `let entry = ..` shadowing the
    parameter `entry` is a new variable of its own type: no TimerShared for it
    (`entry.set_expiration()` is TimerHandle's to rustc, unresolved here, never TimerShared's)."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_NON_NULL_AND_SHADOWING})
    resolved = _resolved_by_line(run_dataflow(repo, languages=["rust"]))
    assert resolved[(25, "entry.as_ref().might_be_registered")] == (
        "crate::TimerShared::might_be_registered"
    )
    assert resolved[(31, "entry.set_expiration")] == "unresolved:set_expiration"


# (cargo-check clean: each method returns its own marker type and each call site names the type
# it expects, so rustc says which method each call is: NonNull's own `read` / `as_ptr` at lib.rs
# 17-19, 28, 45 and 47, Foo's `go` at 20-22, 44 and 46, Inner's `go` at 31 (Wrapper's
# `AsRef<Inner>`), T's `Log2::log2` at 35)
RUST_NON_NULL_OWN_METHODS = {
    "src/wrap.rs": """\
pub struct InnerMark;
pub struct WrapMark;
pub struct Inner;
impl Inner { pub fn go(&self) -> InnerMark { InnerMark } }
pub struct Wrapper { pub inner: Inner }
impl Wrapper { pub fn go(&self) -> WrapMark { WrapMark } }
impl AsRef<Inner> for Wrapper { fn as_ref(&self) -> &Inner { &self.inner } }
""",
    "src/lib.rs": """\
pub mod wrap;
use std::ptr::NonNull;
use wrap::{InnerMark, Wrapper};
pub struct FooMark;
pub struct Foo;
impl Foo {
    pub fn go(&self) -> FooMark { FooMark }
    pub fn read(&self) -> FooMark { FooMark }
    pub fn as_ptr(&self) -> FooMark { FooMark }
}
pub trait Tr { fn as_ptr(&self) -> u8; }
pub struct Node { ptr: NonNull<Foo>, next: Option<NonNull<Foo>> }
impl Node {
    /// # Safety
    /// live pointers
    pub unsafe fn walk(&mut self, p: NonNull<Foo>) {
        let _: Foo = p.read();
        let _: *mut Foo = p.as_ptr();
        let _: *mut Foo = self.ptr.as_ptr();
        let _: FooMark = p.as_ref().go();
        let _: FooMark = self.ptr.as_mut().go();
        if let Some(n) = self.next { let _: FooMark = n.as_ref().go(); }
    }
}
/// # Safety
/// live pointer
pub unsafe fn generic<T: Tr>(p: NonNull<T>) {
    let _: *mut T = p.as_ptr();
}
pub fn via_as_ref(w: &Wrapper) {
    let _: InnerMark = w.as_ref().go();
}
pub trait Log2 { fn log2(&self, n: u8); }
impl<T: ?Sized + Log2> Log2 for std::sync::Arc<T> {
    fn log2(&self, n: u8) { self.as_ref().log2(n) }
}
impl Node {
    pub fn head(&self) -> NonNull<Foo> { self.ptr }
    pub fn next(&self) -> Option<NonNull<Foo>> { self.next }
    /// # Safety
    /// live pointers
    pub unsafe fn returned(&self) {
        let h = self.head();
        let _: FooMark = h.as_ref().go();
        let _: *mut Foo = h.as_ptr();
        if let Some(n) = self.next() { let _: FooMark = n.as_ref().go(); }
        let _: *mut Foo = self.head().as_ptr();
    }
}
""",
}


def test_rust_non_null_own_methods_and_as_ref_of_other_types(tmp_path: Path) -> None:
    """Rust: a `NonNull<Foo>` is std's NonNull, not a Foo: its own methods (`p.read()`,
    `p.as_ptr()`, of a field `self.ptr`, of a `NonNull<T>` with `T: Tr`) are never Foo's or
    Tr's of the name; only its `as_ref()` / `as_mut()` reach Foo (a parameter, a field, an
    Option's content, a function's value: `-> NonNull<Foo>` returns `.pointee Foo`, whose
    value itself is no Foo either). `as_ref()` of anything else is its value, not the place: `w.as_ref()
    .go()` with another file's `impl AsRef<Inner> for Wrapper` is Inner's (was Wrapper's), and
    `self.as_ref()` in an impl for `Arc<T>` is no self-call (was `Arc::log2`)."""
    repo = write_repo(tmp_path / "repo", RUST_NON_NULL_OWN_METHODS)
    resolved = _resolved_by_line(run_dataflow(repo, languages=["rust"]))
    assert resolved[(17, "p.read")] == "unresolved:read"  # were Foo's
    assert resolved[(18, "p.as_ptr")] == "unresolved:as_ptr"
    assert resolved[(19, "self.ptr.as_ptr")] == "unresolved:as_ptr"
    assert resolved[(28, "p.as_ptr")] == "unresolved:as_ptr"  # was Tr's
    assert resolved[(20, "p.as_ref().go")] == "crate::Foo::go"
    assert resolved[(21, "self.ptr.as_mut().go")] == "crate::Foo::go"
    assert resolved[(22, "n.as_ref().go")] == "crate::Foo::go"
    assert resolved[(31, "w.as_ref().go")] == "crate::wrap::Inner::go"
    assert resolved[(35, "self.as_ref().log2")] == "unresolved:log2"
    assert resolved[(44, "h.as_ref().go")] == "crate::Foo::go"  # was unresolved
    assert resolved[(46, "n.as_ref().go")] == "crate::Foo::go"
    assert resolved[(45, "h.as_ptr")] == "unresolved:as_ptr"
    assert resolved[(47, "self.head().as_ptr")] == "unresolved:as_ptr"


# (cargo-check clean, marker types as above: rustc names Foo's `go` at 15, 24, 27 and 36, Bar's
# at 17 and 22, std's `Context::waker` at 31 and 33, `Go::go` of `Vec<u8>` at 42)
RUST_LETS_WHERE_THEY_HOLD = """\
use std::task::{Context, Waker};
pub struct FooMark;
pub struct BarMark;
pub struct Foo;
impl Foo {
    pub fn go(&self) -> FooMark { FooMark }
    pub fn bar(&self) -> Bar { Bar }
}
pub struct Bar;
impl Bar { pub fn go(&self) -> BarMark { BarMark } }
pub fn make() -> Bar { Bar }
pub struct Parker;
impl Parker { pub fn waker(&self) -> Option<Waker> { None } }
pub fn before_after(x: Foo) {
    let _: FooMark = x.go();
    let x = x.bar();
    let _: BarMark = x.go();
}
pub fn nested_block(x: Foo) {
    {
        let x: Bar = make();
        let _: BarMark = x.go();
    }
    let _: FooMark = x.go();
}
pub fn let_else(x: Foo, o: Option<Bar>) {
    let Some(x) = o else { let _: FooMark = x.go(); return };
    let _: BarMark = x.go();
}
pub fn poll_twice(cx: &mut Context<'_>, other: &Waker) {
    let _: &Waker = cx.waker();
    let cx = Context::from_waker(other);
    let _: &Waker = cx.waker();
}
pub fn copies(x: Foo, v: &Vec<u8>) {
    let _: FooMark = x.go();
    let x = v;
    let a = x;
    let b = a;
    let c = b;
    let d = c;
    let _: u8 = d.go();
}
pub trait Go { fn go(&self) -> u8; }
impl Go for Vec<u8> { fn go(&self) -> u8 { 0 } }
"""


def test_rust_a_let_holds_from_its_end_to_its_blocks_end(tmp_path: Path) -> None:
    """Rust: a `let` binds its names from its end to the end of its block, shadowing a
    parameter of the name there only: a call before it, in its value (`let x = x.bar()`), in
    its `else` block, or after the block it stands in is the parameter's (Foo's; were
    unresolved), a call after it the `let`'s (Bar's); a shadowing `let` of a std value
    (`let cx = Context::from_waker(..)`) is no rule-5 guess of the repository's only `waker`;
    a copy is typed where it is written (`let a = x` after `let x = v`: v's type, never the
    parameter's Foo, also four copies deep)."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_LETS_WHERE_THEY_HOLD})
    resolved = _resolved_by_line(run_dataflow(repo, languages=["rust"]))
    for line in (15, 24, 27, 36):
        assert resolved[(line, "x.go")] == "crate::Foo::go"
    assert resolved[(16, "x.bar")] == "crate::Foo::bar"
    assert resolved[(17, "x.go")] == "crate::Bar::go"
    assert resolved[(22, "x.go")] == "crate::Bar::go"
    assert resolved[(31, "cx.waker")] == "unresolved:waker"  # were Parker's
    assert resolved[(33, "cx.waker")] == "unresolved:waker"
    assert resolved[(42, "d.go")] != "crate::Foo::go"


# (cargo-check clean, marker types as above: rustc names Foo's `go` at 9 and 15, Bar's at 12
# and 14)
RUST_ELEMENTS_WHERE_THE_LETS_HOLD = """\
pub struct FooMark;
pub struct BarMark;
pub struct Foo;
impl Foo { pub fn go(&self) -> FooMark { FooMark } }
pub struct Bar;
impl Bar { pub fn go(&self) -> BarMark { BarMark } }
pub fn bars() -> Vec<Bar> { vec![Bar] }
pub fn elements(xs: Vec<Foo>, zs: &[Foo]) {
    let _: FooMark = xs[0].go();
    let ws = zs;
    let xs = bars();
    let _: BarMark = xs[0].go();
    let ys = xs;
    let _: BarMark = ys[0].go();
    let _: FooMark = ws[0].go();
}
"""


def test_rust_an_element_is_of_the_container_a_let_holds_there(tmp_path: Path) -> None:
    """Rust: `xs[0]` is an element of the `xs` the `let`s before it bind: after `let xs =
    bars()`, none of the parameter `xs: Vec<Foo>`'s (was Foo's `go`), also through a copy
    (`let ys = xs`); a copy made before the `let` keeps the parameter's (`let ws = zs`)."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_ELEMENTS_WHERE_THE_LETS_HOLD})
    resolved = _resolved_by_line(run_dataflow(repo, languages=["rust"]))
    assert resolved[(9, "xs[0].go")] == "crate::Foo::go"
    assert resolved[(12, "xs[0].go")] != "crate::Foo::go"
    assert resolved[(14, "ys[0].go")] != "crate::Foo::go"
    assert resolved[(15, "ws[0].go")] == "crate::Foo::go"


# (cargo-check clean, marker types as above: rustc names Foo's `go` at 8 and 12, Bar's at 10
# and 15)
RUST_CONTENTS_WHERE_THE_LETS_HOLD = """\
pub struct FooMark;
pub struct BarMark;
pub struct Foo;
impl Foo { pub fn go(&self) -> FooMark { FooMark } }
pub struct Bar;
impl Bar { pub fn go(&self) -> BarMark { BarMark } }
pub fn contents(o: Option<Foo>, r: Option<Foo>) {
    if let Some(v) = &o { let _: FooMark = v.go(); }
    let o = Some(Bar);
    if let Some(v) = &o { let _: BarMark = v.go(); }
    let x = r.unwrap();
    let _: FooMark = x.go();
    let r = Some(Bar);
    let y = r.unwrap();
    let _: BarMark = y.go();
}
"""


def test_rust_a_content_is_of_the_place_a_let_holds_there(tmp_path: Path) -> None:
    """Rust: `if let Some(v) = &o` and `let x = r.unwrap()` take the content of the `o` / `r`
    bound where they stand: before a `let o` shadowing the parameter `o: Option<Foo>`, the
    parameter's Foo (was unresolved: the `let` anywhere in the function left the parameter's
    content untyped); after it, none of Foo's."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_CONTENTS_WHERE_THE_LETS_HOLD})
    resolved = _resolved_by_line(run_dataflow(repo, languages=["rust"]))
    assert resolved[(8, "v.go")] == "crate::Foo::go"
    assert resolved[(12, "x.go")] == "crate::Foo::go"
    assert resolved[(10, "v.go")] != "crate::Foo::go"
    assert resolved[(15, "y.go")] != "crate::Foo::go"


# (cargo-check clean; rustc 1.95 names every call below resolved as we do; `rd.lines()`
# BufFillExt's, which we leave unresolved: `lines` is a str method's name too)
RUST_STD_VALUES_OF_GENERIC_RECEIVERS = """\
#![allow(dead_code, unused, clippy::all)]
use std::future::Future;
pub struct Foo;
impl Foo {
    pub fn poke(&self) -> u8 { 0 }
}
fn slice_of(v: &Vec<Foo>) -> &[Foo] { v }
fn elements(items: &[Foo], arr: [Foo; 2], v: &Vec<Foo>) {
    let f = items.first().unwrap();
    f.poke();
    let last = arr.last().unwrap();
    last.poke();
    let k = slice_of(v).first().unwrap();
    k.poke();
}
fn iterated<I: Iterator<Item = Foo>>(mut it: I, r: impl AsRef<Foo>) {
    let x = it.next().unwrap();
    x.poke();
    let z = r.as_ref();
    z.poke();
}
pub trait BufFill {
    fn fill_it(&mut self);
}
impl BufFill for &[u8] {
    fn fill_it(&mut self) {}
}
pub struct Lines<R> {
    inner: R,
}
impl<R> Lines<R> {
    pub fn next_line(&mut self) -> Option<u8> { None }
}
pub trait BufFillExt: BufFill {
    fn lines(self) -> Lines<Self> where Self: Sized { Lines { inner: self } }
}
impl<R: BufFill + ?Sized> BufFillExt for R {}
fn lines(rd: &[u8]) {
    let mut st = rd.lines();
    st.next_line();
}
pub trait FirstPoll: Future {
    fn first_poll(self) -> Option<Self::Output> where Self: Sized { None }
}
impl<F: Future + ?Sized> FirstPoll for F {}
async fn unit_result() -> Result<(), ()> { Ok(()) }
async fn pair() -> Option<(u8, Foo)> { None }
async fn foo() -> Foo { Foo }
fn futures() {
    unit_result().first_poll();
    pair().first_poll();
    foo().first_poll();
}
"""


def test_rust_std_values_of_primitive_and_prelude_trait_receivers_are_no_outside_values(
    tmp_path: Path,
) -> None:
    """What a std method returns on a Rust value of a primitive type or a prelude trait may be
    a repository type, the element (`items.first().unwrap()` of a `&[Foo]`, `arr.last()`,
    `it.next().unwrap()` of an `I: Iterator<Item = Foo>`, `r.as_ref()` of an `impl
    AsRef<Foo>`), or a repository trait's (`rd.lines()` of a `&[u8]`: BufFillExt's `Lines`):
    no value from outside, its members' rule-5 guess kept (they had one before such values
    had types). An async fn's value not awaited is a Future, whatever its output (`()`, a
    tuple, `Foo`): a repository extension trait's method of it (`first_poll`) stays."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_STD_VALUES_OF_GENERIC_RECEIVERS})
    resolved = _resolved_by_line(run_dataflow(repo, languages=["rust"]))
    assert resolved[(10, "f.poke")] == "crate::Foo::poke"
    assert resolved[(12, "last.poke")] == "crate::Foo::poke"
    assert resolved[(14, "k.poke")] == "crate::Foo::poke"
    assert resolved[(18, "x.poke")] == "crate::Foo::poke"
    assert resolved[(20, "z.poke")] == "crate::Foo::poke"
    assert resolved[(40, "st.next_line")] == "crate::Lines::next_line"
    assert resolved[(50, "unit_result().first_poll")] == "crate::FirstPoll::first_poll"
    assert resolved[(51, "pair().first_poll")] == "crate::FirstPoll::first_poll"
    assert resolved[(52, "foo().first_poll")] == "crate::FirstPoll::first_poll"
    # the std methods themselves stay unresolved
    assert resolved[(9, "items.first")] == "unresolved:first"
    assert resolved[(17, "it.next")] == "unresolved:next"


# (cargo-check clean: rustc names `variants\n.iter()` in `punctuated` Punct's `iter` and
# `.count()` in `enumerated` the slice Iter's, std's)
RUST_ONE_CALLEE_TEXT_IN_TWO_FUNCTIONS = """\
#![allow(dead_code, unused, clippy::all)]
pub struct Punct<T> {
    items: Vec<T>,
}
pub struct Iter<'a, T> {
    inner: std::slice::Iter<'a, T>,
}
impl<T> Punct<T> {
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { inner: self.items.iter() }
    }
}
impl<'a, T> Iter<'a, T> {
    pub fn first_one(self) -> Option<&'a T> {
        None
    }
}
pub enum Data {
    Enum(Vec<u8>),
    Unit,
}
fn enumerated(data: &Data) -> usize {
    match data {
        Data::Enum(variants) => variants.iter().count(),
        Data::Unit => 0,
    }
}
fn punctuated(variants: &Punct<u8>) -> Option<&u8> {
    variants
        .iter()
        .first_one()
}
"""


def test_rust_a_call_value_is_typed_by_the_call_sites_of_its_own_function(
    tmp_path: Path,
) -> None:
    """Rule 4a's second pass types a Rust call's value (`variants.iter()`) by the sites of
    that callee text in the receiver's own function, for a repository function
    (``_returned_by_call_sites``) and for a value from outside (``_outside_call_values``) alike:
    `variants` in `enumerated` (a `Vec<u8>` bound by an enum variant pattern, its `iter` std's)
    is another variable than `punctuated`'s (a `Punct<u8>`), and a chain written over lines is
    the same callee text. Once the outside verdict read every site of the file, both rules
    answered for `punctuated`'s receiver and the pass failed (ShapeError, serde_derive's
    `internals/ast.rs` on the 84 crates of tokio-crates-dependencies-debian)."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_ONE_CALLEE_TEXT_IN_TWO_FUNCTIONS})
    resolved = _resolved_by_line(run_dataflow(repo, languages=["rust"]))
    assert resolved[(29, "variants .iter")] == "crate::Punct::iter"
    assert resolved[(29, "variants .iter() .first_one")] == "crate::Iter::first_one"
    assert resolved[(24, "variants.iter().count")] == "unresolved:count"


# (cargo-check clean: rustc names `seed.get(0)` the slice's `get`, std's; Source is not in
# scope in qc, which does not depend on logx)
RUST_PRELUDE_NAMED_IMPLS = {
    "Cargo.toml": """\
[workspace]
members = ["logx", "qc"]
""",
    "logx/Cargo.toml": """\
[package]
name = "logx"
version = "0.1.0"
edition = "2021"
""",
    "logx/src/lib.rs": """\
pub trait Source {
    fn get(&self, key: u8) -> Option<u8>;
}
mod std_support {
    use super::Source;
    impl<T> Source for Vec<T> {
        fn get(&self, key: u8) -> Option<u8> { None }
    }
}
""",
    "qc/Cargo.toml": """\
[package]
name = "qc"
version = "0.1.0"
edition = "2021"
""",
    "qc/src/lib.rs": """\
pub trait Arbitrary {
    fn shrink(&self) -> u8;
}
impl<A> Arbitrary for Vec<A> {
    fn shrink(&self) -> u8 { 0 }
}
struct Gen {
    seed: Vec<u8>,
}
impl Gen {
    fn pick(&self) -> usize {
        self.seed.get(0);
        self.seed.len()
    }
}
fn seeds(seed: Vec<u8>) -> usize {
    seed.get(0);
    seed.len()
}
""",
}


def test_rust_an_impl_named_like_a_prelude_type_is_no_receiver_type(tmp_path: Path) -> None:
    """A `Vec<u8>` is std's wherever an impl for it is named `Vec` (`impl<T> Source for
    Vec<T>` in another crate, `impl<A> Arbitrary for Vec<A>` in the call's): only a struct, an
    enum or a trait of the call's crate named like a prelude type or trait is the repository's
    (`seed.get(0)` is no `logx::std_support::Vec::get`)."""
    repo = write_repo(tmp_path / "repo", RUST_PRELUDE_NAMED_IMPLS)
    resolved = _resolved_by_path(run_dataflow(repo, languages=["rust"]))
    assert resolved[("qc/src/lib.rs", 12, "self.seed.get")] == "unresolved:get"
    assert resolved[("qc/src/lib.rs", 17, "seed.get")] == "unresolved:get"


RUST_VALUES_AND_MODULES = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod loom;\npub mod task;\n",
    "src/loom.rs": "pub(crate) use std::sync::atomic::AtomicBool;\n",
    "src/task/mod.rs": """\
mod raw;
use self::raw::RawTask;
use crate::loom::AtomicBool;
pub mod abort;
pub struct Flag;
impl Flag {
    pub fn store(&self) {}
    pub fn try_with(&self) {}
}
pub struct Context {
    pub flag: Flag,
    pub busy: AtomicBool,
}
static CONTEXT: Context = Context { flag: Flag, busy: AtomicBool::new(false) };
fn run(raw: RawTask) {
    raw.poll();
    CONTEXT.try_with();
}
""",
    "src/task/raw.rs": """\
pub struct RawTask;
impl RawTask {
    pub fn poll(&self) {}
}
pub fn poll() {}
""",
    "src/task/abort.rs": """\
use crate::loom::AtomicBool;
use crate::task::{Context, RawTask};
pub struct Abort {
    raw: RawTask,
    done: AtomicBool,
    context: Context,
}
impl Abort {
    fn abort(&self) {
        self.raw.poll();
        self.done.store();
        self.context.flag.store();
        self.context.busy.store();
    }
}
""",
}


def test_rust_values_heads_private_uses_and_std_reexports(tmp_path: Path) -> None:
    """Rust: a head before a `.` is a value, never a module (`raw.poll()` on a `raw: RawTask`
    beside `mod raw` with a `fn poll` is RawTask's); a `static`'s declared type types it
    (`CONTEXT.try_with()`: Context has none, unresolved, never Flag's by rule 5); a plain `use`
    of a module is followed for a path naming it (`use crate::task::RawTask` in `task::abort`
    with `use self::raw::RawTask` in `task`); a type a `use` names that names no definition
    of the repository (`AtomicBool` re-exported from std) is from outside, no rule-5 guess of
    Flag's `store`, also as the type of a field of another file's struct
    (`self.context.busy.store()`); a field of a field is followed (`self.context.flag.store()`)."""
    repo = write_repo(tmp_path / "repo", RUST_VALUES_AND_MODULES)
    tables = run_dataflow(repo, languages=["rust"])
    calls = {
        (path, line, callee): target for (path, line, callee), target in _rust_calls(tables).items()
    }
    assert calls[("src/task/mod.rs", 16, "raw.poll")] == "crate::task::raw::RawTask::poll"
    assert calls[("src/task/mod.rs", 17, "CONTEXT.try_with")] == "unresolved:try_with"
    assert calls[("src/task/abort.rs", 10, "self.raw.poll")] == "crate::task::raw::RawTask::poll"
    assert calls[("src/task/abort.rs", 11, "self.done.store")] == "unresolved:store"
    assert calls[("src/task/abort.rs", 12, "self.context.flag.store")] == "crate::task::Flag::store"
    assert calls[("src/task/abort.rs", 13, "self.context.busy.store")] == "unresolved:store"


RUST_PRIVATE_USES_AND_GLOBS = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod m;\npub mod x;\npub mod y;\npub mod z;\nmod user;\n",
    "src/m.rs": "use crate::x::Foo;\nuse crate::z::*;\npub fn m_only() {}\n",
    "src/x.rs": "pub struct Foo;\nimpl Foo {\n    pub fn make() {}\n}\n",
    "src/y.rs": "pub struct Foo;\nimpl Foo {\n    pub fn make() {}\n}\n",
    "src/z.rs": "pub struct Bar;\nimpl Bar {\n    pub fn build() {}\n}\n",
    "src/user.rs": (
        "use crate::m::*;\n"
        "use crate::y::*;\n"
        "fn f() {\n"
        "    Foo::make();\n"  # 4: y's pub Foo; m's private `use crate::x::Foo` is not carried
        "    Bar::build();\n"  # 5: m's private `use crate::z::*` carries nothing out of m
        "    m_only();\n"  # 6
        "}\n"
    ),
}


def test_rust_a_glob_carries_no_private_use_of_its_module(tmp_path: Path) -> None:
    """Rust: a glob `use crate::m::*` from outside m carries m's public items and `pub use`s
    only, never what a plain `use` of m binds (`use crate::x::Foo`, `use crate::z::*`: items
    private to m): `Foo` is the other glob's `pub Foo` (no conflict with x's), `Bar` is not
    in scope (unresolved)."""
    repo = write_repo(tmp_path / "repo", RUST_PRIVATE_USES_AND_GLOBS)
    tables = run_dataflow(repo, languages=["rust"])
    calls = {
        (line, callee): target
        for (path, line, callee), target in _rust_calls(tables).items()
        if path == "src/user.rs"
    }
    assert calls == {
        (4, "Foo::make"): "crate::y::Foo::make",
        (5, "Bar::build"): "unresolved:build",
        (6, "m_only"): "crate::m::m_only",
    }


RUST_TYPES_OF_ONE_NAME = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod loom;\npub mod sync;\npub mod file;\npub mod net;\n",
    "src/sync.rs": """\
pub struct Mutex;
impl Mutex {
    pub fn lock(&self) {}
    pub fn unlock(&self) {}
}
""",
    "src/loom/mod.rs": """\
#[cfg(not(loom))]
mod std;
#[cfg(not(loom))]
pub use self::std::*;
#[cfg(loom)]
mod mocked;
#[cfg(loom)]
pub use self::mocked::*;
""",
    "src/loom/std/mod.rs": """\
mod mutex;
pub mod sync {
    pub use super::mutex::Mutex;
}
""",
    "src/loom/std/mutex.rs": """\
pub struct Mutex;
impl Mutex {
    pub fn new() -> Mutex {
        Mutex
    }
    pub fn lock(&self) {}
}
""",
    "src/loom/mocked.rs": """\
pub mod sync {
    pub struct Mutex;
    impl Mutex {
        pub fn new() -> Mutex {
            Mutex
        }
        pub fn lock(&self) {}
    }
}
""",
    "src/net.rs": """\
pub struct Listener;
impl Listener {
    pub fn unlock(&self) {}
}
pub trait Unlock {
    fn unlock(&self);
}
impl Unlock for crate::sync::Mutex {
    fn unlock(&self) {
        self.lock();
    }
}
""",
    "src/file.rs": """\
use crate::sync::Mutex;
use crate::loom::sync::Mutex as Twin;
pub struct File {
    inner: Mutex,
    twin: Twin,
}
impl File {
    fn run(&self) {
        self.inner.lock();
        self.twin.lock();
        Twin::new();
        self.inner.unlock();
    }
}
""",
}


def test_rust_a_types_own_impl_outranks_other_types_of_its_name(tmp_path: Path) -> None:
    """Rust: a method of the impl in the module that declares the struct is the type's, other
    modules' types of that name are no rivals (`self.inner.lock()` on `crate::sync::Mutex`, with
    `loom`'s `Mutex`es beside it), also over a trait's impl for it elsewhere (`unlock`: sync's
    own, not net's `impl Unlock for crate::sync::Mutex`, as rustc takes the inherent method).
    An impl with no struct of its name in its module may be for any type of the name (`self` in
    net's impl, named `crate::net::Mutex`): `self.lock()` there stays ambiguous. A path its
    re-exports lead to two definitions by (the globs of `mod std` and `mod mocked`, one per
    cfg; `mocked`'s nearer) names neither: `Twin::new()` and a field of that type are
    unresolved."""
    repo = write_repo(tmp_path / "repo", RUST_TYPES_OF_ONE_NAME)
    tables = run_dataflow(repo, languages=["rust"])
    calls = {
        (line, callee): target
        for (path, line, callee), target in _rust_calls(tables).items()
        if path == "src/file.rs"
    }
    assert calls == {
        (9, "self.inner.lock"): "crate::sync::Mutex::lock",
        (10, "self.twin.lock"): "unresolved:lock",
        (11, "Twin::new"): "unresolved:new",
        (12, "self.inner.unlock"): "crate::sync::Mutex::unlock",
    }
    assert _rust_calls(tables)[("src/net.rs", 10, "self.lock")] == "unresolved:lock"


RUST_VALUES_OF_METHODS = """\
pub struct Header;
impl Header {
    pub fn id(&self) {}
}
pub struct Task;
impl Task {
    pub fn header(&self) -> &Header {
        &Header
    }
    pub fn count(&self) -> usize {
        0
    }
}
pub struct Other;
impl Other {
    pub fn id(&self) {}
    pub fn tally(&self) {}
}
fn run(task: Task) {
    let header = task.header();
    header.id();
    let n = task.count();
    n.tally();
}
pub struct Job {
    task: Task,
}
impl Job {
    fn go(&self) {
        self.task
            .header()
            .id();
        self.task
            .count()
            .tally();
    }
}
"""


def test_rust_a_let_of_a_methods_value_has_its_return_type(tmp_path: Path) -> None:
    """Rust: `let x = y.f()` binds x to what the method of y's type returns (`task.header()`:
    a Header, though Other has an `id` too), and a value of a std type takes no rule-5 guess
    (`task.count()` is a usize: not Other's one `tally`); so does a method's value in a chain
    written over lines (rustfmt's `self.task\\n.header()\\n.id()`)."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_VALUES_OF_METHODS})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(21, "header.id")] == "crate::Header::id"
    assert resolved[(23, "n.tally")] == "unresolved:tally"
    assert resolved[(30, "self.task .header() .id")] == "crate::Header::id"
    assert resolved[(33, "self.task .count() .tally")] == "unresolved:tally"


RUST_VALUES_OF_CALLS_ELSEWHERE = """\
pub struct Guard;
impl Guard {
    pub fn release(&self) {}
}
pub struct Lock;
impl Lock {
    pub fn lock(&self) -> Guard {
        Guard
    }
}
pub struct Other;
impl Other {
    pub fn release(&self) {}
}
pub struct A {
    inner: std::sync::Mutex<u8>,
}
impl A {
    fn f(&self) {
        let g = self.inner.lock();
        g.release();
    }
}
pub struct B {
    inner: Lock,
}
impl B {
    fn g(&self) {
        let g = self.inner.lock();
        g.release();
    }
}
"""


def test_rust_a_let_of_a_calls_value_is_typed_by_its_own_call_only(tmp_path: Path) -> None:
    """Rust: `let g = self.inner.lock()` is typed by the call it binds, not by a call of the
    same text in another impl (B's `self.inner` is a Lock, A's a `std::sync::Mutex`): A's
    `g.release()` is unresolved (a Mutex's guard, from outside the repository), never
    `Guard::release` (nor a rule-5 guess among the two `release`); B's is Guard's."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_VALUES_OF_CALLS_ELSEWHERE})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(20, "self.inner.lock")] == "unresolved:lock"
    assert resolved[(21, "g.release")] == "unresolved:release"
    assert resolved[(29, "self.inner.lock")] == "crate::Lock::lock"
    assert resolved[(30, "g.release")] == "crate::Guard::release"


RUST_SELF_CONSTRUCTORS = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod id;\npub mod other;\n",
    "src/id.rs": """\
pub struct Id(u64);
impl Id {
    pub fn next() -> Self {
        Self(1)
    }
}
""",
    "src/other.rs": """\
pub trait Make {
    fn make() -> Self;
}
impl Make for crate::id::Id {
    fn make() -> Self {
        Self(2)
    }
}
""",
}


def test_rust_self_calls_construct_the_impls_tuple_struct(tmp_path: Path) -> None:
    """Rust: `Self(..)` in an impl named as a struct its module declares constructs that tuple
    struct (`crate::id::Id`); in an impl elsewhere (`impl Make for crate::id::Id` in `other`)
    the impl's name is no type of its module: unresolved."""
    repo = write_repo(tmp_path / "repo", RUST_SELF_CONSTRUCTORS)
    tables = run_dataflow(repo, languages=["rust"])
    calls = _rust_calls(tables)
    assert calls[("src/id.rs", 4, "Self")] == "crate::id::Id"
    assert calls[("src/other.rs", 6, "Self")] == "unresolved:Self"


RUST_SELF_IN_TRAIT_IMPLS_OF_PATHS = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod a;\npub mod b;\n",
    "src/b.rs": "pub struct Id(pub u64);\n",
    "src/a.rs": (
        "pub struct Id(u8);\n"
        "impl Id {\n"
        "    pub fn new() -> Self {\n"
        "        Self(0)\n"  # 4
        "    }\n"
        "}\n"
        "impl From<u8> for crate::b::Id {\n"
        "    fn from(x: u8) -> Self {\n"
        "        Self(1)\n"  # 9
        "    }\n"
        "}\n"
    ),
}


def test_rust_self_calls_in_a_trait_impl_of_a_path_are_not_the_modules_struct(
    tmp_path: Path,
) -> None:
    """Rust: `Self(..)` in `impl From<u8> for crate::b::Id` written in a.rs, which declares an
    `Id` of its own, constructs b's Id: never a.rs's (unresolved); in a.rs's inherent `impl Id`
    it is a.rs's."""
    repo = write_repo(tmp_path / "repo", RUST_SELF_IN_TRAIT_IMPLS_OF_PATHS)
    tables = run_dataflow(repo, languages=["rust"])
    calls = _rust_calls(tables)
    assert calls[("src/a.rs", 4, "Self")] == "crate::a::Id"
    assert calls[("src/a.rs", 9, "Self")] == "unresolved:Self"


RUST_TUPLE_FIELDS = """\
pub struct OpenOptions(std::fs::OpenOptions);
impl OpenOptions {
    pub fn create_new(&mut self) -> &mut OpenOptions {
        self.0.create_new(true);
        self
    }
}
pub struct Builder {
    options: OpenOptions,
}
impl Builder {
    fn build(&mut self) {
        self.options.create_new();
    }
}
"""


def test_rust_tuple_fields_take_no_unique_name_guess(tmp_path: Path) -> None:
    """Rust: a member call on a tuple struct's field (`self.0.create_new()`, a std
    `OpenOptions` the newtype wraps) is of a type the extraction does not record: no rule-5
    guess of the repository's one `create_new`; a named field is typed (`self.options`)."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_TUPLE_FIELDS})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(4, "self.0.create_new")] == "unresolved:create_new"
    assert resolved[(13, "self.options.create_new")] == "crate::OpenOptions::create_new"


RUST_POSITIONAL_FIELDS = """\
pub struct State;
impl State {
    pub fn load(&self) {}
}
pub struct Inner {
    state: State,
}
impl Inner {
    pub fn run(&self) {}
}
pub struct Other;
impl Other {
    pub fn run(&self) {}
    pub fn load(&self) {}
    pub fn create_new(&self) {}
}
pub struct Pair(#[cfg(unix)] Other, pub(crate) Inner, std::fs::OpenOptions);
impl Pair {
    fn go(&mut self) {
        self.1.run();
        self.0.run();
        self.1.state.load();
        self.2.create_new(true);
        let pair = (Inner { state: State }, Other);
        pair.1.run();
    }
}
"""


def test_rust_tuple_fields_are_typed_by_position(tmp_path: Path) -> None:
    """Rust: a tuple struct's fields are named by their position (`struct Pair(#[cfg(unix)]
    Other, Inner, std::fs::OpenOptions)`: `self.1` is an `Inner`, an attribute counting no
    field), hops go on through them (`self.1.state`); a field of a type from outside the
    repository (`self.2`, `std::fs::OpenOptions`) leaves its member unresolved, as does a
    tuple value's field (`pair.1`: no named type)."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_POSITIONAL_FIELDS})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(20, "self.1.run")] == "crate::Inner::run"  # not Other::run
    assert resolved[(21, "self.0.run")] == "crate::Other::run"
    assert resolved[(22, "self.1.state.load")] == "crate::State::load"  # not Other::load
    assert resolved[(23, "self.2.create_new")] == "unresolved:create_new"
    assert resolved[(25, "pair.1.run")] == "unresolved:run"


RUST_FIELDS_OF_ANOTHER_FILE = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod handle;\npub mod shared;\npub mod worker;\n",
    "src/shared.rs": """\
pub struct Shared {
    pub(crate) queue: Queue,
}
impl Shared {
    pub fn notify(&self) {}
}
pub struct Queue;
impl Queue {
    pub fn push(&self) {}
}
pub struct Idle;
impl Idle {
    pub fn notify(&self) {}
    pub fn push(&self) {}
    pub fn len(&self) -> usize {
        0
    }
}
""",
    "src/handle.rs": """\
use crate::shared::Shared;
pub struct Handle {
    pub(crate) shared: Shared,
    pub(crate) name: String,
}
""",
    "src/worker.rs": """\
use crate::handle::Handle;
impl Handle {
    fn wake(&self) {
        self.shared.notify();
        self.shared.queue.push();
        self.name.len();
    }
}
pub struct Local {
    idle: crate::shared::Idle,
}
impl Local {
    fn go(&self) {
        self.idle.notify();
        self.missing.len();
    }
}
""",
}


def test_rust_impl_fields_of_a_struct_in_another_file(tmp_path: Path) -> None:
    """Rust: in an `impl Handle` whose struct another file declares, `self.shared` is a field
    hop the CPG types by that struct's fields (`Shared`, then `Shared`'s `queue`), not a
    unique-name guess; a field of an outside type (`self.name`, a `String`) leaves `len`
    unresolved though the repository has one `len`; a field the file's own struct lacks
    (`self.missing`) is no hop: unresolved too."""
    repo = write_repo(tmp_path / "repo", RUST_FIELDS_OF_ANOTHER_FILE)
    tables = run_dataflow(repo, languages=["rust"])
    calls = _rust_calls(tables)
    assert calls[("src/worker.rs", 4, "self.shared.notify")] == "crate::shared::Shared::notify"
    assert calls[("src/worker.rs", 5, "self.shared.queue.push")] == "crate::shared::Queue::push"
    assert calls[("src/worker.rs", 6, "self.name.len")] == "unresolved:len"
    assert calls[("src/worker.rs", 14, "self.idle.notify")] == "crate::shared::Idle::notify"
    assert calls[("src/worker.rs", 15, "self.missing.len")] == "unresolved:len"


RUST_IMPL_OF_AN_IMPORTED_STRUCT = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod x;\npub mod y;\n",
    "src/x/mod.rs": (
        "pub mod handle;\npub mod worker;\npub mod plain;\npub mod outside;\n"
        "pub use handle::Handle;\n"
    ),
    "src/x/handle.rs": (
        "pub struct A;\nimpl A {\n    pub fn go(&self) {}\n}\npub struct Handle {\n"
        "    pub shared: A,\n}\n"
    ),
    "src/x/worker.rs": (
        "use crate::y::handle::Handle;\nimpl Handle {\n    fn f(&self) {\n"
        "        self.shared.go();\n    }\n}\n"
    ),
    "src/x/plain.rs": (
        "use super::*;\nimpl Handle {\n    fn g(&self) {\n        self.shared.go();\n    }\n}\n"
    ),
    "src/x/outside.rs": (
        "use other::Handle;\nimpl Handle {\n    fn h(&self) {\n        self.shared.go();\n"
        "    }\n}\n"
    ),
    "src/y/mod.rs": "pub mod handle;\n",
    "src/y/handle.rs": (
        "pub struct B;\nimpl B {\n    pub fn go(&self) {}\n}\npub struct Handle {\n"
        "    pub shared: B,\n}\n"
    ),
}


def test_rust_impl_of_an_imported_struct(tmp_path: Path) -> None:
    """Rust: an `impl Handle` whose file declares none is of the struct the file's `use` of
    `Handle` reaches (`crate::y::handle::Handle`, `shared: B`), not of the `Handle` of its own
    folder (`shared: A`); with no `use` binding the name (a glob), of its folder's one
    `Handle`; a `use` reaching no type of the repository (`other::Handle`) leaves no guess."""
    repo = write_repo(tmp_path / "repo", RUST_IMPL_OF_AN_IMPORTED_STRUCT)
    tables = run_dataflow(repo, languages=["rust"])
    calls = _rust_calls(tables)
    assert calls[("src/x/worker.rs", 4, "self.shared.go")] == "crate::y::handle::B::go"
    assert calls[("src/x/plain.rs", 4, "self.shared.go")] == "crate::x::handle::A::go"
    assert calls[("src/x/outside.rs", 4, "self.shared.go")] == "unresolved:go"


RUST_INDEXED_FIELDS = """\
pub struct Level;
impl Level {
    pub fn add_entry(&self) {}
}
pub struct Page;
impl Page {
    pub fn refresh(&self) {}
}
pub struct Other;
impl Other {
    pub fn add_entry(&self) {}
    pub fn refresh(&self) {}
    pub fn remove(&self) {}
}
pub struct Wheel {
    levels: Vec<Level>,
    cached: [Page; 4],
    names: Vec<String>,
}
impl Wheel {
    fn go(&mut self, level: usize) {
        self.levels[level].add_entry();
        self.cached[level + 1].refresh();
        self.names[0].remove(0);
        self.levels[level]
            .add_entry();
    }
}
pub struct Handle {
    shared: Level,
}
pub trait Schedule {
    fn schedule(&self);
}
impl Schedule for Arc<Handle> {
    fn schedule(&self) {
        self.shared.add_entry();
    }
}
"""


def test_rust_elements_of_own_fields_are_typed(tmp_path: Path) -> None:
    """Rust: an element of a field of `self` (`self.levels[level]`, `levels: Vec<Level>`;
    `cached: [Page; 4]`) is of the container's element type: its method, not another type's
    of that name; an element of an outside type (`String` of `names: Vec<String>`) leaves its
    member unresolved, no guess of the repository's one `remove`; a chain written over lines
    too (`self.levels[level]\n.add_entry()`); in an impl for `Arc<Handle>`, `self.shared` is
    Handle's field."""
    repo = write_repo(
        tmp_path / "repo", {"src/lib.rs": "use std::sync::Arc;\n" + RUST_INDEXED_FIELDS}
    )
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(23, "self.levels[level].add_entry")] == "crate::Level::add_entry"
    assert resolved[(24, "self.cached[level + 1].refresh")] == "crate::Page::refresh"
    assert resolved[(25, "self.names[0].remove")] == "unresolved:remove"
    assert resolved[(26, "self.levels[level] .add_entry")] == "crate::Level::add_entry"
    # `self` of an impl for `Arc<Handle>` derefs to Handle's fields
    assert resolved[(38, "self.shared.add_entry")] == "crate::Level::add_entry"


RUST_BOUNDED_PARAMETERS = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod link;\npub mod other;\npub mod list;\n",
    "src/link.rs": """\
pub trait Link {
    fn pointers(target: u32) -> u32;
    fn as_raw(&self) -> u32;
}
pub trait Base {
    fn finish(&self);
}
pub trait Derived: Base {}
""",
    "src/other.rs": """\
pub trait Other {
    fn pointers(target: u32) -> u32;
    fn as_raw(&self) -> u32;
    fn finish(&self);
}
""",
    "src/list.rs": """\
use crate::link::{Derived, Link};
use crate::other::Other;

pub struct List<L: Link> {
    head: L,
}
impl<L: Link> List<L> {
    fn push(&self, v: L, w: &mut L, boxed: Box<L>) {
        L::pointers(1);
        v.as_raw();
        w.as_raw();
        boxed.as_raw();
        self.head.as_raw();
    }
}
fn walk<T, D>(t: T, d: &D)
where
    T: Other + Send + 'static,
    D: Derived,
{
    T::pointers(2);
    t.as_raw();
    d.finish();
}
fn both<T: Link + Other>(t: T) {
    t.as_raw();
    T::pointers(3);
}
fn rebound<T: Link>(t: T) {
    {
        let t = 0u32;
    }
    t.as_raw();
}
""",
}


def test_rust_values_of_a_bounded_type_parameter_have_its_traits_methods(tmp_path: Path) -> None:
    """Rust: a value of a type parameter bounded by one trait (`v: L`, `&mut L`, `Box<L>`, a
    struct's field `head: L`, with `L: Link` in the generics or `T: Other` in a `where`
    clause, marker bounds left out) and a path call on the parameter (`L::pointers()`) are
    that trait's methods, the trait's supertraits' too (`D: Derived`, `Derived: Base`), as
    rustc names them in generic code, never the same-named method of another trait, also after
    a block whose `let` of the name has ended (`{ let t = 0u32; } t.as_raw()`); a parameter of
    two traits (`T: Link + Other`) is not typed."""
    repo = write_repo(tmp_path / "repo", RUST_BOUNDED_PARAMETERS)
    tables = run_dataflow(repo, languages=["rust"])
    calls = {
        (line, callee): target
        for path, line, callee, target in _edges_by_path(tables)
        if path == "src/list.rs"
    }
    assert calls == {
        (9, "L::pointers"): "crate::link::Link::pointers",
        (10, "v.as_raw"): "crate::link::Link::as_raw",
        (11, "w.as_raw"): "crate::link::Link::as_raw",
        (12, "boxed.as_raw"): "crate::link::Link::as_raw",
        (13, "self.head.as_raw"): "crate::link::Link::as_raw",
        (21, "T::pointers"): "crate::other::Other::pointers",
        (22, "t.as_raw"): "crate::other::Other::as_raw",
        (23, "d.finish"): "crate::link::Base::finish",
        (26, "t.as_raw"): "unresolved:as_raw",
        (27, "T::pointers"): "unresolved:pointers",
        (33, "t.as_raw"): "crate::link::Link::as_raw",
    }


RUST_BOUNDS_WHERE_THEY_HOLD = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod traits;\npub mod conc;\npub mod wrap;\npub mod usew;\n",
    "src/traits.rs": """\
pub trait A {
    fn shared(&self);
    fn step(&self);
}
pub trait B {
    fn step(self);
    fn b_only(&self);
}
pub trait C {
    fn c_only(&self);
}
""",
    "src/conc.rs": """\
pub struct Concrete;
impl Concrete {
    pub fn shared(&self) {}
    pub fn own(&self) {}
}
pub struct Other;
impl Other {
    pub fn own(&self) {}
}
impl crate::traits::A for Concrete {
    fn shared(&self) {}
    fn step(&self) {}
}
""",
    "src/wrap.rs": """\
use crate::conc::Concrete;
use crate::traits::{A, B, C};

pub struct W<T: A> {
    pub inner: T,
}
impl W<Concrete> {
    fn special(&self) {
        self.inner.shared();
    }
}
impl<T: A> W<T> {
    fn general(&self) {
        self.inner.shared();
    }
}
pub fn by_param(w: W<Concrete>) {
    w.inner.shared();
}
pub struct S<T>(pub T);
impl<T: A> S<T> {
    fn m(&self, t: T)
    where
        T: B,
    {
        t.step();
    }
}
pub fn split<T: A + B>(t: T)
where
    T: C,
{
    t.b_only();
}
pub fn deref<T: std::ops::Deref<Target = Concrete>>(t: T) {
    t.own();
}
""",
    "src/usew.rs": """\
use crate::conc::Concrete;
use crate::wrap::W;
pub fn other_file(w: W<Concrete>) {
    w.inner.shared();
}
""",
}


def test_rust_trait_bounds_type_values_only_where_they_hold(tmp_path: Path) -> None:
    """Rust: a struct's field of a bounded type parameter (`inner: T`, `struct W<T: A>`) is the
    bound's only in a generic impl (`impl<T: A> W<T>`); in `impl W<Concrete>` and for a
    `w: W<Concrete>`, in its file or another (the symbols' `fields`), it is Concrete, whose
    inherent `shared` rustc calls: not A::shared (left to rule 5, which finds three). A
    method's `where T: B` adds to its impl's `T: A` (two traits: B::step by value to rustc,
    not A::step), and `T: A + B` with `where T: C` is three traits, not C alone; a `T:
    Deref<Target = Concrete>` is Concrete."""
    repo = write_repo(tmp_path / "repo", RUST_BOUNDS_WHERE_THEY_HOLD)
    tables = run_dataflow(repo, languages=["rust"])
    calls = {
        (path, line, callee): target
        for path, line, callee, target in _edges_by_path(tables)
        if path in ("src/wrap.rs", "src/usew.rs")
    }
    assert calls == {
        ("src/wrap.rs", 9, "self.inner.shared"): "unresolved:shared",
        ("src/wrap.rs", 14, "self.inner.shared"): "crate::traits::A::shared",
        ("src/wrap.rs", 18, "w.inner.shared"): "unresolved:shared",
        ("src/wrap.rs", 26, "t.step"): "unresolved:step",
        ("src/wrap.rs", 33, "t.b_only"): "crate::traits::B::b_only",  # rule 5: the one b_only
        ("src/wrap.rs", 36, "t.own"): "crate::conc::Concrete::own",  # Deref's Target
        ("src/usew.rs", 4, "w.inner.shared"): "unresolved:shared",
    }


RUST_PINNED_PLACES = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": """\
use std::pin::Pin;
pub trait AsyncWrite {
    fn poll_write(self: Pin<&mut Self>);
}
pub struct Stdio;
impl AsyncWrite for Stdio {
    fn poll_write(self: Pin<&mut Self>) {}
}
pub struct Other;
impl AsyncWrite for Other {
    fn poll_write(self: Pin<&mut Self>) {}
}
#[pin_project::pin_project] pub struct Child {
    inner: Stdio,
}
impl Child {
    fn write(&mut self, rx: &mut Other, cell: std::cell::RefCell<Stdio>) {
        Pin::new(&mut self.inner).poll_write();
        std::pin::Pin::new(rx).poll_write();
        Pin::new(&mut *cell.borrow_mut()).poll_write();
        Pin::new(&mut *self.missing).poll_write();
    }
    fn poll_write(self: Pin<&mut Self>) {}
    fn projected(self: Pin<&mut Self>) {
        self.project().inner.poll_write();
        self.as_mut().project().missing.poll_write();
    }
}
impl Stdio {
    fn flush(mut self: Pin<&mut Self>, other: Pin<&mut Other>) {
        self.as_mut().poll_write();
        Pin::new(&mut *self).poll_write();
        other.as_mut().poll_write();
    }
}
#[pin_project::pin_project] pub struct Wrap<W> {
    inner: W,
}
impl<W: AsyncWrite> Wrap<W> {
    fn flush(self: Pin<&mut Self>) {
        self.project().inner.poll_write();
    }
}
""",
}


def test_rust_a_method_of_a_pinned_place_is_the_places(tmp_path: Path) -> None:
    """Rust: `Pin::new(&mut self.inner).poll_write()` calls the method of what the place holds
    (Pin derefs to it; references and dereferences of the place left out): Stdio's, not
    Other's of the same name (nor Child's), and `Pin::new(rx)` with `rx: &mut Other` Other's;
    `self.as_mut()` (Pin's reborrow) and `Pin::new(&mut *self)` are the own type's (Stdio's, not
    Child's); pin-project's `self.project().inner` (`#[pin_project]`) is the field `self.inner` (of a type
    parameter: its bound in the impl, `W: AsyncWrite`); a place that is
    no name or field chain, or one of no known type, leaves the receiver as it was (Pin::new's
    value, from outside: unresolved, no guess)."""
    repo = write_repo(tmp_path / "repo", RUST_PINNED_PLACES)
    tables = run_dataflow(repo, languages=["rust"])
    calls = {
        (line, callee): target
        for _, line, callee, target in _edges_by_path(tables)
        if callee.endswith("poll_write")
    }
    assert calls == {
        (18, "Pin::new(&mut self.inner).poll_write"): "crate::Stdio::poll_write",
        (19, "std::pin::Pin::new(rx).poll_write"): "crate::Other::poll_write",
        (20, "Pin::new(&mut *cell.borrow_mut()).poll_write"): "unresolved:poll_write",
        (21, "Pin::new(&mut *self.missing).poll_write"): "unresolved:poll_write",
        (25, "self.project().inner.poll_write"): "crate::Stdio::poll_write",
        (26, "self.as_mut().project().missing.poll_write"): "unresolved:poll_write",
        (31, "self.as_mut().poll_write"): "crate::Stdio::poll_write",
        (32, "Pin::new(&mut *self).poll_write"): "crate::Stdio::poll_write",
        (33, "other.as_mut().poll_write"): "crate::Other::poll_write",
        (41, "self.project().inner.poll_write"): "crate::AsyncWrite::poll_write",
    }


RUST_PIN_WRAPPERS = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod pinned;\npub mod handle;\npub mod wrap;\npub mod engine;\npub mod user;\n",
    "src/pinned.rs": """\
use std::pin::Pin;
pub struct Inner;
impl Inner {
    pub fn get_mut(&mut self) -> u8 { 0 }
    pub fn set(&mut self, _v: u8) {}
    pub fn touch(&mut self) {}
    pub fn step(mut self: Pin<&mut Self>) {
        self.as_mut().set(1);
        self.as_mut().touch();
    }
}
pub struct Outer { pub inner: Inner, pub fut: Pin<Box<Inner>> }
impl Outer {
    pub fn go(&mut self) {
        Pin::new(&mut self.inner).get_mut();
        Pin::new(&mut self.inner).touch();
        self.fut.as_mut().get_mut();
        self.fut.as_mut().touch();
    }
}
""",
    "src/handle.rs": """\
pub struct Conn;
impl Conn { pub fn send(&self) {} }
pub struct Handle { pub conn: Conn }
impl Handle {
    pub fn as_mut(&mut self) -> &mut Conn { &mut self.conn }
    pub fn send(&self) {}
    pub fn own(&mut self) { self.as_mut().send(); }
}
pub fn use_it(mut h: Handle) { h.as_mut().send(); }
""",
    "src/wrap.rs": """\
use crate::handle::Conn;
pub struct Wrap { pub conn: Conn }
impl AsMut<Conn> for Wrap { fn as_mut(&mut self) -> &mut Conn { &mut self.conn } }
impl Wrap {
    pub fn send(&self) {}
    pub fn w(&mut self) { self.as_mut().send(); }
}
""",
    "src/user.rs": """\
use crate::handle::Handle;
pub fn elsewhere(mut h: Handle) {
    h.as_mut().send();
}
""",
    "src/engine.rs": """\
pub struct Gear;
impl Gear { pub fn fire(&self) {} }
pub struct Spark;
impl Spark { pub fn fire(&self) {} }
pub struct Projected { pub inner: Spark }
pub struct Engine { pub inner: Gear }
impl Engine {
    pub fn project(&mut self) -> Projected { Projected { inner: Spark } }
    pub fn run(&mut self) { self.project().inner.fire(); }
}
""",
}


def _pin_wrapper_calls(tmp_path: Path) -> dict[tuple[str, int, str], str]:
    """RUST_PIN_WRAPPERS' method calls (by path, line, callee) and what they call."""
    repo = write_repo(tmp_path / "repo", RUST_PIN_WRAPPERS)
    tables = run_dataflow(repo, languages=["rust"])
    return {
        (path, line, callee): target
        for path, line, callee, target in _edges_by_path(tables)
        if callee.rpartition(".")[2] in {"set", "touch", "get_mut", "send", "fire"}
    }


def test_rust_pins_own_methods_are_no_methods_of_the_pinned_place(tmp_path: Path) -> None:
    """Rust: `Pin::new(&mut self.inner).get_mut()`, `self.as_mut().set(..)`,
    `self.fut.as_mut().get_mut()` call Pin's own methods (rustc looks at `Pin<&mut T>` before
    T), not Inner's of the same name: no repository edge; other methods stay the place's."""
    calls = _pin_wrapper_calls(tmp_path)
    assert {key[1:]: target for key, target in calls.items() if key[0] == "src/pinned.rs"} == {
        (8, "self.as_mut().set"): "unresolved:set",
        (9, "self.as_mut().touch"): "crate::pinned::Inner::touch",
        (15, "Pin::new(&mut self.inner).get_mut"): "unresolved:get_mut",
        (16, "Pin::new(&mut self.inner).touch"): "crate::pinned::Inner::touch",
        (17, "self.fut.as_mut().get_mut"): "unresolved:get_mut",
        (18, "self.fut.as_mut().touch"): "crate::pinned::Inner::touch",
    }


def test_rust_a_repositorys_own_as_mut_is_no_pin_reborrow(tmp_path: Path) -> None:
    """Rust: with `Handle::as_mut(&mut self) -> &mut Conn` (or `impl AsMut<Conn> for Wrap`) in
    the repository, `self.as_mut().send()` is Conn's (the method's value), not Handle's or
    Wrap's, in the file that defines it or another."""
    calls = _pin_wrapper_calls(tmp_path)
    assert calls[("src/handle.rs", 7, "self.as_mut().send")] == "crate::handle::Conn::send"
    assert calls[("src/handle.rs", 9, "h.as_mut().send")] == "crate::handle::Conn::send"
    assert calls[("src/wrap.rs", 6, "self.as_mut().send")] == "crate::handle::Conn::send"
    # a file with no `as_mut` of its own: Handle's is the repository's (another file's)
    assert calls[("src/user.rs", 3, "h.as_mut().send")] == "crate::handle::Conn::send"


def test_rust_a_structs_own_project_is_no_pin_projection(tmp_path: Path) -> None:
    """Rust: `self.project().inner.fire()` with the struct's own `fn project` (no pin-project
    in the file) is no field `self.inner` (Gear's): Projected's `inner` is a Spark, the call
    left as a chained value's (unresolved, no guess)."""
    calls = _pin_wrapper_calls(tmp_path)
    assert calls[("src/engine.rs", 9, "self.project().inner.fire")] == "unresolved:fire"


RUST_TYPE_ALIASES = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod list;\npub mod entry;\npub mod wheel;\npub mod other;\n",
    "src/list.rs": """\
pub struct LinkedList<T> {
    head: Option<T>,
}
impl<T> LinkedList<T> {
    pub fn push_front(&mut self, value: T) {}
}
""",
    "src/other.rs": """\
pub struct Queue;
impl Queue {
    pub fn push_front(&mut self, value: u8) {}
}
""",
    "src/entry.rs": """\
pub(crate) type EntryList = crate::list::LinkedList<u8>;
pub(crate) type Pending = EntryList;
pub(crate) type Maybe = Option<crate::list::LinkedList<u8>>;
""",
    "src/wheel.rs": """\
use crate::entry::{EntryList, Maybe, Pending};

pub trait Storage {
    type Store;
}
pub struct Wheel {
    pending: EntryList,
    later: Pending,
    maybe: Maybe,
}
impl Storage for Wheel {
    type Store = crate::list::LinkedList<u8>;
}
impl Wheel {
    fn run(&mut self, store: &mut <Self as Storage>::Store, own: &mut Self::Store) {
        self.pending.push_front(1);
        self.later.push_front(2);
        self.maybe.push_front(3);
        own.push_front(4);
    }
}
""",
}


def test_rust_receivers_of_a_type_alias_are_of_the_aliased_type(tmp_path: Path) -> None:
    """Rust: a receiver declared with a type alias (`pending: EntryList`, `type EntryList =
    crate::list::LinkedList<u8>` in another file; an alias of that alias; an associated type
    of the impl, `Self::Store`) is a value of the type the alias stands for: LinkedList's
    `push_front`, not Queue's of the same name; an alias of an `Option` is no LinkedList."""
    repo = write_repo(tmp_path / "repo", RUST_TYPE_ALIASES)
    tables = run_dataflow(repo, languages=["rust"])
    calls = {
        (line, callee): target
        for path, line, callee, target in _edges_by_path(tables)
        if path == "src/wheel.rs"
    }
    assert calls == {
        (16, "self.pending.push_front"): "crate::list::LinkedList::push_front",
        (17, "self.later.push_front"): "crate::list::LinkedList::push_front",
        (18, "self.maybe.push_front"): "unresolved:push_front",
        (19, "own.push_front"): "crate::list::LinkedList::push_front",
    }


RUST_MODULE_AND_FUNCTION = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod future;\npub mod user;\npub mod other;\n",
    "src/future/mod.rs": "mod poll_fn;\npub use poll_fn::poll_fn;\n",
    "src/future/poll_fn.rs": "pub struct PollFn;\npub fn poll_fn() {}\n",
    "src/other.rs": "pub fn poll_fn() {}\n",
    "src/user.rs": """\
use crate::future::poll_fn;

fn run() {
    poll_fn();
}
""",
}


def test_rust_a_call_of_a_modules_name_is_the_function_its_parent_re_exports(
    tmp_path: Path,
) -> None:
    """Rust: `mod poll_fn; pub use poll_fn::poll_fn;` in `future`: `use crate::future::poll_fn`
    imports both the module and the function (two namespaces); a call `poll_fn()` is the
    function (not other.rs's of the same name), while the `use` stays the module's."""
    repo = write_repo(tmp_path / "repo", RUST_MODULE_AND_FUNCTION)
    tables = run_dataflow(repo, languages=["rust"])
    calls = {
        (line, callee): target
        for path, line, callee, target in _edges_by_path(tables)
        if path == "src/user.rs"
    }
    assert calls[(4, "poll_fn")] == "crate::future::poll_fn::poll_fn"
    imports = {src: dst for src, dst, _ in described_edges(tables, "IMPORTS")}
    assert imports["IMPORT:crate::future::poll_fn"] == "NAMESPACE:crate::future::poll_fn"


RUST_PATHS_THROUGH_REEXPORTS = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod io;\npub mod user;\npub mod other;\n",
    "src/io/mod.rs": "mod tr;\npub use self::tr::{spawn, Tr};\n",
    "src/io/tr.rs": """\
pub trait Tr {
    fn f(&self);
}
pub fn spawn() {}
""",
    "src/other.rs": """\
pub trait Other {
    fn f(&self);
}
pub fn spawn() {}
""",
    "src/user.rs": """\
fn g(s: &u8) {
    crate::io::Tr::f(s);
    crate::io::spawn();
    super::io::spawn();
}
""",
}


def test_rust_paths_from_the_crate_root_follow_re_exports(tmp_path: Path) -> None:
    """Rust: a path from the crate root (or a module) through a `pub use` (`crate::io::Tr::f`,
    `crate::io::spawn` with `pub use self::tr::{spawn, Tr}` in `io`) names what the re-export
    leads to, a trait's method too, never other.rs's of the same names."""
    repo = write_repo(tmp_path / "repo", RUST_PATHS_THROUGH_REEXPORTS)
    tables = run_dataflow(repo, languages=["rust"])
    calls = {
        (line, callee): target
        for path, line, callee, target in _edges_by_path(tables)
        if path == "src/user.rs"
    }
    assert calls == {
        (2, "crate::io::Tr::f"): "crate::io::tr::Tr::f",
        (3, "crate::io::spawn"): "crate::io::tr::spawn",
        (4, "super::io::spawn"): "crate::io::tr::spawn",
    }


RUST_TURBOFISH_PATHS = """\
pub struct Slab<T>(T);
impl<T> Slab<T> {
    pub fn new() {}
}
pub struct Harness<T, S>(T, S);
impl<T, S> Harness<T, S> {
    pub fn new() {}
}
fn run() {
    Slab::<u8>::new();
    Harness::<u8, Vec<u8>>::new();
}
"""


def test_rust_a_turbofish_is_no_segment_of_a_path(tmp_path: Path) -> None:
    """Rust: `Slab::<u8>::new()` is Slab's `new` (the turbofish, one level nested too, is no
    segment of the path), not Harness's of the same name, and the other way round."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_TURBOFISH_PATHS})
    tables = run_dataflow(repo, languages=["rust"])
    resolved = _resolved_by_line(tables)
    assert resolved[(10, "Slab::<u8>::new")] == "crate::Slab::new"
    assert resolved[(11, "Harness::<u8, Vec<u8>>::new")] == "crate::Harness::new"


BLANKET_RUST = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod io;\npub mod user;\npub mod other;\npub mod outside;\npub mod glob;\n",
    "src/io.rs": """\
pub trait AsyncWrite {
    fn poll_write(&mut self);
}
pub trait AsyncWriteExt: AsyncWrite {
    fn write_all(&mut self) {}
    fn flush(&mut self) {}
}
impl<W: AsyncWrite + ?Sized> AsyncWriteExt for W {}
pub trait Source {}
pub trait Sink {}
pub trait Pump {
    fn pump(&self) {}
    fn drain(&self) {}
}
impl<T> Pump for T
where
    T: Source + Sink,
{
    fn drain(&self) {}
}
pub trait Anything {
    fn anything(&self) {}
}
impl<T> Anything for T {}
""",
    "src/user.rs": """\
use crate::io::{AsyncWrite, AsyncWriteExt, Pump, Sink, Source, Anything};

pub struct Wr;
impl AsyncWrite for Wr {
    fn poll_write(&mut self) {}
}
impl Wr {
    pub fn flush(&mut self) {}
}
pub struct Plain;
pub struct Both;
impl Source for Both {}
impl Sink for Both {}
pub struct Half;
impl Source for Half {}

fn run(x: &mut Wr, p: &mut Plain, b: &Both, h: &Half, d: &dyn AsyncWrite) {
    x.write_all();
    x.flush();
    p.write_all();
    b.pump();
    b.drain();
    h.pump();
    d.write_all();
    p.anything();
}
""",
    "src/other.rs": """\
use crate::user::Wr;

fn unimported(x: &mut Wr) {
    x.write_all();
}
""",
    "src/outside.rs": """\
use crate::user::Wr;
use futures::io::AsyncWriteExt;

fn same_name_from_outside(x: &mut Wr) {
    x.write_all();
}
""",
    "src/glob.rs": """\
use crate::io::*;
use crate::user::Wr;

fn globbed(x: &mut Wr) {
    x.write_all();
}
""",
}


def test_rust_blanket_impls_give_extension_trait_methods(tmp_path: Path) -> None:
    """`impl<W: AsyncWrite + ?Sized> AsyncWriteExt for W {}`: a type implementing AsyncWrite
    (also a trait object of it) has AsyncWriteExt's default methods; an inherent method of the
    same name wins; a `where T: A + B` blanket needs both bounds (a blanket impl's own method
    overrides the trait's default); a type implementing no bound has none; an unbounded
    `impl<T> Anything for T` gives its methods to every type; a trait not in scope at the call
    (not imported, or a same-named trait imported from outside) gives nothing (rustc would not
    call it), a glob import may bring it. The bound rows are no INHERITS_FROM edges."""
    repo = write_repo(tmp_path / "repo", BLANKET_RUST)
    tables = run_dataflow(repo, languages=["rust"])
    edges = {
        (line, callee): target
        for path, line, callee, target in _edges_by_path(tables)
        if path == "src/user.rs"
    }
    assert edges == {
        (18, "x.write_all"): "crate::io::AsyncWriteExt::write_all",
        (19, "x.flush"): "crate::user::Wr::flush",  # the inherent method wins
        (20, "p.write_all"): "unresolved:write_all",  # Plain implements no AsyncWrite
        (21, "b.pump"): "crate::io::Pump::pump",
        (22, "b.drain"): "crate::io::T::drain",  # the blanket impl's own method
        (23, "h.pump"): "unresolved:pump",  # Half is a Source only
        (24, "d.write_all"): "crate::io::AsyncWriteExt::write_all",
        (25, "p.anything"): "crate::io::Anything::anything",
    }
    elsewhere = {
        (path, line, callee): target
        for path, line, callee, target in _edges_by_path(tables)
        if not path.endswith(("user.rs", "io.rs"))
    }
    assert elsewhere == {
        ("src/other.rs", 4, "x.write_all"): "unresolved:write_all",  # AsyncWriteExt not imported
        ("src/outside.rs", 5, "x.write_all"): "unresolved:write_all",  # futures' trait
        ("src/glob.rs", 5, "x.write_all"): "crate::io::AsyncWriteExt::write_all",
    }
    nodes = tables["cpg_nodes"]
    names = dict(zip(nodes["id"].to_list(), nodes["qualified_name"].to_list(), strict=True))
    inherits = sorted(
        (names[src], names.get(dst, dst))
        for src, dst in tables["cpg_edges"]
        .filter(pl.col("label") == "INHERITS_FROM")
        .select("src", "dst")
        .iter_rows()
    )
    assert inherits == [
        ("crate::io::AsyncWriteExt", "crate::io::AsyncWrite"),
        ("crate::io::T", "crate::io::Anything"),
        ("crate::io::T", "crate::io::Pump"),
        ("crate::io::W", "crate::io::AsyncWriteExt"),
        ("crate::user::Both", "crate::io::Sink"),
        ("crate::user::Both", "crate::io::Source"),
        ("crate::user::Half", "crate::io::Source"),
        ("crate::user::Wr", "crate::io::AsyncWrite"),
    ]


DECLARED_GO = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "server/server.go": """\
package server

import (
	"io"

	"example.com/m/conn"
)

type Server struct {
	conn *conn.Conn
	*Base
}

func (s *Server) Serve(r io.Reader) {
	s.handle()
	s.conn.Close()
	s.Reset()
	r.Read()
	s.Missing()
	local := &conn.Conn{}
	local.Close()
}
""",
    "server/handle.go": """\
package server

func (s *Server) handle() {}

type Base struct{}

func (b *Base) Reset() {}
""",
    "conn/conn.go": """\
package conn

type Conn struct{}

func (c *Conn) Close() {}

type Other struct{}

func (o *Other) handle() {}
func (o *Other) Read() {}
func (o *Other) Missing() {}
""",
}


def test_go_member_calls_resolve_through_the_declared_type(tmp_path: Path) -> None:
    """Go: the method receiver is its type (``s.handle`` is Server's, not rule 5's choice
    between two), one field hop (``s.conn.Close``), an embedded struct's promoted method, a
    package-qualified composite literal; a method the type lacks, or a type from outside the
    module (io.Reader), is unresolved, not rule 5's Other.Missing / Other.Read."""
    repo = write_repo(tmp_path / "repo", DECLARED_GO)
    tables = run_dataflow(repo, languages=["go"])
    assert [row for row in _targets_by_line(tables) if "." in row[1]] == [
        (15, "s.handle", "server.Server.handle", 3),
        (16, "s.conn.Close", "conn.Conn.Close", 5),
        (17, "s.Reset", "server.Base.Reset", 7),  # promoted from the embedded Base
        (18, "r.Read", "unresolved:Read", None),
        (19, "s.Missing", "unresolved:Missing", None),
        (21, "local.Close", "conn.Conn.Close", 5),
    ]


DECLARED_JAVA = {
    "src/main/java/app/Conn.java": """\
package app;

public class Conn {
    public void close() {}
    public void send(int a) {}
    public void send(String s) {}
}
""",
    "src/main/java/app/Other.java": """\
package app;

public class Other {
    public void close() {}
    public void only() {}
    public void size() {}
}
""",
    "src/main/java/app/Server.java": """\
package app;

import java.util.List;

public class Server {
    private Conn conn;

    void serve(Conn c, List<Conn> all) {
        c.close();
        conn.close();
        this.conn.close();
        c.send(1);
        c.only();
        all.size();
        var made = new Conn();
        made.close();
    }
}
""",
}


def test_java_member_calls_resolve_through_the_declared_type(tmp_path: Path) -> None:
    """Java: a parameter, a field through the implicit ``this`` and ``this.conn``, ``var`` of
    ``new``; overloads stay unresolved; a method the type lacks is unresolved (not rule 5's
    Other.only), and so is ``List<Conn>``'s ``size`` (java.util.List is from outside)."""
    repo = write_repo(tmp_path / "repo", DECLARED_JAVA)
    tables = run_dataflow(repo, languages=["java"])
    assert [row for row in _targets_by_line(tables) if "." in row[1]] == [
        (9, "c.close", "app.Conn.close", 4),
        (10, "conn.close", "app.Conn.close", 4),
        (11, "this.conn.close", "app.Conn.close", 4),
        (12, "c.send", "app.Conn.send", 5),  # overloads: send(int) by the argument's type
        (13, "c.only", "unresolved:only", None),
        (14, "all.size", "unresolved:size", None),
        (16, "made.close", "app.Conn.close", 4),
    ]


SHADOWED_PY = """\
class Foo:
    def run(self):
        pass


class Bar:
    def run(self):
        pass


def use(x: Foo, bars: list[Bar]):
    each = [x.run() for x in bars]
    x.run()
    return each
"""

SHADOWED_TS = """\
export class Foo {
  run(): void {}
}
export class Bar {
  run(): void {}
}
const item: Foo = new Foo();
export function use(flag: boolean) {
  if (flag) {
    const item = new Bar();
    item.run();
  }
  item.run();
}
"""


def test_declared_types_seen_where_the_call_is(tmp_path: Path) -> None:
    """A name shadowed where the call is (a Python comprehension's variable, a TypeScript
    block's const) is not the declaration the call sees: no edge to the outer declaration's
    type (Jedi and tsc agree)."""
    repo = write_repo(tmp_path / "repo", {"use.py": SHADOWED_PY, "use.ts": SHADOWED_TS})
    tables = run_dataflow(repo, languages=["python", "typescript"])
    runs = [row for row in _targets_by_line(tables) if row[1].endswith(".run")]
    assert runs == [
        (11, "item.run", "use.Bar.run", 5),  # the block's Bar
        (12, "x.run", "use.Bar.run", 7),  # the comprehension's x, a Bar: not the parameter
        (13, "item.run", "use.Foo.run", 2),  # the module's Foo
        (13, "x.run", "use.Foo.run", 2),
    ]


RUST_CRATES = {
    "tokio-1.24.2/Cargo.toml": '[package]\nname = "tokio"\n\n[dependencies]\nbytes = "1"\n',
    "tokio-1.24.2/src/lib.rs": "pub mod sync;\npub fn spawn() {}\n",
    "tokio-1.24.2/src/sync.rs": "pub fn channel() {}\n",
    # a test of the package: a crate of its own that names the package `tokio`
    "tokio-1.24.2/tests/chan.rs": "use tokio::sync;\nfn t() { sync::channel(); tokio::spawn(); }\n",
    "tokio-util-0.7.3/Cargo.toml": (
        '[package]\nname = "tokio-util"\n\n[dependencies]\ntokio = "1"\nbytes = "1"\n'
    ),
    "tokio-util-0.7.3/src/lib.rs": (
        "use tokio::sync::channel;\nuse bytes::Buf;\n"
        "fn f(b: bytes::BytesMut) {\n"
        "    channel();\n    tokio::spawn();\n    ::tokio::sync::channel();\n"
        "    bytes::copy_in();\n    Buf::copy_in();\n    b.copy_in();\n}\n"
        "struct Mine;\nimpl Mine { fn copy_in(&self) {} }\n"
    ),
}


def test_rust_a_trait_method_of_two_cfg_variants_is_ambiguous_to_the_base_walk(
    tmp_path: Path,
) -> None:
    """`#[cfg(unix)] fn go` and `#[cfg(not(unix))] fn go` in one trait are two definitions of
    one name for one type (``OVERLOADING_LANGUAGES``): the walk from an implementing type
    finds no one method `go` (unresolved, never the last variant), `stay` it finds."""
    repo = write_repo(
        tmp_path / "repo",
        {
            "src/lib.rs": "pub trait Ext {\n    #[cfg(unix)]\n    fn go(&self) {}\n"
            "    #[cfg(not(unix))]\n    fn go(&self) {}\n    fn stay(&self) {}\n}\n\n"
            "pub struct S;\n\nimpl Ext for S {}\n\n"
            "pub fn run(s: S) {\n    s.go();\n    s.stay();\n}\n",
        },
    )
    tables = run_dataflow(repo, languages=["rust"])
    assert _rust_calls(tables) == {
        ("src/lib.rs", 14, "s.go"): "unresolved:go",
        ("src/lib.rs", 15, "s.stay"): "crate::Ext::stay",
    }


def _rust_calls(tables: dict[str, pl.DataFrame]) -> dict[tuple[str, int, str], str]:
    """(path, line, callee) -> target qualified name or ``unresolved:<name>``."""
    return {(path, line, callee): target for path, line, callee, target in _edges_by_path(tables)}


def test_rust_paths_name_crates_by_their_cargo_toml_name(tmp_path: Path) -> None:
    """`tokio` is the crate of the folder `tokio-1.24.2` (module root `tokio_1.24.2`) for the
    packages that depend on it and for the package's own tests; `bytes`, a dependency that is
    no crate of the repository, is from outside: its paths stay unresolved, never a rule-5
    guess (`copy_in` is the one method of that name), while `b.copy_in()` on a
    `bytes::BytesMut` is no Mine either."""
    repo = write_repo(tmp_path / "repo", RUST_CRATES)
    tables = run_dataflow(repo, languages=["rust"])
    assert _rust_calls(tables) == {
        ("tokio-1.24.2/tests/chan.rs", 2, "sync::channel"): "tokio_1.24.2::sync::channel",
        ("tokio-1.24.2/tests/chan.rs", 2, "tokio::spawn"): "tokio_1.24.2::spawn",
        ("tokio-util-0.7.3/src/lib.rs", 4, "channel"): "tokio_1.24.2::sync::channel",
        ("tokio-util-0.7.3/src/lib.rs", 5, "tokio::spawn"): "tokio_1.24.2::spawn",
        ("tokio-util-0.7.3/src/lib.rs", 6, "::tokio::sync::channel"): "tokio_1.24.2::sync::channel",
        ("tokio-util-0.7.3/src/lib.rs", 7, "bytes::copy_in"): "unresolved:copy_in",
        ("tokio-util-0.7.3/src/lib.rs", 8, "Buf::copy_in"): "unresolved:copy_in",
        ("tokio-util-0.7.3/src/lib.rs", 9, "b.copy_in"): "unresolved:copy_in",
    }
    imports = tables["cpg_nodes"].filter(pl.col("label") == "IMPORT")
    assert sorted(imports["qualified_name"].to_list()) == [
        "bytes::Buf",
        "tokio_1.24.2::sync",
        "tokio_1.24.2::sync::channel",
    ]


def test_without_cargo_toml_rust_crates_are_their_folders(tmp_path: Path) -> None:
    """No Cargo.toml: `tokio` names no crate (the folder's crate is `tokio_1.24.2`), so the
    imports of it name nothing; the paths are left to rule 5's unique short names (right for
    `spawn` and `channel`, wrong for `bytes::copy_in` and `b.copy_in`), as before."""
    files = {path: text for path, text in RUST_CRATES.items() if not path.endswith("Cargo.toml")}
    tables = run_dataflow(write_repo(tmp_path / "repo", files), languages=["rust"])
    assert _rust_calls(tables) == {
        ("tokio-1.24.2/tests/chan.rs", 2, "sync::channel"): "unresolved:channel",
        ("tokio-1.24.2/tests/chan.rs", 2, "tokio::spawn"): "tokio_1.24.2::spawn",
        ("tokio-util-0.7.3/src/lib.rs", 4, "channel"): "unresolved:channel",
        ("tokio-util-0.7.3/src/lib.rs", 5, "tokio::spawn"): "tokio_1.24.2::spawn",
        ("tokio-util-0.7.3/src/lib.rs", 6, "::tokio::sync::channel"): "tokio_1.24.2::sync::channel",
        ("tokio-util-0.7.3/src/lib.rs", 7, "bytes::copy_in"): "tokio_util_0.7.3::Mine::copy_in",
        ("tokio-util-0.7.3/src/lib.rs", 8, "Buf::copy_in"): "unresolved:copy_in",
        ("tokio-util-0.7.3/src/lib.rs", 9, "b.copy_in"): "tokio_util_0.7.3::Mine::copy_in",
    }


RUST_RELATIVE_PATHS = {
    "tokio-1.24.2/Cargo.toml": '[package]\nname = "tokio"\n',
    "tokio-1.24.2/src/lib.rs": "pub mod runtime;\npub mod sync;\npub fn spawn() {}\n",
    "tokio-1.24.2/src/runtime/mod.rs": "pub mod coop;\npub fn enter() {}\n",
    "tokio-1.24.2/src/runtime/coop.rs": (
        "pub fn poll_proceed() {}\n"
        "pub mod budget {\n    pub fn has_remaining() {}\n}\n"
        "fn f() {\n    super::enter();\n    self::budget::has_remaining();\n}\n"
    ),
    "tokio-1.24.2/src/sync.rs": (
        "pub mod error {\n    pub struct RecvError;\n}\n"
        "use self::error::*;\n"
        "fn recv() {\n"
        "    crate::runtime::coop::poll_proceed();\n"  # 6
        "    crate::runtime::coop::missing();\n"  # 7
        "    crate::spawn();\n"  # 8
        "}\n"
    ),
}


def test_rust_crate_self_and_super_paths_start_from_the_module(tmp_path: Path) -> None:
    """Rust: a called path starting with `crate::` starts from the crate's module root
    (`tokio_1.24.2`, not a module named `crate`; a glob import of the file binds no keyword),
    `self::` from the file's module, `super::` from its parent; a path there naming nothing is
    unresolved."""
    repo = write_repo(tmp_path / "repo", RUST_RELATIVE_PATHS)
    tables = run_dataflow(repo, languages=["rust"])
    calls = _rust_calls(tables)
    sync, coop = "tokio-1.24.2/src/sync.rs", "tokio-1.24.2/src/runtime/coop.rs"
    assert calls[(sync, 6, "crate::runtime::coop::poll_proceed")] == (
        "tokio_1.24.2::runtime::coop::poll_proceed"
    )
    assert calls[(sync, 7, "crate::runtime::coop::missing")] == "unresolved:missing"
    assert calls[(sync, 8, "crate::spawn")] == "tokio_1.24.2::spawn"
    assert calls[(coop, 6, "super::enter")] == "tokio_1.24.2::runtime::enter"
    assert calls[(coop, 7, "self::budget::has_remaining")] == (
        "tokio_1.24.2::runtime::coop::budget::has_remaining"
    )


RUST_PATHS_IN_INLINE_MODULES = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod a;\npub fn helper() {}\n",
    "src/a.rs": (
        "pub fn helper() {}\n"
        "mod tests {\n"
        "    mod inner {\n"
        "        pub fn g() {}\n"
        "    }\n"
        "    fn t() {\n"
        "        super::helper();\n"  # 7
        "        self::inner::g();\n"  # 8
        "        crate::helper();\n"  # 9
        "    }\n"
        "}\n"
    ),
}


def test_rust_self_and_super_paths_in_a_mod_block_start_from_the_block(tmp_path: Path) -> None:
    """Rust: in a `mod tests { }` block, `super::` is the file's module (a.rs's `helper`, not
    the crate root's) and `self::` the block (its `inner`); `crate::` is the crate root
    still."""
    repo = write_repo(tmp_path / "repo", RUST_PATHS_IN_INLINE_MODULES)
    tables = run_dataflow(repo, languages=["rust"])
    calls = _rust_calls(tables)
    assert calls[("src/a.rs", 7, "super::helper")] == "crate::a::helper"
    assert calls[("src/a.rs", 8, "self::inner::g")] == "crate::a::tests::inner::g"
    assert calls[("src/a.rs", 9, "crate::helper")] == "crate::helper"


RUST_CRATE_PATHS_OF_MEMBER_CRATES = {
    "Cargo.toml": '[package]\nname = "root"\n',
    "src/lib.rs": "pub mod x;\nfn g() {\n    crate::x::f();\n}\n",
    "src/x.rs": "pub fn f() {}\n",
    "sub/Cargo.toml": '[package]\nname = "sub"\n',
    "sub/src/lib.rs": "pub mod x;\nfn g() {\n    crate::x::f();\n}\n",
    "sub/src/x.rs": "pub fn f() {}\n",
}


def test_rust_crate_paths_of_a_member_crate_start_from_its_root(tmp_path: Path) -> None:
    """Rust: `crate::x::f()` in a member crate (`sub/`) is that crate's `x::f`, never the root
    crate's (`crate::x::f` as written); in the root crate it is the root's."""
    repo = write_repo(tmp_path / "repo", RUST_CRATE_PATHS_OF_MEMBER_CRATES)
    tables = run_dataflow(repo, languages=["rust"])
    calls = _rust_calls(tables)
    assert calls[("sub/src/lib.rs", 3, "crate::x::f")] == "sub::x::f"
    assert calls[("src/lib.rs", 3, "crate::x::f")] == "crate::x::f"


RUST_NAMED_USE_SHADOWING_A_GLOB = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": "pub mod p;\npub mod a;\npub mod b;\npub mod user;\n",
    "src/p.rs": "pub use crate::b::X;\npub use crate::a::*;\n",
    "src/a.rs": (
        "pub struct X;\nimpl X {\n    pub fn make() {}\n}\n"
        "pub struct Y;\nimpl Y {\n    pub fn make() {}\n}\n"
    ),
    "src/b.rs": "pub struct X;\nimpl X {\n    pub fn make() {}\n}\n",
    "src/user.rs": "use crate::p::{X, Y};\nfn f() {\n    X::make();\n    Y::make();\n}\n",
}


def test_rust_a_named_pub_use_shadows_a_globs_name(tmp_path: Path) -> None:
    """Rust: `pub use crate::b::X` beside `pub use crate::a::*` in `p` binds X to b's (an
    explicit import shadows a glob's name; no cfg twins to leave unresolved); the glob still
    carries the names nothing else binds in `p` (`Y`)."""
    repo = write_repo(tmp_path / "repo", RUST_NAMED_USE_SHADOWING_A_GLOB)
    tables = run_dataflow(repo, languages=["rust"])
    calls = _rust_calls(tables)
    assert calls[("src/user.rs", 3, "X::make")] == "crate::b::X::make"
    assert calls[("src/user.rs", 4, "Y::make")] == "crate::a::Y::make"


REEXPORTS_RUST = {
    "Cargo.toml": '[package]\nname = "app"\n\n[dependencies]\nbytes = "1"\n',
    "src/lib.rs": "pub mod net;\npub mod sync;\nmod cyc;\nmod user;\npub use bytes::Buf;\n",
    "src/net/mod.rs": (
        "mod tcp;\n"
        "pub use self::tcp::{Stream, TcpStream};\n"  # a chain of two: tcp re-exports stream's
        "cfg_net! {\n"
        "    pub use tcp::connect;\n"  # in a macro body; a path from the module's child
        "}\n"
        "use self::tcp::Private;\n"  # a plain `use` is private to the module
        "pub(crate) use crate::sync::*;\n"
        "pub fn shadowed() {}\n"  # the module's own definition wins over the glob's
    ),
    "src/net/tcp/mod.rs": (
        "mod stream;\n"
        "pub use self::stream::{Stream, TcpStream};\n"
        "pub fn connect() {}\n"
        "pub struct Private;\n"
        "impl Private {\n    pub fn hide() {}\n}\n"
    ),
    "src/net/tcp/stream.rs": (
        "pub struct TcpStream;\n"
        "impl TcpStream {\n    pub fn open() {}\n    pub fn read(&self) {}\n}\n"
        "pub trait Stream {\n    fn poll(&self);\n}\n"
    ),
    "src/sync.rs": (
        "pub fn channel() {}\n"
        "pub fn shadowed() {}\n"
        # `super::` in a `mod m { }` block: m's parent, the file's module
        "pub mod inner {\n    pub(crate) use super::channel as chan;\n}\n"
    ),
    "src/cyc.rs": (
        "pub mod a {\n    pub use crate::cyc::b::Loop;\n}\n"
        "pub mod b {\n    pub use crate::cyc::a::Loop;\n}\n"
    ),
    "src/user.rs": (
        "use crate::net::{channel, connect, shadowed, Private, Stream, TcpStream};\n"
        "use crate::sync::inner::chan;\n"
        "use crate::cyc::a::Loop;\n"
        "use crate::Buf;\n"
        "struct Mine;\n"
        "impl Stream for Mine {\n    fn poll(&self) {}\n}\n"
        "fn f(s: &TcpStream) {\n"  # 9
        "    TcpStream::open();\n"  # 10
        "    s.read();\n"  # 11
        "    connect();\n"  # 12
        "    crate::net::connect();\n"  # 13
        "    channel();\n"  # 14
        "    shadowed();\n"  # 15
        "    chan();\n"  # 16
        "    Private::hide();\n"  # 17
        "    Loop::run();\n"  # 18
        "    Buf::copy_in();\n"  # 19
        "}\n"
        "impl Mine {\n    fn copy_in(&self) {}\n    fn run() {}\n}\n"
    ),
}


_SCRIPT_SCOPES = (
    {
        "lib/a.js": "exports.g = function () {};\n",
        "lib/b.js": "exports.g = function () {};\n",
        "lib/u.js": (
            "function g() {}\n"
            "function one() {\n"
            "  const m = require('./a');\n"
            "  m.g();\n"  # 4: its own require
            "  const { g } = require('./b');\n"
            "  g();\n"  # 6: the local binding, not the file's function
            "}\n"
            "function two() {\n"
            "  const m = require('./b');\n"
            "  m.g();\n"  # 10: its own `m`, not one()'s
            "  const inner = () => m.g();\n"  # 11: the parent's binding
            "  g();\n"  # 12: one()'s `g` is not seen here
            "}\n"
            "function three() { m.g(); g(); }\n"  # 14: no `m` here; the file's g
        ),
    },
    [
        (3, "require", "unresolved:require"),
        (4, "m.g", "lib/a.g"),
        (5, "require", "unresolved:require"),
        (6, "g", "lib/b.g"),
        (9, "require", "unresolved:require"),
        (10, "m.g", "lib/b.g"),
        (11, "m.g", "lib/b.g"),
        (12, "g", "lib/u.g"),
        (14, "g", "lib/u.g"),
        (14, "m.g", "unresolved:g"),
    ],
)
IMPORT_SCOPES = {
    "python": (
        {
            "pkg/__init__.py": "",
            "pkg/b.py": "def g(): ...\ndef h(): ...\n",
            "pkg/c.py": "def g(): ...\n",
            "pkg/a.py": (
                "from pkg.c import g as top\n"
                "def g(): ...\n"
                "def f():\n"
                "    from pkg.b import g\n"
                "    g()\n"  # 5: the local import shadows the module's def (click)
                "    def inner():\n"
                "        g()\n"  # 7: the parent's local import
                "    inner()\n"
                "def sibling():\n"
                "    g()\n"  # 10: f's import is not seen here
                "def one():\n"
                "    import pkg.b as m\n"
                "    m.h()\n"  # 13
                "def two():\n"
                "    import pkg.c as m\n"
                "    m.g()\n"  # 16: its own `m`, not one()'s (click)
                "def three():\n"
                "    def top(): ...\n"
                "    top()\n"  # 19: a nested def shadows the module's import
                "def four():\n"
                "    from os import getcwd as g\n"
                "    g()\n"  # 22: bound to something outside: never the module's def
                "top()\n"  # 23
                "g()\n"  # 24
            ),
        },
        [
            (5, "g", "pkg.b.g"),
            (7, "g", "pkg.b.g"),
            (8, "inner", "pkg.a.f.inner"),
            (10, "g", "pkg.a.g"),
            (13, "m.h", "pkg.b.h"),
            (16, "m.g", "pkg.c.g"),
            (19, "top", "pkg.a.three.top"),
            (22, "g", "unresolved:g"),
            (23, "top", "pkg.c.g"),
            (24, "g", "pkg.a.g"),
        ],
    ),
    "javascript": _SCRIPT_SCOPES,
    "typescript": (
        {path.replace(".js", ".ts"): text for path, text in _SCRIPT_SCOPES[0].items()},
        [
            (line, callee, target.replace(".js", ".ts"))
            for line, callee, target in _SCRIPT_SCOPES[1]
        ],
    ),
    "rust": (
        {
            "src/lib.rs": (
                "pub mod a { pub fn g() {} }\n"
                "pub mod b { pub fn g() {} }\n"
                "fn g() {}\n"
                "fn one() {\n"
                "    use crate::a::g;\n"
                "    g();\n"  # 6: the block's `use` shadows the crate's fn
                "    fn inner() { g(); }\n"  # 7: an item of the block sees its `use`
                "}\n"
                "fn two() {\n"
                "    use crate::b as m;\n"
                "    m::g();\n"  # 11
                "}\n"
                "fn three() {\n"
                "    use crate::a as m;\n"
                "    m::g();\n"  # 15: its own `m`, not two()'s
                "    g();\n"  # 16: one()'s `use` is not seen here
                "}\n"
                "pub struct S;\n"
                "impl S { pub fn solo(&self) {} }\n"
                "fn four() { use crate::a::*; }\n"
                # 21: a glob anywhere in the file may bind `v`: no rule-5 guess, as before
                "fn five() { let v = make(); v.solo(); }\n"
            ),
        },
        [
            (6, "g", "crate::a::g"),
            (7, "g", "crate::a::g"),
            (11, "m::g", "crate::b::g"),
            (15, "m::g", "crate::a::g"),
            (16, "g", "crate::g"),
            (21, "make", "unresolved:make"),
            (21, "v.solo", "unresolved:solo"),
        ],
    ),
}


def test_rust_pub_use_reexports_are_followed_inside_the_repository(tmp_path: Path) -> None:
    """A `pub use` (any `pub(...)`, in a macro body, in a `mod m { }` block, a glob, an alias)
    makes the name a member of its module (a block's `super::` is the file's module), followed
    through a chain of two for paths, bare
    names, a declared receiver type, an impl's trait and IMPORTS edges; a plain `use` too, for
    a path naming it (code that compiles names it so from the module or a descendant only: the
    `crate::net::Private` of `net`'s plain `use tcp::Private` is followed whoever names it),
    the module's own definition wins over a glob's,
    a cycle stays unresolved, and a name re-exported from an outside crate (`bytes::Buf`) is
    unresolved with no rule-5 guess of the repository's one `copy_in`."""
    repo = write_repo(tmp_path / "repo", REEXPORTS_RUST)
    tables = run_dataflow(repo, languages=["rust"])
    calls = {
        (line, callee): target
        for (path, line, callee), target in _rust_calls(tables).items()
        if path == "src/user.rs"
    }
    assert calls == {
        (10, "TcpStream::open"): "crate::net::tcp::stream::TcpStream::open",
        (11, "s.read"): "crate::net::tcp::stream::TcpStream::read",
        (12, "connect"): "crate::net::tcp::connect",
        (13, "crate::net::connect"): "crate::net::tcp::connect",
        (14, "channel"): "crate::sync::channel",
        (15, "shadowed"): "crate::net::shadowed",
        (16, "chan"): "crate::sync::channel",
        (17, "Private::hide"): "crate::net::tcp::Private::hide",
        (18, "Loop::run"): "unresolved:run",
        (19, "Buf::copy_in"): "unresolved:copy_in",
    }
    assert described_edges(tables, "INHERITS_FROM") == [
        ("TYPE_DECL:crate::user::Mine", "TYPE_DECL:crate::net::tcp::stream::Stream", True),
    ]
    imports = {(src, dst) for src, dst, _ in described_edges(tables, "IMPORTS")}
    assert {
        ("IMPORT:crate::net::TcpStream", "TYPE_DECL:crate::net::tcp::stream::TcpStream"),
        ("IMPORT:crate::net::tcp::TcpStream", "TYPE_DECL:crate::net::tcp::stream::TcpStream"),
        ("IMPORT:crate::net::connect", "METHOD:crate::net::tcp::connect"),
        ("IMPORT:crate::net::channel", "METHOD:crate::sync::channel"),
        ("IMPORT:crate::net::shadowed", "METHOD:crate::net::shadowed"),
        ("IMPORT:crate::sync::inner::chan", "METHOD:crate::sync::channel"),
        ("IMPORT:crate::net::Private", "TYPE_DECL:crate::net::tcp::Private"),
        ("IMPORT:crate::net::tcp::Private", "TYPE_DECL:crate::net::tcp::Private"),
        ("IMPORT:crate::cyc::a::Loop", "unresolved:crate::cyc::a::Loop"),
        ("IMPORT:crate::Buf", "unresolved:crate::Buf"),
    } <= imports


@pytest.mark.parametrize("language", sorted(IMPORT_SCOPES))
def test_an_import_binds_its_name_in_the_scope_of_its_statement(
    tmp_path: Path, language: str
) -> None:
    """An import inside a function (Python `from m import g`, JS/TS `const m = require()`,
    Rust `use` in a fn body) is a local of that function: it shadows the file's own definition
    there and in the functions nested in it, is not seen by a sibling function (click: a local
    `import a as f` in one function bound `f()` in another), and a nested definition shadows a
    module-level import. The innermost scope binding the name wins, even when what it binds is
    outside the repository."""
    files, expected = IMPORT_SCOPES[language]
    tables = run_dataflow(write_repo(tmp_path / "repo", files), languages=[language])
    assert _calls_by_line(tables) == expected


RETURNS_PY_MODELS = """\
from threading import Event
from typing import Iterator, Self


class Base:
    def inherited(self):
        pass


class Handle(Base):
    def origin(self):
        pass

    def again(self) -> Self:
        return self

    async def opened(self) -> "Handle":
        return self


class Other:
    def origin(self):
        pass

    def only_here(self):
        pass


def make() -> Handle:
    return Handle()


def make_event() -> Event:
    return Event()


def untyped():
    return Handle()


def many() -> Iterator[Handle]:
    yield Handle()
"""
RETURNS_PY_USE = """\
from pkg import models
from pkg.models import Handle, make, make_event, many, untyped


def run():
    made = make()
    made.origin()
    made.only_here()
    event = make_event()
    event.only_here()
    loose = untyped()
    loose.only_here()
    via = models.make()
    via.inherited()
    each = many()
    each.only_here()


class Service:
    def build(self) -> Handle:
        return Handle()

    async def fetch(self) -> Handle:
        return Handle()

    async def go(self, handle: Handle):
        built = self.build()
        built.origin()
        fetched = await self.fetch()
        fetched.origin()
        pending = self.fetch()
        pending.only_here()
        again = handle.again()
        again.origin()
        opened = await handle.opened()
        opened.inherited()
"""


def test_python_receivers_bound_to_a_calls_value_take_its_declared_return_type(
    tmp_path: Path,
) -> None:
    """``x = f()``: the callee resolved as a call, its ``-> T`` resolved in its own file
    (``Self``: its class), then rule 4a: the type's member, a base's, else unresolved; a type
    from outside the repository (``Event``, ``Iterator[...]``) or a coroutine not awaited:
    unresolved, never rule 5; an unannotated function's value: rule 5 as before. A callee only
    rule 4a names (``handle.again()`` on a declared ``handle``) types its value too."""
    repo = write_repo(
        tmp_path / "repo", {"pkg/models.py": RETURNS_PY_MODELS, "pkg/use.py": RETURNS_PY_USE}
    )
    tables = run_dataflow(repo, languages=["python"])
    members = [row for row in _targets_by_line(tables) if "." in row[1] and row[0] > 6]
    use = [row for row in members if row[1].split(".")[0] not in ("self", "models")]
    assert use == [
        (7, "made.origin", "pkg.models.Handle.origin", 11),  # make() -> Handle
        (8, "made.only_here", "unresolved:only_here", None),  # not rule 5's Other.only_here
        (10, "event.only_here", "unresolved:only_here", None),  # threading.Event: outside
        (12, "loose.only_here", "pkg.models.Other.only_here", 25),  # unannotated: rule 5
        (14, "via.inherited", "pkg.models.Base.inherited", 6),  # models.make(): a base's
        (16, "each.only_here", "unresolved:only_here", None),  # typing.Iterator: outside
        (28, "built.origin", "pkg.models.Handle.origin", 11),  # self.build() -> Handle
        (30, "fetched.origin", "pkg.models.Handle.origin", 11),  # await of an async def
        (32, "pending.only_here", "unresolved:only_here", None),  # a coroutine, not awaited
        (33, "handle.again", "pkg.models.Handle.again", 14),
        (34, "again.origin", "pkg.models.Handle.origin", 11),  # `-> Self` of Handle
        (35, "handle.opened", "pkg.models.Handle.opened", 17),
        (36, "opened.inherited", "pkg.models.Base.inherited", 6),  # a string annotation
    ]


PROPERTY_PY_MODELS = """\
import functools
import threading


class Base:
    def inherited(self): ...


class Handle(Base):
    def origin(self): ...


class Other:
    def origin(self): ...
    def only_here(self): ...


class Owner:
    @property
    def handle(self) -> Handle:
        return Handle()

    @functools.cached_property
    def cached(self) -> "Handle":
        return Handle()

    @property
    def event(self) -> threading.Event:
        return threading.Event()

    @property
    def loose(self):
        return Handle()

    def method(self) -> Handle:
        return Handle()

    @property
    def kept(self) -> Handle:
        return Handle()

    @kept.setter
    def kept(self, value: Handle) -> None: ...

    def use(self):
        self.handle.origin()
        self.handle.inherited()
        self.handle.only_here()
        self.cached.origin()
        self.event.only_here()
        self.loose.only_here()
        self.kept.origin()
"""


def test_python_properties_type_their_field_by_the_declared_return_type(tmp_path: Path) -> None:
    """``self.p.f()`` with ``@property`` / ``@functools.cached_property`` ``def p(self) -> T``:
    ``p`` is a field of type ``T`` (one field hop), then rule 4a: T's member, a base's, else
    unresolved (no rule-5 guess); a type from outside the repository: unresolved; an
    unannotated property keeps rule 5; a ``@p.setter`` keeps the property's type."""
    repo = write_repo(tmp_path / "repo", {"pkg/models.py": PROPERTY_PY_MODELS})
    tables = run_dataflow(repo, languages=["python"])
    assert [row for row in _targets_by_line(tables) if row[1].startswith("self.")] == [
        (46, "self.handle.origin", "pkg.models.Handle.origin", 10),
        (47, "self.handle.inherited", "pkg.models.Base.inherited", 6),
        (48, "self.handle.only_here", "unresolved:only_here", None),  # not Other.only_here
        (49, "self.cached.origin", "pkg.models.Handle.origin", 10),
        (50, "self.event.only_here", "unresolved:only_here", None),  # threading.Event
        (51, "self.loose.only_here", "pkg.models.Other.only_here", 15),  # untyped: rule 5
        (52, "self.kept.origin", "pkg.models.Handle.origin", 10),
    ]


FIELD_HOP_PY_MODELS = """\
import threading


class Node:
    def origin(self): ...


class Other:
    def origin(self): ...

    def stray(self): ...


class Graph:
    @property
    def node(self) -> Node:
        return Node()

    @property
    def event(self) -> threading.Event:
        return threading.Event()

    def method(self) -> Node:
        return Node()


class Subgraph(Graph):
    pass


def make_graph() -> Graph:
    return Graph()


def make_event() -> threading.Event:
    return threading.Event()
"""

FIELD_HOP_PY_USE = """\
import threading

from pkg.models import Graph, Subgraph, make_event, make_graph


def run(graph: Graph, sub: Subgraph, ev: threading.Event):
    graph.node.origin()
    sub.node.origin()
    graph.node.stray()
    graph.event.stray()
    ev.node.stray()
    graph.method.stray()
    graph.plain.stray()


class Child(Graph):
    def use(self):
        self.node.origin()
        self.nothing.stray()


def build():
    made = make_graph()
    made.node.origin()
    built = Subgraph()
    built.node.origin()
    event = make_event()
    event.node.stray()
"""


def test_python_field_hops_read_properties_written_in_another_file_or_a_base(
    tmp_path: Path,
) -> None:
    """``x.y.f()`` / ``self.y.f()`` where the file declares no field ``y`` of ``x``'s type: the
    property ``y`` of that type (in another file) or of its nearest base types the receiver
    by its return type, then rule 4a (no rule-5 guess: ``graph.node.stray`` stays unresolved);
    a property or a declared type from outside the repository: unresolved; a method read as a
    value or a field nothing declares: rule 5 as before. A name bound to a call's value starts
    from the class it constructs or the type the function returns."""
    repo = write_repo(
        tmp_path / "repo",
        {"pkg/models.py": FIELD_HOP_PY_MODELS, "pkg/use.py": FIELD_HOP_PY_USE},
    )
    tables = run_dataflow(repo, languages=["python"])
    calls = tables["python.calls"].filter(pl.col("path") == "pkg/use.py")
    assert calls.select("callee", "receiver_type").rows()[:3] == [
        ("graph.node.origin", "Graph .node"),
        ("sub.node.origin", "Subgraph .node"),
        ("graph.node.stray", "Graph .node"),
    ]
    assert [row[:3] for row in _targets_by_line(tables) if row[1].count(".") == 2] == [
        (7, "graph.node.origin", "pkg.models.Node.origin"),
        (8, "sub.node.origin", "pkg.models.Node.origin"),
        (9, "graph.node.stray", "unresolved:stray"),
        (10, "graph.event.stray", "unresolved:stray"),  # threading.Event
        (11, "ev.node.stray", "unresolved:stray"),  # a field of threading.Event
        (12, "graph.method.stray", "pkg.models.Other.stray"),  # no property: rule 5
        (13, "graph.plain.stray", "pkg.models.Other.stray"),  # no property: rule 5
        (18, "self.node.origin", "pkg.models.Node.origin"),
        (19, "self.nothing.stray", "pkg.models.Other.stray"),
        # a call's value: the type the function returns, the class a call constructs
        (24, "made.node.origin", "pkg.models.Node.origin"),
        (26, "built.node.origin", "pkg.models.Node.origin"),
        (28, "event.node.stray", "unresolved:stray"),  # a field of threading.Event
    ]


FIELDS_PY_MODELS = """\
import logging
from dataclasses import dataclass
from typing import NamedTuple, Optional

from pkg.nodes import Node


class Other:
    def origin(self): ...

    def stray(self): ...

    def error(self): ...


class Holder:
    node: Node
    maybe: Optional[Node]
    plain = None

    def __init__(self, logger: logging.Logger, node: Node, anything):
        self._logger = logger
        self._node = node
        self._anything = anything


@dataclass
class Record:
    node: "Node"


class Pair(NamedTuple):
    node: Node


class Sub(Holder):
    pass


class Shadow(Holder):
    def __init__(self, node):
        self.node = node
"""

FIELDS_PY_NODES = """\
import threading


class Node:
    parent: "Node"
    lock: threading.Lock

    def origin(self): ...
"""

FIELDS_PY_USE = """\
from pkg.models import Holder, Pair, Record, Shadow, Sub


def run(holder: Holder, sub: Sub, record: Record, pair: Pair, shadow: Shadow):
    holder.node.origin()
    holder.maybe.origin()
    holder._node.origin()
    sub.node.origin()
    record.node.origin()
    pair.node.origin()
    holder.node.stray()
    holder._logger.error()
    holder._anything.stray()
    holder.plain.stray()
    shadow.node.stray()


class Child(Sub):
    def use(self):
        self.node.origin()
        self._logger.error()
        self.node.parent.origin()


def chains(holder: Holder):
    holder.node.parent.origin()
    holder.node.parent.parent.origin()
    holder.node.lock.stray()
    holder._logger.manager.error()
    holder._anything.parent.stray()
    holder.node.parent.parent.parent.stray()
"""


def test_python_field_hops_read_fields_declared_in_another_file_or_a_base(
    tmp_path: Path,
) -> None:
    """``x.y.f()`` / ``self.y.f()`` where ``y`` is a plain field declared in another file or a
    base (a class-level ``y: Foo``, a dataclass or NamedTuple field, ``self.y = y`` with ``y:
    Foo``; the symbols' ``fields``): ``Foo`` resolved where the field is written, then rule 4a
    (no rule-5 guess: ``holder.node.stray`` stays unresolved); a field of an outside type
    (``logging.Logger``): unresolved, never rule 5's ``Other.error``; a field of no known type
    (or a subclass's untyped redeclaration, which shadows the base's): rule 5 as before. A
    chain of fields (``holder.node.parent.f()``) hops the same way field by field, at most
    three; a field of an outside type along it: unresolved."""
    repo = write_repo(
        tmp_path / "repo",
        {
            "pkg/models.py": FIELDS_PY_MODELS,
            "pkg/nodes.py": FIELDS_PY_NODES,
            "pkg/use.py": FIELDS_PY_USE,
        },
    )
    tables = run_dataflow(repo, languages=["python"])
    symbols = tables["python.symbols"].filter(pl.col("fields").is_not_null())
    assert symbols.select("qualified_name", "fields").rows() == [
        ("pkg.models.Holder", "_anything;_logger logging.Logger;_node Node;maybe Node;node Node"),
        ("pkg.models.Record", "node Node"),
        ("pkg.models.Pair", "node Node"),
        ("pkg.models.Shadow", "node"),
        ("pkg.nodes.Node", "lock threading.Lock;parent Node"),
    ]
    assert [row[:3] for row in _targets_by_line(tables) if row[1].count(".") == 2] == [
        (5, "holder.node.origin", "pkg.nodes.Node.origin"),
        (6, "holder.maybe.origin", "pkg.nodes.Node.origin"),
        (7, "holder._node.origin", "pkg.nodes.Node.origin"),
        (8, "sub.node.origin", "pkg.nodes.Node.origin"),  # a base's field
        (9, "record.node.origin", "pkg.nodes.Node.origin"),
        (10, "pair.node.origin", "pkg.nodes.Node.origin"),
        (11, "holder.node.stray", "unresolved:stray"),
        (12, "holder._logger.error", "unresolved:error"),  # logging.Logger
        (13, "holder._anything.stray", "pkg.models.Other.stray"),  # no known type: rule 5
        (14, "holder.plain.stray", "pkg.models.Other.stray"),
        (15, "shadow.node.stray", "pkg.models.Other.stray"),  # the subclass's own field
        (20, "self.node.origin", "pkg.nodes.Node.origin"),
        (21, "self._logger.error", "unresolved:error"),
    ]
    # chains of fields, hop by hop (at most three fields)
    assert [row[:3] for row in _targets_by_line(tables) if row[1].count(".") > 2] == [
        (22, "self.node.parent.origin", "pkg.nodes.Node.origin"),
        (26, "holder.node.parent.origin", "pkg.nodes.Node.origin"),
        (27, "holder.node.parent.parent.origin", "pkg.nodes.Node.origin"),
        (28, "holder.node.lock.stray", "unresolved:stray"),  # threading.Lock
        (29, "holder._logger.manager.error", "unresolved:error"),  # a field of an outside type
        (30, "holder._anything.parent.stray", "pkg.models.Other.stray"),  # no known type: rule 5
        (31, "holder.node.parent.parent.parent.stray", "pkg.models.Other.stray"),  # 4: rule 5
    ]


ELEMENTS_PY_MODELS = """\
from threading import Lock


class Node:
    def origin(self):
        pass


class Holder:
    def __init__(self, lock: Lock):
        self.lock = lock

    @property
    def first(self) -> Node:
        return Node()


class Other:
    def stray(self):
        pass

    def origin(self):
        pass
"""

ELEMENTS_PY_USE = """\
from typing import Optional, Sequence
from pkg.models import Holder, Node


def loops(nodes: list[Node], maybe: Optional[Sequence["Node"]], by_name: dict[str, Node]):
    for node in nodes:
        node.origin()
    [n.origin() for n in maybe]
    for key in by_name:
        key.stray()
    nodes[0].origin()
    first = nodes[1]
    first.origin()
    node.stray()
    by_name["a"].stray()


def tuples(pair: tuple[Node, ...], fixed: tuple[Node, Holder]):
    for p in pair:
        p.origin()
    for f in fixed:
        f.stray()


class Keeper:
    def __init__(self, nodes: Sequence[Node]):
        self.nodes = nodes

    def run(self):
        for node in self.nodes:
            node.origin()


def members(holder: Holder):
    first = holder.first
    first.origin()
    lock = holder.lock
    lock.stray()
    again = first
    again.origin()
    nothing = holder.missing
    nothing.stray()
    mixed = holder.first
    mixed = holder.lock
    mixed.stray()
"""


def test_python_elements_of_containers_and_members_bound_to_names(tmp_path: Path) -> None:
    """``for x in xs``, ``[x.f() for x in xs]``, ``xs[i].f()`` and ``x = xs[i]`` over a name
    declared ``list[Foo]``, ``Optional[Sequence[Foo]]`` or ``tuple[Foo, ...]`` (also ``for x in
    self.xs``, a field of the own class) are a Foo (rule 4a: a name Foo lacks is unresolved,
    never rule 5's), and so is a subscript of a mapping declared ``dict[str, Foo]``; a mapping's
    loop variable (a key) and a fixed-length tuple's elements are of no known type (rule 5 as
    before). ``x = a.b`` has the type of the receiver
    ``a.b`` (a field hop: a property written in another file, ``Holder.first``; a field of an
    outside type, ``threading.Lock``: unresolved), also through a copy; no such member, or
    bindings that disagree: rule 5 as before."""
    repo = write_repo(
        tmp_path / "repo", {"pkg/models.py": ELEMENTS_PY_MODELS, "pkg/use.py": ELEMENTS_PY_USE}
    )
    tables = run_dataflow(repo, languages=["python"])
    used = [row[:3] for row in _targets_by_line(tables) if row[0] > 5 and "." in row[1]]
    assert used == [
        (7, "node.origin", "pkg.models.Node.origin"),
        (8, "n.origin", "pkg.models.Node.origin"),
        (10, "key.stray", "pkg.models.Other.stray"),  # a key: no known type
        (11, "nodes[0].origin", "pkg.models.Node.origin"),
        (13, "first.origin", "pkg.models.Node.origin"),
        (14, "node.stray", "unresolved:stray"),  # a Node: never rule 5
        (15, 'by_name["a"].stray', "unresolved:stray"),  # a mapping's value: a Node
        (20, "p.origin", "pkg.models.Node.origin"),
        (22, "f.stray", "pkg.models.Other.stray"),  # a fixed-length tuple: none
        (31, "node.origin", "pkg.models.Node.origin"),
        (36, "first.origin", "pkg.models.Node.origin"),
        (38, "lock.stray", "unresolved:stray"),  # threading.Lock
        (40, "again.origin", "pkg.models.Node.origin"),
        (42, "nothing.stray", "pkg.models.Other.stray"),  # no member `missing`: rule 5
        (45, "mixed.stray", "pkg.models.Other.stray"),  # a Node or a Lock: rule 5
    ]


NARROWED_PY_MODELS = """\
class Base:
    def run(self):
        pass


class Sub(Base):
    def run(self):
        pass

    def only_sub(self):
        pass


class Other:
    def only_sub(self):
        pass

    def stray(self):
        pass
"""

NARROWED_PY_USE = """\
from pkg.models import Base, Other, Sub


def narrowed(x, y: Base | Sub, z: Base, flag):
    if isinstance(x, Sub) and flag:
        x.only_sub()
        x.stray()
    elif isinstance(y, Sub):
        y.run()
    x.only_sub()
    if isinstance(z, Sub):
        z.run()
    if isinstance(x, (Sub, Base)):
        x.only_sub()
    if isinstance(x, Sub):
        x = make()
        x.only_sub()
    if isinstance(x, Sub):
        [x.only_sub() for _ in flag]
    else:
        x.only_sub()


class Holder:
    def __init__(self, part: Base | Other):
        self.part = part

    def use(self):
        if isinstance(self.part, Sub):
            self.part.only_sub()
"""


def test_python_isinstance_narrows_a_receiver_of_no_one_type_in_its_branch(
    tmp_path: Path,
) -> None:
    """``if isinstance(x, Foo):`` (also ``elif``, an operand of ``and``; ``self.x`` too) makes
    ``x`` a Foo in that branch when ``x`` is declared with no one type (untyped, a union:
    narrowing picks among what it may be; rule 4a then, never rule 5: ``x.stray()``
    unresolved); a declared type stays (``z: Base``, as Jedi keeps it); not after the branch,
    not in ``else``, not for a tuple of types, not once the branch rebinds ``x``, not in a
    comprehension (rule 5 as before: ``Other.only_sub`` or ambiguous)."""
    repo = write_repo(
        tmp_path / "repo", {"pkg/models.py": NARROWED_PY_MODELS, "pkg/use.py": NARROWED_PY_USE}
    )
    tables = run_dataflow(repo, languages=["python"])
    used = [row[:3] for row in _targets_by_line(tables) if row[0] > 4 and "." in row[1]]
    assert used == [
        (6, "x.only_sub", "pkg.models.Sub.only_sub"),
        (7, "x.stray", "unresolved:stray"),  # a Sub: never rule 5
        (9, "y.run", "pkg.models.Sub.run"),  # a union narrowed
        (10, "x.only_sub", "unresolved:only_sub"),  # after the branch: two candidates
        (12, "z.run", "pkg.models.Base.run"),  # declared a Base: stays
        (14, "x.only_sub", "unresolved:only_sub"),
        (17, "x.only_sub", "unresolved:only_sub"),  # rebound in the branch
        (19, "x.only_sub", "unresolved:only_sub"),  # in a comprehension
        (21, "x.only_sub", "unresolved:only_sub"),  # else
        (30, "self.part.only_sub", "pkg.models.Sub.only_sub"),
    ]


ENTERED_PY_MODELS = """\
from contextlib import contextmanager
from typing import ContextManager, Iterator


class Session:
    def query(self):
        pass


class Other:
    def query(self):
        pass

    def stray(self):
        pass


@contextmanager
def session() -> Iterator[Session]:
    yield Session()


def managed() -> "ContextManager[Session]":
    return session()


async def later() -> Session:
    return Session()
"""

ENTERED_PY_USE = """\
from pkg.models import Session, later, managed, session


async def run(lock):
    with session() as s:
        s.query()
        s.stray()
    with managed() as m, lock as held:
        m.query()
        held.stray()
    made = session()
    made.stray()
    with Session() as own:
        own.stray()
    async with later() as x:
        x.stray()
"""


def test_python_with_binds_what_a_context_manager_function_enters(tmp_path: Path) -> None:
    """``with f() as x``: what entering f's value gives (``f().enter``), typed by f's ``->
    ContextManager[Foo]`` or a ``@contextmanager`` generator's ``-> Iterator[Foo]`` (the
    symbols' ``returns`` ``.enter Foo``): a Foo (rule 4a, never rule 5); f's value itself,
    ``made = f()``, is no Foo (unresolved); ``with lock as x`` and a class's ``with Foo() as
    x`` (its ``__enter__``) stay as before (rule 5), and so does ``async with`` of an ``async
    def``'s value."""
    repo = write_repo(
        tmp_path / "repo", {"pkg/models.py": ENTERED_PY_MODELS, "pkg/use.py": ENTERED_PY_USE}
    )
    tables = run_dataflow(repo, languages=["python"])
    returns = tables["python.symbols"].filter(pl.col("returns").is_not_null())
    assert returns.select("name", "returns").rows() == [
        ("session", ".enter Session"),
        ("managed", ".enter Session"),
        ("later", ".await Session"),
    ]
    used = [row[:3] for row in _targets_by_line(tables) if "." in row[1]]
    assert used == [
        (6, "s.query", "pkg.models.Session.query"),
        (7, "s.stray", "unresolved:stray"),
        (9, "m.query", "pkg.models.Session.query"),
        (10, "held.stray", "pkg.models.Other.stray"),
        (12, "made.stray", "unresolved:stray"),
        (14, "own.stray", "pkg.models.Other.stray"),
        (16, "x.stray", "pkg.models.Other.stray"),
    ]


CALLED_PY_USE = """\
from pkg import models
from pkg.models import make, make_event, untyped, Handle


def run(handle: Handle):
    make().origin()
    make().only_here()
    models.make().inherited()
    make_event().only_here()
    untyped().only_here()
    handle.again().origin()
    Handle().origin()
"""


def test_python_member_calls_on_a_calls_value_take_its_declared_return_type(
    tmp_path: Path,
) -> None:
    """``make().f()``: typed as ``x = make(); x.f()`` is (the callee's ``-> T`` resolved in its
    own file, then rule 4a); an outside type (``Event``): unresolved; an unannotated function:
    rule 5 as before; a callee only rule 4a names (``handle.again()``) in the second pass."""
    repo = write_repo(
        tmp_path / "repo", {"pkg/models.py": RETURNS_PY_MODELS, "pkg/use.py": CALLED_PY_USE}
    )
    tables = run_dataflow(repo, languages=["python"])
    chained = [row for row in _targets_by_line(tables) if "()." in row[1]]
    assert [row for row in chained if row[0] < 20] == [
        (6, "make().origin", "pkg.models.Handle.origin", 11),
        (7, "make().only_here", "unresolved:only_here", None),  # not rule 5's Other.only_here
        (8, "models.make().inherited", "pkg.models.Base.inherited", 6),
        (9, "make_event().only_here", "unresolved:only_here", None),  # threading.Event
        (10, "untyped().only_here", "pkg.models.Other.only_here", 25),  # unannotated: rule 5
        (11, "handle.again().origin", "pkg.models.Handle.origin", 11),  # `-> Self`
        (12, "Handle().origin", "pkg.models.Handle.origin", 11),  # a class: a Handle
    ]


RETURNS_RS_NET = """\
use std::io;
use std::process::Command;

pub struct TcpStream {
    fd: u32,
}

impl TcpStream {
    pub async fn connect(addr: &str) -> io::Result<TcpStream> {
        Ok(TcpStream { fd: 1 })
    }

    pub fn open() -> Self {
        TcpStream { fd: 2 }
    }

    pub fn try_open() -> Result<Self, io::Error> {
        Ok(TcpStream { fd: 3 })
    }

    pub fn command() -> Command {
        Command::new("x")
    }

    pub fn read(&self) {}
}

pub struct Other;

impl Other {
    pub fn read(&self) {}
    pub fn write(&self) {}
}

pub fn untyped() -> TcpStream {
    TcpStream { fd: 4 }
}
"""
RETURNS_RS_LIB = """\
mod net;

use crate::net::TcpStream;

async fn run(addr: &str) -> std::io::Result<()> {
    let s = TcpStream::connect(addr).await?;
    s.read();
    let a = TcpStream::open();
    a.read();
    let b = TcpStream::try_open().unwrap();
    b.read();
    let c = TcpStream::try_open()?;
    c.write();
    let pending = TcpStream::connect(addr);
    pending.write();
    let cmd = TcpStream::command();
    cmd.write();
    let raw = TcpStream::try_open();
    raw.write();
    Ok(())
}
"""


def test_rust_receivers_bound_to_a_calls_value_apply_await_and_try(tmp_path: Path) -> None:
    """Rust: ``.await`` takes an ``async fn``'s output, ``?`` / ``.unwrap()`` the Ok of a
    Result; ``-> Self`` is the impl's type. A value still wrapped (a future not awaited, a
    Result not unwrapped) or a std type (``Command``) is from outside: unresolved."""
    repo = write_repo(
        tmp_path / "repo",
        {
            "Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\n',
            "src/net.rs": RETURNS_RS_NET,
            "src/lib.rs": RETURNS_RS_LIB,
        },
    )
    tables = run_dataflow(repo, languages=["rust"])
    members = [row for row in _targets_by_line(tables) if "." in row[1] and row[0] < 20]
    assert members == [
        (7, "s.read", "crate::net::TcpStream::read", 25),
        (9, "a.read", "crate::net::TcpStream::read", 25),
        (10, "TcpStream::try_open().unwrap", "unresolved:unwrap", None),
        (11, "b.read", "crate::net::TcpStream::read", 25),
        (13, "c.write", "unresolved:write", None),  # TcpStream has no write (not Other's)
        (15, "pending.write", "unresolved:write", None),  # a future, not awaited
        (17, "cmd.write", "unresolved:write", None),  # std::process::Command
        (19, "raw.write", "unresolved:write", None),  # a Result, not unwrapped
    ]


RETURNS_TS_SUB = """\
import { Observable } from "rxjs";

export class Subscriber {
  next(): this {
    return this;
  }
  add(): void {}
  async opened(): Promise<Subscriber> {
    return this;
  }
  static create(): Subscriber {
    return new Subscriber();
  }
  source(): Observable<number> {
    return null as any;
  }
}

export class Other {
  add(): void {}
  only(): void {}
}

export function createSubscriber(): Subscriber {
  return new Subscriber();
}

export function loose() {
  return new Subscriber();
}
"""
RETURNS_TS_USE = """\
import { createSubscriber, loose, Subscriber } from "./sub";

export async function main() {
  const s = createSubscriber();
  s.add();
  const t = loose();
  t.only();
  const u = Subscriber.create();
  u.add();
  const v = await u.opened();
  v.add();
  const w = s.next();
  w.add();
  const o = s.source();
  o.only();
  const p = u.opened();
  p.only();
}

class Holder {
  make(): Subscriber {
    return new Subscriber();
  }
  run() {
    const m = this.make();
    m.add();
  }
}
"""


def test_typescript_receivers_bound_to_a_calls_value_take_its_declared_return_type(
    tmp_path: Path,
) -> None:
    """TypeScript: a function's ``: T``, a static method's, ``this`` (the class), an awaited
    ``Promise<T>``; an imported library type and a Promise not awaited: unresolved; an
    unannotated function: rule 5 as before."""
    repo = write_repo(
        tmp_path / "repo", {"src/sub.ts": RETURNS_TS_SUB, "src/use.ts": RETURNS_TS_USE}
    )
    tables = run_dataflow(repo, languages=["typescript"])
    members = [
        row
        for row in _targets_by_line(tables)
        if len(row[1]) > 1 and row[1][1] == "." and row[1][0] in "stuvwopm"
    ]
    assert members == [
        (5, "s.add", "src/sub.Subscriber.add", 7),
        (7, "t.only", "src/sub.Other.only", 21),  # unannotated: rule 5
        (9, "u.add", "src/sub.Subscriber.add", 7),
        (10, "u.opened", "src/sub.Subscriber.opened", 8),
        (11, "v.add", "src/sub.Subscriber.add", 7),
        (12, "s.next", "src/sub.Subscriber.next", 4),
        (13, "w.add", "src/sub.Subscriber.add", 7),  # `this`: the class
        (14, "s.source", "src/sub.Subscriber.source", 14),
        (15, "o.only", "unresolved:only", None),  # rxjs's Observable: outside
        (16, "u.opened", "src/sub.Subscriber.opened", 8),
        (17, "p.only", "unresolved:only", None),  # a Promise, not awaited
        (26, "m.add", "src/sub.Subscriber.add", 7),  # this.make()
    ]


CONTEXT_TS_SUB = """\
import { Observable as Outside } from "rxjs";

export class Subscriber<T> {
  add(teardown: unknown): void {}
  next(value: T): void {}
}

export class Observable<T> {
  constructor(subscribe?: (this: Observable<T>, subscriber: Subscriber<T>) => void) {}
  subscribe(): void {}
}

export class Other {
  add(): void {}
  next(): void {}
  subscribe(): void {}
  only(): void {}
}

export function operate<T, R>(
  init: (liftedSource: Observable<T>, subscriber: Subscriber<R>) => void,
  each?: ((item: T, outside: Outside<T>) => void) | undefined,
): void {}
"""
CONTEXT_TS_USE = """\
import { Observable, operate, Other } from "./sub";

export function run() {
  new Observable<number>((subscriber) => {
    subscriber.add(1);
  });
  operate((source, subscriber) => {
    source.subscribe();
    subscriber.next(1);
  }, (item, outside) => {
    item.only();
    outside.only();
  });
  operate(function (source, subscriber) {
    subscriber.add(2);
  });
  operate((source: Other) => source.subscribe());
  later((subscriber) => subscriber.add(3));
}
"""


def test_typescript_callback_parameters_take_the_type_of_the_signature_they_are_passed_to(
    tmp_path: Path,
) -> None:
    """TypeScript: an untyped parameter of a function value passed to a constructor or a
    function takes the type its parameter's function type declares there, resolved in the
    signature's file; a generic parameter (`T`) gives nothing (rule 5 as before), a type from
    outside the repository is unresolved (no guess), an annotation is kept, and a callee that
    is no repository function types nothing."""
    repo = write_repo(
        tmp_path / "repo", {"src/sub.ts": CONTEXT_TS_SUB, "src/use.ts": CONTEXT_TS_USE}
    )
    tables = run_dataflow(repo, languages=["typescript"])
    members = [row for row in _targets_by_line(tables) if "." in row[1]]
    assert members == [
        (5, "subscriber.add", "src/sub.Subscriber.add", 4),  # the constructor's signature
        (8, "source.subscribe", "src/sub.Observable.subscribe", 10),  # a function's
        (9, "subscriber.next", "src/sub.Subscriber.next", 5),
        (11, "item.only", "src/sub.Other.only", 17),  # `T`: rule 5, as before
        (12, "outside.only", "unresolved:only", None),  # rxjs's Observable: outside
        (15, "subscriber.add", "src/sub.Subscriber.add", 4),  # a function expression's
        (17, "source.subscribe", "src/sub.Other.subscribe", 16),  # the annotation wins
        (18, "subscriber.add", "unresolved:add", None),  # `later`: no repository function
    ]


REEXPORT_CHAINS = {
    # `pkg.f`: the glob of `a`, which binds `f` from `c` (2 hops); `pkg.h`: `b.g` as `h`,
    # which `b` binds from `c` (2 hops); `pkg._p`: a glob carries no private name; `pkg.loop`:
    # `d` and `e` re-export it from each other (a cycle, each name reached once)
    "pkg/__init__.py": "from .a import *\nfrom .b import g as h\nfrom .d import loop\n",
    "pkg/a.py": "from .c import f\nfrom .c import _p\n",
    "pkg/b.py": "from .c import g\n",
    "pkg/c.py": "def f():\n    pass\n\n\ndef g():\n    pass\n\n\ndef _p():\n    pass\n",
    "pkg/d.py": "from .e import loop\n",
    "pkg/e.py": "from .d import loop\n",
}


@pytest.mark.parametrize("dict_rows", [cpg._REEXPORT_DICT_ROWS, 0])
def test_reexports_are_followed_hop_by_hop_each_name_once_per_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dict_rows: int
) -> None:
    # the re-export rows read into dicts once (a small table), or joined hop by hop (0)
    monkeypatch.setattr(cpg, "_REEXPORT_DICT_ROWS", dict_rows)
    memos.forget_all()  # (no index of the other case's: the same frames)
    tables = run_dataflow(
        write_repo(tmp_path / "repo", REEXPORT_CHAINS),
        languages=["python"],
        extra=["go_modules", "rust_crates"],
    )
    graph = cpg._graph(
        tables["files"],
        tables["python.symbols"],
        tables["python.imports"],
        tables["go_modules"],
        tables["rust_crates"],
    )
    lookups = cpg._Lookups(cpg._scope(graph), pl.Series([cpg._TOP]), pl.Series([], dtype=pl.String))
    names = pl.DataFrame(
        {
            "language": ["python"] * 5,
            "target": ["pkg.f", "pkg.h", "pkg._p", "pkg.loop", "pkg.c.f"],
        }
    )
    reached = lookups._reexported(names)
    assert reached.schema == pl.Schema(cpg._REEXPORTED_SCHEMA)
    # the glob of `a` may carry any public name of `pkg` (`pkg.a.h`, `pkg.a.loop`); `pkg._p`
    # goes nowhere, `pkg.c.f` is defined, and `pkg.e.loop` leads back to `pkg.d.loop`, reached
    assert sorted(rows(reached, "_origin", "target", "_hop")) == [
        ("pkg.f", "pkg.a.f", 1),
        ("pkg.f", "pkg.c.f", 2),
        ("pkg.h", "pkg.a.h", 1),
        ("pkg.h", "pkg.b.g", 1),
        ("pkg.h", "pkg.c.g", 2),
        ("pkg.loop", "pkg.a.loop", 1),
        ("pkg.loop", "pkg.d.loop", 1),
        ("pkg.loop", "pkg.e.loop", 2),
    ]
    # `_via`: the order of the import row of the last hop (numbered file by file, row by row)
    orders = dict(rows(reached, "target", "_via"))
    assert orders["pkg.a.f"] == orders["pkg.a.h"] < orders["pkg.b.g"] < orders["pkg.d.loop"]
    assert orders["pkg.d.loop"] < orders["pkg.c.f"] < orders["pkg.c.g"] < orders["pkg.e.loop"]
    # asked again with a name asked before: each name is followed once per node run
    assert lookups._reached_from(names).height == reached.height
    assert lookups._reached_from(names.head(1)).height == reached.height


def _reexport_lookups(tmp_path: Path) -> cpg._Lookups:
    tables = run_dataflow(
        write_repo(tmp_path / "repo", REEXPORT_CHAINS),
        languages=["python"],
        extra=["go_modules", "rust_crates"],
    )
    graph = cpg._graph(
        tables["files"],
        tables["python.symbols"],
        tables["python.imports"],
        tables["go_modules"],
        tables["rust_crates"],
    )
    return cpg._Lookups(cpg._scope(graph), pl.Series([cpg._TOP]), pl.Series([], dtype=pl.String))


def _index_read(index: cpg._ReexportIndex, lookups: cpg._Lookups) -> tuple[object, ...]:
    """What the hops read of a re-export index: its sets and the rows of every key of the
    lookups' re-export tables (and of a key none has)."""
    named = {
        (language, alias)
        for language, alias in lookups.reexports.select("language", "alias").iter_rows()
    } | {("python", "nowhere")}
    globbed = {
        (language, module)
        for language, module in lookups.reexport_globs.select("language", "module").iter_rows()
    } | {("python", "nowhere")}
    return (
        index.modules,
        index.heads,
        dict(index.own_exports),
        {key: index.named.of(named).get(key, []) for key in named},
        {key: index.named_public.of(named).get(key, []) for key in named},
        {key: index.globs.of(globbed).get(key, []) for key in globbed},
    )


@pytest.mark.parametrize("dict_rows", [cpg._REEXPORT_DICT_ROWS, 0])
@pytest.mark.parametrize(
    "part", ["modules", "own_exports", "reexport_heads", "reexports", "reexport_globs"]
)
def test_a_reexport_index_is_the_last_one_only_for_the_same_frames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dict_rows: int, part: str
) -> None:
    """The lookups of a rebuild whose re-export frames are as they were take the last
    ``_ReexportIndex`` (``_LAST_REEXPORT_INDEX``), and with it the rows its hops read before
    (``_KeyedRows``: no join again); one whose modules, own exports, re-exported heads, named
    re-exports or glob re-exports differ (each alone) makes its own, the index made anew for
    them."""
    monkeypatch.setattr(cpg, "_REEXPORT_DICT_ROWS", dict_rows)
    memos.forget_all()
    lookups = _reexport_lookups(tmp_path)
    index = lookups._reexport_index()
    _index_read(index, lookups)
    again = copy.copy(lookups)
    again._index = None
    assert again._reexport_index() is index
    joins: list[int] = []
    rows_by_key = cpg._rows_by_key
    monkeypatch.setattr(
        cpg, "_rows_by_key", lambda *args, **kwargs: joins.append(1) or rows_by_key(*args, **kwargs)
    )
    _index_read(again._reexport_index(), again)
    assert not joins  # (every key was read before)
    monkeypatch.setattr(cpg, "_rows_by_key", rows_by_key)
    other = copy.copy(lookups)
    other._index = None
    scope = lookups.scope
    if part == "modules":
        other.scope = dataclasses.replace(
            scope,
            modules=pl.concat(
                [scope.modules, scope.modules.head(1).with_columns(module=pl.lit("pkg.extra"))]
            ),
        )
    elif part == "own_exports":
        other.scope = dataclasses.replace(
            scope,
            own_exports=pl.DataFrame(
                [("python", "pkg.f", "pkg.c.g")], schema=scope.own_exports.schema, orient="row"
            ),
        )
    elif part == "reexport_heads":
        other.reexport_heads = pl.concat(
            [
                lookups.reexport_heads,
                lookups.reexport_heads.head(1).with_columns(_head=pl.lit("zz")),
            ]
        )
    elif part == "reexports":
        other.reexports = lookups.reexports.with_columns(
            target=pl.when(pl.int_range(pl.len()) == 0)
            .then(pl.lit("pkg.elsewhere"))
            .otherwise("target")
        )
    else:
        other.reexport_globs = lookups.reexport_globs.with_columns(glob=pl.lit("pkg.elsewhere"))
    made = other._reexport_index()
    assert made is not index
    memos.forget_all()
    fresh = copy.copy(other)
    fresh._index = None
    assert _index_read(made, other) == _index_read(fresh._reexport_index(), fresh)
    assert _index_read(made, other) != _index_read(index, lookups)


def test_a_reexport_index_is_the_last_one_for_its_heads_in_another_order(tmp_path: Path) -> None:
    """``_reexport_index`` sorts the re-exported heads (``_tables`` makes them unique in no
    order): lookups whose heads are the last ones in another order take the last index, and
    with it the last ``_reexported`` results, which are found by the index's identity (review
    r19c F3)."""
    memos.forget_all()
    lookups = _reexport_lookups(tmp_path)
    lookups.reexport_heads = pl.concat(
        [lookups.reexport_heads, lookups.reexport_heads.head(1).with_columns(_head=pl.lit("zz"))]
    )
    first = lookups._reexported(_FOLLOWED_NAMES)
    again = copy.copy(lookups)
    again._index = None
    again.reexport_heads = lookups.reexport_heads.reverse()
    assert again._reexport_index() is lookups._reexport_index()
    assert again._reexported(_FOLLOWED_NAMES) is first


_FOLLOWED_NAMES = pl.DataFrame(
    {"language": ["python"] * 3, "target": ["pkg.f", "pkg.h", "pkg.loop"]}
)


@pytest.mark.parametrize("part", ["names", "index", "defined", "hop defined", "module values"])
def test_a_reexported_result_is_the_last_one_only_while_what_it_read_is(
    tmp_path: Path, part: str
) -> None:
    """The lookups of a rebuild take the last ``_reexported`` result of the same names, index
    and Rust module values whose tests of names for being defined answer as they did
    (``_LAST_REEXPORTED``); other names, another re-export (another index), a name tested that
    is defined now or no longer (a name followed, a name a hop reaches), or a Rust module
    value, each alone, give the result followed anew."""
    memos.forget_all()
    lookups = _reexport_lookups(tmp_path)
    lookups._defined_keys = lookups._defined_keys | {"python\x00pkg.h"}
    first = lookups._reexported(_FOLLOWED_NAMES)
    assert not first.filter(pl.col("_origin") == "pkg.h").height  # (defined: not followed)
    made = cpg._LAST_REEXPORTED.made
    before = made.copy()
    again = copy.copy(lookups)
    assert again._reexported(_FOLLOWED_NAMES) is first
    # (in another order: the result reads which names there are)
    assert again._reexported(_FOLLOWED_NAMES.reverse()) is first
    assert made["same"] == before["same"] + 2
    other = copy.copy(lookups)
    names = _FOLLOWED_NAMES
    if part == "names":
        names = _FOLLOWED_NAMES.head(2)
    elif part == "index":
        other._index = None
        other.reexports = lookups.reexports.with_columns(
            target=pl.when(pl.col("alias") == "pkg.loop")
            .then(pl.lit("pkg.c.g"))
            .otherwise("target")
        )
    elif part == "defined":
        other._defined_keys = lookups._defined_keys - {"python\x00pkg.h"}
    elif part == "hop defined":  # (`pkg.f` leads to `pkg.a.f`, followed on to `pkg.c.f`)
        other._defined_keys = lookups._defined_keys | {"python\x00pkg.a.f"}
    else:  # (a Rust module's name a `use` re-exports a function by: followed, defined or not)
        other.rust_module_values = pl.DataFrame({"language": ["python"], "target": ["pkg.h"]})
    got = other._reexported(names)
    assert got is not first
    memos.forget_all()
    fresh = copy.copy(other)
    fresh._index = None
    expected = fresh._reexported(names)
    assert sorted(got.rows()) == sorted(expected.rows())
    assert sorted(got.rows()) != sorted(first.rows())


def test_the_reexported_results_of_a_replaced_index_are_not_kept(tmp_path: Path) -> None:
    """A result of ``_reexported`` is found again only with its own index object, and the
    lookups keep one index: keeping a result of a new index lets the old index's results go
    (they held its tables until eight newer results pushed them out; review r19c)."""
    memos.forget_all()
    lookups = _reexport_lookups(tmp_path)
    lookups._reexported(_FOLLOWED_NAMES)
    lookups._reexported(_FOLLOWED_NAMES.head(2))
    assert len(cpg._LAST_REEXPORTED._kept) >= 2
    other = copy.copy(lookups)
    other._index = None
    other.reexports = lookups.reexports.with_columns(
        target=pl.when(pl.col("alias") == "pkg.loop").then(pl.lit("pkg.c.g")).otherwise("target")
    )
    other._reexported(_FOLLOWED_NAMES)
    kept = cpg._LAST_REEXPORTED._kept
    assert len(kept) == 1
    assert kept[0][1] is not lookups._index


def test_a_row_wise_value_of_columns_of_another_type_is_made_again() -> None:
    """``_LAST_ROW_WISE`` keys a value on the read columns' schema too: polars ``equals``
    takes an Int32 column for an Int64 one of equal values, whose value has another type
    (review r19c)."""
    memos.forget_all()
    expression = pl.col("a") + 1
    small = pl.DataFrame({"a": [1, 2, 3]}, schema={"a": pl.Int32})
    wide = small.cast({"a": pl.Int64})
    cpg._LAST_ROW_WISE.column("x", small, expression)
    got = cpg._LAST_ROW_WISE.column("x", wide, expression)
    assert got.dtype == pl.Int64


# ---- CommonJS `module.exports = X` (found by the TypeScript compiler oracle on webpack) ----
MODULE_EXPORTS_EQUALS = {
    "lib/dep.js": (
        "class Dep { static make() { return new Dep(); } }\n"
        "Dep.Template = class DepTemplate {};\n"
        "module.exports = Dep;\n"
    ),
    "lib/plugin.js": (
        "const Dep = require('./dep');\n"
        "module.exports = class Plugin extends Dep { constructor() { super(); } };\n"
    ),
    "lib/helper.js": "module.exports = function helper() { return 1; };\n",
    "lib/again.js": "const Dep = require('./dep');\nmodule.exports = Dep;\n",
    "lib/plain.js": "exports.f = function () {};\n",
    "lib/use.js": (
        "const Dep = require('./dep');\n"
        "const Plugin = require('./plugin');\n"
        "const helper = require('./helper');\n"
        "const Again = require('./again');\n"
        "const plain = require('./plain');\n"
        "new Dep();\n"
        "Dep.make();\n"
        "new Dep.Template();\n"
        "new Plugin();\n"
        "helper();\n"
        "new Again();\n"
        "plain.f();\n"
    ),
}


def test_commonjs_module_exports_is_the_value_require_returns(tmp_path: Path) -> None:
    """``module.exports = X`` makes the module object X (TypeScript's ``export = X``): a
    ``require`` binding of the module stands for X, as a constructor, a function, the head of a
    static member, a base type, and through a module that re-exports it; a module without one
    stays a namespace."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", MODULE_EXPORTS_EQUALS), languages=["javascript"]
    )
    calls = [edge for edge in described_edges(tables, "CALLS") if edge[0] != "CALL:require"]
    assert calls == [
        ("CALL:Again", "TYPE_DECL:lib/dep.Dep", True),
        ("CALL:Dep", "TYPE_DECL:lib/dep.Dep", True),
        ("CALL:Dep", "TYPE_DECL:lib/dep.Dep", True),  # in Dep.make
        ("CALL:Dep.Template", "TYPE_DECL:lib/dep.Dep.Template", True),
        ("CALL:Dep.make", "METHOD:lib/dep.Dep.make", True),
        ("CALL:Plugin", "METHOD:lib/plugin.Plugin.constructor", True),
        ("CALL:helper", "METHOD:lib/helper.helper", True),
        ("CALL:plain.f", "METHOD:lib/plain.f", True),
        ("CALL:super", "TYPE_DECL:lib/dep.Dep", True),
    ]
    assert ("TYPE_DECL:lib/plugin.Plugin", "TYPE_DECL:lib/dep.Dep", True) in described_edges(
        tables, "INHERITS_FROM"
    )


TYPESCRIPT_EXPORT_EQUALS = {
    "src/g.ts": "class G { static s() {} m() {} }\nexport = G;\n",
    "src/ns.ts": "namespace NS { export function f() {} }\nexport = NS;\n",
    "src/use.ts": (
        "import G = require('./g');\n"
        "import * as G2 from './g';\n"
        "import { s } from './g';\n"
        "import NS = require('./ns');\n"
        "G.s();\n"  # 5
        "new G().m();\n"  # 6
        "G2.s();\n"  # 7
        "s();\n"  # 8
        "NS.f();\n"  # 9
    ),
}


def test_typescript_export_equals_is_the_value_require_returns(tmp_path: Path) -> None:
    """TypeScript's ``export = G`` (a name) makes the module object G, as CommonJS's
    ``module.exports = G``: ``import G = require("./g")``, ``import * as G2`` and ``import {s}``
    name G, its static member; a namespace the same (tsc resolves them all there)."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", TYPESCRIPT_EXPORT_EQUALS), languages=["typescript"]
    )
    assert [row for row in _targets_by_line(tables) if row[0] >= 5] == [
        (5, "G.s", "src/g.G.s", 1),
        (6, "G", "src/g.G", 1),
        (6, "new G().m", "src/g.G.m", 1),
        (7, "G2.s", "src/g.G.s", 1),
        (8, "s", "src/g.G.s", 1),
        (9, "NS.f", "src/ns.NS.f", 1),
    ]


AMBIENT_MODULE_EXPORT_EQUALS_TS = {
    "src/lib.ts": (
        "export class Top { static s(): void {} }\n"
        'declare module "m" {\n'
        "  class X { static s(): void; }\n"
        "  export = X;\n"
        "}\n"
    ),
    "src/use.ts": (
        "import L = require('./lib');\n"
        "import { Top } from './lib';\n"
        "L.Top.s();\n"  # 3
        "Top.s();\n"  # 4
    ),
}


def test_an_ambient_modules_export_equals_is_not_the_files(tmp_path: Path) -> None:
    """`export = X` inside `declare module "m" {}` is m's module object, not the file's: the
    file's module object stays its exports (tsc: `L.Top.s()` and `Top.s()` are lib's Top.s)."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", AMBIENT_MODULE_EXPORT_EQUALS_TS), languages=["typescript"]
    )
    assert _targets_by_line(tables) == [
        (3, "L.Top.s", "src/lib.Top.s", 1),
        (4, "Top.s", "src/lib.Top.s", 1),
    ]


MODULE_EXPORTS_ANONYMOUS = {
    "lib/makeThing.js": ("module.exports = (a) => a;\nmodule.exports.eat = (a) => a;\n"),
    "lib/other.js": "function helper() {}\nmodule.exports = function () { helper(); };\n",
    "lib/use.js": (
        "const makeThing = require('./makeThing');\n"
        "const { eat } = require('./makeThing');\n"
        "const other = require('./other');\n"
        "makeThing(1);\n"
        "makeThing.eat(2);\n"
        "eat(3);\n"
        "makeThing.missing(4);\n"
        "other();\n"
    ),
}


def test_commonjs_anonymous_module_exports_function_is_the_module(tmp_path: Path) -> None:
    """``module.exports = (a) => a``: the module object is that function, a METHOD named after
    the module, what a ``require`` binding calls; ``module.exports.eat = ...`` is a property of
    it, a top-level function of the module (``makeThing.eat()``, ``{ eat }``); not a member the
    module does not define."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", MODULE_EXPORTS_ANONYMOUS), languages=["javascript"]
    )
    calls = [row for row in _targets_by_line(tables) if row[1] != "require"]
    assert calls == [
        (2, "helper", "lib/other.helper", 1),
        (4, "makeThing", "lib/makeThing.makeThing", 1),
        (5, "makeThing.eat", "lib/makeThing.eat", 2),
        (6, "eat", "lib/makeThing.eat", 2),
        (7, "makeThing.missing", "unresolved:missing", None),
        (8, "other", "lib/other.other", 2),
    ]


MODULE_EXPORTS_DESTRUCTURED = {
    "lib/Plugin.js": (
        "class Plugin { static hooks() {} }\n"
        "function helper() {}\n"
        "module.exports = Plugin;\n"
        "module.exports.extra = () => helper();\n"
    ),
    "lib/use.js": (
        'const { hooks, extra, missing } = require("./Plugin");\nhooks();\nextra();\nmissing();\n'
    ),
}


def test_commonjs_destructured_require_of_module_exports(tmp_path: Path) -> None:
    """``const { hooks } = require("./Plugin")`` of a module whose ``module.exports`` is the
    class ``Plugin`` binds ``Plugin.hooks`` (its static method), ``extra`` the module's own
    ``module.exports.extra``; a name neither defines stays unresolved."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", MODULE_EXPORTS_DESTRUCTURED), languages=["javascript"]
    )
    calls = [row for row in _targets_by_line(tables) if row[1] not in ("require", "helper")]
    assert calls == [
        (2, "hooks", "lib/Plugin.Plugin.hooks", 1),
        (3, "extra", "lib/Plugin.extra", 4),
        (4, "missing", "unresolved:missing", None),
    ]


MODULE_EXPORTS_PROPERTIES = {
    "lib/Plugin.js": (
        "class Plugin { static hooks() {} }\n"
        "function helper() {}\n"  # private: no property of the module object
        "function makeError() {}\n"
        "const listen = () => {};\n"
        "module.exports = Plugin;\n"
        "module.exports.makeError = makeError;\n"
        "module.exports.on = listen;\n"  # the property `on` holds `listen`
        "exports.later = function () {};\n"  # `exports` is no longer the module object
    ),
    "lib/use.js": (
        'const Plugin = require("./Plugin");\n'
        'const { helper, makeError, on } = require("./Plugin");\n'
        "Plugin.helper();\n"  # 3: unresolved (was the private helper)
        "Plugin.makeError();\n"  # 4: makeError
        "Plugin.on();\n"  # 5: listen
        "Plugin.later();\n"  # 6: unresolved (exports.later sets a detached object)
        "Plugin.hooks();\n"  # 7: the static method
        "helper();\n"  # 8: unresolved
        "makeError();\n"  # 9: makeError
        "on();\n"  # 10: listen
    ),
}


def test_commonjs_module_object_properties_are_what_the_module_sets(tmp_path: Path) -> None:
    """A module that sets ``module.exports = Plugin`` exposes ``Plugin``'s members and the
    properties it sets on that object (``module.exports.f = g``, exported rows): ``X.f`` /
    ``const { f } = require(...)`` is one of those, never a top-level function the module
    keeps private (``helper``: a TypeError at run time), nor ``exports.f = function`` (Node's
    ``exports`` is then another object)."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", MODULE_EXPORTS_PROPERTIES), languages=["javascript"]
    )
    calls = [row[:3] for row in _targets_by_line(tables) if row[1] != "require" and row[0] >= 3]
    assert calls == [
        (3, "Plugin.helper", "unresolved:helper"),
        (4, "Plugin.makeError", "lib/Plugin.makeError"),
        (5, "Plugin.on", "lib/Plugin.listen"),
        (6, "Plugin.later", "unresolved:later"),
        (7, "Plugin.hooks", "lib/Plugin.Plugin.hooks"),
        (8, "helper", "unresolved:helper"),
        (9, "makeError", "lib/Plugin.makeError"),
        (10, "on", "lib/Plugin.listen"),
    ]


MODULE_EXPORTS_ALIASED = {
    "lib/Plugin.js": (
        "class Plugin {}\n"
        "function on() {}\n"  # private: the property `on` holds `listen`
        "function listen() {}\n"
        "module.exports = Plugin;\n"
        "module.exports.on = listen;\n"
    ),
    "lib/use.js": 'const Plugin = require("./Plugin");\nPlugin.on();\n',
}


def test_commonjs_module_property_of_another_name_is_its_value(tmp_path: Path) -> None:
    """``module.exports.on = listen`` in a module that also keeps a private ``on``: ``X.on()``
    is ``listen`` (the property's value), never the private ``on``."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", MODULE_EXPORTS_ALIASED), languages=["javascript"]
    )
    calls = [row[:3] for row in _targets_by_line(tables) if row[1] != "require"]
    assert calls == [(2, "Plugin.on", "lib/Plugin.listen")]


SUPER_THROUGH_REQUIRE = {
    "lib/dep.js": (
        "class Dep {}\nDep.Template = class DepTemplate { apply() {} };\nmodule.exports = Dep;\n"
    ),
    "lib/self.js": (
        "const Dep = require('./dep');\n"
        "class Self extends Dep {}\n"
        "Self.Template = class SelfTemplate extends (\n"
        "  Dep.Template\n"
        ") {\n"
        "  apply() { super.apply(); this.apply(); }\n"
        "  other() { super.other(); }\n"
        "};\n"
    ),
}


def test_super_through_a_required_parenthesized_base(tmp_path: Path) -> None:
    """``extends (Dep.Template)`` with ``Dep`` a ``require`` of a module whose ``module.exports``
    is ``Dep``: ``super.apply()`` is ``Dep.Template``'s ``apply``, ``this.apply()`` the own
    override; a name no base defines stays unresolved (never rule 5)."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", SUPER_THROUGH_REQUIRE), languages=["javascript"]
    )
    calls = [row for row in _targets_by_line(tables) if row[1] != "require"]
    assert calls == [
        (6, "super.apply", "lib/dep.Dep.Template.apply", 2),
        (6, "this.apply", "lib/self.Self.Template.apply", 6),
        (7, "super.other", "unresolved:other", None),
    ]
    assert (
        "TYPE_DECL:lib/self.Self.Template",
        "TYPE_DECL:lib/dep.Dep.Template",
        True,
    ) in described_edges(tables, "INHERITS_FROM")


JSDOC_RETURNS = {
    "lib/Hash.js": "class Hash { update() {} digest() {} }\nmodule.exports = Hash;\n",
    "lib/Other.js": "class Other { update() {} run() {} }\nmodule.exports = Other;\n",
    "lib/createHash.js": (
        '/** @typedef {import("./Hash")} Hash */\n'
        "/** @returns {Hash} the hash */\n"
        "module.exports = (algorithm) => algorithm;\n"
    ),
    "lib/use.js": (
        'const createHash = require("./createHash");\n'
        "/** @returns {Map<string, number>} a map */\n"
        "function makeMap() { return new Map(); }\n"
        "function plain() { return 1; }\n"
        "class User {\n"
        "  /** @returns {Promise<User>} a user */\n"
        "  async load() { return this; }\n"
        "  async run() {\n"
        '    const hash = createHash("md4");\n'
        "    hash.update();\n"
        '    createHash("x").update();\n'
        "    const m = makeMap();\n"
        "    m.digest();\n"
        "    const p = plain();\n"
        "    p.digest();\n"
        "    const u = await this.load();\n"
        "    u.run();\n"
        "  }\n"
        "}\n"
    ),
}


def test_javascript_jsdoc_returns_type_the_values_of_calls(tmp_path: Path) -> None:
    """A JSDoc ``@returns {Hash}`` is the return type of its function (resolved in the
    function's file: a ``@typedef {import("./Hash")} Hash``): ``const hash = createHash()``
    and ``createHash().update()`` are Hash's (``update`` is no unique name), ``await
    this.load()`` of a ``Promise<User>`` a User; a runtime type (``Map``) types the value too:
    ``m.digest()`` unresolved, never the one ``digest`` by rule 5; an undocumented function's
    value leaves the call to rule 5 as before."""
    tables = run_dataflow(write_repo(tmp_path / "repo", JSDOC_RETURNS), languages=["javascript"])
    calls = [
        row
        for row in _targets_by_line(tables)
        if row[0] > 8 and row[1] not in ("createHash", "makeMap", "plain", "this.load")
    ]
    assert calls == [
        (10, "hash.update", "lib/Hash.Hash.update", 1),
        (11, 'createHash("x").update', "lib/Hash.Hash.update", 1),
        (13, "m.digest", "unresolved:digest", None),
        (15, "p.digest", "lib/Hash.Hash.digest", 1),
        (17, "u.run", "lib/use.User.run", 8),
    ]


NEW_VALUE_MEMBERS = {
    "lib/plugins.js": (
        "class APlugin { apply() {} onlyHere() {} }\n"
        "class BPlugin { apply() {} }\n"
        "module.exports = { APlugin, BPlugin };\n"
    ),
    "lib/use.js": (
        'const { APlugin, BPlugin } = require("./plugins");\n'
        'const { Outside } = require("outside");\n'
        "new APlugin().apply();\n"
        "new BPlugin({ a: 1 }).apply();\n"
        "new Outside().onlyHere();\n"
        "function g(p) {\n"
        "  /** @type {BPlugin} */\n"
        "  (p).apply();\n"
        "}\n"
    ),
}


def test_javascript_member_call_on_a_new_value(tmp_path: Path) -> None:
    """``new APlugin().apply()`` is ``APlugin``'s ``apply`` (the name is not unique: rule 5
    finds nothing), ``/** @type {BPlugin} */ (p).apply()`` ``BPlugin``'s; on an instance of a
    class from outside the repository, unresolved (never the one ``onlyHere`` by rule 5)."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", NEW_VALUE_MEMBERS), languages=["javascript"]
    )
    calls = [row for row in _targets_by_line(tables) if row[1].startswith("new ")]
    assert calls == [
        (3, "new APlugin().apply", "lib/plugins.APlugin.apply", 1),
        (4, "new BPlugin({ a: 1 }).apply", "lib/plugins.BPlugin.apply", 2),
        (5, "new Outside().onlyHere", "unresolved:onlyHere", None),
    ]
    # a JSDoc cast of a parenthesized receiver: a BPlugin's
    assert [row for row in _targets_by_line(tables) if row[0] == 8] == [
        (8, "(p).apply", "lib/plugins.BPlugin.apply", 2)
    ]


GO_METHOD_NAMED_AS_A_TYPE = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "dns/message.go": """\
package dns

type Question struct{}

type Data struct{}

type Parser struct{}

func (p *Parser) Question() Question { return Question{} }

type Builder struct{}

func (b *Builder) Question() {}

func Use(p Parser, frames []Parser) {
	p.Question()
	for _, f := range frames {
		f.Data()
	}
	_ = Question(Question{})
}
""",
    "app/app.go": """\
package app

import "example.com/m/dns"

func Run(p dns.Parser) {
	p.Question()
	dns.Question(dns.Question{})
}
""",
}


def test_go_value_member_calls_never_guess_a_type_of_that_name(tmp_path: Path) -> None:
    """Go: ``p.Question()`` on a ``Parser`` is its method (rule 4a; two types have one) even
    where a ``type Question`` is the one repository type of that name, and ``f.Data()`` on a value of unknown type is no
    conversion to ``type Data`` (rule 5 guesses methods only); a conversion names the type
    bare or through its package (``dns.Question(...)``)."""
    repo = write_repo(tmp_path / "repo", GO_METHOD_NAMED_AS_A_TYPE)
    tables = run_dataflow(repo, languages=["go"])
    targets = [row for row in _targets_by_line(tables) if row[1] != "dns.Question{}"]
    assert targets == [
        (6, "p.Question", "dns.Parser.Question", 9),
        (7, "dns.Question", "dns.Question", 3),
        (16, "p.Question", "dns.Parser.Question", 9),
        (18, "f.Data", "unresolved:Data", None),
        (20, "Question", "dns.Question", 3),
    ]


GO_FOLDER_NAMED_AS_THE_STANDARD_LIBRARY = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "context/context.go": """\
package context

func Background() {}
""",
    "app/app.go": """\
package app

import "context"

func Run() {
	context.Background()
}
""",
    "app/own.go": """\
package app

import ctx "example.com/m/context"

func Own() {
	ctx.Background()
}
""",
}


def test_go_standard_library_import_never_names_a_folder_spelled_the_same(
    tmp_path: Path,
) -> None:
    """Go with a go.mod: import "context" is the standard library's, not the module's own
    ``context`` folder (whose import path is ``example.com/m/context``); no rule-5 guess on a
    head an import binds either."""
    repo = write_repo(tmp_path / "repo", GO_FOLDER_NAMED_AS_THE_STANDARD_LIBRARY)
    tables = run_dataflow(repo, languages=["go"])
    assert _edges_by_path(tables) == [
        ("app/app.go", 6, "context.Background", "unresolved:Background"),
        ("app/own.go", 6, "ctx.Background", "context.Background"),
    ]
    imports = tables["cpg_edges"].filter(pl.col("label") == "IMPORTS")["dst"].to_list()
    assert "unresolved:context (outside the repository)" in imports


GO_VALUES_OF_CALLS = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "conn/conn.go": """\
package conn

type Server struct{}

func (s *Server) Addr() {}

type Listener struct{}

func (l Listener) Addr() {}

type httpError struct{}

func (e *httpError) Timeout() bool { return false }

func Dial() (*Server, error) { return nil, nil }

func Sizes() []Listener { return nil }
""",
    "app/app.go": """\
package app

import (
	"net"

	"example.com/m/conn"
)

func Run() {
	ln, err := net.Listen("tcp", ":0")
	ln.Addr()
	e, ok := err.(net.Error)
	e.Timeout()
	d, _ := conn.Dial()
	d.Addr()
	lst := conn.Sizes(); lst.Addr()
	_ = ok
}
""",
}


def test_go_values_of_calls_and_type_assertions_type_their_first_name(tmp_path: Path) -> None:
    """Go: ``ln, err := net.Listen(...)`` binds ``ln`` to a value from outside the repository
    and ``e, ok := err.(net.Error)`` to an outside type: their methods stay unresolved, never
    rule 5's repository ``Addr`` / ``Timeout``; ``d, _ := conn.Dial()`` binds ``d`` to Dial's
    first result, ``func Dial() (*Server, error)``: a ``Server`` (two types have ``Addr``)."""
    repo = write_repo(tmp_path / "repo", GO_VALUES_OF_CALLS)
    tables = run_dataflow(repo, languages=["go"])
    assert [
        row for row in _targets_by_line(tables) if row[1].split(".")[0] in {"ln", "e", "d", "lst"}
    ] == [
        (11, "ln.Addr", "unresolved:Addr", None),
        (13, "e.Timeout", "unresolved:Timeout", None),
        (15, "d.Addr", "conn.Server.Addr", 5),
        (16, "lst.Addr", "unresolved:Addr", None),
    ]


GO_FIELD_CHAINS_AND_RESULTS = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "conn/conn.go": """\
package conn

type Server struct{}

func (s *Server) Shutdown() {}
func (s *Server) Flush()    {}
func (s *Server) Bytes()    {}

type Peer struct{}

func (p *Peer) Ping()                {}
func (p *Peer) CloseWithError(error) {}

func Pipe() (*Peer, *Server, error) { return nil, nil, nil }
""",
    "app/app.go": """\
package app

import (
	"io"
	"net/http"
	"net/http/httptest"

	"example.com/m/conn"
)

type Tester struct {
	ts    *httptest.Server
	inner *Inner
}

type Inner struct{ peer *conn.Peer }

func (t *Tester) Run(w http.ResponseWriter, f http.File) {
	t.ts.Config.Shutdown()
	t.inner.peer.Ping()
	w.(http.Flusher).Flush()
	conn.Peer{}.Ping()
	p, s, err := conn.Pipe()
	p.Ping()
	s.Shutdown()
	r, pw := io.Pipe()
	pw.CloseWithError(err)
	fi, _ := f.Stat()
	fi.Bytes()
	_ = r
}
""",
}


def test_go_field_chains_written_values_and_other_results(tmp_path: Path) -> None:
    """Go receivers rule 4a types beyond one name: fields followed hop by hop (``t.inner.peer``:
    a ``conn.Peer``; ``t.ts.Config``: a field of a type from outside the repository,
    unresolved, never rule 5's ``Shutdown``); a type assertion or a composite literal written as
    the receiver; the second of several names bound to a call's value (``s`` of ``p, s, err :=
    conn.Pipe()``: Pipe's second result; ``pw`` of ``io.Pipe()``: outside); the value of a
    method that rule 4a leaves to outside the repository (``f.Stat()`` of an ``http.File``)."""
    repo = write_repo(tmp_path / "repo", GO_FIELD_CHAINS_AND_RESULTS)
    tables = run_dataflow(repo, languages=["go"])
    assert [row for row in _targets_by_line(tables) if row[0] >= 19 and "." in row[1]] == [
        (19, "t.ts.Config.Shutdown", "unresolved:Shutdown", None),
        (20, "t.inner.peer.Ping", "conn.Peer.Ping", 11),
        (21, "w.(http.Flusher).Flush", "unresolved:Flush", None),
        (22, "conn.Peer{}.Ping", "conn.Peer.Ping", 11),
        (23, "conn.Pipe", "conn.Pipe", 14),
        (24, "p.Ping", "conn.Peer.Ping", 11),
        (25, "s.Shutdown", "conn.Server.Shutdown", 5),
        (26, "io.Pipe", "unresolved:Pipe", None),
        (27, "pw.CloseWithError", "unresolved:CloseWithError", None),
        (28, "f.Stat", "unresolved:Stat", None),
        (29, "fi.Bytes", "unresolved:Bytes", None),
    ]


GO_ELEMENTS = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "conn/conn.go": """\
package conn

type Peer struct{}

func (p *Peer) Ping() {}
func (p *Peer) Put()  {}

type Other struct{}

func (o *Other) Ping() {}
""",
    "app/app.go": """\
package app

import (
	"sync"

	"example.com/m/conn"
)

var pools = [...]sync.Pool{{}, {}}

func Run(peers []*conn.Peer, byName map[string]*conn.Peer) {
	for _, p := range peers {
		p.Ping()
	}
	q, ok := byName["a"]
	q.Ping()
	peers[0].Ping()
	pools[1].Put()
	_ = ok
}
""",
}


def test_go_range_variables_and_indexes_are_elements_of_the_container(tmp_path: Path) -> None:
    """Go: a range variable over a name declared ``[]*conn.Peer``, an index expression of a
    ``map[string]*conn.Peer`` and of a slice are ``conn.Peer`` values (two types have ``Ping``,
    rule 5 would guess none); an element of an array of ``sync.Pool`` is from outside the
    repository: ``Put`` unresolved, never rule 5's ``conn.Peer.Put``."""
    tables = run_dataflow(write_repo(tmp_path / "repo", GO_ELEMENTS), languages=["go"])
    assert [row for row in _targets_by_line(tables) if row[0] >= 12] == [
        (13, "p.Ping", "conn.Peer.Ping", 5),
        (16, "q.Ping", "conn.Peer.Ping", 5),
        (17, "peers[0].Ping", "conn.Peer.Ping", 5),
        (18, "pools[1].Put", "unresolved:Put", None),
    ]


GO_FIELDS_ACROSS_FILES = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "app/types.go": """\
package app

import (
	"bufio"
	"net/http/httptest"
)

type Peer struct{}

func (p *Peer) Ping()     {}
func (p *Peer) Buffered() {}
func (p *Peer) Name()     {}
func (p *Peer) Addr()     {}

type Tester struct {
	ts   *httptest.Server
	peer *Peer
	*bufio.Reader
}

func newTester() *Tester { return nil }
""",
    "app/run.go": """\
package app

import "os"

func Run(f *os.File) {
	t := newTester()
	t.peer.Ping()
	t.ts.Listener.Addr()
	t.Reader.Buffered()
	p := &t.peer
	p.Ping()
	all, _ := f.Readdir(-1)
	for _, fi := range all {
		fi.Name()
	}
}
""",
}


def test_go_struct_fields_type_field_hops_from_other_files(tmp_path: Path) -> None:
    """Go field hops read the struct's fields wherever it is declared (symbols' ``fields``):
    ``t.peer`` of a ``Tester`` declared in another file is a ``Peer``; ``t.ts`` an
    ``httptest.Server`` and the embedded ``*bufio.Reader`` are from outside the repository,
    their members unresolved, never rule 5's ``Peer.Addr`` / ``Peer.Buffered``; ``p :=
    &t.peer`` has the field's type; a range over the value of an outside method (``f.Readdir``
    of an ``*os.File``) gives outside elements (``fi.Name()`` unresolved)."""
    tables = run_dataflow(write_repo(tmp_path / "repo", GO_FIELDS_ACROSS_FILES), languages=["go"])
    assert [row for row in _targets_by_line(tables) if "." in row[1]] == [
        (7, "t.peer.Ping", "app.Peer.Ping", 10),
        (8, "t.ts.Listener.Addr", "unresolved:Addr", None),
        (9, "t.Reader.Buffered", "unresolved:Buffered", None),
        (11, "p.Ping", "app.Peer.Ping", 10),
        (12, "f.Readdir", "unresolved:Readdir", None),
        (14, "fi.Name", "unresolved:Name", None),
    ]


JSDOC_TYPES = {
    "lib/util/Hash.js": "class Hash { update() {} }\nmodule.exports = Hash;\n",
    "lib/other.js": "class Other { update() {} }\nmodule.exports = Other;\n",
    "lib/a.js": (
        '/** @typedef {import("./util/Hash")} Hash */\n'
        "class A {\n"
        "  /** @param {Hash} hash a hash */\n"
        "  run(hash, other) { hash.update(); other.update(); }\n"
        "  constructor() {\n"
        "    /** @type {Hash | undefined} */\n"
        "    this.hash = undefined;\n"
        "  }\n"
        "  later() { this.hash.update(); }\n"
        "}\n"
    ),
}


def test_jsdoc_parameter_types_resolve_member_calls(tmp_path: Path) -> None:
    """A parameter's JSDoc ``@param {Hash}`` (or a field's ``@type {Hash}``) with ``Hash`` a
    ``@typedef`` of a module's ``import()`` types the receiver (rule 4a): ``hash.update()`` is
    Hash's although two classes define ``update``; an undocumented parameter's stays
    unresolved."""
    tables = run_dataflow(write_repo(tmp_path / "repo", JSDOC_TYPES), languages=["javascript"])
    assert described_edges(tables, "CALLS") == [
        ("CALL:hash.update", "METHOD:lib/util/Hash.Hash.update", True),
        ("CALL:other.update", "unresolved:update", False),
        ("CALL:this.hash.update", "METHOD:lib/util/Hash.Hash.update", True),
    ]


# ---- Java resolution fixes found by the javac oracle (bench/JavaResolve.java) ----
JAVA_LANG_RECEIVERS = (
    "package app;\n"
    "class Text {\n"
    "    void append(String s) {}\n"
    "    int charAt(int i) { return 0; }\n"
    "    boolean isUpperCase(char c) { return false; }\n"
    "    void run(StringBuilder sb, String name, Object[] a, Object x) {\n"
    "        sb.append(name);\n"  # 7: StringBuilder's (java.lang), never Text.append
    "        name.charAt(0);\n"  # 8: String's
    "        Character.isUpperCase('a');\n"  # 9: a static call into java.lang
    "        a.getClass();\n"  # 10: Object's, on an array
    "        x.charAt(1);\n"  # 11: unknown receiver, but a String method name: no guess
    "        helper.isUpperCase('b');\n"  # 12: unknown receiver: rule 5 as before
    "    }\n"
    "}\n"
)


def test_java_lang_types_and_methods_are_from_outside(tmp_path: Path) -> None:
    """A receiver declared with a java.lang type (`StringBuilder sb`), a static call on one
    (`Character.isUpperCase`) and a method every Object or String has (`a.getClass()`,
    `x.charAt()`) name the platform's method, never the repository's only method of that name
    (javac: `sb.append` on java/util went to `regex.Pattern.append` 420 times)."""
    repo = write_repo(tmp_path / "repo", {"src/app/Text.java": JAVA_LANG_RECEIVERS})
    resolved = _resolved_by_line(run_dataflow(repo, languages=["java"]))
    assert resolved[(7, "sb.append")] == "unresolved:append"
    assert resolved[(8, "name.charAt")] == "unresolved:charAt"
    assert resolved[(9, "Character.isUpperCase")] == "unresolved:isUpperCase"
    assert resolved[(10, "a.getClass")] == "unresolved:getClass"
    assert resolved[(11, "x.charAt")] == "unresolved:charAt"
    assert resolved[(12, "helper.isUpperCase")] == "app.Text.isUpperCase"


JAVA_OWN_OVERLOADS_HIDE_THE_BASE = (
    "package app;\n"
    "class Base {\n"
    "    boolean add(Object e) { return true; }\n"
    "    void clear() {}\n"
    "}\n"
    "class Listing extends Base {\n"
    "    boolean add(Object e) { return false; }\n"
    "    boolean add(String e) { return false; }\n"
    "    void add(int i, Object e) {}\n"
    "}\n"
    "class User {\n"
    "    void use(Listing root) {\n"
    "        root.add(1);\n"  # 13: one of Listing's two 1-argument overloads, never Base.add
    "        root.clear();\n"  # 14: inherited, one definition
    "        root.add(0, 1);\n"  # 15: Listing's one 2-argument add
    "    }\n"
    "}\n"
)


def test_java_own_overloads_stop_the_walk_to_the_base(tmp_path: Path) -> None:
    """A type that declares several methods of a name that can take the call's arguments
    calls one of them (or a base's, as the argument types pick): unresolved, never the base's
    by the walk past the type (javac: `root.add(e)` on an AbstractList went to
    AbstractCollection.add); the one that can take them is the target."""
    repo = write_repo(tmp_path / "repo", {"src/app/Listing.java": JAVA_OWN_OVERLOADS_HIDE_THE_BASE})
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert (13, "root.add", "unresolved:add", None) in targets
    assert (14, "root.clear", "app.Base.clear", 4) in targets
    assert (15, "root.add", "app.Listing.add", 9) in targets


JAVA_NESTED_CLASSES_OF_ONE_NAME = {
    "src/app/Other.java": (
        "package app;\n"
        "class Other {\n"
        "    class Values { Values(int n) {} }\n"  # the only constructor named Values
        "}\n"
    ),
    "src/app/Mine.java": (
        "package app;\n"
        "class Mine {\n"
        "    class Values {}\n"  # no constructor: `new Values()` targets the class
        "    Object make() { return new Values(); }\n"  # 4: Mine.Values
        "}\n"
    ),
}


def test_java_constructor_is_no_short_name_candidate(tmp_path: Path) -> None:
    """`new Values()` names the class in scope (without a constructor: its TYPE_DECL), never
    another file's `Values` constructor that a repository-wide unique short name would give
    (javac: EnumMap's `new Values()` went to ConcurrentSkipListMap.Values.Values)."""
    repo = write_repo(tmp_path / "repo", JAVA_NESTED_CLASSES_OF_ONE_NAME)
    resolved = _resolved_by_line(run_dataflow(repo, languages=["java"]))  # Mine's calls only
    assert resolved[(4, "Values")] == "app.Mine.Values"


GO_DEFINED_TYPES = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "bpf/bpf.go": """\
package bpf

type Register uint16

func (r Register) String() string { return "" }

type nodeStack []int

func (s *nodeStack) pop() {}

type queue []int

func (q *queue) pop() {}

type Shape interface{ Area() int }

type Op struct{}

func (o Op) String() string { return "" }

func Use(x int, st nodeStack, v any) {
	Register(x).String()
	r := Register(x)
	r.String()
	st.pop()
	Shape(v).Area()
}
""",
}


def test_go_conversions_and_methods_of_named_non_struct_types(tmp_path: Path) -> None:
    """Go: ``Register(x)`` of ``type Register uint16`` is a conversion, its CALLS edge the type;
    a value of it (``r := Register(x)``, ``Register(x).String()``) and a parameter of a
    ``type nodeStack []int`` are typed by it: their methods resolve (``pop`` and ``String``
    are not unique, so no rule-5 guess could); an interface conversion ``Shape(v)`` is the interface type."""
    repo = write_repo(tmp_path / "repo", GO_DEFINED_TYPES)
    tables = run_dataflow(repo, languages=["go"])
    assert _targets_by_line(tables) == [
        (22, "Register", "bpf.Register", 3),
        (22, "Register(x).String", "bpf.Register.String", 5),
        (23, "Register", "bpf.Register", 3),
        (24, "r.String", "bpf.Register.String", 5),
        (25, "st.pop", "bpf.nodeStack.pop", 9),
        (26, "Shape", "bpf.Shape", 15),
        (26, "Shape(v).Area", "bpf.Shape.Area", 15),
    ]


JAVA_CALL_VALUES = {
    "src/app/Cal.java": (
        "package app;\n"
        "import sun.util.calendar.BaseCalendar;\n"
        "class Cal {\n"
        "    BaseCalendar.Date normalize() { return null; }\n"
        "    Cal self() { return this; }\n"
        "    int getYear() { return 0; }\n"
        "    int getMonth() { return 0; }\n"
        "    void use() {\n"
        "        normalize().getYear();\n"  # 9: BaseCalendar.Date's (outside), never Cal's
        "        self().getMonth();\n"  # 10: Cal.getMonth, by self()'s return type
        "    }\n"
        "}\n"
    ),
    "src/app/Other.java": "package app;\nclass Other { int getMonth() { return 1; } }\n",
}


def test_java_member_call_on_a_call_value_is_typed_by_the_return_type(tmp_path: Path) -> None:
    """`f().g()` calls g of f's declared return type (rule 4a): a type from outside the
    repository leaves it unresolved (javac: Date's `normalize().getMonth()` is
    sun.util.calendar's, not java.util.Date.getMonth), a repository type finds its member
    where the short name alone is not unique."""
    resolved = _resolved_by_line(
        run_dataflow(write_repo(tmp_path / "repo", JAVA_CALL_VALUES), languages=["java"])
    )
    assert resolved[(9, "normalize().getYear")] == "unresolved:getYear"
    assert resolved[(10, "self().getMonth")] == "app.Cal.getMonth"


JAVA_IMPLICIT_THIS_INHERITED = (
    "package app;\n"
    "class Queue {\n"
    "    boolean hasQueued() { return false; }\n"
    "    void sizeOf() {}\n"
    "}\n"
    "class Lock {\n"
    "    boolean hasQueued() { return true; }\n"
    "    void lock() { hasQueued(); }\n"  # 8: Lock's own
    "    static class Sync extends Queue {\n"
    "        void acquire() { hasQueued(); }\n"  # 10: Queue's, inherited, before Lock's
    "        void count() { sizeOf(); }\n"  # 11: Queue's, inherited
    "    }\n"
    "}\n"
)


def test_java_bare_names_find_inherited_members_before_outer_classes(tmp_path: Path) -> None:
    """A bare `f()` is `this.f()` when the enclosing class has an `f`, declared or inherited
    (JLS 15.12.1: the innermost class with a member of that name): a base's `f` is found as
    `this.f` finds it, and it wins over an outer class's `f` (javac: `hasQueuedThreads()` in
    ReentrantLock.Sync is AbstractQueuedSynchronizer's, not ReentrantLock's)."""
    repo = write_repo(tmp_path / "repo", {"src/app/Lock.java": JAVA_IMPLICIT_THIS_INHERITED})
    resolved = _resolved_by_line(run_dataflow(repo, languages=["java"]))
    assert resolved[(8, "hasQueued")] == "app.Lock.hasQueued"
    assert resolved[(10, "hasQueued")] == "app.Queue.hasQueued"
    assert resolved[(11, "sizeOf")] == "app.Queue.sizeOf"


JAVA_OUTER_CLASS_INHERITED = (
    "package app;\n"
    "class Base {\n"
    "    boolean has(Object o) { return false; }\n"  # 3
    "    static int hash(Object o) { return 0; }\n"  # 4
    "    void f() {}\n"  # 5
    "}\n"
    "class Outer extends Base {\n"
    "    void f(int x) {}\n"  # 8
    "    void f(String s) {}\n"  # 9
    "    class Inner {\n"
    "        boolean in(Object o) { return has(o); }\n"  # 11: Base.has, Outer's by inheritance
    "        int h(Object o) { return hash(o); }\n"  # 12: Base.hash
    "        void g() { f(); }\n"  # 13: Base.f, past Outer's own f(int) and f(String)
    "        void k() { f(1); }\n"  # 14: Outer.f(int)
    "    }\n"
    "    void m() {\n"
    "        Runnable r = new Runnable() {\n"
    "            public void run() { has(null); }\n"  # 18: Base.has, the anonymous class's outer
    "        };\n"
    "    }\n"
    "}\n"
    "class Other {\n"
    "    boolean has(Object o) { return true; }\n"
    "    class In extends Base {\n"
    "        boolean in(Object o) { return has(o); }\n"  # 25: Base.has, its own base's first
    "    }\n"
    "}\n"
)


def test_java_bare_names_find_an_outer_class_inherited_member(tmp_path: Path) -> None:
    """A bare `f()` that neither its class nor that class's bases define is the `f` of the
    innermost enclosing class with a member `f` (JLS 15.12.1), an inherited one too, of the
    call's argument count (javac: `containsKey(o)` in LinkedHashMap's key set is HashMap's;
    `f()` past Outer's own `f(int)` is its base's `f()`); was unresolved."""
    repo = write_repo(tmp_path / "repo", {"src/app/Outer.java": JAVA_OUTER_CLASS_INHERITED})
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert [row for row in targets if row[1] in ("has", "hash", "f")] == [
        (11, "has", "app.Base.has", 3),
        (12, "hash", "app.Base.hash", 4),
        (13, "f", "app.Base.f", 5),
        (14, "f", "app.Outer.f", 8),
        (18, "has", "app.Base.has", 3),
        (25, "has", "app.Base.has", 3),
    ]


JAVA_INTERFACE_STATICS_NOT_INHERITED = (
    "package app;\n"
    "interface I {\n"
    "    static void f() {}\n"  # 3
    "    default void g() {}\n"  # 4
    "    static void h() {}\n"  # 5
    "}\n"
    "interface J extends I {}\n"
    "class Outer {\n"
    "    void f() {}\n"  # 9
    "    static void h() {}\n"  # 10
    "    class Inner implements J {\n"
    "        void m() {\n"
    "            f();\n"  # 13: Outer.f: I's static f is no member of Inner
    "            g();\n"  # 14: I.g, a default method, inherited through J
    "            h();\n"  # 15: Outer.h
    "            I.f();\n"  # 16: I.f, through the interface's name
    "        }\n"
    "    }\n"
    "}\n"
)


def test_java_interface_static_methods_are_not_inherited(tmp_path: Path) -> None:
    """A class or interface inherits no static method of its superinterfaces (JLS 8.4.8,
    9.4.1): the base walk passes them, so a bare `f()` in a class implementing `I` with a
    `static f()` is an outer class's `f` (javac), no longer `I.f` (a wrong edge); `I.f()`
    names it, and a default method is inherited as before."""
    repo = write_repo(
        tmp_path / "repo", {"src/app/Outer.java": JAVA_INTERFACE_STATICS_NOT_INHERITED}
    )
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert targets == [
        (13, "f", "app.Outer.f", 9),
        (14, "g", "app.I.g", 4),
        (15, "h", "app.Outer.h", 10),
        (16, "I.f", "app.I.f", 3),
    ]


JAVA_INTERFACE_STATICS_BESIDE_INSTANCE_METHODS = (
    "package app;\n"
    "interface I { static void f() {} default void f(int x) {} static void s(String a) {} }\n"
    "class B { void s(Object o) {} void s(int a, int b) {} }\n"
    "class C extends B implements I {\n"
    '    void r() { f(1); s("x"); }\n'
    "}\n"
)


def test_java_interface_statics_are_passed_by_method_not_by_name(tmp_path: Path) -> None:
    """Only a name whose methods are all static is passed: I's default `f(int)` beside its
    static `f()` is inherited, so `f(1)` is I.f; I's static `s(String)` is no overload
    candidate of `s("x")` beside B's `s(Object)` (javac: B.s)."""
    repo = write_repo(
        tmp_path / "repo", {"src/app/All.java": JAVA_INTERFACE_STATICS_BESIDE_INSTANCE_METHODS}
    )
    assert _targets_by_line(run_dataflow(repo, languages=["java"])) == [
        (5, "f", "app.I.f", 2),
        (5, "s", "app.B.s", 3),
    ]


JAVA_INTERFACE_STATIC_NO_OVERLOAD_CANDIDATE = (
    "package app;\n"
    "interface I { static void s(String a) {} }\n"
    "class B { void s(Object o) {} }\n"
    "class C extends B implements I {\n"
    "    void s(int a) {}\n"
    '    void r() { s("x"); s(1); }\n'
    "}\n"
)


def test_java_interface_static_is_no_overload_candidate(tmp_path: Path) -> None:
    """The argument types' candidates pass an interface's static methods as the base walk
    does: `s("x")` is B's `s(Object)`, not I's static `s(String)` (javac); `s(1)` is C's."""
    repo = write_repo(
        tmp_path / "repo", {"src/app/All.java": JAVA_INTERFACE_STATIC_NO_OVERLOAD_CANDIDATE}
    )
    assert _targets_by_line(run_dataflow(repo, languages=["java"])) == [
        (6, "s", "app.B.s", 3),
        (6, "s", "app.C.s", 5),
    ]


JAVA_THIS_CONSTRUCTOR_CALL = (
    "package app;\n"
    "class Box {\n"
    "    Box() { this(1); }\n"  # 3: Box(int), the one constructor taking one argument
    "    Box(int n) {}\n"
    "    Box(String s, int n) { this(s.length()); }\n"  # 5: Box(int) too
    "    Box(int a, int b) { this(a, b + 1); }\n"  # 6: two take two: the class
    "}\n"
)


def test_java_this_constructor_call_names_its_class(tmp_path: Path) -> None:
    """`this(...)` in a constructor calls another constructor of the enclosing class: a
    constructor call of that class (overloaded constructors: the one that can take the
    arguments, else the class, as for `new Box()`)."""
    repo = write_repo(tmp_path / "repo", {"src/app/Box.java": JAVA_THIS_CONSTRUCTOR_CALL})
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert (3, "this", "app.Box.Box", 4) in targets
    assert (5, "this", "app.Box.Box", 4) in targets
    assert (6, "this", "app.Box", 2) in targets


JAVA_OVERLOADS_BY_ARITY = (
    "package app;\n"
    "class Util {\n"
    "    static int[] copy(int[] a) { return a; }\n"
    "    static int[] copy(int[] a, int n) { return a; }\n"
    "    static void log(String format, Object... args) {}\n"
    "    static void log(String message) {}\n"
    "    static void all(Object... args) {}\n"
    "    static void all(int a, int b) {}\n"
    "    Util() {}\n"
    "    Util(int n) {}\n"
    "}\n"
    "class Use {\n"
    "    void run(int[] xs) {\n"
    "        Util.copy(xs);\n"  # 14: copy(int[])
    "        Util.copy(xs, 2);\n"  # 15: copy(int[], int)
    "        Util.copy(xs, 2, 3);\n"  # 16: none takes three: unresolved
    '        Util.log("a", 1, 2);\n'  # 17: only the varargs one takes three
    '        Util.log("a");\n'  # 18: both take one; javac's first phase: log(String) alone
    "        Util.all();\n"  # 19: the varargs one, with no argument
    "        Util.all(1, 2);\n"  # 20: both take two; javac's first phase: all(int, int)
    "        new Util(3);\n"  # 21: Util(int)
    "        new Util();\n"  # 22: Util()
    "        Util.all(this, 2);\n"  # 23: both take two, `this` of no known type: unresolved
    "    }\n"
    "}\n"
)


def test_java_overloads_resolve_by_the_argument_count(tmp_path: Path) -> None:
    """A name that reaches several methods of one type (Java overloads) calls the one that can
    take the call's number of arguments (a varargs `f(T...)`: any number from its parameter
    count minus one), unresolved when none can; where several can, the argument types pick
    (`log("a")`: javac's first phase takes the fixed-arity one), unresolved when they are not
    known (`all(this, 2)`); constructors alike."""
    repo = write_repo(tmp_path / "repo", {"src/app/Util.java": JAVA_OVERLOADS_BY_ARITY})
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert sorted(targets) == [
        (14, "Util.copy", "app.Util.copy", 3),
        (15, "Util.copy", "app.Util.copy", 4),
        (16, "Util.copy", "unresolved:copy", None),
        (17, "Util.log", "app.Util.log", 5),
        (18, "Util.log", "app.Util.log", 6),
        (19, "Util.all", "app.Util.all", 7),
        (20, "Util.all", "app.Util.all", 8),
        (21, "Util", "app.Util.Util", 10),
        (22, "Util", "app.Util.Util", 9),
        (23, "Util.all", "unresolved:all", None),
    ]


JAVA_INHERITED_OVERLOAD = (
    "package app;\n"
    "class Base {\n"
    "    Object iterator() { return null; }\n"
    "    Object iterator(int index) { return null; }\n"
    "}\n"
    "class Sub extends Base {\n"
    "    Object iterator(int index) { return null; }\n"  # overrides one overload only
    "    void use(Sub other) {\n"
    "        iterator();\n"  # 9: Base.iterator(), the one that takes no argument
    "        this.iterator();\n"  # 10: likewise
    "        iterator(1);\n"  # 11: Sub's override
    "        other.iterator(2);\n"  # 12: a declared Sub: Sub's override
    "        other.missing(1);\n"  # 13: no method of the name: unresolved
    "    }\n"
    "    void one(int a) {}\n"
    "    void two() { one(); }\n"  # 16: one(int) cannot take no argument: unresolved
    "}\n"
)


def test_java_an_override_of_another_arity_is_no_candidate(tmp_path: Path) -> None:
    """A type's method that cannot take the call's arguments is no target: a base's overload
    of the name that can is (`listIterator()` in AbstractList.SubList, which overrides
    `listIterator(int)` only, is AbstractList's); none: unresolved."""
    repo = write_repo(tmp_path / "repo", {"src/app/Sub.java": JAVA_INHERITED_OVERLOAD})
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert sorted(targets) == [
        (9, "iterator", "app.Base.iterator", 3),
        (10, "this.iterator", "app.Base.iterator", 3),
        (11, "iterator", "app.Sub.iterator", 7),
        (12, "other.iterator", "app.Sub.iterator", 7),
        (13, "other.missing", "unresolved:missing", None),
        (16, "one", "unresolved:one", None),
    ]


JAVA_INHERITED_STATIC_PAST_ANOTHER_ARITY = (
    "package app;\n"
    "class A {\n"
    "    static void f() {}\n"  # 3
    "    void g() {}\n"  # 4
    "    static void h(int a, int b) {}\n"
    "}\n"
    "class B extends A {\n"
    "    void f(int x) {}\n"  # 8: takes one argument, not none
    "    void g(int x) {}\n"
    "    void h(int x) {}\n"
    "    void use(B b) {\n"
    "        B.f();\n"  # 12: A.f(), inherited, static (javac)
    "        app.B.f();\n"  # 13: likewise
    "        b.f();\n"  # 14: likewise, through a declared B
    "        this.f();\n"  # 15
    "        f();\n"  # 16
    "        b.g();\n"  # 17: A.g(), an instance method alike
    "        this.g();\n"  # 18
    "        B.h();\n"  # 19: no h of B or A takes no argument: unresolved
    "    }\n"
    "    static void make() { B.f(); }\n"  # 21: A.f()
    "}\n"
    "class C {\n"
    "    void use() { B.f(); app.B.f(); }\n"  # 24: A.f() twice
    "}\n"
)


def test_java_a_call_through_a_class_name_walks_to_the_base_method_of_the_arity(
    tmp_path: Path,
) -> None:
    """`B.f()` where B's own `f(int)` cannot take no argument is the `static f()` B inherits
    from A (javac: a class's member methods are its own and its inherited ones, JLS
    15.12.2.1), as `b.f()`, `this.f()` and `f()` are; none of the class or its bases: unresolved
    (every line but 19 as javac attributes it, ``bench/JavaResolve.java``)."""
    repo = write_repo(
        tmp_path / "repo", {"src/app/B.java": JAVA_INHERITED_STATIC_PAST_ANOTHER_ARITY}
    )
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert sorted(targets) == [
        (12, "B.f", "app.A.f", 3),
        (13, "app.B.f", "app.A.f", 3),
        (14, "b.f", "app.A.f", 3),
        (15, "this.f", "app.A.f", 3),
        (16, "f", "app.A.f", 3),
        (17, "b.g", "app.A.g", 4),
        (18, "this.g", "app.A.g", 4),
        (19, "B.h", "unresolved:h", None),
        (21, "B.f", "app.A.f", 3),
        (24, "B.f", "app.A.f", 3),
        (24, "app.B.f", "app.A.f", 3),
    ]


JAVA_VARIABLE_NAMED_LIKE_A_CLASS = (
    "package app;\n"
    "class A { static void f() {} }\n"  # 2
    "class B extends A { void f(int x) {} }\n"  # 3
    "class C { void f() {} }\n"  # 4
    "class Use {\n"
    "    static C B = new C();\n"
    "    void field() { B.f(); }\n"  # 7
    "    void local() { C B = new C(); B.f(); }\n"  # 8
    "    void param(C B) { B.f(); }\n"  # 9
    "    void loop(java.util.List<C> cs) { for (C B : cs) { B.f(); } }\n"  # 10
    "    void klass() { app.B.f(); }\n"  # 11
    "}\n"
)


def test_java_a_variable_named_like_a_class_is_no_class_name(tmp_path: Path) -> None:
    """A field, local, parameter or loop variable `B` obscures the class `B` (JLS 6.4.2):
    `B.f()` is the variable's type's `f` (javac: C.f on lines 7-10), never the base method a
    walk from the class B would find (review r21a F1: it was app.A.f); through the qualified
    name the class is meant (line 11)."""
    repo = write_repo(tmp_path / "repo", {"src/app/Use.java": JAVA_VARIABLE_NAMED_LIKE_A_CLASS})
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert sorted(targets) == [
        (6, "C", "app.C", 4),
        (7, "B.f", "app.C.f", 4),
        (8, "B.f", "app.C.f", 4),
        (8, "C", "app.C", 4),
        (9, "B.f", "app.C.f", 4),
        (10, "B.f", "app.C.f", 4),
        (11, "app.B.f", "app.A.f", 2),
    ]


JAVA_QUALIFIED_THIS = (
    "package app;\n"
    "class Base { void reset() {} }\n"
    "class Outer extends Base {\n"
    "    void set(int i) {}\n"
    "    class Inner {\n"
    "        void set(int i) {}\n"
    "        void run() {\n"
    "            Outer.this.set(1);\n"  # 8: Outer's set, not Inner's
    "            Outer.this.reset();\n"  # 9: inherited by Outer
    "            app.Outer.this.set(2);\n"  # 10: the qualifier's last segment names the class
    "            this.set(3);\n"  # 11: Inner's own
    "            Missing.this.set(4);\n"  # 12: no class around of that name: unresolved
    "        }\n"
    "    }\n"
    "}\n"
)


def test_java_qualified_this_is_this_of_the_named_enclosing_class(tmp_path: Path) -> None:
    """`Outer.this.f()` is `this.f()` in the enclosing class `Outer` (JLS 15.8.4: javac's
    `AbstractList.this.set` in an inner iterator is AbstractList's `set`), its inherited
    members too; a qualifier naming no enclosing class leaves the call unresolved."""
    repo = write_repo(tmp_path / "repo", {"src/app/Outer.java": JAVA_QUALIFIED_THIS})
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert sorted(targets) == [
        (8, "Outer.this.set", "app.Outer.set", 4),
        (9, "Outer.this.reset", "app.Base.reset", 2),
        (10, "app.Outer.this.set", "app.Outer.set", 4),
        (11, "this.set", "app.Outer.Inner.set", 6),
        (12, "Missing.this.set", "unresolved:set", None),
    ]


JAVA_OVERLOADED_CALL_VALUES = (
    "package app;\n"
    "class Day { int year() { return 0; } }\n"
    "class Era { int year() { return 1; } }\n"
    "class Cal {\n"
    "    Day normalize() { return null; }\n"
    "    Day normalize(Day d) { return d; }\n"
    "    Day pick() { return null; }\n"
    "    Era pick(int n) { return null; }\n"
    "    void use() {\n"
    "        normalize().year();\n"  # 10: both overloads return Day: Day.year
    "        pick().year();\n"  # 11: Day or Era, as the arguments pick: unresolved
    "        pick(2).year();\n"  # 12: likewise (its call sites name two methods)
    "    }\n"
    "}\n"
)


def test_java_a_call_value_of_overloads_returning_one_type(tmp_path: Path) -> None:
    """A member call on a call's value is typed by the callee's return type (rule 4a); an
    overloaded callee types it when all its overloads return one type (whichever the
    arguments pick), never when they differ (the receiver does not record their count, and
    the call sites of `pick` in the file name two methods)."""
    repo = write_repo(tmp_path / "repo", {"src/app/Cal.java": JAVA_OVERLOADED_CALL_VALUES})
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert (10, "normalize().year", "app.Day.year", 2) in targets
    assert (11, "pick().year", "unresolved:year", None) in targets
    assert (12, "pick(2).year", "unresolved:year", None) in targets


JAVA_SAME_PACKAGE_TYPES = {
    "src/app/Box.java": (
        "package app;\n"
        "class Box {\n"
        "    Object make() { return new ArrayList(); }\n"  # 3: app.ArrayList, the package's
        "}\n"
    ),
    "src/app/ArrayList.java": "package app;\nclass ArrayList { }\n",
    "src/app/Arrays.java": "package app;\nclass Arrays { private static class ArrayList { } }\n",
    "src/other/ArrayList.java": "package other;\nclass ArrayList { }\n",
    "src/other/Use.java": (
        "package other;\n"
        "class Use {\n"
        "    Object make() { return new ArrayList(); }\n"  # 3: other.ArrayList
        "}\n"
    ),
}


def test_java_bare_type_names_see_their_package(tmp_path: Path) -> None:
    """A bare type name sees the top-level types of its package (JLS 6.4.1: the folder), not
    another package's nor a nested type of another class (`new ArrayList<>()` in
    Collections.java is java.util's ArrayList, not Arrays.ArrayList)."""
    repo = write_repo(tmp_path / "repo", JAVA_SAME_PACKAGE_TYPES)
    edges = _edges_by_path(run_dataflow(repo, languages=["java"]))
    assert ("src/app/Box.java", 3, "ArrayList", "app.ArrayList") in edges
    assert ("src/other/Use.java", 3, "ArrayList", "other.ArrayList") in edges


JAVA_ANONYMOUS_CLASSES = (
    "package app;\n"
    "interface Cursor { boolean next(); }\n"
    "abstract class Task { abstract void run(); }\n"
    "class Make {\n"
    "    Cursor cursor() { return new Cursor() { public boolean next() { return false; } }; }\n"
    "    Task task() { return new Task() { void run() {} }; }\n"
    "}\n"
)


def test_java_anonymous_classes_name_their_interface_or_class(tmp_path: Path) -> None:
    """`new Cursor() { ... }` creates an anonymous class implementing the interface: the
    interface's TYPE_DECL (javac's symbol), as `new Task() { ... }` names its class."""
    repo = write_repo(tmp_path / "repo", {"src/app/Make.java": JAVA_ANONYMOUS_CLASSES})
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert (5, "Cursor", "app.Cursor", 2) in targets
    assert (6, "Task", "app.Task", 3) in targets


JAVA_SUPER_PAST_ANOTHER_ARITY = (
    "package app;\n"
    "class Coll { boolean addAll(Coll c) { return true; } }\n"
    "abstract class Set extends Coll { abstract void addAll(); }\n"
    "class Bits extends Set {\n"
    "    void addAll() {}\n"
    "    boolean addAll(Coll c) { return super.addAll(c); }\n"  # 6: Coll's, past Set's addAll()
    "    void fill() { super.addAll(); }\n"  # 7: Set's
    "}\n"
)


def test_java_the_base_walk_passes_a_type_of_another_arity(tmp_path: Path) -> None:
    """The walk over base types passes a type none of whose methods of the name can take the
    call's arguments (javac: `super.addAll(c)` in RegularEnumSet is AbstractCollection's, past
    EnumSet's `addAll()`)."""
    repo = write_repo(tmp_path / "repo", {"src/app/Bits.java": JAVA_SUPER_PAST_ANOTHER_ARITY})
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert (6, "super.addAll", "app.Coll.addAll", 2) in targets
    assert (7, "super.addAll", "app.Set.addAll", 3) in targets


FIELDS_TS = {
    "src/node.ts": """\
import { Outside } from "outside";
export class Node {
  origin(): void {}
  strayNot(): void {}
}
export class Other {
  stray(): void {}
}
export class Holder {
  node: Node;
  maybe?: Node | undefined;
  made = new Node();
  foreign: Outside;
  plain = 1;
  constructor(private readonly param: Node) {}
}
export class Sub extends Holder {}
""",
    "src/use.ts": """\
import { Holder, Sub } from "./node";
export function run(holder: Holder, sub: Sub): void {
  holder.node.origin();
  holder.maybe.origin();
  holder.made.origin();
  holder.param.origin();
  sub.node.origin();
  holder.node.stray();
  holder.foreign.stray();
  holder.plain.stray();
}
export class Child extends Holder {
  go(): void {
    this.node.origin();
    this.foreign.stray();
  }
}
""",
}

FIELDS_JS = {
    "lib/node.js": """\
class Node {
  origin() {}
}
class Other {
  stray() {}
}
class Holder {
  constructor() {
    /** @type {Node} */
    this.node = undefined;
    this.made = new Node();
    this.plain = 1;
  }
}
module.exports = { Node, Other, Holder };
""",
    "lib/use.js": """\
const { Holder } = require("./node");
/** @param {Holder} holder */
function run(holder) {
  holder.node.origin();
  holder.made.origin();
  holder.node.stray();
  holder.plain.stray();
}
class Child extends Holder {
  go() {
    this.made.origin();
  }
}
module.exports = run;
""",
}


def test_typescript_field_hops_read_fields_declared_in_another_file_or_a_base(
    tmp_path: Path,
) -> None:
    """``x.y.f()`` / ``this.y.f()`` where ``y`` is a field of a class in another file or of a
    base (``y: Foo``, ``y?: Foo | undefined``, ``y = new Foo()``, a parameter property
    ``constructor(private y: Foo)``; the symbols' ``fields``): ``Foo`` resolved where the field
    is written, then rule 4a (no rule-5 guess: ``holder.node.stray`` stays unresolved); a field
    of an outside type: unresolved; a field of no known type: rule 5 as before."""
    tables = run_dataflow(write_repo(tmp_path / "repo", FIELDS_TS), languages=["typescript"])
    symbols = tables["typescript.symbols"].filter(pl.col("fields").is_not_null())
    assert symbols.select("qualified_name", "fields").rows() == [
        ("src/node.Holder", "foreign Outside;made Node;maybe Node;node Node;param Node"),
    ]
    assert [row[:3] for row in _targets_by_line(tables) if row[1].count(".") == 2] == [
        (3, "holder.node.origin", "src/node.Node.origin"),
        (4, "holder.maybe.origin", "src/node.Node.origin"),
        (5, "holder.made.origin", "src/node.Node.origin"),
        (6, "holder.param.origin", "src/node.Node.origin"),
        (7, "sub.node.origin", "src/node.Node.origin"),  # a base's field
        (8, "holder.node.stray", "unresolved:stray"),  # a Node has none: never rule 5
        (9, "holder.foreign.stray", "unresolved:stray"),  # an outside type
        (10, "holder.plain.stray", "src/node.Other.stray"),  # no declared type: rule 5
        (14, "this.node.origin", "src/node.Node.origin"),  # a base's field, through `this`
        (15, "this.foreign.stray", "unresolved:stray"),
    ]


def test_javascript_field_hops_read_fields_declared_in_another_file_or_a_base(
    tmp_path: Path,
) -> None:
    """JavaScript fields assigned in the constructor (``/** @type {Foo} */ this.y = ...``,
    ``this.y = new Foo()``) type ``x.y.f()`` in another file (``x`` documented ``@param
    {Holder} x``) and ``this.y.f()`` in a subclass; a field of no known type: rule 5."""
    tables = run_dataflow(write_repo(tmp_path / "repo", FIELDS_JS), languages=["javascript"])
    symbols = tables["javascript.symbols"].filter(pl.col("fields").is_not_null())
    assert symbols.select("qualified_name", "fields").rows() == [
        ("lib/node.Holder", "made Node;node Node;plain"),
    ]
    assert [row[:3] for row in _targets_by_line(tables) if row[1].count(".") == 2] == [
        (4, "holder.node.origin", "lib/node.Node.origin"),
        (5, "holder.made.origin", "lib/node.Node.origin"),
        (6, "holder.node.stray", "unresolved:stray"),
        (7, "holder.plain.stray", "lib/node.Other.stray"),  # no known type: rule 5
        (11, "this.made.origin", "lib/node.Node.origin"),
    ]


GO_PACKAGE_VARIABLES = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "conn/conn.go": """\
package conn

type Peer struct{ Next *Peer }

func (p *Peer) Ping() {}
func (p *Peer) Get()  {}

func New() *Peer { return nil }
""",
    "other/other.go": """\
package other

type Table struct{}

func (t *Table) Len() {}
func (t *Table) Get() {}
func (t *Table) len() {}
""",
    "app/vars.go": """\
package app

import (
	"sync"

	"example.com/m/conn"
)

type table struct{ peer *conn.Peer }

func (t *table) len() {}

type opt struct{ parse func() }

func newTable() *table { return nil }

var staticTable = newTable()
var bufPool sync.Pool
var peer = conn.New()
var opts = [...]opt{{}}
var direct table
""",
    "app/run.go": """\
package app

func Run() {
	staticTable.len()
	staticTable.peer.Ping()
	bufPool.Get()
	peer.Ping()
	opts[0].parse()
	direct.len()
	staticTable := newTable()
	staticTable.len()
}

func Shadow(bufPool *table) {
	bufPool.len()
	missing.Len()
}

func Receive(ch chan int) {
	select {
	case direct := <-ch:
		direct.len()
	}
}
""",
}


def test_go_package_variables_of_other_files_type_their_receivers(tmp_path: Path) -> None:
    """A Go receiver that no scope of its file binds is the package's variable declared in
    another file of the package folder: ``staticTable`` of ``var staticTable = newTable()`` a
    ``table`` (its field ``peer`` a ``conn.Peer``), ``direct`` declared ``table``; ``bufPool``
    a ``sync.Pool`` from outside the repository (unresolved, never rule 5's ``Table.Get``);
    ``peer`` the value of ``conn.New()``, which ``run.go`` does not import (left to rule 5:
    the one ``Ping``);
    ``opts[0]`` an ``opt`` whose ``parse`` is a field (unresolved, never a guess); a local or
    parameter of the name shadows the variable (a select's ``case x := <-ch`` too); a name no
    file declares stays as it was."""
    tables = run_dataflow(write_repo(tmp_path / "repo", GO_PACKAGE_VARIABLES), languages=["go"])
    assert [row for row in _targets_by_line(tables) if row[1] not in ("newTable", "conn.New")] == [
        (4, "staticTable.len", "app.table.len", 11),
        (5, "staticTable.peer.Ping", "conn.Peer.Ping", 5),
        (6, "bufPool.Get", "unresolved:Get", None),
        (7, "peer.Ping", "conn.Peer.Ping", 5),
        (8, "opts[0].parse", "unresolved:parse", None),
        (9, "direct.len", "app.table.len", 11),
        (11, "staticTable.len", "app.table.len", 11),
        (15, "bufPool.len", "app.table.len", 11),
        (16, "missing.Len", "other.Table.Len", 5),
        (22, "direct.len", "unresolved:len", None),  # a select's `direct :=`, no package var
    ]


def test_java_one_qualified_name_in_two_modules_is_no_overload_set(tmp_path: Path) -> None:
    """Two files declaring one qualified class (`org.x.Util` in two Maven modules) are two
    classes, not one overload set: a call naming the class's method reaches both, which the
    argument count cannot pick between, so it stays unresolved; a file that declares a
    same-named top-level type of a package folder twice (two packages in one folder, javac
    fixtures) leaves a bare use of the name unresolved too, whichever file sorts first."""
    util = "package org.x;\npublic class Util {\n    public static void log(String s) {}\n}\n"
    helper = "package {p};\nclass Helper {{\n    static void help() {{}}\n}}\n"
    repo = write_repo(
        tmp_path / "repo",
        {
            "core/src/main/java/org/x/Util.java": util,
            "legacy/src/main/java/org/x/Util.java": util,
            "app/src/main/java/org/app/Main.java": (
                "package org.app;\nimport org.x.Util;\n"
                'class Main {\n    void run() { Util.log("a"); }\n}\n'
            ),
            "fixtures/A.java": helper.format(p="a"),
            "fixtures/B.java": helper.format(p="b"),
            "fixtures/C.java": "package c;\nclass Use {\n    void use() { Helper.help(); }\n}\n",
        },
    )
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert (4, "Util.log", "unresolved:log", None) in targets
    assert (3, "Helper.help", "unresolved:help", None) in targets


GO_TYPE_SWITCH = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "app/errors.go": """\
package app

import "net"

type httpError struct{}

func (e *httpError) Timeout() bool { return true }

type myError struct{}

func (e *myError) Temporary() bool { return true }
func (e *myError) Timeout() bool   { return false }

func isTimeout(err error) bool {
	switch e := err.(type) {
	case net.Error:
		return e.Temporary()
	case *myError:
		return e.Timeout()
	case *httpError, nil:
		return e.Timeout()
	}
	return false
}
""",
}


def test_go_type_switch_case_types_the_switch_name(tmp_path: Path) -> None:
    """In a type switch's case of one type the switch's name is that type: ``net.Error`` is
    from outside the repository (``Temporary`` unresolved, never rule 5's one ``Temporary``),
    ``*myError``
    the repository's; a case of several types leaves it as before (no unique ``Timeout``)."""
    tables = run_dataflow(write_repo(tmp_path / "repo", GO_TYPE_SWITCH), languages=["go"])
    assert _targets_by_line(tables) == [
        (17, "e.Temporary", "unresolved:Temporary", None),
        (19, "e.Timeout", "app.myError.Timeout", 12),
        (21, "e.Timeout", "unresolved:Timeout", None),
    ]


GO_LATER_RESULT_FIELDS = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "app/conn.go": """\
package app

import "net"

type Header struct{}

func (h *Header) Equal() bool { return true }

type ControlMessage struct {
	Dst  net.IP
	Head *Header
}

type PacketConn struct{}

func (c *PacketConn) ReadFrom(b []byte) (int, *ControlMessage, net.Addr, error) {
	return 0, nil, nil, nil
}

func Run(p *PacketConn) {
	_, cm, peer, err := p.ReadFrom(nil)
	cm.Dst.Equal()
	cm.Head.Equal()
	_, _ = peer, err
}
""",
}


def test_go_fields_of_a_methods_later_result(tmp_path: Path) -> None:
    """A field of a method's second result (``_, cm, peer, err := p.ReadFrom(b)``, a method
    rule 4a names): ``cm.Dst`` a ``net.IP`` from outside the repository (``Equal`` unresolved,
    never rule 5's one ``Equal``), ``cm.Head`` a ``Header``."""
    tables = run_dataflow(write_repo(tmp_path / "repo", GO_LATER_RESULT_FIELDS), languages=["go"])
    assert [row for row in _targets_by_line(tables) if row[0] >= 22] == [
        (22, "cm.Dst.Equal", "unresolved:Equal", None),
        (23, "cm.Head.Equal", "app.Header.Equal", 7),
    ]


GO_EMBEDDED_METHODS = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "socket/conn.go": """\
package socket

type Conn struct{}

func (c *Conn) RecvMsg() error { return nil }
func (c *Conn) Close() error   { return nil }
""",
    "ipv4/endpoint.go": """\
package ipv4

import (
	"net"

	"example.com/m/socket"
)

type Conn struct{ genericOpt }

type genericOpt struct{ *socket.Conn }

type dgramOpt struct{ *socket.Conn }

type payloadHandler struct {
	net.PacketConn
	*socket.Conn
}

type PacketConn struct {
	genericOpt
	dgramOpt
	payloadHandler
}

type inner struct{ *socket.Conn }

type wrapped struct {
	net.Conn
	inner
}

type more struct{}

type deep struct{ more }

type shallow struct {
	genericOpt
	deep
}

func NewConn(c net.Conn) *Conn { return nil }
""",
    "ipv4/genericopt.go": "package ipv4\n\nfunc (c *genericOpt) SetTOS(tos int) error { return nil }\n",
    "ipv4/dgramopt.go": "package ipv4\n\nfunc (c *dgramOpt) JoinGroup() error { return nil }\n",
    "ipv4/more.go": "package ipv4\n\nfunc (m *more) SetTOS(tos int) error { return nil }\n",
    "ipv4/use.go": """\
package ipv4

import "net"

func Use(c net.Conn, q *PacketConn, h *payloadHandler, w *wrapped, s *shallow) {
	p := NewConn(c)
	p.SetTOS(1)
	q.JoinGroup()
	h.RecvMsg()
	w.Close()
	s.SetTOS(2)
	q.Missing()
}
""",
}


def test_go_methods_of_embedded_types_by_depth_and_in_any_file(tmp_path: Path) -> None:
    """A Go type's methods are those of its qualified name in any file of its package
    (``genericOpt.SetTOS`` in genericopt.go), and an embedded field's method is the one at the
    shallowest depth (the Go spec's selectors): ``q.JoinGroup()`` is ``dgramOpt``'s at depth 1
    though ``payloadHandler`` embeds ``net.PacketConn`` from outside (depth 2, too deep to
    define it first); ``h.RecvMsg()`` ``socket.Conn``'s next to an outside ``net.PacketConn``
    at the same depth (two there: no program); ``s.SetTOS()`` ``genericOpt``'s at depth 1,
    not ``more``'s at depth 2. ``w.Close()`` stays unresolved: the outside ``net.Conn`` at
    depth 1 may define it above ``socket.Conn.Close`` at depth 2; a name no embedded type
    defines too (never rule 5)."""
    tables = run_dataflow(write_repo(tmp_path / "repo", GO_EMBEDDED_METHODS), languages=["go"])
    assert _targets_by_line(tables) == [
        (6, "NewConn", "ipv4.NewConn", 42),
        (7, "p.SetTOS", "ipv4.genericOpt.SetTOS", 3),
        (8, "q.JoinGroup", "ipv4.dgramOpt.JoinGroup", 3),
        (9, "h.RecvMsg", "socket.Conn.RecvMsg", 5),
        (10, "w.Close", "unresolved:Close", None),
        (11, "s.SetTOS", "ipv4.genericOpt.SetTOS", 3),
        (12, "q.Missing", "unresolved:Missing", None),
    ]


GO_FIELDS_BLOCK_METHODS = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "p/types.go": """\
package p

type A struct{ parse func() }

type B struct{ C }

type C struct{ D }

func (C) parse() {}

type D struct{}

func (D) parse() {}

type S struct {
	A
	B
}

type T struct{ B }

type U struct {
	parse func()
	B
}
""",
    "p/use.go": """\
package p

func use(s S, t T, u U) {
	s.parse()
	t.parse()
	u.parse()
}
""",
}


def test_go_fields_of_a_name_block_the_methods_below_them(tmp_path: Path) -> None:
    """A Go selector is the field or method of the shallowest depth (the spec's selectors): a
    field ``parse`` stops the walk to the methods ``parse`` below it. ``s.parse()`` is the
    field of the embedded ``A`` at depth 1, not ``C.parse`` at depth 2 (nor ``D.parse`` at 3);
    ``u.parse()`` is ``U``'s own field. Both call a func value: unresolved, no method's edge.
    ``t.parse()`` reaches no field: ``C.parse``, the shallower of the two methods."""
    tables = run_dataflow(write_repo(tmp_path / "repo", GO_FIELDS_BLOCK_METHODS), languages=["go"])
    assert _targets_by_line(tables) == [
        (4, "s.parse", "unresolved:parse", None),
        (5, "t.parse", "p.C.parse", 9),
        (6, "u.parse", "unresolved:parse", None),
    ]


GO_PACKAGE_ELEMENTS = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "app/sys_linux.go": """\
package app

var sockOpts = map[int]*sockOpt{1: {}}

var wireFormats = map[int]*wireFormat{1: {}}
""",
    "app/sys_stub.go": "package app\n\nvar sockOpts = map[int]*sockOpt{}\n",
    "app/sockopt.go": """\
package app

type sockOpt struct{}

func (so *sockOpt) setGroup() error { return nil }

type wireFormat struct{ parse func() }
""",
    "html/parse.go": (
        "package html\n\ntype parser struct{}\n\n"
        "func (p *parser) parse()    {}\nfunc (p *parser) setGroup() {}\n"
    ),
    "app/use.go": """\
package app

func use(k int) {
	so, ok := sockOpts[k]
	if ok {
		so.setGroup()
	}
	for _, o := range sockOpts {
		o.setGroup()
	}
	w, ok := wireFormats[k]
	w.parse()
}
""",
}


def test_go_elements_of_package_variables_of_other_files(tmp_path: Path) -> None:
    """``so, ok := sockOpts[k]`` and ``range sockOpts`` with ``var sockOpts =
    map[int]*sockOpt{...}`` in the package's other files (one per build, of one type): a
    ``sockOpt`` (``setGroup`` is no unique name); ``w`` of ``wireFormats`` a ``wireFormat``,
    whose ``parse`` is a field holding a function (unresolved, never rule 5's one ``parse``)."""
    tables = run_dataflow(write_repo(tmp_path / "repo", GO_PACKAGE_ELEMENTS), languages=["go"])
    assert _targets_by_line(tables) == [
        (6, "so.setGroup", "app.sockOpt.setGroup", 5),
        (9, "o.setGroup", "app.sockOpt.setGroup", 5),
        (12, "w.parse", "unresolved:parse", None),
    ]


GO_FIELD_ELEMENTS = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "dns/message.go": """\
package dns

import "net"

type Message struct {
	Questions []Question
	Addrs     []net.IP
}

func (m *Message) GoString() string {
	s := m.Questions[0].GoString()
	for _, q := range m.Questions[1:] {
		s += q.GoString()
	}
	m.Addrs[0].Equal(nil)
	return s
}
""",
    "dns/question.go": 'package dns\n\ntype Question struct{}\n\nfunc (q Question) GoString() string { return "" }\n',
    "other/addr.go": "package other\n\ntype Addr struct{}\n\nfunc (a Addr) Equal(b Addr) bool { return true }\n",
}


def test_go_elements_of_a_fields_container(tmp_path: Path) -> None:
    """``m.Questions[0].GoString()`` and ``range m.Questions[1:]`` are ``Question`` values
    (``GoString`` is no unique name: ``Message`` has one); ``m.Addrs[0]`` a ``net.IP`` from
    outside the repository (``Equal`` unresolved, never rule 5's one ``Equal``)."""
    tables = run_dataflow(write_repo(tmp_path / "repo", GO_FIELD_ELEMENTS), languages=["go"])
    assert _targets_by_line(tables) == [
        (11, "m.Questions[0].GoString", "dns.Question.GoString", 5),
        (13, "q.GoString", "dns.Question.GoString", 5),
        (15, "m.Addrs[0].Equal", "unresolved:Equal", None),
    ]


GO_IMPORTED_PACKAGE_VALUES = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "atom/atom.go": """\
package atom

type Atom uint32

func (a Atom) String() string { return "" }

const (
	Html Atom = 0x5604
	Body      = 0x4
)
""",
    "idna/idna.go": """\
package idna

import "sync"

type Profile struct{}

func (p *Profile) ToASCII(s string) (string, error) { return s, nil }

var (
	Lookup *Profile = &Profile{}
	mu     sync.Mutex
	Mu     = &mu
)
""",
    "other/other.go": """\
package other

type Name struct{}

func (n Name) String() string { return "" }

func (n Name) Lock() {}
""",
    "html/parse.go": """\
package html

import (
	a "example.com/m/atom"
	"example.com/m/idna"
	"strings"
)

func parse() {
	a.Html.String()
	a.Body.String()
	idna.Lookup.ToASCII("x")
	idna.Mu.Lock()
	strings.Builder.String()
}
""",
}


def test_go_variables_and_typed_constants_of_imported_packages(tmp_path: Path) -> None:
    """``a.Html.String()`` with ``a`` an import of the repository's package ``atom`` and
    ``Html Atom = ...`` a typed constant there: ``Atom.String``; ``idna.Lookup`` a ``*Profile``
    variable: ``Profile.ToASCII``. An untyped constant (``Body = 0x4``), a variable of no
    known type (``Mu = &mu``) and a package from outside the repository type nothing: as
    rules 1-5 leave a callee whose head is an import (unresolved, though ``Lock`` is a unique
    name)."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", GO_IMPORTED_PACKAGE_VALUES), languages=["go"]
    )
    assert [row for row in _targets_by_line(tables) if row[0] >= 10] == [
        (10, "a.Html.String", "atom.Atom.String", 5),
        (11, "a.Body.String", "unresolved:String", None),
        (12, "idna.Lookup.ToASCII", "idna.Profile.ToASCII", 7),
        (13, "idna.Mu.Lock", "unresolved:Lock", None),
        (14, "strings.Builder.String", "unresolved:String", None),
    ]


GO_ONE_DEFINITION_PER_BUILD = {
    "go.mod": "module example.com/m\n\ngo 1.21\n",
    "ipv6/zsys.go": "package ipv6\n\ntype inet6Pktinfo struct{ ifindex int32 }\n",
    "ipv6/sys_aix.go": "package ipv6\n\nfunc (pi *inet6Pktinfo) setIfindex(i int) {}\n",
    "ipv6/sys_darwin.go": "package ipv6\n\nfunc (pi *inet6Pktinfo) setIfindex(i int) {}\n",
    "ipv6/sys_linux.go": "package ipv6\n\nfunc (pi *inet6Pktinfo) setIfindex(i int) {}\n",
    "ipv6/control_rfc2292_unix.go": """\
//go:build darwin

package ipv6

import "unsafe"

func marshal(b []byte) {
	pi := (*inet6Pktinfo)(unsafe.Pointer(&b[0]))
	pi.setIfindex(1)
}
""",
    "ipv6/control_rfc3542_unix.go": """\
//go:build freebsd || linux

package ipv6

func marshal3542(pi *inet6Pktinfo) { pi.setIfindex(1) }
""",
    "ipv6/control.go": "package ipv6\n\nfunc any(pi *inet6Pktinfo) { pi.setIfindex(1) }\n",
}


def test_go_one_definition_per_build_by_the_callers_build(tmp_path: Path) -> None:
    """A method with one definition per build (``setIfindex`` in sys_aix.go, sys_darwin.go,
    sys_linux.go: the file names' GOOS) is, for a call in a file of one build (``//go:build
    darwin``), the definition of that build; in a file of several builds the first of theirs
    (freebsd || linux: sys_linux.go's); in a file of every build the first by path (as before:
    one definition per build, deliberate). ``(*inet6Pktinfo)(p)`` converts: an
    ``inet6Pktinfo``."""
    tables = run_dataflow(
        write_repo(tmp_path / "repo", GO_ONE_DEFINITION_PER_BUILD), languages=["go"]
    )
    edges = {
        (path, line): (target, target_path)
        for path, line, target, target_path in _edge_target_paths(tables)
    }
    assert edges[("ipv6/control_rfc2292_unix.go", 9)] == (
        "ipv6.inet6Pktinfo.setIfindex",
        "ipv6/sys_darwin.go",
    )
    assert edges[("ipv6/control_rfc3542_unix.go", 5)] == (
        "ipv6.inet6Pktinfo.setIfindex",
        "ipv6/sys_linux.go",
    )
    assert edges[("ipv6/control.go", 3)] == ("ipv6.inet6Pktinfo.setIfindex", "ipv6/sys_aix.go")


def _edge_target_paths(tables: dict[str, pl.DataFrame]) -> list[tuple[str, int, str, str]]:
    """(call path, line, target qualified name, target path) of the resolved CALLS edges."""
    nodes = tables["cpg_nodes"]
    places = {
        node: (name, path)
        for node, name, path in nodes.select("id", "qualified_name", "path").iter_rows()
    }
    calls = nodes.filter(pl.col("label") == "CALL").select("id", "path", "start_line")
    return [
        (path, line, *places[target])
        for path, line, target in tables["cpg_edges"]
        .filter((pl.col("label") == "CALLS") & pl.col("resolved"))
        .join(calls, left_on="src", right_on="id", how="inner")
        .select("path", "start_line", "dst")
        .iter_rows()
    ]


JAVA_SINGLE_TYPE_IMPORTS = {
    "src/app/Queue.java": "package app;\nclass Queue { void offer() {} }\n",
    "src/app/Task.java": "package app;\nclass Task { void run() {} }\n",
    "src/app/Use.java": (
        "package app;\n"
        "import lib.Queue;\n"
        "import lib.*;\n"
        "class Use {\n"
        "    Object make() { return new Queue(); }\n"  # 5: lib.Queue, the import's
        "    Object task() { return new Task(); }\n"  # 6: app.Task, the package's (not lib.*)
        "    void go(Queue q) { q.offer(); }\n"  # 7: lib.Queue.offer
        "}\n"
    ),
    "src/app/Plain.java": (
        "package app;\n"
        "class Plain {\n"
        "    Object make() { return new Queue(); }\n"  # 3: app.Queue, no import here
        "}\n"
    ),
    "src/lib/Queue.java": "package lib;\npublic class Queue { public void offer() {} }\n",
    "src/lib/Task.java": "package lib;\npublic class Task { public void run() {} }\n",
}


def test_java_single_type_import_shadows_the_package(tmp_path: Path) -> None:
    """A single-type import shadows a top-level type of the same simple name in the file's
    package (JLS 6.4.1), which in turn shadows a type-import-on-demand (`import lib.*`)."""
    repo = write_repo(tmp_path / "repo", JAVA_SINGLE_TYPE_IMPORTS)
    edges = _edges_by_path(run_dataflow(repo, languages=["java"]))
    assert ("src/app/Use.java", 5, "Queue", "lib.Queue") in edges
    assert ("src/app/Use.java", 6, "Task", "app.Task") in edges
    assert ("src/app/Use.java", 7, "q.offer", "lib.Queue.offer") in edges
    assert ("src/app/Plain.java", 3, "Queue", "app.Queue") in edges
    assert ("src/app/Use.java", 5, "Queue", "app.Queue") not in edges


JAVA_PRIVATE_METHODS = {
    "src/app/Base.java": (
        "package app;\n"
        "public class Base {\n"
        "    private void reset() {}\n"
        "    void close() {}\n"
        "    static class Nested extends Base {\n"
        "        void go() { this.reset(); }\n"  # 6: Base.reset, one top-level class
        "    }\n"
        "}\n"
    ),
    "src/app/Outer.java": (
        "package app;\n"
        "class Outer {\n"
        "    void reset() {}\n"
        "    class Inner extends Base {\n"
        "        void go() { reset(); close(); }\n"  # 5: Outer.reset (Base's is private), Base.close
        "    }\n"
        "}\n"
    ),
    "src/app/Sub.java": (
        "package app;\n"
        "class Sub extends Base {\n"
        "    void go() { this.reset(); super.close(); }\n"  # 3: no Base.reset; Base.close
        "}\n"
    ),
    # two top-level classes in one file: B does not see A's private `reset`, while a class
    # local to a method of A (through the method) and one nested twice deep do
    "src/app/Pair.java": (
        "package app;\n"
        "class A {\n"
        "    private void reset() {}\n"
        "    void run() {\n"
        "        class Local extends A { void go() { this.reset(); } }\n"  # 5: A.reset
        "    }\n"
        "    static class Mid { static class Deep extends A { void go() { this.reset(); } } }\n"
        "}\n"  # 7: A.reset
        "class B extends A {\n"
        "    void go() { this.reset(); }\n"  # 10: not A.reset (another top-level class)
        "}\n"
    ),
}


def test_java_private_methods_are_not_inherited(tmp_path: Path) -> None:
    """A base's `private` method is not inherited (JLS 8.2): no candidate of the base walk from
    another top-level class (`reset()` in Outer.Inner is Outer's own; class B after class A in
    one file), while the nested and local classes of one top-level class share its privates
    (JLS 6.6.1)."""
    repo = write_repo(tmp_path / "repo", JAVA_PRIVATE_METHODS)
    edges = _edges_by_path(run_dataflow(repo, languages=["java"]))
    assert ("src/app/Base.java", 6, "this.reset", "app.Base.reset") in edges
    assert ("src/app/Outer.java", 5, "reset", "app.Outer.reset") in edges
    assert ("src/app/Outer.java", 5, "close", "app.Base.close") in edges
    assert ("src/app/Sub.java", 3, "super.close", "app.Base.close") in edges
    assert ("src/app/Sub.java", 3, "this.reset", "app.Base.reset") not in edges
    assert ("src/app/Pair.java", 5, "this.reset", "app.A.reset") in edges
    assert ("src/app/Pair.java", 7, "this.reset", "app.A.reset") in edges
    assert ("src/app/Pair.java", 10, "this.reset", "app.A.reset") not in edges


JS_STATIC_METHODS = {
    "lib/Module.js": ("class Module {\n  deserialize(context) {}\n}\nmodule.exports = Module;\n"),
    "lib/Delegated.js": (
        'const Module = require("./Module");\n'
        "class Delegated extends Module {\n"
        "  static deserialize(context) {\n"
        "    const obj = new Delegated();\n"
        "    obj.deserialize(context);\n"  # 5: Module.deserialize, an instance method
        "    return obj;\n"
        "  }\n"
        "}\n"
        "Delegated.deserialize({});\n"  # 9: the static Delegated.deserialize
        "module.exports = Delegated;\n"
    ),
}


def test_javascript_static_methods_are_no_instance_members(tmp_path: Path) -> None:
    """A `static` method belongs to the class: `Delegated.deserialize()` calls it, while a
    value of the class (`obj = new Delegated()`, rule 4a) calls an instance method, the
    class's own or a base's (`Module.deserialize`, as the TypeScript compiler binds it)."""
    repo = write_repo(tmp_path / "repo", JS_STATIC_METHODS)
    targets = _targets_by_line(run_dataflow(repo, languages=["javascript"]))
    assert (5, "obj.deserialize", "lib/Module.Module.deserialize", 2) in targets
    assert (9, "Delegated.deserialize", "lib/Delegated.Delegated.deserialize", 3) in targets
    assert (5, "obj.deserialize", "lib/Delegated.Delegated.deserialize", 3) not in targets


def test_javascript_static_methods_inherit_to_this_and_super_in_static_methods(
    tmp_path: Path,
) -> None:
    """In a static method `this` is the class and `super` its base class: `this.create()` and
    `super.create()` reach the base's static `create`, not an instance method further up that
    no value of the class inherits past it."""
    repo = write_repo(
        tmp_path / "repo",
        {
            "lib/models.js": (
                "class Model { create() {} }\n"
                "class Base extends Model { static create() {} }\n"
                "class Derived extends Base {\n"
                "  static make() { return super.create(); }\n"  # 4: Base.create
                "  static make2() { return this.create(); }\n"  # 5: Base.create
                "  make3() { return new Derived().create(); }\n"  # 6: Model.create, a value's
                "}\n"
            )
        },
    )
    targets = _targets_by_line(run_dataflow(repo, languages=["javascript"]))
    assert (4, "super.create", "lib/models.Base.create", 2) in targets
    assert (5, "this.create", "lib/models.Base.create", 2) in targets
    assert (6, "new Derived().create", "lib/models.Model.create", 1) in targets


# ES2015 classes: a static method's `this` is the class (its static members and its bases'
# statics), an instance method's `this` an instance (instance members, its bases' instance
# methods); `super.f()` alike. Each name has a static and an instance definition at different
# levels, so only the right side resolves each call.
STATIC_AND_INSTANCE_SIDES = (
    "class Model { create() {} static build() {} }\n"
    "class Base extends Model { static create() {} build() {} }\n"
    "class Derived extends Base {\n"
    "  static make() { return super.create(); }\n"  # 4: Base.create (static)
    "  static make2() { return this.create(); }\n"  # 5: Base.create
    "  static make3() { return this.build(); }\n"  # 6: Model.build, not Base's instance build
    "  run() { return this.create(); }\n"  # 7: Model.create, not Base's static create
    "  run2() { return super.build(); }\n"  # 8: Base.build (instance)
    "  run3() { return super.create(); }\n"  # 9: Model.create
    "  static own() { return this.walk(); }\n"  # 10: walk is an instance method
    "  walk() { return this.own(); }\n"  # 11: own is static: no member of an instance
    "  static same() {} same() {}\n"
    "  both() { return this.same(); }\n"  # 13: the instance same
    "  static both2() { return this.same(); }\n"  # 14: the static same
    "}\n"
)


@pytest.mark.parametrize(("language", "suffix"), [("javascript", "js"), ("typescript", "ts")])
def test_this_and_super_see_the_static_side_in_static_methods_only(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """`this.f()` / `super.f()` in a static method reach the class's and its bases' static
    methods only, in an instance method their instance methods only (rule 1 and the base walk):
    never a base's static from an instance method, nor an instance method from a static one."""
    repo = write_repo(tmp_path / "repo", {f"lib/models.{suffix}": STATIC_AND_INSTANCE_SIDES})
    targets = [
        edge for edge in _targets_by_line(run_dataflow(repo, languages=[language])) if edge[0] > 3
    ]
    assert targets == [
        (4, "super.create", "lib/models.Base.create", 2),
        (5, "this.create", "lib/models.Base.create", 2),
        (6, "this.build", "lib/models.Model.build", 1),
        (7, "this.create", "lib/models.Model.create", 1),
        (8, "super.build", "lib/models.Base.build", 2),
        (9, "super.create", "lib/models.Model.create", 1),
        (10, "this.walk", "unresolved:walk", None),
        (11, "this.own", "unresolved:own", None),
        (13, "this.same", "lib/models.Derived.same", 12),
        (14, "this.same", "lib/models.Derived.same", 12),
    ]


# Calls through a class's name read the class value: its statics and its bases' statics
# (ES2015; the TypeScript compiler binds them so), never an instance method of the class body,
# whose qualified name a static of the same name shares; a value of the class the instance side.
CLASS_NAME_STATIC_SIDE = (
    "class A {\n"
    "  f(x) {}\n"
    "  static f() {}\n"
    "  static g() {}\n"
    "}\n"
    "class B extends A {\n"
    "  f(x) {}\n"
    "  g() {}\n"
    "  static h() {}\n"
    "  h() {}\n"
    "  m() {}\n"
    "  k() {\n"
    "    B.f();\n"  # 13: A.f, the inherited static (B's own f is an instance method)
    "    B.g();\n"  # 14: A.g, likewise
    "    B.h();\n"  # 15: B's static h, not the instance h after it
    "    A.f();\n"  # 16: A's static f, not the instance f before it
    "    B.m();\n"  # 17: no static m on B or A: unresolved, never rule 5
    "    const b = new B();\n"
    "    b.h();\n"  # 19: the instance h
    "    b.f(1);\n"  # 20: B's instance f
    "    B.create();\n"  # 21: assigned to the class in its file: a static
    "  }\n"
    "}\n"
    "B.create = function () {};\n"
    "class C {\n"
    "  constructor() {}\n"
    "  static run() {\n"
    "    C.constructor();\n"  # 28: Function's constructor (outside the repository): unresolved
    "  }\n"
    "}\n"
)


# `this.f = function () {}` where `this` is the class (a static method) is a static member;
# in an instance method an instance member.
THIS_ASSIGNED_SIDES = (
    "class A {\n"
    "  static m() { this.g = function () {}; }\n"
    "  p() { this.q = function () {}; }\n"
    "  static r() { this.g(); }\n"  # 4: A.g, the class's own
    "  s() { this.g(); this.q(); }\n"  # 5: no instance member g; A.q
    "}\n"
    "A.g();\n"  # 7: A.g
    "new A().g();\n"  # 8: no instance member g
)


@pytest.mark.parametrize(("language", "suffix"), [("javascript", "js"), ("typescript", "ts")])
def test_a_function_assigned_to_this_in_a_static_method_is_on_the_static_side(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """``this.g = function () {}`` in a static method is a member of the class value (its
    ``this``): `A.g()` and `this.g()` in a static method call it, a value of the class does
    not have it (review r19b F7: it was taken for an instance member, the other way round).
    TypeScript follows the JavaScript reading (tsc: in a ``.ts`` file no member, TS2339)."""
    repo = write_repo(tmp_path / "repo", {f"lib/a.{suffix}": THIS_ASSIGNED_SIDES})
    calls = _resolved_by_line(run_dataflow(repo, languages=[language]))
    assert calls[(4, "this.g")] == "lib/a.A.g"
    assert calls[(5, "this.g")] == "unresolved:g"
    assert calls[(5, "this.q")] == "lib/a.A.q"
    assert calls[(7, "A.g")] == "lib/a.A.g"
    assert calls[(8, "new A().g")] == "unresolved:g"


# `this.f = function () {}` is a member of the nearest `this` of its own: an arrow function
# has none (the method's class), a plain function expression has (the function's).
THIS_ASSIGNED_NEAREST = (
    "class A {\n"
    "  p() { const f = () => { this.x = function () {}; }; f(); }\n"
    "  static t() { const f = () => { this.h = function () {}; this.h(); }; f(); }\n"  # 3: A.h
    "  static u = function () { this.nn = function () {}; };\n"
    "  static m() { [1].forEach(function () { this.g = function () {}; }); }\n"
    "}\n"
    "new A().x();\n"  # 7: A.x, an instance's
    "A.h();\n"  # 8: A.h, the class's own
    "new A().nn();\n"  # 9: A.u's instances', not A's
    "new A.u().nn();\n"  # 10: A.u.nn
    "new A().g();\n"  # 11: the callback's own `this`'s, no symbol
)


@pytest.mark.parametrize(("language", "suffix"), [("javascript", "js"), ("typescript", "ts")])
def test_a_function_assigned_to_this_is_a_member_of_the_nearest_own_this(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """``this.h = function () {}`` in a named arrow function is a member of what ``this`` is in
    the method around it (the arrow has no ``this`` of its own): `new A().x()`, `A.h()` and
    `this.h()` call it, as tsc resolves them; in a plain function expression a member of that
    function, which a value of the class does not have (review r20a F1, F2: the first were
    members of the arrow, ``A.t.f.h``, the others of ``A``'s instances)."""
    repo = write_repo(tmp_path / "repo", {f"lib/a.{suffix}": THIS_ASSIGNED_NEAREST})
    calls = _resolved_by_line(run_dataflow(repo, languages=[language]))
    assert calls[(3, "this.h")] == "lib/a.A.h"
    assert calls[(7, "new A().x")] == "lib/a.A.x"
    assert calls[(8, "A.h")] == "lib/a.A.h"
    assert calls[(9, "new A().nn")] == "unresolved:nn"
    assert calls[(10, "new A.u().nn")] == "lib/a.A.u.nn"
    assert calls[(11, "new A().g")] == "unresolved:g"


@pytest.mark.parametrize(("language", "suffix"), [("javascript", "js"), ("typescript", "ts")])
def test_calls_through_a_class_name_read_its_static_side(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """`B.f()` is the class's static `f`, else its bases' (the static side's walk, as `this.f()`
    in a static method), never an instance method of the class body (`_class_static_side`);
    `b.f()` on a value of the class its instance side; a function assigned to the class in
    its file (`B.create = function () {}`) is a static of it."""
    repo = write_repo(tmp_path / "repo", {f"lib/models.{suffix}": CLASS_NAME_STATIC_SIDE})
    targets = [
        edge
        for edge in _targets_by_line(run_dataflow(repo, languages=[language]))
        if edge[1] != "B"
    ]
    assert targets == [
        (13, "B.f", "lib/models.A.f", 3),
        (14, "B.g", "lib/models.A.g", 4),
        (15, "B.h", "lib/models.B.h", 9),
        (16, "A.f", "lib/models.A.f", 3),
        (17, "B.m", "unresolved:m", None),
        (19, "b.h", "lib/models.B.h", 10),
        (20, "b.f", "lib/models.B.f", 7),
        (21, "B.create", "lib/models.B.create", 24),
        (28, "C.constructor", "unresolved:constructor", None),
    ]


# Calls through a class's name where the class itself has no method of the name (rule 4 as
# written finds none; through an import, rule 3): the class value all the same, its bases'
# statics, never a guess by name (rule 5 keeps the last by line of a base's static and
# instance `f`, which share a qualified name). What the TypeScript compiler binds
# (`bench/ts_resolve.js`, TypeScript and allowJs alike) is noted per line.
CLASS_NAME_INHERITED_STATICS = {
    "lib/models.{suffix}": (
        "export class A {\n"
        "  static f() {}\n"
        "  f(x) {}\n"
        "  g(x) {}\n"
        "  static g() {}\n"
        "  i(x) {}\n"
        "}\n"
        "export class B extends A {\n"
        "  static k() {\n"
        "    B.f();\n"  # 10: tsc: A's static f (2), declared before the instance f
        "    B.g();\n"  # 11: tsc: A's static g (5), declared after the instance g
        "    B.i();\n"  # 12: tsc: none (only an instance i, no member of the class value)
        "  }\n"
        "}\n"
        "export class D {\n"
        "  h(x) {}\n"
        "  static h() {}\n"
        "  static j() {}\n"
        "  j(x) {}\n"
        "}\n"
        "export class E extends D {}\n"
        "export class F extends E {\n"
        "  run() {\n"
        "    F.h();\n"  # 24: tsc: D's static h (17), two bases up
        "    F.j();\n"  # 25: tsc: D's static j (18)
        "  }\n"
        "}\n"
    ),
    "lib/use.{suffix}": (
        'import { B, F as G } from "./models";\n'
        'import * as m from "./models";\n'
        "B.f();\n"  # 3: tsc: A's static f (2)
        "B.g();\n"  # 4: tsc: A's static g (5)
        "B.i();\n"  # 5: tsc: none
        "G.h();\n"  # 6: tsc: D's static h (17)
        "m.F.j();\n"  # 7: tsc: D's static j (18)
        "m.B.f();\n"  # 8: tsc: A's static f (2)
    ),
}


def _targets_by_path(
    tables: dict[str, pl.DataFrame],
) -> list[tuple[str, int, str, str, int | None]]:
    """(path, line, callee, target qualified name or ``unresolved:<name>``, the target's start
    line) of every CALLS edge (``_targets_by_line`` with the call's path)."""
    nodes = tables["cpg_nodes"]
    targets = {
        node: (name, line)
        for node, name, line in nodes.select("id", "qualified_name", "start_line").iter_rows()
    }
    calls = nodes.filter(pl.col("label") == "CALL").select(
        "id", "path", "start_line", "qualified_name"
    )
    return sorted(
        (path, line, callee, *targets.get(target, (target, None)))
        for path, line, callee, target in tables["cpg_edges"]
        .filter(pl.col("label") == "CALLS")
        .join(calls, left_on="src", right_on="id", how="inner")
        .select("path", "start_line", "qualified_name", "dst")
        .iter_rows()
    )


@pytest.mark.parametrize(("language", "suffix"), [("javascript", "js"), ("typescript", "ts")])
def test_calls_through_a_class_name_reach_a_base_static_not_a_guess(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """`B.f()` where B has no `f` of its own is the static `f` its bases' static sides lead to
    (``_class_static_side``), whichever of a base's static and instance `f` comes last, one or
    two bases up, through an import or a namespace import of the class too; only an instance
    `f` up there: unresolved (no member of the class value), never a rule-5 guess. JavaScript:
    a function assigned to a base in its file (`A.make = function () {}`) is a static, the
    compiler's expando property; one assigned to its prototype (`A.prototype.p = ...`) an
    instance method, no member of the class value. A static found so is no guess: the value
    of `Q.create()` is what it returns (`x.run()`, rule 4a)."""
    files = {
        path.format(suffix=suffix): source for path, source in CLASS_NAME_INHERITED_STATICS.items()
    }
    if language == "javascript":
        # (tsc: the expando A.make of line 28, allowJs; a TypeScript error)
        # (tsc: none for `B.p()`, `A.p()`, the instance method of line 30)
        files["lib/models.js"] += (
            "A.make = function () {};\nB.make();\nA.prototype.p = function () {};\nB.p();\nA.p();\n"
        )
    creates = (
        "static create(): P { return new P(); }"
        if language == "typescript"
        else "/** @returns {P} */ static create() { return new P(); }"
    )
    files[f"lib/made.{suffix}"] = (
        "export class P {\n"
        f"  {creates}\n"
        "  create(x) {}\n"  # (the last `create` by line: rule 5's guess)
        "  run() {}\n"
        "}\n"
        "export class Q extends P {}\n"
        "export function g() {\n"
        "  const x = Q.create();\n"  # 8: tsc: P's static create (2)
        "  x.run();\n"  # 9: tsc: P's run (4)
        "}\n"
    )
    repo = write_repo(tmp_path / "repo", files)
    made, models, use = f"lib/made.{suffix}", f"lib/models.{suffix}", f"lib/use.{suffix}"
    expected = [
        (made, 2, "P", "lib/made.P", 1),
        (made, 8, "Q.create", "lib/made.P.create", 2),
        (made, 9, "x.run", "lib/made.P.run", 4),
        (models, 10, "B.f", "lib/models.A.f", 2),
        (models, 11, "B.g", "lib/models.A.g", 5),
        (models, 12, "B.i", "unresolved:i", None),
        (models, 24, "F.h", "lib/models.D.h", 17),
        (models, 25, "F.j", "lib/models.D.j", 18),
        *(
            [
                (models, 29, "B.make", "lib/models.A.make", 28),
                (models, 31, "B.p", "unresolved:p", None),
                (models, 32, "A.p", "unresolved:p", None),
            ]
            if language == "javascript"
            else []
        ),
        (use, 3, "B.f", "lib/models.A.f", 2),
        (use, 4, "B.g", "lib/models.A.g", 5),
        (use, 5, "B.i", "unresolved:i", None),
        (use, 6, "G.h", "lib/models.D.h", 17),
        (use, 7, "m.F.j", "lib/models.D.j", 18),
        (use, 8, "m.B.f", "lib/models.A.f", 2),
    ]
    assert _targets_by_path(run_dataflow(repo, languages=[language])) == expected


# A name that a function or a block binds to a value (the calls table's `receiver_local`)
# shadows the class an import or a definition of the name gives: no class is read through it,
# neither by rules 3-4 as written nor as the class head of `_class_static_side`; a class value
# bound to a local name (`const C = class ...`) and a `require` in a function still name the
# class. A receiver in parentheses or with optional chaining is the name's. What the TypeScript
# compiler binds (`bench/ts_resolve.js`, TypeScript and allowJs alike) is noted per line.
LOCAL_VALUES_SHADOWING_CLASSES = {
    "lib/a.{suffix}": (
        "export class A {\n"
        "  static f() {}\n"
        "  f(x) {}\n"
        "}\n"
        "export class B extends A {\n"
        "  static s() {}\n"
        "}\n"
    ),
    "lib/use.{suffix}": (
        'import { A, B } from "./a";\n'
        "function g(B) {\n"
        "  B.f();\n"  # 3: tsc: none (a parameter)
        "  B.s();\n"  # 4: tsc: none
        "}\n"
        "const k = (B) => B.f();\n"  # 6: tsc: none
        "function d({ B }) {\n"
        "  B.f();\n"  # 8: tsc: none (a destructured parameter)
        "}\n"
        "for (const B of []) {\n"
        "  B.f();\n"  # 11: tsc: none (a loop variable, at the top level)
        "}\n"
        "try {} catch (B) {\n"
        "  B.f();\n"  # 14: tsc: none
        "}\n"
        "class Q {\n"
        "  m(B) {\n"
        "    B.s();\n"  # 18: tsc: none (a method's parameter)
        "  }\n"
        "}\n"
        "function h() {\n"
        "  const C = class extends A {};\n"
        "  C.f();\n"  # 23: tsc: A's static f (2)
        "  if (C) {\n"
        "    let B = 1;\n"
        "  }\n"
        "  B.s();\n"  # 27: tsc: B's static s (6), the import (the `let` holds in its block)
        "}\n"
        "B.f();\n"  # 29: tsc: A's static f (2)
        "B?.s();\n"  # 30: tsc: B's static s (6)
        "(B).f();\n"  # 31: tsc: A's static f (2)
        "B?.f();\n"  # 32: tsc: A's static f (2), through B's class head
    ),
}


@pytest.mark.parametrize(("language", "suffix"), [("javascript", "js"), ("typescript", "ts")])
def test_a_local_value_shadows_a_class_name(tmp_path: Path, language: str, suffix: str) -> None:
    """A parameter (of a function, an arrow function, a method; destructured too), a loop or
    `catch` variable named as an imported class (`B`) is a value: `B.f()` and `B.s()` through
    it are unresolved, neither B's static `s` (rule 3 as written) nor A's static `f` (the class
    head); a block's `let B` only in its block; a local `const C = class extends A {}` is the
    class (A's static `f`), and so is a `require` of it in a function (JavaScript). `B?.s()`,
    `(B).f()` and `B?.f()` (A's static through B's class head) read the class as `B.s()` and
    `B.f()` do."""
    files = {
        path.format(suffix=suffix): source
        for path, source in LOCAL_VALUES_SHADOWING_CLASSES.items()
    }
    if language == "javascript":
        # 35: tsc: B's static s (6)
        files["lib/use.js"] += 'function r() {\n  const { B } = require("./a");\n  B.s();\n}\n'
    repo = write_repo(tmp_path / "repo", files)
    use = f"lib/use.{suffix}"
    expected = [
        (use, 3, "B.f", "unresolved:f", None),
        (use, 4, "B.s", "unresolved:s", None),
        (use, 6, "B.f", "unresolved:f", None),
        (use, 8, "B.f", "unresolved:f", None),
        (use, 11, "B.f", "unresolved:f", None),
        (use, 14, "B.f", "unresolved:f", None),
        (use, 18, "B.s", "unresolved:s", None),
        (use, 23, "C.f", "lib/a.A.f", 2),
        (use, 27, "B.s", "lib/a.B.s", 6),
        (use, 29, "B.f", "lib/a.A.f", 2),
        (use, 30, "B?.s", "lib/a.B.s", 6),
        (use, 31, "(B).f", "lib/a.A.f", 2),
        (use, 32, "B?.f", "lib/a.A.f", 2),
        *(
            [(use, 34, "require", "unresolved:require", None), (use, 35, "B.s", "lib/a.B.s", 6)]
            if language == "javascript"
            else []
        ),
    ]
    assert _targets_by_path(run_dataflow(repo, languages=[language])) == expected


@pytest.mark.parametrize(("language", "suffix"), [("javascript", "js"), ("typescript", "ts")])
def test_a_local_value_shadows_an_imported_name(tmp_path: Path, language: str, suffix: str) -> None:
    """A parameter named as a namespace import or a named import is a value: `util.f()` and
    `obj.g()` through it reach nothing of the module imported (tsc: nothing); outside the
    function the imports' `f` and `obj.g`; a local object's own method in its file stays."""
    files = {
        f"lib/util.{suffix}": "export function f() {}\nexport const obj = { g() {} };\n",
        f"lib/use.{suffix}": (
            'import * as util from "./util";\n'
            'import { obj } from "./util";\n'
            "function a(util) { util.f(); }\n"  # 3: tsc: none
            "function b(obj) { obj.g(); }\n"  # 4: tsc: none
            "util.f();\n"  # 5: util.f (1)
            "obj.g();\n"  # 6: util.obj.g (2)
            "function c() { const own = { h() {} }; own.h(); }\n"  # 7: own.h (7)
        ),
    }
    repo = write_repo(tmp_path / "repo", files)
    use = f"lib/use.{suffix}"
    assert _targets_by_path(run_dataflow(repo, languages=[language])) == [
        (use, 3, "util.f", "unresolved:f", None),
        (use, 4, "obj.g", "unresolved:g", None),
        (use, 5, "util.f", "lib/util.f", 1),
        (use, 6, "obj.g", "lib/util.obj.g", 2),
        (use, 7, "own.h", "lib/use.c.own.h", 7),
    ]


LOCAL_VALUES_CALLED = {
    "lib/b.{suffix}": "export function cb() {}\n",
    "lib/use.{suffix}": (
        'import { cb } from "./b";\n'
        "function k() {}\n"
        "function e() {}\n"
        "class Ctor {}\n"
        "function f1(cb) { cb(); (cb)(); }\n"  # 5: tsc: the parameter (none)
        "function f2({ cb }) { cb(); }\n"  # 6: none (a destructured parameter)
        "function f3([cb]) { cb(); }\n"  # 7: none
        "function f4(cb = () => {}) { cb(); }\n"  # 8: none (a default parameter)
        "function f5(...cb) { cb(); }\n"  # 9: none (a rest parameter)
        "const f6 = (cb) => { cb(); };\n"  # 10: none (an arrow function's)
        "const f7 = cb => cb();\n"  # 11: none
        "function f8(cbs) { for (const cb of cbs) cb(); }\n"  # 12: none (a loop variable)
        "function f9() { try {} catch (e) { e(); } }\n"  # 13: none (a catch variable)
        "function f10() { let cb = null; if (cb) { cb(); } }\n"  # 14: none (a local)
        "function f11() { { let cb = null; } cb(); }\n"  # 15: the import (the `let`'s block)
        "function f12(cb) { function inner() { cb(); } }\n"  # 16: none (the outer parameter)
        "function f13() { const cb = () => {}; cb(); }\n"  # 17: the local function (17)
        "function f14(cb) { { function cb() {} cb(); } }\n"  # 18: the block's function (18)
        "function f15(Ctor) { new Ctor(); }\n"  # 19: none (a parameter, no class)
        "const h = function k() { k(); };\n"  # 20: the function expression, h (20)
        "const o = { m: function k() { k(); } };\n"  # 21: o.m (21)
        "foo(function k() { k(); });\n"  # 22: none (the expression is no symbol)
        "const f16 = () => function k() { k(); };\n"  # 23: none (f16 is the arrow)
        "cb();\n"  # 24: the import
        "k();\n"  # 25: the top-level k (2)
    ),
}


@pytest.mark.parametrize(("language", "suffix"), [("javascript", "js"), ("typescript", "ts")])
def test_a_bare_call_of_a_local_value_names_no_outer_definition(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """A bare call of a name a function or a block around binds to a value (a parameter, plain,
    destructured, defaulted or rest, an arrow function's, a loop, `catch` or local variable,
    an outer function's parameter; `new` of one) is unresolved, as tsc binds it to that
    value, never the import nor the top-level function of that name; a local binding of a
    function (`const cb = () => {}`, a block's `function cb`) is that function. A named
    function expression's own name is the expression inside it: the symbol it is the value
    of (`const h = function k() {}`: h; `{ m: function k() {} }`: o.m), none where it is no
    symbol's value (an argument, an arrow function's body)."""
    files = {path.format(suffix=suffix): source for path, source in LOCAL_VALUES_CALLED.items()}
    repo = write_repo(tmp_path / "repo", files)
    use = f"lib/use.{suffix}"
    none = "unresolved:"
    assert _targets_by_path(run_dataflow(repo, languages=[language])) == [
        (use, 5, "(cb)", none + "cb", None),
        (use, 5, "cb", none + "cb", None),
        (use, 6, "cb", none + "cb", None),
        (use, 7, "cb", none + "cb", None),
        (use, 8, "cb", none + "cb", None),
        (use, 9, "cb", none + "cb", None),
        (use, 10, "cb", none + "cb", None),
        (use, 11, "cb", none + "cb", None),
        (use, 12, "cb", none + "cb", None),
        (use, 13, "e", none + "e", None),
        (use, 14, "cb", none + "cb", None),
        (use, 15, "cb", "lib/b.cb", 1),
        (use, 16, "cb", none + "cb", None),
        (use, 17, "cb", "lib/use.f13.cb", 17),
        (use, 18, "cb", "lib/use.f14.cb", 18),
        (use, 19, "Ctor", none + "Ctor", None),
        (use, 20, "k", "lib/use.h", 20),
        (use, 21, "k", "lib/use.o.m", 21),
        (use, 22, "foo", none + "foo", None),
        (use, 22, "k", none + "k", None),
        (use, 23, "k", none + "k", None),
        (use, 24, "cb", "lib/b.cb", 1),
        (use, 25, "k", "lib/use.k", 2),
    ]


LOCAL_VALUES_CALLED_GO = """\
package p

func cb() {}

func f1(cb func()) { cb() }

func f2() { cb := func() {}; cb() }

func f3(cbs []func()) { for _, cb := range cbs { cb() } }

func f4() { var cb func(); (cb)() }

func f5(cb func()) { func() { cb() } }

func f6() { if true { cb := 1; _ = cb }; cb() }

func f7() { cb() }

func f8() { tests := []struct{ cb int }{{}}; _ = tests; cb() }
"""

LOCAL_VALUES_CALLED_RUST = """\
fn cb() {}
fn f1(cb: impl Fn()) { cb() }
fn f2() { let cb = || {}; cb() }
fn f3(cbs: Vec<fn()>) { for cb in cbs { cb() } }
fn f4() { let c = |cb: fn()| cb(); }
fn f5() { cb(); let cb = || {}; }
fn f6() { { let cb = || {}; } cb() }
fn f7() { fn cb() {} let cb = || {}; cb() }
fn f8() { cb() }
"""


def test_go_and_rust_bare_calls_of_local_values_name_no_function(tmp_path: Path) -> None:
    """Go and Rust: a bare call of a parameter, a local variable (`:=`, `var`, `let`), a loop
    variable, a closure's parameter, an outer function's parameter (a function literal's
    call) is unresolved, as go/types and rustc bind it to that value, not the package's or
    module's function of the name; a block's binding (Go's `if` block, Rust's `{ let }`) only
    in it, a Rust `let` from its end on (`cb(); let cb = ..`: the function before it), and a
    `let` after a local `fn cb` shadows it (rustc: the closure). A field of a Go anonymous
    struct in a function binds nothing there (`tests[i].cb` is read through a value)."""
    repo = write_repo(
        tmp_path / "repo",
        {"p/a.go": LOCAL_VALUES_CALLED_GO, "src/lib.rs": LOCAL_VALUES_CALLED_RUST},
    )
    go = [row for row in _targets_by_path(run_dataflow(repo, languages=["go"])) if row[2] == "cb"]
    assert go == [
        ("p/a.go", 5, "cb", "unresolved:cb", None),
        ("p/a.go", 7, "cb", "unresolved:cb", None),
        ("p/a.go", 9, "cb", "unresolved:cb", None),
        ("p/a.go", 13, "cb", "unresolved:cb", None),
        ("p/a.go", 15, "cb", "p.cb", 3),
        ("p/a.go", 17, "cb", "p.cb", 3),
        ("p/a.go", 19, "cb", "p.cb", 3),
    ]
    assert [
        row for row in _targets_by_path(run_dataflow(repo, languages=["go"])) if row[2] == "(cb)"
    ] == [("p/a.go", 11, "(cb)", "unresolved:cb", None)]
    assert _targets_by_path(run_dataflow(repo, languages=["rust"])) == [
        ("src/lib.rs", 2, "cb", "unresolved:cb", None),
        ("src/lib.rs", 3, "cb", "unresolved:cb", None),
        ("src/lib.rs", 4, "cb", "unresolved:cb", None),
        ("src/lib.rs", 5, "cb", "unresolved:cb", None),
        ("src/lib.rs", 6, "cb", "crate::cb", 1),
        ("src/lib.rs", 7, "cb", "crate::cb", 1),
        ("src/lib.rs", 8, "cb", "unresolved:cb", None),
        ("src/lib.rs", 9, "cb", "crate::cb", 1),
    ]


LOCAL_VALUES_CALLED_PYTHON = """\
from lib.b import imp
def cb(): pass
def f1(cb): cb()
def f2(*cb, **kw): cb(); kw()
def f3(cb=None): cb()
def f4(*, cb: int = 1): cb()
g = lambda cb: cb()
def f5(): cb = make(); cb()
def f6(cbs):
    for cb in cbs: cb()
def f7():
    with open() as cb: cb()
def f8():
    try: pass
    except E as cb: cb()
def f9(cbs): return [cb() for cb in cbs]
def f10(): [cb for cb in x]; cb()
def f11():
    if (cb := make()): cb()
def f12():
    global cb
    cb = 1
    cb()
def f13(cb):
    def inner(): cb()
def f14():
    def cb(): pass
    cb()
def f15(cb):
    def inner():
        nonlocal cb
        cb = 1
        cb()
def f16(): cb(); cb = 1
def f17(imp): imp()
def f18(): imp()
def f19(): a, cb = x; cb()
cb()
"""


def test_python_bare_calls_of_local_values_name_no_function(tmp_path: Path) -> None:
    """Python: a bare call of a parameter (plain, `*args`, `**kw`, defaulted, keyword-only,
    a lambda's), a local variable (an assignment, an unpacking, a walrus), a `for`, `with` or
    `except` target, a comprehension's variable, an outer function's parameter (`nonlocal` too)
    is unresolved, as Jedi binds it to that value, not the module's function nor the import of
    the name. A name the function assigns anywhere is its local throughout it (`cb(); cb = 1`:
    an UnboundLocalError, no call of the module's cb; Jedi guesses both); a comprehension's
    variable is its own (`f10`: the module's cb after it), a `global cb` the module's, and a
    local `def cb()` is that function (rule 2)."""
    repo = write_repo(
        tmp_path / "repo",
        {
            "lib/__init__.py": "",
            "lib/b.py": "def imp(): pass\n",
            "lib/use.py": LOCAL_VALUES_CALLED_PYTHON,
        },
    )
    none = "unresolved:"
    assert [
        row
        for row in _targets_by_path(run_dataflow(repo, languages=["python"]))
        if row[2] in ("cb", "kw", "imp")
    ] == [
        ("lib/use.py", 3, "cb", none + "cb", None),
        ("lib/use.py", 4, "cb", none + "cb", None),
        ("lib/use.py", 4, "kw", none + "kw", None),
        ("lib/use.py", 5, "cb", none + "cb", None),
        ("lib/use.py", 6, "cb", none + "cb", None),
        ("lib/use.py", 7, "cb", none + "cb", None),
        ("lib/use.py", 8, "cb", none + "cb", None),
        ("lib/use.py", 10, "cb", none + "cb", None),
        ("lib/use.py", 12, "cb", none + "cb", None),
        ("lib/use.py", 15, "cb", none + "cb", None),
        ("lib/use.py", 16, "cb", none + "cb", None),
        ("lib/use.py", 17, "cb", "lib.use.cb", 2),
        ("lib/use.py", 19, "cb", none + "cb", None),
        ("lib/use.py", 23, "cb", "lib.use.cb", 2),
        ("lib/use.py", 25, "cb", none + "cb", None),
        ("lib/use.py", 28, "cb", "lib.use.f14.cb", 27),
        ("lib/use.py", 33, "cb", none + "cb", None),
        ("lib/use.py", 34, "cb", none + "cb", None),
        ("lib/use.py", 35, "imp", none + "imp", None),
        ("lib/use.py", 36, "imp", "lib.b.imp", 1),
        ("lib/use.py", 37, "cb", none + "cb", None),
        ("lib/use.py", 38, "cb", "lib.use.cb", 2),
    ]


GO_LOCALS_FROM_THEIR_END_TO_THEIR_BLOCK = """\
package p

func cb() {}

func a1() {
	cb()
	cb := func() {}
	cb()
}

func a2(ch chan func()) {
	select {
	case cb := <-ch:
		cb()
	}
	cb()
}

func a3() {
	{
		cb := func() {}
		cb()
	}
	cb()
}

func a4(n int) {
	switch n {
	case 1:
		var cb func()
		cb()
	default:
		cb()
	}
}
"""


def test_go_local_values_hold_from_their_end_to_their_block_end(tmp_path: Path) -> None:
    """Go: a local `:=` or `var` holds from its end to the end of the block or case clause
    it stands in, a `select` case's `cb := <-ch` in its case (the spec's scope of a local;
    go/types): `cb()` before `cb := ...`, after a `{ cb := ... }` block or a `select`, or in
    another case of a switch is the package's `cb`, inside the binding's reach the value
    (unresolved)."""
    repo = write_repo(tmp_path / "repo", {"p/a.go": GO_LOCALS_FROM_THEIR_END_TO_THEIR_BLOCK})
    rows = [r for r in _targets_by_path(run_dataflow(repo, languages=["go"])) if r[2] == "cb"]
    assert rows == [
        ("p/a.go", 6, "cb", "p.cb", 3),
        ("p/a.go", 8, "cb", "unresolved:cb", None),
        ("p/a.go", 14, "cb", "unresolved:cb", None),
        ("p/a.go", 16, "cb", "p.cb", 3),
        ("p/a.go", 22, "cb", "unresolved:cb", None),
        ("p/a.go", 24, "cb", "p.cb", 3),
        ("p/a.go", 31, "cb", "unresolved:cb", None),
        ("p/a.go", 33, "cb", "p.cb", 3),
    ]


RUST_BLOCK_FN_ITEM_OVER_OUTER_LET = """\
fn cb() {}
fn b9() {
    let cb = || ();
    {
        cb();
        fn cb() {}
        cb();
    }
    cb();
}
"""


def test_rust_block_fn_item_names_its_function_over_an_outer_let(tmp_path: Path) -> None:
    """Rust: a `fn` item in a block names that function in the whole block (rustc), over a
    `let` of the name outside the block: the block's `cb()` calls (before the item too) are
    b9's inner `cb`; after the block the closure's (unresolved)."""
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": RUST_BLOCK_FN_ITEM_OVER_OUTER_LET})
    assert _targets_by_path(run_dataflow(repo, languages=["rust"])) == [
        ("src/lib.rs", 5, "cb", "crate::b9::cb", 6),
        ("src/lib.rs", 7, "cb", "crate::b9::cb", 6),
        ("src/lib.rs", 9, "cb", "unresolved:cb", None),
    ]


@pytest.mark.parametrize(("language", "suffix"), [("javascript", "js"), ("typescript", "ts")])
def test_a_parameter_named_as_its_function_expression_is_a_value_there(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """A named function expression's own name is no function binding in it where its
    parameter or a `var` of its body declares the name (tsc: the value): `const h = function
    k(k) { k(); }` and `function k() { var k; k(); }` leave k() unresolved (not h, nor the
    top-level k); without such a binding k() is h as before."""
    source = (
        "function k() {}\n"
        "const h = function k(k) { k(); };\n"  # 2: the parameter (none)
        "const i = function k() { var k = null; k(); };\n"  # 3: the `var` (none)
        "const j = function k() { k(); };\n"  # 4: j
        "export { h, i, j, k };\n"
    )
    repo = write_repo(tmp_path / "repo", {f"a.{suffix}": source})
    rows = [r for r in _targets_by_path(run_dataflow(repo, languages=[language])) if r[2] == "k"]
    assert rows == [
        (f"a.{suffix}", 2, "k", "unresolved:k", None),
        (f"a.{suffix}", 3, "k", "unresolved:k", None),
        (f"a.{suffix}", 4, "k", "a.j", 4),
    ]


@pytest.mark.parametrize(("language", "suffix"), [("javascript", "js"), ("typescript", "ts")])
def test_a_static_written_alone_on_its_line_puts_the_next_method_on_the_static_side(
    tmp_path: Path, language: str, suffix: str
) -> None:
    """`static`, a line break, then `f() {}` is a static method (ECMAScript, tsc; tree-sitter
    reads a field named `static`, then an instance `f`): `A.f()` reaches it as the class's static
    side, not the instance `f` of the same name after it; `this.f(1)` in an instance method the
    instance one."""
    source = (
        "class A {\n"
        "  static\n"
        "  f() {}\n"
        "  f(x) {}\n"
        "  m() {\n"
        "    A.f();\n"  # 6: the static f (line 3)
        "    this.f(1);\n"  # 7: the instance f (line 4)
        "  }\n"
        "}\n"
    )
    repo = write_repo(tmp_path / "repo", {f"lib/models.{suffix}": source})
    assert _targets_by_line(run_dataflow(repo, languages=[language])) == [
        (6, "A.f", "lib/models.A.f", 3),
        (7, "this.f", "lib/models.A.f", 4),
    ]


TS_STATIC_MEMBERS = (
    "class Model {\n"
    "  static create(): Model { return new Model(); }\n"
    "  save(): void {}\n"
    "}\n"
    "class Derived extends Model {\n"
    "  static make = (): Derived => new Derived();\n"  # a static property holding a function
    "  run(d: Derived): void {\n"
    "    d.create();\n"  # 8: a value has no static member: unresolved, no guess
    "    d.make();\n"  # 9: likewise
    "    d.save();\n"  # 10: Model.save, an instance method
    "    Derived.make();\n"  # 11: the static property's function
    "    Model.create();\n"  # 12: the static method
    "  }\n"
    "}\n"
)


def test_typescript_static_members_are_no_members_of_a_value(tmp_path: Path) -> None:
    """TypeScript's `static` methods and `static` properties holding functions (the symbols'
    ``modifiers``) belong to the class: a value declared `d: Derived` (rule 4a) reaches only
    instance methods, its class's or a base's; the class itself its statics."""
    repo = write_repo(tmp_path / "repo", {"src/models.ts": TS_STATIC_MEMBERS})
    targets = _targets_by_line(run_dataflow(repo, languages=["typescript"]))
    assert [target for target in targets if target[0] >= 8] == [
        (8, "d.create", "unresolved:create", None),
        (9, "d.make", "unresolved:make", None),
        (10, "d.save", "src/models.Model.save", 3),
        (11, "Derived.make", "src/models.Derived.make", 6),
        (12, "Model.create", "src/models.Model.create", 2),
    ]


TS_FIELD_COPIES = {
    "src/subject.ts": (
        "export class Subject { error(): void {} next(): void {} }\n"
        "export class Other { error(): void {} next(): void {} now(): void {} }\n"
    ),
    "src/clock.ts": "export interface Clock { now(): number; }\n",
    "src/base.ts": (
        'import { Clock } from "./clock";\nexport class Base { protected _clock!: Clock; }\n'
    ),
    "src/socket.ts": (
        'import { Subject } from "./subject";\n'
        'import { Base } from "./base";\n'
        "export class Socket extends Base {\n"
        "  private _output!: Subject;\n"
        "  run(): void {\n"
        "    const observer = this._output;\n"
        "    observer.error();\n"  # 7: Subject.error
        "    const { _clock } = this;\n"
        "    _clock.now();\n"  # 9: Clock.now, a field of the base in another file
        "    const { _output: renamed } = this;\n"
        "    renamed.next();\n"  # 11: a renamed property: no type, no unique name
        "  }\n"
        "}\n"
    ),
}


def test_typescript_copies_of_fields_of_this_are_typed_as_the_fields(tmp_path: Path) -> None:
    """``const x = this.y`` / ``const { y } = this`` type x / y as ``this.y.f()``'s receiver
    is typed: the field the file declares (``Subject``), else the field hop to the class's
    or a base's field, wherever it is written (``Base._clock: Clock``)."""
    repo = write_repo(tmp_path / "repo", TS_FIELD_COPIES)
    edges = _edges_by_path(run_dataflow(repo, languages=["typescript"]))
    assert [edge for edge in edges if edge[0] == "src/socket.ts"] == [
        ("src/socket.ts", 7, "observer.error", "src/subject.Subject.error"),
        ("src/socket.ts", 9, "_clock.now", "src/clock.Clock.now"),
        ("src/socket.ts", 11, "renamed.next", "unresolved:next"),
    ]


TS_ERROR_CLASSES = {
    "src/errors.ts": (
        "export interface EmptyError extends Error {}\n"
        "export interface EmptyErrorCtor { new (): EmptyError; }\n"
        "export const EmptyError: EmptyErrorCtor = createErrorClass();\n"
        "export interface Shape {}\n"
        "export class Shape { constructor() {} }\n"
        "export class Foo {}\n"
        "export function concatAll() { return (x: number) => x; }\n"
        "export function fn(): void {}\n"
    ),
    "src/use.ts": (
        'import { EmptyError, Shape, Foo, concatAll, fn } from "./errors";\n'
        "export function run(remove?: () => void): void {\n"
        "  throw new EmptyError();\n"  # 3: the interface merged with the const
        "  new Shape();\n"  # 4: the class's constructor, not the interface
        "  const v = (() => concatAll() as Foo)();\n"  # 5: a call of an expression
        "  concatAll()(1);\n"  # 6: a call of a call's value: not concatAll
        "  (fn)();\n"  # 7: a name in parentheses
        "  remove!();\n"  # 8: a parameter asserted non-null
        "}\n"
    ),
}


def test_typescript_constructor_calls_of_interfaces_and_calls_of_values(tmp_path: Path) -> None:
    """`new EmptyError()` of an interface merged with a const of a construct signature (rxjs's
    error classes) is the interface, as the compiler's merged symbol; a class of the name wins.
    A callee that is no name names nothing by its last identifier (`concatAll()(1)`,
    `(() => x as Foo)()`), a name in parentheses is that name."""
    repo = write_repo(tmp_path / "repo", TS_ERROR_CLASSES)
    edges = _edges_by_path(run_dataflow(repo, languages=["typescript"]))
    assert [edge for edge in edges if edge[0] == "src/use.ts"] == [
        ("src/use.ts", 3, "EmptyError", "src/errors.EmptyError"),
        ("src/use.ts", 4, "Shape", "src/errors.Shape.constructor"),
        ("src/use.ts", 5, "(() => concatAll() as Foo)", "unresolved:Foo"),
        ("src/use.ts", 5, "concatAll", "src/errors.concatAll"),
        ("src/use.ts", 6, "concatAll", "src/errors.concatAll"),
        ("src/use.ts", 6, "concatAll()", "unresolved:concatAll"),
        ("src/use.ts", 7, "(fn)", "src/errors.fn"),
        ("src/use.ts", 8, "remove!", "unresolved:remove"),
    ]


JS_MEMBER_COPIES = {
    "lib/ModuleGraph.js": "class ModuleGraph { getModule() {} }\nmodule.exports = ModuleGraph;\n",
    "lib/Other.js": "class Other { getModule() {} }\nmodule.exports = Other;\n",
    "lib/Compilation.js": (
        'const ModuleGraph = require("./ModuleGraph");\n'
        "class Compilation {\n"
        "  constructor() { this.moduleGraph = new ModuleGraph(); }\n"
        "}\n"
        "module.exports = Compilation;\n"
    ),
    "lib/Plugin.js": (
        '/** @typedef {import("./Compilation")} Compilation */\n'
        "class Plugin {\n"
        "  /** @param {Compilation} compilation the compilation */\n"
        "  apply(compilation) {\n"
        "    const moduleGraph = compilation.moduleGraph;\n"
        "    moduleGraph.getModule();\n"  # 6: ModuleGraph.getModule, a field of Compilation
        "    const { moduleGraph: graph } = compilation;\n"
        "    graph.getModule();\n"  # 8: a renamed property: no type, no unique name
        "  }\n"
        "}\n"
    ),
}


def test_javascript_copies_of_fields_are_field_hops_across_files(tmp_path: Path) -> None:
    """``const x = y.z`` / ``const { z } = y`` with ``y`` documented ``@param {Compilation}``:
    x is what ``y.z`` is, the field ``moduleGraph`` Compilation's constructor sets in another
    file (``this.moduleGraph = new ModuleGraph()``)."""
    repo = write_repo(tmp_path / "repo", JS_MEMBER_COPIES)
    edges = _edges_by_path(run_dataflow(repo, languages=["javascript"]))
    assert [edge for edge in edges if edge[0] == "lib/Plugin.js"] == [
        ("lib/Plugin.js", 6, "moduleGraph.getModule", "lib/ModuleGraph.ModuleGraph.getModule"),
        ("lib/Plugin.js", 8, "graph.getModule", "unresolved:getModule"),
    ]


TS_ASSERTED_RECEIVERS = {
    "src/subject.ts": (
        "export class Subject { next(): void {} }\nexport class Other { next(): void {} }\n"
    ),
    "src/use.ts": (
        'import { Subject } from "./subject";\n'
        "export function run(queue: unknown): void {\n"
        "  (queue as Subject).next();\n"  # 3: Subject.next
        "  (queue as any).next();\n"  # 4: no type, no unique name
        "  (queue as Promise<number>).then();\n"  # 5: a builtin type: unresolved
        "}\n"
    ),
}


def test_typescript_a_type_assertion_types_its_receiver(tmp_path: Path) -> None:
    """`(queue as Subject).next()` is a member call on a Subject (rule 4a, as an annotation);
    `as any` states nothing; a builtin type is no repository type."""
    repo = write_repo(tmp_path / "repo", TS_ASSERTED_RECEIVERS)
    edges = _edges_by_path(run_dataflow(repo, languages=["typescript"]))
    assert [edge for edge in edges if edge[0] == "src/use.ts"] == [
        ("src/use.ts", 3, "(queue as Subject).next", "src/subject.Subject.next"),
        ("src/use.ts", 4, "(queue as any).next", "unresolved:next"),
        ("src/use.ts", 5, "(queue as Promise<number>).then", "unresolved:then"),
    ]


TS_INTERFACES_WITHOUT_VALUES = {
    "src/types.ts": (
        "export interface Bare { x: number }\n"
        "declare global { interface Promise<T> { extra(): void } }\n"
        "export interface Declared {}\n"
        "export interface DeclaredCtor { new (): Declared; }\n"
        "export declare const Declared: DeclaredCtor;\n"
        "export interface Asserted {}\n"
        "export interface AssertedCtor { new (): Asserted; }\n"
        "export const Asserted: AssertedCtor = (() => function () {})() as any;\n"
    ),
    "src/use.ts": (
        'import { Asserted, Bare, Declared } from "./types";\n'
        "export function run(): void {\n"
        "  new Bare();\n"  # 3: an interface alone constructs nothing (a type error)
        "  new Promise((resolve) => resolve(1));\n"  # 4: the global, not the augmentation
        "  new Declared();\n"  # 5: merged with a declared const
        "  new Asserted();\n"  # 6: merged with a const of an asserted call
        "}\n"
    ),
}


def test_typescript_constructor_calls_of_interfaces_need_a_value_of_the_name(
    tmp_path: Path,
) -> None:
    """`new X()` is the interface X only where a value X of its file merges with it (a
    `const X: XCtor = f()`, `= f() as any`, `declare const X: XCtor`); an interface alone (a `declare global`
    augmentation of Promise among them) is no constructor."""
    repo = write_repo(tmp_path / "repo", TS_INTERFACES_WITHOUT_VALUES)
    edges = _edges_by_path(run_dataflow(repo, languages=["typescript"]))
    assert [edge for edge in edges if edge[0] == "src/use.ts"] == [
        ("src/use.ts", 3, "Bare", "unresolved:Bare"),
        ("src/use.ts", 4, "Promise", "unresolved:Promise"),
        ("src/use.ts", 4, "resolve", "unresolved:resolve"),
        ("src/use.ts", 5, "Declared", "src/types.Declared"),
        ("src/use.ts", 6, "Asserted", "src/types.Asserted"),
    ]


# (tsc names each call here as the test asserts, `oracles.typescript_answers` on the folder)
ES5_CLASSES_OF_NEW = (
    "function Bar() {}\n"
    "Bar.prototype.m = function () { this.x = function () {}; };\n"
    "function Baz() { this.y = function () {}; function init() {} }\n"
    "Baz.prototype.m = function () {};\n"
    "new Baz().m();\n"  # 5: Baz's, though Bar has an `m` too
    "new Bar().m();\n"  # 6
    "const b = new Baz();\n"
    "b.m();\n"  # 8
    "new Baz().init();\n"  # 9: a local of the constructor, no member
    "new Baz().x();\n"  # 10: Bar's only, never a guess
    "function Qux() {}\n"
    "new Qux().m();\n"  # 12: nothing stored on a Qux: no class, as before
    "new Baz().y();\n"  # 13
)


def test_javascript_new_of_an_es5_class_has_its_members(tmp_path: Path) -> None:
    """A JavaScript function with members stored on its objects (`Foo.prototype.m = ...`,
    `this.m = ...` in it) is an ES5 class, as tsc reads it: `new Foo()` and a name bound to it
    are a declared `Foo` (rule 4a), whose `m` is Foo's own (not a unique short name, ambiguous
    here), a function local to it none, and a name no member of it unresolved, never rule 5."""
    repo = write_repo(tmp_path / "repo", {"a.js": ES5_CLASSES_OF_NEW})
    calls = _calls_by_line(run_dataflow(repo, languages=["javascript"]))
    assert [call for call in calls if "." in call[1]] == [
        (5, "new Baz().m", "a.Baz.m"),
        (6, "new Bar().m", "a.Bar.m"),
        (8, "b.m", "a.Baz.m"),
        (9, "new Baz().init", "unresolved:init"),
        (10, "new Baz().x", "unresolved:x"),
        (12, "new Qux().m", "unresolved:m"),
        (13, "new Baz().y", "a.Baz.y"),
    ]


# (tsc names each call here as the test asserts)
OBJECT_LITERAL_THIS_MEMBERS = (
    "const o = { k: function () { this.w = function () {}; } };\n"
    "o.w();\n"  # 2: k's own (what `new o.k()` makes), no member of o: no guess
    "new o.k().w();\n"  # 3
    "const obj = { k() { const f = () => { this.s = function () {}; }; f(); } };\n"
    "obj.s();\n"  # 5: k's own, no member of obj
    "obj.k();\n"  # 6
    "function Foo() {}\n"
    "Foo.prototype = { baz() { this.y = function () {}; } };\n"
    "new Foo().y();\n"  # 9: a prototype's method runs on a Foo
    "o.k.w();\n"  # 10: what `new o.k()` makes holds w, not the function o.k
    "function F() { this.m = function () {}; }\n"
    "F.m();\n"  # 12: a F's, not the function F's
    "new F().m();\n"  # 13
    "class E { static make = function () { this.q = function () {}; }; }\n"
    "E.make.q();\n"  # 15
    "F.n = function () {};\n"
    "F.n();\n"  # 17: the function F's own property
)


def test_javascript_an_object_literal_holds_its_properties_as_written(tmp_path: Path) -> None:
    """tsc types an object literal by its properties as written: a function its method stores
    on `this` is the method's own (no member of the literal, unlike a class's or a
    prototype's method), and a call through the literal's name reads the literal: its member,
    else unresolved, never a rule-5 guess (h119's o1: `o.w()` was the one `w`, `o.k.w`). What a
    function stores on its own `this` is a member of what `new` makes of it, not of the
    function: a call through the function's name names nothing (review r20c F1: `o.k.w()`,
    `F.m()`, `E.make.q()` were the `this` members)."""
    repo = write_repo(tmp_path / "repo", {"a.js": OBJECT_LITERAL_THIS_MEMBERS})
    calls = _calls_by_line(run_dataflow(repo, languages=["javascript"]))
    assert [call for call in calls if "." in call[1]] == [
        (2, "o.w", "unresolved:w"),
        (3, "new o.k().w", "a.o.k.w"),
        (3, "o.k", "a.o.k"),
        (5, "obj.s", "unresolved:s"),
        (6, "obj.k", "a.obj.k"),
        (9, "new Foo().y", "a.Foo.y"),
        (10, "o.k.w", "unresolved:w"),
        (12, "F.m", "unresolved:m"),
        (13, "new F().m", "a.F.m"),
        (15, "E.make.q", "unresolved:q"),
        (17, "F.n", "a.F.n"),
    ]


JAVA_OUTSIDE_CALL_VALUES = {
    "src/app/Day.java": (
        "package app;\n"
        "import sun.util.calendar.BaseCalendar;\n"
        "class Day {\n"
        "    int getYear() { return 0; }\n"
        "    int year(BaseCalendar gcal, Day d) {\n"
        "        return gcal.getCalendarDate().getYear()\n"  # 6: outside, no guess
        "            + d.self().getYear();\n"  # 7: Day.getYear
        "    }\n"
        "    Day self() { return this; }\n"
        "}\n"
    ),
}


def test_java_a_call_value_from_outside_takes_no_guess(tmp_path: Path) -> None:
    """The value of a call that rule 4a leaves unresolved on a declared type from outside the
    repository (`gcal.getCalendarDate()` with `gcal` a `sun.util.calendar.BaseCalendar`) is
    from outside too: its members unresolved, never the repository's one `getYear` (rule 5)."""
    repo = write_repo(tmp_path / "repo", JAVA_OUTSIDE_CALL_VALUES)
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert (6, "gcal.getCalendarDate().getYear", "unresolved:getYear", None) in targets
    assert (7, "d.self().getYear", "app.Day.getYear", 4) in targets


JAVA_DECLARED_TYPE_ARITY = {
    "src/app/Base.java": (
        "package app;\nclass Base {\n    Object iterator() { return null; }\n}\n"
    ),
    "src/app/Sub.java": (
        "package app;\n"
        "class Sub extends Base {\n"
        "    Object iterator(int from) { return null; }\n"
        "    Object all(Sub other) {\n"
        "        other.iterator(1);\n"  # 5: Sub.iterator(int)
        "        return other.iterator();\n"  # 6: Base.iterator()
        "    }\n"
        "    Object none(Sub other) { return other.iterator(1, 2); }\n"  # 8: none takes 2
        "}\n"
    ),
}


def test_java_declared_type_walks_to_the_base_overload_of_the_arity(tmp_path: Path) -> None:
    """Rule 4a on a declared type none of whose own methods of the name can take the call's
    argument count: the nearest base's overload that can (`other.iterator()` where Sub
    overrides only `iterator(int)`); none anywhere: unresolved."""
    repo = write_repo(tmp_path / "repo", JAVA_DECLARED_TYPE_ARITY)
    edges = _edges_by_path(run_dataflow(repo, languages=["java"]))
    assert ("src/app/Sub.java", 5, "other.iterator", "app.Sub.iterator") in edges
    assert ("src/app/Sub.java", 6, "other.iterator", "app.Base.iterator") in edges
    assert ("src/app/Sub.java", 8, "other.iterator", "unresolved:iterator") in edges


JAVA_OVERLOADS_BY_TYPE = {
    "src/app/Over.java": (
        "package app;\n"
        "class Over {\n"
        "    void put(int x) {}\n"  # 3
        "    void put(long x) {}\n"  # 4
        "    void put(Object x) {}\n"  # 5
        "    void put(String s) {}\n"  # 6
        "    void two(int a, Object b) {}\n"  # 7
        "    void two(long a, String b) {}\n"  # 8
        "    <T> void gen(T t) {}\n"  # 9
        "    void gen(int i) {}\n"  # 10
        "    Over() {}\n"  # 11
        "    Over(int n) {}\n"  # 12
        "    Over(String s) {}\n"  # 13
        "    void go(short s, Over o) {\n"
        "        put(1);\n"  # 15: put(int)
        "        put(1L);\n"  # 16: put(long)
        "        put(s);\n"  # 17: put(int), a short widened: int is more specific than long
        "        put('c');\n"  # 18: put(int)
        '        put("a");\n'  # 19: put(String)
        "        put(o);\n"  # 20: put(Object)
        "        put(null);\n"  # 21: put(String), more specific than put(Object)
        "        put(1.0);\n"  # 22: only boxing takes a double (javac's second phase): none
        "        put(o.hashCode());\n"  # 23: the argument's type is not evident: none
        "        two(1, o);\n"  # 24: two(int, Object)
        "        gen(o);\n"  # 25: gen(T)
        "        gen(1);\n"  # 26: gen(int)
        "        new Over(1);\n"  # 27: Over(int)
        '        new Over("s");\n'  # 28: Over(String)
        "        new Over(null);\n"  # 29: Over(String)
        "        new Over(1.0f);\n"  # 30: no constructor in the first phase: the class
        "    }\n"
        "}\n"
    ),
    "src/app/Sub.java": (
        "package app;\n"
        "class Sub extends Over {\n"
        "    void put(double d) {}\n"  # 3
        "    void go() { put(1); }\n"  # 4: the base's put(int), more specific than its own
        "    void go2() { put(1.5); }\n"  # 5: its own put(double)
        "}\n"
    ),
    "src/app/Ext.java": (
        "package app;\n"
        "class Ext extends Thread {\n"
        "    void put(int x) {}\n"
        "    void put(long x) {}\n"
        "    void go() { put(1); }\n"  # 5: Thread may declare another put: none
        "}\n"
    ),
}


def test_java_overloads_of_one_arity_by_argument_types(tmp_path: Path) -> None:
    """Several overloads take the call's argument count: the one its argument types pick in
    javac's first phase (JLS 15.12.2.2: identity, primitive widening, a reference to
    `Object`, `null` to any reference, anything to a type variable; no boxing), the most
    specific of those (`put(int)` for a `short`, `put(String)` for `null`); a type not
    evident at the call, a call only boxing makes applicable, a base outside the repository
    (which may declare more): unresolved. A base's overload is a candidate with the type's
    own (`put(1)` in Sub is Over's `put(int)`); constructors alike (none: the class)."""
    repo = write_repo(tmp_path / "repo", JAVA_OVERLOADS_BY_TYPE)
    tables = run_dataflow(repo, languages=["java"])
    edges = _edges_by_path(tables)
    over = [row for row in _targets_by_line(tables) if 15 <= row[0] <= 30]
    assert over == [
        (15, "put", "app.Over.put", 3),
        (16, "put", "app.Over.put", 4),
        (17, "put", "app.Over.put", 3),
        (18, "put", "app.Over.put", 3),
        (19, "put", "app.Over.put", 6),
        (20, "put", "app.Over.put", 5),
        (21, "put", "app.Over.put", 6),
        (22, "put", "unresolved:put", None),
        (23, "o.hashCode", "unresolved:hashCode", None),
        (23, "put", "unresolved:put", None),
        (24, "two", "app.Over.two", 7),
        (25, "gen", "app.Over.gen", 9),
        (26, "gen", "app.Over.gen", 10),
        (27, "Over", "app.Over.Over", 12),
        (28, "Over", "app.Over.Over", 13),
        (29, "Over", "app.Over.Over", 13),
        (30, "Over", "app.Over", 2),
    ]
    assert ("src/app/Ext.java", 5, "put", "unresolved:put") in edges
    assert ("src/app/Sub.java", 4, "put", "app.Over.put") in edges
    assert ("src/app/Sub.java", 5, "put", "app.Sub.put") in edges


JAVA_OVERLOADS_BY_SUBTYPE = {
    "src/app/Draw.java": (
        "package app;\n"
        "interface Shape {}\n"
        "class Circle implements Shape {}\n"
        "class Square implements Shape, java.io.Serializable {}\n"
        "interface Task {}\n"
        "class Draw {\n"
        "    void paint(Shape s) {}\n"  # 7
        "    void paint(Circle c) {}\n"  # 8
        "    void paint(String s) {}\n"  # 9
        "    void run(Task t) {}\n"  # 10
        "    void run(Runnable r) {}\n"  # 11
        "    void keep(java.io.Serializable s) {}\n"  # 12
        "    void keep(Task t) {}\n"  # 13
        "    void go(Circle c, Square q, Task t, Runnable r, Lost l, Ext e) {\n"
        "        paint(c);\n"  # 15: paint(Circle), more specific than paint(Shape)
        "        paint(q);\n"  # 16: paint(Shape)
        "        run(t);\n"  # 17: run(Task): a repository type is no Runnable
        "        run(r);\n"  # 18: run(Runnable): java.lang's Runnable is no Task
        "        keep(q);\n"  # 19: keep(Serializable), a base from outside by its name
        "        paint(l);\n"  # 20: Lost is from outside, its bases unknown: none
        "        paint(e);\n"  # 21: Ext's base Thread may be anything: none
        "    }\n"
        "}\n"
        "class Ext extends Thread implements Shape {}\n"
    ),
    "src/app/Arr.java": (
        "package app;\n"
        "class Arr {\n"
        "    static String toString(int[] a) { return null; }\n"  # 3
        "    static String toString(long[] a) { return null; }\n"  # 4
        "    boolean equals(Arr other) { return false; }\n"  # 5
        "    void go(long[] ls, Arr a, Object o) {\n"
        "        toString(ls);\n"  # 7: toString(long[]) (Object's toString() takes none)
        "        equals(a);\n"  # 8: equals(Arr), more specific than Object's equals(Object)
        "        equals(o);\n"  # 9: Object's equals(Object): no target
        "    }\n"
        "}\n"
    ),
    "src/app/Self.java": (
        "package app;\n"
        "class Self implements Shape {\n"
        "    void with(Shape s) {}\n"  # 3
        "    void with(String s) {}\n"  # 4
        "    void go() { with(this); }\n"  # 5: with(Shape): `this` is a Self, a Shape
        "}\n"
    ),
}


def test_java_overloads_by_subtypes_of_the_argument(tmp_path: Path) -> None:
    """An argument of a class fits a parameter of a type its bases reach (the TYPE_DECLs the
    names resolve to), the most specific such overload is the target; a repository type is
    no subtype of a type from outside that none of its bases names (``Runnable``), nor a
    java.lang type of a repository one; a type whose bases leave the repository (``extends
    Thread``), or a type from outside, fits no class but ``Object`` for sure: unresolved.
    ``Object``'s methods are candidates too: `equals(o)` of an `Object` is its `equals`, no
    target here, not the type's one `equals` of the arity (`equals(Arr)`)."""
    repo = write_repo(tmp_path / "repo", JAVA_OVERLOADS_BY_SUBTYPE)
    tables = run_dataflow(repo, languages=["java"])
    targets = _targets_by_line(tables)
    assert [row for row in targets if 15 <= row[0] <= 21] == [
        (15, "paint", "app.Draw.paint", 8),
        (16, "paint", "app.Draw.paint", 7),
        (17, "run", "app.Draw.run", 10),
        (18, "run", "app.Draw.run", 11),
        (19, "keep", "app.Draw.keep", 12),
        (20, "paint", "unresolved:paint", None),
        (21, "paint", "unresolved:paint", None),
    ]
    edges = _edges_by_path(tables)
    assert ("src/app/Arr.java", 7, "toString", "app.Arr.toString") in edges
    assert ("src/app/Arr.java", 8, "equals", "app.Arr.equals") in edges
    assert ("src/app/Arr.java", 9, "equals", "unresolved:equals") in edges
    self_calls = [row for row in _targets_by_line(tables) if row[1] == "with"]
    assert self_calls == [(5, "with", "app.Self.with", 3)]


JAVA_OWN_OVERLOAD_THE_TYPES_RULE_OUT = {
    "src/app/Sink.java": (
        "package app;\n"
        "abstract class Sink<T> {\n"
        "    void accept(T value) {}\n"  # 3
        "    void take(String s) {}\n"  # 4
        "}\n"
        "class IntSink extends Sink<Integer> {\n"
        "    void accept(int value) {\n"  # 7
        "        accept((Integer) value);\n"  # 8: javac Sink.accept(T), T Integer: none
        "    }\n"
        "    void take(int i) {}\n"  # 10
        "    void go(int v, Integer w) {\n"
        "        accept(v);\n"  # 12: its own accept(int)
        '        take("s");\n'  # 13: Sink.take(String)
        "        take(w);\n"  # 14: only unboxing takes an Integer (second phase): take(int)
        "    }\n"
        "}\n"
    ),
}


def test_java_own_overload_the_argument_types_rule_out_is_no_target(tmp_path: Path) -> None:
    """The one method of the call's arity in the nearest type is no guess where the argument
    types rule it out in javac's first phase and a base's method of the arity may take them
    (JLS 15.12.2.1: the inherited methods are candidates with the own): `accept((Integer) v)`
    next to an own `accept(int)` is the base's `accept(T)` (javac: `extends Sink<Integer>`),
    whose type variable's type is not read here: unresolved, no longer the own `accept(int)`.
    Where no base's method takes them in the first phase, the own one stands (`take(w)`: by
    unboxing, javac's second phase)."""
    repo = write_repo(tmp_path / "repo", JAVA_OWN_OVERLOAD_THE_TYPES_RULE_OUT)
    targets = _targets_by_line(run_dataflow(repo, languages=["java"]))
    assert targets == [
        (8, "accept", "unresolved:accept", None),
        (12, "accept", "app.IntSink.accept", 7),
        (13, "take", "app.Sink.take", 4),
        (14, "take", "app.IntSink.take", 10),
    ]


JAVA_OVERLOADS_BY_BOUNDED_TYPE_VARIABLE = {
    "src/app/Bound.java": (
        "package app;\n"
        "class Bound<E extends Number> {\n"
        "    <T extends CharSequence> void f(T t) {}\n"  # 3
        "    void f(int i) {}\n"  # 4
        "    <T> void g(T t) {}\n"  # 5
        "    void g(int i) {}\n"  # 6
        "    void h(E e) {}\n"  # 7
        "    void h(int i) {}\n"  # 8
        "    void go(Integer x, String s) {\n"
        "        f(x);\n"  # 10: javac's second phase, f(int) by unboxing: none here
        "        f(s);\n"  # 11: f(T), String a CharSequence, not followed here: none
        "        g(x);\n"  # 12: g(T), unbounded: any reference type
        "        h(x);\n"  # 13: E extends Number, its bound not followed: none
        "    }\n"
        "}\n"
    ),
}


def test_java_a_bounded_type_variable_takes_no_reference_for_sure(tmp_path: Path) -> None:
    """A parameter of a type variable with an `extends` bound (a method's or its class's)
    takes only the subtypes of its bound, which are not followed here: its fit is unknown,
    the call unresolved (`f(x)` with an `Integer` is javac's `f(int)` by unboxing, no
    `f(T extends CharSequence)`); an unbounded one takes any reference type (`g(x)`)."""
    repo = write_repo(tmp_path / "repo", JAVA_OVERLOADS_BY_BOUNDED_TYPE_VARIABLE)
    tables = run_dataflow(repo, languages=["java"])
    assert [row for row in _targets_by_line(tables) if 10 <= row[0] <= 13] == [
        (10, "f", "unresolved:f", None),
        (11, "f", "unresolved:f", None),
        (12, "g", "app.Bound.g", 5),
        (13, "h", "unresolved:h", None),
    ]


def _graph_frames(repo: Path) -> list[pl.DataFrame]:
    """The frames ``cpg._graph`` is made from (files, symbols, imports, go.mod and Cargo.toml
    rows) of a Python repository's dataflow run."""
    return _graph_frames_and_inherits(repo, language="python")[0]


def _graph_frames_and_inherits(
    repo: Path, *, language: str
) -> tuple[list[pl.DataFrame], pl.DataFrame]:
    """The frames ``cpg._graph`` is made from and the inherits rows of a repository's dataflow
    run of ``language``."""
    tables = run_dataflow(repo, languages=[language], extra=["go_modules", "rust_crates"])
    frames = [tables[name] for name in ("files", f"{language}.symbols", f"{language}.imports")] + [
        tables["go_modules"],
        tables["rust_crates"],
    ]
    return frames, tables[f"{language}.inherits"]


def test_the_graph_of_equal_frames_is_made_once(tmp_path: Path) -> None:
    """``cpg_nodes`` and ``cpg_edges`` of one build start from one graph: frames equal to the
    last graph's (other objects, as each node concatenates its own) give that graph; a changed
    row or another schema makes a new one, equal to one made afresh."""
    frames = _graph_frames(write_repo(tmp_path / "repo", REEXPORT_CHAINS))
    graph = cpg._graph(*frames)
    assert cpg._graph(*(frame.clone() for frame in frames)) is graph
    symbols = frames[1]
    for changed in (
        symbols.with_columns(start_line=pl.col("start_line") + 1),
        symbols.with_columns(pl.col("start_line").cast(pl.Int32)),
    ):
        last = cpg._graph(*frames)  # (the original frames' graph is the last one)
        other = cpg._graph(frames[0], changed, *frames[2:])
        assert other is not last
        made = cpg._built_graph(frames[0], changed, *frames[2:])
        assert other.labelled.equals(made.labelled)
        assert other.labelled.schema == made.labelled.schema


def test_an_edit_that_keeps_the_file_list_reuses_the_module_resolver_and_its_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``--watch`` rebuild after an edit of a file's content: the imports' module resolution
    (``_ModuleResolver``, Python per import key) reads only the files' modules, the module
    names and go.mod/Cargo.toml rows, which the edit leaves as they were: the last resolver is
    taken again and resolves only the import keys it has not answered; the graph is the one
    made afresh. Another file list makes a new resolver."""
    files, symbols, imports, go_modules, rust_crates = _graph_frames(
        write_repo(tmp_path / "repo", REEXPORT_CHAINS)
    )
    asked: list[str] = []
    resolve = cpg._ModuleResolver.resolve

    def counted(
        self: cpg._ModuleResolver, language: str, path: str, module: str, *, home: str | None
    ) -> str:
        asked.append(module)
        return resolve(self, language, path, module, home=home)

    monkeypatch.setattr(cpg._ModuleResolver, "resolve", counted)
    monkeypatch.setattr(cpg, "_LAST_RESOLVER", cpg._LastMade())  # (none of an earlier run)
    first = cpg._built_graph(files, symbols, imports, go_modules, rust_crates)
    assert asked  # (every import key once)
    resolver = cpg._module_resolver(first.analysed, first.namespaces, go_modules, rust_crates)
    # the edit: a file's content (sha256, lines) and its rows' lines; one import names another
    # module
    edited = files.with_columns(sha256=pl.col("sha256").reverse(), lines=pl.col("lines") + 3)
    moved = symbols.with_columns(start_line=pl.col("start_line") + 3)
    renamed = imports.with_columns(
        module=pl.when(pl.col("path") == "pkg/b.py").then(pl.lit(".a")).otherwise("module")
    )
    asked.clear()
    again = cpg._built_graph(edited, moved, renamed, go_modules, rust_crates)
    assert asked == [".a"]  # the one key not answered before
    assert cpg._module_resolver(again.analysed, again.namespaces, go_modules, rust_crates) is (
        resolver
    )
    monkeypatch.setattr(cpg, "_LAST_RESOLVER", cpg._LastMade())
    monkeypatch.setattr(cpg, "_LAST_FILE_NODES", cpg._LastMade())
    fresh = cpg._built_graph(edited, moved, renamed, go_modules, rust_crates)
    assert again.imports.equals(fresh.imports)
    assert again.analysed.equals(fresh.analysed)
    assert not again.imports.equals(first.imports)  # (`pkg.b`'s `g` comes from `pkg.a` now)
    # another file list: a new resolver, the FILE/NAMESPACE columns of the new list
    fewer = files.filter(pl.col("path") != "pkg/e.py")
    smaller = cpg._built_graph(fewer, symbols, imports, go_modules, rust_crates)
    made = cpg._module_resolver(smaller.analysed, smaller.namespaces, go_modules, rust_crates)
    assert made is not resolver
    assert "pkg/e.py" not in made.file_module
    assert cpg._analysed_files(fewer).equals(
        cpg._analysed_files(files).filter(pl.col("path") != "pkg/e.py")
    )


def test_an_edit_within_lines_keeps_the_graph_and_its_scope(tmp_path: Path) -> None:
    """An edit within a function body's lines (a call's arguments) changes a file's size and
    sha256 and its call rows, none of the frames the graph is made from: the last graph is
    taken again, with the scope made from it (``_Graph.scope``); a changed line count is a new
    graph, whose FILE spans are the new ones."""
    files, symbols, imports, go_modules, rust_crates = _graph_frames(
        write_repo(tmp_path / "repo", REEXPORT_CHAINS)
    )
    graph = cpg._graph(files, symbols, imports, go_modules, rust_crates)
    scope = graph.scope
    edited = files.with_columns(sha256=pl.col("sha256").reverse(), size=pl.col("size") + 1)
    again = cpg._graph(edited, symbols, imports, go_modules, rust_crates)
    assert again is graph
    assert again.scope is scope
    longer = files.with_columns(lines=pl.col("lines") + 1)
    other = cpg._graph(longer, symbols, imports, go_modules, rust_crates)
    assert other is not graph
    assert (
        other.analysed["lines"].to_list()
        == longer.filter(pl.col("status") == "ok")["lines"].to_list()
    )


def test_lookups_of_the_last_scope_and_owners_take_its_tables_and_ask_afresh(
    tmp_path: Path,
) -> None:
    """An edit within lines of a function body keeps the scope (``_Graph.scope``) and, adding
    no function, the owners: the lookups take the last tables (no query of the repository's
    symbols again) but remember nothing the last run asked; other owners make new tables."""
    graph = cpg._graph(*_graph_frames(write_repo(tmp_path / "repo", REEXPORT_CHAINS)))
    ids = graph.labelled["id"]
    none = pl.Series([], dtype=pl.String)
    first = cpg._Lookups(graph.scope, pl.concat([ids, pl.Series([cpg._TOP, None])]), none)
    first.exact(("METHOD",))
    again = cpg._Lookups(  # (the same owners, in another order)
        graph.scope, pl.concat([pl.Series([cpg._TOP]), ids.reverse()]), none, resolves_imports=False
    )
    assert again.with_parent is first.with_parent
    assert again.chains is first.chains
    assert not again._exact  # (nothing asked yet)
    assert again.exact(("METHOD",)).sort(pl.all()).equals(first.exact(("METHOD",)).sort(pl.all()))
    assert not again.resolves_imports
    fewer = cpg._Lookups(graph.scope, ids.head(2), none)
    assert fewer.chains is not first.chains
    assert set(fewer.chains["owner"].to_list()) == set(ids.head(2).to_list())
    # (another scope of equal frames: new tables)
    other = cpg._Lookups(cpg._scope(graph), ids, none)
    assert other.with_parent is not first.with_parent
    assert other.with_parent.equals(first.with_parent)


def test_a_base_walk_of_the_last_scope_and_children_takes_its_indexes_and_asks_afresh(
    tmp_path: Path,
) -> None:
    """The base walk (Python indexes of every method) of the last scope and children is the
    last one's indexes with none of its remembered answers; other children make new ones."""
    tables = run_dataflow(
        write_repo(
            tmp_path / "repo",
            {
                "a.py": "class Base:\n    def f(self): ...\n\n\nclass Child(Base):\n    def g(self): ...\n"
            },
        ),
        languages=["python"],
        extra=["go_modules", "rust_crates"],
    )
    graph = cpg._graph(
        *(
            tables[name]
            for name in ("files", "python.symbols", "python.imports", "go_modules", "rust_crates")
        )
    )
    scope = graph.scope
    assert scope.member_types is scope.member_types  # (made once)
    children = cpg._LAST_CHILDREN.get(
        (tables["python.inherits"],),
        lambda: cpg._inheriting_children(tables["python.inherits"], graph=graph, scope=scope),
        same=(scope,),
    ).with_columns(target=pl.col("child_id"))
    assert children.height
    first = cpg._base_walk(children, scope)
    first._found_in[("t", "f", None, None, False, False)] = frozenset({"remembered"})
    again = cpg._base_walk(children.clone(), scope)
    assert again.methods is first.methods
    assert not again._found_in
    assert again.rust is not first.rust and not again.rust._traits
    other = cpg._base_walk(children.with_columns(target=pl.lit(None, pl.String)), scope)
    assert other.methods is not first.methods
    assert other.methods == first.methods
    assert other.unknown_superclass != first.unknown_superclass  # (a base outside: unknown)


def test_rebuilds_through_the_process_memos_equal_fresh_builds(tmp_path: Path) -> None:
    """A ``--watch`` rebuild runs the dataflow again in the same process, its per-process memos
    (``_LastMade``, the recent ids of ``hash_ids`` and ``frame_node_ids``) warm with the last
    run's: after each edit (a function added at the end, which moves no call; a line added
    before the calls; a call added) its tables equal a fresh process's."""
    source = "fn helper() -> u32 {\n    1\n}\n\nfn main() {\n    helper();\n    other();\n}\n"
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": source, "src/other.rs": "fn other() {}\n"})
    run_dataflow(repo, languages=["rust"])
    for edited in (
        source + "\npub fn added() -> u32 {\n    1\n}\n",
        "// moved\n" + source + "\npub fn added() -> u32 {\n    1\n}\n",
        "// moved\n" + source + "\npub fn added() -> u32 {\n    helper()\n}\n",
    ):
        (repo / "src/lib.rs").write_text(edited)
        warm = run_dataflow(repo, languages=["rust"])
        memos.forget_all()
        fresh = run_dataflow(repo, languages=["rust"])
        for table in ("cpg_nodes", "cpg_edges", "cpg_metrics"):
            assert warm[table].equals(fresh[table]), table
            assert warm[table].schema == fresh[table].schema


# A crate whose `mod inner { }` block holds a `use` (its ``_home``), with a trait implemented by
# a struct with a method of its own; ``src/inner.rs`` names ``crate::inner`` too, so that the
# block turned into a function leaves the module names as they were.
MEMO_CRATE = {
    "Cargo.toml": '[package]\nname = "t"\n',
    "src/lib.rs": (
        "pub mod util;\n"
        "mod inner {\n"
        "    use crate::util::helper;\n"
        "    pub fn go() {\n"
        "        helper();\n"
        "    }\n"
        "}\n"
    ),
    "src/inner.rs": "pub fn other() {}\n",
    "src/util.rs": (
        "pub trait T {\n"
        "    fn f(&self) {}\n"
        "}\n"
        "pub struct S;\n"
        "impl T for S {}\n"
        "impl S {\n"
        "    pub fn g(&self) {}\n"
        "}\n"
        "pub fn helper() {}\n"
    ),
}


def _memo_crate_frames(
    tmp_path: Path, name: str, changed: dict[str, str] | None = None
) -> tuple[list[pl.DataFrame], pl.DataFrame]:
    """``MEMO_CRATE`` with the files ``changed`` (path -> text): its graph's frames and
    inherits rows."""
    files = {**MEMO_CRATE, **(changed or {})}
    return _graph_frames_and_inherits(write_repo(tmp_path / name, files), language="rust")


def _walk_of(graph: cpg._Graph, inherits: pl.DataFrame) -> cpg._BaseWalk:
    """The base walk of ``graph``'s scope, each child its own base (what the walk reads of the
    children, not resolved here)."""
    scope = graph.scope
    children = cpg._inheriting_children(inherits, graph=graph, scope=scope)
    return cpg._base_walk(children.with_columns(target=pl.col("child_id")), scope)


def _assert_scopes_equal(scope: cpg._Scope, fresh: cpg._Scope) -> None:
    for field in dataclasses.fields(fresh):
        mine, theirs = getattr(scope, field.name), getattr(fresh, field.name)
        assert mine.schema == theirs.schema, field.name
        assert mine.sort(pl.all()).equals(theirs.sort(pl.all())), field.name


def _assert_walks_equal(walk: cpg._BaseWalk, fresh: cpg._BaseWalk) -> None:
    """The indexes of two walks (their Rust traits' too) are equal."""
    indexes = {name: value for name, value in vars(fresh).items() if name != "rust"}
    for name, value in indexes.items():
        mine = getattr(walk, name)
        assert mine.equals(value) if isinstance(value, pl.DataFrame) else mine == value, name
    assert vars(walk.rust) == vars(fresh.rust)


def test_a_new_top_level_function_keeps_what_reads_no_function(tmp_path: Path) -> None:
    """The bench's symbol edit (one new top-level function, ``bench_cache_edit_N``) makes a new
    graph and scope, but of what they are made from it changes none of what the named imports,
    the import side of the scope, the outside bindings and the base walk read: each is the
    last one again (no query of every import, no Python index of every method), and equal to
    what a fresh process makes of the edited frames."""
    frames, inherits = _memo_crate_frames(tmp_path, "before")
    added = MEMO_CRATE["src/util.rs"] + "\npub fn bench_cache_edit_0() -> u32 {\n    1\n}\n"
    edited_frames, edited_inherits = _memo_crate_frames(tmp_path, "after", {"src/util.rs": added})
    assert edited_inherits.equals(inherits)
    memos.forget_all()  # (of the dataflow runs)
    graph = cpg._graph(*frames)
    walk = _walk_of(graph, inherits)
    outside = graph.outside
    edited = cpg._graph(*edited_frames)
    assert edited is not graph and edited.scope is not graph.scope
    assert edited.imports is graph.imports and edited.import_ids is graph.import_ids
    assert edited.scope.bindings is graph.scope.bindings
    assert edited.scope.reexports is graph.scope.reexports
    assert edited.outside is outside
    edited_walk = _walk_of(edited, edited_inherits)
    assert edited_walk.methods is walk.methods
    assert edited_walk.rust.own is walk.rust.own
    # (a fresh process: none of the memos)
    memos.forget_all()
    fresh = cpg._graph(*edited_frames)
    assert fresh is not edited
    assert edited.imports.equals(fresh.imports)
    assert edited.import_ids.equals(fresh.import_ids)
    _assert_scopes_equal(edited.scope, fresh.scope)
    assert edited.outside.sort(pl.all()).equals(fresh.outside.sort(pl.all()))
    fresh_walk = _walk_of(fresh, edited_inherits)
    _assert_walks_equal(edited_walk, fresh_walk)


def test_a_changed_mod_block_names_the_imports_anew(tmp_path: Path) -> None:
    """A `mod inner { }` block turned into a function (the same import rows, module names and
    module resolver: ``src/inner.rs`` names ``crate::inner`` too) takes its `use` out of a
    module: the named imports are made anew (their ``_home`` is read from the module
    blocks), as a fresh process makes them."""
    frames, _ = _memo_crate_frames(tmp_path, "before")
    lib = MEMO_CRATE["src/lib.rs"].replace("mod inner {", "fn inner() {")
    edited_frames, _ = _memo_crate_frames(tmp_path, "after", {"src/lib.rs": lib})
    assert edited_frames[2].equals(frames[2])  # (the same import rows)
    memos.forget_all()  # (of the dataflow runs)
    graph = cpg._graph(*frames)
    assert graph.imports["_home"].to_list() == ["crate::inner"]
    edited = cpg._graph(*edited_frames)
    assert edited.namespaces.equals(graph.namespaces)
    assert edited.imports["_home"].to_list() == [None]
    memos.forget_all()
    assert edited.imports.equals(cpg._graph(*edited_frames).imports)


def test_a_new_method_makes_a_new_base_walk(tmp_path: Path) -> None:
    """A method added to an impl (the same inherits rows) is one the base walk reads: a new
    walk, which has it, as a fresh process's."""
    frames, inherits = _memo_crate_frames(tmp_path, "before")
    util = MEMO_CRATE["src/util.rs"].replace(
        "    pub fn g(&self) {}\n", "    pub fn g(&self) {}\n    pub fn h(&self) {}\n"
    )
    edited_frames, edited_inherits = _memo_crate_frames(tmp_path, "after", {"src/util.rs": util})
    assert edited_inherits.equals(inherits)
    memos.forget_all()  # (of the dataflow runs)
    walk = _walk_of(cpg._graph(*frames), inherits)
    edited_walk = _walk_of(cpg._graph(*edited_frames), edited_inherits)
    assert sorted(name for _, name in edited_walk.methods) == ["f", "g", "go", "h"]
    assert sorted(name for _, name in walk.methods) == ["f", "g", "go"]
    memos.forget_all()
    _assert_walks_equal(edited_walk, _walk_of(cpg._graph(*edited_frames), edited_inherits))


@pytest.mark.parametrize(
    ("language", "before", "after", "index"),
    [
        # a Java method's parameter count (its id as it was): the overload arities
        (
            "java",
            {"src/a/C.java": "package a;\nclass C {\n    void f(int x) {}\n}\n"},
            {"src/a/C.java": "package a;\nclass C {\n    void f(int x, int y) {}\n}\n"},
            "counts",
        ),
        # a field of a class (its methods as they were): the member types a field hop reads
        (
            "python",
            {
                "a.py": "class A:\n    pass\n\n\nclass C:\n    def __init__(self):\n        self.a = A()\n"
            },
            {
                "a.py": "class A:\n    pass\n\n\nclass C:\n    def __init__(self):\n        self.b = A()\n"
            },
            "_member_rows",
        ),
        # a Java method made `private` (its row but for the modifiers as it was): the methods
        # of a name that are all private, not inherited (review r18a)
        (
            "java",
            {
                "p/Base.java": "package p;\npublic class Base {\n  private void o(int a) {}\n"
                "  void o() {}\n}\n"
            },
            {
                "p/Base.java": "package p;\npublic class Base {\n  private void o(int a) {}\n"
                "  private void o() {}\n}\n"
            },
            "private",
        ),
        # a new Rust struct (no member method): the types the blanket impls apply to (r18a)
        (
            "rust",
            {"src/lib.rs": "pub trait Ext { fn e(&self) {} }\nimpl<T> Ext for T {}\n"},
            {
                "src/lib.rs": "pub trait Ext { fn e(&self) {} }\nimpl<T> Ext for T {}\n"
                "pub struct N;\n"
            },
            "rust.types",
        ),
        # a Go type declared in another file of the package than its methods: the methods a
        # type has by its qualified name (``_package_methods``)
        (
            "go",
            {"a.go": "package p\n\nfunc (t T) M() {}\n", "b.go": "package p\n"},
            {"a.go": "package p\n\nfunc (t T) M() {}\n", "b.go": "package p\n\ntype T struct{}\n"},
            "methods",
        ),
    ],
    ids=["parameters", "field", "private", "rust types", "package methods"],
)
def test_what_else_the_base_walk_reads_makes_a_new_one(
    tmp_path: Path, language: str, before: dict[str, str], after: dict[str, str], index: str
) -> None:
    """An edit that leaves every member method's row as it was but changes another frame the
    base walk reads (``_WalkedSymbols``, the member types) makes a new walk, whose index of
    it is the new one, as a fresh process's."""
    frames, inherits = _graph_frames_and_inherits(
        write_repo(tmp_path / "before", before), language=language
    )
    edited_frames, edited_inherits = _graph_frames_and_inherits(
        write_repo(tmp_path / "after", after), language=language
    )
    memos.forget_all()  # (of the dataflow runs)
    graph = cpg._graph(*frames)
    walk = _walk_of(graph, inherits)
    edited = cpg._graph(*edited_frames)
    assert edited.scope.walked_symbols.methods.equals(graph.scope.walked_symbols.methods)
    edited_walk = _walk_of(edited, edited_inherits)
    assert edited_walk.methods is not walk.methods
    mine, last = operator.attrgetter(index)(edited_walk), operator.attrgetter(index)(walk)
    assert not (mine.equals(last) if isinstance(mine, pl.DataFrame) else mine == last)
    memos.forget_all()
    _assert_walks_equal(edited_walk, _walk_of(cpg._graph(*edited_frames), edited_inherits))


def test_a_renamed_import_makes_new_outside_bindings_and_import_side(tmp_path: Path) -> None:
    """An import of another module in the same place (the same owners, files and module
    names) is read by the outside bindings and the import side of the scope: both are made
    anew, as a fresh process makes them."""
    frames = _graph_frames(write_repo(tmp_path / "before", {"a.py": "import os\n"}))
    edited_frames = _graph_frames(write_repo(tmp_path / "after", {"a.py": "import sys\n"}))
    memos.forget_all()  # (of the dataflow runs)
    graph = cpg._graph(*frames)
    assert graph.outside["head"].to_list() == ["os"]
    assert graph.scope.bindings["bound"].to_list() == ["os"]
    edited = cpg._graph(*edited_frames)
    assert edited.import_owners.equals(graph.import_owners)
    assert edited.outside["head"].to_list() == ["sys"]
    assert edited.scope.bindings["bound"].to_list() == ["sys"]
    memos.forget_all()
    fresh = cpg._graph(*edited_frames)
    assert edited.outside.equals(fresh.outside)
    _assert_scopes_equal(edited.scope, fresh.scope)


def test_a_new_module_makes_new_outside_bindings(tmp_path: Path) -> None:
    """A file added for a module an import names (the same import rows) brings the import
    inside the repository: the outside bindings are made anew (they read the module names),
    as a fresh process makes them."""
    importer = {"a.py": "from extra import x\n\nx()\n"}
    frames = _graph_frames(write_repo(tmp_path / "before", importer))
    edited_frames = _graph_frames(
        write_repo(tmp_path / "after", {**importer, "extra.py": "def x(): ...\n"})
    )
    assert edited_frames[2].equals(frames[2])
    memos.forget_all()  # (of the dataflow runs)
    assert cpg._graph(*frames).outside["head"].to_list() == ["x"]
    edited = cpg._graph(*edited_frames)
    assert edited.outside.is_empty()
    memos.forget_all()
    assert edited.outside.equals(cpg._graph(*edited_frames).outside)


def test_other_import_owners_make_a_new_import_side_of_the_scope(tmp_path: Path) -> None:
    """The import side of the scope reads the symbol enclosing each import (``import_owners``):
    the same imports under other owners (every one at the top level) make new bindings, as a
    fresh process makes them."""
    frames = _graph_frames(write_repo(tmp_path / "repo", {"a.py": "def f():\n    import os\n"}))
    memos.forget_all()
    graph = cpg._graph(*frames)
    assert graph.scope.bindings["scope"].to_list() != [cpg._TOP]
    top = dataclasses.replace(graph)
    vars(top)["import_owners"] = pl.Series([None], dtype=pl.String)
    bindings = top.scope.bindings
    assert bindings["scope"].to_list() == [cpg._TOP]
    memos.forget_all()
    fresh = dataclasses.replace(graph)
    vars(fresh)["import_owners"] = pl.Series([None], dtype=pl.String)
    assert bindings.equals(fresh.scope.bindings)


def test_a_file_without_call_sites_resolves_no_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CALLS edges of a file without call sites (a module file of `mod`s and `pub use`s,
    as tokio's task/mod.rs), resolved with the symbol side of a full resolution (the store's
    rebuild after an edit of it): ``_resolve_queries`` has no query to resolve and runs one
    polars query (its live queries), not the rules' dozens; its result has the rules' schema; the
    other parts are the full resolution's."""
    repo = write_repo(
        tmp_path / "repo",
        {
            "Cargo.toml": '[package]\nname = "t"\n',
            "src/lib.rs": "pub mod m;\npub use m::helper;\n\nfn main() {\n    helper();\n}\n",
            "src/m.rs": "pub fn helper() -> u32 {\n    1\n}\n\npub struct S;\n",
        },
    )
    tables = run_dataflow(repo, languages=["rust"], extra=["go_modules", "rust_crates"])
    inputs = cpg.ResolutionInputs(
        files=tables["files"],
        go_modules=tables["go_modules"],
        rust_crates=tables["rust_crates"],
        **{
            family: tables[f"rust.{family}"]
            for family in ("symbols", "imports", "calls", "inherits")
        },
    )
    assert set(inputs.calls["path"].to_list()) == {"src/lib.rs"}
    queries: list[int] = []  # (the queries of each ``_resolve_queries``)
    results: list[pl.DataFrame] = []
    inside: list[bool] = []
    collected, resolve_queries = cpg.collected, cpg._resolve_queries

    def counted(*frames: pl.LazyFrame) -> list[pl.DataFrame]:
        if inside:
            queries[-1] += 1
        return collected(*frames)

    def resolved(rows: pl.LazyFrame, *, lookups: cpg._Lookups) -> pl.DataFrame:
        queries.append(0)
        inside.append(True)
        try:
            results.append(resolve_queries(rows, lookups=lookups))
        finally:
            inside.pop()
        return results[-1]

    monkeypatch.setattr(cpg, "collected", counted)
    monkeypatch.setattr(cpg, "_resolve_queries", resolved)
    full = cpg._resolved_edges(inputs)
    assert queries[-1] > 10  # (the rules, for `helper()`)
    part = cpg._resolved_edges(inputs, resolved_paths=["src/m.rs"], side=full.side)
    assert queries[-1] == 1
    assert results[-1].is_empty()
    assert results[-1].schema == results[0].schema
    assert part.call_edges.is_empty()
    assert cpg._finish_edges(part.parts).equals(cpg._finish_edges(full.parts))
