"""The SQL twin of the clock rules of app/rules/escalation.py (`clock_triggers`), for the
sweep that finds what has become overdue among thousands of complaints in one query.

Given the columns (or expressions) of a complaint and the moment to judge at, each condition
is true exactly where the Python rule fires (tests/unit/test_escalation_rules.py checks them
on the same rows, on SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, true

from app.rules.overdue_sql import overdue_sql
from app.rules.stages import UNRESOLVED_STAGES


def _since(due_at: Any, since: datetime | None) -> ColumnElement[bool]:
    return due_at >= since if since is not None else true()


def first_contact_sql(stage: Any, first_contact_due_at: Any, first_contact_at: Any,
                      at: datetime, since: datetime | None) -> ColumnElement[bool]:
    """escalation.first_contact_overdue (and due from `since` on) as a SQL condition."""
    return and_(stage.in_(UNRESOLVED_STAGES), first_contact_at.is_(None),
                first_contact_due_at.is_not(None), first_contact_due_at < at,
                _since(first_contact_due_at, since))


def resolution_sql(stage: Any, due_at: Any, paused_since: Any, at: datetime,
                   since: datetime | None) -> ColumnElement[bool]:
    """app.sla.is_overdue (and due from `since` on) as a SQL condition."""
    return and_(overdue_sql(stage, due_at, paused_since, at), _since(due_at, since))
