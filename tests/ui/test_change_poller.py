"""Other counters' changes show on this counter's screens within seconds (issue 11): the change
marker is polled off the UI thread while a list is on screen. Runs on SQLite and, in the
PostgreSQL run, on the server, with the other counter as a second Database of its own."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.paths import Paths
from app.services.common import Actor
from tests.complaint_factory import advance, new_complaint
from ui.change_poller import ChangePoller
from ui.context import DeskContext
from ui.revisits.revisit_list import RevisitList


def other_counter(db: Database, tmp_path: Path) -> Database:
    return Database(Paths(tmp_path / "other", db.url, db.paths.db_file))



@pytest.fixture(autouse=True)
def settled() -> Iterator[None]:
    """Leave no background task running and no Qt garbage behind: collected later, during
    another test's background work, such garbage has crashed PySide6 (a GC-timing bug)."""
    yield
    QThreadPool.globalInstance().waitForDone(10000)
    QApplication.processEvents()
    gc.collect()

def test_the_poller_says_when_another_counter_saved(qtbot: QtBot, db: Database, clerk: Actor,
                                                    tmp_path: Path) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    poller = ChangePoller(db, screen, interval_ms=30)
    fired: list[bool] = []
    poller.changed.connect(lambda: fired.append(True))
    poller.poll()  # hidden: nothing read
    assert poller.marker is None and not poller.polling
    screen.show()
    qtbot.waitUntil(lambda: poller.marker is not None, timeout=5000)  # the baseline
    assert not fired
    other = other_counter(db, tmp_path)
    with qtbot.waitSignal(poller.changed, timeout=5000):
        new_complaint(other, clerk, phone="13600000001")
    other.dispose()


def test_the_revisit_list_shows_a_revisit_scheduled_elsewhere(
        qtbot: QtBot, ctx: DeskContext, db: Database, clerk: Actor, supervisor: Actor,
        tmp_path: Path) -> None:
    view = RevisitList(ctx)
    qtbot.addWidget(view)
    view.poller.timer.setInterval(30)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.poller.marker is not None, timeout=5000)
    assert view.model.references("upcoming") == []
    other = other_counter(db, tmp_path)
    ref = new_complaint(other, clerk, phone="13600000002")
    advance(other, ref, "follow_up", clerk, supervisor)  # another counter's revisit
    qtbot.waitUntil(lambda: ref in view.model.references("upcoming")
                    + view.model.references("today"), timeout=5000)
    other.dispose()
