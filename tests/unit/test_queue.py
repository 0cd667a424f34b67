"""The queue behind the board: priority order, text search (FTS5 and LIKE agree), the board's
load (totals, closed column, WIP limits) and the cheap change marker."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from app.codes import STAGES
from app.db import Database
from app.migrate import _config
from app.models import Complaint, Customer
from app.services import moves, resolution
from app.services.board import clean_wip_limits, load_board, stage_after
from app.services.changes import change_marker
from app.services.common import Actor
from app.services.complaints import update_fields
from app.services.intake import IntakeInput, log_complaint
from app.services.queue import QueueFilter, build_query, priority_key, queue_cards, search
from app.services.search_index import FTS_TABLE, fts_available, search_terms, text_condition
from app.settings import put as put_setting
from tests.conftest import ControlledClock


def log(db: Database, actor: Actor, description: str = "鞋子开胶，要求退货", **fields: object
        ) -> str:
    data: dict[str, object] = dict(customer_name="周女士", phone="13800138000",
                                   category="product_quality")
    data.update(fields)
    return log_complaint(db, IntakeInput(description=description, **data), actor).reference  # type: ignore[arg-type]


def assess(db: Database, ref: str, actor: Actor, severity: str = "normal") -> None:
    resolution.assess(db, ref, category="product_quality", severity=severity,
                      owner_id=actor.user_id, actor=actor)


@pytest.fixture
def corpus(db: Database, clerk: Actor, fixed_clock: ControlledClock) -> dict[str, str]:
    """Complaints with Chinese, English, phones and LIKE-special characters."""
    refs = {
        "shoe": log(db, clerk, "新买的皮鞋穿了两天就开胶，要求退货", customer_name="王芳",
                    phone="138-0013-8000"),
        "parking": log(db, clerk, "停车场收费与公示不符，多收了二十元", customer_name="張小姐",
                       phone="+852 9123 4567"),
        "kettle": log(db, clerk, "The shop refused a refund for a faulty Kettle",
                      customer_name="Mary Wong", phone="13955554444"),
        "percent": log(db, clerk, "折扣写着 50% off 但结账没打折 (100_000 积分)",
                       customer_name="李先生", phone="13700000001"),
        "quote": log(db, clerk, 'Staff said "no refunds" loudly', customer_name="John Smith",
                     phone="13600000002"),
    }
    return refs


def refs_of(db: Database, query: str, fts: bool) -> set[str]:
    q = build_query(QueueFilter(text=query, stages=STAGES), datetime(2026, 3, 10), "en",
                    dialect=db.engine.dialect.name, fts=fts and fts_available(db))
    with db.read() as session:
        return {r[1] for r in session.execute(q)}


@pytest.mark.sqlite_only  # the FTS5 index exists on SQLite only
def test_migration_builds_the_trigram_index(db: Database) -> None:
    assert fts_available(db)
    with db.read() as session:
        sql = session.scalar(text("SELECT sql FROM sqlite_master WHERE name = :n"),
                             {"n": FTS_TABLE})
    assert "trigram" in sql


@pytest.mark.parametrize("query, expected", [
    ("开胶", {"shoe"}),  # two hanzi: too short for trigrams, LIKE answers
    ("皮鞋穿了", {"shoe"}),  # three or more: the index answers
    ("王芳", {"shoe"}),
    ("張小姐", {"parking"}),
    ("kettle", {"kettle"}),  # case does not matter
    ("REFUND", {"kettle", "quote"}),
    ("0013-8000", {"shoe"}),  # a phone typed with dashes finds the normalised number
    ("91234567", {"parking"}),
    ("50%", {"percent"}),  # LIKE's wildcards are plain characters here
    ("100_000", {"percent"}),
    ('"no refunds"', {"quote"}),  # quotes are FTS syntax: escaped
    ("refund shop", {"kettle"}),  # every word must match, anywhere
    ("退货 王芳", {"shoe"}),
    ("TS-20260310-000", {"shoe", "parking", "kettle", "percent", "quote"}),
    ("nothing-like-this", set()),
])
def test_fts_and_like_find_the_same(db: Database, corpus: dict[str, str], query: str,
                                    expected: set[str]) -> None:
    """On SQLite the index and LIKE agree; on PostgreSQL ILIKE gives the same answers."""
    want = {corpus[k] for k in expected}
    assert refs_of(db, query, fts=True) == want
    assert refs_of(db, query, fts=False) == want


@pytest.mark.sqlite_only  # the FTS5 index exists on SQLite only
def test_index_answers_history_searches_only(db: Database) -> None:
    """Measured at 100,000: the index pays over the whole history, LIKE over open stages."""
    from app.rules.stages import OPEN_STAGES
    from app.services.search_index import index_pays

    assert index_pays(db, STAGES)
    assert not index_pays(db, OPEN_STAGES)


def test_search_terms_and_empty_query() -> None:
    assert search_terms("  王芳   退货 王芳 ") == ["王芳", "退货"]
    assert text_condition("   ") is None


def test_other_dialects_use_ilike() -> None:
    from sqlalchemy.dialects import postgresql

    cond = text_condition("Kettle", dialect="postgresql", fts=False)
    assert cond is not None
    sql = str(cond.compile(dialect=postgresql.dialect()))
    assert "ILIKE" in sql and "MATCH" not in sql


def test_index_follows_edits_and_renamed_customers(db: Database, clerk: Actor,
                                                   corpus: dict[str, str]) -> None:
    ref = corpus["kettle"]
    update_fields(db, ref, {"description": "水壶漏电，要求更换"}, actor=clerk)
    assert search(db, "水壶漏电") and search(db, "水壶漏电")[0].reference == ref
    assert ref not in {c.reference for c in search(db, "faulty kettle")}
    with db.write() as session:  # anonymised or renamed: every complaint of theirs follows
        customer = session.scalar(select(Customer).where(Customer.phone == "+8613955554444"))
        assert customer is not None
        customer.name = "匿名客户"
    assert [c.reference for c in search(db, "匿名客户")] == [ref]
    assert search(db, "Mary Wong") == []


@pytest.mark.sqlite_only
def test_migration_0002_down_and_up(db_path: Path, db: Database, corpus: dict[str, str]
                                    ) -> None:
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    with db.read() as session:
        assert session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name LIKE :n"),
                              {"n": FTS_TABLE + "%"}) == 0
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")  # existing complaints are indexed on the way up
    assert refs_of(db, "皮鞋穿了", fts=True) == {corpus["shoe"]}


def test_priority_order_and_its_python_twin(db: Database, clerk: Actor,
                                            fixed_clock: ControlledClock) -> None:
    minor = log(db, clerk, "minor one", phone="13700000010")
    urgent = log(db, clerk, "urgent one", phone="13700000011")
    core = log(db, clerk, "core customer", phone="13700000012", tier="core")
    late = log(db, clerk, "overdue one", phone="13700000013",
               received_at=datetime(2026, 3, 1, 10, 0))
    for ref, sev in ((minor, "minor"), (urgent, "urgent"), (core, "normal"),
                     (late, "normal")):
        assess(db, ref, clerk, sev)
    cards = [c for c in queue_cards(db) if c.stage == "assessed"]
    assert [c.reference for c in cards] == [urgent, core, late, minor]
    now = fixed_clock.now
    assert sorted(cards, key=lambda c: priority_key(c, now)) == cards
    assert next(c for c in cards if c.reference == late).overdue


def test_board_load_totals_closed_and_limits(db: Database, clerk: Actor, supervisor: Actor,
                                             fixed_clock: ControlledClock) -> None:
    a = log(db, clerk, "停车收费", phone="13700000020")
    log(db, clerk, "空调太冷", phone="13700000021")
    gone = log(db, clerk, "客户撤诉的投诉", phone="13700000022")
    moves.move(db, gone, "closed", clerk, reason="客户撤诉")
    fixed_clock.advance(days=10)
    old = log(db, clerk, "旧投诉", phone="13700000023")
    moves.move(db, old, "closed", clerk, reason="重复登记")
    fixed_clock.advance(days=1)
    with db.write() as session:
        put_setting(session, "wip_limits", {"new": 1, "assessed": 0})

    data = load_board(db, QueueFilter(text="停车"))
    assert [c.reference for c in data.cards] == [a]
    assert data.totals["new"] == 2  # the limit compares with every complaint in the stage
    assert data.wip_limits == {"new": 1}
    everything = load_board(db, QueueFilter())
    order = [STAGES.index(c.stage) for c in everything.cards]
    assert order == sorted(order)  # workflow order (the table's "No."), not by stage name
    closed = [c.reference for c in everything.cards if c.stage == "closed"]
    assert closed == [old]  # closed ten days ago: out of the closed column
    assert not any(c.stage == "closed" for c in load_board(db, show_closed=False).cards)


def test_clean_wip_limits() -> None:
    assert clean_wip_limits({"new": 5, "assessed": "9", "closed": 2, "nope": 3,
                             "investigating": True, "proposed": -1}) == {"new": 5}
    assert clean_wip_limits(["new"]) == {}


def test_stage_after() -> None:
    assert stage_after("new", 1) == "assessed"
    assert stage_after("new", -1) is None
    assert stage_after("closed", 1) is None


def test_change_marker_moves_with_changes_only(db: Database, clerk: Actor,
                                               fixed_clock: ControlledClock) -> None:
    first = change_marker(db)
    assert change_marker(db) == first  # reading changes nothing
    ref = log(db, clerk)
    second = change_marker(db)
    assert second != first
    assess(db, ref, clerk)
    third = change_marker(db)
    assert third.last_event_id > second.last_event_id
    queue_cards(db)
    assert change_marker(db) == third
    with db.write() as session:
        put_setting(session, "wip_limits", {"new": 4})
    assert change_marker(db) != third


@pytest.mark.sqlite_only  # counts rows of SQLite's FTS5 index
def test_move_is_cheap_for_the_index(db: Database, clerk: Actor,
                                     fixed_clock: ControlledClock) -> None:
    """A stage move does not rewrite the complaint's search entry (trigger on text only)."""
    ref = log(db, clerk)
    assess(db, ref, clerk)
    with db.read() as session:
        before = session.scalar(text(f"SELECT count(*) FROM {FTS_TABLE}_docsize"))
    moves.move(db, ref, "investigating", clerk)
    fixed_clock.advance(minutes=1)
    with db.read() as session:
        after = session.scalar(text(f"SELECT count(*) FROM {FTS_TABLE}_docsize"))
    assert before == after == 1
    assert search(db, "要求退货")[0].stage == "investigating"


def test_received_between_and_overdue_filters(db: Database, clerk: Actor,
                                              fixed_clock: ControlledClock) -> None:
    early = log(db, clerk, "早的", phone="13700000030", received_at=datetime(2026, 3, 1, 11))
    today = log(db, clerk, "今天的", phone="13700000031")
    f = QueueFilter(received_from=(fixed_clock.now - timedelta(days=1)).date())
    assert [c.reference for c in queue_cards(db, f)] == [today]
    assert [c.reference for c in queue_cards(db, QueueFilter(overdue_only=True))] == [early]


def test_a_pause_stops_the_clock_but_never_hides_a_missed_due_time(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    """Overdue is one rule (app.sla.is_overdue) for the cards, the "overdue only" filter, the
    board's count and the dashboard: a clock paused before its due time is not overdue however
    long the customer takes; one paused after it stays overdue."""
    from app.services.dashboard import dashboard_figures
    from tests.complaint_factory import advance

    in_time = log(db, clerk, "及时等客户答复", phone="13700000040", severity="urgent")
    late = log(db, clerk, "超时后才等客户答复", phone="13700000041", severity="urgent")
    advance(db, in_time, "proposed", clerk, supervisor, severity="urgent")  # paused in time
    advance(db, late, "investigating", clerk, supervisor, severity="urgent")
    fixed_clock.advance(days=10)  # well past the urgent due time, in opening hours too
    advance(db, late, "proposed", clerk, supervisor, severity="urgent")  # paused too late
    fixed_clock.advance(days=10)
    cards = {c.reference: c for c in queue_cards(db)}
    assert cards[in_time].paused_since is not None and not cards[in_time].overdue
    assert cards[late].paused_since is not None and cards[late].overdue
    assert [c.reference for c in queue_cards(db, QueueFilter(overdue_only=True))] == [late]
    assert dashboard_figures(db).overdue == 1


# --- a search narrowed from the board's last load (issue 18: ≤ 50 ms a keystroke) ----------


def _narrow_corpus(db: Database, clerk: Actor, fixed_clock: ControlledClock) -> dict[str, str]:
    refs = {
        "parking": log(db, clerk, "停车场收费与公示不符", customer_name="張小姐",
                       phone="13700000031", severity="urgent"),
        "parking2": log(db, clerk, "停车券没有抵扣", customer_name="王芳",
                        phone="13700000032"),
        "kettle": log(db, clerk, "Faulty kettle, no refund", customer_name="Mary Wong",
                      phone="13700000033", category="facilities"),
    }
    for i in range(4):  # closed this week, newest last; two mention parking
        ref = log(db, clerk, "停车场灯坏了" if i % 2 else "试衣间没有镜子",
                  customer_name=f"客户{i}", phone=f"1370000004{i}")
        moves.move(db, ref, "closed", clerk, reason="客户撤诉")
        refs[f"closed{i}"] = ref
        fixed_clock.advance(minutes=5)
    assess(db, refs["parking2"], clerk)
    return refs


def _same(a: object, b: object) -> None:
    assert [c.reference for c in a.cards] == [c.reference for c in b.cards]  # type: ignore[attr-defined]
    assert a.cards == b.cards  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ["停车", "停车场", "TS-2026", "137 0000 0031", "kettle",
                                  "停车 灯", "无此内容"])
@pytest.mark.parametrize("category", [None, "facilities"])
def test_a_search_narrowed_from_the_last_load_equals_a_full_load(
        db: Database, clerk: Actor, fixed_clock: ControlledClock, text: str,
        category: str | None) -> None:
    _narrow_corpus(db, clerk, fixed_clock)
    base = load_board(db, QueueFilter(category=category))
    narrowed = load_board(db, QueueFilter(text=text, category=category), base=base)
    _same(narrowed, load_board(db, QueueFilter(text=text, category=category)))
    shown = {c.id: c for c in base.cards}
    assert all(shown.get(c.id) is c for c in narrowed.cards)  # base's own cards: no re-read


def test_a_narrowed_closed_column_keeps_the_newest_as_a_full_load(
        db: Database, clerk: Actor, fixed_clock: ControlledClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The base held only the newest closed complaints (the column's limit): a search shows
    the newest that match, read again when the base did not hold them."""
    import app.services.board as board

    refs = _narrow_corpus(db, clerk, fixed_clock)
    monkeypatch.setattr(board, "CLOSED_LIMIT", 2)
    base = load_board(db)
    assert [c.reference for c in base.cards if c.stage == "closed"] == [
        refs["closed3"], refs["closed2"]]
    for words in ("停车场灯", "试衣间", "TS-"):
        narrowed = load_board(db, QueueFilter(text=words), base=base)
        _same(narrowed, load_board(db, QueueFilter(text=words)))
    assert [c.reference for c in load_board(db, QueueFilter(text="试衣间"), base=base).cards
            ] == [refs["closed2"], refs["closed0"]]


def test_a_change_or_a_card_falling_due_loads_afresh(
        db: Database, clerk: Actor, fixed_clock: ControlledClock) -> None:
    refs = _narrow_corpus(db, clerk, fixed_clock)
    base = load_board(db)
    late = log(db, clerk, "停车场收费又错了", phone="13700000050")  # the marker moves
    narrowed = load_board(db, QueueFilter(text="停车"), base=base)
    assert late in [c.reference for c in narrowed.cards]
    _same(narrowed, load_board(db, QueueFilter(text="停车")))

    # (Without the closed column: its week, which moves with the date, is not what counts.)
    base = load_board(db, show_closed=False)
    parking = next(c for c in base.cards if c.reference == refs["parking"])
    assert parking.due_at is not None and not parking.overdue
    fixed_clock.at(parking.due_at + timedelta(minutes=1))  # fell due after the base loaded
    narrowed = load_board(db, QueueFilter(text="停车"), show_closed=False, base=base)
    assert next(c for c in narrowed.cards if c.reference == refs["parking"]).overdue
    _same(narrowed, load_board(db, QueueFilter(text="停车"), show_closed=False))
    # Not narrowed from a base that searched, nor across other filters.
    searched = load_board(db, QueueFilter(text="停车"))
    assert load_board(db, QueueFilter(text="停车场"), base=searched).query.text == "停车场"
    _same(load_board(db, QueueFilter(text="停车", severity="urgent"), base=base),
          load_board(db, QueueFilter(text="停车", severity="urgent")))


def test_cards_of_fills_every_field_as_the_constructor_would(
        db: Database, clerk: Actor, fixed_clock: ControlledClock) -> None:
    """cards_of makes each Card from its values in field order (for speed): every field holds
    what its name says, of its declared kind, as the keyword constructor would hold it."""
    from app.services.queue import Card

    log(db, clerk, customer_name="歐陽娜娜", phone="13800138000")
    card = queue_cards(db)[0]
    assert len(card) == len(Card._fields)
    assert Card(**card._asdict()) == card and hash(Card(**card._asdict())) == hash(card)
    with db.read() as session:
        stored = session.execute(select(
            Complaint.id, Complaint.stage, Complaint.severity, Complaint.version,
            Complaint.received_at, Complaint.due_at, Complaint.channel,
        ).where(Complaint.reference == card.reference)).one()
    assert (card.id, card.stage, card.severity, card.version) == (
        stored.id, stored.stage, stored.severity, stored.version)
    assert card.customer_name == "歐陽娜娜" and card.phone == "+8613800138000"
    assert card.received_at == stored.received_at and card.due_at == stored.due_at
    assert card.paused is False and card.paused_since is None and card.closed_at is None
    assert card.has_attachments is False and card.is_repeat is False
    assert card.overdue is False and card.channel == stored.channel
