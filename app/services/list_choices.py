"""Pick lists (category, department, root cause ...) as (code, label) pairs for forms.

The editable lists live in the `list_values` table; a value that was retired stays readable
on complaints that use it, so `keep` lets a form still show the complaint's current code.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.db import Database
from app.i18n import get_language
from app.models import ListValue


def list_choices(db: Database, kind: str,
                 keep: str | Collection[str] | None = None) -> list[tuple[str, str]]:
    """Active values of one list, in their order, labelled in the current language; `keep`
    (one code, or several for a multi-choice field) stays offered though retired."""
    lang = get_language()
    kept = [keep] if isinstance(keep, str) else [k for k in keep or () if k]
    q = (select(ListValue).where(ListValue.kind == kind)
         .order_by(ListValue.position, ListValue.id))
    q = q.where(or_(ListValue.active.is_(True), ListValue.code.in_(kept)) if kept
                else ListValue.active.is_(True))
    with db.read() as session:
        return [(v.code, v.label(lang)) for v in session.scalars(q)]


def labels_of(session: Session, kind: str) -> dict[str, str]:
    """code -> label in the current language of every value of one list, retired ones too
    (to show what old complaints hold)."""
    lang = get_language()
    return {v.code: v.label(lang)
            for v in session.scalars(select(ListValue).where(ListValue.kind == kind))}


def list_labels(db: Database, kind: str) -> dict[str, str]:
    """labels_of() in a session of its own."""
    with db.read() as session:
        return labels_of(session, kind)
