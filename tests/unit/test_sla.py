"""The SLA clock: due times in opening hours, holidays, pauses, overdue."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from app.sla import (
    CALENDAR,
    PROFILE_HOURS,
    OpeningHours,
    SlaPolicy,
    add_open_hours,
    due_times,
    is_overdue,
    open_hours_between,
    revisit_date,
)

MALL = PROFILE_HOURS["mall"]  # 10:00-22:00 every day
SALON = PROFILE_HOURS["salon"]  # closed Mondays, 10:00-21:00


def test_calendar_hours_for_each_severity() -> None:
    t = datetime(2026, 3, 10, 15, 30)
    assert due_times(t, "urgent", SlaPolicy()) == (datetime(2026, 3, 10, 16, 30),
                                                   datetime(2026, 3, 11, 15, 30))
    assert due_times(t, "serious", SlaPolicy())[1] == datetime(2026, 3, 13, 15, 30)
    assert due_times(t, "normal", SlaPolicy())[0] == datetime(2026, 3, 11, 15, 30)
    assert due_times(t, "minor", SlaPolicy())[1] == datetime(2026, 3, 24, 15, 30)


def test_opening_hours_carry_over_to_next_day() -> None:
    # 4 opening hours from 20:00: 2 today, 2 tomorrow from 10:00.
    assert add_open_hours(datetime(2026, 3, 10, 20, 0), 4, MALL) == datetime(2026, 3, 11, 12, 0)
    # Received after closing: the clock starts at the next opening.
    assert add_open_hours(datetime(2026, 3, 10, 23, 0), 1, MALL) == datetime(2026, 3, 11, 11, 0)
    # 24 opening hours = two 12-hour days.
    assert add_open_hours(datetime(2026, 3, 10, 10, 0), 24, MALL) == datetime(2026, 3, 11, 22, 0)


def test_closed_weekday_and_holidays_are_skipped() -> None:
    sunday_evening = datetime(2026, 3, 8, 20, 0)  # 2026-03-08 is a Sunday
    assert add_open_hours(sunday_evening, 2, SALON) == datetime(2026, 3, 10, 11, 0)
    hours = OpeningHours(always_open=False, days=MALL.days,
                         holidays=frozenset({date(2026, 3, 11)}))
    assert add_open_hours(datetime(2026, 3, 10, 21, 0), 2, hours) == datetime(2026, 3, 12, 11, 0)


def test_open_hours_between_matches_adding() -> None:
    start = datetime(2026, 3, 7, 18, 30)
    for h in (0.5, 3, 11, 30, 100):
        end = add_open_hours(start, h, SALON)
        assert open_hours_between(start, end, SALON) == pytest.approx(h)
    assert open_hours_between(start, start, CALENDAR) == 0


def test_no_opening_day_refused_not_looping() -> None:
    never = OpeningHours(always_open=False, days=(None,) * 7)
    with pytest.raises(ValueError):
        add_open_hours(datetime(2026, 1, 1), 1, never)


def test_overdue_rules() -> None:
    due = datetime(2026, 3, 10, 12, 0)
    after = datetime(2026, 3, 10, 12, 1)
    assert is_overdue("investigating", due, after)
    assert not is_overdue("investigating", due, due)
    assert not is_overdue("follow_up", due, after)
    assert not is_overdue("closed", due, after)
    assert not is_overdue("new", None, after)
    # Waiting on the customer: the clock stands still at the pause, so a pause before the
    # due time is not overdue however long it lasts ...
    assert not is_overdue("proposed", due, after, paused_since=datetime(2026, 3, 10, 11, 0))
    assert not is_overdue("proposed", due, datetime(2026, 4, 1), paused_since=due)
    # ... but a pause after it does not hide the missed time.
    assert is_overdue("proposed", due, after, paused_since=datetime(2026, 3, 10, 12, 0, 30))


def test_revisit_date_by_severity() -> None:
    t = datetime(2026, 3, 10, 23, 0)
    assert revisit_date(t, "urgent", SlaPolicy()) == date(2026, 3, 11)
    assert revisit_date(t, "normal", SlaPolicy()) == date(2026, 3, 17)


def test_unknown_severity_refused() -> None:
    with pytest.raises(ValueError):
        due_times(datetime(2026, 3, 10), "apocalyptic", SlaPolicy())


def test_time_type_used() -> None:
    assert MALL.days[0] == (time(10), time(22))
