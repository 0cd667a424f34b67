"""The queue: open complaints by stage with customer and owner, filtered and searched.

One query returns plain rows (no ORM objects) so that thousands of cards load fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, case, exists, func, select, type_coerce
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


@dataclass(frozen=True)
class Card:
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
    overdue: bool = field(default=False)
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
        # SQLite hands times over as text: read as text and parsed by cards_of with the C
        # datetime.fromisoformat, not SQLAlchemy's per-value processor (a tenth of the queue).
        return type_coerce(column, String) if dialect == "sqlite" else column

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


assert not hasattr(Card, "__post_init__")  # cards_of() relies on a plain generated __init__


def cards_of(rows: Sequence[Sequence[Any]], now: datetime) -> list[Card]:
    """Cards from rows of `build_query` (also for queries that reorder or limit it).

    Written for speed (the board's 5,000 cards): times come as text on SQLite (parsed by the
    C `datetime.fromisoformat`), as datetimes from PostgreSQL. Each Card is given its
    attribute dict whole, without the frozen dataclass's __init__, whose object.__setattr__
    per field was a quarter of the queue's time: the same object, equal and hashable."""
    text = bool(rows) and isinstance(rows[0][11], str)
    parse = datetime.fromisoformat
    new, set_dict = object.__new__, object.__setattr__
    cards: list[Card] = []
    append = cards.append
    for r in rows:
        if text:
            received, due, paused, closed = (parse(r[11]), r[12] and parse(r[12]),
                                             r[13] and parse(r[13]), r[20] and parse(r[20]))
        else:
            received, due, paused, closed = r[11], r[12], r[13], r[20]
        card = new(Card)
        set_dict(card, "__dict__", {  # every field of Card (tests/unit/test_queue.py)
            "id": r[0], "reference": r[1], "stage": r[2], "severity": r[3],
            "customer_name": r[4] or "", "phone": r[5], "tier": r[6] or "ordinary",
            "category": r[7] or "", "description": r[8], "owner": r[9] or "",
            "owner_id": r[10], "received_at": received, "due_at": due,
            "paused": paused is not None, "reopen_count": r[14],
            "has_attachments": bool(r[15]), "is_repeat": bool(r[16]), "version": r[17],
            "overdue": is_overdue(r[2], due, now, paused), "paused_since": paused,
            "channel": r[18], "department": r[19] or "", "closed_at": closed})
        append(card)
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
