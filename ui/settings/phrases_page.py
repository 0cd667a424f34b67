"""The Standard phrases page (话术): the library per language, filtered by kind or text;
supervisors add, edit, reorder, deactivate and delete phrases. Clerks see it read-only. The
table and its buttons are the shared list editor (ui/settings/list_editor.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QHeaderView, QLabel, QLineEdit, QWidget

from app.codes import PHRASE_KINDS, label
from app.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, get_language
from app.services import lists, phrases
from app.services.list_choices import list_choices
from app.services.phrases import PhraseInput, PhraseItem
from ui.context import DeskContext
from ui.settings.edit_dialogs import PhraseDialog
from ui.settings.list_editor import ListEditorPage
from ui.widgets.table_model import Column


class PhrasesPage(ListEditorPage[PhraseItem]):
    edit_msgid = N_("Edit…")

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        columns: list[Column[PhraseItem]] = [
            Column(N_("Kind"), lambda p: label("phrase_kind", p.kind)),
            Column(N_("Category"), self._category_text),
            Column(N_("Text"), lambda p: p.text if p.active else _("(deactivated) {text}",
                                                                    text=p.text),
                   tooltip=lambda p: p.text),
        ]
        super().__init__(ctx, columns, PhraseItem, parent)
        self.category_labels: dict[str, str] = {}
        self.language = QComboBox()
        for lang in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        self.language.setCurrentIndex(max(self.language.findData(get_language()), 0))
        self.language.currentIndexChanged.connect(lambda _i: self.reload())
        self.kind = QComboBox()
        self.kind.currentIndexChanged.connect(lambda _i: self._filter())
        self.words = QLineEdit()
        self.words.setClearButtonEnabled(True)
        self.words.textChanged.connect(lambda _t: self._filter())
        self.labels = [QLabel(), QLabel(), QLabel()]
        for text, widget in zip(self.labels, (self.language, self.kind, self.words),
                                strict=True):
            self.filters.addWidget(text)
            self.filters.addWidget(widget, 1 if widget is self.words else 0)
        self.view.setWordWrap(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 170)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Wrapped phrases take the height their width needs, once the widths have settled.
        self._fit_rows = QTimer(self)
        self._fit_rows.setSingleShot(True)
        self._fit_rows.setInterval(0)
        self._fit_rows.timeout.connect(self.view.resizeRowsToContents)
        header.sectionResized.connect(lambda *_a: self._fit_rows.start())
        self.view.doubleClicked.connect(lambda _i: self.edit() if self.editable else None)
        self.retranslate()

    def _category_text(self, p: PhraseItem) -> str:
        if p.category is None:
            return _("Any category")
        return self.category_labels.get(p.category, p.category)

    # ---- the list editor's questions ----------------------------------------------------------
    def current_language(self) -> str:
        return str(self.language.currentData())

    def categories(self) -> list[tuple[str, str]]:
        return list_choices(self.ctx.db, "category")

    def all_category_labels(self) -> dict[str, str]:
        """Every category by code, retired ones marked (their phrases are not offered)."""
        lang = get_language()
        return {e.code: e.label(lang) if e.active else _("{label} (deactivated)",
                                                         label=e.label(lang))
                for e in lists.list_entries(self.ctx.db, "category")}

    def load(self) -> list[PhraseItem]:
        self.category_labels = self.all_category_labels()
        return phrases.phrase_library(self.ctx.db, self.current_language())

    def rows_loaded(self) -> None:
        self.view.resizeRowsToContents()

    def _filter(self) -> None:
        kind, words = self.kind.currentData(), self.words.text().strip().casefold()
        self.proxy.set_predicate(
            lambda p: (not kind or p.kind == kind) and (not words or words in p.text.casefold()))
        self.view.resizeRowsToContents()
        self.enable_buttons()

    def delete_question(self, row: PhraseItem) -> str:
        return _("Delete this phrase?") + "\n\n" + row.text

    def move_row(self, row: PhraseItem, steps: int) -> None:
        phrases.move_phrase(self.ctx.db, row.id, steps, self.ctx.actor)

    def set_row_active(self, row: PhraseItem, active: bool) -> object:
        return phrases.set_phrase_active(self.ctx.db, row.id, active, self.ctx.actor)

    def delete_row(self, row: PhraseItem) -> None:
        phrases.delete_phrase(self.ctx.db, row.id, self.ctx.actor)

    # ---- the dialog ---------------------------------------------------------------------------
    def _dialog(self, title: str, data: PhraseInput,
                submit: Callable[[PhraseInput], PhraseItem]) -> PhraseItem | None:
        saved: dict[str, PhraseItem] = {}

        def call(value: PhraseInput) -> PhraseItem:
            saved["item"] = submit(value)
            return saved["item"]

        categories = self.categories()
        if data.category and data.category not in dict(categories):
            # A retired category stays the phrase's own unless the supervisor changes it.
            categories.append((data.category, self.all_category_labels().get(data.category,
                                                                              data.category)))
        dialog = PhraseDialog(title, data, categories, call, self)
        dialog.exec()
        return saved.get("item")

    def add(self) -> None:
        kind = self.kind.currentData() or PHRASE_KINDS[0]
        item = self._dialog(_("Add a phrase"), PhraseInput(kind, self.current_language(), ""),
                            lambda d: phrases.add_phrase(self.ctx.db, d, self.ctx.actor))
        if item is not None:
            self._after_dialog(item, _("Phrase added"))

    def edit(self) -> None:
        current = self.selected()
        if current is None:
            return
        data = PhraseInput(current.kind, current.language, current.text, current.category)
        item = self._dialog(_("Change the phrase"), data, lambda d: phrases.update_phrase(
            self.ctx.db, current.id, d, self.ctx.actor))
        if item is not None:
            self._after_dialog(item, _("Phrase changed"))

    def _after_dialog(self, item: PhraseItem, done: str) -> None:
        if item.language != self.current_language():
            self.language.setCurrentIndex(self.language.findData(item.language))
        self.stored(done, item.id)

    # ---- texts --------------------------------------------------------------------------------
    def retranslate_own(self) -> None:
        kind = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(_("All kinds"), None)
        for code in PHRASE_KINDS:
            self.kind.addItem(label("phrase_kind", code), code)
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
        self.kind.blockSignals(False)
        for text_label, text in zip(self.labels, (_("Language:"), _("Kind:"), _("Find:")),
                                    strict=True):
            text_label.setText(text)
        self.words.setPlaceholderText(_("Words in the phrase"))
        self.hint.setText(_("Clerks insert these phrases while typing a contact or a "
                            "description: press {key}, type a few words, then Enter. A "
                            "category's phrases come first on its complaints.",
                            key="Ctrl+;"))
