"""File dialogs that never open the files they list. Every file dialog of the window goes here.

Qt's own file dialog lists a folder through QFileSystemModel, whose icon provider asks
QMimeDatabase for each file's type and icon; for a name its globs do not settle (`*.db-wal`,
`*.db-shm`, often `*.db`) QMimeDatabase opens the file and reads its first bytes. On POSIX that
open and close releases every SQLite lock this process holds on the database (see
../shared/PLATFORM.md, "SQLite in a program with file dialogs"): browsing the data folder let
another process delete the WAL the window was writing into. GTK's native dialog does the same
through GIO, in this process too. So on POSIX the window uses Qt's dialog with an icon provider
that judges a file by its name only; on Windows, where locks belong to their handle, the native
dialog stays.

The functions have the shapes of QFileDialog's static ones (tests patch them here).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QDir, QFileInfo, QMimeDatabase, QMimeType
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget

Option = QFileDialog.Option
NO_OPTIONS = Option(0)
NATIVE = os.name == "nt"  # Windows: closing a handle releases no other handle's lock


class NameOnlyIcons(QFileIconProvider):
    """Icons and type names from the file's name alone: nothing is opened to sniff it."""

    def __init__(self) -> None:
        super().__init__()
        self._mimes = QMimeDatabase()
        self.setOptions(QAbstractFileIconProvider.Option.DontUseCustomDirectoryIcons)

    def icon(self, what: QFileInfo | QAbstractFileIconProvider.IconType) -> QIcon:
        if not isinstance(what, QFileInfo):
            return super().icon(what)
        kind = QAbstractFileIconProvider.IconType
        if what.isDir():
            return super().icon(kind.Folder)
        themed = QIcon.fromTheme(self._mime(what).iconName())
        return themed if not themed.isNull() else super().icon(kind.File)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return super().type(info)
        mime = self._mime(info)
        return str(mime.comment() or mime.name())

    def _mime(self, info: QFileInfo) -> QMimeType:
        return self._mimes.mimeTypeForFile(info, QMimeDatabase.MatchMode.MatchExtension)


_ICONS: NameOnlyIcons | None = None


def _icons() -> NameOnlyIcons:
    global _ICONS
    if _ICONS is None:  # outlives every dialog that uses it (Qt does not own it)
        _ICONS = NameOnlyIcons()
    return _ICONS


def make_dialog(parent: QWidget | None, caption: str, start: str, name_filter: str = "",
                options: QFileDialog.Option = NO_OPTIONS) -> QFileDialog:
    """Qt's dialog set to name-only icons before it lists any folder, then sent to `start`
    (a folder, or a file name whose folder it opens with the name filled in)."""
    # Built at the root, listing nothing of ours before the icon provider is in place.
    dialog = QFileDialog(parent, caption, QDir.rootPath(), name_filter)
    dialog.setOptions(options | Option.DontUseNativeDialog)
    dialog.setIconProvider(_icons())
    target = Path(start) if start else Path.cwd()
    if target.is_dir():
        dialog.setDirectory(str(target))
    else:
        dialog.setDirectory(str(target.parent if str(target.parent) else Path.cwd()))
        if target.name:
            dialog.selectFile(target.name)
    return dialog


def _run(dialog: QFileDialog) -> list[str]:
    return dialog.selectedFiles() if dialog.exec() == QFileDialog.DialogCode.Accepted else []


def get_save_file_name(parent: QWidget | None, caption: str = "", start: str = "",
                       name_filter: str = "", options: QFileDialog.Option = NO_OPTIONS
                       ) -> tuple[str, str]:
    if NATIVE:
        return QFileDialog.getSaveFileName(parent, caption, start, name_filter, options=options)
    dialog = make_dialog(parent, caption, start, name_filter, options)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    chosen = _run(dialog)
    return (chosen[0], dialog.selectedNameFilter()) if chosen else ("", "")


def get_open_file_name(parent: QWidget | None, caption: str = "", start: str = "",
                       name_filter: str = "") -> tuple[str, str]:
    if NATIVE:
        return QFileDialog.getOpenFileName(parent, caption, start, name_filter)
    dialog = make_dialog(parent, caption, start, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    chosen = _run(dialog)
    return (chosen[0], dialog.selectedNameFilter()) if chosen else ("", "")


def get_open_file_names(parent: QWidget | None, caption: str = "", start: str = "",
                        name_filter: str = "") -> tuple[list[str], str]:
    if NATIVE:
        return QFileDialog.getOpenFileNames(parent, caption, start, name_filter)
    dialog = make_dialog(parent, caption, start, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return _run(dialog), dialog.selectedNameFilter()


def get_existing_directory(parent: QWidget | None, caption: str = "", start: str = "") -> str:
    if NATIVE:
        return QFileDialog.getExistingDirectory(parent, caption, start)
    dialog = make_dialog(parent, caption, start, options=Option.ShowDirsOnly)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    chosen = _run(dialog)
    return chosen[0] if chosen else ""
