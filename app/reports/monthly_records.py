"""Two sections of the monthly summary from the revisits and the training record: the
questionnaire's average per question, and the typical cases chosen in the month. Their
figures are month_stats' `by_question` and `typical_cases` (via MonthReportData)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from app.formatting import shorten
from app.reports.monthly_figures import FULL_WIDTH
from app.reports.report_styles import MUTED, Styles, grid, header_row, text_cell
from app.reports.texts import ReportTexts
from app.services.report_data import MonthReportData

LESSON_COLUMNS = 150  # display columns of a lesson in the list: the sheet has it whole


def _average(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def questionnaire(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    title = Paragraph(tx._("Satisfaction questionnaire"), st.h1)
    s = data.stats
    note = Paragraph(tx.ngettext(
        "Answers given at the {count} revisit done in the month, 1 (lowest) to 5 (highest), "
        "each question as it was worded when asked; overall satisfaction {overall}.",
        "Answers given at the {count} revisits done in the month, 1 (lowest) to 5 (highest), "
        "each question as it was worded when asked; overall satisfaction {overall}.",
        s["revisits_done"], count=tx.number(s["revisits_done"]),
        overall=_average(s["avg_satisfaction"])), st.small)
    if not data.questions:
        return [title, note, Paragraph(tx._("No questionnaire is asked at revisits."),
                                       st.body)]
    rows: list[list[Any]] = [header_row(
        [tx._("Question"), tx._("Answers"), tx._("Average"), tx._("Previous month")], st,
        right=(1, 2, 3))]
    muted = []
    for i, line in enumerate(data.questions, start=1):
        text = line.label(tx.lang)
        if line.replaced_at is not None:
            text += " " + tx._("(reworded on {date}: later answers are on the new wording's "
                               "line)", date=tx.day(line.replaced_at))
        elif not line.asked:
            text += " " + tx._("(no longer asked)")
        if not line.asked:
            muted.append(i)
        rows.append([text_cell(text, st), tx.number(line.answers), _average(line.average),
                     _average(line.previous_average)])
    table = Table(rows, colWidths=[FULL_WIDTH - 210, 70, 70, 70], repeatRows=1)
    style = grid(st.font, len(rows))
    for r in muted:
        style.add("TEXTCOLOR", (1, r), (-1, r), MUTED)
    table.setStyle(style)
    return [KeepTogether([title, note, table])]


def typical_cases(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    title = Paragraph(tx._("Typical cases of the month"), st.h1)
    note = Paragraph(tx.ngettext(
        "{count} closed complaint chosen as a typical case in the month, for training; each "
        "has a one-page case sheet.",
        "{count} closed complaints chosen as typical cases in the month, for training; each "
        "has a one-page case sheet.", len(data.cases), count=tx.number(len(data.cases))),
        st.small)
    if not data.cases:
        return [title, note, Paragraph(tx._("None this month."), st.body)]
    rows: list[list[Any]] = [header_row(
        [tx._("Reference"), tx.field("category"), tx._("Case"), tx.field("lesson")], st)]
    for case in data.cases:
        where = " / ".join(x for x in (data.list_label("category", case.category),
                                       data.list_label("department", case.department)) if x)
        rows.append([case.reference, text_cell(where or "—", st), text_cell(case.title, st),
                     text_cell(shorten(case.lesson, LESSON_COLUMNS), st)])
    table = Table(rows, colWidths=[82, 80, 120, FULL_WIDTH - 282], repeatRows=1)
    table.setStyle(grid(st.font, len(rows), numeric_from=-1, size=7.5))
    return [title, note, table]
