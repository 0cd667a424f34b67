"""Python's cycle collector runs on the GUI thread only.

The collector runs in whichever thread happens to allocate when a threshold is crossed. Run in
a worker thread (ui/tasks.py: a slip, an export, a backup), it frees Qt objects caught in
reference cycles there, and Qt objects must be deleted in their own thread: the window then
crashed now and then with a segmentation fault, or a task's signal source was deleted under
it. So automatic collection is switched off and the same thresholds are checked from a timer
on the GUI thread (the approach of pyqtgraph's GarbageCollector). Reference counting still
frees everything that is not in a cycle at once, in every thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QThread, QTimer

INTERVAL_MS = 500
_timer: QTimer | None = None


def collect_if_due() -> int:
    """Collect the oldest generation whose threshold is crossed, as Python itself would;
    returns the number of objects found unreachable."""
    counts, limits = gc.get_count(), gc.get_threshold()
    generation = -1
    for gen in range(3):
        if limits[gen] and counts[gen] > limits[gen]:
            generation = gen
    return gc.collect(generation) if generation >= 0 else 0


def install() -> None:
    """Switch automatic collection off and collect from a GUI-thread timer instead. Call on
    the GUI thread once the application object exists; calling again does nothing."""
    global _timer
    app = QCoreApplication.instance()
    if _timer is not None or app is None:
        return
    assert QThread.currentThread() is app.thread(), "install() belongs on the GUI thread"
    gc.disable()
    _timer = QTimer(app)
    _timer.setInterval(INTERVAL_MS)
    _timer.timeout.connect(collect_if_due)
    _timer.start()
    app.aboutToQuit.connect(_stop)


def _stop() -> None:
    """At quit, leave the interpreter as it was: automatic collection on again."""
    global _timer
    if _timer is not None:
        _timer.stop()
        _timer = None
    gc.enable()


def installed() -> bool:
    return _timer is not None and not gc.isenabled()
