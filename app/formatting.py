"""Dates, times, money and lists written the way each language writes them: the one place
that formats them for the window, the slips, the reports and the command line.

Pure functions on the current language (`app.i18n.get_language`) unless one is passed. Not
the system locale: a counter PC set to English still prints a Chinese slip the Chinese way.

- long dates (slips, sentences): 2026年3月10日 / 10 Mar 2026 (`format_date`, `format_datetime`)
- short dates (tables, lists): 2026-03-10 / 10 Mar 2026 (`short_date`, `short_datetime`)
- compact (this year, where room is scarce): 03-10 14:05 / 10 Mar 14:05 (`compact_datetime`)
- money: ¥1,234.50 with the desk's currency symbol (setting `currency_symbol`; a language
  cannot tell ¥ from HK$ or NT$), `format_money`.
English day-first with a month name: "03-10" would read as 3 October in Singapore or Hong Kong.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from app.i18n import get_language, ngettext
from app.money import format_money as _plain_money

DEFAULT_CURRENCY = "¥"
_currency = DEFAULT_CURRENCY

# English month abbreviations are not translations (Chinese uses numbers), so not in catalogs.
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _is_chinese(lang: str | None) -> bool:
    return (lang or get_language()).startswith("zh")


def format_date(value: date | None, lang: str | None = None) -> str:
    """2026年11月23日 in Chinese, 23 Nov 2026 in English; "" for None."""
    if value is None:
        return ""
    if _is_chinese(lang):
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: datetime | None, lang: str | None = None) -> str:
    """2026年11月23日 14:05 in Chinese, 23 Nov 2026 14:05 in English; "" for None."""
    if value is None:
        return ""
    return f"{format_date(value, lang)} {value:%H:%M}"


def short_date(value: date | None, lang: str | None = None) -> str:
    """2026-03-10 in Chinese, 10 Mar 2026 in English; "" for None."""
    if value is None:
        return ""
    if _is_chinese(lang):
        return f"{value:%Y-%m-%d}"
    return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"


def short_datetime(value: datetime | None, lang: str | None = None) -> str:
    """2026-03-10 14:05 in Chinese, 10 Mar 2026 14:05 in English; "" for None."""
    if value is None:
        return ""
    return f"{short_date(value, lang)} {value:%H:%M}"


def compact_date(value: date | None, this_year: int, lang: str | None = None) -> str:
    """03-10 / 10 Mar within `this_year`, the short date otherwise; "" for None."""
    if value is None:
        return ""
    if value.year != this_year:
        return short_date(value, lang)
    if _is_chinese(lang):
        return f"{value:%m-%d}"
    return f"{value.day} {_EN_MONTHS[value.month - 1]}"


def compact_datetime(value: datetime | None, this_year: int, lang: str | None = None) -> str:
    """03-10 14:05 / 10 Mar 14:05 within `this_year`, the short form otherwise."""
    if value is None:
        return ""
    return f"{compact_date(value, this_year, lang)} {value:%H:%M}"


def complaint_count(n: int) -> str:
    """"1 complaint", "2 complaints", "3 件投诉": a number of complaints, to put in a sentence."""
    return ngettext("{count} complaint", "{count} complaints", n, count=n)


def attachment_count(n: int) -> str:
    return ngettext("{count} attachment", "{count} attachments", n, count=n)


def set_currency_symbol(symbol: str | None) -> None:
    """The desk's currency symbol (its `currency_symbol` setting), used by `format_money`."""
    global _currency
    _currency = DEFAULT_CURRENCY if symbol is None else symbol.strip()


def currency_symbol() -> str:
    return _currency


def format_money(cents: int | None, symbol: str | None = None) -> str:
    """¥1,234.50 (-¥5.00 below zero) with `symbol`, else the desk's; "" for None.

    Chinese and English group digits the same way; input fields keep the bare number
    (app/money.py), this is for showing an amount."""
    if cents is None:
        return ""
    plain = _plain_money(abs(int(cents)))
    sign = "-" if cents < 0 else ""
    return f"{sign}{_currency if symbol is None else symbol}{plain}"


def join_list(items: Iterable[str], lang: str | None = None) -> str:
    """Items of an enumeration: 退款、道歉 in Chinese, Refund, Apology in English."""
    return ("、" if _is_chinese(lang) else ", ").join(i for i in items if i)


def text_width(text: str) -> int:
    """Display columns: a hanzi or full-width character counts 2, anything else 1."""
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


# Where a shortened text may end without looking cut mid-thought.
_SENTENCE_ENDS = "。！？；.!?;"
_CLAUSE_ENDS = "，、, "


def shorten(text: str, width: int) -> str:
    """`text` on one line, cut to at most `width` display columns with an ellipsis.

    Runs of whitespace (newlines too) become one space. The cut goes back to the end of a
    sentence, else of a clause or a word, when one lies in the last third of the room, so
    that a word or a phrase is not split needlessly.
    """
    flat = " ".join(text.split())
    if text_width(flat) <= width:
        return flat
    room = width - 2  # "…" takes up to two columns
    kept, used = [], 0
    for ch in flat:
        used += text_width(ch)
        if used > room:
            break
        kept.append(ch)
    cut = "".join(kept)
    floor = len(cut) * 2 // 3
    for marks in (_SENTENCE_ENDS, _CLAUSE_ENDS):
        at = max(cut.rfind(m) for m in marks)
        if at >= floor:
            cut = cut[: at + 1]
            break
    return cut.rstrip(" ,，、") + "…"
