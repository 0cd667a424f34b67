"""The Lists page: categories, subjects, departments/shops, root causes and solution types —
add, rename (in place or in a dialog, three languages), reorder, deactivate/reactivate,
delete what was never used; and a profile preset for a database that holds no complaints
yet. The table and its buttons are the shared list editor (ui/settings/list_editor.py)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.codes import PROFILES, label
from app.errors import DeskError
from app.i18n import LANGUAGE_NAMES, LANGUAGES, N_, NC_, _, get_language, ngettext
from app.services import lists
from app.services.lists import LIST_KINDS, Labels, ListEntry
from app.services.settings_service import read_settings
from ui import messages
from ui.context import DeskContext
from ui.settings.edit_dialogs import LabelsDialog
from ui.settings.list_editor import ListEditorPage
from ui.widgets.table_model import Column

KIND_TITLES = {"category": N_("Categories"), "subject": N_("Subjects"),
               "department": N_("Departments and shops"), "root_cause": N_("Root causes"),
               "solution_type": N_("Solution types")}
LABEL_FIELDS = {"zh-Hans": "zh_hans", "zh-Hant": "zh_hant", "en": "en"}


class ListsPage(ListEditorPage[ListEntry]):
    edit_msgid = N_("Rename…")

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        columns = [self._language_column(lang) for lang in LANGUAGES] + [
            Column(NC_("how many complaints use a list value", "Complaints"),
                   lambda e: str(e.uses), sort_key=lambda e: e.uses, align_right=True),
            Column(N_("Status"), lambda e: _("In use") if e.active else _("Deactivated")),
        ]
        super().__init__(ctx, columns, ListEntry, parent)
        if self.editable:
            self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                      | QAbstractItemView.EditTrigger.EditKeyPressed)
        header = self.view.horizontalHeader()
        for column in range(len(LANGUAGES)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for column in (3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.kind_label = QLabel()
        self.kind = QComboBox()
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.filters.addWidget(self.kind_label)
        self.filters.addWidget(self.kind)
        self.filters.addStretch(1)

        self.preset_box = QGroupBox()
        self.preset = QComboBox()
        self.preset_button = QPushButton()
        self.preset_button.clicked.connect(self.apply_preset)
        self.preset_note = QLabel()
        self.preset_note.setWordWrap(True)
        preset_row = QHBoxLayout()
        preset_row.addWidget(self.preset)
        preset_row.addWidget(self.preset_button)
        preset_row.addStretch(1)
        preset_layout = QVBoxLayout(self.preset_box)
        preset_layout.addLayout(preset_row)
        preset_layout.addWidget(self.preset_note)
        self.box.addWidget(self.preset_box)
        self.retranslate()

    def _language_column(self, lang: str) -> Column[ListEntry]:
        return Column(LANGUAGE_NAMES[lang], lambda e: e.label(lang),
                      tooltip=lambda e: _("Code: {code}", code=e.code),
                      edit=lambda e, text: self._rename_in_place(e, lang, text))

    # ---- the list editor's questions ----------------------------------------------------------
    def current_kind(self) -> str:
        return str(self.kind.currentData() or LIST_KINDS[0])

    def load(self) -> list[ListEntry]:
        return lists.list_entries(self.ctx.db, self.current_kind())

    def rows_loaded(self) -> None:
        self._preset_state()

    def can_delete(self, row: ListEntry) -> bool:
        return row.uses == 0

    def delete_tooltip(self, row: ListEntry | None) -> str:
        return _("Used by complaints: deactivate it instead") if row and row.uses else ""

    def delete_question(self, row: ListEntry) -> str:
        return _("Delete \"{label}\"? It was never used.", label=row.label(get_language()))

    def move_row(self, row: ListEntry, steps: int) -> None:
        lists.move_value(self.ctx.db, row.id, steps, self.ctx.actor)

    def set_row_active(self, row: ListEntry, active: bool) -> object:
        return lists.set_active(self.ctx.db, row.id, active, self.ctx.actor)

    def delete_row(self, row: ListEntry) -> None:
        lists.delete_value(self.ctx.db, row.id, self.ctx.actor)

    def after_change(self) -> None:
        self.ctx.signals.data_changed.emit("")  # forms and filters offer the lists anew

    # ---- changing -----------------------------------------------------------------------------
    def _rename_in_place(self, entry: ListEntry, lang: str, text: str) -> bool:
        """A name corrected in the table: stored, and the row updated without a reset (the
        view is still closing its editor)."""
        labels = replace(entry.labels, **{LABEL_FIELDS[lang]: text})
        try:
            stored = lists.rename_value(self.ctx.db, entry.id, labels, self.ctx.actor)
        except DeskError as e:
            self.refuse(e)
            return False
        self.model.replace(stored)
        self.after_change()
        self.changed.emit(_("Renamed"))
        return True

    def add(self) -> None:
        kind, saved = self.current_kind(), {}

        def submit(labels: Labels) -> object:
            saved["entry"] = lists.add_value(self.ctx.db, kind, labels, self.ctx.actor)
            return saved["entry"]

        dialog = LabelsDialog(_("Add to: {list}", list=_(KIND_TITLES[kind])), Labels(), submit,
                              self)
        if dialog.exec() and "entry" in saved:
            self.stored(_("Added"), saved["entry"].id)

    def edit(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        dialog = LabelsDialog(_("Rename"), entry.labels, lambda labels: lists.rename_value(
            self.ctx.db, entry.id, labels, self.ctx.actor), self)
        if dialog.exec():
            self.stored(_("Renamed"), entry.id)

    def apply_preset(self) -> None:
        profile = str(self.preset.currentData())
        if not messages.ask(self, _("Set this desk up as a {profile}?",
                                    profile=label("profile", profile))):
            return
        self.run(lambda: lists.apply_preset(self.ctx.db, profile, self.ctx.actor),
                 _("Profile applied: {profile}", profile=label("profile", profile)))

    def _preset_state(self) -> None:
        count = lists.complaint_count(self.ctx.db)
        profile = read_settings(self.ctx.db)["profile"]
        self.preset.setCurrentIndex(max(self.preset.findData(profile), 0))
        self.preset_button.setEnabled(self.editable and count == 0)
        self.preset.setEnabled(self.editable and count == 0)
        self.preset_note.setText(
            _("Adds the chosen business's categories, departments, standard phrases and "
              "opening hours, and deactivates the other profile's categories and departments.")
            if count == 0 else
            ngettext("This database already holds {count} complaint: change the lists above "
                     "instead.",
                     "This database already holds {count} complaints: change the lists above "
                     "instead.", count, count=count))

    # ---- texts --------------------------------------------------------------------------------
    def retranslate_own(self) -> None:
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        for kind in LIST_KINDS:
            self.kind.addItem(_(KIND_TITLES[kind]), kind)
        self.kind.setCurrentIndex(max(self.kind.findData(current), 0))
        self.kind.blockSignals(False)
        preset = self.preset.currentData()
        self.preset.clear()
        for profile in PROFILES:
            self.preset.addItem(label("profile", profile), profile)
        self.preset.setCurrentIndex(max(self.preset.findData(preset), 0))
        self.kind_label.setText(_("List:"))
        self.preset_box.setTitle(_("Profile preset for a new desk"))
        self.preset_button.setText(_("Apply preset"))
        self.hint.setText(_("Double-click a name to correct it. A value used by complaints is "
                            "never deleted: deactivate it, and forms stop offering it while "
                            "the complaints that use it still show it."))
