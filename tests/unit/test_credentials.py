"""The server password: the system's credential store, else a file only this user can read;
never in the settings file."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from app import credentials
from app.credentials import (
    FILE,
    KEYRING,
    password_file,
    password_for,
    save_password,
    with_password,
    without_password,
)

ROOT = Path(__file__).resolve().parents[2]
URL = "postgresql+psycopg://desk:s3cr%40t%E5%AF%86@192.168.1.10:5432/complaints"
ADDRESS = "postgresql+psycopg://desk@192.168.1.10:5432/complaints"


class MemoryStore(KeyringBackend):
    """A credential store in memory, standing in for Windows Credential Manager."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


def test_the_address_is_kept_without_its_password() -> None:
    assert without_password(URL) == (ADDRESS, "s3cr@t密")
    assert without_password(ADDRESS) == (ADDRESS, None)


def test_without_a_credential_store_a_file_only_this_user_can_read() -> None:
    stored = save_password(ADDRESS, "s3cr@t密")
    assert stored.kind == FILE and stored.where == str(password_file())
    assert "only your user account can read" in stored.describe()
    mode = stat.S_IMODE(password_file().stat().st_mode)
    if os.name == "posix":
        assert mode == 0o600
    assert password_for(ADDRESS) == "s3cr@t密"
    assert with_password(ADDRESS) == URL.replace("%40", "%40")  # the same URL back
    assert without_password(with_password(ADDRESS)) == (ADDRESS, "s3cr@t密")
    credentials.forget_password(ADDRESS)
    assert password_for(ADDRESS) is None and not password_file().exists()


def test_with_a_credential_store_the_password_goes_there_and_not_to_the_file() -> None:
    save_password(ADDRESS, "old one")  # kept in the file while there was no store
    store = MemoryStore()
    keyring.set_keyring(store)
    stored = save_password(ADDRESS, "s3cr@t密")
    assert stored.kind == KEYRING
    assert store.entries == {(credentials.SERVICE, "desk@192.168.1.10:5432/complaints"):
                             "s3cr@t密"}
    assert not password_file().exists()  # not in two places
    assert password_for(ADDRESS) == "s3cr@t密"


@pytest.mark.skipif(not (shutil.which("dbus-run-session") and shutil.which(
    "gnome-keyring-daemon")), reason="needs dbus-run-session and gnome-keyring-daemon")
def test_a_real_secret_service(tmp_path: Path) -> None:
    """Linux's credential store for real: a session bus with gnome-keyring's Secret Service."""
    script = (
        "from app.credentials import save_password, password_for, password_file\n"
        f"s = save_password({ADDRESS!r}, 's3cr@t密')\n"
        f"print(s.kind, '|', s.describe(), '|', password_for({ADDRESS!r}), '|',"
        " password_file().exists())\n")
    (tmp_path / "home").mkdir()
    env = dict(os.environ, COMPLAINT_DESK_SECRETS_DIR=str(tmp_path / "secrets"),
               HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT), LANG="C.UTF-8")
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c",
         "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "
         f"exec '{sys.executable}' -c \"$SCRIPT\""],
        env={**env, "SCRIPT": script}, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    kind, describe, found, file_exists = (x.strip() for x in done.stdout.split("|"))
    assert kind == KEYRING and "Secret Service" in describe
    assert found == "s3cr@t密" and file_exists == "False"
