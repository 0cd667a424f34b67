"""The monthly summary's questionnaire and typical-case sections (issue 20): each question's
average against a hand count, the month's cases listed, in the three languages, as read
back from the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.db import Database
from app.reports.monthly import write_monthly_report
from app.services.lists import Labels
from app.services.questionnaire import asked_questions, edit_question
from app.services.report_data import month_report_data
from app.services.stats import month_stats
from app.services.users import list_staff
from tests.reports import month_scenario as scenario
from tests.reports.test_monthly import pdf_lines

march_cache, march = scenario.march_cache, scenario.march  # fixtures, used by name


def test_question_averages_match_the_hand_count(db: Database, march: dict[str, str]) -> None:
    ids = [q.id for q in asked_questions(db)]
    stats = month_stats(db, scenario.MONTH)
    assert stats["by_question"] == {str(ids[i]): {"answers": n, "avg": avg}
                                    for i, (n, avg) in scenario.HAND_ANSWERS.items()}
    assert stats["previous_month"]["by_question"] == {
        str(ids[i]): {"answers": n, "avg": avg}
        for i, (n, avg) in scenario.HAND_PREVIOUS_ANSWERS.items()}
    data = month_report_data(db, scenario.MONTH, "en")
    assert [(q.question_id, q.answers, q.average, q.previous_average) for q in data.questions] \
        == [(ids[0], 3, 3.33, 3.0), (ids[1], 2, 4.0, None), (ids[2], 3, 3.67, 4.0),
            (ids[3], 1, 5.0, None)]
    assert [c.reference for c in data.cases] == [march["M1"]] and stats["typical_cases"] == 1


@pytest.mark.parametrize(("lang", "title", "question", "cases", "column"), [
    ("zh-Hans", "满意度问卷", "您对我们处理投诉的速度是否满意？", "本月典型案例", "经验教训"),
    ("zh-Hant", "滿意度問卷", "您對我們處理投訴的速度是否滿意？", "本月典型案例", "經驗教訓"),
    ("en", "Satisfaction questionnaire",
     "How satisfied are you with how quickly we handled your complaint?",
     "Typical cases of the month", "Lesson learned"),
])
def test_the_sections_in_each_language(db: Database, march: dict[str, str], tmp_path: Path,
                                       lang: str, title: str, question: str, cases: str,
                                       column: str) -> None:
    result = write_monthly_report(db, scenario.MONTH, tmp_path / f"{lang}.pdf", lang)
    lines, pages = pdf_lines(result.path)
    text = "\n".join(pages)
    flat = "".join(text.split())
    assert title in lines and cases in lines
    assert "".join(question.split()) in flat
    # Speed: 3 answers, 3.33 this month, 3.00 in February.
    i = next(n for n, ln in enumerate(lines) if ln.startswith(question[:8]))
    assert lines[i + 1:i + 4] == ["3", "3.33", "3.00"] or "333.333.00" in flat
    assert march["M1"] in text and "扶梯急停摔伤的处理" in text
    assert "".join(column.split()) in flat
    assert march["P1"] not in text.split(cases)[1].split("Open improvement")[0] \
        if lang == "en" else True  # February's case is not March's


def test_a_reworded_question_keeps_its_line(db: Database, march: dict[str, str],
                                            tmp_path: Path) -> None:
    supervisor = next(m.as_actor() for m in list_staff(db) if m.username == "supervisor")
    speed = asked_questions(db)[0]
    new = edit_question(db, speed.id, Labels("处理速度满意吗？", "處理速度滿意嗎？",
                                             "Happy with our speed?"), supervisor)
    result = write_monthly_report(db, scenario.MONTH, tmp_path / "m.pdf", "en")
    text = " ".join(" ".join(pdf_lines(result.path)[1]).split())
    # The old words keep March's three answers; the new words are asked, not yet answered.
    assert "How satisfied are you with how quickly we handled your complaint? (reworded on" \
        in text
    assert "Happy with our speed?" in text
    data = month_report_data(db, scenario.MONTH, "en")
    lines = {q.question_id: q for q in data.questions}
    assert lines[speed.id].answers == 3 and not lines[speed.id].asked
    assert lines[new.id].answers == 0 and lines[new.id].asked
