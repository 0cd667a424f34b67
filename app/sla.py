"""The SLA clock: due times from severity, counted in opening hours, and overdue.

Pure Python, no database: settings are passed in as an `SlaPolicy`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from app.codes import SEVERITIES


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


@dataclass(frozen=True)
class SlaPolicy:
    terms: dict[str, SlaTerms] = field(default_factory=lambda: dict(DEFAULT_TERMS))
    hours: OpeningHours = CALENDAR

    def for_severity(self, severity: str) -> SlaTerms:
        if severity not in SEVERITIES:
            raise ValueError(severity)
        return self.terms[severity]


_MAX_DAYS_SEARCHED = 3660  # a policy with no open day at all must not loop forever


def add_open_hours(start: datetime, hours: float, opening: OpeningHours) -> datetime:
    """The time `hours` opening hours after `start` (calendar hours when always open)."""
    remaining = timedelta(hours=hours)
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


def due_times(received_at: datetime, severity: str, policy: SlaPolicy) -> tuple[datetime, datetime]:
    """(first contact due, resolution due) for a complaint received at `received_at`."""
    terms = policy.for_severity(severity)
    return (
        add_open_hours(received_at, terms.first_contact_hours, policy.hours),
        add_open_hours(received_at, terms.resolve_hours, policy.hours),
    )


def revisit_date(resolved_at: datetime, severity: str, policy: SlaPolicy) -> date:
    return (resolved_at + timedelta(days=policy.for_severity(severity).revisit_days)).date()


def is_overdue(
    stage: str, due_at: datetime | None, now: datetime, paused_since: datetime | None = None
) -> bool:
    """Due time passed while the desk has the next step (DESIGN.md §2).

    Not overdue once resolved (follow-up, closed). While the clock is paused waiting on the
    customer it stands still at the pause: overdue only if the due time had passed before the
    pause (a pause never hides a missed time; its length is added to the due time when the
    clock runs again, app/services/moves.py). The queue's SQL (app/services/queue.py) and the
    statistics (app/services/stats.py) apply the same rule; the board's card clock
    (ui/kanban/card_text.py) shows it.
    """
    if due_at is None or stage in ("follow_up", "closed"):
        return False
    return (paused_since or now) > due_at


def time_left(due_at: datetime, now: datetime) -> timedelta:
    """Positive while time remains, negative once overdue (for the card's clock)."""
    return due_at - now
