"""A date and time that may be unknown, shown as "—" (e.g. when an imported complaint's
incident happened: the file did not say). Typed as written and left by Tab, as the intake's
times are (ui/widgets/date_time_edit.py)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

from app import clock
from ui.widgets.date_time_edit import DateTimeEdit
from ui.widgets.qt_dates import qdate, qdatetime, to_datetime

UNKNOWN = QDateTime(QDate(2000, 1, 1), QTime(0, 0))  # shown as "—"; the program's dates are later
FORMAT = "yyyy-MM-dd HH:mm"


class OptionalTimeEdit(DateTimeEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(FORMAT)
        self.setCalendarPopup(True)
        self.setMinimumDateTime(UNKNOWN)
        self.setSpecialValueText("—")
        self.setDateTime(UNKNOWN)

    def value(self) -> datetime | None:
        if self.dateTime() == UNKNOWN:
            return None
        return to_datetime(self.dateTime()).replace(second=0)

    def set_value(self, value: datetime | None) -> None:
        self.setDateTime(UNKNOWN if value is None else qdatetime(value))

    def text_value(self) -> str:
        """"" when unknown, else the minute as the services read it."""
        value = self.value()
        return "" if value is None else value.strftime("%Y-%m-%d %H:%M")

    def set_text_value(self, text: str) -> None:
        self.set_value(datetime.strptime(text, "%Y-%m-%d %H:%M") if text else None)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        # An unknown time's calendar opens at today, not in 2000.
        super().mousePressEvent(event)
        if self.dateTime() == UNKNOWN and self.calendarWidget() is not None:
            today = qdate(clock.now().date())
            self.calendarWidget().setCurrentPage(today.year(), today.month())
