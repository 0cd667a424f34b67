"""Where QSettings() keeps this PC's choices (window layout, language, database location).

An INI file on every system: Qt's native format on Windows is the registry, which tests cannot
redirect per test and which a counter's support person cannot copy or read; on Linux the native
format already is an INI file (`~/.config/ComplaintDesk/ComplaintDesk.conf`, kept where it is).
On Windows the file is `%APPDATA%\\ComplaintDesk\\ComplaintDesk.ini`.

$COMPLAINT_DESK_SETTINGS_DIR puts the file in another folder on every system (tests, and a
desk that runs from a USB stick).
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QSettings

ENV_SETTINGS_DIR = "COMPLAINT_DESK_SETTINGS_DIR"


def configure_settings() -> None:
    """Call before the first QSettings() (ui/application.make_qapp does)."""
    folder = os.environ.get(ENV_SETTINGS_DIR)
    if folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(QSettings.Format.IniFormat, scope, folder)
    elif sys.platform == "win32":
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
