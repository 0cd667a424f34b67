"""Phone numbers: the customer's key. Normalised so the same phone always matches."""

from __future__ import annotations

import re

from app.errors import ValidationError
from app.i18n import N_

# Mainland, Hong Kong, Macau, Taiwan and Singapore prefixes a clerk may type or paste.
_COUNTRY_PREFIXES = ("86", "852", "853", "886", "65")
_SEPARATORS = re.compile(r"[\s\-().\u3000]")


def normalise_phone(raw: str) -> str:
    """Digits only, without a +86/+852/+853/+886/+65 prefix; raises ValidationError.

    Full-width digits (pasted from Chinese input) are accepted.
    """
    text = raw.strip().translate({0xFF10 + i: ord("0") + i for i in range(10)})
    text = text.replace("\uff0b", "+")
    text = _SEPARATORS.sub("", text)
    if not text:
        raise ValidationError("phone", N_("is required"))
    had_plus = text.startswith("+") or text.startswith("00")
    text = text.lstrip("+")
    if text.startswith("00"):
        text = text[2:]
    if not text.isdigit() or not text.isascii():
        raise ValidationError("phone", N_("is not a phone number (digits only)"))
    if had_plus:
        for prefix in sorted(_COUNTRY_PREFIXES, key=len, reverse=True):
            if text.startswith(prefix) and len(text) - len(prefix) >= 7:
                text = text[len(prefix) :]
                break
    elif text.startswith("86") and len(text) == 13 and text[2] == "1":
        text = text[2:]  # 86 13812345678 typed without the plus
    if not 5 <= len(text) <= 15:
        raise ValidationError("phone", N_("is not a phone number (5 to 15 digits)"))
    return text


def mask_phone(phone: str | None) -> str:
    """Hide the middle: 138****5678 for mainland mobiles, 91****67 for 8-digit numbers."""
    if not phone:
        return ""
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) >= 7:
        return phone[:2] + "*" * (len(phone) - 4) + phone[-2:]
    return "*" * (len(phone) - 2) + phone[-2:]
