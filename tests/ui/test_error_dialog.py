"""Unexpected errors: an exception raised inside a slot shows the dialog (plain words, the log
file, nothing lost), is logged with its traceback, leaves the database untouched and the draft
kept, and the program keeps running."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, qWarning
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app import clock
from app.db import Database
from app.drafts import load_draft
from app.logging_setup import install_logging, log_file, uninstall_logging
from app.models import Customer
from tests.complaint_factory import snapshot
from ui import error_dialog
from ui.context import DeskContext
from ui.error_dialog import ErrorReporter, plain_words

pytestmark = pytest.mark.qt_no_exception_capture  # our hook must see the exceptions


@pytest.fixture
def reporter(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[ErrorReporter]:
    opened: list[str] = []
    monkeypatch.setattr(error_dialog.QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    path = install_logging(db.paths)
    found = error_dialog.install_error_reporting(path)
    found.opened = opened  # type: ignore[attr-defined]
    yield found
    if found.dialog is not None:
        found.dialog.close()
    error_dialog.uninstall_error_reporting()
    uninstall_logging()


def shown(qtbot: QtBot, reporter: ErrorReporter) -> error_dialog.ErrorDialog:
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    assert reporter.dialog is not None
    return reporter.dialog


def test_an_exception_in_a_slot_shows_the_dialog_and_the_program_goes_on(
        qtbot: QtBot, db: Database, reporter: ErrorReporter) -> None:
    button = QPushButton()
    qtbot.addWidget(button)

    def broken_slot() -> None:
        {}["no such key"]  # noqa: B018 - the bug under test

    button.clicked.connect(broken_slot)
    button.click()
    dialog = shown(qtbot, reporter)
    assert "KeyError" in dialog.summary.text()
    assert "Nothing you saved was lost" in dialog.reassure.text()
    assert str(log_file(db.paths)) in dialog.where.text()
    logged = log_file(db.paths).read_text(encoding="utf-8")
    assert "Unexpected error\n" in logged  # the bug is in the test: no program place named
    assert "Traceback" in logged and "broken_slot" in logged
    # A second error while the dialog shows: counted, no second dialog.
    button.click()
    assert reporter.dialog is dialog
    qtbot.waitUntil(lambda: not dialog.repeats.isHidden())
    assert "2 times" in dialog.repeats.text()
    dialog.folder_button.click()
    assert reporter.opened == [str(log_file(db.paths).parent)]  # type: ignore[attr-defined]
    dialog.details_button.click()
    assert "broken_slot" in dialog.details.toPlainText()
    # The program keeps running: timers and slots still work after the dialog is closed.
    dialog.continue_button.click()
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired))


def test_a_failed_save_leaves_the_data_untouched_and_the_draft_kept(
        qtbot: QtBot, ctx: DeskContext, db: Database, reporter: ErrorReporter,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.intake import intake_form
    from ui.intake.intake_form import IntakeForm
    from ui.main_window import MainWindow

    def half_done_then_broken(database: Database, data: object, actor: object) -> None:
        with database.write() as session:  # a write started, then the bug: rolled back
            session.add(Customer(name="周女士", phone="13800138000", tier="ordinary",
                                 created_at=clock.now()))
            session.flush()
            raise RuntimeError("disk controller hiccup")

    monkeypatch.setattr(intake_form, "log_complaint", half_done_then_broken)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    form = window.view("intake")
    assert isinstance(form, IntakeForm)
    form.fields.customer.phone.setText("13800138000")
    form.fields.description.setPlainText("Hair dye left a rash on the scalp; wants a refund.")
    form.fields.channel.set_code("counter")
    before = snapshot(db)
    QTimer.singleShot(0, form.save)  # the Save shortcut's slot, from the event loop
    dialog = shown(qtbot, reporter)
    assert "disk controller hiccup" in dialog.summary.text()
    assert snapshot(db) == before  # nothing written, not even the customer
    draft = load_draft(db.paths.drafts, form.draft_name())
    assert draft is not None
    assert draft.fields["description"] == "Hair dye left a rash on the scalp; wants a refund."
    assert form.fields.description.toPlainText().startswith("Hair dye")  # still on screen


def test_an_exception_in_a_worker_thread_is_shown_too(qtbot: QtBot,
                                                      reporter: ErrorReporter) -> None:
    def work() -> None:
        raise OSError(28, "No space left on device", "/data/complaints.db")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    dialog = shown(qtbot, reporter)
    assert "No space left on device (/data/complaints.db)" in dialog.summary.text()


def test_qt_warnings_go_to_the_log(db: Database, reporter: ErrorReporter) -> None:
    qWarning("a Qt warning for the log")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "a Qt warning for the log" in log_file(db.paths).read_text(encoding="utf-8")


def test_plain_words_in_the_users_language() -> None:
    from app.errors import ValidationError
    from app.i18n import set_language

    assert plain_words(MemoryError()) == "The computer ran out of memory."
    set_language("zh-Hans")
    assert plain_words(PermissionError(13, "Permission denied", "x.pdf")).startswith(
        "文件无法读取或写入")
    assert plain_words(ValidationError("phone", "is required")) == "电话：为必填项"


def test_the_log_rotates(tmp_path: Path) -> None:
    from app.logging_setup import BACKUP_COUNT, MAX_BYTES
    from app.paths import resolve

    paths = resolve(str(tmp_path / "rot.db"))
    try:
        install_logging(paths)
        for _n in range((BACKUP_COUNT + 2) * MAX_BYTES // 1000):
            logging.getLogger("complaint_desk").info("x" * 1000)
    finally:
        uninstall_logging()
    logs = [p for p in paths.logs.iterdir() if p.name != ".__complaint-desk.lock"]  # the
    files = sorted(p.name for p in logs)  # processes' lock (app/logging_setup.py) aside
    assert files == ["complaint-desk.log"] + [f"complaint-desk.log.{n}"
                                             for n in range(1, BACKUP_COUNT + 1)]
    # A file may end with the record that took it past the size (the rotation comes next).
    assert all(p.stat().st_size <= MAX_BYTES + 2000 for p in logs)
