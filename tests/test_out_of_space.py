"""A ``codeintel build`` whose writes fail: one clear error line, non-zero exit, previous outputs intact.

Two ways to run out of space:

- a file size limit on the build process (``RLIMIT_FSIZE``, with ``SIGXFSZ`` ignored so that the
  write fails with EFBIG instead of killing the process): works on any Linux machine;
- a small tmpfs the test mounts, which fills up part-way through the second build's writes
  (ENOSPC): needs the right to mount (root in a container that allows it), skipped otherwise.

Both times the repository changed since the first build, so every table of the second build
differs from the first: a build that replaced some files before failing would show.

The Dagster path (``codeintel materialize``) writes one asset at a time through the IO manager: with
its warehouse on the full tmpfs, the run fails with the reason, every asset file is either the old
or the new complete one, and no temporary is left behind.
"""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.hardening_support import (
    CODEINTEL,
    PROJECT,
    assert_all_visible_parquet_readable,
    build_argv,
    clean_env,
    run_codeintel,
    temporary_files,
    visible_files,
    write_polyglot_repo,
)
from tests.instance_home import new_dagster_home


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def _assert_one_clear_error(completed: subprocess.CompletedProcess[str], *reasons: str) -> None:
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "Traceback" not in completed.stderr, completed.stderr
    last = completed.stderr.strip().splitlines()[-1]
    assert last.startswith("codeintel build: could not write "), completed.stderr
    assert any(reason in last for reason in reasons), last


def test_file_size_limit_fails_clearly_and_keeps_previous_outputs(tmp_path: Path) -> None:
    repo = write_polyglot_repo(tmp_path / "repo", files_per_language=20)
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = run_codeintel(build_argv(repo, out, cache))
    assert first.returncode == 0, first.stderr
    before = visible_files(out)
    # The largest table, not the manifest: its size moves with the timings it records, so a limit
    # set by it could let every grown table through.
    largest = max(len(data) for name, data in before.items() if name.endswith(".parquet"))

    write_polyglot_repo(repo, files_per_language=40)  # every table grows
    limited = subprocess.run(
        # A fresh cache, so the cache's own writes hit the limit too (they only warn).
        build_argv(repo, out, tmp_path / "fresh-cache"),
        cwd=PROJECT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=_file_size_limit(largest),
    )
    _assert_one_clear_error(limited, "File too large")
    assert visible_files(out) == before
    assert temporary_files(out) == []


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A tmpfs of 1 MiB at ``tmp_path/small`` (skipped where mounting is not allowed)."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    size = 1 << 20
    mount = shutil.which("mount")
    mounted = mount is not None and (
        subprocess.run(
            [mount, "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    if not mounted:
        pytest.skip("cannot mount a tmpfs on this machine (needs root and CAP_SYS_ADMIN)")
    try:
        yield mount_point, size
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_full_filesystem_fails_clearly_and_keeps_previous_outputs(
    small_filesystem: tuple[Path, int], tmp_path: Path
) -> None:
    mount_point, size = small_filesystem
    repo = write_polyglot_repo(tmp_path / "repo", files_per_language=40)
    out = mount_point / "out"
    first = run_codeintel(build_argv(repo, out, tmp_path / "cache"))
    assert first.returncode == 0, first.stderr
    before = visible_files(out)
    used = sum(len(data) for data in before.values())
    assert used < size // 2  # the first build fits, twice over

    # Enough new rows that old and new outputs cannot both fit: the writes stop part-way.
    write_polyglot_repo(repo, files_per_language=120)
    second = run_codeintel(build_argv(repo, out, tmp_path / "cache"))
    _assert_one_clear_error(second, "No space left on device")
    assert visible_files(out) == before
    assert temporary_files(out) == []
    assert_all_visible_parquet_readable(out)

    # Once there is room again (the old outputs moved away), the same build succeeds.
    shutil.rmtree(out)
    third = run_codeintel(build_argv(repo, out, tmp_path / "cache"))
    assert third.returncode == 0, third.stderr


def test_full_warehouse_fails_the_dagster_run_clearly_and_keeps_whole_files(
    small_filesystem: tuple[Path, int], tmp_path: Path
) -> None:
    mount_point, size = small_filesystem
    repo = write_polyglot_repo(tmp_path / "repo", files_per_language=40)
    warehouse = mount_point / "warehouse"
    env = clean_env(
        DAGSTER_HOME=str(new_dagster_home(tmp_path / "home")),
        CODEINTEL_WAREHOUSE=str(warehouse),
        CODEINTEL_CACHE_DIR=str(tmp_path / "cache"),
    )
    argv = [str(CODEINTEL), "materialize", str(repo), "--key", "repo"]
    first = run_codeintel(argv, env=env, timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    before = visible_files(warehouse)
    assert sum(len(data) for data in before.values()) < size // 2

    # The IO manager replaces one file at a time: the new tables alone must not fit.
    write_polyglot_repo(repo, files_per_language=500)
    second = run_codeintel(argv, env=env, timeout=600)
    output = second.stdout + second.stderr
    assert second.returncode == 1, output
    # The summary names the reason, not only Dagster's "Error occurred while handling output".
    error_line = next(line for line in second.stdout.splitlines() if "error:" in line)
    assert "could not write" in error_line and "No space left on device" in error_line, output
    after = visible_files(warehouse)
    assert set(after) == set(before)  # nothing lost; each file is the old one or a new whole one
    assert_all_visible_parquet_readable(warehouse)
    assert temporary_files(warehouse) == []
