"""The complaints of one month as CSV (the `export csv` format) or as an Excel workbook.

The CSV is exactly `export csv --from <first day> --to <last day>` (codes, re-importable).
The workbook is for reading: labels in the chosen language, one sheet of complaints with
their investigation and solution, and one sheet of the month's key figures from
`month_stats`, so the figures agree with the printed report.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app import audit
from app.atomic_files import atomic_path
from app.db import Database
from app.errors import DeskError
from app.i18n import N_
from app.models import Complaint, Customer, Investigation, ListValue, User
from app.money import format_money
from app.outputs import guard_output
from app.permissions import EXPORT, require
from app.reports.key_figures import BY_TYPE_TITLE, KEY_FIGURES, UNSPLIT_LABEL, hours_note
from app.reports.texts import ReportTexts
from app.rules.compensation import UNSPLIT
from app.services.common import SYSTEM, Actor
from app.services.exporting import export_csv
from app.services.ledger import Given, given_by_complaint
from app.services.stats import month_bounds, month_stats
from app.sla import is_overdue
from app.validation import parse_month

FETCH = 2000
Cancelled = Callable[[], bool]

# (header msgid, column width in characters)
COLUMNS: tuple[tuple[str, int], ...] = (
    (N_("Reference"), 18), (N_("Received at"), 17), (N_("Channel"), 14),
    (N_("Category"), 14), (N_("Subject"), 10), (N_("Severity"), 8),
    (N_("Customer name"), 12), (N_("Phone"), 14), (N_("Customer tier"), 10),
    (N_("Description"), 40), (N_("Customer asks for"), 16), (N_("Department / shop"), 14),
    (N_("Location"), 12), (N_("Staff involved"), 12), (N_("Stage"), 10), (N_("Owner"), 10),
    (N_("Due time"), 17), (N_("Overdue"), 8), (N_("Resolved at"), 17), (N_("Closed at"), 17),
    (N_("Responsibility"), 14), (N_("Root cause"), 16), (N_("Solution"), 18),
    (N_("Amount"), 10), (N_("Satisfaction"), 8), (N_("Reopened"), 8),
)


# What each key figure counts, beside it in the workbook: the figures count different sets
# (received in the month, resolved or closed in it, revisits done in it, open at its end), so
# without this a reader compares "closed 13" with 27 closed rows and finds them disagreeing.
FIGURE_BASIS: dict[str, str] = {
    "received": N_("Complaints received in the month: the rows of the sheet of complaints"),
    "closed_in_month": N_("Complaints closed in the month, whichever month they were "
                          "received in"),
    "open_at_month_end": N_("Complaints received by the month's end and not closed then"),
    "overdue_at_month_end": N_("Complaints open and past their due time at the month's end "
                               "(the sheet's Overdue column is as of the export)"),
    "resolved_in_month": N_("Complaints resolved in the month, whichever month they were "
                            "received in"),
    "sla_met_pct": N_("Of the complaints resolved in the month: the share resolved by their "
                      "due time"),
    "median_hours_to_resolve": N_("Complaints resolved in the month whose times are known"),
    "median_hours_to_first_contact": N_("Complaints received in the month and contacted"),
    "revisits_done": N_("Revisits done in the month, for complaints of any month"),
    "avg_satisfaction": N_("The revisits done in the month (not the Satisfaction column of "
                           "the complaints received in it)"),
    "reopened": N_("Reopenings in the month, for complaints of any month"),
    "repeat_customers": N_("Customers with 2 or more complaints received in the month"),
    # Escalation and the investigation's verdict (issue 20).
    "escalated": N_("Complaints escalated to the supervisors in the month (by a rule or by "
                    "hand), whichever month they were received in"),
    "founded_pct": N_("Of the complaints received in the month that have a verdict: the share "
                      "found true"),
    # The compensation ledger (app/rules/compensation.py): what was carried out in the month.
    "compensation_total": N_("Amounts of the solutions carried out in the month, for "
                             "complaints of any month (not the Amount column of the "
                             "complaints received in it)"),
    "typical_cases": N_("Closed complaints chosen as typical cases in the month, whichever "
                        "month they were received in"),
}


def _days(month: str) -> tuple[Any, Any]:
    year, mon = parse_month(month)
    start, end = month_bounds(year, mon)
    return start.date(), (end - timedelta(days=1)).date()


def export_month_csv(db: Database, month: str, out: str | Path, *,
                     actor: Actor = SYSTEM) -> int:
    """The month's complaints in the `export csv` format; returns how many."""
    first, last = _days(month)
    return export_csv(db, out, first, last, actor=actor)


def _rows(db: Database, month: str, tx: ReportTexts,
          cancelled: Cancelled | None) -> list[list[Any]]:
    from app import clock

    year, mon = parse_month(month)
    start, end = month_bounds(year, mon)
    cat, subj, dept, cause = (aliased(ListValue) for _ in range(4))
    c = Complaint
    query = (
        select(c.reference, c.received_at, c.channel, cat.code, subj.code, c.severity,
               Customer.name, Customer.phone, Customer.tier, c.description, c.demands,
               dept.code, c.location, c.staff_involved, c.stage, User.display_name, c.due_at,
               c.paused_since, c.resolved_at, c.closed_at, Investigation.responsibility,
               Investigation.root_cause, c.id, c.satisfaction, c.reopen_count)
        .select_from(c)
        .outerjoin(Customer, Customer.id == c.customer_id)
        .outerjoin(cat, cat.id == c.category_id)
        .outerjoin(subj, subj.id == c.subject_id)
        .outerjoin(dept, dept.id == c.department_id)
        .outerjoin(User, User.id == c.owner_id)
        .outerjoin(Investigation, Investigation.complaint_id == c.id)
        .where(c.received_at >= start, c.received_at < end)
        .order_by(c.received_at, c.id)
    )
    now = clock.now()
    with db.read() as session:
        labels: dict[tuple[str, str], str] = {
            (v.kind, v.code): v.label(tx.lang) for v in session.scalars(select(ListValue))}

        def listed(kind: str, code: str | None) -> str:
            return labels.get((kind, code), code) if code else ""

        yes = tx._("Yes")
        out: list[list[Any]] = []
        result = session.execute(query.execution_options(yield_per=FETCH))
        for chunk in result.partitions():
            if cancelled is not None and cancelled():
                raise ExportCancelled()
            # The compensation ledger: what was carried out, per type (else the proposal).
            given = given_by_complaint(session, [r[22] for r in chunk])
            for r in chunk:
                g = given.get(r[22])
                out.append([
                    r[0], r[1], tx.label("channel", r[2]), listed("category", r[3]),
                    listed("subject", r[4]), tx.label("severity", r[5]), r[6] or "",
                    r[7] or "", tx.label("tier", r[8]), r[9],
                    "、".join(tx.label("demand", d) for d in (r[10] or [])),
                    listed("department", r[11]), r[12] or "", r[13] or "",
                    tx.label("stage", r[14]), r[15] or "", r[16],
                    yes if is_overdue(r[14], r[16], now, r[17]) else "", r[18], r[19],
                    tx.label("responsibility", r[20]), listed("root_cause", r[21]),
                    _solution_text(g, listed),
                    round(g.amount_cents / 100, 2) if g and g.carried_out else None, r[23],
                    r[24] or None,
                ])
    return out


def _solution_text(g: Given | None, listed: Callable[[str, str | None], str]) -> str:
    """The types carried out with each one's amount ("退款 800.00、礼品 100.00"); a solution
    not carried out yet: its types only."""
    if g is None:
        return ""
    if not g.carried_out:
        return "、".join(listed("solution_type", t) for t in g.types)
    parts = []
    for code in g.types:
        cents = g.by_type.get(code, 0)
        name = listed("solution_type", code)
        parts.append(f"{name} {format_money(cents)}" if cents else name)
    return "、".join(parts)


class ExportCancelled(Exception):
    """The user stopped the export; no file was written."""


def export_month_xlsx(db: Database, month: str, out: str | Path, lang: str,
                      cancelled: Cancelled | None = None, *, actor: Actor = SYSTEM) -> int:
    """The month's complaints as an Excel workbook in `lang`; returns how many."""
    require(actor, EXPORT)  # supervisors (app/permissions.py)
    target = guard_output(db, out)  # never onto the database or a backup
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    tx = ReportTexts(lang)
    rows = _rows(db, month, tx, cancelled)
    figures = month_stats(db, month)
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = tx._("Complaints of the month")[:31]
    sheet.append([tx._(h) for h, _ in COLUMNS])
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF7")
    for i, (_, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=i)
        cell.font, cell.fill = head_font, head_fill
        sheet.column_dimensions[get_column_letter(i)].width = width
    for row in rows:
        sheet.append(row)
        # openpyxl stores text starting with "=" as a formula: keep customers' text as text.
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"
    for col in (2, 17, 19, 20):  # date-time columns
        for cell in sheet.iter_cols(min_col=col, max_col=col, min_row=2):
            for c in cell:
                c.number_format = "yyyy-mm-dd hh:mm"
    for c in sheet["J"][1:]:
        c.alignment = Alignment(wrap_text=False)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    _summary_sheet(book.create_sheet(tx._("Key figures")[:31]), figures, tx, head_font,
                   head_fill, _type_labels(db, tx.lang))
    if cancelled is not None and cancelled():
        raise ExportCancelled()
    if not target.parent.is_dir():
        raise DeskError(N_("The folder {folder} does not exist"), folder=str(target.parent))
    with atomic_path(target) as part:
        book.save(part)
    # Customers' contact details left the program: say who took them (as export csv does).
    audit.log(db, actor, "export_xlsx", target.name, complaints=len(rows), month=month)
    return len(rows)


def _type_labels(db: Database, lang: str) -> dict[str, str]:
    with db.read() as session:
        return {v.code: v.label(lang) for v in session.scalars(
            select(ListValue).where(ListValue.kind == "solution_type"))}


def _summary_sheet(sheet: Any, figures: dict[str, Any], tx: ReportTexts, font: Any,
                   fill: Any, type_labels: dict[str, str]) -> None:
    prev = figures["previous_month"]
    sheet.append([tx._("Figure"), tx.month(figures["month"]), tx.month(prev["month"]),
                  tx._("What it counts")])
    for cell in sheet[1]:
        cell.font, cell.fill = font, fill
    for msgid, key, _kind in KEY_FIGURES:
        basis = FIGURE_BASIS.get(key)
        sheet.append([tx._(msgid), figures[key], prev[key], tx._(basis) if basis else ""])
    # The compensation ledger: what was carried out in each month, per solution type.
    now, before = figures["compensation_by_type"], prev["compensation_by_type"]
    codes = sorted(set(now) | set(before), key=lambda c: (-now.get(c, 0), c))
    if codes:
        sheet.append([])
        sheet.append([tx._(BY_TYPE_TITLE), tx.month(figures["month"]), tx.month(prev["month"])])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = font, fill
        for code in codes:
            name = tx._(UNSPLIT_LABEL) if code == UNSPLIT else type_labels.get(code, code)
            sheet.append([name, now.get(code, 0), before.get(code, 0)])
    sheet.append([])
    sheet.append([tx._(hours_note(figures))])
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 16
    sheet.column_dimensions["D"].width = 90
