"""EdDSA with Ed25519 and Ed448 (RFC 8037 §3.1)."""

from __future__ import annotations

from jwtkit.jwa.base import SignatureAlgorithm

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from cryptography.hazmat.primitives.asymmetric import ed448, ed25519

# Signature size by public-key size: Ed25519 keys are 32 bytes, Ed448 keys 57.
_SIGNATURE_BYTES = {32: 64, 57: 114}


class EdDSAAlgorithm(SignatureAlgorithm):
    kty = "OKP"

    def __init__(self, name: str, curves: frozenset[str]) -> None:
        self.name = name
        self.curves = curves
        self._invalid_signature: type[Exception] | None = None

    def sign(self, key: Any, signing_input: bytes) -> bytes:
        private_key: ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey = key
        return private_key.sign(signing_input)

    def verify(self, key: Any, signing_input: bytes, signature: bytes) -> bool:
        public_key: ed25519.Ed25519PublicKey | ed448.Ed448PublicKey = key
        if self._invalid_signature is None:
            from cryptography.exceptions import InvalidSignature

            self._invalid_signature = InvalidSignature

        key_bytes = len(public_key.public_bytes_raw())
        if len(signature) != _SIGNATURE_BYTES.get(key_bytes):
            return False
        try:
            public_key.verify(signature, signing_input)
        except self._invalid_signature:
            return False
        return True
