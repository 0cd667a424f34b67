"""Delivering the slip from the window: opened in the viewer or printed, as the desk chose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtTest import QTest

import ui.printing as printing
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.intake import IntakeInput, log_complaint
from app.services.settings_service import set_setting, stored_setting
from ui.context import DeskContext


@pytest.fixture
def ref(ctx: DeskContext, fixed_clock: Any) -> str:
    data = IntakeInput(description="电梯扶手有破损，孩子的手被划伤", customer_name="王芳",
                       phone="13912345678", category="safety", demands=["apology"])
    return log_complaint(ctx.db, data, ctx.actor).reference


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(printing.QDesktopServices, "openUrl", open_url)
    return urls


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(printing, "warn", lambda parent, text, title=None: said.append(text))
    return said


def deliver(qtbot: Any, ctx: DeskContext, ref: str) -> Path | None:
    results: list[Path | None] = []
    printing.deliver_slip(ctx, ref, None, done=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    return results[0]


def test_open_mode_opens_the_slip_file_from_the_data_folder(
        qtbot: Any, ctx: DeskContext, ref: str, supervisor: Actor, opened: list[QUrl],
        warnings: list[str]) -> None:
    set_setting(ctx.db, "slip_action", "open", supervisor)
    path = deliver(qtbot, ctx, ref)
    expected = ctx.db.paths.data_dir / "slips" / f"{ref}.pdf"
    assert path == expected
    assert [u.toLocalFile() for u in opened] == [str(expected)]
    assert expected.read_bytes().startswith(b"%PDF")
    assert not warnings


def test_first_use_asks_once_and_remembers_the_answer(
        qtbot: Any, ctx: DeskContext, ref: str, opened: list[QUrl],
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[Any] = []
    monkeypatch.setattr(printing, "ask_slip_action", lambda parent: asked.append(1) or "open")
    assert stored_setting(ctx.db, "slip_action") is None
    deliver(qtbot, ctx, ref)
    deliver(qtbot, ctx, ref)
    assert len(asked) == 1
    assert stored_setting(ctx.db, "slip_action") == "open"  # a clerk gives the first answer
    assert len(opened) == 2


def test_cancelled_question_makes_nothing(qtbot: Any, ctx: DeskContext, ref: str,
                                          opened: list[QUrl],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing, "ask_slip_action", lambda parent: None)
    assert deliver(qtbot, ctx, ref) is None
    assert stored_setting(ctx.db, "slip_action") is None
    assert not opened
    assert not (ctx.db.paths.data_dir / "slips").exists()


def test_without_a_pdf_viewer_the_clerk_is_told_where_the_file_is(
        qtbot: Any, ctx: DeskContext, ref: str, supervisor: Actor, warnings: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing.QDesktopServices, "openUrl", lambda url: False)
    set_setting(ctx.db, "slip_action", "open", supervisor)
    assert deliver(qtbot, ctx, ref) is None
    assert len(warnings) == 1 and f"{ref}.pdf" in warnings[0]


def accept_print_dialog_as_it_opens(qtbot: Any, seen: list[str]) -> None:
    """Answer the real print dialog (Qt's, listing the CUPS queues) once it is open."""
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QApplication

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QPrintDialog):
            seen.append(dialog.printer().printerName())
            dialog.accept()
        else:
            QTimer.singleShot(50, answer)

    QTimer.singleShot(50, answer)


@pytest.fixture
def cups_queues() -> None:
    from tests.printing.printed import require_queues

    require_queues()


@pytest.mark.parametrize(("fmt", "queue", "size_mm"), [("a5", "CDT-A4", (148, 210)),
                                                        ("receipt80", "CDT-Roll80", None)])
def test_print_dialog_accepted_as_it_opens_prints_at_the_slips_size(
        qtbot: Any, ctx: DeskContext, ref: str, supervisor: Actor, cups_queues: None,
        warnings: list[str], fmt: str, queue: str, size_mm: tuple[int, int] | None) -> None:
    from app.printing import desk_printers
    from tests.printing.printed import landed, page_sizes_mm

    set_setting(ctx.db, "slip_action", "print", supervisor)
    desk_printers.save(ctx.db.paths, desk_printers.DeskPrinters(slip_printer=queue,
                                                                slip_format=fmt))
    seen: list[str] = []
    accept_print_dialog_as_it_opens(qtbot, seen)
    assert deliver(qtbot, ctx, ref) is not None
    assert seen == [queue]  # the dialog opened on this PC's slip printer
    job = _printed_jobs(ctx, ref)[-1]
    (width, height), = page_sizes_mm(landed(queue, job))
    if size_mm is not None:
        assert (width, height) == pytest.approx(size_mm, abs=1.0)
    else:
        assert width == pytest.approx(80, abs=0.5) and height < 297
    assert not warnings


def test_without_the_dialog_the_slip_goes_straight_to_the_slip_printer(
        qtbot: Any, ctx: DeskContext, ref: str, supervisor: Actor, cups_queues: None,
        warnings: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from app.printing import desk_printers
    from tests.printing.printed import landed, page_sizes_mm

    set_setting(ctx.db, "slip_action", "print", supervisor)
    desk_printers.save(ctx.db.paths, desk_printers.DeskPrinters(
        slip_printer="CDT-A4only", slip_format="a5", print_without_dialog=True))
    monkeypatch.setattr(printing, "QPrintDialog", None)  # any dialog would fail the test
    assert deliver(qtbot, ctx, ref) is not None
    job = _printed_jobs(ctx, ref)[-1]
    assert page_sizes_mm(landed("CDT-A4only", job))[0] == pytest.approx((210, 297), abs=1)
    assert not warnings


@pytest.mark.parametrize(("queue", "words"), [("CDT-Refuse", "closed by the administrator"),
                                              ("CDT-Paused", "out of paper")])
def test_a_refusing_or_paused_printer_is_told_in_the_window(
        qtbot: Any, ctx: DeskContext, ref: str, supervisor: Actor, cups_queues: None,
        warnings: list[str], queue: str, words: str) -> None:
    from app.printing import cups, desk_printers

    set_setting(ctx.db, "slip_action", "print", supervisor)
    desk_printers.save(ctx.db.paths, desk_printers.DeskPrinters(
        slip_printer=queue, slip_format="a5", print_without_dialog=True))
    deliver(qtbot, ctx, ref)
    assert len(warnings) == 1 and queue in warnings[0] and words in warnings[0]
    for job in _printed_jobs(ctx, ref):
        cups.connection().cancelJob(job)


def test_panel_prints_the_slip_again_in_the_language_and_format_chosen(
        qtbot: Any, ctx: DeskContext, ref: str, supervisor: Actor, cups_queues: None,
        warnings: list[str]) -> None:
    from PySide6.QtWidgets import QApplication

    from app.printing import desk_printers
    from tests.printing.printed import landed, page_sizes_mm
    from ui.complaint.panel import ComplaintPanel
    from ui.slip_reprint import ReprintDialog

    desk_printers.save(ctx.db.paths, desk_printers.DeskPrinters(
        slip_printer="CDT-Roll80", print_without_dialog=True))
    panel = ComplaintPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1300, 800)
    panel.show()
    assert panel.open(ref)

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ReprintDialog):
            QTimer.singleShot(50, choose)
            return
        dialog.language.setCurrentIndex(dialog.language.findData("zh-Hant"))
        dialog.format.setCurrentIndex(dialog.format.findData("receipt80"))
        dialog.accept()

    QTimer.singleShot(50, choose)
    panel.activateWindow()
    panel.goto.setFocus()
    qtbot.waitUntil(panel.goto.hasFocus)
    QTest.keyClick(panel.goto, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(_printed_jobs(ctx, ref)), timeout=20_000)
    job = _printed_jobs(ctx, ref)[0]
    assert page_sizes_mm(landed("CDT-Roll80", job))[0][0] == pytest.approx(80, abs=0.5)
    event = [e for e in get_detail(ctx.db, ref).timeline if e.kind == "slip_printed"][0]
    assert (event.actor, event.data["language"], event.data["format"]) == (
        ctx.actor.name, "zh-Hant", "receipt80")
    qtbot.waitUntil(lambda: "CDT-Roll80" in _timeline_text(panel), timeout=5_000)
    assert not warnings


def test_card_menu_offers_the_slip(ctx: DeskContext, ref: str, qtbot: Any) -> None:
    from ui.kanban.board_view import BoardView

    board = BoardView(ctx)
    qtbot.addWidget(board)
    card = type("C", (), {"reference": ref, "stage": "new"})()
    texts = [a.text() for a in board.card_menu(card).actions()]  # type: ignore[arg-type]
    assert "Print slip…" in texts


def _printed_jobs(ctx: DeskContext, ref: str) -> list[int]:
    return [int(e.data["job"]) for e in get_detail(ctx.db, ref).timeline
            if e.kind == "slip_printed"]


def _timeline_text(panel: Any) -> str:
    return " ".join(panel.timeline.texts())


def test_printers_are_chosen_once_with_a_test_page(qtbot: Any, ctx: DeskContext,
                                                  cups_queues: None,
                                                  warnings: list[str]) -> None:
    from app.printing import cups, desk_printers
    from tests.printing.printed import landed, page_sizes_mm
    from ui.printers_dialog import PrintersDialog

    dialog = PrintersDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.slip_printer.setCurrentIndex(dialog.slip_printer.findData("CDT-Roll80"))
    dialog.slip_format.setCurrentIndex(dialog.slip_format.findData("receipt80"))
    dialog.report_printer.setCurrentIndex(dialog.report_printer.findData("CDT-A4only"))
    dialog.without_dialog.setChecked(True)
    before = set(cups.connection().getJobs(which_jobs="all"))
    dialog.test(dialog.slip_printer, dialog._format())
    qtbot.waitUntil(lambda: "50 mm" in dialog.status.text(), timeout=20_000)
    job = max(set(cups.connection().getJobs(which_jobs="all")) - before)
    assert page_sizes_mm(landed("CDT-Roll80", job))[0] == pytest.approx((80, 120), abs=0.5)
    dialog.save()
    assert desk_printers.load(ctx.db.paths) == desk_printers.DeskPrinters(
        "CDT-Roll80", "receipt80", "CDT-A4only", True)
    assert not warnings


def test_no_print_dialog_offers_to_print_into_a_file(
        qtbot: Any, ctx: DeskContext, ref: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt's "Print to File (PDF)" writes wherever the user types, the live database
    included, past the output guard and the atomic write: no print dialog offers it."""
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QComboBox, QDialog

    from app.reports.slip import write_slip

    slip = write_slip(ctx.db, ref, tmp_path / "slip.pdf")
    offered: list[list[str]] = []

    def look(dialog: QPrintDialog) -> int:
        dialog.show()
        offered.append([box.itemText(i) for box in dialog.findChildren(QComboBox)
                        for i in range(box.count())])
        assert not dialog.testOption(QPrintDialog.PrintDialogOption.PrintToFile)
        dialog.hide()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QPrintDialog, "exec", look)
    assert printing.ask_printer(None, "", "slip") is None
    assert printing.print_pdf(slip, None) is False
    assert len(offered) == 2
    assert all("Print to File (PDF)" not in items for items in offered)
