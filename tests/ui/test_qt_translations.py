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


def test_a_dialogs_language_picker_switches_qts_texts_and_date_forms(
        qapp: QApplication, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The first-start dialog comes before the window: choosing 繁體 there gives Qt's own
    buttons and dates (calendar, date fields without a format of ours) in that language."""
    from PySide6.QtCore import QDate, QLocale
    from PySide6.QtWidgets import QDateEdit

    from app.i18n import set_language
    from app.migrate import open_database
    from ui.first_start import FirstStartDialog

    db = open_database(str(tmp_path / "new.db"))
    try:
        dialog = FirstStartDialog(db)
        qtbot.addWidget(dialog)
        dialog.language.set_code("zh-Hant")
        assert QLocale().name() == "zh_TW"
        assert "取消" in _texts()
        assert QDateEdit(QDate(2026, 12, 3)).text() == "2026/12/3"  # not "3 12 2026"
        dialog.language.set_code("en")
        assert _texts() == {"Yes", "Cancel"}
    finally:
        set_language("en")
        apply_qt_language(qapp, "en")
        db.dispose()
