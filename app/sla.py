"""The SLA clock: due times from severity, counted in opening hours, pauses, and overdue.

Pure Python, no database (part of the rules layer, app/rules/__init__.py): settings are
passed in as an `SlaPolicy`. Pauses are counted in whole minutes of opening hours, and the
due time moves on by exactly those minutes, so that a due time can be computed again from
the received time, the severity and the minutes paused (`assessed_due_times`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from app.codes import SEVERITIES
from app.rules.stages import UNRESOLVED_STAGES


@dataclass(frozen=True)
class SlaTerms:
    first_contact_hours: float
    resolve_hours: float
    revisit_days: int


DEFAULT_TERMS: dict[str, SlaTerms] = {
    "urgent": SlaTerms(1, 24, 1),
    "serious": SlaTerms(4, 72, 3),
    "normal": SlaTerms(24, 168, 7),
    "minor": SlaTerms(48, 336, 14),
}


@dataclass(frozen=True)
class OpeningHours:
    """Opening hours per weekday (0 = Monday; None = closed) and holidays.

    `always_open` (hotels, or calendar hours) makes every hour count.
    """

    always_open: bool = True
    days: tuple[tuple[time, time] | None, ...] = ((time(10), time(22)),) * 7
    holidays: frozenset[date] = field(default_factory=frozenset)

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        if day in self.holidays:
            return None
        hours = self.days[day.weekday()]
        if hours is None:
            return None
        return datetime.combine(day, hours[0]), datetime.combine(day, hours[1])

    def is_open_some_day(self) -> bool:
        return self.always_open or any(d is not None for d in self.days)


CALENDAR = OpeningHours(always_open=True)
PROFILE_HOURS = {
    "mall": OpeningHours(always_open=False, days=((time(10), time(22)),) * 7),
    "salon": OpeningHours(always_open=False, days=(None,) + ((time(10), time(21)),) * 6),
    "hotel": CALENDAR,
}


def profile_hours_setting(profile: str) -> list[list[str] | None] | None:
    """A profile's opening hours as the `opening_hours` setting holds them (None: around the
    clock; else seven days, Monday first, ["10:00", "22:00"] or None for a closed day)."""
    hours = PROFILE_HOURS[profile]
    if hours.always_open:
        return None
    return [[f"{d[0]:%H:%M}", f"{d[1]:%H:%M}"] if d else None for d in hours.days]


# Share of the usual time limits a customer tier gets, in percent (hotel 6.1: core customers
# are answered and helped in half the time). A tier not listed gets 100.
DEFAULT_TIER_PERCENT: dict[str, int] = {"core": 50, "key": 100, "ordinary": 100,
                                        "potential": 100}


@dataclass(frozen=True)
class SlaPolicy:
    terms: dict[str, SlaTerms] = field(default_factory=lambda: dict(DEFAULT_TERMS))
    hours: OpeningHours = CALENDAR
    tier_percent: Mapping[str, int] = field(default_factory=dict)  # {}: every tier 100

    def for_severity(self, severity: str) -> SlaTerms:
        if severity not in SEVERITIES:
            raise ValueError(severity)
        return self.terms[severity]

    def percent(self, tier: str | None) -> int:
        """The share of the usual time limits the customer's tier gets (100: the usual)."""
        return int(self.tier_percent.get(tier or "ordinary", 100))


_MAX_DAYS_SEARCHED = 3660  # a policy with no open day at all must not loop forever


def add_open_hours(start: datetime, hours: float, opening: OpeningHours) -> datetime:
    """The time `hours` opening hours after `start` (calendar hours when always open)."""
    return add_open_time(start, timedelta(hours=hours), opening)


def add_open_time(start: datetime, span: timedelta, opening: OpeningHours) -> datetime:
    """The time `span` of opening hours after `start` (exact: timedelta arithmetic, so adding
    a then b is adding a + b)."""
    remaining = span
    if opening.always_open:
        return start + remaining
    if not opening.is_open_some_day():
        raise ValueError("no opening hours")
    cursor = start
    for _ in range(_MAX_DAYS_SEARCHED):
        window = opening.window(cursor.date())
        if window is not None:
            begin, end = window
            if cursor < begin:
                cursor = begin
            if cursor < end:
                available = end - cursor
                if remaining <= available:
                    return cursor + remaining
                remaining -= available
        cursor = datetime.combine(cursor.date() + timedelta(days=1), time(0))
    raise ValueError("opening hours too sparse")


def open_hours_between(start: datetime, end: datetime, opening: OpeningHours) -> float:
    """How many opening hours lie between two times (0 if end <= start)."""
    if end <= start:
        return 0.0
    if opening.always_open:
        return (end - start).total_seconds() / 3600
    total = timedelta()
    day = start.date()
    while day <= end.date():
        window = opening.window(day)
        if window is not None:
            lo, hi = max(window[0], start), min(window[1], end)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total.total_seconds() / 3600


def _limit(hours: float, percent: int) -> timedelta:
    """A time limit given the tier's share: whole minutes when shortened or lengthened (a
    due time never carries stray seconds), the limit itself at 100%."""
    if percent == 100:
        return timedelta(hours=hours)
    return timedelta(minutes=round(hours * 60 * percent / 100))


def due_limits(severity: str, policy: SlaPolicy, tier: str | None = None,
               ) -> tuple[timedelta, timedelta]:
    """The opening time allowed to first contact and to resolve a complaint of `severity`
    from a customer of `tier`: what due_times adds to the received time. Bulk paths work
    them out once per severity and tier."""
    terms = policy.for_severity(severity)
    percent = policy.percent(tier)
    return _limit(terms.first_contact_hours, percent), _limit(terms.resolve_hours, percent)


def due_times(received_at: datetime, severity: str, policy: SlaPolicy,
              tier: str | None = None) -> tuple[datetime, datetime]:
    """(first contact due, resolution due) for a complaint received at `received_at` from a
    customer of `tier` (its share of the time limits, `SlaPolicy.tier_percent`)."""
    first, resolve = due_limits(severity, policy, tier)
    return (add_open_time(received_at, first, policy.hours),
            add_open_time(received_at, resolve, policy.hours))


def paused_minutes(since: datetime, until: datetime, policy: SlaPolicy) -> int:
    """Whole minutes of opening hours the clock stood still from `since` to `until`."""
    return int(open_hours_between(since, until, policy.hours) * 60)


def extend_due(due_at: datetime, minutes: int, policy: SlaPolicy) -> datetime:
    """The due time moved on by `minutes` of opening hours (a pause that has ended)."""
    return add_open_time(due_at, timedelta(minutes=minutes), policy.hours) if minutes \
        else due_at


def assessed_due_times(received_at: datetime, severity: str, policy: SlaPolicy,
                       minutes_paused: int, tier: str | None = None
                       ) -> tuple[datetime, datetime]:
    """(first contact due, resolution due) when a complaint is (re)assessed: the SLA's times
    from the received time (for the customer's tier), the resolution due time moved on by the
    pauses already counted (a running pause is added when it ends). Re-saving an unchanged
    assessment after a pause therefore keeps the due time the pause gave it."""
    first_due, due = due_times(received_at, severity, policy, tier)
    return first_due, extend_due(due, minutes_paused, policy)


def revisit_date(resolved_at: datetime, severity: str, policy: SlaPolicy) -> date:
    return (resolved_at + timedelta(days=policy.for_severity(severity).revisit_days)).date()


def is_overdue(
    stage: str, due_at: datetime | None, now: datetime, paused_since: datetime | None = None
) -> bool:
    """Due time passed while the desk owes the resolution (DESIGN.md §2).

    Not overdue once resolved (follow-up, closed). While the clock is paused waiting on the
    customer it stands still at the pause: overdue only if the due time had passed before the
    pause (a pause never hides a missed time; its length is added to the due time when the
    clock runs again, app/rules/move_effects.py). Its one SQL twin, tested equal on the same
    rows, is app/rules/overdue_sql.py (the queue, the month-end count of the statistics);
    the card clock, the detail panel, the monthly lists and the Excel export call this one.
    """
    if due_at is None or stage not in UNRESOLVED_STAGES:
        return False
    return (paused_since or now) > due_at


def time_left(due_at: datetime, now: datetime) -> timedelta:
    """Positive while time remains, negative once overdue (for the card's clock)."""
    return due_at - now
