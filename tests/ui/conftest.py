"""UI test fixtures: QSettings in tmp_path, the shipped font, a DeskContext on a fresh db."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.db import Database
from app.services.common import Actor
from ui.context import DeskContext
from ui.fonts import install_font


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path: Path, qapp: QApplication) -> Iterator[None]:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "qsettings"))
    qapp.setOrganizationName("ComplaintDeskTest")
    qapp.setApplicationName("ComplaintDeskTest")
    install_font(qapp)
    yield


@pytest.fixture
def ctx(db: Database, clerk: Actor) -> DeskContext:
    return DeskContext(db=db, actor=clerk)


@pytest.fixture
def supervisor_ctx(db: Database, supervisor: Actor) -> DeskContext:
    return DeskContext(db=db, actor=supervisor)
