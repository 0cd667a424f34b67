"""Opening a database: leftovers of killed work cleaned, the file checked for damage (a
DamagedDatabase names the latest good backup), then brought to the program's schema with a
backup copy first (the upgrade itself is app/schema_revisions.py, below the services)."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

from app import backup_rotation, leftovers, schema_revisions
from app.backup_places import remembered_folders
from app.backup_rotation import KIND_BEFORE_MIGRATION
from app.damage import (
    CLEAN_CLOSE_FILE,
    R_EMPTIED,
    DamagedDatabase,
    Diagnosis,
    diagnose,
    unchanged_since_close,
)
from app.db import Database
from app.network_drive import require_local_disk
from app.paths import Paths, resolve
from app.schema_revisions import MIGRATIONS as MIGRATIONS
from app.schema_revisions import current_revision as current_revision
from app.schema_versions import (
    Counter,
    NewerDatabase,
    OtherCountersConnected,
    other_counters,
)
from app.services.backup_info import latest_good_backup
from app.services.backups import create_backup

__all__ = ["NewerDatabase", "OtherCountersConnected", "open_database", "upgrade"]


# From this module's MIGRATIONS (tests point it at a copy holding a future revision).
def _config() -> Config:
    return schema_revisions.alembic_config(MIGRATIONS)


def head_revision() -> str:
    return schema_revisions.head_revision(MIGRATIONS)


def backup_copy(db: Database, label: str = "") -> Path | None:
    """A consistent copy of the SQLite file (online backup API), before changing its schema.

    Written as a `before-migration` backup into the backup folder (app/services/backups.py),
    so it is listed and restorable like any other; `label` is kept for callers' logs.
    """
    if not db.is_sqlite or db.paths.db_file is None or not db.paths.db_file.exists():
        return None
    return create_backup(db, KIND_BEFORE_MIGRATION).path


def known_revisions() -> frozenset[str]:
    return schema_revisions.known_revisions(MIGRATIONS)


def guard_writes(db: Database) -> None:
    schema_revisions.guard_writes(db, MIGRATIONS)


def upgrade(db: Database) -> Path | None:
    """Upgrade to head if needed, a `before-migration` backup first; returns that backup.
    (app/schema_revisions.upgrade: NewerDatabase, OtherCountersConnected.)"""
    return schema_revisions.upgrade(db, MIGRATIONS, backup_copy)


def counters_still_connected(db_arg: str | None) -> list[Counter]:
    """The other counters connected to the server database named by `db_arg` (what the
    window waits for before a newer program may change the layout)."""
    db = Database(resolve(db_arg))
    try:
        with db.engine.connect() as conn:
            return other_counters(conn)
    finally:
        db.dispose()


def open_database(db_arg: str | None = None) -> Database:
    """The database named by --db / $COMPLAINT_DESK_DB / the default, at the current schema."""
    paths = resolve(db_arg)
    clean_leftovers(paths)
    check_file(paths)
    db = Database(paths)
    upgrade(db)
    from app.services.phone_keys import rekey_legacy

    rekey_legacy(db)  # customers keyed before E.164 phone keys (app/services/phone_keys.py)
    return db


def _emptied(paths: Paths) -> bool:
    """A 0-byte file where a desk has lived (its backups, attachments or clean-close note are
    there) lost its data: it is damage, never a new desk to set up."""
    file = paths.db_file
    if file is None or not file.exists() or file.stat().st_size > 0:
        return False
    if (paths.data_dir / CLEAN_CLOSE_FILE).exists():
        return True
    if paths.attachments.is_dir() and any(p.is_file() for p in paths.attachments.rglob("*")):
        return True
    return any(backup_rotation.scan(folder, file.stem) for folder in remembered_folders(paths))


def clean_leftovers(paths: Paths) -> None:
    """What killed backups and restores left beside the database goes (app/leftovers.py)."""
    if paths.db_file is not None:
        leftovers.clean(paths, remembered_folders(paths))


def check_file(paths: Paths) -> None:
    """Raise DamagedDatabase (naming the latest good backup) before anything touches a file
    that is not a sound Complaint Desk database; the file itself is left as it is."""
    if paths.db_file is None:
        return
    require_local_disk(paths.db_file)  # before it would be called damaged (app/network_drive)
    if _emptied(paths):
        problem: Diagnosis | None = Diagnosis(R_EMPTIED, {})
    else:
        problem = diagnose(paths.db_file,
                           scan=not unchanged_since_close(paths.db_file, paths.data_dir))
    if problem is not None:
        backup = latest_good_backup(paths)
        raise DamagedDatabase(paths.db_file, problem, backup.path if backup else None,
                              backup.made_at if backup else None)
