"""The history of one customer: all their complaints with how each ended (panel, supervisor).

Phone and email are masked for roles that do not need them, like the intake lookup
(app/services/customer_lookup.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.db import Database
from app.errors import NotFound
from app.i18n import N_, get_language
from app.models import Complaint, Customer, ListValue
from app.phones import normalise_phone
from app.privacy import masks_in, shown_phone
from app.services.ledger import given_by_complaint
from app.services.list_choices import labels_of
from app.services.phone_keys import legacy_keys, region_of

# How a complaint ended, for the history list (labels in ui/complaint/history_dialog.py).
OUTCOMES = ("open", "awaiting_revisit", "satisfied", "closed_by_supervisor", "withdrawn",
            "unfounded")


@dataclass(frozen=True)
class HistoryRow:
    """One complaint of the customer."""

    reference: str
    received_at: datetime
    stage: str
    severity: str
    category: str  # label in the current language ("" when not set)
    description: str
    outcome: str  # one of OUTCOMES
    satisfaction: int | None
    reopen_count: int
    solution_types: list[str]  # codes: what was carried out (else what is proposed)
    amount_cents: int  # the total carried out (else proposed)
    closed_at: datetime | None
    solution_labels: list[str] = field(default_factory=list)  # in the current language


@dataclass(frozen=True)
class CustomerHistory:
    customer_id: int
    name: str
    phone: str  # as the role may see it
    tier: str
    complaints: list[HistoryRow] = field(default_factory=list)

    @property
    def average_satisfaction(self) -> float | None:
        scores = [r.satisfaction for r in self.complaints if r.satisfaction is not None]
        return sum(scores) / len(scores) if scores else None


def _outcome(stage: str, withdrawn: bool, close_reason: str | None, verdict: str | None,
             resolved_by_revisit: bool) -> str:
    if stage == "follow_up":
        return "awaiting_revisit"
    if stage != "closed":
        return "open"
    if withdrawn:
        return "withdrawn"
    # Closed with the explanation given to the customer, the investigation having found the
    # complaint unfounded (workflow MoveKind.CLOSE_UNFOUNDED: no revisit, no satisfaction).
    if verdict == "unfounded" and close_reason and not resolved_by_revisit:
        return "unfounded"
    # A close with a reason that is not a withdrawal is a supervisor's close without revisit.
    return "closed_by_supervisor" if close_reason else "satisfied"


def customer_history(db: Database, phone_or_customer_id: str | int,
                     role: str = "clerk") -> CustomerHistory:
    """All complaints of a customer (by phone, written any way, or by id), newest first.

    NotFound when no customer has that phone; ValidationError when it is not a phone number.
    """
    with db.read() as session:
        if isinstance(phone_or_customer_id, int):
            cust = session.get(Customer, phone_or_customer_id)
        else:
            phone = normalise_phone(phone_or_customer_id, region_of(session))
            cust = session.scalar(select(Customer).where(Customer.phone == phone))
            if cust is None:  # still under the key of before E.164 (app/services/phone_keys.py)
                old = session.scalars(select(Customer).where(
                    Customer.phone.in_(legacy_keys(phone)))).all()
                cust = old[0] if len(old) == 1 else None
        if cust is None:
            raise NotFound(N_("No customer with this phone number"))
        masked = masks_in(session, role)
        cat = aliased(ListValue)
        label = {"zh-Hans": cat.label_zh_hans,
                 "zh-Hant": cat.label_zh_hant}.get(get_language(), cat.label_en)
        rows = session.execute(
            select(Complaint.id, Complaint.reference, Complaint.received_at, Complaint.stage,
                   Complaint.severity, label, Complaint.description, Complaint.withdrawn,
                   Complaint.close_reason, Complaint.satisfaction, Complaint.reopen_count,
                   Complaint.closed_at, Complaint.verified)
            .outerjoin(cat, cat.id == Complaint.category_id)
            .where(Complaint.customer_id == cust.id)
            .order_by(Complaint.received_at.desc(), Complaint.id.desc())).all()
        given = given_by_complaint(session, [r[0] for r in rows])
        types_shown = labels_of(session, "solution_type")
        history = []
        for (cid, ref, received, stage, sev, cat_label, desc, withdrawn, reason, sat, reopens,
             closed, verdict) in rows:
            g = given.get(cid)
            types, cents = (g.types, g.amount_cents) if g else ([], 0)
            history.append(HistoryRow(ref, received, stage, sev, cat_label or "", desc,
                                      _outcome(stage, withdrawn, reason, verdict,
                                               sat is not None), sat, reopens, types,
                                      cents, closed, [types_shown.get(t, t) for t in types]))
        phone_shown = shown_phone(role, cust.phone, masked)
        return CustomerHistory(cust.id, cust.name, phone_shown, cust.tier, history)
