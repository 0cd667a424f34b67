"""The window on a real X server: `main.py` with Qt's xcb plugin under Xvfb (not offscreen),
as on a fresh Linux desktop after scripts/setup.sh installed what the plugin links."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def display() -> str:
    if shutil.which("Xvfb") is None or shutil.which("xwininfo") is None:
        _missing("Xvfb and xwininfo are needed (scripts/setup.sh --test installs them)")
    read, write = os.pipe()
    # -displayfd: the server picks a free display number and writes it to the pipe.
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def test_window_opens_with_the_xcb_plugin(display: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINT_DESK")}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_DEBUG_PLUGINS="0",
               HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    program = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--db",
                                str(tmp_path / "desk.db"), "--lang", "zh-Hans"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        titles = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and program.poll() is None:
            tree = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True,
                                  text=True, timeout=10).stdout
            titles = "\n".join(line for line in tree.splitlines() if '"' in line)
            if "投诉服务台" in titles or "Complaint Desk" in titles:
                break
            time.sleep(0.3)
        assert program.poll() is None, program.communicate()[0]
        assert "投诉服务台" in titles or "Complaint Desk" in titles, titles
    finally:
        program.terminate()
        try:
            program.wait(10)
        except subprocess.TimeoutExpired:
            program.kill()
