"""Turn a fetched JWK Set document into a ``KeySet`` of public verification keys."""

from __future__ import annotations

import logging
from typing import Any

from jwtkit._encoding import json_loads, json_type_name
from jwtkit.errors import JWTError, MalformedTokenError
from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.jwk import Key, KeySet
from jwtkit.remote.urls import fetch_error, quote_untrusted

logger = logging.getLogger("jwtkit")

WHAT = "the JWK Set"


def parse_key_set(body: bytes, url: str) -> KeySet:
    """Parse a JWK Set response body, keeping only the members that can verify signatures.

    RFC 7517 §5 lets a set carry keys that a recipient cannot use. Those are
    skipped and listed in ``KeySet.skipped``. A set left with no usable key
    raises ``KeySetFetchError``, so that a broken response never replaces
    keys that work.
    """
    members = _members(body, url)

    keys: list[Key] = []
    skipped: list[str] = []
    skipped_kids: set[str] = set()
    for index, member in enumerate(members):
        key, reason, kid = _import_member(member, url)
        if key is None:
            skipped.append(f"keys[{index}]: {reason}")
            logger.debug("skipped keys[%d] of the JWK Set from %s: %s", index, url, reason)
        else:
            keys.append(key)
        if kid is not None:
            skipped_kids.add(kid)

    if not keys:
        detail = f"; skipped: {'; '.join(skipped[:3])}" if skipped else ""
        raise fetch_error(WHAT, url, f"it has no usable signature verification key{detail}")
    key_set = KeySet(keys, skipped=skipped)
    key_set.skipped_kids = frozenset(skipped_kids)
    return key_set


def _members(body: bytes, url: str) -> list[Any]:
    try:
        document = json_loads(body, "the response body")
    except MalformedTokenError as exc:
        raise fetch_error(WHAT, url, str(exc)) from None

    if not isinstance(document, dict):
        raise fetch_error(
            WHAT, url, f"the body is a JSON {json_type_name(document)}, expected a JSON object"
        )
    members = document.get("keys")
    if not isinstance(members, list):
        raise fetch_error(WHAT, url, "the JSON object has no 'keys' member that is an array")
    return members


def _import_member(member: Any, url: str) -> tuple[Key | None, str, str | None]:
    """Return the member's key, or None with the reason it is skipped.

    The third item is the kid of a member that names one but fails to
    import. As in ``KeySet.from_jwks``, a token with that kid then finds no
    key, even if another member has the same kid: a kid must name exactly
    one key. Members skipped because they cannot verify (a secret key,
    ``use`` other than "sig") leave their kid free, just as ``find_key``
    passes over such keys.
    """
    reason = _unusable_reason(member)
    if reason is not None:
        return None, reason, None

    try:
        key = Key.from_jwk(member)
    except JWTError as exc:
        kid = member.get("kid")
        return None, str(exc), kid if isinstance(kid, str) else None

    if key.is_private:
        # Verification needs only the public key, so the private members stay out of the cache.
        logger.warning(
            "the JWK Set from %s publishes private key material (kid %s); "
            "only its public key is used, and the provider should rotate it",
            url,
            quote_untrusted(key.kid),
        )
        key = key.public_key()
    return key, "", None


def _unusable_reason(member: Any) -> str | None:
    if not isinstance(member, dict):
        return f"it is a JSON {json_type_name(member)}, not a JWK object"

    if member.get("kty") == "oct":
        # Anyone who can fetch the set could sign tokens with a published secret.
        return "it is a secret (kty 'oct') key, which a published key set must not contain"

    use = member.get("use")
    if use is not None and use != "sig":
        return f"its 'use' is {quote_untrusted(use)}, not 'sig'"

    key_ops = member.get("key_ops")
    if isinstance(key_ops, list) and "verify" not in key_ops:
        return f"its 'key_ops' {quote_untrusted(key_ops)} do not include 'verify'"

    alg = member.get("alg")
    if isinstance(alg, str) and alg not in SIGNATURE_ALGORITHMS:
        return f"its 'alg' {quote_untrusted(alg)} is not a JWS algorithm jwtkit implements"
    return None
