"""The monthly complaint summary (月度投诉汇总 / 月度投訴匯總) as an A4 PDF.

Built only from `month_report_data` (month_stats plus the lists behind its figures), in the
language asked for. Slow parts report progress and stop early when asked (cooperative
cancellation between sections and after every page); the file appears only when complete.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from app.atomic_files import atomic_path
from app.db import Database
from app.errors import DeskError
from app.i18n import N_, _
from app.outputs import guard_output
from app.permissions import SEE_REPORTS, require
from app.reports import monthly_figures, monthly_lists, monthly_records
from app.reports.fonts import register_fonts
from app.reports.pdftext import markup
from app.reports.report_styles import ACCENT, MUTED, RULE, Styles, make_styles
from app.reports.texts import ReportTexts
from app.services.common import SYSTEM, Actor
from app.services.report_data import MonthReportData, month_report_data
from app.services.stats import month_bounds

MARGIN = 42.0
TITLE = N_("Monthly complaint summary")

Progress = Callable[[int, str], None]  # percent done, what is being done (screen language)
Cancelled = Callable[[], bool]


class ReportCancelled(Exception):
    """The user stopped the report; no file was written."""


@dataclass(frozen=True)
class MonthlyReport:
    path: Path
    month: str
    lang: str
    pages: int
    received: int
    stats_ms: float  # reading the figures and lists
    pdf_ms: float  # laying out and drawing the pages


class _Steps:
    """Progress reporting plus the cancellation check, called between sections."""

    def __init__(self, progress: Progress | None, cancelled: Cancelled | None) -> None:
        self.progress, self.cancelled = progress, cancelled

    def __call__(self, percent: int, text: str) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ReportCancelled()
        if self.progress is not None:
            self.progress(percent, text)


def _numbered_canvas(tx: ReportTexts, st: Styles, data: MonthReportData) -> type:
    """A canvas that holds its pages back until the end, to print "page x of y" on each."""
    footer_left = " · ".join(x for x in (data.business_name, tx._(TITLE), tx.month(data.month))
                             if x)

    class NumberedCanvas(pdf_canvas.Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            width = A4[0]
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, 34, width - MARGIN, 34)
            self.setFont(st.font, 7.5)
            self.setFillColor(MUTED)
            self.drawString(MARGIN, 24, footer_left)
            self.drawRightString(width - MARGIN, 24,
                                 tx._("Page {page} of {pages}", page=number, pages=total))

    return NumberedCanvas


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, path: str, on_page: Callable[[int], None], **kw: Any) -> None:
        super().__init__(path, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN, bottomMargin=MARGIN + 8, **kw)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._on_page = on_page

    def afterPage(self) -> None:  # noqa: N802 - ReportLab API
        self._on_page(self.page)


def _heading(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    year, mon = (int(x) for x in data.month.split("-"))
    start, end = month_bounds(year, mon)
    out: list[Flowable] = []
    if data.business_name:
        out.append(Paragraph(markup(data.business_name), st.title))
        out.append(Paragraph(f"{tx._(TITLE)} · {tx.month(data.month)}", st.h1))
    else:
        out.append(Paragraph(f"{tx._(TITLE)} · {tx.month(data.month)}", st.title))
    out.append(Paragraph(tx._(
        "Period {start} to {end} · prepared {now}", start=tx.day(start),
        end=tx.day(end - timedelta(days=1)), now=tx.minute(data.generated_at)),
        st.subtitle))
    if start <= data.generated_at < end:
        out.append(Paragraph(tx._("The month is not over: figures \"at month end\" are as of "
                                  "{now}.", now=tx.minute(data.generated_at)), st.small))
    rule = Table([[""]], colWidths=[monthly_figures.FULL_WIDTH], rowHeights=[4])
    rule.setStyle([("LINEBELOW", (0, 0), (-1, -1), 1.2, ACCENT)])
    return [*out, Spacer(1, 2), rule, Spacer(1, 4)]


def _empty_notice(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    s = data.stats
    busy = s["closed_in_month"] or s["open_at_month_end"] or s["resolved_in_month"]
    text = tx._("No complaints were received in {month}.", month=tx.month(data.month))
    more = (tx._("The figures below show the work on complaints from earlier months.") if busy
            else tx._("There was no complaint activity in this month."))
    box = Table([[Paragraph(text, st.notice)], [Paragraph(more, st.body)]],
                colWidths=[monthly_figures.FULL_WIDTH])
    box.setStyle([("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
                  ("BACKGROUND", (0, 0), (-1, -1), "#F3F6FB"),
                  ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                  ("LEFTPADDING", (0, 0), (-1, -1), 12)])
    return [Spacer(1, 6), box, Spacer(1, 4)]


def story(data: MonthReportData, tx: ReportTexts, st: Styles,
          step: Callable[[int, str], None]) -> list[Flowable]:
    """The flowables of the report, section by section (checking for cancel in between)."""
    s = data.stats
    empty = s["received"] == 0
    out = _heading(data, tx, st)
    # An empty month gets its notice where the headline tiles (all zero) would stand.
    out += _empty_notice(data, tx, st) if empty else monthly_figures.headline(data, tx, st)
    out += monthly_figures.key_figures(data, tx, st)
    out += [CondPageBreak(220), *monthly_lists.trend(data, tx, st)]
    step(58, _("Laying out the breakdowns"))
    if not empty:
        out.append(CondPageBreak(320))
        out += monthly_figures.breakdowns(data, tx, st)
    elif s["open_at_month_end"] or s["previous_month"]["open_at_month_end"]:
        out += monthly_figures.stage_breakdown(data, tx, st)
    step(62, _("Laying out the lists"))
    if not empty:
        out += monthly_lists.root_causes(data, tx, st)
    if not empty or data.by_owner:
        out += monthly_lists.people(data, tx, st)
    if not empty:
        out += [CondPageBreak(250), *monthly_lists.serious(data, tx, st)]
        step(66, _("Laying out the lists"))
    if not empty or data.escalated:
        out += [CondPageBreak(160), *monthly_lists.escalated(data, tx, st)]
    if not empty:
        out += [CondPageBreak(160), *monthly_lists.repeat_customers(data, tx, st)]
    # A month without revisits or cases (an empty month) keeps its one page.
    if s["revisits_done"] or any(q.previous_average is not None for q in data.questions):
        out += [CondPageBreak(160), *monthly_records.questionnaire(data, tx, st)]
    if not empty or data.cases:
        out += [CondPageBreak(160 if data.cases else 80),
                *monthly_records.typical_cases(data, tx, st)]
    # "No improvement action is open" is two lines: it needs no more room than that.
    out += [CondPageBreak(160 if data.actions else 50), *monthly_lists.actions(data, tx, st)]
    return out


def _estimated_pages(data: MonthReportData) -> int:
    return (4 + len(data.serious) // 40 + min(len(data.repeat_customers), 100) // 30
            + min(len(data.escalated), 200) // 40)


def build_pdf(data: MonthReportData, out: Path, lang: str,
              step: Callable[[int, str], None] | None = None) -> int:
    """Draw the report of `data` into `out` (written in place); returns the page count."""
    tick = step or (lambda _p, _t: None)
    tx = ReportTexts(lang, data.currency_symbol)
    st = make_styles(register_fonts(), tx.chinese)
    flowables = story(data, tx, st, tick)
    estimate = _estimated_pages(data)

    def on_page(page: int) -> None:
        tick(70 + min(28, 28 * page // estimate), _("Drawing page {page}", page=page))

    doc = _Doc(str(out), on_page, title=f"{tx._(TITLE)} {data.month}",
               author=data.business_name or tx._("Complaint Desk"), lang=tx.lang)
    doc.build(flowables, canvasmaker=_numbered_canvas(tx, st, data))
    return int(doc.page)


def write_monthly_report(db: Database, month: str, out: str | Path, lang: str = "zh-Hans",
                         progress: Progress | None = None,
                         cancelled: Cancelled | None = None, *,
                         actor: Actor = SYSTEM) -> MonthlyReport:
    """Build the monthly summary of `month` (YYYY-MM) into `out`.

    Raises ValidationError for a bad month, PermissionDenied unless `actor` may see reports,
    ReportCancelled when `cancelled()` turns true (then `out` is left untouched)."""
    require(actor, SEE_REPORTS)  # supervisors (app/permissions.py)
    steps = _Steps(progress, cancelled)
    target = guard_output(db, out)  # never onto the database or a backup
    if not target.parent.is_dir():
        raise DeskError(N_("The folder {folder} does not exist"), folder=str(target.parent))
    steps(0, _("Reading the figures"))
    t0 = time.perf_counter()
    parts = {"stats": (5, N_("Reading the figures")), "trend": (40, N_("Reading the trend")),
             "lists": (48, N_("Reading the lists"))}
    data = month_report_data(db, month, lang,
                             step=lambda name: steps(parts[name][0], _(parts[name][1])),
                             actor=actor)
    t1 = time.perf_counter()
    steps(55, _("Laying out the pages"))
    with atomic_path(target) as part:
        pages = build_pdf(data, part, lang, steps)
        steps(99, _("Saving"))
    t2 = time.perf_counter()
    if progress is not None:
        progress(100, _("Done"))
    return MonthlyReport(target, data.month, lang, pages, data.stats["received"],
                         round((t1 - t0) * 1000, 1), round((t2 - t1) * 1000, 1))
