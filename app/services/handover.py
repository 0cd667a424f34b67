"""What the shift hand-over sheet (交接班单) lists: the work waiting at the start of a shift.

Overdue complaints, complaints due on the day, open escalations, solutions awaiting a
supervisor's approval and revisits due, each with its owner (the sheet sums them up by owner).
The same rules as everywhere: overdue is app.sla.is_overdue's SQL twin, "current solution" the
ledger's, an escalation is open until a supervisor marks it handled. The sheet shows the desk as
it is now, so it is made for today or a day to come, never for a past day (that day's state is
not kept). app/reports/handover.py draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session, aliased

from app import clock
from app.codes import SEVERITIES
from app.db import Database
from app.errors import ValidationError
from app.i18n import N_, normalise_language
from app.models import Complaint, Customer, Escalation, ListValue, Revisit, Solution, User
from app.permissions import PRINT_HANDOVER, require
from app.rules.overdue_sql import overdue_sql
from app.rules.stages import OPEN_STAGES, SOLUTION_STAGES, UNRESOLVED_STAGES
from app.services.common import SYSTEM, Actor
from app.services.ledger import is_current_sql
from app.settings import get as get_setting

# The sheet's sections, most pressing first.
OVERDUE, DUE_TODAY, ESCALATIONS, APPROVALS, REVISITS = (
    "overdue", "due_today", "escalations", "approvals", "revisits")
SECTIONS = (OVERDUE, DUE_TODAY, ESCALATIONS, APPROVALS, REVISITS)


@dataclass(frozen=True)
class HandoverItem:
    reference: str
    owner: str  # display name; "" = nobody yet
    customer: str
    category: str | None  # code (labels: HandoverSheet.category_labels)
    severity: str
    stage: str
    when: datetime | None  # due time, proposal or escalation time; a revisit's day at 00:00
    rule: str = ""  # escalations: app/rules/escalation.py rule code
    amount_cents: int = 0  # approvals


@dataclass
class HandoverSheet:
    day: date
    at: datetime  # as of
    business_name: str
    prepared_by: str
    sections: dict[str, list[HandoverItem]] = field(default_factory=dict)
    category_labels: dict[str, str] = field(default_factory=dict)  # in the sheet's language
    currency_symbol: str = "¥"

    def owners(self) -> list[str]:
        """Everyone with something on the sheet, by name; nobody ("") last."""
        names = {item.owner for items in self.sections.values() for item in items}
        return sorted(names, key=lambda n: (n == "", n))

    def by_owner(self) -> list[tuple[str, dict[str, int]]]:
        """(owner, count per section) for each owner on the sheet."""
        rows = []
        for owner in self.owners():
            rows.append((owner, {key: sum(1 for i in self.sections.get(key, [])
                                          if i.owner == owner) for key in SECTIONS}))
        return rows


# Graver first when a part must be cut to fit the page (urgent, serious, normal, minor).
_GRAVITY = {sev: rank for rank, sev in enumerate(reversed(SEVERITIES))}


def pressing(item: HandoverItem) -> tuple[bool, int, datetime, str]:
    """How pressing a line is, most pressing first: a complaint still open before a closed one
    (an alert on a closed complaint waits only for a supervisor's mark), the graver first,
    then the one waiting longest (due soonest, for the day's due times)."""
    return (item.stage not in OPEN_STAGES, _GRAVITY.get(item.severity, len(_GRAVITY)),
            item.when or datetime.max, item.reference)


def most_pressing(items: Sequence[HandoverItem], count: int) -> list[HandoverItem]:
    """The `count` most pressing lines of a part, kept in the sheet's order (by owner): a page
    too small for a busy desk shows what matters most of everyone's work, not the whole of
    the first owner's."""
    if count >= len(items):
        return list(items)
    chosen = set(sorted(range(len(items)), key=lambda i: pressing(items[i]))[:count])
    return [item for i, item in enumerate(items) if i in chosen]


def shift_day(value: str | date | None, today: date) -> date:
    """The day of the sheet: YYYY-MM-DD, today or later (a past day's state is not kept)."""
    if value is None or value == "":
        return today
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError("shift_day", N_("is not a date of the form YYYY-MM-DD: "
                                             "\"{value}\""), value=str(value)[:40]) from None
    if day < today:
        raise ValidationError("shift_day", N_("is in the past: the hand-over sheet shows the desk "
                                         "as it is now, so it is made for today or a later "
                                         "day"))
    return day


def _base(owner: Any, cat: Any) -> Select[Any]:
    return (select(Complaint.reference, owner.display_name, Customer.name, cat.code,
                   Complaint.severity, Complaint.stage)
            .outerjoin(owner, owner.id == Complaint.owner_id)
            .outerjoin(Customer, Customer.id == Complaint.customer_id)
            .outerjoin(cat, cat.id == Complaint.category_id))


def _items(rows: Sequence[Any], extra: int = 0) -> list[HandoverItem]:
    out = []
    for row in rows:
        ref, owner, customer, category, severity, stage, when = row[:7]
        rule, cents = (row[7], 0) if extra == 1 else ("", int(row[7] or 0)) if extra == 2 \
            else ("", 0)
        if isinstance(when, date) and not isinstance(when, datetime):
            when = datetime.combine(when, time())
        out.append(HandoverItem(ref, owner or "", customer or "", category, severity, stage,
                                when, rule, cents))
    return sorted(out, key=lambda i: (i.owner == "", i.owner, i.when or datetime.max,
                                      i.reference))


def _sections(session: Session, day: date, now: datetime) -> dict[str, list[HandoverItem]]:
    owner, cat = aliased(User), aliased(ListValue)
    start = datetime.combine(day, time())
    end = start + timedelta(days=1)
    overdue = overdue_sql(Complaint.stage, Complaint.due_at, Complaint.paused_since, now)
    late = session.execute(_base(owner, cat).add_columns(Complaint.due_at)
                           .where(overdue)).all()
    # Due on the day and not overdue yet; a paused clock (waiting on the customer) moves its
    # due time on when it runs again, so such a complaint is not "due today".
    due = session.execute(_base(owner, cat).add_columns(Complaint.due_at).where(
        Complaint.stage.in_(UNRESOLVED_STAGES), Complaint.paused_since.is_(None),
        Complaint.due_at >= max(start, now), Complaint.due_at < end, ~overdue)).all()
    escalations = session.execute(
        _base(owner, cat).add_columns(Escalation.at, Escalation.rule)
        .join(Escalation, Escalation.complaint_id == Complaint.id)
        .where(Escalation.handled_at.is_(None))).all()
    approvals = session.execute(
        _base(owner, cat).add_columns(Solution.proposed_at, Solution.amount_cents)
        .join(Solution, Solution.complaint_id == Complaint.id)
        .where(Solution.approval_state == "pending", is_current_sql(),
               Complaint.stage.in_(SOLUTION_STAGES))).all()
    revisits = session.execute(
        _base(owner, cat).add_columns(Revisit.scheduled_for)
        .join(Revisit, Revisit.complaint_id == Complaint.id)
        .where(and_(Revisit.done_at.is_(None), Complaint.stage == "follow_up",
                    Revisit.scheduled_for <= day))).all()
    return {OVERDUE: _items(late), DUE_TODAY: _items(due), ESCALATIONS: _items(escalations, 1),
            APPROVALS: _items(approvals, 2), REVISITS: _items(revisits)}


def handover_sheet(db: Database, day: str | date | None = None, lang: str = "zh-Hans",
                   actor: Actor = SYSTEM) -> HandoverSheet:
    """What the sheet of `day` (default today) lists, as of now. Any staff member may print
    it (PRINT_HANDOVER); ValidationError for a day that is not a date or is past."""
    require(actor, PRINT_HANDOVER)
    now = clock.now()
    chosen = shift_day(day, now.date())
    language = normalise_language(lang)
    with db.read() as session:
        labels = {v.code: v.label(language) for v in session.scalars(
            select(ListValue).where(ListValue.kind == "category"))}
        return HandoverSheet(
            day=chosen, at=now,
            business_name=str(get_setting(session, "business_name") or ""),
            prepared_by=actor.name if actor.user_id is not None else "",
            sections=_sections(session, chosen, now), category_labels=labels,
            currency_symbol=str(get_setting(session, "currency_symbol")))
