"""Is the SQLite file at start a sound Complaint Desk database? Checked before any migration.

The check opens the file read-only (`mode=ro`), so a damaged file is never written to: no WAL
checkpoint, no schema created inside someone else's database. Nothing here opens the file
other than through SQLite: on POSIX, closing any other descriptor of the database file in this
process would release every SQLite lock the process holds on it (../shared/PLATFORM.md, "SQLite
in a program with file dialogs"), so the header, the size and the fingerprint come from
`os.stat` and from SQLite itself. A damaged file is only ever
moved aside (renamed, with its -wal/-shm), on request, by `move_aside`. An empty -wal/-shm
that the read-only open leaves is not tidied away: another process may be opening the same
file at that moment, and deleting its shared-memory file would corrupt its view of the WAL.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app import clock
from app.atomic_files import FileInUse, replace, write_bytes
from app.errors import DeskError
from app.i18n import N_, _
from app.network_drive import read_only_uri

SIDE_FILES = ("-wal", "-shm")
CLEAN_CLOSE_FILE = "clean-close.json"
MIN_DATABASE_SIZE = 512  # SQLite's smallest page: a shorter non-empty file was cut short
# Tables every Complaint Desk database has, whatever its schema revision.
OUR_TABLES = frozenset({"alembic_version", "complaints", "customers", "settings"})

R_NOT_SQLITE = N_("it is not a database file")
R_TOO_SHORT = N_("it is too short to be a database (truncated)")
R_UNREADABLE = N_("SQLite cannot read it: {detail}")
R_CHECK_FAILED = N_("SQLite's check found damage: {detail}")
R_FOREIGN = N_("it is a database of another program")
R_EMPTIED = N_("it is empty (0 bytes), yet this desk has backups or saved files: its data is "
               "missing")
R_STRUCTURE = N_("its inner structure is damaged ({detail})")
# SQLite's own words for the usual cases, said in the user's language (its text kept as detail).
_KNOWN = {"database disk image is malformed": R_STRUCTURE, "file is not a database": R_NOT_SQLITE}


@dataclass(frozen=True)
class Diagnosis:
    """Why a file is not usable: a reason msgid and its parameters."""

    reason: str
    params: dict[str, Any]

    def text(self) -> str:
        return _(self.reason, **self.params)


class DamagedDatabase(DeskError):
    """The database file cannot be used; it was left exactly as it was."""

    def __init__(self, path: Path, diagnosis: Diagnosis, backup: Path | None = None,
                 backup_time: datetime | None = None) -> None:
        super().__init__(N_("The database file {path} is damaged: {reason}."), path=str(path))
        self.path = path
        self.diagnosis = diagnosis
        self.backup = backup
        self.backup_time = backup_time

    def message(self) -> str:
        head = _(self.msgid, path=str(self.path), reason=self.diagnosis.text())
        kept = _("The file was left untouched.")
        if self.backup is None:
            offer = _("No backup was found for it.")
        else:
            offer = _("The latest good backup is {file} ({time}); restore it with: "
                      "restore \"{file}\"", file=str(self.backup),
                      time=f"{self.backup_time:%Y-%m-%d %H:%M}" if self.backup_time else "?")
        return f"{head} {kept} {offer}"


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(read_only_uri(path), uri=True, timeout=30)


def diagnose(path: Path, thorough: bool = False, scan: bool = True) -> Diagnosis | None:
    """None when `path` is missing, empty (a new database) or sound; else what is wrong.

    `scan` reads every page (SQLite's quick check: ~0.25 s per 100 MB); `thorough` runs the
    full integrity check instead (also compares indexes with tables). Without `scan` only the
    header, the schema and our tables are read (milliseconds): used at start when the file
    is exactly as the program left it at its last clean close (see `unchanged_since_close`).
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    if size == 0:
        return None
    rows = ["ok"]
    try:
        conn = _read_only(path)
        try:
            if scan or thorough:
                pragma = "integrity_check" if thorough else "quick_check"
                rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}(20)")]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master "
                                                 "WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        reason = _KNOWN.get(str(e), R_UNREADABLE)
        if reason == R_STRUCTURE and size < MIN_DATABASE_SIZE:
            return Diagnosis(R_TOO_SHORT, {})
        return Diagnosis(reason, {"detail": str(e)} if reason != R_NOT_SQLITE else {})
    if rows != ["ok"]:
        detail = " ".join("; ".join(str(r) for r in rows[:3]).split())  # one line
        return Diagnosis(R_CHECK_FAILED, {"detail": detail})
    if tables and not OUR_TABLES.issubset(tables):
        return Diagnosis(R_FOREIGN, {})
    return None


# --- skipping the page scan when the file is as the program left it ---------------------
# A full scan at every start would cost seconds on a large database. The window notes the
# file's size, time and first page when it closes cleanly (its WAL checkpointed away); at the
# next start an identical file with no WAL left over is only checked for its header and
# schema. Anything else (a crash left a WAL, another tool touched the file, a copy replaced
# it) gets the full scan. Damage that keeps size, time and the header's facts is still found
# by the daily backup (which checks its copy) and by `check`.
_HEADER_FACTS = ("page_size", "page_count", "freelist_count", "schema_version", "user_version",
                 "application_id")


def _fingerprint(path: Path) -> dict[str, Any]:
    """Size, time, the header's facts and the schema, read through SQLite (never open())."""
    stat = path.stat()
    conn = _read_only(path)
    try:
        facts = [conn.execute(f"PRAGMA {name}").fetchone()[0] for name in _HEADER_FACTS]
        schema = conn.execute("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master "
                              "ORDER BY rowid").fetchall()
    finally:
        conn.close()
    digest = hashlib.sha256(json.dumps([facts, schema]).encode("utf-8")).hexdigest()
    return {"file": str(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
            "header": digest}


def _wal_in_use(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def remember_clean_close(path: Path, folder: Path) -> None:
    """Note the file as it is now, if the last connection has closed (no WAL left)."""
    try:
        if path.exists() and not _wal_in_use(path):
            folder.mkdir(parents=True, exist_ok=True)
            write_bytes(folder / CLEAN_CLOSE_FILE,
                        json.dumps(_fingerprint(path)).encode("utf-8"))
    except (OSError, FileInUse, sqlite3.DatabaseError):
        pass  # only costs a full scan at the next start


def unchanged_since_close(path: Path, folder: Path) -> bool:
    """Is the file exactly as the program noted it at its last clean close?"""
    try:
        if _wal_in_use(path):
            return False
        saved = json.loads((folder / CLEAN_CLOSE_FILE).read_text(encoding="utf-8"))
        return bool(saved == _fingerprint(path))
    except (OSError, ValueError, sqlite3.DatabaseError):
        return False


def aside_name(path: Path) -> Path:
    stamp = f"{clock.now():%Y%m%d-%H%M%S}"
    candidate = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    return candidate


def move_aside(path: Path) -> Path:
    """Rename the damaged file (and its -wal/-shm, kept beside it as `<new name>-wal`)."""
    target = aside_name(path)
    replace(path, target)  # retried while Windows' indexer or antivirus holds it
    for suffix in SIDE_FILES:
        side = Path(f"{path}{suffix}")
        if side.exists():
            replace(side, Path(f"{target}{suffix}"))
    return target
