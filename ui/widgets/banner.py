"""A coloured strip at the top of a view for a notice that must not be missed but should not
block typing (a modal box would): saved with its reference, a draft restored, ..."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.i18n import _

COLOURS = {  # background, border, text
    "info": ("#e8f1fb", "#90b4e0", "#0d3c6e"),
    "success": ("#e6f4ea", "#81c995", "#0d5223"),
    "warning": ("#fff4e0", "#f0b95b", "#6b4300"),
    "error": ("#fdecea", "#e57373", "#8b1a1a"),
}


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.kind = "info"
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.action.hide()
        self.close_button = QPushButton("×")
        self.close_button.setFlat(True)
        self.close_button.setFixedWidth(28)
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self._callback: Callable[[], None] | None = None
        self.action.clicked.connect(self._act)
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.close_button.setToolTip(_("Dismiss"))

    def show_message(self, kind: str, text: str, action_text: str = "",
                     on_action: Callable[[], None] | None = None, rich: bool = False) -> None:
        """Show `text` (plain unless `rich`: names typed by people are never read as HTML)."""
        self.kind = kind
        bg, border, fg = COLOURS[kind]
        self.setStyleSheet(
            f"QFrame#banner {{ background: {bg}; border: 1px solid {border}; border-radius: 4px; }}"
            f" QFrame#banner QLabel {{ color: {fg}; }}"
        )
        self.text.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.text.setText(text)
        self._callback = on_action
        self.action.setVisible(bool(action_text and on_action))
        self.action.setText(action_text)
        self.show()

    def _act(self) -> None:
        if self._callback is not None:
            self._callback()
