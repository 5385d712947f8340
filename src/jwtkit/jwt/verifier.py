"""``Verifier``: a verification policy built once and applied to many tokens."""

from __future__ import annotations

import time
from collections import namedtuple
from collections.abc import Collection, Iterable

from jwtkit._encoding import json_loads_object
from jwtkit.errors import InvalidHeaderError, MalformedTokenError, UsageError
from jwtkit.jwk import Key
from jwtkit.jws import DEFAULT_MAX_TOKEN_SIZE, AllowedAlgorithms, parse_compact
from jwtkit.jws.verify import SignatureVerifier
from jwtkit.jwt.claims import ClaimsPolicy
from jwtkit.jwt.numericdate import current_time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple

if TYPE_CHECKING:

    class VerifiedToken(NamedTuple):
        """A verified JWT: its protected header, validated claims and the key that verified it."""

        header: dict[str, Any]
        claims: dict[str, Any]
        key: Key

else:
    VerifiedToken = namedtuple("VerifiedToken", ("header", "claims", "key"))
    VerifiedToken.__doc__ = (
        "A verified JWT: its protected header, validated claims and the key that verified it."
    )


class Verifier:
    """Verify JWTs against one key (or key set) and one set of expectations.

    Everything that can be prepared is prepared here once: the algorithm
    allow-list, the claim expectations and the expected ``typ``. ``verify``
    then checks the token's structure, its signature and its claims, in that
    order, and returns the claims.
    """

    def __init__(
        self,
        key: Any,
        *,
        algorithms: Iterable[str],
        issuer: str | Collection[str] | None = None,
        audience: str | Collection[str] | None = None,
        subject: str | None = None,
        leeway: Any = 0,
        required: Collection[str] = (),
        typ: str | None = None,
        max_age: Any = None,
        now: Any = None,
        allow_weak_key: bool = False,
        max_token_size: int = DEFAULT_MAX_TOKEN_SIZE,
    ) -> None:
        self._key = key
        self.algorithms = AllowedAlgorithms(algorithms)
        self.claims_policy = ClaimsPolicy(
            issuer=issuer,
            audience=audience,
            subject=subject,
            leeway=leeway,
            required=required,
            max_age=max_age,
        )
        if typ is not None and not isinstance(typ, str):
            raise UsageError(f"typ must be a string such as 'JWT', got {type(typ).__name__}")
        self.typ = typ
        self._typ_normalized = _normalize_media_type(typ) if typ is not None else None
        if now is not None:
            current_time(now)
        self.now = now
        self.allow_weak_key = bool(allow_weak_key)
        self._signatures = SignatureVerifier(
            key, self.algorithms, allow_weak_key=self.allow_weak_key
        )
        if (
            isinstance(max_token_size, bool)
            or not isinstance(max_token_size, int)
            or max_token_size <= 0
        ):
            raise UsageError(f"max_token_size must be a positive integer, got {max_token_size!r}")
        self.max_token_size = max_token_size

    @property
    def key(self) -> Any:
        """The key, key set or key provider given at construction (read-only)."""
        return self._key

    def verify(self, token: str | bytes) -> dict[str, Any]:
        """Verify the token and validate its claims; return the claims."""
        return self._verify(token)[1]

    def verify_complete(self, token: str | bytes) -> VerifiedToken:
        """Verify the token like ``verify``; return its header, claims and key."""
        header, claims, key = self._verify(token)
        return VerifiedToken(header=header, claims=claims, key=key)

    def _verify(self, token: str | bytes) -> tuple[dict[str, Any], dict[str, Any], Key]:
        header, payload, signature, signing_input = parse_compact(
            token, max_token_size=self.max_token_size
        )
        if header.get("b64") is False:
            raise MalformedTokenError(
                "the token's header has 'b64': false, an unencoded payload, which JWTs must "
                "not use (RFC 7797 §7); verify it as a plain JWS with jwtkit.jws.verify_compact"
            )
        key = self._signatures.verify(header, signing_input, signature)
        if self._typ_normalized is not None:
            self._check_typ(header)

        claims = json_loads_object(payload, "the token's claims")
        now = time.time() if self.now is None else current_time(self.now)
        self.claims_policy.validate(claims, now)
        return header, claims, key

    def _check_typ(self, header: dict[str, Any]) -> None:
        typ = header.get("typ")
        if isinstance(typ, str) and _normalize_media_type(typ) == self._typ_normalized:
            return
        received = "no 'typ'" if typ is None else f"typ {_shorten(typ)}"
        raise InvalidHeaderError(
            f"the token's header has {received}, but typ {self.typ!r} is expected; a token of "
            "another type (an ID token where an access token is due, say) must not be accepted",
            parameter="typ",
            expected=self.typ,
            received=typ,
        )


# A token's typ is attacker input of any length; messages show at most this many characters.
_MAX_SHOWN_TYP = 40


def _shorten(typ: str) -> str:
    if len(typ) <= _MAX_SHOWN_TYP:
        return repr(typ)
    return f"{typ[:_MAX_SHOWN_TYP]!r}... ({len(typ)} characters)"


def _normalize_media_type(value: str) -> str:
    # RFC 7515 §4.1.9: media types compare case-insensitively, and the
    # "application/" prefix may be omitted when no other '/' appears.
    lowered = value.lower()
    if lowered.startswith("application/") and "/" not in lowered[len("application/") :]:
        return lowered[len("application/") :]
    return lowered
