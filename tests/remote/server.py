"""A JWK Set provider on 127.0.0.1: the tests set its responses and count its requests."""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from jwtkit import Key

# The maximum time a delayed response waits for its gate, so that a failing test
# never leaves a handler thread blocked for good.
GATE_LIMIT = 10.0


@dataclass
class Response:
    """What the provider sends for one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Sent instead of ``body``, without Content-Length, until the client hangs up.
    chunks: Callable[[], Iterable[bytes]] | None = None
    # Seconds to wait between chunks.
    chunk_delay: float = 0.0
    # When set, the response is sent only once the gate opens.
    gate: threading.Event | None = None
    # Sent one byte at a time, paced by ``chunk_delay``, instead of the status line
    # and headers; ``body`` follows at once.
    raw_head: bytes | None = None


class Provider:
    """A threaded HTTP (or, with ``ssl_context``, HTTPS) server on an ephemeral port."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self.responses: dict[str, Response] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        # Responses per path that the client hung up on before they were sent in full.
        self.cut_off: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._gates: list[threading.Event] = []

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.server.block_on_close = False
        if ssl_context is not None:
            self.server.socket = ssl_context.wrap_socket(self.server.socket, server_side=True)
        self.scheme = "https" if ssl_context is not None else "http"
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def respond(self, path: str, response: Response) -> None:
        with self._lock:
            self.responses[path] = response
            if response.gate is not None:
                self._gates.append(response.gate)

    def serve_json(
        self,
        path: str,
        document: Any,
        *,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        body = json.dumps(document).encode("utf-8")
        self.respond(
            path, Response(body=body, headers={"Content-Type": content_type, **(headers or {})})
        )

    def serve_keys(
        self,
        keys: Iterable[Key],
        *,
        path: str = "/jwks",
        max_age: int | None = None,
        gate: threading.Event | None = None,
    ) -> None:
        """Publish the public halves of ``keys`` as a JWK Set."""
        document = {"keys": [key.to_jwk() for key in keys]}
        headers = {"Content-Type": "application/jwk-set+json"}
        if max_age is not None:
            headers["Cache-Control"] = f"public, max-age={max_age}"
        body = json.dumps(document).encode("utf-8")
        self.respond(path, Response(body=body, headers=headers, gate=gate))

    def wait_for_hits(self, path: str, count: int, timeout: float = GATE_LIMIT) -> bool:
        """Wait until ``path`` has had ``count`` requests; return whether it did in time."""
        with self._arrived:
            return self._arrived.wait_for(lambda: self.hits[path] >= count, timeout)

    def wait_for_cut_off(self, path: str, timeout: float = GATE_LIMIT) -> bool:
        """Wait until the client has hung up on a response for ``path``; return whether it did."""
        with self._arrived:
            return self._arrived.wait_for(lambda: self.cut_off[path] >= 1, timeout)

    def close(self) -> None:
        for gate in self._gates:
            gate.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def _record_cut_off(self, path: str) -> None:
        with self._lock:
            self.cut_off[path] += 1
            self._arrived.notify_all()

    def _record(self, path: str, headers: dict[str, str]) -> Response | None:
        with self._lock:
            self.hits[path] += 1
            self.requests.append((path, headers))
            self._arrived.notify_all()
            return self.responses.get(path)


def _handler_for(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            response = provider._record(self.path, dict(self.headers.items()))
            if response is None:
                response = Response(
                    status=404, body=b"not found", headers={"Content-Type": "text/plain"}
                )
            if response.gate is not None:
                response.gate.wait(GATE_LIMIT)
            # The client may hang up early, as a size or time limit makes it do.
            try:
                self._send(response)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                provider._record_cut_off(self.path)

        def _send(self, response: Response) -> None:
            if response.raw_head is not None:
                head = response.raw_head
                pieces = (head[i : i + 1] for i in range(len(head)))
                for piece in _paced(pieces, response.chunk_delay):
                    self.wfile.write(piece)
                    self.wfile.flush()
                self.wfile.write(response.body)
                self.close_connection = True
                return
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if response.chunks is None:
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                self.wfile.write(response.body)
                return
            self.end_headers()
            for chunk in _paced(response.chunks(), response.chunk_delay):
                self.wfile.write(chunk)
                self.wfile.flush()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _paced(chunks: Iterable[bytes], delay: float) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk
        if delay:
            time.sleep(delay)
