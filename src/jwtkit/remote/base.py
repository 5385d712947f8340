"""Options, cache and fetch bookkeeping shared by the synchronous and asynchronous clients."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from jwtkit.errors import KeySetFetchError, UsageError
from jwtkit.jwk import KeySet
from jwtkit.remote.cache import CachePolicy, KeySetCache
from jwtkit.remote.discovery import check_issuer
from jwtkit.remote.http import Document, Fetcher
from jwtkit.remote.jwks import parse_key_set
from jwtkit.remote.urls import check_caller_url, display_url

logger = logging.getLogger("jwtkit")

JWKS = "the JWK Set"

FetcherT = TypeVar("FetcherT", bound=Fetcher)


class RemoteKeySetBase(Generic[FetcherT]):
    """A JWK Set fetched from ``url`` (or found through ``issuer``), cached by a ``CachePolicy``."""

    fetcher_class: ClassVar[type[Fetcher]]

    def __init__(
        self,
        url: str | None,
        *,
        issuer: str | None,
        timeout: float,
        max_response_size: int,
        cache_policy: CachePolicy | None,
        allow_insecure_loopback: bool,
        verify: ssl.SSLContext | str | None,
        http_client: Any,
        clock: Callable[[], float],
    ) -> None:
        if (url is None) == (issuer is None):
            raise UsageError(
                f"{type(self).__name__} needs either the JWK Set URL or issuer=..., and not both"
            )
        if issuer is not None:
            issuer = check_issuer(issuer, allow_insecure_loopback=allow_insecure_loopback)
        if url is not None:
            url = check_caller_url(
                url, allow_insecure_loopback=allow_insecure_loopback, what="JWK Set"
            )
        if cache_policy is None:
            cache_policy = CachePolicy()
        if not isinstance(cache_policy, CachePolicy):
            raise UsageError(
                "cache_policy must be a jwtkit.remote.CachePolicy, got "
                f"{type(cache_policy).__name__}"
            )
        if not callable(clock):
            raise UsageError("clock must be a callable that returns seconds, like time.monotonic")

        self.issuer = issuer
        self._url = url
        self._clock = clock
        self._cache = KeySetCache(cache_policy)
        fetcher: Any = self.fetcher_class(
            timeout=timeout,
            max_response_size=max_response_size,
            allow_insecure_loopback=allow_insecure_loopback,
            verify=verify,
            http_client=http_client,
        )
        self._fetcher: FetcherT = fetcher

    @property
    def url(self) -> str | None:
        """The JWK Set URL; None until discovery from ``issuer`` has found it."""
        return self._url

    @property
    def cache_policy(self) -> CachePolicy:
        """The policy that decides how long keys are kept and when they are fetched again."""
        return self._cache.policy

    def _store(self, url: str, document: Document) -> None:
        shown = display_url(url)
        key_set: KeySet = parse_key_set(document.body, shown)
        lifetime = self._cache.store(key_set, shown, document.max_age, self._clock())
        logger.info(
            "fetched the JWK Set from %s: %d usable keys, %d skipped, kept for %.0f s",
            shown,
            len(key_set),
            len(key_set.skipped),
            lifetime,
        )

    def _record_failure(self, error: KeySetFetchError) -> None:
        self._cache.record_failure(error, self._clock())

    def __repr__(self) -> str:
        source = f"url={self._url!r}" if self._url is not None else f"issuer={self.issuer!r}"
        return f"<{type(self).__name__} {source}>"
