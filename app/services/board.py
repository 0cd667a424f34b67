"""What the kanban board loads in one go: the filtered cards of every column, the totals per
stage (for work-in-progress limits), the limits themselves and the change marker.

One read transaction, so the columns and the headers agree with each other.

A search typed over a board already loaded without one (`base`) asks the database only which
complaints match, and keeps those of the base's cards, as long as nothing changed since (the
same change marker) and no card fell due meanwhile: at 100,000 complaints that is 10-20 ms a
keystroke instead of reading 5,000 cards again (issue 18). The match is the same SQL either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock
from app.codes import STAGES
from app.db import Database
from app.i18n import get_language
from app.models import Complaint, Customer
from app.rules.stages import OPEN_STAGES
from app.services.changes import ChangeMarker, marker_in
from app.services.list_choices import list_choices
from app.services.queue import Card, QueueFilter, build_query, cards_of, fetch_rows
from app.services.search_index import index_pays, search_terms, text_condition
from app.services.users import list_staff
from app.settings import get as get_setting

STAGE_ORDER = {stage: i for i, stage in enumerate(STAGES)}
CLOSED_DAYS = 7  # the closed column shows what was closed this last week ...
CLOSED_LIMIT = 200  # ... newest first, at most this many (the table/search finds older ones)


@dataclass(frozen=True)
class BoardData:
    cards: list[Card]  # open stages in priority order, then recently closed, newest first
    totals: dict[str, int]  # complaints per open stage, whatever the filter (for WIP limits)
    wip_limits: dict[str, int]  # stage -> limit, only stages that have one
    marker: ChangeMarker
    loaded_at: datetime
    closed_since: date | None  # None when closed complaints were not asked for
    query: QueueFilter | None = None  # the filter loaded (a copy)


@dataclass(frozen=True)
class FilterChoices:
    categories: list[tuple[str, str]]  # (code, label in the current language)
    departments: list[tuple[str, str]]
    staff: list[tuple[int, str]]  # (user id, display name)


def clean_wip_limits(raw: Any) -> dict[str, int]:
    """The usable part of the `wip_limits` setting: known open stages with a positive limit."""
    if not isinstance(raw, dict):
        return {}
    limits = {}
    for stage, value in raw.items():
        if stage in OPEN_STAGES and isinstance(value, int) and not isinstance(value, bool) \
                and value > 0:
            limits[stage] = value
    return limits


def load_board(db: Database, f: QueueFilter | None = None, *, show_closed: bool = True,
               closed_days: int = CLOSED_DAYS, base: BoardData | None = None) -> BoardData:
    """Cards for the board's columns (open stages of `f`, and recently closed ones); `base`:
    the board's last load without search words, which a search may narrow (module notes)."""
    f = f or QueueFilter()
    now = clock.now()
    lang = get_language()
    open_stages = tuple(s for s in f.stages if s in OPEN_STAGES)
    dialect, fts = db.engine.dialect.name, index_pays(db, open_stages)
    since = (now - timedelta(days=closed_days)).date() if show_closed else None
    with db.read() as session:
        # The marker in the same read transaction as the data: what was loaded is exactly
        # what the marker describes (a change landing after it shows at the next poll).
        marker = marker_in(session)
        if base is not None and _narrows(base, f, marker, since, now):
            return _narrowed(session, base, f, marker, open_stages, dialect, fts, now, lang)
        open_q = build_query(_with_stages(f, open_stages), now, lang, dialect=dialect, fts=fts)
        conn = session.connection()  # Core rows: no ORM result machinery for 5,000 cards
        rows = fetch_rows(conn, open_q) if open_stages else []
        if since is not None:
            # Driven by the closed_at index: by stage SQLite would walk every closed
            # complaint (about 100 ms at 100,000 instead of a few).
            rows.extend(fetch_rows(conn, _closed_query(f, since, now, lang, dialect)
                                   .limit(CLOSED_LIMIT)))
        totals = dict.fromkeys(OPEN_STAGES, 0)
        totals.update({stage: int(n) for stage, n in session.execute(
            select(Complaint.stage, func.count()).where(Complaint.stage.in_(OPEN_STAGES))
            .group_by(Complaint.stage))})
        limits = clean_wip_limits(get_setting(session, "wip_limits"))
    cards = cards_of(rows, now)
    cards.sort(key=lambda c: STAGE_ORDER[c.stage])  # stable: priority order within a stage
    return BoardData(cards, totals, limits, marker, now, since, QueueFilter(**vars(f)))


def _closed_query(f: QueueFilter, since: date, now: datetime, lang: str, dialect: str
                  ) -> Any:
    return (build_query(_with_stages(f, ("closed",)), now, lang, dialect=dialect, fts=False,
                        stage_index=False)
            .where(Complaint.closed_at >= datetime.combine(since, datetime.min.time()))
            .order_by(None).order_by(Complaint.closed_at.desc(), Complaint.id.desc()))


def _narrows(base: BoardData, f: QueueFilter, marker: ChangeMarker, since: date | None,
             now: datetime) -> bool:
    """Whether `f` is `base`'s filter plus search words over unchanged data, so that its
    cards are those of `base` that match the words."""
    if base.query is None or search_terms(base.query.text) or not search_terms(f.text):
        return False
    if {**vars(base.query), "text": ""} != {**vars(f), "text": ""}:
        return False
    if base.marker != marker or base.closed_since != since:
        return False
    # A card that fell due since changes its place and the overdue filter: load afresh.
    return not any(c.due_at is not None and base.loaded_at < c.due_at <= now
                   for c in base.cards)


def _narrowed(session: Session, base: BoardData, f: QueueFilter, marker: ChangeMarker,
              open_stages: tuple[str, ...], dialect: str, fts: bool, now: datetime,
              lang: str) -> BoardData:
    """`base`'s cards that match the search words of `f`, in `base`'s order (the words
    matched by the same SQL as a full load). The closed column is read again, as a full load
    reads it, when `base` held only its newest CLOSED_LIMIT cards."""
    ids: set[int] = set()
    match = text_condition(f.text, dialect=dialect, fts=fts)
    closed_match = text_condition(f.text, dialect=dialect, fts=False)
    assert match is not None and closed_match is not None  # _narrows: f has search words
    if open_stages:
        ids.update(session.scalars(
            select(Complaint.id).outerjoin(Customer, Customer.id == Complaint.customer_id)
            .where(Complaint.stage.in_(open_stages)).where(match)))
    since = base.closed_since
    closed: list[Card] = []
    if since is not None:
        held = [c for c in base.cards if c.stage == "closed"]
        if len(held) < CLOSED_LIMIT:
            # `base` held the whole closed column: its cards that match, in its order.
            matching = set(session.scalars(
                select(Complaint.id).outerjoin(Customer, Customer.id == Complaint.customer_id)
                .where((Complaint.stage + "") == "closed")
                .where(Complaint.closed_at >= datetime.combine(since, datetime.min.time()))
                .where(closed_match)))
            closed = [c for c in held if c.id in matching]
        else:  # only the newest: the newest that match are read as a full load reads them
            rows = fetch_rows(session.connection(), _closed_query(
                f, since, base.loaded_at, lang, dialect).limit(CLOSED_LIMIT))
            closed = cards_of(rows, now)
    cards = [c for c in base.cards if c.id in ids and c.stage != "closed"] + closed
    return BoardData(cards, base.totals, base.wip_limits, marker, base.loaded_at,
                     since, QueueFilter(**vars(f)))


def _with_stages(f: QueueFilter, stages: tuple[str, ...]) -> QueueFilter:
    copy = QueueFilter(**vars(f))
    copy.stages = stages
    copy.limit = None
    return copy


def filter_choices(db: Database) -> FilterChoices:
    """The pick lists of the board's filter bar, labelled in the current language."""
    return FilterChoices(
        categories=list_choices(db, "category"),
        departments=list_choices(db, "department"),
        staff=[(m.id, m.display_name) for m in list_staff(db)],
    )


def stage_after(stage: str, step: int) -> str | None:
    """The next (step=1) or previous (step=-1) stage, None past either end."""
    i = STAGES.index(stage) + step
    return STAGES[i] if 0 <= i < len(STAGES) else None
