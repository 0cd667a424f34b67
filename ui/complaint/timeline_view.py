"""The complaint's timeline: every event in order, who and when, in the user's language."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView, QVBoxLayout, QWidget

from app.formatting import format_datetime
from app.i18n import N_
from app.services.complaints import ComplaintDetail, TimelineEntry
from ui.complaint.clock_text import short_datetime
from ui.widgets.table_model import Column, TableModel, make_table

# Events that change the stage or need a decision stand out.
_STRONG = {"moved", "reopened", "closed_override", "withdrawn", "approved", "rejected",
           "approval_requested", "revisit_done", "closed_unfounded", "escalated",
           "escalation_handled"}
_COLOURS = {"reopened": "#8e2424", "rejected": "#8e2424", "approval_requested": "#8a5a00",
            "withdrawn": "#8e2424", "closed_override": "#8a5a00", "escalated": "#b3261e",
            "closed_unfounded": "#3f5f8a"}

COLUMNS: tuple[Column[TimelineEntry], ...] = (
    Column(N_("When"), lambda e: short_datetime(e.at)),
    Column(N_("Who"), lambda e: e.actor),
    Column(N_("What"), lambda e: e.text),
)


class TimelineView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TableModel(
            COLUMNS, colour=lambda e: _COLOURS.get(e.kind), bold=lambda e: e.kind in _STRONG,
            tooltip=lambda e: f"{format_datetime(e.at)} {e.actor}\n{e.text}")
        self.table: QTableView = make_table(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def show_detail(self, d: ComplaintDetail | None) -> None:
        self.model.set_rows([] if d is None else d.timeline)
        self.table.resizeRowsToContents()
        self.table.scrollToBottom()

    def texts(self) -> list[str]:
        return [e.text for e in self.model.rows]

    def retranslate(self) -> None:
        self.model.retranslate()
