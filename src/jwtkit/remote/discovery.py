"""Find an issuer's ``jwks_uri`` in its published metadata.

Two well-known locations are tried in order: OpenID Connect Discovery 1.0
(``/.well-known/openid-configuration`` appended to the issuer) and RFC 8414
(``/.well-known/oauth-authorization-server`` inserted before the issuer's
path). The document must name exactly the issuer that was requested, or
anyone able to publish metadata on that host could stand in for another
issuer (RFC 8414 §3.3).
"""

from __future__ import annotations

import logging

from jwtkit._encoding import json_loads_object
from jwtkit.errors import KeySetFetchError, MalformedTokenError, UsageError
from jwtkit.remote.http import METADATA_MEDIA_TYPES, AsyncFetcher, Document, Fetcher, SyncFetcher
from jwtkit.remote.urls import (
    check_caller_url,
    display_url,
    fetch_error,
    import_httpx,
    quote_untrusted,
    url_problem,
)

logger = logging.getLogger("jwtkit")

WHAT = "the authorization server metadata"
OPENID_CONFIGURATION = "/.well-known/openid-configuration"
OAUTH_AUTHORIZATION_SERVER = "/.well-known/oauth-authorization-server"


def check_issuer(issuer: object, *, allow_insecure_loopback: bool) -> str:
    """Return ``issuer`` if it is an https URL without query or fragment (RFC 8414 §2)."""
    issuer = check_caller_url(
        issuer, allow_insecure_loopback=allow_insecure_loopback, what="issuer"
    )
    parsed = import_httpx().URL(issuer)
    if parsed.query or parsed.fragment or "?" in issuer or "#" in issuer:
        raise UsageError(
            f"the issuer {display_url(issuer)} has a query or fragment, which an issuer "
            "identifier must not have (RFC 8414 §2); pass the issuer exactly as tokens name it"
        )
    return issuer


def metadata_urls(issuer: str) -> tuple[str, str]:
    """Return the OpenID Connect and the RFC 8414 metadata URLs of ``issuer``."""
    parsed = import_httpx().URL(issuer)
    path = parsed.raw_path.decode("ascii").rstrip("/")

    openid = issuer.rstrip("/") + OPENID_CONFIGURATION
    # RFC 8414 §3.1: the well-known segment goes between the host and the
    # issuer's path, whose trailing "/" is removed first.
    oauth = str(parsed.copy_with(raw_path=(OAUTH_AUTHORIZATION_SERVER + path).encode("ascii")))
    return openid, oauth


def jwks_uri_from_metadata(
    document: Document, issuer: str, metadata_url: str, *, allow_insecure_loopback: bool
) -> str:
    """Return the ``jwks_uri`` of a metadata document that names exactly ``issuer``."""
    try:
        metadata = json_loads_object(document.body, "the metadata")
    except MalformedTokenError as exc:
        raise fetch_error(WHAT, metadata_url, str(exc)) from None

    named = metadata.get("issuer")
    if named != issuer:
        raise fetch_error(
            WHAT,
            metadata_url,
            f"it names issuer {quote_untrusted(named)}, but {issuer!r} was requested; the two "
            "must be identical (RFC 8414 §3.3)",
        )

    jwks_uri = metadata.get("jwks_uri")
    if not isinstance(jwks_uri, str):
        raise fetch_error(WHAT, metadata_url, "it has no 'jwks_uri' string")
    problem = url_problem(jwks_uri, allow_insecure_loopback=allow_insecure_loopback)
    if problem is not None:
        raise fetch_error(
            WHAT, metadata_url, f"its jwks_uri {display_url(jwks_uri)} is rejected: {problem}"
        )
    return jwks_uri


def discover_jwks_uri(fetcher: SyncFetcher, issuer: str) -> str:
    """Fetch the metadata of ``issuer`` and return its ``jwks_uri``."""
    failures: list[KeySetFetchError] = []
    for url in metadata_urls(issuer):
        try:
            document = fetcher.fetch(url, METADATA_MEDIA_TYPES, WHAT)
            return _accept(document, issuer, url, fetcher, failures)
        except KeySetFetchError as exc:
            failures.append(exc)
    raise _discovery_failed(issuer, failures)


async def discover_jwks_uri_async(fetcher: AsyncFetcher, issuer: str) -> str:
    """Fetch the metadata of ``issuer`` and return its ``jwks_uri``, asynchronously."""
    failures: list[KeySetFetchError] = []
    for url in metadata_urls(issuer):
        try:
            document = await fetcher.fetch(url, METADATA_MEDIA_TYPES, WHAT)
            return _accept(document, issuer, url, fetcher, failures)
        except KeySetFetchError as exc:
            failures.append(exc)
    raise _discovery_failed(issuer, failures)


def _accept(
    document: Document,
    issuer: str,
    url: str,
    fetcher: Fetcher,
    failures: list[KeySetFetchError],
) -> str:
    jwks_uri = jwks_uri_from_metadata(
        document, issuer, url, allow_insecure_loopback=fetcher.allow_insecure_loopback
    )
    for failure in failures:
        logger.debug("metadata not found at %s (%s); used %s", failure.url, failure.reason, url)
    return jwks_uri


def _discovery_failed(issuer: str, failures: list[KeySetFetchError]) -> KeySetFetchError:
    reason = "; ".join(f"{failure.url}: {failure.reason}" for failure in failures)
    return KeySetFetchError(
        f"could not find the jwks_uri of issuer {display_url(issuer)} in its metadata: {reason}",
        url=failures[0].url,
        reason=reason,
    )
