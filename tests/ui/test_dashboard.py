"""The supervisor's dashboard: figures from the services, and clicks that open the matching
queue (show_view("board") then filter_queue with QueueFilter fields)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from PySide6.QtCharts import QHorizontalBarSeries
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.codes import STAGES
from app.db import Database
from app.services import resolution
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from app.services.queue import QueueFilter, queue_cards
from app.services.stats import month_stats
from tests.reports import month_scenario as scenario
from ui.context import DeskContext
from ui.dashboard.dashboard_view import DashboardView

march_cache, march = scenario.march_cache, scenario.march  # fixtures, used by name
NOW = datetime(2026, 4, 2, 9, 0)


@pytest.fixture
def busy_day(db: Database, march: dict[str, str], fixed_clock: Any, clerk: Actor,
             supervisor: Actor) -> str:
    """March's story, plus one complaint this morning whose refund waits for approval."""
    fixed_clock.at(datetime(2026, 4, 2, 8, 30))
    ref = log_complaint(db, IntakeInput(description="试衣间地面湿滑摔倒", customer_name="林女士",
                                        phone="13666667777", category="safety"),
                        clerk).reference
    resolution.assess(db, ref, category="safety", severity="serious", owner_id=clerk.user_id,
                      actor=clerk)
    resolution.propose_solution(db, ref, types=["cash"], amounts={"cash": "900"}, actor=clerk)
    fixed_clock.at(NOW)
    return ref


def loaded(qtbot: QtBot, ctx: DeskContext) -> DashboardView:
    view = DashboardView(ctx)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    qtbot.waitUntil(lambda: view.figures is not None and not view.loading, timeout=10_000)
    return view


def recorder(ctx: DeskContext) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []
    ctx.signals.show_view.connect(lambda key: seen.append(("view", key)))
    ctx.signals.filter_queue.connect(lambda f: seen.append(("filter", f)))
    ctx.signals.open_complaint_at.connect(lambda ref, part: seen.append(("open", (ref, part))))
    return seen


def test_the_figures(qtbot: QtBot, supervisor_ctx: DeskContext, db: Database,
                     busy_day: str) -> None:
    view = loaded(qtbot, supervisor_ctx)
    tiles = {key: tile.value.text() for key, tile in view.tiles.items()}
    # Open now: P3 M5 M7 A1 + this morning's (new/assessed), M2, M4, M6 → 8; overdue:
    # P3 (due 11 Mar), M2 (6 Mar), M4 (17 Mar), M5 (29 Mar); M6's revisit was due 25 Mar.
    assert tiles == {"today": "1", "open": "8", "overdue": "4", "revisits": "1",
                     "approvals": "1"}
    f = view.figures
    assert f is not None
    assert f.open_by_stage == {"new": 4, "assessed": 2, "investigating": 1, "proposed": 0,
                               "in_progress": 0, "follow_up": 1}
    assert f.month == month_stats(db, "2026-04")
    table = {row[0].text(): (row[1].text(), row[2].text()) for row in view.month_cells}
    assert table[""] == ("April 2026", "March 2026")
    assert table["Complaints received"] == ("2", "7")  # April: 1 April's and this morning's
    assert table["Resolved within the SLA"] == ("—", "75.0%")
    # Issue 20: April's serious complaint was escalated as it was assessed; March's verdicts
    # (four verified true, three pending) make every founded-or-not answer a founded one.
    assert table["Founded (of the complaints with a verdict)"] == ("—", "100.0%")
    assert table["Escalated to the supervisors"] == ("1", "3")
    assert [t.avg_satisfaction for t in f.trend[-3:]] == [4.0, 3.75, None]


@pytest.mark.parametrize(("tile", "expected"), [
    ("overdue", {"overdue_only": True}),
    ("open", {}),
    ("today", {"stages": STAGES, "received_from": date(2026, 4, 2),
               "received_to": date(2026, 4, 2)}),
])
def test_a_figure_opens_its_queue(qtbot: QtBot, supervisor_ctx: DeskContext, db: Database,
                                  busy_day: str, tile: str, expected: dict[str, Any]) -> None:
    view = loaded(qtbot, supervisor_ctx)
    seen = recorder(supervisor_ctx)
    qtbot.mouseClick(view.tiles[tile], Qt.MouseButton.LeftButton)
    assert [kind for kind, _v in seen] == ["view", "filter"] and seen[0][1] == "board"
    wanted = {**vars(QueueFilter()), **expected}
    assert seen[1][1] == wanted
    # The queue shows exactly as many complaints as the figure said.
    assert len(queue_cards(db, QueueFilter(**seen[1][1]))) == int(view.tiles[tile].value.text())


def test_keyboard_opens_a_figure_too(qtbot: QtBot, supervisor_ctx: DeskContext,
                                     busy_day: str) -> None:
    view = loaded(qtbot, supervisor_ctx)
    seen = recorder(supervisor_ctx)
    view.tiles["overdue"].setFocus()
    qtbot.keyClick(view.tiles["overdue"], Qt.Key.Key_Return)
    assert seen[1][1]["overdue_only"] is True


def test_revisits_and_approvals(qtbot: QtBot, supervisor_ctx: DeskContext,
                                busy_day: str) -> None:
    view = loaded(qtbot, supervisor_ctx)
    seen = recorder(supervisor_ctx)
    qtbot.mouseClick(view.tiles["revisits"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.tiles["approvals"], Qt.MouseButton.LeftButton)
    assert seen == [("view", "revisits"), ("open", (busy_day, "approval"))]


def test_a_stage_bar_opens_that_stage(qtbot: QtBot, supervisor_ctx: DeskContext,
                                      busy_day: str) -> None:
    view = loaded(qtbot, supervisor_ctx)
    seen = recorder(supervisor_ctx)
    series = view.stages.chart().series()[0]
    assert isinstance(series, QHorizontalBarSeries)
    bars = series.barSets()[0]
    # Bars run bottom-up: the last stage (follow-up) is bar 0, "new" is on top.
    assert [bars.at(i) for i in range(bars.count())] == [1, 0, 0, 1, 2, 4]
    bars.clicked.emit(5)
    assert seen[1][1]["stages"] == ("new",)


def test_reloads_after_a_change(qtbot: QtBot, supervisor_ctx: DeskContext, db: Database,
                                busy_day: str, clerk: Actor) -> None:
    view = loaded(qtbot, supervisor_ctx)
    log_complaint(db, IntakeInput(description="又一件", customer_name="王先生"), clerk)
    supervisor_ctx.signals.data_changed.emit("")
    qtbot.waitUntil(lambda: view.tiles["today"].value.text() == "2", timeout=10_000)
    assert view.tiles["open"].value.text() == "9"


def test_a_clerk_sees_the_queue_figures_and_why_not_the_rest(
        qtbot: QtBot, ctx: DeskContext, busy_day: str) -> None:
    """A clerk's F6: the figures of the queue and the revisits (what the clerk can open and
    count anyway), the same as a supervisor's; the month, the trend and the approvals are
    replaced by a sentence saying they are for supervisors and how one signs in."""
    view = loaded(qtbot, ctx)
    tiles = {key: tile.value.text() for key, tile in view.tiles.items() if tile.isVisible()}
    assert tiles == {"today": "1", "open": "8", "overdue": "4", "revisits": "1"}
    assert not view.tiles["approvals"].isVisible()
    assert view.figures is not None and view.figures.month is None
    assert view.figures.pending_approvals is None and view.figures.trend == []
    assert not view.months.isVisible() and not view.trend.isVisible()
    assert view.for_supervisors.isVisible()
    assert "for supervisors" in view.for_supervisors.text()
    assert "Ctrl+Shift+U" in view.for_supervisors.text()
    assert view.updated.text().startswith("As of")


def test_the_revisits_tile_and_the_follow_up_bar_say_what_each_counts(
        qtbot: QtBot, supervisor_ctx: DeskContext, db: Database, busy_day: str,
        fixed_clock: Any) -> None:
    """Revisits due by today against every complaint in follow-up: a revisit scheduled next
    week is in the chart's bar, not in the tile, and the tile names the bar's figure."""
    from app.services.intake import OnTheSpot

    done = log_complaint(db, IntakeInput(
        description="停车场收费多收了 10 元", customer_name="钱先生", phone="13666660000",
        category="parking", severity="minor",
        on_the_spot=OnTheSpot(["refund"], "当场退还 10 元", {"refund": "10"}, "true")),
        supervisor_ctx.actor)
    assert done.stage == "follow_up"  # its revisit is in 14 days
    view = loaded(qtbot, supervisor_ctx)
    tile = view.tiles["revisits"]
    assert view.figures is not None
    assert view.figures.open_by_stage["follow_up"] == 2
    assert tile.value.text() == "1"
    assert tile.caption.text() == "Revisits due by today"
    assert tile.detail.text() == "of 2 in Follow-up"
