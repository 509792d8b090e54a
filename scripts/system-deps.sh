#!/usr/bin/env bash
# system-deps.sh — install the Debian (bookworm) packages ServicePark needs.
#
# Usage: scripts/system-deps.sh [run] [test]     (no argument = test)
#   venv  python3-venv (only when the machine's python3 cannot create a venv)
#   run   gettext (compilemessages), libmagic1 (upload type sniffing)
#   test  everything: PostgreSQL 15 server (contrib modules such as pg_trgm and
#         btree_gist ship inside postgresql-15 on bookworm; postgresql-contrib
#         is only an empty meta package), chromium (Playwright), gettext,
#         fonts-noto-cjk (Chinese text in screenshots/PDFs)
#
# Idempotent: packages are checked with dpkg first; apt-get runs only when
# something is missing. Needs root for the install step.
set -euo pipefail

log() { printf 'system-deps: %s\n' "$*" >&2; }

declare -A want=()
for group in "${@:-test}"; do
  case "$group" in
    venv) want[python3-venv]=1 ;;
    run)  want[gettext]=1; want[libmagic1]=1 ;;
    test) for p in postgresql-15 postgresql-client-15 chromium gettext fonts-noto-cjk libmagic1; do want[$p]=1; done ;;
    *)    log "unknown group '$group' (expected: run, test)"; exit 2 ;;
  esac
done

missing=()
for pkg in $(printf '%s\n' "${!want[@]}" | sort); do
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    log "ok       $pkg"
  else
    log "missing  $pkg"
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  log "all packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root to install: ${missing[*]}"
  log "e.g.: sudo $0 ${*:-test}"
  exit 1
fi

log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
log "done"
