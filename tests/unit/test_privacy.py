"""Privacy: masking for roles that do not need personal data, anonymising on request (the
statistics stay the same) and by the retention setting."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.audit_check import check_chain
from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.privacy import mask_email, mask_items, masks_for, shown_email, shown_phone
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.customer_lookup import lookup_phone
from app.services.privacy import anonymise_customer, apply_retention, customer_of
from app.services.queue import queue_cards, search
from app.services.settings_service import read_settings, set_setting
from app.services.stats import month_stats
from tests.complaint_factory import advance, new_complaint

ADMIN = Actor(None, "admin", "admin")
PHONE = "13912345678"


def test_masking_follows_role_and_setting(db: Database, clerk: Actor,
                                          supervisor: Actor) -> None:
    settings = read_settings(db)
    assert settings["mask_personal_data"] is True
    assert shown_phone(clerk, PHONE, settings) == "139****5678"
    assert shown_email(clerk, "nana@example.com", settings) == "n***@example.com"
    assert shown_phone(supervisor, PHONE, settings) == PHONE
    assert shown_phone(ADMIN, PHONE, settings) == PHONE
    assert shown_phone(clerk, None, settings) == "" and mask_email("broken") == "***"
    set_setting(db, "mask_personal_data", False, ADMIN)
    assert not masks_for(clerk, read_settings(db))
    assert shown_phone(clerk, PHONE, read_settings(db)) == PHONE


def test_cards_masked_for_a_clerk(db: Database, clerk: Actor, supervisor: Actor) -> None:
    new_complaint(db, clerk, phone=PHONE)
    cards = queue_cards(db)
    assert [c.phone for c in mask_items(cards, clerk, True)] == ["139****5678"]
    assert [c.phone for c in mask_items(cards, supervisor, True)] == ["+86" + PHONE]
    assert cards[0].phone == "+86" + PHONE  # the originals are not touched


@pytest.fixture
def march(db: Database, clerk: Actor, supervisor: Actor, fixed_clock: Any) -> list[str]:
    """A repeat customer (two complaints, one closed with compensation) and another one."""
    first = new_complaint(db, clerk, customer_name="欧阳娜娜", phone=PHONE,
                          email="nana@example.com",
                          description="欧阳娜娜 13912345678：洗发后头皮过敏")
    advance(db, first, "closed", clerk, supervisor, amount="800")
    fixed_clock.advance(days=2)
    second = new_complaint(db, clerk, customer_name="欧阳娜娜", phone=PHONE,
                           description="又一次过敏")
    advance(db, second, "investigating", clerk, supervisor)
    other = new_complaint(db, clerk, customer_name="陈先生", phone="13800000001")
    return [first, second, other]


def test_anonymising_keeps_the_statistics(db: Database, db_path: Path, march: list[str],
                                          supervisor: Actor, clerk: Actor) -> None:
    before = {m: month_stats(db, m) for m in ("2026-03", "2026-04")}
    assert before["2026-03"]["repeat_customers"] == 1
    customer = customer_of(db, march[0])
    assert customer is not None
    with pytest.raises(PermissionDenied) as refused:
        anonymise_customer(db, customer, clerk, reason="顾客要求删除个人信息")
    assert refused.value.required_role == "supervisor"
    with pytest.raises(ValidationError):
        anonymise_customer(db, customer, supervisor, reason=" ")
    done = anonymise_customer(db, customer, supervisor, reason="顾客要求删除个人信息")
    assert done.complaints == 2 and done.texts_cleaned >= 1
    assert {m: month_stats(db, m) for m in before} == before

    d = get_detail(db, march[0], "supervisor")
    assert (d.customer_name, d.phone, d.email) == ("", None, None)
    assert "13912345678" not in d.description and "欧阳娜娜" not in d.description
    assert d.description.endswith("洗发后头皮过敏") and d.stage == "closed"
    assert search(db, "13912345678") == [] and search(db, "欧阳") == []
    assert lookup_phone(db, PHONE, "supervisor") is None  # a new visit is a new customer
    with sqlite3.connect(db_path) as conn:
        trail = conn.execute("SELECT actor_name, target, data FROM audit_events "
                             "WHERE action = 'customer_anonymised'").fetchall()
        everything = " ".join(str(r) for r in conn.execute("SELECT * FROM audit_events"))
    assert trail == [("王主管", f"customer:{customer}",
                      '{"reason":"顾客要求删除个人信息","texts_cleaned":' f'{done.texts_cleaned}}}')]
    assert PHONE not in everything and "欧阳娜娜" not in everything
    assert check_chain(db) == []
    with pytest.raises(ValidationError):
        anonymise_customer(db, customer, supervisor, reason="again")


def test_retention_anonymises_only_customers_long_closed(db: Database, march: list[str],
                                                         fixed_clock: Any,
                                                         supervisor: Actor) -> None:
    closed_only = new_complaint(db, supervisor, customer_name="林小姐", phone="13700000007")
    advance(db, closed_only, "closed", supervisor, supervisor)
    fixed_clock.at(datetime(2029, 3, 20, 9, 0))
    assert apply_retention(db) == 0  # the setting is off by default
    set_setting(db, "retention_years", 3, ADMIN)
    with pytest.raises(PermissionDenied):
        apply_retention(db, supervisor)
    stats = month_stats(db, "2026-03")
    assert apply_retention(db) == 1  # 林小姐 only: 欧阳娜娜 and 陈先生 still have open ones
    assert get_detail(db, closed_only, "admin").customer_name == ""
    assert get_detail(db, march[0], "admin").customer_name == "欧阳娜娜"
    assert get_detail(db, march[2], "admin").customer_name == "陈先生"
    assert month_stats(db, "2026-03") == stats
    assert apply_retention(db) == 0  # done once
    assert check_chain(db) == []


def test_revealing_a_number_is_audited_and_needs_one(db: Database, clerk: Actor,
                                                    supervisor: Actor) -> None:
    from sqlalchemy import func, select

    from app.errors import NotFound
    from app.models import AuditEvent
    from app.services.privacy import reveal_phone

    def revealed() -> int:
        with db.read() as session:
            return int(session.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.action == "phone_revealed")) or 0)

    ref = new_complaint(db, clerk, phone="13912345678")
    assert reveal_phone(db, ref, clerk) == "13912345678"  # as the desk dials it
    assert revealed() == 1
    with pytest.raises(NotFound):
        reveal_phone(db, "TS-20990101-0001", clerk)
    customer = customer_of(db, ref)
    assert customer is not None
    anonymise_customer(db, customer, supervisor, reason="顾客要求删除个人信息")
    assert reveal_phone(db, ref, clerk) == ""  # nothing left to show, nothing recorded
    assert revealed() == 1
    assert check_chain(db) == []
