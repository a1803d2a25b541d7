"""Two ``codeintel build`` processes into one output folder (and one cache) at the same time.

Both must succeed, and the folder must end with exactly the tables and manifest entries of a
single clean build: every file is renamed into place whole, the two builds write the same bytes,
and the manifest renamed last describes files that are all there.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.hardening_support import (
    PROJECT,
    assert_all_visible_parquet_readable,
    build_argv,
    build_outputs,
    clean_env,
    run_codeintel,
    temporary_files,
    write_polyglot_repo,
)


@pytest.mark.slow
def test_two_builds_into_one_folder_end_complete_and_identical_to_one(tmp_path: Path) -> None:
    repo = write_polyglot_repo(tmp_path / "repo", files_per_language=60)
    reference_out = tmp_path / "reference"
    single = run_codeintel(build_argv(repo, reference_out, tmp_path / "reference-cache"))
    assert single.returncode == 0, single.stderr
    reference = build_outputs(reference_out)

    out, cache = tmp_path / "out", tmp_path / "cache"
    builds = [
        subprocess.Popen(
            build_argv(repo, out, cache),
            cwd=PROJECT,
            env=clean_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for build in builds:
        _, stderr = build.communicate(timeout=300)
        assert build.returncode == 0, stderr
    assert build_outputs(out) == reference
    assert temporary_files(out) == []
    assert_all_visible_parquet_readable(out)

    # And once more on top of the finished folder, with a warm shared cache.
    rerun = [subprocess.Popen(build_argv(repo, out, cache), cwd=PROJECT, env=clean_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]  # fmt: skip
    for build in rerun:
        _, stderr = build.communicate(timeout=300)
        assert build.returncode == 0, stderr
    assert build_outputs(out) == reference
