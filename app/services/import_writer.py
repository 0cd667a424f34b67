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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from app import audit
from app.models import SHORT_LEN, Complaint, ComplaintEvent, Customer, ListValue
from app.phones import is_key
from app.references import allocate_many
from app.services.bulk_insert import columns_of, insert_keyed
from app.services.common import Actor
from app.services.import_rows import CleanRow
from app.services.phone_keys import legacy_keys
from app.services.search_index import indexed_in_bulk
from app.settings import get as get_setting
from app.settings import sla_policy
from app.sla import SlaPolicy, add_open_time, due_limits

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

    def note_rows(self, rows: Iterable[CleanRow]) -> None:
        """note() the list values of rows, in file order; a file repeats a handful of them,
        so each distinct (kind, text) is noted once, at its first row."""
        for kind, text in dict.fromkeys((kind, getattr(row, kind))
                                        for row in rows for kind in LIST_KINDS):
            self.note(kind, text)

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
        made = insert_keyed(conn, table, columns_of(batch), table.c.phone)
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
    lists.note_rows(rows)
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
    batch = _Batch(lists, tiers, sla_policy(session), actor, now, file_name, refs)
    conn = session.connection()
    with indexed_in_bulk(conn):
        for start in range(0, len(rows), BATCH):
            end = start + BATCH
            batch.write(session, rows[start:end], customer_ids[start:end],
                        repeats[start:end], days[start:end])
            if progress is not None:
                progress(min(end, len(rows)), len(rows))
    return created


class _Batch:
    """Writes the complaints of one batch of rows and their timeline events, column by
    column (app/services/bulk_insert.py), and hands their values in for the seals."""

    def __init__(self, lists: ListLookup, tiers: dict[int, str], policy: SlaPolicy,
                 actor: Actor, now: datetime, file_name: str,
                 refs: dict[str, Iterator[str]]) -> None:
        self.lists, self.tiers, self.policy = lists, tiers, policy
        self.actor, self.now, self.file_name, self.refs = actor, now, file_name, refs
        self.origin = file_name[:SHORT_LEN]
        self.found: dict[tuple[str, str], int | None] = {}  # few list values, many times
        self.limits: dict[tuple[str, str | None], tuple[timedelta, timedelta]] = {}
        # Rows with the same demands share one list, events of one stage one data dict
        # (never changed here): a JSON column converts a shared object once.
        self.demand_lists: dict[tuple[str, ...], list[str]] = {}
        self.data: dict[str, dict[str, str]] = {}

    def lookup(self, kind: str, text: str | None) -> int | None:
        if not text:
            return None
        key = (kind, text)
        if key not in self.found:
            self.found[key] = self.lists.find(kind, text)
        return self.found[key]

    def due(self, row: CleanRow, cid: int | None) -> tuple[datetime, datetime]:
        """due_times (app/sla.py), its limits worked out once per severity and tier."""
        key = (row.severity, self.tiers.get(cid, "ordinary") if cid is not None else None)
        spans = self.limits.get(key)
        if spans is None:
            spans = self.limits[key] = due_limits(key[0], self.policy, key[1])
        hours = self.policy.hours
        return (add_open_time(row.received_at, spans[0], hours),
                add_open_time(row.received_at, spans[1], hours))

    def write(self, session: Session, rows: Sequence[CleanRow], cids: Sequence[int | None],
              repeats: Sequence[bool], days: Sequence[str]) -> None:
        n = len(rows)
        dues = [self.due(row, cid) for row, cid in zip(rows, cids, strict=True)]
        demand_lists = self.demand_lists
        stages = [r.stage for r in rows]
        received = [r.received_at for r in rows]
        # Every column of complaints but the id, so that the seals can be taken from these
        # values (audit.sealed_in_bulk_columns).
        complaint: dict[str, Sequence[Any]] = {
            "reference": [next(self.refs[day]) for day in days],
            "external_id": [r.external_id for r in rows], "version": [1] * n,
            "received_at": received, "channel": [r.channel for r in rows],
            "customer_id": cids,
            "subject_id": [self.lookup("subject", r.subject) for r in rows],
            "category_id": [self.lookup("category", r.category) for r in rows],
            "department_id": [self.lookup("department", r.department) for r in rows],
            "location": [r.location for r in rows], "staff_involved": [None] * n,
            "description": [r.description for r in rows], "emotion": [None] * n,
            "demands": [demand_lists.get(r.demands) or demand_lists.setdefault(
                r.demands, list(r.demands)) for r in rows],
            "recorded_by_id": [self.actor.user_id] * n, "is_repeat": repeats,
            "imported_from": [self.origin] * n, "stage": stages,
            "severity": [r.severity for r in rows], "owner_id": [None] * n,
            "verified": [None] * n, "first_contact_due_at": [d[0] for d in dues],
            "first_contact_at": [None] * n, "due_at": [d[1] for d in dues],
            "resolved_at": [r.resolved_at for r in rows],
            "closed_at": [r.closed_at for r in rows], "close_reason": [None] * n,
            "withdrawn": [False] * n, "reopen_count": [0] * n, "paused_since": [None] * n,
            "paused_minutes": [0] * n, "satisfaction": [r.satisfaction for r in rows],
            "occurred_at": [r.occurred_at for r in rows], "updated_at": [self.now] * n,
        }
        complaints = cast(Table, Complaint.__table__)
        conn = session.connection()
        by_ref = insert_keyed(conn, complaints, complaint, complaints.c.reference)
        ids = [by_ref[ref] for ref in complaint["reference"]]
        audit.sealed_in_bulk_columns(session, complaints, ids, complaint)
        # History keeps its own time: the event is dated when the complaint was received, so
        # statistics that rebuild the stage at a past date see imported complaints too.
        data = self.data
        event: dict[str, Sequence[Any]] = {
            "complaint_id": ids, "at": received, "actor_id": [self.actor.user_id] * n,
            "actor_name": [self.actor.name] * n, "kind": ["imported"] * n, "to_stage": stages,
            "data": [data.get(stage) or data.setdefault(
                stage, {"file": self.file_name, "to_stage": stage}) for stage in stages],
        }
        events = cast(Table, ComplaintEvent.__table__)
        # One event per new complaint: the complaint tells them apart, and gives their ids.
        by_complaint = insert_keyed(conn, events, event, events.c.complaint_id)
        audit.sealed_in_bulk_columns(session, events, [by_complaint[i] for i in ids], event)
