"""Providers that return garbage or too much data, respond too slowly, or redirect badly."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator

import pytest

from jwtkit import Key
from jwtkit.errors import KeySetFetchError
from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.remote import JWKSClient
from jwtkit.remote.http import DEFAULT_MAX_RESPONSE_SIZE
from tests.remote.server import Provider, Response

ES256 = SIGNATURE_ALGORITHMS["ES256"]


def fetch_error(client: JWKSClient) -> KeySetFetchError:
    with pytest.raises(KeySetFetchError) as caught:
        client.find_key("k1", ES256)
    assert caught.value.code == "key_set_fetch_failed"
    assert str(caught.value) == (
        f"could not fetch the JWK Set from {client.url}: {caught.value.reason}"
    )
    return caught.value


def jwks_body(key: Key) -> bytes:
    return json.dumps({"keys": [key.to_jwk()]}).encode()


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (
            Response(
                body=b"<html><body>Sign in</body></html>", headers={"Content-Type": "text/html"}
            ),
            "the content type is 'text/html', expected application/json or "
            "application/jwk-set+json",
        ),
        (
            Response(body=b'{"keys": []}'),
            "the content type is missing, expected application/json or application/jwk-set+json",
        ),
        (
            Response(body=b'{"keys": []}', headers={"Content-Type": "text/" + "x" * 500}),
            "the content type is 'text/" + "x" * 51 + "..., expected application/json or "
            "application/jwk-set+json",
        ),
        (
            Response(
                body=b'{"keys": [{"kty": "EC", "use": "' + b"e" * 500 + b'"}]}',
                headers={"Content-Type": "application/json"},
            ),
            "it has no usable signature verification key; skipped: keys[0]: its 'use' is '"
            + "e" * 56
            + "..., not 'sig'",
        ),
        (
            Response(body=b"{not json", headers={"Content-Type": "application/json"}),
            "the response body is not valid JSON: Expecting property name enclosed in double "
            "quotes: line 1 column 2 (char 1)",
        ),
        (
            Response(body=b'[{"kty": "EC"}]', headers={"Content-Type": "application/json"}),
            "the body is a JSON array, expected a JSON object",
        ),
        (
            Response(body=b'"keys"', headers={"Content-Type": "application/json"}),
            "the body is a JSON string, expected a JSON object",
        ),
        (
            Response(body=b'{"kid": "k1"}', headers={"Content-Type": "application/json"}),
            "the JSON object has no 'keys' member that is an array",
        ),
        (
            Response(body=b'{"keys": {"kid": "k1"}}', headers={"Content-Type": "application/json"}),
            "the JSON object has no 'keys' member that is an array",
        ),
        (
            Response(body=b'{"keys": []}', headers={"Content-Type": "application/json"}),
            "it has no usable signature verification key",
        ),
        (
            Response(
                body=b'{"keys": [{"kty": "EC", "use": "enc"}]}',
                headers={"Content-Type": "application/json"},
            ),
            "it has no usable signature verification key; skipped: keys[0]: its 'use' is "
            "'enc', not 'sig'",
        ),
        (
            Response(
                body=b'{"keys": [], "keys": []}', headers={"Content-Type": "application/json"}
            ),
            "the response body is not valid JSON: duplicate member name 'keys'",
        ),
        (
            Response(body=b"\xff\xfe", headers={"Content-Type": "application/json"}),
            "the response body is not valid UTF-8; JOSE requires UTF-8 encoded JSON",
        ),
        (
            Response(status=404, body=b"missing", headers={"Content-Type": "text/plain"}),
            "HTTP status 404, expected 200",
        ),
        (
            Response(
                status=500, body=b'{"keys": []}', headers={"Content-Type": "application/json"}
            ),
            "HTTP status 500, expected 200",
        ),
        (
            Response(
                body=b"\x1f\x8b",
                headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
            ),
            "the body is compressed ('gzip') although identity was requested",
        ),
    ],
)
def test_garbage_response_rejected(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    response: Response,
    reason: str,
) -> None:
    provider.respond("/jwks", response)
    client = make_client(provider.url("/jwks"))

    error = fetch_error(client)

    assert error.reason == reason
    assert error.url == provider.url("/jwks")
    assert provider.hits["/jwks"] == 1


def test_json_with_charset_accepted(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    provider.respond(
        "/jwks",
        Response(
            body=jwks_body(ec_keys["k1"]),
            headers={"Content-Type": "Application/JSON; charset=utf-8"},
        ),
    )
    client = make_client(provider.url("/jwks"))

    assert client.find_key("k1", ES256).kid == "k1"


def test_huge_body_with_length_rejected_before_reading(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    body = b'{"keys": [' + b" " * 5000 + b"]}"
    provider.respond("/jwks", Response(body=body, headers={"Content-Type": "application/json"}))
    client = make_client(provider.url("/jwks"), max_response_size=4096)

    error = fetch_error(client)

    assert error.reason == "the body is larger than the limit of 4096 bytes"


def test_huge_streamed_body_cut_off(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    sent = 0
    stopped = threading.Event()

    def endless() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"keys": ["'
        try:
            # Far more than the limit: the client must hang up long before the end.
            for _ in range(100 * DEFAULT_MAX_RESPONSE_SIZE // 65536):
                sent += 65536
                yield b"A" * 65536
        finally:
            stopped.set()

    provider.respond(
        "/jwks", Response(chunks=endless, headers={"Content-Type": "application/jwk-set+json"})
    )
    client = make_client(provider.url("/jwks"))

    error = fetch_error(client)

    assert error.reason == f"the body is larger than the limit of {DEFAULT_MAX_RESPONSE_SIZE} bytes"
    assert stopped.wait(5)
    assert sent < 50 * DEFAULT_MAX_RESPONSE_SIZE


def test_slow_provider_times_out(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    gate = threading.Event()
    provider.respond(
        "/jwks",
        Response(body=b'{"keys": []}', headers={"Content-Type": "application/json"}, gate=gate),
    )
    client = make_client(provider.url("/jwks"), timeout=0.2)

    error = fetch_error(client)

    assert error.reason == "the request timed out after 0.2 s"
    assert provider.hits["/jwks"] == 1


def test_dripping_provider_times_out(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    # Each chunk arrives well within the per-read timeout, but the whole body does not.
    provider.respond(
        "/jwks",
        Response(
            chunks=lambda: (b" " for _ in range(100)),
            chunk_delay=0.02,
            headers={"Content-Type": "application/json"},
        ),
    )
    client = make_client(provider.url("/jwks"), timeout=0.3)

    error = fetch_error(client)

    assert error.reason == "the request timed out after 0.3 s"


def test_redirect_to_loopback_followed(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    provider.respond("/old", Response(status=301, headers={"Location": "/jwks"}))
    provider.serve_keys([ec_keys["k1"]])
    client = make_client(provider.url("/old"))

    assert client.find_key("k1", ES256).kid == "k1"
    assert provider.hits["/old"] == 1
    assert provider.hits["/jwks"] == 1


def test_redirect_to_plain_http_rejected(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    # 192.0.2.0/24 is reserved for documentation: nothing is ever sent there,
    # because the target is rejected before any connection.
    provider.respond("/jwks", Response(status=302, headers={"Location": "http://192.0.2.1/jwks"}))
    client = make_client(provider.url("/jwks"))

    error = fetch_error(client)

    assert error.reason == (
        "it redirects to http://192.0.2.1/jwks, which is rejected: it uses plain http, which "
        "lets anyone on the network path replace the keys; use https"
    )


def test_redirect_to_other_scheme_rejected(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    provider.respond("/jwks", Response(status=307, headers={"Location": "ftp://192.0.2.1/jwks"}))
    client = make_client(provider.url("/jwks"))

    error = fetch_error(client)

    assert error.reason == (
        "it redirects to ftp://192.0.2.1/jwks, which is rejected: its scheme is 'ftp'; only "
        "https is allowed"
    )


def test_redirect_without_location_rejected(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    provider.respond("/jwks", Response(status=302))
    client = make_client(provider.url("/jwks"))

    error = fetch_error(client)

    assert error.reason == "HTTP 302 redirect without a Location header"


def test_redirect_loop_stops(provider: Provider, make_client: Callable[..., JWKSClient]) -> None:
    provider.respond("/a", Response(status=302, headers={"Location": "/b"}))
    provider.respond("/b", Response(status=302, headers={"Location": "/a"}))
    client = make_client(provider.url("/a"))

    error = fetch_error(client)

    assert error.reason == "more than 5 redirects"
    assert provider.hits["/a"] + provider.hits["/b"] == 6


def test_dripping_status_line_times_out(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    # Each byte of the status line and headers arrives well within the per-read
    # timeout; only a deadline for the whole request makes the client hang up
    # before the last one, some 20 s after the first.
    body = json.dumps({"keys": [ec_keys["k1"].to_jwk()]}).encode()
    head = b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 300 + b"\r\n"
    head += b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    provider.respond("/jwks", Response(raw_head=head, body=body, chunk_delay=0.05))
    client = make_client(provider.url("/jwks"), timeout=0.5)

    error = fetch_error(client)

    assert error.reason == "the request timed out after 0.5 s"
    assert provider.wait_for_cut_off("/jwks")
