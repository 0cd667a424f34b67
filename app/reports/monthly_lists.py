"""The second part of the monthly summary: the 12-month trend, root causes, people, and the
lists a manager reads line by line (serious and urgent complaints, repeat complainants, open
improvement actions). Each list's length matches the figure it explains.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from app.reports import charts
from app.reports.monthly_figures import FULL_WIDTH
from app.reports.pdftext import markup
from app.reports.report_styles import WARN, WARN_HEX, Styles, grid, header_row, text_cell
from app.reports.texts import ReportTexts
from app.services.report_data import MonthReportData, SeriousComplaint

TOP = 10
REPEAT_LIMIT = 100
# A busy month can hold thousands: the printed list stays a few pages, the export has all.
SERIOUS_LIMIT = 200
STAFF_LIMIT = 100
ESCALATED_LIMIT = 200
DESCRIPTION_CHARS = 60  # about three lines of the column: what happened, not the whole story
REFS_SHOWN = 5


def _none(tx: ReportTexts, st: Styles) -> Paragraph:
    return Paragraph(tx._("None this month."), st.body)


def trend(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    months = tx.short_months([p.month for p in data.trend])
    lines = charts.trend_chart(
        months,
        [(tx._("Received"), [p.received for p in data.trend], charts.RECEIVED_COLOUR),
         (tx._("Closed"), [p.closed for p in data.trend], charts.CLOSED_COLOUR)],
        st.font, FULL_WIDTH, 130)
    label_w = 86.0
    col_w = (FULL_WIDTH - label_w) / len(data.trend)
    rows: list[list[Any]] = [
        [tx._("Month"), *months],
        [tx._("Received"), *(tx.number(p.received) for p in data.trend)],
        [tx._("Closed"), *(tx.number(p.closed) for p in data.trend)],
        [tx._("Satisfaction"), *(tx.number(p.avg_satisfaction, 2) for p in data.trend)],
    ]
    table = Table(rows, colWidths=[label_w] + [col_w] * len(data.trend))
    table.setStyle(grid(st.font, len(rows), size=7))
    return [KeepTogether([Paragraph(tx._("Trend over 12 months"), st.h1), lines,
                          Spacer(1, 4), table])]


def root_causes(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    head = Paragraph(tx._("Top root causes"), st.h2)
    section = Paragraph(tx._("Causes and handling"), st.h1)
    if not data.root_causes:
        return [section, head, _none(tx, st)]
    total = sum(n for _, n in data.root_causes)
    rows: list[list[Any]] = [header_row([tx.field("root_cause"), tx._("Count"), tx._("Share")],
                                        st, right=(1, 2))]
    rows += [[text_cell(data.list_label("root_cause", cause), st), tx.number(n),
              f"{100 * n / total:.1f}%"] for cause, n in data.root_causes[:TOP]]
    table = Table(rows, colWidths=[FULL_WIDTH - 150, 75, 75], repeatRows=1)
    table.setStyle(grid(st.font, len(rows)))
    note = Paragraph(tx.ngettext(
        "Share of the {count} complaint of the month with a recorded root cause.",
        "Share of the {count} complaints of the month with a recorded root cause.", total,
        count=tx.number(total)), st.small)
    return [KeepTogether([section, head, note, table])]


def people(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    out: list[Flowable] = []
    head = Paragraph(tx._("Resolved in the month, by owner"), st.h2)
    if data.by_owner:
        rows: list[list[Any]] = [header_row(
            [tx.field("owner"), tx._("Resolved"), tx._("Resolved in time"), tx._("SLA met"),
             tx._("Median hours")], st, right=(1, 2, 3, 4))]
        for line in data.by_owner:
            rows.append([text_cell(line.owner or tx._("(unassigned)"), st),
                         tx.number(line.resolved), tx.number(line.sla_met),
                         f"{100 * line.sla_met / line.resolved:.1f}%",
                         tx.number(line.median_hours, 1)])
        resolved = sum(line.resolved for line in data.by_owner)
        met = sum(line.sla_met for line in data.by_owner)
        rows.append([tx._("Total"), tx.number(resolved), tx.number(met),
                     f"{100 * met / resolved:.1f}%",
                     tx.number(data.stats["median_hours_to_resolve"], 1)])
        table = Table(rows, colWidths=[FULL_WIDTH - 300, 75, 75, 75, 75], repeatRows=1)
        table.setStyle(grid(st.font, len(rows) - 1))
        out.append(KeepTogether([head, table]))
    else:
        out += [head, _none(tx, st)]
    out += staff(data, tx, st)
    return out


def staff(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    """Each staff member named in the month's complaints, for training (salon/mall 员工培训):
    how many complaints named them and what the investigation found."""
    head = Paragraph(tx._("Staff named in complaints"), st.h2)
    if not data.staff_involved:
        return [head, _none(tx, st)]
    listed = data.staff_involved[:STAFF_LIMIT]
    note = tx.ngettext("{count} staff member named in the month's complaints; founded: the "
                       "investigation found the complaint true.",
                       "{count} staff members named in the month's complaints; founded: the "
                       "investigation found the complaint true.", len(data.staff_involved),
                       count=tx.number(len(data.staff_involved)))
    if len(listed) < len(data.staff_involved):
        note += " " + tx._("The {n} named most often are listed.", n=len(listed))
    rows: list[list[Any]] = [header_row(
        [tx._("Staff member"), tx._("Named in"), tx._("Founded"), tx._("Unfounded"),
         tx._("No verdict yet"), tx._("Founded share")], st, right=(1, 2, 3, 4, 5))]
    for line in listed:
        decided = line.named - line.pending
        share = f"{100 * line.founded / decided:.1f}%" if decided else "—"
        rows.append([text_cell(line.name, st), tx.number(line.named), tx.number(line.founded),
                     tx.number(line.unfounded), tx.number(line.pending), share])
    table = Table(rows, colWidths=[FULL_WIDTH - 330, 66, 66, 66, 66, 66], repeatRows=1)
    table.setStyle(grid(st.font, len(rows)))
    return [KeepTogether([head, Paragraph(note, st.small), table])] if len(rows) < 30 \
        else [head, Paragraph(note, st.small), table]


def _short(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def outcome(c: SeriousComplaint, tx: ReportTexts, data: MonthReportData) -> str:
    """What became of a complaint, as of the report's date (Paragraph markup, one line each)."""
    if c.withdrawn:
        parts = [tx._("Withdrawn {date}", date=tx.day(c.closed_at))]
    elif c.closed_at is not None:
        parts = [tx._("Closed {date}", date=tx.day(c.closed_at))]
    elif c.stage == "follow_up":
        parts = [tx._("Resolved {date}, revisit pending", date=tx.day(c.resolved_at))]
    else:
        parts = [tx.label("stage", c.stage)]
        if c.overdue:
            parts.append(tx._("overdue"))
    if c.solution_types:
        solution = "、".join if tx.chinese else ", ".join
        text = solution(data.list_label("solution_type", t) for t in c.solution_types)
        if c.amount:
            text += f" {tx.money(c.amount)}"
        parts.append(text)
    if c.satisfaction is not None:
        parts.append(tx._("satisfaction {score}/5", score=c.satisfaction))
    if c.reopen_count:
        parts.append(tx._("reopened {count}×", count=c.reopen_count))
    return "<br/>".join(markup(part) for part in parts)


def serious(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    listed = data.serious[:SERIOUS_LIMIT]
    note = tx.ngettext("{count} complaint received in the month; outcome as of {date}.",
                       "{count} complaints received in the month; outcome as of {date}.",
                       len(data.serious), count=tx.number(len(data.serious)),
                       date=tx.minute(data.generated_at))
    if len(listed) < len(data.serious):
        note += " " + tx._("The first {n} are listed (urgent first, then by received time); "
                           "the Excel export of the month has them all.", n=len(listed))
    head = [Paragraph(tx._("Serious and urgent complaints"), st.h1), Paragraph(note, st.small)]
    if not data.serious:
        return [*head, _none(tx, st)]
    rows: list[list[Any]] = [header_row(
        [tx._("Reference"), tx.field("received_at"), tx.field("severity"),
         tx._("Category / department"), tx._("What happened"), tx._("Outcome")], st)]
    urgent_rows = []
    for i, c in enumerate(listed, start=1):
        where = " / ".join(x for x in (data.list_label("category", c.category),
                                       data.list_label("department", c.department)) if x)
        rows.append([c.reference, tx.minute_in(c.received_at, int(data.month[:4])), tx.label("severity", c.severity),
                     text_cell(where, st), text_cell(_short(c.description), st),
                     Paragraph(outcome(c, tx, data), st.cell)])
        if c.severity == "urgent":
            urgent_rows.append(i)
    widths = [80, 52, 44, 80, 115, FULL_WIDTH - 371]
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = grid(st.font, len(rows), numeric_from=-1, size=7.5)
    for r in urgent_rows:
        style.add("TEXTCOLOR", (2, r), (2, r), WARN)
    table.setStyle(style)
    return [*head, table]


def escalated(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    """The complaints escalated to the supervisors in the month (stats' `escalated`)."""
    listed = data.escalated[:ESCALATED_LIMIT]
    note = tx.ngettext("{count} complaint escalated in the month, by a rule or by hand; as of "
                       "{date}.", "{count} complaints escalated in the month, by a rule or by "
                       "hand; as of {date}.", len(data.escalated),
                       count=tx.number(len(data.escalated)), date=tx.minute(data.generated_at))
    if len(listed) < len(data.escalated):
        note += " " + tx._("The first {n} are listed.", n=len(listed))
    head = [Paragraph(tx._("Escalated to the supervisors"), st.h1), Paragraph(note, st.small)]
    if not listed:
        return [*head, _none(tx, st)]
    rows: list[list[Any]] = [header_row(
        [tx._("Reference"), tx._("Escalated"), tx._("Why"), tx.field("severity"),
         tx.field("owner"), tx._("Outcome")], st)]
    late = []
    year = int(data.month[:4])
    for i, e in enumerate(listed, start=1):
        why = ("、" if tx.chinese else ", ").join(
            tx.label("escalation_rule", r) for r in e.rules)
        if e.reasons:
            why += ("：" if tx.chinese else ": ") + "; ".join(_short(r, 40) for r in e.reasons)
        if e.open_alerts:
            handled = tx._("alert open")
            late.append(i)
        else:
            handled = tx._("handled by {names}", names=", ".join(e.handled_by) or "—")
        outcome = f"{markup(tx.label('stage', e.stage))}<br/>{markup(handled)}"
        rows.append([e.reference, tx.minute_in(e.first_at, year), text_cell(why, st),
                     tx.label("severity", e.severity), text_cell(e.owner or "—", st),
                     Paragraph(outcome, st.cell)])
    table = Table(rows, colWidths=[80, 56, 150, 44, 70, FULL_WIDTH - 400], repeatRows=1)
    style = grid(st.font, len(rows), numeric_from=-1, size=7.5)
    for r in late:
        style.add("TEXTCOLOR", (5, r), (5, r), WARN)
    table.setStyle(style)
    return [*head, table]


def repeat_customers(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    listed = data.repeat_customers[:REPEAT_LIMIT]
    note = tx.ngettext("{count} customer with two or more complaints received in the month; "
                       "phone numbers masked.",
                       "{count} customers with two or more complaints received in the month; "
                       "phone numbers masked.", len(data.repeat_customers),
                       count=tx.number(len(data.repeat_customers)))
    if len(data.repeat_customers) > len(listed):
        note += " " + tx._("The {n} with the most complaints are listed.", n=len(listed))
    head = [Paragraph(tx._("Repeat complainants"), st.h1), Paragraph(note, st.small)]
    if not listed:
        return [*head, _none(tx, st)]
    rows: list[list[Any]] = [header_row(
        [tx._("Customer"), tx.field("phone"), tx._("Count"), tx._("References"),
         tx._("Categories")], st, right=(2,))]
    for r in listed:
        refs = ", ".join(r.references[:REFS_SHOWN]) + (" …" if len(r.references) > REFS_SHOWN
                                                       else "")
        cats = ("、" if tx.chinese else ", ").join(
            data.list_label("category", c) for c in r.categories[:3])
        name = r.name or tx._("(no name)")
        rows.append([Paragraph(f"{markup(name)}<br/><font size=6.5 color='#666666'>"
                               f"{markup(tx.label('tier', r.tier))}</font>", st.cell_cjk),
                     r.phone_masked, tx.number(r.complaints), text_cell(refs, st),
                     text_cell(cats, st)])
    table = Table(rows, colWidths=[92, 66, 50, 180, FULL_WIDTH - 388], repeatRows=1)
    style = grid(st.font, len(rows), numeric_from=-1, size=7.5)
    style.add("ALIGN", (2, 0), (2, -1), "RIGHT")
    table.setStyle(style)
    return [*head, table]


def actions(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    title = Paragraph(tx._("Open improvement actions"), st.h1)
    if not data.actions:
        return [title, Paragraph(tx._("No improvement action is open."), st.body)]
    head = [title, Paragraph(tx.ngettext("{count} action open or in progress as of {date}.",
                                         "{count} actions open or in progress as of {date}.",
                                         len(data.actions), count=tx.number(len(data.actions)),
                                         date=tx.day(data.generated_at)), st.small)]
    rows: list[list[Any]] = [header_row(
        [tx._("Action"), tx.field("owner"), tx._("Due"), tx._("Status"), tx._("References")],
        st)]
    late = []
    for i, a in enumerate(data.actions, start=1):
        status = markup(tx.label("action_status", a.status))
        if a.overdue:
            status = f"<font color='{WARN_HEX}'>{status} · {markup(tx._('overdue'))}</font>"
            late.append(i)
        rows.append([text_cell(a.action, st), text_cell(a.owner, st),
                     tx.day(a.due_date), Paragraph(status, st.cell),
                     text_cell(", ".join(a.references[:REFS_SHOWN])
                               + (" …" if len(a.references) > REFS_SHOWN else ""), st)])
    table = Table(rows, colWidths=[165, 70, 58, 90, FULL_WIDTH - 383], repeatRows=1)
    style = grid(st.font, len(rows), numeric_from=-1, size=7.5)
    for r in late:
        style.add("TEXTCOLOR", (2, r), (2, r), WARN)
    table.setStyle(style)
    return [*head, table]
