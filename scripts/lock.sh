#!/usr/bin/env bash
# Re-resolve the exact versions every install uses, after a change to the dependencies in
# pyproject.toml (or to take newer releases: scripts/lock.sh --upgrade).
#
# uv.lock is the one resolution, for every platform the program runs on (Linux, Windows,
# macOS; Python 3.11 and later), with each file's SHA-256. The requirements/*.txt files are
# exported from it for pip, which is all a fresh machine needs (scripts/setup.sh):
#   requirements/runtime.txt   the program (with PostgreSQL support)      scripts/start.sh
#   requirements/test.txt      + the test tools                           scripts/test.sh, CI
#   requirements/build.txt     + PyInstaller                              packaging/build.py
# uv itself is needed only here; it is installed into .venv when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
[ -x .venv/bin/uv ] || .venv/bin/python -m pip install -q uv
UV=.venv/bin/uv
"$UV" lock ${1:+"$@"}
export_set() {  # file, extras...
  local out=$1; shift
  local extras=()
  for extra in "$@"; do extras+=(--extra "$extra"); done
  "$UV" export --quiet --frozen --no-emit-project --format requirements-txt \
    "${extras[@]}" --output-file "$out"
}
mkdir -p requirements
export_set requirements/runtime.txt postgres
export_set requirements/test.txt postgres test
export_set requirements/build.txt postgres build
echo "uv.lock and requirements/*.txt written; commit them together with pyproject.toml." >&2
