"""The shift hand-over sheet (交接班单 / 交接班單): one A4 page to print at the start of a shift.

At the top, the work waiting by owner (overdue, due today, open escalations, approvals, revisits
due); below, the complaints of each part, grouped by owner. A page holds what it holds: when
a busy desk has more than fits, each part shows as many of its most pressing lines as the page
allows and says how many more there are (the queue and the alerts list have them all), never a
second page. The lines at the foot are for the signatures of whoever hands over and takes over.

Built in the language asked for (ReportTexts), with the shipped CJK font embedded, like every
printed page; `handover_pdf` gives the bytes (the print path, app/printing), `write_handover`
writes a file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from app.atomic_files import write_bytes
from app.db import Database
from app.errors import DeskError
from app.i18n import N_
from app.outputs import guard_output
from app.reports.fonts import register_fonts
from app.reports.pdftext import markup
from app.reports.report_styles import ACCENT, MUTED, WARN, Styles, grid, header_row, text_cell
from app.reports.texts import ReportTexts
from app.services.common import SYSTEM, Actor
from app.services.handover import (
    APPROVALS,
    DUE_TODAY,
    ESCALATIONS,
    OVERDUE,
    REVISITS,
    SECTIONS,
    HandoverItem,
    HandoverSheet,
    handover_sheet,
    most_pressing,
)

TITLE = N_("Shift hand-over sheet")
MARGIN = 32.0
FOOT = 50.0  # the signature lines at the foot of the page
WIDTH: float = float(A4[0]) - 2 * MARGIN
ROOM: float = float(A4[1]) - 2 * MARGIN - FOOT
MOST_LINES = 60  # no part ever shows more lines than this; the fit search starts below it

SECTION_TITLES = {
    OVERDUE: N_("Overdue"),
    DUE_TODAY: N_("Due on the day"),
    ESCALATIONS: N_("Escalations open"),
    APPROVALS: N_("Solutions awaiting approval"),
    REVISITS: N_("Revisits due"),
}
# What the time column of each part holds.
WHEN_TITLES = {
    OVERDUE: N_("Was due"),
    DUE_TODAY: N_("Due"),
    ESCALATIONS: N_("Escalated"),
    APPROVALS: N_("Proposed"),
    REVISITS: N_("Revisit day"),
}
COLUMNS = (62.0, 86.0, 72.0, 72.0, 40.0, 60.0, 62.0)  # the last column takes the rest


@dataclass(frozen=True)
class HandoverFile:
    path: Path
    day: str
    lang: str
    lines: dict[str, int]  # part -> lines waiting
    shown: dict[str, int]  # part -> lines printed (the page holds what it holds)


def _styles(tx: ReportTexts) -> Styles:
    from app.reports.report_styles import make_styles

    return make_styles(register_fonts(), tx.chinese)


def _heading(sheet: HandoverSheet, tx: ReportTexts, st: Styles) -> list[Flowable]:
    title = f"{tx._(TITLE)} · {tx.day(sheet.day)}"
    out: list[Flowable] = []
    if sheet.business_name:
        out.append(Paragraph(markup(sheet.business_name), st.h1))
    out.append(Paragraph(markup(title), st.title))
    who = (tx._("As of {time}, printed by {name}", time=tx.minute(sheet.at),
                name=sheet.prepared_by) if sheet.prepared_by
           else tx._("As of {time}", time=tx.minute(sheet.at)))
    out.append(Paragraph(markup(who), st.subtitle))
    rule = Table([[""]], colWidths=[WIDTH], rowHeights=[3])
    rule.setStyle([("LINEBELOW", (0, 0), (-1, -1), 1.2, ACCENT)])
    return [*out, rule, Spacer(1, 4)]


def _owner(name: str, tx: ReportTexts) -> str:
    return name or tx._("(unassigned)")


def _summary(sheet: HandoverSheet, tx: ReportTexts, st: Styles) -> list[Flowable]:
    counts = sheet.by_owner()
    head = Paragraph(tx._("Waiting, by owner"), st.h2)
    if not counts:
        return [head, Paragraph(tx._("Nothing is waiting: no complaint overdue or due, no "
                                     "open escalation, approval or revisit."), st.body)]
    titles = [tx.field("owner"), *(tx._(SECTION_TITLES[k]) for k in SECTIONS), tx._("Total")]
    rows: list[list[Any]] = [header_row(titles, st, right=tuple(range(1, len(titles))))]
    totals = dict.fromkeys(SECTIONS, 0)
    for owner, per in counts:
        rows.append([text_cell(_owner(owner, tx), st), *(tx.number(per[k]) for k in SECTIONS),
                     tx.number(sum(per.values()))])
        for k in SECTIONS:
            totals[k] += per[k]
    rows.append([tx._("Total"), *(tx.number(totals[k]) for k in SECTIONS),
                 tx.number(sum(totals.values()))])
    first = 110.0
    table = Table(rows, colWidths=[first] + [(WIDTH - first) / (len(titles) - 1)]
                  * (len(titles) - 1), repeatRows=1)
    style = grid(st.font, len(rows) - 1, size=8)
    style.add("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT)
    for r, (_owner_name, per) in enumerate(counts, start=1):
        if per[OVERDUE]:
            style.add("TEXTCOLOR", (1, r), (1, r), WARN)
    if totals[OVERDUE]:
        style.add("TEXTCOLOR", (1, -1), (1, -1), WARN)
    table.setStyle(style)
    return [head, table]


def _detail(item: HandoverItem, part: str, sheet: HandoverSheet, tx: ReportTexts) -> str:
    if part == ESCALATIONS:
        return tx.label("escalation_rule", item.rule)
    if part == APPROVALS:
        return tx.money(item.amount_cents / 100)
    return ""


def _when(item: HandoverItem, part: str, sheet: HandoverSheet, tx: ReportTexts) -> str:
    if item.when is None:
        return ""
    if part == REVISITS:
        return tx.day(item.when)
    return tx.minute_in(item.when, sheet.at.year)


def _part(sheet: HandoverSheet, part: str, cap: int, tx: ReportTexts,
          st: Styles) -> list[Flowable]:
    items = sheet.sections.get(part, [])
    head = Paragraph(f"{markup(tx._(SECTION_TITLES[part]))} ({tx.number(len(items))})", st.h2)
    if not items:
        return [head, Paragraph(tx._("None."), st.small)]
    detail_title = {ESCALATIONS: tx._("Why"), APPROVALS: tx.field("amount")}.get(part, "")
    titles = [tx.field("owner"), tx._("Reference"), tx._("Customer"), tx.field("category"),
              tx.field("severity"), tx.field("stage"), tx._(WHEN_TITLES[part]), detail_title]
    rows: list[list[Any]] = [header_row(titles, st)]
    shown = most_pressing(items, cap)
    urgent = []
    for i, item in enumerate(shown, start=1):
        rows.append([text_cell(_owner(item.owner, tx), st), item.reference,
                     text_cell(item.customer, st),
                     text_cell(sheet.category_labels.get(item.category or "", item.category
                                                        or ""), st),
                     tx.label("severity", item.severity),
                     text_cell(tx.label("stage", item.stage), st),
                     _when(item, part, sheet, tx),
                     text_cell(_detail(item, part, sheet, tx), st)])
        if item.severity == "urgent":
            urgent.append(i)
    widths = [*COLUMNS, WIDTH - sum(COLUMNS)]
    out: list[Flowable] = [head]
    if shown:
        table = Table(rows, colWidths=widths, repeatRows=1)
        style = grid(st.font, len(rows), numeric_from=-1, size=7.5)
        # Tight rows: a shift's work should fit on the page.
        style.add("TOPPADDING", (0, 1), (-1, -1), 1.5)
        style.add("BOTTOMPADDING", (0, 1), (-1, -1), 1.5)
        for r in urgent:
            style.add("TEXTCOLOR", (4, r), (4, r), WARN)
        table.setStyle(style)
        out.append(table)
    more = len(items) - len(shown)
    if more:
        where = (tx._("the alerts list has them all") if part == ESCALATIONS
                 else tx._("the queue has them all"))
        out.append(Paragraph(markup(tx.ngettext("… and {count} more line: {where}.",
                                                "… and {count} more lines: {where}.", more,
                                                count=tx.number(more), where=where)),
                             st.small))
    return out


def story(sheet: HandoverSheet, caps: dict[str, int], tx: ReportTexts,
          st: Styles) -> list[Flowable]:
    """The page's flowables with at most `caps[part]` lines of each part."""
    out = _heading(sheet, tx, st) + _summary(sheet, tx, st)
    for part in SECTIONS:
        out += _part(sheet, part, caps[part], tx, st)
    return out


def _height(flowables: list[Flowable]) -> float:
    total = 0.0
    for i, flowable in enumerate(flowables):
        _w, h = flowable.wrap(WIDTH, 10_000)
        total += float(h) + float(flowable.getSpaceAfter())
        total += float(flowable.getSpaceBefore()) if i else 0.0
    return total


def fit(sheet: HandoverSheet, tx: ReportTexts, st: Styles) -> dict[str, int]:
    """How many lines of each part the page holds: the most pressing lines of every part get
    the same room, then what is left goes to the parts in their order."""
    lengths = {k: len(sheet.sections.get(k, [])) for k in SECTIONS}

    def fits(caps: dict[str, int]) -> bool:
        return _height(story(sheet, caps, tx, st)) <= ROOM

    def capped(n: int) -> dict[str, int]:
        return {k: min(lengths[k], n) for k in SECTIONS}

    low, high = 0, min(MOST_LINES, max(lengths.values(), default=0))
    if fits(capped(high)):
        return capped(high)
    while low < high:  # the largest uniform cap that fits
        middle = (low + high + 1) // 2
        if fits(capped(middle)):
            low = middle
        else:
            high = middle - 1
    caps = capped(low)
    for part in SECTIONS:  # the room left, to the most pressing parts first
        while caps[part] < min(lengths[part], MOST_LINES) and fits({**caps, part: caps[part]
                                                                    + 1}):
            caps[part] += 1
    return caps


def _foot(tx: ReportTexts, st: Styles) -> Any:
    """Signature lines drawn at the foot of the page."""

    def draw(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        y = MARGIN + 14
        labels = [tx._("Handed over by"), tx._("Taken over by"), tx._("Time of hand-over")]
        widths = [WIDTH * 0.38, WIDTH * 0.38, WIDTH * 0.24]
        x = MARGIN
        canvas.setFont(st.font, 8.5)
        canvas.setFillColor(MUTED)
        for text, width in zip(labels, widths, strict=True):
            canvas.drawString(x, y + 20, text)
            canvas.setStrokeColor(MUTED)
            canvas.setLineWidth(0.6)
            canvas.line(x, y, x + width - 14, y)
            x += width
        canvas.restoreState()

    return draw


def build_handover(sheet: HandoverSheet, lang: str) -> tuple[bytes, dict[str, int]]:
    """The sheet as PDF bytes (one A4 page) and how many lines of each part it shows."""
    tx = ReportTexts(lang, sheet.currency_symbol)
    st = _styles(tx)
    caps = fit(sheet, tx, st)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                          topMargin=MARGIN, bottomMargin=MARGIN + FOOT,
                          title=f"{tx._(TITLE)} {sheet.day.isoformat()}",
                          author=sheet.business_name or tx._("Complaint Desk"),
                          creator="Complaint Desk", initialFontName=st.font, lang=tx.lang)
    frame = Frame(MARGIN, MARGIN + FOOT, WIDTH, ROOM, id="sheet", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="sheet", frames=[frame], onPage=_foot(tx, st))])
    doc.build(story(sheet, caps, tx, st))
    return buffer.getvalue(), caps


def handover_pdf(db: Database, day: str | None = None, lang: str = "zh-Hans",
                 actor: Actor = SYSTEM) -> tuple[bytes, HandoverSheet, dict[str, int]]:
    """Read what the sheet lists (app/services/handover.py) and draw it."""
    sheet = handover_sheet(db, day, lang, actor)
    pdf, caps = build_handover(sheet, lang)
    return pdf, sheet, caps


def write_handover(db: Database, out: str | Path, day: str | None = None,
                   lang: str = "zh-Hans", actor: Actor = SYSTEM) -> HandoverFile:
    """Write the sheet of `day` (default today) to `out`, whole or not at all."""
    target = guard_output(db, out)  # never onto the database or a backup
    if not target.parent.is_dir():
        raise DeskError(N_("The folder {folder} does not exist"), folder=str(target.parent))
    pdf, sheet, caps = handover_pdf(db, day, lang, actor)
    write_bytes(target, pdf)
    lines = {k: len(sheet.sections.get(k, [])) for k in SECTIONS}
    return HandoverFile(target, sheet.day.isoformat(), lang, lines, caps)

