"""A QR code as a ReportLab flowable (ReportLab's own encoder: no extra dependency)."""

from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

from app.reports.fonts import register_fonts


def qr_code(value: str, size: float, h_align: str = "CENTER") -> Drawing:
    """A square `size` points wide, quiet zone included, encoding `value`.

    Error correction level M survives a crease or a smudge on a paper slip and keeps a short
    reference at a module size a receipt printer renders crisply.
    """
    widget = QrCodeWidget(value, barLevel="M", barBorder=4)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    # A drawing starts by selecting Helvetica, which the PDF would name without embedding it.
    drawing.initialFontName = register_fonts()
    drawing.hAlign = h_align
    return drawing
