# Servicepark — the two commands a newcomer needs:
#   make run   set everything up and serve the demo on SQLite (http://127.0.0.1:$PORT)
#   make test  set up what the tests need and run them all (PostgreSQL, SQLite smoke, browser)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run test bench lint typecheck messages demo serve clean help

help:
	@echo "make run    - install, migrate, load the demo and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - lint, type-check, migrations check, tests on PostgreSQL + SQLite + browser"
	@echo "make bench  - benchmarks (writes docs/BENCHMARKS.md)"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || scripts/system-deps.sh venv
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

messages: $(STAMP)
	@command -v msgfmt >/dev/null || scripts/system-deps.sh run
	@cd servicepark && ../$(BIN)/django-admin compilemessages -v0 --ignore=.venv

run: $(STAMP) messages
	@mkdir -p var
	$(BIN)/servicepark migrate --no-input -v0
	$(BIN)/servicepark demo
	@echo "Open http://127.0.0.1:$(PORT)/ — log in with any account above, password demo-pass-2026"
	$(BIN)/servicepark serve --port $(PORT)

test: $(STAMP)
	@scripts/system-deps.sh test
	@$(MAKE) --no-print-directory messages
	@scripts/run-tests.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/mypy servicepark config

bench: $(STAMP)
	@scripts/system-deps.sh test
	@scripts/run-bench.sh

clean:
	rm -rf $(VENV) var
