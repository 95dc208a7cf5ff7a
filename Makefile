# Every target sets itself up from a fresh clone: it creates .venv and installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check

.PHONY: install install-test demo test lint bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed  ## the package and everything it needs to run (spaCy model included)

# The browser tests (tests/test_web.py) drive Debian's Chromium; without it they skip, so install it here when
# root (or password-less sudo) can, and otherwise say how.
APT_CHROMIUM := apt-get install -y --no-install-recommends chromium
install-test: $(VENV)/.installed-test
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then $(APT_CHROMIUM) || { apt-get update && $(APT_CHROMIUM); }; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    sudo $(APT_CHROMIUM) || { sudo apt-get update && sudo $(APT_CHROMIUM); }; \
	  else echo "note: /usr/bin/chromium is missing and cannot be installed without root; the browser tests will" \
	    "be skipped (run: sudo $(APT_CHROMIUM))"; fi; \
	fi

demo: install  ## the whole pipeline on the bundled example corpus: extract output and the comparison report
	@mkdir -p out
	$(VENV)/bin/storyprism --data examples/data extract examples/corpus --format jsonl --out out/examples.jsonl
	$(VENV)/bin/storyprism --data examples/data compare examples/corpus --format html --out out/report.html
	$(VENV)/bin/storyprism --data examples/data compare examples/corpus --format json --out out/report.json
	@echo "Demo output: out/report.html (open it in a browser: every story, outlet by outlet),"
	@echo "  out/report.json (the same comparison as data) and out/examples.jsonl (one extracted article per line)"

lint: install-test
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

test: install-test lint
	$(PY) -m pytest

bench: install-test  ## needs ../shared/bench beside the clone
	$(PY) bench/extraction.py
	$(PY) bench/analysis.py
	$(PY) bench/cluster.py
	$(PY) bench/compare.py

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
