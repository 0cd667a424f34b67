"""The main window's views: one keystroke each. A view is a QWidget class taking
(ctx, parent) and offering `retranslate()`; modules load when the view is first shown.

This table is the one list of views: the window builds its bar from it and `selftest` opens
every entry, so a view added here is checked in the installed program too. `needs` is the
action (app/permissions.py) a role must be allowed to open the view at all; a view that any
role may open but shows less to some (reports, dashboard) leaves it None and decides itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import N_


@dataclass(frozen=True)
class ViewSpec:
    key: str
    title: str  # msgid
    shortcut: str
    target: str  # "module:Class"
    needs: str | None = None  # permission action needed to open it (app/permissions.py)

    def load(self) -> type:
        """The view's class, its module imported now (ImportError/AttributeError if not)."""
        import importlib

        module_name, class_name = self.target.split(":")
        cls = getattr(importlib.import_module(module_name), class_name)
        assert isinstance(cls, type)
        return cls


VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec("intake", N_("New complaint"), "F2", "ui.intake.intake_form:IntakeForm"),
    ViewSpec("board", N_("Queue"), "F3", "ui.kanban.board_view:BoardView"),
    ViewSpec("complaint", N_("Complaint"), "F4", "ui.complaint.panel:ComplaintPanel"),
    ViewSpec("revisits", N_("Revisits due"), "F5", "ui.revisits.revisit_list:RevisitList"),
    ViewSpec("dashboard", N_("Dashboard"), "F6", "ui.dashboard.dashboard_view:DashboardView"),
    ViewSpec("reports", N_("Reports"), "F7", "ui.reports.reports_view:ReportsView"),
)
VIEW_BY_KEY = {v.key: v for v in VIEWS}
