"""Signing in at a shared counter: at start, "switch user" (Ctrl+Shift+U), signing out by
hand (Ctrl+Shift+L) and automatically after the idle time (ui/idle_guard.py).

While signed out, a curtain covers the window (nobody passing by reads the open complaint)
and the sign-in dialog is shown over it. What was being typed stays where it was: the views
are asked to write their drafts first (the intake form keeps its draft, ui/intake). Whoever
signs in next works as themselves: `ctx.actor` changes and `actor_changed` is emitted.

The rules (lock-out, hashes, audit) live in app/services/users.py; this module only asks.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from app import audit
from app.db import Database
from app.i18n import LANGUAGE_NAMES, N_, _, get_language, ngettext, set_language
from app.services.common import Actor
from app.services.desk_setup import desk_info
from app.services.privacy import apply_retention
from app.services.settings_service import read_settings
from app.services.users import (
    SignInRefused,
    StaffMember,
    may_manage_accounts,
    sign_in,
    sign_out,
)
from ui import shown_marker
from ui.context import DeskContext
from ui.idle_guard import IdleGuard
from ui.qt_translations import follow_language
from ui.shortcuts import keys
from ui.tasks import run_task
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.field_grid import ERROR_COLOUR, INVALID_STYLE, FieldGrid

SWITCH_SHORTCUT = keys("window.switch_user")
SIGN_OUT_SHORTCUT = keys("window.sign_out")
ENV_USER, ENV_PASSWORD = "COMPLAINT_DESK_USER", "COMPLAINT_DESK_PASSWORD"
START, SWITCH, SIGNED_OUT, IDLE = "start", "switch", "signed_out", "idle"


class SignInDialog(QDialog):
    """User name and password; `member` is the account once the service accepted them."""

    def __init__(self, db: Database, parent: QWidget | None = None, purpose: str = START,
                 username: str = "", idle_minutes: int = 0) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.db, self.purpose, self.idle_minutes = db, purpose, idle_minutes
        self.member: StaffMember | None = None
        self._refusal: SignInRefused | None = None
        self.setStyleSheet(INVALID_STYLE)
        self.setMinimumWidth(480)
        self.setModal(True)
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.language = ChoiceCombo()
        self.language.set_choices(list(LANGUAGE_NAMES.items()))
        self.language.set_code(get_language(), emit=False)
        self.grid = FieldGrid()
        self.grid.add("username", self.username)
        self.grid.add("password", self.password)
        self.grid.add("language", self.language, N_("Language"))
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: 600;")
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addSpacing(6)
        layout.addWidget(self.grid)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.language.code_changed.connect(self._language_picked)
        self.retranslate()
        (self.password if username else self.username).setFocus()

    def _language_picked(self, code: object) -> None:
        if code:
            set_language(str(code))
            follow_language(str(code))  # Qt's own texts and date forms too
            self.retranslate()

    def retranslate(self) -> None:
        business = desk_info(self.db).business_name
        self.setWindowTitle(_("Sign in — Complaint Desk"))
        self.title.setText(_("Sign in to {business}", business=business) if business
                           else _("Sign in"))
        intro = {
            START: _("Staff sign in with their own account: what you do is recorded under "
                     "your name."),
            SWITCH: _("Switch user: the next person signs in with their own account."),
            SIGNED_OUT: _("Signed out. Sign in to continue."),
            IDLE: ngettext("Signed out after {minutes} minute without use. Sign in to "
                           "continue; unsaved input is kept.",
                           "Signed out after {minutes} minutes without use. Sign in to "
                           "continue; unsaved input is kept.", self.idle_minutes,
                           minutes=self.idle_minutes),
        }
        self.intro.setText(intro.get(self.purpose, intro[START]))
        self.username.setPlaceholderText(_("Your user name"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            _("Cancel") if self.purpose == SWITCH else _("Quit"))
        self.grid.retranslate()
        if not self.problem.isHidden() and self._refusal is not None:
            self.problem.setText(self._refusal.message())

    def submit(self) -> None:
        self.grid.set_error("username", None)
        if not self.username.text().strip():
            self.grid.set_error("username", _("is required"))
            self.username.setFocus()
            return
        try:
            self.member = sign_in(self.db, self.username.text(), self.password.text())
        except SignInRefused as refused:
            self._refusal = refused
            self.problem.setText(refused.message())
            self.problem.show()
            self.password.clear()
            self.password.setFocus()
            return
        self.password.clear()
        self.accept()


def _from_environment(db: Database, username: str | None) -> Actor | None:
    """--user / $COMPLAINT_DESK_USER with $COMPLAINT_DESK_PASSWORD sign in without asking
    (unattended counters, smoke tests); a refusal falls back to the dialog."""
    name = username or os.environ.get(ENV_USER)
    password = os.environ.get(ENV_PASSWORD)
    if not name or password is None:
        return None
    try:
        return sign_in(db, name, password).as_actor()
    except SignInRefused:
        return None


def sign_in_at_start(db: Database, username: str | None = None) -> Actor | None:
    """The person who signed in, or None when they quit (the program then ends)."""
    actor = _from_environment(db, username)
    if actor is not None:
        return actor
    dialog = SignInDialog(db, None, START, username or os.environ.get(ENV_USER) or "")
    if shown_marker.exit_after_show():
        # Smoke tests and the start-up benchmark: the first screen is this dialog; say it is
        # shown and end (the program quits without anyone signed in).
        def shown() -> None:
            dialog.reject()
            shown_marker.report_shown(None, "sign-in")

        QTimer.singleShot(0, shown)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.member is None:
        return None
    return dialog.member.as_actor()


class Curtain(QWidget):
    """Covers the whole window while nobody is signed in."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("signedOutCurtain")
        # A style-sheet background on a plain QWidget needs WA_StyledBackground to paint.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#signedOutCurtain { background: #37474f; }"
                           "QLabel { color: white; font-size: 16pt; }")
        self.text = QLabel(self)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.text)
        layout.addStretch(4)  # above the sign-in dialog, which opens in the middle
        window.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.window_.rect())
        return False

    def cover(self) -> None:
        self.text.setText(_("Signed out"))
        self.setGeometry(self.window_.rect())
        self.show()
        self.raise_()


class AccountControls(QObject):
    """The Account menu of the window, the idle guard and the curtain."""

    def __init__(self, window: QMainWindow, ctx: DeskContext) -> None:
        super().__init__(window)
        self.window, self.ctx = window, ctx
        self.curtain = Curtain(window)
        self.menu = window.menuBar().addMenu("")
        self.menu.setObjectName("menu_account")
        self.switch_action = self._action("action_switch_user", SWITCH_SHORTCUT,
                                          lambda: self.ask_sign_in(SWITCH))
        self.sign_out_action = self._action("action_sign_out", SIGN_OUT_SHORTCUT,
                                            lambda: self.ask_sign_in(SIGNED_OUT))
        self.menu.addSeparator()
        self.password_action = self._action("action_change_password", "",
                                            self.change_password)
        self.accounts_action = self._action("action_accounts", "", self.open_accounts)
        self.guard = IdleGuard(self.idle_limit, self)
        self.guard.timed_out.connect(lambda: self.ask_sign_in(IDLE))
        self.dialog: SignInDialog | None = None
        window.installEventFilter(self)  # a closed window stops the guard (eventFilter)
        audit.set_signed_in(ctx.actor)  # names the actor of changes nobody else claims
        run_task(lambda: apply_retention(ctx.db), lambda _n: None, self._retention_failed,
                 write=True)
        ctx.signals.language_changed.connect(lambda _lang: self.retranslate())
        ctx.signals.actor_changed.connect(self.retranslate)
        self.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Close:
            self.guard.stop()
        return False

    def _retention_failed(self, error: BaseException) -> None:
        # Not worth stopping the counter for: the next start tries again; the log has it.
        import logging

        logging.getLogger(__name__).warning("retention run failed: %s", error)

    def _action(self, name: str, shortcut: str, slot: object) -> QAction:
        action = QAction(self.window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.menu.addAction(action)
        self.window.addAction(action)
        return action

    def idle_limit(self) -> int:
        return int(read_settings(self.ctx.db)["idle_signout_minutes"])

    def retranslate(self) -> None:
        self.menu.setTitle(_("&Account"))
        self.switch_action.setText(_("Switch user…"))
        self.sign_out_action.setText(_("Sign out"))
        self.password_action.setText(_("Change my password…"))
        self.accounts_action.setText(_("Staff accounts…"))
        self.accounts_action.setVisible(may_manage_accounts(self.ctx.db, self.ctx.actor))

    def _keep_drafts(self) -> None:
        for widget in getattr(self.window, "views", {}).values():
            flush = getattr(widget, "flush", None)
            if callable(flush):
                flush()

    def ask_sign_in(self, purpose: str) -> bool:
        """Show the sign-in dialog; True when someone signed in (maybe the same person)."""
        if not self.window.isVisible():
            return False  # the window is closing: nobody to ask
        before = self.ctx.actor
        self.guard.pause()
        if purpose != SWITCH:
            self._keep_drafts()
            sign_out(self.ctx.db, before, idle=purpose == IDLE)
            self.curtain.cover()
        dialog = SignInDialog(self.ctx.db, self.window, purpose,
                              idle_minutes=self.guard.limit)
        self.dialog = dialog  # for tests and screenshots
        accepted = dialog.exec() == QDialog.DialogCode.Accepted and dialog.member is not None
        self.dialog = None
        if not accepted:
            if purpose == SWITCH:
                self.guard.resume()
                return False
            self.window.close()  # nobody signed in: the program ends (drafts are kept)
            return False
        assert dialog.member is not None
        self.curtain.hide()
        self.guard.resume()
        member = dialog.member.as_actor()
        if member != before:
            if purpose == SWITCH:
                sign_out(self.ctx.db, before)
            self.ctx.actor = member
            self.ctx.signals.actor_changed.emit()
        return True

    def change_password(self) -> None:
        from ui.accounts_dialog import PasswordDialog

        PasswordDialog(self.ctx.db, self.ctx.actor, None, self.window).exec()

    def open_accounts(self) -> None:
        from ui.accounts_dialog import AccountsDialog

        AccountsDialog(self.ctx, self.window).exec()


def attach(window: QMainWindow, ctx: DeskContext) -> AccountControls:
    """Give the window its Account menu, switch user, sign-out and the idle guard."""
    controls = AccountControls(window, ctx)
    window.account_controls = controls  # type: ignore[attr-defined]  # keep it alive
    return controls
