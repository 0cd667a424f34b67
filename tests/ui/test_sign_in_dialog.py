"""The sign-in dialog, switch user, idle sign-out (controlled clock) and the accounts dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from app.services.common import Actor
from app.services.settings_service import set_setting
from app.services.users import create_user, list_accounts, sign_in
from ui import sign_in as sign_in_ui
from ui.accounts_dialog import AccountsDialog, AddAccountDialog, PasswordDialog
from ui.context import DeskContext
from ui.main_window import MainWindow
from ui.sign_in import IDLE, SignInDialog, sign_in_at_start

PASSWORD = "demo1234"


def type_into(dialog: SignInDialog, user: str, password: str) -> None:
    dialog.username.setText(user)
    dialog.password.setText(password)
    dialog.submit()


def test_dialog_signs_in_with_the_right_password(qtbot: Any, ctx: DeskContext) -> None:
    dialog = SignInDialog(ctx.db)
    qtbot.addWidget(dialog)
    type_into(dialog, "clerk1", "wrong")
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.problem.text() == "Wrong user name or password."
    assert dialog.password.text() == "" and dialog.member is None
    type_into(dialog, "clerk1", PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.member is not None and dialog.member.username == "clerk1"


def test_dialog_says_when_the_account_is_locked(qtbot: Any, ctx: DeskContext,
                                               fixed_clock: Any) -> None:
    dialog = SignInDialog(ctx.db)
    qtbot.addWidget(dialog)
    for _ in range(5):
        type_into(dialog, "clerk2", "guess")
    assert dialog.problem.text() == ("Too many wrong passwords: this account is locked until "
                                     "10:15.")
    from app.i18n import set_language

    set_language("zh-Hans")
    dialog.retranslate()
    assert "10:15" in dialog.problem.text() and "Too many" not in dialog.problem.text()


def test_start_signs_in_from_the_environment(ctx: DeskContext,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLAINT_DESK_PASSWORD", PASSWORD)
    actor = sign_in_at_start(ctx.db, "supervisor")
    assert actor is not None and actor.role == "supervisor"


@pytest.fixture
def window(qtbot: Any, ctx: DeskContext, tmp_path: Path, fixed_clock: Any) -> MainWindow:
    w = MainWindow(ctx, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    sign_in_ui.attach(w, ctx)
    w.show()
    qtbot.waitExposed(w)
    return w


def answer(window: MainWindow, check: Callable[[SignInDialog], None]) -> None:
    """Answer the sign-in dialog that is about to open modally over `window`."""
    def later() -> None:
        dialog = window.account_controls.dialog  # type: ignore[attr-defined]
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(10, later)
            return
        check(dialog)
    QTimer.singleShot(0, later)


def test_switch_user_changes_the_actor(qtbot: Any, window: MainWindow,
                                       ctx: DeskContext) -> None:
    seen: list[Actor] = []
    ctx.signals.actor_changed.connect(lambda: seen.append(ctx.actor))
    action = window.findChild(type(window.actions()[0]), "action_switch_user")
    assert action.shortcut().toString() == "Ctrl+Shift+U"
    answer(window, lambda d: (d.purpose == "switch" or pytest.fail(d.purpose),
                              type_into(d, "supervisor", PASSWORD)))
    action.trigger()
    assert ctx.actor.role == "supervisor" and [a.name for a in seen] == ["王主管"]
    assert "王主管" in window.user_label.text()
    # Cancelling a switch keeps whoever is signed in.
    answer(window, lambda d: d.reject())
    action.trigger()
    assert ctx.actor.role == "supervisor" and len(seen) == 1


def test_idle_sign_out_covers_the_window_and_keeps_the_draft(qtbot: Any, window: MainWindow,
                                                             ctx: DeskContext,
                                                             fixed_clock: Any) -> None:
    set_setting(ctx.db, "idle_signout_minutes", 10, Actor(None, "admin", "admin"))
    controls = window.account_controls  # type: ignore[attr-defined]
    guard = controls.guard
    form = window.view("intake")
    form.fields.customer.phone.setText("13800000009")
    fixed_clock.advance(minutes=9)
    QTest.keyClick(form.fields.customer.name, Qt.Key.Key_A)  # input restarts the count
    fixed_clock.advance(minutes=9, seconds=59)
    guard.check()
    assert not guard.paused and controls.dialog is None

    fixed_clock.advance(seconds=2)
    looked: dict[str, Any] = {}

    def at_dialog(d: SignInDialog) -> None:
        looked.update(purpose=d.purpose, curtain=controls.curtain.isVisible(),
                      covers=controls.curtain.geometry() == window.rect(), intro=d.intro.text())
        type_into(d, "clerk1", PASSWORD)

    answer(window, at_dialog)
    guard.check()  # what the guard's timer does every few seconds
    assert looked["purpose"] == IDLE and looked["curtain"] and looked["covers"]
    assert "10 minutes" in looked["intro"]
    assert not controls.curtain.isVisible() and not guard.paused
    assert form.fields.customer.phone.text() == "13800000009"  # the draft is still there
    assert ctx.actor.name == "李小红"
    assert guard.idle_minutes() == 0
    actions = [e[2] for e in _trail(ctx)]
    assert actions[-2:] == ["sign_out_idle", "sign_in"]


def test_quitting_at_the_idle_sign_in_closes_the_window(qtbot: Any, window: MainWindow,
                                                        fixed_clock: Any) -> None:
    controls = window.account_controls  # type: ignore[attr-defined]
    fixed_clock.advance(minutes=16)  # the default is 15
    answer(window, lambda d: d.reject())
    controls.guard.check()
    assert not window.isVisible()


def _trail(ctx: DeskContext) -> list[tuple[Any, ...]]:
    from sqlalchemy import select

    from app.models import AuditEvent

    with ctx.db.engine.connect() as conn:  # SQLite or PostgreSQL (COMPLAINT_DESK_TEST_DB)
        return [tuple(r) for r in conn.execute(select(
            AuditEvent.id, AuditEvent.actor_name, AuditEvent.action).order_by(AuditEvent.id))]


def test_staff_accounts_only_for_administrators(qtbot: Any, window: MainWindow,
                                                ctx: DeskContext) -> None:
    controls = window.account_controls  # type: ignore[attr-defined]
    create_user(ctx.db, "admin", "管理员", "admin", "Adm1n-pass")
    controls.retranslate()
    assert not controls.accounts_action.isVisible()  # a clerk
    ctx.actor = sign_in(ctx.db, "admin", "Adm1n-pass").as_actor()
    ctx.signals.actor_changed.emit()
    assert controls.accounts_action.isVisible()


def test_accounts_dialog_adds_resets_and_switches_off(qtbot: Any, ctx: DeskContext,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    admin = create_user(ctx.db, "admin", "管理员", "admin", "Adm1n-pass").as_actor()
    ctx.actor = admin
    dialog = AccountsDialog(ctx)
    qtbot.addWidget(dialog)
    assert [r.username for r in dialog.model.rows] == ["clerk2", "clerk1", "supervisor",
                                                      "admin"]
    add = AddAccountDialog(ctx.db, admin, dialog)
    qtbot.addWidget(add)
    add.username.setText("clerk3")
    add.display_name.setText("赵六")
    add.role.set_code("supervisor")
    add.password.setText("Start-2026")
    add.again.setText("Start-2027")
    add.submit()
    assert add.grid.rows["password_again"].error.text() == "does not match the password"
    add.again.setText("Start-2026")
    add.submit()
    assert add.result() == QDialog.DialogCode.Accepted
    dialog.reload()
    row = next(i for i, r in enumerate(dialog.model.rows) if r.username == "clerk3")
    dialog.table.selectRow(row)
    assert dialog.model.index(row, 2).data() == "Supervisor"
    reset = PasswordDialog(ctx.db, admin, dialog.selected(), dialog)
    qtbot.addWidget(reset)
    reset.new.setText("Other-2026")
    reset.again.setText("Other-2026")
    reset.submit()
    assert sign_in(ctx.db, "clerk3", "Other-2026").username == "clerk3"
    dialog.toggle_active()
    assert not next(a for a in list_accounts(ctx.db, admin) if a.username == "clerk3").active
    assert dialog.model.index(dialog.table.currentIndex().row(), 3).data() == "Switched off"
    warned: list[str] = []
    monkeypatch.setattr("ui.accounts_dialog.warn", lambda _p, text: warned.append(text))
    own = next(i for i, r in enumerate(dialog.model.rows) if r.username == "admin")
    dialog.table.selectRow(own)
    assert not dialog.active_button.isEnabled()  # not your own account


def test_change_my_password(qtbot: Any, ctx: DeskContext) -> None:
    dialog = PasswordDialog(ctx.db, ctx.actor, None)
    qtbot.addWidget(dialog)
    dialog.old.setText("wrong")
    dialog.new.setText("Fresh-2026")
    dialog.again.setText("Fresh-2026")
    dialog.submit()
    assert dialog.grid.rows["old_password"].error.text() == "is not your current password"
    dialog.old.setText(PASSWORD)
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert sign_in(ctx.db, "clerk1", "Fresh-2026").username == "clerk1"
    assert QApplication.instance() is not None
