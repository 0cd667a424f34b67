"""The settings dialog: every declared setting round-trips through its editor and the service,
is refused when invalid (type, range) with the setting's name and nothing changed, is applied
at once (language) and audited; roles decide what can be changed; lists and phrases pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QTime
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTableWidgetItem
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.i18n import get_language, set_language
from app.models import AuditEvent
from app.services.common import Actor
from app.services.list_choices import list_choices
from app.services.settings_service import read_settings
from app.services.users import create_user, list_staff
from app.settings import SPECS, SettingSpec
from tests.complaint_factory import new_complaint, snapshot
from ui import messages
from ui.context import DeskContext
from ui.settings import editors, special_editors
from ui.settings.settings_dialog import LISTS, SettingsDialog


@pytest.fixture
def admin_ctx(db: Database) -> DeskContext:
    create_user(db, "admin", "管理员", "admin", "demo1234")
    admin = next(m for m in list_staff(db) if m.username == "admin").as_actor()
    return DeskContext(db=db, actor=admin)


def open_dialog(qtbot: QtBot, ctx: DeskContext) -> SettingsDialog:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def logo_file(tmp_path: Path) -> str:
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(0x1F6FB2)
    path = tmp_path / "logo.png"
    assert image.save(str(path))
    return str(path)


def type_into(editor: editors.SettingEditor, spec: SettingSpec, tmp_path: Path) -> Any:
    """Change the editor as a user would; returns the value the setting should then hold."""
    if isinstance(editor, editors.TextEditor) and spec.key == "currency_symbol":
        editor.edit.setText(" HK$ ")  # at most settings.MAX_SYMBOL characters
        editor.edit.editingFinished.emit()
        return "HK$"
    if isinstance(editor, editors.TextEditor):
        editor.edit.setText("  星河广场 Galaxy Plaza ")
        editor.edit.editingFinished.emit()
        return "星河广场 Galaxy Plaza"
    if isinstance(editor, editors.MoneyEditor):
        editor.spin.setValue(1234.5)
        editor.spin.editingFinished.emit()
        return 123450
    if isinstance(editor, editors.IntEditor):
        wanted = (spec.maximum or 100) if editor.spin.value() != spec.maximum else spec.minimum
        editor.spin.setValue(wanted)
        editor.spin.editingFinished.emit()
        return wanted
    if isinstance(editor, editors.BoolEditor):
        wanted = not editor.box.isChecked()
        editor.box.setChecked(wanted)
        return wanted
    if isinstance(editor, editors.ChoiceEditor):
        index = editor.combo.count() - 1 if editor.combo.currentIndex() == 0 else 0
        editor.combo.setCurrentIndex(index)
        editor.combo.activated.emit(index)
        return editor.combo.itemData(index)
    if isinstance(editor, editors.SlaEditor):
        editor.table.item(0, 0).setText("2")  # urgent: first contact within 2 hours
        expected = {sev: list(v) for sev, v in spec.default.items()}
        expected["urgent"][0] = 2
        return expected
    if isinstance(editor, editors.TierPercentEditor):
        editor.table.item(0, 0).setText("40")  # core customers: 40% of the usual time
        return {**spec.default, "core": 40}
    if isinstance(editor, editors.WipEditor):
        editor.table.setItem(2, 0, QTableWidgetItem("12"))  # investigating
        return {"investigating": 12}
    if isinstance(editor, special_editors.HoursEditor):
        editor.always.setChecked(False)  # stored at once: 10–22 every day
        monday = editor.days[0]
        monday[0].setChecked(False)  # closed on Mondays
        friday = editor.days[4]
        friday[2].setTime(QTime(23, 30))
        friday[2].editingFinished.emit()
        return [None] + [["10:00", "22:00"]] * 3 + [["10:00", "23:30"]] + [["10:00",
                                                                            "22:00"]] * 2
    if isinstance(editor, special_editors.HolidaysEditor):
        for day in (QDate(2026, 10, 1), QDate(2026, 1, 1)):
            editor.date.setDate(day)
            editor.add_button.click()
        return ["2026-01-01", "2026-10-01"]
    if isinstance(editor, special_editors.PathEditor) and spec.key == "business_logo":
        editor.edit.setText(logo_file(tmp_path))
        editor.edit.editingFinished.emit()
        return str(Path(logo_file(tmp_path)).resolve())
    if isinstance(editor, special_editors.PathEditor):
        folder = tmp_path / "backups elsewhere"
        editor.edit.setText(str(folder))
        editor.edit.editingFinished.emit()
        return str(folder)
    raise AssertionError(f"no way to type into {type(editor).__name__}")


EDITABLE = [s for s in SPECS if s.key != "profile"]


@pytest.mark.parametrize("spec", EDITABLE, ids=lambda s: s.key)
def test_every_setting_round_trips_through_the_dialog(qtbot: QtBot, admin_ctx: DeskContext,
                                                      tmp_path: Path, spec: SettingSpec) -> None:
    dialog = open_dialog(qtbot, admin_ctx)
    page = dialog.page_of(spec.key)
    editor = page.rows[spec.key].editor
    assert editor.isEnabled()
    expected = type_into(editor, spec, tmp_path)
    assert page.rows[spec.key].error.isHidden(), page.rows[spec.key].error.text()
    assert read_settings(admin_ctx.db)[spec.key] == expected
    assert expected != spec.default
    with admin_ctx.db.read() as session:
        targets = list(session.scalars(select(AuditEvent.target).where(
            AuditEvent.action == "setting_changed")))
    assert f"setting:{spec.key}" in targets
    # A dialog opened afresh shows the stored value.
    second = open_dialog(qtbot, admin_ctx)
    again = second.page_of(spec.key).rows[spec.key].editor
    assert again.value() == expected and not again.dirty()


BAD: list[tuple[str, Any]] = [
    ("business_name", "名" * 301), ("business_logo", "/no/such/logo.png"),
    ("business_logo", "logo.txt"), ("language", "fr"), ("slip_format", "a3"),
    ("slip_action", "email"), ("approval_threshold", -1), ("approval_threshold", "lots"),
    ("approval_threshold", 10**10), ("repeat_window_days", 0), ("repeat_window_days", 1.5),
    ("wip_limits", {"investigating": -3}), ("wip_limits", {"nowhere": 3}),
    ("wip_limits", {"new": "many"}), ("sla_terms", {"urgent": [1, 24, 1]}),
    ("sla_terms", {s: ["soon", 1, 1] for s in ("minor", "normal", "serious", "urgent")}),
    ("sla_terms", {s: [48, 24, 1] for s in ("minor", "normal", "serious", "urgent")}),
    ("sla_terms", {s: [1, 24, 1.5] for s in ("minor", "normal", "serious", "urgent")}),
    ("opening_hours", [["22:00", "10:00"]] * 7), ("opening_hours", [None] * 7),
    ("opening_hours", [["10:00", "22:00"]] * 6), ("opening_hours", [["ten", "22:00"]] * 7),
    ("holidays", ["2026-13-01"]), ("holidays", "2026-10-01"),
    ("idle_signout_minutes", 0), ("idle_signout_minutes", 481),
    ("backup_keep_daily", 0), ("backup_keep_monthly", "twelve"),
    ("mask_personal_data", "yes"), ("is_demo", 1), ("retention_years", 51),
]


@pytest.mark.parametrize(("key", "value"), BAD, ids=[f"{k}={v!r}"[:40] for k, v in BAD])
def test_a_bad_value_is_refused_naming_the_setting(qtbot: QtBot, admin_ctx: DeskContext,
                                                   tmp_path: Path, key: str, value: Any) -> None:
    if value == "logo.txt":
        value = str(tmp_path / "logo.png.txt")
        Path(value).write_text("not a picture")
    dialog = open_dialog(qtbot, admin_ctx)
    page = dialog.page_of(key)
    before = snapshot(admin_ctx.db)
    assert page.save(key, value) is False
    row = page.rows[key]
    assert not row.error.isHidden()
    assert row.error.text().startswith(f"{row.spec.label}: ")
    assert dialog.status.text().startswith("Not saved: ")
    assert snapshot(admin_ctx.db) == before


def test_typing_a_word_in_the_sla_table_is_refused(qtbot: QtBot,
                                                   supervisor_ctx: DeskContext) -> None:
    dialog = open_dialog(qtbot, supervisor_ctx)
    editor = dialog.page_of("sla_terms").rows["sla_terms"].editor
    assert isinstance(editor, editors.SlaEditor)
    before = snapshot(supervisor_ctx.db)
    editor.table.item(1, 1).setText("three days")
    error = dialog.page_of("sla_terms").rows["sla_terms"].error
    assert error.text() == ("Time limits by severity: Serious, resolution (hours): "
                            "is not a number")
    assert snapshot(supervisor_ctx.db) == before
    # Closing stores what is still typed; a refusal now keeps the dialog open to show it.
    editor.table.blockSignals(True)
    editor.table.item(1, 1).setText("72")
    editor.table.blockSignals(False)
    editor.mark_invalid(False)
    dialog.page_of("sla_terms").rows["sla_terms"].error.hide()
    spin = dialog.page_of("repeat_window_days").rows["repeat_window_days"].editor
    assert isinstance(spin, editors.IntEditor)
    spin.spin.setValue(30)  # not yet committed (no editingFinished)
    dialog.close()
    assert not dialog.isVisible()
    assert read_settings(supervisor_ctx.db)["repeat_window_days"] == 30


def test_the_language_switches_the_window_at_once(qtbot: QtBot,
                                                  supervisor_ctx: DeskContext) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(supervisor_ctx)
    qtbot.addWidget(window)
    dialog = open_dialog(qtbot, supervisor_ctx)
    editor = dialog.page_of("language").rows["language"].editor
    assert isinstance(editor, editors.ChoiceEditor)
    with qtbot.waitSignal(supervisor_ctx.signals.language_changed) as signal:
        index = editor.combo.findData("zh-Hant")
        editor.combo.setCurrentIndex(index)
        editor.combo.activated.emit(index)
    assert signal.args == ["zh-Hant"] and get_language() == "zh-Hant"
    assert read_settings(supervisor_ctx.db)["language"] == "zh-Hant"
    assert dialog.windowTitle() == "設定"
    assert window.language_menu.title().startswith("語言")
    set_language("en")


def test_the_business_name_shows_in_the_window_title(qtbot: QtBot,
                                                     supervisor_ctx: DeskContext) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(supervisor_ctx)
    qtbot.addWidget(window)
    dialog = open_dialog(qtbot, supervisor_ctx)
    editor = dialog.page_of("business_name").rows["business_name"].editor
    assert isinstance(editor, editors.TextEditor)
    editor.edit.setText("丽人美容会所")
    editor.edit.editingFinished.emit()
    assert window.windowTitle().startswith("丽人美容会所 — ")


def test_a_clerk_sees_the_settings_read_only(qtbot: QtBot, ctx: DeskContext) -> None:
    dialog = open_dialog(qtbot, ctx)
    assert dialog.read_only and dialog.banner.isVisible()
    for page in dialog.setting_pages:
        assert not any(row.editor.isEnabled() for row in page.rows.values())
    assert not dialog.lists.add_button.isEnabled()
    assert not dialog.phrases.add_button.isEnabled()
    dialog.close()
    assert not dialog.isVisible()


def test_a_supervisor_cannot_change_an_administrators_setting(
        qtbot: QtBot, supervisor_ctx: DeskContext) -> None:
    dialog = open_dialog(qtbot, supervisor_ctx)
    assert not dialog.page_of("backup_dir").rows["backup_dir"].editor.isEnabled()
    assert dialog.page_of("approval_threshold").rows["approval_threshold"].editor.isEnabled()
    assert "Administrators only" in dialog.page_of("backup_dir").rows["backup_dir"].label.text()


def select_code(page: Any, code: str) -> None:
    row = next(i for i, e in enumerate(page.model.rows) if e.code == code)
    page.view.selectRow(row)


def test_the_lists_page_deactivates_a_used_category(qtbot: QtBot, supervisor_ctx: DeskContext,
                                                    clerk: Actor) -> None:
    new_complaint(supervisor_ctx.db, clerk, category="parking")
    dialog = open_dialog(qtbot, supervisor_ctx)
    dialog.show_page(LISTS)
    page = dialog.lists
    select_code(page, "parking")
    assert not page.delete_button.isEnabled()  # used: deactivate instead
    assert not page.preset_button.isEnabled()  # a database with complaints keeps its lists
    with qtbot.waitSignal(supervisor_ctx.signals.data_changed):
        page.active_button.click()
    assert "parking" not in [c for c, _label in list_choices(supervisor_ctx.db, "category")]
    assert page.selected() is not None and not page.selected().active
    assert page.active_button.text() == "Reactivate"
    # A name corrected in place, in one language.
    column = page.model.index(page.model.row_of(page.selected().id), 2)
    assert page.model.setData(column, "Car park")
    assert ("parking", "Car park") in list_choices(supervisor_ctx.db, "category", keep="parking")
    # A duplicate is refused with the column's language named.
    warned: list[str] = []
    qtbot_patch = pytest.MonkeyPatch()
    qtbot_patch.setattr(messages, "warn", lambda _p, text, _t=None: warned.append(text))
    try:
        assert not page.model.setData(column, "Safety")
    finally:
        qtbot_patch.undo()
    assert warned and warned[0].startswith("English: ")


def test_adding_a_value_through_its_dialog(qtbot: QtBot, supervisor_ctx: DeskContext,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.settings import edit_dialogs

    def fill_and_ok(dialog: edit_dialogs.LabelsDialog) -> int:
        dialog.edits["zh-Hans"].setText("电梯")
        dialog.edits["en"].setText("Lifts")
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(edit_dialogs.LabelsDialog, "exec", fill_and_ok)
    dialog = open_dialog(qtbot, supervisor_ctx)
    dialog.lists.add_button.click()
    added = dialog.lists.selected()
    assert added is not None and added.code == "lifts"
    assert added.labels.zh_hant == "电梯"  # empty: took its neighbour's name
    assert ("lifts", "Lifts") in list_choices(supervisor_ctx.db, "category")


def test_the_phrases_page_adds_a_phrase(qtbot: QtBot, supervisor_ctx: DeskContext,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.phrases import picker_phrases
    from ui.settings import edit_dialogs

    def write_and_ok(dialog: edit_dialogs.PhraseDialog) -> int:
        dialog.text.setPlainText("")
        dialog.submit()  # empty: refused, the dialog stays
        assert not dialog.error.isHidden() and dialog.error.text().startswith("Text: ")
        dialog.text.setPlainText("Thank you for waiting.")
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(edit_dialogs.PhraseDialog, "exec", write_and_ok)
    dialog = open_dialog(qtbot, supervisor_ctx)
    page = dialog.phrases
    page.language.setCurrentIndex(page.language.findData("en"))
    page.add_button.click()
    assert page.selected() is not None and page.selected().text == "Thank you for waiting."
    assert "Thank you for waiting." in [p.text for p in picker_phrases(supervisor_ctx.db, "en")]
    page.words.setText("for WAITING")
    assert page.proxy.rowCount() == 1
