"""A typical case's sheet from the window, shared by the case list and the complaint panel's
typical-case section. Printing goes through the print service at the sheet's own size (A4,
this PC's report printer preselected in the print dialog; app/printing), refusals and held
jobs told; without a print service the sheet is printed through Qt's print dialog. Opening
makes the PDF off the GUI thread (app/reports/case_sheet.py) and shows it in the viewer."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from app import clock
from app.db import Database
from app.errors import DeskError
from app.i18n import _, get_language, ngettext
from ui import messages
from ui.context import DeskContext
from ui.printing import ask_printer, can_print, print_pdf, print_service_available
from ui.tasks import run_task

if TYPE_CHECKING:
    from app.printing.print_service import PrintOutcome

Done = Callable[[str | None], None]  # what happened, in words (None: nothing delivered)


def case_sheet_file(db: Database, reference: str, lang: str) -> Path:
    """Where the sheet is kept: <data folder>/case-sheets/<reference>-<lang>.pdf."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", reference) or "case"
    return db.paths.data_dir / "case-sheets" / f"{safe}-{lang}.pdf"


def deliver_case_sheet(ctx: DeskContext, reference: str, parent: QWidget | None, *,
                       print_it: bool, lang: str | None = None,
                       done: Done | None = None) -> None:
    """Print the sheet of `reference` in `lang` (default: the window's), or open it. Returns at
    once; `done(text)` tells the outcome (None when nothing was delivered)."""
    lang = lang or get_language()

    def finish(text: str | None) -> None:
        if done is not None:
            done(text)

    if print_it and print_service_available():
        _print_through_service(ctx, reference, parent, lang, finish)
        return
    target = case_sheet_file(ctx.db, reference, lang)
    actor = ctx.actor

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
            finish(_("Case sheet printed: {path}", path=str(path))
                   if print_pdf(path, parent) else None)
        elif QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            finish(_("Case sheet opened: {path}", path=str(path)))
        else:
            messages.warn(parent, _("No PDF viewer could open the case sheet. It is saved as "
                                    "{path}", path=str(path)))
            finish(None)

    def failed(exc: BaseException) -> None:
        text = exc.message() if isinstance(exc, DeskError) else str(exc)
        messages.warn(parent, _("The case sheet could not be made: {reason}", reason=text))
        finish(None)

    run_task(make, made, failed)


def _print_through_service(ctx: DeskContext, reference: str, parent: QWidget | None,
                           lang: str, finish: Done) -> None:
    from app.printing import desk_printers
    from app.printing.print_service import print_case_sheet

    preferred = desk_printers.load(ctx.db.paths).report_printer
    answer = ask_printer(parent, preferred, _("Print the case sheet of {reference}",
                                              reference=reference))
    if answer is None:
        finish(None)
        return
    printer, copies = answer
    actor = ctx.actor

    def printed(outcome: PrintOutcome) -> None:
        held = outcome.held_message()
        if held is not None:
            messages.warn(parent, held.message(), _("Case sheet not printed yet"))
            finish(held.message())
            return
        finish(ngettext("{pages} page sent to {printer}.", "{pages} pages sent to {printer}.",
                        outcome.pages, pages=outcome.pages, printer=outcome.printer))

    def failed(exc: BaseException) -> None:
        text = exc.message() if isinstance(exc, DeskError) else str(exc)
        messages.warn(parent, _("The case sheet was not printed: {reason}", reason=text),
                      _("Case sheet not printed"))
        finish(None)

    run_task(lambda: print_case_sheet(ctx.db, reference, printer=printer or None, lang=lang,
                                      copies=copies, actor=actor), printed, failed)
