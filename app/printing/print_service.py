"""Printing a slip, a monthly report, a case sheet or a test page: what the window and `print`
both call.

The page is made by ReportLab, placed on the printer's paper at 1:1 (`placement`), submitted
to the print system with that paper named, and the print system's answer is returned: a
refused job raises PrintFailed, a job the printer holds (paused, out of paper) comes back
with `held_reason` for the caller to tell. A printed slip is on the complaint's timeline
with who printed it, where, in which format and language.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app import audit, clock
from app.db import Database
from app.errors import DeskError
from app.i18n import N_, get_language
from app.paths import Paths
from app.permissions import PRINT_HANDOVER, PRINT_SLIP, SEE_REPORTS, require
from app.printing import desk_printers
from app.printing.cups import JobReceipt, PrintFailed, QueueState
from app.printing.placement import Placement, PrinterPapers, place
from app.printing.sheets import on_sheets, page_sizes, write_temporary
from app.services.common import SYSTEM, Actor, load_complaint
from app.timeline import record


class PrintSystem(Protocol):
    """The computer's print service (CUPS here; the entry may set another, e.g. Windows')."""

    def printers(self) -> list[str]: ...
    def default_printer(self) -> str | None: ...
    def papers(self, name: str) -> PrinterPapers: ...
    def state(self, name: str) -> QueueState: ...
    def submit(self, name: str, path: Path, title: str, media: str,
               copies: int = 1) -> JobReceipt: ...


class _Cups:
    def __init__(self) -> None:
        from app.printing import cups

        self._cups = cups

    def printers(self) -> list[str]:
        return self._cups.printers()

    def default_printer(self) -> str | None:
        return self._cups.default_printer()

    def papers(self, name: str) -> PrinterPapers:
        return self._cups.papers(name)

    def state(self, name: str) -> QueueState:
        return self._cups.state(name)

    def submit(self, name: str, path: Path, title: str, media: str,
               copies: int = 1) -> JobReceipt:
        return self._cups.submit(name, path, title, media, copies)


_factory: Callable[[], PrintSystem] | None = None


def set_print_system(factory: Callable[[], PrintSystem] | None) -> None:
    """Print through the system `factory` makes instead of CUPS (None: CUPS again). The entry
    sets Qt's printer support where there is no CUPS (Windows): app/ never imports Qt."""
    global _factory
    _factory = factory


def available() -> bool:
    """A print system is there: the one the entry set, or a CUPS server that answers."""
    from app.printing import cups

    return _factory is not None or cups.available()


def print_system() -> PrintSystem:
    return _factory() if _factory is not None else _Cups()


@dataclass(frozen=True)
class PrintOutcome:
    printer: str
    job_id: int
    pages: int
    placement: Placement
    held_reason: str | None  # the printer holds the job (paused, out of paper ...)

    def held_message(self) -> DeskError | None:
        """The message telling the user the job waits, or None if it was printed."""
        if self.held_reason is None:
            return None
        return PrintFailed(N_("The printer {printer} holds the job ({reason}): it prints once "
                              "the printer is ready again."),
                           printer=self.printer, reason=self.held_reason)


def choose_printer(paths: Paths, explicit: str | None, role: str) -> str:
    """The printer named, else this PC's printer for `role` ("slip"/"report"), else the
    system's default; PrintFailed when there is none."""
    if explicit:
        return explicit
    chosen = desk_printers.load(paths)
    mine = chosen.slip_printer if role == "slip" else chosen.report_printer
    if mine:
        return mine
    default = print_system().default_printer()
    if default:
        return default
    raise PrintFailed(N_("No printer is chosen and the system has no default printer."))


def slip_format(db: Database, explicit: str | None = None) -> str:
    """The format named, else this PC's, else the desk's setting `slip_format`."""
    if explicit:
        return explicit
    chosen = desk_printers.load(db.paths).slip_format
    if chosen:
        return chosen
    from app.services.settings_service import read_settings

    return str(read_settings(db)["slip_format"])


def print_pdf(pdf: bytes, printer: str, title: str, copies: int = 1) -> PrintOutcome:
    """Print a PDF at its own size on `printer`. NoPaperForPage when no paper holds its pages,
    PrintFailed when the printer refuses it or is unknown."""
    system = print_system()
    if printer not in system.printers():
        raise PrintFailed(N_("The printer {printer} is not known to the print service."),
                          printer=printer)
    queue = system.state(printer)
    if not queue.accepting:
        raise PrintFailed(N_("The printer {printer} refused the job: {reason}"),
                          printer=printer, reason=queue.message or N_("not accepting jobs"))
    sizes = page_sizes(pdf)
    width = max(w for w, _h in sizes)
    height = max(h for _w, h in sizes)
    placement = place(width, height, system.papers(printer), printer)
    with tempfile.TemporaryDirectory(prefix="desk-print-") as folder:
        path = write_temporary(on_sheets(pdf, placement), Path(folder), _safe(title))
        receipt = system.submit(printer, path, title, placement.media, copies)
    return PrintOutcome(printer, receipt.job_id, len(sizes), placement, receipt.held_reason)


def print_slip(db: Database, reference: str, *, printer: str | None = None,
               fmt: str | None = None, lang: str | None = None, copies: int = 1,
               actor: Actor = SYSTEM) -> PrintOutcome:
    """Print the slip of `reference`; the print goes on its timeline (job held or not)."""
    from app.reports.slip import slip_pdf

    require(actor, PRINT_SLIP)
    fmt = slip_format(db, fmt)
    lang = lang or get_language()
    pdf = slip_pdf(db, reference, fmt, lang)
    name = choose_printer(db.paths, printer, "slip")
    outcome = print_pdf(pdf, name, reference, copies)
    with db.write() as session:
        complaint = load_complaint(session, reference)
        # Not a change of the complaint: its version stays, an open panel is not disturbed.
        record(session, complaint, "slip_printed", actor.user_id, actor.name, clock.now(),
               printer=name, format=fmt, language=lang, job=outcome.job_id)
    return outcome


def print_report(db: Database, month: str, *, printer: str | None = None,
                 lang: str | None = None, actor: Actor = SYSTEM) -> PrintOutcome:
    """Print the monthly summary of `month` (supervisors: the report's own rule)."""
    from app.reports.monthly import write_monthly_report

    lang = lang or get_language()
    with tempfile.TemporaryDirectory(prefix="desk-report-") as folder:
        report = write_monthly_report(db, month, Path(folder) / "report.pdf", lang,
                                      actor=actor)
        pdf = report.path.read_bytes()
    return print_report_pdf(db, pdf, month, lang, printer=printer, actor=actor)


def print_report_pdf(db: Database, pdf: bytes, month: str, lang: str, *,
                     printer: str | None = None, copies: int = 1,
                     actor: Actor = SYSTEM) -> PrintOutcome:
    """Print a monthly report already made (the window's preview) and audit the print."""
    require(actor, SEE_REPORTS)
    return _on_report_printer(db, pdf, f"report-{month}", "report_printed", f"month:{month}",
                              lang, printer, copies, actor)


def _on_report_printer(db: Database, pdf: bytes, job: str, action: str, target: str,
                       lang: str, printer: str | None, copies: int,
                       actor: Actor) -> PrintOutcome:
    """An A4 page (report, hand-over sheet, case sheet) on this PC's report printer, the
    print in the audit trail as `action` on `target` (the caller checked who may print it)."""
    name = choose_printer(db.paths, printer, "report")
    outcome = print_pdf(pdf, name, job, copies)
    with db.write() as session:
        audit.record(session, actor, action, target, printer=name, language=lang,
                     job=outcome.job_id)
    return outcome


def print_handover(db: Database, day: str | None = None, *, printer: str | None = None,
                   lang: str | None = None, copies: int = 1,
                   actor: Actor = SYSTEM) -> PrintOutcome:
    """Print the shift hand-over sheet of `day` (default today) on the report printer (an A4
    page) and audit the print. Any staff member (PRINT_HANDOVER, checked by the sheet)."""
    from app.reports.handover import handover_pdf

    lang = lang or get_language()
    pdf, sheet, _caps = handover_pdf(db, day, lang, actor)
    return print_handover_pdf(db, pdf, sheet.day.isoformat(), lang, printer=printer,
                              copies=copies, actor=actor)


def print_handover_pdf(db: Database, pdf: bytes, day: str, lang: str, *,
                       printer: str | None = None, copies: int = 1,
                       actor: Actor = SYSTEM) -> PrintOutcome:
    """Print a hand-over sheet already made (the window's) and audit the print."""
    require(actor, PRINT_HANDOVER)
    return _on_report_printer(db, pdf, f"handover-{day}", "handover_printed", f"day:{day}",
                              lang, printer, copies, actor)


def print_case_sheet(db: Database, reference: str, *, printer: str | None = None,
                     lang: str | None = None, copies: int = 1,
                     actor: Actor = SYSTEM) -> PrintOutcome:
    """Print a typical case's sheet (A4, on this PC's report printer) for a training meeting;
    the print is in the audit trail (not on the complaint's timeline: nothing of the
    complaint leaves the building on it)."""
    from app.reports.case_sheet import case_sheet_pdf

    lang = lang or get_language()
    pdf = case_sheet_pdf(db, reference, lang, actor=actor)  # SEE_TYPICAL_CASES, NotFound
    return _on_report_printer(db, pdf, f"case-{reference}", "case_sheet_printed", reference,
                              lang, printer, copies, actor)


def print_test_page(paths: Paths, printer: str, fmt: str) -> PrintOutcome:
    """A page of the format's size with a 50 mm ruler, to check the printer prints 1:1."""
    from app.reports.test_page import test_page_pdf

    return print_pdf(test_page_pdf(printer, fmt), printer, f"test-page-{fmt}")


def _safe(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", title)[:60] or "job"
