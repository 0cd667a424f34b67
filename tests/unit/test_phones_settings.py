"""Phone normalisation and masking; declared settings round-trip and refuse bad values."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from app import settings
from app.db import Database
from app.errors import ValidationError
from app.phones import mask_phone, normalise_phone


@pytest.mark.parametrize(("raw", "region", "expected"), [
    ("13812345678", "CN", "+8613812345678"),
    ("138-1234-5678", "CN", "+8613812345678"),
    ("+86 138 1234 5678", "CN", "+8613812345678"),
    ("0086 13812345678", "CN", "+8613812345678"),
    ("8613812345678", "CN", "+8613812345678"),
    ("+852 9123 4567", "CN", "+85291234567"),
    ("+65 9123 4567", "CN", "+6591234567"),  # not the Hong Kong customer above
    ("9123 4567", "HK", "+85291234567"),
    ("+886 912 345 678", "CN", "+886912345678"),
    ("0912-345-678", "TW", "+886912345678"),  # the same Taiwan customer as above
    ("(020) 8888-6666", "CN", "+862088886666"),
    ("１３８１２３４５６７８", "CN", "+8613812345678"),  # full-width digits from a Chinese IME
])
def test_normalise_to_e164_with_the_desks_region(raw: str, region: str, expected: str) -> None:
    assert normalise_phone(raw, region) == expected


@pytest.mark.parametrize("raw", ["", "  ", "abc", "138x1234", "12", "1" * 16, "٣٤٥٦٧٨٩",
                                 "8888 6666", "0912-345-678"])
def test_not_a_phone_of_the_region(raw: str) -> None:
    """A landline without its area code, or a Taiwan mobile at a mainland desk, is refused
    rather than keyed by a guess."""
    with pytest.raises(ValidationError) as info:
        normalise_phone(raw, "CN")
    assert info.value.field == "phone"


def test_hong_kong_and_singapore_stay_two_customers() -> None:
    assert normalise_phone("+852 9123 4567") != normalise_phone("+65 9123 4567")


def test_mask() -> None:
    assert mask_phone("+8613812345678") == "138****5678"
    assert mask_phone("+85291234567") == "91****67"
    assert mask_phone("+886912345678") == "91*****78"
    assert mask_phone("13812345678") == "138****5678"  # a key from before E.164
    assert mask_phone(None) == ""
    assert "1234" not in mask_phone("12345")


@pytest.mark.parametrize("spec", settings.SPECS, ids=lambda s: s.key)
def test_every_setting_round_trips(db: Database, spec: settings.SettingSpec) -> None:
    samples = {"str": "星河广场 Galaxy Plaza", "int": (spec.minimum or 0) + 1, "bool": True,
               "money": 123456, "json": spec.default}
    value = spec.choices[-1] if spec.type == "choice" else samples[spec.type]
    if spec.key == "currency_symbol":
        value = "HK$"  # a symbol is at most settings.MAX_SYMBOL characters
    with db.write() as session:
        settings.put(session, spec.key, value)
    with db.read() as session:
        assert settings.get(session, spec.key) == value
        assert settings.get_all(session)[spec.key] == value


@pytest.mark.parametrize(("key", "value"), [
    ("approval_threshold", -1), ("approval_threshold", "lots"), ("repeat_window_days", 0),
    ("idle_signout_minutes", 10_000), ("profile", "casino"), ("language", "fr"),
    ("mask_personal_data", "yes"), ("sla_terms", {"urgent": [1, 2, 3]}),
    ("no_such_setting", 1), ("business_name", "x" * 301),
])
def test_bad_setting_refused_and_unchanged(db: Database, key: str, value: object) -> None:
    with db.read() as session:
        before = settings.get_all(session)
    with pytest.raises(ValidationError) as info, db.write() as session:
        settings.put(session, key, value)
    assert info.value.field == key
    with db.read() as session:
        assert settings.get_all(session) == before


def test_sla_policy_reads_settings(db: Database) -> None:
    with db.write() as session:
        settings.put(session, "sla_terms", {"urgent": [2, 12, 1], "serious": [4, 72, 3],
                                            "normal": [24, 168, 7], "minor": [48, 336, 14]})
        settings.put(session, "opening_hours", [["10:00", "22:00"]] * 7)
    with db.read() as session:
        policy = settings.sla_policy(session)
    assert policy.terms["urgent"].resolve_hours == 12
    assert not policy.hours.always_open


@given(digits=st.text("0123456789", min_size=3, max_size=14),
       region=st.sampled_from(["CN", "HK", "TW", "SG", "US", "GB", "MO", "MY", "JP"]))
@hypothesis_settings(max_examples=400, derandomize=True)
def test_the_quick_path_keys_as_parse_does(digits: str, region: str) -> None:
    """normalise_phone skips parse() for plain national digits: same key, same refusals."""
    try:
        number = phonenumbers.parse(digits, region)
        expected = (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                    if phonenumbers.is_valid_number(number) else None)
    except phonenumbers.NumberParseException:
        expected = None
    try:
        got: str | None = normalise_phone(digits, region)
    except ValidationError:
        got = None
    assert got == expected


def test_dialable_is_national_at_home_and_international_abroad() -> None:
    from app.phones import dialable

    assert dialable("+8613812345678", "CN") == "13812345678"
    assert dialable("+862088886666", "CN") == "02088886666"  # the trunk 0 comes back
    assert dialable("+85291234567", "CN") == "+85291234567"
    assert dialable("+85291234567", "HK") == "91234567"
    assert dialable("91234567", "CN") == "91234567"  # a key from before E.164, as stored
