"""Go extraction: exact rows (conventions in languages/go.py)."""

from __future__ import annotations

import functools

import pytest

from hamilton_modules.languages import FileExtraction, extract_file
from hamilton_modules.languages.go import (
    _GO_VERSION_TAG,
    GO_ARCHES,
    GO_OSES,
    _Expression,
    _free_tags,
    _holds,
    _parse_build,
    _tag_holds,
    _tags_of,
    go_build_constraint,
    go_builds_overlap,
    go_constructed_type,
    go_file_modifiers,
    receiver_type_name,
)
from tests.dataflow_support import receiver_types

SOURCE = b"""\
package shapes

import "fmt"
import (
	str "strings"
	_ "embed"
	. "math"
	"github.com/x/y/v2"
)

const Pi, E = 3.14, 2.71

type Shape interface {
	fmt.Stringer
	Area() float64
}

type Base struct{ id int }

type Circle struct {
	Base
	*Named
	radius float64
}

type ID = int
type Celsius float64
type List[T any] struct{ items []T }

func (c *Circle) Area() float64 { return Pi * Sqrt(c.radius) }
func (l List[T]) Len() int { return len(l.items) }

func New(r float64) *Circle {
	f := func() { fmt.Println(str.ToUpper("x")) }
	f()
	return &Circle{radius: float64(r)}
}
"""


@pytest.fixture(scope="module")
def result() -> FileExtraction:
    return extract_file("go", "shapes/shapes.go", SOURCE)


def test_symbols_exact(result: FileExtraction) -> None:
    rows = [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"], s["end_line"])
        for s in result.symbols
    ]
    assert rows == [
        ("constant", "Pi", "Pi", None, 11, 11),
        ("constant", "E", "E", None, 11, 11),  # one row per name of a const spec
        ("interface", "Shape", "Shape", None, 13, 16),
        ("method", "Area", "Shape.Area", "Shape", 15, 15),  # interface method element
        ("struct", "Base", "Base", None, 18, 18),
        ("struct", "Circle", "Circle", None, 20, 24),
        ("type_alias", "ID", "ID", None, 26, 26),
        ("type_alias", "Celsius", "Celsius", None, 27, 27),  # defined type, not struct/interface
        ("struct", "List", "List", None, 28, 28),
        ("method", "Area", "Circle.Area", "Circle", 30, 30),  # receiver without `*`
        ("method", "Len", "List.Len", "List", 31, 31),  # receiver without type parameters
        ("function", "New", "New", None, 33, 37),
    ]


def test_imports_exact(result: FileExtraction) -> None:
    rows = [(i["module"], i["name"], i["alias"], i["line"]) for i in result.imports]
    assert rows == [
        ("fmt", "fmt", None, 3),
        ("strings", "strings", "str", 5),
        ("embed", "embed", "_", 6),
        ("math", "math", ".", 7),
        ("github.com/x/y/v2", "v2", None, 8),
    ]


def test_calls_exact(result: FileExtraction) -> None:
    rows = sorted(
        (c["line"], c["column"], c["callee"], c["callee_name"], c["enclosing"])
        for c in result.calls
    )
    assert rows == [
        (30, 46, "Sqrt", "Sqrt", "Circle.Area"),
        (31, 36, "len", "len", "List.Len"),
        (34, 15, "fmt.Println", "Println", "New"),  # inside a func literal: enclosed by New
        (34, 27, "str.ToUpper", "ToUpper", "New"),
        (35, 1, "f", "f", "New"),
        (36, 24, "float64", "float64", "New"),  # conversions are call expressions
    ]


def test_inherits_exact(result: FileExtraction) -> None:
    rows = [(i["child"], i["parent"], i["relation"], i["line"]) for i in result.inherits]
    assert rows == [
        ("Shape", "fmt.Stringer", "extends", 14),  # embedded interface
        ("Circle", "Base", "extends", 21),  # embedded struct field
        ("Circle", "Named", "extends", 22),  # embedded pointer field
    ]
    assert result.error_count == 0


def test_constraint_unions_are_not_embedding() -> None:
    source = b"package p\ntype Number interface { ~int | ~float64 }\n"
    result = extract_file("go", "p.go", source)
    assert [(s["kind"], s["name"]) for s in result.symbols] == [("interface", "Number")]
    assert result.inherits == []


@pytest.mark.parametrize(
    ("written", "name"),
    [("T", "T"), ("*T", "T"), ("List[K, V]", "List"), ("*List[T]", "List"), ("(*T)", "T")],
)
def test_receiver_type_name(written: str, name: str) -> None:
    assert receiver_type_name(written) == name


RECEIVER_TYPES_SOURCE = b"""\
package p

type Server struct {
	conn  *Conn
	a, b  pkg.Foo
	*Embedded
}

func (s *Server) Serve(r io.Reader, fs ...Foo) {
	s.handle(); s.conn.Close(); s.a.F(); s.b.F(); s.nope.F(); r.Read(); fs.F()
	x := &Foo{}; x.F()
	y := Foo{A: 1}; y.F()
	z := new(Bar); z.F()
	var w Baz; w.F()
	var v = Qux{}; v.F()
	u := w; u.F()
	a, b := Foo{}, Bar{}; a.F(); b.F()
	m := make(); m.F()
	if s, ok := get(); ok { s.F() }
	f := func(s *Other) { s.F() }
	for _, s := range xs { s.F() }
	{ d := Foo{}; d.F() }
	{ d := Bar{}; d.F() }
	twice := Foo{}
	twice = Bar{} // no binding: Go keeps the declared type
	twice.F()
	e, ok := err.(net.Error); e.Timeout(); ok.F()
	ln, err := net.Listen("tcp", addr); ln.Addr()
	k := pkg.New(1); k.F()
	c := Foo(x); c.F()
	g := f(1)(2); g.F()
	n := len(xs); n.F()
	h := err.(*pkg.Err); h.F()
}

func G[T any](t T, l List[T]) { t.F(); l.F() }

func (l *List[T]) Push(v T) { v.F(); l.F() }
"""


def test_receiver_types_of_go_declarations() -> None:
    """``receiver_type``: the method receiver, typed parameters, ``var x T``, composite
    literals, ``&T{}``, ``new(T)``, copies, type assertions, a call's value (``pkg.F()``, also
    the first of several names), one field hop through a struct of the file; None for type
    parameters (a function's, a receiver's), the others of several names, a shadowing binding."""
    result = extract_file("go", "p.go", RECEIVER_TYPES_SOURCE)
    typed = receiver_types(result)
    assert typed == [
        (10, "s.handle", "Server"),  # the receiver
        (10, "s.conn.Close", "Conn"),  # a field of the receiver's struct
        (10, "s.a.F", "pkg.Foo"),  # package-qualified as written
        (10, "s.b.F", "pkg.Foo"),
        (10, "s.nope.F", "Server .nope"),  # no such field here: a field hop for the CPG
        (10, "r.Read", "io.Reader"),
        (10, "fs.F", None),  # variadic: a slice
        (11, "x.F", "Foo"),
        (12, "y.F", "Foo"),
        (13, "z.F", "Bar"),
        (14, "w.F", "Baz"),
        (15, "v.F", "Qux"),
        (16, "u.F", "Baz"),  # a copy of w's type
        (17, "a.F", None),  # several names at once
        (17, "b.F", None),
        (18, "m.F", None),  # a predeclared function's result
        (19, "s.F", "get()"),  # the if statement's own s (get's first result)
        (20, "s.F", "Other"),  # the function literal's parameter
        (21, "s.F", "<package> .xs[]"),  # over a name no scope binds: the package's variable
        (22, "d.F", "Foo"),  # each block's own declaration (from its end to the block's)
        (23, "d.F", "Bar"),
        (26, "twice.F", "Foo"),
        (27, "e.Timeout", "net.Error"),  # a type assertion, the first of two names
        (27, "ok.F", None),  # the second name of several, no call's value: a bool
        (28, "net.Listen", "<package> .net"),  # no import names it: maybe the package's var
        (28, "ln.Addr", "net.Listen()"),  # a call's value (its first result)
        (29, "pkg.New", "<package> .pkg"),
        (29, "k.F", "pkg.New()"),
        (30, "c.F", "Foo()"),  # a conversion: the CPG types it as Foo when Foo is a type
        (31, "g.F", None),  # the value of calling a call's value
        (32, "n.F", None),  # a predeclared function's value
        (33, "h.F", "pkg.Err"),
        (36, "t.F", None),  # a type parameter
        (36, "l.F", "List"),
        (38, "v.F", None),  # the receiver's type parameter
        (38, "l.F", "List"),
    ]


def test_go_returns_are_the_result_types() -> None:
    """Symbols' ``returns``: each result's one named type (``x, err := f()`` binds the first
    and the second), pointers and type arguments dropped, empty for a slice or a channel,
    trailing empty ones left out; None when no result has one."""
    source = b"""\
package p

type I interface{ Stat() (os.FileInfo, error) }

func Dial() (*Conn, error) { return nil, nil }
func (s *S) Get() Box[int] { return Box[int]{} }
func Named() (a, b *Conn, err error) { return }
func Bytes() []byte { return nil }
func Ch() (<-chan int, error) { return nil, nil }
func None() {}
"""
    result = extract_file("go", "p.go", source)
    returns = {row["name"]: row["returns"] for row in result.symbols if row["kind"] != "interface"}
    assert returns == {
        "Stat": "os.FileInfo;error",
        "Dial": "Conn;error",
        "Get": "Box",
        "Named": "Conn;Conn;error",
        "Bytes": None,
        "Ch": ";error",
        "None": None,
    }


FIELD_CHAINS_SOURCE = b"""\
package p

type Tester struct {
	ts   *httptest.Server
	conn *Conn
}

type Conn struct{ peer *Peer }

func (t *Tester) Run(w http.ResponseWriter, v interface{}) {
	t.ts.Listener.Addr()
	t.conn.peer.Ping()
	t.conn.other.Ping()
	w.(http.Flusher).Flush()
	(&Conn{}).Close()
	Conn{}.Close()
	v.(*Peer).Ping()
	a, b, c, d := t.Split()
	a.F(); b.F(); c.F(); d.F()
	r, ok := v.(io.Reader); ok.F(); r.Read()
	p := &t.conn; p.F()
	t.Split().F()
}
"""


def test_go_field_chains_values_and_results() -> None:
    """Go ``receiver_type``: fields followed hop by hop through the file's structs, a field the
    file does not declare for the type reached a field hop (``Server .Listener``, whatever
    follows); a receiver written as a type assertion or a composite literal typed as such;
    the second and third of several names bound to one call's value its results ``[1]`` and
    ``[2]`` (the fourth and a comma-ok form's second: untyped); the address of a field its
    type."""
    typed = receiver_types(extract_file("go", "p.go", FIELD_CHAINS_SOURCE))
    assert typed == [
        (11, "t.ts.Listener.Addr", "httptest.Server .Listener"),
        (12, "t.conn.peer.Ping", "Peer"),
        (13, "t.conn.other.Ping", "Conn .other"),  # no such field here (an embedded one's?)
        (14, "w.(http.Flusher).Flush", "http.Flusher"),
        (15, "(&Conn{}).Close", "Conn"),
        (16, "Conn{}.Close", "Conn"),
        (17, "v.(*Peer).Ping", "Peer"),
        (18, "t.Split", "Tester"),
        (19, "a.F", "t.Split()"),
        (19, "b.F", "t.Split()[1]"),
        (19, "c.F", "t.Split()[2]"),
        (19, "d.F", None),
        (20, "ok.F", None),
        (20, "r.Read", "io.Reader"),
        (21, "p.F", "Conn"),  # the address of a field: its type
        (22, "t.Split().F", "t.Split()"),
        (22, "t.Split", "Tester"),
    ]


ELEMENTS_SOURCE = b"""\
package p

var pools = [...]sync.Pool{{}, {}}

func F(xs []*T, m map[string]*U, ch chan V, n nodes) {
	for _, x := range xs { x.A() }
	for i := range xs { i.B() }
	for _, v := range m { v.C() }
	for k, v := range ch { v.D(); k.E() }
	pools[1].Put()
	u, ok := m["a"]; u.G(); ok.H()
	y := xs[0]; y.I()
	for _, z := range f() { z.J() }
	xs[1].K()
	for _, e := range n { e.L() }
}
"""


def test_go_range_variables_and_index_expressions_are_elements() -> None:
    """Go ``receiver_type`` of an element of a name declared with a container type (``[]*T``,
    ``map[K]*U``, an array literal ``[...]sync.Pool{}``): the range variable over it (the
    second name; the first is an index or key), an index expression of it as a value or as
    the receiver; None for a channel's, a call's, or a named container type's elements."""
    typed = receiver_types(extract_file("go", "p.go", ELEMENTS_SOURCE))
    assert typed == [
        (6, "x.A", "T"),
        (7, "i.B", None),
        (8, "v.C", "U"),
        (9, "v.D", None),
        (9, "k.E", None),
        (10, "pools[1].Put", "sync.Pool"),
        (11, "u.G", "U"),
        (11, "ok.H", None),
        (12, "y.I", "T"),
        (13, "z.J", None),
        (14, "xs[1].K", "T"),
        (15, "e.L", None),
    ]


STRUCT_FIELDS_SOURCE = b"""\
package p

type Conn struct {
	peer *Peer
	*bufio.Reader
	encoding.Encoding
	Base
	kids  map[string]*Node
	names []string
}

func (c *Conn) Run(f File) {
	p := c.peer; p.Ping()
	for _, k := range c.kids { k.Walk() }
	c.Reader.Buffered()
	c.Encoding.NewEncoder()
	all, err := f.Readdir(-1)
	for _, fi := range all { fi.Name() }
	_ = err
}
"""


def test_go_struct_fields_are_exported_and_embedded_fields_named() -> None:
    """A Go struct's symbols row lists its fields and their types (``exports_fields``: field
    hops from other files read them), an embedded field named by its type's name
    (``*bufio.Reader``: ``Reader``); ``x := c.peer`` copies the field's type; a range over a
    field is its element's; a range over a call's value is ``f.Readdir()[]`` (an element of
    the value, which the CPG types only as a value from outside)."""
    result = extract_file("go", "p.go", STRUCT_FIELDS_SOURCE)
    fields = {row["name"]: row["fields"] for row in result.symbols if row["kind"] == "struct"}
    assert fields == {
        "Conn": "Base Base;Encoding encoding.Encoding;Reader bufio.Reader;kids;names;peer Peer"
    }
    assert receiver_types(result) == [
        (13, "p.Ping", "Peer"),
        (14, "k.Walk", "Node"),
        (15, "c.Reader.Buffered", "bufio.Reader"),
        (16, "c.Encoding.NewEncoder", "encoding.Encoding"),
        (17, "f.Readdir", "File"),
        (18, "fi.Name", "f.Readdir()[]"),
    ]


PACKAGE_VARIABLES_SOURCE = b"""\
package p

import (
	"sync"
	pk "example.com/m/pkg"
)

var table = newTable()
var (
	pool    sync.Pool
	a, b    = 1, 2
	opts    = [...]opt{{}}
	peer    = pk.New()
	plain   int
)

func f(shadow *T) {
	table.len()
	pool.Get()
	opts[1].parse()
	shadow.F()
	other.F()
	other.x.y.F()
	sync.NewCond()
	pk.F()
	local := g()
	local.F()
	var e T
	e.F()
	const other2 = 1
	other2.F()
}
"""


def test_go_package_variables_are_symbols_and_unbound_receivers_the_packages() -> None:
    """Every package-level ``var`` name is a ``variable`` symbol whose ``returns`` is the type
    its declaration gives it, read (``<read> sync.Pool``; a call's value ``newTable()``, an
    element's ``<read>[] opt``; None for several values or a type of no one name); a receiver
    no scope of the file binds and no import names is the package's (``<package> .other``,
    its fields after it), a variable of this file is typed here, a parameter, local or local
    constant wins."""
    result = extract_file("go", "p.go", PACKAGE_VARIABLES_SOURCE)
    assert [
        (s["name"], s["returns"], s["start_line"])
        for s in result.symbols
        if s["kind"] == "variable"
    ] == [
        ("table", "<read> newTable()", 8),
        ("pool", "<read> sync.Pool", 10),
        ("a", None, 11),
        ("b", None, 11),
        ("opts", "<read>[] opt", 12),
        ("peer", "<read> pk.New()", 13),
        ("plain", "<read> int", 14),
    ]
    assert receiver_types(result) == [
        (13, "pk.New", None),
        (18, "table.len", "newTable()"),
        (19, "pool.Get", "sync.Pool"),
        (20, "opts[1].parse", "opt"),
        (21, "shadow.F", "T"),
        (22, "other.F", "<package> .other"),
        (23, "other.x.y.F", "<package> .other .x .y"),
        (24, "sync.NewCond", None),  # an import's name
        (25, "pk.F", None),  # an import's alias
        (27, "local.F", "g()"),
        (29, "e.F", "T"),
        (31, "other2.F", None),  # a local constant: bound, of no type here
    ]


PACKAGE_ELEMENTS_SOURCE = b"""\
package p

import "pk"

func f(k int, m map[int]*T) {
	so, ok := sockOpts[k]
	so.setGroup()
	for _, o := range sockOpts {
		o.set()
	}
	y := m[k]
	y.F()
	z := pk[k]
	z.F()
	_ = ok
}
"""


def test_go_elements_of_the_packages_variables_are_field_hops_from_the_package() -> None:
    """An element of a name no scope of the file binds (``so, ok := sockOpts[k]``, ``range
    sockOpts``) is an element of the package's variable (``<package> .sockOpts[]``, as
    ``sockOpts[k].f()`` is); a parameter's element is its own, an import's name none."""
    assert receiver_types(extract_file("go", "p.go", PACKAGE_ELEMENTS_SOURCE)) == [
        (7, "so.setGroup", "<package> .sockOpts[]"),
        (9, "o.set", "<package> .sockOpts[]"),
        (12, "y.F", "T"),
        (14, "z.F", None),
    ]


FIELD_ELEMENTS_SOURCE = b"""\
package p

type Message struct {
	Questions []Question
	Answers   map[string]*Resource
}

func (m *Message) Pack(n int) {
	m.Questions[0].pack()
	m.Answers["a"].pack()
	for _, q := range m.Questions[1:] {
		q.GoString()
	}
	qs := m.Questions[:n]
	qs[0].GoString()
	m.Other[0].F()
	m.Questions.F()
	s := name[1:]
	s.F()
}
"""


def test_go_elements_of_fields_and_slices_are_the_containers_elements() -> None:
    """An index of a field of a typed name (``m.Questions[0].pack()``, a map's value too) is
    an element of the container the field is declared with; a slice of it (``range
    m.Questions[1:]``, ``qs := m.Questions[:n]``) is the container itself; a field the struct
    does not declare, the container called as a value and a slice of a name no scope binds
    type nothing."""
    assert receiver_types(extract_file("go", "p.go", FIELD_ELEMENTS_SOURCE)) == [
        (9, "m.Questions[0].pack", "Question"),
        (10, 'm.Answers["a"].pack', "Resource"),
        (12, "q.GoString", "Question"),
        (15, "qs[0].GoString", "Question"),
        (16, "m.Other[0].F", None),
        (17, "m.Questions.F", None),
        (19, "s.F", None),
    ]


IMPORTED_PACKAGE_SOURCE = b"""\
package p

import (
	a "example.com/m/atom"
	"example.com/m/idna"
)

type Atom uint32

const (
	Html Atom = 0x5604
	x, y Atom = 1, 2
	z        = 3
)

func f() {
	a.Html.String()
	idna.Lookup.ToASCII("x")
	idna.Lookup.opts.F()
	idna.F()
	Html.String()
	local := 1
	local.Html.F()
}

func g(idna int) { idna.Lookup.F() }
"""


def test_go_typed_constants_and_variables_of_imported_packages() -> None:
    """A typed package-level constant exports its type as a variable does (``<read> Atom``; an
    untyped one none); a field of an import's name (``a.Html.String()``) is a field hop from
    that imported package (``<package:a> .Html``, its fields after it); a call of the package's
    function is none, and a scope binding the name (a parameter, a local) shadows the import."""
    result = extract_file("go", "p.go", IMPORTED_PACKAGE_SOURCE)
    assert [(s["name"], s["returns"]) for s in result.symbols if s["kind"] == "constant"] == [
        ("Html", "<read> Atom"),
        ("x", "<read> Atom"),
        ("y", "<read> Atom"),
        ("z", None),
    ]
    assert receiver_types(result) == [
        (17, "a.Html.String", "<package:a> .Html"),
        (18, "idna.Lookup.ToASCII", "<package:idna> .Lookup"),
        (19, "idna.Lookup.opts.F", "<package:idna> .Lookup .opts"),
        (20, "idna.F", None),
        (21, "Html.String", "Atom"),
        (23, "local.Html.F", None),
        (26, "idna.Lookup.F", "int .Lookup"),  # the parameter's, not the import's
    ]


@pytest.mark.parametrize(
    ("path", "source", "modifiers", "constraint"),
    [
        ("p/sys_linux.go", b"package p\n", "", "linux"),
        ("p/zsys_linux_amd64.go", b"package p\n", "", "linux && amd64"),
        ("p/linux_amd64.go", b"package p\n", "", "amd64"),  # the first part is a name
        ("p/linux.go", b"package p\n", "", ""),
        ("p/x_arm64_test.go", b"package p\n", "", "arm64"),
        (
            "p/idna10.0.0.go",
            b"// c\n\n//go:build go1.10\n\npackage p\n",
            "go:build go1.10",
            "(go1.10)",
        ),
        (
            "p/sys_bsd_arm64.go",
            b"//go:build darwin || freebsd\n// +build darwin freebsd\n\npackage p\n",
            "go:build darwin || freebsd",
            "(darwin || freebsd) && arm64",
        ),
        ("p/a.go", b"package p\n\n//go:build linux\n", "", ""),  # past the package clause
        # go/build reads it in the doc comment adjoining the package clause too
        ("p/b.go", b"// Package p.\n//go:build linux\npackage p\n", "go:build linux", "(linux)"),
        # after a /* */ comment (go/build's header has them), never inside one
        ("p/c.go", b"/* c */\n//go:build linux\n\npackage p\n", "go:build linux", "(linux)"),
        ("p/d.go", b"/*\n c\n*/ //go:build linux\n\npackage p\n", "", ""),
        ("p/e.go", b"/*\n//go:build linux\n*/\n\npackage p\n", "", ""),
        ("p/f.go", b"/* c */ package p\n\n//go:build linux\n", "", ""),
    ],
)
def test_go_file_modifiers_are_its_build_line(
    path: str, source: bytes, modifiers: str, constraint: str
) -> None:
    """A Go file's ``modifiers`` (every definition's): the header's ``//go:build`` expression,
    "" for none (extraction reads bytes only); its build constraint adds the GOOS / GOARCH its
    name ends with (go/build's goodOSArchFile)."""
    assert go_file_modifiers(source) == modifiers
    symbols = extract_file("go", path, source + b"\nfunc f() {}\n").symbols
    assert [symbol["modifiers"] for symbol in symbols] == [modifiers]
    assert go_build_constraint(path, modifiers) == constraint


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        ("darwin", "aix", False),
        ("darwin", "(aix || darwin)", True),
        ("(ios)", "darwin", True),  # GOOS=ios satisfies darwin
        ("(unix)", "windows", False),
        ("(linux && !s390x && !386)", "(aix || linux || netbsd)", True),
        ("(go1.10)", "(go1.14 && !go1.16)", True),
        ("(!go1.18)", "(go1.18)", False),
        ("linux && amd64", "((arm || 386) && linux)", False),
        ("(purego || !amd64)", "amd64", True),  # a free tag
        ("", "windows", True),
        ("(a ||", "windows", True),  # unreadable: maybe
        # every architecture named: no other one to try
        (" || ".join(sorted(GO_ARCHES)), "amd64", True),
        (" || ".join(sorted(GO_ARCHES)), " && ".join(f"!{a}" for a in sorted(GO_ARCHES)), False),
    ],
)
def test_go_builds_overlap(first: str, second: str, overlap: bool) -> None:
    """Whether one build (GOOS, GOARCH, Go version, other tags) includes both constraints."""
    assert go_builds_overlap(first, second) is overlap


def _every_build_overlaps(first: str, second: str) -> bool:
    """The reference for :func:`go_builds_overlap` on two readable constraints: every build
    (each system x each architecture x each Go version from 1.0 to one past the newest named,
    past which no named version tag tells builds apart x each subset of the other tags)."""
    trees = [_parse_build(text) for text in (first, second)]
    assert trees[0] is not None and trees[1] is not None
    both: _Expression = ("and", trees[0], trees[1])
    named = _tags_of(both)
    versions = [int(m.group(1)) for tag in named if (m := _GO_VERSION_TAG.fullmatch(tag))]
    free = _free_tags(named)
    return any(
        _holds(
            both,
            functools.partial(
                _tag_holds,
                goos=goos,
                goarch=goarch,
                minor=minor,
                chosen=frozenset(tag for bit, tag in enumerate(free) if mask >> bit & 1),
            ),
        )
        for goos in sorted(GO_OSES)
        for goarch in sorted(GO_ARCHES)
        for minor in range(max(versions, default=0) + 2)
        for mask in range(1 << len(free))
    )


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        ("(unix && !linux && !darwin)", "(!android)", True),  # aix, an unnamed unix system
        ("ios", "!darwin", False),  # GOOS=ios satisfies darwin
        ("android", "!linux", False),
        ("illumos", "solaris", True),
        ("solaris", "!illumos", True),
        ("(linux && !android)", "android", False),
        ("(unix)", "(!unix && !windows)", False),
        ("(!unix && !windows && !plan9)", "(js || wasip1 || zos)", True),
        ("(!unix)", "(js && wasm)", True),
        (
            "(unix && !aix && !android && !darwin && !dragonfly && !freebsd && !hurd && !illumos"
            " && !ios && !linux && !netbsd && !openbsd && !solaris)",
            "unix",
            False,
        ),
        ("(!windows && !linux)", "(!darwin && !js)", True),
        ("(amd64 || arm64)", "(!amd64 && !arm64)", False),
        ("(!amd64 && !arm64)", "(!386)", True),  # an unnamed architecture
        ("linux && amd64", "((arm || 386) && linux)", False),
        ("(linux && !s390x && !386)", "(aix || linux || netbsd)", True),
        ("(go1.10)", "(go1.14 && !go1.16)", True),
        ("(!go1.18)", "(go1.18)", False),
        ("(!go1.5)", "(go1.4 && !go1.5)", True),
        ("(go1.21 && !go1.22)", "(go1.22 || !go1.21)", False),
        ("(!go1.1)", "linux", True),  # Go 1.0
        ("(purego || !amd64)", "amd64", True),
        ("(purego && !cgo)", "(cgo || !purego)", False),
        ("(a && b && !c)", "(c || (a && !b))", False),
        ("(gc && !purego) && amd64", "(gc || purego) && (amd64 || arm64)", True),
        ("(gc && !purego) && amd64", "(!gc || purego) && (amd64 || arm64)", False),
        ("(appengine || (linux && !cgo))", "(!appengine && !linux)", False),
        ("(windows && go1.20) || (plan9 && !go1.20)", "(plan9 && go1.21)", False),
        ("(windows && go1.20) || (plan9 && !go1.20)", "(plan9 && !go1.19)", True),
        ("(darwin || ios) && arm64", "(!darwin && arm64)", False),
        ("(freebsd || netbsd) && (386 || arm)", "(!freebsd && !386)", True),
        ("(js && wasm) && go1.11", "(wasip1 || !wasm)", False),
    ],
)
def test_go_builds_overlap_tries_the_builds_that_tell_the_tags_apart(
    first: str, second: str, overlap: bool
) -> None:
    """``go_builds_overlap`` tries only the builds that tell a pair's tags apart: its answer is
    every build's (``_every_build_overlaps``) and the written one."""
    go_builds_overlap.cache_clear()
    assert go_builds_overlap(first, second) is overlap
    assert _every_build_overlaps(first, second) is overlap


def test_go_conversions_to_a_parenthesized_type() -> None:
    """``(*T)(x)`` and ``(pkg.T)(x)`` convert (a call of the type, ``T()``); a call of a call
    or a selector on the result is no conversion's value."""
    assert go_constructed_type("(*cmsghdr)(unsafe.Pointer(&m[0]))") == "cmsghdr()"
    assert go_constructed_type("(pkg.T)(x)") == "pkg.T()"
    assert go_constructed_type("(f)(x)(y)") is None
    assert go_constructed_type("(*T)(x).y") is None
    assert go_constructed_type("(chan int)(x)") is None


TYPE_SWITCH_SOURCE = b"""\
package p

func f(err error) {
	switch e := err.(type) {
	case nil:
		e.F()
	case net.Error, *T:
		e.G()
	case *url.Error:
		e.H()
		x := A{}
		x.J()
	default:
		e.I()
		x := B{}
		x.J()
	}
}
"""


def test_go_type_switch_cases_of_one_type_type_the_switch_name() -> None:
    """``switch e := err.(type)``: in a case of one type ``e`` is that type (``*url.Error``:
    ``url.Error``); ``case nil``, a case of several types and ``default`` leave it untyped;
    a case is a scope of its own (its ``x := A{}`` is not the default case's ``B{}``)."""
    typed = receiver_types(extract_file("go", "p.go", TYPE_SWITCH_SOURCE))
    assert typed == [
        (6, "e.F", None),
        (8, "e.G", None),
        (10, "e.H", "url.Error"),
        (12, "x.J", "A"),
        (14, "e.I", None),
        (16, "x.J", "B"),
    ]


def test_go_slice_receivers_are_no_elements() -> None:
    """``xs[i].F()`` of ``xs []Foo`` is a Foo's; a slice of it (``xs[1:]``, ``xs[a:b:c]``) is
    the container (a named slice type's own methods): no element type."""
    source = b"""\
package p

func Go(xs []Foo, a, b, c int) {
	xs[0].F()
	xs[1:].F()
	xs[a:b:c].F()
	xs[f(a)].F()
}
"""
    assert receiver_types(extract_file("go", "p.go", source)) == [
        (4, "xs[0].F", "Foo"),
        (5, "xs[1:].F", None),
        (6, "xs[a:b:c].F", None),
        (7, "xs[f(a)].F", "Foo"),
    ]
