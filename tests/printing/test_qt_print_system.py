"""The print path used where there is no CUPS (Windows: Qt's printer support), tried through
Qt's own CUPS support here: the page keeps its size, placed by the same rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.db import Database
from app.printing import cups
from app.printing.print_service import print_slip, set_print_system
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from tests.printing.printed import landed, page_sizes_mm, require_queues


@pytest.fixture
def qt_printing(qapp: Any) -> Iterator[None]:
    require_queues()
    from ui.qt_print_system import QtPrintSystem

    set_print_system(QtPrintSystem)
    yield
    set_print_system(None)


@pytest.mark.parametrize(("queue", "fmt", "size"), [("CDT-A4", "a5", (148, 210)),
                                                     ("CDT-A4only", "a5", (210, 297))])
def test_qt_path_keeps_the_pages_size(db: Database, clerk: Actor, fixed_clock: Any,
                                      qt_printing: None, queue: str, fmt: str,
                                      size: tuple[int, int]) -> None:
    ref = log_complaint(db, IntakeInput(description="灯坏了", phone="13912345678"),
                        clerk).reference
    before = set(cups.connection().getJobs(which_jobs="all"))
    print_slip(db, ref, printer=queue, fmt=fmt, lang="zh-Hans", actor=clerk)
    job = max(set(cups.connection().getJobs(which_jobs="all")) - before)
    assert page_sizes_mm(landed(queue, job))[0] == pytest.approx(size, abs=1.0)
