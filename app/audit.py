"""The audit trail: every change, sign-in, export, backup and restore as a hash-chained event.

How it is kept (installed on the write sessions by app/db.py):
- SQLAlchemy `after_flush` notes every row of the SEALED tables the program inserts, changes
  or deletes, and every new timeline event (ComplaintEvent);
- `before_commit` turns that into audit events inside the same transaction: one per timeline
  event (the complaint's changes are already described there), one per explicit `record()`
  (sign-in, export, backup, restore, anonymise ...), else one "data changed" event. The last
  event of the transaction carries the *seals*: a SHA-256 fingerprint of each written row as
  it now is, so a row edited behind the program's back no longer matches (app/audit_check.py);
- each event stores the hash of the one before and its own hash: SHA-256 over a canonical
  JSON of its columns and that previous hash. Ids are handed out here, one after the other.

Two writers: the newest event is the single `audit_head` row, locked with UPDATE … RETURNING
before appending (PostgreSQL keeps the row lock to the commit; SQLite write transactions
already start with BEGIN IMMEDIATE). If anything here fails, the whole change is refused.

Bulk inserts (demo data, imports) do not go through the flush: they call `record_bulk()`,
which accounts for the new rows of each table as one range (first id, last id, count) and
seals every one of them (app/audit_bulk.py): the seal index gets each row's fingerprint, the
bulk event a digest over them.

The trail never copies personal data (names, phones, emails, descriptions): events name the
complaint, the account or the setting, and the seals bind the rows themselves.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from sqlalchemy import String as SqlString
from sqlalchemy import Table, cast, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from app import audit_bulk, clock
from app.audit_hashes import (
    CHUNK,
    canonical,
    event_hash,
    fingerprint,
    key_column,
    read_rows,
)
from app.bulk_copy import COPY_ABOVE, upsert_rows
from app.models import AuditSeal, Base, ComplaintEvent

GENESIS = "0" * 64
FOUND_CHANGED = "found_changed_outside"  # action of an event that reports tampering found
HEAD_ID = 1
# Tables whose rows the program writes one by one and whose changes the trail seals.
SEALED = ("settings", "list_values", "users", "customers", "complaints", "complaint_events",
          "contacts", "investigations", "solutions", "revisits", "attachments",
          "improvement_actions", "escalations", "survey_questions", "revisit_answers",
          "typical_cases")


class ActorLike(Protocol):
    @property
    def user_id(self) -> int | None: ...

    @property
    def name(self) -> str: ...


@dataclass
class _Pending:
    actor_id: int | None
    actor_name: str
    action: str
    target: str
    data: dict[str, Any]
    bulk: bool = False


@dataclass
class _TxState:
    """What one write transaction did, collected until it commits."""

    rows: dict[str, set[str]] = field(default_factory=dict)  # table -> row keys
    events: list[int] = field(default_factory=list)  # new ComplaintEvent ids, in order
    records: list[_Pending] = field(default_factory=list)
    actor: tuple[int | None, str] | None = None
    # Rows found changed outside the program when the program went to change them:
    # [table, key, label].
    found: list[list[str]] = field(default_factory=list)
    # Fingerprints of rows a bulk path inserted, from the values it held: table -> pairs.
    held: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def empty(self) -> bool:
        return not (self.rows or self.events or self.records or self.found)


# Who is signed in at this program (set by the sign-in): names the actor of changes whose
# service did not say who acted. A desktop program has one person at the keyboard.
_signed_in: tuple[int | None, str] | None = None


def set_signed_in(actor: ActorLike | None) -> None:
    global _signed_in
    _signed_in = (actor.user_id, actor.name) if actor is not None else None


def table_of(name: str) -> Table:
    return Base.metadata.tables[name]


EVENTS, HEAD, SEALS = table_of("audit_events"), table_of("audit_head"), table_of("audit_seals")


# --- recording ----------------------------------------------------------------------------


def _state(session: Session) -> _TxState:
    state = session.info.get("audit")
    if state is None:
        state = session.info["audit"] = _TxState()
    return state


def acting(session: Session, actor: ActorLike) -> None:
    """Name who makes this transaction's changes (services that are told their actor)."""
    _state(session).actor = (actor.user_id, actor.name)


def record(session: Session, actor: ActorLike, action: str, target: str = "",
           **data: Any) -> None:
    """Add an explicit event (sign-in, export, backup ...) to this write transaction."""
    _state(session).records.append(_Pending(actor.user_id, actor.name, action, target[:200],
                                            data))
    acting(session, actor)


def record_bulk(session: Session, actor: ActorLike, action: str, target: str = "",
                **data: Any) -> None:
    """An event for rows inserted in bulk in this transaction (Core inserts, no flush): at
    the commit, every row added to a sealed table since the trail last accounted for it is
    fingerprinted and sealed under this event, as if written one by one; the event holds
    each table's range [first id, last id, count] and seal [first, last, sealed, digest].
    Call it once, after the inserts, in the transaction that made them. Rows a bulk path
    UPDATEs go through `reseal`."""
    _state(session).records.append(_Pending(actor.user_id, actor.name, action, target[:200],
                                            data, bulk=True))
    acting(session, actor)


def sealed_in_bulk(session: Session, table: Table,
                   rows: Iterable[tuple[int, Mapping[str, Any]]]) -> None:
    """Hand in the rows a bulk insert of this transaction just wrote (new id, the values it
    passed for every other column): record_bulk's seal then takes their fingerprints from
    these values instead of reading the rows back, when they account for exactly the rows
    added to the table (app/audit_bulk.covers); else it reads them. The rows must not be
    changed afterwards in this transaction other than through the ORM (which seals them
    again)."""
    pairs = audit_bulk.held_fingerprints(table, rows)
    _state(session).held.setdefault(table.name, []).extend(pairs)


def sealed_in_bulk_columns(session: Session, table: Table, keys: Sequence[Any],
                           columns: Mapping[str, Sequence[Any]]) -> None:
    """sealed_in_bulk of rows given column by column: the new ids and, for every other
    column, its values in the same order (app/services/bulk_insert.py)."""
    pairs = audit_bulk.held_column_fingerprints(table, keys, columns)
    _state(session).held.setdefault(table.name, []).extend(pairs)


def reseal(session: Session, table_name: str, keys: Iterable[Any]) -> None:
    """Seal rows changed by a bulk UPDATE in this transaction (the flush does not see them)."""
    _state(session).rows.setdefault(table_name, set()).update(str(k) for k in keys)


def seal_migrated(conn: Connection, table_names: Sequence[str], revision: str) -> None:
    """One event sealing every row of `table_names` as it now is, in the migration's
    transaction (app/migrate.py): a schema upgrade that gave those rows new values."""
    rows: dict[str, set[str]] = {}
    for name in table_names:
        keys = conn.execute(select(key_as_text(table_of(name)))).scalars()
        rows[name] = {str(k) for k in keys}
    _append(conn, _TxState(rows=rows, records=[_Pending(
        None, "system", "schema_upgraded", revision[:200], {"tables": sorted(rows)})]))


def log(db: Any, actor: ActorLike, action: str, target: str = "", **data: Any) -> None:
    """Record an event in a transaction of its own (after an export, a backup ...)."""
    with db.write() as session:
        record(session, actor, action, target, **data)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Before the program changes a sealed row for the first time in this transaction, see
    whether it still is as the program left it: else sealing the new state would hide an
    edit made behind the program's back, so that finding goes into the trail for good."""
    state = _state(session)
    wanted: dict[str, list[str]] = {}
    for obj in (*session.dirty, *session.deleted):
        table = getattr(obj, "__table__", None)
        if table is None or table.name not in SEALED:
            continue
        key = getattr(obj, key_column(table).key, None)
        if key is not None and str(key) not in state.rows.get(table.name, ()):
            wanted.setdefault(table.name, []).append(str(key))
    if not wanted:
        return
    conn = session.connection()
    for name, keys in wanted.items():
        known = dict(conn.execute(select(AuditSeal.row_key, AuditSeal.fingerprint).where(
            AuditSeal.table_name == name, AuditSeal.row_key.in_(keys))).all())
        if not known:
            continue  # rows added in bulk have no fingerprint yet
        current = read_rows(conn, table_of(name), sorted(known))
        for key, fp in sorted(known.items()):
            row = current.get(key)
            if fp is not None and (row is None or fingerprint(table_of(name), row) != fp):
                state.found.append([name, key, _label(name, row)])


def _label(table_name: str, row: Mapping[str, Any] | None) -> str:
    """How people know a row (no personal data): a complaint's reference, a user name."""
    column = {"complaints": "reference", "users": "username", "settings": "key"}.get(table_name)
    return str(row[column]) if row is not None and column else ""


def _after_flush(session: Session, _context: Any) -> None:
    state = _state(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__table__", None)
        if table is None or table.name not in SEALED:
            continue
        key = getattr(obj, key_column(table).key)
        if key is None:
            continue
        state.rows.setdefault(table.name, set()).add(str(key))
        if isinstance(obj, ComplaintEvent) and obj in session.new:
            state.events.append(obj.id)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer commit writes the events
    state = session.info.get("audit")
    if state is None or state.empty():
        return
    session.flush()  # the last changes too, before they are sealed
    state = _state(session)
    session.info.pop("audit", None)
    _append(session.connection(), state)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop("audit", None)


def install(factory: sessionmaker[Session]) -> None:
    """Keep the trail for every session the factory makes (app/db.py, write sessions)."""
    from sqlalchemy import event

    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_rollback", _forget)


# --- appending to the chain --------------------------------------------------------------


@dataclass
class Head:
    last_id: int
    last_hash: str
    max_ids: dict[str, int]


def _dialect_insert(conn: Connection, table: Table) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def lock_head(conn: Connection) -> Head:
    """The newest event, locked until this transaction ends (made on first use)."""
    head = HEAD
    lock = (update(head).where(head.c.id == HEAD_ID).values(last_id=head.c.last_id)
            .returning(head.c.last_id, head.c.last_hash, head.c.max_ids))
    row = conn.execute(lock).first()
    if row is None:
        # First event (or the head row was removed): continue after the newest event there is.
        last = conn.execute(select(EVENTS.c.id, EVENTS.c.hash)
                            .order_by(EVENTS.c.id.desc()).limit(1)).first()
        conn.execute(_dialect_insert(conn, head).values(
            id=HEAD_ID, last_id=last[0] if last else 0, last_hash=last[1] if last else GENESIS,
            max_ids="{}").on_conflict_do_nothing(index_elements=["id"]))
        row = conn.execute(lock).one()
    return Head(int(row[0]), str(row[1]), {k: int(v) for k, v in json.loads(row[2]).items()})


def _complaint_events(conn: Connection, ids: list[int]) -> list[Mapping[str, Any]]:
    events, complaints = table_of("complaint_events"), table_of("complaints")
    rows: list[Any] = []
    for start in range(0, len(ids), CHUNK):
        rows.extend(conn.execute(
            select(events.c.id, events.c.actor_id, events.c.actor_name, events.c.kind,
                   events.c.to_stage, complaints.c.reference)
            .join(complaints, complaints.c.id == events.c.complaint_id)
            .where(events.c.id.in_(ids[start:start + CHUNK]))).mappings())
    return sorted(rows, key=lambda r: r["id"])


def _bulk_ranges(conn: Connection, head: Head) -> dict[str, list[int]]:
    """Rows added to each table since the trail last accounted for it: [first, last, count]."""
    ranges: dict[str, list[int]] = {}
    for name in SEALED:
        table = table_of(name)
        col = key_column(table)
        if col.type.python_type is not int:
            continue
        top = conn.execute(select(func.max(col))).scalar()
        start = head.max_ids.get(name, 0) + 1
        if top is None or top < start:
            continue
        count = conn.execute(select(func.count()).select_from(table)
                             .where(col.between(start, top))).scalar_one()
        ranges[name] = [start, int(top), int(count)]
        head.max_ids[name] = int(top)
    return ranges


def _index_of(conn: Connection, name: str, keys: list[str]) -> dict[str, str | None]:
    """The seal index's fingerprints of these rows (rows without a seal are left out)."""
    known: dict[str, str | None] = {}
    for start in range(0, len(keys), CHUNK):
        for key, fp in conn.execute(select(SEALS.c.row_key, SEALS.c.fingerprint).where(
                SEALS.c.table_name == name, SEALS.c.row_key.in_(keys[start:start + CHUNK]))):
            known[str(key)] = fp
    return known


def _seals(conn: Connection, rows: dict[str, set[str]], head: Head) -> list[list[Any]]:
    """[table, key, fingerprint or None when deleted, (the fingerprint it replaces)] for
    every row written, sorted. The replaced fingerprint lets `check` rebuild the digest of a
    bulk seal after the program changed one of its rows (app/audit_bulk.py)."""
    seals: list[list[Any]] = []
    for name in sorted(rows):
        table = table_of(name)
        keys = sorted(rows[name])
        current = read_rows(conn, table, keys)
        before = _index_of(conn, name, keys)
        for key in keys:
            fp = fingerprint(table, current[key]) if key in current else None
            if fp is None and key not in before:
                continue  # gone and never sealed (a savepoint rolled back): no news
            seals.append([name, key, fp, before[key]] if key in before else [name, key, fp])
        if key_column(table).type.python_type is int and current:
            head.max_ids[name] = max(head.max_ids.get(name, 0), *(int(k) for k in current))
    return seals


def _seal_bulk(conn: Connection, head: Head, skip: dict[str, set[str]],
               held: dict[str, list[tuple[str, str]]] | None = None,
               ) -> tuple[dict[str, list[int]], dict[str, list[Any]],
                          dict[str, list[tuple[str, str]]]]:
    """The rows added in bulk since the trail last accounted for each table: their ranges
    [first, last, count], their bulk seals [first, last, sealed, digest], and per table the
    (key, fingerprint) pairs to write to the index under the bulk event (app/audit_bulk.py).
    A table's fingerprints come from `held` (sealed_in_bulk) when they account for exactly
    its range, else from the rows read back."""
    ranges = _bulk_ranges(conn, head)
    sealed: dict[str, list[Any]] = {}
    index: dict[str, list[tuple[str, str]]] = {}
    for name, (first, last, count) in ranges.items():
        given = (held or {}).get(name)
        if given is not None and audit_bulk.covers(given, first, last, count):
            pairs = audit_bulk.seal_held(given, skip.get(name, set()))
        else:
            pairs = audit_bulk.seal_range(conn, table_of(name), first, last,
                                          skip.get(name, set()))
        sealed[name] = [first, last, len(pairs), audit_bulk.range_digest(pairs)]
        index[name] = pairs
    return ranges, sealed, index


INDEX_BATCH = 5000  # seal index rows per statement: 300,000 at once held ~100 MB (issue 17)
_SEAL_COLUMNS = ("table_name", "row_key", "audit_id", "fingerprint")
_SEAL_KEY, _SEAL_UPDATE = _SEAL_COLUMNS[:2], _SEAL_COLUMNS[2:]


def _write_index(conn: Connection, index: Iterable[tuple[str, str, int, str | None]]) -> None:
    """Upsert the latest seals (table, key, event id, fingerprint), INDEX_BATCH at a time; on
    SQLite straight through the driver (bulk seals come by the hundred thousand and
    SQLAlchemy's per-row parameter handling would cost more than the fingerprints), on
    PostgreSQL a large batch by COPY (app/bulk_copy.py). A batch names each row once."""
    rows = iter(index)
    stmt: Any = None
    if conn.dialect.name != "sqlite":
        stmt = _dialect_insert(conn, SEALS)
        stmt = stmt.on_conflict_do_update(
            index_elements=["table_name", "row_key"],
            set_={"audit_id": stmt.excluded.audit_id, "fingerprint": stmt.excluded.fingerprint})
    while batch := list(islice(rows, INDEX_BATCH)):
        if (stmt is not None and len(batch) >= COPY_ABOVE  # a bulk seal on PostgreSQL
                and upsert_rows(conn, SEALS.name, _SEAL_COLUMNS, _SEAL_KEY, _SEAL_UPDATE,
                                batch)):
            continue
        if stmt is None:
            conn.exec_driver_sql(
                "INSERT INTO audit_seals (table_name, row_key, audit_id, fingerprint) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (table_name, row_key) DO UPDATE SET "
                "audit_id = excluded.audit_id, fingerprint = excluded.fingerprint", batch)
        else:
            conn.execute(stmt, [{"table_name": t, "row_key": k, "audit_id": a,
                                 "fingerprint": fp} for t, k, a, fp in batch])


def _append(conn: Connection, state: _TxState) -> None:
    head = lock_head(conn)
    actor = state.actor or _signed_in or (None, "system")
    pending = []
    if state.found:
        pending.append(_Pending(actor[0], actor[1], FOUND_CHANGED, "", {"rows": state.found}))
    pending += state.records
    for e in _complaint_events(conn, state.events):
        data = {"event": e["id"], "kind": e["kind"]}
        if e["to_stage"]:
            data["to_stage"] = e["to_stage"]
        pending.append(_Pending(e["actor_id"], e["actor_name"], "complaint_" + e["kind"],
                                e["reference"], data))
    if not pending:
        pending.append(_Pending(actor[0], actor[1], "data_changed", "",
                                {"tables": sorted(state.rows)}))
    bulk_index: dict[int, dict[str, list[tuple[str, str]]]] = {}
    for i, p in enumerate(pending):
        if p.bulk:
            ranges, sealed, bulk_index[i] = _seal_bulk(conn, head, state.rows, state.held)
            state.held = {}  # accounted for: a second bulk event seals only what came after
            p.data = {**p.data, "rows": ranges, "sealed": sealed}
    seals = _seals(conn, state.rows, head)
    now = clock.now()
    events: list[dict[str, Any]] = []
    for i, p in enumerate(pending):
        event_id = head.last_id + 1
        text, sealed_text = canonical(p.data), canonical(seals if i == len(pending) - 1 else [])
        name, action = p.actor_name[:100], p.action[:40]
        digest = event_hash(event_id, now, p.actor_id, name, action, p.target, text,
                            sealed_text, head.last_hash)
        events.append({"id": event_id, "at": now, "actor_id": p.actor_id, "actor_name": name,
                       "action": action, "target": p.target, "data": text,
                       "seals": sealed_text, "prev_hash": head.last_hash, "hash": digest})
        head.last_id, head.last_hash = event_id, digest
    conn.execute(insert(EVENTS), events)
    # Bulk seals first, then the rows sealed one by one: the later upsert wins, as before.
    for i, tables in bulk_index.items():
        event_id = events[i]["id"]
        for name, pairs in tables.items():
            _write_index(conn, ((name, k, event_id, fp) for k, fp in pairs))
    _write_index(conn, ((t, k, head.last_id, fp) for t, k, fp, *_before in seals))
    conn.execute(update(HEAD).where(HEAD.c.id == HEAD_ID).values(
        last_id=head.last_id, last_hash=head.last_hash, max_ids=canonical(head.max_ids)))


# --- reading -------------------------------------------------------------------------------


def row_intact(session: Session, table_name: str, key: Any) -> bool:
    """Does the row still match the seal the program last gave it? (False: no seal, or it
    was changed outside the program.)"""
    table = table_of(table_name)
    seal = session.execute(select(AuditSeal.fingerprint).where(
        AuditSeal.table_name == table_name, AuditSeal.row_key == str(key))).first()
    if seal is None or seal[0] is None:
        return False
    row = read_rows(session, table, [str(key)]).get(str(key))
    return row is not None and fingerprint(table, row) == seal[0]


def key_as_text(table: Table) -> Any:
    """The key column as text, to compare with AuditSeal.row_key in SQL."""
    return cast(key_column(table), SqlString)
