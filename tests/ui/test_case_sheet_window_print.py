"""The complaint panel's "Print case sheet…" (issue 20 on issue 22's printing): the print dialog
opens on this PC's report printer, a held job is told in the section and in a message, and
without a print service the sheet goes through Qt's print dialog at its own size (A4)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.i18n import set_language
from app.models import AuditEvent
from app.services.common import Actor
from app.services.revisits import record_revisit
from app.services.typical_cases import mark_case
from tests.complaint_factory import advance, new_complaint
from tests.printing.printed import page_sizes_mm
from ui import messages
from ui.complaint.panel import ComplaintPanel
from ui.context import DeskContext

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    yield
    set_language("en")


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, _t=None: seen.append(text))
    return seen


@pytest.fixture
def case(db: Database, clerk: Actor, supervisor: Actor) -> str:
    ref = new_complaint(db, clerk, customer_name="周丽", phone="13812345678")
    advance(db, ref, "follow_up", clerk, supervisor)
    record_revisit(db, ref, method="phone", satisfaction=4, actor=clerk)
    mark_case(db, ref, title="染发过敏的处理", lesson="先关怀顾客，再核实批次。",
              actor=supervisor)
    return ref


def opened_panel(qtbot: QtBot, ctx: DeskContext, ref: str) -> Any:
    panel = ComplaintPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.open(ref)
    section = panel.sections["typical_case"]
    assert section.print_button.isVisible()  # type: ignore[attr-defined]
    return section


def test_a_held_print_is_told_and_the_dialog_opens_on_the_report_printer(
        qtbot: QtBot, ctx: DeskContext, db: Database, case: str,
        warnings: list[str]) -> None:
    from app.printing import cups, desk_printers
    from tests.printing.printed import require_queues

    require_queues()
    desk_printers.save(db.paths, desk_printers.DeskPrinters(report_printer="CDT-Paused"))
    section = opened_panel(qtbot, ctx, case)
    offered: list[str] = []

    def answer() -> None:  # the real print dialog, accepted as offered
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QPrintDialog):
            QTimer.singleShot(50, answer)
            return
        offered.append(dialog.printer().printerName())
        dialog.accept()

    QTimer.singleShot(50, answer)
    section.print_button.click()
    qtbot.waitUntil(lambda: bool(warnings), timeout=20_000)
    with db.read() as s:
        data = s.scalars(select(AuditEvent.data).where(
            AuditEvent.action == "case_sheet_printed")).one()
    job = int(json.loads(data)["job"])
    try:
        assert offered == ["CDT-Paused"]
        assert "CDT-Paused" in warnings[0] and "out of paper" in warnings[0]
        assert section.hint.text() == warnings[0]
        # Held, not lost: CUPS keeps the job until the paper is back.
        assert job in cups.connection().getJobs()
    finally:
        cups.connection().cancelJob(job)


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_without_a_print_service_qt_prints_the_sheet_on_a4(
        qtbot: QtBot, ctx: DeskContext, case: str, tmp_path: Path, warnings: list[str],
        monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    set_language(lang)
    out = tmp_path / "printed.pdf"

    def accept(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    monkeypatch.setattr("ui.case_sheet.print_service_available", lambda: False)
    section = opened_panel(qtbot, ctx, case)
    section.print_button.click()
    qtbot.waitUntil(lambda: out.exists() and section.hint.text() != "", timeout=20_000)
    assert not warnings
    assert page_sizes_mm(out) == [pytest.approx((210, 297), abs=1.0)]
    kept = Path(section.hint.text().split(": ", 1)[-1].split("：", 1)[-1])
    assert kept.name == f"{case}-{lang}.pdf"
    text = "".join(PdfReader(str(kept)).pages[0].extract_text().split())
    title = {"zh-Hans": "经验教训", "zh-Hant": "經驗教訓", "en": "Lessonlearned"}[lang]
    assert "染发过敏的处理" in text and title in text
    assert "周丽" not in text and "13812345678" not in text and "5678" not in text


def test_a_cancelled_print_dialog_prints_nothing_and_says_nothing(
        qtbot: QtBot, ctx: DeskContext, case: str, warnings: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def cancel(_parent: Any, preferred: str, title: str) -> None:
        asked.append(title)
        return None

    monkeypatch.setattr("ui.case_sheet.print_service_available", lambda: True)
    monkeypatch.setattr("ui.case_sheet.ask_printer", cancel)
    section = opened_panel(qtbot, ctx, case)
    section.print_button.click()
    assert asked == [f"Print the case sheet of {case}"]
    assert not warnings and section.hint.text() == ""
