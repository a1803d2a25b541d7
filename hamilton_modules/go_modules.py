"""Go module declarations: the ``module`` path of every ``go.mod`` in the repository.

Driver module. Go imports name packages by module path plus folder (``example.com/app/internal/
util`` is ``internal/util`` of the module ``example.com/app`` declared by the root ``go.mod``), so
the CPG resolves Go imports exactly when the repository declares its modules, and an import of
another module or of the standard library (``github.com/pkg/errors``, ``errors``) is never taken
for a local folder that happens to end the same way. Without any ``go.mod`` the CPG falls back to
matching trailing path components (``hamilton_modules.cpg``).

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
from hamilton_modules.languages.go import module_directive
from hamilton_modules.parsing import open_root, read_verified
from hamilton_modules.tables import arrow_fields, finish_table, rows_to_frame
from hamilton_modules.validators import table_checks

GO_MOD = "go.mod"


@tag(asset="go/modules", layer="inventory", kind="table", artifact="go_modules", task_cost="1")
@check_output_custom(*table_checks(schema=schemas.GO_MODULES, key=schemas.SORT_KEYS["go_modules"]))
@schema.output(*arrow_fields(schemas.GO_MODULES))
def go_modules(file_inventory: pl.DataFrame, repo_path: str) -> pl.DataFrame:
    """The module path each go.mod of the repository declares, with the folder it roots."""
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
                module = module_directive(data.decode("utf-8", errors="replace"))
                if module is not None:
                    rows.append({"path": path, "folder": posixpath.dirname(path), "module": module})
        finally:
            if root_fd is not None:
                os.close(root_fd)
    return finish_table(
        rows_to_frame(rows, schemas.GO_MODULES),
        table_schema=schemas.GO_MODULES,
        sort_key="go_modules",
    )
