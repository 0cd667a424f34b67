"""Demo data (app/services/demo.py): every generated complaint is one the workflow allows, its
timeline tells the same story as its record, and a seed reproduces the data."""

from __future__ import annotations

import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app import clock
from app.audit_check import check_chain
from app.codes import CHANNELS, EMOTIONS, SEVERITIES, STAGES
from app.db import Database
from app.errors import ValidationError
from app.migrate import open_database
from app.models import (
    Complaint,
    ComplaintEvent,
    Customer,
    Escalation,
    Investigation,
    ListValue,
    ReferenceCounter,
    Revisit,
    Solution,
    TypicalCase,
    User,
)
from app.passwords import verify_password
from app.paths import resolve
from app.phones import normalise_phone
from app.services.common import facts_of
from app.services.demo import DemoOptions, make_demo
from app.services.demo_text import Texts, load
from app.settings import get as get_setting
from app.workflow import check_move

NOW = datetime(2026, 3, 10, 10, 0, 0)
SEED = 11
COUNT = 900


def _copy(template: Path, target: Path) -> Database:
    shutil.copyfile(template, target)
    return Database(resolve(str(target)))


def _demo(db: Database, count: int, seed: int = SEED, profile: str = "mall",
          months: int = 3) -> None:
    with clock.frozen(NOW):
        make_demo(db, DemoOptions(count=count, seed=seed, profile=profile, months=months))


@pytest.fixture(scope="module")
def demo_path(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database for the read-only tests of this module (900 complaints, 3 months)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = _copy(template_db, path)
    _demo(db, COUNT)
    db.dispose()
    return path


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Database]:
    db = Database(resolve(str(demo_path)))
    yield db
    db.dispose()


def _events(db: Database) -> dict[int, list[Any]]:
    """Timeline rows (id, at, kind, to_stage) per complaint, in id order."""
    by_complaint: dict[int, list[Any]] = defaultdict(list)
    with db.read() as s:
        for e in s.execute(select(ComplaintEvent.complaint_id, ComplaintEvent.id,
                                  ComplaintEvent.at, ComplaintEvent.kind,
                                  ComplaintEvent.to_stage).order_by(ComplaintEvent.id)):
            by_complaint[e.complaint_id].append(e)
    return by_complaint


def test_every_complaint_passes_the_guards_of_its_stage(demo: Database) -> None:
    with demo.read() as s:
        complaints = list(s.scalars(select(Complaint)))
        assert len(complaints) == COUNT
        for c in complaints:
            facts = facts_of(s, c)
            if c.stage == "closed":
                assert c.closed_at is not None and c.resolved_at is not None, c.reference
                if c.close_reason is None:  # closed by a satisfied revisit
                    assert facts.revisit_done and facts.revisit_satisfied, c.reference
            elif c.stage != "new":
                # Every guard from intake up to its stage holds (check_move raises otherwise).
                check_move(replace(facts, stage="new"), c.stage)
                assert c.closed_at is None and c.close_reason is None, c.reference


def test_timelines_tell_the_same_story_as_the_record(demo: Database) -> None:
    events = _events(demo)
    with demo.read() as s:
        threshold = int(get_setting(s, "approval_threshold"))
        solutions = {x.complaint_id: x for x in s.scalars(select(Solution))}
        pending = Counter(r.complaint_id for r in s.scalars(
            select(Revisit).where(Revisit.done_at.is_(None))))
        for c in s.scalars(select(Complaint)):
            timeline = events[c.id]
            times = [e.at for e in timeline]
            assert times == sorted(times), c.reference  # ids follow time (stats rely on it)
            assert timeline[0].kind == "intake" and timeline[0].at == c.received_at
            assert times[-1] <= NOW and c.updated_at == times[-1]
            assert c.version == len(timeline)
            stage_events = [e for e in timeline if e.to_stage]
            assert stage_events[-1].to_stage == c.stage, c.reference
            assert sum(e.kind == "reopened" for e in timeline) == c.reopen_count
            assert (c.paused_since is not None) == (c.stage == "proposed"), c.reference
            resolved = STAGES.index(c.stage) >= STAGES.index("follow_up")
            assert (c.resolved_at is not None) == resolved, c.reference
            if c.first_contact_at is not None:
                assert c.received_at <= c.first_contact_at <= NOW
            sol = solutions.get(c.id)
            if sol is not None and sol.approval_state == "pending":
                assert c.stage == "proposed" or c.withdrawn, c.reference
                assert sol.amount_cents > threshold
            if sol is not None and sol.amount_cents > threshold and sol.approval_state != "pending":
                assert sol.approval_state == "approved" and sol.approved_by_id is not None
            if c.stage == "follow_up":
                assert pending[c.id] == 1, c.reference


def test_the_ledger_tells_the_same_story_as_the_timeline(demo: Database) -> None:
    """The demo writes the compensation ledger as the services do: an entry per solution
    proposed, a new round after each reopen, earlier entries kept, amounts per type."""
    events = _events(demo)
    with demo.read() as s:
        entries: dict[int, list[Solution]] = {}
        for sol in s.scalars(select(Solution).order_by(Solution.id)):
            entries.setdefault(sol.complaint_id, []).append(sol)
        reopened_with_two_rounds = 0
        for c in s.scalars(select(Complaint)):
            mine = entries.get(c.id, [])
            kinds = Counter(e.kind for e in events[c.id])
            # Resolved on the spot at intake: an entry without its own timeline events.
            spot = [sol for sol in mine
                    if sol.proposed_at == sol.implemented_at == c.received_at]
            assert len(mine) == kinds["solution_proposed"] + len(spot), c.reference
            carried = sum(sol.implemented_at is not None for sol in mine)
            assert carried == kinds["implemented"] + len(spot), c.reference
            for sol in mine:
                assert 0 <= sol.round <= c.reopen_count, c.reference
                assert list(sol.amounts) == list(sol.types), c.reference
                assert sum(sol.amounts.values()) == sol.amount_cents, c.reference
                assert not (sol.superseded_at is not None and sol.implemented_at is not None)
            for round_ in {sol.round for sol in mine}:
                live = [sol for sol in mine if sol.round == round_ and sol.superseded_at is None]
                assert len(live) == 1, c.reference
            reopened_with_two_rounds += len({sol.round for sol in mine}) > 1
        assert reopened_with_two_rounds > 0  # reopens add entries, never overwrite


def test_the_data_is_varied(demo: Database) -> None:
    with demo.read() as s:
        def count(column: Any) -> Counter[str]:
            return Counter(dict(s.execute(select(column, func.count()).group_by(column)).all()))

        stages, channels = count(Complaint.stage), count(Complaint.channel)
        severities, emotions = count(Complaint.severity), count(Complaint.emotion)
        categories = set(s.scalars(select(ListValue.code).join(
            Complaint, Complaint.category_id == ListValue.id)))
        descriptions = list(s.scalars(select(Complaint.description)))
        names = list(s.scalars(select(Customer.name)))
        phones = [p for p in s.scalars(select(Customer.phone)) if p]
        overdue = s.scalar(select(func.count()).select_from(Complaint).where(
            Complaint.stage.not_in(("follow_up", "closed")), Complaint.due_at < NOW))
        withdrawn = s.scalar(select(func.count()).where(Complaint.withdrawn.is_(True)))
        overridden = s.scalar(select(func.count()).select_from(ComplaintEvent).where(
            ComplaintEvent.kind == "closed_override"))
        repeats = s.scalar(select(func.count()).where(Complaint.is_repeat.is_(True)))
        approvals = count(Solution.approval_state)
        low = s.scalar(select(func.count()).select_from(Revisit).where(Revisit.satisfaction <= 2))
    assert set(stages) == set(STAGES)
    assert set(channels) == set(CHANNELS) and set(severities) == set(SEVERITIES)
    assert set(emotions) == set(EMOTIONS)
    assert len(categories) == len(load("mall")["categories"])
    assert stages["closed"] > COUNT * 0.7 and stages["new"] < stages["closed"]
    assert severities["normal"] > severities["urgent"] > 0
    assert len(set(descriptions)) > COUNT * 0.8  # composed, not repeated
    # A 简体 desk (the default): mainland customers, in Simplified Chinese (issue 18).
    assert all(re.search(r"[\u4e00-\u9fff]", d) for d in descriptions)
    assert not any(n.isascii() for n in names)
    assert any(len(p) == 14 and p.startswith("+861") for p in phones)  # mainland mobiles
    assert all(normalise_phone(p) == p for p in phones)  # E.164 keys
    assert overdue and withdrawn and overridden and repeats and low
    assert approvals["approved"] and approvals["not_needed"]


def test_most_older_complaints_are_closed(demo: Database) -> None:
    with demo.read() as s:
        old = s.execute(select(Complaint.stage, func.count()).where(
            Complaint.received_at < NOW - timedelta(days=60)).group_by(Complaint.stage)).all()
    stages = dict(old)
    assert stages["closed"] / sum(stages.values()) > 0.97


def test_references_and_repeat_flags(demo: Database) -> None:
    with demo.read() as s:
        rows = s.execute(select(Complaint.reference, Complaint.received_at, Complaint.is_repeat,
                                Customer.id, Customer.phone)
                         .join(Customer, Customer.id == Complaint.customer_id)
                         .order_by(Complaint.received_at, Complaint.id)).all()
        counters = dict(s.execute(select(ReferenceCounter.day, ReferenceCounter.last)).all())
        window = int(get_setting(s, "repeat_window_days"))
    refs = [r.reference for r in rows]
    assert len(set(refs)) == len(refs)
    per_day: Counter[str] = Counter()
    seen: dict[int, list[datetime]] = defaultdict(list)
    for ref, at, is_repeat, customer, phone in rows:
        assert re.fullmatch(rf"TS-{at:%Y%m%d}-\d{{4}}", ref)
        per_day[f"{at:%Y%m%d}"] += 1
        earlier = [t for t in seen[customer] if t >= at - timedelta(days=window)]
        assert is_repeat == bool(phone and earlier), ref
        seen[customer].append(at)
    assert counters == dict(per_day)
    # Within a day the numbers follow the received time.
    for day in per_day:
        numbers = [int(r[-4:]) for r in refs if r[3:11] == day]
        assert numbers == list(range(1, len(numbers) + 1))


def test_the_same_seed_gives_the_same_data(template_db: Path, tmp_path: Path) -> None:
    def export(db: Database) -> list[tuple[object, ...]]:
        with db.read() as s:
            return [tuple(r) for r in s.execute(
                select(Complaint.reference, Complaint.description, Complaint.stage,
                       Complaint.received_at, Customer.name, Customer.phone)
                .join(Customer, Customer.id == Complaint.customer_id).order_by(Complaint.id))]

    runs = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        db = _copy(template_db, tmp_path / f"{name}.db")
        _demo(db, 120, seed=seed)
        runs.append(export(db))
        db.dispose()
    assert runs[0] == runs[1] and len(runs[0]) == 120
    assert runs[0] != runs[2]


def test_a_second_run_adds_more_and_continues_the_counters(demo_path: Path,
                                                           tmp_path: Path) -> None:
    db = _copy(demo_path, tmp_path / "again.db")
    _demo(db, 200, seed=SEED)  # the same seed: the same phones come back as the same people
    with db.read() as s:
        refs = list(s.scalars(select(Complaint.reference)))
        phones = [p for p in s.scalars(select(Customer.phone)) if p]
        users = list(s.scalars(select(User.username)))
        top = s.scalar(select(func.max(ReferenceCounter.last)))
    assert len(refs) == COUNT + 200 and len(set(refs)) == len(refs)
    assert len(set(phones)) == len(phones)
    assert sorted(users) == ["admin", "clerk1", "clerk2", "supervisor"]
    assert top is not None and top >= 2
    assert check_chain(db) == []  # the audit trail accounts for both bulk loads
    db.dispose()


@pytest.mark.parametrize(("options", "field"), [
    (DemoOptions(count=-1), "count"),
    (DemoOptions(count=5, months=0), "months"),
    (DemoOptions(count=5, profile="spa"), "profile"),
])
def test_bad_options_are_refused_and_change_nothing(db: Database, options: DemoOptions,
                                                    field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        make_demo(db, options)
    assert refused.value.field == field
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Complaint)) == 0
        assert get_setting(s, "is_demo") is False


def test_a_new_database_gets_the_accounts_lists_and_settings(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "new.db"))
    _demo(db, 30, profile="salon", months=1)
    with db.read() as s:
        users = {u.username: (u.role, u.password_hash) for u in s.scalars(select(User))}
        categories = set(s.scalars(select(ListValue.code).where(ListValue.kind == "category")))
        assert get_setting(s, "is_demo") is True and get_setting(s, "profile") == "salon"
        assert get_setting(s, "business_name")
    assert {name: role for name, (role, _h) in users.items()} == {
        "admin": "admin", "supervisor": "supervisor", "clerk1": "clerk", "clerk2": "clerk"}
    assert all(verify_password("demo", hashed) for _role, hashed in users.values())
    assert categories == set(load("salon")["categories"])
    db.dispose()


SIMPLIFIED_ONLY = set("顾务说们这进实现为发经时问题关买卖")
TRADITIONAL_ONLY = set("顧務說説們這進實現為發經時問題關買賣")


@pytest.mark.parametrize(("language", "kind"), [("zh-Hans", "hans"), ("zh-Hant", "hant"),
                                                ("en", "en")])
def test_the_demo_is_coherent_with_the_desks_language(tmp_path: Path, language: str,
                                                     kind: str) -> None:
    """No "Olivia Brown / Walk-in complaint" in a Chinese mall: a 简体 desk's customers are
    mainland ones writing Simplified Chinese, a 繁體 desk's Hong Kong ones writing Traditional,
    an English desk's write English; staff, the business and the notes follow."""
    db = open_database(str(tmp_path / "d.db"))  # a new desk: the demo's own accounts
    with clock.frozen(NOW):
        make_demo(db, DemoOptions(count=300, seed=5, months=2, language=language))
    with db.read() as s:
        texts = [*s.scalars(select(Complaint.description)),
                 *s.scalars(select(Investigation.findings)),
                 *(t for t in s.scalars(select(Solution.description)) if t)]
        # What the staff wrote (issue 20): escalations by hand, their handling, closing unfounded.
        notes = [*(t for t in s.scalars(select(Escalation.reason)) if t),
                 *(t for t in s.scalars(select(Escalation.handled_note)) if t),
                 *(t for t in s.scalars(select(Complaint.close_reason)) if t),
                 *s.scalars(select(TypicalCase.title)), *s.scalars(select(TypicalCase.lesson))]
        texts += notes
        names = list(s.scalars(select(Customer.name)))
        phones = [p for p in s.scalars(select(Customer.phone)) if p]
        staff = set(s.scalars(select(User.display_name)))
        business = get_setting(s, "business_name")
    han = re.compile(r"[\u4e00-\u9fff]")
    if kind == "en":
        assert not any(han.search(t) for t in texts + names)
        assert staff == {"Kevin Chow", "Wong Mei Ling", "Lee Siu Hung", "Chan Tai Man"}
        assert business == "Galaxy Plaza"
    else:
        assert all(han.search(t) for t in texts) and not any(n.isascii() for n in names)
        letters = [t for t in texts if re.search(r"[A-Za-z]{3,}", t.replace("OTA", ""))]
        assert letters == []  # no "duty manager Kelly" in a Chinese text
        wrong = SIMPLIFIED_ONLY if kind == "hant" else TRADITIONAL_ONLY
        assert not [t for t in texts if wrong & set(t)][:3]
        assert any((TRADITIONAL_ONLY if kind == "hant" else SIMPLIFIED_ONLY) & set(t)
                   for t in texts)
        assert staff == ({"周志強", "王美玲", "李小紅", "陳大文"} if kind == "hant"
                         else {"周志强", "王美玲", "李小红", "陈大文"})
        assert business == ("星河廣場" if kind == "hant" else "星河广场")
    assert notes  # the demo has them: checked above with the rest
    hong_kong = kind in ("hant", "en")
    assert phones and all(p.startswith("+852") == hong_kong for p in phones), phones[:5]
    db.dispose()


def test_every_chinese_fragment_has_its_traditional_form() -> None:
    hant = load("zh_hant")["texts"]
    missing = []

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                if k != "_comment":
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str) and re.search(r"[\u4e00-\u9fff]", x) and x not in hant:
            missing.append(x)

    for name in ("common", "people", "mall", "salon", "hotel"):
        walk(load(name))
    assert missing == []


@pytest.mark.parametrize("profile", ["mall", "salon", "hotel"])
def test_every_fragment_of_every_profile_composes(profile: str) -> None:
    import random

    texts = Texts(profile, random.Random(1))
    for code, category in texts.categories.items():
        for lang, key in ((0, "zh"), (1, "en")):
            fill = texts.fill(lang)
            for fragment in category[key]:
                assert "{" not in fragment.format(**fill), (profile, code, fragment)
            for pair in category["findings"]:
                assert "{" not in pair[lang].format(**fill)
            for channel in CHANNELS:
                text = texts.description(code, channel, "upset", ["refund", "apology"], lang,
                                         fill)
                assert text and "{" not in text
        for types, _low, _high, _weight in category["solutions"]:
            assert texts.implementation(types, 12300, 0) and texts.proposal(types, 12300, 1)
