"""Persistent partition-key -> path registry, kept beside the Dagster instance.

A dynamic partition key (e.g. one per repository) names a folder on disk. Dagster stores the keys
(``instance.add_dynamic_partitions``) but not what they stand for, so this module keeps the
mapping in ``<DAGSTER_HOME>/codeintel/partitions.json``, written atomically under a file lock so
the CLI and a sensor can register at the same time.

Keys double as folder names in the warehouse (``<warehouse>/<key>/...``), so a key is restricted to
``[A-Za-z0-9._-]``, at most ``MAX_KEY_LENGTH`` characters, and never ``.``/``..``: a key can never
escape the warehouse. Keys derived from a folder name are sanitized; explicit keys are validated and
rejected with a clear message.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orchestration.storage import atomic_target

if TYPE_CHECKING:
    from dagster import DagsterInstance

MAX_KEY_LENGTH = 100
REGISTRY_RELATIVE_PATH = Path("codeintel") / "partitions.json"
_KEY_ALLOWED = re.compile(r"^[A-Za-z0-9._-]+$")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class RegistryError(ValueError):
    """A key or path cannot be registered or resolved; the message says why and what to do."""


@dataclass(frozen=True)
class Registration:
    key: str
    path: Path


def validate_partition_key(key: str) -> str:
    """Return ``key`` unchanged if it is safe as a partition key and warehouse folder name."""
    if not isinstance(key, str) or not key:
        raise RegistryError("partition key is empty")
    if len(key) > MAX_KEY_LENGTH:
        raise RegistryError(
            f"partition key {key[:40]!r}... is {len(key)} characters long; "
            f"the limit is {MAX_KEY_LENGTH}"
        )
    if key in {".", ".."} or key.startswith("."):
        raise RegistryError(
            f"partition key {key!r} starts with '.': it would name a hidden or parent folder "
            "in the warehouse"
        )
    if not _KEY_ALLOWED.match(key):
        bad = sorted({char for char in key if not _KEY_ALLOWED.match(char)})
        raise RegistryError(
            f"partition key {key!r} contains {', '.join(repr(c) for c in bad)}; "
            "allowed characters are letters, digits, '.', '_' and '-'"
        )
    if "..." in key:
        # Dagster rejects '...' inside partition keys (it is its range syntax).
        raise RegistryError(f"partition key {key!r} contains '...', which Dagster reserves")
    return key


def partition_key_for_path(path: Path) -> str:
    """A safe key from a folder's name: unsafe runs become '-', leading dots are dropped."""
    name = Path(os.path.abspath(path)).name  # lexical: "." and ".." get a real name, no disk access
    key = _KEY_UNSAFE.sub("-", name).lstrip(".-")
    key = re.sub(r"\.{2,}", ".", key)
    if not key:
        raise RegistryError(
            f"cannot derive a partition key from folder name {name!r}; pass an explicit key"
        )
    return validate_partition_key(key)


def _validated_folder(path: Path) -> Path:
    try:
        resolved = path.expanduser().resolve(strict=True)
    except FileNotFoundError:
        raise RegistryError(f"path {str(path)!r} does not exist") from None
    except (OSError, RuntimeError) as exc:
        raise RegistryError(f"path {str(path)!r} cannot be resolved: {exc}") from None
    if not resolved.is_dir():
        raise RegistryError(f"path {str(path)!r} is not a folder")
    return resolved


class PartitionRegistry:
    """Partition key -> folder path, persisted as JSON in one file (see module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_instance(cls, instance: DagsterInstance) -> PartitionRegistry:
        return cls(Path(instance.root_directory) / REGISTRY_RELATIVE_PATH)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with (self.path.parent / f".{self.path.name}.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        try:
            data: Any = json.loads(self.path.read_text())
        except (OSError, ValueError) as exc:
            raise RegistryError(f"registry {self.path} is unreadable: {exc}") from exc
        entries = data.get("partitions") if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            raise RegistryError(f"registry {self.path} has no 'partitions' mapping")
        return {str(key): str(value) for key, value in entries.items()}

    def _write(self, entries: Mapping[str, str]) -> None:
        payload = {"version": 1, "partitions": dict(sorted(entries.items()))}
        with atomic_target(self.path) as tmp:
            tmp.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")

    def list(self) -> list[Registration]:
        return [Registration(key, Path(path)) for key, path in sorted(self._read().items())]

    @staticmethod
    def candidate(path: Path, *, key: str | None = None) -> Registration:
        """Validate ``path`` and its key without writing anything (RegistryError when invalid)."""
        folder = _validated_folder(path)
        key = validate_partition_key(key) if key is not None else partition_key_for_path(folder)
        return Registration(key, folder)

    def add(self, path: Path, *, key: str | None = None) -> Registration:
        """Register ``path`` under ``key`` (default: from its folder name). Idempotent."""
        checked = self.candidate(path, key=key)
        key, folder = checked.key, checked.path
        with self._locked():
            entries = self._read()
            existing = entries.get(key)
            if existing is not None and Path(existing) != folder:
                raise RegistryError(
                    f"partition key {key!r} is already registered for {existing}; "
                    f"remove it first or pass another key for {folder}"
                )
            if existing is None:
                entries[key] = str(folder)
                self._write(entries)
        return Registration(key, folder)

    def remove(self, key: str) -> Registration:
        with self._locked():
            entries = self._read()
            if key not in entries:
                raise RegistryError(f"partition key {key!r} is not registered")
            path = entries.pop(key)
            self._write(entries)
        return Registration(key, Path(path))

    def resolve(self, key: str) -> Path:
        """The folder for ``key``; RegistryError when unknown or when the folder has vanished."""
        validate_partition_key(key)
        entries = self._read()
        if key not in entries:
            known = ", ".join(sorted(entries)[:10]) or "none"
            raise RegistryError(
                f"partition key {key!r} is not registered in {self.path} (registered: {known}); "
                "register it first, e.g. `codeintel repos add PATH`"
            )
        path = Path(entries[key])
        if not path.is_dir():
            raise RegistryError(
                f"partition key {key!r} maps to {path}, which no longer exists or is not a folder"
            )
        return path


def register_partition(
    *, instance: DagsterInstance, partitions_name: str, path: Path, key: str | None = None
) -> Registration:
    """Record ``path`` in the registry and add its key to Dagster's dynamic partitions."""
    registration = PartitionRegistry.for_instance(instance).add(path, key=key)
    if not instance.has_dynamic_partition(partitions_name, registration.key):
        instance.add_dynamic_partitions(partitions_name, [registration.key])
    return registration


def path_input_from_registry(input_name: str) -> Callable[[Any], dict[str, Any]]:
    """An ``inputs=`` provider for ``hamilton_assets``: ``{input_name: <path of the partition>}``.

    Resolves the run's partition key in the instance's registry, so an unknown key or a vanished
    folder fails before any Hamilton node runs.
    """

    def provide(context: Any) -> dict[str, Any]:
        if not context.has_partition_key:
            raise RegistryError(f"input {input_name!r} needs a partition key; the run has none")
        registry = PartitionRegistry.for_instance(context.instance)
        return {input_name: str(registry.resolve(context.partition_key))}

    provide.__name__ = f"{input_name}_from_registry"
    return provide
