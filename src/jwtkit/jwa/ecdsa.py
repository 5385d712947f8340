"""ECDSA: ES256, ES384, ES512 (RFC 7518 §3.4) and ES256K (RFC 8812 §3.2)."""

from __future__ import annotations

from jwtkit.jwa.base import SignatureAlgorithm

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from cryptography.hazmat.primitives.asymmetric import ec


class ECDSAAlgorithm(SignatureAlgorithm):
    kty = "EC"

    def __init__(self, name: str, hash_name: str, curve: str, coordinate_bytes: int) -> None:
        self.name = name
        self.hash_name = hash_name
        self.curves = frozenset({curve})
        self.coordinate_bytes = coordinate_bytes
        self._primitives: tuple[Any, Any, Any, type[Exception]] | None = None

    def _prepare(self) -> tuple[Any, Any, Any, type[Exception]]:
        # cryptography is imported on first use, as for RSA.
        if self._primitives is None:
            from cryptography.exceptions import InvalidSignature
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import ec, utils

            scheme = ec.ECDSA(getattr(hashes, self.hash_name)())
            self._primitives = (
                scheme,
                utils.decode_dss_signature,
                utils.encode_dss_signature,
                InvalidSignature,
            )
        return self._primitives

    def sign(self, key: Any, signing_input: bytes) -> bytes:
        private_key: ec.EllipticCurvePrivateKey = key
        scheme, decode_dss_signature, _, _ = self._prepare()
        r: int
        s: int
        r, s = decode_dss_signature(private_key.sign(signing_input, scheme))
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

        scheme, _, encode_dss_signature, invalid_signature = self._prepare()
        try:
            public_key.verify(encode_dss_signature(r, s), signing_input, scheme)
        except invalid_signature:
            return False
        return True
