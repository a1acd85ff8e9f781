# The two commands of the README: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test system-deps browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# GNU gettext's msgfmt checks the catalogs in the tests (present on most machines).
system-deps:
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext; }

# Debian's Chromium runs the editor's browser tests (driven by Playwright, whose own
# browser download is not used).
browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

## site: create .venv, install the project, build site/ (never rewrites catalogs)
site: $(VENV)/.installed
	$(BIN)/python build.py build

## test: create .venv if needed, install test needs, run every test
test: $(VENV)/.test-installed system-deps browser-deps
	$(BIN)/python -m pytest

clean:
	rm -rf site .site-* $(VENV)
