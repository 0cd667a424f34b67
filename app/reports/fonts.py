"""The CJK font every printed page embeds (WenQuanYi Micro Hei, shipped in resources/fonts)."""

from __future__ import annotations

from pathlib import Path

FONT_FILE = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "wqy-microhei.ttc"
FONT = "DeskCJK"
_registered = False


def register_fonts() -> str:
    """Register the shipped TrueType font with ReportLab once; returns its name."""
    global _registered
    if not _registered:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
        _registered = True
    return FONT
