"""The satisfaction questionnaire each profile starts with (hotel 5.1, salon 问卷): three to five
questions, each answered 1-5 at the revisit, worded in the three languages.

These are data for the editable questionnaire (`survey_questions`), not program texts: once
added to a desk a supervisor rewords, reorders or retires them in Settings
(app/services/questionnaire.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import RevisitAnswer, SurveyQuestion

MAX_ASKED = 5  # a revisit call stays short: at most five questions besides the overall score

Question = tuple[str, str, str, str]  # code, 简体, 繁體, English

_SPEED: Question = (
    "speed", "您对我们处理投诉的速度是否满意？", "您對我們處理投訴的速度是否滿意？",
    "How satisfied are you with how quickly we handled your complaint?")
_ATTITUDE: Question = (
    "attitude", "您对处理人员的服务态度是否满意？", "您對處理人員的服務態度是否滿意？",
    "How satisfied are you with the attitude of the staff who handled it?")
_OUTCOME: Question = (
    "outcome", "您对处理结果是否满意？", "您對處理結果是否滿意？",
    "How satisfied are you with the outcome?")

QUESTIONS: dict[str, list[Question]] = {
    "mall": [
        _SPEED, _ATTITUDE, _OUTCOME,
        ("return_mall", "您再次来本商场购物的意愿如何？", "您再次來本商場購物的意願如何？",
         "How likely are you to shop with us again?"),
    ],
    "salon": [
        _SPEED, _ATTITUDE,
        ("explanation", "您对我们就护理项目和处理方案的解释说明是否满意？",
         "您對我們就護理項目和處理方案的解釋說明是否滿意？",
         "How satisfied are you with how clearly we explained the treatment and the solution?"),
        _OUTCOME,
        ("return_salon", "您再次预约本店服务的意愿如何？", "您再次預約本店服務的意願如何？",
         "How likely are you to book with us again?"),
    ],
    "hotel": [
        _SPEED, _ATTITUDE, _OUTCOME,
        ("stay_overall", "问题解决后，您对本次入住的整体评价如何？",
         "問題解決後，您對本次入住的整體評價如何？",
         "After the problem was solved, how would you rate your stay overall?"),
        ("return_hotel", "您再次入住本酒店的意愿如何？", "您再次入住本酒店的意願如何？",
         "How likely are you to stay with us again?"),
    ],
}


def default_codes(profile: str) -> set[str]:
    return {q[0] for q in QUESTIONS.get(profile, [])}


def seed_questions(session: Session, profile: str, now: datetime) -> int:
    """Add the profile's questions that the desk has never had (by code, in any wording),
    while fewer than MAX_ASKED are asked. Returns how many were added.

    Called when a profile is applied (app/profiles.apply_profile): a question a supervisor
    reworded or retired is never put back."""
    known = set(session.scalars(select(SurveyQuestion.code).where(
        SurveyQuestion.code.is_not(None))))
    asked = session.scalar(select(func.count()).select_from(SurveyQuestion).where(
        SurveyQuestion.active.is_(True), SurveyQuestion.replaced_at.is_(None))) or 0
    position = session.scalar(select(func.coalesce(func.max(SurveyQuestion.position), 0))) or 0
    added = 0
    for code, hans, hant, en in QUESTIONS.get(profile, []):
        if code in known or asked >= MAX_ASKED:
            continue
        position += 1
        asked += 1
        added += 1
        session.add(SurveyQuestion(code=code, label_zh_hans=hans, label_zh_hant=hant,
                                   label_en=en, position=position, active=True,
                                   created_at=now))
    session.flush()
    return added


def drop_other_profiles(session: Session, profile: str) -> int:
    """Before another profile's preset is applied to a new desk: the questions only another
    profile brought (by code) are deleted when never answered, else no longer asked.
    Returns how many were taken out."""
    mine = default_codes(profile)
    others = {code for p in QUESTIONS if p != profile for code in default_codes(p)} - mine
    answered = set(session.scalars(select(RevisitAnswer.question_id).distinct()))
    taken = 0
    for q in session.scalars(select(SurveyQuestion).where(SurveyQuestion.code.in_(others))):
        if q.id in answered or q.replaces_id is not None:
            if q.active:
                q.active = False
                taken += 1
        else:
            session.delete(q)
            taken += 1
    session.flush()
    return taken
