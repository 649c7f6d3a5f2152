# Two entry points on a fresh machine with Python 3.11: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test test-fast lint install chromium

$(BIN)/hanil: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/hanil

install: $(BIN)/hanil

# Index the seed articles and serve them on http://$(HOST):$(PORT)/.
serve: install
	$(BIN)/hanil reindex seeds
	$(BIN)/hanil serve --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser test (Playwright drives it; it downloads no browser).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The whole test suite, as CI runs it (CI also sets HANIL_REQUIRE_DATA=1: tests that read
# ../shared/data then fail instead of skipping when it is absent).
test: lint chromium
	$(BIN)/python -m pytest

# The edit-test loop: everything but the tests marked slow.
test-fast: install
	$(BIN)/python -m pytest -m "not slow" -q
