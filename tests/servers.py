"""Real servers for end-to-end tests, on free 127.0.0.1 ports, stopped by their process group.

Every server is started in a new session (``start_new_session=True``): it and every child it
spawns (Dagster code servers, run workers, Celery pool processes) share one process group, which
``ServerProcess.stop`` signals as a whole, first gently, then with SIGKILL. Use them as context
managers so they stop even when a test fails. Output goes to a log file, shown on failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"
UNPRIVILEGED_USER = "nobody"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((LOOPBACK, port)) == 0


class ServerError(RuntimeError):
    """A server did not start or answer; the message ends with the tail of its log."""


@dataclass
class ServerProcess:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pgid(self) -> int:
        return self.process.pid  # the session leader's pid is its group id

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def fail(self, message: str) -> ServerError:
        return ServerError(f"{self.name}: {message}\n--- {self.log_path} ---\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.process.poll() is None

    def group_alive(self) -> bool:
        try:
            os.killpg(self.pgid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def stop(self, *, first_signal: int = signal.SIGTERM, grace_seconds: float = 15) -> None:
        """Signal the whole process group; SIGKILL whatever is left after ``grace_seconds``."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pgid, first_signal)
        deadline = time.monotonic() + grace_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None and not self.group_alive():
                break
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)


def start_process(
    name: str,
    command: Sequence[str],
    *,
    log_path: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path = PROJECT,
    user: str | None = None,
) -> ServerProcess:
    """Start ``command`` in a new session (its own process group), output to ``log_path``."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("ab")
    try:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            user=user,
            group=pwd.getpwnam(user).pw_gid if user is not None else None,
            extra_groups=[] if user is not None else None,
        )
    finally:
        log.close()
    return ServerProcess(name=name, process=process, log_path=log_path)


def wait_until(
    ready: Callable[[], bool], *, server: ServerProcess, timeout: float, what: str
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if not server.alive():
            raise server.fail(f"exited with {server.process.returncode} before {what}")
        time.sleep(0.25)
    raise server.fail(f"not {what} after {timeout:.0f}s")


@contextlib.contextmanager
def running(
    name: str,
    command: Sequence[str],
    *,
    log_path: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path = PROJECT,
    user: str | None = None,
    first_signal: int = signal.SIGTERM,
) -> Iterator[ServerProcess]:
    server = start_process(name, command, log_path=log_path, env=env, cwd=cwd, user=user)
    try:
        yield server
    finally:
        server.stop(first_signal=first_signal)


# --- Redis ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Redis:
    port: int
    server: ServerProcess

    def url(self, db: int = 0) -> str:
        return f"redis://{LOOPBACK}:{self.port}/{db}"


@contextlib.contextmanager
def redis_server(workdir: Path) -> Iterator[Redis]:
    executable = shutil.which("redis-server")
    if executable is None:
        raise ServerError("redis-server is not installed (apt-get install -y redis-server)")
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    command = [
        executable,
        "--bind", LOOPBACK,
        "--port", str(port),
        "--dir", str(workdir),
        "--save", "",
        "--appendonly", "no",
        "--daemonize", "no",
    ]  # fmt: skip
    with running("redis-server", command, log_path=workdir / "redis.log") as server:
        wait_until(lambda: port_open(port), server=server, timeout=30, what="listening")
        yield Redis(port=port, server=server)


# --- Dask -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DaskCluster:
    address: str
    scheduler: ServerProcess
    workers: tuple[ServerProcess, ...]


@contextlib.contextmanager
def dask_cluster(
    workdir: Path, *, workers: int = 2, worker_env: Mapping[str, str] | None = None
) -> Iterator[DaskCluster]:
    """``dask scheduler`` and ``workers`` single-threaded ``dask worker`` processes on loopback
    (``worker_env``: the workers' environment, else this process's)."""
    port = free_port()
    address = f"tcp://{LOOPBACK}:{port}"
    dask = str(VENV_BIN / "dask")
    scheduler_command = [
        dask, "scheduler",
        "--host", LOOPBACK,
        "--port", str(port),
        "--no-dashboard",
    ]  # fmt: skip
    with contextlib.ExitStack() as stack:
        scheduler = stack.enter_context(
            running("dask-scheduler", scheduler_command, log_path=workdir / "scheduler.log")
        )
        wait_until(lambda: port_open(port), server=scheduler, timeout=60, what="listening")
        started = []
        for number in range(workers):
            worker_command = [
                dask, "worker", address,
                "--host", LOOPBACK,
                "--nworkers", "1",
                "--nthreads", "1",
                "--no-dashboard",
                "--name", f"worker-{number}",
                "--local-directory", str(workdir / f"worker-{number}"),
            ]  # fmt: skip
            started.append(
                stack.enter_context(
                    running(
                        f"dask-worker-{number}",
                        worker_command,
                        log_path=workdir / f"worker-{number}.log",
                        env=worker_env,
                    )
                )
            )
        yield DaskCluster(address=address, scheduler=scheduler, workers=tuple(started))


# --- PostgreSQL -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Postgres:
    port: int
    user: str
    database: str
    server: ServerProcess

    @property
    def host(self) -> str:
        return LOOPBACK


def _postgres_bin(name: str) -> str:
    # Debian keeps them in /usr/lib/postgresql/<major>/bin, off PATH unless linked.
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    initdb = shutil.which("initdb") or (str(installed[-1]) if installed else None)
    if initdb is None:
        raise ServerError(
            "PostgreSQL binaries (initdb, postgres) are neither on PATH nor in "
            "/usr/lib/postgresql/*/bin (apt-get install -y postgresql)"
        )
    found = shutil.which(name) or str(Path(initdb).resolve().parent / name)
    if not Path(found).exists():
        raise ServerError(f"PostgreSQL binary {name!r} not found next to {initdb}")
    return found


def _run_as(user: str | None, command: Sequence[str]) -> None:
    completed = subprocess.run(
        list(command),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        user=user,
        group=pwd.getpwnam(user).pw_gid if user is not None else None,
        extra_groups=[] if user is not None else None,
    )
    if completed.returncode != 0:
        raise ServerError(f"{' '.join(command)} failed:\n{completed.stdout}\n{completed.stderr}")


@contextlib.contextmanager
def postgres_server(*, database: str = "dagster") -> Iterator[Postgres]:
    """A throw-away cluster: ``initdb`` in a fresh temp dir, ``postgres`` on a free port.

    initdb refuses to run as root, so as root the cluster belongs to ``nobody``: its folder is a
    new ``mkdtemp`` (pytest's own temp folders are private to root) handed over with chown.
    """
    user = UNPRIVILEGED_USER if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix="codeintel-pg-"))
    try:
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(base, entry.pw_uid, entry.pw_gid)
        data = base / "data"
        _run_as(
            user,
            [
                _postgres_bin("initdb"),
                "-D", str(data),
                "-U", "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ],
        )  # fmt: skip
        port = free_port()
        command = [
            _postgres_bin("postgres"),
            "-D", str(data),
            "-p", str(port),
            "-h", LOOPBACK,
            "-k", str(base),
            "-c", "fsync=off",
        ]  # fmt: skip
        # SIGINT is PostgreSQL's "fast" shutdown: it disconnects clients instead of waiting.
        with running(
            "postgres",
            command,
            log_path=base / "postgres.log",
            user=user,
            cwd=base,
            first_signal=signal.SIGINT,
        ) as server:
            wait_until(lambda: _pg_ready(port), server=server, timeout=60, what="accepting")
            _create_database(port, database)
            yield Postgres(port=port, user="postgres", database=database, server=server)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _pg_ready(port: int) -> bool:
    import psycopg2

    try:
        psycopg2.connect(host=LOOPBACK, port=port, user="postgres", dbname="postgres").close()
    except psycopg2.OperationalError:
        return False
    return True


def _create_database(port: int, database: str) -> None:
    import psycopg2

    connection = psycopg2.connect(host=LOOPBACK, port=port, user="postgres", dbname="postgres")
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{database}"')
    finally:
        connection.close()


# --- Dagster webserver + daemon ----------------------------------------------------------------


def dagster_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a Dagster process on ``home``; codeintel variables only from ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CODEINTEL_", "DAGSTER_"))
    }
    env["DAGSTER_HOME"] = str(home)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


@dataclass(frozen=True)
class DagsterServers:
    port: int
    webserver: ServerProcess
    daemon: ServerProcess

    @property
    def graphql_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/graphql"

    def graphql(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """POST a GraphQL query; raises with the server's errors, returns ``data``."""
        body = json.dumps({"query": query, "variables": dict(variables or {})}).encode()
        request = urllib.request.Request(
            self.graphql_url, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = json.loads(response.read())
        if payload.get("errors"):
            raise AssertionError(f"GraphQL errors: {payload['errors']}")
        return payload["data"]


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def dagster_webserver_and_daemon(
    *, home: Path, env: Mapping[str, str], workspace: Path = PROJECT / "workspace.yaml"
) -> Iterator[DagsterServers]:
    """``dagster-webserver`` and ``dagster-daemon run`` on ``home``; both stopped on exit."""
    port = free_port()
    logs = home / "server_logs"
    webserver_command = [
        str(VENV_BIN / "dagster-webserver"),
        "-h", LOOPBACK,
        "-p", str(port),
        "-w", str(workspace),
    ]  # fmt: skip
    daemon_command = [str(VENV_BIN / "dagster-daemon"), "run", "-w", str(workspace)]
    # One after the other: on a brand-new home, two processes creating the SQLite schema at once
    # race ("table alembic_version already exists").
    with running(
        "dagster-webserver", webserver_command, log_path=logs / "webserver.log", env=env
    ) as webserver:
        wait_until(
            lambda: _http_ok(f"http://{LOOPBACK}:{port}/server_info"),
            server=webserver,
            timeout=180,
            what="serving /server_info",
        )
        with running(
            "dagster-daemon", daemon_command, log_path=logs / "daemon.log", env=env
        ) as daemon:
            yield DagsterServers(port=port, webserver=webserver, daemon=daemon)
