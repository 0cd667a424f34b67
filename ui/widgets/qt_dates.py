"""Python dates and times to Qt's and back, typed (PySide6's stubs accept neither `date` in
QDate's constructor nor give `toPython()` a type). Naive local times, as the program keeps."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QTime


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def qdatetime(value: datetime) -> QDateTime:
    return QDateTime(qdate(value), QTime(value.hour, value.minute, value.second))


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def to_datetime(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second())
