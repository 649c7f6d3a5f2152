# Two entry points on a fresh machine with Python 3.11: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve test lint install

$(BIN)/hanil: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/hanil

install: $(BIN)/hanil

# Run the service on the seed articles.
serve: install
	$(BIN)/hanil analyze - < seeds/000_2d4bb3cd12e22502.txt

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The whole test suite, as CI runs it.
test: lint
	$(BIN)/python -m pytest
