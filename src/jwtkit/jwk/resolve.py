"""Turn what a caller passes as "the key" into a ``Key`` fit for one algorithm.

Callers pass ``Key`` objects, ``KeySet``s, JWK dicts, PEM text, raw secrets or
``cryptography`` key objects. Text keys are parsed once and kept in a bounded
cache keyed by their exact bytes, so a server that passes the same PEM string
on every call does not pay for parsing it every time.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from jwtkit._encoding import json_loads_object
from jwtkit.errors import InvalidKeyError, KeyMismatchError, MalformedTokenError
from jwtkit.jwa import SignatureAlgorithm
from jwtkit.jwk.base import Key
from jwtkit.jwk.keyset import KeySet
from jwtkit.jwk.oct import OctKey

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from jwtkit.jwk.provider import KeyProvider

# At most this many parsed text keys stay in memory; the least recently used
# one is dropped first, and with it the only reference jwtkit keeps to it.
KEY_CACHE_SIZE = 64


@lru_cache(maxsize=KEY_CACHE_SIZE)
def _load_text_key(data: str | bytes, for_hmac: bool) -> Key:
    from jwtkit.jwk.pem import key_bytes, load_pem, looks_like_public_key_text, try_load_der

    raw = key_bytes(data, "the key text")

    if looks_like_public_key_text(raw):
        return Key.from_cryptography(load_pem(raw))

    jwk_text = raw.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()
    if jwk_text.startswith(b"{"):
        return _load_jwk_text(jwk_text)

    if isinstance(data, bytes):
        der_key = try_load_der(data)
        if der_key is not None:
            return Key.from_cryptography(der_key)

    if for_hmac:
        return OctKey(raw)
    raise InvalidKeyError(
        "the key is text or bytes but not PEM, an OpenSSH public key or DER; for an "
        "RSA, EC or OKP algorithm pass PEM text, a JWK dict or a jwtkit Key"
    )


def _load_jwk_text(text: bytes) -> Key:
    # A JWK given as JSON text has its own kty. Taken as raw bytes it would
    # become an HMAC secret that anyone holding the public JWK can compute.
    try:
        jwk = json_loads_object(text, "the JWK text")
    except MalformedTokenError as exc:
        raise InvalidKeyError(str(exc)) from None
    if "keys" in jwk:
        raise InvalidKeyError(
            "a JWK Set was passed as text where one key is expected; use KeySet.from_jwks(...)"
        )
    return Key.from_jwk(jwk)


def resolve_key(key: Any, algorithm: SignatureAlgorithm) -> Key:
    """Return ``key`` as a jwtkit ``Key``; the caller then checks it fits ``algorithm``.

    A string or bytes that is PEM, OpenSSH, DER or JWK JSON text becomes a key
    of its own type, even when ``algorithm`` is HMAC. The algorithm check then
    rejects a public key instead of using it as a secret.
    """
    if isinstance(key, Key):
        return key
    if isinstance(key, (str, bytes)):
        return _load_text_key(key, algorithm.kty == "oct")
    if isinstance(key, (bytearray, memoryview)):
        return _load_text_key(bytes(key), algorithm.kty == "oct")
    if isinstance(key, Mapping):
        if "keys" in key:
            raise InvalidKeyError(
                "a JWK Set was passed where one key is expected; use KeySet.from_jwks(...)"
            )
        return Key.from_jwk(key)
    if isinstance(key, KeySet) or _is_key_provider(key):
        raise InvalidKeyError(
            f"a {type(key).__name__} selects among several keys and cannot sign; "
            "pass the one key to sign with"
        )
    return Key.from_cryptography(key)


def select_verification_key(key: Any, kid: str | None, algorithm: SignatureAlgorithm) -> Key:
    """Return the key to verify a token whose header names ``kid`` and ``algorithm``."""
    if isinstance(key, Key):
        return key
    if isinstance(key, KeySet):
        return key.find_key(kid, algorithm)
    if isinstance(key, Mapping) and "keys" in key:
        return KeySet.from_jwks(key).find_key(kid, algorithm)
    if _is_key_provider(key):
        provider: KeyProvider = key
        return provider.find_key(kid, algorithm)
    try:
        return resolve_key(key, algorithm)
    except InvalidKeyError as exc:
        if algorithm.kty == "oct" or not isinstance(key, (str, bytes, bytearray, memoryview)):
            raise
        # PEM, OpenSSH or JWK text that failed to load, or text that is not
        # valid Unicode, is the caller's broken key, which the caller must
        # hear about, not a raw secret.
        if _is_key_text(key):
            raise
        # A raw secret given for an asymmetric alg: the token chose that alg.
        raise KeyMismatchError(
            f"alg {algorithm.name!r} needs an RSA, EC or OKP key, but a raw secret was given"
        ) from exc


def _is_key_text(key: str | bytes | bytearray | memoryview) -> bool:
    from jwtkit.jwk.pem import looks_like_public_key_text

    try:
        raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    except UnicodeEncodeError:
        return True
    if looks_like_public_key_text(raw):
        return True
    return raw.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")


def _is_key_provider(key: Any) -> bool:
    # Duck typing instead of isinstance(key, KeyProvider): a runtime Protocol
    # check costs microseconds on every verification.
    return callable(getattr(key, "find_key", None))


def clear_key_cache() -> None:
    """Drop every parsed key kept by the text-key cache."""
    _load_text_key.cache_clear()
