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
import contextlib
import ssl
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from jwtkit.errors import KeySetFetchError, UsageError
from jwtkit.remote.deadline import Watchdog
from jwtkit.remote.urls import (
    URL_CHARACTERS,
    display_url,
    fetch_error,
    import_httpx,
    origin_of,
    quote_untrusted,
    url_problem,
)

if TYPE_CHECKING:
    import httpx

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_RESPONSE_SIZE = 512 * 1024
MAX_REDIRECTS = 5
MAX_TIMEOUT = 300.0
MAX_RESPONSE_SIZE = 64 * 1024 * 1024

JWKS_MEDIA_TYPES = ("application/json", "application/jwk-set+json")
METADATA_MEDIA_TYPES = ("application/json",)

_SHOWN_DETAIL_LENGTH = 200

# Headers that carry the user's credentials, never sent to another origin.
_CREDENTIAL_HEADERS = ("Authorization", "Cookie")

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Document:
    """A fetched response body, with the freshness lifetime its headers give it."""

    url: str
    body: bytes
    max_age: float | None


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
        self.timeout = _checked_timeout(timeout)
        self.max_response_size = _checked_size(max_response_size)
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
            _check_client_verifies(http_client)
            self.owns_client = False
            self.http: Any = http_client
        else:
            self.owns_client = True
            self.http = client_class(verify=_ssl_context(verify), follow_redirects=False)

    def headers(self, media_types: Iterable[str]) -> dict[str, str]:
        """Return the request headers, which decline compression so that the size limit holds.

        On a client jwtkit built, ``Connection: close`` gives each fetch a
        connection of its own, whose socket the deadline can shut down.
        Fetches are rare, so reusing connections would save little. A caller's client may
        speak HTTP/2, which forbids that header, so it does not get it.
        """
        from jwtkit import __version__

        headers = {
            "Accept": ", ".join(media_types),
            "Accept-Encoding": "identity",
            "User-Agent": f"jwtkit/{__version__}",
        }
        if self.owns_client:
            headers["Connection"] = "close"
        return headers

    def build_request(
        self,
        target: str,
        first_origin: tuple[str, str, int] | None,
        media_types: Iterable[str],
        timeout: float,
        extensions: dict[str, Any],
    ) -> tuple[httpx.Request, Any]:
        """Return the request for ``target`` and the auth to send it with.

        jwtkit follows redirects itself, so httpx's own stripping of
        credentials on a cross-origin redirect never runs: a hop to another
        origin than the first request's drops the client's Authorization
        header, cookies and auth here.
        """
        request = self.http.build_request(
            "GET",
            target,
            headers=self.headers(media_types),
            timeout=timeout,
            extensions=extensions,
        )
        if first_origin is None or origin_of(request.url) == first_origin:
            return request, self.http.auth
        for name in _CREDENTIAL_HEADERS:
            request.headers.pop(name, None)
        return request, None

    @contextlib.contextmanager
    def redirect_errors(self, what: str, origin: str) -> Iterator[None]:
        """Turn the error httpx raises for a malformed redirect Location into a fetch error.

        httpx parses the Location of a redirect even when it does not follow
        it, and raises before returning the response. The request's own URL
        passed ``strict_parse`` already, so a URL error here is the Location's.
        """
        httpx = import_httpx()
        try:
            yield
        except (httpx.InvalidURL, ValueError) as exc:
            detail = quote_untrusted(str(exc) or type(exc).__name__, _SHOWN_DETAIL_LENGTH)
            reason = f"it redirects to a target which is rejected: it is not a valid URL ({detail})"
            raise fetch_error(what, origin, reason) from None

    def next_url(self, response: httpx.Response, what: str, origin: str) -> str:
        """Return the redirect target of ``response``, which must pass the URL rules."""
        location = response.headers.get("location")
        if not location:
            reason = f"HTTP {response.status_code} redirect without a Location header"
            raise fetch_error(what, origin, reason)
        problem = None
        target: str = location
        if URL_CHARACTERS.fullmatch(location) is None:
            problem = "it contains a space, a backslash, a control or a non-ASCII character"
        else:
            try:
                target = str(response.url.join(location))
            except (import_httpx().InvalidURL, ValueError, TypeError) as exc:
                problem = f"it is not a valid URL ({quote_untrusted(str(exc))})"
        if problem is None:
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

    def failed(self, exc: Exception, what: str, origin: str) -> KeySetFetchError:
        """Build the error for a fetch that raised ``exc``: a timeout, transport or URL error.

        Every such error becomes a ``KeySetFetchError``, so that the client
        records it, backs off and keeps serving the keys it has.
        """
        if isinstance(exc, KeySetFetchError):
            return exc
        httpx = import_httpx()
        # anyio's connection attempts report their failures as an exception group.
        inner = getattr(exc, "exceptions", None)
        while isinstance(inner, tuple) and inner and isinstance(inner[0], Exception):
            exc = inner[0]
            inner = getattr(exc, "exceptions", None)
        if isinstance(exc, (httpx.TimeoutException, asyncio.TimeoutError)):
            return self.timed_out(what, origin)
        detail = quote_untrusted(str(exc) or type(exc).__name__, _SHOWN_DETAIL_LENGTH)
        return fetch_error(what, origin, f"the request failed: {type(exc).__name__}: {detail}")

    def document(self, response: httpx.Response, body: bytearray) -> Document:
        """Wrap a checked response body with its freshness lifetime."""
        return Document(url=str(response.url), body=bytes(body), max_age=max_age_of(response))


class SyncFetcher(Fetcher):
    """Fetches documents with an ``httpx.Client``."""

    client_class_name = "Client"

    def fetch(self, url: str, media_types: Iterable[str], what: str) -> Document:
        """Fetch ``url``, following redirects that pass the URL rules, within the timeout.

        Raises ``KeySetFetchError`` when the request or the response fails a check.
        """
        watchdog = Watchdog(self.timeout)
        try:
            with watchdog:
                return self._follow(url, media_types, what, watchdog)
        except Exception as exc:
            if watchdog.fired:
                raise self.timed_out(what, url) from None
            raise self.failed(exc, what, url) from None

    def _follow(
        self, url: str, media_types: Iterable[str], what: str, watchdog: Watchdog
    ) -> Document:
        current = url
        first_origin = None
        for _ in range(MAX_REDIRECTS + 1):
            remaining = watchdog.remaining()
            if remaining <= 0:
                raise self.timed_out(what, url)
            extensions = {"trace": watchdog.trace}
            request, auth = self.build_request(
                current, first_origin, media_types, remaining, extensions
            )
            first_origin = first_origin or origin_of(request.url)
            with self.redirect_errors(what, url):
                response = self.http.send(request, stream=True, auth=auth, follow_redirects=False)
            try:
                if response.status_code in _REDIRECT_STATUSES:
                    current = self.next_url(response, what, url)
                    continue
                self.check_response(response, media_types, what, url)
                body = bytearray()
                for chunk in response.iter_raw():
                    self.add_chunk(body, chunk, what, url)
                    if watchdog.remaining() <= 0:
                        raise self.timed_out(what, url)
                # A body without Content-Length ends when the connection closes,
                # which the watchdog's shutdown also does: that body is cut short.
                if watchdog.fired:
                    raise self.timed_out(what, url)
                return self.document(response, body)
            finally:
                response.close()
        raise fetch_error(what, url, f"more than {MAX_REDIRECTS} redirects")

    def close(self) -> None:
        """Close the HTTP client if this fetcher created it."""
        if self.owns_client:
            self.http.close()


class AsyncFetcher(Fetcher):
    """Fetches documents with an ``httpx.AsyncClient``."""

    client_class_name = "AsyncClient"

    async def fetch(self, url: str, media_types: Iterable[str], what: str) -> Document:
        """Fetch ``url``, following redirects that pass the URL rules, within the timeout.

        Raises ``KeySetFetchError`` when the request or the response fails a check.
        """
        try:
            return await asyncio.wait_for(self._follow(url, media_types, what), self.timeout)
        except Exception as exc:
            raise self.failed(exc, what, url) from None

    async def _follow(self, url: str, media_types: Iterable[str], what: str) -> Document:
        current = url
        first_origin = None
        for _ in range(MAX_REDIRECTS + 1):
            request, auth = self.build_request(current, first_origin, media_types, self.timeout, {})
            first_origin = first_origin or origin_of(request.url)
            with self.redirect_errors(what, url):
                response = await self.http.send(
                    request, stream=True, auth=auth, follow_redirects=False
                )
            try:
                if response.status_code in _REDIRECT_STATUSES:
                    current = self.next_url(response, what, url)
                    continue
                self.check_response(response, media_types, what, url)
                body = bytearray()
                async for chunk in response.aiter_raw():
                    self.add_chunk(body, chunk, what, url)
                return self.document(response, body)
            finally:
                await response.aclose()
        raise fetch_error(what, url, f"more than {MAX_REDIRECTS} redirects")

    async def aclose(self) -> None:
        """Close the HTTP client if this fetcher created it."""
        if self.owns_client:
            await self.http.aclose()


def _checked_timeout(timeout: object) -> float:
    # A bool is an int to Python, and inf or 1e12 overflow the socket timeout later.
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        valid = False
    else:
        valid = 0 < timeout <= MAX_TIMEOUT
    if not valid:
        raise UsageError(
            f"timeout must be a positive number of seconds, got {quote_untrusted(timeout)}; "
            f"the most allowed is {MAX_TIMEOUT:g}"
        )
    return float(timeout)  # type: ignore[arg-type]


def _checked_size(size: object) -> int:
    if isinstance(size, bool) or not isinstance(size, int) or not 0 < size <= MAX_RESPONSE_SIZE:
        raise UsageError(
            f"max_response_size must be a positive number of bytes, got {quote_untrusted(size)}; "
            f"the most allowed is {MAX_RESPONSE_SIZE}"
        )
    return size


def _check_client_verifies(http_client: Any) -> None:
    # httpx keeps the SSL context of its default transport private, so this
    # catches httpx.Client(verify=False) but not a custom transport or mount;
    # the documentation says so.
    pool = getattr(getattr(http_client, "_transport", None), "_pool", None)
    context = getattr(pool, "_ssl_context", None)
    if not isinstance(context, ssl.SSLContext):
        return
    if context.verify_mode != ssl.CERT_REQUIRED or not context.check_hostname:
        raise UsageError(
            "the http_client does not check certificates and host names (verify=False or an "
            "SSL context without those checks); a key set fetched without them can be "
            "replaced by anyone on the path"
        )


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
