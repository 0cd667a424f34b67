"""An independent recount of a month's figures: every row read plainly, counted in Python.

It follows the definitions of DESIGN.md §5 (and the notes printed in the report), not the
SQL of app/services/stats.py, so a wrong query there shows up as a difference here.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.db import Database
from app.models import (
    Complaint,
    ComplaintEvent,
    Customer,
    Escalation,
    Investigation,
    ListValue,
    Revisit,
    RevisitAnswer,
    Solution,
    TypicalCase,
)


def bounds(month: str) -> tuple[datetime, datetime]:
    year, mon = (int(x) for x in month.split("-"))
    return datetime(year, mon, 1), datetime(year + mon // 12, mon % 12 + 1, 1)


def before(month: str) -> str:
    year, mon = (int(x) for x in month.split("-"))
    return f"{year - 1}-12" if mon == 1 else f"{year:04d}-{mon - 1:02d}"


def _rows(db: Database) -> dict[str, list[Any]]:
    with db.read() as s:
        return {
            "complaints": list(s.execute(select(
                Complaint.id, Complaint.received_at, Complaint.closed_at, Complaint.resolved_at,
                Complaint.due_at, Complaint.first_contact_at, Complaint.channel,
                Complaint.severity, Complaint.category_id, Complaint.department_id,
                Complaint.customer_id, Complaint.verified))),
            "escalations": list(s.execute(select(Escalation.complaint_id, Escalation.at))),
            "codes": list(s.execute(select(ListValue.id, ListValue.code))),
            "events": list(s.execute(select(ComplaintEvent.complaint_id, ComplaintEvent.id,
                                            ComplaintEvent.at, ComplaintEvent.kind,
                                            ComplaintEvent.to_stage))),
            "revisits": list(s.execute(select(Revisit.done_at, Revisit.satisfaction))),
            "answers": list(s.execute(select(RevisitAnswer.question_id, RevisitAnswer.score,
                                             Revisit.done_at).join(
                Revisit, Revisit.id == RevisitAnswer.revisit_id))),
            "cases": list(s.execute(select(TypicalCase.marked_at))),
            "solutions": list(s.execute(select(Solution.implemented_at, Solution.amounts,
                                               Solution.amount_cents))),
            "investigations": list(s.execute(select(Investigation.complaint_id,
                                                    Investigation.responsibility))),
            # A customer counts as identifiable by a phone, or once anonymised (issue 7).
            "phones": list(s.execute(select(Customer.id, Customer.phone.is_not(None)
                                            | Customer.anonymised_at.is_not(None)))),
        }


def recount(db: Database, month: str, now: datetime) -> dict[str, Any]:
    """The figures of `month` (without previous_month), as `month_stats` should give them."""
    rows = _rows(db)
    start, end = bounds(month)
    cut = min(end, max(start, now))

    def inside(t: datetime | None) -> bool:
        return t is not None and start <= t < end

    code = dict(rows["codes"])
    complaints = rows["complaints"]
    received = [c for c in complaints if inside(c.received_at)]
    received_ids = {c.id for c in received}
    open_at_cut = [c for c in complaints
                   if c.received_at < cut and (c.closed_at is None or c.closed_at >= cut)]
    resolved = [c for c in complaints if inside(c.resolved_at)]
    hours = [(c.resolved_at - c.received_at).total_seconds() / 3600 for c in resolved]
    met = [c for c in resolved if c.due_at is None or c.resolved_at <= c.due_at]
    first = [(c.first_contact_at - c.received_at).total_seconds() / 3600 for c in received
             if c.first_contact_at is not None]
    visits = [v.satisfaction for v in rows["revisits"] if inside(v.done_at)]
    scored = [v for v in visits if v is not None]
    # The ledger's entries carried out in the month, each type with its own amount.
    paid = [(s.amounts, s.amount_cents) for s in rows["solutions"]
            if inside(s.implemented_at) and s.amount_cents > 0]
    by_type: Counter[str] = Counter()
    for amounts, cents in paid:
        for kind, part in (amounts or {"unsplit": cents}).items():
            if part:
                by_type[kind] += part
    per_question: dict[int, list[int]] = defaultdict(list)
    for question, score, done in rows["answers"]:
        if inside(done):
            per_question[question].append(score)
    phones = dict(rows["phones"])
    per_customer = Counter(c.customer_id for c in received if phones.get(c.customer_id))
    last_stage: dict[int, tuple[int, str]] = {}
    for e in rows["events"]:
        if e.to_stage is not None and e.at < cut and (
                e.complaint_id not in last_stage or e.id > last_stage[e.complaint_id][0]):
            last_stage[e.complaint_id] = (e.id, e.to_stage)
    stages = Counter(last_stage[c.id][1] for c in open_at_cut if c.id in last_stage)
    stages.pop("closed", None)
    responsibility = Counter((i.responsibility or "none") for i in rows["investigations"]
                             if i.complaint_id in received_ids)

    # The investigation's verdict: "true" is the code of a verified (founded) complaint.
    names = {"true": "verified", "unfounded": "unfounded", "not_verifiable": "not_verifiable"}
    verdicts = {k: 0 for k in ("verified", "unfounded", "not_verifiable", "pending")}
    for c in received:
        verdicts[names.get(c.verified or "", "pending")] += 1
    decided = len(received) - verdicts["pending"]

    def by(attr: str, coded: bool = False) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for c in received:
            value = getattr(c, attr)
            out[(code.get(value) if coded else value) or "none"] += 1
        return dict(out)

    return {
        "month": month,
        "received": len(received),
        "closed_in_month": sum(1 for c in complaints if inside(c.closed_at)),
        "open_at_month_end": len(open_at_cut),
        "overdue_at_month_end": sum(
            1 for c in open_at_cut if c.due_at is not None and c.due_at < cut
            and (c.resolved_at is None or c.resolved_at >= cut)),
        "resolved_in_month": len(resolved),
        "by_category": by("category_id", coded=True),
        "by_channel": by("channel"),
        "by_severity": by("severity"),
        "by_department": by("department_id", coded=True),
        "by_responsibility": dict(responsibility),
        "by_stage_at_month_end": dict(stages),
        "sla_met_pct": round(100 * len(met) / len(resolved), 1) if resolved else None,
        "median_hours_to_resolve": round(statistics.median(hours), 1) if hours else None,
        "median_hours_to_first_contact": round(statistics.median(first), 1) if first else None,
        "revisits_done": len(visits),
        "avg_satisfaction": round(sum(scored) / len(scored), 2) if scored else None,
        "by_question": {str(q): {"answers": len(v), "avg": round(sum(v) / len(v), 2)}
                        for q, v in per_question.items()},
        "typical_cases": sum(1 for (at,) in rows["cases"] if inside(at)),
        "reopened": sum(1 for e in rows["events"] if e.kind == "reopened" and inside(e.at)),
        "compensation_total": round(sum(c for _t, c in paid) / 100, 2),
        "compensation_by_type": {k: round(v / 100, 2) for k, v in sorted(by_type.items())},
        "repeat_customers": sum(1 for n in per_customer.values() if n >= 2),
        "by_verification": verdicts,
        "founded_pct": round(100 * verdicts["verified"] / decided, 1) if decided else None,
        "escalated": len({e.complaint_id for e in rows["escalations"] if inside(e.at)}),
        "hours_basis": "calendar",
    }
