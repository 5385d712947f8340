"""``AsyncJWKSClient``: a remote JWK Set fetched without blocking an asyncio event loop."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from jwtkit.errors import KeySetFetchError
from jwtkit.jwa import SignatureAlgorithm
from jwtkit.jwk import Key, KeySet
from jwtkit.remote.base import JWKS, RemoteKeySetBase
from jwtkit.remote.cache import CachePolicy, fetch_failed
from jwtkit.remote.discovery import discover_jwks_uri_async
from jwtkit.remote.http import (
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_TIMEOUT,
    JWKS_MEDIA_TYPES,
    AsyncFetcher,
)

if TYPE_CHECKING:
    import httpx

_COLD = (
    "the AsyncJWKSClient has not fetched its JWK Set yet, and a synchronous call cannot wait "
    "for it; await client.get_key_set() at startup, or verify with "
    "jwtkit.remote.decode_async or jwtkit.remote.AsyncVerifier, which fetch when needed"
)


class AsyncJWKSClient(RemoteKeySetBase[AsyncFetcher]):
    """Verification keys fetched from a JWK Set URL with ``httpx.AsyncClient`` and cached.

    Verify with ``await jwtkit.remote.decode_async(token, client, ...)`` or an
    ``AsyncVerifier``: they await ``find_key_async``, which fetches when the
    cache needs it, then run the same verification as ``jwtkit.decode``.
    Tasks share one cache, and concurrent tasks that need a fetch share one
    request, which runs as its own task so that cancelling one caller does not
    cancel it for the others.

    The client can also be passed as the key to ``jwtkit.decode`` or
    ``jwtkit.Verifier``, whose calls are synchronous: ``find_key`` then serves
    only what is cached, and raises ``UsageError`` before the first fetch.
    Use one client per event loop. The options are those of ``JWKSClient``,
    with an ``httpx.AsyncClient`` as ``http_client``.
    """

    fetcher_class = AsyncFetcher

    def __init__(
        self,
        url: str | None = None,
        *,
        issuer: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        cache_policy: CachePolicy | None = None,
        allow_insecure_loopback: bool = False,
        verify: ssl.SSLContext | str | None = None,
        http_client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            url,
            issuer=issuer,
            timeout=timeout,
            max_response_size=max_response_size,
            cache_policy=cache_policy,
            allow_insecure_loopback=allow_insecure_loopback,
            verify=verify,
            http_client=http_client,
            clock=clock,
        )
        self._flight: asyncio.Task[None] | None = None

    @classmethod
    def from_issuer(cls, issuer: str, **options: Any) -> AsyncJWKSClient:
        """Build a client whose JWK Set URL is the ``jwks_uri`` in ``issuer``'s metadata.

        Discovery happens with the first fetch, not here. ``options`` are those
        of ``AsyncJWKSClient``.
        """
        return cls(issuer=issuer, **options)

    async def find_key_async(self, kid: str | None, algorithm: SignatureAlgorithm) -> Key:
        """Return the key for a token's ``kid`` and ``alg``, fetching the JWK Set when due."""
        flight = self._flight_to_await(kid, algorithm, force=False)
        if flight is not None:
            await asyncio.shield(flight)
        return self._cache.select(kid, algorithm, self._clock(), _COLD)

    def find_key(self, kid: str | None, algorithm: SignatureAlgorithm) -> Key:
        """Return the cached key for a token's ``kid`` and ``alg``, without waiting for I/O.

        When a fetch is due and an event loop runs in this thread, the fetch
        starts in the background, so that a later call finds fresh keys.
        """
        if _loop_running():
            self._flight_to_await(kid, algorithm, force=False)
        return self._cache.select(kid, algorithm, self._clock(), _COLD)

    async def get_key_set(self) -> KeySet:
        """Return the cached key set, fetching it first when none is fresh."""
        flight = self._flight_to_await(None, None, force=False)
        if flight is not None:
            await asyncio.shield(flight)
        return self._cache.current(self._clock(), _COLD).key_set

    async def refresh(self) -> KeySet:
        """Fetch the key set now, whatever the cache holds, and raise if the fetch fails."""
        flight = self._flight_to_await(None, None, force=True)
        if flight is not None:
            await asyncio.shield(flight)
        failure = self._cache.failure
        if failure is not None:
            raise fetch_failed(failure.error)
        return self._cache.current(self._clock(), _COLD).key_set

    def _flight_to_await(
        self, kid: str | None, algorithm: SignatureAlgorithm | None, *, force: bool
    ) -> asyncio.Task[None] | None:
        # Nothing here awaits, so on one event loop this decision is atomic:
        # of many tasks needing the same fetch, exactly one starts it.
        now = self._clock()
        flight = self._flight
        if flight is None:
            if not force and not self._cache.fetch_due(kid, algorithm, now):
                return None
            self._cache.start_attempt(now)
            flight = self._flight = asyncio.get_running_loop().create_task(self._fetch())
            return flight
        if not force and self._cache.can_serve(kid, algorithm, now):
            return None
        return flight

    async def _fetch(self) -> None:
        try:
            url = self._url
            if url is None:
                assert self.issuer is not None
                url = self._url = await discover_jwks_uri_async(self._fetcher, self.issuer)
            document = await self._fetcher.fetch(url, JWKS_MEDIA_TYPES, JWKS)
            self._store(url, document)
        except KeySetFetchError as exc:
            self._record_failure(exc)
        finally:
            self._flight = None

    async def aclose(self) -> None:
        """Close the HTTP connections, unless the ``httpx.AsyncClient`` was passed in."""
        flight = self._flight
        if flight is not None:
            flight.cancel()
        await self._fetcher.aclose()

    async def __aenter__(self) -> AsyncJWKSClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
