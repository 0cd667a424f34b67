"""Backup file names and which backups to keep (grandfather-father-son rotation).

A backup in the backup folder is named `<database name>-<YYYYMMDD-HHMMSS>-<kind>.zip`, so one
folder (a USB stick, a share) can hold the backups of several databases and each database only
ever rotates its own files. Files of any other name are never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

KIND_DAILY = "daily"  # made at start, at most once a day
KIND_MANUAL = "manual"  # "Back up now" in the window, `backup` on the command line
KIND_BEFORE_MIGRATION = "before-migration"
KIND_BEFORE_RESTORE = "before-restore"
KINDS = (KIND_DAILY, KIND_MANUAL, KIND_BEFORE_MIGRATION, KIND_BEFORE_RESTORE)
ROTATED = (KIND_DAILY, KIND_MANUAL)
# Safety copies made before a migration or a restore are rare and precious: the newest few of
# each kind are kept whatever the rotation settings say.
KEEP_SAFETY_COPIES = 10
STAMP = "%Y%m%d-%H%M%S"
SUFFIX = ".zip"


@dataclass(frozen=True)
class BackupName:
    path: Path
    made_at: datetime
    kind: str


def file_name(db_stem: str, made_at: datetime, kind: str) -> str:
    return f"{db_stem}-{made_at:{STAMP}}-{kind}{SUFFIX}"


def parse(path: Path, db_stem: str) -> BackupName | None:
    """The backup's time and kind from its name; None for files that are not ours."""
    kinds = "|".join(re.escape(k) for k in KINDS)
    m = re.fullmatch(rf"{re.escape(db_stem)}-(\d{{8}}-\d{{6}})(?:-\d+)?-({kinds})"
                     rf"{re.escape(SUFFIX)}", path.name)
    if m is None:
        return None
    try:
        made_at = datetime.strptime(m.group(1), STAMP)
    except ValueError:
        return None
    return BackupName(path, made_at, m.group(2))


def parse_any(path: Path) -> BackupName | None:
    """Time and kind from a backup's name, whatever database it belongs to."""
    m = re.fullmatch(rf"(.+?)-(\d{{8}}-\d{{6}})(?:-\d+)?-(?:{'|'.join(KINDS)})"
                     rf"{re.escape(SUFFIX)}", path.name)
    return parse(path, m.group(1)) if m else None


def scan(folder: Path, db_stem: str) -> list[BackupName]:
    """This database's backups in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found = [b for p in folder.iterdir() if p.is_file() and (b := parse(p, db_stem))]
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def _newest_per_bucket(backups: list[BackupName], bucket: str, count: int) -> set[Path]:
    """The newest backup in each of the `count` most recent buckets (day, week or month)."""
    kept: set[Path] = set()
    seen: list[str] = []
    for b in backups:  # newest first
        if bucket == "day":
            key = b.made_at.strftime("%Y-%m-%d")
        elif bucket == "week":
            year, week, _ = b.made_at.isocalendar()
            key = f"{year}-W{week:02d}"
        else:
            key = b.made_at.strftime("%Y-%m")
        if key in seen:
            continue
        if len(seen) >= count:
            break
        seen.append(key)
        kept.add(b.path)
    return kept


def to_delete(backups: list[BackupName], daily: int, weekly: int, monthly: int,
              protect: frozenset[Path] = frozenset()) -> list[Path]:
    """The backups the rotation drops: not among the newest per day, week or month kept.

    Never dropped: the newest backup of each rotated kind (a manual backup made in the
    morning does not push out that morning's automatic one, nor the other way round), and
    whatever the caller protects (the newest backup that reads back intact)."""
    ordered = sorted(backups, key=lambda b: (b.made_at, b.path.name), reverse=True)
    rotated = [b for b in ordered if b.kind in ROTATED]
    keep: set[Path] = set(protect)
    for kind in ROTATED:
        keep |= {b.path for b in [r for r in rotated if r.kind == kind][:1]}
    keep |= _newest_per_bucket(rotated, "day", daily)
    keep |= _newest_per_bucket(rotated, "week", weekly)
    keep |= _newest_per_bucket(rotated, "month", monthly)
    for kind in (KIND_BEFORE_MIGRATION, KIND_BEFORE_RESTORE):
        keep |= {b.path for b in [b for b in ordered if b.kind == kind][:KEEP_SAFETY_COPIES]}
    return [b.path for b in ordered if b.path not in keep]
