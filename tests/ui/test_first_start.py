"""The welcome dialog of a new database: business, profile, language, demo data, supervisor."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app.i18n import get_language, translate
from app.migrate import open_database
from app.services.desk_setup import desk_info, stored_language
from app.services.list_choices import list_choices
from app.services.users import has_accounts, list_staff
from ui import application, first_start
from ui.first_start import FirstStartDialog


@pytest.fixture
def new_db(tmp_path):  # type: ignore[no-untyped-def]
    database = open_database(str(tmp_path / "new.db"))
    yield database
    database.dispose()


@pytest.fixture
def dialog(qtbot, new_db) -> FirstStartDialog:  # type: ignore[no-untyped-def]
    d = FirstStartDialog(new_db)
    qtbot.addWidget(d)
    d.show()
    return d


def fill(d: FirstStartDialog, password_again: str = "s3cret") -> None:
    d.business.setText("海港城 Harbour Mall")
    d.profile.set_code("hotel")
    d.username.setText("wang")
    d.display_name.setText("王经理")
    d.password.setText("s3cret")
    d.password_again.setText(password_again)


def test_creates_the_supervisor_and_applies_the_profile(dialog, new_db):
    fill(dialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.member is not None and dialog.member.role == "supervisor"
    assert [(m.username, m.display_name) for m in list_staff(new_db)] == [("wang", "王经理")]
    assert "room_cleanliness" in [c for c, _ in list_choices(new_db, "category")]
    assert "housekeeping" in [c for c, _ in list_choices(new_db, "department")]
    info = desk_info(new_db)
    assert (info.business_name, info.profile, info.is_demo) == ("海港城 Harbour Mall", "hotel",
                                                                False)
    assert stored_language(new_db) == "en"


def test_mismatched_passwords_are_shown_and_nothing_is_created(dialog, new_db):
    fill(dialog, password_again="s3cre")
    dialog.submit()
    error = dialog.grid.rows["password_again"].error
    assert error.isVisibleTo(dialog) and error.text() == "does not match the password"
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not has_accounts(new_db) and list_choices(new_db, "category") == []


def test_short_password_is_refused_at_the_field(dialog, new_db):
    fill(dialog)
    dialog.password.setText("abc")
    dialog.password_again.setText("abc")
    dialog.submit()
    assert dialog.grid.rows["password"].error.text() == "must have at least 4 characters"
    assert not has_accounts(new_db) and stored_language(new_db) is None


def test_choosing_a_language_switches_the_dialog_at_once(dialog, new_db):
    dialog.language.set_code("zh-Hans")
    assert get_language() == "zh-Hans"
    assert dialog.title.text() == translate("Welcome to Complaint Desk", "zh-Hans")
    assert dialog.title.text() != "Welcome to Complaint Desk"
    fill(dialog)
    dialog.submit()
    assert stored_language(new_db) == "zh-Hans"


def test_demo_data_is_made_off_the_ui_thread(qtbot, new_db, monkeypatch):
    calls = []

    @dataclass
    class DemoOptions:
        count: int
        seed: int
        profile: str
        months: int

    fake = types.ModuleType("app.services.demo")
    fake.DemoOptions = DemoOptions  # type: ignore[attr-defined]
    fake.make_demo = lambda db, options: calls.append(options)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.services.demo", fake)
    monkeypatch.setattr(first_start, "demo_available", lambda: True)
    d = FirstStartDialog(new_db)
    qtbot.addWidget(d)
    fill(d)
    d.demo.setChecked(True)
    d.submit()
    qtbot.waitUntil(lambda: d.result() == QDialog.DialogCode.Accepted, timeout=5000)
    assert [(o.profile, o.count) for o in calls] == [("hotel", first_start.DEMO_COUNT)]
    assert desk_info(new_db).is_demo


def test_start_shows_the_dialog_only_for_a_new_database(qtbot, db, new_db, monkeypatch):
    assert application.set_up_if_new(db).name == "王主管"  # accounts exist: no dialog
    shown = []

    def cancel(self):  # type: ignore[no-untyped-def]
        shown.append(self)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(FirstStartDialog, "exec", cancel)
    assert application.set_up_if_new(new_db) is None
    assert len(shown) == 1 and not has_accounts(new_db)


def test_opening_hours_are_asked_with_the_profiles_default(dialog, new_db, qtbot):
    """The dialog shows the profile's hours (mall in the day, hotel around the clock), follows
    a change of profile, and stores what the person confirmed or changed."""
    from PySide6.QtCore import QTime

    from app.services.settings_service import read_settings

    dialog.profile.set_code("mall")
    assert dialog.hours_box.isVisible()
    assert dialog.hours.value() == [["10:00", "22:00"]] * 7
    assert not dialog.hours.always.isChecked()
    dialog.profile.set_code("hotel")
    assert dialog.hours.value() is None and dialog.hours.always.isChecked()
    dialog.profile.set_code("salon")
    assert dialog.hours.value()[0] is None  # closed on Mondays
    fill(dialog)
    dialog.profile.set_code("mall")
    _open, _opens, closes = dialog.hours.days[4]  # Friday: open until 23:00
    closes.setTime(QTime(23, 0))
    dialog.language.set_code("zh-Hant")  # the labels change; the hours typed stay
    assert dialog.hours.value()[4] == ["10:00", "23:00"]
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    stored = read_settings(new_db)["opening_hours"]
    assert stored[4] == ["10:00", "23:00"] and stored[0] == ["10:00", "22:00"]


def test_hours_that_close_before_they_open_are_refused_in_the_box(dialog, new_db):
    from PySide6.QtCore import QTime

    fill(dialog)
    dialog.profile.set_code("mall")
    dialog.hours.days[0][2].setTime(QTime(9, 0))  # Monday closes at 9:00, opens at 10:00
    dialog.submit()
    assert dialog.hours_error.isVisibleTo(dialog)
    assert "closes before it opens (10:00–09:00)" in dialog.hours_error.text()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not has_accounts(new_db)
