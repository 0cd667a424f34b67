"""Planning demo complaints: when they arrive, through which channel, and from whom.

Arrivals follow a business's rhythm (busier weekends and holidays, slow growth, channel-specific
hours of the day); customers come back (some within the repeat window, a few regulars often).
"""

from __future__ import annotations

import calendar
import random
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from app.services.demo_text import Person, Texts, weighted

# Hours of the day (weights) by channel: the counter follows opening hours, online never sleeps.
_COUNTER = {h: w for h, w in zip(range(10, 22), (3, 5, 6, 6, 7, 8, 8, 8, 9, 9, 7, 4),
                                 strict=True)}
_OFFICE = {h: w for h, w in zip(range(9, 18), (4, 6, 6, 4, 5, 6, 6, 5, 3), strict=True)}
_ONLINE = {h: w for h, w in zip(range(24), (3, 2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 6, 5, 5, 5, 5,
                                            5, 6, 7, 8, 8, 7, 5), strict=True)}
_PHONE = {h: w for h, w in zip(range(9, 21), (5, 7, 8, 6, 5, 7, 8, 7, 6, 5, 4, 3), strict=True)}
HOURS = {"counter": _COUNTER, "phone": _PHONE, "email": _ONLINE, "online": _ONLINE,
         "letter": _OFFICE, "transferred": _OFFICE, "other": _COUNTER}
# Busy days of the year (month, day) -> factor: golden weeks, Singles' Day, Christmas.
_BUSY = {**{(10, d): 1.6 for d in range(1, 8)}, **{(5, d): 1.3 for d in range(1, 6)},
         (11, 11): 1.5, (12, 24): 1.3, (12, 25): 1.3, (12, 31): 1.2, (2, 14): 1.2}


def months_before(now: datetime, months: int) -> datetime:
    """The same moment `months` calendar months earlier (day clamped to the month's length)."""
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    month += 1
    day = min(now.day, calendar.monthrange(year, month)[1])
    return now.replace(year=year, month=month, day=day)


def arrivals(rng: random.Random, start: datetime, now: datetime, count: int,
             channels: dict[str, int]) -> list[tuple[datetime, str]]:
    """`count` (received time, channel) pairs between start and now, in time order."""
    days: list[date] = []
    cum: list[float] = []
    total = 0.0
    span = max((now.date() - start.date()).days, 1)
    day = start.date()
    while day <= now.date():
        weight = (0.85 + 0.3 * (day - start.date()).days / span) * (
            1.35 if day.weekday() >= 5 else 1.0) * _BUSY.get((day.month, day.day), 1.0)
        total += weight
        days.append(day)
        cum.append(total)
        day += timedelta(days=1)
    picked_days = rng.choices(days, cum_weights=cum, k=count)
    picked_channels = rng.choices(list(channels), list(channels.values()), k=count)
    result = []
    for day, channel in zip(picked_days, picked_channels, strict=True):
        # Always the same four draws per complaint, so a run a few seconds later (another
        # `now`) changes at most the complaints that fall between the two `now`s.
        hour, minute, second, spare = (weighted(rng, HOURS[channel]), rng.randrange(60),
                                       rng.randrange(60), rng.random())
        at = datetime.combine(day, time(hour, minute, second))
        if not start <= at <= now:  # the first and last day are partial
            at = (start + (now - start) * spare).replace(microsecond=0)
        result.append((at, channel))
    result.sort(key=lambda pair: pair[0])
    return result


@dataclass
class Customers:
    """The people complaining, in order of their first complaint; `of[i]` is complaint i's."""

    people: list[Person] = field(default_factory=list)
    of: list[int] = field(default_factory=list)


def choose_customers(rng: random.Random, texts: Texts, times: list[datetime]) -> Customers:
    """New people mostly; some come back within weeks, a handful of regulars come often."""
    result = Customers()
    span_days = max((times[-1] - times[0]).days, 1) if times else 1
    recent_window = max(int(len(times) * 60 / span_days), 5)  # about 60 days of complaints
    regulars: list[int] = []
    by_phone: dict[str, int] = {}
    n_regulars = max(3, len(times) // 5000)
    for _ in times:
        roll = rng.random()
        if result.of and roll < 0.008:
            if len(regulars) < n_regulars:
                regulars.append(rng.choice(result.of))
            who = rng.choice(regulars)
        elif result.of and roll < 0.10:
            who = result.of[-rng.randint(1, min(len(result.of), recent_window))]
        elif result.of and roll < 0.12:
            who = rng.choice(result.of)
        else:
            person = texts.person()
            known = by_phone.get(person.phone) if person.phone else None
            if known is not None:  # the phone is the customer's key: same phone, same person
                who = known
            else:
                result.people.append(person)
                who = len(result.people) - 1
                if person.phone:
                    by_phone[person.phone] = who
        result.of.append(who)
    return result


def repeat_flags(times: list[datetime], customers: Customers,
                 earlier: dict[int, list[datetime]], window_days: int) -> list[bool]:
    """Is complaint i its customer's 2nd+ within the window (app.services.intake's rule)?

    `earlier` holds, per person index, the sorted received times already in the database.
    People without a phone are never repeats: they cannot be recognised.
    """
    window = timedelta(days=window_days)
    last: dict[int, datetime] = {}
    flags = []
    for at, who in zip(times, customers.of, strict=True):
        flag = False
        if customers.people[who].phone is not None:
            previous = last.get(who)
            flag = previous is not None and previous >= at - window
            stored = earlier.get(who)
            if stored and not flag:
                i = bisect_left(stored, at - window)
                flag = i < len(stored) and stored[i] <= at
        last[who] = at
        flags.append(flag)
    return flags



def recent_counts(times: list[datetime], customers: Customers,
                  earlier: dict[int, list[datetime]], days: int) -> list[int]:
    """How many complaints complaint i's customer made in the `days` up to it, itself
    included: received after its time minus `days`, not after its time (the count of
    app/services/escalations.py for the repeat-customer rule). 0 for people without a phone:
    they cannot be recognised."""
    window = timedelta(days=days)
    known: dict[int, list[datetime]] = {}
    counts = []
    for at, who in zip(times, customers.of, strict=True):
        mine = known.setdefault(who, sorted(earlier.get(who, [])))
        insort(mine, at)
        if customers.people[who].phone is None:
            counts.append(0)
        else:
            counts.append(bisect_right(mine, at) - bisect_right(mine, at - window))
    return counts
