"""Runs the self-test's checks, one printed line each, on a temporary demo desk."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.i18n import _
from ui.selftest.outcomes import Checks


def _isolate_settings(folder: Path) -> None:
    """QSettings (window geometry, printers, the chosen language) go to the temporary folder:
    the PC's own settings stay as they are."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(folder / "settings"))


@contextmanager
def _qt_messages_held() -> Iterator[list[str]]:
    """Qt's own warnings (the offscreen platform's notes about window hints) would bury the
    check lines: they are held and printed only when a check failed."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    held: list[str] = []

    def keep(_mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        held.append(message)

    previous = qInstallMessageHandler(keep)
    try:
        yield held
    finally:
        qInstallMessageHandler(previous)


def run_selftest(keep: str | None = None, echo: Callable[[str], None] = print) -> int:
    """Run every check; 0 when all passed, 1 otherwise. `keep`: a folder to leave the desk,
    the PDFs, the workbook and the screenshots in (else a temporary one, removed after)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # nothing flashes on the counter
    os.environ.pop("COMPLAINT_DESK_DB", None)
    started = time.perf_counter()
    if keep:
        folder = Path(keep).expanduser().resolve()
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="complaint-desk-selftest-"))
    checks = Checks(echo)
    try:
        with _qt_messages_held() as qt_messages:
            status = _run_checks(checks, folder, started, echo)
        if status and qt_messages:
            print("\n".join(dict.fromkeys(qt_messages)), file=sys.stderr)
        return status
    finally:
        from ui.tasks import wait_for_tasks

        wait_for_tasks()
        if keep:
            echo(_("Files kept in {folder}", folder=str(folder)))
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _run_checks(checks: Checks, folder: Path, started: float,
                echo: Callable[[str], None]) -> int:
    _isolate_settings(folder)
    import ui.selftest.desk_checks as desk_checks  # not via the package, which imports this module
    import ui.selftest.qt_checks as qt_checks
    from ui.selftest.desk import SelfTestDesk

    app = qt_checks.start_qt()
    checks.run(_("font"), qt_checks.font_check)
    checks.run(_("translations"), desk_checks.catalogs_check)
    checks.run(_("server password store"), desk_checks.credentials_check)
    for name, check in qt_checks.plugin_checks():
        checks.run(name, check)
    desk = SelfTestDesk(folder)
    if not checks.run(_("demo desk"), desk.create).ok:
        return _finish(checks, started, echo)
    checks.run(_("program modules"), qt_checks.modules_check)
    window_checks = qt_checks.WindowChecks(app, desk, folder / "screens")
    checks.run(_("main window"), window_checks.open)
    if window_checks.window is not None:
        for name, check in window_checks.view_checks():
            checks.run(name, check)
        checks.run(_("languages"), window_checks.languages)
        for name, check in window_checks.dialog_checks():
            checks.run(name, check)
        window_checks.close()
    for name, check in desk_checks.document_checks(desk):
        checks.run(name, check)
    desk.close()
    return _finish(checks, started, echo)


def _finish(checks: Checks, started: float, echo: Callable[[str], None]) -> int:
    failed = sum(not o.ok for o in checks.outcomes)
    seconds = time.perf_counter() - started
    if failed:
        echo(_("selftest: {failed} of {total} checks FAILED ({seconds:.0f} s)",
               failed=failed, total=len(checks.outcomes), seconds=seconds))
        return 1
    echo(_("selftest: all {total} checks passed ({seconds:.0f} s)",
           total=len(checks.outcomes), seconds=seconds))
    return 0
