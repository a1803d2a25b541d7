"""The CPG resolver's helpers give the same columns whether they take their early return (an
empty input, a language the repository lacks: no query) or their full path.

An early return writes its result's columns apart from the full path's queries (a schema
constant, a select of the empty input): a column added to one and forgotten in the other would
break only the repositories that take that early return. Each helper is called on arguments
recorded from real runs of the CPG (a call that gave rows: its full path) and on the same
arguments emptied (every frame and series cleared: its early return), and both schemas compared.
"""

from __future__ import annotations

import collections
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
import pytest

from hamilton_modules import cpg
from tests.dataflow_support import run_dataflow, write_repo
from tests.test_cpg import (
    CALLED_PY_USE,
    CONTEXT_TS_SUB,
    CONTEXT_TS_USE,
    DECLARED_JAVA,
    ES5_THIS,
    GO_PACKAGE_VARIABLES,
    JAVA_OUTSIDE_CALL_VALUES,
    JAVA_OVERLOADS,
    REEXPORTS_TS,
    RETURNS_PY_MODELS,
    RUST_IMPL_OF_AN_IMPORTED_STRUCT,
)

# The helpers of cpg.py with an early return that builds its empty result (not one that
# hands its input back), or a branch for an empty part of the input (``_reexports``' frame of
# a file's own exports): module functions by name, methods as (class, name)
HELPERS: dict[str, tuple[Any, str]] = {
    name: (cpg, name)
    for name in (
        "_rust_crates",
        "_reexports",
        "_function_this",
        "_this_types",
        "_members_of",
        "_constructor_targets",
        "_package_methods",
        "_returned_functions",
        "_package_variables",
        "_field_hop_types",
        "_rust_impl_structs",
        "_returned_by_call_sites",
        "_callback_functions",
        "_contextual_types",
        "_declared_members",
        "_outside_call_values",
        "_overload_sets",
    )
} | {"_Lookups.follow_reexports": (cpg._Lookups, "follow_reexports")}

# Repositories whose runs take every helper's full path at least once: (languages, files)
REPOSITORIES: dict[str, tuple[list[str], Mapping[str, str]]] = {
    "javascript": (["javascript"], {"lib/ui.js": ES5_THIS}),
    "typescript": (
        ["typescript"],
        {"src/sub.ts": CONTEXT_TS_SUB, "src/use.ts": CONTEXT_TS_USE, **REEXPORTS_TS},
    ),
    "go": (["go"], GO_PACKAGE_VARIABLES),
    "java": (
        ["java"],
        {**DECLARED_JAVA, **JAVA_OUTSIDE_CALL_VALUES, "src/Overloads.java": JAVA_OVERLOADS},
    ),
    "python": (["python"], {"pkg/models.py": RETURNS_PY_MODELS, "pkg/use.py": CALLED_PY_USE}),
    "rust": (["rust"], RUST_IMPL_OF_AN_IMPORTED_STRUCT),
}


@dataclass(frozen=True)
class Call:
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    result: pl.DataFrame | tuple[pl.DataFrame, ...]


def _frames(result: pl.DataFrame | tuple[pl.DataFrame, ...]) -> tuple[pl.DataFrame, ...]:
    """A helper's result as a tuple of frames (some return two)."""
    return (result,) if isinstance(result, pl.DataFrame) else result


def _recording(original: Callable[..., Any], calls: list[Call]) -> Callable[..., Any]:
    @functools.wraps(original)
    def record(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        calls.append(Call(args, kwargs, result))
        return result

    return record


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[Call]]]:
    """Every call of each of ``HELPERS`` in runs of the dataflow on ``REPOSITORIES``."""
    calls: dict[str, list[Call]] = collections.defaultdict(list)
    with pytest.MonkeyPatch.context() as patch:
        for helper, (owner, name) in HELPERS.items():
            patch.setattr(owner, name, _recording(getattr(owner, name), calls[helper]))
        for repository, (languages, files) in REPOSITORIES.items():
            repo = write_repo(tmp_path_factory.mktemp(repository), files)
            run_dataflow(repo, languages=languages)
    yield calls


def _emptied(value: Any) -> Any:
    """``value`` with no row when it is a frame or a series, else as it is."""
    return value.clear() if isinstance(value, pl.DataFrame | pl.Series) else value


@pytest.mark.parametrize("helper", sorted(HELPERS))
def test_a_helpers_early_return_has_its_full_paths_columns(
    recorded: dict[str, list[Call]], helper: str
) -> None:
    full = next(
        (call for call in recorded[helper] if all(frame.height for frame in _frames(call.result))),
        None,
    )
    assert full is not None, f"no run of REPOSITORIES takes the full path of {helper}"
    owner, name = HELPERS[helper]
    function = getattr(owner, name)
    early = _frames(
        function(
            *map(_emptied, full.args),
            **{key: _emptied(value) for key, value in full.kwargs.items()},
        )
    )
    assert all(frame.is_empty() for frame in early)
    assert [frame.schema for frame in early] == [frame.schema for frame in _frames(full.result)]
