"""``encode``, ``decode`` and ``decode_unverified``: the JWT entry points."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from itertools import repeat

from jwtkit._encoding import (
    b64url_decode,
    json_dumps,
    json_loads_object,
)
from jwtkit.errors import MalformedTokenError, UsageError
from jwtkit.jwk import Key
from jwtkit.jws import DEFAULT_MAX_TOKEN_SIZE, sign_compact
from jwtkit.jws.compact import _token_text, _wrong_part_count_message
from jwtkit.jwt.numericdate import is_numericdate, to_numericdate
from jwtkit.jwt.verifier import Verifier

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple

if TYPE_CHECKING:

    class UnverifiedToken(NamedTuple):
        """A JWT's header and claims read WITHOUT checking its signature: do not trust them."""

        header: dict[str, Any]
        claims: dict[str, Any]
        signature: bytes

else:
    UnverifiedToken = namedtuple("UnverifiedToken", ("header", "claims", "signature"))
    UnverifiedToken.__doc__ = (
        "A JWT's header and claims read WITHOUT checking its signature: do not trust them."
    )


def encode(
    claims: Mapping[str, Any],
    key: Any,
    algorithm: str,
    headers: Mapping[str, Any] | None = None,
    *,
    allow_weak_key: bool = False,
) -> str:
    """Sign ``claims`` as a compact JWT with ``algorithm``.

    ``datetime`` values of ``exp``, ``nbf`` and ``iat`` become NumericDates.
    The header gets ``typ: "JWT"`` unless ``headers`` sets ``typ``, and the
    key's ``kid`` when it has one. A header value of None leaves the parameter
    out: ``{"typ": None}`` drops ``typ``, ``{"kid": None}`` the key's ``kid``.
    Unencoded payloads (``b64: False``) are rejected (RFC 7797 §7). The
    caller's dicts are not modified.
    """
    # The exact-type test first: an ABC isinstance check costs more than the rest.
    if type(claims) is not dict and not isinstance(claims, Mapping):
        raise UsageError(f"claims must be a dict, got {type(claims).__name__}")
    if headers is not None and not isinstance(headers, Mapping):
        raise UsageError(f"headers must be a dict, got {type(headers).__name__}")
    if headers is not None and headers.get("b64") is False:
        raise UsageError(
            "headers sets 'b64': False, an unencoded payload, which JWTs must not use "
            "(RFC 7797 §7); sign arbitrary bytes that way with jwtkit.jws.sign_compact"
        )
    payload = _serialize_claims(claims)
    header = _JWT_HEADER if headers is None else {**_JWT_HEADER, **headers}
    return sign_compact(payload, key, algorithm, header, allow_weak_key=allow_weak_key)


# The header members encode adds; sign_compact copies them, never changes them.
_JWT_HEADER = {"typ": "JWT"}


def _serialize_claims(claims: Mapping[str, Any]) -> bytes:
    if not all(map(isinstance, claims, repeat(str))):
        name = next(name for name in claims if not isinstance(name, str))
        raise UsageError(f"claim names must be strings, got {name!r}")

    # Only exp, nbf and iat are converted; the caller's dict is copied first.
    prepared = claims
    for name in _NUMERICDATE_CLAIMS:
        if name not in prepared:
            continue
        value = prepared[name]
        if isinstance(value, datetime):
            prepared = dict(prepared)
            prepared[name] = to_numericdate(value)
        elif not is_numericdate(value):
            raise UsageError(
                f"claim {name!r} must be a NumericDate (finite seconds since the epoch) or a "
                f"datetime, got {value!r}"
            )
    for name in _STRING_CLAIMS:
        if name in prepared and not isinstance(prepared[name], str):
            raise UsageError(f"claim {name!r} must be a string, got {prepared[name]!r}")
    if "aud" in prepared and not _is_audience(prepared["aud"]):
        raise UsageError(
            f"claim 'aud' must be a string or a non-empty list of strings, got {prepared['aud']!r}"
        )

    try:
        return json_dumps(prepared)
    except (TypeError, ValueError, UnicodeEncodeError) as exc:
        raise UsageError(_unserializable_message(prepared, exc)) from None


def _unserializable_message(claims: Mapping[str, Any], error: Exception) -> str:
    for name, value in claims.items():
        if isinstance(value, datetime):
            return (
                f"claim {name!r} is a datetime, but only exp, nbf and iat are converted to "
                "NumericDates; convert it yourself, for example with int(value.timestamp())"
            )
    return f"claims cannot be serialized as JSON: {error}"


_NUMERICDATE_CLAIMS = ("exp", "nbf", "iat")
_STRING_CLAIMS = ("iss", "sub", "jti")


def _is_audience(aud: Any) -> bool:
    if isinstance(aud, str):
        return True
    return isinstance(aud, list) and bool(aud) and all(isinstance(item, str) for item in aud)


def decode(
    token: str | bytes,
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
) -> dict[str, Any]:
    """Verify a JWT's signature, then validate its claims; return the claims.

    ``algorithms`` is required and never read from the token. Passing
    ``issuer``, ``audience``, ``subject`` or ``max_age`` makes the matching
    claim required; ``exp``, ``nbf`` and ``iat`` are checked whenever present.
    ``leeway`` (seconds or timedelta) absorbs clock skew; ``now`` fixes the
    clock (a NumericDate or an aware datetime) for tests.
    """
    cache_key = (
        _verifier_cache_key(
            key,
            algorithms,
            issuer,
            audience,
            subject,
            leeway,
            required,
            typ,
            max_age,
            allow_weak_key,
            max_token_size,
        )
        if now is None
        else None
    )
    verifier = _verifier_cache.get(cache_key) if cache_key is not None else None
    if verifier is not None:
        return verifier.verify(token)

    verifier = Verifier(
        key,
        algorithms=algorithms,
        issuer=issuer,
        audience=audience,
        subject=subject,
        leeway=leeway,
        required=required,
        typ=typ,
        max_age=max_age,
        now=now,
        allow_weak_key=allow_weak_key,
        max_token_size=max_token_size,
    )
    if cache_key is not None:
        if len(_verifier_cache) >= _VERIFIER_CACHE_SIZE:
            _verifier_cache.clear()
        _verifier_cache[cache_key] = verifier
    return verifier.verify(token)


# decode() keeps the Verifiers it builds, so that a server calling it with the
# same key and options on every request prepares them once, as a Verifier
# would. Only arguments that cannot change behind the cache's back take part:
# text keys by value, other keys by identity (the cached Verifier holds a
# reference, so the identity cannot be reused), and never a dict, which the
# caller could mutate. Each option's type is part of the key, so 0 and False
# do not share an entry.
_VERIFIER_CACHE_SIZE = 64
_verifier_cache: dict[tuple[Any, ...], Verifier] = {}


def _verifier_cache_key(
    key: Any,
    algorithms: Any,
    issuer: Any,
    audience: Any,
    subject: Any,
    leeway: Any,
    required: Any,
    typ: Any,
    max_age: Any,
    allow_weak_key: Any,
    max_token_size: Any,
) -> tuple[Any, ...] | None:
    if isinstance(key, (str, bytes)):
        key_part: Any = key
    elif not isinstance(key, Key) and isinstance(key, (Mapping, bytearray, memoryview)):
        return None
    else:
        key_part = id(key)

    # Collections become tuples so they can be hashed. Types are part of the
    # key, so that 0 and False, or "exp" and ["e", "x", "p"], never share an
    # entry: one of each pair is an error that must still be raised.
    try:
        cache_key = (
            type(key), key_part,
            type(algorithms), tuple(algorithms),
            type(issuer), _frozen(issuer),
            type(audience), _frozen(audience),
            subject,
            type(leeway), leeway,
            type(required), tuple(required),
            typ,
            type(max_age), max_age,
            allow_weak_key,
            type(max_token_size), max_token_size,
        )  # fmt: skip
        hash(cache_key)
    except TypeError:
        return None
    return cache_key


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, (list, set, frozenset)) else value


def decode_unverified(
    token: str | bytes, *, max_token_size: int = DEFAULT_MAX_TOKEN_SIZE
) -> UnverifiedToken:
    """Read a JWT's header and claims WITHOUT verifying anything, for inspection only.

    The parts are decoded as strictly as ``decode`` does, but no key is used,
    no ``crit`` or algorithm rule is applied and no claim is validated.
    """
    text = _token_text(token, max_token_size)
    parts = text.split(".")
    if len(parts) != 3:
        raise MalformedTokenError(_wrong_part_count_message(len(parts)))
    header_part, payload_part, signature_part = parts

    header = json_loads_object(
        b64url_decode(header_part, "the token's header"), "the token's header"
    )
    if header.get("b64") is False:
        payload = payload_part.encode("utf-8")
    else:
        payload = b64url_decode(payload_part, "the token's payload")
    claims = json_loads_object(payload, "the token's claims")
    signature = b64url_decode(signature_part, "the token's signature")
    return UnverifiedToken(header=header, claims=claims, signature=signature)
