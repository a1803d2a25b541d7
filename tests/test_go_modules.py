"""Go imports resolved by the repository's go.mod files (``go/modules``), exactly.

Two modules in one repository (a root ``go.mod`` and a nested ``tools/go.mod``), each with a
``util`` package, plus imports of another module's ``util`` and of the standard library: with the
declarations every import lands on its own package or nowhere; the trailing-component match that
applies without go.mod would take ``github.com/other/util`` for a local ``util``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hamilton_modules.languages.go import GoModDirective, go_mod_directives, module_directive
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
    ],
)
def test_module_directive(text: str, module: str | None) -> None:
    assert module_directive(text) == module


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
        ("go.mod", 1, "module", "example.com/app", None, "", None, None),
        ("tools/go.mod", 1, "module", "example.com/tools", None, "tools", None, None),
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
        ("go.mod", 1, "module", "example.com/app", None, "", None, None),
        ("go.mod", 6, "require", "example.com/lib", "v1.2.3", None, None, None),
        ("go.mod", 7, "require", "example.com/ver", "v1.0.0", None, None, None),
        ("go.mod", 8, "require", "example.com/other", "v2.0.0", None, None, None),
        ("go.mod", 11, "replace", "example.com/lib", None, "lib_fork", "./lib_fork", None),
        ("go.mod", 14, "replace", "example.com/ver", "v1.0.0", "vendored/ver", "./vendored/ver", None),
        ("go.mod", 15, "replace", "example.com/other", "v9.9.9", "forks/other", "./forks/other", None),
        ("go.mod", 16, "replace", "example.com/tools", None, None, "github.com/someone/tools", "v1.4.5"),
        ("go.mod", 17, "replace", "example.com/far", None, None, "../outside", None),
        ("lib/go.mod", 1, "module", "example.com/lib", None, "lib", None, None),
        ("lib_fork/go.mod", 1, "module", "example.com/lib", None, "lib_fork", None, None),
        ("tools/go.mod", 1, "module", "example.com/tools", None, "tools", None, None),
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
    assert rows(tables["go_modules"], "line", "module", "folder", "target") == [
        (1, "example.com/app", "", None),
        (3, "example.com/far", None, "../outside"),
        (4, "example.com/abs", None, "/etc"),
        (5, "example.com/up", None, "./a/../.."),
        (6, "example.com/self", "", "."),
    ]
    assert sorted(tables["files"]["path"].to_list()) == ["go.mod", "main.go", "self.go"]
    assert described_edges(tables, "IMPORTS") == [
        ("IMPORT:", "NAMESPACE:", True),  # `.`: the repository's root package
        ("IMPORT:example.com/far/y", "unresolved:example.com/far/y", False),
    ]
