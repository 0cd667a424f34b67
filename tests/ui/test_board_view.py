"""The board's filters and search, the SLA clock, the table view, refreshing in place
(data_changed and polling), language switching and keyboard navigation between columns."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import set_language
from app.services import resolution
from app.services.common import Actor
from tests.conftest import ControlledClock
from tests.ui.board_helpers import assess, board_maker, log, stage_refs
from ui.context import DeskContext
from ui.kanban.board_view import BoardView
from ui.kanban.card_model import CARD_ROLE
from ui.kanban.card_text import sla_clock


@pytest.fixture
def make_board(qtbot: QtBot, fixed_clock: ControlledClock
               ) -> Iterator[Callable[[DeskContext], BoardView]]:
    yield from board_maker(qtbot)


def test_filters_narrow_the_cards(db: Database, ctx: DeskContext, clerk: Actor,
                                  supervisor: Actor, make_board: object,
                                  qtbot: QtBot) -> None:
    mine = log(db, clerk, "停车场收费与公示不符", customer_name="王芳", phone="13800000080")
    assess(db, mine, clerk, "serious")
    theirs = log(db, clerk, "空调太冷，多次反映无人处理", customer_name="Mary Wong",
                 phone="13800000081", channel="phone")
    assess(db, theirs, supervisor)
    fresh = log(db, clerk, "卫生间长时间无人清洁", phone="13800000082",
                department="customer_service")
    board = make_board(ctx)
    bar = board.filter_bar

    def shown() -> set[str]:
        return {c.reference for c in board.data.cards}

    def apply(change: object) -> None:
        with qtbot.waitSignal(board.loaded, timeout=5000):
            change()

    assert shown() == {mine, theirs, fresh}
    apply(lambda: bar.set_text_now("停车场"))
    assert shown() == {mine}
    assert board.columns["assessed"].header_text().split()[-1] == "2"  # "1 of 2"
    apply(lambda: bar.set_text_now("mary"))
    assert shown() == {theirs}
    apply(lambda: bar.set_text_now(""))
    apply(lambda: bar.owner.setCurrentIndex(bar.owner.findData("mine")))
    assert shown() == {mine}
    apply(lambda: bar.owner.setCurrentIndex(0))
    apply(lambda: bar.severity.setCurrentIndex(bar.severity.findData("serious")))
    assert shown() == {mine}
    apply(lambda: bar.severity.setCurrentIndex(0))
    apply(lambda: bar.channel.setCurrentIndex(bar.channel.findData("phone")))
    assert shown() == {theirs}
    apply(lambda: bar.channel.setCurrentIndex(0))
    apply(lambda: bar.department.setCurrentIndex(bar.department.findData("customer_service")))
    assert shown() == {fresh}
    apply(bar.clear)
    assert shown() == {mine, theirs, fresh}


def test_typing_is_debounced_and_chinese_input_searches(db: Database, ctx: DeskContext,
                                                        clerk: Actor, make_board: object,
                                                        qtbot: QtBot) -> None:
    from PySide6.QtGui import QInputMethodEvent

    hit = log(db, clerk, "皮鞋开胶", customer_name="王芳", phone="13800000090")
    log(db, clerk, "空调太冷", phone="13800000091")
    board = make_board(ctx)
    loads = []
    board.loaded.connect(lambda: loads.append(1))
    board.filter_bar.search.setFocus()
    for ch in "皮鞋开":  # an input method commits character by character
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(board.filter_bar.search, event)
    qtbot.waitUntil(lambda: board.data is not None
                    and {c.reference for c in board.data.cards} == {hit}, timeout=5000)
    assert len(loads) == 1  # three keystrokes, one search


def test_filter_state_is_remembered(db: Database, ctx: DeskContext, clerk: Actor,
                                    make_board: object, qtbot: QtBot) -> None:
    log(db, clerk, phone="13800000100")
    board = make_board(ctx)
    with qtbot.waitSignal(board.loaded, timeout=5000):
        board.filter_bar.set_text_now("王芳")
    with qtbot.waitSignal(board.loaded, timeout=5000):
        board.filter_bar.overdue.setChecked(True)
    board.toggle_table()
    again = make_board(ctx)
    assert again.filter_bar.search.text() == "王芳"
    again.focus_search()
    assert again.filter_bar.search.selectedText() == "王芳"
    assert again.filter_bar.overdue.isChecked()
    assert again.table_mode()


def test_overdue_clock_uses_the_controlled_clock(db: Database, ctx: DeskContext,
                                                 clerk: Actor, make_board: object,
                                                 fixed_clock: ControlledClock) -> None:
    ref = log(db, clerk, phone="13800000110")
    resolution.assess(db, ref, category="product_quality", severity="urgent",
                      owner_id=clerk.user_id, actor=clerk)  # urgent: due in 24 hours
    fixed_clock.advance(hours=27)
    board = make_board(ctx)
    model = board.columns["assessed"].model
    card = model.index(0, 0).data(CARD_ROLE)
    assert sla_clock(card, fixed_clock.now).state == "overdue"
    assert "Overdue 3h 0m" in model.index(0, 0).data()
    assert "1 overdue" in board.filter_bar.summary.text()
    board.toggle_table()
    sla_col = [board.table.model().headerData(i, Qt.Orientation.Horizontal)
               for i in range(board.table.model().columnCount())].index("Time left")
    cell = board.table.model().index(0, sla_col)
    assert cell.data() == "⚠ Overdue 3h 0m"
    assert cell.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#c62828"
    fixed_clock.at(datetime(2026, 3, 10, 11, 0))  # an hour after logging: time left
    assert "23h left" in model.index(0, 0).data()
    fixed_clock.at(datetime(2026, 3, 11, 7, 30))
    assert "2h 30m left" in model.index(0, 0).data()
    board.toggle_table()
    assert not board.grab().isNull()  # the delegate paints the cards without error


def test_table_toggle_and_open(db: Database, ctx: DeskContext, clerk: Actor,
                               make_board: object, qtbot: QtBot) -> None:
    first = log(db, clerk, phone="13800000120")
    second = log(db, clerk, phone="13800000121")
    board = make_board(ctx)
    board.focus_card(second)
    qtbot.keyClick(board.columns["new"].view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert board.table_mode()
    assert board.table.current_card().reference == second  # the selection carries over
    with qtbot.waitSignal(ctx.signals.open_complaint) as opened:
        qtbot.keyClick(board.table, Qt.Key.Key_Return)
    assert opened.args == [second]
    ref_col = 1
    board.table.sortByColumn(ref_col, Qt.SortOrder.DescendingOrder)
    assert board.table.model().index(0, ref_col).data() == second
    board.table.sortByColumn(ref_col, Qt.SortOrder.AscendingOrder)
    assert board.table.model().index(0, ref_col).data() == first
    qtbot.keyClick(board.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert not board.table_mode()


def test_refresh_keeps_selection_and_scroll(db: Database, ctx: DeskContext, clerk: Actor,
                                            make_board: object, qtbot: QtBot) -> None:
    refs = [log(db, clerk, f"投诉 {i}", phone=f"138000002{i:02d}") for i in range(30)]
    board = make_board(ctx)
    view = board.columns["new"].view
    target = refs[20]
    board.focus_card(target)
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    kept = bar.value()
    log(db, clerk, "新来的投诉", phone="13800000299")
    with qtbot.waitSignal(board.loaded, timeout=5000):
        ctx.signals.data_changed.emit("")
    assert len(stage_refs(board, "new")) == 31
    assert board.current_card().reference == target
    assert [i.data(CARD_ROLE).reference for i in view.selectionModel().selectedRows()] == [
        target]
    assert bar.value() == kept


def test_polling_notices_changes_made_elsewhere(db: Database, ctx: DeskContext,
                                                clerk: Actor, make_board: object,
                                                qtbot: QtBot) -> None:
    board = make_board(ctx)
    assert stage_refs(board, "new") == []
    ref = log(db, clerk, phone="13800000300")  # another counter: no signal reaches us
    with qtbot.waitSignal(board.loaded, timeout=5000):
        board.poll()
    assert stage_refs(board, "new") == [ref]
    loads: list[int] = []
    board.loaded.connect(lambda: loads.append(1))
    board.poll()
    qtbot.waitUntil(lambda: not board.loader.polling, timeout=5000)
    assert loads == []  # nothing changed: no reload


def test_language_switch_retranslates(db: Database, ctx: DeskContext, clerk: Actor,
                                      make_board: object, qtbot: QtBot) -> None:
    log(db, clerk, phone="13800000310")
    board = make_board(ctx)
    set_language("zh-Hans")
    with qtbot.waitSignal(board.loaded, timeout=5000):
        board.retranslate()
    assert board.columns["new"].header_text().startswith("已登记")
    card = board.columns["new"].model.index(0, 0).data()
    assert "商品质量" in card  # category labels come from the database in the language
    assert board.filter_bar.overdue.text() != "Overdue only"


def test_closed_column_can_be_hidden(db: Database, ctx: DeskContext, clerk: Actor,
                                     make_board: object, qtbot: QtBot) -> None:
    board = make_board(ctx)
    assert board.columns["closed"].isVisible()
    with qtbot.waitSignal(board.loaded, timeout=5000):
        board.filter_bar.show_closed.setChecked(False)
    assert not board.columns["closed"].isVisible()


def test_plain_arrows_step_between_columns(db: Database, ctx: DeskContext, clerk: Actor,
                                           make_board: object, qtbot: QtBot) -> None:
    a = log(db, clerk, phone="13800000320")
    b = log(db, clerk, phone="13800000321")
    assess(db, b, clerk)
    board = make_board(ctx)
    board.focus_card(a)
    qtbot.keyClick(board.columns["new"].view, Qt.Key.Key_Right)
    assert board.current_card().reference == b
    qtbot.keyClick(board.columns["assessed"].view, Qt.Key.Key_Left)
    assert board.current_card().reference == a


def test_clock_words_for_every_state(db: Database, ctx: DeskContext, clerk: Actor,
                                     fixed_clock: ControlledClock) -> None:

    from app.services.queue import queue_cards
    from ui.kanban.card_text import compact_duration

    log(db, clerk, phone="13800000400")
    card = queue_cards(db)[0]  # normal: due in 7 days
    now = fixed_clock.now
    assert (sla_clock(card, now).text, sla_clock(card, now).state) == ("7d left", "ok")
    soon = card._replace(due_at=now + timedelta(hours=2, minutes=5))
    assert (sla_clock(soon, now).text, sla_clock(soon, now).state) == ("2h 5m left", "soon")
    paused = card._replace(paused_since=now - timedelta(hours=1),
                     due_at=now + timedelta(days=1, hours=5))
    assert sla_clock(paused, now).text == "Paused, 1d left"  # stopped at the pause
    # Paused after the due time: still overdue (as app.sla.is_overdue), and says it is paused.
    late_pause = card._replace(paused_since=now - timedelta(hours=2),
                         due_at=now - timedelta(hours=2, minutes=30))
    assert (sla_clock(late_pause, now).text, sla_clock(late_pause, now).state) == (
        "Overdue 30m, paused", "overdue")
    assert sla_clock(card._replace(stage="follow_up"), now).text == "Resolved"
    assert sla_clock(card._replace(stage="closed", closed_at=now), now).text == "Closed 10 Mar"
    assert sla_clock(card._replace(due_at=None), now).state == "none"
    assert [compact_duration(timedelta(minutes=m)) for m in (5, 125, 600, 1500, 5000)] == [
        "5m", "2h 5m", "10h", "1d 1h", "3d"]


def test_dashboard_filter_request_narrows_the_board(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A figure clicked on the dashboard arrives as `filter_queue` and sets the filter bar."""
    from datetime import date

    from app.services.queue import QueueFilter
    from ui.dashboard.dashboard_view import filter_dict
    from ui.kanban.board_view import BoardView

    view = BoardView(ctx)
    qtbot.addWidget(view)
    view.filter_bar.set_text_now("something")
    ctx.signals.filter_queue.emit(filter_dict(QueueFilter(
        severity="urgent", overdue_only=True, received_from=date(2026, 3, 1))))
    f = view.filter_bar.queue_filter()
    assert f.text == "" and f.severity == "urgent" and f.overdue_only
    assert f.received_from == date(2026, 3, 1) and f.received_to is None


def test_a_remembered_filter_is_visible_after_a_restart(
        db: Database, ctx: DeskContext, clerk: Actor, make_board: object, qtbot: QtBot,
        fixed_clock: ControlledClock) -> None:
    """"Overdue only" kept from the last session: the board says it shows part of the queue,
    how much of it, and which filter, in amber; cleared, it counts the whole queue again."""
    late = log(db, clerk, phone="13800000500")
    assess(db, late, clerk, severity="urgent")  # due in an hour
    for i in range(2):
        log(db, clerk, phone=f"1380000051{i}")
    fixed_clock.advance(hours=30)
    board = make_board(ctx)
    with qtbot.waitSignal(board.loaded, timeout=5000):
        board.filter_bar.overdue.setChecked(True)
    board.close()
    again = make_board(ctx)  # the next start: the filter comes back from the settings
    summary = again.filter_bar.summary
    assert again.filter_bar.overdue.isChecked()
    assert summary.text() == "Filtered: 1 of 3 open shown, 1 overdue — Overdue only"
    assert "#fff4e0" in summary.styleSheet()
    with qtbot.waitSignal(again.loaded, timeout=5000):
        again.filter_bar.clear()
    assert summary.text() == "3 open shown, 1 overdue"
    assert summary.styleSheet() == ""


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh-Hans", "⚠ 超时 9小时1分，已暂停"), ("zh-Hant", "⚠ 逾時 9小時1分，已暫停"),
    ("en", "⚠ Overdue 9h 1m, paused")])
def test_the_deadline_is_never_cut_the_description_yields(
        db: Database, ctx: DeskContext, clerk: Actor, make_board: object, qtbot: QtBot,
        fixed_clock: ControlledClock, lang: str, expected: str) -> None:
    """A card at the narrowest column width (206 px, the 7th column at 1280×720): the clock
    is drawn whole; the owner moves up beside the category and the description gives way."""

    from ui.kanban.stage_column import COLUMN_MIN_WIDTH

    ref = log(db, clerk, phone="13800000600", customer_name="欧阳娜娜",
              description="停车场收费与公示不符，多收了二十元，要求退还差价并书面道歉" * 3)
    board = make_board(ctx)
    card = board.card(ref)
    now = fixed_clock.now
    late = card._replace(due_at=now - timedelta(hours=10, minutes=1),
                   paused_since=now - timedelta(hours=1), owner="李小红")
    set_language(lang)
    column = board.columns["new"]
    column.model.set_cards([late])
    column.setFixedWidth(COLUMN_MIN_WIDTH)
    QApplication.processEvents()
    column.view.grab()  # paints the card
    delegate = column.view.itemDelegate()
    assert delegate.last_clock == expected
    assert not delegate.last_clock_cut
    # The case that used to be cut: the clock does not fit beside the owner's minimum.
    from PySide6.QtGui import QFontMetrics

    from ui.kanban.card_delegate import MARGIN_X, MIN_OWNER, PAD, STRIPE, _bold

    row = column.view.viewport().width() - 2 * MARGIN_X - STRIPE - 2 * PAD
    needed = QFontMetrics(_bold(column.view.font())).horizontalAdvance(expected) + 2
    assert needed > row - MIN_OWNER - 8


def test_cards_shown_again_are_neither_laid_out_nor_drawn_again(
        db: Database, ctx: DeskContext, clerk: Actor, make_board: object, qtbot: QtBot,
        fixed_clock: ControlledClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """A keystroke that leaves a column as it was costs that column nothing (issue 18: the
    filter within 50 ms a keystroke); what a card shows changing draws it anew."""

    from ui.kanban.card_delegate import CardDelegate

    refs = [log(db, clerk, phone=f"1380000070{i}") for i in range(3)]
    board = make_board(ctx)
    column = board.columns["new"]
    drawn: list[str] = []
    real = CardDelegate._paint_card

    def counting(self: CardDelegate, p: object, option: object, card: object) -> None:
        drawn.append(card.reference)  # type: ignore[attr-defined]
        real(self, p, option, card)  # type: ignore[arg-type]

    monkeypatch.setattr(CardDelegate, "_paint_card", counting)
    resets: list[int] = []
    column.model.modelReset.connect(lambda: resets.append(1))
    cards = column.model.cards()
    assert sorted(c.reference for c in cards) == sorted(refs)
    column.view.grab()
    assert sorted(drawn) == sorted(refs)
    drawn.clear()
    column.model.set_cards(list(cards))  # the same cards: no reset, nothing drawn anew
    column.view.grab()
    assert resets == [] and drawn == []
    changed = cards[0]._replace(customer_name="欧阳娜娜", version=cards[0].version + 1)
    column.model.set_cards([changed, *cards[1:]])
    column.view.grab()
    assert resets == [1] and drawn == [changed.reference]
    drawn.clear()
    column.view.setCurrentIndex(column.model.index(1, 0))  # selected: drawn as selected
    column.view.grab()
    assert drawn == [cards[1].reference]
    drawn.clear()
    fixed_clock.advance(minutes=1)  # the clocks moved on: every card drawn with its time
    column.view.grab()
    assert sorted(drawn) == sorted(refs)


def test_a_search_is_narrowed_from_the_board_already_loaded(
        db: Database, ctx: DeskContext, clerk: Actor, make_board: object, qtbot: QtBot,
        fixed_clock: ControlledClock) -> None:
    parking = log(db, clerk, phone="13800000801", description="停车场收费与公示不符")
    log(db, clerk, phone="13800000802", description="试衣间没有镜子")
    board = make_board(ctx)
    base = board.data
    assert base is not None and board.loader.base is base
    with qtbot.waitSignal(board.loaded, timeout=5000):
        board.filter_bar.set_text_now("停车")
    assert [c.reference for c in board.data.cards] == [parking]
    assert board.data.cards[0] is base.cards[[c.reference for c in base.cards].index(parking)]
    assert board.loader.base is base  # a search is never the base of the next one
    # A change made meanwhile: loaded afresh, and shown.
    other = log(db, clerk, phone="13800000803", description="停车券没有抵扣")
    with qtbot.waitSignal(board.loaded, timeout=5000):
        board.filter_bar.set_text_now("停车 ")
    assert sorted(c.reference for c in board.data.cards) == sorted([parking, other])


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Received: the first date (2026-03-12) is after the last (2026-03-10)"),
    ("zh-Hans", "受理日期：起始日期（2026-03-12）晚于截止日期（2026-03-10）")])
def test_dates_the_wrong_way_round_are_said_not_shown_as_an_empty_board(
        db: Database, ctx: DeskContext, clerk: Actor, make_board: object, qtbot: QtBot,
        lang: str, expected: str) -> None:
    from PySide6.QtCore import QDate

    log(db, clerk, phone="13800000901")  # received 2026-03-10 (the fixed clock)
    set_language(lang)
    board = make_board(ctx)
    bar = board.filter_bar
    with qtbot.waitSignal(board.loaded, timeout=5000):
        bar.date_to.setDate(QDate(2026, 3, 10))
    with qtbot.waitSignal(board.loaded, timeout=5000):
        bar.date_from.setDate(QDate(2026, 3, 12))
    assert bar.summary.text() == expected
    assert "#c62828" in bar.summary.styleSheet()  # the error colour, not the filter's amber
    with qtbot.waitSignal(board.loaded, timeout=5000):
        bar.date_from.setDate(QDate(2026, 3, 9))
    assert "#c62828" not in bar.summary.styleSheet()
    assert len(board.data.cards) == 1  # received on 2026-03-10: inside the dates now
    assert "2026-03-12" not in bar.summary.text()
