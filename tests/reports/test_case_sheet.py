"""The typical case sheet (issue 20): one A4 page in each language, read back from the PDF;
nothing personal on it; the longest texts still one page with the lesson whole; and the
`case-sheet` command as a separate process."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.db import Database
from app.reports.case_sheet import build_case_sheet, case_sheet_pdf, write_case_sheet
from app.services import improvements
from app.services.case_sheets import case_sheet_data
from app.services.common import Actor
from app.services.lists import Labels
from app.services.questionnaire import add_question, asked_questions
from app.services.revisits import record_revisit
from app.services.typical_cases import LESSON_LEN, mark_case
from tests.cli_process import clean_env, run_main
from tests.complaint_factory import advance, new_complaint

pytestmark = pytest.mark.usefixtures("fixed_clock")

LESSON = "先安排就医并垫付费用，再调查产品批次；不要在现场争论责任。染发前必须做皮肤测试并签字确认。"


def pages_of(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return "".join(text.split())


def a_case(db: Database, clerk: Actor, supervisor: Actor, **fields: Any) -> str:
    data: dict[str, Any] = dict(
        customer_name="周丽", phone="13800138000", email="zhou.li@example.com",
        staff_involved="美容师 李小红", location="3 号护理间",
        description="周丽女士称美容师李小红染发前未做皮肤测试，头皮红肿。请回电 13800138000。")
    data.update(fields)
    ref = new_complaint(db, clerk, **data)
    advance(db, ref, "follow_up", clerk, supervisor)
    speed, attitude, *_ = asked_questions(db)
    record_revisit(db, ref, method="phone", satisfaction=4, comment="周女士表示满意",
                   actor=clerk, answers={speed.id: 3, attitude.id: 5})
    improvements.create_action(db, [ref], action="染发前皮肤测试写入操作规程",
                               owner="美容部 李经理")
    mark_case(db, ref, title="染发过敏：先关怀再核实", lesson=LESSON, actor=supervisor)
    return ref


@pytest.mark.parametrize(("lang", "heading", "lesson_title", "found"), [
    ("zh-Hans", "典型案例", "经验教训", "调查结果"),
    ("zh-Hant", "典型案例", "經驗教訓", "調查結果"),
    ("en", "Typical case", "Lesson learned", "What was found"),
])
def test_one_page_in_each_language_with_nobody_named(
        db: Database, clerk: Actor, supervisor: Actor, lang: str, heading: str,
        lesson_title: str, found: str) -> None:
    ref = a_case(db, clerk, supervisor)
    pages = pages_of(case_sheet_pdf(db, ref, lang, actor=clerk))
    assert len(pages) == 1
    text = flat(pages[0])
    for expected in (heading, lesson_title, found, "染发过敏：先关怀再核实", flat(LESSON), ref,
                     "王主管", "染发前皮肤测试写入操作规程", "3/5", "5/5"):
        assert flat(expected) in text, expected
    for personal in ("周丽", "13800138000", "zhou.li", "李小红", "李经理", "周女士"):
        assert personal not in text, personal
    # The questionnaire's answers, worded in the sheet's language.
    assert flat(asked_questions(db)[0].label(lang)) in text


def test_the_longest_texts_stay_on_one_page_with_the_lesson_whole(
        db: Database, clerk: Actor, supervisor: Actor) -> None:
    story = "顾客反映染发后头皮红肿、刺痛，要求赔偿医药费并公开道歉。" * 300  # 8,400 characters
    ref = a_case(db, clerk, supervisor, description=story)
    add_question(db, Labels("您对环境是否满意？", "您對環境是否滿意？", "Happy with the place?"),
                 supervisor)
    lesson = ("每一步都要记录。" * 200)[:LESSON_LEN]
    mark_case(db, ref, title="标" * 100, lesson=lesson, actor=supervisor)
    sheet = case_sheet_data(db, ref, "zh-Hans")
    for _ in range(6):
        improvements.create_action(db, [ref], action="整改措施" * 40, owner="营运部")
    pages = pages_of(build_case_sheet(case_sheet_data(db, ref, "zh-Hans")))
    assert len(pages) == 1
    assert flat(lesson) in flat(pages[0])  # never shortened
    assert "…" in pages[0]  # the story was
    assert len(sheet.description) == 8400  # shortened on paper, not in the data


def test_written_whole_or_not_at_all(db: Database, clerk: Actor, supervisor: Actor,
                                     tmp_path: Path) -> None:
    ref = a_case(db, clerk, supervisor)
    out = write_case_sheet(db, ref, tmp_path / "case.pdf", "en")
    assert out.read_bytes().startswith(b"%PDF") and not list(tmp_path.glob("*.tmp*"))


def cli(*args: str, user: str = "clerk1") -> subprocess.CompletedProcess[str]:
    env = clean_env(COMPLAINT_DESK_USER=user, COMPLAINT_DESK_PASSWORD="demo1234")
    return run_main(args, env, timeout=60)


def test_the_case_sheet_command(db: Database, db_arg: str, clerk: Actor, supervisor: Actor,
                                tmp_path: Path) -> None:
    ref = a_case(db, clerk, supervisor)
    out = tmp_path / "sheets" / "case.pdf"
    out.parent.mkdir()
    result = cli("--db", db_arg, "case-sheet", ref, "--out", str(out), "--lang", "zh-Hant")
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    text = flat(pages_of(out.read_bytes())[0])
    assert "經驗教訓" in text and "周丽" not in text
    other = new_complaint(db, clerk)
    refused = cli("--db", db_arg, "--lang", "en", "case-sheet", other, "--out",
                  str(tmp_path / "x.pdf"))
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        f"Error: Complaint {other} is not a typical case."]
    assert not (tmp_path / "x.pdf").exists()
    missing = cli("--db", db_arg, "--lang", "en", "case-sheet", ref, "--out",
                  str(tmp_path / "no-such-folder" / "x.pdf"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


@pytest.mark.sqlite_only  # the command's files folder is the test's only for a file desk
def test_the_case_sheet_never_lands_on_the_database_or_its_folder(
        db: Database, db_arg: str, clerk: Actor, supervisor: Actor) -> None:
    """app/outputs.guard_output: exit 2, one line, nothing written (issue 15's rule)."""
    ref = a_case(db, clerk, supervisor)
    assert db.paths.db_file is not None
    targets = [db.paths.data_dir / "case.pdf", db.paths.db_file]
    for target in targets:
        refused = cli("--db", db_arg, "--lang", "en", "case-sheet", ref, "--out", str(target))
        assert refused.returncode == 2, refused.stdout + refused.stderr
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and "Nothing was written" in lines[0], lines
    assert not targets[0].exists()
    # Still the database (SQLite's own header), not a PDF over it.
    assert targets[1].read_bytes()[:16] == b"SQLite format 3\x00"
    assert len(pages_of(case_sheet_pdf(db, ref, "en"))) == 1  # the desk goes on as before
