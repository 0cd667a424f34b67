"""The shift hand-over sheet (交接班单, issue 20): one A4 page in each language, what waits by
owner, the lines of each part as the page holds them, today or later only, from the command
line (`handover`, `print handover` through a real CUPS queue) as from the services."""

from __future__ import annotations

import io
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app import clock
from app.db import Database
from app.errors import ValidationError
from app.reports.handover import build_handover, write_handover
from app.services import moves, resolution, revisits
from app.services.common import Actor
from app.services.handover import HandoverItem, handover_sheet, most_pressing, pressing
from app.services.intake import IntakeInput, log_complaint
from app.settings import put as put_setting
from tests.cli_process import clean_env, run_main
from tests.conftest import ControlledClock

NOW = datetime(2026, 3, 10, 8, 30)  # a Tuesday, before the morning shift


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def layout_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def log(db: Database, clerk: Actor, at: datetime, clock_: ControlledClock, **fields: Any) -> str:
    clock_.at(at)
    data: dict[str, Any] = dict(description="电梯口地面湿滑，顾客滑倒", customer_name="周女士",
                                phone="13800138000", category="facilities")
    data.update(fields)
    return log_complaint(db, IntakeInput(**data), clerk).reference


@pytest.fixture
def shift(db: Database, clerk: Actor, supervisor: Actor, staff: dict[str, Actor],
          fixed_clock: ControlledClock) -> dict[str, str]:
    """One of each part: overdue (李小红), due today (Chan Tai Man), an open escalation
    (urgent, nobody's yet), an approval waiting (李小红), a revisit due (Chan Tai Man)."""
    other = staff["clerk2"]
    with db.write() as session:
        put_setting(session, "business_name", "星河广场")
    refs = {}
    refs["late"] = log(db, clerk, datetime(2026, 3, 1, 10), fixed_clock, phone="13900000001")
    resolution.assess(db, refs["late"], category="facilities", severity="normal",
                      owner_id=clerk.user_id, actor=clerk)  # due 03-08 10:00
    refs["today"] = log(db, clerk, datetime(2026, 3, 3, 15), fixed_clock, phone="13900000002",
                        customer_name="Amy Wong")
    resolution.assess(db, refs["today"], category="parking", severity="normal",
                      owner_id=other.user_id, actor=clerk)  # due 03-10 15:00
    refs["approval"] = log(db, clerk, datetime(2026, 3, 9, 11), fixed_clock,
                           phone="13900000003")
    resolution.assess(db, refs["approval"], category="facilities", severity="normal",
                      owner_id=clerk.user_id, actor=clerk)
    resolution.record_investigation(db, refs["approval"], findings="属实",
                                    responsibility="our_department", verdict="true",
                                    actor=clerk)
    resolution.propose_solution(db, refs["approval"], types=["cash"],
                                amounts={"cash": "800"}, actor=clerk)
    moves.move(db, refs["approval"], "proposed", clerk)
    refs["revisit"] = log(db, other, datetime(2026, 3, 2, 10), fixed_clock,
                          phone="13900000004", severity="minor",
                          on_the_spot=_spot())
    fixed_clock.at(datetime(2026, 3, 9, 9))
    revisits.reschedule(db, refs["revisit"], "2026-03-09", other)
    refs["urgent"] = log(db, clerk, datetime(2026, 3, 10, 8), fixed_clock, severity="urgent",
                         phone="13900000005", customer_name="王先生")
    fixed_clock.at(NOW)
    return refs


def _spot() -> Any:
    from app.services.intake import OnTheSpot

    return OnTheSpot(["apology"], "当场致歉", verdict="true")


def test_what_waits_by_owner(db: Database, clerk: Actor, shift: dict[str, str]) -> None:
    sheet = handover_sheet(db, None, "en", clerk)
    parts = {k: [i.reference for i in v] for k, v in sheet.sections.items()}
    assert parts == {"overdue": [shift["late"]], "due_today": [shift["today"]],
                     "escalations": [shift["urgent"]], "approvals": [shift["approval"]],
                     "revisits": [shift["revisit"]]}
    assert sheet.by_owner() == [
        ("Chan Tai Man", {"overdue": 0, "due_today": 1, "escalations": 0, "approvals": 0,
                          "revisits": 1}),
        ("李小红", {"overdue": 1, "due_today": 0, "escalations": 0, "approvals": 1,
                  "revisits": 0}),
        ("", {"overdue": 0, "due_today": 0, "escalations": 1, "approvals": 0,
              "revisits": 0})]


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh-Hans", ["交接班单 · 2026-03-10", "待办事项（按负责人）", "超时 (1)", "当日到期 (1)",
                 "未处理的升级 (1)", "待审批的方案 (1)", "待回访 (1)", "交班人", "接班人",
                 "严重或紧急", "（未指派）"]),
    ("zh-Hant", ["交接班單 · 2026-03-10", "待辦事項（按負責人）", "逾時 (1)", "當日到期 (1)",
                 "未處理的升級 (1)", "待審批的方案 (1)", "待回訪 (1)", "交班人", "接班人",
                 "嚴重或緊急"]),
    ("en", ["Shift hand-over sheet · 10 Mar 2026", "Waiting, by owner", "Overdue (1)",
            "Due on the day (1)", "Escalations open (1)", "Solutions awaiting approval (1)",
            "Revisits due (1)", "Handed over by", "Taken over by", "Serious or urgent",
            "(unassigned)", "¥800.00"]),
])
def test_one_a4_page_in_each_language(db: Database, clerk: Actor, shift: dict[str, str],
                                      tmp_path: Path, lang: str, expected: list[str]) -> None:
    out = write_handover(db, tmp_path / f"handover-{lang}.pdf", None, lang, clerk)
    reader = PdfReader(out.path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    text = " ".join(text_of(out.path.read_bytes()).split())
    for phrase in [*expected, "星河广场", *shift.values(), "Amy Wong", "Chan Tai Man", "李小红"]:
        assert " ".join(phrase.split()) in text, (lang, phrase)
    assert out.lines == out.shown == {"overdue": 1, "due_today": 1, "escalations": 1,
                                      "approvals": 1, "revisits": 1}
    assert "printed by 李小红" in text or lang != "en"


def test_the_owner_summary_reads_as_a_table(db: Database, clerk: Actor,
                                           shift: dict[str, str], tmp_path: Path) -> None:
    out = write_handover(db, tmp_path / "h.pdf", None, "en", clerk)
    rows: dict[str, list[str]] = {}
    for line in layout_of(out.path).splitlines():  # the summary comes first: its lines win
        words = line.split()
        if words and words[0] in ("李小红", "Chan", "Total"):
            rows.setdefault(words[0], words[1:])
    assert rows["李小红"] == ["1", "0", "0", "1", "0", "2"]
    assert rows["Chan"] == ["Tai", "Man", "0", "1", "0", "0", "1", "2"]
    assert rows["Total"] == ["1", "1", "1", "1", "1", "5"]


def test_a_busy_desk_still_gets_one_page_saying_how_many_more(
        db: Database, clerk: Actor, fixed_clock: ControlledClock, tmp_path: Path) -> None:
    refs = [log(db, clerk, datetime(2026, 2, 1, 10) + timedelta(minutes=i), fixed_clock,
                phone=f"1390001{i:04d}") for i in range(90)]
    fixed_clock.at(NOW)
    out = write_handover(db, tmp_path / "busy.pdf", None, "en", clerk)
    assert len(PdfReader(out.path).pages) == 1
    assert out.lines["overdue"] == 90 and 20 < out.shown["overdue"] < 90
    text = " ".join(text_of(out.path.read_bytes()).split())
    printed = [r for r in refs if r in text]
    assert len(printed) == out.shown["overdue"]
    assert printed == refs[:len(printed)]  # the longest overdue first
    more = 90 - out.shown["overdue"]
    assert f"… and {more} more lines: the queue has them all." in text


def test_a_cut_part_shows_everyones_most_pressing_lines(
        db: Database, clerk: Actor, staff: dict[str, Actor], fixed_clock: ControlledClock,
        tmp_path: Path) -> None:
    """Chan Tai Man (first on the sheet by name) has 60 complaints a few days overdue;
    李小红 has the three longest overdue and a serious one: cut to fit, the page shows hers
    first, then Chan Tai Man's longest overdue, still grouped by owner."""
    chan = staff["clerk2"]

    def overdue(at: datetime, owner: Actor, n: int, severity: str = "normal") -> str:
        ref = log(db, clerk, at, fixed_clock, phone=f"1390002{n:04d}")
        resolution.assess(db, ref, category="facilities", severity=severity,
                          owner_id=owner.user_id, actor=clerk)
        return ref

    chans = [overdue(datetime(2026, 2, 20, 9) + timedelta(minutes=i), chan, i)
             for i in range(60)]
    hers = [overdue(datetime(2026, 2, 1, 9) + timedelta(hours=i), clerk, 100 + i)
            for i in range(3)]
    hers.append(overdue(datetime(2026, 3, 5, 9), clerk, 200, "serious"))
    fixed_clock.at(NOW)
    out = write_handover(db, tmp_path / "cut.pdf", None, "en", clerk)
    shown = out.shown["overdue"]
    assert out.lines["overdue"] == 64 and 10 < shown < 64
    text = " ".join(text_of(out.path.read_bytes()).split())
    assert all(ref in text for ref in hers)
    printed = [r for r in chans if r in text]
    assert printed == chans[:shown - len(hers)]  # then his longest overdue
    # Shown by owner: all of Chan Tai Man's lines, then 李小红's.
    assert text.index(printed[-1]) < min(text.index(ref) for ref in hers)


def test_the_most_pressing_line() -> None:
    at = datetime(2026, 3, 1, 9)
    items = [HandoverItem("R1", "A", "", None, "normal", "closed", at - timedelta(days=30)),
             HandoverItem("R2", "B", "", None, "minor", "investigating", at),
             HandoverItem("R3", "B", "", None, "urgent", "follow_up", at),
             HandoverItem("R4", "C", "", None, "minor", "new", at - timedelta(days=1))]
    # Open before closed (however old its alert), graver first, then the longest waiting.
    assert [i.reference for i in sorted(items, key=pressing)] == ["R3", "R4", "R2", "R1"]
    assert [i.reference for i in most_pressing(items, 2)] == ["R3", "R4"]  # the sheet's order
    assert [i.reference for i in most_pressing(items, 3)] == ["R2", "R3", "R4"]
    assert most_pressing(items, 9) == items


def test_nothing_waiting_is_said(db: Database, clerk: Actor, fixed_clock: ControlledClock
                                 ) -> None:
    sheet = handover_sheet(db, None, "zh-Hans", clerk)
    pdf, caps = build_handover(sheet, "zh-Hans")
    assert "没有待办事项" in text_of(pdf) and sum(caps.values()) == 0


def test_a_later_day_yes_a_past_day_no(db: Database, clerk: Actor, shift: dict[str, str]
                                       ) -> None:
    tomorrow = handover_sheet(db, "2026-03-11", "en", clerk)
    assert tomorrow.day.isoformat() == "2026-03-11"
    # The urgent one is due on the 11th at 08:00; the other one due today is not listed.
    assert [i.reference for i in tomorrow.sections["due_today"]] == [shift["urgent"]]
    for bad in ("2026-03-09", "2026/03/11", "11.03.2026", "tomorrow"):
        with pytest.raises(ValidationError) as refused:
            handover_sheet(db, bad, "en", clerk)
        assert refused.value.field == "shift_day"
        assert refused.value.message().startswith("Day of the shift: is ")


def test_the_command_line_writes_it(db: Database, db_arg: str, clerk: Actor,
                                    tmp_path: Path) -> None:
    with clock.frozen(datetime.now().replace(microsecond=0) - timedelta(days=10)):
        ref = log_complaint(db, IntakeInput(description="排队太久", customer_name="陈先生",
                                            category="parking"), clerk).reference
    env = clean_env(COMPLAINT_DESK_PASSWORD="demo1234")
    out = tmp_path / "交接班.pdf"
    done = run_main(["--db", db_arg, "--user", "clerk1", "handover", "--out", str(out),
                     "--lang", "zh-Hant"], env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"交接班單已產生：{out}"
    assert ref in text_of(out.read_bytes()) and "交接班單" in text_of(out.read_bytes())
    past = run_main(["--db", db_arg, "--user", "clerk1", "--lang", "en", "handover", "--date",
                     "2020-01-01", "--out", str(tmp_path / "x.pdf")], env)
    assert past.returncode == 2 and "is in the past" in past.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_print_handover_goes_through_the_print_path(db: Database, db_arg: str, clerk: Actor
                                                    ) -> None:
    from tests.printing.printed import landed, page_sizes_mm, require_queues

    require_queues()
    env = clean_env(COMPLAINT_DESK_PASSWORD="demo1234")
    done = run_main(["--db", db_arg, "--user", "clerk1", "--lang", "en", "print", "handover",
                     "--printer", "CDT-A4"], env)
    assert done.returncode == 0, done.stderr
    job = int(done.stdout.split("job ")[1].split(",")[0])
    printed = landed("CDT-A4", job)
    assert page_sizes_mm(printed) == [pytest.approx((210, 297), abs=1.0)]
    assert "Shift hand-over sheet" in text_of(printed.read_bytes())
    refused = run_main(["--db", db_arg, "--user", "clerk1", "--lang", "en", "print", "handover",
                        "--printer", "CDT-Refuse"], env)
    assert refused.returncode == 3 and "CDT-Refuse" in refused.stderr
