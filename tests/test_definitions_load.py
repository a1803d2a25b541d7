"""What loading a code location built with ``hamilton_assets`` imports.

A location loads on every ``dagster definitions validate`` and in every run worker; defining the
assets needs the plan and Dagster's objects, not what only a running op uses (the cache
integration, Parquet storage, the Hamilton UI tracker, progress bars) nor polars.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

DATAFLOW = '''\
from hamilton.function_modifiers import check_output


def numbers(seed: int) -> list:
    """Some numbers."""
    return [seed, seed + 1]


@check_output(data_type=list, importance="warn")
def total(numbers: list) -> int:
    return sum(numbers)


def doubled(total: int) -> int:
    return 2 * total
'''

LOCATION = """\
import os
import sys
from pathlib import Path

os.environ.setdefault("HAMILTON_AUTOLOAD_EXTENSIONS", "0")
sys.path.insert(0, str(Path(__file__).parent))

import load_flow
from dagster import Definitions

from orchestration import HamiltonIOManager, hamilton_assets

defs = Definitions(
    assets=hamilton_assets(modules=[load_flow], config={}, inputs={"seed": 1}),
    resources={"io_manager": HamiltonIOManager()},
)
"""

RUN_TIME_ONLY = (
    "orchestration.caching",
    "orchestration.storage",
    "orchestration.tracking",
    "tqdm",
    "polars",
    "pyarrow.parquet",
)


def test_loading_the_definitions_leaves_run_time_modules_unloaded(tmp_path: Path) -> None:
    (tmp_path / "load_flow.py").write_text(DATAFLOW)
    (tmp_path / "location.py").write_text(LOCATION)
    probe = (
        "import sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "import location\n"
        "from dagster._core.remote_representation.external_data import RepositorySnap\n"
        "repository = location.defs.get_repository_def()\n"
        "RepositorySnap.from_def(repository)\n"
        "print('assets:', sorted(k.to_user_string() for k in repository.assets_defs_by_key))\n"
        f"print('loaded:', sorted(set({RUN_TIME_ONLY!r}) & set(sys.modules)))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT),
        "DAGSTER_HOME": str(tmp_path / "home"),
        "CODEINTEL_CACHE_DIR": str(tmp_path / "cache"),
    }
    (tmp_path / "home").mkdir()
    # The first load writes the code-version store (orchestration.code_versions, through
    # orchestration.storage's atomic writer); the second is every later load.
    results = [
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, env=env
        )
        for _ in range(2)
    ]
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    result = results[-1]
    assert (tmp_path / "cache" / "code_versions.json").is_file()
    assert "assets: ['doubled', 'total']" in result.stdout
    assert "loaded: []" in result.stdout
