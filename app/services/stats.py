"""Monthly statistics: the one function behind `stats --json`, the monthly PDF and the dashboard.

A complaint belongs to the month of its received time unless a key says otherwise. Hours are
calendar hours (`hours_basis`). `escalated` counts the complaints escalated in the month (when
the rule fired: app/rules/escalation.py), `by_verification` the month's complaints by the
investigation's verdict so far. Compensation is what the ledger says was carried out in the
month, per type (app/rules/compensation.py); overdue at month end is app.sla.is_overdue's SQL
twin (app/rules/overdue_sql.py) at the cut.
"""

from __future__ import annotations

import statistics
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import and_, case, func, null, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from app import clock
from app.codes import VERDICT_KEYS
from app.db import Database
from app.models import (
    Complaint,
    ComplaintEvent,
    Customer,
    Escalation,
    Investigation,
    ListValue,
    Revisit,
    RevisitAnswer,
    Solution,
    TypicalCase,
)
from app.rules.compensation import Entry, carried_out_by_type
from app.rules.overdue_sql import overdue_sql
from app.rules.stages import WAITING_STAGES
from app.services.stored_values import as_stored, json_parser, time_parser
from app.validation import parse_month


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start = datetime(year, month, 1)
    end = datetime(year + (month == 12), month % 12 + 1, 1)
    return start, end


def previous(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _count(session: Connection, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(Complaint).where(*where)) or 0)


def _breakdowns(session: Connection, start: datetime, end: datetime) -> dict[str, dict[str, int]]:
    """Complaints received in the month by category, channel, severity and department.

    One grouped pass over the month's complaints instead of one query per key (the rows are
    read once: at 100,000 complaints that is most of the cost). Missing values are "none".
    """
    cat, dept = aliased(ListValue), aliased(ListValue)
    q = (select(cat.code, Complaint.channel, Complaint.severity, dept.code, func.count())
         .select_from(Complaint)
         .outerjoin(cat, cat.id == Complaint.category_id)
         .outerjoin(dept, dept.id == Complaint.department_id)
         .where(Complaint.received_at >= start, Complaint.received_at < end)
         .group_by(cat.code, Complaint.channel, Complaint.severity, dept.code))
    keys = ("by_category", "by_channel", "by_severity", "by_department")
    result: dict[str, dict[str, int]] = {k: {} for k in keys}
    for *values, n in session.execute(q):
        for key, value in zip(keys, values, strict=True):
            value = value or "none"
            result[key][value] = result[key].get(value, 0) + int(n)
    return result


def _by_verification(session: Connection, received_in: Any) -> dict[str, int]:
    """The month's complaints by the investigation's verdict so far; the four sum to
    `received` (a complaint without a verdict is pending)."""
    out = dict.fromkeys(("verified", "unfounded", "not_verifiable", "pending"), 0)
    for code, n in session.execute(select(Complaint.verified, func.count())
                                   .where(received_in).group_by(Complaint.verified)):
        key = VERDICT_KEYS.get(code, "pending")
        out[key] += int(n)
    return out


def founded_pct(by_verification: dict[str, int]) -> float | None:
    """The share of founded complaints (verified true) among those with a verdict, 0–100."""
    decided = sum(n for k, n in by_verification.items() if k != "pending")
    return round(100 * by_verification["verified"] / decided, 1) if decided else None


def _escalated(session: Connection, start: datetime, end: datetime) -> int:
    """Complaints escalated in the month (a rule fired, or by hand), each counted once."""
    return int(session.scalar(select(func.count()).select_from(
        select(Escalation.complaint_id).where(Escalation.at >= start, Escalation.at < end)
        .group_by(Escalation.complaint_id).subquery())) or 0)


def _at_cut(session: Connection, cut: datetime) -> tuple[dict[str, int], int, int]:
    """(stages, open, overdue) of the complaints open at `cut`, from their timelines.

    The stage at the cut is the one entered by the complaint's last stage event before it
    (its intake counts as "new" if the intake was logged later), so figures of a past month do
    not change when a complaint is reopened afterwards: a complaint in follow-up at the cut
    was not overdue then, a closed one was not open. Candidates are those received before
    the cut and not closed before it; a complaint reopened since has no closed_at any more, so
    it is a candidate and its timeline decides. Overdue: due before the cut, not yet resolved.
    """
    candidates = and_(Complaint.received_at < cut,
                      or_(Complaint.closed_at.is_(None), Complaint.closed_at >= cut))
    last_event = (
        select(func.max(ComplaintEvent.id))
        .where(ComplaintEvent.complaint_id == Complaint.id, ComplaintEvent.to_stage.is_not(None),
               ComplaintEvent.at < cut)
        .correlate(Complaint)
        .scalar_subquery()
    )
    stage = func.coalesce(ComplaintEvent.to_stage, "new")
    # app.sla.is_overdue at the cut (its SQL twin): waiting on the customer pauses the clock
    # at the move into that stage (the last stage event before the cut).
    paused_since = case((stage.in_(WAITING_STAGES), ComplaintEvent.at), else_=null())
    overdue = case((overdue_sql(stage, Complaint.due_at, paused_since, cut), 1), else_=0)
    q = (select(stage, func.count(), func.sum(overdue))
         .select_from(Complaint)
         .outerjoin(ComplaintEvent, ComplaintEvent.id == last_event)
         .where(candidates)
         .group_by(stage))
    stages: dict[str, int] = {}
    late = 0
    for code, n, n_overdue in session.execute(q):
        if code != "closed":
            stages[code] = int(n)
            late += int(n_overdue or 0)
    return stages, sum(stages.values()), late


def _figures(session: Connection, year: int, month: int) -> dict[str, Any]:
    start, end = month_bounds(year, month)
    # "At month end" for the running month means as of now.
    cut = min(end, max(start, clock.now()))
    received_in = and_(Complaint.received_at >= start, Complaint.received_at < end)
    resolved_in = and_(Complaint.resolved_at >= start, Complaint.resolved_at < end)

    # Thousands of rows: times read as stored and parsed here (app/services/stored_values.py).
    dialect = session.dialect.name
    time, stored = time_parser(dialect), partial(as_stored, dialect=dialect)
    resolved = [
        (time(rec), time(res), due and time(due)) for rec, res, due in session.execute(
            select(stored(Complaint.received_at), stored(Complaint.resolved_at),
                   stored(Complaint.due_at)).where(resolved_in)).all()]
    stages_at_cut, open_at_cut, overdue_at_cut = _at_cut(session, cut)
    hours = [(res - rec).total_seconds() / 3600 for rec, res, _due in resolved
             if res is not None]
    # Plain tuples and one fetch: row attribute access and row-by-row fetching cost more than
    # the arithmetic on thousands of rows (tests/bench).
    met = sum(1 for _rec, res, due in resolved if due is None or (res is not None and res <= due))
    first_contact = [
        (time(fc) - time(rc)).total_seconds() / 3600
        for rc, fc in session.execute(
            select(stored(Complaint.received_at), stored(Complaint.first_contact_at))
            .where(received_in, Complaint.first_contact_at.is_not(None))).all()
    ]
    visits = session.execute(
        select(func.count(), func.avg(Revisit.satisfaction))
        .where(Revisit.done_at >= start, Revisit.done_at < end)
    ).one()
    # The compensation ledger: what was carried out in the month, per type (a reopen's new
    # solution is an entry of its own, counted in the month it was carried out).
    # The types are not read: the amounts name them.
    loads = json_parser(dialect)
    carried_out = [
        Entry(0, 0, (), dict(amounts and loads(amounts) or {}), int(cents), time(done))
        for amounts, cents, done in session.execute(
            select(stored(Solution.amounts), Solution.amount_cents,
                   stored(Solution.implemented_at))
            .where(Solution.implemented_at >= start, Solution.implemented_at < end,
                   Solution.amount_cents > 0))
    ]
    by_type = carried_out_by_type(carried_out)
    repeat = session.scalar(
        select(func.count()).select_from(
            select(Complaint.customer_id)
            .join(Customer, Customer.id == Complaint.customer_id)
            # An anonymised customer (no phone any more) still counts (issue 7: privacy).
            .where(received_in, or_(Customer.phone.is_not(None),
                                    Customer.anonymised_at.is_not(None)))
            .group_by(Complaint.customer_id)
            .having(func.count() >= 2)
            .subquery()
        )
    )
    # The questionnaire: each question (as worded) over the revisits done in the month, as
    # avg_satisfaction (app/services/questionnaire.py).
    by_question = {
        str(q): {"answers": int(n), "avg": round(float(avg), 2)}
        for q, n, avg in session.execute(
            select(RevisitAnswer.question_id, func.count(), func.avg(RevisitAnswer.score))
            .join(Revisit, Revisit.id == RevisitAnswer.revisit_id)
            .where(Revisit.done_at >= start, Revisit.done_at < end)
            .group_by(RevisitAnswer.question_id))
    }
    responsibility = {
        (k or "none"): int(n) for k, n in session.execute(
            select(Investigation.responsibility, func.count())
            .join(Complaint, Complaint.id == Investigation.complaint_id)
            .where(received_in).group_by(Investigation.responsibility))
    }
    verdicts = _by_verification(session, received_in)
    return {
        "month": f"{year:04d}-{month:02d}",
        "received": _count(session, received_in),
        "closed_in_month": _count(session, Complaint.closed_at >= start, Complaint.closed_at < end),
        "open_at_month_end": open_at_cut,
        "overdue_at_month_end": overdue_at_cut,
        "resolved_in_month": len(resolved),
        **_breakdowns(session, start, end),
        "by_responsibility": responsibility,
        "by_stage_at_month_end": stages_at_cut,
        "sla_met_pct": round(100 * met / len(resolved), 1) if resolved else None,
        "median_hours_to_resolve": round(statistics.median(hours), 1) if hours else None,
        "median_hours_to_first_contact": (round(statistics.median(first_contact), 1)
                                          if first_contact else None),
        "revisits_done": int(visits[0] or 0),
        "avg_satisfaction": round(float(visits[1]), 2) if visits[1] is not None else None,
        "by_question": by_question,
        "reopened": int(session.scalar(
            select(func.count()).select_from(ComplaintEvent)
            .where(ComplaintEvent.kind == "reopened", ComplaintEvent.at >= start,
                   ComplaintEvent.at < end)) or 0),
        "compensation_total": round(sum(e.amount_cents for e in carried_out) / 100, 2),
        "compensation_by_type": {k: round(v / 100, 2) for k, v in sorted(by_type.items())},
        "repeat_customers": int(repeat or 0),
        "by_verification": verdicts,
        "founded_pct": founded_pct(verdicts),
        "escalated": _escalated(session, start, end),
        # Closed complaints chosen as typical cases in the month (by when they were chosen).
        "typical_cases": int(session.scalar(
            select(func.count()).select_from(TypicalCase)
            .where(TypicalCase.marked_at >= start, TypicalCase.marked_at < end)) or 0),
        "hours_basis": "calendar",
    }


def month_stats(db: Database, month: str) -> dict[str, Any]:
    """Figures for `month` (YYYY-MM) with the same figures for the month before."""
    year, mon = parse_month(month)
    with db.read() as session:
        # Core execution on the session's connection: plain rows without the ORM's result
        # machinery (about a quarter of the time at 100,000 complaints; tests/bench).
        conn = session.connection()
        figures = _figures(conn, year, mon)
        figures["previous_month"] = _figures(conn, *previous(year, mon))
    return figures
