"""Services behind the counter window: customer lookup, go-to-reference, first start."""

from __future__ import annotations

import pytest

from app.errors import ValidationErrors
from app.migrate import open_database
from app.phones import mask_phone
from app.services.customer_lookup import (
    customer_phone,
    customer_summary,
    find_customers,
    lookup_phone,
)
from app.services.desk_setup import (
    FirstStartInput,
    desk_info,
    first_start,
    needs_first_start,
    stored_language,
)
from app.services.goto import candidate, find_reference
from app.services.intake import IntakeInput, log_complaint
from app.services.list_choices import list_choices
from app.services.users import has_accounts


def _log(db, phone="13812345678", name="王小明", **kw):  # type: ignore[no-untyped-def]
    return log_complaint(db, IntakeInput(description="x", customer_name=name, phone=phone,
                                         email="wang@example.com", **kw))


def test_find_by_phone_digits_and_name(db, fixed_clock):
    _log(db, tier="core")
    _log(db)
    _log(db, phone="13900000000", name="王大锤")
    by_phone = find_customers(db, "138 1234", role="supervisor")
    assert [(m.name, m.phone, m.tier, m.complaints) for m in by_phone] == [
        ("王小明", "+8613812345678", "core", 2)]
    assert [m.name for m in find_customers(db, "王", role="supervisor")] == []  # too short
    assert [m.name for m in find_customers(db, "王小", role="supervisor")] == ["王小明"]
    assert {m.name for m in find_customers(db, "+86 139 0000", role="supervisor")} == {"王大锤"}
    assert find_customers(db, "%_", role="supervisor") == []  # wildcards are literal


def test_clerks_see_masked_phone_and_email(db, fixed_clock):
    ref = _log(db)
    assert find_customers(db, "王小明", role="clerk")[0].phone == mask_phone("13812345678")
    s = lookup_phone(db, "+86 138-1234-5678", role="clerk")
    assert s is not None and s.masked and s.phone == mask_phone("13812345678")
    assert s.email == "w***@example.com"
    assert customer_phone(db, s.id) == "+8613812345678"
    full = customer_summary(db, s.id, role="supervisor")
    assert full is not None and full.phone == "+8613812345678" and not full.masked
    assert ref.reference


def test_summary_counts_and_repeat_window(db, fixed_clock):
    _log(db)
    fixed_clock.advance(days=100)
    s = lookup_phone(db, "13812345678")
    assert s is not None and s.earlier_complaints == 1 and not s.is_repeat  # outside 90 days
    _log(db)
    s = lookup_phone(db, "13812345678")
    assert s is not None and s.earlier_complaints == 2 and s.recent_complaints == 1
    assert s.is_repeat and s.last_received_at == fixed_clock.now


def test_unknown_or_bad_phone_finds_nobody(db):
    assert lookup_phone(db, "13800000000") is None
    assert lookup_phone(db, "abc") is None
    assert customer_summary(db, 999) is None


def test_go_to_reference_forms(db, fixed_clock):
    ref = _log(db).reference
    assert ref == "TS-20260310-0001"
    for typed in ("TS-20260310-0001", "ts-20260310-0001", "２０２６０３１０－１", "20260310-1",
                  " 1 ", "0001", "TS20260310 0001"):
        assert find_reference(db, typed) == ref, typed
    fixed_clock.advance(days=1)
    assert candidate("1") == "TS-20260311-0001"
    assert find_reference(db, "1") is None
    assert find_reference(db, "hello") is None and find_reference(db, "") is None


@pytest.fixture
def new_db(tmp_path):  # type: ignore[no-untyped-def]
    database = open_database(str(tmp_path / "new.db"))
    yield database
    database.dispose()


def _setup(**kw) -> FirstStartInput:  # type: ignore[no-untyped-def]
    values = dict(business_name="丽人美容院", profile="salon", language="zh-Hant",
                  username="boss", display_name="陳老闆", password="1234",
                  password_again="1234")
    values.update(kw)
    return FirstStartInput(**values)  # type: ignore[arg-type]


def test_first_start_sets_up_the_desk(new_db):
    assert needs_first_start(new_db) and stored_language(new_db) is None
    member = first_start(new_db, _setup())
    assert (member.username, member.display_name, member.role) == ("boss", "陳老闆",
                                                                   "supervisor")
    assert not needs_first_start(new_db)
    assert stored_language(new_db) == "zh-Hant"
    assert desk_info(new_db).business_name == "丽人美容院" and desk_info(new_db).profile == "salon"
    assert "skin_reaction" in [c for c, _ in list_choices(new_db, "category")]


@pytest.mark.parametrize("bad, field", [
    ({"password_again": "12345"}, "password_again"),
    ({"password": "12", "password_again": "12"}, "password"),
    ({"business_name": " "}, "business_name"),
    ({"username": ""}, "username"),
    ({"profile": "zoo"}, "profile"),
])
def test_first_start_refuses_bad_input_and_writes_nothing(new_db, bad, field):
    with pytest.raises(ValidationErrors) as e:
        first_start(new_db, _setup(**bad))
    assert field in [x.field for x in e.value.errors]
    assert not has_accounts(new_db) and stored_language(new_db) is None
    assert list_choices(new_db, "category") == []


def test_second_supervisor_name_clash_is_reported(new_db):
    first_start(new_db, _setup())
    with pytest.raises(ValidationErrors) as e:
        first_start(new_db, _setup())
    assert e.value.errors[0].field == "username"


def test_the_clock_moves_the_repeat_window(db, fixed_clock):
    _log(db)
    fixed_clock.advance(days=89)
    assert lookup_phone(db, "13812345678").is_repeat  # type: ignore[union-attr]
    fixed_clock.advance(days=2)
    assert not lookup_phone(db, "13812345678").is_repeat  # type: ignore[union-attr]
