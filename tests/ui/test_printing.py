"""Delivering the slip from the window: opened in the viewer or printed, as the desk chose."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog

import ui.printing as printing
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from app.services.settings_service import set_setting, stored_setting
from ui.context import DeskContext

MM = 72 / 25.4


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


class FakePrintDialog:
    """Stands in for QPrintDialog: 'chooses' the printer it was given, or cancels."""

    answer = QDialog.DialogCode.Accepted
    shown: list[QPrinter] = []

    def __init__(self, printer: QPrinter, parent: Any = None) -> None:
        self.printer = printer

    def exec(self) -> int:
        FakePrintDialog.shown.append(self.printer)
        return int(self.answer)


@pytest.fixture
def pdf_printer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No printers here: the 'printer' writes a PDF file that the test then reads."""
    out = tmp_path / "printed.pdf"

    def make() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    FakePrintDialog.shown = []
    FakePrintDialog.answer = QDialog.DialogCode.Accepted
    monkeypatch.setattr(printing, "new_printer", make)
    monkeypatch.setattr(printing, "QPrintDialog", FakePrintDialog)
    return out


@pytest.mark.parametrize(("fmt", "width_mm"), [("a5", 148), ("receipt80", 80)])
def test_print_mode_prints_the_pages_on_paper_of_the_slips_size(
        qtbot: Any, ctx: DeskContext, ref: str, supervisor: Actor, pdf_printer: Path,
        opened: list[QUrl], warnings: list[str], fmt: str, width_mm: int) -> None:
    set_setting(ctx.db, "slip_action", "print", supervisor)
    set_setting(ctx.db, "slip_format", fmt, supervisor)
    assert deliver(qtbot, ctx, ref) is not None
    assert len(FakePrintDialog.shown) == 1
    pages = PdfReader(io.BytesIO(pdf_printer.read_bytes())).pages
    assert len(pages) == 1
    assert float(pages[0].mediabox.width) == pytest.approx(width_mm * MM, abs=2)
    # Something was drawn: the rendered slip is an image on the printed page.
    assert "/XObject" in str(pages[0]["/Resources"])
    assert not opened and not warnings


def test_cancelled_print_dialog_prints_nothing(qtbot: Any, ctx: DeskContext, ref: str,
                                               supervisor: Actor, pdf_printer: Path,
                                               warnings: list[str]) -> None:
    set_setting(ctx.db, "slip_action", "print", supervisor)
    FakePrintDialog.answer = QDialog.DialogCode.Rejected
    assert deliver(qtbot, ctx, ref) is None
    assert not pdf_printer.exists()
    assert not warnings


def test_unknown_reference_is_reported_not_raised(qtbot: Any, ctx: DeskContext,
                                                  supervisor: Actor, opened: list[QUrl],
                                                  warnings: list[str]) -> None:
    set_setting(ctx.db, "slip_action", "open", supervisor)
    assert deliver(qtbot, ctx, "TS-20990101-0001") is None
    assert len(warnings) == 1 and "TS-20990101-0001" in warnings[0]
    assert not opened
