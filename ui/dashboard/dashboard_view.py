"""Dashboard (F6): today's intake, open, overdue, revisits due, approvals waiting, this month
against the last, and satisfaction over twelve months. A clerk sees the figures of the queue
and the revisits (what they can open themselves) and is told that the rest is for supervisors.

Two numbers on one screen never seem to disagree: the revisits tile counts revisits due by
today and says how many complaints are in follow-up, the figure the stage chart shows.

Figures come from `app.services.dashboard` (queue counts, month_stats, revisits_due,
pending approvals), loaded off the GUI thread when the view is shown and after changes.
Clicking a figure opens the matching list: the queue with a filter (`filter_queue`), the
revisits due, or the oldest approval waiting.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.codes import label
from app.errors import DeskError
from app.formatting import short_datetime
from app.i18n import _, get_language
from app.permissions import SEE_REPORTS, can
from app.reports.texts import ReportTexts
from app.rules.stages import OPEN_STAGES
from app.services.dashboard import (
    DashboardFigures,
    dashboard_figures,
    month_filter,
    overdue_filter,
    today_filter,
)
from app.services.queue import QueueFilter
from app.workflow import PART_APPROVAL
from ui.context import DeskContext
from ui.dashboard.dashboard_charts import MonthChart, StageChart, TrendChart
from ui.dashboard.figure_tile import FigureTile
from ui.dashboard.question_panel import QuestionPanel
from ui.shortcuts import keys
from ui.tasks import run_task

RELOAD_DELAY_MS = 800  # changes come in bursts (a move writes several rows): reload once
TILES = ("today", "open", "overdue", "revisits", "approvals")


def filter_dict(f: QueueFilter) -> dict[str, Any]:
    """A QueueFilter as the dict `filter_queue` carries (every field, so others reset)."""
    return {fl.name: getattr(f, fl.name) for fl in fields(f)}


class DashboardView(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.figures: DashboardFigures | None = None
        self.loading = False
        self.stale = True
        self.tiles = {key: FigureTile() for key in TILES}
        self.tiles["today"].clicked.connect(self.open_today)
        self.tiles["open"].clicked.connect(lambda: self.open_queue(QueueFilter()))
        self.tiles["overdue"].clicked.connect(lambda: self.open_queue(overdue_filter()))
        self.tiles["revisits"].clicked.connect(lambda: ctx.signals.show_view.emit("revisits"))
        self.tiles["approvals"].clicked.connect(self.open_approvals)
        self.stages = StageChart()
        self.stages.stage_clicked.connect(
            lambda stage: self.open_queue(QueueFilter(stages=(stage,))))
        self.months = MonthChart()
        self.trend = TrendChart()
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSize(font.pointSize() + 4)
        self.heading.setFont(font)
        self.updated = QLabel()
        self.updated.setStyleSheet("color: #666666;")
        self.for_supervisors = QLabel()  # in place of the month's figures, for a clerk
        self.for_supervisors.setWordWrap(True)
        self.for_supervisors.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.for_supervisors.setStyleSheet("QLabel { color: #455a64; background: #f3f6fb;"
                                           " border: 1px solid #c9d4e5; padding: 12px; }")
        self.for_supervisors.hide()
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.reload)
        self.month_grid = QGridLayout()
        self.month_cells: list[list[QLabel]] = [[QLabel() for _c in range(3)] for _r in range(12)]
        for r, row in enumerate(self.month_cells):
            for c, cell in enumerate(row):
                if c:
                    cell.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.month_grid.addWidget(cell, r, c)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.updated)
        top.addWidget(self.refresh_button)
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.stages, 5)
        middle.addWidget(self.months, 5)
        self.questions = QuestionPanel()
        side = QVBoxLayout()
        side.addLayout(self.month_grid)
        side.addStretch(1)
        middle.addLayout(side, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(tiles)
        layout.addLayout(middle, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.trend, 3)
        bottom.addWidget(self.questions, 2)
        layout.addLayout(bottom, 2)
        layout.addWidget(self.for_supervisors, 2)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(RELOAD_DELAY_MS)
        self.timer.timeout.connect(self.reload)
        ctx.signals.data_changed.connect(self._changed)
        ctx.signals.actor_changed.connect(self._signed_in)
        self.retranslate()

    # Loading ------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.stale:
            self.reload()

    def _signed_in(self) -> None:
        self.figures = None
        for tile in self.tiles.values():
            tile.set_value("—")
            tile.detail.clear()
        self.stale = True
        if self.isVisible():
            self.reload()

    def _changed(self, _ref: str) -> None:
        self.stale = True
        if self.isVisible():
            self.timer.start()

    def allowed(self) -> bool:
        """May the signed-in person see the month's figures (the queue's are for everyone)?"""
        return can(self.ctx.actor, SEE_REPORTS)

    def reload(self) -> None:
        if self.loading:
            self.stale = True
            return
        self.loading, self.stale = True, False
        self.refresh_button.setEnabled(False)
        db, actor = self.ctx.db, self.ctx.actor
        run_task(lambda: dashboard_figures(db, actor=actor), self._loaded, self._failed)

    def _loaded(self, figures: DashboardFigures) -> None:
        self.loading = False
        self.refresh_button.setEnabled(True)
        self.figures = figures
        self.show_figures()
        if self.stale and self.isVisible():
            self.timer.start()

    def _failed(self, error: BaseException) -> None:
        self.loading = False
        self.refresh_button.setEnabled(True)
        reason = error.message() if isinstance(error, DeskError) else str(error)
        self.updated.setText(_("Could not load the figures: {reason}", reason=reason))

    # Showing ------------------------------------------------------------------------------
    def show_figures(self) -> None:
        f = self.figures
        if f is None:
            return
        self.updated.setText(_("As of {time}", time=short_datetime(f.at)))
        self.tiles["today"].set_value(f.today_intake)
        self.tiles["open"].set_value(f.open_total)
        self.tiles["overdue"].set_value(f.overdue, alert=f.overdue > 0)
        self.tiles["revisits"].set_value(f.revisits_due, alert=f.revisits_due > 0)
        # The stage chart's "follow-up" bar counts complaints waiting for their revisit, due or
        # not: the tile says that figure too, so the two do not seem to disagree.
        self.tiles["revisits"].detail.setText(_(
            "of {count} in {stage}", count=f"{f.open_by_stage.get('follow_up', 0):,}",
            stage=label("stage", "follow_up")))
        month_shown = f.month is not None
        self.tiles["approvals"].setVisible(f.pending_approvals is not None)
        for widget in (self.months, self.trend, self.questions):
            widget.setVisible(month_shown)
        for row in self.month_cells:
            for cell in row:
                cell.setVisible(month_shown)
        self.for_supervisors.setVisible(not month_shown)
        if f.pending_approvals is not None:
            self.tiles["approvals"].set_value(f.pending_approvals, alert=f.pending_approvals > 0)
        self.stages.show_counts(_("Open complaints by stage"), OPEN_STAGES,
                                [label("stage", s) for s in OPEN_STAGES],
                                [f.open_by_stage.get(s, 0) for s in OPEN_STAGES])
        if f.month is None:
            return
        m, p = f.month, f.month["previous_month"]
        tx = ReportTexts(get_language())
        keys = ("received", "closed_in_month", "open_at_month_end", "overdue_at_month_end")
        self.months.show_months(
            _("This month so far and last month"),
            [_("Received"), _("Closed"), _("Open at end"), _("Overdue at end")],
            (tx.month(m["month"]), tx.month(p["month"])),
            [int(m[k]) for k in keys], [int(p[k]) for k in keys])
        rows = [
            ("", tx.month(m["month"]), tx.month(p["month"])),
            *((_(msgid), _num(m[k]), _num(p[k])) for msgid, k in (
                ("Complaints received", "received"), ("Closed in the month", "closed_in_month"),
                ("Open at month end", "open_at_month_end"),
                ("Overdue at month end", "overdue_at_month_end"))),
            (_("Resolved within the SLA"), _pct(m["sla_met_pct"]), _pct(p["sla_met_pct"])),
            (_("Average satisfaction (1–5)"), _num(m["avg_satisfaction"], 2),
             _num(p["avg_satisfaction"], 2)),
            (_("{figure} ({unit})", figure=_("Median time to resolve"),
               unit=_("calendar hours") if m.get("hours_basis", "calendar") == "calendar"
               else _("opening hours")), _num(m["median_hours_to_resolve"], 1),
             _num(p["median_hours_to_resolve"], 1)),
            (_("Revisits done"), _num(m["revisits_done"]), _num(p["revisits_done"])),
            (_("Reopened"), _num(m["reopened"]), _num(p["reopened"])),
            # The investigation's verdicts (hotel 2.3) and the escalations (month_stats).
            (_("Founded (of the complaints with a verdict)"), _pct(m["founded_pct"]),
             _pct(p["founded_pct"])),
            (_("Escalated to the supervisors"), _num(m["escalated"]), _num(p["escalated"])),
        ]
        for cells, texts in zip(self.month_cells, rows, strict=True):
            for cell, text in zip(cells, texts, strict=True):
                cell.setText(text)
        self.questions.show_lines(f.questions, (tx.month(m["month"]), tx.month(p["month"])))
        self.trend.show_trend(_("Average satisfaction, last 12 months"),
                              tx.short_months([t.month for t in f.trend]),
                              [t.avg_satisfaction for t in f.trend])

    # Clicks -------------------------------------------------------------------------------
    def open_queue(self, f: QueueFilter) -> None:
        self.ctx.signals.show_view.emit("board")
        self.ctx.signals.filter_queue.emit(filter_dict(f))

    def open_today(self) -> None:
        day = (self.figures.at if self.figures else None)
        if day is not None:
            self.open_queue(today_filter(day.date()))

    def open_month(self, month: str) -> None:
        year, mon = (int(x) for x in month.split("-"))
        self.open_queue(month_filter(year, mon))

    def open_approvals(self) -> None:
        if self.figures is not None and self.figures.oldest_approval:
            self.ctx.signals.open_complaint_at.emit(self.figures.oldest_approval,
                                                    PART_APPROVAL)

    def retranslate(self) -> None:
        self.heading.setText(_("Dashboard"))
        self.refresh_button.setText(_("Refresh"))
        captions = {
            "today": _("Received today"), "open": _("Open complaints"),
            "overdue": _("Overdue"), "revisits": _("Revisits due by today"),
            "approvals": _("Approvals waiting"),
        }
        hints = {
            "today": _("Show today's complaints in the queue"),
            "open": _("Show the open complaints in the queue"),
            "overdue": _("Show the overdue complaints in the queue"),
            "revisits": _("Show the revisits due"),
            "approvals": _("Open the approval that has waited longest"),
        }
        for key, tile in self.tiles.items():
            tile.caption.setText(captions[key])
            tile.setToolTip(hints[key])
        self.for_supervisors.setText(_(
            "This month's figures, the satisfaction trend and the approvals waiting are for "
            "supervisors. A supervisor can sign in at this desk with Switch user ({key}).",
            key=QKeySequence(keys("window.switch_user")).toString(
                QKeySequence.SequenceFormat.NativeText)))
        self.show_figures()


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _num(value: float | None, digits: int = 0) -> str:
    return ReportTexts.number(value, digits)
