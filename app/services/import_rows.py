"""One row of an import file checked field by field (no database): a CleanRow or every problem.

Imported rows are history, so a row may carry any stage with its times; the times must agree
with the stage and with each other (app/rules/history.py `history_state`). A time the file
does not give stays unknown (None): statistics leave such complaints out of durations
(DESIGN.md §5).
"""

from __future__ import annotations

import dataclasses
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
_DEMANDS_REMEMBERED = 1024
_REMEMBERED = 4096  # distinct cells of one field checked once (names may all differ)
_UNSEEN = object()


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
    # customer_demand cells already read (a file repeats a handful of them): text -> items.
    _demands_read: dict[str, tuple[str, ...]] = dataclasses.field(
        default_factory=dict, init=False, repr=False)
    # The check of each field of few distinct values, from its (value-mapped) cell, and the
    # cells already checked (field -> cell -> value): see _clean_good_row.
    small: dict[str, Callable[[str], Any]] = dataclasses.field(init=False, repr=False)
    seen: dict[str, dict[str, Any]] = dataclasses.field(init=False, repr=False)

    def __post_init__(self) -> None:
        region = self.phone_region

        def phone(cell: str) -> str | None:
            raw = validation.clean_text(cell)
            return normalise_phone(raw, region) if raw else None

        def demands(cell: str) -> tuple[str, ...]:
            raw = validation.clean_text(cell)
            return (self.demands_of(raw) or ()) if raw else ()

        def code(name: str, allowed: tuple[str, ...]) -> Callable[[str], Any]:
            return lambda cell: validation.code(name, cell, allowed)

        def text(name: str, limit: int) -> Callable[[str], Any]:
            return lambda cell: validation.text(name, cell, limit)

        self.small = {
            "channel": code("channel", CHANNELS), "severity": code("severity", SEVERITIES),
            "stage": code("stage", STAGES), "tier": code("tier", TIERS),
            "customer_name": text("customer_name", NAME_LEN),
            "category": text("category", SHORT_LEN), "subject": text("subject", SHORT_LEN),
            "department": text("department", SHORT_LEN),
            "location": text("location", SHORT_LEN), "phone": phone,
            "email": lambda cell: validation.email(cell, EMAIL_LEN),
            "customer_demand": demands,
            "satisfaction": lambda cell: _satisfaction(validation.clean_text(cell)),
        }
        self.seen = {name: {} for name in self.small}

    def demands_of(self, raw: str) -> tuple[str, ...]:
        """The demand codes of a customer_demand cell (cleaned, not empty)."""
        found = self._demands_read.get(raw)
        if found is None:
            found = _demands(raw, self.demand_map or {}, self.demand_folded or {})
            if len(self._demands_read) < _DEMANDS_REMEMBERED:
                self._demands_read[raw] = found
        return found


def clean_row(line: int, cells: dict[str, str], rules: RowRules,
              raw_dates: dict[str, tuple[Any, Any]] | None = None) -> CleanRow:
    """The row's values checked and converted; ValidationErrors lists every bad field.

    `cells` holds the mapped text fields (value maps already applied, except for
    customer_demand whose items are translated here); `raw_dates` the date fields' cells as
    the file holds them (text, or an Excel date or number) with their time column's cell.
    """
    try:
        return _clean_good_row(line, cells, rules, raw_dates or {})
    except ValidationError:
        pass  # a bad row: checked again field by field, to name every bad field
    return _clean_every_field(line, cells, rules, raw_dates)


def _clean_good_row(line: int, cells: dict[str, str], rules: RowRules,
                    when: dict[str, tuple[Any, Any]]) -> CleanRow:
    """The same checks as _clean_every_field, in the same terms, stopping at the first bad
    field: most rows of a file are good, and for them collecting errors field by field cost
    half of checking a row (100,000 closures, issue 17)."""
    dates = rules.dates

    def date_of(name: str, required: bool = False) -> datetime | None:
        column = dates.get(name)
        if column is None:
            if required:
                _missing(name)
            return None
        value, time_value = when.get(name, (None, None))
        return column.read(value, time_value, required)

    received = date_of("received_at", True)
    # Fields of a few distinct values (codes, names, phones, lists): each distinct cell is
    # checked once per file (RowRules.small), the same check _clean_every_field makes.
    checked: dict[str, Any] = {}
    small, seen = rules.small, rules.seen
    for field_name, cell in cells.items():
        check = small.get(field_name)
        if check is None:
            continue
        memo = seen[field_name]
        value = memo.get(cell, _UNSEEN)
        if value is _UNSEEN:
            value = check(cell)
            if len(memo) < _REMEMBERED:
                memo[cell] = value
        checked[field_name] = value
    channel = checked.get("channel") or "other"
    severity = checked.get("severity") or "normal"
    stage = checked.get("stage")
    description = validation.text("description", cells.get("description"), TEXT_LEN, True)
    value = cells.get("external_id")
    external_id = (validation.text("external_id", value, SHORT_LEN) if value is not None
                   else None)
    resolved = date_of("resolved_at")
    closed = date_of("closed_at")
    occurred = date_of("occurred_at")
    assert received is not None and description is not None
    stage, resolved, closed = history_state(stage, received, resolved, closed)
    validation.check_occurred(occurred, received)
    get = checked.get
    return CleanRow(
        line=line, received_at=received, channel=channel, severity=severity, stage=stage,
        description=description, category=get("category"), subject=get("subject"),
        department=get("department"), customer_name=get("customer_name"), phone=get("phone"),
        email=get("email"), tier=get("tier"), demands=get("customer_demand", ()),
        location=get("location"), external_id=external_id, resolved_at=resolved,
        closed_at=closed, satisfaction=get("satisfaction"), occurred_at=occurred,
    )


def _clean_every_field(line: int, cells: dict[str, str], rules: RowRules,
                       raw_dates: dict[str, tuple[Any, Any]] | None) -> CleanRow:
    """clean_row for a row with a bad field: every field checked, every problem named."""
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
        demands = check(rules.demands_of, raw_demands) or ()
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
