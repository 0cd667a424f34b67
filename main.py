"""Complaint Desk: `python main.py` opens the window; subcommands run the command line."""

from __future__ import annotations

import sys


def main() -> int:
    from app.cli import run

    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
