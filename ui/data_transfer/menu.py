"""Data ▸ Import… and Data ▸ Export CSV… in the window's Data menu (made by
ui/safety_start.py; a menu of their own when it is not there)."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from app.i18n import _
from ui.context import DeskContext
from ui.data_transfer.export_dialog import open_export_dialog
from ui.data_transfer.import_dialog import open_import_dialog


def install_actions(window: QMainWindow, ctx: DeskContext) -> tuple[QAction, QAction]:
    menu = window.findChild(QMenu, "menu_data")
    if menu is None:
        menu = window.menuBar().addMenu("")
        menu.setObjectName("menu_data")
    menu.addSeparator()
    import_action, export_action = QAction(window), QAction(window)
    import_action.setObjectName("action_import")
    export_action.setObjectName("action_export_csv")
    import_action.triggered.connect(lambda: open_import_dialog(ctx, window))
    export_action.triggered.connect(lambda: open_export_dialog(ctx, window))
    menu.addAction(import_action)
    menu.addAction(export_action)

    def retranslate(_lang: str = "") -> None:
        menu.setTitle(_("&Data"))
        import_action.setText(_("Import…"))
        export_action.setText(_("Export CSV…"))

    retranslate()
    ctx.signals.language_changed.connect(retranslate)
    return import_action, export_action
