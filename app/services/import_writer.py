"""Writing checked import rows in bulk (SQLAlchemy Core): list values, customers, complaints and
their timeline events, inside the caller's transaction.

Bulk statements instead of one ORM object per row keep 100,000 rows well under a minute.
The rules are the same as for a complaint logged at the counter: customers are found by
phone and updated with what the row gives (app/services/intake.upsert_customer), references
are daily sequences (app/references.allocate_many), due times come from the SLA policy.
Imported rows are history (DESIGN.md §5): they take their stage without the workflow's
guards or move effects, and no revisit is scheduled for them: a complaint in follow-up since
2015 is not a call to make today.
"""

from __future__ import annotations

import bisect
import operator
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app import audit
from app.bulk_copy import COPY_ABOVE, copy_rows
from app.models import SHORT_LEN, Complaint, ComplaintEvent, Customer, ListValue
from app.phones import is_key
from app.references import allocate_many
from app.services.common import Actor
from app.services.import_rows import CleanRow
from app.services.phone_keys import legacy_keys
from app.services.search_index import indexed_in_bulk
from app.settings import get as get_setting
from app.settings import sla_policy
from app.sla import add_open_time, due_limits

LIST_KINDS = ("category", "subject", "department")
CHUNK = 500  # values per IN (...) list: far below every database's parameter limit
BATCH = 5000  # rows per bulk INSERT statement
SCAN_ABOVE = 2000  # more keys than this to look up: one pass over the table (rows_with)
FETCH = 5000  # rows per fetch of such a pass

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def rows_with(session: Session, columns: Sequence[Any], key: Any, values: Iterable[Any],
              ) -> Iterator[Any]:
    """The rows (of `columns`, the first being `key`) whose key is one of `values`.

    A few values: `key IN (…)` in chunks, answered from the index. Many values: one pass
    over the column, filtered here; right after a bulk import PostgreSQL has no statistics
    on the new rows yet and would scan the table once per chunk instead (minutes).
    """
    wanted = sorted(set(values))
    if len(wanted) > SCAN_ABOVE:
        keep = set(wanted)
        for row in session.execute(select(*columns).where(key.is_not(None))
                                   .execution_options(yield_per=FETCH)):
            if row[0] in keep:
                yield row
        return
    for part in chunks(wanted):
        yield from session.execute(select(*columns).where(key.in_(part)))


def existing_external_ids(session: Session, ids: Iterable[str]) -> set[str]:
    return {row[0] for row in rows_with(session, [Complaint.external_id],
                                        Complaint.external_id, ids)}


def insert_plain(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """executemany of `rows` through the driver, each value passed through its column type's
    own bind processor: the stored values are exactly SQLAlchemy's, without its per-row
    statement machinery, which cost more than SQLite's own work (34 of 58 µs a complaint;
    tests/bench: import_100k)."""
    if not rows:
        return
    dialect = conn.dialect
    columns = [c for c in table.columns if c.name in rows[0]]
    if dialect.name == "postgresql" and len(rows) >= COPY_ABOVE:
        # The same values, bind processors applied, streamed by COPY (app/bulk_copy.py).
        values = []
        for c in columns:
            column = list(map(operator.itemgetter(c.name), rows))
            convert = _quick(c.type.dialect_impl(dialect).bind_processor(dialect))
            values.append(convert(column) if convert is not None else column)
        copy_rows(conn, table.name, [c.name for c in columns], zip(*values, strict=True))
        return
    compiled = insert(table).compile(dialect=dialect, column_keys=[c.name for c in columns])
    processors = {c.name: _quick(c.type.dialect_impl(dialect).bind_processor(dialect))
                  for c in columns}
    names = ([compiled.binds[name].key for name in compiled.positiontup or ()]
             if compiled.positional else [c.name for c in columns])
    # Column by column: each column's conversion runs as one list comprehension, and zip
    # builds the rows' tuples in C (a third of the cost of converting row by row, issue 17).
    cells = [list(map(operator.itemgetter(n), rows)) for n in names]
    for i, name in enumerate(names):
        convert = processors.get(name)
        if convert is not None:
            cells[i] = convert(cells[i])
    params: list[Any] = (list(zip(*cells, strict=True)) if compiled.positional
                         else [dict(zip(names, row, strict=True))
                               for row in zip(*cells, strict=True)])
    conn.exec_driver_sql(compiled.string, params)


_SAMPLES = (datetime(2024, 3, 5, 14, 20), datetime(1999, 12, 31, 23, 59, 59, 123456))


def _quick(processor: Callable[[Any], Any] | None,
           ) -> Callable[[list[Any]], list[Any]] | None:
    """The processor's conversion of a whole column, cheaper where it repeats: a JSON value
    (the demands, an event's data: a handful of distinct values) is serialised once; a
    datetime goes through C's isoformat when that gives exactly what the processor gives
    (SQLite's text form), and None stays None when the processor keeps it."""
    if processor is None:
        return None
    try:
        dates_as_text = (processor(None) is None and all(
            processor(d) == d.isoformat(" ", "microseconds") for d in _SAMPLES))
    except (TypeError, ValueError, AttributeError):
        dates_as_text = False
    if dates_as_text:
        return lambda column: [
            v if v is None else v.isoformat(" ", "microseconds") if type(v) is datetime
            else processor(v) for v in column]
    memo: dict[str, Any] = {}

    def once(value: Any) -> Any:
        if not isinstance(value, list | dict):
            return processor(value)
        key = repr(value)
        found = memo.get(key)
        if found is None:
            found = memo[key] = processor(value)
        return found

    def convert(column: list[Any]) -> list[Any]:
        if not any(isinstance(v, list | dict) for v in column):
            return list(map(processor, column))  # a flag or a number: the processor as it is
        # Rows that share one value object (import_writer gives equal demands and event data
        # the same object) take its conversion by identity, without its repr; the column
        # holds the objects, so their ids are theirs for the whole call.
        same: dict[int, Any] = {}
        return [same[i] if (i := id(v)) in same else same.setdefault(i, once(v))
                for v in column]

    return convert


def insert_keyed(conn: Connection, table: Table, rows: list[dict[str, Any]], key: Any,
                 ) -> dict[Any, int]:
    """Insert rows that each have a unique `key` value; returns key value -> new id.

    A plain executemany (insert_plain; psycopg pipelines it on PostgreSQL, where wide
    RETURNING statements ran 5–8× slower), then the new ids are read back as those above the
    largest id before (ids come from a sequence or SQLite's rowid, so ours are all above it;
    rows other counters add meanwhile on a server are told apart by key). Reading them back
    by `key IN (…)` instead made PostgreSQL scan the freshly filled table for each chunk (it
    has no statistics on it yet): minutes.
    """
    if not rows:
        return {}
    before = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    insert_plain(conn, table, rows)
    wanted = {r[key.name] for r in rows}
    return {k: id_ for id_, k in conn.execute(
        select(table.c.id, key).where(table.c.id > before)) if k in wanted}


class ListLookup:
    """Finds list values by code, then by any of their labels (ignoring case); texts that
    match nothing become new values with that text as code and label in every language."""

    def __init__(self, session: Session) -> None:
        self.by_code: dict[tuple[str, str], int] = {}
        self.by_label: dict[tuple[str, str], int] = {}
        self.new: dict[tuple[str, str], str] = {}  # (kind, folded text) -> text, in file order
        rows = session.execute(select(ListValue.id, ListValue.kind, ListValue.code,
                                      ListValue.label_zh_hans, ListValue.label_zh_hant,
                                      ListValue.label_en).where(ListValue.kind.in_(LIST_KINDS)))
        for id_, kind, code, *labels in rows:
            self.by_code[(kind, code)] = id_
            for text in labels:
                self.by_label.setdefault((kind, text.casefold()), id_)

    def find(self, kind: str, text: str) -> int | None:
        return self.by_code.get((kind, text)) or self.by_label.get((kind, text.casefold()))

    def note(self, kind: str, text: str | None) -> None:
        if text and self.find(kind, text) is None:
            self.new.setdefault((kind, text.casefold()), text)

    def create_new(self, session: Session) -> list[tuple[str, str]]:
        """Insert the noted new values; returns (kind, text) of each one created."""
        created = []
        for (kind, folded), text in self.new.items():
            position = session.scalar(select(func.coalesce(func.max(ListValue.position), 0))
                                      .where(ListValue.kind == kind)) or 0
            value = ListValue(kind=kind, code=text[:SHORT_LEN], label_zh_hans=text,
                              label_zh_hant=text, label_en=text, position=position + 1,
                              active=True)
            session.add(value)
            session.flush()
            self.by_code[(kind, value.code)] = value.id
            self.by_label[(kind, folded)] = value.id
            created.append((kind, text))
        return created


@dataclass
class _Person:
    name: str | None = None
    email: str | None = None
    tier: str | None = None

    def take(self, row: CleanRow) -> None:
        # Same rule as intake.upsert_customer: what a later row gives replaces what was known.
        self.name = row.customer_name or self.name
        self.email = row.email or self.email
        self.tier = row.tier or self.tier


def _customers(session: Session, rows: list[CleanRow], now: datetime) -> list[int | None]:
    """Customer id per row (rows in received order): by phone, updated or created; rows
    with a name or email but no phone get a customer of their own, like the intake form."""
    people: dict[str, _Person] = {}
    for row in rows:
        if row.phone:
            people.setdefault(row.phone, _Person()).take(row)
    table = cast(Table, Customer.__table__)
    conn = session.connection()
    ids: dict[str, int] = {}
    known: dict[str, tuple[str, str | None, str]] = {}
    for phone, id_, name, email, tier in rows_with(
            session, [table.c.phone, table.c.id, table.c.name, table.c.email, table.c.tier],
            table.c.phone, people):
        ids[phone] = id_
        known[phone] = (name, email, tier)
    # Customers still under their key of before E.164 take the new one (phone_keys.py).
    legacy: dict[str, list[str]] = defaultdict(list)
    any_old = session.scalar(select(table.c.id).where(table.c.phone.is_not(None),
                                                      ~table.c.phone.startswith("+")).limit(1))
    for phone in people if any_old is not None else ():
        if phone not in ids and is_key(phone):
            for old in legacy_keys(phone):
                legacy[old].append(phone)
    rekey: dict[str, str] = {}
    if legacy:
        found: dict[str, list[tuple[int, str, str | None, str]]] = defaultdict(list)
        for old, id_, name, email, tier in rows_with(
                session, [table.c.phone, table.c.id, table.c.name, table.c.email, table.c.tier],
                table.c.phone, legacy):
            for phone in legacy[old]:
                found[phone].append((id_, name, email, tier))
        claims = Counter(m[0] for matches in found.values() for m in matches)
        for phone, matches in found.items():
            # Two old keys for one number, or one old key claimed by two numbers of the file
            # (+852 and +65 9876 5432 were both kept as 98765432): cannot tell, no adoption.
            if len(matches) == 1 and claims[matches[0][0]] == 1:
                id_, name, email, tier = matches[0]
                ids[phone], known[phone], rekey[phone] = id_, (name, email, tier), phone
    changes = []
    for phone, (name, email, tier) in known.items():
        p = people[phone]
        new = (p.name or name, p.email or email, p.tier or tier)
        if new != (name, email, tier) or phone in rekey:
            changes.append({"cid": ids[phone], "n": new[0], "e": new[1], "t": new[2],
                            "k": phone})
    if changes:
        conn.execute(update(table).where(table.c.id == bindparam("cid"))
                     .values(name=bindparam("n"), email=bindparam("e"), tier=bindparam("t"),
                             phone=bindparam("k")),
                     changes)
        # A bulk UPDATE bypasses the flush: the audit trail must seal these rows anew.
        audit.reseal(session, "customers", [c["cid"] for c in changes])
    # Every column but the id, so that their seal can be taken from these values (_seal).
    fresh = [{"name": p.name or "", "phone": phone, "email": p.email,
              "tier": p.tier or "ordinary", "anonymised_at": None, "created_at": now}
             for phone, p in people.items() if phone not in ids]
    for batch in chunks(fresh, BATCH):
        made = insert_keyed(conn, table, list(batch), table.c.phone)
        ids.update(made)
        _seal(session, table, [(made[r["phone"]], r) for r in batch])
    result: list[int | None] = []
    lonely_rows = []
    for i, row in enumerate(rows):
        if row.phone is not None:
            result.append(ids[row.phone])
        else:
            result.append(None)
            if row.customer_name or row.email:
                lonely_rows.append(i)
    lonely = [{"name": rows[i].customer_name or "", "phone": None, "email": rows[i].email,
               "tier": rows[i].tier or "ordinary", "anonymised_at": None, "created_at": now}
              for i in lonely_rows]
    for start in range(0, len(lonely), BATCH):
        new_ids = conn.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            lonely[start:start + BATCH]).scalars().all()
        for i, id_ in zip(lonely_rows[start:start + BATCH], new_ids, strict=True):
            result[i] = id_
        _seal(session, table, list(zip(new_ids, lonely[start:start + BATCH], strict=True)))
    return result


def _seal(session: Session, table: Table, rows: list[tuple[int, dict[str, Any]]]) -> None:
    """The seals of rows just inserted, from the values written (app/audit.sealed_in_bulk):
    record_bulk need not read 300,000 rows back at the commit (2 s, issue 17)."""
    audit.sealed_in_bulk(session, table, rows)


def _repeat_flags(session: Session, rows: list[CleanRow], customer_ids: list[int | None],
                  ) -> list[bool]:
    """A row is a repeat when the same phone has another complaint within the repeat window
    before it (counting earlier complaints in the database and in the file)."""
    window = timedelta(days=int(get_setting(session, "repeat_window_days")))
    times: dict[int, list[datetime]] = defaultdict(list)
    with_phone = sorted({cid for cid, row in zip(customer_ids, rows, strict=True)
                         if cid is not None and row.phone})
    for owner, at in rows_with(session, [Complaint.customer_id, Complaint.received_at],
                               Complaint.customer_id, with_phone):
        times[owner].append(at)
    for cid, row in zip(customer_ids, rows, strict=True):
        if cid is not None and row.phone:
            times[cid].append(row.received_at)
    for values in times.values():
        values.sort()
    flags = []
    for cid, row in zip(customer_ids, rows, strict=True):
        if cid is None or not row.phone:
            flags.append(False)
            continue
        seen = times[cid]
        within = (bisect.bisect_right(seen, row.received_at)
                  - bisect.bisect_left(seen, row.received_at - window))
        flags.append(within > 1)  # itself plus at least one other
    return flags


def _day(at: datetime) -> str:
    """The day of a reference (YYYYMMDD); strftime costs more, 100,000 times."""
    return f"{at.year:04d}{at.month:02d}{at.day:02d}"


def write_rows(session: Session, rows: list[CleanRow], actor: Actor, now: datetime,
               file_name: str, progress: Callable[[int, int], None] | None = None,
               ) -> list[tuple[str, str]]:
    """Insert the rows (already de-duplicated); returns the list values created."""
    lists = ListLookup(session)
    for row in rows:
        for kind in LIST_KINDS:
            lists.note(kind, getattr(row, kind))
    created = lists.create_new(session)

    rows = sorted(rows, key=lambda r: (r.received_at, r.line))  # references follow time
    customer_ids = _customers(session, rows, now)
    # Due times follow the customer's tier (app/sla.py); few customers are not ordinary.
    tiers: dict[int, str] = dict(session.execute(
        select(Customer.id, Customer.tier).where(Customer.tier != "ordinary")).all())
    repeats = _repeat_flags(session, rows, customer_ids)
    days = [_day(r.received_at) for r in rows]
    refs = {day: iter(allocate_many(session, day, n))
            for day, n in sorted(Counter(days).items())}
    policy = sla_policy(session)
    hours = policy.hours
    limits: dict[tuple[str, str | None], tuple[timedelta, timedelta]] = {}  # (severity, tier)
    # One list per distinct demands, shared by the rows that have them (never changed here).
    demand_lists: dict[tuple[str, ...], list[str]] = {}
    origin = file_name[:SHORT_LEN]
    found: dict[tuple[str, str], int | None] = {}  # a file names few list values, many times

    def lookup(kind: str, text: str | None) -> int | None:
        if not text:
            return None
        key = (kind, text)
        if key not in found:
            found[key] = lists.find(kind, text)
        return found[key]

    def record(row: CleanRow, cid: int | None, repeat: bool, day: str) -> dict[str, Any]:
        # due_times (app/sla.py), its limits worked out once per severity and tier.
        key = (row.severity, tiers.get(cid, "ordinary") if cid is not None else None)
        spans = limits.get(key)
        if spans is None:
            spans = limits[key] = due_limits(key[0], policy, key[1])
        received = row.received_at
        first_due, due = add_open_time(received, spans[0], hours), add_open_time(
            received, spans[1], hours)
        return {
            "reference": next(refs[day]),
            "external_id": row.external_id, "version": 1, "received_at": row.received_at,
            "channel": row.channel, "customer_id": cid,
            "subject_id": lookup("subject", row.subject),
            "category_id": lookup("category", row.category),
            "department_id": lookup("department", row.department),
            "location": row.location, "staff_involved": None, "description": row.description,
            "emotion": None, "demands": demand_lists.get(row.demands) or demand_lists.setdefault(
                row.demands, list(row.demands)), "recorded_by_id": actor.user_id,
            "is_repeat": repeat, "imported_from": origin, "stage": row.stage,
            "severity": row.severity, "owner_id": None, "verified": None,
            "first_contact_due_at": first_due, "first_contact_at": None, "due_at": due,
            "resolved_at": row.resolved_at, "closed_at": row.closed_at, "close_reason": None,
            "withdrawn": False, "reopen_count": 0, "paused_since": None, "paused_minutes": 0,
            "satisfaction": row.satisfaction, "occurred_at": row.occurred_at,
            "updated_at": now,
        }

    conn = session.connection()
    with indexed_in_bulk(conn):
        _insert(session, rows, customer_ids, repeats, days, record, actor, file_name,
                progress)
    return created


def _insert(session: Session, rows: list[CleanRow], customer_ids: list[int | None],
            repeats: list[bool], days: list[str],
            record: Callable[[CleanRow, int | None, bool, str], dict[str, Any]],
            actor: Actor, file_name: str, progress: Callable[[int, int], None] | None) -> None:
    conn = session.connection()
    complaints = cast(Table, Complaint.__table__)
    events = cast(Table, ComplaintEvent.__table__)
    data: dict[str, dict[str, str]] = {}  # an event's data per stage, shared (never changed)
    for start in range(0, len(rows), BATCH):
        # Built batch by batch: 100,000 column dicts at once would hold hundreds of MB.
        batch = [record(row, cid, repeat, day) for row, cid, repeat, day in zip(
            rows[start:start + BATCH], customer_ids[start:start + BATCH],
            repeats[start:start + BATCH], days[start:start + BATCH], strict=True)]
        by_ref = insert_keyed(conn, complaints, batch, complaints.c.reference)
        ids = [by_ref[rec["reference"]] for rec in batch]
        _seal(session, complaints, list(zip(ids, batch, strict=True)))
        # History keeps its own time: the event is dated when the complaint was received, so
        # statistics that rebuild the stage at a past date see imported complaints too.
        timeline = [
            {"complaint_id": id_, "at": rec["received_at"], "actor_id": actor.user_id,
             "actor_name": actor.name, "kind": "imported", "to_stage": rec["stage"],
             "data": data.get(rec["stage"]) or data.setdefault(
                 rec["stage"], {"file": file_name, "to_stage": rec["stage"]})}
            for id_, rec in zip(ids, batch, strict=True)]
        # One event per new complaint: the complaint tells them apart, and gives their ids.
        by_complaint = insert_keyed(conn, events, timeline, events.c.complaint_id)
        _seal(session, events, [(by_complaint[e["complaint_id"]], e) for e in timeline])
        if progress is not None:
            progress(start + len(batch), len(rows))
