"""``new_repos_sensor`` and the daily refresh schedule on a real Dagster instance.

Each tick is evaluated with ``build_sensor_context`` on a ``DagsterInstance.local_temp``; the
dynamic-partition requests of a tick are applied to the instance the way the sensor daemon does
before its run requests are launched. Git repositories are real (``git init`` / ``git commit``)
where HEAD changes are tested; the 1,000-folder test writes ``.git/HEAD`` + a ref file directly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dagster import (
    AddDynamicPartitionsRequest,
    DagsterInstance,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    Definitions,
    DynamicPartitionsDefinition,
    RunRequest,
    SensorDefinition,
    asset,
    build_schedule_context,
    build_sensor_context,
    define_asset_job,
)

from orchestration.registry import PartitionRegistry, register_partition
from orchestration.resources import ReposRootResource
from orchestration.sensors import (
    MAX_REMOVED_IN_CURSOR,
    RUN_PRIORITY,
    TRIGGER_TAG,
    build_new_repos_sensor,
    build_refresh_schedule,
    content_fingerprint,
    git_head,
    refresh_requests,
)
from tests.instance_home import new_dagster_home

PARTITIONS = "repos"
JOB = "codeintel_job"
REPOS = DynamicPartitionsDefinition(name=PARTITIONS)


@asset(partitions_def=REPOS)
def repository_marker() -> None:
    """A stand-in target job: run requests are resolved against a job of these partitions."""


@dataclass
class Tick:
    run_requests: list[RunRequest]
    cursor: str
    skip_message: str | None
    new_partitions: list[str]


class SensorHarness:
    """Evaluates ticks of one sensor on one instance, carrying the cursor like the daemon."""

    def __init__(self, *, instance: DagsterInstance, root: Path, sensor: SensorDefinition) -> None:
        self.instance = instance
        self.root = root
        self.sensor = sensor
        self.cursor: str | None = None
        job = define_asset_job(JOB, selection=[repository_marker], partitions_def=REPOS)
        self.definitions = Definitions(assets=[repository_marker], jobs=[job], sensors=[sensor])

    def tick(self) -> Tick:
        context = build_sensor_context(
            instance=self.instance,
            # With the ref, run requests are resolved against the instance's dynamic partitions
            # plus this tick's partition requests, as in the daemon.
            instance_ref=self.instance.get_ref(),
            cursor=self.cursor,
            sensor_name=self.sensor.name,
            definitions=self.definitions,
            resources={"repos_root": ReposRootResource(root=str(self.root))},
        )
        data = self.sensor.evaluate_tick(context)
        new_partitions: list[str] = []
        for request in data.dynamic_partitions_requests or []:
            assert isinstance(request, AddDynamicPartitionsRequest)
            self.instance.add_dynamic_partitions(
                request.partitions_def_name, list(request.partition_keys)
            )
            new_partitions.extend(request.partition_keys)
        self.cursor = data.cursor
        return Tick(
            run_requests=list(data.run_requests or []),
            cursor=data.cursor or "",
            skip_message=data.skip_message,
            new_partitions=new_partitions,
        )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "repos"
    folder.mkdir()
    return folder


def _harness(
    instance: DagsterInstance, root: Path, *, max_runs_per_tick: int | None = None
) -> SensorHarness:
    sensor = build_new_repos_sensor(
        job_name=JOB, partitions_name=PARTITIONS, max_runs_per_tick=max_runs_per_tick
    )
    return SensorHarness(instance=instance, root=root, sensor=sensor)


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    )
    return done.stdout.strip()


def _git_repo(path: Path) -> Path:
    path.mkdir()
    _git(path, "init", "-q", "-b", "main")
    (path / "app.py").write_text("def main():\n    return 1\n")
    _git(path, "add", "app.py")
    _git(path, "commit", "-q", "-m", "first")
    return path


def _plain_repo(path: Path, source: str = "fn main() {}\n") -> Path:
    (path / "src").mkdir(parents=True)
    (path / "src" / "main.rs").write_text(source)
    return path


def _keys(requests: list[RunRequest]) -> list[str]:
    return [str(request.partition_key) for request in requests]


def test_new_repositories_become_partitions_registrations_and_runs(
    instance: DagsterInstance, root: Path
) -> None:
    _git_repo(root / "alpha")
    _plain_repo(root / "beta")
    harness = _harness(instance, root)

    first = harness.tick()
    assert sorted(first.new_partitions) == ["alpha", "beta"]
    assert sorted(instance.get_dynamic_partitions(PARTITIONS)) == ["alpha", "beta"]
    registry = PartitionRegistry.for_instance(instance)
    assert {r.key: r.path for r in registry.list()} == {
        "alpha": (root / "alpha").resolve(),
        "beta": (root / "beta").resolve(),
    }
    assert sorted(_keys(first.run_requests)) == ["alpha", "beta"]
    for request in first.run_requests:
        assert request.tags["dagster/priority"] == str(RUN_PRIORITY["new"])
        assert request.tags[TRIGGER_TAG] == "new"
        assert request.run_key
    assert len({request.run_key for request in first.run_requests}) == 2

    second = harness.tick()
    assert second.run_requests == [] and second.new_partitions == []
    assert second.skip_message == "no new or changed repositories"


def test_git_head_change_requests_a_run_and_packing_refs_does_not(
    instance: DagsterInstance, root: Path
) -> None:
    repo = _git_repo(root / "service")
    harness = _harness(instance, root)
    assert _keys(harness.tick().run_requests) == ["service"]
    assert git_head(repo) == _git(repo, "rev-parse", "HEAD")

    # Working-tree edits without a commit do not move HEAD: no run.
    (repo / "app.py").write_text("def main():\n    return 2\n")
    assert harness.tick().run_requests == []

    _git(repo, "commit", "-q", "-am", "second")
    changed = harness.tick()
    assert _keys(changed.run_requests) == ["service"]
    assert changed.run_requests[0].tags[TRIGGER_TAG] == "changed"
    assert changed.run_requests[0].tags["dagster/priority"] == str(RUN_PRIORITY["changed"])

    # The same commit read from packed-refs instead of the loose ref file: unchanged.
    _git(repo, "pack-refs", "--all")
    assert not (repo / ".git" / "refs" / "heads" / "main").exists()
    assert git_head(repo) == _git(repo, "rev-parse", "HEAD")
    assert harness.tick().run_requests == []

    # Detached HEAD on the first commit: HEAD moved, a new run.
    _git(repo, "checkout", "-q", "--detach", "HEAD~1")
    assert _keys(harness.tick().run_requests) == ["service"]


def test_plain_folder_content_change_requests_a_run(instance: DagsterInstance, root: Path) -> None:
    repo = _plain_repo(root / "plain")
    harness = _harness(instance, root)
    assert _keys(harness.tick().run_requests) == ["plain"]
    before = content_fingerprint(repo)

    (repo / "src" / "main.rs").write_text("fn main() { helper(); }\nfn helper() {}\n")
    assert content_fingerprint(repo) != before
    changed = harness.tick()
    assert _keys(changed.run_requests) == ["plain"]
    assert changed.run_requests[0].tags[TRIGGER_TAG] == "changed"

    (repo / "src" / "lib.rs").write_text("pub fn lib() {}\n")  # a new file
    assert _keys(harness.tick().run_requests) == ["plain"]
    assert harness.tick().run_requests == []


def test_removed_repository_is_reported_and_its_partition_kept(
    instance: DagsterInstance, root: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    _plain_repo(root / "keep")
    gone = _plain_repo(root / "gone")
    harness = _harness(instance, root)
    harness.tick()
    shutil.rmtree(gone)

    capfd.readouterr()
    tick = harness.tick()
    logged = capfd.readouterr().err
    assert tick.run_requests == []
    cursor = json.loads(tick.cursor)
    assert cursor["removed"] == ["gone"]
    assert "gone" not in cursor["repos"] and "keep" in cursor["repos"]
    assert "repository gone is gone from" in logged
    # No data or partition deleted; the registration stays until `codeintel repos remove`.
    assert sorted(instance.get_dynamic_partitions(PARTITIONS)) == ["gone", "keep"]
    assert "gone" in {r.key for r in PartitionRegistry.for_instance(instance).list()}

    # Reported once, not on every tick.
    harness.tick()
    assert "is gone from" not in capfd.readouterr().err

    # It comes back: a run again, and it leaves the removed list.
    _plain_repo(root / "gone")
    back = harness.tick()
    assert _keys(back.run_requests) == ["gone"]
    assert json.loads(back.cursor)["removed"] == []


def test_hostile_folder_names_are_skipped_with_a_log_line(
    instance: DagsterInstance, root: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    hostile = ["...", "..evil", ".hidden", "line\nbreak", "bell\x07name", "tab\tname", "x" * 200]
    for name in hostile:
        (root / name).mkdir()
    _plain_repo(root / "good repo")
    _plain_repo(root / "good-repo")  # same key as "good repo": the second one is skipped
    (root / "a-file.txt").write_text("not a folder")

    capfd.readouterr()
    tick = _harness(instance, root).tick()
    logged = capfd.readouterr().err
    assert _keys(tick.run_requests) == ["good-repo"]
    assert instance.get_dynamic_partitions(PARTITIONS) == ["good-repo"]
    registry = {r.key: r.path for r in PartitionRegistry.for_instance(instance).list()}
    assert registry == {"good-repo": (root / "good repo").resolve()}
    for name in [*hostile, "good-repo"]:
        assert f"skipping folder {name!r}" in logged
    assert "already used by folder 'good repo'" in logged
    assert "a-file.txt" not in logged


def test_folder_already_registered_elsewhere_is_skipped(
    instance: DagsterInstance, root: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    elsewhere = _plain_repo(tmp_path / "other" / "shared")
    register_partition(instance=instance, partitions_name=PARTITIONS, path=elsewhere)
    _plain_repo(root / "shared")
    capfd.readouterr()
    tick = _harness(instance, root).tick()
    logged = capfd.readouterr().err
    assert tick.run_requests == []
    assert "partition key 'shared' is registered for" in logged
    assert PartitionRegistry.for_instance(instance).resolve("shared") == elsewhere.resolve()


def test_runs_per_tick_are_capped_and_the_rest_follow(
    instance: DagsterInstance, root: Path
) -> None:
    for index in range(5):
        _plain_repo(root / f"repo{index}")
    harness = _harness(instance, root, max_runs_per_tick=2)
    first = harness.tick()
    # Every repository is registered at once; runs are requested two per tick, in key order.
    assert len(instance.get_dynamic_partitions(PARTITIONS)) == 5
    assert _keys(first.run_requests) == ["repo0", "repo1"]
    assert _keys(harness.tick().run_requests) == ["repo2", "repo3"]
    assert _keys(harness.tick().run_requests) == ["repo4"]
    assert harness.tick().run_requests == []


def test_unreadable_cursor_starts_afresh(instance: DagsterInstance, root: Path) -> None:
    _plain_repo(root / "one")
    harness = _harness(instance, root)
    harness.cursor = "not json {"
    assert _keys(harness.tick().run_requests) == ["one"]


def test_missing_watched_folder_is_a_skip(instance: DagsterInstance, tmp_path: Path) -> None:
    tick = _harness(instance, tmp_path / "absent").tick()
    assert tick.run_requests == []
    assert tick.skip_message and "does not exist" in tick.skip_message


def _fake_git_repo(path: Path, sha: str) -> None:
    # A minimal .git as git writes it: HEAD naming a branch, the branch's loose ref file.
    (path / ".git" / "refs" / "heads").mkdir(parents=True)
    (path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (path / ".git" / "refs" / "heads" / "main").write_text(sha + "\n")


def test_one_thousand_repositories_in_one_tick_with_a_small_cursor(
    instance: DagsterInstance, root: Path
) -> None:
    for index in range(1000):
        repo = root / f"repo-{index:04d}"
        repo.mkdir()
        if index % 2:
            _fake_git_repo(repo, f"{index:040x}")
        else:
            (repo / "main.py").write_text(f"VALUE = {index}\n")
    harness = _harness(instance, root)

    first = harness.tick()
    assert len(first.run_requests) == 1000
    assert len(set(_keys(first.run_requests))) == 1000
    assert len(instance.get_dynamic_partitions(PARTITIONS)) == 1000
    assert len(PartitionRegistry.for_instance(instance).list()) == 1000
    # About 30 bytes per repository: 1,000 repositories stay under 32 KB.
    assert len(first.cursor.encode()) < 32_000, len(first.cursor.encode())

    assert harness.tick().run_requests == []
    (root / "repo-0001" / ".git" / "refs" / "heads" / "main").write_text(f"{99:040x}\n")
    (root / "repo-0002" / "main.py").write_text("VALUE = -1  # changed\n")
    assert sorted(_keys(harness.tick().run_requests)) == ["repo-0001", "repo-0002"]


def test_removed_list_in_the_cursor_is_bounded(instance: DagsterInstance, root: Path) -> None:
    count = MAX_REMOVED_IN_CURSOR + 20
    for index in range(count):
        (root / f"r{index:03d}").mkdir()
    harness = _harness(instance, root)
    harness.tick()
    for index in range(count):
        (root / f"r{index:03d}").rmdir()
    cursor = json.loads(harness.tick().cursor)
    assert len(cursor["removed"]) == MAX_REMOVED_IN_CURSOR
    assert cursor["removed"][-1] == f"r{count - 1:03d}"


def test_daily_refresh_requests_every_registered_repository(
    instance: DagsterInstance, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    live = _plain_repo(tmp_path / "live")
    vanished = _plain_repo(tmp_path / "vanished")
    for path in (live, vanished):
        register_partition(instance=instance, partitions_name=PARTITIONS, path=path)
    shutil.rmtree(vanished)
    schedule = build_refresh_schedule(job_name=JOB, partitions_name=PARTITIONS)
    assert schedule.default_status == DefaultScheduleStatus.STOPPED
    assert schedule.cron_schedule == "0 3 * * *"
    when = datetime(2026, 1, 2, 3, 0, tzinfo=UTC)
    context = build_schedule_context(instance=instance, scheduled_execution_time=when)
    capfd.readouterr()
    requests = refresh_requests(context, partitions_name=PARTITIONS)
    logged = capfd.readouterr().err
    assert isinstance(requests, list)
    assert _keys(requests) == ["live"]
    assert requests[0].tags[TRIGGER_TAG] == "refresh"
    assert requests[0].run_key == "refresh:live:20260102T0300"
    assert "not refreshing vanished" in logged


def test_sensor_is_off_by_default() -> None:
    sensor = build_new_repos_sensor(job_name=JOB, partitions_name=PARTITIONS)
    assert sensor.default_status == DefaultSensorStatus.STOPPED
    assert sensor.job_name == JOB


def test_code_location_wires_automation_pool_and_retries(tmp_path: Path) -> None:
    from dagster import AssetsDefinition

    from orchestration.definitions import CELERY_JOB_NAME, PARSE_POOL, defs

    sensor = defs.resolve_sensor_def("new_repos_sensor")
    assert sensor.default_status == DefaultSensorStatus.STOPPED
    assert sensor.job_name == JOB
    schedule = defs.resolve_schedule_def("daily_refresh_schedule")
    assert schedule.default_status == DefaultScheduleStatus.STOPPED
    for name in (JOB, CELERY_JOB_NAME):
        assert defs.resolve_job_def(name).tags["dagster/max_retries"] == "2"
    pools = {a.op.name: a.op.pool for a in defs.assets or [] if isinstance(a, AssetsDefinition)}
    parse_ops = {name for name, pool in pools.items() if pool == PARSE_POOL}
    assert {"python", "rust", "typescript"} <= parse_ops
    assert pools["repo_inventory"] is None and pools["cpg_nodes"] is None

    # The shipped instance config: the pool limit and run retries are on.
    new_dagster_home(tmp_path)
    instance = DagsterInstance.from_config(str(tmp_path))
    try:
        assert instance.run_retries_enabled
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 2
    finally:
        instance.dispose()
