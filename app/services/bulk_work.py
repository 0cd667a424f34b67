"""What bulk paths (demo data, imports) share about the interpreter they run in."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Hundreds of thousands of small acyclic objects (rows, cells, dicts) live through a
    bulk path: reference counting frees them, while the cyclic collector would walk all of
    them again at each of its full passes (a quarter of demo data at 100,000 complaints; 2 of
    the 13 s of an import of 100,000 rows, issue 17). Leaves the collector as it found it
    (the window switches automatic collection off for good, ui/gui_gc.py)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
