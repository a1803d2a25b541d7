"""CPG vocabulary shared by the CPG nodes, the metrics and tests: labels and stable node ids.

Not a driver module (its public functions are helpers, not Hamilton nodes).
"""

from __future__ import annotations

import collections
import hashlib
import threading

import polars as pl

from hamilton_modules import memos
from hamilton_modules.tables import ordered_totally

ID_HEX_CHARS = 24
UNRESOLVED_PREFIX = "unresolved:"
TYPE_DECL_KINDS = frozenset({"class", "struct", "enum", "trait", "interface", "impl", "type_alias"})
METHOD_KINDS = frozenset({"function", "method", "macro"})
NAMESPACE_KINDS = frozenset({"module"})
# Kinds that are TYPE_DECLs in one language only. JavaScript and TypeScript extract a value
# (`const`/`let`/`var`, a property, `export default`) only when it is an object literal with
# methods, the scope of those methods the way a class body is (``api`` of ``api.get``);
# elsewhere (Go, Rust) a constant scopes nothing and is no node.
TYPE_DECL_KINDS_BY_LANGUAGE: dict[str, frozenset[str]] = {
    language: frozenset({"constant", "variable", "property"})
    for language in ("javascript", "typescript")
}


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


def id_text(
    *,
    path: pl.Expr,
    label: pl.Expr,
    qualified_name: pl.Expr,
    start_line: pl.Expr,
    start_column: pl.Expr,
    ordinal: pl.Expr,
) -> pl.Expr:
    """The text :func:`node_id` hashes, as a polars expression (fields joined by ``\\x1f``; the
    ordinal appended only when it is not 0). The inputs are non-null columns."""
    return pl.concat_str(
        [
            path,
            label,
            qualified_name,
            start_line.cast(pl.String),
            start_column.cast(pl.String),
            pl.when(ordinal != 0).then(ordinal.cast(pl.String)),
        ],
        separator="\x1f",
        ignore_nulls=True,
    )


# The last results of ``hash_ids``: ``cpg_nodes`` and ``cpg_edges`` hash the same id texts in one
# process (the files', symbols', imports' and calls' ids, from the same tables), and the second
# finds them here: an equality check (~0.2 ms for 40,000 texts) instead of a sha256 per text
# (~20 ms). Keys are copies (a polars clone shares the buffers, copy-on-write), so a caller that
# changes its Series in place changes no key. What they keep is bounded (16 results, 64 MiB of
# texts and ids: a run's id columns of a large repository; a larger result is not kept), so a
# long-lived process does not hold an earlier repository's ids for long. The least recently used
# goes first: a --watch rebuild hashes a few small columns (the changed file's ids) before the
# large ones an edit often leaves as they were (tokio's 28,920 call ids, ~20 ms), which went
# first when the oldest did.
_RECENT_IDS: collections.deque[tuple[pl.Series, pl.Series]] = collections.deque(maxlen=16)
_RECENT_IDS_LOCK = threading.Lock()
RECENT_IDS_MAX_BYTES = 64 << 20
# A column of this many texts or more that no recent result equals takes the ids of the texts it
# shares with the recent result of the nearest length, when that is within a quarter of its own
# (``_ids_from_nearest``); below, a join costs about what the hashes do.
NEAREST_IDS_MIN_TEXTS = 2000


def hash_ids(texts: pl.Series) -> pl.Series:
    """:func:`node_id` of each :func:`id_text` (the same bytes; polars strings are valid UTF-8,
    so ``surrogatepass`` changes nothing here)."""
    return _recent_ids(texts)[1].alias(texts.name)


def _recent_ids(texts: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The recent result of ``hash_ids`` for ``texts``, found or made: its key (a copy of the
    texts) and the ids, as ``_RECENT_IDS`` holds them."""
    nearest: tuple[pl.Series, pl.Series] | None = None
    with _RECENT_IDS_LOCK:
        for index, (known, _) in enumerate(_RECENT_IDS):
            if known.len() == texts.len() and known.equals(texts, check_dtypes=True):
                found = _RECENT_IDS[index]
                _RECENT_IDS.append(found)  # now the most recently used
                del _RECENT_IDS[index]
                return found
        if texts.len() >= NEAREST_IDS_MIN_TEXTS:
            # of the same label (the texts' second field): a column of another label of
            # about the same length shares no text (dagster's IMPORT ids and its METHOD ids)
            label = _label_of(texts)
            nearest = min(
                (entry for entry in _RECENT_IDS if _label_of(entry[0]) == label),
                key=lambda entry: abs(entry[0].len() - texts.len()),
                default=None,
            )
            if nearest is not None and abs(nearest[0].len() - texts.len()) > texts.len() // 4:
                nearest = None  # (of another column: a cold build's first hashes)
    ids = _ids_from_nearest(texts, nearest) if nearest is not None else None
    if ids is None:
        ids = _hashed(texts)
    made = (texts.clone(), ids)
    with _RECENT_IDS_LOCK:
        _RECENT_IDS.append(made)
        _bound_recent_ids()
    return made


def _bound_recent_ids() -> None:
    """Drop the least recently used results of ``_RECENT_IDS`` and ``_RECENT_FRAME_IDS`` until
    each keeps at most ``RECENT_IDS_MAX_BYTES`` (under ``_RECENT_IDS_LOCK``)."""
    kept = sum(known.estimated_size() + ids.estimated_size() for known, ids in _RECENT_IDS)
    while _RECENT_IDS and kept > RECENT_IDS_MAX_BYTES:
        known, oldest = _RECENT_IDS.popleft()
        kept -= known.estimated_size() + oldest.estimated_size()
    kept = sum(_frame_ids_size(entry) for entry in _RECENT_FRAME_IDS)
    while _RECENT_FRAME_IDS and kept > RECENT_IDS_MAX_BYTES:
        kept -= _frame_ids_size(_RECENT_FRAME_IDS.popleft())


def _hashed(texts: pl.Series) -> pl.Series:
    """:func:`node_id` of each text, one sha256 each."""
    digests = pl.Series(
        texts.name,
        [hashlib.sha256(text).digest() for text in texts.cast(pl.Binary).to_list()],
        dtype=pl.Binary,
    )
    return digests.bin.encode("hex").str.slice(0, ID_HEX_CHARS)


def _label_of(texts: pl.Series) -> str | None:
    """The label field of the first of ``texts`` (``id_text``), None for none."""
    first = texts[0] if texts.len() else None
    fields = first.split("\x1f", 2) if isinstance(first, str) else []
    return fields[1] if len(fields) > 1 else None


def forget_recent_ids() -> None:
    """Empty the recent results of ``hash_ids`` and ``frame_node_ids`` (what a fresh process
    starts from)."""
    with _RECENT_IDS_LOCK:
        _RECENT_IDS.clear()
        _RECENT_FRAME_IDS.clear()


memos.register(forget_recent_ids)


def _ids_from_nearest(texts: pl.Series, nearest: tuple[pl.Series, pl.Series]) -> pl.Series | None:
    """The ids of ``texts``: those of the texts a recent result (``nearest``: its texts and
    ids) has taken from it (an id is a function of its text alone), the others hashed; None
    when a text is twice in that result (the join would repeat rows: every text is hashed).
    (An edit moves the lines of one file's rows: tokio's 28,920 call ids, ~21 ms hashed, are a
    join and ~300 hashes, ~5 ms.)"""
    known_texts, known_ids = nearest
    try:
        (found,) = collected(
            texts.alias("_text")
            .to_frame()
            .lazy()
            .join(
                pl.LazyFrame({"_text": known_texts, "_id": known_ids}),
                on="_text",
                how="left",
                validate="m:1",
                maintain_order="left",
            )
            .select("_id")
        )
    except pl.exceptions.ComputeError:
        return None
    ids = found.to_series()
    missing = ids.is_null()
    if missing.any():
        ids = ids.scatter(missing.arg_true(), _hashed(texts.filter(missing)))
    return ids.alias(texts.name)


# The last results of ``frame_node_ids`` with what they were made from: the frame (a copy, as
# ``hash_ids``' keys), the fields' expressions and the id texts (the key of the same ids in
# ``_RECENT_IDS``). ``cpg_nodes`` and ``cpg_edges`` of one run ask for the ids of the same calls,
# and a --watch rebuild after an edit that leaves a table's id columns as they were (tokio's
# 28,920 calls when no call moved) asks again: a comparison of the frames (~0.3 ms for those
# calls' five columns) instead of their id texts (~3 ms) and a comparison of those. Bounded as
# ``_RECENT_IDS`` is (16 results, RECENT_IDS_MAX_BYTES, the least recently used first).
# Entries: (frame, fields, texts, ids).
_FrameIds = tuple[pl.DataFrame, dict[str, pl.Expr], pl.Series, pl.Series]
_RECENT_FRAME_IDS: collections.deque[_FrameIds] = collections.deque(maxlen=16)


def frame_node_ids(frame: pl.DataFrame, **fields: pl.Expr) -> pl.Series:
    """:func:`node_id` of every row of ``frame``; ``fields`` are the :func:`id_text` arguments.
    (A frame of the columns the fields read is what the recent results are compared with:
    ``call_node_ids`` and ``import_node_ids`` pass theirs.)"""
    if frame.height == 0:
        return pl.Series("id", [], dtype=pl.String)
    # (a type whose equal values may have two texts, floats' 0.0 and -0.0: made anew)
    if not all(ordered_totally(dtype) for dtype in frame.dtypes):
        return hash_ids(frame.select(id_text(**fields).alias("id")).to_series())
    with _RECENT_IDS_LOCK:
        for index, (known, known_fields, texts, ids) in enumerate(_RECENT_FRAME_IDS):
            # (the shape first: the fields' serializations of 16 entries, two dozen a call,
            # cost more than the rest of a miss)
            if (
                _same_shape(known, frame)
                and _same_fields(known_fields, fields)
                and known.equals(frame)
            ):
                _RECENT_FRAME_IDS.append(_RECENT_FRAME_IDS[index])  # the most recently used
                del _RECENT_FRAME_IDS[index]
                _touch_recent_ids(texts)
                return ids.alias("id")
    texts, ids = _recent_ids(frame.select(id_text(**fields).alias("id")).to_series())
    with _RECENT_IDS_LOCK:
        _RECENT_FRAME_IDS.append((frame.clone(), fields, texts, ids))
        _bound_recent_ids()
    return ids.alias("id")


def remember_frame_node_ids(frame: pl.DataFrame, ids: pl.Series, **fields: pl.Expr) -> None:
    """Take ``ids`` as ``frame_node_ids(frame, **fields)``, known without a hash (a stored
    resolution's call ids, most of them the same rows': ``cpg._stored_call_ids``): the next
    call for these rows finds them, and a later one for rows that differ from them in a few
    takes the others' ids from them (``_ids_from_nearest``). Nothing is taken for a frame whose
    ids are known already, or one ``frame_node_ids`` would not keep."""
    if frame.height == 0 or not all(ordered_totally(dtype) for dtype in frame.dtypes):
        return
    if ids.len() != frame.height or ids.dtype != pl.String:
        raise ValueError(f"{ids.len()} ids of {ids.dtype} for {frame.height} rows")
    with _RECENT_IDS_LOCK:
        if any(
            _same_shape(known, frame) and _same_fields(known_fields, fields) and known.equals(frame)
            for known, known_fields, _, _ in _RECENT_FRAME_IDS
        ):
            return
    texts = frame.select(id_text(**fields).alias("id")).to_series()
    ids = ids.alias("id")
    with _RECENT_IDS_LOCK:
        _RECENT_IDS.append((texts, ids))
        _RECENT_FRAME_IDS.append((frame.clone(), fields, texts, ids))
        _bound_recent_ids()


def _same_fields(known: dict[str, pl.Expr], fields: dict[str, pl.Expr]) -> bool:
    """Whether two sets of :func:`id_text` arguments are the same expressions (serialized:
    ``meta.eq`` takes ``lit(0.0)`` for ``lit(-0.0)``, whose texts differ; review r18b)."""
    return known.keys() == fields.keys() and all(
        known[name].meta.serialize() == expression.meta.serialize()
        for name, expression in fields.items()
    )


def _same_shape(known: pl.DataFrame, frame: pl.DataFrame) -> bool:
    """Whether two frames have as many rows and the same columns of the same types (then
    ``equals`` tells whether they hold the same rows: alone it takes an Int32 column for an
    Int64 one)."""
    return known.height == frame.height and known.schema == frame.schema


def _frame_ids_size(entry: _FrameIds) -> float:
    known, _, texts, ids = entry
    return known.estimated_size() + texts.estimated_size() + ids.estimated_size()


def _touch_recent_ids(texts: pl.Series) -> None:
    """Make the recent result of ``hash_ids`` whose key is ``texts`` (this very Series, if still
    kept) the most recently used: a frame answered from ``_RECENT_FRAME_IDS`` does not reach
    ``hash_ids``, whose result is the nearest one when an edit changes that frame."""
    for index, (known, _) in enumerate(_RECENT_IDS):
        if known is texts:
            _RECENT_IDS.append(_RECENT_IDS[index])
            del _RECENT_IDS[index]
            return


# The columns of a calls table a CALL node id is made of (``frame_node_ids``' memo key), and how.
_CALL_ID_COLUMNS = ("path", "callee", "line", "column", "ordinal")


def _call_id_fields() -> dict[str, pl.Expr]:
    return {
        "path": pl.col("path"),
        "label": pl.lit("CALL"),
        "qualified_name": pl.col("callee"),
        "start_line": pl.col("line"),
        "start_column": pl.col("column"),
        "ordinal": pl.col("ordinal"),
    }


def call_node_ids(calls: pl.DataFrame) -> pl.Series:
    """CALL node ids of a calls table, row by row: path, callee, line, column, ordinal."""
    return frame_node_ids(calls.select(_CALL_ID_COLUMNS), **_call_id_fields())


def remember_call_node_ids(calls: pl.DataFrame, ids: pl.Series) -> None:
    """Take ``ids`` as ``call_node_ids(calls)`` (``remember_frame_node_ids``)."""
    remember_frame_node_ids(calls.select(_CALL_ID_COLUMNS), ids, **_call_id_fields())


def import_qualified_key() -> pl.Expr:
    """``module|name|alias`` of an import row: what an IMPORT id hashes as its name."""
    return pl.concat_str(
        [pl.col("module").fill_null(""), pl.col("name"), pl.col("alias").fill_null("")],
        separator="|",
    )


def import_node_ids(imports: pl.DataFrame) -> pl.Series:
    """IMPORT node ids of an imports table, row by row: path, ``module|name|alias``, line."""
    return frame_node_ids(
        imports.select("path", "module", "name", "alias", "line", "ordinal"),  # (the memo's key)
        path=pl.col("path"),
        label=pl.lit("IMPORT"),
        qualified_name=import_qualified_key(),
        start_line=pl.col("line"),
        start_column=pl.lit(0, pl.Int64),
        ordinal=pl.col("ordinal"),
    )


def label_of_kind(kind: str) -> str | None:
    """The CPG label of a symbol kind in every language, None for a kind that is no node (the
    kinds that are a TYPE_DECL in some languages only: ``TYPE_DECL_KINDS_BY_LANGUAGE``)."""
    if kind in TYPE_DECL_KINDS:
        return "TYPE_DECL"
    if kind in METHOD_KINDS:
        return "METHOD"
    if kind in NAMESPACE_KINDS:
        return "NAMESPACE"
    return None


def file_node_id(path: str) -> str:
    return node_id(path=path, label="FILE", qualified_name=path, start_line=0, start_column=0)


def collected(*frames: pl.LazyFrame) -> list[pl.DataFrame]:
    """``frames`` computed in one polars query: on a small change (one file, most frames a few
    rows or none) a query's fixed cost (~30-150 µs) is most of its time, and each eager
    operation is one query; independent frames also run side by side. Run as their eager
    chains would be: by the in-memory engine (``collect``'s default, the streaming one, orders
    rows otherwise) with no rewrite of the plan but the expression simplification an eager
    operation gets, so each frame holds the same rows in the same order as its eager chain.
    No subplan is shared: a frame several of ``frames`` start from is best collected first."""
    return pl.collect_all(
        frames, engine="in-memory", optimizations=pl.QueryOptFlags.none(simplify_expression=True)
    )
