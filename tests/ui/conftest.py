"""UI test fixtures: the application's names, the shipped font, a DeskContext on a fresh db."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from app import db as db_module
from app.db import Database
from app.services.common import Actor
from ui.context import DeskContext
from ui.fonts import install_font


@pytest.fixture(autouse=True)
def qt_names_and_font(qapp: QApplication) -> Iterator[None]:
    """The application's names (QSettings' file name; its folder is the test's own, set by
    tests/conftest.py) and the shipped font."""
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


@pytest.fixture
def impatient(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The same database, opened by a program that waits 1 s for the write lock (not 30):
    a save while another program holds it ends "busy" within the test."""
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_S", 1)
    other = Database(db.paths)
    yield other
    other.dispose()
