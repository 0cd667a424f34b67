"""Pick lists (category, department, root cause ...) as (code, label) pairs for forms.

The editable lists live in the `list_values` table; a value that was retired stays readable
on complaints that use it, so `keep` lets a form still show the complaint's current code.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from app.db import Database
from app.i18n import get_language
from app.models import ListValue


def list_choices(db: Database, kind: str, keep: str | None = None) -> list[tuple[str, str]]:
    """Active values of one list, in their order, labelled in the current language."""
    lang = get_language()
    q = (select(ListValue).where(ListValue.kind == kind)
         .order_by(ListValue.position, ListValue.id))
    q = q.where(or_(ListValue.active.is_(True), ListValue.code == keep) if keep
                else ListValue.active.is_(True))
    with db.read() as session:
        return [(v.code, v.label(lang)) for v in session.scalars(q)]
