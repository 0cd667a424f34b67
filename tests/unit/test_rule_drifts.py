"""The rules that drifted apart while each was written in two places (issue 16), and the
services refusing every edit of a closed complaint whoever calls them.

Both drift tests fail on the code before the rules layer: the re-saved assessment dropped the
pause, and `assess` / `record_investigation` rewrote a closed complaint.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.db import Database
from app.errors import EditRefused
from app.rules.edits import EDITABLE_IN, can_edit
from app.services import moves, resolution, revisits
from app.services.common import Actor
from app.services.complaints import get_detail, update_fields
from app.services.evidence import add_attachment
from app.settings import sla_policy
from app.sla import due_times, extend_due
from tests.complaint_factory import STEPS, advance, new_complaint, snapshot
from tests.conftest import ControlledClock


def _reassess(db: Database, ref: str, clerk: Actor, severity: str | None = None) -> None:
    """Save the assessment again as the panel does (its values as shown, maybe a new
    severity)."""
    d = get_detail(db, ref)
    resolution.assess(db, ref, category=d.category or "", severity=severity or d.severity,
                      owner_id=d.owner_id, department=d.department,
                      actor=clerk, expected_version=d.version)


def _sla_due(db: Database, ref: str, severity: str) -> datetime:
    d = get_detail(db, ref)
    with db.read() as session:
        policy = sla_policy(session)
    return due_times(d.received_at, severity, policy)[1]


def test_reassessment_after_a_rework_keeps_the_pause(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    """Drift 1: paused 2 days in "proposed", sent back to investigating, the assessment
    re-saved: the due time keeps the 2 days (before: recomputed from the received time)."""
    ref = new_complaint(db, clerk)
    advance(db, ref, "proposed", clerk, supervisor)
    fixed_clock.advance(days=2)
    moves.move(db, ref, "investigating", clerk)  # the customer declined the proposal
    d = get_detail(db, ref)
    assert d.paused_minutes > 0 and d.due_at is not None
    extended = d.due_at
    assert extended > _sla_due(db, ref, d.severity)  # the pause moved the due time on

    _reassess(db, ref, clerk)  # unchanged, as the panel allows in investigating
    assert get_detail(db, ref).due_at == extended

    # A new severity takes its own SLA time, still moved on by the same pause.
    _reassess(db, ref, clerk, "serious")
    serious = get_detail(db, ref)
    assert serious.paused_minutes == d.paused_minutes
    assert serious.due_at is not None and serious.due_at > _sla_due(db, ref, "serious")
    _reassess(db, ref, clerk, d.severity)
    assert get_detail(db, ref).due_at == extended


def test_reassessment_while_paused_counts_the_running_pause_once(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    """Re-saved while waiting on the customer: the running pause is added when it ends, once."""
    ref = new_complaint(db, clerk)
    advance(db, ref, "proposed", clerk, supervisor)
    fixed_clock.advance(hours=5)
    _reassess(db, ref, clerk)
    fixed_clock.advance(hours=5)
    moves.move(db, ref, "investigating", clerk)
    d = get_detail(db, ref)
    assert d.paused_minutes == 600  # 10:00 to 20:00, within the mall's opening hours
    with db.read() as session:
        policy = sla_policy(session)
    assert d.due_at == extend_due(_sla_due(db, ref, d.severity), 600, policy)


def test_a_closed_complaint_refuses_assessment_and_investigation(
        db: Database, clerk: Actor, supervisor: Actor) -> None:
    """Drift 2: "which stage may edit what" lived only in the window; the services took
    normal → urgent and new findings on a closed complaint, rewriting last month's figures."""
    ref = new_complaint(db, clerk)
    advance(db, ref, "closed", clerk, supervisor)
    d = get_detail(db, ref)
    assert d.stage == "closed" and d.severity == "normal"
    before = snapshot(db)
    with pytest.raises(EditRefused) as refused:
        resolution.assess(db, ref, category=d.category or "", severity="urgent",
                          owner_id=d.owner_id, actor=supervisor)
    assert "closed" in refused.value.message() and refused.value.part == "assessment"
    with pytest.raises(EditRefused):
        resolution.record_investigation(db, ref, findings="改写的调查结论",
                                        responsibility="nobody", actor=supervisor)
    assert snapshot(db) == before


Edit = Callable[[Database, str, Actor, Path], Any]

# One call per part of a complaint a user can edit (app/rules/edits.py EDITABLE_IN).
EDITS: dict[str, Edit] = {
    "intake": lambda db, r, a, f: update_fields(db, r, {"location": "二楼"}, actor=a),
    "assessment": lambda db, r, a, f: resolution.assess(
        db, r, category="product_quality", severity="urgent", owner_id=a.user_id, actor=a),
    "investigation": lambda db, r, a, f: resolution.record_investigation(
        db, r, findings="新的结论", responsibility="nobody", actor=a),
    "solution": lambda db, r, a, f: resolution.propose_solution(
        db, r, types=["gift"], amounts={"gift": "50"}, actor=a),
    "approval": lambda db, r, a, f: resolution.decide_approval(
        db, r, approve=True, comment="同意", actor=a),
    "agreement": lambda db, r, a, f: resolution.record_agreement(db, r, actor=a),
    "implementation": lambda db, r, a, f: resolution.record_implementation(
        db, r, what_was_done="再次退款", actor=a),
    "revisit": lambda db, r, a, f: revisits.record_revisit(
        db, r, method="phone", satisfaction=5, actor=a),
    "contact": lambda db, r, a, f: resolution.add_contact(
        db, r, method="phone", summary="回电", actor=a),
    "note": lambda db, r, a, f: resolution.add_note(db, r, "补充说明", actor=a),
    "attachment": lambda db, r, a, f: add_attachment(db, r, f, actor=a),
}
# Other edits of the same parts, by another service call.
MORE_EDITS: list[tuple[str, Edit]] = [
    ("revisit", lambda db, r, a, f: revisits.reschedule(db, r, "2026-12-01", actor=a)),
]


def test_every_part_of_the_edit_table_has_a_case() -> None:
    assert set(EDITS) == set(EDITABLE_IN)


@pytest.mark.parametrize("part", [*EDITS, *(f"{p}#{i}" for i, (p, _) in enumerate(MORE_EDITS))])
def test_a_service_refuses_every_edit_of_a_closed_complaint(
        db: Database, clerk: Actor, supervisor: Actor, tmp_path: Path, part: str) -> None:
    """Whoever calls (here a supervisor, who may do most), nothing of a closed complaint
    changes; a reopen is the way back, and then the same edit is taken."""
    ref = new_complaint(db, clerk)
    advance(db, ref, "closed", clerk, supervisor)
    photo = tmp_path / "收据.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 receipt")
    name, _, index = part.partition("#")
    edit = EDITS[name] if not index else MORE_EDITS[int(index)][1]
    before = snapshot(db)
    with pytest.raises(EditRefused) as refused:
        edit(db, ref, supervisor, photo)
    assert snapshot(db) == before
    assert refused.value.part == name and refused.value.stage == "closed"
    assert "reopen" in refused.value.message()


def test_closed_but_reopened_takes_edits_again(
        db: Database, clerk: Actor, supervisor: Actor) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "closed", clerk, supervisor)
    moves.move(db, ref, "investigating", supervisor, reason="顾客再次投诉")
    resolution.record_investigation(db, ref, findings="复查：批次仍有问题",
                                    responsibility="supplier", verdict="true", actor=clerk)
    assert get_detail(db, ref).findings == "复查：批次仍有问题"


@pytest.mark.parametrize("stage", STEPS[:-1])
def test_each_stage_takes_only_the_edits_the_table_allows(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock,
        tmp_path: Path, stage: str) -> None:
    """Every part refused in a stage is refused by its service, and nothing changes."""
    ref = new_complaint(db, clerk)
    advance(db, ref, stage, clerk, supervisor)
    fixed_clock.advance(minutes=5)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0")
    for part, edit in EDITS.items():
        if can_edit(stage, part):
            continue
        before = snapshot(db)
        with pytest.raises(EditRefused) as refused:
            edit(db, ref, supervisor, photo)
        assert refused.value.part == part
        assert snapshot(db) == before, part


def test_the_window_table_and_the_services_agree_on_an_open_complaint(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    """An edit the table allows goes through (here the assessment up to in progress)."""
    ref = new_complaint(db, clerk)
    advance(db, ref, "in_progress", clerk, supervisor)
    assert can_edit("in_progress", "assessment")
    fixed_clock.advance(hours=1)
    _reassess(db, ref, clerk, "serious")
    assert get_detail(db, ref).severity == "serious"
    assert timedelta(0) < get_detail(db, ref).due_at - get_detail(db, ref).received_at  # type: ignore[operator]
