"""The Reports view: build off the GUI thread with progress, preview, cancel, save, print,
and export the month's complaints (supervisors only)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.i18n import set_language
from app.reports import monthly
from app.reports.monthly import ReportCancelled
from tests.reports import month_scenario as scenario
from ui import file_dialogs, messages
from ui.context import DeskContext
from ui.reports.reports_view import ReportsView

march_cache, march = scenario.march_cache, scenario.march  # fixtures, used by name


def make_view(qtbot: QtBot, ctx: DeskContext) -> ReportsView:
    view = ReportsView(ctx)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    return view


def build(qtbot: QtBot, view: ReportsView) -> Any:
    qtbot.mouseClick(view.build_button, Qt.MouseButton.LeftButton)
    assert view.job is not None
    with qtbot.waitSignal(view.job.finished, timeout=20_000) as blocker:
        pass
    return blocker.args[0]


def test_build_shows_the_report_with_progress(qtbot: QtBot, supervisor_ctx: DeskContext,
                                              march: dict[str, str]) -> None:
    view = make_view(qtbot, supervisor_ctx)
    assert view.month.month() == "2026-03"  # the month that just ended
    assert not view.print_button.isEnabled() and not view.save_button.isEnabled()
    seen: list[int] = []
    qtbot.mouseClick(view.build_button, Qt.MouseButton.LeftButton)
    assert view.job is not None and not view.build_button.isEnabled()
    assert view.cancel_button.isEnabled() and view.progress.isVisible()
    view.job.progressed.connect(lambda percent, _text: seen.append(percent))
    with qtbot.waitSignal(view.job.finished, timeout=20_000) as blocker:
        pass
    report = blocker.args[0]
    assert seen and seen[-1] == 100
    qtbot.waitUntil(lambda: view.document.pageCount() == report.pages)
    assert view.stack.currentWidget() is view.preview
    assert view.print_button.isEnabled() and view.save_button.isEnabled()
    assert not view.cancel_button.isEnabled() and not view.progress.isVisible()
    assert f"{report.pages} pages, 7 complaints" in view.status.text()


def test_cancel_stops_the_build(qtbot: QtBot, supervisor_ctx: DeskContext,
                                march: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    gate, reached = threading.Event(), threading.Event()
    real = monthly.month_report_data

    def slow(*args: Any, **kwargs: Any) -> Any:
        reached.set()
        assert gate.wait(10)  # hold the worker until the user has pressed Cancel
        return real(*args, **kwargs)

    monkeypatch.setattr(monthly, "month_report_data", slow)
    view = make_view(qtbot, supervisor_ctx)
    qtbot.mouseClick(view.build_button, Qt.MouseButton.LeftButton)
    assert view.job is not None
    qtbot.waitUntil(reached.is_set)
    with qtbot.waitSignal(view.job.failed, timeout=20_000) as blocker:
        qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
        assert not view.cancel_button.isEnabled()
        gate.set()
    assert isinstance(blocker.args[0], ReportCancelled)
    assert view.status.text() == "The report was cancelled."
    assert view.report is None and view.stack.currentWidget() is view.placeholder
    assert view.build_button.isEnabled() and not view.save_button.isEnabled()
    assert list(Path(view._tmp.name).iterdir()) == []


def test_save_as_copies_the_built_pdf(qtbot: QtBot, supervisor_ctx: DeskContext,
                                      march: dict[str, str], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    view = make_view(qtbot, supervisor_ctx)
    view.lang.set_language("zh-Hant")
    report = build(qtbot, view)
    asked: list[str] = []

    def save_name(_parent: Any, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(tmp_path / "manager"), ""

    monkeypatch.setattr(file_dialogs, "get_save_file_name", save_name)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    saved = tmp_path / "manager.pdf"
    assert saved.read_bytes() == report.path.read_bytes()
    assert asked[0].endswith("月度投訴匯總 2026-03.pdf")
    assert "月度投訴匯總" in PdfReader(str(saved)).pages[0].extract_text()


def test_print_renders_every_page(qtbot: QtBot, supervisor_ctx: DeskContext,
                                  march: dict[str, str], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    view = make_view(qtbot, supervisor_ctx)
    report = build(qtbot, view)
    out = tmp_path / "printed.pdf"

    def accept(dialog: QPrintDialog) -> int:
        # Qt's own "print to file" would skip the output guard: not offered.
        assert not dialog.testOption(QPrintDialog.PrintDialogOption.PrintToFile)
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    # Where there is no print service (CUPS): Qt's own printing, through the dialog.
    monkeypatch.setattr("ui.printing.print_service_available", lambda: False)
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    assert len(PdfReader(str(out)).pages) == report.pages
    assert view.status.text() == f"{report.pages} pages sent to the printer."


def test_print_through_cups_puts_every_page_on_a4_of_the_report_printer(
        qtbot: QtBot, supervisor_ctx: DeskContext, march: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.printing import cups, desk_printers
    from tests.printing.printed import landed, page_sizes_mm, require_queues

    require_queues()
    said: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda parent, text, title=None: said.append(text))
    desk_printers.save(supervisor_ctx.db.paths,
                       desk_printers.DeskPrinters(report_printer="CDT-A5"))
    view = make_view(qtbot, supervisor_ctx)
    report = build(qtbot, view)
    opened: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QPrintDialog):
            QTimer.singleShot(50, answer)
            return
        opened.append(dialog.printer().printerName())
        dialog.accept()

    before = set(cups.connection().getJobs(which_jobs="all"))
    QTimer.singleShot(50, answer)
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "sent to the printer" in view.status.text(), timeout=20_000)
    assert opened == ["CDT-A5"] and not said
    job = max(set(cups.connection().getJobs(which_jobs="all")) - before)
    sizes = page_sizes_mm(landed("CDT-A5", job))
    assert len(sizes) == report.pages
    assert all(size == pytest.approx((210, 297), abs=1.0) for size in sizes)


def test_choosing_another_month_drops_the_preview(qtbot: QtBot, supervisor_ctx: DeskContext,
                                                  march: dict[str, str]) -> None:
    view = make_view(qtbot, supervisor_ctx)
    build(qtbot, view)
    view.month.set_month("2026-02")
    assert view.report is None and not view.save_button.isEnabled()
    assert view.stack.currentWidget() is view.placeholder


def test_exports_are_for_supervisors(qtbot: QtBot, ctx: DeskContext,
                                     supervisor_ctx: DeskContext) -> None:
    clerk_view = make_view(qtbot, ctx)
    assert not clerk_view.exports.csv_button.isEnabled()
    assert not clerk_view.exports.xlsx_button.isEnabled()
    assert "Supervisors only." in clerk_view.exports.note.text()
    boss_view = make_view(qtbot, supervisor_ctx)
    assert boss_view.exports.xlsx_button.isEnabled()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_writes_the_month(qtbot: QtBot, supervisor_ctx: DeskContext,
                                 march: dict[str, str], tmp_path: Path, kind: str,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda _p, text, title=None: told.append(text))
    monkeypatch.setattr(file_dialogs, "get_save_file_name",
                        lambda *_a: (str(tmp_path / "month"), ""))
    view = make_view(qtbot, supervisor_ctx)
    button = view.exports.csv_button if kind == "csv" else view.exports.xlsx_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    target = tmp_path / f"month.{kind}"
    assert told == [f"7 complaints exported to {target}"]
    assert target.stat().st_size > 0 and button.isEnabled()


def test_texts_follow_the_language(qtbot: QtBot, supervisor_ctx: DeskContext) -> None:
    view = make_view(qtbot, supervisor_ctx)
    set_language("zh-Hans")
    view.retranslate()
    assert view.build_button.text() == "生成报告"
    assert view.month.currentText().endswith("月")
    set_language("zh-Hant")
    view.retranslate()
    assert view.build_button.text() == "產生報告"
    assert view.report_box.title() == "月度投訴匯總"


def test_a_clerk_cannot_build_reports(qtbot: QtBot, ctx: DeskContext) -> None:
    view = make_view(qtbot, ctx)
    assert not view.build_button.isEnabled()
    assert view.placeholder.text() == "Reports are for supervisors."
