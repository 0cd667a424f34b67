"""Helpers for the board's UI tests: complaints made through the services, boards opened and
loaded, drags and drops sent as Qt events, whole-database snapshots."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPointF, QSettings, Qt, QThreadPool
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import Base
from app.services import resolution
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.intake import IntakeInput, log_complaint
from ui import messages
from ui.context import DeskContext
from ui.kanban.board_view import BoardView


def log(db: Database, actor: Actor, description: str = "鞋子开胶，要求退货",
        **fields: object) -> str:
    data: dict[str, object] = dict(customer_name="周女士", category="product_quality")
    data.update(fields)
    return log_complaint(db, IntakeInput(description=description, **data), actor).reference  # type: ignore[arg-type]


def assess(db: Database, ref: str, actor: Actor, severity: str = "normal") -> None:
    resolution.assess(db, ref, category="product_quality", severity=severity,
                      owner_id=actor.user_id, actor=actor)


class Warnings:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, _parent: object, text: str, title: str | None = None) -> None:
        self.texts.append(text)


def patch_warnings(monkeypatch: pytest.MonkeyPatch) -> Warnings:
    seen = Warnings()
    monkeypatch.setattr(messages, "warn", seen)
    return seen


def board_maker(qtbot: QtBot) -> Iterator[Callable[[DeskContext], BoardView]]:
    """Yields a function opening a loaded board at 1366 px; stops them all afterwards."""
    boards: list[BoardView] = []

    def make(ctx: DeskContext) -> BoardView:
        board = BoardView(ctx, settings=QSettings())
        qtbot.addWidget(board)
        board.resize(1366, 700)
        with qtbot.waitSignal(board.loaded, timeout=5000):
            board.show()
        boards.append(board)
        return board

    yield make
    for board in boards:
        board._poll_timer.stop()
    QThreadPool.globalInstance().waitForDone(5000)


def stage_refs(board: BoardView, stage: str) -> list[str]:
    return [c.reference for c in board.columns[stage].model.cards()]


def move_and_wait(qtbot: QtBot, board: BoardView, action: object) -> bool:
    """Run an action that moves a card; wait for the move and the reload that follows."""
    with qtbot.waitSignal(board.move_finished, timeout=5000) as blocker:
        action()  # type: ignore[operator]
    moved = bool(blocker.args[1])
    if moved:
        qtbot.waitUntil(lambda: not board.busy(),
                        timeout=5000)
    return moved


def drop_on(board: BoardView, ref: str, to_stage: str) -> None:
    """Drag a card onto another column: enter, move and drop events on its viewport."""
    card = board.card(ref)
    assert card is not None
    source = board.columns[card.stage].model
    mime = source.mimeData([source.index(source.row_of(ref) or 0, 0)])
    viewport = board.columns[to_stage].view.viewport()
    pos = QPointF(viewport.rect().center())
    action = Qt.DropAction.MoveAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    # Qt's drag enter/move events take a QPoint, the drop event a QPointF.
    enter = QDragEnterEvent(pos.toPoint(), action, mime, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(pos.toPoint(), action, mime, buttons, mods)
    QApplication.sendEvent(viewport, move)
    assert move.isAccepted()
    QApplication.sendEvent(viewport, QDropEvent(pos, action, mime, buttons, mods))


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: equal snapshots mean nothing changed."""
    with db.read() as session:
        return {t.name: [tuple(r) for r in session.execute(select(t).order_by(*t.primary_key))]
                for t in Base.metadata.sorted_tables}


def timeline_kinds(db: Database, ref: str) -> list[str]:
    return [e.kind for e in get_detail(db, ref).timeline]
