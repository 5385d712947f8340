"""ECDSA: ES256, ES384, ES512 (RFC 7518 §3.4) and ES256K (RFC 8812 §3.2)."""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from jwtkit.jwa.base import SignatureAlgorithm


class ECDSAAlgorithm(SignatureAlgorithm):
    kty = "EC"

    def __init__(
        self, name: str, hash_algorithm: hashes.HashAlgorithm, curve: str, coordinate_bytes: int
    ) -> None:
        self.name = name
        self.hash_algorithm = hash_algorithm
        self.curves = frozenset({curve})
        self.coordinate_bytes = coordinate_bytes
        self._ecdsa = ec.ECDSA(hash_algorithm)

    def sign(self, key: Any, signing_input: bytes) -> bytes:
        private_key: ec.EllipticCurvePrivateKey = key
        r, s = decode_dss_signature(private_key.sign(signing_input, self._ecdsa))
        return r.to_bytes(self.coordinate_bytes, "big") + s.to_bytes(self.coordinate_bytes, "big")

    def verify(self, key: Any, signing_input: bytes, signature: bytes) -> bool:
        public_key: ec.EllipticCurvePublicKey = key

        # RFC 7518 §3.4: the signature is R || S, each exactly as wide as the
        # curve order. A DER signature, or any other width, is rejected rather
        # than converted, so that one signature has one encoding.
        width = self.coordinate_bytes
        if len(signature) != 2 * width:
            return False
        r = int.from_bytes(signature[:width], "big")
        s = int.from_bytes(signature[width:], "big")

        # A zero R or S is the "psychic signature" forgery (CVE-2022-21449);
        # refuse it here instead of trusting every backend to.
        if r == 0 or s == 0:
            return False

        try:
            public_key.verify(encode_dss_signature(r, s), signing_input, self._ecdsa)
        except InvalidSignature:
            return False
        return True
