"""``lint_token``: decode a token without verifying it and run every check on it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any

from jwtkit._encoding import json_loads_object
from jwtkit.errors import InvalidKeyError, MalformedTokenError
from jwtkit.jwk import Key, KeySet
from jwtkit.jwk.pem import looks_like_public_key_text
from jwtkit.jwt import decode_unverified
from jwtkit.jwt.numericdate import current_time, seconds
from jwtkit.lint import claims, header, keys, sensitive
from jwtkit.lint.context import LintContext
from jwtkit.lint.findings import Finding

# Tokens that live longer than this are reported; RFC 8725 sets no number,
# and a day is long for an access token and short for nothing common.
DEFAULT_MAX_LIFETIME = 24 * 3600.0

Check = Callable[[LintContext], Iterable[Finding]]

CHECKS: tuple[Check, ...] = (
    header.check_alg,
    keys.check_known_secrets,
    keys.check_algorithm_confusion,
    keys.check_given_secrets,
    keys.check_rsa_key_size,
    header.check_key_location_headers,
    header.check_kid,
    claims.check_numericdate_types,
    claims.check_expiry,
    claims.check_issue_time,
    claims.check_issuer_and_audience,
    sensitive.check_sensitive_claims,
)


def lint_token(
    token: str | bytes,
    key: Any = None,
    *,
    max_lifetime: float | timedelta = DEFAULT_MAX_LIFETIME,
    now: Any = None,
    key_text: str | bytes | None = None,
) -> list[Finding]:
    """Find weaknesses in a JWT and, when given, the key it is checked with.

    The token is decoded without verifying its signature, because a weak token
    is worth reporting no matter who signed it. ``key`` is optional: a ``Key``, a
    ``KeySet``, a JWK or JWK Set dict, PEM text, or a raw HMAC secret (str or
    bytes). Without a key, HMAC tokens are still tried against published
    example secrets. ``max_lifetime`` (seconds or timedelta) is the longest
    lifetime not reported; ``now`` fixes the clock (a NumericDate or an aware
    datetime). ``key_text`` is the text or file the key was read from, when
    ``key`` is a ``Key`` loaded from it: an HMAC forgery made with those exact
    bytes is then reported as algorithm confusion too. Findings come sorted
    from high to low severity.

    A token that cannot be decoded raises ``MalformedTokenError``; a key that
    cannot be parsed raises ``InvalidKeyError``.
    """
    options_now = current_time(now)
    options_max_lifetime = seconds(max_lifetime, "max_lifetime")
    if key_text is None and isinstance(key, (str, bytes)):
        key_text = key
    if isinstance(key_text, str):
        key_text = key_text.encode("utf-8")
    unverified = decode_unverified(token)
    text = token.decode("ascii") if isinstance(token, bytes) else token
    header_part, payload_part, _ = text.split(".")

    context = LintContext(
        header=unverified.header,
        claims=unverified.claims,
        signing_input=f"{header_part}.{payload_part}".encode(),
        signature=unverified.signature,
        keys=as_keys(key),
        now=options_now,
        max_lifetime=options_max_lifetime,
        key_text=key_text,
    )
    findings = [finding for check in CHECKS for finding in check(context)]
    # sorted() is stable, so findings of one severity keep the order of CHECKS.
    return sorted(findings, key=lambda finding: -finding.severity.rank)


def as_keys(key: Any) -> tuple[Key, ...]:
    """Return the keys that the ``key`` argument of ``lint_token`` contains."""
    if key is None:
        return ()
    if isinstance(key, Key):
        return (key,)
    if isinstance(key, KeySet):
        return key.keys
    if isinstance(key, Mapping):
        if "keys" in key:
            return KeySet.from_jwks(key).keys
        return (Key.from_jwk(key),)
    if isinstance(key, (str, bytes)):
        raw = key.encode("utf-8") if isinstance(key, str) else key
        if looks_like_public_key_text(raw):
            return (Key.from_pem(raw),)
        jwk = _jwk_or_none(raw)
        if jwk is not None:
            return as_keys(jwk)
        return (Key.from_secret(raw),)
    raise InvalidKeyError(
        f"a lint key must be a Key, KeySet, JWK dict, PEM text or secret, got {type(key).__name__}"
    )


def _jwk_or_none(raw: bytes) -> dict[str, Any] | None:
    """Parse JWK or JWK Set text; None for anything else, which may be a secret."""
    if not raw.lstrip().startswith(b"{"):
        return None
    try:
        value = json_loads_object(raw, "the lint key")
    except MalformedTokenError:
        return None
    return value if "kty" in value or "keys" in value else None
