"""The phrase picker (Ctrl+;): a standard phrase inserted at the cursor of the contact log and
of the intake description, filtered by typing, the complaint's category's phrases first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import set_language
from app.services.common import Actor
from app.services.complaints import get_detail
from tests.complaint_factory import new_complaint
from ui import messages
from ui.complaint.panel import ComplaintPanel
from ui.context import DeskContext
from ui.widgets.phrase_picker import PhrasePicker, PhrasePopup, attach_phrase_picker

CTRL = Qt.KeyboardModifier.ControlModifier


def commit_text(widget: QWidget, text: str) -> None:
    """What a Chinese input method sends (keyClicks cannot type hanzi)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def press_picker_key(qtbot: QtBot, field: QWidget, picker: PhrasePicker) -> PhrasePopup:
    field.window().activateWindow()
    qtbot.waitUntil(lambda: field.window().isActiveWindow())
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Semicolon, CTRL)
    qtbot.waitUntil(lambda: picker.popup is not None and picker.popup.isVisible())
    assert picker.popup is not None
    return picker.popup


@pytest.fixture
def panel(qtbot: QtBot, ctx: DeskContext,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[ComplaintPanel]:
    monkeypatch.setattr(messages, "warn", lambda *a, **k: pytest.fail(str(a)))
    widget = ComplaintPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def test_a_phrase_goes_into_the_contact_log(qtbot: QtBot, panel: ComplaintPanel, db: Database,
                                            clerk: Actor) -> None:
    set_language("zh-Hans")
    ref = new_complaint(db, clerk, category="parking")
    panel.open(ref)
    tab = panel.contacts
    panel.tabs.setCurrentWidget(tab)
    tab.method.set_code("phone")
    tab.summary.setFocus()
    commit_text(tab.summary, "已致电顾客：")
    popup = press_picker_key(qtbot, tab.summary, tab.phrases)
    first = popup.model.items[0]
    assert first.category == "parking"  # the complaint's category's phrase comes first
    commit_text(popup.filter, "久等")
    assert popup.proxy.rowCount() == 1
    qtbot.keyClick(popup.filter, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert tab.summary.text() == "已致电顾客：让您久等了，非常抱歉。"
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(get_detail(db, ref).contacts), timeout=10_000)  # saved off
    assert get_detail(db, ref).contacts[-1].summary == "已致电顾客：让您久等了，非常抱歉。"


def test_a_blank_is_selected_so_the_clerk_types_over_it(qtbot: QtBot, ctx: DeskContext) -> None:
    from ui.intake.intake_fields import IntakeFields

    fields = IntakeFields(ctx)
    qtbot.addWidget(fields)
    fields.show()
    qtbot.waitExposed(fields)
    description = fields.description
    description.setFocus()
    commit_text(description, "Customer waited 40 minutes. ")
    popup = press_picker_key(qtbot, description, fields.phrases)
    qtbot.keyClicks(popup.filter, "get back to you by")
    assert popup.proxy.rowCount() == 1
    qtbot.keyClick(popup.filter, Qt.Key.Key_Enter)
    cursor = description.textCursor()
    assert cursor.selectedText() == "____"
    commit_text(description, "6 pm today")
    assert description.toPlainText() == (
        "Customer waited 40 minutes. We will get back to you by 6 pm today; please keep your "
        "phone at hand.")


def test_arrows_choose_and_escape_leaves_the_text_alone(qtbot: QtBot, ctx: DeskContext) -> None:
    field = QPlainTextEdit()
    qtbot.addWidget(field)
    picker = attach_phrase_picker(field, ctx)
    field.show()
    qtbot.waitExposed(field)
    field.setPlainText("abc")
    field.moveCursor(QTextCursor.MoveOperation.Start)
    popup = press_picker_key(qtbot, field, picker)
    qtbot.keyClick(popup.filter, Qt.Key.Key_Escape)
    assert not popup.isVisible() and field.toPlainText() == "abc"
    popup = picker.open()
    qtbot.keyClick(popup.filter, Qt.Key.Key_Down)
    second = popup.current_text()
    assert second == popup.model.items[1].text
    qtbot.keyClick(popup.filter, Qt.Key.Key_Return)
    assert field.toPlainText() == f"{second}abc"  # at the cursor, which was at the start


def test_the_language_of_the_phrases_can_be_switched(qtbot: QtBot, ctx: DeskContext) -> None:
    set_language("zh-Hant")
    field = QLineEdit()
    qtbot.addWidget(field)
    picker = attach_phrase_picker(field, ctx)
    popup = picker.open()
    assert all(p.language == "zh-Hant" for p in popup.model.items)
    popup.language.setCurrentIndex(popup.language.findData("en"))
    assert all(p.language == "en" for p in popup.model.items)
    commit_text(popup.filter, "没有这样的话术")
    assert popup.proxy.rowCount() == 0 and not popup.empty.isHidden()
    qtbot.keyClick(popup.filter, Qt.Key.Key_Return)  # nothing to insert: nothing happens
    assert field.text() == ""
