"""HMAC with SHA-2: HS256, HS384, HS512 (RFC 7518 §3.2)."""

from __future__ import annotations

import hmac

from jwtkit.jwa.base import SignatureAlgorithm

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class HMACAlgorithm(SignatureAlgorithm):
    kty = "oct"

    def __init__(self, name: str, hash_name: str, digest_size: int) -> None:
        self.name = name
        self.hash_name = hash_name
        # RFC 7518 §3.2: the key must be at least as long as the hash output.
        self.min_key_bytes = digest_size

    def sign(self, key: Any, signing_input: bytes) -> bytes:
        return hmac.digest(key, signing_input, self.hash_name)

    def verify(self, key: Any, signing_input: bytes, signature: bytes) -> bool:
        expected = hmac.digest(key, signing_input, self.hash_name)
        return hmac.compare_digest(expected, signature)
