"""The one table model of the program: rows are plain values (the services' dataclasses), and
a tuple of column specs says what each column shows, how it sorts and whether it is edited in
place (Vorta's table model, with its columns as data).

Row styling (colour, bold, italics, tooltip) is given once for the model and may be overridden
per column. Sort keys are computed per column on the first sort after a reset and kept: a proxy
sorting thousands of rows asks for them tens of thousands of times.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.i18n import _

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's key (a reference, an id)
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's value itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 10  # what a QSortFilterProxyModel sorts by
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: `title` is a msgid (translated when shown; a language's own name passes
    through unchanged), `text` the cell's text for a row."""

    title: str
    text: Callable[[T], str]
    sort_key: Callable[[T], Any] | None = None  # default: the text, case-folded
    tooltip: Callable[[T], str] | None = None  # default: the row's tooltip, else the text
    colour: Callable[[T], str | None] | None = None  # default: the row's colour
    bold: Callable[[T], bool] | None = None  # default: the row's
    align_right: bool = False
    # Editable in place: store the typed text for the row; False when refused.
    edit: Callable[[T, str], bool] | None = None


class TableModel(QAbstractTableModel, Generic[T]):
    """A read-only (or, column by column, editable) table over `rows`."""

    def __init__(self, columns: Sequence[Column[T]], *,
                 key: Callable[[T], Hashable] | None = None,
                 colour: Callable[[T], str | None] | None = None,
                 bold: Callable[[T], bool] | None = None,
                 italic: Callable[[T], bool] | None = None,
                 tooltip: Callable[[T], str] | None = None,
                 roles: dict[int, Callable[[T], Any]] | None = None,  # before ours
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns: tuple[Column[T], ...] = tuple(columns)
        self.rows: list[T] = []
        self._key = key
        self._colour = colour
        self._bold = bold
        self._italic = italic
        self._tooltip = tooltip
        self._roles = roles or {}
        self._rows_by_key: dict[Hashable, int] = {}
        self._sort_keys: dict[int, list[Any]] = {}

    # ---- rows ---------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._rows_by_key = ({self._key(r): i for i, r in enumerate(self.rows)}
                             if self._key is not None else {})
        self._sort_keys = {}
        self.endResetModel()

    def key(self, row: int) -> Hashable | None:
        if self._key is None or not 0 <= row < len(self.rows):
            return None
        return self._key(self.rows[row])

    def row_of(self, key: Hashable) -> int:
        """The row holding `key`, or -1."""
        return self._rows_by_key.get(key, -1)

    def item(self, row: int) -> T | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def texts(self, row: int) -> list[str]:
        """The row's cells as shown."""
        return [c.text(self.rows[row]) for c in self.columns]

    def column_texts(self, column: int) -> list[str]:
        return [self.columns[column].text(r) for r in self.rows]

    def replace(self, item: T) -> None:
        """One row changed (same key): repaint that row only, no reset (an editor may still
        be closing on it)."""
        row = self.row_of(self._key(item)) if self._key is not None else -1
        if row >= 0:
            self.rows[row] = item
            self._sort_keys = {}
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def retranslate(self) -> None:
        """Headers and cells again in the current language."""
        self._sort_keys = {}
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.columns) - 1))
        if self.rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rows) - 1, len(self.columns) - 1))

    # ---- Qt's model API -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.columns)):
            return _(self.columns[section].title)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role == SORT_ROLE:  # first: a sort asks for it a hundred thousand times
            return self._sort_key(index.column(), index.row())
        row = self.rows[index.row()]
        extra = self._roles.get(role)
        if extra is not None:  # a view's own roles come first
            return extra(row)
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(row)
            return (self._tooltip(row) if self._tooltip is not None else "") or column.text(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = (column.colour or self._colour or _no_colour)(row)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.FontRole:
            bold = (column.bold or self._bold or _no_style)(row)
            italic = (self._italic or _no_style)(row)
            if not bold and not italic:
                return None
            font = QFont()
            font.setBold(bold)
            font.setItalic(italic)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(RIGHT)
        if role == KEY_ROLE:
            return self._key(row) if self._key is not None else None
        if role == ITEM_ROLE:
            return row
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.columns[index.column()].edit is not None:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any,  # noqa: N802 - Qt API
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        edit = self.columns[index.column()].edit
        row = self.item(index.row())
        if edit is None or row is None or str(value).strip() == self.columns[
                index.column()].text(row):
            return False
        return edit(row, str(value))

    def _sort_key(self, column: int, row: int) -> Any:
        keys = self._sort_keys.get(column)
        if keys is None:
            spec = self.columns[column]
            keys = ([spec.sort_key(r) for r in self.rows] if spec.sort_key is not None
                    else [spec.text(r).casefold() for r in self.rows])
            self._sort_keys[column] = keys
        return keys[row]


def _no_colour(_row: Any) -> str | None:
    return None


def _no_style(_row: Any) -> bool:
    return False


def show_rows(view: QTableView, *, wrap: bool) -> None:
    """How every list of rows behaves: one whole row selected at a time, read-only (a column
    that edits in place sets its own triggers), alternating rows, no row numbers, the last
    column taking the room left."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(wrap)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)


def make_table(model: QAbstractItemModel, *, wrap: bool = True) -> QTableView:
    """A read-only list whose columns fit their contents."""
    view = QTableView()
    view.setModel(model)
    show_rows(view, wrap=wrap)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view
