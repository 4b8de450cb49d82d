# Two commands matter: `make run` (the demo) and `make test` (the whole suite).
# `make check` is the quick inner loop: lint, types and the tests that need no browser or services.
PYTHON := $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_SETTINGS := config.settings.local

.PHONY: run test check check-lint check-types check-tests lint pytest install migrate seed screenshots bench lock clean

$(STAMP): requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py seed_demo
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py seed_demo_meetings
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py seed_demo_pay
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py seed_demo_advisory
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py seed_demo_reports
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py seed_demo_opportunities
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=check-deploy-$$(date +%s%N)-not-a-real-key-but-long-enough \
	  MFA_ENCRYPTION_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	  FIELD_ENCRYPTION_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	  DJANGO_ALLOWED_HOSTS=example.org SECURITY_CONTACT=security@example.org \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

# Tests run on every core (pytest-xdist); each worker process has its own test database, cache
# key prefix and Celery queue (config/settings/test.py). A file's tests stay in one process, so
# fixtures seeded once per module are seeded once. `make pytest XDIST=` runs in one process.
XDIST ?= -n auto --dist loadfile

pytest: $(STAMP)
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

test: lint pytest

# Lint, types and tests side by side; the slow browser journeys and the tests that need
# PostgreSQL and Redis are left to `make test`.
check: $(STAMP)
	$(MAKE) --no-print-directory --output-sync=target -j3 check-lint check-types check-tests

check-lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-types: $(STAMP)
	$(BIN)/mypy .

check-tests: $(STAMP)
	$(BIN)/pytest $(XDIST) -m "not browser and not services" $(PYTEST_ARGS)

screenshots: $(STAMP)
	SCREENSHOTS=1 $(BIN)/pytest tests/browser -k screenshots $(PYTEST_ARGS)

# Speed and memory targets, measured, not asserted: CI machines are too noisy for timings.
# Give DATABASE_URL to measure on PostgreSQL. Not part of `make test`.
# ORGS: how many synthetic organizations the report benchmark seeds (`make bench ORGS=500`).
ORGS ?= 50
bench: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python benchmarks/pay_export.py
	ORGS=$(ORGS) DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python benchmarks/funder_reports.py

# Re-pin dependencies after editing pyproject.toml (needs uv: `pip install uv`).
lock:
	uv pip compile pyproject.toml --universal --python-version 3.12 --generate-hashes -o requirements/base.txt
	uv pip compile pyproject.toml --extra dev --universal --python-version 3.12 --generate-hashes -o requirements/dev.txt

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
