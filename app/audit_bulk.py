"""Seals for rows added in bulk (demo data, imports), at the speed of the bulk insert.

Rows a bulk path inserts with Core (no ORM flush) are sealed like the program's own writes:
each gets its fingerprint (app/audit.fingerprint) in the seal index (audit_seals), under the
bulk audit event. That event's data says, per table, [first id, last id, rows sealed, digest],
the digest being SHA-256 over the sealed rows' "key:fingerprint" lines in key order (as text):
so the chain vouches for every fingerprint without carrying them one by one. When the program
later changes such a row, the per-row seal of that change carries the fingerprint it replaces,
and `check` can still rebuild the bulk digest (app/audit_check.py).

Cost, measured: see the report of issue 15 (streamed in key order, one pass per table).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

from app.audit_hashes import added_later, key_column, row_fingerprint

FETCH = 5000


def range_digest(pairs: Iterable[tuple[str, str | None]]) -> str:
    """Digest of (key, fingerprint) pairs; the caller gives them sorted by key as text."""
    digest = hashlib.sha256()
    for key, fp in pairs:
        digest.update(f"{key}:{fp}\n".encode())
    return digest.hexdigest()


def seal_range(conn: Connection, table: Table, first: int, last: int,
               skip: set[str]) -> list[tuple[str, str]]:
    """(key, fingerprint) of every row of `table` with first <= id <= last, but those in
    `skip` (sealed one by one in the same transaction), sorted by key as text."""
    col = key_column(table)
    at = list(table.columns).index(col)
    later = added_later(table)
    # Options on the statement: on a Connection they would stay for the INSERTs after it.
    result = conn.execute(select(table).where(col.between(first, last))
                          .execution_options(yield_per=FETCH))
    pairs = []
    for row in result:
        key = str(row[at])
        if key not in skip:
            pairs.append((key, row_fingerprint(table, tuple(row), later)))
    pairs.sort()
    return pairs
