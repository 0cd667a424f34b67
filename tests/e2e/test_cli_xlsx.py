"""`export xlsx --month YYYY-MM --out FILE`: the same workbook as the window's Excel export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from app import clock
from app.db import Database
from app.reports.month_export import export_month_xlsx
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from tests.e2e.test_cli_slip import cli


def test_export_xlsx_writes_the_windows_workbook(db: Database, db_arg: str, clerk: Actor,
                                                 supervisor: Actor, fixed_clock: Any,
                                                 tmp_path: Path) -> None:
    for text in ("电梯扶手破损", "价格标签不符;要求退差价"):
        log_complaint(db, IntakeInput(description=text, phone="01012345678"), clerk)
    month = f"{fixed_clock.now:%Y-%m}"
    out = tmp_path / "out.xlsx"
    result = cli("--db", db_arg, "--user", "supervisor", "export", "xlsx", "--month", month,
                 "--out", str(out), "--lang", "zh-Hant")
    assert result.returncode == 0, result.stderr
    window = tmp_path / "window.xlsx"
    clock.reset_clock()  # the command ran on the real clock ("Overdue" is as of now)
    export_month_xlsx(db, month, window, "zh-Hant", actor=supervisor)

    def cells(path: Path) -> list[list[list[Any]]]:
        return [[[c.value for c in row] for row in sheet.iter_rows()]
                for sheet in load_workbook(path).worksheets]

    assert cells(out) == cells(window)
    assert cells(out)[0][1][7] == "+861012345678"  # the E.164 key, as text, not a number


def test_export_xlsx_refuses_a_bad_month(db_arg: str, tmp_path: Path) -> None:
    result = cli("--db", db_arg, "--user", "supervisor", "export", "xlsx", "--month",
                 "2026-13", "--out", str(tmp_path / "x.xlsx"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.xlsx").exists()
