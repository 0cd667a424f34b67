"""The Windows installer script and the bundle's extras (issue 23). Inno Setup cannot run here:
this reads the script for what the installer must do, so that an edit cannot drop it silently."""

from __future__ import annotations

import re
import tomllib

from tests.cli_process import ROOT

ISS = ROOT / "packaging" / "windows" / "complaint-desk.iss"


def _script() -> str:
    raw = ISS.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "UTF-8 without BOM (Inno Setup 6.3 reads it)"
    return raw.decode("utf-8")  # the Chinese wizard texts


def _section(text: str, name: str) -> str:
    match = re.search(rf"^\[{name}\]\n(.*?)(?=^\[|\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"no [{name}] section"
    return match.group(1)


def test_the_script_needs_inno_setup_6_3_and_installs_64_bit() -> None:
    text = _script()
    assert "#if Ver < EncodeVer(6, 3, 0)" in text and "#error" in text
    setup = _section(text, "Setup")
    assert "ArchitecturesAllowed=x64compatible" in setup
    assert "ArchitecturesInstallIn64BitMode=x64compatible" in setup


def test_an_upgrade_removes_the_old_bundle_libraries_and_keeps_the_data() -> None:
    text = _script()
    assert 'Type: filesandordirs; Name: "{app}\\_internal"' in _section(text, "InstallDelete")
    # Nothing deletes the user's data: no [UninstallDelete] section, no {localappdata}.
    assert not re.search(r"^\[UninstallDelete\]", text, re.MULTILINE)
    assert "{localappdata}" not in text.lower()


def test_start_with_windows_is_offered_unchecked_in_three_languages() -> None:
    text = _script()
    assert re.search(r'^Name: "autostart";.*Flags: unchecked', _section(text, "Tasks"),
                     re.MULTILINE)
    assert re.search(r'^Name: "\{autostartup\}\\.*Tasks: autostart', _section(text, "Icons"),
                     re.MULTILINE)
    for lang in ("chinesesimplified", "chinesetraditional", "english"):
        assert re.search(rf"^{lang}\.AutostartTask=\S", text, re.MULTILINE)


def test_signing_happens_when_a_sign_tool_is_given() -> None:
    text = _script()
    assert re.search(r"#ifdef SignTool\s+SignTool=\{#SignTool\}\s+SignedUninstaller=yes",
                     text)
    files = _section(text, "Files")
    for exe in ("{#AppExe}", "{#CliExe}"):
        assert re.search(rf"\\{re.escape(exe)}\"; .*Flags: ignoreversion\{{#SignFlag\}}",
                         files), exe


def test_psycopg_comes_with_the_program_and_into_the_bundle() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # A plain dependency (issue 18): every install, the lock's runtime set and the bundle.
    assert any(dep.startswith("psycopg[binary]") for dep in project["project"]["dependencies"])
    spec = (ROOT / "packaging" / "complaint_desk.spec").read_text(encoding="utf-8")
    assert '"psycopg"' in spec
