"""`codeintel` command line: one entry point, one module per subcommand.

Each subcommand lives in the module that owns the feature and parses its own arguments, so
``codeintel plan`` never pays for Dagster definitions and ``codeintel build`` never starts Dagster.
"""

from __future__ import annotations

import gc
import importlib
import sys
import warnings
from collections.abc import Callable, Sequence

# subcommand -> (module, function taking argv and returning an exit code, one-line help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": (
        "orchestration.definitions",
        "build_command",
        "run the dataflow on one repository with plain Hamilton (no Dagster)",
    ),
    "plan": (
        "orchestration.plan_command",
        "main",
        "show how the Hamilton graph is cut into Dagster assets, and why",
    ),
    "materialize": (
        "orchestration.materialize_command",
        "materialize_main",
        "register repositories and materialize them through Dagster",
    ),
    "repos": (
        "orchestration.materialize_command",
        "repos_main",
        "add, list or remove partition-key -> repository-path registrations",
    ),
    "cache": (
        "orchestration.cache_command",
        "cache_main",
        "report a run's Hamilton cache hits and misses; prune the cache",
    ),
}


def _usage() -> str:
    lines = ["usage: codeintel COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<12} {help_}" for name, (_, _, help_) in COMMANDS.items()]
    return "\n".join(lines)


_python_formatwarning = warnings.formatwarning


def _format_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    line: str | None = None,
) -> str:
    """Our own warnings (e.g. a damaged cache entry) as the one line they say, not source code."""
    if category.__module__.split(".")[0] in {"orchestration", "hamilton_modules"}:
        return f"{message}\n"
    return _python_formatwarning(message, category, filename, lineno, line)


def main(argv: Sequence[str] | None = None) -> int:
    warnings.formatwarning = _format_warning
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(_usage())
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        print(f"codeintel: unknown command {command!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module_name, function_name, _ = COMMANDS[command]
    handler: Callable[[list[str]], int] = getattr(
        importlib.import_module(module_name), function_name
    )
    return handler(rest)


def console_main() -> int:
    """The ``codeintel`` program: :func:`main`, in a process that ends when it returns.

    Before the interpreter shuts down, every object left is frozen (``gc.freeze``), so its final
    garbage collection does not walk the millions of objects Dagster, Hamilton and polars leave:
    that walk was ~0.5 s of every ``codeintel materialize`` (bench/RESULTS.md). Exit handlers and
    ``weakref.finalize`` callbacks still run, and every object is still freed when its last
    reference goes; only objects kept alive by reference cycles are left to the operating system,
    whose ``__del__`` Python never promises to call at exit anyway (our files are closed, and
    written atomically, before a command returns). Not in :func:`main`, which tests call in their
    own long-lived process.
    """
    try:
        return main()
    finally:
        gc.freeze()


if __name__ == "__main__":
    raise SystemExit(console_main())
