"""Handing the complaint slip to the customer: print it, or open it in the PDF viewer.

The slip is made by ReportLab (app/reports/slip.py) off the GUI thread. Printing renders its
pages with QtPdf onto the printer chosen in the print dialog (Qt's own PDF output would lose
the copyable Chinese text, see PLATFORM.md). Which of the two the desk does is asked the first
time and remembered in the settings (`slip_action`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from app import clock
from app.db import Database
from app.errors import DeskError
from app.i18n import _
from app.services.settings_service import remember_choice, stored_setting
from ui.context import DeskContext
from ui.messages import warn
from ui.tasks import run_task

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument

    from app.printing.print_service import PrintOutcome

# Rendering finer than this only makes the print job bigger: laser printers print a 300 dpi
# raster of text crisply and receipt printers have 203 dpi.
MAX_PRINT_DPI = 300


def slip_file(db: Database, reference: str) -> Path:
    """Where the slip of `reference` is kept: <data folder>/slips/<reference>.pdf."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", reference) or "slip"
    return db.paths.data_dir / "slips" / f"{safe}.pdf"


def deliver_slip(ctx: DeskContext, reference: str, parent: QWidget | None,
                 done: Callable[[Path | None], None] | None = None, *,
                 fmt: str | None = None, lang: str | None = None,
                 with_dialog: bool | None = None, action: str | None = None) -> None:
    """Print the slip of `reference`, or open it, as the desk chose.

    Printing goes through the print service at the slip's own size (app/printing); the print
    dialog chooses the printer unless this PC prints slips without it (`with_dialog` forces
    either). `fmt` and `lang` choose another format or language than this PC's and the
    window's (a reprint). Returns at once; `done(path)` reports the outcome (the printed
    slip's file when printed or opened, None when nothing was delivered).
    """
    def finish(path: Path | None) -> None:
        if done is not None:
            done(path)

    action = action or _chosen_action(ctx, parent)
    if action is None:
        finish(None)
        return
    if action == "print" and print_service_available():
        print_slip_now(ctx, reference, parent, finish, fmt=fmt, lang=lang,
                       with_dialog=with_dialog)
        return
    fmt = slip_format(ctx.db, fmt)
    target = slip_file(ctx.db, reference)

    def make() -> Path:
        from app.reports.slip import write_slip  # ReportLab loads on first use only

        try:
            return write_slip(ctx.db, reference, target, fmt, lang)
        except PermissionError:
            # Windows: the viewer still holds the earlier copy open; write a new one beside it.
            stamp = f"{clock.now():%H%M%S}"
            return write_slip(ctx.db, reference, target.with_stem(f"{target.stem}-{stamp}"),
                              fmt, lang)

    def made(path: Path) -> None:
        if action == "print" and can_print():
            finish(path if print_pdf(path, parent) else None)
        elif QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            finish(path)
        else:
            warn(parent, _("No PDF viewer could open the slip. It is saved as {path}",
                           path=str(path)))
            finish(None)

    def failed(exc: BaseException) -> None:
        text = exc.message() if isinstance(exc, DeskError) else str(exc)
        warn(parent, _("The slip could not be made: {reason}", reason=text))
        finish(None)

    run_task(make, made, failed)


def print_service_available() -> bool:
    """The system's print service answers: slips and reports go through it."""
    from app.printing.print_service import available

    return available()


def print_dialog(printer: QPrinter, parent: QWidget | None) -> QPrintDialog:
    """The print dialog without its "Print to File (PDF)" choice: a file Qt wrote there would
    skip the output guard (it could replace the live database) and the atomic write.
    Saving a page as a file goes through the program's own save buttons."""
    dialog = QPrintDialog(printer, parent)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, False)
    return dialog


def ask_printer(parent: QWidget | None, preferred: str, title: str) -> tuple[str, int] | None:
    """The print dialog, opened on `preferred`: (printer, copies), or None if cancelled.

    Only the printer and the number of copies are taken from it: the paper is the page's
    own (the dialog would otherwise impose the queue's default paper)."""
    printer = new_printer()
    if preferred:
        printer.setPrinterName(preferred)
    printer.setDocName(title)
    dialog = print_dialog(printer, parent)
    dialog.setWindowTitle(title)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer.printerName(), max(1, printer.copyCount())


def print_slip_now(ctx: DeskContext, reference: str, parent: QWidget | None,
                   finish: Callable[[Path | None], None], *, fmt: str | None = None,
                   lang: str | None = None, with_dialog: bool | None = None) -> None:
    """Print the slip through the print service; tell the user when it is refused or held."""
    from app.i18n import get_language
    from app.printing import desk_printers
    from app.printing.print_service import print_slip

    chosen = desk_printers.load(ctx.db.paths)
    printer, copies = chosen.slip_printer or "", 1
    if with_dialog is None:
        with_dialog = not chosen.print_without_dialog
    if with_dialog:
        answer = ask_printer(parent, printer, _("Print slip {reference}", reference=reference))
        if answer is None:
            finish(None)
            return
        printer, copies = answer
    lang = lang or get_language()
    actor = ctx.actor

    def work() -> PrintOutcome:
        return print_slip(ctx.db, reference, printer=printer or None, fmt=fmt, lang=lang,
                          copies=copies, actor=actor)

    def done(outcome: PrintOutcome) -> None:
        held = outcome.held_message()
        if held is not None:
            warn(parent, held.message(), _("Slip not printed yet"))
        ctx.signals.data_changed.emit(reference)  # the timeline shows the print
        finish(slip_file(ctx.db, reference))

    def failed(exc: BaseException) -> None:
        text = exc.message() if isinstance(exc, DeskError) else str(exc)
        warn(parent, _("The slip was not printed: {reason}", reason=text),
             _("Slip not printed"))
        finish(None)

    run_task(work, done, failed)


def slip_format(db: Database, explicit: str | None = None) -> str:
    from app.printing.print_service import slip_format as chosen

    return chosen(db, explicit)


def _chosen_action(ctx: DeskContext, parent: QWidget | None) -> str | None:
    """"print" or "open": the desk's choice, asked (and remembered) the first time."""
    action = stored_setting(ctx.db, "slip_action")
    if action is not None:
        return str(action)
    action = ask_slip_action(parent)
    if action is not None:
        # Should it not be stored (a refused change), the question simply comes again.
        with contextlib.suppress(DeskError):
            remember_choice(ctx.db, "slip_action", action, ctx.actor)
    return action


def ask_slip_action(parent: QWidget | None) -> str | None:
    """Ask once per desk whether slips are printed or opened; None if cancelled."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Complaint slip"))
    box.setText(_("Should complaint slips go straight to the printer, or open in the PDF "
                  "viewer first?"))
    box.setInformativeText(_("This is remembered. A supervisor can change it in the settings."))
    print_button = box.addButton(_("Print"), QMessageBox.ButtonRole.AcceptRole)
    open_button = box.addButton(_("Open in PDF viewer"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(print_button)
    box.exec()
    clicked = box.clickedButton()
    return "print" if clicked is print_button else "open" if clicked is open_button else None


def can_print() -> bool:
    """QtPdf is there to render the slip for the printer (else the slip opens in the viewer,
    whose own print button then does the printing)."""
    try:
        import PySide6.QtPdf  # noqa: F401
    except ImportError:
        return False
    return True


def new_printer() -> QPrinter:
    """The printer the print dialog configures (tests replace it by a PDF file printer)."""
    return QPrinter(QPrinter.PrinterMode.HighResolution)


def print_pdf(path: Path, parent: QWidget | None) -> bool:
    """Ask for the printer with the print dialog, then print the PDF; False if cancelled."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    if document.load(str(path)) != QPdfDocument.Error.None_ or document.pageCount() < 1:
        warn(parent, _("The slip could not be read for printing: {path}", path=str(path)))
        return False
    printer = new_printer()
    # Paper as big as the slip (A5, or the roll's width and the slip's length), no scaling.
    size = document.pagePointSize(0)
    own = QPageLayout(
        QPageSize(QSizeF(size.width(), size.height()), QPageSize.Unit.Point, "",
                  QPageSize.SizeMatchPolicy.FuzzyMatch),
        QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    printer.setPageLayout(own)
    printer.setDocName(path.stem)
    dialog = print_dialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    # The dialog puts the queue's default paper back: the slip's own size again.
    printer.setPageLayout(own)
    render_pdf(document, printer)
    return True


def render_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Paint every page of a loaded QPdfDocument onto `printer`; returns the page count.

    Each page is scaled to the printable area keeping its proportions, at most
    MAX_PRINT_DPI fine.
    """
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(_("The printer could not be started."))
    try:
        pages = document.pageCount()
        for i in range(pages):
            if i:
                printer.newPage()
            area = QRectF(painter.viewport())
            points = document.pagePointSize(i)
            # 1:1 where the paper holds the page; only a page bigger than the paper shrinks.
            px = printer.resolution() / 72  # device pixels per point
            scale = px * min(1.0, area.width() / (points.width() * px),
                             area.height() / (points.height() * px))
            w, h = points.width() * scale, points.height() * scale
            target = QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2,
                            w, h)
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            image = document.render(i, QSize(round(points.width() * dpi / 72),
                                             round(points.height() * dpi / 72)))
            # The rendered page is transparent where the PDF draws nothing: paper white.
            painter.fillRect(target, Qt.GlobalColor.white)
            painter.drawImage(target, image)
        return pages
    finally:
        painter.end()
