"""The rules a URL must pass before jwtkit sends a request to it, and how URLs appear in messages.

The caller's URLs, redirect targets and a discovered ``jwks_uri`` all pass the
same strict parse. httpx accepts some values that later fail inside the
request with errors of other kinds. Those are rejected here instead, with a
reason that a fetch error can report.
"""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING, Any

from jwtkit.errors import KeySetFetchError, UsageError

if TYPE_CHECKING:
    import httpx

MAX_URL_LENGTH = 4096
_SHOWN_URL_LENGTH = 200

# Visible ASCII without the backslash, which browsers read as "/" but httpx rejects.
URL_CHARACTERS = re.compile(r"[!-\[\]-~]+")
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")


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
    parsed, problem = strict_parse(url)
    if parsed is None:
        return problem

    if parsed.scheme == "https":
        return None
    if parsed.scheme != "http":
        return f"its scheme is {quote_untrusted(parsed.scheme)}; only https is allowed"

    loopback = _is_loopback_address(parsed.host)
    if loopback and allow_insecure_loopback:
        return None
    if loopback:
        return (
            "it uses plain http; pass allow_insecure_loopback=True to allow http to a "
            "loopback address (for tests only)"
        )
    return "it uses plain http, which lets anyone on the network path replace the keys; use https"


def strict_parse(url: str) -> tuple[httpx.URL | None, str]:
    """Parse ``url``, or return None and why it is not a URL jwtkit sends a request to.

    httpx accepts some URLs that later fail inside the request with errors of
    other kinds (an empty or malformed host label, a port past 65535), so the
    parts are checked here, before any request.
    """
    httpx = import_httpx()
    if not isinstance(url, str):
        return None, f"it is not a string but {type(url).__name__}"
    if len(url) > MAX_URL_LENGTH:
        return None, f"it is {len(url)} characters long, more than {MAX_URL_LENGTH}"
    if not URL_CHARACTERS.fullmatch(url):
        return None, "it contains a space, a backslash, a control or a non-ASCII character"
    try:
        parsed = httpx.URL(url)
        host = parsed.host
        port = parsed.port
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        return None, f"it is not a valid URL ({quote_untrusted(str(exc))})"

    if parsed.scheme not in ("http", "https"):
        return None, f"its scheme is {quote_untrusted(parsed.scheme)}; only https is allowed"
    if port is not None and not 0 < port < 65536:
        return None, f"its port {port} is outside 1 to 65535"
    problem = _host_problem(host)
    if problem is not None:
        return None, problem
    return parsed, ""


def _host_problem(host: str) -> str | None:
    if not host:
        return "it has no host"
    if ":" in host:
        # httpx gives IPv6 literals without their brackets.
        try:
            address = ipaddress.IPv6Address(host)
        except ValueError:
            return f"its host {quote_untrusted(host)} is not a valid IPv6 address"
        return "its IPv6 host has a zone index" if address.scope_id else None

    labels = host.rstrip(".").split(".")
    if len(host) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return f"its host {quote_untrusted(host)} is not a valid host name"
    # A name whose last label is all digits is not a DNS name, and resolvers
    # read forms such as "2130706433" or "127.1" as IPv4 addresses.
    if labels[-1].isdigit() and not _is_ipv4(host):
        return f"its host {quote_untrusted(host)} is neither a host name nor an IPv4 address"
    return None


def _is_loopback_address(host: str) -> bool:
    # Only IP literals count: a name such as "localhost" resolves through
    # configuration that an attacker may control.
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_ipv4(host: str) -> bool:
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


def origin_of(url: httpx.URL) -> tuple[str, str, int]:
    """Return the scheme, host and port that make up the origin of ``url`` (RFC 6454)."""
    default_port = 443 if url.scheme == "https" else 80
    return url.scheme, url.host.rstrip(".").lower(), url.port or default_port


def check_caller_url(url: object, *, allow_insecure_loopback: bool, what: str) -> str:
    """Return ``url`` if the caller may fetch ``what`` from it, else raise ``UsageError``."""
    if not isinstance(url, str):
        raise UsageError(f"the {what} URL must be a string, got {type(url).__name__}")
    problem = url_problem(url, allow_insecure_loopback=allow_insecure_loopback)
    if problem is not None:
        raise UsageError(f"the {what} URL {display_url(url)} is rejected: {problem}")
    return url


def display_url(url: str) -> str:
    """Return ``url`` without a user name or password, cut short, for messages and logs."""
    httpx = import_httpx()
    try:
        parsed = httpx.URL(url)
        if parsed.userinfo:
            parsed = parsed.copy_with(username=None, password=None)
        text = str(parsed)
    except (httpx.InvalidURL, ValueError, TypeError):
        # Hide a user name and password even in a URL that does not parse.
        return quote_untrusted(re.sub(r"//[^/@]*@", "//", str(url)), _SHOWN_URL_LENGTH)
    return text if len(text) <= _SHOWN_URL_LENGTH else text[: _SHOWN_URL_LENGTH - 3] + "..."


def fetch_error(what: str, url: str, reason: str) -> KeySetFetchError:
    """Build the error for a failed fetch of ``what`` from ``url``."""
    shown = display_url(url)
    message = f"could not fetch {what} from {shown}: {reason}"
    return KeySetFetchError(message, url=shown, reason=reason)


def quote_untrusted(value: object, limit: int = 60) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters, for values a server sent.

    repr escapes control characters, and the cut keeps a hostile value from
    flooding messages and logs.
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
