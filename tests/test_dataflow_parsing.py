"""Parsing many files: the process pool, content keys, and files that change mid-build."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hamilton_modules import parsing
from hamilton_modules.parsing import ContentKey, SourceFile, extract_language


def _source(root: Path, path: str, text: str) -> SourceFile:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    data = text.encode()
    (root / path).write_bytes(data)
    return SourceFile(path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def test_process_pool_gives_the_same_rows_as_in_process(tmp_path: Path) -> None:
    files = [
        _source(
            tmp_path,
            f"pkg/m{i}.py",
            "".join(f"def f{i}_{j}(x):\n    return g(x)\n\n" for j in range(1500)),
        )
        for i in range(12)
    ]
    assert sum(source.size for source in files) > parsing.IN_PROCESS_BYTES
    pooled = extract_language(language="python", root=str(tmp_path), files=files, workers=2)
    local = extract_language(language="python", root=str(tmp_path), files=files, workers=1)
    for family in parsing.FAMILIES:
        assert pooled.rows(family) == local.rows(family)
    assert len(pooled.rows("symbols")) == 12 * 1500
    assert pooled.error_counts() == dict.fromkeys(sorted(s.path for s in files), 0)


def test_results_are_keyed_by_content_and_suffix(tmp_path: Path) -> None:
    same = "export function f(): number { return 1; }\n"
    files = [
        _source(tmp_path, "a.ts", same),
        _source(tmp_path, "b.ts", same),
        _source(tmp_path, "c.tsx", same),  # same bytes, other grammar: its own entry
    ]
    result = extract_language(language="typescript", root=str(tmp_path), files=files, workers=1)
    digest = hashlib.sha256(same.encode()).hexdigest()
    assert sorted(result.by_content) == [ContentKey(digest, ".ts"), ContentKey(digest, ".tsx")]
    assert [row["path"] for row in result.rows("symbols")] == ["a.ts", "b.ts", "c.tsx"]


def test_a_file_changed_since_the_inventory_is_not_mixed_in(tmp_path: Path) -> None:
    source = _source(tmp_path, "a.py", "def old(): pass\n")
    (tmp_path / "a.py").write_text("def new(): pass\n")
    gone = SourceFile(path="gone.py", sha256="0" * 64, size=1)
    result = extract_language(
        language="python", root=str(tmp_path), files=[source, gone], workers=1
    )
    assert result.rows("symbols") == []
    assert result.error_counts() == {"a.py": None, "gone.py": None}


def test_chunks_cover_every_file_once() -> None:
    files = [
        SourceFile(path=f"f{i}.py", sha256=f"{i:064x}", size=1000 * (i % 7 + 1)) for i in range(500)
    ]
    chunks = parsing._chunks(files, 2)
    flat = [path for chunk in chunks for path, _ in chunk]
    assert sorted(flat) == sorted(source.path for source in files)
    assert len(chunks) >= 2
