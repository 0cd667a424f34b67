"""Reading the compensation ledger (app/rules/compensation.py says what its entries mean)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from app.models import Complaint, Solution
from app.rules.compensation import Entry, carried_out_by_type, current_entry
from app.workflow import SolutionFacts


def is_current_sql() -> ColumnElement[bool]:
    """The ledger entry (joined with its complaint) that the complaint is worked on now: not
    replaced by a later proposal, of the complaint's current round."""
    return and_(Solution.superseded_at.is_(None), Solution.round == Complaint.reopen_count)


def entry_of(sol: Solution) -> Entry:
    return Entry(sol.id, sol.round, tuple(sol.types or ()), dict(sol.amounts or {}),
                 sol.amount_cents, sol.implemented_at)


def entries_of(session: Session, complaint_id: int) -> list[Solution]:
    """Every entry of one complaint, oldest first."""
    return list(session.scalars(select(Solution).where(Solution.complaint_id == complaint_id)
                                .order_by(Solution.id)))


def current_solution(session: Session, c: Complaint) -> Solution | None:
    """The entry the complaint is worked on now (None after a reopen, until a new one)."""
    rows = session.scalars(select(Solution).where(Solution.complaint_id == c.id,
                                                  Solution.round == c.reopen_count)
                           .order_by(Solution.id)).all()
    chosen = current_entry((entry_of(s) for s in rows), c.reopen_count)
    return next((s for s in rows if chosen is not None and s.id == chosen.id), None)


def solution_facts(sol: Solution | None) -> SolutionFacts | None:
    if sol is None:
        return None
    return SolutionFacts(tuple(sol.types or ()), sol.approval_state,
                         sol.customer_agreed_at is not None, sol.implemented_at is not None)


@dataclass(frozen=True)
class Given:
    """A complaint's compensation for lists: what was carried out over all its rounds (types
    in the order first given, cents per type, total), else its current proposal."""

    types: list[str]
    amount_cents: int
    by_type: dict[str, int] = field(default_factory=dict)  # carried out (UNSPLIT: old mixed)
    carried_out: bool = False  # False: nothing carried out yet, `types` is the proposal


_CHUNK = 500  # ids per IN (...)


def given_by_complaint(session: Session | Any, complaint_ids: Sequence[int]) -> dict[int, Given]:
    """Given per complaint id (complaints without any entry are left out)."""
    rows: list[Any] = []
    ids = list(complaint_ids)
    for start in range(0, len(ids), _CHUNK):
        rows.extend(session.execute(
            select(Solution.complaint_id, Solution.id, Solution.types, Solution.amounts,
                   Solution.amount_cents, Solution.implemented_at, Solution.superseded_at,
                   Solution.round)
            .where(Solution.complaint_id.in_(ids[start:start + _CHUNK]))
            .order_by(Solution.id)).all())
    done: dict[int, list[Entry]] = {}
    proposed: dict[int, Entry] = {}
    for cid, sid, types, amounts, cents, implemented, superseded, round_ in rows:
        entry = Entry(sid, round_, tuple(types or ()), dict(amounts or {}), int(cents),
                      implemented)
        if implemented is not None:
            done.setdefault(cid, []).append(entry)
        elif superseded is None:
            proposed[cid] = entry
    out: dict[int, Given] = {}
    for cid, entries in done.items():
        types = list(dict.fromkeys(t for e in entries for t in e.types))
        out[cid] = Given(types, sum(e.amount_cents for e in entries),
                         carried_out_by_type(entries), True)
    for cid, entry in proposed.items():
        if cid not in out:
            out[cid] = Given(list(entry.types), entry.amount_cents)
    return out
