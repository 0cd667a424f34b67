"""When the incident happened, apart from when the complaint was received (issue 20, mall
procedure 时间): given at intake (by default the received time), corrected in the panel, on
the slip and the case sheet, in the export; never after the received time, whoever saves it."""

from __future__ import annotations

import csv
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import ValidationError, ValidationErrors
from app.models import Complaint, ComplaintEvent
from app.reports.case_sheet import case_sheet_pdf
from app.reports.slip import slip_pdf
from app.services.common import Actor
from app.services.complaints import get_detail, update_fields
from app.services.exporting import export_csv
from app.services.importing import import_csv
from app.services.intake import IntakeInput, check_intake, log_complaint
from app.services.revisits import record_revisit
from app.services.typical_cases import mark_case
from tests.complaint_factory import advance, new_complaint

NOW = datetime(2026, 3, 10, 10, 0)
pytestmark = pytest.mark.usefixtures("fixed_clock")


def pdf_text(pdf: bytes) -> str:
    """The page as poppler lays it out: a label and its value on one line."""
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")


def count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Complaint)) or 0)


def test_by_default_the_incident_happened_when_it_was_received(db: Database,
                                                               clerk: Actor) -> None:
    ref = new_complaint(db, clerk, received_at="2026-03-09 18:40")
    assert get_detail(db, ref).occurred_at == datetime(2026, 3, 9, 18, 40)


def test_an_earlier_incident_is_kept_apart_from_the_receipt(db: Database, clerk: Actor) -> None:
    ref = new_complaint(db, clerk, received_at="2026-03-10 09:30",
                        occurred_at=datetime(2026, 3, 8, 21, 15))
    d = get_detail(db, ref)
    assert (d.received_at, d.occurred_at) == (datetime(2026, 3, 10, 9, 30),
                                              datetime(2026, 3, 8, 21, 15))


@pytest.mark.parametrize(("occurred", "problem"), [
    ("2026-03-10 09:31", "is after the received time"),
    ("2026-03-11 08:00", "is in the future"),
    ("3/4/26 昨晚", "is not a date"),
    ("1989-12-31", "is too far in the past"),
])
def test_a_wrong_incident_time_names_the_field_and_saves_nothing(
        db: Database, clerk: Actor, occurred: str, problem: str) -> None:
    data = IntakeInput(description="停车场刮车", phone="13800000001",
                       received_at="2026-03-10 09:30", occurred_at=occurred)
    before = count(db)
    with pytest.raises(ValidationErrors) as refused:
        log_complaint(db, data, clerk)
    assert [e.field for e in refused.value.errors] == ["occurred_at"]
    assert problem in refused.value.errors[0].message()
    assert count(db) == before
    assert [e.field for e in check_intake(db, data)] == ["occurred_at"]  # the form's inline check


def test_corrected_in_the_panel_with_the_timeline_saying_so(db: Database, clerk: Actor) -> None:
    ref = new_complaint(db, clerk, received_at="2026-03-10 09:30")
    update_fields(db, ref, {"occurred_at": "2026-03-09 20:05"}, actor=clerk)
    assert get_detail(db, ref).occurred_at == datetime(2026, 3, 9, 20, 5)
    with db.read() as s:
        data = s.scalars(select(ComplaintEvent.data).where(
            ComplaintEvent.kind == "field_changed").order_by(ComplaintEvent.id.desc())).first()
    assert data is not None and data["field"] == "occurred_at"
    assert (data["old"], data["new"]) == ("2026-03-10 09:30", "2026-03-09 20:05")
    version = get_detail(db, ref).version
    with pytest.raises(ValidationError, match="after the received time"):
        update_fields(db, ref, {"occurred_at": "2026-03-10 09:45"}, actor=clerk)
    d = get_detail(db, ref)
    assert d.occurred_at == datetime(2026, 3, 9, 20, 5) and d.version == version
    update_fields(db, ref, {"occurred_at": ""}, actor=clerk)  # not known after all
    assert get_detail(db, ref).occurred_at is None


def test_on_the_slip_in_three_languages(db: Database, clerk: Actor) -> None:
    ref = new_complaint(db, clerk, received_at="2026-03-10 09:30",
                        occurred_at="2026-03-08 21:15")
    for lang, words in (("zh-Hans", "发生时间"), ("zh-Hant", "發生時間"), ("en", "Occurred at")):
        for fmt in ("a5", "receipt80"):
            text = pdf_text(slip_pdf(db, ref, fmt, lang))
            assert words in text, (lang, fmt)
            line = next(x for x in text.splitlines() if words in x)
            assert "21:15" in line and ("3月8日" in line or "8 Mar" in line
                                        or "2026-03-08" in line), line


def test_a_complaint_whose_incident_time_is_unknown_says_nothing_of_it(
        db: Database, tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    history.write_text("when,what\n2026-03-01 08:00,旧投诉\n", encoding="utf-8")
    assert import_csv(db, history, {"received_at": "when", "description": "what"}).added == 1
    with db.read() as s:
        ref = s.scalar(select(Complaint.reference))
    assert ref is not None and get_detail(db, ref).occurred_at is None
    assert "Occurred at" not in pdf_text(slip_pdf(db, ref, "a5", "en"))


def test_on_the_case_sheet(db: Database, clerk: Actor, supervisor: Actor) -> None:
    ref = new_complaint(db, clerk, received_at="2026-03-10 09:30",
                        occurred_at="2026-03-08 21:15")
    advance(db, ref, "follow_up", clerk, supervisor)
    record_revisit(db, ref, method="phone", satisfaction=4, actor=clerk)
    mark_case(db, ref, title="停车场刮车", lesson="夜间巡逻加密。", actor=supervisor)
    text = pdf_text(case_sheet_pdf(db, ref, "zh-Hant", actor=clerk))
    line = next(x for x in text.splitlines() if "發生時間" in x)
    assert "21:15" in line


def test_exported_as_saved_and_read_back_by_import(
        db: Database, clerk: Actor, supervisor: Actor, tmp_path: Path,
        new_database: Callable[[str], Database]) -> None:
    new_complaint(db, clerk, received_at="2026-03-10 09:30", occurred_at="2026-03-08 21:15")
    new_complaint(db, clerk, received_at="2026-03-10 09:40", phone="13800000009")
    out = tmp_path / "out.csv"
    assert export_csv(db, out, actor=supervisor) == 2
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["occurred_at"] for r in rows] == ["2026-03-08 21:15:00", "2026-03-10 09:40:00"]
    # Another desk imports the export (DESIGN §5: the export's names are the mapping's keys).
    other = new_database("occurred")
    try:
        mapping = {"received_at": "received_at", "description": "description",
                   "occurred_at": "occurred_at", "external_id": "reference"}
        assert import_csv(other, out, mapping).added == 2
        with other.read() as s:
            times = s.execute(select(Complaint.received_at, Complaint.occurred_at)
                              .order_by(Complaint.received_at)).all()
        assert [tuple(t) for t in times] == [
            (datetime(2026, 3, 10, 9, 30), datetime(2026, 3, 8, 21, 15)),
            (datetime(2026, 3, 10, 9, 40), datetime(2026, 3, 10, 9, 40))]
    finally:
        other.dispose()
