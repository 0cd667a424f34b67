"""Data ▸ Import… and Data ▸ Export CSV… driven end to end with real widgets (pytest-qt): a
Chinese Excel workbook is picked, read, mapped (suggested from its headers, one value map
changed by hand), checked in a dry run, cancelled (nothing written), imported, its mapping
saved and loaded back as the command line's JSON; a day-first CSV and an ambiguous one; the
export of a date range."""

from __future__ import annotations

import csv
import json
import os
import threading
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db import Database
from app.i18n import set_language
from app.models import Complaint
from app.services.importing import import_xlsx
from app.services.stats import month_stats
from tests.unit.csv_support import db_fingerprint
from ui.context import DeskContext
from ui.data_transfer.export_dialog import ExportDialog
from ui.data_transfer.import_dialog import ImportDialog

pytestmark = pytest.mark.usefixtures("fixed_clock")  # now = 2026-03-10 10:00
SHOTS = os.environ.get("COMPLAINT_DESK_SHOTS")


def _workbook(path: Path, rows: int = 30) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "投诉登记"
    sheet.append(["编号", "投诉时间", "客户姓名", "电话", "投诉内容", "渠道", "状态"])
    channels = ("电话", "微信", "现场", "信件")
    for i in range(rows):
        sheet.append([f"X{i}", datetime(2025, 1 + i % 3, 1 + i % 27, 9 + i % 8, 15),
                      f"客户{i}", f"1391234{i:04d}", f"第 {i} 号投诉：空调不冷",
                      channels[i % 4], ("已关闭", "处理中")[i % 2]])
    book.save(path)
    return path


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Complaint)) or 0)


def _dialog(qtbot: QtBot, ctx: DeskContext, path: Path) -> ImportDialog:
    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.resize(1280, 720)
    dialog.show()
    dialog.ask_open_path = lambda *_a: str(path)  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog.busy, timeout=20000)
    return dialog


def _shot(dialog: ImportDialog, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _wait_done(qtbot: QtBot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60000)


def test_xlsx_picked_mapped_checked_cancelled_imported(qtbot: QtBot, db: Database,
                                                       supervisor_ctx: DeskContext,
                                                       tmp_path: Path) -> None:
    set_language("zh-Hans")
    path = _workbook(tmp_path / "投诉.xlsx")
    dialog = _dialog(qtbot, supervisor_ctx, path)
    # The first rows as read, the sheet, and the mapping suggested from the Chinese headers.
    assert dialog.table_model.rowCount() == 20 and dialog.table_model.columnCount() == 7
    assert "投诉登记" in dialog.info.text() and "30" in dialog.info.text()
    assert dialog.form.column_of("received_at") == "投诉时间"
    assert dialog.form.column_of("description") == "投诉内容"
    assert dialog.form.column_of("phone") == "电话"
    assert dialog.form.column_of("channel") == "渠道"
    # Values of the file offered for our codes: 电话 and 微信 are recognised, 现场 too;
    # 信件 (letter) is chosen by hand here, 处理中 mapped to "in progress".
    maps = dialog.values.value_maps()
    assert maps["channel"] == {"电话": "phone", "微信": "online", "现场": "counter",
                               "信件": "letter"}
    dialog.values.set_code("channel", "信件", "other")
    dialog.values.set_code("stage", "处理中", "in_progress")
    _shot(dialog, "import-mapped")

    before = db_fingerprint(supervisor_ctx.db)
    qtbot.mouseClick(dialog.dry_button, Qt.MouseButton.LeftButton)
    _wait_done(qtbot, dialog)
    assert dialog.outcome is not None and dialog.outcome.dry_run
    assert dialog.outcome.ready == 30 and dialog.outcome.problems == []
    assert db_fingerprint(supervisor_ctx.db) == before  # a dry run writes nothing
    assert "试运行" in dialog.report.toPlainText()

    # Cancel while importing: the engine stops at its next progress call, nothing written.
    gate = threading.Event()

    class Slow:  # holds the worker at its first progress report until Cancel is clicked
        def __init__(self) -> None:
            self.moved = self

        def emit(self, _done: int, _total: int) -> None:
            gate.wait(5)

    relay = dialog.relay
    dialog.relay = Slow()  # type: ignore[assignment]
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and dialog.cancel_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    _wait_done(qtbot, dialog)
    assert "取消" in dialog.status.text()
    assert db_fingerprint(supervisor_ctx.db) == before
    dialog.relay = relay

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    _wait_done(qtbot, dialog)
    assert dialog.outcome is not None and dialog.outcome.added == 30
    assert _count(supervisor_ctx.db) == 30
    assert not dialog.import_button.isEnabled()  # the same file and mapping: not twice
    with supervisor_ctx.db.read() as s:
        channels = dict(s.execute(select(Complaint.channel, func.count())
                                  .group_by(Complaint.channel)).all())
        stages = dict(s.execute(select(Complaint.stage, func.count())
                                .group_by(Complaint.stage)).all())
    assert channels == {"phone": 8, "online": 8, "counter": 7, "other": 7}
    assert stages == {"closed": 15, "in_progress": 15}
    _shot(dialog, "import-done")

    # The mapping saved is the command line's JSON: the same file imports the same way.
    saved = tmp_path / "map.json"
    dialog.ask_save_path = lambda *_a: str(saved)  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["channel"] == {"column": "渠道", "values": {
        "电话": "phone", "微信": "online", "现场": "counter", "信件": "other"}}
    again = import_xlsx(supervisor_ctx.db, path, saved, dry_run=True,
                        actor=supervisor_ctx.actor)
    assert (again.ready, again.duplicates) == (0, 30)  # all present already (external ids)

    # Loading it into a fresh screen gives the same mapping.
    other = _dialog(qtbot, supervisor_ctx, path)
    other.form.set_column("channel", "")
    other.ask_open_path = lambda *_a: str(saved)  # type: ignore[method-assign]
    qtbot.mouseClick(other.load_button, Qt.MouseButton.LeftButton)
    assert other.mapping() == data
    assert other.status.text() == "已从 map.json 载入映射"
    # A mapping made for another file says which of its columns this file lacks.
    saved.write_text(json.dumps({**data, "email": "邮箱地址"}, ensure_ascii=False),
                     encoding="utf-8")
    qtbot.mouseClick(other.load_button, Qt.MouseButton.LeftButton)
    assert other.status.text() == '已从 map.json 载入映射；本文件没有以下列："邮箱地址"'


def test_day_first_and_ambiguous_csv_on_the_screen(qtbot: QtBot, supervisor_ctx: DeskContext,
                                                   tmp_path: Path) -> None:
    set_language("en")
    f = tmp_path / "uk.csv"
    with f.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Date received", "Issue"])
        w.writerows([["22/04/2015 15:53", "a"], ["04/08/2015 10:00", "b"]])
    dialog = _dialog(qtbot, supervisor_ctx, f)
    assert "Date received" in dialog.info.text()
    assert "day/month/year (found from its values)" in dialog.info.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    _wait_done(qtbot, dialog)
    assert dialog.outcome is not None and dialog.outcome.added == 2
    assert month_stats(supervisor_ctx.db, "2015-08")["received"] == 1

    amb = tmp_path / "amb.csv"
    amb.write_text("Date received,Issue\r\n05/03/2024,x\r\n", encoding="utf-8")
    dialog = _dialog(qtbot, supervisor_ctx, amb)
    assert "date_order" in dialog.info.text()
    before = db_fingerprint(supervisor_ctx.db)
    qtbot.mouseClick(dialog.dry_button, Qt.MouseButton.LeftButton)
    _wait_done(qtbot, dialog)
    assert "date_order" in dialog.report.toPlainText() and dialog.outcome is None
    combo: QComboBox = dialog.order_combo
    combo.setCurrentIndex(combo.findData("dmy"))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    _wait_done(qtbot, dialog)
    assert dialog.outcome is not None and dialog.outcome.added == 1
    assert month_stats(supervisor_ctx.db, "2024-03")["received"] == 1
    assert db_fingerprint(supervisor_ctx.db) != before


def test_a_clerk_cannot_import(qtbot: QtBot, ctx: DeskContext, tmp_path: Path) -> None:
    set_language("en")
    dialog = _dialog(qtbot, ctx, _workbook(tmp_path / "x.xlsx", rows=2))
    assert not dialog.import_button.isEnabled() and not dialog.dry_button.isEnabled()
    assert "Importing needs the role" in dialog.status.text() or dialog.preview is not None


def test_export_a_date_range(qtbot: QtBot, supervisor_ctx: DeskContext, tmp_path: Path) -> None:
    set_language("en")
    path = _workbook(tmp_path / "x.xlsx")
    import_xlsx(supervisor_ctx.db, path, {"received_at": "投诉时间", "description": "投诉内容",
                                          "external_id": "编号"}, actor=supervisor_ctx.actor)
    dialog = ExportDialog(supervisor_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.date_from.setDate(dialog.date_from.date().fromString("2025-02-01", "yyyy-MM-dd"))
    dialog.date_to.setDate(dialog.date_to.date().fromString("2025-02-28", "yyyy-MM-dd"))
    out = tmp_path / "feb.csv"
    dialog.ask_save_path = lambda *_a: str(out)  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=20000)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 10 and all(r["received_at"].startswith("2025-02") for r in rows)
    assert "Exported 10 complaints" in dialog.status.text()



def test_export_and_mapping_never_onto_the_database(qtbot: QtBot, supervisor_ctx: DeskContext,
                                                    tmp_path: Path) -> None:
    """A name the person types goes through the output guard (app.outputs.guard_output): the
    CSV export into the database's own folder, the saved mapping onto the database file or
    into that folder are refused with the reason, and nothing there changes. (The export adds
    ".csv" to a name without it, so it cannot land on the database file itself.)"""
    set_language("en")
    db = supervisor_ctx.db
    path = _workbook(tmp_path / "x.xlsx", rows=3)
    import_xlsx(db, path, {"received_at": "投诉时间", "description": "投诉内容",
                           "external_id": "编号"}, actor=supervisor_ctx.actor)
    live, folder = db.paths.db_file, db.paths.data_dir  # no file on PostgreSQL: the folder
    live_bytes, rows_before = live.read_bytes() if live else b"", db_fingerprint(db)
    listing = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []

    export = ExportDialog(supervisor_ctx)
    qtbot.addWidget(export)
    export.show()
    export.ask_save_path = lambda *_a: str(folder / "complaints.csv")  # type: ignore[method-assign]
    qtbot.mouseClick(export.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not export.busy and "Nothing was written" in export.status.text(),
                    timeout=20000)
    assert "database's own folder" in export.status.text() and export.written is None

    dialog = _dialog(qtbot, supervisor_ctx, path)
    for target in ([live] if live else []) + [folder / "mapping.json"]:
        dialog.ask_save_path = lambda *_a, t=target: str(t)  # type: ignore[method-assign]
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert "Nothing was written" in dialog.status.text(), target

    assert (live.read_bytes() if live else b"") == live_bytes and db_fingerprint(db) == rows_before
    assert (sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []) == listing
