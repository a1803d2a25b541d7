"""Go imports resolved by the repository's go.mod files (``go/modules``), exactly.

Two modules in one repository (a root ``go.mod`` and a nested ``tools/go.mod``), each with a
``util`` package, plus imports of another module's ``util`` and of the standard library: with the
declarations every import lands on its own package or nowhere; the trailing-component match that
applies without go.mod would take ``github.com/other/util`` for a local ``util``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamilton_modules.languages.go import (
    GoModDirective,
    go_mod_directives,
    go_version_key,
    go_work_directives,
    minimal_version_selection,
)
from tests.dataflow_support import rows, run_dataflow, write_repo
from tests.test_dataflow import described_edges

MAIN = """\
package main

import (
\t"errors"
\txutil "github.com/other/util"
\t"example.com/app/internal/util"
)

func main() {
\t_ = errors.New("x")
\t_ = xutil.Twice(1)
\t_ = util.Double(2)
}
"""
INTERNAL_UTIL = "package util\n\nfunc Double(x int) int { return 2 * x }\n"
TOOLS_MAIN = """\
package main

import "example.com/tools/util"

func main() { _ = util.Triple(3) }
"""
TOOLS_UTIL = "package util\n\nfunc Triple(x int) int { return 3 * x }\n"
FILES = {
    "main.go": MAIN,
    "internal/util/util.go": INTERNAL_UTIL,
    "tools/cmd/gen/main.go": TOOLS_MAIN,
    "tools/util/util.go": TOOLS_UTIL,
}


@pytest.mark.parametrize(
    ("text", "module"),
    [
        ("module example.com/app\n\ngo 1.22\n", "example.com/app"),
        ('// module fake\nmodule "example.com/q" // quoted\n', "example.com/q"),
        ("module `example.com/raw`\n", "example.com/raw"),
        ("go 1.22\n", None),
        ("module // nothing\n", None),
        ("module example.com/first\nmodule example.com/second\n", "example.com/first"),
    ],
)
def test_the_module_a_go_mod_declares(text: str, module: str | None) -> None:
    declared = [d.module for d in go_mod_directives(text) if d.kind == "module"]
    assert declared == ([] if module is None else [module])


def test_go_imports_resolve_through_the_declared_modules(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path / "repo",
        {
            **FILES,
            "go.mod": "module example.com/app\n\ngo 1.22\n",
            "tools/go.mod": 'module "example.com/tools" // the nested module\n',
        },
    )
    tables = run_dataflow(repo, languages=["go"], extra=["go_modules"])
    assert rows(tables["go_modules"]) == [
        ("go.mod", 1, "module", "example.com/app", None, "", None, None, None),
        ("tools/go.mod", 1, "module", "example.com/tools", None, "tools", None, None, None),
    ]
    assert described_edges(tables, "IMPORTS") == [
        ("IMPORT:errors", "unresolved:errors", False),  # the standard library
        # another module's util, not ours
        ("IMPORT:github.com/other/util", "unresolved:github.com/other/util", False),
        ("IMPORT:internal/util", "NAMESPACE:internal/util", True),
        ("IMPORT:tools/util", "NAMESPACE:tools/util", True),  # the nested module's own package
    ]
    assert described_edges(tables, "CALLS") == [
        ("CALL:errors.New", "unresolved:New", False),
        ("CALL:util.Double", "METHOD:internal/util.Double", True),
        ("CALL:util.Triple", "METHOD:tools/util.Triple", True),
        ("CALL:xutil.Twice", "unresolved:Twice", False),
    ]


def test_without_go_mod_imports_match_trailing_folders(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "repo", FILES)
    tables = run_dataflow(repo, languages=["go"], extra=["go_modules"])
    assert tables["go_modules"].height == 0
    # The fallback cannot tell another module's `util` from a local one: both imports of a
    # `.../util` land on internal/util (the shorter of the two matching folders).
    assert described_edges(tables, "IMPORTS") == [
        ("IMPORT:errors", "unresolved:errors", False),
        ("IMPORT:internal/util", "NAMESPACE:internal/util", True),
        ("IMPORT:internal/util", "NAMESPACE:internal/util", True),
        ("IMPORT:tools/util", "NAMESPACE:tools/util", True),
    ]


def test_a_root_package_and_a_folder_without_go_files(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path / "repo",
        {
            "go.mod": "module example.com/lib\n",
            "lib.go": "package lib\n\nfunc New() int { return 1 }\n",
            "doc/doc.go": (
                'package doc\n\nimport "example.com/lib"\n\nfunc Gen() int { return lib.New() }\n'
            ),
            "empty/README": "no Go files here\n",
            "cmd/main.go": (
                'package main\n\nimport "example.com/lib/empty"\n\nfunc main() { empty.X() }\n'
            ),
        },
    )
    tables = run_dataflow(repo, languages=["go"])
    # The root package's namespace (and so its import) has the empty module path.
    assert described_edges(tables, "IMPORTS") == [
        ("IMPORT:", "NAMESPACE:", True),
        ("IMPORT:example.com/lib/empty", "unresolved:example.com/lib/empty", False),
    ]
    assert described_edges(tables, "CALLS") == [
        ("CALL:empty.X", "unresolved:X", False),
        ("CALL:lib.New", "METHOD:New", True),
    ]


def test_go_mod_directives_one_line_and_block_forms() -> None:
    text = """\
module example.com/app // the main module
go 1.22
require example.com/one v0.1.0
require (
\texample.com/two v1.2.3 // indirect
)
replace example.com/one => ./one
replace (
\t"example.com/two" v1.2.3 => ../two // quoted, one version
\texample.com/three=>other.org/three v1.4.5
\tnot a replacement
)
exclude example.com/two v1.0.0
module example.com/again
frobnicate example.com/x
require example.com/short
)
"""
    assert go_mod_directives(text) == [
        GoModDirective(line=1, kind="module", module="example.com/app"),
        GoModDirective(line=3, kind="require", module="example.com/one", version="v0.1.0"),
        GoModDirective(line=5, kind="require", module="example.com/two", version="v1.2.3"),
        GoModDirective(line=7, kind="replace", module="example.com/one", target="./one"),
        GoModDirective(
            line=9, kind="replace", module="example.com/two", version="v1.2.3", target="../two"
        ),
        GoModDirective(
            line=10,
            kind="replace",
            module="example.com/three",
            target="other.org/three",
            target_version="v1.4.5",
        ),
        GoModDirective(line=11, kind="invalid", reason="malformed replace directive"),
        # Go rejects a second module directive, an unknown verb, a stray parenthesis
        GoModDirective(line=14, kind="invalid", reason="a second module directive"),
        GoModDirective(line=15, kind="invalid", reason="unknown directive 'frobnicate'"),
        GoModDirective(line=16, kind="invalid", reason="malformed require directive"),
        GoModDirective(line=17, kind="invalid", reason="unexpected )"),
    ]


REPLACING_GO_MOD = """\
module example.com/app

go 1.22

require (
\texample.com/lib v1.2.3
\texample.com/ver v1.0.0
\texample.com/other v2.0.0
)

replace example.com/lib => ./lib_fork

replace (
\texample.com/ver v1.0.0 => ./vendored/ver // the required version: applies
\texample.com/other v9.9.9 => ./forks/other // another version than the required one: does not
\texample.com/tools => github.com/someone/tools v1.4.5 // a module target: never read
\texample.com/far => ../outside // outside the repository: never followed
)
"""
REPLACING_MAIN = """\
package main

import (
\t"example.com/far/y"
\t"example.com/lib/util"
\t"example.com/other"
\t"example.com/tools/util"
\t"example.com/ver"
)

func main() { util.Patched(); ver.V(); other.O(); y.Y() }
"""


def test_replace_directives_redirect_imports_to_local_folders(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path / "repo",
        {
            "go.mod": REPLACING_GO_MOD,
            "main.go": REPLACING_MAIN,
            # Two copies of example.com/lib: without the replacement the first folder by name
            # would be taken; the root module replaces it with lib_fork.
            "lib/go.mod": "module example.com/lib\n",
            "lib/util/util.go": "package util\n\nfunc Old() {}\n",
            "lib_fork/go.mod": "module example.com/lib\n",
            "lib_fork/util/util.go": "package util\n\nfunc Patched() {}\n",
            "vendored/ver/ver.go": "package ver\n\nfunc V() {}\n",
            "forks/other/other.go": "package other\n\nfunc O() {}\n",
            # The tools module has no replacements: the root module's do not apply to it.
            "tools/go.mod": "module example.com/tools\n",
            "tools/util/util.go": "package util\n\nfunc Tool() {}\n",
            "tools/cmd/main.go": (
                'package main\n\nimport "example.com/lib/util"\n\nfunc main() { util.Old() }\n'
            ),
        },
    )
    tables = run_dataflow(repo, languages=["go"], extra=["go_modules"])
    assert rows(tables["go_modules"]) == [
        ("go.mod", 1, "module", "example.com/app", None, "", None, None, None),
        ("go.mod", 6, "require", "example.com/lib", "v1.2.3", None, None, None, None),
        ("go.mod", 7, "require", "example.com/ver", "v1.0.0", None, None, None, None),
        ("go.mod", 8, "require", "example.com/other", "v2.0.0", None, None, None, None),
        ("go.mod", 11, "replace", "example.com/lib", None, "lib_fork", "./lib_fork", None, None),
        ("go.mod", 14, "replace", "example.com/ver", "v1.0.0", "vendored/ver", "./vendored/ver", None, None),
        ("go.mod", 15, "replace", "example.com/other", "v9.9.9", "forks/other", "./forks/other", None, None),
        ("go.mod", 16, "replace", "example.com/tools", None, None, "github.com/someone/tools", "v1.4.5", None),
        ("go.mod", 17, "replace", "example.com/far", None, None, "../outside", None, "outside the repository"),
        ("lib/go.mod", 1, "module", "example.com/lib", None, "lib", None, None, None),
        ("lib_fork/go.mod", 1, "module", "example.com/lib", None, "lib_fork", None, None, None),
        ("tools/go.mod", 1, "module", "example.com/tools", None, "tools", None, None, None),
    ]  # fmt: skip
    assert described_edges(tables, "IMPORTS") == [
        ("IMPORT:example.com/far/y", "unresolved:example.com/far/y", False),
        ("IMPORT:example.com/other", "unresolved:example.com/other", False),
        # replaced by a module elsewhere, though the repository declares example.com/tools
        ("IMPORT:example.com/tools/util", "unresolved:example.com/tools/util", False),
        ("IMPORT:lib/util", "NAMESPACE:lib/util", True),  # tools/cmd: no replacement
        ("IMPORT:lib_fork/util", "NAMESPACE:lib_fork/util", True),  # the root module's
        ("IMPORT:vendored/ver", "NAMESPACE:vendored/ver", True),
    ]
    assert described_edges(tables, "CALLS") == [
        ("CALL:other.O", "unresolved:O", False),
        ("CALL:util.Old", "METHOD:lib/util.Old", True),
        ("CALL:util.Patched", "METHOD:lib_fork/util.Patched", True),
        ("CALL:ver.V", "METHOD:vendored/ver.V", True),
        ("CALL:y.Y", "unresolved:Y", False),
    ]


def test_replace_targets_outside_the_repository_are_never_followed(tmp_path: Path) -> None:
    # A sibling folder of the repository with Go code the replacement names: never read.
    write_repo(tmp_path / "outside", {"y/y.go": "package y\n\nfunc Y() {}\n"})
    repo = write_repo(
        tmp_path / "repo",
        {
            "go.mod": (
                "module example.com/app\n\n"
                "replace example.com/far => ../outside\n"
                "replace example.com/abs => /etc\n"
                "replace example.com/up => ./a/../..\n"
                "replace example.com/self => .\n"
            ),
            "main.go": (
                'package main\n\nimport (\n\t"example.com/far/y"\n\t"example.com/self"\n)\n\n'
                "func main() { y.Y(); self.S() }\n"
            ),
            "self.go": "package main\n\nfunc S() {}\n",
        },
    )
    tables = run_dataflow(repo, languages=["go"], extra=["go_modules"])
    assert rows(tables["go_modules"], "line", "module", "folder", "target", "reason") == [
        (1, "example.com/app", "", None, None),
        (3, "example.com/far", None, "../outside", "outside the repository"),
        (4, "example.com/abs", None, "/etc", "outside the repository"),
        (5, "example.com/up", None, "./a/../..", "outside the repository"),
        (6, "example.com/self", "", ".", None),
    ]
    assert sorted(tables["files"]["path"].to_list()) == ["go.mod", "main.go", "self.go"]
    assert described_edges(tables, "IMPORTS") == [
        ("IMPORT:", "NAMESPACE:", True),  # `.`: the repository's root package
        ("IMPORT:example.com/far/y", "unresolved:example.com/far/y", False),
    ]


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        # modfile.IsDirectoryPath: the Windows forms are directories too
        (r"old => .\local", "replacement directory is a Windows path"),
        (r"old => ..\local", "replacement directory is a Windows path"),
        (r"old => C:\src\local", "replacement directory is a Windows path"),
        ("old => ./local v1.0.0", "replacement directory with a version"),
        ("old => example.com/new", "replacement module without a version"),
        ("old => C:/src/local", GoModDirective(line=1, kind="replace", module="old", target="C:/src/local")),
        (
            "old v1.0.0 => example.com/new v1.2.0",
            GoModDirective(
                line=1,
                kind="replace",
                module="old",
                version="v1.0.0",
                target="example.com/new",
                target_version="v1.2.0",
            ),
        ),
    ],
)  # fmt: skip
def test_replacement_targets_as_modfile_reads_them(
    replace: str, expected: str | GoModDirective
) -> None:
    if isinstance(expected, str):
        expected = GoModDirective(line=1, kind="invalid", reason=expected)
    assert go_mod_directives(f"replace {replace}\n") == [expected]


def test_only_newlines_end_go_mod_lines() -> None:
    # The Go modules reference, "lexical elements": a carriage return is whitespace and a
    # newline the only line end, so a comment runs to the newline whatever it holds (here a
    # U+2028 line separator and a U+0085 next line, which str.splitlines breaks at).
    text = (
        "module example.com/app // see\u2028require example.com/fake v9.0.0\r\n"
        "require example.com/dep\rv1.0.0\n"
        "// old:\x85replace example.com/dep => ./fake\n"
        "replace example.com/dep => ./dep\n"
    )
    assert go_mod_directives(text) == [
        GoModDirective(line=1, kind="module", module="example.com/app"),
        GoModDirective(line=2, kind="require", module="example.com/dep", version="v1.0.0"),
        GoModDirective(line=4, kind="replace", module="example.com/dep", target="./dep"),
    ]


def test_go_work_directives() -> None:
    text = """\
go 1.23
toolchain go1.23.4
godebug default=go1.21
use ./app
use (
\t"./lib" // quoted
\t`../outside`
\t.
)
replace example.com/dep v1.0.0 => ./dep
require example.com/dep v1.0.0
use ./a ./b
use (
\t./unclosed
"""
    assert go_work_directives(text) == [
        GoModDirective(line=4, kind="use", target="./app"),
        GoModDirective(line=6, kind="use", target="./lib"),
        GoModDirective(line=7, kind="use", target="../outside"),
        GoModDirective(line=8, kind="use", target="."),
        GoModDirective(
            line=10, kind="replace", module="example.com/dep", version="v1.0.0", target="./dep"
        ),
        GoModDirective(line=11, kind="invalid", reason="unknown directive 'require'"),
        GoModDirective(line=12, kind="invalid", reason="malformed use directive"),
        GoModDirective(line=13, kind="invalid", reason="unclosed use block"),
        GoModDirective(line=14, kind="use", target="./unclosed"),
    ]


# semver.org's precedence example, then Go's forms: shorthands, pseudo-versions (pre-releases of
# the next patch, or v0.0.0-...), `+incompatible` (build metadata, ignored), numeric parts.
ASCENDING = [
    "v1.0.0-alpha",
    "v1.0.0-alpha.1",
    "v1.0.0-alpha.beta",
    "v1.0.0-beta",
    "v1.0.0-beta.2",
    "v1.0.0-beta.11",
    "v1.0.0-rc.1",
    "v1.0.0",
    "v1.2.3",
    "v1.2.4-0.20191109021931-daa7c04131f5",
    "v1.2.4",
    "v1.9.0",
    "v1.10.0",
    "v2.0.0+incompatible",
    "v10.0.0",
]


def test_go_versions_follow_semver_precedence() -> None:
    assert sorted(reversed(ASCENDING), key=go_version_key) == ASCENDING
    keys = [go_version_key(version) for version in ASCENDING]
    assert all(lower < higher for lower, higher in itertools.pairwise(keys))


@pytest.mark.parametrize(
    ("version", "same"),
    [
        ("v1", "v1.0.0"),
        ("v1.2", "v1.2.0"),
        ("v2.0.0+incompatible", "v2.0.0"),
        ("v1.0.0-rc.1+build.5", "v1.0.0-rc.1"),
        # invalid versions are all equal, and below every valid one
        ("1.2.3", "latest"),
        ("v1.2-pre", "v01.2.3"),
        ("v1.2.3-01", "v1.2.3-"),
        ("v1.2.3+", "v1.2.3.4"),
    ],
)
def test_equal_go_versions(version: str, same: str) -> None:
    assert go_version_key(version) == go_version_key(same)


def test_invalid_go_versions_precede_valid_ones() -> None:
    for invalid in ("1.2.3", "latest", "v1.2-pre", "v01.2.3", "v1.2.3-01", "v1.2.3+", ""):
        assert go_version_key(invalid) == go_version_key("latest")
        assert go_version_key(invalid) < go_version_key("v0.0.0-0")


def test_minimal_version_selection_takes_the_highest_version_reached() -> None:
    # The main module requires a v1 and b v1; a v1 requires c v1.2.0, b v1 requires c v1.3.0.
    # Every reached version's requirements count, the selected one's or not: c v1.2.0 needs
    # d v1.1.0, c v1.3.0 only d v1.0.0, so d v1.1.0 is selected. A requirement of the main
    # module itself and a cycle (d v1.1.0 -> c v1.2.0) change nothing; e's go.mod is unknown.
    graph = {
        ("a", "v1.0.0"): [("c", "v1.2.0"), ("main", "v0.1.0")],
        ("b", "v1.0.0"): [("c", "v1.3.0"), ("e", "v0.9.0")],
        ("c", "v1.2.0"): [("d", "v1.1.0")],
        ("c", "v1.3.0"): [("d", "v1.0.0")],
        ("d", "v1.1.0"): [("c", "v1.2.0")],
    }
    selected = minimal_version_selection(
        requirements_of=lambda required: graph.get(required, []),
        roots=[("a", "v1.0.0"), ("b", "v1.0.0")],
        main_modules={"main"},
    )
    assert selected == {"a": "v1.0.0", "b": "v1.0.0", "c": "v1.3.0", "d": "v1.1.0", "e": "v0.9.0"}


GO_WORK = """\
go 1.23
toolchain go1.23.4

use (
\t./app
\t./lib_v2 // the workspace's copy of example.com/lib
)
use ./missing
use ../outside
use ./app
replace example.com/dep => ./dep_work
frobnicate
"""
WORKSPACE_FILES = {
    "go.work": GO_WORK,
    "app/go.mod": (
        "module example.com/app\n\n"
        "require example.com/dep v1.0.0\n\n"
        "replace example.com/dep v1.0.0 => ../dep_mod // overridden by the go.work\n"
    ),
    "app/main.go": (
        'package main\n\nimport (\n\t"example.com/dep"\n\t"example.com/lib/util"\n)\n\n'
        "func main() { util.New(); dep.D() }\n"
    ),
    # Two copies of example.com/lib: the workspace uses lib_v2 (without a replace); outside the
    # workspace the first folder by name stands.
    "lib/go.mod": "module example.com/lib\n",
    "lib/util/util.go": "package util\n\nfunc Old() {}\n",
    "lib_v2/go.mod": "module example.com/lib\n",
    "lib_v2/util/util.go": ('package util\n\nimport "example.com/dep"\n\nfunc New() { dep.D() }\n'),
    "dep_mod/dep.go": "package dep\n\nfunc D() {}\n",
    "dep_work/dep.go": "package dep\n\nfunc D() {}\n",
    # A module the go.work does not use: its own build, without the go.work's replacement.
    "other/go.mod": "module example.com/other\n",
    "other/main.go": (
        'package main\n\nimport (\n\t"example.com/dep"\n\t"example.com/lib/util"\n)\n\n'
        "func main() { util.Old(); dep.D() }\n"
    ),
}


def test_go_work_makes_its_used_modules_one_build(tmp_path: Path) -> None:
    # A sibling of the repository the go.work uses: recorded, never read.
    write_repo(
        tmp_path / "outside",
        {"go.mod": "module example.com/outside\n", "o.go": "package outside\n"},
    )
    repo = write_repo(tmp_path / "repo", WORKSPACE_FILES)
    tables = run_dataflow(repo, languages=["go"], extra=["go_modules"])
    assert rows(tables["go_modules"]) == [
        ("app/go.mod", 1, "module", "example.com/app", None, "app", None, None, None),
        ("app/go.mod", 3, "require", "example.com/dep", "v1.0.0", None, None, None, None),
        ("app/go.mod", 5, "replace", "example.com/dep", "v1.0.0", "dep_mod", "../dep_mod", None, None),
        ("go.work", 5, "use", "example.com/app", None, "app", "./app", None, None),
        ("go.work", 6, "use", "example.com/lib", None, "lib_v2", "./lib_v2", None, None),
        ("go.work", 8, "use", None, None, "missing", "./missing", None, "no go.mod declaring a module in the folder"),
        ("go.work", 9, "use", None, None, None, "../outside", None, "outside the repository"),
        ("go.work", 10, "use", "example.com/app", None, "app", "./app", None, "the module is used already"),
        ("go.work", 11, "replace", "example.com/dep", None, "dep_work", "./dep_work", None, None),
        ("go.work", 12, "invalid", None, None, None, None, None, "unknown directive 'frobnicate'"),
        ("lib/go.mod", 1, "module", "example.com/lib", None, "lib", None, None, None),
        ("lib_v2/go.mod", 1, "module", "example.com/lib", None, "lib_v2", None, None, None),
        ("other/go.mod", 1, "module", "example.com/other", None, "other", None, None, None),
    ]  # fmt: skip
    assert not any("outside" in path for path in tables["files"]["path"].to_list())
    assert described_edges(tables, "IMPORTS") == [
        ("IMPORT:dep_work", "NAMESPACE:dep_work", True),  # app: the go.work's replacement
        ("IMPORT:dep_work", "NAMESPACE:dep_work", True),  # lib_v2: the same build
        # other: no replacement of example.com/dep
        ("IMPORT:example.com/dep", "unresolved:example.com/dep", False),
        ("IMPORT:lib/util", "NAMESPACE:lib/util", True),  # other: the first copy by name
        ("IMPORT:lib_v2/util", "NAMESPACE:lib_v2/util", True),  # app: the used copy
    ]
    assert described_edges(tables, "CALLS") == [
        ("CALL:dep.D", "METHOD:dep_work.D", True),
        ("CALL:dep.D", "METHOD:dep_work.D", True),
        ("CALL:dep.D", "unresolved:D", False),
        ("CALL:util.New", "METHOD:lib_v2/util.New", True),
        ("CALL:util.Old", "METHOD:lib/util.Old", True),
    ]


def test_a_go_work_replacement_overrides_only_the_versions_it_replaces(tmp_path: Path) -> None:
    # Go's modload.Replacement: the go.work's replacement of the selected version, or of every
    # version, wins; otherwise the go.mod's applies. The targets have no go.mod, so nothing but
    # a replacement resolves the imports.
    files = {
        "go.work": (
            "use ./app\n\n"
            "replace example.com/dep v0.9.0 => ./dep_work // not the selected v1.0.0\n"
            "replace example.com/other v1.0.0 => ./other_work\n"
        ),
        "app/go.mod": (
            "module example.com/app\n\n"
            "require (\n\texample.com/dep v1.0.0\n\texample.com/other v1.0.0\n)\n\n"
            "replace example.com/dep => ../dep_mod\n"
            "replace example.com/other => ../other_mod\n"
        ),
        "app/main.go": (
            'package main\n\nimport (\n\t"example.com/dep"\n\t"example.com/other"\n)\n\n'
            "func main() { dep.D(); other.O() }\n"
        ),
        "dep_mod/dep.go": "package dep\n\nfunc D() {}\n",
        "dep_work/dep.go": "package dep\n\nfunc D() {}\n",
        "other_mod/other.go": "package other\n\nfunc O() {}\n",
        "other_work/other.go": "package other\n\nfunc O() {}\n",
    }
    tables = run_dataflow(write_repo(tmp_path / "repo", files), languages=["go"])
    assert described_edges(tables, "IMPORTS") == [
        ("IMPORT:dep_mod", "NAMESPACE:dep_mod", True),
        ("IMPORT:other_work", "NAMESPACE:other_work", True),
    ]


def test_without_the_go_work_each_module_is_its_own_build(tmp_path: Path) -> None:
    files = {path: text for path, text in WORKSPACE_FILES.items() if path != "go.work"}
    tables = run_dataflow(write_repo(tmp_path / "repo", files), languages=["go"])
    assert described_edges(tables, "IMPORTS") == [
        ("IMPORT:dep_mod", "NAMESPACE:dep_mod", True),  # app's own versioned replacement
        # lib_v2 and other: no replacement of example.com/dep
        ("IMPORT:example.com/dep", "unresolved:example.com/dep", False),
        ("IMPORT:example.com/dep", "unresolved:example.com/dep", False),
        ("IMPORT:lib/util", "NAMESPACE:lib/util", True),
        ("IMPORT:lib/util", "NAMESPACE:lib/util", True),
    ]


SELECTING_GO_MOD = """\
module example.com/app

require (
\texample.com/mid v1.0.0
\texample.com/old v1.1.0
\texample.com/deep v1.9.0
)

replace (
\texample.com/mid v1.0.0 => ./third_party/mid
\texample.com/old v1.1.0 => ./third_party/old11
\texample.com/old v1.2.0 => ./third_party/old12
\texample.com/deep v1.9.0 => ./third_party/deep9
\texample.com/deep v1.10.0 => ./third_party/deep10
)
"""


def test_versioned_replacements_follow_minimal_version_selection(tmp_path: Path) -> None:
    # app requires old v1.1.0 and mid v1.0.0, whose go.mod (read through its local
    # replacement) requires old v1.2.0: the build selects old v1.2.0, so the v1.2.0
    # replacement applies, not the v1.1.0 one app requires. old v1.1.0's go.mod requires
    # deep v1.10.0, above app's v1.9.0 (numerically, not as text). mid's own replacements do
    # not apply: only the main module's do.
    files = {
        "go.mod": SELECTING_GO_MOD,
        "main.go": (
            'package main\n\nimport (\n\t"example.com/deep"\n\t"example.com/mid"\n'
            '\t"example.com/old"\n)\n\nfunc main() { mid.M(); old.O(); deep.D() }\n'
        ),
        "third_party/mid/go.mod": (
            "module example.com/mid\n\nrequire example.com/old v1.2.0\n\n"
            "replace example.com/old => ../old11\n"
        ),
        "third_party/mid/mid.go": "package mid\n\nfunc M() {}\n",
        "third_party/old11/go.mod": (
            "module example.com/old\n\nrequire example.com/deep v1.10.0\n"
        ),
        "third_party/old11/old.go": "package old\n\nfunc O() {}\n",
        "third_party/old12/old.go": "package old\n\nfunc O() {}\n",
        "third_party/deep9/deep.go": "package deep\n\nfunc D() {}\n",
        "third_party/deep10/deep.go": "package deep\n\nfunc D() {}\n",
    }
    tables = run_dataflow(write_repo(tmp_path / "repo", files), languages=["go"])
    assert described_edges(tables, "IMPORTS") == [
        ("IMPORT:third_party/deep10", "NAMESPACE:third_party/deep10", True),
        ("IMPORT:third_party/mid", "NAMESPACE:third_party/mid", True),
        ("IMPORT:third_party/old12", "NAMESPACE:third_party/old12", True),
    ]
    assert described_edges(tables, "CALLS") == [
        ("CALL:deep.D", "METHOD:third_party/deep10.D", True),
        ("CALL:mid.M", "METHOD:third_party/mid.M", True),
        ("CALL:old.O", "METHOD:third_party/old12.O", True),
    ]


def test_bad_go_work_and_go_mod_files_are_recorded_not_fatal(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path / "repo",
        {
            # not UTF-8 (and binary for the inventory): Go rejects it, nothing of it counts
            "go.work": b"use ./a\n\xff\xfe\x00 =>\n",
            "a/go.mod": "module example.com/a\n",
            "a/a.go": 'package a\n\nimport "example.com/b"\n\nfunc A() { b.B() }\n',
            # syntax errors: the valid lines still count
            "b/go.work": "use (\n\t./x ./y\n",
            "b/go.mod": "module example.com/b\nrequire (\nreplace example.com/c => ../c\n",
            "b/b.go": "package b\n\nfunc B() {}\n",
            "empty/go.work": "",
        },
    )
    tables = run_dataflow(repo, languages=["go"], extra=["go_modules"])
    assert rows(tables["go_modules"], "path", "line", "kind", "module", "reason") == [
        ("a/go.mod", 1, "module", "example.com/a", None),
        ("b/go.mod", 1, "module", "example.com/b", None),
        ("b/go.mod", 2, "invalid", None, "unclosed require block"),
        # inside the unclosed block: taken for a requirement entry, which it is not
        ("b/go.mod", 3, "invalid", None, "malformed require directive"),
        ("b/go.work", 1, "invalid", None, "unclosed use block"),
        ("b/go.work", 2, "invalid", None, "malformed use directive"),
        ("go.work", 1, "invalid", None, "not valid UTF-8"),
    ]
    assert described_edges(tables, "IMPORTS") == [("IMPORT:b", "NAMESPACE:b", True)]


@given(st.text(alphabet=st.sampled_from(list('mrequiplacesgowk ()=>"`./v1-\n\t/#')), max_size=300))
@settings(max_examples=200, deadline=None)
def test_go_mod_and_go_work_parsers_never_fail(text: str) -> None:
    for directives in (go_mod_directives(text), go_work_directives(text)):
        lines = [directive.line for directive in directives]
        assert lines == sorted(set(lines))  # one row per line: the table's key stays unique
        assert all(
            (directive.reason is not None) == (directive.kind == "invalid")
            for directive in directives
        )


def test_a_module_belongs_to_the_innermost_go_work_using_it(tmp_path: Path) -> None:
    importer = 'package {0}\n\nimport "example.com/lib"\n\nfunc {0}() {{ lib.L() }}\n'
    repo = write_repo(
        tmp_path / "repo",
        {
            "go.work": "use (\n\t./svc\n\t./tool\n\t./lib_a\n)\n",
            "svc/go.work": "use (\n\t.\n\t../lib_b\n)\n",
            "svc/go.mod": "module example.com/svc\n",
            "svc/svc.go": importer.format("svc"),
            "tool/go.mod": "module example.com/tool\n",
            "tool/tool.go": importer.format("tool"),
            "lib_a/go.mod": "module example.com/lib\n",
            "lib_a/lib.go": "package lib\n\nfunc L() {}\n",
            "lib_b/go.mod": "module example.com/lib\n",
            "lib_b/lib.go": "package lib\n\nfunc L() {}\n",
        },
    )
    tables = run_dataflow(repo, languages=["go"])
    imports = tables["cpg_nodes"].filter(pl.col("label") == "IMPORT")
    assert rows(imports.sort("path"), "path", "qualified_name") == [
        ("svc/svc.go", "lib_b"),  # svc/go.work, the innermost go.work using svc
        ("tool/tool.go", "lib_a"),  # the root go.work
    ]
    assert described_edges(tables, "CALLS") == [
        ("CALL:lib.L", "METHOD:lib_a.L", True),
        ("CALL:lib.L", "METHOD:lib_b.L", True),
    ]
