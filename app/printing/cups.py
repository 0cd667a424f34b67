"""The CUPS print service (Linux, macOS) through pycups, OpenPrinting's binding of libcups.

Qt's own CUPS path ignores whether CUPS took the job (a refusing queue loses it silently) and
replaces the page size with the queue's default after the print dialog; here the job is
submitted with its paper named and the answer is read back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import DeskError
from app.i18n import N_
from app.printing.paper import paper, papers_and_range
from app.printing.placement import PrinterPapers

# IPP printer-state and job-state values (RFC 8011).
PRINTER_STOPPED = 5
JOB_PENDING, JOB_HELD, JOB_PROCESSING, JOB_STOPPED = 3, 4, 5, 6
JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED = 7, 8, 9
# Reasons that mean the printer will not print until someone acts (out of paper, jam ...).
_BLOCKING = ("paused", "media-empty", "media-jam", "media-needed", "door-open", "offline",
             "cover-open", "toner-empty", "marker-supply-empty", "spool-area-full")


class PrintFailed(DeskError):
    """The print system refused the job, or holds it: the user must be told (exit 3)."""


@dataclass(frozen=True)
class QueueState:
    accepting: bool
    stopped: bool
    reasons: tuple[str, ...]
    message: str

    def blocking_reason(self) -> str | None:
        """Why the printer holds jobs now, None if it prints."""
        # "-warning" and "-report" reasons do not stop the printer ("media-low-warning").
        blocking = [r for r in self.reasons if not r.endswith(("-warning", "-report"))
                    and r.removesuffix("-error") in _BLOCKING]
        if self.stopped or blocking:
            return self.message or ", ".join(blocking or ["paused"])
        return None


@dataclass(frozen=True)
class JobReceipt:
    job_id: int
    state: int
    held_reason: str | None  # the printer holds the job: paused, out of paper ...


def available() -> bool:
    """pycups is installed and a CUPS server answers."""
    try:
        connection()
    except PrintFailed:
        return False
    return True


def connection() -> Any:
    try:
        import cups
    except ImportError as e:
        raise PrintFailed(N_("No print service: CUPS support (pycups) is not installed.")) from e
    try:
        return cups.Connection()
    except RuntimeError as e:
        raise PrintFailed(N_("The print service (CUPS) does not answer: {reason}"),
                          reason=str(e)) from e


def printers() -> list[str]:
    return sorted(connection().getPrinters())


def default_printer() -> str | None:
    name = connection().getDefault()
    return str(name) if name else None


def _attributes(name: str, wanted: list[str]) -> dict[str, Any]:
    import cups

    try:
        return dict(connection().getPrinterAttributes(name, requested_attributes=wanted))
    except cups.IPPError as e:
        raise PrintFailed(N_("The printer {printer} is not known to the print service: {reason}"),
                          printer=name, reason=_ipp_text(e)) from e


def papers(name: str) -> PrinterPapers:
    attrs = _attributes(name, ["media-supported", "media-default"])
    supported = attrs.get("media-supported") or []
    if isinstance(supported, str):
        supported = [supported]
    named, custom = papers_and_range([str(k) for k in supported])
    default = paper(str(attrs.get("media-default") or ""))
    return PrinterPapers(tuple(named), default, custom)


def state(name: str) -> QueueState:
    attrs = _attributes(name, ["printer-state", "printer-state-reasons",
                               "printer-state-message", "printer-is-accepting-jobs"])
    reasons = attrs.get("printer-state-reasons") or []
    if isinstance(reasons, str):
        reasons = [reasons]
    return QueueState(bool(attrs.get("printer-is-accepting-jobs", True)),
                      attrs.get("printer-state") == PRINTER_STOPPED,
                      tuple(str(r) for r in reasons if r != "none"),
                      str(attrs.get("printer-state-message") or ""))


def submit(name: str, path: Path, title: str, media: str, copies: int = 1) -> JobReceipt:
    """Send `path` (a PDF whose pages are already on the paper `media`) to printer `name`.

    PrintFailed when the print system refuses it (queue not accepting, unknown printer ...).
    A job accepted by a paused printer is returned with `held_reason`: it waits there.
    """
    import cups

    options = {"media": media, "print-scaling": "none", "copies": str(max(1, copies))}
    try:
        job = int(connection().printFile(name, str(path), title, options))
    except cups.IPPError as e:
        raise PrintFailed(N_("The printer {printer} refused the job: {reason}"),
                          printer=name, reason=_ipp_text(e)) from e
    if job <= 0:
        raise PrintFailed(N_("The printer {printer} refused the job: {reason}"), printer=name,
                          reason="—")
    return watch(name, job, seconds=0.0)


def watch(name: str, job: int, seconds: float = 2.0) -> JobReceipt:
    """The job's state, followed up to `seconds` until it is done or clearly held."""
    import cups

    deadline = time.monotonic() + seconds
    while True:
        try:
            attrs = connection().getJobAttributes(job)
        except cups.IPPError:
            attrs = {}
        job_state = int(attrs.get("job-state", JOB_PENDING))
        if job_state in (JOB_ABORTED, JOB_CANCELED):
            reason = attrs.get("job-printer-state-message") or attrs.get("job-state-reasons")
            raise PrintFailed(N_("The printer {printer} could not print the job: {reason}"),
                              printer=name, reason=str(reason or "—"))
        held = None
        if job_state in (JOB_PENDING, JOB_HELD, JOB_STOPPED):
            queue = state(name)
            held = queue.blocking_reason()
            if held is None and job_state in (JOB_HELD, JOB_STOPPED):
                held = str(attrs.get("job-state-reasons") or "held")
        if job_state == JOB_COMPLETED or held is not None or time.monotonic() >= deadline:
            return JobReceipt(job, job_state, held)
        time.sleep(0.2)


def _ipp_text(error: Exception) -> str:
    args: tuple[object, ...] = tuple(getattr(error, "args", ()))
    return str(args[1]) if len(args) > 1 and args[1] else str(error)
