# The README's two commands: `make run` and `make test`. Both set up .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.codeintel-installed
export DAGSTER_HOME ?= $(CURDIR)/dagster_home

.PHONY: setup run ui test lint format pytest bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
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

clean:
	rm -rf $(VENV) .pytest_cache
