"""CSV import: mapping, value maps, dates, bad rows with line numbers, all-or-nothing,
--skip-bad, --dry-run, external_id de-duplication, new list values, history stages."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import DeskError
from app.i18n import set_language
from app.models import Complaint, ComplaintEvent, Customer, ListValue, Revisit
from app.services.complaints import get_detail
from app.services.importing import import_csv
from app.services.stats import month_stats
from tests.conftest import ControlledClock
from tests.unit.csv_support import MAPPING, count, db_fingerprint, good_row, write_csv

pytestmark = pytest.mark.usefixtures("fixed_clock")  # now = 2026-03-10 10:00


def _refs(db: Database) -> dict[str, str]:
    """external_id -> reference."""
    with db.read() as s:
        rows = s.execute(select(Complaint.external_id, Complaint.reference)).all()
    return {ext: ref for ext, ref in rows}


def test_mapping_with_value_maps_imports_every_field(db: Database, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "cfpb.csv", [
        good_row(1, Submitted_via="Web", Priority="P2", Wants="Money back;Sorry",
                 Product="停车"),
        good_row(2, Submitted_via="Walk-in", Date_received="2025-01-06 09:00:00",
                 Status="Closed", Date_closed="01/08/2025", Rating="4", Phone="+86 13800138000",
                 Consumer_name=""),
    ])
    result = import_csv(db, f, MAPPING)
    assert (result.added, result.duplicates, result.problems) == (2, 0, [])
    assert result.encoding == "UTF-8"
    refs = _refs(db)
    assert refs == {"C-1": "TS-20250105-0001", "C-2": "TS-20250106-0001"}

    first = get_detail(db, refs["C-1"])
    assert first.received_at == datetime(2025, 1, 5, 10, 30)
    assert (first.channel, first.severity, first.stage) == ("online", "serious", "new")
    assert first.category == "parking"  # "停车" is the label of the mall list's parking
    assert first.demands == ["refund", "apology"]
    assert first.phone == "+8613800138000" and first.customer_name == "王先生"
    assert first.description == "收费太贵 1"
    assert first.due_at == datetime(2025, 1, 8, 10, 30)  # serious: 3 days (calendar hours)
    assert [(e.kind, e.data) for e in first.timeline] == [
        ("imported", {"file": "cfpb.csv", "to_stage": "new"})]
    assert first.timeline[0].text == "Imported from cfpb.csv"

    second = get_detail(db, refs["C-2"])
    assert (second.channel, second.severity, second.stage) == ("counter", "normal", "closed")
    assert second.closed_at == datetime(2025, 1, 8)
    assert second.satisfaction == 4
    # Same phone (written differently): one customer, the name kept, a repeat complaint.
    assert second.customer_id == first.customer_id and second.customer_name == "王先生"
    assert second.is_repeat and not first.is_repeat
    assert not second.overdue


@pytest.mark.parametrize("text, expected", [
    ("2025-01-05", datetime(2025, 1, 5)),
    ("2025-01-05 14:30", datetime(2025, 1, 5, 14, 30)),
    ("2025-01-05T14:30:15", datetime(2025, 1, 5, 14, 30, 15)),
    ("01/05/2025", datetime(2025, 1, 5)),
    ("1/5/2025 2:30 PM", datetime(2025, 1, 5, 14, 30)),
    ("01/05/2025 14:30:15", datetime(2025, 1, 5, 14, 30, 15)),
])
def test_both_date_forms_are_read(db: Database, tmp_path: Path, text: str,
                                  expected: datetime) -> None:
    f = write_csv(tmp_path / "d.csv", [good_row(1, Date_received=text)])
    assert import_csv(db, f, MAPPING).added == 1
    assert get_detail(db, _refs(db)["C-1"]).received_at == expected


TOO_LONG = "长" * 10_001


@pytest.mark.parametrize("cells, message", [
    ({"Issue": "  "}, "Description: is required"),
    ({"Date_received": ""}, "Received at: is required"),
    ({"Phone": "call me maybe"}, "Phone: is not a phone number"),
    ({"Phone": "123"}, "Phone: is not a complete phone number of CN"),
    ({"Date_received": "2027-01-01"}, "Received at: is in the future"),
    ({"Date_received": "13/45/2025"}, 'Received at: is not a date: "13/45/2025"'),
    ({"Status": "Pending"}, 'Stage: has an unknown value "Pending"'),
    ({"Priority": "P9"}, 'Severity: has an unknown value "P9"'),
    ({"Submitted_via": "Fax"}, 'Channel: has an unknown value "Fax"'),
    ({"Wants": "refund;a pony"}, 'Customer asks for: has an unknown value "a pony"'),
    ({"Issue": TOO_LONG}, "Description: is too long (10001 characters; at most 10000)"),
    ({"Consumer_name": "名" * 101}, "Customer name: is too long (101 characters; at most 100)"),
    ({"Product": "p" * 201}, "Category: is too long (201 characters; at most 200)"),
    ({"Rating": "-1"}, "Satisfaction: must be a whole number from 1 to 5"),
    ({"Rating": "great"}, "Satisfaction: must be a whole number from 1 to 5"),
    ({"Rating": "4.5"}, "Satisfaction: must be a whole number from 1 to 5"),
    ({"Status": "Closed", "Date_closed": "01/01/2025"}, "Closed at: is before the received time"),
    ({"Status": "Open", "Date_closed": "01/09/2025"}, "Closed at: is set but the stage is not closed"),
])
def test_bad_row_reported_with_line_and_field_nothing_written(
        db: Database, tmp_path: Path, cells: dict[str, str], message: str) -> None:
    f = write_csv(tmp_path / "bad.csv", [good_row(1), good_row(2), good_row(3, **cells)])
    before = db_fingerprint(db)
    result = import_csv(db, f, MAPPING)
    assert result.added == 0 and result.ready == 2
    assert len(result.problems) == 1
    assert result.problems[0].startswith(f"line 4: {message}"), result.problems[0]
    assert db_fingerprint(db) == before


def test_every_bad_field_of_a_row_is_named_in_one_line(db: Database, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "bad.csv", [good_row(1, Issue="", Phone="x", Priority="P0")])
    (problem,) = import_csv(db, f, MAPPING).problems
    assert problem.startswith("line 2: ")
    for part in ("Severity: has an unknown value", "Description: is required",
                 "Phone: is not a phone number"):
        assert part in problem


def test_line_numbers_are_physical_lines(db: Database, tmp_path: Path) -> None:
    """A quoted cell spanning lines and a blank line shift the following rows' numbers."""
    f = write_csv(tmp_path / "multi.csv", [
        good_row(1, Issue="第一行\n第二行\n第三行"),  # lines 2-4
        [],  # line 5: blank
        good_row(2, Phone="nope"),  # line 6
    ])
    result = import_csv(db, f, MAPPING)
    assert [p.split(":")[0] for p in result.problems] == ["line 6"]


def test_problems_in_the_users_language(db: Database, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "bad.csv", [good_row(1, Date_received="yesterday")])
    set_language("zh-Hans")
    (problem,) = import_csv(db, f, MAPPING).problems
    assert problem.startswith("第 2 行：受理时间：不是有效日期")
    set_language("zh-Hant")
    (problem,) = import_csv(db, f, MAPPING).problems
    assert problem.startswith("第 2 行：")
    assert "不是有效日期" in problem


def test_all_or_nothing_then_skip_bad_then_reimport(db: Database,
                                                    tmp_path: Path) -> None:
    f = write_csv(tmp_path / "mixed.csv", [good_row(1), good_row(2, Issue=""), good_row(3)])
    before = db_fingerprint(db)

    dry = import_csv(db, f, MAPPING, dry_run=True)
    assert (dry.added, dry.ready, len(dry.problems), dry.dry_run) == (0, 2, 1, True)
    dry_skip = import_csv(db, f, MAPPING, dry_run=True, skip_bad=True)
    assert (dry_skip.added, dry_skip.ready) == (0, 2)
    refused = import_csv(db, f, MAPPING)
    assert (refused.added, len(refused.problems)) == (0, 1)
    assert db_fingerprint(db) == before

    skipped = import_csv(db, f, MAPPING, skip_bad=True)
    assert (skipped.added, skipped.duplicates) == (2, 0)
    assert skipped.problems[0].startswith("line 3: Description: is required")
    assert set(_refs(db)) == {"C-1", "C-3"}

    again = import_csv(db, f, MAPPING, skip_bad=True)
    assert (again.added, again.duplicates, len(again.problems)) == (0, 2, 1)
    assert count(db) == 2


def test_external_id_deduplicated_within_the_file_and_against_the_database(
        db: Database, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "dup.csv", [good_row(1), good_row(2), good_row(1, Issue="again")])
    first = import_csv(db, f, MAPPING)
    assert (first.added, first.duplicates) == (2, 1)
    before = db_fingerprint(db)
    second = import_csv(db, f, MAPPING)
    assert (second.added, second.duplicates, second.problems) == (0, 3, [])
    assert db_fingerprint(db) == before
    # Rows without an external_id cannot be recognised: each import adds them.
    no_id = write_csv(tmp_path / "noid.csv", [good_row(9, Complaint_ID="")])
    assert import_csv(db, no_id, MAPPING).added == 1
    assert import_csv(db, no_id, MAPPING).added == 1


def test_unknown_category_department_subject_become_list_values(
        db: Database, tmp_path: Path) -> None:
    header = ["when", "what", "cat", "dept", "subj"]
    f = write_csv(tmp_path / "lists.csv", [
        ["2025-02-01", "a", "电梯困人", "3F 童装店", "Product"],
        ["2025-02-02", "b", "电梯困人", "operations", "服务"],
        ["2025-02-03", "c", "parking", "", ""],
    ], header=header)
    mapping = {"received_at": "when", "description": "what", "category": "cat",
               "department": "dept", "subject": "subj"}
    result = import_csv(db, f, mapping)
    assert result.added == 3
    assert result.new_values == [("category", "电梯困人"), ("department", "3F 童装店")]
    with db.read() as s:
        lift = s.scalar(select(ListValue).where(ListValue.kind == "category",
                                                ListValue.code == "电梯困人"))
        assert lift is not None
        assert (lift.label_zh_hans, lift.label_zh_hant, lift.label_en) == ("电梯困人",) * 3
        codes = s.execute(select(Complaint.description, ListValue.code)
                          .join(ListValue, ListValue.id == Complaint.category_id)
                          .order_by(Complaint.description)).all()
    assert [c for _, c in codes] == ["电梯困人", "电梯困人", "parking"]
    details = [get_detail(db, ref) for ref in ("TS-20250201-0001", "TS-20250202-0001")]
    assert [(d.department, d.subject) for d in details] == [
        ("3F 童装店", "product"), ("operations", "service")]


def test_mapping_errors_name_the_problem_and_change_nothing(
        db: Database, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "ok.csv", [good_row(1)])
    before = db_fingerprint(db)
    cases: list[tuple[dict[str, object], str]] = [
        ({**MAPPING, "colour": "Product"}, 'unknown field "colour"'),
        ({k: v for k, v in MAPPING.items() if k != "description"},
         'must name the column of "description"'),
        ({k: v for k, v in MAPPING.items() if k != "received_at"},
         'must name the column of "received_at"'),
        ({**MAPPING, "location": "Mall floor"}, 'The file has no column "Mall floor" '
                                                '(mapped to "location")'),
        ({**MAPPING, "tier": {"column": "Status", "valuez": {}}}, 'unknown entry "valuez"'),
        ({**MAPPING, "tier": {"values": {"a": "b"}}}, 'must give a column name'),
        ({**MAPPING, "tier": {"column": "Status", "values": ["a"]}}, '"values" of "tier"'),
    ]
    for mapping, message in cases:
        with pytest.raises(DeskError) as err:
            import_csv(db, f, mapping)
        assert message in err.value.message()
    bad_json = tmp_path / "m.json"
    bad_json.write_text('{"received_at": "Date received",', encoding="utf-8")
    with pytest.raises(DeskError, match="not valid JSON"):
        import_csv(db, f, bad_json)
    with pytest.raises(DeskError, match="Cannot read"):
        import_csv(db, tmp_path / "missing.csv", MAPPING)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\xef\xbb\xbf\r\n")
    with pytest.raises(DeskError, match="has no header line"):
        import_csv(db, empty, MAPPING)
    assert db_fingerprint(db) == before


def test_mapping_file_on_disk_and_column_case(db: Database, tmp_path: Path) -> None:
    m = tmp_path / "map.json"
    m.write_text(json.dumps({"received_at": "DATE RECEIVED", "description": "issue",
                             "date_order": "mdy"}),
                 encoding="utf-8")
    f = write_csv(tmp_path / "f.csv", [good_row(1)])
    assert import_csv(db, f, m).added == 1
    detail = get_detail(db, "TS-20250105-0001")
    assert (detail.channel, detail.severity, detail.stage) == ("other", "normal", "new")
    assert detail.customer_id is None  # no customer columns mapped


@pytest.mark.parametrize("encoding, name", [
    ("utf-8-sig", "UTF-8"), ("utf-8", "UTF-8"), ("gb18030", "GB18030"), ("big5", "Big5")])
def test_encodings(db: Database, tmp_path: Path, encoding: str, name: str) -> None:
    text = ("停车场收费不合理，保安态度恶劣" if encoding == "gb18030"
            else "停車場收費不合理，保安態度惡劣，要求道歉")
    person = "张先生" if encoding == "gb18030" else "陳小姐"
    f = write_csv(tmp_path / "enc.csv", [good_row(1, Issue=text, Consumer_name=person,
                                                  Product="服務態度")], encoding=encoding)
    result = import_csv(db, f, MAPPING)
    assert (result.added, result.encoding) == (1, name)
    detail = get_detail(db, "TS-20250105-0001")
    assert (detail.description, detail.customer_name) == (text, person)
    assert detail.category == "staff_attitude"  # matched by its Traditional label


def test_bytes_in_no_known_encoding_are_refused(db: Database, tmp_path: Path) -> None:
    f = tmp_path / "binary.csv"
    f.write_bytes(b"Date received,Issue\r\n\xff\xfe\xfa\xfb\x80,\x81\r\n")
    with pytest.raises(DeskError, match="not text in UTF-8, UTF-16, GB18030, Big5 or "
                                        "Windows-1252 that can be told for certain"):
        import_csv(db, f, MAPPING)


def test_semicolon_file_and_formula_quotes_stripped(db: Database, tmp_path: Path) -> None:
    f = tmp_path / "semi.csv"
    f.write_text("Date received;Issue;Consumer name\r\n"
                 "2025-03-01;'=HYPERLINK(\"http://x\");'@boss\r\n", encoding="utf-8")
    result = import_csv(db, f, {"received_at": "Date received", "description": "Issue",
                                "customer_name": "Consumer name"})
    assert result.added == 1
    detail = get_detail(db, "TS-20250301-0001")
    assert detail.description == '=HYPERLINK("http://x")'
    assert detail.customer_name == "@boss"


def test_extra_cells_refuse_the_file_short_rows_are_padded(db: Database,
                                                          tmp_path: Path) -> None:
    """A row with more cells than the header means a delimiter or quote is out of place: every
    later row may be shifted, so the file is refused whole (even with --skip-bad)."""
    f = tmp_path / "ragged.csv"
    f.write_text("Date received,Issue,Phone\r\n2025-03-01,short row\r\n"
                 "2025-03-02,long,13800138000,surprise\r\n", encoding="utf-8")
    before = db_fingerprint(db)
    for skip in (False, True):
        with pytest.raises(DeskError, match="Line 3 has 4 cells but the header only 3"):
            import_csv(db, f, {"received_at": "Date received", "description": "Issue",
                               "phone": "Phone"}, skip_bad=skip)
    assert db_fingerprint(db) == before
    f.write_text("Date received,Issue,Phone\r\n2025-03-01,short row\r\n"
                 "2025-03-02,trailing empty cell,13800138000,\r\n", encoding="utf-8")
    assert import_csv(db, f, {"received_at": "Date received", "description": "Issue"}).added == 2


def test_existing_customer_updated_by_phone(db: Database, tmp_path: Path) -> None:
    from app.services.intake import IntakeInput, log_complaint

    log_complaint(db, IntakeInput(description="earlier", customer_name="Old Name",
                                  phone="13900139000", received_at="2025-01-01 09:00"))
    header = ["when", "what", "who", "tel", "level", "mail"]
    f = write_csv(tmp_path / "c.csv", [
        ["2025-01-02", "x", "", "139-0013-9000", "key", ""],
        ["2025-01-03", "y", "New Name", "13900139000", "", "new@example.com"],
    ], header=header)
    mapping = {"received_at": "when", "description": "what", "customer_name": "who",
               "phone": "tel", "tier": "level", "email": "mail"}
    assert import_csv(db, f, mapping).added == 2
    with db.read() as s:
        customers = s.execute(select(Customer.name, Customer.tier, Customer.email)).all()
        flags = s.scalars(select(Complaint.is_repeat).order_by(Complaint.received_at)).all()
    assert [tuple(c) for c in customers] == [("New Name", "key", "new@example.com")]
    assert flags == [False, True, True]


def test_history_stages_times_and_statistics(db: Database, tmp_path: Path,
                                             fixed_clock: ControlledClock) -> None:
    header = ["id", "when", "what", "stage", "resolved", "closed"]
    f = write_csv(tmp_path / "h.csv", [
        ["h1", "2025-06-02 10:00", "closed, no times", "closed", "", ""],
        ["h2", "2025-06-03 10:00", "waiting revisit", "follow_up", "2025-06-04 10:00", ""],
        ["h3", "2025-06-04 10:00", "still investigating", "investigating", "", ""],
        ["h4", "2025-06-05 10:00", "closed implied", "", "2025-06-06", "2025-06-07"],
        ["h5", "2025-06-06 10:00", "follow-up implied", "", "2025-06-07", ""],
    ], header=header)
    mapping = {"external_id": "id", "received_at": "when", "description": "what",
               "stage": "stage", "resolved_at": "resolved", "closed_at": "closed"}
    assert import_csv(db, f, mapping).added == 5
    refs = _refs(db)
    h1, h2, h3, h4, h5 = (get_detail(db, refs[k]) for k in ("h1", "h2", "h3", "h4", "h5"))
    # Times the file does not give stay unknown: never the received time.
    assert (h1.stage, h1.resolved_at, h1.closed_at) == ("closed", None, None)
    assert (h2.stage, h2.resolved_at) == ("follow_up", datetime(2025, 6, 4, 10))
    assert h3.stage == "investigating" and h3.overdue  # history: its due time has passed
    assert (h4.stage, h4.closed_at) == ("closed", datetime(2025, 6, 7))
    assert (h5.stage, h5.resolved_at) == ("follow_up", datetime(2025, 6, 7))
    with db.read() as s:
        visits = s.execute(select(Revisit.complaint_id, Revisit.scheduled_for)
                           .order_by(Revisit.complaint_id)).all()
        event_times = s.scalars(select(ComplaintEvent.at).order_by(ComplaintEvent.id)).all()
    assert visits == []  # history: no revisit is scheduled for it
    assert event_times == [datetime(2025, 6, d, 10) for d in range(2, 7)]
    stats = month_stats(db, "2025-06")
    # h1's close time is unknown: not closed in June as far as anyone knows, yet not open.
    assert stats["received"] == 5 and stats["closed_in_month"] == 1
    assert stats["by_stage_at_month_end"] == {"follow_up": 2, "investigating": 1}
    # Durations only from known times: h2 (24 h), h4 and h5 (14 h each).
    assert stats["median_hours_to_resolve"] == 14.0 and stats["resolved_in_month"] == 3


def test_large_file_gets_one_reference_per_row(db: Database, tmp_path: Path) -> None:
    """5,000 rows (speed is measured by tests/bench: import_100k)."""
    start = datetime(2024, 1, 1)
    rows = [good_row(i, Date_received=(start + timedelta(minutes=97 * i)).isoformat(" "),
                     Phone=f"139{i:08d}", Wants="refund") for i in range(5000)]
    f = write_csv(tmp_path / "big.csv", rows)
    result = import_csv(db, f, MAPPING)
    assert result.added == 5000 and not result.problems
    assert len(set(_refs(db).values())) == 5000




def test_demand_value_map_may_name_several_codes(db: Database, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "w.csv", [good_row(1, Wants="Money back and sorry"),
                                       good_row(2, Wants="Money back, Sorry, exchange")])
    mapping = {**MAPPING, "customer_demand": {"column": "Wants", "values": {
        "Money back and sorry": "refund;apology", "Money back": "refund", "sorry": "apology"}}}
    assert import_csv(db, f, mapping).added == 2
    refs = _refs(db)
    assert get_detail(db, refs["C-1"]).demands == ["refund", "apology"]
    assert get_detail(db, refs["C-2"]).demands == ["refund", "apology", "exchange"]


def test_progress_moves_forward_and_cancelling_writes_nothing(
        db: Database, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "p.csv", [good_row(i, Date_received=f"2025-01-{1 + i % 28:02d}")
                                       for i in range(6000)])
    seen: list[tuple[int, int]] = []
    assert import_csv(db, f, MAPPING, progress=lambda d, t: seen.append((d, t))).added == 6000
    assert seen and all(t == 3000 for _, t in seen)
    steps = [d for d, _ in seen]
    assert steps == sorted(steps) and steps[-1] == 3000 and any(d < 1000 for d in steps)

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done > 2000:  # in the writing phase
            raise Cancelled

    before = db_fingerprint(db)
    again = write_csv(tmp_path / "q.csv", [good_row(i + 10_000) for i in range(6000)])
    with pytest.raises(Cancelled):
        import_csv(db, again, MAPPING, progress=cancel)
    assert db_fingerprint(db) == before

@pytest.mark.slow
def test_100000_rows_import_whole_and_again_as_duplicates(db: Database,
                                                          tmp_path: Path) -> None:
    """100,000 rows, two date forms in one column (speed: tests/bench import_100k)."""
    import csv

    start = datetime(2023, 1, 1)
    path = tmp_path / "100k.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "when", "what", "tel", "who", "cat", "stage", "wants"])
        for i in range(100_000):
            when = start + timedelta(minutes=7 * i)
            writer.writerow([f"K{i}", when.strftime("%m/%d/%Y %H:%M") if i % 2 else
                             when.isoformat(" "), f"顾客反映第 {i} 号问题：商品质量差，要求退货",
                             f"13{i % 40_000:09d}", ("张三", "Chan Tai Man", "")[i % 3],
                             ("parking", "停车", "新类别")[i % 3],
                             ("new", "closed", "follow_up")[i % 3], "refund;apology"])
    mapping = {"external_id": "id", "received_at": "when", "description": "what",
               "phone": "tel", "customer_name": "who", "category": "cat", "stage": "stage",
               "customer_demand": "wants"}
    result = import_csv(db, path, mapping)
    assert (result.added, result.problems) == (100_000, [])
    again = import_csv(db, path, mapping, dry_run=True)
    assert (again.ready, again.duplicates) == (0, 100_000)
