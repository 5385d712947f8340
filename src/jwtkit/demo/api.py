"""The protected API: accepts a request only with a valid bearer token (RFC 6750)."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jwtkit import KeySet, Verifier
from jwtkit.demo.serving import DemoError, JSONHandler, Narrate
from jwtkit.demo.terminal import shorten
from jwtkit.errors import InvalidKeyError, InvalidTokenError, JWTError

PRIVATE_PATH = "/private"
# The query parameter that carries the token when the header cannot.
# NOTE: RFC 6750 §2.3 names this parameter "access_token"; the demo uses "token".
QUERY_PARAMETER = "token"
REALM = "jwtkit-demo"

# The API's verification policy. The algorithm and the key never come from
# the token: alg must be on this list and the key is chosen by kid among the
# keys of the issuer's JWKS.
ALGORITHMS = ["ES256"]
EXPECTED_TYPE = "at+jwt"
# Seconds of clock difference between issuer and API that exp and iat absorb.
LEEWAY = 30

FETCH_TIMEOUT = 5.0
MAX_JWKS_SIZE = 64 * 1024

# RFC 6750 §2.1: the characters a bearer token may contain (b64token).
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


@dataclass(frozen=True)
class Response:
    """An HTTP response for the handler to send: status, JSON body and extra headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class BearerError(Exception):
    """The request carries no usable bearer token.

    ``challenge_error`` is the RFC 6750 §3.1 error code for ``WWW-Authenticate``,
    or None when the request has no bearer credentials at all. Such a request
    gets a challenge without an error code (RFC 6750 §3).
    """

    def __init__(self, status: int, code: str, message: str, challenge_error: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.challenge_error = challenge_error


def fetch_keyset(jwks_url: str, timeout: float = FETCH_TIMEOUT) -> KeySet:
    """Fetch a JWK Set over HTTP once and build a ``KeySet``; raise ``DemoError`` on failure."""
    try:
        with urllib.request.urlopen(jwks_url, timeout=timeout) as response:
            data = response.read(MAX_JWKS_SIZE + 1)
    except (urllib.error.URLError, OSError) as exc:
        raise DemoError(f"cannot fetch the JWKS at {jwks_url}: {exc}") from exc
    if len(data) > MAX_JWKS_SIZE:
        raise DemoError(f"the JWKS at {jwks_url} is larger than {MAX_JWKS_SIZE} bytes")

    try:
        keyset = KeySet.from_jwks(data)
    except InvalidKeyError as exc:
        raise DemoError(f"the JWKS at {jwks_url} is invalid: {exc}") from exc
    if len(keyset) == 0:
        raise DemoError(f"the JWKS at {jwks_url} has no key jwtkit can use: {keyset.skipped}")
    return keyset


def find_bearer_token(authorization: Sequence[str], query: str) -> tuple[str, str]:
    """Return the request's bearer token and where it was found: "header" or "query".

    ``authorization`` contains the values of the Authorization header fields.
    Raise ``BearerError`` when there is no token, or when the request is
    malformed: a token in both places, several tokens, or a value that is not
    a b64token.
    """
    query_tokens = parse_qs(query, keep_blank_values=True).get(QUERY_PARAMETER, [])
    if not authorization and not query_tokens:
        raise BearerError(
            401,
            "missing_token",
            "the request has no access token; send it as 'Authorization: Bearer <token>'",
            challenge_error=None,
        )
    # RFC 6750 §2: a client must not use more than one method to send the token.
    if authorization and query_tokens:
        raise _invalid_request(
            f"the request carries a token in both the Authorization header and the "
            f"{QUERY_PARAMETER!r} query parameter; send it in one place only"
        )
    if len(authorization) > 1 or len(query_tokens) > 1:
        raise _invalid_request("the request carries more than one token; send exactly one")

    if query_tokens:
        return _checked_token(query_tokens[0], f"the {QUERY_PARAMETER!r} query parameter"), "query"

    scheme, _, credentials = authorization[0].strip().partition(" ")
    if scheme.lower() != "bearer":
        # Another scheme (Basic, say) means no bearer credentials at all; its
        # credentials are not echoed back.
        raise BearerError(
            401,
            "unsupported_scheme",
            f"the Authorization header uses the scheme {scheme[:20]!r}; this API accepts only "
            "'Authorization: Bearer <token>'",
            challenge_error=None,
        )
    return _checked_token(credentials.lstrip(" "), "the Authorization header"), "header"


def _checked_token(token: str, place: str) -> str:
    if not token:
        raise _invalid_request(f"{place} has no token; send 'Bearer <token>'")
    if _B64TOKEN.fullmatch(token) is None:
        raise _invalid_request(
            f"the token in {place} contains characters a bearer token cannot have; "
            "RFC 6750 allows letters, digits, '-', '.', '_', '~', '+', '/' and trailing '='"
        )
    return token


def _invalid_request(message: str) -> BearerError:
    return BearerError(400, "invalid_request", message, challenge_error="invalid_request")


def challenge(error: str | None = None, description: str | None = None) -> str:
    """Build a ``WWW-Authenticate`` value for the Bearer scheme (RFC 6750 §3)."""
    value = f'Bearer realm="{REALM}"'
    if error is not None:
        value += f', error="{error}"'
    if description is not None:
        value += f', error_description="{_quotable(description)}"'
    return value


def _quotable(text: str) -> str:
    # RFC 6750 §3: error_description may contain only printable ASCII, without '"' and '\'.
    safe = text.replace('"', "'").replace("\\", "/")
    return "".join(char if " " <= char <= "~" else "?" for char in safe)


class ProtectedApi:
    """The API party: a ``Verifier`` built once from the issuer's keys, and GET /private."""

    def __init__(self, keyset: KeySet, *, issuer: str, audience: str, narrate: Narrate) -> None:
        self.audience = audience
        self.narrate = narrate
        self.verifier = Verifier(
            keyset,
            algorithms=ALGORITHMS,
            issuer=issuer,
            audience=audience,
            typ=EXPECTED_TYPE,
            required=("exp", "sub"),
            leeway=LEEWAY,
        )

    @classmethod
    def from_issuer(
        cls, issuer: str, jwks_url: str, *, audience: str, narrate: Narrate
    ) -> ProtectedApi:
        """Fetch the issuer's JWKS once and build the API that trusts those keys only."""
        keyset = fetch_keyset(jwks_url)
        kids = ", ".join(shorten(str(key.kid)) for key in keyset)
        count = "1 key" if len(keyset) == 1 else f"{len(keyset)} keys"
        narrate(f"fetched the issuer's JWKS once: {count}, kid {kids}")
        return cls(keyset, issuer=issuer, audience=audience, narrate=narrate)

    def handle_private(self, authorization: Sequence[str], query: str) -> Response:
        """Handle GET /private: 200 with a greeting for a valid token, else 400 or 401."""
        try:
            token, place = find_bearer_token(authorization, query)
        except BearerError as exc:
            self.narrate(f"rejected the request: {exc.code}")
            return Response(
                exc.status,
                {"error": exc.code, "message": exc.message},
                {"WWW-Authenticate": challenge(exc.challenge_error, exc.message)},
            )

        try:
            verified = self.verifier.verify_complete(token)
        except InvalidTokenError as exc:
            self.narrate(f"rejected the token from the {place}: {exc.code}")
            return Response(
                401,
                {"error": exc.code, "message": exc.message},
                {"WWW-Authenticate": challenge("invalid_token", exc.message)},
            )
        except JWTError as exc:
            # A UsageError here is the API's own configuration at fault, not the token's.
            self.narrate(f"cannot verify tokens: {exc.code}: {exc}")
            return Response(
                500,
                {"error": "server_error", "message": "the API cannot verify tokens; see its log"},
            )

        claims = verified.claims
        self.narrate(
            f"token from the {place}: signature checked with kid "
            f"{shorten(str(verified.key.kid))} "
            f"({verified.header['alg']}, a key from the JWKS)"
        )
        self.narrate(
            f"claims checked: typ {EXPECTED_TYPE}, iss is the issuer, aud is "
            f"{self.audience!r}, exp in {int(claims['exp'] - time.time())} s "
            f"(leeway {LEEWAY} s)"
        )
        return Response(
            200,
            {
                "message": f"hello {claims['sub']}, this is private",
                "sub": claims["sub"],
                "role": claims.get("role"),
            },
        )


class ApiHandler(JSONHandler):
    """HTTP front of a ``ProtectedApi``: GET /private."""

    def __init__(self, *args: Any, api: ProtectedApi, **kwargs: Any) -> None:
        # Set before the base class runs, because its __init__ handles the request.
        self.api = api
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        target = urlsplit(self.path)
        if target.path != PRIVATE_PATH:
            self.send_not_found()
            return
        authorization = self.headers.get_all("Authorization") or []
        response = self.api.handle_private(authorization, target.query)
        self.send_json(response.status, response.body, response.headers)
