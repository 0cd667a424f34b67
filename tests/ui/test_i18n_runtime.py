"""Languages in the running window (issue 9): switching updates every view without a restart;
the program's language is chosen at start from --lang, the environment, this PC's choice or the
desk's; calendars start on Monday for Chinese; Chinese names sort without trouble; and the
hanzi are drawn with the font the program ships, whatever fonts the system has."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont, QFontDatabase, QRawFont, QTextLayout
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import CATALOG_DIR, get_language, set_language
from app.i18n.extract import catalog
from app.i18n.pseudo import ACCENTED, PAD
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from app.services.queue import QueueFilter, queue_cards
from tests.reports import month_scenario as scenario
from ui.context import DeskContext
from ui.fonts import FONT_FILE, install_font
from ui.main_window import MainWindow
from ui.qt_translations import apply_qt_language
from ui.views import VIEWS

march_cache, march = scenario.march_cache, scenario.march  # fixtures, used by name


@pytest.fixture
def qt_language(qapp: QApplication) -> Iterator[None]:
    yield
    apply_qt_language(qapp, "en")


# ---- switching language in a running window --------------------------------------------------

def _shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of every text a user can read in `root`: labels, buttons, group titles,
    tabs, column headers and combo items (without their "1  " number)."""
    out: list[tuple[str, str]] = []
    for w in [root, *root.findChildren(QWidget)]:
        name = type(w).__name__
        if isinstance(w, QLabel):
            out.append((name, w.text()))
        elif isinstance(w, QAbstractButton):
            out.append((name, w.text().replace("&", "")))
        elif isinstance(w, QGroupBox):
            out.append((name, w.title()))
        elif isinstance(w, QTabWidget):
            out += [(f"{name} tab", w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QComboBox):
            out += [(f"{name} item", re.sub(r"^\d+\s+", "", w.itemText(i)))
                    for i in range(w.count())]
        elif isinstance(w, QHeaderView) and w.orientation() == Qt.Orientation.Horizontal \
                and w.model() is not None:
            model = w.model()
            out += [(f"{name} column", str(model.headerData(c, Qt.Orientation.Horizontal)))
                    for c in range(w.count())]
    return [(where, text) for where, text in out if text]


def _stale(texts: list[tuple[str, str]], lang: str) -> list[str]:
    """Texts still in another language: an English msgid that `lang` translates, or another
    language's translation of a msgid."""
    own = {} if lang == "en" else catalog(lang)
    foreign = {text for other in ("zh-Hans", "zh-Hant") if other != lang
               for text in catalog(other).values() if text} - set(own.values())
    out = []
    for where, text in texts:
        if lang != "en" and own.get(text) and own[text] != text:
            out.append(f"{where}: {text!r} (English)")
        elif text in foreign:
            out.append(f"{where}: {text!r} (another language)")
    return out


def test_switching_language_updates_every_view_without_a_restart(
        qtbot: QtBot, tmp_path: Path, supervisor_ctx: DeskContext, march: dict[str, str],
        qt_language: None) -> None:
    set_language("en")
    window = MainWindow(supervisor_ctx, QSettings(str(tmp_path / "w.ini"),
                                                  QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1366, 700)
    window.show()
    supervisor_ctx.signals.open_complaint.emit(march["M1"])
    for spec in VIEWS:
        window.show_view(spec.key)  # every view made, so every view must follow
    window.show_view("intake")
    before = {key: _shown_texts(view) for key, view in window.views.items()}
    assert set(before) == {spec.key for spec in VIEWS}
    for lang in ("zh-Hans", "zh-Hant", "en"):
        window.set_language(lang)  # what the Language menu does: set, then language_changed
        assert get_language() == lang
        for key, view in window.views.items():
            texts = _shown_texts(view)
            stale = _stale(texts, lang)
            assert not stale, f"{key} in {lang}:\n" + "\n".join(stale)
            changed = {t for _w, t in texts} - {t for _w, t in before[key]}
            assert len(changed) >= 3, (key, lang, changed)  # the view did change language
            before[key] = texts
    assert window.actions_by_view["board"].text().startswith("Queue")
    window.set_language("zh-Hant")
    assert window.actions_by_view["board"].text().startswith("投訴看板")
    assert window.menuBar().actions()[0].text().startswith("檔案")  # File, then View
    assert window.menuBar().actions()[1].text().startswith("檢視")


# ---- the language at start (window) -----------------------------------------------------------

def test_the_window_takes_this_pcs_choice_else_the_desks(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.settings import put
    from ui.application import choose_language

    monkeypatch.delenv("COMPLAINT_DESK_LANG", raising=False)
    no_flag = argparse.Namespace(lang=None)
    with db.write() as session:
        put(session, "language", "zh-Hant")  # chosen at first start
    choose_language(no_flag, db)
    assert get_language() == "zh-Hant"
    QSettings().setValue("ui/language", "en")  # this PC's Language menu
    choose_language(no_flag, db)
    assert get_language() == "en"
    set_language("zh-Hans")  # as app.cli did from --lang: kept
    choose_language(argparse.Namespace(lang="zh-Hans"), db)
    assert get_language() == "zh-Hans"


# ---- calendars ------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "first"), [
    ("zh-Hans", Qt.DayOfWeek.Monday), ("zh-Hant", Qt.DayOfWeek.Monday),
    ("en", Qt.DayOfWeek.Sunday)])
def test_calendars_start_the_week_on_monday_for_chinese(
        qtbot: QtBot, qapp: QApplication, qt_language: None, lang: str,
        first: Qt.DayOfWeek) -> None:
    apply_qt_language(qapp, lang)
    calendar = QCalendarWidget()
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    for w in (calendar, edit):
        qtbot.addWidget(w)
        w.show()
    assert calendar.firstDayOfWeek() == first
    popup = edit.calendarWidget()  # the pop-up of a date field, made on first use
    popup.ensurePolished()  # what showing it does first
    assert popup.firstDayOfWeek() == first
    other = "en" if lang != "en" else "zh-Hant"
    apply_qt_language(qapp, other)  # calendars already shown follow a switch
    assert calendar.firstDayOfWeek() != first


# ---- sorting Chinese and English names ------------------------------------------------------

def test_sorting_mixed_chinese_and_english_names_does_not_crash(
        qtbot: QtBot, db: Database, clerk: Actor) -> None:
    from ui.kanban.table_view import COLUMN_KEYS, CardTable

    names = ["王小明", "Chan Tai Man", "陳大文", "", "Émile Dupont", "李四", "chan siu ming",
             "Ｌｅｅ", "𠮷野家", "欧阳 Ouyang"]
    for i, name in enumerate(names):
        log_complaint(db, IntakeInput(description=f"第{i}件", customer_name=name,
                                      phone=f"1380000{i:04d}"), clerk)
    table = CardTable()
    qtbot.addWidget(table)
    table.set_cards(queue_cards(db, QueueFilter()))
    table.show()
    column = COLUMN_KEYS.index("customer")
    for key in range(len(COLUMN_KEYS)):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            table.sortByColumn(key, order)
            assert table.model().rowCount() == len(names)
    table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    shown = [table.model().index(r, column).data() or "" for r in range(len(names))]
    # By code point, as Qt compares (UTF-16): pinyin order is not asked for.
    assert sorted(shown, key=lambda s: s.casefold().encode("utf-16-be")) == shown


# ---- the shipped font -----------------------------------------------------------------------

def _catalog_hanzi() -> str:
    chars: set[str] = set()
    for po_file in CATALOG_DIR.glob("*/*.po"):
        for entry in polib.pofile(str(po_file)):
            chars.update(ch for ch in entry.msgstr if ord(ch) > 0x2E7F)
    return "".join(sorted(chars))


def test_chinese_is_drawn_with_the_shipped_font(qapp: QApplication) -> None:
    family = install_font(qapp)
    assert family and family in QFontDatabase.families()
    shipped = QRawFont(str(FONT_FILE), 12)
    assert shipped.isValid()
    # Every character of every translation (both scripts) has a glyph in the shipped file ...
    hanzi = _catalog_hanzi()
    assert len(hanzi) > 500
    # (ord: PySide's str → QChar overload misreads some hanzi)
    missing = [ch for ch in hanzi if not shipped.supportsCharacter(ord(ch))]
    assert not missing, "".join(missing)
    accents = "".join(chr(c) for c in ACCENTED.values()) + PAD  # pseudo-translation's letters
    assert all(shipped.supportsCharacter(ord(ch)) for ch in accents)
    # ... and Qt draws them with that font, not with a system font found by fallback.
    sample = "投诉受理单 回访 整改 投訴受理單 回訪 資料庫 列印 電郵"
    layout = QTextLayout(sample, QFont(family, 12))
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    used = {run.rawFont().familyName() for run in layout.glyphRuns()}
    assert used == {family}, used


def test_amounts_follow_the_desks_currency_symbol(qtbot: QtBot, tmp_path: Path,
                                                  supervisor_ctx: DeskContext, clerk: Actor,
                                                  db: Database) -> None:
    from app.formatting import set_currency_symbol
    from app.services import resolution
    from app.settings import put

    ref = log_complaint(db, IntakeInput(description="鞋底开胶", customer_name="陳大文",
                                        phone="+852 9123 4567"), clerk).reference
    resolution.assess(db, ref, category="product_quality", severity="normal",
                      owner_id=clerk.user_id, actor=clerk)
    resolution.propose_solution(db, ref, types=["refund"], amounts={"refund": "900"}, actor=clerk)
    window = MainWindow(supervisor_ctx, QSettings(str(tmp_path / "w.ini"),
                                                  QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    try:
        supervisor_ctx.signals.open_complaint.emit(ref)
        panel = window.view("complaint")
        assert "¥900.00" in panel.timeline.texts()[-1]  # type: ignore[attr-defined]
        with db.write() as session:
            put(session, "currency_symbol", "HK$")
        supervisor_ctx.signals.language_changed.emit(get_language())  # as the settings do
        assert "HK$900.00" in panel.timeline.texts()[-1]  # type: ignore[attr-defined]
        approvals = panel.approvals.model  # type: ignore[attr-defined]
        assert "HK$900.00" in [approvals.index(0, c).data() for c in range(3)]
    finally:
        set_currency_symbol(None)
