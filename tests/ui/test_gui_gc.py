"""Python's cycle collector must not run in worker threads once the window does background
work (ui/gui_gc.py): it would free Qt objects there."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

from PySide6.QtWidgets import QWidget

from ui import gui_gc
from ui.tasks import run_task


class _Cycle:
    def __init__(self) -> None:
        self.me = self
        self.widget = QWidget()


def test_background_work_leaves_cycles_to_the_gui_thread(qtbot: Any) -> None:
    results: list[Any] = []
    run_task(lambda: 1, results.append, results.append)
    qtbot.waitUntil(lambda: bool(results))
    assert gui_gc.installed() and not gc.isenabled()

    freed_in: list[str] = []

    def churn() -> list[list[int]]:
        # Far more new container objects than generation 0's threshold, in a worker thread:
        # enough for Python to collect there, were collection automatic.
        made = [[i] for i in range(5 * gc.get_threshold()[0])]
        finished.set()
        return made

    watchers = []
    for _ in range(20):
        cycle = _Cycle()  # only the cycle collector can free it (and its widget)
        watchers.append(weakref.ref(
            cycle, lambda _ref: freed_in.append(threading.current_thread().name)))
        del cycle
    done: list[Any] = []
    finished = threading.Event()
    run_task(churn, done.append, done.append)
    # The GUI thread sits still meanwhile, so only the worker could collect.
    assert finished.wait(10)
    assert not freed_in  # nothing was collected in the worker
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert isinstance(done[0], list)
    # The GUI thread's timer collects them, on the GUI thread.
    qtbot.waitUntil(lambda: len(freed_in) == 20, timeout=5_000)
    assert set(freed_in) == {threading.main_thread().name}


def test_collect_if_due_follows_pythons_thresholds() -> None:
    gc.collect()
    assert gui_gc.collect_if_due() == 0 or gc.get_count()[0] <= gc.get_threshold()[0]
    for _ in range(gc.get_threshold()[0] + 10):
        _Holder()
    assert gc.get_count()[0] > gc.get_threshold()[0] or gc.isenabled()
    if not gc.isenabled():
        assert gui_gc.collect_if_due() >= 1
        assert gc.get_count()[0] < gc.get_threshold()[0]


class _Holder:
    def __init__(self) -> None:
        self.me = self
