"""Exporting one month's complaints: CSV in the `export csv` format, Excel with labels and
a sheet of key figures that equal month_stats."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.db import Database
from app.errors import DeskError, PermissionDenied, ValidationError
from app.reports.month_export import ExportCancelled, export_month_csv, export_month_xlsx
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from app.services.stats import month_stats
from tests.reports import month_scenario as scenario

march_cache, march = scenario.march_cache, scenario.march  # fixtures, used by name
MARCH = ("M1", "M2", "M3", "M4", "M5", "M6", "M7")


def test_csv_holds_exactly_the_month(db: Database, march: dict[str, str], tmp_path: Path
                                     ) -> None:
    out = tmp_path / "march.csv"
    assert export_month_csv(db, "2026-03", out) == 7
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese right
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [r["reference"] for r in rows] == [march[k] for k in MARCH]
    first = rows[0]
    assert (first["channel"], first["category"], first["severity"], first["stage"]) == (
        "counter", "safety", "urgent", "closed")


@pytest.mark.parametrize(("lang", "header", "severity", "sheet"), [
    ("zh-Hans", "受理编号", "紧急", "主要指标"),
    ("zh-Hant", "受理編號", "緊急", "主要指標"),
    ("en", "Reference", "Urgent", "Key figures"),
])
def test_excel_in_the_chosen_language(db: Database, march: dict[str, str], tmp_path: Path,
                                      lang: str, header: str, severity: str, sheet: str
                                      ) -> None:
    out = tmp_path / "march.xlsx"
    assert export_month_xlsx(db, "2026-03", out, lang) == 7
    book = load_workbook(out)
    complaints, figures = book.worksheets
    rows = list(complaints.iter_rows(values_only=True))
    assert rows[0][0] == header and len(rows) == 8
    assert [r[0] for r in rows[1:]] == [march[k] for k in MARCH]
    assert rows[1][1] == datetime(2026, 3, 2, 9, 0) and rows[1][5] == severity
    assert figures.title == sheet
    stats = month_stats(db, "2026-03")
    sheet_rows = list(figures.iter_rows(min_row=2, values_only=True))
    blank = next(i for i, r in enumerate(sheet_rows) if not any(r))
    values = {r[0]: (r[1], r[2]) for r in sheet_rows[:blank] if r[0] and r[1] is not None}
    assert len(values) == 16
    # Then the compensation carried out per solution type (the ledger), as month_stats says.
    by_type = [r for r in sheet_rows[blank + 2:] if r[0] and isinstance(r[1], int | float)]
    assert sorted(r[1] for r in by_type) == sorted(stats["compensation_by_type"].values())
    assert len(by_type) == len(stats["compensation_by_type"]) == 3
    assert sorted(v for v, _ in values.values()) == sorted(
        stats[k] for k in ("received", "closed_in_month", "open_at_month_end",
                           "overdue_at_month_end", "resolved_in_month", "sla_met_pct",
                           "median_hours_to_resolve", "median_hours_to_first_contact",
                           "revisits_done", "avg_satisfaction", "reopened",
                           "repeat_customers", "escalated", "founded_pct",
                           "compensation_total", "typical_cases"))


def test_excel_keeps_formula_like_text_as_text(db: Database, fixed_clock: Any, clerk: Actor,
                                              tmp_path: Path) -> None:
    log_complaint(db, IntakeInput(description="=HYPERLINK(\"http://x\")", customer_name="=1+1",
                                  phone="13900001111"), clerk)
    out = tmp_path / "f.xlsx"
    export_month_xlsx(db, "2026-03", out, "en")
    row = list(load_workbook(out).worksheets[0].iter_rows(min_row=2, values_only=True))[0]
    assert row[6] == "=1+1" and row[9] == "=HYPERLINK(\"http://x\")"
    cell = load_workbook(out).worksheets[0]["J2"]
    assert cell.data_type == "s"


def test_bad_month_folder_or_cancel_writes_nothing(db: Database, march: dict[str, str],
                                                   tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValidationError):
        export_month_xlsx(db, "2026-3x", out / "x.xlsx", "en")
    with pytest.raises(DeskError):
        export_month_xlsx(db, "2026-03", out / "missing" / "x.xlsx", "en")
    with pytest.raises(ExportCancelled):
        export_month_xlsx(db, "2026-03", out / "x.xlsx", "en", cancelled=lambda: True)
    assert not any(out.iterdir())


def test_only_supervisors_export(db: Database, clerk: Actor, supervisor: Actor,
                                 march: dict[str, str], tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        export_month_xlsx(db, "2026-03", tmp_path / "x.xlsx", "en", actor=clerk)
    with pytest.raises(PermissionDenied):
        export_month_csv(db, "2026-03", tmp_path / "x.csv", actor=clerk)
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "x.csv").exists()
    assert export_month_xlsx(db, "2026-03", tmp_path / "x.xlsx", "en", actor=supervisor) == 7
