"""At start, when the database file is damaged: say so plainly and offer the latest good backup.

The damaged file is never overwritten: restoring moves it aside (the dialog says where) and
puts the checked backup in its place. The restore runs off the UI thread with a progress bar.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.damage import DamagedDatabase
from app.formatting import complaint_count
from app.i18n import _
from app.paths import Paths
from app.services.backup_info import BackupInfo, human_size
from app.services.common import SYSTEM
from app.services.restore import RestoreResult, latest_good_backup, restore_backup
from ui import file_dialogs
from ui.tasks import run_task


class _Progress(QObject):
    changed = Signal(float, str)


def describe_backup(info: BackupInfo) -> str:
    return _("{time} · {complaints} · {size} · program version {version}",
             time=f"{info.made_at:%Y-%m-%d %H:%M}", complaints=complaint_count(info.complaints),
             size=human_size(info.size), version=info.version)


class DamagedDialog(QDialog):
    """accept() once a backup was restored (the caller opens the database again)."""

    def __init__(self, error: DamagedDatabase, paths: Paths, parent: QWidget | None = None,
                 latest: BackupInfo | None = None) -> None:
        super().__init__(parent)
        self.error, self.paths = error, paths
        self.latest = latest if latest is not None else latest_good_backup(paths)
        self.result_info: RestoreResult | None = None
        self.busy = False
        self._progress = _Progress(self)
        self._progress.changed.connect(self._on_progress)

        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = QLabel()
        self.title.setObjectName("title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_box = QFrame()
        self.backup_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.backup_title = QLabel()
        self.backup_text = QLabel()
        self.backup_text.setWordWrap(True)
        self.backup_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box = QVBoxLayout(self.backup_box)
        box.addWidget(self.backup_title)
        box.addWidget(self.backup_text)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.restore_button = QPushButton()
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore_latest)
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self.choose_file)
        self.quit_button = QPushButton()
        self.quit_button.clicked.connect(self.reject)

        text_column = QVBoxLayout()
        text_column.addWidget(self.title)
        text_column.addWidget(self.body)
        text_column.addWidget(self.backup_box)
        text_column.addWidget(self.progress)
        text_column.addWidget(self.status)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text_column, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.setMinimumWidth(620)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Complaint Desk"))
        self.title.setText(_("The database cannot be opened"))
        self.body.setText(
            _("The file {path} is damaged: {reason}.", path=str(self.error.path),
              reason=self.error.diagnosis.text()) + "\n\n"
            + _("The file has been left exactly as it is. If you restore a backup, the damaged "
                "file is kept beside it (renamed to \"{name}.damaged-…\") so that nothing is "
                "lost.", name=self.error.path.name))
        if self.latest is not None:
            self.backup_title.setText(_("Latest good backup"))
            self.backup_text.setText(f"{describe_backup(self.latest)}\n{self.latest.path}")
        else:
            self.backup_title.setText(_("No backup was found for this database."))
            self.backup_text.setText(_("Choose a backup file if you have one (for example on "
                                       "a USB drive)."))
        self.restore_button.setText(_("Restore this backup"))
        self.restore_button.setEnabled(self.latest is not None and not self.busy)
        self.choose_button.setText(_("Choose another backup file…"))
        self.quit_button.setText(_("Quit"))

    def restore_latest(self) -> None:
        if self.latest is not None:
            self.restore_from(self.latest.path)

    def choose_file(self) -> None:
        path, _filter = file_dialogs.get_open_file_name(
            self, _("Choose a backup file"), str(self.paths.backups),
            _("Backups (*.zip *.db);;All files (*)"))
        if path:
            self.restore_from(Path(path))

    def restore_from(self, source: Path) -> None:
        """Start the restore in the background; accept() when it is done."""
        self._set_busy(True)
        self.status.setText(_("Restoring {file}…", file=source.name))
        emit = self._progress.changed.emit
        # As the system: nobody can sign in to a database that cannot be read.
        run_task(lambda: restore_backup(self.paths, source, SYSTEM, emit),
                 self._on_done, self._on_error, write=True)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        for button in (self.restore_button, self.choose_button, self.quit_button):
            button.setEnabled(not busy)
        if not busy:
            self.restore_button.setEnabled(self.latest is not None)

    def _on_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(fraction * 100))
        self.status.setText(text)

    def _on_done(self, result: RestoreResult) -> None:
        self.result_info = result
        self._set_busy(False)
        self.accept()

    def _on_error(self, error: BaseException) -> None:
        from app.errors import DeskError

        self._set_busy(False)
        text = error.message() if isinstance(error, DeskError) else str(error)
        self.status.setText(_("The backup was not restored: {reason}", reason=text))

    def reject(self) -> None:
        if not self.busy:  # a restore half-way must finish; Escape does not abandon it
            super().reject()


def offer_recovery(error: DamagedDatabase, paths: Paths) -> RestoreResult | None:
    """Show the dialog (modal); the restore's result, or None when the user quit."""
    dialog = DamagedDialog(error, paths, latest=None)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        return dialog.result_info
    return None

