"""Paper sizes as the print system names them (PWG 5101.1 "self-describing" media names).

CUPS (and IPP printers) name every paper with its size in it: `iso_a5_148x210mm`,
`na_letter_8.5x11in`, `custom_80x297mm_80x297mm`, and a custom range as `custom_min_…` /
`custom_max_…`. Sizes are kept in points (1/72 inch), portrait (width ≤ height).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MM = 72 / 25.4
INCH = 72.0
# Two sizes within this many points are the same paper (A5 is 419.53 pt in ReportLab and
# 421 pt in a PPD's rounded table).
SAME_SIZE_PT = 2.5

_SIZE = re.compile(r"_(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm|in)$")


@dataclass(frozen=True)
class Paper:
    """One paper the printer offers: its media keyword and size in points."""

    keyword: str
    width: float
    height: float

    def holds(self, width: float, height: float) -> bool:
        """Does a page of this size fit on this paper at 1:1 (portrait)?"""
        return width <= self.width + SAME_SIZE_PT and height <= self.height + SAME_SIZE_PT

    def same_size(self, width: float, height: float) -> bool:
        return (abs(self.width - width) <= SAME_SIZE_PT
                and abs(self.height - height) <= SAME_SIZE_PT)

    def describe(self) -> str:
        """"148 × 210 mm" for messages."""
        return f"{self.width / MM:.0f} × {self.height / MM:.0f} mm"


@dataclass(frozen=True)
class CustomRange:
    """The smallest and largest custom paper the printer takes (points)."""

    min_width: float
    min_height: float
    max_width: float
    max_height: float

    def allows(self, width: float, height: float) -> bool:
        return (self.min_width - SAME_SIZE_PT <= width <= self.max_width + SAME_SIZE_PT
                and self.min_height - SAME_SIZE_PT <= height <= self.max_height + SAME_SIZE_PT)


def size_of(keyword: str) -> tuple[float, float] | None:
    """(width, height) in points of a self-describing media name, portrait; None if the
    name carries no size (a vendor's own name)."""
    size = _width_height(keyword)
    return None if size is None else (min(size), max(size))


def paper(keyword: str) -> Paper | None:
    size = size_of(keyword)
    return None if size is None else Paper(keyword, *size)


def papers_and_range(keywords: list[str]) -> tuple[list[Paper], CustomRange | None]:
    """The named papers and the custom range among a printer's `media-supported` values."""
    named: list[Paper] = []
    low = high = None
    for keyword in keywords:
        size = _width_height(keyword)
        if size is None:
            continue
        if keyword.startswith("custom_min_"):
            low = size
        elif keyword.startswith("custom_max_"):
            high = size
        else:
            named.append(Paper(keyword, min(size), max(size)))
    custom = None
    if low is not None and high is not None:
        # The range keeps width and height apart: a roll's width is fixed, its length is not.
        custom = CustomRange(low[0], low[1], high[0], high[1])
    return named, custom


def _width_height(keyword: str) -> tuple[float, float] | None:
    match = _SIZE.search(keyword)
    if match is None:
        return None
    unit = MM if match.group(3) == "mm" else INCH
    return float(match.group(1)) * unit, float(match.group(2)) * unit
