"""Reports (F7): build the monthly summary off the GUI thread, preview, print or save it, and
export the month's complaints as CSV or Excel."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSettings, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import DeskError
from app.formatting import complaint_count
from app.i18n import _, ngettext
from app.outputs import copy_output
from app.permissions import SEE_REPORTS, can
from app.reports.monthly import TITLE, MonthlyReport, ReportCancelled
from app.reports.texts import ReportTexts
from ui import messages
from ui.context import DeskContext
from ui.reports.export_box import ExportBox
from ui.reports.month_picker import LanguageCombo, MonthCombo
from ui.reports.pdf_print import a4_portrait, print_pdf
from ui.reports.report_job import ReportJob
from ui.save_pdf import save_pdf_as

PANEL_WIDTH = 330
LAST_DIR = "reports/last_dir"


class ReportsView(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = QSettings()
        self.job: ReportJob | None = None
        self.report: MonthlyReport | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="desk-report-")
        self._names = itertools.count(1)

        self.month_label, self.lang_label = QLabel(), QLabel()
        self.month = MonthCombo()
        self.lang = LanguageCombo()
        self.build_button = QPushButton()
        self.build_button.setDefault(True)
        self.build_button.clicked.connect(self.build)
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.print_report)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_as)

        self.report_box = QGroupBox()
        form = QFormLayout()
        form.addRow(self.month_label, self.month)
        form.addRow(self.lang_label, self.lang)
        buttons = QHBoxLayout()
        buttons.addWidget(self.build_button, 1)
        buttons.addWidget(self.cancel_button)
        after = QHBoxLayout()
        after.addWidget(self.print_button)
        after.addWidget(self.save_button)
        box = QVBoxLayout(self.report_box)
        box.addLayout(form)
        box.addLayout(buttons)
        box.addWidget(self.progress)
        box.addWidget(self.status)
        box.addLayout(after)

        self.exports = ExportBox(ctx, self.month, self.lang, self.settings)
        panel = QWidget()
        panel.setFixedWidth(PANEL_WIDTH)  # widened by retranslate() if a language needs it
        self.panel = panel
        side = QVBoxLayout(panel)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.report_box)
        side.addWidget(self.exports)
        side.addStretch(1)

        self.document = QPdfDocument(self)
        self._pdf_bytes: QBuffer | None = None
        self.preview = QPdfView()
        self.preview.setDocument(self.document)
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.preview)

        layout = QHBoxLayout(self)
        layout.addWidget(panel)
        layout.addWidget(self.stack, 1)
        self.month.currentIndexChanged.connect(lambda _i: self._forget_report())
        self.lang.currentIndexChanged.connect(lambda _i: self._forget_report())
        self.destroyed.connect(lambda _o=None, tmp=self._tmp: tmp.cleanup())
        ctx.signals.actor_changed.connect(self._signed_in)
        self._set_busy(False)
        self.retranslate()

    # Building -----------------------------------------------------------------------------
    def build(self) -> None:
        if self.job is not None and self.job.running:
            return
        out = Path(self._tmp.name) / f"report-{next(self._names)}.pdf"
        self.job = ReportJob(self.ctx.db, self.month.month(), self.lang.language(), out, self,
                             actor=self.ctx.actor)
        self.job.progressed.connect(self._progressed)
        self.job.finished.connect(self._built)
        self.job.failed.connect(self._failed)
        self.progress.setValue(0)
        self.status.setText(_("Building the report…"))
        self._set_busy(True)
        self.job.start()

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(_("Stopping…"))

    def _progressed(self, percent: int, text: str) -> None:
        if self.job is not None and not self.job.cancelled:
            self.progress.setValue(percent)
            self.status.setText(text)

    def _built(self, report: MonthlyReport) -> None:
        self._set_busy(False)
        self.report = report
        self._show(report.path)
        self.stack.setCurrentWidget(self.preview)
        self._describe()
        self._set_busy(False)

    def _show(self, pdf: Path) -> None:
        """Preview from memory: QPdfDocument keeps a file it loaded open until it loads
        another, and Windows cannot delete an open file (the folder of previews)."""
        self.document.close()
        previous, self._pdf_bytes = self._pdf_bytes, QBuffer(self)
        self._pdf_bytes.setData(QByteArray(pdf.read_bytes()))
        self._pdf_bytes.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._pdf_bytes)
        if previous is not None:
            previous.deleteLater()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, ReportCancelled):
            self.status.setText(_("The report was cancelled."))
        elif isinstance(error, DeskError):
            self.status.setText(error.message())
            messages.warn(self, error.message())
        else:
            self.status.setText(_("The report could not be built: {reason}",
                                  reason=str(error)))
            messages.warn(self, self.status.text())

    def allowed(self) -> bool:
        return can(self.ctx.actor, SEE_REPORTS)

    def _set_busy(self, busy: bool) -> None:
        self.build_button.setEnabled(not busy and self.allowed())
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)
        self.month.setEnabled(not busy)
        self.lang.setEnabled(not busy)
        ready = self.report is not None and not busy
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    def _forget_report(self) -> None:
        """Another month or language chosen: the preview no longer matches the choice."""
        if self.report is not None:
            self.report = None
            self.document.close()
            self.stack.setCurrentWidget(self.placeholder)
            self.status.setText("")
            self._set_busy(False)

    def _describe(self) -> None:
        if self.report is None:
            return
        tx = ReportTexts(self.report.lang)
        self.status.setText(_("{title} of {month}: {pages}, {complaints}.",
                              title=tx._(TITLE), month=tx.month(self.report.month),
                              pages=ngettext("{count} page", "{count} pages", self.report.pages,
                                             count=self.report.pages),
                              complaints=complaint_count(self.report.received)))

    def _signed_in(self) -> None:
        self._forget_report()
        self._set_busy(bool(self.job is not None and self.job.running))
        self.retranslate()

    # Print and save -----------------------------------------------------------------------
    def default_name(self) -> str:
        if self.report is None:
            return ""
        tx = ReportTexts(self.report.lang)
        return f"{tx._(TITLE)} {self.report.month}.pdf"

    def save_as(self) -> None:
        if self.report is None:
            return
        db, made = self.ctx.db, self.report.path
        target = save_pdf_as(self, self.settings, LAST_DIR, _("Save the report"),
                             self.default_name(), lambda path: copy_output(db, made, path))
        if target is not None:
            self.status.setText(_("Saved as {file}", file=str(target)))

    def print_report(self) -> None:
        if self.report is None:
            return
        from ui.printing import print_dialog, print_service_available

        if print_service_available():
            self._print_through_service(self.report)
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        a4_portrait(printer)
        printer.setDocName(self.default_name())
        dialog = print_dialog(printer, self)
        dialog.setMinMax(1, self.document.pageCount())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        pages = print_pdf(self.document, printer)
        self.status.setText(ngettext("{pages} page sent to the printer.",
                                     "{pages} pages sent to the printer.", pages, pages=pages))

    def _print_through_service(self, report: MonthlyReport) -> None:
        """A4 pages on A4 paper whatever the queue's default; refusals and holds told."""
        from app.printing import desk_printers
        from app.printing.print_service import PrintOutcome, print_report_pdf
        from ui.printing import ask_printer
        from ui.tasks import run_task

        preferred = desk_printers.load(self.ctx.db.paths).report_printer
        answer = ask_printer(self, preferred, self.default_name())
        if answer is None:
            return
        printer, copies = answer
        pdf = report.path.read_bytes()
        actor = self.ctx.actor

        def done(outcome: PrintOutcome) -> None:
            held = outcome.held_message()
            if held is not None:
                messages.warn(self, held.message(), _("Report not printed yet"))
                self.status.setText(held.message())
                return
            self.status.setText(ngettext("{pages} page sent to the printer.",
                                         "{pages} pages sent to the printer.", outcome.pages,
                                         pages=outcome.pages))

        def failed(exc: BaseException) -> None:
            text = exc.message() if isinstance(exc, DeskError) else str(exc)
            messages.warn(self, _("The report was not printed: {reason}", reason=text),
                          _("Report not printed"))
            self.status.setText(_("The report was not printed: {reason}", reason=text))

        run_task(lambda: print_report_pdf(self.ctx.db, pdf, report.month, report.lang,
                                          printer=printer, copies=copies, actor=actor),
                 done, failed)

    # Language -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.report_box.setTitle(_("Monthly complaint summary"))
        self.month_label.setText(_("Month"))
        self.lang_label.setText(_("Language of the report"))
        self.build_button.setText(_("Build report"))
        self.cancel_button.setText(_("Cancel"))
        self.print_button.setText(_("Print…"))
        self.save_button.setText(_("Save as…"))
        self.placeholder.setText(
            _("Choose a month and press \"Build report\" to see the report here.")
            if self.allowed() else _("Reports are for supervisors."))
        self.month.retranslate()
        self.exports.retranslate()
        layout = self.panel.layout()
        assert layout is not None
        layout.activate()
        self.panel.setFixedWidth(max(PANEL_WIDTH, layout.minimumSize().width()))
        if self.report is not None and not (self.job is not None and self.job.running):
            self._describe()
