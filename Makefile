# Two entry points for a fresh machine (see README.md, "Quick start"):
#   make build  -> set-up, synthetic sample, raw load, dbt build, reports
#   make test   -> the whole test suite (what CI runs)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: build test lint setup setup-spark clean parquet docs

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

setup-spark: setup
	$(PY) -m pip install --quiet -r requirements-spark.txt

build: setup
	$(PY) -m scripts.run_pipeline

test: setup
	$(PY) -m pytest

parquet: setup
	$(PY) -m scripts.export_parquet

docs: setup
	$(VENV)/bin/dbt docs generate --profiles-dir .

lint: setup
	$(VENV)/bin/ruff check scripts tests
	$(VENV)/bin/sqlfluff lint models tests/dbt
	cd reports/queries && ../../$(VENV)/bin/sqlfluff lint .

clean:
	rm -rf target logs warehouse site data/raw/sample
