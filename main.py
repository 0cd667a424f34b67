"""Complaint Desk: `python main.py` opens the window; subcommands run the command line.

The entry is the only place that knows both: app/ (the command line among it) never imports
the window, and the window is started from here (DESIGN.md §4).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from app.cli import parse_arguments, run_command

    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from ui.application import run_gui

        return run_gui(args)
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
