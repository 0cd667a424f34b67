"""The test page printed when a printer is chosen: the format's own size, a frame 3 mm inside
its edges and a 50 mm ruler, so one look tells that the printer prints it 1:1 and whole."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app import clock
from app.formatting import format_datetime
from app.i18n import N_, _
from app.reports.fonts import register_fonts

SIZES = {"a5": A5, "a4": A4, "receipt80": (80 * mm, 120 * mm)}
FORMAT_NAMES = {"a5": N_("A5 page"), "a4": N_("A4 page"), "receipt80": N_("80 mm receipt roll")}
RULER_MM = 50


def test_page_pdf(printer: str, fmt: str) -> bytes:
    width, height = SIZES[fmt]
    font = register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), initialFontName=font)
    canvas.setTitle(_("Test page"))
    canvas.setLineWidth(0.6)
    canvas.rect(3 * mm, 3 * mm, width - 6 * mm, height - 6 * mm)
    x, y = 8 * mm, height - 14 * mm
    canvas.setFont(font, 13 if width > 100 * mm else 11)
    canvas.drawString(x, y, _("Complaint Desk test page"))
    canvas.setFont(font, 8.5)
    for line in (_("Printer: {printer}", printer=printer),
                 _("Format: {format}", format=_(FORMAT_NAMES[fmt])),
                 format_datetime(clock.now()),
                 "投诉受理单 · 投訴受理單 · Complaint slip"):
        y -= 6 * mm
        canvas.drawString(x, y, line)
    # The ruler: measure it on the paper; 50 mm means the page was printed 1:1.
    y -= 12 * mm
    canvas.line(x, y, x + RULER_MM * mm, y)
    for i in range(RULER_MM + 1):
        tick = 3 * mm if i % 10 == 0 else (2 * mm if i % 5 == 0 else 1 * mm)
        canvas.line(x + i * mm, y, x + i * mm, y + tick)
    canvas.setFont(font, 7)
    canvas.drawString(x, y - 4 * mm, _("This ruler is {length} mm long when printed at the "
                                       "right size.", length=RULER_MM))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
