"""Backup and restore from the window: the backup folder, the backups in it, a progress bar.

Backups and restores run off the UI thread (ui/tasks.run_task); a backup can be cancelled
between files. Only administrators may back up or restore (the services refuse otherwise;
the buttons say so up front).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.backup_places import backup_folder
from app.backup_rotation import KIND_BEFORE_MIGRATION, KIND_BEFORE_RESTORE, KIND_DAILY, KIND_MANUAL
from app.codes import label
from app.errors import DeskError
from app.formatting import attachment_count, complaint_count
from app.i18n import N_, _
from app.permissions import BACKUP, RESTORE, can, required_role
from app.services.backup_info import BackupInfo, human_size
from app.services.backups import create_backup, list_backups, set_backup_folder
from app.services.restore import BackupCheck, RestoreResult, check_backup, restore_backup
from ui import file_dialogs, messages
from ui.context import DeskContext
from ui.tasks import run_task
from ui.widgets.field_grid import ERROR_COLOUR
from ui.widgets.table_model import Column, TableModel

KIND_LABELS = {
    KIND_DAILY: N_("Daily"),
    KIND_MANUAL: N_("By hand"),
    KIND_BEFORE_MIGRATION: N_("Before an update"),
    KIND_BEFORE_RESTORE: N_("Before a restore"),
}
COLUMNS: tuple[Column[BackupInfo], ...] = (
    Column(N_("Made at"), lambda b: f"{b.made_at:%Y-%m-%d %H:%M}", tooltip=lambda b: str(b.path)),
    Column(N_("Kind"), lambda b: _(KIND_LABELS.get(b.kind, b.kind))),
    Column(N_("Complaint count"), lambda b: str(b.complaints), align_right=True),
    Column(N_("Attachment count"),
           lambda b: str(b.attachments) if b.includes_attachments else "—", align_right=True),
    Column(N_("Size"), lambda b: human_size(b.size), align_right=True),
    Column(N_("Program version"), lambda b: b.version),
    Column(N_("File"), lambda b: b.path.name),
)


class _Progress(QObject):
    changed = Signal(float, str)


class BackupDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.backups: list[BackupInfo] = []
        self.busy = False
        self._cancel = threading.Event()
        self._progress = _Progress(self)
        self._progress.changed.connect(self._on_progress)

        self.folder_label = QLabel()
        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        self.folder_button = QPushButton()
        self.folder_button.clicked.connect(self.change_folder)
        self.role_note = QLabel()
        self.role_note.setWordWrap(True)
        self.model: TableModel[BackupInfo] = TableModel(COLUMNS, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_button = QPushButton()
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button = QPushButton()
        self.file_button.clicked.connect(self.restore_file)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self._cancel.set)
        self.cancel_button.hide()
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label)
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.folder_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.file_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(folder_row)
        layout.addWidget(self.role_note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(860, 460)
        self.retranslate()
        self.refresh()

    @property
    def allowed(self) -> bool:
        return can(self.ctx.actor, BACKUP) and can(self.ctx.actor, RESTORE)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Backup and restore"))
        self.folder_label.setText(_("Backup folder:"))
        self.folder_button.setText(_("Change…"))
        self.role_note.setText("" if self.allowed else _(
            "Backup and restore need the role: {role}",
            role=label("role", required_role(BACKUP))))
        self.role_note.setVisible(not self.allowed)
        self.model.retranslate()
        self.backup_button.setText(_("Back up now"))
        self.restore_button.setText(_("Restore the selected backup…"))
        self.file_button.setText(_("Restore from a file…"))
        self.cancel_button.setText(_("Cancel"))
        self.close_button.setText(_("Close"))
        self._fill()
        self._enable()

    def refresh(self) -> None:
        try:
            self.folder_edit.setText(str(backup_folder(self.ctx.db)))
            self.backups = list_backups(self.ctx.db)
        except DeskError as e:
            self.backups = []
            self.status.setText(e.message())
        self._fill()
        self._enable()

    def _fill(self) -> None:
        self.model.set_rows(self.backups)
        if self.backups:
            self.table.selectRow(0)

    def _enable(self) -> None:
        idle = not self.busy
        for button in (self.backup_button, self.file_button, self.folder_button):
            button.setEnabled(idle and self.allowed)
        self.restore_button.setEnabled(idle and self.allowed and bool(self.backups))
        self.close_button.setEnabled(idle)
        self.cancel_button.setVisible(self.busy)

    def _set_busy(self, busy: bool, cancellable: bool = False) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        self._enable()
        self.cancel_button.setVisible(busy and cancellable)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    # --- actions -------------------------------------------------------------------------

    def change_folder(self) -> None:
        folder = file_dialogs.get_existing_directory(self, _("Choose the backup folder"),
                                                  self.folder_edit.text())
        if not folder:
            return
        try:
            set_backup_folder(self.ctx.db, folder, self.ctx.actor)
        except DeskError as e:
            messages.warn(self, e.message())
            return
        self.refresh()

    def back_up_now(self) -> None:
        self._cancel.clear()
        self._set_busy(True, cancellable=True)
        self.status.setText(_("Making a backup…"))
        db, actor, emit, cancel = self.ctx.db, self.ctx.actor, self._progress.changed.emit, \
            self._cancel.is_set
        run_task(lambda: create_backup(db, actor=actor, progress=emit, cancelled=cancel),
                 self._backup_done, self._failed)

    def restore_selected(self) -> None:
        info = self.selected()
        if info is not None and self.allowed and not self.busy:
            self._confirm_and_restore(info.path, f"{info.made_at:%Y-%m-%d %H:%M}")

    def restore_file(self) -> None:
        path, _filter = file_dialogs.get_open_file_name(
            self, _("Choose a backup file"), self.folder_edit.text(),
            _("Backups (*.zip *.db);;All files (*)"))
        if path:
            self._confirm_and_restore(Path(path), Path(path).name)

    def _confirm_and_restore(self, source: Path, what: str) -> None:
        """Check the backup first (off the UI thread); ask to replace everything only about a
        backup that can be restored; a refused one is shown as the error it is."""
        self._set_busy(True)
        self.status.setStyleSheet("")
        self.status.setText(_("Checking the backup…"))
        paths, actor = self.ctx.db.paths, self.ctx.actor
        run_task(lambda: check_backup(paths, source, actor),
                 lambda checked: self._checked(source, what, checked), self._refused)

    def _checked(self, source: Path, what: str, checked: BackupCheck) -> None:
        self._set_busy(False)
        self.status.setText("")
        if not messages.ask(self, _(
                "Replace all current data with the backup of {what} ({complaints})?\n\nA copy "
                "of the current data is kept first, so this can be undone.", what=what,
                complaints=complaint_count(checked.complaints))):
            return
        self._set_busy(True)
        self.status.setText(_("Restoring {file}…", file=source.name))
        paths, actor, emit = self.ctx.db.paths, self.ctx.actor, self._progress.changed.emit
        run_task(lambda: restore_backup(paths, source, actor, emit), self._restore_done,
                 self._failed, write=True)

    def _refused(self, error: BaseException) -> None:
        self._set_busy(False)
        text = error.message() if isinstance(error, DeskError) else str(error)
        self.status.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.status.setText(text)
        messages.error(self, _("This backup cannot be restored: {reason}\n\nNothing was "
                               "changed.", reason=text))

    # --- results (GUI thread) ------------------------------------------------------------

    def _on_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(fraction * 100))
        self.status.setText(text)

    def _backup_done(self, info: BackupInfo) -> None:
        self._set_busy(False)
        self.status.setStyleSheet("")
        self.refresh()
        text = _("Backup written: {file} ({complaints}, {attachments}, {size})",
                 file=str(info.path), complaints=complaint_count(info.complaints),
                 attachments=attachment_count(info.attachments), size=human_size(info.size))
        self.status.setText(f"{text}\n{info.note}" if info.note else text)

    def _restore_done(self, result: RestoreResult) -> None:
        self._set_busy(False)
        self.status.setStyleSheet("")
        self.refresh()
        kept = _("The data it replaced is kept in {file}", file=str(result.kept)) \
            if result.kept else ""
        self.status.setText(_("Restored: {complaints}.",
                              complaints=complaint_count(result.complaints))
                            + (f"\n{kept}" if kept else ""))
        self.ctx.signals.data_changed.emit("")

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        text = error.message() if isinstance(error, DeskError) else str(error)
        self.status.setStyleSheet(f"color: {ERROR_COLOUR};")  # a failure looks like one
        self.status.setText(text)

    def reject(self) -> None:
        if not self.busy:
            super().reject()


def open_backup_dialog(ctx: DeskContext, parent: QWidget | None = None) -> BackupDialog:
    dialog = BackupDialog(ctx, parent)
    ctx.signals.language_changed.connect(lambda _lang: dialog.retranslate())
    dialog.open()
    return dialog
