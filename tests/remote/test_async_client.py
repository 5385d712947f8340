"""AsyncJWKSClient, AsyncVerifier and decode_async against a real provider on 127.0.0.1."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

import jwtkit
from jwtkit import Key
from jwtkit.errors import (
    AlgorithmNotAllowedError,
    InvalidAudienceError,
    KeyNotFoundError,
    KeySetFetchError,
    MalformedTokenError,
    UsageError,
)
from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.remote import AsyncJWKSClient, AsyncVerifier, CachePolicy, decode_async
from tests.remote.conftest import FakeClock, sign
from tests.remote.server import Provider, Response

ES256 = SIGNATURE_ALGORITHMS["ES256"]
T = TypeVar("T")


def run_with_client(
    provider: Provider,
    body: Callable[[AsyncJWKSClient], Awaitable[T]],
    path: str = "/jwks",
    **options: Any,
) -> T:
    """Run ``body`` on a fresh event loop with a client for ``path``, closed afterwards."""
    options.setdefault("allow_insecure_loopback", True)
    options.setdefault("timeout", 2.0)

    async def main() -> T:
        async with AsyncJWKSClient(provider.url(path), **options) as client:
            return await body(client)

    return asyncio.run(main())


def test_decode_async(provider: Provider, ec_keys: dict[str, Key]) -> None:
    provider.serve_keys([ec_keys["k1"]])
    token = sign(ec_keys["k1"], {"sub": "alice", "aud": "api"})

    async def body(client: AsyncJWKSClient) -> dict[str, Any]:
        return await decode_async(token, client, algorithms=["ES256"], audience="api")

    assert run_with_client(provider, body) == {"sub": "alice", "aud": "api"}
    assert provider.hits["/jwks"] == 1


def test_async_verifier_checks_claims(provider: Provider, ec_keys: dict[str, Key]) -> None:
    provider.serve_keys([ec_keys["k1"]])
    token = sign(ec_keys["k1"], {"sub": "alice", "aud": "other"})

    async def body(client: AsyncJWKSClient) -> None:
        verifier = AsyncVerifier(client, algorithms=["ES256"], audience="api")
        with pytest.raises(InvalidAudienceError):
            await verifier.verify(token)
        verified = await verifier.verify_complete(sign(ec_keys["k1"], {"aud": "api"}))
        assert verified.key.kid == "k1"
        assert verified.header["kid"] == "k1"

    run_with_client(provider, body)
    assert provider.hits["/jwks"] == 1


def test_async_verifier_rejects_before_fetch(provider: Provider, ec_keys: dict[str, Key]) -> None:
    provider.serve_keys([ec_keys["k1"]])

    async def body(client: AsyncJWKSClient) -> None:
        verifier = AsyncVerifier(client, algorithms=["RS256"])
        with pytest.raises(MalformedTokenError):
            await verifier.verify("not.a.token")
        with pytest.raises(AlgorithmNotAllowedError):
            await verifier.verify(sign(ec_keys["k1"]))

    run_with_client(provider, body)
    assert provider.hits["/jwks"] == 0


def test_async_verifier_needs_async_client(ec_keys: dict[str, Key]) -> None:
    with pytest.raises(UsageError) as caught:
        AsyncVerifier(ec_keys["k1"], algorithms=["ES256"])  # type: ignore[arg-type]
    assert str(caught.value) == (
        "AsyncVerifier takes an AsyncJWKSClient, got ECKey; for other keys use jwtkit.Verifier"
    )


def test_sync_find_key_before_fetch_raises(provider: Provider, ec_keys: dict[str, Key]) -> None:
    provider.serve_keys([ec_keys["k1"]])
    client = AsyncJWKSClient(provider.url("/jwks"), allow_insecure_loopback=True)

    with pytest.raises(UsageError) as caught:
        jwtkit.decode(sign(ec_keys["k1"]), client, algorithms=["ES256"])
    assert "await client.get_key_set() at startup" in str(caught.value)
    assert provider.hits["/jwks"] == 0
    asyncio.run(client.aclose())


def test_sync_verifier_after_prefetch(provider: Provider, ec_keys: dict[str, Key]) -> None:
    provider.serve_keys([ec_keys["k1"]])
    token = sign(ec_keys["k1"])

    async def body(client: AsyncJWKSClient) -> dict[str, Any]:
        await client.get_key_set()
        return jwtkit.Verifier(client, algorithms=["ES256"]).verify(token)

    assert run_with_client(provider, body) == {"sub": "alice"}


def test_sync_find_key_starts_background_refresh(
    provider: Provider, ec_keys: dict[str, Key], clock: FakeClock
) -> None:
    provider.serve_keys([ec_keys["k1"]])

    async def body(client: AsyncJWKSClient) -> None:
        await client.get_key_set()
        provider.serve_keys([ec_keys["k1"], ec_keys["k2"]])
        clock.advance(60)

        with pytest.raises(KeyNotFoundError):
            client.find_key("k2", ES256)
        flight = client._flight
        assert flight is not None
        await flight

        assert client.find_key("k2", ES256).kid == "k2"

    run_with_client(provider, body, clock=clock)
    assert provider.hits["/jwks"] == 2


def test_async_rotation(provider: Provider, ec_keys: dict[str, Key], clock: FakeClock) -> None:
    old, new = ec_keys["k1"], ec_keys["k2"]
    provider.serve_keys([old], max_age=600)

    async def body(client: AsyncJWKSClient) -> None:
        assert await decode_async(sign(old), client, algorithms=["ES256"])
        provider.serve_keys([old, new], max_age=600)
        clock.advance(60)
        assert await decode_async(sign(new), client, algorithms=["ES256"])
        assert provider.hits["/jwks"] == 2

        provider.serve_keys([new], max_age=600)
        clock.advance(600)
        with pytest.raises(KeyNotFoundError):
            await decode_async(sign(old), client, algorithms=["ES256"])
        assert provider.hits["/jwks"] == 3

    run_with_client(provider, body, clock=clock)


def test_async_provider_down_serves_stale_then_fails(
    provider: Provider, ec_keys: dict[str, Key], clock: FakeClock
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    token = sign(ec_keys["k1"])
    policy = CachePolicy(default_lifetime=300, stale_if_error=100)

    async def body(client: AsyncJWKSClient) -> KeySetFetchError:
        assert await decode_async(token, client, algorithms=["ES256"])
        provider.respond("/jwks", Response(status=503))
        clock.advance(300)
        assert await decode_async(token, client, algorithms=["ES256"])
        clock.advance(100)
        with pytest.raises(KeySetFetchError) as caught:
            await decode_async(token, client, algorithms=["ES256"])
        return caught.value

    error = run_with_client(provider, body, clock=clock, cache_policy=policy)

    assert error.reason == "HTTP status 503, expected 200"
    assert provider.hits["/jwks"] == 3


def test_async_refresh_raises_on_failure(provider: Provider, ec_keys: dict[str, Key]) -> None:
    provider.serve_keys([ec_keys["k1"]])

    async def body(client: AsyncJWKSClient) -> None:
        assert len(await client.refresh()) == 1
        provider.respond("/jwks", Response(status=500))
        with pytest.raises(KeySetFetchError, match="HTTP status 500"):
            await client.refresh()
        assert len(await client.get_key_set()) == 1

    run_with_client(provider, body)
    assert provider.hits["/jwks"] == 2


def test_async_slow_provider_times_out(provider: Provider) -> None:
    gate = threading.Event()
    provider.respond("/jwks", Response(gate=gate))

    async def body(client: AsyncJWKSClient) -> KeySetFetchError:
        with pytest.raises(KeySetFetchError) as caught:
            await client.find_key_async("k1", ES256)
        return caught.value

    error = run_with_client(provider, body, timeout=0.2)

    assert error.reason == "the request timed out after 0.2 s"


def test_async_dripping_provider_times_out(provider: Provider) -> None:
    provider.respond(
        "/jwks",
        Response(
            chunks=lambda: (b" " for _ in range(100)),
            chunk_delay=0.02,
            headers={"Content-Type": "application/json"},
        ),
    )

    async def body(client: AsyncJWKSClient) -> KeySetFetchError:
        with pytest.raises(KeySetFetchError) as caught:
            await client.find_key_async("k1", ES256)
        return caught.value

    error = run_with_client(provider, body, timeout=0.3)

    assert error.reason == "the request timed out after 0.3 s"


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (
            Response(body=b"<html></html>", headers={"Content-Type": "text/html"}),
            "the content type is 'text/html', expected application/json or "
            "application/jwk-set+json",
        ),
        (
            Response(body=b"[]", headers={"Content-Type": "application/json"}),
            "the body is a JSON array, expected a JSON object",
        ),
        (
            Response(
                chunks=lambda: (b"A" * 65536 for _ in range(100)),
                headers={"Content-Type": "application/json"},
            ),
            "the body is larger than the limit of 100000 bytes",
        ),
        (
            Response(status=302, headers={"Location": "http://192.0.2.1/jwks"}),
            "it redirects to http://192.0.2.1/jwks, which is rejected: it uses plain http, which "
            "lets anyone on the network path replace the keys; use https",
        ),
    ],
)
def test_async_garbage_rejected(provider: Provider, response: Response, reason: str) -> None:
    provider.respond("/jwks", response)

    async def body(client: AsyncJWKSClient) -> KeySetFetchError:
        with pytest.raises(KeySetFetchError) as caught:
            await client.find_key_async("k1", ES256)
        return caught.value

    error = run_with_client(provider, body, max_response_size=100_000)

    assert error.reason == reason
    assert error.url == provider.url("/jwks")
