# Two entry points (see README): `make replicate` and `make test`. Both set up .venv/ first.
# `make notebook` opens JupyterLab on notebooks/ from its own environment, .venv-notebook/.
# `make benchmark` runs benchmarks/run_benchmarks.py --quick (about 7 minutes on 2 cores; not part of CI);
# `make benchmark-all` every section and size (about an hour).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOK_VENV := .venv-notebook
CORES ?= all

.PHONY: setup replicate test format benchmark benchmark-all notebook clean

setup: $(STAMP)

$(STAMP): envs/requirements.txt envs/requirements-test.txt envs/requirements-data.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r envs/requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r envs/requirements-data.txt
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
	$(BIN)/python benchmarks/run_benchmarks.py --quick

benchmark-all: setup
	$(BIN)/python benchmarks/run_benchmarks.py

$(NOTEBOOK_VENV)/.installed: envs/requirements.txt envs/requirements-notebook.txt pyproject.toml
	$(PYTHON) -m venv $(NOTEBOOK_VENV)
	$(NOTEBOOK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r envs/requirements-notebook.txt
	$(NOTEBOOK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# JupyterLab on the notebooks, run from the clone so that their default parameters find results/.
notebook: $(NOTEBOOK_VENV)/.installed
	$(NOTEBOOK_VENV)/bin/jupyter lab --notebook-dir=. notebooks/

# Every output the workflow writes, as listed by the artifact registry (results/README.md stays).
clean:
	PYTHONPATH=src $(PYTHON) -m cossim.paths clean

# The SLURM profile on a real one-node SLURM cluster (tools/slurm/cluster.sh, docs/cluster.md):
# needs root, and apt unless Slurm, munge and MariaDB are installed. Brings the cluster up if it
# is not running and tears it down afterwards; fails where `make test` would skip it.
.PHONY: slurm-test
slurm-test: setup
	COSSIM_SLURM_REQUIRED=1 $(BIN)/python -m pytest -s tests/test_slurm.py
