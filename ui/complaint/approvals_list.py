"""Solutions waiting for a supervisor: approve or reject with a comment (supervisors only)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.formatting import format_money, join_list
from app.i18n import N_, _
from app.services import resolution
from app.services.approvals import PendingApproval, pending_approvals
from app.services.list_choices import list_labels
from ui.complaint.clock_text import short_datetime
from ui.complaint.header import make_table
from ui.complaint.rows_model import Row, RowsModel


class ApprovalsTab(QWidget):
    def __init__(self, panel: Any) -> None:
        super().__init__()
        self.panel = panel
        self.items: list[PendingApproval] = []
        self.model = RowsModel([N_("Reference"), N_("Customer"), N_("Amount"), N_("Since"),
                                N_("Asked by"), N_("Solution")])
        self.table = make_table(self.model)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.comment = QLineEdit()
        self.approve_button = QPushButton()
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button = QPushButton()
        self.reject_button.clicked.connect(lambda: self.decide(False))
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_selected)
        row = QHBoxLayout()
        row.addWidget(self.comment, 1)
        row.addWidget(self.approve_button)
        row.addWidget(self.reject_button)
        row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def reload(self) -> None:
        self.items = pending_approvals(self.panel.ctx.db)
        types = list_labels(self.panel.ctx.db, "solution_type")
        self.model.set_rows([
            Row(p.reference, [p.reference, p.customer_name, format_money(p.amount_cents),
                              short_datetime(p.proposed_at), p.proposed_by,
                              join_list(types.get(t, t) for t in p.solution_types)],
                tooltip=p.description)
            for p in self.items])
        self.table.resizeRowsToContents()
        if self.items:
            # The open complaint's request first, if it waits; else the oldest.
            refs = [p.reference for p in self.items]
            current = self.panel.reference
            self.table.selectRow(refs.index(current) if current in refs else 0)

    def selected(self) -> PendingApproval | None:
        row = self.table.currentIndex().row()
        return self.items[row] if 0 <= row < len(self.items) else None

    def open_selected(self) -> None:
        item = self.selected()
        if item is not None:
            self.panel.ctx.signals.open_complaint_at.emit(item.reference, "approval")

    def decide(self, approve: bool) -> None:
        item = self.selected()
        if item is None:
            return
        ctx, comment = self.panel.ctx, self.comment.text()
        done = self.panel.save_other(item.reference, lambda: resolution.decide_approval(
            ctx.db, item.reference, approve=approve, comment=comment, actor=ctx.actor,
            expected_version=item.version))
        if done:
            self.comment.clear()
        self.reload()

    def retranslate(self) -> None:
        self.model.retranslate()
        self.comment.setPlaceholderText(_("Comment (needed to reject)"))
        self.approve_button.setText(_("Approve"))
        self.reject_button.setText(_("Reject"))
        self.open_button.setText(_("Open complaint"))
