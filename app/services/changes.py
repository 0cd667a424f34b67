"""A cheap "has anything changed?" marker, for screens that poll a shared database.

Every change service writes a timeline event, and a new complaint adds a row, so the newest
event id and the number of complaints move whenever the queue can look different. Both are
answered from primary-key b-trees (well under a millisecond at 100,000 complaints), unlike
max(updated_at), which scans the table. The work-in-progress limits are included because the
board's headers show them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Complaint, ComplaintEvent, Setting


@dataclass(frozen=True)
class ChangeMarker:
    last_event_id: int
    complaints: int
    wip_limits: str  # the setting's stored JSON text ("" when not set)


def change_marker(db: Database) -> ChangeMarker:
    """The marker now; compare with an earlier one to know whether to reload."""
    with db.read() as session:
        return marker_in(session)


def marker_in(session: Session) -> ChangeMarker:
    """The marker as a read transaction sees it (a load reads it with its data)."""
    last_event = session.scalar(select(func.max(ComplaintEvent.id))) or 0
    count = session.scalar(select(func.count()).select_from(Complaint)) or 0
    limits = session.scalar(select(Setting.value).where(Setting.key == "wip_limits")) or ""
    return ChangeMarker(int(last_event), int(count), limits)
