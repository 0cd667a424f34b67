"""Working a complaint: assessment, investigation, solution and approval, agreement,
implementation, contacts, notes. Each call is one transaction with its timeline event.

Each refuses an edit its stage does not allow (app/rules/edits.py: nothing once closed),
whoever calls it; solutions are entries of the compensation ledger (app/rules/compensation.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
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
from app.models import (
    SHORT_LEN,
    TEXT_LEN,
    Complaint,
    Contact,
    Customer,
    Investigation,
    Solution,
)
from app.money import format_money
from app.permissions import APPROVE_COMPENSATION, require
from app.rules.compensation import entry_total, parse_amounts
from app.rules.edits import PART_CONTACT, PART_NOTE, require_editable
from app.rules.stages import VERDICT_OPEN_STAGES
from app.services.common import (
    SYSTEM,
    Actor,
    Saved,
    list_codes,
    list_value,
    load_complaint,
    touch,
    user_by_id,
)
from app.services.escalations import escalate_at_save
from app.services.ledger import current_solution
from app.services.moves import apply_move
from app.settings import get as get_setting
from app.settings import sla_policy
from app.sla import assessed_due_times
from app.timeline import record
from app.workflow import (
    PART_AGREEMENT,
    PART_APPROVAL,
    PART_ASSESSMENT,
    PART_IMPLEMENTATION,
    PART_INVESTIGATION,
    PART_SOLUTION,
)


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
           department: str | None = None, due_at: str | datetime | None = None,
           actor: Actor = SYSTEM, expected_version: int | None = None) -> Saved:
    """Set category, severity, owner and the due time; a new complaint → assessed.

    Without `due_at` the due time follows the SLA from the received time for the customer's
    tier, moved on by the pauses counted so far (app/sla.py assessed_due_times): re-saving an
    assessment never loses a pause. A severity the escalation rules name escalates the
    complaint (app/services/escalations.py)."""
    sev = validation.code("severity", severity, SEVERITIES, required=True)
    due = validation.parse_datetime("due_at", due_at, allow_future=True) if due_at else None
    if owner_id is None:
        raise ValidationError("owner", N_("is required"))

    def change(session: Session, c: Complaint, now: datetime) -> None:
        require_editable(c.stage, PART_ASSESSMENT)
        cat = list_value(session, "category", category or None, "category")
        if cat is None:
            raise ValidationError("category", N_("is required"))
        dept = list_value(session, "department", department or None, "department")
        owner = user_by_id(session, owner_id)
        assert sev is not None and owner is not None
        c.category_id, c.severity, c.owner_id = cat.id, sev, owner.id
        if dept is not None:
            c.department_id = dept.id
        customer = session.get(Customer, c.customer_id) if c.customer_id else None
        first_due, resolve_due = assessed_due_times(c.received_at, sev, sla_policy(session),
                                                    c.paused_minutes,
                                                    customer.tier if customer else None)
        c.first_contact_due_at = first_due
        c.due_at = due or resolve_due
        record(session, c, "assessed", actor.user_id, actor.name, now, severity=sev,
               owner=owner.display_name)
        if c.stage == "new":
            apply_move(session, c, "assessed", actor, now, None)
        escalate_at_save(session, c, now)

    return _run(db, reference, expected_version, change)


def record_investigation(db: Database, reference: str, *, findings: str,
                         responsibility: str | None, root_cause: str | None = None,
                         evidence: str | None = None, verdict: str | None = None,
                         actor: Actor = SYSTEM, expected_version: int | None = None) -> Saved:
    """Record what the investigation found. `verdict` (hotel 2.3 核实): true, unfounded or
    not_verifiable; None leaves it as it is, "" clears it. The complaint cannot leave the
    investigation without one (app/workflow.py); an unfounded one can then be closed with the
    explanation given to the customer."""
    text = validation.text("findings", findings, TEXT_LEN, required=True)
    resp = validation.code("responsibility", responsibility, RESPONSIBILITIES)
    cause = validation.text("root_cause", root_cause, SHORT_LEN)
    proof = validation.text("evidence", evidence, TEXT_LEN)
    found = validation.code("verified", verdict, VERIFICATIONS) if verdict else None

    def change(session: Session, c: Complaint, now: datetime) -> None:
        require_editable(c.stage, PART_INVESTIGATION)
        inv = session.scalar(select(Investigation).where(Investigation.complaint_id == c.id))
        if inv is None:
            inv = Investigation(complaint_id=c.id)
            session.add(inv)
        inv.findings, inv.responsibility, inv.root_cause, inv.evidence = text, resp, cause, proof
        inv.updated_at, inv.by_id = now, actor.user_id
        if verdict is not None:
            if found is None and c.stage not in VERDICT_OPEN_STAGES:
                # It left the investigation on its verdict: the verdict may change, not go.
                raise ValidationError("verified", N_("is required once the complaint has "
                                                     "left the investigation"))
            c.verified = found
        record(session, c, "investigation", actor.user_id, actor.name, now,
               responsibility=resp or "", root_cause=cause or "", verdict=c.verified or "")
        if c.stage in ("new", "assessed"):
            # Recording findings means someone is checking the facts.
            apply_move(session, c, "investigating", actor, now, None)

    return _run(db, reference, expected_version, change)


def propose_solution(db: Database, reference: str, *, types: list[str],
                     amounts: Mapping[str, str | int] | None = None, description: str = "",
                     actor: Actor = SYSTEM, expected_version: int | None = None) -> Saved:
    """Propose a solution: a new entry of the ledger with the amount of each type
    (`amounts`: type -> amount, a type left out has none). It replaces the entry proposed
    before it in this round (marked superseded, kept on record); over the approval threshold
    it waits for a supervisor."""
    if not any(types):
        raise ValidationError("solution_types", N_("is required"))
    wanted = [t for t in dict.fromkeys(types) if t]
    per_type = parse_amounts(wanted, amounts or {})
    cents = entry_total(per_type)
    desc = validation.text("solution_description", description, TEXT_LEN)

    def change(session: Session, c: Complaint, now: datetime) -> None:
        require_editable(c.stage, PART_SOLUTION)
        threshold = int(get_setting(session, "approval_threshold"))
        before = current_solution(session, c)
        # The editable list (issue 12); a type retired since stays valid on this complaint.
        chosen = list_codes(session, "solution_type", wanted, "solution_types",
                            keep=tuple(before.types or ()) if before else ())
        if before is not None and before.implemented_at is None:
            before.superseded_at = now
        session.add(Solution(
            complaint_id=c.id, round=c.reopen_count, types=chosen,
            amounts={code: per_type[code] for code in chosen}, amount_cents=cents,
            description=desc, proposed_at=now, proposed_by_id=actor.user_id,
            approval_state="pending" if cents > threshold else "not_needed"))
        record(session, c, "solution_proposed", actor.user_id, actor.name, now, types=chosen,
               amount=format_money(cents))
        if cents > threshold:
            record(session, c, "approval_requested", actor.user_id, actor.name, now,
                   amount=format_money(cents), threshold=format_money(threshold))

    return _run(db, reference, expected_version, change)


def decide_approval(db: Database, reference: str, *, approve: bool, comment: str = "",
                    actor: Actor = SYSTEM, expected_version: int | None = None) -> Saved:
    """A supervisor approves or rejects a solution that waits for approval."""
    require(actor, APPROVE_COMPENSATION)
    note = validation.text("comment", comment, TEXT_LEN, required=not approve)

    def change(session: Session, c: Complaint, now: datetime) -> None:
        require_editable(c.stage, PART_APPROVAL)
        sol = current_solution(session, c)
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
        require_editable(c.stage, PART_AGREEMENT)
        sol = current_solution(session, c)
        if sol is None or not sol.types:
            raise MoveRefused(N_("Propose a solution first."), PART_SOLUTION)
        if sol.approval_state == "rejected":
            raise MoveRefused(N_("The supervisor rejected the solution; propose another."),
                              PART_SOLUTION)
        sol.customer_agreed_at = now
        record(session, c, "customer_agreed", actor.user_id, actor.name, now)

    return _run(db, reference, expected_version, change)


def record_implementation(db: Database, reference: str, *, what_was_done: str,
                          actor: Actor = SYSTEM, expected_version: int | None = None) -> Saved:
    text = validation.text("implementation", what_was_done, TEXT_LEN, required=True)

    def change(session: Session, c: Complaint, now: datetime) -> None:
        require_editable(c.stage, PART_IMPLEMENTATION)
        sol = current_solution(session, c)
        if sol is None:
            raise MoveRefused(N_("Propose a solution first."), PART_SOLUTION)
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
        require_editable(c.stage, PART_CONTACT)
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
        require_editable(c.stage, PART_NOTE)
        record(session, c, "note", actor.user_id, actor.name, now, text=note)

    return _run(db, reference, None, change)
