"""Builds are reproducible: one lock of exact versions with hashes, which the setup, CI and the
bundle build install from; the installer's version is the program's own."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import build  # noqa: E402  (packaging/build.py)

LOCKS = ("runtime", "test", "build")
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)")


def requirements(name: str) -> list[tuple[str, str, list[str]]]:
    """(package, version, hashes) of requirements/<name>.txt."""
    text = (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    out = []
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = PIN.match(block)
        if match:
            out.append((match.group(1), match.group(2), re.findall(r"--hash=sha256:\w+", block)))
    return out


@pytest.mark.parametrize("name", LOCKS)
def test_every_locked_package_is_pinned_with_hashes(name: str) -> None:
    entries = requirements(name)
    assert len(entries) >= 15
    for package, version, hashes in entries:
        assert hashes, f"{name}.txt: {package}=={version} has no hash"
    text = (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    unpinned = [line for line in text.splitlines()
                if line and line[0].isalnum() and "==" not in line]
    assert not unpinned


def test_the_sets_agree_with_each_other_and_with_uv_lock() -> None:
    """One resolution: a package has the same version in every set and in uv.lock."""
    lock = (ROOT / "uv.lock").read_text(encoding="utf-8")
    locked = dict(re.findall(r'\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"', lock))
    seen: dict[str, str] = {}
    for name in LOCKS:
        for package, version, _hashes in requirements(name):
            key = package.lower().replace("_", "-").replace(".", "-")
            assert seen.setdefault(key, version) == version, key
            assert locked.get(key) == version, f"{key}: {version} vs uv.lock {locked.get(key)}"
    for needed in ("pyside6-essentials", "pyside6-addons", "sqlalchemy", "keyring", "psycopg",
                   "pyinstaller", "pytest"):
        assert needed in seen, needed


def test_install_paths_use_the_lock() -> None:
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "--require-hashes -r \"$LOCK\"" in setup and "requirements/test.txt" in setup
    assert "--no-deps -e ." in setup
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements/build.txt" in ci
    assert ".[build]" not in ci


def test_the_build_refuses_an_environment_that_drifted(tmp_path: Path) -> None:
    """build.py compares this environment with the lock (here: one made-up package)."""
    assert build.drift_from_lock(ROOT / "requirements" / "test.txt") == []  # this venv
    fake = tmp_path / "lock.txt"
    fake.write_text("sqlalchemy==1.0.0 \\\n    --hash=sha256:00\n"
                    "no-such-package-here==1.0 ; sys_platform == 'linux' or "
                    "sys_platform != 'linux' \\\n    --hash=sha256:00\n"
                    "pywin32-ctypes==0.2.3 ; sys_platform == 'nt-never' \\\n"
                    "    --hash=sha256:00\n", encoding="utf-8")
    drift = build.drift_from_lock(fake)
    assert any(d.startswith("sqlalchemy:") and "lock: 1.0.0" in d for d in drift)
    assert any(d.startswith("no-such-package-here: missing") for d in drift)
    assert not any("pywin32" in d for d in drift)  # another platform's package


def test_the_installer_version_is_the_programs(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert build.program_version() == __version__
    target = tmp_path / "version.iss"
    monkeypatch.setattr(build, "VERSION_ISS", target)
    build.write_installer_version()
    assert f'#define AppVersion "{__version__}"' in target.read_text(encoding="utf-8")
    iss = (ROOT / "packaging" / "windows" / "complaint-desk.iss").read_text(encoding="utf-8")
    assert '#include "version.iss"' in iss
    assert not re.search(r'#define\s+AppVersion\s+"', iss)  # never typed in the script
    assert "AppVersion={#AppVersion}" in iss
