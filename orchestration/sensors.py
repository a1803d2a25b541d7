"""Automation for a folder of repositories: ``new_repos_sensor`` and the daily refresh schedule.

The watched folder (the ``repos_root`` resource: ``CODEINTEL_REPOS_ROOT``, default ``./repos``)
holds one repository per sub-folder. Each sensor tick

- registers a new sub-folder (partition key from its folder name, in the instance's
  ``PartitionRegistry``), adds its dynamic partition and requests a run for it;
- requests a new run for a changed one: a git repository changes when its HEAD commit changes (read
  from ``.git/HEAD`` and the ref file or ``packed-refs``; git is never run, nor anything in the
  repository); a plain folder changes when its content fingerprint does (relative path, size and
  ``mtime_ns`` of at most ``MAX_FINGERPRINT_ENTRIES`` entries, symlinks not followed);
- reports a removed one (a warning in the tick log, the key kept in the cursor's ``removed`` list)
  and leaves its partition, registration and warehouse files alone;
- skips hostile folder names (hidden or ``..``-like, control characters or newlines, too long, or a
  key already taken by another folder) with a log line.

The cursor is compact JSON holding one 16-hex-digit fingerprint hash per repository (about 30 bytes
per repository with a short name), so 1,000 repositories keep it near 30 KB. Both the sensor and
the schedule are off by default (``DefaultSensorStatus.STOPPED``): turn them on in the UI
(Automation) or with ``dagster sensor start new_repos_sensor -w workspace.yaml``, with
``dagster-daemon`` running.

Run tags: ``dagster/priority`` orders queued runs (a new repository first, then a changed one, then
a scheduled refresh; op priorities inside a run come from the plan), ``codeintel/trigger`` says why
the run was requested.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dagster import (
    AddDynamicPartitionsRequest,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    schedule,
    sensor,
)

from orchestration.registry import (
    MAX_KEY_LENGTH,
    PartitionRegistry,
    RegistryError,
    partition_key_for_path,
)
from orchestration.resources import ReposRootResource

SENSOR_NAME = "new_repos_sensor"
SCHEDULE_NAME = "daily_refresh_schedule"
REPOS_ROOT_RESOURCE_KEY = "repos_root"
INTERVAL_ENV = "CODEINTEL_SENSOR_INTERVAL_SECONDS"
DEFAULT_INTERVAL_SECONDS = 30
# With the DefaultRunCoordinator every requested run starts at once; a first tick over a folder of
# 1,000 repositories must not start 1,000 processes. Repositories past the cap are registered now
# and requested on the next ticks.
DEFAULT_MAX_RUNS_PER_TICK = 8
MAX_FINGERPRINT_ENTRIES = 20_000  # plain folders: bound the walk so a tick stays fast
MAX_REMOVED_IN_CURSOR = 100
MAX_GIT_FILE_BYTES = 4096
CURSOR_VERSION = 1
FINGERPRINT_HEX_DIGITS = 16
Trigger = Literal["new", "changed", "refresh"]
RUN_PRIORITY: dict[Trigger, int] = {"new": 2, "changed": 1, "refresh": 0}
TRIGGER_TAG = "codeintel/trigger"
FINGERPRINT_TAG = "codeintel/fingerprint"


# --- fingerprints ----------------------------------------------------------------------------


def _read_small(path: Path) -> str | None:
    """The first bytes of a regular file (never a symlink or a FIFO), or None."""
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            return None
        with path.open("rb") as handle:
            return handle.read(MAX_GIT_FILE_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None


def _git_dir(repo: Path) -> Path | None:
    """``.git`` as a folder, or the folder a ``.git`` file (worktree, submodule) points to."""
    dotgit = repo / ".git"
    try:
        info = dotgit.lstat()
    except OSError:
        return None
    if stat.S_ISDIR(info.st_mode):
        return dotgit
    text = _read_small(dotgit)
    if text and text.startswith("gitdir:"):
        target = Path(text[len("gitdir:") :].strip())
        target = target if target.is_absolute() else repo / target
        return target if target.is_dir() else None
    return None


def _is_hex_sha(value: str) -> bool:
    return len(value) in (40, 64) and all(char in "0123456789abcdef" for char in value)


def _packed_ref(common_dir: Path, ref: str) -> str | None:
    try:
        with (common_dir / "packed-refs").open("r", encoding="utf-8", errors="replace") as lines:
            for line in lines:
                sha, _, name = line.strip().partition(" ")
                if name == ref and _is_hex_sha(sha):
                    return sha
    except OSError:
        return None
    return None


def git_head(repo: Path) -> str | None:
    """The commit HEAD points to (``unborn:<ref>`` before the first commit); None if not git."""
    git_dir = _git_dir(repo)
    if git_dir is None:
        return None
    head = _read_small(git_dir / "HEAD")
    if head is None:
        return None
    head = head.strip()
    if _is_hex_sha(head):
        return head  # detached HEAD
    if not head.startswith("ref:"):
        return None
    ref = head[len("ref:") :].strip()
    if not ref.startswith("refs/") or ".." in ref or not ref.isprintable():
        return None
    common_text = _read_small(git_dir / "commondir")  # linked worktrees keep refs there
    common_dir = git_dir / common_text.strip() if common_text else git_dir
    for base in (git_dir, common_dir):
        value = _read_small(base / ref)
        if value is not None and _is_hex_sha(value.strip()):
            return value.strip()
    return _packed_ref(common_dir, ref) or f"unborn:{ref}"


def _walk_entries(root: Path, limit: int) -> Iterator[tuple[str, int, int, bool]]:
    """(relative path, size, mtime_ns, is_dir) in a stable order, symlinks not followed."""
    stack = [""]
    emitted = 0
    while stack:
        relative = stack.pop()
        try:
            with os.scandir(root / relative if relative else root) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue
        subfolders: list[str] = []
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            path = f"{relative}/{entry.name}" if relative else entry.name
            is_dir = stat.S_ISDIR(info.st_mode)
            yield path, info.st_size, info.st_mtime_ns, is_dir
            emitted += 1
            if emitted >= limit:
                return
            if is_dir:
                subfolders.append(path)
        stack.extend(reversed(subfolders))


def content_fingerprint(repo: Path, *, max_entries: int = MAX_FINGERPRINT_ENTRIES) -> str:
    """Hash of (relative path, size, mtime_ns) of the folder's first ``max_entries`` entries.

    Past the bound, changes are not seen; a repository that large should be a git repository
    (its HEAD is read instead of walking the tree).
    """
    digest = hashlib.sha256()
    count = 0
    for path, size, mtime_ns, is_dir in _walk_entries(repo, max_entries):
        line = f"{path}\0{'d' if is_dir else size}\0{'' if is_dir else mtime_ns}\n"
        digest.update(line.encode("utf-8", errors="surrogateescape"))
        count += 1
    suffix = ":truncated" if count >= max_entries else ""
    return f"content:{count}{suffix}:{digest.hexdigest()}"


def repository_fingerprint(repo: Path) -> str:
    """``git:<HEAD commit>`` for a git repository, else the content fingerprint."""
    head = git_head(repo)
    return f"git:{head}" if head is not None else content_fingerprint(repo)


def _short_hash(fingerprint: str) -> str:
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:FINGERPRINT_HEX_DIGITS]


# --- scanning the watched folder ---------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    key: str
    path: Path


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str


def hostile_name_reason(name: str) -> str | None:
    """Why a folder name is not taken as a repository, or None when it is fine."""
    if not name.isprintable():
        return "its name contains non-printable characters (control characters, line breaks)"
    if name.startswith("."):
        return "its name starts with '.' (hidden, or a '..'-like name)"
    if len(name) > MAX_KEY_LENGTH:
        return f"its name is {len(name)} characters long (the limit is {MAX_KEY_LENGTH})"
    return None


def scan_repositories(root: Path) -> tuple[list[Candidate], list[Skipped]]:
    """Sub-folders of ``root`` with their partition keys, and the entries skipped with a reason."""
    candidates: list[Candidate] = []
    skipped: list[Skipped] = []
    taken: dict[str, str] = {}
    with os.scandir(root) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        try:
            if not entry.is_dir(follow_symlinks=True):
                continue
        except OSError:
            continue
        reason = hostile_name_reason(entry.name)
        key = None
        if reason is None:
            try:
                key = partition_key_for_path(Path(entry.path))
            except RegistryError as exc:
                reason = str(exc)
        if key is not None and key in taken:
            reason = f"its partition key {key!r} is already used by folder {taken[key]!r}"
        if reason is not None or key is None:
            skipped.append(Skipped(name=entry.name, reason=reason or "no partition key"))
            continue
        taken[key] = entry.name
        candidates.append(Candidate(key=key, path=Path(entry.path)))
    return candidates, skipped


# --- the cursor -------------------------------------------------------------------------------


@dataclass
class SensorCursor:
    tick: int
    repos: dict[str, str]  # partition key -> short fingerprint hash
    removed: list[str]  # most recent last, at most MAX_REMOVED_IN_CURSOR

    @classmethod
    def parse(cls, text: str | None) -> tuple[SensorCursor, str | None]:
        """The cursor and, if the stored one was unusable, why (the sensor then starts afresh)."""
        if not text:
            return cls(tick=0, repos={}, removed=[]), None
        try:
            data: Any = json.loads(text)
            if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
                raise ValueError(
                    f"unknown cursor version {data.get('v') if isinstance(data, dict) else data!r}"
                )
            repos = {str(key): str(value) for key, value in dict(data["repos"]).items()}
            removed = [str(key) for key in list(data.get("removed", []))]
            return cls(tick=int(data["tick"]), repos=repos, removed=removed), None
        except (ValueError, KeyError, TypeError) as exc:
            return cls(tick=0, repos={}, removed=[]), f"cursor unreadable ({exc}); starting afresh"

    def serialize(self) -> str:
        payload = {
            "v": CURSOR_VERSION,
            "tick": self.tick,
            "repos": dict(sorted(self.repos.items())),
            "removed": self.removed[-MAX_REMOVED_IN_CURSOR:],
        }
        return json.dumps(payload, separators=(",", ":"))


# --- sensor and schedule ---------------------------------------------------------------------


def run_tags(*, trigger: Trigger, fingerprint: str = "") -> dict[str, str]:
    tags = {"dagster/priority": str(RUN_PRIORITY[trigger]), TRIGGER_TAG: trigger}
    if fingerprint:
        tags[FINGERPRINT_TAG] = fingerprint
    return tags


def evaluate_repos_folder(
    context: SensorEvaluationContext,
    *,
    root: Path,
    partitions_name: str,
    max_runs_per_tick: int | None,
) -> SensorResult | SkipReason:
    """One tick of ``new_repos_sensor`` (see the module docstring)."""
    log = context.log
    if not root.is_dir():
        return SkipReason(f"watched folder {root} does not exist (set CODEINTEL_REPOS_ROOT)")
    cursor, cursor_problem = SensorCursor.parse(context.cursor)
    if cursor_problem:
        log.warning(cursor_problem)
    cursor.tick += 1
    try:
        candidates, skipped = scan_repositories(root)
    except OSError as exc:
        return SkipReason(f"cannot list the watched folder {root}: {exc.strerror or exc}")
    for item in skipped:
        log.warning(f"skipping folder {item.name!r} in {root}: {item.reason}")

    registry = PartitionRegistry.for_instance(context.instance)
    registered = {registration.key: registration.path for registration in registry.list()}
    partitions = set(context.instance.get_dynamic_partitions(partitions_name))
    new_partitions: list[str] = []
    run_requests: list[RunRequest] = []
    deferred = 0
    seen: set[str] = set()
    # New repositories first (higher priority), then changed ones.
    ordered = sorted(candidates, key=lambda c: (c.key in cursor.repos, c.key))
    for candidate in ordered:
        key = candidate.key
        seen.add(key)
        known = registered.get(key)
        if known is None:
            try:
                registry.add(candidate.path, key=key)
            except RegistryError as exc:
                log.warning(f"skipping folder {candidate.path.name!r}: {exc}")
                continue
        elif known != candidate.path.resolve():
            log.warning(
                f"skipping folder {candidate.path.name!r}: partition key {key!r} is registered "
                f"for {known}; remove it with `codeintel repos remove {key}` to watch this folder"
            )
            continue
        if key not in partitions:
            new_partitions.append(key)
            partitions.add(key)
        try:
            fingerprint = _short_hash(repository_fingerprint(candidate.path))
        except OSError as exc:
            log.warning(f"cannot fingerprint {candidate.path}: {exc}; keeping the last state")
            continue
        previous = cursor.repos.get(key)
        if previous == fingerprint:
            continue
        if max_runs_per_tick is not None and len(run_requests) >= max_runs_per_tick:
            deferred += 1
            continue  # not recorded: the next tick requests it
        trigger: Trigger = "new" if previous is None else "changed"
        if key in cursor.removed:
            cursor.removed.remove(key)
        run_requests.append(
            RunRequest(
                partition_key=key,
                run_key=f"{key}:{fingerprint}:{cursor.tick}",
                tags=run_tags(trigger=trigger, fingerprint=fingerprint),
            )
        )
        cursor.repos[key] = fingerprint
        log.info(f"{trigger} repository {key} ({candidate.path}): requesting a run")

    for key in sorted(set(cursor.repos) - seen):
        log.warning(
            f"repository {key} is gone from {root}; its partition, registration and stored "
            "assets are kept (forget it with `codeintel repos remove KEY`)"
        )
        del cursor.repos[key]
        cursor.removed.append(key)
    if deferred:
        log.info(f"{deferred} repositories wait for the next tick (max {max_runs_per_tick} runs)")
    cursor.removed = cursor.removed[-MAX_REMOVED_IN_CURSOR:]
    requests = (
        [
            AddDynamicPartitionsRequest(
                partitions_def_name=partitions_name, partition_keys=new_partitions
            )
        ]
        if new_partitions
        else []
    )
    return SensorResult(
        run_requests=run_requests,
        dynamic_partitions_requests=requests,
        cursor=cursor.serialize(),
        skip_reason=None if run_requests else "no new or changed repositories",
    )


def interval_from_env() -> int:
    value = os.environ.get(INTERVAL_ENV, "").strip()
    if not value:
        return DEFAULT_INTERVAL_SECONDS
    try:
        seconds = int(value)
    except ValueError:
        raise ValueError(f"{INTERVAL_ENV}={value!r} is not a whole number of seconds") from None
    if seconds < 1:
        raise ValueError(f"{INTERVAL_ENV}={value!r} must be at least 1")
    return seconds


def build_new_repos_sensor(
    *,
    job_name: str,
    partitions_name: str,
    name: str = SENSOR_NAME,
    minimum_interval_seconds: int | None = None,
    max_runs_per_tick: int | None = DEFAULT_MAX_RUNS_PER_TICK,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
) -> SensorDefinition:
    """The watched-folder sensor for ``job_name`` over the dynamic partitions ``partitions_name``.

    Reads the watched folder from the ``repos_root`` resource (``ReposRootResource``).
    """

    @sensor(
        name=name,
        job_name=job_name,
        minimum_interval_seconds=minimum_interval_seconds or interval_from_env(),
        default_status=default_status,
        required_resource_keys={REPOS_ROOT_RESOURCE_KEY},
        description=(
            "Each sub-folder of the watched folder (CODEINTEL_REPOS_ROOT, default ./repos) is a "
            "repository: a new one becomes a partition and a run, a changed one (git HEAD or "
            "content) a new run; a removed one is reported and its partition kept."
        ),
    )
    def _new_repos_sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
        repos_root: ReposRootResource = getattr(context.resources, REPOS_ROOT_RESOURCE_KEY)
        return evaluate_repos_folder(
            context,
            root=repos_root.path(),
            partitions_name=partitions_name,
            max_runs_per_tick=max_runs_per_tick,
        )

    return _new_repos_sensor


def refresh_requests(
    context: ScheduleEvaluationContext, *, partitions_name: str
) -> Sequence[RunRequest] | SkipReason:
    """One run per registered repository whose folder still exists."""
    registry = PartitionRegistry.for_instance(context.instance)
    requests: list[RunRequest] = []
    stamp = context.scheduled_execution_time.strftime("%Y%m%dT%H%M")
    for key in sorted(context.instance.get_dynamic_partitions(partitions_name)):
        try:
            registry.resolve(key)
        except RegistryError as exc:
            context.log.warning(f"not refreshing {key}: {exc}")
            continue
        requests.append(
            RunRequest(
                partition_key=key,
                run_key=f"refresh:{key}:{stamp}",
                tags=run_tags(trigger="refresh"),
            )
        )
    return requests or SkipReason("no registered repository with an existing folder")


def build_refresh_schedule(
    *,
    job_name: str,
    partitions_name: str,
    name: str = SCHEDULE_NAME,
    cron_schedule: str = "0 3 * * *",
    default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
) -> ScheduleDefinition:
    """Refresh every registered repository once a day (03:00 UTC by default); off by default."""

    @schedule(
        name=name,
        job_name=job_name,
        cron_schedule=cron_schedule,
        execution_timezone="UTC",
        default_status=default_status,
        description="Re-materialize every registered repository (turn on in the UI).",
    )
    def _refresh(context: ScheduleEvaluationContext) -> Sequence[RunRequest] | SkipReason:
        return refresh_requests(context, partitions_name=partitions_name)

    return _refresh
