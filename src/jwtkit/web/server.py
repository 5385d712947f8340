"""The debugger page's HTTP server: its static files and JSON API, on 127.0.0.1 only.

Any web page the user opens can send requests to 127.0.0.1, so every request
is checked before it is served:

- the Host header must name this server (127.0.0.1 or localhost with its
  port), which defeats DNS rebinding: a hostile name resolved to 127.0.0.1
  still arrives with that name in Host;
- an API request must be a POST with ``Content-Type: application/json``, an
  Origin equal to this server's own, and the per-process session value from
  the page in the ``X-Jwtkit-Session`` header, which defeats cross-site
  request forgery;
- request bodies are limited to ``MAX_BODY_BYTES``.

Responses carry a Content-Security-Policy that allows scripts, styles and
connections from this origin only, so the page cannot load or send anything
elsewhere.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from jwtkit._encoding import json_loads
from jwtkit.errors import MalformedTokenError, UsageError
from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.web import api

logger = logging.getLogger("jwtkit.web")

LISTEN_HOST = "127.0.0.1"
MAX_BODY_BYTES = 256 * 1024
SESSION_HEADER = "X-Jwtkit-Session"
# Seconds a client may stay silent while sending a request before the
# connection is closed, so a stalled client does not hold a thread forever.
REQUEST_TIMEOUT = 30

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
        "object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}

# URL path -> (file in the static folder, Content-Type).
STATIC_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/app.css": ("app.css", "text/css; charset=utf-8"),
}
# index.html carries the session value and the algorithm names in meta
# elements, since the Content-Security-Policy allows no inline script.
_SESSION_PLACEHOLDER = b"__JWTKIT_SESSION__"
_ALGORITHMS_PLACEHOLDER = b"__JWTKIT_ALGORITHMS__"


class DebuggerServer(ThreadingHTTPServer):
    """The debugger's HTTP server, bound to 127.0.0.1; port 0 picks a free port."""

    daemon_threads = True

    def __init__(self, port: int = 0) -> None:
        if not 0 <= port <= 65535:
            raise UsageError(f"port {port} is out of range; use 1 to 65535, or 0 for any free port")
        try:
            super().__init__((LISTEN_HOST, port), DebuggerHandler)
        except OSError as exc:
            raise UsageError(
                f"cannot listen on {LISTEN_HOST}:{port}: {exc.strerror or exc}; choose another "
                "port, or 0 for any free port"
            ) from None
        self.port: int = self.server_address[1]
        self.session = secrets.token_urlsafe(32)
        self.allowed_hosts = frozenset({f"127.0.0.1:{self.port}", f"localhost:{self.port}"})
        self.pages = _load_pages(self.session)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The page's address."""
        return f"http://{LISTEN_HOST}:{self.port}/"

    def start_in_thread(self) -> None:
        """Serve requests from a background thread until ``stop`` is called."""
        self._thread = threading.Thread(target=self.serve_forever, name="jwtkit-debugger")
        self._thread.daemon = True
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread started by ``start_in_thread`` and close the listening socket."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()


class DebuggerHandler(BaseHTTPRequestHandler):
    """Serve the static page and the JSON API, after the Host, Origin and session checks."""

    server: DebuggerServer
    protocol_version = "HTTP/1.1"
    timeout = REQUEST_TIMEOUT
    server_version = "jwtkit-debugger"
    sys_version = ""

    def do_GET(self) -> None:
        if not self._host_allowed():
            return
        path = urlsplit(self.path).path
        page = self.server.pages.get(path)
        if page is not None:
            body, content_type = page
            self._send(200, body, content_type)
        elif path == "/favicon.ico":
            self._send(204, b"", None)
        else:
            self._send(404, b"not found\n", "text/plain; charset=utf-8")

    def do_POST(self) -> None:
        if not self._host_allowed():
            return
        rejection = self._csrf_rejection()
        if rejection is not None:
            self._reject(403, "forbidden", rejection)
            return
        request = self._read_json_body()
        if request is None:
            return

        path = urlsplit(self.path).path
        try:
            status, response = api.handle(path, request)
            body = json.dumps(response, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except Exception:
            # One failed request must not stop the server; the traceback goes
            # to the log and the page gets a generic error.
            logger.exception("internal error while serving %s", path)
            self._send_json(
                500,
                {"error": {"code": "internal_error", "message": "internal error; see the log"}},
            )
            return
        self._send(status, body, "application/json")

    def end_headers(self) -> None:
        # Every response, error pages from http.server included, gets the
        # security headers.
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)

    # -- checks -------------------------------------------------------------------

    def _host_allowed(self) -> bool:
        host = (self.headers.get("Host") or "").lower()
        if host in self.server.allowed_hosts:
            return True
        self._reject(
            403,
            "forbidden_host",
            f"Host {host[:100]!r} is not this server; open {self.server.url}",
        )
        return False

    def _csrf_rejection(self) -> str | None:
        """Return why a POST may come from another site, or None when it is the page's own."""
        own_origin = f"http://{(self.headers.get('Host') or '').lower()}"
        origin = self.headers.get("Origin")
        if origin != own_origin:
            return f"Origin {str(origin)[:100]!r} is not this server's origin {own_origin!r}"
        fetch_site = self.headers.get("Sec-Fetch-Site")
        if fetch_site is not None and fetch_site != "same-origin":
            return f"Sec-Fetch-Site is {fetch_site[:40]!r}, not 'same-origin'"
        if self.headers.get_content_type() != "application/json":
            return "Content-Type must be application/json"
        session = self.headers.get(SESSION_HEADER) or ""
        if not hmac.compare_digest(session.encode("utf-8"), self.server.session.encode("ascii")):
            return f"the {SESSION_HEADER} header does not match this server's session"
        return None

    def _read_json_body(self) -> dict[str, Any] | None:
        if self.headers.get("Transfer-Encoding") is not None:
            self._reject(411, "length_required", "send the body with a Content-Length")
            return None
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            length = -1
        if length < 0:
            self._reject(411, "length_required", "send the body with a valid Content-Length")
            return None
        if length > MAX_BODY_BYTES:
            self._reject(
                413,
                "body_too_large",
                f"the request body is {length} bytes; the limit is {MAX_BODY_BYTES}",
            )
            return None

        raw = self.rfile.read(length)
        try:
            request = json_loads(raw, "the request body")
        except MalformedTokenError as exc:
            self._reject(400, "invalid_request", str(exc))
            return None
        if not isinstance(request, dict):
            self._reject(400, "invalid_request", "the request body must be a JSON object")
            return None
        return request

    # -- responses ------------------------------------------------------------------

    def _reject(self, status: int, code: str, message: str) -> None:
        logger.warning("rejected %s %s: %s", self.command, self.path[:100], message)
        # The body of a rejected request may not have been read, so the
        # connection cannot be reused.
        self.close_connection = True
        self._send_json(status, {"error": {"code": code, "message": message}})

    def _send_json(self, status: int, value: dict[str, Any]) -> None:
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json")

    def _send(self, status: int, body: bytes, content_type: str | None) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _load_pages(session: str) -> dict[str, tuple[bytes, str]]:
    static = resources.files("jwtkit.web").joinpath("static")
    pages = {}
    for path, (name, content_type) in STATIC_FILES.items():
        body = static.joinpath(name).read_bytes()
        if name == "index.html":
            body = body.replace(_SESSION_PLACEHOLDER, session.encode("ascii"))
            names = " ".join(SIGNATURE_ALGORITHMS).encode("ascii")
            body = body.replace(_ALGORITHMS_PLACEHOLDER, names)
        pages[path] = (body, content_type)
    return pages
