"""Attachment files: copied into the data folder under a safe name, with their SHA-256."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from datetime import datetime
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.atomic_files import FileInUse, atomic_path, remove
from app.errors import ValidationError
from app.i18n import N_
from app.models import Attachment, Complaint
from app.paths import Paths
from app.services.common import Actor
from app.timeline import record

MAX_BYTES = 50 * 1024 * 1024
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


def attach(session: Session, paths: Paths, complaint: Complaint, source: Path, actor: Actor,
           now: datetime) -> Attachment:
    source = Path(source)
    size = check_file(source)
    digest = sha256_of(source)
    shown = display_name(source)
    stored = f"{complaint.reference}/{digest[:12]}-{safe_name(shown)}"
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
    row = Attachment(complaint_id=complaint.id, original_name=shown[:255],
                     stored_name=stored, sha256=digest, size=size, added_at=now,
                     by_id=actor.user_id)
    session.add(row)
    record(session, complaint, "attachment", actor.user_id, actor.name, now, name=shown)
    return row


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
