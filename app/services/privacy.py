"""Anonymising customers: on their request, and by the retention setting.

A customer's name, phone and email are removed from the customer record, and where they
appear word for word in the texts of that customer's complaints (description, contact
summaries, revisit comments, timeline texts) they are replaced by "***". The complaints
themselves stay: their dates, categories, stages, amounts and the link to the (now nameless)
customer record, so every statistic stays the same (app/services/stats.py counts a repeat
customer by that link). Each anonymisation is an event in the audit trail, which itself never
holds personal data (app/audit.py).

SQLite: the transaction runs with `secure_delete` on, and the search index is rebuilt, so the
old text does not linger in free pages of the file. Backups made earlier still hold it until
the rotation removes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, text
from sqlalchemy.orm import Session

from app import audit, clock
from app.db import Database
from app.errors import NotFound, ValidationError
from app.i18n import N_
from app.models import Complaint, ComplaintEvent, Contact, Customer, Revisit
from app.permissions import ANONYMISE_CUSTOMER, APPLY_RETENTION, require
from app.phones import dialable, national_digits
from app.services.common import SYSTEM, Actor
from app.services.phone_keys import region_of
from app.settings import get as get_setting

HIDDEN = "***"


@dataclass(frozen=True)
class Anonymised:
    customer_id: int
    complaints: int  # complaints of the customer, kept
    texts_cleaned: int  # texts in which the name, phone or email was replaced


def customer_of(db: Database, reference: str) -> int | None:
    """The customer record of a complaint (for "anonymise this customer" in its panel)."""
    with db.read() as session:
        return session.scalar(select(Complaint.customer_id).where(
            Complaint.reference == reference.strip()))


def _needles(c: Customer) -> list[str]:
    # The key (+8613912345678) and the number as people write it in a text (13912345678).
    national = national_digits(c.phone) if c.phone else None
    found = [v for v in (c.phone, national, c.email) if v]
    if c.name and len(c.name.strip()) >= 2:  # one character would blank out ordinary words
        found.append(c.name.strip())
    return sorted(found, key=len, reverse=True)


def _scrub(value: Any, needles: list[str]) -> Any:
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, HIDDEN)
        return value
    if isinstance(value, list):
        return [_scrub(v, needles) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, needles) for k, v in value.items()}
    return value


def _clean_texts(session: Session, customer_id: int, needles: list[str]) -> int:
    if not needles:
        return 0
    cleaned = 0
    ids = list(session.scalars(select(Complaint.id).where(Complaint.customer_id == customer_id)))
    if not ids:
        return 0
    rows: list[tuple[Any, str]] = [(c, "description") for c in session.scalars(
        select(Complaint).where(Complaint.id.in_(ids)))]
    rows += [(x, "summary") for x in session.scalars(
        select(Contact).where(Contact.complaint_id.in_(ids)))]
    rows += [(r, "comment") for r in session.scalars(
        select(Revisit).where(Revisit.complaint_id.in_(ids)))]
    rows += [(e, "data") for e in session.scalars(
        select(ComplaintEvent).where(ComplaintEvent.complaint_id.in_(ids)))]
    for obj, attr in rows:
        before = getattr(obj, attr)
        after = _scrub(before, needles)
        if after != before:
            setattr(obj, attr, after)
            cleaned += 1
    return cleaned


def _anonymise(session: Session, c: Customer, actor: Actor, now: datetime, why: str) -> int:
    cleaned = _clean_texts(session, c.id, _needles(c))
    c.name, c.phone, c.email, c.anonymised_at = "", None, None, now
    audit.record(session, actor, "customer_anonymised", f"customer:{c.id}", reason=why,
                 texts_cleaned=cleaned)
    return cleaned


def _secure(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete = ON"))


def _rebuild_search(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        return
    exists = session.execute(text("SELECT 1 FROM sqlite_master WHERE name = "
                                  "'complaint_search'")).first()
    if exists:
        session.execute(text("INSERT INTO complaint_search(complaint_search) "
                             "VALUES ('optimize')"))


def anonymise_customer(db: Database, customer_id: int, actor: Actor = SYSTEM,
                       reason: str = "") -> Anonymised:
    """Remove a customer's name, phone and email on their request (supervisor)."""
    require(actor, ANONYMISE_CUSTOMER)
    why = (reason or "").strip()
    if not why:
        raise ValidationError("reason", N_("is required"))
    now = clock.now()
    with db.write() as session:
        _secure(session)
        c = session.get(Customer, customer_id)
        if c is None:
            raise NotFound(N_("No such customer"))
        if c.anonymised_at is not None:
            raise ValidationError("customer_name", N_("is already anonymised"))
        cleaned = _anonymise(session, c, actor, now, why[:200])
        count = session.scalar(select(func.count()).select_from(Complaint).where(
            Complaint.customer_id == c.id)) or 0
        session.flush()
        _rebuild_search(session)
    return Anonymised(customer_id, int(count), cleaned)


def _years_before(now: datetime, years: int) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def retention_due(session: Session, now: datetime) -> list[int]:
    """Customers not yet anonymised with no open complaint, whose last complaint closed (or
    who were recorded, if they have none) longer ago than the setting `retention_years`."""
    years = int(get_setting(session, "retention_years"))
    if years <= 0:
        return []
    cutoff = _years_before(now, years)
    last = (select(Complaint.customer_id.label("cid"),
                   func.max(Complaint.closed_at).label("closed"),
                   func.sum(case((Complaint.stage != "closed", 1), else_=0)).label("open"))
            .group_by(Complaint.customer_id).subquery())
    q = (select(Customer.id).outerjoin(last, last.c.cid == Customer.id)
         .where(Customer.anonymised_at.is_(None))
         .where(func.coalesce(last.c.open, 0) == 0)
         .where(func.coalesce(last.c.closed, Customer.created_at) < cutoff)
         .order_by(Customer.id))
    return list(session.scalars(q))


def apply_retention(db: Database, actor: Actor = SYSTEM) -> int:
    """Anonymise every customer the retention setting no longer allows to keep; how many.
    Run at start of the window (as the system) and on demand by an administrator."""
    require(actor, APPLY_RETENTION)
    now = clock.now()
    with db.write() as session:
        due = retention_due(session, now)
        if not due:
            return 0
        _secure(session)
        years = int(get_setting(session, "retention_years"))
        for c in session.scalars(select(Customer).where(Customer.id.in_(due))):
            _anonymise(session, c, actor, now, f"retention {years} years")
        session.flush()
        _rebuild_search(session)
    return len(due)


def reveal_phone(db: Database, reference: str, actor: Actor) -> str:
    """The customer's whole phone number, for the call a clerk is about to make (a revisit):
    where numbers are masked for clerks, each number shown is an event in the audit trail.
    "" when the customer left none (or was anonymised); NotFound for an unknown reference."""
    with db.write() as session:
        row = session.execute(
            select(Customer.phone).select_from(Complaint)
            .outerjoin(Customer, Customer.id == Complaint.customer_id)
            .where(Complaint.reference == reference)).first()
        if row is None:
            raise NotFound(N_("No complaint with reference {reference}"), reference=reference)
        phone = dialable(row[0], region_of(session)) if row[0] else ""
        if phone:
            audit.record(session, actor, "phone_revealed", reference)
        return phone
