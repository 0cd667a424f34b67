"""People and texts for demo data: names, phone numbers, descriptions and staff notes.

Everything is composed from fragments in resources/demo/*.json ([简体, English] pairs, and the
Traditional form of each Simplified fragment in zh_hant.json). They are data, like the profile
lists, not program texts. The demo is coherent with the desk's language: a 简体 desk gets
mainland customers writing Simplified Chinese, a 繁體 desk Hong Kong customers writing
Traditional Chinese, an English desk Hong Kong customers writing English (English and
romanised Cantonese names); the desk answers each customer in their language.
"""

from __future__ import annotations

import contextlib
import json
import random
from bisect import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any, TypeVar

from app.codes import SEVERITIES
from app.errors import ValidationError
from app.money import format_money
from app.phones import normalise_phone

DEMO_DIR = Path(__file__).resolve().parents[2] / "resources" / "demo"
ZH, EN, HANT = 0, 1, 2  # how a customer writes: 简体, English, 繁體
Pair = list[str]  # [简体, English]; 繁體 is the 简体 fragment looked up in zh_hant.json
LANGUAGE_OF_DESK = {"zh-Hans": ZH, "zh-Hant": HANT, "en": EN}

# Solution types that carry money; a demo solution has at most one, first, with all the amount.
MONEY_TYPES = ("refund", "cash", "coupon", "gift", "price_difference")
# Shop prices a customer quotes in a description (yuan).
_PRICES = (39, 68, 99, 128, 199, 299, 399, 580, 899, 1280, 2680, 3999)
_TIERS = (("ordinary", 70), ("key", 14), ("potential", 10), ("core", 6))


@cache
def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEMO_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Person:
    name: str
    phone: str | None  # normalised as app.phones.normalise_phone stores it
    email: str | None
    tier: str
    lang: int  # ZH, EN or HANT: the language the customer writes in


K = TypeVar("K")
T = TypeVar("T")


class DemoRandom(random.Random):
    """random.Random whose choice/randrange use one random() each: several times faster than
    the exact versions (millions of draws per run) and just as reproducible from the seed."""

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


# Cumulative weights per weights object (kept alive here, so its id is never reused).
_tables: dict[int, tuple[object, list[Any], list[float]]] = {}


def weighted(rng: random.Random, weights: Mapping[K, int] | Sequence[tuple[K, int]]) -> K:
    """A key drawn by weight; tables are built once per weights object (hot path)."""
    entry = _tables.get(id(weights))
    if entry is None or entry[0] is not weights:
        items = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
        entry = (weights, [k for k, _ in items], list(accumulate(w for _, w in items)))
        _tables[id(weights)] = entry
    keys, cum = entry[1], entry[2]
    return keys[bisect(cum, rng.random() * cum[-1])]  # type: ignore[no-any-return]


class Texts:
    """Fragments of one profile, drawn with one random generator (so a seed reproduces them)."""

    def __init__(self, profile: str, rng: random.Random, language: str = "zh-Hans") -> None:
        self.rng = rng
        self.desk_lang = LANGUAGE_OF_DESK[language]
        self.common = load("common")
        self.people = load("people")
        self.hant: dict[str, str] = load("zh_hant")["texts"]
        self.profile = load(profile)
        self.categories: dict[str, dict[str, Any]] = dict(self.profile["categories"])
        self._solutions = {code: [(tuple(o[:3]), o[3]) for o in c["solutions"]]
                           for code, c in self.categories.items()}
        self.severities = {code: list(zip(SEVERITIES, c["severity"], strict=True))
                           for code, c in self.categories.items()}

    def pick(self, pairs: list[Pair], lang: int) -> str:
        return self.text(self.rng.choice(pairs), lang)

    def text(self, pair: Pair, lang: int) -> str:
        """One fragment in `lang` (繁體 from its 简体 form)."""
        return pair[EN] if lang == EN else self.chinese(pair[ZH], lang)

    def chinese(self, text: str, lang: int) -> str:
        return self.hant.get(text, text) if lang == HANT else text

    def business_name(self, profile: str) -> str:
        return self.text(self.common["business_names"][profile], self.desk_lang)

    # People -------------------------------------------------------------------------------

    def person(self) -> Person:
        """A customer of this desk: who comes to a mainland, Hong Kong (繁體) or English desk."""
        rng, p = self.rng, self.people
        lang = self.desk_lang
        if lang == EN:
            surname = rng.choice(p["cantonese_surnames"])
            roll = rng.random()
            if roll < 0.45:
                name = f"{surname} {rng.choice(p['cantonese_given'])}"
            elif roll < 0.7:
                name = f"{rng.choice(p['english_first'])} {surname}"
            else:
                name = f"{rng.choice(p['english_first'])} {rng.choice(p['english_last'])}"
            region = "hk"
        else:
            surname = self.chinese(rng.choice(p["surnames"]), lang)
            if rng.random() < 0.75:
                name = surname + self.chinese(rng.choice(p["given"]), lang)
            else:
                name = surname + self.chinese(rng.choice(p["titles"]), lang)
            region = "hk" if lang == HANT else "cn"
        phone = None if rng.random() < 0.04 else self._phone(region)
        email = None
        if rng.random() < (0.5 if lang == EN else 0.25):
            email = self._email(name, lang)
        return Person(name, phone, email, weighted(rng, _TIERS), lang)

    def _phone(self, region: str) -> str:
        """A valid number of the region (numbering plans leave some prefixes unallocated)."""
        while True:
            with contextlib.suppress(ValidationError):
                return normalise_phone(self._raw_phone(region), "HK" if region == "hk" else "CN")

    def _raw_phone(self, region: str) -> str:
        """A phone as a clerk might type it (spaces, dashes, +86/+852), before normalising."""
        rng = self.rng
        if region == "hk":
            number = f"{rng.choice('569')}{rng.randrange(10**7):07d}"
            style = rng.random()
            if style < 0.35:
                return f"+852 {number[:4]} {number[4:]}"
            return f"{number[:4]} {number[4:]}" if style < 0.85 else number
        if rng.random() < 0.03:
            return f"{rng.choice(self.people['landline_areas'])}-{rng.randrange(2 * 10**7, 10**8)}"
        number = f"{rng.choice(self.people['mainland_prefixes'])}{rng.randrange(10**8):08d}"
        style = rng.random()
        if style < 0.6:
            return number
        if style < 0.75:
            return f"{number[:3]} {number[3:7]} {number[7:]}"
        if style < 0.85:
            return f"+86 {number}"
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"

    def _email(self, name: str, lang: int) -> str:
        rng = self.rng
        if lang == EN and name.isascii():
            handle = ".".join(name.lower().replace("'", "").split()[:2])
            number = rng.randrange(100) if rng.random() < 0.4 else ""
            domain: str = rng.choice(self.people["email_domains_en"])
            return f"{handle}{number}@{domain}"
        domain = rng.choice(self.people["email_domains_zh"])
        if domain == "qq.com":
            return f"{rng.randrange(10**7, 3 * 10**9)}@qq.com"
        letters = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 8)))
        return f"{letters}{rng.randrange(1960, 2006)}@{domain}"

    # Intake -------------------------------------------------------------------------------

    def fill(self, lang: int) -> dict[str, str]:
        """Values for the {placeholders} of one complaint's fragments."""
        rng = self.rng
        values = {k: self.pick(v, lang) for k, v in self.profile["fill"].items()}
        if "shops" in self.profile:  # an item the shop actually sells
            shop = rng.choice(self.profile["shops"])
            values["shop"], values["item"] = self.text(shop["name"], lang), self.pick(
                shop["items"], lang)
        values["when"] = self.pick(self.common["when"], lang)
        values["money"] = str(rng.choice(_PRICES))
        values["cut"] = str(rng.choice((20, 30, 50, 80, 100, 150)))
        return values

    def demands(self, category: str) -> list[str]:
        """What the customer asks for: the category's usual demand, maybe with an apology."""
        first = self.rng.choice(self.categories[category]["demands"])
        second = self.rng.choice(("apology", "explanation"))
        return [first, second] if self.rng.random() < 0.4 and second != first else [first]

    def description(self, category: str, channel: str, emotion: str, demands: list[str],
                    lang: int, fill: dict[str, str]) -> str:
        c, rng = self.common, self.rng
        template = rng.choice(self.categories[category]["en" if lang == EN else "zh"])
        problem = self.chinese(template, lang).format(**fill)
        opener = self.pick(c["openers"][channel], lang)
        feeling = self.pick(c["feelings"][emotion], lang)
        asked = [self.text(c["demands"][d], lang) for d in demands]
        if lang != EN:
            return (f"{opener}{problem}。{feeling}{self.chinese('要求', lang)}"
                    f"{self.chinese('并', lang).join(asked)}。")
        if not opener.rstrip().endswith(("that", "says", "say")):
            problem = problem[0].upper() + problem[1:]
        return f"{opener}{problem}. {feeling} Asks for {' and '.join(asked)}."

    def location(self, lang: int) -> str | None:
        return self.pick(self.profile["locations"], lang) if self.rng.random() < 0.7 else None

    def staff_involved(self, fill: dict[str, str]) -> str | None:
        return fill.get("staff") if self.rng.random() < 0.3 else None

    # The desk's own notes -----------------------------------------------------------------

    def line(self, key: str, lang: int) -> str:
        """One staff note from common.json (contacts, revisits, reasons, approvals)."""
        return self.pick(self.common[key], lang)

    def findings(self, category: str, verified: str, lang: int, fill: dict[str, str]) -> str:
        head = self.pick(self.common["verified"][verified], lang)
        if verified == "unfounded":
            return head
        detail = self.pick(self.categories[category]["findings"], lang).format(**fill)
        return f"{head}{' ' if lang == EN else ''}{detail}"

    def evidence(self, lang: int) -> str | None:
        return self.pick(self.common["evidence"], lang) if self.rng.random() < 0.6 else None

    def solution(self, category: str, cap_cents: int | None = None
                 ) -> tuple[list[str], dict[str, int]]:
        """Solution types (money type first) and cents per type, from the category's habits."""
        rng = self.rng
        types, low, high = weighted(rng, self._solutions[category])
        types = sorted(types, key=lambda t: t not in MONEY_TYPES)
        cents = 0
        if high > 0 and types[0] in MONEY_TYPES:
            # Skewed to the low end: most goodwill is small, a few cases cost a lot.
            yuan = low * (high / max(low, 1)) ** (rng.random() ** 1.8)
            yuan = round(yuan, -1) if yuan >= 100 else round(yuan)
            cents = int(max(yuan, 1) * 100)
            if cap_cents is not None:
                cents = min(cents, cap_cents)
        return list(types), {t: cents if i == 0 else 0 for i, t in enumerate(types)}

    def proposal(self, types: list[str], cents: int, lang: int) -> str:
        amount = format_money(cents)
        parts = [self.text(self.common["proposal"][t], lang).format(amount=amount) for t in types]
        return ("; ".join(parts).capitalize() + ".") if lang == EN else ("，".join(parts) + "。")

    def implementation(self, types: list[str], cents: int, lang: int) -> str:
        amount = format_money(cents)
        sep = " " if lang == EN else ""
        return sep.join(self.text(self.common["implementation"][t], lang).format(amount=amount)
                        for t in types)
