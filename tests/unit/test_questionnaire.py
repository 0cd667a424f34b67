"""The revisit questionnaire (issue 20, hotel 5.1 / salon 问卷): questions per profile in three
languages, edited in Settings, answered 1-5 at the revisit; an answered question keeps its
words, so a later edit never changes what the answers meant; averages per question in
month_stats (the report and the dashboard read them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from app.audit_check import check_chain
from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.i18n import set_language
from app.models import RevisitAnswer, SurveyQuestion
from app.services import questionnaire as qs
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.lists import Labels, apply_preset
from app.services.revisits import record_revisit
from app.services.stats import month_stats
from app.survey_defaults import MAX_ASKED, QUESTIONS
from tests.complaint_factory import advance, new_complaint, snapshot

pytestmark = pytest.mark.usefixtures("fixed_clock")


def follow_up(db: Database, clerk: Actor, supervisor: Actor, **fields: Any) -> str:
    ref = new_complaint(db, clerk, **fields)
    advance(db, ref, "follow_up", clerk, supervisor)
    return ref


def test_a_desk_starts_with_its_profiles_questions_in_three_languages(db: Database) -> None:
    asked = qs.asked_questions(db)
    assert [q.code for q in asked] == [q[0] for q in QUESTIONS["mall"]]
    assert 3 <= len(asked) <= MAX_ASKED
    for q in asked:
        assert q.labels.zh_hans and q.labels.zh_hant and q.labels.en
    assert asked[0].label("zh-Hant") == "您對我們處理投訴的速度是否滿意？"
    for profile, rows in QUESTIONS.items():
        assert 3 <= len(rows) <= MAX_ASKED, profile


def test_a_preset_brings_the_other_profiles_questions(db: Database, tmp_path: Any,
                                                       supervisor: Actor) -> None:
    apply_preset(db, "hotel", supervisor)
    codes = [q.code for q in qs.asked_questions(db)]
    # The mall's own question (shop again) is not asked at a hotel; the hotel's are.
    assert "return_hotel" in codes and "stay_overall" in codes
    assert "return_mall" not in codes
    assert len(codes) <= MAX_ASKED


def test_answers_are_kept_with_the_revisit_and_shown(db: Database, clerk: Actor,
                                                     supervisor: Actor) -> None:
    ref = follow_up(db, clerk, supervisor)
    speed, attitude, outcome, *_ = qs.asked_questions(db)
    record_revisit(db, ref, method="phone", satisfaction=4, actor=clerk,
                   answers={speed.id: 5, attitude.id: "3", outcome.id: None})
    visit = get_detail(db, ref).revisits[-1]
    assert visit.answers == ((speed.label(), 5), (attitude.label(), 3))
    set_language("zh-Hans")
    assert get_detail(db, ref).revisits[-1].answers[0] == ("您对我们处理投诉的速度是否满意？", 5)
    assert check_chain(db) == []


@pytest.mark.parametrize(("answer", "problem"), [
    (0, "must be answered with a whole number from 1 to 5"),
    (6, "must be answered with a whole number from 1 to 5"),
    ("4.5", "must be answered with a whole number from 1 to 5"),
    (True, "must be answered with a whole number from 1 to 5"),
    ("很好", "must be answered with a whole number from 1 to 5"),
])
def test_a_bad_answer_names_the_question_and_changes_nothing(
        db: Database, clerk: Actor, supervisor: Actor, answer: Any, problem: str) -> None:
    ref = follow_up(db, clerk, supervisor)
    speed = qs.asked_questions(db)[0]
    before = snapshot(db)
    with pytest.raises(ValidationError) as e:
        record_revisit(db, ref, method="phone", satisfaction=5, actor=clerk,
                       answers={speed.id: answer})
    assert e.value.field == "questionnaire"
    assert e.value.message() == (f"Questionnaire: \"{speed.labels.en}\" {problem}")
    assert snapshot(db) == before


def test_an_unknown_question_is_refused(db: Database, clerk: Actor, supervisor: Actor) -> None:
    ref = follow_up(db, clerk, supervisor)
    before = snapshot(db)
    with pytest.raises(ValidationError, match="unknown question \"9999\""):
        record_revisit(db, ref, method="phone", satisfaction=5, actor=clerk,
                       answers={9999: 4})
    assert snapshot(db) == before


def test_rewording_an_answered_question_keeps_what_the_answers_meant(
        db: Database, clerk: Actor, supervisor: Actor) -> None:
    ref = follow_up(db, clerk, supervisor)
    speed = qs.asked_questions(db)[0]
    record_revisit(db, ref, method="phone", satisfaction=5, actor=clerk,
                   answers={speed.id: 2})
    new_words = Labels("您对我们首次联系您的速度是否满意？", "您對我們首次聯絡您的速度是否滿意？",
                       "How satisfied are you with how soon we first contacted you?")
    new = qs.edit_question(db, speed.id, new_words, supervisor)
    assert new.id != speed.id and new.replaces_id == speed.id
    assert new.position == speed.position and new.answers == 0
    # The answer still belongs to the words that were asked, in the panel and the figures.
    assert get_detail(db, ref).revisits[-1].answers == ((speed.labels.en, 2),)
    with db.read() as s:
        old = s.get(SurveyQuestion, speed.id)
        assert old is not None and old.label_en == speed.labels.en
        assert old.replaced_at is not None and not old.active
    asked = qs.asked_questions(db)
    assert asked[0].id == new.id and speed.id not in [q.id for q in asked]
    figures = month_stats(db, "2026-03")
    assert figures["by_question"] == {str(speed.id): {"answers": 1, "avg": 2.0}}
    # The old wording cannot be edited again: its answers are history.
    with pytest.raises(ValidationError, match="replaced by a newer one"):
        qs.edit_question(db, speed.id, Labels("甲", "甲", "A"), supervisor)
    assert check_chain(db) == []


def test_a_question_without_answers_is_corrected_in_place(db: Database,
                                                          supervisor: Actor) -> None:
    speed = qs.asked_questions(db)[0]
    fixed = qs.edit_question(db, speed.id, Labels(speed.labels.zh_hans, speed.labels.zh_hant,
                                                  "How happy are you with our speed?"),
                             supervisor)
    assert fixed.id == speed.id and fixed.labels.en == "How happy are you with our speed?"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(SurveyQuestion)) == len(
            QUESTIONS["mall"])


def test_each_wording_is_required_and_short(db: Database, supervisor: Actor) -> None:
    speed = qs.asked_questions(db)[0]
    before = snapshot(db)
    with pytest.raises(ValidationError) as e:
        qs.edit_question(db, speed.id, Labels("问题", "", "Question"), supervisor)
    assert e.value.field == "label_zh_hant" and e.value.problem() == "is required"
    with pytest.raises(ValidationError, match="too long"):
        qs.add_question(db, Labels("长" * 121, "長", "Long"), supervisor)
    with pytest.raises(ValidationError, match="already a question"):
        qs.add_question(db, Labels("新问题", "新問題", speed.labels.en.upper()), supervisor)
    assert snapshot(db) == before


def test_at_most_five_are_asked(db: Database, supervisor: Actor) -> None:
    have = len(qs.asked_questions(db))
    for n in range(MAX_ASKED - have):
        qs.add_question(db, Labels(f"问题{n}", f"問題{n}", f"Question {n}"), supervisor)
    before = snapshot(db)
    with pytest.raises(ValidationError, match="at most 5 questions are asked"):
        qs.add_question(db, Labels("第六", "第六", "Sixth"), supervisor)
    assert snapshot(db) == before
    first = qs.asked_questions(db)[0]
    qs.set_question_active(db, first.id, False, supervisor)
    assert len(qs.asked_questions(db)) == MAX_ASKED - 1
    qs.add_question(db, Labels("第六", "第六", "Sixth"), supervisor)
    with pytest.raises(ValidationError, match="at most 5"):
        qs.set_question_active(db, first.id, True, supervisor)


def test_only_supervisors_edit_the_questionnaire(db: Database, clerk: Actor) -> None:
    speed = qs.asked_questions(db)[0]
    with pytest.raises(PermissionDenied):
        qs.edit_question(db, speed.id, Labels("甲", "甲", "A"), clerk)
    with pytest.raises(PermissionDenied):
        qs.add_question(db, Labels("甲", "甲", "A"), clerk)


def test_an_answered_question_is_not_deleted(db: Database, clerk: Actor,
                                             supervisor: Actor) -> None:
    ref = follow_up(db, clerk, supervisor)
    speed, attitude, *_ = qs.asked_questions(db)
    record_revisit(db, ref, method="phone", satisfaction=5, actor=clerk, answers={speed.id: 4})
    with pytest.raises(ValidationError, match="has 1 answer and cannot be deleted"):
        qs.delete_question(db, speed.id, supervisor)
    qs.delete_question(db, attitude.id, supervisor)
    assert attitude.id not in [q.id for q in qs.list_questions(db)]


def test_order_of_asking(db: Database, supervisor: Actor) -> None:
    first, second, *_ = qs.asked_questions(db)
    qs.move_question(db, second.id, -1, supervisor)
    assert [q.id for q in qs.asked_questions(db)][:2] == [second.id, first.id]


def test_averages_per_question_in_month_stats(db: Database, clerk: Actor, supervisor: Actor,
                                              fixed_clock: Any) -> None:
    speed, attitude, *_ = qs.asked_questions(db)
    fixed_clock.at(datetime(2026, 2, 20, 10, 0))
    ref = follow_up(db, clerk, supervisor)
    record_revisit(db, ref, method="phone", satisfaction=5, actor=clerk, answers={speed.id: 1})
    fixed_clock.at(datetime(2026, 3, 5, 10, 0))
    for scores in ({speed.id: 5, attitude.id: 4}, {speed.id: 4}, {speed.id: 4, attitude.id: 1}):
        ref = follow_up(db, clerk, supervisor, phone="")
        record_revisit(db, ref, method="phone", satisfaction=4, actor=clerk, answers=scores)
    figures = month_stats(db, "2026-03")
    assert figures["by_question"] == {
        str(speed.id): {"answers": 3, "avg": 4.33},
        str(attitude.id): {"answers": 2, "avg": 2.5}}
    assert figures["previous_month"]["by_question"] == {str(speed.id): {"answers": 1,
                                                                         "avg": 1.0}}
    with db.read() as s:
        lines = qs.question_averages(s, figures)
        assert s.scalar(select(func.count()).select_from(RevisitAnswer)) == 6
    assert [(ln.question_id, ln.answers, ln.average, ln.previous_average) for ln in lines[:3]] \
        == [(speed.id, 3, 4.33, 1.0), (attitude.id, 2, 2.5, None),
            (lines[2].question_id, 0, None, None)]
    assert lines[0].label("zh-Hant") == "您對我們處理投訴的速度是否滿意？"


def test_an_answer_given_to_words_replaced_meanwhile_stays_with_those_words(
        db: Database, clerk: Actor, supervisor: Actor) -> None:
    """A clerk read out the old words on the call while a supervisor reworded the question:
    the answer belongs to the words the customer heard, not to the new ones."""
    ref = follow_up(db, clerk, supervisor)
    other = follow_up(db, clerk, supervisor, phone="")
    speed = qs.asked_questions(db)[0]
    record_revisit(db, other, method="phone", satisfaction=4, actor=clerk,
                   answers={speed.id: 4})
    new = qs.edit_question(db, speed.id, Labels("快吗？", "快嗎？", "Quick?"), supervisor)
    record_revisit(db, ref, method="phone", satisfaction=5, actor=clerk, answers={speed.id: 5})
    assert get_detail(db, ref).revisits[-1].answers == ((speed.labels.en, 5),)
    figures = month_stats(db, "2026-03")
    assert figures["by_question"] == {str(speed.id): {"answers": 2, "avg": 4.5}}
    assert str(new.id) not in figures["by_question"]
