"""The queue as a kanban board (one column per stage) or, one keystroke away, a table.

Loading runs off the GUI thread; the board reloads when `data_changed` fires and when the
cheap change marker moves (other windows, other counters on a shared database), keeping the
selected card and every scroll position. Every move goes through the workflow service.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QMenu, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app import clock
from app.codes import STAGES, label
from app.i18n import _
from app.rules.stages import RESOLVED_STAGES
from app.services.board import BoardData, stage_after
from app.services.common import Saved
from app.services.queue import Card
from app.sla import is_overdue
from ui.context import DeskContext
from ui.kanban.board_columns import BoardColumns
from ui.kanban.board_loader import BoardLoader
from ui.kanban.card_model import CARD_ROLE
from ui.kanban.card_mover import CardMover
from ui.kanban.filter_bar import FilterBar
from ui.kanban.table_view import CardTable
from ui.shortcuts import keys

POLL_MS = 4000  # how often the change marker is read while the board is on screen
TICK_MS = 60_000  # the SLA clocks on the cards move on every minute
COALESCE_MS = 50  # several data_changed in a row cause one reload


class BoardView(QWidget):
    loaded = Signal()  # a load has been applied to the columns and the table
    move_finished = Signal(str, bool)  # reference, whether it moved

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings or QSettings()
        self.data: BoardData | None = None
        self._current_ref: str | None = None
        self._next_due: datetime | None = None
        self._table_stale = False  # the table is filled when it is shown

        self.filter_bar = FilterBar(ctx, self.settings, self)
        self.view_switch = QPushButton()
        self.view_switch.setCheckable(True)
        self.filter_bar.extra.addWidget(self.view_switch)
        # Tab follows the rows as they are seen: the switch at the end of the first row.
        QWidget.setTabOrder(self.filter_bar.clear_button, self.view_switch)
        self.board = BoardColumns()
        self.columns = self.board.columns
        self.table = CardTable()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.board)
        self.stack.addWidget(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.stack, 1)

        self.board.selected.connect(self._board_selected)
        self.board.opened.connect(ctx.signals.open_complaint)
        self.board.dropped.connect(self.move_card)
        self.board.menu_requested.connect(lambda card, at: self.card_menu(card).exec(at))
        self.table.activated.connect(self._open_index)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.table.selectionModel().selectionChanged.connect(self._table_selected)

        self.loader = BoardLoader(ctx.db, lambda: (self.filter_bar.queue_filter(),
                                                   self.filter_bar.closed_shown()), self)
        self.loader.loaded.connect(self.apply)
        self.loader.failed.connect(lambda error: self.filter_bar.set_summary(
            _("Could not load the queue: {error}", error=error)))
        self.mover = CardMover(ctx, self)
        self.mover.moved.connect(self._moved)
        self.mover.finished.connect(self.move_finished)

        self.act_table = self._action(keys("board.table"), self.toggle_table)
        self.act_next = self._action(keys("board.next_stage"), lambda: self.move_current(1))
        self.act_prev = self._action(keys("board.previous_stage"), lambda: self.move_current(-1))
        self.act_refresh = self._action(keys("board.refresh"), self.reload)
        self.act_search = self._action(keys("board.search"), self.focus_search)
        self.act_clear = self._action(keys("board.clear_filters"), self.filter_bar.clear)
        # From the search box, Down or Enter goes to the cards (the result of the search).
        self.filter_bar.search.installEventFilter(self)
        self.view_switch.toggled.connect(self.set_table_mode)

        self._coalesce = self._timer(COALESCE_MS, self.reload, single=True)
        self._poll_timer = self._timer(POLL_MS, self.poll)
        self._tick = self._timer(TICK_MS, self._minute)
        self._poll_timer.start()
        self._tick.start()
        self.filter_bar.changed.connect(self.reload)
        ctx.signals.filter_queue.connect(self.filter_bar.apply_request)
        ctx.signals.data_changed.connect(lambda _ref: self._coalesce.start())

        self.retranslate(reload=False)
        self.set_table_mode(self.settings.value("board/view", "board") == "table")
        self.reload()

    def _action(self, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _timer(self, ms: int, slot: Callable[[], object], single: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(ms)
        timer.setSingleShot(single)
        timer.timeout.connect(slot)
        return timer

    def retranslate(self, reload: bool = True) -> None:
        self.filter_bar.retranslate()
        self.view_switch.setText(_("Board") if self.table_mode() else _("Table"))
        self.view_switch.setToolTip(_("Switch between board and table (Ctrl+T)"))
        self.act_table.setText(_("Board / table"))
        self.act_next.setText(_("Move to the next stage"))
        self.act_prev.setText(_("Move to the previous stage"))
        self.act_refresh.setText(_("Refresh"))
        self.act_search.setText(_("Search"))
        self.act_clear.setText(_("Clear filters"))
        self.board.retranslate()
        self.table.source.retranslate()
        if reload:
            self.reload()  # category and department names come from the database

    # --- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Load the board again (off the GUI thread); requests made meanwhile coalesce."""
        if self.data is None:
            self.filter_bar.set_summary(_("Loading…"))
        self.loader.reload()

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.search.selectAll()

    def focus_cards(self) -> bool:
        """The keyboard focus to the selected card, else the first one shown."""
        if self.table_mode():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            if self.table.current_card() is None and self.table.model().rowCount():
                self.table.selectRow(0)
            return self.table.model().rowCount() > 0
        card = self.current_card() or self.board.first_card()
        return card is not None and self.focus_card(card.reference)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (watched is self.filter_bar.search and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.KeypadModifier)
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.filter_bar.apply_now()  # a search typed just now is not waited for
            if self.focus_cards():
                return True
        return super().eventFilter(watched, event)

    def busy(self) -> bool:
        """A load runs or is about to start."""
        return self.loader.loading or self._coalesce.isActive()

    def poll(self) -> None:
        """Reload if someone changed something (only while the board is on screen)."""
        if self.isVisible():
            self.loader.poll()

    def apply(self, data: BoardData) -> None:
        """Show loaded data, keeping the selected card and the scroll positions."""
        scroll, table_scroll = self.board.scroll_state(), self.table.verticalScrollBar().value()
        self.data = data
        self.board.show_cards(data, self.filter_bar.is_filtered())
        self._table_stale = True
        if self.table_mode():
            self._fill_table()
        if self._current_ref:
            self.select_reference(self._current_ref, scroll=False)
        self.board.restore_scroll(scroll)
        self.table.verticalScrollBar().setValue(table_scroll)
        self._update_summary()
        future = [c.due_at for c in data.cards if c.due_at and c.due_at > data.loaded_at
                  and c.stage not in RESOLVED_STAGES]
        self._next_due = min(future) if future else None
        self.loaded.emit()

    def _fill_table(self) -> None:
        if self._table_stale and self.data is not None:
            self._table_stale = False
            self.table.set_cards(self.data.cards)

    def _update_summary(self) -> None:
        problem = self.filter_bar.problem()
        if problem is not None:  # nothing can match: say why, not "0 shown"
            self.filter_bar.set_summary(problem, filtered=True, error=True)
            return
        now = clock.now()
        open_cards = [c for c in (self.data.cards if self.data else []) if c.stage != "closed"]
        overdue = sum(1 for c in open_cards if is_overdue(c.stage, c.due_at, now, c.paused_since))
        if not self.filter_bar.is_filtered():
            self.filter_bar.set_summary(_("{count} open shown, {overdue} overdue",
                                          count=f"{len(open_cards):,}", overdue=f"{overdue:,}"))
            return
        # Filtered (perhaps by a filter kept from the last session): the part against the
        # whole, and which filters make the difference.
        total = sum(self.data.totals.values()) if self.data else 0
        self.filter_bar.set_summary(
            _("Filtered: {shown} of {total} open shown, {overdue} overdue — {filters}",
              shown=f"{len(open_cards):,}", total=f"{total:,}", overdue=f"{overdue:,}",
              filters=", ".join(self.filter_bar.active_names())), filtered=True)

    def _minute(self) -> None:
        """Clocks move on; when a card falls due its place in the order changes: reload."""
        if self._next_due is not None and clock.now() >= self._next_due:
            self.reload()
            return
        self.board.repaint_clocks()
        self.table.viewport().update()
        self._update_summary()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.data is not None:
            self.poll()

    # --- selection --------------------------------------------------------------------------
    def card(self, reference: str) -> Card | None:
        return self.board.card(reference)

    def current_card(self) -> Card | None:
        if self.table_mode():
            return self.table.current_card()
        return self.card(self._current_ref) if self._current_ref else None

    def select_reference(self, reference: str, scroll: bool = True) -> bool:
        """Select the card on the board and in the table; False if it is not shown."""
        found = self.board.select(reference, scroll)
        self.table.select_reference(reference)
        self._current_ref = reference if found else None
        return found

    def focus_card(self, reference: str) -> bool:
        """Select the card and give its column (or the table) the keyboard focus."""
        if not self.select_reference(reference):
            return False
        if self.table_mode():
            self.table.setFocus()
        else:
            self.board.focus(reference)
        return True

    def _board_selected(self, reference: str) -> None:
        self._current_ref = reference
        self.table.select_reference(reference)

    def _table_selected(self) -> None:
        card = self.table.current_card()
        if card is not None and self.table_mode():
            self._current_ref = card.reference

    def _open_index(self, index: QModelIndex) -> None:
        card = index.data(CARD_ROLE)
        if isinstance(card, Card):
            self.ctx.signals.open_complaint.emit(card.reference)

    # --- moving -----------------------------------------------------------------------------
    def move_current(self, step: int) -> bool:
        """Ctrl+Right / Ctrl+Left: the selected card to the next / previous stage."""
        card = self.current_card()
        target = stage_after(card.stage, step) if card else None
        return bool(card and target and self.mover.request(card, target))

    def move_card(self, reference: str, to_stage: str) -> bool:
        card = self.card(reference)
        return bool(card and self.mover.request(card, to_stage))

    def _moved(self, card: Card, saved: Saved) -> None:
        shown = self.board.place_moved(card, saved, self.data, self.filter_bar.is_filtered(),
                                       clock.now())
        # The moved card stays selected, so Ctrl+Right can carry it on stage by stage.
        if shown and self._current_ref in (None, card.reference) and not self.table_mode():
            self.focus_card(card.reference)

    # --- menus ------------------------------------------------------------------------------
    def card_menu(self, card: Card) -> QMenu:
        """Open, next/previous stage, and "Move to…" any stage (the guards decide)."""
        menu = QMenu(self)
        menu.addAction(_("Open complaint"),
                       lambda: self.ctx.signals.open_complaint.emit(card.reference))
        menu.addAction(_("Print slip…"), lambda: self.reprint(card.reference))
        menu.addSeparator()
        for step, action in ((1, self.act_next), (-1, self.act_prev)):
            target = stage_after(card.stage, step)
            if target:
                item = menu.addAction(_("Move to {stage}", stage=label("stage", target)),
                                      partial(self.mover.request, card, target))
                item.setShortcut(action.shortcut())  # shown in the menu; the board's acts
        sub = menu.addMenu(_("Move to…"))
        for stage in STAGES:
            action = sub.addAction(label("stage", stage), partial(self.mover.request, card, stage))
            action.setEnabled(stage != card.stage)
        return menu

    def reprint(self, reference: str) -> None:
        from ui.slip_reprint import reprint_slip

        reprint_slip(self.ctx, reference, self)

    def _table_menu(self, pos: QPoint) -> None:
        card = self.table.card_at(self.table.indexAt(pos))
        if card is not None:
            self.card_menu(card).exec(self.table.viewport().mapToGlobal(pos))

    # --- board / table ----------------------------------------------------------------------
    def table_mode(self) -> bool:
        return self.stack.currentWidget() is self.table

    def toggle_table(self) -> None:
        self.set_table_mode(not self.table_mode())

    def set_table_mode(self, on: bool) -> None:
        if on:
            self._fill_table()
        self.stack.setCurrentWidget(self.table if on else self.board)
        if self.view_switch.isChecked() != on:
            self.view_switch.setChecked(on)  # re-enters once with the same value
        self.view_switch.setText(_("Board") if on else _("Table"))
        self.settings.setValue("board/view", "table" if on else "board")
        if self._current_ref:
            self.focus_card(self._current_ref)
        elif on:
            self.table.setFocus()
