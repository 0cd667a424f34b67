"""The customer history: every complaint of the customer (by phone) with how it ended."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.codes import label
from app.formatting import format_money, join_list
from app.i18n import N_, _
from app.services.customer_history import CustomerHistory
from ui.complaint.clock_text import short_datetime
from ui.complaint.header import make_table
from ui.complaint.rows_model import KEY_ROLE, Row, RowsModel

OUTCOME_LABELS = {
    "open": N_("Still open"),
    "awaiting_revisit": N_("Waiting for revisit"),
    "satisfied": N_("Closed, customer satisfied"),
    "closed_by_supervisor": N_("Closed by a supervisor"),
    "withdrawn": N_("Withdrawn"),
}


def history_rows(history: CustomerHistory, current: str | None) -> list[Row]:
    rows = []
    for r in history.complaints:
        solution = join_list(r.solution_labels)
        if r.amount_cents:
            solution += f" ({format_money(r.amount_cents)})"
        outcome = _(OUTCOME_LABELS.get(r.outcome, r.outcome))
        if r.reopen_count:
            outcome += " · " + _("reopened {count}×", count=r.reopen_count)
        rows.append(Row(r.reference, [
            short_datetime(r.received_at), r.reference, r.category or "—",
            label("stage", r.stage), outcome,
            f"{r.satisfaction}/5" if r.satisfaction else "—", solution or "—"],
            bold=r.reference == current, tooltip=r.description))
    return rows


class HistoryDialog(QDialog):
    """Double-click (or Enter) opens that complaint in the panel."""

    def __init__(self, parent: QWidget | None, history: CustomerHistory, current: str | None,
                 open_reference: object) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Customer history"))
        self.resize(980, 420)
        avg = history.average_satisfaction
        summary = QLabel(_("<b>{name}</b> {phone} · {tier} · {count} complaints · average "
                           "satisfaction {avg}", name=escape(history.name or "—"),
                           phone=escape(history.phone), tier=label("tier", history.tier),
                           count=len(history.complaints),
                           avg=f"{avg:.1f}/5" if avg is not None else "—"))
        summary.setTextFormat(Qt.TextFormat.RichText)
        self.model = RowsModel([N_("Received"), N_("Reference"), N_("Category"), N_("Stage"),
                                N_("Outcome"), N_("Satisfaction"), N_("Solution")])
        self.model.set_rows(history_rows(history, current))
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

    def open_row(self, index: object) -> None:
        ref = self.model.data(index, KEY_ROLE)  # type: ignore[arg-type]
        if ref:
            self._open(ref)  # type: ignore[operator]
            self.accept()
