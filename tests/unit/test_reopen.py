"""A reopened complaint is worked again: no skipping ahead on the old agreement, and the
solution carried out before the reopen stays on record (the compensation ledger)."""

from __future__ import annotations

import pytest

from app.db import Database
from app.errors import MoveRefused
from app.services import moves, resolution, revisits
from app.services.common import Actor
from app.services.complaints import get_detail
from app.workflow import PART_AGREEMENT, PART_SOLUTION
from tests.complaint_factory import advance, new_complaint


def test_reopen_needs_a_new_solution_agreement_and_implementation(
        db: Database, clerk: Actor, supervisor: Actor) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "follow_up", clerk, supervisor)
    revisits.record_revisit(db, ref, method="phone", satisfaction=1, comment="还是过敏",
                            actor=clerk)
    detail = get_detail(db, ref)
    assert detail.stage == "investigating" and detail.reopen_count == 1
    assert "follow_up" not in detail.allowed_moves and "in_progress" not in detail.allowed_moves
    # The solution carried out before the reopen is settled: a new one must be proposed.
    assert detail.solution_types == [] and "proposed" not in detail.allowed_moves
    with pytest.raises(MoveRefused) as refused:
        moves.move(db, ref, "proposed", clerk)
    assert refused.value.missing == PART_SOLUTION
    resolution.propose_solution(db, ref, types=["gift"], amounts={"gift": "100"}, actor=clerk)
    moves.move(db, ref, "proposed", clerk)
    with pytest.raises(MoveRefused) as refused:
        moves.move(db, ref, "in_progress", clerk)
    assert refused.value.missing == PART_AGREEMENT
    resolution.record_agreement(db, ref, actor=clerk)
    moves.move(db, ref, "in_progress", clerk)
    resolution.record_implementation(db, ref, what_was_done="送礼品", actor=clerk)
    moves.move(db, ref, "follow_up", clerk)
    revisits.record_revisit(db, ref, method="phone", satisfaction=5, actor=clerk)
    final = get_detail(db, ref)
    assert final.stage == "closed" and final.reopen_count == 1
    kinds = [e.kind for e in final.timeline]
    assert kinds.count("customer_agreed") == 2 and kinds.count("implemented") == 2
    # Both solutions carried out stay on record, each with its own amount.
    assert [(e.round, e.types, e.amounts, e.implemented_at is not None)
            for e in final.ledger] == [(0, ["refund", "apology"], {"refund": 10000,
                                                                  "apology": 0}, True),
                                       (1, ["gift"], {"gift": 10000}, True)]
