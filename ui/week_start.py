"""Calendars start the week on Monday for Chinese, as desks in China, Hong Kong and Taiwan
plan their week (Qt's zh_TW and zh_HK locales would start on Sunday); English keeps its
locale's first day.

An application-wide event filter sets the first day on every QCalendarWidget when it is
polished, including the pop-up calendars QDateEdit makes on first use, and `apply` updates
the calendars already shown when the language changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, QObject, Qt
from PySide6.QtWidgets import QApplication, QCalendarWidget


class _WeekStart(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.first_day: Qt.DayOfWeek | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (self.first_day is not None and event.type() == QEvent.Type.Polish
                and isinstance(watched, QCalendarWidget)):
            watched.setFirstDayOfWeek(self.first_day)
        return False


_filter: _WeekStart | None = None


def first_day_for(lang: str) -> Qt.DayOfWeek:
    if lang.startswith("zh"):
        return Qt.DayOfWeek.Monday
    return QLocale().firstDayOfWeek()


def apply(app: QApplication, lang: str) -> Qt.DayOfWeek:
    """Make `lang`'s first day of the week that of every calendar, now and later."""
    global _filter
    if _filter is None or _filter.parent() is not app:
        _filter = _WeekStart(app)
        app.installEventFilter(_filter)
    _filter.first_day = first_day_for(lang)
    for widget in app.allWidgets():
        if isinstance(widget, QCalendarWidget):
            widget.setFirstDayOfWeek(_filter.first_day)
    return _filter.first_day
