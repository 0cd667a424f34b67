"""The same filtered complaints as a sortable table (for supervisors): model, proxy, view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from app import clock
from app.codes import STAGES, label
from app.i18n import N_
from app.services.queue import SEVERITY_RANK, TIER_RANK, Card
from ui.kanban.card_model import CARD_ROLE, REF_ROLE
from ui.kanban.card_text import card_tooltip, short_time, sla_clock
from ui.widgets.table_model import SORT_ROLE, Column, TableModel, show_rows

OVERDUE = "#c62828"


@dataclass(frozen=True, slots=True)
class RankedCard:
    rank: int  # place in the queue's priority order, from 1
    card: Card


def _sla_text(r: RankedCard) -> str:
    state = sla_clock(r.card, clock.now())
    return ("⚠ " if state.state == "overdue" else "") + state.text


def _sla_overdue(r: RankedCard) -> bool:
    return sla_clock(r.card, clock.now()).state == "overdue"


def _sla_key(r: RankedCard) -> float:
    c = r.card
    if c.due_at is None:
        return float("inf")
    return (c.due_at - (c.paused_since or clock.now())).total_seconds()


def _label(kind: str, attr: str) -> Callable[[RankedCard], str]:
    return lambda r: label(kind, getattr(r.card, attr))


# The column keys (widths, tests) and their specs; the first keeps the queue's priority order.
COLUMNS: tuple[tuple[str, Column[RankedCard]], ...] = (
    ("rank", Column(N_("No."), lambda r: str(r.rank), sort_key=lambda r: r.rank)),
    ("reference", Column(N_("Reference"), lambda r: r.card.reference)),
    ("stage", Column(N_("Stage"), _label("stage", "stage"),
                     sort_key=lambda r: STAGES.index(r.card.stage)
                     if r.card.stage in STAGES else 99)),
    ("severity", Column(N_("Severity"), _label("severity", "severity"),
                        sort_key=lambda r: SEVERITY_RANK.get(r.card.severity, 9))),
    ("sla", Column(N_("Time left"), _sla_text, sort_key=_sla_key,
                   colour=lambda r: OVERDUE if _sla_overdue(r) else None, bold=_sla_overdue)),
    ("customer", Column(N_("Customer"), lambda r: r.card.customer_name)),
    ("tier", Column(N_("Customer tier"), _label("tier", "tier"),
                    sort_key=lambda r: TIER_RANK.get(r.card.tier, 9))),
    ("category", Column(N_("Category"), lambda r: r.card.category)),
    ("department", Column(N_("Department / shop"), lambda r: r.card.department)),
    ("owner", Column(N_("Owner"), lambda r: r.card.owner)),
    ("received", Column(N_("Received at"),
                        lambda r: short_time(r.card.received_at, clock.now()),
                        sort_key=lambda r: r.card.received_at.isoformat())),
    ("channel", Column(N_("Channel"),
                       lambda r: label("channel", r.card.channel) if r.card.channel else "")),
    ("description", Column(N_("Description"), lambda r: " ".join(r.card.description.split()))),
)
COLUMN_KEYS = [key for key, _column in COLUMNS]


def card_table_model(parent: QObject | None = None) -> TableModel[RankedCard]:
    return TableModel([column for _key, column in COLUMNS], key=lambda r: r.card.reference,
                      tooltip=lambda r: card_tooltip(r.card, clock.now()),
                      roles={CARD_ROLE: lambda r: r.card, REF_ROLE: lambda r: r.card.reference},
                      parent=parent)


class CardTable(QTableView):
    """Sortable table of the board's complaints; Enter or double-click opens one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = card_table_model(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.source)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        # Unsorted, the proxy keeps the queue's priority order without asking for sort keys.
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        show_rows(self, wrap=False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._widths_set = False

    def set_cards(self, cards: list[Card]) -> None:
        self.source.set_rows([RankedCard(i, c) for i, c in enumerate(cards, start=1)])
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
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.source.index(row, 0))
        self.selectionModel().setCurrentIndex(
            index, self.selectionModel().SelectionFlag.ClearAndSelect
            | self.selectionModel().SelectionFlag.Rows)
        return True
