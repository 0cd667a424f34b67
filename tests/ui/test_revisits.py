"""The "Revisits due" list (issue 5): overdue / today / upcoming with a controlled clock,
opening a complaint at its revisit, changing the date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import revisits
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.revisit_calls import revisit_groups
from tests.complaint_factory import advance, new_complaint
from tests.conftest import ControlledClock
from ui import messages
from ui.context import DeskContext
from ui.revisits.revisit_list import RevisitList


@pytest.fixture
def four(db: Database, clerk: Actor, supervisor: Actor,
         fixed_clock: ControlledClock) -> dict[str, str]:
    """Complaints resolved on different days, seen on 2026-03-10."""
    refs: dict[str, str] = {}
    fixed_clock.at(fixed_clock.now.replace(day=1))
    for name, phone, severity in (("overdue", "13800000001", "urgent"),   # 03-02
                                  ("today", "13800000002", "urgent"),     # 03-10
                                  ("soon", "13800000003", "serious"),     # 03-13
                                  ("closed", "13800000004", "urgent")):
        if name == "today":
            fixed_clock.at(fixed_clock.now.replace(day=9))
        if name == "soon":
            fixed_clock.at(fixed_clock.now.replace(day=10))
        refs[name] = new_complaint(db, clerk, phone=phone, customer_name=f"客户{name}")
        advance(db, refs[name], "follow_up", clerk, supervisor, severity=severity)
    revisits.record_revisit(db, refs["closed"], method="phone", satisfaction=5, actor=clerk)
    fixed_clock.at(fixed_clock.now.replace(day=10, hour=9))
    return refs


def test_groups_by_the_clock(db: Database, four: dict[str, str],
                             fixed_clock: ControlledClock) -> None:
    g = revisit_groups(db, "supervisor")
    assert [r.reference for r in g.overdue] == [four["overdue"]]
    assert [r.reference for r in g.today] == [four["today"]]
    assert [r.reference for r in g.upcoming] == [four["soon"]]
    assert g.overdue[0].overdue_days == 8 and g.upcoming[0].scheduled_for == date(2026, 3, 13)
    assert g.today[0].phone == "13800000002"  # as the desk dials it
    assert revisit_groups(db, "clerk").today[0].phone == "138****0002"
    fixed_clock.at(fixed_clock.now.replace(day=13))
    g = revisit_groups(db)
    assert [len(g.overdue), len(g.today), len(g.upcoming)] == [2, 1, 0]


def test_list_view_groups_opens_and_reschedules(
        qtbot: QtBot, ctx: DeskContext, db: Database, four: dict[str, str],
        monkeypatch: pytest.MonkeyPatch, fixed_clock: ControlledClock) -> None:
    view = RevisitList(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    m = view.model
    assert m.references("overdue") == [four["overdue"]]
    assert m.references("today") == [four["today"]]
    assert m.references("upcoming") == [four["soon"]]
    assert m.item(0, 0).text() == "Overdue (1)"
    assert m.item(0, 0).child(0, 5).text() == "8 days overdue"
    assert m.item(2, 0).child(0, 5).text() == "in 3 days"
    assert m.item(1, 0).child(0, 3).text() == "138****0002"  # a clerk sees the masked phone

    view.select(four["today"])
    with qtbot.waitSignal(ctx.signals.open_complaint_at) as opened:
        view.open_button.click()
    assert opened.args == [four["today"], "revisit"]

    asked: list[Any] = []
    monkeypatch.setattr(messages, "ask_date",
                        lambda parent, title, current: asked.append(current) or date(2026, 3, 20))
    with qtbot.waitSignal(ctx.signals.data_changed):
        view.date_button.click()
    assert asked == [date(2026, 3, 10)]
    assert [v.scheduled_for for v in get_detail(db, four["today"]).revisits] == [date(2026, 3, 20)]
    assert m.references("today") == [] and m.references("upcoming") == [four["soon"],
                                                                        four["today"]]
    assert view.selected() == four["today"]  # the selection follows the row


def test_a_clerk_reveals_the_number_to_call_and_the_audit_trail_records_it(
        qtbot: QtBot, ctx: DeskContext, db: Database, four: dict[str, str],
        supervisor: Actor) -> None:
    from PySide6.QtGui import QGuiApplication
    from sqlalchemy import select

    from app.models import AuditEvent
    from ui.context import DeskContext as Context

    def revealed() -> list[tuple[str, str]]:
        with db.read() as session:
            return [(e.actor_name, e.target) for e in session.scalars(
                select(AuditEvent).where(AuditEvent.action == "phone_revealed"))]

    view = RevisitList(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    phone = view.model.item(1, 0).child(0, 3)
    assert phone.text() == "138****0002"
    assert not view.phone_button.isEnabled()  # nothing selected yet
    view.select(four["today"])
    assert view.phone_button.isEnabled()
    view.phone_button.click()
    assert phone.text() == "13800000002"
    assert QGuiApplication.clipboard().text() == "13800000002"
    assert revealed() == [(ctx.actor.name, four["today"])]
    assert not view.phone_button.isEnabled()  # shown already

    # A supervisor sees whole numbers anyway: nothing to reveal, nothing recorded.
    boss = RevisitList(Context(db=db, actor=supervisor))
    qtbot.addWidget(boss)
    boss.show()
    boss.select(four["today"])
    assert boss.model.item(1, 0).child(0, 3).text() == "13800000002"
    assert not boss.phone_button.isEnabled()
    assert len(revealed()) == 1
