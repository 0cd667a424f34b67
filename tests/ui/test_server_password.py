"""The Database dialog keeps a server password out of QSettings: in the credential store, or
in a file only this user can read, and says which; an older setting with the password in it
is moved out at the next start."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from PySide6.QtCore import QSettings, QThreadPool
from pytestqt.qtbot import QtBot

from app.credentials import password_file, password_for
from app.paths import ENV_DB
from tests.unit.test_credentials import MemoryStore
from ui import database_dialog, messages
from ui.database_dialog import SETTINGS_KEY, DatabaseDialog, chosen_location

SERVER = "postgresql+psycopg://desk:pa%40ss%E5%AF%86@127.0.0.1:1/complaints"
ADDRESS = "postgresql+psycopg://desk@127.0.0.1:1/complaints"


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(ENV_DB, raising=False)
    monkeypatch.setattr(messages, "ask", lambda *_a, **_k: True)
    yield
    QThreadPool.globalInstance().waitForDone(10000)


def accept_server(qtbot: QtBot) -> tuple[DatabaseDialog, list[str]]:
    told: list[str] = []
    dialog = DatabaseDialog(None)
    qtbot.addWidget(dialog)
    dialog.set_location(SERVER)
    dialog.accept()
    return dialog, told


def settings_text() -> str:
    settings = QSettings()
    settings.sync()
    return open(settings.fileName(), encoding="utf-8").read()


def test_without_a_store_the_password_goes_to_a_private_file_and_the_dialog_says_so(
        qtbot: QtBot) -> None:
    dialog, _told = accept_server(qtbot)
    assert "only your user account can read" in dialog.password_note.text()
    assert str(password_file()) in dialog.password_note.text()
    assert dialog.stored is not None and dialog.stored.kind == "file"
    assert QSettings().value(SETTINGS_KEY) == ADDRESS
    assert "pa" not in settings_text().split("complaints")[0].split("desk")[1]
    assert password_for(ADDRESS) == "pa@ss密"
    assert chosen_location(None) == SERVER  # the next start has it back


def test_with_a_store_the_password_goes_there(qtbot: QtBot) -> None:
    store = MemoryStore()
    keyring.set_keyring(store)
    dialog, _told = accept_server(qtbot)
    assert dialog.stored is not None and dialog.stored.kind == "keyring"
    assert "The password is kept in" in dialog.password_note.text()
    assert list(store.entries.values()) == ["pa@ss密"]
    assert not password_file().exists()
    assert QSettings().value(SETTINGS_KEY) == ADDRESS


def test_the_menu_dialog_tells_where_the_password_went(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(MemoryStore())
    informed: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda _p, text, *_a: informed.append(text))

    def accept_now(self: DatabaseDialog) -> int:
        self.set_location(SERVER)
        self.accept()
        return int(DatabaseDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(DatabaseDialog, "exec", accept_now)
    assert database_dialog.open_database_dialog(None)
    assert len(informed) == 1 and "from its next start" in informed[0]
    assert "The password is kept in" in informed[0]


def test_a_password_left_in_the_settings_by_an_older_version_is_moved_out() -> None:
    QSettings().setValue(SETTINGS_KEY, SERVER)
    assert chosen_location(None) == SERVER
    assert QSettings().value(SETTINGS_KEY) == ADDRESS
    assert "pa%40ss" not in settings_text()
    assert password_for(ADDRESS) == "pa@ss密"
