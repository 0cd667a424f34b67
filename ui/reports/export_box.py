"""Export the chosen month's complaints as CSV (the `export csv` format) or Excel.

The files hold customers' names and phone numbers, so only supervisors may export.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.errors import DeskError
from app.i18n import _, ngettext
from app.permissions import EXPORT, can
from app.reports.month_export import export_month_csv, export_month_xlsx
from ui import file_dialogs, messages
from ui.context import DeskContext
from ui.reports.month_picker import LanguageCombo, MonthCombo
from ui.tasks import run_task

LAST_DIR = "reports/last_dir"


class ExportBox(QGroupBox):
    def __init__(self, ctx: DeskContext, month: MonthCombo, lang: LanguageCombo,
                 settings: QSettings) -> None:
        super().__init__()
        self.ctx, self.month, self.lang, self.settings = ctx, month, lang, settings
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.csv_button = QPushButton()
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.xlsx_button = QPushButton()
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.busy = False
        row = QHBoxLayout()
        row.addWidget(self.csv_button)
        row.addWidget(self.xlsx_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(row)
        self.ctx.signals.actor_changed.connect(self._enable)
        self.ctx.signals.actor_changed.connect(self.retranslate)
        self._enable()

    def _enable(self) -> None:
        allowed = can(self.ctx.actor, EXPORT) and not self.busy
        self.csv_button.setEnabled(allowed)
        self.xlsx_button.setEnabled(allowed)

    def export(self, kind: str) -> None:
        if not can(self.ctx.actor, EXPORT) or self.busy:
            return
        month = self.month.month()
        suffix, pattern = (".csv", _("CSV files (*.csv)")) if kind == "csv" else (
            ".xlsx", _("Excel workbooks (*.xlsx)"))
        folder = Path(str(self.settings.value(LAST_DIR, str(Path.home()))))
        name, _filter = file_dialogs.get_save_file_name(
            self, _("Export the complaints of {month}", month=self.month.currentText()),
            str(folder / f"{_('complaints')}-{month}{suffix}"), pattern)
        if not name:
            return
        target = Path(name) if name.lower().endswith(suffix) else Path(name + suffix)
        lang = self.lang.language()
        work: Callable[[], int]
        if kind == "csv":
            def work() -> int:
                return export_month_csv(self.ctx.db, month, target, actor=self.ctx.actor)
        else:
            def work() -> int:
                return export_month_xlsx(self.ctx.db, month, target, lang,
                                         actor=self.ctx.actor)
        self.busy = True
        self._enable()
        self.note.setText(_("Exporting…"))
        run_task(work, lambda n: self._done(n, target), self._failed)

    def _done(self, count: int, target: Path) -> None:
        self.busy = False
        self._enable()
        self.settings.setValue(LAST_DIR, str(target.parent))
        self.retranslate()
        messages.inform(self, ngettext("{count} complaint exported to {file}",
                                       "{count} complaints exported to {file}", count,
                                       count=count, file=str(target)))

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self._enable()
        self.retranslate()
        text = error.message() if isinstance(error, DeskError) else str(error)
        messages.warn(self, text)

    def retranslate(self) -> None:
        self.setTitle(_("Export the month's complaints"))
        self.csv_button.setText(_("Export CSV…"))
        self.xlsx_button.setText(_("Export Excel…"))
        if not self.busy:
            self.note.setText(
                _("The complaints received in the chosen month, with customers' contact "
                  "details.") + " " + (_("Supervisors only.") if not can(self.ctx.actor, EXPORT)
                                       else ""))
