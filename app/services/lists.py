"""Editing the pick lists: categories, subjects, departments/shops, root causes, solution
types.

A value is named by a code that never changes (complaints, events and files refer to it) and
labelled in the three languages. A value that any complaint uses is never deleted: it is
deactivated, so forms stop offering it while old complaints still show it. Profile presets
(mall, salon, hotel) can be applied while the database holds no complaints yet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import String, case, cast, func, select
from sqlalchemy.orm import Session

from app import audit, validation
from app.codes import PROFILES
from app.db import Database
from app.errors import NotFound, ValidationError
from app.i18n import N_, NN_
from app.models import Complaint, Investigation, ListValue, Solution
from app.permissions import EDIT_LISTS, require
from app.profiles import CATEGORIES, DEPARTMENTS, apply_profile
from app.services.common import Actor
from app.services.search_index import like_pattern
from app.settings import put as put_setting
from app.sla import profile_hours_setting
from app.survey_defaults import drop_other_profiles

LIST_KINDS = ("category", "subject", "department", "root_cause", "solution_type")
LABEL_LEN = 60  # a label is a pick-list entry, not a sentence
CODE_LEN = 40
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Labels:
    zh_hans: str = ""
    zh_hant: str = ""
    en: str = ""


@dataclass(frozen=True)
class ListEntry:
    id: int
    kind: str
    code: str
    labels: Labels
    position: int
    active: bool
    uses: int  # complaints that use the value (it cannot be deleted while > 0)

    def label(self, lang: str) -> str:
        return {"zh-Hans": self.labels.zh_hans, "zh-Hant": self.labels.zh_hant}.get(
            lang, self.labels.en)


@dataclass(frozen=True)
class PresetApplied:
    profile: str
    added: int  # list values added
    retired: int  # values of another preset deactivated


# --- reading -----------------------------------------------------------------------------------


def _uses(session: Session, kind: str, values: Sequence[ListValue]) -> dict[int, int]:
    """How many complaints use each value of one list."""
    if kind in ("category", "subject", "department"):
        column = {"category": Complaint.category_id, "subject": Complaint.subject_id,
                  "department": Complaint.department_id}[kind]
        by_id = session.execute(select(column, func.count()).where(column.is_not(None))
                                .group_by(column)).all()
        return {int(i or 0): int(n) for i, n in by_id}
    if kind == "solution_type":
        # A ledger entry holds its types as a JSON list of codes: each value counts the
        # complaints with an entry whose text has its quoted code (the same on SQLite and
        # PostgreSQL), all values in one pass over the entries.
        listed = cast(Solution.types, String)
        counts = session.execute(select(*(
            func.count(func.distinct(case(
                (listed.like(like_pattern(f'"{v.code}"'), escape="\\"), Solution.complaint_id))))
            for v in values))).one() if values else ()
        return {v.id: int(n) for v, n in zip(values, counts, strict=True)}
    # Root causes are stored on the investigation by code.
    by_cause = session.execute(select(Investigation.root_cause, func.count())
                               .where(Investigation.root_cause.is_not(None))
                               .group_by(Investigation.root_cause)).all()
    by_code = {str(c): int(n) for c, n in by_cause}
    return {v.id: by_code.get(v.code, 0) for v in values}


def _entry(v: ListValue, uses: int) -> ListEntry:
    return ListEntry(v.id, v.kind, v.code, Labels(v.label_zh_hans, v.label_zh_hant, v.label_en),
                     v.position, bool(v.active), uses)


def _values(session: Session, kind: str) -> list[ListValue]:
    return list(session.scalars(select(ListValue).where(ListValue.kind == kind)
                                .order_by(ListValue.position, ListValue.id)))


def list_entries(db: Database, kind: str) -> list[ListEntry]:
    """Every value of one list (retired ones too), in their order, with how often used."""
    _check_kind(kind)
    with db.read() as session:
        values = _values(session, kind)
        uses = _uses(session, kind, values)
        return [_entry(v, uses.get(v.id, 0)) for v in values]


# --- changing -----------------------------------------------------------------------------------


def _check_kind(kind: str) -> None:
    validation.code("list", kind, LIST_KINDS, required=True)


def _clean_labels(session: Session, kind: str, labels: Labels, own_id: int | None) -> Labels:
    """Each label trimmed; at least one given. A blank one takes its neighbour's text (简↔繁,
    then English) so that no language shows an empty entry. No two values of a list may share
    a label in the same language."""
    hans = validation.text("label_zh_hans", labels.zh_hans, LABEL_LEN) or ""
    hant = validation.text("label_zh_hant", labels.zh_hant, LABEL_LEN) or ""
    en = validation.text("label_en", labels.en, LABEL_LEN) or ""
    if not (hans or hant or en):
        raise ValidationError("label", N_("is required in at least one language"))
    hans, hant = hans or hant or en, hant or hans or en
    en = en or hans
    for v in _values(session, kind):
        if v.id == own_id:
            continue
        for field, mine, theirs in (("label_zh_hans", hans, v.label_zh_hans),
                                    ("label_zh_hant", hant, v.label_zh_hant),
                                    ("label_en", en, v.label_en)):
            if mine.casefold() == (theirs or "").casefold():
                raise ValidationError(field, N_("\"{label}\" is already in this list"),
                                      label=mine)
    return Labels(hans, hant, en)


def _new_code(session: Session, kind: str, english: str) -> str:
    """A code from the English label as typed (none typed: the list's name), made unique."""
    base = _SLUG.sub("_", english.casefold()).strip("_")[:CODE_LEN] or kind
    taken = set(session.scalars(select(ListValue.code).where(ListValue.kind == kind)))
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base[:CODE_LEN - 4]}_{n}"
    return code


def _load(session: Session, value_id: int) -> ListValue:
    value = session.get(ListValue, value_id)
    if value is None:
        raise NotFound(N_("This list value no longer exists."))
    return value


def _result(session: Session, value: ListValue) -> ListEntry:
    session.flush()
    return _entry(value, _uses(session, value.kind, [value]).get(value.id, 0))


def add_value(db: Database, kind: str, labels: Labels, actor: Actor) -> ListEntry:
    """A new value at the end of the list, active; its code is made from the English label."""
    require(actor, EDIT_LISTS)
    _check_kind(kind)
    with db.write() as session:
        clean = _clean_labels(session, kind, labels, None)
        code = _new_code(session, kind, labels.en or "")
        last = session.scalar(select(func.coalesce(func.max(ListValue.position), 0))
                              .where(ListValue.kind == kind)) or 0
        value = ListValue(kind=kind, code=code, label_zh_hans=clean.zh_hans,
                          label_zh_hant=clean.zh_hant, label_en=clean.en, position=last + 1,
                          active=True)
        session.add(value)
        session.flush()
        audit.record(session, actor, "list_value_added", f"{kind}:{code}")
        return _result(session, value)


def rename_value(db: Database, value_id: int, labels: Labels, actor: Actor) -> ListEntry:
    """New labels in the three languages; the code (and every complaint's link) stays."""
    require(actor, EDIT_LISTS)
    with db.write() as session:
        value = _load(session, value_id)
        clean = _clean_labels(session, value.kind, labels, value.id)
        value.label_zh_hans, value.label_zh_hant, value.label_en = (
            clean.zh_hans, clean.zh_hant, clean.en)
        audit.record(session, actor, "list_value_renamed", f"{value.kind}:{value.code}")
        return _result(session, value)


def reorder(db: Database, kind: str, ids: Sequence[int], actor: Actor) -> list[ListEntry]:
    """Put the list in this order (every value of the list, each once)."""
    require(actor, EDIT_LISTS)
    _check_kind(kind)
    with db.write() as session:
        values = {v.id: v for v in _values(session, kind)}
        if sorted(ids) != sorted(values):
            raise ValidationError("list", N_("the new order must name every value once"))
        for position, value_id in enumerate(ids, start=1):
            values[value_id].position = position
        audit.record(session, actor, "list_reordered", kind)
    return list_entries(db, kind)


def move_value(db: Database, value_id: int, steps: int, actor: Actor) -> list[ListEntry]:
    """Move one value up (negative steps) or down the list."""
    with db.read() as session:
        value = _load(session, value_id)
        kind = value.kind
        ids = [v.id for v in _values(session, kind)]
    i = ids.index(value_id)
    j = max(0, min(len(ids) - 1, i + steps))
    ids.insert(j, ids.pop(i))
    return reorder(db, kind, ids, actor)


def set_active(db: Database, value_id: int, active: bool, actor: Actor) -> ListEntry:
    """Retire a value (forms stop offering it; complaints keep showing it) or bring it back."""
    require(actor, EDIT_LISTS)
    with db.write() as session:
        value = _load(session, value_id)
        value.active = bool(active)
        audit.record(session, actor, "list_value_activated" if active
                     else "list_value_deactivated", f"{value.kind}:{value.code}")
        return _result(session, value)


def delete_value(db: Database, value_id: int, actor: Actor) -> None:
    """Delete a value nobody used (a typo just added); a used value is refused."""
    require(actor, EDIT_LISTS)
    with db.write() as session:
        value = _load(session, value_id)
        uses = _uses(session, value.kind, [value]).get(value.id, 0)
        if uses:
            raise ValidationError("list", NN_(
                "\"{label}\" is used by {count} complaint and cannot be deleted; deactivate it "
                "instead",
                "\"{label}\" is used by {count} complaints and cannot be deleted; deactivate it "
                "instead"),
                                  label=value.label_en, count=uses)
        audit.record(session, actor, "list_value_deleted", f"{value.kind}:{value.code}")
        session.delete(value)


# --- presets ----------------------------------------------------------------------------------


def complaint_count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Complaint)) or 0)


def apply_preset(db: Database, profile: str, actor: Actor) -> PresetApplied:
    """Set a new desk up as a mall, salon or hotel: that profile's lists, phrases and opening
    hours; categories and departments that only another profile brought are deactivated
    (values a supervisor added stay). Refused once the database holds complaints."""
    require(actor, EDIT_LISTS)
    validation.code("profile", profile, PROFILES, required=True)
    with db.write() as session:
        if session.scalar(select(func.count()).select_from(Complaint)):
            raise ValidationError("profile", N_("can only be applied while the database holds "
                                                "no complaints; edit the lists instead"))
        before = session.scalar(select(func.count()).select_from(ListValue)) or 0
        drop_other_profiles(session, profile)  # the questionnaire follows the profile
        apply_profile(session, profile)
        session.flush()
        added = (session.scalar(select(func.count()).select_from(ListValue)) or 0) - before
        retired = 0
        for kind, presets in (("category", CATEGORIES), ("department", DEPARTMENTS)):
            mine = {row[0] for row in presets[profile]}
            others = {row[0] for p, rows in presets.items() if p != profile for row in rows}
            values = _values(session, kind)
            for v in values:
                if v.active and v.code in others - mine:
                    v.active = False
                    retired += 1
                elif not v.active and v.code in mine:
                    v.active = True
            # The values in use first, in their order; the retired ones at the end.
            ordered = [v for v in values if v.active] + [v for v in values if not v.active]
            for position, v in enumerate(ordered, start=1):
                v.position = position
        put_setting(session, "opening_hours", profile_hours_setting(profile))
        put_setting(session, "profile", profile)
        audit.record(session, actor, "profile_applied", f"profile:{profile}", added=added,
                     retired=retired)
    return PresetApplied(profile, added, retired)
