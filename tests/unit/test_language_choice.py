"""Which language the program speaks: --lang, then $COMPLAINT_DESK_LANG, then the system's
locale (Linux's LANG, Windows' display language); and the pseudo-translation mode."""

from __future__ import annotations

import re

import pytest

from app import cli
from app.i18n import _, get_language, is_pseudo, set_language
from app.i18n.pseudo import lengthen
from app.i18n.system_locale import language_of

LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG", "COMPLAINT_DESK_LANG", "COMPLAINT_DESK_PSEUDO")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for var in LOCALE_VARS:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


@pytest.mark.parametrize(("argv", "environ", "expected"), [
    (["--lang", "zh-Hant"], {"LANG": "en_US.UTF-8"}, "zh-Hant"),
    (["--lang", "en"], {"COMPLAINT_DESK_LANG": "zh-Hans", "LANG": "zh_CN.UTF-8"}, "en"),
    ([], {"COMPLAINT_DESK_LANG": "zh-Hant", "LANG": "en_US.UTF-8"}, "zh-Hant"),
    ([], {"LANG": "zh_TW.UTF-8"}, "zh-Hant"),
    ([], {"LANG": "zh_HK.UTF-8"}, "zh-Hant"),
    ([], {"LANG": "zh_CN.UTF-8"}, "zh-Hans"),
    ([], {"LANG": "en_US.UTF-8"}, "en"),
    ([], {"LANG": "en_SG.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "zh-Hant"),  # LC_ALL wins
])
def test_the_command_line_chooses_the_language(env: pytest.MonkeyPatch, db_arg: str,
                                               capsys: pytest.CaptureFixture[str],
                                               argv: list[str], environ: dict[str, str],
                                               expected: str) -> None:
    for var, value in environ.items():
        env.setenv(var, value)
    set_language("en" if expected != "en" else "zh-Hans")  # something else before
    cli.run(["--db", db_arg, *argv, "check"])
    assert get_language() == expected
    out = capsys.readouterr()
    chinese = re.search(r"[\u4e00-\u9fff]", out.out + out.err) is not None
    assert chinese == (expected != "en"), out  # what it printed is in that language too


@pytest.mark.parametrize(("name", "expected"), [
    ("zh_CN", "zh-Hans"), ("zh_SG", "zh-Hans"), ("zh_TW", "zh-Hant"), ("zh_HK", "zh-Hant"),
    ("zh_MO", "zh-Hant"), ("zh-Hant-TW", "zh-Hant"), ("zh_Hans_HK", "zh-Hans"), ("zh", "zh-Hans"),
    # Windows' own names (locale.getlocale() there)
    ("Chinese (Simplified)_China", "zh-Hans"), ("Chinese (Traditional)_Taiwan", "zh-Hant"),
    ("Chinese_Hong Kong S.A.R.", "zh-Hant"), ("English_United States", "en"),
    ("en_US", "en"), ("ms_MY", "en"), ("", "en"), ("C", "en"),
])
def test_system_locale_names_map_to_a_language(name: str, expected: str) -> None:
    assert language_of(name) == expected


def test_pseudo_lengthens_every_text_and_keeps_what_the_code_needs(
        env: pytest.MonkeyPatch) -> None:
    set_language("pseudo")
    assert get_language() == "en" and is_pseudo()  # English underneath: formats, labels
    text = _("Walk-in at counter")
    assert text.startswith("[") and text.endswith("]")
    assert len(text) >= 1.3 * len("Walk-in at counter")
    assert "Walk" not in text and "Ŵåļķ" in text  # accented: an unmarked text stands out
    shown = _("Database: {db}", db="desk.db")
    assert "desk.db" in shown  # the placeholder survived and was filled
    assert lengthen("&Save {n:,} <b>now</b> &amp; 100%d") .startswith(
        "[&Såvé {n:,} <b>ñöŵ</b> &amp; 100%d")
    set_language("zh-Hans")
    assert not is_pseudo() and _("Walk-in at counter") == "柜台来访"


def test_pseudo_from_the_environment_lies_over_any_language(env: pytest.MonkeyPatch) -> None:
    env.setenv("COMPLAINT_DESK_PSEUDO", "1")
    set_language("zh-Hant")
    assert get_language() == "zh-Hant" and is_pseudo()
    assert _("Walk-in at counter").startswith("[櫃位親臨")
    env.delenv("COMPLAINT_DESK_PSEUDO")
    set_language("en")
    assert not is_pseudo()
