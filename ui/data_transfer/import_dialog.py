"""Data ▸ Import…: a CSV or Excel file into complaints, for supervisors.

The steps: pick a file; see its first rows as read with the encoding, delimiter and date order
found; map each of our fields to a column (suggested from the header's names) and the coded
fields' values to our codes; a dry run lists the refused rows with line and reason; the import
runs with a progress bar and Cancel (nothing is written when cancelled). A mapping is saved
and loaded as the JSON the command line takes. Every rule is the engine's
(app/services/importing.py): the screen reads the file and runs the engine off the UI thread.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.atomic_files import atomic_write
from app.codes import field_label, label
from app.errors import DeskError
from app.i18n import N_, _, ngettext
from app.outputs import guard_output
from app.permissions import IMPORT, can, required_role
from app.services.csv_mapping import OPTIONS, read_mapping
from app.services.import_dates import DATE_ORDERS
from app.services.import_preview import (
    FilePreview,
    preview_file,
    suggest_mapping,
    suggest_time_column,
)
from app.services.importing import ImportCancelled, ImportResult, import_file
from app.services.text_encodings import CODECS
from ui.context import DeskContext
from ui.data_transfer.mapping_form import MappingForm, ValueTable, mapping_data
from ui.file_dialogs import get_open_file_name, get_save_file_name
from ui.tasks import run_task

LAST_DIR = "import/last_dir"
ORDER_NAMES = {"dmy": N_("day/month/year"), "mdy": N_("month/day/year"),
               "ymd": N_("year/month/day")}


class _Progress(QObject):
    """Carries the engine's progress from the worker thread to the GUI thread (queued)."""

    moved = Signal(int, int)


class ImportDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.ctx = ctx
        self.settings = settings or QSettings()
        self.path: Path | None = None
        self.preview: FilePreview | None = None
        self.outcome: ImportResult | None = None
        self.busy = False
        self.imported: str | None = None  # file + mapping of the last import: not twice
        self.cancel = threading.Event()
        self.relay = _Progress(self)
        self.relay.moved.connect(self._moved)

        self.file_button = QPushButton()
        self.file_button.setObjectName("import_choose")
        self.file_button.clicked.connect(self.choose_file)
        self.file_label = QLabel()
        self.sheet_label, self.sheet_combo = QLabel(), QComboBox()
        self.sheet_combo.setObjectName("import_sheet")
        self.sheet_combo.activated.connect(lambda _i: self.reload())
        self.encoding_label, self.encoding_combo = QLabel(), QComboBox()
        self.encoding_combo.setObjectName("import_encoding")
        self.encoding_combo.addItem("", "")
        for name in CODECS:
            self.encoding_combo.addItem(name, name)
        self.encoding_combo.activated.connect(lambda _i: self.reload())
        self.order_label, self.order_combo = QLabel(), QComboBox()
        self.order_combo.setObjectName("import_date_order")
        self.order_combo.addItem("", "")
        for order in DATE_ORDERS:
            self.order_combo.addItem("", order)
        self.info = QLabel()
        self.info.setObjectName("import_info")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table_model = QStandardItemModel(self)
        self.table = QTableView()
        self.table.setObjectName("import_preview")
        self.table.setModel(self.table_model)
        self.values = ValueTable()
        self.report = QPlainTextEdit()
        self.report.setObjectName("import_report")
        self.report.setReadOnly(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "")
        self.tabs.addTab(self.values, "")
        self.tabs.addTab(self.report, "")
        self.form = MappingForm()
        self.form.changed.connect(self._mapping_changed)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setMinimumWidth(340)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.progress = QProgressBar()
        self.progress.setObjectName("import_progress")
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setObjectName("import_status")
        self.status.setWordWrap(True)
        self.skip_bad = QCheckBox()
        self.skip_bad.setObjectName("import_skip_bad")
        self.load_button, self.save_button = QPushButton(), QPushButton()
        self.load_button.clicked.connect(self.load_mapping)
        self.save_button.clicked.connect(self.save_mapping)
        self.dry_button, self.import_button = QPushButton(), QPushButton()
        self.dry_button.setObjectName("import_dry_run")
        self.import_button.setObjectName("import_run")
        self.dry_button.clicked.connect(lambda: self.run(dry_run=True))
        self.import_button.clicked.connect(lambda: self.run(dry_run=False))
        self.cancel_button, self.close_button = QPushButton(), QPushButton()
        self.cancel_button.setObjectName("import_cancel")
        self.cancel_button.clicked.connect(self.cancel.set)
        self.close_button.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.file_button)
        top.addWidget(self.file_label, 1)
        for lab, combo in ((self.sheet_label, self.sheet_combo),
                           (self.encoding_label, self.encoding_combo),
                           (self.order_label, self.order_combo)):
            top.addWidget(lab)
            top.addWidget(combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.skip_bad)
        buttons.addWidget(self.dry_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(1180, 660)
        self.retranslate()
        self._enable()

    # ---- texts and state ---------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Import complaints"))
        self.file_button.setText(_("Choose a file…"))
        if self.path is None:
            self.file_label.setText(_("A CSV file or an Excel workbook (.xlsx)"))
        self.sheet_label.setText(_("Sheet:"))
        self.encoding_label.setText(_("Encoding:"))
        self.encoding_combo.setItemText(0, _("Found from the file"))
        self.order_label.setText(_("Date order:"))
        self.order_combo.setItemText(0, _("From the dates themselves"))
        for i, order in enumerate(DATE_ORDERS, start=1):
            self.order_combo.setItemText(i, _(ORDER_NAMES[order]))
        self.tabs.setTabText(0, _("File as read"))
        self.tabs.setTabText(1, _("Values"))
        self.tabs.setTabText(2, _("Check result"))
        self.skip_bad.setText(_("Import the good rows, skip refused ones"))
        self.load_button.setText(_("Load mapping…"))
        self.save_button.setText(_("Save mapping…"))
        self.dry_button.setText(_("Dry run"))
        self.import_button.setText(_("Import"))
        self.cancel_button.setText(_("Cancel"))
        self.close_button.setText(_("Close"))
        self.form.retranslate()
        self.values.retranslate()
        if not can(self.ctx.actor, IMPORT):
            self.status.setText(_("Importing needs the role: {role}",
                                  role=label("role", required_role(IMPORT))))

    def _enable(self) -> None:
        ready = (self.preview is not None and can(self.ctx.actor, IMPORT)
                 and bool(self.form.column_of("received_at"))
                 and bool(self.form.column_of("description")))
        for button in (self.dry_button, self.import_button):
            button.setEnabled(ready and not self.busy)
        if self.imported is not None and self.imported == self._what():
            self.import_button.setEnabled(False)  # a second click would import it again
        widget: QWidget
        for widget in (self.file_button, self.load_button, self.sheet_combo, self.encoding_combo,
                       self.order_combo, self.form, self.values, self.skip_bad):
            widget.setEnabled(not self.busy)
        self.save_button.setEnabled(self.preview is not None and not self.busy)
        self.cancel_button.setEnabled(self.busy)
        self.close_button.setEnabled(not self.busy)
        self.sheet_combo.setVisible(self.sheet_combo.count() > 0)
        self.sheet_label.setVisible(self.sheet_combo.count() > 0)

    def reject(self) -> None:
        if not self.busy:  # a running import finishes or is cancelled first
            super().reject()

    # ---- the file ----------------------------------------------------------------------------
    def ask_open_path(self, title: str, pattern: str) -> str:
        """The file the person picks (a method, so tests can answer it)."""
        folder = str(self.settings.value(LAST_DIR, str(Path.home())))
        name, _filter = get_open_file_name(self, title, folder, pattern)
        return name

    def ask_save_path(self, title: str, pattern: str, suggested: str) -> str:
        folder = Path(str(self.settings.value(LAST_DIR, str(Path.home()))))
        name, _filter = get_save_file_name(self, title, str(folder / suggested), pattern)
        return name

    def choose_file(self) -> None:
        name = self.ask_open_path(_("Choose the file to import"),
                                  _("CSV or Excel files (*.csv *.txt *.tsv *.xlsx);;"
                                    "All files (*)"))
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> None:
        self.settings.setValue(LAST_DIR, str(path.parent))
        self.path = path
        self.sheet_combo.clear()
        self.file_label.setText(str(path))
        self.reload(first=True)

    def reload(self, first: bool = False) -> None:
        if self.path is None or self.busy:
            return
        path = self.path
        sheet = None if first else (self.sheet_combo.currentText() or None)
        encoding = str(self.encoding_combo.currentData() or "") or None
        self._start(_("Reading {file}…", file=path.name))
        run_task(lambda: preview_file(path, sheet, encoding),
                 lambda preview: self._previewed(preview, first), self._failed)

    def _previewed(self, preview: FilePreview, first: bool) -> None:
        self._stop()
        self.preview = preview
        if preview.sheets and self.sheet_combo.count() == 0:
            self.sheet_combo.addItems(preview.sheets)
        if preview.sheet:
            self.sheet_combo.setCurrentText(preview.sheet)
        self.table_model.clear()
        self.table_model.setHorizontalHeaderLabels(preview.header)
        for row in preview.rows:
            self.table_model.appendRow([QStandardItem(text) for text in row])
        self.table.resizeColumnsToContents()
        kept = mapping_data(self.form, self.values, "", "") if not first else {}
        self.form.set_columns(preview)
        suggested: dict[str, Any] = dict(suggest_mapping(preview.header))
        time_column = suggest_time_column(preview.header, suggested.get("received_at", ""))
        if time_column:
            suggested["received_at"] = {"column": suggested["received_at"],
                                        "time_column": time_column}
        self.form.apply(kept or suggested)
        self._mapping_changed()
        self.tabs.setCurrentIndex(0)
        self.status.setText(_("{rows} rows read. Check the mapping, then make a dry run.",
                              rows=preview.row_count))

    def _describe(self) -> str:
        p = self.preview
        if p is None:
            return ""
        parts = []
        if p.encoding:
            parts.append(_("Encoding: {encoding}", encoding=p.encoding))
        if p.delimiter:
            shown = {"\t": _("tab"), ",": _("comma"), ";": _("semicolon"),
                     "|": _("vertical bar")}[p.delimiter]
            parts.append(_("Delimiter: {delimiter}", delimiter=shown))
        if p.sheet:
            parts.append(_("Sheet: {sheet}", sheet=p.sheet))
        parts.append(_("{rows} rows", rows=p.row_count))
        lines = [" · ".join(parts)]
        chosen = str(self.order_combo.currentData() or "")
        for key in ("received_at", "resolved_at", "closed_at", "occurred_at"):
            column = self.form.column_of(key)
            facts = next((c for c in p.columns if c.name == column), None)
            if facts is None:
                continue
            if chosen:
                lines.append(_("Dates of \"{column}\": {order} (chosen)", column=column,
                               order=_(ORDER_NAMES[chosen])))
            elif facts.date_order:
                lines.append(_("Dates of \"{column}\": {order} (found from its values)",
                               column=column, order=_(ORDER_NAMES[facts.date_order])))
            elif facts.date_question:
                lines.append(_("Dates of \"{column}\": {question}", column=column,
                               question=facts.date_question))
        return "\n".join(lines)

    def _mapping_changed(self) -> None:
        if self.preview is not None:
            columns = {key: self.form.column_of(key) for key in self.form.combos}
            self.values.fill(self.preview, columns, self.values.value_maps())
        self.info.setText(self._describe())
        self._enable()

    # ---- mapping files -----------------------------------------------------------------------
    def mapping(self) -> dict[str, Any]:
        """The mapping JSON the screen shows (what `import csv --mapping` reads)."""
        return mapping_data(self.form, self.values, str(self.order_combo.currentData() or ""),
                            str(self.encoding_combo.currentData() or ""))

    def load_mapping(self) -> None:
        name = self.ask_open_path(_("Load a mapping"), _("Mapping files (*.json)"))
        if not name:
            return
        try:
            data = read_mapping(Path(name))
        except DeskError as e:
            self.status.setText(e.message())
            return
        self.apply_mapping(data)
        missing = self.missing_columns(data)
        self.status.setText(_("Mapping loaded from {file}", file=Path(name).name) if not missing
                            else _("Mapping loaded from {file}; this file has no column {columns}",
                                   file=Path(name).name, columns=", ".join(missing)))

    def missing_columns(self, data: dict[str, Any]) -> list[str]:
        """Columns the mapping names that the file (as read now) does not have."""
        header = set(self.preview.header) if self.preview else set()
        named = []
        for key, value in data.items():
            if key in OPTIONS:
                continue
            if isinstance(value, str):
                named.append(value)
            elif isinstance(value, dict):
                named += [str(value[k]) for k in ("column", "time_column") if value.get(k)]
        return [f"\"{c}\"" for c in dict.fromkeys(named) if c not in header]

    def apply_mapping(self, data: dict[str, Any]) -> None:
        self.order_combo.setCurrentIndex(max(0, self.order_combo.findData(
            data.get("date_order", ""))))
        encoding = str(data.get("encoding", ""))
        index = self.encoding_combo.findData(encoding) if encoding else 0
        if encoding and index < 0:
            self.encoding_combo.addItem(encoding, encoding)
            index = self.encoding_combo.count() - 1
        reread = index != self.encoding_combo.currentIndex()
        self.encoding_combo.setCurrentIndex(index)
        self.form.apply(data)
        self._mapping_changed()
        for key, spec in data.items():
            if isinstance(spec, dict) and isinstance(spec.get("values"), dict):
                for value, code in spec["values"].items():
                    self.values.set_code(key, str(value), str(code))
        if reread:
            self.reload()

    def save_mapping(self) -> None:
        stem = self.path.stem if self.path else "mapping"
        name = self.ask_save_path(_("Save the mapping"), _("Mapping files (*.json)"),
                                  f"{stem}-mapping.json")
        if not name:
            return
        text = json.dumps(self.mapping(), ensure_ascii=False, indent=2) + "\n"
        try:
            # A name the person typed: never onto the database, its folder or a backup.
            with atomic_write(guard_output(self.ctx.db, name)) as fh:
                fh.write(text.encode("utf-8"))
        except (OSError, DeskError) as e:
            self.status.setText(e.message() if isinstance(e, DeskError) else str(e))
            return
        self.status.setText(_("Mapping saved to {file}", file=Path(name).name))

    def _what(self) -> str:
        return json.dumps([str(self.path), self.mapping()], sort_keys=True, ensure_ascii=False)

    # ---- dry run and import ------------------------------------------------------------------
    def run(self, dry_run: bool) -> None:
        if self.path is None or self.busy or not can(self.ctx.actor, IMPORT):
            return
        db, actor, path, mapping = self.ctx.db, self.ctx.actor, self.path, self.mapping()
        sheet = self.preview.sheet if self.preview else None
        skip_bad = self.skip_bad.isChecked()
        cancel, relay = self.cancel, self.relay
        cancel.clear()

        def progress(done: int, total: int) -> None:
            if cancel.is_set():
                raise ImportCancelled
            relay.moved.emit(done, total)

        self._start(_("Checking {file}…", file=path.name) if dry_run
                    else _("Importing {file}…", file=path.name))
        self.progress.setVisible(True)
        self.progress.setValue(0)
        run_task(lambda: import_file(db, path, mapping, sheet=sheet, dry_run=dry_run,
                                     skip_bad=skip_bad, actor=actor, progress=progress),
                 self._done, self._failed, write=not dry_run)

    def _moved(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _done(self, result: ImportResult) -> None:
        self._stop()
        self.outcome = result
        lines = []
        if result.dry_run:
            lines.append(ngettext("Dry run, nothing written: {ready} row can be imported, "
                                  "already present {duplicates}, refused {refused}",
                                  "Dry run, nothing written: {ready} rows can be imported, "
                                  "already present {duplicates}, refused {refused}",
                                  result.ready, ready=result.ready,
                                  duplicates=result.duplicates, refused=len(result.problems)))
        else:
            lines.append(_("Imported {added}, already present {duplicates}, refused {refused}",
                           added=result.added, duplicates=result.duplicates,
                           refused=len(result.problems)))
            if result.problems and not result.added:
                lines.append(_("Nothing was imported: fix the refused rows, or tick \"{skip}\"",
                               skip=self.skip_bad.text()))
        if result.new_values:
            lines.append(_("New list values:"))
            lines.extend(f"  {field_label(kind)}: {text}" for kind, text in result.new_values)
        if result.problems:
            lines.append(_("Refused rows:"))
            lines.extend(result.problems)
        self.report.setPlainText("\n".join(lines))
        self.tabs.setCurrentWidget(self.report)
        self.status.setText(lines[0])
        if result.added:
            self.imported = self._what()
            self._enable()
            self.ctx.signals.data_changed.emit("")

    def _failed(self, error: BaseException) -> None:
        self._stop()
        text = error.message() if isinstance(error, DeskError) else str(error)
        if isinstance(error, DeskError) and not isinstance(error, ImportCancelled):
            self.report.setPlainText(text)
            self.tabs.setCurrentWidget(self.report)
        self.status.setText(text)

    def _start(self, text: str) -> None:
        self.busy = True
        self.status.setText(text)
        self._enable()

    def _stop(self) -> None:
        self.busy = False
        self.progress.setVisible(False)
        self._enable()


def open_import_dialog(ctx: DeskContext, parent: QWidget | None = None) -> ImportDialog:
    dialog = ImportDialog(ctx, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
