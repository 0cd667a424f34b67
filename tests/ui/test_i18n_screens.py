"""Every screen in 简体中文, 繁體中文 and English at 1366×768 cuts no text off (issue 9).

The main window shows each view (intake, queue, a complaint waiting for approval and a closed
one, revisits, dashboard, reports, typical cases) and each dialog is opened on its own; `cut_texts` lists any
label, button, group title, combo item, tab or column header narrower than its text.

Set COMPLAINT_DESK_SHOTS=/some/folder to also save a screenshot of every screen there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import set_language
from app.services import resolution
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from tests.reports import month_scenario as scenario
from tests.ui.cut_text import cut_texts, too_big
from ui.context import DeskContext
from ui.main_window import MainWindow
from ui.qt_translations import apply_qt_language

march_cache, march = scenario.march_cache, scenario.march  # fixtures, used by name

LANGS = ("zh-Hans", "zh-Hant", "en", "pseudo")
# 1366×768 less a taskbar and a title bar: what a maximised window has inside.
WIDTH, HEIGHT = 1366, 700
SHOTS = os.environ.get("COMPLAINT_DESK_SHOTS")


def shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    lang: str = request.param
    set_language(lang)
    apply_qt_language(qapp, lang)
    yield lang
    apply_qt_language(qapp, "en")


@pytest.fixture
def waiting(db: Database, march: dict[str, str], clerk: Actor) -> str:
    """A complaint whose refund waits for a supervisor (approval buttons shown)."""
    ref = log_complaint(db, IntakeInput(
        description="试衣间地面湿滑摔倒，膝盖擦伤，要求赔偿医药费并道歉。", customer_name="Lam Ka Yan 林嘉欣",
        phone="13666667777", category="safety"), clerk).reference
    resolution.assess(db, ref, category="safety", severity="serious", owner_id=clerk.user_id,
                      actor=clerk)
    resolution.propose_solution(db, ref, types=["cash", "apology"], amounts={"cash": "900"}, actor=clerk)
    return ref


def _settle(qtbot: QtBot, view: QWidget) -> None:
    """Wait for a view that loads off the UI thread (queue, dashboard) to show its data."""
    for busy in ("busy", "loading"):
        value = getattr(view, busy, None)
        if callable(value):
            qtbot.waitUntil(lambda v=value: not v(), timeout=10_000)
        elif isinstance(value, bool):
            qtbot.waitUntil(lambda b=busy: not getattr(view, b), timeout=10_000)


def _laid_out() -> None:
    """Let pending layout requests run (a widget just made or filled is sized on the next
    pass of the event loop)."""
    for _i in range(3):
        QApplication.processEvents()


def _every_tab(window: QWidget, check: Callable[[str], None]) -> None:
    """Check with each tab of each visible tab widget shown in turn."""
    _laid_out()
    check("")
    for tabs in window.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        first = tabs.currentIndex()
        for i in range(tabs.count()):
            if i != first and tabs.isTabVisible(i):
                tabs.setCurrentIndex(i)
                _laid_out()
                check(f" tab {tabs.tabText(i)!r}")
        tabs.setCurrentIndex(first)


@pytest.mark.parametrize("language", LANGS, indirect=True)
def test_main_window_views_cut_no_text(qtbot: QtBot, language: str, tmp_path: Path,
                                       supervisor_ctx: DeskContext, march: dict[str, str],
                                       waiting: str) -> None:
    window = MainWindow(supervisor_ctx, QSettings(str(tmp_path / "w.ini"),
                                                  QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(WIDTH, HEIGHT)
    window.show()
    qtbot.waitExposed(window)
    problems: list[str] = []
    screens = [("intake", None), ("board", None), ("complaint", waiting),
               ("complaint", march["P1"]), ("revisits", None), ("dashboard", None),
               ("reports", None), ("alerts", None), ("cases", None)]
    for key, ref in screens:
        if ref:
            supervisor_ctx.signals.open_complaint.emit(ref)
        else:
            window.show_view(key)
        view = window.view(key)
        _settle(qtbot, view)
        name = f"{key}-{ref}" if ref else key

        def check(where: str, name: str = name) -> None:
            problems.extend(f"[{name}{where}] {p}" for p in cut_texts(window)
                            if not any(p in seen for seen in problems))

        _every_tab(window, check)
        shot(window, f"{language}-{name}")
    assert not problems, f"{len(problems)} texts cut off in {language}:\n" + "\n".join(problems)


# ---- dialogs ------------------------------------------------------------------------------------

def _first_start(ctx: DeskContext) -> QDialog:
    from ui.first_start import FirstStartDialog

    return FirstStartDialog(ctx.db)


def _sign_in(ctx: DeskContext) -> QDialog:
    from ui.sign_in import SignInDialog

    return SignInDialog(ctx.db)


def _about(ctx: DeskContext) -> QDialog:
    from ui.about_dialog import AboutDialog

    return AboutDialog(ctx)


def _settings(ctx: DeskContext) -> QDialog:
    from ui.settings.settings_dialog import SettingsDialog

    return SettingsDialog(ctx)


def _accounts(ctx: DeskContext) -> QDialog:
    from ui.accounts_dialog import AccountsDialog

    return AccountsDialog(ctx)


def _backup(ctx: DeskContext) -> QDialog:
    from ui.backup_dialog import BackupDialog

    return BackupDialog(ctx)


def _database(ctx: DeskContext) -> QDialog:
    from ui.database_dialog import DatabaseDialog

    return DatabaseDialog(str(ctx.db.paths.db_file or ctx.db.url))


def _error(ctx: DeskContext) -> QDialog:
    from ui.error_dialog import ErrorDialog

    return ErrorDialog("ZeroDivisionError: division by zero", "Traceback …", None)


def _action(ctx: DeskContext) -> QDialog:
    from ui.complaint.dialogs import ActionDialog

    return ActionDialog(None, ["TS-20260310-0001"], lambda _new: None)


def _history(ctx: DeskContext) -> QDialog:
    from app.services.customer_history import customer_history
    from ui.complaint.history_dialog import HistoryDialog

    return HistoryDialog(None, customer_history(ctx.db, "13500000001", "supervisor"), None,
                         lambda _ref: None)


def _handover(ctx: DeskContext) -> QDialog:
    from ui.handover_dialog import HandoverDialog

    return HandoverDialog(ctx)


def _record_revisit(ctx: DeskContext) -> QDialog:
    from ui.revisits.record_dialog import RecordRevisitDialog

    return RecordRevisitDialog(ctx, "TS-20260310-0001", "Lam Ka Yan 林嘉欣")


DIALOGS: dict[str, Callable[[DeskContext], QDialog]] = {
    "first-start": _first_start, "sign-in": _sign_in, "about": _about, "settings": _settings,
    "accounts": _accounts, "backup": _backup, "database": _database, "error": _error,
    "improvement-action": _action, "customer-history": _history, "handover": _handover,
    "record-revisit": _record_revisit,
}


# Known cut texts in a dialog still being built, reported to its owner (strict: the mark
# must go once the dialog is fixed).
PENDING = {
    ("pseudo", "error"): "error dialog: setMinimumWidth(560) keeps the window narrower than "
                         "its buttons need (issue 12)",
}


def _dialog_cases() -> list[Any]:
    return [pytest.param(lang, name, marks=[pytest.mark.xfail(reason=PENDING[lang, name],
                                                               strict=True)]
                         if (lang, name) in PENDING else [])
            for lang in LANGS for name in DIALOGS]


@pytest.mark.parametrize(("language", "dialog"), _dialog_cases(), indirect=["language"])
def test_dialogs_cut_no_text(qtbot: QtBot, language: str, dialog: str,
                             supervisor_ctx: DeskContext, march: dict[str, str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    widget = DIALOGS[dialog](supervisor_ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    problems: list[str] = []
    big = too_big(widget)
    if big:
        problems.append(big)

    def check(where: str) -> None:
        problems.extend(f"[{dialog}{where}] {p}" for p in cut_texts(widget)
                        if not any(p in seen for seen in problems))

    _every_tab(widget, check)
    shot(widget, f"{language}-dialog-{dialog}")
    widget.reject()
    assert not problems, f"{len(problems)} texts cut off in {language}:\n" + "\n".join(problems)


def test_the_check_sees_cut_texts(qtbot: QtBot) -> None:
    """cut_texts reports what a too-small widget would cut, and nothing when all fits."""
    from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QVBoxLayout

    box = QWidget()
    qtbot.addWidget(box)
    layout = QVBoxLayout(box)
    label, button, combo = QLabel("Customer asks for"), QPushButton("Save and print slip"), \
        QComboBox()
    combo.addItems(["Phone", "Walk-in at counter, transferred"])
    wrapped = QLabel("word " * 40)
    wrapped.setWordWrap(True)
    for w in (label, button, combo, wrapped):
        layout.addWidget(w)
    box.show()
    qtbot.waitExposed(box)
    _laid_out()
    assert cut_texts(box) == []
    for w in (label, button, combo):
        w.setFixedWidth(40)
    wrapped.setFixedSize(120, 20)
    _laid_out()
    found = "\n".join(cut_texts(box))
    for text in ("Customer asks for", "Save and print slip", "Walk-in at counter", "word"):
        assert text in found
