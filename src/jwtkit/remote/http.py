"""Fetch one JSON document over HTTPS with the checks a key source needs.

Every request follows the same rules. Only https is fetched, except plain http
to a loopback IP address when the caller opts in. Redirects are followed by
hand, so that each target passes the same rule. A time limit covers the
request, a size limit is enforced while streaming, and the content type must
match exactly. httpx is imported only when a fetcher is built, so ``import
jwtkit`` never needs it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from jwtkit.errors import KeySetFetchError, UsageError

if TYPE_CHECKING:
    import httpx

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_RESPONSE_SIZE = 512 * 1024
MAX_REDIRECTS = 5

JWKS_MEDIA_TYPES = ("application/json", "application/jwk-set+json")
METADATA_MEDIA_TYPES = ("application/json",)

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Document:
    """A fetched response body, with the freshness lifetime its headers give it."""

    url: str
    body: bytes
    max_age: float | None


def import_httpx() -> Any:
    """Import httpx, or raise ``UsageError`` naming the extra that installs it."""
    try:
        import httpx
    except ImportError:
        raise UsageError(
            "fetching keys over HTTP needs httpx; install it with: pip install 'jwtkit[remote]'"
        ) from None
    return httpx


def url_problem(url: str, *, allow_insecure_loopback: bool) -> str | None:
    """Return why ``url`` may not be fetched, or None when it may."""
    httpx = import_httpx()
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        return f"it is not a valid URL ({exc})"

    if parsed.scheme == "https":
        return None if parsed.host else "it has no host"
    if parsed.scheme != "http":
        return f"its scheme is {parsed.scheme!r}; only https is allowed"

    loopback = _is_loopback_address(parsed.host)
    if loopback and allow_insecure_loopback:
        return None
    if loopback:
        return (
            "it uses plain http; pass allow_insecure_loopback=True to allow http to a "
            "loopback address (for tests only)"
        )
    return "it uses plain http, which lets anyone on the network path replace the keys; use https"


def _is_loopback_address(host: str) -> bool:
    # Only IP literals count: a name such as "localhost" resolves through
    # configuration that an attacker may control.
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_caller_url(url: object, *, allow_insecure_loopback: bool, what: str) -> str:
    """Return ``url`` if the caller may fetch ``what`` from it, else raise ``UsageError``."""
    if not isinstance(url, str):
        raise UsageError(f"the {what} URL must be a string, got {type(url).__name__}")
    problem = url_problem(url, allow_insecure_loopback=allow_insecure_loopback)
    if problem is not None:
        raise UsageError(f"the {what} URL {display_url(url)} is rejected: {problem}")
    return url


def display_url(url: str) -> str:
    """Return ``url`` without a user name or password, for messages and logs."""
    httpx = import_httpx()
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return repr(url)
    if parsed.userinfo:
        parsed = parsed.copy_with(username=None, password=None)
    return str(parsed)


def fetch_error(what: str, url: str, reason: str) -> KeySetFetchError:
    """Build the error for a failed fetch of ``what`` from ``url``."""
    shown = display_url(url)
    message = f"could not fetch {what} from {shown}: {reason}"
    return KeySetFetchError(message, url=shown, reason=reason)


class Fetcher:
    """Settings and response checks shared by the synchronous and asynchronous fetchers."""

    client_class_name: ClassVar[str]

    def __init__(
        self,
        *,
        timeout: float,
        max_response_size: int,
        allow_insecure_loopback: bool,
        verify: ssl.SSLContext | str | None,
        http_client: Any,
    ) -> None:
        httpx = import_httpx()
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
            raise UsageError(f"timeout must be a positive number of seconds, got {timeout!r}")
        if isinstance(max_response_size, bool) or not isinstance(max_response_size, int):
            raise UsageError(
                f"max_response_size must be a positive number of bytes, got {max_response_size!r}"
            )
        if max_response_size <= 0:
            raise UsageError(
                f"max_response_size must be a positive number of bytes, got {max_response_size!r}"
            )
        self.timeout = float(timeout)
        self.max_response_size = max_response_size
        self.allow_insecure_loopback = bool(allow_insecure_loopback)

        client_class_name = self.client_class_name
        client_class = getattr(httpx, client_class_name)
        if http_client is not None:
            if verify is not None:
                raise UsageError(
                    "pass either http_client or verify, not both; configure TLS on your own "
                    "http_client"
                )
            if not isinstance(http_client, client_class):
                raise UsageError(
                    f"http_client must be an httpx.{client_class_name}, got "
                    f"{type(http_client).__name__}"
                )
            self.owns_client = False
            self.http: Any = http_client
        else:
            self.owns_client = True
            self.http = client_class(verify=_ssl_context(verify), follow_redirects=False)

    def headers(self, media_types: Iterable[str]) -> dict[str, str]:
        """Return the request headers, which decline compression so that the size limit holds."""
        from jwtkit import __version__

        return {
            "Accept": ", ".join(media_types),
            "Accept-Encoding": "identity",
            "User-Agent": f"jwtkit/{__version__}",
        }

    def next_url(self, response: httpx.Response, what: str, origin: str) -> str:
        """Return the redirect target of ``response``, which must pass the URL rules."""
        location = response.headers.get("location")
        if not location:
            reason = f"HTTP {response.status_code} redirect without a Location header"
            raise fetch_error(what, origin, reason)
        target = str(response.url.join(location))
        problem = url_problem(target, allow_insecure_loopback=self.allow_insecure_loopback)
        if problem is not None:
            raise fetch_error(
                what, origin, f"it redirects to {display_url(target)}, which is rejected: {problem}"
            )
        return target

    def check_response(
        self, response: httpx.Response, media_types: Iterable[str], what: str, origin: str
    ) -> None:
        """Raise unless ``response`` is a 200 with an allowed content type and size."""
        if response.status_code != 200:
            raise fetch_error(what, origin, f"HTTP status {response.status_code}, expected 200")

        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        allowed = tuple(media_types)
        if media_type not in allowed:
            shown = quote_untrusted(media_type) if media_type else "missing"
            raise fetch_error(
                what, origin, f"the content type is {shown}, expected {' or '.join(allowed)}"
            )

        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding != "identity":
            shown = quote_untrusted(encoding)
            reason = f"the body is compressed ({shown}) although identity was requested"
            raise fetch_error(what, origin, reason)

        declared = _non_negative_int(response.headers.get("content-length", ""))
        if declared is not None and declared > self.max_response_size:
            raise fetch_error(what, origin, self._too_large_reason())

    def _too_large_reason(self) -> str:
        return f"the body is larger than the limit of {self.max_response_size} bytes"

    def add_chunk(self, body: bytearray, chunk: bytes, what: str, origin: str) -> None:
        """Append ``chunk`` to ``body``, and raise once the body is over the size limit."""
        body.extend(chunk)
        if len(body) > self.max_response_size:
            raise fetch_error(what, origin, self._too_large_reason())

    def timed_out(self, what: str, origin: str) -> KeySetFetchError:
        """Build the error for a fetch that ran past the timeout."""
        return fetch_error(what, origin, f"the request timed out after {self.timeout:g} s")

    def transport_failed(self, exc: Exception, what: str, origin: str) -> KeySetFetchError:
        """Build the error for a connection, TLS or protocol failure."""
        detail = str(exc) or type(exc).__name__
        return fetch_error(what, origin, f"the request failed: {detail}")

    def document(self, response: httpx.Response, body: bytearray) -> Document:
        """Wrap a checked response body with its freshness lifetime."""
        return Document(url=str(response.url), body=bytes(body), max_age=max_age_of(response))


class SyncFetcher(Fetcher):
    """Fetches documents with an ``httpx.Client``."""

    client_class_name = "Client"

    def fetch(self, url: str, media_types: Iterable[str], what: str) -> Document:
        """Fetch ``url``, following redirects that pass the URL rules.

        Raises ``KeySetFetchError`` when the request or the response fails a check.
        """
        httpx = import_httpx()
        deadline = time.monotonic() + self.timeout
        current = url
        try:
            for _ in range(MAX_REDIRECTS + 1):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise self.timed_out(what, url)
                with self.http.stream(
                    "GET",
                    current,
                    headers=self.headers(media_types),
                    timeout=remaining,
                    follow_redirects=False,
                ) as response:
                    if response.status_code in _REDIRECT_STATUSES:
                        current = self.next_url(response, what, url)
                        continue
                    self.check_response(response, media_types, what, url)
                    body = bytearray()
                    for chunk in response.iter_raw():
                        self.add_chunk(body, chunk, what, url)
                        # httpx's timeout bounds each network operation; this bounds
                        # the body, so a server that sends one byte at a time is cut off.
                        if time.monotonic() > deadline:
                            raise self.timed_out(what, url)
                    return self.document(response, body)
        except httpx.TimeoutException:
            raise self.timed_out(what, url) from None
        except httpx.HTTPError as exc:
            raise self.transport_failed(exc, what, url) from None
        raise fetch_error(what, url, f"more than {MAX_REDIRECTS} redirects")

    def close(self) -> None:
        """Close the HTTP client if this fetcher created it."""
        if self.owns_client:
            self.http.close()


class AsyncFetcher(Fetcher):
    """Fetches documents with an ``httpx.AsyncClient``."""

    client_class_name = "AsyncClient"

    async def fetch(self, url: str, media_types: Iterable[str], what: str) -> Document:
        """Fetch ``url``, following redirects that pass the URL rules.

        Raises ``KeySetFetchError`` when the request or the response fails a check.
        """
        httpx = import_httpx()
        try:
            return await asyncio.wait_for(self._fetch(url, media_types, what), self.timeout)
        except asyncio.TimeoutError:
            raise self.timed_out(what, url) from None
        except httpx.TimeoutException:
            raise self.timed_out(what, url) from None
        except httpx.HTTPError as exc:
            raise self.transport_failed(exc, what, url) from None

    async def _fetch(self, url: str, media_types: Iterable[str], what: str) -> Document:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            async with self.http.stream(
                "GET",
                current,
                headers=self.headers(media_types),
                timeout=self.timeout,
                follow_redirects=False,
            ) as response:
                if response.status_code in _REDIRECT_STATUSES:
                    current = self.next_url(response, what, url)
                    continue
                self.check_response(response, media_types, what, url)
                body = bytearray()
                async for chunk in response.aiter_raw():
                    self.add_chunk(body, chunk, what, url)
                return self.document(response, body)
        raise fetch_error(what, url, f"more than {MAX_REDIRECTS} redirects")

    async def aclose(self) -> None:
        """Close the HTTP client if this fetcher created it."""
        if self.owns_client:
            await self.http.aclose()


def _ssl_context(verify: ssl.SSLContext | str | None) -> ssl.SSLContext | bool:
    if verify is None:
        return True
    if isinstance(verify, ssl.SSLContext):
        if verify.verify_mode != ssl.CERT_REQUIRED or not verify.check_hostname:
            raise UsageError(
                "the SSL context passed as verify does not check certificates and host names; "
                "a key set fetched without those checks can be replaced by anyone on the path"
            )
        return verify
    if isinstance(verify, str):
        try:
            return ssl.create_default_context(cafile=verify)
        except (OSError, ssl.SSLError) as exc:
            raise UsageError(
                f"cannot load the CA bundle {verify!r} given as verify: {exc}"
            ) from None
    raise UsageError(
        "verify must be an ssl.SSLContext or the path of a CA bundle file, got "
        f"{type(verify).__name__}; certificate checks cannot be switched off"
    )


def max_age_of(response: httpx.Response) -> float | None:
    """Return the seconds the response stays fresh by ``Cache-Control``, or None if unstated.

    ``no-store`` and ``no-cache`` mean zero. The first ``max-age`` counts (RFC
    9111 §4.2.1), less the ``Age`` the response has already spent in caches
    (RFC 9111 §4.2.3). ``Expires`` is not read.
    """
    directives: dict[str, str] = {}
    for header in response.headers.get_list("cache-control"):
        for item in header.split(","):
            name, _, value = item.strip().partition("=")
            directives.setdefault(name.strip().lower(), value.strip().strip('"'))

    if "no-store" in directives or "no-cache" in directives:
        return 0.0
    max_age = _non_negative_int(directives.get("max-age", ""))
    if max_age is None:
        return None

    spent = _non_negative_int(response.headers.get("age", "")) or 0
    return float(max(max_age - spent, 0))


def _non_negative_int(value: str) -> int | None:
    # Content-Length (RFC 9110 §8.6) and delta-seconds (RFC 9111 §1.2.2) are
    # both ASCII digits only: no sign, no spaces inside, no other numerals.
    value = value.strip()
    if not value or not value.isascii() or not value.isdigit():
        return None
    return int(value)


def quote_untrusted(value: object, limit: int = 60) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters, for values a server sent.

    repr escapes control characters, and the cut keeps a hostile value from
    flooding messages and logs.
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
