"""Issue 20 in the window: the supervisors' alerts (F8) and their badge, a supervisor shown the
alerts at sign-in, escalating by hand and marking handled in the complaint panel, the verdict
in the investigation and "Close as unfounded", and the shift hand-over sheet dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import set_language
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.escalations import list_alerts, open_alert_count
from tests.complaint_factory import advance, new_complaint
from tests.conftest import ControlledClock
from ui import alert_watch, messages, tasks
from ui.alerts.alerts_view import AlertsView
from ui.complaint.panel import ComplaintPanel
from ui.context import DeskContext
from ui.handover_dialog import HandoverDialog
from ui.main_window import MainWindow


def click(qtbot: QtBot, button: QWidget) -> None:
    """Click, then wait for what it started (the panel saves off the GUI thread) to be shown."""
    assert button.isVisibleTo(button.window()) and button.isEnabled(), button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tasks.idle, timeout=15_000)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What the user types into the small questions, and the warnings shown."""
    given: dict[str, Any] = {"reason": "顾客要求主管出面", "text": "已致电顾客", "warnings": []}
    monkeypatch.setattr(messages, "ask_reason", lambda parent, prompt: (
        given.setdefault("prompts", []).append(prompt) or given["reason"]))
    monkeypatch.setattr(messages, "ask_text", lambda parent, title, prompt: given["text"])
    monkeypatch.setattr(messages, "warn", lambda parent, text, title=None:
                        given["warnings"].append(text))
    return given


@pytest.fixture
def panel(qtbot: QtBot, ctx: DeskContext) -> Iterator[ComplaintPanel]:
    widget = ComplaintPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(1366, 760)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def test_the_alerts_list_and_marking_handled(qtbot: QtBot, supervisor_ctx: DeskContext,
                                            db: Database, clerk: Actor,
                                            answers: dict[str, Any]) -> None:
    urgent = new_complaint(db, clerk, severity="urgent", customer_name="王先生")
    calm = new_complaint(db, clerk, phone="13900001234")
    view = AlertsView(supervisor_ctx)
    qtbot.addWidget(view)
    view.resize(1200, 600)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert view.model.texts(0)[1:5] == [urgent, "Serious or urgent: Urgent", "Urgent", "New"]
    assert view.summary.text() == "1 alert open"
    opened: list[tuple[str, str]] = []
    supervisor_ctx.signals.open_complaint_at.connect(lambda r, p: opened.append((r, p)))
    view.table.selectRow(0)
    click(qtbot, view.open_button)
    assert opened == [(urgent, "escalation")]
    click(qtbot, view.handle_button)
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    assert open_alert_count(db) == 0
    view.show_handled.setChecked(True)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert view.model.texts(0)[-1].endswith("by 王主管: 已致电顾客")
    assert not view.handle_button.isEnabled()  # handled already
    assert calm not in [a.reference for a in list_alerts(db).alerts]


def test_a_clerk_sees_the_alerts_but_cannot_mark_them(qtbot: QtBot, ctx: DeskContext,
                                                     db: Database, clerk: Actor) -> None:
    new_complaint(db, clerk, severity="urgent")
    view = AlertsView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    view.table.selectRow(0)
    assert not view.handle_button.isVisible()


def _window(qtbot: QtBot, ctx: DeskContext) -> MainWindow:
    window = MainWindow(ctx, QSettings())
    qtbot.addWidget(window)
    window.resize(1280, 740)
    window.show()
    return window


def test_the_badge_and_the_alerts_shown_at_sign_in(qtbot: QtBot, ctx: DeskContext,
                                                  db: Database, clerk: Actor,
                                                  supervisor: Actor) -> None:
    new_complaint(db, clerk, severity="urgent")
    window = _window(qtbot, ctx)
    window.show_view("intake")
    watch = alert_watch.attach(window, ctx)
    qtbot.waitUntil(lambda: not watch.sweeping and not watch.counting)
    assert watch.count == 1 and not watch.badge.isVisible()  # alerts are the supervisors'
    assert window.current_view_key() == "intake"  # a clerk is not sent anywhere
    ctx.actor = supervisor
    ctx.signals.actor_changed.emit()  # the supervisor signs in
    qtbot.waitUntil(lambda: window.current_view_key() == "alerts")
    assert watch.badge.isVisible() and watch.badge.text() == "⚑ 1 alert"
    set_language("zh-Hans")
    ctx.signals.language_changed.emit("zh-Hans")
    assert watch.badge.text() == "⚑ 预警 1 条"
    window.show_view("intake")
    click(qtbot, watch.badge)
    assert window.current_view_key() == "alerts"


def test_the_window_runs_the_escalation_clock(qtbot: QtBot, ctx: DeskContext, db: Database,
                                             clerk: Actor, supervisor: Actor,
                                             fixed_clock: ControlledClock) -> None:
    from app.services.settings_service import set_setting

    for on in (False, True):
        set_setting(db, "escalate_first_contact", on, supervisor)
    ref = new_complaint(db, clerk)
    fixed_clock.advance(days=2)
    window = _window(qtbot, ctx)
    watch = alert_watch.attach(window, ctx)
    qtbot.waitUntil(lambda: watch.count == 1)
    assert [a.rule for a in list_alerts(db).alerts] == ["first_contact_overdue"]
    assert get_detail(db, ref).timeline[-1].kind == "escalated"


def test_escalating_by_hand_and_handling_in_the_panel(
        qtbot: QtBot, panel: ComplaintPanel, ctx: DeskContext, db: Database, clerk: Actor,
        supervisor: Actor, answers: dict[str, Any]) -> None:
    ref = new_complaint(db, clerk)
    assert panel.open(ref)
    section = panel.sections["escalation"]
    assert "Not escalated." in section.status.text()
    assert not section.handle_button.isVisibleTo(panel)  # type: ignore[attr-defined]
    click(qtbot, section.escalate_button)  # type: ignore[attr-defined]
    assert answers["prompts"] == [f"Why must a supervisor step in on complaint {ref}?"]
    assert [a.reason for a in list_alerts(db).alerts] == ["顾客要求主管出面"]
    assert "1 alert waits for a supervisor" in section.status.text()
    assert not section.escalate_button.isEnabled()  # type: ignore[attr-defined]
    assert panel.timeline.texts()[-1] == "Escalated to the supervisors by hand: 顾客要求主管出面"
    ctx.actor = supervisor
    ctx.signals.actor_changed.emit()
    panel.open(ref)
    click(qtbot, section.handle_button)  # type: ignore[attr-defined]
    assert open_alert_count(db) == 0
    assert "handled by the supervisors" in section.status.text()
    assert panel.timeline.texts()[-1] == "Escalation handled (Escalated by hand): 已致电顾客"


def test_the_verdict_in_the_investigation_and_closing_unfounded(
        qtbot: QtBot, panel: ComplaintPanel, db: Database, clerk: Actor, supervisor: Actor,
        answers: dict[str, Any]) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "assessed", clerk, supervisor)
    assert panel.open(ref)
    inv = panel.sections["investigation"]
    inv.findings.setPlainText("监控显示顾客所述不符")  # type: ignore[attr-defined]
    inv.responsibility.set_code("customer")  # type: ignore[attr-defined]
    click(qtbot, inv.save_button)  # type: ignore[attr-defined]
    assert get_detail(db, ref).stage == "investigating"
    assert "✗ Verification" in inv.status.text()
    assert "closed" in panel.move_bar.buttons  # a withdrawal is always possible
    assert panel.move_bar.buttons["closed"].text() == "Withdraw (close)…"
    inv.verdict.set_code("unfounded")  # type: ignore[attr-defined]
    click(qtbot, inv.save_button)  # type: ignore[attr-defined]
    assert get_detail(db, ref).verified == "unfounded"
    assert "✓ Verification" in inv.status.text()
    assert "Close as unfounded" in inv.status.text()
    button = panel.move_bar.buttons["closed"]
    assert button.text() == "Close as unfounded…"
    answers["reason"] = "已调取监控向顾客说明"
    click(qtbot, button)
    assert answers["prompts"][-1] == (f"Complaint {ref} is unfounded: what was explained to "
                                      "the customer?")
    d = get_detail(db, ref)
    assert (d.stage, d.close_reason) == ("closed", "已调取监控向顾客说明")
    assert panel.timeline.texts()[-1] == ("Closed as unfounded; explained to the customer: "
                                          "已调取监控向顾客说明")


def test_past_the_investigation_the_verdict_cannot_be_cleared(
        qtbot: QtBot, panel: ComplaintPanel, db: Database, clerk: Actor,
        supervisor: Actor) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "proposed", clerk, supervisor)
    assert panel.open(ref)
    inv = panel.sections["investigation"]
    assert inv.verdict.code() == "true"  # type: ignore[attr-defined]
    inv.verdict.set_code(None)  # type: ignore[attr-defined]
    click(qtbot, inv.save_button)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(inv.grid.rows["verified"].error.text()))
    assert inv.grid.rows["verified"].error.text() == (
        "is required once the complaint has left the investigation")
    assert get_detail(db, ref).verified == "true"


def test_the_hand_over_dialog(qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor,
                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    new_complaint(db, clerk, severity="urgent")
    dialog = HandoverDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.pdf is not None)
    assert dialog.status.text() == "1 line waiting: escalations open 1."
    assert dialog.print_button.isEnabled()
    opened: list[str] = []
    from PySide6.QtGui import QDesktopServices

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(
        url.toLocalFile()) or True)
    click(qtbot, dialog.open_button)
    assert opened and Path(opened[0]).name.startswith("handover-")
    assert Path(opened[0]).read_bytes() == dialog.pdf
    dialog.language.set_code("zh-Hant")
    qtbot.waitUntil(lambda: dialog.pdf is not None and dialog.sheet is not None)
    from tests.reports.test_handover import text_of

    assert dialog.pdf is not None and "交接班單" in text_of(dialog.pdf)


def test_the_sheet_is_never_saved_onto_the_database(
        qtbot: QtBot, ctx: DeskContext, db: Database, answers: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ui import file_dialogs

    dialog = HandoverDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.pdf is not None)
    inside = db.paths.data_dir / "attachments" / "handover.pdf"
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *a, **k: (str(inside), ""))
    click(qtbot, dialog.save_button)
    assert "Nothing was written" in answers["warnings"][0]
    assert "own folder" in answers["warnings"][0] and not inside.exists()
    chosen = tmp_path / "交接班" / "早班"
    chosen.parent.mkdir()
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *a, **k: (str(chosen), ""))
    click(qtbot, dialog.save_button)
    saved = chosen.with_name("早班.pdf")
    assert saved.read_bytes() == dialog.pdf
    assert dialog.status.text() == f"Saved as {saved}"


def test_tools_menu_and_shortcut(qtbot: QtBot, ctx: DeskContext,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import handover_dialog

    window = QMainWindow()
    qtbot.addWidget(window)
    action = handover_dialog.install_action(window, ctx)
    shown: list[bool] = []
    monkeypatch.setattr(handover_dialog.HandoverDialog, "exec", lambda self: shown.append(True))
    assert action.shortcut().toString() == "Ctrl+Shift+H"
    assert action.text() == "Shift hand-over sheet…"
    action.trigger()
    assert shown == [True]
