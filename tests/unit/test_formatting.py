"""Dates, lists and shortened texts as each language writes them."""

from __future__ import annotations

from datetime import date, datetime

from app.formatting import format_date, format_datetime, join_list, shorten, text_width
from app.i18n import set_language


def test_dates_follow_the_language_not_the_system_locale() -> None:
    at = datetime(2026, 11, 3, 9, 5)
    assert format_datetime(at, "zh-Hans") == "2026年11月3日 09:05"
    assert format_datetime(at, "zh-Hant") == "2026年11月3日 09:05"
    assert format_datetime(at, "en") == "3 Nov 2026 09:05"
    assert format_date(date(2026, 1, 31), "en") == "31 Jan 2026"
    assert format_datetime(None) == ""
    set_language("zh-Hans")
    assert format_date(date(2026, 1, 31)) == "2026年1月31日"


def test_lists_use_the_chinese_enumeration_comma() -> None:
    assert join_list(["退款", "道歉"], "zh-Hans") == "退款、道歉"
    assert join_list(["Refund", "", "Apology"], "en") == "Refund, Apology"


def test_short_text_is_kept_on_one_line() -> None:
    assert shorten("冰箱\n坏了  请处理", 40) == "冰箱 坏了 请处理"


def test_long_chinese_text_is_cut_within_the_width_with_an_ellipsis() -> None:
    text = "顾客反映冰箱无法制冷，商户拒绝退换。" * 20
    for width in (30, 44, 60, 333):
        short = shorten(text, width)
        assert short.endswith("…")
        assert text_width(short) <= width
        assert text.startswith(short[:-1].rstrip("，"))
    # Cut after a sentence, else after a clause, when one ends in the last third of the room.
    assert shorten(text, 44) == "顾客反映冰箱无法制冷，商户拒绝退换。…"
    assert shorten(text, 60) == "顾客反映冰箱无法制冷，商户拒绝退换。顾客反映冰箱无法制冷…"


def test_english_is_cut_between_words() -> None:
    text = "The customer bought a refrigerator that does not cool at all " * 5
    short = shorten(text, 50)
    assert short.endswith("…") and text_width(short) <= 50
    assert short[:-1].split(" ")[-1] in text.split(" ")  # the last word is whole
