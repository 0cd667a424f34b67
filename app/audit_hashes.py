"""Canonical forms and hashes of the audit trail (app/audit.py): one text per value, the
fingerprint of a row as read back from the database, the hash of an event."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

CHUNK = 500  # keys per IN (...) when re-reading rows


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    raise TypeError(f"not JSON: {type(value).__name__}")


def canonical(value: Any) -> str:
    """One text per value: sorted keys, no spaces, UTF-8 kept; what hashes are taken over."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=_plain)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(table: Table, row: Mapping[str, Any] | Any) -> str:
    """SHA-256 of a row's values as read back from the database (column order of the table)."""
    return sha256(canonical([table.name, [row[c.name] for c in table.columns]]))


def event_hash(event_id: int, at: datetime, actor_id: int | None, actor_name: str, action: str,
               target: str, data: str, seals: str, prev_hash: str) -> str:
    return sha256(canonical([event_id, at, actor_id, actor_name, action, target, data, seals,
                             prev_hash]))


def key_column(table: Table) -> Any:
    (col,) = table.primary_key.columns  # every sealed table has a one-column key
    return col


def read_rows(conn: Connection | Session, table: Table, keys: Sequence[str]
              ) -> dict[str, Mapping[str, Any]]:
    """Rows of `table` by key (as text), read through the same types as at check time."""
    col = key_column(table)
    found: dict[str, Any] = {}
    for start in range(0, len(keys), CHUNK):
        part = list(keys[start:start + CHUNK])
        wanted = [int(k) for k in part] if col.type.python_type is int else part
        for row in conn.execute(select(table).where(col.in_(wanted))).mappings():
            found[str(row[col.name])] = row
    return found
