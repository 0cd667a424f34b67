"""The monthly report's parts of issue 20: the complaints escalated in the month, the
investigation's verdicts with the share of founded complaints, and the staff named in
complaints with how many were founded; the same figures as `stats --json`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from app.db import Database
from app.reports.monthly import write_monthly_report
from app.services import moves, resolution
from app.services.common import Actor
from app.services.escalations import escalate_by_clock, escalate_by_hand, list_alerts, mark_handled
from app.services.intake import IntakeInput, log_complaint
from app.services.report_data import month_report_data
from app.services.settings_service import set_setting
from app.services.stats import month_stats
from tests.cli_process import clean_env, run_main
from tests.conftest import ControlledClock
from tests.reports.test_monthly import has_row, pdf_lines

REPORT_TIME = datetime(2026, 4, 2, 9, 0)


@pytest.fixture
def story(db: Database, clerk: Actor, supervisor: Actor,
          fixed_clock: ControlledClock) -> dict[str, str]:
    fixed_clock.at(datetime(2026, 3, 1, 9, 0))
    set_setting(db, "escalate_first_contact", False, supervisor)
    set_setting(db, "escalate_first_contact", True, supervisor)  # from March 1st on
    set_setting(db, "escalate_resolution", False, supervisor)
    refs: dict[str, str] = {}

    def log(name: str, day: int, staff: str = "", contact: bool = True) -> str:
        fixed_clock.at(datetime(2026, 3, day, 10, 0))
        refs[name] = log_complaint(db, IntakeInput(
            description=f"投诉 {name}", customer_name="顾客", phone=f"1380000{day:04d}",
            category="facilities", staff_involved=staff), clerk).reference
        if contact:
            fixed_clock.at(datetime(2026, 3, day, 11, 0))
            resolution.add_contact(db, refs[name], method="phone", summary="已联系", actor=clerk)
        return refs[name]

    def investigate(name: str, severity: str, verdict: str | None) -> None:
        resolution.assess(db, refs[name], category="facilities", severity=severity,
                          owner_id=clerk.user_id, actor=clerk)
        resolution.record_investigation(db, refs[name], findings="核查", actor=clerk,
                                        responsibility="our_staff", verdict=verdict)

    log("A1", 2, "保安 刘强、维修工 老赵")
    investigate("A1", "normal", "true")
    log("A2", 3, "保安 刘强")
    investigate("A2", "serious", "true")  # escalated as it is assessed serious
    log("A3", 4, "店员 小张 / Amy Wong", contact=False)
    investigate("A3", "normal", "unfounded")
    fixed_clock.at(datetime(2026, 3, 4, 15, 0))
    moves.move(db, refs["A3"], "closed", clerk, "已向顾客说明活动规则")
    log("A4", 5, "ＡＭＹ  wong")  # the same person, typed another way
    investigate("A4", "normal", "not_verifiable")
    log("A5", 6)
    escalate_by_hand(db, refs["A5"], "顾客要求主管出面", clerk)
    fixed_clock.at(datetime(2026, 3, 6, 16, 0))
    mark_handled(db, next(a.id for a in list_alerts(db).alerts if a.reference == refs["A5"]),
                 "已致电顾客", supervisor)
    log("A6", 7, contact=False)  # nobody calls: its first contact is late on the 8th
    fixed_clock.at(REPORT_TIME)
    escalate_by_clock(db)
    return refs


def test_the_figures(db: Database, story: dict[str, str]) -> None:
    s = month_stats(db, "2026-03")
    assert s["received"] == 6
    assert s["by_verification"] == {"verified": 2, "unfounded": 1, "not_verifiable": 1,
                                    "pending": 2}
    assert s["founded_pct"] == 50.0 and s["escalated"] == 3
    data = month_report_data(db, "2026-03", "en")
    assert [(e.reference, e.rules, e.open_alerts) for e in data.escalated] == [
        (story["A2"], ["severity"], 1), (story["A5"], ["manual"], 0),
        (story["A6"], ["first_contact_overdue"], 1)]
    assert [(x.name, x.named, x.founded, x.unfounded, x.pending)
            for x in data.staff_involved] == [
        ("保安 刘强", 2, 2, 0, 0), ("Amy Wong", 2, 0, 1, 0), ("维修工 老赵", 1, 1, 0, 0),
        ("店员 小张", 1, 0, 1, 0)]


def test_the_report_in_english(db: Database, story: dict[str, str], tmp_path: Path) -> None:
    report = write_monthly_report(db, "2026-03", tmp_path / "m.pdf", "en")
    lines, _pages = pdf_lines(report.path)
    assert has_row(lines, "Escalated to the supervisors", "3", "0", "+3")
    assert has_row(lines, "Founded (of the complaints with a verdict)", "50.0%", "—", "—")
    assert has_row(lines, "Verified true", "2", "33.3%", "0")
    assert has_row(lines, "No verdict yet", "2", "33.3%", "0")
    assert "Founded: 50.0% of the 4 complaints of the month with a verdict." in lines
    text = "\n".join(lines)
    assert "3 complaints escalated in the month, by a rule or by hand" in text
    for ref in (story["A2"], story["A5"], story["A6"]):
        assert ref in text
    assert "handled by 王主管" in text and text.count("alert open") == 2
    assert "Escalated by hand: 顾客要求主管出面" in " ".join(text.split())
    assert has_row(lines, "保安 刘强", "2", "2", "0", "0", "100.0%")
    assert has_row(lines, "Amy Wong", "2", "0", "1", "0", "0.0%")
    assert "4 staff members named in the month's complaints" in " ".join(text.split())


@pytest.mark.parametrize(("lang", "phrases"), [
    ("zh-Hans", ["升级通报主管", "投诉属实率（占已有核实结论的投诉）", "按核实结论",
                 "情况属实", "投诉涉及的员工", "属实比例", "本月升级通报的投诉 3 件"]),
    ("zh-Hant", ["升級通報主管", "投訴屬實率（占已有核實結論的投訴）", "按核實結論",
                 "情況屬實", "投訴涉及的員工", "屬實比例", "本月升級通報的投訴 3 件"]),
])
def test_the_report_in_chinese(db: Database, story: dict[str, str], tmp_path: Path,
                               lang: str, phrases: list[str]) -> None:
    report = write_monthly_report(db, "2026-03", tmp_path / f"{lang}.pdf", lang)
    lines, _pages = pdf_lines(report.path)
    text = "".join("".join(lines).split())
    for phrase in phrases:
        assert "".join(phrase.split()) in text, phrase


def test_stats_json_says_the_same(db: Database, db_arg: str, story: dict[str, str]) -> None:
    done = run_main(["--db", db_arg, "--user", "supervisor", "stats", "--month", "2026-03",
                     "--json"], clean_env(COMPLAINT_DESK_PASSWORD="demo1234"))
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["escalated"] == 3
    assert figures["by_verification"] == {"verified": 2, "unfounded": 1, "not_verifiable": 1,
                                          "pending": 2}
    assert sum(figures["by_verification"].values()) == figures["received"]
    assert set(figures["previous_month"]["by_verification"]) == {
        "verified", "unfounded", "not_verifiable", "pending"}
