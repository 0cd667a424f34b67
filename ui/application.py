"""Start the window: Qt application, shipped font, database at the current schema.

The window's frame shows first, before SQLAlchemy, Alembic and the database (start-up is what
a clerk waits for: issue 18); opening the database, its checks, the sign-in and the first
view follow over it, each dialog in the frame's language."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from app.i18n import get_language, normalise_language, set_language
from ui import gui_gc, shown_marker
from ui.context import DeskContext
from ui.fonts import install_font
from ui.main_window import MainWindow
from ui.qt_translations import apply_qt_language
from ui.settings_file import configure_settings

if TYPE_CHECKING:
    from app.services.common import Actor
    from ui import safety_start

ORG, APP = "ComplaintDesk", "ComplaintDesk"


def make_qapp(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv or sys.argv[:1])
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    configure_settings()  # an INI file, not Windows' registry (ui/settings_file.py)
    install_font(app)
    gui_gc.install()  # Qt objects are freed on the GUI thread only (ui/gui_gc.py)
    return app


def default_actor(ctx_db) -> Actor:  # type: ignore[no-untyped-def]
    """Until sign-in lands: the first supervisor, else the system."""
    from app.permissions import APPROVE_COMPENSATION, can
    from app.services.common import SYSTEM
    from app.services.users import list_staff

    staff = list_staff(ctx_db)
    for member in staff:
        if can(member, APPROVE_COMPENSATION):
            return member.as_actor()
    return staff[0].as_actor() if staff else SYSTEM


def run_gui(args: argparse.Namespace) -> int:
    app = make_qapp()
    if args.lang:
        set_language(args.lang)
    else:
        frame_language(QSettings())
    # Qt's own texts and date forms from the first dialog on (database, damage, sign-in).
    apply_qt_language(app, get_language())
    # The frame first: a clerk sees the program respond at once; the database opens behind
    # "Opening the database…" (the frame's menus: Quit and the language work already).
    frame = MainWindow(None, QSettings())
    frame.show_window()
    app.processEvents()  # painted before the database work holds the GUI thread
    if shown_marker.exit_after_show():
        shown_marker.report_shown(None, "frame")

    def go_on() -> None:
        code = open_desk_in(frame, app, args)
        if code is not None:
            frame.hide()
            app.exit(code)

    QTimer.singleShot(0, go_on)
    return app.exec()


def open_desk_in(frame: MainWindow, app: QApplication, args: argparse.Namespace) -> int | None:
    """Open the database, sign in (or set a new desk up) and fill the frame; the exit code
    when the program should end instead (a dialog cancelled), None when the desk is open."""
    from app.paths import resolve
    from ui import housekeeping, safety_start
    from ui.database_dialog import location_at_start

    # This PC's database (--db, $COMPLAINT_DESK_DB, else the one chosen in the Database
    # dialog); a server that cannot be reached reopens that dialog (ui/database_dialog.py).
    go_on, db_arg = location_at_start(args.db)
    if not go_on:
        return 0
    # Housekeeping (issue 12, ui/housekeeping.py): the rotating log in the data folder and the
    # unexpected-error dialog, before the database opens; Tools and Help menus after.
    housekeeping.start(resolve(db_arg))
    # Data safety (issue 8, ui/safety_start.py): one window per database, damaged-file
    # recovery instead of a crash; after: bring-to-front, daily backup, backup menu.
    safe = safety_start.start(db_arg)
    if safe is None:
        return 0
    db = safe.db
    choose_language(args, db)
    QSettings().setValue(LAST_LANGUAGE, get_language())  # the next start's frame speaks it
    apply_qt_language(app, get_language())
    frame.retranslate()
    # Staff accounts (issue 7, ui/sign_in.py): once the desk has accounts, sign in first.
    from app.services.users import has_accounts
    from ui import sign_in

    actor = (sign_in.sign_in_at_start(db, args.user) if has_accounts(db)
             else set_up_if_new(db))
    if actor is None or not frame.isVisible():  # cancelled, or the frame closed meanwhile
        return 0
    ctx = DeskContext(db=db, actor=actor)
    open_window(app, ctx, safe, frame)
    if shown_marker.exit_after_show():
        QTimer.singleShot(0, lambda: shown_marker.report_shown(app))
    return None


def open_window(app: QApplication, ctx: DeskContext, safe: safety_start.SafeStart,
                frame: MainWindow | None = None) -> MainWindow:
    """The main window with everything the program attaches to it, shown (`frame`: the one
    already on screen). `selftest` opens the window through here too, so it checks what a
    counter gets."""
    from ui import alert_watch, housekeeping, safety_start, sign_in
    from ui.database_dialog import install_action

    apply_qt_language(app, get_language())
    ctx.signals.language_changed.connect(lambda lang: apply_qt_language(app, lang))
    window = frame or MainWindow(None, QSettings())
    if frame is None:
        window.show_window()
    window.open_desk(ctx)
    safety_start.attach(window, ctx, safe)
    install_action(window, ctx.signals.language_changed, ctx.db.paths)
    from ui.printers_dialog import install_action as install_printers_action

    install_printers_action(window, ctx)
    housekeeping.attach(window, ctx)
    from ui.handover_dialog import install_action as install_handover_action

    install_handover_action(window, ctx)  # Tools ▸ Shift hand-over sheet (Ctrl+Shift+H)
    sign_in.attach(window, ctx)  # Account menu, switch user, idle sign-out, retention
    from ui.data_transfer.menu import install_actions

    install_actions(window, ctx)  # Data ▸ Import…, Data ▸ Export CSV… (issue 17)
    alert_watch.attach(window, ctx)  # the escalation clock, the supervisors' alert badge
    return window


LAST_LANGUAGE = "ui/last_language"  # the language the window showed last on this PC


def frame_language(settings: QSettings) -> None:
    """Before the database opens: this PC's choice, else the language the window last
    showed here (a Chinese desk on an English Windows shows its frame in Chinese, not in
    English for the second it takes to open). $COMPLAINT_DESK_LANG wins, as always."""
    if os.environ.get("COMPLAINT_DESK_LANG"):
        return
    chosen = settings.value("ui/language") or settings.value(LAST_LANGUAGE)
    if chosen:
        with contextlib.suppress(ValueError):  # a value from an older version: ignore it
            set_language(normalise_language(str(chosen)))


def choose_language(args: argparse.Namespace, db) -> None:  # type: ignore[no-untyped-def]
    """--lang, else $COMPLAINT_DESK_LANG, else this PC's choice (language menu), else the desk's
    language chosen at first start; app.cli already applied the first two or the system's."""
    if args.lang or os.environ.get("COMPLAINT_DESK_LANG"):
        return
    from app.services.desk_setup import stored_language

    chosen = QSettings().value("ui/language") or stored_language(db)
    if chosen:
        with contextlib.suppress(ValueError):  # a value from an older version: ignore it
            set_language(normalise_language(str(chosen)))


def set_up_if_new(db) -> Actor | None:  # type: ignore[no-untyped-def]
    """The signed-in person; on a database without accounts the first-start dialog runs first
    (None when it is cancelled: the program ends without changing anything)."""
    from app.services.desk_setup import needs_first_start

    if not needs_first_start(db):
        return default_actor(db)
    from ui.first_start import FirstStartDialog

    dialog = FirstStartDialog(db)
    if shown_marker.exit_after_show():  # smoke test: the dialog shows, then ends
        def shown_then_close() -> None:
            shown_marker.report_shown(None, "first-start")
            dialog.reject()

        QTimer.singleShot(0, shown_then_close)
    if dialog.exec() != FirstStartDialog.DialogCode.Accepted or dialog.member is None:
        return None
    return dialog.member.as_actor()
