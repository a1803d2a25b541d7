"""The full dataflow on one small repository per language: exact rows of every family, the CPG
edges (resolved CALLS included) and the call-graph fan-in/fan-out.

Python has its own module (``test_dataflow.py``) with every column of every table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tests.dataflow_support import rows, run_dataflow, write_repo
from tests.test_dataflow import described_edges


@dataclass(frozen=True)
class LanguageCase:
    language: str
    files: dict[str, str]
    symbols: list[tuple[Any, ...]]  # path, kind, qualified_name, parent, start_line, end_line
    imports: list[tuple[Any, ...]]  # path, module, name, alias, line
    calls: list[tuple[Any, ...]]  # path, callee, callee_name, enclosing, line
    inherits: list[tuple[Any, ...]]  # path, child, parent, relation, line
    calls_edges: list[tuple[str, str, bool]]  # described CALLS edges
    imports_edges: list[tuple[str, str, bool]]
    inherits_edges: list[tuple[str, str, bool]]
    metrics: list[tuple[str, int, int]]  # qualified_name, fan_in, fan_out


RUST = LanguageCase(
    language="rust",
    files={
        "src/lib.rs": """\
mod net;
use crate::net::connect;

pub trait Shape {
    fn area(&self) -> f64;
}

pub struct Square {
    side: f64,
}

impl Shape for Square {
    fn area(&self) -> f64 {
        self.side * self.side
    }
}

impl Square {
    pub fn new(side: f64) -> Self {
        Square { side }
    }
    pub fn double(&self) -> f64 {
        self.area() * 2.0
    }
}

pub fn run() {
    let s = Square::new(2.0);
    connect();
    println!("{}", s.double());
}
""",
        "src/net/mod.rs": """\
pub fn connect() -> bool {
    helper()
}

fn helper() -> bool {
    true
}
""",
    },
    symbols=[
        ("src/lib.rs", "module", "crate::net", None, 1, 1),
        ("src/lib.rs", "trait", "crate::Shape", None, 4, 6),
        ("src/lib.rs", "method", "crate::Shape::area", "crate::Shape", 5, 5),
        ("src/lib.rs", "struct", "crate::Square", None, 8, 10),
        ("src/lib.rs", "impl", "crate::Square", None, 12, 16),
        ("src/lib.rs", "method", "crate::Square::area", "crate::Square", 13, 15),
        ("src/lib.rs", "impl", "crate::Square", None, 18, 25),
        ("src/lib.rs", "method", "crate::Square::new", "crate::Square", 19, 21),
        ("src/lib.rs", "method", "crate::Square::double", "crate::Square", 22, 24),
        ("src/lib.rs", "function", "crate::run", None, 27, 31),
        ("src/net/mod.rs", "function", "crate::net::connect", None, 1, 3),
        ("src/net/mod.rs", "function", "crate::net::helper", None, 5, 7),
    ],
    imports=[
        ("src/lib.rs", "crate::net", "connect", None, 2),
    ],
    calls=[
        ("src/lib.rs", "self.area", "area", "crate::Square::double", 23),
        ("src/lib.rs", "Square::new", "new", "crate::run", 28),
        ("src/lib.rs", "connect", "connect", "crate::run", 29),
        ("src/lib.rs", "println!", "println!", "crate::run", 30),
        ("src/lib.rs", "s.double", "double", "crate::run", 30),  # a macro argument
        ("src/net/mod.rs", "helper", "helper", "crate::net::connect", 2),
    ],
    inherits=[
        ("src/lib.rs", "crate::Square", "Shape", "impl", 12),
    ],
    calls_edges=[
        ("CALL:Square::new", "METHOD:crate::Square::new", True),
        ("CALL:connect", "METHOD:crate::net::connect", True),
        ("CALL:helper", "METHOD:crate::net::helper", True),
        ("CALL:println!", "unresolved:println!", False),
        ("CALL:s.double", "METHOD:crate::Square::double", True),
        ("CALL:self.area", "METHOD:crate::Square::area", True),
    ],
    imports_edges=[
        ("IMPORT:crate::net::connect", "METHOD:crate::net::connect", True),
    ],
    inherits_edges=[
        ("TYPE_DECL:crate::Square", "TYPE_DECL:crate::Shape", True),
    ],
    metrics=[
        ("crate::Shape::area", 0, 0),
        ("crate::Square::area", 1, 0),
        ("crate::Square::double", 1, 1),
        ("crate::Square::new", 1, 0),
        ("crate::net::connect", 1, 1),
        ("crate::net::helper", 1, 0),
        ("crate::run", 0, 3),
    ],
)


TYPESCRIPT = LanguageCase(
    language="typescript",
    files={
        "src/shapes.ts": """\
import { log } from "./util";

export interface Shape {
  area(): number;
}

export class Circle implements Shape {
  constructor(private r: number) {}
  area(): number {
    return this.scale(3.14);
  }
  scale(k: number): number {
    log("scale");
    return k * this.r * this.r;
  }
}

export function unit(): Circle {
  return new Circle(1);
}
""",
        "src/util.ts": """\
export function log(message: string): void {
  console.log(message);
}
""",
    },
    symbols=[
        ("src/shapes.ts", "interface", "src/shapes.Shape", None, 3, 5),
        ("src/shapes.ts", "method", "src/shapes.Shape.area", "src/shapes.Shape", 4, 4),
        ("src/shapes.ts", "class", "src/shapes.Circle", None, 7, 16),
        ("src/shapes.ts", "method", "src/shapes.Circle.constructor", "src/shapes.Circle", 8, 8),
        ("src/shapes.ts", "method", "src/shapes.Circle.area", "src/shapes.Circle", 9, 11),
        ("src/shapes.ts", "method", "src/shapes.Circle.scale", "src/shapes.Circle", 12, 15),
        ("src/shapes.ts", "function", "src/shapes.unit", None, 18, 20),
        ("src/util.ts", "function", "src/util.log", None, 1, 3),
    ],
    imports=[
        ("src/shapes.ts", "./util", "log", None, 1),
    ],
    calls=[
        ("src/shapes.ts", "this.scale", "scale", "src/shapes.Circle.area", 10),
        ("src/shapes.ts", "log", "log", "src/shapes.Circle.scale", 13),
        ("src/shapes.ts", "Circle", "Circle", "src/shapes.unit", 19),
        ("src/util.ts", "console.log", "log", "src/util.log", 2),
    ],
    inherits=[
        ("src/shapes.ts", "src/shapes.Circle", "Shape", "implements", 7),
    ],
    calls_edges=[
        ("CALL:Circle", "METHOD:src/shapes.Circle.constructor", True),  # `new Circle(1)`
        ("CALL:console.log", "unresolved:log", False),
        ("CALL:log", "METHOD:src/util.log", True),
        ("CALL:this.scale", "METHOD:src/shapes.Circle.scale", True),
    ],
    imports_edges=[
        ("IMPORT:src/util.log", "METHOD:src/util.log", True),
    ],
    inherits_edges=[
        ("TYPE_DECL:src/shapes.Circle", "TYPE_DECL:src/shapes.Shape", True),
    ],
    metrics=[
        ("src/shapes.Circle.area", 0, 1),
        ("src/shapes.Circle.constructor", 1, 0),
        ("src/shapes.Circle.scale", 1, 1),
        ("src/shapes.Shape.area", 0, 0),
        ("src/shapes.unit", 0, 1),
        ("src/util.log", 1, 0),
    ],
)


JAVASCRIPT = LanguageCase(
    language="javascript",
    files={
        "app.js": """\
const { parse } = require("./parse");

class Animal {
  speak() {
    return this.name();
  }
  name() {
    return "animal";
  }
}

class Dog extends Animal {
  name() {
    return parse("dog");
  }
}

function main() {
  new Dog().speak();
}
""",
        "parse.js": """\
function parse(text) {
  return text.trim();
}
module.exports = { parse };
""",
    },
    symbols=[
        ("app.js", "class", "app.Animal", None, 3, 10),
        ("app.js", "method", "app.Animal.speak", "app.Animal", 4, 6),
        ("app.js", "method", "app.Animal.name", "app.Animal", 7, 9),
        ("app.js", "class", "app.Dog", None, 12, 16),
        ("app.js", "method", "app.Dog.name", "app.Dog", 13, 15),
        ("app.js", "function", "app.main", None, 18, 20),
        ("parse.js", "function", "parse.parse", None, 1, 3),
    ],
    imports=[
        ("app.js", "./parse", "parse", None, 1),
    ],
    calls=[
        ("app.js", "require", "require", None, 1),
        ("app.js", "this.name", "name", "app.Animal.speak", 5),
        ("app.js", "parse", "parse", "app.Dog.name", 14),
        ("app.js", "Dog", "Dog", "app.main", 19),
        ("app.js", "new Dog().speak", "speak", "app.main", 19),
        ("parse.js", "text.trim", "trim", "parse.parse", 2),
    ],
    inherits=[
        ("app.js", "app.Dog", "Animal", "extends", 12),
    ],
    calls_edges=[
        ("CALL:Dog", "TYPE_DECL:app.Dog", True),  # `new Dog()`: no constructor, the class
        ("CALL:new Dog().speak", "METHOD:app.Animal.speak", True),
        ("CALL:parse", "METHOD:parse.parse", True),
        ("CALL:require", "unresolved:require", False),
        ("CALL:text.trim", "unresolved:trim", False),
        ("CALL:this.name", "METHOD:app.Animal.name", True),
    ],
    imports_edges=[
        ("IMPORT:parse.parse", "METHOD:parse.parse", True),
    ],
    inherits_edges=[
        ("TYPE_DECL:app.Dog", "TYPE_DECL:app.Animal", True),
    ],
    metrics=[
        ("app.Animal.name", 1, 0),
        ("app.Animal.speak", 1, 1),
        ("app.Dog.name", 0, 1),
        ("app.main", 0, 1),
        ("parse.parse", 1, 0),
    ],
)


GO = LanguageCase(
    language="go",
    files={
        "main.go": """\
package main

import (
	"fmt"
	"example.com/demo/util"
)

type Counter struct {
	n int
}

func (c *Counter) Inc() {
	c.n = add(c.n, 1)
}

func add(a, b int) int {
	return a + b
}

func main() {
	c := &Counter{}
	c.Inc()
	fmt.Println(util.Double(c.n))
}
""",
        "util/util.go": """\
package util

func Double(x int) int {
	return x * 2
}
""",
    },
    symbols=[
        ("main.go", "struct", "Counter", None, 8, 10),
        ("main.go", "method", "Counter.Inc", "Counter", 12, 14),
        ("main.go", "function", "add", None, 16, 18),
        ("main.go", "function", "main", None, 20, 24),
        ("util/util.go", "function", "util.Double", None, 3, 5),
    ],
    imports=[
        ("main.go", "fmt", "fmt", None, 4),
        ("main.go", "example.com/demo/util", "util", None, 5),
    ],
    calls=[
        ("main.go", "add", "add", "Counter.Inc", 13),
        ("main.go", "c.Inc", "Inc", "main", 22),
        ("main.go", "fmt.Println", "Println", "main", 23),
        ("main.go", "util.Double", "Double", "main", 23),
    ],
    inherits=[],
    calls_edges=[
        ("CALL:add", "METHOD:add", True),
        ("CALL:c.Inc", "METHOD:Counter.Inc", True),
        ("CALL:fmt.Println", "unresolved:Println", False),
        ("CALL:util.Double", "METHOD:util.Double", True),
    ],
    imports_edges=[
        ("IMPORT:fmt", "unresolved:fmt", False),
        ("IMPORT:util", "NAMESPACE:util", True),
    ],
    inherits_edges=[],
    metrics=[
        ("Counter.Inc", 1, 1),
        ("add", 1, 0),
        ("main", 0, 2),
        ("util.Double", 1, 0),
    ],
)


JAVA = LanguageCase(
    language="java",
    files={
        "src/main/java/com/acme/Animal.java": """\
package com.acme;

public interface Animal {
    String sound();
}
""",
        "src/main/java/com/acme/Dog.java": """\
package com.acme;

import java.util.List;

public class Dog extends Base implements Animal {
    public String sound() {
        return bark();
    }

    private String bark() {
        rest();
        return List.of("woof").get(0);
    }
}

class Base {
    void rest() {
        nap();
    }

    void nap() {}
}
""",
        "src/main/java/com/acme/Shop.java": """\
package com.acme;

class Shop {
    Shop() {}

    Dog adopt() {
        new Shop();
        return new Dog();
    }
}
""",
    },
    symbols=[
        ("src/main/java/com/acme/Animal.java", "interface", "com.acme.Animal", None, 3, 5),
        (
            "src/main/java/com/acme/Animal.java",
            "method",
            "com.acme.Animal.sound",
            "com.acme.Animal",
            4,
            4,
        ),
        ("src/main/java/com/acme/Dog.java", "class", "com.acme.Dog", None, 5, 14),
        ("src/main/java/com/acme/Dog.java", "method", "com.acme.Dog.sound", "com.acme.Dog", 6, 8),
        ("src/main/java/com/acme/Dog.java", "method", "com.acme.Dog.bark", "com.acme.Dog", 10, 13),
        ("src/main/java/com/acme/Dog.java", "class", "com.acme.Base", None, 16, 22),
        (
            "src/main/java/com/acme/Dog.java",
            "method",
            "com.acme.Base.rest",
            "com.acme.Base",
            17,
            19,
        ),
        ("src/main/java/com/acme/Dog.java", "method", "com.acme.Base.nap", "com.acme.Base", 21, 21),
        ("src/main/java/com/acme/Shop.java", "class", "com.acme.Shop", None, 3, 10),
        ("src/main/java/com/acme/Shop.java", "method", "com.acme.Shop.Shop", "com.acme.Shop", 4, 4),
        (
            "src/main/java/com/acme/Shop.java",
            "method",
            "com.acme.Shop.adopt",
            "com.acme.Shop",
            6,
            9,
        ),
    ],
    imports=[
        ("src/main/java/com/acme/Dog.java", "java.util", "List", None, 3),
    ],
    calls=[
        ("src/main/java/com/acme/Dog.java", "bark", "bark", "com.acme.Dog.sound", 7),
        ("src/main/java/com/acme/Dog.java", "rest", "rest", "com.acme.Dog.bark", 11),
        ("src/main/java/com/acme/Dog.java", "List.of", "of", "com.acme.Dog.bark", 12),
        ("src/main/java/com/acme/Dog.java", 'List.of("woof").get', "get", "com.acme.Dog.bark", 12),
        ("src/main/java/com/acme/Dog.java", "nap", "nap", "com.acme.Base.rest", 18),
        ("src/main/java/com/acme/Shop.java", "Shop", "Shop", "com.acme.Shop.adopt", 7),
        ("src/main/java/com/acme/Shop.java", "Dog", "Dog", "com.acme.Shop.adopt", 8),
    ],
    inherits=[
        ("src/main/java/com/acme/Dog.java", "com.acme.Dog", "Animal", "implements", 5),
        ("src/main/java/com/acme/Dog.java", "com.acme.Dog", "Base", "extends", 5),
    ],
    calls_edges=[
        ("CALL:Dog", "TYPE_DECL:com.acme.Dog", True),  # `new Dog()`, no constructor declared
        ("CALL:List.of", "unresolved:of", False),
        ('CALL:List.of("woof").get', "unresolved:get", False),
        ("CALL:Shop", "METHOD:com.acme.Shop.Shop", True),  # `new Shop()`: its constructor
        ("CALL:bark", "METHOD:com.acme.Dog.bark", True),
        ("CALL:nap", "METHOD:com.acme.Base.nap", True),
        ("CALL:rest", "METHOD:com.acme.Base.rest", True),
    ],
    imports_edges=[
        ("IMPORT:java.util.List", "unresolved:java.util.List", False),
    ],
    inherits_edges=[
        ("TYPE_DECL:com.acme.Dog", "TYPE_DECL:com.acme.Animal", True),
        ("TYPE_DECL:com.acme.Dog", "TYPE_DECL:com.acme.Base", True),
    ],
    metrics=[
        ("com.acme.Animal.sound", 0, 0),
        ("com.acme.Base.nap", 1, 0),
        ("com.acme.Base.rest", 1, 1),
        ("com.acme.Dog.bark", 1, 1),
        ("com.acme.Dog.sound", 0, 1),
        ("com.acme.Shop.Shop", 1, 0),
        ("com.acme.Shop.adopt", 0, 1),
    ],
)


CASES = [RUST, TYPESCRIPT, JAVASCRIPT, GO, JAVA]


@pytest.mark.parametrize("case", CASES, ids=[case.language for case in CASES])
def test_language_dataflow_exact_rows(case: LanguageCase, tmp_path: Path) -> None:
    repo = write_repo(tmp_path / case.language, case.files)
    tables = run_dataflow(repo, languages=[case.language])
    prefix = case.language
    files = tables["files"]
    assert rows(files, "path", "language", "status", "reason", "parse_errors") == [
        (path, case.language, "ok", None, 0) for path in sorted(case.files)
    ]
    symbols = tables[f"{prefix}.symbols"]
    assert rows(symbols, "path", "kind", "qualified_name", "parent", "start_line", "end_line") == (
        case.symbols
    )
    assert set(symbols["language"].to_list()) == {case.language}
    assert rows(tables[f"{prefix}.imports"], "path", "module", "name", "alias", "line") == (
        case.imports
    )
    assert rows(
        tables[f"{prefix}.calls"], "path", "callee", "callee_name", "enclosing", "line"
    ) == (case.calls)
    assert rows(tables[f"{prefix}.inherits"], "path", "child", "parent", "relation", "line") == (
        case.inherits
    )
    assert described_edges(tables, "CALLS") == case.calls_edges
    assert described_edges(tables, "IMPORTS") == case.imports_edges
    assert described_edges(tables, "INHERITS_FROM") == case.inherits_edges
    assert (
        sorted(rows(tables["cpg_metrics"], "qualified_name", "fan_in", "fan_out")) == case.metrics
    )


def test_all_languages_in_one_repository(tmp_path: Path) -> None:
    files: dict[str, str] = {}
    for case in CASES:
        files.update({f"{case.language}/{path}": text for path, text in case.files.items()})
    repo = write_repo(tmp_path / "poly", files)
    tables = run_dataflow(repo, languages=[case.language for case in CASES])
    nodes = tables["cpg_nodes"]
    methods = nodes.filter(pl.col("label") == "METHOD")
    assert sorted(set(methods["language"].to_list())) == sorted(case.language for case in CASES)
    expected_methods = sum(
        1 for case in CASES for symbol in case.symbols if symbol[1] in {"function", "method"}
    )
    assert methods.height == expected_methods
    resolved = tables["cpg_edges"].filter((pl.col("label") == "CALLS") & pl.col("resolved"))
    expected_resolved = sum(1 for case in CASES for edge in case.calls_edges if edge[2])
    assert resolved.height == expected_resolved
    # A resolved call never crosses languages.
    language_of = dict(zip(nodes["id"].to_list(), nodes["language"].to_list(), strict=True))
    for src, dst in resolved.select("src", "dst").iter_rows():
        assert language_of[src] == language_of[dst]
