"""The debugger server in this process, an HTTP client for its API, and the RFC 7515 A.1 token."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from jwtkit.web import DebuggerServer
from jwtkit.web.server import SESSION_HEADER
from tests.cli.conftest import call_main  # noqa: F401  (a fixture used by the lint command tests)


@dataclass(frozen=True)
class Vector:
    """A compact JWS from RFC 7515 Appendix A and its key as a JWK (JSON text)."""

    token: str
    jwk: str


@pytest.fixture(scope="session")
def rfc7515_a1(vectors_dir: Path) -> Vector:
    # HS256 over {"iss":"joe","exp":1300819380,...}; that exp is long past.
    folder = vectors_dir / "latchset-jose" / "tests" / "vectors"
    return Vector(
        token=(folder / "rfc7515_A.1.jwsc").read_text().strip(),
        jwk=(folder / "rfc7515_A.1.jwk").read_text().strip(),
    )


@pytest.fixture(scope="module")
def debugger() -> Iterator[DebuggerServer]:
    server = DebuggerServer(0)
    server.start_in_thread()
    yield server
    server.stop()


class ApiClient:
    """Send requests to the debugger's API the way its page does."""

    def __init__(self, server: DebuggerServer) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.url.rstrip("/"), timeout=60)
        page = self.http.get("/").text
        match = re.search(r'name="jwtkit-session" content="([^"]+)"', page)
        assert match is not None, "the page has no session meta element"
        self.session = match.group(1)
        self.origin = server.url.rstrip("/")

    def headers(self, **overrides: str) -> dict[str, str]:
        """Return the headers of a same-origin API request, with some replaced."""
        headers = {
            "Content-Type": "application/json",
            "Origin": self.origin,
            SESSION_HEADER: self.session,
        }
        headers.update(overrides)
        return headers

    def post(self, endpoint: str, body: Any, **header_overrides: str) -> httpx.Response:
        """POST a JSON body to ``/api/<endpoint>``."""
        return self.http.post(
            f"/api/{endpoint}",
            content=json.dumps(body).encode("utf-8"),
            headers=self.headers(**header_overrides),
        )

    def call(self, endpoint: str, body: Any) -> dict[str, Any]:
        """POST and return the JSON body of a 200 response."""
        response = self.post(endpoint, body)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def call_error(self, endpoint: str, body: Any) -> dict[str, str]:
        """POST and return the error of a 400 response."""
        response = self.post(endpoint, body)
        assert response.status_code == 400, response.text
        error: dict[str, str] = response.json()["error"]
        return error


@pytest.fixture(scope="module")
def api(debugger: DebuggerServer) -> Iterator[ApiClient]:
    client = ApiClient(debugger)
    yield client
    client.http.close()
