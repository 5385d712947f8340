"""JSON Web Keys (RFC 7517): key kinds, import and export, thumbprints, key sets."""

from jwtkit.jwk.base import Key
from jwtkit.jwk.ec import ECKey
from jwtkit.jwk.keyset import KeySet
from jwtkit.jwk.oct import OctKey
from jwtkit.jwk.okp import OKPKey
from jwtkit.jwk.resolve import KeyProvider, clear_key_cache, resolve_key, select_verification_key
from jwtkit.jwk.rsa import RSAKey

__all__ = [
    "ECKey",
    "Key",
    "KeyProvider",
    "KeySet",
    "OKPKey",
    "OctKey",
    "RSAKey",
    "clear_key_cache",
    "resolve_key",
    "select_verification_key",
]
