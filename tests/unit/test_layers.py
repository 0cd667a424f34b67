"""The layer contracts of pyproject.toml ([tool.importlinter]) hold, and they catch what they
are for: a copy of the code with one bad import added is refused, naming it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def lint(folder: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` in `folder`, on the app/ and ui/ found there."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(no_cache=True))"],
        cwd=folder, capture_output=True, text=True, timeout=120)


def test_the_code_keeps_every_contract() -> None:
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"Contracts: \d+ kept, 0 broken", done.stdout)


@pytest.fixture(scope="module")
def copy_of_the_code(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("code")
    ignore = shutil.ignore_patterns("__pycache__")
    for package in ("app", "ui"):
        shutil.copytree(ROOT / package, folder / package, ignore=ignore)
    (folder / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "layer_contracts.py", folder / "tests")
    shutil.copy(ROOT / "pyproject.toml", folder)
    return folder


@pytest.fixture
def code(copy_of_the_code: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "code"
    shutil.copytree(copy_of_the_code, folder)
    return folder


def add_import(module: Path, statement: str) -> None:
    """An import inside a function (the way a cycle is usually hidden)."""
    module.write_text(module.read_text(encoding="utf-8")
                      + f"\n\ndef _sneaky() -> None:\n    {statement}  # noqa\n",
                      encoding="utf-8")


def broken(folder: Path) -> str:
    done = lint(folder)
    assert done.returncode != 0, done.stdout
    return done.stdout


def test_the_copy_is_clean(code: Path) -> None:
    assert lint(code).returncode == 0


def test_app_importing_qt_or_ui_is_refused(code: Path) -> None:
    add_import(code / "app" / "sla.py", "from PySide6.QtCore import QDate")
    add_import(code / "app" / "formatting.py", "from ui import messages")
    out = broken(code)
    assert "app.sla -> PySide6" in out
    assert "app.formatting -> ui.messages" in out


def test_a_service_importing_reports_is_refused(code: Path) -> None:
    add_import(code / "app" / "services" / "stats.py", "from app.reports import charts")
    assert "app.services.stats -> app.reports.charts" in broken(code)


def test_a_cycle_inside_a_function_is_refused(code: Path) -> None:
    add_import(code / "ui" / "complaint" / "section.py", "from ui.complaint import panel")
    out = broken(code)
    assert "These modules import each other:" in out
    assert "ui.complaint.section -> ui.complaint.panel" in out


def test_a_view_importing_another_view_is_refused(code: Path) -> None:
    add_import(code / "ui" / "revisits" / "revisit_list.py", "from ui.complaint import dialogs")
    assert "ui.revisits.revisit_list -> ui.complaint.dialogs" in broken(code)


def test_a_cycle_under_type_checking_is_refused(code: Path) -> None:
    """An import only for the type checker still ties the two modules together."""
    module = code / "ui" / "widgets" / "banner.py"
    module.write_text(module.read_text(encoding="utf-8") + (
        "\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from ui.complaint.panel import ComplaintPanel  # noqa\n"), encoding="utf-8")
    out = broken(code)
    assert "ui.widgets.banner -> ui.complaint.panel" in out


def test_an_ignored_import_that_is_gone_must_leave_the_list(code: Path) -> None:
    """An ignore line naming an arrow that no longer exists fails the run until it is deleted,
    so the list never outlives the cycles it names (as the audit_check/backups and
    migrate/restore lines did when branch `safety` removed those cycles)."""
    config = code / "pyproject.toml"
    text = config.read_text(encoding="utf-8")
    marker = 'containers = ["app"]\n'
    assert marker in text
    config.write_text(text.replace(marker, marker + 'ignore_imports = '
                                   '["app.audit_check -> app.services.backups"]\n', 1),
                      encoding="utf-8")
    done = lint(code)
    assert done.returncode != 0
    assert "app.audit_check -> app.services.backups" in done.stdout + done.stderr


def test_no_module_is_imported_by_a_name_in_a_string() -> None:
    """importlib.import_module("x") and __import__ hide an arrow from the contracts."""
    import ast

    allowed = {
        # selftest imports every module of app/ and ui/ found by walking the packages, to
        # prove the installed program whole (ui/selftest/qt_checks.py modules_check): no
        # arrow to hide, it stands above everything (the `selftest` layer).
        "ui/selftest/qt_checks.py",
    }
    found = []
    for path in sorted([*(ROOT / "app").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = (node.func.attr if isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute) else
                    node.func.id if isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name) else "")
            if name in ("import_module", "__import__"):
                found.append(str(path.relative_to(ROOT)))
    assert set(found) <= allowed, sorted(set(found) - allowed)


def test_a_new_module_must_be_given_its_layer(code: Path) -> None:
    """The layers are exhaustive: a module added to ui/ or app/ without a place in them fails
    until whoever adds it says where it stands."""
    (code / "ui" / "new_screen.py").write_text('"""A new screen."""\n', encoding="utf-8")
    out = broken(code)
    assert "ui.new_screen" in out and "exhaustive" in out
