"""Choosing this PC's database: a SQLite file or a PostgreSQL server, "Test connection" off the
UI thread, the choice remembered in QSettings for the next start, and a server that cannot be
reached at start reopening the dialog instead of a crash."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMenu
from pytestqt.qtbot import QtBot

from app.i18n import set_language
from app.paths import ENV_DB
from app.services.connection_test import FAILED, READY, ProbeResult
from ui import database_dialog, messages
from ui.context import DeskContext
from ui.database_dialog import (
    DatabaseDialog,
    chosen_location,
    install_action,
    location_at_start,
    remember_location,
    remembered_location,
)

SERVER = "postgresql+psycopg://desk:pa%40ss@10.0.0.5:5433/complaints"


@pytest.fixture
def dialog(qtbot: QtBot) -> DatabaseDialog:
    d = DatabaseDialog(None)
    qtbot.addWidget(d)
    return d


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DB, raising=False)



@pytest.fixture(autouse=True)
def settled() -> Iterator[None]:
    """Leave no background task running and no Qt garbage behind: collected later, during
    another test's background work, such garbage has crashed PySide6 (a GC-timing bug)."""
    yield
    QThreadPool.globalInstance().waitForDone(10000)
    QApplication.processEvents()
    gc.collect()

def test_server_fields_make_the_url_and_back(dialog: DatabaseDialog) -> None:
    dialog.set_location(SERVER)
    assert dialog.server_radio.isChecked() and not dialog.file_box.isEnabled()
    assert (dialog.host_edit.text(), dialog.port_spin.value(), dialog.name_edit.text(),
            dialog.user_edit.text(), dialog.password_edit.text()) == (
        "10.0.0.5", 5433, "complaints", "desk", "pa@ss")
    assert dialog.location() == SERVER
    dialog.set_location("/data/desk.db")
    assert dialog.file_radio.isChecked() and dialog.location() == "/data/desk.db"


def test_test_connection_reports_this_database(qtbot: QtBot, dialog: DatabaseDialog,
                                               db_arg: str) -> None:
    """The run's own database (a file, or the server in a PostgreSQL run) answers 'ready'."""
    dialog.set_location(db_arg)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=20000)
    assert dialog.last_result is not None and dialog.last_result.state == READY
    assert "Ready: 0 complaints" in dialog.result_label.text()
    assert dialog.test_button.isEnabled()


def test_an_unreachable_server_is_said_and_kept_only_if_asked(
        qtbot: QtBot, dialog: DatabaseDialog, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog.set_location("postgresql+psycopg://desk@127.0.0.1:1/complaints")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=20000)
    assert dialog.last_result is not None and dialog.last_result.state == FAILED
    assert "Cannot use" in dialog.result_label.text() and "127.0.0.1" in dialog.result_label.text()
    answers: list[bool] = [False, True]
    monkeypatch.setattr(messages, "ask", lambda *_a, **_k: answers.pop(0))
    dialog.accept()
    assert remembered_location() is None and dialog.result() != QDialog.DialogCode.Accepted
    dialog.accept()
    assert remembered_location() == "postgresql+psycopg://desk@127.0.0.1:1/complaints"


def test_a_missing_field_is_named_and_nothing_is_kept(
        dialog: DatabaseDialog, monkeypatch: pytest.MonkeyPatch) -> None:
    warned: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, *_a: warned.append(text))
    dialog.server_radio.setChecked(True)
    dialog.host_edit.setText("desk-server")
    dialog.accept()
    assert warned == ["Database name is required"] and remembered_location() is None
    dialog.test_button.click()  # the test button says the same, without connecting
    assert dialog.result_label.text() == "Database name is required"


def test_the_choice_is_used_at_the_next_start(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    remember_location(str(tmp_path / "counter.db"))
    assert chosen_location(None) == str(tmp_path / "counter.db")
    assert chosen_location("/given.db") == "/given.db"  # --db still wins
    monkeypatch.setenv(ENV_DB, "/env.db")
    assert chosen_location(None) == "/env.db"  # and so does COMPLAINT_DESK_DB
    monkeypatch.delenv(ENV_DB)
    # A file is opened as it is (damage is app/damage.py's business): no probe.
    assert location_at_start(None, check=lambda _v: pytest.fail("probed")) == (
        True, str(tmp_path / "counter.db"))


def test_an_unreachable_server_at_start_reopens_the_dialog(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    remember_location(SERVER)
    shown: list[str] = []

    def answer(self: DatabaseDialog) -> int:  # the user reads the reason, picks a file
        shown.append(self.result_label.text())
        self.set_location(str(tmp_path / "here.db"))
        self.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DatabaseDialog, "exec", answer)
    down = ProbeResult(FAILED, "postgresql+psycopg://desk@10.0.0.5:5433/complaints",
                       error="connection refused")
    assert location_at_start(None, check=lambda _v: down) == (True, str(tmp_path / "here.db"))
    assert "connection refused" in shown[0] and "pa@ss" not in shown[0]
    assert remembered_location() == str(tmp_path / "here.db")

    remember_location(SERVER)
    monkeypatch.setattr(DatabaseDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert location_at_start(None, check=lambda _v: down) == (False, None)  # quit: no start


def test_texts_follow_the_language(dialog: DatabaseDialog) -> None:
    set_language("zh-Hans")
    dialog.retranslate()
    assert dialog.test_button.text() == "测试连接"
    assert dialog.server_labels[0].text() == "服务器"
    set_language("zh-Hant")
    dialog.retranslate()
    assert dialog.test_button.text() == "測試連線"


def test_the_data_menu_offers_the_dialog(qtbot: QtBot, ctx: DeskContext,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    data = window.menuBar().addMenu("Data")
    data.setObjectName("menu_data")
    action = install_action(window, ctx.signals.language_changed)
    assert action in data.actions() and action.text() == "Database connection…"
    opened: list[Any] = []
    monkeypatch.setattr(database_dialog, "open_database_dialog",
                        lambda *args: opened.append(args))
    set_language("zh-Hans")
    ctx.signals.language_changed.emit("zh-Hans")
    assert action.text() == "数据库连接…"
    action.trigger()
    assert len(opened) == 1
    assert window.findChild(QMenu, "menu_database") is None  # no second menu


def test_the_menus_dialog_shows_the_database_actually_open(
        qtbot: QtBot, ctx: DeskContext, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Started with --db on one file while this PC remembers another: Data ▸ Database
    connection… names and fills in the one the window works with."""
    remember_location(str(tmp_path / "remembered.db"))
    shown: list[DatabaseDialog] = []

    def capture(self: DatabaseDialog) -> int:
        shown.append(self)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(DatabaseDialog, "exec", capture)
    window = QMainWindow()
    qtbot.addWidget(window)
    action = install_action(window, ctx.signals.language_changed, ctx.db.paths)
    action.trigger()
    dialog = shown[0]
    assert dialog.open_label.text() == f"Open now: {ctx.db.paths.describe()}"
    assert "remembered.db" not in dialog.open_label.text()
    if ctx.db.paths.db_file is not None:
        assert dialog.file_radio.isChecked()
        assert dialog.file_edit.text() == str(ctx.db.paths.db_file)
    else:  # the PostgreSQL run: the server the tests use
        assert dialog.server_radio.isChecked()
        assert dialog.location() == ctx.db.paths.db_url
