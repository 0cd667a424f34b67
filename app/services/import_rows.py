"""One row of an import file checked field by field (no database): a CleanRow or every problem.

Imported rows are history, so a row may carry any stage with its times; the times must agree
with the stage and with each other (app/rules/history.py `history_state`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from app import validation
from app.codes import CHANNELS, DEMANDS, SEVERITIES, STAGES, TIERS
from app.errors import ValidationError, ValidationErrors
from app.i18n import N_
from app.models import EMAIL_LEN, NAME_LEN, SHORT_LEN, TEXT_LEN
from app.phones import normalise_phone
from app.rules.history import history_state

_DEMAND_SEPARATORS = re.compile(r"[;,|，；、]")
# The two forms almost every file uses, read without trying each strptime format in turn
# (100,000 rows × 3 dates); anything else goes to validation.parse_datetime as text.
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_WHOLE_FLOAT = re.compile(r"^\s*(-?\d+)\.0*\s*$")  # "4.0": how spreadsheets save a number
R = TypeVar("R")


@dataclass
class CleanRow:
    line: int
    received_at: datetime
    channel: str
    severity: str
    stage: str
    description: str
    category: str | None = None
    subject: str | None = None
    department: str | None = None
    customer_name: str | None = None
    phone: str | None = None
    email: str | None = None
    tier: str | None = None
    demands: tuple[str, ...] = ()
    location: str | None = None
    external_id: str | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    satisfaction: int | None = None


def _demands(raw: str, translate: dict[str, str], folded: dict[str, str]) -> tuple[str, ...]:
    def one(item: str) -> str:
        item = item.strip()
        return translate.get(item) or folded.get(item.casefold()) or item

    whole = raw.strip()
    if whole in translate or whole.casefold() in folded:  # may map to several: "refund;apology"
        items = [part.strip() for part in _DEMAND_SEPARATORS.split(one(whole)) if part.strip()]
    else:
        items = [one(part) for part in _DEMAND_SEPARATORS.split(raw) if part.strip()]
    for item in items:
        if item not in DEMANDS:
            raise ValidationError("customer_demand",
                                  N_("has an unknown value \"{value}\" (one of: {allowed})"),
                                  value=item[:40], allowed=", ".join(DEMANDS))
    return tuple(dict.fromkeys(items))


def _date(field: str, raw: str | None, required: bool = False) -> datetime | None:
    """validation.parse_datetime (the one rule for dates), with a fast path for the forms
    that are certainly dates: ISO and MM/DD/YYYY [HH:MM[:SS]]."""
    text = (raw or "").strip()
    value: str | datetime = text
    if text[:1].isdigit():
        m = _US_DATE.match(text)
        try:
            if m:
                month, day, year, hour, minute, second = m.groups()
                value = datetime(int(year), int(month), int(day), int(hour or 0),
                                 int(minute or 0), int(second or 0))
            elif len(text) >= 10 and text[4] == "-":
                value = datetime.fromisoformat(text).replace(tzinfo=None)
        except ValueError:
            value = text  # not a real date: parse_datetime words the message
    return validation.parse_datetime(field, value, required)


def _satisfaction(raw: str) -> int | None:
    whole = _WHOLE_FLOAT.match(raw)
    return validation.satisfaction(whole.group(1) if whole else raw, required=False)


def clean_row(line: int, cells: dict[str, str], demand_map: dict[str, str] | None = None,
              demand_folded: dict[str, str] | None = None) -> CleanRow:
    """The row's values checked and converted; ValidationErrors lists every bad field.

    `cells` holds the mapped fields' texts (value maps already applied, except for
    customer_demand whose items are translated here through `demand_map`).
    """
    errors: list[ValidationError] = []

    def check(fn: Callable[..., R], *args: Any) -> R | None:
        try:
            return fn(*args)
        except ValidationError as e:
            errors.append(e)
            return None

    get = cells.get
    received = check(_date, "received_at", get("received_at"), True)
    channel = check(validation.code, "channel", get("channel"), CHANNELS) or "other"
    severity = check(validation.code, "severity", get("severity"), SEVERITIES) or "normal"
    stage = check(validation.code, "stage", get("stage"), STAGES)
    stage_bad = bool(errors) and errors[-1].field == "stage"
    description = check(validation.text, "description", get("description"), TEXT_LEN, True)
    name = check(validation.text, "customer_name", get("customer_name"), NAME_LEN)
    raw_phone = validation.clean_text(get("phone"))
    phone = check(normalise_phone, raw_phone) if raw_phone else None
    email = check(validation.email, get("email"), EMAIL_LEN)
    tier = check(validation.code, "tier", get("tier"), TIERS)
    lists = {kind: check(validation.text, kind, get(kind), SHORT_LEN)
             for kind in ("category", "subject", "department")}
    location = check(validation.text, "location", get("location"), SHORT_LEN)
    external_id = check(validation.text, "external_id", get("external_id"), SHORT_LEN)
    demands: tuple[str, ...] = ()
    raw_demands = validation.clean_text(get("customer_demand"))
    if raw_demands:
        demands = check(_demands, raw_demands, demand_map or {}, demand_folded or {}) or ()
    resolved = check(_date, "resolved_at", get("resolved_at"))
    closed = check(_date, "closed_at", get("closed_at"))
    satisfaction = check(_satisfaction, validation.clean_text(get("satisfaction")))
    times_ok = not any(e.field in ("received_at", "resolved_at", "closed_at") for e in errors)
    if received is not None and times_ok and not stage_bad:
        stage, resolved, closed = check(history_state, stage, received, resolved, closed) or (
            stage, resolved, closed)
    if errors:
        raise ValidationErrors(errors)
    assert received is not None and description is not None and stage is not None
    return CleanRow(
        line=line, received_at=received, channel=channel, severity=severity, stage=stage,
        description=description, category=lists["category"], subject=lists["subject"],
        department=lists["department"], customer_name=name, phone=phone, email=email,
        tier=tier, demands=demands, location=location, external_id=external_id,
        resolved_at=resolved, closed_at=closed, satisfaction=satisfaction,
    )
