"""``JWKSClient``: a remote JWK Set usable wherever jwtkit takes a key, from any thread."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from jwtkit.errors import KeySetFetchError
from jwtkit.jwa import SignatureAlgorithm
from jwtkit.jwk import Key, KeySet
from jwtkit.remote.base import JWKS, RemoteKeySetBase
from jwtkit.remote.cache import CachePolicy, fetch_failed
from jwtkit.remote.discovery import discover_jwks_uri
from jwtkit.remote.http import (
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_TIMEOUT,
    JWKS_MEDIA_TYPES,
    SyncFetcher,
)

if TYPE_CHECKING:
    import httpx

# A synchronous client fetches before it serves, so an empty cache always comes
# with a recorded failure, whose error is raised instead of this message.
_COLD = "no JWK Set has been fetched yet; call get_key_set() to fetch it"


class JWKSClient(RemoteKeySetBase[SyncFetcher]):
    """Verification keys fetched from a JWK Set URL over HTTPS and cached.

    Pass the client as the key to ``jwtkit.decode`` or ``jwtkit.Verifier``:
    the token's ``kid`` selects among the fetched keys. Threads share one
    cache, and concurrent callers that need a fetch share one request. See
    ``CachePolicy`` for when keys are fetched again.

    ``verify`` is an ``ssl.SSLContext`` or a CA bundle path for providers
    behind a private CA; ``http_client`` is an ``httpx.Client`` of your own
    (for proxies or custom headers), which the client uses but does not close.
    ``clock`` returns seconds and drives only the cache: tests inject one
    instead of sleeping. Network timeouts always use real time.
    """

    fetcher_class = SyncFetcher

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
        http_client: httpx.Client | None = None,
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
        self._lock = threading.Lock()
        self._flight: threading.Event | None = None

    @classmethod
    def from_issuer(cls, issuer: str, **options: Any) -> JWKSClient:
        """Build a client whose JWK Set URL is the ``jwks_uri`` in ``issuer``'s metadata.

        Discovery happens with the first fetch, not here. ``options`` are those
        of ``JWKSClient``.
        """
        return cls(issuer=issuer, **options)

    def find_key(self, kid: str | None, algorithm: SignatureAlgorithm) -> Key:
        """Return the key for a token's ``kid`` and ``alg``, fetching the JWK Set when due."""
        self._wait_for_fetch(kid, algorithm, force=False)
        return self._cache.select(kid, algorithm, self._clock(), _COLD)

    def get_key_set(self) -> KeySet:
        """Return the cached key set, fetching it first when none is fresh."""
        self._wait_for_fetch(None, None, force=False)
        return self._cache.current(self._clock(), _COLD).key_set

    def refresh(self) -> KeySet:
        """Fetch the key set now, whatever the cache holds, and raise if the fetch fails."""
        self._wait_for_fetch(None, None, force=True)
        failure = self._cache.failure
        if failure is not None:
            raise fetch_failed(failure.error)
        return self._cache.current(self._clock(), _COLD).key_set

    def _wait_for_fetch(
        self, kid: str | None, algorithm: SignatureAlgorithm | None, *, force: bool
    ) -> None:
        # Decide under the lock, so that of many threads needing the same fetch
        # exactly one starts it and the others wait for its result.
        with self._lock:
            now = self._clock()
            flight = self._flight
            if flight is None:
                if not force and not self._cache.fetch_due(kid, algorithm, now):
                    return
                flight = self._flight = threading.Event()
                self._cache.start_attempt(now)
                leader = True
            else:
                if not force and self._cache.can_serve(kid, algorithm, now):
                    return
                leader = False

        if not leader:
            flight.wait()
            return
        try:
            self._fetch()
        finally:
            with self._lock:
                self._flight = None
            flight.set()

    def _fetch(self) -> None:
        try:
            url = self._url
            if url is None:
                assert self.issuer is not None
                url = self._url = discover_jwks_uri(self._fetcher, self.issuer)
            document = self._fetcher.fetch(url, JWKS_MEDIA_TYPES, JWKS)
            self._store(url, document)
        except KeySetFetchError as exc:
            self._record_failure(exc)

    def close(self) -> None:
        """Close the HTTP connections, unless the ``httpx.Client`` was passed in."""
        self._fetcher.close()

    def __enter__(self) -> JWKSClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
