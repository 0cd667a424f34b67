"""Attachment files, with their SHA-256: where their content is kept and how it is read back.

- A SQLite desk (one PC) keeps each file in its data folder under a safe name
  (`attachments/<reference>/<sha[:12]>-<name>`), beside the database it belongs to.
- A server database (several counters) keeps the content in the database itself, in
  `attachment_blobs`, once per SHA-256, so that every counter can open what any counter
  attached; opening it writes a checked copy into this PC's cache folder for the viewer.
Either way the `attachments` row names the file and its checksum, and a file larger than
MAX_BYTES is refused before anything is saved (the window states the limit).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from datetime import datetime
from pathlib import Path

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, SessionTransaction

from app.atomic_files import FileInUse, atomic_path, remove, write_bytes
from app.db import Database
from app.errors import DeskError, NotFound, ValidationError
from app.i18n import N_, _
from app.models import Attachment, AttachmentBlob, Complaint
from app.paths import Paths
from app.services.common import Actor
from app.timeline import record

MAX_BYTES = 50 * 1024 * 1024
CACHE_DIR = "attachment-cache"  # this PC's copies of server-held attachments, to open them
_UNSAFE = re.compile(r"[^\w.\-\u3400-\u9fff]+")


def safe_name(name: str) -> str:
    """Only the last part of a name, without separators, dots at the start or odd characters."""
    base = re.split(r"[\\/]", name)[-1]
    base = _UNSAFE.sub("_", base).lstrip(".") or "file"
    return base[-120:]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_file(source: Path) -> int:
    """The file's size if it can be attached; ValidationError naming it otherwise (the intake
    form asks this when a file is picked or dropped, before the complaint is saved)."""
    source = Path(source)
    if not source.is_file():
        raise ValidationError("attachment", N_("file not found: {name}"),
                              name=display_name(source))
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise ValidationError("attachment", N_("is larger than 50 MB: {name}"),
                              name=display_name(source))
    return size


def limit_text() -> str:
    """The size limit per file, for the window ("Up to 50 MB per file")."""
    return _("Up to {size} per file", size=f"{MAX_BYTES // (1024 * 1024)} MB")


def held_in_database(session: Session) -> bool:
    """Does this database keep attachment contents itself (a server shared by counters)?"""
    return session.get_bind().dialect.name == "postgresql"


def attach(session: Session, paths: Paths, complaint: Complaint, source: Path, actor: Actor,
           now: datetime) -> Attachment:
    source = Path(source)
    size = check_file(source)
    shown = display_name(source)
    if held_in_database(session):
        data = source.read_bytes()  # hashed as stored: a file changed meanwhile cannot slip in
        digest, size = hashlib.sha256(data).hexdigest(), len(data)
        put_blob(session, digest, data, now)
        stored = f"{complaint.reference}/{digest[:12]}-{safe_name(shown)}"
    else:
        digest = sha256_of(source)
        stored = f"{complaint.reference}/{digest[:12]}-{safe_name(shown)}"
        _store_file(session, paths, source, stored, digest)
    row = Attachment(complaint_id=complaint.id, original_name=shown[:255],
                     stored_name=stored, sha256=digest, size=size, added_at=now,
                     by_id=actor.user_id)
    session.add(row)
    record(session, complaint, "attachment", actor.user_id, actor.name, now, name=shown)
    return row


def _store_file(session: Session, paths: Paths, source: Path, stored: str, digest: str) -> None:
    target = paths.attachments / stored
    target.parent.mkdir(parents=True, exist_ok=True)
    existed = target.exists()
    # Synced before the save that refers to it commits: the row survives a power cut
    # (synchronous=FULL), so must the file.
    if not existed or sha256_of(target) != digest:  # the same file attached again: keep it
        with atomic_path(target) as part:
            shutil.copyfile(source, part)
    if not existed:
        _remove_on_rollback(session, target)


# --- contents held in a server database ---------------------------------------------------
# For backups and restores of a server database (app/services/backups.py, restore.py):
# `blob_list` names every content, `read_blob` gives it, `put_blob` stores one (deduplicated).


def put_blob(session: Session, digest: str, data: bytes, now: datetime) -> bool:
    """Store a content under its SHA-256 unless it is there already; True when added."""
    if hashlib.sha256(data).hexdigest() != digest:
        raise DeskError(N_("The attachment's content does not match its checksum; nothing "
                           "was saved."))
    if session.scalar(select(AttachmentBlob.sha256).where(AttachmentBlob.sha256 == digest)):
        return False
    from sqlalchemy.dialects.postgresql import insert

    done = session.execute(insert(AttachmentBlob).values(
        sha256=digest, size=len(data), data=data, added_at=now
    ).on_conflict_do_nothing(index_elements=["sha256"]))  # another counter, same photo
    return bool(getattr(done, "rowcount", 0))


def read_blob(session: Session, digest: str) -> bytes | None:
    """The content stored under `digest`, or None."""
    data = session.scalar(select(AttachmentBlob.data).where(AttachmentBlob.sha256 == digest))
    return bytes(data) if data is not None else None


def blob_list(session: Session) -> list[tuple[str, int]]:
    """(SHA-256, size) of every content the database holds."""
    return [(str(d), int(n)) for d, n in session.execute(
        select(AttachmentBlob.sha256, AttachmentBlob.size).order_by(AttachmentBlob.sha256))]


def unreferenced_blobs(session: Session) -> int:
    """Contents no attachment names any more (none are deleted today: worth knowing)."""
    used = select(Attachment.sha256)
    return int(session.scalar(select(func.count()).select_from(AttachmentBlob)
                              .where(AttachmentBlob.sha256.not_in(used))) or 0)


def local_copy(db: Database, attachment_id: int) -> Path:
    """A file this PC can open for the attachment: the stored file of a SQLite desk, or a
    checked copy of the server-held content in this PC's cache folder."""
    with db.read() as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise NotFound(N_("No attachment number {number}"), number=attachment_id)
        name, digest = row.original_name, row.sha256
        if not held_in_database(session):
            return db.paths.attachments / row.stored_name
        target = db.paths.data_dir / CACHE_DIR / digest[:2] / digest / safe_name(name)
        if target.is_file() and sha256_of(target) == digest:
            return target
        data = read_blob(session, digest)
    if data is None:
        raise DeskError(N_("The content of attachment {name} is missing on the server."),
                        name=name)
    if hashlib.sha256(data).hexdigest() != digest:
        raise DeskError(N_("The content of attachment {name} on the server does not match "
                           "its checksum."), name=name)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(target, data)
    return target


# --- data safety (issue 8) ----------------------------------------------------------------


def display_name(source: Path) -> str:
    """The file's name as people read it. A name that is not valid Unicode (on Linux, bytes
    from an old Chinese zip archive, usually GBK) is decoded as GB18030 or Big5; whatever
    still cannot be read becomes U+FFFD, so the database never receives a lone surrogate."""
    name = Path(source).name
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    for codec in ("utf-8", "gb18030", "big5"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def _remove_on_rollback(session: Session, target: Path) -> None:
    """A file copied for a save that is then abandoned would belong to nothing: remove it when
    the whole transaction rolls back (not a savepoint), keep it once it commits."""
    armed = [True]

    def on_rollback(_session: Session, transaction: SessionTransaction) -> None:
        if armed[0] and transaction.parent is None:
            armed[0] = False
            with contextlib.suppress(OSError, FileInUse):  # `check` reports a file left over
                remove(target)
            with contextlib.suppress(OSError):
                target.parent.rmdir()  # the complaint's folder, if nothing else is in it

    def on_commit(sess: Session) -> None:
        if not sess.in_nested_transaction():
            armed[0] = False

    event.listen(session, "after_soft_rollback", on_rollback)
    event.listen(session, "after_commit", on_commit)
