"""Pseudo-translation: every text lengthened by ~40%, accented and bracketed (Vorta's idea).

`set_language("pseudo")` (English underneath) or `COMPLAINT_DESK_PSEUDO=1` (on top of any
language) makes every `_()` text look like "[Ńéŵ çöɱƥļåîñţ ·····]". A screen that cuts a text
shows a missing "]"; a text shown without its brackets was never marked for translation; an
accent shown as a box means the font lacks it. Placeholders (`{name}`, `{n:,}`), accelerators
(`&S`), `%` codes, HTML tags, entities and `--options` are kept, so the text still works.
"""

from __future__ import annotations

import re

ENV = "COMPLAINT_DESK_PSEUDO"
NAME = "pseudo"
GROWTH = 0.4
PAD = "·"

# Letters with accents that the shipped font (WenQuanYi Micro Hei) draws; b, p, q, v, x and a
# few capitals have no such glyph there and stay plain (a test checks the font has them all).
ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åbçđéƒĝĥîĵķļḿñöpqŕšţûvŵxýžÅBÇĐÉFĜĤÎĴĶĻMÑÖPQŔŠŢÛVŴXÝŽ",
)
# Pieces that must reach the program unchanged: placeholders, entities, accelerators, printf
# codes, tags, and command-line options named in a message.
_KEEP = re.compile(r"\{[^{}]*\}|&#?\w+;|&&|&\w|%\w|<[^<>]*>|--[\w-]+")


def lengthen(text: str) -> str:
    """`text` accented and padded to ~140% of its length, inside brackets; "" stays ""."""
    if not text:
        return text
    out: list[str] = []
    at = 0
    for m in _KEEP.finditer(text):
        out.append(text[at:m.start()].translate(ACCENTED))
        out.append(m.group())
        at = m.end()
    out.append(text[at:].translate(ACCENTED))
    body = "".join(out)
    pad = PAD * max(1, round(len(text) * GROWTH) - 2)
    return f"[{body} {pad}]"
