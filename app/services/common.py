"""What every service shares: who acts, loading a complaint for change, its workflow facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.errors import Conflict, NotFound, ValidationError
from app.i18n import N_, get_language
from app.models import Complaint, Investigation, ListValue, Revisit, User
from app.services.ledger import current_solution, solution_facts
from app.workflow import Facts, facts_from


@dataclass(frozen=True)
class Actor:
    """The person doing something: their account id (None for the system), name and role."""

    user_id: int | None
    name: str
    role: str  # clerk | supervisor | admin: what it may do is app/permissions.py's `can`


@dataclass(frozen=True)
class Saved:
    """What a change service returns: the complaint's stage and new version after the change."""

    reference: str
    stage: str
    version: int


# Used where no accounts exist yet (a new database, the command line before sign-in).
SYSTEM = Actor(None, "system", "admin")


def load_complaint(
    session: Session, reference: str, expected_version: int | None = None
) -> Complaint:
    """The complaint to change; Conflict if it changed since the caller read `expected_version`."""
    ref = reference.strip().replace("\x00", "")  # PostgreSQL refuses NUL in a query
    complaint = session.scalar(select(Complaint).where(Complaint.reference == ref))
    if complaint is None:
        raise NotFound(N_("No complaint with reference {reference}"), reference=reference)
    if expected_version is not None and complaint.version != expected_version:
        raise Conflict(complaint.reference)
    return complaint


def touch(complaint: Complaint, now: datetime) -> None:
    """Mark the complaint changed: bumps its version, so other windows notice."""
    complaint.updated_at = now
    # Even when nothing else of the row changed within the same second (a contact, a note,
    # an agreement): otherwise the version stays and optimistic locking misses the change.
    flag_modified(complaint, "updated_at")


def list_value(session: Session, kind: str, code: str | None, field: str) -> ListValue | None:
    if code is None:
        return None
    # A code that is not valid Unicode (lone surrogate) or holds a NUL (PostgreSQL refuses
    # it in any query) cannot even be looked up: unknown.
    known = code.encode("utf-8", "replace").decode("utf-8") == code and "\x00" not in code
    value = session.scalar(
        select(ListValue).where(ListValue.kind == kind, ListValue.code == code)
    ) if known else None
    if value is None:
        raise ValidationError(field, N_("has an unknown value \"{value}\""),
                              value=code[:40].encode("utf-8", "replace").decode("utf-8"))
    return value


def list_codes(session: Session, kind: str, codes: list[str], field: str,
               keep: tuple[str, ...] = ()) -> list[str]:
    """Codes of one editable list, each once and in use; a retired value is accepted only
    where the record already holds it (`keep`), so re-saving an old complaint works."""
    chosen = [c for c in dict.fromkeys(codes) if c]
    for code in chosen:
        value = list_value(session, kind, code, field)
        if value is not None and not value.active and code not in keep:
            raise ValidationError(field, N_("\"{value}\" is no longer in use"),
                                  value=value.label(get_language()))
    return chosen


def user_by_id(session: Session, user_id: int | None, field: str = "owner") -> User | None:
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise ValidationError(field, N_("is not an active staff account"))
    return user


def facts_of(session: Session, c: Complaint) -> Facts:
    """Everything the workflow guards look at, for one complaint (app.workflow.facts_from)."""
    inv = session.scalar(select(Investigation).where(Investigation.complaint_id == c.id))
    last_revisit = session.execute(
        select(Revisit.done_at, Revisit.satisfied)
        .where(Revisit.complaint_id == c.id, Revisit.done_at.is_not(None))
        .order_by(Revisit.done_at.desc(), Revisit.id.desc())
        .limit(1)
    ).first()
    return facts_from(
        stage=c.stage, category_set=c.category_id is not None, severity_set=bool(c.severity),
        owner_set=c.owner_id is not None, due_set=c.due_at is not None,
        findings=inv.findings if inv else None,
        responsibility=inv.responsibility if inv else None,
        solution=solution_facts(current_solution(session, c)), resolved_at=c.resolved_at,
        last_revisit=(last_revisit[0], last_revisit[1])
        if last_revisit is not None and last_revisit[0] is not None else None,
        verdict=c.verified,
    )
