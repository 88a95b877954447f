# unionhall: `make run` serves the product with a demo organisation; `make test` runs every check.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
UH := $(BIN)/unionhall
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup setup-test run demo serve worker test check lint types contracts deploy-check migrations-check translations-check pytest-sqlite pytest-postgres browser messages bench-smoke clean

setup:
	scripts/setup.sh run

setup-test:
	scripts/setup.sh test

run: setup
	$(UH) migrate --no-input -v 0
	$(UH) demo --print-logins
	@echo "unionhall: http://$(HOST):$(PORT)/  (Ctrl-C stops the server and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(UH) db_worker --no-startup-delay -v 0 & \
	  $(UH) runserver --noreload $(HOST):$(PORT)

test: setup-test check

check: lint types contracts deploy-check migrations-check translations-check pytest-sqlite pytest-postgres browser bench-smoke

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types:
	$(BIN)/mypy

contracts:
	$(BIN)/lint-imports

deploy-check:
	DJANGO_SETTINGS_MODULE=config.settings.prod SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') AUDIT_CHAIN_KEY=check \
	  FIELD_ENCRYPTION_KEYS=$$($(BIN)/python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())') \
	  BLIND_INDEX_KEY=$$($(BIN)/python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())') \
	  $(UH) check --deploy --fail-level WARNING

migrations-check:
	DJANGO_SETTINGS_MODULE=config.settings.test $(UH) makemigrations --check --dry-run

translations-check:
	$(BIN)/python scripts/translations.py check

pytest-sqlite:
	$(BIN)/pytest -n 2 -m "not browser" -p no:cacheprovider

pytest-postgres:
	scripts/with_postgres.sh $(BIN)/pytest -n 2 -m "not browser" -p no:cacheprovider

browser:
	$(BIN)/pytest -m browser -p no:cacheprovider

bench-smoke:
	scripts/bench_smoke.sh

messages:
	$(BIN)/python scripts/translations.py update || true

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles var
