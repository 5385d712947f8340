"""The debugger server's defences: Host and Origin checks, session, body limit, headers."""

from __future__ import annotations

import socket

import httpx
import pytest

from jwtkit.web import DebuggerServer
from jwtkit.web.server import MAX_BODY_BYTES, SECURITY_HEADERS
from tests.web.conftest import ApiClient


def raw_request(server: DebuggerServer, request: bytes) -> bytes:
    """Send bytes to the server on a fresh connection and return its whole response."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as connection:
        connection.sendall(request)
        connection.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_listens_on_loopback_only(debugger: DebuggerServer) -> None:
    assert debugger.server_address[0] == "127.0.0.1"
    assert debugger.url == f"http://127.0.0.1:{debugger.port}/"


@pytest.mark.parametrize("path", ["/", "/app.js", "/app.css"])
def test_static_files_carry_security_headers(api: ApiClient, path: str) -> None:
    response = api.http.get(path)

    assert response.status_code == 200
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_csp_allows_own_origin_only() -> None:
    policy = SECURITY_HEADERS["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "http" not in policy


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "text/css; charset=utf-8"),
    ],
)
def test_static_content_types(api: ApiClient, path: str, content_type: str) -> None:
    assert api.http.get(path).headers["Content-Type"] == content_type


def test_page_has_session_and_algorithms(api: ApiClient) -> None:
    page = api.http.get("/").text

    assert "__JWTKIT_" not in page
    assert f'content="{api.session}"' in page
    assert 'name="jwtkit-algorithms" content="HS256 HS384 HS512 RS256' in page


def test_page_has_no_inline_script_or_style(api: ApiClient) -> None:
    page = api.http.get("/").text

    assert "<script>" not in page
    assert "<style" not in page
    assert " style=" not in page
    assert " on" + "click=" not in page


def test_session_differs_per_server(api: ApiClient) -> None:
    other = DebuggerServer(0)
    other.start_in_thread()
    try:
        other_page = httpx.get(other.url, timeout=60).text
    finally:
        other.stop()

    assert api.session not in other_page


def test_unknown_path_is_404(api: ApiClient) -> None:
    response = api.http.get("/secret.txt")

    assert response.status_code == 404
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_query_string_ignored(api: ApiClient) -> None:
    assert api.http.get("/app.js?v=1").status_code == 200


def test_favicon_is_empty(api: ApiClient) -> None:
    assert api.http.get("/favicon.ico").status_code == 204


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1", "[::1]:{port}"]
)
def test_foreign_host_rejected_on_get(api: ApiClient, host: str) -> None:
    host = host.format(port=api.server.port)

    response = api.http.get("/", headers={"Host": host})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden_host"
    assert api.session not in response.text


def test_foreign_host_rejected_on_post(api: ApiClient) -> None:
    response = api.post("decode", {"token": "a.b.c"}, Host=f"rebind.example:{api.server.port}")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden_host"


def test_localhost_host_accepted(api: ApiClient) -> None:
    host = f"localhost:{api.server.port}"

    page = api.http.get("/", headers={"Host": host})
    decoded = api.post(
        "decode", {"token": "a.b.c"}, Host=host, Origin=f"http://localhost:{api.server.port}"
    )

    assert page.status_code == 200
    assert decoded.status_code == 200


def test_missing_host_rejected(debugger: DebuggerServer) -> None:
    answer = raw_request(debugger, b"GET / HTTP/1.0\r\n\r\n")

    assert answer.startswith(b"HTTP/1.1 403 ")


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"Origin": "http://evil.example"}, "Origin 'http://evil.example' is not this server"),
        ({"Origin": "null"}, "Origin 'null' is not this server's origin"),
        ({"Origin": "http://localhost:1"}, "is not this server's origin"),
        ({"Content-Type": "text/plain"}, "Content-Type must be application/json"),
        ({"Content-Type": "application/x-www-form-urlencoded"}, "Content-Type must be"),
        ({"X-Jwtkit-Session": "guess"}, "the X-Jwtkit-Session header does not match"),
        ({"X-Jwtkit-Session": ""}, "the X-Jwtkit-Session header does not match"),
        ({"Sec-Fetch-Site": "cross-site"}, "Sec-Fetch-Site is 'cross-site', not 'same-origin'"),
        ({"Sec-Fetch-Site": "same-site"}, "Sec-Fetch-Site is 'same-site'"),
    ],
)
def test_cross_site_post_rejected(api: ApiClient, overrides: dict[str, str], reason: str) -> None:
    response = api.post("decode", {"token": "a.b.c"}, **overrides)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert reason in response.json()["error"]["message"]


def test_post_without_origin_rejected(api: ApiClient) -> None:
    headers = api.headers()
    del headers["Origin"]

    response = api.http.post("/api/decode", content=b'{"token": "a.b.c"}', headers=headers)

    assert response.status_code == 403


def test_json_with_charset_accepted(api: ApiClient) -> None:
    response = api.post(
        "decode", {"token": "a.b.c"}, **{"Content-Type": "application/json; charset=utf-8"}
    )

    assert response.status_code == 200


def test_preflight_not_answered(api: ApiClient) -> None:
    response = api.http.request(
        "OPTIONS",
        "/api/decode",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )

    assert response.status_code == 501
    assert "Access-Control-Allow-Origin" not in response.headers


def test_body_too_large_rejected_unread(api: ApiClient) -> None:
    request = (
        f"POST /api/decode HTTP/1.1\r\nHost: 127.0.0.1:{api.server.port}\r\n"
        f"Origin: {api.origin}\r\nContent-Type: application/json\r\n"
        f"X-Jwtkit-Session: {api.session}\r\nContent-Length: {MAX_BODY_BYTES + 1}\r\n\r\n"
    ).encode()

    answer = raw_request(api.server, request)

    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b'"code": "body_too_large"' in answer
    assert b"Connection: close" in answer


def test_body_at_limit_accepted(api: ApiClient) -> None:
    padding = MAX_BODY_BYTES - len(b'{"token": "a.b.c", "pad": ""}')
    body = b'{"token": "a.b.c", "pad": "' + b"x" * padding + b'"}'

    response = api.http.post("/api/decode", content=body, headers=api.headers())

    assert len(body) == MAX_BODY_BYTES
    assert response.status_code == 200


@pytest.mark.parametrize("length", ["-1", "ten", ""])
def test_invalid_content_length_rejected(api: ApiClient, length: str) -> None:
    request = (
        f"POST /api/decode HTTP/1.1\r\nHost: 127.0.0.1:{api.server.port}\r\n"
        f"Origin: {api.origin}\r\nContent-Type: application/json\r\n"
        f"X-Jwtkit-Session: {api.session}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()

    answer = raw_request(api.server, request)

    assert answer.startswith(b"HTTP/1.1 411 ")
    assert b"send the body with a valid Content-Length" in answer


def test_stop_without_thread() -> None:
    server = DebuggerServer(0)

    server.stop()

    assert server.socket.fileno() == -1


def test_chunked_body_rejected(api: ApiClient) -> None:
    request = (
        f"POST /api/decode HTTP/1.1\r\nHost: 127.0.0.1:{api.server.port}\r\n"
        f"Origin: {api.origin}\r\nContent-Type: application/json\r\n"
        f"X-Jwtkit-Session: {api.session}\r\nTransfer-Encoding: chunked\r\n\r\n"
        "2\r\n{}\r\n0\r\n\r\n"
    ).encode()

    answer = raw_request(api.server, request)

    assert answer.startswith(b"HTTP/1.1 411 ")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{", "the request body is not valid JSON"),
        (b"[1]", "the request body must be a JSON object"),
        (b'{"token": "a", "token": "b"}', "duplicate member name 'token'"),
        (b"\xff", "the request body is not valid UTF-8"),
    ],
)
def test_bad_json_body(api: ApiClient, body: bytes, message: str) -> None:
    response = api.http.post("/api/decode", content=body, headers=api.headers())

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"
    assert message in response.json()["error"]["message"]


def test_get_on_api_is_404(api: ApiClient) -> None:
    assert api.http.get("/api/decode").status_code == 404


def test_server_keeps_serving_after_errors(api: ApiClient) -> None:
    for _ in range(3):
        api.http.post("/api/decode", content=b"{", headers=api.headers())

    assert api.call("decode", {"token": "a.b.c"})["parts"] == ["a", "b", "c"]
