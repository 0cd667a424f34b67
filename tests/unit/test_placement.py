"""Where a page goes on a printer's paper (app/printing/placement.py), from CUPS's own media
names: 1:1 always, never enlarged."""

from __future__ import annotations

import pytest

from app.printing.paper import MM, papers_and_range, size_of
from app.printing.placement import NoPaperForPage, PrinterPapers, place

A5 = (148 * MM, 210 * MM)
ROLL_SLIP = (80 * MM, 190 * MM)


def printer(keywords: list[str], default: str) -> PrinterPapers:
    named, custom = papers_and_range(keywords)
    return PrinterPapers(tuple(named), next(p for p in named if p.keyword == default), custom)


OFFICE = printer(["iso_a4_210x297mm", "iso_a5_148x210mm", "na_letter_8.5x11in",
                  "custom_min_25.4x25.4mm", "custom_max_215.9x355.6mm"], "iso_a4_210x297mm")
A4_ONLY = printer(["iso_a4_210x297mm"], "iso_a4_210x297mm")
ROLL = printer(["custom_80x297mm_80x297mm", "custom_80x200mm_80x200mm",
                "custom_min_79.73x25.4mm", "custom_max_80.08x3275.89mm"],
               "custom_80x297mm_80x297mm")


def test_sizes_are_read_from_the_names() -> None:
    assert size_of("na_letter_8.5x11in") == pytest.approx((612, 792))
    assert size_of("iso_a5_148x210mm") == pytest.approx(A5)
    assert size_of("roll_main") is None


def test_a5_on_a5_paper_when_the_printer_has_it() -> None:
    placed = place(*A5, OFFICE, "office")
    assert placed.media == "iso_a5_148x210mm" and placed.exact


def test_a5_centred_1_to_1_on_a_printer_without_a5() -> None:
    placed = place(*A5, A4_ONLY, "a4")
    assert placed.media == "iso_a4_210x297mm"
    assert (placed.offset_x / MM, placed.offset_y / MM) == pytest.approx((31, 43.5))


def test_roll_slip_as_long_as_its_content_on_the_roll() -> None:
    placed = place(*ROLL_SLIP, ROLL, "roll")
    assert placed.media == f"Custom.{80 * MM:.2f}x{190 * MM:.2f}" and placed.exact


def test_roll_slip_on_an_office_printer_is_centred_on_its_paper_not_custom() -> None:
    # Custom sizes on a sheet printer mean the manual feed: the slip goes on its A4 paper.
    placed = place(*ROLL_SLIP, OFFICE, "office")
    assert placed.media == "iso_a4_210x297mm" and not placed.exact


def test_a_long_roll_slip_goes_on_an_office_sheet_not_an_envelope() -> None:
    a5_tray = printer(["iso_a5_148x210mm", "iso_a4_210x297mm", "iso_dl_110x220mm",
                       "na_index-4x6_4x6in"], "iso_a5_148x210mm")
    placed = place(80 * MM, 220 * MM, a5_tray, "a5")  # longer than A5: the next office sheet
    assert placed.media == "iso_a4_210x297mm"


def test_a5_on_the_roll_is_refused_not_shrunk() -> None:
    with pytest.raises(NoPaperForPage) as refused:
        place(*A5, ROLL, "roll")
    assert "roll" in refused.value.message() and "80 × 297 mm" in refused.value.message()


def test_a_roll_slip_longer_than_the_roll_allows_is_refused() -> None:
    with pytest.raises(NoPaperForPage):
        place(80 * MM, 4000 * MM, ROLL, "roll")
