"""The SQL twin of app.sla.is_overdue, for queries that count or sort by it.

Given the columns (or expressions) that hold a complaint's stage, due time and pause start,
and the moment to judge at, it is true exactly where `is_overdue` is
(tests/unit/test_overdue_twin.py checks it on the same rows, on SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from app.rules.stages import UNRESOLVED_STAGES


def overdue_sql(stage: Any, due_at: Any, paused_since: Any,
                at: datetime | Any) -> ColumnElement[bool]:
    """is_overdue(stage, due_at, at, paused_since) as a SQL condition (never NULL)."""
    return and_(
        stage.in_(UNRESOLVED_STAGES),
        due_at.is_not(None),
        or_(and_(paused_since.is_(None), due_at < at),
            and_(paused_since.is_not(None), due_at < paused_since)),
    )
