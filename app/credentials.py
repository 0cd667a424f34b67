"""The server password of this PC's database connection, kept out of the settings file.

It goes to the system's credential store through `keyring` (Windows Credential Manager, the
macOS Keychain, the Secret Service of a Linux desktop). Where none can be used (a Linux PC
without a keyring daemon, a locked one), it goes to a file that only this user may read
(`server-passwords.json` in the user's data folder, created with mode 0600; on Windows that
folder is the user's own). `save_password` says which was used, so the dialog can tell.

The connection is remembered without its password (ui/database_dialog.py); `with_password`
puts it back in when the program starts. Entries are keyed by user@host:port/database.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from app.atomic_files import remove, write_bytes
from app.i18n import _
from app.paths import APP_NAME

SERVICE = "Complaint Desk database"
FILE_NAME = "server-passwords.json"
KEYRING, FILE = "keyring", "file"


@dataclass(frozen=True)
class Stored:
    """Where a password was kept: KEYRING (with the store's name) or FILE (with its path)."""

    kind: str
    where: str

    def describe(self) -> str:
        if self.kind == KEYRING:
            return _("The password is kept in {store}.", store=self.where)
        return _("No credential store is available on this computer: the password is kept in "
                 "{file}, which only your user account can read.", file=self.where)


def key_for(url: str) -> str | None:
    """user@host:port/database of a server URL; None for a file or a URL without a user."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if not parsed.drivername.startswith("postgresql") or not parsed.username:
        return None
    return f"{parsed.username}@{parsed.host or 'localhost'}:{parsed.port or 5432}/" \
           f"{parsed.database or ''}"


def without_password(url: str) -> tuple[str, str | None]:
    """The URL with its password taken out, and the password (None if it had none)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url, None
    if parsed.password is None:
        return url, None
    bare = URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port,
                      parsed.database, parsed.query)  # URL.set(password=None) keeps it
    return bare.render_as_string(hide_password=False), str(parsed.password)


def _store_name(backend: object) -> str:
    name = type(backend).__module__
    if "Windows" in name or sys.platform == "win32":
        return _("Windows Credential Manager")
    if "macOS" in name or sys.platform == "darwin":
        return _("the macOS Keychain")
    if "SecretService" in name or "kwallet" in name.lower():
        return _("the system keyring (Secret Service)")
    return type(backend).__qualname__


def _keyring() -> object | None:
    """The system's store, or None when there is none that could work here."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return backend


def password_file() -> Path:
    override = os.environ.get("COMPLAINT_DESK_SECRETS_DIR")  # tests: a folder of their own
    folder = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))
    return folder / FILE_NAME


def _read_file() -> dict[str, str]:
    try:
        data = json.loads(password_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_file(entries: dict[str, str]) -> None:
    path = password_file()
    if not entries:
        remove(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, json.dumps(entries, ensure_ascii=False, indent=1).encode("utf-8"),
                private=True)  # 0600: this user only


def save_password(url: str, password: str) -> Stored:
    """Keep `password` for the server of `url`; where it went."""
    key = key_for(url)
    if key is None:
        raise ValueError(url)
    backend = _keyring()
    if backend is not None:
        try:
            backend.set_password(SERVICE, key, password)  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - a locked or broken store: use the file instead
            pass
        else:
            entries = _read_file()
            if entries.pop(key, None) is not None:
                _write_file(entries)  # not in two places
            return Stored(KEYRING, _store_name(backend))
    entries = _read_file()
    entries[key] = password
    _write_file(entries)
    return Stored(FILE, str(password_file()))


def password_for(url: str) -> str | None:
    key = key_for(url)
    if key is None:
        return None
    backend = _keyring()
    if backend is not None:
        with contextlib.suppress(Exception):
            found = backend.get_password(SERVICE, key)  # type: ignore[attr-defined]
            if found is not None:
                return str(found)
    return _read_file().get(key)


def forget_password(url: str) -> None:
    key = key_for(url)
    if key is None:
        return
    backend = _keyring()
    if backend is not None:
        with contextlib.suppress(Exception):
            backend.delete_password(SERVICE, key)  # type: ignore[attr-defined]
    entries = _read_file()
    if entries.pop(key, None) is not None:
        _write_file(entries)


def where_it_would_go() -> Stored:
    """Where save_password would put a password on this computer now (for the dialog)."""
    backend = _keyring()
    if backend is not None:
        return Stored(KEYRING, _store_name(backend))
    return Stored(FILE, str(password_file()))


def with_password(url: str) -> str:
    """The URL with the kept password put in (unless it carries one, or none is kept)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.password is not None:
        return url
    found = password_for(url)
    if found is None:
        return url
    return parsed.set(password=found).render_as_string(hide_password=False)
