"""``encode``, ``decode`` and ``decode_unverified``: the JWT entry points."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jwtkit._encoding import (
    b64url_decode,
    is_number,
    json_dumps,
    json_loads_object,
)
from jwtkit.errors import MalformedTokenError, UsageError
from jwtkit.jws import DEFAULT_MAX_TOKEN_SIZE, sign_compact
from jwtkit.jws.compact import _token_text, _wrong_part_count_message
from jwtkit.jwt.numericdate import to_numericdate
from jwtkit.jwt.verifier import Verifier


@dataclass(frozen=True)
class UnverifiedToken:
    """A JWT's header and claims read WITHOUT checking its signature: do not trust them."""

    header: dict[str, Any]
    claims: dict[str, Any]
    signature: bytes


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
    key's ``kid`` when it has one. The caller's dicts are not modified.
    """
    if not isinstance(claims, Mapping):
        raise UsageError(f"claims must be a dict, got {type(claims).__name__}")
    if headers is not None and not isinstance(headers, Mapping):
        raise UsageError(f"headers must be a dict, got {type(headers).__name__}")
    payload = _serialize_claims(claims)
    header = {"typ": "JWT", **(headers or {})}
    return sign_compact(payload, key, algorithm, header, allow_weak_key=allow_weak_key)


def _serialize_claims(claims: Mapping[str, Any]) -> bytes:
    prepared = dict(claims)
    for name, value in prepared.items():
        if not isinstance(name, str):
            raise UsageError(f"claim names must be strings, got {name!r}")
        if isinstance(value, datetime):
            if name not in ("exp", "nbf", "iat"):
                raise UsageError(
                    f"claim {name!r} is a datetime, but only exp, nbf and iat are converted to "
                    "NumericDates; convert it yourself, for example with int(value.timestamp())"
                )
            prepared[name] = to_numericdate(value)

    for name in ("exp", "nbf", "iat"):
        if name in prepared and not is_number(prepared[name]):
            raise UsageError(
                f"claim {name!r} must be a NumericDate (seconds since the epoch) or a datetime, "
                f"got {prepared[name]!r}"
            )
    for name in ("iss", "sub", "jti"):
        if name in prepared and not isinstance(prepared[name], str):
            raise UsageError(f"claim {name!r} must be a string, got {prepared[name]!r}")
    aud = prepared.get("aud")
    if "aud" in prepared and not (
        isinstance(aud, str)
        or (isinstance(aud, list) and aud and all(isinstance(item, str) for item in aud))
    ):
        raise UsageError(
            f"claim 'aud' must be a string or a non-empty list of strings, got {aud!r}"
        )

    try:
        return json_dumps(prepared)
    except (TypeError, ValueError, UnicodeEncodeError) as exc:
        raise UsageError(f"claims cannot be serialized as JSON: {exc}") from None


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
    return verifier.verify(token)


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
