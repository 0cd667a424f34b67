"""`python main.py selftest` as a separate process: every check passes on a whole program, and a
module missing as in the broken bundle (QtPdfWidgets left out) fails it, naming the view."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.views import VIEWS

ROOT = Path(__file__).resolve().parents[2]
# Makes `import PySide6.QtPdfWidgets` fail, as it did in the bundle built with it excluded.
WITHOUT_PDF_WIDGETS = '''
import sys

class _Gone:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6.QtPdfWidgets":
            raise ModuleNotFoundError("No module named 'PySide6.QtPdfWidgets'", name=name)
        return None

sys.meta_path.insert(0, _Gone())
'''


def selftest(tmp_path: Path, *args: str, pythonpath: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINT_DESK")}
    env.pop("QT_QPA_PLATFORM", None)  # selftest chooses offscreen itself
    env["HOME"] = str(tmp_path / "home")  # nothing of the user's data folder is touched
    env["XDG_DATA_HOME"] = str(tmp_path / "home" / "data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "home" / "config")
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--lang", "en", "selftest",
                           *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=240)


def test_selftest_passes_on_the_whole_program(tmp_path: Path) -> None:
    done = selftest(tmp_path, "--keep", str(tmp_path / "kept"))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    checks = [line for line in lines if line.startswith(("OK  ", "FAIL"))]
    assert checks and all(line.startswith("OK   ") for line in checks), done.stdout
    for spec in VIEWS:  # every view of the window, one line each
        assert any(line.startswith(f"OK   view {spec.title} ({spec.shortcut})")
                   for line in checks), spec.key
    for name in ("font", "translations", "Qt platform plugin", "Qt print support",
                 "Qt image formats", "program modules", "slip A5", "slip 80 mm",
                 "monthly report", "Excel export"):
        assert any(line.startswith(f"OK   {name}:") for line in checks), name
    assert any(line.startswith("OK   menu ") and "SettingsDialog" in line for line in checks)
    assert f"selftest: all {len(checks)} checks passed" in done.stdout
    kept = tmp_path / "kept"
    for made in ("slip-a5.pdf", "slip-receipt80.pdf", "desk.db"):
        assert (kept / made).is_file(), made
    assert list(kept.glob("report-*.pdf")) and list(kept.glob("complaints-*.xlsx"))
    assert not (tmp_path / "home" / "data").exists()  # the PC's own data folder: untouched


@pytest.mark.slow
def test_selftest_fails_when_a_view_cannot_load(tmp_path: Path) -> None:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(WITHOUT_PDF_WIDGETS, encoding="utf-8")
    done = selftest(tmp_path, pythonpath=str(hook))
    assert done.returncode == 1, done.stdout + done.stderr
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAIL")]
    assert any(line.startswith("FAIL view Reports (F7)") and "QtPdfWidgets" in line
               for line in failed), done.stdout
    assert any(line.startswith("FAIL program modules") for line in failed), done.stdout
    assert "checks FAILED" in done.stdout
