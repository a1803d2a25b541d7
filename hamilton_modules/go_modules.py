"""Go module declarations: the ``module``, ``require`` and ``replace`` directives of every ``go.mod``.

Driver module. Go imports name packages by module path plus folder (``example.com/app/internal/
util`` is ``internal/util`` of the module ``example.com/app`` declared by the root ``go.mod``), so
the CPG resolves Go imports exactly when the repository declares its modules, and an import of
another module or of the standard library (``github.com/pkg/errors``, ``errors``) is never taken
for a local folder that happens to end the same way. Without any ``go.mod`` the CPG falls back to
matching trailing path components (``hamilton_modules.cpg``).

``replace`` directives (the Go modules reference: one-line and block form) redirect a module's
imports: ``replace example.com/old => ./local/path`` (or ``../x``, or ``old v1.2.3 => ./x`` for
one version) makes ``example.com/old/pkg`` the repository folder ``local/path/pkg``, the folder
resolved against the go.mod's own folder. A target outside the repository (``../..`` past its
root, an absolute path) or a module target (``=> other/mod v1.2.3``) is recorded with a null
``folder`` and never read or followed. ``require`` rows carry the versions a versioned
replacement is matched against.

Only the inventory's own bytes are read: each ``go.mod`` the walk accepted, opened under the
pinned repository folder and checked against the sha256 the inventory recorded. A file that
changed since, or a ``module`` line that cannot be read, contributes nothing.
"""

from __future__ import annotations

import os
import posixpath

import polars as pl
from hamilton.function_modifiers import check_output_custom, schema, tag

from hamilton_modules import schemas
from hamilton_modules.languages.go import GoModDirective, go_mod_directives, is_directory_target
from hamilton_modules.parsing import open_root, read_verified
from hamilton_modules.tables import arrow_fields, finish_table, rows_to_frame
from hamilton_modules.validators import table_checks

GO_MOD = "go.mod"


def _local_folder(go_mod_folder: str, target: str) -> str | None:
    """The repository folder a replacement's file-path target names ("" = the repository's
    root), None when it is no file path or leaves the repository (never followed outside it)."""
    if not is_directory_target(target) or target.startswith("/"):
        return None
    folder = posixpath.normpath(posixpath.join(go_mod_folder, target))
    if folder == ".":
        return ""
    return None if folder == ".." or folder.startswith("../") else folder


def _directive_row(path: str, directive: GoModDirective) -> dict[str, object]:
    go_mod_folder = posixpath.dirname(path)
    if directive.kind == "module":
        folder: str | None = go_mod_folder
    elif directive.kind == "replace" and directive.target is not None:
        folder = _local_folder(go_mod_folder, directive.target)
    else:
        folder = None
    return {
        "path": path,
        "line": directive.line,
        "kind": directive.kind,
        "module": directive.module,
        "version": directive.version,
        "folder": folder,
        "target": directive.target,
        "target_version": directive.target_version,
    }


@tag(asset="go/modules", layer="inventory", kind="table", artifact="go_modules", task_cost="1")
@check_output_custom(*table_checks(schema=schemas.GO_MODULES, key=schemas.SORT_KEYS["go_modules"]))
@schema.output(*arrow_fields(schemas.GO_MODULES))
def go_modules(file_inventory: pl.DataFrame, repo_path: str) -> pl.DataFrame:
    """The module each go.mod of the repository declares (with the folder it roots), the
    modules it requires and the replacements it makes, one row per directive."""
    candidates = file_inventory.filter(
        (pl.col("path").str.split("/").list.last() == GO_MOD) & pl.col("sha256").is_not_null()
    ).select("path", "sha256")
    rows: list[dict[str, object]] = []
    if candidates.height:
        root_fd = open_root(repo_path)
        try:
            for path, sha256 in candidates.iter_rows():
                data = None if root_fd is None else read_verified(root_fd, path, sha256)
                if data is None:
                    continue
                directives = go_mod_directives(data.decode("utf-8", errors="replace"))
                # Go rejects a second `module` directive; the first one stands.
                first_module = next((d for d in directives if d.kind == "module"), None)
                rows.extend(
                    _directive_row(path, directive)
                    for directive in directives
                    if directive.kind != "module" or directive is first_module
                )
        finally:
            if root_fd is not None:
                os.close(root_fd)
    return finish_table(
        rows_to_frame(rows, schemas.GO_MODULES),
        table_schema=schemas.GO_MODULES,
        sort_key="go_modules",
    )
