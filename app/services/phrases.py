"""The standard phrases library (话术): wording a clerk inserts while talking to a customer or
recording a contact. Supervisors keep the library; anyone reads it.

A phrase has a kind (apology, thanks, explanation, promise of a time, closing), a language, and
optionally a category: a category's phrases are offered first on its complaints and not at all
once the category is retired. Changes go into the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, validation
from app.codes import PHRASE_KINDS
from app.db import Database
from app.errors import NotFound, ValidationError
from app.i18n import LANGUAGES, N_
from app.models import ListValue, Phrase
from app.permissions import EDIT_LISTS, require
from app.services.common import Actor

PHRASE_LEN = 500


@dataclass(frozen=True)
class PhraseItem:
    id: int
    kind: str
    category: str | None
    language: str
    text: str
    position: int
    active: bool


@dataclass
class PhraseInput:
    kind: str
    language: str
    text: str
    category: str | None = None


def _item(p: Phrase) -> PhraseItem:
    return PhraseItem(p.id, p.kind, p.category, p.language, p.text, p.position, bool(p.active))


def phrase_library(db: Database, language: str | None = None) -> list[PhraseItem]:
    """Every phrase (retired ones too), in the library's order; one language if given."""
    q = select(Phrase).order_by(Phrase.position, Phrase.id)
    if language:
        q = q.where(Phrase.language == language)
    with db.read() as session:
        return [_item(p) for p in session.scalars(q)]


def picker_phrases(db: Database, language: str, category: str | None = None
                   ) -> list[PhraseItem]:
    """Active phrases of one language to offer: the complaint's category's own first, then the
    general ones. Without a category, every active category's phrases are offered too."""
    with db.read() as session:
        active_categories = set(session.scalars(select(ListValue.code).where(
            ListValue.kind == "category", ListValue.active.is_(True))))
        rows = session.scalars(select(Phrase).where(Phrase.language == language,
                                                    Phrase.active.is_(True))
                               .order_by(Phrase.position, Phrase.id))
        items = [_item(p) for p in rows]
    if category:
        offered = [p for p in items if p.category in (None, category)]
    else:
        offered = [p for p in items if p.category is None or p.category in active_categories]
    return sorted(offered, key=lambda p: (p.category is None, p.position, p.id))


# --- changing -----------------------------------------------------------------------------------


def _clean(session: Session, data: PhraseInput) -> PhraseInput:
    kind = validation.code("kind", data.kind, PHRASE_KINDS, required=True) or ""
    language = validation.code("language", data.language, LANGUAGES, required=True) or ""
    text = validation.text("text", data.text, PHRASE_LEN, required=True) or ""
    category = validation.clean_text(data.category) or None
    if category is not None and session.scalar(select(ListValue.id).where(
            ListValue.kind == "category", ListValue.code == category)) is None:
        raise ValidationError("category", N_("has an unknown value \"{value}\" (one of: "
                                             "{allowed})"), value=category[:40],
                              allowed=", ".join(session.scalars(select(ListValue.code).where(
                                  ListValue.kind == "category"))))
    return PhraseInput(kind, language, text, category)


def _load(session: Session, phrase_id: int) -> Phrase:
    phrase = session.get(Phrase, phrase_id)
    if phrase is None:
        raise NotFound(N_("This phrase no longer exists."))
    return phrase


def add_phrase(db: Database, data: PhraseInput, actor: Actor) -> PhraseItem:
    """A new phrase at the end of the library."""
    require(actor, EDIT_LISTS)
    with db.write() as session:
        clean = _clean(session, data)
        last = session.scalar(select(func.coalesce(func.max(Phrase.position), 0))) or 0
        phrase = Phrase(kind=clean.kind, category=clean.category, language=clean.language,
                        text=clean.text, position=last + 1, active=True)
        session.add(phrase)
        session.flush()
        audit.record(session, actor, "phrase_added", f"phrase:{phrase.id}", kind=clean.kind,
                     language=clean.language)
        return _item(phrase)


def update_phrase(db: Database, phrase_id: int, data: PhraseInput, actor: Actor) -> PhraseItem:
    require(actor, EDIT_LISTS)
    with db.write() as session:
        phrase = _load(session, phrase_id)
        clean = _clean(session, data)
        phrase.kind, phrase.category, phrase.language, phrase.text = (
            clean.kind, clean.category, clean.language, clean.text)
        audit.record(session, actor, "phrase_changed", f"phrase:{phrase.id}")
        session.flush()
        return _item(phrase)


def set_phrase_active(db: Database, phrase_id: int, active: bool, actor: Actor) -> PhraseItem:
    require(actor, EDIT_LISTS)
    with db.write() as session:
        phrase = _load(session, phrase_id)
        phrase.active = bool(active)
        audit.record(session, actor, "phrase_activated" if active else "phrase_deactivated",
                     f"phrase:{phrase.id}")
        session.flush()
        return _item(phrase)


def move_phrase(db: Database, phrase_id: int, steps: int, actor: Actor) -> None:
    """Move a phrase up (negative) or down among the phrases of its language."""
    require(actor, EDIT_LISTS)
    with db.write() as session:
        phrase = _load(session, phrase_id)
        same = list(session.scalars(select(Phrase).where(Phrase.language == phrase.language)
                                    .order_by(Phrase.position, Phrase.id)))
        i = same.index(phrase)
        j = max(0, min(len(same) - 1, i + steps))
        if i == j:
            return
        # Swap places in the language's order; other languages keep their positions.
        slots = sorted(p.position for p in same)
        same.insert(j, same.pop(i))
        for p, pos in zip(same, _distinct(slots), strict=True):
            p.position = pos
        audit.record(session, actor, "phrase_moved", f"phrase:{phrase.id}")


def _distinct(positions: list[int]) -> list[int]:
    """Ascending positions with no two equal (equal ones would leave the order undecided)."""
    out: list[int] = []
    for p in positions:
        out.append(max(p, out[-1] + 1) if out else p)
    return out


def delete_phrase(db: Database, phrase_id: int, actor: Actor) -> None:
    """Phrases are wording, not records: nothing refers to them, so they may be deleted."""
    require(actor, EDIT_LISTS)
    with db.write() as session:
        phrase = _load(session, phrase_id)
        audit.record(session, actor, "phrase_deleted", f"phrase:{phrase.id}")
        session.delete(phrase)
