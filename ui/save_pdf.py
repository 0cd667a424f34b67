"""Save as… for a PDF the window has made (the monthly report, the shift hand-over sheet): the
user names the file, `write` puts it there (through the output guard and app/atomic_files.py),
and a refusal or a failure is said in a message box, naming the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from app.errors import DeskError
from app.i18n import _
from ui import file_dialogs, messages


def save_pdf_as(parent: QWidget, settings: QSettings, last_dir_key: str, caption: str,
                default_name: str, write: Callable[[Path], object]) -> Path | None:
    """Ask where (starting in the folder used last), write there; the file written, or None
    when the user cancelled or it could not be written (said already)."""
    folder = str(settings.value(last_dir_key, str(Path.home())))
    name, _filter = file_dialogs.get_save_file_name(
        parent, caption, str(Path(folder) / default_name), _("PDF files (*.pdf)"))
    if not name:
        return None
    target = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
    try:
        write(target)
    except DeskError as e:  # refused by the output guard; FileInUse (Windows) names the file
        messages.warn(parent, e.message())
        return None
    except OSError as e:
        messages.warn(parent, _("Cannot write {file}: {reason}", file=target.name,
                                reason=e.strerror or str(e)))
        return None
    settings.setValue(last_dir_key, str(target.parent))
    return target
