"""Settings changed through the service: validated, by the declared role; first-use answers."""

from __future__ import annotations

import pytest

from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.services.common import Actor
from app.services.settings_service import (
    read_settings,
    remember_choice,
    set_setting,
    stored_setting,
)


def test_a_supervisor_sets_a_setting_and_everyone_reads_it(db: Database,
                                                           supervisor: Actor) -> None:
    assert stored_setting(db, "slip_format") is None
    assert read_settings(db)["slip_format"] == "a5"  # the default while nobody chose
    assert set_setting(db, "slip_format", "receipt80", supervisor) == "receipt80"
    assert stored_setting(db, "slip_format") == "receipt80"
    assert read_settings(db)["slip_format"] == "receipt80"


def test_bad_values_name_the_setting_and_change_nothing(db: Database,
                                                        supervisor: Actor) -> None:
    with pytest.raises(ValidationError) as bad:
        set_setting(db, "slip_format", "a3", supervisor)
    assert bad.value.field == "slip_format"
    with pytest.raises(ValidationError) as unknown:
        set_setting(db, "no_such_setting", 1, supervisor)
    assert unknown.value.field == "no_such_setting"
    assert stored_setting(db, "slip_format") is None


def test_roles_declared_with_the_setting_are_enforced(db: Database, clerk: Actor,
                                                      supervisor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        set_setting(db, "slip_format", "receipt80", clerk)
    with pytest.raises(PermissionDenied):
        set_setting(db, "backup_dir", "/tmp", supervisor)  # an administrator's setting
    assert stored_setting(db, "slip_format") is None


def test_the_first_answer_to_a_first_use_question_is_anyones(db: Database, clerk: Actor,
                                                             supervisor: Actor) -> None:
    assert remember_choice(db, "slip_action", "print", clerk) == "print"
    assert stored_setting(db, "slip_action") == "print"
    with pytest.raises(PermissionDenied):  # changing it afterwards needs the role
        remember_choice(db, "slip_action", "open", clerk)
    assert remember_choice(db, "slip_action", "open", supervisor) == "open"
    with pytest.raises(PermissionDenied):  # not a first-use question
        remember_choice(db, "slip_format", "receipt80", clerk)
