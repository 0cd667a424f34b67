"""Text search over complaints: SQLite FTS5 (trigram) where present, LIKE / ILIKE elsewhere.

The one place that knows the dialect, so the queue and search services stay portable SQL.
Migration 0002 creates the index on SQLite only (`complaint_search`, kept in step with
`complaints` and `customers` by triggers). A trigram index cannot answer terms shorter than
three characters (two Chinese characters are a common query), so those fall back to LIKE.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, column, func, or_, select, table, text
from sqlalchemy.engine import Connection

from app.db import Database
from app.models import Complaint, Customer

FTS_TABLE = "complaint_search"
MIN_FTS_CHARS = 3  # a trigram index answers terms of three characters or more
MAX_TERMS = 8  # more words than this in the search box add nothing but work

_fts = table(FTS_TABLE, column("rowid"), column(FTS_TABLE))
_PHONE_LIKE = re.compile(r"^[\d()+\-.]+$")
_available: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def fts_available(db: Database) -> bool:
    """Whether this database has the FTS index (looked up once per engine)."""
    if db.engine not in _available:
        found = False
        if db.is_sqlite:
            with db.engine.connect() as conn:
                found = conn.execute(
                    text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n"),
                    {"n": FTS_TABLE},
                ).first() is not None
        _available[db.engine] = found
    return _available[db.engine]


INSERT_TRIGGER = f"{FTS_TABLE}_ai"  # migration 0002: indexes each complaint as it is inserted


@contextmanager
def indexed_in_bulk(conn: Connection) -> Iterator[None]:
    """Complaints inserted inside the block are indexed by one statement at its end, not by
    the insert trigger row by row: for an import of 100,000 rows that is 1 s instead of 6
    (tests/bench: import_100k). Inside the caller's transaction: its rollback (an error, a
    cancel) restores the trigger with everything else. Nothing to do without the index."""
    found = None
    if conn.dialect.name == "sqlite":
        found = conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                  "AND name = :n"), {"n": INSERT_TRIGGER}).first()
    if found is None:
        yield
        return
    before = conn.execute(select(func.coalesce(func.max(Complaint.id), 0))).scalar_one()
    conn.execute(text(f"DROP TRIGGER {INSERT_TRIGGER}"))
    yield
    # The same row the trigger writes (0002's _ROW), for every complaint of the block.
    conn.execute(text(
        f"INSERT INTO {FTS_TABLE}(rowid, reference, customer, phone, description) "
        "SELECT c.id, c.reference, coalesce(cu.name, ''), coalesce(cu.phone, ''), "
        "c.description FROM complaints c LEFT JOIN customers cu ON cu.id = c.customer_id "
        "WHERE c.id > :before"), {"before": before})
    conn.execute(text(found[0]))


def index_pays(db: Database, stages: tuple[str, ...]) -> bool:
    """Whether the trigram index should answer a text search over complaints in `stages`.

    Measured at 100,000 complaints (about 5,000 open): over the whole history the index is
    3-20 times faster than LIKE for words of three characters or more. Over the open stages
    alone LIKE scans a bounded set in 10-30 ms whatever the word, while the index gets slower
    for words most complaints contain (a reference prefix "TS-2026" matches all 100,000 and
    costs 50-100 ms more), so the board's columns search with LIKE.
    """
    return "closed" in stages and fts_available(db)


def search_terms(query: str) -> list[str]:
    """The words of a search box entry: whitespace-separated, each matched on its own."""
    return list(dict.fromkeys(query.split()))[:MAX_TERMS]


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_phrase(term: str) -> str:
    """A term as one FTS5 phrase: a substring match with the trigram tokenizer."""
    return '"' + term.replace('"', '""') + '"'


def _like(col: Any, pattern: str, dialect: str) -> ColumnElement[bool]:
    # SQLite's LIKE ignores ASCII case already; PostgreSQL needs ILIKE for the same effect.
    if dialect == "sqlite":
        return col.like(pattern, escape="\\")  # type: ignore[no-any-return]
    return col.ilike(pattern, escape="\\")  # type: ignore[no-any-return]


def _term_condition(term: str, dialect: str, fts: bool) -> ColumnElement[bool]:
    digits = re.sub(r"\D", "", term) if _PHONE_LIKE.match(term) else ""
    conditions: list[ColumnElement[bool]] = []
    if fts and len(term) >= MIN_FTS_CHARS:
        conditions.append(Complaint.id.in_(
            select(_fts.c.rowid).where(_fts.c[FTS_TABLE].op("MATCH")(fts_phrase(term)))))
    else:
        pattern = like_pattern(term)
        conditions.extend(_like(c, pattern, dialect) for c in (
            Complaint.reference, Customer.name, Customer.phone, Complaint.description))
    if digits and digits != term:
        # Phones are stored normalised (digits only): "138-0013" finds 13800138000.
        conditions.append(_like(Customer.phone, like_pattern(digits), dialect))
    return or_(*conditions) if len(conditions) > 1 else conditions[0]


def text_condition(query: str, *, dialect: str = "sqlite",
                   fts: bool = False) -> ColumnElement[bool] | None:
    """Complaints whose reference, customer name, phone or description contain every word.

    The caller's query must join `Customer` (outer join) for the LIKE branch. None when the
    query has no words.
    """
    terms = search_terms(query)
    if not terms:
        return None
    parts = [_term_condition(t, dialect, fts) for t in terms]
    return and_(*parts) if len(parts) > 1 else parts[0]

