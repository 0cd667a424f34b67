"""Looking into a test's database from outside the program's services, on SQLite or PostgreSQL.

Tests that used the raw sqlite3 module on the database file can use these instead and then run
on both backends (COMPLAINT_DESK_TEST_DB, tests/conftest.py):
- `table_counts(db)`: rows per table; `count(db, table)`;
- `fingerprint(db)`: a hash of every row of every table (equal: nothing changed);
- `references(db)`: every complaint reference;
- `raw(db, sql, **params)`: run SQL on a connection of its own, committed at once, as someone
  with another tool would (named parameters, `:name`, work on both backends).
Only the program's own tables are looked at (not SQLite's FTS index tables), so the figures
are the same on both backends.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, select, text

from app.db import Database
from app.models import Base, Complaint


def _tables() -> list[Any]:
    return sorted(Base.metadata.sorted_tables, key=lambda t: t.name)


def table_counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in _tables()}


def count(db: Database, table: str = "complaints") -> int:
    return table_counts(db)[table]


def fingerprint(db: Database) -> str:
    """A hash of every row of every table, read in key order through the program's types."""
    digest = hashlib.sha256()
    with db.engine.connect() as conn:
        for table in _tables():
            digest.update(table.name.encode())
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def references(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(conn.execute(select(Complaint.reference)).scalars())


def raw(db: Database, sql: str, **params: Any) -> None:
    """Change the database behind the program's back (no audit trail, no checks)."""
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)
