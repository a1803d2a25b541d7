"""The parse/extract stage on a Dask cluster (``dask.distributed``), when one is configured.

``dataflow_config(dask_scheduler="tcp://host:8786")`` (``codeintel build --dask-scheduler``, or
``CODEINTEL_DASK_SCHEDULER`` for the code location) sends each language's parse chunks to the
cluster's workers as ``dask.distributed`` futures instead of the local spawn pool; everything else
of the op (inventory, tables, CPG, caching, checks) stays in the Dagster step. The workers run the
same worker body as the local pool (``parsing._extract_chunk_pickled``: read, verify the sha256
the inventory recorded, extract), so they need this package installed and the repository at the
same path (one machine, or a shared volume), and the results are the same bytes. Workers send
their extractor version, first asked alone (``on_each_worker``: a function every version has),
then with their results (``parsing._extract_chunk_versioned``): a worker on other extraction code
fails the node before any of its rows is used or stored.

Why not Hamilton's ``DaskExecutor``: it runs ``Parallelizable``/``Collect`` blocks of a driver in
dynamic-execution mode, which would make every op's driver task-based and ship the lifecycle
adapters (cache store, telemetry) to the workers; here only the hot loop moves, behind the
per-file extraction store, so an unchanged file is still never sent anywhere.

A configured cluster that cannot be reached, has no workers, or loses a task is an error of the
node (a clear message, the run fails): it is never silently replaced by local parsing.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable, Sequence
from typing import Any

# Seconds to wait for the scheduler, then for at least one worker.
CONNECT_TIMEOUT = 10.0
WORKER_TIMEOUT = 30.0

_CLIENTS: dict[str, Any] = {}
_CLIENTS_LOCK = threading.Lock()


class ParseClusterError(RuntimeError):
    """The configured Dask cluster cannot take the parse stage; the message says why."""


def _client(address: str) -> Any:
    """One ``distributed.Client`` per scheduler address and process, closed at exit."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ParseClusterError(
            f"dask_scheduler is {address!r} but dask.distributed is not installed "
            "(pip install 'codeintel[dask]')"
        ) from exc
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(address)
        if client is not None and client.status == "running":
            return client
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ParseClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        _CLIENTS[address] = client
        return client


@atexit.register
def close_clients() -> None:
    """Close this process's connections to Dask schedulers (also done at exit)."""
    with _CLIENTS_LOCK:
        for client in _CLIENTS.values():
            client.close()
        _CLIENTS.clear()


def cluster_threads(address: str) -> int:
    """Worker threads of the cluster (at least one worker is waited for)."""
    client = _client(address)
    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except TimeoutError as exc:
        raise ParseClusterError(
            f"the Dask scheduler at {address} has no workers (waited {WORKER_TIMEOUT:.0f} s)"
        ) from exc
    return max(1, sum(client.nthreads().values()))


def on_each_worker(address: str, function: Callable[[], Any]) -> dict[str, Any]:
    """``function()`` on every worker of the cluster, by worker address. (A worker that cannot
    unpickle ``function``, a module function its code lacks, fails the call; the same worker
    given such a task by ``map_on_cluster`` drops its connection, and the task waits forever.)"""
    client = _client(address)
    try:
        return dict(client.run(function))
    except Exception as exc:
        raise ParseClusterError(
            f"the Dask workers at {address} cannot run {function.__module__}."
            f"{function.__qualname__}: {type(exc).__name__}: {exc}"
        ) from exc


def map_on_cluster(
    address: str,
    function: Callable[..., Any],
    *argument_lists: Sequence[Any],
    workers: Sequence[str] | None = None,
) -> list[Any]:
    """``[function(*arguments) ...]`` on the cluster (on ``workers`` only, when given: worker
    addresses), results in argument order."""
    client = _client(address)
    futures = client.map(
        function,
        *argument_lists,
        pure=False,
        workers=None if workers is None else list(workers),
        allow_other_workers=False,
    )
    try:
        return client.gather(futures)
    except Exception as exc:
        # A worker error (or a worker lost with its task: KilledWorker) fails the node.
        raise ParseClusterError(
            f"the parse stage failed on the Dask cluster {address}: {type(exc).__name__}: {exc}"
        ) from exc
    finally:
        client.cancel(futures)  # nothing to cancel after a success; frees the rest after an error
