"""The revisit work list as one person sees it: due revisits grouped overdue / today /
upcoming, with the phone shown as the role may see it (setting `mask_personal_data`).

The revisits themselves (schedule, record, reschedule) live in app/services/revisits.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from app.db import Database
from app.phones import dialable
from app.privacy import masks_in, shown_phone
from app.services.revisits import RevisitDue, revisits_due
from app.settings import get as get_setting

GROUPS = ("overdue", "today", "upcoming")


@dataclass(frozen=True)
class RevisitGroups:
    overdue: list[RevisitDue]
    today: list[RevisitDue]
    upcoming: list[RevisitDue]

    def group(self, name: str) -> list[RevisitDue]:
        return list(getattr(self, name))


def revisit_groups(db: Database, role: str = "clerk", until: date | None = None) -> RevisitGroups:
    """Open revisits (of complaints in follow-up), earliest first, in their three groups."""
    with db.read() as session:
        masked = masks_in(session, role)
        region = str(get_setting(session, "phone_region"))
    items = revisits_due(db, until)
    if masked:
        items = [replace(r, phone=shown_phone(role, r.phone, masked), phone_masked=bool(r.phone))
                 for r in items]
    else:  # a call list: numbers as the desk dials them, as privacy.reveal_phone gives them
        items = [replace(r, phone=dialable(r.phone, region) if r.phone else r.phone)
                 for r in items]
    return RevisitGroups(overdue=[r for r in items if r.overdue_days > 0],
                         today=[r for r in items if r.overdue_days == 0],
                         upcoming=[r for r in items if r.overdue_days < 0])
