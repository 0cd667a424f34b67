"""Improvement actions (整改): the open ones, a new one from this complaint (or several), and
their status."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.codes import choices, label
from app.errors import DeskError
from app.i18n import N_, _
from app.services.improvements import ActionInfo, create_action, list_actions, update_action
from ui.background_save import Failure, failure_kind, report_unexpected
from ui.complaint import dialogs
from ui.complaint.clock_text import short_date
from ui.complaint.open_complaint import OpenComplaint
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.table_model import Column, TableModel, make_table

COLUMNS: tuple[Column[ActionInfo], ...] = (
    Column(N_("Due"), lambda a: short_date(a.due_date)),
    Column(N_("Action"), lambda a: a.action),
    Column(N_("Owner"), lambda a: a.owner),
    Column(N_("Status"), lambda a: label("action_status", a.status)),
    Column(N_("Complaints"), lambda a: " ".join(a.references)),
)


class ActionsTab(QWidget):
    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__()
        self.complaint = complaint
        self.model = TableModel(COLUMNS, key=lambda a: a.id,
                                colour=lambda a: "#b3261e" if a.overdue else None,
                                tooltip=lambda a: a.action)
        self.table = make_table(self.model)
        self.only_this = QCheckBox()
        self.only_this.toggled.connect(lambda _on: self.reload())
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self.new_action)
        self.status = ChoiceCombo()
        self.status_button = QPushButton()
        self.status_button.clicked.connect(self.change_status)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.status)
        row.addWidget(self.status_button)
        row.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.only_this)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    @property
    def items(self) -> list[ActionInfo]:
        return self.model.rows

    def reload(self) -> None:
        ref = self.complaint.reference if self.only_this.isChecked() else None
        self.model.set_rows(list_actions(self.complaint.ctx.db, open_only=not ref,
                                         reference=ref))
        self.table.resizeRowsToContents()
        self.new_button.setEnabled(bool(self.complaint.reference))

    def new_action(self) -> None:
        refs = [self.complaint.reference] if self.complaint.reference else []
        dialogs.ask_new_action(self, refs, self.create_action)

    def create_action(self, value: dialogs.NewAction,
                      answer: Callable[[str | None], None]) -> None:
        """Create the action off the GUI thread; `answer` gets the problem (text for the
        dialog, which keeps what was typed) or None once it is saved."""
        ctx = self.complaint.ctx
        actor = ctx.actor

        def saved(_result: object) -> None:
            for ref in value.references:
                self.complaint.changed_elsewhere(ref)
            self.reload()
            answer(None)

        def refused(error: BaseException) -> None:
            if isinstance(error, DeskError) and failure_kind(error) is not Failure.UNEXPECTED:
                answer(error.message())
            else:
                answer(_("Not saved: an unexpected error. What you entered is kept; you can "
                         "try again."))
                report_unexpected(error)

        if not self.complaint.saving.run(lambda: create_action(
                ctx.db, value.references, action=value.action, owner=value.owner,
                due_date=value.due_date, status=value.status, actor=actor), saved, refused):
            answer(_("Still saving the previous change; try again in a moment."))

    def change_status(self) -> None:
        item = self.model.item(self.table.currentIndex().row())
        status = self.status.code()
        if item is None or not status:
            return
        ctx = self.complaint.ctx
        actor = ctx.actor

        def saved(_result: object) -> None:
            for ref in item.references:
                self.complaint.announce(ref)
            self.reload()

        def refused(error: BaseException) -> None:
            self.complaint.failed("", None, error)
            self.reload()

        self.complaint.saving.run(lambda: update_action(ctx.db, item.id, status=status,
                                                        actor=actor), saved, refused)

    def retranslate(self) -> None:
        self.model.retranslate()
        self.only_this.setText(_("Only this complaint's actions"))
        self.new_button.setText(_("New improvement action…"))
        self.status.set_choices(choices("action_status"))
        self.status_button.setText(_("Set status"))
