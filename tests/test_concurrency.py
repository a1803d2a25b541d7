"""Concurrent writers: two ``codeintel build`` into one folder, and a build while the sensor runs.

Two builds into one output folder (and one cache) at the same time must both succeed, and the
folder must end with exactly the tables and manifest entries of a single clean build: every file
is renamed into place whole, the two builds write the same bytes, and the manifest renamed last
describes files that are all there.

A build of a watched repository while ``new_repos_sensor`` registers it and its run executes
(same repository folder, same Hamilton cache root) must leave both the build's folder and the
run's warehouse partition byte-identical to a clean build.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from dagster import AddDynamicPartitionsRequest, DagsterInstance, RunRequest, build_sensor_context

from orchestration.sensors import REPOS_ROOT_RESOURCE_KEY, SENSOR_NAME, TRIGGER_TAG
from tests.hardening_support import (
    PROJECT,
    assert_all_visible_parquet_readable,
    build_argv,
    build_outputs,
    clean_env,
    run_codeintel,
    temporary_files,
    visible_files,
    write_polyglot_repo,
)
from tests.instance_home import new_dagster_home


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


# --- a build while the sensor starts runs -----------------------------------------------------

SENSOR_REPO = "alpha"
SENSOR_FILES_PER_LANGUAGE = 40


def _sensor_tick(instance: DagsterInstance, cursor: str | None) -> tuple[list[RunRequest], str]:
    """One real tick of the code location's ``new_repos_sensor``, applied like the daemon does:
    its dynamic partitions are added before its run requests are launched."""
    from orchestration.definitions import defs

    sensor = defs.resolve_sensor_def(SENSOR_NAME)
    context = build_sensor_context(
        instance=instance,
        instance_ref=instance.get_ref(),
        cursor=cursor,
        sensor_name=sensor.name,
        definitions=defs,
        # The location's own resource (CODEINTEL_REPOS_ROOT); the daemon binds it the same way.
        resources={REPOS_ROOT_RESOURCE_KEY: (defs.resources or {})[REPOS_ROOT_RESOURCE_KEY]},
    )
    data = sensor.evaluate_tick(context)
    for request in data.dynamic_partitions_requests or []:
        assert isinstance(request, AddDynamicPartitionsRequest)
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    return list(data.run_requests or []), data.cursor or ""


def _execute_requested_runs(instance: DagsterInstance, requests: list[RunRequest]) -> None:
    """Each run request through the code location's real ``codeintel_job`` on ``instance``."""
    from orchestration.definitions import JOB_NAME, defs

    job = defs.resolve_job_def(JOB_NAME)
    for request in requests:
        result = job.execute_in_process(
            instance=instance,
            partition_key=request.partition_key,
            tags=dict(request.tags),
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
            raise_on_error=False,
        )
        failures = [event.message for event in result.all_events if event.is_failure]
        assert result.success, failures[:3]


def _start_build(repo: Path, out: Path, cache: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        build_argv(repo, out, cache),
        cwd=PROJECT,
        env=clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _reference_tables(repo: Path, out: Path, cache: Path) -> dict[str, bytes]:
    clean = run_codeintel(build_argv(repo, out, cache))
    assert clean.returncode == 0, clean.stderr
    tables, _ = build_outputs(out)
    return tables


@pytest.mark.slow
def test_build_while_the_sensor_starts_runs_ends_complete_and_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``codeintel build`` of a watched repository runs while ``new_repos_sensor`` registers it
    and its run executes, both on the same repository folder and the same Hamilton cache root:
    the build's folder and the run's warehouse partition end byte-identical to a clean build.
    Twice: cold (a new repository) and warm (the repository changed, the sensor asks again)."""
    repos, home, cache = tmp_path / "repos", tmp_path / "dagster_home", tmp_path / "cache"
    repo = write_polyglot_repo(repos / SENSOR_REPO, files_per_language=SENSOR_FILES_PER_LANGUAGE)
    new_dagster_home(home)
    for name, value in (
        ("DAGSTER_HOME", home),
        ("CODEINTEL_CACHE_DIR", cache),
        ("CODEINTEL_REPOS_ROOT", repos),
    ):
        monkeypatch.setenv(name, str(value))
    monkeypatch.delenv("CODEINTEL_WAREHOUSE", raising=False)
    warehouse = home / "warehouse" / SENSOR_REPO

    instance = DagsterInstance.from_config(str(home))
    try:
        cursor: str | None = None
        previous: dict[str, bytes] = {}
        for round_name in ("new", "changed"):
            if round_name == "changed":
                (repo / "python" / "d0" / "m0.py").write_text(
                    "def moved(x):\n    return helper(x)\n\n\ndef helper(x):\n    return x\n"
                )
            reference = _reference_tables(
                repo, tmp_path / f"reference-{round_name}", tmp_path / f"cache-{round_name}"
            )
            assert reference != previous, "the edit must change the outputs"
            previous = reference
            out = tmp_path / f"out-{round_name}"
            build = _start_build(repo, out, cache)
            try:
                requests, cursor = _sensor_tick(instance, cursor)
                assert [str(r.partition_key) for r in requests] == [SENSOR_REPO], round_name
                assert requests[0].tags[TRIGGER_TAG] == round_name
                _execute_requested_runs(instance, requests)
            finally:
                _, stderr = build.communicate(timeout=300)
            assert build.returncode == 0, stderr

            tables, _ = build_outputs(out)
            assert tables == reference, round_name
            assert temporary_files(out) == []
            stored = visible_files(warehouse)
            assert sorted(stored) == sorted(reference), round_name
            for relative, data in reference.items():
                assert stored[relative] == data, f"{round_name}: {relative} differs"
            assert temporary_files(warehouse) == []
            assert_all_visible_parquet_readable(warehouse)
        assert _sensor_tick(instance, cursor)[0] == []
    finally:
        instance.dispose()
