"""``extract_file`` never raises: syntax errors, invalid UTF-8, empty and pathologically deep input,
random bytes and random mutations of valid code, for every language."""

from __future__ import annotations

from typing import cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamilton_modules import schemas
from hamilton_modules.languages import (
    FAMILY_COLUMNS,
    LANGUAGES,
    FileExtraction,
    extract_file,
    extract_file_columns,
)

PATHS = {
    "python": "m.py",
    "rust": "m.rs",
    "typescript": "m.ts",
    "javascript": "m.js",
    "go": "m.go",
    "java": "M.java",
}

# Valid snippets touching every row family, mutated by the property test below.
VALID = {
    "python": b"import a.b as c\nclass A(B):\n    def f(self):\n        return g(h(1))\n",
    # Macro bodies are parsed again: mutations must not break that either.
    "rust": b"use a::{b, c};\nimpl T for S { fn f(&self) { g(1); m!(h(2)); } }\ncfg_x! { fn k() {} }\n",
    "typescript": b'import x from "m";\nclass A extends B implements C { f() { g(1); } }\n',
    "javascript": b'const y = require("m");\nclass A extends B { f() { new G(g(1)); } }\n',
    "go": b'package p\nimport "fmt"\ntype S struct{ B }\nfunc (s *S) F() { fmt.Println(1) }\n',
    "java": b"import a.B;\nclass A extends B implements C { void f() { g(new D()); } }\n",
}

# A broken statement between two valid definitions: the definitions must survive.
BROKEN = {
    "python": (b"def good():\n    return 1\n\ndef bad(:\n    pass\n\nclass Fine:\n    pass\n"),
    "rust": b"fn good() {}\nfn bad( {\n}\nstruct Fine { x: u8 }\n",
    "typescript": b"function good() { return 1 +; }\nclass Fine { m() {} }\n",
    "javascript": b"function good() {}\nif (x {\n}\nclass Fine { m() {} }\n",
    "go": b"package p\nfunc good() {}\nfunc bad( {\n}\ntype Fine struct{}\n",
    "java": b"class Fine { void good() {} void bad( { } }\nclass Other {}\n",
}
EXPECTED_AFTER_ERRORS = {
    "python": ["good", "Fine"],
    "rust": ["good", "Fine"],
    "typescript": ["good", "Fine", "Fine.m"],
    "javascript": ["good", "Fine", "Fine.m"],
    "go": ["good", "Fine"],
    "java": ["Fine", "Fine.good", "Other"],
}

COLUMNS = {
    "symbols": schemas.extracted_schema(schemas.SYMBOLS).names,
    "imports": schemas.extracted_schema(schemas.IMPORTS).names,
    "calls": schemas.extracted_schema(schemas.CALLS).names,
    "inherits": schemas.extracted_schema(schemas.INHERITS).names,
}


def _check_shape(result: FileExtraction, language: str) -> None:
    assert isinstance(result, FileExtraction)
    assert isinstance(result.error_count, int) and result.error_count >= 0
    for family, columns in COLUMNS.items():
        rows = getattr(result, family)
        assert isinstance(rows, list)
        for row in rows:
            assert list(row) == columns
            assert row["language"] == language
            for column, value in row.items():
                if value is not None:
                    assert isinstance(value, str | int), (family, column, value)


def test_valid_snippets_have_every_family() -> None:
    """Guards the property test: its seeds really exercise all four row families."""
    for language in LANGUAGES:
        result = extract_file(language, PATHS[language], VALID[language])
        assert result.error_count == 0, language
        assert result.symbols and result.imports and result.calls and result.inherits, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_syntax_errors_are_counted_and_definitions_recovered(language: str) -> None:
    result = extract_file(language, PATHS[language], BROKEN[language])
    _check_shape(result, language)
    assert result.error_count > 0
    names = [s["qualified_name"] for s in result.symbols]
    for name in EXPECTED_AFTER_ERRORS[language]:
        assert name in names, (language, names)


@pytest.mark.parametrize("language", LANGUAGES)
def test_empty_file(language: str) -> None:
    result = extract_file(language, PATHS[language], b"")
    assert result == FileExtraction(symbols=[], imports=[], calls=[], inherits=[], error_count=0)


def test_invalid_utf8_is_replaced_in_text_columns() -> None:
    source = b'x = obj["\xff\xfe"].method()\ndef f\xff():\n    pass\n'
    result = extract_file("python", "bad.py", source)
    _check_shape(result, "python")
    [call] = result.calls
    assert call["callee"] == 'obj["\ufffd\ufffd"].method'
    assert call["callee_name"] == "method"
    assert [s["name"] for s in result.symbols] == ["f"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_invalid_utf8_in_every_language(language: str) -> None:
    source = VALID[language].replace(b"g(", b"g\xc3\x28").replace(b"1", b"\xff\xfe")
    _check_shape(extract_file(language, PATHS[language], source), language)


def test_deep_parentheses_python() -> None:
    source = b"(" * 10_000 + b"1" + b")" * 10_000
    result = extract_file("python", "deep.py", source)
    _check_shape(result, "python")
    assert result.calls == [] and result.symbols == []


def test_deep_calls_python() -> None:
    source = b"f(" * 10_000 + b")" * 10_000 + b"\n"
    result = extract_file("python", "deep.py", source)
    assert len(result.calls) == 10_000
    assert {c["callee"] for c in result.calls} == {"f"}


def test_deep_array_javascript() -> None:
    source = b"const x = " + b"[" * 10_000 + b"]" * 10_000 + b";\n"
    result = extract_file("javascript", "deep.js", source)
    _check_shape(result, "javascript")
    assert result.symbols == []


def test_deeply_nested_definitions_python() -> None:
    depth = 300
    source = "".join("    " * i + f"def f{i}():\n" for i in range(depth))
    source += "    " * depth + "g()\n"
    result = extract_file("python", "nested.py", source.encode())
    assert len(result.symbols) == depth
    expected = ".".join(f"f{i}" for i in range(depth))
    assert result.symbols[-1]["qualified_name"] == expected
    assert result.calls[0]["enclosing"] == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_deep_nesting_every_language(language: str) -> None:
    deep = {
        "python": b"x = " + b"[" * 10_000 + b"]" * 10_000,
        "rust": b"fn f() { let x = " + b"(" * 10_000 + b"1" + b")" * 10_000 + b"; }",
        "typescript": b"let x = " + b"[" * 10_000 + b"]" * 10_000 + b";",
        "javascript": b"let x = " + b"{a:" * 10_000 + b"1" + b"}" * 10_000 + b";",
        "go": b"package p\nvar x = " + b"(" * 10_000 + b"1" + b")" * 10_000,
        "java": b"class A { int x = " + b"(" * 10_000 + b"1" + b")" * 10_000 + b"; }",
    }[language]
    _check_shape(extract_file(language, PATHS[language], deep), language)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(language=st.sampled_from(LANGUAGES), data=st.binary(max_size=2_000))
def test_random_bytes_never_raise(language: str, data: bytes) -> None:
    _check_shape(extract_file(language, PATHS[language], data), language)


@st.composite
def _mutations(draw: st.DrawFn) -> tuple[str, bytes]:
    language = draw(st.sampled_from(LANGUAGES))
    source = bytearray(VALID[language])
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        position = draw(st.integers(min_value=0, max_value=len(source)))
        if draw(st.booleans()) and source:
            length = draw(st.integers(min_value=1, max_value=6))
            del source[position : position + length]
        else:
            insert = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=6),
                    st.sampled_from([b"(", b")", b"{", b"}", b"[", b'"', b"'", b"\n", b"::"]),
                )
            )
            source[position:position] = insert
    return language, bytes(source)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_mutations())
def test_mutated_snippets_never_raise(case: tuple[str, bytes]) -> None:
    language, source = case
    result = extract_file(language, PATHS[language], source)
    _check_shape(result, language)
    # Enclosing names always name an extracted scope (or are None at top level).
    qualified = {s["qualified_name"] for s in result.symbols}
    for row in result.calls + result.imports:
        assert row["enclosing"] is None or row["enclosing"] in qualified


@pytest.mark.parametrize("language", LANGUAGES)
def test_tsx_and_typescript_share_rules_but_not_grammars(language: str) -> None:
    """Every language extracts the same rows twice in a row (cached parsers are reusable)."""
    first = extract_file(language, PATHS[language], VALID[language])
    second = extract_file(language, PATHS[language], VALID[language])
    assert first == second


def test_family_columns_are_the_schemas_extracted_columns() -> None:
    assert set(FAMILY_COLUMNS) == set(COLUMNS)
    for family, names in COLUMNS.items():
        assert list(FAMILY_COLUMNS[family]) == names


@pytest.mark.parametrize("language", LANGUAGES)
def test_columns_hold_the_rows_by_column(language: str) -> None:
    for source in (VALID[language], BROKEN[language], b""):
        columns = extract_file_columns(language, PATHS[language], source)
        rows = extract_file(language, PATHS[language], source)
        assert columns.error_count == rows.error_count
        for family, names in FAMILY_COLUMNS.items():
            family_columns = columns.families[family]
            assert tuple(family_columns) == names  # every family, even without rows
            family_rows = getattr(rows, family)
            for name in names:
                assert family_columns[name] == [row[name] for row in family_rows]


# Found by test_mutated_snippets_never_raise: an invalid UTF-8 byte in a node a query predicate
# reads (`#any-of?` on `impl\x00 for S {\x00?\x80`) raised inside tree-sitter.
UNDECODABLE = b"\x00se a::{b, c};\nimpl\x00 for S {\x00?\x80 fn f(&self) { g(1); m!(h(2)); } }\n"


@pytest.mark.parametrize("language", LANGUAGES)
def test_invalid_utf8_bytes_never_raise_and_keep_positions(language: str) -> None:
    source = UNDECODABLE + VALID[language] + b"\xff\xfe"
    result = extract_file(language, PATHS[language], source)
    _check_shape(result, language)
    # the valid part's rows are the ones it has alone, moved down by the lines before it
    alone = extract_file(language, PATHS[language], VALID[language])
    shift = UNDECODABLE.count(b"\n")
    names = {(row["name"], cast(int, row["start_line"]) - shift) for row in result.symbols}
    assert {(row["name"], row["start_line"]) for row in alone.symbols} <= names
