"""Where a database's backups go: the chosen folder (setting `backup_dir`), the default one,
and every folder its backups were written to (remembered outside the database, so that they
are found when the database itself is damaged). Read by backups, restore, `check`, the
damaged-file check and the output guard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.atomic_files import FileInUse, write_bytes
from app.db import Database
from app.paths import Paths
from app.settings import SPEC_BY_KEY

FOLDERS_FILE = "backup-folders.json"  # where this database's backups went (read when damaged)


def raw_setting(db: Database, key: str) -> Any:
    """A setting read with plain SQL: works at any schema revision (before a migration too)."""
    try:
        with db.engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT value FROM settings WHERE key = ?",
                                       (key,)).first()
    except Exception:  # noqa: BLE001 - an old or odd schema: the declared default applies
        row = None
    return json.loads(row[0]) if row is not None else SPEC_BY_KEY[key].default


def backup_folder(db: Database) -> Path:
    """The folder chosen in the settings (`backup_dir`), else `<data folder>/backups`."""
    chosen = str(raw_setting(db, "backup_dir") or "").strip()
    return Path(chosen).expanduser() if chosen else db.paths.backups


def remembered_folders(paths: Paths) -> list[Path]:
    """Every folder this database's backups went to, the default one first."""
    folders = [paths.backups]
    try:
        extra = json.loads((paths.data_dir / FOLDERS_FILE).read_text(encoding="utf-8"))
        folders += [Path(f) for f in extra if isinstance(f, str)]
    except (OSError, ValueError):
        pass
    return list(dict.fromkeys(folders))


def remember_folder(paths: Paths, folder: Path) -> None:
    """Kept outside the database: when the database is damaged its settings cannot be read."""
    folders = [str(f) for f in remembered_folders(paths)[1:] if f != folder]
    if folder != paths.backups:
        folders.insert(0, str(folder))
    try:
        paths.data_dir.mkdir(parents=True, exist_ok=True)
        write_bytes(paths.data_dir / FOLDERS_FILE, json.dumps(folders[:5]).encode("utf-8"))
    except (OSError, FileInUse):
        pass


def all_folders(db: Database) -> list[Path]:
    """The chosen folder and every remembered one, without repeats."""
    return list(dict.fromkeys([backup_folder(db), *remembered_folders(db.paths)]))
