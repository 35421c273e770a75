# One entry point for people and CI. `make demo` and `make test` set everything up themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup setup-dev demo test lint typecheck unit notebooks notebooks-strip docs clean

$(BIN)/.core: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(BIN)/.dev: $(BIN)/.core
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/.core       ## .venv with wickgraph (editable) and what it needs to run
setup-dev: $(BIN)/.dev    ## ... plus the notebook, server and development tools

demo: setup  ## build the graph into the default store, answer questions, write the HTML views to out/
	$(BIN)/wickgraph build
	$(BIN)/wickgraph query lead-of --format table
	$(BIN)/wickgraph query lead-of --as-of 2024-01-03 --format table
	$(BIN)/wickgraph query writing-history --format table
	$(BIN)/wickgraph query story-order --format table
	$(BIN)/wickgraph show "Ruska Roma"
	mkdir -p out
	$(BIN)/wickgraph viz -o out/wickgraph.html
	$(BIN)/wickgraph viz --focus "Ana de Armas" --depth 2 -o out/ana-de-armas.html
	$(BIN)/wickgraph viz --story-order -o out/story-order.html
	@echo "HTML views written to out/ (open them in a browser; they work offline)"

lint: setup-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: setup-dev
	$(BIN)/mypy

unit: setup-dev
	$(BIN)/pytest

test: lint typecheck unit  ## everything CI runs (the notebooks run in `unit`: tests/test_notebooks.py)

notebooks: setup-dev  ## run every notebook on a fresh graph; executed copies go to notebooks/executed/ (not in git)
	$(BIN)/python -m wickgraph.notebook.execute notebooks/[0-9]*.ipynb --out notebooks/executed

notebooks-strip: setup-dev  ## clear outputs and metadata from the saved notebooks (before committing an edit)
	$(BIN)/python -m wickgraph.notebook.execute notebooks/[0-9]*.ipynb --strip

bench: setup-dev  ## the scale benchmark (10k, 100k, 1M quads; it starts servers, so it needs the server extra): writes docs/benchmarks.md; BENCH_ARGS="--sizes 10k,100k,1M,10M" adds 10M
	$(BIN)/python benchmarks/scale.py $(BENCH_ARGS)

docs: setup  ## regenerate the generated pages: docs/cli.md (from --help) and docs/queries.md (from the .rq headers)
	$(BIN)/python -m wickgraph.cli._reference
	$(BIN)/python -m wickgraph.queries._reference

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache notebooks/executed
