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


# One encoder made once: json.dumps with options builds a new one at every call, which is most
# of the cost of fingerprinting a row (bulk rows are sealed by the hundred thousand).
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                            default=_plain)


def canonical(value: Any) -> str:
    """One text per value: sorted keys, no spaces, UTF-8 kept; what hashes are taken over."""
    return _ENCODER.encode(value)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# The C encoder behind _ENCODER, called directly: the same text (tested equal) without the
# Python layers around it, a third of a row's fingerprint when bulk rows are sealed.
_C_ENCODE = (json.encoder.c_make_encoder(None, _plain, json.encoder.encode_basestring, None,  # type: ignore[attr-defined]
                                          ":", ",", True, False, True)
             if getattr(json.encoder, "c_make_encoder", None) is not None else None)


def fingerprint_values(name: str, values: Sequence[Any]) -> str:
    """SHA-256 of a row given as its values in the table's column order: the same as
    sha256(canonical([name, list(values)]))."""
    text = ("".join(_C_ENCODE([name, values], 0)) if _C_ENCODE is not None
            else _ENCODER.encode([name, list(values)]))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def added_later(table: Table) -> tuple[int, ...]:
    """Positions of the columns a later schema revision added to a sealed table, marked
    `info={"added_later": True}` (e.g. complaints.occurred_at, 0006): such a column counts in
    a row's fingerprint only once it holds a value, so rows sealed before it existed keep
    their fingerprint."""
    return tuple(i for i, c in enumerate(table.columns) if c.info.get("added_later"))


def row_fingerprint(table: Table, values: Sequence[Any],
                    later: tuple[int, ...] | None = None) -> str:
    """fingerprint() of a row given as its values in the table's column order (a Core result
    row, or the values a bulk insert holds); `later` is added_later(table), passed in by
    callers that fingerprint many rows of one table."""
    if later is None:
        later = added_later(table)
    empty = [i for i in later if values[i] is None]
    if empty:
        kept = list(values)
        for i in reversed(empty):
            del kept[i]
        values = kept
    return fingerprint_values(table.name, values)


def fingerprint(table: Table, row: Mapping[str, Any] | Any) -> str:
    """SHA-256 of a row's values as read back from the database (column order of the table;
    a column added later counts only once it holds a value, see added_later)."""
    return row_fingerprint(table, [row[c.name] for c in table.columns])


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
