# The two commands a new machine needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast screenshots bundle bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: install into .venv and open ExamDesk on the demo database (created on first use)
run: install
	$(BIN)/examdesk demo

## make test: install, lint, and run the whole suite (including the slow PyInstaller bundle test)
test: install
	$(BIN)/ruff check .
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

## make test-fast: the suite without the slow bundle build
test-fast: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not slow"

## make screenshots: render every screen to docs/screenshots/*.png
screenshots: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py docs/screenshots

## make bundle: the PyInstaller one-folder build in dist/examdesk/
bundle: install
	$(BIN)/python -m PyInstaller --noconfirm --clean build.spec

## make bench: every benchmark in bench/, figures beside their same-run baselines
bench: install
	for script in bench/*.py; do QT_QPA_PLATFORM=offscreen $(BIN)/python $$script || exit 1; done

clean:
	rm -rf build dist .pytest_cache .ruff_cache
