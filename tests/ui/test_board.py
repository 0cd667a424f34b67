"""The kanban board: cards in their columns with counts and limits; moves by drag and drop,
keyboard and menu through the workflow guards; refusals, reasons, opening a complaint."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.common import Actor
from app.services.complaints import get_detail
from app.settings import put as put_setting
from tests.conftest import ControlledClock
from tests.ui.board_helpers import (
    Warnings,
    assess,
    board_maker,
    drop_on,
    log,
    move_and_wait,
    patch_warnings,
    snapshot,
    stage_refs,
    timeline_kinds,
)
from ui import messages
from ui.context import DeskContext
from ui.kanban.board_view import BoardView


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> Warnings:
    return patch_warnings(monkeypatch)


@pytest.fixture
def make_board(qtbot: QtBot, fixed_clock: ControlledClock
               ) -> Iterator[Callable[[DeskContext], BoardView]]:
    yield from board_maker(qtbot)


def test_cards_in_their_columns_with_counts(db: Database, ctx: DeskContext, clerk: Actor,
                                            make_board: object) -> None:
    new = [log(db, clerk, phone=f"1380000000{i}") for i in range(3)]
    assessed = log(db, clerk, phone="13800000009")
    assess(db, assessed, clerk)
    board = make_board(ctx)
    assert sorted(stage_refs(board, "new")) == sorted(new)
    assert stage_refs(board, "assessed") == [assessed]
    assert all(not stage_refs(board, s) for s in ("investigating", "proposed", "in_progress"))
    assert board.columns["new"].header_text().split() == ["New", "3"]
    assert board.columns["assessed"].header_text().split() == ["Assessed", "1"]
    board.toggle_table()  # the table is filled when first shown
    assert board.table.model().rowCount() == 4


def test_wip_limit_shown_and_flagged(db: Database, ctx: DeskContext, clerk: Actor,
                                     make_board: object) -> None:
    for i in range(3):
        log(db, clerk, phone=f"1380000001{i}")
    with db.write() as session:
        put_setting(session, "wip_limits", {"new": 2, "assessed": 5})
    board = make_board(ctx)
    assert board.columns["new"].over_limit
    assert "over limit 2" in board.columns["new"].header_text()
    assert not board.columns["assessed"].over_limit
    assert "(limit 5)" in board.columns["assessed"].header_text()


def test_drop_moves_through_the_service(db: Database, ctx: DeskContext, clerk: Actor,
                                        make_board: object, qtbot: QtBot,
                                        warnings: Warnings) -> None:
    ref = log(db, clerk, phone="13800000020")
    assess(db, ref, clerk)
    board = make_board(ctx)
    assert move_and_wait(qtbot, board, lambda: drop_on(board, ref, "investigating"))
    assert get_detail(db, ref).stage == "investigating"
    assert timeline_kinds(db, ref)[-1] == "moved"
    assert stage_refs(board, "investigating") == [ref]
    assert stage_refs(board, "assessed") == []
    assert warnings.texts == []


def test_drop_on_own_column_is_refused_by_the_view(db: Database, ctx: DeskContext,
                                                   clerk: Actor, make_board: object) -> None:
    ref = log(db, clerk, phone="13800000021")
    board = make_board(ctx)
    source = board.columns["new"].model
    mime = source.mimeData([source.index(0, 0)])
    assert not board.columns["new"].model.canDropMimeData(
        mime, Qt.DropAction.MoveAction, -1, -1, source.index(-1, 0))
    assert board.columns["assessed"].model.canDropMimeData(
        mime, Qt.DropAction.MoveAction, -1, -1, source.index(-1, 0))
    assert stage_refs(board, "new") == [ref]


def test_keyboard_move_and_selection_follows(db: Database, ctx: DeskContext, clerk: Actor,
                                             make_board: object, qtbot: QtBot,
                                             warnings: Warnings) -> None:
    ref = log(db, clerk, phone="13800000030")
    assess(db, ref, clerk)
    board = make_board(ctx)
    assert board.focus_card(ref)
    view = board.columns["assessed"].view
    assert move_and_wait(qtbot, board, lambda: qtbot.keyClick(
        view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier))
    assert get_detail(db, ref).stage == "investigating"
    assert timeline_kinds(db, ref)[-1] == "moved"
    assert board.current_card() is not None and board.current_card().reference == ref
    # Back again: investigating -> assessed is not a move the workflow allows.
    assert not move_and_wait(qtbot, board, lambda: qtbot.keyClick(
        board.columns["investigating"].view, Qt.Key.Key_Left,
        Qt.KeyboardModifier.ControlModifier))
    assert "cannot move back" in warnings.texts[-1]
    assert get_detail(db, ref).stage == "investigating"


def test_refused_move_says_why_opens_the_part_and_changes_nothing(
        db: Database, ctx: DeskContext, clerk: Actor, make_board: object, qtbot: QtBot,
        warnings: Warnings) -> None:
    ref = log(db, clerk, phone="13800000040")  # new: no owner, no assessment yet
    board = make_board(ctx)
    before = snapshot(db)
    with qtbot.waitSignal(ctx.signals.open_complaint_at, timeout=5000) as opened:
        assert not move_and_wait(qtbot, board, lambda: drop_on(board, ref, "assessed"))
    assert opened.args == [ref, "assessment"]
    assert warnings.texts == [
        f"{ref} cannot move to Assessed: Choose an owner first."]
    assert snapshot(db) == before
    assert stage_refs(board, "new") == [ref]  # the card stays where it was


def test_withdrawal_asks_for_a_reason(db: Database, ctx: DeskContext, clerk: Actor,
                                      make_board: object, qtbot: QtBot,
                                      monkeypatch: pytest.MonkeyPatch,
                                      warnings: Warnings) -> None:
    keep = log(db, clerk, phone="13800000050")
    gone = log(db, clerk, phone="13800000051")
    prompts: list[str] = []
    answers = iter([None, "客户撤诉"])

    def ask(_parent: object, prompt: str) -> str | None:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(messages, "ask_reason", ask)
    board = make_board(ctx)
    assert not move_and_wait(qtbot, board, lambda: board.move_card(keep, "closed"))
    assert get_detail(db, keep).stage == "new"  # cancelled: nothing happened
    assert move_and_wait(qtbot, board, lambda: board.move_card(gone, "closed"))
    detail = get_detail(db, gone)
    assert detail.stage == "closed" and detail.close_reason == "客户撤诉"
    assert "withdrawal" in prompts[0]
    assert timeline_kinds(db, gone)[-1] == "withdrawn"
    assert stage_refs(board, "closed") == [gone]
    assert warnings.texts == []


def test_context_menu_moves_and_opens(db: Database, ctx: DeskContext, clerk: Actor,
                                      make_board: object, qtbot: QtBot) -> None:
    ref = log(db, clerk, phone="13800000060")
    assess(db, ref, clerk)
    board = make_board(ctx)
    card = board.card(ref)
    menu = board.card_menu(card)
    actions = {a.text(): a for a in menu.actions()}
    with qtbot.waitSignal(ctx.signals.open_complaint) as opened:
        actions["Open complaint"].trigger()
    assert opened.args == [ref]
    move_to = next(a for a in menu.actions() if a.menu() is not None)
    targets = {a.text(): a for a in move_to.menu().actions()}
    assert not targets["Assessed"].isEnabled()
    assert move_and_wait(qtbot, board, targets["Investigating"].trigger)
    assert get_detail(db, ref).stage == "investigating"


def test_enter_and_double_click_open_the_complaint(db: Database, ctx: DeskContext,
                                                   clerk: Actor, make_board: object,
                                                   qtbot: QtBot) -> None:
    ref = log(db, clerk, phone="13800000070")
    board = make_board(ctx)
    board.focus_card(ref)
    view = board.columns["new"].view
    with qtbot.waitSignal(ctx.signals.open_complaint) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [ref]
    rect = view.visualRect(board.columns["new"].model.index(0, 0))
    with qtbot.waitSignal(ctx.signals.open_complaint) as opened:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [ref]
