"""The overdue test and its one SQL twin give the same answer on the same rows.

`app.sla.is_overdue` (card clock, panel, monthly lists, Excel export) and
`app.rules.overdue_sql.overdue_sql` (the queue, the month-end count of the statistics) are
run over the same rows, stored in the database with the column types of the complaints
table (on SQLite, and on PostgreSQL with COMPLAINT_DESK_TEST_DB).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, case, insert, select

from app import clock
from app.codes import STAGES
from app.db import Database
from app.models import Complaint
from app.rules.overdue_sql import overdue_sql
from app.services.common import Actor
from app.services.queue import QueueFilter, queue_cards
from app.sla import is_overdue
from tests.complaint_factory import advance, new_complaint

BASE = datetime(2026, 3, 10, 10, 0, 0)
# A few fixed moments make equal due times, pause starts and "now" common (the edge).
MOMENTS = [BASE + timedelta(hours=h) for h in (-30, -1, 0, 1, 30)]
moments = st.one_of(st.sampled_from(MOMENTS),
                    st.datetimes(min_value=BASE - timedelta(days=40),
                                 max_value=BASE + timedelta(days=40)))
rows = st.lists(st.tuples(st.sampled_from([*STAGES, "retired_stage"]),
                          st.none() | moments, st.none() | moments), min_size=1, max_size=40)

_meta = MetaData()
# The columns the rule reads, typed as in app/models.py Complaint.
SCRATCH = Table("overdue_twin_rows", _meta, Column("id", Integer, primary_key=True),
                Column("stage", String(20)), Column("due_at", DateTime),
                Column("paused_since", DateTime))
assert isinstance(Complaint.__table__.c.due_at.type, DateTime)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows, now=moments)
def test_python_and_sql_agree_on_the_same_rows(
        db: Database, rows: list[tuple[str, datetime | None, datetime | None]],
        now: datetime) -> None:
    _meta.create_all(db.engine)
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(SCRATCH), [
                {"id": i, "stage": stage, "due_at": due, "paused_since": paused}
                for i, (stage, due, paused) in enumerate(rows)])
            t = SCRATCH.c
            found = dict(conn.execute(select(t.id, case(
                (overdue_sql(t.stage, t.due_at, t.paused_since, now), True), else_=False))).all())
        expected = {i: is_overdue(stage, due, now, paused)
                    for i, (stage, due, paused) in enumerate(rows)}
        assert {i: bool(v) for i, v in found.items()} == expected
    finally:
        _meta.drop_all(db.engine)


def test_the_queue_filter_and_the_card_clock_agree(
        db: Database, clerk: Actor, supervisor: Actor) -> None:
    """The queue's "overdue only" (SQL) lists exactly the cards whose clock (Python) says
    overdue, over complaints in every stage, paused or not."""
    clock.set_clock(lambda: BASE - timedelta(days=20))
    try:
        refs = []
        for stage in STAGES:
            for _ in range(2):
                ref = new_complaint(db, clerk)
                advance(db, ref, stage, clerk, supervisor)
                refs.append(ref)
    finally:
        clock.reset_clock()
    # Due times before, at and after now, and pauses before and after the due time.
    with db.write() as session:
        for n, c in enumerate(session.scalars(select(Complaint).order_by(Complaint.id))):
            c.due_at = BASE + timedelta(hours=(n % 5 - 2) * 10)
            if c.stage == "proposed":
                c.paused_since = BASE + timedelta(hours=(n % 3 - 1) * 15)
    clock.set_clock(lambda: BASE)
    try:
        every = queue_cards(db, QueueFilter(stages=STAGES))
        late = queue_cards(db, QueueFilter(stages=STAGES, overdue_only=True))
    finally:
        clock.reset_clock()
    assert len(every) == len(refs)
    assert {c.reference for c in late} == {c.reference for c in every if c.overdue}
    assert any(c.overdue for c in every) and not all(c.overdue for c in every)
    assert all(not c.overdue for c in every if c.stage in ("follow_up", "closed"))
