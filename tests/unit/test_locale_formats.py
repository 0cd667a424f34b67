"""Dates, times and money in each language's form, from the one module (app/formatting.py),
and the places that show them: the timeline, the monthly report's texts, the settings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from app import formatting
from app.db import Database
from app.errors import ValidationError
from app.formatting import (
    compact_date,
    compact_datetime,
    format_money,
    set_currency_symbol,
    short_date,
    short_datetime,
)
from app.i18n import set_language
from app.reports.texts import ReportTexts
from app.services.desk_setup import desk_info
from app.settings import put
from app.timeline import describe

AT = datetime(2026, 3, 5, 9, 7)


@pytest.fixture(autouse=True)
def desk_currency() -> Iterator[None]:
    yield
    set_currency_symbol(None)


def test_short_dates_chinese_iso_english_day_month_year() -> None:
    assert short_date(AT.date(), "zh-Hans") == "2026-03-05"
    assert short_date(AT.date(), "zh-Hant") == "2026-03-05"
    # Day first with the month's name: "03-05" would be 3 May in Hong Kong or Singapore.
    assert short_date(AT.date(), "en") == "5 Mar 2026"
    assert short_datetime(AT, "zh-Hans") == "2026-03-05 09:07"
    assert short_datetime(AT, "en") == "5 Mar 2026 09:07"
    assert short_date(None) == short_datetime(None) == ""


def test_compact_forms_drop_only_the_current_year() -> None:
    assert compact_datetime(AT, 2026, "zh-Hant") == "03-05 09:07"
    assert compact_datetime(AT, 2026, "en") == "5 Mar 09:07"
    assert compact_datetime(AT, 2027, "en") == "5 Mar 2026 09:07"
    assert compact_date(date(2025, 12, 31), 2026, "zh-Hans") == "2025-12-31"
    set_language("zh-Hans")
    assert compact_date(AT.date(), 2026) == "03-05"  # the current language by default


def test_money_carries_the_desks_symbol() -> None:
    assert format_money(123450) == "¥1,234.50"  # the default
    assert format_money(-500) == "-¥5.00"
    assert format_money(0, "HK$") == "HK$0.00"
    assert format_money(None) == ""
    set_currency_symbol("NT$")
    assert format_money(99) == "NT$0.99"
    assert formatting.currency_symbol() == "NT$"


def test_the_currency_symbol_is_a_setting(db: Database) -> None:
    assert desk_info(db).currency_symbol == "¥"
    with db.write() as session:
        assert put(session, "currency_symbol", " HK$ ") == "HK$"
        with pytest.raises(ValidationError) as refused:
            put(session, "currency_symbol", "HONG KONG DOLLARS")
    assert refused.value.field == "currency_symbol"
    assert desk_info(db).currency_symbol == "HK$"


def test_timeline_shows_stored_dates_and_amounts_in_the_readers_form() -> None:
    set_currency_symbol("HK$")
    set_language("en")
    assert describe("revisit_scheduled", {"date": "2026-03-13"}) == \
        "Revisit scheduled for 13 Mar 2026"
    assert describe("approval_requested", {"amount": "800.00", "threshold": "500.00"}) == \
        "Approval requested (amount HK$800.00 over HK$500.00)"
    assert describe("solution_proposed", {"types": ["refund"], "amount": "0.00"}) == \
        "Solution proposed: Refund"  # no amount: no "(HK$0.00)"
    set_language("zh-Hant")
    assert "2026-03-13" in describe("revisit_scheduled", {"date": "2026-03-13"})


def test_report_texts_use_the_same_forms() -> None:
    en, zh = ReportTexts("en", "S$"), ReportTexts("zh-Hans", "¥")
    assert en.day(AT) == "5 Mar 2026" and zh.day(AT) == "2026-03-05"
    assert en.minute_in(AT, 2026) == "5 Mar 09:07" and zh.minute_in(AT, 2026) == "03-05 09:07"
    assert en.money(1234.5) == "S$1,234.50" and zh.money(0) == "¥0.00"


def test_chart_months_are_1yue_to_12yue_with_the_year_where_it_changes() -> None:
    from app.reports.texts import ReportTexts

    months = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    assert ReportTexts("zh-Hans").short_months(months) == [
        "2025年11月", "12月", "2026年1月", "2月", "3月"]
    assert ReportTexts("zh-Hant").short_months(months)[1:] == ["12月", "2026年1月", "2月", "3月"]
    assert ReportTexts("en").short_months(months) == [
        "Nov 25", "Dec 25", "Jan 26", "Feb 26", "Mar 26"]
