"""Find the texts marked for translation in the code, and which lack a translation.

`python -m app.i18n.extract zh-Hant` prints the missing entries as .po text (with `msgctxt`
for a text in context and `msgid_plural` for a text with a number), ready to fill in and
append to a catalog.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib

from app.i18n import CATALOG_DIR, PLURAL_FORMS, catalog_dir_for

ROOT = CATALOG_DIR.parents[1]
# Marker name -> where its arguments are: (context, singular, plural); None when it has none.
MARKERS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None), "N_": (None, 0, None),
    "pgettext": (0, 1, None), "NC_": (0, 1, None),
    "ngettext": (None, 0, 1), "NN_": (None, 0, 1),
    "npgettext": (0, 1, 2),
}
# Methods and widgets that show text to the user: a bare string literal there is a bug.
SHOWN_BY = {
    "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "setTitle", "addItem",
    "setStatusTip", "showMessage", "QLabel", "QPushButton", "QCheckBox", "QRadioButton",
    "QGroupBox", "QAction", "setHeaderLabels", "setTabText", "addTab", "QMessageBox",
}
# A number written before a noun left to cope with both forms: "1 complaint(s)".
HEDGED_PLURAL = re.compile(r"\w\(s\)")


@dataclass(frozen=True)
class Message:
    """A text as the code marks it: its msgid, the plural form's msgid, its context."""

    msgid: str
    plural: str | None = None
    context: str | None = None


def source_files(folders: Iterable[str] = ("app", "ui")) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py")
                  if "migrations" not in p.parts)


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{line}"


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _text(node: ast.Call, position: int | None) -> str | None:
    if position is None or position >= len(node.args):
        return None
    arg = node.args[position]
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None


def messages(files: Iterable[Path] | None = None) -> dict[Message, str]:
    """Each marked text -> "file:line" of its first use."""
    found: dict[Message, str] = {}
    for path in files or source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _call_name(node) not in MARKERS:
                continue
            context_at, singular_at, plural_at = MARKERS[_call_name(node)]
            msgid = _text(node, singular_at)
            if msgid is None:
                continue
            message = Message(msgid, _text(node, plural_at), _text(node, context_at))
            found.setdefault(message, _where(path, node.lineno))
    return found


def msgids(files: Iterable[Path] | None = None) -> dict[str, str]:
    """msgid -> "file:line" of its first use."""
    found: dict[str, str] = {}
    for message, where in messages(files).items():
        found.setdefault(message.msgid, where)
    return found


def untranslated_literals(files: Iterable[Path] | None = None) -> list[str]:
    """Places in ui/ that pass a bare string literal with letters to a text-showing call."""
    problems = []
    for path in files or source_files(("ui",)):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) in SHOWN_BY:
                for arg in node.args:
                    if (isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                            and any(ch.isalpha() for ch in arg.value)):
                        problems.append(f"{_where(path, node.lineno)}: {arg.value!r}")
    return problems


def hedged_plurals(found: dict[Message, str] | None = None) -> list[str]:
    """Marked texts that write "complaint(s)" instead of taking a plural form."""
    return [f"{where}: {m.msgid!r}" for m, where in (found or messages()).items()
            if HEDGED_PLURAL.search(m.msgid) or (m.plural and HEDGED_PLURAL.search(m.plural))]


def entries(lang: str) -> dict[tuple[str | None, str], polib.POEntry]:
    """The language's catalog entries by (context, msgid), obsolete ones left out."""
    found: dict[tuple[str | None, str], polib.POEntry] = {}
    for po_file in sorted(catalog_dir_for(lang).glob("*.po")):
        for e in polib.pofile(str(po_file)):
            if not e.obsolete:
                found[(e.msgctxt, e.msgid)] = e
    return found


def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation (the only form of a plural entry, for a language with one)."""
    return {msgid: e.msgstr or next(iter(e.msgstr_plural.values()), "")
            for (_context, msgid), e in entries(lang).items()}


def nplurals(lang: str) -> int:
    return int(PLURAL_FORMS[lang].split(";")[0].split("=")[1])


def translated(message: Message, entry: polib.POEntry | None, lang: str) -> bool:
    """The catalog's entry translates the message fully: same plural msgid, every form."""
    if entry is None or "fuzzy" in entry.flags:
        return False
    if message.plural is None:
        return bool(entry.msgstr) and not entry.msgid_plural
    forms = entry.msgstr_plural
    return (entry.msgid_plural == message.plural
            and all(forms.get(i) for i in range(nplurals(lang))))


def missing(lang: str) -> dict[Message, str]:
    have = entries(lang)
    return {m: where for m, where in messages().items()
            if not translated(m, have.get((m.context, m.msgid)), lang)}


def main(argv: list[str]) -> int:
    for lang in argv or ["zh-Hans", "zh-Hant"]:
        po = polib.POFile()
        for m, where in sorted(missing(lang).items(), key=lambda kv: kv[1]):
            entry = polib.POEntry(msgid=m.msgid, msgctxt=m.context, occurrences=[(where, "")])
            if m.plural is not None:
                entry.msgid_plural = m.plural
                entry.msgstr_plural = {i: "" for i in range(nplurals(lang))}
            else:
                entry.msgstr = ""
            po.append(entry)
        print(f"# {lang}: {len(po)} missing")
        print(str(po))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
