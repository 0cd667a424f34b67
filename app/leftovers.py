"""Work folders of backups and restores, and what killed ones leave behind.

A backup or a restore works in a folder beside the database (`.backup-…`, `.restore-…`: a full
copy of customers' data) and writes files through app/atomic_files.py (`.<name>.<hex>.part`).
A process killed half-way leaves them; `clean` removes them at the next start. A work folder
still in use is recognised by the lock its process holds on `<folder>/.busy` (filelock: it
goes with the process, whatever happens to it); a `.part` file by a recent change while some
backup or restore is working.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from app.atomic_files import remove, stale_parts
from app.paths import Paths

log = logging.getLogger(__name__)

WORK_PREFIXES = (".backup-", ".restore-")
BUSY_FILE = ".busy"
PART_IDLE_S = 2.0  # a part file our writers are not writing any more (no work going on)
PART_ABANDONED_S = 600.0  # ... whatever else is going on
NEW_FOLDER_S = 60.0  # a work folder whose lock is not yet taken


@contextlib.contextmanager
def working_folder(prefix: str, parent: Path) -> Iterator[Path]:
    """A fresh work folder beside the database, marked busy for as long as it is used."""
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=prefix, dir=parent) as work:
        lock = FileLock(Path(work) / BUSY_FILE, thread_local=False, preserve_lock_file=True)
        lock.acquire()
        try:
            yield Path(work)
        finally:
            lock.release()


def _in_use(folder: Path) -> bool:
    busy = folder / BUSY_FILE
    if not busy.exists():
        return time.time() - folder.stat().st_mtime < NEW_FOLDER_S
    lock = FileLock(busy, thread_local=False, preserve_lock_file=True)
    try:
        lock.acquire(timeout=0)
    except (Timeout, OSError):
        return True
    lock.release()
    return False


def _work_folders(paths: Paths) -> list[Path]:
    if paths.db_file is None or not paths.db_file.parent.is_dir():
        return []
    return [p for p in paths.db_file.parent.iterdir()
            if p.is_dir() and p.name.startswith(WORK_PREFIXES)]


def _part_folders(paths: Paths, backup_folders: list[Path]) -> list[Path]:
    folders = [paths.data_dir, paths.drafts, *backup_folders]
    if paths.db_file is not None:
        folders.append(paths.db_file.parent)
    if paths.attachments.is_dir():
        folders += [paths.attachments, *(p for p in paths.attachments.rglob("*") if p.is_dir())]
    return list(dict.fromkeys(folders))


def clean(paths: Paths, backup_folders: list[Path]) -> list[Path]:
    """Remove what killed backups and restores left; the removed paths."""
    removed: list[Path] = []
    working = False
    for folder in _work_folders(paths):
        if _in_use(folder):
            working = True
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    idle = PART_ABANDONED_S if working else PART_IDLE_S
    now = time.time()
    for folder in _part_folders(paths, backup_folders):
        for part in stale_parts(folder):
            try:
                if now - part.stat().st_mtime >= idle:
                    remove(part)
                    removed.append(part)
            except OSError:
                continue
    if removed:
        log.warning("Removed what interrupted work left: %s", ", ".join(map(str, removed)))
    return removed
