"""EdDSA with Ed25519 and Ed448 (RFC 8037 §3.1)."""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519

from jwtkit.jwa.base import SignatureAlgorithm

_SIGNATURE_BYTES = {"Ed25519": 64, "Ed448": 114}


class EdDSAAlgorithm(SignatureAlgorithm):
    kty = "OKP"

    def __init__(self, name: str, curves: frozenset[str]) -> None:
        self.name = name
        self.curves = curves

    def sign(self, key: Any, signing_input: bytes) -> bytes:
        private_key: ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey = key
        return private_key.sign(signing_input)

    def verify(self, key: Any, signing_input: bytes, signature: bytes) -> bool:
        public_key: ed25519.Ed25519PublicKey | ed448.Ed448PublicKey = key
        curve = "Ed25519" if isinstance(public_key, ed25519.Ed25519PublicKey) else "Ed448"
        if len(signature) != _SIGNATURE_BYTES[curve]:
            return False
        try:
            public_key.verify(signature, signing_input)
        except InvalidSignature:
            return False
        return True
