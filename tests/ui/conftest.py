"""UI test fixtures: the application's names, the shipped font, a DeskContext on a fresh db."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

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
