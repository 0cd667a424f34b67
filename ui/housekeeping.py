"""The program's housekeeping in the window (issue 12), called from ui/application.run_gui:

- `start`: the rotating log file in the data folder and the unexpected-error dialog, before
  the database is opened (so a failure to open it is logged too);
- `attach`: a Tools menu with Settings… (Ctrl+,) and a Help menu with the list of keyboard
  shortcuts (F1) and the About box.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from app.i18n import _
from app.logging_setup import install_logging
from app.paths import Paths
from ui.context import DeskContext
from ui.error_dialog import install_error_reporting


def start(paths: Paths) -> Path | None:
    """Log to `<data>/logs/complaint-desk.log` and report unexpected errors in a dialog."""
    log_path = install_logging(paths)
    install_error_reporting(log_path)
    return log_path


def attach(window: QMainWindow, ctx: DeskContext) -> dict[str, QAction]:
    """Add the settings and About actions to the window; returns them by name."""
    from ui.about_dialog import open_about_dialog
    from ui.settings.settings_dialog import SHORTCUT as SETTINGS_KEY
    from ui.settings.settings_dialog import open_settings_dialog
    from ui.shortcuts import keys
    from ui.shortcuts_dialog import open_shortcuts_dialog

    tools = window.menuBar().addMenu("")
    tools.setObjectName("menu_tools")
    help_menu = window.menuBar().addMenu("")
    help_menu.setObjectName("menu_help")
    settings = QAction(window)
    settings.setObjectName("action_settings")
    settings.setShortcut(QKeySequence(SETTINGS_KEY))
    settings.triggered.connect(lambda: open_settings_dialog(ctx, window))
    shortcuts = QAction(window)
    shortcuts.setObjectName("action_shortcuts")
    shortcuts.setShortcut(QKeySequence(keys("window.shortcuts")))
    shortcuts.triggered.connect(lambda: open_shortcuts_dialog(window))
    about = QAction(window)
    about.setObjectName("action_about")
    about.triggered.connect(lambda: open_about_dialog(ctx, window))
    tools.addAction(settings)
    help_menu.addAction(shortcuts)
    help_menu.addAction(about)
    window.addAction(settings)
    window.addAction(shortcuts)
    window.addAction(about)

    def retranslate(_lang: str = "") -> None:
        tools.setTitle(_("&Tools"))
        help_menu.setTitle(_("&Help"))
        settings.setText(_("Settings…"))
        shortcuts.setText(_("Keyboard shortcuts"))
        about.setText(_("About Complaint Desk"))

    retranslate()
    ctx.signals.language_changed.connect(retranslate)
    return {"settings": settings, "shortcuts": shortcuts, "about": about}
