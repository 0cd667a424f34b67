"""Checks for the settings whose value has a shape of its own (tables, lists of dates), called by
app/settings.validate after the type check. Each returns the value in its stored form or
raises ValidationError naming the setting, so a bad value changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from app.errors import ValidationError
from app.i18n import N_, _
from app.rules.stages import OPEN_STAGES

MAX_WIP = 999
MAX_HOLIDAYS = 366


def wip_limits(value: Any) -> dict[str, int]:
    """{open stage: limit 1–999}; stages without a limit are left out."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError("wip_limits", N_("is not a table of limits per stage"))
    clean: dict[str, int] = {}
    for stage, limit in value.items():
        if stage not in OPEN_STAGES:
            raise ValidationError("wip_limits", N_("names an unknown stage \"{stage}\""),
                                  stage=str(stage)[:40])
        if limit is None or limit == 0:
            continue
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise ValidationError("wip_limits", N_("must be a whole number"))
        if not 1 <= limit <= MAX_WIP:
            raise ValidationError("wip_limits", N_("must be between {low} and {high}"),
                                  low=0, high=MAX_WIP)
        clean[str(stage)] = limit
    return clean


def _clock_time(text: Any) -> time:
    try:
        t = time.fromisoformat(str(text))
    except ValueError:
        raise ValidationError("opening_hours", N_("has a time that is not HH:MM: \"{time}\""),
                              time=str(text)[:20]) from None
    return t.replace(second=0, microsecond=0)


def opening_hours(value: Any) -> list[list[str] | None] | None:
    """None (every hour counts) or seven days, Monday first: [opens, closes] or None."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 7:
        raise ValidationError("opening_hours", N_("must give the hours of all seven days"))
    days: list[list[str] | None] = []
    for day in value:
        if day is None:
            days.append(None)
            continue
        if not isinstance(day, (list, tuple)) or len(day) != 2:
            raise ValidationError("opening_hours", N_("must give the hours of all seven days"))
        opens, closes = _clock_time(day[0]), _clock_time(day[1])
        if closes <= opens:
            raise ValidationError("opening_hours", N_("closes before it opens ({opens}–"
                                                       "{closes})"),
                                  opens=f"{opens:%H:%M}", closes=f"{closes:%H:%M}")
        days.append([f"{opens:%H:%M}", f"{closes:%H:%M}"])
    if all(d is None for d in days):
        # The SLA clock would never run: say so now rather than when a complaint is assessed.
        raise ValidationError("opening_hours", N_("must have at least one open day"))
    return days


def holidays(value: Any) -> list[str]:
    """Dates (YYYY-MM-DD) the desk is closed, sorted, each once."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError("holidays", N_("is not a list of dates"))
    found: set[date] = set()
    for item in value:
        try:
            found.add(date.fromisoformat(str(item)))
        except ValueError:
            raise ValidationError("holidays", N_("has a date that is not YYYY-MM-DD: \"{date}\""),
                                  date=str(item)[:20]) from None
    if len(found) > MAX_HOLIDAYS:
        raise ValidationError("holidays", N_("has more than {count} dates"), count=MAX_HOLIDAYS)
    return [d.isoformat() for d in sorted(found)]


SLA_COLUMNS = (N_("first contact (hours)"), N_("resolution (hours)"), N_("revisit (days)"))
MAX_SLA_HOURS = 24 * 366


def _sla_number(severity: str, column: int, raw: Any) -> float | int:
    from app.codes import label

    where = {"severity": label("severity", severity), "column": _(SLA_COLUMNS[column])}
    try:
        if isinstance(raw, bool):
            raise ValueError
        number = float(raw)
    except (TypeError, ValueError):
        raise ValidationError("sla_terms", N_("{severity}, {column}: is not a number"),
                              **where) from None
    low = 0 if column == 2 else 0.1  # a revisit may be due at once; a deadline may not
    if not low <= number <= MAX_SLA_HOURS or (column == 2 and not number.is_integer()):
        raise ValidationError("sla_terms", N_("{severity}, {column}: must be between {low} "
                                              "and {high}"), low=low,
                              high=MAX_SLA_HOURS if column < 2 else 366, **where)
    return int(number) if number.is_integer() else number


def sla_terms(value: Any) -> dict[str, list[float | int]]:
    """{severity: [first contact hours, resolve hours, revisit days]} for every severity; the
    first contact is due no later than the resolution. Names the cell that is wrong."""
    from app.codes import SEVERITIES, label

    if not isinstance(value, dict) or set(value) != set(SEVERITIES):
        raise ValidationError("sla_terms", N_("must give the time limits of every severity"))
    clean: dict[str, list[float | int]] = {}
    for severity in SEVERITIES:
        row = value[severity]
        if not isinstance(row, (list, tuple)) or len(row) != 3:
            raise ValidationError("sla_terms", N_("must give the time limits of every "
                                                  "severity"))
        clean[severity] = [_sla_number(severity, c, row[c]) for c in range(3)]
        if clean[severity][0] > clean[severity][1]:
            raise ValidationError("sla_terms", N_("{severity}: the first contact cannot be "
                                                  "due after the resolution"),
                                  severity=label("severity", severity))
    return clean


TIER_PERCENT_RANGE = (10, 400)


def tier_due_percent(value: Any) -> dict[str, int]:
    """{tier: whole percent 10–400} for every tier: each tier's share of the time limits."""
    from app.codes import TIERS, label

    if not isinstance(value, dict) or set(value) != set(TIERS):
        raise ValidationError("tier_due_percent", N_("must give a share for every tier"))
    low, high = TIER_PERCENT_RANGE
    clean: dict[str, int] = {}
    for tier in TIERS:
        raw = value[tier]
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or (
                isinstance(raw, float) and not raw.is_integer()):
            raise ValidationError("tier_due_percent", N_("{tier}: must be a whole number"),
                                  tier=label("tier", tier))
        if not low <= raw <= high:
            raise ValidationError("tier_due_percent", N_("{tier}: must be between {low} and "
                                                         "{high}"),
                                  tier=label("tier", tier), low=low, high=high)
        clean[tier] = int(raw)
    return clean


CHECKS: dict[str, Callable[[Any], Any]] = {
    "tier_due_percent": tier_due_percent,
    "sla_terms": sla_terms,
    "wip_limits": wip_limits,
    "opening_hours": opening_hours,
    "holidays": holidays,
}


def check_value(key: str, value: Any) -> Any:
    """The value in its stored form (unchanged for settings without a check of their own)."""
    check = CHECKS.get(key)
    return check(value) if check is not None else value
