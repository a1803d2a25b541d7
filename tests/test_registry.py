"""The partition-key -> folder registry: sanitized keys, clear errors, persistence, Dagster partitions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import DagsterInstance, build_asset_context
from hypothesis import given
from hypothesis import strategies as st

from orchestration.registry import (
    MAX_KEY_LENGTH,
    PartitionRegistry,
    RegistryError,
    partition_key_for_path,
    path_input_from_registry,
    register_partition,
    validate_partition_key,
)


@pytest.fixture
def instance() -> Iterator[DagsterInstance]:
    with DagsterInstance.local_temp() as temp_instance:
        yield temp_instance


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("", "empty"),
        ("..", "starts with '.'"),
        (".hidden", "starts with '.'"),
        ("a/b", "'/'"),
        ("a\\b", "'\\\\'"),
        ("a\x00b", "'\\x00'"),
        ("a\nb", "'\\n'"),
        ("a b", "' '"),
        ("x" * (MAX_KEY_LENGTH + 1), "characters long"),
        ("a...b", "'...'"),
    ],
)
def test_unsafe_keys_are_rejected_with_the_reason(key: str, fragment: str) -> None:
    with pytest.raises(RegistryError, match=None) as raised:
        validate_partition_key(key)
    assert fragment in str(raised.value)


@pytest.mark.parametrize("key", ["tokio", "my-repo_2.0", "A", "x" * MAX_KEY_LENGTH])
def test_safe_keys_are_accepted(key: str) -> None:
    assert validate_partition_key(key) == key


@pytest.mark.parametrize(
    ("name", "expected"),
    [("tokio", "tokio"), ("my repo (copy)", "my-repo-copy-"), (".dotfiles", "dotfiles")],
)
def test_keys_from_folder_names_are_sanitized(tmp_path: Path, name: str, expected: str) -> None:
    folder = tmp_path / name
    folder.mkdir()
    assert partition_key_for_path(folder) == expected


@given(st.text(min_size=1, max_size=60))
def test_any_sanitized_key_is_a_single_safe_folder_name(name: str) -> None:
    try:
        key = partition_key_for_path(Path("/nonexistent") / name.replace("/", "_"))
    except RegistryError:
        return
    assert validate_partition_key(key) == key
    assert Path(key).name == key and key not in {".", ".."}


def test_add_list_remove_persist_across_instances(tmp_path: Path) -> None:
    repo = tmp_path / "alpha"
    repo.mkdir()
    registry_file = tmp_path / "home" / "partitions.json"
    registration = PartitionRegistry(registry_file).add(repo)
    assert registration.key == "alpha" and registration.path == repo.resolve()
    # Idempotent for the same path; a fresh object sees the persisted entry.
    assert PartitionRegistry(registry_file).add(repo) == registration
    assert [r.key for r in PartitionRegistry(registry_file).list()] == ["alpha"]
    assert json.loads(registry_file.read_text())["partitions"] == {"alpha": str(repo.resolve())}
    assert PartitionRegistry(registry_file).resolve("alpha") == repo.resolve()
    PartitionRegistry(registry_file).remove("alpha")
    assert PartitionRegistry(registry_file).list() == []
    with pytest.raises(RegistryError, match="not registered"):
        PartitionRegistry(registry_file).remove("alpha")


def test_bad_paths_and_conflicting_keys_are_clear_errors(tmp_path: Path) -> None:
    registry = PartitionRegistry(tmp_path / "partitions.json")
    with pytest.raises(RegistryError, match="does not exist"):
        registry.add(tmp_path / "missing")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(RegistryError, match="is not a folder"):
        registry.add(a_file)
    first, second = tmp_path / "one" / "repo", tmp_path / "two" / "repo"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    registry.add(first)
    with pytest.raises(RegistryError, match="already registered"):
        registry.add(second)
    assert registry.add(second, key="repo-two").key == "repo-two"
    with pytest.raises(RegistryError, match="'/'"):
        registry.add(second, key="up/../escape")


def test_unknown_and_vanished_keys_fail_with_a_clear_message(tmp_path: Path) -> None:
    registry = PartitionRegistry(tmp_path / "partitions.json")
    repo = tmp_path / "gone"
    repo.mkdir()
    registry.add(repo)
    with pytest.raises(RegistryError, match="'other' is not registered"):
        registry.resolve("other")
    repo.rmdir()
    with pytest.raises(RegistryError, match="no longer exists"):
        registry.resolve("gone")


def test_corrupt_registry_file_is_reported(tmp_path: Path) -> None:
    registry_file = tmp_path / "partitions.json"
    registry_file.write_text("{not json")
    with pytest.raises(RegistryError, match="unreadable"):
        PartitionRegistry(registry_file).list()


def test_register_partition_adds_the_dynamic_partition_and_the_input_resolves(
    tmp_path: Path, instance: DagsterInstance
) -> None:
    repo = tmp_path / "beta"
    repo.mkdir()
    registration = register_partition(instance=instance, partitions_name="repos", path=repo)
    register_partition(instance=instance, partitions_name="repos", path=repo)  # idempotent
    assert instance.get_dynamic_partitions("repos") == ["beta"]
    assert PartitionRegistry.for_instance(instance).resolve("beta") == registration.path
    provide = path_input_from_registry("repo_path")
    context = build_asset_context(instance=instance, partition_key="beta")
    assert provide(context) == {"repo_path": str(repo.resolve())}
    with pytest.raises(RegistryError, match="not registered"):
        provide(build_asset_context(instance=instance, partition_key="nope"))
