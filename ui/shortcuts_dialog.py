"""F1: the keyboard shortcuts of every screen, read from the one table (ui/shortcuts.py),
keys in the platform's own form, texts in the current language."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.shortcuts import AREAS, SHORTCUTS, Shortcut


def native_keys(shortcut: Shortcut) -> str:
    """"Ctrl+S / Ctrl+Enter" as the platform writes them (⌘S on a Mac), each form once.
    Return is named Enter, as the key is labelled on a PC keyboard: Traditional Chinese Qt
    leaves "Return" in English, and Simplified Chinese Qt writes both "回车"."""
    texts = (QKeySequence(k.replace("Return", "Enter")).toString(
        QKeySequence.SequenceFormat.NativeText) for k in shortcut.keys.split("; "))
    return " / ".join(dict.fromkeys(texts))


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(_("Keyboard shortcuts"))
        self.intro = QLabel(_("Every screen can be worked with the keyboard alone. Tab moves "
                              "from field to field; these keys do the rest."))
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([_("Keys"), _("What it does")])
        self.tree.setRootIsDecorated(False)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        for area in AREAS:
            heading = QTreeWidgetItem(self.tree, [_(area), ""])
            heading.setFirstColumnSpanned(True)
            font = heading.font(0)
            font.setBold(True)
            heading.setFont(0, font)
            for s in SHORTCUTS:
                if s.area == area:
                    QTreeWidgetItem(heading, [native_keys(s), _(s.what)])
        self.tree.expandAll()
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        # As tall as the screen allows (the whole list on 1920x1080, scrolling on 1280x720).
        room = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(680, room.width()), min(max(560, room.height() - 120), 760))
        self.tree.setFocus()

    def rows(self) -> list[tuple[str, str, str]]:
        """(screen, keys, what) as shown (tests)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            heading = self.tree.topLevelItem(i)
            assert heading is not None
            for j in range(heading.childCount()):
                child = heading.child(j)
                assert child is not None
                out.append((heading.text(0), child.text(0), child.text(1)))
        return out


def open_shortcuts_dialog(parent: QWidget) -> ShortcutsDialog:
    dialog = ShortcutsDialog(parent)
    dialog.open()
    return dialog
