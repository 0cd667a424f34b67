"""Import files as they come from other programs and countries (issue 17): Excel workbooks,
UTF-16 "Unicode text", GBK, Big5, Windows-1252, day-first and ambiguous dates, offsets, split
date/time columns, broken quotes; and the statistics of imported history."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections import Counter
from datetime import datetime, time
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import DeskError
from app.models import Complaint, Customer, Revisit
from app.services.complaints import get_detail
from app.services.importing import import_csv, import_xlsx
from app.services.stats import month_stats
from tests.unit.csv_support import db_fingerprint

pytestmark = pytest.mark.usefixtures("fixed_clock")  # now = 2026-03-10 10:00
ROOT = Path(__file__).resolve().parents[2]
BASIC = {"received_at": "Date", "description": "Issue"}


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",",
         ) -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _received(db: Database) -> list[datetime]:
    with db.read() as s:
        return list(s.scalars(select(Complaint.received_at).order_by(Complaint.id)))


# ---- dates ---------------------------------------------------------------------------------
def test_day_first_file_is_settled_by_its_own_values(db: Database, tmp_path: Path) -> None:
    """22/04/2015 can only be day-first, so 04/08/2015 in the same column is 4 August."""
    f = _csv(tmp_path / "uk.csv", [["Date", "Issue"], ["22/04/2015 15:53", "a"],
                                   ["04/08/2015 09:00", "b"], ["05/03/2024", "c"]])
    result = import_csv(db, f, BASIC)
    assert result.added == 3 and result.date_orders == {"Date": "dmy"}
    assert _received(db) == [datetime(2015, 4, 22, 15, 53), datetime(2015, 8, 4, 9),
                             datetime(2024, 3, 5)]
    refs = {get_detail(db, r).received_at.date(): r for r in _refs(db)}
    assert refs[datetime(2015, 8, 4).date()].startswith("TS-20150804-")


def _refs(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(Complaint.reference)))


def test_ambiguous_file_is_refused_whole_asking_for_date_order(db: Database,
                                                               tmp_path: Path) -> None:
    f = _csv(tmp_path / "amb.csv", [["Date", "Issue"], ["05/03/2024", "a"],
                                    ["2024-03-06", "b"], ["07/03/2024", "c"]])
    before = db_fingerprint(db)
    for skip in (False, True):
        with pytest.raises(DeskError, match='line 2: "05/03/2024".*date_order') as info:
            import_csv(db, f, BASIC, skip_bad=skip)
        assert "Date" in info.value.message()
    assert db_fingerprint(db) == before
    assert import_csv(db, f, {**BASIC, "date_order": "dmy"}).added == 3
    assert _received(db) == [datetime(2024, 3, 5), datetime(2024, 3, 6), datetime(2024, 3, 7)]


def test_month_first_with_date_order_and_conflicting_columns(db: Database,
                                                             tmp_path: Path) -> None:
    f = _csv(tmp_path / "mixed.csv", [["Date", "Issue"], ["25/03/2024", "a"],
                                      ["03/26/2024", "b"]])
    with pytest.raises(DeskError, match="day-first dates .* and month-first dates"):
        import_csv(db, f, BASIC)
    # Told it is month-first, the day-first row is a bad row, named with its line.
    result = import_csv(db, f, {**BASIC, "date_order": "mdy"}, skip_bad=True)
    assert result.added == 1 and result.problems == ['line 2: Received at: is not a date: '
                                                     '"25/03/2024"']


def test_two_digit_years_need_date_order(db: Database, tmp_path: Path) -> None:
    f = _csv(tmp_path / "yy.csv", [["Date", "Issue"], ["25/03/24", "a"]])
    with pytest.raises(DeskError, match="two-digit year"):
        import_csv(db, f, BASIC)
    assert import_csv(db, f, {**BASIC, "date_order": "dmy"}).added == 1
    assert _received(db) == [datetime(2024, 3, 25)]


def test_every_written_form_in_one_column(db: Database, tmp_path: Path) -> None:
    forms = {
        "2024/3/5 14:20": datetime(2024, 3, 5, 14, 20),
        "2024-3-5 9:05:00": datetime(2024, 3, 5, 9, 5),
        "2024.3.6": datetime(2024, 3, 6),
        "2024年3月7日": datetime(2024, 3, 7),
        "2024年3月7日 下午2:20": datetime(2024, 3, 7, 14, 20),
        "Mar 8, 2024 7:56:48 PM": datetime(2024, 3, 8, 19, 56, 48),
        "9 March 2024": datetime(2024, 3, 9),
        "12:30 AM": None,  # a time alone is not a date
        "45366.25": datetime(2024, 3, 15, 6),  # an Excel serial number
        "2024-03-16T10:00:00": datetime(2024, 3, 16, 10),
    }
    rows = [["Date", "Issue"]] + [[text, f"form {i}"] for i, text in enumerate(forms)]
    result = import_csv(db, _csv(tmp_path / "forms.csv", rows), BASIC, skip_bad=True)
    assert result.problems == ['line 9: Received at: is not a date: "12:30 AM"']
    assert sorted(_received(db)) == sorted(v for v in forms.values() if v is not None)


def test_offsets_are_converted_to_the_desks_local_time(tmp_path: Path) -> None:
    """Run as a desk in Shanghai (UTC+8): Z, +08:00 and -05:00 are three different times."""
    f = _csv(tmp_path / "tz.csv", [["Date", "Issue"], ["2024-03-05T10:00:00Z", "utc"],
                                   ["2024-03-05T10:00:00+08:00", "beijing"],
                                   ["2024-03-05T10:00:00-05:00", "new york"]])
    db_file = tmp_path / "tz.db"
    mapping = tmp_path / "m.json"
    mapping.write_text('{"received_at": "Date", "description": "Issue"}', encoding="utf-8")
    env = {**os.environ, "TZ": "Asia/Shanghai", "COMPLAINT_DESK_LANG": "en"}
    out = subprocess.run([sys.executable, "main.py", "--db", str(db_file), "import", "csv",
                          str(f), "--mapping", str(mapping)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    from app.migrate import open_database

    db = open_database(str(db_file))
    try:
        with db.read() as s:
            got = dict(s.execute(select(Complaint.description, Complaint.received_at)).all())
    finally:
        db.dispose()
    assert got == {"utc": datetime(2024, 3, 5, 18), "beijing": datetime(2024, 3, 5, 10),
                   "new york": datetime(2024, 3, 5, 23)}


def test_date_and_time_in_two_columns(db: Database, tmp_path: Path) -> None:
    f = _csv(tmp_path / "split.csv", [["日期", "时间", "内容"], ["2024/3/5", "14:20", "a"],
                                      ["2024/3/6", "下午2:05", "b"], ["2024/3/7", "", "c"],
                                      ["2024/3/8 09:00", "10:00", "d"]])
    mapping = {"received_at": {"column": "日期", "time_column": "时间"}, "description": "内容"}
    result = import_csv(db, f, mapping, skip_bad=True)
    assert result.problems == ["line 5: Received at: has a time in both the date and the time "
                               "column"]
    assert _received(db) == [datetime(2024, 3, 5, 14, 20), datetime(2024, 3, 6, 14, 5),
                             datetime(2024, 3, 7)]


# ---- encodings and structure ---------------------------------------------------------------
ROWS = [["Date", "Issue", "Name"], ["2024-03-05 10:00", "停车场收费不合理", "张先生"]]


@pytest.mark.parametrize(("encoding", "text", "name", "expected"), [
    ("gbk", "停车场收费不合理，保安态度恶劣", "张先生", "GB18030"),
    ("gb18030", "洗发后头皮过敏，要求赔偿", "欧阳玥", "GB18030"),  # 玥 is outside GB2312
    ("big5", "停車場收費不合理，保安態度惡劣", "陳小姐", "Big5"),
    ("cp1252", "Chambre sale, réception impolie — « inacceptable »", "Hélène Müller",
     "Windows-1252"),
])
def test_legacy_encodings_are_told_apart(db: Database, tmp_path: Path, encoding: str,
                                         text: str, name: str, expected: str) -> None:
    f = _csv(tmp_path / "e.csv", [ROWS[0], ["2024-03-05 10:00", text, name]], encoding)
    result = import_csv(db, f, {**BASIC, "customer_name": "Name"})
    assert (result.added, result.encoding) == (1, expected)
    detail = get_detail(db, _refs(db)[0])
    assert (detail.description, detail.customer_name) == (text, name)


def test_windows_1252_is_never_stored_as_gb18030(db: Database, tmp_path: Path) -> None:
    """"Hélène" alone is also valid GB18030 ("H閘鑞e"): the reading whose hanzi are not
    ordinary Chinese is not plausible, so the file is read as Windows-1252."""
    f = _csv(tmp_path / "w.csv", [["Date", "Issue"], ["2024-03-05", "Hélène"]], "cp1252")
    assert "Hélène".encode("cp1252").decode("gb18030") == "H閘鑞e"
    assert import_csv(db, f, BASIC).encoding == "Windows-1252"
    assert get_detail(db, _refs(db)[0]).description == "Hélène"


def test_an_encoding_that_cannot_be_told_is_asked_for(db: Database, tmp_path: Path) -> None:
    """One hanzi among ASCII reads as GB18030 (中) and as Windows-1252 (ÖÐ): refused with
    both readings named; the mapping's "encoding" settles it."""
    f = _csv(tmp_path / "one.csv", [["Date", "Issue"], ["2024-03-05", "A座 lift"]], "gbk")
    before = db_fingerprint(db)
    with pytest.raises(DeskError, match="GB18030 / Windows-1252"):
        import_csv(db, f, BASIC)
    assert db_fingerprint(db) == before
    assert import_csv(db, f, {**BASIC, "encoding": "GBK"}).encoding == "GB18030"
    assert get_detail(db, _refs(db)[0]).description == "A座 lift"


def test_excel_unicode_text_is_utf16_with_tabs(db: Database, tmp_path: Path) -> None:
    f = tmp_path / "unicode.txt"
    f.write_bytes("Date\tIssue\tName\r\n2024/3/5 14:20\t退款，謝謝\t陳大文\r\n"
                  .encode("utf-16"))  # with its byte-order mark, as Excel saves it
    result = import_csv(db, f, {**BASIC, "customer_name": "Name"})
    assert (result.added, result.encoding) == (1, "UTF-16")
    assert get_detail(db, _refs(db)[0]).customer_name == "陳大文"
    f.write_bytes("Date\tIssue\r\n2024/3/5\tx\r\n".encode("utf-16-le"))  # no mark
    with pytest.raises(DeskError, match="UTF-16 without a byte-order mark"):
        import_csv(db, f, BASIC)


def test_a_quote_that_never_closes_refuses_the_file(db: Database, tmp_path: Path) -> None:
    f = tmp_path / "q.csv"
    f.write_text('Date,Issue\r\n2024-03-01,fine\r\n2024-03-02,"never closed\r\n'
                 "2024-03-03,swallowed\r\n2024-03-04,swallowed too\r\n", encoding="utf-8")
    before = db_fingerprint(db)
    for skip in (False, True):
        with pytest.raises(DeskError, match="Line 3: a quote opened here is never closed"):
            import_csv(db, f, BASIC, skip_bad=skip)
    f.write_text('Date,Issue\r\n2024-03-01,"a "quoted" word"\r\n', encoding="utf-8")
    with pytest.raises(DeskError, match="Line 2: a quoted cell has text after its closing"):
        import_csv(db, f, BASIC)
    assert db_fingerprint(db) == before


# ---- Excel ---------------------------------------------------------------------------------
def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "说明"
    first.append(["This sheet only explains the columns"])
    sheet = book.create_sheet("投诉")
    sheet.append(["投诉时间", "时间", "客户姓名", "电话", "投诉内容", "状态", "解决时间"])
    sheet.append([datetime(2024, 3, 5, 14, 20), None, "王先生", 13812345678, "空调不冷",
                  "已关闭", datetime(2024, 3, 6, 9, 0)])
    sheet.append([datetime(2024, 3, 6), time(9, 30), "李女士", "+852 9123 4567", "停车收费",
                  "处理中", None])
    sheet.append([45363.5, None, "Mary", None, "serial date", "处理中", None])  # 2024-03-12
    sheet.append(["2024年3月20日", None, "赵", None, "text date", "已关闭", None])
    book.save(path)
    return path


XLSX_MAP = {"received_at": {"column": "投诉时间", "time_column": "时间"},
            "customer_name": "客户姓名", "phone": "电话", "description": "投诉内容",
            "stage": {"column": "状态", "values": {"已关闭": "closed", "处理中": "in_progress"}},
            "resolved_at": "解决时间"}


def test_xlsx_cells_serials_and_sheet(db: Database, tmp_path: Path) -> None:
    f = _workbook(tmp_path / "book.xlsx")
    with pytest.raises(DeskError, match="no column"):  # the first sheet is the notes
        import_xlsx(db, f, XLSX_MAP)
    with pytest.raises(DeskError, match='no sheet "Sheet9"; its sheets are: 说明, 投诉'):
        import_xlsx(db, f, XLSX_MAP, sheet="Sheet9")
    result = import_xlsx(db, f, XLSX_MAP, sheet="投诉")
    assert (result.added, result.problems, result.sheet) == (4, [], "投诉")
    with db.read() as s:
        got = s.execute(select(Complaint.received_at, Complaint.stage, Complaint.resolved_at,
                               Customer.phone).outerjoin(Customer)
                        .order_by(Complaint.received_at)).all()
    assert [tuple(r) for r in got] == [
        (datetime(2024, 3, 5, 14, 20), "closed", datetime(2024, 3, 6, 9), "+8613812345678"),
        (datetime(2024, 3, 6, 9, 30), "in_progress", None, "+85291234567"),
        (datetime(2024, 3, 12, 12), "in_progress", None, None),
        (datetime(2024, 3, 20), "closed", None, None),
    ]


# ---- history and statistics ----------------------------------------------------------------
def test_history_statistics_only_count_known_times(db: Database, tmp_path: Path) -> None:
    """973 "Solved" rows without resolved times used to show a 0-hour median, 100 % SLA
    and 973 revisits due: now they are left out of durations and schedule nothing."""
    rows = [["Date", "Issue", "Status", "Resolved"]]
    rows += [[f"2024-02-{1 + i % 28:02d} 10:00", f"solved {i}", "Solved", ""] for i in range(40)]
    rows += [["2024-02-10 10:00", "known", "Solved", "2024-02-12 10:00"]]
    mapping = {**BASIC, "stage": {"column": "Status", "values": {"Solved": "follow_up"}},
               "resolved_at": "Resolved"}
    assert import_csv(db, _csv(tmp_path / "s.csv", rows), mapping).added == 41
    stats = month_stats(db, "2024-02")
    assert stats["received"] == 41 and stats["resolved_in_month"] == 1
    assert stats["median_hours_to_resolve"] == 48.0
    assert stats["sla_met_pct"] == 100.0  # the one known: normal, 7 days
    with db.read() as s:
        assert s.scalar(select(Revisit.id)) is None


def test_reimport_of_an_xlsx_adds_no_duplicates_and_counts_match(db: Database,
                                                                 tmp_path: Path) -> None:
    f = _workbook(tmp_path / "book.xlsx")
    mapping = {**XLSX_MAP, "external_id": "投诉内容"}
    assert import_xlsx(db, f, mapping, sheet="投诉").added == 4
    again = import_xlsx(db, f, mapping, sheet="投诉")
    assert (again.added, again.duplicates) == (0, 4)
    stats = month_stats(db, "2024-03")
    months = Counter(d.strftime("%Y-%m") for d in _received(db))
    assert stats["received"] == months["2024-03"] == 4
