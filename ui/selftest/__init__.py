"""`main.py selftest`: is this installation whole? (DESIGN.md §5)

On a temporary demo desk (nothing of the PC's own data or settings is touched) it opens every
view of the window offscreen as an administrator, renders a slip (A5 and 80 mm) and a monthly
report and reads their text back, writes the Excel export, and looks for the shipped font, the
three languages' catalogs and the Qt plugins. One line a check; exit 0 only when all pass.
The bundle's smoke test runs the bundle's own `selftest`; support staff can run it on a
counter PC (`complaint-desk-cli selftest`).
"""

from __future__ import annotations

import argparse

from ui.selftest.runner import run_selftest


def command(args: argparse.Namespace) -> int:
    """The `selftest` subcommand (wired in main.py: it needs Qt, so it lives outside app/)."""
    return run_selftest(keep=getattr(args, "keep", None))


__all__ = ["command", "run_selftest"]
