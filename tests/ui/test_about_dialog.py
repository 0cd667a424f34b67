"""The About box (Help menu; F1 lists the shortcuts) and the window's housekeeping actions (Ctrl+, for the settings)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from app import __version__
from app.services.about_facts import database_bytes
from ui import housekeeping
from ui.about_dialog import AboutDialog
from ui.context import DeskContext


def test_the_about_box_says_version_database_size_and_licences(qtbot: QtBot,
                                                                ctx: DeskContext) -> None:
    dialog = AboutDialog(ctx)
    qtbot.addWidget(dialog)
    assert f"Complaint Desk {__version__}" in dialog.title.text()
    assert dialog.values["database"].text() == ctx.db.paths.describe()  # file or server
    size = database_bytes(ctx.db)
    assert size is not None and size > 0
    assert dialog.values["size"].text().endswith(("KB", "MB"))
    assert dialog.values["log"].text().endswith("complaint-desk.log")
    rows = {dialog.components.item(r, 0).text(): dialog.components.item(r, 2).text()
            for r in range(dialog.components.rowCount())}
    assert rows["SQLAlchemy"] == "MIT" and rows["Qt for Python (PySide6)"] == "LGPL-3.0"
    assert rows["ReportLab"].startswith("BSD") and rows["Alembic"] == "MIT"
    assert "Apache-2.0" in rows["WenQuanYi Micro Hei 文泉驿微米黑"]
    assert "WenQuanYi" in dialog.font_licence.toPlainText()


def test_the_window_gets_settings_and_about_actions(qtbot: QtBot, supervisor_ctx: DeskContext,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import about_dialog
    from ui.settings import settings_dialog

    opened: list[str] = []
    monkeypatch.setattr(settings_dialog.SettingsDialog, "exec",
                        lambda self: opened.append(self.windowTitle()) or 0)
    monkeypatch.setattr(about_dialog.AboutDialog, "exec",
                        lambda self: opened.append(self.windowTitle()) or 0)
    window = QMainWindow()
    qtbot.addWidget(window)
    actions = housekeeping.attach(window, supervisor_ctx)
    assert actions["settings"].shortcut().toString() == "Ctrl+,"
    assert actions["shortcuts"].shortcut().toString() == "F1"  # the list of shortcuts
    assert actions["about"].shortcut().isEmpty()
    actions["settings"].trigger()
    actions["about"].trigger()
    assert opened == ["Settings", "About Complaint Desk"]
    supervisor_ctx.signals.language_changed.emit("en")
    assert actions["settings"].text() == "Settings…"
