"""Which language the computer's user works in, for the first start (before anyone chose one).

Linux and macOS say it in LC_ALL / LC_MESSAGES / LANG ("zh_TW.UTF-8"). Windows does not set
those: its display language comes from GetUserDefaultUILanguage (an LCID Python maps to
"zh_TW"), and `locale.getlocale()` there gives names such as "Chinese (Traditional)_Taiwan".
Both spellings are understood here.
"""

from __future__ import annotations

import locale
import os
import re
import sys

# Chinese written in Traditional characters: script and region codes, and Windows' words.
_TRADITIONAL_CODES = ("hant", "tw", "hk", "mo")
_TRADITIONAL = ("traditional", "taiwan", "hong kong", "macao", "macau")


def system_locale_name() -> str:
    """The user's locale as the system spells it ("" when nothing says)."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value.split(".")[0].split("@")[0]
    if sys.platform == "win32":
        name = _windows_ui_locale()
        if name:
            return name
    return locale.getlocale()[0] or ""


def _windows_ui_locale() -> str:
    try:
        import ctypes

        lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return ""
    return str(locale.windows_locale.get(lcid, ""))


def language_of(name: str) -> str:
    """zh-Hans, zh-Hant or en for a locale name in any of the spellings above."""
    v = name.lower()
    tokens = [t for t in re.split(r"[-_\s().]+", v) if t]
    if not tokens or tokens[0] not in ("zh", "chinese"):
        return "en"
    if "hans" in tokens:
        return "zh-Hans"
    if any(t in _TRADITIONAL_CODES for t in tokens[1:]) or any(w in v for w in _TRADITIONAL):
        return "zh-Hant"
    return "zh-Hans"
