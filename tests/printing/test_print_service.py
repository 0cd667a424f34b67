"""Printing through a real CUPS server (scripts/cups_test_server.sh): every page at its own
size, compared page by page with the PDF the program made, by size and by rendered image."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.db import Database
from app.printing import cups as cups_system
from app.printing.cups import PrintFailed
from app.printing.placement import NoPaperForPage
from app.printing.print_service import print_report, print_slip, print_test_page
from app.reports.slip import slip_pdf
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.intake import IntakeInput, log_complaint
from app.timeline import describe
from tests.printing.printed import (
    DPI,
    blank_outside,
    difference,
    landed,
    page_sizes_mm,
    render,
    require_queues,
)

# Longer than the A5 slip shows (it shortens it) and than 2 lines of the roll (it used to).
LONG = ("电梯扶手有破损，孩子的手被划伤，流了很多血；保安十分钟后才到，" * 6) + "最后一句话。"


@pytest.fixture(autouse=True)
def print_server() -> None:
    require_queues()


@pytest.fixture
def ref(db: Database, clerk: Actor, fixed_clock: Any) -> str:
    data = IntakeInput(description=LONG, customer_name="王芳", phone="13912345678",
                       category="safety", demands=["apology", "compensation"])
    return log_complaint(db, data, clerk).reference


def test_a5_slip_prints_on_a5_paper_of_the_a4_queue(db: Database, ref: str, clerk: Actor,
                                                    tmp_path: Path) -> None:
    outcome = print_slip(db, ref, printer="CDT-A4", fmt="a5", lang="zh-Hans", actor=clerk)
    assert outcome.held_reason is None and outcome.placement.exact
    printed = landed("CDT-A4", outcome.job_id)
    original = slip_pdf(db, ref, "a5", "zh-Hans")
    assert page_sizes_mm(printed)[0] == pytest.approx(page_sizes_mm(original)[0], abs=1.0)
    assert page_sizes_mm(printed)[0] == pytest.approx((148, 210), abs=1.0)
    assert difference(render(printed, 1, tmp_path, "printed"),
                      render(original, 1, tmp_path, "original")) < 0.01


def test_a5_slip_on_a_printer_without_a5_is_centred_1_to_1(db: Database, ref: str,
                                                           clerk: Actor,
                                                           tmp_path: Path) -> None:
    outcome = print_slip(db, ref, printer="CDT-A4only", fmt="a5", lang="zh-Hant", actor=clerk)
    printed = landed("CDT-A4only", outcome.job_id)
    assert page_sizes_mm(printed)[0] == pytest.approx((210, 297), abs=1.0)
    page, slip = (render(printed, 1, tmp_path, "printed"),
                  render(slip_pdf(db, ref, "a5", "zh-Hant"), 1, tmp_path, "original"))
    # Same pixel size = same scale: the slip was neither enlarged nor shrunk.
    at = ((page.width - slip.width) // 2, (page.height - slip.height) // 2)
    assert difference(page, slip, at) < 0.01
    assert blank_outside(page, slip, at)


def test_roll_slip_is_80_mm_wide_and_as_long_as_its_whole_text(db: Database, ref: str,
                                                              clerk: Actor,
                                                              tmp_path: Path) -> None:
    outcome = print_slip(db, ref, printer="CDT-Roll80", fmt="receipt80", lang="zh-Hans",
                         actor=clerk)
    assert outcome.placement.media.startswith("Custom.")
    printed = landed("CDT-Roll80", outcome.job_id)
    original = slip_pdf(db, ref, "receipt80", "zh-Hans")
    (width, height), = page_sizes_mm(printed)
    assert width == pytest.approx(80, abs=0.5)
    assert height == pytest.approx(page_sizes_mm(original)[0][1], abs=0.5)
    assert height < 297  # not the queue's default 80 × 297 mm: cut after the content
    text = PdfReader(io.BytesIO(original)).pages[0].extract_text().replace("\n", "")
    assert "最后一句话。" in text and "…" not in text  # the complaint's text is not cut
    assert difference(render(printed, 1, tmp_path, "printed"),
                      render(original, 1, tmp_path, "original")) < 0.01


def test_report_prints_on_a4_page_by_page_on_the_a5_queue(db: Database, supervisor: Actor,
                                                          ref: str, tmp_path: Path,
                                                          fixed_clock: Any) -> None:
    month = f"{fixed_clock.now:%Y-%m}"
    outcome = print_report(db, month, printer="CDT-A5", lang="en", actor=supervisor)
    printed = landed("CDT-A5", outcome.job_id)
    from app.reports.monthly import write_monthly_report

    original = write_monthly_report(db, month, tmp_path / "report.pdf", "en",
                                    actor=supervisor).path
    sizes = page_sizes_mm(printed)
    assert len(sizes) == outcome.pages == len(page_sizes_mm(original)) >= 2
    assert all(size == pytest.approx((210, 297), abs=1.0) for size in sizes)
    for page in range(1, len(sizes) + 1):
        assert difference(render(printed, page, tmp_path, f"printed-{page}"),
                          render(original, page, tmp_path, f"original-{page}")) < 0.01, page


def test_a5_slip_on_the_roll_is_refused_not_shrunk(db: Database, ref: str,
                                                   clerk: Actor) -> None:
    with pytest.raises(NoPaperForPage) as refused:
        print_slip(db, ref, printer="CDT-Roll80", fmt="a5", actor=clerk)
    assert "CDT-Roll80" in refused.value.message() and "80 × 297 mm" in refused.value.message()
    assert _prints(db, ref) == []


def test_a_refusing_queue_is_an_error_naming_printer_and_reason(db: Database, ref: str,
                                                                clerk: Actor) -> None:
    with pytest.raises(PrintFailed) as refused:
        print_slip(db, ref, printer="CDT-Refuse", fmt="a5", actor=clerk)
    assert "CDT-Refuse" in refused.value.message()
    assert "closed by the administrator" in refused.value.message()
    assert _prints(db, ref) == []


def test_a_paused_printer_holds_the_job_and_says_why(db: Database, ref: str,
                                                     clerk: Actor) -> None:
    outcome = print_slip(db, ref, printer="CDT-Paused", fmt="a5", actor=clerk)
    try:
        assert outcome.held_reason == "out of paper"
        held = outcome.held_message()
        assert held is not None and "CDT-Paused" in held.message()
        assert len(_prints(db, ref)) == 1  # the job exists: it is on the timeline
    finally:
        cups_system.connection().cancelJob(outcome.job_id)


def test_each_print_is_on_the_timeline_with_who_where_and_how(db: Database, ref: str,
                                                              clerk: Actor) -> None:
    first = print_slip(db, ref, printer="CDT-A4", fmt="a5", lang="zh-Hant", actor=clerk)
    second = print_slip(db, ref, printer="CDT-Roll80", fmt="receipt80", lang="en", actor=clerk)
    prints = _prints(db, ref)
    assert [(e.data["printer"], e.data["format"], e.data["language"], e.data["job"])
            for e in prints] == [("CDT-A4", "a5", "zh-Hant", first.job_id),
                                 ("CDT-Roll80", "receipt80", "en", second.job_id)]
    assert {e.actor for e in prints} == {clerk.name}
    from app.i18n import set_language

    set_language("en")
    assert describe("slip_printed", prints[0].data) == (
        f"Slip printed on CDT-A4 (A5 page, 繁體中文), job {first.job_id}")
    landed("CDT-A4", first.job_id)
    landed("CDT-Roll80", second.job_id)


def test_test_page_prints_at_the_formats_size(db: Database, tmp_path: Path) -> None:
    outcome = print_test_page(db.paths, "CDT-Roll80", "receipt80")
    (width, height), = page_sizes_mm(landed("CDT-Roll80", outcome.job_id))
    assert (width, height) == pytest.approx((80, 120), abs=0.5)
    assert DPI  # the ruler is checked by eye: see the report


def _prints(db: Database, ref: str) -> list[Any]:
    return [e for e in get_detail(db, ref).timeline if e.kind == "slip_printed"]
