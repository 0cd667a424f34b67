"""Every marked text has both Chinese translations; no bare literals shown by widgets."""

from __future__ import annotations

import re

import pytest

from app.i18n import LANGUAGES, _, set_language
from app.i18n.extract import catalog, missing, msgids, untranslated_literals

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_no_text_lacks_a_translation(lang: str) -> None:
    gaps = missing(lang)
    assert not gaps, f"{len(gaps)} texts lack a {lang} translation, e.g.: " + "; ".join(
        f"{where}: {msgid!r}" for msgid, where in list(gaps.items())[:15])


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_translations_keep_their_placeholders(lang: str) -> None:
    wrong = [msgid for msgid, text in catalog(lang).items()
             if text and set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(text))]
    assert not wrong, wrong[:10]


def test_widgets_show_no_untranslated_literals() -> None:
    problems = untranslated_literals()
    assert not problems, "\n".join(problems[:20])


def test_the_extractor_sees_the_code() -> None:
    found = msgids()
    assert "Set the category first." in found
    assert len(found) > 200


def test_switching_language_changes_texts() -> None:
    seen = set()
    for lang in LANGUAGES:
        set_language(lang)
        seen.add(_("Walk-in at counter"))
    assert seen == {"柜台来访", "櫃位親臨", "Walk-in at counter"}
