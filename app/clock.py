"""The one clock services read, so tests can control time without sleeping.

Times are naive local wall-clock times of the business (the desk, its reports and its
opening hours all live in one time zone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

_now: Callable[[], datetime] = datetime.now


def now() -> datetime:
    """Current local time, to the second."""
    return _now().replace(microsecond=0)


def set_clock(fn: Callable[[], datetime]) -> None:
    global _now
    _now = fn


def reset_clock() -> None:
    set_clock(datetime.now)


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Freeze the clock at `at` for the duration of a block (tests, benchmarks)."""
    previous = _now
    set_clock(lambda: at)
    try:
        yield
    finally:
        set_clock(previous)
