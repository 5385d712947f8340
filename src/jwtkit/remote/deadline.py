"""A deadline for a whole synchronous request, status line and headers included."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any


class Watchdog:
    """Ends a synchronous request at its deadline by shutting its socket down.

    httpx's timeout bounds each read, so a server that sends one byte of its
    status line or headers at a time, each within the timeout, would hold the
    caller for as long as it likes. The request's trace reports each new
    connection, and at the deadline a timer shuts those sockets down, which
    makes the blocked read return.
    """

    def __init__(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.fired = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def remaining(self) -> float:
        """Return the seconds left before the deadline."""
        return self._deadline - time.monotonic()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """Keep the socket of each connection the request opens (an httpcore trace callback)."""
        if not event.endswith("connect_tcp.complete"):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:
            _shut_down(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut_down(sock)

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()


def _shut_down(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
