"""Logging a complaint through the service: validation, customers, references, timeline."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest

from app.db import Database
from app.errors import ValidationErrors
from app.i18n import set_language
from app.models import TEXT_LEN
from app.services.attachments import CACHE_DIR, local_copy
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.intake import IntakeInput, OnTheSpot, check_intake, log_complaint
from tests.conftest import PG_URL, ControlledClock
from tests.db_inspect import table_counts


def test_chinese_walk_in_saved_with_reference_and_timeline(
        db: Database, clerk: Actor, fixed_clock: ControlledClock) -> None:
    result = log_complaint(db, IntakeInput(
        description="新买的皮鞋穿了两天就开胶，要求退货 👞", customer_name="張小姐",
        phone="+852 9123 4567", category="product_quality", department="tenant_l2_fashion",
        demands=["refund", "apology"], emotion="upset"), clerk)
    assert result.reference == "TS-20260310-0001"
    detail = get_detail(db, result.reference)
    assert detail.customer_name == "張小姐"
    assert detail.phone == "+85291234567"
    assert detail.description.endswith("👞")
    assert detail.stage == "new" and detail.severity == "normal"
    assert detail.demands == ["refund", "apology"]
    assert detail.recorded_by == "李小红"
    assert detail.due_at == datetime(2026, 3, 17, 10, 0)  # normal: 7 days
    assert [e.kind for e in detail.timeline] == ["intake"]
    assert detail.timeline[0].actor == "李小红"


def test_references_are_daily_sequences(db: Database, fixed_clock: ControlledClock) -> None:
    refs = [log_complaint(db, IntakeInput(description=f"d{i}", customer_name="A")).reference
            for i in range(3)]
    fixed_clock.advance(days=1)
    refs.append(log_complaint(db, IntakeInput(description="x", customer_name="B")).reference)
    back = log_complaint(db, IntakeInput(description="late entry", customer_name="C",
                                         received_at="2026-03-10 18:00")).reference
    assert refs == ["TS-20260310-0001", "TS-20260310-0002", "TS-20260310-0003",
                    "TS-20260311-0001"]
    assert back == "TS-20260310-0004"  # numbered by its received day, never reused


def test_returning_customer_counted_and_flagged_repeat(
        db: Database, fixed_clock: ControlledClock) -> None:
    first = log_complaint(db, IntakeInput(description="one", customer_name="陈先生",
                                          phone="138-0013-8000"))
    assert not first.is_repeat and first.earlier_complaints == 0
    fixed_clock.advance(days=30)
    second = log_complaint(db, IntakeInput(description="two", phone="13800138000",
                                           tier="core"))
    assert second.is_repeat and second.earlier_complaints == 1
    detail = get_detail(db, second.reference)
    assert detail.customer_name == "陈先生" and detail.tier == "core"
    assert detail.customer_complaints == 2
    fixed_clock.advance(days=200)
    third = log_complaint(db, IntakeInput(description="three", phone="+86 138 0013 8000"))
    assert not third.is_repeat and third.earlier_complaints == 2  # outside 90 days


BAD_INPUTS = [
    (dict(description=""), "description", "Description: is required"),
    (dict(customer_name="", phone=""), "customer_name", "give a name or a phone number"),
    (dict(phone="call me"), "phone", "Phone: is not a phone number"),
    (dict(phone="12"), "phone", "not a complete phone number of CN"),
    (dict(email="not-an-email"), "email", "Email: is not an email address"),
    (dict(received_at="2099-01-01"), "received_at", "Received at: is in the future"),
    (dict(received_at="31/31/2026"), "received_at", "is not a date"),
    (dict(channel="pigeon"), "channel", "Channel: has an unknown value \"pigeon\""),
    (dict(severity="catastrophic"), "severity", "Severity: has an unknown value"),
    (dict(description="长" * (TEXT_LEN + 1)), "description", "is too long"),
    (dict(customer_name="名" * 101), "customer_name", "is too long"),
    (dict(category="no_such"), "category", "Category: has an unknown value"),
    (dict(demands=["everything"]), "customer_demand", "Customer asks for"),
]


@pytest.mark.parametrize(("changes", "field", "text"), BAD_INPUTS)
def test_bad_input_refused_naming_the_field_and_nothing_written(
        db: Database, changes: dict[str, object], field: str, text: str) -> None:
    data = dict(description="ok", customer_name="Ann", phone="13800000000")
    data.update(changes)
    before = table_counts(db)
    with pytest.raises(ValidationErrors) as info:
        log_complaint(db, IntakeInput(**data))  # type: ignore[arg-type]
    assert field in [e.field for e in info.value.errors]
    assert text in info.value.message()
    assert table_counts(db) == before
    assert [e.field for e in check_intake(db, IntakeInput(**data))] == [  # type: ignore[arg-type]
        e.field for e in info.value.errors]


def test_all_problems_reported_together_in_chinese(db: Database) -> None:
    set_language("zh-Hans")
    with pytest.raises(ValidationErrors) as info:
        log_complaint(db, IntakeInput(description="", phone="abc", email="x@"))
    fields = [e.field for e in info.value.errors]
    assert fields == ["phone", "email", "description"]
    message = info.value.message()
    assert "电话" in message and "投诉内容：为必填项" in message


def test_attachment_copied_with_checksum_and_safe_name(
        db: Database, tmp_path: Path) -> None:
    source = tmp_path / "收据 receipt.jpg"
    source.write_bytes(b"\xff\xd8 fake jpeg")
    result = log_complaint(db, IntakeInput(description="see photo", customer_name="Ann",
                                           attachments=[source]))
    detail = get_detail(db, result.reference)
    (entry,) = detail.attachments
    assert entry.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    # The file a user opens: the stored file of a SQLite desk; on a server database, where
    # the content is held in the database, this PC's checked copy of it.
    stored = local_copy(db, entry.id)
    assert stored.read_bytes() == source.read_bytes()
    folder = db.paths.attachments if PG_URL is None else db.paths.data_dir / CACHE_DIR
    assert stored.resolve().is_relative_to(folder.resolve())
    if PG_URL is None:
        assert stored == db.paths.attachments / entry.stored_name


def test_missing_attachment_refused_and_nothing_saved(
        db: Database, tmp_path: Path) -> None:
    before = table_counts(db)
    with pytest.raises(Exception, match="file not found"):
        log_complaint(db, IntakeInput(description="x", customer_name="Ann",
                                      attachments=[tmp_path / "nope.png"]))
    assert table_counts(db) == before


def test_resolve_on_the_spot_goes_to_follow_up_with_revisit(
        db: Database, clerk: Actor, fixed_clock: ControlledClock) -> None:
    result = log_complaint(db, IntakeInput(
        description="停车场收费多收了 10 元", customer_name="Li", category="parking",
        severity="minor", on_the_spot=OnTheSpot(["refund", "apology"], "当场退还 10 元并致歉",
                                                {"refund": "10"}, verdict="true")), clerk)
    assert result.stage == "follow_up"
    detail = get_detail(db, result.reference)
    assert detail.owner_name == "李小红"
    assert detail.resolved_at == fixed_clock.now
    assert detail.revisits[0].scheduled_for.isoformat() == "2026-03-24"  # minor: 14 days
    kinds = [e.kind for e in detail.timeline]
    assert kinds[0] == "intake" and "moved" in kinds and "revisit_scheduled" in kinds


def test_resolve_on_the_spot_over_threshold_needs_supervisor(
        db: Database, clerk: Actor, supervisor: Actor) -> None:
    data = IntakeInput(description="x", customer_name="Li", category="parking",
                       on_the_spot=OnTheSpot(["cash"], "paid", {"cash": "800"}, verdict="true"))
    before = table_counts(db)
    with pytest.raises(Exception, match="approval threshold"):
        log_complaint(db, data, clerk)
    assert table_counts(db) == before
    assert log_complaint(db, data, supervisor).stage == "follow_up"
