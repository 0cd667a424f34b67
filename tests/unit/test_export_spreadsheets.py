"""Exports as a spreadsheet opens them: LibreOffice's import dialog splits on comma,
semicolon and tab at once; both files get the user's usual permissions (the umask)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.db import Database
from app.reports.key_figures import KEY_FIGURES
from app.reports.month_export import FIGURE_BASIS, export_month_xlsx
from app.services.common import Actor
from app.services.csv_text import restore
from app.services.exporting import HEADER, export_csv
from app.services.intake import IntakeInput, log_complaint

NASTY = ["换货;解释, 再说\t一遍", 'He said "no"; then left, angry', "第一行\n第二行;第三行",
         "plain"]


def split_like_a_spreadsheet(text: str) -> list[list[str]]:
    """Rows split on "," ";" and tab outside double quotes (a quote inside is doubled)."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1:i + 2] == '"':
                cell.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell.append(ch)
        elif ch == '"':
            quoted = True
        elif ch in ",;\t":
            row.append("".join(cell))
            cell = []
        elif ch in "\r\n":
            if ch == "\r" and text[i + 1:i + 2] == "\n":
                i += 1
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
        else:
            cell.append(ch)
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return rows


def test_every_row_keeps_its_columns_when_split_on_comma_semicolon_and_tab(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: Any,
        tmp_path: Path) -> None:
    refs = [log_complaint(db, IntakeInput(description=text, customer_name="陈, 大文;",
                                          phone="010 1234 5678", location="B1;东门\t入口",
                                          demands=["exchange", "explanation"]), clerk).reference
            for text in NASTY]
    out = tmp_path / "export.csv"
    assert export_csv(db, out, actor=supervisor) == len(NASTY)
    rows = split_like_a_spreadsheet(out.read_text(encoding="utf-8-sig"))
    assert rows[0] == list(HEADER)
    assert len(rows) == len(NASTY) + 1
    column = {name: i for i, name in enumerate(HEADER)}
    for row, ref, text in zip(rows[1:], refs, NASTY, strict=True):
        assert len(row) == len(HEADER), row
        assert row[column["reference"]] == ref
        assert row[column["description"]] == text
        assert row[column["customer_demand"]] == "exchange;explanation"
        # The E.164 key whole; its leading "+" neutralised like any formula start (csv_text).
        assert restore(row[column["phone"]]) == "+861012345678"
        assert row[column["stage"]] == "new"


def test_the_workbook_says_what_each_key_figure_counts(db: Database, clerk: Actor,
                                                      supervisor: Actor, fixed_clock: Any,
                                                      tmp_path: Path) -> None:
    log_complaint(db, IntakeInput(description="x", phone="01012345678"), clerk)
    out = tmp_path / "month.xlsx"
    export_month_xlsx(db, f"{fixed_clock.now:%Y-%m}", out, "zh-Hans", actor=supervisor)
    sheet = load_workbook(out).worksheets[1]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][3] == "统计口径"
    described = [r for r in rows[1:len(KEY_FIGURES) + 1]]
    assert all(r[3] for r in described), described  # every figure says what it counts
    assert {key for _m, key, _k in KEY_FIGURES} <= set(FIGURE_BASIS)
    phone = load_workbook(out).worksheets[0]["H2"].value
    assert phone == "+861012345678"  # text: the + and every digit kept


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_both_exports_get_the_users_usual_permissions(db: Database, supervisor: Actor,
                                                      fixed_clock: Any, tmp_path: Path,
                                                      umask: int, mode: int) -> None:
    before = os.umask(umask)
    try:
        export_csv(db, tmp_path / "a.csv", actor=supervisor)
        export_month_xlsx(db, f"{fixed_clock.now:%Y-%m}", tmp_path / "a.xlsx", "en",
                          actor=supervisor)
    finally:
        os.umask(before)
    assert stat.S_IMODE((tmp_path / "a.csv").stat().st_mode) == mode
    assert stat.S_IMODE((tmp_path / "a.xlsx").stat().st_mode) == mode
