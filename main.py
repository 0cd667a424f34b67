"""Complaint Desk: `python main.py` opens the window; subcommands run the command line."""

from __future__ import annotations

import sys


def main() -> int:
    from app.cli import run

    return run(sys.argv[1:], qt_commands={"selftest": selftest})


def selftest(args: object) -> int:
    """`main.py selftest` (DESIGN.md §5): needs Qt, so it is wired here, outside app/."""
    from ui.selftest import command

    return command(args)  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
