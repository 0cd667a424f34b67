"""Demo data for issue 20's records: the questionnaire answered at demo revisits, and a few
closed demo complaints chosen as typical cases, so the dashboard, the monthly report, the
case list and the case sheet of a demo desk show what a real desk would.

Each revisit's answers come from a random stream of their own (the demo's seed and the
revisit), near the overall score the customer gave; some questions are skipped, as on a real
call. Cases: about one closed complaint in 150 that taught something (serious or urgent,
reopened, or a poor first revisit), at most two a month, chosen a few days after closing.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models import Revisit, RevisitAnswer, SurveyQuestion, TypicalCase

SKIPPED = 0.12  # share of questions a customer does not answer
CASE_SHARE = 150  # about one case per this many closed complaints
CASES_PER_MONTH = 2

# What a supervisor writes as the lesson, by root cause: (title, lesson) in the plan's language
# (demo_text's ZH, EN, HANT: a 繁體 desk's cases are written in Traditional Chinese).
LESSONS: dict[str, tuple[tuple[str, str], tuple[str, str], tuple[str, str]]] = {
    "training": (("员工应对不当", "新员工上岗前必须完成投诉应对培训；遇到情绪激动的顾客，先倾听、"
                                  "先致歉，再请主管到场，不在现场争辩。"),
                 ("Staff not ready for an upset customer",
                  "New staff finish the complaint-handling training before working alone; with "
                  "an upset customer listen first, apologise, then call a supervisor; never "
                  "argue on the spot."),
                 ("員工應對不當", "新員工正式上班前必須完成投訴應對培訓；遇到情緒激動的顧客，先傾聽、"
                                  "先致歉，再請主管到場，不在現場爭辯。")),
    "process": (("流程缺口导致延误", "同类问题要有明确的处理时限和负责人；交接班时必须交代未结投诉，"
                                      "超过首次联系时限立即上报主管。"),
                ("A gap in the process caused the delay",
                 "Every kind of problem needs a time limit and an owner; open complaints are "
                 "handed over at each shift change, and a missed first contact goes to a "
                 "supervisor at once."),
                ("流程缺口導致延誤", "同類問題要有明確的處理時限和負責人；交接班時必須交代未結投訴，"
                                      "超過首次聯絡時限立即上報主管。")),
    "product_defect": (("商品质量问题的处理", "先为顾客退换，再向供应商追责；同批次商品立即下架"
                                              "检查，并把检查结果告知顾客。"),
                       ("Handling a faulty product",
                        "Refund or exchange first, then claim from the supplier; take the "
                        "same batch off the shelves for checking and tell the customer what "
                        "was found."),
                       ("商品品質問題的處理", "先為顧客退換，再向供應商追責；同批次商品立即下架"
                                              "檢查，並把檢查結果告知顧客。")),
    "communication": (("说明不清引起的投诉", "收费、时长和效果在服务前讲清楚并请顾客确认；"
                                              "承诺的回电时间必须做到。"),
                      ("A complaint that clear words would have avoided",
                       "Explain prices, times and what to expect before the service and ask "
                       "the customer to confirm; every promised call-back is made on time."),
                      ("説明不清引起的投訴", "收費、時長和效果在服務前講清楚並請顧客確認；"
                                              "承諾的回電時間必須做到。")),
    "equipment": (("设备故障的处理", "先确保顾客安全并安置，再报修；每日开业前检查关键设备"
                                      "并记录，故障当天回访顾客。"),
                  ("Handling an equipment failure",
                   "Make the customer safe and comfortable first, then report the fault; check "
                   "key equipment before opening every day and call the customer back the "
                   "same day."),
                  ("設備故障的處理", "先確保顧客安全並安置，再報修；每日開業前檢查關鍵設備"
                                      "並記錄，故障當天回訪顧客。")),
    "misunderstanding": (("顾客误解的沟通", "调取记录核实后，耐心向顾客解释依据，给出书面说明；"
                                             "不因核实不成立就简单结案。"),
                         ("Talking a misunderstanding through",
                          "Check the records, then explain patiently what they show and give "
                          "it in writing; an unfounded complaint still deserves a careful "
                          "answer."),
                         ("顧客誤解的溝通", "調取記錄核實後，耐心向顧客解釋依據，給出書面説明；"
                                             "不因核實不成立就簡單結案。")),
}


def occurred_time(seed: int, received: datetime, channel: str) -> datetime:
    """When a demo complaint's incident happened: at a counter most customers come straight
    from it; by phone, email, online or letter they write later (hours to a few days). A
    random stream of its own, so the demo's other data stay as they were."""
    rng = random.Random(f"{seed}:occurred")
    if channel == "counter" and rng.random() < 0.7:
        return received
    hours = rng.choice((1, 2, 3, 5, 8, 20, 26, 50, 74))
    return (received - timedelta(hours=hours, minutes=rng.randrange(60))).replace(second=0)


def answer_revisits(session: Session, complaint_ids: Sequence[int], seed: int) -> int:
    """Answers to the desk's questions for the done revisits of these complaints (bulk)."""
    questions = list(session.scalars(select(SurveyQuestion.id).where(
        SurveyQuestion.active.is_(True), SurveyQuestion.replaced_at.is_(None))
        .order_by(SurveyQuestion.position, SurveyQuestion.id)))
    if not questions or not complaint_ids:
        return 0
    visits = session.execute(
        select(Revisit.id, Revisit.satisfaction)
        .where(Revisit.complaint_id.in_(list(complaint_ids)), Revisit.done_at.is_not(None),
               Revisit.satisfaction.is_not(None))
        .order_by(Revisit.id)).all()
    rows: list[dict[str, Any]] = []
    for visit_id, overall in visits:
        rng = random.Random(f"{seed}:answers:{visit_id}")
        for question in questions:
            if rng.random() < SKIPPED:
                continue
            score = max(1, min(5, int(overall or 3) + rng.choice((-1, 0, 0, 0, 1))))
            rows.append({"revisit_id": visit_id, "question_id": question, "score": score})
    if rows:
        session.execute(insert(RevisitAnswer), rows)
    return len(rows)


def choose_cases(lives: Sequence[Any], supervisor: tuple[int | None, str, str],
                 now: datetime, seed: int, per_month: dict[str, int]) -> list[dict[str, Any]]:
    """A few of the closed complaints of `lives` (demo_life.Life, before they are inserted)
    chosen as typical cases: each gets its timeline event and the version and update time
    that mark_case gives it; returns the typical_cases rows to insert after the complaints.
    `per_month` counts the cases chosen so far per month, across the demo's batches."""
    if not lives:
        return []
    rng = random.Random(f"{seed}:cases:{lives[0].plan.id}")
    cases: list[dict[str, Any]] = []
    for life in lives:
        c, inv = life.c, life.inv
        if c["stage"] != "closed" or c.get("withdrawn") or not inv or not inv.get("root_cause"):
            continue
        taught = (c["severity"] in ("serious", "urgent") or c.get("reopen_count")
                  or (c.get("satisfaction") or 5) <= 2)
        if not taught or rng.random() * CASE_SHARE > 30:
            continue
        lesson = LESSONS.get(str(inv["root_cause"]))
        if lesson is None:
            continue
        at = c["closed_at"] + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 6))
        month = f"{at:%Y-%m}"
        if at > now or per_month.get(month, 0) >= CASES_PER_MONTH:
            continue
        per_month[month] = per_month.get(month, 0) + 1
        title, text = lesson[int(life.plan.lang)]
        cases.append({"complaint_id": c["id"], "title": title, "lesson": text, "marked_at": at,
                      "marked_by_id": supervisor[0], "updated_at": at})
        life.event("case_marked", supervisor, at, title=title)
        c["version"], c["updated_at"] = len(life.events), at
    return cases


def insert_cases(session: Session, cases: list[dict[str, Any]]) -> None:
    if cases:
        session.execute(insert(TypicalCase), cases)
