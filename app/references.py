"""Reference numbers TS-YYYYMMDD-NNNN: a daily sequence, never reused, unique across counters.

The counter row is incremented inside the saving transaction: SQLite serialises writers
(BEGIN IMMEDIATE), PostgreSQL locks the row on UPDATE, so two counters never get one number.
Numbers past 9999 in a day simply grow a digit.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import ReferenceCounter

PATTERN = re.compile(r"^TS-\d{8}-\d{4,}$")


def format_reference(day: str, number: int) -> str:
    return f"TS-{day}-{number:04d}"


def allocate(session: Session, at: datetime) -> str:
    """The next reference for the day of `at`, reserved in the session's transaction."""
    day = at.strftime("%Y%m%d")
    for _ in range(5):
        result = session.execute(
            update(ReferenceCounter)
            .where(ReferenceCounter.day == day)
            .values(last=ReferenceCounter.last + 1)
            .returning(ReferenceCounter.last)
        ).scalar_one_or_none()
        if result is not None:
            return format_reference(day, result)
        try:
            with session.begin_nested():
                session.execute(insert(ReferenceCounter).values(day=day, last=1))
            return format_reference(day, 1)
        except IntegrityError:
            continue  # another counter created today's row first: increment it instead
    raise RuntimeError("could not allocate a reference")


def allocate_many(session: Session, day: str, count: int) -> list[str]:
    """`count` consecutive references for one day (bulk demo data and imports)."""
    last = session.execute(
        select(ReferenceCounter.last).where(ReferenceCounter.day == day)
    ).scalar_one_or_none()
    if last is None:
        session.execute(insert(ReferenceCounter).values(day=day, last=count))
        start = 1
    else:
        session.execute(
            update(ReferenceCounter).where(ReferenceCounter.day == day).values(last=last + count)
        )
        start = last + 1
    return [format_reference(day, n) for n in range(start, start + count)]
