"""Where a page goes on a printer's paper: always 1:1 (DESIGN.md §3 "Printing").

1. The printer has paper of the page's size (A5 on an A5-capable printer): that paper.
2. The printer's own paper is as wide as the page and it takes custom lengths (a receipt
   roll): a custom paper as long as the page, so the roll is cut after the content.
3. Else its default paper if the page fits on it, else its smallest sheet of office paper
   (A and B series, Letter, Legal) that holds the page, not an envelope or a photo card the
   printer may list but not have loaded: the page centred on it at 1:1, never enlarged.
4. No paper holds the page (an A5 slip on an 80 mm roll): refused, naming the printer and
   its widest paper, since shrinking it would make it unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import DeskError
from app.i18n import N_
from app.printing.paper import MM, SAME_SIZE_PT, CustomRange, Paper

# Sheets an office printer has in a tray (PWG names): the fallback papers of rule 3.
OFFICE_SHEETS = ("iso_a", "iso_b", "jis_b", "na_letter", "na_legal", "na_ledger")


@dataclass(frozen=True)
class PrinterPapers:
    """What a printer offers: named papers, its default one, and a custom range if any."""

    papers: tuple[Paper, ...]
    default: Paper | None
    custom: CustomRange | None = None


@dataclass(frozen=True)
class Placement:
    """The paper to ask for (`media` option), its size, and where the page's lower-left corner
    sits on it (points). `exact` when paper and page are the same size."""

    media: str
    sheet_width: float
    sheet_height: float
    offset_x: float
    offset_y: float

    @property
    def exact(self) -> bool:
        return self.offset_x == 0 and self.offset_y == 0


class NoPaperForPage(DeskError):
    """No paper of the printer holds the page at 1:1."""


def place(width: float, height: float, printer: PrinterPapers, printer_name: str) -> Placement:
    """The placement of a `width` × `height` page (points, portrait) on `printer`."""
    for paper in _default_first(printer):
        if paper.same_size(width, height):
            return Placement(paper.keyword, paper.width, paper.height, 0, 0)
    default = printer.default
    if (printer.custom is not None and default is not None
            and abs(default.width - width) <= SAME_SIZE_PT
            and printer.custom.allows(width, height)):
        return Placement(f"Custom.{width:.2f}x{height:.2f}", width, height, 0, 0)
    holding = [p for p in _default_first(printer)
               if p.holds(width, height) and p.keyword.startswith(OFFICE_SHEETS)]
    if default is not None and default.holds(width, height):
        sheet = default
    elif holding:
        sheet = min(holding, key=lambda p: p.width * p.height)
    else:
        widest = max(printer.papers, key=lambda p: p.width, default=None)
        raise NoPaperForPage(
            N_("The printer {printer} has no paper for a {page} page (its widest paper: "
               "{widest}); printing it smaller would make it unreadable. Choose another "
               "printer or format."),
            printer=printer_name, page=f"{width / MM:.0f} × {height / MM:.0f} mm",
            widest=widest.describe() if widest is not None else "—")
    return Placement(sheet.keyword, sheet.width, sheet.height,
                     max(0.0, (sheet.width - width) / 2), max(0.0, (sheet.height - height) / 2))


def _default_first(printer: PrinterPapers) -> list[Paper]:
    papers = list(printer.papers)
    if printer.default is not None and printer.default not in papers:
        papers.insert(0, printer.default)
    elif printer.default is not None:
        papers.remove(printer.default)
        papers.insert(0, printer.default)
    return papers
