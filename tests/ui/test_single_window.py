"""One window per database, as on Windows (issue 23): there two QLocalServers may listen on one
name, so a lock file decides who is first; a second start lets the first window take the
foreground (AllowSetForegroundWindow) and asks it to come forward."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from typing import Any

import pytest
from PySide6.QtNetwork import QLocalServer
from pytestqt.qtbot import QtBot

from tests.cli_process import python_env
from ui import single_instance
from ui.single_instance import SingleInstance, claim_name

HOLDER = """
import sys, time
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
from ui.single_instance import claim_name
instance = claim_name(sys.argv[1])
print("first" if instance is not None else "second", flush=True)
time.sleep(60)
"""


class FakeUser32:
    def __init__(self) -> None:
        self.allowed: list[int] = []

    def AllowSetForegroundWindow(self, pid: int) -> int:  # noqa: N802 - the Windows name
        self.allowed.append(pid)
        return 1


def _name() -> str:
    return f"complaint-desk-test-{uuid.uuid4().hex[:12]}"


def test_a_second_start_while_the_first_is_starting_opens_no_second_window(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    name = _name()
    first = claim_name(name)
    assert first is not None and first.lock is not None and first.lock.isLocked()
    try:
        # As on Windows: a second listener on the same name succeeds, and at the moment of
        # the second start the first window was not yet answering.
        monkeypatch.setattr(QLocalServer, "listen", lambda self, _name: True)
        real_notify, calls = single_instance.notify_running, []

        def not_yet_then_real(server: str) -> bool:
            calls.append(server)
            return len(calls) > 1 and real_notify(server)

        monkeypatch.setattr(single_instance, "notify_running", not_yet_then_real)
        user32 = FakeUser32()
        monkeypatch.setattr(single_instance.sys, "platform", "win32")
        monkeypatch.setattr(single_instance, "_user32", lambda: user32)
        with qtbot.waitSignal(first.activated, timeout=15000):
            second = claim_name(name)
        assert second is None  # the caller quits: one window
        assert user32.allowed == [os.getpid()]  # the first window's process, from the lock
    finally:
        first.close()
    assert not first.lock.isLocked()


def test_the_lock_of_a_crashed_window_is_taken_over(qtbot: QtBot) -> None:
    name = _name()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, name], env=python_env(
        QT_QPA_PLATFORM="offscreen"), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "first"
    finally:
        holder.kill()  # a crash: the lock file stays behind
        holder.wait(10)
    instance = claim_name(name)
    assert instance is not None and instance.server.isListening()
    instance.close()


def test_without_a_lock_the_socket_still_guards(qtbot: QtBot, monkeypatch: Any) -> None:
    """A temporary folder that cannot be written: the window opens, guarded as before."""
    name = _name()
    monkeypatch.setattr(single_instance.QDir, "tempPath", lambda: "/nonexistent/无此目录")
    instance = claim_name(name)
    assert isinstance(instance, SingleInstance) and instance.lock is None
    instance.close()
