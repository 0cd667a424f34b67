"""Seals for rows added in bulk (demo data, imports), at the speed of the bulk insert.

Rows a bulk path inserts with Core (no ORM flush) are sealed like the program's own writes:
each gets its fingerprint (app/audit.fingerprint) in the seal index (audit_seals), under the
bulk audit event. That event's data says, per table, [first id, last id, rows sealed, digest],
the digest being SHA-256 over the sealed rows' "key:fingerprint" lines in key order (as text):
so the chain vouches for every fingerprint without carrying them one by one. When the program
later changes such a row, the per-row seal of that change carries the fingerprint it replaces,
and `check` can still rebuild the bulk digest (app/audit_check.py).

Cost, measured: see the report of issue 15 (streamed in key order, one pass per table).
A bulk path that holds the rows it inserted can hand in their fingerprints (`held`): the rows
are then not read back (2 of the 3.5 s sealing an import of 100,000 took, issue 17). They are
used only when they account for exactly the rows of the range; otherwise the range is read.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Table, select
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


def held_fingerprints(table: Table, rows: Iterable[tuple[int, Mapping[str, Any]]],
                      ) -> list[tuple[str, str]]:
    """(key, fingerprint) of rows a bulk insert just wrote, from the values it passed (every
    column but the key, which comes with each row): the fingerprint `check` computes from the
    row read back (tested equal, tests/unit/test_import_seals.py). A column missing from a
    row is an error, never a guess: the database would have filled in its default."""
    held = rows if isinstance(rows, list) else list(rows)
    given = [row for _key, row in held]
    key_name = key_column(table).name
    columns = {c.name: list(map(operator.itemgetter(c.name), given))
               for c in table.columns if c.name != key_name}
    return held_column_fingerprints(table, [key for key, _row in held], columns)


def held_column_fingerprints(table: Table, keys: Sequence[Any],
                             columns: Mapping[str, Sequence[Any]]) -> list[tuple[str, str]]:
    """held_fingerprints of rows given column by column: `columns` holds every column but
    the key (name -> values in the order of `keys`). A column missing is an error (KeyError),
    as is one of another length."""
    key_name = key_column(table).name
    values: list[Sequence[Any]] = []
    for c in table.columns:
        if c.name == key_name:
            values.append(keys)
            continue
        column = columns[c.name]
        if len(column) != len(keys):
            raise ValueError(f"{table.name}.{c.name}: {len(column)} values for {len(keys)} rows")
        values.append(_canonical_times(column) if isinstance(c.type, DateTime) else column)
    later = added_later(table)
    # The rows' value tuples built by zip from the columns, in C.
    return [(str(key), row_fingerprint(table, row, later))
            for key, row in zip(keys, zip(*values, strict=True), strict=True)]


def _canonical_times(column: Sequence[Any]) -> list[Any]:
    """A datetime's canonical text (audit_hashes._plain), made here rather than called back
    from the JSON encoder for each of 600,000 values: the same text. A column holding one
    naive time for every row (an import's own time) is converted once: naive times that
    compare equal have the same fields, hence the same text."""
    first = column[0] if column else None
    if type(first) is datetime and first.tzinfo is None and column.count(first) == len(column):
        return [first.isoformat(sep=" ")] * len(column)
    return [v.isoformat(sep=" ") if type(v) is datetime else v for v in column]


def covers(held: list[tuple[str, str]], first: int, last: int, count: int) -> bool:
    """Do the held fingerprints account for exactly the `count` rows with first <= id <= last?
    (Distinct keys, all in the range, as many as the range holds: then they are those rows.)"""
    if len(held) != count:
        return False
    keys = {int(k) for k, _fp in held}
    return len(keys) == count and (not keys or (min(keys) >= first and max(keys) <= last))


def seal_held(held: list[tuple[str, str]], skip: set[str]) -> list[tuple[str, str]]:
    """The held pairs as seal_range gives them: without `skip`, sorted by key as text."""
    return sorted(p for p in held if p[0] not in skip)
