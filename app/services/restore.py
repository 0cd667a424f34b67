"""Restore a backup: check it first, keep what it replaces, replace in one step, migrate it up.

Checks before anything changes: the file is our backup (a zip with our manifest, or a plain
Complaint Desk SQLite file), its database passes SQLite's full integrity check, and its schema
revision is one this program knows (a file from a newer program version is refused).

Replacing:
  - a sound current database is first copied to a `before-restore` backup, then overwritten
    in place through SQLite's backup API: one write transaction, so every connection (the
    window, a command line) sees either the old or the restored data, never a mix, and no
    process keeps writing into a file that was swapped away under it;
  - a damaged (or missing) current file is moved aside, never overwritten, and the checked
    copy is renamed into its place (atomic on one file system).
Attachment files are only ever added (their names carry their checksum), never removed.
Reference numbers are never handed out twice: each day's counter continues after the highest
number the replaced database gave.

Limit: a save that another program instance commits in the instant between the safety copy
and the replacement is in neither (SQLite's backup API cannot hold the write lock across both
steps). A restore is a deliberate administrator's act; do it while no counter is saving.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app import backup_rotation, damage
from app.atomic_files import atomic_write, replace, sync_file
from app.db import BUSY_TIMEOUT_S, Database
from app.errors import DeskError
from app.i18n import N_, _
from app.network_drive import read_only_uri, require_local_disk
from app.paths import Paths
from app.permissions import RESTORE, require
from app.services.backup_info import (
    ATTACHMENTS_DIR,
    DB_MEMBER,
    BackupInfo,
    Entry,
    NotABackup,
    _manifest,
    _sqlite_facts,
    inspect_backup,
)
from app.services.backups import (
    ProgressFn,
    _noop,
    create_backup,
    remembered_folders,
    snapshot,
)
from app.services.common import SYSTEM, Actor


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    kept: Path | None  # the before-restore backup, or the damaged file moved aside
    kept_damaged_file: bool
    migrated: bool
    complaints: int
    attachments_added: int


def _known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    from app.migrate import _config

    try:
        return ScriptDirectory.from_config(_config()).get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises for ids it does not know
        return False


def _check_database(candidate: Path, source: Path) -> tuple[str, int]:
    problem = damage.diagnose(candidate, thorough=True)
    if problem is not None:
        raise NotABackup(N_("The backup {file} is damaged: {reason}"), file=source.name,
                         reason=problem.text())
    revision, complaints = _sqlite_facts(candidate)
    if revision is None:
        raise NotABackup(N_("{file} is not a Complaint Desk backup."), file=source.name)
    if not _known_revision(revision):
        raise NotABackup(N_("The backup {file} was made by a newer version of the program "
                            "(schema {revision}); update the program before restoring it."),
                         file=source.name, revision=revision)
    return revision, complaints


def _safe_member_target(root: Path, name: str) -> Path:
    target = (root / name).resolve()
    if not target.is_relative_to(root.resolve()) or name.startswith(("/", "\\")):
        raise NotABackup(N_("The backup holds an unsafe file name: {name}"), name=name[:80])
    return target


def _extract(source: Path, work: Path, progress: ProgressFn) -> tuple[Path, list[Entry]]:
    """The backup's database as a file in `work`, and its attachment entries."""
    candidate = work / "restore.db"
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as zf:
            manifest = _manifest(zf, source)
            try:
                with zf.open(DB_MEMBER) as src, candidate.open("wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)  # zipfile checks the CRC at the end
            except (KeyError, zipfile.BadZipFile, OSError) as e:
                raise NotABackup(N_("The backup {file} is damaged: {reason}"),
                                 file=source.name, reason=str(e)) from None
        entries = [a for a in manifest.get("attachments") or [] if isinstance(a, dict)]
        return candidate, entries
    if damage.diagnose(source) is not None:
        raise NotABackup(N_("{file} is not a Complaint Desk backup."), file=source.name)
    snapshot(source, candidate)
    return candidate, []


def _restore_attachments(source: Path, entries: list[Entry], root: Path,
                         progress: ProgressFn) -> int:
    """Add the backup's attachment files that are missing or differ; checksums verified."""
    if not entries:
        return 0
    added = 0
    root.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as zf:
        for i, entry in enumerate(entries):
            name, sha = str(entry.get("name", "")), str(entry.get("sha256", ""))
            target = _safe_member_target(root, name)
            if target.is_file() and _sha256(target) == sha:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            try:  # the file appears only once its checksum matched (app/atomic_files.py)
                with zf.open(ATTACHMENTS_DIR + name) as src, atomic_write(target) as dst:
                    while block := src.read(1 << 20):
                        digest.update(block)
                        dst.write(block)
                    if digest.hexdigest() != sha:
                        raise NotABackup(N_("The backup {file} is damaged: {reason}"),
                                         file=source.name,
                                         reason=_("attachment {name} does not match its "
                                                  "checksum", name=name))
            except (KeyError, zipfile.BadZipFile) as e:
                raise NotABackup(N_("The backup {file} is damaged: {reason}"),
                                 file=source.name, reason=str(e)) from None
            added += 1
            progress(0.4 + 0.3 * (i + 1) / len(entries), _("Restoring attachments…"))
    return added


def _sha256(path: Path) -> str:
    from app.services.attachments import sha256_of

    return sha256_of(path)


def _keep_references_unique(candidate: Path, live: Path) -> None:
    """Reference numbers handed out since the backup are on customers' slips: the restored
    database continues each day's numbering after the highest number the replaced one gave,
    so no number is ever given to a second complaint."""
    try:
        conn = sqlite3.connect(read_only_uri(live), uri=True,
                               timeout=BUSY_TIMEOUT_S)
        try:
            counters = conn.execute("SELECT day, last FROM reference_counters").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return  # a damaged file: nothing to read; its numbers are in its last backups
    conn = sqlite3.connect(candidate)
    try:
        conn.executemany("INSERT INTO reference_counters(day, last) VALUES (?, ?) "
                         "ON CONFLICT(day) DO UPDATE SET last = max(last, excluded.last)",
                         counters)
        conn.commit()
    finally:
        conn.close()


def _write_in_place(candidate: Path, live: Path) -> None:
    """Overwrite the live database's content with the candidate's, in one transaction."""
    src = sqlite3.connect(candidate)
    dst = sqlite3.connect(live, timeout=BUSY_TIMEOUT_S)
    try:
        dst.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        dst.execute("PRAGMA journal_mode=WAL")
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        dst.close()
        src.close()


def restore_backup(paths: Paths, source: Path, actor: Actor = SYSTEM,
                   progress: ProgressFn = _noop) -> RestoreResult:
    """Replace the database at `paths` by the backup `source` (see the module's notes)."""
    require(actor, RESTORE)
    if paths.db_file is None:
        raise DeskError(N_("Backups of a server database are made on the server "
                           "(for example with pg_dump)."))
    live = paths.db_file
    require_local_disk(live)
    source = Path(source).expanduser().resolve()
    info = inspect_backup(source)
    progress(0.05, _("Checking the backup…"))
    live.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=live.parent) as work:
        candidate, entries = _extract(source, Path(work), progress)
        _check_database(candidate, source)
        progress(0.4, _("Restoring attachments…"))
        added = _restore_attachments(source, entries, paths.attachments, progress)
        progress(0.7, _("Keeping a copy of the current data…"))
        current_problem = damage.diagnose(live)
        kept: Path | None = None
        if live.exists() and live.stat().st_size > 0 and current_problem is None:
            current = Database(paths)
            try:
                kept = create_backup(current, backup_rotation.KIND_BEFORE_RESTORE).path
            finally:
                current.dispose()
            progress(0.8, _("Replacing the database…"))
            _keep_references_unique(candidate, live)
            _write_in_place(candidate, live)
        else:
            if live.exists():
                kept = damage.move_aside(live)
            progress(0.8, _("Replacing the database…"))
            sync_file(candidate)
            replace(candidate, live)
    progress(0.9, _("Bringing the database up to date…"))
    from app.migrate import current_revision, upgrade

    db = Database(paths)
    try:
        before = current_revision(db)
        upgrade(db)
        migrated = before != current_revision(db)
        with db.engine.connect() as conn:
            complaints = int(conn.exec_driver_sql("SELECT count(*) FROM complaints").scalar_one())
        from app import audit

        audit.log(db, actor, "restore", source.name, made_at=info.made_at.isoformat(),
                  kept=kept.name if kept else "")
    finally:
        db.dispose()
    progress(1.0, _("Restore finished"))
    return RestoreResult(info, kept, current_problem is not None and kept is not None, migrated,
                         complaints, added)


def latest_good_backup(paths: Paths) -> BackupInfo | None:
    """The newest backup of this database whose manifest and database copy read back intact
    (CRC checked); looked for in every folder its backups were written to."""
    if paths.db_file is None:
        return None
    candidates = [b for folder in remembered_folders(paths)
                  for b in backup_rotation.scan(folder, paths.db_file.stem)]
    for b in sorted(candidates, key=lambda b: b.made_at, reverse=True):
        try:
            info = inspect_backup(b.path)
            if info.revision is None or not _known_revision(info.revision):
                continue
            with zipfile.ZipFile(b.path) as zf, zf.open(DB_MEMBER) as fh:
                while fh.read(1 << 20):
                    pass
        except (DeskError, OSError, zipfile.BadZipFile, KeyError):
            continue
        return info
    return None

