"""The settings dialog (Ctrl+,): a page per group of the declared settings (app/settings.SPECS
drives them), then the editable lists, the standard phrases and the revisit questionnaire.

Supervisors and administrators change what their role allows (each setting declares it);
clerks see everything read-only. A change is stored as soon as an edit is finished, checked by
the services, written to the audit trail there, and applied at once: a new language switches
every window now.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, get_language, set_language
from app.permissions import EDIT_SETTINGS, can
from app.services.settings_service import read_settings
from app.settings import SPEC_BY_KEY, SPECS
from ui.context import DeskContext
from ui.settings.lists_page import ListsPage
from ui.settings.phrases_page import PhrasesPage
from ui.settings.questionnaire_page import QuestionnairePage
from ui.settings.settings_page import SettingsPage
from ui.shortcuts import keys
from ui.widgets.banner import Banner

SHORTCUT = keys("window.settings")
LISTS, PHRASES = N_("Lists"), N_("Standard phrases")
QUESTIONNAIRE = N_("Questionnaire")
# Settings that show in the main window itself: it re-reads its texts after they change.
SHOWN_BY_WINDOW = ("business_name", "is_demo", "currency_symbol")  # amounts: app/formatting


class SettingsDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.ctx = ctx
        self.read_only = not can(ctx.actor, EDIT_SETTINGS)
        self.banner = Banner()
        self.nav = QListWidget()
        self.nav.setFixedWidth(170)
        self.nav.setStyleSheet("QListWidget::item { padding: 6px 8px; }")
        self.stack = QStackedWidget()
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.pages: list[tuple[str, QWidget]] = []
        self.setting_pages: list[SettingsPage] = []
        groups: dict[str, list[Any]] = {}
        for spec in SPECS:
            groups.setdefault(spec.group, []).append(spec)
        for group, specs in groups.items():
            page = SettingsPage(ctx, group, specs)
            page.stored.connect(self._stored)
            page.refused.connect(self._refused)
            self.setting_pages.append(page)
            self._add_page(group, page)
        self.lists = ListsPage(ctx)
        self.phrases = PhrasesPage(ctx)
        self.questionnaire = QuestionnairePage(ctx)
        for title, other in ((LISTS, self.lists), (PHRASES, self.phrases),
                             (QUESTIONNAIRE, self.questionnaire)):
            other.changed.connect(self._done)
            other.refused.connect(self._refused)
            self._add_page(title, other)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        self.load()
        self.nav.setCurrentRow(0)
        self.resize(980, 660)
        ctx.signals.language_changed.connect(self._language_changed)
        self.retranslate()

    def _add_page(self, title: str, page: QWidget) -> None:
        self.pages.append((title, page))
        self.nav.addItem("")
        self.stack.addWidget(page)

    def load(self) -> None:
        values = read_settings(self.ctx.db)
        for page in self.setting_pages:
            page.load(values)

    def show_page(self, title: str) -> None:
        self.nav.setCurrentRow(next(i for i, (t, _p) in enumerate(self.pages) if t == title))

    def page_of(self, key: str) -> SettingsPage:
        return next(p for p in self.setting_pages if key in p.rows)

    # ---- after a change ------------------------------------------------------------------------
    def _stored(self, key: str, value: Any) -> None:
        if key == "language" and value != get_language():
            # The desk's language, applied now and remembered for this PC too (the language
            # menu's choice would otherwise win at the next start).
            set_language(str(value))
            QSettings().setValue("ui/language", get_language())
            self.ctx.signals.language_changed.emit(get_language())
        elif key in SHOWN_BY_WINDOW:
            self.ctx.signals.language_changed.emit(get_language())  # window texts re-read
        self._done(_("Saved: {setting}", setting=_(SPEC_BY_KEY[key].label)))

    def _done(self, text: str) -> None:
        self.status.setStyleSheet("color: #0d5223;")
        self.status.setText(text)

    def _refused(self, text: str) -> None:
        self.status.setStyleSheet("color: #c62828;")
        self.status.setText(_("Not saved: {problem}", problem=text))

    def _language_changed(self, _lang: str) -> None:
        self.retranslate()

    # ---- closing -------------------------------------------------------------------------------
    def done(self, result: int) -> None:  # noqa: D401 - Close, Esc and the window's X end here
        """Store a value still being edited; if it is refused now, stay open to show why."""
        if not self.read_only and not all([p.flush() for p in self.setting_pages]):
            return
        super().done(result)

    # ---- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Settings"))
        self.close_button.setText(_("Close"))
        for row, (title, _page) in enumerate(self.pages):
            item = self.nav.item(row)
            item.setText(_(title))
            item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for page in self.setting_pages:
            page.retranslate()
        self.lists.retranslate()
        self.phrases.retranslate()
        self.questionnaire.retranslate()
        if self.read_only:
            self.banner.show_message("info", _("Only supervisors and administrators can change "
                                               "settings; you can look at them here."))


def open_settings_dialog(ctx: DeskContext, parent: QWidget | None = None) -> None:
    """Show the settings (modal) until closed."""
    dialog = SettingsDialog(ctx, parent)
    dialog.exec()
    dialog.deleteLater()
