"""Solutions waiting for a supervisor: approve or reject with a comment (supervisors only)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.formatting import format_money, join_list
from app.i18n import N_, _
from app.services import resolution
from app.services.approvals import PendingApproval, pending_approvals
from app.services.list_choices import list_labels
from ui.complaint.clock_text import short_datetime
from ui.complaint.open_complaint import OpenComplaint
from ui.widgets.table_model import Column, TableModel, make_table


class ApprovalsTab(QWidget):
    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__()
        self.complaint = complaint
        self.type_labels: dict[str, str] = {}
        columns: tuple[Column[PendingApproval], ...] = (
            Column(N_("Reference"), lambda p: p.reference),
            Column(N_("Customer"), lambda p: p.customer_name),
            Column(N_("Amount"), lambda p: format_money(p.amount_cents)),
            Column(N_("Since"), lambda p: short_datetime(p.proposed_at)),
            Column(N_("Asked by"), lambda p: p.proposed_by),
            Column(N_("Solution"), lambda p: join_list(
                self.type_labels.get(t, t) for t in p.solution_types)),
        )
        self.model = TableModel(columns, key=lambda p: p.reference,
                                tooltip=lambda p: p.description)
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

    @property
    def items(self) -> list[PendingApproval]:
        return self.model.rows

    def reload(self) -> None:
        db = self.complaint.ctx.db
        self.type_labels = list_labels(db, "solution_type")
        self.model.set_rows(pending_approvals(db))
        self.table.resizeRowsToContents()
        if self.items:
            # The open complaint's request first, if it waits; else the oldest.
            current = self.complaint.reference
            row = self.model.row_of(current) if current else -1
            self.table.selectRow(max(row, 0))

    def selected(self) -> PendingApproval | None:
        return self.model.item(self.table.currentIndex().row())

    def open_selected(self) -> None:
        item = self.selected()
        if item is not None:
            self.complaint.ctx.signals.open_complaint_at.emit(item.reference, "approval")

    def decide(self, approve: bool) -> None:
        item = self.selected()
        if item is None:
            return
        ctx, comment = self.complaint.ctx, self.comment.text()
        actor = ctx.actor
        self.complaint.save_other(item.reference, lambda: resolution.decide_approval(
            ctx.db, item.reference, approve=approve, comment=comment, actor=actor,
            expected_version=item.version), then=self._decided)

    def _decided(self, saved: bool) -> None:
        if saved:
            self.comment.clear()
        self.reload()

    def retranslate(self) -> None:
        self.model.retranslate()
        self.comment.setPlaceholderText(_("Comment (needed to reject)"))
        self.approve_button.setText(_("Approve"))
        self.reject_button.setText(_("Reject"))
        self.open_button.setText(_("Open complaint"))
