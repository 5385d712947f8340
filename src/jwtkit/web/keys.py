"""Read the key a user pasted into the debugger page: a secret, PEM, a JWK or a JWK Set."""

from __future__ import annotations

import json
from typing import Any

from jwtkit._encoding import b64url_decode
from jwtkit.errors import InvalidKeyError, MalformedTokenError
from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.jwk import Key, KeySet
from jwtkit.jwk.pem import looks_like_public_key_text

KEY_FORMATS = ("auto", "secret", "secret_base64", "pem", "jwk", "jwks")


def parse_key(request: Any) -> Key | KeySet:
    """Build a key from ``{"format": ..., "text": ...}``; ``format`` is one of ``KEY_FORMATS``.

    ``auto`` reads PEM and OpenSSH text as PEM, a JSON object with ``keys`` as
    a JWK Set, any other JSON object as a JWK, and everything else as a secret
    given as text.
    """
    if not isinstance(request, dict):
        raise InvalidKeyError('the key must be an object such as {"format": "jwk", "text": "..."}')
    key_format = request.get("format", "auto")
    text = request.get("text")
    if key_format not in KEY_FORMATS:
        raise InvalidKeyError(f"key format {key_format!r} is not one of: {', '.join(KEY_FORMATS)}")
    if not isinstance(text, str) or not text.strip():
        raise InvalidKeyError("the key is empty; paste a secret, a PEM key, a JWK or a JWK Set")

    if key_format == "auto":
        key_format = _detect_format(text)
    if key_format == "secret":
        return Key.from_secret(text)
    if key_format == "secret_base64":
        return Key.from_secret(_decode_base64_secret(text))
    if key_format == "pem":
        return Key.from_pem(text)
    if key_format == "jwk":
        return Key.from_jwk(text)
    return KeySet.from_jwks(text)


def _detect_format(text: str) -> str:
    stripped = text.strip()
    if looks_like_public_key_text(stripped.encode("utf-8")):
        return "pem"
    if not stripped.startswith("{"):
        return "secret"
    try:
        parsed = json.loads(stripped)
    except ValueError:
        return "secret"
    if isinstance(parsed, dict) and "keys" in parsed:
        return "jwks"
    if isinstance(parsed, dict) and "kty" in parsed:
        return "jwk"
    return "secret"


def _decode_base64_secret(text: str) -> bytes:
    # Secrets are shared in both base64 alphabets, with or without padding, so
    # both are accepted here; the result is then decoded strictly.
    normalized = "".join(text.split()).rstrip("=").replace("+", "-").replace("/", "_")
    try:
        return b64url_decode(normalized, "the base64 secret")
    except MalformedTokenError as exc:
        raise InvalidKeyError(str(exc)) from None


def algorithms_for(key: Key | KeySet) -> list[str]:
    """List the JWS algorithms the key (or any key in the set) may verify, in table order."""
    keys = key.keys if isinstance(key, KeySet) else (key,)
    return [
        name
        for name, algorithm in SIGNATURE_ALGORITHMS.items()
        if any(member.allows_algorithm(algorithm, "verify") for member in keys)
    ]


def describe_key(key: Key) -> str:
    """Describe a key for display without any of its material: type, size and kid."""
    kind = "private" if key.is_private else "public"
    if key.kty == "oct":
        kind = "secret"
    text = f"{key.kty} {kind} key, {key.size} bits"
    if key.kid is not None:
        text += f", kid {key.kid!r}"
    return text
