"""This PC's settings are an INI file, on Windows too, and each test has its own (issue 23):
tests never touch the user's settings or Windows' registry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from tests.cli_process import ROOT, clean_env
from ui import settings_file
from ui.settings_file import ENV_SETTINGS_DIR, configure_settings

PROGRAM = """
from PySide6.QtCore import QSettings
from ui.application import make_qapp
app = make_qapp()
settings = QSettings()
settings.setValue("ui/language", "zh-Hant")
settings.sync()
print(settings.fileName())
print(settings.format() == QSettings.Format.IniFormat)
"""


def test_a_test_reads_and_writes_its_own_settings_file(tmp_path: Path) -> None:
    settings = QSettings()
    assert settings.format() == QSettings.Format.IniFormat
    assert Path(settings.fileName()).is_relative_to(tmp_path)


def test_on_windows_the_settings_are_a_file_not_the_registry(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_SETTINGS_DIR)
    monkeypatch.setattr(settings_file.sys, "platform", "win32")
    QSettings.setDefaultFormat(QSettings.Format.NativeFormat)  # Qt's default: the registry
    configure_settings()
    assert QSettings.defaultFormat() == QSettings.Format.IniFormat


def test_the_program_keeps_its_settings_where_it_is_told(tmp_path: Path) -> None:
    folder = tmp_path / "USB 盘" / "settings"
    env = clean_env(QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8",
                    **{ENV_SETTINGS_DIR: str(folder)})
    done = subprocess.run([sys.executable, "-c", PROGRAM], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr
    name, ini = done.stdout.splitlines()
    assert Path(name).is_relative_to(folder) and ini == "True"
    assert "zh-Hant" in Path(name).read_text(encoding="utf-8")
