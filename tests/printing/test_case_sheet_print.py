"""A typical case's sheet through the print path (issue 20 on issue 22's printing): A4 at its
own size on a real CUPS queue, the print audited, refusals told; `print case` likewise."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.db import Database
from app.errors import NotFound
from app.models import AuditEvent
from app.printing import cups
from app.printing.cups import PrintFailed
from app.printing.print_service import print_case_sheet
from app.reports.case_sheet import case_sheet_pdf
from app.services.common import Actor
from app.services.revisits import record_revisit
from app.services.typical_cases import mark_case
from tests.complaint_factory import advance, new_complaint
from tests.e2e.test_cli_slip import cli
from tests.printing.printed import difference, landed, page_sizes_mm, render, require_queues

LESSON = "先安排就医，再调查批次；染发前必须做皮肤测试。"


@pytest.fixture
def case(db: Database, clerk: Actor, supervisor: Actor, fixed_clock: Any) -> str:
    require_queues()
    ref = new_complaint(db, clerk, customer_name="周丽")
    advance(db, ref, "follow_up", clerk, supervisor)
    record_revisit(db, ref, method="phone", satisfaction=5, actor=clerk)
    mark_case(db, ref, title="染发过敏的处理", lesson=LESSON, actor=supervisor)
    return ref


def test_the_sheet_prints_on_a4_and_the_print_is_audited(db: Database, case: str,
                                                         clerk: Actor, tmp_path: Path) -> None:
    outcome = print_case_sheet(db, case, printer="CDT-A4", lang="zh-Hant", actor=clerk)
    assert outcome.held_reason is None and outcome.pages == 1
    printed = landed("CDT-A4", outcome.job_id)
    assert page_sizes_mm(printed)[0] == pytest.approx((210, 297), abs=1.0)
    # The print server's PDF loses the text layer: compare the page as seen.
    original = case_sheet_pdf(db, case, "zh-Hant", actor=clerk)
    assert difference(render(printed, 1, tmp_path, "printed"),
                      render(original, 1, tmp_path, "original")) < 0.01
    text = "".join(PdfReader(io.BytesIO(original)).pages[0].extract_text().split())
    assert "經驗教訓" in text and "周丽" not in text
    with db.read() as s:
        target, data = s.execute(select(AuditEvent.target, AuditEvent.data).where(
            AuditEvent.action == "case_sheet_printed")).one()
    assert target == case and '"printer":"CDT-A4"' in data


def test_a_refusing_printer_and_a_complaint_that_is_no_case(
        db: Database, case: str, clerk: Actor) -> None:
    with pytest.raises(PrintFailed, match="CDT-Refuse"):
        print_case_sheet(db, case, printer="CDT-Refuse", lang="en", actor=clerk)
    with pytest.raises(NotFound, match="is not a typical case"):
        print_case_sheet(db, new_complaint(db, clerk), printer="CDT-A4", lang="en", actor=clerk)
    # Nothing printed, so nothing in the audit trail (the server's job list is shared with
    # other runs: it cannot tell).
    with db.read() as s:
        assert not s.scalars(select(AuditEvent.id).where(
            AuditEvent.action == "case_sheet_printed")).all()


def test_print_case_on_the_command_line(db: Database, db_arg: str, case: str) -> None:
    result = cli("--db", db_arg, "--lang", "en", "print", "case", case, "--printer", "CDT-A4")
    assert result.returncode == 0, result.stderr
    job = int(re.findall(r"job (\d+)", result.stdout)[0])
    assert page_sizes_mm(landed("CDT-A4", job))[0] == pytest.approx((210, 297), abs=1)
    held = cli("--db", db_arg, "--lang", "en", "print", "case", case, "--printer", "CDT-Paused")
    assert held.returncode == 3
    lines = held.stderr.strip().splitlines()
    assert len(lines) == 1 and "CDT-Paused" in lines[0] and "out of paper" in lines[0]
    # Only this test's held job goes (the audit trail has its number): other runs share the
    # print server.
    with db.read() as s:
        data = s.scalars(select(AuditEvent.data).where(
            AuditEvent.action == "case_sheet_printed").order_by(AuditEvent.id.desc())).first()
    cups.connection().cancelJob(int(json.loads(data or "{}")["job"]))
