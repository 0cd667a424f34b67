"""Helpers for tests of the resolution services and the detail panel (issue 5).

`new_complaint` logs one through intake; `advance` carries it through the service steps to a
stage; `snapshot` reads every table so a refused call can be shown to change nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.db import Database
from app.models import Base
from app.services import moves, resolution, revisits
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.intake import IntakeInput, log_complaint

STEPS = ("new", "assessed", "investigating", "proposed", "in_progress", "follow_up", "closed")


def new_complaint(db: Database, actor: Actor, **fields: Any) -> str:
    data: dict[str, Any] = dict(description="洗发后头皮过敏，要求赔偿", customer_name="周女士",
                                phone="13800138000", category="product_quality")
    data.update(fields)
    return log_complaint(db, IntakeInput(**data), actor).reference


def advance(db: Database, ref: str, to: str, clerk: Actor, supervisor: Actor,
            amount: str = "100", severity: str = "normal") -> None:
    """Carry a complaint forward to stage `to` through the services, as a desk would."""
    target = STEPS.index(to)

    def stage() -> int:
        return STEPS.index(get_detail(db, ref).stage)

    if stage() < 1 <= target:
        resolution.assess(db, ref, category="product_quality", severity=severity,
                          owner_id=clerk.user_id, actor=clerk)
    if stage() < 2 <= target:
        resolution.record_investigation(db, ref, findings="产品批次问题", responsibility="tenant",
                                        verdict="true", actor=clerk)
    if stage() < 3 <= target:
        resolution.propose_solution(db, ref, types=["refund", "apology"],
                                    amounts={"refund": amount}, description="退款并道歉",
                                    actor=clerk)
        moves.move(db, ref, "proposed", clerk)
    if stage() < 4 <= target:
        if get_detail(db, ref).approval_state == "pending":
            resolution.decide_approval(db, ref, approve=True, comment="同意", actor=supervisor)
        resolution.record_agreement(db, ref, actor=clerk)
        moves.move(db, ref, "in_progress", clerk)
    if stage() < 5 <= target:
        resolution.record_implementation(db, ref, what_was_done="已退款", actor=clerk)
        moves.move(db, ref, "follow_up", clerk)
    if stage() < 6 <= target:
        revisits.record_revisit(db, ref, method="phone", satisfaction=5, actor=clerk)


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: equal snapshots mean nothing changed."""
    with db.read() as session:
        return {t.name: [tuple(r) for r in session.execute(select(t).order_by(*t.primary_key))]
                for t in Base.metadata.sorted_tables}
