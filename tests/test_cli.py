"""The ``codeintel`` program (``orchestration.cli``): dispatch, exit status, and its exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def _python(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    return subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, timeout=120, env=env, cwd=PROJECT
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
    result = _python("-c", probe)
    assert result.returncode == 0, result.stderr
    assert "usage: codeintel COMMAND" in result.stdout
    assert "status: 0" in result.stdout
    assert "frozen at exit: True" in result.stdout


def test_a_failing_command_keeps_its_exit_status() -> None:
    # (a failing `build` and its status: tests/test_build.py, through the installed script)
    unknown = _python("-m", "orchestration.cli", "no-such-command")
    assert unknown.returncode == 2
    assert "unknown command 'no-such-command'" in unknown.stderr


def test_the_programs_tests_start_run_this_checkouts_code(tmp_path: Path) -> None:
    """A process started with the tests' environment (``tests/conftest.py``) imports
    ``orchestration`` and ``hamilton_modules`` from this checkout, wherever the venv's editable
    install points and whatever the process's folder: a worktree sharing the venv tests its own
    code."""
    probe = "import orchestration, hamilton_modules; print(orchestration.__file__, hamilton_modules.__file__)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    for module_file in result.stdout.split():
        assert Path(module_file).resolve().is_relative_to(PROJECT), module_file
