"""Form rows: label, field, and the field's own error line under it (red text, red border).

Labels of data fields come from app.codes.FIELD_LABELS (one source with the error messages);
one or two fields per row, so that short pick lists can share a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from app.codes import field_label
from app.i18n import _

ERROR_COLOUR = "#c62828"
KEY_COLOUR = "#6b6b6b"  # a field's shortcut after its label: there, but quieter than the label
INVALID_STYLE = (
    f"QLineEdit[invalid=\"true\"], QPlainTextEdit[invalid=\"true\"], "
    f"QComboBox[invalid=\"true\"], QDateTimeEdit[invalid=\"true\"], "
    f"QListWidget[invalid=\"true\"] {{ border: 2px solid {ERROR_COLOUR}; border-radius: 3px; }}"
)


@dataclass
class Row:
    field: str
    label: QLabel
    widget: QWidget
    error: QLabel
    msgid: str | None  # label text when the field has no FIELD_LABELS entry
    key: str = ""  # the field's own shortcut, shown after its label (a field out of the Tab order)


class FieldGrid(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.rows: dict[str, Row] = {}
        self.headings: list[tuple[QLabel, str]] = []
        self._next = 0

    def _row(self, field: str, widget: QWidget, msgid: str | None) -> Row:
        label = QLabel()
        label.setBuddy(widget)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        error = QLabel()
        error.setWordWrap(True)
        error.setStyleSheet(f"color: {ERROR_COLOUR};")
        error.hide()
        row = Row(field, label, widget, error, msgid)
        self.rows[field] = row
        return row

    def add(self, field: str, widget: QWidget, msgid: str | None = None,
            top_label: bool = False) -> Row:
        """One field across the whole width."""
        row = self._row(field, widget, msgid)
        r = self._next
        if top_label:
            row.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            row.label.setContentsMargins(0, 4, 0, 0)
        self.grid.addWidget(row.label, r, 0)
        self.grid.addWidget(widget, r, 1, 1, 3)
        self.grid.addWidget(row.error, r + 1, 1, 1, 3)
        self._next += 2
        return row

    def add_pair(self, first: tuple[str, QWidget], second: tuple[str, QWidget]) -> None:
        """Two short fields side by side; each keeps its own error line."""
        r = self._next
        a = self._row(first[0], first[1], None)
        b = self._row(second[0], second[1], None)
        self.grid.addWidget(a.label, r, 0)
        self.grid.addWidget(a.widget, r, 1)
        self.grid.addWidget(b.label, r, 2)
        self.grid.addWidget(b.widget, r, 3)
        self.grid.addWidget(a.error, r + 1, 1)
        self.grid.addWidget(b.error, r + 1, 3)
        self._next += 2

    def add_heading(self, msgid: str) -> QLabel:
        """A bold section title across the grid (a little space above it)."""
        heading = QLabel()
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        heading.setContentsMargins(0, 6 if self._next else 0, 0, 2)
        self.grid.addWidget(heading, self._next, 0, 1, 4)
        self.headings.append((heading, msgid))
        self._next += 1
        return heading

    def add_widget(self, widget: QWidget) -> None:
        """A line without a label (a badge, a note) under the field column."""
        self.grid.addWidget(widget, self._next, 1, 1, 3)
        self._next += 1

    def set_error(self, field: str, text: str | None) -> None:
        row = self.rows.get(field)
        if row is None:
            return
        row.error.setText(text or "")
        row.error.setVisible(bool(text))
        mark_invalid(row.widget, bool(text))

    def set_key(self, field: str, key: str) -> None:
        """Show the field's own shortcut after its label and in its tooltip."""
        row = self.rows[field]
        row.key = key
        row.widget.setToolTip(key)
        self._label(row)

    def retranslate(self) -> None:
        for heading, msgid in self.headings:
            heading.setText(_(msgid))
        for row in self.rows.values():
            self._label(row)

    def _label(self, row: Row) -> None:
        text = _(row.msgid) if row.msgid else field_label(row.field)
        if row.key:
            row.label.setTextFormat(Qt.TextFormat.RichText)
            text = f'{escape(text)} <span style="color: {KEY_COLOUR};">{escape(row.key)}</span>'
        row.label.setText(text)


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Red border through the INVALID_STYLE sheet (re-polished so it shows at once)."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()
