"""The monthly summary PDF: every figure against a hand count and a plain-Python recount,
`stats --json` against the PDF, Chinese text extractable, empty and one-complaint months,
cancellation, and the `report monthly` command's exit codes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app import cli
from app.db import Database
from app.errors import PermissionDenied
from app.reports.monthly import ReportCancelled, write_monthly_report
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from app.services.report_data import month_report_data
from app.services.stats import month_stats
from tests.reports import month_scenario as scenario
from tests.reports.recount import before, recount

march_cache, march = scenario.march_cache, scenario.march  # fixtures, used by name

# (English label, key, kind) in the order the report prints them; the test's own copy.
FIGURES = [
    ("Complaints received", "received", "count"),
    ("Closed in the month", "closed_in_month", "count"),
    ("Open at month end", "open_at_month_end", "count"),
    ("Overdue at month end", "overdue_at_month_end", "count"),
    ("Resolved in the month", "resolved_in_month", "count"),
    ("Resolved within the SLA", "sla_met_pct", "pct"),
    ("Median time to resolve (calendar hours)", "median_hours_to_resolve", "hours"),
    ("Median time to first contact (calendar hours)", "median_hours_to_first_contact", "hours"),
    ("Revisits done", "revisits_done", "count"),
    ("Average satisfaction (1–5)", "avg_satisfaction", "score"),
    ("Reopened", "reopened", "count"),
    ("Repeat complainants (2+ complaints)", "repeat_customers", "count"),
    ("Escalated to the supervisors", "escalated", "count"),
    ("Founded (of the complaints with a verdict)", "founded_pct", "pct"),
    ("Compensation total", "compensation_total", "money"),
    ("Typical cases chosen", "typical_cases", "count"),
]
DIGITS = {"count": 0, "pct": 1, "hours": 1, "score": 2, "money": 2}


def shown(value: float | None, kind: str) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{DIGITS[kind]}f}"
    if kind == "money":
        return "¥" + text  # the desk's currency symbol (setting currency_symbol)
    return text + "%" if kind == "pct" else text


def change(now: float | None, then: float | None, kind: str) -> str:
    if now is None or then is None:
        return "—"
    diff = round(now - then, DIGITS[kind])
    if diff == 0:
        return "0"
    sign = "+" if diff > 0 else "−"
    text = f"{sign}{abs(diff):,.{DIGITS[kind]}f}"
    if kind == "pct":
        return f"{text} pts"
    if kind in ("count", "money") and then:
        return f"{text} ({sign}{abs(100 * (now - then) / then):.1f}%)"
    return text


def pdf_lines(path: Path) -> tuple[list[str], list[str]]:
    """(all non-empty text lines, the text of each page) of a PDF."""
    pages = [p.extract_text() for p in PdfReader(str(path)).pages]
    lines = [ln.strip() for page in pages for ln in page.splitlines() if ln.strip()]
    return lines, pages


def has_row(lines: list[str], *cells: str) -> bool:
    """True when the cells appear as consecutive lines (a table row as pypdf reads it)."""
    n = len(cells)
    return any(lines[i:i + n] == list(cells) for i in range(len(lines) - n + 1))


def test_the_statistics_match_the_hand_count_and_the_recount(db: Database,
                                                             march: dict[str, str]) -> None:
    stats = month_stats(db, scenario.MONTH)
    for key, value in scenario.HAND_FIGURES.items():
        assert stats[key] == value, key
    for key, value in scenario.HAND_PREVIOUS.items():
        assert stats["previous_month"][key] == value, key
    previous = stats.pop("previous_month")
    assert stats == recount(db, scenario.MONTH, scenario.REPORT_TIME)
    assert previous == recount(db, before(scenario.MONTH), scenario.REPORT_TIME)


def test_the_lists_match_their_figures(db: Database, march: dict[str, str]) -> None:
    data = month_report_data(db, scenario.MONTH, "en")
    s = data.stats
    assert len(data.repeat_customers) == s["repeat_customers"] == 2
    assert {(r.phone_masked, tuple(r.references)) for r in data.repeat_customers} == {
        ("138****5678", (march["M1"], march["M2"])),
        ("139****5432", (march["M3"], march["M4"]))}
    assert [c.reference for c in data.serious] == [march["M1"], march["M2"], march["M6"]]
    assert len(data.serious) == s["by_severity"]["urgent"] + s["by_severity"]["serious"]
    assert sum(line.resolved for line in data.by_owner) == s["resolved_in_month"]
    assert {(line.owner, line.resolved, line.sla_met, line.median_hours)
            for line in data.by_owner} == {("李小红", 3, 2, 48.0), ("王主管", 1, 1, 11.0)}
    assert [(p.month, p.received, p.closed) for p in data.trend[-2:]] == [
        ("2026-02", 3, 1), ("2026-03", 7, 3)]
    assert sum(p.received for p in data.trend) == 10  # nothing before February
    assert sorted(data.root_causes) == [("equipment", 1), ("product_defect", 1),
                                        ("training", 1)]
    assert [a.action for a in data.actions] == ["加强商户商品质量抽检", "扶梯安全巡检与保安岗位培训"]


def test_every_figure_of_the_pdf(db: Database, march: dict[str, str], tmp_path: Path) -> None:
    result = write_monthly_report(db, scenario.MONTH, tmp_path / "m.pdf", "en")
    lines, pages = pdf_lines(result.path)
    now = recount(db, scenario.MONTH, scenario.REPORT_TIME)
    then = recount(db, before(scenario.MONTH), scenario.REPORT_TIME)
    assert has_row(lines, "Figure", "March 2026", "February 2026", "Change")
    for label, key, kind in FIGURES:
        row = (label, shown(now[key], kind), shown(then[key], kind),
               change(now[key], then[key], kind))
        assert has_row(lines, *row), row
    for code, text in (("refund", "Refund"), ("exchange", "Exchange"), ("coupon", "Coupon")):
        amount = now["compensation_by_type"][code]
        assert has_row(lines, text, shown(amount, "money"), "¥0.00")
    # Breakdowns: label, count, share, previous month — for every code either month has.
    labels = {"by_category": {"safety": "Safety", "product_quality": "Product quality",
                              "parking": "Parking", "staff_attitude": "Staff attitude",
                              "cleanliness": "Cleanliness", "facilities": "Facilities",
                              "none": "(not set)"},
              "by_channel": {"counter": "Walk-in at counter", "phone": "Phone",
                             "online": "Online / social media", "email": "Email",
                             "letter": "Letter"},
              "by_severity": {"urgent": "Urgent", "serious": "Serious", "normal": "Normal",
                              "minor": "Minor"},
              "by_department": {"security": "Security", "tenant_l2_fashion": "L2 fashion shop",
                                "customer_service": "Customer service",
                                "property": "Property & engineering",
                                "operations": "Operations", "none": "(not set)"},
              "by_responsibility": {"our_staff": "Our staff", "tenant": "Tenant shop",
                                    "nobody": "Nobody", "our_department": "Our department"},
              "by_stage_at_month_end": {"new": "New", "assessed": "Assessed",
                                        "investigating": "Investigating",
                                        "follow_up": "Follow-up"}}
    for key, names in labels.items():
        total = sum(now[key].values())
        assert set(names) == set(now[key]) | set(then[key]), key
        for code, text in names.items():
            n = now[key].get(code, 0)
            assert has_row(lines, text, str(n), f"{100 * n / total:.1f}%",
                           str(then[key].get(code, 0))), (key, code)
        assert has_row(lines, "Total", str(total), "100.0%", str(sum(then[key].values())))
    # The 12-month trend table: only February and March have complaints.
    assert has_row(lines, "Received", *(["0"] * 10), "3", "7")
    assert has_row(lines, "Closed", *(["0"] * 10), "1", "3")
    assert has_row(lines, "Satisfaction", *(["—"] * 10), "4.00", "3.75")
    # Per owner, root causes, staff involved.
    assert has_row(lines, "李小红", "3", "2", "66.7%", "48.0")
    assert has_row(lines, "Total", "4", "3", "75.0%", "29.5")
    for cause in ("Equipment failure", "Product defect", "Insufficient staff training"):
        assert has_row(lines, cause, "1", "33.3%")
    assert has_row(lines, "保安 刘强", "1")
    # Lists: serious/urgent with outcome, repeat complainants masked, open actions only.
    text = "\n".join(pages)
    start = text.index("Serious and urgent complaints")
    serious = text[start:text.index("Repeat complainants", start)]
    assert [r for r in march.values() if r in serious] == [march["M1"], march["M2"], march["M6"]]
    assert "Closed 3 Mar 2026" in serious and "satisfaction 5/5" in serious
    assert "Refund, Apology ¥800.00" in serious and "overdue" in serious
    assert "Resolved 22 Mar 2026, revisit pending" in " ".join(serious.split())  # wrapped
    assert "138****5678" in text and "139****5432" in text
    assert "13812345678" not in text and "13998765432" not in text
    assert "加强商户商品质量抽检" in text and "更换停车场缴费机" not in text
    assert "Times are calendar hours" in text
    # Every page says whose report it is and which page of how many.
    assert result.pages == len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "星河广场 Galaxy Plaza · Monthly complaint summary · March 2026" in page


@pytest.fixture
def signed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands on a database with accounts run as a user (DESIGN.md §5): the supervisor."""
    monkeypatch.setenv("COMPLAINT_DESK_USER", "supervisor")
    monkeypatch.setenv("COMPLAINT_DESK_PASSWORD", "demo1234")


def test_stats_json_and_the_pdf_agree(db: Database, db_arg: str, march: dict[str, str],
                                      tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      signed_in: None) -> None:
    assert cli.run(["--db", db_arg, "--lang", "en", "stats", "--month", "2026-03",
                    "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    out = tmp_path / "cli.pdf"
    assert cli.run(["--db", db_arg, "report", "monthly", "--month", "2026-03",
                    "--out", str(out), "--lang", "en"]) == 0
    assert "Monthly report written" in capsys.readouterr().out
    lines, _pages = pdf_lines(out)
    previous = figures["previous_month"]
    for label, key, kind in FIGURES:
        assert has_row(lines, label, shown(figures[key], kind), shown(previous[key], kind),
                       change(figures[key], previous[key], kind)), key
    for code, n in figures["by_severity"].items():
        assert has_row(lines, code.capitalize(), str(n)), code


@pytest.mark.parametrize(("lang", "words"), [
    ("zh-Hans", ["月度投诉汇总", "2026年3月", "商品质量", "紧急", "柜台来访", "已登记",
                 "主要指标", "自然小时", "严重及紧急投诉", "重复投诉客户", "第 1 页，共"]),
    ("zh-Hant", ["月度投訴匯總", "2026年3月", "商品質量", "緊急", "櫃位親臨", "已登記",
                 "主要指標", "日曆小時", "嚴重及緊急投訴", "重複投訴客戶", "第 1 頁，共"]),
])
def test_chinese_labels_are_extractable(db: Database, march: dict[str, str], tmp_path: Path,
                                        lang: str, words: list[str]) -> None:
    result = write_monthly_report(db, scenario.MONTH, tmp_path / f"{lang}.pdf", lang)
    lines, pages = pdf_lines(result.path)
    text = "\n".join(pages)
    for word in words:
        assert word in text, word
    assert "扶梯急停导致摔倒" in text  # a customer's own words, copied out as text
    assert has_row(lines, "受理投诉" if lang == "zh-Hans" else "受理投訴", "7", "3",
                   "+4 (+133.3%)")


def test_a_month_without_any_complaint(db: Database, fixed_clock: Any, tmp_path: Path) -> None:
    fixed_clock.at(datetime(2026, 4, 2, 9, 0))
    result = write_monthly_report(db, "2026-03", tmp_path / "empty.pdf", "en")
    lines, pages = pdf_lines(result.path)
    text = "\n".join(pages)
    assert "No complaints were received in March 2026." in text
    assert "There was no complaint activity in this month." in text
    assert has_row(lines, "Complaints received", "0", "0", "0")
    assert has_row(lines, "Resolved within the SLA", "—", "—", "—")
    assert "No improvement action is open." in text
    assert "Serious and urgent complaints" not in text  # no empty lists for an empty month
    assert result.pages == len(pages) == 1  # one page that still reads as a report
    assert "Page 1 of 1" in pages[0]


def test_a_month_with_no_new_complaint_still_reports_the_work(
        db: Database, march: dict[str, str], fixed_clock: Any, tmp_path: Path) -> None:
    fixed_clock.at(datetime(2026, 6, 1, 9, 0))
    result = write_monthly_report(db, "2026-05", tmp_path / "may.pdf", "en")
    lines, pages = pdf_lines(result.path)
    text = "\n".join(pages)
    assert "No complaints were received in May 2026." in text
    assert "The figures below show the work on complaints from earlier months." in text
    open_at_end = month_stats(db, "2026-05")["open_at_month_end"]
    assert open_at_end == 7  # six open at the end of March, and April's one
    assert has_row(lines, "Open at month end", "7", "7", "0")
    assert "Open complaints at month end, by stage" in text


def test_a_month_with_one_complaint(db: Database, fixed_clock: Any, clerk: Actor,
                                    tmp_path: Path) -> None:
    fixed_clock.at(datetime(2026, 3, 10, 10, 0))
    ref = log_complaint(db, IntakeInput(description="Lift out of order", customer_name="Ms Ho",
                                        phone="13911112222", category="facilities",
                                        severity="serious"), clerk).reference
    fixed_clock.at(datetime(2026, 4, 1, 8, 0))
    result = write_monthly_report(db, "2026-03", tmp_path / "one.pdf", "en")
    lines, pages = pdf_lines(result.path)
    text = "\n".join(pages)
    assert has_row(lines, "Complaints received", "1", "0", "+1")
    assert has_row(lines, "Overdue at month end", "1", "0", "+1")
    assert has_row(lines, "Facilities", "1", "100.0%", "0")
    assert has_row(lines, "Serious", "1", "100.0%", "0")
    assert ref in text.split("Serious and urgent complaints")[1]
    assert "New\noverdue" in text  # its outcome: still new, past its due time
    assert text.count("None this month.") >= 2  # no root causes, no repeat complainants


@pytest.mark.parametrize("stop_at", ["Reading the trend", "Laying out the lists",
                                     "Drawing page 1"])
def test_cancel_stops_the_build_and_writes_nothing(db: Database, march: dict[str, str],
                                                   tmp_path: Path, stop_at: str) -> None:
    """Cancelling while reading, while laying out, or after the first page is drawn."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    seen: list[str] = []
    with pytest.raises(ReportCancelled):
        write_monthly_report(db, scenario.MONTH, out_dir / "c.pdf", "en",
                             progress=lambda _p, text: seen.append(text),
                             cancelled=lambda: stop_at in seen)
    assert seen[-1] == stop_at  # stopped at the very next check
    assert list(out_dir.iterdir()) == []


def test_progress_runs_to_the_end(db: Database, march: dict[str, str], tmp_path: Path) -> None:
    seen: list[int] = []
    write_monthly_report(db, scenario.MONTH, tmp_path / "p.pdf", "zh-Hans",
                         progress=lambda percent, _text: seen.append(percent))
    assert seen == sorted(seen) and seen[0] == 0 and seen[-1] == 100


@pytest.mark.parametrize(("args", "needle"), [
    (["--month", "2026-13"], "Month"),
    (["--month", "March"], "Month"),
    (["--month", "2026-03", "--out", "/no/such/folder/x.pdf"], "/no/such/folder"),
])
def test_bad_input_exits_with_2(db_arg: str, tmp_path: Path, args: list[str], needle: str,
                                capsys: pytest.CaptureFixture[str], signed_in: None) -> None:
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "x.pdf")]
    assert cli.run(["--db", db_arg, "--lang", "en", "report", "monthly", *args]) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1
    assert not (tmp_path / "x.pdf").exists()


def test_lang_before_the_command_chooses_the_language(db_arg: str, tmp_path: Path,
                                                     signed_in: None) -> None:
    out = tmp_path / "hant.pdf"
    assert cli.run(["--db", db_arg, "--lang", "zh-Hant", "report", "monthly", "--month",
                    "2026-03", "--out", str(out)]) == 0
    assert "月度投訴匯總" in PdfReader(str(out)).pages[0].extract_text()


def test_reports_are_for_supervisors(db: Database, db_arg: str, clerk: Actor, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(PermissionDenied):
        write_monthly_report(db, "2026-03", tmp_path / "x.pdf", "en", actor=clerk)
    monkeypatch.setenv("COMPLAINT_DESK_USER", "clerk1")
    monkeypatch.setenv("COMPLAINT_DESK_PASSWORD", "demo1234")
    assert cli.run(["--db", db_arg, "--lang", "en", "report", "monthly", "--month",
                    "2026-03", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "supervisor" in capsys.readouterr().err.lower()
    assert not (tmp_path / "x.pdf").exists()
