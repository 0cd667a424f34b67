"""Showing personal data only to roles that need it (setting `mask_personal_data`).

One rule for the board, exports, reports and the panels: with the setting on, roles below
the one SEE_PERSONAL_DATA needs (app/permissions.py: supervisor) see phones as 138****5678
and emails as w***@example.com. Printed slips always mask (app/reports/slip_layout.py): a
slip leaves the building with the customer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from app.permissions import SEE_PERSONAL_DATA, HasRole, role_may
from app.phones import mask_phone
from app.settings import get as get_setting

T = TypeVar("T")
Masking = Mapping[str, Any] | bool  # the settings (read_settings) or the answer itself
Who = HasRole | str  # a person (an Actor) or their role


def mask_email(email: str | None) -> str:
    """w***@example.com: the first character and the domain stay visible."""
    if not email:
        return ""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _setting_on(settings: Masking) -> bool:
    if isinstance(settings, bool):
        return settings
    return bool(settings.get("mask_personal_data", True))


def masks_for(who: Who, settings: Masking) -> bool:
    """Are phones and emails masked for this person (or role)?"""
    role = who if isinstance(who, str) else who.role
    return _setting_on(settings) and not role_may(role, SEE_PERSONAL_DATA)


def masks_in(session: Session, who: Who) -> bool:
    """masks_for() with the setting read in the caller's session."""
    return masks_for(who, bool(get_setting(session, "mask_personal_data")))


def shown_phone(actor: Who, phone: str | None, settings: Masking) -> str:
    """The phone as this person may see it ("" when there is none)."""
    if not phone:
        return ""
    return mask_phone(phone) if masks_for(actor, settings) else phone


def shown_email(actor: Who, email: str | None, settings: Masking) -> str:
    if not email:
        return ""
    return mask_email(email) if masks_for(actor, settings) else email


def mask_items(items: Sequence[T], actor: Who, settings: Masking,
               fields: tuple[str, ...] = ("phone",)) -> list[T]:
    """Copies of dataclass items (queue Cards, revisit rows ...) with their phone/email
    fields as this person may see them; the items themselves unchanged when not masked."""
    if not masks_for(actor, settings):
        return list(items)
    out = []
    for item in items:
        changes = {}
        for name in fields:
            value = getattr(item, name)
            if value:
                changes[name] = mask_email(value) if name == "email" else mask_phone(value)
        out.append(replace(item, **changes) if changes else item)  # type: ignore[type-var]
    return out
