"""The queue: open complaints by stage with customer and owner, filtered and searched.

One query returns plain rows (no ORM objects) so that thousands of cards load fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, case, exists, func, select
from sqlalchemy.orm import aliased

from app import clock
from app.codes import STAGES
from app.db import Database
from app.i18n import get_language
from app.models import Attachment, Complaint, Customer, ListValue, User
from app.rules.overdue_sql import overdue_sql
from app.rules.stages import OPEN_STAGES
from app.services.search_index import index_pays, text_condition
from app.services.search_index import like_pattern as like_pattern  # kept importable here
from app.services.stored_values import as_stored
from app.sla import is_overdue

SEVERITY_RANK = {"urgent": 0, "serious": 1, "normal": 2, "minor": 3}
TIER_RANK = {"core": 0, "key": 1, "ordinary": 2, "potential": 3}


@dataclass
class QueueFilter:
    text: str = ""
    stages: tuple[str, ...] = OPEN_STAGES
    category: str | None = None
    severity: str | None = None
    owner_id: int | None = None
    channel: str | None = None
    department: str | None = None
    overdue_only: bool = False
    received_from: date | None = None
    received_to: date | None = None
    limit: int | None = None


class Card(NamedTuple):
    """One complaint on the board: an immutable value (copy with `card._replace(...)`).

    A named tuple rather than a frozen dataclass: the board builds 5,000 of them per load,
    and a tuple is made in a third of the time of a dataclass's attribute dict
    (tests/bench queue_query)."""

    id: int
    reference: str
    stage: str
    severity: str
    customer_name: str
    phone: str | None
    tier: str
    category: str
    description: str
    owner: str
    owner_id: int | None
    received_at: datetime
    due_at: datetime | None
    paused: bool
    reopen_count: int
    has_attachments: bool
    is_repeat: bool
    version: int
    overdue: bool = False
    # Added for the board's clock and table (defaults keep positional construction working).
    paused_since: datetime | None = None
    channel: str = ""
    department: str = ""
    closed_at: datetime | None = None


def overdue_now(now: datetime) -> ColumnElement[bool]:
    """app.sla.is_overdue of each complaint at `now`, in SQL (app/rules/overdue_sql.py)."""
    return overdue_sql(Complaint.stage, Complaint.due_at, Complaint.paused_since, now)


def _label_attr(lang: str) -> str:
    return {"zh-Hans": "label_zh_hans", "zh-Hant": "label_zh_hant"}.get(lang, "label_en")


def build_query(f: QueueFilter, now: datetime, lang: str, *, dialect: str = "sqlite",
                fts: bool = False, stage_index: bool = True) -> Select:  # type: ignore[type-arg]
    """The queue's one query; `dialect`/`fts` choose how text is searched (search_index).

    `stage_index=False` states the stage condition so that no index serves it, for callers
    that narrow the rows better by another index (the board's recently closed column).
    """
    cat = aliased(ListValue)
    dept = aliased(ListValue)
    severity_rank = case(SEVERITY_RANK, value=Complaint.severity, else_=9)
    tier_rank = case(TIER_RANK, value=Customer.tier, else_=9)
    overdue_rank = case((overdue_now(now), 0), else_=1)
    label = getattr(cat, _label_attr(lang))
    dept_label = getattr(dept, _label_attr(lang))

    def when(column: Any) -> Any:
        # Times as stored, parsed by cards_of (app/services/stored_values.py).
        return as_stored(column, dialect)

    q = (
        select(
            Complaint.id, Complaint.reference, Complaint.stage, Complaint.severity,
            Customer.name, Customer.phone, Customer.tier,
            label,
            func.substr(Complaint.description, 1, 80), User.display_name, Complaint.owner_id,
            when(Complaint.received_at), when(Complaint.due_at), when(Complaint.paused_since),
            Complaint.reopen_count,
            exists().where(Attachment.complaint_id == Complaint.id),
            Complaint.is_repeat, Complaint.version,
            Complaint.channel, dept_label, when(Complaint.closed_at),
        )
        .outerjoin(Customer, Customer.id == Complaint.customer_id)
        .outerjoin(User, User.id == Complaint.owner_id)
        .outerjoin(cat, cat.id == Complaint.category_id)
        .outerjoin(dept, dept.id == Complaint.department_id)
        .where(Complaint.stage.in_(f.stages) if stage_index
               else (Complaint.stage + "").in_(f.stages))
        .order_by(Complaint.stage, severity_rank, tier_rank, overdue_rank,
                  Complaint.due_at, Complaint.id)
    )
    text_match = text_condition(f.text, dialect=dialect, fts=fts)
    if text_match is not None:
        q = q.where(text_match)
    if f.category:
        q = q.where(Complaint.category_id.in_(
            select(ListValue.id).where(ListValue.kind == "category", ListValue.code == f.category)))
    if f.department:
        q = q.where(Complaint.department_id.in_(
            select(ListValue.id).where(ListValue.kind == "department",
                                       ListValue.code == f.department)))
    if f.severity:
        q = q.where(Complaint.severity == f.severity)
    if f.owner_id is not None:
        q = q.where(Complaint.owner_id == f.owner_id)
    if f.channel:
        q = q.where(Complaint.channel == f.channel)
    if f.overdue_only:
        q = q.where(overdue_now(now))
    if f.received_from:
        q = q.where(Complaint.received_at >= datetime.combine(f.received_from, datetime.min.time()))
    if f.received_to:
        q = q.where(Complaint.received_at < datetime.combine(
            f.received_to + timedelta(days=1), datetime.min.time()))
    if f.limit:
        q = q.limit(f.limit)
    return q


def queue_cards(db: Database, f: QueueFilter | None = None) -> list[Card]:
    """Cards for the board (open stages by default), in priority order within each stage."""
    f = f or QueueFilter()
    now = clock.now()
    q = build_query(f, now, get_language(), dialect=db.engine.dialect.name,
                    fts=index_pays(db, f.stages))
    with db.read() as session:
        # Core execution: the driver's rows, without the ORM's result machinery (tests/bench).
        rows = fetch_rows(session.connection(), q)
    return cards_of(rows, now)


def cards_of(rows: Sequence[Sequence[Any]], now: datetime) -> list[Card]:
    """Cards from rows of `build_query` (also for queries that reorder or limit it).

    Written for speed (the board's 5,000 cards): times come as text on SQLite (parsed by the
    C `datetime.fromisoformat`), as datetimes from PostgreSQL; each Card is made by
    `tuple.__new__` from its values in field order, without the keyword-checking __new__."""
    text = bool(rows) and isinstance(rows[0][11], str)
    parse = datetime.fromisoformat
    make, card_type, overdue = tuple.__new__, Card, is_overdue
    cards: list[Card] = []
    append = cards.append
    for (id_, reference, stage, severity, name, phone, tier, category, description, owner,
         owner_id, received, due, paused, reopen_count, attachments, repeat, version, channel,
         department, closed) in rows:
        if text:
            received = parse(received)
            if due is not None:
                due = parse(due)
            if paused is not None:
                paused = parse(paused)
            if closed is not None:
                closed = parse(closed)
        append(make(card_type, (  # in Card's field order (tests/unit/test_queue.py)
            id_, reference, stage, severity, name or "", phone, tier or "ordinary",
            category or "", description, owner or "", owner_id, received, due,
            paused is not None, reopen_count, bool(attachments), bool(repeat), version,
            overdue(stage, due, now, paused), paused, channel, department or "", closed)))
    return cards


def fetch_rows(conn: Any, q: Select) -> list[Any]:  # type: ignore[type-arg]
    """The rows of a `build_query` statement as the driver gives them: its columns need no
    conversion by SQLAlchemy (times as text on SQLite, see `build_query`), and building
    SQLAlchemy's Row objects was a fifth of the queue's time at 5,000 cards."""
    result = conn.execute(q)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def priority_key(card: Card, now: datetime) -> tuple[int, int, int, datetime, int]:
    """The order of `build_query` within a stage, for placing one card without a reload."""
    overdue = is_overdue(card.stage, card.due_at, now, card.paused_since)
    return (SEVERITY_RANK.get(card.severity, 9), TIER_RANK.get(card.tier, 9),
            0 if overdue else 1, card.due_at or datetime.min, card.id)


def search(db: Database, text: str, limit: int = 200) -> list[Card]:
    """Complaints in any stage whose reference, customer, phone or description match."""
    return queue_cards(db, QueueFilter(text=text, stages=STAGES, limit=limit))
