"""Improvement actions (整改) linked to complaints: create, change, list; bad input refused."""

from __future__ import annotations

from datetime import date

import pytest

from app.db import Database
from app.errors import NotFound, ValidationError
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.improvements import create_action, list_actions, update_action
from tests.complaint_factory import new_complaint, snapshot
from tests.conftest import ControlledClock


def test_action_from_two_complaints_is_listed_and_on_both_timelines(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    a = new_complaint(db, clerk)
    b = new_complaint(db, clerk, phone="13900139000", description="同一商户再次售出过期商品")
    version_a = get_detail(db, a).version
    info = create_action(db, [a, b, a], action="商户进货查验流程整改", owner="营运部 张经理",
                         due_date="2026-03-31", actor=supervisor)
    assert (info.references, info.status, info.due_date) == (
        sorted([a, b]), "open", date(2026, 3, 31))
    for ref in (a, b):
        last = get_detail(db, ref).timeline[-1]
        assert (last.kind, last.actor) == ("action_linked", "王主管")
        assert "商户进货查验流程整改" in last.text
    # Linking changes no field of the complaint: an open panel's version stays valid.
    assert get_detail(db, a).version == version_a
    assert [x.id for x in list_actions(db)] == [info.id]
    assert [x.id for x in list_actions(db, reference=b)] == [info.id]

    fixed_clock.at(fixed_clock.now.replace(month=4, day=2))
    assert list_actions(db)[0].overdue
    update_action(db, info.id, status="done", actor=supervisor)
    assert list_actions(db) == []
    assert list_actions(db, open_only=False)[0].status == "done"


def test_open_actions_sorted_by_due_date(db: Database, clerk: Actor,
                                         fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    late = create_action(db, [ref], action="培训", owner="人事部", due_date="2026-05-01")
    undated = create_action(db, [ref], action="复查", owner="客服")
    soon = create_action(db, [ref], action="更换设备", owner="工程部", due_date="2026-03-20")
    assert [x.id for x in list_actions(db)] == [soon.id, late.id, undated.id]


@pytest.mark.parametrize(("kwargs", "field"), [
    (dict(references=[], action="x", owner="y"), "references"),
    (dict(action=" ", owner="y"), "action"),
    (dict(action="x", owner=""), "owner"),
    (dict(action="x", owner="y", status="maybe"), "action_status"),
    (dict(action="x", owner="y", due_date="soon"), "due_date"),
    (dict(action="x", owner="y", due_date="2026-03-01"), "due_date"),  # in the past
    (dict(action="x" * 10_001, owner="y"), "action"),
])
def test_bad_input_names_the_field_and_changes_nothing(
        db: Database, clerk: Actor, fixed_clock: ControlledClock, kwargs: dict[str, object],
        field: str) -> None:
    ref = new_complaint(db, clerk)
    kwargs.setdefault("references", [ref])
    before = snapshot(db)
    with pytest.raises(ValidationError) as info:
        create_action(db, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert snapshot(db) == before


def test_unknown_complaint_or_action_refused(db: Database, clerk: Actor,
                                             fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    before = snapshot(db)
    with pytest.raises(NotFound):
        create_action(db, [ref, "TS-20000101-0001"], action="x", owner="y")
    with pytest.raises(NotFound):
        update_action(db, 4711, status="done")
    assert snapshot(db) == before
    info = create_action(db, [ref], action="x", owner="y")
    before = snapshot(db)
    with pytest.raises(ValidationError):
        update_action(db, info.id, status="finished")
    with pytest.raises(ValidationError):
        update_action(db, info.id, owner=" ")
    assert snapshot(db) == before
