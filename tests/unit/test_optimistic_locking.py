"""Optimistic locking on complaints, on whichever backend the run uses (SQLite or PostgreSQL):
a stale version is refused with Conflict naming the complaint, and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.db import Database
from app.errors import Conflict
from app.i18n import set_language
from app.models import Complaint
from app.services import moves, resolution
from app.services.common import Actor
from app.services.complaints import get_detail, update_fields
from app.services.intake import IntakeInput, log_complaint
from tests.conftest import ControlledClock
from tests.db_inspect import fingerprint


def logged(db: Database, clerk: Actor) -> str:
    return log_complaint(db, IntakeInput(description="电梯门夹到小孩", customer_name="赵女士",
                                         phone="13912345678"), clerk).reference


def test_a_row_changed_between_read_and_write_is_a_conflict_naming_it(
        db: Database, clerk: Actor) -> None:
    """The version check in the UPDATE itself (StaleDataError) becomes Conflict in app/db.py,
    whatever service was writing."""
    ref = logged(db, clerk)
    before = fingerprint(db)
    with pytest.raises(Conflict) as caught, db.write() as session:
        c = session.scalar(select(Complaint).where(Complaint.reference == ref))
        assert c is not None
        # Another counter's change lands between our read and our write:
        session.execute(update(Complaint).where(Complaint.id == c.id)
                        .values(version=Complaint.version + 1)
                        .execution_options(synchronize_session=False))
        c.location = "三楼"
    assert caught.value.reference == ref
    set_language("zh-Hans")
    assert ref in caught.value.message() and "重新载入" in caught.value.message()
    assert fingerprint(db) == before  # the whole transaction was undone


def test_every_change_moves_the_version_even_within_one_second(
        db: Database, clerk: Actor, fixed_clock: ControlledClock) -> None:
    ref = logged(db, clerk)
    seen = [get_detail(db, ref).version]
    seen.append(resolution.add_contact(db, ref, method="phone", summary="已致电",
                                       actor=clerk).version)
    seen.append(resolution.add_note(db, ref, "顾客稍后回电", actor=clerk).version)
    seen.append(update_fields(db, ref, {"location": "二楼"}, actor=clerk).version)
    assert seen == [1, 2, 3, 4]  # the clock never moved: touch() alone bumps it


def test_a_window_with_an_old_version_gets_conflict_and_changes_nothing(
        db: Database, clerk: Actor, supervisor: Actor) -> None:
    ref = logged(db, clerk)
    shown = get_detail(db, ref).version  # two windows show the complaint
    resolution.add_contact(db, ref, method="phone", summary="已回电", actor=supervisor)
    before = fingerprint(db)
    with pytest.raises(Conflict):
        update_fields(db, ref, {"location": "一楼"}, actor=clerk, expected_version=shown)
    with pytest.raises(Conflict):
        moves.move(db, ref, "closed", supervisor, reason="重复", expected_version=shown)
    assert fingerprint(db) == before
