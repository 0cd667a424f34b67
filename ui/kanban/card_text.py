"""The words on a card: its SLA clock, markers and tooltip (no painting here, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.codes import label
from app.formatting import compact_date, compact_datetime, short_date
from app.i18n import N_, _, ngettext
from app.services.board import CLOSED_DAYS
from app.services.queue import Card
from app.sla import is_overdue

# Why a card sits where it does: the queue service orders each column this way.
ORDER_EXPLAINED = N_(
    "Cards are in priority order: urgent, then serious complaints first; within a severity "
    "core and key customers first; then overdue ones; then the earliest due time.")
CLOSED_ORDER_EXPLAINED = N_("Closed in the last {days} days, most recently closed first.")

SOON = timedelta(hours=4)  # less time left than this shows the clock in amber

# Severity signs drawn beside the label, so colour is never the only signal.
SEVERITY_SIGN = {"urgent": "‼", "serious": "!", "normal": "", "minor": ""}


@dataclass(frozen=True)
class SlaClock:
    text: str
    state: str  # overdue | soon | ok | paused | done | none
    short_text: str = ""  # the same in coarser units, for a narrow card ("" if none)


def compact_duration(delta: timedelta, coarse: bool = False) -> str:
    """5d, 2d 4h, 14h, 3h 20m, 45m — short enough for a card (`coarse`: 1d, 3h, 45m)."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    # The further away, the coarser: a card has little room and minutes stop mattering.
    if days >= 3 or (days and coarse):
        return _("{d}d", d=days)
    if hours and coarse:
        return _("{h}h", h=hours)
    if days:
        return _("{d}d {h}h", d=days, h=hours)
    if hours >= 10:
        return _("{h}h", h=hours)
    if hours:
        return _("{h}h {m}m", h=hours, m=mins)
    return _("{m}m", m=mins)


def short_time(value: datetime | None, now: datetime) -> str:
    """03-10 14:05 / 10 Mar 14:05 in the current year, the short date otherwise."""
    if value is None:
        return ""
    return (compact_datetime(value, now.year) if value.year == now.year
            else short_date(value.date()))


def sla_clock(card: Card, now: datetime) -> SlaClock:
    """The card's clock: time left, or how long overdue (a paused clock stops at the pause)."""
    if card.stage == "closed":
        when = compact_date(card.closed_at.date(), now.year) if card.closed_at else ""
        return SlaClock(_("Closed {when}", when=when), "done")
    if card.stage == "follow_up":
        return SlaClock(_("Resolved"), "done")
    if card.due_at is None:
        return SlaClock(_("No due time"), "none")
    left = card.due_at - (card.paused_since or now)  # a paused clock stands at the pause
    if is_overdue(card.stage, card.due_at, now, card.paused_since):
        late, rough = compact_duration(-left), compact_duration(-left, coarse=True)
        if card.paused_since is not None:
            return SlaClock(_("Overdue {time}, paused", time=late), "overdue",
                            _("Overdue {time}, paused", time=rough))
        return SlaClock(_("Overdue {time}", time=late), "overdue",
                        _("Overdue {time}", time=rough))
    if card.paused_since is not None:
        # A stopped clock needs no minutes, and the longer sentence needs the room.
        return SlaClock(_("Paused, {time} left", time=compact_duration(left, coarse=True)),
                        "paused")
    return SlaClock(_("{time} left", time=compact_duration(left)), "soon" if left < SOON else "ok",
                    _("{time} left", time=compact_duration(left, coarse=True)))


def severity_text(card: Card) -> str:
    sign = SEVERITY_SIGN.get(card.severity, "")
    return f"{sign} {label('severity', card.severity)}".strip()


def tier_badge(card: Card) -> str:
    """A short badge for core and key customers ("" for the others)."""
    if card.tier == "core":
        return _("Core")
    if card.tier == "key":
        return _("Key")
    return ""


def why_here(card: Card, now: datetime) -> str:
    """The card's own priority reasons, in the order the queue sorts by."""
    reasons = [label("severity", card.severity)]
    if card.tier in ("core", "key"):
        reasons.append(label("tier", card.tier))
    clock = sla_clock(card, now)
    if clock.state == "overdue":
        reasons.append(_("overdue"))
    if card.due_at is not None:
        reasons.append(_("due {when}", when=short_time(card.due_at, now)))
    return _("Priority: {reasons}", reasons=", ".join(reasons))


def card_tooltip(card: Card, now: datetime) -> str:
    """Everything on the card in full, plus why it sits where it does (plain text)."""
    lines = [
        f"{card.reference} — {label('stage', card.stage)}",
        _("Customer: {name} ({tier})", name=card.customer_name or "—",
          tier=label("tier", card.tier)),
        _("Category: {category}", category=card.category or "—"),
    ]
    if card.department:
        lines.append(_("Department: {department}", department=card.department))
    lines += [
        _("Owner: {owner}", owner=card.owner or _("not assigned")),
        _("Received: {when}", when=short_time(card.received_at, now)),
        _("Severity: {severity}", severity=label("severity", card.severity)),
        sla_clock(card, now).text,
    ]
    if card.has_attachments:
        lines.append(_("Has attachments"))
    if card.reopen_count:
        lines.append(ngettext("Reopened {count} time", "Reopened {count} times",
                              card.reopen_count, count=card.reopen_count))
    if card.is_repeat:
        lines.append(_("Repeat complainant"))
    lines += ["", card.description, ""]
    if card.stage == "closed":
        lines.append(_(CLOSED_ORDER_EXPLAINED, days=CLOSED_DAYS))
    else:
        lines += [why_here(card, now), _(ORDER_EXPLAINED)]
    return "\n".join(lines)
