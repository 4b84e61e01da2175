# Two commands do all set-up on a fresh machine:
#   make book   create .venv (pinned), install roses, build the site into _build/html/
#   make test   the same set-up, then every test (unit, golden, notebooks, browser)
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# The pre-commit hooks (.pre-commit-config.yaml: ruff, nbstripout, import layers) run on every commit;
# make installs them once in a git checkout (empty, and nothing to install, in one without .git).
HOOK := $(shell git rev-parse --git-path hooks/pre-commit 2>/dev/null)

.PHONY: book test suite test-fast lint browser lock plotly-js bench clean lab compat

# The environment is byte-compiled once, on both cores (compileall -j 0: 17 s, pip's own serial
# compile takes 30 s). Never leave it to import time: with PYTHONDONTWRITEBYTECODE set (as on CI),
# nothing imported is ever cached, and every kernel, worker and subprocess of make test compiled
# pandas, plotly and Sphinx again (5 s instead of 1.7 s to import roses; minutes over the suite).
# The packages' own test suites (a fifth of the files: pandas/tests alone is 1,100) are never
# imported here, so they are left out: 4 s less on a fresh machine.
$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet --no-compile -r requirements.lock
	$(PY) -m compileall -q -j 0 -x '/tests/' $(VENV)/lib
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

book: $(STAMP) $(HOOK)
	$(VENV)/bin/roses build

# The hooks run the venv's tools (ruff, mypy...) by name: the installed hook puts .venv/bin first on
# PATH, so a commit from a shell without the venv activated runs them too.
$(HOOK): | $(STAMP)
	$(VENV)/bin/pre-commit install
	sed -i '2i export PATH="$(CURDIR)/$(VENV)/bin:$$PATH"  # roses: the pinned tools first' $(HOOK)

# The browser tests need Debian's Chromium, and the PDF test poppler-utils (pdftotext, pdftoppm);
# install them if missing (root on CI, else sudo).
browser:
	@{ command -v chromium && command -v pdftotext; } >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null; }

# Lint (ruff, notebooks stripped, no large files, import layers), then every test on both cores.
test: book browser lint
	@$(MAKE) --no-print-directory suite

# The pytest part of make test (bench/run times this target). --no-loadscope-reorder: files go to the
# workers in the order tests/conftest.py sorts them (the slow ones first); xdist would otherwise send
# the files with the most tests first.
suite:
	$(VENV)/bin/pytest -n 2 --dist loadfile --no-loadscope-reorder

lint: $(STAMP)
	$(VENV)/bin/pre-commit run --all-files --show-diff-on-failure

# Everything but the book build and the browser (quick loop while coding).
test-fast: $(STAMP)
	$(VENV)/bin/pytest -m "not browser and not slow"

# JupyterLab on a copy of the chapters in _build/lab/ (the configuration makes it; nothing is ever saved
# into book/), pinned in requirements.lock (extra `lab`): MyST prose with glued numbers, charts drawn by
# plotly's renderer, live explorers (docs/jupyterlab.md). Local only: 127.0.0.1.
lab: $(STAMP) $(HOOK)
	$(VENV)/bin/jupyter lab --no-browser --ip=127.0.0.1 --config=src/roses/assets/jupyter_lab_config.py

bench: book
	bench/run

# The compat tests (tests/test_compat.py: every private API of the build stack roses relies on, and the
# chapters' MyST) in a throwaway venv with the newest releases the lock's major versions allow. Run it
# before `make lock` and now and then; not part of make test (it downloads). docs/engine-upgrade.md.
compat:
	python3 .ci/compat

# Re-resolve the pinned versions after changing the dependencies in pyproject.toml.
lock:
	rm -rf /tmp/roses-lock && python3 -m venv /tmp/roses-lock
	/tmp/roses-lock/bin/pip install --quiet --upgrade "pip>=24"
	/tmp/roses-lock/bin/pip install --quiet -e ".[test]"
	( echo "# Pinned by 'make lock' from pyproject.toml; install with pip install -r requirements.lock"; \
	  /tmp/roses-lock/bin/pip freeze --exclude-editable | grep -v '^roses' ) > requirements.lock
	# environment.yml: its header, then every locked package (conda users get the exact set)
	( sed '/^  - pip:/q' environment.yml; grep -v '^#' requirements.lock | sed 's/^/      - /' ) > environment.yml.new
	mv environment.yml.new environment.yml

# After 'make lock' upgrades plotly: fetch the matching plotly.js basic bundle (npm registry,
# integrity checked) into src/roses/assets/, then commit it. A test fails until the versions match.
plotly-js: $(STAMP)
	$(PY) src/roses/assets/vendor_plotly.py

clean:
	rm -rf _build
