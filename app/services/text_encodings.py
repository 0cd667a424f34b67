"""Which encoding a text file is in, decided only when the bytes leave no doubt.

Certain from the bytes alone: a byte-order mark (UTF-8, UTF-16 LE/BE), and UTF-8 itself (text
in another encoding that happens to be valid UTF-8 is vanishingly rare once it holds a few
non-ASCII characters). Without those, the file is read as each legacy encoding a counter
meets — GB18030 (GBK, GB2312), Big5, Windows-1252 — and each reading is judged on what it
yields, not on a score:

- GB18030 is plausible when its non-ASCII characters are (nearly) all in GB2312, the set
  ordinary Simplified Chinese is written in;
- Big5 when they are (nearly) all in Big5's frequently used hanzi and its symbols;
- Windows-1252 when they are all Latin letters and typographic signs, never three in a row
  nor two signs in a row (each hanzi read that way becomes two such characters,
  a word of hanzi a long run).

Exactly one plausible reading is taken; none or several, and the file is refused with the
readings named, so the person says which (`"encoding"` in the mapping). "Hélène" read as
GB18030 gives "H閘鑞e", whose hanzi are outside GB2312: that reading is not plausible.
"""

from __future__ import annotations

import codecs
import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from app.errors import DeskError
from app.i18n import N_

UTF8, UTF16, GB18030, BIG5, CP1252 = "UTF-8", "UTF-16", "GB18030", "Big5", "Windows-1252"
# Names a person may give in the mapping, and the codec each stands for.
CODECS = {UTF8: "utf-8-sig", UTF16: "utf-16", GB18030: "gb18030", BIG5: "big5hkscs",
          CP1252: "cp1252"}
_ALIASES = {"utf8": UTF8, "utf-8-sig": UTF8, "utf16": UTF16, "utf-16le": UTF16,
            "utf-16be": UTF16, "gbk": GB18030, "gb2312": GB18030, "cp936": GB18030,
            "big5-hkscs": BIG5, "big5hkscs": BIG5, "cp950": BIG5, "cp1252": CP1252,
            "windows1252": CP1252, "latin1": CP1252, "iso-8859-1": CP1252}
SAMPLE = 400_000  # characters judged: the start of a file tells as much as all of it
SHARE = 0.85  # of non-ASCII characters that must be ordinary for a Chinese reading (a rare
# hanzi in a name is fine; other encodings read as Chinese score far below)
# What Windows-1252 text holds beyond ASCII: Latin letters and typographic signs.
_LATIN_EXTRA = set("ŒœŠšŽžŸƒ€‚„…†‡ˆ‰‹‘’“”•–—˜™›¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷\u00a0")


class EncodingUnclear(DeskError):
    """The bytes can be read more than one way (or no known way): the person must say."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # one of the names above


def canonical_name(name: str) -> str:
    """The encoding a person named, as one of our names (or a codec Python knows)."""
    key = name.strip()
    for ours in CODECS:
        if key.casefold() == ours.casefold():
            return ours
    alias = _ALIASES.get(key.casefold().replace("_", "-")) or _ALIASES.get(key.casefold())
    if alias:
        return alias
    try:
        codecs.lookup(key)
    except LookupError:
        raise DeskError(N_("\"{encoding}\" is not an encoding (e.g. UTF-8, GB18030, Big5, "
                           "Windows-1252)"), encoding=key[:40]) from None
    return key


def _gb_ordinary(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _big5_ordinary(ch: str) -> bool:
    try:
        code = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    # A140–A3BF: symbols and punctuation; A440–C67E: frequently used hanzi.
    value = int.from_bytes(code, "big")
    return len(code) == 2 and (0xA140 <= value <= 0xA3BF or 0xA440 <= value <= 0xC67E)


def _chinese_plausible(text: str, ordinary: Callable[[str], bool]) -> bool:
    others = [ch for ch in text if ord(ch) > 127]
    if not others:
        return True
    distinct: dict[str, bool] = {}
    good = 0
    for ch in others:
        ok = distinct.get(ch)
        if ok is None:
            ok = distinct[ch] = ordinary(ch)
        good += ok
    return good >= SHARE * len(others)


def _latin_plausible(text: str) -> bool:
    """Letters and signs only, at most two in a row, and never two signs."""
    run, letters = 0, 0
    for ch in text:
        if ord(ch) < 128:
            run = letters = 0
            continue
        letter = ch.isalpha() and ord(ch) < 0x250
        if not letter and ch not in _LATIN_EXTRA:
            return False
        run += 1
        letters += letter
        if run >= 3 or (run == 2 and letters == 0):
            return False
    return True


_JUDGES = {GB18030: lambda t: _chinese_plausible(t, _gb_ordinary),
           BIG5: lambda t: _chinese_plausible(t, _big5_ordinary),
           CP1252: _latin_plausible}


def decode(data: bytes, encoding: str | None = None, file_name: str = "") -> Decoded:
    """The file's text and the encoding it was read in. `encoding` (a name the person gave)
    is used as it is; else the rules above decide or EncodingUnclear is raised."""
    if encoding:
        name = canonical_name(encoding)
        try:
            return Decoded(data.decode(CODECS.get(name, name)), name)
        except UnicodeDecodeError as e:
            raise DeskError(N_("{file} is not {encoding} text (byte {offset} cannot be read "
                               "so)"), file=file_name, encoding=name, offset=e.start) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), UTF16)
        except UnicodeDecodeError as e:
            raise DeskError(N_("{file} starts as UTF-16 text but byte {offset} cannot be "
                               "read so"), file=file_name, offset=e.start) from None
    with contextlib.suppress(UnicodeDecodeError):
        text = data.decode("utf-8-sig")
        head = data[:4096]
        if head.count(0) * 4 > len(head):  # UTF-16 without its mark: NUL every other byte
            raise EncodingUnclear(N_("{file} holds NUL bytes: it may be UTF-16 without a "
                                     "byte-order mark; save it as UTF-8, or name its "
                                     "\"encoding\""), file=file_name)
        return Decoded(text, UTF8)
    readings: dict[str, str] = {}
    for name in (GB18030, BIG5, CP1252):
        with contextlib.suppress(UnicodeDecodeError):
            readings[name] = data.decode(CODECS[name])
    plausible = [name for name, text in readings.items() if _JUDGES[name](text[:SAMPLE])]
    if len(plausible) == 1:
        return Decoded(readings[plausible[0]], plausible[0])
    if plausible:
        raise EncodingUnclear(N_("The encoding of {file} cannot be told for certain: it reads "
                                 "as {readings}. Say which (\"encoding\" in the mapping)"),
                              file=file_name, readings=" / ".join(plausible))
    raise EncodingUnclear(N_("{file} is not text in UTF-8, UTF-16, GB18030, Big5 or "
                             "Windows-1252 that can be told for certain; say its "
                             "\"encoding\" in the mapping"), file=file_name)
