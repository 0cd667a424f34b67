"""One window per database on a counter PC: a second start brings the first window forward.

Who is first is decided by a lock file (QLockFile, named after the database and the user, in
the user's temporary folder): on Windows two QLocalServers can listen on the same name (a named
pipe accepts several instances), so the socket alone never refuses a second window there. A
lock left by a crashed window is stale once its process is gone, and Qt then takes it over.
The first window also listens on a local socket of the same name; a later start connects,
says "show", and quits.

Windows lets only the foreground process bring a window to the front; the first window is not
it, the program the user just started is. So the later start first allows the first window's
process (its PID is in the lock file) to take the foreground (AllowSetForegroundWindow), then
asks it to come forward.
"""

from __future__ import annotations

import getpass
import hashlib
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, QLockFile, QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

from app.paths import Paths

MESSAGE = b"show\n"
TIMEOUT_MS = 1500
STARTING_SECONDS = 10.0  # a first window holds the lock a moment before it listens


def server_name(paths: Paths) -> str:
    """Stable per database URL and per user; short enough for a Unix socket path."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on this system: still one per database
        user = ""
    digest = hashlib.sha256(f"{user}\n{paths.db_url}".encode()).hexdigest()[:20]
    return f"complaint-desk-{digest}"


def notify_running(name: str) -> bool:
    """Ask the window already serving `name` to come forward; False when there is none."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write(MESSAGE)
    socket.flush()
    socket.waitForBytesWritten(TIMEOUT_MS)
    # Wait for the first window to answer (or hang up), so we only quit once it has heard us.
    socket.waitForReadyRead(TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


class SingleInstance(QObject):
    """The first window's listener; `activated` fires when a later start asked for it."""

    activated = Signal()

    def __init__(self, name: str, parent: QObject | None = None,
                 lock: QLockFile | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.lock = lock  # held while this window lives: no other window on this database
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_connection)

    def listen(self) -> bool:
        """Become the first window; False when another one answered (this start should quit).

        When listening is impossible for another reason, the window still opens (True)."""
        if self.lock is not None:  # we hold the lock: a socket of that name is a crash's
            if not self.server.listen(self.name):
                QLocalServer.removeServer(self.name)
                self.server.listen(self.name)
            return True
        if self.server.listen(self.name):
            return True
        if self.server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            if notify_running(self.name):
                return False
            QLocalServer.removeServer(self.name)  # left behind by a window that crashed
            self.server.listen(self.name)
        return True

    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(self._on_ready_read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._answer(socket)

    def _on_ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._answer(socket)

    def _answer(self, socket: QLocalSocket) -> None:
        data = bytes(socket.readAll().data())
        if MESSAGE.strip() in data:
            socket.write(b"ok\n")
            socket.flush()
            self.activated.emit()

    def close(self) -> None:
        self.server.close()
        if self.lock is not None:
            self.lock.unlock()


def lock_file(name: str) -> QLockFile:
    lock = QLockFile(str(Path(QDir.tempPath()) / f"{name}.lock"))
    lock.setStaleLockTime(0)  # never stale by age, only once its process is gone
    return lock


def claim(paths: Paths, parent: QObject | None = None) -> SingleInstance | None:
    """Our listener when this is the first window on `paths`; None when an earlier window was
    asked to come forward instead (the caller then quits)."""
    return claim_name(server_name(paths), parent)


def claim_name(name: str, parent: QObject | None = None) -> SingleInstance | None:
    lock = lock_file(name)
    if lock.tryLock(0):
        instance = SingleInstance(name, parent, lock)
        instance.listen()
        return instance
    if lock.error() == QLockFile.LockError.LockFailedError:  # another window holds it
        pid, _host, _app = lock.getLockInfo()  # (0, "", "") when it cannot be read
        allow_foreground(int(pid))
        deadline = time.monotonic() + STARTING_SECONDS
        while not notify_running(name) and time.monotonic() < deadline:
            time.sleep(0.2)  # it is still starting: it listens once its database is open
        return None
    # No lock can be made here (temporary folder not writable): the socket alone guards.
    instance = SingleInstance(name, parent)
    return instance if instance.listen() else None


def _user32() -> Any:
    import ctypes

    return ctypes.windll.user32  # type: ignore[attr-defined]


def allow_foreground(pid: int) -> bool:
    """Let process `pid` bring its window to the front (Windows; elsewhere nothing to do)."""
    if sys.platform != "win32" or pid <= 0:
        return False
    try:
        return bool(_user32().AllowSetForegroundWindow(pid))
    except (AttributeError, OSError):
        return False


def bring_to_front(window) -> None:  # type: ignore[no-untyped-def]
    """Restore a minimised window and raise it (window managers may only flash it; Windows
    does it once the later start allowed it, see allow_foreground)."""
    from PySide6.QtCore import Qt

    window.setWindowState((window.windowState() & ~Qt.WindowState.WindowMinimized)
                          | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()
