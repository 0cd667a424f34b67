"""The Lists page: categories, subjects, departments/shops and root causes — add, rename (in
place or in a dialog, three languages), reorder, deactivate/reactivate, delete what was never
used; and a profile preset for a database that holds no complaints yet."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.codes import PROFILES, label
from app.errors import DeskError
from app.i18n import N_, _, get_language
from app.permissions import EDIT_LISTS, can
from app.services import lists
from app.services.lists import LIST_KINDS, Labels, ListEntry
from app.services.settings_service import read_settings
from ui import messages
from ui.context import DeskContext
from ui.settings.edit_dialogs import LabelsDialog, refusal_text
from ui.settings.list_models import ID_ROLE, ListModel

KIND_TITLES = {"category": N_("Categories"), "subject": N_("Subjects"),
               "department": N_("Departments and shops"), "root_cause": N_("Root causes"),
               "solution_type": N_("Solution types")}


class ListsPage(QWidget):
    """`changed(text)` after a stored change, `refused(text)` with the reason of a refusal."""

    changed = Signal(str)
    refused = Signal(str)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editable = can(ctx.actor, EDIT_LISTS)
        self.kind_label = QLabel()
        self.kind = QComboBox()
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.model = ListModel(self._rename_in_place)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  if self.editable else QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for column in (3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.add_button, self.rename_button = QPushButton(), QPushButton()
        self.up_button, self.down_button = QPushButton(), QPushButton()
        self.active_button, self.delete_button = QPushButton(), QPushButton()
        actions: list[tuple[QPushButton, Callable[[], object]]] = [
            (self.add_button, self.add), (self.rename_button, self.rename),
            (self.up_button, lambda: self.move_selected(-1)),
            (self.down_button, lambda: self.move_selected(1)),
            (self.active_button, self.toggle_active), (self.delete_button, self.delete)]
        side = QVBoxLayout()
        for button, slot in actions:
            button.clicked.connect(lambda _c=False, s=slot: s())
            side.addWidget(button)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.kind_label)
        top.addWidget(self.kind)
        top.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.view, 1)
        middle.addLayout(side)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")

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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.preset_box)
        self.retranslate()

    # ---- reading ---------------------------------------------------------------------------
    def current_kind(self) -> str:
        return str(self.kind.currentData() or LIST_KINDS[0])

    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.selected_id()
        self.model.set_rows(lists.list_entries(self.ctx.db, self.current_kind()))
        if keep is not None and (row := self.model.row_of(keep)) >= 0:
            self.view.selectionModel().select(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(self.model.index(row, 0))
        self._enable()
        self._preset_state()

    def selected(self) -> ListEntry | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return int(rows[0].data(ID_ROLE)) if rows else None

    def _enable(self) -> None:
        entry = self.selected()
        self.add_button.setEnabled(self.editable)
        for button in (self.rename_button, self.up_button, self.down_button,
                       self.active_button):
            button.setEnabled(self.editable and entry is not None)
        self.delete_button.setEnabled(self.editable and entry is not None and entry.uses == 0)
        self.active_button.setText(_("Reactivate") if entry is not None and not entry.active
                                   else _("Deactivate"))
        self.delete_button.setToolTip(
            _("Used by complaints: deactivate it instead") if entry is not None and entry.uses
            else "")

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
            _("This database already holds {count} complaint(s): change the lists above "
              "instead.", count=count))

    # ---- changing ----------------------------------------------------------------------------
    def _run(self, call: Callable[[], object], done: str, select_id: int | None = None) -> bool:
        try:
            result = call()
        except DeskError as e:
            text = refusal_text(e)
            self.refused.emit(text)
            messages.warn(self, text)
            return False
        if select_id is None and isinstance(result, ListEntry):
            select_id = result.id
        self.reload(select_id)
        self.ctx.signals.data_changed.emit("")  # forms and filters offer the lists anew
        self.changed.emit(done)
        return True

    def _rename_in_place(self, value_id: int, labels: Labels) -> bool:
        """A name corrected in the table: stored, and the row updated without a reset (the
        view is still closing its editor)."""
        try:
            entry = lists.rename_value(self.ctx.db, value_id, labels, self.ctx.actor)
        except DeskError as e:
            text = refusal_text(e)
            self.refused.emit(text)
            messages.warn(self, text)
            return False
        self.model.replace(entry)
        self.ctx.signals.data_changed.emit("")
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
            self.reload(saved["entry"].id)
            self.ctx.signals.data_changed.emit("")
            self.changed.emit(_("Added"))

    def rename(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        dialog = LabelsDialog(_("Rename"), entry.labels, lambda labels: lists.rename_value(
            self.ctx.db, entry.id, labels, self.ctx.actor), self)
        if dialog.exec():
            self.reload(entry.id)
            self.ctx.signals.data_changed.emit("")
            self.changed.emit(_("Renamed"))

    def move_selected(self, steps: int) -> None:
        entry = self.selected()
        if entry is not None:
            self._run(lambda: lists.move_value(self.ctx.db, entry.id, steps, self.ctx.actor),
                      _("Order changed"), entry.id)

    def toggle_active(self) -> None:
        entry = self.selected()
        if entry is not None:
            self._run(lambda: lists.set_active(self.ctx.db, entry.id, not entry.active,
                                               self.ctx.actor),
                      _("Reactivated") if not entry.active else _("Deactivated"))

    def delete(self) -> None:
        entry = self.selected()
        if entry is None or not messages.ask(self, _("Delete \"{label}\"? It was never used.",
                                                     label=entry.label(get_language()))):
            return
        self._run(lambda: lists.delete_value(self.ctx.db, entry.id, self.ctx.actor),
                  _("Deleted"))

    def apply_preset(self) -> None:
        profile = str(self.preset.currentData())
        if not messages.ask(self, _("Set this desk up as a {profile}?",
                                    profile=label("profile", profile))):
            return
        self._run(lambda: lists.apply_preset(self.ctx.db, profile, self.ctx.actor),
                  _("Profile applied: {profile}", profile=label("profile", profile)))

    # ---- texts -------------------------------------------------------------------------------
    def retranslate(self) -> None:
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
        self.add_button.setText(_("Add…"))
        self.rename_button.setText(_("Rename…"))
        self.up_button.setText(_("Move up"))
        self.down_button.setText(_("Move down"))
        self.delete_button.setText(_("Delete"))
        self.preset_box.setTitle(_("Profile preset for a new desk"))
        self.preset_button.setText(_("Apply preset"))
        self.hint.setText(_("Double-click a name to correct it. A value used by complaints is "
                            "never deleted: deactivate it, and forms stop offering it while "
                            "the complaints that use it still show it."))
        self.model.retranslate()
        self.reload()
