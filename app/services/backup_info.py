"""What a backup file holds, read without restoring it: its manifest, or for a plain SQLite
file its schema revision and complaint count. Used by the backup list, restore and the
damaged-file dialog."""

from __future__ import annotations

import sqlite3
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app import backup_rotation, damage
from app.backup_manifest import MANIFEST as MANIFEST
from app.backup_manifest import read_manifest
from app.backup_places import remembered_folders
from app.errors import DeskError
from app.i18n import N_
from app.network_drive import read_only_uri
from app.paths import Paths
from app.schema_revisions import known_revision

APP_ID = "complaint-desk"
DB_MEMBER = "database.db"
ATTACHMENTS_DIR = "attachments/"
Entry = dict[str, Any]  # an object of the manifest


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    kind: str
    version: str
    revision: str | None
    complaints: int
    attachments: int
    size: int
    includes_attachments: bool
    missing_attachments: tuple[str, ...] = ()
    note: str = ""  # e.g. the chosen folder was unavailable and the default one was used


class NotABackup(DeskError):
    pass


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _sqlite_facts(path: Path) -> tuple[str | None, int]:
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        complaints = conn.execute("SELECT count(*) FROM complaints").fetchone()[0]
    except sqlite3.DatabaseError:
        raise NotABackup(N_("{file} is not a Complaint Desk backup."), file=path.name) from None
    finally:
        conn.close()
    return (row[0] if row else None), int(complaints)


def _manifest(zf: zipfile.ZipFile, path: Path) -> Entry:
    try:
        manifest = read_manifest(zf)
    except (KeyError, ValueError, UnicodeDecodeError, zipfile.BadZipFile):
        raise NotABackup(N_("{file} is not a Complaint Desk backup."), file=path.name) from None
    if not isinstance(manifest, dict) or manifest.get("app") != APP_ID:
        raise NotABackup(N_("{file} is not a Complaint Desk backup."), file=path.name)
    return manifest


def inspect_backup(path: Path) -> BackupInfo:
    """What a backup file says it holds (quick: the manifest, or the SQLite file's tables)."""
    path = Path(path)
    if not path.is_file():
        raise NotABackup(N_("Backup file not found: {file}"), file=str(path))
    named = backup_rotation.parse_any(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            m = _manifest(zf, path)
        try:
            made_at = datetime.fromisoformat(str(m.get("made_at")))
        except ValueError:
            made_at = datetime.fromtimestamp(path.stat().st_mtime)
        return BackupInfo(path, made_at, str(m.get("kind", "")), str(m.get("version", "?")),
                          m.get("schema_revision"), int(m.get("complaints") or 0),
                          len(m.get("attachments") or []), path.stat().st_size,
                          bool(m.get("attachments_included")),
                          tuple(m.get("missing_attachments") or ()))
    if damage.diagnose(path) is not None:
        raise NotABackup(N_("{file} is not a Complaint Desk backup."), file=path.name)
    revision, complaints = _sqlite_facts(path)
    made_at = named.made_at if named else datetime.fromtimestamp(path.stat().st_mtime)
    return BackupInfo(path, made_at, named.kind if named else "", "?", revision, complaints, 0,
                      path.stat().st_size, False)


def latest_good_backup(paths: Paths) -> BackupInfo | None:
    """The newest backup of this database whose manifest and database copy read back intact
    (CRC checked); looked for in every folder its backups were written to."""
    if paths.db_file is None:
        return None
    candidates = [b for folder in remembered_folders(paths)
                  for b in backup_rotation.scan(folder, paths.db_file.stem)]
    for b in sorted(candidates, key=lambda b: b.made_at, reverse=True):
        if readable_backup(b.path) is not None:
            return inspect_backup(b.path)
    return None


def readable_backup(path: Path) -> BackupInfo | None:
    """The backup's description when its manifest, schema and database copy read back
    intact (the database member's CRC checked by reading it through); else None."""
    try:
        info = inspect_backup(path)
        if info.revision is None or not known_revision(info.revision):
            return None
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf, zf.open(DB_MEMBER) as fh:
                while fh.read(1 << 20):
                    pass
    except (DeskError, OSError, zipfile.BadZipFile, KeyError):
        return None
    return info
