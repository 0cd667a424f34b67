"""Logging a complaint at the counter (and "resolve on the spot")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock, validation
from app.codes import CHANNELS, DEMANDS, EMOTIONS, SEVERITIES, TIERS, VERIFICATIONS
from app.db import Database
from app.errors import ValidationError, ValidationErrors
from app.i18n import N_
from app.models import (
    EMAIL_LEN,
    NAME_LEN,
    SHORT_LEN,
    TEXT_LEN,
    Complaint,
    Customer,
    Investigation,
    Solution,
)
from app.permissions import APPROVE_COMPENSATION, can
from app.phones import DEFAULT_REGION, normalise_phone
from app.references import allocate
from app.rules.compensation import entry_total, parse_amounts
from app.services import attachments as attachment_files
from app.services.common import SYSTEM, Actor, list_codes, list_value
from app.services.escalations import escalate_at_save
from app.services.moves import apply_move
from app.services.phone_keys import desk_region, find_by_phone
from app.settings import get as get_setting
from app.settings import sla_policy
from app.sla import due_times
from app.timeline import record

T = TypeVar("T")


@dataclass
class OnTheSpot:
    """What the clerk did at the counter when the complaint is resolved on the spot."""

    solution_types: list[str]
    what_was_done: str
    amounts: dict[str, str] = field(default_factory=dict)  # type -> amount (none: 0)
    # What the clerk found at the counter (app/codes.py VERIFICATIONS): the complaint leaves
    # the investigation in the same step, which needs its verdict (app/workflow.py).
    verdict: str = ""


@dataclass
class IntakeInput:
    description: str
    customer_name: str = ""
    phone: str = ""
    email: str = ""
    tier: str = ""  # empty: keep a returning customer's tier (new customers: ordinary)
    channel: str = "counter"
    received_at: str | datetime | None = None  # empty: now
    occurred_at: str | datetime | None = None  # when the incident happened; empty: as received
    subject: str | None = None
    category: str | None = None
    department: str | None = None
    location: str = ""
    staff_involved: str = ""
    emotion: str | None = None
    demands: list[str] = field(default_factory=list)
    severity: str | None = None
    attachments: list[Path] = field(default_factory=list)
    on_the_spot: OnTheSpot | None = None


@dataclass(frozen=True)
class IntakeResult:
    id: int
    reference: str
    received_at: datetime
    is_repeat: bool
    earlier_complaints: int
    stage: str


@dataclass(frozen=True)
class _Clean:
    received_at: datetime
    occurred_at: datetime
    channel: str
    name: str | None
    phone: str | None
    email: str | None
    tier: str | None
    description: str
    location: str | None
    staff: str | None
    emotion: str | None
    demands: list[str]
    severity: str | None
    solution_types: list[str]
    what_was_done: str | None
    amounts: dict[str, int]  # cents per solution type
    verdict: str | None


def _clean(data: IntakeInput, region: str) -> _Clean:
    """Every field checked; all problems reported together, in form order."""
    errors: list[ValidationError] = []

    def check(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return fn(*args, **kwargs)
        except ValidationError as e:
            errors.append(e)
            return None

    received = check(validation.parse_datetime, "received_at", data.received_at) or clock.now()
    occurred = check(validation.occurred_at, data.occurred_at, received) or received
    channel = check(validation.code, "channel", data.channel or "counter", CHANNELS, True)
    name = check(validation.text, "customer_name", data.customer_name, NAME_LEN)
    phone = check(normalise_phone, data.phone, region) if (data.phone or "").strip() else None
    if not name and not (data.phone or "").strip():
        errors.append(ValidationError("customer_name", N_("give a name or a phone number")))
    email = check(validation.email, data.email, EMAIL_LEN)
    tier = check(validation.code, "tier", data.tier, TIERS)
    description = check(validation.text, "description", data.description, TEXT_LEN, True)
    location = check(validation.text, "location", data.location, SHORT_LEN)
    staff = check(validation.text, "staff_involved", data.staff_involved, SHORT_LEN)
    emotion = check(validation.code, "emotion", data.emotion, EMOTIONS)
    demands = [d for d in data.demands if d]
    bad = [d for d in demands if d not in DEMANDS]
    if bad:
        errors.append(ValidationError("customer_demand", N_("has an unknown value \"{value}\""),
                                      value=bad[0][:40]))
    severity = check(validation.code, "severity", data.severity, SEVERITIES)
    types: list[str] = []
    done = None
    cents: dict[str, int] = {}
    verdict = None
    if data.on_the_spot is not None:
        # Checked against the editable list with the other lists (_lookups).
        types = [t for t in dict.fromkeys(data.on_the_spot.solution_types) if t]
        if not types:
            errors.append(ValidationError("solution_types", N_("is required")))
        done = check(validation.text, "implementation", data.on_the_spot.what_was_done,
                     TEXT_LEN, True)
        cents = check(parse_amounts, types, data.on_the_spot.amounts or {}) or {}
        verdict = check(validation.code, "verified", data.on_the_spot.verdict or None,
                        VERIFICATIONS, True)
    if errors:
        raise ValidationErrors(errors)
    return _Clean(received, occurred, channel or "counter", name, phone, email, tier, description or "",
                  location, staff, emotion, list(dict.fromkeys(demands)), severity, types, done,
                  cents, verdict)


def check_intake(db: Database, data: IntakeInput) -> list[ValidationError]:
    """All problems of the input (empty when it can be saved), for inline validation."""
    try:
        # The desk's region matters only for a phone: no database read for a form without.
        clean = _clean(data, desk_region(db) if (data.phone or "").strip() else DEFAULT_REGION)
        with db.read() as session:
            _lookups(session, data, clean)
    except ValidationErrors as e:
        return e.errors
    except ValidationError as e:
        return [e]
    return []


def _lookups(session: Session, data: IntakeInput, clean: _Clean) -> dict[str, int | None]:
    errors: list[ValidationError] = []
    ids: dict[str, int | None] = {}
    for kind, code in (("subject", data.subject), ("category", data.category),
                       ("department", data.department)):
        try:
            value = list_value(session, kind, code or None, kind)
            if value is not None and not value.active:
                raise ValidationError(kind, N_("is no longer in use"))
            ids[kind] = value.id if value else None
        except ValidationError as e:
            errors.append(e)
    try:
        list_codes(session, "solution_type", clean.solution_types, "solution_types")
    except ValidationError as e:
        errors.append(e)
    if clean.solution_types and ids.get("category") is None and not errors:
        errors.append(ValidationError("category", N_("is required to resolve on the spot")))
    if errors:
        raise ValidationErrors(errors)
    return ids


def upsert_customer(session: Session, name: str | None, phone: str | None, email: str | None,
                    tier: str | None, now: datetime) -> Customer:
    """The returning customer (by phone), updated with what was typed; else a new one."""
    customer = find_by_phone(session, phone) if phone else None
    if customer is None:
        customer = Customer(name=name or "", phone=phone, email=email, tier=tier or "ordinary",
                            created_at=now)
        session.add(customer)
        session.flush()
        return customer
    if name:
        customer.name = name
    if email:
        customer.email = email
    if tier:
        customer.tier = tier
    return customer


def log_complaint(db: Database, data: IntakeInput, actor: Actor = SYSTEM) -> IntakeResult:
    """Validate and save a complaint; all or nothing. Raises ValidationErrors."""
    clean = _clean(data, desk_region(db))
    now = clock.now()
    with db.write() as session:
        ids = _lookups(session, data, clean)
        customer = upsert_customer(session, clean.name, clean.phone, clean.email, clean.tier, now)
        window = int(get_setting(session, "repeat_window_days"))
        earlier = session.scalar(
            select(func.count()).select_from(Complaint).where(
                Complaint.customer_id == customer.id,
            )
        ) or 0
        recent = session.scalar(
            select(func.count()).select_from(Complaint).where(
                Complaint.customer_id == customer.id,
                Complaint.received_at >= clean.received_at - timedelta(days=window),
            )
        ) or 0 if customer.phone else 0
        complaint = Complaint(
            reference=allocate(session, clean.received_at),
            received_at=clean.received_at,
            occurred_at=clean.occurred_at,
            channel=clean.channel,
            customer_id=customer.id,
            subject_id=ids["subject"],
            category_id=ids["category"],
            department_id=ids["department"],
            location=clean.location,
            staff_involved=clean.staff,
            description=clean.description,
            emotion=clean.emotion,
            demands=clean.demands,
            recorded_by_id=actor.user_id,
            is_repeat=recent > 0,
            stage="new",
            severity=clean.severity or "normal",
            updated_at=now,
        )
        policy = sla_policy(session)
        complaint.first_contact_due_at, complaint.due_at = due_times(
            clean.received_at, complaint.severity, policy, customer.tier
        )
        session.add(complaint)
        session.flush()
        record(session, complaint, "intake", actor.user_id, actor.name, now,
               channel=clean.channel)
        for path in data.attachments:
            attachment_files.attach(session, db.paths, complaint, path, actor, now)
        if data.on_the_spot is not None:
            _resolve_on_the_spot(session, complaint, clean, actor, now)
        escalate_at_save(session, complaint, now)
        return IntakeResult(complaint.id, complaint.reference, complaint.received_at,
                            complaint.is_repeat, int(earlier), complaint.stage)


def _resolve_on_the_spot(session: Session, c: Complaint, clean: _Clean, actor: Actor,
                         now: datetime) -> None:
    """new → follow_up in one step: the clerk owns it, solved and agreed at the counter."""
    threshold = int(get_setting(session, "approval_threshold"))
    total = entry_total(clean.amounts)
    # At the counter there is no one to wait for: only a supervisor may give more.
    if total > threshold and not can(actor, APPROVE_COMPENSATION):
        raise ValidationError(
            "amount", N_("is over the approval threshold: a supervisor must approve it"))
    if actor.user_id is not None:
        c.owner_id = actor.user_id
    elif c.owner_id is None:
        raise ValidationError("owner", N_("sign in to resolve on the spot"))
    c.first_contact_at = c.received_at
    c.verified = clean.verdict
    text = clean.what_was_done or ""
    session.add(Investigation(complaint_id=c.id, findings=text, responsibility="nobody",
                              updated_at=now, by_id=actor.user_id))
    session.add(Solution(complaint_id=c.id, round=c.reopen_count, types=clean.solution_types,
                         amounts=clean.amounts, amount_cents=total, description=text,
                         approval_state="approved" if total > threshold else "not_needed",
                         approved_by_id=actor.user_id if total > threshold else None,
                         approved_at=now if total > threshold else None,
                         customer_agreed_at=now, implemented_at=now, implementation=text,
                         implemented_by_id=actor.user_id, proposed_at=now,
                         proposed_by_id=actor.user_id))
    session.flush()
    apply_move(session, c, "follow_up", actor, now, reason=None)
