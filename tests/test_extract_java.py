"""Java extraction: exact rows (conventions in languages/java.py)."""

from __future__ import annotations

import pytest

from hamilton_modules.languages import FileExtraction, extract_file

SOURCE = b"""\
package com.example;

import java.util.List;
import java.util.*;
import static java.lang.Math.max;
import static org.junit.Assert.*;

public class Service<T> extends Base<T> implements Runnable, java.io.Closeable {
    private final List<T> items = new ArrayList<>();

    public Service() { super(1); }

    @Override
    public void run() {
        items.stream().map(this::convert).forEach(System.out::println);
        Runnable r = new Runnable() {
            public void run() { helper(max(1, 2)); }
        };
    }

    static class Inner implements Comparable<Inner> {
        public int compareTo(Inner o) { return 0; }
    }

    interface Callback extends Listener, java.util.EventListener {
        void call(String value);
    }

    enum Mode implements Labeled { ON, OFF; String label() { return name(); } }

    record Pair(int a, int b) implements Comparable<Pair> {}

    @interface Marker { String value(); }
}
"""


@pytest.fixture(scope="module")
def result() -> FileExtraction:
    return extract_file("java", "src/com/example/Service.java", SOURCE)


def test_symbols_exact(result: FileExtraction) -> None:
    rows = [
        (s["kind"], s["name"], s["qualified_name"], s["parent"], s["start_line"], s["end_line"])
        for s in result.symbols
    ]
    assert rows == [
        ("class", "Service", "Service", None, 8, 34),
        ("method", "Service", "Service.Service", "Service", 11, 11),  # constructor
        # A declaration begins with its modifiers, annotations included (JLS), so line 13.
        ("method", "run", "Service.run", "Service", 13, 19),
        ("method", "run", "Service.run.run", "Service.run", 17, 17),  # anonymous class body
        ("class", "Inner", "Service.Inner", "Service", 21, 23),
        ("method", "compareTo", "Service.Inner.compareTo", "Service.Inner", 22, 22),
        ("interface", "Callback", "Service.Callback", "Service", 25, 27),
        ("method", "call", "Service.Callback.call", "Service.Callback", 26, 26),
        ("enum", "Mode", "Service.Mode", "Service", 29, 29),
        ("method", "label", "Service.Mode.label", "Service.Mode", 29, 29),
        ("class", "Pair", "Service.Pair", "Service", 31, 31),  # record
        ("interface", "Marker", "Service.Marker", "Service", 33, 33),  # annotation type
        ("method", "value", "Service.Marker.value", "Service.Marker", 33, 33),
    ]


def test_imports_exact(result: FileExtraction) -> None:
    rows = [(i["module"], i["name"], i["alias"], i["line"]) for i in result.imports]
    assert rows == [
        ("java.util", "List", None, 3),
        ("java.util", "*", None, 4),
        ("java.lang.Math", "max", None, 5),  # static import
        ("org.junit.Assert", "*", None, 6),
    ]


def test_calls_exact(result: FileExtraction) -> None:
    rows = sorted(
        (c["line"], c["column"], c["callee"], c["callee_name"], c["enclosing"])
        for c in result.calls
    )
    assert rows == [
        (9, 34, "ArrayList", "ArrayList", "Service"),  # `new ArrayList<>()` without type args
        (11, 23, "super", "super", "Service.Service"),
        (15, 8, "items.stream", "stream", "Service.run"),
        (15, 8, "items.stream().map", "map", "Service.run"),
        (15, 8, "items.stream().map(this::convert).forEach", "forEach", "Service.run"),
        (16, 21, "Runnable", "Runnable", "Service.run"),
        (17, 32, "helper", "helper", "Service.run.run"),
        (17, 39, "max", "max", "Service.run.run"),
        (29, 68, "name", "name", "Service.Mode.label"),
    ]


def test_inherits_exact(result: FileExtraction) -> None:
    rows = [(i["child"], i["parent"], i["relation"], i["line"]) for i in result.inherits]
    assert rows == [
        ("Service", "Base<T>", "extends", 8),
        ("Service", "Runnable", "implements", 8),
        ("Service", "java.io.Closeable", "implements", 8),
        ("Service.Inner", "Comparable<Inner>", "implements", 21),
        ("Service.Callback", "Listener", "extends", 25),
        ("Service.Callback", "java.util.EventListener", "extends", 25),
        ("Service.Mode", "Labeled", "implements", 29),
        ("Service.Pair", "Comparable<Pair>", "implements", 31),
    ]
    assert result.error_count == 0


def test_scoped_constructor_calls() -> None:
    source = (
        b"class A { void f() { new java.util.HashMap<String, Integer>(); new Outer.Inner(); } }\n"
    )
    rows = [(c["callee"], c["callee_name"]) for c in extract_file("java", "A.java", source).calls]
    assert rows == [("java.util.HashMap", "HashMap"), ("Outer.Inner", "Inner")]
