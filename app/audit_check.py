"""Verifying the audit trail (`python main.py check`, app/services/checks.py).

1. The chain: ids follow each other, each event's hash matches its columns, each names the
   hash of the one before, and the head row names the newest event. The first break is
   reported with the event's number, time, action and actor.
2. The seals: the index of latest seals (audit_seals) agrees with the seals in the chain, and
   every sealed row still has the fingerprint the program gave it (a row edited or deleted
   with another tool no longer does).
3. Coverage: every row of a sealed table was written by the program: it has a seal, or lies
   in a range a bulk event (demo data, import) accounted for, whose row count still holds.

Rows added in bulk (demo data, imports) are sealed too: the index holds each one's fingerprint
and the bulk event a digest over them, rebuilt here (app/audit_bulk.py). Databases from before
that carry only counted ranges for them.

Limits, said plainly: someone who rewrites the whole chain from the changed row onwards with
this algorithm (the program is open) is not caught by the file alone; backups keep the
earlier chain.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, exists, func, not_, or_, select
from sqlalchemy.engine import Connection

from app import backup_rotation
from app.audit import FOUND_CHANGED, SEALED, key_as_text, table_of
from app.audit_bulk import range_digest
from app.audit_hashes import added_later, event_hash, key_column, row_fingerprint
from app.audit_labels import action_label, table_label
from app.backup_manifest import read_manifest
from app.backup_places import all_folders
from app.db import Database
from app.i18n import _, ngettext
from app.models import AuditEvent, AuditHead, AuditSeal
from app.network_drive import read_only_uri

MAX_LISTED = 20
FETCH = 2000


@dataclass
class Trail:
    """What walking the chain found."""

    problem: str | None = None
    last_id: int = 0
    last_hash: str = "0" * 64
    count: int = 0
    seals: dict[tuple[str, str], tuple[int, str | None]] = field(default_factory=dict)
    ranges: list[tuple[str, int, int, int]] = field(default_factory=list)  # table, a, b, n
    # Bulk seals: (table, first, last) -> (event id, rows sealed, digest); and the fingerprint
    # each row had before the program first changed it after its bulk seal.
    bulk: dict[tuple[str, int, int], tuple[int, int, str]] = field(default_factory=dict)
    replaced: dict[tuple[str, str], str | None] = field(default_factory=dict)
    found: list[str] = field(default_factory=list)  # tampering the program ran into


def describe_event(row: Any) -> str:
    target = f" {row.target}" if row.target else ""
    return _("audit event #{id} ({time}, {action}{target}, by {actor})", id=row.id,
             time=f"{row.at:%Y-%m-%d %H:%M:%S}", action=action_label(row.action),
             target=target, actor=row.actor_name)


def _events(conn: Connection) -> Iterator[Any]:
    # For this statement only: Connection.execution_options() would change the connection,
    # turning every later statement on it into a server-side cursor (migrate-to's INSERTs).
    result = conn.execute(select(AuditEvent.__table__).order_by(AuditEvent.id),
                          execution_options={"yield_per": FETCH})
    yield from result


def walk_chain(conn: Connection) -> Trail:
    trail = Trail()
    previous: Any = None
    for row in _events(conn):
        trail.count += 1
        if trail.problem is None:
            trail.problem = _link_problem(row, previous, trail)
        trail.last_id, trail.last_hash, previous = row.id, row.hash, row
        _collect(row, trail)
    if trail.problem is None:
        trail.problem = _head_problem(conn, trail, previous)
    return trail


def _link_problem(row: Any, previous: Any, trail: Trail) -> str | None:
    expected = trail.last_id + 1
    if row.id != expected:
        if row.id < expected:
            return _("The audit trail is out of order at {event}.", event=describe_event(row))
        return _("Audit event #{missing} was deleted: {event} follows #{before}.",
                 missing=expected, event=describe_event(row), before=trail.last_id)
    digest = event_hash(row.id, row.at, row.actor_id, row.actor_name, row.action, row.target,
                        row.data, row.seals, row.prev_hash)
    if digest != row.hash:
        return _("The {event} was changed after it was recorded.", event=describe_event(row))
    if row.prev_hash != trail.last_hash:
        if previous is None:
            return _("The audit trail does not start at its beginning: the events before "
                     "{event} were removed.", event=describe_event(row))
        return _("The {event} was changed after it was recorded (the next event no longer "
                 "follows it).", event=describe_event(previous))
    return None


def _head_problem(conn: Connection, trail: Trail, newest: Any) -> str | None:
    head = conn.execute(select(AuditHead.last_id, AuditHead.last_hash)).first()
    if head is None:
        return None if trail.count == 0 else _("The audit trail's head record is missing.")
    if head.last_id > trail.last_id:
        return _("Audit event #{missing} and later were deleted (the newest left is #{last}).",
                 missing=trail.last_id + 1, last=trail.last_id)
    if head.last_id != trail.last_id or head.last_hash != trail.last_hash:
        return _("The newest {event} does not match the audit trail's head record.",
                 event=describe_event(newest) if newest is not None else "#0")
    return None


def _collect(row: Any, trail: Trail) -> None:
    try:
        seals = json.loads(row.seals)
        data = json.loads(row.data)
    except ValueError:
        return
    for seal in seals if isinstance(seals, list) else []:
        if not isinstance(seal, list) or len(seal) not in (3, 4):
            continue
        where = (str(seal[0]), str(seal[1]))
        if len(seal) == 4 and where not in trail.replaced:
            trail.replaced[where] = seal[3]
        trail.seals[where] = (row.id, seal[2])
    sealed = data.get("sealed") if isinstance(data, dict) else None
    if isinstance(sealed, dict):
        for table, spec in sealed.items():
            if isinstance(spec, list) and len(spec) == 4:
                trail.bulk[(str(table), int(spec[0]), int(spec[1]))] = (row.id, int(spec[2]),
                                                                         str(spec[3]))
    rows = data.get("rows") if isinstance(data, dict) else None
    if row.action == FOUND_CHANGED and isinstance(rows, list):
        trail.found.extend(
            _("{row} had been changed outside the program; noticed when {actor} changed it "
              "at {time} (audit event #{id}).", row=row_name(str(t), str(k), None, label),
              actor=row.actor_name, time=f"{row.at:%Y-%m-%d %H:%M}", id=row.id)
            for t, k, label in (list(r) + [""] * (3 - len(r)) for r in rows))
        return
    if isinstance(rows, dict):
        for table, span in rows.items():
            if isinstance(span, list) and len(span) == 3:
                trail.ranges.append((str(table), int(span[0]), int(span[1]), int(span[2])))


def _bulk_event(trail: Trail, table: str, key: str) -> tuple[int, int, int] | None:
    """The bulk seal (event id, first, last) whose range holds this row, if any."""
    if not key.isdigit():
        return None
    for (t, first, last), (event_id, _n, _digest) in trail.bulk.items():
        if t == table and first <= int(key) <= last:
            return event_id, first, last
    return None


def _index_problems(conn: Connection, trail: Trail) -> list[str]:
    """The seal index must say what the chain says: a row's latest per-row seal, else the
    fingerprint its bulk seal vouches for (rebuilt digest, app/audit_bulk.py)."""
    index = {(r.table_name, r.row_key): (r.audit_id, r.fingerprint)
             for r in conn.execute(select(AuditSeal.__table__))}
    problems = []
    by_bulk: dict[tuple[str, int, int], list[tuple[str, str | None]]] = {}
    for key in sorted(set(index) | set(trail.seals)):
        bulk = _bulk_event(trail, *key)
        if key in trail.seals and bulk is not None and bulk[0] > trail.seals[key][0]:
            # An id the program had deleted, given again to a row added in bulk later.
            del trail.seals[key]
            trail.replaced.pop(key, None)
        if key in trail.seals:
            expected = trail.seals[key]
            if bulk is not None and key in trail.replaced:  # changed after its bulk seal
                by_bulk.setdefault((key[0], bulk[1], bulk[2]), []).append(
                    (key[1], trail.replaced[key]))
        elif bulk is not None and key in index and index[key][0] == bulk[0]:
            expected = index[key]
            by_bulk.setdefault((key[0], bulk[1], bulk[2]), []).append((key[1], index[key][1]))
        else:
            expected = None
        if index.get(key) != expected:
            audit_id = (expected or index.get(key) or (0, None))[0]
            problems.append(_("The record of {row} was altered (audit event #{id}).",
                              row=row_name(key[0], key[1], None), id=audit_id))
    for where, (event_id, count, digest) in sorted(trail.bulk.items()):
        pairs = sorted(by_bulk.get(where, []))
        if len(pairs) != count or range_digest(pairs) != digest:
            problems.append(ngettext(
                "The seal of the {count} row of table {table} added in bulk (ids "
                "{first}–{last}) was altered (audit event #{id}).",
                "The seals of the {count} rows of table {table} added in bulk (ids "
                "{first}–{last}) were altered (audit event #{id}).", count,
                count=count, table=table_label(where[0]), first=where[1], last=where[2],
                id=event_id))
    return problems


def row_name(table: str, key: str, row: Any, label: str = "") -> str:
    """A row as people know it: the complaint's reference, the account's user name ..."""
    if table == "settings":
        return _("setting {key}", key=key)
    if row is not None:
        label = str(row.get({"complaints": "reference", "users": "username"}.get(table, ""),
                            "") or "")
    if label and table == "complaints":
        return _("complaint {reference}", reference=label)
    if label and table == "users":
        return _("account {name}", name=label)
    return _("row {key} of table {table}", key=key, table=table_label(table))


def _row_problems(conn: Connection, trail: Trail) -> list[str]:
    """Every sealed row still has the fingerprint its seal (in the index, checked against the
    chain above) gives it; one pass over each table."""
    problems: list[str] = []
    for name in SEALED:
        tbl = table_of(name)
        seals = {r.row_key: (r.audit_id, r.fingerprint) for r in conn.execute(
            select(AuditSeal.row_key, AuditSeal.audit_id, AuditSeal.fingerprint)
            .where(AuditSeal.table_name == name))}
        if not seals:
            continue
        col = key_column(tbl)
        at = list(tbl.columns).index(col)
        later = added_later(tbl)
        seen: set[str] = set()
        result = conn.execute(select(tbl).order_by(col).execution_options(yield_per=FETCH))
        for row in result:
            key = str(row[at])
            seal = seals.get(key)
            if seal is None:
                continue  # not sealed: the coverage check speaks of it
            seen.add(key)
            audit_id, fp = seal
            if fp is None:
                problems.append(_("{row} was deleted by the program (audit event #{id}) but "
                                  "is back.", row=row_name(name, key, row._mapping),
                                  id=audit_id))
            elif row_fingerprint(tbl, tuple(row), later) != fp:
                problems.append(_("{row} was changed outside the program (last recorded by "
                                  "audit event #{id}).", row=row_name(name, key, row._mapping),
                                  id=audit_id))
            if len(problems) >= MAX_LISTED:
                return problems
        for key in sorted(set(seals) - seen, key=_sort_key):
            audit_id, fp = seals[key]
            if fp is not None:
                problems.append(_("{row} was deleted outside the program (last recorded by "
                                  "audit event #{id}).", row=row_name(name, key, None),
                                  id=audit_id))
    return problems


def _sort_key(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (0, key)


def _coverage_problems(conn: Connection, trail: Trail) -> list[str]:
    problems: list[str] = []
    deleted = {(t, k) for (t, k), (_id, fp) in trail.seals.items() if fp is None}
    for name in SEALED:
        table: Table = table_of(name)
        col = key_column(table)
        spans = [(a, b, n) for t, a, b, n in trail.ranges if t == name]
        unsealed = ~exists(select(AuditSeal.row_key).where(
            AuditSeal.table_name == name, AuditSeal.row_key == key_as_text(table)))
        query = select(table).where(unsealed)
        if spans:
            query = query.where(not_(or_(*(col.between(a, b) for a, b, _n in spans))))
        for row in conn.execute(query.order_by(col).limit(MAX_LISTED)).mappings():
            key = str(row[col.name])
            problems.append(_("{row} was added outside the program.",
                              row=row_name(name, key, row)))
        for a, b, n in spans:
            now = conn.execute(select(func.count()).select_from(table)
                               .where(col.between(a, b))).scalar_one()
            gone = sum(1 for t, k in deleted if t == name and k.isdigit() and a <= int(k) <= b)
            if now + gone < n:
                problems.append(ngettext(
                    "{count} row of table {table} added in bulk (ids {first}–{last}) was "
                    "deleted outside the program.",
                    "{count} rows of table {table} added in bulk (ids {first}–{last}) were "
                    "deleted outside the program.", n - now - gone,
                    count=n - now - gone, table=table_label(name), first=a, last=b))
            elif now + gone > n:
                problems.append(ngettext(
                    "{count} row was added to table {table} among the ids {first}–{last} "
                    "outside the program.",
                    "{count} rows were added to table {table} among the ids {first}–{last} "
                    "outside the program.", now + gone - n,
                    count=now + gone - n, table=table_label(name), first=a, last=b))
    return problems


def check_chain(db: Database) -> list[str]:
    """Problems with the audit trail, the first chain break first; [] when all holds."""
    with db.read() as session:
        conn = session.connection()
        trail = walk_chain(conn)
        problems = [trail.problem] if trail.problem else []
        problems += trail.found
        problems += _index_problems(conn, trail)
        problems += _row_problems(conn, trail)
        problems += _coverage_problems(conn, trail)
        problems += _backup_problems(db, conn)
    return problems[:MAX_LISTED]


# --- the trail as the backups saw it ------------------------------------------------------
# Rewriting the whole chain from an edited event onwards leaves a consistent file; but each
# backup's manifest names the newest event it held (id and hash), and that event must still
# be in the trail unless a restore replaced the trail since.


def audit_head_of_file(path: Path) -> list[Any] | None:
    """[id, hash] of the newest audit event in a SQLite file (for a backup's manifest)."""
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        row = conn.execute("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1"
                           ).fetchone()
    except sqlite3.DatabaseError:
        return None  # a database from before the audit trail
    finally:
        conn.close()
    return [int(row[0]), str(row[1])] if row else None


def _backup_heads(db: Database) -> list[tuple[Path, datetime, list[Any]]]:
    if db.paths.db_file is None:
        return []
    found = []
    for folder in all_folders(db):
        for b in backup_rotation.scan(folder, db.paths.db_file.stem):
            try:
                with zipfile.ZipFile(b.path) as zf:
                    manifest = read_manifest(zf)  # capped: a huge manifest is not loaded
            except (OSError, KeyError, ValueError, zipfile.BadZipFile):
                continue  # not readable: the backup check of its own says so
            if not isinstance(manifest, dict):
                continue
            head = manifest.get("audit_head")
            if isinstance(head, list) and len(head) == 2:
                found.append((b.path, b.made_at, head))
    return found


def _backup_problems(db: Database, conn: Connection) -> list[str]:
    restored = conn.execute(select(func.max(AuditEvent.at)).where(
        AuditEvent.action == "restore")).scalar()
    problems = []
    for path, made_at, (event_id, digest) in _backup_heads(db):
        if restored is not None and made_at <= restored:
            continue  # that trail was replaced by a restore (itself in the trail)
        now = conn.execute(select(AuditEvent.hash).where(AuditEvent.id == int(event_id))
                           ).scalar()
        if now != digest:
            problems.append(_("Audit event #{id} is not the one the backup {file} holds: the "
                              "trail was rewritten after {time}.", id=event_id, file=path.name,
                              time=f"{made_at:%Y-%m-%d %H:%M}"))
    return problems[:3]


def chain_summary(db: Database) -> tuple[int, str]:
    """How many events the trail holds and the newest hash (to note down or compare)."""
    with db.read() as session:
        head = session.execute(select(AuditHead.last_id, AuditHead.last_hash)).first()
    return (int(head[0]), str(head[1])) if head else (0, "0" * 64)
