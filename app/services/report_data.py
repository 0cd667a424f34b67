"""Everything the monthly summary prints: `month_stats` plus the lists behind its figures.

The figures themselves come only from `month_stats` (the one statistics function). The lists
here are drawn with the same month bounds and the same conditions, so a list's length always
equals the figure it explains (e.g. repeat complainants = `repeat_customers`).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app import clock
from app.db import Database
from app.models import (
    Complaint,
    Customer,
    Escalation,
    Investigation,
    ListValue,
    Revisit,
    User,
)
from app.permissions import SEE_REPORTS, require
from app.phones import mask_phone
from app.rules.staff_names import name_key, shown_names, staff_names
from app.services.common import SYSTEM, Actor
from app.services.improvements import ActionInfo, list_actions
from app.services.ledger import Given, given_by_complaint
from app.services.questionnaire import QuestionAverage, question_averages
from app.services.stats import month_bounds, month_stats, previous
from app.services.typical_cases import CaseRow, cases_marked_in
from app.settings import get as get_setting
from app.sla import is_overdue
from app.validation import parse_month

TREND_MONTHS = 12


@dataclass(frozen=True)
class TrendPoint:
    month: str  # YYYY-MM
    received: int
    closed: int
    avg_satisfaction: float | None


@dataclass(frozen=True)
class RepeatCustomer:
    name: str
    phone_masked: str
    tier: str
    complaints: int
    references: list[str]
    categories: list[str]  # category codes, most frequent first


@dataclass(frozen=True)
class SeriousComplaint:
    reference: str
    received_at: datetime
    severity: str
    category: str | None
    department: str | None
    description: str
    stage: str
    overdue: bool
    resolved_at: datetime | None
    closed_at: datetime | None
    withdrawn: bool
    solution_types: list[str]
    amount: float
    satisfaction: int | None
    reopen_count: int


@dataclass(frozen=True)
class StaffLine:
    """A staff member named in the month's complaints (training, salon/mall 员工培训)."""

    name: str
    named: int  # complaints received in the month naming them
    founded: int  # of those, found true by the investigation (verdict "true")
    unfounded: int
    pending: int  # no verdict yet


@dataclass(frozen=True)
class EscalatedComplaint:
    """A complaint escalated in the month (stats' `escalated`: one line per complaint)."""

    reference: str
    first_at: datetime  # its first escalation of the month
    rules: list[str]  # app/rules/escalation.py codes, in the order they fired
    reasons: list[str]  # the reasons given by hand
    severity: str
    stage: str
    owner: str
    open_alerts: int  # not yet marked handled
    handled_by: list[str]


@dataclass(frozen=True)
class OwnerLine:
    owner: str  # display name; "" = unassigned
    resolved: int
    sla_met: int
    median_hours: float | None


@dataclass
class MonthReportData:
    month: str
    business_name: str
    generated_at: datetime
    stats: dict[str, Any]
    trend: list[TrendPoint]
    root_causes: list[tuple[str, int]]  # code (or free text), complaints
    repeat_customers: list[RepeatCustomer]
    serious: list[SeriousComplaint]
    actions: list[ActionInfo]  # open and in-progress improvement actions
    by_owner: list[OwnerLine]
    staff_involved: list[StaffLine]
    escalated: list[EscalatedComplaint] = field(default_factory=list)
    # Labels of the editable lists in the report's language: kind -> code -> label.
    list_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    # The revisit questionnaire, each question's average (month_stats' by_question).
    questions: list[QuestionAverage] = field(default_factory=list)
    # The typical cases chosen in the month (month_stats' typical_cases).
    cases: list[CaseRow] = field(default_factory=list)
    currency_symbol: str = "¥"  # the desk's setting, before every amount

    def list_label(self, kind: str, code: str | None) -> str:
        if not code or code == "none":
            return ""
        return self.list_labels.get(kind, {}).get(code, code)


Step = Callable[[str], None]


def _month_key(year: int, mon: int) -> str:
    return f"{year:04d}-{mon:02d}"


def trend(session: Session, year: int, mon: int, months: int = TREND_MONTHS) -> list[TrendPoint]:
    """Received, closed and average revisit satisfaction of `months` months ending with this one.

    Same conditions as month_stats' `received`, `closed_in_month` and `avg_satisfaction`.
    """
    keys = [(year, mon)]
    for _ in range(months - 1):
        keys.append(previous(*keys[-1]))
    points = []
    for y, m in reversed(keys):
        start, end = month_bounds(y, m)
        received = session.scalar(select(func.count()).select_from(Complaint).where(
            Complaint.received_at >= start, Complaint.received_at < end)) or 0
        closed = session.scalar(select(func.count()).select_from(Complaint).where(
            Complaint.closed_at >= start, Complaint.closed_at < end)) or 0
        avg = session.scalar(select(func.avg(Revisit.satisfaction)).where(
            Revisit.done_at >= start, Revisit.done_at < end))
        points.append(TrendPoint(_month_key(y, m), int(received), int(closed),
                                 round(float(avg), 2) if avg is not None else None))
    return points


def _root_causes(session: Session, received_in: Any) -> list[tuple[str, int]]:
    rows = session.execute(
        select(Investigation.root_cause, func.count())
        .join(Complaint, Complaint.id == Investigation.complaint_id)
        .where(received_in, Investigation.root_cause.is_not(None), Investigation.root_cause != "")
        .group_by(Investigation.root_cause)
    ).all()
    return sorted(((str(k), int(n)) for k, n in rows), key=lambda kv: (-kv[1], kv[0]))


def _repeat_customers(session: Session, received_in: Any) -> list[RepeatCustomer]:
    """Customers with 2+ complaints received in the month (as month_stats' repeat_customers)."""
    cat = aliased(ListValue)
    rows = session.execute(
        select(Complaint.customer_id, Customer.name, Customer.phone, Customer.tier,
               Complaint.reference, cat.code)
        .join(Customer, Customer.id == Complaint.customer_id)
        .outerjoin(cat, cat.id == Complaint.category_id)
        # As month_stats' repeat_customers: an anonymised customer (no phone) still counts.
        .where(received_in, or_(Customer.phone.is_not(None), Customer.anonymised_at.is_not(None)),
               Complaint.customer_id.in_(
            select(Complaint.customer_id).where(received_in)
            .group_by(Complaint.customer_id).having(func.count() >= 2)))
        .order_by(Complaint.customer_id, Complaint.received_at, Complaint.id)
    ).all()
    grouped: dict[int | None, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    out = []
    for items in grouped.values():
        cats = Counter(r[5] for r in items if r[5])
        out.append(RepeatCustomer(
            name=items[0][1] or "", phone_masked=mask_phone(items[0][2]),
            tier=items[0][3] or "ordinary", complaints=len(items),
            references=[r[4] for r in items],
            categories=[c for c, _ in cats.most_common()]))
    out.sort(key=lambda r: (-r.complaints, r.references[0]))
    return out


def _serious(session: Session, received_in: Any, now: datetime) -> list[SeriousComplaint]:
    cat, dept = aliased(ListValue), aliased(ListValue)
    rows = session.execute(
        select(Complaint.reference, Complaint.received_at, Complaint.severity, cat.code,
               dept.code, func.substr(Complaint.description, 1, 120), Complaint.stage,
               Complaint.due_at, Complaint.paused_since, Complaint.resolved_at,
               Complaint.closed_at, Complaint.withdrawn, Complaint.id,
               Complaint.satisfaction, Complaint.reopen_count)
        .outerjoin(cat, cat.id == Complaint.category_id)
        .outerjoin(dept, dept.id == Complaint.department_id)
        .where(received_in, Complaint.severity.in_(("urgent", "serious")))
        # "urgent" sorts after "serious", so descending puts the urgent ones first.
        .order_by(Complaint.severity.desc(), Complaint.received_at, Complaint.id)
    ).all()
    # What each was given (the ledger's entries carried out, else the current proposal).
    given = given_by_complaint(session, [r[12] for r in rows])
    empty = Given([], 0)
    return [
        SeriousComplaint(
            reference=r[0], received_at=r[1], severity=r[2], category=r[3], department=r[4],
            description=" ".join((r[5] or "").split()), stage=r[6],
            overdue=is_overdue(r[6], r[7], now, r[8]), resolved_at=r[9], closed_at=r[10],
            withdrawn=bool(r[11]), solution_types=given.get(r[12], empty).types,
            amount=round(given.get(r[12], empty).amount_cents / 100, 2), satisfaction=r[13],
            reopen_count=r[14] or 0)
        for r in rows
    ]


def _by_owner(session: Session, resolved_in: Any) -> list[OwnerLine]:
    """Complaints resolved in the month per owner (the base of `sla_met_pct`)."""
    rows = session.execute(
        select(User.display_name, Complaint.received_at, Complaint.resolved_at, Complaint.due_at)
        .outerjoin(User, User.id == Complaint.owner_id)
        .where(resolved_in)
    ).all()
    hours: dict[str, list[float]] = defaultdict(list)
    met: Counter[str] = Counter()
    for name, received, resolved, due in rows:
        assert resolved is not None  # the query asks for resolved complaints only
        key = name or ""
        hours[key].append((resolved - received).total_seconds() / 3600)
        met[key] += due is None or resolved <= due
    lines = [OwnerLine(k, len(v), met[k], round(statistics.median(v), 1))
             for k, v in hours.items()]
    lines.sort(key=lambda line: (-line.resolved, line.owner == "", line.owner))
    return lines


def _staff_involved(session: Session, received_in: Any) -> list[StaffLine]:
    """Each staff member named in the month's complaints: how many named them, how many of
    those the investigation found true (app/rules/staff_names.py splits the field)."""
    rows = session.execute(
        select(Complaint.staff_involved, Complaint.verified, func.count())
        .where(received_in, Complaint.staff_involved.is_not(None),
               Complaint.staff_involved != "")
        .group_by(Complaint.staff_involved, Complaint.verified)
    ).all()
    spellings: dict[str, list[str]] = defaultdict(list)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for text, verdict, n in rows:
        for name in staff_names(str(text)):
            key = name_key(name)
            spellings[key] += [name] * int(n)
            counts[key]["named"] += int(n)
            counts[key][verdict or "pending"] += int(n)
    lines = [StaffLine(shown_names(spellings[k]), c["named"], c["true"], c["unfounded"],
                       c["pending"]) for k, c in counts.items()]
    lines.sort(key=lambda line: (-line.named, -line.founded, line.name))
    return lines


def _escalated(session: Session, start: datetime, end: datetime) -> list[EscalatedComplaint]:
    """The complaints escalated in the month, first escalated first (as stats' `escalated`:
    an escalation counts in the month its rule fired)."""
    owner, handler = aliased(User), aliased(User)
    rows = session.execute(
        select(Complaint.id, Complaint.reference, Escalation.at, Escalation.rule,
               Escalation.reason, Complaint.severity, Complaint.stage, owner.display_name,
               Escalation.handled_at, handler.display_name)
        .join(Complaint, Complaint.id == Escalation.complaint_id)
        .outerjoin(owner, owner.id == Complaint.owner_id)
        .outerjoin(handler, handler.id == Escalation.handled_by_id)
        .where(Escalation.at >= start, Escalation.at < end)
        .order_by(Escalation.at, Escalation.id)).all()
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    out = []
    for items in grouped.values():
        first = items[0]
        out.append(EscalatedComplaint(
            reference=first[1], first_at=first[2],
            rules=list(dict.fromkeys(r[3] for r in items)),
            reasons=[r[4] for r in items if r[4]], severity=first[5], stage=first[6],
            owner=first[7] or "", open_alerts=sum(1 for r in items if r[8] is None),
            handled_by=list(dict.fromkeys(r[9] for r in items if r[9]))))
    return out


def _list_labels(session: Session, lang: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for value in session.scalars(select(ListValue)):
        out[value.kind][value.code] = value.label(lang)
    return dict(out)


def month_report_data(db: Database, month: str, lang: str, step: Step | None = None,
                      actor: Actor = SYSTEM) -> MonthReportData:
    """The figures (month_stats) and lists of one month; `step(name)` is called between parts
    so a caller can show progress or stop (by raising). Supervisors only (SEE_REPORTS)."""
    require(actor, SEE_REPORTS)
    year, mon = parse_month(month)
    tick = step or (lambda _name: None)
    tick("stats")
    figures = month_stats(db, month)
    start, end = month_bounds(year, mon)
    received_in = and_(Complaint.received_at >= start, Complaint.received_at < end)
    resolved_in = and_(Complaint.resolved_at >= start, Complaint.resolved_at < end)
    now = clock.now()
    actions = list_actions(db, open_only=True)
    with db.read() as session:
        tick("trend")
        points = trend(session, year, mon)
        tick("lists")
        data = MonthReportData(
            month=figures["month"],
            business_name=str(get_setting(session, "business_name") or ""),
            currency_symbol=str(get_setting(session, "currency_symbol")),
            generated_at=now,
            stats=figures,
            trend=points,
            root_causes=_root_causes(session, received_in),
            repeat_customers=_repeat_customers(session, received_in),
            serious=_serious(session, received_in, now),
            actions=actions,
            by_owner=_by_owner(session, resolved_in),
            staff_involved=_staff_involved(session, received_in),
            escalated=_escalated(session, start, end),
            list_labels=_list_labels(session, lang),
            questions=question_averages(session, figures),
            cases=cases_marked_in(session, start, end),
        )
    return data
