"""Qt's own buttons follow the program's language."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialogButtonBox

from ui.qt_translations import apply_qt_language


def _texts() -> set[str]:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes
                           | QDialogButtonBox.StandardButton.Cancel)
    return {b.text().replace("&", "") for b in box.buttons()}


def test_standard_buttons_in_each_language(qapp: QApplication) -> None:
    try:
        assert apply_qt_language(qapp, "zh-Hans")
        assert "取消" in _texts()
        assert apply_qt_language(qapp, "en")
        assert _texts() == {"Yes", "Cancel"}
    finally:
        apply_qt_language(qapp, "en")
