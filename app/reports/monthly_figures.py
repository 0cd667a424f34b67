"""The first part of the monthly summary: key figures with the change against the month
before, and the breakdowns (category, channel, severity, department, responsibility, stage)
as charts beside tables. Every number comes from `month_stats` via MonthReportData.stats.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from app.codes import CHANNELS, RESPONSIBILITIES, SEVERITIES, STAGES
from app.i18n import N_
from app.reports import charts
from app.reports.key_figures import (
    BY_TYPE_TITLE,
    KEY_FIGURES,
    UNSPLIT_LABEL,
    VERDICTS,
    hours_note,
)
from app.reports.report_styles import HEADER_BG, RULE, Styles, grid, text_cell
from app.reports.texts import ReportTexts
from app.rules.compensation import UNSPLIT
from app.services.report_data import MonthReportData

DIGITS = {"count": 0, "pct": 1, "hours": 1, "score": 2, "money": 2}
FULL_WIDTH = 511.0  # A4 minus 42 pt margins
CHART_WIDTH = 262.0
TABLE_WIDTH = FULL_WIDTH - CHART_WIDTH - 9


def value_text(tx: ReportTexts, value: float | None, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "pct":
        return f"{value:.1f}%"
    if kind == "money":
        return tx.money(value)
    return tx.number(value, DIGITS[kind])


def change_text(tx: ReportTexts, now: float | None, before: float | None, kind: str) -> str:
    """"+12 (+10.0%)" for counts, "+2.5 pts" for percentages; "—" when either side is empty."""
    if now is None or before is None:
        return "—"
    diff = now - before
    digits = DIGITS[kind]
    if round(diff, digits) == 0:
        return "0"
    sign = "+" if diff > 0 else "−"
    magnitude = tx.number(abs(diff), digits)
    if kind == "pct":
        return tx._("{value} pts", value=f"{sign}{magnitude}")
    if kind in ("count", "money") and before:
        return f"{sign}{magnitude} ({sign}{abs(100 * diff / before):.1f}%)"
    return f"{sign}{magnitude}"


def key_figures(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    s, p = data.stats, data.stats["previous_month"]
    rows: list[list[Any]] = [[tx._("Figure"), tx.month(s["month"]), tx.month(p["month"]),
                              tx._("Change")]]
    unit = (tx._("calendar hours") if s.get("hours_basis", "calendar") == "calendar"
            else tx._("opening hours"))
    for msgid, key, kind in KEY_FIGURES:
        name = tx._("{figure} ({unit})", figure=tx._(msgid), unit=unit) if kind == "hours" \
            else tx._(msgid)
        rows.append([name, value_text(tx, s[key], kind), value_text(tx, p[key], kind),
                     change_text(tx, s[key], p[key], kind)])
    table = Table(rows, colWidths=[203, 96, 96, 116], repeatRows=1)
    table.setStyle(grid(st.font, len(rows), size=9))
    out: list[Flowable] = [Paragraph(tx._("Key figures"), st.h1), table]
    out += _compensation(data, tx, st)
    basis = tx._(hours_note(s))
    out += [Spacer(1, 4), Paragraph(basis + ("" if tx.chinese else " ") + tx._(
        "A complaint counts in the month it was received; closed, resolved, revisits, "
        "reopened and compensation count in the month they happened. SLA: share of the "
        "complaints resolved in the month that were resolved by their due time."), st.small)]
    return out


def _type_label(data: MonthReportData, tx: ReportTexts, code: str) -> str:
    if code == UNSPLIT:
        return tx._(UNSPLIT_LABEL)
    return data.list_label("solution_type", code)


def _compensation(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    now = data.stats["compensation_by_type"]
    before = data.stats["previous_month"]["compensation_by_type"]
    codes = sorted(set(now) | set(before), key=lambda c: (-now.get(c, 0), c))
    if not codes:
        return []
    rows: list[list[Any]] = [[tx._(BY_TYPE_TITLE), tx.month(data.month),
                              tx.month(data.stats["previous_month"]["month"])]]
    rows += [[_type_label(data, tx, c), tx.money(now.get(c, 0)), tx.money(before.get(c, 0))]
             for c in codes]
    table = Table(rows, colWidths=[203, 96, 96], hAlign="LEFT")
    table.setStyle(grid(st.font, len(rows)))
    return [Spacer(1, 8), table]


Labeller = Callable[[str], str]


def breakdown(title: str, column: str, now: dict[str, int], before: dict[str, int],
              labeller: Labeller, tx: ReportTexts, st: Styles,
              order: tuple[str, ...] | None = None, pie: bool = False,
              base_note: str = "") -> list[Flowable]:
    """A heading, then a chart beside a table: label, this month, share, previous month."""
    seen = set(now) | set(before)
    if order:
        # A fixed order (severity, channel, stage) reads the same month after month.
        codes = [c for c in order if c in seen]
        codes += sorted(c for c in seen if c not in order)
    else:
        codes = sorted(seen, key=lambda c: (c == "none", -now.get(c, 0), -before.get(c, 0), c))
    total = sum(now.values())
    if not codes:
        return []
    rows: list[list[Any]] = [[column, tx._("Count"), tx._("Share"), tx._("Prev. month")]]
    for c in codes:
        n = now.get(c, 0)
        rows.append([text_cell(labeller(c), st), tx.number(n),
                     f"{100 * n / total:.1f}%" if total else "—", tx.number(before.get(c, 0))])
    rows.append([tx._("Total"), tx.number(total), "100.0%" if total else "—",
                 tx.number(sum(before.values()))])
    table = Table(rows, colWidths=[TABLE_WIDTH - 132, 40, 44, 48], repeatRows=1)
    style = grid(st.font, len(rows) - 1)
    style.add("LINEABOVE", (0, -1), (-1, -1), 0.6, RULE)
    table.setStyle(style)
    items = [(labeller(c), float(now.get(c, 0))) for c in codes if now.get(c)]
    if not items:
        drawing = charts.note(tx._("None this month"), st.font, CHART_WIDTH)
    elif pie:
        drawing = charts.pie_chart(items, st.font, CHART_WIDTH,
                                   max(110.0, 12.0 * len(items) + 20))
    else:
        drawing = charts.bar_chart(items, st.font, CHART_WIDTH)
    body = Table([[drawing, table]], colWidths=[CHART_WIDTH + 9, TABLE_WIDTH])
    body.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    head: list[Flowable] = [Paragraph(title, st.h2)]
    if base_note:
        head.append(Paragraph(base_note, st.small))
    return [KeepTogether([*head, body])]


def breakdowns(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    s, p = data.stats, data.stats["previous_month"]
    not_set = tx._("(not set)")

    def listed(kind: str) -> Labeller:
        return lambda code: data.list_label(kind, code) or not_set

    def coded(kind: str) -> Labeller:
        return lambda code: tx.label(kind, code) if code != "none" else not_set

    out: list[Flowable] = [Paragraph(tx._("Complaints received, by kind"), st.h1)]
    field = tx.field
    out += breakdown(tx._("By category"), field("category"), s["by_category"],
                     p["by_category"], listed("category"), tx, st)
    out += breakdown(tx._("By channel"), field("channel"), s["by_channel"], p["by_channel"],
                     coded("channel"), tx, st, order=CHANNELS, pie=True)
    out += breakdown(tx._("By severity"), field("severity"), s["by_severity"],
                     p["by_severity"], coded("severity"), tx, st,
                     order=tuple(reversed(SEVERITIES)))
    out += breakdown(tx._("By department / shop"), field("department"), s["by_department"],
                     p["by_department"], listed("department"), tx, st)
    out += breakdown(tx._("By responsibility"), field("responsibility"),
                     s["by_responsibility"], p["by_responsibility"], coded("responsibility"),
                     tx, st, order=RESPONSIBILITIES, pie=True,
                     base_note=tx._("Complaints of the month with investigation findings."))
    out += verdict_breakdown(data, tx, st)
    out += stage_breakdown(data, tx, st)
    return out


def verdict_breakdown(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    """The investigation's verdicts on the month's complaints (hotel 2.3 核实), with the share
    of founded complaints among those that have one."""
    s, p = data.stats, data.stats["previous_month"]
    names = dict(VERDICTS)
    pct = s.get("founded_pct")
    decided = sum(n for k, n in s["by_verification"].items() if k != "pending")
    note = (tx.ngettext("Founded: {share} of the {count} complaint of the month with a "
                        "verdict.", "Founded: {share} of the {count} complaints of the month "
                        "with a verdict.", decided, share=value_text(tx, pct, "pct"),
                        count=tx.number(decided))
            if pct is not None else tx._("No complaint of the month has a verdict yet."))
    return breakdown(tx._("By verdict of the investigation"), tx._("Verdict"),
                     s["by_verification"], p["by_verification"],
                     lambda code: tx._(names.get(code, code)), tx, st,
                     order=tuple(k for k, _n in VERDICTS), pie=True, base_note=note)


def stage_breakdown(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    s, p = data.stats, data.stats["previous_month"]
    return breakdown(tx._("Open complaints at month end, by stage"), tx.field("stage"),
                     s["by_stage_at_month_end"], p["by_stage_at_month_end"],
                     lambda code: tx.label("stage", code), tx, st, order=STAGES)


HEADLINE: tuple[tuple[str, str, str], ...] = (
    (N_("Received"), "received", "count"),
    (N_("Closed"), "closed_in_month", "count"),
    (N_("Open at month end"), "open_at_month_end", "count"),
    (N_("Within SLA"), "sla_met_pct", "pct"),
    (N_("Satisfaction"), "avg_satisfaction", "score"),
)


def headline(data: MonthReportData, tx: ReportTexts, st: Styles) -> list[Flowable]:
    """Five tiles a manager reads first: the figure large, the previous month below it."""
    s, p = data.stats, data.stats["previous_month"]
    big = ParagraphStyle("big", parent=st.title, fontSize=20, leading=24, alignment=TA_CENTER,
                         spaceAfter=0)
    label = ParagraphStyle("tile", parent=st.body, alignment=TA_CENTER)
    small = ParagraphStyle("tile_small", parent=st.small, alignment=TA_CENTER)
    cells = []
    for msgid, key, kind in HEADLINE:
        cells.append([Paragraph(value_text(tx, s[key], kind), big),
                      Paragraph(tx._(msgid), label),
                      Paragraph(tx._("previous month {value}",
                                     value=value_text(tx, p[key], kind)), small)])
    width = FULL_WIDTH / len(cells)
    table = Table([cells], colWidths=[width] * len(cells))
    table.setStyle([("BACKGROUND", (0, 0), (-1, -1), HEADER_BG),
                    ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
    return [Spacer(1, 4), table]
