#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, listening on 127.0.0.1 only (no socket in /tmp
# for others, no other address). Idempotent: starts it if it is not running, makes its data
# folder once. Prints the SQLAlchemy URL on stdout; everything else goes to stderr.
#
#   scripts/pg_test_server.sh          # start (or find) it, print the URL
#   scripts/pg_test_server.sh stop     # stop it (the data folder stays for the next start)
#
# PG_TEST_DIR and PG_TEST_PORT (default 5433) choose where. The default folder is in /dev/shm
# (memory) when there is one: the suite makes and drops a database per test, which takes
# ~15 ms there but up to ~400 ms on a busy disk. The server runs with fsync off: it holds
# nothing but test databases, made again each run.
set -euo pipefail

PORT=${PG_TEST_PORT:-5433}
BASE=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && BASE=/dev/shm
ROOT=${PG_TEST_DIR:-$BASE/complaint-desk-pg}
DATA=$ROOT/data
URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"

fail() { echo "pg_test_server: $*" >&2; exit 1; }

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] ||
  fail "PostgreSQL is not installed (apt-get install -y postgresql, or scripts/setup.sh --test)"

# initdb and the server refuse to run as root: as root they run as the `postgres` account.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

if [ "${1:-}" = "stop" ]; then
  if [ -f "$DATA/postmaster.pid" ]; then
    as_owner "'$PGBIN/pg_ctl' -D '$DATA' -m fast -w stop" >&2
  fi
  exit 0
fi

if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  echo "$URL"
  exit 0
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  rm -rf "$ROOT"
  mkdir -p "$ROOT"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$ROOT"
  chmod 700 "$ROOT"
  echo "pg_test_server: creating a test cluster in $DATA" >&2
  as_owner "'$PGBIN/initdb' -D '$DATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" \
    >"$ROOT/initdb.log" 2>&1 || { cat "$ROOT/initdb.log" >&2; fail "initdb failed"; }
fi

# A stale pid file from a killed server would stop pg_ctl: it checks the pid itself.
OPTS="-c listen_addresses=127.0.0.1 -p $PORT -k $ROOT -c fsync=off -c synchronous_commit=off"
OPTS="$OPTS -c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB"
if ! as_owner "'$PGBIN/pg_ctl' -D '$DATA' -l '$ROOT/server.log' -w -t 60 -o \"$OPTS\" start" \
    >&2; then
  tail -20 "$ROOT/server.log" >&2 || true
  fail "the server did not start (log: $ROOT/server.log)"
fi
"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" || fail "the server does not answer on port $PORT"
echo "$URL"
