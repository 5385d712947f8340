"""Threaded HTTP servers on 127.0.0.1 and the JSON responses both parties send."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

# Seconds a connection may stay idle before the server drops it, so a stalled
# client cannot hold a handler thread for long.
CONNECTION_TIMEOUT = 5.0

# The largest request body a party reads; a login form is far smaller.
MAX_BODY_SIZE = 4096

Narrate = Callable[[str], None]


class DemoError(RuntimeError):
    """A failure that stops the demo run, such as a party that cannot be reached."""


class RequestError(Exception):
    """A request the party cannot serve; the handler responds with ``status`` and ``error``."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message


class JSONHandler(BaseHTTPRequestHandler):
    """A request handler that responds in JSON and keeps the terminal free of access logs."""

    timeout = CONNECTION_TIMEOUT
    server_version = "jwtkit-demo"
    sys_version = ""

    def send_json(
        self, status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> None:
        """Send ``body`` as a JSON response with ``status`` and extra ``headers``."""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def send_request_error(self, error: RequestError) -> None:
        """Send a ``RequestError`` as JSON ``{"error": ..., "message": ...}``."""
        self.send_json(error.status, {"error": error.error, "message": error.message})

    def read_json_object(self) -> dict[str, Any]:
        """Read the request body as a JSON object; raise ``RequestError`` for anything else."""
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            raise RequestError(411, "length_required", "send the body with a Content-Length header")
        try:
            length = int(length_header)
        except ValueError:
            raise RequestError(
                400, "invalid_request", f"Content-Length {length_header!r} is not a number"
            ) from None
        if not 0 <= length <= MAX_BODY_SIZE:
            raise RequestError(
                413,
                "body_too_large",
                f"the body must be at most {MAX_BODY_SIZE} bytes, got Content-Length {length}",
            )

        body = self.rfile.read(length)
        try:
            value = json.loads(body)
        except (ValueError, RecursionError):
            raise RequestError(400, "invalid_request", "the body is not valid JSON") from None
        if not isinstance(value, dict):
            raise RequestError(400, "invalid_request", "the body must be a JSON object")
        return value

    def send_not_found(self) -> None:
        """Send 404 for a path this party does not serve."""
        self.send_json(404, {"error": "not_found", "message": f"no resource at {self.path!r}"})

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # The parties narrate their own steps; one access line per request
        # would only repeat them. Errors still reach stderr through log_error.
        return


class ServerThread:
    """An HTTP server on an ephemeral port of 127.0.0.1, served from a daemon thread.

    The socket is bound when the object is built, so ``url`` is known before
    the party that serves it (the issuer puts its URL into ``iss``). ``start``
    installs the handler and begins serving. Use the object as a context
    manager, so that the server stops also when the block raises.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        # No request arrives before start() installs the real handler.
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), JSONHandler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"{name} server",
            daemon=True,
        )

    @property
    def url(self) -> str:
        """The server's base URL, such as ``http://127.0.0.1:41234``."""
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self, handler: Callable[..., BaseHTTPRequestHandler]) -> None:
        """Serve requests with ``handler`` in the background."""
        self.server.RequestHandlerClass = handler
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._thread.is_alive():
            self.server.shutdown()
            self._thread.join(timeout=CONNECTION_TIMEOUT)
        self.server.server_close()

    def __enter__(self) -> ServerThread:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
