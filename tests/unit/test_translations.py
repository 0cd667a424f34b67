"""Every marked text has both Chinese translations, in every plural form and in its context;
no bare literals shown by widgets; no "complaint(s)"."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from app.codes import field_label, label
from app.errors import ValidationError
from app.i18n import (
    LANGUAGES,
    NN_,
    PLURAL_FORMS,
    _,
    catalog_dir_for,
    ngettext,
    npgettext,
    pgettext,
    set_language,
)
from app.i18n.extract import (
    Message,
    entries,
    hedged_plurals,
    messages,
    missing,
    msgids,
    translated,
    untranslated_literals,
)
from app.reports.texts import ReportTexts

PLACEHOLDER = re.compile(r"\{(\w+)")


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_no_text_lacks_a_translation(lang: str) -> None:
    gaps = missing(lang)
    assert not gaps, f"{len(gaps)} texts lack a {lang} translation, e.g.: " + "; ".join(
        f"{where}: {m.msgid!r}" + (f" (plural {m.plural!r})" if m.plural else "")
        + (f" (context {m.context!r})" if m.context else "")
        for m, where in list(gaps.items())[:15])


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_translations_keep_their_placeholders(lang: str) -> None:
    wrong = []
    for (_context, msgid), e in entries(lang).items():
        if e.msgid_plural:
            wanted = set(PLACEHOLDER.findall(e.msgid_plural))
            texts = [t for t in e.msgstr_plural.values() if t]
        else:
            wanted, texts = set(PLACEHOLDER.findall(msgid)), [e.msgstr] if e.msgstr else []
        wrong += [msgid for t in texts if set(PLACEHOLDER.findall(t)) != wanted]
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_catalogs_state_the_languages_plural_rule(lang: str) -> None:
    """A catalog with plural entries says how many forms it has (msgfmt needs it), and no
    catalog disagrees with the rule the program uses."""
    for po_file in sorted(catalog_dir_for(lang).glob("*.po")):
        po = polib.pofile(str(po_file))
        stated = po.metadata.get("Plural-Forms")
        if any(e.msgid_plural for e in po):
            assert stated, f"{po_file.name} has plural entries but no Plural-Forms header"
        if stated:
            assert stated.replace(" ", "") == PLURAL_FORMS[lang].replace(" ", ""), po_file.name


def test_no_text_hedges_its_plural() -> None:
    """"1 complaint(s)": a text with a number takes its plural form from ngettext."""
    assert not hedged_plurals(), hedged_plurals()[:10]


def test_widgets_show_no_untranslated_literals() -> None:
    problems = untranslated_literals()
    assert not problems, "\n".join(problems[:20])


def test_the_extractor_sees_the_code() -> None:
    found = msgids()
    assert "Set the category first." in found
    assert len(found) > 200
    marked = messages()
    assert Message("in {days} day", "in {days} days") in marked
    assert Message("Email", context="medium") in marked


def test_the_extractor_reads_every_marker(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(
        'from app.i18n import NC_, NN_, N_, _, ngettext, npgettext, pgettext\n'
        'A = N_("plain later")\n'
        'B = NC_("where", "in context later")\n'
        'C = NN_("{count} thing later", "{count} things later")\n'
        'def f(n, tx):\n'
        '    _("plain")\n'
        '    pgettext("where", "in context")\n'
        '    ngettext("{count} thing", "{count} things", n, count=n)\n'
        '    npgettext("where", "{count} box", "{count} boxes", n, count=n)\n'
        '    tx.ngettext("{count} page", "{count} pages", n, count=n)\n'
        '    _(dynamic)\n', encoding="utf-8")
    assert set(messages([source])) == {
        Message("plain later"), Message("in context later", context="where"),
        Message("{count} thing later", "{count} things later"), Message("plain"),
        Message("in context", context="where"), Message("{count} thing", "{count} things"),
        Message("{count} box", "{count} boxes", "where"),
        Message("{count} page", "{count} pages")}


def test_a_plural_text_needs_a_plural_entry() -> None:
    text = Message("{count} thing", "{count} things")
    single = polib.POEntry(msgid="{count} thing", msgstr="{count} 件")
    assert not translated(text, single, "zh-Hans")
    plural = polib.POEntry(msgid="{count} thing", msgid_plural="{count} things",
                           msgstr_plural={0: "{count} 件"})
    assert translated(text, plural, "zh-Hans")
    assert not translated(Message("{count} thing"), plural, "zh-Hans")
    other_plural = polib.POEntry(msgid="{count} thing", msgid_plural="{count} thingies",
                                 msgstr_plural={0: "{count} 件"})
    assert not translated(text, other_plural, "zh-Hans")
    english_two_forms = polib.POEntry(msgid="{count} thing", msgid_plural="{count} things",
                                      msgstr_plural={0: "x", 1: ""})
    assert not translated(text, english_two_forms, "en")


def test_a_number_takes_its_plural_form() -> None:
    """The reported bugs: "in 1 days", "1 complaint(s)"."""
    set_language("en")
    assert ngettext("in {days} day", "in {days} days", 1, days=1) == "in 1 day"
    assert ngettext("in {days} day", "in {days} days", 3, days=3) == "in 3 days"
    assert ngettext("{count} complaint", "{count} complaints", 1, count=1) == "1 complaint"
    assert ngettext("{count} complaint", "{count} complaints", 0, count=0) == "0 complaints"
    set_language("zh-Hans")
    assert ngettext("in {days} day", "in {days} days", 1, days=1) == "1 天后"
    assert ngettext("in {days} day", "in {days} days", 3, days=3) == "3 天后"
    set_language("zh-Hant")
    assert ngettext("{count} complaint", "{count} complaints", 1, count=1) == "1 件投訴"


def test_an_error_with_a_number_takes_its_plural_form() -> None:
    error = ValidationError("list", NN_("used by {count} complaint", "used by {count} complaints"),
                            count=1)
    set_language("en")
    assert error.problem() == "used by 1 complaint"
    error.params["count"] = 2
    assert error.problem() == "used by 2 complaints"
    assert str(error).endswith("used by 2 complaints")


def test_a_context_tells_one_english_word_from_another() -> None:
    """"Email" the medium (电子邮件) is not "Email" the address (电子邮箱)."""
    set_language("zh-Hans")
    assert label("channel", "email") == "电子邮件"
    assert field_label("email") == "电子邮箱"
    assert label("action_status", "in_progress") == "进行中"
    assert label("stage", "in_progress") == "执行中"
    assert pgettext("medium", "Email") == "电子邮件" and _("Email") == "电子邮箱"
    assert npgettext("nowhere", "{count} complaint", "{count} complaints", 2,
                     count=2) == "2 complaints"  # no such context: the English text
    tx = ReportTexts("zh-Hant")
    assert tx.label("contact_method", "email") == "電子郵件"
    assert tx.ngettext("{count} page", "{count} pages", 2, count=2) == "2 頁"
    set_language("en")
    assert label("channel", "email") == "Email" == field_label("email")


def test_pseudo_translation_lengthens_plural_forms_too() -> None:
    set_language("pseudo")
    shown = ngettext("{count} complaint", "{count} complaints", 2, count=2)
    assert shown.startswith("[") and "2" in shown and "{" not in shown


def test_switching_language_changes_texts() -> None:
    seen = set()
    for lang in LANGUAGES:
        set_language(lang)
        seen.add(_("Walk-in at counter"))
    assert seen == {"柜台来访", "櫃位親臨", "Walk-in at counter"}


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_no_text_is_translated_twice_differently(lang: str) -> None:
    """The catalogs are merged: a msgid in two files with two translations would show one of
    them at random; give it a context instead."""
    seen: dict[tuple[str | None, str], tuple[str, str]] = {}
    clashes = []
    for po_file in sorted(catalog_dir_for(lang).glob("*.po")):
        for e in polib.pofile(str(po_file)):
            text = e.msgstr or str(e.msgstr_plural)
            key = (e.msgctxt, e.msgid)
            if key in seen and seen[key][1] != text:
                clashes.append(f"{key}: {seen[key][0]} {seen[key][1]!r} / {po_file.name} {text!r}")
            seen.setdefault(key, (po_file.name, text))
    assert not clashes, clashes


def test_the_revisit_list_says_one_day() -> None:
    """The list of revisits said "in 1 days" and "1 days overdue"."""
    from datetime import date

    from app.services.revisits import RevisitDue
    from ui.revisits.revisit_model import when_text

    def due(days: int) -> RevisitDue:
        return RevisitDue("TS-20260301-0001", "王", None, date(2026, 3, 1), "normal", days)

    set_language("en")
    assert [when_text(due(d)) for d in (-1, -2, 1, 2)] == [
        "in 1 day", "in 2 days", "1 day overdue", "2 days overdue"]
    set_language("zh-Hant")
    assert when_text(due(-1)) == "1 天後"
