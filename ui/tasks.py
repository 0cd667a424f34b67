"""One helper for background work: run a function on the thread pool, get the result on the
GUI thread. Database writes go one at a time through a single-thread pool. Python's cycle
collector then runs on the GUI thread only (ui/gui_gc.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ui import gui_gc


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as e:  # noqa: BLE001 - delivered to the GUI thread as is
            self.relay.failed.emit(e)
        else:
            self.relay.done.emit(result)


_writes = QThreadPool()
_writes.setMaxThreadCount(1)
_live: set[_Relay] = set()


def run_task(fn: Callable[[], Any], on_done: Callable[[Any], None],
             on_error: Callable[[BaseException], None], write: bool = False) -> None:
    """Run `fn` off the GUI thread; `on_done(result)` or `on_error(exc)` run on the GUI thread."""
    gui_gc.install()  # before any worker thread could run the collector
    relay = _Relay()
    _live.add(relay)

    def finish_ok(result: Any) -> None:
        _live.discard(relay)
        on_done(result)

    def finish_err(exc: Any) -> None:
        _live.discard(relay)
        on_error(exc)

    relay.done.connect(finish_ok)
    relay.failed.connect(finish_err)
    (_writes if write else QThreadPool.globalInstance()).start(_Task(fn, relay))


def wait_for_tasks(msecs: int = 30_000) -> bool:
    """Block until every background task has finished (at exit, and for selftest's temporary
    desk); False when some were still running after `msecs`."""
    reads = QThreadPool.globalInstance().waitForDone(msecs)
    return _writes.waitForDone(msecs) and reads


def idle() -> bool:
    """No task is running or waiting for its result to be delivered (tests wait for this)."""
    return not _live
