"""A view that cannot be loaded is a fault, reported; the placeholder only for a role."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.db import Database
from app.permissions import SEE_REPORTS
from app.services.common import Actor
from ui import main_window
from ui.context import DeskContext
from ui.main_window import BrokenView, MainWindow, Placeholder
from ui.views import VIEWS, ViewClass, ViewSpec


def _missing_module() -> ViewClass:
    """A view whose module is not in the installed program (a bundle built without it)."""
    module = importlib.import_module("ui.no_such_module_here")
    return module.View  # type: ignore[no-any-return]


def _reports() -> ViewClass:
    from ui.reports.reports_view import ReportsView

    return ReportsView


BROKEN = ViewSpec("broken", "Queue", "F9", _missing_module)
GUARDED = ViewSpec("guarded", "Reports", "F10", _reports, needs=SEE_REPORTS)


@pytest.fixture
def extra_views(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    views = (*VIEWS, BROKEN, GUARDED)
    monkeypatch.setattr(main_window, "VIEWS", views)
    monkeypatch.setattr(main_window, "VIEW_BY_KEY", {v.key: v for v in views})
    yield


def make_window(qtbot: QtBot, ctx: DeskContext, tmp_path: Path) -> MainWindow:
    window = MainWindow(ctx, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_view_that_cannot_load_is_reported_not_hidden(
        qtbot: QtBot, ctx: DeskContext, tmp_path: Path, extra_views: None) -> None:
    window = make_window(qtbot, ctx, tmp_path)
    with qtbot.capture_exceptions() as raised:
        window.show_view("broken")
    # The unexpected-error path got it (the log and the error dialog in the program).
    assert len(raised) == 1 and isinstance(raised[0][1], ModuleNotFoundError)
    widget = window.views["broken"]
    assert isinstance(widget, BrokenView) and not isinstance(widget, Placeholder)
    assert "ui.no_such_module_here" in window.failed_views["broken"]
    assert "could not be loaded" in widget.text()
    assert "ModuleNotFoundError" in widget.text()


def test_the_placeholder_is_for_a_role_only_and_follows_the_signed_in_person(
        qtbot: QtBot, ctx: DeskContext, tmp_path: Path, extra_views: None,
        supervisor: Actor) -> None:
    window = make_window(qtbot, ctx, tmp_path)  # a clerk
    window.show_view("guarded")
    assert isinstance(window.views["guarded"], Placeholder)
    assert "Supervisor" in window.views["guarded"].text()  # type: ignore[attr-defined]
    assert not window.failed_views
    ctx.actor = supervisor
    ctx.signals.actor_changed.emit()
    assert type(window.views["guarded"]).__name__ == "ReportsView"
    assert window.current_view_key() == "guarded"
    ctx.actor = Actor(None, "clerk", "clerk")
    ctx.signals.actor_changed.emit()
    assert isinstance(window.views["guarded"], Placeholder)


def test_every_real_view_loads(qtbot: QtBot, ctx: DeskContext, tmp_path: Path) -> None:
    window = make_window(qtbot, ctx, tmp_path)
    for spec in VIEWS:
        window.show_view(spec.key)
    assert not window.failed_views
    assert not any(isinstance(w, Placeholder | BrokenView) for w in window.views.values())


@pytest.mark.qt_no_exception_capture  # the program's own hook must see it, as at a counter
def test_in_the_program_a_broken_view_is_logged_and_shown_in_the_error_dialog(
        qtbot: QtBot, ctx: DeskContext, db: Database, tmp_path: Path, extra_views: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from app.logging_setup import install_logging, log_file, uninstall_logging
    from ui import error_dialog

    path = install_logging(db.paths)
    reporter = error_dialog.install_error_reporting(path)
    try:
        window = make_window(qtbot, ctx, tmp_path)
        window.show_view("broken")
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
        assert reporter.dialog is not None
        assert "ModuleNotFoundError" in reporter.dialog.summary.text()
        logged = log_file(db.paths).read_text(encoding="utf-8")
        assert "ui/main_window.py" in logged and "no_such_module_here" in logged
        assert isinstance(window.views["broken"], BrokenView)
        reporter.dialog.close()
    finally:
        error_dialog.uninstall_error_reporting()
        uninstall_logging()
