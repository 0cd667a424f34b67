#!/usr/bin/env bash
# Set up everything Complaint Desk needs on this machine: Qt's system libraries (Debian/Ubuntu,
# when run as root or with sudo), a virtual environment in .venv, and the Python packages.
# Usage: scripts/setup.sh [--test]   (--test adds the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3)
# What Qt's xcb platform plugin links: without them the window aborts on a real desktop (Qt's
# message then names libxcb-cursor0 whichever one is missing; QT_DEBUG_PLUGINS=1 tells).
SYSTEM_PACKAGES+=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
                  libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xkb1 libxcb-xfixes0
                  libxcb-sync1 libxcb-shm0 libxcb-util1 libxkbcommon-x11-0 libx11-xcb1)
# Printing: libcups2 for Qt's print dialog and pycups; pycups is built from source.
SYSTEM_PACKAGES+=(libcups2 libcups2-dev gcc)
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null; then
  SYSTEM_PACKAGES+=(python3-dev)  # Python.h, to build pycups
fi
if [ "${1:-}" = "--test" ]; then
  # postgresql: the suite runs a second time on a real server (scripts/test.sh).
  # gnome-keyring: a real Secret Service for the server-password test (tests/unit/test_credentials.py).
  SYSTEM_PACKAGES+=(poppler-utils poppler-data zbar-tools postgresql gnome-keyring dbus)
  # A real X server for the window with xcb, and a real CUPS server for the printing tests
  # (scripts/cups_test_server.sh).
  SYSTEM_PACKAGES+=(xvfb xauth x11-utils cups-daemon cups-client cups-filters cups-ppdc
                    printer-driver-cups-pdf)
fi
if command -v dpkg >/dev/null && command -v apt-get >/dev/null; then
  missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    echo "Installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# Exact versions, each file checked against its SHA-256 (uv.lock, exported by scripts/lock.sh):
# every machine, CI and the bundle get the same packages. The program itself is then
# installed without letting pip choose any dependency of its own.
LOCK=requirements/runtime.txt
[ "${1:-}" = "--test" ] && LOCK=requirements/test.txt
.venv/bin/python -m pip install -q --require-hashes -r "$LOCK"
.venv/bin/python -m pip install -q --no-deps -e .
# A .venv made while PySide6 6.12 was used holds PySide6-Pdf, whose files overlap PySide6-Addons:
# remove it and put Addons' own QtPdf back.
if .venv/bin/python -m pip show -q PySide6-Pdf >/dev/null 2>&1; then
  .venv/bin/python -m pip uninstall -y -q PySide6-Pdf
  .venv/bin/python -m pip install -q --force-reinstall --no-deps \
    "PySide6-Essentials==$(.venv/bin/python -c 'from importlib.metadata import version as v; print(v("PySide6-Essentials"))')" \
    "PySide6-Addons==$(.venv/bin/python -c 'from importlib.metadata import version as v; print(v("PySide6-Addons"))')"
fi
