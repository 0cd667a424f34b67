"""The window's file dialogs never open the files they list: browsing the folder of the live
database (a save dialog, a path typed into it) keeps every SQLite lock of the process, so
another process opening and closing the database leaves the window's WAL alone
(../shared/PLATFORM.md, "SQLite in a program with file dialogs")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QLineEdit
from pytestqt.qtbot import QtBot

from app.db import Database
from app.paths import resolve
from app.services.intake import IntakeInput, log_complaint
from tests.safety.helpers import ROOT, references
from ui import file_dialogs

pytestmark = pytest.mark.sqlite_only
VISIT = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('SELECT count(*) FROM complaints').fetchone(); c.close()")


def _types_listed(model: QFileSystemModel, folder: Path, names: set[str]) -> bool:
    root = model.index(str(folder))
    seen = {model.data(model.index(i, 0, root)): model.data(model.index(i, 2, root))
            for i in range(model.rowCount(root))}
    return names <= set(seen) and all(seen[n] for n in names)


@pytest.mark.skipif(file_dialogs.NATIVE, reason="Windows keeps its native dialog")
def test_browsing_the_database_folder_keeps_the_windows_locks(qtbot: QtBot, db_path: Path
                                                              ) -> None:
    db = Database(resolve(str(db_path)))
    first = log_complaint(db, IntakeInput(description="空调不制冷", customer_name="陈女士")).reference
    wal = Path(f"{db_path}-wal")
    inode = wal.stat().st_ino
    dialog = file_dialogs.make_dialog(None, "Export", str(db_path.parent / "月度.xlsx"))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    qtbot.addWidget(dialog)
    dialog.open()
    name_box = dialog.findChild(QLineEdit, "fileNameEdit")
    assert name_box is not None
    name_box.setText(str(db_path.parent / "desk"))  # a path typed in: the completer lists too
    model = dialog.findChild(QFileSystemModel)
    assert model is not None
    listed = {db_path.name, wal.name, f"{db_path.name}-shm"}
    qtbot.waitUntil(lambda: _types_listed(model, db_path.parent, listed), timeout=10000)
    qtbot.wait(300)
    done = subprocess.run([sys.executable, "-c", VISIT, str(db_path)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert wal.exists() and wal.stat().st_ino == inode  # nobody took itself for the last one
    later = log_complaint(db, IntakeInput(description="later", customer_name="x")).reference
    dialog.reject()
    db.dispose()
    assert {first, later} <= references(db_path)


def test_every_file_dialog_of_the_window_goes_through_file_dialogs() -> None:
    direct = re.compile(r"QFileDialog\.get|QFileDialog\(|QFileSystemModel\(")
    found = [f"{p.relative_to(ROOT)}" for p in (ROOT / "ui").rglob("*.py")
             if p.name != "file_dialogs.py" and direct.search(p.read_text(encoding="utf-8"))]
    assert not found, found
    assert os.path.exists(ROOT / "ui" / "file_dialogs.py")
