"""Typing into widgets like a clerk does, counting the key presses that are not text.

`qtbot.keyClicks` aborts the process on non-ASCII characters (PLATFORM.md), so text other
than ASCII arrives as an input method's commit string, as a Chinese IME delivers it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


class Keyboard:
    def __init__(self) -> None:
        self.presses = 0  # navigation and commands only (Tab, digits in pick lists, Ctrl+S...)
        self.log: list[str] = []

    @staticmethod
    def focus() -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
              name: str = "") -> None:
        """A counted key press, sent to the widget that has the focus."""
        self.presses += 1
        self.log.append(name or str(key))
        QTest.keyClick(self.focus(), key, modifier)
        QApplication.processEvents()

    def choose(self, digit: str) -> None:
        """A number key in a pick list (counted)."""
        self.press(Qt.Key(ord(digit)), name=digit)

    def tab(self, times: int = 1) -> None:
        for _ in range(times):
            self.press(Qt.Key.Key_Tab, name="Tab")

    def type(self, text: str) -> None:
        """Text (not counted): ASCII as key clicks, anything else as IME commits."""
        widget = self.focus()
        chunk = ""
        for ch in text:
            if ch.isascii() and ch.isprintable():
                if chunk:
                    commit(widget, chunk)
                    chunk = ""
                QTest.keyClick(widget, ch)
            elif ch == "\n":
                if chunk:
                    commit(widget, chunk)
                    chunk = ""
                QTest.keyClick(widget, Qt.Key.Key_Return)
            else:
                chunk += ch
        if chunk:
            commit(widget, chunk)
        QApplication.processEvents()


def commit(widget: QWidget, text: str) -> None:
    """What a Chinese input method sends when the clerk picks the characters."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
