"""The window's side of data safety: one window per database (with a real second process),
the damaged-file dialog, and backup/restore with a progress bar off the UI thread."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.damage import DamagedDatabase
from app.db import Database
from app.migrate import open_database
from app.paths import resolve
from app.services.backups import auto_backup_if_due
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from tests.cli_process import python_env
from tests.safety.helpers import ROOT, references
from ui.context import DeskContext
from ui.single_instance import SingleInstance

ADMIN = Actor(None, "admin", "admin")
CLIENT = """
import sys
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
from ui.single_instance import notify_running
sys.exit(0 if notify_running(sys.argv[1]) else 3)
"""


def _second_start(name: str) -> subprocess.Popen[str]:
    env = python_env(QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, "-c", CLIENT, name], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_second_start_brings_the_first_window_forward(qtbot: QtBot) -> None:
    name = f"complaint-desk-test-{uuid.uuid4().hex[:12]}"
    first = SingleInstance(name)
    assert first.listen()
    try:
        with qtbot.waitSignal(first.activated, timeout=15000):
            second = _second_start(name)
        assert second.wait(15) == 0, second.stderr.read() if second.stderr else ""
    finally:
        first.close()
    nobody = _second_start(name)  # once the first window is gone, a start is the first
    assert nobody.wait(15) == 3


@pytest.mark.skipif(sys.platform == "win32", reason="Unix socket files only")
def test_socket_left_by_a_crashed_window_is_taken_over(qtbot: QtBot) -> None:
    name = f"complaint-desk-test-{uuid.uuid4().hex[:12]}"
    stale = Path(QDir.tempPath()) / name
    leftover = socket.socket(socket.AF_UNIX)
    leftover.bind(str(stale))  # bound, never listening, never removed: like after a crash
    leftover.close()
    instance = SingleInstance(name)
    try:
        assert instance.listen() and instance.server.isListening()
    finally:
        instance.close()


# --- the damaged-file dialog -------------------------------------------------------------


def _damaged(db_path: Path) -> tuple[DamagedDatabase, set[str], str]:
    db = Database(resolve(str(db_path)))
    for i in range(30):
        log_complaint(db, IntakeInput(description=f"投诉 {i}", customer_name=f"客户{i}"))
    assert auto_backup_if_due(db) is not None
    db.dispose()
    saved = references(db_path)
    with db_path.open("r+b") as fh:
        fh.truncate(db_path.stat().st_size // 2)
    with pytest.raises(DamagedDatabase) as caught:
        open_database(str(db_path))
    return caught.value, saved, hashlib.sha256(db_path.read_bytes()).hexdigest()


def test_damaged_dialog_restores_the_latest_backup_and_keeps_the_file(
        qtbot: QtBot, db_path: Path) -> None:
    from ui.damaged_dialog import DamagedDialog

    error, saved, fingerprint = _damaged(db_path)
    dialog = DamagedDialog(error, resolve(str(db_path)))
    qtbot.addWidget(dialog)
    assert dialog.latest is not None and dialog.restore_button.isEnabled()
    assert str(db_path) in dialog.body.text()
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=20000)
    result = dialog.result_info
    assert result is not None and result.kept_damaged_file and result.kept is not None
    assert hashlib.sha256(result.kept.read_bytes()).hexdigest() == fingerprint
    assert references(db_path) == saved


def test_quitting_the_damaged_dialog_changes_nothing(
        qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.damaged_dialog
    from ui import safety_start

    _error, _saved, fingerprint = _damaged(db_path)
    monkeypatch.setattr(ui.damaged_dialog, "offer_recovery", lambda e, p: None)
    monkeypatch.setattr(safety_start, "claim", lambda paths: _Guard())
    assert safety_start.start(str(db_path)) is None
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == fingerprint
    assert sorted(p.name for p in db_path.parent.glob("desk.db*")) in (
        ["desk.db"], ["desk.db", "desk.db-shm", "desk.db-wal"])


class _Guard:
    """Stands in for the single-instance listener in start() tests."""


# --- the backup dialog -------------------------------------------------------------------


@pytest.mark.sqlite_only  # backups copy the SQLite file
def test_backup_and_restore_from_the_window(qtbot: QtBot, db: Database,
                                            monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    from ui import messages
    from ui.backup_dialog import BackupDialog

    first = {log_complaint(db, IntakeInput(description="空调不制冷", customer_name="陈女士")
                           ).reference}
    ctx = DeskContext(db=db, actor=ADMIN)
    dialog = BackupDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0
    dialog.backup_button.click()
    assert not dialog.progress.isHidden() and not dialog.close_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=20000)
    assert "Backup written" in dialog.status.text() and not dialog.busy

    log_complaint(db, IntakeInput(description="later", customer_name="x"))
    monkeypatch.setattr(messages, "ask", lambda *a, **k: True)
    with qtbot.waitSignal(ctx.signals.data_changed, timeout=20000):
        dialog.restore_button.click()
    assert references(db.paths.db_file) == first
    assert "Restored" in dialog.status.text()
    assert dialog.model.rowCount() == 2  # plus the copy of what the restore replaced


@pytest.mark.sqlite_only  # restores replace the SQLite file
@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"SQLite format 3\x00" + b"\x00" * 200,
                                     "投诉记录".encode("gbk") * 50])
def test_restore_checks_the_file_before_asking_and_a_refusal_is_an_error(
        qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        content: bytes) -> None:
    """A file that is no backup (a broken zip, a damaged database, a spreadsheet export):
    refused before "replace all current data?" is asked, in an error box, the status in red,
    and nothing changed."""
    from tests.ui.board_helpers import snapshot
    from ui import file_dialogs, messages
    from ui.backup_dialog import BackupDialog

    log_complaint(db, IntakeInput(description="空调不制冷", customer_name="陈女士"))
    bad = tmp_path / "desk-20260310-101010-manual.zip"
    bad.write_bytes(content)
    asked: list[str] = []
    errors: list[str] = []
    monkeypatch.setattr(messages, "ask", lambda _p, text, *a: asked.append(text) or True)
    monkeypatch.setattr(messages, "error", lambda _p, text, *a: errors.append(text))
    monkeypatch.setattr(file_dialogs, "get_open_file_name", lambda *a, **k: (str(bad), ""))
    before = snapshot(db)
    dialog = BackupDialog(DeskContext(db=db, actor=ADMIN))
    qtbot.addWidget(dialog)
    dialog.file_button.click()
    qtbot.waitUntil(lambda: bool(errors), timeout=20000)
    assert asked == []  # never asked to replace everything with a file that is no backup
    assert errors[0].startswith("This backup cannot be restored: ") and "Nothing was changed" in errors[0]
    assert dialog.status.styleSheet() == "color: #c62828;"  # the error colour of the forms
    assert not dialog.busy
    assert snapshot(db) == before
    assert not list(db.paths.db_file.parent.glob(".restore-*"))  # its work folder is gone too


@pytest.mark.sqlite_only
def test_a_sound_backup_is_described_in_the_question(qtbot: QtBot, db: Database,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import messages
    from ui.backup_dialog import BackupDialog

    log_complaint(db, IntakeInput(description="空调不制冷", customer_name="陈女士"))
    ctx = DeskContext(db=db, actor=ADMIN)
    dialog = BackupDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.backup_button.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and not dialog.busy, timeout=20000)
    asked: list[str] = []
    monkeypatch.setattr(messages, "ask", lambda _p, text, *a: asked.append(text) or False)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: bool(asked), timeout=20000)
    assert "(1 complaint)" in asked[0]  # checked first: what the backup holds is said


def test_backup_dialog_for_a_clerk_says_who_may(qtbot: QtBot, db: Database, clerk: Actor
                                                ) -> None:
    from ui.backup_dialog import BackupDialog

    dialog = BackupDialog(DeskContext(db=db, actor=clerk))
    qtbot.addWidget(dialog)
    assert not dialog.backup_button.isEnabled() and not dialog.file_button.isEnabled()
    assert "Administrator" in dialog.role_note.text()


@pytest.mark.sqlite_only
def test_the_window_holds_the_desk_lock_while_it_is_open(db_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Other processes of the program see the window and keep its WAL (app/live_file.py)."""
    from app import live_file
    from ui import safety_start

    monkeypatch.setattr(safety_start, "claim", lambda paths: _Guard())
    safe = safety_start.start(str(db_path))
    assert safe is not None
    probe = ("import sys; from app.live_file import may_tidy; from pathlib import Path; "
             "sys.exit(0 if may_tidy(Path(sys.argv[1])) else 3)")
    lock = safe.db.paths.data_dir / live_file.DESK_LOCK_FILE
    env = python_env()
    assert subprocess.run([sys.executable, "-c", probe, str(lock)], env=env).returncode == 3
    safety_start._clean_close(safe.db)
    assert subprocess.run([sys.executable, "-c", probe, str(lock)], env=env).returncode == 0
