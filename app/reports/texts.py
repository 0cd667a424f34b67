"""Texts of a printed page in a language chosen for that page, not the screen's.

A report may be printed in 繁體中文 while the window shows 简体中文, and it is built on a
worker thread: switching the global language for it would change the screen under the user.
So a report translates through an explicit language (`ReportTexts(lang)._("...")`); the
extractor finds these msgids like any other `_()` call.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app import codes
from app.formatting import compact_datetime, format_money, short_date, short_datetime
from app.i18n import N_, normalise_language, translate, translate_plural

MONTH_NAMES = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
)


class ReportTexts:
    """Translation, code labels and number/date/money formats for one language (and the
    desk's currency symbol: None means the one app.formatting holds)."""

    def __init__(self, lang: str, currency: str | None = None) -> None:
        self.lang = normalise_language(lang)
        self.chinese = self.lang != "en"
        self.currency = currency

    def _(self, msgid: str, **params: Any) -> str:
        text = translate(msgid, self.lang)
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> str:
        """Like `app.i18n.ngettext`, in this report's language."""
        text = translate_plural(singular, plural, n, self.lang)
        return text.format(**params) if params else text

    def pgettext(self, context: str, msgid: str, **params: Any) -> str:
        text = translate(msgid, self.lang, context=context)
        return text.format(**params) if params else text

    def label(self, kind: str, code: str | None) -> str:
        """Like `app.codes.label`, in this report's language."""
        if code is None:
            return ""
        # codes._LABELS is the one table of code labels; read it rather than copy it.
        msgid = codes._LABELS.get(kind, {}).get(code)
        return self._(msgid) if msgid else code

    def field(self, name: str) -> str:
        """Like `app.i18n.field_label`, in this report's language."""
        return self._(codes.FIELD_LABELS.get(name, name))

    def month(self, month: str) -> str:
        """"2026-03" → "March 2026" / "2026年3月"."""
        year, mon = (int(x) for x in month.split("-"))
        return self._("{month} {year}", month=self._(MONTH_NAMES[mon - 1]), year=year)

    def short_month(self, month: str, with_year: bool = True) -> str:
        """Axis label of a trend chart: "2026-03" → "Mar 26" / "2026年3月" (`with_year`), or
        "3月" (Chinese without the year; English keeps its short year)."""
        year, mon = (int(x) for x in month.split("-"))
        if self.chinese:
            return f"{year}年{mon}月" if with_year else f"{mon}月"
        return f"{self._(MONTH_NAMES[mon - 1])[:3]} {year % 100:02d}"

    def short_months(self, months: list[str]) -> list[str]:
        """Labels of consecutive months: 1月…12月 in Chinese, the year named on the first
        label and at each January, where it changes."""
        return [self.short_month(m, with_year=i == 0 or m.endswith("-01"))
                for i, m in enumerate(months)]

    def day(self, value: date | datetime | None) -> str:
        """2026-03-10 / 10 Mar 2026 (app/formatting.py)."""
        if isinstance(value, datetime):
            value = value.date()
        return short_date(value, self.lang)

    def minute(self, value: datetime | None) -> str:
        return short_datetime(value, self.lang)

    def minute_in(self, value: datetime | None, year: int) -> str:
        """03-02 09:00 / 2 Mar 09:00: without the year when it is `year` (tables of a month)."""
        return compact_datetime(value, year, self.lang)

    def money(self, amount: float | None) -> str:
        """¥1,234.50: an amount in yuan (or dollars) with the desk's symbol."""
        return "" if amount is None else format_money(round(amount * 100), self.currency)

    @staticmethod
    def number(value: float | int | None, digits: int = 0) -> str:
        if value is None:
            return "—"
        if digits == 0:
            return f"{int(round(value)):,}"
        return f"{value:,.{digits}f}"
