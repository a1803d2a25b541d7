"""Progress bars on a terminal: `codeintel build` (nodes) and `codeintel materialize` (steps).

Each command runs in a real pseudo-terminal, so it sees a TTY as a user would; without one (the
other tests, CI logs) the same commands print plain lines.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.hardening_support import CODEINTEL, PROJECT, clean_env, write_polyglot_repo
from tests.instance_home import new_dagster_home


def _run_in_terminal(
    argv: Sequence[str], *, env: Mapping[str, str], timeout: float = 300
) -> tuple[int, str]:
    """Run ``argv`` with stdin, stdout and stderr on a new pseudo-terminal; (exit code, output)."""
    controller, terminal = pty.openpty()
    # A real terminal has a size; tqdm draws nothing on one 0 columns wide.
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    process = subprocess.Popen(
        list(argv), stdin=terminal, stdout=terminal, stderr=terminal, env=dict(env), cwd=PROJECT
    )
    os.close(terminal)
    output = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 1.0)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                data = os.read(controller, 65536)
            except OSError:  # EIO: the command exited and closed the terminal
                break
            if not data:
                break
            output += data
        return process.wait(timeout=max(1.0, deadline - time.monotonic())), output.decode(
            "utf-8", errors="replace"
        )
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)


def test_build_shows_a_node_bar_on_a_terminal(tmp_path: Path) -> None:
    repo = write_polyglot_repo(tmp_path / "repo", files_per_language=3)
    argv = [str(CODEINTEL), "build", str(repo), "--out", str(tmp_path / "out"), "--no-cache"]
    code, output = _run_in_terminal(argv, env=clean_env())
    assert code == 0, output
    assert re.search(r"codeintel:\s+\d+%\|.*node", output), output
    assert "codeintel build: " in output.splitlines()[-1]


def test_materialize_shows_a_step_bar_on_a_terminal(tmp_path: Path) -> None:
    repo = write_polyglot_repo(tmp_path / "repo", files_per_language=2)
    home = new_dagster_home(tmp_path / "home")
    env = clean_env(DAGSTER_HOME=str(home), CODEINTEL_CACHE_DIR=str(tmp_path / "cache"))
    argv = [str(CODEINTEL), "materialize", str(repo), "--key", "demo"]
    code, output = _run_in_terminal(argv, env=env, timeout=600)
    assert code == 0, output
    assert re.search(r"demo:\s+\d+%\|.*\| \d+/\d+ \[.*step", output), output
    assert not re.search(r"\[\d+/\d+\] repo_inventory: ok", output), output  # the bar, not lines
    assert "summary: 1/1 repositories ok" in output
