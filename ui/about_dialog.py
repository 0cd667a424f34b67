"""The About box (Help menu): version, where the data lives and how big it is, the log file, and the
licences of the font and libraries the program ships with."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.about_facts import AboutFacts, about_facts, font_licence_text
from app.services.backups import human_size
from ui.context import DeskContext


class AboutDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.facts: AboutFacts = about_facts(ctx.db)
        self.setWindowTitle(_("About Complaint Desk"))
        tabs = QTabWidget()
        tabs.addTab(self._about_tab(), _("About"))
        tabs.addTab(self._licence_tab(), _("Licences"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.folder_button = QPushButton(_("Open the data folder"))
        self.folder_button.clicked.connect(self.open_data_folder)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        self.tabs = tabs
        self.resize(720, 520)

    def _about_tab(self) -> QWidget:
        f = self.facts
        page = QWidget()
        title = QLabel(f"<h2>{_('Complaint Desk')} {f.version}</h2>")
        self.title = title
        blurb = QLabel(_("Complaints at the counter: intake, queue, resolution, revisits and "
                         "monthly reports, in 简体中文, 繁體中文 and English."))
        blurb.setWordWrap(True)
        size = (human_size(f.database_bytes) if f.database_bytes is not None
                else _("kept on the database server"))
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for key, name, value in (
                ("database", _("Database"), f.database),
                ("size", _("Database size"), size),
                ("data", _("Data folder"), f.data_folder),
                ("log", _("Log file"), f.log_file),
                ("qt", _("Qt version"), qVersion())):
            text = QLabel(value)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = text
            form.addRow(name, text)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _licence_tab(self) -> QWidget:
        page = QWidget()
        intro = QLabel(_("Complaint Desk is built on these components, used under their "
                         "licences. Qt for Python (PySide6) and psycopg are under the GNU LGPL "
                         "3.0: their library files in the program folder may be replaced by "
                         "compatible versions."))
        intro.setWordWrap(True)
        table = QTableWidget(len(self.facts.components), 3)
        table.setHorizontalHeaderLabels([_("Component"), _("Version"), _("Licence")])
        for row, c in enumerate(self.facts.components):
            for column, text in enumerate((c.name, c.version, c.licence)):
                table.setItem(row, column, QTableWidgetItem(text))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.components = table
        font_title = QLabel(_("The Chinese font (WenQuanYi Micro Hei) and its licence:"))
        self.font_licence = QPlainTextEdit(font_licence_text())
        self.font_licence.setReadOnly(True)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(table, 2)
        layout.addWidget(font_title)
        layout.addWidget(self.font_licence, 1)
        return page

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.facts.data_folder))


def open_about_dialog(ctx: DeskContext, parent: QWidget | None = None) -> None:
    dialog = AboutDialog(ctx, parent)
    dialog.exec()
    dialog.deleteLater()
