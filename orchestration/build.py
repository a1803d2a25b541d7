"""Run any Hamilton dataflow with a plain Hamilton driver and write its assets (no Dagster).

Generic: it knows Hamilton modules, a config, inputs and the asset plan, not code intelligence.
``build()`` computes every asset of the plan (``orchestration.partition``, on the same driver),
writes each with ``orchestration.storage.write_value`` (the writer the Dagster IO manager uses, so
the bytes are the same) and then ``manifest.json`` (config, row counts, sha256 of every file
written, check results, timings), all atomically. ``out_dir`` gets a cache directory tag before
the first write (``orchestration.cachedir``): a repository walk never inventories a build's output.

Why ``execute()`` + ``write_value`` and not ``materialize()`` with a custom ``DataSaver``: which
assets are written can depend on other outputs (``codeintel build`` skips the tables of languages
the repository does not have, which only the inventory knows), savers would each see one value;
materializer nodes are cached by Hamilton's cache, so a deleted output would not be rewritten;
and the manifest must list exactly the files written, with their hashes, after all of them
succeeded. Computing first and writing in one place gives all three.

Validation: each asset is requested through its validated node, so a ``fail`` check raises
``BuildError`` before anything is written; every validator's result is in the manifest.

A caller that builds the same dataflow again in one process (``codeintel build --watch``) keeps
what does not change from one build to the next, the driver and the plan (``prepare_dataflow``),
and passes it to each ``build``.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pyarrow as pa
from hamilton import driver
from hamilton.data_quality.base import DataValidationError, ValidationResult
from hamilton.graph_types import HamiltonNode

from orchestration import storage
from orchestration.cachedir import holds_tag, tag_folder
from orchestration.caching import (
    CacheAdapter,
    CacheConfig,
    audit_metadata,
    cache_adapter,
    collect_cache_audits,
    flushed_on_exit,
    record_run,
)
from orchestration.freshness import (
    STAMP_KEY,
    STAMP_PARTS_KEY,
    file_sha256,
    is_build_output,
    listed_file_intact,
)
from orchestration.telemetry import (
    FinishedValues,
    NodeTelemetry,
    OnValueComputed,
    collect_telemetry,
    finished_values,
    update_timings_file,
)
from orchestration.translator import HamiltonDagsterTranslator, explicit_boundary

MANIFEST_KEY = ("manifest",)
# Manifest entry of a table written from a value with a content fingerprint (``_value_token``).
CONTENT_TOKEN = "content_token"
DQ_RESULTS_TAG = "hamilton.data_quality.contains_dq_results"
KeyPath = tuple[str, ...]


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity: a container or ``taskset`` gives fewer
    than the machine has). The parse pool's count is the same function,
    ``hamilton_modules.parsing.usable_cores``, which ``orchestration`` may not import (the
    layering): four lines twice rather than a module both layers would share."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# Tables encoded at once (``storage.StagedWrites.write_all``): Parquet encoding releases the GIL.
WRITE_THREADS = min(4, usable_cpus())
# Decides, once everything is computed, whether an asset is written: (key, all values) -> bool.
KeepAsset = Callable[[KeyPath, Mapping[KeyPath, Any]], bool]
# (``build``'s ``left_out``: the plan's assets -> keys of assets its config left out)
LeftOutAssets = Callable[[Sequence["BuildAsset"]], Iterable[KeyPath]]


class BuildError(RuntimeError):
    """The dataflow failed or a blocking check failed; the message says which node and why."""


@dataclass(frozen=True)
class BuildAsset:
    key: KeyPath
    node: str  # node requested (the validated node when the function has checks)
    validators: tuple[str, ...]
    table_schema: pa.Schema | None = None  # declared Arrow schema (translator.get_table_schema)


def _validators_of(dr: driver.Driver, node_name: str) -> tuple[str, ...]:
    """The ``@check_output`` validator nodes whose results ``node_name`` passes through."""
    graph_node = dr.graph.nodes[node_name]
    return tuple(
        sorted(dep.name for dep in graph_node.dependencies if dep.tags.get(DQ_RESULTS_TAG))
    )


def _build_asset(
    dr: driver.Driver,
    translator: HamiltonDagsterTranslator,
    node_name: str,
    *,
    key: KeyPath | None = None,
) -> BuildAsset:
    node = HamiltonNode.from_node(dr.graph.nodes[node_name])
    return BuildAsset(
        key=key if key is not None else translator.get_asset_key_path(node),
        node=node_name,
        validators=_validators_of(dr, node_name),
        table_schema=translator.get_table_schema(node),
    )


def _tagged_and_sink_assets(
    dr: driver.Driver, translator: HamiltonDagsterTranslator
) -> list[tuple[KeyPath, str]]:
    """Assets when no plan is available: nodes with an ``asset`` tag plus the sinks."""
    consumed: set[str] = set()
    for graph_node in dr.graph.nodes.values():
        consumed.update(dep.name for dep in graph_node.dependencies)
    chosen: list[tuple[KeyPath, str]] = []
    for variable in dr.list_available_variables():
        if variable.is_external_input or variable.tags.get(DQ_RESULTS_TAG):
            continue
        if explicit_boundary(variable) is False:
            continue
        if explicit_boundary(variable) or variable.name not in consumed:
            chosen.append((translator.get_asset_key_path(variable), variable.name))
    return chosen


def plan_assets(
    *,
    dr: driver.Driver,
    modules: Sequence[ModuleType],
    config: Mapping[str, Any],
    translator: HamiltonDagsterTranslator,
) -> tuple[list[BuildAsset], str | None]:
    """Every asset of the plan (key, requested node, validators) and the plan signature."""
    del modules  # the plan is made from the driver's graph, which was built from them
    try:
        from orchestration.partition import plan_from_driver
    except ImportError:  # a checkout without the partition: tagged nodes and sinks
        plan_from_driver = None
    signature: str | None = None
    if plan_from_driver is not None:
        plan = plan_from_driver(driver=dr, config=dict(config), translator=translator)
        pairs = [(tuple(asset.key), asset.node) for asset in plan.assets]
        signature = plan.signature
    else:
        pairs = _tagged_and_sink_assets(dr, translator)
    assets = [_build_asset(dr, translator, node, key=key) for key, node in sorted(pairs)]
    return assets, signature


def upstream_sizes(dr: driver.Driver, nodes: Sequence[str]) -> dict[str, int]:
    """Each node's number of upstream nodes (all it depends on, directly or not): the counts of
    Hamilton's ``Driver.what_is_upstream_of`` (less the node), which makes a ``Variable`` of
    each and took ~7x as long for the dataflow's 37 assets (8 against 1.2 ms, per fresh
    process)."""
    sizes: dict[str, int] = {}
    for name in nodes:
        seen: set[str] = set()
        stack = [dr.graph.nodes[name]]
        while stack:
            for dependency in stack.pop().dependencies:
                if dependency.name not in seen:
                    seen.add(dependency.name)
                    stack.append(dependency)
        sizes[name] = len(seen)
    return sizes


def requested_order(
    dr: driver.Driver, assets: Sequence[BuildAsset], *, upstream: Mapping[str, int]
) -> list[str]:
    """The nodes a build requests, in the order Hamilton computes them: the assets with fewer
    upstream nodes first (``upstream``: known sizes; the others are counted), then their
    validators (computed by then). An asset finishes as early as its own inputs allow, and its
    table is encoded while the larger ones are computed (``_write_ahead``): in name order,
    tokio's CPG edges (~0.25 s) came before its nodes, whose encoding then waited for them."""
    nodes = sorted({asset.node for asset in assets})
    sizes = {**upstream_sizes(dr, [n for n in nodes if n not in upstream]), **upstream}
    ordered = sorted(nodes, key=lambda name: (sizes[name], name))
    return ordered + sorted({v for asset in assets for v in asset.validators} - set(ordered))


def _rows(value: Any) -> int | None:
    height = getattr(value, "height", None)
    if isinstance(height, int):
        return height
    num_rows = getattr(value, "num_rows", None)
    return num_rows if isinstance(num_rows, int) else None


def _jsonable_config(config: Mapping[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(dict(config), sort_keys=True, default=str))


def _previous_assets(out_dir: Path) -> dict[str, dict[str, Any]]:
    """The asset entries of the previous build's manifest; empty when unreadable."""
    with contextlib.suppress(OSError, ValueError, AttributeError, TypeError):
        previous = json.loads((out_dir / "manifest.json").read_text())
        return {
            str(key): entry
            for key, entry in previous.get("assets", {}).items()
            if isinstance(entry, dict)
        }
    return {}


def _remove_stale_outputs(out_dir: Path, stale: set[str]) -> None:
    """Delete files a previous build listed in its manifest that this build did not write."""
    for relative in stale:
        candidate = (out_dir / relative).resolve()
        if relative and out_dir.resolve() in candidate.parents:
            candidate.unlink(missing_ok=True)


@dataclass(frozen=True)
class PreparedDataflow:
    """What ``build`` makes before it computes, the same for every build of one set of modules,
    config and cache config: the Hamilton driver with its adapters (telemetry, cache) and the
    plan's assets and signature (``prepare_dataflow``).

    ``build`` makes one for each call; a caller that builds the same dataflow again in one
    process (``codeintel build --watch``) keeps it and passes it to each build, one build at a
    time: the driver's graph and the plan were 0.1-0.3 s of each rebuild (codeintel's dataflow).
    It holds no state of a build: each ``build`` collects its own timings (``collect_telemetry``)
    and cache audits (``collect_cache_audits``), and the cache adapter keeps an execution's state
    under its run id, dropped when it ends (Hamilton gives each ``execute`` a new one), so a
    build through it records what a build that prepared its own would.
    """

    modules: tuple[ModuleType, ...]
    config: Mapping[str, Any]  # a copy, as the driver was built with it
    cache: CacheConfig | None
    translator: HamiltonDagsterTranslator
    driver: driver.Driver
    cache_adapter: CacheAdapter | None  # None without a cache or with caching off
    assets: tuple[BuildAsset, ...]
    signature: str | None
    # each asset node's number of upstream nodes (``upstream_sizes``): the order it is requested
    upstream: Mapping[str, int] = field(default_factory=dict)

    def fits(
        self,
        *,
        modules: Sequence[ModuleType],
        config: Mapping[str, Any],
        cache: CacheConfig | None,
    ) -> bool:
        """Whether it was prepared for these modules (the same objects), config and cache
        config: another config is another graph, another cache config another adapter."""
        return (
            len(modules) == len(self.modules)
            and all(given is kept for given, kept in zip(modules, self.modules, strict=True))
            and dict(config) == self.config
            and cache == self.cache
        )


def prepare_dataflow(
    *,
    modules: Sequence[ModuleType],
    config: Mapping[str, Any],
    translator: HamiltonDagsterTranslator | None = None,
    cache: CacheConfig | None = None,
    show_progress: bool | None = None,
) -> PreparedDataflow:
    """The driver (with the telemetry adapter, which draws a progress bar when ``show_progress``,
    and the cache's adapter for ``cache``) and the plan of ``modules`` + ``config``."""
    translator = translator or HamiltonDagsterTranslator()
    builder = driver.Builder().with_modules(*modules).with_config(dict(config))
    builder = builder.with_adapters(NodeTelemetry(show=show_progress))
    adapter = cache_adapter(cache) if cache is not None else None
    if adapter is not None:
        builder = builder.with_adapters(adapter)
    dr = builder.with_adapters(FinishedValues()).build()
    assets, signature = plan_assets(dr=dr, modules=modules, config=config, translator=translator)
    return PreparedDataflow(
        modules=tuple(modules),
        config=dict(config),
        cache=cache,
        translator=translator,
        driver=dr,
        cache_adapter=adapter,
        assets=tuple(assets),
        signature=signature,
        upstream=upstream_sizes(dr, [asset.node for asset in assets]),
    )


def build(
    *,
    modules: Sequence[ModuleType],
    config: Mapping[str, Any],
    inputs: Mapping[str, Any],
    out_dir: Path | str,
    translator: HamiltonDagsterTranslator | None = None,
    final_vars: Sequence[str] | None = None,
    keep: KeepAsset | None = None,
    left_out: LeftOutAssets | None = None,
    show_progress: bool | None = None,
    cache: CacheConfig | None = None,
    stamp: str | None = None,
    stamp_parts: Mapping[str, Any] | None = None,
    prepared: PreparedDataflow | None = None,
) -> dict[str, Any]:
    """Compute the plan's assets with plain Hamilton, write them under ``out_dir``; returns the
    manifest.

    ``final_vars`` narrows the build to those nodes (default: every asset of the plan); ``keep``
    decides per asset whether it is written once all values are known (default: all);
    ``left_out``: given the plan's assets, the keys of assets that the caller's ``config`` left
    out of the dataflow, for what ``keep`` would have said of them before the run (``codeintel
    build``: the tables of a language the repository has no file of); the manifest lists them
    with the skipped ones.
    ``cache``: Hamilton's cache (``orchestration.caching``); the manifest's ``cache`` entry has the
    build id (``codeintel cache report BUILD_ID``), hits and misses.
    ``stamp``: recorded in the manifest for ``orchestration.freshness.fresh_manifest``, which lets
    the next build with the same stamp skip everything (``orchestration.freshness.build_stamp``);
    ``stamp_parts``: what it was made of, recorded beside it (two builds that disagree name what
    moved).
    ``prepared``: the driver and plan of an earlier build of the same ``modules``, ``config`` and
    ``cache`` (``prepare_dataflow``; another config is refused: ValueError); its translator and
    progress bar are the ones it was prepared with (``translator``: None or that one;
    ``show_progress``: None). Default: prepared for this build.
    """
    started = time.perf_counter()
    if prepared is None:
        prepared = prepare_dataflow(
            modules=modules,
            config=config,
            translator=translator,
            cache=cache,
            show_progress=show_progress,
        )
    elif not prepared.fits(modules=modules, config=config, cache=cache):
        raise ValueError("the prepared dataflow was prepared for other modules, config or cache")
    elif translator not in (None, prepared.translator) or show_progress is not None:
        raise ValueError("a prepared dataflow has its own translator and progress bar")
    translator, dr, adapter = prepared.translator, prepared.driver, prepared.cache_adapter
    out = Path(out_dir)
    # Folders under the cache root for inputs that want one (not dataflow inputs: not in the
    # manifest).
    run_inputs = {**cache.input_values(), **inputs} if cache is not None else dict(inputs)
    assets, signature = list(prepared.assets), prepared.signature
    if final_vars is not None:
        wanted = set(final_vars)
        assets = [asset for asset in assets if asset.node in wanted]
        known = {asset.node for asset in assets}
        variables = {variable.name: variable for variable in dr.list_available_variables()}
        for name in sorted(wanted - known):
            if name not in variables:
                raise BuildError(f"unknown node {name!r}")
            assets.append(_build_asset(dr, translator, name))
    requested: list[Any] = requested_order(dr, assets, upstream=prepared.upstream)
    previous_assets = _previous_assets(out)
    previous_outputs = {str(entry.get("file", "")) for entry in previous_assets.values()}
    # One unit, manifest last: a write that fails part-way (disk full) leaves the previous
    # build's files and manifest as they were; a reader never sees a manifest of other files.
    with flushed_on_exit(adapter), storage.staged_writes(out) as staged:
        # A table that changed is encoded while the dataflow computes the others, into a folder
        # that a repository walk leaves out already (tagged by an earlier build or the caller:
        # the temporaries in a folder made now could be in this dataflow's inventory).
        ahead = (
            _write_ahead(staged, assets=assets, previous_assets=previous_assets, adapter=adapter)
            if holds_tag(out)
            else None
        )
        computed_at = time.perf_counter()
        build_id = f"build-{uuid.uuid4().hex[:16]}"
        # This build's own node timings and cache audits: a prepared driver runs many builds.
        with (
            collect_telemetry() as telemetry,
            collect_cache_audits() as audits,
            finished_values(ahead),
        ):
            try:
                results = dr.execute(requested, inputs=run_inputs)
            except DataValidationError as exc:
                lines = str(exc).strip().splitlines() or [type(exc).__name__]
                raise BuildError(f"a blocking check failed: {lines[0]}") from exc
            except Exception as exc:
                raise BuildError(f"the dataflow failed: {type(exc).__name__}: {exc}") from exc
            finally:
                if adapter is not None and cache is not None:
                    record_run(cache, run=build_id, label="build", audits=audits)
                    executed = {name for audit in audits for name in audit.executed}
                    update_timings_file(cache.timings_path, telemetry.timings, only=executed)
        compute_seconds = time.perf_counter() - computed_at
        values: dict[KeyPath, Any] = {asset.key: results[asset.node] for asset in assets}
        manifest_assets: dict[str, dict[str, Any]] = {}
        skipped_keys: list[KeyPath] = list(left_out(prepared.assets)) if left_out else []
        kept: list[BuildAsset] = []
        for asset in sorted(assets, key=lambda item: item.key):
            if keep is not None and not keep(asset.key, values):
                skipped_keys.append(asset.key)
            else:
                kept.append(asset)
        skipped = ["/".join(key) for key in sorted(skipped_keys)]
        # Content fingerprints of the values (Hamilton's data versions; none without the cache).
        content_versions = {
            name: version for audit in audits for name, version in audit.data_versions.items()
        }
        # A repository walk leaves a tagged folder out (``codeintel build`` tags it before its
        # walk already: a folder made here, after the dataflow's inventory, is left out from the
        # next one).
        with contextlib.suppress(OSError):  # a folder that cannot be made fails the writes below
            tag_folder(out, ours=is_build_output)
        tokens = {
            asset.key: _value_token(asset, values[asset.key], content_versions.get(asset.node))
            for asset in kept
        }
        files: dict[KeyPath, tuple[Path, int, str]] = {}  # the file of each asset, size, sha256
        for asset in kept:
            path = storage.value_path(out, asset.key, values[asset.key])
            previous = previous_assets.get("/".join(asset.key))
            kept_file = _current_file(path, out=out, previous=previous, token=tokens[asset.key])
            if kept_file is not None:
                files[asset.key] = (path, *kept_file)
                # what a crashed build left beside it goes, as a write would sweep it
                storage.sweep_orphaned_temporaries(path)
        changed = [asset for asset in kept if asset.key not in files]
        written_files = staged.write_all(
            [(asset.key, values[asset.key], asset.table_schema) for asset in changed],
            threads=WRITE_THREADS,
        )
        for asset, (path, written) in zip(changed, written_files, strict=True):
            files[asset.key] = (path, written.stat().st_size, file_sha256(written))
        for asset in kept:
            value = values[asset.key]
            token = tokens[asset.key]
            path, size, digest = files[asset.key]
            checks = {}
            for validator in asset.validators:
                result = results[validator]
                if isinstance(result, ValidationResult):
                    checks[validator] = {"passes": result.passes, "message": result.message}
            manifest_assets["/".join(asset.key)] = {
                "node": asset.node,
                "file": path.relative_to(out).as_posix(),
                "rows": _rows(value),
                "bytes": size,
                "sha256": digest,
                "checks": checks,
            }
            if token is not None:
                manifest_assets["/".join(asset.key)][CONTENT_TOKEN] = token
        if adapter is not None:  # the cache's values, written beside the outputs: on disk now
            adapter.flush()
        manifest = _manifest(
            config=config,
            inputs=inputs,
            signature=signature,
            manifest_assets=manifest_assets,
            skipped=skipped,
            stamp=stamp,
            stamp_parts=stamp_parts,
            cache_entry=(
                {"build_id": build_id, **audit_metadata(audits)} if adapter is not None else None
            ),
            timings={
                "total_seconds": round(time.perf_counter() - started, 6),
                "compute_seconds": round(compute_seconds, 6),
                "nodes": {
                    name: round(seconds, 6) for name, seconds in sorted(telemetry.timings.items())
                },
            },
        )
        staged.write(MANIFEST_KEY, manifest)
    _remove_stale_outputs(out, previous_outputs - {e["file"] for e in manifest_assets.values()})
    return manifest


def _write_ahead(
    staged: storage.StagedWrites,
    *,
    assets: Sequence[BuildAsset],
    previous_assets: Mapping[str, Mapping[str, Any]],
    adapter: CacheAdapter | None,
) -> OnValueComputed:
    """What ``build`` does with each value the dataflow computes: an asset's table that is not
    the previous build's (its token differs, or it has none: no cache) starts being encoded
    (``StagedWrites.write_ahead``), while the dataflow computes the rest: a --watch rebuild of
    tokio computes its changed language tables ~0.3 s before its CPG, and the CPG's nodes before
    its edges. ``build`` decides afterwards, as without it, which tables it writes; it takes an
    encoding made here for the same value, the others are removed. An empty table is left for
    then (cheap, and most often that of a language the repository does not have)."""
    by_node = {asset.node: asset for asset in assets}

    def finished(run_id: str, node: str, value: Any) -> None:
        asset = by_node.get(node)
        if asset is None or not _rows(value):
            return
        version = adapter.data_versions.get(run_id, {}).get(node) if adapter is not None else None
        token = _value_token(asset, value, version if isinstance(version, str) else None)
        previous = previous_assets.get("/".join(asset.key))
        if token is not None and previous is not None and previous.get(CONTENT_TOKEN) == token:
            return  # the previous build's file, most likely
        staged.write_ahead(asset.key, value, table_schema=asset.table_schema, threads=WRITE_THREADS)

    return finished


def _value_token(asset: BuildAsset, value: Any, content_version: str | None) -> str | None:
    """What decides a table file's bytes (``storage.value_token``: the value's content
    fingerprint, its declared schema, the writer's settings); None without a fingerprint (no
    cache) and for values that are not tables."""
    if content_version is None:
        return None
    return storage.value_token(
        content_version=content_version, value=value, table_schema=asset.table_schema
    )


def _current_file(
    path: Path, *, out: Path, previous: Mapping[str, Any] | None, token: str | None
) -> tuple[int, str] | None:
    """The size and sha256 of the previous build's file of an asset at ``path``, when it was
    written from a value with ``token`` and still has the bytes that build recorded; None
    otherwise (write it).

    On a re-run that changed one source file most language tables are those of the last build:
    they are left as they are instead of being encoded again. The bytes on disk are checked
    (sha256, as the manifest lists them), so a file edited, replaced or left half-renamed by a
    crash is written again; the token guarantees that writing the value would give these bytes.
    """
    if token is None or previous is None or previous.get(CONTENT_TOKEN) != token:
        return None
    if previous.get("file") != path.relative_to(out).as_posix():
        return None
    if listed_file_intact(root=out.resolve(), entry=previous) is None:
        return None
    return int(previous["bytes"]), str(previous["sha256"])


def _manifest(
    *,
    config: Mapping[str, Any],
    inputs: Mapping[str, Any],
    signature: str | None,
    manifest_assets: dict[str, dict[str, Any]],
    skipped: list[str],
    stamp: str | None,
    stamp_parts: Mapping[str, Any] | None,
    cache_entry: dict[str, Any] | None,
    timings: dict[str, Any],
) -> dict[str, Any]:
    return {
        STAMP_KEY: stamp,
        STAMP_PARTS_KEY: _jsonable_config(stamp_parts) if stamp_parts is not None else None,
        "config": _jsonable_config(config),
        "inputs": _jsonable_config(inputs),
        "plan_signature": signature,
        "assets": manifest_assets,
        "skipped_assets": skipped,
        "row_counts": {key: entry["rows"] for key, entry in manifest_assets.items()},
        "cache": cache_entry,
        "timings": timings,
    }
