# The README's two commands are `make run` and `make test`; both create .venv when it is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARCHIVE ?=

.PHONY: run test stress lint app screenshots bench bench-quick bench-gui bench-gui-quick bench-startup bench-extraction bench-entities system-deps clean

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

# The long reliability runs (docs/reliability.md): many kill points, injected faults, fuzzing, load.
stress: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -m stress

# The packaged app: dist/archive-browser/ (window and CLI) and dist/archive-browser-<version>-linux-x86_64.tar.gz.
# PyInstaller only warns when it cannot resolve a library the xcb platform plugin or Qt's core needs, and
# such a bundle breaks on the user's machine: that warning fails the build here.
app: system-deps $(STAMP)
	@mkdir -p build
	set -o pipefail; $(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build build_app.spec 2>&1 | tee build/pyinstaller.log
	@! grep -E "could not resolve '[^']+', dependency of '[^']*(libqxcb|XcbQpa|libQt6(Core|Gui|Widgets|DBus))" build/pyinstaller.log \
		|| { echo "error: a library Qt's window needs was not found on this machine (see above); install it and build again" >&2; exit 1; }
	cp resources/archive-browser.desktop resources/archive-browser.png dist/archive-browser/
	tar -C dist -czf dist/archive-browser-$$($(BIN)/python -c 'import desktop; print(desktop.__version__)')-linux-x86_64.tar.gz archive-browser
	@du -sh dist/archive-browser dist/*.tar.gz

bench-startup: app
	$(BIN)/python -m bench.startup

screenshots: system-deps $(STAMP)
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest -q tests/ui/test_real_window.py

# Our search stack beside SQLite FTS5 on the same generated corpus (docs/performance.md holds the figures).
bench: system-deps $(STAMP)
	$(BIN)/python -m bench.engines --articles 100000 --gui 2000

bench-quick: system-deps $(STAMP)
	$(BIN)/python -m bench.engines --articles 2000 --gui 200

# The story kept from real news pages against their true article bodies (bench/data/README.md: the pages).
bench-extraction: $(STAMP)
	$(BIN)/python -m bench.extraction

bench-gui: system-deps $(STAMP)
	$(BIN)/python -m bench.gui --files 2000 --articles 100000

bench-gui-quick: system-deps $(STAMP)
	$(BIN)/python -m bench.gui --files 300 --articles 10000

# Entity extraction on our labelled stories (bench/data/entities/): precision and recall per kind, development and held-out, and speed.
bench-entities: $(STAMP)
	$(BIN)/python -m bench.entities

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
