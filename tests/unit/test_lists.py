"""Editable lists: add, rename in three languages, reorder, retire (never delete what is used),
and profile presets on a new database; every change refused for a clerk and audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import PermissionDenied, ValidationError, ValidationErrors
from app.i18n import set_language
from app.models import AuditEvent, ListValue, Phrase
from app.services import lists
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.list_choices import list_choices
from app.services.lists import Labels
from app.services.settings_service import read_settings
from tests.complaint_factory import new_complaint, snapshot


def entry(db: Database, kind: str, code: str) -> lists.ListEntry:
    return next(e for e in lists.list_entries(db, kind) if e.code == code)


def audit_actions(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_rename_in_three_languages_shows_on_old_complaints(db: Database, clerk: Actor,
                                                           supervisor: Actor) -> None:
    ref = new_complaint(db, clerk, category="parking")
    parking = entry(db, "category", "parking")
    renamed = lists.rename_value(db, parking.id, Labels("停车场", "停車場", "Car park"),
                                 supervisor)
    assert (renamed.code, renamed.labels) == ("parking", Labels("停车场", "停車場", "Car park"))
    assert renamed.uses == 1
    for lang, text in (("zh-Hans", "停车场"), ("zh-Hant", "停車場"), ("en", "Car park")):
        set_language(lang)
        assert get_detail(db, ref).labels["category"] == text
        assert ("parking", text) in list_choices(db, "category")
    assert "list_value_renamed" in audit_actions(db)


def test_a_blank_language_takes_its_neighbours_label(db: Database, supervisor: Actor) -> None:
    added = lists.add_value(db, "department", Labels(zh_hans="3F 儿童乐园"), supervisor)
    assert added.labels == Labels("3F 儿童乐园", "3F 儿童乐园", "3F 儿童乐园")
    assert added.code == "department"  # no English to make a code from
    again = lists.add_value(db, "department", Labels("4F 影院", "4F 影院", "L4 Cinema"),
                            supervisor)
    assert again.code == "l4_cinema"
    assert [e.code for e in lists.list_entries(db, "department")][-2:] == [
        "department", "l4_cinema"]
    assert entry(db, "department", "l4_cinema").active


@pytest.mark.parametrize(("labels", "field"), [
    (Labels(), "label"),
    (Labels("停车", "停車", "Parking"), "label_zh_hans"),  # the list has it already
    (Labels("新值", "新值", "PARKING"), "label_en"),  # case does not make it different
    (Labels("长" * 61, "", ""), "label_zh_hans"),
])
def test_bad_labels_are_refused_and_change_nothing(db: Database, supervisor: Actor,
                                                   labels: Labels, field: str) -> None:
    before = snapshot(db)
    with pytest.raises(ValidationError) as info:
        lists.add_value(db, "category", labels, supervisor)
    assert info.value.field == field
    assert snapshot(db) == before


def test_reorder_moves_the_value_in_the_intake_list(db: Database, supervisor: Actor) -> None:
    codes = [c for c, _label in list_choices(db, "category")]
    last = entry(db, "category", codes[-1])
    lists.move_value(db, last.id, -len(codes), supervisor)  # to the top
    assert [c for c, _label in list_choices(db, "category")] == [codes[-1], *codes[:-1]]
    lists.move_value(db, last.id, 1, supervisor)
    assert [c for c, _label in list_choices(db, "category")][:2] == [codes[0], codes[-1]]
    ids = [e.id for e in lists.list_entries(db, "category")]
    with pytest.raises(ValidationError):
        lists.reorder(db, "category", ids[:-1], supervisor)  # a value left out
    assert "list_reordered" in audit_actions(db)


def test_a_value_in_use_is_deactivated_never_deleted(db: Database, clerk: Actor,
                                                     supervisor: Actor) -> None:
    ref = new_complaint(db, clerk, category="safety")
    safety = entry(db, "category", "safety")
    before = snapshot(db)
    with pytest.raises(ValidationError) as refused:
        lists.delete_value(db, safety.id, supervisor)
    assert "deactivate" in refused.value.message()
    assert snapshot(db) == before

    lists.set_active(db, safety.id, False, supervisor)
    # Intake no longer offers it, nor accepts it ...
    assert "safety" not in [c for c, _label in list_choices(db, "category")]
    with pytest.raises(ValidationErrors) as intake:
        new_complaint(db, clerk, category="safety")
    assert [e.field for e in intake.value.errors] == ["category"]
    # ... while the old complaint still shows it, and its own form can still keep it.
    assert get_detail(db, ref).labels["category"] == "Safety"
    assert ("safety", "Safety") in list_choices(db, "category", keep="safety")

    lists.set_active(db, safety.id, True, supervisor)
    assert "safety" in [c for c, _label in list_choices(db, "category")]
    assert audit_actions(db)[-2:] == ["list_value_deactivated", "list_value_activated"]


def test_an_unused_value_can_be_deleted(db: Database, supervisor: Actor) -> None:
    typo = lists.add_value(db, "root_cause", Labels("错字", "錯字", "Typo"), supervisor)
    lists.delete_value(db, typo.id, supervisor)
    assert "typo" not in [e.code for e in lists.list_entries(db, "root_cause")]


def test_root_cause_uses_are_counted(db: Database, clerk: Actor, supervisor: Actor) -> None:
    from app.services import resolution

    ref = new_complaint(db, clerk)
    resolution.assess(db, ref, category="product_quality", severity="normal",
                      owner_id=clerk.user_id, actor=clerk)
    resolution.record_investigation(db, ref, findings="批次问题", responsibility="tenant",
                                    root_cause="product_defect", verdict="true", actor=clerk)
    assert entry(db, "root_cause", "product_defect").uses == 1
    with pytest.raises(ValidationError):
        lists.delete_value(db, entry(db, "root_cause", "product_defect").id, supervisor)


def test_a_clerk_cannot_edit_lists(db: Database, clerk: Actor) -> None:
    parking = entry(db, "category", "parking")
    before = snapshot(db)
    for call in (lambda: lists.add_value(db, "category", Labels(en="Lifts"), clerk),
                 lambda: lists.rename_value(db, parking.id, Labels(en="Car park"), clerk),
                 lambda: lists.set_active(db, parking.id, False, clerk),
                 lambda: lists.move_value(db, parking.id, 1, clerk),
                 lambda: lists.delete_value(db, parking.id, clerk),
                 lambda: lists.apply_preset(db, "salon", clerk)):
        with pytest.raises(PermissionDenied):
            call()
    assert snapshot(db) == before


def test_a_preset_sets_a_new_database_up_as_a_salon(db: Database, supervisor: Actor) -> None:
    done = lists.apply_preset(db, "salon", supervisor)
    assert done.profile == "salon" and done.added > 0 and done.retired > 0
    offered = [c for c, _label in list_choices(db, "category")]
    assert "skin_reaction" in offered and "parking" not in offered
    assert "staff_attitude" in offered  # shared by both presets: stays
    departments = [c for c, _label in list_choices(db, "department")]
    assert {"front_desk", "beauty", "hair", "spa"} <= set(departments)
    assert "security" not in departments and "customer_service" not in departments
    values = read_settings(db)
    assert values["profile"] == "salon"
    assert values["opening_hours"][0] is None  # closed on Mondays
    assert values["opening_hours"][1] == ["10:00", "21:00"]
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Phrase).where(
            Phrase.category == "skin_reaction")) == 3  # one per language
    assert "profile_applied" in audit_actions(db)
    # Back to the mall: its values come back, the salon's retire.
    lists.apply_preset(db, "mall", supervisor)
    offered = [c for c, _label in list_choices(db, "category")]
    assert "parking" in offered and "skin_reaction" not in offered


def test_a_preset_is_refused_once_complaints_exist(db: Database, clerk: Actor,
                                                   supervisor: Actor) -> None:
    new_complaint(db, clerk)
    before = snapshot(db)
    with pytest.raises(ValidationError) as info:
        lists.apply_preset(db, "hotel", supervisor)
    assert info.value.field == "profile"
    assert snapshot(db) == before
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ListValue).where(
            ListValue.code == "room_cleanliness")) == 0
