"""Improvement actions (整改): the open ones, a new one from this complaint (or several), and
their status."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.codes import choices, label
from app.i18n import N_, _
from app.services.improvements import ActionInfo, create_action, list_actions, update_action
from ui.complaint import dialogs
from ui.complaint.clock_text import short_date
from ui.complaint.header import make_table
from ui.complaint.rows_model import Row, RowsModel
from ui.widgets.choice_combo import ChoiceCombo


class ActionsTab(QWidget):
    def __init__(self, panel: Any) -> None:
        super().__init__()
        self.panel = panel
        self.items: list[ActionInfo] = []
        self.model = RowsModel([N_("Due"), N_("Action"), N_("Owner"), N_("Status"),
                                N_("Complaints")])
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

    def reload(self) -> None:
        ref = self.panel.reference if self.only_this.isChecked() else None
        self.items = list_actions(self.panel.ctx.db, open_only=not ref, reference=ref)
        self.model.set_rows([
            Row(a.id, [short_date(a.due_date), a.action, a.owner, label("action_status", a.status),
                       " ".join(a.references)],
                colour="#b3261e" if a.overdue else None, tooltip=a.action)
            for a in self.items])
        self.table.resizeRowsToContents()
        self.new_button.setEnabled(bool(self.panel.reference))

    def new_action(self) -> None:
        refs = [self.panel.reference] if self.panel.reference else []
        dialogs.ask_new_action(self, refs, self.create)

    def create(self, value: dialogs.NewAction) -> str | None:
        """Create the action; a problem comes back as text for the dialog."""
        ctx = self.panel.ctx
        result = self.panel.call_service(lambda: create_action(
            ctx.db, value.references, action=value.action, owner=value.owner,
            due_date=value.due_date, status=value.status, actor=ctx.actor))
        if isinstance(result, str):
            return result
        for ref in value.references:
            self.panel.changed_elsewhere(ref)
        self.reload()
        return None

    def change_status(self) -> None:
        row = self.table.currentIndex().row()
        if not 0 <= row < len(self.items) or not self.status.code():
            return
        ctx, item, status = self.panel.ctx, self.items[row], self.status.code()
        self.panel.call_service(lambda: update_action(ctx.db, item.id, status=status,
                                                      actor=ctx.actor), show=True)
        self.reload()

    def retranslate(self) -> None:
        self.model.retranslate()
        self.only_this.setText(_("Only this complaint's actions"))
        self.new_button.setText(_("New improvement action…"))
        self.status.set_choices(choices("action_status"))
        self.status_button.setText(_("Set status"))
