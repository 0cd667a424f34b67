"""The strip of stage columns: one selected card across all of them, Left/Right between
columns, drops and context menus reported to the board. Scrolls sideways when the window is
narrower than the columns' minimum widths (1366 px shows the six open stages)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QScrollArea, QWidget

from app.codes import STAGES
from app.services.board import BoardData
from app.services.common import Saved
from app.services.queue import Card
from ui.kanban.card_delegate import CardDelegate
from ui.kanban.card_model import CARD_ROLE
from ui.kanban.stage_column import CardListView, StageColumn


class BoardColumns(QScrollArea):
    selected = Signal(str)  # the person selected a card (reference)
    opened = Signal(str)  # Enter or double-click on a card
    dropped = Signal(str, str)  # a card dropped on another column: reference, stage
    menu_requested = Signal(object, QPoint)  # Card, global position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.delegate = CardDelegate(self)
        self.columns: dict[str, StageColumn] = {}
        self._selecting = False
        strip = QWidget()
        row = QHBoxLayout(strip)
        row.setContentsMargins(4, 4, 4, 4)
        row.setSpacing(4)
        for stage in STAGES:
            column = StageColumn(stage, self.delegate, strip)
            self.columns[stage] = column
            row.addWidget(column)
            self._wire(column)
        self.setWidgetResizable(True)
        self.setWidget(strip)
        # Not a Tab stop of its own (Tab goes from the filters to the first column with cards;
        # the scroll area follows the focus sideways, so the 7th column is reached too).
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _wire(self, column: StageColumn) -> None:
        view = column.view
        # Queued: the drag's own event loop finishes before the move (and any message) starts.
        column.model.drop_requested.connect(
            lambda ref, _version, stage: self.dropped.emit(ref, stage),
            Qt.ConnectionType.QueuedConnection)
        view.activated.connect(self._activated)
        view.customContextMenuRequested.connect(lambda pos, v=view: self._menu_at(v, pos))
        view.step_column.connect(lambda step, s=column.stage: self.step_column(s, step))
        view.selectionModel().selectionChanged.connect(
            lambda *_a, s=column.stage: self._column_selected(s))

    def retranslate(self) -> None:
        for column in self.columns.values():
            column.retranslate()

    # --- contents ---------------------------------------------------------------------------
    def show_cards(self, data: BoardData, filtered: bool) -> None:
        by_stage: dict[str, list[Card]] = {s: [] for s in STAGES}
        for card in data.cards:
            by_stage[card.stage].append(card)
        for stage, column in self.columns.items():
            column.model.set_cards(by_stage[stage])
            column.set_counts(len(by_stage[stage]), data.totals.get(stage, 0),
                              data.wip_limits.get(stage), filtered)
        self.columns["closed"].setVisible(data.closed_since is not None)
        self.update_tab_stops()

    def update_tab_stops(self) -> None:
        """Tab stops at the columns that have cards; an empty column is passed over."""
        for column in self.columns.values():
            column.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus if column.model.rowCount()
                                       else Qt.FocusPolicy.NoFocus)

    def first_card(self) -> Card | None:
        """The first card of the first visible column that has any."""
        for column in self.columns.values():
            if column.isVisibleTo(self) and column.model.rowCount():
                return column.model.card_at(0)
        return None

    def place_moved(self, card: Card, saved: Saved, data: BoardData | None, filtered: bool,
                    now: datetime) -> bool:
        """Show a move at once (the reload that follows confirms it); True if on the board."""
        self.columns[card.stage].model.take(card.reference)
        moved = card._replace(stage=saved.stage, version=saved.version,
                              paused_since=now if saved.stage == "proposed" else None,
                              closed_at=now if saved.stage == "closed" else card.closed_at)
        target = self.columns[saved.stage]
        shown = saved.stage != "closed" or target.isVisibleTo(self)
        if shown:
            target.model.place(moved, now)
        if data is not None:
            for stage, delta in ((card.stage, -1), (saved.stage, 1)):
                data.totals[stage] = data.totals.get(stage, 0) + delta
                column = self.columns[stage]
                column.set_counts(column.model.rowCount(), data.totals.get(stage, 0),
                                  data.wip_limits.get(stage), filtered)
        self.update_tab_stops()
        return shown

    def card(self, reference: str) -> Card | None:
        for column in self.columns.values():
            row = column.model.row_of(reference)
            if row is not None:
                return column.model.card_at(row)
        return None

    def repaint_clocks(self) -> None:
        for column in self.columns.values():
            column.view.viewport().update()

    # --- selection --------------------------------------------------------------------------
    def select(self, reference: str, scroll: bool = True) -> bool:
        """Select the card in its column (others cleared); False if it is not shown."""
        self._selecting = True
        found = False
        try:
            for column in self.columns.values():
                view, row = column.view, column.model.row_of(reference)
                if row is None:
                    view.clearSelection()
                    continue
                index = column.model.index(row, 0)
                view.selectionModel().setCurrentIndex(
                    index, view.selectionModel().SelectionFlag.ClearAndSelect)
                if scroll:
                    view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
                    self.ensureWidgetVisible(column, 0, 0)
                found = True
        finally:
            self._selecting = False
        return found

    def focus(self, reference: str) -> bool:
        """Select the card and give its column the keyboard focus."""
        card = self.card(reference)
        if card is None or not self.select(reference):
            return False
        self.columns[card.stage].view.setFocus()
        return True

    def _column_selected(self, stage: str) -> None:
        if self._selecting:
            return
        rows = self.columns[stage].view.selectionModel().selectedRows()
        if not rows:
            return
        reference = rows[0].data(CARD_ROLE).reference
        self._selecting = True
        try:
            for other, column in self.columns.items():
                if other != stage:
                    column.view.clearSelection()
        finally:
            self._selecting = False
        self.selected.emit(reference)

    def step_column(self, stage: str, step: int) -> None:
        """Left/Right: the neighbouring visible column with cards, at about the same row."""
        i = STAGES.index(stage)
        current = self.columns[stage].view.currentIndex()
        while 0 <= i + step < len(STAGES):
            i += step
            column = self.columns[STAGES[i]]
            if column.isVisibleTo(self) and column.model.rowCount() > 0:
                card = column.model.card_at(min(max(current.row(), 0),
                                                column.model.rowCount() - 1))
                if card is not None and self.focus(card.reference):
                    self.selected.emit(card.reference)
                return

    # --- scroll positions -------------------------------------------------------------------
    def scroll_state(self) -> tuple[dict[str, int], int]:
        return ({s: c.view.verticalScrollBar().value() for s, c in self.columns.items()},
                self.horizontalScrollBar().value())

    def restore_scroll(self, state: tuple[dict[str, int], int]) -> None:
        columns, sideways = state
        for stage, column in self.columns.items():
            value = columns.get(stage, 0)
            bar = column.view.verticalScrollBar()
            if value == bar.value():
                continue  # at the top before and after (the usual case while typing)
            column.view.doItemsLayout()  # scroll ranges must be known before restoring
            bar.setValue(value)
        self.horizontalScrollBar().setValue(sideways)

    # --- events from the columns ------------------------------------------------------------
    def _activated(self, index: QModelIndex) -> None:
        card = index.data(CARD_ROLE)
        if isinstance(card, Card):
            self.opened.emit(card.reference)

    def _menu_at(self, view: CardListView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        card = index.data(CARD_ROLE) if index.isValid() else None
        if isinstance(card, Card):
            self.select(card.reference, scroll=False)
            self.selected.emit(card.reference)
            self.menu_requested.emit(card, view.viewport().mapToGlobal(pos))
