"""The jwtkit exception tree.

Every error raised on bad input derives from ``JWTError`` and carries a stable
``code`` for logs and HTTP responses. The tree has three branches, so a server can
respond 401 to a bad token, alert on its own mistakes, and respond 503 when a key
provider fails::

    JWTError
    ├── UsageError                  the caller's mistake: an option, a key, a call
    │   ├── InvalidKeyError         key material that cannot be parsed or used
    │   │   └── WeakKeyError        below the minimum size of RFC 7518
    │   └── UnsupportedAlgorithmError  an algorithm name jwtkit does not implement
    ├── InvalidTokenError           the token's fault: reject it (HTTP 401)
    │   ├── MalformedTokenError     not strict base64url, JSON or compact form
    │   │   └── TokenTooLargeError
    │   ├── AlgorithmNotAllowedError   alg missing from the caller's allow-list
    │   ├── KeyMismatchError        the selected key cannot serve the token's alg
    │   ├── KeyNotFoundError        no supplied key matches the token's kid or alg
    │   ├── CriticalHeaderError     crit names an extension jwtkit does not process
    │   ├── InvalidHeaderError      a header parameter differs from the expected value (typ)
    │   ├── InvalidSignatureError   the signature or MAC does not verify
    │   └── InvalidClaimError       a claim fails validation
    │       ├── MissingClaimError
    │       ├── InvalidIssuerError
    │       ├── InvalidAudienceError
    │       ├── ExpiredTokenError   exp (or max_age against iat) has passed
    │       └── ImmatureTokenError  nbf or iat lies in the future
    └── KeySetFetchError            a remote JWK Set could not be fetched or used (HTTP 503)

Messages name the failing value (header parameter, claim, algorithm) and never
contain key material.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class JWTError(Exception):
    """Base class of every jwtkit error; ``code`` is stable across releases."""

    code = "jwt_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(JWTError, ValueError):
    """The caller passed an invalid option, key or argument."""

    code = "usage_error"


class InvalidKeyError(UsageError):
    """Key material that cannot be parsed, or cannot be used the way it was asked."""

    code = "invalid_key"


class WeakKeyError(InvalidKeyError):
    """A key below the size RFC 7518 requires for its algorithm."""

    code = "weak_key"


class UnsupportedAlgorithmError(UsageError):
    """An algorithm name that jwtkit does not implement, given by the caller."""

    code = "unsupported_algorithm"


class InvalidTokenError(JWTError):
    """The token is not acceptable; reject the request that carried it."""

    code = "invalid_token"


class MalformedTokenError(InvalidTokenError):
    """The token is not well-formed compact JWS, strict base64url or strict JSON."""

    code = "malformed_token"


class TokenTooLargeError(MalformedTokenError):
    """The token exceeds the configured maximum size; nothing of it was decoded."""

    code = "token_too_large"


class AlgorithmNotAllowedError(InvalidTokenError):
    """The header's ``alg`` is not in the caller's list of allowed algorithms."""

    code = "algorithm_not_allowed"


class KeyMismatchError(InvalidTokenError):
    """The key chosen for the token cannot serve the token's ``alg``."""

    code = "key_mismatch"


class KeyNotFoundError(InvalidTokenError):
    """No key among those supplied matches the token's ``kid`` and ``alg``."""

    code = "key_not_found"


class CriticalHeaderError(InvalidTokenError):
    """``crit`` names an extension jwtkit does not process, or is itself invalid."""

    code = "unsupported_critical_header"


class InvalidHeaderError(InvalidTokenError):
    """A header parameter (such as ``typ``) does not have the value the caller expects."""

    code = "invalid_header"

    def __init__(self, message: str, *, parameter: str, expected: Any, received: Any) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.expected = expected
        self.received = received


class InvalidSignatureError(InvalidTokenError):
    """The signature or MAC does not verify. The message is fixed on purpose."""

    code = "invalid_signature"


class InvalidClaimError(InvalidTokenError):
    """A claim failed validation; ``claim`` names it."""

    code = "invalid_claim"

    def __init__(
        self,
        message: str,
        *,
        claim: str,
        expected: Any = None,
        received: Any = None,
    ) -> None:
        super().__init__(message)
        self.claim = claim
        self.expected = expected
        self.received = received


class MissingClaimError(InvalidClaimError):
    """A claim required by the caller (directly or through an expected value) is absent."""

    code = "missing_claim"


class InvalidIssuerError(InvalidClaimError):
    """``iss`` does not equal any expected issuer."""

    code = "invalid_issuer"


class InvalidAudienceError(InvalidClaimError):
    """``aud`` does not contain any expected audience."""

    code = "invalid_audience"


class ExpiredTokenError(InvalidClaimError):
    """The token is past ``exp``, or older than ``max_age`` by its ``iat``."""

    code = "token_expired"

    def __init__(self, message: str, *, claim: str, expired_at: float, now: float) -> None:
        super().__init__(message, claim=claim, expected=None, received=expired_at)
        self.expired_at = expired_at
        self.now = now


class ImmatureTokenError(InvalidClaimError):
    """The token is not valid yet: ``nbf`` or ``iat`` lies in the future."""

    code = "token_not_yet_valid"

    def __init__(self, message: str, *, claim: str, valid_from: float, now: float) -> None:
        super().__init__(message, claim=claim, expected=None, received=valid_from)
        self.valid_from = valid_from
        self.now = now


class KeySetFetchError(JWTError):
    """A remote JWK Set, or the metadata that names it, could not be fetched or used.

    Neither the caller nor the token is at fault: the key provider is down,
    slow, or returns something that is not a JWK Set. ``url`` is the address
    that failed and ``reason`` describes how. A server should respond 503 and alert,
    not reject the token as invalid.
    """

    code = "key_set_fetch_failed"

    def __init__(self, message: str, *, url: str, reason: str) -> None:
        super().__init__(message)
        self.url = url
        self.reason = reason


__all__ = [
    "AlgorithmNotAllowedError",
    "CriticalHeaderError",
    "ExpiredTokenError",
    "ImmatureTokenError",
    "InvalidAudienceError",
    "InvalidClaimError",
    "InvalidHeaderError",
    "InvalidIssuerError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "InvalidTokenError",
    "JWTError",
    "KeyMismatchError",
    "KeyNotFoundError",
    "KeySetFetchError",
    "MalformedTokenError",
    "MissingClaimError",
    "TokenTooLargeError",
    "UnsupportedAlgorithmError",
    "UsageError",
    "WeakKeyError",
]
