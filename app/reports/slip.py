"""The complaint slip (投诉受理单) handed to the customer: A5 page or 80 mm receipt roll.

`build_slip` is pure (a ComplaintDetail and the settings in, PDF bytes out); `write_slip` reads
both from the database and writes the file atomically. Every text is in the current language
and drawn in the shipped CJK font, which is embedded (copyable text, no boxes on any viewer).
The page's content and sizes live in `slip_layout.py`.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from app.atomic_files import write_bytes
from app.db import Database
from app.i18n import _, get_language, set_language
from app.outputs import guard_output
from app.reports.fonts import register_fonts
from app.reports.slip_layout import LOOKS, TITLE, Look, story
from app.services.complaints import ComplaintDetail, get_detail
from app.sla import SlaPolicy, due_times

FORMATS = tuple(LOOKS)
_SHORTEST_DESCRIPTION = 40  # display columns: about two lines of a slip

_language_lock = threading.Lock()


@contextmanager
def _language(lang: str | None) -> Iterator[None]:
    """Texts in `lang` for the duration (None: the current language, nothing switched).

    The language is process-wide, so this is for the command line and tests; the window
    builds slips on a worker thread in its own language and passes None.
    """
    if lang is None or lang == get_language():
        yield
        return
    with _language_lock:
        before = get_language()
        set_language(lang)
        try:
            yield
        finally:
            set_language(before)


def build_slip(detail: ComplaintDetail, settings: dict[str, Any], fmt: str = "a5",
               lang: str | None = None) -> bytes:
    """The slip as PDF bytes. `detail` must have been read in the same language (its labels)."""
    if fmt not in LOOKS:
        raise ValueError(fmt)
    look = LOOKS[fmt]
    with _language(lang):
        if look.page_height is None:
            # A roll is cut after the content: measure it, then make the page that tall.
            height = _measure(story(detail, settings, look), look) + 2 * look.margin_y + 2 * mm
        else:
            # A page holds what it holds: a long story is told shorter, never on a 2nd page.
            height = look.page_height
            room = height - 2 * look.margin_y
            while (look.description_width > _SHORTEST_DESCRIPTION
                   and _measure(story(detail, settings, look), look) > room):
                look = replace(look, description_width=int(look.description_width * 0.75))
        # The measurement is exact for these flowables; the loop only guards against surprises
        # (then a roll grows, and a page, as a last resort, gets a second page).
        for _attempt in range(4):
            pdf, pages = _render(detail, settings, look, height)
            if pages == 1 or look.page_height is not None:
                return pdf
            height *= 1.25
        return pdf


def write_slip(db: Database, reference: str, out_path: str | os.PathLike[str],
               fmt: str = "a5", lang: str | None = None) -> Path:
    """Read the complaint and the settings, write its slip to `out_path`; returns the path.

    NotFound for an unknown reference (nothing written). The file appears whole or not at
    all: written beside the target, then renamed over it.
    """
    if fmt not in LOOKS:
        raise ValueError(fmt)
    target = guard_output(db, out_path)  # never onto the database or a backup
    pdf = slip_pdf(db, reference, fmt, lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(target, pdf)
    return target


def slip_pdf(db: Database, reference: str, fmt: str = "a5", lang: str | None = None) -> bytes:
    """The slip of `reference` as PDF bytes, in `lang` (None: the current language)."""
    from app.settings import get_all, sla_policy

    if fmt not in LOOKS:
        raise ValueError(fmt)
    with _language(lang):
        detail = get_detail(db, reference)
        with db.read() as session:
            settings = get_all(session)
            policy = sla_policy(session)
        detail = with_promises(detail, policy)
        return build_slip(detail, settings, fmt)


def with_promises(detail: ComplaintDetail, policy: SlaPolicy | None = None) -> ComplaintDetail:
    """The detail with both promised times set (computed from the SLA when missing)."""
    if detail.first_contact_due_at is not None and detail.due_at is not None:
        return detail
    first, due = due_times(detail.received_at, detail.severity, policy or SlaPolicy(),
                           detail.tier)
    return replace(detail, first_contact_due_at=detail.first_contact_due_at or first,
                   due_at=detail.due_at or due)


# --- rendering -------------------------------------------------------------------------------


def _doc(buffer: io.BytesIO, detail: ComplaintDetail, settings: dict[str, Any], look: Look,
         height: float) -> BaseDocTemplate:
    frame = Frame(look.margin_x, look.margin_y, look.page_width - 2 * look.margin_x,
                  height - 2 * look.margin_y, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="slip")
    doc = BaseDocTemplate(
        buffer, pagesize=(look.page_width, height), leftMargin=look.margin_x,
        rightMargin=look.margin_x, topMargin=look.margin_y, bottomMargin=look.margin_y,
        title=f"{_(TITLE)} {detail.reference}", author=settings.get("business_name") or "",
        subject=detail.reference, creator="Complaint Desk",
        # Else every page names Helvetica, a font the PDF does not embed.
        initialFontName=register_fonts(),
    )
    doc.addPageTemplates([PageTemplate(id="slip", frames=[frame])])
    return doc


def _render(detail: ComplaintDetail, settings: dict[str, Any], look: Look,
                    height: float) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    doc = _doc(buffer, detail, settings, look, height)
    doc.build(story(detail, settings, look))
    return buffer.getvalue(), int(doc.page)


def _measure(flowables: list[Flowable], look: Look) -> float:
    width = look.page_width - 2 * look.margin_x
    total = 0.0
    for i, flowable in enumerate(flowables):
        _w, h = flowable.wrap(width, 10_000)
        total += h + flowable.getSpaceAfter() + (flowable.getSpaceBefore() if i else 0)
    return total


