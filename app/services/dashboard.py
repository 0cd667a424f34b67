"""The dashboard's figures, from the services that own each rule.

Counts of the queue use the queue's own query (`build_query`), so clicking a figure opens a
board showing exactly that many complaints; month figures come from `month_stats`; revisits
from `revisits_due`; approvals from `pending_count`.

Everyone signed in gets the figures of the queue and the revisits, which they can open and
count themselves anyway; the month's figures, the satisfaction trend and the approvals
waiting are for those who may see reports (SEE_REPORTS), and are None for the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from app import clock
from app.codes import STAGES
from app.db import Database
from app.i18n import get_language
from app.permissions import SEE_REPORTS, can
from app.rules.stages import OPEN_STAGES
from app.services.approvals import pending_approvals
from app.services.common import SYSTEM, Actor
from app.services.questionnaire import QuestionAverage, question_averages
from app.services.queue import QueueFilter, build_query
from app.services.report_data import TrendPoint, trend
from app.services.revisits import revisits_due
from app.services.stats import month_bounds, month_stats


@dataclass(frozen=True)
class DashboardFigures:
    at: datetime
    today_intake: int
    open_by_stage: dict[str, int]  # every open stage, zeros included
    overdue: int
    revisits_due: int  # scheduled for today or earlier, not done
    pending_approvals: int | None  # None: not for this role
    oldest_approval: str | None  # reference of the longest-waiting approval
    month: dict[str, Any] | None  # month_stats of the running month; None: not for this role
    trend: list[TrendPoint] = field(default_factory=list)  # 12 months up to this one
    # The revisit questionnaire's averages this month and last (month_stats' by_question).
    questions: list[QuestionAverage] = field(default_factory=list)

    @property
    def open_total(self) -> int:
        return sum(self.open_by_stage.values())


def today_filter(today: date) -> QueueFilter:
    """The queue filter behind "today's intake" (every stage, received today)."""
    return QueueFilter(stages=STAGES, received_from=today, received_to=today)


def overdue_filter() -> QueueFilter:
    return QueueFilter(overdue_only=True)


def month_filter(year: int, month: int) -> QueueFilter:
    """Complaints received in a month, every stage (the month figures' base)."""
    start, end = month_bounds(year, month)
    return QueueFilter(stages=STAGES, received_from=start.date(),
                       received_to=(end - timedelta(days=1)).date())


def _count(session: Any, f: QueueFilter, now: datetime, dialect: str) -> int:
    q = build_query(f, now, get_language(), dialect=dialect).order_by(None).subquery()
    return int(session.scalar(select(func.count()).select_from(q)) or 0)


def dashboard_figures(db: Database, *, actor: Actor = SYSTEM) -> DashboardFigures:
    """Everything the dashboard shows `actor`, as of now (see the module's note on roles)."""
    now = clock.now()
    today = now.date()
    dialect = db.engine.dialect.name
    reports = can(actor, SEE_REPORTS)
    figures = month_stats(db, f"{today.year:04d}-{today.month:02d}") if reports else None
    waiting = pending_approvals(db) if reports else []
    due = revisits_due(db, until=today)
    with db.read() as session:
        base = build_query(QueueFilter(), now, get_language(), dialect=dialect)
        inner = base.order_by(None).subquery()
        by_stage = dict.fromkeys(OPEN_STAGES, 0)
        by_stage.update({stage: int(n) for stage, n in session.execute(
            select(inner.c.stage, func.count()).group_by(inner.c.stage))})
        result = DashboardFigures(
            at=now,
            today_intake=_count(session, today_filter(today), now, dialect),
            open_by_stage=by_stage,
            overdue=_count(session, overdue_filter(), now, dialect),
            revisits_due=len(due),
            pending_approvals=len(waiting) if reports else None,
            oldest_approval=waiting[0].reference if waiting else None,
            month=figures,
            trend=trend(session, today.year, today.month) if reports else [],
            questions=question_averages(session, figures) if figures is not None else [],
        )
    return result
