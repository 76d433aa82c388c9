# madoguchi — the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
M := $(BIN)/madoguchi

.PHONY: demo test setup lint typecheck migrations-check pytest security audit-deps deps-list db serve bench clean
HOST ?= 127.0.0.1
PORT ?= 8000

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var

## The demo: embedded SQLite, demo data for the five seed programs, served by gunicorn on
## http://127.0.0.1:8000 (another port: make demo PORT=8001).  Secrets are generated into var/secrets/.
demo: setup
	env -u DATABASE_URL MADOGUCHI_ENV=demo $(M) migrate --noinput
	env -u DATABASE_URL MADOGUCHI_ENV=demo $(M) seed_demo --scale small --if-empty
	env -u DATABASE_URL MADOGUCHI_ENV=demo $(M) demo_logins
	env -u DATABASE_URL MADOGUCHI_ENV=demo $(M) serve $(HOST):$(PORT) --workers 2

## Production-like start on this machine (MADOGUCHI_ENV=production, gunicorn + whitenoise, the worker) on
## SQLite in var/ or DATABASE_URL, with secrets generated into var/secrets/ for a local try (plain HTTP on
## loopback, so no HTTPS redirect; behind the TLS proxy of docs/nginx.conf it is on).
serve: setup
	env $$($(BIN)/python -m madoguchi.core.secrets var) MADOGUCHI_ENV=production MADOGUCHI_SSL_REDIRECT=0 \
	  sh -c '$(M) migrate --noinput && $(M) collectstatic --noinput -v 0 && $(M) serve $(HOST):$(PORT)'

## The whole suite: lint, types, migrations, tests (SQLite, or PostgreSQL when DATABASE_URL is set)
test: setup lint typecheck migrations-check security pytest

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy madoguchi

migrations-check: setup
	$(M) makemigrations --check --dry-run

pytest: setup
	MADOGUCHI_ENV=test $(BIN)/pytest $(PYTEST_ARGS)

## Static security analysis; findings are triaged in pyproject.toml [tool.bandit]
security: setup
	$(BIN)/bandit -c pyproject.toml -r madoguchi -q

## Known vulnerabilities of the installed packages (pip-audit).  Needs a vulnerability database (PyPI/OSV);
## on the ward's closed network run `make deps-list` and audit the list elsewhere (docs/operations.md).
deps-list: setup
	@mkdir -p var/audit
	$(BIN)/pip freeze --exclude-editable --exclude madoguchi > var/audit/requirements-frozen.txt
	@echo "var/audit/requirements-frozen.txt"

audit-deps: deps-list
	$(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r var/audit/requirements-frozen.txt $(AUDIT_ARGS)

bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf var .mypy_cache .ruff_cache .hypothesis
