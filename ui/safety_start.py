"""What the window does for data safety at start (issue 8), called from ui/application.run_gui:

- `start`: one window per database (a second start brings the first forward and quits);
  a damaged database file gets the recovery dialog instead of a crash;
- `attach`: once the window shows: bring-to-front wiring, the daily backup in the background,
  and the "Backup and restore…" action (Ctrl+Shift+B) in a Data menu.
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow

from app import live_file
from app.damage import DamagedDatabase
from app.db import Database
from app.errors import DeskError
from app.i18n import _
from app.paths import resolve
from app.schema_versions import OtherCountersConnected
from ui import messages
from ui.context import DeskContext
from ui.shortcuts import keys
from ui.single_instance import SingleInstance, bring_to_front, claim
from ui.tasks import run_task

SHORTCUT = keys("window.backup")
_running: list[tuple[threading.Event, threading.Event]] = []  # daily backups: cancel, finished


@dataclass
class SafeStart:
    db: Database
    guard: SingleInstance | None


def start(db_arg: str | None) -> SafeStart | None:
    """The opened database, or None when this start should end (another window was brought
    forward, or the user quit instead of restoring a damaged file)."""
    from app.migrate import open_database
    from ui.damaged_dialog import offer_recovery

    paths = resolve(db_arg)
    guard = claim(paths)
    if guard is None:
        return None
    while True:
        try:
            db = open_database(db_arg)
            if db.is_sqlite:
                # While the window is open, the program's other processes (check, backup,
                # import, restore) leave its WAL alone (app/live_file.py).
                live_file.hold_desk_lock(paths.data_dir)
            return SafeStart(db, guard)
        except DamagedDatabase as e:
            if offer_recovery(e, paths) is None:
                return None
        except OtherCountersConnected as e:  # a newer program waits for the other counters
            from ui.schema_wait import wait_for_other_counters

            if not wait_for_other_counters(e, db_arg):
                return None
        except DeskError as e:  # e.g. a database from a newer program version
            messages.warn(None, e.message())
            return None


def attach(window: QMainWindow, ctx: DeskContext, safe: SafeStart) -> None:
    if safe.guard is not None:
        safe.guard.activated.connect(lambda: bring_to_front(window))
    _install_action(window, ctx)
    _daily_backup(window, ctx)
    atexit.register(_clean_close, ctx.db)


def _clean_close(db: Database) -> None:
    """At exit: let a daily backup still running stop (it leaves no half file), close the
    connections (the last one checkpoints the WAL away) and note the file, so that the next
    start can skip the full page scan (app/damage.py)."""
    from app.damage import remember_clean_close

    for cancel, finished in _running:
        cancel.set()
        finished.wait(60)
    db.dispose()
    if db.paths.db_file is not None:
        remember_clean_close(db.paths.db_file, db.paths.data_dir)
        live_file.drop_desk_lock(db.paths.data_dir)


def _install_action(window: QMainWindow, ctx: DeskContext) -> None:
    from ui.backup_dialog import open_backup_dialog

    menu = window.menuBar().addMenu("")
    menu.setObjectName("menu_data")
    action = QAction(window)
    action.setObjectName("action_backup")
    action.setShortcut(QKeySequence(SHORTCUT))
    action.triggered.connect(lambda: open_backup_dialog(ctx, window))
    menu.addAction(action)
    window.addAction(action)

    def retranslate(_lang: str = "") -> None:
        menu.setTitle(_("&Data"))
        action.setText(_("Backup and restore…"))

    retranslate()
    ctx.signals.language_changed.connect(retranslate)


def _daily_backup(window: QMainWindow, ctx: DeskContext) -> None:
    """At most once a day, off the UI thread; the status bar says how it went. Quitting the
    program cancels it (between two megabytes); the next start makes it then."""
    from app.services.backups import BackupCancelled, auto_backup_if_due

    cancel, finished = threading.Event(), threading.Event()
    _running.append((cancel, finished))
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(cancel.set)

    def work():  # type: ignore[no-untyped-def]
        try:
            return auto_backup_if_due(db, cancelled=cancel.is_set)
        finally:
            finished.set()

    def done(info):  # type: ignore[no-untyped-def]
        if info is not None:
            text = _("Daily backup written: {file}", file=info.path.name)
            window.statusBar().showMessage(f"{text} {info.note}".strip(), 15000)

    def failed(error: BaseException) -> None:
        if isinstance(error, BackupCancelled):
            return
        reason = error.message() if isinstance(error, DeskError) else str(error)
        messages.warn(window, _("The daily backup could not be made: {reason}", reason=reason))

    db = ctx.db
    run_task(work, done, failed)
