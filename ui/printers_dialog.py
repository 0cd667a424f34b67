"""Data ▸ Printers on this PC…: the slip printer and format, the report printer, and whether
slips go to the printer without the print dialog, each printer tried with a test page.

The choices belong to this PC (app/printing/desk_printers.py), so any signed-in user may set
them: a clerk at a counter whose printer was replaced should not wait for a supervisor.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.codes import choices
from app.errors import DeskError
from app.i18n import _
from app.printing import desk_printers
from app.printing.desk_printers import DeskPrinters
from app.printing.print_service import PrintOutcome, print_system, print_test_page
from ui import messages
from ui.context import DeskContext
from ui.tasks import run_task

DEFAULT = ""  # the combo's data for "the system's default printer"


class PrintersDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Printers on this PC"))
        chosen = desk_printers.load(ctx.db.paths)
        try:
            names = print_system().printers()
            self.problem = ""
        except DeskError as e:
            names, self.problem = [], e.message()
        self.slip_printer = self._printer_combo(names, chosen.slip_printer)
        self.report_printer = self._printer_combo(names, chosen.report_printer)
        self.slip_format = QComboBox()
        self.slip_format.addItem(_("As the desk's setting"), "")
        for code, name in choices("slip_format"):
            self.slip_format.addItem(name, code)
        self.slip_format.setCurrentIndex(max(0, self.slip_format.findData(chosen.slip_format)))
        self.without_dialog = QCheckBox(_("Print slips without the print dialog "
                                          "(Ctrl+Shift+P still shows it)"))
        self.without_dialog.setChecked(chosen.print_without_dialog)
        self.status = QLabel(self.problem)
        self.status.setWordWrap(True)

        slip_test, report_test = QPushButton(_("Test page")), QPushButton(_("Test page"))
        slip_test.clicked.connect(lambda: self.test(self.slip_printer, self._format()))
        report_test.clicked.connect(lambda: self.test(self.report_printer, "a4"))
        form = QFormLayout()
        form.addRow(_("Slip printer"), _row(self.slip_printer, slip_test))
        form.addRow(_("Slip format"), self.slip_format)
        form.addRow("", self.without_dialog)
        form.addRow(_("Report printer"), _row(self.report_printer, report_test))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def _printer_combo(self, names: list[str], current: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(_("The system's default printer"), DEFAULT)
        for name in names:
            combo.addItem(name, name)
        if current and combo.findData(current) < 0:
            combo.addItem(_("{printer} (not found now)", printer=current), current)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        return combo

    def _format(self) -> str:
        from app.printing.print_service import slip_format

        return str(self.slip_format.currentData()) or slip_format(self.ctx.db)

    def choices(self) -> DeskPrinters:
        return DeskPrinters(slip_printer=str(self.slip_printer.currentData()),
                            slip_format=str(self.slip_format.currentData()),
                            report_printer=str(self.report_printer.currentData()),
                            print_without_dialog=self.without_dialog.isChecked())

    def test(self, combo: QComboBox, fmt: str) -> None:
        """A test page of `fmt`'s size on the printer chosen in `combo`."""
        printer = str(combo.currentData()) or print_system().default_printer() or ""
        paths = self.ctx.db.paths
        self.status.setText(_("Printing a test page on {printer}…", printer=printer))

        def done(outcome: PrintOutcome) -> None:
            held = outcome.held_message()
            self.status.setText(held.message() if held is not None else _(
                "Test page sent to {printer}: its ruler must measure 50 mm.",
                printer=outcome.printer))

        def failed(exc: BaseException) -> None:
            text = exc.message() if isinstance(exc, DeskError) else str(exc)
            self.status.setText(text)
            messages.warn(self, text)

        run_task(lambda: print_test_page(paths, printer, fmt), done, failed)

    def save(self) -> None:
        try:
            desk_printers.save(self.ctx.db.paths, self.choices())
        except (DeskError, OSError) as e:
            messages.warn(self, e.message() if isinstance(e, DeskError) else str(e))
            return
        self.accept()


def _row(combo: QComboBox, button: QPushButton) -> QWidget:
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(combo, 1)
    row.addWidget(button)
    return holder


def install_action(window: QMainWindow, ctx: DeskContext) -> QAction:
    """"Printers on this PC…" in the window's Data menu."""
    menu = window.findChild(QMenu, "menu_data") or window.findChild(QMenu, "menu_database")
    if menu is None:
        menu = window.menuBar().addMenu(_("&Data"))
    action = QAction(window)
    action.setObjectName("action_printers")
    action.triggered.connect(lambda: PrintersDialog(ctx, window).exec())
    menu.addAction(action)

    def retranslate(_lang: str = "") -> None:
        action.setText(_("Printers on this PC…"))

    retranslate()
    ctx.signals.language_changed.connect(retranslate)
    return action
