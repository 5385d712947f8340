"""Hostile redirect targets and jwks_uri values, and credentials on redirects to another origin."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import httpx
import pytest

import jwtkit
from jwtkit import Key
from jwtkit.cli import main
from jwtkit.errors import KeySetFetchError
from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.remote import AsyncJWKSClient, AsyncVerifier, JWKSClient
from tests.remote.conftest import FakeClock, sign
from tests.remote.server import Provider, Response

ES256 = SIGNATURE_ALGORITHMS["ES256"]

# Without the strict parse, each of these fails inside httpx with an IDNA, Unicode,
# URL or exception group error instead of a KeySetFetchError.
BAD_TARGETS = [
    ("https://xn--/jwks", "it is not a valid URL"),
    ("https://a..b/jwks", "its host 'a..b' is not a valid host name"),
    ("http:\\\\127.0.0.1\\jwks", "it is not a valid URL"),
    ("http://127.0.0.1:99999/jwks", "its port 99999 is outside 1 to 65535"),
    ("https://127.0.0.1:65536/jwks", "its port 65536 is outside 1 to 65535"),
    ("https://[fe80::1%25eth0]/jwks", "its IPv6 host has a zone index"),
    ("https://2130706433/jwks", "is neither a host name nor an IPv4 address"),
]


def redirect_to(provider: Provider, target: str, path: str = "/jwks") -> None:
    provider.respond(path, Response(status=302, headers={"Location": target}))


@pytest.mark.parametrize(("target", "problem"), BAD_TARGETS)
def test_bad_redirect_target_is_fetch_error(
    provider: Provider, make_client: Callable[..., JWKSClient], target: str, problem: str
) -> None:
    redirect_to(provider, target)

    with pytest.raises(KeySetFetchError) as caught:
        make_client(provider.url("/jwks")).get_key_set()

    assert caught.value.url == provider.url("/jwks")
    assert "which is rejected" in caught.value.reason
    assert problem in caught.value.reason


@pytest.mark.parametrize(("target", "problem"), BAD_TARGETS)
def test_bad_redirect_target_is_fetch_error_async(
    provider: Provider, target: str, problem: str
) -> None:
    redirect_to(provider, target)

    async def fetch() -> None:
        async with AsyncJWKSClient(
            provider.url("/jwks"), allow_insecure_loopback=True, timeout=2.0
        ) as client:
            await client.get_key_set()

    with pytest.raises(KeySetFetchError) as caught:
        asyncio.run(fetch())

    assert problem in caught.value.reason


def test_bad_redirect_target_backs_off(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    redirect_to(provider, "https://xn--/jwks")
    verifier = jwtkit.Verifier(make_client(provider.url("/jwks")), algorithms=["ES256"])

    for _ in range(20):
        with pytest.raises(KeySetFetchError):
            verifier.verify(sign(ec_keys["k1"]))

    assert provider.hits["/jwks"] == 1


def test_bad_redirect_target_backs_off_async(provider: Provider, ec_keys: dict[str, Key]) -> None:
    redirect_to(provider, "http://127.0.0.1:99999/jwks")

    async def verify_many() -> None:
        async with AsyncJWKSClient(provider.url("/jwks"), allow_insecure_loopback=True) as client:
            verifier = AsyncVerifier(client, algorithms=["ES256"])
            for _ in range(20):
                with pytest.raises(KeySetFetchError):
                    await verifier.verify(sign(ec_keys["k1"]))

    asyncio.run(verify_many())

    assert provider.hits["/jwks"] == 1


def test_bad_redirect_target_serves_stale_keys(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    client = make_client(provider.url("/jwks"))
    client.get_key_set()

    redirect_to(provider, "https://xn--/jwks")
    clock.advance(400)
    for _ in range(3):
        assert jwtkit.decode(sign(ec_keys["k1"]), client, algorithms=["ES256"])["sub"] == "alice"

    assert provider.hits["/jwks"] == 2


def test_async_client_in_sync_decode_starts_one_fetch(
    provider: Provider,
    ec_keys: dict[str, Key],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    provider.serve_keys([ec_keys["k1"]])

    async def decode_many() -> None:
        async with AsyncJWKSClient(
            provider.url("/jwks"), allow_insecure_loopback=True, clock=clock
        ) as client:
            await client.get_key_set()
            redirect_to(provider, "http://127.0.0.1:99999/jwks")
            clock.advance(400)
            for _ in range(10):
                jwtkit.decode(sign(ec_keys["k1"]), client, algorithms=["ES256"])
                await asyncio.sleep(0.01)

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        asyncio.run(decode_many())

    assert provider.hits["/jwks"] == 2
    assert "Task exception was never retrieved" not in caplog.text


def test_bad_jwks_uri_in_metadata_is_fetch_error(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    for path in ("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"):
        provider.serve_json(path, {"issuer": provider.base_url, "jwks_uri": "https://xn--/jwks"})

    with pytest.raises(KeySetFetchError) as caught:
        make_client(issuer=provider.base_url).get_key_set()

    assert "its jwks_uri https://xn--/jwks is rejected: it is not a valid URL" in str(caught.value)


def test_long_jwks_uri_shortened_in_messages(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    jwks_uri = "https://issuer.example/" + "a" * 100_000
    provider.serve_json(
        "/.well-known/openid-configuration", {"issuer": provider.base_url, "jwks_uri": jwks_uri}
    )

    with pytest.raises(KeySetFetchError) as caught:
        make_client(issuer=provider.base_url).get_key_set()

    assert "more than 4096" in str(caught.value)
    assert len(str(caught.value)) < 2_000


def test_cli_fetch_bad_redirect_target(
    provider: Provider, capsys: pytest.CaptureFixture[str]
) -> None:
    redirect_to(provider, "https://xn--/jwks")

    status = main(["jwks", "fetch", provider.url("/jwks"), "--allow-insecure-loopback"])

    captured = capsys.readouterr()
    assert status != 0
    assert "which is rejected" in captured.err
    assert "Traceback" not in captured.err


def test_cli_verify_bad_redirect_target(
    provider: Provider, ec_keys: dict[str, Key], capsys: pytest.CaptureFixture[str]
) -> None:
    redirect_to(provider, "http://127.0.0.1:99999/jwks")

    status = main(
        [
            "verify",
            "--jwks-url",
            provider.url("/jwks"),
            "--allow-insecure-loopback",
            "--alg",
            "ES256",
            sign(ec_keys["k1"]),
        ]
    )

    captured = capsys.readouterr()
    assert status == 1
    assert "its port 99999 is outside 1 to 65535" in captured.err
    assert "Traceback" not in captured.err


def credentialed_client() -> httpx.Client:
    return httpx.Client(
        headers={"Authorization": "Bearer S3CRET"},
        cookies={"sid": "COOKIE"},
    )


def test_credentials_dropped_on_redirect_to_other_origin(
    provider: Provider, ec_keys: dict[str, Key]
) -> None:
    # Another port on the same address is another origin (RFC 6454).
    other = Provider()
    try:
        other.serve_keys([ec_keys["k1"]])
        redirect_to(provider, other.url("/jwks"))
        with credentialed_client() as http:
            client = JWKSClient(
                provider.url("/jwks"), allow_insecure_loopback=True, http_client=http
            )
            assert client.find_key("k1", ES256).kid == "k1"
        _, first_headers = provider.requests[0]
        _, other_headers = other.requests[0]
    finally:
        other.close()

    assert first_headers["Authorization"] == "Bearer S3CRET"
    assert first_headers["Cookie"] == "sid=COOKIE"
    assert "Authorization" not in other_headers
    assert "Cookie" not in other_headers


def test_client_auth_dropped_on_redirect_to_other_origin(
    provider: Provider, ec_keys: dict[str, Key]
) -> None:
    other = Provider()
    try:
        other.serve_keys([ec_keys["k1"]])
        redirect_to(provider, other.url("/jwks"))
        with httpx.Client(auth=("user", "S3CRET")) as http:
            client = JWKSClient(
                provider.url("/jwks"), allow_insecure_loopback=True, http_client=http
            )
            client.get_key_set()
        _, first_headers = provider.requests[0]
        _, other_headers = other.requests[0]
    finally:
        other.close()

    assert first_headers["Authorization"].startswith("Basic ")
    assert "Authorization" not in other_headers


def test_credentials_dropped_on_redirect_to_other_origin_async(
    provider: Provider, ec_keys: dict[str, Key]
) -> None:
    other = Provider()

    async def fetch() -> None:
        async with httpx.AsyncClient(
            headers={"Authorization": "Bearer S3CRET"}, cookies={"sid": "COOKIE"}
        ) as http:
            client = AsyncJWKSClient(
                provider.url("/jwks"), allow_insecure_loopback=True, http_client=http
            )
            await client.get_key_set()

    try:
        other.serve_keys([ec_keys["k1"]])
        redirect_to(provider, other.url("/jwks"))
        asyncio.run(fetch())
        _, other_headers = other.requests[0]
    finally:
        other.close()

    assert "Authorization" not in other_headers
    assert "Cookie" not in other_headers


def test_credentials_kept_on_same_origin_redirect(
    provider: Provider, ec_keys: dict[str, Key]
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    redirect_to(provider, "/jwks", path="/old")
    with credentialed_client() as http:
        client = JWKSClient(provider.url("/old"), allow_insecure_loopback=True, http_client=http)
        client.get_key_set()

    _, headers = provider.requests[1]
    assert headers["Authorization"] == "Bearer S3CRET"
    assert headers["Cookie"] == "sid=COOKIE"
