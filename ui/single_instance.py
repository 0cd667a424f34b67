"""One window per database on a counter PC: a second start brings the first window forward.

The first window listens on a local socket named after the database (and the user); a later
start connects, says "show", and quits. A socket left behind by a crashed window is cleared
only after a connection attempt failed, so two windows started at the same moment cannot both
win (the loser of `listen` asks the winner instead).
"""

from __future__ import annotations

import getpass
import hashlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

from app.paths import Paths

MESSAGE = b"show\n"
TIMEOUT_MS = 1500


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

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_connection)

    def listen(self) -> bool:
        """Become the first window; False when another one answered (this start should quit).

        When listening is impossible for another reason, the window still opens (True)."""
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


def claim(paths: Paths, parent: QObject | None = None) -> SingleInstance | None:
    """Our listener when this is the first window on `paths`; None when an earlier window was
    asked to come forward instead (the caller then quits)."""
    name = server_name(paths)
    if notify_running(name):
        return None
    instance = SingleInstance(name, parent)
    return instance if instance.listen() else None


def bring_to_front(window) -> None:  # type: ignore[no-untyped-def]
    """Restore a minimised window and raise it (window managers may only flash it)."""
    from PySide6.QtCore import Qt

    window.setWindowState((window.windowState() & ~Qt.WindowState.WindowMinimized)
                          | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()
