"""The incident time in the window (issue 20): on the intake form it follows the received time
until the clerk gives another, is refused under the field when after the receipt, and survives
in the draft; the panel shows it (or "—" when not known) and corrects it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDateTimeEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db import Database
from app.drafts import draft_file
from app.models import Complaint
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.importing import import_csv
from tests.complaint_factory import new_complaint
from tests.conftest import ControlledClock
from ui.complaint.panel import ComplaintPanel
from ui.context import DeskContext
from ui.intake.intake_form import IntakeForm
from ui.widgets.qt_dates import qdatetime

NOW = datetime(2026, 3, 10, 10, 0)


def count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Complaint)) or 0)


@pytest.fixture
def form(qtbot: QtBot, ctx: DeskContext, fixed_clock: ControlledClock) -> IntakeForm:
    widget = IntakeForm(ctx)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def save(form: IntakeForm, qtbot: QtBot) -> str | None:
    """Save as the button does and wait for the outcome (saves run off the GUI thread): the
    reference, or None when nothing was saved."""
    refs: list[str] = []
    form.saved.connect(refs.append)
    try:
        form.save()
        qtbot.waitUntil(lambda: not form.saving.busy, timeout=15_000)
    finally:
        form.saved.disconnect(refs.append)
    return refs[0] if refs else None


def shown(edit: Any) -> datetime:
    value = edit.dateTime().toPython()
    assert isinstance(value, datetime)
    return value


def test_the_incident_time_follows_the_receipt_until_the_clerk_gives_one(
        form: IntakeForm, db: Database, fixed_clock: ControlledClock, qtbot: QtBot) -> None:
    f = form.fields
    # Its own key after the label: the incident time is one of the intake's rare fields.
    assert f.left.rows["occurred_at"].label.text().startswith("Occurred at ")
    assert "Alt+I" in f.left.rows["occurred_at"].label.text()
    assert shown(f.occurred) == NOW
    fixed_clock.advance(minutes=3)
    f.tick()  # the untouched form keeps "now" for both
    assert shown(f.occurred) == shown(f.received) == datetime(2026, 3, 10, 10, 3)
    f.received.setDateTime(qdatetime(datetime(2026, 3, 10, 9, 15)))  # the clerk types it
    assert shown(f.occurred) == datetime(2026, 3, 10, 9, 15)
    # The customer says it happened the evening before: typed like a clerk types it.
    f.occurred.setFocus()
    f.occurred.setCurrentSection(QDateTimeEdit.Section.DaySection)
    QTest.keyClick(f.occurred, Qt.Key.Key_Down)  # one day back
    assert shown(f.occurred).date() == datetime(2026, 3, 9).date()
    f.received.setDateTime(qdatetime(datetime(2026, 3, 10, 9, 20)))  # no longer follows
    assert shown(f.occurred).date() == datetime(2026, 3, 9).date()
    f.customer.phone.setText("13800000011")
    f.description.setPlainText("昨晚停车场刮车")
    ref = save(form, qtbot)
    assert ref is not None
    d = get_detail(db, ref)
    assert d.received_at == datetime(2026, 3, 10, 9, 20)
    assert d.occurred_at == datetime(2026, 3, 9, 9, 15)
    # The next customer: both "now" again, following each other.
    assert shown(f.occurred) == shown(f.received) and f.occurred_auto


def test_an_untouched_incident_time_is_the_receipt_to_the_second(
        form: IntakeForm, db: Database, qtbot: QtBot, fixed_clock: ControlledClock) -> None:
    f = form.fields
    # The received time as the clock gives it, with its seconds (a time the clerk types has
    # none: tests/ui/test_intake_keys.py).
    fixed_clock.advance(minutes=-18, seconds=-33)  # 09:41:27
    f.tick()
    f.customer.phone.setText("13800000012")
    f.description.setPlainText("x")
    ref = save(form, qtbot)
    assert ref is not None
    d = get_detail(db, ref)
    assert d.occurred_at == d.received_at == datetime(2026, 3, 10, 9, 41, 27)


def test_an_incident_after_the_receipt_is_refused_under_its_field(
        form: IntakeForm, db: Database, qtbot: QtBot) -> None:
    f = form.fields
    f.customer.phone.setText("13800000013")
    f.description.setPlainText("x")
    f.received.setDateTime(qdatetime(datetime(2026, 3, 10, 9, 0)))
    f.occurred.setDateTime(qdatetime(datetime(2026, 3, 10, 9, 30)))
    assert save(form, qtbot) is None
    row = f.left.rows["occurred_at"]
    assert row.error.isVisible() and row.error.text() == "is after the received time"
    assert f.occurred.hasFocus()
    assert count(db) == 0
    f.occurred.setDateTime(qdatetime(datetime(2026, 3, 10, 8, 45)))
    assert save(form, qtbot) is not None and count(db) == 1


def test_the_draft_keeps_the_incident_time(qtbot: QtBot, ctx: DeskContext, db: Database,
                                           fixed_clock: ControlledClock) -> None:
    first = IntakeForm(ctx)
    qtbot.addWidget(first)
    first.fields.customer.phone.setText("13800000014")
    first.fields.occurred.setDateTime(qdatetime(datetime(2026, 3, 8, 21, 15)))
    path = draft_file(db.paths.drafts, first.draft_name())
    qtbot.waitUntil(path.exists, timeout=3000)
    second = IntakeForm(ctx)  # the program was killed; the next start restores the draft
    qtbot.addWidget(second)
    assert shown(second.fields.occurred) == datetime(2026, 3, 8, 21, 15)
    assert not second.fields.occurred_auto


def panel_with(qtbot: QtBot, ctx: DeskContext, ref: str) -> Any:
    panel = ComplaintPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.open(ref)
    return panel.sections["intake"]


def test_the_panel_shows_and_corrects_the_incident_time(
        qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor,
        fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk, received_at="2026-03-10 09:30",
                        occurred_at="2026-03-08 21:15")
    section = panel_with(qtbot, ctx, ref)
    assert section.occurred.text() == "2026-03-08 21:15"
    section.occurred.setDateTime(qdatetime(datetime(2026, 3, 10, 9, 45)))  # after: refused
    section.save_button.click()
    error = section.grid.rows["occurred_at"].error
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert error.text() == "is after the received time"
    assert get_detail(db, ref).occurred_at == datetime(2026, 3, 8, 21, 15)
    section.occurred.setDateTime(qdatetime(datetime(2026, 3, 8, 20, 50)))
    with qtbot.waitSignal(ctx.signals.data_changed, timeout=10_000):
        section.save_button.click()
    assert get_detail(db, ref).occurred_at == datetime(2026, 3, 8, 20, 50)


def test_an_unknown_incident_time_shows_a_dash_and_stays_unknown(
        qtbot: QtBot, ctx: DeskContext, db: Database, tmp_path: Path,
        fixed_clock: ControlledClock) -> None:
    history = tmp_path / "h.csv"
    history.write_text("when,what,where\n2026-03-01 08:00,旧投诉,B1\n", encoding="utf-8")
    import_csv(db, history, {"received_at": "when", "description": "what"})
    with db.read() as s:
        ref = s.scalar(select(Complaint.reference))
    assert ref is not None
    section = panel_with(qtbot, ctx, ref)
    assert section.occurred.text() == "—"
    section.location.setText("B1 停车场")  # another correction leaves it unknown
    with qtbot.waitSignal(ctx.signals.data_changed, timeout=10_000):
        section.save_button.click()
    d = get_detail(db, ref)
    assert d.location == "B1 停车场" and d.occurred_at is None


def test_the_panels_incident_time_is_typed_as_written(
        qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor,
        fixed_clock: ControlledClock) -> None:
    """Typed the way a date is written, as the intake's times are (ui/widgets/date_time_edit.py):
    Qt's own field left at the year's "-" and the rest picked the next field's items."""
    from tests.ui.keyboard import Keyboard

    ref = new_complaint(db, clerk, received_at="2026-03-10 09:30",
                        occurred_at="2026-03-08 21:15")
    section = panel_with(qtbot, ctx, ref)
    edit = section.occurred
    edit.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.setSelectedSection(edit.Section.YearSection)
    Keyboard().type("2026-03-07 20:50")
    assert edit.hasFocus() and edit.text() == "2026-03-07 20:50"
    with qtbot.waitSignal(ctx.signals.data_changed, timeout=10_000):
        section.save_button.click()
    assert get_detail(db, ref).occurred_at == datetime(2026, 3, 7, 20, 50)
