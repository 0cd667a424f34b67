"""A TCP proxy in front of the test server, to lose the network for real in the middle of a
save: `cut()` breaks every connection through it (both sides see the socket die, as when a
cable is pulled and the line then answers again), `freeze()` stops passing bytes while keeping
the sockets open (a line gone silent), `thaw()` lets them through again. Loopback only."""

from __future__ import annotations

import contextlib
import selectors
import socket
import struct
import threading

from sqlalchemy.engine import make_url


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.flowing = threading.Event()
        self.flowing.set()
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def url_for(self, url: str) -> str:
        """The same database, reached through this proxy."""
        return make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(
            hide_password=False)

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            with self.lock:
                self.pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        ends = {client: server, server: client}
        # selectors: sockets only, which Windows supports too (unlike select on pipes)
        watch = selectors.DefaultSelector()
        for end in ends:
            watch.register(end, selectors.EVENT_READ)
        try:
            while not self.stopped.is_set():
                if not self.flowing.wait(0.05):
                    continue
                for key, _events in watch.select(0.05):
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    if not self.flowing.is_set():
                        break  # frozen between select and recv: keep the bytes waiting
                    data = sock.recv(65536)
                    if not data:
                        return
                    ends[sock].sendall(data)
        except OSError:
            return
        finally:
            watch.close()
            for sock in (client, server):
                with contextlib.suppress(OSError):
                    sock.close()

    def cut(self) -> None:
        """Break every open connection at once (RST to both sides); new ones still pass."""
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            for sock in pair:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    struct.pack("ii", 1, 0))
                    sock.close()

    def freeze(self) -> None:
        self.flowing.clear()

    def thaw(self) -> None:
        self.flowing.set()

    def stop(self) -> None:
        self.stopped.set()
        self.flowing.set()
        self.cut()
        with contextlib.suppress(OSError):
            self.listener.close()
