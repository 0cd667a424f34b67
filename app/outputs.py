"""Where the program may write an output, and copying a finished file to where the user chose.

Every output (`--out` of a command, a slip, a report, an export, a backup, a copy saved from
the window) is checked by `guard_output` first: never onto the live database, its -wal, -shm
or -journal, never onto its files folder or what the program keeps there (the folder's own
files, attachments, backups, drafts, logs; the window's slips/ folder is an output folder),
never onto a backup.
A refusal is a DeskError (exit 2 on the command line, a message in the window) and nothing is
written. The printing engineer's `print …` and `export xlsx` commands call it too.
Outputs are then written through app/atomic_files.py (temporary file beside, renamed).
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

from app import backup_rotation
from app.atomic_files import atomic_write
from app.db import Database
from app.errors import DeskError
from app.i18n import N_, _

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
# What the program keeps in the database's folder of files; its own outputs have folders of
# their own there (slips/), which stay writable.
KEPT_FOLDERS = ("attachments", "backups", "drafts", "logs")
R_DATABASE = N_("{path} is the database file itself")
R_SIDE = N_("{path} is one of the database's working files")
R_FILES = N_("{path} is inside the database's own folder {folder}")
R_BACKUP = N_("{path} is a backup")


class OutputRefused(DeskError):
    def __init__(self, reason: str, **params: str) -> None:
        super().__init__(N_("Nothing was written: {reason}. Choose another file."),
                         reason=_(reason, **params))


def _same(a: Path, b: Path) -> bool:
    if os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b)):
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)  # hard links, case
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    real = Path(os.path.normcase(os.path.realpath(path)))
    return real.is_relative_to(Path(os.path.normcase(os.path.realpath(folder))))


def _is_backup_file(path: Path) -> bool:
    """An existing backup of any desk: our zip with our manifest."""
    if not path.is_file() or not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return "manifest.json" in zf.namelist() and "database.db" in zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def guard_output(db: Database, target: str | os.PathLike[str]) -> Path:
    """The output path, absolute; OutputRefused when writing it could harm the data."""
    path = Path(target).expanduser().absolute()
    live = db.paths.db_file
    if live is not None:
        if _same(path, live):
            raise OutputRefused(R_DATABASE, path=str(path))
        for suffix in SIDE_SUFFIXES:
            if _same(path, Path(f"{live}{suffix}")):
                raise OutputRefused(R_SIDE, path=str(path))
    files = db.paths.data_dir
    if (_same(path, files) or _same(path.parent, files)
            or any(_inside(path, files / kept) for kept in KEPT_FOLDERS)):
        raise OutputRefused(R_FILES, path=str(path), folder=str(files))
    if path.exists() and (_is_backup_file(path) or backup_rotation.parse_any(path)):
        raise OutputRefused(R_BACKUP, path=str(path))
    return path


def copy_output(db: Database, source: Path, target: str | os.PathLike[str]) -> Path:
    """Save a finished file (a report made for the preview) where the user chose."""
    path = guard_output(db, target)
    with source.open("rb") as src, atomic_write(path) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return path
