"""Many callers at once share one fetch: 50 threads, 50 asyncio tasks, counted at the provider."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import jwtkit
from jwtkit import Key
from jwtkit.errors import KeyNotFoundError
from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.remote import AsyncJWKSClient, JWKSClient, decode_async
from tests.remote.conftest import FakeClock, sign
from tests.remote.server import Provider, Response

ES256 = SIGNATURE_ALGORITHMS["ES256"]
CALLERS = 50


def run_threads(call: Callable[[int], object]) -> list[object]:
    """Run ``call`` in CALLERS threads released together; return results or raised errors."""
    barrier = threading.Barrier(CALLERS)

    def task(index: int) -> object:
        barrier.wait()
        try:
            return call(index)
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(max_workers=CALLERS) as pool:
        return list(pool.map(task, range(CALLERS)))


def release_on_request(
    provider: Provider, gate: threading.Event, hits: int = 1
) -> threading.Thread:
    """Start a thread that opens ``gate`` once /jwks has had ``hits`` requests."""

    def release() -> None:
        provider.wait_for_hits("/jwks", hits)
        gate.set()

    thread = threading.Thread(target=release)
    thread.start()
    return thread


def test_threads_cold_cache_one_fetch(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    # The provider delays its response until the first request has arrived, so the
    # other threads find the fetch in flight rather than already finished.
    gate = threading.Event()
    provider.serve_keys([ec_keys["k1"]], gate=gate)
    client = make_client(provider.url("/jwks"))
    token = sign(ec_keys["k1"])
    releaser = release_on_request(provider, gate)

    results = run_threads(lambda _: jwtkit.decode(token, client, algorithms=["ES256"]))
    releaser.join()

    assert results == [{"sub": "alice"}] * CALLERS
    assert provider.hits["/jwks"] == 1


def test_threads_unknown_kid_flood_one_refetch(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    client = make_client(provider.url("/jwks"))
    client.get_key_set()
    gate = threading.Event()
    provider.serve_keys([ec_keys["k1"]], gate=gate)
    releaser = release_on_request(provider, gate, hits=2)
    clock.advance(60)

    results = run_threads(lambda index: client.find_key(f"unknown-{index}", ES256))
    releaser.join()

    assert all(isinstance(result, KeyNotFoundError) for result in results)
    assert provider.hits["/jwks"] == 2


def test_threads_rotation_one_refetch(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    client = make_client(provider.url("/jwks"))
    client.get_key_set()
    provider.serve_keys([ec_keys["k1"], ec_keys["k2"]])
    clock.advance(60)
    token = sign(ec_keys["k2"])

    results = run_threads(lambda _: jwtkit.decode(token, client, algorithms=["ES256"]))

    assert results == [{"sub": "alice"}] * CALLERS
    assert provider.hits["/jwks"] == 2


def test_threads_provider_down_one_attempt(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    gate = threading.Event()
    provider.respond("/jwks", Response(status=503, gate=gate))
    client = make_client(provider.url("/jwks"))
    releaser = release_on_request(provider, gate)

    results = run_threads(lambda _: client.find_key("k1", ES256))
    releaser.join()

    assert all(isinstance(result, jwtkit.errors.KeySetFetchError) for result in results)
    assert provider.hits["/jwks"] == 1


def test_tasks_cold_cache_one_fetch(provider: Provider, ec_keys: dict[str, Key]) -> None:
    provider.serve_keys([ec_keys["k1"]])
    token = sign(ec_keys["k1"])

    async def main() -> list[object]:
        async with AsyncJWKSClient(
            provider.url("/jwks"), allow_insecure_loopback=True, timeout=2
        ) as client:
            calls = [decode_async(token, client, algorithms=["ES256"]) for _ in range(CALLERS)]
            return list(await asyncio.gather(*calls))

    assert asyncio.run(main()) == [{"sub": "alice"}] * CALLERS
    assert provider.hits["/jwks"] == 1


def test_tasks_unknown_kid_flood_one_refetch(
    provider: Provider, ec_keys: dict[str, Key], clock: FakeClock
) -> None:
    provider.serve_keys([ec_keys["k1"]])

    async def main() -> list[object]:
        async with AsyncJWKSClient(
            provider.url("/jwks"), allow_insecure_loopback=True, timeout=2, clock=clock
        ) as client:
            await client.get_key_set()
            clock.advance(60)
            calls = [client.find_key_async(f"unknown-{index}", ES256) for index in range(CALLERS)]
            return await asyncio.gather(*calls, return_exceptions=True)

    results = asyncio.run(main())

    assert all(isinstance(result, KeyNotFoundError) for result in results)
    assert provider.hits["/jwks"] == 2


def test_tasks_cancelled_caller_keeps_shared_fetch(
    provider: Provider, ec_keys: dict[str, Key]
) -> None:
    gate = threading.Event()
    provider.serve_keys([ec_keys["k1"]], gate=gate)

    async def main() -> Key:
        async with AsyncJWKSClient(
            provider.url("/jwks"), allow_insecure_loopback=True, timeout=2
        ) as client:
            first = asyncio.ensure_future(client.find_key_async("k1", ES256))
            second = asyncio.ensure_future(client.find_key_async("k1", ES256))
            await asyncio.sleep(0)
            first.cancel()
            await asyncio.to_thread(provider.wait_for_hits, "/jwks", 1)
            gate.set()
            return await second

    assert asyncio.run(main()).kid == "k1"
    assert provider.hits["/jwks"] == 1
