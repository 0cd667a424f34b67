"""The Standard phrases page (话术): the library per language, filtered by kind or text;
supervisors add, edit, reorder, deactivate and delete phrases. Clerks see it read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.codes import PHRASE_KINDS, label
from app.errors import DeskError
from app.i18n import LANGUAGES, _, get_language
from app.permissions import EDIT_LISTS, can
from app.services import lists, phrases
from app.services.list_choices import list_choices
from app.services.phrases import PhraseInput, PhraseItem
from ui import messages
from ui.context import DeskContext
from ui.main_window import LANGUAGE_NAMES
from ui.settings.edit_dialogs import PhraseDialog, refusal_text
from ui.settings.list_models import ID_ROLE, PhraseModel

Index = QModelIndex | QPersistentModelIndex


class PhraseFilter(QSortFilterProxyModel):
    """Rows of one kind (or all) whose text contains the typed words."""

    def __init__(self) -> None:
        super().__init__()
        self.kind: str | None = None
        self.words = ""

    def set_filter(self, kind: str | None, words: str) -> None:
        self.beginFilterChange()
        self.kind, self.words = kind, words.strip().casefold()
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802 - Qt API
        model = self.sourceModel()
        assert isinstance(model, PhraseModel)
        item: PhraseItem = model.rows[row]
        if self.kind and item.kind != self.kind:
            return False
        return not self.words or self.words in item.text.casefold()


class PhrasesPage(QWidget):
    changed = Signal(str)
    refused = Signal(str)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editable = can(ctx.actor, EDIT_LISTS)
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
        self.model = PhraseModel()
        self.proxy = PhraseFilter()
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(True)
        self.view.verticalHeader().hide()
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
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.labels = [QLabel(), QLabel(), QLabel()]
        self.add_button, self.edit_button = QPushButton(), QPushButton()
        self.up_button, self.down_button = QPushButton(), QPushButton()
        self.active_button, self.delete_button = QPushButton(), QPushButton()
        actions: list[tuple[QPushButton, Callable[[], object]]] = [
            (self.add_button, self.add), (self.edit_button, self.edit),
            (self.up_button, lambda: self.move_selected(-1)),
            (self.down_button, lambda: self.move_selected(1)),
            (self.active_button, self.toggle_active), (self.delete_button, self.delete)]
        side = QVBoxLayout()
        for button, slot in actions:
            button.clicked.connect(lambda _c=False, s=slot: s())
            side.addWidget(button)
        side.addStretch(1)
        top = QHBoxLayout()
        for text, widget in zip(self.labels, (self.language, self.kind, self.words),
                                strict=True):
            top.addWidget(text)
            top.addWidget(widget, 1 if widget is self.words else 0)
        middle = QHBoxLayout()
        middle.addWidget(self.view, 1)
        middle.addLayout(side)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.hint)
        self.retranslate()

    # ---- reading -----------------------------------------------------------------------------
    def current_language(self) -> str:
        return str(self.language.currentData())

    def categories(self) -> list[tuple[str, str]]:
        return list_choices(self.ctx.db, "category")

    def category_labels(self) -> dict[str, str]:
        """Every category by code, retired ones marked (their phrases are not offered)."""
        lang = get_language()
        return {e.code: e.label(lang) if e.active else _("{label} (deactivated)",
                                                         label=e.label(lang))
                for e in lists.list_entries(self.ctx.db, "category")}

    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.selected_id()
        self.model.category_labels = self.category_labels()
        self.model.set_rows(phrases.phrase_library(self.ctx.db, self.current_language()))
        self.view.resizeRowsToContents()
        if keep is not None and (row := self.model.row_of(keep)) >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.view.selectionModel().select(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.view.scrollTo(index)
        self._enable()

    def _filter(self) -> None:
        self.proxy.set_filter(self.kind.currentData(), self.words.text())
        self.view.resizeRowsToContents()
        self._enable()

    def selected(self) -> PhraseItem | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        item_id = rows[0].data(ID_ROLE)
        return next((r for r in self.model.rows if r.id == item_id), None)

    def selected_id(self) -> int | None:
        item = self.selected()
        return item.id if item else None

    def _enable(self) -> None:
        item = self.selected()
        self.add_button.setEnabled(self.editable)
        for button in (self.edit_button, self.up_button, self.down_button, self.active_button,
                       self.delete_button):
            button.setEnabled(self.editable and item is not None)
        self.active_button.setText(_("Reactivate") if item is not None and not item.active
                                   else _("Deactivate"))

    # ---- changing ----------------------------------------------------------------------------
    def _run(self, call: Callable[[], Any], done: str, select_id: int | None = None) -> bool:
        try:
            result = call()
        except DeskError as e:
            text = refusal_text(e)
            self.refused.emit(text)
            messages.warn(self, text)
            return False
        if select_id is None and isinstance(result, PhraseItem):
            select_id = result.id
        self.reload(select_id)
        self.changed.emit(done)
        return True

    def _dialog(self, title: str, data: PhraseInput,
                submit: Callable[[PhraseInput], PhraseItem]) -> PhraseItem | None:
        saved: dict[str, PhraseItem] = {}

        def call(value: PhraseInput) -> PhraseItem:
            saved["item"] = submit(value)
            return saved["item"]

        categories = self.categories()
        if data.category and data.category not in dict(categories):
            # A retired category stays the phrase's own unless the supervisor changes it.
            categories.append((data.category, self.category_labels().get(data.category,
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
        self.reload(item.id)
        self.changed.emit(done)

    def move_selected(self, steps: int) -> None:
        item = self.selected()
        if item is not None:
            self._run(lambda: phrases.move_phrase(self.ctx.db, item.id, steps, self.ctx.actor),
                      _("Order changed"), item.id)

    def toggle_active(self) -> None:
        item = self.selected()
        if item is not None:
            self._run(lambda: phrases.set_phrase_active(self.ctx.db, item.id, not item.active,
                                                        self.ctx.actor),
                      _("Reactivated") if not item.active else _("Deactivated"))

    def delete(self) -> None:
        item = self.selected()
        if item is not None and messages.ask(self, _("Delete this phrase?") + "\n\n" + item.text):
            self._run(lambda: phrases.delete_phrase(self.ctx.db, item.id, self.ctx.actor),
                      _("Deleted"))

    # ---- texts -------------------------------------------------------------------------------
    def retranslate(self) -> None:
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
        self.add_button.setText(_("Add…"))
        self.edit_button.setText(_("Edit…"))
        self.up_button.setText(_("Move up"))
        self.down_button.setText(_("Move down"))
        self.delete_button.setText(_("Delete"))
        self.hint.setText(_("Clerks insert these phrases while typing a contact or a "
                            "description: press {key}, type a few words, then Enter. A "
                            "category's phrases come first on its complaints.",
                            key="Ctrl+;"))
        self.model.retranslate()
        self.reload()
