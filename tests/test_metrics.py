"""The call graph of the CPG metrics (hamilton_modules/metrics.py) against its definition in plain
Python, row by row."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton_modules.metrics import method_calls

# Node ids and the label of each: a few of every kind, so that ids repeat across edges.
_NODES = {
    **{f"m{n}": "METHOD" for n in range(4)},
    **{f"c{n}": "CALL" for n in range(5)},
    "t0": "TYPE_DECL",
    "f0": "FILE",
}
_EDGES = st.lists(
    st.tuples(
        st.sampled_from(["CONTAINS", "CALLS", "IMPORTS"]),
        st.sampled_from(sorted(_NODES)),
        st.sampled_from([*sorted(_NODES), "unresolved:g"]),
        st.booleans(),
    ),
    max_size=30,
)


def _expected_pairs(edges: list[tuple[str, str, str, bool]]) -> list[tuple[str, str]]:
    """Distinct (caller, callee) METHOD pairs, sorted: a resolved CALLS edge from a call site to
    a METHOD, whose caller is the METHOD that contains the call site (the last CONTAINS edge's,
    in the table's order, if several do)."""
    caller_of: dict[str, str] = {}
    for label, src, dst, _ in edges:
        if label == "CONTAINS" and _NODES.get(src) == "METHOD":
            caller_of[dst] = src
    return sorted(
        {
            (caller_of[src], dst)
            for label, src, dst, resolved in edges
            if label == "CALLS" and resolved and _NODES.get(dst) == "METHOD" and src in caller_of
        }
    )


@given(edges=_EDGES)
@settings(max_examples=150, deadline=None)
def test_method_calls_are_the_distinct_sorted_caller_callee_pairs(
    edges: list[tuple[str, str, str, bool]],
) -> None:
    nodes = pl.DataFrame(
        {
            "id": list(_NODES),
            "label": list(_NODES.values()),
            "qualified_name": list(_NODES),
            "path": ["p.rs"] * len(_NODES),
            "language": ["rust"] * len(_NODES),
        }
    )
    frame = pl.DataFrame(
        edges,
        schema={"label": pl.String, "src": pl.String, "dst": pl.String, "resolved": pl.Boolean},
        orient="row",
    )
    assert list(method_calls(nodes, frame).iter_rows()) == _expected_pairs(edges)
