"""Times and durations as the panel shows them, and the SLA clock's sentence."""

from __future__ import annotations

from datetime import datetime

from app import clock
from app.formatting import compact_datetime
from app.formatting import short_date as short_date  # re-exported for the panel's sections
from app.i18n import _
from app.rules.stages import RESOLVED_STAGES
from app.services.complaints import ComplaintDetail


def short_datetime(value: datetime | None) -> str:
    """03-10 14:05 / 10 Mar 14:05 this year, with the year otherwise (app/formatting.py)."""
    return compact_datetime(value, clock.now().year)


def duration(minutes: float) -> str:
    """2 d 3 h, 5 h 10 min, 25 min (in the current language)."""
    total = max(0, int(round(minutes)))
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("{days} d {hours} h", days=days, hours=hours)
    if hours:
        return _("{hours} h {minutes} min", hours=hours, minutes=mins)
    return _("{minutes} min", minutes=mins)


def sla_clock(d: ComplaintDetail, now: datetime | None = None) -> tuple[str, str]:
    """(sentence, kind) for the header: kind is overdue | paused | ok | done | none."""
    now = now or clock.now()
    if d.stage in RESOLVED_STAGES:
        if d.resolved_at is None:
            return _("Closed without resolution"), "done"
        late = d.due_at is not None and d.resolved_at > d.due_at
        text = (_("Resolved {when}, after the due time", when=short_datetime(d.resolved_at))
                if late else _("Resolved {when}, in time", when=short_datetime(d.resolved_at)))
        return text, "done"
    if d.due_at is None:
        return _("No due time yet"), "none"
    if d.paused_since is not None:
        left = (d.due_at - d.paused_since).total_seconds() / 60
        if left < 0:
            return _("Clock paused (waiting on the customer), overdue by {time}",
                     time=duration(-left)), "overdue"
        return _("Clock paused (waiting on the customer) since {since}, {time} left",
                 since=short_datetime(d.paused_since), time=duration(left)), "paused"
    left = (d.due_at - now).total_seconds() / 60
    if d.overdue or left < 0:
        return _("Overdue by {time} (due {due})", time=duration(-left),
                 due=short_datetime(d.due_at)), "overdue"
    return _("Due {due}, {time} left", due=short_datetime(d.due_at), time=duration(left)), "ok"
