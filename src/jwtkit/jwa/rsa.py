"""RSA signatures: RSASSA-PKCS1-v1_5 (RS*, RFC 7518 §3.3) and RSASSA-PSS (PS*, §3.5)."""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from jwtkit.jwa.base import SignatureAlgorithm

# RFC 7518 §3.3: a key of size 2048 bits or larger MUST be used.
MIN_RSA_BITS = 2048


class RSAAlgorithm(SignatureAlgorithm):
    kty = "RSA"
    min_key_bits = MIN_RSA_BITS

    def __init__(self, name: str, hash_algorithm: hashes.HashAlgorithm, *, pss: bool) -> None:
        self.name = name
        self.hash_algorithm = hash_algorithm
        self.padding: padding.AsymmetricPadding
        if pss:
            # RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output.
            self.padding = padding.PSS(
                mgf=padding.MGF1(hash_algorithm), salt_length=hash_algorithm.digest_size
            )
        else:
            self.padding = padding.PKCS1v15()

    def sign(self, key: Any, signing_input: bytes) -> bytes:
        private_key: rsa.RSAPrivateKey = key
        return private_key.sign(signing_input, self.padding, self.hash_algorithm)

    def verify(self, key: Any, signing_input: bytes, signature: bytes) -> bool:
        public_key: rsa.RSAPublicKey = key
        # RFC 8017 §8.2.2 step 1: the signature is exactly as long as the modulus.
        if len(signature) != (public_key.key_size + 7) // 8:
            return False
        try:
            public_key.verify(signature, signing_input, self.padding, self.hash_algorithm)
        except InvalidSignature:
            return False
        return True
