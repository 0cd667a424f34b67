"""Table models for the lists and phrases pages: rows are the services' dataclasses; a retired
row is shown greyed and in italics, never hidden (its complaints still show it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.codes import label
from app.i18n import N_, _
from app.services.lists import Labels, ListEntry
from app.services.phrases import PhraseItem
from ui.main_window import LANGUAGE_NAMES

Index = QModelIndex | QPersistentModelIndex
RETIRED = QColor("#8a8a8a")
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class _RowsModel(QAbstractTableModel):
    headers: list[str] = []

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            text = self.headers[section]
            return LANGUAGE_NAMES.get(text) or _(text)
        return None

    def replace(self, item: Any) -> None:
        """One row changed (same id): repaint it only."""
        row = self.row_of(item.id)
        if row >= 0:
            self.rows[row] = item
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.headers) - 1))

    def row_of(self, item_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == item_id), -1)

    def _common(self, row: Any, role: int) -> Any:
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QBrush(RETIRED)
        if role == Qt.ItemDataRole.FontRole and not row.active:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.headers) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rows) - 1, len(self.headers) - 1))


class ListModel(_RowsModel):
    """One list's values: labels in the three languages (edited in place), uses, status."""

    headers = ["zh-Hans", "zh-Hant", "en", N_("Complaints"), N_("Status")]
    LANG_COLUMNS = ("zh-Hans", "zh-Hant", "en")

    def __init__(self, rename: Callable[[int, Labels], bool]) -> None:
        super().__init__()
        self.rename = rename  # stores new labels; False when refused

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: ListEntry = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column < 3:
                return row.label(self.LANG_COLUMNS[column])
            if column == 3:
                return str(row.uses)
            return _("In use") if row.active else _("Deactivated")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _("Code: {code}", code=row.code)
        return self._common(row, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() < 3 else base

    def setData(self, index: Index, value: Any,  # noqa: N802 - Qt API
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() >= 3:
            return False
        row: ListEntry = self.rows[index.row()]
        labels = [row.labels.zh_hans, row.labels.zh_hant, row.labels.en]
        if str(value).strip() == labels[index.column()]:
            return False
        labels[index.column()] = str(value)
        return self.rename(row.id, Labels(*labels))


class PhraseModel(_RowsModel):
    headers = [N_("Kind"), N_("Category"), N_("Text")]

    def __init__(self) -> None:
        super().__init__()
        self.category_labels: dict[str, str] = {}

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: PhraseItem = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return label("phrase_kind", row.kind)
            if column == 1:
                if row.category is None:
                    return _("Any category")
                return self.category_labels.get(row.category, row.category)
            text = row.text if row.active else _("(deactivated) {text}", text=row.text)
            return text
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return row.text
        return self._common(row, role)
