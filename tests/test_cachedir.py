"""Cache directory tags (``orchestration.cachedir``): codeintel marks the folders it writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from orchestration import cachedir, telemetry
from orchestration.cachedir import (
    CACHE_ROOT_FOLDERS,
    TAG_NAME,
    holds_only_cache,
    holds_tag,
    tag_cache_root,
    tag_folder,
)
from orchestration.freshness import is_build_output


def test_a_new_folder_is_made_and_tagged_once(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b" / "out"
    assert tag_folder(folder)
    tag = folder / TAG_NAME
    assert tag.read_bytes() == cachedir.TAG_TEXT
    assert tag.read_bytes().startswith(b"Signature: 8a477f597d28d172789f06886806bc55")
    assert os.listdir(folder) == [TAG_NAME]  # no temporary left
    first = tag.stat()
    assert tag_folder(folder)  # present: not written again
    assert tag.stat().st_ino == first.st_ino and tag.stat().st_mtime_ns == first.st_mtime_ns
    # mode as a plain open() gives (0o666 minus the umask), not mkstemp's 0o600
    umask = os.umask(0)
    os.umask(umask)
    assert first.st_mode & 0o777 == 0o666 & ~umask


def test_a_folder_without_files_is_tagged_a_folder_of_the_users_is_not(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert tag_folder(empty) and holds_tag(empty)
    layout = tmp_path / "layout"  # folders made ahead (or left by a build killed early)
    (layout / "cpg").mkdir(parents=True)
    (layout / "repo" / "deeper").mkdir(parents=True)
    assert tag_folder(layout) and holds_tag(layout)
    nested = tmp_path / "nested"  # a file further down is someone's
    (nested / "src").mkdir(parents=True)
    (nested / "src" / "main.py").write_text("x = 1\n")
    assert not tag_folder(nested) and not holds_tag(nested)
    users = tmp_path / "users"
    users.mkdir()
    (users / "main.py").write_text("x = 1\n")
    (users / "manifest.json").write_text('{"name": "an extension"}')  # not a build's
    assert not tag_folder(users, ours=is_build_output)
    assert sorted(os.listdir(users)) == ["main.py", "manifest.json"]


def test_a_previous_builds_output_and_cache_root_are_tagged_as_found(tmp_path: Path) -> None:
    """Folders written before tags existed: a build's manifest, Hamilton's metadata store."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"stamp": "x", "plan_signature": "y"}))
    assert tag_folder(out, ours=is_build_output) and holds_tag(out)
    cache = tmp_path / "cache"
    (cache / "results").mkdir(parents=True)
    (cache / "results" / "0123abcd").write_bytes(b"a stored value")
    assert not tag_cache_root(cache)  # files, but none that says whose
    (cache / "metadata_store.db").write_bytes(b"SQLite format 3\0")
    assert tag_cache_root(cache) and holds_tag(cache)


def test_a_file_named_like_the_tag_is_never_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / TAG_NAME).write_text("mine\n")
    assert not tag_folder(folder)
    assert (folder / TAG_NAME).read_text() == "mine\n"
    outside = tmp_path / "outside"
    outside.write_bytes(cachedir.TAG_TEXT)
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / TAG_NAME).symlink_to(outside)
    assert not tag_folder(linked)  # a symlink is no tag, and it is left as it is
    assert (linked / TAG_NAME).is_symlink()


def test_a_temporary_left_by_a_dead_writer_goes_with_the_next_tag(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    orphan = folder / f".{TAG_NAME}.{dead.stdout.strip()}.abc123.tmp"
    orphan.write_bytes(cachedir.TAG_TEXT[:10])
    # swept before the folder is judged: a folder whose only file is the orphan holds no file
    assert tag_folder(folder) and os.listdir(folder) == [TAG_NAME]
    (folder / TAG_NAME).unlink()
    orphan.write_bytes(cachedir.TAG_TEXT[:10])
    live = folder / f".{TAG_NAME}.{os.getpid()}.def456.tmp"  # a live writer's: kept
    live.write_bytes(b"")
    assert tag_folder(folder, ours=lambda _folder: True)
    assert sorted(os.listdir(folder)) == sorted([TAG_NAME, live.name])


def _previous_build(out: Path) -> None:
    """What a build left in ``out`` before tags existed: its tables and their manifest."""
    (out / "repo").mkdir(parents=True)
    (out / "repo" / "files.parquet").write_bytes(b"PAR1")
    (out / "cpg").mkdir()
    (out / "cpg" / "nodes.parquet").write_bytes(b"PAR1")
    assets = {
        "repo/files": {"file": "repo/files.parquet"},
        "cpg/nodes": {"file": "cpg/nodes.parquet"},
    }
    manifest = {"stamp": "x", "plan_signature": "y", "assets": assets}
    (out / "manifest.json").write_text(json.dumps(manifest))


def test_a_builds_output_is_tagged_only_while_it_holds_nothing_of_the_users(
    tmp_path: Path,
) -> None:
    """``--out docs`` beside the user's conf.py, ``--out .``: a build's manifest was enough to
    tag the folder. Any file the manifest does not list, anywhere below, makes it the user's;
    a write's temporary, a folder emptied of a previous plan's tables are a build's."""
    for place, users in [
        ("beside", "conf.py"),
        ("in a table folder", "repo/notes.md"),
        ("in a folder of its own", "src/a.py"),
        ("hidden", ".git/HEAD"),
    ]:
        out = tmp_path / place
        _previous_build(out)
        (out / users).parent.mkdir(parents=True, exist_ok=True)
        (out / users).write_text("mine\n")
        assert not is_build_output(out), place
        assert not tag_folder(out, ours=is_build_output), place
        assert not (out / TAG_NAME).exists()
    ours = tmp_path / "ours"
    _previous_build(ours)
    (ours / "cpg" / f".edges.parquet.{os.getpid()}.k3j_x9.tmp").write_bytes(b"")
    (ours / "python").mkdir()  # a table folder of a previous plan, its tables removed
    listed = ours / "repo" / "files.parquet"
    listed.rename(tmp_path / "elsewhere.parquet")
    listed.symlink_to(tmp_path / "elsewhere.parquet")
    assert not is_build_output(ours)  # a symlink is no build's, even where one is listed
    listed.unlink()
    assert is_build_output(ours)
    assert tag_folder(ours, ours=is_build_output) and holds_tag(ours)


def test_a_cache_root_is_tagged_only_while_it_holds_nothing_but_the_caches_files(
    tmp_path: Path,
) -> None:
    from orchestration import caching, code_versions, definitions

    cache = tmp_path / "cache"
    (cache / "results").mkdir(parents=True)
    (cache / "results" / "0123abcd").write_bytes(b"a stored value")
    (cache / "files").mkdir()
    (cache / "files" / "e9fcdf9b5d5e1adc.sqlite").write_bytes(b"")
    names = [
        "metadata_store.db",
        "metadata_store.db-wal",
        "metadata_store.db-shm",
        "metadata_store.db.corrupt-1795753180803830504",
        "metadata_store.db.corrupt-1795753180803830504-wal",
        caching.LOG_FILE,
        "cache_logs.1.jsonl",
        caching.RUNS_FILE,
        "cache_runs.2.jsonl",
        caching.TIMINGS_FILE,
        caching.TIMINGS_FILE + ".lock",
        caching.TIMINGS_FILE + telemetry.PENDING_SUFFIX,
        code_versions.STORE_FILE,
        caching.PRUNE_MARKER,
        f".{code_versions.STORE_FILE}.{os.getpid()}.abc_12.tmp",
    ]
    for name in names:
        (cache / name).write_bytes(b"")
    # the folders the cache writes are those these names recognise
    assert {caching.RESULTS_DIR, *definitions.CACHE_DIRECTORY_INPUTS.values()} == (
        CACHE_ROOT_FOLDERS
    )
    assert holds_only_cache(cache)
    (cache / "notes.txt").write_text("mine\n")
    assert not tag_cache_root(cache) and not holds_tag(cache)
    (cache / "notes.txt").unlink()
    (cache / "src").mkdir()
    (cache / "src" / "a.py").write_text("x = 1\n")
    assert not tag_cache_root(cache)
    (cache / "src" / "a.py").unlink()  # a folder holding no file is nobody's
    assert tag_cache_root(cache) and holds_tag(cache)
