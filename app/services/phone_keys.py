"""Customers found by phone: the E.164 key (app/phones.py) with the desk's region, and the keys
of desks that began before E.164.

Before E.164 a phone was kept as digits with a +86/+852/+853/+886/+65 prefix stripped, so
`+852 9123 4567` and `+65 9123 4567` were one customer. When a database is opened, every such
key that is a valid number of the desk's region is re-keyed to E.164 (`rekey_legacy`, audited,
its rows resealed); customers whose keys then coincide are merged into the oldest. A key that
is not a number of the region (an 8-digit Hong Kong number at a mainland desk: its country was
stripped, so it cannot be told) stays as it is, and is adopted by the first complaint typed
with the full number (`find_by_phone`): the old key is what the old program stored for it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from app import audit
from app.db import Database
from app.errors import ValidationError
from app.models import Complaint, Customer
from app.phones import is_key, national_digits, normalise_phone
from app.services.common import SYSTEM, Actor
from app.settings import get as get_setting


def region_of(session: Session) -> str:
    return str(get_setting(session, "phone_region"))


def desk_region(db: Database) -> str:
    with db.read() as session:
        return region_of(session)


def legacy_keys(key: str) -> list[str]:
    """What the program before E.164 stored for the number `key` (both ways it was typed)."""
    national = national_digits(key)
    return [national, "0" + national]


def find_by_phone(session: Session, key: str) -> Customer | None:
    """The customer with this E.164 key; else the one customer still under its old key, which
    then takes the new one (resealed by the flush, like any change)."""
    customer = session.scalar(select(Customer).where(Customer.phone == key))
    if customer is not None or not is_key(key):
        return customer
    old = session.scalars(select(Customer).where(Customer.phone.in_(legacy_keys(key)))).all()
    if len(old) != 1:
        return None  # none, or two that cannot be told apart: a new customer is safer
    old[0].phone = key
    return old[0]


@dataclass
class Rekeyed:
    rekeyed: int = 0
    merged: int = 0
    kept: int = 0  # old keys that are not numbers of the desk's region


def rekey_legacy(db: Database, actor: Actor = SYSTEM) -> Rekeyed:
    """Re-key customers stored before E.164 (see the module's docstring); one transaction."""
    outcome = Rekeyed()
    with db.read() as session:
        if session.scalar(select(Customer.id).where(Customer.phone.is_not(None),
                                                    ~Customer.phone.startswith("+"))
                          .limit(1)) is None:
            return outcome
    with db.write() as session:
        region = region_of(session)
        rows = session.execute(select(Customer.id, Customer.phone)
                               .where(Customer.phone.is_not(None),
                                      ~Customer.phone.startswith("+"))
                               .order_by(Customer.id)).all()
        groups: dict[str, list[int]] = defaultdict(list)
        for id_, phone in rows:
            if phone is None:
                continue
            try:
                groups[normalise_phone(phone, region)].append(id_)
            except ValidationError:
                outcome.kept += 1
        if not groups:
            return outcome
        taken = dict(session.execute(select(Customer.phone, Customer.id)
                                     .where(Customer.phone.in_(list(groups)))).all())
        table = cast(Table, Customer.__table__)
        changes = []
        for key, ids in groups.items():
            survivor = taken.get(key, ids[0])
            for other in ids:
                if other != survivor:
                    _merge(session, other, survivor)
                    outcome.merged += 1
            if survivor not in taken.values():
                changes.append({"cid": survivor, "key": key})
        if changes:
            session.connection().execute(
                update(table).where(table.c.id == bindparam("cid"))
                .values(phone=bindparam("key")), changes)
            audit.reseal(session, "customers", [c["cid"] for c in changes])
        outcome.rekeyed = len(changes)
        audit.record(session, actor, "rekey_phones", region, rekeyed=outcome.rekeyed,
                     merged=outcome.merged, kept=outcome.kept)
    return outcome


def _merge(session: Session, duplicate: int, survivor: int) -> None:
    """The duplicate's complaints move to the survivor; the duplicate goes (ORM: audited)."""
    for complaint in session.scalars(select(Complaint).where(Complaint.customer_id == duplicate)):
        complaint.customer_id = survivor
    gone = session.get(Customer, duplicate)
    if gone is not None:
        session.flush()
        session.delete(gone)
        session.flush()
