"""Rust crate declarations: the packages, workspaces and dependencies of every ``Cargo.toml``
(table ``rust/crates``).

Driver module. Rust code names a crate by the name its ``Cargo.toml`` gives it (``[lib] name``,
else ``[package] name`` with ``-`` as ``_``), not by its folder: Debian's ``tokio-1.24.2/`` holds
the crate ``tokio``, whose items the module paths call ``tokio_1.24.2::...`` (``normalize``: the
folder before ``src/``). The CPG maps the first segment of a Rust path (``use tokio::sync``) to
the repository crate it names, and knows that a declared dependency that is no crate of the
repository (``use bytes::Buf``) is from outside (``hamilton_modules.cpg``).

Rows (``kind``), each with the ``Cargo.toml`` ``path``:

- ``package``: ``[package]``: ``package`` (its name), ``name`` (the lib name code uses) and
  ``folder`` (the crate's folder, "" = the repository's root);
- ``workspace``: ``[workspace]``: ``folder`` (the workspace root);
- ``member``: one per repository folder with a package ``Cargo.toml`` that an entry of
  ``[workspace] members`` names (``target``: the entry as written, globs such as ``crates/*``
  match one folder level per ``*``), minus ``exclude``; an entry that names none (outside the
  repository, no package there) is one row with a null ``folder`` and its ``reason``;
- ``dependency``: one per entry of ``[dependencies]``, ``[dev-dependencies]``,
  ``[build-dependencies]``, their ``[target.<cfg>.*]`` forms and ``[workspace.dependencies]``
  (``section`` as written: ``dependencies``, ``target.'cfg(unix)'.dependencies``...):
  ``package`` (``package = "..."`` of a renamed dependency, else the key), ``name`` (the name
  code uses: a renamed dependency's key, else the lib name of the repository crate it names,
  else the package with ``-`` as ``_``), ``target`` (``path = "..."`` as written) and ``folder``
  (the repository folder of a ``path`` dependency; null with a ``reason`` when it is outside the
  repository, never read). ``dep = { workspace = true }`` takes the entry of the workspace's
  ``[workspace.dependencies]`` (the nearest ``Cargo.toml`` above with a ``[workspace]``);
- ``invalid``: a file that is no valid TOML, not UTF-8, or declares neither a named
  ``[package]`` nor a ``[workspace]``: one row with its ``reason``, nothing else of the file.

Only the inventory's own bytes are read, as ``go_modules`` does: each ``Cargo.toml`` the walk
hashed, opened under the pinned repository folder and checked against its sha256; a file that
changed since contributes nothing.
"""

from __future__ import annotations

import fnmatch
import posixpath
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from hamilton.function_modifiers import cache, check_output_custom, schema, tag

from hamilton_modules import schemas
from hamilton_modules.parsing import folder_in_repository, read_verified_files
from hamilton_modules.tables import arrow_fields, finish_table, rows_to_frame
from hamilton_modules.validators import table_checks

CARGO_TOML = "Cargo.toml"
OUTSIDE = "outside the repository"
NO_PACKAGE = "no Cargo.toml with a [package] in the folder"
DEPENDENCY_SECTIONS = ("dependencies", "dev-dependencies", "build-dependencies")
WORKSPACE_DEPENDENCIES = "workspace.dependencies"


def _code_name(package: str) -> str:
    """The name Rust code uses for a crate called ``package`` (``tokio-util`` -> ``tokio_util``)."""
    return package.replace("-", "_")


def _local_folder(base_folder: str, target: str) -> str | None:
    """``folder_in_repository``, and None for a Windows path (``\\x``), which Cargo manifests
    written on Windows may hold."""
    return None if target[:1] == "\\" else folder_in_repository(base_folder, target)


@dataclass
class _Dependency:
    section: str
    key: str
    package: str
    renamed: bool
    target: str | None  # `path = ...` as written
    base: str  # the folder `target` is relative to
    inherit: bool  # `workspace = true`


@dataclass
class _Manifest:
    """What one Cargo.toml declares (``invalid``: why none of it counts)."""

    path: str
    invalid: str | None = None
    package: str | None = None
    lib_name: str | None = None
    workspace: bool = False
    members: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    dependencies: list[_Dependency] = field(default_factory=list)
    workspace_dependencies: dict[str, _Dependency] = field(default_factory=dict)

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.path)


def _dependencies(section: str, table: object, base: str) -> list[_Dependency]:
    """The entries of one dependency table (``foo = "1"``, ``foo = { path = "../foo" }``,
    ``bar = { package = "foo" }``); entries of another shape are skipped (Cargo refuses them)."""
    found: list[_Dependency] = []
    if not isinstance(table, Mapping):
        return found
    for key, spec in sorted(table.items()):
        if not isinstance(key, str):
            continue
        package, target, inherit = key, None, False
        if isinstance(spec, Mapping):
            renamed = spec.get("package")
            package = renamed if isinstance(renamed, str) and renamed else key
            path = spec.get("path")
            target = path if isinstance(path, str) else None
            inherit = spec.get("workspace") is True
        elif not isinstance(spec, str):
            continue
        found.append(
            _Dependency(
                section=section,
                key=key,
                package=package,
                renamed=package != key,
                target=target,
                base=base,
                inherit=inherit,
            )
        )
    return found


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _parse_manifest(path: str, data: bytes) -> _Manifest:
    """One Cargo.toml's declarations (never raises: a bad file is ``invalid`` with a reason)."""
    manifest = _Manifest(path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        manifest.invalid = "not valid UTF-8"
        return manifest
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        manifest.invalid = f"invalid TOML: {exc}"
        return manifest
    package = document.get("package")
    workspace = document.get("workspace")
    if package is not None:
        name = package.get("name") if isinstance(package, Mapping) else None
        if not isinstance(name, str) or not name:
            manifest.invalid = "[package] without a name"
            return manifest
        manifest.package = name
        lib = document.get("lib")
        lib_name = lib.get("name") if isinstance(lib, Mapping) else None
        manifest.lib_name = _code_name(lib_name if isinstance(lib_name, str) and lib_name else name)
    if isinstance(workspace, Mapping):
        manifest.workspace = True
        manifest.members = _strings(workspace.get("members"))
        manifest.exclude = _strings(workspace.get("exclude"))
        for dependency in _dependencies(
            WORKSPACE_DEPENDENCIES, workspace.get("dependencies"), manifest.folder
        ):
            manifest.workspace_dependencies[dependency.key] = dependency
    elif package is None:
        manifest.invalid = "neither a [package] nor a [workspace]"
        return manifest
    if manifest.package is None:
        return manifest
    sections: list[tuple[str, object]] = [
        (name, document.get(name)) for name in DEPENDENCY_SECTIONS
    ]
    targets = document.get("target")
    if isinstance(targets, Mapping):
        for cfg, table in sorted(targets.items()):
            if isinstance(table, Mapping):
                sections += [
                    (f"target.{_toml_key(cfg)}.{name}", table.get(name))
                    for name in DEPENDENCY_SECTIONS
                ]
    for section, table in sections:
        manifest.dependencies += _dependencies(section, table, manifest.folder)
    return manifest


def _toml_key(key: str) -> str:
    """A table key as TOML writes it: bare when it can be, else quoted (``'cfg(unix)'``)."""
    bare = key and all(char.isalnum() or char in "-_" for char in key)
    return key if bare else "'" + key.replace("'", "\\'") + "'"


def _member_folders(pattern: str, base: str, packages: list[str]) -> list[str] | None:
    """The package folders a workspace ``members``/``exclude`` entry names (globs per path
    component, as Cargo's), None when the entry leaves the repository."""
    joined = _local_folder(base, pattern)
    if joined is None:
        return None
    wanted = joined.split("/") if joined else []
    return [
        folder
        for folder in packages
        if len(parts := (folder.split("/") if folder else [])) == len(wanted)
        and all(fnmatch.fnmatchcase(part, glob) for part, glob in zip(parts, wanted, strict=True))
    ]


def _row(path: str, kind: str, **values: str | None) -> dict[str, object]:
    row: dict[str, object] = {
        "path": path,
        "kind": kind,
        "section": None,
        "name": None,
        "package": None,
        "folder": None,
        "target": None,
        "reason": None,
    }
    row.update(values)
    return row


def _workspace_of(folder: str, workspaces: dict[str, _Manifest]) -> _Manifest | None:
    """The workspace a package folder belongs to: the nearest folder at or above it whose
    Cargo.toml has a ``[workspace]`` (Cargo's search upward)."""
    current = folder
    while True:
        found = workspaces.get(current)
        if found is not None:
            return found
        if not current:
            return None
        current = posixpath.dirname(current)


def _crate_rows(manifests: list[_Manifest]) -> list[dict[str, object]]:
    """The table's rows for the parsed Cargo.toml files of one repository."""
    rows: list[dict[str, object]] = []
    valid = [manifest for manifest in manifests if manifest.invalid is None]
    packages = {m.folder: m for m in valid if m.package is not None}
    workspaces = {m.folder: m for m in valid if m.workspace}
    by_package: dict[str, list[_Manifest]] = {}
    for manifest in packages.values():
        assert manifest.package is not None
        by_package.setdefault(manifest.package, []).append(manifest)
    package_folders = sorted(packages)

    def dependency_row(path: str, dependency: _Dependency) -> dict[str, object]:
        folder = reason = None
        crate: _Manifest | None = None
        if dependency.target is not None:
            folder = _local_folder(dependency.base, dependency.target)
            if folder is None:
                reason = OUTSIDE
            else:
                crate = packages.get(folder)
                reason = None if crate is not None else NO_PACKAGE
        elif len(by_package.get(dependency.package, ())) == 1:
            crate = by_package[dependency.package][0]  # the repository's crate of that package
        # a renamed dependency is its key in code, else the crate's lib name
        name = _code_name(dependency.key) if dependency.renamed or crate is None else crate.lib_name
        return _row(
            path,
            "dependency",
            section=dependency.section,
            name=name,
            package=dependency.package,
            folder=folder,
            target=dependency.target,
            reason=reason,
        )

    for manifest in manifests:
        path = manifest.path
        if manifest.invalid is not None:
            rows.append(_row(path, "invalid", reason=manifest.invalid))
            continue
        if manifest.package is not None:
            rows.append(
                _row(
                    path,
                    "package",
                    section="package",
                    name=manifest.lib_name,
                    package=manifest.package,
                    folder=manifest.folder,
                )
            )
        if manifest.workspace:
            rows.append(_row(path, "workspace", section="workspace", folder=manifest.folder))
            excluded: set[str] = set()
            for pattern in manifest.exclude:
                excluded.update(_member_folders(pattern, manifest.folder, package_folders) or [])
            for pattern in manifest.members:
                folders = _member_folders(pattern, manifest.folder, package_folders)
                kept = [folder for folder in folders or [] if folder not in excluded]
                if not kept:
                    reason = OUTSIDE if folders is None else NO_PACKAGE
                    rows.append(
                        _row(path, "member", section="workspace.members", target=pattern,
                             reason=reason)
                    )  # fmt: skip
                for folder in kept:
                    rows.append(
                        _row(path, "member", section="workspace.members", target=pattern,
                             folder=folder)
                    )  # fmt: skip
            for dependency in manifest.workspace_dependencies.values():
                rows.append(dependency_row(path, dependency))
        for dependency in manifest.dependencies:
            if dependency.inherit:
                workspace = _workspace_of(manifest.folder, workspaces)
                inherited = (
                    None
                    if workspace is None
                    else workspace.workspace_dependencies.get(dependency.key)
                )
                if inherited is not None:
                    dependency = _Dependency(
                        section=dependency.section,
                        key=dependency.key,
                        package=inherited.package,
                        renamed=inherited.renamed,
                        target=inherited.target,
                        base=inherited.base,
                        inherit=True,
                    )
            rows.append(dependency_row(path, dependency))
    return rows


# Always runs (a filter of the inventory, never stored); ``rust_crates`` is keyed by its rows, so
# an edit of any other file (a .rs file) leaves that node a cache hit.
@cache(behavior="recompute")
@tag(layer="inventory", kind="selection", artifact="cargo_manifests", task_cost="1")
def cargo_manifests(file_inventory: pl.DataFrame) -> pl.DataFrame:
    """The inventory's Cargo.toml files with their content hash (path, sha256): all of the
    inventory ``rust_crates`` reads."""
    return file_inventory.filter(
        (pl.col("path").str.split("/").list.last() == CARGO_TOML) & pl.col("sha256").is_not_null()
    ).select("path", "sha256")


@tag(asset="rust/crates", layer="inventory", kind="table", artifact="rust_crates", task_cost="1")
@check_output_custom(
    *table_checks(schema=schemas.RUST_CRATES, key=schemas.SORT_KEYS["rust_crates"])
)
@schema.output(*arrow_fields(schemas.RUST_CRATES))
def rust_crates(cargo_manifests: pl.DataFrame, repo_path: str) -> pl.DataFrame:
    """The packages (with the crate name code uses), workspaces, workspace members and
    dependencies every Cargo.toml of the repository declares, and the files that are invalid."""
    manifests = [
        _parse_manifest(path, data)
        for path, data in read_verified_files(repo_path, sorted(cargo_manifests.iter_rows()))
    ]
    return finish_table(
        rows_to_frame(_crate_rows(manifests), schemas.RUST_CRATES),
        table_schema=schemas.RUST_CRATES,
        sort_key="rust_crates",
    )
