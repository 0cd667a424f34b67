"""The program and its tests run on Windows (issue 23): no POSIX-only call outside a POSIX path,
and the suite collects where `pty`, `fcntl` and `termios` do not exist."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.cli_process import python_env

ROOT = Path(__file__).resolve().parents[2]
# Calls Python has no Windows version of (or that only work on sockets there), and modules
# Windows lacks. A POSIX-only path imports its module inside a function that Windows never
# reaches, behind `pytest.importorskip` in a test, or in the Windows simulation itself.
POSIX_ONLY = re.compile(
    r"\bsignal\.SIG(KILL|HUP|USR1|USR2|ALRM|CHLD|STOP|CONT|QUIT|PIPE)\b|\bsignal\.alarm\b"
    r"|\bselect\.(select|poll|epoll)\b|\bos\.(fork|killpg|setsid|getpgid|getuid|geteuid|chown"
    r"|mkfifo|statvfs|fdatasync|sync)\(|^\s*(import|from) (pty|fcntl|termios|tty|pwd|grp"
    r"|resource)\b", re.MULTILINE)
EXEMPT = {ROOT / "tests" / "windows_sim" / "sitecustomize.py", Path(__file__).resolve()}


def _sources() -> list[Path]:
    files = [ROOT / "main.py"]
    for folder in ("app", "ui", "tests", "packaging"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return [f for f in files if f.resolve() not in EXEMPT]


def test_no_posix_only_call_in_the_program_or_its_tests() -> None:
    found = []
    for file in _sources():
        text = file.read_text(encoding="utf-8")
        for match in POSIX_ONLY.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{file.relative_to(ROOT)}:{line}: {match.group(0).strip()}")
    assert not found, "POSIX-only (use proc.kill(), threads, or a Windows path):\n" + "\n".join(
        found)


def _pytest_as_on_windows(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.posix_modules_missing",
                           "-q", "--no-header", *args], capture_output=True, text=True,
                          cwd=ROOT, env=python_env(), timeout=300)


def test_the_suite_collects_without_pty_fcntl_termios() -> None:
    done = _pytest_as_on_windows("--collect-only", "tests")
    tail = done.stdout[-3000:] + done.stderr[-3000:]
    assert done.returncode == 0, tail
    assert not re.search(r"\d+ errors?\b", done.stdout), tail
    collected = int(re.search(r"(\d+) tests? collected", done.stdout).group(1))  # type: ignore[union-attr]
    assert collected > 500, tail


def test_the_terminal_test_skips_where_there_is_no_pty() -> None:
    done = _pytest_as_on_windows(
        "tests/e2e/test_cli_user.py::test_the_password_is_asked_on_the_terminal", "-rs")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 skipped" in done.stdout and "no pseudo-terminals" in done.stdout, done.stdout
