"""The main window's views: one keystroke each. A view is a QWidget class taking
(ctx, parent) and offering `retranslate()`; its module loads when the view is first shown
(start-up time), through a loader function here, so the import is still a plain import that
the layer contracts see (a module named in a string would hide it).

This table is the one list of views: the window builds its bar from it and `selftest` opens
every entry, so a view added here is checked in the installed program too. `needs` is the
action (app/permissions.py) a role must be allowed to open the view at all; a view that any
role may open but shows less to some (reports, dashboard) leaves it None and decides itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from app.i18n import N_
from app.permissions import SEE_TYPICAL_CASES
from ui.context import DeskContext
from ui.shortcuts import keys

ViewClass = Callable[[DeskContext, QWidget | None], QWidget]


def _intake() -> ViewClass:
    from ui.intake.intake_form import IntakeForm

    return IntakeForm


def _board() -> ViewClass:
    from ui.kanban.board_view import BoardView

    return BoardView


def _complaint() -> ViewClass:
    from ui.complaint.panel import ComplaintPanel

    return ComplaintPanel


def _revisits() -> ViewClass:
    from ui.revisits.revisit_list import RevisitList

    return RevisitList


def _dashboard() -> ViewClass:
    from ui.dashboard.dashboard_view import DashboardView

    return DashboardView


def _reports() -> ViewClass:
    from ui.reports.reports_view import ReportsView

    return ReportsView


def _alerts() -> ViewClass:
    from ui.alerts.alerts_view import AlertsView

    return AlertsView


def _cases() -> ViewClass:
    from ui.cases.case_list import CaseList

    return CaseList


@dataclass(frozen=True)
class ViewSpec:
    key: str
    title: str  # msgid
    shortcut: str
    load: Callable[[], ViewClass]  # imports the view's module (ImportError if it cannot)
    needs: str | None = None  # permission action needed to open it (app/permissions.py)


VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec("intake", N_("New complaint"), keys("view.intake"), _intake),
    ViewSpec("board", N_("Queue"), keys("view.board"), _board),
    ViewSpec("complaint", N_("Complaint"), keys("view.complaint"), _complaint),
    ViewSpec("revisits", N_("Revisits due"), keys("view.revisits"), _revisits),
    ViewSpec("dashboard", N_("Dashboard"), keys("view.dashboard"), _dashboard),
    ViewSpec("reports", N_("Reports"), keys("view.reports"), _reports),
    ViewSpec("alerts", N_("Alerts"), keys("view.alerts"), _alerts),
    ViewSpec("cases", N_("Typical cases"), keys("view.cases"), _cases,
             needs=SEE_TYPICAL_CASES),
)
VIEW_BY_KEY = {v.key: v for v in VIEWS}
