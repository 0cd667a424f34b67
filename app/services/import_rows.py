"""One row of an import file checked field by field (no database): a CleanRow or every problem.

Imported rows are history, so a row may carry any stage with its times; the times must agree
with the stage and with each other (app/rules/history.py `history_state`). A time the file
does not give stays unknown (None): statistics leave such complaints out of durations
(DESIGN.md §5).
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
from app.phones import DEFAULT_REGION, normalise_phone
from app.rules.history import history_state
from app.services.import_dates import DateColumn

_DEMAND_SEPARATORS = re.compile(r"[;,|，；、]")
_WHOLE_FLOAT = re.compile(r"^\s*(-?\d+)\.0*\s*$")  # "4.0": how spreadsheets save a number
R = TypeVar("R")


@dataclass(slots=True)  # 100,000 of them live through an import: no dict per row
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
    occurred_at: datetime | None = None


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


def _satisfaction(raw: str) -> int | None:
    whole = _WHOLE_FLOAT.match(raw)
    return validation.satisfaction(whole.group(1) if whole else raw, required=False)


@dataclass
class RowRules:
    """What reading a row needs beyond its cells: the date columns (order settled), the
    desk's phone region and the customer_demand value map."""

    dates: dict[str, DateColumn]
    phone_region: str = DEFAULT_REGION
    demand_map: dict[str, str] | None = None
    demand_folded: dict[str, str] | None = None


def clean_row(line: int, cells: dict[str, str], rules: RowRules,
              raw_dates: dict[str, tuple[Any, Any]] | None = None) -> CleanRow:
    """The row's values checked and converted; ValidationErrors lists every bad field.

    `cells` holds the mapped text fields (value maps already applied, except for
    customer_demand whose items are translated here); `raw_dates` the date fields' cells as
    the file holds them (text, or an Excel date or number) with their time column's cell.
    """
    errors: list[ValidationError] = []

    def check(fn: Callable[..., R], *args: Any) -> R | None:
        try:
            return fn(*args)
        except ValidationError as e:
            errors.append(e)
            return None

    get = cells.get
    when = raw_dates or {}

    def optional(fn: Callable[..., R], name: str, *args: Any) -> R | None:
        # A field the mapping leaves out has no cell (None), which every optional check reads
        # as None: skipping the call saves a million of them in an import of 100,000 rows.
        value = get(name)
        return None if value is None else check(fn, name, value, *args)

    def date_of(name: str, required: bool = False) -> datetime | None:
        value, time_value = when.get(name, (None, None))
        column = rules.dates.get(name)
        if column is None:
            return None if not required else check(_missing, name)
        return check(column.read, value, time_value, required)

    received = date_of("received_at", True)
    channel = optional(validation.code, "channel", CHANNELS) or "other"
    severity = optional(validation.code, "severity", SEVERITIES) or "normal"
    stage = optional(validation.code, "stage", STAGES)
    stage_bad = bool(errors) and errors[-1].field == "stage"
    description = check(validation.text, "description", get("description"), TEXT_LEN, True)
    name = optional(validation.text, "customer_name", NAME_LEN)
    raw_phone = validation.clean_text(get("phone"))
    phone = check(normalise_phone, raw_phone, rules.phone_region) if raw_phone else None
    email = check(validation.email, get("email"), EMAIL_LEN) if "email" in cells else None
    tier = optional(validation.code, "tier", TIERS)
    lists = {kind: optional(validation.text, kind, SHORT_LEN)
             for kind in ("category", "subject", "department")}
    location = optional(validation.text, "location", SHORT_LEN)
    external_id = optional(validation.text, "external_id", SHORT_LEN)
    demands: tuple[str, ...] = ()
    raw_demands = validation.clean_text(get("customer_demand"))
    if raw_demands:
        demands = check(_demands, raw_demands, rules.demand_map or {},
                        rules.demand_folded or {}) or ()
    resolved = date_of("resolved_at")
    closed = date_of("closed_at")
    occurred = date_of("occurred_at")
    satisfaction = (check(_satisfaction, validation.clean_text(get("satisfaction")))
                    if get("satisfaction") is not None else None)
    times_ok = not any(e.field in ("received_at", "resolved_at", "closed_at") for e in errors)
    if received is not None and times_ok and not stage_bad:
        stage, resolved, closed = check(history_state, stage, received, resolved, closed) or (
            stage, resolved, closed)
    if received is not None:
        check(validation.check_occurred, occurred, received)
    if errors:
        raise ValidationErrors(errors)
    assert received is not None and description is not None and stage is not None
    return CleanRow(
        line=line, received_at=received, channel=channel, severity=severity, stage=stage,
        description=description, category=lists["category"], subject=lists["subject"],
        department=lists["department"], customer_name=name, phone=phone, email=email,
        tier=tier, demands=demands, location=location, external_id=external_id,
        resolved_at=resolved, closed_at=closed, satisfaction=satisfaction, occurred_at=occurred,
    )


def _missing(name: str) -> None:
    raise ValidationError(name, N_("is required"))
