"""Go module declarations: the directives of every ``go.mod`` and ``go.work`` (table ``go/modules``).

Driver module. Go imports name packages by module path plus folder (``example.com/app/internal/
util`` is ``internal/util`` of the module ``example.com/app`` declared by the root ``go.mod``), so
the CPG resolves Go imports exactly when the repository declares its modules, and an import of
another module or of the standard library (``github.com/pkg/errors``, ``errors``) is never taken
for a local folder that happens to end the same way. Without any ``go.mod`` the CPG falls back to
matching trailing path components (``hamilton_modules.cpg``).

go.mod rows (the Go modules reference): ``module`` (the folder it roots), ``require`` (module
and version: the input of minimal version selection) and ``replace`` (one-line and block form):
``replace example.com/old => ./local/path`` (or ``../x``, or ``old v1.2.3 => ./x`` for one
version) makes ``example.com/old/pkg`` the repository folder ``local/path/pkg``, the folder
resolved against the go.mod's own folder. A target outside the repository (``../..`` past its
root, an absolute path) is recorded with a null ``folder`` and a ``reason``, a module target
(``=> other/mod v1.2.3``) with a null ``folder``: neither is ever read or followed.

go.work rows: ``use`` (``use ./a``, ``use ( ./a ./b )``: the used folder, resolved against the
go.work's folder, and the module its go.mod declares) and ``replace`` (as in a go.mod; it
overrides the go.mod replacements of the same module path); ``go``, ``toolchain`` and
``godebug`` lines are ignored. A ``use`` that adds no module records why in ``reason``: a folder
outside the repository (never read), one without a go.mod declaring a module, a module used
twice. Lines that are no valid directive (an unknown verb, a malformed directive, a stray
parenthesis, an unclosed block, a second ``module``) are ``invalid`` rows with their reason; the
rest of the file still counts (Go would refuse the file; the graph keeps what it can read). A
file that is not valid UTF-8 is one ``invalid`` row (line 1) and contributes nothing else.

Only the inventory's own bytes are read: each go.mod and go.work the walk accepted, opened under
the pinned repository folder and checked against the sha256 the inventory recorded. A file that
changed since contributes nothing.
"""

from __future__ import annotations

import posixpath

import polars as pl
from hamilton.function_modifiers import cache, check_output_custom, schema, tag

from hamilton_modules import schemas
from hamilton_modules.languages.go import (
    GoModDirective,
    go_mod_directives,
    go_work_directives,
    is_directory_target,
)
from hamilton_modules.parsing import folder_in_repository, read_verified_files
from hamilton_modules.tables import arrow_fields, finish_table, rows_to_frame
from hamilton_modules.validators import table_checks

GO_MOD = "go.mod"
GO_WORK = "go.work"
OUTSIDE = "outside the repository"
NOT_UTF8 = GoModDirective(line=1, kind="invalid", reason="not valid UTF-8")


def _row(path: str, directive: GoModDirective, **resolved: str | None) -> dict[str, object]:
    row: dict[str, object] = {
        "path": path,
        "line": directive.line,
        "kind": directive.kind,
        "module": directive.module,
        "version": directive.version,
        "folder": None,
        "target": directive.target,
        "target_version": directive.target_version,
        "reason": directive.reason,
    }
    row.update(resolved)
    return row


def _go_mod_row(path: str, directive: GoModDirective) -> dict[str, object]:
    base = posixpath.dirname(path)
    if directive.kind == "module":
        return _row(path, directive, folder=base)
    if directive.kind == "replace" and directive.target and is_directory_target(directive.target):
        folder = folder_in_repository(base, directive.target)
        return _row(path, directive, folder=folder, reason=OUTSIDE if folder is None else None)
    return _row(path, directive)


def _go_work_rows(
    path: str, directives: list[GoModDirective], module_of_folder: dict[str, str]
) -> list[dict[str, object]]:
    """The rows of one go.work: a ``use`` names the module its folder's go.mod declares, or
    the reason it adds none (outside the repository, no go.mod there, a module used twice)."""
    used: set[str] = set()
    rows: list[dict[str, object]] = []
    for directive in directives:
        if directive.kind != "use" or directive.target is None:
            rows.append(_go_mod_row(path, directive))
            continue
        folder = folder_in_repository(posixpath.dirname(path), directive.target)
        module = None if folder is None else module_of_folder.get(folder)
        if folder is None:
            reason: str | None = OUTSIDE
        elif module is None:
            reason = "no go.mod declaring a module in the folder"
        elif module in used:
            reason = "the module is used already"
        else:
            reason = None
            used.add(module)
        rows.append(_row(path, directive, module=module, folder=folder, reason=reason))
    return rows


# Always runs (a filter of the inventory, never stored); ``go_modules`` is keyed by its rows, so
# an edit of any other file (a .go file) leaves that node a cache hit.
@cache(behavior="recompute")
@tag(layer="inventory", kind="selection", artifact="go_manifests", task_cost="1")
def go_manifests(file_inventory: pl.DataFrame) -> pl.DataFrame:
    """The inventory's go.mod and go.work files with their content hash (path, sha256): all of
    the inventory ``go_modules`` reads."""
    return file_inventory.filter(
        pl.col("path").str.split("/").list.last().is_in([GO_MOD, GO_WORK])
        & pl.col("sha256").is_not_null()
    ).select("path", "sha256")


@tag(asset="go/modules", layer="inventory", kind="table", artifact="go_modules", task_cost="1")
@check_output_custom(*table_checks(schema=schemas.GO_MODULES, key=schemas.SORT_KEYS["go_modules"]))
@schema.output(*arrow_fields(schemas.GO_MODULES))
def go_modules(go_manifests: pl.DataFrame, repo_path: str) -> pl.DataFrame:
    """The directives of every go.mod (the module it declares with the folder it roots, the
    modules it requires, the replacements it makes) and go.work (the module folders it uses,
    its replacements) of the repository, one row per directive, and their invalid lines."""
    texts: dict[str, str] = {}
    rows: list[dict[str, object]] = []
    for path, data in read_verified_files(repo_path, go_manifests.iter_rows()):
        try:
            texts[path] = data.decode("utf-8")
        except UnicodeDecodeError:  # Go rejects the file: nothing of it counts
            rows.append(_row(path, NOT_UTF8))
    module_of_folder: dict[str, str] = {}
    work_files: list[str] = []
    for path, text in sorted(texts.items()):
        if posixpath.basename(path) == GO_WORK:
            work_files.append(path)
            continue
        for directive in go_mod_directives(text):
            rows.append(_go_mod_row(path, directive))
            if directive.kind == "module" and directive.module is not None:
                module_of_folder[posixpath.dirname(path)] = directive.module
    for path in work_files:
        rows.extend(_go_work_rows(path, go_work_directives(texts[path]), module_of_folder))
    return finish_table(
        rows_to_frame(rows, schemas.GO_MODULES),
        table_schema=schemas.GO_MODULES,
        sort_key="go_modules",
    )
