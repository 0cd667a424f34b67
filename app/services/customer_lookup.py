"""Finding a returning customer at the counter: by phone or name as the clerk types.

The intake form shows the matches in a completer and, once one is chosen (or a full phone is
typed), a badge with the customer's earlier complaints, tier and the repeat flag. Phone and
email are masked for roles that do not need them (setting `mask_personal_data`).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.errors import ValidationError
from app.models import Complaint, Customer
from app.phones import national_digits, normalise_phone
from app.privacy import masks_in, shown_email, shown_phone
from app.services.phone_keys import desk_region, legacy_keys
from app.services.queue import like_pattern
from app.settings import get as get_setting

MIN_TEXT = 2  # fewer characters would list half the customers
_FULLWIDTH_DIGITS = {0xFF10 + i: ord("0") + i for i in range(10)}
_PHONE_TYPING = re.compile(r"^[\d\s\-+().\u3000]+$")


@dataclass(frozen=True)
class CustomerMatch:
    """One line of the completer."""

    id: int
    name: str
    phone: str  # as the role may see it (masked or not)
    tier: str
    complaints: int


@dataclass(frozen=True)
class CustomerSummary:
    """What the badge shows about a returning customer."""

    id: int
    name: str
    phone: str  # as the role may see it
    email: str  # as the role may see it
    tier: str
    earlier_complaints: int
    recent_complaints: int  # within the repeat window (setting repeat_window_days)
    window_days: int
    last_received_at: datetime | None
    masked: bool

    @property
    def is_repeat(self) -> bool:
        """A new complaint now would be a repeat (2nd or later within the window)."""
        return self.recent_complaints > 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text.translate(_FULLWIDTH_DIGITS))


def find_customers(db: Database, text: str, limit: int = 8,
                   role: str = "clerk") -> list[CustomerMatch]:
    """Customers whose phone contains the typed digits, or whose name contains the text.

    Anonymised customers are never offered. Most frequent complainants first.
    """
    text = (text or "").strip()
    if len(text) < MIN_TEXT:
        return []
    count = (select(func.count()).select_from(Complaint)
             .where(Complaint.customer_id == Customer.id).scalar_subquery())
    q = select(Customer.id, Customer.name, Customer.phone, Customer.tier, count.label("n"))
    q = q.where(Customer.anonymised_at.is_(None))
    digits = _digits(text)
    if _PHONE_TYPING.match(text.translate(_FULLWIDTH_DIGITS)) and len(digits) >= 3:
        # +86 138... typed with its country prefix still finds the stored national number.
        with contextlib.suppress(ValidationError):
            digits = national_digits(normalise_phone(text, desk_region(db)))
        q = q.where(Customer.phone.like(like_pattern(digits), escape="\\"))
    else:
        pattern = like_pattern(text)
        q = q.where(or_(Customer.name.like(pattern, escape="\\"),
                        Customer.email.like(pattern, escape="\\")))
    q = q.order_by(count.desc(), Customer.name, Customer.id).limit(max(1, limit))
    with db.read() as session:
        masked = masks_in(session, role)
        rows = session.execute(q).all()
    return [CustomerMatch(r[0], r[1] or "", shown_phone(role, r[2], masked),
                          r[3] or "ordinary", int(r[4] or 0)) for r in rows]


def _summary(session: Session, customer: Customer, role: str) -> CustomerSummary:
    window = int(get_setting(session, "repeat_window_days"))
    since = clock.now() - timedelta(days=window)
    total, last = session.execute(
        select(func.count(), func.max(Complaint.received_at))
        .where(Complaint.customer_id == customer.id)
    ).one()
    recent = session.scalar(
        select(func.count()).select_from(Complaint)
        .where(Complaint.customer_id == customer.id, Complaint.received_at >= since)
    ) or 0
    masked = masks_in(session, role)
    return CustomerSummary(
        id=customer.id, name=customer.name or "",
        phone=shown_phone(role, customer.phone, masked),
        email=shown_email(role, customer.email, masked),
        tier=customer.tier or "ordinary", earlier_complaints=int(total or 0),
        recent_complaints=int(recent) if customer.phone else 0, window_days=window,
        last_received_at=last, masked=masked,
    )


def customer_summary(db: Database, customer_id: int, role: str = "clerk") -> CustomerSummary | None:
    """The badge for a customer chosen in the completer (None if gone or anonymised)."""
    with db.read() as session:
        customer = session.get(Customer, customer_id)
        if customer is None or customer.anonymised_at is not None:
            return None
        return _summary(session, customer, role)


def lookup_phone(db: Database, phone: str, role: str = "clerk") -> CustomerSummary | None:
    """The returning customer with exactly this phone (any way it is written), else None."""
    try:
        key = normalise_phone(phone, desk_region(db))
    except ValidationError:
        return None
    with db.read() as session:
        customer = session.scalar(select(Customer).where(Customer.phone == key))
        if customer is None:  # still under the key of before E.164 (app/services/phone_keys.py)
            old = session.scalars(select(Customer).where(
                Customer.phone.in_(legacy_keys(key)))).all()
            customer = old[0] if len(old) == 1 else None
        if customer is None or customer.anonymised_at is not None:
            return None
        return _summary(session, customer, role)


def customer_phone(db: Database, customer_id: int) -> str | None:
    """The customer's key, for a complaint logged for a customer chosen by name: the form keeps
    it without showing it when the clerk may only see the masked number."""
    with db.read() as session:
        customer = session.get(Customer, customer_id)
        return customer.phone if customer is not None and customer.anonymised_at is None else None
