"""Printing a PDF made by ReportLab: QtPdf renders each page onto the printer.

Pages are rendered at no more than 300 dpi (a 600 dpi A4 page would be a 140 MB image) and
scaled onto the printer's page, keeping the aspect ratio.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

MAX_DPI = 300


def print_pdf(document: QPdfDocument, printer: QPrinter,
              on_page: Callable[[int, int], None] | None = None) -> int:
    """Print every page of `document` (or the printer's page range); returns pages printed."""
    count = document.pageCount()
    first, last = 0, count - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(0, printer.fromPage() - 1)
        last = min(count - 1, printer.toPage() - 1)
    dpi = min(printer.resolution(), MAX_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    printed = 0
    try:
        for index in range(first, last + 1):
            if index > first:
                printer.newPage()
            points = document.pagePointSize(index)
            image = document.render(index, QSize(round(points.width() * dpi / 72),
                                                 round(points.height() * dpi / 72)))
            target = printer.pageLayout().paintRectPixels(printer.resolution())
            area = QRectF(0, 0, target.width(), target.height())
            scale = min(area.width() / image.width(), area.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            painter.drawImage(QRectF((area.width() - w) / 2, (area.height() - h) / 2, w, h),
                              image)
            printed += 1
            if on_page is not None:
                on_page(printed, last - first + 1)
    finally:
        painter.end()
    return printed


def a4_portrait(printer: QPrinter) -> None:
    """Our reports are A4 portrait: start the print dialog there."""
    from PySide6.QtGui import QPageSize

    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
