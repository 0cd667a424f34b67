"""The board by keyboard alone, in the main window: F3, Tab past the date filter to the cards,
arrows between cards and columns, Enter opens, Ctrl+Right moves (through the guards, a refusal
shown as with the mouse), Ctrl+F searches; F1 lists the shortcuts; Ctrl+Q quits; menus name
each key once. Every key goes to the widget that has the focus, as a clerk's keyboard does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDateEdit, QMenu, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.common import Actor
from app.services.complaints import get_detail
from tests.ui.board_helpers import Warnings, assess, log, patch_warnings
from tests.ui.keyboard import Keyboard
from ui.context import DeskContext
from ui.kanban.board_view import BoardView
from ui.kanban.stage_column import CardListView
from ui.main_window import MainWindow
from ui.shortcuts import BY_ID, SHORTCUTS
from ui.shortcuts_dialog import ShortcutsDialog


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> Warnings:
    return patch_warnings(monkeypatch)


@pytest.fixture
def window(qtbot: QtBot, ctx: DeskContext, tmp_path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = MainWindow(ctx, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)  # keys go where a clerk's would
    yield w
    board = w.views.get("board")
    if isinstance(board, BoardView):
        board._poll_timer.stop()
    QThreadPool.globalInstance().waitForDone(5000)


def open_board(qtbot: QtBot, window: MainWindow, keys: Keyboard) -> BoardView:
    keys.press(Qt.Key.Key_F3, name="F3")
    board = window.views["board"]
    assert isinstance(board, BoardView)
    qtbot.waitUntil(lambda: board.data is not None and not board.busy(), timeout=5000)
    return board


def tab_to_cards(keys: Keyboard, limit: int = 40) -> CardListView:
    for _ in range(limit):
        keys.tab()
        if isinstance(Keyboard.focus(), CardListView):
            return Keyboard.focus()  # type: ignore[return-value]
    raise AssertionError(f"Tab never reached a card; stuck at {Keyboard.focus()!r}")


def test_tab_passes_the_date_filter_and_reaches_the_cards(
        db: Database, ctx: DeskContext, clerk: Actor, window: MainWindow, qtbot: QtBot) -> None:
    ref = log(db, clerk, phone="13800000401")
    keys = Keyboard()
    board = open_board(qtbot, window, keys)
    keys.press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier, "Ctrl+F")
    assert Keyboard.focus() is board.filter_bar.search
    seen: list[QWidget] = []
    for _ in range(40):
        keys.tab()
        seen.append(Keyboard.focus())
        if isinstance(seen[-1], CardListView):
            break
    dates = [w for w in seen if isinstance(w, QDateEdit)]
    # Each date field is one Tab stop (its year, month and day are not three more), and
    # Tab leaves the unset "—" field.
    assert dates == [board.filter_bar.date_from, board.filter_bar.date_to]
    assert seen[-1] is board.columns["new"].view
    assert board.current_card() is not None and board.current_card().reference == ref
    # Shift+Tab goes back out through the date fields the same way, one stop each.
    back = []
    for _ in range(3):
        keys.press(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier, "Shift+Tab")
        back.append(Keyboard.focus())
    assert back == [board.filter_bar.date_to, board.filter_bar.date_from,
                    board.filter_bar.department]


def test_arrows_enter_move_and_search_by_keys_only(
        db: Database, ctx: DeskContext, clerk: Actor, window: MainWindow, qtbot: QtBot,
        warnings: Warnings) -> None:
    first = log(db, clerk, phone="13800000411", severity="urgent")
    second = log(db, clerk, phone="13800000412")
    other = log(db, clerk, phone="13800000413", customer_name="欧阳娜娜",
                description="停车场收费与公示不符")
    assess(db, other, clerk)
    keys = Keyboard()
    board = open_board(qtbot, window, keys)
    new_view = tab_to_cards(keys)
    assert new_view is board.columns["new"].view
    assert board.current_card().reference == first  # urgent first
    keys.press(Qt.Key.Key_Down, name="Down")
    assert board.current_card().reference == second
    keys.press(Qt.Key.Key_Right, name="Right")
    assert Keyboard.focus() is board.columns["assessed"].view
    assert board.current_card().reference == other
    keys.press(Qt.Key.Key_Left, name="Left")
    assert board.current_card().reference in (first, second)
    keys.press(Qt.Key.Key_Right, name="Right")

    # Ctrl+Right: to the next stage through the workflow service.
    with qtbot.waitSignal(board.move_finished, timeout=5000) as moved:
        keys.press(Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier, "Ctrl+Right")
    assert moved.args == [other, True]
    assert get_detail(db, other).stage == "investigating"
    qtbot.waitUntil(lambda: not board.busy(), timeout=5000)
    assert Keyboard.focus() is board.columns["investigating"].view
    assert board.current_card().reference == other

    # A refusal by the guards is shown as it is for a drag, and nothing moves.
    keys.press(Qt.Key.Key_Left, name="Left")
    keys.press(Qt.Key.Key_Left, name="Left")
    assert board.current_card().reference in (first, second)
    refused = board.current_card().reference
    with qtbot.waitSignal(board.move_finished, timeout=5000) as moved:
        keys.press(Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier, "Ctrl+Right")
    assert moved.args == [refused, False]
    assert warnings.texts and "cannot move to Assessed" in warnings.texts[-1]
    assert get_detail(db, refused).stage == "new"

    # Ctrl+F, a search typed, Down to the result, Enter opens it.
    qtbot.waitUntil(lambda: not board.busy(), timeout=5000)
    window.show_view("board")
    board.columns["new"].view.setFocus()
    keys.press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier, "Ctrl+F")
    assert Keyboard.focus() is board.filter_bar.search
    with qtbot.waitSignal(board.loaded, timeout=5000):
        keys.type("欧阳")
    keys.press(Qt.Key.Key_Down, name="Down")
    assert Keyboard.focus() is board.columns["investigating"].view
    with qtbot.waitSignal(ctx.signals.open_complaint, timeout=5000) as opened:
        keys.press(Qt.Key.Key_Return, name="Enter")
    assert opened.args == [other]
    assert window.current_view_key() == "complaint"


def test_the_seventh_column_is_reached_by_keys_at_1280(
        db: Database, ctx: DeskContext, clerk: Actor, window: MainWindow, qtbot: QtBot) -> None:
    from app.services import moves

    ref = log(db, clerk, phone="13800000421")
    shut = log(db, clerk, phone="13800000422")
    moves.move(db, shut, "closed", clerk, "客户撤诉")
    window.resize(1280, 700)
    keys = Keyboard()
    board = open_board(qtbot, window, keys)
    tab_to_cards(keys)
    assert board.current_card().reference == ref
    keys.press(Qt.Key.Key_Right, name="Right")
    closed = board.columns["closed"]
    assert Keyboard.focus() is closed.view
    assert board.current_card().reference == shut
    # Scrolled into view: the whole closed column is inside the board's visible area.
    area = board.board.viewport()
    top_left = closed.mapTo(area, closed.rect().topLeft())
    assert top_left.x() >= 0 and top_left.x() + closed.width() <= area.width() + 1


def test_f1_lists_every_shortcut_and_menus_name_each_key_once(
        db: Database, ctx: DeskContext, window: MainWindow, qtbot: QtBot) -> None:
    from ui import housekeeping

    housekeeping.attach(window, ctx)
    keys = Keyboard()
    for view_key in (Qt.Key.Key_F3, Qt.Key.Key_F4, Qt.Key.Key_F5, Qt.Key.Key_F6,
                     Qt.Key.Key_F7, Qt.Key.Key_F8,
                     Qt.Key.Key_F9, Qt.Key.Key_F2):
        keys.press(view_key)  # every view made, so its shortcuts exist
    keys.press(Qt.Key.Key_F1, name="F1")
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ShortcutsDialog)
                    or any(isinstance(w, ShortcutsDialog) and w.isVisible()
                           for w in QApplication.topLevelWidgets()), timeout=3000)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, ShortcutsDialog) and w.isVisible())
    shown = dialog.rows()
    assert len(shown) == len(SHORTCUTS)
    room = window.screen().availableGeometry()
    assert dialog.width() <= room.width() and dialog.height() <= room.height()  # fits
    assert ("Queue", "Ctrl+Right", "Move the selected complaint to the next stage") in shown
    assert ("Everywhere", "F1", "This list of keyboard shortcuts") in shown
    dialog.close()

    # Every key bound by an action or shortcut object of the window and its views is listed.
    listed = {QKeySequence(k).toString() for s in SHORTCUTS for k in s.keys.split("; ")}
    bound: set[str] = set()
    for obj in [*window.findChildren(QAction), *window.findChildren(QShortcut)]:
        sequences = obj.shortcuts() if isinstance(obj, QAction) else [obj.key()]
        bound |= {seq.toString() for seq in sequences if not seq.isEmpty()}
    assert bound, "no shortcut found at all"
    assert bound - listed == set(), "shortcuts missing from ui/shortcuts.py"

    # Menus: each item names its key once (the menu adds it; the text does not repeat it).
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if key:
                assert key not in action.text(), f"{action.text()!r} repeats {key}"
    view_menu_texts = [a.text() for a in window.view_menu.actions()]
    assert "New complaint" in view_menu_texts
    assert window.actions_by_view["intake"].iconText() == "New complaint  F2"  # toolbar


@pytest.mark.parametrize(("lang", "save"), [("zh-Hans", "Ctrl+S / Ctrl+回车"),
                                             ("zh-Hant", "Ctrl+S / Ctrl+Enter"),
                                             ("en", "Ctrl+S / Ctrl+Enter")])
def test_f1_names_each_key_once_as_the_keyboard_labels_it(qtbot: QtBot, lang: str,
                                                         save: str) -> None:
    """Return and the keypad's Enter are one key to a clerk: named once, as "Enter" (what a PC
    keyboard says; Chinese Qt writes both "回车", Traditional Chinese Qt leaves "Return")."""
    from app.i18n import _, set_language
    from ui.qt_translations import apply_qt_language

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    set_language(lang)
    apply_qt_language(app, lang)
    try:
        dialog = ShortcutsDialog()
        qtbot.addWidget(dialog)
        rows = dialog.rows()
        assert len(rows) == len(SHORTCUTS)
        save_row = next(r for r in rows if r[2] == _(BY_ID["intake.save"].what))
        assert save_row[1] == save
        for _area, keys, what in rows:
            parts = keys.split(" / ")
            assert len(parts) == len(set(parts)), f"{what}: {keys}"
            assert "Return" not in keys, f"{what}: {keys}"
    finally:
        set_language("en")
        apply_qt_language(app, "en")


def test_quit_with_ctrl_q(window: MainWindow, qtbot: QtBot) -> None:
    assert BY_ID["window.quit"].keys == "Ctrl+Q"
    assert window.file_menu.actions()[0] is window.quit_action
    assert window.menuBar().actions()[0].menu() is window.file_menu
    keys = Keyboard()
    keys.press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier, "Ctrl+Q")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)
