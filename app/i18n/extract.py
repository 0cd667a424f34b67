"""Find the texts marked for translation in the code, and which lack a translation.

`python -m app.i18n.extract zh-Hant` prints the missing entries as .po text, ready to fill in
and append to a catalog.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from pathlib import Path

import polib

from app.i18n import CATALOG_DIR, catalog_dir_for

ROOT = CATALOG_DIR.parents[1]
MARKERS = {"_", "N_"}
# Methods and widgets that show text to the user: a bare string literal there is a bug.
SHOWN_BY = {
    "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "setTitle", "addItem",
    "setStatusTip", "showMessage", "QLabel", "QPushButton", "QCheckBox", "QRadioButton",
    "QGroupBox", "QAction", "setHeaderLabels", "setTabText", "addTab", "QMessageBox",
}


def source_files(folders: Iterable[str] = ("app", "ui")) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py")
                  if "migrations" not in p.parts)


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def msgids(files: Iterable[Path] | None = None) -> dict[str, str]:
    """msgid -> "file:line" of its first use."""
    found: dict[str, str] = {}
    for path in files or source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and _call_name(node) in MARKERS and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value,
                                 f"{path.relative_to(ROOT)}:{node.lineno}")
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
                        problems.append(f"{path.relative_to(ROOT)}:{node.lineno}: {arg.value!r}")
    return problems


def catalog(lang: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for po_file in sorted(catalog_dir_for(lang).glob("*.po")):
        for e in polib.pofile(str(po_file)):
            if not e.obsolete:
                entries[e.msgid] = e.msgstr
    return entries


def missing(lang: str) -> dict[str, str]:
    have = catalog(lang)
    return {m: where for m, where in msgids().items() if not have.get(m)}


def main(argv: list[str]) -> int:
    for lang in argv or ["zh-Hans", "zh-Hant"]:
        po = polib.POFile()
        for msgid, where in sorted(missing(lang).items(), key=lambda kv: kv[1]):
            po.append(polib.POEntry(msgid=msgid, msgstr="", occurrences=[(where, "")]))
        print(f"# {lang}: {len(po)} missing")
        print(str(po))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
