"""Customer tiers change the clock (hotel 6.1, issue 20): a share of the time limits per tier
(setting tier_due_percent), in the due-time rule itself (app/sla.py), so intake, assessment,
import, demo and the slip's promised times all follow it."""

from __future__ import annotations

import io
from datetime import datetime, time
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.db import Database
from app.errors import ValidationError
from app.reports.slip import slip_pdf
from app.services import resolution
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.settings_service import set_setting
from app.sla import OpeningHours, SlaPolicy, due_times
from tests.complaint_factory import new_complaint
from tests.conftest import ControlledClock

T = datetime(2026, 3, 10, 14, 0)


def test_a_tiers_share_of_the_time_limits() -> None:
    policy = SlaPolicy(tier_percent={"core": 50, "key": 75, "potential": 150})
    assert due_times(T, "normal", policy) == (datetime(2026, 3, 11, 14), datetime(2026, 3, 17, 14))
    assert due_times(T, "normal", policy, "ordinary") == due_times(T, "normal", policy)
    assert due_times(T, "normal", policy, "core") == (datetime(2026, 3, 11, 2),
                                                      datetime(2026, 3, 14, 2))  # 84 h
    assert due_times(T, "urgent", policy, "key") == (datetime(2026, 3, 10, 14, 45),
                                                     datetime(2026, 3, 11, 8))
    assert due_times(T, "minor", policy, "potential")[0] == datetime(2026, 3, 13, 14)
    # Shares give whole minutes: 33% of 1 hour is 20 minutes, not 19 minutes 48 seconds.
    assert due_times(T, "urgent", SlaPolicy(tier_percent={"core": 33}), "core")[0] == (
        datetime(2026, 3, 10, 14, 20))


def test_the_share_counts_opening_hours_too() -> None:
    mall = OpeningHours(always_open=False, days=((time(10), time(22)),) * 7)
    policy = SlaPolicy(hours=mall, tier_percent={"core": 50})
    # 24 opening hours halved: 12 hours from 14:00 → 22:00 today (8 h) + 4 h tomorrow.
    assert due_times(T, "normal", policy, "core")[0] == datetime(2026, 3, 11, 14)


def test_the_setting_is_checked_cell_by_cell(db: Database, supervisor: Actor) -> None:
    good = {"core": 50, "key": 80, "ordinary": 100, "potential": 120}
    assert set_setting(db, "tier_due_percent", good, supervisor) == good
    for bad, problem in (({**good, "core": 5}, "Core customer: must be between 10 and 400"),
                         ({**good, "key": 75.5}, "Key customer: must be a whole number"),
                         ({"core": 50}, "must give a share for every tier"),
                         ({**good, "core": True}, "Core customer: must be a whole number")):
        with pytest.raises(ValidationError) as refused:
            set_setting(db, "tier_due_percent", bad, supervisor)
        assert refused.value.problem() == problem
    set_setting(db, "tier_due_percent", {**good, "key": 75.0}, supervisor)  # 75.0 is 75


def test_a_core_customer_is_promised_half_the_time_at_intake_and_assessment(
        db: Database, clerk: Actor, fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk, tier="core")
    d = get_detail(db, ref)  # normal (the default): 24 h and 7 days, halved
    assert (d.first_contact_due_at, d.due_at) == (datetime(2026, 3, 10, 22),
                                                  datetime(2026, 3, 13, 22))
    resolution.assess(db, ref, category="product_quality", severity="serious",
                      owner_id=clerk.user_id, actor=clerk)
    d = get_detail(db, ref)  # serious: 4 h and 72 h, halved
    assert (d.first_contact_due_at, d.due_at) == (datetime(2026, 3, 10, 12),
                                                  datetime(2026, 3, 11, 22))


@pytest.mark.parametrize(("lang", "row"), [
    ("zh-Hans", "优先 核心客户：时限为通常的 50%"),
    ("zh-Hant", "優先 核心客戶：時限為通常的 50%"),
    ("en", "Priority Core customer: within 50% of our usual time limits"),
])
def test_the_slip_shows_the_shorter_promise(db: Database, clerk: Actor,
                                            fixed_clock: ControlledClock, lang: str,
                                            row: str) -> None:
    core = new_complaint(db, clerk, tier="core")
    text = " ".join(PdfReader(io.BytesIO(slip_pdf(db, core, "a5", lang))).pages[0]
                    .extract_text().split())
    assert row in text
    stamp = {"en": "10 Mar 2026 22:00"}.get(lang, "2026年3月10日 22:00")
    assert stamp in text  # the first contact promised: 12 hours, not 24
    ordinary = new_complaint(db, clerk, phone="13900007777")
    plain = PdfReader(io.BytesIO(slip_pdf(db, ordinary, "a5", lang))).pages[0].extract_text()
    assert row.split()[0] not in plain.split()


def test_a_longer_limit_is_not_announced_on_the_slip(db: Database, clerk: Actor,
                                                     supervisor: Actor,
                                                     fixed_clock: ControlledClock,
                                                     tmp_path: Path) -> None:
    set_setting(db, "tier_due_percent", {"core": 50, "key": 100, "ordinary": 100,
                                         "potential": 150}, supervisor)
    ref = new_complaint(db, clerk, tier="potential")
    assert get_detail(db, ref).due_at == datetime(2026, 3, 20, 22)  # 7 days × 1.5
    text = PdfReader(io.BytesIO(slip_pdf(db, ref, "a5", "en"))).pages[0].extract_text()
    assert "Priority" not in text and "150%" not in text
