"""Texts and output in the code pages of Windows PCs (issue 23): a redirect (`backup >> log.txt`)
is encoded in cp936 (Simplified Chinese Windows), cp950 (Traditional) or cp1252 (English)."""

from __future__ import annotations

import io
import json

import polib
import pytest

from app.console_text import json_ascii_only, makes_output_safe
from app.i18n import catalog_dir_for

CODE_PAGES = {"zh-Hans": "cp936", "zh-Hant": "cp950", "en": "cp1252"}
# A language's own name is written in its own script, whatever the code page: "简体中文" in the
# language menus of the Traditional and English texts.
OWN_NAMES = ("简体中文", "繁體中文")
# Signs in English button and timeline texts (the window shows Unicode); cp1252 lacks them, and
# the command line escapes them (app/console_text.py). A new one must be added here on purpose.
ENGLISH_SIGNS = set("→↩✓")


def _texts(lang: str) -> list[str]:
    entries = [e for f in sorted(catalog_dir_for("zh-Hans").glob("*.po"))
               for e in polib.pofile(str(f))]
    if lang == "en":
        return sorted({e.msgid for e in entries})
    return [e.msgstr for f in sorted(catalog_dir_for(lang).glob("*.po"))
            for e in polib.pofile(str(f)) if e.msgstr]


def _fits(ch: str, code_page: str) -> bool:
    try:
        ch.encode(code_page)
    except UnicodeEncodeError:
        return False
    return True


def _unencodable(text: str, code_page: str) -> set[str]:
    for name in OWN_NAMES:
        text = text.replace(name, "")
    return {ch for ch in text if not _fits(ch, code_page)}


@pytest.mark.parametrize("lang", list(CODE_PAGES))
def test_every_text_fits_the_code_page_of_its_windows(lang: str) -> None:
    code_page = CODE_PAGES[lang]
    allowed = ENGLISH_SIGNS if lang == "en" else set()
    texts = _texts(lang)
    assert len(texts) > 300
    bad = {text: "".join(sorted(chars)) for text in texts
           if (chars := _unencodable(text, code_page) - allowed)}
    assert not bad, f"characters {code_page} lacks: {bad}"


def test_the_gbk_fixes_kept_their_meaning() -> None:
    texts = set(_texts("zh-Hans"))
    assert "货币符号（￥、HK$、NT$、S$…）" in texts and "√ 结案" in texts


@pytest.mark.parametrize("code_page", ["cp936", "cp950", "cp1252"])
def test_output_escapes_what_the_code_page_lacks(code_page: str) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=code_page, errors="strict", newline="\n")
    makes_output_safe(stream)
    stream.write("备份 備份 Backup ✓\n")  # Simplified, Traditional, English, a sign
    stream.flush()
    written = raw.getvalue().decode(code_page)
    assert written.endswith("Backup \\u2713\n")
    assert ("备份" in written) == (code_page == "cp936")
    assert ("備份" in written) == (code_page in ("cp936", "cp950"))  # GBK has 備 too
    assert json_ascii_only(stream)
    assert json.loads(json.dumps({"类别": "鞋"}, ensure_ascii=True)) == {"类别": "鞋"}


def test_unicode_output_is_left_alone() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    makes_output_safe(stream)
    assert stream.errors == "strict" and not json_ascii_only(stream)
