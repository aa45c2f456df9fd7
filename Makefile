# Loadbearing — every target creates what it needs (.venv, installs) by itself.
PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test dev accuracy reliability bench install lock format clean digest

demo: $(STAMP)  ## run the daily job on the built-in demo organization
	$(PY) -m harness.demo $(ARGS)

test: $(STAMP)  ## lint, then the whole test suite (installs Debian's chromium for the browser tests and PostgreSQL for the Postgres warehouse tests)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	sh scripts/install-chromium.sh
	sh scripts/install-postgres.sh
	$(PY) -m pytest $(PYTEST_ARGS)

digest: $(STAMP)  ## every person's digest of the latest week, from the published demo warehouse (after `make demo`)
	$(PY) -m reports.digest $(ARGS)

dev: $(STAMP)  ## the Dagster UI on the demo configuration
	$(PY) -m harness.demo --dev

accuracy: $(STAMP)  ## score the classification on a sandbox organization the rules were not developed on
	$(PY) -m harness.accuracy $(ARGS)

reliability: $(STAMP)  ## inject every sandbox fault, recover, compare with a clean run; print a summary table
	$(PY) -m scripts.reliability $(ARGS)

bench: $(STAMP)  ## time backfill and daily runs of 50- to 1,000-person sandbox organizations; writes bench/results.{json,md}
	$(PY) -m bench $(ARGS)

install: $(STAMP)

# requirements.lock pins every package; pyproject.toml says what we depend on.
$(STAMP): pyproject.toml requirements.lock Makefile
	test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install -q uv
	$(VENV)/bin/uv pip install -q --compile-bytecode --python $(PY) -r requirements.lock
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	touch $(STAMP)

lock:  ## re-pin requirements.lock after changing pyproject.toml
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --python-version 3.11 -o requirements.lock

format: $(STAMP)  ## what `make test` checks: ruff's fixes and formatting applied
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf warehouse dagster_home/storage dagster_home/history dagster_home/schedules dagster_home/logs test-artifacts
