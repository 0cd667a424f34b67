"""Demo data of issue 20: the questionnaire answered at demo revisits (near the overall score,
some skipped), a few closed complaints chosen as typical cases (with their timeline event),
everything accounted for by the audit trail; the same seed, the same data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app import clock
from app.audit_check import check_chain
from app.db import Database
from app.models import Complaint, ComplaintEvent, Revisit, RevisitAnswer, TypicalCase
from app.services.demo import DemoOptions, make_demo
from app.services.questionnaire import asked_questions
from app.services.stats import month_stats
from app.services.typical_cases import list_cases
from tests.unit.test_demo import NOW, _copy


@pytest.fixture(scope="module")
def demo_db(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = _copy(template_db, tmp_path_factory.mktemp("demo-records") / "demo.db")
    with clock.frozen(NOW):
        make_demo(db, DemoOptions(count=1500, seed=5, profile="mall", months=6))
    yield db
    db.dispose()


def test_revisits_carry_the_questionnaire(demo_db: Database) -> None:
    asked = {q.id for q in asked_questions(demo_db)}
    with demo_db.read() as s:
        rows = s.execute(select(RevisitAnswer.question_id, RevisitAnswer.score,
                                Revisit.satisfaction, Revisit.done_at)
                         .join(Revisit, Revisit.id == RevisitAnswer.revisit_id)).all()
        done = s.scalars(select(Revisit.id).where(Revisit.done_at.is_not(None))).all()
    assert rows and {q for q, *_ in rows} <= asked
    assert all(1 <= score <= 5 and abs(score - overall) <= 1 and at is not None
               for _q, score, overall, at in rows)
    share = len(rows) / (len(done) * len(asked))
    assert 0.8 < share < 0.95  # some questions skipped, as on a real call
    with clock.frozen(NOW):
        figures = month_stats(demo_db, f"{NOW:%Y-%m}")
    assert figures["by_question"] and set(figures["by_question"]) <= {str(q) for q in asked}


def test_a_few_closed_complaints_are_typical_cases(demo_db: Database) -> None:
    with demo_db.read() as s:
        cases = s.execute(select(TypicalCase.marked_at, Complaint.stage, Complaint.closed_at,
                                 Complaint.updated_at, Complaint.version, Complaint.id)
                          .join(Complaint, Complaint.id == TypicalCase.complaint_id)).all()
        events = Counter(s.scalars(select(ComplaintEvent.complaint_id).where(
            ComplaintEvent.kind == "case_marked")))
    assert 3 <= len(cases) <= 2 * 6 + 2
    for marked, stage, closed, updated, _version, cid in cases:
        assert stage == "closed" and closed < marked <= NOW and updated == marked
        assert events[cid] == 1
    per_month = Counter(f"{m:%Y-%m}" for m, *_ in cases)
    assert max(per_month.values()) <= 2
    assert len(list_cases(demo_db)) == len(cases)
    assert check_chain(demo_db) == []


def test_the_same_seed_gives_the_same_answers_and_cases(demo_db: Database, template_db: Path,
                                                        tmp_path: Path) -> None:
    again = _copy(template_db, tmp_path / "again.db")
    with clock.frozen(NOW):
        make_demo(again, DemoOptions(count=1500, seed=5, profile="mall", months=6))

    def content(db: Database) -> tuple[list[tuple[int, int, int]], list[tuple[int, str]]]:
        with db.read() as s:
            return (sorted(tuple(r) for r in s.execute(select(
                        RevisitAnswer.revisit_id, RevisitAnswer.question_id,
                        RevisitAnswer.score))),
                    sorted(tuple(r) for r in s.execute(select(TypicalCase.complaint_id,
                                                              TypicalCase.title))))

    assert content(again) == content(demo_db)
    again.dispose()


def test_demo_incidents_happen_at_or_before_receipt(demo_db: Database) -> None:
    """Counter customers mostly come straight from the incident; others report it later."""
    with demo_db.read() as s:
        rows = s.execute(select(Complaint.channel, Complaint.received_at,
                                Complaint.occurred_at)).all()
    assert rows and all(o is not None and o <= r for _c, r, o in rows)
    at_counter = [o == r for c, r, o in rows if c == "counter"]
    written = [o == r for c, r, o in rows if c != "counter"]
    assert 0.5 < sum(at_counter) / len(at_counter) < 0.9
    assert not any(written)
