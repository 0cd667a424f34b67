"""Backups: one zip file per backup, made from a consistent snapshot of the live database.

A backup is ONE self-contained file, `<db>-<YYYYMMDD-HHMMSS>-<kind>.zip`, holding
  - `database.db`: a copy made with SQLite's online backup API in one step (a consistent
    snapshot even while another process writes; never a plain copy of a live file), switched
    to rollback-journal mode so it needs no -wal beside it;
  - `attachments/<stored name>`: the attachment files the snapshot refers to (attachments are
    never changed once stored, so the snapshot's rows name exactly the files to take);
  - `manifest.json`: program version, schema revision, time, kind, counts and each
    attachment's SHA-256.
One file is easy to carry to a USB stick and is restored as a whole. Copies made before a
migration or a restore leave the attachments out (those steps never touch attachment files).
Only SQLite databases are backed up here; a server database is backed up on its server.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app import __version__, audit, backup_rotation, clock, live_file
from app.atomic_files import FileInUse, atomic_path, remove
from app.audit_check import audit_head_of_file
from app.backup_places import backup_folder, raw_setting, remember_folder
from app.backup_places import remembered_folders as remembered_folders  # re-exported
from app.db import Database
from app.errors import DeskError
from app.i18n import N_, _
from app.leftovers import working_folder
from app.outputs import guard_output
from app.paths import Paths
from app.permissions import BACKUP, require, require_role
from app.services.backup_info import (
    APP_ID,
    ATTACHMENTS_DIR,
    DB_MEMBER,
    MANIFEST,
    BackupInfo,
    Entry,
    inspect_backup,
    readable_backup,
)
from app.services.backup_info import human_size as human_size  # noqa: F401 - re-exported
from app.services.common import SYSTEM, Actor
from app.settings import SPEC_BY_KEY

ProgressFn = Callable[[float, str], None]  # fraction done 0..1, what is happening (translated)
CancelFn = Callable[[], bool]
Row = tuple[str, str, int]  # an attachment record: stored name, SHA-256, size

FORMAT = 1
_STORED = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".pdf", ".zip", ".mp4", ".mp3",
           ".m4a", ".docx", ".xlsx"}  # already compressed: stored as they are, no time wasted


class BackupCancelled(DeskError):
    def __init__(self) -> None:
        super().__init__(N_("The backup was cancelled; nothing was written."))


def _noop(_fraction: float, _text: str) -> None:
    return None


def _live_file(paths: Paths) -> Path:
    if paths.db_file is None:
        raise DeskError(N_("Backups of a server database are made on the server "
                           "(for example with pg_dump)."))
    return paths.db_file


def snapshot(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite file `source` at `target` (online backup API, one step).

    One step (pages=-1) holds a read snapshot for the whole copy: with WAL, writers carry on
    meanwhile, and the copy is exactly one committed state.
    """
    src = live_file.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal file needed
    finally:
        dst.close()
        src.close()


def _read_copy(copy: Path, with_attachments: bool) -> tuple[str | None, int, list[Row]]:
    conn = sqlite3.connect(copy)
    try:
        check = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
        if check != ["ok"]:
            raise DeskError(N_("The database has damage ({detail}); no backup was made. "
                               "Run the check command."), detail="; ".join(check))
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        complaints = conn.execute("SELECT count(*) FROM complaints").fetchone()[0]
        rows = (conn.execute("SELECT stored_name, sha256, size FROM attachments "
                             "ORDER BY id").fetchall() if with_attachments else [])
    except sqlite3.DatabaseError as e:
        raise DeskError(N_("The database cannot be backed up: {detail}"), detail=str(e)) from e
    finally:
        conn.close()
    return (revision[0] if revision else None), int(complaints), rows


def _unique_target(folder: Path, stem: str, when: datetime, kind: str) -> Path:
    target = folder / backup_rotation.file_name(stem, when, kind)
    n = 1
    while target.exists():
        n += 1
        target = folder / backup_rotation.file_name(f"{stem}", when, f"{n}-{kind}")
    return target


def _choose_folder(db: Database) -> tuple[Path, str]:
    folder = backup_folder(db)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder, ""
    except OSError:
        fallback = db.paths.backups
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback, _("The backup folder {folder} is not available; the backup was "
                          "written to {fallback}.", folder=str(folder), fallback=str(fallback))


def _copy_into_zip(zf: zipfile.ZipFile, source: Path, name: str, cancelled: CancelFn,
                   advance: Callable[[int], None]) -> str:
    """Stream one file into the zip (checking for cancel every MB); its SHA-256."""
    import hashlib

    digest = hashlib.sha256()
    info = zipfile.ZipInfo(name, date_time=_zip_time(clock.now()))
    info.compress_type = (zipfile.ZIP_STORED if source.suffix.lower() in _STORED
                          else zipfile.ZIP_DEFLATED)
    # Fast compression: a backup at start must not hold the counter up (the attribute is
    # public from Python 3.13 on, private before).
    setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", 1)
    with source.open("rb") as fh, zf.open(info, "w", force_zip64=True) as out:
        while block := fh.read(1 << 20):
            if cancelled():
                raise BackupCancelled()
            digest.update(block)
            out.write(block)
            advance(len(block))
    return digest.hexdigest()


def _add_attachments(zf: zipfile.ZipFile, root: Path, rows: list[Row], cancelled: CancelFn,
                     advance: Callable[[int], None]) -> tuple[list[Entry], list[str]]:
    listed: list[Entry] = []
    missing: list[str] = []
    for stored, sha, size in rows:
        source = (root / stored).resolve()
        if not source.is_relative_to(root.resolve()) or not source.is_file():
            missing.append(stored)
            continue
        digest = _copy_into_zip(zf, source, ATTACHMENTS_DIR + stored, cancelled, advance)
        listed.append({"name": stored, "sha256": digest, "size": size,
                       "matches_record": digest == sha})
    return listed, missing


def _zip_time(when: datetime) -> tuple[int, int, int, int, int, int]:
    when = max(when, datetime(1980, 1, 1))
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)


def create_backup(db: Database, kind: str = backup_rotation.KIND_MANUAL, out: Path | None = None,
                  actor: Actor = SYSTEM, progress: ProgressFn = _noop,
                  cancelled: CancelFn = lambda: False,
                  include_attachments: bool | None = None) -> BackupInfo:
    """Write a backup (to `out`, else into the backup folder, rotating it) and describe it."""
    if kind == backup_rotation.KIND_MANUAL:  # the automatic ones run as the program itself
        require(actor, BACKUP)
    live = _live_file(db.paths)
    if not live.exists():
        raise DeskError(N_("There is no database file to back up: {path}"), path=str(live))
    if include_attachments is None:
        include_attachments = kind in backup_rotation.ROTATED
    now = clock.now()
    note = ""
    if out is not None:
        target = Path(out).expanduser()
        if target.is_dir():  # `backup --out FOLDER`: a file of the usual name in it
            target = target / backup_rotation.file_name(live.stem, now, kind)
        target = guard_output(db, target)
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        folder, note = _choose_folder(db)
        target = _unique_target(folder, live.stem, now, kind)
    progress(0.0, _("Copying the database…"))
    with working_folder(".backup-", live.parent) as work:
        copy = work / DB_MEMBER
        if cancelled():
            raise BackupCancelled()
        with live_file.using(live, db.paths.data_dir):  # see app/live_file.py
            snapshot(live, copy)
        if cancelled():
            raise BackupCancelled()
        revision, complaints, rows = _read_copy(copy, include_attachments)
        total = max(1, copy.stat().st_size + sum(int(r[2] or 0) for r in rows))
        done = [0]

        def advance(n: int) -> None:
            before, done[0] = done[0], done[0] + n
            if before * 50 // total != done[0] * 50 // total:  # every 2 %
                progress(done[0] / total, _("Copying the database…")
                         if done[0] <= copy.stat().st_size else _("Copying attachments…"))

        # Customers' data: the file is the user's alone (app/atomic_files.py).
        with atomic_path(target, private=True) as partial, \
                zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
            _copy_into_zip(zf, copy, DB_MEMBER, cancelled, advance)
            listed, missing = _add_attachments(zf, db.paths.attachments, rows, cancelled,
                                               advance)
            manifest = {
                "format": FORMAT, "app": APP_ID, "version": __version__,
                "schema_revision": revision, "made_at": now.isoformat(timespec="seconds"),
                "kind": kind, "source": str(live), "complaints": complaints,
                "attachments_included": include_attachments, "attachments": listed,
                "missing_attachments": missing,
                # The newest audit event in the copy: `check` finds a rewritten trail.
                "audit_head": audit_head_of_file(copy),
            }
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    if out is None:
        remember_folder(db.paths, target.parent)
        rotate(db, target.parent)
    if kind in backup_rotation.ROTATED:  # the others belong to a migration or a restore
        audit.log(db, actor, "backup", target.name, kind=kind, complaints=complaints)
    progress(1.0, _("Backup finished"))
    return BackupInfo(target, now, kind, __version__, revision, complaints, len(listed),
                      target.stat().st_size, include_attachments, tuple(missing), note)


def rotate(db: Database, folder: Path) -> list[Path]:
    """Delete this database's backups that the rotation settings no longer keep; the newest
    backup that reads back intact is kept whatever they say."""
    daily, weekly, monthly = (int(raw_setting(db, f"backup_keep_{k}"))
                              for k in ("daily", "weekly", "monthly"))
    stem = _live_file(db.paths).stem
    found = backup_rotation.scan(folder, stem)
    good = next((b.path for b in found if readable_backup(b.path) is not None), None)
    deleted = []
    for path in backup_rotation.to_delete(found, daily, weekly, monthly,
                                          protect=frozenset({good} if good else set())):
        try:
            remove(path)
        except FileInUse:  # open in an archive viewer (Windows): deleted at the next rotation
            continue
        deleted.append(path)
    return deleted


def auto_backup_if_due(db: Database, progress: ProgressFn = _noop,
                       cancelled: CancelFn = lambda: False) -> BackupInfo | None:
    """The daily backup at start: made unless this database already has one from today."""
    if not db.is_sqlite or db.paths.db_file is None or not db.paths.db_file.exists():
        return None
    today = clock.now().date()
    stem = db.paths.db_file.stem
    for folder in (backup_folder(db), db.paths.backups):
        for b in backup_rotation.scan(folder, stem):
            if b.kind in backup_rotation.ROTATED and b.made_at.date() == today:
                return None
    return create_backup(db, backup_rotation.KIND_DAILY, progress=progress, cancelled=cancelled)


def set_backup_folder(db: Database, folder: str, actor: Actor) -> Path:
    """Choose the backup folder (admin); it must exist or be creatable, and be writable."""
    from app.errors import ValidationError
    from app.services.settings_service import set_setting

    require_role(actor, SPEC_BY_KEY["backup_dir"].role, "backup_dir")
    path = Path(folder).expanduser() if folder.strip() else db.paths.backups
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError:
        raise ValidationError("backup_dir", N_("cannot be written to: {folder}"),
                              folder=str(path)) from None
    set_setting(db, "backup_dir", str(path) if folder.strip() else "", actor)
    return path


def list_backups(db: Database) -> list[BackupInfo]:
    """This database's backups in its backup folder (and the default one), newest first;
    files that cannot be read are left out."""
    stem = _live_file(db.paths).stem
    found: list[BackupInfo] = []
    for folder in dict.fromkeys((backup_folder(db), db.paths.backups)):
        for name in backup_rotation.scan(folder, stem):
            try:
                found.append(inspect_backup(name.path))
            except (DeskError, OSError, zipfile.BadZipFile):
                continue
    return sorted(found, key=lambda i: i.made_at, reverse=True)
