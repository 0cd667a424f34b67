"""Demo data: `python main.py demo --count N` fills a database with realistic complaints.

The accounts admin, supervisor, clerk1 and clerk2 (password `demo`), the profile's lists and
`count` complaints over the last `months` months, each carried through the workflow as far as
its age allows (demo_life.py), reproducible with `seed`. Running it again adds more: references
continue the daily counters and returning phones find their customer.

Speed: 100,000 complaints (about 2 million rows) in one write transaction, inserted with
SQLAlchemy Core executemany in batches; ids of customers and complaints are handed out here
(the transaction holds the write lock) so child rows can point at them without a round trip.
About 35 s on the 2-core build machine (`python main.py demo --count 100000`).
"""

from __future__ import annotations

import random
import time
from bisect import insort
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from app import audit, clock
from app.codes import PROFILES
from app.db import Database
from app.errors import ValidationError
from app.i18n import LANGUAGES, N_
from app.models import (
    Complaint,
    ComplaintEvent,
    Contact,
    Customer,
    Escalation,
    Investigation,
    ListValue,
    Revisit,
    Setting,
    Solution,
    User,
)
from app.passwords import hash_password
from app.permissions import DEMO_DATA, require
from app.profiles import apply_profile
from app.references import allocate_many
from app.services.bulk_work import without_cyclic_gc
from app.services.common import SYSTEM, Actor
from app.services.demo_life import Life
from app.services.demo_plan import (
    arrivals,
    choose_customers,
    months_before,
    recent_counts,
    repeat_flags,
)
from app.services.demo_record import Context, Planned, Staff
from app.services.demo_records import answer_revisits, choose_cases, insert_cases
from app.services.demo_text import DemoRandom, Person, Texts, weighted
from app.settings import escalation_rules, sla_policy
from app.settings import get as get_setting
from app.settings import put as put_setting
from app.sla import profile_hours_setting

DEMO_PASSWORD = "demo"
# username, role, and the display name in the desk's language: the accounts a demo opens with.
ACCOUNTS = (
    ("admin", "admin", {"zh-Hans": "周志强", "zh-Hant": "周志強", "en": "Kevin Chow"}),
    ("supervisor", "supervisor", {"zh-Hans": "王美玲", "zh-Hant": "王美玲",
                                  "en": "Wong Mei Ling"}),
    ("clerk1", "clerk", {"zh-Hans": "李小红", "zh-Hant": "李小紅", "en": "Lee Siu Hung"}),
    ("clerk2", "clerk", {"zh-Hans": "陈大文", "zh-Hant": "陳大文", "en": "Chan Tai Man"}),
)
BATCH = 2000  # complaints per insert round: bounds memory, keeps executemany efficient
_CHUNK_IN = 500  # values per IN (...) lookup


@dataclass(frozen=True)
class DemoOptions:
    count: int = 2000
    seed: int = 1
    profile: str = "mall"
    months: int = 12
    # The language the demo's customers write in and its staff are named in; None: the
    # desk's language (chosen at first start; 简体 on a desk that never chose).
    language: str | None = None


@dataclass(frozen=True)
class DemoSummary:
    complaints: int
    customers: int  # new customers (returning phones reuse the stored customer)
    still_open: int
    events: int
    seconds: float


def make_demo(db: Database, opts: DemoOptions, actor: Actor = SYSTEM) -> DemoSummary:
    """Add demo accounts, lists, settings and `opts.count` complaints in one transaction.

    `actor` is who asked for it (named in the audit trail); the complaints themselves are
    worked by the demo accounts.
    """
    require(actor, DEMO_DATA)  # administrators (app/permissions.py)
    if opts.count < 0:
        raise ValidationError("count", N_("must be 0 or more"))
    if opts.months < 1:
        raise ValidationError("months", N_("must be 1 or more"))
    if opts.profile not in PROFILES:
        raise ValidationError("profile", N_("must be one of: {allowed}"),
                              allowed=", ".join(PROFILES))
    started = time.perf_counter()
    now = clock.now()
    rng = DemoRandom(opts.seed)
    if opts.language is not None and opts.language not in LANGUAGES:
        raise ValidationError("language", N_("must be one of: {allowed}"),
                              allowed=", ".join(LANGUAGES))
    with without_cyclic_gc(), db.write() as session:
        language = opts.language or str(get_setting(session, "language"))
        if session.get(Setting, "language") is None:
            put_setting(session, "language", language)  # a new desk speaks its demo's
        actors = _accounts(session, now, language)
        apply_profile(session, opts.profile)
        texts = Texts(opts.profile, rng, language)
        put_setting(session, "is_demo", True)
        put_setting(session, "profile", opts.profile)
        if session.get(Setting, "opening_hours") is None:
            # The profile's hours, unless the desk chose its own: a mall's demo complaints
            # are promised within a mall's hours.
            put_setting(session, "opening_hours", profile_hours_setting(opts.profile))
        if not get_setting(session, "business_name"):
            put_setting(session, "business_name", texts.business_name(opts.profile))
        ctx = _context(session, opts.profile, now, texts, actors)
        plans, new_customers = _plan(session, ctx, opts, now, rng)
        _insert(session, Customer.__table__, new_customers)
        still_open = events = 0
        cases_per_month: dict[str, int] = {}
        for batch in _batches(plans, BATCH):
            _assign_references(session, batch)
            lives = [Life(ctx, plan) for plan in batch]
            for life in lives:
                life.run()
            # Issue 20: a few typical cases, the questionnaire at the revisits.
            cases = choose_cases(lives, ctx.supervisor, now, opts.seed, cases_per_month)
            events += sum(len(life.events) for life in lives)
            still_open += sum(life.c["stage"] != "closed" for life in lives)
            _insert_lives(session, lives)
            insert_cases(session, cases)
            answer_revisits(session, [life.plan.id for life in lives], opts.seed)
        _sync_id_sequences(session)
        # The audit trail accounts for bulk rows as ranges (they bypass the ORM flush).
        audit.record_bulk(session, actor, "demo_data", opts.profile, complaints=len(plans),
                          seed=opts.seed)
    return DemoSummary(len(plans), len(new_customers), still_open, events,
                       time.perf_counter() - started)


def _accounts(session: Session, now: datetime, language: str) -> dict[str, Staff]:
    """The demo accounts (existing ones are left as they are); actors by username."""
    users = {u.username: u for u in session.scalars(select(User))}
    missing = [a for a in ACCOUNTS if a[0] not in users]
    if missing:
        hashed = hash_password(DEMO_PASSWORD)  # scrypt is slow on purpose: hash once
        for username, role, names in missing:
            users[username] = User(username=username, display_name=names[language], role=role,
                                   password_hash=hashed, active=True, failed_attempts=0,
                                   created_at=now)
            session.add(users[username])
        session.flush()
    return {name: (u.id, u.display_name, u.role) for name, u in users.items()}


def _context(session: Session, profile: str, now: datetime, texts: Texts,
             actors: dict[str, Staff]) -> Context:
    def ids(kind: str) -> dict[str, int]:
        rows = session.execute(select(ListValue.code, ListValue.id).where(
            ListValue.kind == kind, ListValue.active.is_(True)))
        return {code: id_ for code, id_ in rows}

    categories = ids("category")
    missing = [code for code in texts.categories if code not in categories]
    for code in missing:  # a supervisor retired it: demo complaints use the others
        del texts.categories[code]
    if not texts.categories:
        raise ValidationError("category", N_("no category of this profile is in use"))
    return Context(now=now, profile=profile, policy=sla_policy(session),
                   threshold=int(get_setting(session, "approval_threshold")), texts=texts,
                   clerks=[actors["clerk1"], actors["clerk2"]],
                   supervisor=actors["supervisor"], category_ids=categories,
                   subject_ids=ids("subject"), department_ids=ids("department"),
                   escalation=escalation_rules(session))


def _plan(session: Session, ctx: Context, opts: DemoOptions, now: datetime,
          rng: random.Random) -> tuple[list[Planned], list[dict[str, Any]]]:
    """Every complaint's arrival, customer, category and severity, in time order."""
    texts = ctx.texts
    arrived = arrivals(rng, months_before(now, opts.months), now, opts.count,
                       texts.profile["channels"])
    times = [at for at, _ in arrived]
    customers = choose_customers(rng, texts, times)
    stored = _stored_customers(session, customers.people)
    customer_ids, new_rows = _customer_ids(session, customers.people, customers.of, times,
                                           stored)
    earlier = {who: sorted(stored[p.phone][1]) for who, p in enumerate(customers.people)
               if p.phone is not None and p.phone in stored}
    window = int(get_setting(session, "repeat_window_days"))
    flags = repeat_flags(times, customers, earlier, window)
    recent = recent_counts(times, customers, earlier, ctx.escalation.repeat_days)
    tiers = _stored_tiers(session, [stored[p.phone][0] for p in customers.people
                                    if p.phone is not None and p.phone in stored])
    first_id = _next_id(session, Complaint)
    category_weights = [(code, c["weight"]) for code, c in texts.categories.items()]
    recorders = [(ctx.clerks[0], 45), (ctx.clerks[1], 45), (ctx.supervisor, 10)]
    plans = []
    for i, (at, channel) in enumerate(arrived):
        category = weighted(rng, category_weights)
        severity = weighted(rng, texts.severities[category])
        person = customers.people[customers.of[i]]
        recorder = weighted(rng, recorders)
        cid = customer_ids[customers.of[i]]
        plans.append(Planned(first_id + i, "", at, channel, category, severity, cid,
                             person.lang, flags[i], recorder, rng.getrandbits(62), recent[i],
                             tiers.get(cid, person.tier)))
    return plans, new_rows


def _stored_tiers(session: Session, ids: list[int]) -> dict[int, str]:
    """The tier of each returning customer, as stored (the demo does not change it)."""
    found: dict[int, str] = {}
    unique = sorted(set(ids))
    for i in range(0, len(unique), _CHUNK_IN):
        found.update({int(cid): str(tier) for cid, tier in session.execute(
            select(Customer.id, Customer.tier).where(Customer.id.in_(
                unique[i:i + _CHUNK_IN])))})
    return found


def _stored_customers(session: Session, people: list[Person]
                      ) -> dict[str, tuple[int, list[datetime]]]:
    """Customers already in the database with one of these phones, with their complaint times."""
    phones = sorted({p.phone for p in people if p.phone is not None})
    found: dict[str, tuple[int, list[datetime]]] = {}
    for i in range(0, len(phones), _CHUNK_IN):
        for phone, cid in session.execute(select(Customer.phone, Customer.id).where(
                Customer.phone.in_(phones[i:i + _CHUNK_IN]))):
            if phone is not None:
                found[phone] = (cid, [])
    by_id = {cid: times for cid, times in found.values()}
    ids = sorted(by_id)
    for i in range(0, len(ids), _CHUNK_IN):
        for customer, at in session.execute(
                select(Complaint.customer_id, Complaint.received_at)
                .where(Complaint.customer_id.in_(ids[i:i + _CHUNK_IN]))):
            if customer is not None:
                insort(by_id[customer], at)
    return found


def _customer_ids(session: Session, people: list[Person], of: list[int], times: list[datetime],
                  stored: dict[str, tuple[int, list[datetime]]]
                  ) -> tuple[list[int], list[dict[str, Any]]]:
    """An id per person (the stored one for a known phone) and the rows of the new ones."""
    first_seen: dict[int, datetime] = {}
    for who, at in zip(of, times, strict=True):
        first_seen.setdefault(who, at)
    next_id = _next_id(session, Customer)
    ids: list[int] = []
    rows: list[dict[str, Any]] = []
    for who, p in enumerate(people):
        if p.phone is not None and p.phone in stored:
            ids.append(stored[p.phone][0])
            continue
        ids.append(next_id)
        rows.append({"id": next_id, "name": p.name, "phone": p.phone, "email": p.email,
                     "tier": p.tier, "anonymised_at": None, "created_at": first_seen[who]})
        next_id += 1
    return ids, rows


def _next_id(session: Session, model: type[Customer] | type[Complaint]) -> int:
    return int(session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0) + 1


def _batches(items: list[Planned], size: int) -> Iterator[list[Planned]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _assign_references(session: Session, batch: list[Planned]) -> None:
    """TS-YYYYMMDD-NNNN per received day, continuing the day's counter (app/references.py)."""
    for day, group in groupby(batch, key=lambda p: p.received_at.strftime("%Y%m%d")):
        planned = list(group)
        for plan, reference in zip(planned, allocate_many(session, day, len(planned)),
                                   strict=True):
            plan.reference = reference


def _insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if table.name == Complaint.__tablename__:
        # RETURNING makes SQLAlchemy send multi-row INSERTs ("insertmanyvalues"): the search
        # index trigger then works per statement, not per row (5x faster at 100,000).
        session.execute(insert(table).returning(table.c.id), rows).all()
    else:
        session.execute(insert(table), rows)


def _insert_lives(session: Session, lives: list[Life]) -> None:
    """Parents before children; events in time order per complaint (ids follow time)."""
    tables: list[tuple[Table, list[dict[str, Any]]]] = [
        (Complaint.__table__, [life.c for life in lives]),  # type: ignore[list-item]
        (ComplaintEvent.__table__, [e for life in lives for e in life.events]),  # type: ignore[list-item]
        (Contact.__table__, [r for life in lives for r in life.contacts]),  # type: ignore[list-item]
        (Investigation.__table__, [life.inv for life in lives if life.inv]),  # type: ignore[list-item]
        (Solution.__table__, [s for life in lives for s in life.solutions]),  # type: ignore[list-item]
        (Revisit.__table__, [r for life in lives for r in life.revisits]),  # type: ignore[list-item]
        (Escalation.__table__, [r for life in lives for r in life.escalations]),  # type: ignore[list-item]
    ]
    for table, rows in tables:
        _insert(session, table, rows)


def _sync_id_sequences(session: Session) -> None:
    """PostgreSQL hands out ids from sequences: move them past the ids given here."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("customers", "complaints"):
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))"))
