"""Qt's own texts (Yes/No, Cancel, file dialogs) in the program's language."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from ui import week_start

_QT_LOCALES = {"zh-Hans": "zh_CN", "zh-Hant": "zh_TW", "en": "en"}
_installed: list[QTranslator] = []


def apply_qt_language(app: QApplication, lang: str) -> bool:
    """Load qtbase translations for `lang` (replacing earlier ones); False if none found."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    locale = _QT_LOCALES.get(lang, "en")
    QLocale.setDefault(QLocale(locale))
    week_start.apply(app, lang)  # Monday first for Chinese, also in zh_TW (ui/week_start.py)
    if locale == "en":
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{locale}", folder):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def follow_language(lang: str) -> None:
    """apply_qt_language for the running application (a dialog's own language picker)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_qt_language(app, lang)
