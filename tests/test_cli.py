"""The ``codeintel`` program (``orchestration.cli``): dispatch, exit status, and its exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def _program(probe: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    return subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env
    )


def test_the_program_freezes_what_is_left_before_the_interpreter_ends() -> None:
    """``console_main`` returns ``main``'s status and leaves every object frozen, so the
    interpreter's last collection skips them."""
    probe = (
        "import atexit, gc, sys\n"
        "from orchestration.cli import console_main\n"
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
        "sys.argv = ['codeintel', '--help']\n"
        "status = console_main()\n"
        "print('status:', status)\n"
    )
    result = _program(probe)
    assert result.returncode == 0, result.stderr
    assert "usage: codeintel COMMAND" in result.stdout
    assert "status: 0" in result.stdout
    assert "frozen at exit: True" in result.stdout


def test_a_failing_command_keeps_its_exit_status(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-repo"
    completed = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "build", str(missing), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=PROJECT,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )
    assert completed.returncode != 0
    assert str(missing) in completed.stderr
    unknown = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "no-such-command"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )
    assert unknown.returncode == 2
    assert "unknown command 'no-such-command'" in unknown.stderr
