"""The complaint's timeline: every event in order, who and when, in the user's language."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView, QVBoxLayout, QWidget

from app.formatting import format_datetime
from app.i18n import N_
from app.services.complaints import ComplaintDetail
from ui.complaint.clock_text import short_datetime
from ui.complaint.header import make_table
from ui.complaint.rows_model import Row, RowsModel

# Events that change the stage or need a decision stand out.
_STRONG = {"moved", "reopened", "closed_override", "withdrawn", "approved", "rejected",
           "approval_requested", "revisit_done"}
_COLOURS = {"reopened": "#8e2424", "rejected": "#8e2424", "approval_requested": "#8a5a00",
            "withdrawn": "#8e2424", "closed_override": "#8a5a00"}


class TimelineView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RowsModel([N_("When"), N_("Who"), N_("What")])
        self.table: QTableView = make_table(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def show_detail(self, d: ComplaintDetail | None) -> None:
        rows = [] if d is None else [
            Row(i, [short_datetime(e.at), e.actor, e.text], colour=_COLOURS.get(e.kind),
                bold=e.kind in _STRONG, tooltip=f"{format_datetime(e.at)} {e.actor}\n{e.text}")
            for i, e in enumerate(d.timeline)]
        self.model.set_rows(rows)
        self.table.resizeRowsToContents()
        self.table.scrollToBottom()

    def texts(self) -> list[str]:
        return [r.cells[2] for r in self.model.rows]

    def retranslate(self) -> None:
        self.model.retranslate()
