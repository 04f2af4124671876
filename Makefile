# The README's two commands are `make run` and `make test`; both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARCHIVE ?=

.PHONY: run test lint screenshots bench-gui bench-gui-quick system-deps clean

system-deps:
	@bash .ci/system-deps.sh $(PYTHON)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: system-deps $(STAMP)
	$(BIN)/archive-browser $(if $(ARCHIVE),--archive $(ARCHIVE))

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: system-deps $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

screenshots: system-deps $(STAMP)
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest -q tests/ui/test_real_window.py

bench-gui: system-deps $(STAMP)
	$(BIN)/python -m bench.gui --files 2000 --articles 100000

bench-gui-quick: system-deps $(STAMP)
	$(BIN)/python -m bench.gui --files 300 --articles 10000

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
