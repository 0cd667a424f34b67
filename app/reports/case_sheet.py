"""The typical case sheet (典型案例): one A4 page for a training meeting.

What happened, what was found, what was done, what the customer said at the revisit, and
above all the lesson learned, in one language, anonymised (app/services/case_sheets.py says
who is shown and why). Always one page: the lesson is printed whole (its length is limited
where it is written), the complaint's own texts are shortened until the page holds them.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepInFrame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from app.atomic_files import write_bytes
from app.db import Database
from app.errors import DeskError
from app.formatting import shorten
from app.i18n import N_
from app.outputs import guard_output
from app.reports.fonts import register_fonts
from app.reports.pdftext import markup
from app.reports.report_styles import ACCENT, HEADER_BG, MUTED, RULE, Styles, make_styles
from app.reports.texts import ReportTexts
from app.services.case_sheets import CaseSheet, case_sheet_data
from app.services.common import SYSTEM, Actor

TITLE = N_("Typical case")
MARGIN = 40.0
WIDTH = A4[0] - 2 * MARGIN
HEIGHT = A4[1] - 2 * MARGIN - 14  # the footer line below the frame
# Display columns kept of each of the complaint's texts (a hanzi counts 2), halved until the
# page holds everything; never below the last step.
TEXT_WIDTHS = (1600, 900, 500, 260)
NOTE_LINE = 22.0  # room to write a line by hand
NOTE_LINES = 14


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of any text: its line breaks kept, and Chinese in it wrapped between
    characters even on an English sheet (the complaint's texts are often Chinese)."""
    if _CJK.search(text) and style.wordWrap != "CJK":
        style = _cjk(style)
    return Paragraph(markup(text).replace("\n", "<br/>"), style)


@lru_cache(maxsize=32)
def _cjk(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_cjk", parent=style, wordWrap="CJK")


_CJK = re.compile("[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _facts(sheet: CaseSheet, tx: ReportTexts, st: Styles) -> Table:
    dash = "—"
    year = sheet.received_at.year

    def when(value: Any) -> str:
        return tx.minute_in(value, year) if value is not None else dash

    resolved = dash
    if sheet.hours_to_resolve is not None:
        resolved = tx._("{hours} h", hours=tx.number(sheet.hours_to_resolve, 1))
        if sheet.in_time is not None:
            resolved += " · " + (tx._("in time") if sheet.in_time else tx._("late"))
    closed = when(sheet.closed_at)
    if sheet.withdrawn:
        closed = tx._("Withdrawn {date}", date=tx.day(sheet.closed_at))
    elif sheet.stage != "closed":
        closed = tx._("Reopened since; now: {stage}", stage=tx.label("stage", sheet.stage))
    pairs: list[tuple[str, str]] = [
        (tx.field("received_at"), tx.minute(sheet.received_at)),
        (tx.field("occurred_at"), when(sheet.occurred_at)),
        (tx.field("channel"), tx.label("channel", sheet.channel)),
        (tx.field("category"), sheet.category or sheet.subject or dash),
        (tx.field("department"), sheet.department or dash),
        (tx.field("location"), sheet.location or dash),
        (tx.field("severity"), tx.label("severity", sheet.severity)),
        (tx.field("tier"), tx.label("tier", sheet.tier)),
        (tx.field("emotion"), tx.label("emotion", sheet.emotion) or dash),
        (tx._("First contact"), when(sheet.first_contact_at)),
        (tx._("Time to resolve"), resolved),
        (tx.field("closed_at"), closed),
        (tx.field("verified"), tx.label("verification", sheet.verified) or dash),
    ]
    if sheet.reopen_count:
        pairs.append((tx._("Reopened"), tx.ngettext("{count} time", "{count} times",
                                                    sheet.reopen_count,
                                                    count=sheet.reopen_count)))
    rows = []
    for i in range(0, len(pairs), 2):
        row: list[Any] = []
        for label, value in pairs[i:i + 2]:
            row += [_p(label, st.small), _p(value, st.cell)]
        rows.append(row + [""] * (4 - len(row)))
    label_w = 80.0
    table = Table(rows, colWidths=[label_w, WIDTH / 2 - label_w] * 2)
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3)])
    return table


def _section(heading: str, body: list[Flowable], st: Styles) -> list[Flowable]:
    return [Paragraph(markup(heading), st.h2), *body]


def _text(text: str, width: int, st: Styles) -> Paragraph:
    return _p(shorten(text, width) if text else "—", st.body)


def _lesson(sheet: CaseSheet, tx: ReportTexts, st: Styles) -> Table:
    box = Table([[_p(tx._("Lesson learned"), st.h1)], [_p(sheet.lesson, st.notice)]],
                colWidths=[WIDTH])
    box.setStyle([("BOX", (0, 0), (-1, -1), 1.2, ACCENT),
                  ("BACKGROUND", (0, 0), (-1, -1), HEADER_BG),
                  ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                  ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, -1), (-1, -1), 8)])
    return box


def _answers(sheet: CaseSheet, tx: ReportTexts, st: Styles) -> list[Flowable]:
    if not sheet.answers:
        return []
    rows = [[_p(question, st.cell), f"{score}/5"] for question, score in sheet.answers]
    table = Table(rows, colWidths=[WIDTH - 50, 50])
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), st.font), ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)])
    return [table]


def story(sheet: CaseSheet, tx: ReportTexts, st: Styles, width: int) -> list[Flowable]:
    """The page's flowables, the complaint's texts kept to `width` display columns."""
    out: list[Flowable] = []
    head = " · ".join(x for x in (sheet.business_name, tx._(TITLE)) if x)
    out.append(_p(head, st.subtitle))
    out.append(_p(sheet.title, st.title))
    out.append(_p(tx._("Complaint {reference}", reference=sheet.reference), st.small))
    rule = Table([[""]], colWidths=[WIDTH], rowHeights=[3])
    rule.setStyle([("LINEBELOW", (0, 0), (-1, -1), 1.2, ACCENT)])
    out += [rule, Spacer(1, 4), _facts(sheet, tx, st)]
    demands = ("、" if tx.chinese else ", ").join(tx.label("demand", d) for d in sheet.demands)
    happened = [_text(sheet.description, width, st)]
    if demands:
        happened.append(_p(f"{tx.field('customer_demand')}: {demands}", st.small))
    out += _section(tx._("What happened"), happened, st)
    found = [_text(sheet.findings, width, st)]
    extra = [x for x in (
        f"{tx.field('root_cause')}: {sheet.root_cause}" if sheet.root_cause else "",
        f"{tx.field('responsibility')}: {tx.label('responsibility', sheet.responsibility)}"
        if sheet.responsibility else "") if x]
    if extra:
        found.append(_p(" · ".join(extra), st.small))
    out += _section(tx._("What was found"), found, st)
    given = ("、" if tx.chinese else ", ").join(sheet.solution_types) or "—"
    if sheet.amount_cents:
        given += f" · {tx.money(sheet.amount_cents / 100)}"
    out += _section(tx._("What was done"), [_p(given, st.small),
                                             _text(sheet.solution, width, st)], st)
    if sheet.satisfaction is not None:
        visit = tx._("Satisfaction {score}/5 ({method})", score=sheet.satisfaction,
                     method=tx.label("revisit_method", sheet.revisit_method))
        body: list[Flowable] = [_p(visit, st.body), *_answers(sheet, tx, st)]
        if sheet.revisit_comment:
            body.append(_text(sheet.revisit_comment, width, st))
        out += _section(tx._("At the revisit"), body, st)
    if sheet.actions:
        lines = [_p(f"• {shorten(text, width // 2)} ({tx.label('action_status', status)})",
                    st.body) for text, status in sheet.actions]
        out += _section(tx._("Improvement actions"), lines, st)
    out += [Spacer(1, 8), _lesson(sheet, tx, st), Spacer(1, 6)]
    staff = (tx._("Staff named in the complaint are not named on this sheet.")
             if sheet.staff_named else "")
    handled = (tx._("Handled by a member of staff in the role {role}.",
                    role=tx.label("role", sheet.handled_by_role))
               if sheet.handled_by_role else "")
    out.append(_p(" ".join(x for x in (
        tx._("Chosen as a typical case by {name} on {date}.", name=sheet.marked_by or "—",
             date=tx.day(sheet.marked_at)), handled, staff) if x), st.small))
    out.append(_p(tx._("For training: the customer's name, phone and email, other long "
                       "numbers and the names of people are taken out of the texts."),
                  st.small))
    return out


class _Page(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buffer: io.BytesIO, sheet: CaseSheet, tx: ReportTexts, font: str
                 ) -> None:
        super().__init__(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN, bottomMargin=MARGIN + 14,
                         title=f"{tx._(TITLE)} {sheet.reference}",
                         author=sheet.business_name or tx._("Complaint Desk"), lang=tx.lang)
        frame = Frame(MARGIN, MARGIN + 14, WIDTH, HEIGHT, id="body", leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)
        footer = " · ".join(x for x in (sheet.reference, tx._(TITLE),
                                        tx._("printed {time}", time=tx.minute(
                                            sheet.generated_at))) if x)

        def draw_footer(canvas: Any, _doc: Any) -> None:
            canvas.saveState()
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.5)
            canvas.line(MARGIN, MARGIN + 4, A4[0] - MARGIN, MARGIN + 4)
            canvas.setFont(font, 7.5)
            canvas.setFillColor(MUTED)
            canvas.drawString(MARGIN, MARGIN - 6, footer)
            canvas.restoreState()

        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=draw_footer)])


def _height(flowables: list[Flowable]) -> float:
    total = 0.0
    for f in flowables:
        _w, h = f.wrap(WIDTH, HEIGHT * 4)
        total += h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def _notes(room: float, tx: ReportTexts, st: Styles) -> list[Flowable]:
    """Ruled lines for the meeting's notes in the room the case leaves on the page."""
    heading = _p(tx._("Notes from the training meeting"), st.h2)
    _w, head = heading.wrap(WIDTH, HEIGHT)
    lines = min(NOTE_LINES, int((room - head - st.h2.spaceBefore - st.h2.spaceAfter - 4)
                                // NOTE_LINE))
    if lines < 3:
        return []
    table = Table([[""]] * lines, colWidths=[WIDTH], rowHeights=[NOTE_LINE] * lines)
    table.setStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)])
    return [heading, table]


def build_case_sheet(sheet: CaseSheet) -> bytes:
    """The sheet as one A4 page of PDF."""
    tx = ReportTexts(sheet.lang, sheet.currency_symbol)
    font = register_fonts()
    st = make_styles(font, tx.chinese)
    for width in TEXT_WIDTHS:
        flowables = story(sheet, tx, st, width)
        height = _height(story(sheet, tx, st, width))
        if height <= HEIGHT:
            flowables += _notes(HEIGHT - height, tx, st)
            break
    else:
        # Still too tall with the shortest texts (many answers and actions): shrink the
        # whole page a little rather than print a second one.
        flowables = [KeepInFrame(WIDTH, HEIGHT, story(sheet, tx, st, TEXT_WIDTHS[-1]),
                                 mode="shrink")]
    buffer = io.BytesIO()
    _Page(buffer, sheet, tx, font).build(flowables)
    return buffer.getvalue()


def case_sheet_pdf(db: Database, reference: str, lang: str, *, actor: Actor = SYSTEM) -> bytes:
    """Read the case and make its sheet (NotFound when the complaint is not a case)."""
    return build_case_sheet(case_sheet_data(db, reference, lang, actor=actor))


def write_case_sheet(db: Database, reference: str, out: str | Path, lang: str, *,
                     actor: Actor = SYSTEM) -> Path:
    """The sheet into `out`, written whole or not at all; never onto the database, its own
    files or a backup (app/outputs.guard_output: refused with nothing written)."""
    target = guard_output(db, Path(out).expanduser().resolve())
    if not target.parent.is_dir():
        raise DeskError(N_("The folder {folder} does not exist"), folder=str(target.parent))
    pdf = case_sheet_pdf(db, reference, lang, actor=actor)
    write_bytes(target, pdf)
    return target

