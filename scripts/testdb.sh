#!/usr/bin/env bash
# testdb.sh — throwaway PostgreSQL cluster for the test suite.
#
# Usage:
#   DIR=$(mktemp -d /tmp/servicepark-pg-XXXXXX)
#   DATABASE_URL=$(scripts/testdb.sh start "$DIR") && export DATABASE_URL
#   ...run tests...
#   scripts/testdb.sh stop "$DIR"
#
# start DIR  initdb a cluster in DIR/data (DIR must be missing or empty), run it
#            on a free port on 127.0.0.1 (socket in DIR, fsync off: test data
#            only!), create superuser role + database "servicepark" and install
#            pg_trgm and btree_gist into template1 so every test database has
#            them. Prints the DATABASE_URL as the only stdout line; progress
#            goes to stderr. The port is written to DIR/port, the log to
#            DIR/postgres.log.
# stop DIR   stop the cluster (if running) and delete DIR. Safe to repeat.
#
# TESTDB_SHARED_BUFFERS (default 256MB) sizes PostgreSQL's buffer cache; the
# benchmarks give it room for the million-row registry, as a deployment would.
#
# As root, the server runs as the "postgres" OS user (initdb refuses root),
# so every parent of DIR must be traversable by it (/tmp is fine).
set -euo pipefail

exec 3>&1 1>&2                      # stdout is reserved for the URL (fd 3)
log() { printf 'testdb: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() { die "usage: $0 start|stop DIR"; }

[ $# -eq 2 ] || usage
cmd=$1
dir=$(realpath -m -- "$2")
data=$dir/data
marker=$dir/.servicepark-testdb

bindir() {
  local d
  if d=$(pg_config --bindir 2>/dev/null) && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] || die "PostgreSQL server not found; run scripts/system-deps.sh test"
  echo "$d"
}
BIN=$(bindir)

# Run a command as the cluster owner (postgres when we are root), from / so a
# private working directory does not get in the way. fd 3 is closed so the
# postmaster cannot hold the caller's $(...) pipe open.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@") 3>&-
  else
    (cd / && "$@") 3>&-
  fi
}
psql_pg() { as_pg "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U "$superuser" "$@"; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
    die "$dir is not empty (already running? use: $0 stop $dir)"
  fi
  mkdir -p "$dir"
  as_pg test -x "$(dirname "$dir")" \
    || die "postgres user cannot reach $dir (parents not traversable? use a dir under /tmp)"
  touch "$marker"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir" "$marker"; fi
  chmod 755 "$dir"
  superuser=$(as_pg id -un)

  local locale=(--locale=C.UTF-8)
  locale -a 2>/dev/null | grep -qix 'c.utf-\?8' || locale=(--no-locale)
  log "initdb $data (${locale[*]}, $("$BIN/postgres" --version))"
  as_pg "$BIN/initdb" -D "$data" -U "$superuser" --encoding=UTF8 "${locale[@]}" \
    --auth-local=peer --auth-host=trust >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log"; die "initdb failed"; }

  cat >>"$data/postgresql.conf" <<EOF

# --- servicepark test cluster (scripts/testdb.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
shared_buffers = ${TESTDB_SHARED_BUFFERS:-256MB}
EOF
  printf '%s\n' 'local all all peer' 'host all all 127.0.0.1/32 trust' >"$data/pg_hba.conf"

  # The port can be taken between probing and binding; retry with a new one.
  local attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    echo "port = $port" >>"$data/postgresql.conf"     # last setting wins
    log "starting on 127.0.0.1:$port (attempt $attempt)"
    if as_pg "$BIN/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 start >/dev/null; then
      break
    fi
    [ "$attempt" -eq 3 ] && { tail -n 20 "$dir/postgres.log"; die "postgres did not start"; }
  done
  # From here on, a failure must not leave a server running.
  trap 'as_pg "$BIN/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true' EXIT

  local deadline=$((SECONDS + 30))
  until as_pg "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port"; do
    [ $SECONDS -lt $deadline ] || die "server not ready after 30s (see $dir/postgres.log)"
    sleep 0.2
  done
  echo "$port" >"$dir/port"

  log "creating role/database servicepark, extensions in template1"
  psql_pg -d template1 -c "CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS btree_gist;"
  psql_pg -d postgres -c "CREATE ROLE servicepark LOGIN SUPERUSER PASSWORD 'servicepark';" \
    -c "CREATE DATABASE servicepark OWNER servicepark;"

  trap - EXIT
  echo "postgres://servicepark:servicepark@127.0.0.1:$port/servicepark" >&3
}

stop() {
  if [ ! -e "$dir" ]; then log "$dir does not exist; nothing to do"; return; fi
  [ -e "$marker" ] || die "$dir was not created by $0; refusing to delete it"
  if [ -f "$data/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$data" status >/dev/null; then
    log "stopping cluster in $dir"
    as_pg "$BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null \
      || as_pg "$BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null \
      || die "could not stop postgres in $data"
  fi
  rm -rf -- "$dir"
  log "removed $dir"
}

case "$cmd" in
  start) start ;;
  stop)  stop ;;
  *)     usage ;;
esac
