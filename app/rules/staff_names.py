"""The staff members a complaint names (its "staff involved" field), for the training figures
of the monthly report (salon/mall 员工培训).

The field is free text, often several names: "小王、李经理", "Amy, Ben / Carol". Names are split
only at list punctuation (Chinese and Western commas, the enumeration comma, semicolons,
slashes, line breaks), never at spaces ("Amy Wong" is one person) and never at words such as
和 or "and" (a shop may be called "Smith and Sons"). The same name written with full-width
letters or in other letter case is the same person; the spelling shown is the one used most.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[,，、;；/／\n\r|｜]+")


def staff_names(text: str | None) -> list[str]:
    """The names in one complaint's field, each once, in the order written."""
    if not text:
        return []
    seen: dict[str, str] = {}
    for part in _SEPARATORS.split(text):
        name = " ".join(part.split())
        if name and name_key(name) not in seen:
            seen[name_key(name)] = name
    return list(seen.values())


def name_key(name: str) -> str:
    """One key per person: full-width letters folded (NFKC), case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def shown_names(spellings: Iterable[str]) -> str:
    """The spelling used most (the first of equals) for a person's key."""
    counts = Counter(spellings)
    best = max(counts.values())
    return next(s for s in counts if counts[s] == best)
