"""No output lands on the live database, its -wal/-shm, its files folder or a backup: the
command exits 2 with one line, the window says the same, and nothing is written
(app/outputs.guard_output). `backup --out FOLDER` writes a file into that folder."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from app.db import Database
from app.errors import DeskError
from app.outputs import OutputRefused, guard_output
from app.paths import resolve
from app.services.backups import create_backup
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from tests.safety.helpers import ROOT, integrity, references

ADMIN = Actor(None, "admin", "admin")
pytestmark = pytest.mark.sqlite_only


def _cli(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COMPLAINT_DESK_PASSWORD="demo1234")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--lang", "en", "--user",
                           "admin", "--db", str(db_path), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, env=env)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


@pytest.fixture
def desk(db_path: Path, tmp_path: Path) -> tuple[Path, str, Path]:
    """A database with an admin, a complaint, a backup in its folder and one on a stick."""
    from app.services.users import create_user

    db = Database(resolve(str(db_path)))
    create_user(db, "admin", "管理员", "admin", "demo1234")
    ref = log_complaint(db, IntakeInput(description="电梯故障", customer_name="王女士")).reference
    create_backup(db, actor=ADMIN)
    stick = create_backup(db, out=tmp_path / "usb" / "copy.zip", actor=ADMIN).path
    db.dispose()
    return db_path, ref, stick


def test_the_guard_names_each_forbidden_place(desk: tuple[Path, str, Path],
                                              tmp_path: Path) -> None:
    db_path, _ref, stick = desk
    db = Database(resolve(str(db_path)))
    backups = sorted(db.paths.backups.glob("*.zip"))
    files = db.paths.data_dir
    refused = {
        db_path: "database file itself", Path(f"{db_path}-wal"): "working files",
        Path(f"{db_path}-shm"): "working files", Path(f"{db_path}-journal"): "working files",
        files / "report.pdf": "own folder", files / "attachments" / "x.pdf": "own folder",
        backups[0]: "own folder", stick: "is a backup",
        tmp_path / "usb" / "desk-20260101-090000-manual.zip": "is a backup",
        tmp_path / "sub" / ".." / "desk.db": "database file itself",
    }
    (tmp_path / "usb" / "desk-20260101-090000-manual.zip").write_bytes(b"an older backup")
    link = tmp_path / "link.pdf"
    link.symlink_to(db_path)
    refused[link] = "database file itself"
    for target, why in refused.items():
        with pytest.raises(OutputRefused) as caught:
            guard_output(db, target)
        assert why in caught.value.message() and "Nothing was written" in caught.value.message()
    assert guard_output(db, tmp_path / "out.pdf") == tmp_path / "out.pdf"
    db.dispose()


CASES = [
    ("slip", "{ref}", "--out", "{db}"),
    ("slip", "{ref}", "--out", "{db}-wal"),
    ("export", "csv", "--out", "{db}-shm"),
    ("export", "xlsx", "--month", "2026-03", "--out", "{db}"),
    ("export", "xlsx", "--month", "2026-03", "--out", "{stick}"),
    ("report", "monthly", "--month", "2026-03", "--out", "{files}/month.pdf"),
    ("handover", "--out", "{db}"),
    ("handover", "--out", "{files}/handover.pdf"),
    ("backup", "--out", "{db}"),
    ("backup", "--out", "{stick}"),
]


@pytest.mark.parametrize("command", CASES, ids=[" ".join((*c[:2], c[-1])) for c in CASES])
def test_commands_refuse_with_exit_2_and_write_nothing(desk: tuple[Path, str, Path],
                                                       command: tuple[str, ...]) -> None:
    db_path, ref, stick = desk
    files = db_path.parent / f"{db_path.stem}-files"
    args = [a.format(ref=ref, db=db_path, files=files, stick=stick) for a in command]
    target = Path(args[-1])
    before, stick_before, refs = _sha(target), _sha(stick), references(db_path)
    done = _cli(db_path, *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Nothing was written" in done.stderr
    assert _sha(stick) == stick_before
    if target.name.endswith(("-wal", "-shm")) or target == db_path:
        assert integrity(db_path) == ["ok"] and references(db_path) == refs
    else:
        assert _sha(target) == before
    assert not list(db_path.parent.rglob("*.part"))


def test_backup_out_folder_writes_a_file_into_it(desk: tuple[Path, str, Path],
                                                 tmp_path: Path) -> None:
    db_path, ref, _stick = desk
    folder = tmp_path / "移动硬盘"
    folder.mkdir()
    done = _cli(db_path, "backup", "--out", str(folder))
    assert done.returncode == 0, done.stderr
    made = list(folder.glob("desk-*-manual.zip"))
    assert len(made) == 1 and str(made[0]) in done.stdout
    with zipfile.ZipFile(made[0]) as zf:
        assert {"manifest.json", "database.db"} <= set(zf.namelist())


def test_the_window_says_the_same(qtbot: Any, desk: tuple[Path, str, Path],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import file_dialogs, messages
    from ui.context import DeskContext
    from ui.reports.reports_view import ReportsView

    db_path, _ref, _stick = desk
    db = Database(resolve(str(db_path)))
    view = ReportsView(DeskContext(db=db, actor=ADMIN))
    qtbot.addWidget(view)
    view.report = type("Built", (), {"path": db_path.parent / "built.pdf", "lang": "en",
                                     "month": "2026-03"})()
    view.report.path.write_bytes(b"%PDF-1.4 report")
    warned: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, *a, **k: warned.append(text))
    inside = db.paths.data_dir / "report.pdf"
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *a, **k: (str(inside), ""))
    before = references(db_path)
    view.save_as()
    assert warned and "Nothing was written" in warned[0] and "own folder" in warned[0]
    assert not inside.exists()
    assert references(db_path) == before and integrity(db_path) == ["ok"]
    with pytest.raises(DeskError):
        guard_output(db, Path(f"{db_path}-wal"))
    db.dispose()


def test_the_windows_excel_export_is_refused_the_same_way(
        qtbot: Any, desk: tuple[Path, str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import file_dialogs, messages
    from ui.context import DeskContext
    from ui.reports.reports_view import ReportsView

    db_path, _ref, _stick = desk
    db = Database(resolve(str(db_path)))
    view = ReportsView(DeskContext(db=db, actor=ADMIN))
    qtbot.addWidget(view)
    said: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, *a, **k: said.append(text))
    monkeypatch.setattr(messages, "inform", lambda _p, text, *a, **k: said.append(text))
    # The box adds .xlsx to the name typed: the database's own folder is what a clerk can hit.
    inside = db.paths.data_dir / "attachments" / "month.xlsx"
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *a, **k: (str(inside), ""))
    refs = references(db_path)
    view.exports.export("xlsx")
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert "Nothing was written" in said[0] and "own folder" in said[0], said
    assert not inside.exists() and references(db_path) == refs
    db.dispose()
