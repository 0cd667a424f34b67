"""One board column's cards as a Qt list model: roles for the delegate, drag and drop by
reference (the move itself is the board's business, through the workflow service)."""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app import clock
from app.services.queue import Card, priority_key
from ui.kanban.card_text import card_tooltip, severity_text, sla_clock

MIME_TYPE = "application/x-complaint-desk-card"
CARD_ROLE = Qt.ItemDataRole.UserRole + 1
REF_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


def card_mime(card: Card) -> QMimeData:
    """The drag payload: reference, version (for the conflict check) and the source stage."""
    mime = QMimeData()
    payload = {"reference": card.reference, "version": card.version, "stage": card.stage}
    mime.setData(MIME_TYPE, json.dumps(payload).encode("utf-8"))
    mime.setText(card.reference)
    return mime


def read_mime(mime: QMimeData) -> dict[str, Any] | None:
    if not mime.hasFormat(MIME_TYPE):
        return None
    try:
        payload = json.loads(bytes(mime.data(MIME_TYPE).data()).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("reference"), str):
        return None
    return payload


class CardListModel(QAbstractListModel):
    """The cards of one stage, in the queue service's priority order."""

    # A card was dropped here: reference, version it had when dragged, this column's stage.
    drop_requested = Signal(str, int, str)

    def __init__(self, stage: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self._cards: list[Card] = []
        self._rows: dict[str, int] = {}

    # --- contents -------------------------------------------------------------------------
    def set_cards(self, cards: list[Card]) -> None:
        if cards == self._cards:
            return  # the same cards (a search narrowed to what is shown): nothing to lay out
        self.beginResetModel()
        self._cards = list(cards)
        self._reindex()
        self.endResetModel()

    def cards(self) -> list[Card]:
        return list(self._cards)

    def card_at(self, row: int) -> Card | None:
        return self._cards[row] if 0 <= row < len(self._cards) else None

    def row_of(self, reference: str) -> int | None:
        return self._rows.get(reference)

    def take(self, reference: str) -> Card | None:
        """Remove one card (it moved to another column); returns it."""
        row = self._rows.get(reference)
        if row is None:
            return None
        self.beginRemoveRows(QModelIndex(), row, row)
        card = self._cards.pop(row)
        self._reindex()
        self.endRemoveRows()
        return card

    def place(self, card: Card, now: datetime) -> int:
        """Insert a card where the queue's priority order puts it; returns its row."""
        keys = [priority_key(c, now) for c in self._cards]
        row = bisect.bisect_left(keys, priority_key(card, now))
        self.beginInsertRows(QModelIndex(), row, row)
        self._cards.insert(row, card)
        self._reindex()
        self.endInsertRows()
        return row

    def _reindex(self) -> None:
        self._rows = {c.reference: i for i, c in enumerate(self._cards)}

    # --- Qt model API ---------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._cards)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        card = self.card_at(index.row()) if index.isValid() else None
        if card is None:
            return None
        if role == CARD_ROLE:
            return card
        if role == REF_ROLE:
            return card.reference
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            now = clock.now()
            return " · ".join(p for p in (card.reference, severity_text(card),
                                          card.customer_name, card.category,
                                          sla_clock(card, now).text) if p)
        if role == Qt.ItemDataRole.ToolTipRole:
            return card_tooltip(card, clock.now())
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # a drop anywhere in the column
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt API
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802 - Qt API
        cards = [c for c in (self.card_at(i.row()) for i in indexes if i.isValid()) if c]
        return card_mime(cards[0]) if cards else QMimeData()

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802 - Qt API
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802 - Qt API
        return Qt.DropAction.MoveAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                        column: int, parent: Index) -> bool:
        payload = read_mime(data)
        return payload is not None and payload.get("stage") != self.stage

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                     column: int, parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        payload = read_mime(data)
        assert payload is not None
        # The card stays where it is until the service agrees; the board then moves it.
        self.drop_requested.emit(payload["reference"], int(payload.get("version") or 0),
                                 self.stage)
        return True

    def removeRows(self, row: int, count: int,  # noqa: N802 - Qt API
                   parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return False  # a finished drag must not remove the card: the service decides
