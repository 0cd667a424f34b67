"""Staff accounts for the administrator: list, add, change the role, switch off or on,
reset a forgotten password (which also ends a lock-out). Accounts are never deleted: their
names stay in the history. Also the "change my password" dialog for everyone.

The rules live in app/services/users.py (which refuses other roles); this only asks.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.codes import choices, label
from app.db import Database
from app.errors import DeskError, ValidationError
from app.i18n import N_, _
from app.services.common import Actor
from app.services.users import (
    AccountInfo,
    change_password,
    create_user,
    list_accounts,
    reset_password,
    set_active,
    set_role,
    unlock,
)
from ui.context import DeskContext
from ui.messages import warn
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.field_grid import INVALID_STYLE, FieldGrid
from ui.widgets.table_model import Column, TableModel

WARNING_COLOUR = "#c62828"
MUTED_COLOUR = "#757575"


def status_text(a: AccountInfo) -> str:
    if not a.intact:
        return _("Changed outside the program: check the database")
    if not a.active:
        return _("Switched off")
    if a.locked_until is not None:
        return _("Locked until {time}", time=f"{a.locked_until:%H:%M}")
    return _("Active")


def account_colour(a: AccountInfo) -> str | None:
    if not a.intact or a.locked_until is not None:
        return WARNING_COLOUR
    return None if a.active else MUTED_COLOUR


COLUMNS: tuple[Column[AccountInfo], ...] = (
    Column(N_("Name shown"), lambda a: a.display_name),
    Column(N_("User name"), lambda a: a.username),
    Column(N_("Role"), lambda a: label("role", a.role)),
    Column(N_("Status"), status_text),
)


class _Form(QDialog):
    """A small form dialog whose service errors land under the field they name."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setStyleSheet(INVALID_STYLE)
        self.setMinimumWidth(420)
        self.grid = FieldGrid()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addWidget(self.buttons)

    def password_field(self) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def show_error(self, e: ValidationError) -> None:
        field = {"customer_name": "display_name"}.get(e.field, e.field)
        if field in self.grid.rows:
            self.grid.set_error(field, e.problem())
            self.grid.rows[field].widget.setFocus()
        else:
            warn(self, e.message())

    def submit(self) -> None:
        for field in self.grid.rows:
            self.grid.set_error(field, None)
        try:
            self.save()
        except ValidationError as e:
            self.show_error(e)
            return
        except DeskError as e:
            warn(self, e.message())
            return
        self.accept()

    def save(self) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.grid.retranslate()


class PasswordDialog(_Form):
    """Change my own password (asks the current one), or an administrator's reset."""

    def __init__(self, db: Database, actor: Actor, target: AccountInfo | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.db, self.actor, self.target = db, actor, target
        self.old = self.password_field()
        self.new = self.password_field()
        self.again = self.password_field()
        if target is None:
            self.grid.add("old_password", self.old)
        self.grid.add("password", self.new, N_("New password"))
        self.grid.add("password_again", self.again, N_("Password again"))
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Change my password") if self.target is None else
                            _("New password for {name}", name=self.target.display_name))
        self.new.setPlaceholderText(_("At least 4 characters"))

    def save(self) -> None:
        if self.new.text() != self.again.text():
            raise ValidationError("password_again", N_("does not match the password"))
        if self.target is None:
            change_password(self.db, self.actor, self.old.text(), self.new.text())
        else:
            reset_password(self.db, self.actor, self.target.id, self.new.text())


class AddAccountDialog(_Form):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addAccountDialog")
        self.db, self.actor = db, actor
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.role = ChoiceCombo()
        self.password = self.password_field()
        self.again = self.password_field()
        self.grid.add("username", self.username)
        self.grid.add("display_name", self.display_name, N_("Name shown"))
        self.grid.add("role", self.role)
        self.grid.add("password", self.password)
        self.grid.add("password_again", self.again, N_("Password again"))
        self.retranslate()
        self.role.set_code("clerk")
        self.username.setFocus()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("New staff account"))
        self.role.set_choices(choices("role"), keep=self.role.code())
        self.username.setPlaceholderText(_("For signing in, e.g. wang"))
        self.display_name.setPlaceholderText(_("As shown on slips and in the timeline"))
        self.password.setPlaceholderText(_("At least 4 characters"))

    def save(self) -> None:
        if self.password.text() != self.again.text():
            raise ValidationError("password_again", N_("does not match the password"))
        create_user(self.db, self.username.text(), self.display_name.text(),
                    self.role.code() or "", self.password.text(), actor=self.actor)


class RoleDialog(_Form):
    def __init__(self, db: Database, actor: Actor, target: AccountInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.target = db, actor, target
        self.role = ChoiceCombo()
        self.grid.add("role", self.role)
        self.retranslate()
        self.role.set_code(target.role)

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Role of {name}", name=self.target.display_name))
        self.role.set_choices(choices("role"), keep=self.role.code())

    def save(self) -> None:
        set_role(self.db, self.actor, self.target.id, self.role.code() or "")


class AccountsDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsDialog")
        self.ctx = ctx
        self.resize(760, 420)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.model: TableModel[AccountInfo] = TableModel(COLUMNS, key=lambda a: a.id,
                                                         colour=account_colour, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.change_role())
        self.add_button = QPushButton()
        self.role_button = QPushButton()
        self.reset_button = QPushButton()
        self.unlock_button = QPushButton()
        self.active_button = QPushButton()
        self.close_button = QPushButton()
        self.add_button.clicked.connect(self.add)
        self.role_button.clicked.connect(self.change_role)
        self.reset_button.clicked.connect(self.reset)
        self.unlock_button.clicked.connect(self.unlock)
        self.active_button.clicked.connect(self.toggle_active)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.role_button, self.reset_button, self.unlock_button,
                  self.active_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.reload()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Staff accounts"))
        self.intro.setText(_("Accounts are never deleted: switch off the account of someone "
                             "who left; their name stays in the history."))
        self.add_button.setText(_("Add…"))
        self.role_button.setText(_("Change role…"))
        self.reset_button.setText(_("New password…"))
        self.unlock_button.setText(_("Unlock"))
        self.close_button.setText(_("Close"))
        self._enable()
        self.model.retranslate()

    def reload(self, keep: int | None = None) -> None:
        self.model.set_rows(list_accounts(self.ctx.db, self.ctx.actor))
        if keep is not None and (row := self.model.row_of(keep)) >= 0:
            self.table.selectRow(row)
        self._enable()

    def selected(self) -> AccountInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _enable(self) -> None:
        a = self.selected()
        mine = a is not None and a.id == self.ctx.actor.user_id
        for b in (self.role_button, self.reset_button):
            b.setEnabled(a is not None)
        self.role_button.setEnabled(a is not None and not mine)
        self.unlock_button.setEnabled(a is not None and a.locked_until is not None)
        self.active_button.setEnabled(a is not None and not mine)
        self.active_button.setText(_("Switch on") if a is not None and not a.active
                                   else _("Switch off"))

    def _run(self, fn: Any, keep: int | None) -> None:
        try:
            fn()
        except DeskError as e:
            warn(self, e.message())
        self.reload(keep)

    def add(self) -> None:
        if AddAccountDialog(self.ctx.db, self.ctx.actor, self).exec():
            self.reload()

    def change_role(self) -> None:
        a = self.selected()
        if a is not None and a.id != self.ctx.actor.user_id and RoleDialog(
                self.ctx.db, self.ctx.actor, a, self).exec():
            self.reload(a.id)

    def reset(self) -> None:
        a = self.selected()
        if a is not None and PasswordDialog(self.ctx.db, self.ctx.actor, a, self).exec():
            self.reload(a.id)

    def unlock(self) -> None:
        a = self.selected()
        if a is not None:
            self._run(lambda: unlock(self.ctx.db, self.ctx.actor, a.id), a.id)

    def toggle_active(self) -> None:
        a = self.selected()
        if a is not None:
            self._run(lambda: set_active(self.ctx.db, self.ctx.actor, a.id, not a.active), a.id)
