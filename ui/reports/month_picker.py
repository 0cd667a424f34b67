"""Choosing a month (the last three years, newest first) and a report language."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from app import clock
from app.i18n import LANGUAGE_NAMES, LANGUAGES, get_language
from app.reports.texts import ReportTexts

MONTHS_BACK = 36
# Each language is offered in its own script, whatever the screen's language is.


def recent_months(count: int = MONTHS_BACK) -> list[str]:
    today = clock.now().date()
    year, month = today.year, today.month
    out = []
    for _i in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out


class MonthCombo(QComboBox):
    """Months as "2026年3月" / "March 2026"; the data of each item is "YYYY-MM"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        months = recent_months()
        for m in months:
            self.addItem(m, m)
        # The usual report is the month that just ended.
        self.setCurrentIndex(1 if len(months) > 1 else 0)
        self.retranslate()

    def month(self) -> str:
        return str(self.currentData())

    def set_month(self, month: str) -> None:
        index = self.findData(month)
        if index < 0:
            self.insertItem(0, month, month)
            index = 0
            self.retranslate()
        self.setCurrentIndex(index)

    def retranslate(self) -> None:
        tx = ReportTexts(get_language())
        for i in range(self.count()):
            self.setItemText(i, tx.month(str(self.itemData(i))))


class LanguageCombo(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for code in LANGUAGES:
            self.addItem(LANGUAGE_NAMES[code], code)
        self.setCurrentIndex(self.findData(get_language()))

    def language(self) -> str:
        return str(self.currentData())

    def set_language(self, lang: str) -> None:
        self.setCurrentIndex(max(0, self.findData(lang)))
