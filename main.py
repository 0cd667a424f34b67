"""Complaint Desk: `python main.py` opens the window; subcommands run the command line.

The entry is the only place that knows both: app/ (the command line among it) never imports
the window, and the window is started from here (DESIGN.md §4).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from app.cli import parse_arguments, run_command

    if sys.platform == "win32":
        # No CUPS: print through Qt's printer support (the Windows spooler), for the window
        # and the `print` command alike.
        from app.printing.print_service import set_print_system

        set_print_system(_qt_print_system)
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from ui.application import run_gui

        return run_gui(args)
    if args.command == "selftest":
        # DESIGN.md §5: it needs Qt, so it is wired here, outside app/. Its own temporary
        # desk: no --db, no signing in to this PC's database.
        from ui.selftest import command

        return command(args)
    return run_command(args)


def _qt_print_system():  # type: ignore[no-untyped-def]
    from ui.qt_print_system import QtPrintSystem

    return QtPrintSystem()


if __name__ == "__main__":
    sys.exit(main())
