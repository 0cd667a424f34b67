"""A database on a network share or mapped network drive (issue 23): refused with a message
that points to the PostgreSQL set-up, before it could be called damaged; SQLite URIs for UNC
paths that SQLite accepts."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path, PureWindowsPath

import pytest

from app import network_drive
from app.i18n import set_language
from app.migrate import open_database
from app.network_drive import (
    NetworkDatabase,
    mounted_file_system,
    read_only_uri,
    windows_network_path,
)
from app.services.connection_test import probe

FIXED, REMOTE = 3, 4  # GetDriveTypeW


@pytest.fixture
def drives(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Windows' answer per drive root, as GetDriveTypeW would give it."""
    kinds = {"C:\\": FIXED, "D:\\": FIXED, "Z:\\": REMOTE}
    monkeypatch.setattr(network_drive, "drive_type", lambda root: kinds[root.upper()])
    return kinds


@pytest.mark.parametrize(("path", "remote"), [
    (r"\\nas\share\desk.db", True),  # a share
    (r"\\NAS.local\柜台\数据\desk.db", True),
    (r"\\?\UNC\nas\share\desk.db", True),  # the long form of a share
    (r"Z:\desk.db", True),  # a mapped network drive
    (r"z:\投诉\desk.db", True),
    (r"C:\Users\前台\AppData\Local\ComplaintDesk\complaints.db", False),
    (r"\\?\C:\very\long\path\desk.db", False),  # the long form of a local disk
    (r"D:\desk.db", False),
])
def test_windows_paths_on_a_network_drive_are_told(path: str, remote: bool,
                                                   drives: dict[str, int]) -> None:
    assert windows_network_path(PureWindowsPath(path)) is remote


def test_a_unc_path_becomes_a_uri_sqlite_accepts(tmp_path: Path) -> None:
    unc = PureWindowsPath(r"\\nas\share\柜台\desk.db")
    assert unc.as_uri() == "file://nas/share/%E6%9F%9C%E5%8F%B0/desk.db"  # the old form
    assert read_only_uri(unc) == "file:////nas/share/%E6%9F%9C%E5%8F%B0/desk.db?mode=ro"
    assert read_only_uri(PureWindowsPath(r"C:\数据\desk.db")) == (
        "file:///C:/%E6%95%B0%E6%8D%AE/desk.db?mode=ro")
    with pytest.raises(sqlite3.OperationalError, match="invalid uri authority"):
        sqlite3.connect(f"{unc.as_uri()}?mode=ro", uri=True)
    # SQLite takes the empty authority and a path starting "//" (on POSIX "//x" is "/x").
    real = tmp_path / "柜台 1" / "desk.db"
    real.parent.mkdir()
    sqlite3.connect(real).execute("CREATE TABLE t (x)").connection.close()
    uri = read_only_uri(real)
    assert uri.startswith("file:///")
    conn = sqlite3.connect("file:////" + uri.removeprefix("file:///"), uri=True)
    try:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("CREATE TABLE u (x)")
    finally:
        conn.close()


MOUNTINFO = """\
22 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
40 22 0:38 / /mnt/nas rw,relatime shared:20 - cifs //nas/share rw,vers=3.1.1
41 22 0:39 / /mnt/nas\\040b rw,relatime shared:21 - nfs4 nas:/export rw
42 22 0:40 / /mnt/nasty rw,relatime shared:22 - ext4 /dev/vdb1 rw
"""


@pytest.mark.parametrize(("path", "kind"), [
    ("/home/desk/complaints.db", "ext4"), ("/mnt/nas/desk.db", "cifs"),
    ("/mnt/nas b/desk.db", "nfs4"), ("/mnt/nasty/desk.db", "ext4"), ("/mnt/nas", "cifs")])
def test_mounted_network_file_systems_are_told(path: str, kind: str) -> None:
    assert mounted_file_system(Path(path), MOUNTINFO) == kind


def _on_a_share(monkeypatch: pytest.MonkeyPatch, share: Path) -> None:
    monkeypatch.setattr(network_drive, "on_network_drive",
                        lambda path: Path(path).is_relative_to(share))


def test_a_database_on_a_share_is_refused_and_left_alone(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _on_a_share(monkeypatch, db_path.parent)
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    set_language("zh-Hans")
    with pytest.raises(NetworkDatabase) as caught:
        open_database(str(db_path))
    assert "网络驱动器" in caught.value.message() and "PostgreSQL" in caught.value.message()
    assert str(db_path) in caught.value.message()
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert not Path(f"{db_path}-wal").exists()  # never opened, not called damaged
    result = probe(str(db_path))  # the Database dialog's "Test connection"
    assert result.error and "PostgreSQL" in result.error


def test_a_new_database_on_a_share_is_not_created(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _on_a_share(monkeypatch, tmp_path)
    with pytest.raises(NetworkDatabase):
        open_database(str(tmp_path / "new.db"))
    assert not (tmp_path / "new.db").exists()

