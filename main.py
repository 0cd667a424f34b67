"""Complaint Desk: `python main.py` opens the window; subcommands run the command line."""

from __future__ import annotations

import sys


def main() -> int:
    from app.cli import run

    if sys.platform == "win32":
        # No CUPS: print through Qt's printer support (the Windows spooler), for the window
        # and the `print` command alike.
        from app.printing.print_service import set_print_system

        set_print_system(_qt_print_system)
    return run(sys.argv[1:])


def _qt_print_system():  # type: ignore[no-untyped-def]
    from ui.qt_print_system import QtPrintSystem

    return QtPrintSystem()


if __name__ == "__main__":
    sys.exit(main())
