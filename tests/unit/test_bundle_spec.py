"""The bundle leaves out only what the program never imports.

A module in a PyInstaller spec's `excludes` that app/ or ui/ imports fails only when that screen
is opened in the installed program (the Reports view lost QtPdfWidgets that way). Every spec
under packaging/ (Linux and Windows) is read; its excludes, wherever in the file and under
whichever platform branch, are compared with every import of app/, ui/ and main.py — at the top
of a module or inside a function — and with the modules the program loads by name
("module:Class" strings such as the views table's targets).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "packaging").rglob("*.spec"))
BY_NAME = re.compile(r"^([A-Za-z_][\w.]*):[A-Za-z_]\w*$")  # "ui.reports.reports_view:ReportsView"


def _strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant)
            and isinstance(n.value, str)]


def spec_excludes(spec: Path) -> set[str]:
    """Every name listed in an `excludes` list of the spec, in any branch."""
    tree = ast.parse(spec.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and "exclude" in t.id.lower() for t in targets) \
                    and node.value is not None:
                found.update(_strings(node.value))
        elif isinstance(node, ast.keyword) and node.arg == "excludes":
            found.update(_strings(node.value))
    return found


def program_imports() -> dict[str, str]:
    """Module name -> the first file that imports it (or loads it by name)."""
    files = [ROOT / "main.py", *sorted((ROOT / "app").rglob("*.py")),
             *sorted((ROOT / "ui").rglob("*.py"))]
    imports: dict[str, str] = {}
    for file in files:
        where = file.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                # `from PySide6 import QtPdfWidgets` imports the submodule PySide6.QtPdfWidgets
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                match = BY_NAME.match(node.value)
                if match:
                    names = [match.group(1)]
            for name in names:
                imports.setdefault(name, where)
    return imports


def _covers(excluded: str, module: str) -> bool:
    return module == excluded or module.startswith(excluded + ".")


def test_there_are_specs_to_check() -> None:
    assert SPECS, "no PyInstaller spec under packaging/"
    for spec in SPECS:
        assert spec_excludes(spec), f"{spec}: no excludes found (has the file changed shape?)"


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_excluded_module_is_imported_by_the_program(spec: Path) -> None:
    imports = program_imports()
    clashes = sorted(f"{module} (imported by {imports[module]}) is excluded as {excluded}"
                     for excluded in spec_excludes(spec) for module in imports
                     if _covers(excluded, module))
    assert not clashes, "\n".join(clashes)


def test_the_check_sees_imports_inside_functions_and_by_name() -> None:
    """The comparison would have caught the lost Reports view, and sees lazy imports."""
    imports = program_imports()
    assert imports["PySide6.QtPdfWidgets"] == "ui/reports/reports_view.py"
    assert "ui.reports.reports_view" in imports  # the views table loads it by name
    assert "app.services.demo" in imports  # imported inside a function (app/cli.py)
    assert "PySide6.QtPdf" in imports  # imported inside a function (ui/printing.py)
