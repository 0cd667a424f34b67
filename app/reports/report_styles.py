"""Paragraph and table styles of the printed reports (one look for every report page)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, TableStyle

from app.reports.pdftext import markup

INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#666666")
ACCENT = colors.HexColor("#2F5597")
HEADER_BG = colors.HexColor("#E8EEF7")
ZEBRA_BG = colors.HexColor("#F6F8FB")
RULE = colors.HexColor("#B7C4DA")
WARN_HEX = "#C00000"
WARN = colors.HexColor(WARN_HEX)


@dataclass(frozen=True)
class Styles:
    font: str
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_cjk: ParagraphStyle  # a cell holding Chinese, in any report language
    notice: ParagraphStyle
    head: ParagraphStyle  # table header cells that may wrap
    head_right: ParagraphStyle


def make_styles(font: str, chinese: bool) -> Styles:
    # CJK wrapping breaks between any two characters; English must break between words only.
    wrap = "CJK" if chinese else None

    def style(name: str, size: float, leading: float, colour: colors.Color = INK,
              **kw: object) -> ParagraphStyle:
        options: dict[str, object] = {"alignment": TA_LEFT, **kw}
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading,
                              textColor=colour, wordWrap=wrap, **options)

    return Styles(
        font=font,
        title=style("title", 18, 24, ACCENT, spaceAfter=2),
        subtitle=style("subtitle", 10.5, 15, MUTED),
        h1=style("h1", 13, 18, ACCENT, spaceBefore=10, spaceAfter=5),
        h2=style("h2", 10.5, 14, INK, spaceBefore=6, spaceAfter=3),
        body=style("body", 9, 13),
        small=style("small", 7.5, 10, MUTED),
        cell=style("cell", 8, 10.5),
        cell_cjk=ParagraphStyle("cell_cjk", fontName=font, fontSize=8, leading=10.5,
                                textColor=INK, wordWrap="CJK"),
        notice=style("notice", 12, 18, ACCENT),
        head=style("head", 7.5, 9.5),
        head_right=style("head_right", 7.5, 9.5, alignment=TA_RIGHT),
    )


def grid(font: str, rows: int, numeric_from: int = 1, zebra: bool = True,
         size: float = 8) -> TableStyle:
    """A table with a shaded header row, light rules and right-aligned number columns."""
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size + 2.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if numeric_from >= 0:
        commands.append(("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"))
    if zebra:
        for r in range(2, rows, 2):
            commands.append(("BACKGROUND", (0, r), (-1, r), ZEBRA_BG))
    return TableStyle(commands)


def text_cell(text: str, st: Styles) -> Paragraph:
    """A wrapping table cell of plain text (user text may hold '<', '&' or emoji).

    Text with Chinese in it wraps between characters even in an English report: customers'
    words are often Chinese, and word wrapping would leave a line per clause.
    """
    return Paragraph(markup(text), st.cell_cjk if _CJK.search(text) else st.cell)


_CJK = re.compile("[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def header_row(texts: list[str], st: Styles, right: tuple[int, ...] = ()) -> list[Paragraph]:
    """Header cells that wrap inside their column (long Chinese or English headings)."""
    return [Paragraph(markup(t), st.head_right if i in right else st.head)
            for i, t in enumerate(texts)]
