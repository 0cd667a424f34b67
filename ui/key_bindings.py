"""A screen's keys from the one table (ui/shortcuts.py): bound to the screen, and written the
way this system writes them for a button or a label."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from ui.shortcuts import all_keys, keys


def bind(widget: QWidget, shortcut_id: str, slot: Callable[[], object]) -> list[QShortcut]:
    """Every key of the shortcut `shortcut_id`, working while the focus is in `widget` (or
    one of its children)."""
    made = []
    for key in all_keys(shortcut_id):
        shortcut = QShortcut(QKeySequence(key), widget)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        made.append(shortcut)
    return made


def key_text(shortcut_id: str) -> str:
    """The shortcut's first key as this system writes it ("Ctrl+S")."""
    return QKeySequence(keys(shortcut_id)).toString(QKeySequence.SequenceFormat.NativeText)
