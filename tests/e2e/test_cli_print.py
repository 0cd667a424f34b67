"""`print slip|report` as a separate process against the test print server: exit 0 once CUPS
took the job, else one line naming the printer and the reason and exit 3."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.db import Database
from app.printing import cups
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from tests.e2e.test_cli_slip import cli
from tests.printing.printed import landed, page_sizes_mm, require_queues


@pytest.fixture
def ref(db: Database, clerk: Actor, fixed_clock: Any) -> str:
    require_queues()
    return log_complaint(db, IntakeInput(description="试衣间的镜子碎了", phone="+852 9123 4567"),
                         clerk).reference


def test_print_slip_exit_0_and_the_page_at_its_size(db_arg: str, ref: str) -> None:
    result = cli("--db", db_arg, "--lang", "en", "print", "slip", ref, "--printer", "CDT-A4",
                 "--format", "a5", "--lang", "zh-Hant")
    assert result.returncode == 0, result.stderr
    job = int(re.findall(r"\d+", result.stdout.split("CDT-A4", 1)[1])[0])  # in 繁體中文
    assert page_sizes_mm(landed("CDT-A4", job))[0] == pytest.approx((148, 210), abs=1)


@pytest.mark.parametrize(("printer", "fmt", "words"), [
    ("CDT-Refuse", "a5", "closed by the administrator"),
    ("CDT-Paused", "a5", "out of paper"),
    ("CDT-Roll80", "a5", "80 × 297 mm"),
    ("No-Such-Printer", "a5", "not known"),
])
def test_not_printed_is_one_line_naming_the_printer_and_exit_3(
        db_arg: str, ref: str, printer: str, fmt: str, words: str) -> None:
    before = set(cups.connection().getJobs())
    result = cli("--db", db_arg, "--lang", "en", "print", "slip", ref, "--printer", printer,
                 "--format", fmt)
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and printer in lines[0] and words in lines[0]
    for job in set(cups.connection().getJobs()) - before:
        cups.connection().cancelJob(job)
