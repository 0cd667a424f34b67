"""The print service through Qt's own printer support: used where there is no CUPS (Windows'
spooler). The page, already placed on its sheet by app/printing, is rendered by QtPdf onto
a QPrinter whose paper is set to that sheet after any dialog, with no margins and no scaling.

Qt does not say whether the spooler took the job; the printer's state (QPrinterInfo) before
and after tells a paused or failed printer. On Linux the same class prints through Qt's CUPS
path, which the tests use to check it keeps the page's size.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from app.i18n import N_
from app.printing.cups import JOB_COMPLETED, JobReceipt, PrintFailed, QueueState
from app.printing.paper import CustomRange, Paper
from app.printing.placement import PrinterPapers

MAX_DPI = 300


def _paper(size: QPageSize) -> Paper:
    points = size.size(QPageSize.Unit.Point)
    w, h = points.width(), points.height()
    return Paper(size.key() or size.name(), min(w, h), max(w, h))


class QtPrintSystem:
    def __init__(self) -> None:
        if QGuiApplication.instance() is None:
            # The command line: a GUI application object without a window.
            self._app = QGuiApplication(["complaint-desk", "-platform", "offscreen"])

    def printers(self) -> list[str]:
        return sorted(QPrinterInfo.availablePrinterNames())

    def default_printer(self) -> str | None:
        return QPrinterInfo.defaultPrinterName() or None

    def papers(self, name: str) -> PrinterPapers:
        info = QPrinterInfo.printerInfo(name)
        papers = tuple(_paper(s) for s in info.supportedPageSizes())
        default = _paper(info.defaultPageSize()) if info.defaultPageSize().isValid() else None
        custom = None
        if info.supportsCustomPageSizes():
            low = info.minimumPhysicalPageSize().size(QPageSize.Unit.Point)
            high = info.maximumPhysicalPageSize().size(QPageSize.Unit.Point)
            custom = CustomRange(low.width(), low.height(), high.width(), high.height())
        return PrinterPapers(papers, default, custom)

    def state(self, name: str) -> QueueState:
        state = QPrinterInfo.printerInfo(name).state()
        bad = state in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted)
        return QueueState(True, bad, ("stopped",) if bad else (), "")

    def submit(self, name: str, path: Path, title: str, media: str,
               copies: int = 1) -> JobReceipt:
        from PySide6.QtPdf import QPdfDocument

        document = QPdfDocument()
        if document.load(str(path)) != QPdfDocument.Error.None_:
            raise PrintFailed(N_("The print file could not be read: {file}"), file=str(path))
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPrinterName(name)
        printer.setDocName(title)
        printer.setCopyCount(max(1, copies))
        printer.setFullPage(True)
        sheet = document.pagePointSize(0)
        printer.setPageLayout(QPageLayout(
            QPageSize(QSizeF(sheet.width(), sheet.height()), QPageSize.Unit.Point, title,
                      QPageSize.SizeMatchPolicy.FuzzyMatch),
            QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintFailed(N_("The printer {printer} refused the job: {reason}"), printer=name,
                              reason="—")
        try:
            px = printer.resolution() / 72
            dpi = min(printer.resolution(), MAX_DPI)
            for i in range(document.pageCount()):
                if i:
                    printer.newPage()
                points = document.pagePointSize(i)
                image = document.render(i, QSize(round(points.width() * dpi / 72),
                                                 round(points.height() * dpi / 72)))
                target = QRectF(0, 0, points.width() * px, points.height() * px)
                painter.fillRect(target, Qt.GlobalColor.white)
                painter.drawImage(target, image)
        finally:
            painter.end()
        after = self.state(name)
        return JobReceipt(0, JOB_COMPLETED, "stopped" if after.stopped else None)
