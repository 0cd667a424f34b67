"""The standard phrases library (话术): shipped defaults in three languages, what the picker
offers for a complaint's category, and edits by supervisors only (audited)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.codes import PHRASE_KINDS
from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.models import AuditEvent
from app.phrase_defaults import BY_PROFILE, GENERAL
from app.services import lists, phrases
from app.services.common import Actor
from app.services.phrases import PhraseInput
from tests.complaint_factory import snapshot


def test_a_new_desk_has_good_defaults_in_each_language(db: Database) -> None:
    for lang in ("zh-Hans", "zh-Hant", "en"):
        offered = phrases.picker_phrases(db, lang)
        assert {p.kind for p in offered} == set(PHRASE_KINDS)
        assert all(p.language == lang for p in offered)
        assert len(offered) == len(GENERAL) + len(BY_PROFILE["mall"])
    texts = [p.text for p in phrases.picker_phrases(db, "zh-Hans")]
    assert "非常抱歉给您带来了不愉快的体验，我们对此深表歉意。" in texts
    assert any("感谢您把这个情况告诉我们" in t for t in texts)
    hant = " ".join(p.text for p in phrases.picker_phrases(db, "zh-Hant"))
    assert "為您帶來" in hant and "给" not in hant  # traditional characters throughout


def test_the_complaints_category_comes_first(db: Database) -> None:
    offered = phrases.picker_phrases(db, "zh-Hans", category="parking")
    assert offered[0].category == "parking"
    assert {p.category for p in offered} == {"parking", None}


def test_a_retired_categorys_phrases_are_not_offered(db: Database, supervisor: Actor) -> None:
    parking = next(e for e in lists.list_entries(db, "category") if e.code == "parking")
    lists.set_active(db, parking.id, False, supervisor)
    assert "parking" not in {p.category for p in phrases.picker_phrases(db, "en")}


def test_a_supervisor_edits_the_library(db: Database, supervisor: Actor) -> None:
    added = phrases.add_phrase(db, PhraseInput("thanks", "zh-Hant", "  多謝您耐心等候。 ",
                                               category="parking"), supervisor)
    assert added.text == "多謝您耐心等候。" and added.active
    assert phrases.picker_phrases(db, "zh-Hant", "parking")[0].id != added.id  # at the end
    phrases.move_phrase(db, added.id, -100, supervisor)
    assert phrases.picker_phrases(db, "zh-Hant", "parking")[0].id == added.id
    changed = phrases.update_phrase(db, added.id, PhraseInput("closing", "zh-Hant",
                                                              "多謝您的耐心。"), supervisor)
    assert (changed.kind, changed.category) == ("closing", None)
    phrases.set_phrase_active(db, added.id, False, supervisor)
    assert added.id not in {p.id for p in phrases.picker_phrases(db, "zh-Hant")}
    assert added.id in {p.id for p in phrases.phrase_library(db, "zh-Hant")}
    phrases.delete_phrase(db, added.id, supervisor)
    assert added.id not in {p.id for p in phrases.phrase_library(db)}
    with db.read() as session:
        actions = list(session.scalars(select(AuditEvent.action).where(
            AuditEvent.target == f"phrase:{added.id}").order_by(AuditEvent.id)))
    assert actions == ["phrase_added", "phrase_moved", "phrase_changed", "phrase_deactivated",
                       "phrase_deleted"]


def test_moving_keeps_other_languages_in_their_order(db: Database, supervisor: Actor) -> None:
    english = [p.id for p in phrases.phrase_library(db, "en")]
    chinese = [p.id for p in phrases.phrase_library(db, "zh-Hans")]
    phrases.move_phrase(db, chinese[3], -1, supervisor)
    after = [p.id for p in phrases.phrase_library(db, "zh-Hans")]
    assert after[2:4] == [chinese[3], chinese[2]]
    assert [p.id for p in phrases.phrase_library(db, "en")] == english


@pytest.mark.parametrize(("data", "field"), [
    (PhraseInput("apology", "zh-Hans", "   "), "text"),
    (PhraseInput("apology", "zh-Hans", "长" * 501), "text"),
    (PhraseInput("joke", "zh-Hans", "哈哈"), "kind"),
    (PhraseInput("apology", "fr", "Pardon"), "language"),
    (PhraseInput("apology", "en", "Sorry", category="casino"), "category"),
])
def test_bad_phrases_are_refused_and_change_nothing(db: Database, supervisor: Actor,
                                                    data: PhraseInput, field: str) -> None:
    before = snapshot(db)
    with pytest.raises(ValidationError) as info:
        phrases.add_phrase(db, data, supervisor)
    assert info.value.field == field
    assert snapshot(db) == before


def test_a_clerk_reads_but_cannot_edit(db: Database, clerk: Actor) -> None:
    first = phrases.phrase_library(db)[0]
    before = snapshot(db)
    for call in (lambda: phrases.add_phrase(db, PhraseInput("thanks", "en", "Thanks"), clerk),
                 lambda: phrases.update_phrase(db, first.id, PhraseInput("thanks", "en", "x"),
                                               clerk),
                 lambda: phrases.set_phrase_active(db, first.id, False, clerk),
                 lambda: phrases.move_phrase(db, first.id, 1, clerk),
                 lambda: phrases.delete_phrase(db, first.id, clerk)):
        with pytest.raises(PermissionDenied):
            call()
    assert snapshot(db) == before
