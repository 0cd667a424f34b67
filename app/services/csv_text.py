"""Bytes and cells of CSV files: which encoding a file is in, and formula-injection quoting.

Shared by the import and the export so that export → import gives back the same text.
"""

from __future__ import annotations

import contextlib
import re

# Names shown to the user for the encodings we read.
UTF8, GB18030, BIG5 = "UTF-8", "GB18030", "Big5"

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab/CR, may
# shift it into one). Excel and LibreOffice both show a leading apostrophe as "text follows".
_NEEDS_QUOTE = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")


def neutralise(cell: str) -> str:
    """The cell safe to open in a spreadsheet: a leading quote before a formula character.

    Cells that already look quoted ('=…) get one more quote, so `restore` is an exact inverse.
    """
    return "'" + cell if _NEEDS_QUOTE.match(cell) else cell


def restore(cell: str) -> str:
    """Undo `neutralise` (also accepts files quoted the same way by other programs)."""
    # Most cells do not start with a quote: no pattern to run (a million cells an import).
    return cell[1:] if cell[:1] == "'" and _QUOTED.match(cell) else cell


def _is_ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _gb2312_share(text: str) -> float:
    """Share of ideographs that are in GB2312: near 1.0 for real Simplified Chinese text."""
    chars = [ch for ch in text if _is_ideograph(ch)]
    if not chars:
        return 1.0
    ok = 0
    for ch in chars:
        try:
            ch.encode("gb2312")
            ok += 1
        except UnicodeEncodeError:
            pass
    return ok / len(chars)


def _big5_common_share(text: str) -> float:
    """Share of ideographs in Big5's frequently-used block (A440–C67E): near 1.0 for real
    Traditional Chinese text."""
    chars = [ch for ch in text if _is_ideograph(ch)]
    if not chars:
        return 0.0
    ok = 0
    for ch in chars:
        try:
            code = ch.encode("big5")
        except UnicodeEncodeError:
            continue
        if len(code) == 2 and 0xA440 <= int.from_bytes(code, "big") <= 0xC67E:
            ok += 1
    return ok / len(chars)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name): UTF-8 with or without BOM, else GB18030 or Big5.

    Most Big5 byte sequences are also valid GB18030 (the byte ranges overlap), so when both
    decode, the one whose characters look like ordinary text of that script wins. Raises
    UnicodeDecodeError when none fits.
    """
    try:
        return data.decode("utf-8-sig"), UTF8
    except UnicodeDecodeError as e:
        first_error = e
    candidates: list[tuple[str, str]] = []
    for codec, name in (("gb18030", GB18030), ("big5hkscs", BIG5)):
        with contextlib.suppress(UnicodeDecodeError):
            candidates.append((data.decode(codec), name))
    if not candidates:
        raise first_error
    if len(candidates) == 2:
        gb_text, big5_text = candidates[0][0], candidates[1][0]
        # Sample: the first 200 KB tell as much as the whole file.
        if _big5_common_share(big5_text[:200_000]) > _gb2312_share(gb_text[:200_000]):
            return candidates[1]
    return candidates[0]


def detect_delimiter(first_line: str) -> str:
    """Comma unless the header line clearly uses semicolons, tabs or bars (European Excel)."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","
