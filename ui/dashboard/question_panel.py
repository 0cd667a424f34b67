"""The dashboard's questionnaire panel: each question's average this month and last month
(month_stats' by_question), in the order the revisit asks them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from app.i18n import _, ngettext
from app.reports.texts import ReportTexts
from app.services.questionnaire import QuestionAverage

MUTED = "color: #666666;"


class QuestionPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: 600;")
        self.grid = QGridLayout()
        self.grid.setColumnStretch(0, 1)
        self.grid.setHorizontalSpacing(10)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        self.cells: list[QLabel] = []
        self.lines: list[QuestionAverage] = []
        self.months: tuple[str, str] = ("", "")

    def show_lines(self, lines: Sequence[QuestionAverage], months: tuple[str, str]) -> None:
        """`months`: the two months' names (this one, the one before)."""
        self.lines, self.months = list(lines), months
        self.retranslate()

    def _cell(self, text: str, row: int, column: int, style: str = "",
              tooltip: str = "") -> QLabel:
        cell = QLabel(text)
        if column:
            cell.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        else:
            cell.setWordWrap(True)
        cell.setStyleSheet(style)
        cell.setToolTip(tooltip)
        self.grid.addWidget(cell, row, column)
        self.cells.append(cell)
        return cell

    def retranslate(self) -> None:
        for cell in self.cells:
            self.grid.removeWidget(cell)
            cell.hide()  # at once: deleteLater waits for the event loop
            cell.setParent(None)
            cell.deleteLater()
        self.cells = []
        self.heading.setText(_("Questionnaire (average 1–5)"))
        shown = [line for line in self.lines if line.asked or line.answers]
        if not shown:
            self._cell(_("No questionnaire is asked at revisits."), 0, 0, MUTED)
            return
        self._cell("", 0, 0)
        self._cell(self.months[0], 0, 1, MUTED)
        self._cell(self.months[1], 0, 2, MUTED)
        for row, line in enumerate(shown, start=1):
            style = "" if line.asked else MUTED
            note = "" if line.asked else _("no longer asked in these words")
            self._cell(line.label(), row, 0, style, note)
            this = ("—" if line.average is None else
                    _("{average} ({count})", average=ReportTexts.number(line.average, 2),
                      count=line.answers))
            self._cell(this, row, 1, style, ngettext(
                "{count} answer this month", "{count} answers this month", line.answers,
                count=line.answers))
            self._cell(ReportTexts.number(line.previous_average, 2), row, 2, style)
