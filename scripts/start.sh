#!/usr/bin/env bash
# Set up (first time) and open Complaint Desk on its SQLite database in the user's data folder.
# The first start asks for the business, the profile and the first supervisor, and offers
# demo data. Extra arguments go to the program (e.g. --lang en, --db FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] && .venv/bin/python -c "import PySide6, sqlalchemy, reportlab" 2>/dev/null \
  || scripts/setup.sh
exec .venv/bin/python main.py "$@"
