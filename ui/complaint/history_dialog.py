"""The customer history: every complaint of the customer (by phone) with how it ended."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.codes import label
from app.formatting import complaint_count, format_money, join_list
from app.i18n import N_, _
from app.services.customer_history import CustomerHistory, HistoryRow
from ui.complaint.clock_text import short_datetime
from ui.widgets.table_model import Column, TableModel, make_table

OUTCOME_LABELS = {
    "open": N_("Still open"),
    "awaiting_revisit": N_("Waiting for revisit"),
    "satisfied": N_("Closed, customer satisfied"),
    "closed_by_supervisor": N_("Closed by a supervisor"),
    "withdrawn": N_("Withdrawn"),
    "unfounded": N_("Closed as unfounded"),
}


def outcome_text(r: HistoryRow) -> str:
    outcome = _(OUTCOME_LABELS.get(r.outcome, r.outcome))
    if r.reopen_count:
        outcome += " · " + _("reopened {count}×", count=r.reopen_count)
    return outcome


def solution_text(r: HistoryRow) -> str:
    solution = join_list(r.solution_labels)
    if r.amount_cents:
        solution += f" ({format_money(r.amount_cents)})"
    return solution or "—"


COLUMNS: tuple[Column[HistoryRow], ...] = (
    Column(N_("Received"), lambda r: short_datetime(r.received_at)),
    Column(N_("Reference"), lambda r: r.reference),
    Column(N_("Category"), lambda r: r.category or "—"),
    Column(N_("Stage"), lambda r: label("stage", r.stage)),
    Column(N_("Outcome"), outcome_text),
    Column(N_("Satisfaction"), lambda r: f"{r.satisfaction}/5" if r.satisfaction else "—"),
    Column(N_("Solution"), solution_text),
)


class HistoryDialog(QDialog):
    """Double-click (or Enter) opens that complaint in the panel."""

    def __init__(self, parent: QWidget | None, history: CustomerHistory, current: str | None,
                 open_reference: Callable[[str], object]) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Customer history"))
        self.resize(980, 420)
        avg = history.average_satisfaction
        summary = QLabel(_("<b>{name}</b> {phone} · {tier} · {complaints} · average "
                           "satisfaction {avg}", name=escape(history.name or "—"),
                           phone=escape(history.phone), tier=label("tier", history.tier),
                           complaints=complaint_count(len(history.complaints)),
                           avg=f"{avg:.1f}/5" if avg is not None else "—"))
        summary.setTextFormat(Qt.TextFormat.RichText)
        self.model = TableModel(COLUMNS, key=lambda r: r.reference,
                                bold=lambda r: r.reference == current,
                                tooltip=lambda r: r.description)
        self.model.set_rows(history.complaints)
        self.table = make_table(self.model)
        self.table.resizeRowsToContents()
        self._open = open_reference
        self.table.activated.connect(self.open_row)
        self.table.doubleClicked.connect(self.open_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close window"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def open_row(self, index: QModelIndex) -> None:
        ref = self.model.key(index.row())
        if isinstance(ref, str):
            self._open(ref)
            self.accept()
