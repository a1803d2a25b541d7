"""Go imports resolved by the repository's go.mod files (``go/modules``), exactly.

Two modules in one repository (a root ``go.mod`` and a nested ``tools/go.mod``), each with a
``util`` package, plus imports of another module's ``util`` and of the standard library: with the
declarations every import lands on its own package or nowhere; the trailing-component match that
applies without go.mod would take ``github.com/other/util`` for a local ``util``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hamilton_modules.languages.go import module_directive
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
        ("go.mod", "", "example.com/app"),
        ("tools/go.mod", "tools", "example.com/tools"),
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
