"""When to fetch a remote JWK Set again, and what to serve meanwhile.

The synchronous and the asynchronous client share this policy. They differ
only in how concurrent callers wait for the one fetch in flight. Times are
seconds on the client's clock (``time.monotonic`` unless a test injects one).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from jwtkit.errors import KeyNotFoundError, KeySetFetchError, UsageError
from jwtkit.jwa import SignatureAlgorithm
from jwtkit.jwk import Key, KeySet

logger = logging.getLogger("jwtkit")


@dataclass(frozen=True)
class CachePolicy:
    """How long a fetched JWK Set is kept and how often it may be fetched again.

    ``default_lifetime``: the lifetime when the response has no ``Cache-Control:
    max-age``. ``min_lifetime`` and ``max_lifetime``: bounds on any lifetime,
    so a provider can neither make every request refetch nor pin keys for
    days. ``refetch_interval``: the least time between a fetch and a refetch
    for a ``kid`` not in the set. ``retry_interval``: the least time between a
    failed fetch and the next attempt. ``stale_if_error``: how long past its
    lifetime the last good set keeps serving while fetches fail.
    """

    default_lifetime: float = 300.0
    min_lifetime: float = 60.0
    max_lifetime: float = 3600.0
    refetch_interval: float = 60.0
    retry_interval: float = 10.0
    stale_if_error: float = 3600.0

    def __post_init__(self) -> None:
        for name in (
            "default_lifetime",
            "min_lifetime",
            "max_lifetime",
            "refetch_interval",
            "retry_interval",
            "stale_if_error",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise UsageError(f"{name} must be a number of seconds, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise UsageError(f"{name} must be a finite, non-negative number of seconds")
        if not self.min_lifetime <= self.default_lifetime <= self.max_lifetime:
            raise UsageError(
                f"the lifetimes must satisfy min_lifetime <= default_lifetime <= max_lifetime, "
                f"got {self.min_lifetime:g}, {self.default_lifetime:g} and {self.max_lifetime:g}"
            )

    def lifetime(self, max_age: float | None) -> float:
        """Return the seconds to keep a key set whose response gave ``max_age``."""
        if max_age is None:
            return self.default_lifetime
        return min(max(max_age, self.min_lifetime), self.max_lifetime)


@dataclass(frozen=True)
class CachedKeySet:
    """A fetched key set and the times that govern it, replaced whole and never changed."""

    key_set: KeySet
    url: str
    fetched_at: float
    expires_at: float
    kids: frozenset[str]


@dataclass(frozen=True)
class FetchFailure:
    """The error of the latest fetch, kept until a fetch succeeds."""

    error: KeySetFetchError
    failed_at: float


class KeySetCache:
    """The cached key set, the latest failure and the decisions taken from them.

    Callers decide under their own lock (or on their event loop) whether to
    fetch, then read ``entry`` and ``failure`` once each: both are replaced
    whole, so a reader in another thread never sees half an update.
    """

    def __init__(self, policy: CachePolicy) -> None:
        self.policy = policy
        self.entry: CachedKeySet | None = None
        self.failure: FetchFailure | None = None
        self.last_attempt: float | None = None

    def fetch_due(self, kid: str | None, algorithm: SignatureAlgorithm | None, now: float) -> bool:
        """Tell whether a fetch should start before serving ``kid`` for ``algorithm``.

        With ``algorithm`` None, only a missing or expired key set makes a fetch due.
        """
        failure = self.failure
        if failure is not None and now < failure.failed_at + self.policy.retry_interval:
            return False

        entry = self.entry
        if entry is None or now >= entry.expires_at:
            return True
        if algorithm is None or _has_candidate(entry, kid, algorithm):
            return False

        # An unknown kid may mean the provider rotated its keys, or may be an
        # attacker's invention: refetch, but at most once per interval.
        last = self.last_attempt
        return last is None or now >= last + self.policy.refetch_interval

    def can_serve(self, kid: str | None, algorithm: SignatureAlgorithm | None, now: float) -> bool:
        """Tell whether the cache can serve the request without waiting for a fetch in flight."""
        entry = self.entry
        if entry is None or now >= entry.expires_at + self.policy.stale_if_error:
            return False
        return algorithm is None or _has_candidate(entry, kid, algorithm)

    def start_attempt(self, now: float) -> None:
        """Record that a fetch starts now."""
        self.last_attempt = now

    def store(self, key_set: KeySet, url: str, max_age: float | None, now: float) -> float:
        """Keep a freshly fetched key set and return its lifetime in seconds."""
        lifetime = self.policy.lifetime(max_age)
        kids = frozenset(key.kid for key in key_set if key.kid is not None)
        self.entry = CachedKeySet(key_set, url, now, now + lifetime, kids)
        self.failure = None
        return lifetime

    def record_failure(self, error: KeySetFetchError, now: float) -> None:
        """Keep the error of a failed fetch, and log it with what is served meanwhile."""
        self.failure = FetchFailure(error, now)
        entry = self.entry
        if entry is None:
            logger.warning("%s; no key set is cached", error)
            return
        stale_until = entry.expires_at + self.policy.stale_if_error
        if now < stale_until:
            logger.warning(
                "%s; serving the key set fetched %.0f s ago for up to %.0f s more",
                error,
                now - entry.fetched_at,
                stale_until - now,
            )
        else:
            logger.warning("%s; the cached key set is past its stale period", error)

    def current(self, now: float, cold_hint: str) -> CachedKeySet:
        """Return the key set to serve, or raise why there is none."""
        entry = self.entry
        failure = self.failure
        if entry is None:
            if failure is not None:
                raise fetch_failed(failure.error)
            raise UsageError(cold_hint)

        if now >= entry.expires_at + self.policy.stale_if_error:
            reason = failure.error.reason if failure is not None else "no fetch was attempted"
            raise KeySetFetchError(
                f"could not fetch the JWK Set from {entry.url}: {reason}; the key set "
                f"fetched {now - entry.fetched_at:.0f} s ago is past its lifetime and "
                "stale period, so it is no longer used",
                url=entry.url,
                reason=reason,
            )
        return entry

    def select(
        self, kid: str | None, algorithm: SignatureAlgorithm, now: float, cold_hint: str
    ) -> Key:
        """Return the cached key for ``kid`` and ``algorithm``, or raise why there is none."""
        entry = self.current(now, cold_hint)
        try:
            return entry.key_set.find_key(kid, algorithm)
        except KeyNotFoundError as exc:
            raise KeyNotFoundError(f"{exc}{self._not_found_note(entry)}") from None

    def _not_found_note(self, entry: CachedKeySet) -> str:
        note = f" (JWK Set from {entry.url})"
        failure = self.failure
        if failure is not None:
            note += f"; fetching the key set again failed: {failure.error.reason}"
        return note


def _has_candidate(entry: CachedKeySet, kid: str | None, algorithm: SignatureAlgorithm) -> bool:
    if kid is not None:
        return kid in entry.kids
    return any(key.allows_algorithm(algorithm, "verify") for key in entry.key_set)


def fetch_failed(error: KeySetFetchError) -> KeySetFetchError:
    """Return a fresh copy of ``error`` to raise again, so concurrent raises share no traceback."""
    return KeySetFetchError(error.message, url=error.url, reason=error.reason)
