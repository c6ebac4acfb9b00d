# Two entry points for a fresh machine (see README.md, "Quick start"):
#   make build  -> set-up, synthetic sample, raw load, dbt build, reports
#   make test   -> the whole test suite (what CI runs)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: build test lint setup setup-spark clean parquet docs

# The project and its dependencies (pyproject.toml), at the exact versions
# pinned in requirements.txt, which serves as the constraints file.
$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.txt -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

setup-spark: setup
	$(PY) -m pip install --quiet -c requirements.txt -c requirements-spark.txt -e ".[dev,spark]"

build: setup
	$(VENV)/bin/trade build

test: setup
	$(PY) -m pytest

parquet: setup
	$(VENV)/bin/trade export

docs: setup
	$(VENV)/bin/dbt docs generate --profiles-dir .

lint: setup
	$(VENV)/bin/ruff check scripts tests
	$(VENV)/bin/sqlfluff lint models tests/dbt
	cd reports/queries && $(abspath $(VENV))/bin/sqlfluff lint .

clean:
	rm -rf target logs warehouse site data/raw/sample
