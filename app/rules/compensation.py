"""The compensation ledger's rules (app/models.py Solution: one row an entry).

Each solution proposed is an entry: its types, the amount of each type, its approval, the
customer's agreement and its implementation stay on record. A new proposal adds an entry
(the one it replaces is marked superseded, unless it was carried out); a reopen starts a new
round, so the entries carried out before it stay as they were and the complaint needs a new
proposal. Figures count what was carried out, per type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from app import validation
from app.codes import label
from app.errors import DeskError, ValidationError
from app.i18n import N_

# Amounts of entries recorded before amounts were kept per type (schema 0005) whose
# solution had several types: only their total is known, and it is counted under this key.
UNSPLIT = "unsplit"


def entry_amounts(types: Sequence[str], amounts: Mapping[str, int]) -> dict[str, int]:
    """The amount of each type of a new entry, in the order of `types` (0 where none is
    given); an amount for a type the solution does not have is refused."""
    for code in amounts:
        if code not in types:
            raise ValidationError("amount", N_("is given for \"{type}\", which is not one of "
                                               "the solution's types"),
                                  type=label("solution_type", code[:40]))
    return {code: int(amounts.get(code, 0)) for code in types}


def parse_amounts(types: Sequence[str], amounts: Mapping[str, str | int]) -> dict[str, int]:
    """entry_amounts() of amounts typed by a person (text such as "120.50"); a bad one is
    refused naming its type."""
    cents: dict[str, int] = {}
    for code, text in amounts.items():
        try:
            cents[code] = validation.amount_cents(text)
        except ValidationError as e:
            raise ValidationError("amount", N_("{type}: {problem}"),
                                  type=label("solution_type", code[:40]),
                                  problem=_Problem(e)) from None
    return entry_amounts(types, cents)


class _Problem:
    """The problem of a field's error without the field's name, rendered when shown."""

    def __init__(self, error: ValidationError) -> None:
        self.error = error

    def __str__(self) -> str:
        return DeskError.message(self.error)


def entry_total(amounts: Mapping[str, int]) -> int:
    return sum(amounts.values())


@dataclass(frozen=True)
class Entry:
    """What the rules read of one ledger entry."""

    id: int
    round: int
    types: tuple[str, ...]
    amounts: Mapping[str, int]  # {} for an unsplit entry from before per-type amounts
    amount_cents: int
    implemented_at: datetime | None


def current_entry(entries: Iterable[Entry], reopen_count: int) -> Entry | None:
    """The entry the complaint is worked on now: the latest one of its current round (a
    reopen starts a new round: the earlier entries stay on record, none is current)."""
    latest: Entry | None = None
    for entry in entries:
        if entry.round == reopen_count and (latest is None or entry.id > latest.id):
            latest = entry
    return latest


def carried_out_by_type(entries: Iterable[Entry]) -> dict[str, int]:
    """Cents carried out per type over entries (those not carried out are left out); an
    unsplit entry's total goes under UNSPLIT."""
    out: dict[str, int] = {}
    for entry in entries:
        if entry.implemented_at is None:
            continue
        parts = entry.amounts.items() if entry.amounts else [(UNSPLIT, entry.amount_cents)]
        for code, cents in parts:
            if cents:
                out[code] = out.get(code, 0) + int(cents)
    return out
