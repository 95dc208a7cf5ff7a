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

install-test: $(VENV)/.installed-test

demo: install  ## extract every document of the bundled example corpus
	@mkdir -p out
	$(VENV)/bin/storyprism --data examples/data extract examples/corpus --format jsonl --out out/examples.jsonl
	$(VENV)/bin/storyprism --data examples/data extract examples/corpus --format text --out out/examples.txt
	@echo "Demo output: out/examples.jsonl (one JSON object per article) and out/examples.txt (readable)"

lint: install-test
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

test: install-test lint
	$(PY) -m pytest

bench: install-test  ## needs ../shared/bench beside the clone
	$(PY) bench/extraction.py
	$(PY) bench/analyze.py
	$(PY) bench/attribution.py
	$(PY) bench/subjectivity.py
	$(PY) bench/cluster.py

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
