"""Solutions waiting for a supervisor's approval (the amount is over the threshold).

Deciding goes through `app.services.resolution.decide_approval`, which checks the role; this
module only lists what waits, oldest first, so the supervisor works through it in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.db import Database
from app.models import Complaint, ComplaintEvent, Customer, Solution
from app.rules.stages import SOLUTION_STAGES
from app.services.ledger import is_current_sql
from app.settings import get as get_setting


@dataclass(frozen=True)
class PendingApproval:
    reference: str
    version: int
    stage: str
    severity: str
    customer_name: str
    solution_types: list[str]
    amount_cents: int
    threshold_cents: int
    description: str
    proposed_at: datetime
    proposed_by: str


def pending_approvals(db: Database) -> list[PendingApproval]:
    """Every solution whose approval state is `pending`, oldest proposal first."""
    q = (
        select(Complaint.id, Complaint.reference, Complaint.version, Complaint.stage,
               Complaint.severity, Customer.name, Solution.types, Solution.amount_cents,
               Solution.description, Solution.proposed_at)
        .join(Solution, Solution.complaint_id == Complaint.id)
        .outerjoin(Customer, Customer.id == Complaint.customer_id)
        .where(Solution.approval_state == "pending", is_current_sql(),
                Complaint.stage.in_(SOLUTION_STAGES))
        .order_by(Solution.proposed_at, Complaint.reference)
    )
    with db.read() as session:
        threshold = int(get_setting(session, "approval_threshold"))
        rows = session.execute(q).all()
        ids = [r[0] for r in rows]
        # Who asked: the latest "approval_requested" event of each complaint.
        asked: dict[int, str] = {}
        if ids:
            events = session.execute(
                select(ComplaintEvent.complaint_id, ComplaintEvent.actor_name)
                .where(ComplaintEvent.complaint_id.in_(ids),
                       ComplaintEvent.kind == "approval_requested")
                .order_by(ComplaintEvent.id))
            asked = {cid: name for cid, name in events}
        return [
            PendingApproval(ref, version, stage, sev, name or "", list(types or []), cents,
                            threshold, desc or "", proposed, asked.get(cid, ""))
            for cid, ref, version, stage, sev, name, types, cents, desc, proposed in rows
        ]


def pending_count(db: Database) -> int:
    """How many approvals wait (for a badge on the supervisor's tab)."""
    q = (select(func.count()).select_from(Solution)
         .join(Complaint, Complaint.id == Solution.complaint_id)
         .where(Solution.approval_state == "pending", is_current_sql(),
                Complaint.stage.in_(SOLUTION_STAGES)))
    with db.read() as session:
        return int(session.scalar(q) or 0)
