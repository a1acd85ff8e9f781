# The README's two commands, `make site` and `make test`, and the maintainers' others.
#
# Everything installs from the lock files in .ci/lock/ (exact versions with hashes,
# written by pip-compile): a fresh machine gets exactly the tested set and resolves
# nothing anew. `make lock` rewrites them; `make test-latest` tries the newest releases.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCKS := .ci/lock
PIP_LOCKED = $(BIN)/python -m pip install --quiet --no-deps --require-hashes -r
PYTEST_JOBS ?= auto
# apt-get where this machine has it and we may use it (root, or sudo without a password)
APT_INSTALL = { command -v apt-get >/dev/null && \
                { [ "$$(id -u)" = 0 ] && SUDO= || { sudo -n true 2>/dev/null && SUDO=sudo; }; } && \
                $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq

.PHONY: site test test-fast test-latest lock system-deps pdf-deps browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml $(LOCKS)/site.txt | $(BIN)/python
	$(PIP_LOCKED) $(LOCKS)/site.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed $(LOCKS)/test.txt
	$(PIP_LOCKED) $(LOCKS)/test.txt
	$(BIN)/python -m pip check
	touch $@

# GNU gettext's msgfmt/msgcat/msgmerge check the catalogs in the tests.
system-deps:
	@command -v msgfmt >/dev/null || $(APT_INSTALL) gettext; }

# HarfBuzz-Subset makes the PDFs' font subsets; without it WeasyPrint falls back to
# fontTools, which is slower (the PDFs are as correct and as reproducible).
pdf-deps:
	@ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0 ' || $(APT_INSTALL) libharfbuzz-subset0; } || \
		echo "note: libharfbuzz-subset0 is not installed: PDFs are made with fontTools (slower)"

# Debian's Chromium runs the browser tests (driven by Playwright, whose own
# browser download is not used).
browser-deps:
	@command -v chromium >/dev/null || $(APT_INSTALL) chromium; }

## site: create .venv, install the project, build site/ (never rewrites catalogs)
site: $(VENV)/.installed pdf-deps
	$(BIN)/python build.py build

## test: create .venv if needed, install test needs, run every test
test: $(VENV)/.test-installed system-deps pdf-deps browser-deps
	$(BIN)/python -m pytest -n $(PYTEST_JOBS)

## test-fast: the quick loop: no PDF, no browser, none of the slow (kill, interrupt, server) tests
test-fast: $(VENV)/.test-installed system-deps
	$(BIN)/python -m pytest -n $(PYTEST_JOBS) -m "not pdf and not browser and not slow"

## test-latest: every test against the newest releases the declared ranges allow (own venv)
test-latest: system-deps pdf-deps browser-deps
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade pip
	.venv-latest/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
	.venv-latest/bin/python -m pip freeze --exclude-editable > .venv-latest/tested-versions.txt
	@echo "testing with:" && diff $(LOCKS)/test.txt .venv-latest/tested-versions.txt | grep '^>' || true
	.venv-latest/bin/python -m pytest -n $(PYTEST_JOBS)

## lock: rewrite .ci/lock/*.txt with the newest releases the declared ranges allow
# Resolved on PyPI alone (a local index or wheel folder in pip's configuration would
# leave its own files' hashes only). site.txt keeps test.txt's versions.
LOCK_COMPILE = env PIP_FIND_LINKS= PIP_EXTRA_INDEX_URL= .venv-lock/bin/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --index-url https://pypi.org/simple
lock:
	[ -x .venv-lock/bin/pip-compile ] || { $(PYTHON) -m venv .venv-lock && .venv-lock/bin/python -m pip install --quiet pip-tools==7.6.2; }
	$(LOCK_COMPILE) --upgrade --extra test -o $(LOCKS)/test.txt pyproject.toml $(LOCKS)/build.in
	cp $(LOCKS)/test.txt $(LOCKS)/site.txt
	$(LOCK_COMPILE) -o $(LOCKS)/site.txt pyproject.toml $(LOCKS)/build.in

clean:
	rm -rf site .site-* $(VENV) .venv-latest .venv-lock
