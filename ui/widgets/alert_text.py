"""How an escalation reads in the window (the alerts list, the complaint's escalation part)."""

from __future__ import annotations

from datetime import datetime

from app import clock
from app.codes import label
from app.formatting import compact_datetime
from app.i18n import _, ngettext
from app.rules.escalation import FIRST_CONTACT, MANUAL, REPEAT, RESOLUTION, SEVERITY
from app.services.escalations import Alert


def short_datetime(value: datetime | None) -> str:
    """03-10 14:05 / 10 Mar 14:05 this year, with the year otherwise."""
    return compact_datetime(value, clock.now().year)


def why(alert: Alert) -> str:
    """The rule and what made it fire, in the current language."""
    name = label("escalation_rule", alert.rule)
    data = alert.data
    if alert.rule in (FIRST_CONTACT, RESOLUTION) and data.get("due_time"):
        try:
            due = datetime.fromisoformat(str(data["due_time"]))
        except ValueError:
            return name
        return _("{rule} (due {time})", rule=name, time=short_datetime(due))
    if alert.rule == SEVERITY and data.get("severity"):
        return _("{rule}: {severity}", rule=name, severity=label("severity",
                                                                 str(data["severity"])))
    if alert.rule == REPEAT and data.get("count"):
        count = int(data["count"])
        return _("{rule}: {complaints} in {days} days", rule=name,
                 complaints=ngettext("{count} complaint", "{count} complaints", count,
                                     count=count), days=data.get("days", ""))
    if alert.rule == MANUAL:
        who = alert.escalated_by or _("a clerk")
        return _("{rule} ({name}): {reason}", rule=name, name=who, reason=alert.reason)
    return name


def handled(alert: Alert) -> str:
    if alert.handled_at is None:
        return ""
    text = _("Handled {time} by {name}", time=short_datetime(alert.handled_at),
             name=alert.handled_by or "—")
    return f"{text}: {alert.handled_note}" if alert.handled_note else text



def handled_question(alert: Alert) -> str:
    """What a supervisor marking the alert handled is asked (the answer may be empty)."""
    return _("{reference}: {why}\n\nWhat was done? (optional)", reference=alert.reference,
             why=why(alert))
