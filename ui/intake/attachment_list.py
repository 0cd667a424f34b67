"""Attachments of the complaint being typed: picked with a file dialog or dropped onto the form;
shown in a list, removable; copied with their SHA-256 only when the complaint is saved."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from app.i18n import _
from app.services.attachments import check_file, limit_text
from ui import file_dialogs

PATH_ROLE = Qt.ItemDataRole.UserRole


def local_files(mime: QMimeData) -> list[Path]:
    """The local files in a drag (other URLs and plain text are not attachments)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class DropCatcher(QObject):
    """Files dragged onto any watched widget go to `on_files` (a text box would otherwise
    paste their paths): install it on the form and on every field of it."""

    DRAG_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)

    def __init__(self, on_files: Callable[[list[Path]], None], parent: QObject) -> None:
        super().__init__(parent)
        self.on_files = on_files

    def watch(self, widgets: Iterable[QWidget]) -> None:
        for widget in widgets:
            widget.setAcceptDrops(True)
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() not in self.DRAG_EVENTS:
            return False
        assert isinstance(event, QDropEvent)  # QDragEnterEvent and QDragMoveEvent derive
        files = local_files(event.mimeData())
        if not files:
            return False
        event.acceptProposedAction()
        if event.type() == QEvent.Type.Drop:
            self.on_files(files)
        return True


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class FileList(QListWidget):
    """The list itself: Delete removes the current file."""

    remove_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentItem():
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)


class AttachmentBox(QWidget):
    changed = Signal()
    problem = Signal(str)  # a file that cannot be attached (message in the current language)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = FileList()
        self.list.setMaximumHeight(80)
        self.list.remove_requested.connect(self.remove_current)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.pick)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QVBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        # The size limit per file, stated where files are added (app/services/attachments.py).
        self.limit_label = QLabel()
        self.limit_label.setObjectName("attachment_limit")
        self.limit_label.setStyleSheet("color: #555;")
        buttons.addWidget(self.limit_label)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.list.model().rowsInserted.connect(self._update)
        self.list.model().rowsRemoved.connect(self._update)
        self.retranslate()

    def retranslate(self) -> None:
        self.add_button.setText(_("Add file…"))
        self.add_button.setToolTip(_("Photos, receipts, recordings; or drop files on the form")
                                   + "\n" + limit_text())
        self.limit_label.setText(limit_text())
        self.remove_button.setText(_("Remove"))
        self.remove_button.setToolTip(_("Remove the selected file (Delete)"))
        self._update()

    def _update(self) -> None:
        self.remove_button.setEnabled(self.list.count() > 0)
        if self.list.count() == 0:
            self.list.setToolTip(_("No files yet: drop photos or receipts here"))
        else:
            self.list.setToolTip("")

    def paths(self) -> list[Path]:
        return [Path(self.list.item(i).data(PATH_ROLE)) for i in range(self.list.count())]

    def add_paths(self, paths: list[Path]) -> list[str]:
        """Add the files that can be attached; returns the problems of the others."""
        problems = []
        have = {p.resolve() for p in self.paths()}
        for path in paths:
            try:
                size = check_file(path)
            except ValidationError as e:
                problems.append(e.problem())
                continue
            if path.resolve() in have:
                continue
            have.add(path.resolve())
            item = QListWidgetItem(f"{path.name}  ({human_size(size)})")
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
            self.list.addItem(item)
        if paths:
            self.changed.emit()
        for text in problems:
            self.problem.emit(text)
        return problems

    def pick(self) -> None:
        names, _filter = file_dialogs.get_open_file_names(self, _("Attach files"))
        if names:
            self.add_paths([Path(n) for n in names])

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self.changed.emit()

    def clear(self) -> None:
        self.list.clear()
