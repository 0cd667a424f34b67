"""Solution types are an editable list (issue 12): a supervisor adds the desk's own (a salon's
"free treatment"), renames and retires them; retired ones stay on old complaints; every place
that shows a solution shows the list's label."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import ValidationError, ValidationErrors
from app.i18n import set_language
from app.models import ListValue
from app.services import lists, resolution
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.customer_history import customer_history
from app.services.intake import IntakeInput, OnTheSpot, check_intake, log_complaint
from app.services.list_choices import list_choices, list_labels
from app.services.lists import Labels
from app.services.report_data import month_report_data
from tests.complaint_factory import advance, new_complaint, snapshot

TREATMENT = Labels("免费护理一次", "免費護理一次", "Free treatment")


def add_treatment(db: Database, supervisor: Actor) -> lists.ListEntry:
    return lists.add_value(db, "solution_type", TREATMENT, supervisor)


def test_the_built_in_types_come_as_list_values_in_three_languages(db: Database) -> None:
    with db.read() as session:
        codes = list(session.scalars(select(ListValue.code).where(
            ListValue.kind == "solution_type").order_by(ListValue.position)))
    assert codes[:3] == ["apology", "refund", "exchange"] and "cash" in codes
    set_language("zh-Hans")
    assert ("apology", "道歉") in list_choices(db, "solution_type")
    set_language("zh-Hant")
    assert list_labels(db, "solution_type")["exchange"] == "換貨"


def test_a_desks_own_type_is_proposed_and_shown_everywhere(db: Database, clerk: Actor,
                                                           supervisor: Actor) -> None:
    code = add_treatment(db, supervisor).code
    assert code == "free_treatment"
    ref = new_complaint(db, clerk, phone="13700001111")
    advance(db, ref, "investigating", clerk, supervisor)
    resolution.propose_solution(db, ref, types=[code, "apology"], amounts={code: "0"}, actor=clerk)

    set_language("zh-Hans")
    detail = get_detail(db, ref)
    assert detail.solution_types == [code, "apology"]
    proposed = next(e for e in detail.timeline if e.kind == "solution_proposed")
    assert "免费护理一次" in proposed.text and "道歉" in proposed.text
    row = customer_history(db, "13700001111", "supervisor").complaints[0]
    assert row.solution_labels == ["免费护理一次", "道歉"]
    month = f"{detail.received_at:%Y-%m}"
    data = month_report_data(db, month, "zh-Hant")
    assert data.list_label("solution_type", code) == "免費護理一次"
    assert lists.list_entries(db, "solution_type")[-1].uses == 1


def test_a_retired_type_is_no_longer_offered_but_stays_on_old_complaints(
        db: Database, clerk: Actor, supervisor: Actor) -> None:
    treatment = add_treatment(db, supervisor)
    old = new_complaint(db, clerk)
    advance(db, old, "investigating", clerk, supervisor)
    resolution.propose_solution(db, old, types=[treatment.code], actor=clerk)
    lists.set_active(db, treatment.id, False, supervisor)

    assert treatment.code not in dict(list_choices(db, "solution_type"))
    assert treatment.code in dict(list_choices(db, "solution_type", keep=[treatment.code]))
    # The old complaint keeps it and can still be re-saved with it (amount changed).
    resolution.propose_solution(db, old, types=[treatment.code], amounts={treatment.code: "20"}, actor=clerk)
    assert get_detail(db, old).solution_types == [treatment.code]
    # A new solution cannot choose it: refused by name, nothing stored.
    new = new_complaint(db, clerk, phone="13600002222")
    advance(db, new, "investigating", clerk, supervisor)
    before = snapshot(db)
    set_language("en")
    with pytest.raises(ValidationError) as refused:
        resolution.propose_solution(db, new, types=[treatment.code], actor=clerk)
    assert refused.value.field == "solution_types"
    assert "Free treatment" in refused.value.message()
    assert snapshot(db) == before
    # Nor can it be deleted: it is in use.
    with pytest.raises(ValidationError):
        lists.delete_value(db, treatment.id, supervisor)


def test_resolving_on_the_spot_checks_the_list_too(db: Database, clerk: Actor,
                                                   supervisor: Actor) -> None:
    treatment = add_treatment(db, supervisor)
    data = IntakeInput(description="剪发不满意", customer_name="林小姐", phone="13500003333",
                       category="parking",
                       on_the_spot=OnTheSpot([treatment.code], "当场免费重剪", {treatment.code: ""}, verdict="true"))
    assert check_intake(db, data) == []
    lists.set_active(db, treatment.id, False, supervisor)
    assert [e.field for e in check_intake(db, data)] == ["solution_types"]
    data.on_the_spot = OnTheSpot(["no_such_type"], "当场处理", {"no_such_type": ""}, verdict="true")
    with pytest.raises(ValidationErrors) as refused:
        log_complaint(db, data, clerk)
    assert [e.field for e in refused.value.errors] == ["solution_types"]
    data.on_the_spot = OnTheSpot(["apology"], "当场道歉", {"apology": ""}, verdict="true")
    assert get_detail(db, log_complaint(db, data, clerk).reference).stage == "follow_up"


@pytest.mark.sqlite_only
def test_a_desk_set_up_before_the_list_existed_gets_the_built_in_types(tmp_path: Path) -> None:
    """Migration 0003: a database at 0002 with its lists (and complaints using the old fixed
    codes) gets the built-in types as list values once, at the next start."""
    from alembic import command

    from app.migrate import _config, current_revision, head_revision, open_database, upgrade
    from app.paths import resolve

    path = tmp_path / "old-desk.db"
    db = Database(resolve(str(path)))
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.execute(ListValue.__table__.insert(), [
            {"kind": "category", "code": "parking", "label_zh_hans": "停车",
             "label_zh_hant": "停車", "label_en": "Parking", "position": 1, "active": True},
            {"kind": "solution_type", "code": "refund", "label_zh_hans": "退钱",
             "label_zh_hant": "退錢", "label_en": "Money back", "position": 1, "active": True}])
    assert current_revision(db) == "0002"
    upgrade(db)
    assert current_revision(db) == head_revision()
    db.dispose()
    db = open_database(str(path))
    with db.read() as session:
        rows = {v.code: (v.label_zh_hans, v.label_en, v.position) for v in session.scalars(
            select(ListValue).where(ListValue.kind == "solution_type"))}
    assert len(rows) == 11 and rows["cash"][0] == "现金补偿"
    assert rows["refund"][1] == "Money back"  # what the desk had is left as it was
    assert len({position for _, _, position in rows.values()}) == 11
    db.dispose()
