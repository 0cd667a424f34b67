"""The satisfaction questionnaire asked at revisits (hotel 5.1, salon 问卷): besides the overall
1-5, a few questions (at most five asked), each answered 1-5, worded in the three languages.

What an answer meant never changes: a question that has answers is not reworded in place.
A new wording becomes a new question in the old one's place (`replaces_id`); the old one keeps
its words and its answers and is no longer asked. Averages are per question as worded
(month_stats' `by_question`, the monthly report, the dashboard). A question without answers
is simply corrected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, clock, validation
from app.db import Database
from app.errors import NotFound, ValidationError
from app.i18n import N_, NN_, get_language
from app.models import RevisitAnswer, SurveyQuestion
from app.permissions import EDIT_QUESTIONNAIRE, require
from app.services.common import Actor
from app.services.lists import Labels
from app.survey_defaults import MAX_ASKED

QUESTION_LEN = 120  # one sentence read out on the phone
FIELD = "questionnaire"


@dataclass(frozen=True)
class Question:
    id: int
    code: str | None
    labels: Labels
    position: int
    active: bool  # asked at revisits (unless replaced)
    answers: int  # answers given to this wording
    replaces_id: int | None  # the wording this one took over from
    replaced_at: datetime | None  # when a new wording took over (then no longer asked)

    def label(self, lang: str | None = None) -> str:
        lang = lang or get_language()
        return {"zh-Hans": self.labels.zh_hans, "zh-Hant": self.labels.zh_hant}.get(
            lang, self.labels.en)

    @property
    def asked(self) -> bool:
        return self.active and self.replaced_at is None


@dataclass(frozen=True)
class QuestionAverage:
    """One question's figures for a month (month_stats' by_question, labelled)."""

    question_id: int
    labels: Labels  # the question as worded in the three languages
    position: int
    answers: int
    average: float | None
    previous_average: float | None  # the month before, same wording
    asked: bool  # still asked today (False: no longer asked, or reworded since)
    replaced_at: datetime | None  # reworded on that day: later answers are another line

    def label(self, lang: str | None = None) -> str:
        lang = lang or get_language()
        return {"zh-Hans": self.labels.zh_hans, "zh-Hant": self.labels.zh_hant}.get(
            lang, self.labels.en)


# --- reading -------------------------------------------------------------------------------


def _counts(session: Session, ids: Sequence[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.execute(select(RevisitAnswer.question_id, func.count())
                           .where(RevisitAnswer.question_id.in_(list(ids)))
                           .group_by(RevisitAnswer.question_id)).all()
    return {int(q): int(n) for q, n in rows}


def _question(q: SurveyQuestion, answers: int) -> Question:
    return Question(q.id, q.code, Labels(q.label_zh_hans, q.label_zh_hant, q.label_en),
                    q.position, bool(q.active), answers, q.replaces_id, q.replaced_at)


def _current(session: Session) -> list[SurveyQuestion]:
    """The questions of the Settings page: every wording not replaced, in order."""
    return list(session.scalars(select(SurveyQuestion).where(
        SurveyQuestion.replaced_at.is_(None)).order_by(SurveyQuestion.position,
                                                        SurveyQuestion.id)))


def list_questions(db: Database) -> list[Question]:
    """The questionnaire as Settings shows it: asked ones and ones no longer asked, in order
    (earlier wordings of reworded questions are left out: they live on in their answers)."""
    with db.read() as session:
        rows = _current(session)
        counts = _counts(session, [q.id for q in rows])
        return [_question(q, counts.get(q.id, 0)) for q in rows]


def asked_questions(db: Database) -> list[Question]:
    """What a revisit asks now, in order."""
    return [q for q in list_questions(db) if q.active]


def questions_by_id(session: Session, ids: Sequence[int]) -> dict[int, Question]:
    """Any wordings, replaced ones too (answers and reports name the words asked)."""
    if not ids:
        return {}
    rows = session.scalars(select(SurveyQuestion).where(SurveyQuestion.id.in_(list(ids))))
    return {q.id: _question(q, 0) for q in rows}


# --- changing ------------------------------------------------------------------------------


def _clean(session: Session, labels: Labels, own: SurveyQuestion | None) -> Labels:
    """Each wording given (a customer is asked in their own language), none longer than a
    sentence, and no question asked twice in the same words."""
    errors: list[ValidationError] = []
    clean: list[str] = []
    for field, text in (("label_zh_hans", labels.zh_hans), ("label_zh_hant", labels.zh_hant),
                        ("label_en", labels.en)):
        try:
            clean.append(validation.text(field, text, QUESTION_LEN, required=True) or "")
        except ValidationError as e:
            errors.append(e)
    if errors:
        raise errors[0]
    result = Labels(*clean)
    for other in _current(session):
        if own is not None and other.id == own.id:
            continue
        for field, mine, theirs in (("label_zh_hans", result.zh_hans, other.label_zh_hans),
                                    ("label_zh_hant", result.zh_hant, other.label_zh_hant),
                                    ("label_en", result.en, other.label_en)):
            if mine.casefold() == theirs.casefold():
                raise ValidationError(field, N_("\"{label}\" is already a question"),
                                      label=mine)
    return result


def _asked_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(SurveyQuestion).where(
        SurveyQuestion.active.is_(True), SurveyQuestion.replaced_at.is_(None))) or 0)


def _room_for_one(session: Session) -> None:
    if _asked_count(session) >= MAX_ASKED:
        raise ValidationError(FIELD, NN_(
            "at most {count} question is asked at a revisit; stop asking one first",
            "at most {count} questions are asked at a revisit; stop asking one first"),
            count=MAX_ASKED)


def _load(session: Session, question_id: int) -> SurveyQuestion:
    q = session.get(SurveyQuestion, question_id)
    if q is None:
        raise NotFound(N_("This question no longer exists."))
    if q.replaced_at is not None:
        raise ValidationError(FIELD, N_("this wording was replaced by a newer one; change "
                                        "the newer one"))
    return q


def _result(session: Session, q: SurveyQuestion) -> Question:
    session.flush()
    return _question(q, _counts(session, [q.id]).get(q.id, 0))


def add_question(db: Database, labels: Labels, actor: Actor) -> Question:
    """A new question at the end, asked from the next revisit on."""
    require(actor, EDIT_QUESTIONNAIRE)
    with db.write() as session:
        clean = _clean(session, labels, None)
        _room_for_one(session)
        last = session.scalar(select(func.coalesce(func.max(SurveyQuestion.position), 0))) or 0
        q = SurveyQuestion(label_zh_hans=clean.zh_hans, label_zh_hant=clean.zh_hant,
                           label_en=clean.en, position=last + 1, active=True,
                           created_at=clock.now())
        session.add(q)
        session.flush()
        audit.record(session, actor, "question_added", f"question:{q.id}")
        return _result(session, q)


def edit_question(db: Database, question_id: int, labels: Labels, actor: Actor) -> Question:
    """New words for a question. Without answers it is corrected in place; with answers the
    new words become a new question in its place and the old one keeps its answers (what a
    customer answered is never re-read as the answer to other words). Returns the question
    as it now is (a new id when reworded)."""
    require(actor, EDIT_QUESTIONNAIRE)
    with db.write() as session:
        old = _load(session, question_id)
        clean = _clean(session, labels, old)
        if clean == Labels(old.label_zh_hans, old.label_zh_hant, old.label_en):
            return _result(session, old)
        if not _counts(session, [old.id]):
            old.label_zh_hans, old.label_zh_hant, old.label_en = (
                clean.zh_hans, clean.zh_hant, clean.en)
            audit.record(session, actor, "question_changed", f"question:{old.id}")
            return _result(session, old)
        now = clock.now()
        new = SurveyQuestion(code=old.code, label_zh_hans=clean.zh_hans,
                             label_zh_hant=clean.zh_hant, label_en=clean.en,
                             position=old.position, active=old.active, created_at=now,
                             replaces_id=old.id)
        old.replaced_at, old.active = now, False
        session.add(new)
        session.flush()
        audit.record(session, actor, "question_reworded", f"question:{old.id}",
                     new_question=new.id)
        return _result(session, new)


def set_question_active(db: Database, question_id: int, active: bool,
                        actor: Actor) -> Question:
    """Stop asking a question (its answers stay in the figures) or ask it again."""
    require(actor, EDIT_QUESTIONNAIRE)
    with db.write() as session:
        q = _load(session, question_id)
        if bool(active) == bool(q.active):
            return _result(session, q)
        if active:
            _room_for_one(session)
        q.active = bool(active)
        audit.record(session, actor, "question_activated" if active
                     else "question_deactivated", f"question:{q.id}")
        return _result(session, q)


def move_question(db: Database, question_id: int, steps: int, actor: Actor) -> list[Question]:
    """Move a question up (negative steps) or down the order of asking."""
    require(actor, EDIT_QUESTIONNAIRE)
    with db.write() as session:
        rows = _current(session)
        ids = [q.id for q in rows]
        if question_id not in ids:
            _load(session, question_id)  # says why
        i = ids.index(question_id)
        j = max(0, min(len(ids) - 1, i + steps))
        rows.insert(j, rows.pop(i))
        for position, q in enumerate(rows, start=1):
            q.position = position
        audit.record(session, actor, "question_moved", f"question:{question_id}")
    return list_questions(db)


def delete_question(db: Database, question_id: int, actor: Actor) -> None:
    """Delete a question never answered (a typo just added); one with answers is refused."""
    require(actor, EDIT_QUESTIONNAIRE)
    with db.write() as session:
        q = _load(session, question_id)
        used = _counts(session, [q.id]).get(q.id, 0)
        if used:
            raise ValidationError(FIELD, NN_(
                "this question has {count} answer and cannot be deleted; stop asking it "
                "instead",
                "this question has {count} answers and cannot be deleted; stop asking it "
                "instead"), count=used)
        audit.record(session, actor, "question_deleted", f"question:{q.id}")
        session.delete(q)


# --- answers -------------------------------------------------------------------------------


def clean_answers(session: Session, answers: Mapping[Any, Any] | None) -> dict[int, int]:
    """The answers of one revisit: question id -> 1..5. A question left unanswered (None or
    "") is no answer. A question that no longer exists, or a score that is not 1-5, refuses
    the revisit with the question named."""
    given: dict[int, Any] = {}
    for key, value in (answers or {}).items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            qid = int(key)
        except (TypeError, ValueError):
            raise ValidationError(FIELD, N_("has an unknown question \"{value}\""),
                                  value=str(key)[:40]) from None
        given[qid] = value
    if not given:
        return {}
    known = questions_by_id(session, list(given))
    result: dict[int, int] = {}
    for qid in sorted(given, key=lambda i: (known[i].position, i) if i in known else (0, i)):
        question = known.get(qid)
        if question is None:
            raise ValidationError(FIELD, N_("has an unknown question \"{value}\""),
                                  value=str(qid))
        raw = given[qid]
        try:  # "4" or 4; never 4.5, True or "four"
            score = 0 if isinstance(raw, bool) else int(str(raw).strip())
        except ValueError:
            score = 0
        if not 1 <= score <= 5:
            raise ValidationError(FIELD, N_("\"{question}\" must be answered with a whole "
                                            "number from 1 to 5"), question=question.label())
        result[qid] = score
    return result


def add_answers(session: Session, revisit_id: int, answers: Mapping[int, int]) -> None:
    for qid, score in answers.items():
        session.add(RevisitAnswer(revisit_id=revisit_id, question_id=qid, score=score))


def answers_of(session: Session, revisit_ids: Sequence[int], lang: str | None = None,
               ) -> dict[int, list[tuple[str, int]]]:
    """revisit id -> [(the question as asked, score)] in the order of asking."""
    if not revisit_ids:
        return {}
    rows = session.execute(
        select(RevisitAnswer.revisit_id, RevisitAnswer.score, SurveyQuestion)
        .join(SurveyQuestion, SurveyQuestion.id == RevisitAnswer.question_id)
        .where(RevisitAnswer.revisit_id.in_(list(revisit_ids)))
        .order_by(RevisitAnswer.revisit_id, SurveyQuestion.position, SurveyQuestion.id)).all()
    out: dict[int, list[tuple[str, int]]] = {}
    for revisit_id, score, q in rows:
        out.setdefault(int(revisit_id), []).append((q.label(lang or get_language()), int(score)))
    return out


# --- figures -------------------------------------------------------------------------------


def question_averages(session: Session, figures: Mapping[str, Any]) -> list[QuestionAverage]:
    """month_stats' `by_question` of a month and the month before, with each question's
    words, in the order of asking: every question asked today (answered or not), then earlier wordings
    and questions no longer asked that have answers in either month."""
    this: Mapping[str, Any] = figures.get("by_question") or {}
    before: Mapping[str, Any] = (figures.get("previous_month") or {}).get("by_question") or {}
    answered = {int(k) for k in (*this, *before)}
    asked = set(session.scalars(select(SurveyQuestion.id).where(
        SurveyQuestion.active.is_(True), SurveyQuestion.replaced_at.is_(None))))
    rows = session.scalars(select(SurveyQuestion).where(
        SurveyQuestion.id.in_(sorted(answered | asked))))
    lines = []
    for q in rows:
        now, prev = this.get(str(q.id)) or {}, before.get(str(q.id)) or {}
        lines.append(QuestionAverage(
            q.id, Labels(q.label_zh_hans, q.label_zh_hant, q.label_en), q.position,
            int(now.get("answers") or 0), now.get("avg"),
            prev.get("avg"), q.id in asked, q.replaced_at))
    lines.sort(key=lambda a: (not a.asked, a.position, a.question_id))
    return lines
