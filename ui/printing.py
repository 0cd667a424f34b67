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
from app.services.settings_service import read_settings, remember_choice, stored_setting
from ui.context import DeskContext
from ui.messages import warn
from ui.tasks import run_task

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument

# Rendering finer than this only makes the print job bigger: laser printers print a 300 dpi
# raster of text crisply and receipt printers have 203 dpi.
MAX_PRINT_DPI = 300


def slip_file(db: Database, reference: str) -> Path:
    """Where the slip of `reference` is kept: <data folder>/slips/<reference>.pdf."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", reference) or "slip"
    return db.paths.data_dir / "slips" / f"{safe}.pdf"


def deliver_slip(ctx: DeskContext, reference: str, parent: QWidget | None,
                 done: Callable[[Path | None], None] | None = None) -> None:
    """Make the slip of `reference` and print it or open it, as the desk chose.

    Returns at once; the work goes on in the background. `done(path)` (None when nothing
    was delivered) lets a caller or a test follow the outcome.
    """
    def finish(path: Path | None) -> None:
        if done is not None:
            done(path)

    action = _chosen_action(ctx, parent)
    if action is None:
        finish(None)
        return
    fmt = str(read_settings(ctx.db)["slip_format"])
    target = slip_file(ctx.db, reference)

    def make() -> Path:
        from app.reports.slip import write_slip  # ReportLab loads on first use only

        try:
            return write_slip(ctx.db, reference, target, fmt)
        except PermissionError:
            # Windows: the viewer still holds the earlier copy open; write a new one beside it.
            stamp = f"{clock.now():%H%M%S}"
            return write_slip(ctx.db, reference, target.with_stem(f"{target.stem}-{stamp}"),
                              fmt)

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
    printer.setPageLayout(QPageLayout(
        QPageSize(QSizeF(size.width(), size.height()), QPageSize.Unit.Point, "",
                  QPageSize.SizeMatchPolicy.FuzzyMatch),
        QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    printer.setDocName(path.stem)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
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
            scale = min(area.width() / points.width(), area.height() / points.height())
            target = QRectF(area.x(), area.y(), points.width() * scale,
                            points.height() * scale)
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            image = document.render(i, QSize(round(points.width() * dpi / 72),
                                             round(points.height() * dpi / 72)))
            # The rendered page is transparent where the PDF draws nothing: paper white.
            painter.fillRect(target, Qt.GlobalColor.white)
            painter.drawImage(target, image)
        return pages
    finally:
        painter.end()
