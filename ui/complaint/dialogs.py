"""Small dialogs of the panel, behind module functions that tests replace (like ui.messages):
the evidence file to add, a new improvement action."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.codes import choices, field_label
from app.i18n import _
from ui import file_dialogs
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.qt_dates import qdate


def choose_file(parent: QWidget | None) -> str | None:
    path, _filter = file_dialogs.get_open_file_name(parent, _("Add evidence file"))
    return path or None


@dataclass(frozen=True)
class NewAction:
    references: list[str]
    action: str
    owner: str
    due_date: str
    status: str


def split_references(text: str) -> list[str]:
    """References typed one after the other, separated by spaces, commas or new lines."""
    return [r.upper() for r in re.split(r"[\s,，;；、]+", text) if r.strip()]


Answer = Callable[[str | None], None]  # the problem to show, or None: saved


class ActionDialog(QDialog):
    """A new improvement action for one complaint or several (their references). `submit`
    saves it off the GUI thread and answers: the dialog waits, its input held, meanwhile."""

    def __init__(self, parent: QWidget | None, references: list[str],
                 submit: Callable[[NewAction, Answer], None]) -> None:
        super().__init__(parent)
        self.submit = submit
        self.setWindowTitle(_("New improvement action"))
        self.setMinimumWidth(520)
        self.references = QLineEdit(" ".join(references))
        self.action = QPlainTextEdit()
        self.action.setFixedHeight(90)
        self.owner = QLineEdit()
        self.due = QDateEdit(qdate(clock.now().date()).addDays(14))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.status = ChoiceCombo()
        self.status.set_choices(choices("action_status"), keep="open")
        hint = QLabel(_("Several complaints: type their references separated by spaces."))
        hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        form = QFormLayout()
        form.addRow(field_label("references"), self.references)
        form.addRow("", hint)
        form.addRow(field_label("action"), self.action)
        form.addRow(field_label("owner"), self.owner)
        form.addRow(field_label("due_date"), self.due)
        form.addRow(field_label("action_status"), self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        self.waiting = False
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        # The service checks the input; on a problem the dialog stays open with what was typed.
        if self.waiting:
            return
        self.waiting = True
        self.setEnabled(False)
        self.submit(self.value(), self._answered)

    def reject(self) -> None:
        if not self.waiting:  # a save on its way is seen through
            super().reject()

    def _answered(self, problem: str | None) -> None:
        self.waiting = False
        self.setEnabled(True)
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        super().accept()

    def value(self) -> NewAction:
        return NewAction(split_references(self.references.text()),
                         self.action.toPlainText(), self.owner.text(),
                         self.due.date().toString("yyyy-MM-dd"), self.status.code() or "open")


def ask_new_action(parent: QWidget | None, references: list[str],
                   submit: Callable[[NewAction, Answer], None]) -> bool:
    """Show the dialog until `submit` accepts the input (returns no problem) or it is cancelled."""
    return ActionDialog(parent, references, submit).exec() == QDialog.DialogCode.Accepted
