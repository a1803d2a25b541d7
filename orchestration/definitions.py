"""The code location: wires the codeintel dataflow (``hamilton_modules``) to the generic layer.

The only module of ``orchestration`` that imports ``hamilton_modules``. Its first part is the
plain-Hamilton build (``codeintel build``); the Dagster definitions follow below it.
"""

from __future__ import annotations

import os

# Hamilton imports the plugin of every installed library it knows (dask, pandas, ...) when it is
# first imported: ~0.4 s of every `codeintel` and code-location process here. The dataflow uses
# only the polars plugin, which `h_polars` imports itself. Set before anything imports Hamilton;
# a value from the environment or Hamilton's config file still wins.
os.environ.setdefault("HAMILTON_AUTOLOAD_EXTENSIONS", "0")

import argparse
import contextlib
import functools
import logging
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import hamilton_modules
from hamilton_modules import (
    DEFAULT_MAX_FILE_BYTES,
    LANGUAGES,
    dataflow_config,
    repository_files,
    repository_fingerprint,
)
from hamilton_modules.languages import language_for_path
from hamilton_modules.walk import handed_walk
from orchestration import freshness
from orchestration.collector import paused_while_loading
from orchestration.translator import HamiltonDagsterTranslator

if TYPE_CHECKING:
    from types import ModuleType

    import pyarrow as pa
    from hamilton.graph_types import HamiltonNode

    from hamilton_modules.walk import FileRecord
    from orchestration.build import BuildAsset, PreparedDataflow
    from orchestration.caching import CacheConfig

    # Loaded on first access (module __getattr__ below): importing this module stays cheap, so
    # `codeintel build` can find its output up to date before Hamilton and polars load.
    DATAFLOW_MODULES: list[ModuleType]
# A Dask scheduler address sends every op's parse stage to that cluster (parse_cluster).
DASK_SCHEDULER_ENV = "CODEINTEL_DASK_SCHEDULER"
DATAFLOW_CONFIG: dict[str, Any] = dataflow_config(
    dask_scheduler=os.environ.get(DASK_SCHEDULER_ENV) or None
)
REPO_INPUT = "repo_path"
# Hamilton inputs filled with a folder under the cache root: the per-file extraction store.
CACHE_DIRECTORY_INPUTS = {"extraction_cache_dir": "files"}
# Versioned but not stored by the cache (``CachePolicy.unstored``): each family table's
# normalization (``language_subdag``: ``<language>.<family>_extracted``, then ``with_columns``'
# ``<language>.<family>.<column>`` series and ``<language>.<family>._append`` frame): cheap to
# recompute from the extraction, which every run computes anyway, and their bytes are the
# stored table's again. Storing them was more than half of a cold build's cache writes (33 of
# 61 MB on tokio). The globs name each language of the dataflow (``LANGUAGES``), so that no
# other namespace's ``<x>.calls.<y>`` becomes unstored by accident. One policy for both entry
# points (``codeintel build`` and the code location's ``HamiltonCacheResource``): a cache they
# share then holds each value under one version.
UNSTORED_NODES = tuple(
    glob
    for language in LANGUAGES
    for family in ("symbols", "imports", "calls", "inherits")
    for glob in (f"{language}.{family}_extracted", f"{language}.{family}.*")
)
FILES_KEY = ("repo", "files")
# The code a build runs and writes with: their sources are part of the up-to-date stamp.
CODE_PACKAGES = ("hamilton_modules", "orchestration")


class CodeintelTranslator(HamiltonDagsterTranslator):
    """The generic presentation, plus the dataflow's declared Arrow schemas.

    Every table node carries an ``artifact`` tag naming its schema in ``schemas.TABLE_SCHEMAS``, so
    both writers (``codeintel build`` and the Dagster assets) keep the declared types (string,
    non-null columns) instead of polars' own (nullable ``large_string``).
    """

    def get_table_schema(self, node: HamiltonNode) -> pa.Schema | None:
        from hamilton_modules import schemas

        artifact = node.tags.get("artifact")
        return schemas.TABLE_SCHEMAS.get(artifact) if isinstance(artifact, str) else None


TRANSLATOR = CodeintelTranslator()


def present_languages_only() -> Callable[[tuple[str, ...], Mapping[tuple[str, ...], Any]], bool]:
    """A ``keep`` for one ``codeintel build``: a language's tables only if the repository has
    its files. The files table's languages are read once per build (it asks once per asset)."""
    read: list[tuple[Any, frozenset[str]]] = []  # (the files table, its languages)

    def keep(key: tuple[str, ...], values: Mapping[tuple[str, ...], Any]) -> bool:
        if key[0] not in LANGUAGES:
            return True
        files = values.get(FILES_KEY)
        if files is None:
            return True
        if not read or read[0][0] is not files:
            ok = files.filter(files["status"] == "ok")["language"].drop_nulls().to_list()
            read[:] = [(files, frozenset(ok))]
        return key[0] in read[0][1]

    return keep


def languages_present(config: Mapping[str, Any], files: Sequence[FileRecord]) -> dict[str, Any]:
    """``config`` with the languages that ``files`` (the repository's walk) has a file of.

    A language without one has a sub-DAG of empty tables that a build would run for nothing
    (on tokio, 5 of 6 languages: 365 of the 490 nodes, ~0.05 s of each one-file rebuild); its
    tables are listed as skipped all the same (``left_out_tables``), as ``present_languages_only``
    skips them. ``config`` as it is when none of its languages has a file."""
    found = {record.language for record in files}
    present = [language for language in config["languages"] if language in found]
    return {**config, "languages": present} if present else dict(config)


def left_out_tables(
    assets: Sequence[BuildAsset], *, built: Sequence[str], left_out: Sequence[str]
) -> list[tuple[str, ...]]:
    """The asset keys of the ``left_out`` languages' sub-DAGs, from the ``assets`` of a plan of
    the ``built`` ones: every instance of the sub-DAG has the same tables
    (``hamilton_modules.dataflow``), so a built language's keys with its name replaced."""
    if not built:
        return []
    model = built[0]
    tails = [
        asset.key[1:]
        for asset in assets
        if asset.key[0] == model and asset.node.startswith(f"{model}.")
    ]
    return [(language, *tail) for language in left_out for tail in tails]


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codeintel build",
        description="Run the code-property-graph dataflow on one repository (plain Hamilton).",
    )
    parser.add_argument("repo", metavar="REPO", help="repository folder to analyse")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--languages",
        nargs="+",
        metavar="LANG",
        help=f"languages to build (default all: {' '.join(LANGUAGES)}); comma lists work too",
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="parse processes (default all cores; 1 = none)"
    )
    parser.add_argument(
        "--max-file-bytes",
        type=int,
        default=DEFAULT_MAX_FILE_BYTES,
        help=f"skip larger files as too_large (default {DEFAULT_MAX_FILE_BYTES})",
    )
    parser.add_argument(
        "--dask-scheduler",
        metavar="ADDRESS",
        default=os.environ.get(DASK_SCHEDULER_ENV) or None,
        help=f"parse on this Dask cluster's workers, e.g. tcp://127.0.0.1:8786 (${DASK_SCHEDULER_ENV})",
    )
    cache = parser.add_mutually_exclusive_group()
    cache.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="Hamilton cache root (default $CODEINTEL_CACHE_DIR or $DAGSTER_HOME/hamilton_cache)",
    )
    cache.add_argument("--no-cache", action="store_true", help="compute everything, cache nothing")
    parser.add_argument(
        "--force",
        action="store_true",
        help="run the dataflow even when the output is up to date (Hamilton's cache still applies)",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="keep running: build again whenever the repository changes (Ctrl-C stops)",
    )
    return parser


def _repo_problem(repo: Path) -> str | None:
    if not repo.exists():
        return f"repository {repo} does not exist"
    if not repo.is_dir():
        return f"repository {repo} is not a directory"
    try:
        with os.scandir(repo) as listing:
            next(listing, None)
    except OSError as exc:
        return f"repository {repo} cannot be read: {exc.strerror or exc}"
    return None


def parse_ahead(
    *,
    repo_path: str,
    config: Mapping[str, Any],
    cache_dir: Path | None,
    files: Sequence[FileRecord] | None = None,
) -> None:
    """Start parsing ``repo_path`` in the worker pool before Hamilton, polars and Dagster load.

    Those imports take ~0.7 s (build) to ~1.5 s (materialize) of one core; the dataflow's
    extraction nodes in this process then take the results over (same bytes: ``parsing.prestart``).
    ``cache_dir``: the cache root whose per-file store is consulted, None for none. ``files``: the
    repository's walk when the caller has it already.
    """
    if config.get("dask_scheduler"):
        return  # the parse stage runs on the cluster's workers
    from hamilton_modules.parsing import prestart

    prestart(
        root=repo_path,
        languages=config["languages"],
        workers=config["workers"],
        max_file_bytes=config["max_file_bytes"],
        extraction_cache_dir=""
        if cache_dir is None
        else str(cache_dir / CACHE_DIRECTORY_INPUTS["extraction_cache_dir"]),
        files=files,
    )


def build_command(argv: list[str]) -> int:
    """``codeintel build REPO --out DIR [--languages ...] [--workers N] [--max-file-bytes N]``.

    Nothing runs when the output is up to date (``orchestration.freshness``): same repository
    content, config and code as the build that wrote ``DIR/manifest.json``, and its files intact.
    """
    # The collector paused while the libraries load, then frozen (``collector.paused_while_loading``):
    # a one-file re-run's collections take ~0.01 s of CPU instead of ~0.14 s (tokio).
    with paused_while_loading() as loaded:
        return _build_command(argv, loaded=loaded)


def _build_command(argv: list[str], *, loaded: Callable[[], None]) -> int:
    try:
        args = _build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse printed the usage line
        return int(exc.code or 0)
    repo = Path(args.repo)
    problem = _repo_problem(repo)
    if problem:
        print(f"codeintel build: {problem}", file=sys.stderr)
        return 2
    languages = (
        [item for value in args.languages for item in value.split(",") if item]
        if args.languages
        else None
    )
    try:
        config = dataflow_config(
            languages=languages,
            max_file_bytes=args.max_file_bytes,
            workers=args.workers,
            dask_scheduler=args.dask_scheduler,
        )
    except ValueError as exc:
        print(f"codeintel build: {exc}", file=sys.stderr)
        return 2
    if args.watch:
        return _watch_builds(args, config=config, loaded=loaded)
    return _build_once(args, config=config, code=None, loaded=loaded)[0]


def _build_once(
    args: argparse.Namespace,
    *,
    config: Mapping[str, Any],
    code: Mapping[str, Any] | None,
    loaded: Callable[[], None],
    quiet_when_fresh: bool = False,
    built_stamp: str | None = None,
    kept: KeptDataflow | None = None,
) -> tuple[int, str | None]:
    """One build of ``args.repo`` (nothing when its output is up to date): the exit code and
    the repository's stamp (None when it could not be read).

    ``code``: the code parts of the stamp (``freshness.code_parts``), None to read them now;
    ``quiet_when_fresh``: print nothing when the output is up to date; ``built_stamp``: the stamp
    of this process's last build, which makes an equal stamp up to date with ``--no-cache`` too
    (no manifest stamp is trusted then, but the watch built it itself); ``kept``: the watch's
    prepared dataflow, made by its first build that runs and used by the later ones.
    """
    resolved = str(Path(args.repo).resolve())
    inputs = {REPO_INPUT: resolved}
    out = Path(args.out)
    _tag_own_folders(out, cache_dir=args.cache_dir, no_cache=args.no_cache)
    # What the output depends on; recorded in the manifest, compared before anything heavy loads.
    files: list[FileRecord] | None = None
    parts: dict[str, Any] | None = None
    stamp: str | None = None
    with contextlib.suppress(OSError):  # the build's own inventory reports what it cannot read
        files = repository_files(repo_path=resolved, max_file_bytes=config["max_file_bytes"])
        parts = freshness.stamp_parts(
            inputs_fingerprint=repository_fingerprint(files),
            config=config,
            inputs=inputs,
            code=code if code is not None else freshness.code_parts(packages=CODE_PACKAGES),
        )
        stamp = freshness.build_stamp(parts)
    if stamp is not None and stamp == built_stamp and not args.force:
        return 0, stamp
    if stamp is not None and not (args.force or args.no_cache):
        previous = freshness.fresh_manifest(out_dir=out, stamp=stamp)
        if previous is not None:
            if quiet_when_fresh:
                return 0, stamp
            considered = previous["row_counts"].get("/".join(FILES_KEY))
            print(
                f"codeintel build: up to date, nothing to do: {len(previous['assets'])} tables, "
                f"{considered} files considered, unchanged since the last build -> {args.out} "
                "(--force runs the dataflow)",
                flush=True,
            )
            return 0, stamp
    from orchestration.locations import resolve_cache_dir

    # The dataflow of the languages the repository has (the stamp keeps the config asked for).
    run_config = dict(config) if files is None else languages_present(config, files)
    # The worker pool parses while Hamilton, polars and the driver load.
    parse_ahead(
        repo_path=resolved,
        config=run_config,
        cache_dir=None if args.no_cache else resolve_cache_dir(args.cache_dir),
        files=files,
    )
    from hamilton_modules.resolution_store import held_writes
    from orchestration.build import BuildError, build
    from orchestration.caching import CachePolicy, cache_config
    from orchestration.storage import StorageError

    hamilton_modules.DATAFLOW_MODULES  # noqa: B018 -- loads the dataflow's modules
    loaded()
    # Hamilton logs a chat-invitation banner and the failing node's traceback on every failure;
    # the command prints one line with the reason (BuildError).
    for hamilton_logger in ("hamilton.driver", "hamilton.execution.graph_functions"):
        logging.getLogger(hamilton_logger).setLevel(logging.CRITICAL)
    cache = cache_config(
        root=args.cache_dir,
        policy=CachePolicy(enabled=not args.no_cache, unstored=UNSTORED_NODES),
        directory_inputs=CACHE_DIRECTORY_INPUTS,
    )
    left_out = functools.partial(
        left_out_tables,
        built=run_config["languages"],
        left_out=[lang for lang in config["languages"] if lang not in run_config["languages"]],
    )
    # The inventory node takes the stamp's walk (the files the parse workers were given) instead
    # of walking the repository again.
    handed = (
        handed_walk(
            root=Path(resolved),
            max_file_bytes=config["max_file_bytes"],
            language_for_path=language_for_path,
            records=files,
        )
        if files is not None
        else contextlib.nullcontext()
    )
    # A watch's build (``kept``) holds the resolution store's write until it has reported: its
    # store object serves the resolution to the next build from memory, the database's copy is
    # for a later process (``resolution_store.held_writes``). A fresh build's is written beside
    # the rest of the build, and waited for at exit.
    with held_writes() if kept is not None else contextlib.nullcontext():
        try:
            with handed:
                manifest = build(
                    modules=hamilton_modules.DATAFLOW_MODULES,
                    config=run_config,
                    inputs=inputs,
                    out_dir=out,
                    translator=TRANSLATOR,
                    keep=present_languages_only(),
                    left_out=left_out,
                    cache=cache,
                    stamp=stamp,
                    stamp_parts=parts,
                    prepared=(
                        kept.prepared_for(config=run_config, cache=cache)
                        if kept is not None
                        else None
                    ),
                )
        except (BuildError, StorageError) as exc:
            print(f"codeintel build: {exc}", file=sys.stderr, flush=True)
            return 1, None
        considered = manifest["row_counts"].get("/".join(FILES_KEY))
        cached = manifest.get("cache") or {}
        cache_note = (
            f", cache {len(cached['hits'])} hits / {len(cached['misses'])} misses"
            + (f" / {len(cached['rebuilt'])} rebuilt" if cached.get("rebuilt") else "")
            + f" (build {cached['build_id']})"
            if cached
            else ""
        )
        print(
            f"codeintel build: {len(manifest['assets'])} tables, {considered} files considered, "
            f"{manifest['timings']['total_seconds']:.1f}s{cache_note} -> {args.out}",
            flush=True,
        )
    return 0, stamp


class KeptDataflow:
    """The prepared dataflow (``orchestration.build.PreparedDataflow``: the driver and the plan,
    0.1-0.3 s of a build) that a watch's builds share: made by the first one that runs.

    Every build of a watch has the same arguments, config and code, so the same dataflow; only
    the cache root is resolved again by each (``cache_config``: ``$CODEINTEL_CACHE_DIR`` when no
    ``--cache-dir``). A config or cache config that differs from the kept one's gets a dataflow
    of its own, which is kept instead: a driver is never reused for another config. So does a
    cache whose files are no longer the ones the kept stores opened (``_store_files``): the cache
    folder deleted, the database replaced or overwritten, before a build or during one (review
    r14b: noted after each build, a harm done during one passed for the stores' own files).
    The kept stores would write to a deleted file and a missing folder, or fail on each lookup;
    new ones start afresh (a damaged database is moved aside), as a new process would.
    """

    def __init__(self) -> None:
        self.prepared: PreparedDataflow | None = None
        # ``_store_files`` when the kept dataflow's stores opened them
        self._stores: tuple[tuple[int, ...] | None, ...] = ()

    def prepared_for(self, *, config: Mapping[str, Any], cache: CacheConfig) -> PreparedDataflow:
        """The kept dataflow when it fits ``config`` and ``cache``, a new one (then kept)
        otherwise."""
        from orchestration.build import prepare_dataflow

        modules = hamilton_modules.DATAFLOW_MODULES
        kept = self.prepared
        if (
            kept is None
            or not kept.fits(modules=modules, config=config, cache=cache)
            or _store_files(cache) != self._stores
        ):
            kept = prepare_dataflow(
                modules=modules, config=config, translator=TRANSLATOR, cache=cache
            )
            self.prepared = kept
            self._stores = _store_files(cache)  # (the stores open their files as they are made)
        return kept


_SQLITE_HEADER = b"SQLite format 3\x00"


def _store_files(cache: CacheConfig) -> tuple[tuple[int, ...] | None, ...]:
    """The files of the cache's stores: the database's and the results folder's device and
    inode; None for a missing one, and for a database that does not begin as SQLite's do (one
    overwritten in place keeps its inode; an empty one is new: its pages are in the WAL until a
    checkpoint); () with caching off. Another process's writes to the same cache change none of
    this."""
    if not cache.enabled:
        return ()
    from orchestration.cachedir import METADATA_FILE

    database = cache.root / METADATA_FILE
    found: list[tuple[int, ...] | None] = []
    for path in (database, cache.results_dir):
        try:
            status = path.stat()
            if path == database:
                with path.open("rb") as opened:
                    header = opened.read(len(_SQLITE_HEADER))
                if header not in (b"", _SQLITE_HEADER):
                    raise OSError(f"{path} is no SQLite database")
        except OSError:
            found.append(None)
        else:
            found.append((status.st_dev, status.st_ino))
    return tuple(found)


def _tag_own_folders(out: Path, *, cache_dir: str | None, no_cache: bool) -> None:
    """Tag the output folder and the cache root (``orchestration.cachedir``) before the walk
    that decides the stamp: when they lie inside the repository, that walk and the inventory's
    leave both out alike, from the first build on. ``cache_dir``: the ``--cache-dir`` value
    (None: the default root); ``no_cache``: no cache root is written. A folder that cannot be
    made is the build's to report."""
    from orchestration.cachedir import tag_cache_root, tag_folder
    from orchestration.locations import resolve_cache_dir

    with contextlib.suppress(OSError):
        tag_folder(out, ours=freshness.is_build_output)
    if not no_cache:
        with contextlib.suppress(OSError):
            tag_cache_root(resolve_cache_dir(cache_dir))


def _watch_builds(
    args: argparse.Namespace, *, config: Mapping[str, Any], loaded: Callable[[], None]
) -> int:
    """``--watch``: a build now, then one after each change of the repository that changes its
    stamp, in this process (``orchestration.watch``), until Ctrl-C or SIGTERM (exit code 0; a
    build in progress finishes first on SIGTERM; Ctrl-C stops it, status 130). Between builds
    Ctrl-C only sets ``stop``: raised there, it could land outside the watch's own wait (its
    bookkeeping, the report of a build) and end an idle watch with 130. A failed build is
    reported and the watch goes on: the next change may mend it. The stamp's code is the code
    this process loaded, read once: an edit of codeintel's own source takes a new process to
    apply (and to be recorded)."""
    import signal

    from orchestration.locations import resolve_cache_dir
    from orchestration.watch import RepositoryWatch

    repo = Path(args.repo).resolve()
    written = {"--out": Path(args.out).resolve()}
    if not args.no_cache:
        written["the cache folder"] = resolve_cache_dir(args.cache_dir).resolve()
    for what, folder in written.items():
        if folder == repo:
            # every build would change the repository it watches: a build after each build
            print(
                f"codeintel build: --watch needs {what} ({folder}) to be another folder than the "
                "repository (a folder of its own inside it is fine)",
                file=sys.stderr,
            )
            return 2
    # The build's own writes are no changes of the repository; a folder around the repository
    # (`--out .` for `src`) is not ignored, or nothing in the repository would count.
    ignore = [folder for folder in written.values() if folder not in repo.parents]
    loaded_once = _once(loaded)  # the collector runs again only once the libraries are loaded
    kept = KeptDataflow()  # one driver and plan for every build of the watch
    stop = threading.Event()
    # Set while a Ctrl-C must stop what runs: from the start to the end of the first build, and
    # each later build from the check of ``stop`` that precedes it (a Ctrl-C just before that
    # check sets ``stop``, and no build starts).
    building = threading.Event()
    building.set()

    def interrupted(signum: int, frame: object) -> None:
        stop.set()
        if building.is_set():
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    previous_interrupt = signal.signal(signal.SIGINT, interrupted)
    try:
        # watching from before the first build: a change made during a build is the next one's
        with RepositoryWatch(repo, ignore=ignore) as watch:
            with _set_while(building):
                code = freshness.code_parts(packages=CODE_PACKAGES)
                status, built = _build_once(
                    args, config=config, code=code, loaded=loaded_once, kept=kept
                )
            args.force = False  # the first build only: later ones run on changes
            print(f"codeintel build: watching {args.repo} for changes (Ctrl-C stops)", flush=True)
            for _ in watch.batches(stop=stop):
                with _set_while(building):
                    if stop.is_set():  # Ctrl-C or SIGTERM after the batch came: no build
                        break
                    problem = _repo_problem(repo)
                    if problem:
                        print(
                            f"codeintel build: {problem}; stopped watching",
                            file=sys.stderr,
                            flush=True,
                        )
                        return 2
                    status, stamp = _build_once(
                        args,
                        config=config,
                        code=code,
                        loaded=loaded_once,
                        quiet_when_fresh=True,
                        built_stamp=built,
                        kept=kept,
                    )
                if status == 0:
                    built = stamp
    except KeyboardInterrupt:  # Ctrl-C while ``building`` (a build's writes are atomic)
        print("codeintel build: interrupted, stopped watching", file=sys.stderr, flush=True)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_interrupt)
    return 0


@contextlib.contextmanager
def _set_while(flag: threading.Event) -> Iterator[None]:
    """``flag`` set for the ``with`` block."""
    flag.set()
    try:
        yield
    finally:
        flag.clear()


def _once(function: Callable[[], None]) -> Callable[[], None]:
    """``function`` on the first call, nothing on the later ones."""
    called: list[bool] = []

    def call() -> None:
        if not called:
            called.append(True)
            function()

    return call


# --- Dagster code location ----------------------------------------------------------------------
# `defs` is built on first access (PEP 562 module __getattr__), so `codeintel build` never imports
# Dagster. workspace.yaml loads attribute `defs`; `dagster definitions validate -w workspace.yaml`.

REPOS_PARTITIONS_NAME = "repos"
JOB_NAME = "codeintel_job"
CELERY_JOB_NAME = "codeintel_celery_job"
# The per-language parsing ops share this concurrency pool; its limit is set in dagster.yaml
# (`concurrency: pools: default_limit`) or with `dagster instance concurrency set`.
PARSE_POOL = "codeintel_parse"
# Run retries (enabled in dagster.yaml, `run_retries`) re-launch a run whose worker crashed.
RUN_TAGS = {"dagster/max_retries": "2"}

if TYPE_CHECKING:
    from dagster import Definitions, DynamicPartitionsDefinition
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )

    defs: Definitions


def build_definitions() -> Definitions:
    """Every asset of the dataflow, partitioned by repository, with checks, job and resources."""
    from dagster import (
        AssetSelection,
        Definitions,
        DynamicPartitionsDefinition,
        define_asset_job,
        in_process_executor,
    )

    from orchestration.assets import hamilton_assets
    from orchestration.caching import TIMINGS_FILE
    from orchestration.io_manager import HamiltonIOManager
    from orchestration.registry import path_input_from_registry
    from orchestration.resources import (
        HamiltonCacheResource,
        ReposRootResource,
        WarehouseResource,
        resolve_cache_dir,
    )
    from orchestration.sensors import build_new_repos_sensor, build_refresh_schedule
    from orchestration.telemetry import read_timings_file
    from orchestration.tracking import HamiltonTrackingResource

    repos = DynamicPartitionsDefinition(name=REPOS_PARTITIONS_NAME)
    assets = hamilton_assets(
        modules=hamilton_modules.DATAFLOW_MODULES,
        config=DATAFLOW_CONFIG,
        partitions_def=repos,
        translator=TRANSLATOR,
        inputs=path_input_from_registry(REPO_INPUT),
        pool=lambda op: PARSE_POOL if op.name in LANGUAGES else None,
        cache_resource_key="hamilton_cache",
        cache_directory_inputs=CACHE_DIRECTORY_INPUTS,
        tracking_resource_key="hamilton_tracking",
        # Measured node seconds of earlier runs weigh the critical path (priorities).
        timings=read_timings_file(resolve_cache_dir() / TIMINGS_FILE),
    )
    # In-process: a step's own work is ~1 s while a spawned step process pays ~3 s to import this
    # location, and the parse stage already uses every core through Hamilton's process pool. Steps
    # still start in `dagster/priority` order. Scale-out executors (Celery) attach their own job.
    job = define_asset_job(
        JOB_NAME,
        selection=AssetSelection.all(),
        partitions_def=repos,
        executor_def=in_process_executor,
        tags=RUN_TAGS,
    )
    return Definitions(
        assets=assets,
        jobs=[job, _celery_job(repos)],
        sensors=[build_new_repos_sensor(job_name=JOB_NAME, partitions_name=REPOS_PARTITIONS_NAME)],
        schedules=[
            build_refresh_schedule(job_name=JOB_NAME, partitions_name=REPOS_PARTITIONS_NAME)
        ],
        resources={
            "io_manager": HamiltonIOManager(),
            "warehouse": WarehouseResource(),
            "hamilton_cache": HamiltonCacheResource(unstored=list(UNSTORED_NODES)),
            "hamilton_tracking": HamiltonTrackingResource(),
            "repos_root": ReposRootResource(),
        },
    )


def _celery_job(repos: DynamicPartitionsDefinition) -> UnresolvedAssetJobDefinition:
    """``codeintel_job`` with each step on a Celery worker (Redis broker, see celery.py)."""
    from dagster import AssetSelection, define_asset_job

    from orchestration.celery import codeintel_celery_executor

    return define_asset_job(
        CELERY_JOB_NAME,
        selection=AssetSelection.all(),
        partitions_def=repos,
        executor_def=codeintel_celery_executor(),
        tags=RUN_TAGS,
        description="codeintel_job with every step on a Celery worker (see orchestration/celery.py)",
    )


def __dir__() -> list[str]:
    # Dagster's module loader (`dagster ... -m orchestration.definitions`, no `-a defs`) finds
    # definitions by dir() + getattr: list the lazily built `defs` so it is found and built.
    return sorted({*globals(), "defs"})


def __getattr__(name: str) -> Any:
    if name == "DATAFLOW_MODULES":
        modules = hamilton_modules.DATAFLOW_MODULES
        globals()["DATAFLOW_MODULES"] = modules
        return modules
    if name == "defs":
        import gc

        from orchestration.collector import gc_paused

        # Loading the dataflow and building its definitions allocate only objects that live as
        # long as the process (code server, CLI, run worker): no collection while they load, then
        # frozen, they are left out of every later full collection (Dagster's snapshot of the
        # definitions, the run), which would otherwise rescan them each time (~1 s per
        # `dagster definitions validate` of a 5,000-node graph, bench/bench_definitions.py). The
        # repository every loader builds from them (Definitions caches it) is built here too, for
        # the same reason (~0.07 s of collections per validate of that graph).
        with gc_paused():
            built = build_definitions()
            built.get_repository_def()
            gc.freeze()
        globals()["defs"] = built
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
