"""The same filtered complaints as a sortable table (for supervisors): model, proxy, view."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app import clock
from app.codes import STAGES, label
from app.i18n import N_, _
from app.services.queue import SEVERITY_RANK, TIER_RANK, Card
from ui.kanban.card_model import CARD_ROLE, REF_ROLE
from ui.kanban.card_text import card_tooltip, short_time, sla_clock

SORT_ROLE = Qt.ItemDataRole.UserRole + 10
Index = QModelIndex | QPersistentModelIndex

# (key, header msgid); the first column keeps the queue's priority order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("rank", N_("No.")),
    ("reference", N_("Reference")),
    ("stage", N_("Stage")),
    ("severity", N_("Severity")),
    ("sla", N_("Time left")),
    ("customer", N_("Customer")),
    ("tier", N_("Customer tier")),
    ("category", N_("Category")),
    ("department", N_("Department / shop")),
    ("owner", N_("Owner")),
    ("received", N_("Received at")),
    ("channel", N_("Channel")),
    ("description", N_("Description")),
)
COLUMN_KEYS = [key for key, _msgid in COLUMNS]
OVERDUE = QColor("#c62828")


class CardTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._cards: list[Card] = []
        self._rows: dict[str, int] = {}
        # Sort keys per column, made on the first sort after a reset: the proxy asks for
        # them tens of thousands of times while sorting 5,000 rows.
        self._sort_keys: dict[int, list[Any]] = {}

    def set_cards(self, cards: list[Card]) -> None:
        self.beginResetModel()
        self._cards = list(cards)
        self._rows = {c.reference: i for i, c in enumerate(self._cards)}
        self._sort_keys = {}
        self.endResetModel()

    def row_of(self, reference: str) -> int | None:
        return self._rows.get(reference)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._cards)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return _(COLUMNS[section][1])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        card = self._cards[index.row()]
        key = COLUMN_KEYS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(card, key, index.row())
        if role == SORT_ROLE:
            keys = self._sort_keys.get(index.column())
            if keys is None:
                keys = [self._sort_value(c, key, row) for row, c in enumerate(self._cards)]
                self._sort_keys[index.column()] = keys
            return keys[index.row()]
        if role == CARD_ROLE:
            return card
        if role == REF_ROLE:
            return card.reference
        if role == Qt.ItemDataRole.ToolTipRole:
            return card_tooltip(card, clock.now())
        if key == "sla" and sla_clock(card, clock.now()).state == "overdue":
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(OVERDUE)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        return None

    @staticmethod
    def _display(card: Card, key: str, row: int) -> str:
        now = clock.now()
        if key == "rank":
            return str(row + 1)
        if key == "sla":
            state = sla_clock(card, now)
            return ("⚠ " if state.state == "overdue" else "") + state.text
        values: dict[str, str] = {
            "reference": card.reference,
            "stage": label("stage", card.stage),
            "severity": label("severity", card.severity),
            "customer": card.customer_name,
            "tier": label("tier", card.tier),
            "category": card.category,
            "department": card.department,
            "owner": card.owner,
            "received": short_time(card.received_at, now),
            "channel": label("channel", card.channel) if card.channel else "",
            "description": " ".join(card.description.split()),
        }
        return values.get(key, "")

    @staticmethod
    def _sort_value(card: Card, key: str, row: int) -> Any:
        if key == "rank":
            return row
        if key == "stage":
            return STAGES.index(card.stage) if card.stage in STAGES else 99
        if key == "severity":
            return SEVERITY_RANK.get(card.severity, 9)
        if key == "tier":
            return TIER_RANK.get(card.tier, 9)
        if key == "sla":
            due = card.due_at or datetime.max
            return (due - (card.paused_since or clock.now())).total_seconds() \
                if card.due_at else float("inf")
        if key == "received":
            return card.received_at.isoformat()
        return CardTableModel._display(card, key, row).casefold()


class CardTable(QTableView):
    """Sortable table of the board's complaints; Enter or double-click opens one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = CardTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.source)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        # Unsorted, the proxy keeps the queue's priority order without asking for sort keys.
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._widths_set = False

    def set_cards(self, cards: list[Card]) -> None:
        self.source.set_cards(cards)
        if not self._widths_set and cards:
            self._widths_set = True
            self.resize_columns()

    def resize_columns(self) -> None:
        fm = self.fontMetrics()
        widths = {"rank": 5, "reference": 17, "stage": 9, "severity": 7, "sla": 13,
                  "customer": 12, "tier": 9, "category": 11, "department": 11, "owner": 9,
                  "received": 11, "channel": 9}
        for i, key in enumerate(COLUMN_KEYS):
            if key in widths:
                self.setColumnWidth(i, fm.averageCharWidth() * widths[key] + 16)

    def card_at(self, proxy_index: QModelIndex) -> Card | None:
        card = proxy_index.data(CARD_ROLE) if proxy_index.isValid() else None
        return card if isinstance(card, Card) else None

    def current_card(self) -> Card | None:
        rows = self.selectionModel().selectedRows()
        return self.card_at(rows[0]) if rows else None

    def select_reference(self, reference: str) -> bool:
        row = self.source.row_of(reference)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.source.index(row, 0))
        self.selectionModel().setCurrentIndex(
            index, self.selectionModel().SelectionFlag.ClearAndSelect
            | self.selectionModel().SelectionFlag.Rows)
        return True
