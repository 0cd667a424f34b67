"""The window's "go to reference" box: what the clerk typed, turned into a stored reference.

Accepts the reference as printed (TS-20260310-0007), in lower case, with full-width characters
or spaces from a Chinese input method, without the "TS-" prefix, or as today's number only
("7" or "0007").
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from app import clock
from app.db import Database
from app.models import Complaint
from app.references import format_reference

_FULL = re.compile(r"^(?:TS)?-?(\d{8})-?(\d{1,})$")
_NUMBER_ONLY = re.compile(r"^\d{1,6}$")


def candidate(text: str) -> str | None:
    """The reference the text most likely means (not checked against the database)."""
    raw = unicodedata.normalize("NFKC", text or "").strip().upper().replace(" ", "")
    raw = raw.replace("_", "-").replace("—", "-").replace("－", "-")
    if not raw:
        return None
    if _NUMBER_ONLY.match(raw):
        return format_reference(clock.now().strftime("%Y%m%d"), int(raw))
    m = _FULL.match(raw)
    if m:
        return format_reference(m.group(1), int(m.group(2)))
    return None


def find_reference(db: Database, text: str) -> str | None:
    """The stored reference the clerk means, or None when no complaint has it."""
    ref = candidate(text)
    if ref is None:
        return None
    with db.read() as session:
        return session.scalar(select(Complaint.reference).where(Complaint.reference == ref))
