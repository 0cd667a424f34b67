"""Several choices in one tab stop: a grid of checkable items. Number keys toggle an item,
arrows move, Space toggles the current one (what a keyboard-first counter needs)."""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QWidget,
)

CODE_ROLE = Qt.ItemDataRole.UserRole


class CheckGroup(QListWidget):
    """Checkable (code, label) items laid out in `columns` columns."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, columns: int = 4) -> None:
        super().__init__(parent)
        self.columns = columns
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def set_choices(self, pairs: list[tuple[str, str]]) -> None:
        """Fill the items (numbered labels), keeping what was checked."""
        checked = set(self.codes())
        self.blockSignals(True)
        self.clear()
        for n, (code, text) in enumerate(pairs, start=1):
            item = QListWidgetItem(f"{n} {text}" if n <= 9 else text)
            item.setData(CODE_ROLE, code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if code in checked
                               else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.blockSignals(False)
        self._fit()

    def codes(self) -> list[str]:
        """The checked codes, in list order."""
        return [str(self.item(i).data(CODE_ROLE)) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_codes(self, codes: list[str]) -> None:
        wanted = set(codes)
        self.blockSignals(True)
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(CODE_ROLE) in wanted
                               else Qt.CheckState.Unchecked)
        self.blockSignals(False)
        self.changed.emit()

    def toggle(self, row: int) -> None:
        item = self.item(row)
        if item is None:
            return
        item.setCheckState(Qt.CheckState.Unchecked if item.checkState() == Qt.CheckState.Checked
                           else Qt.CheckState.Checked)
        self.setCurrentRow(row)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        text = event.text()
        if text.isdigit() and text != "0" and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            self.toggle(int(text) - 1)
            return
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            self.toggle(max(0, self.currentRow()))
            return
        super().keyPressEvent(event)

    def _columns(self) -> int:
        """`columns`, fewer when the longest label (in this language) would not fit."""
        fm = self.fontMetrics()
        check = self.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, self) + 16
        widest = max((fm.horizontalAdvance(self.item(i).text()) for i in range(self.count())),
                     default=0) + check
        room = self.viewport().width() - 2
        return max(1, min(self.columns, room // max(1, widest)))

    def _cell(self) -> QSize:
        height = max(self.fontMetrics().height() + 10, 24)
        width = max(60, (self.viewport().width() - 2) // self._columns())
        return QSize(width, height)

    def _fit(self) -> None:
        # A fixed grid: every label lines up and the list never needs a scroll bar.
        cell = self._cell()
        self.setGridSize(cell)
        for i in range(self.count()):
            self.item(i).setSizeHint(cell)  # centred in its cell, not hanging at the top
        rows = max(1, math.ceil(self.count() / self._columns()))
        self.setFixedHeight(rows * cell.height() + 2 * self.frameWidth() + 4)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self.columns * 80, super().minimumSizeHint().height())
