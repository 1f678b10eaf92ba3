# The two commands a newcomer needs: `make run` and `make test`. Everything else is their parts.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= demo-pass-2026

.PHONY: run test setup venv deps assets translations migrate seed lint audit bench format check clean help

help:
	@echo "make run   - set up (venv, requirements, assets, migrations, demo data) and serve on http://$(HOST):$(PORT)"
	@echo "make test  - set up the same way and run the whole test suite"
	@echo "make lint  - ruff check, ruff format --check, makemigrations --check, lint-imports (the apps' layers)"
	@echo "make audit - pip-audit (requirements.txt) and npm audit (production packages): known vulnerabilities"
	@echo "make bench - the benchmarks in bench/ (slow: most of an hour; not part of make test), figures printed"

$(VENV)/.python-ok:
	@PYTHON_BIN=$$(scripts/find-python.sh) || exit 1; \
	echo "Using $$PYTHON_BIN ($$($$PYTHON_BIN --version))"; \
	$$PYTHON_BIN -m venv $(VENV) && touch $@

# Reinstalled only when a requirements file changes.
$(VENV)/.deps: $(VENV)/.python-ok requirements.txt requirements-dev.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

venv: $(VENV)/.python-ok
deps: $(VENV)/.deps
assets: node_modules/.package-lock.json

translations: deps
	$(PY) manage.py compile_translations

migrate: deps
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo --password "$(DEMO_PASSWORD)"

setup: deps assets translations migrate

# With DATABASE_URL, migrations and the demo data run as its user (the tables' owner); the web server,
# worker and beat then connect as the runtime role that `manage.py app_database_url` makes ready and
# prints (APP_DATABASE_URL, if set), so that row-level security applies to them.
run: setup seed
	@case "$$(echo "$$DEBUG" | tr A-Z a-z)" in \
	  1|true|yes|on) echo "DEBUG=true: Django's debug pages are on; never expose this server.";; \
	  *) echo "DEBUG is off (errors show the portal's own pages); run DEBUG=true make run for Django's debug pages.";; \
	esac
	@if [ -n "$$DATABASE_URL" ]; then \
	  DATABASE_URL=$$($(PY) manage.py app_database_url) || exit 1; \
	  export DATABASE_URL; \
	fi; \
	if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL is set: starting web, Celery worker and beat together (Ctrl-C stops all)."; \
	  HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/honcho -f Procfile.dev start; \
	else \
	  echo "No REDIS_URL: Celery tasks run in-process. Serving on http://$(HOST):$(PORT)"; \
	  $(PY) manage.py runserver $(HOST):$(PORT); \
	fi

test: deps assets translations
	@scripts/ensure-chromium.sh
	$(PY) -m pytest $(PYTEST_ARGS)

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

# Exit 1 on a known vulnerability, 3 when a vulnerability service cannot be reached (nothing was audited):
# AUDIT_ARGS=--unreachable-ok turns that into a warning, as CI does (scripts/audit_deps.py).
audit: deps
	$(PY) scripts/audit_deps.py $(AUDIT_ARGS)

# The benchmarks, one after another, each on its own scratch database (bench/README.md; their last figures are
# there). Slow: not part of `make test` or CI.
BENCH_OWNER ?= postgres://postgres@127.0.0.1:5432
bench: deps assets translations
	@for db in portal_bench portal_bench_reminders; do \
	  psql "$(BENCH_OWNER)/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$$db'" | grep -q 1 || \
	  psql "$(BENCH_OWNER)/postgres" -qc "CREATE DATABASE $$db"; \
	done
	$(PY) bench/pages.py --big
	$(PY) bench/load.py
	DATABASE_URL=$(BENCH_OWNER)/portal_bench $(PY) bench/import_msmes.py
	DATABASE_URL=$(BENCH_OWNER)/portal_bench $(PY) bench/registry_list.py
	$(PY) bench/helpdesk.py
	$(PY) bench/outreach.py
	DATABASE_URL=$(BENCH_OWNER)/portal_bench_reminders $(PY) bench/reminders.py --scratch
	$(PY) bench/dashboards.py

format: deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts
