"""Showing personal data only to roles that need it (setting `mask_personal_data`).

One rule for the board, exports, reports and the panels: with the setting on, roles below
the one SEE_PERSONAL_DATA needs (app/permissions.py: supervisor) see phones as 138****5678
and emails as w***@example.com. Printed slips always mask (app/reports/slip_layout.py): a
slip leaves the building with the customer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
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
    """Copies of dataclass or named-tuple items (queue Cards, revisit rows ...) with their
    phone/email fields as this person may see them; the items unchanged when not masked."""
    if not masks_for(actor, settings):
        return list(items)
    out = []
    for item in items:
        changes = {}
        for name in fields:
            value = getattr(item, name)
            if value:
                changes[name] = mask_email(value) if name == "email" else mask_phone(value)
        if changes:
            item = (item._replace(**changes) if hasattr(item, "_replace")
                    else replace(item, **changes))  # type: ignore[type-var]
        out.append(item)
    return out


# --- texts for training (typical case sheets) ---------------------------------------------

# Runs of 7 or more digits, spaces, dashes or dots between them allowed: phone numbers, ID
# card (with its check letter X) and bank numbers (a room or order number of 4-6 digits
# stays). \d takes full-width digits too (１３８…).
_LONG_NUMBER = re.compile(r"\+?\d(?:[\s\-.]?\d){6,}[Xx]?(?![A-Za-z])")
# A messaging account named as such (微信号 wang_li_88, QQ 12345, WeChat ID: ...).
_HANDLE = re.compile(r"(?:微信号?|微信號|WeChat(?:\s+ID)?|QQ号?|QQ號)\s*[:：]?\s*"
                     r"(?=[A-Za-z0-9_\-]{5,})")
_HANDLE_VALUE = re.compile(r"[A-Za-z0-9_\-]{5,}")
_EMAIL_IN_TEXT = re.compile(r"[^\s@<>()\[\]{}，。；：、]+@[^\s@<>()\[\]{}，。；：、]+\.[A-Za-z]{2,}")
# A Chinese licence plate: the province's character, a letter, five or six letters/digits.
_PLATE = re.compile(r"[\u4e00-\u9fff][A-Z][·\s]?[A-Z0-9]{5,6}")
# Someone called by surname and title (王女士, 李先生, 张小姐, 刘阿姨, 周师傅) or Mr/Ms X. One
# character before the title (Chinese has no spaces to tell where a surname begins), two for
# the common compound surnames (欧阳女士 must not leave 欧 behind).
_COMPOUND_SURNAMES = ("欧阳|歐陽|司马|司馬|上官|诸葛|諸葛|东方|東方|皇甫|尉迟|尉遲|公孙|公孫|慕容|"
                      "令狐|长孙|長孫|宇文|司徒|夏侯|轩辕|軒轅|端木|独孤|獨孤|南宫|南宮|西门|西門|"
                      "澹台|澹臺|申屠|闻人|聞人|呼延|钟离|鍾離")
_HONORIFIC = re.compile(rf"(?:{_COMPOUND_SURNAMES}|[\u4e00-\u9fff])"
                        r"(?:先生|女士|小姐|太太|阿姨|師傅|师傅)"
                        r"|(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+(?:(?:de|da|del|della|di|du|la|le|van|von|"
                        r"der|den|bin|binti|al)\s+)*[A-Z][A-Za-z'\-]+")


@dataclass(frozen=True)
class TrainingMarks:
    """What stands in for what was taken out, in the sheet's language."""

    customer: str  # 〔顾客〕 / [customer]
    staff: str  # 〔员工〕 / [staff]
    person: str  # 〔某人〕 / [someone]
    number: str  # 〔号码〕 / [number]
    email: str  # 〔邮箱〕 / [email]


def _name_terms(name: str | None) -> list[str]:
    """A name as texts write it: whole, and (Chinese names) the surname with a title."""
    name = (name or "").strip()
    if len(name) < 2 or name == "***":
        return []
    return [name]


def anonymise_for_training(text: str | None, marks: TrainingMarks, *,
                           customer_names: Sequence[str] = (), customer_contacts: Sequence[str] = (),
                           staff_names: Sequence[str] = ()) -> str:
    """A complaint's text fit for a training sheet read by people outside the case: the
    customer's name, phone and email, any other long number, email address, licence plate
    and person called by title, and the names of staff are replaced by marks. It errs on the
    side of taking out: a training sheet teaches from what happened, not from who."""
    if not text:
        return ""
    out = text
    customer_terms = [t for n in customer_names for t in _name_terms(n)]
    for contact in sorted((c for c in customer_contacts if c), key=len, reverse=True):
        out = out.replace(contact, marks.email if "@" in contact else marks.number)
    for term in sorted(set(customer_terms), key=len, reverse=True):
        out = out.replace(term, marks.customer)
    surnames = {t[0] for t in customer_terms if "\u4e00" <= t[0] <= "\u9fff"}
    for term in sorted({t for n in staff_names for t in _name_terms(n)}, key=len, reverse=True):
        out = out.replace(term, marks.staff)
    out = _EMAIL_IN_TEXT.sub(marks.email, out)
    for m in reversed(list(_HANDLE.finditer(out))):
        value = _HANDLE_VALUE.match(out, m.end())
        if value is not None:
            out = out[:value.start()] + marks.number + out[value.end():]
    out = _PLATE.sub(marks.number, out)
    out = _LONG_NUMBER.sub(marks.number, out)

    def titled(m: re.Match[str]) -> str:
        return marks.customer if m.group(0)[0] in surnames else marks.person

    return _HONORIFIC.sub(titled, out)
