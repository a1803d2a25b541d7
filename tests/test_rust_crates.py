"""The crates every Cargo.toml declares (``rust/crates``), exactly, from files the tests write."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from hamilton_modules import repository_files
from hamilton_modules.rust_crates import cargo_manifests, rust_crates
from tests.dataflow_support import rows, run_dataflow, write_repo

APP = """\
[package]
name = "my-app"
version = "0.1.0"

[lib]
name = "app_core"

[dependencies]
tokio-util = { path = "../tokio-util-0.7.3" }
bytes = "1"
fast = { package = "fast-hash", version = "2" }
outer = { path = "../../../outside" }
missing = { path = "../nothing-here" }
shared = { workspace = true }

[dev-dependencies.tokio]
version = "1"

[target.'cfg(unix)'.dependencies]
nix = "0.26"
"""

UTIL = """\
[package]
name = "tokio-util"
version = "0.7.3"

[dependencies]
tokio = "1"
"""

WORKSPACE = """\
[workspace]
members = ["crates/*", "../elsewhere"]
exclude = ["crates/skip"]

[workspace.dependencies]
shared = { path = "crates/shared-1.0" }
"""

SHARED = '[package]\nname = "shared"\n'
SKIP = '[package]\nname = "skip"\n'


def test_packages_workspaces_and_dependencies(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path / "repo",
        {
            "Cargo.toml": WORKSPACE,
            "crates/app/Cargo.toml": APP,
            "crates/app/src/lib.rs": "pub fn f() {}\n",
            "crates/tokio-util-0.7.3/Cargo.toml": UTIL,
            "crates/shared-1.0/Cargo.toml": SHARED,
            "crates/skip/Cargo.toml": SKIP,
            "crates/bad/Cargo.toml": "[package\nname = 1\n",
            "crates/noname/Cargo.toml": "[package]\nversion = '1'\n",
            "crates/latin1/Cargo.toml": b'[package]\nname = "caf\xe9"\n',
            "crates/empty/Cargo.toml": "[badge]\n",
        },
    )
    # `[package` ends the table header nowhere: tomllib's message names the place
    tables = run_dataflow(repo, languages=["rust"], extra=["rust_crates"])
    assert rows(tables["rust_crates"]) == [
        ("Cargo.toml", "dependency", "workspace.dependencies", "shared", "shared", "crates/shared-1.0", "crates/shared-1.0", None),
        ("Cargo.toml", "member", "workspace.members", None, None, None, "../elsewhere", "outside the repository"),
        ("Cargo.toml", "member", "workspace.members", None, None, "crates/app", "crates/*", None),
        ("Cargo.toml", "member", "workspace.members", None, None, "crates/shared-1.0", "crates/*", None),
        ("Cargo.toml", "member", "workspace.members", None, None, "crates/tokio-util-0.7.3", "crates/*", None),
        ("Cargo.toml", "workspace", "workspace", None, None, "", None, None),
        ("crates/app/Cargo.toml", "dependency", "dependencies", "bytes", "bytes", None, None, None),
        ("crates/app/Cargo.toml", "dependency", "dependencies", "fast", "fast-hash", None, None, None),
        ("crates/app/Cargo.toml", "dependency", "dependencies", "missing", "missing", "crates/nothing-here", "../nothing-here", "no Cargo.toml with a [package] in the folder"),
        ("crates/app/Cargo.toml", "dependency", "dependencies", "outer", "outer", None, "../../../outside", "outside the repository"),
        ("crates/app/Cargo.toml", "dependency", "dependencies", "shared", "shared", "crates/shared-1.0", "crates/shared-1.0", None),
        ("crates/app/Cargo.toml", "dependency", "dependencies", "tokio_util", "tokio-util", "crates/tokio-util-0.7.3", "../tokio-util-0.7.3", None),
        ("crates/app/Cargo.toml", "dependency", "dev-dependencies", "tokio", "tokio", None, None, None),
        ("crates/app/Cargo.toml", "dependency", "target.'cfg(unix)'.dependencies", "nix", "nix", None, None, None),
        ("crates/app/Cargo.toml", "package", "package", "app_core", "my-app", "crates/app", None, None),
        ("crates/bad/Cargo.toml", "invalid", None, None, None, None, None, "invalid TOML: Expected ']' at the end of a table declaration (at line 1, column 9)"),
        ("crates/empty/Cargo.toml", "invalid", None, None, None, None, None, "neither a [package] nor a [workspace]"),
        ("crates/latin1/Cargo.toml", "invalid", None, None, None, None, None, "not valid UTF-8"),
        ("crates/noname/Cargo.toml", "invalid", None, None, None, None, None, "[package] without a name"),
        ("crates/shared-1.0/Cargo.toml", "package", "package", "shared", "shared", "crates/shared-1.0", None, None),
        ("crates/skip/Cargo.toml", "package", "package", "skip", "skip", "crates/skip", None, None),
        ("crates/tokio-util-0.7.3/Cargo.toml", "dependency", "dependencies", "tokio", "tokio", None, None, None),
        ("crates/tokio-util-0.7.3/Cargo.toml", "package", "package", "tokio_util", "tokio-util", "crates/tokio-util-0.7.3", None, None),
    ]  # fmt: skip


def test_no_cargo_toml_gives_an_empty_table(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "repo", {"src/lib.rs": "pub fn f() {}\n"})
    tables = run_dataflow(repo, languages=["rust"], extra=["rust_crates"])
    assert tables["rust_crates"].height == 0
    assert tables["rust_crates"].columns == [
        "path", "kind", "section", "name", "package", "folder", "target", "reason",
    ]  # fmt: skip


def test_a_cargo_toml_changed_after_the_inventory_contributes_nothing(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path / "repo",
        {"a/Cargo.toml": '[package]\nname = "a"\n', "b/Cargo.toml": '[package]\nname = "b"\n'},
    )
    inventory = pl.DataFrame(
        [record.as_row() for record in repository_files(repo_path=str(repo), max_file_bytes=10**6)]
    )
    (repo / "b" / "Cargo.toml").write_text('[package]\nname = "changed"\n', encoding="utf-8")
    table = rust_crates(cargo_manifests=cargo_manifests(inventory), repo_path=str(repo))
    assert rows(table, "path", "kind", "name") == [("a/Cargo.toml", "package", "a")]
