"""The client's HTTP calls: urllib with a timeout on every request."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any

from jwtkit.demo.serving import DemoError

REQUEST_TIMEOUT = 5.0
MAX_RESPONSE_SIZE = 64 * 1024


@dataclass(frozen=True)
class Reply:
    """A response as the client sees it: status, headers and the JSON body."""

    status: int
    # Header lookups ignore case, as HTTP field names do.
    headers: Message
    body: dict[str, Any]


def call(
    method: str,
    url: str,
    *,
    json_body: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> Reply:
    """Send one request and return the reply, error statuses included.

    Raise ``DemoError`` when the server cannot be reached, times out or does
    not respond with a JSON object.
    """
    data = None
    request_headers = dict(headers or {})
    if json_body is not None:
        data = json.dumps(json_body).encode("utf-8")
        request_headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=request_headers, method=method)

    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _reply(response.status, response.headers, response.read(MAX_RESPONSE_SIZE))
    except urllib.error.HTTPError as exc:
        # 4xx and 5xx arrive as exceptions, but they are responses the demo shows.
        with exc:
            return _reply(exc.code, exc.headers, exc.read(MAX_RESPONSE_SIZE))
    except (urllib.error.URLError, OSError) as exc:
        raise DemoError(f"{method} {url} failed: {exc}") from exc


def _reply(status: int, headers: Message, data: bytes) -> Reply:
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):
        raise DemoError(f"the response with status {status} is not JSON: {data[:80]!r}") from None
    if not isinstance(body, dict):
        raise DemoError(f"the response with status {status} is not a JSON object")
    return Reply(status, headers, body)
