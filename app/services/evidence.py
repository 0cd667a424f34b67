"""Evidence files of a complaint (photos, receipts, recordings) added after intake."""

from __future__ import annotations

from pathlib import Path

from app import clock
from app.db import Database
from app.errors import NotFound
from app.i18n import N_
from app.models import Attachment
from app.rules.edits import PART_ATTACHMENT, require_editable
from app.services.attachments import attach
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
    """Where the stored copy of an attachment is (to open it)."""
    with db.read() as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise NotFound(N_("No attachment number {number}"), number=attachment_id)
        return db.paths.attachments / row.stored_name
