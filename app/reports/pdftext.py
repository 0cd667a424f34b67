"""Text made safe for ReportLab paragraphs in the shipped font.

Customers' texts may hold emoji or rare characters the font has no glyph for: printed as is
they come out as empty boxes. Symbols (emoji and their joiners) are dropped; a missing letter
(e.g. a rare hanzi in a name) becomes 〓, the mark Chinese typesetting uses for a missing glyph,
so the reader sees that something stood there.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from xml.sax.saxutils import escape

from app.reports.fonts import register_fonts

MISSING_MARK = "〓"
_DROPPED_CATEGORIES = ("So", "Sk", "Mn", "Me", "Cf", "Co", "Cn", "Cs")


# ReportLab's CJK line breaking knows the Japanese punctuation that may not start a line, but
# not the full-width Chinese comma, semicolon, colon, marks and closing quotes: a line could
# begin with "，要求…", which no Chinese typesetting allows. The closing mark then hangs at
# the end of the line before instead (ReportLab's own rule, for one character).
_CHINESE_CANNOT_START = "，。、；：！？）》〉」』】〕”’…"


def _teach_chinese_line_breaks() -> None:
    # Both copies: one-style paragraphs break in textsplit, mixed ones in paragraph.
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (textsplit, paragraph):
        missing = "".join(ch for ch in _CHINESE_CANNOT_START
                          if ch not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing


_teach_chinese_line_breaks()


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(register_fonts())
    return frozenset(font.face.charToGlyph)


def printable(text: str) -> str:
    """`text` with every character the font cannot draw dropped or replaced by 〓."""
    covered = _covered()
    out = []
    for ch in text:
        if ord(ch) in covered or ch in "\n\t ":
            out.append(ch)
        elif unicodedata.category(ch) not in _DROPPED_CATEGORIES:
            out.append(MISSING_MARK)
    return "".join(out)


def markup(text: str) -> str:
    """Plain text → paragraph markup: printable, with &, < and > escaped."""
    return escape(printable(text))
