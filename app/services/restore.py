"""Restore a backup: check all of it first, bring it up to date and record the restore in it,
keep what it replaces, then replace in one step.

Checks before anything changes: the file is our backup (a zip with our manifest, or a plain
Complaint Desk SQLite file), its database passes SQLite's full integrity check, its schema
revision is one this program knows, and every attachment it lists unpacks (at most the size the
manifest declares) to its checksum. Everything is unpacked into a work folder beside the
database first: a refused restore writes nothing outside it.

Then the checked copy is migrated up and the restore's own audit event is written into it, so
that the data and its record arrive together. Replacing:
  - a sound current database is first copied to a `before-restore` backup, then overwritten
    in place through SQLite's backup API: one write transaction, so every connection (the
    window, a command line) sees either the old or the restored data, never a mix, and no
    process keeps writing into a file that was swapped away under it;
  - a damaged (or missing) current file is linked (or copied) aside first, its -wal/-shm are
    removed (they would be replayed into the new file), and the checked copy is renamed over
    it: a restore killed at any point leaves either the damaged file (offered again at the next
    start) or the restored one.
Before replacing, every connection of this process to the file closes (app/live_file.py): on
Windows a file open in the process can be neither replaced nor moved. A restore killed half-way
leaves its work folder, removed at the next start (app/leftovers.py).
Attachment files are only ever added (their names carry their checksum), never removed.
Reference numbers are never handed out twice: each day's counter continues after the highest
number the replaced database gave.

Limit: a save that another program instance commits in the instant between the safety copy
and the replacement is in neither (SQLite's backup API cannot hold the write lock across both
steps). A restore is a deliberate administrator's act; do it while no counter is saving.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app import audit, backup_rotation, damage, live_file
from app.atomic_files import atomic_path, atomic_write, remove, replace, sync_file, sync_folder
from app.db import Database
from app.errors import DeskError
from app.i18n import N_, _
from app.leftovers import working_folder
from app.network_drive import require_local_disk
from app.paths import Paths
from app.permissions import RESTORE, require
from app.schema_revisions import current_revision, known_revision, upgrade
from app.services.attachments import sha256_of
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
from app.services.backup_info import latest_good_backup as latest_good_backup  # re-exported
from app.services.backups import ProgressFn, _noop, create_backup, snapshot
from app.services.common import SYSTEM, Actor

WORK_PREFIX = ".restore-"


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    kept: Path | None  # the before-restore backup, or the damaged file moved aside
    kept_damaged_file: bool
    migrated: bool
    complaints: int
    attachments_added: int


def _damaged(source: Path, reason: str) -> NotABackup:
    return NotABackup(N_("The backup {file} is damaged: {reason}"), file=source.name,
                      reason=reason)


def _check_database(candidate: Path, source: Path) -> tuple[str, int]:
    problem = damage.diagnose(candidate, thorough=True)
    if problem is not None:
        raise _damaged(source, problem.text())
    revision, complaints = _sqlite_facts(candidate)
    if revision is None:
        raise NotABackup(N_("{file} is not a Complaint Desk backup."), file=source.name)
    if not known_revision(revision):
        raise NotABackup(N_("The backup {file} was made by a newer version of the program "
                            "(schema {revision}); update the program before restoring it."),
                         file=source.name, revision=revision)
    return revision, complaints


def _safe_member_target(root: Path, name: str) -> Path:
    target = (root / name).resolve()
    if (not name or not target.is_relative_to(root.resolve())
            or name.startswith(("/", "\\")) or target == root.resolve()):
        raise NotABackup(N_("The backup holds an unsafe file name: {name}"), name=name[:80])
    return target


def _copy_member(zf: zipfile.ZipFile, name: str, target: Path, limit: int, source: Path) -> str:
    """Stream one member to `target`, reading no more than `limit` bytes; its SHA-256."""
    digest = hashlib.sha256()
    done = 0
    try:
        with zf.open(name) as src, target.open("wb") as dst:
            while block := src.read(min(1 << 20, limit + 1 - done)):
                done += len(block)
                if done > limit:
                    raise _damaged(source, _("{name} is larger than it says", name=name))
                digest.update(block)
                dst.write(block)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError) as e:
        raise _damaged(source, str(e)) from None
    return digest.hexdigest()


def _extract(source: Path, work: Path, live_name: str) -> tuple[Path, list[tuple[Path, Entry]]]:
    """The backup's database as `work/<live name>` and its attachments unpacked and verified
    into `work/attachments/`; NotABackup on anything wrong."""
    candidate = work / live_name
    if not zipfile.is_zipfile(source):
        if damage.diagnose(source) is not None:
            raise NotABackup(N_("{file} is not a Complaint Desk backup."), file=source.name)
        snapshot(source, candidate)
        return candidate, []
    with zipfile.ZipFile(source) as zf:
        manifest = _manifest(zf, source)
        try:
            declared = zf.getinfo(DB_MEMBER).file_size
        except KeyError:
            raise _damaged(source, _("it holds no database")) from None
        entries = [a for a in manifest.get("attachments") or [] if isinstance(a, dict)]
        need = declared + sum(int(a.get("size") or 0) for a in entries)
        if need > shutil.disk_usage(work).free:
            raise DeskError(N_("There is not enough free disk space to restore {file}."),
                            file=source.name)
        _copy_member(zf, DB_MEMBER, candidate, declared, source)  # zipfile checks the CRC
        unpacked: list[tuple[Path, Entry]] = []
        root = work / "attachments"
        for entry in entries:
            name, sha = str(entry.get("name", "")), str(entry.get("sha256", ""))
            size = entry.get("size")
            if not isinstance(size, int) or size < 0:
                raise _damaged(source, _("attachment {name} has no size", name=name[:80]))
            target = _safe_member_target(root, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            if _copy_member(zf, ATTACHMENTS_DIR + name, target, size, source) != sha:
                raise _damaged(source, _("attachment {name} does not match its checksum",
                                         name=name[:80]))
            unpacked.append((target, entry))
    return candidate, unpacked


def _place_attachments(unpacked: list[tuple[Path, Entry]], root: Path) -> int:
    """Add the verified attachment files that are missing or differ (never remove any)."""
    added = 0
    for path, entry in unpacked:
        target = _safe_member_target(root, str(entry["name"]))
        if target.is_file() and sha256_of(target) == entry.get("sha256"):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with path.open("rb") as src, atomic_write(target) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        added += 1
    return added


def _keep_references_unique(candidate: Path, live: Path) -> None:
    """Reference numbers handed out since the backup are on customers' slips: the restored
    database continues each day's numbering after the highest number the replaced one gave,
    so no number is ever given to a second complaint."""
    try:
        conn = live_file.connect(live, read_only=True)
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


def _prepare(candidate: Path, live_paths: Paths, source: Path, info: BackupInfo, actor: Actor,
             kept_name: str) -> tuple[bool, int]:
    """Bring the checked copy up to date and write the restore's audit event into it (the
    data and its record arrive in one step); leave it a single self-contained file."""
    paths = Paths(live_paths.data_dir, f"sqlite:///{candidate}", candidate)
    db = Database(paths)
    try:
        before = current_revision(db)
        upgrade(db, backup=lambda d: create_backup(d, backup_rotation.KIND_BEFORE_MIGRATION).path)
        migrated = before != current_revision(db)
        with db.engine.connect() as conn:
            complaints = int(conn.exec_driver_sql("SELECT count(*) FROM complaints").scalar_one())
        audit.log(db, actor, "restore", source.name, made_at=info.made_at.isoformat(),
                  kept=kept_name)
    finally:
        db.dispose()
    plain = sqlite3.connect(candidate)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.execute("PRAGMA journal_mode=DELETE")  # no -wal to carry along
    finally:
        plain.close()
    return migrated, complaints


def _write_in_place(candidate: Path, live: Path, data_dir: Path) -> None:
    """Overwrite the live database's content with the candidate's, in one transaction."""
    with live_file.using(live, data_dir):
        src = sqlite3.connect(candidate)
        dst = live_file.connect(live)
        try:
            dst.execute("PRAGMA journal_mode=WAL")
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
            src.close()


def _aside(live: Path) -> Path:
    """Keep the damaged file (and its -wal/-shm) under a new name, the original still in
    place: a hard link where the disk allows, else a copy."""
    target = damage.aside_name(live)
    for suffix in ("", *damage.SIDE_FILES):
        src, dst = Path(f"{live}{suffix}"), Path(f"{target}{suffix}")
        if not src.exists():
            continue
        try:
            os.link(src, dst)
        except OSError:  # a disk without hard links: a whole copy, or none
            with atomic_path(dst) as part:
                shutil.copy2(src, part)
    sync_folder(live.parent)
    return target


def _close_connections(paths: Paths) -> None:
    """Every connection of this process to the file closes (they reopen on next use)."""
    assert paths.db_file is not None
    held = live_file.find(paths.db_file)
    if held is not None:
        held.close_all()


@dataclass(frozen=True)
class BackupCheck:
    """A backup that passed the checks a restore makes first (nothing was written)."""

    info: BackupInfo
    revision: str
    complaints: int


def check_backup(paths: Paths, source: Path, actor: Actor = SYSTEM) -> BackupCheck:
    """Everything `restore_backup` checks before it writes (manifest, database integrity, our
    schema, not from a newer program, every attachment), in a work folder of its own: the
    window asks "replace all current data?" only about a backup that can be restored.
    NotABackup (or DeskError) when refused."""
    require(actor, RESTORE)
    if paths.db_file is None:
        raise DeskError(N_("Backups of a server database are made on the server "
                           "(for example with pg_dump)."))
    source = Path(source).expanduser().resolve()
    info = inspect_backup(source)
    with working_folder(WORK_PREFIX, paths.db_file.parent) as work:
        candidate, _unpacked = _extract(source, work, paths.db_file.name)
        revision, complaints = _check_database(candidate, source)
    return BackupCheck(info, revision, complaints)


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
    with working_folder(WORK_PREFIX, live.parent) as work:
        candidate, unpacked = _extract(source, work, live.name)
        _check_database(candidate, source)
        progress(0.5, _("Keeping a copy of the current data…"))
        current_problem = damage.diagnose(live)
        sound = live.exists() and live.stat().st_size > 0 and current_problem is None
        kept: Path | None = None
        if sound:
            current = Database(paths)
            try:
                kept = create_backup(current, backup_rotation.KIND_BEFORE_RESTORE).path
            finally:
                current.dispose()
            _keep_references_unique(candidate, live)
        elif live.exists():
            kept = damage.aside_name(live)
        progress(0.7, _("Bringing the backup up to date…"))
        migrated, complaints = _prepare(candidate, paths, source, info, actor,
                                        kept.name if kept else "")
        progress(0.8, _("Replacing the database…"))
        added = _place_attachments(unpacked, paths.attachments)
        _close_connections(paths)
        if sound:
            _write_in_place(candidate, live, paths.data_dir)
        else:
            if live.exists():
                kept = _aside(live)
                for suffix in damage.SIDE_FILES:  # they would be replayed into the new file
                    remove(Path(f"{live}{suffix}"))
            sync_file(candidate)
            replace(candidate, live)
            sync_folder(live.parent)
        with contextlib.suppress(OSError):
            shutil.rmtree(work / "attachments")
    progress(1.0, _("Restore finished"))
    return RestoreResult(info, kept, current_problem is not None and kept is not None, migrated,
                         complaints, added)
