"""A typical case's sheet from the window: made off the GUI thread (app/reports/case_sheet.py),
then opened in the PDF viewer or printed at its own size (A4). Shared by the case list and
the complaint panel's typical-case section."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from app import clock
from app.db import Database
from app.errors import DeskError
from app.i18n import _, get_language
from ui import messages
from ui.context import DeskContext
from ui.printing import can_print, print_pdf
from ui.tasks import run_task


def case_sheet_file(db: Database, reference: str, lang: str) -> Path:
    """Where the sheet is kept: <data folder>/case-sheets/<reference>-<lang>.pdf."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", reference) or "case"
    return db.paths.data_dir / "case-sheets" / f"{safe}-{lang}.pdf"


def deliver_case_sheet(ctx: DeskContext, reference: str, parent: QWidget | None, *,
                       print_it: bool, lang: str | None = None,
                       done: Callable[[Path | None], None] | None = None) -> None:
    """Make the sheet of `reference` in `lang` (default: the window's), then print it or open
    it. Returns at once; `done(path)` tells the outcome (None: nothing delivered)."""
    lang = lang or get_language()
    target = case_sheet_file(ctx.db, reference, lang)
    actor = ctx.actor

    def finish(path: Path | None) -> None:
        if done is not None:
            done(path)

    def make() -> Path:
        from app.reports.case_sheet import write_case_sheet  # ReportLab on first use only

        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            return write_case_sheet(ctx.db, reference, target, lang, actor=actor)
        except PermissionError:
            # Windows: the viewer still holds the earlier copy open; write one beside it.
            stamp = f"{clock.now():%H%M%S}"
            return write_case_sheet(ctx.db, reference, target.with_stem(
                f"{target.stem}-{stamp}"), lang, actor=actor)

    def made(path: Path) -> None:
        if print_it and can_print():
            finish(path if print_pdf(path, parent) else None)
        elif QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            finish(path)
        else:
            messages.warn(parent, _("No PDF viewer could open the case sheet. It is saved as {path}",
                           path=str(path)))
            finish(None)

    def failed(exc: BaseException) -> None:
        text = exc.message() if isinstance(exc, DeskError) else str(exc)
        messages.warn(parent, _("The case sheet could not be made: {reason}", reason=text))
        finish(None)

    run_task(make, made, failed)
