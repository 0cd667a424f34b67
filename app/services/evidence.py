"""Evidence files of a complaint (photos, receipts, recordings) added after intake."""

from __future__ import annotations

from pathlib import Path

from app import clock
from app.db import Database
from app.rules.edits import PART_ATTACHMENT, require_editable
from app.services.attachments import attach, local_copy
from app.services.common import SYSTEM, Actor, Saved, load_complaint, touch


def add_attachment(db: Database, reference: str, source: Path | str,
                   actor: Actor = SYSTEM) -> Saved:
    """Copy a file into the data folder and link it; the timeline records it.

    Like contacts, adding evidence never conflicts with other edits: no version is asked.
    """
    now = clock.now()
    with db.write() as session:
        c = load_complaint(session, reference)
        require_editable(c.stage, PART_ATTACHMENT)
        attach(session, db.paths, c, Path(source), actor, now)
        touch(c, now)
        session.flush()
        return Saved(c.reference, c.stage, c.version)


def attachment_path(db: Database, attachment_id: int) -> Path:
    """A file to open for the attachment: the stored file, or on a server database a checked
    copy of its content in this PC's cache (app/services/attachments.local_copy)."""
    return local_copy(db, attachment_id)
