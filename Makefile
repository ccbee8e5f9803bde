# `make run` and `make test` do all the set-up on a fresh machine: a virtualenv in
# .venv with breakd installed (editable) and its test tools.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/breakd: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m compileall -q breakd  # as a wheel install would: no compiling at each start
	touch $@

run: $(BIN)/breakd
	$(BIN)/breakd run

test: $(BIN)/breakd lint
	$(BIN)/pytest

lint: $(BIN)/breakd
	$(BIN)/ruff check breakd tests benchmarks
	$(BIN)/ruff format --check breakd tests benchmarks

bench: $(BIN)/breakd
	$(BIN)/python benchmarks/footprint.py $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
