# One entry point for people and CI. `make demo` and `make test` set everything up themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test lint typecheck unit clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/.installed  ## create .venv and install wickgraph with its development tools

demo: setup  ## build the graph into the default store and answer questions from it
	$(BIN)/wickgraph build
	$(BIN)/wickgraph query lead-of --format table
	$(BIN)/wickgraph query lead-of --as-of 2024-01-03 --format table
	$(BIN)/wickgraph query writing-history --format table
	$(BIN)/wickgraph query set-between --format table
	$(BIN)/wickgraph show "Ruska Roma"

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest

test: lint typecheck unit  ## everything CI runs

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
