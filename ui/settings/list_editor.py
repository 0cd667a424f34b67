"""One page for editing a list of values kept in the database (the Lists page's categories,
departments, ...; the standard phrases): a table, a filter row above it, and the buttons
add, edit, move up and down, deactivate / reactivate and delete beside it.

A page subclass says which rows (`load`), how each button changes them (the service calls)
and what the filter row holds; refusals, keeping the selection across a reload and the
texts of the buttons are this page's. Deactivated rows stay shown, greyed and in italics:
complaints that use them still show them. Only roles that may edit lists get enabled buttons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Signal,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import DeskError
from app.i18n import _
from app.permissions import EDIT_LISTS, can
from ui import messages
from ui.context import DeskContext
from ui.settings.edit_dialogs import refusal_text
from ui.widgets.table_model import ITEM_ROLE, Column, TableModel, make_table

RETIRED_COLOUR = "#8a8a8a"
Index = QModelIndex | QPersistentModelIndex


class Editable(Protocol):
    """A row of an editable list: its id, and whether it is in use or deactivated."""

    @property
    def id(self) -> int: ...

    @property
    def active(self) -> bool: ...


R = TypeVar("R", bound=Editable)


class RowFilter(QSortFilterProxyModel):
    """Shows the rows a predicate accepts (all while none is set)."""

    def __init__(self) -> None:
        super().__init__()
        self.accepts: Callable[[Any], bool] | None = None

    def set_predicate(self, accepts: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self.accepts = accepts
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802 - Qt API
        if self.accepts is None:
            return True
        model = self.sourceModel()
        assert isinstance(model, TableModel)
        return self.accepts(model.rows[row])


class ListEditorPage(QWidget, Generic[R]):
    """`changed(text)` after a stored change, `refused(text)` with the reason of a refusal."""

    changed = Signal(str)
    refused = Signal(str)
    edit_msgid = ""  # the edit button's text: "Rename…", "Edit…"

    def __init__(self, ctx: DeskContext, columns: Sequence[Column[R]], row_type: type[R],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row_type = row_type
        self.editable = can(ctx.actor, EDIT_LISTS)
        self.model: TableModel[R] = TableModel(
            columns, key=lambda r: r.id, italic=lambda r: not r.active,
            colour=lambda r: None if r.active else RETIRED_COLOUR)
        self.proxy = RowFilter()
        self.proxy.setSourceModel(self.model)
        self.view = make_table(self.proxy, wrap=False)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self.enable_buttons())
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
        self.filters = QHBoxLayout()
        middle = QHBoxLayout()
        middle.addWidget(self.view, 1)
        middle.addLayout(side)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addLayout(self.filters)
        self.box.addLayout(middle, 1)
        self.box.addWidget(self.hint)

    # ---- what a page says -------------------------------------------------------------------
    def load(self) -> list[R]:
        raise NotImplementedError

    def add(self) -> None:
        raise NotImplementedError

    def edit(self) -> None:
        raise NotImplementedError

    def move_row(self, row: R, steps: int) -> None:
        raise NotImplementedError

    def set_row_active(self, row: R, active: bool) -> object:
        raise NotImplementedError

    def delete_row(self, row: R) -> None:
        raise NotImplementedError

    def delete_question(self, row: R) -> str:
        raise NotImplementedError

    def can_delete(self, row: R) -> bool:
        return True

    def delete_tooltip(self, row: R | None) -> str:
        return ""

    def after_change(self) -> None:
        """A stored change: tell other screens if they show these values."""

    def retranslate_own(self) -> None:
        """The page's own texts (filters, hint)."""

    # ---- reading ------------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.selected_id()
        self.model.set_rows(self.load())
        self.rows_loaded()
        if keep is not None:
            self.select(keep)
        self.enable_buttons()

    def rows_loaded(self) -> None:
        """After a reload, before the selection is put back (e.g. row heights)."""

    def select(self, row_id: int) -> bool:
        row = self.model.row_of(row_id)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()
        if not index.isValid():
            return False
        self.view.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def selected(self) -> R | None:
        rows = self.view.selectionModel().selectedRows()
        item = rows[0].data(ITEM_ROLE) if rows else None
        return item if isinstance(item, self.row_type) else None

    def selected_id(self) -> int | None:
        item = self.selected()
        return item.id if item is not None else None

    def enable_buttons(self) -> None:
        row = self.selected()
        self.add_button.setEnabled(self.editable)
        for button in (self.edit_button, self.up_button, self.down_button, self.active_button):
            button.setEnabled(self.editable and row is not None)
        self.delete_button.setEnabled(self.editable and row is not None and self.can_delete(row))
        self.delete_button.setToolTip(self.delete_tooltip(row))
        self.active_button.setText(_("Reactivate") if row is not None and not row.active
                                   else _("Deactivate"))

    # ---- changing -----------------------------------------------------------------------------
    def run(self, call: Callable[[], object], done: str, select_id: int | None = None) -> bool:
        """A service call; a refusal is said (and signalled), a change reloads and is told."""
        try:
            result = call()
        except DeskError as e:
            self.refuse(e)
            return False
        if select_id is None and isinstance(result, self.row_type):
            select_id = result.id
        self.stored(done, select_id)
        return True

    def refuse(self, error: DeskError) -> None:
        text = refusal_text(error)
        self.refused.emit(text)
        messages.warn(self, text)

    def stored(self, done: str, select_id: int | None = None) -> None:
        self.reload(select_id)
        self.after_change()
        self.changed.emit(done)

    def move_selected(self, steps: int) -> None:
        row = self.selected()
        if row is not None:
            self.run(lambda: self.move_row(row, steps), _("Order changed"), row.id)

    def toggle_active(self) -> None:
        row = self.selected()
        if row is not None:
            self.run(lambda: self.set_row_active(row, not row.active),
                     _("Reactivated") if not row.active else _("Deactivated"))

    def delete(self) -> None:
        row = self.selected()
        if row is not None and messages.ask(self, self.delete_question(row)):
            self.run(lambda: self.delete_row(row), _("Deleted"))

    # ---- texts --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.add_button.setText(_("Add…"))
        self.edit_button.setText(_(self.edit_msgid))
        self.up_button.setText(_("Move up"))
        self.down_button.setText(_("Move down"))
        self.delete_button.setText(_("Delete"))
        self.retranslate_own()
        self.model.retranslate()
        self.reload()
