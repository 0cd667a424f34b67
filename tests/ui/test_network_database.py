"""The window at start on a database file on a network drive (issue 23): the Database dialog
opens with the reason, instead of a start that would call the file damaged."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app import network_drive
from ui.database_dialog import DatabaseDialog, location_at_start, remembered_location


def _on_a_share(monkeypatch: pytest.MonkeyPatch, share: Path) -> None:
    monkeypatch.setattr(network_drive, "on_network_drive",
                        lambda path: Path(path).is_relative_to(share))


def test_the_window_offers_the_database_dialog_instead(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    share, local = tmp_path / "nas", tmp_path / "local"
    _on_a_share(monkeypatch, share)
    shown: list[str] = []

    def answer(self: DatabaseDialog) -> int:  # the user reads why, picks a file on this PC
        shown.append(self.result_label.text())
        self.set_location(str(local / "desk.db"))
        self.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DatabaseDialog, "exec", answer)
    assert location_at_start(str(share / "desk.db")) == (True, str(local / "desk.db"))
    assert len(shown) == 1 and "PostgreSQL" in shown[0]
    assert remembered_location() == str(local / "desk.db")  # QSettings in tmp_path (conftest)
