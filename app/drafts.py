"""Drafts of half-typed forms, kept in the data folder so a crash or power cut loses nothing.

A draft is a small JSON file written atomically: the text goes to a temporary file in the same
folder, is flushed to the disk (fsync), then renamed over the old draft and the folder entry is
synced too (app/atomic_files.py). A reader therefore sees either the old draft or the new one,
never a half-written file.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.atomic_files import PART_SUFFIX, FileInUse, remove, replace, write_bytes

FORMAT = 1
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Draft:
    fields: dict[str, Any]
    saved_at: datetime


def draft_file(folder: Path, name: str) -> Path:
    """The draft file for a form (`name` such as "intake-u3"), made safe as a file name."""
    return Path(folder) / f"{_SAFE.sub('_', name) or 'draft'}.json"


def save_draft(folder: Path, name: str, fields: dict[str, Any], saved_at: datetime) -> Path:
    """Write the draft atomically and durably; returns its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = draft_file(folder, name)
    payload = json.dumps({"format": FORMAT, "saved_at": saved_at.isoformat(), "fields": fields},
                         ensure_ascii=False, indent=1)
    write_bytes(target, payload.encode("utf-8"), private=True)
    # A crash between creating the temporary file and the rename leaves it behind: tidy
    # those up (and those of versions before app/atomic_files.py).
    for stale in [*folder.glob(f".{target.name}.*{PART_SUFFIX}"),
                  *folder.glob(f".{target.stem}-*.tmp")]:
        with contextlib.suppress(OSError):
            stale.unlink()
    return target


def load_draft(folder: Path, name: str) -> Draft | None:
    """The saved draft, or None when there is none. A damaged draft is set aside (renamed to
    `.bad`) rather than deleted, and None is returned, so that start-up never fails on it."""
    path = draft_file(folder, name)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw)
        fields = data["fields"]
        saved_at = datetime.fromisoformat(data["saved_at"])
        if not isinstance(fields, dict) or data.get("format") != FORMAT:
            raise ValueError("unexpected draft format")
    except (ValueError, KeyError, TypeError):
        with contextlib.suppress(OSError, FileInUse):
            replace(path, path.with_suffix(".bad"))
        return None
    return Draft(fields=fields, saved_at=saved_at)


def discard_draft(folder: Path, name: str) -> None:
    """Remove the draft (after the form was saved or cleared on purpose)."""
    remove(draft_file(folder, name))  # retried while the indexer or antivirus reads it

