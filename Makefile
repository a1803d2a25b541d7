# The README's two commands: `make run` and `make test`. Both set up .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.codeintel-installed
export DAGSTER_HOME ?= $(CURDIR)/dagster_home

.PHONY: setup run ui hamilton-ui daemon worker test lint format pytest bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,ui,dask]'
	touch $(STAMP)

setup: $(STAMP)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pyright
	$(BIN)/pyrefly check

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

pytest: setup
	$(BIN)/pytest

test: lint pytest

# Every bench/bench_*.py on the corpora (fetched from the registries when missing); each rewrites
# its section of bench/RESULTS.md.
bench: setup
	$(BIN)/python -m bench.run_all

# Materialize this repository through Dagster on the embedded instance in $(DAGSTER_HOME);
# `make ui` then shows the run, the assets of partition `codeintel` and their checks.
run: setup
	$(BIN)/codeintel materialize . --key codeintel

ui: setup
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1

# The Hamilton UI on 127.0.0.1:8241 (state in $(DAGSTER_HOME)/hamilton_ui). Runs are tracked when
# CODEINTEL_HAMILTON_API_URL=http://127.0.0.1:8241, CODEINTEL_HAMILTON_PROJECT and _USER are set.
hamilton-ui: setup
	$(BIN)/python -m orchestration.tracking serve --port 8241 --base-dir $(DAGSTER_HOME)/hamilton_ui

# The daemon on its own (sensors, schedules, queued runs, run retries), for a deployment that serves
# the UI with `dagster-webserver -w workspace.yaml -h 127.0.0.1`; `make ui` already runs one.
daemon: setup
	$(BIN)/dagster-daemon run -w workspace.yaml

# One Celery worker for codeintel_celery_job; broker and backend from dagster_home/celery_worker.yaml
# (regenerate it with `python -m orchestration.celery dagster_home/celery_worker.yaml`).
worker: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dagster-celery worker start -A dagster_celery.app \
		-y $(CURDIR)/dagster_home/celery_worker.yaml

clean:
	rm -rf $(VENV) .pytest_cache
