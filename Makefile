# madoguchi — the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
M := $(BIN)/madoguchi

.PHONY: demo test setup lint typecheck migrations-check pytest db serve bench clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var

## The demo: embedded SQLite, demo data for the five seed programs, served on http://127.0.0.1:8000
demo: setup
	env -u DATABASE_URL $(M) migrate --noinput
	env -u DATABASE_URL $(M) seed_demo --scale small --if-empty
	env -u DATABASE_URL $(M) demo_logins
	env -u DATABASE_URL $(M) serve_demo 127.0.0.1:8000

## The whole suite: lint, types, migrations, tests (SQLite, or PostgreSQL when DATABASE_URL is set)
test: setup lint typecheck migrations-check pytest

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy madoguchi

migrations-check: setup
	$(M) makemigrations --check --dry-run

pytest: setup
	$(BIN)/pytest $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf var .mypy_cache .ruff_cache .hypothesis
