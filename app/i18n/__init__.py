"""Translations for every user-visible text, GUI and command line alike.

One source per text: English msgids in the code, marked with `_()` (translate now) or `N_()`
(mark for later), and gettext catalogs `resources/translations/<lang>/*.po` (one file per
area, all merged). English needs no catalog. `tests/unit/test_translations.py` fails when a
marked text has no translation in either Chinese.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from app.i18n import pseudo

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
# Each language in its own words: the same in every language, never translated.
LANGUAGE_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}
DEFAULT_LANGUAGE = "zh-Hans"
CATALOG_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"

_current = DEFAULT_LANGUAGE
_pseudo = False  # texts lengthened to catch truncation (app/i18n/pseudo.py)
_catalogs: dict[str, dict[str, str]] = {}


def N_(msgid: str) -> str:
    """Mark a text for translation where it is defined; translate it with `_()` where shown."""
    return msgid


def catalog_dir_for(lang: str) -> Path:
    return CATALOG_DIR / lang.replace("-", "_")


def _load(lang: str) -> dict[str, str]:
    if lang not in _catalogs:
        import polib

        entries: dict[str, str] = {}
        folder = catalog_dir_for(lang)
        if lang != "en" and folder.is_dir():
            for po_file in sorted(folder.glob("*.po")):
                for entry in polib.pofile(str(po_file)):
                    if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
                        entries[entry.msgid] = entry.msgstr
        _catalogs[lang] = entries
    return _catalogs[lang]


def normalise_language(value: str | None) -> str:
    """Accept zh-Hans / zh_CN / zh-TW / en_US ... and return one of LANGUAGES."""
    if not value:
        return DEFAULT_LANGUAGE
    v = value.replace("_", "-").lower()
    if v in ("zh-hant", "zh-tw", "zh-hk", "zh-mo") or v.startswith("zh-hant"):
        return "zh-Hant"
    if v.startswith("zh"):
        return "zh-Hans"
    if v.startswith("en"):
        return "en"
    raise ValueError(value)


def system_language() -> str:
    """zh-Hans when the system locale is Chinese (Traditional for TW/HK/MO), else English
    (Linux's LANG, Windows' display language: app/i18n/system_locale.py)."""
    from app.i18n.system_locale import language_of, system_locale_name

    return language_of(system_locale_name())


def set_language(lang: str) -> None:
    """Use `lang` from now on; "pseudo" is English with every text lengthened (as is any
    language while $COMPLAINT_DESK_PSEUDO=1): see app/i18n/pseudo.py."""
    global _current, _pseudo
    _pseudo = lang == pseudo.NAME or os.environ.get(pseudo.ENV) == "1"
    _current = "en" if lang == pseudo.NAME else normalise_language(lang)


def get_language() -> str:
    """One of LANGUAGES (in pseudo mode, the language underneath)."""
    return _current


def is_pseudo() -> bool:
    return _pseudo


def translate(msgid: str, lang: str | None = None) -> str:
    text = _load(lang or _current).get(msgid, msgid)
    if _pseudo and (lang is None or lang == _current):
        return pseudo.lengthen(text)
    return text


def _(msgid: str, **params: Any) -> str:
    """The text in the current language, with `{name}` placeholders filled from params."""
    text = translate(msgid)
    return text.format(**params) if params else text


def field_label(field: str) -> str:
    from app.codes import FIELD_LABELS

    return _(FIELD_LABELS.get(field, field))
