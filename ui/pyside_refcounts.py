"""Work-around for PySide6 6.12.0 on Python 3.11: a reference-count bug in shiboken.

With that pair, every Python slot a signal calls drops one reference to True, and every
`processEvents()` / `QTimer.singleShot()` from Python drops one to None, until the process
aborts with "Fatal Python error: bool_dealloc" (or none_dealloc) after a few thousand signals.
Python 3.12 made these singletons immortal, which hides the bug there. Giving them a huge
reference count here does the same on 3.11. Remove once PySide6 is fixed or Python >= 3.12
is required (checked: PySide6 6.11.3 on 3.11 and 6.12.0 on 3.12 do not lose references).
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # far more references than a process can ever lose


def immortalise_singletons() -> None:
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    for obj in (None, True, False):
        # ob_refcnt is the first field of every CPython object, at the object's address.
        ctypes.c_ssize_t.from_address(id(obj)).value += _HEADROOM


immortalise_singletons()
