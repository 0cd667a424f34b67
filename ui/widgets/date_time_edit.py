"""A date-and-time field that takes a date typed the way it is written."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateTimeEdit, QWidget


class DateTimeEdit(QDateTimeEdit):
    """A date and time typed as people type one: "2026-12-06 14:30" (the intake's received
    time, the panel's own due time).

    Tab leaves the field (Qt's default walks its year, month, day ... sections first). Qt
    moves to the next section through focusNextPrevChild when a separator is typed, so only
    the Tab key is taken here (overriding focusNextPrevChild sent the cursor out of the field
    at the first "-", and the rest of the date picked items of the next pick list). And Qt
    moves on by itself once a section is full ("2026" -> the month): the separator typed next
    would skip the month ("2026-12-06 14:30" became 2026-12-12 06:14), so it is taken as the
    one already passed."""

    SEPARATORS = frozenset("-/.: ")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._moved_on = False  # Qt went to the next section after the last digit typed

    def event(self, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress:
            return super().event(event)
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                | Qt.KeyboardModifier.AltModifier):
            self._moved_on = False
            return super().event(event)
        if event.key() == Qt.Key.Key_Backtab or (
                event.key() == Qt.Key.Key_Tab
                and event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self._moved_on = False
            return QWidget.focusNextPrevChild(self, False)
        if event.key() == Qt.Key.Key_Tab:
            self._moved_on = False
            return QWidget.focusNextPrevChild(self, True)
        text = event.text()
        if text and text in self.SEPARATORS and self._moved_on:
            self._moved_on = False
            return True
        section = self.currentSection()
        handled = super().event(event)
        self._moved_on = text.isdigit() and self.currentSection() != section
        return handled
