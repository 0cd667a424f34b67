"""When something unexpected goes wrong: log it, keep what the user was typing, say so plainly.

`install_error_reporting` makes every unexpected exception — in a slot, an event handler or a
worker thread — go to the log with its traceback and show one dialog that says in plain words
what happened, that nothing saved was lost (the form being typed is written to its draft at
that moment), and where the log file is. The program keeps running. Qt's own warnings go to
the log as well. Exceptions the screens expect (a refused input) never reach here.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    QUrl,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import DBAPIError

from app.errors import DeskError
from app.i18n import _

log = logging.getLogger("complaint_desk.errors")
ROOT = Path(__file__).resolve().parents[1]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
             QtMsgType.QtFatalMsg: logging.CRITICAL}


def plain_words(error: BaseException) -> str:
    """What happened, for the person at the counter (the traceback is for the log)."""
    if isinstance(error, DeskError):
        return error.message()
    if isinstance(error, MemoryError):
        return _("The computer ran out of memory.")
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        name = f" ({error.filename})" if error.filename else ""
        return _("A file could not be read or written: {reason}", reason=f"{reason}{name}")
    if isinstance(error, DBAPIError):
        return _("The database could not be used just now: {reason}",
                 reason=str(error.orig or error)[:200])
    text = str(error).strip()
    return _("An internal error in the program: {kind}{message}", kind=type(error).__name__,
             message=f" ({text[:200]})" if text else "")


def where(tb: TracebackType | None) -> str:
    """The program's own innermost frame ("ui/intake/intake_form.py:270, save")."""
    found = ""
    for frame in traceback.extract_tb(tb):
        try:
            relative = Path(frame.filename).resolve().relative_to(ROOT)
        except ValueError:
            continue  # a library's frame
        if relative.parts[0] in ("app", "ui"):
            found = f"{relative.as_posix()}:{frame.lineno}, {frame.name}"
    return found


def keep_drafts() -> None:
    """Write what the open forms hold to their drafts now (each view that keeps one)."""
    for widget in QApplication.topLevelWidgets():
        views = getattr(widget, "views", None)
        if not isinstance(views, dict):
            continue
        for view in views.values():
            flush = getattr(view, "flush", None)
            if callable(flush):
                try:
                    flush()
                except Exception:  # noqa: BLE001 - the draft is best effort here
                    log.exception("could not write a draft after an error")


class ErrorDialog(QDialog):
    def __init__(self, summary: str, details: str, log_path: Path | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(_("Something went wrong"))
        self.log_path = log_path
        self.details_text = details
        self.count = 1
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.summary = QLabel(_("The program ran into a problem it did not expect: {what}",
                                what=summary))
        self.reassure = QLabel(_("Nothing you saved was lost, and the form you were typing is "
                                 "kept as a draft. You can carry on working."))
        where_text = (_("The details were written to the log file: {path}", path=str(log_path))
                      if log_path else _("The log file could not be written."))
        self.where = QLabel(where_text + " " + _("If this happens again, give that file to "
                                                   "whoever looks after this computer."))
        self.repeats = QLabel()
        self.repeats.setStyleSheet("color: #6b4300;")
        self.repeats.hide()
        for text in (self.summary, self.reassure, self.where):
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setStyleSheet("font-weight: bold;")
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(160)
        self.details.hide()
        buttons = QDialogButtonBox()
        self.continue_button = buttons.addButton(_("Continue working"),
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.folder_button = QPushButton(_("Open the log folder"))
        self.folder_button.setEnabled(log_path is not None)
        self.folder_button.clicked.connect(self.open_folder)
        self.copy_button = QPushButton(_("Copy the details"))
        self.copy_button.clicked.connect(self.copy_details)
        self.details_button = QPushButton(_("Show details"))
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self.details.setVisible)
        for button in (self.details_button, self.copy_button, self.folder_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        texts = QVBoxLayout()
        for widget in (self.summary, self.reassure, self.where, self.repeats):
            texts.addWidget(widget)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(texts, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.continue_button.setDefault(True)

    def again(self) -> None:
        """Another unexpected error while this one is shown: count it, no second dialog."""
        self.count += 1
        self.repeats.setText(_("This happened {count} times in a row; all are in the log.",
                               count=self.count))
        self.repeats.show()

    def open_folder(self) -> None:
        if self.log_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_path.parent)))

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text)


class ErrorReporter(QObject):
    """Receives unexpected exceptions from any thread; shows them on the GUI thread."""

    reported = Signal(str, str)  # summary, details (queued from worker threads)

    def __init__(self, log_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self.dialog: ErrorDialog | None = None
        self.previous_hooks: tuple[Any, Any, Any] | None = None
        self.reported.connect(self.show_dialog, Qt.ConnectionType.QueuedConnection)

    # ---- hooks ------------------------------------------------------------------------------
    def excepthook(self, kind: type[BaseException], error: BaseException,
                   tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        self.handle((kind, error, tb))

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.handle((args.exc_type, args.exc_value, args.exc_traceback))

    def qt_message(self, mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        logging.getLogger("qt").log(QT_LEVELS.get(mode, logging.WARNING), "%s", message)

    def handle(self, info: ExcInfo) -> None:
        """Log, keep drafts, then show (on the GUI thread)."""
        kind, error, tb = info
        place = where(tb)
        log.error("Unexpected error%s", f" in {place}" if place else "", exc_info=info)
        details = "".join(traceback.format_exception(kind, error, tb))
        app = QApplication.instance()
        on_gui = app is not None and threading.current_thread() is threading.main_thread()
        if on_gui:
            keep_drafts()
        self.reported.emit(plain_words(error), details)

    def show_dialog(self, summary: str, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.again()
            return
        keep_drafts()
        parent = QApplication.activeWindow()
        self.dialog = ErrorDialog(summary, details, self.log_path, parent)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.destroyed.connect(self._forget)
        # Shown without a nested event loop: the slot that failed has already returned.
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.show()
        self.dialog.raise_()

    def _forget(self, *_args: object) -> None:
        self.dialog = None

    # ---- install ------------------------------------------------------------------------------
    def install(self) -> None:
        self.previous_hooks = (sys.excepthook, threading.excepthook, None)
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_hook
        previous_qt = qInstallMessageHandler(self.qt_message)
        self.previous_hooks = (self.previous_hooks[0], self.previous_hooks[1], previous_qt)

    def uninstall(self) -> None:
        if self.previous_hooks is None:
            return
        sys.excepthook, threading.excepthook, previous_qt = self.previous_hooks
        qInstallMessageHandler(previous_qt)
        self.previous_hooks = None


_reporter: ErrorReporter | None = None


def install_error_reporting(log_path: Path | None) -> ErrorReporter:
    """Route unexpected exceptions to the log and the error dialog (once per program)."""
    global _reporter
    if _reporter is not None:
        _reporter.log_path = log_path
        return _reporter
    _reporter = ErrorReporter(log_path, QApplication.instance())
    _reporter.install()
    return _reporter


def uninstall_error_reporting() -> None:
    global _reporter
    if _reporter is not None:
        _reporter.uninstall()
        _reporter = None


def reporter() -> ErrorReporter | None:
    return _reporter

