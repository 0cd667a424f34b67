"""Translations for every user-visible text, GUI and command line alike.

One source per text: English msgids in the code, and gettext catalogs
`resources/translations/<lang>/*.po` (one file per area, all merged). English needs no
catalog. `tests/unit/test_translations.py` fails when a marked text has no translation in
either Chinese.

- `_("text", name=...)` translates now, filling `{name}` placeholders; `N_("text")` marks a
  text translated later with `_()`.
- `ngettext("{count} complaint", "{count} complaints", n, count=n)`: a text with a number
  takes the form the language needs for that number (Chinese has one, English two). Never
  "complaint(s)". `NN_(singular, plural)` marks such a pair for later.
- `pgettext("context", "text")`: the same English word meaning two things ("Email" the
  medium, 电子邮件, and the address, 电子邮箱) gets a context (`msgctxt` in the catalog).
  `NC_("context", "text")` marks it for later: the text carries its context to `_()`.

The catalogs are read with polib and looked up through the standard library's gettext
(its plural rules from each catalog's Plural-Forms header).
"""

from __future__ import annotations

import gettext
import io
import os
from pathlib import Path
from typing import Any, NamedTuple

from app.i18n import pseudo

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
# Each language in its own words: the same in every language, never translated.
LANGUAGE_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}
DEFAULT_LANGUAGE = "zh-Hans"
CATALOG_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"

# The plural rule of each language (gettext's Plural-Forms); a catalog file that states one
# must state the same (tests/unit/test_translations.py).
PLURAL_FORMS = {"zh-Hans": "nplurals=1; plural=0;", "zh-Hant": "nplurals=1; plural=0;",
                "en": "nplurals=2; plural=(n != 1);"}

_current = DEFAULT_LANGUAGE
_pseudo = False  # texts lengthened to catch truncation (app/i18n/pseudo.py)
_catalogs: dict[str, gettext.NullTranslations] = {}
_sizes: dict[str, int] = {}  # texts translated, per language (selftest says them)


class InContext(str):
    """A msgid marked with its context (`NC_`): it is the English text wherever a string is
    used, and `_()` / `translate()` look it up under its context."""

    context: str

    def __new__(cls, context: str, msgid: str) -> InContext:
        text = super().__new__(cls, msgid)
        text.context = context
        return text


class Plural(NamedTuple):
    """A text with a number, marked for later (`NN_`): translate with `ngettext(*p, n)`."""

    singular: str
    plural: str


def N_(msgid: str) -> str:
    """Mark a text for translation where it is defined; translate it with `_()` where shown."""
    return msgid


def NC_(context: str, msgid: str) -> str:  # noqa: N802 - gettext's name
    """Mark a text with its context; `_()` translates it in that context later."""
    return InContext(context, msgid)


def NN_(singular: str, plural: str) -> Plural:  # noqa: N802 - gettext's name
    """Mark a text with a number for later; `ngettext(*text, n, ...)` translates it."""
    return Plural(singular, plural)


def catalog_dir_for(lang: str) -> Path:
    return CATALOG_DIR / lang.replace("-", "_")


def _load(lang: str) -> gettext.NullTranslations:
    """The language's catalogs merged into one gettext catalog (polib reads them; an entry
    fuzzy, obsolete or not translated in every form is left out, so English shows)."""
    if lang not in _catalogs:
        files = catalog_files(lang)
        if not files:
            _catalogs[lang], _sizes[lang] = gettext.NullTranslations(), 0
        else:
            import polib

            merged = polib.POFile()
            merged.metadata = {"Content-Type": "text/plain; charset=UTF-8",
                               "Plural-Forms": PLURAL_FORMS[lang]}
            for po_file in files:
                merged.extend(e for e in polib.pofile(str(po_file)) if _usable(e))
            _catalogs[lang] = gettext.GNUTranslations(io.BytesIO(merged.to_binary()))
            _sizes[lang] = len({(e.msgctxt, e.msgid) for e in merged})
    return _catalogs[lang]


def _usable(entry: Any) -> bool:
    if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def catalog_files(lang: str) -> list[Path]:
    """The catalog files of `lang` (none for English, which needs none)."""
    folder = catalog_dir_for(lang)
    return sorted(folder.glob("*.po")) if lang != "en" and folder.is_dir() else []


def catalog_size(lang: str) -> int:
    """How many texts `lang` has translated (0 for English)."""
    _load(lang)
    return _sizes[lang]


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


def _shown(text: str, lang: str | None) -> str:
    return pseudo.lengthen(text) if _pseudo and (lang is None or lang == _current) else text


def translate(msgid: str, lang: str | None = None, context: str | None = None) -> str:
    """`msgid` in `lang` (default: the current language), in its context if it has one."""
    catalog = _load(lang or _current)
    context = context if context is not None else getattr(msgid, "context", None)
    text = catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)
    return _shown(text, lang)


def translate_plural(singular: str, plural: str, n: int, lang: str | None = None,
                     context: str | None = None) -> str:
    """The form of the text for the number `n`, in `lang` (default: the current language)."""
    catalog = _load(lang or _current)
    text = (catalog.npgettext(context, singular, plural, n) if context
            else catalog.ngettext(singular, plural, n))
    return _shown(text, lang)


def _(msgid: str, **params: Any) -> str:
    """The text in the current language, with `{name}` placeholders filled from params."""
    text = translate(msgid)
    return text.format(**params) if params else text


def pgettext(context: str, msgid: str, **params: Any) -> str:
    """Like `_()`, for a text whose meaning its context tells apart."""
    text = translate(msgid, context=context)
    return text.format(**params) if params else text


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    """The text for the number `n` in the current language: `ngettext("{count} complaint",
    "{count} complaints", n, count=n)`."""
    text = translate_plural(singular, plural, n)
    return text.format(**params) if params else text


def npgettext(context: str, singular: str, plural: str, n: int, **params: Any) -> str:
    text = translate_plural(singular, plural, n, context=context)
    return text.format(**params) if params else text

