"""The shift hand-over sheet (交接班单) from the window: Tools ▸ Shift hand-over sheet…
(Ctrl+Shift+H). Choose the day (today or later) and the language, see what waits, then print
it (through the print service at A4, app/printing; else Qt's print dialog), open it in the PDF
viewer or save it.

The sheet is made off the UI thread, after the escalation clock has run (so the open
escalations are those of now), by app/reports/handover.py, the same page `main.py handover`
writes.
"""

from __future__ import annotations

import re
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.atomic_files import FileInUse, write_bytes
from app.errors import DeskError
from app.formatting import join_list
from app.i18n import LANGUAGE_NAMES, N_, _, get_language, ngettext
from app.outputs import guard_output
from app.services.handover import SECTIONS, HandoverSheet
from ui import messages
from ui.context import DeskContext
from ui.save_pdf import save_pdf_as
from ui.shortcuts import keys
from ui.tasks import run_task
from ui.widgets.choice_combo import ChoiceCombo
from ui.widgets.field_grid import FieldGrid
from ui.widgets.qt_dates import qdate, to_date

SHORTCUT = keys("window.handover")
LAST_DIR = "handover/last_dir"
PART_NAMES = {"overdue": N_("overdue"), "due_today": N_("due on the day"),
              "escalations": N_("escalations open"), "approvals": N_("awaiting approval"),
              "revisits": N_("revisits due")}


def sheet_file(ctx: DeskContext, day: str) -> Path:
    """Where the window keeps the sheet it opens: <data folder>/handover/handover-<day>.pdf."""
    safe = re.sub(r"[^0-9-]", "_", day) or "today"
    return ctx.db.paths.data_dir / "handover" / f"handover-{safe}.pdf"


def _made(ctx: DeskContext, day: str, lang: str) -> tuple[bytes, HandoverSheet, dict[str, int]]:
    from app.reports.handover import handover_pdf
    from app.services.escalations import escalate_by_clock

    escalate_by_clock(ctx.db)  # the open escalations as of now
    return handover_pdf(ctx.db, day, lang, ctx.actor)


class HandoverDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handoverDialog")
        self.ctx = ctx
        self.pdf: bytes | None = None
        self.sheet: HandoverSheet | None = None
        self.making = self._again = False
        self.setMinimumWidth(520)
        today = clock.now().date()
        self.day = QDateEdit(qdate(today))
        self.day.setObjectName("handoverDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setMinimumDate(qdate(today))  # a past day's state is not kept
        self.language = ChoiceCombo()
        self.language.set_choices(list(LANGUAGE_NAMES.items()))
        self.language.set_code(get_language(), emit=False)
        self.grid = FieldGrid()
        self.grid.add("shift_day", self.day)
        self.grid.add("language", self.language, N_("Language"))
        self.status = QLabel()
        self.status.setObjectName("handoverStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.print_button = QPushButton()
        self.print_button.setObjectName("handoverPrint")
        self.open_button = QPushButton()
        self.save_button = QPushButton()
        for button in (self.print_button, self.open_button, self.save_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_sheet)
        self.open_button.clicked.connect(self.open_sheet)
        self.save_button.clicked.connect(self.save_sheet)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.day.dateChanged.connect(lambda _d: self.make())
        self.language.code_changed.connect(lambda _c: self.make())
        self.retranslate()
        self.make()

    def chosen_day(self) -> str:
        return to_date(self.day.date()).isoformat()

    def chosen_language(self) -> str:
        return self.language.code() or get_language()

    # ---- making the sheet ----------------------------------------------------------------
    def make(self) -> None:
        """Make the sheet for the day and language chosen (off the UI thread)."""
        self.pdf, self.sheet = None, None
        self._enable()
        if self.making:
            self._again = True
            return
        self.making, self._again = True, False
        self.status.setText(_("Making the sheet…"))
        ctx, day, lang = self.ctx, self.chosen_day(), self.chosen_language()
        run_task(lambda: _made(ctx, day, lang), lambda result: self._done(result, day, lang),
                 self._failed, write=True)

    def _done(self, result: tuple[bytes, HandoverSheet, dict[str, int]], day: str,
              lang: str) -> None:
        if not shiboken6.isValid(self):
            return
        self.making = False
        if self._again or day != self.chosen_day() or lang != self.chosen_language():
            self.make()  # the choice changed while it was being made
            return
        self.pdf, self.sheet, shown = result
        self.status.setText(self.describe(self.sheet, shown))
        self._enable()

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.making = False
        text = error.message() if isinstance(error, DeskError) else str(error)
        self.status.setText(_("The sheet could not be made: {reason}", reason=text))
        self._enable()

    @staticmethod
    def describe(sheet: HandoverSheet, shown: dict[str, int]) -> str:
        total = sum(len(sheet.sections.get(k, [])) for k in SECTIONS)
        if not total:
            return _("Nothing is waiting: the sheet says so.")
        parts = join_list(f"{_(PART_NAMES[k])} {len(sheet.sections[k])}" for k in SECTIONS
                          if sheet.sections.get(k))
        text = ngettext("{count} line waiting: {parts}.", "{count} lines waiting: {parts}.",
                        total, count=total, parts=parts)
        printed = sum(shown.values())
        if printed < total:
            text += " " + _("The page shows the {shown} most pressing; the queue and the "
                            "alerts list have them all.", shown=printed)
        return text

    def _enable(self) -> None:
        ready = self.pdf is not None
        for button in (self.print_button, self.open_button, self.save_button):
            button.setEnabled(ready)

    # ---- what to do with it --------------------------------------------------------------
    def print_sheet(self) -> None:
        if self.pdf is None or self.sheet is None:
            return
        from ui.printing import print_service_available

        if not print_service_available():
            # No print service (e.g. no CUPS): Qt's print dialog and QtPdf print the file.
            from ui.printing import print_pdf

            path = self._write_own_copy()
            if path is not None and print_pdf(path, self):
                self.status.setText(_("Sent to the printer."))
            return
        from app.printing import desk_printers
        from app.printing.print_service import PrintOutcome, print_handover_pdf
        from ui.printing import ask_printer

        preferred = desk_printers.load(self.ctx.db.paths).report_printer
        answer = ask_printer(self, preferred, _("Shift hand-over sheet"))
        if answer is None:
            return
        printer, copies = answer
        pdf, day, lang, db, actor = (self.pdf, self.sheet.day.isoformat(),
                                     self.chosen_language(), self.ctx.db, self.ctx.actor)

        def done(outcome: PrintOutcome) -> None:
            if not shiboken6.isValid(self):
                return
            held = outcome.held_message()
            if held is not None:
                messages.warn(self, held.message(), _("Sheet not printed yet"))
                self.status.setText(held.message())
                return
            self.status.setText(_("Sent to {printer}.", printer=outcome.printer))

        def failed(error: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            text = error.message() if isinstance(error, DeskError) else str(error)
            messages.warn(self, _("The sheet was not printed: {reason}", reason=text),
                          _("Sheet not printed"))
            self.status.setText(_("The sheet was not printed: {reason}", reason=text))

        run_task(lambda: print_handover_pdf(db, pdf, day, lang, printer=printer,
                                            copies=copies, actor=actor), done, failed)

    def _write_own_copy(self) -> Path | None:
        assert self.pdf is not None
        target = sheet_file(self.ctx, self.chosen_day())
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(target, self.pdf)
        except FileInUse:
            # Windows: the viewer still holds the earlier copy open; write one beside it.
            target = target.with_stem(f"{target.stem}-{clock.now():%H%M%S}")
            write_bytes(target, self.pdf)
        except OSError as e:
            messages.warn(self, _("Cannot write {file}: {reason}", file=target.name,
                                  reason=e.strerror or str(e)))
            return None
        return target

    def open_sheet(self) -> None:
        if self.pdf is None:
            return
        path = self._write_own_copy()
        if path is None:
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            messages.warn(self, _("No PDF viewer could open the sheet. It is saved as {path}",
                                  path=str(path)))

    def save_sheet(self) -> None:
        pdf, db = self.pdf, self.ctx.db
        if pdf is None:
            return
        # Never onto the database, its files folder or a backup (app/outputs.py).
        target = save_pdf_as(self, QSettings(), LAST_DIR, _("Save the hand-over sheet"),
                             f"handover-{self.chosen_day()}.pdf",
                             lambda path: write_bytes(guard_output(db, path), pdf))
        if target is not None:
            self.status.setText(_("Saved as {file}", file=str(target)))

    def retranslate(self) -> None:
        self.setWindowTitle(_("Shift hand-over sheet"))
        self.print_button.setText(_("Print…"))
        self.open_button.setText(_("Open as PDF"))
        self.save_button.setText(_("Save as…"))
        self.grid.retranslate()


def install_action(window: QMainWindow, ctx: DeskContext) -> QAction:
    """"Shift hand-over sheet…" (Ctrl+Shift+H) in the window's Tools menu."""
    menu = window.findChild(QMenu, "menu_tools")
    if menu is None:
        menu = window.menuBar().addMenu("")
        menu.setObjectName("menu_tools")
    action = QAction(window)
    action.setObjectName("action_handover")
    action.setShortcut(QKeySequence(SHORTCUT))
    action.triggered.connect(lambda: HandoverDialog(ctx, window).exec())
    menu.addAction(action)
    window.addAction(action)

    def retranslate(_lang: str = "") -> None:
        action.setText(_("Shift hand-over sheet…"))
        if not menu.title():
            menu.setTitle(_("&Tools"))

    retranslate()
    ctx.signals.language_changed.connect(retranslate)
    return action
