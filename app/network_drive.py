"""A SQLite database on a network drive, and SQLite URIs for paths that may be network paths.

SQLite's write-ahead log needs shared memory that a network file system does not give, and its
locks are unreliable over SMB and NFS ("WAL does not work over a network filesystem", SQLite's
documentation): several counters writing one file on a NAS would damage it sooner or later. So
a database file on a network share (`\\\\nas\\share\\desk.db`), a mapped network drive
(`Z:\\desk.db`) or, elsewhere, an NFS/SMB mount is refused with a message that points to the
set-up made for several counters: one PostgreSQL server.

`read_only_uri` makes the `file:` URI SQLite accepts for any path: `Path.as_uri()` turns a UNC
path into `file://nas/share/desk.db`, whose authority ("nas") SQLite refuses ("invalid uri
authority"); an empty authority and the path `//nas/share/desk.db` is what it takes.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath, PureWindowsPath

from app.errors import DeskError
from app.i18n import N_

DRIVE_REMOTE = 4  # GetDriveTypeW: a mapped network drive
# Linux/BSD file systems whose files live on another machine.
NETWORK_FILESYSTEMS = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs",
                                 "ceph", "glusterfs", "fuse.sshfs", "9p", "davfs",
                                 "fuse.davfs2"})
MOUNTS = Path("/proc/self/mountinfo")


class NetworkDatabase(DeskError):
    """The SQLite file is on a network drive; nothing was opened."""

    def __init__(self, path: PurePath) -> None:
        super().__init__(N_("The database {path} is on a network drive. A database file cannot "
                            "be kept safe there (SQLite needs a local disk). Keep it on this "
                            "PC's own disk, or let several counters share one PostgreSQL "
                            "server: Data > Database connection… (README: \"Several counters on "
                            "one PostgreSQL server\")."), path=str(path))
        self.path = path


def _unc_share(drive: str) -> bool:
    """`\\\\server\\share` or `\\\\?\\UNC\\server\\share` (not `\\\\?\\C:` nor a `\\\\.\\` device)."""
    if drive.upper().startswith("\\\\?\\UNC\\"):
        return True
    return drive.startswith("\\\\") and not drive.startswith(("\\\\?\\", "\\\\.\\"))


def drive_type(root: str) -> int:
    """Windows' kind of drive for `C:\\` (DRIVE_REMOTE for a mapped network drive)."""
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def windows_network_path(path: PureWindowsPath) -> bool:
    drive = path.drive
    if _unc_share(drive):
        return True
    if drive.startswith("\\\\?\\"):
        drive = drive[4:]
    if len(drive) == 2 and drive[1] == ":":
        return drive_type(drive + "\\") == DRIVE_REMOTE
    return False


def mounted_file_system(path: Path, mountinfo: str) -> str:
    """The type of the file system holding `path`, from /proc/self/mountinfo's text."""
    best, kind = "", ""
    target = str(path)
    for line in mountinfo.splitlines():
        fields = line.split()
        if "-" not in fields:
            continue
        point = fields[4].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[fields.index("-") + 1]
    return kind


def on_network_drive(path: Path) -> bool:
    """Is the file at `path` (absolute) on another machine?"""
    if os.name == "nt":
        return windows_network_path(PureWindowsPath(path))
    try:
        mountinfo = MOUNTS.read_text(encoding="utf-8", errors="replace")
    except OSError:  # not Linux: no cheap way to tell, and counters run Windows
        return False
    return mounted_file_system(path, mountinfo) in NETWORK_FILESYSTEMS


def require_local_disk(path: Path) -> None:
    """Raise NetworkDatabase when the SQLite file `path` is on a network drive."""
    if on_network_drive(path):
        raise NetworkDatabase(path)


def read_only_uri(path: PurePath) -> str:
    """`file:…?mode=ro` for SQLite (`uri=True`); UNC paths get an empty authority."""
    if isinstance(path, Path):
        path = path.resolve()
    uri = path.as_uri()
    if not uri.startswith("file:///"):  # file://nas/share/…: SQLite takes no host there
        uri = "file:////" + uri.removeprefix("file://")
    return f"{uri}?mode=ro"
