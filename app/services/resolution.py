"""Working a complaint: assessment, investigation, solution and approval, agreement,
implementation, contacts, field edits. Each call is one transaction with its timeline event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock, validation
from app.codes import (
    CONTACT_METHODS,
    RESPONSIBILITIES,
    SEVERITIES,
    VERIFICATIONS,
)
from app.db import Database
from app.errors import MoveRefused, ValidationError
from app.i18n import N_
from app.models import SHORT_LEN, TEXT_LEN, Complaint, Contact, Investigation, Solution
from app.money import format_money
from app.services.common import (
    SYSTEM,
    Actor,
    Saved,
    list_codes,
    list_value,
    load_complaint,
    require_supervisor,
    touch,
    user_by_id,
)
from app.services.moves import apply_move
from app.settings import get as get_setting
from app.settings import sla_policy
from app.sla import due_times
from app.timeline import record
from app.workflow import PART_SOLUTION


@contextmanager
def _changing(db: Database, reference: str, expected_version: int | None
              ) -> Iterator[tuple[Session, Complaint, datetime, list[Saved]]]:
    """Open a write transaction on one complaint; the caller fills `out` via the yielded list."""
    now = clock.now()
    out: list[Saved] = []
    with db.write() as session:
        c = load_complaint(session, reference, expected_version)
        yield session, c, now, out
        touch(c, now)
        session.flush()
        out.append(Saved(c.reference, c.stage, c.version))


def _run(db: Database, reference: str, expected_version: int | None,
         fn: Callable[[Session, Complaint, datetime], None]) -> Saved:
    with _changing(db, reference, expected_version) as (session, c, now, out):
        fn(session, c, now)
    return out[0]


def assess(db: Database, reference: str, *, category: str, severity: str, owner_id: int | None,
           department: str | None = None, verified: str | None = None,
           due_at: str | datetime | None = None, actor: Actor = SYSTEM,
           expected_version: int | None = None) -> Saved:
    """Set category, severity, owner (and due time from the SLA); a new complaint → assessed."""
    sev = validation.code("severity", severity, SEVERITIES, required=True)
    ver = validation.code("verified", verified, VERIFICATIONS)
    due = validation.parse_datetime("due_at", due_at, allow_future=True) if due_at else None
    if owner_id is None:
        raise ValidationError("owner", N_("is required"))

    def change(session: Session, c: Complaint, now: datetime) -> None:
        cat = list_value(session, "category", category or None, "category")
        if cat is None:
            raise ValidationError("category", N_("is required"))
        dept = list_value(session, "department", department or None, "department")
        owner = user_by_id(session, owner_id)
        assert sev is not None and owner is not None
        c.category_id, c.severity, c.owner_id, c.verified = cat.id, sev, owner.id, ver
        if dept is not None:
            c.department_id = dept.id
        first_due, resolve_due = due_times(c.received_at, sev, sla_policy(session))
        c.first_contact_due_at = first_due
        c.due_at = due or resolve_due
        record(session, c, "assessed", actor.user_id, actor.name, now, severity=sev,
               owner=owner.display_name)
        if c.stage == "new":
            apply_move(session, c, "assessed", actor, now, None)

    return _run(db, reference, expected_version, change)


def record_investigation(db: Database, reference: str, *, findings: str,
                         responsibility: str | None, root_cause: str | None = None,
                         evidence: str | None = None, actor: Actor = SYSTEM,
                         expected_version: int | None = None) -> Saved:
    text = validation.text("findings", findings, TEXT_LEN, required=True)
    resp = validation.code("responsibility", responsibility, RESPONSIBILITIES)
    cause = validation.text("root_cause", root_cause, SHORT_LEN)
    proof = validation.text("evidence", evidence, TEXT_LEN)

    def change(session: Session, c: Complaint, now: datetime) -> None:
        inv = session.scalar(select(Investigation).where(Investigation.complaint_id == c.id))
        if inv is None:
            inv = Investigation(complaint_id=c.id)
            session.add(inv)
        inv.findings, inv.responsibility, inv.root_cause, inv.evidence = text, resp, cause, proof
        inv.updated_at, inv.by_id = now, actor.user_id
        record(session, c, "investigation", actor.user_id, actor.name, now,
               responsibility=resp or "", root_cause=cause or "")
        if c.stage in ("new", "assessed"):
            # Recording findings means someone is checking the facts.
            apply_move(session, c, "investigating", actor, now, None)

    return _run(db, reference, expected_version, change)


def propose_solution(db: Database, reference: str, *, types: list[str], amount: str = "",
                     description: str = "", actor: Actor = SYSTEM,
                     expected_version: int | None = None) -> Saved:
    """Record (or revise) the proposed solution; over the threshold it waits for approval."""
    if not any(types):
        raise ValidationError("solution_types", N_("is required"))
    cents = validation.amount_cents(amount)
    desc = validation.text("solution_description", description, TEXT_LEN)

    def change(session: Session, c: Complaint, now: datetime) -> None:
        if c.stage not in ("assessed", "investigating", "proposed"):
            raise MoveRefused(N_("A solution can be proposed while investigating."), PART_SOLUTION)
        threshold = int(get_setting(session, "approval_threshold"))
        sol = session.scalar(select(Solution).where(Solution.complaint_id == c.id))
        # The editable list (issue 12); a type retired since stays valid on this solution.
        chosen = list_codes(session, "solution_type", types, "solution_types",
                            keep=tuple(sol.types or ()) if sol else ())
        if sol is None:
            sol = Solution(complaint_id=c.id)
            session.add(sol)
        sol.types, sol.amount_cents, sol.description, sol.proposed_at = chosen, cents, desc, now
        sol.customer_agreed_at = None
        sol.approved_by_id = sol.approved_at = sol.approval_comment = None
        sol.approval_state = "pending" if cents > threshold else "not_needed"
        record(session, c, "solution_proposed", actor.user_id, actor.name, now, types=chosen,
               amount=format_money(cents))
        if sol.approval_state == "pending":
            record(session, c, "approval_requested", actor.user_id, actor.name, now,
                   amount=format_money(cents), threshold=format_money(threshold))

    return _run(db, reference, expected_version, change)


def decide_approval(db: Database, reference: str, *, approve: bool, comment: str = "",
                    actor: Actor = SYSTEM, expected_version: int | None = None) -> Saved:
    """A supervisor approves or rejects a solution that waits for approval."""
    require_supervisor(actor, "approve")
    note = validation.text("comment", comment, TEXT_LEN, required=not approve)

    def change(session: Session, c: Complaint, now: datetime) -> None:
        sol = session.scalar(select(Solution).where(Solution.complaint_id == c.id))
        if sol is None or sol.approval_state != "pending":
            raise MoveRefused(N_("No solution is waiting for approval."), PART_SOLUTION)
        sol.approval_state = "approved" if approve else "rejected"
        sol.approved_by_id, sol.approved_at, sol.approval_comment = actor.user_id, now, note
        record(session, c, "approved" if approve else "rejected", actor.user_id, actor.name,
               now, comment=note or "")

    return _run(db, reference, expected_version, change)


def record_agreement(db: Database, reference: str, *, actor: Actor = SYSTEM,
                     expected_version: int | None = None) -> Saved:
    def change(session: Session, c: Complaint, now: datetime) -> None:
        sol = session.scalar(select(Solution).where(Solution.complaint_id == c.id))
        if sol is None or not sol.types:
            raise MoveRefused(N_("Propose a solution first."), PART_SOLUTION)
        sol.customer_agreed_at = now
        record(session, c, "customer_agreed", actor.user_id, actor.name, now)

    return _run(db, reference, expected_version, change)


def record_implementation(db: Database, reference: str, *, what_was_done: str,
                          actor: Actor = SYSTEM, expected_version: int | None = None) -> Saved:
    text = validation.text("implementation", what_was_done, TEXT_LEN, required=True)

    def change(session: Session, c: Complaint, now: datetime) -> None:
        sol = session.scalar(select(Solution).where(Solution.complaint_id == c.id))
        if c.stage != "in_progress" or sol is None:
            raise MoveRefused(N_("The solution is carried out once the complaint is in progress."))
        sol.implementation, sol.implemented_at, sol.implemented_by_id = text, now, actor.user_id
        record(session, c, "implemented", actor.user_id, actor.name, now, implementation=text)

    return _run(db, reference, expected_version, change)


def add_contact(db: Database, reference: str, *, method: str, summary: str,
                unreachable: bool = False, at: str | datetime | None = None,
                actor: Actor = SYSTEM) -> Saved:
    """Log a call or message with the customer; the first one sets the first-response time.

    Contacts never conflict with other edits, so no expected version is asked.
    """
    m = validation.code("contact_method", method, CONTACT_METHODS, required=True)
    text = validation.text("summary", summary, TEXT_LEN, required=True)
    when = validation.parse_datetime("contacted_at", at) if at else None

    def change(session: Session, c: Complaint, now: datetime) -> None:
        t = when or now
        session.add(Contact(complaint_id=c.id, at=t, method=m, summary=text,
                            unreachable=unreachable, by_id=actor.user_id))
        if c.first_contact_at is None and not unreachable:
            c.first_contact_at = t
        record(session, c, "contact", actor.user_id, actor.name, now, method=m, summary=text,
               unreachable=unreachable)

    return _run(db, reference, None, change)


def add_note(db: Database, reference: str, text: str, actor: Actor = SYSTEM) -> Saved:
    note = validation.text("comment", text, TEXT_LEN, required=True)

    def change(session: Session, c: Complaint, now: datetime) -> None:
        record(session, c, "note", actor.user_id, actor.name, now, text=note)

    return _run(db, reference, None, change)
