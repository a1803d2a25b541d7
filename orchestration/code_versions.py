"""A persistent store of Hamilton code versions, so a fresh process skips re-hashing unchanged code.

Hamilton's ``HamiltonNode.version`` is ``hash_source_code(fn, strip=True)``: ``inspect.getsource``
(tokenizes the file around the function) then ``ast.parse`` + ``ast.unparse`` of the source to drop
docstrings and comments. That is ~1 s per 5,000 functions, paid by every fresh process that loads
the code location (``dagster definitions validate``, every run worker) although the code rarely
changes between two loads.

The store maps a key that fixes the function's raw source text to Hamilton's version of it:
``inspect.getsource`` of a plain function depends only on the lines of its file and the first line
of its code object (``inspect.findsource``), so the key is ``sha256(file bytes)`` plus
``co_firstlineno`` of the unwrapped function, salted with the Python and Hamilton versions (the
hash goes through ``ast.unparse``, whose output may change with Python). Computing it reads and
hashes each source file once, no tokenizing or parsing. Anything else (a builtin, a callable
object, a function without a file on disk) is not stored: the caller hashes it as Hamilton does.

A version that is not in the store is computed by ``source_version``, which gives Hamilton's exact
string without Hamilton's per-function ``inspect.getsource``: each source file is read once (the
same bytes give the key's digest) and parsed once, and each top-level function's ``FunctionDef`` is
unparsed with its docstrings removed, which is the text Hamilton hashes (it parses the function's
source lines alone and unparses them). Anything that is not a plain top-level function of a ``.py``
file (nested functions, lambdas, a decorator split over lines) is hashed by Hamilton itself. For
5,000 functions: ~0.3 s instead of ~0.6 s.

The same parse gives the file's module-level constants (``orchestration.reached_code``: the
statements binding each, for the code versions of the nodes that reach them), stored under the
file's digest, so a warm process parses nothing.

The value stored is exactly Hamilton's (the constants: a function of the file's bytes), so plans,
signatures and Dagster code versions do not depend on whether the store was warm. The file is ``<cache dir>/code_versions.json`` (cache
dir from ``orchestration.locations.resolve_cache_dir``: ``$CODEINTEL_CACHE_DIR`` or
``$DAGSTER_HOME/hamilton_cache``), written atomically; an unreadable or corrupt file is an empty
store and an unwritable folder only costs the next process the hashing again.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import inspect
import io
import json
import os
import sys
import threading
import tokenize
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hamilton import version as hamilton_version
from hamilton.graph_types import hash_source_code

from orchestration.locations import resolve_cache_dir
from orchestration.reached_code import REACH_FORMAT, FileConstants, file_constants

STORE_FILE = "code_versions.json"
FORMAT = 1
# Entries kept in the file: many graphs may share one cache dir, and old code leaves dead entries.
MAX_ENTRIES = 50_000


def _salt() -> str:
    hamilton = ".".join(str(part) for part in hamilton_version.VERSION)
    return f"py{sys.version_info.major}.{sys.version_info.minor}|hamilton{hamilton}"


_FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
# The fields of a statement that hold statements (functions can only be nested through these, or
# through the bodies of `except` handlers and `match` cases).
_STATEMENT_LISTS = ("body", "orelse", "finalbody")


@dataclass
class _SourceFile:
    """One source file as read once: its digest (the store key) and, computed on the first miss
    from one parse, the Hamilton versions of all its top-level functions and its constants
    (``orchestration.reached_code.FileConstants``); the parsed tree is not kept."""

    data: bytes
    digest: str
    _versions: dict[tuple[int, str], str] | None = None
    _constants: FileConstants | None = None

    def version(self, first_line: int, name: str) -> str | None:
        """Hamilton's version of the top-level function ``name`` whose first line (its first
        decorator's, else its ``def``) is ``first_line``; None when it is not such a function."""
        if self._versions is None:
            self._analyse()
        assert self._versions is not None
        return self._versions.get((first_line, name))

    def constants(self) -> FileConstants:
        if self._constants is None:
            self._analyse()
        assert self._constants is not None
        return self._constants

    def _analyse(self) -> None:
        tree = _parsed(self.data)
        if tree is None:
            self._versions, self._constants = {}, FileConstants(constants={}, imports={})
            return
        text, module = tree
        # Constants first: the versions drop docstrings from the tree's functions.
        self._constants = file_constants(module)
        self._versions = _top_level_versions(text, module)


def _parsed(data: bytes) -> tuple[str, ast.Module] | None:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
        return text, ast.parse(text)
    except (SyntaxError, UnicodeDecodeError, LookupError, ValueError):
        return None


def _top_level_versions(text: str, tree: ast.Module) -> dict[tuple[int, str], str]:
    """(first line, name) -> Hamilton version, for every top-level function of a module's source."""
    lines = text.splitlines()
    versions: dict[tuple[int, str], str] = {}
    for statement in tree.body:
        if not isinstance(statement, _FunctionNode):
            continue
        first = statement.decorator_list[0].lineno if statement.decorator_list else statement.lineno
        # inspect.findsource starts at this line only if it opens the definition (an `@` or a
        # `def`); a decorator split over lines is left to Hamilton.
        opening = lines[first - 1].lstrip() if first <= len(lines) else ""
        if not opening.startswith(("@", "def ", "async ")):
            continue
        _remove_docstrings(statement)
        try:
            unparsed = ast.unparse(ast.Module(body=[statement], type_ignores=[]))
        except (ValueError, RecursionError):
            continue
        versions[(first, statement.name)] = hashlib.sha256(unparsed.encode()).hexdigest()
    return versions


def _remove_docstrings(function: _FunctionNode) -> None:
    """Hamilton's ``_remove_docs_and_comments``: the first statement of every function in the
    source goes if it is a string. Functions are statements, so only statement lists are walked
    (``ast.walk`` would visit every expression too)."""
    pending: list[ast.stmt] = [function]
    while pending:
        statement = pending.pop()
        if isinstance(statement, _FunctionNode) and statement.body:
            head = statement.body[0]
            if (
                isinstance(head, ast.Expr)
                and isinstance(head.value, ast.Constant)
                and isinstance(head.value.value, str)
            ):
                statement.body = statement.body[1:]
        for field in _STATEMENT_LISTS:
            block = getattr(statement, field, None)
            if block:
                pending.extend(block)
        for clause in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
            pending.extend(clause.body)


def source_version(
    function: Callable[..., Any], *, source: _SourceFile | None = None
) -> str | None:
    """Hamilton's ``HamiltonNode.version`` of a node whose first originating function is this.

    ``source`` is the function's file as the store read it (see module docstring); without it, or
    for anything but a top-level function of that file, Hamilton hashes the function itself.
    """
    if source is not None:
        unwrapped = _unwrapped_function(function)
        if unwrapped is not None:
            code = unwrapped.__code__
            version = source.version(code.co_firstlineno, code.co_name)
            if version is not None:
                return version
    try:
        return hash_source_code(function, strip=True)
    except (OSError, TypeError):  # no source (REPL, notebook magic): Hamilton gives None too
        return None


def _unwrapped_function(function: Callable[..., Any]) -> types.FunctionType | None:
    """What ``inspect.getsource`` reads the source of: the innermost ``__wrapped__`` function."""
    try:
        unwrapped = inspect.unwrap(function)
    except ValueError:  # a __wrapped__ cycle
        return None
    return unwrapped if isinstance(unwrapped, types.FunctionType) else None


# One pass's source files (filename -> file as read, None: not readable): see version_of.
SourceFiles = dict[str, "_SourceFile | None"]


class CodeVersionStore:
    """``key -> version`` loaded from one JSON file; new entries are written back by ``flush``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._salt = _salt()
        self._entries = self._load()
        self._new: dict[str, str] = {}
        self._files: dict[tuple[str, int, int], _SourceFile | None] = {}
        self._lock = threading.Lock()

    def _load(self) -> dict[str, str]:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if (
            not isinstance(document, dict)
            or document.get("format") != FORMAT
            or document.get("salt") != self._salt
            or not isinstance(document.get("versions"), dict)
        ):
            return {}
        return {
            key: value
            for key, value in document["versions"].items()
            if isinstance(key, str) and isinstance(value, str)
        }

    def source_file(self, filename: str, *, files: SourceFiles | None = None) -> _SourceFile | None:
        """A source file read once: its sha256 and parsed functions (None: not a readable,
        non-empty ``.py`` file).

        Remembered per (path, mtime, size): a file edited while the process lives is read again,
        so a version is never stored under the key of the file's old text. ``files`` is one
        pass over many functions (a whole graph): a file it holds is not stat-ed again.
        """
        if files is not None:
            if filename not in files:
                files[filename] = self.source_file(filename)
            return files[filename]
        if not filename.endswith(".py"):
            return None
        try:
            status = os.stat(filename)
        except OSError:
            return None
        signature = (filename, status.st_mtime_ns, status.st_size)
        if signature not in self._files:
            try:
                data = Path(filename).read_bytes()
            except OSError:
                return None
            self._files[signature] = (
                _SourceFile(data=data, digest=hashlib.sha256(data).hexdigest()) if data else None
            )
        return self._files[signature]

    def key_and_source(
        self, function: Callable[..., Any], *, files: SourceFiles | None = None
    ) -> tuple[str | None, _SourceFile | None]:
        """The key fixing ``inspect.getsource(function)`` (None when it cannot be derived
        cheaply) and the source file it was derived from (for ``source_version``)."""
        unwrapped = _unwrapped_function(function)
        if unwrapped is None:
            return None, None
        code = unwrapped.__code__
        source = self.source_file(code.co_filename, files=files)
        if source is None:
            return None, None
        text = f"{self._salt}|{source.digest}|{code.co_firstlineno}"
        return hashlib.sha256(text.encode()).hexdigest(), source

    def version_of(
        self, function: Callable[..., Any], *, files: SourceFiles | None = None
    ) -> str | None:
        """Hamilton's version of the function: from the store, else computed and remembered.

        ``files``: the source files already read in this pass (filename -> file), filled here;
        one dict per pass over a graph, so a file is stat-ed and read once per pass.
        """
        key, source = self.key_and_source(function, files=files)
        version = self.get(key) if key is not None else None
        if version is None:
            version = source_version(function, source=source)
            if key is not None and version is not None:
                self.put(key, version)
        return version

    def file_constants(self, source: _SourceFile) -> FileConstants:
        """The constants of a source file (``reached_code``): from the store, else parsed and
        remembered (a function of the file's bytes, like the versions)."""
        key = hashlib.sha256(
            f"{self._salt}|{REACH_FORMAT}|constants|{source.digest}".encode()
        ).hexdigest()
        stored = self.get(key)
        found = FileConstants.from_json(stored) if stored is not None else None
        if found is None:
            found = source.constants()
            self.put(key, found.to_json())
        return found

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._new.get(key) or self._entries.get(key)

    def put(self, key: str, version: str) -> None:
        with self._lock:
            if self._entries.get(key) != version:
                self._new[key] = version

    def flush(self) -> None:
        """Merge the new entries into the file (re-read first: another process may have written)."""
        with self._lock:
            if not self._new:
                return
            new, self._new = self._new, {}
            merged = {**self._load(), **self._entries}
            for key in new:
                merged.pop(key, None)
            # Newest last; the oldest are dropped first when the file is over its cap.
            merged.update(new)
            entries = dict(list(merged.items())[-MAX_ENTRIES:])
            self._entries = entries
        document = {"format": FORMAT, "salt": self._salt, "versions": entries}
        from orchestration.storage import atomic_target  # pyarrow: only when there is a write

        # A read-only cache dir only means the next process hashes again.
        with contextlib.suppress(OSError), atomic_target(self.path) as tmp:
            tmp.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")


_STORES: dict[Path, CodeVersionStore] = {}
_STORES_LOCK = threading.Lock()


def code_version_store() -> CodeVersionStore:
    """The process-wide store of the current cache dir (the environment may change in tests)."""
    path = resolve_cache_dir() / STORE_FILE
    with _STORES_LOCK:
        store = _STORES.get(path)
        if store is None:
            store = _STORES[path] = CodeVersionStore(path)
        return store
