"""RSA signatures: RSASSA-PKCS1-v1_5 (RS*, RFC 7518 §3.3) and RSASSA-PSS (PS*, §3.5)."""

from __future__ import annotations

from jwtkit.jwa.base import SignatureAlgorithm

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from cryptography.hazmat.primitives.asymmetric import rsa

# RFC 7518 §3.3: a key of size 2048 bits or larger MUST be used.
MIN_RSA_BITS = 2048


class RSAAlgorithm(SignatureAlgorithm):
    kty = "RSA"
    min_key_bits = MIN_RSA_BITS

    def __init__(self, name: str, hash_name: str, *, pss: bool) -> None:
        self.name = name
        self.hash_name = hash_name
        self.pss = pss
        self._primitives: tuple[Any, Any, type[Exception]] | None = None

    def _prepare(self) -> tuple[Any, Any, type[Exception]]:
        # cryptography is imported on first use, so that `import jwtkit` stays
        # cheap for applications that only use HMAC.
        if self._primitives is None:
            from cryptography.exceptions import InvalidSignature
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import padding

            hash_algorithm = getattr(hashes, self.hash_name)()
            scheme: padding.AsymmetricPadding = padding.PKCS1v15()
            if self.pss:
                # RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output.
                scheme = padding.PSS(
                    mgf=padding.MGF1(hash_algorithm), salt_length=hash_algorithm.digest_size
                )
            self._primitives = (scheme, hash_algorithm, InvalidSignature)
        return self._primitives

    def sign(self, key: Any, signing_input: bytes) -> bytes:
        private_key: rsa.RSAPrivateKey = key
        scheme, hash_algorithm, _ = self._prepare()
        return private_key.sign(signing_input, scheme, hash_algorithm)

    def verify(self, key: Any, signing_input: bytes, signature: bytes) -> bool:
        public_key: rsa.RSAPublicKey = key
        # RFC 8017 §8.2.2 step 1: the signature is exactly as long as the modulus.
        if len(signature) != (public_key.key_size + 7) // 8:
            return False
        scheme, hash_algorithm, invalid_signature = self._prepare()
        try:
            public_key.verify(signature, signing_input, scheme, hash_algorithm)
        except invalid_signature:
            return False
        return True
