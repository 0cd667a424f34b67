#!/usr/bin/env bash
# Set up (system packages, .venv, test tools) and run the whole test suite twice: on SQLite
# files, then on a PostgreSQL server (scripts/pg_test_server.sh starts a throwaway one on
# 127.0.0.1:5433; COMPLAINT_DESK_TEST_DB points the suite at it, tests/conftest.py).
# The PostgreSQL run leaves out the `slow` tests: they measure the SQLite file (crash kills)
# and the single PC (window start-up, 100,000-row import speed), not the shared database.
# The SQLite run is also the Windows run: tests/windows_sim/sitecustomize.py makes this Python
# and every process it starts refuse what Windows refuses (os.fsync on a read-only handle,
# replacing or deleting a file held open) and the CLI tests redirect their output in Windows
# code pages (tests/cli_process.py); tests/unit/test_windows_simulation.py fails without it.
# Arguments go to both pytest runs. TEST_BACKENDS="sqlite" (or "postgresql") runs one only.
# With both, the two runs go side by side (each is one process; a machine with two cores does
# both in the time of the longer). The test print server is the SQLite run's alone: a job
# the other run sent could be taken for one of its own, so on PostgreSQL the CUPS tests skip
# (DESK_TESTS_PRINT_SERVER=elsewhere, tests/printing/printed.py); what they print is read
# from the database by the same services the rest of that run covers.
# First the static checks, each run to the end so one look shows every problem; any failure
# fails the run (before the tests, which take minutes): ruff, mypy (strict, app/ and ui/), and
# the layer contracts (lint-imports, [tool.importlinter] in pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
# The printing tests print through a real CUPS server; it needs root (CI runs as root).
# Elsewhere they are skipped unless it was started by hand (scripts/cups_test_server.sh).
if [ "$(id -u)" = 0 ]; then
  bash scripts/cups_test_server.sh >/dev/null || { echo "the test print server did not start" >&2; exit 1; }
fi
export QT_QPA_PLATFORM=offscreen
checks=0
echo "=== ruff check"
.venv/bin/ruff check app ui tests main.py || checks=$?
echo "=== mypy app ui"
.venv/bin/mypy app ui main.py || checks=$?
echo "=== lint-imports"
.venv/bin/lint-imports --no-cache || checks=$?
if [ "$checks" -ne 0 ]; then
  echo "static checks failed: fix them before the tests run" >&2
  exit "$checks"
fi
BACKENDS=${TEST_BACKENDS:-sqlite postgresql}
run_sqlite() {
  echo "=== tests on SQLite, as on Windows (tests/windows_sim)"
  env -u COMPLAINT_DESK_TEST_DB DESK_WINDOWS_SIM=1 \
    PYTHONPATH="$PWD/tests/windows_sim${PYTHONPATH:+:$PYTHONPATH}" \
    .venv/bin/python -m pytest "$@"
}
run_postgresql() {
  local url
  url=$(bash scripts/pg_test_server.sh) # fails loudly when PostgreSQL cannot run
  echo "=== tests on PostgreSQL ($url)"
  COMPLAINT_DESK_TEST_DB=$url .venv/bin/python -m pytest -m "not slow" "$@"
}
status=0
both=no
[[ " $BACKENDS " == *" sqlite "* && " $BACKENDS " == *" postgresql "* ]] && both=yes
case $both in
  yes)
    started=$SECONDS
    pg_log=$(mktemp)
    ( DESK_TESTS_PRINT_SERVER=elsewhere run_postgresql "$@" >"$pg_log" 2>&1 ) &
    pg_pid=$!
    run_sqlite "$@" || status=$?
    echo "=== sqlite: $((SECONDS - started)) s"
    pg_status=0
    wait "$pg_pid" || pg_status=$?
    cat "$pg_log"
    rm -f "$pg_log"
    echo "=== postgresql (side by side): $((SECONDS - started)) s"
    [ "$pg_status" -eq 0 ] || status=$pg_status
    ;;
  *)
    for backend in $BACKENDS; do
      started=$SECONDS
      case $backend in
        sqlite) run_sqlite "$@" || status=$? ;;
        postgresql) run_postgresql "$@" || status=$? ;;
        *)
          echo "unknown backend in TEST_BACKENDS: $backend" >&2
          exit 2
          ;;
      esac
      echo "=== $backend: $((SECONDS - started)) s"
    done
    ;;
esac
exit $status
