# Two entry points (see README): `make replicate` and `make test`. Both set up .venv/ first.
# `make benchmark` runs benchmarks/run_benchmarks.py (about half an hour; not part of CI).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORES ?= all

.PHONY: setup replicate test format benchmark clean

setup: $(STAMP)

$(STAMP): envs/requirements.txt envs/requirements-test.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r envs/requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

replicate: setup
	$(BIN)/snakemake --cores $(CORES)

test: setup
	$(BIN)/python -m pytest

# Apply the formatters that tests/test_conventions.py checks (snakefmt, ruff's fixes).
format: setup
	$(BIN)/snakefmt .
	$(BIN)/ruff check --fix .

benchmark: setup
	$(BIN)/python benchmarks/run_benchmarks.py

clean:
	rm -rf results/data results/fits results/figures results/tables results/training results/checks results/notebooks results/logs .snakemake
