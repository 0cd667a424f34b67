"""Data ▸ Export CSV…: the complaints received in a date range, in the `export csv` format
(app/services/exporting.export_csv), written off the UI thread. Supervisors only: the file
holds customers' names and phone numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.codes import label
from app.errors import DeskError
from app.i18n import _, ngettext
from app.permissions import EXPORT, can, required_role
from app.services.exporting import export_csv
from ui.context import DeskContext
from ui.file_dialogs import get_save_file_name
from ui.tasks import run_task

LAST_DIR = "export/last_dir"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class ExportDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.ctx = ctx
        self.settings = settings or QSettings()
        self.busy = False
        self.written: Path | None = None
        today = clock.now().date()
        self.all_time = QCheckBox()
        self.all_time.setObjectName("export_all")
        self.all_time.toggled.connect(self._enable)
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit, day in ((self.date_from, today.replace(day=1)), (self.date_to, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(_qdate(day))
        self.date_from.setObjectName("export_from")
        self.date_to.setObjectName("export_to")
        self.note, self.status = QLabel(), QLabel()
        self.note.setWordWrap(True)
        self.status.setObjectName("export_status")
        self.status.setWordWrap(True)
        self.export_button, self.close_button = QPushButton(), QPushButton()
        self.export_button.setObjectName("export_run")
        self.export_button.clicked.connect(self.export)
        self.close_button.clicked.connect(self.reject)
        form = QFormLayout()
        self.from_label, self.to_label = QLabel(), QLabel()
        form.addRow(self.from_label, self.date_from)
        form.addRow(self.to_label, self.date_to)
        form.addRow("", self.all_time)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(520, 260)
        self.retranslate()
        self._enable()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Export complaints as CSV"))
        self.note.setText(_("One row per complaint received in the range, UTF-8 with the "
                            "columns the import reads back. The file holds customers' names "
                            "and phone numbers: keep it safe."))
        self.from_label.setText(_("Received from:"))
        self.to_label.setText(_("Received to (included):"))
        self.all_time.setText(_("All complaints, whenever received"))
        self.export_button.setText(_("Export…"))
        self.close_button.setText(_("Close"))
        if not can(self.ctx.actor, EXPORT):
            self.status.setText(_("Exporting needs the role: {role}",
                                  role=label("role", required_role(EXPORT))))

    def _enable(self) -> None:
        ranged = not self.all_time.isChecked()
        self.date_from.setEnabled(ranged and not self.busy)
        self.date_to.setEnabled(ranged and not self.busy)
        self.export_button.setEnabled(can(self.ctx.actor, EXPORT) and not self.busy)
        self.close_button.setEnabled(not self.busy)

    def range(self) -> tuple[date | None, date | None]:
        if self.all_time.isChecked():
            return None, None
        return self.date_from.date().toPython(), self.date_to.date().toPython()  # type: ignore[return-value]

    def ask_save_path(self, suggested: str) -> str:
        """Where to write (a method, so tests can answer it)."""
        folder = Path(str(self.settings.value(LAST_DIR, str(Path.home()))))
        name, _filter = get_save_file_name(
            self, _("Export complaints as CSV"), str(folder / suggested),
            _("CSV files (*.csv)"))
        return name

    def export(self) -> None:
        if self.busy or not can(self.ctx.actor, EXPORT):
            return
        start, end = self.range()
        if start and end and end < start:
            self.status.setText(_("The end of the range is before its start"))
            return
        suggested = (f"complaints-{start:%Y%m%d}-{end:%Y%m%d}.csv" if start and end
                     else "complaints.csv")
        name = self.ask_save_path(suggested)
        if not name:
            return
        target = Path(name if name.lower().endswith(".csv") else name + ".csv")
        self.settings.setValue(LAST_DIR, str(target.parent))
        db, actor = self.ctx.db, self.ctx.actor
        self.busy = True
        self._enable()
        self.status.setText(_("Writing {file}…", file=target.name))
        run_task(lambda: export_csv(db, target, start, end, actor=actor),
                 lambda n: self._done(target, n), self._failed)

    def _done(self, target: Path, count: int) -> None:
        self.busy = False
        self.written = target
        self._enable()
        self.status.setText(ngettext("Exported {count} complaint to {file}",
                                     "Exported {count} complaints to {file}", count,
                                     count=count, file=str(target)))

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self._enable()
        self.status.setText(error.message() if isinstance(error, DeskError) else str(error))

    def reject(self) -> None:
        if not self.busy:
            super().reject()


def open_export_dialog(ctx: DeskContext, parent: QWidget | None = None) -> ExportDialog:
    dialog = ExportDialog(ctx, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
