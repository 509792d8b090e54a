#!/usr/bin/env bash
# Everything `make test` runs, in order; stops at the first failure (exit status non-zero).
# A throwaway PostgreSQL cluster is started on a free port and removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.test

step() { printf '\n== %s\n' "$*"; }

step "ruff"
$BIN/ruff check .
$BIN/ruff format --check .

step "mypy"
$BIN/mypy servicepark config

step "migrations are up to date"
DATABASE_URL=sqlite:///var/check-migrations.sqlite3 $BIN/servicepark makemigrations --check --dry-run

PGDIR=$(mktemp -d /tmp/servicepark-pg-XXXXXX)
trap 'scripts/testdb.sh stop "$PGDIR" >/dev/null 2>&1 || true' EXIT
PGURL=$(scripts/testdb.sh start "$PGDIR")

step "pytest on PostgreSQL"
DATABASE_URL="$PGURL" $BIN/pytest -m "not browser" -q -n 2 --dist loadfile

step "pytest smoke run on SQLite"
SMOKE_DB=$(mktemp -d /tmp/servicepark-sqlite-XXXXXX)
DATABASE_URL="sqlite:///$SMOKE_DB/smoke.sqlite3" $BIN/pytest -m "smoke and not browser" -q -p no:randomly

step "browser tests (Playwright + /usr/bin/chromium) on PostgreSQL"
DATABASE_URL="$PGURL" $BIN/pytest -m browser -q

echo
echo "All checks passed."
